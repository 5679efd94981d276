//! Snapping points to the walk graph: the nearest segment of the edges found in an R-tree of
//! edge bounding boxes (squared distances in local metres), the position along that edge in
//! metres from each end, and the straight off-network leg from the point to the network. The
//! edges are looked for in square windows of growing size around the point (2 m, ×4 up to the
//! snapping limit), which needs no priority queue; a point with no edge within the limit is
//! measured by taking boxes by increasing distance until one is farther than the best edge.
//!
//! A point farther than [`SnapOptions::max_off_network_m`] (default 300 m) is reported as
//! [`SnapError::OffNetwork`], never silently joined. Ties (a point exactly on a junction, or
//! equidistant from two edges) go to the lowest edge id, so snapping is deterministic.
//! Complexity: O(log S + k) expected for S edges and k edges in the window (more when filters
//! skip many near edges).

mod grid;

pub use grid::{SnapIndex, SnapIndexBuild, SnapSteps};

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
        let best = self
            .nearest_in_windows(xy, opts.max_off_network_m, &eligible)
            .or_else(|| self.nearest_by_distance(xy, &eligible));
        let Some(best) = best else {
            return Err(SnapError::EmptyNetwork);
        };
        self.snap_on(xy, best, opts)
    }

    /// The snap of `xy` onto the nearest eligible edge `(d², edge, segment, offset)`, or how
    /// far it is when beyond the limit.
    fn snap_on(
        &self,
        xy: Xy,
        (d2, edge, seg, offset): (f64, u32, u32, f64),
        opts: &SnapOptions,
    ) -> Result<Snap, SnapError> {
        let limit2 = opts.max_off_network_m * opts.max_off_network_m;
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

    /// The nearest eligible edge within `limit` metres, `(d², edge, segment, offset)` (ties:
    /// the lowest edge id), found through square windows of growing half-width (2 m, then ×4
    /// up to `limit`): every edge within `r` of the point has its box in the window of
    /// half-width `r`, so once the best edge of a window is within `r`, no edge outside it is
    /// nearer and the answer is the one [`Self::nearest_by_distance`] gives. A window query
    /// needs no priority queue (most points lie within metres of a street); `None` when no
    /// eligible edge is within `limit`.
    fn nearest_in_windows(
        &self,
        xy: Xy,
        limit: f64,
        eligible: &dyn Fn(u32) -> bool,
    ) -> Option<(f64, u32, u32, f64)> {
        if !(limit.is_finite() && limit > 0.0) {
            return None;
        }
        let mut r = limit.min(2.0);
        loop {
            // A margin against the rounding of the point found on a segment.
            let m = r * (1.0 + 1e-9) + 1e-6;
            let window = rstar::AABB::from_corners([xy.x - m, xy.y - m], [xy.x + m, xy.y + m]);
            let mut best: Option<(f64, u32, u32, f64)> = None;
            for entry in self.rtree.locate_in_envelope_intersecting(&window) {
                if !eligible(entry.edge) {
                    continue;
                }
                let (d2, seg, offset) = self.nearest_on_edge(entry.edge, xy);
                if best.is_none_or(|(bd2, be, ..)| {
                    d2.total_cmp(&bd2).then(entry.edge.cmp(&be)).is_lt()
                }) {
                    best = Some((d2, entry.edge, seg, offset));
                }
            }
            if best.is_some_and(|(d2, ..)| d2 <= r * r) {
                return best;
            }
            if r >= limit {
                return None;
            }
            r = (r * 4.0).min(limit);
        }
    }

    /// The nearest eligible edge at any distance, `(d², edge, segment, offset)` (ties: the
    /// lowest edge id): boxes in order of their distance, a lower bound of their edge's, until
    /// one is farther than the best edge so far. `None` without an eligible edge.
    fn nearest_by_distance(
        &self,
        xy: Xy,
        eligible: &dyn Fn(u32) -> bool,
    ) -> Option<(f64, u32, u32, f64)> {
        let mut best: Option<(f64, u32, u32, f64)> = None;
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
        best
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

#[cfg(test)]
mod tests {
    use super::{SnapOptions, WalkGraph};
    use crate::plan::geom::{LonLat, Xy};
    use crate::plan::model::Street;

    /// Seeded streets: short polylines (some of them steps) scattered over ≈ 2 km, many not
    /// joined to the others, so components, filters, gaps wider than the windows and exact
    /// ties at shared vertices all occur.
    pub(super) fn streets(seed: u64) -> Vec<Street> {
        let mut unit = units(seed);
        let grid = |u: f64| (u * 40.0).floor() / 40.0 * 0.02;
        (0..150)
            .map(|i| {
                let (mut lon, mut lat) = (121.45 + grid(unit()), 31.22 + grid(unit()));
                let coords = (0..2 + (unit() * 3.0) as usize)
                    .map(|_| {
                        let p = LonLat::new(lon, lat);
                        lon += (unit() - 0.5) * 0.002;
                        lat += (unit() - 0.5) * 0.002;
                        p
                    })
                    .collect();
                footway(i, coords, i % 7 == 0)
            })
            .collect()
    }

    /// Seeded numbers in [0, 1) (SplitMix64).
    pub(super) fn units(seed: u64) -> impl FnMut() -> f64 {
        let mut state = seed;
        move || {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let z = (state ^ (state >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            let z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB) ^ (z >> 31);
            (z >> 11) as f64 / (1u64 << 53) as f64
        }
    }

    /// Street number `i`: a footway, or steps.
    pub(super) fn footway(i: usize, coords: Vec<LonLat>, steps: bool) -> Street {
        Street {
            id: i.to_string(),
            coords_wgs84: coords,
            highway: Some(if steps { "steps" } else { "footway" }.to_owned()),
            foot: None,
            access: None,
            name: None,
            area: None,
            service: None,
        }
    }

    /// The box of the graph's nodes, (lower left, upper right).
    fn node_box(g: &WalkGraph) -> (Xy, Xy) {
        let (mut lo, mut hi) = (
            Xy {
                x: f64::MAX,
                y: f64::MAX,
            },
            Xy {
                x: f64::MIN,
                y: f64::MIN,
            },
        );
        for p in &g.node_xy {
            (lo.x, lo.y, hi.x, hi.y) = (lo.x.min(p.x), lo.y.min(p.y), hi.x.max(p.x), hi.y.max(p.y));
        }
        (lo, hi)
    }

    /// Points over the streets' box and 400 m around it (some beyond every limit), every 5th
    /// exactly on a street vertex, many within 10 m of one, every 97th not a valid position.
    pub(super) fn probe_points(g: &WalkGraph, n: u32) -> Vec<Xy> {
        let (lo, hi) = node_box(g);
        let at =
            |k: u32, a: f64, b: f64| a - 400.0 + f64::from(k % 1_000) / 1_000.0 * (b - a + 800.0);
        (0..n)
            .map(|i| {
                if i % 97 == 0 {
                    Xy {
                        x: f64::NAN,
                        y: 0.0,
                    }
                } else if i % 5 == 0 {
                    g.node_xy[(i as usize * 7919) % g.node_count()]
                } else if i % 3 == 0 {
                    // Within metres of a vertex: near cell borders, near edges just across.
                    let v = g.node_xy[(i as usize * 104_729) % g.node_count()];
                    Xy {
                        x: v.x + at(i.wrapping_mul(2_654_435_761) >> 5, 0.0, 0.0) / 40.0,
                        y: v.y + at(i.wrapping_mul(40_503) >> 2, 0.0, 0.0) / 40.0,
                    }
                } else {
                    Xy {
                        x: at(i.wrapping_mul(2_654_435_761) >> 7, lo.x, hi.x),
                        y: at(i.wrapping_mul(40_503) >> 3, lo.y, hi.y),
                    }
                }
            })
            .collect()
    }

    #[test]
    fn the_grid_snaps_every_point_as_the_single_point_snapper() {
        let mut far = 0usize;
        for seed in 1..6u64 {
            let mut g = WalkGraph::build(&streets(seed));
            if seed == 5 {
                // Closed edges, as an overlay leaves them: flagged removed, out of the tree.
                let closed: Vec<u32> = (0..g.edge_count() as u32).step_by(3).collect();
                for e in closed {
                    g.rtree.remove(&super::super::EdgeBox::new(
                        e,
                        g.edge_geometry(super::super::EdgeId(e)),
                    ));
                    g.edges[e as usize].removed = true;
                }
            }
            let points = probe_points(&g, 1_000);
            for (limit, avoid_steps, largest_component_only) in [
                (300.0, false, false),
                (3.0, false, false),
                (45.0, true, false),
                (700.0, false, true),
                (120.0, true, true),
                (f64::INFINITY, false, false),
            ] {
                let o = SnapOptions {
                    max_off_network_m: limit,
                    avoid_steps,
                    largest_component_only,
                };
                let many = g.snap_many_xy(&points, &o);
                // Another network's index is never used on this one.
                let other = super::SnapIndex::new(&WalkGraph::build(&streets(seed + 10)));
                assert_eq!(
                    other.snap_many_xy(&g, &points[..100], &o),
                    points[..100]
                        .iter()
                        .map(|p| g.snap_xy(*p, &o))
                        .collect::<Vec<_>>()
                );
                for (i, (p, got)) in points.iter().zip(&many).enumerate() {
                    let want = g.snap_xy(*p, &o);
                    far += usize::from(matches!(want, Err(super::SnapError::OffNetwork { .. })));
                    assert_eq!(*got, want, "seed {seed}, point {i}, {p:?}, {o:?}");
                }
            }
        }
        assert!(far > 1_000, "{far}");
    }

    #[test]
    fn windows_find_the_edge_the_distance_order_finds() {
        let mut checked = [0usize; 3];
        for seed in 1..6u64 {
            let g = WalkGraph::build(&streets(seed));
            let opts = [
                SnapOptions::default(),
                SnapOptions {
                    max_off_network_m: 45.0,
                    avoid_steps: true,
                    largest_component_only: false,
                },
                SnapOptions {
                    max_off_network_m: 700.0,
                    avoid_steps: false,
                    largest_component_only: true,
                },
            ];
            for (k, o) in opts.iter().enumerate() {
                let largest = o
                    .largest_component_only
                    .then(|| g.largest_component())
                    .flatten();
                let eligible = |e: u32| {
                    let edge = &g.edges[e as usize];
                    !(o.avoid_steps && edge.steps)
                        && largest.is_none_or(|c| g.component[edge.a.idx()] == c)
                };
                let (lo, hi) = node_box(&g);
                for i in 0..2_000u32 {
                    // Points over the streets' box and 400 m around it (some beyond every
                    // limit), and every 5th exactly on a street vertex.
                    let at = |k: u32, a: f64, b: f64| {
                        a - 400.0 + f64::from(k % 1_000) / 1_000.0 * (b - a + 800.0)
                    };
                    let xy = if i % 5 == 0 {
                        g.node_xy[(i as usize * 7919) % g.node_count()]
                    } else {
                        Xy {
                            x: at(i.wrapping_mul(2_654_435_761) >> 7, lo.x, hi.x),
                            y: at(i.wrapping_mul(40_503) >> 3, lo.y, hi.y),
                        }
                    };
                    let reference = g.nearest_by_distance(xy, &eligible);
                    let windows = g.nearest_in_windows(xy, o.max_off_network_m, &eligible);
                    let limit2 = o.max_off_network_m * o.max_off_network_m;
                    match reference {
                        Some(r) if r.0 <= limit2 => {
                            assert_eq!(windows, Some(r), "seed {seed}, point {i}, {xy:?}");
                            checked[k] += 1;
                        }
                        _ => assert_eq!(windows, None, "seed {seed}, point {i}, {xy:?}"),
                    }
                }
            }
        }
        assert!(checked.iter().all(|&c| c > 1_000), "{checked:?}");
    }
}
