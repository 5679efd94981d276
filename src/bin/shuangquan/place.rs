//! `shuangquan place`: where new stations should go. Maximal covering (`--k N`: the N candidate
//! sites bringing the most people within the walking threshold, given the existing stations) or
//! fewest sites for a target share (`--target-share S`), on a data package (`--data`) or on
//! separate files (`--network`, `--demand`, `--candidates`, `--stations`).
//!
//! Output (`--out`): `plan.json` (chosen candidate ids in build order, marginal gains, weights
//! and shares before/after, uncovered demand by reason) or `.geojson` (chosen sites as points
//! with their order, id, name and marginal gain). Byte-for-byte deterministic; timings go to
//! stderr only (`build_ms=…`, `solve_ms=…`).
//!
//! `--export-matrix` writes the coverage matrix (weights, fixed, covers, candidate ids) and
//! `--matrix` reads one instead of building it, so that `bench/compare_place.py` and this
//! command solve the same instance.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::Args;
use serde::{Deserialize, Serialize};
use shuangquan::plan::geom::LonLat;
use shuangquan::plan::graph::{SnapOptions, WalkGraph, WalkProfile};
use shuangquan::plan::import;
use shuangquan::plan::model::Street;
use shuangquan::plan::osm;
use shuangquan::plan::place::{
    CoverOptions, CoverSets, MclpOptions, Plan, Why, cover_sets, lscp, mclp_with,
};

/// Arguments of `place`.
#[derive(Debug, Args)]
pub struct PlaceArgs {
    /// Data package directory: its demand, candidates, stations and streets layers.
    #[arg(long, conflicts_with_all = ["network", "demand", "candidates"])]
    pub data: Option<PathBuf>,
    /// Network file: GeoJSON LineStrings, OSM XML (.osm) or OSM PBF (.pbf).
    #[arg(long)]
    pub network: Option<PathBuf>,
    /// Demand points (CSV lon,lat,weight or GeoJSON points with a weight).
    #[arg(long)]
    pub demand: Option<PathBuf>,
    /// Candidate sites (CSV id,lon,lat[,name] or GeoJSON points).
    #[arg(long)]
    pub candidates: Option<PathBuf>,
    /// Existing stations, kept (CSV lon,lat or GeoJSON points); overrides the package's.
    #[arg(long)]
    pub stations: Option<PathBuf>,
    /// Maximal covering: choose this many sites.
    #[arg(long, conflicts_with = "target_share")]
    pub k: Option<usize>,
    /// Set covering: the fewest sites reaching this covered share (0–1) of all demand.
    #[arg(long)]
    pub target_share: Option<f64>,
    /// Walking-time threshold, minutes.
    #[arg(long, default_value_t = 15.0)]
    pub minutes: f64,
    /// Walking speed, metres per minute.
    #[arg(long, default_value_t = 60.0)]
    pub speed: f64,
    /// Points farther than this from the network are reported, not snapped (metres).
    #[arg(long, default_value_t = 300.0)]
    pub max_snap_m: f64,
    /// The plan: `.json` (figures) or `.geojson` (chosen sites as points).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Write the coverage matrix (JSON) here.
    #[arg(long)]
    pub export_matrix: Option<PathBuf>,
    /// Read the coverage matrix from this file (written by --export-matrix) instead of
    /// building it.
    #[arg(long, conflicts_with_all = ["data", "network", "demand", "candidates", "stations"])]
    pub matrix: Option<PathBuf>,
    /// Perturbations of the MCLP local optimum (iterated local search; 0 = greedy + swaps).
    #[arg(long, default_value_t = 100)]
    pub kicks: usize,
    /// Solve this many times and report the median solve time (benchmarks).
    #[arg(long, default_value_t = 1)]
    pub repeat: usize,
}

/// The coverage matrix as a file.
#[derive(Debug, Serialize, Deserialize)]
struct MatrixFile {
    minutes: f64,
    speed_m_per_min: f64,
    estimate: bool,
    candidate_ids: Vec<String>,
    candidate_names: Vec<Option<String>>,
    /// `[lon, lat]` per candidate (WGS-84).
    candidate_lonlat: Vec<[f64; 2]>,
    weights: Vec<f64>,
    fixed: Vec<bool>,
    covers: Vec<Vec<u32>>,
    unreachable_demand: Vec<u32>,
}

