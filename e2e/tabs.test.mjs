// Two tabs of one browser on the same package (issue 15, item 5): what one tab stores the other
// sees without a reload, and no edit is lost. Tab A accepts a station into the scenario; tab B
// sees it, accepts another one and opens the residential compounds; both tabs end with both
// stations and the open compounds, and so does storage. Then a tab that wrote without having
// seen A's last edit (a same-origin page writing the record it had read before, as a tab whose
// storage event came late would) sets the same scenario's crossing wait to another value: both
// app tabs keep their own value, keep the other one as a copy named "（另一个标签页）", and say
// so in a notice. Every wait is for a DOM state; nothing sleeps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withBrowser, openPage, screenshot, DEMO_PACKAGE } from './harness.mjs';

const env = withBrowser();
const KEY = `shuangquan.scenarios.${DEMO_PACKAGE}`;

async function openPlanner(page) {
  await page.goto(env.server.url);
  await page.waitForSelector('#engine-status[data-loaded="true"]', { timeout: 30000 });
  await page.click('#tab-place');
  await page.waitForSelector('#place-panel');
}

/** Runs a placement of `k` sites and accepts them all into the active scenario. */
async function acceptBest(page, k) {
  await page.fill('#pl-k', String(k));
  await page.locator('#pl-k').dispatchEvent('change');
  await page.click('#pl-run');
  await page.waitForSelector('#pl-accept-all', { timeout: 60000 });
  await page.click('#pl-accept-all');
}

const siteIds = (page) => page.locator('#scn-sites li').evaluateAll((lis) => lis.map((li) => li.dataset.id));

test('two tabs: edits of one scenario in both tabs are kept in both; a conflict keeps a named copy', async () => {
  const a = await openPage(env.context);
  const b = await openPage(env.context);
  await openPlanner(a.page);
  await openPlanner(b.page);

  // A accepts a station; B sees it without a reload.
  await acceptBest(a.page, 1);
  const [first] = await siteIds(a.page);
  assert.ok(first, 'A accepted a site');
  await b.page.waitForFunction(
    (id) => [...document.querySelectorAll('#scn-sites li')].some((li) => li.dataset.id === id),
    first,
    { timeout: 10000 },
  );
  // B adds another station (A's is a station now, so the best new site is another one) and
  // edits the network: the compounds open.
  await acceptBest(b.page, 2);
  await b.page.waitForFunction(() => document.querySelectorAll('#scn-sites li').length >= 2);
  await b.page.selectOption('#net-compounds', 'open');
  const bIds = await siteIds(b.page);
  assert.ok(bIds.includes(first) && bIds.length >= 2, `B's sites ${bIds}`);
  // A gets B's edits; B still has A's: both tabs hold both edits.
  await a.page.waitForFunction(
    (n) =>
      document.querySelectorAll('#scn-sites li').length === n &&
      document.querySelector('#net-compounds')?.value === 'open',
    bIds.length,
    { timeout: 10000 },
  );
  assert.deepEqual(await siteIds(a.page), bIds);
  assert.equal(await b.page.locator('#net-compounds').inputValue(), 'open');
  // A says another tab's edits were merged.
  await a.page.waitForSelector('#notice-banner li:has-text("另一个标签页修改了本数据包的方案")', { timeout: 10000 });
  // Storage holds both edits, stamped.
  const stored = JSON.parse(await a.page.evaluate((k) => localStorage.getItem(k), KEY));
  const sc = stored.scenarios[stored.active];
  assert.deepEqual(sc.sites.map((s) => s.id), bIds);
  assert.equal(sc.compounds, 'open');
  assert.ok(stored.stamp.revision >= 3 && stored.stamp.tab, JSON.stringify(stored.stamp));
  assert.equal(stored.scenarios.length, 1, 'no copy when the edits do not conflict');

  // The conflict: a page of the same origin that is not the app reads the record, A changes
  // the crossing wait, and that page writes the wait it chose over the record it had read.
  const c = await env.context.newPage();
  await c.goto(`${env.server.url}favicon.svg`);
  const before = await c.evaluate((k) => localStorage.getItem(k), KEY);
  await a.page.fill('#net-delay', '10');
  await a.page.locator('#net-delay').dispatchEvent('change');
  await b.page.waitForFunction(() => document.querySelector('#net-delay')?.value === '10', null, { timeout: 10000 });
  await c.evaluate(
    ([k, text]) => {
      const f = JSON.parse(text);
      const p = f.stamp;
      f.scenarios[f.active].network.crossing_delay_s = 30;
      f.stamp = { revision: p.revision + 1, tab: 'late-tab', parent: { revision: p.revision, tab: p.tab } };
      localStorage.setItem(k, JSON.stringify(f));
    },
    [KEY, before],
  );
  for (const { page } of [a, b]) {
    await page.waitForFunction(
      () => [...document.querySelectorAll('#scn-select option')].some((o) => o.textContent.includes('（另一个标签页）')),
      null,
      { timeout: 10000 },
    );
    await page.waitForSelector('#notice-banner li:has-text("另一个标签页的版本另存为")', { timeout: 10000 });
    // This tab's value stays; its sites and compounds too.
    assert.equal(await page.locator('#net-delay').inputValue(), '10');
    assert.equal(await page.locator('#scn-select option').count(), 2, 'one copy, not one per tab');
  }
  // The copy holds the other value, the sites and the open compounds.
  await a.page.selectOption('#scn-select', '1');
  await a.page.waitForFunction(() => document.querySelector('#net-delay')?.value === '30');
  assert.equal(await a.page.locator('#net-compounds').inputValue(), 'open');
  assert.deepEqual(await siteIds(a.page), bIds);
  await a.page.selectOption('#scn-select', '0');
  await a.page.waitForFunction(() => document.querySelector('#net-delay')?.value === '10');
  await a.page.locator('#notice-banner').scrollIntoViewIfNeeded();
  await screenshot(a.page, 'tabs-conflict');
  // Stored: both versions, once each.
  await a.page.waitForFunction(
    (k) => JSON.parse(localStorage.getItem(k)).scenarios.length === 2,
    KEY,
    { timeout: 10000 },
  );
  const last = JSON.parse(await b.page.evaluate((k) => localStorage.getItem(k), KEY));
  assert.deepEqual(last.scenarios.map((s) => s.network.crossing_delay_s).sort(), [10, 30]);
  await c.close();
  assert.deepEqual([...a.problems, ...b.problems], []);
});
