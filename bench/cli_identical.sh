#!/bin/sh
# The CLI's analysis outputs on every shipped package, from two binaries: byte-identical or not.
# Usage (from the repository root): bench/cli_identical.sh BEFORE_BIN AFTER_BIN [WORKDIR]
# Runs coverage (report + per-point times), access (report + per-point ratios) and place (k = 3,
# and the fewest sites for 80 %) on each package of static/data, with each binary, and compares.
set -u
before=$1; after=$2; work=${3:-target/cli-identical}
mkdir -p "$work"
status=0
for pkg in static/data/*/; do
  p=$(basename "$pkg")
  for b in before after; do
    eval exe=\$$b
    "$exe" coverage --data "$pkg" --out "$work/$p.cov.$b.csv" --points "$work/$p.covpts.$b.csv" >/dev/null 2>&1
    "$exe" access --data "$pkg" --out "$work/$p.acc.$b.csv" --points "$work/$p.accpts.$b.csv" >/dev/null 2>&1
    "$exe" place --data "$pkg" --k 3 --time-limit 30 --out "$work/$p.place.$b.json" >/dev/null 2>&1
    "$exe" place --data "$pkg" --target-share 0.8 --time-limit 30 --out "$work/$p.lscp.$b.json" >/dev/null 2>&1
  done
  for f in cov.csv covpts.csv acc.csv accpts.csv place.json lscp.json; do
    x="$work/$p.${f%.*}.before.${f##*.}"; y="$work/$p.${f%.*}.after.${f##*.}"
    if [ ! -s "$x" ] && [ ! -s "$y" ]; then echo "$p $f: no output from either"; continue; fi
    if cmp -s "$x" "$y"; then echo "$p $f: identical"; else echo "$p $f: DIFFERENT"; status=1; fi
  done
done
exit $status
