//! `shuangquan convert --from gcj02 --to wgs84 <in> -o <out>`: convert a CSV or GeoJSON file's
//! coordinates between WGS-84, GCJ-02 and BD-09.
//!
//! CSV keeps every other column and the row order; GeoJSON converts every position. Problems go
//! to stderr as `severity: file:row:field: message`. The exit code is 1 when some rows could not
//! be converted (they are written unchanged) or the file could not be read; `-o -` writes to
//! stdout.
//!
//! An OSM extract (`.osm`, `.osm.pbf`, e.g. a package's `streets.osm.pbf`) is read as OSM
//! (always WGS-84, so `--from wgs84`) and its streets are written as a GeoJSON
//! FeatureCollection of LineStrings, the package's GeoJSON streets format.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use shuangquan::plan::crs::Crs;
use shuangquan::plan::import::{Options, Severity, convert::convert_file};

/// Arguments of `convert`.
#[derive(Debug, Args)]
pub struct ConvertArgs {
    /// Coordinate system of the input: wgs84, gcj02 or bd09.
    #[arg(long)]
    pub from: Crs,
    /// Coordinate system to write: wgs84, gcj02 or bd09.
    #[arg(long)]
    pub to: Crs,
    /// Input file (.csv/.tsv/.txt, .geojson/.json, or an OSM extract .osm/.osm.pbf: its
    /// streets as GeoJSON).
    pub input: PathBuf,
    /// Output file (`-` for standard output).
    #[arg(short, long)]
    pub output: PathBuf,
    /// Size limit, in MiB.
    #[arg(long, default_value_t = 200)]
    pub max_mb: u64,
}

/// Runs `convert`; returns the exit code.
pub fn run(args: &ConvertArgs) -> ExitCode {
    let name = args.input.display().to_string();
    let opts = Options::default().with_max_bytes(args.max_mb.saturating_mul(1024 * 1024));
    let bytes = match std::fs::read(&args.input) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("error: {name}: cannot read the file: {e}");
            return ExitCode::from(1);
        }
    };
    let (name, bytes) = if crate::check::is_osm_file(&args.input) {
        if args.from != Crs::Wgs84 {
            eprintln!("error: {name}: an OSM extract is always WGS-84: use --from wgs84");
            return ExitCode::from(1);
        }
        let d = shuangquan::plan::osm::read(&bytes);
        for p in d.problems.iter().take(20) {
            eprintln!("{name}: {p}");
        }
        if d.problems
            .iter()
            .any(shuangquan::plan::osm::OsmProblem::is_error)
        {
            return ExitCode::from(1);
        }
        let text = shuangquan::plan::package::write::streets_geojson(&d.streets);
        (format!("{name} (streets)"), text.into_bytes())
    } else {
        (name, bytes)
    };
    let got = convert_file(&name, &bytes, args.from, args.to, &opts);
    for p in &got.report.problems {
        if p.severity != Severity::Info {
            eprintln!("{p}");
        }
    }
    let Some(out) = got.output else {
        eprintln!("{}: nothing written", got.report.file);
        return ExitCode::from(1);
    };
    let written = if args.output.as_os_str() == "-" {
        std::io::stdout().write_all(&out)
    } else {
        std::fs::write(&args.output, &out)
    };
    if let Err(e) = written {
        eprintln!("error: {}: cannot write: {e}", args.output.display());
        return ExitCode::from(1);
    }
    eprintln!(
        "{name}: converted {} positions from {} to {}; {} rows not converted",
        got.converted,
        args.from.label(),
        args.to.label(),
        got.report.rejected
    );
    if got.report.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
