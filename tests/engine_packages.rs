//! The default packages load through the same engine the web worker runs: every layer file
//! written by `shuangquan package` is read back by the importers with no loss and no problem,
//! and isochrones come out nested (network) or labelled as estimates (no network).
#![cfg(not(target_arch = "wasm32"))]
// Test helpers may unwrap: a missing fixture should fail loudly. Populations are whole numbers,
// exact in f64: equality is the right test.
#![allow(clippy::unwrap_used, clippy::float_cmp)]

mod common;

use shuangquan::plan::engine::Engine;
use shuangquan::plan::package::{LayerKind as K, Manifest, Network, Status};

fn package(id: &str) -> (String, Vec<(String, Vec<u8>)>, Manifest) {
    common::package_files(id)
}

/// The ids of `static/data/index.json`, in order (the first is what a first visit opens).
fn index_ids() -> Vec<String> {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("static/data");
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("index.json")).unwrap()).unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn every_default_package_round_trips_without_loss_or_problem() {
    let ids = index_ids();
    for id in ["shanghai-central", "qingdao", "helsinki"] {
        assert!(ids.iter().any(|i| i == id), "{id} in index.json");
    }
    for id in &ids {
        let id = id.as_str();
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
    assert!(e.load::<String>("broken", "{not json", &[]).is_err());
    assert_eq!(e.package_id(), "helsinki");
    assert_eq!(
        e.graph()
            .map(shuangquan::plan::graph::WalkGraph::node_count),
        Some(nodes)
    );
}

/// A source CSV of the Qingdao package, parsed independently of the builder.
fn source_rows(name: &str) -> Vec<Vec<String>> {
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("data/sources/qingdao")
        .join(name);
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| l.split(',').map(str::to_owned).collect())
        .collect()
}

fn features(bytes: &[u8]) -> Vec<serde_json::Value> {
    let v: serde_json::Value = serde_json::from_slice(bytes).unwrap();
    v["features"].as_array().unwrap().clone()
}

#[test]
fn qingdao_is_the_whole_city_with_every_source_and_status() {
    let (_, files, manifest) = package("qingdao");
    let layer = |id: &str| {
        let l = manifest.layers.iter().find(|l| l.id == id).unwrap();
        assert!(!l.source.is_empty() && !l.method.is_empty(), "{id}");
        let text = &files.iter().find(|(i, _)| i == id).unwrap().1;
        (l.status, features(text))
    };
    let census: std::collections::BTreeMap<String, f64> =
        source_rows("qingdao_population_facts.csv")
            .into_iter()
            .filter(|r| !r[0].contains("aged"))
            .map(|r| (r[1].clone(), r[2].parse().unwrap()))
            .collect();
    // The city and its 10 districts, with their census totals (real).
    let (status, districts) = layer("districts");
    assert_eq!(status, Status::Real);
    let code = |f: &serde_json::Value| f["properties"]["code"].as_str().unwrap().to_owned();
    let pop = |f: &serde_json::Value| f["properties"]["population"].as_f64().unwrap();
    assert_eq!(districts.len(), 11);
    let district_codes: Vec<String> = districts
        .iter()
        .map(code)
        .filter(|c| c != "370200")
        .collect();
    assert_eq!(district_codes.len(), 10);
    for d in &districts {
        assert_eq!(Some(&pop(d)), census.get(&code(d)), "{d}");
    }
    // Every division-list district is there (即墨区 by its 2023 code, not OSM's 370282).
    let division = source_rows("qingdao_division_2023.csv");
    let mut listed: Vec<&str> = division
        .iter()
        .filter(|r| r[0] == "county")
        .map(|r| r[1].as_str())
        .collect();
    let mut got: Vec<&str> = district_codes.iter().map(String::as_str).collect();
    listed.sort_unstable();
    got.sort_unstable();
    assert_eq!(got, listed);
    // 135 街道/镇 (estimate), each under a district, summing to its census total.
    let (status, subs) = layer("subdistricts");
    assert_eq!(status, Status::Estimate);
    assert_eq!(subs.len(), 135);
    for d in &district_codes {
        let sum: f64 = subs
            .iter()
            .filter(|s| s["properties"]["parent_code"].as_str() == Some(d.as_str()))
            .map(pop)
            .sum();
        assert_eq!(sum, census[d], "街道 of {d}");
        assert!(
            subs.iter()
                .any(|s| code(s).starts_with(d.as_str()) && code(s).len() == 9)
        );
    }
    // 2,120 communities, exactly the division list's, each once (estimate); their weights add
    // up to the city's census total.
    let (status, demand) = layer("demand");
    assert_eq!(status, Status::Estimate);
    let mut ids: Vec<&str> = demand
        .iter()
        .map(|f| f["properties"]["id"].as_str().unwrap())
        .collect();
    let mut villages: Vec<&str> = division
        .iter()
        .filter(|r| r[0] == "village")
        .map(|r| r[1].as_str())
        .collect();
    ids.sort_unstable();
    villages.sort_unstable();
    assert_eq!(villages.len(), 2120);
    assert_eq!(ids, villages);
    let total: f64 = demand
        .iter()
        .map(|f| f["properties"]["weight"].as_f64().unwrap())
        .sum();
    assert_eq!(total, census["370200"]);
    // The city's age shares, from the census counts.
    let facts = source_rows("qingdao_population_facts.csv");
    let count = |tag: &str| {
        facts.iter().find(|r| r[0].ends_with(tag)).unwrap()[2]
            .parse::<f64>()
            .unwrap()
    };
    let a = manifest.age_shares.as_ref().unwrap();
    assert!(
        (a.aged_60_plus - count("aged 60+") / census["370200"]).abs() < 1e-6,
        "{a:?}"
    );
    assert!(
        (a.aged_0_14 - count("aged 0-14") / census["370200"]).abs() < 1e-6,
        "{a:?}"
    );
    assert_eq!(a.population, census["370200"]);
}

