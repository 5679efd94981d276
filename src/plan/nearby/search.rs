//! The query from a home: one bounded search from it by the travel-time oracle
//! ([`FromOrigin`]: the network, or the straight-line estimate without one), an R-tree disc of
//! candidates, walking time decides; then services (nearest station, nearest facility per category, trainings) and
//! walking routes from the same run.
//!
//! Complexity per query: O((V' + E') log V') for the V' nodes and E' arcs within the budget
//! (the reach), O(log N + K) for the K postings in the disc, O(K) probes, O(H log H) to sort
//! the H hits.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::filter::Filters;
use super::index::{PlaceIndex, PostingIndex, ServiceIndex};
use super::score::{MatchProfile, Points, Reason, score};
use crate::plan::geom::{LonLat, Xy};
use crate::plan::graph::{
    FromOrigin, PlaceMetres, Reach, Route, SnapError, SnapOptions, WalkGraph, WalkProfile,
};
use crate::plan::model::{Category, Facility, Posting, Station};

/// Relative tolerance on the time limit: a place is in when its walk is at most
/// `limit × (1 + LIMIT_TOLERANCE)` (≈ 1 µm at 900 m), so that a place exactly at the limit is
/// never lost to rounding in `minutes × speed`.
pub const LIMIT_TOLERANCE: f64 = 1e-9;

/// A nearby-postings query.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Query {
    /// Walking budget, minutes (default 15). Also the budget of [`Searcher::services`].
    pub minutes: f64,
    /// Walking speed, metres per minute (default 60).
    pub speed_m_per_min: f64,
    /// Which postings to keep.
    pub filters: Filters,
    /// Rank by match score for this profile (else by walking time).
    pub profile: Option<MatchProfile>,
    /// Return at most this many hits (after ranking).
    pub limit: Option<usize>,
}

impl Default for Query {
    fn default() -> Self {
        Self {
            minutes: 15.0,
            speed_m_per_min: 60.0,
            filters: Filters::default(),
            profile: None,
            limit: None,
        }
    }
}

/// One posting within reach. `R` is the reasons' form: the typed [`Reason`] here; the web
/// worker sends them in words (`Hit<web::i18n::Both>`), so the page has no decoder of them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit<R = Reason> {
    /// Index into the postings.
    pub posting: usize,
    /// The posting's id.
    pub id: String,
    /// Walking seconds from the home (both off-network legs included).
    pub seconds: f64,
    /// Metres walked.
    pub metres: f64,
    /// Match score, 0–100 (see the module documentation); without a profile, walk proximity
    /// `100 × (1 − minutes / limit)`.
    pub score: f64,
    /// Why it scores so, walk first (with a profile; without one the walking time is the
    /// whole story and this is empty).
    pub reasons: Vec<R>,
    /// Points per component (with a profile).
    #[serde(default)]
    pub points: Option<Points>,
}

/// The answer to a nearby-postings query (`R`: the reasons' form, as in [`Hit`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NearbyResult<R = Reason> {
    /// Hits in rank order (score descending with a profile, else walking time; ties by
    /// seconds, then posting id, then index).
    pub hits: Vec<Hit<R>>,
    /// Postings inside the pre-filter disc.
    pub considered: usize,
    /// Of those, postings the filters dropped.
    pub filtered_out: usize,
    /// Hits before `limit` was applied.
    pub total: usize,
    /// Job categories (trimmed) of the postings within the limit that pass every filter but
    /// the category filter, with how many there are: count descending, then name. What a
    /// category choice would show; postings without a category are not counted.
    #[serde(default)]
    pub categories: Vec<(String, usize)>,
    /// Postings in the disc that pass the filters but could not be snapped to the network
    /// (so have no walking time), by index.
    pub off_network: Vec<usize>,
    /// Seconds from the home to the network (its off-network leg); 0 for an estimate.
    pub access_s: f64,
    /// The time limit applied to hits, minutes (the query's, or the profile's when shorter).
    pub minutes: f64,
    /// True when times are straight-line estimates (no network): distance ×
    /// [`DEFAULT_DETOUR_FACTOR`](crate::plan::graph::DEFAULT_DETOUR_FACTOR) at the speed.
    pub estimate: bool,
}

