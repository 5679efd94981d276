// The network as a scenario (issue 16): on the planner tab, draw a new path and close a street
// segment on the map; the isochrone and the coverage figures change; undo restores them; a
// reload restores the edits from storage; the share link carries them to a fresh browser. Bad
// edit files are refused by feature and field in both languages, nothing applied; the
// comparison computes each side on its own scenario's network.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { withBrowser, openPage, screenshot, launch, cli, root } from './harness.mjs';

const env = withBrowser();

// A street vertex in central Shanghai (a residential street by People's Square), and another
// street vertex ≈ 265 m north-west of it: the new path joins them.
const A = [121.475525, 31.2316356];
const B = [121.4741096, 31.2337049];
const ZOOM = 17;
const query = `?view=${A[0]},${A[1]},${ZOOM}&home=${A[0]},${A[1]}`;

/** Pixel offset of a point from the map centre (Web Mercator at ZOOM). */
function offset(p, c = A) {
  const scale = 256 * 2 ** ZOOM;
  const merc = (lat) => Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360));
  return [((p[0] - c[0]) / 360) * scale, ((merc(c[1]) - merc(p[1])) / (2 * Math.PI)) * scale];
}

async function clickAt(page, p, nudge = [0, 0]) {
  const box = await page.locator('#map').boundingBox();
  const [dx, dy] = offset(p);
  await page.mouse.click(box.x + box.width / 2 + dx + nudge[0], box.y + box.height / 2 + dy + nudge[1]);
}

/** The isochrone: its figures (band areas, reached nodes; not the compute time) and the drawn
 * polygons (SVG path data, same view). */
const ISO = () =>
  (document.querySelector('#iso-figures')?.innerText ?? '').split('\n').filter((l) => !/ms$/.test(l)).join('|') +
  ' | ' +
  [...document.querySelectorAll('.leaflet-overlay-pane svg path.isochrone')].map((e) => e.getAttribute('d')).join(' ');

async function areas(page) {
  await page.click('#tab-iso');
  await page.waitForSelector('#iso-figures', { timeout: 30000 });
  return page.evaluate(ISO);
}

/** The coverage assessment's shares and its per-point times (the points CSV export). */
async function coverage(page) {
  await page.click('#tab-coverage');
  await page.waitForSelector('#cov-figures', { timeout: 60000 });
  const shares = (
    await Promise.all(['#cov-employment', '#cov-convenience', '#cov-dual'].map((id) => page.locator(id).innerText()))
  ).join(' ');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-points')]);
  const points = await readFile(await download.path(), 'utf8');
  return { shares, points };
}

/** Waits until the isochrone figures are those of `want` (a late answer on the old network is
 * replaced). The drawn polygons are left out: after a reload the view's pixel origin differs. */
async function areasBecome(page, want) {
  await page.click('#tab-iso');
  await page.waitForFunction(
    (w) =>
      (document.querySelector('#iso-figures')?.innerText ?? '').split('\n').filter((l) => !/ms$/.test(l)).join('|') ===
      w.split(' | ')[0],
    want,
    { timeout: 30000 },
  );
  return want;
}

/** Waits until the isochrone figures differ from `prev` (the worker re-ran on the new network). */
async function areasChangedFrom(page, prev) {
  await page.click('#tab-iso');
  await page.waitForFunction(
    (p) =>
      document.querySelectorAll('#iso-figures .band-area').length === 3 &&
      (document.querySelector('#iso-figures')?.innerText ?? '').split('\n').filter((l) => !/ms$/.test(l)).join('|') +
        ' | ' +
        [...document.querySelectorAll('.leaflet-overlay-pane svg path.isochrone')].map((e) => e.getAttribute('d')).join(' ') !==
        p,
    prev,
    { timeout: 30000 },
  );
  return areas(page);
}

/** Waits for the package, opens the planner tab and waits for `n` network edits listed. */
async function editsLoaded(page, n) {
  await page.waitForSelector('#engine-status[data-loaded="true"]', { timeout: 30000 });
  await page.click('#tab-place');
  await page.waitForFunction((k) => document.querySelectorAll('#net-list li').length === k, n, { timeout: 30000 });
}

