// Faults in the browser: local storage that is full (the quota filled first, for real) or
// missing (a private window or an embed with storage blocked); an analysis worker that dies
// (silently, or with an uncaught error as a wasm abort raises) and one that is cancelled in the
// middle of a long assessment. The app says what happened in the planner's language, keeps
// working, overwrites nothing already stored, and restores package, imports and scenario.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { withBrowser, openPage, screenshot, clickWhenShown } from './harness.mjs';

const env = withBrowser();

/** Clicks "assess again" and waits until the run has started (its progress bar appeared). */
async function startAssessment(page) {
  await page.evaluate(() => {
    window.__covStarted = false;
    const obs = new MutationObserver(() => {
      if (document.querySelector('#cov-progress')) {
        window.__covStarted = true;
        obs.disconnect();
      }
    });
    obs.observe(document.body, { childList: true, subtree: true });
  });
  await page.click('#cov-run');
  await page.waitForFunction(() => window.__covStarted === true, null, { timeout: 30000 });
}

/** Runs the assessment again and waits for its fresh answer; returns the dual-circle share. */
async function assessAgain(page) {
  await startAssessment(page);
  await page.waitForSelector('#cov-progress', { state: 'detached', timeout: 120000 });
  await page.waitForSelector('#cov-figures', { timeout: 30000 });
  return page.locator('#cov-dual').innerText();
}

