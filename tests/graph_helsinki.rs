//! The real Helsinki network (`data/sources/helsinki`, OSM PBF): the PBF reader, the walk graph,
//! and reach times checked against an independent brute-force O(V²) Dijkstra; isochrones
//! checked against the reached vertices and against each other.
#![allow(clippy::many_single_char_names)] // short names for geometry in tests

use std::path::PathBuf;

use geo::{Contains, Relate};
use shuangquan::plan::geom::LonLat;
use shuangquan::plan::graph::{
    Budget, Compounds, EdgeId, IsochroneOptions, NetworkRules, NodeId, Reach, Snap, SnapOptions,
    WalkGraph, WalkProfile,
};
use shuangquan::plan::model::Category;
use shuangquan::plan::osm::{self, OsmData, OsmProblem};

/// The walk graph with compounds open: every kept way is walked by everyone, as the
/// reference Dijkstra below assumes (the compound rule has its own tests in `graph_edits.rs`).
fn open_graph(streets: &[shuangquan::plan::model::Street]) -> WalkGraph {
    let mut g = WalkGraph::build(streets);
    g.set_rules(NetworkRules {
        compounds: Compounds::Open,
        ..NetworkRules::default()
    });
    g
}

fn data() -> OsmData {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/sources/helsinki/Helsinki.osm.pbf");
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    osm::read(&bytes)
}

/// Brute-force Dijkstra: O(V²) array scan, from initial distances, over `(a, b, len)` edges
/// (optionally skipping some). Unbounded.
fn reference(g: &WalkGraph, init: &[(NodeId, f64)], skip: impl Fn(EdgeId) -> bool) -> Vec<f64> {
    let n = g.node_count();
    let mut adj: Vec<Vec<(usize, f64)>> = vec![Vec::new(); n];
    for (i, e) in g.edges().iter().enumerate() {
        if skip(EdgeId(i as u32)) {
            continue;
        }
        adj[e.a.0 as usize].push((e.b.0 as usize, e.length_m));
        adj[e.b.0 as usize].push((e.a.0 as usize, e.length_m));
    }
    let mut dist = vec![f64::INFINITY; n];
    for &(v, d) in init {
        dist[v.0 as usize] = dist[v.0 as usize].min(d);
    }
    let mut done = vec![false; n];
    loop {
        let mut u = usize::MAX;
        for v in 0..n {
            if !done[v] && dist[v].is_finite() && (u == usize::MAX || dist[v] < dist[u]) {
                u = v;
            }
        }
        if u == usize::MAX {
            break;
        }
        done[u] = true;
        for &(v, w) in &adj[u] {
            if dist[u] + w < dist[v] {
                dist[v] = dist[u] + w;
            }
        }
    }
    dist
}

fn seeds(g: &WalkGraph, snaps: &[Snap]) -> Vec<(NodeId, f64)> {
    snaps
        .iter()
        .flat_map(|s| {
            let e = g.edge(s.edge);
            [
                (e.a, s.off_network_m + s.from_start_m),
                (e.b, s.off_network_m + s.to_end_m),
            ]
        })
        .collect()
}

/// Deterministic pseudo-random numbers in [0, 1).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn random_points(g: &WalkGraph, k: usize, seed: u64) -> Vec<LonLat> {
    let (mut lo, mut hi) = (LonLat::new(180.0, 90.0), LonLat::new(-180.0, -90.0));
    for n in g.nodes() {
        let p = g.node_wgs84(n);
        lo = LonLat::new(lo.lon.min(p.lon), lo.lat.min(p.lat));
        hi = LonLat::new(hi.lon.max(p.lon), hi.lat.max(p.lat));
    }
    let mut r = Lcg(seed);
    (0..k)
        .map(|_| {
            LonLat::new(
                lo.lon + r.next() * (hi.lon - lo.lon),
                lo.lat + r.next() * (hi.lat - lo.lat),
            )
        })
        .collect()
}

