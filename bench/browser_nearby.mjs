// Resident query timing in headless Chromium with 10,000 and 100,000 postings on the Shanghai
// network: a seeded postings CSV is imported through the file picker (the worker rebuilds its
// posting index on the first query), then homes are typed in and the worker's compute time
// shown in the list heading is read. Usage: trunk build --release --offline && node bench/browser_nearby.mjs
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { serve, launch, openPage } from '../e2e/harness.mjs';

function rng(seed) {
  let x = BigInt(seed);
  return () => {
    x = (x + 0x9E3779B97F4A7C15n) & 0xFFFFFFFFFFFFFFFFn;
    let z = x;
    z = ((z ^ (z >> 30n)) * 0xBF58476D1CE4E5B9n) & 0xFFFFFFFFFFFFFFFFn;
    z = ((z ^ (z >> 27n)) * 0x94D049BB133111EBn) & 0xFFFFFFFFFFFFFFFFn;
    return Number((z ^ (z >> 31n)) >> 11n) / 2 ** 53;
  };
}

const dir = mkdtempSync(path.join(tmpdir(), 'sq-nearby-'));
const server = await serve();
const context = await launch();
const out = [];
for (const n of [10000, 100000]) {
  const r = rng(n);
  const lines = ['id,lon,lat,title,hours'];
  for (let i = 0; i < n; i++) {
    const lon = 121.41 + r() * 0.13, lat = 31.19 + r() * 0.08;
    lines.push(`b${i},${lon.toFixed(6)},${lat.toFixed(6)},bench posting ${i},${['全职', '兼职', '灵活就业', '零工'][i % 4]}`);
  }
  const file = path.join(dir, `postings-${n}.csv`);
  writeFileSync(file, lines.join('\n'));
  const { page } = await openPage(context);
  await page.goto(`${server.url}?mode=resident`);
  await page.waitForSelector('#engine-status[data-loaded="true"]', { timeout: 60000 });
  await page.click('#mode-switch');
  await page.click('#tab-data');
  await page.setInputFiles('#import-input', file);
  await page.waitForSelector(`.import-report[data-file="postings-${n}.csv"]`, { timeout: 120000 });
  await page.click('#mode-switch');
  const times = [];
  const homes = [];
  const h = rng(7);
  for (let i = 0; i < 21; i++) homes.push([121.44 + h() * 0.07, 31.21 + h() * 0.04]);
  for (const [lon, lat] of homes) {
    await page.fill('#home-coords', `${lon.toFixed(5)},${lat.toFixed(5)}`);
    await page.click('#home-coords-go');
    try {
      await page.waitForFunction((s) => document.querySelector('#home-now')?.innerText.includes(s), `${lon.toFixed(5)}`, { timeout: 60000 });
      await page.waitForSelector('#nb-list-heading small, #nb-error', { timeout: 60000 });
      await page.waitForTimeout(150);
      const t = await page.locator('#nb-list-heading small').innerText().catch(() => '');
      const ms = parseFloat(t.replace(/[^\d.]/g, ''));
      if (Number.isFinite(ms)) times.push(ms);
    } catch { /* off-network home: skipped */ }
  }
  const first = times.shift();
  times.sort((a, b) => a - b);
  const med = times[Math.floor(times.length / 2)];
  out.push({ postings: n, first_ms_with_index_build: first, median_ms: med, max_ms: times[times.length - 1], queries: times.length });
  await page.close();
}
console.log(JSON.stringify(out, null, 2));
await context.close();
server.close();
