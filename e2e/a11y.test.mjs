// Accessibility in the browser: axe-core (npm) on every view — the planner with an isochrone, the
// coverage assessment, the resident view with results, the data tab, English, the embed — fails
// on any serious or critical violation; a 200 % zoom check (640 CSS px wide at device scale 2)
// that nothing overflows sideways and the tabs stay usable; and the A4-landscape print view.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { withBrowser, openPage, screenshot, root, shots, withDemoPackage } from './harness.mjs';

const env = withBrowser();
const axeSource = await readFile(path.join(root, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

/**
 * Runs axe on the page and returns the serious/critical violations as readable lines.
 * axe is injected with `page.evaluate` (a DevTools evaluation, which the page's CSP does not
 * govern), so the page keeps its strict policy and no `bypassCSP` is needed.
 */
async function axeProblems(page) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () =>
    // eslint-disable-next-line no-undef
    axe.run(document, { resultTypes: ['violations'], runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } }),
  );
  // One line per rule: id, impact, how many nodes, the first three targets and why.
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => {
      const targets = v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ');
      const why = v.nodes[0]?.failureSummary?.split('\n')[1]?.trim() ?? v.help;
      return `${v.id} (${v.impact}, ${v.nodes.length} nodes): ${targets} — ${why}`;
    });
}

async function loaded(page, url) {
  await page.goto(url);
  await page.waitForSelector('#engine-status[data-loaded="true"]', { state: 'attached', timeout: 30000 });
}

async function clickMapCentre(page) {
  const box = await page.locator('#map').boundingBox();
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await page.waitForSelector('#iso-figures', { timeout: 20000 });
}

test('axe: planner with an isochrone, coverage, data tab — no serious or critical violation', async () => {
  const { page, problems } = await openPage(env.context);
  await loaded(page, env.server.url);
  await clickMapCentre(page);
  assert.deepEqual(await axeProblems(page), [], 'planner / 步行圈');
  await page.click('#tab-coverage');
  await page.waitForSelector('#gap-table tbody tr', { timeout: 30000 });
  await page.locator('#gap-table tbody tr').nth(1).focus();
  await page.keyboard.press('Enter');
  await page.waitForSelector('#unit-card');
  assert.deepEqual(await axeProblems(page), [], 'planner / 覆盖评估');
  await page.click('#tab-data');
  await page.waitForSelector('#package-panel');
  assert.deepEqual(await axeProblems(page), [], 'planner / 数据');
  assert.deepEqual(problems, []);
});

test('axe: resident view with results, English, and the embed', async () => {
  const { page, problems } = await openPage(env.context);
  await loaded(page, `${env.server.url}?mode=resident&home=121.4750,31.2290`);
  await page.waitForSelector('#nb-list .hit', { timeout: 20000 });
  await page.locator('#nb-list .hit-button').first().click();
  await page.waitForSelector('#route-info', { timeout: 10000 });
  const found = { resident: await axeProblems(page) };

  await loaded(page, `${env.server.url}?lang=en`);
  await clickMapCentre(page);
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  found.english = await axeProblems(page);

  await page.setViewportSize({ width: 360, height: 640 });
  await loaded(page, `${env.server.url}?embed=1&home=121.4750,31.2290`);
  await page.waitForSelector('#nb-list .hit', { timeout: 20000 });
  found.embed = await axeProblems(page);
  await page.setViewportSize({ width: 1280, height: 800 });
  assert.deepEqual(found, { resident: [], english: [], embed: [] });
  assert.deepEqual(problems, []);
});