/// Candidate ids, names and positions, for output.
struct Sites {
    ids: Vec<String>,
    names: Vec<Option<String>>,
    pos: Vec<LonLat>,
}

/// Uncovered demand of one reason.
#[derive(Serialize)]
struct Tally {
    points: usize,
    weight: f64,
}

#[derive(Serialize)]
struct Uncovered {
    no_candidate_in_reach: Tally,
    budget_exhausted: Tally,
    off_network: Tally,
}

/// `plan.json`.
#[derive(Serialize)]
struct PlanFile<'a> {
    mode: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    k: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    target_share: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    target_met: Option<bool>,
    minutes: f64,
    speed_m_per_min: f64,
    coverage: &'static str,
    chosen: Vec<&'a str>,
    chosen_names: Vec<Option<&'a str>>,
    marginal_gains: Vec<f64>,
    before_weight: f64,
    covered_weight: f64,
    total_weight: f64,
    share_before: f64,
    share_after: f64,
    swaps: usize,
    budget_left: usize,
    demand_points: usize,
    candidates: usize,
    unreachable_candidates: usize,
    uncovered: Uncovered,
}

pub fn run(args: &PlaceArgs) -> ExitCode {
    match run_inner(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("shuangquan place: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run_inner(args: &PlaceArgs) -> Result<(), String> {
    if args.out.is_none() && args.export_matrix.is_none() {
        return Err("give --out (and --k or --target-share), or --export-matrix".to_owned());
    }
    if args.out.is_some() && args.k.is_none() && args.target_share.is_none() {
        return Err("give --k N or --target-share S".to_owned());
    }
    if !(args.minutes.is_finite() && args.minutes >= 0.0 && args.speed > 0.0) {
        return Err("--minutes must be ≥ 0 and --speed > 0".to_owned());
    }
    if let Some(s) = args.target_share
        && !(0.0..=1.0).contains(&s)
    {
        return Err(format!(
            "--target-share {s}: expected a share between 0 and 1"
        ));
    }
    let t0 = Instant::now();
    let (sets, sites) = match &args.matrix {
        Some(path) => read_matrix(path)?,
        None => build(args)?,
    };
    eprintln!(
        "build_ms={:.3} demand={} candidates={} covered_before={:.1}/{:.1}{}",
        t0.elapsed().as_secs_f64() * 1e3,
        sets.demand_len(),
        sets.candidate_len(),
        sets.fixed_weight(),
        sets.total_weight(),
        if sets.estimate {
            " (straight-line estimate: no walking network)"
        } else {
            ""
        }
    );
    if let Some(path) = &args.export_matrix {
        write_matrix(path, &sets, &sites)?;
    }
    let Some(out) = &args.out else {
        return Ok(());
    };
    let mut times = Vec::new();
    let mut plan = None;
    for _ in 0..args.repeat.max(1) {
        let t = Instant::now();
        let p = match args.k {
            Some(k) => mclp_with(
                &sets,
                k,
                &MclpOptions {
                    kicks: args.kicks,
                    ..MclpOptions::default()
                },
            ),
            None => lscp(&sets, args.target_share.unwrap_or(1.0)),
        };
        times.push(t.elapsed().as_secs_f64() * 1e3);
        plan = Some(p);
    }
    times.sort_by(f64::total_cmp);
    eprintln!("solve_ms={:.4}", times[times.len() / 2]);
    let Some(plan) = plan else {
        return Err("no solve ran".to_owned());
    };
    eprintln!(
        "chosen={} covered {:.1} → {:.1} of {:.1} ({:.1} % → {:.1} %), swaps={}",
        plan.chosen.len(),
        plan.before_weight,
        plan.covered_weight,
        plan.total_weight,
        plan.share_before * 100.0,
        plan.share_after * 100.0,
        plan.swaps
    );
    let text = if is_geojson(out) {
        plan_geojson(&plan, &sites)?
    } else {
        plan_json(args, &sets, &plan, &sites)?
    };
    std::fs::write(out, text).map_err(|e| format!("{}: {e}", out.display()))
}

fn is_geojson(p: &Path) -> bool {
    p.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("geojson"))
}

fn plan_json(
    args: &PlaceArgs,
    sets: &CoverSets,
    plan: &Plan,
    sites: &Sites,
) -> Result<String, String> {
    let tally = |why: Why| {
        let mut t = Tally {
            points: 0,
            weight: 0.0,
        };
        for u in plan.uncovered.iter().filter(|u| u.why == why) {
            t.points += 1;
            t.weight += u.weight;
        }
        t
    };
    let file = PlanFile {
        mode: if args.k.is_some() { "mclp" } else { "lscp" },
        k: args.k,
        target_share: if args.k.is_some() {
            None
        } else {
            args.target_share
        },
        target_met: plan.target_met,
        minutes: if args.matrix.is_some() {
            sets.minutes
        } else {
            args.minutes
        },
        speed_m_per_min: if args.matrix.is_some() {
            sets.speed_m_per_min
        } else {
            args.speed
        },
        coverage: if sets.estimate {
            "straight_line_estimate"
        } else {
            "walking_network"
        },
        chosen: plan.chosen.iter().map(|&c| sites.ids[c].as_str()).collect(),
        chosen_names: plan
            .chosen
            .iter()
            .map(|&c| sites.names[c].as_deref())
            .collect(),
        marginal_gains: plan.marginal_gains.clone(),
        before_weight: plan.before_weight,
        covered_weight: plan.covered_weight,
        total_weight: plan.total_weight,
        share_before: plan.share_before,
        share_after: plan.share_after,
        swaps: plan.swaps,
        budget_left: plan.budget_left,
        demand_points: sets.demand_len(),
        candidates: sets.candidate_len(),
        unreachable_candidates: sets.unreachable_candidates.len(),
        uncovered: Uncovered {
            no_candidate_in_reach: tally(Why::NoCandidateInReach),
            budget_exhausted: tally(Why::BudgetExhausted),
            off_network: tally(Why::OffNetwork),
        },
    };
    serde_json::to_string_pretty(&file)
        .map(|s| s + "\n")
        .map_err(|e| e.to_string())
}

fn plan_geojson(plan: &Plan, sites: &Sites) -> Result<String, String> {
    if sites.pos.len() != sites.ids.len() {
        return Err("the matrix file has no candidate positions: write .json instead".to_owned());
    }
    let features: Vec<serde_json::Value> = plan
        .chosen
        .iter()
        .zip(&plan.marginal_gains)
        .enumerate()
        .map(|(i, (&c, &gain))| {
            let p = sites.pos[c];
            serde_json::json!({
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [p.lon, p.lat]},
                "properties": {
                    "order": i + 1,
                    "id": sites.ids[c],
                    "name": sites.names[c],
                    "marginal_gain": gain,
                },
            })
        })
        .collect();
    let fc = serde_json::json!({"type": "FeatureCollection", "features": features});
    serde_json::to_string_pretty(&fc)
        .map(|s| s + "\n")
        .map_err(|e| e.to_string())
}

