// City size in the browser (issue 13's table, a benchmark, not a test): headless Chromium on the
// app served from dist/ (run `trunk build --release --offline` first).
//
// The network is the 8 × 8 tiled SCALE FIXTURE of bench/city_scale.py (the real central-Shanghai
// streets repeated side by side; never a place): pass its .osm.pbf. The demand points,
// facilities, stations and candidate sites are seeded random street vertices of the same tiling,
// computed here from data/sources/shanghai/shanghai_center.osm (e2e/tiled.mjs's copies sit where
// tile_osm.py puts them), and dropped on the app as CSV files:
//   60,000 demand points, 12 categories × 2,000 facilities, 300 stations, 5,000 candidate sites.
// Measured: the drop of the PBF → network ready (the page's imported-network banner) and the
// import report shown, with the worker's own stages (read, layers, graph, reach, answer posted:
// time and wasm memory after each); the worker's wasm memory after it (each worker: the active
// one and its standby; the high-water mark, wasm memory never shrinks);
// one isochrone; full coverage (60,000 × 13 targets, the worker's own compute time); placement
// with 5,000 candidates and k = 50; the frame times while panning at the whole-city view and
// at zoom 14; what the map's tiles draw at each zoom from 10 to 16 (street ways drawn and left
// out, demand points counted); the worker's tile figures (`globalThis.shuangquanTiles`: tiles
// cut, time per tile, bytes of the tile index and of the cache).
// Usage: node bench/city_browser.mjs target/city-scale/tiled_8x8.osm.pbf [tiles=8]
// IMPORT_ONLY=1 stops after the PBF's drop (its time, the worker memory, a screenshot): the
// import's figures for the 8 × 8 vs 12 × 12 trend without the analyses.
// ANALYSES_ONLY=1 stops after the placement (coverage and placement alone, for before/after runs).
// PLACE_TIME=S sets the placement panel's search time (seconds; default the panel's 2 s): with a
// long one, the worker thread's CPU to the proof (the placement's CPU and descheduled time are
// printed in any case).
// ISO_ONLY=1 stops after the five isochrone clicks (they follow the imports, as a user's would).
// ISO_EARLY=1 clicks at the moments the worker is busiest with its own idle work: one click the
// moment the network is ready (the walking-circles tab opened, then the map clicked: the
// warm-up isochrones and the map's tiles are under way), and the five clicks at once after the
// CSVs' reports (the idle preparation of the demand points and facilities is under way), each
// with its page clock (click event → figures written), #iso-ms and the worker thread's CPU and
// waits in the click's window. Without it the five clicks come after reading the reports and
// the workers' memory (≈ 0.3 s later), as before.
// PROFILE=DIR profiles the workers (bench/worker_profile.mjs) over the five isochrone clicks,
// over the coverage run and over the placement run: DIR/{iso,coverage,place}-wN.cpuprofile and
// the self-time summary printed.
// Both are also measured as the worker thread's CPU time (Linux /proc, bench/worker_profile.mjs):
// under load the worker's wall-clock figures stretch, its CPU time much less.
// The pans (four drags of 60 moves at the whole-city view and at zoom 14) are run twice at each
// zoom: first untraced, for the rAF intervals (what a user sees: a CDP trace slows the frames it
// measures), then under a CDP trace, for the main thread's work per frame and what ran in it.
// TRACE=0 skips the traced runs; PAN_ONLY=1 skips coverage and placement (the CSVs are still
// dropped: a quicker pan for before/after runs, not the full run of the tables).
// COVERAGE_MAP=1 skips the placement and measures the coverage colours at the whole-city view:
// bytes per demand tile plain and painted, the redraw when the coverage tab opens (page: until
// every demand tile of the zoom is drawn painted; worker: its tile-cut time), and the frame
// times while panning with the colours on (a build without painted tiles draws the coverage
// GeoJSON overlay instead: the same figures but the painted ones, for the comparison).
import { writeFile, mkdir } from 'node:fs/promises';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { openPage, serve, launch, root, screenshot } from '../e2e/harness.mjs';
import { parseOsm } from '../e2e/tiled.mjs';
import { profileWorkers, summary, workerThreadCpu, cpuSince, workerThreadSched, schedSince, allThreadsSched, threadsSince } from './worker_profile.mjs';

const pbf = process.argv[2] ?? 'target/city-scale/tiled_8x8.osm.pbf';
const N = Number(process.argv[3] ?? 8);
const MB = 1024 * 1024;

// Seeded street vertices of the tiling.
let seed = 13;
const rand = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
const { nodes, ways } = parseOsm(await readFile(path.join(root, 'data/sources/shanghai/shanghai_center.osm'), 'utf8'));
const used = [...new Set(ways.flatMap((w) => w.refs))].map((r) => nodes.get(r));
const lons = used.map((p) => p[0]);
const lats = used.map((p) => p[1]);
const width = Math.max(...lons) - Math.min(...lons);
const height = Math.max(...lats) - Math.min(...lats);
const vertex = () => {
  const [lon, lat] = used[Math.floor(rand() * used.length)];
  const i = Math.floor(rand() * N);
  const j = Math.floor(rand() * N);
  return [(lon + i * width * 1.001).toFixed(7), (lat + j * height * 1.001).toFixed(7)];
};
const CATEGORIES = ['store', 'breakfast', 'market', 'repair', 'elderly', 'childcare', 'housekeeping', 'parcel', 'pharmacy', 'clinic', 'training', 'startup_space'];
const dir = path.join(root, 'target', 'city-browser');
await mkdir(dir, { recursive: true });
const csv = async (name, header, rows) => {
  const file = path.join(dir, name);
  await writeFile(file, [header, ...rows].join('\n') + '\n');
  return file;
};
const demand = await csv('demand.csv', 'id,lon,lat,population', Array.from({ length: 60000 }, (_, k) => `d${k},${vertex().join(',')},${1 + Math.floor(rand() * 40)}`));
const facilities = await csv('facilities.csv', 'id,name,category,lon,lat', CATEGORIES.flatMap((c) => Array.from({ length: 2000 }, (_, k) => `${c}${k},${c} ${k},${c},${vertex().join(',')}`)));
const stations = await csv('stations.csv', 'id,name,lon,lat', Array.from({ length: 300 }, (_, k) => `s${k},station ${k},${vertex().join(',')}`));
const candidates = await csv('candidates.csv', 'id,name,lon,lat', Array.from({ length: 5000 }, (_, k) => `c${k},site ${k},${vertex().join(',')}`));

