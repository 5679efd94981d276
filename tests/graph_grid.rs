//! The analytic grid city: on a regular street grid the walking distance between two points on
//! the grid is their Manhattan distance (in the graph's local metres), so every time is known
//! exactly. Also the snapping corner cases and the isochrone invariants on the same city.
#![allow(clippy::many_single_char_names)] // short names for geometry in tests

use geo::{Contains, Relate};
use shuangquan::plan::geom::{LonLat, Xy};
use shuangquan::plan::graph::{
    Budget, IsochroneOptions, NodeId, Reach, Snap, SnapError, SnapOptions, WalkGraph, WalkProfile,
};
use shuangquan::plan::model::Street;

const N: usize = 11;
const LON0: f64 = 121.47;
const LAT0: f64 = 31.23;
const STEP: f64 = 0.001; // ≈ 95 m east-west, ≈ 111 m north-south in Shanghai

fn ll(i: f64, j: f64) -> LonLat {
    LonLat::new(LON0 + i * STEP, LAT0 + j * STEP)
}

fn street(id: String, coords: Vec<LonLat>) -> Street {
    Street {
        id,
        coords_wgs84: coords,
        highway: Some("residential".into()),
        foot: None,
        access: None,
        name: None,
        area: None,
        service: None,
    }
}

/// N east-west streets and N north-south streets, each one way through all N crossings.
fn grid_streets() -> Vec<Street> {
    let mut s = Vec::new();
    for j in 0..N {
        s.push(street(
            format!("row{j}"),
            (0..N).map(|i| ll(i as f64, j as f64)).collect(),
        ));
    }
    for i in 0..N {
        s.push(street(
            format!("col{i}"),
            (0..N).map(|j| ll(i as f64, j as f64)).collect(),
        ));
    }
    s
}

fn manhattan(a: Xy, b: Xy) -> f64 {
    (a.x - b.x).abs() + (a.y - b.y).abs()
}

fn grid() -> WalkGraph {
    let g = WalkGraph::build(&grid_streets());
    assert_eq!(g.node_count(), N * N);
    assert_eq!(g.edge_count(), 2 * N * (N - 1));
    assert_eq!(g.component_sizes(), &[(N * N) as u32]);
    g
}

fn node_at(g: &WalkGraph, i: usize, j: usize) -> NodeId {
    let target = g.projection().project(ll(i as f64, j as f64));
    g.nodes()
        .find(|&n| manhattan(g.node_xy(n), target) < 1e-6)
        .unwrap_or_else(|| panic!("no node at ({i}, {j})"))
}

#[test]
fn times_are_manhattan_distance_over_speed() {
    let g = grid();
    let o = SnapOptions::default();
    // A source on a crossing, one mid-edge, one 30 m off the network; two speeds.
    let points = [ll(3.0, 4.0), ll(6.5, 2.0), ll(1.0, 7.3)];
    for (k, &p) in points.iter().enumerate() {
        for profile in [WalkProfile::DEFAULT, WalkProfile::ELDERLY] {
            let mut q = g.projection().project(p);
            if k == 2 {
                q.x += 30.0; // off the north-south street at i = 1
            }
            let snap = g.snap_xy(q, &o).unwrap();
            let on = snap.on_network_xy;
            assert!((snap.off_network_m - if k == 2 { 30.0 } else { 0.0 }).abs() < 1e-9);
            let r = g.reach(&[snap], profile, Budget::Unbounded);
            assert_eq!(r.reached_count(), N * N);
            for n in g.nodes() {
                let expect = (manhattan(on, g.node_xy(n)) + snap.off_network_m)
                    / profile.speed_m_per_min
                    * 60.0;
                let got = r.node_seconds(n).unwrap();
                assert!(
                    (got - expect).abs() < tolerance(expect),
                    "node {n:?}: {got} vs {expect}"
                );
            }
        }
    }
}

#[test]
fn budget_bounds_the_reached_set_exactly() {
    let g = grid();
    let src = g.snap(ll(5.0, 5.0), &SnapOptions::default()).unwrap();
    let centre = g.projection().project(ll(5.0, 5.0));
    for minutes in [1.0, 4.0, 7.5, 10.0] {
        let r = g.reach(&[src], WalkProfile::DEFAULT, Budget::Minutes(minutes));
        let inside: Vec<NodeId> = g
            .nodes()
            .filter(|&n| manhattan(centre, g.node_xy(n)) <= minutes * 60.0)
            .collect();
        let mut reached: Vec<NodeId> = r.reached().map(|(n, _)| n).collect();
        reached.sort();
        assert_eq!(reached, inside, "{minutes} min");
        assert!(r.reached().all(|(_, s)| s <= minutes * 60.0));
    }
}

