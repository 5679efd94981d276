//! The coverage matrix of a placement problem: for every candidate site, the demand points it
//! would bring within the walking-time threshold, and the demand the existing stations cover.
//!
//! Every time comes from the travel-time [`Oracle`] built once on the demand points: one
//! multi-source search from the existing stations marks the `fixed` demand, then one bounded
//! search per candidate (the oracle's workspace reused) probes only the demand points on the
//! edges it reached. A point is covered when its walking time is ≤ the threshold (inclusive,
//! as [`Budget::Minutes`](crate::plan::graph::Budget::Minutes)). Points that do not snap
//! (farther from the network than [`SnapOptions::max_off_network_m`]) are listed in
//! `unreachable_demand` / `unreachable_candidates` and cover or are covered by nothing.
//!
//! Without a graph, the oracle's straight-line estimate (distance × the detour factor) decides,
//! and `estimate` says so.
//!
//! Complexity: O(C · (R log R + D_c)) for C candidates, R network nodes reached within the
//! threshold and D_c demand points on the edges reached; memory O(V + D + Σ|covers|).

use serde::{Deserialize, Serialize};

use crate::plan::geom::LonLat;
use crate::plan::graph::{Oracle, OraclePoints, Site, SnapOptions, WalkGraph, WalkProfile};

/// A placement instance as a sparse coverage matrix. Build it with [`cover_sets`] (from
/// positions) or [`CoverSets::from_matrix`] (explicit, e.g. imported or for tests).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CoverSets {
    /// Weight (population) of each demand point.
    pub weights: Vec<f64>,
    /// Per candidate: the sorted, distinct indices of the demand points within the threshold.
    pub covers: Vec<Vec<u32>>,
    /// Per demand point: already covered by the existing (kept) stations.
    pub fixed: Vec<bool>,
    /// Demand points that could not join the walking network (sorted).
    pub unreachable_demand: Vec<u32>,
    /// Candidates that could not join the walking network (sorted; their cover is empty).
    pub unreachable_candidates: Vec<u32>,
    /// Existing stations that could not join the walking network (sorted; they cover nothing).
    pub unreachable_existing: Vec<u32>,
    /// True when coverage is a straight-line estimate (no walk graph).
    pub estimate: bool,
    /// When the existing stations may close ([`cover_sets_closable`]): they are the last this
    /// many candidates, and nothing is `fixed`. 0 otherwise.
    #[serde(default)]
    pub closable_existing: usize,
    /// The threshold, minutes (0 when built from an explicit matrix without one).
    pub minutes: f64,
    /// The walking speed, metres per minute (0 when built from an explicit matrix without one).
    pub speed_m_per_min: f64,
    /// The walking network's compound setting (None: no network, or an explicit matrix).
    #[serde(default)]
    pub compounds: Option<crate::plan::graph::Compounds>,
}

/// Why an explicit matrix was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MatrixError {
    /// `fixed` and `weights` have different lengths.
    #[error("{fixed} fixed flags for {weights} demand weights")]
    FixedLength {
        /// Length of `fixed`.
        fixed: usize,
        /// Length of `weights`.
        weights: usize,
    },
    /// A weight is negative or not finite.
    #[error("demand {index}: weight {weight} is not a finite non-negative number")]
    BadWeight {
        /// Demand index.
        index: usize,
        /// The weight.
        weight: f64,
    },
    /// A cover list names a demand point that does not exist.
    #[error("candidate {candidate}: demand index {demand} out of range (0..{len})")]
    DemandOutOfRange {
        /// Candidate index.
        candidate: usize,
        /// The bad index.
        demand: u32,
        /// Number of demand points.
        len: usize,
    },
}