fn write_matrix(path: &Path, sets: &CoverSets, sites: &Sites) -> Result<(), String> {
    let m = MatrixFile {
        minutes: sets.minutes,
        speed_m_per_min: sets.speed_m_per_min,
        estimate: sets.estimate,
        candidate_ids: sites.ids.clone(),
        candidate_names: sites.names.clone(),
        candidate_lonlat: sites.pos.iter().map(|p| [p.lon, p.lat]).collect(),
        weights: sets.weights.clone(),
        fixed: sets.fixed.clone(),
        covers: sets.covers.clone(),
        unreachable_demand: sets.unreachable_demand.clone(),
    };
    let text = serde_json::to_string(&m).map_err(|e| e.to_string())?;
    std::fs::write(path, text + "\n").map_err(|e| format!("{}: {e}", path.display()))
}

fn read_matrix(path: &Path) -> Result<(CoverSets, Sites), String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let m: MatrixFile =
        serde_json::from_slice(&bytes).map_err(|e| format!("{}: {e}", path.display()))?;
    let n = m.covers.len();
    if m.candidate_ids.len() != n {
        return Err(format!(
            "{}: {} candidate ids for {n} cover lists",
            path.display(),
            m.candidate_ids.len()
        ));
    }
    let mut sets = CoverSets::from_matrix(m.weights, m.covers, m.fixed)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    sets.minutes = m.minutes;
    sets.speed_m_per_min = m.speed_m_per_min;
    sets.estimate = m.estimate;
    sets.unreachable_demand = m.unreachable_demand;
    sets.unreachable_demand.sort_unstable();
    let names = if m.candidate_names.len() == n {
        m.candidate_names
    } else {
        vec![None; n]
    };
    let sites = Sites {
        ids: m.candidate_ids,
        names,
        pos: m
            .candidate_lonlat
            .iter()
            .map(|&[lon, lat]| LonLat::new(lon, lat))
            .collect(),
    };
    Ok((sets, sites))
}

