// Each package of data/index.json opens with its layers, their real/estimate/illustrative labels,
// sources, licences and the attribution on screen; a first visit opens the first one (the most
// real: real streets and real OSM facilities); switching language and package works.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { withBrowser, openPage, screenshot, dist } from './harness.mjs';

const env = withBrowser();
const index = JSON.parse(await readFile(path.join(dist, 'data', 'index.json'), 'utf8'));

test('index lists the Chinese real-data packages and the demos', () => {
  const ids = index.map((p) => p.id);
  for (const id of ['beijing-wudaokou', 'beijing-xueyuanlu', 'nanjing-xinjiekou', 'shanghai-central', 'qingdao', 'helsinki']) {
    assert.ok(ids.includes(id), `${id} in index.json`);
  }
});

for (const { id } of index) {
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
      // The interface is Chinese: source, licence and method in Chinese (the manifest's *_zh).
      for (const field of ['source', 'licence', 'method']) {
        const zh = layer[`${field}_zh`];
        assert.ok(zh, `${layer.id} has its ${field} in Chinese`);
        assert.ok(text.includes(zh), `${layer.id} shows its ${field} in Chinese: ${text}`);
      }
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

test('a first visit opens the most real package: real streets and real OSM facilities', async () => {
  const first = index[0];
  const manifest = JSON.parse(await readFile(path.join(dist, 'data', first.id, 'manifest.json'), 'utf8'));
  const status = (kind) => manifest.layers.filter((l) => l.kind === kind).map((l) => l.status);
  assert.deepEqual(status('streets'), ['real']);
  assert.deepEqual(status('facilities'), ['real']);
  assert.notEqual(first.id, 'shanghai-central', 'the demo is not the default any more');
  const { page, problems } = await openPage(env.context, { demo: false });
  await page.goto(env.server.url + '?tab=data');
  await page.waitForSelector('#engine-status[data-loaded="true"]', { timeout: 30000 });
  assert.equal(await page.locator('#package-select').inputValue(), first.id);
  assert.match(await page.locator('#package-heading').innerText(), new RegExp(first.name_zh));
  for (const kind of ['streets', 'facilities']) {
    const layer = manifest.layers.find((l) => l.kind === kind);
    assert.equal(await page.locator(`.layer-item[data-layer="${layer.id}"]`).getAttribute('data-status'), 'real');
  }
  await page.waitForTimeout(300);
  await screenshot(page, 'package-default-first-visit');
  assert.deepEqual(problems, []);
});

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
