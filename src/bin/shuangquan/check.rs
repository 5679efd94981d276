//! `shuangquan check <files or directories…>`: validate layer files and print every problem.
//!
//! Each problem is printed as `severity: file:row:field: message` (row = spreadsheet row, or
//! `feature N` for GeoJSON), followed by a per-file summary and a total. OSM extracts (`.osm`,
//! `.osm.xml`, `.pbf`) are read like the app reads a dropped extract: their problems are printed
//! as `severity: file: way 7: …`, then the streets (and how many are walkable), the facilities
//! per category and the element counts. Directories are searched recursively for `.csv`,
//! `.tsv`, `.txt`, `.geojson`, `.json`, `.osm` and `.pbf` files, in name order, skipping a data
//! package's own `manifest.json` and `index.json` (they are not layers). The exit code is 1
//! when anything was rejected (a record, an OSM element, or a whole file), else 0.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use shuangquan::plan::crs::Crs;
use shuangquan::plan::import::{
    self, Dataset, Layer, Location, Options, ProblemKind, Report, Severity,
};
use shuangquan::plan::model::Category;
use shuangquan::plan::osm;

/// Arguments of `check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or directories to check.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// The layer the files hold: stations, facilities, postings, demand, candidates,
    /// communities, streets, or auto (guess from the file name, columns and geometry).
    #[arg(long, default_value = "auto")]
    pub layer: String,
    /// Coordinate system of the input (wgs84, gcj02, bd09); default: from the data, else WGS-84.
    #[arg(long)]
    pub crs: Option<Crs>,
    /// A fixed category for every facility (e.g. breakfast).
    #[arg(long)]
    pub category: Option<Category>,
    /// Size limit per file, in MiB.
    #[arg(long, default_value_t = 200)]
    pub max_mb: u64,
    /// Swap back evidently swapped longitude/latitude instead of rejecting the row.
    #[arg(long)]
    pub fix_swapped: bool,
    /// Do not print info lines (encoding, delimiter, layer guesses).
    #[arg(long, short)]
    pub quiet: bool,
}

const EXTENSIONS: [&str; 7] = ["csv", "tsv", "txt", "geojson", "json", "osm", "pbf"];

/// True for an OSM extract, by its name (`.osm`, `.osm.xml`, `.pbf`).
pub(crate) fn is_osm_file(f: &Path) -> bool {
    let ext = |p: &Path| {
        p.extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default()
    };
    match ext(f).as_str() {
        "osm" | "pbf" => true,
        "xml" => ext(&f.with_extension("")) == "osm",
        _ => false,
    }
}

/// True for files a directory search should check.
fn is_layer_file(f: &Path) -> bool {
    let name = f.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let ext_ok = f
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()));
    ext_ok && !matches!(name, "manifest.json" | "index.json")
}

/// Expands directories into their layer files, sorted; keeps files as given. A directory
/// with a `manifest.json` is a data package: it goes to `packages`, checked as a whole.
fn expand(
    paths: &[PathBuf],
    out: &mut Vec<PathBuf>,
    packages: &mut Vec<PathBuf>,
    errors: &mut Vec<String>,
) {
    for p in paths {
        if p.is_dir() && p.join("manifest.json").is_file() {
            packages.push(p.clone());
        } else if p.is_dir() {
            match std::fs::read_dir(p) {
                Ok(rd) => {
                    let mut children: Vec<PathBuf> =
                        rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
                    children.sort();
                    let (dirs, files): (Vec<PathBuf>, Vec<PathBuf>) =
                        children.into_iter().partition(|c| c.is_dir());
                    out.extend(files.into_iter().filter(|f| is_layer_file(f)));
                    expand(&dirs, out, packages, errors);
                }
                Err(e) => errors.push(format!("{}: cannot read directory: {e}", p.display())),
            }
        } else {
            out.push(p.clone());
        }
    }
}

