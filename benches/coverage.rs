//! Dual-circle coverage benchmarks on the `shanghai-central` package (real OSM streets, 1 348
//! demand points, 35 stations, 1 312 facilities in 12 categories). The package is loaded once
//! with `Engine::load`, as the app and tests/coverage.rs do; loading, parsing and building the
//! walk graph are outside every timed part.
//!
//! - `all`: `coverage::compute` with the station and every category present (13 bounded reaches
//!   at 15 min × horizon factor 2 = 30 min), every demand point probed, plus snapping of demand
//!   points and facilities onto the edges and the aggregation to units, gaps and model circles;
//! - `station_base6`: the same with only the station and the six base categories (7 reaches),
//!   the computation the benchmark names;
//! - `reaches_base6`: only the 7 multi-source reaches and the per-point probes of
//!   `station_base6`, with demand points and sources snapped beforehand: the part that
//!   `bench/compare_coverage.py` does with networkx;
//! - `aggregation`: `compute` without a graph and without stations or facilities, i.e. the
//!   aggregation to community/街道/district, gap list and model ranking (plus a trivial
//!   straight-line pass with no targets).
//!
//! Results are asserted (the timed run must reproduce the untimed one), so a bench that measures a
//! broken computation fails instead of reporting a fast number.

// Exact float equality is intended: the computation is deterministic.
#![allow(clippy::expect_used, clippy::float_cmp)]

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{Criterion, criterion_group, criterion_main};
use shuangquan::plan::coverage::{self, Coverage, Inputs, Params};
use shuangquan::plan::engine::Engine;
use shuangquan::plan::geom::LonLat;
use shuangquan::plan::graph::{Budget, Reach, Snap, WalkGraph, WalkProfile};
use shuangquan::plan::model::{Category, Facility};
use shuangquan::plan::package::Manifest;

fn load(id: &str) -> Engine {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("static/data")
        .join(id);
    let json = std::fs::read_to_string(dir.join("manifest.json"))
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    let manifest = Manifest::parse(json.as_bytes()).unwrap_or_else(|e| panic!("{id}: {e:?}"));
    let files: Vec<(String, Vec<u8>)> = manifest
        .layers
        .iter()
        .map(|l| {
            let p = dir.join(&l.file);
            let bytes = std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            (l.id.clone(), bytes)
        })
        .collect();
    let mut e = Engine::default();
    e.load(id, &json, &files)
        .unwrap_or_else(|e| panic!("{id}: {e:?}"));
    e
}

fn compute(graph: Option<&WalkGraph>, inputs: Inputs<'_>, params: &Params) -> Coverage {
    coverage::compute(graph, inputs, params, &mut |_, _| {}).unwrap_or_else(|e| panic!("{e}"))
}

/// The figures a timed run must reproduce: per-point times and the city shares.
fn fingerprint(c: &Coverage) -> (usize, f64, f64, Vec<f64>) {
    let city = c.city();
    let reached = c
        .points
        .iter()
        .flat_map(|p| std::iter::once(p.station_s).chain(p.category_s.iter().copied()))
        .flatten()
        .count();
    (
        reached,
        city.dual_share,
        city.employment_share,
        city.category_share.clone(),
    )
}

fn benches(c: &mut Criterion) {
    let engine = load("shanghai-central");
    let g = engine
        .graph()
        .expect("shanghai-central has a street network");
    let d = engine.layers();
    let params = Params::default();
    let stations: Vec<LonLat> = d.stations.iter().map(|s| s.pos_wgs84).collect();
    let postings: Vec<LonLat> = d.postings.iter().map(|p| p.pos_wgs84).collect();
    let base6: Vec<Facility> = d
        .facilities
        .iter()
        .filter(|f| f.category.is_base())
        .cloned()
        .collect();
    let all_inputs = Inputs {
        demand: &d.demand,
        stations: &stations,
        facilities: &d.facilities,
        communities: &d.communities,
        postings: &postings,
    };
    let base_inputs = Inputs {
        facilities: &base6,
        ..all_inputs
    };

    let mut group = c.benchmark_group("coverage/shanghai-central");
    group.sample_size(20);

    let all = compute(Some(g), all_inputs, &params);
    assert_eq!(all.points.len(), d.demand.len());
    assert_eq!(all.categories.len(), Category::ALL.len());
    let city = all.city();
    assert!(city.population > 0.0);
    assert!(city.employment_share > 0.2 && city.dual_share > 0.0);
    let expect_all = fingerprint(&all);
    group.bench_function("all", |b| {
        b.iter(|| {
            let cov = compute(Some(g), black_box(all_inputs), &params);
            assert_eq!(fingerprint(&cov), expect_all);
            cov
        });
    });

    let base = compute(Some(g), base_inputs, &params);
    assert_eq!(base.categories, Category::BASE_SIX);
    assert_eq!(base.city().dual_share, all.city().dual_share);
    let expect_base = fingerprint(&base);
    group.bench_function("station_base6", |b| {
        b.iter(|| {
            let cov = compute(Some(g), black_box(base_inputs), &params);
            assert_eq!(fingerprint(&cov), expect_base);
            cov
        });
    });

    // The searches alone: sources and demand points snapped once, outside the timed part.
    let profile = WalkProfile::with_speed(params.speed_m_per_min);
    let snap = |p: LonLat| g.snap(p, &params.snap).ok();
    let demand: Vec<Option<Snap>> = d.demand.iter().map(|p| snap(p.pos_wgs84)).collect();
    let mut targets: Vec<(f64, Vec<Snap>)> = vec![(
        params.thresholds.station(),
        stations.iter().filter_map(|p| snap(*p)).collect(),
    )];
    for cat in Category::BASE_SIX {
        let snaps = base6
            .iter()
            .filter(|f| f.category == cat)
            .filter_map(|f| snap(f.pos_wgs84))
            .collect();
        targets.push((params.thresholds.category(cat), snaps));
    }
    let mut reach = Reach::new(g);
    let mut times = vec![vec![None; targets.len()]; demand.len()];
    let mut searches = |times: &mut Vec<Vec<Option<f64>>>| {
        for (k, (minutes, sources)) in targets.iter().enumerate() {
            reach.run(
                g,
                sources,
                profile,
                Budget::Minutes(minutes * params.horizon_factor),
            );
            for (i, s) in demand.iter().enumerate() {
                times[i][k] = s
                    .as_ref()
                    .and_then(|s| reach.probe(g, s))
                    .map(|t| t.seconds);
            }
        }
    };
    searches(&mut times);
    for (t, p) in times.iter().zip(&base.points) {
        assert_eq!(t[0], p.station_s);
        assert_eq!(&t[1..], &p.category_s[..]);
    }
    group.bench_function("reaches_base6", |b| {
        b.iter(|| {
            searches(&mut times);
            black_box(&times);
        });
    });

    let no_targets = Inputs {
        stations: &[],
        facilities: &[],
        ..all_inputs
    };
    let agg = compute(None, no_targets, &params);
    assert_eq!(agg.units.len(), all.units.len());
    assert_eq!(agg.city().population, all.city().population);
    group.bench_function("aggregation", |b| {
        b.iter(|| {
            let cov = compute(None, black_box(no_targets), &params);
            assert_eq!(cov.units.len(), agg.units.len());
            cov
        });
    });
    group.finish();
}

criterion_group!(coverage_benches, benches);
criterion_main!(coverage_benches);
