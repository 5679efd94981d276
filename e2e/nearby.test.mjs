// Resident flow: choose a home by typing coordinates, see services and postings by walking
// time, filter by hours, match a profile (kept in local storage), open a posting and see its
// route; then the keyboard-only path and the embed view.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { withBrowser, openPage, screenshot, dist } from './harness.mjs';

const env = withBrowser();

/** Features of a layer file of a package in dist/. */
const layer = async (pkg, file) =>
  JSON.parse(await readFile(path.join(dist, 'data', pkg, file), 'utf8')).features;

/** A screenshot kept under target/screenshots/ and copied to SHOTS_DIR when that is set. */
const shot = async (page, name) => {
  const file = await screenshot(page, name);
  if (process.env.SHOTS_DIR) {
    await mkdir(process.env.SHOTS_DIR, { recursive: true });
    await copyFile(file, path.join(process.env.SHOTS_DIR, `${name}.png`));
  }
};

const minutes = async (page) =>
  (await page.locator('#nb-list .hit-time').allInnerTexts()).map((t) => parseFloat(t));

test('resident: home, services, postings by walking time, filter, match, route', async () => {
  const { page, problems } = await openPage(env.context);
  await page.goto(`${env.server.url}?mode=resident`);
  await page.waitForSelector('#engine-status[data-loaded="true"]', { timeout: 30000 });
  await page.fill('#home-coords', '121.4750,31.2290');
  await page.click('#home-coords-go');
  await page.waitForSelector('#nb-list .hit', { timeout: 20000 });
  const t = await minutes(page);
  assert.ok(t.length > 5, `postings: ${t.length}`);
  for (let i = 1; i < t.length; i++) assert.ok(t[i - 1] <= t[i] + 0.05, `by walking time at ${i}`);
  assert.ok(t[t.length - 1] <= 15.05, `within 15 minutes: ${t[t.length - 1]}`);
  // Every base category is listed with a time or "none".
  assert.equal(await page.locator('#nb-services li[data-category]').count() >= 6, true);
  // Filter: only part-time → fewer postings.
  const all = t.length;
  await page.click('input[data-hours="PartTime"]');
  await page.waitForFunction((n) => document.querySelectorAll('#nb-list .hit').length !== n, all, { timeout: 10000 });
  const part = (await minutes(page)).length;
  assert.ok(part < all, `filtered ${part} < ${all}`);
  await page.click('input[data-hours="PartTime"]');
  await page.waitForFunction((n) => document.querySelectorAll('#nb-list .hit').length === n, all, { timeout: 10000 });
  // Profile match: reasons appear; the profile is in local storage.
  await page.locator('#nearby-panel details.profile summary').click();
  await page.fill('#pf-age', '30');
  await page.locator('#pf-age').press('Tab');
  await page.waitForFunction(() => /"age":30/.test(localStorage.getItem('shuangquan.profile.v1') ?? ''), null, { timeout: 5000 });
  await page.selectOption('#pf-edu', 'senior_secondary');
  await page.click('#pf-match');
  await page.waitForSelector('#nb-list .reasons li', { timeout: 10000 });
  const stored = await page.evaluate(() => localStorage.getItem('shuangquan.profile.v1'));
  assert.match(stored, /"age":30/);
  const scores = (await page.locator('#nb-list .score-value').allInnerTexts()).map((s) => parseFloat(s.replace(/[^\d.]/g, '')));
  for (let i = 1; i < scores.length; i++) assert.ok(scores[i - 1] >= scores[i], `ranked by score at ${i}`);
  // Open the first posting: its route is drawn.
  await page.locator('#nb-list .hit-button').first().click();
  await page.waitForSelector('#route-info', { timeout: 10000 });
  const route = await page.locator('.leaflet-overlay-pane path').count();
  assert.ok(route > 0, 'route drawn');
  await screenshot(page, 'resident-route');
  // Clear the profile: gone from storage.
  await page.click('#pf-clear');
  assert.equal(await page.evaluate(() => localStorage.getItem('shuangquan.profile.v1')), null);
  assert.deepEqual(problems, []);
});

