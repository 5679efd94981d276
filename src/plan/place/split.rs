//! The exact MCLP search split by independent cluster: candidates linked by rows they both
//! cover form clusters of the [`Core`], and coverage adds up over clusters, so the optimum
//! with k sites is a knapsack over the clusters of fᶜ(m), each cluster's best coverage with m
//! of its sites — a sum of the clusters' searches instead of the product of their trees.
//!
//! Every cluster keeps, per m, an upper bound Uᶜ(m) ≥ fᶜ(m) and a plan with coverage
//! Lᶜ(m) ≤ fᶜ(m). The upper bounds start from the whole core's root multipliers λ (for any
//! λ ≥ 0 and any m, Σ_{rows} max(0, w − λ) + the m largest scores of the cluster bounds fᶜ(m):
//! the Lagrangian bound of the cluster alone), the plans from a greedy per cluster and from
//! the whole search's incumbent; f is nondecreasing in m, so U(m) ≤ U(m + 1) and
//! L(m) ≥ L(m − 1) tighten them. The knapsack over the upper bounds bounds the optimum; the
//! one over the plans is a plan. A pair (c, m) still open (U > L) matters only when the best
//! knapsack with mᶜ = m, the others at their upper bounds, can beat the incumbent; those pairs
//! are searched ([`exact::search`] on the cluster's own core with m sites: first every pair's
//! root, then the smallest open cluster's pairs, the most promising first), told the coverage
//! below which the pair cannot matter (a node below it is pruned: the search then proves
//! fᶜ(m) below it, or finds and proves fᶜ(m)). The last open cluster is searched once for
//! all its open m (`combined`: its core with one more candidate per step of the others'
//! best, a knapsack over the other clusters inside the search). When no open pair
//! matters, the knapsack's bound meets the incumbent: the optimum is proven. Stopped by the
//! clock or the node budget, the bound is the upper knapsack's, a real bound.
//!
//! Cost: per round, three knapsacks of O(k · Σᶜ min(nᶜ, k)) (n: a cluster's candidates); the
//! searches are the clusters', each exponential in the worst case. Memory: the knapsacks'
//! tables, 3 × (clusters + 1) × (k + 1) numbers. An instance with one cluster, one proven at
//! its root, or one whose tables would pass 2²¹ cells goes to [`exact::search`]
//! unchanged.

use super::bound::Core;
use super::capacity::larger_first;
use super::exact::{self, Mode, Outcome, Polish};
use super::solve::polisher;

/// The most cells a knapsack table may have (2²¹: 16 MB of numbers per table).
const KNAPSACK_CELLS: usize = 1 << 21;

/// One cluster of the core: its candidates, its own core, and per m (0..=min(n, k)) what is
/// known of its best coverage with m sites.
struct Cluster {
    /// Its candidates (core indices, increasing).
    cands: Vec<usize>,
    /// Its rows renumbered, its candidates' covers in that numbering (local indices), base 0.
    core: Core,
    /// Per m: an upper bound on f(m) (a multiple of the unit when there is one).
    upper: Vec<f64>,
    /// Per m: the coverage of `plans[m]` (≤ f(m)).
    lower: Vec<f64>,
    /// Per m: a plan with at most m sites (local indices).
    plans: Vec<Vec<usize>>,
    /// Per m: the pair's own root was searched.
    tried: Vec<bool>,
    /// The last search over a range of m: the range, the incumbent and the others' best at
    /// its first m (the same again falls back to the pair alone).
    last: (usize, usize, f64, f64),
    /// The whole core's root multipliers on the cluster's rows: where the cluster's first
    /// root starts.
    lambda: Vec<f64>,
    /// The multipliers of the cluster's rows at its last search's root (empty before its
    /// first search), where its next root starts.
    warm: Vec<f64>,
}