fn loaded_summary(d: &Dataset) -> String {
    let mut s = String::new();
    for l in Layer::ALL {
        let n = d.count(l);
        if n > 0 {
            if !s.is_empty() {
                s.push_str(", ");
            }
            let _ = write!(s, "{n} {l}");
        }
    }
    if s.is_empty() {
        "nothing".to_owned()
    } else {
        s
    }
}

/// What checking one OSM extract found.
struct OsmCheck {
    /// Elements loaded (streets and facilities).
    loaded: usize,
    /// Problems that rejected something.
    errors: usize,
}

/// Checks one OSM extract, printing its problems and a summary.
fn check_osm(name: &str, bytes: &[u8], quiet: bool) -> OsmCheck {
    // Streets in flat arrays: checking a city extract holds no owned value per way.
    let mut d = osm::read_network(bytes);
    let format = osm::OsmFormat::sniff(bytes);
    if let Some(p) = d.network_problem() {
        d.problems.push(p);
    }
    let mut errors = 0;
    for p in &d.problems {
        let severity = if p.is_error() {
            errors += 1;
            Severity::Error
        } else {
            Severity::Warning
        };
        println!("{severity}: {name}: {p}");
    }
    if d.problems_omitted > 0 {
        errors += 1;
        println!(
            "error: {name}: … {} more problems not listed",
            d.problems_omitted
        );
    }
    if !quiet {
        let s = d.stats;
        println!(
            "info: {name}: {format:?}: {} nodes, {} ways ({} highway), {} relations read",
            s.nodes, s.ways, s.highway_ways, s.relations
        );
    }
    let mut by_category: Vec<(Category, usize)> = Vec::new();
    for f in &d.facilities {
        match by_category.iter_mut().find(|(c, _)| *c == f.category) {
            Some((_, n)) => *n += 1,
            None => by_category.push((f.category, 1)),
        }
    }
    by_category.sort();
    let cats: Vec<String> = by_category
        .iter()
        .map(|(c, n)| format!("{} {n}", c.id()))
        .collect();
    let verdict = if let Some(f) = d.fatal() {
        format!("nothing loaded: {f}")
    } else {
        format!(
            "loaded {} streets ({} walkable), {} facilities{}",
            d.streets.len(),
            d.streets.walkable_count(),
            d.facilities.len(),
            if cats.is_empty() {
                String::new()
            } else {
                format!(" ({})", cats.join(", "))
            }
        )
    };
    println!(
        "{name}: OSM {format:?}, {} problems ({errors} errors) — {verdict}",
        d.problems.len() + d.problems_omitted
    );
    OsmCheck {
        loaded: d.streets.len() + d.facilities.len(),
        errors,
    }
}

/// Checks one file; returns its report and what loaded.
fn check_file(path: &Path, layer: Option<Layer>, opts: &Options) -> (Report, Dataset) {
    let name = path.display().to_string();
    // Refuse oversized files before reading them.
    if let Ok(meta) = std::fs::metadata(path)
        && meta.len() > opts.max_bytes
    {
        let mut r = Report::new(&name);
        r.add(
            Severity::Error,
            Location::File,
            None,
            ProblemKind::TooLarge {
                size: meta.len(),
                limit: opts.max_bytes,
            },
        );
        return (r, Dataset::default());
    }
    match std::fs::read(path) {
        Ok(bytes) => {
            let got = import::import(&name, &bytes, opts, layer);
            (got.report, got.items)
        }
        Err(e) => {
            let mut r = Report::new(&name);
            r.add(
                Severity::Error,
                Location::File,
                None,
                ProblemKind::Unreadable {
                    message: e.to_string(),
                },
            );
            (r, Dataset::default())
        }
    }
}

/// How to say which layer an unrecognised file holds.
pub fn layer_hint(file: &Path) -> String {
    let ids: Vec<&str> = Layer::ALL.iter().map(|l| l.id()).collect();
    format!(
        "hint: {f}: name its layer with --layer, e.g. `shuangquan check --layer stations {f}` (one of: {})",
        ids.join(", "),
        f = file.display()
    )
}

