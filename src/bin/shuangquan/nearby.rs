//! `shuangquan nearby` (work in progress).

use std::process::ExitCode;

/// Arguments of `shuangquan nearby`.
#[derive(Debug, clap::Args)]
pub struct NearbyArgs {}

pub fn run(_args: &NearbyArgs) -> ExitCode {
    eprintln!("shuangquan nearby: not implemented yet");
    ExitCode::FAILURE
}
