//! The network as a scenario: edits applied as an overlay equal a graph built from the edited
//! streets (Helsinki), walking profiles equal their reference graphs, and the gated-compound
//! rule equals an exhaustive search over every simple path on a hand-made compound.
#![allow(clippy::many_single_char_names)]

use std::collections::VecDeque;
use std::path::PathBuf;

use shuangquan::plan::geom::LonLat;
use shuangquan::plan::graph::edits::read_geojson;
use shuangquan::plan::graph::{
    Budget, Compounds, NetworkEdit, NetworkEdits, NetworkRules, NodeId, Reach, SnapOptions,
    WalkGraph, WalkProfile,
};
use shuangquan::plan::model::Street;
use shuangquan::plan::osm::{self, OsmData};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn helsinki() -> OsmData {
    let path = root().join("data/sources/helsinki/Helsinki.osm.pbf");
    osm::read(&std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
}

fn compound() -> OsmData {
    let path = root().join("tests/fixtures/compound.osm");
    osm::read(&std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
}

fn with(g: WalkGraph, compounds: Compounds) -> WalkGraph {
    let mut g = g;
    g.set_rules(NetworkRules {
        compounds,
        ..NetworkRules::default()
    });
    g
}

const OPEN: NetworkRules = NetworkRules {
    compounds: Compounds::Open,
    crossing_delay_s: 0.0,
};

/// Deterministic points in the bounding box of the graph.
fn points(g: &WalkGraph, k: usize, seed: u64) -> Vec<LonLat> {
    let (mut lo, mut hi) = (LonLat::new(180.0, 90.0), LonLat::new(-180.0, -90.0));
    for n in g.nodes() {
        let p = g.node_wgs84(n);
        lo = LonLat::new(lo.lon.min(p.lon), lo.lat.min(p.lat));
        hi = LonLat::new(hi.lon.max(p.lon), hi.lat.max(p.lat));
    }
    let mut s = seed;
    let mut next = || {
        s = s
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (s >> 11) as f64 / (1u64 << 53) as f64
    };
    (0..k)
        .map(|_| {
            LonLat::new(
                lo.lon + next() * (hi.lon - lo.lon),
                lo.lat + next() * (hi.lat - lo.lat),
            )
        })
        .collect()
}

/// Walking seconds from `from` to each probe on both graphs agree within 0.5 % or 1 s, with
/// the same probes reached; returns how many were compared.
fn same_times(
    a: &WalkGraph,
    b: &WalkGraph,
    from: LonLat,
    probes: &[LonLat],
    p: WalkProfile,
) -> usize {
    let o = SnapOptions {
        avoid_steps: p.avoid_steps,
        ..SnapOptions::default()
    };
    let (Ok(sa), Ok(sb)) = (a.snap(from, &o), b.snap(from, &o)) else {
        return 0;
    };
    let ra = a.reach(&[sa], p, Budget::Minutes(20.0));
    let rb = b.reach(&[sb], p, Budget::Minutes(20.0));
    let mut n = 0;
    for q in probes {
        let ta = a
            .snap(*q, &o)
            .ok()
            .and_then(|s| ra.probe(a, &s))
            .map(|t| t.seconds);
        let tb = b
            .snap(*q, &o)
            .ok()
            .and_then(|s| rb.probe(b, &s))
            .map(|t| t.seconds);
        match (ta, tb) {
            (Some(x), Some(y)) => {
                assert!(
                    (x - y).abs() <= 1.0f64.max(0.005 * y),
                    "{q:?}: {x} vs reference {y}"
                );
                n += 1;
            }
            (None, None) => {}
            _ => panic!("{q:?}: {ta:?} vs reference {tb:?}"),
        }
    }
    n
}

#[test]
fn add_path_and_close_equal_the_edited_streets() {
    let d = helsinki();
    let base = WalkGraph::build(&d.streets);
    let base = with(base, Compounds::Open);
    // Two vertices of different streets ≈ 80–200 m apart, not already joined.
    let s1 = &d.streets[40];
    let s2 = d
        .streets
        .iter()
        .find(|s| {
            let dist = s.coords_wgs84[0].haversine_m(s1.coords_wgs84[0]);
            s.id != s1.id && (80.0..200.0).contains(&dist)
        })
        .expect("a second street nearby");
    let (p, q) = (s1.coords_wgs84[0], s2.coords_wgs84[0]);
    let edits = NetworkEdits {
        edits: vec![NetworkEdit::AddPath {
            line_wgs84: vec![p, q],
        }],
        crossing_delay_s: 0.0,
    };
    let (edited, report) = base.with_edits("test", &edits, OPEN).unwrap();
    assert_eq!(report.added_edges, 1);
    let mut streets = d.streets.clone();
    streets.push(Street {
        id: "new".into(),
        coords_wgs84: vec![p, q],
        highway: Some("footway".into()),
        ..Street::default()
    });
    let reference = with(
        WalkGraph::build_with_projection(&streets, *base.projection()),
        Compounds::Open,
    );
    let probes = points(&base, 150, 3);
    let near: Vec<LonLat> = probes
        .iter()
        .copied()
        .filter(|x| x.haversine_m(p) < 1200.0)
        .collect();
    assert!(same_times(&edited, &reference, p, &near, WalkProfile::DEFAULT) > 10);
    assert!(same_times(&edited, &reference, q, &near, WalkProfile::ELDERLY) > 10);
    // The new path is used: from p, q is reached no later than its straight distance.
    let o = SnapOptions::default();
    let r = edited.reach(
        &[edited.snap(p, &o).unwrap()],
        WalkProfile::DEFAULT,
        Budget::Unbounded,
    );
    let t = r.probe(&edited, &edited.snap(q, &o).unwrap()).unwrap();
    assert!(t.metres <= p.haversine_m(q) + 1.0, "{t:?}");

    // Close a whole way (a residential street of several edges) along its vertices.
    let way = d
        .streets
        .iter()
        .find(|s| s.highway.as_deref() == Some("residential") && s.coords_wgs84.len() >= 4)
        .unwrap();
    let edits = NetworkEdits {
        edits: vec![NetworkEdit::Close {
            line_wgs84: way.coords_wgs84.clone(),
        }],
        crossing_delay_s: 0.0,
    };
    let (closed, report) = base.with_edits("test", &edits, OPEN).unwrap();
    assert!(
        report.removed_edges >= 1 && report.closed_m > 0,
        "{report:?}"
    );
    let without: Vec<Street> = d
        .streets
        .iter()
        .filter(|s| s.id != way.id)
        .cloned()
        .collect();
    let reference = with(
        WalkGraph::build_with_projection(&without, *base.projection()),
        Compounds::Open,
    );
    let from = way.coords_wgs84[0];
    let near: Vec<LonLat> = probes
        .iter()
        .copied()
        .filter(|x| x.haversine_m(from) < 1200.0)
        .collect();
    assert!(same_times(&closed, &reference, from, &near, WalkProfile::DEFAULT) > 10);
    assert!((closed.total_length_m() - reference.total_length_m()).abs() < 1.0);
}

#[test]
fn close_part_of_an_edge_splits_it() {
    // One straight 222 m street; close its middle third.
    let street = Street {
        id: "a".into(),
        coords_wgs84: vec![LonLat::new(121.47, 31.23), LonLat::new(121.47, 31.232)],
        ..Street::default()
    };
    let g = WalkGraph::build(std::slice::from_ref(&street));
    let len = g.total_length_m();
    let third = |k: f64| LonLat::new(121.47, 31.23 + 0.002 * k / 3.0);
    let edits = NetworkEdits {
        edits: vec![NetworkEdit::Close {
            line_wgs84: vec![third(1.0), third(2.0)],
        }],
        crossing_delay_s: 0.0,
    };
    let (e, r) = g.with_edits("t", &edits, NetworkRules::default()).unwrap();
    assert_eq!((r.added_nodes, r.added_edges), (2, 3));
    assert!((e.total_length_m() - 2.0 * len / 3.0).abs() < 0.01);
    assert_eq!(e.component_sizes().len(), 2);
    // The base graph is unchanged.
    assert!((g.total_length_m() - len).abs() < 1e-9);
}

#[test]
fn bad_edits_are_named_and_nothing_is_applied() {
    let d = compound();
    let g = WalkGraph::build_network(&d.streets, &d.network_nodes);
    let far = NetworkEdits {
        edits: vec![
            NetworkEdit::GateOpen {
                at_wgs84: LonLat::new(121.4715, 31.2310),
            },
            NetworkEdit::AddPath {
                line_wgs84: vec![LonLat::new(121.47, 31.23), LonLat::new(121.495, 31.23)],
            },
            NetworkEdit::Close {
                line_wgs84: vec![
                    LonLat::new(121.4701, 31.2305),
                    LonLat::new(121.4728, 31.2316),
                ],
            },
        ],
        crossing_delay_s: 0.0,
    };
    let e = g
        .with_edits("e.geojson", &far, NetworkRules::default())
        .unwrap_err();
    let shown: Vec<String> = e.problems.iter().map(ToString::to_string).collect();
    assert_eq!(shown.len(), 2, "{shown:?}");
    assert!(
        shown[0].starts_with("feature 1: geometry: its last point is 2"),
        "{shown:?}"
    );
    assert!(
        shown[1].starts_with("feature 2: geometry: vertices 0 and 1"),
        "{shown:?}"
    );
    let text = br#"{"type":"FeatureCollection","version":2,"features":[
      {"type":"Feature","properties":{"edit":"add_path"},"geometry":{"type":"LineString","coordinates":[[121.47,31.23]]}},
      {"type":"Feature","properties":{"edit":"bridge"},"geometry":{"type":"LineString","coordinates":[[121.47,31.23],[121.48,31.23]]}}]}"#;
    let e = read_geojson("e.geojson", text).unwrap_err();
    let shown = e.to_string();
    assert!(
        shown.contains("collection: version: version 2 is newer"),
        "{shown}"
    );
    assert!(
        shown.contains("feature 0: geometry: a line needs at least two distinct points"),
        "{shown}"
    );
    assert!(shown.contains("feature 1: edit: \"bridge\""), "{shown}");
}

