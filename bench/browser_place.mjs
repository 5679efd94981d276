// Placement timing in headless Chromium on the Shanghai package: the planner tab's run, as the
// worker reports it (#pl-ms: matrix build + solve + answer), for a first run (matrix built),
// runs that only change k (matrix reused), and a run at another threshold (matrix rebuilt).
// Usage: trunk build --release --offline && node bench/browser_place.mjs [runs]
import { serve, launch, openPage } from '../e2e/harness.mjs';

const runs = Number(process.argv[2] ?? 7);
const server = await serve();
const context = await launch();
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows = [];

async function run(page, k, minutes) {
  await page.fill('#pl-k', String(k));
  await page.locator('#pl-k').dispatchEvent('change');
  await page.fill('#pl-minutes', String(minutes));
  await page.locator('#pl-minutes').dispatchEvent('change');
  const before = await page.locator('#pl-ms').innerText().catch(() => '');
  await page.click('#pl-run');
  await page.waitForFunction((b) => {
    const el = document.querySelector('#pl-ms');
    return el && !document.querySelector('#pl-progress') && el.innerText !== b;
  }, before, { timeout: 120000 });
  const text = await page.locator('#pl-ms').innerText();
  return { ms: parseFloat(text), reused: /reused|沿用/.test(text) };
}

const first = [], reused = [], rebuilt = [];
for (let i = 0; i < runs; i++) {
  const { page } = await openPage(context);
  await page.goto(`${server.url}?lang=en&tab=place`);
  await page.waitForSelector('#engine-status[data-loaded="true"]', { timeout: 60000 });
  await page.waitForSelector('#pl-run');
  const a = await run(page, 5, 15);
  if (a.reused) throw new Error('first run reused a matrix');
  first.push(a.ms);
  const b = await run(page, 10 + i, 15);
  if (!b.reused) throw new Error('changing k rebuilt the matrix');
  reused.push(b.ms);
  const c = await run(page, 5, 10);
  if (c.reused) throw new Error('a new threshold reused the matrix');
  rebuilt.push(c.ms);
  await page.close();
}
rows.push(['first run, k = 5, 15 min (matrix + MCLP)', first]);
rows.push(['k changed (matrix reused, MCLP only)', reused]);
rows.push(['10 min (matrix rebuilt + MCLP)', rebuilt]);
console.log('| run | median ms | max ms | n |\n|---|---:|---:|---:|');
for (const [name, xs] of rows) console.log(`| ${name} | ${median(xs).toFixed(0)} | ${Math.max(...xs).toFixed(0)} | ${xs.length} |`);
await context.close();
await server.close();
