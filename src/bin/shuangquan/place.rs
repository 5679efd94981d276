//! `shuangquan place` (work in progress).

use std::process::ExitCode;

/// Arguments of `shuangquan place`.
#[derive(Debug, clap::Args)]
pub struct PlaceArgs {}

pub fn run(_args: &PlaceArgs) -> ExitCode {
    eprintln!("shuangquan place: not implemented yet");
    ExitCode::FAILURE
}