/// Checks a data package folder as the app loads it (manifest, then every layer through the
/// importers): prints each problem — a manifest entry that lies (unknown `crs`, `kind` or
/// `status`), a missing layer file, a `count` that differs from the file, each bad record — and
/// what loaded. Returns (features loaded, errors).
fn check_package(dir: &Path, quiet: bool) -> (usize, usize) {
    let name = dir.display();
    match crate::input::read_package(dir) {
        Ok((_, summary)) => {
            let mut errors = 0;
            for p in &summary.problems {
                if p.severity == Severity::Error {
                    errors += 1;
                }
                if !(quiet && p.severity == Severity::Info) {
                    println!("{p}");
                }
            }
            let loaded: usize = summary.counts.iter().map(|(_, n)| n).sum();
            let layers: Vec<String> = summary
                .counts
                .iter()
                .map(|(id, n)| format!("{id} {n}"))
                .collect();
            println!(
                "{name}: package, {} problems ({errors} errors) — loaded {}; walk graph {} nodes",
                summary.problems.len(),
                if layers.is_empty() {
                    "nothing".to_owned()
                } else {
                    layers.join(", ")
                },
                summary.nodes
            );
            (loaded, errors)
        }
        Err(e) => {
            println!("error: {name}: {e}");
            (0, 1)
        }
    }
}

/// A file's bytes, refused before reading when it is larger than `limit` bytes.
fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>, String> {
    let size = std::fs::metadata(path).map_err(|e| e.to_string())?.len();
    if size > limit {
        return Err(format!(
            "file of {size} bytes is larger than the limit of {limit} bytes (--max-mb); not read"
        ));
    }
    std::fs::read(path).map_err(|e| e.to_string())
}

/// Runs `check`; prints to stdout; returns the exit code.
pub fn run(args: &CheckArgs) -> ExitCode {
    let layer = if args.layer.eq_ignore_ascii_case("auto") {
        None
    } else {
        match args.layer.parse::<Layer>() {
            Ok(l) => Some(l),
            Err(e) => {
                eprintln!("shuangquan check: {e}");
                return ExitCode::from(2);
            }
        }
    };
    let mut opts = Options::default()
        .with_max_bytes(args.max_mb.saturating_mul(1024 * 1024))
        .with_fix_swapped(args.fix_swapped);
    opts.crs = args.crs;
    opts.category = args.category;

    let mut files = Vec::new();
    let mut packages = Vec::new();
    let mut errors = Vec::new();
    expand(&args.paths, &mut files, &mut packages, &mut errors);
    for e in &errors {
        println!("error: {e}");
    }
    let (mut loaded, mut rejected, mut bad_files) = (0usize, 0usize, 0usize);
    for dir in &packages {
        let (n, errors) = check_package(dir, args.quiet);
        loaded += n;
        rejected += errors;
        if errors > 0 {
            bad_files += 1;
        }
    }
    for f in &files {
        if is_osm_file(f) && layer.is_none_or(|l| l == Layer::Streets) {
            match read_limited(f, opts.max_bytes) {
                Ok(bytes) => {
                    let c = check_osm(&f.display().to_string(), &bytes, args.quiet);
                    loaded += c.loaded;
                    rejected += c.errors;
                    if c.errors > 0 {
                        bad_files += 1;
                    }
                }
                Err(e) => {
                    println!("error: {}: {e}", f.display());
                    bad_files += 1;
                }
            }
            continue;
        }
        let (report, data) = check_file(f, layer, &opts);
        for p in &report.problems {
            if !(args.quiet && p.severity == Severity::Info) {
                println!("{p}");
            }
            if matches!(p.kind, ProblemKind::UnknownLayer { .. }) {
                println!("{}", layer_hint(f));
            }
        }
        println!("{} — loaded {}", report.summary(), loaded_summary(&data));
        loaded += report.loaded;
        rejected += report.rejected;
        if report.has_errors() {
            bad_files += 1;
        }
    }
    println!(
        "checked {} files: {loaded} records loaded, {rejected} rejected; {bad_files} files with errors",
        files.len() + packages.len()
    );
    if bad_files > 0 || !errors.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
