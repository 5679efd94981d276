// The map's own basemap and controls: street and community labels only at high zoom, no request
// to any host but the app's while tiles are off, a custom tile template (served here) with its
// attribution and 审图号 line, a clear message when tiles are blocked, postings clustered at low
// zoom (counts conserved) and expanded at high zoom, the legend, and the PNG export.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import { mkdir } from 'node:fs/promises';
import { withBrowser, openPage, screenshot, dist, shots } from './harness.mjs';

const env = withBrowser();

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
/** A w×h RGB PNG: a solid colour with a darker 2-px border (so tile edges show). */
function makePng(w, h, [r, g, b]) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; ihdr[9] = 2; ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0;
  const raw = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const edge = x < 2 || y < 2;
      const o = y * (w * 3 + 1) + 1 + x * 3;
      raw[o] = edge ? r - 60 : r; raw[o + 1] = edge ? g - 60 : g; raw[o + 2] = edge ? b - 60 : b;
    }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0)),
  ]);
}
const TILE = makePng(256, 256, [200, 226, 205]);

async function open(query = '?tab=data') {
  const { page, problems } = await openPage(env.context);
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(env.server.url + query);
  await page.waitForSelector('#engine-status[data-loaded="true"]', { timeout: 30000 });
  await page.waitForSelector('#map[data-zoom]');
  return { page, problems, requests };
}

async function zoomTo(page, z) {
  for (let i = 0; i < 8; i++) {
    const cur = Number(await page.getAttribute('#map', 'data-zoom'));
    if (cur === z) break;
    await page.click(cur < z ? '.leaflet-control-zoom-in' : '.leaflet-control-zoom-out');
    await page.waitForFunction((c) => Number(document.querySelector('#map').dataset.zoom) !== c, cur);
  }
  await page.waitForTimeout(350); // zoom animation settles
  assert.equal(Number(await page.getAttribute('#map', 'data-zoom')), z);
}

async function postingsInView(page) {
  const [w, s, e, n] = (await page.getAttribute('#map', 'data-bounds')).split(',').map(Number);
  const fc = JSON.parse(await readFile(path.join(dist, 'data', 'shanghai-central', 'postings.geojson'), 'utf8'));
  return fc.features.filter(({ geometry: { coordinates: [x, y] } }) => x >= w && x <= e && y >= s && y <= n).length;
}

function overlaps(a, b) {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

test('own basemap: labels only at high zoom, thinned; nothing requested from another host', async () => {
  const { page, problems, requests } = await open();
  // Zoom 14 (the package's): community names, no street names.
  assert.equal(Number(await page.getAttribute('#map', 'data-zoom')), 14);
  assert.ok(await page.locator('.sq-zone-label').count() > 0, 'community names at zoom 14');
  assert.equal(await page.locator('.sq-street-label').count(), 0, 'no street names at zoom 14');
  assert.match(await page.locator('.leaflet-control-attribution').innerText(), /OpenStreetMap contributors, ODbL/,
    'the package attribution is on the map');
  await zoomTo(page, 13);
  assert.equal(await page.locator('.sq-label').count(), 0, 'no labels at zoom 13');
  await zoomTo(page, 16);
  const streets = page.locator('.sq-street-label .sq-label-text');
  const n16 = await streets.count();
  assert.ok(n16 > 3 && n16 <= 70, `street names at zoom 16: ${n16}`);
  const names = await streets.allInnerTexts();
  assert.equal(new Set(names).size, names.length, 'one label per street name');
  // No two labels overlap on screen (boxes of the unrotated text shrink by 2 px for rounding).
  const boxes = (await page.locator('.sq-label-text').evaluateAll((els) => els
    .filter((e) => e.dataset.angle === '0.0' || e.closest('.sq-zone-label'))
    .map((e) => { const r = e.getBoundingClientRect(); return { x: r.x + 2, y: r.y + 2, width: r.width - 4, height: r.height - 4 }; })));
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) assert.ok(!overlaps(boxes[i], boxes[j]), `labels ${i} and ${j} overlap`);
  }
  await zoomTo(page, 17);
  assert.ok(await streets.count() >= n16 * 0.5, 'street names at zoom 17');
  await screenshot(page, 'map-labels-z17');
  // Streets off → street names go; communities off → community names go.
  await page.locator('.layer-item[data-layer="streets"] input').uncheck();
  await page.waitForFunction(() => document.querySelectorAll('.sq-street-label').length === 0);
  await zoomTo(page, 14);
  await page.locator('.layer-item[data-layer="zones"] input').uncheck();
  await page.waitForFunction(() => document.querySelectorAll('.sq-zone-label').length === 0);
  const foreign = requests.filter((u) => !u.startsWith(env.server.url) && !/^(data|blob):/.test(u));
  assert.deepEqual(foreign, [], 'tiles off: only the app\'s own host is asked');
  assert.equal(await page.locator('img.leaflet-tile').count(), 0);
  assert.deepEqual(problems, []);
});

