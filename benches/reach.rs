//! Reach and isochrone benchmarks on the real central-Shanghai network (and Helsinki's
//! footway-rich one): single-source 15-minute reach, reach + polygon, 5/10/15 polygons, and the
//! all-nodes nearest-facility run from 200 seeded sources. Results are asserted, so a bench that
//! measures a broken computation fails instead of reporting a fast number.

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{Criterion, criterion_group, criterion_main};
use shuangquan::plan::geom::LonLat;
use shuangquan::plan::graph::{
    Budget, IsochroneOptions, NetworkEdit, NetworkEdits, NetworkRules, NodeId, Reach, Snap,
    SnapOptions, WalkGraph, WalkProfile,
};
use shuangquan::plan::osm;

fn graph(rel: &str) -> WalkGraph {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(rel);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    WalkGraph::build(&osm::read(&bytes).streets)
}

/// SplitMix64, for seeded source choices.
fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn single_source(c: &mut Criterion, name: &str, g: &WalkGraph, at: LonLat) {
    let src = g
        .snap(at, &SnapOptions::default())
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    let opts = IsochroneOptions::default();
    let mut reach = Reach::new(g);
    reach.run(g, &[src], WalkProfile::DEFAULT, Budget::Minutes(15.0));
    let reached = reach.reached_count();
    assert!(reached > 50, "{name}: only {reached} nodes in 15 min");
    assert!(reach.reached().all(|(_, s)| s <= 900.0 + 1e-9));

    c.bench_function(&format!("{name}/reach_15min"), |b| {
        b.iter(|| {
            reach.run(
                g,
                black_box(&[src]),
                WalkProfile::DEFAULT,
                Budget::Minutes(15.0),
            );
            assert_eq!(reach.reached_count(), reached);
        });
    });
    c.bench_function(&format!("{name}/reach_and_polygon_15min"), |b| {
        b.iter(|| {
            reach.run(
                g,
                black_box(&[src]),
                WalkProfile::DEFAULT,
                Budget::Minutes(15.0),
            );
            let iso = g
                .isochrones(&reach, &[15.0], &opts)
                .unwrap_or_else(|e| panic!("{e}"));
            assert!(!iso[0].polygon_wgs84.0.is_empty());
            black_box(iso)
        });
    });
    c.bench_function(&format!("{name}/reach_and_polygons_5_10_15"), |b| {
        b.iter(|| {
            reach.run(
                g,
                black_box(&[src]),
                WalkProfile::DEFAULT,
                Budget::Minutes(15.0),
            );
            let iso = g
                .isochrones(&reach, &[5.0, 10.0, 15.0], &opts)
                .unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(iso.len(), 3);
            black_box(iso)
        });
    });
}

fn nearest_facility(c: &mut Criterion, name: &str, g: &WalkGraph, k: usize) {
    let big = g
        .largest_component()
        .unwrap_or_else(|| panic!("{name}: empty"));
    let pool: Vec<NodeId> = g.nodes().filter(|&n| g.component_of(n) == big).collect();
    let mut state = 2024;
    let sources: Vec<Snap> = (0..k)
        .filter_map(|_| g.snap_node(pool[(splitmix(&mut state) % pool.len() as u64) as usize]))
        .collect();
    let mut reach = Reach::new(g);
    reach.run(g, &sources, WalkProfile::DEFAULT, Budget::Unbounded);
    assert_eq!(reach.reached_count(), pool.len());
    c.bench_function(&format!("{name}/nearest_of_{k}_all_nodes"), |b| {
        b.iter(|| {
            reach.run(
                g,
                black_box(&sources),
                WalkProfile::DEFAULT,
                Budget::Unbounded,
            );
            assert_eq!(reach.reached_count(), pool.len());
        });
    });
}

/// Two scenarios' network edits on a graph, from seeded nodes: (A) a new path between two
/// nodes ≈ 100–300 m apart and a closed street edge; (B) a closed gate at a junction, another
/// new path, and a 20 s crossing delay.
fn two_scenarios(g: &WalkGraph) -> (NetworkEdits, NetworkEdits) {
    let mut state = 7u64;
    let mut node = || NodeId((splitmix(&mut state) % g.node_count() as u64) as u32);
    let mut path = || loop {
        let (from, to) = (g.node_wgs84(node()), g.node_wgs84(node()));
        if (100.0..300.0).contains(&from.haversine_m(to)) {
            return NetworkEdit::AddPath {
                line_wgs84: vec![from, to],
            };
        }
    };
    let first = path();
    let second = path();
    let e = g.edge(shuangquan::plan::graph::EdgeId(17));
    let close = NetworkEdit::Close {
        line_wgs84: vec![g.node_wgs84(e.a), g.node_wgs84(e.b)],
    };
    let gate = NetworkEdit::GateClosed {
        at_wgs84: g.node_wgs84(e.b),
    };
    (
        NetworkEdits {
            edits: vec![first, close],
            crossing_delay_s: 0.0,
        },
        NetworkEdits {
            edits: vec![gate, second],
            crossing_delay_s: 20.0,
        },
    )
}

/// Switching between two scenarios with network edits: each switch applies one scenario's
/// edits to the package graph as an overlay (what `Engine::set_network` does).
fn scenario_switch(c: &mut Criterion) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("static/data/shanghai-central/streets.osm.pbf");
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let base = WalkGraph::build(&shuangquan::plan::osm::read(&bytes).streets);
    let (a, b) = two_scenarios(&base);
    let rules = NetworkRules::default();
    let (ga, ra) = base
        .with_edits("a", &a, rules)
        .unwrap_or_else(|e| panic!("{e}"));
    let (_, rb) = base
        .with_edits("b", &b, rules)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(ra.added_edges >= 1 && ra.removed_edges >= 1, "{ra:?}");
    assert!(rb.added_edges >= 1, "{rb:?}");
    assert!(ga.edge_count() > base.edge_count());
    let mut flip = false;
    c.bench_function("shanghai-central/scenario_switch", |bench| {
        bench.iter(|| {
            flip = !flip;
            let edits = if flip { &a } else { &b };
            let (g, _) = base
                .with_edits("s", black_box(edits), rules)
                .unwrap_or_else(|e| panic!("{e}"));
            assert!(g.edge_count() > base.edge_count());
            g
        });
    });
    // What `Engine::switch_network` also did on every switch until 2026-11-30: a deep copy of
    // the package's graph, kept only to word a possible error.
    c.bench_function("shanghai-central/graph_copy", |bench| {
        bench.iter(|| {
            let g = black_box(&base).clone();
            assert_eq!(g.edge_count(), base.edge_count());
            g
        });
    });
}

fn benches(c: &mut Criterion) {
    scenario_switch(c);
    let shanghai = graph("data/sources/shanghai/shanghai_center.osm");
    single_source(c, "shanghai", &shanghai, LonLat::new(121.4753, 31.2317));
    nearest_facility(c, "shanghai", &shanghai, 200);
    let helsinki = graph("data/sources/helsinki/Helsinki.osm.pbf");
    single_source(c, "helsinki", &helsinki, LonLat::new(24.9414, 60.1699));
    nearest_facility(c, "helsinki", &helsinki, 200);
}

criterion_group!(reach_benches, benches);
criterion_main!(reach_benches);
