// Coverage in the browser: the assessment runs in the worker when the tab opens; the map shows
// points and communities coloured by missing categories; the gap table sorts and selects; a
// click on a community opens its card; category toggles recolour; exports download.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withBrowser, openPage, screenshot } from './harness.mjs';

const env = withBrowser();

/** The most lines any number cell of the gap table takes (1: no number wraps), and the cell. */
const numberLines = (page) =>
  page.locator('#gap-table td.num').evaluateAll((tds) =>
    tds.reduce(
      (worst, td) => {
        const r = document.createRange();
        r.selectNodeContents(td);
        const tops = new Set([...r.getClientRects()].map((x) => Math.round(x.top)));
        return tops.size > worst.lines ? { lines: tops.size, text: td.textContent } : worst;
      },
      { lines: 0, text: '' },
    ),
  );

test('coverage: figures, chart, gap table linked to the map, card, toggles and export', async () => {
  const { page, problems } = await openPage(env.context);
  await page.goto(env.server.url);
  await page.waitForSelector('#engine-status[data-loaded="true"]', { timeout: 30000 });
  await page.click('#tab-coverage');
  await page.waitForSelector('#cov-figures', { timeout: 30000 });
  const dual = parseFloat(await page.locator('#cov-dual').innerText());
  const emp = parseFloat(await page.locator('#cov-employment').innerText());
  const conv = parseFloat(await page.locator('#cov-convenience').innerText());
  assert.ok(dual > 0 && dual <= Math.min(emp, conv), `dual ${dual} ≤ employment ${emp}, convenience ${conv}`);
  // The chart has a bar per target (station + categories).
  const bars = await page.locator('#cov-chart svg g').count();
  assert.ok(bars >= 7, `bars: ${bars}`);
  // Points and units are drawn (canvas renderer: check the overlay layers through the panel's
  // table instead, and the legend).
  await page.waitForSelector('#cov-legend');
  const rows = page.locator('#gap-table tbody tr');
  const n = await rows.count();
  assert.ok(n > 10, `gap rows: ${n}`);
  // Default sort: people outside the dual circle, descending.
  const outside = async () => (await page.locator('#gap-table tbody tr td:nth-child(3)').allInnerTexts()).map((t) => parseFloat(t.replace(/,/g, '')));
  const o = await outside();
  for (let i = 1; i < o.length; i++) assert.ok(o[i - 1] >= o[i], `sorted desc at ${i}: ${o[i - 1]} ${o[i]}`);
  await screenshot(page, 'coverage-layer');
  // Numbers in the narrow side panel keep one line ("2,500", not "2,50" / "0").
  const worst = await numberLines(page);
  assert.equal(worst.lines, 1, `a number wraps: ${worst.text}`);
  await page.locator('#gap-table').scrollIntoViewIfNeeded();
  await screenshot(page, 'coverage-gaps-zh');
  // Sort by name.
  await page.click('#gap-table thead th:nth-child(1) button');
  const names = await page.locator('#gap-table tbody tr th').allInnerTexts();
  const sorted = [...names].sort();
  assert.deepEqual(names, sorted, 'sorted by name');
  assert.equal(await page.locator('#gap-table thead th:nth-child(1)').getAttribute('aria-sort'), 'ascending');
  // Select a row by keyboard: the card opens and the map zooms.
  const zoomBefore = await page.evaluate(() => document.querySelector('.leaflet-proxy') ? document.querySelector('#map').getAttribute('class') : '');
  await page.locator('#gap-table tbody tr').nth(3).focus();
  await page.keyboard.press('Enter');
  await page.waitForSelector('#unit-card');
  const title = await page.locator('#unit-card-title').innerText();
  assert.equal(title, names[3]);
  assert.equal(await page.locator('#gap-table tbody tr.selected th').innerText(), names[3]);
  const missing = await page.locator('#unit-card .missing li').count();
  assert.ok(missing >= 1, 'a gap row lists what is missing');
  await screenshot(page, 'coverage-card');
  assert.ok(zoomBefore !== undefined);
  // Close the card; click a community on the map → its card.
  await page.click('#unit-card button.close');
  assert.equal(await page.locator('#unit-card').count(), 0);
  const box = await page.locator('#map').boundingBox();
  await page.mouse.click(box.x + box.width * 0.5, box.y + box.height * 0.5);
  await page.waitForSelector('#unit-card', { timeout: 5000 });
  // A click on a demand point coloured on its tile (map/tiles.rs: the tile's own hit-test, under
  // the facilities' canvases) selects the point's community: the oracle is the package's
  // demand file, the community of the record nearest the point clicked.
  await page.click('#unit-card button.close');
  const pt = await page.evaluate(() => {
    const z = document.querySelector('#map').dataset.zoom + '/';
    const m = document.querySelector('#map').getBoundingClientRect();
    for (const c of document.querySelectorAll('canvas.sq-points[data-source="Demand-package"][data-sample]')) {
      if (!c.dataset.tile.startsWith(z)) continue;
      const b = c.getBoundingClientRect();
      const [x, y] = c.dataset.sample.split(',').map(Number);
      const [X, Y] = [b.left + (x * b.width) / 256, b.top + (y * b.height) / 256];
      if (X < m.left + 80 || X > m.right - 320 || Y < m.top + 180 || Y > m.bottom - 200) continue;
      const [tz, tx, ty] = c.dataset.tile.split('/').map(Number);
      const n = 2 ** tz;
      const [wx, wy] = [(tx + x / 256) / n, (ty + y / 256) / n];
      return { X, Y, lon: wx * 360 - 180, lat: (Math.atan(Math.sinh(Math.PI * (1 - 2 * wy))) * 180) / Math.PI };
    }
    return null;
  });
  assert.ok(pt, 'a coloured demand point in view');
  const demandFile = JSON.parse(await (await import('node:fs/promises')).readFile(new URL('../static/data/shanghai-central/demand.geojson', import.meta.url), 'utf8'));
  const nearest = demandFile.features.reduce((best, f) => {
    const [lon, lat] = f.geometry.coordinates;
    const d = Math.hypot(lon - pt.lon, lat - pt.lat);
    return d < best.d ? { d, f } : best;
  }, { d: Infinity, f: null }).f;
  await page.mouse.click(pt.X, pt.Y);
  await page.waitForSelector('#unit-card', { timeout: 5000 });
  assert.equal(await page.locator('#unit-card-title').innerText(), nearest.properties.community);
  // Category toggles change the legend's range (6 categories → 0..6; one off → 0..5).
  const before = await page.locator('#cov-legend .swatch').count();
  await page.click('#cov-toggles label[data-category="market"] input');
  const after = await page.locator('#cov-legend .swatch').count();
  assert.equal(after, before - 1);
  // Export: a CSV download whose header and row count match the report.
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
  const path = await dl.path();
  const fs = await import('node:fs');
  const text = fs.readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  const lines = text.trim().split('\n');
  assert.match(lines[0], /^level,code,name,parent,population/);
  assert.ok(lines.length > n, `csv rows ${lines.length} > gap rows ${n}`);
  assert.match(lines[lines.length - 1], /^"city",/);
  // Every row states the compound setting (closed by default).
  assert.match(lines[0], /,compounds$/);
  const unstated = lines.slice(1).filter((l) => !/,"?closed"?$/.test(l));
  assert.deepEqual(unstated, [], 'compounds on every row');
  // The MOFCOM 2021 preset (nearer targets) re-runs the assessment with a lower or equal share.
  await page.selectOption('#acc-standard', 'mofcom2021');
  await page.waitForSelector('#cov-figures', { timeout: 30000 });
  const dual2 = parseFloat(await page.locator('#cov-dual').innerText());
  assert.ok(dual2 <= dual, `tighter thresholds: ${dual2} ≤ ${dual}`);
  assert.deepEqual(problems, []);
});

test('coverage: the gap table in English keeps its numbers on one line', async () => {
  const { page, problems } = await openPage(env.context);
  await page.goto(`${env.server.url}?lang=en&tab=coverage`);
  await page.waitForSelector('#gap-table tbody tr', { timeout: 60000 });
  const worst = await numberLines(page);
  assert.equal(worst.lines, 1, `a number wraps: ${worst.text}`);
  // The five columns fit the side panel: no sideways scrolling of the table.
  const fit = await page.locator('#gap-table').evaluate((t) => [t.offsetWidth, t.parentElement.clientWidth]);
  assert.ok(fit[0] <= fit[1], `table ${fit[0]} px in ${fit[1]} px`);
  await page.locator('#gap-table').scrollIntoViewIfNeeded();
  await screenshot(page, 'coverage-gaps-en');
  assert.deepEqual(problems, []);
});
