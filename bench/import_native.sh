#!/usr/bin/env bash
# Native import timings: each default package's layer files, and a generated 1,000,000-row
# demand CSV (the same rows bench/browser.mjs imports in the browser), through `shuangquan check`.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet --release --bin shuangquan
bin=target/release/shuangquan
tmp=$(mktemp -d)
python3 - "$tmp/demand-1m.csv" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("id,lon,lat,weight\n")
    for i in range(1_000_000):
        lon = 121.41 + ((i * 7919) % 100000) / 100000 * 0.13
        lat = 31.18 + ((i * 104729) % 100000) / 100000 * 0.1
        f.write(f"d{i},{lon:.6f},{lat:.6f},{i % 50 + 1}\n")
PY
t() { local s=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; echo "$(echo "$(date +%s.%N) - $s" | bc)"; }
for p in shanghai-central qingdao helsinki; do
  printf '%s: %s s\n' "check static/data/$p/*.geojson" "$(t $bin check static/data/$p/*.geojson)"
done
printf '%s: %s s\n' "check demand-1m.csv ($(du -m "$tmp/demand-1m.csv" | cut -f1) MB)" "$(t $bin check "$tmp/demand-1m.csv")"
rm -rf "$tmp"
