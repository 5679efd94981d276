//! `shuangquan coverage` (work in progress).

use std::process::ExitCode;

/// Arguments of `shuangquan coverage`.
#[derive(Debug, clap::Args)]
pub struct CoverageArgs {}

pub fn run(_args: &CoverageArgs) -> ExitCode {
    eprintln!("shuangquan coverage: not implemented yet");
    ExitCode::FAILURE
}