test('storage full: the scenarios are named as not saved, what was stored is untouched, the map still works', async () => {
  const { page, problems } = await openPage(env.context);
  await page.goto(env.server.url + 'index.html?lang=en');
  await page.waitForSelector('#engine-status[data-loaded="true"]', { timeout: 60000 });
  // Fill the origin's quota with filler, then forget the app's own keys so its next write is new.
  const filled = await page.evaluate(() => {
    for (const k of Object.keys(localStorage)) if (k.startsWith('shuangquan.')) localStorage.removeItem(k);
    localStorage.setItem('keep.me', 'stored before');
    const chunk = 'x'.repeat(256 * 1024);
    let n = 0;
    try {
      for (; n < 1000; n++) localStorage.setItem(`filler.${n}`, chunk);
    } catch (e) {
      // Top up with smaller pieces until not even 64 characters fit.
      for (let size = 128 * 1024; size >= 64; size = Math.floor(size / 2)) {
        try {
          for (let k = 0; ; k++) localStorage.setItem(`filler.${n}.${size}.${k}`, 'y'.repeat(size));
        } catch {
          /* next size down */
        }
      }
      return { n, error: e.name };
    }
    return { n, error: null };
  });
  assert.equal(filled.error, 'QuotaExceededError', `quota filled after ${filled.n} chunks`);
  const before = await page.evaluate(() => JSON.stringify(Object.entries(localStorage).sort()));

  await page.reload();
  await page.waitForSelector('#engine-status[data-loaded="true"]', { timeout: 60000 });
  await page.waitForSelector('#notice-banner', { timeout: 20000 });
  assert.match(await page.locator('#notice-banner').innerText(), /The scenarios could not be saved: the browser's storage is full/);
  // Nothing stored was changed (no partial value, no eviction).
  assert.equal(await page.evaluate(() => JSON.stringify(Object.entries(localStorage).sort())), before);
  // The page keeps working: the walking circles of the map's centre.
  await page.locator('#map').focus();
  await page.keyboard.press('Enter');
  await page.waitForSelector('#iso-figures', { timeout: 30000 });
  await screenshot(page, 'faults-storage-full');
  await page.evaluate(() => localStorage.clear());
  assert.deepEqual(problems.filter((p) => !/QuotaExceeded|exceeded the quota/i.test(p)), []);
  await page.close();
});

test('storage missing: the app says nothing will be kept, in Chinese, and works', async () => {
  const { page, problems } = await openPage(env.context);
  await page.addInitScript(() => {
    Object.defineProperty(window, 'localStorage', {
      configurable: true,
      get() {
        throw new DOMException('The operation is insecure.', 'SecurityError');
      },
    });
  });
  await page.goto(env.server.url);
  await page.waitForSelector('#engine-status[data-loaded="true"]', { timeout: 60000 });
  await page.waitForSelector('#notice-banner', { timeout: 20000 });
  assert.match(await page.locator('#notice-banner').innerText(), /本页无法使用浏览器存储/);
  await page.locator('#map').focus();
  await page.keyboard.press('Enter');
  await page.waitForSelector('#iso-figures', { timeout: 30000 });
  await page.click('#tab-coverage');
  await page.waitForSelector('#cov-figures', { timeout: 60000 });
  await screenshot(page, 'faults-storage-missing');
  assert.deepEqual(problems, []);
  await page.close();
});

test('storage missing in the resident view: the notice names only the job profile, on one row with its close button', async () => {
  const { page, problems } = await openPage(env.context);
  await page.setViewportSize({ width: 360, height: 640 });
  await page.addInitScript(() => {
    Object.defineProperty(window, 'localStorage', {
      configurable: true,
      get() {
        throw new DOMException('The operation is insecure.', 'SecurityError');
      },
    });
  });
  await page.goto(`${env.server.url}?embed=1&home=121.475,31.229`);
  await page.waitForSelector('#notice-banner', { timeout: 30000 });
  const text = await page.locator('#notice-banner').innerText();
  assert.match(text, /求职档案只在本次打开期间有效/);
  assert.doesNotMatch(text, /方案|底图/, 'the resident view keeps no scenarios or basemap settings');
  // The close button sits beside the text, not under it.
  const [list, close] = await Promise.all(['#notice-banner ul', '#notice-banner button'].map((s) => page.locator(s).boundingBox()));
  assert.ok(close.y < list.y + list.height, `button at ${close.y}, text ${list.y}–${list.y + list.height}`);
  await page.waitForSelector('#nb-list .hit', { timeout: 30000 });
  await screenshot(page, 'faults-storage-missing-resident');
  assert.deepEqual(problems, []);
  await page.close();
});

test('a worker that dies (silently, then with an error) is replaced; package, imports and scenario come back', async () => {
  // The oracle must be able to fail: the imported stations and the link's sites change the
  // figure, so a worker restored without them would show the package-only figure.
  const base = await openPage(env.context);
  await base.page.goto(`${env.server.url}?lang=en&tab=coverage`);
  await base.page.waitForSelector('#cov-figures', { timeout: 60000 });
  const packageOnly = await base.page.locator('#cov-dual').innerText();
  await base.page.close();

  const { page, problems } = await openPage(env.context);
  const workers = [];
  page.on('worker', (w) => workers.push(w));
  const sites = 'k1~121.4600~31.2200;k2~121.4900~31.2400';
  await page.goto(`${env.server.url}?lang=en&tab=data&sites=${sites}`);
  await page.waitForSelector('#engine-status[data-loaded="true"]', { timeout: 60000 });
  await page.setInputFiles('#import-input', [{
    name: 'more-stations.csv', mimeType: 'text/csv',
    buffer: Buffer.from('id,lon,lat,name\nx1,121.4450,31.2100,West\nx2,121.5050,31.2550,East\n'),
  }]);
  await page.waitForSelector('.import-report[data-file="more-stations.csv"]', { timeout: 30000 });
  await page.click('#tab-coverage');
  await page.waitForSelector('#cov-figures', { timeout: 60000 });
  const before = await page.locator('#cov-dual').innerText();
  assert.notEqual(before, packageOnly, 'imports and scenario change the figure');
  // The assessment started a standby worker; wait until it holds the same data.
  await page.waitForSelector('#engine-status[data-standby="true"]', { timeout: 60000 });
  assert.equal(workers.length, 2, 'the active worker and its standby');

  // 1. Silent death, as when the browser reclaims the worker: the liveness check notices.
  await workers[0].evaluate(() => self.close()).catch(() => {});
  await page.waitForSelector('#notice-banner', { timeout: 30000 });
  assert.match(await page.locator('#notice-banner').innerText(), /The analysis worker stopped/);
  assert.equal(await assessAgain(page), before, 'the standby took over with the same data');

  // 2. An uncaught error in the worker (what a wasm panic or abort raises). The run above
  // started a new standby: its death only drops it; then the active one's death starts a fresh
  // worker that gets the package, the imported file and the scenario replayed.
  await page.waitForSelector('#engine-status[data-standby="true"]', { timeout: 60000 });
  assert.equal(workers.length, 3);
  const abort = (w) => w.evaluate(() => setTimeout(() => { throw new Error('simulated abort'); }, 0));
  await abort(workers[2]);
  await page.waitForSelector('#engine-status[data-standby="false"]', { timeout: 30000 });
  const fresh = page.waitForEvent('worker', { timeout: 30000 });
  await abort(workers[1]);
  await fresh;
  assert.equal(await assessAgain(page), before, 'a fresh worker restored package, import and scenario');
  await page.click('#tab-data');
  await page.waitForSelector('.import-report[data-file="more-stations.csv"]');
  assert.equal(await page.locator('.import-report').count(), 1, 'the import is listed once');
  // The walking circles answer, and no spinner is left waiting.
  await page.click('#tab-iso');
  await page.locator('#map').focus();
  await page.keyboard.press('Enter');
  await page.waitForSelector('#iso-figures', { timeout: 30000 });
  assert.equal(await page.locator('[aria-busy="true"]').count(), 0);
  await screenshot(page, 'faults-worker-restarted');
  assert.deepEqual(problems.filter((p) => !p.includes('simulated abort')), []);
  await page.close();
});

test('cancelling a long assessment stops the worker: "cancelled", then an isochrone at normal speed, then a fresh assessment', async () => {
  // Scale test (labelled synthetic load, not planning data): 200,000 seeded demand points in
  // central Shanghai make the assessment take about half a second here (the cancel below is
  // made in the page the moment the chosen point is shown, while the run is on).
  let seed = 42;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const rows = ['id,lon,lat,weight'];
  for (let k = 0; k < 200000; k++) {
    rows.push(`s${k},${(121.435 + rnd() * 0.08).toFixed(6)},${(31.2 + rnd() * 0.06).toFixed(6)},1`);
  }
  const { page, problems } = await openPage(env.context);
  const workers = [];
  page.on('worker', (w) => workers.push(w));
  await page.goto(`${env.server.url}?lang=en&tab=data`);
  await page.waitForSelector('#engine-status[data-loaded="true"]', { timeout: 60000 });
  await page.setInputFiles('#import-input', [{
    name: 'scale-demand.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\n') + '\n'),
  }]);
  await page.waitForSelector('.import-report[data-file="scale-demand.csv"]', { timeout: 120000 });
  // An isochrone at normal speed, until its figures change: from the keyboard (the map panned by
  // `pans`, then Enter at its centre), as a click could land on a count of the 200,000 points,
  // which zooms in instead.
  const areas = () => page.locator('#iso-figures').innerText().catch(() => '');
  const isochrone = async (pans) => {
    await page.click('#tab-iso');
    await page.locator('#map').focus();
    for (const key of pans) await page.keyboard.press(key);
    const was = await areas();
    const t0 = Date.now();
    await page.keyboard.press('Enter');
    await page.waitForFunction((w) => {
      const f = document.querySelector('#iso-figures');
      return f && f.innerText !== w;
    }, was, { timeout: 30000 });
    return { ms: Date.now() - t0, compute: await page.locator('#iso-ms').innerText() };
  };
  const normal = await isochrone(['ArrowLeft']);
  const isoSeq = await page.locator('#iso-figures').getAttribute('data-seq');
  // The first assessment, to its end: how long a full run takes here.
  await page.click('#tab-coverage');
  await page.waitForSelector('#cov-figures', { timeout: 180000 });
  const full = await page.locator('#cov-ms').innerText();
  const dual = await page.locator('#cov-dual').innerText();
  // The per-point file is written in the worker on export, from the assessment it kept.
  const pointsFile = async () => {
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#export-points')]);
    return fs.readFileSync(await dl.path());
  };
  const points = await pointsFile();
  await page.waitForSelector('#engine-status[data-standby="true"]', { timeout: 120000 });

  // Run it again and cancel it while it computes.
  const terminated = new Promise((resolve) => workers[0].on('close', resolve));
  // A point chosen while the worker assesses is shown at once (the marker moves while the
  // assessment still runs), not after it: its circles follow once a worker is free.
  await page.evaluate(() => {
    // The chosen point's marker (the pane also holds the points' count icons).
    const pane = document.querySelector('.leaflet-marker-pane');
    const home = () => pane.querySelector('.leaflet-marker-icon[title="Start point (drag to move)"]')?.style.transform;
    const was = home();
    window.__markerMoved = null;
    const obs = new MutationObserver(() => {
      if (home() !== was) {
        // Cancelled in the same task as the marker's move, while the run is still shown: a
        // click from the test after a round trip (and Playwright's wait for a still button)
        // could come after a run of half a second had ended.
        const assessing = !!document.querySelector('#cov-progress');
        const cancel = assessing ? document.querySelector('#cov-cancel') : null;
        window.__markerMoved = { assessing, cancelled: !!cancel };
        cancel?.click();
        obs.disconnect();
      }
    });
    obs.observe(pane, { childList: true, subtree: true, attributes: true });
  });
  await startAssessment(page);
  await page.locator('#map').focus();
  // Enter picks the map's centre: once the pan has moved the map.
  const mapAt = () => page.evaluate(() => document.querySelector('.leaflet-map-pane').style.transform);
  const mapWas = await mapAt();
  await page.keyboard.press('ArrowUp');
  await page.waitForFunction((w) => document.querySelector('.leaflet-map-pane').style.transform !== w, mapWas, { timeout: 10000 });
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => window.__markerMoved, null, { timeout: 120000 });
  assert.deepEqual(await page.evaluate(() => window.__markerMoved), { assessing: true, cancelled: true }, 'the point was shown while the assessment ran, and the run cancelled then');
  await page.waitForSelector('#cov-cancelled', { timeout: 10000 });
  await terminated; // the worker that was computing is gone for real
  assert.equal(await page.locator('#cov-progress').count(), 0, 'not running any more');
  // The point's circles, from the worker that took over: the answer to a request made after
  // the last figures shown (`after` below measures a request of its own).
  await page.click('#tab-iso');
  await page.waitForFunction((s) => Number(document.querySelector('#iso-figures')?.dataset.seq) > s, Number(isoSeq), { timeout: 30000 });
  // The next request is answered at its normal speed, not after the cancelled run.
  const after = await isochrone(['ArrowRight', 'ArrowRight']);
  console.log(`full assessment (200,000 demand points): ${full}; isochrone, Enter to figures: ${normal.ms} ms before (worker ${normal.compute}), ${after.ms} ms right after the cancel (worker ${after.compute})`);
  // The answer still shown exports the same per-point file from the worker that took over
  // (it never computed that answer: it assesses again with the answer's settings).
  await page.click('#tab-coverage');
  const again = await pointsFile();
  assert.ok(again.equals(points), `points file after the cancel: ${again.length} bytes, before: ${points.length}`);
  // Asked again, the assessment runs on the new worker, with the imported points.
  assert.equal(await assessAgain(page), dual, 'same figure from the worker that took over');
  assert.deepEqual(problems, []);
  await page.close();
});

