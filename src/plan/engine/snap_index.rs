//! The snapping grid of the engine's network ([`SnapIndex`]), built for the first batch of
//! points that pays for it (the demand points or the facilities, whichever is snapped first)
//! and kept for every later batch on that network: both share one build.
//!
//! Kept with the network it was built on (a weak handle, as for the demand points: a network
//! replaced by an import or a scenario is never mistaken for the one kept). A batch on another
//! network builds one again (and keeps it). Memory: ≈ 4 bytes per edge-cell pair and per cell
//! (≈ 6 MB for the 8 × 8 city fixture).
//!
//! The worker prepares the grid, the demand points and the facilities while it waits for the
//! page, a slice at a time ([`super::Engine::prepare_step`]): the grid's build a few thousand
//! edges at a time ([`SnapIndexBuild`]), the points a chunk at a time ([`Chunked`]). A
//! question that comes before a preparation ends goes on from where it stands; built in slices
//! or at once, the grid and the points are the same.

use std::sync::{Arc, Mutex, Weak};

use super::Engine;
use crate::plan::geom::LonLat;
use crate::plan::graph::{
    Snap, SnapError, SnapIndex, SnapIndexBuild, SnapOptions, SnapSteps, WalkGraph,
};

/// A network's snapping grid and the network.
#[derive(Debug)]
struct Kept {
    graph: Weak<WalkGraph>,
    index: Arc<SnapIndex>,
}

/// The slot an engine keeps it in (empty until a batch pays for a grid), and a build under way.
#[derive(Debug, Default)]
pub(super) struct KeptSnapIndex(
    Mutex<Option<Kept>>,
    Mutex<Option<(Weak<WalkGraph>, SnapIndexBuild)>>,
);

/// Points being snapped a chunk at a time: what they are snapped from, and the batch (None
/// until the first step has put the points in the order they are snapped in).
#[derive(Debug)]
pub(super) struct Chunked {
    graph: Weak<WalkGraph>,
    snap: SnapOptions,
    positions: Vec<LonLat>,
    steps: Option<SnapSteps>,
}

impl Chunked {
    /// `partial` when it snaps `positions` on `graph` with `snap`, else a new start (the
    /// positions are compared as they come, collected only for a new start).
    pub(super) fn resume(
        partial: Option<Self>,
        graph: &Arc<WalkGraph>,
        snap: SnapOptions,
        positions: impl Iterator<Item = LonLat> + Clone,
    ) -> Self {
        partial
            .filter(|p| {
                std::ptr::eq(p.graph.as_ptr(), Arc::as_ptr(graph))
                    && p.snap == snap
                    && p.positions.iter().copied().eq(positions.clone())
            })
            .unwrap_or_else(|| Self {
                graph: Arc::downgrade(graph),
                snap,
                positions: positions.collect(),
                steps: None,
            })
    }

    /// Goes on through `index` (`graph`'s, the same at every step): the first step puts the
    /// points in order (O(n log n)), each later one snaps the next `n` (`usize::MAX`: all, the
    /// first step included); true when all are snapped.
    pub(super) fn advance(
        &mut self,
        graph: &WalkGraph,
        index: Option<&SnapIndex>,
        n: usize,
    ) -> bool {
        if self.steps.is_none() {
            self.steps = Some(SnapSteps::new(graph, index, &self.positions, &self.snap));
            if n != usize::MAX {
                return false;
            }
        }
        self.steps
            .as_mut()
            .is_some_and(|steps| steps.step(graph, index, n))
    }

    /// The positions and their snaps, in order.
    pub(super) fn into_parts(self) -> (Vec<LonLat>, Vec<Result<Snap, SnapError>>) {
        let snaps = self.steps.map_or_else(Vec::new, SnapSteps::into_snaps);
        (self.positions, snaps)
    }

    /// The number of positions.
    pub(super) fn len(&self) -> usize {
        self.positions.len()
    }
}

impl Engine {
    /// True when a snapping grid of the engine's network is kept.
    pub(super) fn snap_index_kept(&self) -> bool {
        let (Some(graph), Ok(slot)) = (self.graph.as_ref(), self.kept_snap_index.0.lock()) else {
            return false;
        };
        slot.as_ref()
            .is_some_and(|k| std::ptr::eq(k.graph.as_ptr(), Arc::as_ptr(graph)))
    }

    /// The snapping grid of the engine's network when a batch of `points` pays for it
    /// ([`SnapIndex::pays_off`]; once built it is kept for every later batch on that network;
    /// a build under way is ended).
    pub(super) fn snap_index(&self, points: usize) -> Option<Arc<SnapIndex>> {
        let graph = self.graph.as_ref()?;
        if !self.snap_index_kept() && !SnapIndex::pays_off(graph, points) {
            return None;
        }
        self.snap_index_step(usize::MAX);
        let slot = self.kept_snap_index.0.lock().ok()?;
        slot.as_ref().map(|k| Arc::clone(&k.index))
    }

    /// Goes on with the build of the network's snapping grid over about `edges` edges (begun
    /// if none is under way), and keeps it when it is built.
    pub(super) fn snap_index_step(&self, edges: usize) {
        let (Some(graph), Ok(mut slot), Ok(mut partial)) = (
            self.graph.as_ref(),
            self.kept_snap_index.0.lock(),
            self.kept_snap_index.1.lock(),
        ) else {
            return;
        };
        if slot
            .as_ref()
            .is_some_and(|k| std::ptr::eq(k.graph.as_ptr(), Arc::as_ptr(graph)))
        {
            return;
        }
        let mut build = partial
            .take()
            .filter(|(g, _)| std::ptr::eq(g.as_ptr(), Arc::as_ptr(graph)))
            .map_or_else(|| SnapIndexBuild::new(graph), |(_, b)| b);
        if build.step(graph, edges) {
            *slot = Some(Kept {
                graph: Arc::downgrade(graph),
                index: Arc::new(build.finish(graph)),
            });
        } else {
            *partial = Some((Arc::downgrade(graph), build));
        }
    }
}
