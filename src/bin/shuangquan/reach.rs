//! `shuangquan reach` and `shuangquan graph-export`: walking times and isochrones on a street
//! network, and the graph export with timed reference queries used by
//! `bench/compare_reach.py`.
//!
//! The network comes from `--network <file>` (GeoJSON LineStrings, OSM XML `.osm`, OSM PBF
//! `.pbf`) or from a data package, `--data <dir>` (its `manifest.json` layer of kind `streets`,
//! else `streets.geojson`). A package whose manifest says `"network": "none"` (or has no streets)
//! gets straight-line estimates (distance × 1.3 detour factor), said so on stderr and in the
//! GeoJSON. Output is deterministic: probes in input order, fixed decimals.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::Args;
use shuangquan::plan::csv_out::{Cell, CsvOut};
use shuangquan::plan::geojson_out::GeoMultiPolygon;
use shuangquan::plan::geom::LonLat;
use shuangquan::plan::graph::{
    Budget, Compounds, DEFAULT_DETOUR_FACTOR, Isochrone, IsochroneOptions, NodeId, Reach, Snap,
    SnapOptions, WalkGraph, WalkProfile, straight_line_isochrones,
};

/// Arguments of `reach`.
#[derive(Debug, Args)]
pub struct ReachArgs {
    /// Data package directory (manifest.json + layers): its streets layer is the network.
    #[arg(long, required_unless_present = "network", conflicts_with = "network")]
    pub data: Option<PathBuf>,
    /// Network file: GeoJSON LineStrings (.geojson/.json), OSM XML (.osm) or OSM PBF (.pbf).
    #[arg(long)]
    pub network: Option<PathBuf>,
    /// Start point "LON,LAT" (WGS-84). Repeat for several: times are to the nearest one.
    #[arg(long = "from", required = true, allow_hyphen_values = true, value_parser = super::input::parse_lonlat)]
    pub from: Vec<LonLat>,
    /// Time budget, minutes.
    #[arg(long, default_value_t = 15.0)]
    pub minutes: f64,
    /// Walking profile, speed, network edits and the compound setting.
    #[command(flatten)]
    pub walk: super::input::WalkArgs,
    /// CSV of probe points with lon and lat columns → `lon,lat,seconds` in probe order.
    #[arg(long)]
    pub probes: Option<PathBuf>,
    /// Write the probe CSV here instead of stdout.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Write isochrones (GeoJSON FeatureCollection, one feature per budget) here.
    #[arg(long)]
    pub isochrone: Option<PathBuf>,
    /// Isochrone budgets in minutes, comma separated (default: 5, 10, 15 up to --minutes,
    /// and --minutes itself).
    #[arg(long, value_delimiter = ',')]
    pub budgets: Vec<f64>,
    /// Points farther than this from the network are reported, not snapped (metres).
    #[arg(long, default_value_t = 300.0)]
    pub max_snap_m: f64,
}

/// Arguments of `graph-export`.
#[derive(Debug, Args)]
pub struct GraphExportArgs {
    /// Data package directory.
    #[arg(long, required_unless_present = "network", conflicts_with = "network")]
    pub data: Option<PathBuf>,
    /// Network file (GeoJSON, .osm, .pbf).
    #[arg(long)]
    pub network: Option<PathBuf>,
    /// Nodes CSV: `id,lon,lat,x_m,y_m` (local metres on the graph's projection).
    #[arg(long)]
    pub nodes: PathBuf,
    /// Edges CSV: `u,v,length_m` (undirected).
    #[arg(long)]
    pub edges: PathBuf,
    /// Also time this many single-source reach queries from seeded random nodes of the
    /// largest component (and write their reached sets with --reached).
    #[arg(long, default_value_t = 0)]
    pub queries: usize,
    /// Seed of the random choices.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Budget of the queries, minutes.
    #[arg(long, default_value_t = 15.0)]
    pub minutes: f64,
    /// Draw the queries' sources only from the nodes within this many metres of one seeded
    /// node: many different searches over memory they share, which stays in cache (a
    /// diagnostic that tells the cost of memory from that of the searches' branches;
    /// BENCHMARKS.md, 2026-11-30, branch s11-search).
    #[arg(long)]
    pub within_m: Option<f64>,
    /// Walking speed of the queries, metres per minute.
    #[arg(long, default_value_t = 60.0)]
    pub speed: f64,
    /// CSV `source,node,metres` of every query's reached nodes.
    #[arg(long)]
    pub reached: Option<PathBuf>,
    /// Also time one unbounded multi-source run from this many seeded random nodes
    /// ("facilities"); with --nearest, write `node,metres,facility` for every node.
    #[arg(long, default_value_t = 0)]
    pub facilities: usize,
    /// CSV of the multi-source run.
    #[arg(long)]
    pub nearest: Option<PathBuf>,
    /// Network edits and the compound setting.
    #[command(flatten)]
    pub net: super::input::NetworkArgs,
    /// Repetitions of the timed runs (the median is reported).
    #[arg(long, default_value_t = 5)]
    pub repeat: usize,
}

