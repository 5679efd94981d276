//! Indexes of places (postings, stations, facilities) for queries from a home: every place is
//! projected once into local metres and snapped once to the walk graph (by the travel-time
//! oracle's [`oracle::place`], as every point set is), and an R-tree of the
//! projected points bounds the candidates of a query to a disc.
//!
//! With a graph the projection is the graph's own, so a place's straight-line distance from a
//! home never exceeds the metres walked to it (the walk is a continuous line from the home to
//! the place in the same plane). Without a graph (a package with `network: none`) the
//! projection is centred on the places themselves. A place that cannot be snapped (beyond the
//! snapping limit, invalid position) is kept in [`PlaceIndex::unplaced`] with the reason,
//! never silently dropped; queries report the ones near the home.
//!
//! Building is O(N log S) for N places and S street segments (one snap each) plus O(N log N)
//! for the R-tree bulk load.

use rstar::RTree;
use rstar::primitives::GeomWithData;
use serde::{Deserialize, Serialize};

use crate::plan::geom::{LocalProjection, LonLat, Xy};
use crate::plan::graph::{Snap, SnapError, SnapOptions, WalkGraph, oracle};
use crate::plan::model::{Category, Facility, Posting, Station};

/// R-tree entry: a place's position in local metres and its index.
type Entry = GeomWithData<[f64; 2], u32>;

/// Why a place has no snap.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Unplaced {
    /// Not a valid WGS-84 position.
    InvalidPosition,
    /// Farther from the walking network than the snapping limit.
    OffNetwork {
        /// Distance to the nearest street, metres.
        distance_m: f64,
    },
    /// The walking network has no eligible edge.
    EmptyNetwork,
}

/// Identifies the graph an index was snapped to, in O(1): node and edge counts, the first and
/// last edges' lengths, and the projection.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct GraphStamp {
    nodes: usize,
    edges: usize,
    first_last_m: (f64, f64),
    proj: LocalProjection,
}

impl GraphStamp {
    pub(crate) fn of(graph: &WalkGraph) -> Self {
        let e = graph.edges();
        let len = |x: Option<&crate::plan::graph::Edge>| x.map_or(0.0, |e| e.length_m);
        Self {
            nodes: graph.node_count(),
            edges: graph.edge_count(),
            first_last_m: (len(e.first()), len(e.last())),
            proj: *graph.projection(),
        }
    }
}

/// Positions of places in local metres, their snaps, and an R-tree over them.
#[derive(Debug, Clone)]
pub struct PlaceIndex {
    proj: LocalProjection,
    xy: Vec<Xy>,
    snaps: Vec<Option<Snap>>,
    unplaced: Vec<(usize, Unplaced)>,
    tree: RTree<Entry>,
    stamp: Option<GraphStamp>,
}

impl PlaceIndex {
    /// Indexes places at `points_wgs84` (in order: place `i` is the `i`-th point), snapping
    /// each to `graph` when there is one.
    pub fn new(graph: Option<&WalkGraph>, points_wgs84: &[LonLat], snap: &SnapOptions) -> Self {
        let proj = graph.map_or_else(
            || LocalProjection::for_points(points_wgs84.iter().copied()),
            |g| *g.projection(),
        );
        let mut xy = Vec::with_capacity(points_wgs84.len());
        let mut snaps = Vec::with_capacity(points_wgs84.len());
        let mut unplaced = Vec::new();
        let mut entries = Vec::with_capacity(points_wgs84.len());
        for (i, &p) in points_wgs84.iter().enumerate() {
            let (q, joined) = oracle::place(graph, &proj, p, snap);
            xy.push(q.unwrap_or(Xy {
                x: f64::NAN,
                y: f64::NAN,
            }));
            if let Some(q) = q {
                entries.push(Entry::new([q.x, q.y], i as u32));
            }
            let why = match joined {
                Ok(s) => {
                    snaps.push(s);
                    continue;
                }
                Err(SnapError::InvalidPosition) => Unplaced::InvalidPosition,
                Err(SnapError::EmptyNetwork) => Unplaced::EmptyNetwork,
                Err(SnapError::OffNetwork { distance_m }) => Unplaced::OffNetwork { distance_m },
            };
            snaps.push(None);
            unplaced.push((i, why));
        }
        Self {
            proj,
            xy,
            snaps,
            unplaced,
            tree: RTree::bulk_load(entries),
            stamp: graph.map(GraphStamp::of),
        }
    }

