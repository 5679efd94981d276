//! The travel-time oracle: walking times between a fixed set of **points** (demand points,
//! homes) and any **targets** (stations, facilities, candidate sites), on the walk graph when
//! there is one, as straight-line estimates when there is none. Coverage, placement, the
//! supply–demand ratios and the engine ask it, so the network-or-estimate rule, the snapping
//! and the detour factor are written once.
//!
//! The points are prepared once per (network, snapping options, point set), whatever the walker
//! ([`OraclePoints`], which an engine keeps between questions): every point is snapped once (or
//! projected, for estimates) and indexed by the edge it joins (a CSR `edge → points`), with an
//! R-tree of the projected points for estimates. Two questions, one per direction:
//! - [`Oracle::nearest`]: from a set of targets, the walking seconds to the **nearest** target
//!   for every point within a limit: one bounded multi-source search over the graph however
//!   many targets there are, then one probe per point (O((V' + E') log V' + P)); estimates: an
//!   R-tree of the targets, one nearest-neighbour query per point (O(P log T)).
//! - [`Oracle::within`]: from **one** target, every point within a limit with its seconds: one
//!   bounded search from the target, then only the points on the edges the search reached (the
//!   edge index, each point looked at once through a generation stamp) are probed
//!   (O((V' + E') log V' + p') for the p' points on reached edges); estimates: an R-tree range
//!   query. The search workspace ([`Reach`]) is reused between calls: no per-call allocation.
//!
//! - [`FromOrigin`]: the other shape of question, from **one** origin (a resident's home) to
//!   several place sets held elsewhere (postings, stations, facilities, each with its own
//!   R-tree disc): one bounded search from the origin, kept, and the walking metres to any
//!   snapped place probed from it ([`FromOrigin::metres_to`]); estimates: the straight line
//!   × detour. The nearby query asks it, so that a resident query is one search and the
//!   network-or-estimate rule is still written here only. [`place`] snaps a place the way
//!   every point set here is snapped.
//!
//! **The estimate** (no network): straight-line distance on the oracle's local projection ×
//! [`DEFAULT_DETOUR_FACTOR`], at the walker's speed ([`estimate_metres`]). Limits are inclusive
//! everywhere (a time equal to the limit is within it). Points that do not snap (farther than
//! [`SnapOptions::max_off_network_m`], or not a valid position) have no time; their distance is
//! in [`Oracle::off_network`].

use std::borrow::Cow;

use rstar::{RTree, primitives::GeomWithData};

use super::{
    Budget, DEFAULT_DETOUR_FACTOR, Reach, Snap, SnapError, SnapIndex, SnapOptions, WalkGraph,
};
use super::{ProbeTime, WalkProfile};
use crate::plan::geom::{LocalProjection, LonLat, Xy};

/// Estimated walking metres between two points in local metres: the straight line × the
/// detour factor (used whenever there is no street network).
pub fn estimate_metres(a: Xy, b: Xy) -> f64 {
    (a.x - b.x).hypot(a.y - b.y) * DEFAULT_DETOUR_FACTOR
}

type PointEntry = GeomWithData<[f64; 2], u32>;

/// Where a target stands for one question: its snap on the network, or its projected position
/// for estimates; `Err(distance)` when it cannot join the network (infinite: not a valid
/// position or an empty network).
type Located = Result<Target, f64>;

#[derive(Debug, Clone, Copy)]
enum Target {
    Snapped(Snap),
    Projected(Xy),
}

/// The points, as prepared once.
#[derive(Debug, Default, Clone)]
struct Points {
    /// Per point: its snap (network) or None.
    snaps: Vec<Option<Snap>>,
    /// Per point: off-network distance when it could not join (infinite: invalid position).
    off_network: Vec<Option<f64>>,
    /// Per point: position in local metres (None: not a valid position).
    xy: Vec<Option<Xy>>,
}

