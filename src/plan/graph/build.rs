//! Building a [`WalkGraph`] from streets: walkability, splitting at junctions, lengths in
//! metres, CSR adjacency, connected components and the segment R-tree.
//!
//! - **Walkable**: the walk filter by exclusion, [`crate::plan::osm::tags::walk_access`] (the
//!   one place its rules live). Ways for residents only (`access=private` …) are kept, flagged
//!   [`Edge::private`]; the graph's [`super::compounds::Compounds`] setting decides who passes.
//! - **Gates and crossings** ([`NetworkNode`]): a street vertex at a gate's or crossing's exact
//!   position becomes a node with that flag.
//! - **Junctions**: vertices with bit-identical coordinates are the same point. A vertex becomes
//!   a node when it ends a street or is used more than once (by two streets, or twice by one);
//!   streets are split there. Consecutive duplicate vertices are dropped; invalid coordinates
//!   split a street (never bridged).
//! - **Lengths**: sums of segment lengths on one [`LocalProjection`] (centred on the streets'
//!   bounding box unless given), stored on the graph.
//! - **Adjacency**: compressed sparse rows, each node's arcs ordered by edge id; a loop edge is
//!   listed once. **Components**: by breadth-first search, numbered by lowest node id.
//!
//! - **Memory**: the build reads streets through [`StreetSource`] (owned [`Street`] values or
//!   the flat [`StreetTable`] the OSM reader makes), copies the walkable vertices once into a
//!   flat array, finds shared positions by sorting vertex indices (8 bytes per vertex, no hash
//!   map), and drops every temporary before the R-tree of edge bounding boxes is loaded. The
//!   graph keeps no OSM id and no tag text: only each edge's street index and its flags.
//!
//! - **Node order**: nodes are numbered along a Hilbert curve over their positions (ties in
//!   order of first appearance), so a search's neighbours sit near each other in memory; edge
//!   ids follow the input order.
//!
//! Complexity: O(P log P) for P street vertices (the sort of positions), plus O(E log E) for
//! the R-tree bulk load over E edges. The same streets always give the same graph.

use std::collections::HashMap;

use rstar::RTree;

use super::table::{StreetSource, StreetTable};
use super::{
    ARC_PRIVATE, ARC_STEPS, Arc, Edge, EdgeBox, NODE_CROSSING, NODE_GATE, NetworkRules, WalkGraph,
    seg_len,
};
use crate::plan::geom::{LocalProjection, LonLat, Xy};
use crate::plan::model::{NetworkNode, Street};
use crate::plan::osm::tags::{NetworkNodeKind, WalkAccess, walk_access};

/// What [`WalkGraph::build`] kept and dropped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BuildReport {
    /// Streets given.
    pub streets_in: usize,
    /// Streets that are walkable and contributed at least one edge.
    pub streets_used: usize,
    /// Streets dropped as not walkable (by their tags).
    pub not_walkable: usize,
    /// Walkable streets with fewer than two distinct valid vertices.
    pub degenerate: usize,
    /// Vertices dropped because their coordinates are not valid WGS-84.
    pub invalid_vertices: usize,
}

/// How a street may be walked: [`walk_access`] on its tags.
pub fn street_access(s: &Street) -> WalkAccess {
    walk_access(&std::slice::from_ref(s).street_tags(0))
}

/// Whether a street is in the walk graph (by everyone or by residents only; see
/// [`walk_access`]).
///
/// ```
/// use shuangquan::plan::graph::is_walkable;
/// use shuangquan::plan::model::Street;
/// let mut s = Street { id: "1".into(), highway: Some("trunk".into()), ..Street::default() };
/// assert!(!is_walkable(&s));
/// s.foot = Some("yes".into());
/// assert!(is_walkable(&s));
/// ```
pub fn is_walkable(s: &Street) -> bool {
    street_access(s) != WalkAccess::No
}

/// The projection centred on the bounding box of the walkable streets' vertices.
fn walkable_projection<S: StreetSource + ?Sized>(streets: &S) -> LocalProjection {
    LocalProjection::for_points((0..streets.street_count()).flat_map(|k| {
        let walkable = walk_access(&streets.street_tags(k)) != WalkAccess::No;
        let c = streets.street_coords(k);
        c[..if walkable { c.len() } else { 0 }].iter().copied()
    }))
}