    /// Number of places indexed (placed or not).
    pub fn len(&self) -> usize {
        self.xy.len()
    }

    /// True when there are no places.
    pub fn is_empty(&self) -> bool {
        self.xy.is_empty()
    }

    /// The projection of the index.
    pub fn projection(&self) -> &LocalProjection {
        &self.proj
    }

    /// Position of place `i` in local metres (NaN for an invalid position).
    pub fn xy(&self, i: usize) -> Option<Xy> {
        self.xy.get(i).copied()
    }

    /// Snap of place `i`, when it has one (always `None` without a graph).
    pub fn snap(&self, i: usize) -> Option<&Snap> {
        self.snaps.get(i).and_then(Option::as_ref)
    }

    /// Places that could not be snapped, with the reason, by index.
    pub fn unplaced(&self) -> &[(usize, Unplaced)] {
        &self.unplaced
    }

    /// Whether the index was built with a graph, and that graph looks like `graph`.
    pub(crate) fn matches(&self, graph: Option<&WalkGraph>) -> bool {
        match (graph, self.stamp) {
            (None, None) => true,
            (Some(g), Some(s)) => GraphStamp::of(g) == s,
            _ => false,
        }
    }

    /// Places whose position is within `radius_m` of `centre` (local metres), in no
    /// particular order.
    pub fn within(&self, centre: Xy, radius_m: f64) -> impl Iterator<Item = usize> + '_ {
        self.tree
            .locate_within_distance([centre.x, centre.y], radius_m * radius_m)
            .map(|e| e.data as usize)
    }
}

/// Postings indexed for [`super::Searcher::nearby`]. Place `i` is `postings[i]`.
#[derive(Debug, Clone)]
pub struct PostingIndex {
    places: PlaceIndex,
}

impl PostingIndex {
    /// Snaps every posting once and builds the R-tree (see the module documentation).
    pub fn new(graph: Option<&WalkGraph>, postings: &[Posting], snap: &SnapOptions) -> Self {
        let pts: Vec<LonLat> = postings.iter().map(|p| p.pos_wgs84).collect();
        Self {
            places: PlaceIndex::new(graph, &pts, snap),
        }
    }

    /// The underlying place index.
    pub fn places(&self) -> &PlaceIndex {
        &self.places
    }

    /// Number of postings indexed.
    pub fn len(&self) -> usize {
        self.places.len()
    }

    /// True when no posting is indexed.
    pub fn is_empty(&self) -> bool {
        self.places.is_empty()
    }

    /// Postings that could not be snapped (index into the postings, reason).
    pub fn unplaced(&self) -> &[(usize, Unplaced)] {
        self.places.unplaced()
    }
}

/// Stations and facilities indexed for [`super::Searcher::services`].
#[derive(Debug, Clone)]
pub struct ServiceIndex {
    pub(crate) stations: PlaceIndex,
    pub(crate) facilities: PlaceIndex,
    pub(crate) facility_category: Vec<Category>,
}

impl ServiceIndex {
    /// Snaps every station and facility once and builds their R-trees.
    pub fn new(
        graph: Option<&WalkGraph>,
        stations: &[Station],
        facilities: &[Facility],
        snap: &SnapOptions,
    ) -> Self {
        let s: Vec<LonLat> = stations.iter().map(|x| x.pos_wgs84).collect();
        let f: Vec<LonLat> = facilities.iter().map(|x| x.pos_wgs84).collect();
        Self {
            stations: PlaceIndex::new(graph, &s, snap),
            facilities: PlaceIndex::new(graph, &f, snap),
            facility_category: facilities.iter().map(|x| x.category).collect(),
        }
    }

    /// The station index (place `i` is `stations[i]`).
    pub fn stations(&self) -> &PlaceIndex {
        &self.stations
    }

    /// The facility index (place `i` is `facilities[i]`).
    pub fn facilities(&self) -> &PlaceIndex {
        &self.facilities
    }

    /// The categories that have at least one facility, in [`Category::ALL`] order.
    pub fn categories_present(&self) -> Vec<Category> {
        Category::ALL
            .into_iter()
            .filter(|c| self.facility_category.contains(c))
            .collect()
    }
}