test('draw a path and close a segment: isochrone and coverage change, undo, storage, link', async () => {
  const { page, problems } = await openPage(env.context);
  await page.goto(env.server.url + query);
  await page.waitForSelector('#engine-status[data-loaded="true"]', { timeout: 30000 });
  const iso0 = await areas(page);
  const cov0 = await coverage(page);

  // The planner tab: compound setting stated, no edits yet.
  await page.click('#tab-place');
  await page.waitForSelector('#net-heading');
  assert.match(await page.locator('#net-compounds-note').innerText(), /封闭小区不可穿行/);
  await page.waitForSelector('#net-none');

  // Draw a path from A to B: the tool marks the map, the draft is drawn, then the path.
  await page.click('#net-draw');
  await page.waitForSelector('#map[data-drawing="true"], .leaflet-container[data-drawing="true"]');
  await clickAt(page, A, [6, 0]);
  await clickAt(page, B);
  await page.waitForFunction(() => document.querySelectorAll('path.net-edit').length >= 1);
  await screenshot(page, 'network-tool-drawing');
  await page.click('#net-finish');
  await page.waitForSelector('#net-list li[data-edit="add_path"]');
  await screenshot(page, 'network-path-drawn');
  await page.waitForSelector('#net-info', { timeout: 30000 });
  const iso1 = await areasChangedFrom(page, iso0);
  await page.click('#tab-place');
  await page.click('#net-stop');

  // Close the street segment at A.
  await page.click('#net-close');
  await clickAt(page, A, [-8, 0]);
  await page.waitForFunction(() => document.querySelectorAll('#net-list li').length === 2, null, { timeout: 30000 });
  const iso2 = await areasChangedFrom(page, iso1);
  await page.click('#tab-place');
  await page.click('#net-stop');
  const info = await page.locator('#net-info').innerText();
  const ms = parseFloat(info.match(/（([\d.]+) 毫秒）/)?.[1] ?? 'NaN');
  assert.ok(ms >= 0 && ms < 1000, `switch time reported: ${info}`);
  await screenshot(page, 'network-edits');
  const cov2 = await coverage(page);
  await screenshot(page, 'network-coverage');
  assert.match(await page.locator('#coverage-panel .net-line').innerText(), /路网编辑 2 处/);
  assert.notEqual(cov2.points, cov0.points, 'the per-point walking times change with the edited network');

  // Undo both edits: the isochrone is the original one again.
  await page.click('#tab-place');
  await page.click('#scn-undo');
  await page.click('#scn-undo');
  await page.waitForSelector('#net-none');
  await areasBecome(page, iso0);
  assert.deepEqual(await coverage(page), cov0);

  // Redo, then reload: the edits come back from storage.
  await page.click('#tab-place');
  await page.click('#scn-redo');
  await page.click('#scn-redo');
  await page.waitForFunction(() => document.querySelectorAll('#net-list li').length === 2);
  await areasChangedFrom(page, iso0);
  const link = page.url();
  assert.match(link, /net=p~/, `the link carries the edits: ${link}`);
  await page.reload();
  await editsLoaded(page, 2);
  await areasBecome(page, iso2);
  await screenshot(page, 'network-isochrone-changed');
  assert.deepEqual(problems, []);

  // A fresh browser (empty storage) opening the share link gets the same edited network.
  const other = await launch();
  try {
    const { page: p2, problems: pr2 } = await openPage(other);
    await p2.goto(link);
    await editsLoaded(p2, 2);
    await areasBecome(p2, iso2);
    await screenshot(p2, 'network-edits-from-link');
    assert.deepEqual(pr2, []);
  } finally {
    await other.close();
  }
});

/** The planner tab on a page whose stored scenarios were cleared (the tests share a browser). */
async function openClean() {
  const opened = await openPage(env.context);
  const { page } = opened;
  // The pages of earlier tests are closed first: an open page keeps its scenarios and, as
  // another tab of this browser, would merge its edits back into the cleared storage (two tabs
  // never lose an edit, e2e/tabs.test.mjs).
  for (const p of env.context.pages()) if (p !== page) await p.close();
  await page.goto(env.server.url + query + '&tab=place');
  await page.waitForSelector('#engine-status[data-loaded="true"]', { timeout: 30000 });
  await page.evaluate(() => localStorage.clear());
  // Not a reload: the page has written the stored scenario's edits into its URL (net=).
  await page.goto(env.server.url + query + '&tab=place');
  await page.waitForSelector('#engine-status[data-loaded="true"]', { timeout: 30000 });
  await page.waitForSelector('#net-none');
  return opened;
}