/// Hash key of a coordinate: its exact bits (with -0.0 folded into 0.0).
fn key(p: LonLat) -> (u64, u64) {
    ((p.lon + 0.0).to_bits(), (p.lat + 0.0).to_bits())
}

impl WalkGraph {
    /// Builds the walk graph of `streets` on a projection centred on their bounding box.
    ///
    /// ```
    /// use shuangquan::plan::geom::LonLat;
    /// use shuangquan::plan::graph::WalkGraph;
    /// use shuangquan::plan::model::Street;
    /// let line = |id: &str, c: &[(f64, f64)]| Street {
    ///     id: id.into(),
    ///     coords_wgs84: c.iter().map(|&(x, y)| LonLat::new(x, y)).collect(),
    ///     highway: None, foot: None, access: None, name: None, area: None, service: None,
    /// };
    /// // A T: the second line ends on the first line's middle vertex.
    /// let g = WalkGraph::build(&[
    ///     line("a", &[(24.0, 60.0), (24.001, 60.0), (24.002, 60.0)]),
    ///     line("b", &[(24.001, 60.0), (24.001, 60.001)]),
    /// ]);
    /// assert_eq!((g.node_count(), g.edge_count()), (4, 3));
    /// assert_eq!(g.component_sizes(), &[4]);
    /// ```
    pub fn build(streets: &[Street]) -> Self {
        Self::build_network(streets, &[])
    }

    /// Builds the walk graph of `streets` with their gates and crossings, on a projection
    /// centred on the streets' bounding box.
    pub fn build_network(streets: &[Street], nodes: &[NetworkNode]) -> Self {
        Self::build_streets(streets, nodes)
    }

    /// [`Self::build_network`] of either kind of street list (owned [`Street`] values or a
    /// [`StreetTable`], read in place: the graph's edges name streets by their index in it).
    pub fn build_streets<S: StreetSource + ?Sized>(streets: &S, nodes: &[NetworkNode]) -> Self {
        Self::build_from(streets, nodes, walkable_projection(streets))
    }

    /// Builds the walk graph of `streets` on a given projection.
    pub fn build_with_projection(streets: &[Street], proj: LocalProjection) -> Self {
        Self::build_full(streets, &[], proj)
    }

    /// Builds the walk graph of `streets` with their gates and crossings on a given projection.
    pub fn build_full(streets: &[Street], nodes: &[NetworkNode], proj: LocalProjection) -> Self {
        Self::build_from(streets, nodes, proj)
    }

    /// Builds the walk graph of a [`StreetTable`] with its gates and crossings, on a projection
    /// centred on the walkable streets' bounding box. The same graph as
    /// [`Self::build_network`] on [`StreetTable::to_streets`], without the owned streets.
    /// The table is consumed: it is dropped as soon as its walkable runs are copied, before
    /// the graph's own arrays are made (call [`StreetTable::to_streets`] first to keep the
    /// streets for drawing).
    pub fn build_table(streets: StreetTable, nodes: &[NetworkNode]) -> Self {
        let proj = walkable_projection(&streets);
        let runs = WalkRuns::of(&streets);
        drop(streets);
        Self::from_runs(runs, nodes, proj)
    }

    /// The build over either kind of street list.
    fn build_from<S: StreetSource + ?Sized>(
        streets: &S,
        nodes: &[NetworkNode],
        proj: LocalProjection,
    ) -> Self {
        Self::from_runs(WalkRuns::of(streets), nodes, proj)
    }

