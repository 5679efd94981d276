//! The travel-time oracle on the repository's real extracts (central Shanghai's roads, Beijing
//! 五道口's footways): for seeded random points, its answers equal a plain Dijkstra written
//! here (binary heap over the graph's public neighbour lists, the points' snaps as sources and
//! probes), in both directions; without a network, they equal the straight-line formula by
//! brute force; and placement's cover sets and coverage's per-point times are what the oracle
//! answers.
#![allow(clippy::unwrap_used, clippy::float_cmp)]

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::path::PathBuf;

use shuangquan::plan::coverage::{self, Inputs, Params};
use shuangquan::plan::geom::{LocalProjection, LonLat};
use shuangquan::plan::graph::{
    Compounds, DEFAULT_DETOUR_FACTOR, NetworkRules, Oracle, Snap, SnapOptions, WalkGraph,
    WalkProfile, estimate_metres,
};
use shuangquan::plan::model::{Category, DemandPoint, Facility};
use shuangquan::plan::osm;
use shuangquan::plan::package::illustrative::SplitMix64;
use shuangquan::plan::place::{CoverOptions, cover_sets};

fn graph(path: &str, compounds: Compounds) -> WalkGraph {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(path);
    let d = osm::read(&std::fs::read(&p).unwrap());
    let mut g = WalkGraph::build(&d.streets);
    g.set_rules(NetworkRules {
        compounds,
        crossing_delay_s: 0.0,
    });
    g
}

/// Points near random nodes (up to ±0.002° away).
fn points(g: &WalkGraph, n: usize, seed: u64) -> Vec<LonLat> {
    let mut r = SplitMix64::new(seed);
    (0..n)
        .map(|_| {
            let node = g.nodes().nth(r.below(g.node_count())).unwrap();
            let p = g.node_wgs84(node);
            LonLat::new(
                p.lon + (r.unit() - 0.5) * 0.004,
                p.lat + (r.unit() - 0.5) * 0.004,
            )
        })
        .collect()
}

/// Plain multi-source Dijkstra in metres from the snaps `sources`: node distances.
fn dijkstra(g: &WalkGraph, sources: &[Snap]) -> Vec<f64> {
    let mut dist = vec![f64::INFINITY; g.node_count()];
    let mut heap = BinaryHeap::new();
    let offer = |dist: &mut Vec<f64>, heap: &mut BinaryHeap<_>, n: usize, d: f64| {
        if d < dist[n] {
            dist[n] = d;
            heap.push(Reverse((d.to_bits(), n)));
        }
    };
    for s in sources {
        let e = g.edge(s.edge);
        offer(
            &mut dist,
            &mut heap,
            e.a.idx(),
            s.off_network_m + s.from_start_m,
        );
        offer(
            &mut dist,
            &mut heap,
            e.b.idx(),
            s.off_network_m + s.to_end_m,
        );
    }
    while let Some(Reverse((bits, n))) = heap.pop() {
        let d = f64::from_bits(bits);
        if d > dist[n] {
            continue;
        }
        let node = g.nodes().nth(n).unwrap();
        for (to, _, len) in g.neighbours(node) {
            offer(&mut dist, &mut heap, to.idx(), d + len);
        }
    }
    dist
}

/// Metres from the Dijkstra's sources to a snapped point.
fn probe(g: &WalkGraph, dist: &[f64], sources: &[Snap], p: &Snap) -> f64 {
    let e = g.edge(p.edge);
    let mut best = (dist[e.a.idx()] + p.from_start_m).min(dist[e.b.idx()] + p.to_end_m);
    for s in sources.iter().filter(|s| s.edge == p.edge) {
        best = best.min(s.off_network_m + (s.from_start_m - p.from_start_m).abs());
    }
    best + p.off_network_m
}

const MINUTES: f64 = 10.0;

