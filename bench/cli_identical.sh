#!/bin/sh
# The CLI's analysis outputs on every shipped package, from two binaries: byte-identical or not.
# Usage (from the repository root): bench/cli_identical.sh BEFORE_BIN AFTER_BIN [WORKDIR]
# Runs coverage (report + per-point times), access (report + per-point ratios), place (k = 3,
# and the fewest sites for 80 %) and nearby (JSON with the services summary, 20 minutes, from
# the first three points of the package's stations, then postings, facilities, demand) on each
# package of static/data, with each binary, and compares.
set -u
before=$1; after=$2; work=${3:-target/cli-identical}
mkdir -p "$work"
status=0
for pkg in static/data/*/; do
  p=$(basename "$pkg")
  homes=$(python3 -c 'import json, os, sys
pts = []
for layer in ("stations", "postings", "facilities", "demand"):
    path = os.path.join(sys.argv[1], layer + ".geojson")
    if os.path.exists(path):
        pts += [f["geometry"]["coordinates"][:2] for f in json.load(open(path))["features"]
                if f.get("geometry") and f["geometry"]["type"] == "Point"]
print(" ".join("%.6f,%.6f" % tuple(c) for c in pts[:3]))' "$pkg" 2>/dev/null)
  for b in before after; do
    eval exe=\$$b
    "$exe" coverage --data "$pkg" --out "$work/$p.cov.$b.csv" --points "$work/$p.covpts.$b.csv" >/dev/null 2>&1
    "$exe" access --data "$pkg" --out "$work/$p.acc.$b.csv" --points "$work/$p.accpts.$b.csv" >/dev/null 2>&1
    "$exe" place --data "$pkg" --k 3 --time-limit 30 --out "$work/$p.place.$b.json" >/dev/null 2>&1
    "$exe" place --data "$pkg" --target-share 0.8 --time-limit 30 --out "$work/$p.lscp.$b.json" >/dev/null 2>&1
    k=0
    for home in $homes; do
      k=$((k + 1))
      "$exe" nearby --data "$pkg" --from "$home" --minutes 20 --format json \
        --out "$work/$p.near$k.$b.json" >/dev/null 2>&1
    done
  done
  for f in cov.csv covpts.csv acc.csv accpts.csv place.json lscp.json near1.json near2.json near3.json; do
    x="$work/$p.${f%.*}.before.${f##*.}"; y="$work/$p.${f%.*}.after.${f##*.}"
    if [ ! -s "$x" ] && [ ! -s "$y" ]; then echo "$p $f: no output from either"; continue; fi
    if cmp -s "$x" "$y"; then echo "$p $f: identical"; else echo "$p $f: DIFFERENT"; status=1; fi
  done
done
exit $status