test('filters and the profile show what is in force after the tab is left and opened again', async () => {
  const { page, problems } = await openPage(env.context);
  await page.goto(env.server.url);
  await page.waitForSelector('#engine-status[data-loaded="true"]', { timeout: 30000 });
  await page.click('#tab-nearby');
  await page.fill('#home-coords', '121.4750,31.2290');
  await page.click('#home-coords-go');
  await page.waitForSelector('#nb-list .hit', { timeout: 20000 });
  const all = await page.locator('#nb-list .hit').count();
  // A pay floor and a keyword that keep some postings and drop others.
  await page.fill('#nb-pay', '6000');
  await page.locator('#nb-pay').press('Tab');
  await page.waitForFunction((n) => document.querySelectorAll('#nb-list .hit').length !== n, all, { timeout: 10000 });
  const filtered = await page.locator('#nb-list .hit').count();
  assert.ok(filtered < all, `pay filter: ${filtered} < ${all}`);
  await page.locator('#nearby-panel details.profile summary').click();
  await page.fill('#pf-skills', '收银 驾驶');
  await page.locator('#pf-skills').press('Tab');
  await page.waitForFunction(() => /收银/.test(localStorage.getItem('shuangquan.profile.v1') ?? ''), null, { timeout: 5000 });
  // Leave the tab and come back: the panel is built again from the state in force.
  await page.click('#tab-coverage');
  await page.waitForSelector('#nearby-panel', { state: 'detached', timeout: 5000 });
  await page.click('#tab-nearby');
  await page.waitForSelector('#nb-list .hit', { timeout: 20000 });
  assert.equal(await page.locator('#nb-list .hit').count(), filtered, 'the filter is still in force');
  assert.equal(await page.inputValue('#nb-pay'), '6000', 'the field shows the filter in force');
  assert.equal(await page.inputValue('#pf-skills'), '收银 驾驶', 'the profile field shows the stored skills');
  // Clearing the field lifts the filter.
  await page.fill('#nb-pay', '');
  await page.locator('#nb-pay').press('Tab');
  await page.waitForFunction((n) => document.querySelectorAll('#nb-list .hit').length === n, all, { timeout: 10000 });
  await page.click('#pf-clear');
  await page.waitForFunction(() => document.querySelector('#pf-skills')?.value === '', null, { timeout: 5000 });
  assert.deepEqual(problems, []);
});

test('resident by keyboard only, and an off-network home is reported', async () => {
  const { page, problems } = await openPage(env.context);
  await page.goto(`${env.server.url}?mode=resident`);
  await page.waitForSelector('#engine-status[data-loaded="true"]', { timeout: 30000 });
  await page.focus('#home-coords');
  await page.keyboard.type('121.4750,31.2290');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#nb-list .hit', { timeout: 20000 });
  await page.locator('#nb-list .hit-button').first().focus();
  await page.keyboard.press('Enter');
  await page.waitForSelector('#route-info', { timeout: 10000 });
  assert.equal(await page.locator('#nb-list .hit-button').first().getAttribute('aria-pressed'), 'true');
  // Far from any street (the middle of the Huangpu estuary area outside the extract).
  await page.fill('#home-coords', '121.9000,31.0000');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#nb-error', { timeout: 10000 });
  assert.match(await page.locator('#nb-error').innerText(), /\d+/);
  assert.deepEqual(problems, []);
});

test('embed: chrome-less resident view', async () => {
  const { page, problems } = await openPage(env.context);
  await page.setViewportSize({ width: 360, height: 640 });
  await page.goto(`${env.server.url}?embed=1&home=121.475,31.229`);
  await page.waitForSelector('#nb-list .hit', { timeout: 30000 });
  assert.equal(await page.locator('.app-header').isVisible(), false);
  assert.equal(await page.locator('#nearby-panel').count(), 1);
  assert.equal(await page.locator('#tab-coverage').count(), 0);
  await screenshot(page, 'embed-phone');
  assert.deepEqual(problems, []);
});

