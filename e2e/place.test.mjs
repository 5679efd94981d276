// The planner in the browser (issue 7, and issue 8's scenario persistence and URL round-trip):
// placement runs in the worker with progress; the chosen sites are numbered on the map and
// listed with marginal gains adding up to the before/after figures; accepting them into the
// scenario is undoable and changes what the coverage tab reports; a second scenario is compared
// side by side; the scenario survives a reload and travels in the share link; the scenario file
// round-trips and a bad file is refused without losing what is open.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { tmpdir } from 'node:os';
import { withBrowser, openPage, screenshot, launch } from './harness.mjs';

const env = withBrowser();

const num = (t) => parseFloat(String(t).replace(/[^0-9.+-]/g, ''));

async function openPlanner(page, query = '') {
  await page.goto(`${env.server.url}${query}`);
  await page.waitForSelector('#engine-status[data-loaded="true"]', { timeout: 30000 });
  await page.click('#tab-place');
  await page.waitForSelector('#place-panel');
}

async function runPlacement(page) {
  await page.click('#pl-run');
  await page.waitForSelector('#pl-results', { timeout: 60000 });
}

test('planner: placement, numbered sites, accept/undo, coverage updated, compare, export', async () => {
  const { page, problems } = await openPlanner_(env);
  // Candidate host types come from the package.
  const hosts = await page.locator('#pl-candidates label.chip').count();
  assert.ok(hosts >= 3, `host types: ${hosts}`);
  await page.fill('#pl-k', '6');
  await page.locator('#pl-k').dispatchEvent('change');
  await runPlacement(page);
  const rows = page.locator('#pl-chosen tbody tr');
  assert.equal(await rows.count(), 6);
  const gains = (await page.locator('#pl-chosen td.gain').evaluateAll((els) => els.map((e) => Number(e.dataset.gain))));
  // Build order is the greedy order of the final set: gains never increase.
  for (let i = 1; i < gains.length; i++) assert.ok(gains[i - 1] + 1e-9 >= gains[i], `gains non-increasing: ${gains}`);
  assert.ok(gains.every((g) => g > 0), `every chosen site covers someone new: ${gains}`);
  const before = Number(await page.locator('#pl-before').getAttribute('data-share'));
  const after = Number(await page.locator('#pl-after').getAttribute('data-share'));
  assert.ok(after > before, `after ${after} > before ${before}`);
  // Numbered markers on the map, one per chosen site, 1..6.
  const labels = await page.locator('.leaflet-marker-pane .site-icon').allInnerTexts();
  assert.deepEqual(labels.map(Number).sort((a, b) => a - b), [1, 2, 3, 4, 5, 6]);
  await page.waitForSelector('#pl-legend');
  // The live region announces the result.
  assert.match(await page.locator('#live').innerText(), /选址完成：6 个站点/);
  await screenshot(page, 'placement-run');

  // Coverage before accepting.
  await page.click('#tab-coverage');
  await page.waitForSelector('#cov-figures', { timeout: 30000 });
  const empBefore = num(await page.locator('#cov-employment').innerText());

  // Accept all into scenario A; the list shows them; the coverage tab reflects them.
  await page.click('#tab-place');
  await page.click('#pl-accept-all');
  assert.equal(await page.locator('#scn-sites li').count(), 6);
  assert.equal(await page.locator('.leaflet-marker-pane .accepted-icon').count(), 6);
  await page.click('#tab-coverage');
  await page.waitForSelector('#cov-figures', { timeout: 30000 });
  const empAfter = num(await page.locator('#cov-employment').innerText());
  // The placement's after-share is the assessment's employment share with the sites added.
  assert.ok(Math.abs(empAfter - after * 100) < 0.051, `coverage ${empAfter} % vs placement ${after * 100} %`);
  assert.ok(empAfter > empBefore, `${empAfter} > ${empBefore}`);

  // Undo removes them, redo brings them back.
  await page.click('#tab-place');
  await page.click('#scn-undo');
  assert.equal(await page.locator('#scn-sites li').count(), 0);
  await page.click('#scn-redo');
  assert.equal(await page.locator('#scn-sites li').count(), 6);

  // A second scenario with a different budget, then compare A and B.
  await page.click('#scn-new');
  assert.equal(await page.locator('#scn-sites li').count(), 0);
  await page.fill('#pl-k', '2');
  await page.locator('#pl-k').dispatchEvent('change');
  await runPlacement(page);
  await page.waitForFunction(() => document.querySelectorAll('#pl-chosen tbody tr').length === 2);
  await page.click('#pl-accept-all');
  await page.click('#cmp-run');
  await page.waitForFunction(() => {
    const t = document.querySelector('#cmp-table');
    return t && !t.innerText.includes('…');
  }, null, { timeout: 30000 });
  const cells = await page.locator('#cmp-table tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.innerText)));
  assert.equal(num(cells[0][0]), 6, 'A adds 6');
  assert.equal(num(cells[0][1]), 2, 'B adds 2');
  assert.ok(num(cells[2][0]) > num(cells[2][1]), `A's employment share ${cells[2][0]} > B's ${cells[2][1]}`);
  assert.equal(await page.locator('.leaflet-marker-pane .cmp-a-icon').count(), 6);
  assert.equal(await page.locator('.leaflet-marker-pane .cmp-b-icon').count(), 2);
  await page.locator('#cmp-table').scrollIntoViewIfNeeded();
  await screenshot(page, 'scenario-compare');

  // Export the plan: plan.json with the chosen ids in order.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#pl-export-json')]);
  const plan = JSON.parse(await readFile(await download.path(), 'utf8'));
  assert.equal(plan.mode, 'mclp');
  assert.equal(plan.compounds, 'closed', 'plan.json states the compound setting');
  assert.equal(plan.chosen.length, 2);
  assert.ok(plan.share_after > plan.share_before);
  // The certificate next to the result is plan.json's: the same gap, and the words for it.
  const gapCell = page.locator('#pl-gap');
  assert.equal(Number(await gapCell.getAttribute('data-gap')), plan.gap);
  assert.equal(await gapCell.getAttribute('data-proven'), String(plan.proven_optimal));
  assert.ok(plan.upper_bound >= plan.covered_weight, `bound ${plan.upper_bound} ≥ ${plan.covered_weight}`);
  const gapText = await gapCell.innerText();
  if (plan.proven_optimal) assert.match(gapText, /已证明最优/);
  else assert.ok(gapText.includes(`${(plan.gap * 100).toFixed(1)}%`), gapText);
  assert.deepEqual(problems, []);
  await page.close();
});

async function openPlanner_(e) {
  const r = await openPage(e.context);
  await openPlanner(r.page);
  return r;
}

test('scenarios: reload keeps them, the share link restores them, the file round-trips, a bad file is refused', async () => {
  const { page, problems } = await openPage(env.context);
  await openPlanner(page, '?lang=en');
  // Start from a clean slate for this package (the previous test stored scenarios).
  // (Not a reload: the URL now carries the stored scenario's sites.)
  await page.evaluate(() => localStorage.clear());
  await page.goto(`${env.server.url}?lang=en`);
  await page.waitForSelector('#engine-status[data-loaded="true"]', { timeout: 30000 });
  await page.click('#tab-place');
  await page.fill('#pl-k', '3');
  await page.locator('#pl-k').dispatchEvent('change');
  await runPlacement(page);
  await page.click('#pl-accept-all');
  const ids = await page.locator('#scn-sites li').evaluateAll((lis) => lis.map((li) => li.dataset.id));
  assert.equal(ids.length, 3);

  // The URL carries the sites; a reload keeps the scenario from local storage alone (opened
  // without `sites=`, so the link path cannot be what restores it).
  await page.waitForFunction(() => location.search.includes('sites='));
  const link = page.url();
  const bare = new URL(link);
  bare.searchParams.delete('sites');
  await page.goto(bare.toString());
  await page.waitForSelector('#engine-status[data-loaded="true"]', { timeout: 30000 });
  await page.waitForSelector('#scn-sites li');
  assert.deepEqual(await page.locator('#scn-sites li').evaluateAll((lis) => lis.map((li) => li.dataset.id)), ids);
  assert.equal(await page.locator('#scn-select option').count(), 1, 'one stored scenario, no copy from a link');
  // Opening the link again where the same sites are stored adds no copy either.
  await page.goto(link);
  await page.waitForSelector('#scn-sites li');
  assert.equal(await page.locator('#scn-select option').count(), 1);

  // The link in a fresh browser profile (nothing stored) restores the same sites, named from
  // the package's candidates.
  const other = await launch();
  const p2 = await other.newPage();
  await p2.goto(link);
  await p2.waitForSelector('#engine-status[data-loaded="true"]', { timeout: 30000 });
  await p2.waitForSelector('#scn-sites li');
  assert.deepEqual(await p2.locator('#scn-sites li').evaluateAll((lis) => lis.map((li) => li.dataset.id)), ids);
  const name = await p2.locator('#scn-sites li span').first().innerText();
  assert.ok(!/^c\d+$/.test(name), `named from the candidates: ${name}`);
  await screenshot(p2, 'share-link-restored');
  await other.close();

  // Export the scenario file, import it back: identical bytes after a round trip.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#scn-export')]);
  const text = await readFile(await download.path(), 'utf8');
  const file = JSON.parse(text);
  assert.equal(file.format, 'shuangquan-scenarios');
  assert.equal(file.version, 2);
  assert.deepEqual(file.scenarios[file.active].sites.map((s) => s.id), ids);
  await page.click('#scn-new');
  assert.equal(await page.locator('#scn-sites li').count(), 0);
  const fpath = path.join(tmpdir(), `sq-scn-${process.pid}.json`);
  await writeFile(fpath, text);
  await page.setInputFiles('#scn-import', fpath);
  await page.waitForFunction((n) => document.querySelectorAll('#scn-sites li').length === n, ids.length);
  const [again] = await Promise.all([page.waitForEvent('download'), page.click('#scn-export')]);
  assert.equal(await readFile(await again.path(), 'utf8'), text, 'export → import → export is byte-identical');

  // A file from a newer version and a broken file are refused by name; nothing open is lost.
  const newer = path.join(tmpdir(), `sq-scn-new-${process.pid}.json`);
  await writeFile(newer, text.replace('"version": 2', '"version": 9'));
  await page.setInputFiles('#scn-import', newer);
  await page.waitForSelector('#error-banner');
  assert.match(await page.locator('#error-banner').innerText(), /version 9/);
  const broken = path.join(tmpdir(), `sq-scn-bad-${process.pid}.json`);
  await writeFile(broken, '{"format": "shuangquan-scenarios", "version": 1, "scenarios": [{"name": "x", "sites": [{"id": "a", "lon": 9999, "lat": 31}]}]}');
  await page.setInputFiles('#scn-import', broken);
  await page.waitForFunction(() => /sites\[0\]/.test(document.querySelector('#error-banner')?.innerText ?? ''));
  assert.equal(await page.locator('#scn-sites li').count(), ids.length, 'the open scenario is untouched');
  assert.deepEqual(problems, []);
  await page.close();
});

test('planner: capacities, closing stations and the search time, in English', async () => {
  const { page, problems } = await openPage(env.context);
  await openPlanner(page, '?lang=en');
  await page.fill('#pl-k', '3');
  await page.locator('#pl-k').dispatchEvent('change');
  await page.fill('#pl-time', '1');
  await page.locator('#pl-time').dispatchEvent('change');
  await page.fill('#pl-capacity', '20000');
  await page.locator('#pl-capacity').dispatchEvent('change');
  await runPlacement(page);
  await page.waitForSelector('#pl-served');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#pl-export-json')]);
  const plan = JSON.parse(await readFile(await download.path(), 'utf8'));
  assert.equal(plan.mode, 'mclp_capacitated');
  assert.ok(plan.load.every((l) => l.capacity === 20000 && l.people <= 20000 + 1e-6), 'loads within capacity');
  assert.equal(num(await page.locator('#pl-served').innerText()), Math.round(plan.served_weight));
  assert.equal(num(await page.locator('#pl-over').innerText()), Math.round(plan.over_capacity_weight));
  assert.equal(Number(await page.locator('#pl-gap').getAttribute('data-gap')), plan.gap);
  assert.match(await page.locator('#pl-gap').innerText(), plan.proven_optimal ? /Proven optimal/ : /Within .* of the best possible/);
  // Host types in English: the package's values are Chinese (书店, 银行网点…); names are data.
  const types = [await page.locator('#pl-candidates .host-types').innerText(),
    ...(await page.locator('#pl-chosen tbody td.host').allInnerTexts())];
  assert.ok(types.length > 1 && types.every((t) => !/[\u4e00-\u9fff]/.test(t)), types.join(' | '));
  await screenshot(page, 'placement-capacity-en');
  // Existing stations may close: the plan lists the ones to close (or none) and still runs.
  await page.fill('#pl-capacity', '');
  await page.locator('#pl-capacity').dispatchEvent('change');
  await page.check('#pl-allow-close');
  await runPlacement(page);
  await page.waitForFunction(() => !document.querySelector('#pl-served'));
  assert.ok(await page.locator('#pl-gap').count() === 1);
  assert.deepEqual(problems, []);
  await page.close();
});

test('planner: candidates clicked on the map alone', async () => {
  const { page, problems } = await openPage(env.context);
  await openPlanner(page, '?lang=en');
  await page.click('#pl-pick');
  assert.equal(await page.locator('#pl-pick').getAttribute('aria-pressed'), 'true');
  const box = await page.locator('#map').boundingBox();
  for (const [fx, fy] of [[0.45, 0.5], [0.6, 0.4]]) {
    await page.mouse.click(box.x + box.width * fx, box.y + box.height * fy);
  }
  await page.waitForFunction(() => /2 picked/.test(document.querySelector('#pl-extra-count')?.innerText ?? ''));
  assert.equal(await page.locator('.leaflet-marker-pane .extra-icon').count(), 2);
  // Only the clicked points: the package's layers off.
  await page.locator('#pl-use-layers').uncheck();
  await page.fill('#pl-k', '2');
  await page.locator('#pl-k').dispatchEvent('change');
  await runPlacement(page);
  assert.equal(num(await page.locator('#pl-candidates-n').innerText()), 2);
  const ids = await page.locator('#pl-chosen tbody tr').evaluateAll((trs) => trs.map((tr) => tr.dataset.id));
  assert.ok(ids.length >= 1 && ids.every((id) => /^click:\d+\.\d{5}:\d+\.\d{5}$/.test(id)), `chosen: ${ids}`);
  // Picking off again; clearing forgets the clicked candidates.
  await page.click('#pl-pick');
  await page.click('#pl-extra-clear');
  assert.equal(await page.locator('.leaflet-marker-pane .extra-icon').count(), 0);
  // Every host type unticked with the layers on: no candidate at all (not "all of them").
  await page.locator('#pl-use-layers').check();
  for (const box of await page.locator('#pl-candidates label.chip input').all()) await box.uncheck();
  await page.click('#pl-run');
  await page.waitForSelector('#pl-error', { timeout: 30000 });
  assert.match(await page.locator('#pl-error').innerText(), /candidate/);
  assert.deepEqual(problems, []);
  await page.close();
});