impl Points {
    fn with_capacity(n: usize) -> Self {
        Self {
            snaps: Vec::with_capacity(n),
            off_network: Vec::with_capacity(n),
            xy: Vec::with_capacity(n),
        }
    }

    /// Adds a point: its local position, and its snap (`Ok(None)` for estimates) or its
    /// distance to the network.
    fn push(&mut self, xy: Option<Xy>, joined: Result<Option<Snap>, f64>) {
        self.xy.push(xy);
        self.off_network.push(joined.err());
        self.snaps.push(joined.ok().flatten());
    }
}

/// A point set prepared once for a network (or for estimates): every point snapped (or
/// projected) and indexed by the edge it joins, with an R-tree of the projected points for
/// estimates. It depends on the network, the snapping options and the points only, not on the
/// walker: an engine keeps it between questions ([`Oracle::with_points`]) so that a second
/// coverage run, or a placement after a coverage run, snaps nothing again.
#[derive(Debug, Clone)]
pub struct OraclePoints {
    proj: LocalProjection,
    snap: SnapOptions,
    points: Points,
    /// Estimates: the placed points.
    tree: RTree<PointEntry>,
    /// Network: points of edge `e` are `edge_points[edge_start[e]..edge_start[e + 1]]`.
    edge_start: Vec<u32>,
    edge_points: Vec<u32>,
    /// Edges of the network it was prepared for (0: estimates).
    edges: usize,
}

impl OraclePoints {
    /// Prepares `points` on `graph` (None: straight-line estimates on a projection centred on
    /// the points).
    pub fn new(
        graph: Option<&WalkGraph>,
        points: impl ExactSizeIterator<Item = LonLat> + Clone,
        snap: SnapOptions,
    ) -> Self {
        Self::with_index(graph, None, points, snap)
    }

    /// [`OraclePoints::new`] snapping through `index` (`graph`'s, kept by the caller; None:
    /// one is built when the points are enough, see [`SnapIndex::pays_off`]).
    pub fn with_index(
        graph: Option<&WalkGraph>,
        index: Option<&SnapIndex>,
        points: impl ExactSizeIterator<Item = LonLat> + Clone,
        snap: SnapOptions,
    ) -> Self {
        let proj = graph.map_or_else(
            || LocalProjection::for_points(points.clone()),
            |g| *g.projection(),
        );
        if let Some(g) = graph {
            // All at once: the same snaps as [`place`], through the batch snapper's grid.
            let positions: Vec<LonLat> = points.collect();
            let joins = g.snap_many(index, &positions, &snap);
            return Self::snapped(g, &positions, joins, snap);
        }
        let mut prepared = Points::with_capacity(points.len());
        for p in points {
            let (xy, joined) = place(graph, &proj, p, &snap);
            prepared.push(xy, joined.map_err(snap_distance));
        }
        Self::from_parts(graph, proj, snap, prepared)
    }

    /// The points `positions` on `graph` from their snaps `joins` (one per position, in order,
    /// as [`WalkGraph::snap_many`] answers them, in one call or in several: the same), made
    /// with `snap`: what [`OraclePoints::with_index`] prepares.
    pub fn snapped(
        graph: &WalkGraph,
        positions: &[LonLat],
        joins: Vec<Result<Snap, SnapError>>,
        snap: SnapOptions,
    ) -> Self {
        let proj = *graph.projection();
        let mut prepared = Points::with_capacity(positions.len());
        for (p, joined) in positions.iter().zip(joins) {
            let xy = p.is_valid().then(|| proj.project(*p));
            prepared.push(xy, joined.map(Some).map_err(snap_distance));
        }
        Self::from_parts(Some(graph), proj, snap, prepared)
    }