fn check_network(path: &str, seed: u64) {
    let g = graph(path, Compounds::Open);
    let profile = WalkProfile::DEFAULT;
    // A short snapping limit, so that some points do not join.
    let opts = SnapOptions {
        max_off_network_m: 60.0,
        ..SnapOptions::default()
    };
    let demand = points(&g, 1_500, seed);
    let targets = points(&g, 40, seed + 1);
    let mut oracle = Oracle::new(Some(&g), demand.iter().copied(), profile, opts);
    let snaps: Vec<Option<Snap>> = demand.iter().map(|p| g.snap(*p, &opts).ok()).collect();
    assert!(
        snaps.iter().any(Option::is_none),
        "some points beyond the snapping limit"
    );
    let limit_s = MINUTES * 60.0;
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-6 * a.max(1.0);

    // Per target: every point within the limit, and no other.
    let mut out = Vec::new();
    let mut pairs = 0;
    for t in &targets {
        let Ok(ts) = g.snap(*t, &opts) else {
            assert!(oracle.within(*t, MINUTES, &mut out).is_err());
            continue;
        };
        oracle.within(*t, MINUTES, &mut out).unwrap();
        let dist = dijkstra(&g, &[ts]);
        let mut expect = Vec::new();
        for (i, s) in snaps.iter().enumerate() {
            if let Some(s) = s {
                let secs = probe(&g, &dist, &[ts], s) / profile.speed_m_per_min * 60.0;
                if secs <= limit_s {
                    expect.push((i as u32, secs));
                }
            }
        }
        assert_eq!(
            out.len(),
            expect.len(),
            "{path}: points within reach of {t:?}"
        );
        for (a, b) in out.iter().zip(&expect) {
            assert!(a.0 == b.0 && close(a.1, b.1), "{path}: {a:?} vs {b:?}");
        }
        pairs += out.len();
    }
    assert!(
        pairs > 100,
        "{path}: only {pairs} pairs: the test would prove little"
    );

    // Nearest of all targets, per point.
    let placed: Vec<Snap> = targets
        .iter()
        .filter_map(|t| g.snap(*t, &opts).ok())
        .collect();
    let dist = dijkstra(&g, &placed);
    let mut got = vec![None; demand.len()];
    let unplaced = oracle.nearest(&targets, MINUTES, &mut |i, s| got[i] = Some(s));
    assert_eq!(unplaced.len(), targets.len() - placed.len());
    let mut reached = 0;
    for (i, s) in snaps.iter().enumerate() {
        let expect = s
            .as_ref()
            .map(|s| probe(&g, &dist, &placed, s) / profile.speed_m_per_min * 60.0)
            .filter(|&x| x <= limit_s);
        match (got[i], expect) {
            (Some(a), Some(b)) => assert!(close(a, b), "{path}: point {i}: {a} vs {b}"),
            (None, None) => {}
            other => panic!("{path}: point {i}: {other:?}"),
        }
        reached += usize::from(expect.is_some());
    }
    assert!(reached > 100, "{path}: {reached}");
}

#[test]
fn network_answers_equal_a_plain_dijkstra_shanghai() {
    check_network("data/sources/shanghai/shanghai_center.osm", 7);
}

#[test]
fn network_answers_equal_a_plain_dijkstra_beijing_footways() {
    check_network("data/sources/beijing/beijing_wudaokou.osm", 11);
}

#[test]
fn estimates_equal_the_straight_line_formula() {
    let g = graph("data/sources/beijing/beijing_wudaokou.osm", Compounds::Open);
    let demand = points(&g, 800, 3);
    let targets = points(&g, 30, 4);
    let profile = WalkProfile::with_speed(45.0);
    let mut oracle = Oracle::new(
        None,
        demand.iter().copied(),
        profile,
        SnapOptions::default(),
    );
    let proj = LocalProjection::for_points(demand.iter().copied());
    let secs = |a: LonLat, b: LonLat| {
        let m =
            (proj.project(a).x - proj.project(b).x).hypot(proj.project(a).y - proj.project(b).y);
        m * DEFAULT_DETOUR_FACTOR / 45.0 * 60.0
    };
    assert_eq!(
        estimate_metres(proj.project(demand[0]), proj.project(demand[1])),
        (proj.project(demand[0]).x - proj.project(demand[1]).x)
            .hypot(proj.project(demand[0]).y - proj.project(demand[1]).y)
            * DEFAULT_DETOUR_FACTOR
    );
    let mut out = Vec::new();
    for t in &targets {
        oracle.within(*t, MINUTES, &mut out).unwrap();
        let expect: Vec<u32> = (0..demand.len() as u32)
            .filter(|&i| secs(*t, demand[i as usize]) <= MINUTES * 60.0)
            .collect();
        assert_eq!(out.iter().map(|x| x.0).collect::<Vec<_>>(), expect);
        for (i, s) in &out {
            assert!((s - secs(*t, demand[*i as usize])).abs() < 1e-9);
        }
    }
    let mut got = vec![None; demand.len()];
    assert!(
        oracle
            .nearest(&targets, MINUTES, &mut |i, s| got[i] = Some(s))
            .is_empty()
    );
    for (i, d) in demand.iter().enumerate() {
        let best = targets
            .iter()
            .map(|t| secs(*t, *d))
            .fold(f64::INFINITY, f64::min);
        let expect = (best <= MINUTES * 60.0).then_some(best);
        assert_eq!(got[i].is_some(), expect.is_some(), "point {i}");
        if let (Some(a), Some(b)) = (got[i], expect) {
            assert!((a - b).abs() < 1e-9);
        }
    }
}