const results = { load_average_at_start: os.loadavg().map((x) => x.toFixed(1)).join(' ') };
const server = await serve();
const context = await launch();
// The sizes of the workers' answers (the coverage answer's bytes below): every message a
// page's worker posts, with its time, byte length and which worker (the first is the active one;
// the standby replays the load and imports).
await context.addInitScript(() => {
  globalThis.__workerAnswers = [];
  const Native = globalThis.Worker;
  if (!Native) return;
  globalThis.Worker = class extends Native {
    constructor(...args) {
      super(...args);
      const n = (globalThis.__workers = (globalThis.__workers ?? 0) + 1);
      this.addEventListener('message', (e) => {
        // Answers are postcard bytes: never list a typed array's keys (one string per byte).
        const kind = ArrayBuffer.isView(e.data) ? 'bytes' : typeof e.data;
        globalThis.__workerAnswers.push([kind, performance.now(), e.data?.byteLength ?? 0, n]);
      });
    }
  };
});
const { page, problems } = await openPage(context);
await page.goto(`${server.url}?pkg=shanghai-central&lang=en`);
await page.waitForSelector('#engine-status[data-loaded="true"]', { timeout: 60000 });

const workerMemory = async () => {
  const sizes = [];
  for (const w of page.workers()) {
    sizes.push(await w.evaluate(() => globalThis.shuangquanMemory?.buffer.byteLength ?? -1).catch(() => -1));
  }
  return sizes.map((b) => (b / MB).toFixed(0)).join(' / ');
};
results['worker wasm memory before the drop, MB (each worker)'] = await workerMemory();

