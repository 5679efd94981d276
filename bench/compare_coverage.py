#!/usr/bin/env python3
"""Dual-circle coverage benchmark: shuangquan vs networkx on the same graph.

The computation (issue 5): for every demand point of a data package (default
`static/data/shanghai-central`), the walking time to the nearest employment service station and
to the nearest facility of each of the six base categories (六个一), each by ONE multi-source
search bounded at threshold x horizon factor (15 min x 2 = 30 min = 1800 m at 60 m/min); then
the share of the demand weight within 15 minutes per target.

Both sides use the SAME walk graph: `shuangquan graph-export --data <pkg>` writes its nodes
(lon, lat and the graph's local metres) and undirected edges; this script loads them into a
networkx Graph (parallel edges keep the shortest). Demand points, stations and facilities are
read from the package's GeoJSON files and mapped to their NEAREST GRAPH NODE here in Python
(scipy cKDTree on the graph's own local metres, fitted from the exported node coordinates);
shuangquan snaps them onto the nearest point of an EDGE instead, so times differ slightly. As
on our side, a demand point more than 300 m from the network is off it, and its straight access
leg (point -> node) is added to its time. networkx side, per target: one
`multi_source_dijkstra_path_length(G, source_nodes, cutoff=1800, weight="length")`, then a
dictionary look-up of every demand point's node.

Timings (median of --repeat runs; loading files, building the graph, and networkx's Graph
construction are excluded on BOTH sides):
  * searches: shuangquan criterion bench `coverage/shanghai-central/reaches_base6` (7 reaches +
    probing every demand point, inputs snapped beforehand) vs networkx's 7 Dijkstras + look-ups
    (nearest-node mapping done beforehand);
  * full: criterion `station_base6` (coverage::compute: snapping onto edges + 7 reaches + probes
    + aggregation to community/街道/district, gaps, model circles) vs networkx mapping to nodes
    (cKDTree query) + 7 Dijkstras + look-ups (networkx side has NO aggregation);
  * `all` (station + all 12 categories) and `aggregation` are printed for reference.
The native medians are read from criterion's estimates.json under $CARGO_TARGET_DIR/criterion
(run the bench first, or pass --run-bench). The CLI's wall time (load + graph build + compute +
writing files) is printed separately for context.

Agreement: per target, the share of demand weight within 15 min from networkx vs from
`shuangquan coverage --points` (per-point times), and the share of points whose in/out
membership agrees.

Usage (from the repository root):
  python3 -m venv bench/.venv && bench/.venv/bin/pip install networkx numpy scipy
  cargo build --release --bin shuangquan
  cargo bench --bench coverage
  bench/.venv/bin/python bench/compare_coverage.py [--bin target/release/shuangquan] [--run-bench]
"""

import argparse
import csv
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time

import networkx as nx
import numpy as np
from scipy.spatial import cKDTree

BASE_SIX = ["store", "breakfast", "market", "repair", "elderly", "childcare"]
GROUP = "coverage_shanghai-central"  # criterion's directory for group "coverage/shanghai-central"


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def read_points(path):
    with open(path, encoding="utf-8") as f:
        return [(tuple(ft["geometry"]["coordinates"][:2]), ft["properties"]) for ft in json.load(f)["features"]]