#[test]
fn profiles_equal_their_reference_graphs() {
    let d = helsinki();
    let g = with(WalkGraph::build(&d.streets), Compounds::Open);
    let no_steps: Vec<Street> = d
        .streets
        .iter()
        .filter(|s| s.highway.as_deref() != Some("steps"))
        .cloned()
        .collect();
    let reference = with(
        WalkGraph::build_with_projection(&no_steps, *g.projection()),
        Compounds::Open,
    );
    let probes = points(&g, 200, 11);
    let mut compared = 0;
    for from in points(&g, 4, 5) {
        compared += same_times(&g, &reference, from, &probes, WalkProfile::WHEELCHAIR);
        // Elderly: the same reference graph walked at 45 m/min, steps allowed.
        let p = "elderly".parse::<WalkProfile>().unwrap();
        assert!((p.speed_m_per_min - 45.0).abs() < 1e-12);
        compared += same_times(&g, &g, from, &probes, p);
    }
    assert!(compared > 100, "{compared}");
    // Elderly times are standard times × 60/45.
    let o = SnapOptions::default();
    let s = g.snap(points(&g, 1, 8)[0], &o).unwrap();
    let a = g.reach(&[s], WalkProfile::DEFAULT, Budget::Unbounded);
    let b = g.reach(&[s], WalkProfile::ELDERLY, Budget::Unbounded);
    for n in g.nodes().take(500) {
        if let (Some(x), Some(y)) = (a.node_seconds(n), b.node_seconds(n)) {
            assert!((y - x * 60.0 / 45.0).abs() < 1e-6);
        }
    }
}

