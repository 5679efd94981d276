//! The package's facilities as the travel-time oracle takes them (each snapped to the walk
//! graph: [`Site`]), found once and kept between coverage runs, as the demand points are
//! (`demand_points.rs`): a second run after a threshold change snaps none of them again.
//!
//! Kept with what they were found from: the network (a weak handle: a network replaced by an
//! import or a scenario is never mistaken for the one kept), the snapping options and every
//! facility position. Another network, or changed facilities, finds them again (and keeps
//! those). Finding costs one snap per facility (O(F log E)); the check costs O(F). The worker
//! finds them ahead of the questions a chunk at a time ([`Engine::facility_sites_step`]), as
//! it does the demand points.

use std::sync::{Arc, Mutex, Weak};

use super::Engine;
use super::snap_index::Chunked;
use crate::plan::geom::LonLat;
use crate::plan::graph::{Site, SnapOptions, WalkGraph};

/// The kept sites and what they were found from.
#[derive(Debug)]
struct Kept {
    graph: Weak<WalkGraph>,
    snap: SnapOptions,
    positions: Vec<LonLat>,
    sites: Arc<Vec<Site>>,
}

impl Kept {
    /// True when these are the sites of `positions` on `graph` with `snap`.
    fn serves(
        &self,
        graph: &Arc<WalkGraph>,
        snap: &SnapOptions,
        positions: impl Iterator<Item = LonLat>,
    ) -> bool {
        std::ptr::eq(self.graph.as_ptr(), Arc::as_ptr(graph))
            && self.snap == *snap
            && self.positions.iter().copied().eq(positions)
    }
}

/// The slot an engine keeps them in (empty until the first coverage run on a network), and the
/// sites being found a chunk at a time.
#[derive(Debug, Default)]
pub(super) struct FacilitySites(Mutex<Option<Kept>>, Mutex<Option<Chunked>>);

impl Engine {
    /// True when the kept sites are the loaded facilities' on the engine's network.
    pub(super) fn facility_sites_kept(&self) -> bool {
        let positions = self.layers.facilities.iter().map(|f| f.pos_wgs84);
        let (Some(ours), Ok(slot)) = (self.graph.as_ref(), self.facility_sites.0.lock()) else {
            return false;
        };
        slot.as_ref()
            .is_some_and(|k| k.serves(ours, &self.snap, positions))
    }

    /// The loaded facilities located on `graph` when it is the engine's network (None: no
    /// network, or another one, e.g. a scenario's being compared; the caller locates its own).
    pub(super) fn facility_sites_on(&self, graph: Option<&WalkGraph>) -> Option<Arc<Vec<Site>>> {
        let ours = self.graph.as_ref()?;
        if !std::ptr::eq(graph?, Arc::as_ptr(ours)) {
            return None;
        }
        let positions: Vec<LonLat> = self.layers.facilities.iter().map(|f| f.pos_wgs84).collect();
        // Going on from the chunks the worker snapped ahead (a whole chunk: always the last).
        let find = || {
            self.facility_sites_chunk(usize::MAX)
                .map(|(_, sites)| sites)
                .unwrap_or_default()
        };
        // A poisoned slot (a panic elsewhere while it was held) only loses the reuse.
        let Ok(mut slot) = self.facility_sites.0.lock() else {
            return Some(find());
        };
        if let Some(k) = slot.as_ref()
            && k.serves(ours, &self.snap, positions.iter().copied())
        {
            return Some(Arc::clone(&k.sites));
        }
        let sites = find();
        *slot = Some(Kept {
            graph: Arc::downgrade(ours),
            snap: self.snap,
            positions,
            sites: Arc::clone(&sites),
        });
        Some(sites)
    }

    /// Snaps the next `chunk` of the loaded facilities on the engine's network (going on from
    /// the chunks snapped before, unless the network, the options or the facilities changed
    /// since); after the last chunk, keeps their sites as [`Engine::facility_sites_on`] finds
    /// them.
    pub(super) fn facility_sites_step(&self, chunk: usize) {
        let (Some(graph), Some((positions, sites))) =
            (self.graph.as_ref(), self.facility_sites_chunk(chunk))
        else {
            return;
        };
        if let Ok(mut slot) = self.facility_sites.0.lock() {
            *slot = Some(Kept {
                graph: Arc::downgrade(graph),
                snap: self.snap,
                positions,
                sites,
            });
        }
    }

    /// The next `chunk` of the loaded facilities snapped, after the chunks snapped before (see
    /// [`Engine::facility_sites_step`]); their positions and sites when it was the last (none
    /// is kept here).
    fn facility_sites_chunk(&self, chunk: usize) -> Option<(Vec<LonLat>, Arc<Vec<Site>>)> {
        let graph = self.graph.as_ref()?;
        let positions = self.layers.facilities.iter().map(|f| f.pos_wgs84);
        let mut partial = self.facility_sites.1.lock().ok();
        let kept = partial.as_mut().and_then(|p| p.take());
        let mut c = Chunked::resume(kept, graph, self.snap, positions);
        let index = self.snap_index(c.len());
        if !c.advance(graph, index.as_deref(), chunk) {
            if let Some(p) = partial.as_mut() {
                **p = Some(c);
            }
            return None;
        }
        let (positions, snaps) = c.into_parts();
        Some((
            positions,
            Arc::new(snaps.into_iter().map(Site::snapped).collect()),
        ))
    }
}