test('resident: a job category shows only its postings, as many as the choice says', async () => {
  const { page, problems } = await openPage(env.context);
  await page.goto(`${env.server.url}?mode=resident`);
  await page.waitForSelector('#engine-status[data-loaded="true"]', { timeout: 30000 });
  await page.fill('#home-coords', '121.4750,31.2290');
  await page.click('#home-coords-go');
  await page.waitForSelector('#nb-list .hit', { timeout: 20000 });
  const all = await page.locator('#nb-list .hit').count();
  // The choices: the categories of the postings within the walk, with their counts.
  const options = await page.locator('#nb-category option[data-count]').evaluateAll((os) =>
    os.map((o) => ({ value: o.value, count: Number(o.dataset.count) })));
  assert.ok(options.length >= 2, `categories offered: ${JSON.stringify(options)}`);
  const categoryOf = new Map((await layer('shanghai-central', 'postings.geojson'))
    .map((f) => [f.properties.id, f.properties.category]));
  const inData = new Set(categoryOf.values());
  for (const o of options) assert.ok(inData.has(o.value), `${o.value} is a category of the data`);
  const shown = new Map();
  for (const id of await page.locator('#nb-list .hit').evaluateAll((ls) => ls.map((l) => l.dataset.id))) {
    shown.set(categoryOf.get(id), (shown.get(categoryOf.get(id)) ?? 0) + 1);
  }
  const pick = options.find((o) => o.count > 0 && o.count < all);
  assert.ok(pick, 'a category with fewer postings than all');
  assert.equal(pick.count, shown.get(pick.value), `${pick.value}: count offered = rows shown before filtering`);
  await page.selectOption('#nb-category', pick.value);
  await page.waitForFunction((c) => {
    const rows = [...document.querySelectorAll('#nb-list .hit')];
    return rows.length > 0 && rows.every((r) => r.dataset.category === c);
  }, pick.value, { timeout: 10000 });
  const ids = await page.locator('#nb-list .hit').evaluateAll((ls) => ls.map((l) => l.dataset.id));
  assert.equal(ids.length, Math.min(pick.count, 200));
  assert.ok(ids.length < all, `${ids.length} < ${all}`);
  for (const id of ids) assert.equal(categoryOf.get(id), pick.value, `${id} is in ${pick.value}`);
  // Still listed, still chosen; the other choices remain (to switch directly).
  assert.equal(await page.locator('#nb-category').inputValue(), pick.value);
  assert.equal(await page.locator('#nb-category option[data-count]').count(), options.length);
  // The community search is open over the filters in the screenshot: type initials.
  await page.locator('#home-place').pressSequentially('sypq00');
  await page.waitForSelector('#home-place-list[aria-busy="false"] [role="option"]', { timeout: 5000 });
  await shot(page, 'resident-category-and-pinyin');
  await page.keyboard.press('Escape');
  // Back to every category.
  await page.selectOption('#nb-category', '');
  await page.waitForFunction((n) => document.querySelectorAll('#nb-list .hit').length === n, all, { timeout: 10000 });
  assert.deepEqual(problems, []);
});

