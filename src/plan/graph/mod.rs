//! The walk graph: streets usable on foot as an undirected graph in local metres, and what is
//! computed on it. `impl WalkGraph` is split by capability:
//! - [`build`]: which streets are walkable, splitting at shared vertices, lengths, compact
//!   (CSR) adjacency, connected components. O(P) expected for P street vertices.
//! - [`snap`]: joining a point to the network at the nearest segment (R-tree), with its
//!   off-network leg and position along the edge. O(log S) per point for S segments.
//! - [`reach`]: bounded multi-source Dijkstra → walking seconds to nodes and to any probe
//!   point, nearest source, walking routes. O((V + E) log V) for what the budget reaches.
//! - [`oracle`]: the travel-time oracle: walking seconds between a fixed point set and
//!   targets, on the network or as straight-line estimates, the one place that rule is written.
//! - [`isochrone`]: polygons of the area reached within one or several budgets, from the
//!   reached network cut exactly at the budget; and the straight-line estimate used only when a
//!   package has no network.
//!
//! - [`compounds`]: gated compounds (封闭小区): who may pass resident-only ways and gates.
//! - [`edits`] and [`overlay`]: a scenario's network edits (new paths, closures, gates,
//!   crossing delay), read from GeoJSON and applied to a built graph as an overlay of removed
//!   and added edges. O(V + E) per scenario, no rebuild from the streets.
//! - [`profile`]: walking profiles (standard, elderly, wheelchair, custom speed).
//!
//! All geometry is in metres on the graph's own [`LocalProjection`]; WGS-84 appears only in
//! inputs (points to snap) and outputs (isochrone polygons, routes). Node and edge ids are
//! dense indices into arenas, stable for a given input (nodes in Hilbert order, see [`build`]).

pub mod build;
pub mod compounds;
pub mod edits;
mod heap;
pub mod isochrone;
pub mod oracle;
pub mod overlay;
pub mod profile;
pub mod reach;
pub mod snap;
pub mod table;

use rstar::{AABB, PointDistance, RTree, RTreeObject};

use super::geom::{LocalProjection, LonLat, Xy};

pub use build::{BuildReport, is_walkable, street_access};
pub use compounds::{Compounds, CompoundsError, NetworkRules};
pub use edits::{EditError, EditProblem, NetworkEdit, NetworkEdits};
pub use isochrone::{
    DEFAULT_DETOUR_FACTOR, Isochrone, IsochroneError, IsochroneKind, IsochroneOptions,
    straight_line_isochrones,
};
pub use oracle::{FromOrigin, Oracle, OraclePoints, PlaceMetres, Site, estimate_metres};
pub use overlay::OverlayReport;
pub use profile::{ProfileError, WalkProfile};
pub use reach::{Budget, ProbeTime, Reach, Route};
pub use snap::{Snap, SnapError, SnapIndex, SnapIndexBuild, SnapOptions, SnapSteps};
pub use table::{StreetAttrs, StreetLine, StreetSource, StreetTable};

/// A node (junction or dead end) of a [`WalkGraph`]: an index into its node arena.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NodeId(pub u32);

/// An edge (street piece between two nodes) of a [`WalkGraph`]: an index into its edge arena.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EdgeId(pub u32);

impl NodeId {
    /// The index as `usize`.
    pub const fn idx(self) -> usize {
        self.0 as usize
    }
}

impl EdgeId {
    /// The index as `usize`.
    pub const fn idx(self) -> usize {
        self.0 as usize
    }
}

/// One undirected edge. Its geometry runs from `a` to `b`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Edge {
    /// First end (where the geometry starts).
    pub a: NodeId,
    /// Second end (where the geometry ends); equal to `a` for a loop.
    pub b: NodeId,
    /// Length along the geometry, metres.
    pub length_m: f64,
    /// True for `highway=steps` (avoided by the wheelchair profile).
    pub steps: bool,
    /// True for a way for residents only (`access=private` …; see [`compounds`]).
    pub private: bool,
    /// True when a scenario's edit removed this edge (closed, or split into new edges): it is
    /// in no adjacency list and no R-tree.
    pub removed: bool,
    /// Index of the source street in the slice the graph was built from.
    pub street: u32,
}

