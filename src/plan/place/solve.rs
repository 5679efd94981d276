//! The solvers: [`mclp`] (k sites, most new coverage) and [`lscp`] (fewest sites for a target
//! share), both on a [`CoverSets`] instance.
//!
//! **MCLP.** Lazy greedy (CELF, Leskovec et al. 2007): a max-heap of stale upper bounds on each
//! candidate's gain; the top is re-evaluated, and chosen when its bound is fresh for this round
//! — exact greedy, because gains only shrink as coverage grows (submodularity). Ties go to the
//! lowest candidate index. A candidate whose gain is 0 is never chosen: the search stops and
//! reports the budget left. Then **best-improvement swap local search**: every pass evaluates
//! all (chosen out, unchosen in) pairs — with the count of chosen sites covering each point and
//! its sole coverer, one pass costs O(Σ|covers| + C·t), t the chosen sites that solely cover
//! one of a candidate's points (the others are taken in increasing order of what they alone
//! cover, so a candidate stops at the first that is not its best) — and makes the single best swap if it
//! strictly improves the covered weight (by more than 10⁻⁹ of the total weight, so rounding can
//! never cycle; ties: lowest incoming, then lowest outgoing index), until no single swap
//! improves. Sites that became useless (nothing would be lost without them, and no candidate
//! adds anything) are dropped and counted in `budget_left`. The greedy keeps the
//! (1 − 1/e) guarantee of Nemhauser et al.; swaps only improve on it. A swap-local optimum
//! is not always global, so the search then **kicks** it ([`MclpOptions::kicks`] times, an
//! iterated local search): 2–3 chosen sites, drawn by a seeded generator, are removed, refilled
//! greedily without them, and swapped to a new local optimum; the best solution seen is kept
//! (moves that do not lose coverage are accepted, to cross the plateaus equal weights make).
//! Deterministic for a given seed. On the real Shanghai instances this closes most of the gap
//! to the exact optimum at ~1 ms (BENCHMARKS.md).
//!
//! **LSCP-style.** Lazy greedy until the target weight is reached (or all coverable demand
//! when the target is beyond it: `target_met = Some(false)`); then, while [`mclp`] with one site
//! fewer still reaches the target, take that; finally drop redundant sites (the one losing the
//! least first) while the target holds.
//!
//! Both report the final set in build order (the greedy order of the final set) with marginal
//! gains that sum to `covered_weight − before_weight`. Demand already covered by the existing
//! stations (`fixed`) is never part of any gain.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use serde::{Deserialize, Serialize};

use super::bound::Core;
use super::exact::{self, Mode};
use super::split;
use super::{CoverSets, Plan, Uncovered, Why};

/// Chooses up to `k` candidate sites maximising the newly covered weight: lazy greedy, then
/// best-improvement swaps until no single swap improves (see the module docs).
///
/// ```
/// use shuangquan::plan::place::{CoverSets, mclp};
/// // Candidate 1 covers what 0 covers plus more; 2 is all already covered.
/// let sets = CoverSets::from_matrix(vec![1.0; 5],
///     vec![vec![0, 1], vec![0, 1, 2], vec![3], vec![4]], vec![false, false, false, true, false]).unwrap();
/// let plan = mclp(&sets, 3);
/// assert_eq!(plan.chosen, vec![1, 3]); // 2 covers nothing new: never chosen
/// assert_eq!(plan.marginal_gains, vec![3.0, 1.0]);
/// assert_eq!(plan.budget_left, 1);
/// ```
pub fn mclp(sets: &CoverSets, k: usize) -> Plan {
    mclp_with(sets, k, &MclpOptions::default())
}

/// How hard [`mclp_with`] searches after the first swap-local optimum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MclpOptions {
    /// Perturbations of the local optimum (0: greedy + swaps only). Default 100.
    pub kicks: usize,
    /// Seed of the perturbations. Default 1.
    pub seed: u64,
}

impl Default for MclpOptions {
    fn default() -> Self {
        Self {
            kicks: 100,
            seed: 1,
        }
    }
}

/// [`mclp`] with explicit search options: the heuristic's plan with the root bound (no
/// branch and bound; `proven_optimal` when the bound alone meets the plan).
pub fn mclp_with(sets: &CoverSets, k: usize, opts: &MclpOptions) -> Plan {
    mclp_search(sets, k, opts, 1, &mut || false)
}