await page.click('#tab-data');
// Network ready: the page shows the banner "the walking network was rebuilt with …" (the app
// uses the imported network from then on); the import report is the other element the drop
// shows. Both are timed on the page's clock by an observer set before the drop.
await page.evaluate(() => {
  globalThis.__shown = {};
  globalThis.__packageLabels = Number(document.querySelector('#map')?.dataset.streetLabels ?? 0);
  const seen = () => {
    for (const sel of ['#imported-network-banner', '.import-report']) {
      if (!globalThis.__shown[sel] && document.querySelector(sel)) globalThis.__shown[sel] = performance.now();
    }
    // The streets' label points on the map (a second answer since s9-import).
    if (!globalThis.__shown.labels && Number(document.querySelector('#map')?.dataset.streetLabels ?? 0) > globalThis.__packageLabels) globalThis.__shown.labels = performance.now();
  };
  new MutationObserver(seen).observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-street-labels'] });
});
// Each click to its figures in the page (page clock): from the click event (captured before the
// map's handler) to the DOM mutation that writes #iso-figures with a new request number, i.e.
// the page's own work and the worker's answer, before the frame that paints them.
const early = Boolean(process.env.ISO_EARLY);
// A click on the map starts the clock; the first figures with another request number than those
// shown at the click stop it (one figure per click).
await page.evaluate(() => {
  globalThis.__isoShown = [];
  const figures = () => document.querySelector('#iso-figures, #iso-off-network');
  let clickAt, seqAt;
  document.addEventListener('click', (e) => {
    if (!e.target?.closest?.('#map')) return;
    clickAt = performance.now();
    seqAt = figures()?.dataset.seq;
    (globalThis.__mapClicks ??= []).push(clickAt);
  }, true);
  new MutationObserver(() => {
    const f = figures();
    if (f && clickAt !== undefined && f.dataset.seq !== seqAt) {
      globalThis.__isoShown.push(performance.now() - clickAt);
      clickAt = undefined;
    }
  }).observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-seq'] });
});
const isoShown = () => page.evaluate(() => globalThis.__isoShown.splice(0).map((x) => x.toFixed(1)).join(' | '));
// ISO_EARLY: one click the moment something changes, its figures awaited: page clock,
// #iso-ms and the worker's CPU / waits (schedstat) in its window.
const tab = (id) => page.evaluate((id) => document.querySelector(id).click(), id);
const earlyClick = async (name) => {
  await tab('#tab-iso');
  const b = await page.locator('#map').boundingBox();
  const seq = await page.evaluate(() => document.querySelector('#iso-figures')?.dataset.seq ?? null);
  const s0 = workerThreadSched();
  await page.mouse.click(b.x + b.width / 2 + 30, b.y + b.height / 2 - 30);
  await page.waitForFunction((s) => {
    const f = document.querySelector('#iso-figures');
    return (f && f.dataset.seq !== s) || document.querySelector('#iso-off-network');
  }, seq, { timeout: 60000 });
  const [run, wait] = schedSince(s0);
  const ms = await page.locator('#iso-ms').innerText().catch(() => 'off network');
  results[`ISO_EARLY: a click ${name}: page clock (click → figures) ms, #iso-ms, worker CPU / descheduled ms`] = `${await isoShown()} | ${ms} | ${run.toFixed(1)} / ${wait.toFixed(1)}`;
  await tab('#tab-data');
};
const p0 = await page.evaluate(() => performance.now());
await page.setInputFiles('#import-input', pbf);
await page.waitForSelector('#imported-network-banner', { timeout: 900000 });
if (early) await earlyClick('the moment the network is ready (the tab opened, then the map)');
await page.waitForSelector('.import-report', { timeout: 900000 });
const shown = await page.evaluate(() => globalThis.__shown);
results['drop the PBF → network ready (the imported-network banner shown), s'] = ((shown['#imported-network-banner'] - p0) / 1000).toFixed(2);
results['drop the PBF → import report shown, s'] = ((shown['.import-report'] - p0) / 1000).toFixed(2);
// The worker publishes its stages when it has answered; since s9-import the label points are a
// second answer ('labels posted'), before it they were written before the one answer.
const marksDone = async () => {
  for (const w of page.workers()) {
    const st = await w.evaluate(() => (globalThis.shuangquanImport ?? []).map((x) => x.stage)).catch(() => []);
    if (st.includes('labels posted')) return 'split';
    if (st.includes('answer posted') && st.includes('labels')) return 'one';
  }
  return null;
};
let answers;
while (!(answers = await marksDone())) await new Promise((r) => setTimeout(r, 100));
if (answers === 'split') {
  await page.waitForFunction(() => globalThis.__shown.labels, null, { timeout: 900000 });
  const at = await page.evaluate(() => globalThis.__shown.labels);
  results['drop the PBF → street label points on the map (#map data-street-labels), s'] = ((at - p0) / 1000).toFixed(2);
}
// The worker's own stages (src/web/worker.rs `ImportMarks`): ms from the request's arrival,
// wasm memory after each; the request's arrival and the answer's on the page's clock.
const pageOrigin = await page.evaluate(() => performance.timeOrigin);
for (const w of page.workers()) {
  const m = await w.evaluate(() => (globalThis.shuangquanImport ? { marks: globalThis.shuangquanImport, origin: performance.timeOrigin } : null)).catch(() => null);
  if (!m) continue;
  const onPage = (at) => ((m.origin + at - pageOrigin - p0) / 1000).toFixed(2);
  results['worker stages (ms from the request, wasm memory MB after)'] = m.marks.map((x) => `${x.stage} ${x.ms.toFixed(0)} ms ${(x.memoryBytes / MB).toFixed(0)} MB`).join(' | ');
  const posted = m.marks.find((x) => x.stage === 'answer posted') ?? m.marks.at(-1);
  const labelsPosted = m.marks.find((x) => x.stage === 'labels posted');
  results['drop → request in the worker / answer posted, s (page clock)'] = `${onPage(m.marks[0].at)} / ${onPage(posted.at)}`;
  if (labelsPosted) results['drop → label points posted (second answer), s (page clock)'] = onPage(labelsPosted.at);
}
results['worker wasm memory after the drop, MB (each worker)'] = await workerMemory();
// The map's tiles (map/tiles.rs): wait until every tile of the current zoom is drawn.
const tilesDrawn = () => page.waitForFunction(() => {
  const z = document.querySelector('#map')?.dataset.zoom;
  const cs = [...document.querySelectorAll('canvas.sq-tile')].filter((c) => c.dataset.tile?.startsWith(`${z}/`));
  return cs.length > 0 && cs.every((c) => c.dataset.pieces !== undefined || c.dataset.entries !== undefined);
}, null, { timeout: 300000 });
const tileStats = async () => {
  const out = [];
  for (const w of page.workers()) {
    const t = await w.evaluate(() => globalThis.shuangquanTiles ?? null).catch(() => null);
    if (t) out.push(`${t.cut} tiles cut, ${(t.cutMs / Math.max(1, t.cut)).toFixed(1)} ms per tile, index ${(t.indexBytes / MB).toFixed(1)} MB, cache ${(t.cacheBytes / MB).toFixed(1)} MB`);
  }
  return out.join(' / ');
};
// The map asks the new streets' tiles of its view: the worker builds their index then.
await tilesDrawn();
await page.waitForFunction(() => document.querySelectorAll('canvas.sq-lines.sq-tile[data-lines]').length > 0, null, { timeout: 300000 });
results['worker wasm memory after the view\'s tiles, MB (each worker)'] = await workerMemory();
results['tiles after the drop (worker)'] = await tileStats();
results['load average after the drop'] = os.loadavg().map((x) => x.toFixed(1)).join(' ');
results['import report'] = (await page.locator('.import-report').first().innerText()).split('\n').slice(0, 3).join(' / ');
if (process.env.IMPORT_ONLY) {
  await screenshot(page, `city-browser-import-${N}x${N}`);
  // The imported streets' names at zoom 16 (the label points, the worker's second answer).
  for (let z = Number(await page.evaluate(() => document.querySelector('#map')?.dataset.zoom)); z < 16; z++) {
    await page.click('.leaflet-control-zoom-in');
    await page.waitForFunction((p) => Number(document.querySelector('#map')?.dataset.zoom) > p, z, { timeout: 60000 });
  }
  await tilesDrawn();
  results['street names drawn at zoom 16 (.sq-street-label)'] = await page.locator('.sq-street-label').count();
  await screenshot(page, `city-browser-import-${N}x${N}-z16`);
  if (problems.length) results.problems = problems.join(' | ');
  for (const [k, v] of Object.entries(results)) console.log(`${k}: ${v}`);
  await context.close();
  await server.close();
  process.exit(0);
}

let t0 = Date.now();
await page.setInputFiles('#import-input', [demand, facilities, stations, candidates]);
// When the page showed the CSVs' reports (page clock).
const reportsAt = await (await page.waitForFunction(() => document.querySelectorAll('.import-report').length >= 5 && performance.now(), null, { timeout: 900000 })).jsonValue();
results['drop 4 CSVs (60,000 demand, 24,000 facilities, 300 stations, 5,000 candidates) → reports, s'] = ((Date.now() - t0) / 1000).toFixed(1);
const csvReports = async () => {
  if (early) await tab('#tab-data');
  results['import reports'] = (await page.locator('.import-report').allInnerTexts()).map((t) => t.split('\n')[0]).join(' | ');
  results['worker wasm memory after the CSVs, MB (each worker)'] = await workerMemory();
};
// ISO_EARLY: read after the clicks (the clicks come at once after the reports).
if (!early) await csvReports();