/// Independent outside flags: the largest component once private edges and gate nodes are
/// taken out (breadth-first search over the graph's own neighbour lists).
fn outside(g: &WalkGraph) -> Vec<bool> {
    let n = g.node_count();
    let gate: Vec<bool> = g.nodes().map(|v| g.is_gate(v)).collect();
    let mut comp = vec![usize::MAX; n];
    let mut sizes = Vec::new();
    for s in 0..n {
        if comp[s] != usize::MAX || gate[s] {
            continue;
        }
        let c = sizes.len();
        comp[s] = c;
        let mut q = VecDeque::from([s]);
        let mut size = 0;
        while let Some(v) = q.pop_front() {
            size += 1;
            for (w, e, _) in g.neighbours(NodeId(v as u32)) {
                let w = w.0 as usize;
                if !g.edge(e).private && !gate[w] && comp[w] == usize::MAX {
                    comp[w] = c;
                    q.push_back(w);
                }
            }
        }
        sizes.push(size);
    }
    let main = (0..sizes.len())
        .max_by_key(|&c| (sizes[c], usize::MAX - c))
        .unwrap_or(0);
    (0..n).map(|v| comp[v] == main).collect()
}

/// Shortest walks by exhaustive search over every simple path from `s`, keeping only those
/// that use resident-only elements (private edges, leaving a gate) before their first or after
/// their last outside node.
fn exhaustive(g: &WalkGraph, s: usize) -> Vec<f64> {
    let out = outside(g);
    let mut best = vec![f64::INFINITY; g.node_count()];
    dfs(g, &out, &mut vec![s], &mut Vec::new(), 0.0, &mut best);
    best
}