/// [`mclp_with`], then branch and bound on the Lagrangian bound ([`exact`]) until the plan is
/// proven optimal or `out_of_time()` says the budget is spent: the best plan found, its
/// `upper_bound`, `gap` and `proven_optimal`. The caller owns the clock (the core never reads
/// one): e.g. `|| Instant::now() >= deadline` natively, `performance.now()` in a worker.
///
/// ```
/// use shuangquan::plan::place::{CoverSets, MclpOptions, mclp_within};
/// let sets = CoverSets::from_matrix(vec![1.0; 4],
///     vec![vec![0, 1], vec![1, 2], vec![2, 3]], vec![false; 4]).unwrap();
/// let plan = mclp_within(&sets, 2, &MclpOptions::default(), &mut || false);
/// assert!(plan.proven_optimal);
/// assert_eq!((plan.covered_weight, plan.upper_bound, plan.gap), (4.0, 4.0, 0.0));
/// ```
pub fn mclp_within(
    sets: &CoverSets,
    k: usize,
    opts: &MclpOptions,
    out_of_time: &mut dyn FnMut() -> bool,
) -> Plan {
    mclp_search(sets, k, opts, usize::MAX, out_of_time)
}

fn mclp_search(
    sets: &CoverSets,
    k: usize,
    opts: &MclpOptions,
    max_nodes: usize,
    out_of_time: &mut dyn FnMut() -> bool,
) -> Plan {
    let (mut st, mut swaps) = mclp_state(sets, k, opts, &mut || false);
    let core = Core::new(sets);
    let rows = core.sets();
    let start = st.new_weight();
    // The search split by cluster: a proof costs the sum of the clusters' searches, not
    // their product (BENCHMARKS.md, s12-place to s14-place).
    let out = split::search(
        &core,
        k,
        (&st.chosen, start),
        max_nodes,
        out_of_time,
        &mut polisher(&rows),
    );
    if out.new_weight > start + core.step() / 2.0 {
        st = State::from_set(sets, &out.set);
        swaps += st.local_search();
    }
    st.drop_useless();
    let budget_left = k - st.chosen.len();
    let mut plan = st.finish(swaps, budget_left, None);
    certify(&mut plan, &core, out.bound, out.complete, out.nodes);
    plan
}

/// The plan of a given set of sites (build order, gains, uncovered demand), without a search
/// or a bound (`upper_bound` infinite, `gap` 1): for sets chosen by another objective, such as
/// [`capacitated`](super::capacitated).
pub fn plan_for_set(sets: &CoverSets, set: &[usize]) -> Plan {
    State::from_set(sets, set).finish(0, 0, None)
}

/// Sets the plan's bound, gap and proof from a search outcome (`bound_new`: new weight).
fn certify(plan: &mut Plan, core: &Core, bound_new: f64, proven: bool, nodes: usize) {
    // Proven: nothing beats the search's best; that is this plan unless the search found a
    // better one it was not asked to use (a fewest-sites plan is not the most covering).
    let proven = proven && core.base + bound_new <= plan.covered_weight + core.step() / 2.0;
    let upper = if proven {
        plan.covered_weight
    } else {
        (core.base + bound_new).max(plan.covered_weight)
    };
    plan.upper_bound = upper;
    plan.gap = if upper > 0.0 {
        (1.0 - plan.covered_weight / upper).max(0.0)
    } else {
        0.0
    };
    plan.proven_optimal = proven;
    plan.nodes = nodes;
}

/// The root bound of a plan with `k` sites (no search).
fn certify_root(plan: &mut Plan, core: &Core, k: usize) {
    certify_root_within(plan, core, k, &mut || false);
}

/// [`certify_root`], its root bound stopped when `out_of_time()` says so (then it certifies
/// what the bound reached).
fn certify_root_within(
    plan: &mut Plan,
    core: &Core,
    k: usize,
    out_of_time: &mut dyn FnMut() -> bool,
) {
    let new = plan.covered_weight - plan.before_weight;
    let out = exact::search(
        core,
        k,
        (&plan.chosen, new),
        Mode::Maximise,
        1,
        out_of_time,
        &mut |set| (set.to_vec(), 0.0),
    );
    certify(plan, core, out.bound, out.complete, out.nodes);
}

