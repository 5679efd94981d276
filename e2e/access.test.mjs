// Supply–demand in the browser (issue 14): a walking profile and a standards preset change the
// figures and the map and go into the share link; the ratios table; the accessibility surface
// computed in the worker and drawn as a raster with its legend and exports; the 体检报告
// printed on A4 with the map; bad values (a custom speed of 0 or not a number, a cell size of 0
// or one giving more than 4 million cells) named, nothing half-computed shown; both languages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { withBrowser, openPage, screenshot, shots } from './harness.mjs';

const env = withBrowser();
const han = /[\u3400-\u9fff]/;

const pct = async (page, sel) => parseFloat((await page.locator(sel).innerText()).replace(/[^\d.]/g, ''));

/** Waits until the text of `sel` exists and differs from `before`. */
async function changed(page, sel, before) {
  await page.waitForFunction(([s, b]) => {
    const e = document.querySelector(s);
    return e && e.textContent !== b;
  }, [sel, before], { timeout: 60000 });
}

async function coverageReady(page, url) {
  await page.goto(url);
  await page.waitForSelector('#engine-status[data-loaded="true"]', { timeout: 30000 });
  await page.waitForSelector('#gap-table tbody tr', { timeout: 60000 });
}

/** Types into an input and fires its change event. */
async function typeIn(page, sel, value) {
  await page.fill(sel, value);
  await page.locator(sel).dispatchEvent('change');
}