impl Cluster {
    /// A cluster (`cands`: core indices; `rows`: the core's rows they cover, increasing) with
    /// its own core (`local`: scratch, one entry per core row), its first bounds — the whole
    /// core's root multipliers `lambda`, valid for every m — and its greedy plans.
    fn new(
        cands: Vec<usize>,
        rows: &[u32],
        core: &Core,
        lambda: &[f64],
        k: usize,
        local: &mut [u32],
    ) -> Self {
        let top = cands.len().min(k);
        for (i, &r) in rows.iter().enumerate() {
            local[r as usize] = i as u32;
        }
        let w: Vec<f64> = rows.iter().map(|&r| core.w[r as usize]).collect();
        let coverable = w.iter().sum::<f64>() + 0.0;
        let sub = Core {
            w,
            covers: cands
                .iter()
                .map(|&j| core.covers[j].iter().map(|&r| local[r as usize]).collect())
                .collect(),
            base: 0.0,
            unit: core.unit,
            coverable,
        };
        // The root's multipliers bound the cluster for every m.
        let free: f64 = rows
            .iter()
            .map(|&r| (core.w[r as usize] - lambda[r as usize]).max(0.0))
            .sum();
        // (score, candidate), the largest first: the order (and sort) of the capacity search.
        let mut scores: Vec<(f64, usize)> = cands
            .iter()
            .map(|&j| (core.covers[j].iter().map(|&r| lambda[r as usize]).sum(), j))
            .collect();
        scores.sort_by(larger_first);
        let mut upper = Vec::with_capacity(top + 1);
        let mut sum = free;
        upper.push(0.0);
        for m in 1..=top {
            sum += scores[m - 1].0.max(0.0);
            upper.push(sub.floor(sum.min(sub.coverable)));
        }
        if top == cands.len() {
            upper[top] = sub.coverable;
        }
        let mut c = Self {
            cands,
            upper,
            lower: vec![0.0; top + 1],
            plans: vec![Vec::new(); top + 1],
            tried: vec![false; top + 1],
            last: (0, 0, -1.0, 0.0),
            lambda: rows.iter().map(|&r| lambda[r as usize]).collect(),
            warm: Vec::new(),
            core: sub,
        };
        if top == c.cands.len() {
            c.lower[top] = c.core.coverable;
            c.plans[top] = (0..top).collect();
        }
        for (m, (set, w)) in greedy_chain(&c.core, top).into_iter().enumerate() {
            c.offer(m, set, w);
        }
        c
    }

    /// Searches the cluster for m in lo..=lo + others.len() − 1 at once ([`combined`];
    /// `others`: the other clusters' best with k − m sites), below `best` (the whole core's
    /// incumbent) unable to matter, at most `limit` nodes: its plans and bounds updated.
    /// Returns the nodes evaluated.
    fn search(
        &mut self,
        lo: usize,
        others: &[f64],
        best: f64,
        limit: usize,
        out_of_time: &mut dyn FnMut() -> bool,
    ) -> usize {
        let hi = lo + others.len() - 1;
        let (sub, steps) = combined(&self.core, others);
        // Below `floor_w` the cluster cannot beat the incumbent: the search may prune there.
        // A plan of the cluster with m sites and the hi − m largest steps is a plan of the
        // combined instance.
        let floor_w = (lo..=hi)
            .map(|m| self.lower[m] + steps[..hi - m].iter().sum::<f64>())
            .fold(best - others[hi - lo], f64::max);
        let rows = sub.sets();
        let mut warm = if self.warm.is_empty() {
            self.lambda.clone()
        } else {
            self.warm.clone()
        };
        warm.extend_from_slice(&steps);
        let out = exact::search_from(
            &sub,
            hi,
            (&self.plans[hi], floor_w),
            Mode::Maximise,
            limit,
            out_of_time,
            &mut polisher(&rows),
            &warm,
        );
        if !out.lambda.is_empty() {
            self.warm.clear();
            self.warm
                .extend_from_slice(&out.lambda[..self.core.w.len()]);
        }
        if out.new_weight > floor_w {
            let n = self.cands.len();
            let set: Vec<usize> = out.set.into_iter().filter(|&j| j < n).collect();
            let weight = self.core.weight(&set);
            self.offer(set.len(), set, weight);
        }
        // Nothing at or above floor_w + half was missed: with m sites the cluster reaches
        // at most the bound less the hi − m largest steps.
        let slack = self.core.step() / 2.0;
        for m in lo..=hi {
            let with = out.bound + slack - steps[..hi - m].iter().sum::<f64>();
            self.upper[m] = self.upper[m].min(self.core.floor(with));
        }
        self.tighten();
        out.nodes
    }

    fn top(&self) -> usize {
        self.upper.len() - 1
    }

    /// Records a plan with at most m sites.
    fn offer(&mut self, m: usize, set: Vec<usize>, weight: f64) {
        if weight > self.lower[m] {
            self.lower[m] = weight;
            self.plans[m] = set;
        }
    }