    /// Prepares points given in the graph's local metres (e.g. the cells of a grid).
    pub fn on_network_xy(
        graph: &WalkGraph,
        points_xy: impl ExactSizeIterator<Item = Xy>,
        snap: SnapOptions,
    ) -> Self {
        let points_xy: Vec<Xy> = points_xy.collect();
        let mut prepared = Points::with_capacity(points_xy.len());
        for (&p, joined) in points_xy.iter().zip(graph.snap_many_xy(&points_xy, &snap)) {
            prepared.push(Some(p), joined.map(Some).map_err(snap_distance));
        }
        Self::from_parts(Some(graph), *graph.projection(), snap, prepared)
    }

    fn from_parts(
        graph: Option<&WalkGraph>,
        proj: LocalProjection,
        snap: SnapOptions,
        points: Points,
    ) -> Self {
        let (edge_start, edge_points) = graph.map_or_else(Default::default, |g| {
            edge_index(g.edge_count(), &points.snaps)
        });
        let tree = if graph.is_some() {
            RTree::new()
        } else {
            RTree::bulk_load(
                points
                    .xy
                    .iter()
                    .enumerate()
                    .filter_map(|(i, p)| p.map(|p| PointEntry::new([p.x, p.y], i as u32)))
                    .collect(),
            )
        };
        Self {
            proj,
            snap,
            points,
            tree,
            edge_start,
            edge_points,
            edges: graph.map_or(0, WalkGraph::edge_count),
        }
    }

    /// Number of points.
    pub fn len(&self) -> usize {
        self.points.snaps.len()
    }

    /// True without points.
    pub fn is_empty(&self) -> bool {
        self.points.snaps.is_empty()
    }

    /// True when these points were prepared with `snap` for a network of `graph`'s size (for
    /// estimates: without one). The caller keeps the network itself (an engine, by its
    /// handle); this guards against using the points with another kind of question.
    pub fn fits(&self, graph: Option<&WalkGraph>, snap: &SnapOptions) -> bool {
        self.snap == *snap
            && match graph {
                Some(g) => self.edges == g.edge_count() && self.edge_start.len() == self.edges + 1,
                None => self.edges == 0 && self.edge_start.is_empty(),
            }
    }
}

/// Walking times between a fixed point set and targets (see the module documentation).
#[derive(Debug)]
pub struct Oracle<'g> {
    graph: Option<&'g WalkGraph>,
    profile: WalkProfile,
    prepared: Cow<'g, OraclePoints>,
    /// Per point: the generation of the last [`Oracle::within`] call that looked at it.
    stamp: Vec<u32>,
    generation: u32,
    reach: Option<Reach>,
    scratch: Vec<u32>,
}

impl<'g> Oracle<'g> {
    /// Prepares `points` for `profile` on `graph` (None: straight-line estimates on a
    /// projection centred on the points).
    pub fn new(
        graph: Option<&'g WalkGraph>,
        points: impl ExactSizeIterator<Item = LonLat> + Clone,
        profile: WalkProfile,
        snap: SnapOptions,
    ) -> Self {
        let prepared = OraclePoints::new(graph, points, snap);
        Self::from_prepared(graph, Cow::Owned(prepared), profile)
    }

    /// Prepares points given in the graph's local metres (e.g. the cells of a grid) for
    /// `profile` on `graph`.
    pub fn on_network_xy(
        graph: &'g WalkGraph,
        points_xy: impl ExactSizeIterator<Item = Xy>,
        profile: WalkProfile,
        snap: SnapOptions,
    ) -> Self {
        let prepared = OraclePoints::on_network_xy(graph, points_xy, snap);
        Self::from_prepared(Some(graph), Cow::Owned(prepared), profile)
    }

    /// The oracle of points prepared before ([`OraclePoints::new`] on this `graph`, which the
    /// caller guarantees), for `profile`: nothing is snapped again.
    pub fn with_points(
        graph: Option<&'g WalkGraph>,
        points: &'g OraclePoints,
        profile: WalkProfile,
    ) -> Self {
        Self::from_prepared(graph, Cow::Borrowed(points), profile)
    }

