//! The package's facilities as the travel-time oracle takes them (each snapped to the walk
//! graph: [`Site`]), found once and kept between coverage runs, as the demand points are
//! (`demand_points.rs`): a second run after a threshold change snaps none of them again.
//!
//! Kept with what they were found from: the network (a weak handle: a network replaced by an
//! import or a scenario is never mistaken for the one kept), the snapping options and every
//! facility position. Another network, or changed facilities, finds them again (and keeps
//! those). Finding costs one snap per facility (O(F log E)); the check costs O(F).

use std::sync::{Arc, Mutex, Weak};

use super::Engine;
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
    fn serves(&self, graph: &Arc<WalkGraph>, snap: &SnapOptions, positions: &[LonLat]) -> bool {
        std::ptr::eq(self.graph.as_ptr(), Arc::as_ptr(graph))
            && self.snap == *snap
            && self.positions == positions
    }
}

/// The slot an engine keeps them in (empty until the first coverage run on a network).
#[derive(Debug, Default)]
pub(super) struct FacilitySites(Mutex<Option<Kept>>);

impl Engine {
    /// True when the kept sites are the loaded facilities' on the engine's network.
    pub(super) fn facility_sites_kept(&self) -> bool {
        let positions: Vec<LonLat> = self.layers.facilities.iter().map(|f| f.pos_wgs84).collect();
        let (Some(ours), Ok(slot)) = (self.graph.as_ref(), self.facility_sites.0.lock()) else {
            return false;
        };
        slot.as_ref()
            .is_some_and(|k| k.serves(ours, &self.snap, &positions))
    }

    /// The loaded facilities located on `graph` when it is the engine's network (None: no
    /// network, or another one, e.g. a scenario's being compared; the caller locates its own).
    pub(super) fn facility_sites_on(&self, graph: Option<&WalkGraph>) -> Option<Arc<Vec<Site>>> {
        let ours = self.graph.as_ref()?;
        if !std::ptr::eq(graph?, Arc::as_ptr(ours)) {
            return None;
        }
        let positions: Vec<LonLat> = self.layers.facilities.iter().map(|f| f.pos_wgs84).collect();
        let find = || {
            let index = self.snap_index(positions.len());
            Arc::new(Site::all_on_network(
                ours,
                index.as_deref(),
                &positions,
                &self.snap,
            ))
        };
        // A poisoned slot (a panic elsewhere while it was held) only loses the reuse.
        let Ok(mut slot) = self.facility_sites.0.lock() else {
            return Some(find());
        };
        if let Some(k) = slot.as_ref()
            && k.serves(ours, &self.snap, &positions)
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
}
