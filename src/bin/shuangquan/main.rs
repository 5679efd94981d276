//! `shuangquan`: the batch face of the 双圈 planner. Every subcommand runs the same pure core
//! (`shuangquan::plan`) that the browser app runs, and writes deterministic output.
#![forbid(unsafe_code)]

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod access;
mod check;
mod convert;
mod coverage;
mod input;
mod nearby;
mod package;
mod place;
mod reach;

/// 双圈 planner: 15-minute employment-service and convenience living circles on real streets.
#[derive(Debug, Parser)]
#[command(name = "shuangquan", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Print the package format version and the category ids this build knows.
    Info,
    /// Validate layer files (CSV/GeoJSON) and OSM extracts (.osm/.osm.pbf) and print every
    /// problem with file, row (or element) and field; exits 1 when anything was rejected.
    Check(check::CheckArgs),
    /// Convert a CSV or GeoJSON file's coordinates between WGS-84, GCJ-02 and BD-09.
    Convert(convert::ConvertArgs),
    /// Build a data package (manifest + layer files) from an OSM extract, administrative
    /// boundaries and census totals, and optional illustrative layers.
    Package(package::PackageArgs),
    /// Walking times from start points to probe points, and isochrone polygons, on a street
    /// network (GeoJSON, OSM XML/PBF) or a data package.
    Reach(reach::ReachArgs),
    /// Export the walk graph as node/edge CSVs (and time reference reach queries on it), for
    /// side-by-side benchmarks with other tools.
    GraphExport(reach::GraphExportArgs),
    /// Dual-circle coverage (供需匹配评估): per community shares in the employment, convenience
    /// and dual circles, the missing categories and the ranked gap list.
    Coverage(coverage::CoverageArgs),
    /// Postings (and services) within a walk of a home, by walking time or profile match.
    Nearby(nearby::NearbyArgs),
    /// Where new stations should go: maximal covering (`--k`) or fewest sites for a target share.
    Place(place::PlaceArgs),
    /// Supply–demand ratios (供需比): 2SFCA/E2SFCA with capacities, every facility within reach
    /// and the shortfall in people, under a standards preset (GB 50180, MOFCOM 2021, Qingdao 2025).
    Access(access::AccessArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Info => {
            println!("shuangquan {}", env!("CARGO_PKG_VERSION"));
            println!(
                "package format: {}",
                shuangquan::plan::package::manifest::FORMAT
            );
            for c in shuangquan::plan::model::Category::ALL {
                let base = if c.is_base() { "六个一" } else { "extra" };
                println!(
                    "category {:<14} {base:<6} {} / {}",
                    c.id(),
                    c.label_zh(),
                    c.label_en()
                );
            }
            ExitCode::SUCCESS
        }
        Command::Check(a) => check::run(&a),
        Command::Reach(a) => reach::run(&a),
        Command::GraphExport(a) => reach::run_export(&a),
        Command::Convert(a) => convert::run(&a),
        Command::Coverage(a) => coverage::run(&a),
        Command::Nearby(a) => nearby::run(&a),
        Command::Place(a) => place::run(&a),
        Command::Access(a) => access::run(&a),
        Command::Package(a) => match package::run(&a) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("shuangquan package: {e}");
                ExitCode::FAILURE
            }
        },
    }
}