    fn from_prepared(
        graph: Option<&'g WalkGraph>,
        prepared: Cow<'g, OraclePoints>,
        profile: WalkProfile,
    ) -> Self {
        Self {
            graph,
            profile,
            stamp: vec![0; prepared.len()],
            generation: 0,
            prepared,
            reach: graph.map(Reach::new),
            scratch: Vec::new(),
        }
    }

    /// Number of points.
    pub fn len(&self) -> usize {
        self.prepared.points.snaps.len()
    }

    /// True without points.
    pub fn is_empty(&self) -> bool {
        self.prepared.points.snaps.is_empty()
    }

    /// True when times are straight-line estimates (no network).
    pub fn is_estimate(&self) -> bool {
        self.graph.is_none()
    }

    /// The walker.
    pub fn profile(&self) -> WalkProfile {
        self.profile
    }

    /// Per point: its distance to the network when it could not join it (infinite: not a valid
    /// position, or no network edge at all); None when it joined (always, for estimates,
    /// except invalid positions).
    pub fn off_network(&self) -> &[Option<f64>] {
        &self.prepared.points.off_network
    }

    /// True when point `i` has walking times (it joined the network, or is a valid position
    /// for estimates).
    pub fn placed(&self, i: usize) -> bool {
        self.prepared
            .points
            .off_network
            .get(i)
            .is_some_and(Option::is_none)
    }

    /// Where a target stands: snapped, or projected for estimates; `Err(distance)` when it
    /// cannot join the network.
    fn locate(&self, p: LonLat) -> Located {
        match self.graph {
            Some(g) => g
                .snap(p, &self.prepared.snap)
                .map(Target::Snapped)
                .map_err(snap_distance),
            None if p.is_valid() => Ok(Target::Projected(self.prepared.proj.project(p))),
            None => Err(f64::INFINITY),
        }
    }

    /// Walking seconds from the nearest of `targets` to every point within `minutes`:
    /// `out(point, seconds)` in point order. Returns the targets that could not join the
    /// network, `(index into targets, distance)`, in target order (infinite distance: not a
    /// valid position). Nothing is reported when no target joins.
    pub fn nearest(
        &mut self,
        targets: &[LonLat],
        minutes: f64,
        out: &mut dyn FnMut(usize, f64),
    ) -> Vec<(usize, f64)> {
        let sites = self.sites(targets);
        self.nearest_sites(&sites, minutes, out)
    }

    /// [`Oracle::nearest`] from targets located before ([`Oracle::site`], or
    /// [`Site::on_network`] on this oracle's network with its snapping options: an engine
    /// keeps its facilities' so between runs).
    pub fn nearest_sites(
        &mut self,
        targets: &[Site],
        minutes: f64,
        out: &mut dyn FnMut(usize, f64),
    ) -> Vec<(usize, f64)> {
        let mut unplaced = Vec::new();
        let mut snaps = Vec::new();
        let mut xy = Vec::new();
        for (i, site) in targets.iter().enumerate() {
            match site.0 {
                Ok(Target::Snapped(s)) => snaps.push(s),
                Ok(Target::Projected(q)) => xy.push([q.x, q.y]),
                Err(d) => unplaced.push((i, d)),
            }
        }
        if let (Some(graph), Some(reach)) = (self.graph, self.reach.as_mut()) {
            if snaps.is_empty() {
                return unplaced;
            }
            // Only distances are read: the bucket queue's search (the same distances).
            reach.run_distances(graph, &snaps, self.profile, Budget::Minutes(minutes));
            reach.probe_seconds_each(graph, &self.prepared.points.snaps, out);
        } else {
            let tree: RTree<[f64; 2]> = RTree::bulk_load(xy);
            let limit_s = minutes * 60.0;
            for (i, p) in self.prepared.points.xy.iter().enumerate() {
                let Some(p) = p else { continue };
                if let Some(q) = tree.nearest_neighbor(&[p.x, p.y]) {
                    let s = self.estimate_seconds(*p, Xy { x: q[0], y: q[1] });
                    if s <= limit_s {
                        out(i, s);
                    }
                }
            }
        }
        unplaced
    }

