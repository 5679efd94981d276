// Chromium's CPU profiler in a page's web workers, over the DevTools protocol (a benchmark aid,
// not a test), and the workers' thread CPU time from /proc. `bench/city_browser.mjs` uses the
// profiler when PROFILE=DIR is set: the isochrone clicks and
// the coverage run are each profiled in every worker of the page, written to
// DIR/NAME-wN.cpuprofile (Chromium DevTools' Performance panel opens them) and summarised as the
// functions with the most self time (`summary`).
//
// Function names: a release `trunk build` strips the wasm module's name section (Cargo's
// `strip = true`, and wasm-opt without -g), so the functions show as `$func123`. For names,
// profile a scratch build, never committed that way:
//   CARGO_PROFILE_WEB_UI_STRIP=false trunk build --release --offline --dist /tmp/dist-prof index-prof.html
// where index-prof.html is a copy of index.html whose data-wasm-opt-params also has `-g`.
//
// How it attaches: a CDP session on the page auto-attaches to its dedicated workers (not
// flattened: the worker's commands go through Target.sendMessageToTarget), then
// Profiler.start / Profiler.stop on each worker's session. The sampling interval is 100 µs.

import { readFileSync, readdirSync } from 'node:fs';

/** Starts profiling every worker of `page`; resolves to `{ stop }`, whose promise gives the
 * profiles `[{ url, profile }]`. */
export async function profileWorkers(page) {
  const cdp = await page.context().newCDPSession(page);
  const workers = new Map(); // sessionId → { url, pending: Map(id → resolve) }
  let nextId = 1;
  cdp.on('Target.receivedMessageFromTarget', ({ sessionId, message }) => {
    const m = JSON.parse(message);
    const w = workers.get(sessionId);
    if (w && m.id && w.pending.has(m.id)) {
      w.pending.get(m.id)(m);
      w.pending.delete(m.id);
    }
  });
  const send = (sessionId, method, params = {}) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      workers.get(sessionId).pending.set(id, (m) => (m.error ? reject(new Error(`${method}: ${m.error.message}`)) : resolve(m.result)));
      cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) }).catch(reject);
    });
  const attached = new Promise((resolve) => {
    let timer;
    cdp.on('Target.attachedToTarget', ({ sessionId, targetInfo }) => {
      if (targetInfo.type !== 'worker') return;
      workers.set(sessionId, { url: targetInfo.url, pending: new Map() });
      clearTimeout(timer);
      timer = setTimeout(resolve, 300);
    });
  });
  await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
  await attached;
  const started = [];
  for (const id of workers.keys()) {
    await send(id, 'Profiler.enable');
    await send(id, 'Profiler.setSamplingInterval', { interval: 100 });
    await send(id, 'Profiler.start');
    started.push(id);
  }
  return {
    // Workers that attach later (none in the app today) are not profiled.
    stop: async () => {
      const out = [];
      for (const id of started) {
        const w = workers.get(id);
        const { profile } = await send(id, 'Profiler.stop');
        out.push({ url: w.url, profile });
      }
      await cdp.send('Target.setAutoAttach', { autoAttach: false, waitForDebuggerOnStart: false, flatten: false });
      await cdp.detach();
      return out;
    },
  };
}

/** The `top` functions with the most self time in a `.cpuprofile`, with their share of the
 * samples that are not idle, as lines of text. */
export function summary(profile, top = 25) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const dt = new Map();
  profile.samples.forEach((id, k) => dt.set(id, (dt.get(id) ?? 0) + (profile.timeDeltas[k + 1] ?? 0)));
  const self = new Map();
  let busy = 0;
  for (const [id, us] of dt) {
    const name = byId.get(id).callFrame.functionName || '(anonymous)';
    if (name === '(idle)' || name === '(program)') continue;
    busy += us;
    self.set(name, (self.get(name) ?? 0) + us);
  }
  const rows = [...self].sort((a, b) => b[1] - a[1]).slice(0, top);
  return [`busy ${(busy / 1000).toFixed(1)} ms`, ...rows.map(([n, us]) => `${(us / 1000).toFixed(1).padStart(8)} ms ${((100 * us) / Math.max(1, busy)).toFixed(1).padStart(5)} %  ${n.slice(0, 140)}`)];
}

/** CPU time (user + system, ms) of every web-worker thread in the browser processes started by
 * this Node process (/proc: the descendants of our pid, threads named DedicatedWorker…), by
 * thread id. Differences of two calls are each worker's thread CPU over what ran between
 * them: unlike the worker's `performance.now()`, not lengthened by other processes' load.
 * Linux only; resolution 10 ms (clock ticks). */