/// Where the network comes from, once resolved.
enum Network {
    Graph(Box<WalkGraph>),
    /// The package has no network: straight-line estimates.
    None,
}

fn load(
    data: Option<&PathBuf>,
    network: Option<&PathBuf>,
    net: &super::input::NetworkArgs,
) -> Result<Network, String> {
    if let Some(file) = network {
        return super::input::read_graph(file, net).map(|g| Network::Graph(Box::new(g)));
    }
    let Some(dir) = data else {
        return Err("give --data or --network".to_owned());
    };
    let pkg = super::input::PackageDir::open(dir)?;
    match pkg.streets()? {
        Some(streets) => Ok(Network::Graph(Box::new(net.graph(&streets, &[])?))),
        None if pkg.has_manifest() => Ok(Network::None),
        None => Err(format!(
            "{}: no manifest.json and no streets.geojson",
            dir.display()
        )),
    }
}

/// Probe points read from a CSV: the original lon/lat text and the parsed point.
fn read_probes(path: &Path) -> Result<Vec<(String, String, Option<LonLat>)>, String> {
    let text = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let text = text.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&text);
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
    let lon = find(&["lon", "lng", "longitude", "x", "经度"]);
    let lat = find(&["lat", "latitude", "y", "纬度"]);
    let (Some(lon), Some(lat)) = (lon, lat) else {
        return Err(format!(
            "{}: needs lon and lat columns (header row)",
            path.display()
        ));
    };
    let mut out = Vec::new();
    for (k, rec) in rd.records().enumerate() {
        let rec = rec.map_err(|e| format!("{}: row {}: {e}", path.display(), k + 2))?;
        let (a, b) = (rec.get(lon).unwrap_or(""), rec.get(lat).unwrap_or(""));
        let p = match (a.parse::<f64>(), b.parse::<f64>()) {
            (Ok(x), Ok(y)) => Some(LonLat::new(x, y)).filter(|p| p.is_valid()),
            _ => None,
        };
        if p.is_none() {
            eprintln!(
                "{}: row {}: no valid position ({a:?}, {b:?})",
                path.display(),
                k + 2
            );
        }
        out.push((a.to_owned(), b.to_owned(), p));
    }
    Ok(out)
}

fn write_out(path: Option<&PathBuf>, text: &str) -> Result<(), String> {
    if let Some(p) = path {
        std::fs::write(p, text).map_err(|e| format!("{}: {e}", p.display()))
    } else {
        print!("{text}");
        Ok(())
    }
}

fn budgets(args: &ReachArgs) -> Vec<f64> {
    let mut b: Vec<f64> = if args.budgets.is_empty() {
        [5.0, 10.0, 15.0, args.minutes]
            .into_iter()
            .filter(|&m| m <= args.minutes)
            .collect()
    } else {
        args.budgets.clone()
    };
    b.retain(|m| m.is_finite() && *m > 0.0);
    b.sort_by(f64::total_cmp);
    b.dedup();
    b
}