/// One entry of a node's adjacency list, as the search reads it: 8 bytes, eight arcs to a
/// cache line. The length is the edge's [`Edge::length_m`] rounded to `f32` (a relative error
/// below 6 × 10⁻⁸: under 0.1 mm on a 1 km edge); the edge id is in the parallel
/// `WalkGraph::arc_edge`, read only when a route or a reached edge is asked for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Arc {
    pub(crate) to: u32,
    pub(crate) len_m: f32,
}

/// R-tree entry: the bounding box of one edge's geometry, in local metres. One entry per edge
/// (not per segment) keeps the tree at ≈ 64 bytes per edge; a query takes the boxes in order
/// of their distance (a lower bound of the edge's) and measures the edge's segments exactly.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct EdgeBox {
    pub(crate) env: AABB<[f64; 2]>,
    pub(crate) edge: u32,
}

impl EdgeBox {
    /// The box of edge `edge` with geometry `g`.
    pub(crate) fn new(edge: u32, g: &[Xy]) -> Self {
        let (mut lo, mut hi) = ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]);
        for p in g {
            lo = [lo[0].min(p.x), lo[1].min(p.y)];
            hi = [hi[0].max(p.x), hi[1].max(p.y)];
        }
        Self {
            env: AABB::from_corners(lo, hi),
            edge,
        }
    }
}

impl RTreeObject for EdgeBox {
    type Envelope = AABB<[f64; 2]>;

    fn envelope(&self) -> Self::Envelope {
        self.env
    }
}

impl PointDistance for EdgeBox {
    /// Squared distance to the box: never more than to the edge itself.
    fn distance_2(&self, point: &[f64; 2]) -> f64 {
        self.env.distance_2(point)
    }
}

/// An undirected walking network in local metres. Build it with [`WalkGraph::build`].
#[derive(Debug, Clone)]
pub struct WalkGraph {
    proj: LocalProjection,
    node_xy: Vec<Xy>,
    edges: Vec<Edge>,
    /// Geometry of edge `e` is `geom[geom_start[e]..geom_start[e + 1]]`.
    geom_start: Vec<u32>,
    geom: Vec<Xy>,
    /// Arcs of node `n` are `adj[adj_start[n]..adj_start[n + 1]]`.
    adj_start: Vec<u32>,
    adj: Vec<Arc>,
    /// Per arc (parallel to `adj`): the edge it runs along.
    arc_edge: Vec<u32>,
    /// Per arc (parallel to `adj`): [`ARC_STEPS`], [`ARC_PRIVATE`] of its edge, so that a
    /// search reads the flags it needs in arc order instead of from the edge arena.
    arc_flags: Vec<u8>,
    component: Vec<u32>,
    component_size: Vec<u32>,
    rtree: RTree<EdgeBox>,
    report: BuildReport,
    /// Per node: [`NODE_GATE`], [`NODE_CROSSING`], [`NODE_GATE_OPENED`], [`NODE_GATE_CLOSED`].
    node_flags: Vec<u8>,
    rules: NetworkRules,
    /// Per node: true when outside every gated compound (empty when nothing is resident-only,
    /// and the plain one-layer search applies); see [`compounds`].
    outside: Vec<bool>,
}

/// Arc flag: the edge is `highway=steps`.
pub(crate) const ARC_STEPS: u8 = 1;
/// Arc flag: the edge is resident-only when compounds are closed ([`Edge::private`]).
pub(crate) const ARC_PRIVATE: u8 = 2;

/// Node flag: a compound gate from the data.
pub(crate) const NODE_GATE: u8 = 1;
/// Node flag: a street crossing.
pub(crate) const NODE_CROSSING: u8 = 2;
/// Node flag: a gate a scenario opened (everyone passes).
pub(crate) const NODE_GATE_OPENED: u8 = 4;
/// Node flag: a gate a scenario closed (residents only, whatever the compound setting).
pub(crate) const NODE_GATE_CLOSED: u8 = 8;

impl WalkGraph {
    /// The projection all coordinates of this graph are in.
    pub fn projection(&self) -> &LocalProjection {
        &self.proj
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.node_xy.len()
    }

    /// Number of edges.
    pub fn edge_count(&self) -> usize {
        self.edges.len()
    }

    /// True when the graph has no edge.
    pub fn is_empty(&self) -> bool {
        self.edges.is_empty()
    }

    /// Position of a node in local metres.
    pub fn node_xy(&self, n: NodeId) -> Xy {
        self.node_xy[n.idx()]
    }

