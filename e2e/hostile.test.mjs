// Hostile input in the browser: names that are HTML/script payloads or spreadsheet formulas,
// imported as stations, facilities, postings and communities, show literally in every view that
// shows names and run nothing (a global flag the payloads would set stays unset); the coverage
// CSVs the app downloads keep formulas as text; absurd URL values are ignored with a notice,
// never crash the page and never fetch outside data/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { withBrowser, openPage, screenshot } from './harness.mjs';

const env = withBrowser();

const XSS = '<img src=x onerror="window.__pwned=1">';
const SCRIPT = '<script>window.__pwned=2</script>';
const FORMULA = '=HYPERLINK("http://x","y")';
const AT = '@SUM(1+1)';
const q = (s) => `"${s.replaceAll('"', '""')}"`;

// Central Shanghai, inside the default package's streets and demand points.
const csv = (rows) => Buffer.from(rows.map((r) => r.join(',')).join('\n') + '\n');
// A file name is a payload too (the import report and the legend show it).
const HOSTILE_FILE = '<svg onload=window.__pwned=3>-stations.csv';
const files = [
  {
    name: HOSTILE_FILE, mimeType: 'text/csv',
    buffer: csv([['id', 'lon', 'lat', 'name'], ['h1', '121.4700', '31.2290', q(XSS)], ['h2', '121.4750', '31.2300', q(FORMULA)]]),
  },
  {
    name: 'facilities.csv', mimeType: 'text/csv',
    buffer: csv([['id', 'lon', 'lat', 'category', 'name'], ['hf1', '121.4710', '31.2295', 'store', q(SCRIPT)], ['hf2', '121.4720', '31.2285', 'breakfast', q(AT)]]),
  },
  {
    name: 'postings.csv', mimeType: 'text/csv',
    buffer: csv([['id', 'lon', 'lat', 'title', 'employer'], ['hp1', '121.4705', '31.2292', q(XSS), q(FORMULA)], ['hp2', '121.4708', '31.2290', q(AT), q(SCRIPT)]]),
  },
  {
    name: 'demand.csv', mimeType: 'text/csv',
    buffer: csv([['id', 'lon', 'lat', 'weight', 'community'], [q(FORMULA), '121.4702', '31.2293', '50', q(AT)], [q(AT), '121.4712', '31.2288', '50', q(FORMULA)]]),
  },
  {
    name: 'communities.geojson', mimeType: 'application/geo+json',
    buffer: Buffer.from(JSON.stringify({
      type: 'FeatureCollection',
      features: [
        [XSS, 121.44, 31.20], [FORMULA, 121.475, 31.20], [AT, 121.44, 31.23], [SCRIPT, 121.475, 31.23],
      ].map(([name, x, y], k) => ({
        type: 'Feature',
        properties: { name, code: `h${k}` },
        geometry: { type: 'Polygon', coordinates: [[[x, y], [x + 0.035, y], [x + 0.035, y + 0.03], [x, y + 0.03], [x, y]]] },
      })),
    })),
  },
];

/** The payloads ran nothing: no flag, no element made from them. */
async function nothingRan(page, where) {
  const got = await page.evaluate(() => ({
    flag: window.__pwned ?? null,
    imgs: document.querySelectorAll('img[src="x"]').length,
    scripts: [...document.querySelectorAll('script')].filter((s) => s.textContent.includes('__pwned')).length,
  }));
  assert.deepEqual(got, { flag: null, imgs: 0, scripts: 0 }, where);
}