    /// The build from the walkable runs. Identical coordinates are found by sorting vertex
    /// indices by their bits (no hash map over the vertices), and every temporary array is
    /// dropped before the R-tree is loaded.
    fn from_runs(walk: WalkRuns, nodes: &[NetworkNode], proj: LocalProjection) -> Self {
        let WalkRuns { pts, runs, report } = walk;

        // Gates and crossings by position.
        let special: HashMap<(u64, u64), u8> = nodes
            .iter()
            .filter(|n| n.pos_wgs84.is_valid())
            .map(|n| {
                let flag = match n.kind {
                    NetworkNodeKind::Gate => NODE_GATE,
                    NetworkNodeKind::Crossing => NODE_CROSSING,
                };
                (key(n.pos_wgs84), flag)
            })
            .fold(HashMap::new(), |mut m, (k, f)| {
                *m.entry(k).or_insert(0) |= f;
                m
            });
        let flag_of = |p: LonLat| -> u8 {
            if special.is_empty() {
                0
            } else {
                special.get(&key(p)).copied().unwrap_or(0)
            }
        };

        // Distinct positions: vertex indices sorted by coordinate bits, then numbered.
        let vid = distinct_positions(&pts);
        let distinct = vid.iter().map(|&v| v as usize + 1).max().unwrap_or(0);
        // Uses per position: ends count twice so that they always become nodes; gates and
        // crossings count twice too. Saturating at 2 is enough.
        let mut uses = vec![0u8; distinct];
        for w in runs.windows(2) {
            let (s, t) = (w[0].1 as usize, w[1].1 as usize);
            for i in s..t {
                let weight = if i == s || i + 1 == t || flag_of(pts[i]) != 0 {
                    2
                } else {
                    1
                };
                let u = &mut uses[vid[i] as usize];
                *u = u.saturating_add(weight).min(2);
            }
        }

        // Exact sizes first: the arenas are allocated once (a doubling vector would briefly
        // hold 1.5× a city's geometry, and a wasm heap keeps its high-water mark).
        let (mut edge_count, mut geom_count) = (0usize, 0usize);
        for w in runs.windows(2) {
            let (s, t) = (w[0].1 as usize, w[1].1 as usize);
            let mut piece = 1;
            for i in s + 1..t {
                piece += 1;
                if uses[vid[i] as usize] >= 2 {
                    (edge_count, geom_count, piece) = (edge_count + 1, geom_count + piece, 1);
                }
            }
        }
        let mut node_of = vec![u32::MAX; distinct];
        let nodes_max = uses.iter().filter(|&&u| u >= 2).count();
        let mut node_xy: Vec<Xy> = Vec::with_capacity(nodes_max);
        let mut node_flags: Vec<u8> = Vec::with_capacity(nodes_max);
        let mut node_id = |i: usize, node_xy: &mut Vec<Xy>, node_flags: &mut Vec<u8>| -> u32 {
            let slot = &mut node_of[vid[i] as usize];
            if *slot == u32::MAX {
                *slot = node_xy.len() as u32;
                node_xy.push(proj.project(pts[i]));
                node_flags.push(flag_of(pts[i]));
            }
            *slot
        };
        let mut edges: Vec<Edge> = Vec::with_capacity(edge_count);
        let mut geom_start: Vec<u32> = Vec::with_capacity(edge_count + 1);
        geom_start.push(0);
        let mut geom: Vec<Xy> = Vec::with_capacity(geom_count);
        let mut piece: Vec<Xy> = Vec::new();
        for w in runs.windows(2) {
            let (si, s, t) = (w[0].0, w[0].1 as usize, w[1].1 as usize);
            let (steps, private) = (w[0].2 & 1 != 0, w[0].2 & 2 != 0);
            let mut a = node_id(s, &mut node_xy, &mut node_flags);
            piece.clear();
            piece.push(proj.project(pts[s]));
            for i in s + 1..t {
                piece.push(proj.project(pts[i]));
                if uses[vid[i] as usize] >= 2 {
                    let b = node_id(i, &mut node_xy, &mut node_flags);
                    let length_m = piece.windows(2).map(|w| seg_len(w[0], w[1])).sum();
                    edges.push(Edge {
                        a: super::NodeId(a),
                        b: super::NodeId(b),
                        length_m,
                        steps,
                        private,
                        removed: false,
                        street: si,
                    });
                    geom.extend_from_slice(&piece);
                    geom_start.push(geom.len() as u32);
                    piece.clear();
                    piece.push(proj.project(pts[i]));
                    a = b;
                }
            }
        }
        drop((pts, runs, vid, uses, node_of, piece));
        let (node_xy, node_flags) = renumber_by_locality(&node_xy, &node_flags, &mut edges);
        edges.shrink_to_fit();
        geom.shrink_to_fit();
        geom_start.shrink_to_fit();

        let rtree = RTree::bulk_load(edge_boxes(&edges, &geom_start, &geom, 0));
        WalkGraph::assemble(Parts {
            proj,
            node_xy,
            node_flags,
            edges,
            geom_start,
            geom,
            rtree,
            report,
            rules: NetworkRules::default(),
        })
    }