export function workerThreadCpu() {
  const fs = { readFileSync, readdirSync };
  const out = new Map();
  const parent = new Map();
  for (const p of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const st = fs.readFileSync(`/proc/${p}/stat`, 'utf8');
      parent.set(p, st.slice(st.lastIndexOf(')') + 2).split(' ')[1]);
    } catch {}
  }
  const ours = (p) => {
    for (let k = 0; p && k < 10; k++, p = parent.get(p)) if (p === String(process.pid)) return true;
    return false;
  };
  const hz = 100;
  for (const p of parent.keys()) {
    if (!ours(p)) continue;
    let tasks = [];
    try {
      tasks = fs.readdirSync(`/proc/${p}/task`);
    } catch {}
    for (const t of tasks) {
      try {
        if (!fs.readFileSync(`/proc/${p}/task/${t}/comm`, 'utf8').startsWith('DedicatedWorker')) continue;
        const st = fs.readFileSync(`/proc/${p}/task/${t}/stat`, 'utf8');
        const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
        out.set(t, ((Number(f[11]) + Number(f[12])) * 1000) / hz);
      } catch {}
    }
  }
  return out;
}

/** Like `workerThreadCpu`, from /proc's schedstat: by thread id, `[on a CPU, waiting on a run
 * queue]` in ms with µs resolution (the scheduler's own clock, not 10 ms ticks). The wait is the
 * time the thread was runnable but descheduled: other processes' load, seen directly. */
export function workerThreadSched() {
  const out = new Map();
  for (const [t] of workerThreadCpu()) {
    try {
      // A thread's own directory (/proc/TID) exists though /proc does not list it.
      const [run, wait] = readFileSync(`/proc/${t}/schedstat`, 'utf8').split(' ').map(Number);
      out.set(t, [run / 1e6, wait / 1e6]);
    } catch {}
  }
  return out;
}

/** The busiest thread's `[on CPU, waiting]` difference of two `workerThreadSched()` snapshots,
 * ms: what one request cost the worker that answered it, and how long it was descheduled. */
export function schedSince(before, after = workerThreadSched()) {
  let best = [0, 0];
  for (const [t, [run, wait]] of after) {
    const [r0, w0] = before.get(t) ?? [0, 0];
    if (run - r0 > best[0]) best = [run - r0, wait - w0];
  }
  return best;
}

/** The largest per-thread difference of two `workerThreadCpu()` snapshots, ms. */
export function cpuSince(before, after = workerThreadCpu()) {
  let best = 0;
  for (const [t, ms] of after) best = Math.max(best, ms - (before.get(t) ?? 0));
  return best;
}

/** Every thread on the machine (all processes, not only ours): by thread id, `{ who, run, wait }`
 * from /proc's schedstat (ms on a CPU, ms runnable but descheduled), `who` naming the thread
 * (`comm`) and its process: a Chromium process of ours by its `--type` (renderer, gpu-process,
 * utility; the browser process has none), any other process by its `comm` with `(other)`.
 * Two snapshots around a click (`threadsSince`) say which threads held the two cores while the
 * worker waited. Reading it costs the Node process a few ms: take it outside what is timed. */
export function allThreadsSched() {
  const out = new Map();
  const parent = new Map();
  const procs = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  for (const p of procs) {
    try {
      const st = readFileSync(`/proc/${p}/stat`, 'utf8');
      parent.set(p, st.slice(st.lastIndexOf(')') + 2).split(' ')[1]);
    } catch {}
  }
  const ours = (p) => {
    for (let k = 0; p && k < 10; k++, p = parent.get(p)) if (p === String(process.pid)) return true;
    return false;
  };
  for (const p of procs) {
    let kind;
    try {
      if (ours(p)) {
        const args = readFileSync(`/proc/${p}/cmdline`, 'utf8').split(/[\0 ]/);
        kind = (args.find((a) => a.startsWith('--type=')) ?? '--type=browser').slice(7);
        const sub = args.find((a) => a.startsWith('--utility-sub-type='));
        if (sub) kind += ':' + sub.slice(19).split('.').at(-1);
        if (p === String(process.pid)) kind = 'node';
      } else {
        kind = readFileSync(`/proc/${p}/comm`, 'utf8').trim() + ' (other)';
      }
      for (const t of readdirSync(`/proc/${p}/task`)) {
        try {
          const comm = readFileSync(`/proc/${p}/task/${t}/comm`, 'utf8').trim();
          const [run, wait] = readFileSync(`/proc/${p}/task/${t}/schedstat`, 'utf8').split(' ').map(Number);
          // A process's main thread (Chromium names them all after the program) with its id:
          // bench/sched_waits.py lists them by thread id.
          out.set(t, { who: `${kind}/${comm}${t === p ? `[${p}]` : ''}`, run: run / 1e6, wait: wait / 1e6 });
        } catch {}
      }
    } catch {}
  }
  return out;
}

/** The threads that ran between two `allThreadsSched()` snapshots, busiest first, those with at
 * least `min` ms on a CPU: `who run/wait` in ms, same-named threads summed. */
export function threadsSince(before, after = allThreadsSched(), min = 0.2) {
  const by = new Map();
  for (const [t, a] of after) {
    const b = before.get(t) ?? { run: 0, wait: 0 };
    const s = by.get(a.who) ?? [0, 0];
    by.set(a.who, [s[0] + a.run - b.run, s[1] + a.wait - b.wait]);
  }
  return [...by].filter(([, [r]]) => r >= min).sort((x, y) => y[1][0] - x[1][0])
    .map(([who, [r, w]]) => `${who} ${r.toFixed(1)}/${w.toFixed(1)}`);
}