/** Imports an edits file through the planner panel's file input. */
async function importEdits(page, name, doc) {
  await page.setInputFiles('#net-import', {
    name,
    mimeType: 'application/geo+json',
    buffer: Buffer.from(typeof doc === 'string' ? doc : JSON.stringify(doc)),
  });
}

const feature = (edit, type, coordinates) => ({ type: 'Feature', properties: { edit }, geometry: { type, coordinates } });

test('bad edit files are named by feature and field in both languages, nothing applied', async () => {
  const { page, problems } = await openClean();
  const ok = feature('gate_open', 'Point', A);
  // 0.018° of latitude (≈ 2 km) north of the package's northernmost street vertex.
  const far = feature('gate_open', 'Point', [121.4859682, 31.2785296 + 0.018]);
  const cases = [
    ['unknown.geojson', { type: 'FeatureCollection', features: [ok, feature('demolish', 'Point', A)] },
      /features\[1\] 的 edit 字段：“demolish”不是编辑类型/, /features\[1\], field edit: "demolish" is not an edit/],
    ['one-point.geojson', { type: 'FeatureCollection', features: [feature('add_path', 'LineString', [A])] },
      /features\[0\] 的 geometry 字段：线至少需要两个不同的点，这条只有 1 个/, /features\[0\], field geometry: a line needs at least two distinct points, this one has 1/],
    ['far.geojson', { type: 'FeatureCollection', features: [ok, far] },
      /features\[1\] 的 geometry 字段：距最近的步行道路 (19|20)\d\d 米/, /features\[1\], field geometry: (19|20)\d\d m from the nearest walkable street/],
    ['future.geojson', { type: 'FeatureCollection', version: 99, features: [ok] },
      /要素集合的 version 字段：文件版本 99 比本应用能读的版本（1）新/, /the collection, field version: version 99 is newer than this app reads \(1\)/],
  ];
  for (const [name, doc, zh, en] of cases) {
    await importEdits(page, name, doc);
    await page.waitForFunction((n) => document.querySelector('#net-notice[data-failed]')?.innerText.includes(n), name, { timeout: 30000 });
    const text = await page.locator('#net-notice').innerText();
    assert.match(text, zh, text);
    if (name === 'far.geojson') {
      await page.locator('#net-notice').scrollIntoViewIfNeeded();
      await screenshot(page, 'network-bad-file-zh');
    }
    assert.ok(text.includes('未应用任何路网编辑'), text);
    // Nothing was applied: still no edits, and the link carries none.
    assert.equal(await page.locator('#net-none').count(), 1);
    assert.doesNotMatch(page.url(), /net=/);
    await page.click('#lang-switch');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    const textEn = await page.locator('#net-notice').innerText();
    assert.match(textEn, en, textEn);
    assert.ok(!/[\u4e00-\u9fff]/.test(textEn), textEn);
    if (name === 'far.geojson') {
      await page.locator('#net-notice').scrollIntoViewIfNeeded();
      await screenshot(page, 'network-bad-file-en');
    }
    await page.click('#lang-switch');
    await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
  }
  // A good file applies, as one undoable step.
  await importEdits(page, 'good.geojson', { type: 'FeatureCollection', crossing_delay_s: 15, features: [ok] });
  await page.waitForSelector('#net-list li[data-edit="gate_open"]', { timeout: 30000 });
  assert.match(page.url(), /net=d~15;o~/);
  await page.click('#scn-undo');
  await page.waitForSelector('#net-none');
  assert.deepEqual(problems, []);
});

