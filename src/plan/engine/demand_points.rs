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
//! The worker prepares them ahead of the questions a chunk of [`CHUNK`] points at a time
//! ([`Engine::demand_points_step`]), so that a click waits for one chunk at most (60,000 points
//! at once were one step of 70–95 ms); the snaps of the chunks are those of one call, so the
//! points kept are the same.

use std::sync::{Arc, Mutex, Weak};

use super::Engine;
use crate::plan::geom::LonLat;
use crate::plan::graph::{OraclePoints, Snap, SnapError, SnapOptions, WalkGraph};

/// Demand points snapped in one idle step of the worker (≈ 5 ms of snapping on the city
/// fixture in the browser).
pub const CHUNK: usize = 4096;

/// The kept points and what they were prepared from.
#[derive(Debug)]
struct Kept {
    graph: Option<Weak<WalkGraph>>,
    snap: SnapOptions,
    positions: Vec<LonLat>,
    points: Arc<OraclePoints>,
}

/// The slot an engine keeps them in (empty until the first question), and the points being
/// prepared a chunk at a time.
#[derive(Debug, Default)]
pub(super) struct DemandPoints(Mutex<Option<Kept>>, Mutex<Option<Partial>>);

/// Demand points being snapped a chunk at a time: what they are prepared from, and the snaps
/// made so far (of the first `joins.len()` positions).
#[derive(Debug)]
struct Partial {
    graph: Weak<WalkGraph>,
    snap: SnapOptions,
    positions: Vec<LonLat>,
    joins: Vec<Result<Snap, SnapError>>,
}

impl Kept {
    fn serves(
        &self,
        graph: Option<&Arc<WalkGraph>>,
        snap: &SnapOptions,
        demand: &[LonLat],
    ) -> bool {
        let same_graph = match (&self.graph, graph) {
            (None, None) => true,
            (Some(w), Some(g)) => std::ptr::eq(w.as_ptr(), Arc::as_ptr(g)),
            _ => false,
        };
        same_graph && self.snap == *snap && self.positions == demand
    }
}

impl Engine {
    /// True when the kept demand points describe the loaded ones on the engine's network.
    pub(super) fn demand_points_kept(&self) -> bool {
        let positions: Vec<LonLat> = self.layers.demand.iter().map(|d| d.pos_wgs84).collect();
        let Ok(slot) = self.demand_points.0.lock() else {
            return false;
        };
        slot.as_ref()
            .is_some_and(|k| k.serves(self.graph.as_ref(), &self.snap, &positions))
    }

    /// Snaps the next `chunk` of the loaded demand points on the engine's network (starting
    /// again when the network, the options or the points changed since the last chunk) and,
    /// after the last chunk, keeps them as [`Engine::demand_points`] would have prepared them
    /// (the worker's steps: [`CHUNK`] points each).
    pub(super) fn demand_points_step(&self, chunk: usize) {
        let positions: Vec<LonLat> = self.layers.demand.iter().map(|d| d.pos_wgs84).collect();
        let (Some(graph), Ok(mut slot), Ok(mut partial)) = (
            self.graph.as_ref(),
            self.demand_points.0.lock(),
            self.demand_points.1.lock(),
        ) else {
            return;
        };
        let mut p = partial
            .take()
            .filter(|p| {
                std::ptr::eq(p.graph.as_ptr(), Arc::as_ptr(graph))
                    && p.snap == self.snap
                    && p.positions == positions
            })
            .unwrap_or_else(|| Partial {
                graph: Arc::downgrade(graph),
                snap: self.snap,
                positions,
                joins: Vec::new(),
            });
        let n = p.positions.len();
        let from = p.joins.len();
        let to = (from + chunk.max(1)).min(n);
        let index = self.snap_index(n);
        let more = graph.snap_many(index.as_deref(), &p.positions[from..to], &self.snap);
        p.joins.extend(more);
        if to < n {
            *partial = Some(p);
            return;
        }
        let points = OraclePoints::snapped(graph, &p.positions, p.joins, self.snap);
        *slot = Some(Kept {
            graph: Some(p.graph),
            snap: p.snap,
            positions: p.positions,
            points: Arc::new(points),
        });
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

    /// The loaded demand points prepared on the engine's network with its snapping options:
    /// the kept ones when they still describe them, else prepared now (and kept).
    pub(super) fn demand_points(&self) -> Arc<OraclePoints> {
        let positions: Vec<LonLat> = self.layers.demand.iter().map(|d| d.pos_wgs84).collect();
        let graph = self.graph.as_ref();
        let prepare = || {
            let index = self.snap_index(positions.len());
            Arc::new(OraclePoints::with_index(
                graph.map(|g| &**g),
                index.as_deref(),
                positions.iter().copied(),
                self.snap,
            ))
        };
        // A poisoned slot (a panic elsewhere while it was held) only loses the reuse.
        let Ok(mut slot) = self.demand_points.0.lock() else {
            return prepare();
        };
        if let Some(k) = slot.as_ref()
            && k.serves(graph, &self.snap, &positions)
        {
            return Arc::clone(&k.points);
        }
        let points = prepare();
        // Chunks of an unfinished preparation are of no more use.
        if let Ok(mut partial) = self.demand_points.1.lock() {
            *partial = None;
        }
        *slot = Some(Kept {
            graph: graph.map(Arc::downgrade),
            snap: self.snap,
            positions,
            points: Arc::clone(&points),
        });
        points
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::loaded;

    /// Prepared a few points at a time: the points kept are those prepared in one call (the
    /// same snaps, the same edge index), after as many steps as chunks.
    #[test]
    fn demand_points_prepared_in_chunks_are_those_prepared_at_once() {
        let (chunked, _) = loaded("shanghai-central");
        let n = chunked.layers.demand.len();
        assert!(n > 3 * 7, "{n} demand points: too few for chunks");
        let mut steps = 0;
        while !chunked.demand_points_kept() {
            chunked.demand_points_step(7);
            steps += 1;
            assert!(steps <= n.div_ceil(7), "{steps} steps for {n} points");
        }
        assert_eq!(steps, n.div_ceil(7));
        let (at_once, _) = loaded("shanghai-central");
        // Every field: the positions, snaps and edge index (a long text: compared, not printed).
        assert!(
            format!("{:?}", chunked.demand_points()) == format!("{:?}", at_once.demand_points()),
            "the points prepared in chunks differ from those prepared at once"
        );
    }
}
