//! Applying a scenario's [`NetworkEdits`] to a built walk graph as an overlay: edges that an
//! edit splits or closes are flagged removed (kept in the arena, so every existing node and
//! edge id stays valid, but in no adjacency list and no R-tree), and new nodes and edges are
//! appended. Nothing is rebuilt from the streets.
//!
//! - **Anchors**: an `add_path` end or a gate within 1 m of a graph node is that node; else it
//!   cuts the nearest edge within 50 m at its projection (a straight connector joins a path's
//!   end to the cut). Several cuts on one edge within 1 m of each other are one.
//! - **Closures**: each consecutive pair of a `close` line's vertices must lie within 1 m of one
//!   common edge; the piece between their positions is cut out and removed.
//! - **Gates**: the anchor node gets the opened or closed gate flag.
//! - The crossing delay becomes the graph's rule.
//!
//! Every problem is collected (feature index and field); with any, nothing is applied.
//! Complexity: O(V + E) to copy the arenas and rebuild adjacency and components, plus
//! O(k log E) R-tree updates for k changed edges: a scenario switch costs milliseconds.

use std::collections::BTreeMap;

use super::build::{Parts, edge_boxes};
use super::edits::{EditError, EditProblem, NetworkEdit, NetworkEdits, validate};
use super::{
    Edge, EdgeBox, EdgeId, NODE_GATE_CLOSED, NODE_GATE_OPENED, NetworkRules, NodeId, SnapOptions,
    WalkGraph, seg_len,
};
use crate::plan::geom::Xy;

/// Within this distance (metres) an end or a vertex is on a node or an edge.
pub const JOIN_TOLERANCE_M: f64 = 1.0;
/// Farthest an `add_path` end or a gate may be from the network, metres.
pub const MAX_JOIN_M: f64 = 50.0;

/// What an overlay changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OverlayReport {
    /// Edges removed (closed, or replaced by their split pieces).
    pub removed_edges: usize,
    /// Edges added (split pieces and new paths).
    pub added_edges: usize,
    /// Nodes added (at cuts).
    pub added_nodes: usize,
    /// Edges closed (length in metres).
    pub closed_m: u64,
    /// New path length, metres.
    pub added_path_m: u64,
}

/// Where an edit touches the network.
#[derive(Debug, Clone, Copy)]
enum Anchor {
    Node(u32),
    /// Edge and position along it, metres from `a`.
    Cut(u32, f64),
}

/// The edits placed on a graph (see [`WalkGraph::locate`]).
struct Located {
    /// Per edit: its anchors (path ends, gate).
    anchors: Vec<Vec<(Anchor, Xy)>>,
    /// Positions along base edges where the edge is split.
    cuts: BTreeMap<u32, Vec<f64>>,
    /// Closed intervals along base edges.
    closed: BTreeMap<u32, Vec<(f64, f64)>>,
}

