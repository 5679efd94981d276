#!/usr/bin/env python3
"""Who held the cores while a thread waited for one (a benchmark aid, not a test).

Reads `perf sched record` data (bench/city_browser.mjs with PERF_SCHED=FILE records the whole
machine over the five isochrone clicks) through `perf script`, finds every interval in which the
thread named NAME (default DedicatedWorker; the one of that name switched in most often; or the
thread whose id is given: another Chromium on the machine has its own workers) was
runnable but not on a CPU (from its wake-up, or from being preempted, to its next switch-in),
and sums, by thread, the time each other thread held a CPU within those intervals (both CPUs
summed: up to twice the wait). Prints the thread's CPU time, its waits, and the holders, busiest
first. Chromium names its processes' main threads after the program: those are listed with
their thread id (the bench's THREADS=1 lines say which process each is).
Usage: python3 bench/sched_waits.py FILE [NAME | TID] (the bench prints its worker's TID with
PERF_SCHED)
"""
import re
import subprocess
import sys
from collections import defaultdict

path = sys.argv[1]
name = sys.argv[2] if len(sys.argv) > 2 else 'DedicatedWorker'
out = subprocess.run(['perf', 'script', '-i', path, '-F', 'cpu,time,event,trace'],
                     capture_output=True, text=True).stdout
sw = re.compile(r'prev_comm=(.*) prev_pid=(\d+) prev_prio=\d+ prev_state=(\S+) ==> '
                r'next_comm=(.*) next_pid=(\d+)')
wk = re.compile(r'comm=(.*) pid=(\d+) prio')
ev = []
names = {}
for line in out.splitlines():
    m = re.match(r'\s*\[(\d+)\]\s+([\d.]+):\s+sched:(\w+):\s+(.*)', line)
    if not m:
        continue
    cpu, t, kind, tr = int(m[1]), float(m[2]), m[3], m[4]
    if kind == 'sched_switch':
        s = sw.match(tr)
        names[s[2]], names[s[5]] = s[1], s[4]
        ev.append((t, cpu, 'switch', s[2], s[3], s[5]))
    elif kind in ('sched_waking', 'sched_wakeup'):
        w = wk.match(tr)
        if w:
            ev.append((t, cpu, 'wake', w[2], None, None))
count = defaultdict(int)
for t, cpu, kind, a, _, b in ev:
    if kind == 'switch' and names.get(b, '').startswith(name):
        count[b] += 1
tid = name if name.isdigit() else max(count, key=count.get)

# Pass 1: the thread's waits (runnable, not on a CPU) and its time on a CPU.
waits, on_cpu = [], 0.0
since, running = None, None
for t, cpu, kind, a, state, b in ev:
    if kind == 'wake' and a == tid and running is None and since is None:
        since = t
    elif kind == 'switch':
        if a == tid and running is not None:
            on_cpu += t - running
            running = None
            if state.startswith('R'):
                since = t
        if b == tid:
            if since is not None:
                waits.append((since, t))
            since, running = None, t

# Pass 2: each CPU's stretches (who, from, to), intersected with the waits.
stretches = []
current = {}
for t, cpu, kind, a, state, b in ev:
    if kind == 'switch':
        if cpu in current:
            who, t0 = current[cpu]
            stretches.append((who, t0, t))
        current[cpu] = (b, t)


def label(who):
    if who == '0':
        return 'idle'
    n = names.get(who, who)
    return f'{n}[{who}]' if n == 'chromium' else n


held = defaultdict(float)
for who, a, b in stretches:
    if who == tid:
        continue
    for w0, w1 in waits:  # few waits: a plain scan
        lo, hi = max(a, w0), min(b, w1)
        if hi > lo:
            held[label(who)] += hi - lo
total = sum(b - a for a, b in waits)
print(f'thread {names.get(tid)} [{tid}]: on a CPU {on_cpu * 1e3:.1f} ms, runnable and waiting '
      f'{total * 1e3:.1f} ms in {len(waits)} waits')
longest = sorted(((b - a, a) for a, b in waits), reverse=True)[:8]
print('longest waits (ms at s): ' + ', '.join(f'{w * 1e3:.1f} at {s:.3f}' for w, s in longest))
print('held the CPUs while it waited (ms, both CPUs summed):')
for who, s in sorted(held.items(), key=lambda x: -x[1])[:16]:
    print(f'  {who}: {s * 1e3:.1f}')