test('hostile names show literally in every view and run nothing; CSV downloads keep formulas as text', async () => {
  const { page, problems } = await openPage(env.context);
  // Zoom 14 over the hostile communities: their names are drawn as map labels.
  await page.goto(env.server.url + '?tab=data&home=121.4703,31.2291&view=121.475,31.23,14');
  await page.waitForSelector('#engine-status[data-loaded="true"]', { timeout: 60000 });
  await page.setInputFiles('#import-input', files);
  for (const f of files) {
    await page.waitForSelector(`.import-report[data-file="${f.name}"]`, { timeout: 30000 });
  }
  await nothingRan(page, 'after import');
  assert.ok((await page.locator('.import-report').allInnerTexts()).join('\n').includes(HOSTILE_FILE), 'the file name shows literally');
  // Map labels: the communities' names, as text.
  for (const name of [XSS, FORMULA, AT, SCRIPT]) {
    await page.waitForFunction(
      (t) => [...document.querySelectorAll('.sq-zone-label')].some((e) => e.textContent === t), name, { timeout: 30000 });
  }
  // The legend.
  await page.locator('#map-legend').evaluate((d) => { d.open = true; });
  await nothingRan(page, 'labels and legend');
  await screenshot(page, 'hostile-data');

  // Resident view: postings near home list the hostile titles as text.
  await page.click('#tab-nearby');
  await page.waitForFunction((t) => document.body.innerText.includes(t), XSS, { timeout: 30000 });
  await nothingRan(page, 'nearby');
  await screenshot(page, 'hostile-nearby');

  // Coverage: the report's units are the hostile communities; the gap table shows the names.
  await page.click('#tab-coverage');
  await page.waitForSelector('#cov-figures', { timeout: 60000 });
  await page.waitForFunction((t) => document.querySelector('#gap-table')?.innerText.includes(t), FORMULA, { timeout: 30000 });
  const row = page.locator('#gap-table tbody tr', { hasText: FORMULA }).first();
  await row.focus();
  await page.keyboard.press('Enter');
  await page.waitForSelector('#unit-card');
  assert.equal(await page.locator('#unit-card-title').innerText(), FORMULA);
  await nothingRan(page, 'coverage card');
  await screenshot(page, 'hostile-coverage');

  // The downloads: every hostile name is a quoted text cell with a leading apostrophe.
  for (const [button, columns] of [['#export-csv', ['name']], ['#export-points', ['id', 'community']]]) {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click(button)]);
    const text = (await readFile(await download.path(), 'utf8')).replace(/^\uFEFF/, '');
    const header = text.split('\n')[0].split(',');
    for (const c of columns) assert.ok(header.includes(c), `${button}: ${header}`);
    for (const name of [FORMULA, AT]) {
      assert.ok(text.includes(q(`'${name}`)), `${button}: ${name} kept as text`);
      assert.ok(!text.includes(`,${q(name)}`), `${button}: ${name} not written as a formula`);
    }
  }

  // Print view and the placement tab show the same literal names.
  await page.emulateMedia({ media: 'print' });
  await nothingRan(page, 'print');
  await screenshot(page, 'hostile-print');
  await page.emulateMedia({ media: 'screen' });
  await page.click('#tab-place');
  await nothingRan(page, 'place');
  // The resident view (what the embed shows): the postings list, literally.
  await page.click('#mode-switch');
  await page.waitForFunction((t) => document.body.innerText.includes(t), XSS, { timeout: 30000 });
  await nothingRan(page, 'resident view');
  // The share link is built from ids, never from names.
  assert.ok(!page.url().includes('__pwned'));
  assert.deepEqual(problems, []);
});

test('absurd URL values are ignored with a notice, the page works and nothing is fetched outside data/', async () => {
  const { page, problems } = await openPage(env.context);
  const requests = [];
  page.on('request', (r) => requests.push(new URL(r.url()).pathname));
  const sites = Array.from({ length: 10000 }, (_, k) => `c${k}~121.${String(k).padStart(6, '0')}~31.${String(k).padStart(6, '0')}`).join(';');
  // A 300 KB query is more than an HTTP server takes in a request line (the static server answers
  // 431), so the link is put in place before the app reads it, as a client-side navigation would.
  const query = `?view=NaN,1e308,99&pkg=../../etc&home=1e308,5&sites=${sites}&lang=en`;
  await page.addInitScript((q) => history.replaceState(null, '', location.pathname + q), query);
  await page.goto(env.server.url);
  await page.waitForSelector('#engine-status[data-loaded="true"]', { timeout: 60000 });
  const notice = await page.locator('#notice-banner').innerText();
  for (const k of ['view', 'pkg', 'home', 'sites']) {
    assert.match(notice, new RegExp(`The link's ${k} value is not valid and was ignored`));
  }
  // The default package opened; the map computes.
  await page.locator('#map').focus();
  await page.keyboard.press('Enter');
  await page.waitForSelector('#iso-figures', { timeout: 30000 });
  for (const p of requests) {
    assert.ok(!p.includes('..') && !p.includes('etc/'), `request ${p}`);
    if (p.endsWith('manifest.json') || p.endsWith('.geojson')) assert.ok(p.startsWith('/data/'), `request ${p}`);
  }
  await screenshot(page, 'hostile-url');
  assert.deepEqual(problems, []);
  await page.close();
  // In the planner's language: Chinese by default.
  const zhPage = await openPage(env.context);
  await zhPage.page.goto(env.server.url + '?pkg=../../etc&view=NaN,1e308,99');
  await zhPage.page.waitForSelector('#notice-banner', { timeout: 30000 });
  const zh = await zhPage.page.locator('#notice-banner').innerText();
  assert.match(zh, /链接中的参数 pkg 的值无效，已忽略/);
  assert.match(zh, /链接中的参数 view 的值无效，已忽略/);
  assert.deepEqual(zhPage.problems, []);
  await zhPage.page.close();
});

