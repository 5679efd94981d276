#!/usr/bin/env python3
"""City-scale baseline (issue 13): the native CLI and networkx/OSMnx on tiled extracts.

The extracts are SCALE FIXTURES, never places: `tile_osm.py` (the team's tool, see its header)
repeats the real central-Shanghai road network N x N times side by side, stitched at the seams.
Street topology is real, the "city" is not. They are written under target/city-scale/ (never
committed).

For each N in --tiles (default 8 and 12) this measures, each in its own process under
`/usr/bin/time -v` (wall time, CPU time = user + system, and peak RSS; the CLI rows' `*_s` fields are [wall, CPU] pairs):
  1. load: `shuangquan reach --network EXTRACT --from CENTRE` (read + parse + walk graph + one
     15-minute search) on the .osm XML, and on a .osm.pbf made with pyosmium when installed;
  2. one bounded search: `shuangquan graph-export --queries 200 --repeat 50` times 15-minute
     single-source searches from seeded nodes: wall time (median of repeats) and CPU time (the
     thread's own, one long loop: the fair figure on a shared machine), per query and per
     settled node;
  3. full coverage: `shuangquan coverage` with 60,000 demand points, 12 categories x 2,000
     facilities and 300 stations, all at seeded random graph nodes (seed 13);
  4. networkx on the same graph (`graph-export`'s CSVs): load time, peak RSS, and the same
     15-minute Dijkstra (cutoff 900 m) from the same sources;
  5. OSMnx on the same .osm XML (`graph_from_xml`, simplify=False): load time and peak RSS,
     then Dijkstra from 20 seeded nodes; run under a memory cap (--osmnx-cap-gb, default 8) so a
     2-core machine shared with others is not pushed into swap; a failure is reported as such.

Usage (from the repository root):
  python3 -m venv bench/.venv && bench/.venv/bin/pip install networkx osmnx osmium
  cargo build --release --bin shuangquan
  bench/.venv/bin/python bench/city_scale.py [--tiles 8 12] [--bin target/release/shuangquan]
"""

import argparse
import csv
import json
import os
import random
import re
import resource
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORK = os.path.join(ROOT, "target", "city-scale")
SOURCE = os.path.join(ROOT, "data", "sources", "shanghai", "shanghai_center.osm")
CATEGORIES = ["store", "breakfast", "market", "repair", "elderly", "childcare",
              "housekeeping", "parcel", "pharmacy", "clinic", "training", "startup_space"]


def timed(cmd, cap_gb=None):
    """Runs cmd under /usr/bin/time -v; returns (rc, (wall s, CPU s = user + system), peak RSS
    MB, stdout, stderr). CPU time is the fairer figure on a machine shared with other builds."""
    def limit():
        if cap_gb:
            b = int(cap_gb * 1024**3)
            resource.setrlimit(resource.RLIMIT_AS, (b, b))
    p = subprocess.run(["/usr/bin/time", "-v"] + cmd, capture_output=True, text=True,
                       preexec_fn=limit)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr)
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", p.stderr)
    secs = None
    if wall:
        h, m, s = wall.groups()
        secs = int(h or 0) * 3600 + int(m) * 60 + float(s)
    cpu = sum(float(x) for x in re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)", p.stderr))
    return p.returncode, (secs, cpu), int(rss.group(1)) / 1024 if rss else None, p.stdout, p.stderr


def extract(n, tile_tool):
    osm = os.path.join(WORK, f"tiled_{n}x{n}.osm")
    if not os.path.exists(osm):
        subprocess.run([sys.executable, tile_tool, SOURCE, str(n), osm], check=True)
    pbf = osm + ".pbf"
    if not os.path.exists(pbf):
        try:
            import osmium
            with osmium.SimpleWriter(pbf) as w:
                for o in osmium.FileProcessor(osm):
                    w.add(o)
        except ImportError:
            pbf = None
    return osm, pbf