test('legend shows the visible layers with their symbols; postings cluster at low zoom and expand at high zoom', async () => {
  const { page, problems } = await open();
  const legend = page.locator('#map-legend');
  for (const id of ['stations', 'category-store', 'category-breakfast', 'category-market', 'category-repair',
    'category-elderly', 'category-childcare', 'communities', 'streets-major']) {
    assert.equal(await legend.locator(`[data-legend="${id}"]`).count(), 1, `legend has ${id}`);
  }
  assert.equal(await legend.locator('[data-legend="postings"]').count(), 0, 'postings hidden by default');
  // The six categories have six different shapes.
  const shapes = await legend.locator('[data-legend^="category-"] svg > *').evaluateAll((els) => els
    .map((e) => e.tagName + (e.getAttribute('points') ?? '')));
  assert.equal(new Set(shapes.slice(0, 6)).size, 6, `distinct shapes: ${shapes}`);

  await page.locator('.layer-item[data-layer="postings"] input').check();
  await page.waitForSelector('#map-legend [data-legend="postings-cluster"]');
  await page.waitForFunction(() => Number(document.querySelector('#map').dataset.postingsInView) > 0);
  const inView = Number(await page.getAttribute('#map', 'data-postings-in-view'));
  assert.equal(inView, await postingsInView(page), 'the in-view count matches the file');
  const clusters = page.locator('.sq-cluster');
  const k = await clusters.count();
  assert.equal(k, Number(await page.getAttribute('#map', 'data-postings-clusters')));
  assert.ok(k > 0 && k < inView / 5, `${k} clusters for ${inView} postings`);
  const counts = (await clusters.evaluateAll((els) => els.map((e) => Number(e.dataset.count))));
  const texts = (await clusters.allInnerTexts()).map(Number);
  assert.deepEqual(texts, counts, 'each cluster shows its count');
  const singles = Number(await page.getAttribute('#map', 'data-postings-singles'));
  assert.equal(counts.reduce((a, b) => a + b, 0) + singles, inView, 'counts add up to the postings in view');
  await screenshot(page, 'map-postings-clustered');

  await zoomTo(page, 17);
  assert.equal(await clusters.count(), 0, 'no clusters at zoom 17');
  const expect17 = await postingsInView(page);
  assert.equal(Number(await page.getAttribute('#map', 'data-postings-singles')), expect17, 'every posting in view drawn');
  assert.equal(Number(await page.getAttribute('#map', 'data-postings-in-view')), expect17);
  await zoomTo(page, 15);
  assert.ok(await clusters.count() > 0, 'clustered again at zoom 15');
  await mkdir(shots, { recursive: true });
  await page.locator('#map-legend').screenshot({ path: path.join(shots, 'map-legend.png') });
  assert.deepEqual(problems, []);
});

test('a custom tile template from the app\'s own host: tiles, attribution and 审图号 shown; kept after reload; off again', async () => {
  const { page, problems, requests } = await open();
  let tileHits = 0;
  await page.route('**/tiles/**', (route) => {
    tileHits++;
    return route.fulfill({ status: 200, contentType: 'image/png', body: TILE });
  });
  await page.check('#tiles-custom');
  await page.fill('#tiles-url', `${env.server.url}tiles/{z}/{x}/{y}.png`);
  await page.press('#tiles-url', 'Tab');
  await page.fill('#tiles-attribution', 'Test tiles © e2e');
  await page.press('#tiles-attribution', 'Tab');
  await page.fill('#tiles-shentu', '审图号：GS(2099)0001号');
  await page.press('#tiles-shentu', 'Tab');
  await page.waitForSelector('img.leaflet-tile-loaded', { timeout: 10000 });
  assert.ok(tileHits > 0);
  assert.match(await page.locator('.leaflet-control-attribution').innerText(), /Test tiles © e2e/);
  assert.equal(await page.locator('#map-note').innerText(), '审图号：GS(2099)0001号');
  assert.equal(await page.locator('#tile-error').count(), 0);
  await page.waitForTimeout(300);
  await screenshot(page, 'map-tiles-test-server');
  assert.ok(requests.every((u) => u.startsWith(env.server.url) || /^(data|blob):/.test(u)));

  await page.reload();
  await page.waitForSelector('#engine-status[data-loaded="true"]', { timeout: 30000 });
  await page.waitForSelector('img.leaflet-tile-loaded', { timeout: 10000 });
  assert.ok(await page.isChecked('#tiles-custom'), 'the setting is kept');
  const stored = JSON.parse(await page.evaluate(() => localStorage.getItem('shuangquan.tiles.v1')));
  assert.equal(stored.choice, 'custom');

  await page.check('#tiles-none');
  await page.waitForFunction(() => document.querySelectorAll('img.leaflet-tile').length === 0);
  assert.equal(await page.locator('#map-note').count(), 0);
  assert.doesNotMatch(await page.locator('.leaflet-control-attribution').innerText(), /Test tiles/);
  assert.deepEqual(problems, []);
});