test('the embed shows hostile names from a package literally and runs nothing', async () => {
  const { page, problems } = await openPage(env.context);
  // The package's own postings file, as a compromised or careless publisher might ship it:
  // every posting near home gets a payload for a title or employer.
  const real = JSON.parse(await readFile(new URL('../static/data/shanghai-central/postings.geojson', import.meta.url), 'utf8'));
  const payloads = [XSS, SCRIPT, FORMULA, AT];
  real.features.forEach((f, k) => {
    f.properties.title = payloads[k % 4];
    f.properties.employer = payloads[(k + 1) % 4];
  });
  await page.route('**/data/shanghai-central/postings.geojson', (route) =>
    route.fulfill({ status: 200, contentType: 'application/geo+json', body: JSON.stringify(real) }));
  await page.goto(env.server.url + '?embed=1&home=121.4703,31.2291');
  // The embed hides the status line: wait for it in the DOM.
  await page.waitForSelector('#engine-status[data-loaded="true"]', { state: 'attached', timeout: 60000 });
  for (const t of [XSS, SCRIPT]) {
    await page.waitForFunction((x) => document.body.innerText.includes(x), t, { timeout: 30000 });
  }
  await nothingRan(page, 'embed');
  await page.getByText(XSS, { exact: false }).first().scrollIntoViewIfNeeded();
  await screenshot(page, 'hostile-embed');
  assert.deepEqual(problems, []);
  await page.close();
});

test("a package whose manifest lies: each lie is named in the planner's language, the other layers load", async () => {
  const { page, problems } = await openPage(env.context);
  const real = JSON.parse(await readFile(new URL('../static/data/shanghai-central/manifest.json', import.meta.url), 'utf8'));
  const index = (id) => real.layers.findIndex((l) => l.id === id);
  real.layers[index('stations')].count = 999; // the file has 35
  real.layers[index('postings')].crs = 'epsg:9999'; // no such coordinate system
  real.layers[index('candidates')].file = 'missing.geojson'; // not in the package
  await page.route('**/data/shanghai-central/manifest.json', (route) =>
    route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(real) }));
  await page.goto(env.server.url + '?tab=data');
  await page.waitForSelector('#engine-status[data-loaded="true"]', { timeout: 60000 });
  await page.waitForSelector('#error-banner li', { timeout: 30000 });
  const lines = await page.locator('#error-banner li').allInnerTexts();
  const all = lines.join('\n');
  for (const named of ['stations.geojson', '999', `layers[${index('postings')}] (crs)`, 'missing.geojson']) {
    assert.ok(all.includes(named), `the report names ${named}: ${all}`);
  }
  // In the planner's language: every line has Chinese in it.
  for (const line of lines) assert.match(line, /[\u4e00-\u9fff]/, `a Chinese line: ${line}`);
  // What did not lie loaded: the streets and the stations are listed with their counts.
  const body = await page.locator('body').innerText();
  assert.ok(body.includes('4,546'), 'the streets are loaded');
  await screenshot(page, 'hostile-lying-manifest');
  // The missing file's 404 is the only console error.
  assert.ok(problems.every((p) => /404/.test(p)), problems.join('\n'));
  await page.close();
});