test('access: profile and preset change the figures and the link; ratios; surface; report on A4; bad values named', async () => {
  const { page, problems } = await openPage(env.context);
  await coverageReady(page, `${env.server.url}?tab=coverage`);
  const dualText = await page.locator('#cov-dual').innerText();
  const dual = await pct(page, '#cov-dual');
  const mapBefore = await page.locator('#map .leaflet-sq-overlays-pane canvas').first().evaluate((c) => c.toDataURL());
  // The elderly walk slower: a smaller 双圈 share, re-computed in the worker, and the map's
  // coverage colouring (the analysis overlays' canvas) changes with it.
  await page.selectOption('#acc-profile', 'elderly');
  await changed(page, '#cov-dual', dualText);
  const dualOld = await pct(page, '#cov-dual');
  assert.ok(dualOld < dual, `elderly ${dualOld} < standard ${dual}`);
  await page.waitForFunction((b) => document.querySelector('#map .leaflet-sq-overlays-pane canvas')?.toDataURL() !== b, mapBefore, { timeout: 10000 });
  // GB 50180's 5-minute tier is stricter still; its citation is shown.
  const t2 = await page.locator('#cov-dual').innerText();
  await page.selectOption('#acc-standard', 'gb50180');
  await changed(page, '#cov-dual', t2);
  assert.ok((await pct(page, '#cov-dual')) <= dualOld);
  assert.match(await page.locator('#acc-citation').innerText(), /GB 50180-2018《城市居住区规划设计标准》/);
  // Both go into the share link.
  await page.waitForFunction(() => /walk=elderly/.test(location.search) && /std=gb50180/.test(location.search), null, { timeout: 5000 });
  // Ratios: one row per target, stations first.
  await page.click('#acc-run');
  await page.waitForSelector('#acc-table tbody tr', { timeout: 60000 });
  const targets = await page.locator('#acc-table tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.target));
  assert.equal(targets[0], 'station');
  assert.ok(targets.length >= 7, `targets ${targets}`);
  assert.equal(await page.locator('#acc-table caption').innerText(), '全域供需比（每千人的服务容量）');
  await page.locator('#access-panel').scrollIntoViewIfNeeded();
  await screenshot(page, 'access-panel');
  // The surface, computed in the worker, drawn on the map with its legend.
  await typeIn(page, '#surf-cell', '100');
  await page.click('#surf-run');
  await page.waitForSelector('#surf-summary', { timeout: 60000 });
  const ms = parseFloat(await page.locator('#surf-summary').getAttribute('data-ms'));
  assert.match(await page.locator('#surf-summary').innerText(), /^[\d,]+个网格，其中[\d,]+个不在路网上（留空）；耗时\d+毫秒$/);
  console.log(`surface shanghai-central 100 m, worker compute: ${ms} ms`);
  fs.mkdirSync(shots, { recursive: true });
  fs.appendFileSync(path.join(shots, 'access-surface-ms.txt'), `${ms}\n`);
  await page.waitForSelector('#surface-raster', { timeout: 10000 });
  assert.equal(await page.locator('#surface-legend .swatch').count(), 8); // 0–6 and blank
  // Blank cells are transparent pixels of the raster: the image has some, and some opaque ones.
  const alpha = await page.locator('#surface-raster').evaluate(async (img) => {
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.naturalWidth;
    c.height = img.naturalHeight;
    const ctx = c.getContext('2d');
    ctx.drawImage(img, 0, 0);
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    let clear = 0;
    let solid = 0;
    for (let i = 3; i < d.length; i += 4) (d[i] === 0 ? clear++ : solid++);
    return { clear, solid, w: c.width, h: c.height };
  });
  const [cells, blank] = (await page.locator('#surf-summary').innerText()).match(/[\d,]+/g).map((x) => +x.replace(/,/g, ''));
  assert.equal(alpha.w * alpha.h, cells);
  assert.equal(alpha.clear, blank, `transparent pixels ${alpha.clear} = blank cells ${blank}`);
  assert.ok(alpha.solid > 0);
  await page.locator('#surface-legend').scrollIntoViewIfNeeded();
  await screenshot(page, 'access-surface');
  // Minutes to the station: another legend, another image.
  const src = await page.locator('#surface-raster').getAttribute('src');
  await page.selectOption('#surf-layer', 't0');
  await page.waitForFunction((s) => document.querySelector('#surface-raster')?.getAttribute('src') !== s, src, { timeout: 10000 });
  assert.match(await page.locator('#surface-legend strong').innerText(), /到最近的步行分钟：就业服务站/);
  await screenshot(page, 'access-surface-minutes');
  // The surface exports record the standard on every row; blank cells are empty.
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#surf-csv')]);
  const csv = fs.readFileSync(await dl.path(), 'utf8');
  assert.ok(csv.startsWith('\uFEFFstandard,compounds,col,row,lon,lat,station_min'), csv.slice(0, 80));
  const rows = csv.trim().split('\n').slice(1);
  const bad = rows.filter((r) => !/^"?gb50180"?,"?closed"?,/.test(r));
  assert.ok(rows.length === cells && bad.length === 0, `${rows.length} rows, e.g. ${bad[0]}`);
  const [dg] = await Promise.all([page.waitForEvent('download'), page.click('#surf-geojson')]);
  const grid = JSON.parse(fs.readFileSync(await dg.path(), 'utf8'));
  assert.equal(grid.features.length, cells - blank, 'only the cells on the network');
  assert.ok(grid.features.every((f) => f.properties.standard === 'gb50180' && f.properties.compounds === 'closed'));
  assert.equal(grid.compounds, 'closed');
  // The 体检报告 of a community: printed on A4 next to the map at its extent.
  await page.locator('#gap-table tbody tr').nth(2).click();
  await page.waitForSelector('#checkup-report');
  const name = await page.locator('#gap-table tbody tr.selected th').innerText();
  assert.match(await page.locator('#report-title').innerText(), new RegExp(`体检报告 · ${name}`));
  assert.ok(await page.locator('#report-ratios tbody tr').count() >= 7);
  assert.match(await page.locator('#report-walker').innerText(), /老年人/);
  await page.evaluate(() => {
    window.__printed = [];
    window.print = () => window.__printed.push(document.documentElement.getAttribute('data-print'));
  });
  await page.click('#acc-print');
  await page.waitForFunction(() => window.__printed.length === 1, null, { timeout: 5000 });
  assert.deepEqual(await page.evaluate(() => window.__printed), ['report']);
  await page.evaluate(() => document.documentElement.setAttribute('data-print', 'report'));
  await page.emulateMedia({ media: 'print' });
  await page.setViewportSize({ width: 1123, height: 794 });
  assert.ok(await page.locator('#checkup-report').isVisible(), 'report printed');
  assert.ok(await page.locator('#map').isVisible(), 'map printed');
  assert.equal(await page.locator('#gap-table').isVisible(), false, 'the rest of the panel is not');
  assert.equal(await page.locator('#acc-controls').isVisible(), false);
  await screenshot(page, 'access-report-print');
  const pdf = await page.pdf({ format: 'A4', landscape: true, printBackground: true });
  const boxes = [...pdf.toString('latin1').matchAll(/\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/g)].map((m) => [+m[1], +m[2]]);
  assert.ok(boxes.length >= 1 && boxes.every(([w, h]) => Math.abs(w - 842) < 2 && Math.abs(h - 595) < 2), JSON.stringify(boxes));
  fs.writeFileSync(path.join(shots, 'access-report.pdf'), pdf);
  await page.emulateMedia({ media: 'screen' });
  await page.evaluate(() => document.documentElement.removeAttribute('data-print'));
  await page.setViewportSize({ width: 1280, height: 800 });
  // A cell size of 0 is named and the old surface goes: nothing half-computed is shown.
  await typeIn(page, '#surf-cell', '0');
  await page.click('#surf-run');
  await page.waitForSelector('#acc-error', { timeout: 10000 });
  assert.match(await page.locator('#acc-error').innerText(), /网格边长 0 米/);
  assert.equal(await page.locator('#surf-summary').count(), 0);
  assert.equal(await page.locator('#surface-raster').count(), 0);
  assert.equal(await page.locator('#acc-table').count(), 0);
  // Text being typed survives a re-render of its panel (here another layer chosen), and what
  // was not committed yet is what is committed: yew rewrites an input's value at each render.
  await page.fill('#surf-cell', '2');
  await page.selectOption('#surf-layer', 'gravity');
  await page.waitForFunction(() => document.querySelector('#surf-layer')?.value === 'gravity');
  assert.equal(await page.inputValue('#surf-cell'), '2', 'the typed cell size is kept');
  await page.selectOption('#surf-layer', 'within');
  // One giving more than 4 million cells: named too.
  await typeIn(page, '#surf-cell', '2');
  await page.click('#surf-run');
  await page.waitForFunction(() => /超过上限 4000000/.test(document.querySelector('#acc-error')?.textContent ?? ''), null, { timeout: 30000 }).catch(async (e) => {
    // Seen twice in CI-like runs and never when repeated: say what the page showed instead.
    const shown = { error: await page.locator('#acc-error').allInnerTexts(), cell: await page.locator('#surf-cell').inputValue(), busy: await page.locator('#surf-run').isDisabled(), notices: await page.locator('[role=alert], [role=status]').allInnerTexts() };
    await screenshot(page, 'access-too-many-cells-failed');
    assert.fail(`${e.message}; the page showed ${JSON.stringify(shown)}`);
  });
  await screenshot(page, 'access-error');
  // A custom speed: 0 and text that is not a number are named; no figures are shown for them.
  await page.selectOption('#acc-profile', 'custom');
  await page.waitForSelector('#acc-speed');
  await page.waitForSelector('#cov-figures', { timeout: 60000 });
  await typeIn(page, '#acc-speed', '0');
  await page.waitForSelector('#acc-speed-error');
  assert.match(await page.locator('#acc-speed-error').innerText(), /步行速度 0 米\/分钟无效/);
  assert.equal(await page.locator('#cov-figures').count(), 0);
  await typeIn(page, '#acc-speed', 'abc');
  await page.waitForFunction(() => /步行速度 NaN 米\/分钟无效/.test(document.querySelector('#acc-speed-error')?.textContent ?? ''), null, { timeout: 5000 });
  await page.click('#acc-run');
  await page.waitForFunction(() => /步行速度 NaN/.test(document.querySelector('#acc-error')?.textContent ?? ''), null, { timeout: 10000 });
  assert.equal(await page.locator('#cov-figures').count(), 0);
  assert.equal(await page.locator('#acc-table').count(), 0);
  assert.ok(!/walk=/.test(new URL(page.url()).search), 'a bad speed is not put in the link');
  // A good one runs again.
  await typeIn(page, '#acc-speed', '48');
  await page.waitForSelector('#cov-figures', { timeout: 60000 });
  assert.equal(await page.locator('#acc-speed-error').count(), 0);
  await page.waitForFunction(() => /walk=custom:48/.test(decodeURIComponent(location.search)), null, { timeout: 5000 });
  assert.deepEqual(problems, []);
});

test('access: a link carries the walker and the preset; bad values are ignored', async () => {
  const { page, problems } = await openPage(env.context);
  await coverageReady(page, `${env.server.url}?tab=coverage&walk=custom:48&std=mofcom2021`);
  assert.equal(await page.locator('#acc-profile').inputValue(), 'custom');
  assert.equal(await page.locator('#acc-speed').inputValue(), '48');
  assert.equal(await page.locator('#acc-standard').inputValue(), 'mofcom2021');
  assert.match(await page.locator('#acc-citation').innerText(), /商流通函〔2021〕176号/);
  await coverageReady(page, `${env.server.url}?tab=coverage&walk=0&std=gb50181`);
  assert.equal(await page.locator('#acc-profile').inputValue(), 'standard');
  assert.equal(await page.locator('#acc-standard').inputValue(), 'qingdao2025');
  assert.equal(await page.locator('#acc-speed').count(), 0);
  assert.deepEqual(problems, []);
});

/** The section's own words (not the data's names, not bare numbers). */
async function sectionTexts(page) {
  const texts = await page.locator([
    '#access-panel :is(h2, h3:not(#report-title), h4, caption, th[scope="col"], label, button, p.note, p.hint, #surf-summary, #surface-legend strong, dt, #acc-elderly, #report-shares th)',
    '#surface-legend div:nth-last-child(-n+2)',
    '#coverage-panel :is(#acc-citation, label:has(#acc-profile), label:has(#acc-standard))',
    ':is(#acc-profile, #acc-standard, #acc-method, #surf-layer) option',
  ].join(', ')).allInnerTexts();
  return texts.map((t) => t.trim()).filter((t) => t && !/^[\d\s.,–>≤%-]+$/.test(t));
}

test('access: every new string in Chinese; the elderly line from the package census shares', async () => {
  const { page, problems } = await openPage(env.context);
  await coverageReady(page, `${env.server.url}?tab=coverage&pkg=qingdao`);
  await page.click('#acc-run');
  await page.waitForSelector('#acc-table tbody tr', { timeout: 60000 });
  // Qingdao's manifest records 20.28 % aged 60+: the elderly line says so.
  assert.match(await page.locator('#acc-elderly').innerText(), /^60岁以上人口占20\.3%（约[\d,]+人）：按45米\/分步行/);
  await page.locator('#gap-table tbody tr').nth(0).click();
  await page.waitForSelector('#checkup-report #report-elderly-dual');
  await page.locator('#acc-elderly').scrollIntoViewIfNeeded();
  await screenshot(page, 'access-qingdao-zh');
  // Qingdao has no street network: the surface says why, in Chinese.
  await page.click('#surf-run');
  await page.waitForSelector('#acc-error', { timeout: 10000 });
  assert.match(await page.locator('#acc-error').innerText(), /可达性栅格需要步行路网/);
  await coverageReady(page, `${env.server.url}?tab=coverage`);
  await page.click('#acc-run');
  await page.waitForSelector('#acc-table tbody tr', { timeout: 60000 });
  await page.click('#surf-run');
  await page.waitForSelector('#surface-legend', { timeout: 60000 });
  await page.locator('#gap-table tbody tr').nth(0).click();
  await page.waitForSelector('#checkup-report');
  const texts = await sectionTexts(page);
  assert.ok(texts.length > 40, `${texts.length} texts`);
  for (const t of texts) assert.ok(han.test(t), `Chinese: ${t}`);
  assert.deepEqual(problems, []);
});

test('access: every new string in English; the report carries the placement suggestion', async () => {
  const { page, problems } = await openPage(env.context);
  // A placement first: the report lists its sites in build order.
  await page.goto(`${env.server.url}?lang=en&tab=place`);
  await page.waitForSelector('#engine-status[data-loaded="true"]', { timeout: 30000 });
  await page.waitForSelector('#place-panel');
  await typeIn(page, '#pl-k', '2');
  await page.click('#pl-run');
  await page.waitForSelector('#pl-results', { timeout: 60000 });
  await page.click('#tab-coverage');
  await page.waitForSelector('#gap-table tbody tr', { timeout: 60000 });
  assert.equal(await page.locator('#acc-heading').innerText(), 'Supply–demand and accessibility');
  await page.selectOption('#acc-standard', 'mofcom2021');
  assert.match(await page.locator('#acc-citation').innerText(), /MOFCOM/);
  await page.selectOption('#acc-method', 'e2sfca');
  await page.waitForSelector('#cov-figures', { timeout: 60000 });
  await page.click('#acc-run');
  await page.waitForSelector('#acc-table tbody tr', { timeout: 60000 });
  await page.click('#surf-run');
  await page.waitForSelector('#surf-summary', { timeout: 60000 });
  await page.locator('#gap-table tbody tr').nth(0).click();
  await page.waitForSelector('#checkup-report');
  const texts = await sectionTexts(page);
  assert.ok(texts.length > 40, `${texts.length} texts`);
  for (const t of texts) assert.ok(!han.test(t), `English: ${t}`);
  assert.match(await page.locator('#report-title').innerText(), /^Check-up report · /);
  const sites = await page.locator('#report-place li').allInnerTexts();
  assert.equal(sites.length, 2, JSON.stringify(sites));
  sites.forEach((t, i) => assert.match(t, new RegExp(`^${i + 1}\\. .+ \\(\\+[\\d,]+ people covered\\)$`)));
  await page.selectOption('#acc-profile', 'custom');
  // The speed field appears with the custom walker; once it is there, a bad value is named.
  await page.waitForSelector('#acc-speed');
  await typeIn(page, '#acc-speed', '0');
  await page.waitForSelector('#acc-speed[aria-invalid="true"]', { timeout: 60000 });
  assert.match(await page.locator('#acc-speed-error').innerText(), /Walking speed 0 m\/min is not valid/);
  await screenshot(page, 'access-en');
  assert.deepEqual(problems, []);
});
