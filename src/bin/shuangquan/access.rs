//! `shuangquan access`: supply–demand ratios (供需比) in batch — 2SFCA or E2SFCA per target on
//! network walking time, with capacities, every facility within reach, and the shortfall in
//! people against target ratios, under a standards preset.
//!
//! Inputs come from a data package (`--data <dir>`) or from files: `--network`, `--demand`,
//! `--facilities` (a `capacity` column or property is read; absent means 1), and `--stations`.
//! `--out` takes the report (one row per unit and target, the standard on every row),
//! `--points` one row per demand point and target: `id,target,seconds,count_within,ratio`.
//! A capacity that cannot be read stops the run before anything is computed, so no ratio is
//! ever written from a partly loaded supply. Deterministic: same inputs, same bytes.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use shuangquan::plan::access::{self, Method, Standard, Target};
use shuangquan::plan::graph::{SnapOptions, WalkGraph, WalkProfile};
use shuangquan::plan::import::{self, Dataset, Layer};

use super::input;

/// Arguments of `shuangquan access`.
#[derive(Debug, Args)]
pub struct AccessArgs {
    /// Data package directory (manifest.json + layers).
    #[arg(long, conflicts_with_all = ["network", "demand", "facilities"])]
    data: Option<PathBuf>,
    /// Street network: GeoJSON LineStrings, OSM XML (.osm) or PBF (.pbf).
    #[arg(long, required_unless_present = "data", requires_all = ["demand", "facilities"])]
    network: Option<PathBuf>,
    /// Demand points: CSV/GeoJSON with lon, lat, weight and optionally community.
    #[arg(long)]
    demand: Option<PathBuf>,
    /// Facilities: CSV/GeoJSON with lon, lat, category and optionally capacity.
    #[arg(long)]
    facilities: Option<PathBuf>,
    /// Employment service stations: CSV/GeoJSON with lon, lat and optionally capacity
    /// (overrides the package's).
    #[arg(long)]
    stations: Option<PathBuf>,
    /// Community/街道/district boundaries (GeoJSON with name, code, parent_code).
    #[arg(long)]
    communities: Option<PathBuf>,
    /// `2sfca` or `e2sfca` (Gaussian band weights 1.00 / 0.68 / 0.22).
    #[arg(long, default_value = "2sfca", value_parser = parse_method)]
    method: Method,
    /// Catchment, minutes, for every target the standard does not set.
    #[arg(long)]
    minutes: Option<f64>,
    /// Walking profile: standard (60 m/min), elderly (45), wheelchair (50, no steps) or a
    /// speed in metres per minute.
    #[arg(long, default_value = "standard")]
    profile: WalkProfile,
    /// Walking speed, metres per minute (overrides the profile's speed).
    #[arg(long)]
    speed: Option<f64>,
    /// Standards preset: gb50180, mofcom2021, qingdao2025 (default) or custom.
    #[arg(long, default_value = "qingdao2025", value_parser = parse_standard)]
    standard: Standard,
    /// Target ratio, `target=units per person` (e.g. `childcare=0.0045`: 4.5 托位 per 1,000
    /// people, the national 2025 target); repeatable. Gives the shortfall in people.
    #[arg(long = "target", value_parser = parse_target)]
    targets: Vec<(Target, f64)>,
    /// Share of the population aged 60+ (0–1); default: the package's census age shares.
    #[arg(long)]
    elderly_share: Option<f64>,
    /// The elderly pace, metres per minute (the `elderly` profile's).
    #[arg(long, default_value_t = WalkProfile::ELDERLY.speed_m_per_min)]
    elderly_speed: f64,
    /// Farthest a point may be from the network, metres.
    #[arg(long, default_value_t = 300.0)]
    max_snap_m: f64,
    /// Network edits and the compound setting (as on `coverage`).
    #[command(flatten)]
    net: input::NetworkArgs,
    /// The report: `.csv` (one row per unit and target) or `.geojson` (one feature per unit).
    #[arg(long)]
    out: PathBuf,
    /// Per demand point and target (CSV): id,target,seconds,count_within,ratio.
    #[arg(long)]
    points: PathBuf,
}

fn parse_method(s: &str) -> Result<Method, String> {
    s.parse().map_err(|e: access::UnknownMethod| e.to_string())
}

fn parse_standard(s: &str) -> Result<Standard, String> {
    s.parse()
        .map_err(|e: access::UnknownStandard| e.to_string())
}

/// `target=ratio`, where target is `station` or a category id.
fn parse_target(arg: &str) -> Result<(Target, f64), String> {
    let (key, value) = arg
        .split_once('=')
        .ok_or_else(|| format!("{arg:?}: expected target=ratio, e.g. childcare=0.0045"))?;
    let t: Target = key.parse()?;
    let r: f64 = value
        .trim()
        .parse()
        .map_err(|_| format!("{arg:?}: {value:?} is not a number"))?;
    if !(r.is_finite() && r > 0.0) {
        return Err(format!(
            "{arg:?}: the ratio {value} must be a positive number"
        ));
    }
    Ok((t, r))
}

