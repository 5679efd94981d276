#!/usr/bin/env python3
"""City-size speed, before and after in one run (issue 13's speed rows, issue 15 item 7).

SCALE FIXTURE, never a place: the 8 x 8 tiled extract of `bench/city_scale.py` (real
central-Shanghai streets repeated side by side). For each binary given with --bin NAME=PATH
(e.g. the commit before the change and the one after), in alternation so that both see the same
load, this runs under `/usr/bin/time -v`:
  1. one bounded search: `graph-export --queries 200 --repeat 50` (15-minute single-source
     searches from seeded nodes): wall and thread-CPU time per query and per settled node;
  2. the load alone: `reach --network PBF --from CENTRE --minutes 15`;
  3. full coverage: `coverage` with 60,000 demand points, 12 categories x 2,000 facilities and
     300 stations at seeded random graph nodes (seed 13, as city_scale.py);
  4. placement: `place --k 50` with 5,000 seeded candidate sites and the same demand and
     stations (`--time-limit` as given), its build_ms (load + cover sets) and solve_ms, and from
     its plan whether the optimum was proven, the gap and the search's nodes; then the
     fewest sites for 90 % of the demand (`--target-share 0.9`, same time limit);
then networkx 3 on the same graph (the same 15-minute Dijkstra from the same sources, per settled
node), and checks that every binary wrote byte-identical coverage and placement outputs.
The load average is printed before and after.

Usage (from the repository root):
  bench/.venv/bin/python bench/city_speed.py --pbf target/city-scale-8x8.osm.pbf \
      --bin before=/tmp/sq-before --bin after=target/release/shuangquan [--rounds 2]
"""

import argparse
import filecmp
import json
import os
import random
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from city_scale import GRAPH_SCRIPT, ROOT, seeded_layers, timed  # noqa: E402


def candidates(nodes, path, n=5_000, seed=29):
    rnd = random.Random(seed)
    with open(path, "w") as f:
        f.write("id,lon,lat,name\n")
        for i in range(n):
            lon, lat = nodes[rnd.randrange(len(nodes))]
            f.write(f"c{i},{lon:.7f},{lat:.7f},site {i}\n")


def field(text, key):
    for tok in text.replace("\n", " ").split():
        if tok.startswith(key + "="):
            return float(tok.split("=", 1)[1])
    return None