/// The isochrones as GeoJSON, each with its minutes, the walker's speed, the network's
/// compound setting (null for straight-line estimates) and the method.
fn geojson(isos: &[Isochrone], speed: f64, compounds: Option<Compounds>) -> String {
    let features: Vec<serde_json::Value> = isos
        .iter()
        .map(|iso| {
            serde_json::json!({
                "type": "Feature",
                "properties": {
                    "minutes": iso.minutes,
                    "speed_m_per_min": speed,
                    "compounds": compounds.map(Compounds::id),
                    "method": if iso.is_estimate() { "straight_line_estimate" } else { "network" },
                },
                "geometry": GeoMultiPolygon(&iso.polygon_wgs84),
            })
        })
        .collect();
    let mut s =
        serde_json::json!({ "type": "FeatureCollection", "features": features }).to_string();
    s.push('\n');
    s
}

fn fmt_num(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{x:.0}")
    } else {
        format!("{x}")
    }
}

/// Runs `reach`.
pub fn run(args: &ReachArgs) -> ExitCode {
    match run_inner(args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("shuangquan reach: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run_inner(args: &ReachArgs) -> Result<ExitCode, String> {
    let profile = args.walk.profile()?;
    let speed = profile.speed_m_per_min;
    if !(args.minutes.is_finite() && args.minutes > 0.0) {
        return Err(format!(
            "--minutes {} must be a positive number",
            args.minutes
        ));
    }
    let network = load(args.data.as_ref(), args.network.as_ref(), &args.walk.net)?;
    let probes = match &args.probes {
        Some(p) => Some(read_probes(p)?),
        None => None,
    };
    let budget_list = budgets(args);
    let Network::Graph(graph) = network else {
        return Ok(straight_line(args, speed, probes.as_deref(), &budget_list));
    };
    let opts = SnapOptions {
        max_off_network_m: args.max_snap_m,
        avoid_steps: profile.avoid_steps,
        ..SnapOptions::default()
    };
    let mut sources: Vec<Snap> = Vec::new();
    for p in &args.from {
        match graph.snap(*p, &opts) {
            Ok(s) => sources.push(s),
            Err(e) => eprintln!("--from {},{}: {e}", p.lon, p.lat),
        }
    }
    eprintln!(
        "network: {} nodes, {} edges, {:.1} km; {} of {} start points on it",
        graph.node_count(),
        graph.edge_count(),
        graph.total_length_m() / 1000.0,
        sources.len(),
        args.from.len()
    );
    if sources.is_empty() {
        return Err("no start point is on the network".to_owned());
    }
    let reach = graph.reach(&sources, profile, Budget::Minutes(args.minutes));
    eprintln!(
        "reached {} nodes within {} min at {} m/min (profile {profile})",
        reach.reached_count(),
        fmt_num(args.minutes),
        fmt_num(speed)
    );
    if let Some(probes) = &probes {
        let mut out = CsvOut::new(&["lon", "lat", "seconds"]);
        for (a, b, p) in probes {
            let secs = p
                .and_then(|p| graph.snap(p, &opts).ok())
                .and_then(|s| reach.probe(&graph, &s))
                .map(|t| t.seconds);
            out.row(&[Cell::echo(a), Cell::echo(b), Cell::opt_fixed(secs, 1)]);
        }
        write_out(args.out.as_ref(), &out.finish())?;
    }
    if let Some(path) = &args.isochrone {
        let budgets: Vec<f64> = budget_list
            .iter()
            .copied()
            .filter(|&m| m <= args.minutes)
            .collect();
        let isos = graph
            .isochrones(&reach, &budgets, &IsochroneOptions::default())
            .map_err(|e| e.to_string())?;
        write_out(
            Some(path),
            &geojson(&isos, speed, Some(graph.rules().compounds)),
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

fn straight_line(
    args: &ReachArgs,
    speed: f64,
    probes: Option<&[(String, String, Option<LonLat>)]>,
    budget_list: &[f64],
) -> ExitCode {
    eprintln!(
        "no street network in this package: straight-line ESTIMATES (distance × {DEFAULT_DETOUR_FACTOR} detour factor)"
    );
    if let Some(probes) = probes {
        let mut out = CsvOut::new(&["lon", "lat", "seconds"]);
        for (a, b, p) in probes {
            let secs = p
                .and_then(|p| {
                    args.from
                        .iter()
                        .map(|s| s.haversine_m(p) * DEFAULT_DETOUR_FACTOR / speed * 60.0)
                        .min_by(f64::total_cmp)
                })
                .filter(|&s| s <= args.minutes * 60.0);
            out.row(&[Cell::echo(a), Cell::echo(b), Cell::opt_fixed(secs, 1)]);
        }
        if let Err(e) = write_out(args.out.as_ref(), &out.finish()) {
            eprintln!("shuangquan reach: {e}");
            return ExitCode::FAILURE;
        }
    }
    if let Some(path) = &args.isochrone {
        if args.from.len() > 1 {
            eprintln!("the straight-line estimate is drawn around the first --from point only");
        }
        let isos =
            straight_line_isochrones(args.from[0], budget_list, speed, DEFAULT_DETOUR_FACTOR);
        if let Err(e) = write_out(Some(path), &geojson(&isos, speed, None)) {
            eprintln!("shuangquan reach: {e}");
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}

/// SplitMix64: the seeded choices of `graph-export`.
struct SplitMix(u64);
impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// This thread's time on a CPU so far, nanoseconds (the first field of Linux's
/// `/proc/thread-self/schedstat`); `None` where it cannot be read. On a machine shared with other
/// work, a query's CPU time is the fairer figure: its wall time includes waiting for a core.
fn thread_cpu_ns() -> Option<u64> {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

fn median_ms(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

/// Runs `graph-export`.
pub fn run_export(args: &GraphExportArgs) -> ExitCode {
    match export_inner(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("shuangquan graph-export: {e}");
            ExitCode::FAILURE
        }
    }
}

fn export_inner(args: &GraphExportArgs) -> Result<(), String> {
    let Network::Graph(graph) = load(args.data.as_ref(), args.network.as_ref(), &args.net)? else {
        return Err("the package has no street network".to_owned());
    };
    let mut nodes = String::from("id,lon,lat,x_m,y_m\n");
    for n in graph.nodes() {
        let ll = graph.node_wgs84(n);
        let xy = graph.node_xy(n);
        let _ = writeln!(
            nodes,
            "{},{:.7},{:.7},{:.3},{:.3}",
            n.0, ll.lon, ll.lat, xy.x, xy.y
        );
    }
    write_out(Some(&args.nodes), &nodes)?;
    let mut edges = String::from("u,v,length_m\n");
    for e in graph.edges().iter().filter(|e| !e.removed) {
        let _ = writeln!(edges, "{},{},{:.6}", e.a.0, e.b.0, e.length_m);
    }
    write_out(Some(&args.edges), &edges)?;
    eprintln!(
        "exported {} nodes, {} edges",
        graph.node_count(),
        graph.edge_count()
    );

    let Some(big) = graph.largest_component() else {
        return Ok(());
    };
    let mut pool: Vec<NodeId> = graph
        .nodes()
        .filter(|&n| graph.component_of(n) == big)
        .collect();
    let mut rng = SplitMix(args.seed);
    if let Some(r) = args.within_m {
        let at = graph.node_xy(pool[(rng.next() % pool.len() as u64) as usize]);
        pool.retain(|&n| {
            let p = graph.node_xy(n);
            (p.x - at.x).hypot(p.y - at.y) <= r
        });
        if pool.is_empty() {
            return Err(format!("no node within {r} m"));
        }
    }
    let mut pick = |k: usize| -> Vec<NodeId> {
        (0..k)
            .map(|_| pool[(rng.next() % pool.len() as u64) as usize])
            .collect()
    };
    let profile = WalkProfile::with_speed(args.speed);
    let budget = Budget::Minutes(args.minutes);
    let repeat = args.repeat.max(1);
    let mut json = String::from("{");
    let _ = write!(
        json,
        "\"nodes\":{},\"edges\":{},\"minutes\":{},\"speed\":{}",
        graph.node_count(),
        graph.edge_count(),
        fmt_num(args.minutes),
        fmt_num(args.speed)
    );

    if args.queries > 0 {
        let sources = pick(args.queries);
        let snaps: Vec<Snap> = sources.iter().filter_map(|&n| graph.snap_node(n)).collect();
        let mut reach = Reach::new(&graph);
        let mut reached = String::from("source,node,metres\n");
        let mut reach_ms = Vec::new();
        let mut iso_ms = Vec::new();
        let mut total_reached = 0usize;
        for rep in 0..repeat {
            let t = Instant::now();
            for s in &snaps {
                reach.run(&graph, std::slice::from_ref(s), profile, budget);
                total_reached += reach.reached_count();
            }
            reach_ms.push(t.elapsed().as_secs_f64() * 1e3 / snaps.len() as f64);
            let t = Instant::now();
            for s in &snaps {
                reach.run(&graph, std::slice::from_ref(s), profile, budget);
                let iso = graph
                    .isochrones(&reach, &[args.minutes], &IsochroneOptions::default())
                    .map_err(|e| e.to_string())?;
                if iso.len() != 1 {
                    return Err("isochrone missing".to_owned());
                }
            }
            iso_ms.push(t.elapsed().as_secs_f64() * 1e3 / snaps.len() as f64);
            if rep == 0 && args.reached.is_some() {
                for (src, s) in sources.iter().zip(&snaps) {
                    reach.run(&graph, std::slice::from_ref(s), profile, budget);
                    let mut r: Vec<(NodeId, f64)> = reach
                        .reached()
                        .map(|(n, _)| (n, reach.node_metres(n).unwrap_or(f64::NAN)))
                        .collect();
                    r.sort_by_key(|&(n, _)| n);
                    for (n, m) in r {
                        let _ = writeln!(reached, "{},{},{m:.6}", src.0, n.0);
                    }
                }
            }
        }
        if let Some(p) = &args.reached {
            write_out(Some(p), &reached)?;
        }
        let _ = write!(
            json,
            ",\"queries\":{},\"sources\":[{}],\"mean_reached\":{:.1},\"reach_ms_per_query\":{:.4},\"reach_and_polygon_ms_per_query\":{:.4}",
            snaps.len(),
            sources
                .iter()
                .map(|n| n.0.to_string())
                .collect::<Vec<_>>()
                .join(","),
            total_reached as f64 / (snaps.len() * repeat) as f64,
            median_ms(reach_ms),
            median_ms(iso_ms)
        );
        // CPU time of the same queries in one long loop (the counter advances by scheduler
        // ticks, so only a long interval measures well).
        // Rounds of all the queries until at least `repeat` rounds and one second have passed.
        let (cpu, t) = (thread_cpu_ns(), Instant::now());
        let mut rounds = 0usize;
        while rounds < repeat || t.elapsed().as_secs_f64() < 1.0 {
            for s in &snaps {
                reach.run(&graph, std::slice::from_ref(s), profile, budget);
            }
            rounds += 1;
        }
        if let (Some(a), Some(b)) = (cpu, thread_cpu_ns()) {
            let _ = write!(
                json,
                ",\"reach_cpu_ms_per_query\":{:.5}",
                b.saturating_sub(a) as f64 / 1e6 / (rounds * snaps.len()).max(1) as f64
            );
        }
    }

    if args.facilities > 0 {
        let fac = pick(args.facilities);
        let snaps: Vec<Snap> = fac.iter().filter_map(|&n| graph.snap_node(n)).collect();
        let mut reach = Reach::new(&graph);
        let mut ms = Vec::new();
        for _ in 0..repeat {
            let t = Instant::now();
            reach.run(&graph, &snaps, profile, Budget::Unbounded);
            ms.push(t.elapsed().as_secs_f64() * 1e3);
        }
        if let Some(p) = &args.nearest {
            let mut out = String::from("node,metres,facility\n");
            for n in graph.nodes() {
                if let (Some(m), Some(s)) = (reach.node_metres(n), reach.nearest_source(n)) {
                    let _ = writeln!(out, "{},{m:.6},{}", n.0, fac[s].0);
                }
            }
            write_out(Some(p), &out)?;
        }
        let _ = write!(
            json,
            ",\"facilities\":[{}],\"nearest_reached\":{},\"nearest_ms\":{:.4}",
            fac.iter()
                .map(|n| n.0.to_string())
                .collect::<Vec<_>>()
                .join(","),
            reach.reached_count(),
            median_ms(ms)
        );
    }
    json.push('}');
    println!("{json}");
    Ok(())
}