    /// Finishes a graph from its arenas: CSR adjacency and connected components (removed edges
    /// left out) and the compound layers of its rules. O(V + E).
    pub(crate) fn assemble(p: Parts) -> Self {
        let edges = p.edges;
        let node_xy = p.node_xy;
        // CSR adjacency.
        let n = node_xy.len();
        let mut degree = vec![0u32; n + 1];
        for e in edges.iter().filter(|e| !e.removed) {
            degree[e.a.idx()] += 1;
            if e.b != e.a {
                degree[e.b.idx()] += 1;
            }
        }
        let mut adj_start = vec![0u32; n + 1];
        for i in 0..n {
            adj_start[i + 1] = adj_start[i] + degree[i];
        }
        let mut fill = adj_start.clone();
        let arcs = adj_start[n] as usize;
        let mut adj = vec![Arc { to: 0, len_m: 0.0 }; arcs];
        let mut arc_edge = vec![0u32; arcs];
        for (ei, e) in edges.iter().enumerate().filter(|(_, e)| !e.removed) {
            let (a, b) = (e.a.idx(), e.b.idx());
            #[allow(clippy::cast_possible_truncation)]
            let len_m = e.length_m as f32;
            for (from, to) in [(a, b), (b, a)]
                .into_iter()
                .take(if a == b { 1 } else { 2 })
            {
                adj[fill[from] as usize] = Arc {
                    to: to as u32,
                    len_m,
                };
                arc_edge[fill[from] as usize] = ei as u32;
                fill[from] += 1;
            }
        }
        let arc_flags = arc_edge
            .iter()
            .map(|&ei| {
                let e = &edges[ei as usize];
                (u8::from(e.steps) * ARC_STEPS) | (u8::from(e.private) * ARC_PRIVATE)
            })
            .collect();
        let (component, component_size) = components(n, &adj_start, &adj, &arc_edge, |_, _| true);
        let mut g = WalkGraph {
            proj: p.proj,
            node_xy,
            node_flags: p.node_flags,
            edges,
            geom_start: p.geom_start,
            geom: p.geom,
            adj_start,
            adj,
            arc_edge,
            arc_flags,
            component,
            component_size,
            rtree: p.rtree,
            report: p.report,
            rules: p.rules,
            outside: Vec::new(),
        };
        g.outside = g.compute_outside();
        g
    }
}

/// The walkable runs of a street list: clean runs of valid vertices (invalid vertices split a
/// street, consecutive duplicates are dropped), flat: run k is `pts[runs[k].1..runs[k + 1].1]`
/// of street `runs[k].0`, with flags steps (1) and resident-only (2); a sentinel closes the
/// last run.
struct WalkRuns {
    pts: Vec<LonLat>,
    runs: Vec<(u32, u32, u8)>,
    report: BuildReport,
}

