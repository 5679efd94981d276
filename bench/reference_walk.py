#!/usr/bin/env python3
"""Reference check of the walk filter: `shuangquan reach` vs a networkx graph built here,
independently, from the same OSM extract with the same exclusion rules (README, "Walk filter").

The extract is read with pyosmium; every way with a `highway` tag is kept unless the rules
below exclude it; ways are split where they share nodes; edge lengths are haversine metres.
Probes are street vertices chosen with a fixed seed (so both sides put them on the network
with no off-network leg); sources likewise. `shuangquan reach --compounds open` (no resident
rule: the reference has none) gives seconds per probe; networkx `single_source_dijkstra` with
a cutoff gives the reference. A probe agrees when both are unreached, or both reached within
0.5 % or 1 s.

Usage (from the repository root):
  python3 -m venv bench/.venv && bench/.venv/bin/pip install networkx osmium
  cargo build --release --bin shuangquan
  bench/.venv/bin/python bench/reference_walk.py [--bin target/release/shuangquan]
"""

import argparse
import csv
import math
import os
import random
import subprocess
import sys
import tempfile
from collections import Counter

import networkx as nx
import osmium

NOT_WALKABLE = {"proposed", "planned", "construction", "abandoned", "razed", "no",
                "raceway", "bus_guideway", "busway"}
FOOT_PERMISSION = {"motorway", "motorway_link", "trunk", "trunk_link"}
FOOT_OK = {"yes", "designated", "permissive"}


def kept(tags):
    """The exclusion rules, written from README's table (not from the Rust code)."""
    low = {k: (tags.get(k) or "").strip().lower() for k in
           ("highway", "foot", "access", "area", "service")}
    if low["foot"] in ("no", "use_sidepath") or low["area"] == "yes":
        return False
    if low["highway"] in NOT_WALKABLE:
        return False
    if low["highway"] in FOOT_PERMISSION and low["foot"] not in FOOT_OK:
        return False
    if low["access"] == "no" and low["foot"] not in FOOT_OK:
        return False
    return True  # private ways too: compared with --compounds open


class Reader(osmium.SimpleHandler):
    def __init__(self):
        super().__init__()
        self.nodes = {}
        self.ways = []
        self.values = Counter()

    def node(self, n):
        if n.location.valid():
            self.nodes[n.id] = (n.location.lon, n.location.lat)

    def way(self, w):
        tags = {t.k: t.v for t in w.tags}
        if "highway" not in tags:
            return
        if kept(tags):
            self.values[tags["highway"]] += 1
            self.ways.append([n.ref for n in w.nodes])


def haversine(a, b):
    r = 6_371_008.8
    la1, la2 = math.radians(a[1]), math.radians(b[1])
    dla, dlo = la2 - la1, math.radians(b[0] - a[0])
    h = math.sin(dla / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin(dlo / 2) ** 2
    return 2 * r * math.asin(math.sqrt(h))


def build(path):
    r = Reader()
    r.apply_file(path)
    g = nx.Graph()
    uses = Counter()
    runs = []
    for refs in r.ways:
        run = []
        for ref in refs:  # clipped ways split where nodes are missing
            if ref in r.nodes:
                if not run or run[-1] != ref:
                    run.append(ref)
            elif len(run) >= 2:
                runs.append(run)
                run = []
            else:
                run = []
        if len(run) >= 2:
            runs.append(run)
    for run in runs:
        for k, ref in enumerate(run):
            uses[ref] += 2 if k in (0, len(run) - 1) else 1
    for run in runs:
        start, length = run[0], 0.0
        for p, q in zip(run, run[1:]):
            length += haversine(r.nodes[p], r.nodes[q])
            if uses[q] >= 2:
                if g.has_edge(start, q):
                    length = min(length, g[start][q]["w"])
                g.add_edge(start, q, w=length)
                start, length = q, 0.0
    return g, r.nodes, r.values, runs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="target/release/shuangquan")
    ap.add_argument("--osm", default="data/sources/helsinki/Helsinki.osm.pbf")
    ap.add_argument("--sources", type=int, default=3)
    ap.add_argument("--probes", type=int, default=150)
    ap.add_argument("--minutes", type=float, default=15.0)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    g, pos, values, runs = build(a.osm)
    print(f"reference graph: {g.number_of_nodes()} nodes, {g.number_of_edges()} edges; "
          f"kept highway values: {dict(values.most_common())}")
    rnd = random.Random(a.seed)
    main_comp = max(nx.connected_components(g), key=len)
    vertices = sorted({v for run in runs for v in run})
    limit = a.minutes * 60.0
    agree = total = 0
    worst = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(a.sources):
            src = rnd.choice(sorted(main_comp))
            probes = rnd.sample(vertices, a.probes)
            pfile = os.path.join(tmp, "probes.csv")
            with open(pfile, "w", newline="") as f:
                w = csv.writer(f)
                w.writerow(["lon", "lat"])
                for v in probes:
                    w.writerow([repr(pos[v][0]), repr(pos[v][1])])
            out = subprocess.run(
                [a.bin, "reach", "--network", a.osm, "--compounds", "open",
                 "--from", f"{pos[src][0]!r},{pos[src][1]!r}", "--minutes", str(a.minutes),
                 "--probes", pfile], check=True, capture_output=True, text=True).stdout
            got = [row["seconds"] for row in csv.DictReader(out.splitlines())]
            dist = nx.single_source_dijkstra_path_length(g, src, cutoff=limit, weight="w")
            for v, s in zip(probes, got):
                # A probe on a vertex that is not a graph node lies on an edge: its time is
                # the best of the edge's ends plus the way along it.
                want = dist.get(v)
                if want is None and v not in g:
                    want = along(g, runs, pos, dist, v)
                want = want if want is not None and want <= limit else None
                have = float(s) if s else None
                total += 1
                if want is None and have is None:
                    agree += 1
                elif want is not None and have is not None:
                    d = abs(have - want)
                    worst = max(worst, d)
                    agree += d <= max(1.0, 0.005 * want)
                else:
                    print(f"  source {src} probe {v}: shuangquan {have} vs networkx {want}")
    print(f"{agree} of {total} probes agree (within 0.5 % or 1 s); "
          f"largest difference {worst:.2f} s")
    sys.exit(0 if agree == total else 1)


def along(g, runs, pos, dist, v):
    best = None
    for run in runs:
        if v not in run:
            continue
        i = run.index(v)
        # Walk back and forward to the nearest graph nodes.
        for step in (-1, 1):
            j, d = i, 0.0
            while 0 <= j + step < len(run):
                d += haversine(pos[run[j]], pos[run[j + step]])
                j += step
                if run[j] in g:
                    if run[j] in dist:
                        t = dist[run[j]] + d
                        best = t if best is None else min(best, t)
                    break
    return best


if __name__ == "__main__":
    main()
