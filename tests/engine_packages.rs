//! The default packages load through the same engine the web worker runs: every layer file
//! written by `shuangquan package` is read back by the importers with no loss and no problem,
//! and isochrones come out nested (network) or labelled as estimates (no network).
#![cfg(not(target_arch = "wasm32"))]
// Test helpers may unwrap: a missing fixture should fail loudly.
#![allow(clippy::unwrap_used)]

mod common;

use shuangquan::plan::engine::Engine;
use shuangquan::plan::package::{Manifest, Network, Status};

fn package(id: &str) -> (String, Vec<(String, String)>, Manifest) {
    common::package_files(id)
}

#[test]
fn every_default_package_round_trips_without_loss_or_problem() {
    for id in ["shanghai-central", "qingdao", "helsinki"] {
        let (json, files, manifest) = package(id);
        let mut e = Engine::default();
        let s = e.load(id, &json, &files).unwrap();
        assert!(
            s.problems.is_empty(),
            "{id}: {:?}",
            &s.problems[..s.problems.len().min(5)]
        );
        for l in &manifest.layers {
            let loaded = s.counts.iter().find(|(k, _)| k == &l.id).map(|(_, n)| *n);
            assert_eq!(loaded, l.count, "{id}/{}", l.id);
            assert!(l.count.unwrap_or(0) > 0, "{id}/{} is empty", l.id);
        }
        assert_eq!(manifest.network == Network::Streets, s.nodes > 0, "{id}");
        // Labels: OSM-derived layers say ODbL; illustrative layers say so.
        for l in &manifest.layers {
            if l.status == Status::Illustrative {
                assert!(l.method.contains("illustrative"), "{id}/{}", l.id);
            }
            if l.source.contains("OSM") || l.source.contains("OpenStreetMap") {
                assert!(l.licence.contains("ODbL"), "{id}/{}", l.id);
            }
        }
    }
}

#[test]
fn shanghai_isochrones_are_nested_and_grow_with_the_budget() {
    let (json, files, manifest) = package("shanghai-central");
    let mut e = Engine::default();
    e.load("shanghai-central", &json, &files).unwrap();
    let [lon, lat] = manifest.center_wgs84;
    let a = e.isochrone((lon, lat), &[5.0, 10.0, 15.0], 60.0).unwrap();
    assert!(!a.estimate && a.off_network_m.is_none());
    assert_eq!(a.bands.len(), 3);
    assert!(a.bands[0].area_km2 > 0.0);
    assert!(
        a.bands.windows(2).all(|w| w[0].area_km2 < w[1].area_km2),
        "{:?}",
        a.bands
    );
    // A 15-minute walk (900 m) cannot cover more than the 900 m disc plus the 40 m buffer.
    let disc = std::f64::consts::PI * 0.94_f64.powi(2);
    assert!(a.bands[2].area_km2 < disc, "{:?}", a.bands);
    let v: serde_json::Value = serde_json::from_str(&a.geojson).unwrap();
    let minutes: Vec<f64> = v["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["properties"]["minutes"].as_f64().unwrap())
        .collect();
    assert_eq!(minutes, vec![15.0, 10.0, 5.0], "largest first, for drawing");
    // Slower walkers reach less.
    let slow = e.isochrone((lon, lat), &[15.0], 45.0).unwrap();
    assert!(slow.bands[0].area_km2 < a.bands[2].area_km2);
    // Far out at sea: off the network, reported, nothing drawn.
    let off = e.isochrone((122.2, 31.0), &[15.0], 60.0).unwrap();
    assert!(off.off_network_m.unwrap() > 300.0);
    assert!(off.bands.is_empty());
    // Garbage in: clear errors, no panic.
    assert!(e.isochrone((f64::NAN, 31.0), &[15.0], 60.0).is_err());
    assert!(e.isochrone((lon, lat), &[15.0], 0.0).is_err());
}

#[test]
fn qingdao_has_no_network_so_circles_are_labelled_estimates() {
    let (json, files, manifest) = package("qingdao");
    let mut e = Engine::default();
    let s = e.load("qingdao", &json, &files).unwrap();
    assert_eq!(s.nodes, 0);
    let [lon, lat] = manifest.center_wgs84;
    let a = e.isochrone((lon, lat), &[15.0], 60.0).unwrap();
    assert!(a.estimate);
    assert!(a.geojson.contains("straight_line_estimate"));
    // radius = 900 m / 1.3
    let r_km = 0.9 / 1.3;
    let expected = std::f64::consts::PI * r_km * r_km;
    assert!(
        (a.bands[0].area_km2 - expected).abs() / expected < 0.02,
        "{:?}",
        a.bands
    );
}

#[test]
fn a_bad_manifest_keeps_what_was_loaded() {
    let (json, files, _) = package("helsinki");
    let mut e = Engine::default();
    e.load("helsinki", &json, &files).unwrap();
    let nodes = e
        .graph()
        .map(shuangquan::plan::graph::WalkGraph::node_count)
        .unwrap();
    assert!(e.load("broken", "{not json", &[]).is_err());
    assert_eq!(e.package_id(), "helsinki");
    assert_eq!(
        e.graph()
            .map(shuangquan::plan::graph::WalkGraph::node_count),
        Some(nodes)
    );
}