test('resident: the community search finds names by pinyin and picks one by keyboard', async () => {
  const { page, problems } = await openPage(env.context);
  await page.goto(`${env.server.url}?pkg=qingdao&mode=resident`);
  await page.waitForSelector('#engine-status[data-loaded="true"]', { timeout: 30000 });
  const demand = await layer('qingdao', 'demand.geojson');
  const names = [...new Set(demand.map((f) => f.properties.community).filter(Boolean))];
  const taiping = names.filter((n) => n.includes('太平'));
  assert.ok(taiping.length >= 3, `names with 太平 in the data: ${taiping}`);
  const input = page.locator('#home-place');
  const options = () => page.locator('#home-place-list [role="option"]').allInnerTexts();
  // Full pinyin: every 太平 community, and nothing else.
  await input.click();
  await input.pressSequentially('taiping');
  // The worker answers each text typed; the list is busy until the last one is answered.
  await page.waitForSelector('#home-place-list[aria-busy="false"] [role="option"]', { timeout: 5000 });
  assert.equal(await input.getAttribute('aria-expanded'), 'true');
  const full = await options();
  assert.deepEqual([...full].sort(), [...taiping].sort());
  await shot(page, 'resident-pinyin-suggestions');
  // Initials, upper case: 太平角 only.
  await input.fill('');
  await input.pressSequentially('TPJ');
  await page.waitForFunction(() => document.querySelectorAll('#home-place-list[aria-busy="false"] [role="option"]').length === 1, null, { timeout: 5000 });
  const [name] = await options();
  assert.match(name, /^太平角/);
  // Nothing matches: said so.
  await input.fill('');
  await input.pressSequentially('qqqqx');
  await page.waitForSelector('#home-place-none', { timeout: 5000 });
  assert.equal(await page.locator('#home-place-list [role="option"]').count(), 0);
  // Chinese and pinyin mixed, then the keyboard: ArrowDown makes the option active, Enter picks.
  await input.fill('');
  await input.pressSequentially('太平jiao');
  await page.waitForFunction(() => document.querySelectorAll('#home-place-list[aria-busy="false"] [role="option"]').length === 1, null, { timeout: 5000 });
  await page.keyboard.press('ArrowDown');
  assert.equal(await input.getAttribute('aria-activedescendant'), 'home-place-opt-0');
  assert.equal(await page.locator('#home-place-opt-0').getAttribute('aria-selected'), 'true');
  await shot(page, 'resident-pinyin-active');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#home-now', { timeout: 10000 });
  assert.equal(await input.inputValue(), name);
  assert.equal(await input.getAttribute('aria-expanded'), 'false');
  // The home is that community's demand-weighted centre.
  const pts = demand.filter((f) => f.properties.community === name);
  const w = pts.reduce((s, f) => s + f.properties.weight, 0);
  const lon = pts.reduce((s, f) => s + f.geometry.coordinates[0] * f.properties.weight, 0) / w;
  const lat = pts.reduce((s, f) => s + f.geometry.coordinates[1] * f.properties.weight, 0) / w;
  const [gotLon, gotLat] = (await page.locator('#home-now').innerText()).match(/-?\d+\.\d+/g).map(Number);
  assert.ok(Math.abs(gotLon - lon) < 2e-5 && Math.abs(gotLat - lat) < 2e-5, `home ${gotLon},${gotLat} vs ${lon},${lat}`);
  await page.waitForFunction(() => /home=/.test(location.search), null, { timeout: 5000 });
  // Escape closes the list, a second Escape clears the text.
  await input.click();
  await input.press('End');
  await input.press('Backspace');
  await page.waitForSelector('#home-place-list [role="option"]', { timeout: 5000 });
  await input.press('Escape');
  assert.equal(await input.getAttribute('aria-expanded'), 'false');
  await input.press('Escape');
  assert.equal(await input.inputValue(), '');
  assert.deepEqual(problems, []);
});

/**
 * Opens the qingdao package's resident view; returns its community names containing 太平 (from
 * the package's file: the oracle) and the community search's input.
 */
const openQingdaoSearch = async (page) => {
  await page.goto(`${env.server.url}?pkg=qingdao&mode=resident`);
  await page.waitForSelector('#engine-status[data-loaded="true"]', { timeout: 30000 });
  const names = [...new Set((await layer('qingdao', 'demand.geojson')).map((f) => f.properties.community).filter(Boolean))];
  const taiping = names.filter((n) => n.includes('太平'));
  assert.ok(taiping.length >= 3, `names with 太平 in the data: ${taiping}`);
  return { taiping, input: page.locator('#home-place') };
};

