//! A scenario's network in the session engine (what the web worker runs) on the real
//! `shanghai-central` package: an imported edits file that cannot be applied is refused with
//! typed problems by feature and field; a comparison side is computed on its own scenario's
//! network, equal to switching the engine to that network, without changing the network in use.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used)]

mod common;

use shuangquan::plan::coverage::Params;
use shuangquan::plan::engine::{EditIssueKind, EngineError};
use shuangquan::plan::geom::LonLat;
use shuangquan::plan::graph::{Compounds, NetworkEdit, NetworkEdits};

fn gate_file(lon: f64, lat: f64) -> String {
    format!(
        r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{"edit":"gate_open"}},"geometry":{{"type":"Point","coordinates":[{lon},{lat}]}}}}]}}"#
    )
}

#[test]
fn an_edit_two_km_from_the_network_is_named_with_its_distance_and_nothing_is_read() {
    let e = common::load_engine("shanghai-central");
    let g = e.graph().unwrap();
    // The northernmost street vertex; 0.018° further north is ≈ 2,001 m from every vertex.
    let north = g
        .nodes()
        .map(|n| g.node_wgs84(n))
        .max_by(|a, b| a.lat.total_cmp(&b.lat))
        .unwrap();
    let far = LonLat::new(north.lon, north.lat + 0.018);
    let expect_m = (far.lat - north.lat).to_radians() * 6_371_008.8;
    let err = e
        .read_edits("edits.geojson", gate_file(far.lon, far.lat).as_bytes())
        .unwrap_err();
    let EngineError::NetworkEdits { file, problems } = err else {
        panic!("{err:?}");
    };
    assert_eq!(file, "edits.geojson");
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].feature, Some(0));
    assert_eq!(problems[0].field, "geometry");
    match problems[0].kind {
        EditIssueKind::FarFromNetwork {
            distance_m,
            limit_m,
        } => {
            // The graph measures in its own local projection: within 0.5 % of the sphere.
            assert!(
                (distance_m - expect_m).abs() < expect_m * 0.005,
                "{distance_m} vs {expect_m}"
            );
            assert!((limit_m - 50.0).abs() < 1e-9);
        }
        ref k => panic!("{k:?}"),
    }
    // The same gate on a street vertex reads.
    let ok = e
        .read_edits("edits.geojson", gate_file(north.lon, north.lat).as_bytes())
        .unwrap();
    assert_eq!(ok.edits.len(), 1);
}

#[test]
fn a_comparison_side_uses_its_own_scenarios_network() {
    let mut e = common::load_engine("shanghai-central");
    let params = Params::default();
    let demand = e.layers().demand[0].pos_wgs84;
    let line = e.edge_line_at((demand.lon, demand.lat)).unwrap();
    let edits = NetworkEdits {
        crossing_delay_s: 30.0,
        edits: vec![NetworkEdit::Close {
            line_wgs84: line.iter().map(|&(x, y)| LonLat::new(x, y)).collect(),
        }],
    };
    let before = e.scenario_figures(&[], &params, &mut |_, _| {}).unwrap();
    assert_eq!(before.compounds, Compounds::Closed);
    assert_eq!(before.network_edits, 0);
    let side = e
        .scenario_figures_on(&[], Compounds::Open, &edits, &params)
        .unwrap();
    assert_eq!(side.compounds, Compounds::Open);
    assert_eq!(side.network_edits, 1);
    // The network in use did not change.
    let again = e.scenario_figures(&[], &params, &mut |_, _| {}).unwrap();
    assert_eq!(again, before);
    // The oracle: the engine switched to that network gives the same figures.
    e.switch_network(Compounds::Open, &edits).unwrap().unwrap();
    let mut switched = e.scenario_figures(&[], &params, &mut |_, _| {}).unwrap();
    switched.network_edits = 1;
    assert_eq!(switched, side);
    // And an empty scenario on the base network is the first figures again.
    let base = e
        .scenario_figures_on(&[], Compounds::Closed, &NetworkEdits::default(), &params)
        .unwrap();
    assert_eq!(base, before);
}

/// Closes every street of the package with a vertex 150–400 m from `home` (each way's line lies
/// along the network), leaving the home's own streets open.
fn ring_closures(home: LonLat) -> NetworkEdits {
    let (_, files, _) = common::package_files("shanghai-central");
    let bytes = &files.iter().find(|(id, _)| id == "streets").unwrap().1;
    let streets = shuangquan::plan::osm::read(bytes).streets;
    let metres = |c: &LonLat| {
        let dx = (c.lon - home.lon) * 111_320.0 * home.lat.to_radians().cos();
        let dy = (c.lat - home.lat) * 110_540.0;
        dx.hypot(dy)
    };
    let edits = streets
        .iter()
        .filter(|s| {
            s.coords_wgs84
                .iter()
                .any(|c| (150.0..400.0).contains(&metres(c)))
        })
        .map(|s| NetworkEdit::Close {
            line_wgs84: s.coords_wgs84.clone(),
        })
        .collect();
    NetworkEdits {
        edits,
        crossing_delay_s: 0.0,
    }
}