    /// Estimated walking seconds between two local points at the walker's speed.
    fn estimate_seconds(&self, a: Xy, b: Xy) -> f64 {
        estimate_metres(a, b) / self.profile.speed_m_per_min * 60.0
    }

    /// Every point within `minutes` of `from`, with its walking seconds, into `out` (cleared
    /// first) in point order. `Err(distance)` when `from` cannot join the network (infinite:
    /// not a valid position).
    ///
    /// # Errors
    /// `from` cannot join the network.
    pub fn within(
        &mut self,
        from: LonLat,
        minutes: f64,
        out: &mut Vec<(u32, f64)>,
    ) -> Result<(), f64> {
        let site = self.site(from);
        self.within_site(&site, minutes, out)
    }

    /// Where `p` stands as the origin of [`Oracle::within_site`] (snapped, or projected for
    /// estimates), found once: a caller that asks from many origins may order them first.
    pub fn site(&self, p: LonLat) -> Site {
        Site(self.locate(p))
    }

    /// [`Oracle::site`] of every point (on a network, snapped at once:
    /// [`Site::all_on_network`]).
    pub fn sites(&self, points: &[LonLat]) -> Vec<Site> {
        match self.graph {
            Some(g) => Site::all_on_network(g, None, points, &self.prepared.snap),
            None => points.iter().map(|&p| self.site(p)).collect(),
        }
    }

    /// [`Oracle::within`] from an origin located by [`Oracle::site`].
    ///
    /// # Errors
    /// The origin cannot join the network (its distance; infinite: not a valid position).
    pub fn within_site(
        &mut self,
        site: &Site,
        minutes: f64,
        out: &mut Vec<(u32, f64)>,
    ) -> Result<(), f64> {
        out.clear();
        let limit_s = minutes * 60.0;
        match (site.0?, self.graph, self.reach.as_mut()) {
            (Target::Snapped(s), Some(graph), Some(reach)) => {
                reach.run(
                    graph,
                    std::slice::from_ref(&s),
                    self.profile,
                    Budget::Minutes(minutes),
                );
                self.generation = self.generation.wrapping_add(1);
                if self.generation == 0 {
                    self.stamp.fill(0);
                    self.generation = 1;
                }
                // The points on the start's edge and on every edge at a reached node.
                let near = &mut self.scratch;
                near.clear();
                let mut take = |e: usize| {
                    let (a, b) = (
                        self.prepared.edge_start[e] as usize,
                        self.prepared.edge_start[e + 1] as usize,
                    );
                    for &p in &self.prepared.edge_points[a..b] {
                        if self.stamp[p as usize] != self.generation {
                            self.stamp[p as usize] = self.generation;
                            near.push(p);
                        }
                    }
                };
                take(s.edge.idx());
                for (node, _) in reach.reached() {
                    for (_, e, _) in graph.neighbours(node) {
                        take(e.idx());
                    }
                }
                near.sort_unstable();
                for &i in near.iter() {
                    if let Some(p) = &self.prepared.points.snaps[i as usize]
                        && let Some(ProbeTime { seconds, .. }) = reach.probe(graph, p)
                        && seconds <= limit_s
                    {
                        out.push((i, seconds));
                    }
                }
            }
            (Target::Projected(c), ..) => {
                // A point within the limit is within limit / detour in a straight line.
                let r = minutes * self.profile.speed_m_per_min / DEFAULT_DETOUR_FACTOR;
                let r2 = r * r * (1.0 + 1e-9) + 1e-6;
                for e in self.prepared.tree.locate_within_distance([c.x, c.y], r2) {
                    let Some(p) = self.prepared.points.xy[e.data as usize] else {
                        continue;
                    };
                    let s = self.estimate_seconds(c, p);
                    if s <= limit_s {
                        out.push((e.data, s));
                    }
                }
                out.sort_unstable_by_key(|x| x.0);
            }
            (Target::Snapped(_), ..) => {}
        }
        Ok(())
    }
}