/// The search's Lagrangian heuristic: best-improvement swaps from a set, to a swap-local
/// optimum (its new weight). On the core's rows ([`Core::sets`]): the same weight for every
/// set of kept candidates, a fraction of the work.
pub(super) fn polisher(sets: &CoverSets) -> impl FnMut(&[usize]) -> (Vec<usize>, f64) + '_ {
    |set| {
        let mut st = State::from_set(sets, set);
        st.local_search();
        let w = st.new_weight();
        (st.chosen, w)
    }
}

/// Greedy, swaps, kicks: the best state found and the number of improving swaps made. No kick
/// starts once `out_of_time()` says the budget is spent.
fn mclp_state<'a>(
    sets: &'a CoverSets,
    k: usize,
    opts: &MclpOptions,
    out_of_time: &mut dyn FnMut() -> bool,
) -> (State<'a>, usize) {
    let mut st = State::new(sets);
    st.greedy(k, f64::INFINITY);
    let mut swaps = st.local_search();
    if st.chosen.len() < 2 {
        return (st, swaps);
    }
    let eps = tolerance(st.total);
    let mut best = st.clone();
    let mut best_w = best.new_weight();
    let mut now_w = best_w;
    let mut rng = opts.seed ^ 0x5851_F42D_4C95_7F2D;
    for _ in 0..opts.kicks {
        if out_of_time() {
            break;
        }
        let mut trial = st.clone();
        let n = trial.chosen.len();
        let drop = (2 + (split_mix(&mut rng) % 2) as usize).min(n);
        let mut removed = Vec::with_capacity(drop);
        for _ in 0..drop {
            let p = (split_mix(&mut rng) % trial.chosen.len() as u64) as usize;
            removed.push(trial.chosen[p]);
            trial.remove_at(p);
        }
        for &c in &removed {
            trial.excluded[c] = true;
        }
        trial.greedy(k, f64::INFINITY);
        for &c in &removed {
            trial.excluded[c] = false;
        }
        let s = trial.local_search();
        let w = trial.new_weight();
        if w >= now_w - eps {
            swaps += s;
            now_w = w;
            st = trial;
            if w > best_w + eps {
                best_w = w;
                best = st.clone();
            }
        }
    }
    (best, swaps)
}