/// Depth-first search over simple paths: `resident[j]` says whether step j (from `path[j]`
/// to `path[j + 1]`) used a resident-only element.
fn dfs(
    g: &WalkGraph,
    out: &[bool],
    path: &mut Vec<usize>,
    resident: &mut Vec<bool>,
    d: f64,
    best: &mut [f64],
) {
    let Some(&v) = path.last() else { return };
    // Valid: no resident step j with an outside node before it and one at or after it.
    let first = path.iter().position(|&x| out[x]);
    let last = path.iter().rposition(|&x| out[x]);
    let ok = match (first, last) {
        (Some(f), Some(l)) => resident
            .iter()
            .enumerate()
            .all(|(j, &r)| !(r && f <= j && l > j)),
        _ => true,
    };
    if !ok {
        return;
    }
    if d < best[v] {
        best[v] = d;
    }
    for (w, e, len) in g.neighbours(NodeId(v as u32)) {
        let w = w.0 as usize;
        if path.contains(&w) {
            continue;
        }
        path.push(w);
        resident.push(g.edge(e).private || g.is_gate(NodeId(v as u32)));
        dfs(g, out, path, resident, d + len, best);
        path.pop();
        resident.pop();
    }
}

#[test]
fn compound_rule_equals_exhaustive_search() {
    let d = compound();
    let g = WalkGraph::build_network(&d.streets, &d.network_nodes);
    assert_eq!(g.rules().compounds, Compounds::Closed);
    assert_eq!(g.nodes().filter(|&n| g.is_gate(n)).count(), 2);
    assert_eq!(g.nodes().filter(|&n| g.is_crossing(n)).count(), 1);
    // The trail is kept, the construction way is not.
    assert_eq!(g.build_report().not_walkable, 1);
    for s in g.nodes().filter(|&n| !g.is_gate(n)) {
        let want = exhaustive(&g, s.idx());
        let src = g.snap_node(s).unwrap();
        let r = g.reach(&[src], WalkProfile::DEFAULT, Budget::Unbounded);
        for n in g.nodes() {
            let got = r.node_metres(n).unwrap_or(f64::INFINITY);
            let w = want[n.idx()];
            // The search adds arc lengths rounded to f32 (each within 2⁻²⁴ of the edge's, so a
            // walk within 6 × 10⁻⁸ of its length); the exhaustive search adds the f64 lengths.
            assert!(
                (got.is_infinite() && w.is_infinite()) || (got - w).abs() < 1e-6 + w * 6e-8,
                "from {s:?} to {n:?}: {got} vs exhaustive {w}"
            );
        }
    }
}

#[test]
fn closed_compounds_change_who_is_covered_and_residents_get_out() {
    let d = compound();
    let store = d.facilities[0].pos_wgs84;
    let outsider = LonLat::new(121.4695, 31.2310); // west of the west street
    let resident = LonLat::new(121.4715, 31.2311); // inside, by the private way
    let o = SnapOptions::default();
    let time = |g: &WalkGraph, from: LonLat| {
        let r = g.reach(
            &[g.snap(store, &o).unwrap()],
            WalkProfile::DEFAULT,
            Budget::Unbounded,
        );
        r.probe(g, &g.snap(from, &o).unwrap()).map(|t| t.seconds)
    };
    let closed = WalkGraph::build_network(&d.streets, &d.network_nodes);
    let open = with(closed.clone(), Compounds::Open);
    let (oc, oo) = (
        time(&closed, outsider).unwrap(),
        time(&open, outsider).unwrap(),
    );
    // Open: straight through the compound (≈ 437 m); closed: round the block (≈ 613 m).
    assert!(oo < 450.0 && oc > 600.0, "open {oo} s, closed {oc} s");
    let within_8 = |t: f64| t <= 480.0;
    assert!(within_8(oo) && !within_8(oc));
    // The resident gets out, and as fast as with the compound open.
    let (rc, ro) = (
        time(&closed, resident).unwrap(),
        time(&open, resident).unwrap(),
    );
    assert!((rc - ro).abs() < 1e-6 && rc < 250.0, "{rc} {ro}");
    // Opening the west gate by an edit lets the outsider in through it, but the private way
    // and the east gate still keep them from passing.
    let gate = |lon| NetworkEdit::GateOpen {
        at_wgs84: LonLat::new(lon, 31.2310),
    };
    let (one, _) = closed
        .with_edits(
            "e",
            &NetworkEdits {
                edits: vec![gate(121.4705)],
                crossing_delay_s: 0.0,
            },
            NetworkRules::default(),
        )
        .unwrap();
    assert!((time(&one, outsider).unwrap() - oc).abs() < 1e-6);
    // A crossing delay lengthens a walk over the crossing node (on the south street), and not
    // the outsider's, who can go round by the north street as fast.
    let (delayed, _) = closed
        .with_edits(
            "e",
            &NetworkEdits {
                edits: vec![],
                crossing_delay_s: 30.0,
            },
            NetworkRules::default(),
        )
        .unwrap();
    assert!((time(&delayed, outsider).unwrap() - oc).abs() < 1e-6);
    let south_west = LonLat::new(121.4710, 31.2300);
    let before = time(&closed, south_west).unwrap();
    assert!((time(&delayed, south_west).unwrap() - before - 30.0).abs() < 1e-6);
}