test('tiles blocked by the Content-Security-Policy show a message instead of a blank', async () => {
  const { page, problems } = await open();
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await page.waitForSelector('#engine-status[data-loaded="true"]', { timeout: 30000 });
  // Another origin (another port): the shipped policy's img-src 'self' refuses it.
  await page.check('#tiles-custom');
  await page.fill('#tiles-url', 'http://127.0.0.1:9/{z}/{x}/{y}.png');
  await page.press('#tiles-url', 'Tab');
  await page.waitForSelector('#tile-error', { timeout: 10000 });
  assert.match(await page.locator('#tile-error').innerText(), /img-src/);
  await screenshot(page, 'map-tiles-blocked');
  await page.check('#tiles-none');
  await page.waitForFunction(() => !document.querySelector('#tile-error'));
  // The only problems are the browser's own reports of the refused tiles.
  assert.deepEqual(problems.filter((p) => !/Content Security Policy|ERR_/.test(p)), []);
  assert.ok(problems.length > 0, 'the policy did refuse the tiles');
});

test('PNG export: a non-blank image of the map is downloaded', async () => {
  const { page, problems } = await open('?tab=data&home=121.4750,31.2290');
  await page.waitForSelector('path.isochrone', { timeout: 20000 });
  await page.locator('.layer-item[data-layer="postings"] input').check();
  await page.waitForSelector('.sq-cluster');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-png')]);
  assert.equal(download.suggestedFilename(), 'shuangquan-map.png');
  const file = await download.path();
  const png = await readFile(file);
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
  assert.equal(png.subarray(12, 16).toString('ascii'), 'IHDR');
  const [w, h] = [png.readUInt32BE(16), png.readUInt32BE(20)];
  const box = await page.locator('#map').boundingBox();
  assert.equal(w, Math.round(box.width), 'as wide as the map');
  assert.equal(h, Math.round(box.height), 'as high as the map');
  await page.waitForSelector('#export-status');
  // Decode it in the page and count pixels that are not the background.
  const stats = await page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.width; c.height = img.height;
    const ctx = c.getContext('2d');
    ctx.drawImage(img, 0, 0);
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    const [r0, g0, b0] = [d[0], d[1], d[2]];
    let coloured = 0, blue = 0;
    for (let i = 0; i < d.length; i += 4) {
      const diff = Math.abs(d[i] - r0) + Math.abs(d[i + 1] - g0) + Math.abs(d[i + 2] - b0);
      if (diff > 40) coloured++;
      if (d[i + 2] > d[i] + 40) blue++; // the isochrone bands and stations
    }
    return { coloured, blue, total: d.length / 4 };
  }, png.toString('base64'));
  assert.ok(stats.coloured > stats.total * 0.05, `non-background pixels: ${stats.coloured}/${stats.total}`);
  assert.ok(stats.blue > stats.total * 0.01, `isochrone (SVG pane) in the image: ${stats.blue}`);
  assert.match(await page.locator('#export-status').innerText(), /shuangquan-map\.png/);
  await page.setContent(`<img src="data:image/png;base64,${png.toString('base64')}">`);
  await screenshot(page, 'map-export-png');
  assert.deepEqual(problems, []);
});

test('a browser without OffscreenCanvas draws the tiles on their own canvases', async () => {
  const { page, problems } = await openPage(env.context);
  // As an older browser (Safari before 16.4): map/bitmap.rs falls back to each tile's 2-D canvas.
  await page.addInitScript(() => { delete window.OffscreenCanvas; });
  await page.goto(env.server.url + '?tab=data');
  await page.waitForSelector('#engine-status[data-loaded="true"]', { timeout: 30000 });
  assert.equal(await page.evaluate(() => typeof OffscreenCanvas), 'undefined');
  // Drawn street pixels read through each drawn tile's own 2-D context (a tile that shows a
  // bitmap has none: the wait would not end).
  await page.waitForFunction(() => {
    let n = 0;
    for (const c of document.querySelectorAll('canvas.sq-lines[data-lines]')) {
      if (!c.width || !c.height) continue;
      const ctx = c.getContext('2d');
      if (!ctx) return false;
      const d = ctx.getImageData(0, 0, c.width, c.height).data;
      for (let k = 3; k < d.length; k += 4) if (d[k] > 0) n++;
    }
    return n > 1000;
  }, null, { timeout: 30000 });
  await screenshot(page, 'map-without-offscreen-canvas');
  assert.deepEqual(problems, []);
});