impl WalkRuns {
    fn of<S: StreetSource + ?Sized>(streets: &S) -> Self {
        let count = streets.street_count();
        let mut report = BuildReport {
            streets_in: count,
            ..BuildReport::default()
        };

        // Clean runs of valid vertices per walkable street (invalid vertices split a street),
        // flat: run k is `pts[runs[k].1..runs[k + 1].1]` (a sentinel closes the last).
        let mut pts: Vec<LonLat> = Vec::new();
        let mut runs: Vec<(u32, u32, u8)> = Vec::new();
        for si in 0..count {
            if walk_access(&streets.street_tags(si)) == WalkAccess::No {
                report.not_walkable += 1;
                continue;
            }
            let tags = streets.street_tags(si);
            let flags = u8::from(tags.highway.map(str::trim) == Some("steps"))
                | (u8::from(walk_access(&tags) == WalkAccess::Residents) << 1);
            let before = runs.len();
            let mut run_start = pts.len();
            let mut close = |pts: &mut Vec<LonLat>, run_start: usize| {
                if pts.len() - run_start >= 2 {
                    runs.push((si as u32, run_start as u32, flags));
                } else {
                    pts.truncate(run_start);
                }
            };
            for &p in streets.street_coords(si) {
                if !p.is_valid() {
                    report.invalid_vertices += 1;
                    close(&mut pts, run_start);
                    run_start = pts.len();
                    continue;
                }
                if pts.len() == run_start || pts.last().is_none_or(|&q| key(q) != key(p)) {
                    pts.push(p);
                }
            }
            close(&mut pts, run_start);
            if runs.len() > before {
                report.streets_used += 1;
            } else {
                report.degenerate += 1;
            }
        }
        runs.push((u32::MAX, pts.len() as u32, 0));

        WalkRuns { pts, runs, report }
    }
}

/// The arenas a [`WalkGraph`] is assembled from.
pub(crate) struct Parts {
    pub(crate) proj: LocalProjection,
    pub(crate) node_xy: Vec<Xy>,
    pub(crate) node_flags: Vec<u8>,
    pub(crate) edges: Vec<Edge>,
    pub(crate) geom_start: Vec<u32>,
    pub(crate) geom: Vec<Xy>,
    pub(crate) rtree: RTree<EdgeBox>,
    pub(crate) report: BuildReport,
    pub(crate) rules: NetworkRules,
}

/// R-tree entries (bounding boxes) of the edges `from..` that are not removed.
pub(crate) fn edge_boxes(
    edges: &[Edge],
    geom_start: &[u32],
    geom: &[Xy],
    from: usize,
) -> Vec<EdgeBox> {
    edges
        .iter()
        .enumerate()
        .skip(from)
        .filter(|(_, e)| !e.removed)
        .map(|(ei, _)| {
            EdgeBox::new(
                ei as u32,
                &geom[geom_start[ei] as usize..geom_start[ei + 1] as usize],
            )
        })
        .collect()
}

/// Renumbers the nodes along a Hilbert curve over their positions, so that nodes near each
/// other on the ground are near each other in every node-indexed array (a search then touches
/// a few cache lines instead of one per node); ties keep the first-appearance order. Edges keep
/// their ids; their ends are renumbered. O(V log V).
fn renumber_by_locality(
    node_xy: &[Xy],
    node_flags: &[u8],
    edges: &mut [Edge],
) -> (Vec<Xy>, Vec<u8>) {
    let (mut lo, mut hi) = ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]);
    for p in node_xy {
        lo = [lo[0].min(p.x), lo[1].min(p.y)];
        hi = [hi[0].max(p.x), hi[1].max(p.y)];
    }
    let cell = |v: f64, k: usize| -> u32 {
        let span = hi[k] - lo[k];
        if span > 0.0 {
            ((v - lo[k]) / span * 65535.0).clamp(0.0, 65535.0) as u32
        } else {
            0
        }
    };
    let mut order: Vec<u32> = (0..node_xy.len() as u32).collect();
    order.sort_by_cached_key(|&i| {
        let p = node_xy[i as usize];
        hilbert_index(cell(p.x, 0), cell(p.y, 1))
    });
    let mut new_id = vec![0u32; node_xy.len()];
    for (new, &old) in order.iter().enumerate() {
        new_id[old as usize] = new as u32;
    }
    for e in edges.iter_mut() {
        e.a = super::NodeId(new_id[e.a.idx()]);
        e.b = super::NodeId(new_id[e.b.idx()]);
    }
    (
        order.iter().map(|&o| node_xy[o as usize]).collect(),
        order.iter().map(|&o| node_flags[o as usize]).collect(),
    )
}

