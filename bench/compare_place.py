#!/usr/bin/env python3
"""Placement benchmark: shuangquan's MCLP heuristic vs the exact optimum from spopt.

Both sides solve the SAME coverage matrix. `shuangquan place --export-matrix` builds it from a
data package on the real walking network (every demand point, every candidate site, 15-minute
walk at 60 m/min by default, existing stations kept). spopt's MCLP has no notion of demand that
is already covered, so the demand the existing stations cover is dropped from the instance and
the reduced matrix is what BOTH sides solve (written back as a matrix file for
`shuangquan place --matrix`); "covered" below is therefore the NEW coverage, the strict measure.

spopt side: `spopt.locate.MCLP.from_cost_matrix` (cost 0 where covered, 1 elsewhere, service
radius 0.5) and `.solve()` with PuLP's bundled CBC and with HiGHS (highspy), relative gap 0;
its time is model build + solve (what a user of spopt pays once the matrix exists).
shuangquan side: `mclp` only (lazy greedy + swaps + 100 kicks, the default; and with
`--kicks 0`), median of --repeat runs, measured inside the CLI (`solve_ms` on stderr),
excluding the matrix build and process start. The × columns are spopt's time over ours (with
kicks).

Usage (from the repository root):
  bench/.venv/bin/pip install spopt pulp highspy
  cargo build --release --bin shuangquan
  bench/.venv/bin/python bench/compare_place.py [--bin target/release/shuangquan]
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time

import numpy as np
import pulp
from spopt.locate import MCLP

INSTANCES = [
    # (name, package, extra CLI arguments)
    ("shanghai 15 min", "static/data/shanghai-central", ["--minutes", "15"]),
    ("shanghai 10 min", "static/data/shanghai-central", ["--minutes", "10"]),
]
KS = [5, 10, 20, 50]


def default_bin():
    tgt = os.environ.get("CARGO_TARGET_DIR", "target")
    return os.path.join(tgt, "release", "shuangquan")


def export_matrix(binary, package, extra, path):
    subprocess.run(
        [binary, "place", "--data", package, *extra, "--export-matrix", path],
        check=True,
        capture_output=True,
    )
    with open(path) as f:
        return json.load(f)


def reduce(m):
    """Drops the demand already covered by the existing stations."""
    keep = [d for d, f in enumerate(m["fixed"]) if not f]
    new = {d: i for i, d in enumerate(keep)}
    r = dict(m)
    r["weights"] = [m["weights"][d] for d in keep]
    r["fixed"] = [False] * len(keep)
    r["covers"] = [[new[d] for d in c if d in new] for c in m["covers"]]
    r["unreachable_demand"] = [new[d] for d in m["unreachable_demand"] if d in new]
    return r


def ours(binary, matrix_path, k, repeat, out, kicks):
    p = subprocess.run(
        [binary, "place", "--matrix", matrix_path, "--k", str(k), "--out", out,
         "--repeat", str(repeat), "--kicks", str(kicks)],
        check=True,
        capture_output=True,
        text=True,
    )
    ms = next(float(l.split("=")[1]) for l in p.stderr.splitlines() if l.startswith("solve_ms="))
    with open(out) as f:
        plan = json.load(f)
    return plan, ms


def spopt_solve(r, k, solver_name, time_limit):
    n_cli, n_fac = len(r["weights"]), len(r["covers"])
    weights = np.array(r["weights"], dtype=float)
    t0 = time.perf_counter()
    cost = np.ones((n_cli, n_fac))
    for j, c in enumerate(r["covers"]):
        cost[c, j] = 0.0
    t1 = time.perf_counter()
    model = MCLP.from_cost_matrix(cost, weights, service_radius=0.5, p_facilities=k)
    if solver_name == "cbc":
        solver = pulp.PULP_CBC_CMD(msg=False, gapRel=0.0, timeLimit=time_limit)
    else:
        solver = pulp.HiGHS(msg=False, gapRel=0.0, timeLimit=time_limit)
    model.solve(solver, results=False)
    t2 = time.perf_counter()
    chosen = [j for j in range(n_fac) if (model.fac_vars[j].value() or 0) > 0.5]
    on = np.zeros(n_cli, dtype=bool)
    for j in chosen:
        on[r["covers"][j]] = True
    status = pulp.LpStatus[model.problem.status]
    return float(weights[on].sum()), (t2 - t1) * 1e3, (t1 - t0) * 1e3, status, chosen


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=default_bin())
    ap.add_argument("--repeat", type=int, default=21)
    ap.add_argument("--time-limit", type=float, default=600.0)
    ap.add_argument("--solvers", default="cbc,highs")
    args = ap.parse_args()
    print(f"# {platform.platform()}, Python {platform.python_version()}, pulp {pulp.__version__}",
          file=sys.stderr)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, package, extra in INSTANCES:
            full = export_matrix(args.bin, package, extra, os.path.join(tmp, "full.json"))
            r = reduce(full)
            rpath = os.path.join(tmp, "reduced.json")
            with open(rpath, "w") as f:
                json.dump(r, f)
            before = sum(w for w, f in zip(full["weights"], full["fixed"]) if f)
            total = sum(full["weights"])
            nnz = sum(len(c) for c in r["covers"])
            print(f"{name}: {len(full['weights'])} demand ({len(r['weights'])} not yet covered), "
                  f"{len(r['covers'])} candidates, {nnz} coverage pairs; existing stations cover "
                  f"{before / total:.1%}", file=sys.stderr)
            for k in KS:
                plan, ms = ours(args.bin, rpath, k, args.repeat, os.path.join(tmp, "plan.json"), 100)
                plan0, ms0 = ours(args.bin, rpath, k, args.repeat, os.path.join(tmp, "p0.json"), 0)
                row = {"instance": name, "k": k, "ours_new": plan["covered_weight"],
                       "ours_ms": ms, "swaps": plan["swaps"], "before": before, "total": total,
                       "nokick_new": plan0["covered_weight"], "nokick_ms": ms0}
                for s in args.solvers.split(","):
                    opt, sms, dense_ms, status, _ = spopt_solve(r, k, s, args.time_limit)
                    row[s] = (opt, sms, status)
                    print(f"  k={k:>2} {s}: opt {opt:.0f} in {sms:.0f} ms ({status}); "
                          f"ours {plan['covered_weight']:.0f} in {ms:.3f} ms", file=sys.stderr)
                rows.append(row)
    solvers = args.solvers.split(",")
    head = ("| instance | k | optimum new (people) | ours new | ours / opt (new) | "
            "ours / opt (total covered) | ours solve ms | no kicks: / opt (new) | no kicks ms | "
            + " | ".join(f"spopt+{s} ms | ×" for s in solvers) + " |")
    print(head)
    print("|" + "---|" * (9 + 2 * len(solvers)))
    for row in rows:
        opt = max(row[s][0] for s in solvers)
        cells = [row["instance"], str(row["k"]), f"{opt:.0f}", f"{row['ours_new']:.0f}",
                 f"{row['ours_new'] / opt:.2%}" if opt > 0 else "n/a",
                 f"{(row['before'] + row['ours_new']) / (row['before'] + opt):.2%}",
                 f"{row['ours_ms']:.2f}",
                 f"{row['nokick_new'] / opt:.2%}" if opt > 0 else "n/a",
                 f"{row['nokick_ms']:.3f}"]
        for s in solvers:
            sopt, sms, status = row[s]
            mark = "" if status == "Optimal" else f" ({status})"
            cells += [f"{sms:.0f}{mark}", f"{sms / row['ours_ms']:.0f}×"]
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