impl WalkGraph {
    /// Where each edit lands on this graph: path ends and gates as anchors, closures as
    /// intervals along existing edges, and the positions where edges must be cut.
    ///
    /// # Errors
    /// Every edit that cannot be placed, by feature index and field.
    fn locate(&self, file: &str, edits: &NetworkEdits) -> Result<Located, EditError> {
        validate(file, edits)?;
        let mut problems = Vec::new();
        let mut cuts: BTreeMap<u32, Vec<f64>> = BTreeMap::new();
        // Per edit: its anchors (path ends, gate) or closed intervals.
        let mut anchors: Vec<Vec<(Anchor, Xy)>> = Vec::new();
        let mut closed: BTreeMap<u32, Vec<(f64, f64)>> = BTreeMap::new();
        for (k, e) in edits.edits.iter().enumerate() {
            let mut here = Vec::new();
            let mut bad = |message: String| {
                problems.push(EditProblem {
                    feature: Some(k),
                    field: "geometry",
                    message,
                });
            };
            match e {
                NetworkEdit::AddPath { line_wgs84 } => {
                    let ends = [line_wgs84[0], line_wgs84[line_wgs84.len() - 1]];
                    for (which, p) in ["first", "last"].into_iter().zip(ends) {
                        match self.anchor(self.proj.project(p)) {
                            Ok(a) => here.push(a),
                            Err(d) => bad(format!(
                                "its {which} point is {d:.0} m from the walking network (limit {MAX_JOIN_M:.0} m)"
                            )),
                        }
                    }
                }
                NetworkEdit::GateOpen { at_wgs84 } | NetworkEdit::GateClosed { at_wgs84 } => {
                    match self.anchor(self.proj.project(*at_wgs84)) {
                        Ok(a) => here.push(a),
                        Err(d) => bad(format!(
                            "the gate is {d:.0} m from the walking network (limit {MAX_JOIN_M:.0} m)"
                        )),
                    }
                }
                NetworkEdit::Close { line_wgs84 } => {
                    let xy: Vec<Xy> = line_wgs84.iter().map(|&p| self.proj.project(p)).collect();
                    for (i, w) in xy.windows(2).enumerate() {
                        match self.common_edge(w[0], w[1]) {
                            Some((edge, lo, hi)) => {
                                closed.entry(edge).or_default().push((lo, hi));
                            }
                            None => bad(format!(
                                "vertices {i} and {} do not both lie on one street within {JOIN_TOLERANCE_M} m",
                                i + 1
                            )),
                        }
                    }
                }
            }
            for &(a, _) in &here {
                if let Anchor::Cut(edge, pos) = a {
                    cuts.entry(edge).or_default().push(pos);
                }
            }
            anchors.push(here);
        }
        if !problems.is_empty() {
            return Err(EditError {
                file: file.to_owned(),
                problems,
            });
        }
        Ok(Located {
            anchors,
            cuts,
            closed,
        })
    }
}

