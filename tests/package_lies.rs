//! A package that lies: a manifest whose `count` differs from its file, a layer whose file is
//! missing, a layer whose `crs` (or `kind`) is unknown. Each lie is named, and every other
//! layer loads exactly as it does from the honest package (the oracle is the honest load).
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used)]

mod common;

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;
use shuangquan::plan::engine::Engine;

/// The Helsinki package's manifest with four lies: streets' count + 7, stations' crs
/// `epsg:3857`, postings' kind `spaceships`; and the facilities file left out.
fn lying_manifest(json: &str) -> String {
    let mut m: Value = serde_json::from_str(json).unwrap();
    let layers = m["layers"].as_array_mut().unwrap();
    let count = layers[0]["count"].as_u64().unwrap();
    layers[0]["count"] = Value::from(count + 7);
    layers[2]["crs"] = Value::from("epsg:3857");
    layers[3]["kind"] = Value::from("spaceships");
    m.to_string()
}

#[test]
fn each_lie_is_named_and_the_rest_loads_as_from_the_honest_package() {
    let (json, files, manifest) = common::package_files("helsinki");
    let honest = Engine::default().load("helsinki", &json, &files).unwrap();
    assert!(honest.problems.is_empty());

    let lying = lying_manifest(&json);
    let without_facilities: Vec<(String, Vec<u8>)> = files
        .iter()
        .filter(|(id, _)| id != "facilities")
        .cloned()
        .collect();
    let mut e = Engine::default();
    let got = e.load("helsinki", &lying, &without_facilities).unwrap();
    let text = got
        .problems
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n");
    for needle in [
        "streets.osm.pbf: manifest says",
        "layers[2] (crs): unknown variant `epsg:3857`",
        "layers[3] (kind): unknown variant `spaceships`",
        "facilities.geojson: the file of this layer is missing",
    ] {
        assert!(text.contains(needle), "{needle:?} not in\n{text}");
    }
    assert_eq!(got.problems.len(), 4, "{text}");
    assert!(
        got.problems
            .iter()
            .all(|p| p.severity == shuangquan::plan::import::Severity::Error)
    );
    // What was not lied about loads exactly as from the honest package.
    let lied: [&str; 3] = [
        &manifest.layers[1].id,
        &manifest.layers[2].id,
        &manifest.layers[3].id,
    ];
    let expected: Vec<&(String, usize)> = honest
        .counts
        .iter()
        .filter(|(id, _)| !lied.contains(&id.as_str()))
        .collect();
    let loaded: Vec<&(String, usize)> = got.counts.iter().collect();
    assert_eq!(loaded, expected);
    assert_eq!((got.nodes, got.edges), (honest.nodes, honest.edges));
}

#[test]
fn check_on_a_lying_package_folder_names_each_lie_and_exits_1() {
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("static/data/helsinki");
    let dir = std::env::temp_dir().join(format!("sq-lying-package-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for e in std::fs::read_dir(&src).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_owned();
        if name != "facilities.geojson" {
            std::fs::copy(&p, dir.join(name)).unwrap();
        }
    }
    let json = std::fs::read_to_string(src.join("manifest.json")).unwrap();
    std::fs::write(dir.join("manifest.json"), lying_manifest(&json)).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_shuangquan"))
        .arg("check")
        .arg(&dir)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    for needle in [
        "error: streets.osm.pbf: manifest says",
        "error: manifest.json: layers[2] (crs)",
        "error: manifest.json: layers[3] (kind)",
        "error: facilities.geojson: the file of this layer is missing",
        "4 problems (4 errors) — loaded streets ",
    ] {
        assert!(stdout.contains(needle), "{needle:?} not in\n{stdout}");
    }
    std::fs::remove_dir_all(&dir).ok();
}
