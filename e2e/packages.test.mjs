// Each default package opens with its layers, their real/estimate/illustrative labels, sources,
// licences and the attribution on screen; switching language and package works.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { withBrowser, openPage, screenshot, dist } from './harness.mjs';

const env = withBrowser();

for (const id of ['shanghai-central', 'qingdao', 'helsinki']) {
  test(`package ${id}: layers, labels, provenance and attribution are on screen`, async () => {
    const manifest = JSON.parse(await readFile(path.join(dist, 'data', id, 'manifest.json'), 'utf8'));
    const { page, problems } = await openPage(env.context);
    await page.goto(`${env.server.url}?pkg=${id}&tab=data`);
    await page.waitForSelector('#engine-status[data-loaded="true"]', { timeout: 30000 });
    for (const layer of manifest.layers) {
      const item = page.locator(`.layer-item[data-layer="${layer.id}"]`);
      assert.equal(await item.count(), 1, `layer ${layer.id} listed`);
      assert.equal(await item.getAttribute('data-status'), layer.status);
      const text = await item.innerText();
      assert.ok(text.includes(layer.licence), `${layer.id} shows its licence`);
      assert.ok(text.includes({ real: '真实', estimate: '估算', illustrative: '示意' }[layer.status]), `${layer.id} status badge`);
    }
    assert.match(await page.locator('#package-attribution').innerText(), /OpenStreetMap contributors, ODbL/);
    const illustrative = manifest.layers.some((l) => l.status === 'illustrative');
    assert.equal(await page.locator('#illustrative-banner').count(), illustrative ? 1 : 0);
    assert.equal(await page.locator('#error-banner').count(), 0, 'no import problems');
    await page.waitForTimeout(300);
    await screenshot(page, `package-${id}`);
    assert.deepEqual(problems, []);
  });
}

test('language switch and package picker', async () => {
  const { page, problems } = await openPage(env.context);
  await page.goto(env.server.url + '?tab=data');
  await page.waitForSelector('#engine-status[data-loaded="true"]', { timeout: 30000 });
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
  await page.click('#lang-switch');
  await page.waitForSelector('text=Layers and sources');
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.match(page.url(), /lang=en/);
  await page.selectOption('#package-select', 'helsinki');
  await page.waitForSelector('#package-heading:has-text("Helsinki")', { timeout: 30000 });
  assert.match(page.url(), /pkg=helsinki/);
  await screenshot(page, 'package-switch-en');
  assert.deepEqual(problems, []);
});