/// An origin located once for [`Oracle::within_site`]: its snap on the network, its projected
/// position for estimates, or its distance when it cannot join the network.
#[derive(Debug, Clone, Copy)]
pub struct Site(Located);

impl Site {
    /// Where `p` joins `graph` with `snap` (what [`Oracle::site`] finds on that network).
    pub fn on_network(graph: &WalkGraph, p: LonLat, snap: &SnapOptions) -> Self {
        Self(
            graph
                .snap(p, snap)
                .map(Target::Snapped)
                .map_err(snap_distance),
        )
    }

    /// [`Self::on_network`] of every point, snapped at once ([`WalkGraph::snap_many`], through
    /// `index` when the caller keeps `graph`'s).
    pub fn all_on_network(
        graph: &WalkGraph,
        index: Option<&SnapIndex>,
        points: &[LonLat],
        snap: &SnapOptions,
    ) -> Vec<Self> {
        graph
            .snap_many(index, points, snap)
            .into_iter()
            .map(Self::snapped)
            .collect()
    }

    /// The site of a point from its snap (as [`WalkGraph::snap`] answers it).
    pub fn snapped(s: Result<Snap, SnapError>) -> Self {
        Self(s.map(Target::Snapped).map_err(snap_distance))
    }

    /// A key that puts origins near each other on the network next to each other: the lower
    /// node id of the snapped edge (node ids follow a Hilbert curve over the network, see
    /// [`super::build`]); 0 for estimates, `u32::MAX` for an origin off the network. Searches
    /// run in this order touch memory the previous one left in cache; their results do not
    /// depend on the order.
    pub fn locality(&self, graph: Option<&WalkGraph>) -> u32 {
        match (self.0, graph) {
            (Ok(Target::Snapped(s)), Some(g)) => g
                .edges()
                .get(s.edge.idx())
                .map_or(u32::MAX, |e| e.a.0.min(e.b.0)),
            (Ok(_), _) => 0,
            (Err(_), _) => u32::MAX,
        }
    }
}

/// A place as every point set of the oracle takes it: its position on `proj` (None: not a
/// valid position) and its snap to `graph` (`Ok(None)` without a graph, for estimates).
///
/// # Errors
/// The place cannot join the network (not a valid position, too far, no eligible edge).
pub fn place(
    graph: Option<&WalkGraph>,
    proj: &LocalProjection,
    p: LonLat,
    snap: &SnapOptions,
) -> (Option<Xy>, Result<Option<Snap>, SnapError>) {
    if !p.is_valid() {
        return (None, Err(SnapError::InvalidPosition));
    }
    let xy = proj.project(p);
    let joined = match graph {
        Some(g) => g.snap_xy(xy, snap).map(Some),
        None => Ok(None),
    };
    (Some(xy), joined)
}

/// Where a search from one origin stands.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Origin {
    /// On the network: its snap (the search is in the workspace).
    Snapped(Snap),
    /// For estimates: its position in local metres.
    Projected(Xy),
}

/// One search from one origin, kept so that any number of place sets are answered from it
/// (see the module documentation). The workspace ([`Reach`]) is reused between origins.
#[derive(Debug, Clone, Default)]
pub struct FromOrigin {
    reach: Option<Reach>,
    origin: Option<Origin>,
}

/// The walking metres to a place from a [`FromOrigin`] search.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PlaceMetres {
    /// Walking metres (off-network legs included), or the estimate.
    Metres(f64),
    /// On the network, but not reached within the search's budget.
    NotReached,
    /// The search is on the network and the place has no snap.
    Unplaced,
}

