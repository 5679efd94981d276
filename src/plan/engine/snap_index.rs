//! The snapping grid of the engine's network ([`SnapIndex`]), built for the first batch of
//! points that pays for it (the demand points or the facilities, whichever is snapped first)
//! and kept for every later batch on that network: both share one build.
//!
//! Kept with the network it was built on (a weak handle, as for the demand points: a network
//! replaced by an import or a scenario is never mistaken for the one kept). A batch on another
//! network builds one again (and keeps it). Memory: ≈ 4 bytes per edge-cell pair and per cell
//! (≈ 6 MB for the 8 × 8 city fixture).

use std::sync::{Arc, Mutex, Weak};

use super::Engine;
use crate::plan::graph::{SnapIndex, WalkGraph};

/// A network's snapping grid and the network.
#[derive(Debug)]
struct Kept {
    graph: Weak<WalkGraph>,
    index: Arc<SnapIndex>,
}

/// The slot an engine keeps it in (empty until a batch pays for a grid).
#[derive(Debug, Default)]
pub(super) struct KeptSnapIndex(Mutex<Option<Kept>>);

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
    /// ([`SnapIndex::pays_off`]; once built it is kept for every later batch on that network).
    pub(super) fn snap_index(&self, points: usize) -> Option<Arc<SnapIndex>> {
        let graph = self.graph.as_ref()?;
        let Ok(mut slot) = self.kept_snap_index.0.lock() else {
            return None;
        };
        if let Some(k) = slot.as_ref()
            && std::ptr::eq(k.graph.as_ptr(), Arc::as_ptr(graph))
        {
            return Some(Arc::clone(&k.index));
        }
        if !SnapIndex::pays_off(graph, points) {
            return None;
        }
        let index = Arc::new(SnapIndex::new(graph));
        *slot = Some(Kept {
            graph: Arc::downgrade(graph),
            index: Arc::clone(&index),
        });
        Some(index)
    }
}
