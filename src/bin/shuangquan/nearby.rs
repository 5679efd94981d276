//! `shuangquan nearby`: postings (and services) within a walk of a home, by walking time, or
//! ranked by a profile match (`plan::nearby`).
//!
//! Inputs: a data package (`--data <dir>`: its manifest's layers of kind streets, postings,
//! stations and facilities; `"network": "none"` gives straight-line estimates) or a network
//! file (`--network`: GeoJSON LineStrings, OSM XML `.osm`, OSM PBF `.pbf`) with `--postings`
//! (CSV with id, lon, lat, … columns, or GeoJSON points). Every rejected row is printed with its
//! file, row and field; valid rows still load.
//!
//! Output (stdout, or `--out`): CSV `id,seconds,score,title,metres,…` or a JSON object with
//! `hits`, `from`, `minutes`, `estimate` and, when stations or facilities are loaded,
//! `services`. Rank order (walking time without a profile), fixed decimals, deterministic.
//! Exit codes: 0 success, 1 bad input, 2 home off the walking network.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use serde_json::{Value, json};
use shuangquan::plan::csv_out::{Cell, CsvOut};
use shuangquan::plan::geom::LonLat;
use shuangquan::plan::graph::{SnapOptions, WalkGraph, WalkProfile};
use shuangquan::plan::import;
use shuangquan::plan::model::{Facility, HoursType, Posting, Station, Street};
use shuangquan::plan::nearby::{
    Education, Filters, MatchProfile, NearbyError, NearbyResult, PostingIndex, Query, Reason,
    Searcher, ServiceIndex, Services,
};

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// `id,seconds,score,title,metres,…` with a header row.
    Csv,
    /// One JSON object.
    Json,
}

/// Arguments of `shuangquan nearby`.
#[derive(Debug, Args)]
pub struct NearbyArgs {
    /// Data package directory (manifest.json + layers): streets, postings, stations, facilities.
    #[arg(long, required_unless_present = "network", conflicts_with = "network")]
    pub data: Option<PathBuf>,
    /// Network file: GeoJSON LineStrings (.geojson/.json), OSM XML (.osm) or OSM PBF (.pbf).
    #[arg(long, requires = "postings")]
    pub network: Option<PathBuf>,
    /// Postings file (CSV with id, lon, lat, … columns, or GeoJSON points); with --data it
    /// replaces the package's postings.
    #[arg(long)]
    pub postings: Option<PathBuf>,
    /// Stations file (CSV/GeoJSON) for the services summary (JSON output).
    #[arg(long)]
    pub stations: Option<PathBuf>,
    /// Facilities file (CSV/GeoJSON) for the services summary (JSON output).
    #[arg(long)]
    pub facilities: Option<PathBuf>,
    /// Home "LON,LAT" (WGS-84).
    #[arg(long = "from", allow_hyphen_values = true, value_parser = super::input::parse_lonlat)]
    pub from: LonLat,
    /// Walking budget, minutes.
    #[arg(long, default_value_t = 15.0)]
    pub minutes: f64,
    /// Walking speed, metres per minute (overrides the walking profile's speed).
    #[arg(long)]
    pub speed: Option<f64>,
    /// Network edits and the compound setting.
    #[command(flatten)]
    pub net: super::input::NetworkArgs,
    /// Job categories (exact match), comma separated.
    #[arg(long = "category", value_delimiter = ',')]
    pub categories: Vec<String>,
    /// Hours types, comma separated: full_time, part_time, flexible, gig (or 全职, 兼职,
    /// 灵活就业, 零工).
    #[arg(long, value_delimiter = ',', value_parser = parse_hours_arg)]
    pub hours: Vec<HoursType>,
    /// Lowest acceptable pay (posting's upper pay ≥ this), yuan per month.
    #[arg(long)]
    pub pay_min: Option<f64>,
    /// Highest pay of interest (posting's lower pay ≤ this).
    #[arg(long)]
    pub pay_max: Option<f64>,
    /// The resident's education (小学 … 博士, or ids): keeps postings requiring at most this.
    #[arg(long)]
    pub education: Option<Education>,
    /// The resident's age: keeps postings whose age range contains it.
    #[arg(long)]
    pub age: Option<u32>,
    /// Earliest posting date, YYYY-MM-DD.
    #[arg(long)]
    pub posted_since: Option<String>,
    /// Keywords that title, employer or skills must contain (all words).
    #[arg(long)]
    pub keyword: Option<String>,
    /// At most this many postings.
    #[arg(long)]
    pub limit: Option<usize>,
    /// Walking profile: standard (60 m/min), elderly (45), wheelchair (50, no steps) or a
    /// speed in metres per minute. (A JSON file here is still read as --match, as before.)
    #[arg(long)]
    pub profile: Option<String>,
    /// Match profile (JSON: age, education, skills, hours, max_minutes): rank by score.
    #[arg(long = "match")]
    pub match_profile: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Csv)]
    pub format: Format,
    /// Write here instead of stdout.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Points farther than this from the network are reported, not snapped (metres).
    #[arg(long, default_value_t = 300.0)]
    pub max_snap_m: f64,
}