def seeded_layers(nodes_csv, out_dir, seed=13):
    with open(nodes_csv) as f:
        nodes = [(float(r["lon"]), float(r["lat"])) for r in csv.DictReader(f)]
    rnd = random.Random(seed)
    pick = lambda: nodes[rnd.randrange(len(nodes))]
    paths = {k: os.path.join(out_dir, f"{k}.csv") for k in ("demand", "facilities", "stations")}
    with open(paths["demand"], "w") as f:
        f.write("id,lon,lat,weight\n")
        for i in range(60_000):
            lon, lat = pick()
            f.write(f"d{i},{lon:.7f},{lat:.7f},{rnd.randint(50, 500)}\n")
    with open(paths["facilities"], "w") as f:
        f.write("id,name,lon,lat,category\n")
        for c in CATEGORIES:
            for i in range(2_000):
                lon, lat = pick()
                f.write(f"{c}{i},{c} {i},{lon:.7f},{lat:.7f},{c}\n")
    with open(paths["stations"], "w") as f:
        f.write("id,name,lon,lat\n")
        for i in range(300):
            lon, lat = pick()
            f.write(f"s{i},station {i},{lon:.7f},{lat:.7f}\n")
    return paths, nodes


# One script for both Python sides: load (networkx from graph-export's CSVs, or OSMnx from the
# .osm XML), then 15-minute Dijkstra runs (cutoff 900 m) from the given sources (csv) or from 20
# seeded nodes (osmnx: OSM ids differ from ours).
GRAPH_SCRIPT = r"""
import csv, json, random, statistics, sys, time
import networkx as nx
mode, path, sources = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
t0, c0 = time.perf_counter(), time.process_time()
if mode == "csv":
    G = nx.Graph()
    with open(path) as f:
        for r in csv.DictReader(f):
            G.add_edge(int(r["u"]), int(r["v"]), length=float(r["length_m"]))
else:
    import osmnx as ox
    G = ox.graph_from_xml(path, simplify=False, retain_all=True, bidirectional=True)
    rnd = random.Random(13)
    ids = list(G.nodes)
    sources = [ids[rnd.randrange(len(ids))] for _ in range(20)]
load, load_cpu = time.perf_counter() - t0, time.process_time() - c0
times, reached = [], []
c0 = time.process_time()
for s in sources:
    t = time.perf_counter()
    d = nx.single_source_dijkstra_path_length(G, s, cutoff=900, weight="length")
    times.append(time.perf_counter() - t)
    reached.append(len(d))
cpu_ms = 1000 * (time.process_time() - c0) / max(len(sources), 1)
print(json.dumps({"load_s": load, "load_cpu_s": load_cpu, "nodes": G.number_of_nodes(), "edges": G.number_of_edges(),
                  "ms_per_query": 1000 * statistics.median(times), "cpu_ms_per_query": cpu_ms,
                  "mean_reached": statistics.mean(reached)}))
"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tiles", type=int, nargs="+", default=[8, 12])
    ap.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "shuangquan"))
    ap.add_argument("--tile-tool", default=os.environ.get("TILE_OSM", "/work/shared/tools/tile_osm.py"))
    ap.add_argument("--osmnx-cap-gb", type=float, default=8.0)
    ap.add_argument("--osmnx-tiles", type=int, nargs="*", default=[8],
                    help="sizes on which OSMnx runs (12 x 12 would need ≈ 11 GB: 5.1 GB at 8 x 8)")
    a = ap.parse_args()
    os.makedirs(WORK, exist_ok=True)
    rows = []
    for n in a.tiles:
        osm, pbf = extract(n, a.tile_tool)
        d = os.path.join(WORK, f"run_{n}")
        os.makedirs(d, exist_ok=True)
        r = {"tiles": f"{n}x{n}", "osm_mb": os.path.getsize(osm) / 1e6,
             "pbf_mb": os.path.getsize(pbf) / 1e6 if pbf else None}
        # 2. graph export + one bounded search (also gives the node list).
        nodes_csv, edges_csv = os.path.join(d, "nodes.csv"), os.path.join(d, "edges.csv")
        rc, wall, rss, out, err = timed([a.bin, "graph-export", "--network", pbf or osm,
                                         "--nodes", nodes_csv, "--edges", edges_csv,
                                         "--queries", "200", "--repeat", "50"])
        if rc != 0:
            sys.exit(f"graph-export failed: {err[-2000:]}")
        g = json.loads(out[out.index("{"):out.index("}") + 1])
        r.update(graph_nodes=g["nodes"], graph_edges=g["edges"], search_ms=g["reach_ms_per_query"],
                 search_reached=g["mean_reached"],
                 ns_per_node=1e6 * g["reach_ms_per_query"] / max(g["mean_reached"], 1),
                 search_cpu_ms=g.get("reach_cpu_ms_per_query"),
                 cpu_ns_per_node=(1e6 * g["reach_cpu_ms_per_query"] / max(g["mean_reached"], 1)
                                  if "reach_cpu_ms_per_query" in g else None),
                 sources=g["sources"])
        paths, nodes = seeded_layers(nodes_csv, d)
        lon, lat = nodes[g["sources"][0]]  # a node of the largest component (ids = CSV order)
        # 1. load (+ one search), XML and PBF.
        for key, f in (("xml", osm), ("pbf", pbf)):
            if not f:
                continue
            rc, wall, rss, _, err = timed([a.bin, "reach", "--network", f, "--from", f"{lon},{lat}",
                                           "--minutes", "15", "--out", os.devnull])
            r[f"load_{key}_s"], r[f"load_{key}_mb"] = (wall, rss) if rc == 0 else (None, None)
            if rc != 0:
                print(f"reach failed: {err[-1500:]}", file=sys.stderr)
        # 3. full coverage.
        rc, wall, rss, out, err = timed([a.bin, "coverage", "--network", pbf or osm,
                                         "--demand", paths["demand"], "--facilities", paths["facilities"],
                                         "--stations", paths["stations"],
                                         "--out", os.path.join(d, "coverage.csv"), "--show-gaps", "0"])
        r["coverage_s"], r["coverage_mb"] = (wall, rss) if rc == 0 else (None, None)
        if rc != 0:
            print(f"coverage failed: {err[-1500:]}", file=sys.stderr)
        # 4. networkx on the same graph.
        rc, wall, rss, out, err = timed([sys.executable, "-c", GRAPH_SCRIPT, "csv", edges_csv,
                                         json.dumps(g["sources"])])
        if rc == 0:
            x = json.loads(out)
            r.update(nx_load_s=x["load_s"], nx_load_cpu_s=x["load_cpu_s"], nx_mb=rss, nx_ms=x["ms_per_query"],
                     nx_cpu_ms=x["cpu_ms_per_query"], nx_reached=x["mean_reached"])
            if r.get("search_cpu_ms"):
                r["nx_cpu_ratio_per_node"] = ((x["cpu_ms_per_query"] / max(x["mean_reached"], 1))
                                              / (r["search_cpu_ms"] / max(r["search_reached"], 1)))
        else:
            print(f"networkx failed: {err[-1500:]}", file=sys.stderr)
        # 5. OSMnx on the same XML.
        if n in a.osmnx_tiles:
            rc, wall, rss, out, err = timed([sys.executable, "-c", GRAPH_SCRIPT, "osmnx", osm, "[]"],
                                             cap_gb=a.osmnx_cap_gb)
            if rc == 0:
                x = json.loads(out.strip().splitlines()[-1])
                r.update(ox_load_s=x["load_s"], ox_load_cpu_s=x["load_cpu_s"], ox_wall_s=wall, ox_mb=rss, ox_ms=x["ms_per_query"],
                         ox_nodes=x["nodes"], ox_reached=x["mean_reached"])
            else:
                r["ox_failed"] = f"rc {rc}, peak {rss:.0f} MB under a {a.osmnx_cap_gb:g} GB cap: " + err.strip().splitlines()[-1][-200:]
        r.pop("sources")
        rows.append(r)
        print(json.dumps(r), flush=True)
    print(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
