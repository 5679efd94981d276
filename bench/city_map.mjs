// City-size map check (a benchmark aid, not a test): drops a tiled city extract (bench/city_scale.py
// makes them under target/city-scale/) on the app served from dist/, prints the import time, then
// for three zoom levels the street classes drawn per streets layer and whether the map says that
// minor streets are left out; screenshots under target/screenshots/city-map-z*.png.
// Usage: node bench/city_map.mjs [path/to/tiled_8x8.osm.pbf]
import { openPage, screenshot, serve, launch } from '../e2e/harness.mjs';

const file = process.argv[2] ?? 'target/city-scale/tiled_8x8.osm.pbf';
const server = await serve();
const context = await launch();
const { page, problems } = await openPage(context);
await page.goto(server.url);
await page.waitForSelector('#engine-status[data-loaded="true"]', { timeout: 30000 });
await page.click('#tab-data');
const t0 = Date.now();
await page.setInputFiles('#import-input', file);
await page.waitForSelector('.import-report', { timeout: 600000 });
console.log(`import of ${file}: report after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
console.log((await page.locator('.import-report').first().innerText()).replace(/\n+/g, ' | '));
for (let step = 0; step < 3; step++) {
  const zoom = await page.evaluate(() => document.querySelector('#map')?.dataset.zoom);
  await page.click('.leaflet-control-zoom-out');
  await page.waitForFunction((z) => document.querySelector('#map')?.dataset.zoom !== z, zoom, { timeout: 30000 });
  await page.waitForFunction(() => [...document.querySelectorAll('canvas.sq-lines')].every((c) => c.style.visibility === 'visible'), null, { timeout: 30000 });
  const z = await page.evaluate(() => document.querySelector('#map')?.dataset.zoom);
  const classes = await page.evaluate(() => [...document.querySelectorAll('canvas.sq-lines')].map((c) => c.dataset.drawnClasses));
  const note = await page.locator('#map-detail-note').count();
  console.log(`zoom ${z}: street classes drawn per layer ${classes.join(', ')}; "minor streets left out" note: ${note ? 'shown' : 'none'}`);
  await screenshot(page, `city-map-z${z}`);
}
if (problems.length) console.log('problems:', problems);
await context.close();
await server.close();