/// Runs the subcommand.
pub fn run(args: &AccessArgs) -> ExitCode {
    match run_inner(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("shuangquan access: {e}");
            ExitCode::FAILURE
        }
    }
}

/// A supply layer file (stations or facilities), with its capacities; a capacity that cannot
/// be read is an error (after every problem is printed).
fn read_supply(path: &Path, layer: Layer) -> Result<Dataset, String> {
    let bytes = input::read_bytes(path)?;
    let got = import::import(
        &path.to_string_lossy(),
        &bytes,
        &import::Options::default(),
        Some(layer),
    );
    input::print_problems(&got, 20);
    let bad = got
        .report
        .problems
        .iter()
        .filter(|p| matches!(p.kind, import::ProblemKind::InvalidCapacity { .. }))
        .count();
    if bad > 0 {
        return Err(format!(
            "{}: {bad} row(s) with a capacity that is not a number ≥ 0 (listed above); nothing computed",
            path.display()
        ));
    }
    Ok(got.items)
}

fn is_geojson(p: &Path) -> bool {
    p.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("geojson") || e.eq_ignore_ascii_case("json"))
}

fn run_inner(args: &AccessArgs) -> Result<(), String> {
    let mut thresholds = args.standard.thresholds();
    if let Some(m) = args.minutes {
        thresholds.default_minutes = m;
    }
    let profile = input::walk_profile(args.profile, args.speed)?;
    let mut params = access::Params {
        method: args.method,
        standard: args.standard,
        coverage: shuangquan::plan::coverage::Params {
            thresholds,
            speed_m_per_min: profile.speed_m_per_min,
            avoid_steps: profile.avoid_steps,
            snap: SnapOptions {
                max_off_network_m: args.max_snap_m,
                avoid_steps: profile.avoid_steps,
                ..SnapOptions::default()
            },
            ..shuangquan::plan::coverage::Params::default()
        },
        target_ratios: args.targets.clone(),
        elderly_share: args.elderly_share,
        elderly_speed_m_per_min: args.elderly_speed,
    };
    params.validate().map_err(|e| e.to_string())?;

    let (mut data, graph): (Dataset, Option<WalkGraph>) = if let Some(dir) = &args.data {
        let (engine, summary) = input::load_package(dir)?;
        let bad = summary
            .problems
            .iter()
            .filter(|p| {
                matches!(
                    p.kind,
                    shuangquan::plan::import::ProblemKind::InvalidCapacity { .. }
                )
            })
            .count();
        if bad > 0 {
            return Err(format!(
                "{}: {bad} row(s) with a capacity that is not a number ≥ 0; nothing computed",
                dir.display()
            ));
        }
        if params.elderly_share.is_none() {
            params.elderly_share = engine.age_shares().map(|a| a.aged_60_plus);
        }
        let graph = engine
            .graph()
            .cloned()
            .map(|g| args.net.apply(g))
            .transpose()?;
        (engine.layers().clone(), graph)
    } else {
        let mut d = Dataset::default();
        if let Some(p) = &args.demand {
            d.demand = input::read_layer(p, import::import_demand)?;
        }
        if let Some(p) = &args.facilities {
            let f = read_supply(p, Layer::Facilities)?;
            d.facilities = f.facilities;
            d.capacity.merge(&f.capacity);
        }
        let graph = match &args.network {
            Some(p) => Some(args.net.apply(WalkGraph::build(&input::read_streets(p)?))?),
            None => None,
        };
        (d, graph)
    };
    if let Some(p) = &args.stations {
        let s = read_supply(p, Layer::Stations)?;
        data.stations = s.stations;
        data.capacity.stations = s.capacity.stations;
    }
    if let Some(p) = &args.communities {
        data.communities = input::read_layer(p, import::import_communities)?;
    }
    if data.demand.is_empty() {
        return Err("no demand points: give --demand or a package with a demand layer".to_owned());
    }
    if graph.is_none() {
        eprintln!("no street network: times are straight-line estimates (× 1.3 detour)");
    }
    let result = access::compute(
        graph.as_ref(),
        access::Inputs {
            demand: &data.demand,
            stations: &data.stations,
            facilities: &data.facilities,
            communities: &data.communities,
            capacity: &data.capacity,
        },
        &params,
        &mut |_, _| {},
    )
    .map_err(|e| e.to_string())?;
    for t in &result.targets {
        for (id, m) in t.ratios.unplaced.iter().take(5) {
            eprintln!("{id}: {m:.0} m from the nearest street, left out");
        }
    }
    let report = if is_geojson(&args.out) {
        result.report_geojson(&data.demand)
    } else {
        result.report_csv()
    };
    std::fs::write(&args.out, report).map_err(|e| format!("{}: {e}", args.out.display()))?;
    std::fs::write(&args.points, result.points_csv(&data.demand))
        .map_err(|e| format!("{}: {e}", args.points.display()))?;
    print!("{}", result.summary_text());
    Ok(())
}
