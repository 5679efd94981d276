// Browser-side timings in headless Debian Chromium (run after `trunk build --release`):
//   node bench/browser.mjs
// - package load: fetch + worker import + walk graph build, per default package;
// - 15-minute isochrone with polygons (5/10/15), worker-side compute time, 40 points;
// - importing a 1,000,000-row demand CSV (file read + transfer to the worker + parse + validate).
import { writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { serve, launch, openPage, root } from '../e2e/harness.mjs';

const server = await serve();
const context = await launch();
const results = {};

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};

for (const id of ['shanghai-central', 'qingdao', 'helsinki']) {
  const { page } = await openPage(context);
  const t0 = Date.now();
  await page.goto(`${server.url}?pkg=${id}`);
  await page.waitForSelector('#engine-status[data-loaded="true"]', { timeout: 60000 });
  results[`load ${id} (page open → package imported, graph built), ms`] = Date.now() - t0;
  await page.close();
}

{
  const { page } = await openPage(context);
  await page.goto(server.url);
  await page.waitForSelector('#engine-status[data-loaded="true"]', { timeout: 60000 });
  const box = await page.locator('#map').boundingBox();
  const times = [];
  for (let i = 0; i < 40; i++) {
    const x = box.x + box.width * (0.2 + 0.6 * ((i * 37) % 40) / 40);
    const y = box.y + box.height * (0.2 + 0.6 * ((i * 13) % 40) / 40);
    const prev = await page.locator('#iso-ms').innerText().catch(() => '');
    await page.mouse.click(x, y);
    await page.waitForFunction((p) => {
      const el = document.querySelector('#iso-ms');
      return el && el.innerText !== p;
    }, prev, { timeout: 10000 }).catch(() => {});
    const t = parseFloat(await page.locator('#iso-ms').innerText().catch(() => 'NaN'));
    if (Number.isFinite(t)) times.push(t);
  }
  results['isochrone 5/10/15 min + polygons, shanghai-central, worker compute ms: median'] = quantile(times, 0.5);
  results['… p95'] = quantile(times, 0.95);
  results['… max'] = Math.max(...times);
  results['… samples'] = times.length;
  await page.close();
}

{
  const rows = 1_000_000;
  let csv = 'id,lon,lat,weight\n';
  const parts = [csv];
  for (let i = 0; i < rows; i++) {
    const lon = 121.41 + ((i * 7919) % 100000) / 100000 * 0.13;
    const lat = 31.18 + ((i * 104729) % 100000) / 100000 * 0.1;
    parts.push(`d${i},${lon.toFixed(6)},${lat.toFixed(6)},${(i % 50) + 1}\n`);
  }
  const buffer = Buffer.from(parts.join(''));
  const { page } = await openPage(context);
  // The file picker is on the Data tab.
  await page.goto(`${server.url}?tab=data`);
  await page.waitForSelector('#engine-status[data-loaded="true"]', { timeout: 60000 });
  const t0 = Date.now();
  await page.setInputFiles('#import-input', { name: 'demand-1m.csv', mimeType: 'text/csv', buffer });
  await page.waitForSelector('.import-report[data-file="demand-1m.csv"]', { timeout: 300000 });
  results[`import 1,000,000-row demand CSV (${(buffer.length / 1e6).toFixed(1)} MB), ms`] = Date.now() - t0;
  results['… report'] = (await page.locator('.import-report[data-file="demand-1m.csv"] p').first().innerText());
  await page.close();
}

await context.close();
await server.close();
await mkdir(path.join(root, 'target'), { recursive: true });
await writeFile(path.join(root, 'target', 'browser-bench.json'), JSON.stringify(results, null, 2));
for (const [k, v] of Object.entries(results)) console.log(`${k}: ${v}`);
