// A multi-tile extract dropped on a package (issue 13: the whole city on the map): the map is
// opened on the FARTHEST copy of a 3 × 3 scale fixture (e2e/tiled.mjs: the real 新街口 streets
// repeated side by side; a benchmark shape, never a place). Before the drop nothing is drawn
// there and a click is off the package's network; after it, that tile's streets are on the
// streets canvas and a click there gets network isochrones; the banners and the data tab
// describe the imported network.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { withBrowser, openPage, screenshot, root } from './harness.mjs';
import { tiledExtract } from './tiled.mjs';

const env = withBrowser();
const N = 3;

/**
 * Non-transparent pixels on the visible streets canvases (map/tiles.rs: one canvas per tile the
 * worker cut), counted in the page; with `cmp` it answers whether the count is above
 * `cmp.above` or below `cmp.below` instead. A function, not an expression string: a wait on a
 * string is evaluated in the page at every poll, which the app's CSP refuses.
 */
function streetPixels(cmp) {
  let n = 0;
  for (const c of document.querySelectorAll('canvas.sq-lines')) {
    if (c.style.visibility === 'hidden' || !c.width || !c.height) continue;
    // A tile canvas shows a bitmap (map/bitmap.rs): read it through a 2-D canvas of our own.
    const s = document.createElement('canvas');
    s.width = c.width;
    s.height = c.height;
    const x = s.getContext('2d');
    x.drawImage(c, 0, 0);
    const data = x.getImageData(0, 0, c.width, c.height).data;
    for (let k = 3; k < data.length; k += 4) if (data[k] > 0) n++;
  }
  if (!cmp) return n;
  return 'above' in cmp ? n > cmp.above : n < cmp.below;
}

/** The web-map tile `z/x/y` holding a WGS-84 point (the standard formula, written out here as the oracle). */
function tileOf([lon, lat], z) {
  const n = 2 ** z;
  const r = (lat * Math.PI) / 180;
  const x = Math.floor(((lon + 180) / 360) * n);
  const y = Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n);
  return `${z}/${x}/${y}`;
}

/** Clicks the middle of the map and waits for that click's isochrone answer (figures or off-network). */
async function clickCentre(page) {
  const before = await page.evaluate(() => document.querySelector('#iso-figures, #iso-off-network')?.dataset.seq ?? '');
  const box = await page.locator('#map').boundingBox();
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await page.waitForFunction(
    (prev) => {
      const el = document.querySelector('#iso-figures, #iso-off-network');
      return el && el.dataset.seq !== prev;
    },
    before,
    { timeout: 30000 },
  );
  return page.evaluate(() => (document.querySelector('#iso-off-network') ? 'off' : 'network'));
}