/// Walking metres between two snapped points on the grid: along the edge when they share one,
/// else through the best pair of edge ends (ends are crossings, where Manhattan is exact).
fn walk_between(g: &WalkGraph, s: &Snap, p: &Snap) -> f64 {
    if s.edge == p.edge {
        return (s.from_start_m - p.from_start_m).abs();
    }
    let (se, pe) = (g.edge(s.edge), g.edge(p.edge));
    let mut best = f64::INFINITY;
    for (sn, sd) in [(se.a, s.from_start_m), (se.b, s.to_end_m)] {
        for (pn, pd) in [(pe.a, p.from_start_m), (pe.b, p.to_end_m)] {
            best = best.min(sd + manhattan(g.node_xy(sn), g.node_xy(pn)) + pd);
        }
    }
    best
}

#[test]
fn multi_source_gives_time_to_nearest_source() {
    let g = grid();
    let o = SnapOptions::default();
    let pts = [ll(1.0, 1.0), ll(8.0, 2.5), ll(4.0, 9.0)];
    let snaps: Vec<_> = pts.iter().map(|&p| g.snap(p, &o).unwrap()).collect();
    let mut r = Reach::new(&g);
    r.run(&g, &snaps, WalkProfile::DEFAULT, Budget::Minutes(6.0));
    for n in g.nodes() {
        let d: Vec<f64> = snaps
            .iter()
            .map(|s| manhattan(s.on_network_xy, g.node_xy(n)))
            .collect();
        let best = d.iter().copied().fold(f64::INFINITY, f64::min);
        match r.node_seconds(n) {
            Some(t) => {
                assert!(
                    (t - best).abs() < tolerance(best),
                    "node {n:?}: {t} vs {best}"
                );
                let s = r.nearest_source(n).unwrap();
                assert!((d[s] - best).abs() < 1e-6, "nearest source of {n:?}");
            }
            None => assert!(best > 360.0),
        }
    }
    // Probes along the streets: Manhattan distance to the nearest source, or nothing.
    let mut seed = 7u64;
    for _ in 0..500 {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        let a = (seed >> 33) as f64 / f64::from(1u32 << 31) * (N - 1) as f64;
        let b = ((seed >> 8) % (N as u64)) as f64;
        let p = if seed & 1 == 0 { ll(a, b) } else { ll(b, a) };
        let snap = g.snap(p, &o).unwrap();
        let best = snaps
            .iter()
            .map(|s| walk_between(&g, s, &snap))
            .fold(f64::INFINITY, f64::min);
        match r.probe(&g, &snap) {
            Some(t) => assert!((t.seconds - best).abs() < tolerance(best), "{p:?}"),
            None => assert!(best > 360.0 - 1e-6, "{p:?} at {best} m"),
        }
    }
}

/// How far a search's time or distance may be from the f64 formula: the search adds arc lengths
/// rounded to f32 (each within 2⁻²⁴ of the edge's, so a walk within 6 × 10⁻⁸ of its length).
fn tolerance(walk: f64) -> f64 {
    1e-6 + walk * 6e-8
}

#[test]
fn routes_and_paths_have_the_walked_length() {
    let g = grid();
    let o = SnapOptions::default();
    let src = g.snap(ll(2.5, 3.0), &o).unwrap();
    let r = g.reach(&[src], WalkProfile::DEFAULT, Budget::Unbounded);
    let dst = node_at(&g, 9, 8);
    let path = r.path_edges(&g, dst).unwrap();
    let along: f64 = path.iter().map(|&e| g.edge(e).length_m).sum();
    // The path starts at an end of the source's edge.
    let entry = r.node_metres(dst).unwrap() - along;
    let tol = tolerance(r.node_metres(dst).unwrap());
    assert!((entry - src.from_start_m).abs() < tol || (entry - src.to_end_m).abs() < tol);
    let probe = g.snap(ll(9.0, 8.4), &o).unwrap();
    let route = r.route(&g, &probe).unwrap();
    let proj = g.projection();
    let len: f64 = route
        .line_wgs84
        .0
        .windows(2)
        .map(|w| {
            let (a, b) = (
                proj.project(LonLat::new(w[0].x, w[0].y)),
                proj.project(LonLat::new(w[1].x, w[1].y)),
            );
            (a.x - b.x).hypot(a.y - b.y)
        })
        .sum();
    assert!(
        (len - route.metres).abs() < tolerance(len),
        "{len} vs {}",
        route.metres
    );
    let walk = manhattan(src.on_network_xy, probe.on_network_xy);
    assert!((route.metres - walk).abs() < tolerance(walk));
}