test('resident: without its pinyin table the community search says so and finds names by their characters', async () => {
  const { page, problems } = await openPage(env.context);
  // A portal's catch-all answers the table's URL with a page of its own, not the table: the
  // worker's check refuses it.
  let asked = 0;
  await page.route('**/pinyin.bin', (r) => {
    asked += 1;
    return r.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>门户首页</title>' });
  });
  const { taiping, input } = await openQingdaoSearch(page);
  await input.click();
  await input.pressSequentially('taiping');
  // The search waited for the table and was answered without it: pinyin finds nothing, and
  // the planner is told why, in the page's language.
  await page.waitForSelector('#home-place-none', { timeout: 10000 });
  await page.waitForSelector('#notice-banner', { timeout: 5000 });
  assert.match(await page.locator('#notice-banner').innerText(), /拼音检索表未能加载.*只能按汉字查找/);
  assert.equal(asked, 1, 'the table is fetched once, on the first search');
  // Characters still find every 太平 community.
  await input.fill('');
  await input.pressSequentially('太平');
  await page.waitForFunction((n) => document.querySelectorAll('#home-place-list[aria-busy="false"] [role="option"]').length === n, taiping.length, { timeout: 5000 });
  assert.deepEqual([...(await page.locator('#home-place-list [role="option"]').allInnerTexts())].sort(), [...taiping].sort());
  await shot(page, 'resident-pinyin-unavailable');
  assert.equal(asked, 1);
  assert.deepEqual(problems, []);
});

test('resident: a pinyin table lost on the way is fetched again by a later search, and the notice goes', async () => {
  const { page, problems } = await openPage(env.context);
  // The first fetch fails as on a phone between two cells; later ones reach the server.
  let asked = 0;
  await page.route('**/pinyin.bin', (r) => {
    asked += 1;
    return asked === 1 ? r.abort('internetdisconnected') : r.continue();
  });
  const { taiping, input } = await openQingdaoSearch(page);
  // One search (one input event): every keystroke would be a search, and the second one
  // would already fetch again.
  await input.click();
  await input.fill('taiping');
  await page.waitForSelector('#home-place-none', { timeout: 10000 });
  await page.waitForSelector('#notice-banner', { timeout: 5000 });
  assert.match(await page.locator('#notice-banner').innerText(), /拼音检索表未能加载/);
  assert.equal(asked, 1);
  // The next search is answered at once by characters and fetches the table again; when it
  // arrives the notice is withdrawn and pinyin finds every 太平 community.
  await input.fill('tai');
  await page.waitForSelector('#notice-banner', { state: 'detached', timeout: 10000 });
  assert.equal(asked, 2, 'fetched once more');
  await input.fill('');
  await input.pressSequentially('taiping');
  await page.waitForFunction((n) => document.querySelectorAll('#home-place-list[aria-busy="false"] [role="option"]').length === n, taiping.length, { timeout: 5000 });
  assert.deepEqual([...(await page.locator('#home-place-list [role="option"]').allInnerTexts())].sort(), [...taiping].sort());
  assert.equal(asked, 2, 'not fetched again once installed');
  // The lost fetch may be logged by the browser; nothing else may be.
  assert.deepEqual(problems.filter((p) => !/pinyin\.bin|ERR_INTERNET_DISCONNECTED/.test(p)), []);
});

test('resident: posted dates and distances in each language', async () => {
  const { page, problems } = await openPage(env.context);
  const posted = new Map((await layer('shanghai-central', 'postings.geojson'))
    .map((f) => [f.properties.id, f.properties.posted]));
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  for (const [lang, format, unit] of [
    ['zh', ([y, m, d]) => `发布于 ${y}年${m}月${d}日`, /\d+ 米$/],
    ['en', ([y, m, d]) => `posted ${d} ${months[m - 1]} ${y}`, /\d+ m$/],
  ]) {
    await page.goto(`${env.server.url}?mode=resident&lang=${lang}&home=121.475,31.229`);
    await page.waitForSelector('#nb-list .hit', { timeout: 30000 });
    const row = page.locator('#nb-list .hit').first();
    const id = await row.getAttribute('data-id');
    const date = posted.get(id).split('-').map(Number);
    const details = await row.locator('.hit-details').innerText();
    assert.ok(details.endsWith(format(date)), `${lang}: ${details}`);
    assert.match((await row.locator('.hit-time').innerText()).trim(), unit);
    if (lang === 'en') await shot(page, 'resident-en');
  }
  assert.deepEqual(problems, []);
});