#[test]
fn helsinki_compounds_residents_get_out_and_others_go_round() {
    let d = helsinki();
    let closed = WalkGraph::build_network(&d.streets, &d.network_nodes);
    let open = with(closed.clone(), Compounds::Open);
    let private: Vec<_> = closed
        .edges()
        .iter()
        .filter(|e| e.private && !closed.is_outside(e.a) && !closed.is_outside(e.b))
        .collect();
    assert!(!private.is_empty(), "Helsinki has ways inside compounds");
    let main = closed.largest_component().unwrap();
    let outside_node = closed
        .nodes()
        .find(|&n| closed.is_outside(n) && closed.component_of(n) == main)
        .unwrap();
    // Every home on a compound way that can reach the public network with compounds open still
    // reaches it with them closed.
    let mut homes = 0;
    for e in private.iter().take(40) {
        let src = closed.snap_node(e.a).unwrap();
        let c = closed.reach(&[src], WalkProfile::DEFAULT, Budget::Unbounded);
        let o = open.reach(&[src], WalkProfile::DEFAULT, Budget::Unbounded);
        if o.node_metres(outside_node).is_some() {
            assert!(
                c.node_metres(outside_node).is_some(),
                "{e:?} cannot get out"
            );
            homes += 1;
        }
    }
    assert!(homes > 0);
    // Between public places, closed compounds never shorten a walk, and lengthen some.
    let mut longer = 0;
    for from in points(&closed, 6, 21) {
        let o = SnapOptions::default();
        let Ok(s) = closed.snap(from, &o) else {
            continue;
        };
        if !(closed.is_outside(closed.edge(s.edge).a) && closed.is_outside(closed.edge(s.edge).b)) {
            continue;
        }
        let c = closed.reach(&[s], WalkProfile::DEFAULT, Budget::Unbounded);
        let p = open.reach(&[s], WalkProfile::DEFAULT, Budget::Unbounded);
        for n in closed.nodes().filter(|&n| closed.is_outside(n)) {
            if let (Some(x), Some(y)) = (c.node_metres(n), p.node_metres(n)) {
                assert!(x >= y - 1e-9);
                longer += usize::from(x > y + 1.0);
            }
        }
    }
    assert!(longer > 0, "no walk went round a compound");
}

#[test]
fn reused_buffers_switch_between_layered_and_plain_graphs() {
    let d = compound();
    let closed = WalkGraph::build_network(&d.streets, &d.network_nodes);
    let open = with(closed.clone(), Compounds::Open);
    let mut shared = Reach::new(&closed);
    for g in [&closed, &open, &closed, &open] {
        for s in g.nodes().filter(|&n| !g.is_gate(n)) {
            let src = g.snap_node(s).unwrap();
            shared.run(g, &[src], WalkProfile::DEFAULT, Budget::Unbounded);
            let fresh = g.reach(&[src], WalkProfile::DEFAULT, Budget::Unbounded);
            for n in g.nodes() {
                assert_eq!(shared.node_metres(n), fresh.node_metres(n), "{s:?} → {n:?}");
            }
        }
    }
}