    /// Position of a node in WGS-84.
    pub fn node_wgs84(&self, n: NodeId) -> LonLat {
        self.proj.unproject(self.node_xy[n.idx()])
    }

    /// Every node id, in order.
    pub fn nodes(&self) -> impl ExactSizeIterator<Item = NodeId> + '_ {
        (0..self.node_xy.len() as u32).map(NodeId)
    }

    /// One edge.
    pub fn edge(&self, e: EdgeId) -> &Edge {
        &self.edges[e.idx()]
    }

    /// Every edge, indexed by [`EdgeId`].
    pub fn edges(&self) -> &[Edge] {
        &self.edges
    }

    /// The geometry of an edge in local metres, from `a` to `b` (at least two points).
    pub fn edge_geometry(&self, e: EdgeId) -> &[Xy] {
        let s = self.geom_start[e.idx()] as usize;
        let t = self.geom_start[e.idx() + 1] as usize;
        &self.geom[s..t]
    }

    /// The neighbours of a node: `(other end, edge, length in metres)`, by edge id. A loop
    /// edge appears once.
    pub fn neighbours(&self, n: NodeId) -> impl Iterator<Item = (NodeId, EdgeId, f64)> + '_ {
        let r = self.arc_range(n.0);
        self.adj[r.clone()]
            .iter()
            .zip(&self.arc_edge[r])
            .map(|(a, &e)| (NodeId(a.to), EdgeId(e), self.edges[e as usize].length_m))
    }

    /// The index range of node `n`'s arcs in `adj`, `arc_edge` and `arc_flags`.
    fn arc_range(&self, n: u32) -> std::ops::Range<usize> {
        self.adj_start[n as usize] as usize..self.adj_start[n as usize + 1] as usize
    }

    /// The edges of node `n`'s arcs, in arc order.
    pub(crate) fn arc_edges(&self, n: NodeId) -> &[u32] {
        &self.arc_edge[self.arc_range(n.0)]
    }

    /// The edge arc number `arc` (an index into the adjacency) runs along.
    pub(crate) fn edge_of_arc(&self, arc: u32) -> Option<u32> {
        self.arc_edge.get(arc as usize).copied()
    }

    /// The arcs of node `n` with their flags ([`ARC_STEPS`], [`ARC_PRIVATE`]) and the index of
    /// its first arc in the adjacency.
    pub(crate) fn arcs_with_flags(&self, n: u32) -> (u32, &[Arc], &[u8]) {
        let r = self.arc_range(n);
        (r.start as u32, &self.adj[r.clone()], &self.arc_flags[r])
    }

    /// The connected component of a node. Components are numbered in order of their lowest
    /// node id.
    pub fn component_of(&self, n: NodeId) -> u32 {
        self.component[n.idx()]
    }

    /// Node count of every component, indexed by component number.
    pub fn component_sizes(&self) -> &[u32] {
        &self.component_size
    }

    /// The component with the most nodes (the lowest-numbered on a tie), if any.
    pub fn largest_component(&self) -> Option<u32> {
        let mut best: Option<(u32, u32)> = None;
        for (c, &size) in self.component_size.iter().enumerate() {
            if best.is_none_or(|(_, s)| size > s) {
                best = Some((c as u32, size));
            }
        }
        best.map(|(c, _)| c)
    }

    /// Total length of all edges (removed ones excepted), metres.
    pub fn total_length_m(&self) -> f64 {
        self.edges
            .iter()
            .filter(|e| !e.removed)
            .map(|e| e.length_m)
            .sum()
    }

    /// True when node `n` is a street crossing.
    pub fn is_crossing(&self, n: NodeId) -> bool {
        self.node_flags
            .get(n.idx())
            .is_some_and(|f| f & NODE_CROSSING != 0)
    }

    /// True when node `n` is a gate (from the data or a scenario), open or not.
    pub fn is_gate(&self, n: NodeId) -> bool {
        self.node_flags
            .get(n.idx())
            .is_some_and(|f| f & (NODE_GATE | NODE_GATE_OPENED | NODE_GATE_CLOSED) != 0)
    }

    /// What the build kept and dropped.
    pub fn build_report(&self) -> &BuildReport {
        &self.report
    }

    /// The point at `pos_m` metres along edge `e` from `a` (clamped to the edge).
    pub fn point_along(&self, e: EdgeId, pos_m: f64) -> Xy {
        let g = self.edge_geometry(e);
        let mut acc = 0.0;
        for w in g.windows(2) {
            let l = seg_len(w[0], w[1]);
            if acc + l >= pos_m && l > 0.0 {
                let t = ((pos_m - acc) / l).clamp(0.0, 1.0);
                return lerp(w[0], w[1], t);
            }
            acc += l;
        }
        if pos_m <= 0.0 { g[0] } else { g[g.len() - 1] }
    }

    /// Appends to `out` the part of edge `e` between `from_m` and `to_m` metres from `a`
    /// (walked in that direction: reversed when `to_m < from_m`), end points interpolated.
    pub fn edge_subline(&self, e: EdgeId, from_m: f64, to_m: f64, out: &mut Vec<Xy>) {
        let g = self.edge_geometry(e);
        let len = self.edges[e.idx()].length_m;
        let (lo, hi) = (
            from_m.min(to_m).clamp(0.0, len),
            from_m.max(to_m).clamp(0.0, len),
        );
        let start = out.len();
        out.push(self.point_along(e, lo));
        let mut acc = 0.0;
        for w in g.windows(2) {
            acc += seg_len(w[0], w[1]);
            if acc > lo && acc < hi {
                out.push(w[1]);
            }
        }
        out.push(self.point_along(e, hi));
        if to_m < from_m {
            out[start..].reverse();
        }
    }
}