#[test]
fn pbf_reader_finds_streets_and_facilities() {
    let d = data();
    assert!(d.stats.nodes > 20_000, "{:?}", d.stats);
    assert!(
        d.stats.ways > 4_000 && d.stats.relations > 100,
        "{:?}",
        d.stats
    );
    assert!(
        (2_000..3_500).contains(&d.stats.highway_ways),
        "{:?}",
        d.stats
    );
    // Every street vertex is a real position in central Helsinki.
    for s in &d.streets {
        assert!(s.coords_wgs84.len() >= 2);
        for p in &s.coords_wgs84 {
            assert!(
                (24.8..25.1).contains(&p.lon) && (60.1..60.3).contains(&p.lat),
                "{p:?}"
            );
        }
    }
    for c in [
        Category::Store,
        Category::Pharmacy,
        Category::Repair,
        Category::Clinic,
    ] {
        assert!(d.facilities.iter().any(|f| f.category == c), "{c:?}");
    }
    // The extract is clipped: only missing-node references are reported.
    assert!(
        d.problems
            .iter()
            .all(|p| matches!(p, OsmProblem::MissingNodes { .. })),
        "{:?}",
        d.problems.first()
    );
}

#[test]
fn graph_lengths_match_haversine() {
    let g = open_graph(&data().streets);
    // The data README measured ≈ 3,626 nodes / 4,922 edges / 98.9 km with another tool's
    // walk filter; ours must be of that size.
    assert!(
        (3_000..4_200).contains(&g.node_count()),
        "{}",
        g.node_count()
    );
    assert!(
        (4_300..5_600).contains(&g.edge_count()),
        "{}",
        g.edge_count()
    );
    let km = g.total_length_m() / 1000.0;
    assert!((90.0..110.0).contains(&km), "{km}");
    let big = f64::from(g.component_sizes()[g.largest_component().unwrap() as usize]);
    assert!(big / g.node_count() as f64 > 0.95);
    let proj = g.projection();
    for e in 0..g.edge_count() as u32 {
        let geom = g.edge_geometry(EdgeId(e));
        let hav: f64 = geom
            .windows(2)
            .map(|w| proj.unproject(w[0]).haversine_m(proj.unproject(w[1])))
            .sum();
        let len = g.edge(EdgeId(e)).length_m;
        assert!(
            (len - hav).abs() <= 0.005 * hav + 1e-6,
            "edge {e}: {len} vs {hav}"
        );
    }
}

#[test]
fn reach_times_equal_reference_dijkstra() {
    let g = open_graph(&data().streets);
    let o = SnapOptions::default();
    let mut reach = Reach::new(&g);
    let mut checked = 0;
    for (k, p) in random_points(&g, 12, 42).into_iter().enumerate() {
        let Ok(s) = g.snap(p, &o) else { continue };
        let profile = if k % 3 == 0 {
            WalkProfile::ELDERLY
        } else {
            WalkProfile::DEFAULT
        };
        reach.run(&g, &[s], profile, Budget::Minutes(15.0));
        let reference = reference(&g, &seeds(&g, &[s]), |_| false);
        let limit = 15.0 * profile.speed_m_per_min;
        for n in g.nodes() {
            let want = reference[n.0 as usize];
            match reach.node_metres(n) {
                Some(m) => {
                    assert!(
                        (m - want).abs() < f32_tolerance(want),
                        "{n:?}: {m} vs {want}"
                    );
                    let secs = reach.node_seconds(n).unwrap();
                    assert!((secs - want / profile.speed_m_per_min * 60.0).abs() < 0.5);
                }
                None => assert!(want > limit, "{n:?} unreached but {want} m"),
            }
        }
        checked += 1;
    }
    assert!(checked >= 8);
}

