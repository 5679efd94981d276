// Faults in the browser: local storage that is full (the quota filled first, for real) or
// missing (a private window or an embed with storage blocked). The app says what was not saved,
// in the planner's language, keeps working, and overwrites nothing already stored.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withBrowser, openPage, screenshot } from './harness.mjs';

const env = withBrowser();

test('storage full: the scenarios are named as not saved, what was stored is untouched, the map still works', async () => {
  const { page, problems } = await openPage(env.context);
  await page.goto(env.server.url + 'index.html?lang=en');
  await page.waitForSelector('#engine-status[data-loaded="true"]', { timeout: 60000 });
  // Fill the origin's quota with filler, then forget the app's own keys so its next write is new.
  const filled = await page.evaluate(() => {
    for (const k of Object.keys(localStorage)) if (k.startsWith('shuangquan.')) localStorage.removeItem(k);
    localStorage.setItem('keep.me', 'stored before');
    const chunk = 'x'.repeat(256 * 1024);
    let n = 0;
    try {
      for (; n < 1000; n++) localStorage.setItem(`filler.${n}`, chunk);
    } catch (e) {
      // Top up with smaller pieces until not even 64 characters fit.
      for (let size = 128 * 1024; size >= 64; size = Math.floor(size / 2)) {
        try {
          for (let k = 0; ; k++) localStorage.setItem(`filler.${n}.${size}.${k}`, 'y'.repeat(size));
        } catch {
          /* next size down */
        }
      }
      return { n, error: e.name };
    }
    return { n, error: null };
  });
  assert.equal(filled.error, 'QuotaExceededError', `quota filled after ${filled.n} chunks`);
  const before = await page.evaluate(() => JSON.stringify(Object.entries(localStorage).sort()));

  await page.reload();
  await page.waitForSelector('#engine-status[data-loaded="true"]', { timeout: 60000 });
  await page.waitForSelector('#notice-banner', { timeout: 20000 });
  assert.match(await page.locator('#notice-banner').innerText(), /The scenarios could not be saved: the browser's storage is full/);
  // Nothing stored was changed (no partial value, no eviction).
  assert.equal(await page.evaluate(() => JSON.stringify(Object.entries(localStorage).sort())), before);
  // The page keeps working: the walking circles of the map's centre.
  await page.locator('#map').focus();
  await page.keyboard.press('Enter');
  await page.waitForSelector('#iso-figures', { timeout: 30000 });
  await screenshot(page, 'faults-storage-full');
  await page.evaluate(() => localStorage.clear());
  assert.deepEqual(problems.filter((p) => !/QuotaExceeded|exceeded the quota/i.test(p)), []);
});

test('storage missing: the app says nothing will be kept, in Chinese, and works', async () => {
  const context = env.context;
  const { page, problems } = await openPage(context);
  await page.addInitScript(() => {
    Object.defineProperty(window, 'localStorage', {
      configurable: true,
      get() {
        throw new DOMException('The operation is insecure.', 'SecurityError');
      },
    });
  });
  await page.goto(env.server.url);
  await page.waitForSelector('#engine-status[data-loaded="true"]', { timeout: 60000 });
  const notice = await page.locator('#notice-banner').innerText();
  assert.match(notice, /本页无法使用浏览器存储/);
  await page.locator('#map').focus();
  await page.keyboard.press('Enter');
  await page.waitForSelector('#iso-figures', { timeout: 30000 });
  await page.click('#tab-coverage');
  await page.waitForSelector('#cov-figures', { timeout: 60000 });
  await screenshot(page, 'faults-storage-missing');
  assert.deepEqual(problems, []);
});

test('a worker that dies is noticed and replaced; package, imports and scenario come back', async () => {
  const { page, problems } = await openPage(env.context);
  const workers = [];
  page.on('worker', (w) => workers.push(w));
  // A scenario from a link (two sites) and an imported stations file both change the coverage.
  const sites = 'k1~121.4600~31.2200;k2~121.4900~31.2400';
  await page.goto(`${env.server.url}?lang=en&tab=data&sites=${sites}`);
  await page.waitForSelector('#engine-status[data-loaded="true"]', { timeout: 60000 });
  await page.setInputFiles('#import-input', [{
    name: 'more-stations.csv', mimeType: 'text/csv',
    buffer: Buffer.from('id,lon,lat,name\nx1,121.4450,31.2100,West\nx2,121.5050,31.2550,East\n'),
  }]);
  await page.waitForSelector('.import-report[data-file="more-stations.csv"]', { timeout: 30000 });
  const dual = async () => {
    await page.click('#tab-iso');
    await page.click('#tab-coverage');
    await page.waitForSelector('#cov-dual', { timeout: 60000 });
    return page.locator('#cov-dual').innerText();
  };
  const before = await dual();
  assert.ok(workers.length >= 1, 'the page has a worker');

  // Kill it from outside, as the browser does when it reclaims memory.
  await workers[workers.length - 1].evaluate(() => self.close()).catch(() => {});
  await page.waitForSelector('#notice-banner', { timeout: 30000 });
  assert.match(await page.locator('#notice-banner').innerText(), /The analysis worker stopped/);
  await page.waitForSelector('#engine-status[data-loaded="true"]', { timeout: 60000 });
  await page.click('#tab-data');
  await page.waitForSelector('.import-report[data-file="more-stations.csv"]', { timeout: 30000 });
  assert.ok(workers.length >= 2, 'a new worker was started');
  // The same figures as before the death: package, imported stations and scenario restored.
  assert.equal(await dual(), before);
  // No spinner is left waiting.
  assert.equal(await page.locator('[aria-busy="true"]').count(), 0);
  await screenshot(page, 'faults-worker-restarted');
  assert.deepEqual(problems, []);
});