/// Placement's cover sets and coverage's per-point times (with compounds closed: the layered
/// search) are the oracle's answers.
#[test]
fn placement_and_coverage_agree_with_the_oracle() {
    let g = graph(
        "data/sources/shanghai/shanghai_center.osm",
        Compounds::Closed,
    );
    let profile = WalkProfile::DEFAULT;
    let opts = SnapOptions::default();
    let demand = points(&g, 1_000, 21);
    let sites = points(&g, 25, 22);
    let mut oracle = Oracle::new(Some(&g), demand.iter().copied(), profile, opts);
    let weighted: Vec<(LonLat, f64)> = demand.iter().map(|p| (*p, 1.0)).collect();
    let sets = cover_sets(
        Some(&g),
        &weighted,
        &sites,
        &[],
        &CoverOptions {
            minutes: MINUTES,
            profile,
            snap: opts,
        },
        &mut |_, _| {},
    );
    let mut out = Vec::new();
    for (c, s) in sites.iter().enumerate() {
        if oracle.within(*s, MINUTES, &mut out).is_ok() {
            assert_eq!(sets.covers[c], out.iter().map(|x| x.0).collect::<Vec<_>>());
        } else {
            assert!(sets.unreachable_candidates.contains(&(c as u32)));
        }
    }

    let dp: Vec<DemandPoint> = demand
        .iter()
        .enumerate()
        .map(|(i, p)| DemandPoint {
            id: format!("d{i}"),
            pos_wgs84: *p,
            weight: 1.0,
            community: None,
        })
        .collect();
    let facilities: Vec<Facility> = sites
        .iter()
        .enumerate()
        .map(|(i, p)| Facility {
            id: format!("f{i}"),
            name: String::new(),
            category: Category::BASE_SIX[0],
            pos_wgs84: *p,
        })
        .collect();
    let params = Params::default();
    let cov = coverage::compute(
        Some(&g),
        Inputs {
            demand: &dp,
            stations: &[],
            facilities: &facilities,
            communities: &[],
            postings: &[],
        },
        &params,
        &mut |_, _| {},
    )
    .unwrap();
    let horizon = params.thresholds.category(Category::BASE_SIX[0]) * params.horizon_factor;
    let mut got = vec![None; demand.len()];
    oracle.nearest(&sites, horizon, &mut |i, s| got[i] = Some(s));
    for (i, p) in cov.points.iter().enumerate() {
        assert_eq!(p.category_s[0], got[i], "point {i}");
    }
}