#[test]
fn chinese_packages_have_real_streets_with_footways_and_real_facilities() {
    let ids = index_ids();
    for id in ["nanjing-xinjiekou", "beijing-wudaokou", "beijing-xueyuanlu"] {
        assert!(ids.iter().any(|i| i == id), "{id} in index.json");
        let (_, files, manifest) = package(id);
        let status = |kind: K| {
            manifest
                .layers_of(kind)
                .map(|l| l.status)
                .collect::<Vec<_>>()
        };
        assert_eq!(status(K::Streets), [Status::Real], "{id}");
        assert_eq!(status(K::Facilities), [Status::Real], "{id}");
        for k in [K::Stations, K::Postings, K::Demand] {
            assert_eq!(status(k), [Status::Illustrative], "{id} {k:?}");
        }
        // The streets are stored as OSM PBF (the manifest says so).
        let layer = manifest.layers.iter().find(|l| l.id == "streets").unwrap();
        assert_eq!(
            layer.format(),
            shuangquan::plan::package::LayerFormat::OsmPbf,
            "{id}"
        );
        let streets = &files.iter().find(|(i, _)| i == "streets").unwrap().1;
        let footways = shuangquan::plan::osm::read(streets)
            .streets
            .iter()
            .filter(|s| s.highway.as_deref() == Some("footway"))
            .count();
        assert!(footways >= 50, "{id}: {footways} footways");
    }
    // The default (first) package is fully real where it can be: real streets and facilities.
    let (_, _, first) = package(&ids[0]);
    for kind in [K::Streets, K::Facilities] {
        assert!(
            first.layers_of(kind).all(|l| l.status == Status::Real),
            "{}",
            ids[0]
        );
    }
}

#[test]
fn every_shipped_layer_states_its_provenance_in_chinese_too() {
    // The data tab shows source, licence and method in the interface's language: a Chinese
    // planner must not meet an English sentence there.
    let has_han = |s: &str| s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    for id in index_ids() {
        let (_, _, manifest) = package(&id);
        for l in &manifest.layers {
            let [source, licence, method] = l.provenance(true);
            for (field, zh, en) in [
                ("source", source, &l.source),
                ("licence", licence, &l.licence),
                ("method", method, &l.method),
            ] {
                assert!(
                    l.source_zh.is_some() && l.licence_zh.is_some() && l.method_zh.is_some(),
                    "{id}/{}: every provenance field has its Chinese form",
                    l.id
                );
                // A field whose English is a sentence has Chinese words in its Chinese form.
                let sentence = en.split_whitespace().count() >= 3;
                assert!(
                    !sentence || has_han(zh),
                    "{id}/{} {field}: {zh:?} is not Chinese",
                    l.id
                );
            }
            assert_eq!(l.provenance(false), [&*l.source, &*l.licence, &*l.method]);
        }
    }
}

/// What the worker prepares while it waits (`Engine::prepare_step`: the snapping grid in
/// slices of edges, the demand points and the facilities in chunks, and the points' order
/// before each) takes as many steps as slices and chunks and then leaves nothing to do; a
/// coverage run after it, or in the middle of it, answers exactly as on an engine that
/// prepared nothing; and a coverage run keeps what the preparation looks for (nothing left
/// to prepare after it either), so the two agree on what is prepared.
#[test]
fn coverage_prepared_ahead_is_the_same_and_nothing_is_prepared_twice() {
    use shuangquan::plan::engine::{PREPARE_EDGES, PREPARE_POINTS};
    let (json, files, _) = package("shanghai-central");
    let (mut cold, mut warm, mut half) = (Engine::default(), Engine::default(), Engine::default());
    cold.load("shanghai-central", &json, &files).unwrap();
    warm.load("shanghai-central", &json, &files).unwrap();
    half.load("shanghai-central", &json, &files).unwrap();
    let edges = warm
        .graph()
        .map_or(0, shuangquan::plan::graph::WalkGraph::edge_count);
    let chunks = |n: usize| n.div_ceil(PREPARE_POINTS) + 1;
    let layers = warm.layers();
    let most = (3 * edges).div_ceil(PREPARE_EDGES)
        + 3
        + chunks(layers.demand.len())
        + chunks(layers.facilities.len());
    let mut steps = 0;
    while warm.prepare_step() {
        steps += 1;
        assert!(steps <= most, "more steps than slices and chunks ({most})");
    }
    assert!(steps >= 4, "{steps} steps");
    for _ in 0..steps / 2 {
        assert!(half.prepare_step());
    }
    let params = shuangquan::plan::coverage::Params::default();
    let b = warm.coverage(&params, &mut |_, _| {}).unwrap();
    assert!(!warm.prepare_step());
    let c = half.coverage(&params, &mut |_, _| {}).unwrap();
    assert!(
        !half.prepare_step(),
        "a coverage run goes on from the steps"
    );
    assert_eq!(b.report_csv, c.report_csv);
    assert_eq!(b.points_csv, c.points_csv);
    let a = cold.coverage(&params, &mut |_, _| {}).unwrap();
    assert!(
        !cold.prepare_step(),
        "a coverage run keeps what the preparation makes"
    );
    assert_eq!(a.report_csv, b.report_csv);
    assert_eq!(a.points_csv, b.points_csv);
    assert_eq!(a.units_geojson, b.units_geojson);
}