test('a 3 × 3 tiled extract over 新街口: the farthest tile is drawn and answers a click on the network; banners and data tab name the imported streets', async () => {
  const { file, tile } = await tiledExtract('data/sources/nanjing/nanjing_xinjiekou.osm', N);
  // The package's centre (on its streets), in the farthest copy: N-1 tiles east and north.
  const manifest = JSON.parse(await readFile(path.join(root, 'static/data/nanjing-xinjiekou/manifest.json'), 'utf8'));
  const [lon0, lat0] = manifest.center_wgs84;
  const far = [lon0 + (N - 1) * tile.width * 1.001, lat0 + (N - 1) * tile.height * 1.001];
  const { page, problems } = await openPage(env.context);
  await page.goto(`${env.server.url}?pkg=nanjing-xinjiekou&lang=zh&view=${far[0].toFixed(5)},${far[1].toFixed(5)},16`);
  await page.waitForSelector('#engine-status[data-loaded="true"]', { timeout: 30000 });
  await page.waitForFunction(() => document.querySelectorAll('canvas.sq-lines').length > 0, null, { timeout: 30000 });

  // Before: the package's own streets end kilometres away.
  const before = await page.evaluate(streetPixels, null);
  assert.equal(before, 0, `nothing drawn on the farthest tile before the drop (${before} px)`);
  assert.equal(await clickCentre(page), 'off', 'a click there is off the package network');

  await page.click('#tab-data');
  // The network is answered first, the streets' label points after it (a second message): when
  // the imported-network banner appears, the map holds only the package's label points
  // (`#map[data-street-labels]`, map/sync.rs); the imported ones come after.
  const labels = () => Number(document.querySelector('#map')?.dataset.streetLabels ?? -1);
  const packageLabels = await page.evaluate(labels);
  await page.evaluate(() => {
    new MutationObserver((_, obs) => {
      if (document.querySelector('#imported-network-banner')) {
        globalThis.__labelsAtBanner = Number(document.querySelector('#map')?.dataset.streetLabels ?? -1);
        obs.disconnect();
      }
    }).observe(document.body, { childList: true, subtree: true });
  });
  await page.setInputFiles('#import-input', file);
  await page.waitForSelector('.import-report', { timeout: 120000 });
  await page.waitForFunction((n) => Number(document.querySelector('#map')?.dataset.streetLabels ?? -1) > n, packageLabels, { timeout: 60000 });
  assert.equal(await page.evaluate(() => globalThis.__labelsAtBanner), packageLabels, 'the banner shows before the imported label points arrive');
  const report = await page.locator('.import-report').first().innerText();
  assert.match(report, /步行网络|路网/, `the report says the walking network was rebuilt: ${report}`);

  // After: the farthest tile's streets are drawn at this view: the map tile under the far
  // point was cut by the worker with pieces of street in it, every class of them (a district's
  // tile is within the vertex budget: nothing left out, no note).
  await page.waitForFunction(() => [...document.querySelectorAll('canvas.sq-lines')].every((c) => c.style.visibility !== 'hidden'), null, { timeout: 30000 });
  await page.waitForFunction(streetPixels, { above: 1000 }, { timeout: 60000 });
  const farTile = tileOf(far, 16);
  await page.waitForFunction((name) => [...document.querySelectorAll(`canvas.sq-tile[data-tile="${name}"]`)].some((c) => Number(c.dataset.pieces) > 0), farTile, { timeout: 30000 });
  const farPieces = await page.evaluate((name) => [...document.querySelectorAll(`canvas.sq-tile[data-tile="${name}"]`)].map((c) => [Number(c.dataset.pieces), Number(c.dataset.leftOut)]), farTile);
  assert.ok(farPieces.some(([p, left]) => p > 20 && left === 0), `tile ${farTile}: pieces and lines left out per streets layer ${JSON.stringify(farPieces)}`);
  assert.equal(await page.locator('#map-detail-note').count(), 0, 'no "minor streets left out" note at zoom 16');

  // A click there: network isochrones, not straight-line estimates.
  await page.click('#tab-iso');
  assert.equal(await clickCentre(page), 'network', 'a click on the farthest tile is answered on the imported network');
  const areas = (await page.locator('#iso-figures .band-area').allInnerTexts()).map((t) => parseFloat(t));
  assert.equal(areas.length, 3, `three bands: ${areas}`);
  assert.ok(areas[0] > 0 && areas[0] < areas[1] && areas[1] < areas[2], `nested: ${areas}`);
  assert.equal(await page.locator('#iso-figures').innerText().then((t) => /直线估算/.test(t)), false, 'not an estimate');
  await screenshot(page, 'city-farthest-tile');

  // Banners and the data tab describe the imported network.
  assert.equal(await page.locator('#no-network-banner').count(), 0, 'no "no street network" banner');
  const network = await page.locator('#imported-network-banner').innerText();
  assert.match(network, /nanjing_xinjiekou-tiled-3x3\.osm/, `the banner names the file the network was rebuilt from: ${network}`);
  await page.click('#tab-data');
  const streets = page.locator('#imported-layers li[data-layer="import-0-streets"]');
  assert.match(await streets.innerText(), /街道路网[\s\S]*自有数据[\s\S]*nanjing_xinjiekou-tiled-3x3\.osm/, 'the imported streets are listed with their file');
  // Its switch hides them from the map, and shows them again.
  const drawn = await page.evaluate(streetPixels, null);
  await streets.locator('input[type=checkbox]').uncheck();
  await page.waitForFunction(streetPixels, { below: drawn }, { timeout: 30000 });
  await streets.locator('input[type=checkbox]').check();
  await screenshot(page, 'city-data-tab');
  assert.deepEqual(problems, []);
});