impl<R> NearbyResult<R> {
    /// The same result with each hit's reasons put into another form (words, for the page).
    pub fn map_reasons<S>(self, mut f: impl FnMut(&R) -> S) -> NearbyResult<S> {
        NearbyResult {
            hits: self
                .hits
                .into_iter()
                .map(|h| Hit {
                    reasons: h.reasons.iter().map(&mut f).collect(),
                    posting: h.posting,
                    id: h.id,
                    seconds: h.seconds,
                    metres: h.metres,
                    score: h.score,
                    points: h.points,
                })
                .collect(),
            considered: self.considered,
            filtered_out: self.filtered_out,
            total: self.total,
            categories: self.categories,
            off_network: self.off_network,
            access_s: self.access_s,
            minutes: self.minutes,
            estimate: self.estimate,
        }
    }
}

/// Why a query has no answer.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NearbyError {
    /// The home is farther from the walking network than the snapping limit.
    #[error("the home is {distance_m:.0} m from the walking network (limit {limit_m:.0} m)")]
    OffNetwork {
        /// Distance to the nearest street, metres.
        distance_m: f64,
        /// The snapping limit, metres.
        limit_m: f64,
    },
    /// The home is not a valid WGS-84 position.
    #[error("the home is not a valid WGS-84 position")]
    InvalidHome,
    /// The walking network has no (eligible) edge.
    #[error("the walking network is empty")]
    EmptyNetwork,
    /// A query parameter is out of range.
    #[error("invalid query: {what}")]
    InvalidQuery {
        /// Which parameter and why.
        what: String,
    },
    /// The index was built for other records or another graph.
    #[error("the index does not belong to these records or this network; rebuild it")]
    IndexMismatch,
    /// Services or a route were asked before any nearby query.
    #[error("no nearby query has run yet")]
    NoQuery,
}

/// The nearest place of a kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NearestPlace {
    /// Index into the stations or facilities.
    pub index: usize,
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Walking seconds from the home.
    pub seconds: f64,
    /// Metres walked.
    pub metres: f64,
}

/// Services within the budget of the last query.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Services {
    /// The nearest 就享家 station, if any is within the budget.
    pub station: Option<NearestPlace>,
    /// For the six base categories and every other category present in the data (in
    /// [`Category::ALL`] order): the nearest facility, or `None` when none is within the budget.
    pub categories: Vec<(Category, Option<NearestPlace>)>,
    /// Every training facility (培训/夜校) within the budget, nearest first.
    pub trainings: Vec<NearestPlace>,
    /// The budget, minutes.
    pub minutes: f64,
    /// True when times are straight-line estimates.
    pub estimate: bool,
}

/// Where the last query started and how far it went.
#[derive(Debug, Clone, Copy, PartialEq)]
struct LastRun {
    home_wgs84: LonLat,
    speed: f64,
    minutes: f64,
    networked: bool,
}

/// Reusable search state: the travel-time oracle's search from the last query's home, so that
/// services and routes come from the same single Dijkstra as the postings.
#[derive(Debug, Clone, Default)]
pub struct Searcher {
    from: FromOrigin,
    last: Option<LastRun>,
}

/// Counts the posting's (trimmed) category, if it has one.
fn count_category<'p>(counts: &mut BTreeMap<&'p str, usize>, p: &'p Posting) {
    if let Some(c) = p.category.as_deref().map(str::trim) {
        *counts.entry(c).or_default() += 1;
    }
}

impl Searcher {
    /// Fresh state (buffers are made on the first query).
    pub fn new() -> Self {
        Self::default()
    }

