//! Snapping points to the walk graph: the nearest segment of the edges found in an R-tree of
//! edge bounding boxes (squared distances in local metres; boxes by increasing distance until
//! one is farther than the best edge measured), the position along that edge in metres from each end,
//! and the straight off-network leg from the point to the network.
//!
//! A point farther than [`SnapOptions::max_off_network_m`] (default 300 m) is reported as
//! [`SnapError::OffNetwork`], never silently joined. Ties (a point exactly on a junction, or
//! equidistant from two edges) go to the lowest edge id, so snapping is deterministic.
//! Complexity: O(log S) expected for S segments (more when filters skip many near segments).

use super::{EdgeId, NodeId, WalkGraph, lerp, seg_len};
use crate::plan::geom::{LonLat, Xy};

/// How points join the network.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SnapOptions {
    /// Farthest a point may be from the network, metres (default 300).
    pub max_off_network_m: f64,
    /// Join only the largest connected component (default false: the nearest edge wins).
    pub largest_component_only: bool,
    /// Never join a `highway=steps` edge (use with the wheelchair profile; default false).
    pub avoid_steps: bool,
}

impl Default for SnapOptions {
    fn default() -> Self {
        Self {
            max_off_network_m: 300.0,
            largest_component_only: false,
            avoid_steps: false,
        }
    }
}

/// Where a point joins the network.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Snap {
    /// The edge joined.
    pub edge: EdgeId,
    /// Distance along the edge from its `a` end to the join, metres.
    pub from_start_m: f64,
    /// Distance along the edge from the join to its `b` end, metres.
    pub to_end_m: f64,
    /// Straight distance from the point to the join, metres (walked at the same speed).
    pub off_network_m: f64,
    /// The point itself, local metres.
    pub point_xy: Xy,
    /// The join on the edge, local metres.
    pub on_network_xy: Xy,
}

/// Why a point could not be snapped.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
pub enum SnapError {
    /// The point is not a valid WGS-84 position.
    #[error("not a valid WGS-84 position")]
    InvalidPosition,
    /// The graph has no (eligible) edge.
    #[error("the walking network is empty")]
    EmptyNetwork,
    /// The nearest eligible edge is farther than the limit.
    #[error("{distance_m:.0} m from the walking network (limit exceeded)")]
    OffNetwork {
        /// Distance to the nearest eligible edge, metres.
        distance_m: f64,
    },
}

impl WalkGraph {
    /// Snaps a WGS-84 point.
    ///
    /// ```
    /// use shuangquan::plan::geom::LonLat;
    /// use shuangquan::plan::graph::{SnapError, SnapOptions, WalkGraph};
    /// use shuangquan::plan::model::Street;
    /// let s = Street { id: "1".into(), coords_wgs84: vec![LonLat::new(24.0, 60.0), LonLat::new(24.01, 60.0)],
    ///                  highway: None, foot: None, access: None, name: None, area: None, service: None };
    /// let g = WalkGraph::build(&[s]);
    /// let snap = g.snap(LonLat::new(24.005, 60.0002), &SnapOptions::default()).unwrap();
    /// assert!((snap.off_network_m - 22.3).abs() < 0.2);
    /// assert!((snap.from_start_m - snap.to_end_m).abs() < 0.01);
    /// let far = g.snap(LonLat::new(24.005, 60.01), &SnapOptions::default());
    /// assert!(matches!(far, Err(SnapError::OffNetwork { .. })));
    /// ```
    pub fn snap(&self, p: LonLat, opts: &SnapOptions) -> Result<Snap, SnapError> {
        if !p.is_valid() {
            return Err(SnapError::InvalidPosition);
        }
        self.snap_xy(self.proj.project(p), opts)
    }

    /// Snaps a point given in the graph's local metres.
    pub fn snap_xy(&self, xy: Xy, opts: &SnapOptions) -> Result<Snap, SnapError> {
        if !(xy.x.is_finite() && xy.y.is_finite()) {
            return Err(SnapError::InvalidPosition);
        }
        let largest = if opts.largest_component_only {
            self.largest_component()
        } else {
            None
        };
        let eligible = |e: u32| {
            let edge = &self.edges[e as usize];
            !(opts.avoid_steps && edge.steps)
                && largest.is_none_or(|c| self.component[edge.a.idx()] == c)
        };
        let limit2 = opts.max_off_network_m * opts.max_off_network_m;
        let mut best: Option<(f64, u32, u32, f64)> = None; // (d², edge, seg, offset)
        // Boxes come in order of their distance, a lower bound of their edge's: once a box is
        // farther than the best edge so far, no later edge can be nearer.
        for (entry, lower2) in self
            .rtree
            .nearest_neighbor_iter_with_distance_2(&[xy.x, xy.y])
        {
            if best.is_some_and(|(bd2, ..)| lower2 > bd2) {
                break;
            }
            if !eligible(entry.edge) {
                continue;
            }
            let (d2, seg, offset) = self.nearest_on_edge(entry.edge, xy);
            // Equal distances: the lower edge id (boxes do not come in edge order).
            let better = best
                .is_none_or(|(bd2, be, ..)| d2.total_cmp(&bd2).then(entry.edge.cmp(&be)).is_lt());
            if better {
                best = Some((d2, entry.edge, seg, offset));
            }
        }
        let Some((d2, edge, seg, offset)) = best else {
            return Err(SnapError::EmptyNetwork);
        };
        if d2 > limit2 {
            return Err(SnapError::OffNetwork {
                distance_m: d2.sqrt(),
            });
        }
        let geometry = self.edge_geometry(EdgeId(edge));
        let (p, q) = (geometry[seg as usize], geometry[seg as usize + 1]);
        let l = seg_len(p, q);
        let t = if l > 0.0 {
            (((xy.x - p.x) * (q.x - p.x) + (xy.y - p.y) * (q.y - p.y)) / (l * l)).clamp(0.0, 1.0)
        } else {
            0.0
        };
        let on = lerp(p, q, t);
        let len = self.edges[edge as usize].length_m;
        let from_start_m = (offset + t * l).clamp(0.0, len);
        Ok(Snap {
            edge: EdgeId(edge),
            from_start_m,
            to_end_m: (len - from_start_m).max(0.0),
            off_network_m: seg_len(xy, on),
            point_xy: xy,
            on_network_xy: on,
        })
    }

    /// The snap of a node onto its first incident edge (position 0 or the edge's length, no
    /// off-network leg); `None` for an id out of range.
    pub fn snap_node(&self, n: NodeId) -> Option<Snap> {
        if n.idx() >= self.node_count() {
            return None;
        }
        let edge = *self.arc_edges(n).first()?;
        let e = &self.edges[edge as usize];
        let at_start = e.a == n;
        let xy = self.node_xy[n.idx()];
        Some(Snap {
            edge: EdgeId(edge),
            from_start_m: if at_start { 0.0 } else { e.length_m },
            to_end_m: if at_start { e.length_m } else { 0.0 },
            off_network_m: 0.0,
            point_xy: xy,
            on_network_xy: xy,
        })
    }
}