// PROFILE=DIR: the workers' CPU profiles from `profiling()` to `profiled(…, name)`.
const profiling = async () => (process.env.PROFILE ? profileWorkers(page) : null);
const profiled = async (prof, name) => {
  if (!prof) return;
  const dir = process.env.PROFILE;
  await mkdir(dir, { recursive: true });
  const all = await prof.stop();
  all.forEach(({ profile }, k) => {
    const s = summary(profile);
    if (Number(s[0].split(' ')[1]) > 1) results[`profile ${name}, worker ${k + 1} (self time)`] = '\n  ' + s.join('\n  ');
  });
  await Promise.all(all.map(({ profile }, k) => writeFile(path.join(dir, `${name}-w${k + 1}.cpuprofile`), JSON.stringify(profile))));
};

// One isochrone at the map centre (COVERAGE_FIRST=1: none, the coverage tab is opened at once
// after the CSVs' reports, racing the worker's idle preparation, src/web/worker.rs).
if (!process.env.COVERAGE_FIRST) {
// ISO_EARLY: the tab opened by a script's click (no wait for the element to be still).
if (early) await tab('#tab-iso');
else await page.click('#tab-iso');
const isoProfile = await profiling();
const isoCpu = workerThreadCpu();
const box = await page.locator('#map').boundingBox();
// Each click's cost to the worker that answered (on CPU / descheduled, /proc schedstat, ms).
const sched = [];
const firstClickAt = await page.evaluate(() => performance.now());
await isoShown(); // the page clock's figures of these five clicks only
let sched0 = workerThreadSched();
// THREADS=1: every thread on the machine that ran in each click's window (who held the cores).
const threads = [];
let all0 = process.env.THREADS ? allThreadsSched() : null;
// PERF_SCHED=FILE: `perf sched record` of the whole machine over the five clicks (then
// `perf sched timehist -i FILE`: who ran on each core while the worker was runnable).
const perf = process.env.PERF_SCHED ? spawn('perf', ['sched', 'record', '-a', '-o', process.env.PERF_SCHED], { stdio: 'ignore' }) : null;
if (perf) await new Promise((r) => setTimeout(r, 3000));
const schedClick = () => {
  const [run, wait] = schedSince(sched0);
  sched.push(`${run.toFixed(1)} / ${wait.toFixed(1)}`);
  if (all0) threads.push(threadsSince(all0).join(', '));
  sched0 = workerThreadSched();
  if (all0) all0 = allThreadsSched();
};
// The figures shown before the first click, if any (ISO_EARLY's click at network ready): the
// first click's are those with another request number.
const seq0 = await page.evaluate(() => document.querySelector('#iso-figures')?.dataset.seq ?? null);
await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
await page.waitForFunction((s) => {
  const f = document.querySelector('#iso-figures');
  return (f && f.dataset.seq !== s) || document.querySelector('#iso-off-network');
}, seq0, { timeout: 60000 });
results['isochrone 5/10/15 with polygons (worker), ms'] = await page.locator('#iso-ms').innerText().catch(() => 'off network');
schedClick();
const reached = [await page.locator('#iso-reached').innerText().catch(() => '-')];
// Four more, each at another point near the centre (the first after the imports may pay for
// what later ones reuse): each answer is a new request number on #iso-figures.
const later = [];
for (const [dx, dy] of [[60, 0], [0, 60], [-60, 0], [0, -60]]) {
  const seq = await page.locator('#iso-figures').getAttribute('data-seq').catch(() => null);
  await page.mouse.click(box.x + box.width / 2 + dx, box.y + box.height / 2 + dy);
  await page.waitForFunction((s) => {
    const f = document.querySelector('#iso-figures');
    return (f && f.dataset.seq !== s) || document.querySelector('#iso-off-network');
  }, seq, { timeout: 60000 });
  schedClick();
  later.push(await page.locator('#iso-ms').innerText().catch(() => 'off network'));
  reached.push(await page.locator('#iso-reached').innerText().catch(() => '-'));
}
if (perf) {
  perf.kill('SIGINT');
  await new Promise((r) => perf.on('exit', r));
  results['perf sched: this page\'s worker thread ids (bench/sched_waits.py FILE TID)'] = [...workerThreadSched().keys()].join(' ');
}
results['isochrone 5/10/15 with polygons (worker), the next four, ms'] = later.join(' | ');
results['isochrones: the five clicks, network nodes reached'] = reached.join(' | ');
results['isochrones: each click to its figures in the page (page clock, click event → #iso-figures written), ms'] = await isoShown();
results['isochrones: each click, the answering worker thread on CPU / descheduled (/proc schedstat, click to figures), ms'] = sched.join(' | ');
threads.forEach((t, k) => (results[`click ${k + 1}: threads on a CPU in its window (process/thread on CPU/descheduled, ms)`] = t));
// The worker's own warm-up isochrones after the network is ready (worker.rs `warm_up`; absent
// before it): how long each blocked the worker, and when the last ended, from network ready and
// before the first click (on the page's clock): did the first click race them?
const warm = [];
for (const [k, w] of page.workers().entries()) {
  // Marks "from" and "to" of each warm-up isochrone (`at`: the worker's performance.now()).
  const m = await w.evaluate(() => (globalThis.shuangquanWarmUp ? { marks: globalThis.shuangquanWarmUp, origin: performance.timeOrigin } : null)).catch(() => null);
  if (!m) continue;
  m.runs = m.marks.filter((x) => x.stage === 'from').map((x, k) => [x.at, m.marks.filter((y) => y.stage === 'to')[k]?.at ?? x.at]);
  const onPage = (at) => m.origin + at - pageOrigin;
  const last = onPage(m.runs.at(-1)[1]);
  const before = m.runs.filter(([a]) => onPage(a) < p0).length;
  warm.push(`worker ${k + 1}: ${before} before the drop, ${m.runs.length - before} after: ${m.runs.map(([a, b]) => (b - a).toFixed(1)).join(' / ')} ms; started ${((onPage(m.runs[0][0]) - p0) / 1000).toFixed(2)} s after the drop, the last ended ${((last - p0) / 1000).toFixed(2)} s after it, ${((firstClickAt - last) / 1000).toFixed(2)} s before the first click`);
}
// The idle preparation's steps (worker.rs: snapping grid, demand points, facilities), each
// step's start..end in ms from the first click (page clock; negative: before it): a click sent
// while a step runs waits for it, outside #iso-ms.
const prepSteps = [];
for (const w of page.workers()) {
  const p = await w.evaluate(() => ({ marks: globalThis.shuangquanPrepared ?? [], origin: performance.timeOrigin })).catch(() => null);
  if (!p) continue;
  const at = (x) => (p.origin + x - pageOrigin - firstClickAt).toFixed(0);
  p.marks.forEach((m, k) => {
    const next = p.marks[k + 1];
    if (m.stage === 'step' && next?.stage === 'done' && next.at - m.at >= 2) prepSteps.push(`${at(m.at)}..${at(next.at)}`);
  });
}
results['isochrones: the idle preparation\'s steps, ms from the first click (page clock)'] = prepSteps.join(', ') || 'none';
// Every idle step of the last preparation (worker.rs `idle_step`: "step" → "done"), each
// worker: how many, the longest, their sum, from its first start to its last end (page clock,
// ms from the first click).
const prepAll = [];
for (const w of page.workers()) {
  const p = await w.evaluate(() => ({ marks: globalThis.shuangquanPrepared ?? [], origin: performance.timeOrigin })).catch(() => null);
  const steps = (p?.marks ?? []).flatMap((m, k) => (m.stage === 'step' && p.marks[k + 1]?.stage === 'done' ? [[m.at, p.marks[k + 1].at]] : []));
  if (!steps.length) continue;
  const at = (x) => (p.origin + x - pageOrigin - firstClickAt).toFixed(0);
  const d = steps.map(([a, b]) => b - a);
  prepAll.push(`${steps.length} steps, longest ${Math.max(...d).toFixed(1)} ms, sum ${d.reduce((x, y) => x + y, 0).toFixed(0)} ms, from ${at(steps[0][0])} to ${at(steps.at(-1)[1])} ms; each: ${d.map((x) => x.toFixed(1)).join(' ')}`);
}
results['isochrones: the idle preparation\'s steps (each worker): count, longest, sum, span from the first click, each ms'] = prepAll.join(' || ') || 'none';
results['warm-up isochrones (each, ms; network ready at ' + ((shown['#imported-network-banner'] - p0) / 1000).toFixed(2) + ' s after the drop)'] = warm.join(' || ') || 'none';
results['isochrones: the five clicks, worker thread CPU (/proc, 10 ms ticks), ms'] = cpuSince(isoCpu);
results['isochrones: the CSVs\' reports shown → the first click event, ms (page clock)'] = await page.evaluate((r) => (globalThis.__mapClicks.find((t) => t > r) - r).toFixed(0), reportsAt);
if (early) await csvReports();
await profiled(isoProfile, 'iso');
// ISO_ONLY=1 stops after the five isochrone clicks (their before/after comparisons).
if (process.env.ISO_ONLY) {
  for (const [k, v] of Object.entries(results)) console.log(`${k}: ${v}`);
  await context.close();
  await server.close();
  process.exit(0);
}
}