fn parse_hours_arg(s: &str) -> Result<HoursType, String> {
    HoursType::parse(s).ok_or_else(|| {
        format!("{s:?}: expected full_time, part_time, flexible, gig (全职, 兼职, 灵活就业, 零工)")
    })
}

/// Everything loaded for a query.
#[derive(Default)]
struct Loaded {
    streets: Option<Vec<Street>>,
    postings: Vec<Posting>,
    stations: Vec<Station>,
    facilities: Vec<Facility>,
    services: bool,
    /// The graph of a `--network` file, already built with the network options.
    graph: Option<WalkGraph>,
}

fn load(args: &NearbyArgs) -> Result<Loaded, String> {
    use super::input::{PackageDir, read_graph, read_layer};
    let mut l = Loaded::default();
    if let Some(dir) = &args.data {
        let pkg = PackageDir::open(dir)?;
        l.streets = pkg.streets()?;
        if args.postings.is_none() {
            l.postings = pkg.layer("postings", import::import_postings)?;
        }
        if args.stations.is_none() && !pkg.files("stations").is_empty() {
            l.stations = pkg.layer("stations", import::import_stations)?;
            l.services = true;
        }
        if args.facilities.is_none() && !pkg.files("facilities").is_empty() {
            l.facilities = pkg.layer("facilities", import::import_facilities)?;
            l.services = true;
        }
    }
    if let Some(f) = &args.network {
        l.graph = Some(read_graph(f, &args.net)?);
    }
    if let Some(f) = &args.postings {
        l.postings = read_layer(f, import::import_postings)?;
    }
    if let Some(f) = &args.stations {
        l.stations = read_layer(f, import::import_stations)?;
        l.services = true;
    }
    if let Some(f) = &args.facilities {
        l.facilities = read_layer(f, import::import_facilities)?;
        l.services = true;
    }
    Ok(l)
}

/// The walking profile and the match-profile file: `--profile` is a walking profile, or (as
/// before walking profiles existed) an existing JSON file read as `--match`.
fn profiles(args: &NearbyArgs) -> Result<(WalkProfile, Option<PathBuf>), String> {
    let mut matching = args.match_profile.clone();
    let walk = match args.profile.as_deref() {
        None => WalkProfile::STANDARD,
        Some(v) => match v.parse::<WalkProfile>() {
            Ok(p) => p,
            Err(_) if matching.is_none() && Path::new(v).is_file() => {
                matching = Some(PathBuf::from(v));
                WalkProfile::STANDARD
            }
            Err(e) => return Err(e.to_string()),
        },
    };
    Ok((super::input::walk_profile(walk, args.speed)?, matching))
}

fn query(args: &NearbyArgs) -> Result<Query, String> {
    let (walk, matching) = profiles(args)?;
    let profile = match &matching {
        None => None,
        Some(p) => Some(
            serde_json::from_slice::<MatchProfile>(&super::input::read_bytes(p)?)
                .map_err(|e| format!("{}: {e}", p.display()))?,
        ),
    };
    Ok(Query {
        minutes: args.minutes,
        speed_m_per_min: walk.speed_m_per_min,
        filters: Filters {
            categories: args.categories.clone(),
            hours: args.hours.clone(),
            pay_min: args.pay_min,
            pay_max: args.pay_max,
            education: args.education,
            age: args.age,
            posted_since: args.posted_since.clone(),
            keyword: args.keyword.clone(),
        },
        profile,
        limit: args.limit,
    })
}

pub fn run(args: &NearbyArgs) -> ExitCode {
    match run_inner(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Input(m)) => {
            eprintln!("shuangquan nearby: {m}");
            ExitCode::FAILURE
        }
        Err(Failure::OffNetwork(m)) => {
            eprintln!("shuangquan nearby: {m}");
            ExitCode::from(2)
        }
    }
}

