//! Placement benchmarks on the real central-Shanghai package (1,348 demand points, 623
//! candidate sites, 35 existing stations kept, 15-minute walk): building the coverage matrix
//! (one bounded reach per candidate), and solving MCLP for k = 5, 20, 50 (lazy greedy, swaps
//! and kicks; and without kicks; both with the root Lagrangian bound of every plan), LSCP for
//! a 90 % target (with its lower bound on the sites), and capacitated placement (k = 5,
//! 20,000 people per station, the existing stations open, a budget of 2,000 clock checks). Results are asserted, so a bench
//! that measures a broken computation fails instead of reporting a fast number.

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{Criterion, criterion_group, criterion_main};
use shuangquan::plan::geom::LonLat;
use shuangquan::plan::graph::WalkGraph;
use shuangquan::plan::import::{self, Options};
use shuangquan::plan::place::{
    CoverOptions, CoverSets, MclpOptions, capacitated, cover_sets, cover_sets_closable, lscp, mclp,
    mclp_with,
};

fn file(name: &str) -> (String, Vec<u8>) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("static/data/shanghai-central")
        .join(name);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    (path.to_string_lossy().into_owned(), bytes)
}

/// `cover_sets` or `cover_sets_closable`.
type Builder = fn(
    Option<&WalkGraph>,
    &[(LonLat, f64)],
    &[LonLat],
    &[LonLat],
    &CoverOptions,
    &mut dyn FnMut(usize, usize),
) -> CoverSets;

fn bench(c: &mut Criterion) {
    let o = Options::default();
    let (_, b) = file("streets.osm.pbf");
    let graph = WalkGraph::build(&shuangquan::plan::osm::read(&b).streets);
    let (f, b) = file("demand.geojson");
    let demand: Vec<(LonLat, f64)> = import::import_demand(&f, &b, &o)
        .items
        .iter()
        .map(|d| (d.pos_wgs84, d.weight))
        .collect();
    let (f, b) = file("candidates.geojson");
    let cands: Vec<LonLat> = import::import_candidates(&f, &b, &o)
        .items
        .iter()
        .map(|c| c.pos_wgs84)
        .collect();
    let (f, b) = file("stations.geojson");
    let stations: Vec<LonLat> = import::import_stations(&f, &b, &o)
        .items
        .iter()
        .map(|s| s.pos_wgs84)
        .collect();
    let opts = CoverOptions::default();
    // The stations kept (`cover_sets`) or as sites (`cover_sets_closable`): same arguments.
    let build_with = |f: Builder| {
        f(
            Some(&graph),
            &demand,
            &cands,
            &stations,
            &opts,
            &mut |_, _| {},
        )
    };
    let build = || build_with(cover_sets);
    let sets = build();
    let pairs: usize = sets.covers.iter().map(Vec::len).sum();
    assert!(pairs > 10_000, "{pairs} coverage pairs");

    c.bench_function("shanghai/cover_sets_623x1348_15min", |b| {
        b.iter(|| assert_eq!(black_box(build()).covers.len(), 623));
    });
    for k in [5usize, 20, 50] {
        let first = mclp(&sets, k);
        assert!(first.covered_weight > sets.fixed_weight());
        assert!(first.upper_bound >= first.covered_weight);
        let expect = first.chosen;
        c.bench_function(&format!("shanghai/mclp_k{k}"), |b| {
            b.iter(|| assert_eq!(mclp(black_box(&sets), k).chosen, expect));
        });
        let no_kicks = MclpOptions {
            kicks: 0,
            ..MclpOptions::default()
        };
        c.bench_function(&format!("shanghai/mclp_k{k}_no_kicks"), |b| {
            b.iter(|| assert_eq!(mclp_with(black_box(&sets), k, &no_kicks).chosen.len(), k));
        });
    }
    c.bench_function("shanghai/lscp_90pct", |b| {
        b.iter(|| assert_eq!(lscp(black_box(&sets), 0.9).target_met, Some(true)));
    });
    let open = build_with(cover_sets_closable);
    let caps = vec![20_000.0; open.candidate_len()];
    let run = |sets| {
        let mut checks = 0;
        capacitated(sets, &caps, 5, false, &mut || {
            checks += 1;
            checks > 2_000
        })
    };
    let served = run(&open).map(|p| p.served_weight).ok();
    assert!(served.is_some_and(|s| s > 0.0));
    c.bench_function("shanghai/capacitated_k5", |b| {
        b.iter(|| assert_eq!(run(black_box(&open)).map(|p| p.served_weight).ok(), served));
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench
}
criterion_main!(benches);