#[test]
fn nearest_store_times_equal_reference() {
    let d = data();
    let g = open_graph(&d.streets);
    let snaps: Vec<Snap> = d
        .facilities
        .iter()
        .filter(|f| f.category == Category::Store)
        .filter_map(|f| g.snap(f.pos_wgs84, &SnapOptions::default()).ok())
        .collect();
    assert!(snaps.len() >= 10);
    let r = g.reach(&snaps, WalkProfile::DEFAULT, Budget::Unbounded);
    let reference = reference(&g, &seeds(&g, &snaps), |_| false);
    let single: Vec<Vec<f64>> = snaps
        .iter()
        .map(|s| self::reference(&g, &seeds(&g, &[*s]), |_| false))
        .collect();
    for n in g.nodes() {
        let want = reference[n.0 as usize];
        match r.node_metres(n) {
            Some(m) => {
                assert!((m - want).abs() < f32_tolerance(want));
                // The named nearest source really is at that distance.
                let s = r.nearest_source(n).unwrap();
                assert!((single[s][n.0 as usize] - m).abs() < f32_tolerance(m));
            }
            None => assert!(want.is_infinite()),
        }
    }
}

#[test]
fn wheelchair_never_uses_steps() {
    let g = open_graph(&data().streets);
    let steps = g.edges().iter().filter(|e| e.steps).count();
    assert!(steps > 20, "{steps} flights of steps");
    let src = g
        .snap(
            random_points(&g, 1, 9)[0],
            &SnapOptions {
                avoid_steps: true,
                ..SnapOptions::default()
            },
        )
        .unwrap();
    let r = g.reach(&[src], WalkProfile::WHEELCHAIR, Budget::Unbounded);
    let reference = reference(&g, &seeds(&g, &[src]), |e| g.edge(e).steps);
    let mut longer = 0;
    let walk = g.reach(&[src], WalkProfile::DEFAULT, Budget::Unbounded);
    for n in g.nodes() {
        let want = reference[n.0 as usize];
        match r.node_metres(n) {
            Some(m) => assert!((m - want).abs() < f32_tolerance(want)),
            None => assert!(want.is_infinite()),
        }
        if let (Some(a), Some(b)) = (r.node_metres(n), walk.node_metres(n)) {
            assert!(a >= b - 1e-9);
            longer += usize::from(a > b + 1.0);
        }
    }
    assert!(longer > 0, "steps should lengthen some wheelchair routes");
}

#[test]
fn isochrones_contain_reached_vertices_and_nest() {
    let g = open_graph(&data().streets);
    let opts = IsochroneOptions::default();
    let mut reach = Reach::new(&g);
    for p in random_points(&g, 4, 7) {
        let Ok(s) = g.snap(p, &SnapOptions::default()) else {
            continue;
        };
        reach.run(&g, &[s], WalkProfile::DEFAULT, Budget::Minutes(15.0));
        let iso = g.isochrones(&reach, &[5.0, 10.0, 15.0], &opts).unwrap();
        assert_eq!(iso.len(), 3);
        for i in &iso {
            let lim = i.minutes * 60.0;
            let mut inside = 0;
            for (n, secs) in reach.reached() {
                if secs <= lim {
                    let ll = g.node_wgs84(n);
                    assert!(
                        i.polygon_wgs84.contains(&geo::Point::new(ll.lon, ll.lat)),
                        "{n:?} {secs} s"
                    );
                    inside += 1;
                }
            }
            assert!(inside > 0);
            // No polygon vertex is farther from the source than the walk could go plus the
            // buffer and a cell diagonal.
            let reach_m = lim + opts.buffer_m + opts.cell_m * std::f64::consts::SQRT_2;
            let src = g.projection().unproject(s.point_xy);
            for poly in &i.polygon_wgs84.0 {
                for c in poly
                    .exterior()
                    .0
                    .iter()
                    .chain(poly.interiors().iter().flat_map(|r| r.0.iter()))
                {
                    assert!(src.haversine_m(LonLat::new(c.x, c.y)) <= reach_m * 1.005);
                }
            }
        }
        for w in iso.windows(2) {
            assert!(w[1].polygon_wgs84.relate(&w[0].polygon_wgs84).is_covers());
        }
    }
}

/// How far the search's metres may be from a reference Dijkstra's over the edges' f64
/// lengths: the search adds arc lengths rounded to f32, each within 2⁻²⁴ of the edge's, so a
/// walk is within 6 × 10⁻⁸ of its length (plus 10⁻⁶ m for the additions).
fn f32_tolerance(want: f64) -> f64 {
    1e-6 + want * 6e-8
}