def median_time(fn, repeat):
    times = []
    out = None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def criterion_median_ms(target, name):
    p = os.path.join(target, "criterion", GROUP, name, "new", "estimates.json")
    try:
        with open(p, encoding="utf-8") as f:
            return json.load(f)["median"]["point_estimate"] / 1e6
    except OSError:
        sys.exit(f"{p} missing: run `cargo bench --bench coverage` first (or pass --run-bench)")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    target = os.environ.get("CARGO_TARGET_DIR", "target")
    ap.add_argument("--bin", default=os.path.join(target, "release", "shuangquan"))
    ap.add_argument("--target-dir", default=target, help="where criterion's results are")
    ap.add_argument("--data", default="static/data/shanghai-central")
    ap.add_argument("--run-bench", action="store_true", help="run `cargo bench --bench coverage` first")
    ap.add_argument("--minutes", type=float, default=15.0)
    ap.add_argument("--speed", type=float, default=60.0)
    ap.add_argument("--horizon", type=float, default=2.0)
    ap.add_argument("--max-snap", type=float, default=300.0)
    ap.add_argument("--repeat", type=int, default=5)
    a = ap.parse_args()
    within_m = a.minutes * a.speed
    cutoff = within_m * a.horizon

    if a.run_bench:
        subprocess.run(["cargo", "bench", "--bench", "coverage"], check=True,
                       env={**os.environ, "CARGO_TARGET_DIR": a.target_dir})
    native = {n: criterion_median_ms(a.target_dir, n)
              for n in ("reaches_base6", "station_base6", "all", "aggregation")}

    print(f"# python {platform.python_version()}, networkx {nx.__version__}, numpy {np.__version__}")
    print(f"# machine: {platform.machine()} {platform.processor() or ''} {os.cpu_count()} cpus")

    with tempfile.TemporaryDirectory() as tmp:
        nodes_p, edges_p = os.path.join(tmp, "nodes.csv"), os.path.join(tmp, "edges.csv")
        subprocess.run([a.bin, "graph-export", "--data", a.data, "--nodes", nodes_p, "--edges", edges_p],
                       check=True, capture_output=True, text=True)
        nodes = read_csv(nodes_p)
        edges = read_csv(edges_p)
        report_p, points_p = os.path.join(tmp, "r.csv"), os.path.join(tmp, "p.csv")
        cli = [a.bin, "coverage", "--data", a.data, "--out", report_p, "--points", points_p,
               "--minutes", str(a.minutes), "--speed", str(a.speed), "--max-snap-m", str(a.max_snap)]
        cli_s, _ = median_time(lambda: subprocess.run(cli, check=True, capture_output=True), 3)
        ours = read_csv(points_p)

    demand = read_points(os.path.join(a.data, "demand.geojson"))
    stations = read_points(os.path.join(a.data, "stations.geojson"))
    facilities = read_points(os.path.join(a.data, "facilities.geojson"))
    assert len(ours) == len(demand), "points.csv is not aligned with demand.geojson"
    weights = np.array([float(p.get("weight", 1.0)) for _, p in demand])

    # The graph's local metres are linear in lon and lat (LocalProjection): fit them.
    ids = np.array([int(n["id"]) for n in nodes])
    lon = np.array([float(n["lon"]) for n in nodes])
    lat = np.array([float(n["lat"]) for n in nodes])
    xm = np.array([float(n["x_m"]) for n in nodes])
    ym = np.array([float(n["y_m"]) for n in nodes])
    fx, fy = np.polyfit(lon, xm, 1), np.polyfit(lat, ym, 1)
    fit_err = max(np.abs(np.polyval(fx, lon) - xm).max(), np.abs(np.polyval(fy, lat) - ym).max())

    def project(pts):
        arr = np.array([c for c, _ in pts], dtype=float).reshape(-1, 2)
        return np.column_stack([np.polyval(fx, arr[:, 0]), np.polyval(fy, arr[:, 1])])

    G = nx.Graph()
    G.add_nodes_from(ids.tolist())
    for e in edges:
        u, v, w = int(e["u"]), int(e["v"]), float(e["length_m"])
        if u == v:
            continue
        if G.has_edge(u, v):
            G[u][v]["length"] = min(G[u][v]["length"], w)
        else:
            G.add_edge(u, v, length=w)
    tree = cKDTree(np.column_stack([xm, ym]))
    targets = [("station", stations)] + [(c, [f for f in facilities if f[1].get("category") == c]) for c in BASE_SIX]
    demand_xy = project(demand)
    target_xy = [(name, project(pts)) for name, pts in targets]

    def mapping():
        dd, di = tree.query(demand_xy)
        dnode = [int(ids[i]) if d <= a.max_snap else None for d, i in zip(dd, di)]
        srcs = []
        for _, xy in target_xy:
            sd, si = tree.query(xy)
            srcs.append({int(ids[i]) for d, i in zip(sd, si) if d <= a.max_snap})
        return dd, dnode, srcs

    def searches(dd, dnode, srcs):
        out = []
        for src in srcs:
            dist = nx.multi_source_dijkstra_path_length(G, src, cutoff=cutoff, weight="length")
            col = []
            for access, n in zip(dd, dnode):
                m = dist.get(n) if n is not None else None
                m = m + access if m is not None else None
                col.append(m if m is not None and m <= cutoff else None)
            out.append(col)
        return out

    t_map, (dd, dnode, srcs) = median_time(mapping, a.repeat)
    t_search, nx_m = median_time(lambda: searches(dd, dnode, srcs), a.repeat)
    nx_search_ms = t_search * 1e3
    nx_full_ms = (t_map + t_search) * 1e3

    # Agreement per target.
    total_w = weights.sum()
    rows = []
    worst = 0.0
    for k, (name, _) in enumerate(targets):
        col = "station_s" if name == "station" else f"{name}_s"
        our_in = np.array([r[col] != "" and float(r[col]) <= a.minutes * 60 + 1e-9 for r in ours])
        nx_in = np.array([m is not None and m <= within_m + 1e-9 for m in nx_m[k]])
        s_ours = weights[our_in].sum() / total_w
        s_nx = weights[nx_in].sum() / total_w
        agree = (our_in == nx_in).mean()
        both = [(float(r[col]) * a.speed / 60.0, m) for r, m in zip(ours, nx_m[k]) if r[col] != "" and m is not None]
        med = statistics.median(abs(o - m) for o, m in both) if both else float("nan")
        worst = max(worst, abs(s_ours - s_nx))
        rows.append((name, len(srcs[k]), s_ours, s_nx, s_ours - s_nx, agree, med))

    print(f"# graph: {G.number_of_nodes()} nodes, {G.number_of_edges()} edges; {len(demand)} demand points "
          f"({total_w:.0f} people), {len(stations)} stations, "
          f"{sum(len(p) for _, p in targets[1:])} base-category facilities; projection fit error {fit_err:.3g} m")
    print(f"# searches bounded at {cutoff:g} m ({a.minutes:g} min x {a.horizon:g} at {a.speed:g} m/min); "
          f"membership at {within_m:g} m")
    print()
    print("| what (station + 6 base categories, every demand point) | shuangquan (native) | networkx | ratio nx/ours |")
    print("|---|---|---|---|")
    print(f"| searches: 7 multi-source reaches + per-point look-ups (inputs placed beforehand) | "
          f"{native['reaches_base6']:.2f} ms | {nx_search_ms:.1f} ms | {nx_search_ms / native['reaches_base6']:.0f}x |")
    print(f"| full: placing points + searches (+ aggregation on our side only) | "
          f"{native['station_base6']:.2f} ms | {nx_full_ms:.1f} ms | {nx_full_ms / native['station_base6']:.0f}x |")
    print()
    print(f"shuangquan, for reference: station + all 12 categories (13 reaches, full compute) "
          f"{native['all']:.2f} ms; aggregation alone {native['aggregation']:.2f} ms; "
          f"networkx nearest-node mapping alone {t_map * 1e3:.2f} ms; "
          f"CLI `shuangquan coverage --data` wall time (load + graph build + all 12 categories + files) "
          f"{cli_s * 1e3:.0f} ms")
    print()
    print("| target | distinct source nodes (networkx) | share within 15 min: shuangquan | networkx | difference (pp) | points agreeing | median abs time diff |")
    print("|---|---|---|---|---|---|---|")
    for name, n, so, sn, diff, agree, med in rows:
        print(f"| {name} | {n} | {so * 100:.2f} % | {sn * 100:.2f} % | {diff * 100:+.2f} | "
              f"{agree * 100:.1f} % | {med:.1f} m |")
    print()
    print(f"RESULT: largest share difference {worst * 100:.2f} pp "
          "(networkx snaps to nodes, shuangquan onto edges)")
    return 0 if worst < 0.05 else 1


if __name__ == "__main__":
    sys.exit(main())
