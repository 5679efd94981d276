// The app shell loads in headless Chromium: map and side panel present, the analysis worker
// answers, no console error, no request to any other host.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withBrowser, openPage, screenshot } from './harness.mjs';

const env = withBrowser();

test('the map fills the page beside the side panel, the worker answers, no console error', async () => {
  const { page, problems } = await openPage(env.context);
  await page.goto(env.server.url);
  await page.waitForSelector('#map.leaflet-container', { timeout: 20000 });
  await page.waitForSelector('#engine-status[data-ready="true"]', { timeout: 20000 });
  const map = await page.locator('#map').boundingBox();
  const panel = await page.locator('#side-panel').boundingBox();
  assert.ok(map && panel, 'map and side panel are rendered');
  assert.ok(map.width > 600 && map.height > 500, `map is large: ${map.width}x${map.height}`);
  assert.ok(panel.width >= 280, `panel is visible: ${panel.width}`);
  assert.ok(map.x >= panel.x + panel.width - 1, 'map sits beside the panel');
  await screenshot(page, 'shell');
  assert.deepEqual(problems, []);
});
