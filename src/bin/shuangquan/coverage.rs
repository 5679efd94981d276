//! `shuangquan coverage`: the dual-circle assessment (供需匹配评估) of every community, in batch.
//!
//! Inputs come from a data package (`--data <dir>`, loaded as the app loads it) or from files:
//! `--network` (GeoJSON/OSM), `--demand` (lon, lat, weight[, community]), `--facilities`
//! (lon, lat, category), `--stations` (lon, lat), and optionally `--communities` (boundaries).
//! `--out` takes the report (`.csv`: one row per unit plus the city row; `.geojson`: the same as
//! features), `--points` the per-point times. A summary and the first gaps go to stdout.
//! Deterministic: same inputs, same bytes.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use shuangquan::plan::coverage::{self, Inputs, Params, Thresholds};
use shuangquan::plan::geom::LonLat;
use shuangquan::plan::graph::{SnapOptions, WalkGraph};
use shuangquan::plan::import::{self, Dataset};
use shuangquan::plan::model::Category;

use super::input;

/// Arguments of `shuangquan coverage`.
#[derive(Debug, Args)]
pub struct CoverageArgs {
    /// Data package directory (manifest.json + layers).
    #[arg(long, conflicts_with_all = ["network", "demand", "facilities"])]
    data: Option<PathBuf>,
    /// Street network: GeoJSON LineStrings, OSM XML (.osm) or PBF (.pbf).
    #[arg(long, required_unless_present = "data", requires_all = ["demand", "facilities", "stations"])]
    network: Option<PathBuf>,
    /// Demand points: CSV/GeoJSON with lon, lat, weight and optionally community.
    #[arg(long)]
    demand: Option<PathBuf>,
    /// Facilities: CSV/GeoJSON with lon, lat, category (ids such as `market`, or 菜市场 …).
    #[arg(long)]
    facilities: Option<PathBuf>,
    /// Employment service stations: CSV/GeoJSON with lon, lat (overrides the package's).
    #[arg(long)]
    stations: Option<PathBuf>,
    /// Community/街道/district boundaries (GeoJSON with name, code, parent_code).
    #[arg(long)]
    communities: Option<PathBuf>,
    /// Default threshold, minutes, for the station and every category.
    #[arg(long, default_value_t = 15.0)]
    minutes: f64,
    /// Walking profile, speed, network edits and the compound setting.
    #[command(flatten)]
    walk: input::WalkArgs,
    /// Per-target threshold, `category=minutes` (e.g. `store=5`, `market=8`, `station=10`);
    /// repeatable.
    #[arg(long = "threshold", value_parser = parse_threshold)]
    thresholds: Vec<(Option<Category>, f64)>,
    /// Smallest 双圈 share for a model-circle candidate.
    #[arg(long, default_value_t = 0.9)]
    model_share: f64,
    /// Farthest a point may be from the network, metres.
    #[arg(long, default_value_t = 300.0)]
    max_snap_m: f64,
    /// The report: `.csv` or `.geojson`.
    #[arg(long)]
    out: PathBuf,
    /// Per demand point times and membership (CSV).
    #[arg(long)]
    points: Option<PathBuf>,
    /// Gaps listed on stdout.
    #[arg(long, default_value_t = 10)]
    show_gaps: usize,
}

/// `category=minutes`, where category is a category id (or Chinese name) or `station`.
fn parse_threshold(arg: &str) -> Result<(Option<Category>, f64), String> {
    let (key, value) = arg
        .split_once('=')
        .ok_or_else(|| format!("{arg:?}: expected category=minutes, e.g. store=5"))?;
    let minutes: f64 = value
        .trim()
        .parse()
        .map_err(|_| format!("{arg:?}: {value:?} is not a number of minutes"))?;
    if !(minutes.is_finite() && minutes > 0.0) {
        return Err(format!("{arg:?}: minutes must be positive"));
    }
    let key = key.trim();
    if key == "station" || key == "服务站" {
        return Ok((None, minutes));
    }
    let category: Category = key.parse().map_err(|_| {
        let ids: Vec<&str> = Category::ALL.iter().map(|c| c.id()).collect();
        format!(
            "{arg:?}: unknown category {key:?} (station, {})",
            ids.join(", ")
        )
    })?;
    Ok((Some(category), minutes))
}