    /// f is nondecreasing: a plan for m is one for m + 1, a bound for m + 1 bounds m.
    fn tighten(&mut self) {
        for m in 1..=self.top() {
            if self.lower[m - 1] > self.lower[m] {
                self.lower[m] = self.lower[m - 1];
                let (before, from_m) = self.plans.split_at_mut(m);
                from_m[0].clone_from(&before[m - 1]);
            }
        }
        for m in (0..self.top()).rev() {
            self.upper[m] = self.upper[m].min(self.upper[m + 1]);
        }
        for m in 0..=self.top() {
            self.upper[m] = self.upper[m].max(self.lower[m]);
        }
    }
}

/// The root of `x` in a union–find forest (path halving).
fn find(parent: &mut [usize], mut x: usize) -> usize {
    while parent[x] != x {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    x
}

/// The clusters of a core: candidates with a non-empty cover, linked by the rows they share
/// (union–find), in the order of their lowest candidate; each with the rows it covers
/// (increasing).
fn clusters(core: &Core) -> Vec<(Vec<usize>, Vec<u32>)> {
    let c = core.covers.len();
    let mut parent: Vec<usize> = (0..c).collect();
    let mut first = vec![usize::MAX; core.w.len()];
    for (j, cover) in core.covers.iter().enumerate() {
        for &r in cover {
            let r = r as usize;
            if first[r] == usize::MAX {
                first[r] = j;
            } else {
                let (a, b) = (find(&mut parent, j), find(&mut parent, first[r]));
                if a != b {
                    parent[a.max(b)] = a.min(b);
                }
            }
        }
    }
    let mut index = vec![usize::MAX; c];
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for j in 0..c {
        if core.covers[j].is_empty() {
            continue;
        }
        let root = find(&mut parent, j);
        if index[root] == usize::MAX {
            index[root] = groups.len();
            groups.push(Vec::new());
        }
        groups[index[root]].push(j);
    }
    groups
        .into_iter()
        .map(|cands| {
            let mut rows: Vec<u32> = cands
                .iter()
                .flat_map(|&j| core.covers[j].iter().copied())
                .collect();
            rows.sort_unstable();
            rows.dedup();
            (cands, rows)
        })
        .collect()
}

/// Greedy plans for every m (the best gain first, ties to the lowest index): (set, weight).
fn greedy_chain(core: &Core, top: usize) -> Vec<(Vec<usize>, f64)> {
    let mut on = vec![false; core.w.len()];
    let mut set = Vec::new();
    let mut weight = 0.0;
    let mut out = vec![(Vec::new(), 0.0)];
    for _ in 0..top {
        let gain = |j: usize| -> f64 {
            core.covers[j]
                .iter()
                .filter(|&&r| !on[r as usize])
                .map(|&r| core.w[r as usize])
                .sum()
        };
        let mut pick: Option<(f64, usize)> = None;
        for j in 0..core.covers.len() {
            let g = gain(j);
            if g > 0.0 && pick.is_none_or(|(b, _)| g > b) {
                pick = Some((g, j));
            }
        }
        if let Some((g, j)) = pick {
            for &r in &core.covers[j] {
                on[r as usize] = true;
            }
            set.push(j);
            weight += g;
        }
        out.push((set.clone(), weight));
    }
    out
}

/// The run of positions around `at` in `others` (the other clusters' best with one more site
/// of this cluster at each position, nonincreasing) where the losses grow: there the steps
/// of [`combined`] are exact; where the others' best loses less for one more site than for
/// the one before (not concave), they would overstate it.
fn concave_run(others: &[f64], at: usize) -> (usize, usize) {
    let loss = |j: usize| others[j] - others[j + 1];
    let (mut first, mut last) = (at, at);
    while last + 1 < others.len() && (last == first || loss(last - 1) <= loss(last)) {
        last += 1;
    }
    while first > 0 && (first == last || loss(first - 1) <= loss(first)) {
        first -= 1;
    }
    (first, last)
}

/// A cluster's instance for several m at once: its core with `others.len() − 1` more
/// candidates, each covering a private row (a "step"), weighted by the increments of the
/// others' best (`others[j]`: with the cluster at lo + j sites, nonincreasing), the largest
/// first. With budget hi = lo + others.len() − 1, m sites of the cluster and the hi − m largest
/// steps reach fᶜ(m) + Σ of those steps ≥ fᶜ(m) + others(m) − others(hi): one search bounds
/// every m of the range (a knapsack over the other clusters inside the search). Returns the
/// instance and the steps.
fn combined(core: &Core, others: &[f64]) -> (Core, Vec<f64>) {
    let mut steps: Vec<(f64, usize)> = others
        .windows(2)
        .enumerate()
        .map(|(j, w)| ((w[0] - w[1]).max(0.0), j))
        .collect();
    steps.sort_by(larger_first);
    let steps: Vec<f64> = steps.into_iter().map(|(s, _)| s).collect();
    let mut w = core.w.clone();
    let mut covers = core.covers.clone();
    for &s in &steps {
        covers.push(vec![w.len() as u32]);
        w.push(s);
    }
    let unit = core
        .unit
        .filter(|&u| steps.iter().all(|&s| (s / u).fract() == 0.0));
    let coverable = w.iter().sum::<f64>() + 0.0;
    let sub = Core {
        w,
        covers,
        base: 0.0,
        unit,
        coverable,
    };
    (sub, steps)
}

/// The best total of the clusters' values with at most b sites, for every b in 0..=k: each
/// cluster's `upper` (or `lower`) bounds (nondecreasing in m) folded in turn, in the order of
/// `cl` (or reversed): after i clusters the row i. `choice` (when asked) records each
/// cluster's m for every b. One function for the three tables (one copy in the module).
fn knapsack(
    cl: &[Cluster],
    k: usize,
    upper: bool,
    reversed: bool,
    mut choice: Option<&mut Vec<Vec<u32>>>,
) -> Vec<Vec<f64>> {
    let n = cl.len();
    let mut rows = vec![vec![0.0; k + 1]];
    for i in 0..n {
        let c = &cl[if reversed { n - 1 - i } else { i }];
        let values = if upper { &c.upper } else { &c.lower };
        let prev = &rows[i];
        let mut next = prev.clone();
        let mut pick = vec![0u32; k + 1];
        for b in 0..=k {
            for (m, &v) in values.iter().enumerate().take(b + 1).skip(1) {
                let t = prev[b - m] + v;
                if t > next[b] {
                    next[b] = t;
                    pick[b] = m as u32;
                }
            }
        }
        if let Some(choice) = choice.as_deref_mut() {
            choice.push(pick);
        }
        rows.push(next);
    }
    rows
}

/// Branch and bound for `k` sites on `core`, split by cluster (see the module docs); the
/// same contract as [`exact::search`] in [`Mode::Maximise`]: `start` a feasible set and its
/// new weight, at most `max_nodes` nodes in all the searches, `out_of_time` asked between
/// steps, `polish` the whole core's Lagrangian heuristic (the clusters' own are built here).
pub fn search(
    core: &Core,
    k: usize,
    start: (&[usize], f64),
    max_nodes: usize,
    out_of_time: &mut dyn FnMut() -> bool,
    polish: Polish<'_>,
) -> Outcome {
    let mut parts = if max_nodes > 1 {
        clusters(core)
    } else {
        Vec::new()
    };
    // The knapsacks keep (clusters + 1) × (k + 1) numbers three times: beyond the limit the
    // whole search runs instead.
    if (parts.len() + 1).saturating_mul(k + 1) > KNAPSACK_CELLS {
        parts.clear();
    }
    let root_nodes = if parts.len() > 1 { 1 } else { max_nodes };
    let root = exact::search(
        core,
        k,
        start,
        Mode::Maximise,
        root_nodes,
        out_of_time,
        polish,
    );
    if root.complete || parts.len() < 2 || root.lambda.is_empty() {
        return root;
    }
    let half = core.step() / 2.0;
    let mut best = root.new_weight;
    let mut best_set = root.set.clone();
    let mut nodes = root.nodes;
    let lambda = &root.lambda;
    let mut cluster_of = vec![usize::MAX; core.covers.len()];
    let mut local = vec![u32::MAX; core.w.len()];
    let mut cl: Vec<Cluster> = parts
        .into_iter()
        .enumerate()
        .map(|(i, (cands, rows))| {
            for &j in &cands {
                cluster_of[j] = i;
            }
            Cluster::new(cands, &rows, core, lambda, k, &mut local)
        })
        .collect();
    // The incumbent's part in each cluster is a plan of its own.
    let offer_parts = |cl: &mut [Cluster], set: &[usize]| {
        let mut parts: Vec<Vec<usize>> = vec![Vec::new(); cl.len()];
        for &j in set {
            if let Some(&i) = cluster_of.get(j).filter(|&&i| i != usize::MAX) {
                let local = cl[i].cands.binary_search(&j).unwrap_or(0);
                parts[i].push(local);
            }
        }
        for (c, part) in cl.iter_mut().zip(parts) {
            let m = part.len();
            if m <= c.top() {
                let w = c.core.weight(&part);
                c.offer(m, part, w);
            }
        }
    };
    offer_parts(&mut cl, &best_set);
    let mut polished = true;
    let mut complete = false;
    let mut upper_total;
    'rounds: loop {
        for c in &mut cl {
            c.tighten();
        }
        // The plans' knapsack: a plan of the whole core.
        let mut choice = Vec::with_capacity(cl.len());
        let low = knapsack(&cl, k, false, false, Some(&mut choice));
        let low_best = low.last().map_or(0.0, |r| r[k]);
        if low_best >= best + half {
            let mut b = k;
            let mut set = Vec::new();
            for (i, c) in cl.iter().enumerate().rev() {
                let m = choice[i][b] as usize;
                set.extend(c.plans[m].iter().map(|&l| c.cands[l]));
                b -= m;
            }
            set.sort_unstable();
            best = low_best;
            best_set = set;
            polished = false;
        }
        // The whole core's heuristic on a new incumbent: swaps across clusters may find
        // plans for other m, which the clusters keep.
        if !polished {
            polished = true;
            let (set, weight) = polish(&best_set);
            if weight >= best + half && set.len() <= k {
                best = weight;
                best_set = set;
                offer_parts(&mut cl, &best_set);
            }
        }
        // The bounds' knapsack, from both ends: the best of the others for any pair.
        let prefix = knapsack(&cl, k, true, false, None);
        let suffix = knapsack(&cl, k, true, true, None);
        upper_total = core.floor(prefix.last().map_or(0.0, |r| r[k]));
        if upper_total < best + half {
            complete = true;
            break;
        }
        let last = cl.len() - 1;
        // The best of the others' bounds with k − m sites, for a pair (i, m).
        let rest = |i: usize, m: usize| {
            let (before, after) = (&prefix[i], &suffix[last - i]);
            (0..=k - m)
                .map(|b| before[b] + after[k - m - b])
                .fold(0.0, f64::max)
        };
        // The open pairs (what the pair could reach, i · (k + 1) + m), the most promising
        // first, and per cluster with open pairs the range of their m.
        let mut open: Vec<(f64, usize)> = Vec::new();
        let mut span = vec![(usize::MAX, 0); cl.len()];
        for (i, c) in cl.iter().enumerate() {
            for m in 0..=c.top() {
                if c.upper[m] - c.lower[m] <= half {
                    continue;
                }
                let reach = core.floor(c.upper[m] + rest(i, m));
                if reach >= best + half {
                    open.push((reach, i * (k + 1) + m));
                    span[i] = (span[i].0.min(m), m);
                }
            }
        }
        if open.is_empty() {
            // Only rounding can get here (the bounds' best allocation is then the plans'): no
            // proof is claimed, the bound stays the bounds' knapsack.
            break;
        }
        open.sort_by(larger_first);
        // First every open pair's own root bound (the cluster's Lagrangian with m sites, far
        // tighter than the whole core's multipliers away from their allocation; its steps
        // start from those multipliers on the cluster's rows). Then whole searches, the
        // smallest open cluster's pairs first (the most promising first): their proofs make
        // the knapsack of the others exact for the larger ones. The last open cluster is
        // searched for all its open m at once ([`combined`]: one tree instead of one per m;
        // on the browser's city instance 1,126 nodes for m = 33..36 of its 252-candidate
        // cluster, where the three proofs of m = 34, 35, 36 took 7,470).
        let probing = open
            .iter()
            .any(|&(_, p)| !cl[p / (k + 1)].tried[p % (k + 1)]);
        let smallest = open
            .iter()
            .map(|&(_, p)| p / (k + 1))
            .min_by_key(|&i| (cl[i].cands.len(), i))
            .unwrap_or(0);
        let alone = span.iter().filter(|s| s.0 <= s.1).count() == 1;
        for (_, p) in open {
            let (i, m) = (p / (k + 1), p % (k + 1));
            if if probing {
                cl[i].tried[m]
            } else {
                i != smallest
            } {
                continue;
            }
            if nodes >= max_nodes || out_of_time() {
                break 'rounds;
            }
            let (mut lo, hi) = if alone { span[i] } else { (m, m) };
            // The others' best with k − m sites, for m in lo..=hi.
            let mut others: Vec<f64> = (lo..=hi).map(|m| rest(i, m)).collect();
            let (first, last) = concave_run(&others, m - lo);
            // The same search again would prove the same (only rounding leaves it open):
            // the pair alone instead.
            let signature = (lo + first, lo + last, best, others[first]);
            if cl[i].last != signature && !probing {
                cl[i].last = signature;
                others.truncate(last + 1);
                others.drain(..first);
                lo += first;
            } else {
                others = vec![others[m - lo]];
                lo = m;
            }
            let limit = if probing { 1 } else { max_nodes - nodes };
            let searched = cl[i].search(lo, &others, best, limit, out_of_time);
            nodes += searched;
            cl[i].tried[m] = true;
            if !probing && searched > 1 {
                continue 'rounds;
            }
        }
    }
    let bound = if complete {
        best
    } else {
        root.bound.min(upper_total).max(best)
    };
    Outcome {
        set: best_set,
        new_weight: best,
        bound,
        complete,
        reached: false,
        nodes,
        lambda: root.lambda,
    }
}