test('more points in view than can be read are counted per cell, and the map says so; zooming in shows each point again', async () => {
  const manifest = JSON.parse(await readFile(path.join(root, 'static/data/nanjing-xinjiekou/manifest.json'), 'utf8'));
  const [lon0, lat0] = manifest.center_wgs84;
  // 6,000 seeded demand points within ±0.01° of the centre (about 2 × 2 km: all in view at zoom 15).
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const rows = Array.from({ length: 6000 }, (_, k) => `d${k},${(lon0 + (rand() - 0.5) * 0.02).toFixed(6)},${(lat0 + (rand() - 0.5) * 0.02).toFixed(6)},10`);
  const file = path.join(root, 'target', 'e2e', 'demand-6000.csv');
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, ['id,lon,lat,population', ...rows].join('\n') + '\n');

  const { page, problems } = await openPage(env.context);
  await page.goto(`${env.server.url}?pkg=nanjing-xinjiekou&lang=zh&view=${lon0},${lat0},15`);
  await page.waitForSelector('#engine-status[data-loaded="true"]', { timeout: 30000 });
  assert.equal(await page.locator('#map-points-note').count(), 0, 'the package alone: every point drawn');
  await page.click('#tab-data');
  await page.setInputFiles('#import-input', file);
  await page.waitForSelector('.import-report', { timeout: 60000 });
  await page.waitForSelector('#map-points-note', { timeout: 30000 });
  assert.match(await page.locator('#map-points-note').innerText(), /按格汇总/);
  // The worker's tiles of the imported layer count every point once: their own counts sum to
  // the rows of the file (each tile once; Leaflet may hold a tile of the level it left).
  // (With `want`: whether the count is `want`, so that the same function is the wait's predicate.)
  const tileCounts = (want) => {
    const seen = new Map();
    for (const c of document.querySelectorAll('canvas.sq-points[data-source="Demand-0"][data-points]')) seen.set(c.dataset.tile, Number(c.dataset.points));
    const n = [...seen.entries()].filter(([t]) => t.startsWith(document.querySelector('#map').dataset.zoom + '/')).reduce((a, [, k]) => a + k, 0);
    return want === undefined ? n : n === want;
  };
  await page.waitForFunction(tileCounts, 6000, { timeout: 30000 }).catch(async () => {
    assert.fail(`points counted by the tiles in view: ${await page.evaluate(tileCounts)} of 6000`);
  });
  await screenshot(page, 'city-points-aggregated');
  // The discs leave the map between them clickable: a real click at least 6 px from every
  // disc's core (data-discs: `x,y,core radius` per disc of each tile) draws an isochrone from
  // there and does not zoom.
  await page.click('#tab-iso');
  const z0 = Number(await page.evaluate(() => document.querySelector('#map')?.dataset.zoom));
  const between = await page.evaluate(() => {
    const m = document.querySelector('#map').getBoundingClientRect();
    const discs = [];
    for (const c of document.querySelectorAll('canvas.sq-points[data-discs]')) {
      if (!c.dataset.discs) continue;
      const b = c.getBoundingClientRect();
      for (const d of c.dataset.discs.split(';')) {
        const [x, y, r] = d.split(',').map(Number);
        discs.push([b.left + x, b.top + y, r]);
      }
    }
    const cx = (m.left + m.right) / 2;
    const cy = (m.top + m.bottom) / 2;
    // The free spot nearest the centre, on a 4-px grid.
    let best = null;
    for (let dy = -120; dy <= 120; dy += 4) {
      for (let dx = -200; dx <= 200; dx += 4) {
        const [x, y] = [cx + dx, cy + dy];
        if (discs.every(([a, b, r]) => Math.hypot(a - x, b - y) > r + 6) && (!best || Math.hypot(dx, dy) < best[2])) best = [x, y, Math.hypot(dx, dy)];
      }
    }
    return { discs: discs.length, at: best };
  });
  assert.ok(between.discs > 20, `a crowded map: ${between.discs} discs`);
  assert.ok(between.at, 'a free spot between the discs');
  const isoBefore = await page.evaluate(() => document.querySelector('#iso-figures, #iso-off-network')?.dataset.seq ?? '');
  await page.mouse.click(between.at[0], between.at[1]);
  await page.waitForFunction((prev) => {
    const el = document.querySelector('#iso-figures, #iso-off-network');
    return el && el.dataset.seq !== prev;
  }, isoBefore, { timeout: 30000 });
  assert.equal(Number(await page.evaluate(() => document.querySelector('#map')?.dataset.zoom)), z0, 'a click between discs does not zoom');
  await screenshot(page, 'city-points-between');
  // A click on the largest count zooms in on it, two levels (not a pick of a walking origin).
  const biggest = await page.evaluate(() => {
    const c = [...document.querySelectorAll('canvas.sq-points[data-source="Demand-0"][data-biggest]')].find((c) => {
      const b = c.getBoundingClientRect();
      const m = document.querySelector('#map').getBoundingClientRect();
      const [x, y] = c.dataset.biggest.split(',').map(Number);
      return b.left + x > m.left + 60 && b.left + x < m.right - 60 && b.top + y > m.top + 60 && b.top + y < m.bottom - 60;
    });
    if (!c) return null;
    const b = c.getBoundingClientRect();
    const [x, y] = c.dataset.biggest.split(',').map(Number);
    return [b.left + x, b.top + y];
  });
  assert.ok(biggest, 'a count on the map');
  await page.mouse.click(biggest[0], biggest[1]);
  await page.waitForFunction((z) => Number(document.querySelector('#map')?.dataset.zoom) === z + 2, z0, { timeout: 30000 });
  await page.waitForSelector('#map-points-note', { state: 'detached', timeout: 30000 });
  await screenshot(page, 'city-points-single');
  assert.deepEqual(problems, []);
});