// The stages of the last coverage or placement in the worker that ran it (worker.rs: the
// search of each target, the answer built; the candidates' cover sets, the solve). A coverage
// run's "target 0 of n": every demand point and facility placed (snapped), before the searches.
const analysisMarks = async () => {
  const out = [];
  for (const w of page.workers()) {
    const m = await w.evaluate(() => globalThis.shuangquanAnalysis ?? null).catch(() => null);
    // With the wasm memory after the last stage (the analysis marks carry it).
    const mem = m?.at(-1)?.memoryBytes;
    if (m) out.push(m.map((x) => `${x.stage} ${x.ms.toFixed(0)}`).join(' | ') + (mem ? ` (wasm memory ${(mem / MB).toFixed(0)} MB)` : ''));
  }
  return out.join(' / ');
};

// Full coverage.
if (!process.env.PAN_ONLY) {
const covProfile = await profiling();
const covCpu = workerThreadCpu();
const pc = await page.evaluate(() => performance.now());
t0 = Date.now();
await page.click('#tab-coverage');
await page.waitForSelector('#cov-figures', { timeout: 900000 });
await profiled(covProfile, 'coverage');
results['coverage: tab opened → figures shown, s'] = ((Date.now() - t0) / 1000).toFixed(1);
results['coverage: worker compute'] = await page.locator('#cov-ms').innerText();
results['coverage: worker thread CPU, tab opened → figures (/proc, 10 ms ticks), ms'] = cpuSince(covCpu);
results['load average after the coverage run'] = os.loadavg().map((x) => x.toFixed(1)).join(' ');
results['coverage: largest message of the active worker from the tab opened to the figures (the answer), MB'] = await page.evaluate((from) => Math.max(...globalThis.__workerAnswers.filter(([, t, , n]) => t > from && n === 1).map(([, , b]) => b)) / 1048576, pc).then((x) => x.toFixed(2));
results['coverage: worker stages, ms from the request (the active worker)'] = await analysisMarks();
// The worker's idle preparation (snapping grid, demand points, facilities; worker.rs), each
// step's start and end in ms from the coverage request (negative: before it), per worker.
const prepared = [];
for (const w of page.workers()) {
  const p = await w.evaluate(() => ({ marks: globalThis.shuangquanPrepared ?? [], request: (globalThis.shuangquanAnalysis ?? []).find((x) => x.stage === 'request')?.at })).catch(() => null);
  if (!p || p.request === undefined) continue;
  // Marks "step" then "done" per step; the last step of each run finds nothing to do (< 2 ms: left out).
  const steps = [];
  p.marks.forEach((m, k) => {
    const next = p.marks[k + 1];
    if (m.stage === 'step' && next?.stage === 'done' && next.at - m.at >= 2) steps.push(`${(m.at - p.request).toFixed(0)}..${(next.at - p.request).toFixed(0)}`);
  });
  prepared.push(steps.join(', ') || 'none');
}
results['coverage: the idle preparation\'s steps, ms from the coverage request (the active worker)'] = prepared.join(' / ');
results['coverage: points'] = await page.locator('#cov-figures').innerText().then((t) => t.replace(/\n+/g, ' | ').slice(0, 300));
}

