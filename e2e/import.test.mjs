// Importing files in the browser: valid rows load and draw, every bad row is reported with
// file, row and field, and nothing already loaded is lost.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { withBrowser, openPage, screenshot, root } from './harness.mjs';

const env = withBrowser();

const bad = (f) => path.join(root, 'tests', 'fixtures', 'bad', f);

test('a mixed CSV and a GBK CSV: valid rows load, bad rows are reported by row and field', async () => {
  const { page, problems } = await openPage(env.context);
  await page.goto(env.server.url + '?tab=data');
  await page.waitForSelector('#engine-status[data-loaded="true"]', { timeout: 30000 });
  const layersBefore = await page.locator('#package-panel .layer-item').count();
  await page.setInputFiles('#import-input', [bad('postings-mixed.csv'), bad('stations-gbk.csv')]);
  await page.waitForSelector('.import-report[data-file="postings-mixed.csv"]', { timeout: 20000 });
  await page.waitForSelector('.import-report[data-file="stations-gbk.csv"]', { timeout: 20000 });
  const postings = await page.locator('.import-report[data-file="postings-mixed.csv"]').innerText();
  assert.match(postings, /2 条已载入 \/ 4 条已读取/);
  assert.match(postings, /postings-mixed\.csv:3:纬度：经纬度似乎颠倒/);
  assert.match(postings, /postings-mixed\.csv:4：缺少岗位名称/);
  const gbk = await page.locator('.import-report[data-file="stations-gbk.csv"]').innerText();
  assert.match(gbk, /2 条已载入 \/ 3 条已读取/);
  assert.match(gbk, /stations-gbk\.csv:4:名称：编码错误/);
  // Nothing already loaded is lost: the package's layers are all still listed.
  assert.equal(await page.locator('#package-panel .layer-item').count(), layersBefore);
  await screenshot(page, 'import-report');
  assert.deepEqual(problems, []);
});

test('an empty file and invalid JSON are reported, and the page keeps working', async () => {
  const { page, problems } = await openPage(env.context);
  await page.goto(env.server.url + '?lang=en&tab=data');
  await page.waitForSelector('#engine-status[data-loaded="true"]', { timeout: 30000 });
  await page.setInputFiles('#import-input', [bad('stations-empty.csv'), bad('stations-invalid.geojson')]);
  await page.waitForSelector('.import-report[data-file="stations-empty.csv"]', { timeout: 20000 });
  await page.waitForSelector('.import-report[data-file="stations-invalid.geojson"]', { timeout: 20000 });
  assert.match(await page.locator('.import-report[data-file="stations-empty.csv"]').innerText(), /0 loaded/);
  assert.match(await page.locator('.import-report[data-file="stations-invalid.geojson"]').innerText(), /error: stations-invalid\.geojson/);
  // Still computes (the figures are on the walking-circles tab).
  await page.click('#tab-iso');
  await page.locator('#map').focus();
  await page.keyboard.press('Enter');
  await page.waitForSelector('#iso-figures', { timeout: 20000 });
  assert.deepEqual(problems, []);
});

test('every bad-input fixture imported in the Chinese interface: the report has no English sentence', async () => {
  const { readdir } = await import('node:fs/promises');
  const files = (await readdir(path.join(root, 'tests', 'fixtures', 'bad'))).filter((f) => !f.endsWith('.py'));
  const { page, problems } = await openPage(env.context);
  await page.goto(env.server.url + '?tab=data');
  await page.waitForSelector('#engine-status[data-loaded="true"]', { timeout: 30000 });
  await page.setInputFiles('#import-input', files.map(bad));
  for (const f of files) {
    await page.waitForSelector(`.import-report[data-file="${f}"]`, { timeout: 30000 });
  }
  const text = await page.locator('#import-panel').innerText();
  // An English sentence: three or more English words in a row. File names and quoted values
  // read from the file (a CRS URN, a category) are not sentences and are left out first.
  const english = text.split('\n').filter((line) => /[A-Za-z]{2,}[ ,;:]+[A-Za-z]{2,}[ ,;:]+[A-Za-z]{2,}/.test(
    line.replace(/[\w.-]+\.(csv|tsv|geojson|json)/g, '').replace(/"[^"]*"/g, '')));
  console.log(`${files.length} fixtures, ${text.split('\n').length} report lines, English lines: ${english.length}`);
  assert.deepEqual(english, []);
  assert.match(text, /错误/);
  await screenshot(page, 'import-report-zh');
  assert.deepEqual(problems, []);
});