impl CoverSets {
    /// An instance from an explicit matrix: `covers[c]` lists the demand indices candidate `c`
    /// covers (sorted and deduplicated here), `fixed[d]` says demand `d` is already covered.
    /// Every problem is checked; the first one found is returned.
    ///
    /// ```
    /// use shuangquan::plan::place::{CoverSets, mclp};
    /// let sets = CoverSets::from_matrix(vec![5.0, 3.0, 2.0], vec![vec![0, 1], vec![1, 2]],
    ///                                   vec![false, false, true]).unwrap();
    /// let plan = mclp(&sets, 1);
    /// assert_eq!(plan.chosen, vec![0]);
    /// assert_eq!(plan.covered_weight, 10.0); // 8 new + 2 already covered
    /// ```
    pub fn from_matrix(
        weights: Vec<f64>,
        mut covers: Vec<Vec<u32>>,
        fixed: Vec<bool>,
    ) -> Result<Self, MatrixError> {
        if fixed.len() != weights.len() {
            return Err(MatrixError::FixedLength {
                fixed: fixed.len(),
                weights: weights.len(),
            });
        }
        if let Some((index, &weight)) = weights
            .iter()
            .enumerate()
            .find(|(_, w)| !(w.is_finite() && **w >= 0.0))
        {
            return Err(MatrixError::BadWeight { index, weight });
        }
        for (candidate, c) in covers.iter_mut().enumerate() {
            c.sort_unstable();
            c.dedup();
            if let Some(&demand) = c.last().filter(|&&d| d as usize >= weights.len()) {
                return Err(MatrixError::DemandOutOfRange {
                    candidate,
                    demand,
                    len: weights.len(),
                });
            }
        }
        Ok(Self::checked(weights, covers, fixed))
    }

    /// An explicit matrix already known to be valid (what [`CoverSets::from_matrix`] checks):
    /// no threshold, no network, nothing unreachable.
    pub(crate) fn checked(weights: Vec<f64>, covers: Vec<Vec<u32>>, fixed: Vec<bool>) -> Self {
        Self {
            weights,
            covers,
            fixed,
            unreachable_demand: Vec::new(),
            unreachable_candidates: Vec::new(),
            unreachable_existing: Vec::new(),
            estimate: false,
            closable_existing: 0,
            minutes: 0.0,
            speed_m_per_min: 0.0,
            compounds: None,
        }
    }

    /// Number of demand points.
    pub fn demand_len(&self) -> usize {
        self.weights.len()
    }

    /// Number of candidates.
    pub fn candidate_len(&self) -> usize {
        self.covers.len()
    }

    /// Total demand weight.
    pub fn total_weight(&self) -> f64 {
        // `+ 0.0`: an empty float sum is −0.0, which would print as "-0.0".
        self.weights.iter().sum::<f64>() + 0.0
    }

    /// Weight covered by all existing stations: the `fixed` weight, plus, when they may close,
    /// what the closable ones cover together.
    pub fn existing_weight(&self) -> f64 {
        let mut on = self.fixed.clone();
        let n = self.covers.len();
        for c in &self.covers[n - self.closable_existing.min(n)..] {
            for &d in c {
                on[d as usize] = true;
            }
        }
        (0..on.len())
            .filter(|&d| on[d])
            .map(|d| self.weights[d])
            .sum::<f64>()
            + 0.0
    }

    /// Weight already covered by the existing stations.
    pub fn fixed_weight(&self) -> f64 {
        self.weights
            .iter()
            .zip(&self.fixed)
            .filter(|(_, f)| **f)
            .map(|(w, _)| w)
            .sum::<f64>()
            + 0.0
    }
}

/// [`cover_sets`] where the existing stations may close: they become candidates, appended
/// after `candidates` (candidate index `candidates.len() + i` is existing station `i`), and
/// nothing is `fixed`. Solve with a budget of `existing.len() + k` to keep the same number of
/// stations plus k new ones; [`Plan::closed`](super::Plan::closed) lists the stations left out.
pub fn cover_sets_closable(
    graph: Option<&WalkGraph>,
    demand: &[(LonLat, f64)],
    candidates: &[LonLat],
    existing: &[LonLat],
    opts: &CoverOptions,
    progress: &mut dyn FnMut(usize, usize),
) -> CoverSets {
    let sites = Sites {
        candidates,
        existing,
        closable: true,
    };
    cover_sets_with_points(graph, demand, None, sites, opts, progress)
}

/// The sites of a coverage matrix: the candidates and the existing stations, kept
/// ([`cover_sets`]) or closable ([`cover_sets_closable`]).
#[derive(Debug, Clone, Copy)]
pub struct Sites<'a> {
    /// Candidate sites.
    pub candidates: &'a [LonLat],
    /// Existing stations.
    pub existing: &'a [LonLat],
    /// The existing stations may close (they become the last candidates).
    pub closable: bool,
}

/// The threshold and walker of a coverage matrix.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CoverOptions {
    /// Walking-time threshold, minutes (inclusive).
    pub minutes: f64,
    /// Who walks (speed; steps).
    pub profile: WalkProfile,
    /// How points join the network.
    pub snap: SnapOptions,
}

