#!/usr/bin/env bash
# Prints raw and gzip -9 sizes of the release bundle in dist/ (run after `trunk build --release`).
# One wasm module (app_bg.wasm) runs both the page and the analysis worker. The files loaded at
# start-up make the bundle's total; a file fetched only when first needed (the community
# search's pinyin table, fetched by the worker on the first search) is listed after it, with
# the total of everything.
set -euo pipefail
cd "$(dirname "$0")/.."
total_raw=0; total_gz=0
row() {
  local f=$1 label=$2 raw gz
  raw=$(stat -c %s "$f"); gz=$(gzip -9 -c "$f" | wc -c)
  total_raw=$((total_raw + raw)); total_gz=$((total_gz + gz))
  printf '| `%s`%s | %s | %s |\n' "${f#dist/}" "$label" "$raw" "$gz"
}
printf '| file | raw bytes | gzip -9 bytes |\n|---|---:|---:|\n'
for f in dist/app_bg.wasm dist/app.js dist/boot.js dist/app.css dist/map.css dist/leaflet.js dist/leaflet.css dist/index.html; do
  row "$f" ''
done
printf '| **total (code + styles)** | **%s** | **%s** |\n' "$total_raw" "$total_gz"
row dist/pinyin.bin ' (fetched on the first community search)'
printf '| **total with what is fetched when first needed** | **%s** | **%s** |\n' "$total_raw" "$total_gz"
