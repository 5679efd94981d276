// The URL is the view (issue 8): language, tab, map centre and zoom, layers shown or hidden
// against their default, and the scenario's sites come back from a link; panning and zooming
// rewrite it. Cancelling a running assessment stops waiting for it and does not restart it by
// itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withBrowser, openPage, screenshot } from './harness.mjs';

const env = withBrowser();

const params = (url) => new URL(url).searchParams;

test('URL round-trip: view, layers, tab and language restore; pan/zoom rewrite the link', async () => {
  const { page, problems } = await openPage(env.context);
  await page.goto(`${env.server.url}?lang=en&tab=data&view=121.46000,31.22500,16&on=postings&off=facilities`);
  await page.waitForSelector('#engine-status[data-loaded="true"]', { timeout: 30000 });
  await page.waitForFunction(() => document.querySelector('#map')?.dataset.zoom === '16');
  const bounds = (await page.locator('#map').getAttribute('data-bounds')).split(',').map(Number);
  const [w, s, e, n] = bounds;
  assert.ok(Math.abs((w + e) / 2 - 121.46) < 1e-3 && Math.abs((s + n) / 2 - 31.225) < 1e-3, `centre of ${bounds}`);
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  assert.equal(await page.locator('#tab-data').getAttribute('aria-selected'), 'true');
  assert.equal(await page.locator('.layer-item[data-layer="postings"] input').isChecked(), true, 'postings shown (hidden by default)');
  assert.equal(await page.locator('.layer-item[data-layer="facilities"] input').isChecked(), false, 'facilities hidden (shown by default)');
  assert.equal(await page.locator('.layer-item[data-layer="streets"] input').isChecked(), true, 'streets at their default');

  // Zoom out with the map's control and hide the streets: the URL follows.
  await page.click('.leaflet-control-zoom-out');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('view')?.endsWith(',15'));
  await page.locator('.layer-item[data-layer="streets"] input').uncheck();
  await page.waitForFunction(() => (new URL(location.href).searchParams.get('off') ?? '').split(',').includes('streets'));
  const link = page.url();
  assert.equal(params(link).get('lang'), 'en');
  assert.equal(params(link).get('tab'), 'data');

  // The link in a new page gives the same view.
  const p2 = await env.context.newPage();
  await p2.goto(link);
  await p2.waitForSelector('#engine-status[data-loaded="true"]', { timeout: 30000 });
  await p2.waitForFunction(() => document.querySelector('#map')?.dataset.zoom === '15');
  assert.equal(await p2.locator('.layer-item[data-layer="streets"] input').isChecked(), false);
  assert.equal(await p2.locator('.layer-item[data-layer="postings"] input').isChecked(), true);
  const b2 = (await p2.locator('#map').getAttribute('data-bounds')).split(',').map(Number);
  assert.ok(Math.abs((b2[0] + b2[2]) / 2 - 121.46) < 1e-3, `same centre: ${b2}`);
  await screenshot(p2, 'url-restored');
  // Switching the language keeps the view and writes lang=zh.
  await p2.click('#lang-switch');
  await p2.waitForFunction(() => new URL(location.href).searchParams.get('lang') === 'zh');
  assert.equal(params(p2.url()).get('view'), params(link).get('view'));
  await p2.close();
  assert.deepEqual(problems, []);
  await page.close();
});

test('cancelling the assessment stops waiting and does not restart it until asked', async () => {
  const { page, problems } = await openPage(env.context);
  await page.goto(`${env.server.url}?lang=en`);
  await page.waitForSelector('#engine-status[data-loaded="true"]', { timeout: 30000 });
  // Click "Cancel" the moment it appears (before the worker can answer).
  await page.evaluate(() => {
    new MutationObserver((_, obs) => {
      const b = document.querySelector('#cov-cancel');
      if (b) {
        b.click();
        window.__cancelled = true;
        obs.disconnect();
      }
    }).observe(document.body, { childList: true, subtree: true });
  });
  await page.click('#tab-coverage');
  await page.waitForFunction(() => window.__cancelled === true, null, { timeout: 10000 });
  // A positive signal: the panel says the run was cancelled (its worker was terminated, so no
  // late answer can arrive), and nothing re-runs by itself.
  await page.waitForSelector('#cov-cancelled', { timeout: 10000 });
  await page.waitForSelector('#cov-run:not([disabled])');
  await screenshot(page, 'url-coverage-cancelled');
  assert.equal(await page.locator('#cov-figures').count(), 0, 'no figures after cancel');
  assert.equal(await page.locator('#cov-progress').count(), 0, 'not running again');
  // Asked again, it runs (on the worker that took over) and the cancelled status goes.
  await page.click('#cov-run');
  await page.waitForSelector('#cov-figures', { timeout: 30000 });
  assert.equal(await page.locator('#cov-cancelled').count(), 0);
  assert.deepEqual(problems, []);
  await page.close();
});
