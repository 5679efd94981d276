//! The demand points as the travel-time oracle takes them (snapped to the walk graph and indexed
//! by edge: [`OraclePoints`]), prepared once and kept between questions: a coverage run after a
//! threshold change, a placement after a coverage run, and the ratios snap nothing again.
//!
//! Kept with what they were prepared from: the network (a weak handle, so that a network
//! replaced by an import or a scenario is never mistaken for the one kept: its address cannot
//! be reused while the handle lives), the snapping options and every demand position. A
//! question on another network, or after the demand changed, prepares them again (and keeps
//! those). Preparing costs one snap per point (O(D log E)); the check costs O(D).
//!
//! The worker prepares them ahead of the questions a chunk at a time
//! ([`Engine::demand_points_step`]); a question before the last chunk snaps the rest. The snaps
//! of the chunks are those of one call, so the points kept are the same.

use std::sync::{Arc, Mutex, Weak};

use super::Engine;
use super::snap_index::Chunked;
use crate::plan::geom::LonLat;
use crate::plan::graph::{OraclePoints, SnapOptions, WalkGraph};

/// The kept points and what they were prepared from.
#[derive(Debug)]
struct Kept {
    graph: Option<Weak<WalkGraph>>,
    snap: SnapOptions,
    positions: Vec<LonLat>,
    points: Arc<OraclePoints>,
}

/// The slot an engine keeps them in (empty until the first question), and the points being
/// snapped a chunk at a time.
#[derive(Debug, Default)]
pub(super) struct DemandPoints(Mutex<Option<Kept>>, Mutex<Option<Chunked>>);

impl Kept {
    fn serves(
        &self,
        graph: Option<&Arc<WalkGraph>>,
        snap: &SnapOptions,
        demand: impl Iterator<Item = LonLat>,
    ) -> bool {
        let same_graph = match (&self.graph, graph) {
            (None, None) => true,
            (Some(w), Some(g)) => std::ptr::eq(w.as_ptr(), Arc::as_ptr(g)),
            _ => false,
        };
        same_graph && self.snap == *snap && self.positions.iter().copied().eq(demand)
    }
}

impl Engine {
    /// True when the kept demand points describe the loaded ones on the engine's network.
    pub(super) fn demand_points_kept(&self) -> bool {
        let positions = self.layers.demand.iter().map(|d| d.pos_wgs84);
        let Ok(slot) = self.demand_points.0.lock() else {
            return false;
        };
        slot.as_ref()
            .is_some_and(|k| k.serves(self.graph.as_ref(), &self.snap, positions))
    }

    /// The loaded demand points prepared on `graph` when it is the engine's network (None:
    /// another network, e.g. a scenario's being compared; the caller prepares its own).
    pub(super) fn demand_points_on(&self, graph: Option<&WalkGraph>) -> Option<Arc<OraclePoints>> {
        let ours = self.graph.as_ref();
        let same = match (graph, ours) {
            (None, None) => true,
            (Some(g), Some(o)) => std::ptr::eq(g, Arc::as_ptr(o)),
            _ => false,
        };
        same.then(|| self.demand_points())
    }

    /// Snaps the next `chunk` of the loaded demand points on the engine's network (going on
    /// from the chunks snapped before, unless the network, the options or the points changed
    /// since) and, after the last chunk, keeps them as [`Engine::demand_points`] would have
    /// prepared them.
    pub(super) fn demand_points_step(&self, chunk: usize) {
        let Some(graph) = self.graph.as_ref() else {
            return;
        };
        let Some((positions, points)) = self.demand_points_chunk(graph, chunk) else {
            return;
        };
        if let Ok(mut slot) = self.demand_points.0.lock() {
            *slot = Some(Kept {
                graph: Some(Arc::downgrade(graph)),
                snap: self.snap,
                positions,
                points: Arc::new(points),
            });
        }
    }

    /// The next `chunk` of the loaded demand points snapped on `graph` (the engine's network),
    /// after the chunks snapped before (see [`Engine::demand_points_step`]); their positions
    /// and points when it was the last (`usize::MAX`: always; none is kept here).
    fn demand_points_chunk(
        &self,
        graph: &Arc<WalkGraph>,
        chunk: usize,
    ) -> Option<(Vec<LonLat>, OraclePoints)> {
        let positions = self.layers.demand.iter().map(|d| d.pos_wgs84);
        let mut partial = self.demand_points.1.lock().ok();
        let kept = partial.as_mut().and_then(|p| p.take());
        let mut c = Chunked::resume(kept, graph, self.snap, positions);
        let index = self.snap_index(c.len());
        if !c.advance(graph, index.as_deref(), chunk) {
            if let Some(p) = partial.as_mut() {
                **p = Some(c);
            }
            return None;
        }
        drop(partial);
        let (positions, snaps) = c.into_parts();
        let points = OraclePoints::snapped(graph, &positions, snaps, self.snap);
        Some((positions, points))
    }

    /// The loaded demand points prepared on the engine's network with its snapping options:
    /// the kept ones when they still describe them, else prepared now (and kept; on a network,
    /// going on from the chunks the worker snapped ahead).
    pub(super) fn demand_points(&self) -> Arc<OraclePoints> {
        let positions: Vec<LonLat> = self.layers.demand.iter().map(|d| d.pos_wgs84).collect();
        let graph = self.graph.as_ref();
        // On a network, going on from the chunks the worker snapped ahead (a whole chunk: always
        // the last).
        let prepare = || {
            Arc::new(
                graph
                    .and_then(|g| self.demand_points_chunk(g, usize::MAX))
                    .map_or_else(
                        || OraclePoints::new(None, positions.iter().copied(), self.snap),
                        |(_, points)| points,
                    ),
            )
        };
        // A poisoned slot (a panic elsewhere while it was held) only loses the reuse.
        let Ok(mut slot) = self.demand_points.0.lock() else {
            return prepare();
        };
        if let Some(k) = slot.as_ref()
            && k.serves(graph, &self.snap, positions.iter().copied())
        {
            return Arc::clone(&k.points);
        }
        let points = prepare();
        *slot = Some(Kept {
            graph: graph.map(Arc::downgrade),
            snap: self.snap,
            positions,
            points: Arc::clone(&points),
        });
        points
    }
}
