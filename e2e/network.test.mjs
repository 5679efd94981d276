// The network as a scenario (issue 16): on the planner tab, draw a new path and close a street
// segment on the map; the isochrone and the coverage figures change; undo restores them; a
// reload restores the edits from storage; the share link carries them to a fresh browser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { withBrowser, openPage, screenshot, launch } from './harness.mjs';

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

  // Draw a path from A to B.
  await page.click('#net-draw');
  await clickAt(page, A, [6, 0]);
  await clickAt(page, B);
  await page.click('#net-finish');
  await page.waitForSelector('#net-list li');
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
  await page.waitForSelector('#engine-status[data-loaded="true"]', { timeout: 30000 });
  await page.click('#tab-place');
  await page.waitForFunction(() => document.querySelectorAll('#net-list li').length === 2, null, { timeout: 30000 });
  await areasBecome(page, iso2);
  assert.deepEqual(problems, []);

  // A fresh browser (empty storage) opening the share link gets the same edited network.
  const other = await launch();
  try {
    const { page: p2, problems: pr2 } = await openPage(other);
    await p2.goto(link);
    await p2.waitForSelector('#engine-status[data-loaded="true"]', { timeout: 30000 });
    await p2.click('#tab-place');
    await p2.waitForFunction(() => document.querySelectorAll('#net-list li').length === 2, null, { timeout: 30000 });
    await areasBecome(p2, iso2);
    await screenshot(p2, 'network-edits-from-link');
    assert.deepEqual(pr2, []);
  } finally {
    await other.close();
  }
});
