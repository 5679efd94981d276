#!/usr/bin/env python3
"""Who held the cores while a thread waited for one (a benchmark aid, not a test).

Reads `perf sched record` data (bench/city_browser.mjs with PERF_SCHED=FILE records the whole
machine over the five isochrone clicks) through `perf script`, finds every interval in which the
thread named NAME (default DedicatedWorker; the busiest of that name) was runnable but not on a
CPU (from its wake-up, or from being preempted, to its next switch-in), and sums, by thread name,
the time each other thread held a CPU within those intervals. Prints the thread's CPU time, its
runnable-but-waiting time, its longest waits, and the holders, busiest first.
Usage: python3 bench/sched_waits.py FILE [NAME]
"""
import re
import subprocess
import sys
from collections import defaultdict

path = sys.argv[1]
name = sys.argv[2] if len(sys.argv) > 2 else 'DedicatedWorker'
out = subprocess.run(['perf', 'script', '-i', path, '-F', 'cpu,time,event,trace'],
                     capture_output=True, text=True).stdout
ev = []
for line in out.splitlines():
    m = re.match(r'\s*\[(\d+)\]\s+([\d.]+):\s+sched:(\w+):\s+(.*)', line)
    if m:
        ev.append((int(m[1]), float(m[2]), m[3], m[4]))
sw = re.compile(r'prev_comm=(.*) prev_pid=(\d+) prev_prio=\d+ prev_state=(\S+) ==> next_comm=(.*) next_pid=(\d+)')
wk = re.compile(r'comm=(.*) pid=(\d+) prio')
# The thread: the tid of that name with the most switch-ins.
count = defaultdict(int)
names = {}
for cpu, t, kind, tr in ev:
    if kind == 'sched_switch':
        m = sw.match(tr)
        names[m[5]] = m[4]
        names[m[2]] = m[1]
        if m[4].startswith(name):
            count[m[5]] += 1
tid = max(count, key=count.get)
running = {}          # cpu -> (tid, since)
held = defaultdict(float)
waiting_since = None  # when the thread became runnable without a CPU
on_cpu = 0.0
oncpu_since = None
waits = []


def label(who):
    """A thread's name; Chromium's main threads (all named after the program) by tid too."""
    if who == '0':
        return 'idle'
    n = names.get(who, who)
    return f'{n}[{who}]' if n == 'chromium' else n


for cpu, t, kind, tr in ev:
    if kind in ('sched_waking', 'sched_wakeup'):
        m = wk.match(tr)
        if m and m[2] == tid and waiting_since is None and oncpu_since is None:
            waiting_since = t
    elif kind == 'sched_switch':
        m = sw.match(tr)
        prev, state, nxt = m[2], m[3], m[5]
        # Close the CPU's current holder's stretch inside a wait.
        if waiting_since is not None and cpu in running:
            who, since = running[cpu]
            a = max(since, waiting_since)
            if t > a:
                held[label(who)] += t - a
        running[cpu] = (nxt, t)
        if prev == tid and oncpu_since is not None:
            on_cpu += t - oncpu_since
            oncpu_since = None
            if state.startswith('R'):
                waiting_since = t
        if nxt == tid:
            if waiting_since is not None:
                waits.append((t - waiting_since, waiting_since))
                waiting_since = None
            oncpu_since = t
# Each CPU's stretch within a wait was credited at its switch; stretches still open at a
# switch-in of the thread are credited there (above, running[cpu] restarts at that switch).
total_wait = sum(w for w, _ in waits)
print(f'thread {names.get(tid)} [{tid}]: on a CPU {on_cpu * 1e3:.1f} ms, runnable and waiting {total_wait * 1e3:.1f} ms in {len(waits)} waits')
print('longest waits (ms at s): ' + ', '.join(f'{w * 1e3:.1f} at {s:.3f}' for w, s in sorted(waits, reverse=True)[:8]))
by = sorted(held.items(), key=lambda x: -x[1])
print('held the CPUs while it waited (ms, summed over both CPUs):')
for who, s in by[:20]:
    print(f'  {who}: {s * 1e3:.1f}')