enum Failure {
    Input(String),
    OffNetwork(String),
}

impl From<String> for Failure {
    fn from(s: String) -> Self {
        Failure::Input(s)
    }
}

fn run_inner(args: &NearbyArgs) -> Result<(), Failure> {
    let q = query(args)?;
    let mut data = load(args)?;
    let graph = match (data.graph.take(), data.streets.as_deref()) {
        (Some(g), _) => Some(g),
        (None, Some(streets)) => Some(args.net.graph(streets, &[])?),
        (None, None) => None,
    };
    let (walk, _) = profiles(args)?;
    if graph.is_none() {
        eprintln!(
            "shuangquan nearby: no street network: times are straight-line estimates (× 1.3 detour)"
        );
    }
    let snap = SnapOptions {
        max_off_network_m: args.max_snap_m,
        avoid_steps: walk.avoid_steps,
        ..SnapOptions::default()
    };
    let index = PostingIndex::new(graph.as_ref(), &data.postings, &snap);
    if !index.unplaced().is_empty() {
        eprintln!(
            "shuangquan nearby: {} of {} postings are farther than {} m from the network and have no walking time",
            index.unplaced().len(),
            data.postings.len(),
            args.max_snap_m
        );
    }
    let mut searcher = Searcher::new();
    let r = searcher
        .nearby(graph.as_ref(), &index, &data.postings, args.from, &q, &snap)
        .map_err(|e| match e {
            NearbyError::OffNetwork { .. } => {
                Failure::OffNetwork(format!("home {},{}: {e}", args.from.lon, args.from.lat))
            }
            other => Failure::Input(other.to_string()),
        })?;
    let text = match args.format {
        Format::Csv => csv(&r, &data.postings),
        Format::Json => {
            let services = if data.services {
                let si = ServiceIndex::new(graph.as_ref(), &data.stations, &data.facilities, &snap);
                Some(
                    searcher
                        .services(graph.as_ref(), &si, &data.stations, &data.facilities)
                        .map_err(|e| e.to_string())?,
                )
            } else {
                None
            };
            let compounds = graph.as_ref().map(|g| g.rules().compounds);
            json(args, &q, &r, &data.postings, services.as_ref(), compounds)
        }
    };
    if let Some(p) = &args.out {
        std::fs::write(p, text).map_err(|e| format!("{}: {e}", p.display()))?;
    } else {
        print!("{text}");
    }
    Ok(())
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

/// A reason as a short code for the CSV column (`walk:3.25`, `skills_matched:烹饪/驾驶(2/3)` …).
fn reason_code(r: &Reason) -> String {
    let range = |a: &Option<u32>, b: &Option<u32>| format!("{}-{}", opt(*a), opt(*b));
    match r {
        Reason::Walk { minutes } => format!("walk:{minutes:.2}"),
        Reason::EducationNotRequired => "education_not_required".into(),
        Reason::EducationMeets { required } => format!("education_meets:{required}"),
        Reason::EducationBelow { required, have } => {
            format!("education_below:{required}>{have}")
        }
        Reason::EducationUnknown { required } => format!("education_unknown:{required}"),
        Reason::AgeNotRestricted => "age_not_restricted".into(),
        Reason::AgeInside { min, max } => format!("age_inside:{}", range(min, max)),
        Reason::AgeOutside { min, max } => format!("age_outside:{}", range(min, max)),
        Reason::AgeUnknown { min, max } => format!("age_unknown:{}", range(min, max)),
        Reason::SkillsMatched { skills, of } => {
            format!("skills_matched:{}({}/{of})", skills.join("/"), skills.len())
        }
        Reason::NoSkillsMatched { of } => format!("no_skills_matched:(0/{of})"),
        Reason::HoursMatch { hours } => format!("hours_match:{}", hours.id()),
        Reason::HoursMismatch { hours } => format!("hours_mismatch:{}", hours.id()),
        Reason::HoursUnknown => "hours_unknown".into(),
    }
}

fn csv(r: &NearbyResult, postings: &[Posting]) -> String {
    let mut out = CsvOut::new(&[
        "id",
        "seconds",
        "score",
        "title",
        "metres",
        "employer",
        "category",
        "hours",
        "pay_min",
        "pay_max",
        "education",
        "age_min",
        "age_max",
        "posted",
        "lon",
        "lat",
        "reasons",
    ]);
    for h in &r.hits {
        let p = &postings[h.posting];
        let reasons: Vec<String> = h.reasons.iter().map(reason_code).collect();
        out.row(&[
            Cell::text(&h.id),
            Cell::fixed(h.seconds, 1),
            Cell::fixed(h.score, 2),
            Cell::text(&p.title),
            Cell::fixed(h.metres, 1),
            Cell::text(p.employer.as_deref().unwrap_or("")),
            Cell::text(p.category.as_deref().unwrap_or("")),
            Cell::text(p.hours.map_or("", HoursType::id)),
            Cell::opt_num(p.pay_min),
            Cell::opt_num(p.pay_max),
            Cell::text(p.education.as_deref().unwrap_or("")),
            Cell::opt_num(p.age_min),
            Cell::opt_num(p.age_max),
            Cell::text(p.posted.as_deref().unwrap_or("")),
            Cell::fixed(p.pos_wgs84.lon, 7),
            Cell::fixed(p.pos_wgs84.lat, 7),
            Cell::Text(reasons.join(";").into()),
        ]);
    }
    out.finish()
}

/// Rounds to `d` decimals (fixed precision in the JSON output).
fn round(x: f64, d: i32) -> f64 {
    let k = 10f64.powi(d);
    (x * k).round() / k
}

fn json(
    args: &NearbyArgs,
    q: &Query,
    r: &NearbyResult,
    postings: &[Posting],
    services: Option<&Services>,
    compounds: Option<shuangquan::plan::graph::Compounds>,
) -> String {
    let hits: Vec<Value> = r
        .hits
        .iter()
        .map(|h| {
            let p = &postings[h.posting];
            let reasons: Vec<Value> = h
                .reasons
                .iter()
                .map(|x| match x {
                    Reason::Walk { minutes } => {
                        json!({"kind": "walk", "minutes": round(*minutes, 2)})
                    }
                    other => serde_json::to_value(other).unwrap_or(Value::Null),
                })
                .collect();
            let points = h.points.map(|pt| {
                json!({
                    "walk": round(pt.walk, 2), "education": round(pt.education, 2),
                    "age": round(pt.age, 2), "skills": round(pt.skills, 2),
                    "hours": round(pt.hours, 2), "eligible": pt.eligible,
                })
            });
            json!({
                "id": h.id,
                "seconds": round(h.seconds, 1),
                "score": round(h.score, 2),
                "metres": round(h.metres, 1),
                "title": p.title,
                "employer": p.employer,
                "category": p.category,
                "hours": p.hours.map(HoursType::id),
                "pay_min": p.pay_min,
                "pay_max": p.pay_max,
                "education": p.education,
                "age_min": p.age_min,
                "age_max": p.age_max,
                "skills": p.skills,
                "posted": p.posted,
                "lon": round(p.pos_wgs84.lon, 7),
                "lat": round(p.pos_wgs84.lat, 7),
                "reasons": reasons,
                "points": points,
            })
        })
        .collect();
    let place = |p: &shuangquan::plan::nearby::NearestPlace| json!({"id": p.id, "name": p.name, "seconds": round(p.seconds, 1), "metres": round(p.metres, 1)});
    let services = services.map(|s| {
        json!({
            "station": s.station.as_ref().map(place),
            "categories": s.categories.iter().map(|(c, p)| json!({
                "category": c.id(), "label_zh": c.label_zh(), "label_en": c.label_en(),
                "nearest": p.as_ref().map(place),
            })).collect::<Vec<_>>(),
            "trainings": s.trainings.iter().map(place).collect::<Vec<_>>(),
        })
    });
    let v = json!({
        "from": [args.from.lon, args.from.lat],
        "minutes": r.minutes,
        "speed_m_per_min": q.speed_m_per_min,
        "compounds": compounds.map(shuangquan::plan::graph::Compounds::id),
        "estimate": r.estimate,
        "access_s": round(r.access_s, 1),
        "considered": r.considered,
        "filtered_out": r.filtered_out,
        "total": r.total,
        "off_network": r.off_network.iter().map(|&i| postings[i].id.clone()).collect::<Vec<_>>(),
        "profile": q.profile.is_some(),
        "hits": hits,
        "services": services,
    });
    let mut s = serde_json::to_string_pretty(&v).unwrap_or_default();
    s.push('\n');
    s
}