    /// The reach of the last networked query.
    pub fn reach(&self) -> Option<&Reach> {
        self.from
            .reach()
            .filter(|_| self.last.is_some_and(|l| l.networked))
    }

    /// Postings within `q.minutes` of `home`, filtered and ranked.
    ///
    /// With a graph: one bounded reach from the home's snap; postings whose straight-line
    /// distance is within the budget in metres are the candidates (a walk is never shorter
    /// than the straight line); each candidate's walking time is probed from the run and
    /// decides. Without a graph: straight-line distance × [`DEFAULT_DETOUR_FACTOR`](crate::plan::graph::DEFAULT_DETOUR_FACTOR) at the
    /// speed, `estimate: true`. `index` must have been built from `postings` and `graph`.
    pub fn nearby(
        &mut self,
        graph: Option<&WalkGraph>,
        index: &PostingIndex,
        postings: &[Posting],
        home: LonLat,
        q: &Query,
        snap: &SnapOptions,
    ) -> Result<NearbyResult, NearbyError> {
        self.last = None;
        let bad = |what: &str| NearbyError::InvalidQuery {
            what: what.to_owned(),
        };
        if !(q.minutes.is_finite() && q.minutes >= 0.0) {
            return Err(bad("minutes must be a finite number ≥ 0"));
        }
        if !(q.speed_m_per_min.is_finite() && q.speed_m_per_min > 0.0) {
            return Err(bad("speed must be a finite number > 0"));
        }
        let mut minutes = q.minutes;
        if let Some(m) = q.profile.as_ref().and_then(|p| p.max_minutes) {
            if !(m.is_finite() && m >= 0.0) {
                return Err(bad("profile max_minutes must be a finite number ≥ 0"));
            }
            minutes = minutes.min(m);
        }
        if index.len() != postings.len() || !index.places().matches(graph) {
            return Err(NearbyError::IndexMismatch);
        }
        if !home.is_valid() {
            return Err(NearbyError::InvalidHome);
        }
        let speed = q.speed_m_per_min;
        let limit_m = minutes * speed * (1.0 + LIMIT_TOLERANCE);
        let places = index.places();
        // Every filter but the category filter decides first, so that the categories of what
        // is within the walk can be counted (the choices a category filter offers).
        let by_category = !q.filters.categories.is_empty();
        let others = Filters {
            categories: Vec::new(),
            ..q.filters.clone()
        };
        let keep_all = others.is_empty();
        let mut categories: BTreeMap<&str, usize> = BTreeMap::new();

        // (index, metres) of every candidate within the limit, and the disc's bookkeeping.
        let mut within: Vec<(usize, f64)> = Vec::new();
        let (mut considered, mut filtered_out) = (0, 0);
        let mut off_network = Vec::new();
        self.from.clear();
        let access_s = if let Some(g) = graph {
            let s = g.snap(home, snap).map_err(|e| match e {
                SnapError::InvalidPosition => NearbyError::InvalidHome,
                SnapError::EmptyNetwork => NearbyError::EmptyNetwork,
                SnapError::OffNetwork { distance_m } => NearbyError::OffNetwork {
                    distance_m,
                    limit_m: snap.max_off_network_m,
                },
            })?;
            let profile = WalkProfile {
                speed_m_per_min: speed,
                avoid_steps: snap.avoid_steps,
            };
            self.from
                .run(g, s, profile, q.minutes * (1.0 + LIMIT_TOLERANCE));
            s.off_network_m / speed * 60.0
        } else {
            self.from.estimate_from(places.projection().project(home));
            0.0
        };
        let estimate = graph.is_none();
        let centre = self.from.origin_xy().ok_or(NearbyError::InvalidHome)?;
        for i in places.within(centre, self.from.disc_m(limit_m)) {
            considered += 1;
            let p = &postings[i];
            if !keep_all && !others.keeps(p) {
                filtered_out += 1;
                continue;
            }
            let in_category = !by_category || q.filters.keeps_category(p);
            if !in_category {
                filtered_out += 1;
            }
            match self.metres_to(graph, places, centre, i) {
                PlaceMetres::Metres(metres) if metres <= limit_m => {
                    count_category(&mut categories, p);
                    if in_category {
                        within.push((i, metres));
                    }
                }
                PlaceMetres::Unplaced if in_category => off_network.push(i),
                _ => {}
            }
        }
        off_network.sort_unstable();

        // Score every hit, rank a compact key array, and build only the hits returned.
        let by_score = q.profile.is_some();
        let mut scored: Vec<Option<(Points, Vec<Reason>)>> = Vec::new();
        let mut keys: Vec<(f64, f64, u32)> = Vec::with_capacity(within.len());
        for (k, &(i, metres)) in within.iter().enumerate() {
            let seconds = metres / speed * 60.0;
            let s = if let Some(profile) = &q.profile {
                let (pts, reasons) = score(&postings[i], seconds / 60.0, minutes, profile);
                let total = pts.total;
                scored.push(Some((pts, reasons)));
                total
            } else if minutes > 0.0 {
                (100.0 * (1.0 - seconds / 60.0 / minutes)).max(0.0)
            } else {
                100.0
            };
            keys.push((s, seconds, k as u32));
        }
        crate::plan::sort::by(&mut keys, |a, b| {
            let (ia, ib) = (within[a.2 as usize].0, within[b.2 as usize].0);
            let s = if by_score {
                b.0.total_cmp(&a.0)
            } else {
                Ordering::Equal
            };
            s.then(a.1.total_cmp(&b.1))
                .then_with(|| postings[ia].id.cmp(&postings[ib].id))
                .then(ia.cmp(&ib))
        });
        let total = keys.len();
        let returned = q.limit.map_or(total, |n| n.min(total));
        let hits: Vec<Hit> = keys[..returned]
            .iter()
            .map(|&(score, seconds, k)| {
                let (i, metres) = within[k as usize];
                let (reasons, points) = scored
                    .get_mut(k as usize)
                    .and_then(Option::take)
                    .map_or((Vec::new(), None), |(pts, reasons)| (reasons, Some(pts)));
                Hit {
                    posting: i,
                    id: postings[i].id.clone(),
                    seconds,
                    metres,
                    score,
                    reasons,
                    points,
                }
            })
            .collect();
        self.last = Some(LastRun {
            home_wgs84: home,
            speed,
            minutes: q.minutes,
            networked: graph.is_some(),
        });
        let mut categories: Vec<(String, usize)> = categories
            .into_iter()
            .map(|(c, n)| (c.to_owned(), n))
            .collect();
        crate::plan::sort::by(&mut categories, |a, b| {
            b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0))
        });
        Ok(NearbyResult {
            hits,
            considered,
            filtered_out,
            total,
            categories,
            off_network,
            access_s,
            minutes,
            estimate,
        })
    }

    /// Walking metres to every place of `places` within the last query's budget (the query's
    /// `minutes`, not a profile's shorter limit), as `(index, metres)` in index order.
    pub fn places_within(
        &self,
        graph: Option<&WalkGraph>,
        places: &PlaceIndex,
    ) -> Result<Vec<(usize, f64)>, NearbyError> {
        let last = self.last.ok_or(NearbyError::NoQuery)?;
        if !places.matches(graph) || last.networked != graph.is_some() {
            return Err(NearbyError::IndexMismatch);
        }
        let limit_m = last.minutes * last.speed * (1.0 + LIMIT_TOLERANCE);
        if let Some(g) = graph
            && !self.from.reach().is_some_and(|r| r.fits(g))
        {
            return Err(NearbyError::IndexMismatch);
        }
        // Without a network each index has its own projection: the home is projected on it.
        let centre = match graph {
            Some(_) => self.from.origin_xy().ok_or(NearbyError::NoQuery)?,
            None => places.projection().project(last.home_wgs84),
        };
        let mut out = Vec::new();
        for i in places.within(centre, self.from.disc_m(limit_m)) {
            if let PlaceMetres::Metres(m) = self.metres_to(graph, places, centre, i)
                && m <= limit_m
            {
                out.push((i, m));
            }
        }
        crate::plan::sort::by_key(&mut out, |&(i, _)| i);
        Ok(out)
    }

    /// The nearest station, the nearest facility of each category and the trainings within
    /// the last query's budget, from the same reach run (a resident query is one Dijkstra).
    /// `index` must have been built from `stations` and `facilities` on the same graph.
    pub fn services(
        &self,
        graph: Option<&WalkGraph>,
        index: &ServiceIndex,
        stations: &[Station],
        facilities: &[Facility],
    ) -> Result<Services, NearbyError> {
        let last = self.last.ok_or(NearbyError::NoQuery)?;
        if index.stations.len() != stations.len() || index.facilities.len() != facilities.len() {
            return Err(NearbyError::IndexMismatch);
        }
        let place = |index: usize, id: &str, name: &str, metres: f64| NearestPlace {
            index,
            id: id.to_owned(),
            name: name.to_owned(),
            seconds: metres / last.speed * 60.0,
            metres,
        };
        let nearest = |v: &[(usize, f64)]| {
            v.iter()
                .copied()
                .min_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)))
        };
        let st = self.places_within(graph, &index.stations)?;
        let station = nearest(&st).map(|(i, m)| place(i, &stations[i].id, &stations[i].name, m));
        let fac = self.places_within(graph, &index.facilities)?;
        let mut by_cat: Vec<Vec<(usize, f64)>> = vec![Vec::new(); Category::ALL.len()];
        for &(i, m) in &fac {
            let c = index.facility_category[i];
            if let Some(k) = Category::ALL.iter().position(|&x| x == c) {
                by_cat[k].push((i, m));
            }
        }
        let present = index.categories_present();
        let categories = Category::ALL
            .iter()
            .enumerate()
            .filter(|(_, c)| c.is_base() || present.contains(c))
            .map(|(k, &c)| {
                let f = nearest(&by_cat[k])
                    .map(|(i, m)| place(i, &facilities[i].id, &facilities[i].name, m));
                (c, f)
            })
            .collect();
        let mut trainings: Vec<NearestPlace> = fac
            .iter()
            .filter(|&&(i, _)| index.facility_category[i] == Category::Training)
            .map(|&(i, m)| place(i, &facilities[i].id, &facilities[i].name, m))
            .collect();
        crate::plan::sort::by(&mut trainings, |a, b| {
            a.metres.total_cmp(&b.metres).then(a.index.cmp(&b.index))
        });
        Ok(Services {
            station,
            categories,
            trainings,
            minutes: last.minutes,
            estimate: !last.networked,
        })
    }

    /// The walking metres from the last query's home to place `i` of `places`: the oracle's
    /// probe on the network, its estimate from `centre` (the home on the index's projection)
    /// without.
    fn metres_to(
        &self,
        graph: Option<&WalkGraph>,
        places: &PlaceIndex,
        centre: Xy,
        i: usize,
    ) -> PlaceMetres {
        let Some(xy) = places.xy(i) else {
            return PlaceMetres::NotReached;
        };
        self.from.metres_to(graph, places.snap(i), centre, xy)
    }

    /// The walking route from the last query's home to place `i` of `places` (a posting of a
    /// [`PostingIndex::places`], a station or a facility), if it is within that query's budget.
    /// `None` without a network, before any query, or for a place that is not reached.
    pub fn route_to(&self, graph: &WalkGraph, places: &PlaceIndex, i: usize) -> Option<Route> {
        let reach = self.reach()?;
        if !places.matches(Some(graph)) || !reach.fits(graph) {
            return None;
        }
        reach.route(graph, places.snap(i)?)
    }
}