def run_bin(name, exe, pbf, d, paths, lonlat, time_limit, lscp=True):
    r = {"bin": name}
    rc, t, rss, out, err = timed([exe, "graph-export", "--network", pbf, "--nodes", os.devnull,
                                  "--edges", os.devnull, "--queries", "200", "--repeat", "50"])
    if rc != 0:
        sys.exit(f"{name} graph-export failed: {err[-1500:]}")
    g = json.loads(out[out.index("{"):out.index("}") + 1])
    r.update(search_us=1e3 * g["reach_ms_per_query"], reached=g["mean_reached"],
             ns_per_node=1e6 * g["reach_ms_per_query"] / g["mean_reached"],
             cpu_ns_per_node=1e6 * g["reach_cpu_ms_per_query"] / g["mean_reached"],
             sources=g["sources"])
    rc, t, rss, _, err = timed([exe, "reach", "--network", pbf, "--from", lonlat, "--minutes", "15",
                                "--out", os.devnull])
    r["load_wall_s"], r["load_cpu_s"] = t
    cov_out = os.path.join(d, f"coverage_{name}.csv")
    rc, t, rss, _, err = timed([exe, "coverage", "--network", pbf, "--demand", paths["demand"],
                                "--facilities", paths["facilities"], "--stations", paths["stations"],
                                "--out", cov_out, "--show-gaps", "0"])
    if rc != 0:
        sys.exit(f"{name} coverage failed: {err[-1500:]}")
    r["coverage_wall_s"], r["coverage_cpu_s"] = t
    r["coverage_minus_load_cpu_s"] = t[1] - r["load_cpu_s"]
    place_out = os.path.join(d, f"place_{name}.json")
    rc, t, rss, _, err = timed([exe, "place", "--network", pbf, "--demand", paths["demand"],
                                "--candidates", paths["candidates"], "--stations", paths["stations"],
                                "--k", "50", "--time-limit", str(time_limit), "--out", place_out])
    if rc != 0:
        sys.exit(f"{name} place failed: {err[-1500:]}")
    r["place_wall_s"], r["place_cpu_s"] = t
    r["place_build_ms"], r["place_solve_ms"] = field(err, "build_ms"), field(err, "solve_ms")
    with open(place_out) as f:
        plan = json.load(f)
    r["place_proven"], r["place_gap"] = plan.get("proven_optimal"), plan.get("gap")
    r["place_nodes"] = plan.get("search_nodes")
    r["outputs"] = (cov_out, place_out)
    if not lscp:
        r.update(lscp_wall_s=None, lscp_solve_ms=None)
        return r
    # The fewest sites for 90 % of the demand, same time limit.
    rc, t, rss, _, err = timed([exe, "place", "--network", pbf, "--demand", paths["demand"],
                                "--candidates", paths["candidates"], "--stations", paths["stations"],
                                "--target-share", "0.9", "--time-limit", str(time_limit),
                                "--out", os.path.join(d, f"lscp_{name}.json")])
    if rc != 0:
        sys.exit(f"{name} place --target-share failed: {err[-1500:]}")
    r["lscp_wall_s"], r["lscp_cpu_s"] = t
    r["lscp_solve_ms"] = field(err, "solve_ms")
    with open(os.path.join(d, f"lscp_{name}.json")) as f:
        plan = json.load(f)
    r["lscp_sites"], r["lscp_lower_bound"] = len(plan.get("chosen", [])), plan.get("sites_lower_bound")
    return r


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pbf", required=True)
    ap.add_argument("--bin", action="append", required=True, metavar="NAME=PATH")
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--time-limit", type=float, default=2.0)
    ap.add_argument("--work", default=os.path.join(ROOT, "target", "city-speed"))
    ap.add_argument("--lscp", nargs="*", metavar="NAME",
                    help="binaries that also run the fewest-sites question (default: all; it ran "
                         "for minutes before its stages asked the clock)")
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    bins = [b.split("=", 1) for b in a.bin]
    print("load average before:", os.getloadavg(), flush=True)
    nodes_csv, edges_csv = os.path.join(a.work, "nodes.csv"), os.path.join(a.work, "edges.csv")
    rc, _, _, out, err = timed([bins[0][1], "graph-export", "--network", a.pbf, "--nodes", nodes_csv,
                                "--edges", edges_csv, "--queries", "200", "--repeat", "1"])
    if rc != 0:
        sys.exit(f"graph-export failed: {err[-1500:]}")
    g = json.loads(out[out.index("{"):out.index("}") + 1])
    paths, nodes = seeded_layers(nodes_csv, a.work)
    paths["candidates"] = os.path.join(a.work, "candidates.csv")
    candidates(nodes, paths["candidates"])
    lon, lat = nodes[g["sources"][0]]
    rows = {name: [] for name, _ in bins}
    for _ in range(a.rounds):
        for name, exe in bins:
            r = run_bin(name, exe, a.pbf, a.work, paths, f"{lon},{lat}", a.time_limit,
                        a.lscp is None or name in a.lscp)
            rows[name].append(r)
            print(json.dumps({k: v for k, v in r.items() if k not in ("sources", "outputs")}),
                  flush=True)
    rc, _, rss, out, err = timed([sys.executable, "-c", GRAPH_SCRIPT, "csv", edges_csv,
                                  json.dumps(g["sources"])])
    nx = json.loads(out) if rc == 0 else None
    if nx:
        nx_ns = 1e6 * nx["cpu_ms_per_query"] / nx["mean_reached"]
        print(json.dumps({"networkx_cpu_ns_per_node": nx_ns, "mean_reached": nx["mean_reached"]}))
    summary = {}
    for name, rs in rows.items():
        med = lambda k: statistics.median([r[k] for r in rs if r[k] is not None] or [float("nan")])
        s = {k: med(k) for k in ("ns_per_node", "cpu_ns_per_node", "coverage_wall_s", "coverage_cpu_s",
                                 "coverage_minus_load_cpu_s", "load_cpu_s", "place_build_ms",
                                 "place_solve_ms", "place_cpu_s", "lscp_wall_s", "lscp_solve_ms")}
        if nx:
            s["networkx_over_ours_per_node_cpu"] = nx_ns / s["cpu_ns_per_node"]
        summary[name] = s
    first = rows[bins[0][0]][0]["outputs"]
    for name, rs in rows.items():
        summary[name]["outputs_identical_to_" + bins[0][0]] = all(
            filecmp.cmp(x, y, shallow=False) for x, y in zip(first, rs[0]["outputs"]))
    print("load average after:", os.getloadavg())
    print(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main()
