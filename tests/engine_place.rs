//! The planner through the engine the web worker runs, on the Shanghai package: placement,
//! accepting sites into the scenario, the reused coverage matrix, the scenario figures used by
//! the side-by-side comparison, and the exported plan.
#![cfg(not(target_arch = "wasm32"))]
// Test helpers may unwrap: a missing fixture should fail loudly.
#![allow(clippy::unwrap_used)]

mod common;

use shuangquan::plan::coverage;
use shuangquan::plan::engine::{Engine, PlaceParams};
use shuangquan::plan::scenario::Site;

fn shanghai() -> Engine {
    common::load_engine("shanghai-central")
}

fn params(k: usize) -> PlaceParams {
    PlaceParams {
        k: Some(k),
        kicks: 10,
        ..PlaceParams::default()
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * a.abs().max(b.abs()).max(1.0)
}

#[test]
fn accepted_sites_become_stations_and_leave_the_candidates() {
    let mut e = shanghai();
    let a = e.place(&params(5), &mut |_, _| {}).unwrap();
    assert_eq!(a.chosen.len(), 5);
    assert!(a.plan.share_after > a.plan.share_before);
    // Newly covered points (s = 1) weigh what the gains add up to.
    let gj: serde_json::Value = serde_json::from_str(&a.demand_geojson).unwrap();
    let newly: Vec<f64> = gj["features"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["properties"]["s"] == 1)
        .map(|f| f["properties"]["w"].as_f64().unwrap())
        .collect();
    let gains: f64 = a.plan.marginal_gains.iter().sum();
    // `w` is written to 0.1 people: at most 0.05 off per point.
    let sum: f64 = newly.iter().sum();
    assert!(
        (sum - gains).abs() <= 0.05 * newly.len() as f64 + 1e-6,
        "{sum} vs {gains}"
    );

    let accepted: Vec<Site> = a.chosen.iter().map(|c| c.site.clone()).collect();
    e.set_scenario(&accepted);
    let b = e.place(&params(5), &mut |_, _| {}).unwrap();
    assert!(
        !b.matrix_reused,
        "the stations changed: the matrix must be rebuilt"
    );
    assert_eq!(b.stations, a.stations + 5);
    assert_eq!(b.candidates, a.candidates - 5);
    assert!(
        b.chosen
            .iter()
            .all(|c| accepted.iter().all(|s| s.id != c.site.id)),
        "an accepted site was offered again"
    );
    // What the first plan covered is now covered before: nothing is counted twice.
    assert!(
        close(b.plan.share_before, a.plan.share_after),
        "{} vs {}",
        b.plan.share_before,
        a.plan.share_after
    );
}

#[test]
fn changing_only_k_reuses_the_matrix_and_matches_a_fresh_engine() {
    let mut e = shanghai();
    let first = e.place(&params(3), &mut |_, _| {}).unwrap();
    assert!(!first.matrix_reused);
    let mut calls = 0;
    let again = e.place(&params(8), &mut |_, _| calls += 1).unwrap();
    assert!(again.matrix_reused);
    assert_eq!(calls, 0, "no candidate search when the matrix is reused");
    let fresh = shanghai().place(&params(8), &mut |_, _| {}).unwrap();
    assert_eq!(again.plan, fresh.plan);
    // More budget never covers less.
    assert!(again.plan.covered_weight >= first.plan.covered_weight);
}

#[test]
fn station_share_of_the_scenario_agrees_with_the_placement() {
    let mut e = shanghai();
    let a = e.place(&params(6), &mut |_, _| {}).unwrap();
    let cov = coverage::Params::default();
    let before = e.scenario_figures(&[], &cov, &mut |_, _| {}).unwrap();
    let sites: Vec<Site> = a.chosen.iter().map(|c| c.site.clone()).collect();
    let after = e.scenario_figures(&sites, &cov, &mut |_, _| {}).unwrap();
    assert_eq!(after.stations, before.stations + 6);
    assert_eq!(after.added, 6);
    // The assessment (one multi-source reach from all stations) and the placement (one reach
    // per candidate) are different searches over the same network and threshold.
    assert!(
        close(before.employment_share, a.plan.share_before),
        "{} vs {}",
        before.employment_share,
        a.plan.share_before
    );
    assert!(
        close(after.employment_share, a.plan.share_after),
        "{} vs {}",
        after.employment_share,
        a.plan.share_after
    );
    assert!(after.dual_share >= before.dual_share);
}

#[test]
fn host_type_filter_map_points_and_the_exported_plan() {
    let mut engine = shanghai();
    let types = engine.host_types();
    assert!(types.len() >= 3, "{types:?}");
    let (bank, n_bank) = types[0].clone();
    let mut pp = params(4);
    pp.host_types = vec![bank.clone()];
    let a = engine.place(&pp, &mut |_, _| {}).unwrap();
    assert_eq!(a.candidates, n_bank);
    assert!(
        a.chosen
            .iter()
            .all(|c| c.site.host_type.as_deref() == Some(bank.as_str()))
    );

    // A point clicked on the map is a candidate too, and only it when layers are off.
    let mut pp = params(1);
    pp.use_layers = false;
    pp.extra = vec![Site {
        id: "click-1".to_owned(),
        name: "click-1".to_owned(),
        lon: a.chosen[0].site.lon,
        lat: a.chosen[0].site.lat,
        host_type: None,
    }];
    let b = engine.place(&pp, &mut |_, _| {}).unwrap();
    assert_eq!(b.candidates, 1);
    assert_eq!(b.chosen[0].site.id, "click-1");
    assert!(close(b.chosen[0].gain, a.chosen[0].gain));

    let plan: serde_json::Value = serde_json::from_str(&a.plan_json).unwrap();
    let ids: Vec<&str> = plan["chosen"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let want: Vec<&str> = a.chosen.iter().map(|c| c.site.id.as_str()).collect();
    assert_eq!(ids, want);
    assert!(close(
        plan["share_after"].as_f64().unwrap(),
        a.plan.share_after
    ));
    // The sites GeoJSON reads back as a scenario with the same sites.
    let f = shuangquan::plan::scenario::parse_file("plan.geojson", &a.plan_geojson).unwrap();
    let back: Vec<&str> = f.scenarios[0].sites.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(back, want);
}

#[test]
fn bad_parameters_are_named() {
    let mut e = shanghai();
    let mut p = params(3);
    p.minutes = f64::NAN;
    assert!(e.place(&p, &mut |_, _| {}).unwrap_err().contains("minutes"));
    let mut p = params(3);
    p.k = None;
    p.target_share = 1.5;
    assert!(e.place(&p, &mut |_, _| {}).unwrap_err().contains("share"));
    let mut p = params(3);
    p.host_types = vec!["no such type".to_owned()];
    assert!(
        e.place(&p, &mut |_, _| {})
            .unwrap_err()
            .contains("candidate")
    );
}

#[test]
fn certificate_capacities_and_closing_through_the_engine() {
    let mut eng = shanghai();
    // Every plan carries its certificate, and plan.json says the same.
    let plain = eng
        .place_within(&params(5), &mut |_, _| {}, &mut || false)
        .unwrap();
    assert!(plain.plan.upper_bound >= plain.plan.covered_weight);
    let v: serde_json::Value = serde_json::from_str(&plain.plan_json).unwrap();
    assert_eq!(v["gap"].as_f64(), Some(plain.plan.gap));
    assert_eq!(
        v["proven_optimal"].as_bool(),
        Some(plain.plan.proven_optimal)
    );
    // Capacities: no open station holds more than its capacity, over-capacity people are
    // covered but not served, and the certificate is in people served.
    let mut p = params(3);
    p.capacity = Some(5_000.0);
    let mut calls = 0;
    let capped = eng
        .place_within(&p, &mut |_, _| {}, &mut || {
            calls += 1;
            calls > 50
        })
        .unwrap();
    let cp = capped.capacity.as_ref().unwrap();
    assert_eq!(capped.chosen.len(), cp.chosen.len());
    assert!(cp.load.iter().all(|l| l.1 <= 5_000.0 + 1e-6));
    assert!(close(
        cp.covered_weight - cp.served_weight,
        cp.over_capacity_weight
    ));
    assert!(cp.served_weight <= cp.upper_bound + 1e-6);
    assert!(close(capped.plan.gap, cp.gap));
    let v: serde_json::Value = serde_json::from_str(&capped.plan_json).unwrap();
    assert_eq!(v["mode"], "mclp_capacitated");
    // Closing allowed: never covers less than keeping every station with the same k.
    let mut p = params(3);
    p.allow_close = true;
    let closing = eng
        .place_within(&p, &mut |_, _| {}, &mut || {
            calls += 1;
            calls > 100
        })
        .unwrap();
    let kept = eng.place(&params(3), &mut |_, _| {}).unwrap();
    assert!(closing.plan.covered_weight >= kept.plan.covered_weight - 1e-6);
    // Open stations after the plan: at most as many as before plus k.
    assert!(closing.stations - closing.closed.len() + closing.chosen.len() <= closing.stations + 3);
    // Bad input: plain negative capacity, plain time limit of 0, k above the candidates.
    let mut p = params(3);
    p.capacity = Some(-1.0);
    assert!(
        eng.place(&p, &mut |_, _| {})
            .unwrap_err()
            .contains("capacity -1")
    );
    let mut p = params(3);
    p.time_limit_s = 0.0;
    assert!(
        eng.place(&p, &mut |_, _| {})
            .unwrap_err()
            .contains("time limit 0")
    );
    let count = plain.candidates;
    let p = params(count + 1);
    assert!(eng.place(&p, &mut |_, _| {}).unwrap_err().contains("only"));
}