/// SplitMix64 step.
fn split_mix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Plans for every budget 1..=`k_max`, each built from the previous one (add the best site,
/// then swap until no single swap improves), so covered weight never decreases with k. Useful
/// for a budget–coverage curve; each plan is at least as good as greedy at its budget.
pub fn mclp_sweep(sets: &CoverSets, k_max: usize) -> Vec<Plan> {
    let core = Core::new(sets);
    let mut st = State::new(sets);
    let mut out = Vec::with_capacity(k_max);
    let mut swaps = 0;
    for k in 1..=k_max {
        st.greedy(k, f64::INFINITY);
        swaps += st.local_search();
        let mut copy = st.clone();
        copy.drop_useless();
        let left = k - copy.chosen.len();
        let mut plan = copy.finish(swaps, left, None);
        certify_root(&mut plan, &core, k);
        out.push(plan);
    }
    out
}

/// The fewest sites reaching `target_share` (0–1) of the total weight, existing coverage
/// included; when the target is beyond what all candidates can reach, the fewest sites found
/// covering all coverable demand, with `target_met = Some(false)`. See the module docs.
///
/// ```
/// use shuangquan::plan::place::{CoverSets, lscp};
/// let sets = CoverSets::from_matrix(vec![1.0; 4],
///     vec![vec![0, 1], vec![2], vec![1, 2, 3]], vec![false; 4]).unwrap();
/// let plan = lscp(&sets, 1.0);
/// assert_eq!(plan.target_met, Some(true));
/// assert_eq!(plan.chosen, vec![2, 0]);
/// ```
pub fn lscp(sets: &CoverSets, target_share: f64) -> Plan {
    lscp_search(sets, target_share, 1, &mut || false)
}

/// [`lscp`], then a search for a plan with fewer sites: a lower bound on the number of sites
/// from the Lagrangian bound (the smallest count whose bound reaches the target), and branch
/// and bound for one site fewer until a plan is found, the count is proven minimal, or
/// `out_of_time()` says the budget is spent (`sites_lower_bound`, `proven_optimal`). Every
/// stage asks the clock: the heuristic's attempts with one site fewer (and their kicks), the
/// lower bound's probes, the branch and bound and the final certificate; out of time, the plan
/// found so far (always reaching the target when it can be reached) and what was proven.
pub fn lscp_within(
    sets: &CoverSets,
    target_share: f64,
    out_of_time: &mut dyn FnMut() -> bool,
) -> Plan {
    lscp_search(sets, target_share, usize::MAX, out_of_time)
}

fn lscp_search(
    sets: &CoverSets,
    target_share: f64,
    max_nodes: usize,
    out_of_time: &mut dyn FnMut() -> bool,
) -> Plan {
    let total = sets.total_weight();
    let eps = tolerance(total);
    let share = if target_share.is_nan() {
        1.0
    } else {
        target_share.clamp(0.0, 1.0)
    };
    let target = share * total;
    let st0 = State::new(sets);
    let coverable: f64 = st0.before
        + (0..sets.demand_len())
            .filter(|&d| !sets.fixed[d] && st0.coverable[d])
            .map(|d| sets.weights[d])
            .sum::<f64>();
    let met = target <= coverable + eps;
    let goal_new = if met { target } else { coverable } - st0.before;
    let mut st = st0;
    st.greedy(sets.candidate_len(), goal_new - eps);
    let mut swaps = 0;
    // Try one site fewer with the full MCLP search while that still reaches the goal and
    // there is time.
    while st.chosen.len() > 1 && !out_of_time() {
        let (fewer, s) = mclp_state(
            sets,
            st.chosen.len() - 1,
            &MclpOptions::default(),
            out_of_time,
        );
        if fewer.new_weight() >= goal_new - eps {
            swaps += s;
            st = fewer;
        } else {
            break;
        }
    }
    st.drop_redundant(goal_new - eps);
    let core = Core::new(sets);
    let rows = core.sets();
    let goal = goal_new - eps;
    let mut lower = sites_lower_bound(&core, &rows, goal, &mut st, out_of_time);
    let mut nodes = 0;
    while lower < st.chosen.len() && max_nodes > 1 && !out_of_time() {
        let n = st.chosen.len();
        let out = exact::search(
            &core,
            n - 1,
            (&[], 0.0),
            Mode::Reach(goal),
            max_nodes,
            out_of_time,
            &mut polisher(&rows),
        );
        nodes += out.nodes;
        if out.reached {
            st = State::from_set(sets, &out.set);
            st.drop_redundant(goal);
        } else if out.complete {
            lower = n;
        } else {
            break;
        }
    }
    let n = st.chosen.len();
    let mut plan = st.finish(swaps, 0, Some(met));
    certify_root_within(&mut plan, &core, n, out_of_time);
    plan.proven_optimal = lower >= n;
    plan.sites_lower_bound = Some(lower.min(n));
    plan.nodes += nodes;
    plan
}

/// The fewest sites any plan reaching `goal` (new weight) may have: the sum of the r largest
/// covers first, then a binary search on the root Lagrangian bound (a count whose bound stays
/// below the goal is refuted, and so is every smaller one). A set reaching the goal with fewer
/// sites than `st` that the bound's evaluations meet on the way replaces `st`. Each probe's
/// bound stops when `out_of_time()` says so (an unfinished probe refutes nothing), and no probe
/// starts after: what was refuted by then is the bound.
fn sites_lower_bound(
    core: &Core,
    rows: &CoverSets,
    goal: f64,
    st: &mut State<'_>,
    out_of_time: &mut dyn FnMut() -> bool,
) -> usize {
    if goal <= 0.0 {
        return 0;
    }
    let mut sizes: Vec<f64> = core
        .covers
        .iter()
        .map(|c| c.iter().map(|&d| core.w[d as usize]).sum())
        .collect();
    crate::plan::sort::by(&mut sizes, |a: &f64, b| b.total_cmp(a));
    let mut sum = 0.0;
    let mut lo = sizes.len();
    for (i, s) in sizes.iter().enumerate() {
        sum += s;
        if core.floor(sum) >= goal {
            lo = i + 1;
            break;
        }
    }
    let mut hi = st.chosen.len();
    while lo < hi && !out_of_time() {
        let mid = usize::midpoint(lo, hi);
        let out = exact::search(
            core,
            mid,
            (&[], 0.0),
            Mode::Reach(goal),
            1,
            out_of_time,
            &mut polisher(rows),
        );
        if out.reached {
            let mut found = State::from_set(st.sets, &out.set);
            found.drop_redundant(goal);
            if found.chosen.len() < st.chosen.len() {
                *st = found;
            }
            hi = mid.min(st.chosen.len());
        } else if out.complete {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo.min(st.chosen.len())
}

fn tolerance(total: f64) -> f64 {
    1e-9 * total
}

/// Heap entry of the lazy greedy: an upper bound on a candidate's gain and when it was computed.
struct Entry {
    gain: f64,
    cand: u32,
    round: u32,
}

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Entry {}

impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Entry {
    /// Larger gain first, then the lower candidate index.
    fn cmp(&self, other: &Self) -> Ordering {
        self.gain
            .total_cmp(&other.gain)
            .then_with(|| other.cand.cmp(&self.cand))
    }
}

/// A partial solution: the chosen sites and how many of them cover each demand point.
#[derive(Clone)]
struct State<'a> {
    sets: &'a CoverSets,
    /// Per demand point: chosen sites covering it.
    count: Vec<u32>,
    /// Per demand point: some candidate covers it.
    coverable: Vec<bool>,
    chosen: Vec<usize>,
    is_chosen: Vec<bool>,
    /// Candidates the greedy must not add (during a kick's refill).
    excluded: Vec<bool>,
    /// Per candidate: the weight of the demand it covers that is not fixed (no swap that
    /// brings it in gains more than this less the smallest loss).
    reach: Vec<f64>,
    before: f64,
    total: f64,
}

impl<'a> State<'a> {
    fn from_set(sets: &'a CoverSets, set: &[usize]) -> Self {
        let mut st = Self::new(sets);
        for &c in set {
            st.add(c);
        }
        st
    }

    fn new(sets: &'a CoverSets) -> Self {
        let mut coverable = vec![false; sets.demand_len()];
        for c in &sets.covers {
            for &d in c {
                coverable[d as usize] = true;
            }
        }
        let reach = sets
            .covers
            .iter()
            .map(|c| {
                let mut w = 0.0;
                for &d in c.as_slice() {
                    if !sets.fixed[d as usize] {
                        w += sets.weights[d as usize];
                    }
                }
                w
            })
            .collect();
        Self {
            sets,
            reach,
            count: vec![0; sets.demand_len()],
            coverable,
            chosen: Vec::new(),
            is_chosen: vec![false; sets.candidate_len()],
            excluded: vec![false; sets.candidate_len()],
            before: sets.fixed_weight(),
            total: sets.total_weight(),
        }
    }

    /// Weight that candidate `c` would newly cover.
    fn gain(&self, c: usize) -> f64 {
        // Loops over slices, from −0 as `Iterator::sum` adds: at the web build's opt-level `z`
        // iterator adapters and `Vec` indexing stay out-of-line calls (BENCHMARKS.md, s15-place).
        let (fixed, weights, count) = (
            self.sets.fixed.as_slice(),
            self.sets.weights.as_slice(),
            self.count.as_slice(),
        );
        let mut g = -0.0;
        for &d in self.sets.covers[c].as_slice() {
            let d = d as usize;
            if !fixed[d] && count[d] == 0 {
                g += weights[d];
            }
        }
        g
    }

    /// Weight newly covered by the chosen sites (in demand order: equal sets, equal sums).
    fn new_weight(&self) -> f64 {
        let (fixed, weights, count) = (
            self.sets.fixed.as_slice(),
            self.sets.weights.as_slice(),
            self.count.as_slice(),
        );
        let mut w = -0.0;
        for d in 0..count.len() {
            if !fixed[d] && count[d] > 0 {
                w += weights[d];
            }
        }
        w
    }

    fn add(&mut self, c: usize) {
        let count = self.count.as_mut_slice();
        for &d in self.sets.covers[c].as_slice() {
            count[d as usize] += 1;
        }
        self.is_chosen[c] = true;
        self.chosen.push(c);
    }

    fn remove_at(&mut self, p: usize) {
        let c = self.chosen.remove(p);
        let count = self.count.as_mut_slice();
        for &d in self.sets.covers[c].as_slice() {
            count[d as usize] -= 1;
        }
        self.is_chosen[c] = false;
    }

    /// Lazy greedy: adds sites until `k` are chosen, the new weight reaches `goal`, or no
    /// candidate adds anything.
    fn greedy(&mut self, k: usize, goal: f64) {
        if self.chosen.len() >= k {
            return;
        }
        let mut reached = self.new_weight();
        if reached >= goal {
            return;
        }
        let mut round = 0u32;
        let mut heap: BinaryHeap<Entry> = (0..self.sets.candidate_len())
            .filter(|&c| !self.is_chosen[c] && !self.excluded[c])
            .map(|c| Entry {
                gain: self.gain(c),
                cand: c as u32,
                round,
            })
            .filter(|e| e.gain > 0.0)
            .collect();
        while self.chosen.len() < k {
            let Some(top) = heap.pop() else { break };
            if top.round == round {
                self.add(top.cand as usize);
                reached += top.gain;
                round += 1;
                if reached >= goal {
                    break;
                }
            } else {
                let gain = self.gain(top.cand as usize);
                if gain > 0.0 {
                    heap.push(Entry {
                        gain,
                        cand: top.cand,
                        round,
                    });
                }
            }
        }
    }

    /// Per chosen position: the weight only that site covers (lost without it), and the sole
    /// coverer (chosen position) of every demand point covered exactly once.
    fn losses(&self, sole: &mut [u32]) -> Vec<f64> {
        let mut loss = vec![0.0; self.chosen.len()];
        for (p, &c) in self.chosen.iter().enumerate() {
            for &d in &self.sets.covers[c] {
                let d = d as usize;
                if self.count[d] == 1 {
                    sole[d] = p as u32;
                    if !self.sets.fixed[d] {
                        loss[p] += self.sets.weights[d];
                    }
                }
            }
        }
        loss
    }

    /// Best-improvement swaps until none strictly improves; returns the number made.
    ///
    /// The swap of candidate `j` for chosen position `p` gains `g0 + extra[p] − loss[p]`:
    /// `g0` what `j` covers that nothing covers, `extra[p]` what `j` covers that only `p`
    /// covers, `loss[p]` what only `p` covers. `extra` is zero but for the few positions
    /// that solely cover one of `j`'s points, so each candidate evaluates those, then the
    /// others in increasing order of loss (their gain `g0 − loss` only falls along it) and
    /// stops at the first that is not the best: O(Σ|cover| + C · touched) per swap instead of
    /// O(Σ|cover| + C · k). The swap made is the same: the largest gain, the first candidate
    /// reaching it, then its lowest-numbered outgoing site.
    fn local_search(&mut self) -> usize {
        let eps = tolerance(self.total);
        let mut sole = vec![u32::MAX; self.count.len()];
        let mut extra: Vec<f64> = Vec::new();
        let mut marked: Vec<bool> = Vec::new();
        let mut touched: Vec<usize> = Vec::new();
        let mut order: Vec<usize> = Vec::new();
        let mut swaps = 0;
        loop {
            if self.chosen.is_empty() {
                return swaps;
            }
            let loss = self.losses(&mut sole);
            let k = self.chosen.len();
            extra.clear();
            extra.resize(k, 0.0);
            marked.clear();
            marked.resize(k, false);
            order.clear();
            order.extend(0..k);
            order.sort_unstable_by(|&a, &b| {
                loss[a]
                    .total_cmp(&loss[b])
                    .then(self.chosen[a].cmp(&self.chosen[b]))
            });
            // (delta, incoming candidate, outgoing position)
            let mut best: Option<(f64, usize, usize)> = None;
            // Slices in the loop (see `gain`).
            let (covers, fixed, weights) = (
                self.sets.covers.as_slice(),
                self.sets.fixed.as_slice(),
                self.sets.weights.as_slice(),
            );
            let (count, is_chosen, chosen) = (
                self.count.as_slice(),
                self.is_chosen.as_slice(),
                self.chosen.as_slice(),
            );
            let (loss, sole) = (loss.as_slice(), sole.as_slice());
            let (extra, marked) = (extra.as_mut_slice(), marked.as_mut_slice());
            let reach = self.reach.as_slice();
            let least = loss.iter().fold(f64::INFINITY, |a, &b| a.min(b));
            for j in 0..covers.len() {
                if is_chosen[j] {
                    continue;
                }
                // A swap bringing j in gains at most its reach less the smallest loss (eps
                // covers the sums' rounding): skipped when that cannot beat eps or the best
                // so far, which the scan would not replace (it takes a strictly larger gain).
                let most = reach[j] - least;
                if most <= 0.0 || best.is_some_and(|(bd, ..)| most + eps <= bd) {
                    continue;
                }
                let mut g0 = 0.0;
                for &d in covers[j].as_slice() {
                    let d = d as usize;
                    if fixed[d] {
                        continue;
                    }
                    match count[d] {
                        0 => g0 += weights[d],
                        1 => {
                            let p = sole[d] as usize;
                            if !marked[p] {
                                marked[p] = true;
                                touched.push(p);
                            }
                            extra[p] += weights[d];
                        }
                        _ => {}
                    }
                }
                // This candidate's best: the largest gain above eps, then the lowest site.
                let mut here: Option<(f64, usize)> = None;
                let mut consider = |delta: f64, p: usize| {
                    if delta > eps
                        && here.is_none_or(|(hd, hp)| {
                            delta > hd || (delta.total_cmp(&hd).is_eq() && chosen[p] < chosen[hp])
                        })
                    {
                        here = Some((delta, p));
                    }
                };
                for &p in &touched {
                    consider(g0 + extra[p] - loss[p], p);
                }
                let mut first: Option<f64> = None;
                for &p in &order {
                    if marked[p] {
                        continue;
                    }
                    let delta = g0 + extra[p] - loss[p];
                    if first.is_some_and(|f| delta.total_cmp(&f).is_lt()) || delta <= eps {
                        break;
                    }
                    first = Some(delta);
                    consider(delta, p);
                }
                for &p in &touched {
                    extra[p] = 0.0;
                    marked[p] = false;
                }
                touched.clear();
                if let Some((delta, p)) = here
                    && best.is_none_or(|(bd, ..)| delta > bd)
                {
                    best = Some((delta, j, p));
                }
            }
            let Some((_, j, p)) = best else {
                return swaps;
            };
            self.remove_at(p);
            self.add(j);
            swaps += 1;
        }
    }

    /// Drops sites that cover nothing on their own, when no candidate would add anything.
    fn drop_useless(&mut self) {
        if (0..self.sets.candidate_len()).any(|c| !self.is_chosen[c] && self.gain(c) > 0.0) {
            return;
        }
        self.drop_redundant(self.new_weight());
    }

    /// Drops, one at a time, the site whose removal loses the least (ties: lowest index)
    /// while the new weight stays ≥ `goal`.
    fn drop_redundant(&mut self, goal: f64) {
        let mut sole = vec![u32::MAX; self.count.len()];
        loop {
            let loss = self.losses(&mut sole);
            let now = self.new_weight();
            let mut pick: Option<usize> = None;
            for p in 0..self.chosen.len() {
                if now - loss[p] < goal {
                    continue;
                }
                let better = pick.is_none_or(|q| {
                    loss[p] < loss[q]
                        || (loss[p].total_cmp(&loss[q]).is_eq() && self.chosen[p] < self.chosen[q])
                });
                if better {
                    pick = Some(p);
                }
            }
            match pick {
                Some(p) => self.remove_at(p),
                None => return,
            }
        }
    }

    /// The plan: the chosen set in greedy build order with its marginal gains, and the
    /// uncovered demand with reasons.
    fn finish(mut self, swaps: usize, budget_left: usize, target_met: Option<bool>) -> Plan {
        let set = std::mem::take(&mut self.chosen);
        for &c in &set {
            for &d in &self.sets.covers[c] {
                self.count[d as usize] -= 1;
            }
            self.is_chosen[c] = false;
        }
        let mut rest = set;
        rest.sort_unstable();
        let mut gains = Vec::with_capacity(rest.len());
        while !rest.is_empty() {
            let mut best = 0;
            let mut best_gain = self.gain(rest[0]);
            for (i, &c) in rest.iter().enumerate().skip(1) {
                let g = self.gain(c);
                if g > best_gain {
                    best = i;
                    best_gain = g;
                }
            }
            self.add(rest.remove(best));
            gains.push(best_gain);
        }
        let covered = self.before + self.new_weight();
        let unreachable = &self.sets.unreachable_demand;
        let uncovered = (0..self.count.len())
            .filter(|&d| !self.sets.fixed[d] && self.count[d] == 0)
            .map(|d| Uncovered {
                demand: d as u32,
                weight: self.sets.weights[d],
                why: if unreachable.binary_search(&(d as u32)).is_ok() {
                    Why::OffNetwork
                } else if self.coverable[d] {
                    Why::BudgetExhausted
                } else {
                    Why::NoCandidateInReach
                },
            })
            .collect();
        let share = |w: f64| {
            if self.total > 0.0 {
                w / self.total
            } else {
                0.0
            }
        };
        let n = self.sets.candidate_len();
        let closed = (n - self.sets.closable_existing.min(n)..n)
            .filter(|&c| !self.is_chosen[c])
            .collect();
        let existing = self.sets.existing_weight();
        Plan {
            chosen: self.chosen,
            marginal_gains: gains,
            before_weight: self.before,
            existing_weight: existing,
            covered_weight: covered,
            total_weight: self.total,
            share_before: share(existing),
            share_after: share(covered),
            swaps,
            closed,
            budget_left,
            uncovered,
            target_met,
            upper_bound: f64::INFINITY,
            gap: 1.0,
            proven_optimal: false,
            sites_lower_bound: None,
            nodes: 0,
        }
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::{CoverSets, State, tolerance};

    /// The swap search as first written: every (candidate, chosen position) pair evaluated,
    /// O(C·k) per swap. The reference the faster [`State::local_search`] must equal.
    fn local_search_all_pairs(st: &mut State<'_>) -> usize {
        let eps = tolerance(st.total);
        let mut sole = vec![u32::MAX; st.count.len()];
        let mut swaps = 0;
        while !st.chosen.is_empty() {
            let loss = st.losses(&mut sole);
            let mut best: Option<(f64, usize, usize)> = None;
            for j in (0..st.sets.candidate_len()).filter(|&j| !st.is_chosen[j]) {
                let mut extra = vec![0.0; st.chosen.len()];
                let mut g0 = 0.0;
                for &d in &st.sets.covers[j] {
                    let d = d as usize;
                    match (st.sets.fixed[d], st.count[d]) {
                        (false, 0) => g0 += st.sets.weights[d],
                        (false, 1) => extra[sole[d] as usize] += st.sets.weights[d],
                        _ => {}
                    }
                }
                for p in 0..st.chosen.len() {
                    let delta = g0 + extra[p] - loss[p];
                    let better = delta > eps
                        && best.is_none_or(|(bd, bj, bp)| {
                            delta > bd
                                || (delta.total_cmp(&bd).is_eq()
                                    && j == bj
                                    && st.chosen[p] < st.chosen[bp])
                        });
                    if better {
                        best = Some((delta, j, p));
                    }
                }
            }
            let Some((_, j, p)) = best else { break };
            st.remove_at(p);
            st.add(j);
            swaps += 1;
        }
        swaps
    }

    /// A seeded generator: `next(n)` draws from 0..n (a 64-bit LCG's high bits).
    pub(in crate::plan::place) fn seeded(seed: u64) -> impl FnMut(usize) -> usize {
        let mut s = seed;
        move |n: usize| {
            s = s
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            ((s >> 33) % n as u64) as usize
        }
    }

    /// A seeded instance with small integer weights (many equal gains, so the tie rules
    /// decide) and some demand already covered.
    fn instance(seed: u64, candidates: usize, demand: usize, per: usize) -> CoverSets {
        let mut next = seeded(seed);
        let weights = (0..demand).map(|_| (1 + next(4)) as f64).collect();
        let covers = (0..candidates)
            .map(|_| (0..=next(per)).map(|_| next(demand) as u32).collect())
            .collect();
        let fixed = (0..demand).map(|_| next(10) == 0).collect();
        CoverSets::from_matrix(weights, covers, fixed).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn swaps_equal_the_all_pairs_search() {
        let mut changed = 0;
        for seed in 0..300u64 {
            let sets = instance(seed, 20 + (seed as usize % 60), 80, 12);
            for k in [1, 3, 7, 15] {
                let mut a = State::new(&sets);
                a.greedy(k, f64::INFINITY);
                // Start from an arbitrary set too (the last k candidates), so swaps have work.
                let n = sets.candidate_len();
                let start: Vec<usize> = (n - k..n).rev().collect();
                for set in [a.chosen.clone(), start] {
                    let mut fast = State::from_set(&sets, &set);
                    let mut slow = State::from_set(&sets, &set);
                    let n_fast = fast.local_search();
                    let n_slow = local_search_all_pairs(&mut slow);
                    assert_eq!(n_fast, n_slow, "seed {seed}, k {k}");
                    assert_eq!(fast.chosen, slow.chosen, "seed {seed}, k {k}");
                    changed += usize::from(n_slow > 0);
                }
            }
        }
        // The comparison is worth something only if swaps happened.
        assert!(changed > 100, "only {changed} searches swapped");
    }
}
