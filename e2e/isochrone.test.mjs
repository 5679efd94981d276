// Walking isochrones in the browser: click → 5/10/15-minute polygons drawn from the worker,
// Enter on the focused map → isochrones of the map centre, marker drag → they follow.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withBrowser, openPage, screenshot } from './harness.mjs';

const env = withBrowser();

async function bandAreas(page) {
  return page.locator('#iso-figures .band-area').allInnerTexts();
}

test('click draws nested 5/10/15-minute network isochrones; dragging the marker moves them', async () => {
  const { page, problems } = await openPage(env.context);
  await page.goto(env.server.url);
  await page.waitForSelector('#engine-status[data-loaded="true"]', { timeout: 30000 });
  const box = await page.locator('#map').boundingBox();
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await page.waitForSelector('#iso-figures', { timeout: 20000 });
  const areas = (await bandAreas(page)).map((t) => parseFloat(t));
  assert.equal(areas.length, 3, `three bands: ${areas}`);
  assert.ok(areas[0] > 0 && areas[0] < areas[1] && areas[1] < areas[2], `nested: ${areas}`);
  // Three polygons drawn on the map (SVG paths of the isochrone layer).
  const paths = await page.locator('.leaflet-overlay-pane svg path.isochrone').count();
  assert.equal(paths, 3, `isochrone paths drawn: ${paths}`);
  assert.match(page.url(), /home=121\.\d+,31\.\d+/, 'the point is in the URL');
  await screenshot(page, 'isochrone-click');
  // The start marker is named in the interface's language (Chinese by default).
  assert.equal(await page.locator('.leaflet-marker-icon').first().getAttribute('title'), '起点（可拖动）');

  // Drag the marker 150 px east: the point and the figures change.
  const before = await page.locator('#iso-panel p').first().innerText();
  const marker = page.locator('.leaflet-marker-icon').first();
  const m = await marker.boundingBox();
  await page.mouse.move(m.x + m.width / 2, m.y + m.height - 4);
  await page.mouse.down();
  for (let i = 1; i <= 10; i++) await page.mouse.move(m.x + m.width / 2 + 15 * i, m.y + m.height - 4);
  await page.mouse.up();
  await page.waitForFunction((prev) => document.querySelector('#iso-panel p')?.innerText !== prev, before, { timeout: 10000 });
  await page.waitForSelector('#iso-figures', { timeout: 20000 });
  await screenshot(page, 'isochrone-drag');
  assert.deepEqual(problems, []);
});

test('a click changes nothing on the page until its isochrones arrive, then the point, its marker and its figures at once', async () => {
  // The worker computes while the page is idle (BENCHMARKS.md, issue 13's isochrone row,
  // s14-iso): the first change the click makes to the walking-circles panel or the marker
  // already carries the new answer.
  const { page, problems } = await openPage(env.context);
  await page.goto(env.server.url + '?lang=en');
  await page.waitForSelector('#engine-status[data-loaded="true"]', { timeout: 30000 });
  const box = await page.locator('#map').boundingBox();
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await page.waitForSelector('#iso-figures', { timeout: 20000 });
  const seq = await page.locator('#iso-figures').getAttribute('data-seq');
  // Each batch of DOM changes in the panel or the marker pane after the next click: the point
  // shown, the marker's place and the figures' request number, as they are after that batch.
  await page.evaluate(() => {
    globalThis.__batches = [];
    const seen = () => ({
      point: document.querySelector('#iso-panel p')?.innerText,
      marker: document.querySelector('.leaflet-marker-icon')?.style.transform,
      seq: document.querySelector('#iso-figures')?.dataset.seq,
    });
    const watch = new MutationObserver(() => globalThis.__batches.push(seen()));
    for (const el of [document.querySelector('#iso-panel'), document.querySelector('.leaflet-marker-pane')]) {
      watch.observe(el, { childList: true, subtree: true, attributes: true, characterData: true });
    }
  });
  await page.mouse.click(box.x + box.width / 2 + 80, box.y + box.height / 2 + 40);
  await page.waitForFunction((s) => document.querySelector('#iso-figures')?.dataset.seq !== s, seq, { timeout: 20000 });
  const batches = await page.evaluate(() => globalThis.__batches);
  assert.ok(batches.length > 0, 'the click changed the page');
  const [first] = batches;
  const last = batches.at(-1);
  assert.notEqual(first.seq, seq, `the first change already shows the new answer: ${JSON.stringify(batches)}`);
  assert.equal(first.point, last.point, 'the point shown with it');
  assert.equal(first.marker, last.marker, 'the marker moved with it');
  assert.deepEqual(problems, []);
});

test('Enter on the focused map draws the isochrones of the map centre; the live region announces it', async () => {
  const { page, problems } = await openPage(env.context);
  await page.goto(env.server.url + '?lang=en');
  await page.waitForSelector('#engine-status[data-loaded="true"]', { timeout: 30000 });
  await page.locator('#map').focus();
  await page.keyboard.press('Enter');
  await page.waitForSelector('#iso-figures', { timeout: 20000 });
  const live = await page.locator('#live').innerText();
  assert.match(live, /Walking circles ready: \d+\.\d\d km²/);
  const ms = parseFloat(await page.locator('#iso-ms').innerText());
  assert.ok(ms > 0, `compute time reported: ${ms}`);
  assert.deepEqual(problems, []);
});

test('a package without a network shows straight-line estimates, labelled', async () => {
  const { page, problems } = await openPage(env.context);
  await page.goto(env.server.url + '?pkg=qingdao');
  await page.waitForSelector('#engine-status[data-loaded="true"]', { timeout: 30000 });
  await page.waitForSelector('#no-network-banner');
  const box = await page.locator('#map').boundingBox();
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await page.waitForSelector('#iso-figures', { timeout: 20000 });
  const fig = await page.locator('#iso-figures').innerText();
  assert.match(fig, /直线估算/);
  await screenshot(page, 'isochrone-qingdao-estimate');
  assert.deepEqual(problems, []);
});