/** Sideways overflow: the document and every visible element wider than the viewport. */
async function overflow(page) {
  return page.evaluate(() => {
    const vw = document.documentElement.clientWidth;
    const bad = [];
    if (document.documentElement.scrollWidth > vw + 1) bad.push(`document ${document.documentElement.scrollWidth} > ${vw}`);
    for (const el of document.querySelectorAll('.app *')) {
      if (el.closest('.leaflet-pane, .leaflet-control-container')) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      // Inside a scroll box (the table wrapper) is fine: it scrolls on its own.
      if (el.closest('.table-wrap') && el !== el.closest('.table-wrap')) continue;
      if (r.right > vw + 1 || r.left < -1) bad.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}.${[...el.classList].join('.')} ${Math.round(r.left)}..${Math.round(r.right)}`);
    }
    return bad.slice(0, 10);
  });
}

test('200 % zoom (1280 px at device scale 2 = 640 CSS px): no sideways overflow, tabs usable', async () => {
  const page = await env.context.newPage();
  const problems = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  await page.setViewportSize({ width: 640, height: 400 });
  // Device scale 2 on a persistent context: emulate it through CDP for this page.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setDeviceMetricsOverride', { width: 640, height: 400, deviceScaleFactor: 2, mobile: false });
  await loaded(page, withDemoPackage(env.server.url));
  assert.equal(await page.evaluate(() => window.devicePixelRatio), 2);
  await clickMapCentre(page);
  // The overflow check can see an overflow: a too-wide element in the panel is reported.
  await page.evaluate(() => {
    const d = document.createElement('div');
    d.id = 'too-wide';
    d.style.width = '900px';
    d.style.height = '1px';
    document.querySelector('#side-panel').append(d);
  });
  assert.ok((await overflow(page)).some((l) => l.includes('#too-wide')), 'the overflow check works');
  await page.evaluate(() => document.querySelector('#too-wide').remove());
  assert.deepEqual(await overflow(page), [], 'walking circles at 200 %');
  for (const tab of ['nearby', 'coverage', 'data', 'iso']) {
    const t = page.locator(`#tab-${tab}`);
    await t.scrollIntoViewIfNeeded();
    assert.ok(await t.isVisible(), `tab ${tab} visible`);
    await t.click();
    const selected = await page.waitForFunction((id) => document.getElementById(id)?.getAttribute('aria-selected') === 'true', `tab-${tab}`, { timeout: 3000 }).then(() => true, () => false);
    const hit = await page.evaluate((id) => {
      const r = document.getElementById(id).getBoundingClientRect();
      const e = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
      return `${e?.tagName}#${e?.id}.${e?.className} at ${Math.round(r.x)},${Math.round(r.y)} scrollY ${window.scrollY}`;
    }, `tab-${tab}`);
    assert.ok(selected, `tab ${tab} selected by a click (element at its centre: ${hit})`);
    if (tab === 'coverage') await page.waitForSelector('#gap-table tbody tr', { timeout: 30000 });
    assert.deepEqual(await overflow(page), [], `${tab} at 200 %`);
  }
  await page.click('#tab-coverage');
  await page.locator('#cov-figures').scrollIntoViewIfNeeded();
  await mkdir('/tmp/shots-a11y', { recursive: true });
  await page.screenshot({ path: '/tmp/shots-a11y/zoom200-coverage.png' });
  await screenshot(page, 'zoom200-coverage');
  await cdp.send('Emulation.clearDeviceMetricsOverride');
  await page.close();
  assert.deepEqual(problems, []);
});

test('print: A4 landscape with the map and the current panel side by side, chrome hidden', async () => {
  const { page, problems } = await openPage(env.context);
  await loaded(page, `${env.server.url}?tab=coverage`);
  await page.waitForSelector('#gap-table tbody tr', { timeout: 30000 });
  await page.emulateMedia({ media: 'print' });
  // The map re-measures its (now smaller) box when printing starts (map.rs, beforeprint): its
  // pane moves to keep the same centre.
  const pane = () => page.$eval('#map .leaflet-map-pane', (e) => e.style.transform);
  const before = await pane();
  await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
  await page.waitForFunction((b) => document.querySelector('#map .leaflet-map-pane').style.transform !== b, before, { timeout: 5000 });
  // The map is visible, beside the panel; header buttons, tabs and the file picker are not.
  const map = await page.locator('#map').boundingBox();
  const panel = await page.locator('#side-panel').boundingBox();
  assert.ok(map && map.width > 300 && map.height > 300, `map in print: ${JSON.stringify(map)}`);
  assert.ok(panel && panel.width > 200, `panel in print: ${JSON.stringify(panel)}`);
  assert.ok(Math.abs(map.y - panel.y) < 40 && (map.x >= panel.x + panel.width - 1 || panel.x >= map.x + map.width - 1), 'side by side');
  for (const sel of ['.tabs', '#mode-switch', '#lang-switch', '.package-picker', '.leaflet-control-zoom']) {
    const el = page.locator(sel).first();
    if (await el.count()) assert.equal(await el.isVisible(), false, `${sel} hidden in print`);
  }
  assert.ok(await page.locator('#cov-legend').isVisible(), 'legend kept');
  // No table row may be split across pages.
  const breakInside = await page.$eval('#gap-table tbody tr', (tr) => getComputedStyle(tr).breakInside);
  assert.equal(breakInside, 'avoid');
  await mkdir('/tmp/shots-a11y', { recursive: true });
  await page.setViewportSize({ width: 1123, height: 794 }); // A4 landscape at 96 dpi
  await page.screenshot({ path: '/tmp/shots-a11y/print.png' });
  await screenshot(page, 'print');
  const pdf = await page.pdf({ format: 'A4', landscape: true, printBackground: true });
  assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
  // Every page is A4 landscape (842 × 595 pt).
  const boxes = [...pdf.toString('latin1').matchAll(/\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/g)].map((m) => [+m[1], +m[2]]);
  assert.ok(boxes.length >= 1 && boxes.every(([w, h]) => Math.abs(w - 842) < 2 && Math.abs(h - 595) < 2), JSON.stringify(boxes));
  assert.ok(pdf.length > 20000, `pdf has content: ${pdf.length} bytes`);
  await (await import('node:fs/promises')).writeFile(path.join(shots, 'print.pdf'), pdf);
  await page.emulateMedia({ media: 'screen' });
  await page.setViewportSize({ width: 1280, height: 800 });
  assert.deepEqual(problems, []);
});