#[test]
fn snapping_corner_cases() {
    // The grid plus a separate short street 200 m east of it (another component).
    let mut streets = grid_streets();
    streets.push(street("island".into(), vec![ll(12.0, 0.0), ll(12.0, 1.0)]));
    let g = WalkGraph::build(&streets);
    assert_eq!(g.component_sizes().len(), 2);
    let o = SnapOptions::default();

    // On a vertex: no leg, at an end of the edge.
    let v = g.snap(ll(4.0, 4.0), &o).unwrap();
    assert!(v.off_network_m < 1e-9);
    assert!(v.from_start_m < 1e-9 || v.to_end_m < 1e-9);

    // Mid-edge: halfway, both ways.
    let m = g.snap(ll(4.5, 4.0), &o).unwrap();
    assert!(m.off_network_m < 1e-9);
    assert!((m.from_start_m - m.to_end_m).abs() < 1e-6);

    // Off the network, beyond the limit: reported with the distance, not snapped.
    let far_xy = g.projection().project(ll(5.0, 10.0));
    let far = g.snap_xy(
        Xy {
            x: far_xy.x,
            y: far_xy.y + 400.0,
        },
        &o,
    );
    match far {
        Err(SnapError::OffNetwork { distance_m }) => assert!((distance_m - 400.0).abs() < 1e-6),
        other => panic!("{other:?}"),
    }
    let near = g
        .snap_xy(
            Xy {
                x: far_xy.x,
                y: far_xy.y + 299.0,
            },
            &o,
        )
        .unwrap();
    assert!((near.off_network_m - 299.0).abs() < 1e-6);
    assert_eq!(
        g.snap(LonLat::new(f64::NAN, 0.0), &o),
        Err(SnapError::InvalidPosition)
    );

    // Nearest to the other component: joins it, and nothing on the grid reaches it.
    let p = ll(11.8, 0.5);
    let island = g.snap(p, &o).unwrap();
    let ie = g.edge(island.edge);
    assert_eq!(g.component_of(ie.a), 1);
    let r = g.reach(
        &[g.snap(ll(10.0, 0.5), &o).unwrap()],
        WalkProfile::DEFAULT,
        Budget::Unbounded,
    );
    assert!(r.probe(&g, &island).is_none());
    // … unless only the largest component may be joined.
    let main = g
        .snap(
            p,
            &SnapOptions {
                largest_component_only: true,
                ..o
            },
        )
        .unwrap();
    assert_eq!(g.component_of(g.edge(main.edge).a), 0);
    assert!(r.probe(&g, &main).is_some());
}

#[test]
fn isochrones_hold_reached_vertices_and_nest() {
    let g = grid();
    let src = g.snap(ll(5.2, 5.0), &SnapOptions::default()).unwrap();
    let r = g.reach(&[src], WalkProfile::DEFAULT, Budget::Minutes(10.0));
    let opts = IsochroneOptions::default();
    let iso = g.isochrones(&r, &[10.0, 2.0, 5.0], &opts).unwrap();
    assert_eq!(
        iso.iter().map(|i| i.minutes).collect::<Vec<_>>(),
        [2.0, 5.0, 10.0]
    );
    for i in &iso {
        assert!(!i.is_estimate());
        let lim = i.minutes * 60.0;
        for (n, s) in r.reached() {
            let ll = g.node_wgs84(n);
            if s <= lim {
                assert!(i.polygon_wgs84.contains(&geo::Point::new(ll.lon, ll.lat)));
            }
        }
        // A node farther (Manhattan) than budget + √2·(buffer + √2·cell) from the source
        // cannot be within the buffer of any reached point.
        let margin = std::f64::consts::SQRT_2 * opts.buffer_m + 2.0 * opts.cell_m;
        for n in g.nodes() {
            if manhattan(g.node_xy(n), src.on_network_xy) > lim + margin {
                let ll = g.node_wgs84(n);
                assert!(!i.polygon_wgs84.contains(&geo::Point::new(ll.lon, ll.lat)));
            }
        }
        // The exact cut point eastward along the source street is inside; 3 cells + buffer
        // beyond it is outside.
        let cut = g.projection().unproject(Xy {
            x: src.on_network_xy.x + lim,
            y: src.on_network_xy.y,
        });
        let east_end = 4.8 * 95.0; // the grid ends 4.8 blocks east of the source
        if lim < east_end {
            assert!(i.polygon_wgs84.contains(&geo::Point::new(cut.lon, cut.lat)));
        }
        let beyond = g.projection().unproject(Xy {
            x: src.on_network_xy.x + lim + opts.buffer_m + 3.0 * opts.cell_m,
            y: src.on_network_xy.y,
        });
        if lim + opts.buffer_m + 3.0 * opts.cell_m < 4.5 * 95.0 {
            assert!(
                !i.polygon_wgs84
                    .contains(&geo::Point::new(beyond.lon, beyond.lat))
            );
        }
    }
    for w in iso.windows(2) {
        assert!(
            w[1].polygon_wgs84.relate(&w[0].polygon_wgs84).is_covers(),
            "{} min not within {} min",
            w[0].minutes,
            w[1].minutes
        );
    }
    // Budgets beyond the search are refused.
    assert!(g.isochrones(&r, &[15.0], &opts).is_err());
    // A search run on another graph is refused, not misread.
    let other = WalkGraph::build(&grid_streets()[..3]);
    let ro = other.reach(
        &[other.snap(ll(1.0, 1.0), &SnapOptions::default()).unwrap()],
        WalkProfile::DEFAULT,
        Budget::Minutes(10.0),
    );
    assert_eq!(
        g.isochrones(&ro, &[5.0], &opts),
        Err(shuangquan::plan::graph::IsochroneError::OtherGraph)
    );
    assert!(ro.probe(&g, &src).is_none());
}
