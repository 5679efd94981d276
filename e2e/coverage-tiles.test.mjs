// Coverage colours and street clicks on the worker's tiles (issue 13: "a feature from the
// farthest tile is drawn and clickable"). A 3 × 3 scale fixture (e2e/tiled.mjs: the real 新街口
// streets repeated side by side; never a place) is dropped on the package with demand points in
// its FARTHEST copy, kilometres from any facility or station of the package: the coverage
// answer colours each of them on the demand tiles in the legend's colour of "every category
// missing" (read from the tile canvas's pixel), the tiles count every one of them (no
// truncation), and a click on a named street of that copy names it beside the isochrone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { withBrowser, openPage, screenshot, root, clickWhenShown } from './harness.mjs';
import { tiledExtract, parseOsm } from './tiled.mjs';

const env = withBrowser();
const N = 3;
const GAP = 0.001; // tiled.mjs's gap between copies
const FAR_POINTS = 300;
const BASE_SIX = ['store', 'breakfast', 'market', 'repair', 'elderly', 'childcare'];

/** Web-Mercator world pixels at zoom z (the standard formula, written out as the oracle). */
function worldPx([lon, lat], z) {
  const s = 256 * 2 ** z;
  const r = (lat * Math.PI) / 180;
  return [((lon + 180) / 360) * s, ((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * s];
}

/** Metres from p to the segment a–b (equirectangular, fine at street scale). */
function segMetres(p, a, b) {
  const k = Math.cos((p[1] * Math.PI) / 180) * 111320;
  const q = (v) => [(v[0] - p[0]) * k, (v[1] - p[1]) * 110540];
  const [A, B] = [q(a), q(b)];
  const [dx, dy] = [B[0] - A[0], B[1] - A[1]];
  const l2 = dx * dx + dy * dy;
  const t = l2 > 0 ? Math.max(0, Math.min(1, -(A[0] * dx + A[1] * dy) / l2)) : 0;
  return Math.hypot(A[0] + t * dx, A[1] + t * dy);
}

/** A named street's segment midpoint near `centre` with no street of another name (or none) within 12 m (≈ 6 px at zoom 16): { p, name }. */
function namedStreetNear(osm, shift, centre) {
  const named = osm.ways
    .map((w) => ({ name: w.tags.find(([k]) => k === 'name')?.[1], pts: w.refs.map((r) => osm.nodes.get(r)).map(([x, y]) => [x + shift[0], y + shift[1]]) }));
  const candidates = [];
  for (const w of named) {
    if (!w.name) continue;
    for (let i = 1; i < w.pts.length; i++) {
      const [a, b] = [w.pts[i - 1], w.pts[i]];
      if (segMetres(a, b, b) < 40) continue; // the segment's length
      candidates.push({ p: [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2], name: w.name });
    }
  }
  candidates.sort((x, y) => Math.hypot(x.p[0] - centre[0], x.p[1] - centre[1]) - Math.hypot(y.p[0] - centre[0], y.p[1] - centre[1]));
  for (const c of candidates.slice(0, 2000)) {
    const other = named
      .filter((w) => w.name !== c.name)
      .some((w) => w.pts.some((_, i) => i > 0 && segMetres(c.p, w.pts[i - 1], w.pts[i]) < 12));
    if (!other) return c;
  }
  return null;
}

test('coverage colours every demand point of the farthest tile on its tiles, and a street click there names the street', async () => {
  const { file, tile } = await tiledExtract('data/sources/nanjing/nanjing_xinjiekou.osm', N);
  const manifest = JSON.parse(await readFile(path.join(root, 'static/data/nanjing-xinjiekou/manifest.json'), 'utf8'));
  const [lon0, lat0] = manifest.center_wgs84;
  const shift = [(N - 1) * tile.width * (1 + GAP), (N - 1) * tile.height * (1 + GAP)];
  const far = [lon0 + shift[0], lat0 + shift[1]];
  // Demand points within ±0.002° of the far centre (seeded).
  let seed = 11;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const rows = Array.from({ length: FAR_POINTS }, (_, k) => `far${k},${(far[0] + (rand() - 0.5) * 0.004).toFixed(6)},${(far[1] + (rand() - 0.5) * 0.004).toFixed(6)},10`);
  const demand = path.join(root, 'target', 'e2e', 'demand-far.csv');
  await mkdir(path.dirname(demand), { recursive: true });
  await writeFile(demand, ['id,lon,lat,population', ...rows].join('\n') + '\n');

  const { page, problems } = await openPage(env.context);
  const workers = [];
  page.on('worker', (w) => workers.push(w));
  const view = [far[0].toFixed(5), far[1].toFixed(5)].map(Number);
  await page.goto(`${env.server.url}?pkg=nanjing-xinjiekou&lang=zh&view=${view[0]},${view[1]},16`);
  await page.waitForSelector('#engine-status[data-loaded="true"]', { timeout: 30000 });
  await page.click('#tab-data');
  await page.setInputFiles('#import-input', file);
  await page.waitForSelector('.import-report', { timeout: 120000 });
  await page.setInputFiles('#import-input', demand);
  await page.waitForSelector('.import-report[data-file="demand-far.csv"]', { timeout: 60000 });

  // Coverage: the far demand tiles come back painted (a positive signal: data-painted).
  await page.click('#tab-coverage');
  await page.waitForSelector('#cov-figures', { timeout: 60000 });
  // Functions, not strings: a string predicate is evaluated in the page, which the app's CSP
  // (no 'unsafe-eval') refuses once the wait has to poll.
  // The painted demand tiles at the map's zoom, each its points per class; with `want`, whether
  // they count `want` points in all ('none': no painted tile at all).
  const PAINTED = (want) => {
    const z = document.querySelector('#map').dataset.zoom + '/';
    const seen = new Map();
    for (const c of document.querySelectorAll('canvas.sq-points[data-source="Demand-1"][data-painted]')) if (c.dataset.tile.startsWith(z)) seen.set(c.dataset.tile, c.dataset.classPoints.split(',').map(Number));
    const tiles = [...seen.values()];
    if (want === undefined) return tiles;
    return want === 'none' ? tiles.length === 0 : tiles.flat().reduce((a, b) => a + b, 0) === want;
  };
  await page.waitForFunction(PAINTED, FAR_POINTS, { timeout: 60000 }).catch(async () => {
    assert.fail(`points coloured on the tiles: ${JSON.stringify(await page.evaluate(PAINTED))} (want ${FAR_POINTS})`);
  });
  // The oracle: the app's own per-point export says these points reach nothing within the
  // horizon and are outside the employment circle, so each is "6 missing" (class 6 of 14).
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#export-points')]);
  const csv = (await readFile(await dl.path(), 'utf8')).replace(/^\uFEFF/, '').trim().split('\n').map((l) => l.split(','));
  const unq = (v) => v.replace(/"/g, "");
  const head = csv[0];
  const far_ = csv.slice(1).filter((r) => r[head.indexOf('id')].replace(/"/g, '').startsWith('far'));
  assert.equal(far_.length, FAR_POINTS, 'every far point assessed');
  for (const r of far_) {
    assert.equal(r[head.indexOf('employment')].replace(/"/g, ''), 'false');
    for (const c of BASE_SIX) assert.equal(r[head.indexOf(`${c}_s`)].replace(/"/g, ''), '', `${c} beyond the horizon`);
  }
  const perClass = (await page.evaluate(PAINTED)).reduce((a, h) => a.map((v, k) => v + (h[k] ?? 0)), new Array(14).fill(0));
  assert.equal(perClass[6], FAR_POINTS, `every far point in class "6 missing, outside": ${perClass}`);
  // The pixel under a single point of the farthest tile is the legend's colour for 6.
  const sample = await page.evaluate(() => {
    const c = [...document.querySelectorAll('canvas.sq-points[data-source="Demand-1"][data-sample]')].find((c) => c.dataset.tile.startsWith(document.querySelector('#map').dataset.zoom + '/'));
    if (!c) return null;
    const [x, y, colour] = c.dataset.sample.split(',');
    const k = c.width / 256;
    // A tile canvas shows a bitmap (map/bitmap.rs): read it through a 2-D canvas of our own.
    const s = document.createElement('canvas');
    s.width = c.width;
    s.height = c.height;
    s.getContext('2d').drawImage(c, 0, 0);
    const px = s.getContext('2d').getImageData(Math.round(Number(x) * k), Math.round(Number(y) * k), 1, 1).data;
    const swatches = [...document.querySelectorAll('#cov-legend .swatch')];
    return { rgb: [px[0], px[1], px[2]], alpha: px[3], colour, legend: getComputedStyle(swatches[swatches.length - 1]).backgroundColor };
  });
  assert.ok(sample, 'a single point drawn on a far demand tile');
  assert.equal(sample.alpha, 255, 'the pixel is drawn');
  assert.equal(`rgb(${sample.rgb.join(', ')})`, sample.legend, `pixel ${sample.rgb} = the legend's "6 missing" ${sample.legend}`);
  await screenshot(page, 'coverage-tiles-far');

  // The map says what the colours count at this zoom.
  assert.match(await page.locator('#map-points-note').innerText(), /需求点/);

  // A click on a named street of the farthest copy: the isochrone from there, and the street.
  const osm = parseOsm(await readFile(path.join(root, 'data/sources/nanjing/nanjing_xinjiekou.osm'), 'utf8'));
  const target = namedStreetNear(osm, shift, far);
  assert.ok(target, 'a named street in the farthest copy');
  await page.click('#tab-iso');
  const box = await page.locator('#map').boundingBox();
  const z = Number(await page.evaluate(() => document.querySelector('#map').dataset.zoom));
  const [cx, cy] = worldPx(view, z);
  const [tx, ty] = worldPx(target.p, z);
  const at = [box.x + box.width / 2 + (tx - cx), box.y + box.height / 2 + (ty - cy)];
  assert.ok(at[0] > box.x + 20 && at[0] < box.x + box.width - 20 && at[1] > box.y + 20 && at[1] < box.y + box.height - 20, `the street is in view: ${at}`);
  const before = await page.evaluate(() => document.querySelector('#iso-figures, #iso-off-network')?.dataset.seq ?? '');
  await page.mouse.click(at[0], at[1]);
  await page.waitForSelector('#street-info', { timeout: 30000 });
  assert.equal(await page.locator('#street-info-name').innerText(), target.name);
  assert.match(await page.locator('#street-info').innerText(), /长度 [\d,]+ 米/);
  await page.waitForFunction((prev) => {
    const el = document.querySelector('#iso-figures, #iso-off-network');
    return el && el.dataset.seq !== prev;
  }, before, { timeout: 30000 });
  assert.equal(await page.locator('#iso-figures').count(), 1, 'and the isochrone from the click, on the network');
  await screenshot(page, 'coverage-tiles-street');

  // A second assessment, cancelled while it runs: the worker that painted the tiles is
  // terminated, and the one that takes over must paint them by the answer the panel still
  // shows (the tiles are cut again when the coverage tab opens).
  await page.click('#tab-coverage');
  await page.waitForSelector('#engine-status[data-standby="true"]', { timeout: 120000 });
  const computing = workers.length - 2; // the active worker (the last one is the standby)
  const terminated = new Promise((resolve) => workers[computing].on('close', resolve));
  await clickWhenShown(page, '#cov-cancel');
  await page.click('#cov-run');
  await page.waitForSelector('#cov-cancelled', { timeout: 30000 });
  await terminated;
  assert.equal(await page.locator('#cov-figures').count(), 1, 'the first answer is still shown');
  await page.click('#tab-iso');
  await page.waitForFunction(PAINTED, 'none', { timeout: 30000 });
  await page.click('#tab-coverage');
  await page.waitForFunction(PAINTED, FAR_POINTS, { timeout: 60000 }).catch(async (e) => {
    assert.fail(`after the cancel, points coloured on the tiles: ${JSON.stringify(await page.evaluate(PAINTED))} (want ${FAR_POINTS}): ${e.message}`);
  });
  const again = (await page.evaluate(PAINTED)).reduce((a, h) => a.map((v, k) => v + (h[k] ?? 0)), new Array(14).fill(0));
  assert.equal(again[6], FAR_POINTS, `after the cancel, every far point still in class "6 missing, outside": ${again}`);
  assert.deepEqual(problems, []);
});
