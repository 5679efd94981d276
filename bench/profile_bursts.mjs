// Cuts a worker's .cpuprofile (bench/city_browser.mjs with PROFILE=DIR) into bursts of busy
// samples, one per request (a gap of 20 ms or more ends a burst), and prints each burst's busy
// time, its functions with the most self time, and the inclusive time of the functions whose
// names contain one of the given parts (a benchmark aid, not a test). Under load a sample also
// holds the time the thread waited for a core: read it beside the schedstat CPU figures.
// Usage: node bench/profile_bursts.mjs DIR/iso-w1.cpuprofile [top=12] [name,part,...]
import { readFileSync } from 'node:fs';
const prof = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const top = Number(process.argv[3] ?? 12);
const incl = (process.argv[4] ?? '').split(',').filter(Boolean);
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const name = (id) => byId.get(id).callFrame.functionName || '(anonymous)';
let t = prof.startTime;
const bursts = [];
let cur = null, lastBusy = -1e18;
prof.samples.forEach((id, k) => {
  const d = prof.timeDeltas[k + 1] ?? 0;
  t += prof.timeDeltas[k];
  const nm = name(id);
  if (nm === '(idle)' || nm === '(program)') return; // a '(garbage collector)' sample counts as busy
  if (!cur || t - lastBusy > 20000) { cur = { t0: t, busy: 0, self: new Map(), incl: new Map() }; bursts.push(cur); }
  lastBusy = t;
  cur.busy += d;
  cur.self.set(nm, (cur.self.get(nm) ?? 0) + d);
  const seen = new Set();
  for (let p = id; p !== undefined; p = parent.get(p)) { const m = name(p); if (!seen.has(m)) { seen.add(m); cur.incl.set(m, (cur.incl.get(m) ?? 0) + d); } }
});
for (const b of bursts) {
  if (b.busy < 500) continue;
  console.log(`burst at ${((b.t0 - prof.startTime) / 1000).toFixed(0)} ms: busy ${(b.busy / 1000).toFixed(2)} ms`);
  for (const [n, us] of [...b.self].sort((a, c) => c[1] - a[1]).slice(0, top)) console.log(`   ${(us / 1000).toFixed(2).padStart(6)}  ${n.slice(0, 110)}`);
  for (const f of incl) { const hits = [...b.incl].filter(([n]) => n.includes(f)); for (const [n, us] of hits.slice(0, 3)) console.log(`   incl ${(us / 1000).toFixed(2).padStart(6)}  ${n.slice(0, 100)}`); }
}
