//! The demand points as the travel-time oracle takes them (snapped to the walk graph and indexed
//! by edge: [`OraclePoints`]), prepared once and kept between questions: a coverage run after a
//! threshold change, a placement after a coverage run, and the ratios snap nothing again.
//!
//! Kept with what they were prepared from: the network (a weak handle, so that a network
//! replaced by an import or a scenario is never mistaken for the one kept: its address cannot
//! be reused while the handle lives), the snapping options and every demand position. A
//! question on another network, or after the demand changed, prepares them again (and keeps
//! those). Preparing costs one snap per point (O(D log E)); the check costs O(D).

use std::sync::{Arc, Mutex, Weak};

use super::Engine;
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

/// The slot an engine keeps them in (empty until the first question).
#[derive(Debug, Default)]
pub(super) struct DemandPoints(Mutex<Option<Kept>>);

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
        *slot = Some(Kept {
            graph: graph.map(Arc::downgrade),
            snap: self.snap,
            positions,
            points: Arc::clone(&points),
        });
        points
    }
}