/// Position of cell (x, y) along the Hilbert curve filling a 2^16 × 2^16 grid.
fn hilbert_index(x: u32, y: u32) -> u64 {
    const N: u32 = 1 << 16;
    let (mut x, mut y, mut d) = (x, y, 0u64);
    let mut s = N / 2;
    while s > 0 {
        let rx = u32::from(x & s != 0);
        let ry = u32::from(y & s != 0);
        d += u64::from(s) * u64::from(s) * u64::from((3 * rx) ^ ry);
        if ry == 0 {
            if rx == 1 {
                x = N - 1 - x;
                y = N - 1 - y;
            }
            std::mem::swap(&mut x, &mut y);
        }
        s /= 2;
    }
    d
}

/// For every vertex, the number of its distinct position (bit-identical coordinates share
/// one), numbered in sorted order. O(P log P) for P vertices, 8 bytes per vertex.
fn distinct_positions(pts: &[LonLat]) -> Vec<u32> {
    let mut order: Vec<u32> = (0..pts.len() as u32).collect();
    order.sort_unstable_by_key(|&i| key(pts[i as usize]));
    let mut vid = vec![0u32; pts.len()];
    let mut next = 0u32;
    for (k, &i) in order.iter().enumerate() {
        if k > 0 && key(pts[order[k - 1] as usize]) != key(pts[i as usize]) {
            next += 1;
        }
        vid[i as usize] = next;
    }
    vid
}

