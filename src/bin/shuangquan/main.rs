//! `shuangquan`: the batch face of the 双圈 planner. Every subcommand runs the same pure core
//! (`shuangquan::plan`) that the browser app runs, and writes deterministic output.
#![forbid(unsafe_code)]

use std::process::ExitCode;

use clap::{Parser, Subcommand};

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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Info => {
            println!("shuangquan {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
    }
}