// Placement, 5,000 candidates, k = 50.
if (!process.env.COVERAGE_MAP && !process.env.PAN_ONLY) {
await page.click('#tab-place');
await page.waitForSelector('#place-panel');
await page.fill('#pl-k', '50');
if (process.env.PLACE_TIME) {
  await page.fill('#pl-time', process.env.PLACE_TIME);
  await page.locator('#pl-time').dispatchEvent('change');
}
const placeProfile = await profiling();
const placeCpu = workerThreadCpu();
const placeSched = workerThreadSched();
t0 = Date.now();
await page.click('#pl-run');
await page.waitForSelector('#pl-results', { timeout: 900000 });
results['place k = 50: run → results, s'] = ((Date.now() - t0) / 1000).toFixed(1);
await profiled(placeProfile, 'place');
results['place: worker compute'] = await page.locator('#pl-ms').innerText();
results['place: worker thread CPU, run → results (/proc, 10 ms ticks), ms'] = cpuSince(placeCpu);
results['place: worker thread on CPU / descheduled (/proc schedstat), ms'] = schedSince(placeSched).map((x) => x.toFixed(0)).join(' / ');
results['place: worker stages, ms from the request (the active worker)'] = await analysisMarks();
results['place: figures'] = await page.locator('#pl-figures').innerText().then((t) => t.replace(/\n+/g, ' | ').slice(-400));
results['load average after the place run'] = os.loadavg().map((x) => x.toFixed(1)).join(' ');
await screenshot(page, 'city-browser-place');
}
// ANALYSES_ONLY=1 stops after coverage and placement (their before/after comparisons).
if (process.env.ANALYSES_ONLY) {
  for (const [k, v] of Object.entries(results)) console.log(`${k}: ${v}`);
  await context.close();
  await server.close();
  process.exit(0);
}

// Frame times while panning at the whole-city view.
await page.click('#tab-iso');
for (let k = 0; k < 4; k++) {
  const z = await page.evaluate(() => document.querySelector('#map')?.dataset.zoom);
  await page.click('.leaflet-control-zoom-out');
  await page.waitForFunction((prev) => document.querySelector('#map')?.dataset.zoom !== prev, z, { timeout: 60000 });
}
results['whole-city view: zoom'] = await page.evaluate(() => document.querySelector('#map')?.dataset.zoom);

// What the tiles of the current zoom draw: street ways per tile drawn and left out, demand
// points counted (each tile once).
const drawable = () => page.evaluate(() => {
  const z = document.querySelector('#map')?.dataset.zoom;
  const at = (sel) => {
    const seen = new Map();
    for (const c of document.querySelectorAll(sel)) if (c.dataset.tile?.startsWith(`${z}/`)) seen.set(`${c.dataset.source}@${c.dataset.tile}`, c.dataset);
    return [...seen.values()];
  };
  const st = at('canvas.sq-lines.sq-tile[data-lines]');
  const drawn = st.reduce((a, d) => a + Number(d.lines), 0);
  const left = st.reduce((a, d) => a + Number(d.leftOut), 0);
  const dm = at('canvas.sq-points.sq-tile[data-points]').filter((d) => d.source.startsWith('Demand'));
  const pts = dm.reduce((a, d) => a + Number(d.points), 0);
  const counted = dm.some((d) => d.counted === 'true');
  return `zoom ${z}: ${st.length} street tiles, ways drawn ${drawn} of ${drawn + left} (${((100 * drawn) / Math.max(1, drawn + left)).toFixed(1)} %), demand points in its tiles ${pts} (${counted ? 'counted per cell' : 'one by one'})`;
});

/** Mean and max bytes of the demand tiles of the current zoom (`data-bytes`, map/tiles.rs). */
const demandBytes = (painted) => page.evaluate((painted) => {
  const z = document.querySelector('#map')?.dataset.zoom;
  const cs = [...document.querySelectorAll('canvas.sq-points.sq-tile[data-bytes]')].filter((c) => c.dataset.tile?.startsWith(`${z}/`) && c.dataset.source.startsWith('Demand') && (c.dataset.painted !== undefined) === painted);
  const b = cs.map((c) => Number(c.dataset.bytes));
  return `${cs.length} tiles, mean ${(b.reduce((a, x) => a + x, 0) / Math.max(1, b.length)).toFixed(0)} B, max ${Math.max(0, ...b)} B`;
}, painted);
const workerCut = async () => {
  for (const w of page.workers()) {
    const t = await w.evaluate(() => globalThis.shuangquanTiles ?? null).catch(() => null);
    if (t) return t;
  }
  return { cut: 0, cutMs: 0 };
};