impl Default for CoverOptions {
    /// 15 minutes at 60 m/min, default snapping.
    fn default() -> Self {
        Self {
            minutes: 15.0,
            profile: WalkProfile::DEFAULT,
            snap: SnapOptions::default(),
        }
    }
}

/// Builds the coverage matrix of a placement problem.
///
/// `demand` is `(position, weight)` per point; `existing` are the kept stations. `progress`
/// is called with `(candidates done, candidates)` after every candidate (and once with
/// `(0, C)` at the start). Without a graph (`None`), straight-line distance × the detour factor
/// is used and the result is marked as an estimate. Negative or non-finite weights count as 0.
pub fn cover_sets(
    graph: Option<&WalkGraph>,
    demand: &[(LonLat, f64)],
    candidates: &[LonLat],
    existing: &[LonLat],
    opts: &CoverOptions,
    progress: &mut dyn FnMut(usize, usize),
) -> CoverSets {
    let sites = Sites {
        candidates,
        existing,
        closable: false,
    };
    cover_sets_with_points(graph, demand, None, sites, opts, progress)
}

/// [`cover_sets`] or [`cover_sets_closable`] (as `sites` says) with the demand points already
/// prepared for `graph` (snapped and indexed by edge: [`OraclePoints::new`] over the demand
/// positions with `opts.snap`), as an engine keeps them between runs; points prepared otherwise
/// (another count or snapping) are prepared again.
pub fn cover_sets_with_points(
    graph: Option<&WalkGraph>,
    demand: &[(LonLat, f64)],
    points: Option<&OraclePoints>,
    sites: Sites<'_>,
    opts: &CoverOptions,
    progress: &mut dyn FnMut(usize, usize),
) -> CoverSets {
    if sites.closable {
        let all: Vec<LonLat> = sites
            .candidates
            .iter()
            .chain(sites.existing)
            .copied()
            .collect();
        let open = Sites {
            candidates: &all,
            existing: &[],
            closable: false,
        };
        let mut sets = cover_sets_with_points(graph, demand, points, open, opts, progress);
        sets.closable_existing = sites.existing.len();
        return sets;
    }
    let (candidates, existing) = (sites.candidates, sites.existing);
    let CoverOptions {
        minutes,
        profile,
        snap: _,
    } = *opts;
    let weights: Vec<f64> = demand
        .iter()
        .map(|&(_, w)| if w.is_finite() && w > 0.0 { w } else { 0.0 })
        .collect();
    let mut sets = CoverSets {
        weights,
        covers: vec![Vec::new(); candidates.len()],
        fixed: vec![false; demand.len()],
        unreachable_demand: Vec::new(),
        unreachable_candidates: Vec::new(),
        unreachable_existing: Vec::new(),
        estimate: graph.is_none(),
        closable_existing: 0,
        minutes,
        speed_m_per_min: profile.speed_m_per_min,
        compounds: graph.map(|g| g.rules().compounds),
    };
    progress(0, candidates.len());
    let mut oracle = match points.filter(|p| p.len() == demand.len() && p.fits(graph, &opts.snap)) {
        Some(p) => Oracle::with_points(graph, p, profile),
        None => Oracle::new(graph, demand.iter().map(|&(p, _)| p), profile, opts.snap),
    };
    sets.unreachable_demand = (0..demand.len() as u32)
        .filter(|&d| !oracle.placed(d as usize))
        .collect();
    let fixed = &mut sets.fixed;
    let missed = oracle.nearest(existing, minutes, &mut |d, _| fixed[d] = true);
    sets.unreachable_existing = missed.into_iter().map(|(i, _)| i as u32).collect();
    // The candidates' searches in network order (nearby sites one after the other, so that a
    // search finds most of its memory in cache from the one before: ≈ 3× cheaper per node than
    // scattered ones, BENCHMARKS.md), each result stored at its candidate's index.
    let located: Vec<Site> = candidates.iter().map(|&p| oracle.site(p)).collect();
    let mut order: Vec<u32> = (0..candidates.len() as u32).collect();
    order.sort_by_key(|&c| (located[c as usize].locality(graph), c));
    let mut within = Vec::new();
    for (done, &c) in order.iter().enumerate() {
        match oracle.within_site(&located[c as usize], minutes, &mut within) {
            Ok(()) => sets.covers[c as usize] = within.iter().map(|&(d, _)| d).collect(),
            Err(_) => sets.unreachable_candidates.push(c),
        }
        progress(done + 1, candidates.len());
    }
    sets.unreachable_candidates.sort_unstable();
    sets
}
