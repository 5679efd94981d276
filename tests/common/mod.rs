//! Shared by the integration tests that load a default data package through the engine, or
//! run the CLI.
#![allow(dead_code, clippy::unwrap_used)]

use std::path::PathBuf;

use shuangquan::plan::engine::Engine;
use shuangquan::plan::package::Manifest;

/// A default package (`static/data/<id>`): its manifest text, each layer's (id, bytes), and the
/// parsed manifest.
pub fn package_files(id: &str) -> (String, Vec<(String, Vec<u8>)>, Manifest) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("static/data")
        .join(id);
    let json = std::fs::read_to_string(dir.join("manifest.json")).unwrap();
    let manifest = Manifest::parse(json.as_bytes()).unwrap();
    let files = manifest
        .layers
        .iter()
        .map(|l| (l.id.clone(), std::fs::read(dir.join(&l.file)).unwrap()))
        .collect();
    (json, files, manifest)
}

/// An engine with a default package loaded, as the web worker loads it.
pub fn load_engine(id: &str) -> Engine {
    let (json, files, _) = package_files(id);
    let mut e = Engine::default();
    e.load(id, &json, &files).unwrap();
    e
}

/// Runs the `shuangquan` CLI in the repository root and returns its stdout; panics with the
/// arguments and its stderr when it fails.
pub fn cli(args: &[&str]) -> String {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_shuangquan"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}