/// The distance-only search (a bucket queue, label-correcting within a bucket) ends with the
/// heap's distances bit for bit: on real streets, with compounds closed (three layers) and
/// open, with and without crossing delays, from one to 300 sources, at short and whole-network
/// budgets; every node's metres and every probe's.
#[test]
fn distance_only_search_equals_the_heaps_bit_for_bit() {
    use shuangquan::plan::graph::{Budget, Reach};
    for (path, seed) in [
        ("data/sources/shanghai/shanghai_center.osm", 41),
        ("tests/fixtures/compound.osm", 43),
    ] {
        let mut g = graph(path, Compounds::Closed);
        let opts = SnapOptions::default();
        let probes: Vec<Snap> = points(&g, 400, seed)
            .iter()
            .filter_map(|p| g.snap(*p, &opts).ok())
            .collect();
        for (compounds, delay) in [
            (Compounds::Closed, 0.0),
            (Compounds::Open, 0.0),
            (Compounds::Closed, 20.0),
        ] {
            g.set_rules(NetworkRules {
                compounds,
                crossing_delay_s: delay,
            });
            for (k, n) in [1, 12, 300].into_iter().enumerate() {
                let sources: Vec<Snap> = points(&g, n, seed + 7 * k as u64)
                    .iter()
                    .filter_map(|p| g.snap(*p, &opts).ok())
                    .collect();
                for budget in [
                    Budget::Minutes(3.0),
                    Budget::Minutes(30.0),
                    Budget::Minutes(600.0),
                ] {
                    let heap = g.reach(&sources, WalkProfile::DEFAULT, budget);
                    let mut any = Reach::new(&g);
                    any.run_distances(&g, &sources, WalkProfile::DEFAULT, budget);
                    let bits = |r: &Reach, v| r.node_metres(v).map(f64::to_bits);
                    for v in g.nodes() {
                        assert_eq!(bits(&heap, v), bits(&any, v), "{path} node {v:?}");
                    }
                    assert_eq!(heap.reached_count(), any.reached_count());
                    for p in &probes {
                        let m = |r: &Reach| r.probe(&g, p).map(|t| t.metres.to_bits());
                        assert_eq!(m(&heap), m(&any), "{path} probe {p:?}");
                    }
                }
            }
        }
    }
}

/// Coverage's probes in one loop (`Reach::probe_seconds_each`) answer every point as
/// `Reach::probe` does, bit for bit, and leave out the same points: points near random nodes
/// (some too far to snap: `None`), the sources' own snaps (a straight walk along their edge),
/// compounds closed (three layers) and open, walking and avoiding steps, a short and a long
/// budget.
#[test]
fn batch_probes_equal_one_by_one_bit_for_bit() {
    use shuangquan::plan::graph::{Budget, Reach};
    for (path, seed) in [
        ("data/sources/shanghai/shanghai_center.osm", 51),
        ("tests/fixtures/compound.osm", 53),
    ] {
        let mut g = graph(path, Compounds::Closed);
        let opts = SnapOptions {
            max_off_network_m: 60.0,
            ..SnapOptions::default()
        };
        for compounds in [Compounds::Closed, Compounds::Open] {
            g.set_rules(NetworkRules {
                compounds,
                crossing_delay_s: 0.0,
            });
            let sources: Vec<Snap> = points(&g, 40, seed)
                .iter()
                .filter_map(|p| g.snap(*p, &opts).ok())
                .collect();
            let mut probes: Vec<Option<Snap>> = points(&g, 600, seed + 1)
                .iter()
                .map(|p| g.snap(*p, &opts).ok())
                .collect();
            assert!(
                probes.iter().any(Option::is_none),
                "{path}: every point snapped"
            );
            probes.extend(sources.iter().copied().map(Some));
            for profile in [
                WalkProfile::DEFAULT,
                WalkProfile {
                    avoid_steps: true,
                    ..WalkProfile::DEFAULT
                },
            ] {
                for budget in [Budget::Minutes(3.0), Budget::Minutes(30.0)] {
                    let mut reach = Reach::new(&g);
                    reach.run_distances(&g, &sources, profile, budget);
                    let mut each = Vec::new();
                    reach.probe_seconds_each(&g, &probes, &mut |i, s| each.push((i, s.to_bits())));
                    let one_by_one: Vec<(usize, u64)> = probes
                        .iter()
                        .enumerate()
                        .filter_map(|(i, p)| {
                            let t = reach.probe(&g, p.as_ref()?)?;
                            Some((i, t.seconds.to_bits()))
                        })
                        .collect();
                    assert!(one_by_one.len() > sources.len(), "{path}: too few reached");
                    assert_eq!(
                        each, one_by_one,
                        "{path} {compounds:?} {profile:?} {budget:?}"
                    );
                }
            }
        }
    }
}
