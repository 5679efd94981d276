// Resident flow: choose a home by typing coordinates, see services and postings by walking
// time, filter by hours, match a profile (kept in local storage), open a posting and see its
// route; then the keyboard-only path and the embed view.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withBrowser, openPage, screenshot } from './harness.mjs';

const env = withBrowser();

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