/// Runs the subcommand.
pub fn run(args: &CoverageArgs) -> ExitCode {
    match run_inner(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("shuangquan coverage: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run_inner(args: &CoverageArgs) -> Result<(), String> {
    let mut thresholds = Thresholds {
        default_minutes: args.minutes,
        ..Thresholds::default()
    };
    for (c, m) in &args.thresholds {
        match c {
            Some(c) => {
                thresholds.categories.insert(*c, *m);
            }
            None => thresholds.station_minutes = Some(*m),
        }
    }
    let profile = args.walk.profile()?;
    let params = Params {
        thresholds,
        speed_m_per_min: profile.speed_m_per_min,
        avoid_steps: profile.avoid_steps,
        snap: SnapOptions {
            max_off_network_m: args.max_snap_m,
            avoid_steps: profile.avoid_steps,
            ..SnapOptions::default()
        },
        model_min_share: args.model_share,
        ..Params::default()
    };
    params.validate()?;
    let ext = args
        .out
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if !matches!(ext.as_str(), "csv" | "geojson" | "json") {
        return Err(format!(
            "--out {}: give a .csv or .geojson file",
            args.out.display()
        ));
    }

    let (data, graph): (Dataset, Option<WalkGraph>) = if let Some(dir) = &args.data {
        let (engine, _) = input::load_package(dir)?;
        let graph = engine
            .graph()
            .cloned()
            .map(|g| args.walk.net.apply(g))
            .transpose()?;
        (engine.layers().clone(), graph)
    } else {
        let mut d = Dataset::default();
        if let Some(p) = &args.demand {
            d.demand = input::read_layer(p, import::import_demand)?;
        }
        if let Some(p) = &args.facilities {
            d.facilities = input::read_layer(p, import::import_facilities)?;
        }
        let graph = match &args.network {
            Some(p) => Some(input::read_graph(p, &args.walk.net)?),
            None => None,
        };
        (d, graph)
    };
    let mut data = data;
    if let Some(p) = &args.stations {
        data.stations = input::read_layer(p, import::import_stations)?;
    }
    if let Some(p) = &args.communities {
        data.communities = input::read_layer(p, import::import_communities)?;
    }
    if data.demand.is_empty() {
        return Err("no demand points: give --demand or a package with a demand layer".to_owned());
    }
    if let Some(g) = &graph {
        eprintln!(
            "network: {} nodes, {} edges, {:.1} km",
            g.node_count(),
            g.edge_count(),
            g.total_length_m() / 1000.0
        );
    } else {
        eprintln!("no street network: times are straight-line estimates (× 1.3 detour)");
    }
    let stations: Vec<LonLat> = data.stations.iter().map(|s| s.pos_wgs84).collect();
    let postings: Vec<LonLat> = data.postings.iter().map(|p| p.pos_wgs84).collect();
    let cov = coverage::compute(
        graph.as_ref(),
        Inputs {
            demand: &data.demand,
            stations: &stations,
            facilities: &data.facilities,
            communities: &data.communities,
            postings: &postings,
        },
        &params,
        &mut |_, _| {},
    )?;
    for (id, m) in cov.unplaced.iter().take(10) {
        eprintln!("{id}: {m:.0} m from the nearest street, left out");
    }
    let report = if ext == "csv" {
        cov.report_csv()
    } else {
        cov.report_geojson(&data.demand)
    };
    std::fs::write(&args.out, report).map_err(|e| format!("{}: {e}", args.out.display()))?;
    if let Some(p) = &args.points {
        std::fs::write(p, cov.points_csv(&data.demand))
            .map_err(|e| format!("{}: {e}", p.display()))?;
    }
    print!("{}", cov.summary_text(args.show_gaps));
    Ok(())
}