test('cancelling a placement stops its worker: "cancelled", then the walking circles answer and a new placement runs', async () => {
  const { page, problems } = await openPage(env.context);
  const workers = [];
  page.on('worker', (w) => workers.push(w));
  await page.goto(`${env.server.url}?lang=en&tab=place`);
  await page.waitForSelector('#engine-status[data-loaded="true"]', { timeout: 60000 });
  await page.waitForSelector('#place-panel');
  // Cancel the moment the run shows its cancel button (before the worker can finish).
  await clickWhenShown(page, '#pl-cancel');
  assert.equal(workers.length, 1);
  const terminated = new Promise((resolve) => workers[0].on('close', resolve));
  await page.click('#pl-run');
  await page.waitForSelector('#pl-error', { timeout: 30000 });
  assert.match(await page.locator('#pl-error').innerText(), /Placement cancelled/);
  assert.equal(await page.locator('#pl-progress').count(), 0);
  // The worker that was searching is gone for real (the browser closed it); the standby answers.
  await terminated;
  await page.click('#tab-iso');
  await page.locator('#map').focus();
  await page.keyboard.press('Enter');
  await page.waitForSelector('#iso-figures', { timeout: 30000 });
  await page.click('#tab-place');
  await page.click('#pl-run');
  await page.waitForSelector('#pl-results', { timeout: 60000 });
  assert.deepEqual(problems, []);
  await page.close();
});