impl FromOrigin {
    /// No search yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Searches from `origin` (the snap of the home) on `graph` up to `limit_m` metres of
    /// walking for `profile`; its result replaces the last one.
    pub fn run(&mut self, graph: &WalkGraph, origin: Snap, profile: WalkProfile, minutes: f64) {
        let reach = self.reach.get_or_insert_with(|| Reach::new(graph));
        reach.run(
            graph,
            std::slice::from_ref(&origin),
            profile,
            Budget::Minutes(minutes),
        );
        self.origin = Some(Origin::Snapped(origin));
    }

    /// Sets the origin of straight-line estimates (no network), at `xy` local metres.
    pub fn estimate_from(&mut self, xy: Xy) {
        self.origin = Some(Origin::Projected(xy));
    }

    /// Forgets the origin (the workspace is kept).
    pub fn clear(&mut self) {
        self.origin = None;
    }

    /// The origin in local metres (its own position, not its snap on the network).
    pub fn origin_xy(&self) -> Option<Xy> {
        self.origin.map(|o| match o {
            Origin::Snapped(s) => s.point_xy,
            Origin::Projected(xy) => xy,
        })
    }

    /// The network search of the last origin, when it was on the network.
    pub fn reach(&self) -> Option<&Reach> {
        match self.origin {
            Some(Origin::Snapped(_)) => self.reach.as_ref(),
            _ => None,
        }
    }

    /// The straight-line radius within which every place `limit_m` walking metres away lies: the
    /// limit itself on the network (a walk is never shorter than its straight line), the limit
    /// ÷ detour for estimates.
    pub fn disc_m(&self, limit_m: f64) -> f64 {
        match self.origin {
            Some(Origin::Projected(_)) => limit_m / DEFAULT_DETOUR_FACTOR,
            _ => limit_m,
        }
    }

    /// The walking metres to a place with snap `snap` at `xy` (local metres): probed from the
    /// search on the network (`graph` must be the one searched), estimated from `centre` (the
    /// origin on the projection `xy` is on) without one.
    pub fn metres_to(
        &self,
        graph: Option<&WalkGraph>,
        snap: Option<&Snap>,
        centre: Xy,
        xy: Xy,
    ) -> PlaceMetres {
        match (graph, self.origin, snap, self.reach.as_ref()) {
            (None, Some(Origin::Projected(_)), ..) => {
                PlaceMetres::Metres(estimate_metres(centre, xy))
            }
            (Some(_), Some(Origin::Snapped(_)), None, _) => PlaceMetres::Unplaced,
            (Some(g), Some(Origin::Snapped(_)), Some(s), Some(r)) => r
                .probe(g, s)
                .map_or(PlaceMetres::NotReached, |t| PlaceMetres::Metres(t.metres)),
            _ => PlaceMetres::NotReached,
        }
    }
}

/// The distance reported for a point that cannot join the network.
fn snap_distance(e: SnapError) -> f64 {
    match e {
        SnapError::OffNetwork { distance_m } => distance_m,
        SnapError::InvalidPosition | SnapError::EmptyNetwork => f64::INFINITY,
    }
}

/// Points by the edge they joined, as a CSR over `edges` edges (points in index order).
fn edge_index(edges: usize, snaps: &[Option<Snap>]) -> (Vec<u32>, Vec<u32>) {
    let mut start = vec![0u32; edges + 1];
    for s in snaps.iter().flatten() {
        start[s.edge.idx() + 1] += 1;
    }
    for e in 0..edges {
        start[e + 1] += start[e];
    }
    let mut fill = start.clone();
    let mut points = vec![0u32; start[edges] as usize];
    for (i, s) in snaps.iter().enumerate() {
        if let Some(s) = s {
            let slot = &mut fill[s.edge.idx()];
            points[*slot as usize] = i as u32;
            *slot += 1;
        }
    }
    (start, points)
}
