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
//! Every plan carries a certificate: `upper_bound` (the most any plan with as many sites could
//! cover), `gap` and `proven_optimal`, from a branch and bound on the Lagrangian bound that
//! runs until the plan is proven optimal or `--time-limit` seconds (default 2) are spent.
//! `--capacity N` / `--capacities <csv>` give stations a capacity (people served): the plan
//! then maximises the people served, assigns them to reachable stations with room left, and
//! lists who is covered but over capacity.
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
use shuangquan::plan::graph::{SnapOptions, WalkGraph};
use shuangquan::plan::import;
use shuangquan::plan::model::{Candidate, DemandPoint, Station, Street};

use super::input::{PackageDir, read_graph, read_layer};
use shuangquan::plan::place::exact::time_budget;
use shuangquan::plan::place::report::{Goal, Sites, capacity_json, plan_geojson, plan_json};
use shuangquan::plan::place::{
    CoverOptions, CoverSets, MclpOptions, capacitated, cover_sets, cover_sets_closable,
    lscp_within, mclp_within,
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
    /// Walking profile, speed, network edits and the compound setting.
    #[command(flatten)]
    pub walk: super::input::WalkArgs,
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
    #[arg(long, conflicts_with_all = ["data", "network", "demand", "candidates", "stations", "allow_close"])]
    pub matrix: Option<PathBuf>,
    /// Existing stations may close: they compete with the candidates, the budget is their
    /// number plus --k, and the plan lists the ones to close (ids `existing:N`, 1-based).
    #[arg(long)]
    pub allow_close: bool,
    /// Perturbations of the MCLP local optimum (iterated local search; 0 = greedy + swaps).
    #[arg(long, default_value_t = 100)]
    pub kicks: usize,
    /// Solve this many times and report the median solve time (benchmarks).
    #[arg(long, default_value_t = 1)]
    pub repeat: usize,
    /// Seconds the exact search may run after the heuristic to prove the plan optimal or
    /// narrow its gap (the plan is never worse for stopping early); with capacities, the
    /// whole solve (greedy, swaps, search).
    #[arg(long, default_value_t = 2.0)]
    pub time_limit: f64,
    /// Every station (new and existing) serves at most this many people (capacitated
    /// placement; needs --k).
    #[arg(long)]
    pub capacity: Option<f64>,
    /// CSV `id,capacity`: capacities by candidate or station id (existing stations also as
    /// `existing:N`); sites not listed take --capacity, or no limit.
    #[arg(long)]
    pub capacities: Option<PathBuf>,
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
    #[serde(default)]
    closable_existing: usize,
    /// The network's compound setting the matrix was built on (absent: not said).
    #[serde(default)]
    compounds: Option<shuangquan::plan::graph::Compounds>,
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
    if !(args.minutes.is_finite()
        && args.minutes >= 0.0
        && args.walk.speed.is_none_or(|s| s.is_finite() && s > 0.0))
    {
        return Err("--minutes must be ≥ 0 and --speed > 0".to_owned());
    }
    if let Some(s) = args.target_share
        && !(0.0..=1.0).contains(&s)
    {
        return Err(format!(
            "--target-share {s}: expected a share between 0 and 1"
        ));
    }
    if !(args.time_limit.is_finite() && args.time_limit > 0.0) {
        return Err(format!(
            "--time-limit {}: expected a number of seconds > 0",
            args.time_limit
        ));
    }
    if let Some(c) = args.capacity
        && (c.is_nan() || c < 0.0)
    {
        return Err(format!("--capacity {c}: expected a number of people ≥ 0"));
    }
    let capacitated_run = args.capacity.is_some() || args.capacities.is_some();
    if capacitated_run && args.k.is_none() && args.out.is_some() {
        return Err("--capacity and --capacities need --k N".to_owned());
    }
    let t0 = Instant::now();
    let (sets, sites) = match &args.matrix {
        Some(path) => read_matrix(path)?,
        None => build(args, capacitated_run)?,
    };
    let new_sites = sets.candidate_len() - sets.closable_existing.min(sets.candidate_len());
    if new_sites == 0 {
        return Err("no candidate sites: the candidate file has no valid site".to_owned());
    }
    if let Some(k) = args.k
        && k > new_sites
    {
        return Err(format!(
            "--k {k}: there are only {new_sites} candidate sites"
        ));
    }
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
    let started = Instant::now();
    let clock = || started.elapsed().as_secs_f64() * 1e3;
    if capacitated_run {
        let capacity = capacities(args, &sets, &sites)?;
        let k = args.k.unwrap_or(0);
        let t = Instant::now();
        let mut out_of_time = time_budget(args.time_limit, clock);
        let plan = capacitated(&sets, &capacity, k, args.allow_close, &mut out_of_time)
            .map_err(|e| e.to_string())?;
        eprintln!("solve_ms={:.4}", t.elapsed().as_secs_f64() * 1e3);
        eprintln!(
            "chosen={} served {:.1} → {:.1} of {:.1} covered ({:.1} over capacity), upper_bound={:.1} gap={:.4} % proven_optimal={}",
            plan.chosen.len(),
            plan.served_before,
            plan.served_weight,
            plan.covered_weight,
            plan.over_capacity_weight,
            plan.upper_bound,
            plan.gap * 100.0,
            plan.proven_optimal
        );
        if is_geojson(out) {
            return Err("a capacitated plan is written as .json".to_owned());
        }
        let text = capacity_json(k, args.allow_close, &sets, &plan, &sites)?;
        return std::fs::write(out, text).map_err(|e| format!("{}: {e}", out.display()));
    }
    let mut times = Vec::new();
    let mut plan = None;
    for _ in 0..args.repeat.max(1) {
        let t = Instant::now();
        let mut out_of_time = time_budget(args.time_limit, clock);
        let p = match args.k {
            Some(k) => mclp_within(
                &sets,
                k + sets.closable_existing,
                &MclpOptions {
                    kicks: args.kicks,
                    ..MclpOptions::default()
                },
                &mut out_of_time,
            ),
            None => lscp_within(&sets, args.target_share.unwrap_or(1.0), &mut out_of_time),
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
    eprintln!(
        "upper_bound={:.1} gap={:.4} % proven_optimal={} nodes={}{}",
        plan.upper_bound,
        plan.gap * 100.0,
        plan.proven_optimal,
        plan.nodes,
        plan.sites_lower_bound
            .map(|n| format!(" sites_lower_bound={n}"))
            .unwrap_or_default()
    );
    let text = if is_geojson(out) {
        plan_geojson(&plan, &sites)?
    } else {
        let goal = match args.k {
            Some(k) => Goal::K(k),
            None => Goal::TargetShare(args.target_share.unwrap_or(1.0)),
        };
        plan_json(goal, &sets, &plan, &sites)?
    };
    std::fs::write(out, text).map_err(|e| format!("{}: {e}", out.display()))
}

fn is_geojson(p: &Path) -> bool {
    p.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("geojson"))
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
        closable_existing: sets.closable_existing,
        compounds: sets.compounds,
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
    sets.compounds = m.compounds;
    sets.unreachable_demand = m.unreachable_demand;
    sets.closable_existing = m.closable_existing.min(n);
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
    /// A package's streets (its graph is built with the walk options).
    streets: Option<Vec<Street>>,
    /// The graph of a `--network` file, already built with the walk options.
    graph: Option<WalkGraph>,
    demand: Vec<(LonLat, f64)>,
    sites: Sites,
    stations: Vec<LonLat>,
    /// Ids of the existing stations (shown as their names in a plan).
    station_ids: Vec<String>,
}

/// One capacity per site of `sets` (existing stations included): `--capacities` rows by id,
/// else `--capacity`, else no limit. Every bad row is printed; any makes it an error.
fn capacities(args: &PlaceArgs, sets: &CoverSets, sites: &Sites) -> Result<Vec<f64>, String> {
    let mut cap = vec![args.capacity.unwrap_or(f64::INFINITY); sets.candidate_len()];
    let Some(path) = &args.capacities else {
        return Ok(cap);
    };
    let text = String::from_utf8(super::input::read_bytes(path)?)
        .map_err(|_| format!("{}: not UTF-8 text", path.display()))?;
    let file = path.display();
    let mut lines = text.lines().enumerate();
    let header: Vec<String> = lines
        .next()
        .map(|(_, h)| {
            h.trim_start_matches('\u{feff}')
                .split(',')
                .map(|c| c.trim().to_lowercase())
                .collect()
        })
        .unwrap_or_default();
    let col = |names: &[&str]| header.iter().position(|h| names.contains(&h.as_str()));
    let (Some(id_col), Some(cap_col)) = (col(&["id", "编号"]), col(&["capacity", "容量"]))
    else {
        return Err(format!("{file}:1: expected the columns id,capacity"));
    };
    let mut errors = Vec::new();
    for (i, line) in lines {
        if line.trim().is_empty() {
            continue;
        }
        let row = i + 1;
        let cells: Vec<&str> = line.split(',').map(str::trim).collect();
        let id = cells.get(id_col).copied().unwrap_or("");
        let value = cells.get(cap_col).copied().unwrap_or("");
        let first_existing =
            sets.candidate_len() - sets.closable_existing.min(sets.candidate_len());
        let by_station_id =
            || (first_existing..sites.names.len()).find(|&j| sites.names[j].as_deref() == Some(id));
        let Some(site) = sites
            .ids
            .iter()
            .position(|s| s == id)
            .or_else(by_station_id)
        else {
            errors.push(format!(
                "{file}:{row}:id: {id:?} is not a candidate or station id"
            ));
            continue;
        };
        match value.parse::<f64>() {
            Ok(c) if c >= 0.0 => cap[site] = c,
            Ok(c) => errors.push(format!("{file}:{row}:capacity: {c} is negative")),
            Err(_) => errors.push(format!("{file}:{row}:capacity: {value:?} is not a number")),
        }
    }
    for e in &errors {
        eprintln!("{e}");
    }
    if errors.is_empty() {
        Ok(cap)
    } else {
        Err(format!(
            "{file}: {} bad rows, no plan written",
            errors.len()
        ))
    }
}

fn build(args: &PlaceArgs, capacitated_run: bool) -> Result<(CoverSets, Sites), String> {
    let mut inputs = match &args.data {
        Some(dir) => load_package(dir, args.stations.as_deref())?,
        None => load_files(args)?,
    };
    let graph = match (inputs.graph.take(), inputs.streets.as_deref()) {
        (Some(g), _) => Some(g),
        (None, Some(streets)) => Some(args.walk.net.graph(streets, &[])?),
        (None, None) => None,
    };
    let profile = args.walk.profile()?;
    let opts = CoverOptions {
        minutes: args.minutes,
        profile,
        snap: SnapOptions {
            max_off_network_m: args.max_snap_m,
            avoid_steps: profile.avoid_steps,
            ..SnapOptions::default()
        },
    };
    let sets = if args.allow_close || capacitated_run {
        let sets = cover_sets_closable(
            graph.as_ref(),
            &inputs.demand,
            &inputs.sites.pos,
            &inputs.stations,
            &opts,
            &mut |_, _| {},
        );
        for (i, &p) in inputs.stations.iter().enumerate() {
            inputs.sites.ids.push(format!("existing:{}", i + 1));
            inputs.sites.names.push(inputs.station_ids.get(i).cloned());
            inputs.sites.pos.push(p);
        }
        sets
    } else {
        cover_sets(
            graph.as_ref(),
            &inputs.demand,
            &inputs.sites.pos,
            &inputs.stations,
            &opts,
            &mut |_, _| {},
        )
    };
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

fn weighted(demand: &[DemandPoint]) -> Vec<(LonLat, f64)> {
    demand.iter().map(|d| (d.pos_wgs84, d.weight)).collect()
}

fn positions(stations: &[Station]) -> (Vec<LonLat>, Vec<String>) {
    (
        stations.iter().map(|s| s.pos_wgs84).collect(),
        stations.iter().map(|s| s.id.clone()).collect(),
    )
}

fn sites(candidates: &[Candidate]) -> Sites {
    Sites {
        ids: candidates.iter().map(|c| c.id.clone()).collect(),
        names: candidates.iter().map(|c| c.name.clone()).collect(),
        pos: candidates.iter().map(|c| c.pos_wgs84).collect(),
    }
}

fn load_files(args: &PlaceArgs) -> Result<Inputs, String> {
    let (Some(demand), Some(candidates)) = (&args.demand, &args.candidates) else {
        return Err("give --data <dir>, or --demand and --candidates (and --network)".to_owned());
    };
    let graph = if let Some(n) = &args.network {
        Some(read_graph(n, &args.walk.net)?)
    } else {
        eprintln!("no --network: coverage is a straight-line estimate (× 1.3 detour)");
        None
    };
    let (stations, station_ids) = match &args.stations {
        Some(s) => positions(&read_layer(s, import::import_stations)?),
        None => (Vec::new(), Vec::new()),
    };
    let sites = sites(&read_layer(candidates, import::import_candidates)?);
    if sites.ids.is_empty() {
        return Err(format!("{}: no valid candidate site", candidates.display()));
    }
    Ok(Inputs {
        streets: None,
        graph,
        demand: weighted(&read_layer(demand, import::import_demand)?),
        sites,
        stations,
        station_ids,
    })
}

fn load_package(dir: &Path, stations: Option<&Path>) -> Result<Inputs, String> {
    let pkg = PackageDir::open(dir)?;
    let streets = pkg.streets()?;
    if streets.is_none() {
        eprintln!("the package has no walking network: coverage is a straight-line estimate");
    }
    let need = |kind: &str| {
        if pkg.files(kind).is_empty() {
            Err(format!("{}: no {kind} layer", dir.display()))
        } else {
            Ok(())
        }
    };
    need("demand")?;
    need("candidates")?;
    let (stations, station_ids) = match stations {
        Some(s) => positions(&read_layer(s, import::import_stations)?),
        None => positions(&pkg.layer("stations", import::import_stations)?),
    };
    let sites = sites(&pkg.layer("candidates", import::import_candidates)?);
    if sites.ids.is_empty() {
        return Err(format!("{}: no valid candidate site", dir.display()));
    }
    Ok(Inputs {
        streets,
        graph: None,
        demand: weighted(&pkg.layer("demand", import::import_demand)?),
        sites,
        stations,
        station_ids,
    })
}
