//! `shuangquan convert --from gcj02 --to wgs84 <in> -o <out>`: convert a CSV or GeoJSON file's
//! coordinates between WGS-84, GCJ-02 and BD-09.
//!
//! CSV keeps every other column and the row order; GeoJSON converts every position. Problems go
//! to stderr as `severity: file:row:field: message`. The exit code is 1 when some rows could not
//! be converted (they are written unchanged) or the file could not be read; `-o -` writes to
//! stdout.

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
    /// Input file (.csv/.tsv/.txt or .geojson/.json).
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