impl WalkGraph {
    /// The point of edge `e` nearest to `xy`: (squared distance, segment index, metres along
    /// the edge to that segment's first point). The first segment wins a tie.
    pub(crate) fn nearest_on_edge(&self, edge: u32, xy: Xy) -> (f64, u32, f64) {
        let mut best = (f64::INFINITY, 0u32, 0.0);
        let mut offset = 0.0;
        // Indexed, not `windows(2).enumerate()`: at the browser's opt-level (size) iterator
        // steps stay calls, and every snap measures a few edges this way.
        let geometry = self.edge_geometry(EdgeId(edge));
        for k in 1..geometry.len() {
            let (from, to) = (geometry[k - 1], geometry[k]);
            let len = seg_len(from, to);
            let frac = if len > 0.0 {
                (((xy.x - from.x) * (to.x - from.x) + (xy.y - from.y) * (to.y - from.y))
                    / (len * len))
                    .clamp(0.0, 1.0)
            } else {
                0.0
            };
            let on = lerp(from, to, frac);
            let (dx, dy) = (xy.x - on.x, xy.y - on.y);
            let d2 = dx * dx + dy * dy;
            if d2 < best.0 {
                best = (d2, (k - 1) as u32, offset);
            }
            offset += len;
        }
        best
    }
}

/// Calls `f(args)` through a function pointer that neither LLVM nor wasm-opt sees through, so
/// that the call stays a call (`#[inline(never)]` alone does not stop wasm-opt from inlining a
/// function that has one caller). Why: the browser's engine first runs a function as quickly
/// compiled code, compiles it for speed once it has run a while, and uses that code from its
/// next call on (it does not replace a running call's code). A long loop inlined into a
/// function called once (the worker's message handler, a batch's outer loop) would run
/// unoptimised to its end; as a function called many times (per chunk, per point) it runs
/// optimised after its first calls. Natively: one indirect call per use.
#[allow(clippy::inline_always)] // otherwise a call at the browser's opt-level z
#[inline(always)]
pub(crate) fn out_of_line<A, R>(f: fn(A) -> R, args: A) -> R {
    std::hint::black_box(f)(args)
}

/// Euclidean length of a segment.
#[allow(clippy::inline_always)] // otherwise a call at the browser's opt-level z
#[inline(always)]
pub(crate) fn seg_len(p: Xy, q: Xy) -> f64 {
    let (dx, dy) = (q.x - p.x, q.y - p.y);
    (dx * dx + dy * dy).sqrt()
}

/// The point a fraction `t` of the way from `p` to `q`.
#[allow(clippy::inline_always)] // otherwise a call at the browser's opt-level z
#[inline(always)]
pub(crate) fn lerp(p: Xy, q: Xy, t: f64) -> Xy {
    Xy {
        x: p.x + (q.x - p.x) * t,
        y: p.y + (q.y - p.y) * t,
    }
}
