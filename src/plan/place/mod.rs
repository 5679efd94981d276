//! Station placement on candidate sites: the maximal covering location problem (MCLP, Church
//! & ReVelle 1974) and its set-covering sibling (LSCP-style: fewest sites for a target share).
//!
//! Two steps, each in its own file:
//! - [`cover`]: the sparse coverage matrix, [`CoverSets`]: for every candidate the demand
//!   points within the walking-time threshold (one bounded reach per candidate, an R-tree
//!   pre-filter of the demand points in the reachable disc, a probe per point), and which
//!   demand the existing stations already cover (one multi-source reach). Without a walk graph
//!   it falls back to straight-line distance × [`DEFAULT_DETOUR_FACTOR`](super::graph::DEFAULT_DETOUR_FACTOR)
//!   and says so. O(C · (R + D_c)) for C candidates, R nodes reached per search and D_c demand
//!   points in a candidate's disc.
//! - [`bound`]: an upper bound on what any k sites can cover (Lagrangian relaxation with
//!   subgradient steps), and [`exact`]: branch and bound on it, within a time budget, so every
//!   plan carries `upper_bound`, `gap` and `proven_optimal` ([`mclp_within`], [`lscp_within`]);
//!   [`split`]: the same search for the MCLP split by independent cluster of the core (a
//!   knapsack over the clusters' best coverage with m sites), so a proof costs the sum of the
//!   clusters' searches, not their product (native only: the browser's module keeps the
//!   whole search, for the bundle's size).
//! - [`capacity`]: stations with a capacity (people served); [`flow`] assigns the covered
//!   people to reachable stations with room left (a maximum flow).
//! - [`solve`]: [`mclp`] (lazy greedy, then best-improvement swaps until no single swap
//!   improves, then seeded kicks of that local optimum) and [`lscp`] (lazy greedy to the target, then a search for fewer sites, then
//!   redundancy removal). Both report each chosen site's marginal gain and why the remaining
//!   demand is uncovered. Greedy is O(Σ|covers| log C) with lazy evaluation; one swap pass is
//!   O(Σ|covers| + k · C).
//!
//! Weights are population (any non-negative unit). Demand already covered by the existing
//! stations (`fixed`) counts in `before_weight` and never in any candidate's gain, so nothing
//! is double-counted. When existing stations may close ([`cover_sets_closable`]), they are
//! candidates instead of `fixed`, and [`Plan::closed`] lists those the plan leaves out. Everything is deterministic: ties go to the lowest candidate index.

pub mod bound;
pub mod capacity;
pub mod cover;
pub mod exact;
pub mod flow;
pub mod report;
pub mod solve;
pub mod split;

use serde::{Deserialize, Serialize};

pub use capacity::{CapacityError, CapacityPlan, capacitated, check_capacities};
pub use cover::{
    CoverOptions, CoverSets, MatrixError, Sites as CoverSites, cover_sets, cover_sets_closable,
    cover_sets_with_points,
};
pub use solve::{MclpOptions, lscp, lscp_within, mclp, mclp_sweep, mclp_with, mclp_within};

/// Why a demand point stays uncovered after placement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Why {
    /// No candidate site is within the threshold: more budget would not help.
    NoCandidateInReach,
    /// Some candidate covers it, but the budget (k) ran out before one was chosen (or, for
    /// LSCP, the target was met without it).
    BudgetExhausted,
    /// The point is too far from the walking network to be reached at all.
    OffNetwork,
}

/// One demand point left uncovered by the plan (and by the existing stations).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Uncovered {
    /// Index of the demand point (into [`CoverSets::weights`]).
    pub demand: u32,
    /// Its weight.
    pub weight: f64,
    /// Why it is uncovered.
    pub why: Why,
}

/// The result of [`mclp`] or [`lscp`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// Chosen candidate indices, in build order: each is the one adding the most coverage
    /// given those before it (the greedy order of the final set, ties to the lowest index).
    pub chosen: Vec<usize>,
    /// Newly covered weight of each chosen site given the existing stations and the sites
    /// before it; sums to `covered_weight - before_weight`.
    pub marginal_gains: Vec<f64>,
    /// Weight covered by the kept existing stations (`fixed`): the base of the marginal gains.
    pub before_weight: f64,
    /// Weight covered by all existing stations before any change (equal to `before_weight`
    /// unless they may close, see [`cover_sets_closable`]).
    pub existing_weight: f64,
    /// Weight covered by the existing stations and the chosen sites.
    pub covered_weight: f64,
    /// Total demand weight.
    pub total_weight: f64,
    /// `existing_weight / total_weight` (0 when there is no weight).
    pub share_before: f64,
    /// `covered_weight / total_weight` (0 when there is no weight).
    pub share_after: f64,
    /// Improving swaps made by the local search (all of them, kicks included).
    pub swaps: usize,
    /// When existing stations may close: the closable candidates (existing stations) not
    /// chosen, by candidate index. Empty otherwise.
    pub closed: Vec<usize>,
    /// Budget not used because no remaining candidate covers anything new (MCLP; 0 for LSCP).
    pub budget_left: usize,
    /// Demand points left uncovered, by index, with the reason.
    pub uncovered: Vec<Uncovered>,
    /// LSCP only: whether the target share was reached. `Some(false)`: the target is beyond
    /// what all candidates together can cover, and the plan covers all coverable demand.
    pub target_met: Option<bool>,
    /// An upper bound on the weight any plan with as many sites can cover, existing stations'
    /// coverage included (same unit as `covered_weight`; ≥ the optimum on every instance).
    #[serde(default)]
    pub upper_bound: f64,
    /// `1 − covered_weight / upper_bound` (0 when the bound is 0): how far the plan may be
    /// from the best possible, at most.
    #[serde(default)]
    pub gap: f64,
    /// The plan is proven optimal: no plan with as many sites covers more (MCLP), or none with
    /// fewer sites reaches the target (LSCP).
    #[serde(default)]
    pub proven_optimal: bool,
    /// LSCP only: a lower bound on the number of sites any plan reaching the target needs.
    #[serde(default)]
    pub sites_lower_bound: Option<usize>,
    /// Branch-and-bound nodes evaluated (1: the root bound only).
    #[serde(default)]
    pub nodes: usize,
}

impl Plan {
    /// Uncovered weight by reason: (no candidate in reach, budget exhausted, off network).
    pub fn uncovered_weight_by_reason(&self) -> (f64, f64, f64) {
        let mut out = (0.0, 0.0, 0.0);
        for u in &self.uncovered {
            match u.why {
                Why::NoCandidateInReach => out.0 += u.weight,
                Why::BudgetExhausted => out.1 += u.weight,
                Why::OffNetwork => out.2 += u.weight,
            }
        }
        out
    }
}