impl WalkGraph {
    /// This graph with `edits` applied (see the module documentation) and the compound setting
    /// of `rules` (its crossing delay is replaced by the edits'). The base is not changed.
    ///
    /// # Errors
    /// Every edit that cannot be placed, by feature index and field; nothing is applied.
    pub fn with_edits(
        &self,
        file: &str,
        edits: &NetworkEdits,
        rules: NetworkRules,
    ) -> Result<(WalkGraph, OverlayReport), EditError> {
        let Located {
            anchors,
            mut cuts,
            closed,
        } = self.locate(file, edits)?;
        for (&edge, iv) in &closed {
            let len = self.edges[edge as usize].length_m;
            for &(lo, hi) in iv {
                for p in [lo, hi] {
                    if p > JOIN_TOLERANCE_M && p < len - JOIN_TOLERANCE_M {
                        cuts.entry(edge).or_default().push(p);
                    }
                }
            }
        }

        let mut node_xy = self.node_xy.clone();
        let mut node_flags = self.node_flags.clone();
        let mut edges = self.edges.clone();
        let mut geom_start = self.geom_start.clone();
        let mut geom = self.geom.clone();
        let base_edges = edges.len();
        let mut report = OverlayReport::default();
        let mut gone: Vec<u32> = Vec::new();

        // Split edges at their cuts: pieces (from, to, new edge id) per split edge.
        let mut pieces: BTreeMap<u32, Vec<(f64, f64, u32)>> = BTreeMap::new();
        let mut cut_nodes: BTreeMap<u32, Vec<(f64, u32)>> = BTreeMap::new();
        for (&edge, ps) in &mut cuts {
            let base = self.edges[edge as usize];
            let len = base.length_m;
            crate::plan::sort::by(ps, f64::total_cmp);
            let mut at: Vec<(f64, u32)> = vec![(0.0, base.a.0)];
            for &p in ps.iter() {
                if p <= JOIN_TOLERANCE_M || p >= len - JOIN_TOLERANCE_M {
                    continue;
                }
                if at.last().is_some_and(|&(q, _)| p - q <= JOIN_TOLERANCE_M) {
                    continue;
                }
                node_xy.push(self.point_along(EdgeId(edge), p));
                node_flags.push(0);
                report.added_nodes += 1;
                at.push((p, (node_xy.len() - 1) as u32));
            }
            at.push((len, base.b.0));
            if at.len() == 2 {
                continue;
            }
            edges[edge as usize].removed = true;
            gone.push(edge);
            let mut line = Vec::new();
            for w in at.windows(2) {
                line.clear();
                self.edge_subline(EdgeId(edge), w[0].0, w[1].0, &mut line);
                line.dedup();
                let id = push_edge(
                    &mut edges,
                    &mut geom_start,
                    &mut geom,
                    &line,
                    (w[0].1, w[1].1),
                    base,
                );
                pieces.entry(edge).or_default().push((w[0].0, w[1].0, id));
            }
            cut_nodes.insert(edge, at);
        }
        let node_at = |a: Anchor| -> u32 {
            match a {
                Anchor::Node(n) => n,
                Anchor::Cut(edge, pos) => cut_nodes
                    .get(&edge)
                    .and_then(|at| {
                        at.iter()
                            .min_by(|x, y| (x.0 - pos).abs().total_cmp(&(y.0 - pos).abs()))
                            .map(|&(_, n)| n)
                    })
                    .unwrap_or_else(|| {
                        let e = self.edges[edge as usize];
                        if pos < e.length_m / 2.0 { e.a.0 } else { e.b.0 }
                    }),
            }
        };

        // Closures: remove the pieces (or whole edges) inside the closed intervals.
        for (&edge, iv) in &closed {
            let inside = |from: f64, to: f64| {
                iv.iter().any(|&(lo, hi)| {
                    from >= lo - JOIN_TOLERANCE_M && to <= hi + JOIN_TOLERANCE_M && to - from > 0.0
                })
            };
            if let Some(ps) = pieces.get(&edge) {
                for &(from, to, id) in ps {
                    if inside(from, to) && !edges[id as usize].removed {
                        edges[id as usize].removed = true;
                        report.closed_m += edges[id as usize].length_m.round() as u64;
                    }
                }
            } else {
                let len = self.edges[edge as usize].length_m;
                if inside(0.0, len) && !edges[edge as usize].removed {
                    edges[edge as usize].removed = true;
                    gone.push(edge);
                    report.closed_m += len.round() as u64;
                }
            }
        }

        // New paths and gates.
        for (e, here) in edits.edits.iter().zip(&anchors) {
            match e {
                NetworkEdit::AddPath { line_wgs84 } => {
                    let (a, b) = (node_at(here[0].0), node_at(here[1].0));
                    let mut line: Vec<Xy> = vec![node_xy[a as usize]];
                    line.extend(line_wgs84.iter().map(|&p| self.proj.project(p)));
                    line.push(node_xy[b as usize]);
                    line.dedup();
                    if line.len() < 2 {
                        continue;
                    }
                    let template = Edge {
                        a: NodeId(a),
                        b: NodeId(b),
                        length_m: 0.0,
                        steps: false,
                        private: false,
                        removed: false,
                        street: u32::MAX,
                    };
                    let id = push_edge(
                        &mut edges,
                        &mut geom_start,
                        &mut geom,
                        &line,
                        (a, b),
                        template,
                    );
                    report.added_path_m += edges[id as usize].length_m.round() as u64;
                }
                NetworkEdit::GateOpen { .. } | NetworkEdit::GateClosed { .. } => {
                    let n = node_at(here[0].0) as usize;
                    let open = matches!(e, NetworkEdit::GateOpen { .. });
                    node_flags[n] &= !(NODE_GATE_OPENED | NODE_GATE_CLOSED);
                    node_flags[n] |= if open {
                        NODE_GATE_OPENED
                    } else {
                        NODE_GATE_CLOSED
                    };
                }
                NetworkEdit::Close { .. } => {}
            }
        }
        report.added_edges = edges.len() - base_edges;
        report.removed_edges = edges.iter().filter(|e| e.removed).count()
            - self.edges.iter().filter(|e| e.removed).count();

        // R-tree: the base's, less the removed base edges, plus the new live edges.
        let mut rtree = self.rtree.clone();
        gone.sort_unstable();
        gone.dedup();
        for &edge in &gone {
            rtree.remove(&EdgeBox::new(edge, self.edge_geometry(EdgeId(edge))));
        }
        for b in edge_boxes(&edges, &geom_start, &geom, base_edges) {
            rtree.insert(b);
        }
        let rules = NetworkRules {
            crossing_delay_s: edits.crossing_delay_s,
            ..rules
        };
        let graph = WalkGraph::assemble(Parts {
            proj: self.proj,
            node_xy,
            node_flags,
            edges,
            geom_start,
            geom,
            rtree,
            report: self.report.clone(),
            rules,
        });
        Ok((graph, report))
    }