/** The coverage colours at the whole-city view (COVERAGE_MAP=1). */
async function coverageMap() {
  results['whole-city view: demand tiles plain'] = await demandBytes(false);
  results['panning at the whole-city view, coverage tab closed: frames, median ms, p95 ms, max ms'] = await pan();
  await tilesDrawn();
  const w0 = await workerCut();
  const p0 = await page.evaluate(() => performance.now());
  await page.click('#tab-coverage');
  await page.waitForSelector('#cov-figures', { timeout: 60000 });
  const painted = await page.waitForFunction(() => {
    const z = document.querySelector('#map')?.dataset.zoom;
    const cs = [...document.querySelectorAll('canvas.sq-points.sq-tile')].filter((c) => c.dataset.tile?.startsWith(`${z}/`) && c.dataset.source.startsWith('Demand'));
    return cs.length > 0 && cs.every((c) => c.dataset.painted !== undefined) && performance.now();
  }, null, { timeout: 60000 }).then((h) => h.jsonValue()).catch(() => null);
  const w1 = await workerCut();
  results['coverage tab opened → every demand tile of the view painted (page), ms'] = painted ? (painted - p0).toFixed(0) : 'no painted tiles (overlay build)';
  results['  worker: demand tiles cut for it, time'] = `${w1.cut - w0.cut} tiles, ${(w1.cutMs - w0.cutMs).toFixed(0)} ms`;
  if (painted) results['whole-city view: demand tiles painted'] = await demandBytes(true);
  await screenshot(page, 'city-browser-coverage-painted');
  results['panning at the whole-city view, coverage colours on: frames, median ms, p95 ms, max ms'] = await pan();
  await screenshot(page, 'city-browser-coverage');
  results['load_average_at_end'] = os.loadavg().map((x) => x.toFixed(1)).join(' ');
}

