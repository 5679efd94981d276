// Soak: 300 isochrones clicked on the map, 300 postings selected, 100 tab switches. The page's
// JS heap and its wasm memory, each read after a forced garbage collection, must not grow by
// 10 MB or more from a warmed-up baseline (closures and Leaflet layers are dropped with the
// overlays they belong to), and no console error may appear.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withBrowser, openPage, screenshot } from './harness.mjs';

const env = withBrowser();
const MB = 1024 * 1024;

/** JS heap in use after two forced collections, and the wasm memory's size, in bytes. */
async function memory(page, cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  const wasm = await page.evaluate(() => globalThis.shuangquanMemory?.buffer.byteLength ?? -1);
  return { js: usedSize, wasm };
}

/** The sequence number of the isochrone answer shown (figures or the off-network notice). */
const isoSeq = (page) =>
  page.evaluate(() => document.querySelector('#iso-figures, #iso-off-network')?.dataset.seq ?? '');

/** Clicks `n` different points of the map, each time waiting for a new isochrone answer. */
async function isochrones(page, n) {
  const box = await page.locator('#map').boundingBox();
  const cols = Math.floor((box.width - 380) / 40);
  const rows = Math.floor((box.height - 160) / 40);
  for (let k = 0; k < n; k++) {
    const prev = await isoSeq(page);
    const x = box.x + 80 + 40 * (k % cols);
    const y = box.y + 80 + 40 * (Math.floor(k / cols) % rows);
    await page.mouse.click(x, y);
    await page.waitForFunction(
      (p) => (document.querySelector('#iso-figures, #iso-off-network')?.dataset.seq ?? '') !== p,
      prev,
      { timeout: 20000 },
    );
  }
}

/** Switches planner tabs `n` times, waiting for each to be selected. */
async function tabs(page, n) {
  const ids = ['coverage', 'place', 'data', 'iso'];
  for (let k = 0; k < n; k++) {
    const id = ids[k % ids.length];
    await page.click(`#tab-${id}`);
    await page.waitForSelector(`#tab-${id}[aria-selected="true"]`, { timeout: 10000 });
  }
}

/** In resident mode: selects postings of the list `n` times, a different one each time. */
async function postings(page, n) {
  await page.click('#mode-switch');
  await page.waitForSelector('#home-coords', { timeout: 10000 });
  await page.fill('#home-coords', '121.4750,31.2290');
  await page.click('#home-coords-go');
  await page.waitForSelector('#nb-list .hit', { timeout: 20000 });
  const count = await page.locator('#nb-list .hit-button').count();
  assert.ok(count >= 2, `postings to select: ${count}`);
  for (let k = 0; k < n; k++) {
    const button = page.locator('#nb-list .hit-button').nth(k % count);
    await button.click();
    await page.waitForFunction(
      (i) => document.querySelectorAll('#nb-list .hit-button')[i]?.getAttribute('aria-pressed') === 'true',
      k % count,
      { timeout: 10000 },
    );
  }
  await page.click('#mode-switch');
  await page.waitForSelector('#tab-iso', { timeout: 10000 });
  await page.click('#tab-iso');
  await page.waitForSelector('#tab-iso[aria-selected="true"]', { timeout: 10000 });
}

test('soak: 300 isochrones, 300 postings selected, 100 tab switches; memory stays flat', async () => {
  const { page, problems } = await openPage(env.context);
  const cdp = await page.context().newCDPSession(page);
  await page.goto(env.server.url);
  await page.waitForSelector('#engine-status[data-loaded="true"]', { timeout: 30000 });
  await page.waitForFunction(() => globalThis.shuangquanMemory !== undefined, null, { timeout: 10000 });

  // Warm up every path once, so one-time allocations (caches, first layers) are in the baseline.
  await isochrones(page, 15);
  await tabs(page, 8);
  await postings(page, 15);
  const before = await memory(page, cdp);

  await isochrones(page, 300);
  await tabs(page, 100);
  await postings(page, 300);
  const after = await memory(page, cdp);

  const grow = { js: (after.js - before.js) / MB, wasm: (after.wasm - before.wasm) / MB };
  console.log(
    `# soak: JS heap ${(before.js / MB).toFixed(1)} → ${(after.js / MB).toFixed(1)} MB (${grow.js.toFixed(2)} MB), ` +
      `wasm memory ${(before.wasm / MB).toFixed(1)} → ${(after.wasm / MB).toFixed(1)} MB (${grow.wasm.toFixed(2)} MB)`,
  );
  await screenshot(page, 'soak-after');
  assert.ok(before.wasm > 0, 'the page exposes its wasm memory');
  assert.ok(grow.js < 10, `JS heap grew by ${grow.js.toFixed(2)} MB`);
  assert.ok(grow.wasm < 10, `wasm memory grew by ${grow.wasm.toFixed(2)} MB`);
  assert.deepEqual(problems, []);
});