/// Connected components by breadth-first search in node order over the arcs `keep(to, edge)`
/// admits, numbered by lowest node id: (component of each node, size of each component).
pub(crate) fn components(
    n: usize,
    adj_start: &[u32],
    adj: &[Arc],
    arc_edge: &[u32],
    keep: impl Fn(u32, u32) -> bool,
) -> (Vec<u32>, Vec<u32>) {
    let mut component = vec![u32::MAX; n];
    let mut component_size = Vec::new();
    let mut queue = Vec::new();
    for start in 0..n {
        if component[start] != u32::MAX {
            continue;
        }
        let c = component_size.len() as u32;
        component[start] = c;
        queue.clear();
        queue.push(start as u32);
        let mut head = 0;
        while head < queue.len() {
            let v = queue[head] as usize;
            head += 1;
            let r = adj_start[v] as usize..adj_start[v + 1] as usize;
            for (arc, &e) in adj[r.clone()].iter().zip(&arc_edge[r]) {
                if keep(arc.to, e) && component[arc.to as usize] == u32::MAX {
                    component[arc.to as usize] = c;
                    queue.push(arc.to);
                }
            }
        }
        component_size.push(queue.len() as u32);
    }
    (component, component_size)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::graph::{EdgeId, NodeId};

    fn street(id: &str, c: &[(f64, f64)], highway: Option<&str>) -> Street {
        Street {
            id: id.into(),
            coords_wgs84: c.iter().map(|&(x, y)| LonLat::new(x, y)).collect(),
            highway: highway.map(Into::into),
            foot: None,
            access: None,
            name: None,
            area: None,
            service: None,
        }
    }

    #[test]
    fn walkability_rules() {
        let mut s = street("1", &[], Some("footway"));
        assert!(is_walkable(&s));
        s.foot = Some("no".into());
        assert!(!is_walkable(&s));
        s.foot = None;
        s.access = Some("private".into());
        // Kept for residents (the compound setting decides who passes).
        assert_eq!(street_access(&s), WalkAccess::Residents);
        s.foot = Some("permissive".into());
        assert_eq!(street_access(&s), WalkAccess::Public);
        s.access = Some("no".into());
        s.foot = None;
        assert!(!is_walkable(&s));
        for h in [
            "motorway",
            "trunk_link",
            "construction",
            "proposed",
            "busway",
        ] {
            assert!(!is_walkable(&street("x", &[], Some(h))), "{h}");
        }
        for h in [
            "steps",
            "living_street",
            "cycleway",
            "primary_link",
            "track",
            "trail",
            "crossing",
        ] {
            assert!(is_walkable(&street("x", &[], Some(h))), "{h}");
        }
        assert!(is_walkable(&street("x", &[], None)));
    }

    #[test]
    fn splits_at_shared_vertices_and_loops() {
        // A closed ring touched by a spur at one vertex; a disconnected stray line; a bad vertex.
        let ring = street(
            "r",
            &[
                (0.0, 0.0),
                (0.001, 0.0),
                (0.001, 0.001),
                (0.0, 0.001),
                (0.0, 0.0),
            ],
            Some("residential"),
        );
        let spur = street("s", &[(0.001, 0.001), (0.002, 0.002)], Some("footway"));
        let stray = street(
            "t",
            &[
                (0.01, 0.01),
                (0.01, 0.01),
                (f64::NAN, 0.0),
                (0.011, 0.01),
                (0.012, 0.01),
            ],
            None,
        );
        let motorway = street("m", &[(0.0, 0.0), (0.005, 0.0)], Some("motorway"));
        let g = WalkGraph::build(&[ring, spur, stray, motorway]);
        let r = g.build_report();
        assert_eq!(
            (r.streets_used, r.not_walkable, r.invalid_vertices),
            (3, 1, 1)
        );
        // Ring: nodes at (0,0) (its ends) and at (0.001,0.001) (spur) → 2 edges; spur 1 edge;
        // stray: first run degenerate after dedup (one vertex), second run 1 edge.
        assert_eq!(g.edge_count(), 4);
        assert_eq!(g.node_count(), 5);
        assert_eq!(g.component_sizes(), &[3, 2]);
        assert_eq!(g.largest_component(), Some(0));
        let ring_len: f64 = g.edges()[..2].iter().map(|e| e.length_m).sum();
        assert!((ring_len - 4.0 * 111.3).abs() < 2.0, "{ring_len}");
        // Degree of the spur junction is 3, each arc listed once, ordered by edge id.
        let junction = g.edge(EdgeId(0)).b;
        let arcs: Vec<u32> = g.neighbours(junction).map(|(_, e, _)| e.0).collect();
        assert_eq!(arcs, [0, 1, 2]);
        assert_eq!(g.component_of(NodeId(4)), 1);
    }

    #[test]
    fn renumbered_nodes_keep_their_edges_and_positions() {
        // A grid of 6 × 6 streets crossing at every vertex, streets given in a scrambled order.
        let mut streets = Vec::new();
        for k in [3, 0, 5, 1, 4, 2] {
            let c = f64::from(k) * 0.001;
            let across: Vec<(f64, f64)> = (0..6).map(|i| (f64::from(i) * 0.001, c)).collect();
            let up: Vec<(f64, f64)> = (0..6).map(|i| (c, f64::from(i) * 0.001)).collect();
            streets.push(street("a", &across, None));
            streets.push(street("u", &up, None));
        }
        let g = WalkGraph::build(&streets);
        assert_eq!(g.node_count(), 36);
        // Every edge still joins the nodes at its geometry's ends.
        for (k, e) in g.edges().iter().enumerate() {
            let geom = g.edge_geometry(EdgeId(k as u32));
            assert_eq!(g.node_xy(e.a), geom[0]);
            assert_eq!(g.node_xy(e.b), geom[geom.len() - 1]);
        }
        // Hilbert order: consecutive node ids are near each other (one or two cells apart on
        // this grid, whose cells do not align with the curve's quadrants); the streets' own
        // order puts whole rows and columns between them.
        let cell = 0.001 * 111_320.0;
        let worst = (1..36u32)
            .map(|n| seg_len(g.node_xy(NodeId(n - 1)), g.node_xy(NodeId(n))))
            .fold(0.0, f64::max);
        assert!(worst < 2.1 * cell, "{worst:.0} m");
    }

    #[test]
    fn subline_and_point_along() {
        let g = WalkGraph::build(&[street(
            "a",
            &[(0.0, 0.0), (0.001, 0.0), (0.001, 0.001)],
            None,
        )]);
        let e = EdgeId(0);
        let len = g.edge(e).length_m;
        let mut out = Vec::new();
        g.edge_subline(e, 50.0, len - 50.0, &mut out);
        assert_eq!(out.len(), 3);
        let l: f64 = out.windows(2).map(|w| seg_len(w[0], w[1])).sum();
        assert!((l - (len - 100.0)).abs() < 1e-9);
        let mut back = Vec::new();
        g.edge_subline(e, len - 50.0, 50.0, &mut back);
        back.reverse();
        assert_eq!(out, back);
        assert_eq!(g.point_along(e, -5.0), g.edge_geometry(e)[0]);
    }
}