#[test]
fn every_analysis_walks_the_switched_network_and_switching_back_restores_it() {
    use shuangquan::plan::engine::PlaceParams;
    use shuangquan::plan::nearby::Query;
    let mut e = common::load_engine("shanghai-central");
    let home = (121.475_525, 31.231_635_6);
    let params = Params::default();
    let place = PlaceParams {
        k: Some(3),
        ..PlaceParams::default()
    };
    let run = |e: &mut shuangquan::plan::engine::Engine| {
        let iso = e.isochrone(home, &[5.0, 10.0, 15.0], 60.0).unwrap();
        let cov = e.coverage(&params, &mut |_, _| {}).unwrap();
        let near = e.nearby(home, &Query::default()).unwrap();
        let placed = e.place(&place, &mut |_, _| {}).unwrap();
        (
            iso.geojson,
            cov.points_csv,
            format!("{:?}", near.result.hits),
            placed.demand_geojson,
        )
    };
    let before = run(&mut e);
    let base: *const _ = e.graph().unwrap();
    let ring = ring_closures(LonLat::new(home.0, home.1));
    assert!(
        ring.edits.len() > 10,
        "{} streets in the ring",
        ring.edits.len()
    );
    e.switch_network(Compounds::Closed, &ring).unwrap().unwrap();
    let edited = run(&mut e);
    assert_ne!(edited.0, before.0, "isochrone");
    assert_ne!(edited.1, before.1, "coverage per-point times");
    assert_ne!(edited.2, before.2, "nearby postings");
    assert_ne!(edited.3, before.3, "placement");
    e.switch_network(Compounds::Closed, &NetworkEdits::default())
        .unwrap();
    assert_eq!(run(&mut e), before);
    // No edit and the package's own rules: the package's graph itself, not a copy (the page
    // asks this after every import).
    assert!(std::ptr::eq(e.graph().unwrap(), base));
    e.switch_network(Compounds::Open, &NetworkEdits::default())
        .unwrap();
    assert!(!std::ptr::eq(e.graph().unwrap(), base));
}

#[test]
fn demand_points_kept_between_questions_answer_as_a_fresh_engine() {
    use shuangquan::plan::engine::{Engine, PlaceParams};
    let home = LonLat::new(121.475_525, 31.231_635_6);
    let ring = ring_closures(home);
    let p15 = Params::default();
    let mut p10 = Params::default();
    p10.thresholds.default_minutes = 10.0;
    let place = PlaceParams {
        k: Some(3),
        kicks: 5,
        ..PlaceParams::default()
    };
    // Each question alone, on an engine that has asked nothing before.
    let fresh = |ring: Option<&NetworkEdits>| {
        let mut e = common::load_engine("shanghai-central");
        if let Some(r) = ring {
            e.switch_network(Compounds::Closed, r).unwrap().unwrap();
        }
        e
    };
    let coverage = |e: &mut Engine, p: &Params| e.coverage(p, &mut |_, _| {}).unwrap().points_csv;
    let placed = |e: &mut Engine| e.place(&place, &mut |_, _| {}).unwrap().plan_json;
    // One engine asking in turn: coverage, placement, coverage with another threshold, then
    // the same on a network with closed streets (the points kept for the first network must
    // not serve the second).
    let mut e = fresh(None);
    assert_eq!(coverage(&mut e, &p15), coverage(&mut fresh(None), &p15));
    assert_eq!(placed(&mut e), placed(&mut fresh(None)));
    assert_eq!(coverage(&mut e, &p10), coverage(&mut fresh(None), &p10));
    e.switch_network(Compounds::Closed, &ring).unwrap().unwrap();
    let edited = coverage(&mut e, &p15);
    assert_eq!(edited, coverage(&mut fresh(Some(&ring)), &p15));
    assert_ne!(
        edited,
        coverage(&mut fresh(None), &p15),
        "the closures change times"
    );
    assert_eq!(placed(&mut e), placed(&mut fresh(Some(&ring))));
    // Facilities imported: the facility snaps kept for the coverage runs must not serve.
    let csv = format!(
        "id,name,lon,lat,category\nnew1,new store,{},{},store\nnew2,new clinic,{},{},clinic\n",
        home.lon + 0.001,
        home.lat,
        home.lon,
        home.lat - 0.001
    );
    let mut f = fresh(Some(&ring));
    for x in [&mut e, &mut f] {
        x.import_bytes_as("more_facilities.csv", csv.clone().into_bytes(), None);
    }
    let more = coverage(&mut e, &p15);
    assert_eq!(more, coverage(&mut f, &p15));
    assert_ne!(more, edited, "the new facilities change times");
}