// The page's main thread while panning (besides the rAF intervals, which cannot go below one
// 60 Hz vsync): a CDP trace of the renderer's main thread. A frame is the span from one
// BeginMainThreadFrame to the next; its work is the time of the thread's top-level tasks that
// start in it. The long frames' work by what ran (trace event names; worker messages, input,
// rAF, layout, paint, GC), and Chromium's long-animation-frame entries (frames of ≥ 50 ms)
// with the scripts they blame.
const cdp = await context.newCDPSession(page);
const traceStart = () => cdp.send('Tracing.start', {
  // TRACE_CATEGORIES adds categories (e.g. blink,cc,gpu,v8: where a task's own time goes).
  categories: ['toplevel,devtools.timeline,disabled-by-default-devtools.timeline.frame,v8.gc', process.env.TRACE_CATEGORIES].filter(Boolean).join(','),
  transferMode: 'ReturnAsStream',
});
/** Chromium's long-animation-frame entries (frames of ≥ 50 ms) from now, with their scripts. */
const loafStart = () => page.evaluate(() => {
  globalThis.__loaf = [];
  globalThis.__loafObs = new PerformanceObserver((l) => {
    for (const e of l.getEntries()) globalThis.__loaf.push({ d: e.duration, b: e.blockingDuration, s: e.scripts.map((x) => [`${x.invoker || x.invokerType}${x.sourceFunctionName ? ` ${x.sourceFunctionName}` : ''}`, x.duration]) });
  });
  globalThis.__loafObs.observe({ type: 'long-animation-frame' });
});
const loafEnd = async (label) => {
  const loaf = await page.evaluate(() => {
    globalThis.__loafObs.disconnect();
    return globalThis.__loaf;
  });
  const blame = new Map();
  for (const l of loaf) for (const [inv, d] of l.s) blame.set(inv, (blame.get(inv) ?? 0) + d);
  results[`${label}: long animation frames (≥ 50 ms): count, total ms, scripts blamed (ms)`] = `${loaf.length}, ${loaf.reduce((a, l) => a + l.d, 0).toFixed(0)}, ${[...blame.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([n, d]) => `${n} ${d.toFixed(0)}`).join(', ') || '—'}`;
};
const traceEnd = async (label) => {
  const complete = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
  await cdp.send('Tracing.end');
  const { stream } = await complete;
  let text = '';
  for (;;) {
    const c = await cdp.send('IO.read', { handle: stream, size: 1 << 22 });
    text += c.base64Encoded ? Buffer.from(c.data, 'base64').toString() : c.data;
    if (c.eof) break;
  }
  await cdp.send('IO.close', { handle: stream });
  const events = JSON.parse(text);
  const list = Array.isArray(events) ? events : events.traceEvents;
  // The page's main thread: the CrRendererMain with the most task time.
  const mains = new Set(list.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const busy = new Map();
  const isTask = (e) => e.ph === 'X' && (e.name === 'ThreadControllerImpl::RunTask' || e.name === 'RunTask');
  for (const e of list) if (isTask(e) && mains.has(`${e.pid}:${e.tid}`)) busy.set(`${e.pid}:${e.tid}`, (busy.get(`${e.pid}:${e.tid}`) ?? 0) + e.dur);
  const main = [...busy.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  const on = list.filter((e) => `${e.pid}:${e.tid}` === main);
  const starts = on.filter((e) => e.name === 'BeginMainThreadFrame').map((e) => e.ts).sort((a, b) => a - b);
  const tasks = on.filter(isTask).sort((a, b) => a.ts - b.ts);
  const work = [];
  const spans = [];
  let k = 0;
  for (let f = 0; f + 1 < starts.length; f++) {
    while (k < tasks.length && tasks[k].ts < starts[f]) k++;
    let w = 0;
    while (k < tasks.length && tasks[k].ts < starts[f + 1]) w += tasks[k++].dur;
    work.push(w / 1000);
    spans.push([starts[f], starts[f + 1], w / 1000]);
  }
  const sorted = [...work].sort((a, b) => a - b);
  const q = (p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] : 0);
  // Each event's self time (its time less its children's: a partition of the tasks' time),
  // by name; a function call by its name or its script and line.
  const xs = on.filter((e) => e.ph === 'X' && e.dur !== undefined).sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  const stack = [];
  for (const e of xs) {
    while (stack.length && stack.at(-1).ts + stack.at(-1).dur <= e.ts) stack.pop();
    e.self = e.dur;
    if (stack.length) stack.at(-1).self -= e.dur;
    stack.push(e);
  }
  const keyOf = (e) => {
    const d = e.args?.data;
    if (e.name === 'EventDispatch') return `EventDispatch(${d?.type})`;
    if (e.name === 'FunctionCall') return `FunctionCall(${d?.functionName || '?'} ${String(d?.url ?? '').split('/').at(-1)}:${d?.lineNumber ?? ''})`;
    if (e.name === 'TimerFire' || e.name === 'TimerInstall') return e.name;
    return isTask(e) ? '(task, not in a traced event)' : e.name;
  };
  /** Self ms by event name over the frames `fs`, per frame (`per`) or in all; top 8. */
  const selfIn = (fs, per) => {
    const what = new Map();
    let j = 0;
    for (const [a, b] of fs) {
      while (j < xs.length && xs[j].ts < a) j++;
      for (let i = j; i < xs.length && xs[i].ts < b; i++) {
        const key = keyOf(xs[i]);
        what.set(key, (what.get(key) ?? 0) + Math.max(0, xs[i].self) / 1000);
      }
    }
    const div = per ? Math.max(1, fs.length) : 1;
    return [...what.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([n, ms]) => `${n} ${(ms / div).toFixed(per ? 2 : 0)}`).join(', ') || '—';
  };
  const long = spans.filter(([, , w]) => w > 16.7).sort((a, b) => a[0] - b[0]);
  const median = spans.filter(([, , w]) => w >= q(0.4) && w <= q(0.6)).sort((a, b) => a[0] - b[0]);
  results[`${label}: main-thread work per frame (CDP trace), frames, median ms, p95 ms, max ms, frames over 16.7 ms`] = `${work.length}, ${q(0.5).toFixed(1)}, ${q(0.95).toFixed(1)}, ${(sorted.at(-1) ?? 0).toFixed(1)}, ${long.length}`;
  results[`${label}: the median frames (work within p40–p60), self ms per frame by trace event`] = selfIn(median, true);
  results[`${label}: in the frames over 16.7 ms, self ms by trace event`] = selfIn(long, false);
};

// Frame intervals while dragging the map four times and the long animation frames, under
// `label`; `traced`: the main thread's work per frame too (traceStart / traceEnd).
const pan = async (label, traced) => {
  if (label) await loafStart();
  if (traced) await traceStart();
  await page.evaluate(() => {
    globalThis.__frames = [];
    globalThis.__stop = false;
    let last = performance.now();
    const tick = (t) => {
      globalThis.__frames.push(t - last);
      last = t;
      if (globalThis.__frames.length < 100000 && !globalThis.__stop) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  // Four drags: right-down, left-down, right-down, left-down (480 px down in all).
  const drag = async (pass, dy) => {
    await page.mouse.move(cx, cy);
    await page.mouse.down();
    for (let s = 1; s <= 60; s++) await page.mouse.move(cx + (pass % 2 ? -1 : 1) * 4 * s, cy + dy * s);
    await page.mouse.up();
  };
  for (let pass = 0; pass < 4; pass++) await drag(pass, 2);
  const frames = await page.evaluate(() => {
    globalThis.__stop = true;
    return globalThis.__frames.slice(1);
  });
  if (label) await loafEnd(label);
  if (traced) await traceEnd(label);
  // Back where the pan began (untimed), so that the next pan and the zooms stay in the city.
  for (let pass = 0; pass < 4; pass++) await drag(pass, -2);
  await tilesDrawn();
  const sorted = [...frames].sort((a, b) => a - b);
  const q = (p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  return `${frames.length}, ${q(0.5).toFixed(1)}, ${q(0.95).toFixed(1)}, ${sorted.at(-1).toFixed(1)}`;
};

await tilesDrawn();
if (process.env.COVERAGE_MAP) {
  await coverageMap();
  if (problems.length) results.problems = problems.join(' | ');
  for (const [k, v] of Object.entries(results)) console.log(`${k}: ${v}`);
  await context.close();
  await server.close();
  process.exit(0);
}
results['drawable at the whole-city view'] = await drawable();
const load = () => os.loadavg().map((x) => x.toFixed(1)).join(' ');
const TRACED = process.env.TRACE !== '0';
results['panning at the whole-city view (untraced): rAF intervals: frames, median ms, p95 ms, max ms; load'] = `${await pan('whole-city view, untraced')}; ${load()}`;
if (TRACED) results['panning at the whole-city view (traced): rAF intervals: frames, median ms, p95 ms, max ms; load'] = `${await pan('whole-city view, traced', true)}; ${load()}`;
await screenshot(page, 'city-browser-whole-city');
await tilesDrawn();
results['tiles after the whole-city view (worker)'] = await tileStats();
// Zooming in to 16, a step at a time: what each zoom draws; panning at 14.
for (let z = Number(results['whole-city view: zoom']); z < 16; z++) {
  const prev = await page.evaluate(() => document.querySelector('#map')?.dataset.zoom);
  await page.click('.leaflet-control-zoom-in');
  await page.waitForFunction((p) => document.querySelector('#map')?.dataset.zoom !== p, prev, { timeout: 60000 });
  await tilesDrawn();
  results[`drawable at zoom ${z + 1}`] = await drawable();
  if (z + 1 === 14) {
    results['panning at zoom 14 (untraced): rAF intervals: frames, median ms, p95 ms, max ms; load'] = `${await pan('zoom 14, untraced')}; ${load()}`;
    if (TRACED) results['panning at zoom 14 (traced): rAF intervals: frames, median ms, p95 ms, max ms; load'] = `${await pan('zoom 14, traced', true)}; ${load()}`;
    await tilesDrawn();
    await screenshot(page, 'city-browser-z14');
  }
}
results['tiles after zooming in (worker)'] = await tileStats();
results['load_average_at_end'] = os.loadavg().map((x) => x.toFixed(1)).join(' ');
if (problems.length) results.problems = problems.join(' | ');
for (const [k, v] of Object.entries(results)) console.log(`${k}: ${v}`);
await context.close();
await server.close();
