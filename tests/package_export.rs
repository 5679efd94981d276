//! "Export package": a package loaded through the engine the web worker runs, a real OSM
//! extract and a stations CSV whose layer had to be chosen imported over it, then exported as
//! a package folder and a ZIP. `shuangquan check` must pass on the folder, every layer count
//! must be what was loaded (the package's plus the imports', counted from the engine's own
//! answers), and `unzip` (an independent reader) must give back the folder's bytes.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use shuangquan::plan::engine::{Engine, EngineError};
use shuangquan::plan::package::{LayerKind, Manifest, Network};

/// A stations file whose name and columns say nothing of its layer (issue 13's `s8_st.csv`).
const STATIONS_CSV: &str = "id,lon,lat,name\ns1,118.7840,32.0420,站一\ns2,118.7790,32.0450,站二\n";

fn temp_dir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("sq-export-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn check(dir: &Path) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_shuangquan"))
        .arg("check")
        .arg(dir)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap_or(-1), text)
}

#[test]
fn an_export_with_imports_passes_check_and_unzips_to_the_same_files() {
    let id = "nanjing-xinjiekou";
    let (json, files, _) = common::package_files(id);
    let mut e = Engine::default();
    assert_eq!(e.export_package(), Err(EngineError::NothingToExport));
    let summary = e.load(id, &json, &files).unwrap();
    let package_total: usize = summary.counts.iter().map(|(_, n)| n).sum();

    let osm_path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sources/nanjing/nanjing_xinjiekou.osm");
    let osm = e.import_file("nanjing_xinjiekou.osm", &std::fs::read(osm_path).unwrap());
    assert!(osm.network_rebuilt && osm.loaded > 0, "{:?}", osm.problems);

    // The layer cannot be told: nothing loads and the answer asks; with the layer, it loads.
    let asked = e.import_file_as("s8_st.csv", STATIONS_CSV.as_bytes(), None);
    assert!(asked.layer_unknown && asked.loaded == 0, "{asked:?}");
    let chosen = e.import_file_as(
        "s8_st.csv",
        STATIONS_CSV.as_bytes(),
        Some(LayerKind::Stations),
    );
    assert!(!chosen.layer_unknown);
    assert_eq!(chosen.layers.len(), 1);
    assert_eq!(
        (chosen.layers[0].0.as_str(), chosen.loaded),
        ("stations", 2)
    );

    let folder = e.export_package().unwrap();
    assert_eq!(folder.name, id);
    let dir = temp_dir("folder");
    let pkg = dir.join(&folder.name);
    std::fs::create_dir_all(&pkg).unwrap();
    for (name, bytes) in &folder.files {
        std::fs::write(pkg.join(name), bytes).unwrap();
    }
    let (code, out) = check(&pkg);
    assert_eq!(code, 0, "check failed on the export:\n{out}");

    // Every record is in the export once: the package's, the extract's and the two stations.
    let m = Manifest::parse(&std::fs::read(pkg.join("manifest.json")).unwrap()).unwrap();
    let exported: usize = m.layers.iter().map(|l| l.count.unwrap()).sum();
    assert_eq!(exported, package_total + osm.loaded + chosen.loaded);
    assert_eq!(m.network, Network::Streets);
    let st = m.layers.iter().find(|l| l.id == "s8_st-stations").unwrap();
    assert_eq!((st.kind, st.count), (LayerKind::Stations, Some(2)));
    assert!(st.source.contains("s8_st.csv"));
    let osm_streets = m
        .layers
        .iter()
        .find(|l| l.id == "nanjing_xinjiekou-streets")
        .unwrap();
    assert!(osm_streets.source.contains("OpenStreetMap"));
    assert!(m.notes.iter().any(|n| n.en.contains("s8_st.csv")));

    // The ZIP, read by an independent unzip, holds the same files under the package's folder.
    let zip_dir = temp_dir("zip");
    let zip_path = zip_dir.join("export.zip");
    std::fs::write(&zip_path, folder.zip().unwrap()).unwrap();
    let status = Command::new("unzip")
        .args(["-q", "-d"])
        .arg(&zip_dir)
        .arg(&zip_path)
        .status()
        .expect("unzip (Debian's unzip package) must be installed");
    assert!(status.success());
    for (name, bytes) in &folder.files {
        assert_eq!(
            &std::fs::read(zip_dir.join(id).join(name)).unwrap(),
            bytes,
            "{name}"
        );
    }
    let _ = std::fs::remove_dir_all(dir);
    let _ = std::fs::remove_dir_all(zip_dir);
}

/// The done-when list's bad OSM input, imported over a package: each is named, a truncated
/// file loads nothing, and a file with no walkable way does not claim to have rebuilt the
/// network; the package's network and layers are all still there.
#[test]
fn bad_osm_input_is_named_and_loses_nothing_already_loaded() {
    let id = "nanjing-xinjiekou";
    let (json, files, _) = common::package_files(id);
    let mut e = Engine::default();
    e.load(id, &json, &files).unwrap();
    let nodes = e.graph().unwrap().node_count();
    let streets = e.layers().streets.len();
    let read = |name: &str| {
        std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/osm-hostile")
                .join(name),
        )
        .unwrap()
    };
    let said = |a: &shuangquan::plan::engine::ImportAnswer, what: &str| {
        assert!(
            a.problems.iter().any(|p| p.to_string().contains(what)),
            "{}: no problem saying {what:?} in {:?}",
            a.file,
            a.problems
        );
    };
    let cut = e.import_file(
        "truncated-mid-blob.osm.pbf",
        &read("truncated-mid-blob.osm.pbf"),
    );
    said(&cut, "file ends inside the OSMData block");
    assert_eq!((cut.loaded, cut.network_rebuilt), (0, false));
    let none = e.import_file("no-walkable-ways.osm", &read("no-walkable-ways.osm"));
    said(&none, "no walkable street");
    assert!(
        !none.network_rebuilt,
        "no walkable way: the network is not rebuilt"
    );
    assert_eq!(e.graph().unwrap().node_count(), nodes);
    let missing = e.import_file("missing-nodes.osm", &read("missing-nodes.osm"));
    said(
        &missing,
        "way 11: 3 of 3 node references are not in the extract",
    );
    // What was loaded before is all still there (the bad files only add).
    assert!(e.graph().unwrap().node_count() >= nodes);
    assert!(e.layers().streets.len() >= streets);
    let folder = e.export_package().unwrap();
    assert!(folder.files.iter().any(|(f, _)| f == "streets.osm.pbf"));
}
