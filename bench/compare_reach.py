#!/usr/bin/env python3
"""Side-by-side reach benchmark: shuangquan vs networkx (and pandana, when installed).

Both sides use the SAME graph: `shuangquan graph-export` writes the walk graph's nodes and
edges (ids, local metres, lengths) and runs its own timed queries from seeded source nodes;
this script loads those CSVs into networkx / pandana, runs the same queries and compares
reached sets and distances, then prints per-query times and ratios.

Queries:
  1. single-source reach within a budget (15 min at 60 m/min = 900 m) from K seeded nodes:
     shuangquan Reach::run vs networkx single_source_dijkstra_path_length(cutoff=900) vs
     pandana Network.nodes_in_range([node], 900);
  2. all-nodes nearest facility from F seeded facility nodes (unbounded):
     shuangquan one multi-source run vs networkx multi_source_dijkstra_path_length vs
     pandana set_pois + nearest_pois(num_pois=1).

Per settled node: both sides' CPU time (ours: `graph-export`'s `reach_cpu_ms_per_query`, the
thread's own time over one long loop; networkx: `time.process_time` over its repeats) divided by
the mean number of nodes reached: the fair figure on a machine shared with other work.
`--network NAME=PATH` (repeatable) replaces the default networks, e.g. the city-scale extract
`target/city-scale/tiled_8x8.osm.pbf` made by `bench/city_scale.py`.

Usage (from the repository root):
  python3 -m venv bench/.venv && bench/.venv/bin/pip install networkx pandana
  cargo build --release --bin shuangquan
  bench/.venv/bin/python bench/compare_reach.py [--bin target/release/shuangquan]
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

try:
    import pandas as pd
    import pandana

    PANDANA = True
    PANDANA_ERR = ""
except Exception as e:  # noqa: BLE001 - report why pandana is missing, keep going
    PANDANA = False
    PANDANA_ERR = repr(e)

NETWORKS = [
    ("shanghai", "data/sources/shanghai/shanghai_center.osm"),
    ("helsinki", "data/sources/helsinki/Helsinki.osm.pbf"),
]


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def median_time(fn, repeat):
    times = []
    out = None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    target = os.environ.get("CARGO_TARGET_DIR", "target")
    ap.add_argument("--bin", default=os.path.join(target, "release", "shuangquan"))
    ap.add_argument("--queries", type=int, default=50)
    ap.add_argument("--facilities", type=int, default=200)
    ap.add_argument("--minutes", type=float, default=15.0)
    ap.add_argument("--speed", type=float, default=60.0)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--network", action="append", default=None, metavar="NAME=PATH",
                    help="network(s) to compare instead of the default ones")
    a = ap.parse_args()
    networks = [tuple(n.split("=", 1)) for n in a.network] if a.network else NETWORKS
    cutoff = a.minutes * a.speed
    tol = 1e-3  # metres: exported lengths carry 6 decimals

    print(f"# python {platform.python_version()}, networkx {nx.__version__}, "
          f"pandana {pandana.__version__ if PANDANA else 'NOT AVAILABLE: ' + PANDANA_ERR}")
    print(f"# machine: {platform.machine()} {platform.processor() or ''} {os.cpu_count()} cpus")
    rows = []
    ok = True
    for name, path in networks:
        with tempfile.TemporaryDirectory() as tmp:
            nodes_p, edges_p = os.path.join(tmp, "nodes.csv"), os.path.join(tmp, "edges.csv")
            reached_p, nearest_p = os.path.join(tmp, "reached.csv"), os.path.join(tmp, "nearest.csv")
            cmd = [a.bin, "graph-export", "--network", path, "--nodes", nodes_p, "--edges", edges_p,
                   "--queries", str(a.queries), "--facilities", str(a.facilities),
                   "--minutes", str(a.minutes), "--speed", str(a.speed), "--seed", str(a.seed),
                   "--repeat", str(a.repeat), "--reached", reached_p, "--nearest", nearest_p,
                   # networkx walks every exported edge: ours must too (no resident-only ways).
                   "--compounds", "open"]
            res = subprocess.run(cmd, check=True, capture_output=True, text=True)
            rust = json.loads(res.stdout.strip().splitlines()[-1])
            nodes = read_csv(nodes_p)
            edges = read_csv(edges_p)
            rust_reached = {}
            for r in read_csv(reached_p):
                rust_reached.setdefault(int(r["source"]), {})[int(r["node"])] = float(r["metres"])
            rust_nearest = {int(r["node"]): float(r["metres"]) for r in read_csv(nearest_p)}

        # networkx: undirected; parallel edges keep the shortest.
        G = nx.Graph()
        G.add_nodes_from(int(n["id"]) for n in nodes)
        for e in edges:
            u, v, w = int(e["u"]), int(e["v"]), float(e["length_m"])
            if u == v:
                continue
            if G.has_edge(u, v):
                G[u][v]["length"] = min(G[u][v]["length"], w)
            else:
                G.add_edge(u, v, length=w)
        sources = rust["sources"]

        def nx_single():
            return [nx.single_source_dijkstra_path_length(G, s, cutoff=cutoff, weight="length") for s in sources]

        c0 = time.process_time()
        t_nx, nx_res = median_time(nx_single, a.repeat)
        nx_cpu_ms = (time.process_time() - c0) * 1e3 / (a.repeat * len(sources))
        nx_ms = t_nx * 1e3 / len(sources)
        same_sets = 0
        max_diff = 0.0
        boundary = 0
        for s, d in zip(sources, nx_res):
            rs = rust_reached.get(s, {})
            if set(rs) == set(d):
                same_sets += 1
            else:
                # Only nodes within rounding of the cutoff may differ.
                diff = set(rs) ^ set(d)
                if all(abs(d.get(n, rs.get(n, 0.0)) - cutoff) < tol for n in diff):
                    boundary += 1
                else:
                    ok = False
                    print(f"!! {name}: source {s}: {len(diff)} nodes differ", file=sys.stderr)
            for n, m in d.items():
                if n in rs:
                    max_diff = max(max_diff, abs(rs[n] - m))
        ok &= max_diff < tol

        fac = rust["facilities"]
        t_nx_near, nx_near = median_time(
            lambda: nx.multi_source_dijkstra_path_length(G, set(fac), weight="length"), a.repeat)
        near_diff = max(abs(rust_nearest[n] - m) for n, m in nx_near.items())
        near_same = set(nx_near) == set(rust_nearest)
        ok &= near_same and near_diff < tol

        row = {
            "network": name, "nodes": rust["nodes"], "edges": rust["edges"], "queries": len(sources),
            "mean_reached": rust["mean_reached"],
            "rust_reach_ms": rust["reach_ms_per_query"],
            "rust_reach_polygon_ms": rust["reach_and_polygon_ms_per_query"],
            "nx_reach_ms": nx_ms,
            "rust_cpu_ns_per_node": (rust["reach_cpu_ms_per_query"] * 1e6 / max(rust["mean_reached"], 1)
                                     if "reach_cpu_ms_per_query" in rust else None),
            "nx_cpu_ns_per_node": nx_cpu_ms * 1e6 / max(statistics.mean(len(d) for d in nx_res), 1),
            "reach_same_sets": f"{same_sets}/{len(sources)}" + (f" (+{boundary} at cutoff rounding)" if boundary else ""),
            "reach_max_diff_m": max_diff,
            "rust_nearest_ms": rust["nearest_ms"],
            "nx_nearest_ms": t_nx_near * 1e3,
            "nearest_same_set": near_same, "nearest_max_diff_m": near_diff,
        }

        if PANDANA:
            node_df = pd.DataFrame({"x": [float(n["x_m"]) for n in nodes], "y": [float(n["y_m"]) for n in nodes]},
                                   index=[int(n["id"]) for n in nodes])
            edge_df = pd.DataFrame({"from": [int(e["u"]) for e in edges], "to": [int(e["v"]) for e in edges],
                                    "length": [float(e["length_m"]) for e in edges]})
            t = time.perf_counter()
            net = pandana.Network(node_df["x"], node_df["y"], edge_df["from"], edge_df["to"],
                                  edge_df[["length"]], twoway=True)
            row["pandana_build_ms"] = (time.perf_counter() - t) * 1e3

            def pd_single():
                return [net.nodes_in_range([s], cutoff) for s in sources]

            t_pd, pd_res = median_time(pd_single, a.repeat)
            row["pandana_reach_ms"] = t_pd * 1e3 / len(sources)
            t_pdb, _ = median_time(lambda: net.nodes_in_range(sources, cutoff), a.repeat)
            row["pandana_batch_ms"] = t_pdb * 1e3 / len(sources)
            pd_same = 0
            pd_diff = 0.0
            pd_edge = 0.0  # farthest from the cutoff that a differing node lies (our distance)
            for s, df in zip(sources, pd_res):
                got = dict(zip(df["destination"].astype(int), df["length"].astype(float)))
                rs = rust_reached.get(s, {})
                if set(got) == set(rs):
                    pd_same += 1
                else:
                    for n in set(got) ^ set(rs):
                        d = rs.get(n, got.get(n))
                        pd_edge = max(pd_edge, abs(d - cutoff))
                for n, m in got.items():
                    if n in rs:
                        pd_diff = max(pd_diff, abs(rs[n] - m))
            row["pandana_same_sets"] = f"{pd_same}/{len(sources)}" + (
                f" (the others differ only in nodes within {pd_edge:.2g} m of the cutoff)" if pd_same < len(sources) else "")
            row["pandana_max_diff_m"] = pd_diff

            maxdist = 1e5
            fx = node_df.loc[fac, "x"]
            fy = node_df.loc[fac, "y"]
            net.set_pois("fac", maxdist, 1, fx, fy)
            t_pn, near = median_time(lambda: net.nearest_pois(maxdist, "fac", num_pois=1), a.repeat)
            row["pandana_nearest_ms"] = t_pn * 1e3
            col = near.columns[0]
            pd_near = {int(i): float(v) for i, v in near[col].items() if float(v) < maxdist}
            row["pandana_nearest_same_set"] = set(pd_near) == set(rust_nearest)
            row["pandana_nearest_max_diff_m"] = max(
                (abs(rust_nearest[n] - m) for n, m in pd_near.items() if n in rust_nearest), default=0.0)
        rows.append(row)

    for r in rows:
        print()
        print(f"## {r['network']}: {r['nodes']} nodes, {r['edges']} edges; {r['queries']} single-source "
              f"{a.minutes:g}-min queries (mean {r['mean_reached']:.0f} nodes reached), nearest of {a.facilities}")
        print("| query | shuangquan | networkx | ratio nx/ours | pandana | ratio pandana/ours | results |")
        print("|---|---|---|---|---|---|---|")
        pdr = r.get("pandana_reach_ms")
        pdn = r.get("pandana_nearest_ms")
        print(f"| single-source reach ({a.minutes:g} min), per query | {r['rust_reach_ms']:.4f} ms | "
              f"{r['nx_reach_ms']:.3f} ms | {r['nx_reach_ms'] / r['rust_reach_ms']:.0f}× | "
              + (f"{pdr:.3f} ms | {pdr / r['rust_reach_ms']:.1f}× | " if pdr else "n/a | n/a | ")
              + f"same reached set vs networkx {r['reach_same_sets']}, max Δ {r['reach_max_diff_m']:.2g} m"
              + (f"; vs pandana {r['pandana_same_sets']}, max Δ {r['pandana_max_diff_m']:.2g} m" if pdr else "")
              + " |")
        if r["rust_cpu_ns_per_node"]:
            print(f"| single-source reach, CPU time per settled node | {r['rust_cpu_ns_per_node']:.1f} ns | "
                  f"{r['nx_cpu_ns_per_node']:.0f} ns | {r['nx_cpu_ns_per_node'] / r['rust_cpu_ns_per_node']:.0f}× | "
                  "n/a | n/a | CPU time (user + system of the thread / process), not wall |")
        print(f"| reach + 15-min polygon, per query | {r['rust_reach_polygon_ms']:.3f} ms | "
              f"{r['nx_reach_ms']:.3f} ms (reach only) | {r['nx_reach_ms'] / r['rust_reach_polygon_ms']:.0f}× | "
              + (f"{pdr:.3f} ms (reach only) | {pdr / r['rust_reach_polygon_ms']:.1f}× | " if pdr else "n/a | n/a | ")
              + "polygon only on our side |")
        print(f"| all-nodes nearest of {a.facilities} | {r['rust_nearest_ms']:.3f} ms | {r['nx_nearest_ms']:.1f} ms | "
              f"{r['nx_nearest_ms'] / r['rust_nearest_ms']:.0f}× | "
              + (f"{pdn:.1f} ms | {pdn / r['rust_nearest_ms']:.1f}× | " if pdn else "n/a | n/a | ")
              + f"same set vs networkx {r['nearest_same_set']}, max Δ {r['nearest_max_diff_m']:.2g} m"
              + (f"; vs pandana {r['pandana_nearest_same_set']}, max Δ {r['pandana_nearest_max_diff_m']:.2g} m" if pdn else "")
              + " |")
        if "pandana_build_ms" in r:
            print(f"\npandana: one batched nodes_in_range call for all {r['queries']} sources: "
                  f"{r['pandana_batch_ms']:.3f} ms per query ({r['pandana_batch_ms'] / r['rust_reach_ms']:.1f}× ours); "
                  f"network build (contraction hierarchies) {r['pandana_build_ms']:.0f} ms, not in the ratios")
    print()
    print("RESULT:", "identical results" if ok else "MISMATCH (see stderr)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