test('the comparison computes each scenario on its own network', async () => {
  const { page, problems } = await openClean();
  // Scenario B: compounds open, every street with a vertex within 300 m of a station closed
  // (an edits file built from the package's own streets: each way's line lies along the
  // network), and one more segment closed on the map.
  // The package keeps its streets as OSM PBF: the CLI writes them out as GeoJSON.
  const pbf = path.join(root, 'static/data/shanghai-central/streets.osm.pbf');
  const streetsText = execFileSync(cli(), ['convert', '--from', 'wgs84', '--to', 'wgs84', pbf, '-o', '-'], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  const closures = await page.evaluate(async (streets) => {
    const stations = await (await fetch('data/shanghai-central/stations.geojson')).json();
    const near = (c) => stations.features.some((s) => {
      const [x, y] = s.geometry.coordinates;
      const dx = (c[0] - x) * 111320 * Math.cos((y * Math.PI) / 180);
      const dy = (c[1] - y) * 110540;
      return dx * dx + dy * dy < 300 * 300;
    });
    return streets.features
      .filter((f) => f.geometry.type === 'LineString' && f.geometry.coordinates.some(near))
      .map((f) => ({ type: 'Feature', properties: { edit: 'close' }, geometry: f.geometry }));
  }, JSON.parse(streetsText));
  assert.ok(closures.length > 10, `${closures.length} streets near stations`);
  await page.click('#scn-new');
  await page.waitForSelector('#net-none');
  await page.selectOption('#net-compounds', 'open');
  await importEdits(page, 'near-stations.geojson', { type: 'FeatureCollection', features: closures });
  await page.waitForFunction((n) => document.querySelectorAll('#net-list li').length === n, closures.length, { timeout: 60000 });
  await page.click('#net-close');
  await clickAt(page, A, [-8, 0]);
  await page.waitForFunction((n) => document.querySelectorAll('#net-list li').length === n, closures.length + 1, { timeout: 30000 });
  await page.click('#net-stop');
  await screenshot(page, 'network-many-closures');
  const shares = async () => {
    await page.click('#tab-coverage');
    await page.waitForSelector('#cov-figures', { timeout: 60000 });
    const s = await Promise.all(['#cov-employment', '#cov-convenience', '#cov-dual'].map((id) => page.locator(id).innerText()));
    await page.click('#tab-place');
    return s;
  };
  // The oracle: each side of the comparison equals the coverage figures with that scenario active.
  const sharesB = await shares();
  await page.selectOption('#scn-select', { index: 0 });
  await page.waitForSelector('#net-none');
  const sharesA = await shares();
  await page.selectOption('#cmp-a', '0');
  await page.selectOption('#cmp-b', '1');
  await page.click('#cmp-run');
  await page.waitForFunction(() => {
    const t = document.querySelector('#cmp-table')?.innerText ?? '';
    return t.length > 0 && !t.includes('…');
  }, null, { timeout: 60000 });
  const rows = await page.$$eval('#cmp-table tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.innerText)));
  // Rows: added, stations, employment, convenience, dual, lacking, network.
  assert.deepEqual([rows[2][0], rows[3][0], rows[4][0]], sharesA);
  assert.deepEqual([rows[2][1], rows[3][1], rows[4][1]], sharesB);
  // B's closures cut the stations off: its employment circle is smaller.
  assert.ok(parseFloat(sharesB[0]) < parseFloat(sharesA[0]), `${sharesA} vs ${sharesB}`);
  assert.match(rows[6][0], /不可穿行.*编辑 0 处/);
  assert.match(rows[6][1], new RegExp(`可穿行（所有人）.*编辑 ${closures.length + 1} 处`));
  await screenshot(page, 'network-compare');
  assert.deepEqual(problems, []);
});

test('switching between two scenarios with edits: the cost in the worker is reported', async () => {
  const { page, problems } = await openClean();
  // Two scenarios, each with its own edits (a gate opened; a path drawn).
  await page.click('#net-gate-open');
  await clickAt(page, A);
  await page.waitForSelector('#net-list li[data-edit="gate_open"]', { timeout: 30000 });
  await page.click('#scn-new');
  await page.waitForSelector('#net-none');
  await page.click('#net-draw');
  await clickAt(page, A, [6, 0]);
  await clickAt(page, B);
  await page.click('#net-finish');
  await page.waitForSelector('#net-list li[data-edit="add_path"]', { timeout: 30000 });
  await page.click('#net-stop');
  const ms = [];
  for (let i = 0; i < 10; i++) {
    const before = Number(await page.locator('#net-info').getAttribute('data-switches'));
    await page.selectOption('#scn-select', { index: i % 2 });
    await page.waitForFunction((b) => Number(document.querySelector('#net-info')?.dataset.switches) > b, before, { timeout: 30000 });
    ms.push(Number(await page.locator('#net-info').getAttribute('data-ms')));
  }
  ms.sort((a, b) => a - b);
  // A figure for BENCHMARKS.md, not a timing assert.
  console.log(`scenario switch in the worker (shanghai-central, 10 switches): median ${ms[5].toFixed(2)} ms, max ${ms[9].toFixed(2)} ms`);
  assert.ok(ms.every((x) => Number.isFinite(x) && x >= 0));
  assert.deepEqual(problems, []);
});

test('gates: a closed gate stops walking through it, opening it lets everyone pass again', async () => {
  const { page, problems } = await openClean();
  const iso0 = await areas(page);
  await page.click('#tab-place');
  await page.click('#net-gate-closed');
  await clickAt(page, B);
  await page.waitForSelector('#net-list li[data-edit="gate_closed"]', { timeout: 30000 });
  await page.click('#net-stop');
  const gated = await areasChangedFrom(page, iso0);
  await screenshot(page, 'network-gate-closed');
  // The same gate opened: everyone passes, the first isochrone again.
  await page.click('#tab-place');
  await page.click('#net-gate-open');
  await clickAt(page, B);
  await page.waitForSelector('#net-list li[data-edit="gate_open"]', { timeout: 30000 });
  await page.click('#net-stop');
  await areasBecome(page, iso0);
  // The compound setting is stated under the analysis and kept with the scenario.
  await page.click('#tab-place');
  await page.selectOption('#net-compounds', 'open');
  await page.click('#tab-iso');
  assert.match(await page.locator('#iso-panel .net-line').innerText(), /可穿行（所有人）；路网编辑 2 处/);
  // Undo the setting and the opening: the gate holds again.
  await page.click('#tab-place');
  await page.click('#scn-undo');
  await page.click('#scn-undo');
  await page.waitForFunction(() => document.querySelectorAll('#net-list li').length === 1);
  await areasBecome(page, gated);
  assert.match(await page.locator('#iso-panel .net-line').innerText(), /不可穿行（仅居民）；路网编辑 1 处/);
  assert.deepEqual(problems, []);
});

test('a share link whose net= is partly unreadable: the rest is used, the page says so', async () => {
  const { page, problems } = await openClean();
  const net = `p~${A[0]}~${A[1]}~${B[0]}~${B[1]};zz~1~2;x~oops`;
  await page.goto(env.server.url + query + `&tab=place&net=${net}`);
  await page.waitForSelector('#engine-status[data-loaded="true"]', { timeout: 30000 });
  await page.waitForSelector('#net-list li[data-edit="add_path"]', { timeout: 30000 });
  assert.equal(await page.locator('#net-list li').count(), 1);
  assert.match(await page.locator('#error-banner').innerText(), /链接中的路网编辑（net=）有无法读取的部分/);
  assert.deepEqual(problems, []);
});

test('a scenario file whose edits do not fit the network: said on every tab, the analyses keep the last network', async () => {
  const { page, problems } = await openClean();
  const iso0 = await areas(page);
  await page.click('#tab-place');
  const file = {
    format: 'shuangquan-scenarios', version: 2, package: 'shanghai-central', active: 0,
    scenarios: [{ name: 'far', sites: [], compounds: 'closed',
      network: { crossing_delay_s: 0, edits: [{ edit: 'gate_open', at_wgs84: { lon: 121.4859682, lat: 31.2965296 } }] } }],
  };
  await page.setInputFiles('#scn-import', { name: 'far-scenarios.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(file)) });
  await page.waitForSelector('#net-list li[data-edit="gate_open"]', { timeout: 30000 });
  await page.waitForSelector('#net-notice[data-failed]', { timeout: 30000 });
  assert.match(await page.locator('#net-notice').innerText(), /features\[0\] 的 geometry 字段：距最近的步行道路 (19|20)\d\d 米/);
  assert.match(await page.locator('#error-banner').innerText(), /未应用任何路网编辑/);
  // The isochrone is still the one of the last network that applied.
  await areasBecome(page, iso0);
  assert.deepEqual(problems, []);
});
