// Supply–demand in the browser (issue 14): a walking profile and a standards preset change the
// figures and the map; the ratios table; the accessibility surface computed in the worker and
// drawn as a raster with its legend and exports; the 体检报告 printed on A4 with the map; a bad
// cell size named, nothing half-computed shown; both languages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { withBrowser, openPage, screenshot, shots } from './harness.mjs';

const env = withBrowser();

const pct = async (page, sel) => parseFloat((await page.locator(sel).innerText()).replace(/[^\d.]/g, ''));

async function changed(page, sel, before) {
  await page.waitForFunction(([s, b]) => {
    const e = document.querySelector(s);
    return e && e.textContent !== b;
  }, [sel, before], { timeout: 30000 });
}

async function coverageReady(page, url) {
  await page.goto(url);
  await page.waitForSelector('#engine-status[data-loaded="true"]', { timeout: 30000 });
  await page.waitForSelector('#gap-table tbody tr', { timeout: 30000 });
}

test('access: profile and preset change the figures; ratios; surface in the worker; report on A4', async () => {
  const { page, problems } = await openPage(env.context);
  await coverageReady(page, `${env.server.url}?tab=coverage`);
  const dualText = await page.locator('#cov-dual').innerText();
  const dual = await pct(page, '#cov-dual');
  // The elderly walk slower: a smaller or equal 双圈 share, re-computed in the worker.
  await page.selectOption('#acc-profile', 'elderly');
  await changed(page, '#cov-dual', dualText);
  const dualOld = await pct(page, '#cov-dual');
  assert.ok(dualOld < dual, `elderly ${dualOld} < standard ${dual}`);
  // GB 50180's 5-minute tier is stricter still; its citation is shown.
  const t2 = await page.locator('#cov-dual').innerText();
  await page.selectOption('#acc-standard', 'gb50180');
  await changed(page, '#cov-dual', t2);
  assert.ok((await pct(page, '#cov-dual')) <= dualOld);
  assert.match(await page.locator('#acc-citation').innerText(), /GB 50180-2018/);
  // Ratios: one row per target, stations first.
  await page.click('#acc-run');
  await page.waitForSelector('#acc-table tbody tr', { timeout: 30000 });
  const targets = await page.locator('#acc-table tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.target));
  assert.equal(targets[0], 'station');
  assert.ok(targets.length >= 7, `targets ${targets}`);
  assert.equal(await page.locator('#acc-table caption').innerText(), '全域供需比（每千人的服务容量）');
  // The surface, computed in the worker, drawn on the map with its legend.
  await page.fill('#surf-cell', '100');
  await page.locator('#surf-cell').dispatchEvent('change');
  await page.click('#surf-run');
  await page.waitForSelector('#surf-summary', { timeout: 60000 });
  const ms = parseFloat(await page.locator('#surf-summary').getAttribute('data-ms'));
  assert.match(await page.locator('#surf-summary').innerText(), /^[\d,]+个网格，其中[\d,]+个不在路网上（留空）；耗时\d+毫秒$/);
  console.log(`surface shanghai-central 100 m, worker compute: ${ms} ms`);
  fs.mkdirSync(shots, { recursive: true });
  fs.writeFileSync(path.join(shots, 'access-surface-ms.txt'), `${ms}\n`);
  await page.waitForSelector('#surface-raster', { timeout: 10000 });
  await page.waitForSelector('#surface-legend');
  assert.equal(await page.locator('#surface-legend .swatch').count(), 8); // 0–6 and blank
  await screenshot(page, 'access-surface');
  // Minutes to the station: another legend, another image.
  const src = await page.locator('#surface-raster').getAttribute('src');
  await page.selectOption('#surf-layer', 't0');
  await page.waitForFunction((s) => document.querySelector('#surface-raster')?.getAttribute('src') !== s, src, { timeout: 10000 });
  assert.match(await page.locator('#surface-legend strong').innerText(), /到最近的步行分钟：就业服务站/);
  // The surface export records the standard on every row; blank cells are empty.
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#surf-csv')]);
  const csv = fs.readFileSync(await dl.path(), 'utf8');
  assert.ok(csv.startsWith('\uFEFFstandard,col,row,lon,lat,station_min'), csv.slice(0, 80));
  const rows = csv.trim().split('\n').slice(1);
  const bad = rows.filter((r) => !/^"?gb50180"?,/.test(r));
  assert.ok(rows.length > 10000 && bad.length === 0, `${rows.length} rows, e.g. ${bad[0]}`);
  // The 体检报告 of a community: printed on A4 next to the map at its extent.
  await page.locator('#gap-table tbody tr').nth(2).click();
  await page.waitForSelector('#checkup-report');
  const name = await page.locator('#gap-table tbody tr.selected th').innerText();
  assert.match(await page.locator('#report-title').innerText(), new RegExp(`体检报告 · ${name}`));
  assert.ok(await page.locator('#report-ratios tbody tr').count() >= 7);
  await page.evaluate(() => {
    window.__printed = [];
    window.print = () => window.__printed.push(document.documentElement.getAttribute('data-print'));
  });
  await page.click('#acc-print');
  await page.waitForFunction(() => window.__printed.length === 1, null, { timeout: 5000 });
  assert.deepEqual(await page.evaluate(() => window.__printed), ['report']);
  await page.evaluate(() => document.documentElement.setAttribute('data-print', 'report'));
  await page.emulateMedia({ media: 'print' });
  await page.setViewportSize({ width: 1123, height: 794 });
  assert.ok(await page.locator('#checkup-report').isVisible(), 'report printed');
  assert.ok(await page.locator('#map').isVisible(), 'map printed');
  assert.equal(await page.locator('#gap-table').isVisible(), false, 'the rest of the panel is not');
  assert.equal(await page.locator('#acc-controls').isVisible(), false);
  await screenshot(page, 'access-report-print');
  const pdf = await page.pdf({ format: 'A4', landscape: true, printBackground: true });
  const boxes = [...pdf.toString('latin1').matchAll(/\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/g)].map((m) => [+m[1], +m[2]]);
  assert.ok(boxes.length >= 1 && boxes.every(([w, h]) => Math.abs(w - 842) < 2 && Math.abs(h - 595) < 2), JSON.stringify(boxes));
  fs.writeFileSync(path.join(shots, 'access-report.pdf'), pdf);
  await page.emulateMedia({ media: 'screen' });
  await page.evaluate(() => document.documentElement.removeAttribute('data-print'));
  await page.setViewportSize({ width: 1280, height: 800 });
  // A cell size of 0 is named and the old surface goes: nothing half-computed is shown.
  await page.fill('#surf-cell', '0');
  await page.locator('#surf-cell').dispatchEvent('change');
  await page.click('#surf-run');
  await page.waitForSelector('#acc-error', { timeout: 10000 });
  assert.match(await page.locator('#acc-error').innerText(), /网格边长 0 米/);
  assert.equal(await page.locator('#surf-summary').count(), 0);
  assert.equal(await page.locator('#surface-raster').count(), 0);
  // One giving more than 4 million cells: named too.
  await page.fill('#surf-cell', '2');
  await page.locator('#surf-cell').dispatchEvent('change');
  await page.click('#surf-run');
  await page.waitForFunction(() => /超过上限 4000000/.test(document.querySelector('#acc-error')?.textContent ?? ''), null, { timeout: 10000 });
  await screenshot(page, 'access-error');
  assert.deepEqual(problems, []);
});

test('access: every new string in English', async () => {
  const { page, problems } = await openPage(env.context);
  await coverageReady(page, `${env.server.url}?lang=en&tab=coverage`);
  const cjk = /[\u3400-\u9fff]/;
  assert.equal(await page.locator('#acc-heading').innerText(), 'Supply–demand and accessibility');
  const options = await page.locator('#acc-profile option, #acc-standard option, #acc-method option, #surf-layer option').allInnerTexts();
  assert.ok(options.length >= 10);
  for (const o of options) assert.ok(!cjk.test(o), `English option: ${o}`);
  await page.selectOption('#acc-standard', 'mofcom2021');
  assert.match(await page.locator('#acc-citation').innerText(), /MOFCOM/);
  await page.selectOption('#acc-method', 'e2sfca');
  await page.click('#acc-run');
  await page.waitForSelector('#acc-table tbody tr', { timeout: 30000 });
  await page.click('#surf-run');
  await page.waitForSelector('#surf-summary', { timeout: 60000 });
  await page.locator('#gap-table tbody tr').nth(0).click();
  await page.waitForSelector('#checkup-report');
  // Everything the section wrote (not the data's own names) is English.
  const texts = await page.locator('#access-panel :is(h2, h3:not(#report-title), h4, caption, th[scope="col"], label, button, p.note, p.hint, #surf-summary, #surface-legend div, #surface-legend strong, dt)').allInnerTexts();
  for (const t of texts) assert.ok(!cjk.test(t), `English: ${t}`);
  assert.match(await page.locator('#report-title').innerText(), /^Check-up report · /);
  await screenshot(page, 'access-en');
  assert.deepEqual(problems, []);
});