#[cfg(test)]
// Integer weights: sums are exact, equal means equal.
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;
    use crate::plan::place::CoverSets;

    /// The best weight of at most `m` of the core's candidates (every subset).
    fn best_with(core: &Core, m: usize) -> f64 {
        let n = core.covers.len();
        (0u32..1 << n)
            .filter(|mask| mask.count_ones() as usize <= m)
            .map(|mask| {
                let set: Vec<usize> = (0..n).filter(|&j| mask >> j & 1 == 1).collect();
                core.weight(&set)
            })
            .fold(0.0, f64::max)
    }

    #[test]
    fn one_search_over_a_range_of_m_bounds_every_m_and_is_exact_where_the_others_are_concave() {
        // The combined instance of a cluster for m in lo..=hi (its core plus one candidate per
        // step of the others' best): its optimum with hi sites, less the hi − m largest steps,
        // bounds fᶜ(m) + others(m) − others(hi) for every m of the range (the split search's
        // bounds after such a search), and equals the best of them when the others' losses
        // grow with m (concave), as the range cut in the search guarantees.
        let (mut concave, mut not) = (0, 0);
        for seed in 0..300 {
            let mut next = super::super::solve::tests::seeded(seed);
            let (points, sites) = (5 + next(8), 3 + next(6));
            let weights = (0..points).map(|_| (1 + next(9)) as f64).collect();
            let covers = (0..sites)
                .map(|_| (0..points as u32).filter(|_| next(3) == 0).collect())
                .collect();
            let sets = CoverSets::from_matrix(weights, covers, vec![false; points]).unwrap();
            let core = Core::new(&sets);
            let (lo, len) = (next(3), 1 + next(4));
            let hi = (lo + len).min(sites);
            if lo >= hi {
                continue;
            }
            // The others' best with lo..=hi sites of the cluster: nonincreasing, with losses
            // that grow (concave) or not.
            let mut others = vec![100.0 + next(50) as f64];
            for _ in lo..hi {
                let last = others[others.len() - 1];
                others.push(last - next(12) as f64);
            }
            let grows = others.windows(3).all(|w| w[0] - w[1] <= w[1] - w[2]);
            let (sub, steps) = combined(&core, &others);
            let all = best_with(&sub, hi);
            let mut most = f64::NEG_INFINITY;
            for m in lo..=hi {
                let f = best_with(&core, m);
                let real = f + others[m - lo] - others[hi - lo];
                let bound = all - steps[..hi - m].iter().sum::<f64>();
                assert!(f <= bound, "seed {seed} m {m}: f {f} above {bound}");
                most = most.max(real);
            }
            assert!(all >= most, "seed {seed}");
            if grows {
                assert_eq!(all, most, "seed {seed}: {others:?}");
                concave += 1;
            } else {
                not += 1;
            }
        }
        assert!(concave > 50 && not > 50, "{concave} concave, {not} not");
    }
}
