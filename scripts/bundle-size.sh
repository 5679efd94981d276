#!/usr/bin/env bash
# Prints raw and gzip -9 sizes of the release bundle in dist/ (run after `trunk build --release`).
# One wasm module (app_bg.wasm) runs both the page and the analysis worker.
set -euo pipefail
cd "$(dirname "$0")/.."
total_raw=0; total_gz=0
printf '| file | raw bytes | gzip -9 bytes |\n|---|---:|---:|\n'
for f in dist/app_bg.wasm dist/app.js dist/boot.js dist/app.css dist/map.css dist/leaflet.js dist/leaflet.css dist/index.html; do
  raw=$(stat -c %s "$f"); gz=$(gzip -9 -c "$f" | wc -c)
  total_raw=$((total_raw + raw)); total_gz=$((total_gz + gz))
  printf '| `%s` | %s | %s |\n' "${f#dist/}" "$raw" "$gz"
done
printf '| **total (code + styles)** | **%s** | **%s** |\n' "$total_raw" "$total_gz"