    /// The anchor of a point: a node within 1 m, else a cut of the nearest edge within 50 m;
    /// `Err(distance)` when farther.
    fn anchor(&self, xy: Xy) -> Result<(Anchor, Xy), f64> {
        let opts = SnapOptions {
            max_off_network_m: MAX_JOIN_M,
            ..SnapOptions::default()
        };
        let s = self.snap_xy(xy, &opts).map_err(|e| match e {
            super::SnapError::OffNetwork { distance_m } => distance_m,
            _ => f64::INFINITY,
        })?;
        let e = self.edges[s.edge.idx()];
        for (n, d) in [(e.a, s.from_start_m), (e.b, s.to_end_m)] {
            if seg_len(xy, self.node_xy[n.idx()]) <= JOIN_TOLERANCE_M || (d <= 0.0) {
                return Ok((Anchor::Node(n.0), xy));
            }
        }
        Ok((Anchor::Cut(s.edge.0, s.from_start_m), xy))
    }

    /// The edge both points lie on (within 1 m), with their positions sorted: the one whose
    /// distance along it best matches the straight distance.
    fn common_edge(&self, p: Xy, q: Xy) -> Option<(u32, f64, f64)> {
        let near = |pt: Xy| -> BTreeMap<u32, f64> {
            let mut found: BTreeMap<u32, f64> = BTreeMap::new();
            let tol2 = JOIN_TOLERANCE_M * JOIN_TOLERANCE_M;
            for entry in self.rtree.locate_within_distance([pt.x, pt.y], tol2) {
                let (d2, seg, offset) = self.nearest_on_edge(entry.edge, pt);
                if d2 > tol2 {
                    continue;
                }
                let g = self.edge_geometry(EdgeId(entry.edge));
                let (s0, s1) = (g[seg as usize], g[seg as usize + 1]);
                let seg = seg_len(s0, s1);
                let frac = if seg > 0.0 {
                    (((pt.x - s0.x) * (s1.x - s0.x) + (pt.y - s0.y) * (s1.y - s0.y)) / (seg * seg))
                        .clamp(0.0, 1.0)
                } else {
                    0.0
                };
                found.insert(entry.edge, offset + frac * seg);
            }
            found
        };
        let (at_p, at_q) = (near(p), near(q));
        let straight = seg_len(p, q);
        let mismatch = |(_, x, y): &(u32, f64, f64)| ((x - y).abs() - straight).abs();
        at_p.iter()
            .filter_map(|(edge, &x)| at_q.get(edge).map(|&y| (*edge, x, y)))
            .filter(|&(_, x, y)| (x - y).abs() > 0.0)
            .min_by(|u, v| mismatch(u).total_cmp(&mismatch(v)))
            .map(|(edge, x, y)| (edge, x.min(y), x.max(y)))
    }
}

/// Appends an edge with geometry `line` between nodes `ends`, its flags from `like`.
fn push_edge(
    edges: &mut Vec<Edge>,
    geom_start: &mut Vec<u32>,
    geom: &mut Vec<Xy>,
    line: &[Xy],
    ends: (u32, u32),
    like: Edge,
) -> u32 {
    let length_m = line.windows(2).map(|w| seg_len(w[0], w[1])).sum();
    geom.extend_from_slice(line);
    geom_start.push(geom.len() as u32);
    edges.push(Edge {
        a: NodeId(ends.0),
        b: NodeId(ends.1),
        length_m,
        removed: false,
        ..like
    });
    (edges.len() - 1) as u32
}