/// The problem's inputs, loaded.
struct Inputs {
    streets: Option<Vec<Street>>,
    demand: Vec<(LonLat, f64)>,
    sites: Sites,
    stations: Vec<LonLat>,
}

fn build(args: &PlaceArgs) -> Result<(CoverSets, Sites), String> {
    let inputs = match &args.data {
        Some(dir) => load_package(dir, args.stations.as_deref())?,
        None => load_files(args)?,
    };
    let graph = inputs.streets.as_deref().map(WalkGraph::build);
    let opts = CoverOptions {
        minutes: args.minutes,
        profile: WalkProfile::with_speed(args.speed),
        snap: SnapOptions {
            max_off_network_m: args.max_snap_m,
            ..SnapOptions::default()
        },
    };
    let sets = cover_sets(
        graph.as_ref(),
        &inputs.demand,
        &inputs.sites.pos,
        &inputs.stations,
        &opts,
        &mut |_, _| {},
    );
    for (what, n) in [
        ("demand points", sets.unreachable_demand.len()),
        ("candidates", sets.unreachable_candidates.len()),
        ("existing stations", sets.unreachable_existing.len()),
    ] {
        if n > 0 {
            eprintln!(
                "{n} {what} farther than {} m from the walking network: not reachable",
                args.max_snap_m
            );
        }
    }
    Ok((sets, inputs.sites))
}

fn read(path: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn report(r: &import::Report) {
    for p in r.problems.iter().take(5) {
        eprintln!("{p}");
    }
    if r.problems.len() > 5 {
        eprintln!("… {} more problems", r.problems.len() - 5);
    }
}

fn load_demand(path: &Path) -> Result<Vec<(LonLat, f64)>, String> {
    let bytes = read(path)?;
    let got = import::import_demand(&path.to_string_lossy(), &bytes, &import::Options::default());
    report(&got.report);
    Ok(got.items.iter().map(|d| (d.pos_wgs84, d.weight)).collect())
}

fn load_candidates(path: &Path) -> Result<Sites, String> {
    let bytes = read(path)?;
    let got =
        import::import_candidates(&path.to_string_lossy(), &bytes, &import::Options::default());
    report(&got.report);
    Ok(Sites {
        ids: got.items.iter().map(|c| c.id.clone()).collect(),
        names: got.items.iter().map(|c| c.name.clone()).collect(),
        pos: got.items.iter().map(|c| c.pos_wgs84).collect(),
    })
}

/// Stations: a CSV needs only lon and lat columns; other files go through the importer.
fn load_stations(path: &Path) -> Result<Vec<LonLat>, String> {
    let bytes = read(path)?;
    let is_csv = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    if !is_csv {
        let got =
            import::import_stations(&path.to_string_lossy(), &bytes, &import::Options::default());
        report(&got.report);
        return Ok(got.items.iter().map(|s| s.pos_wgs84).collect());
    }
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let mut rd = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text);
    let headers = rd
        .headers()
        .map_err(|e| format!("{}: {e}", path.display()))?
        .clone();
    let find = |names: &[&str]| {
        headers
            .iter()
            .position(|h| names.iter().any(|n| h.eq_ignore_ascii_case(n)))
    };
    let (Some(lon), Some(lat)) = (
        find(&["lon", "lng", "longitude", "x", "经度"]),
        find(&["lat", "latitude", "y", "纬度"]),
    ) else {
        return Err(format!("{}: needs lon and lat columns", path.display()));
    };
    let mut out = Vec::new();
    for (k, rec) in rd.records().enumerate() {
        let rec = rec.map_err(|e| format!("{}: row {}: {e}", path.display(), k + 2))?;
        let p = match (
            rec.get(lon).unwrap_or("").parse::<f64>(),
            rec.get(lat).unwrap_or("").parse::<f64>(),
        ) {
            (Ok(x), Ok(y)) => Some(LonLat::new(x, y)).filter(|p| p.is_valid()),
            _ => None,
        };
        match p {
            Some(p) => out.push(p),
            None => eprintln!(
                "{}: row {}: no valid position, skipped",
                path.display(),
                k + 2
            ),
        }
    }
    Ok(out)
}

fn read_streets(path: &Path) -> Result<Vec<Street>, String> {
    let bytes = read(path)?;
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let is_geojson = ext == "geojson"
        || ext == "json"
        || bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
    if is_geojson {
        let got =
            import::import_streets(&path.to_string_lossy(), &bytes, &import::Options::default());
        report(&got.report);
        return Ok(got.items);
    }
    let d = match ext.as_str() {
        "pbf" => osm::read_pbf(&bytes),
        "osm" | "xml" => osm::read_xml(&bytes),
        _ => osm::read(&bytes),
    };
    for p in d.problems.iter().take(5) {
        eprintln!("{}: {p}", path.display());
    }
    Ok(d.streets)
}

fn load_files(args: &PlaceArgs) -> Result<Inputs, String> {
    let (Some(demand), Some(candidates)) = (&args.demand, &args.candidates) else {
        return Err("give --data <dir>, or --demand and --candidates (and --network)".to_owned());
    };
    let streets = if let Some(n) = &args.network {
        Some(read_streets(n)?)
    } else {
        eprintln!("no --network: coverage is a straight-line estimate (× 1.3 detour)");
        None
    };
    Ok(Inputs {
        streets,
        demand: load_demand(demand)?,
        sites: load_candidates(candidates)?,
        stations: match &args.stations {
            Some(s) => load_stations(s)?,
            None => Vec::new(),
        },
    })
}

/// The package's layer file of a kind, from its manifest (or the conventional file name).
fn layer_file(dir: &Path, manifest: Option<&serde_json::Value>, kind: &str) -> Option<PathBuf> {
    let named = manifest
        .and_then(|m| m.get("layers"))
        .and_then(|l| l.as_array())
        .and_then(|layers| {
            layers
                .iter()
                .find(|l| l.get("kind").and_then(|k| k.as_str()) == Some(kind))
        })
        .and_then(|l| l.get("file").and_then(|f| f.as_str()))
        .map(|f| dir.join(f));
    named
        .or_else(|| Some(dir.join(format!("{kind}.geojson"))))
        .filter(|p| p.exists())
}

fn load_package(dir: &Path, stations: Option<&Path>) -> Result<Inputs, String> {
    let manifest_path = dir.join("manifest.json");
    let manifest: Option<serde_json::Value> = match std::fs::read(&manifest_path) {
        Ok(b) => Some(
            serde_json::from_slice(&b).map_err(|e| format!("{}: {e}", manifest_path.display()))?,
        ),
        Err(_) => None,
    };
    let no_network = manifest
        .as_ref()
        .and_then(|m| m.get("network"))
        .and_then(|v| v.as_str())
        == Some("none");
    let streets = match layer_file(dir, manifest.as_ref(), "streets") {
        Some(p) if !no_network => Some(read_streets(&p)?),
        _ => {
            eprintln!("the package has no walking network: coverage is a straight-line estimate");
            None
        }
    };
    let need = |kind: &str| {
        layer_file(dir, manifest.as_ref(), kind)
            .ok_or_else(|| format!("{}: no {kind} layer", dir.display()))
    };
    let stations = match stations {
        Some(s) => load_stations(s)?,
        None => match layer_file(dir, manifest.as_ref(), "stations") {
            Some(p) => load_stations(&p)?,
            None => Vec::new(),
        },
    };
    Ok(Inputs {
        streets,
        demand: load_demand(&need("demand")?)?,
        sites: load_candidates(&need("candidates")?)?,
        stations,
    })
}
