//! An upper bound on the weight any k sites can cover: the Lagrangian relaxation of the MCLP,
//! tightened by subgradient steps.
//!
//! The MCLP on the demand not yet covered is: maximise Σ wᵢ·yᵢ subject to yᵢ ≤ Σ_{j covers i} xⱼ,
//! Σ xⱼ ≤ k, x ∈ {0,1}, 0 ≤ y ≤ 1. Relaxing the coverage rows with multipliers λᵢ ≥ 0 gives
//!
//! L(λ) = Σᵢ max(0, wᵢ − λᵢ) + (sum of the k largest positive scores sⱼ = Σ_{i ∈ covers j} λᵢ),
//!
//! an upper bound on the optimum for EVERY λ ≥ 0 (each term bounds its part of any feasible
//! solution), so a bound never depends on how well the steps converged. Its minimum over λ
//! equals the LP relaxation's value (the x-subproblem "take the k best" has integral vertices).
//! Subgradient steps (Held–Wolff–Crowder, Polyak step towards a target, deflected as in
//! Camerini–Fratta–Maffioli) lower it: the
//! subgradient is gᵢ = (chosen sites covering i) − (1 if wᵢ > λᵢ, else 0); λ is kept in 0..=w.
//!
//! The bound works on a search node too ([`Fix`]): sites fixed in count as built (their demand
//! is covered), sites fixed out are gone, and demand no free or fixed-in site can reach counts 0.
//! Every evaluation's "k best" set is a feasible plan, and its real coverage is reported
//! so the search can use it.
//!
//! Units: the weights' (people). When every weight is an integer, optimal coverage is a
//! multiple of their greatest common divisor, so a bound may be rounded down to one
//! ([`Core::floor`]). Complexity: one evaluation is O(Σ|covers| + C) (a linear-time selection of
//! the k best) at most, and at a search node only the live rows and the free candidates that
//! reach one are visited (listed once per node by [`Lagrangian::set_node`]); the number of
//! steps is capped by the caller.

use super::CoverSets;

/// The part of an instance the bound and the exact search work on: the demand that is not
/// already covered and that some candidate covers, reduced without changing any plan's
/// coverage (classic MCLP preprocessing, [`Core::new`]):
/// - demand points covered by the same set of candidates are one row, their weights summed
///   (any plan covers all of them or none);
/// - a candidate whose cover is contained in another's is left out (its cover here is empty:
///   swapping it for the larger one never loses), and of candidates with equal covers only
///   the lowest index is kept. Some optimal plan uses only kept candidates, so the optimum,
///   every bound and every proof are those of the whole instance.
#[derive(Debug, Clone)]
pub struct Core {
    /// Weight of each row (the summed weights of its demand points).
    pub w: Vec<f64>,
    /// Per candidate: the rows it covers, increasing (empty for a candidate left out).
    pub covers: Vec<Vec<u32>>,
    /// Weight already covered (`fixed`): added to every bound and every plan.
    pub base: f64,
    /// Greatest common divisor of the weights when they are all integers (and not all 0).
    pub unit: Option<f64>,
    /// Sum of the kept weights (what all candidates together could add).
    pub coverable: f64,
}

impl Core {
    /// The core of an instance: the rows (demand merged by its set of coverers, in the order
    /// of each row's first demand point), the candidates contained in another left out, then
    /// the rows merged again (two rows that differed only by a left-out candidate are one).
    /// O(Σ|covers| + D) for the rows; for the candidates, each one's cover is intersected
    /// row by row with the coverers of its rarest row, which empties after a few rows unless
    /// the candidate is contained.
    pub fn new(sets: &CoverSets) -> Self {
        let counts = |d: u32| !sets.fixed[d as usize] && sets.weights[d as usize] > 0.0;
        let covers: Vec<Vec<u32>> = sets
            .covers
            .iter()
            .map(|c| c.iter().copied().filter(|&d| counts(d)).collect())
            .collect();
        let (w, mut covers) = merge_rows(&sets.weights, &covers);
        // The coverers of each row, increasing.
        let mut by_row = vec![Vec::new(); w.len()];
        for (j, c) in covers.iter().enumerate() {
            for &r in c {
                by_row[r as usize].push(j as u32);
            }
        }
        let contained: Vec<bool> = (0..covers.len())
            .map(|j| contained_in_another(&covers, j, |r| &by_row[r as usize]))
            .collect();
        for (c, out) in covers.iter_mut().zip(contained) {
            if out {
                c.clear();
            }
        }
        // Rows that only differed by a left-out coverer are now equal.
        let (w, covers) = merge_rows(&w, &covers);
        let unit = integer_gcd(&w);
        let coverable = w.iter().sum::<f64>() + 0.0;
        Self {
            w,
            covers,
            base: sets.fixed_weight(),
            unit,
            coverable,
        }
    }

    /// The core as an instance of its own: its rows as demand points (nothing fixed), its
    /// candidates' covers. Any set of kept candidates covers the same new weight in both (up
    /// to the order of a float sum), so a local search may run here instead.
    pub fn sets(&self) -> CoverSets {
        CoverSets::checked(
            self.w.clone(),
            self.covers.clone(),
            vec![false; self.w.len()],
        )
    }

    /// A bound rounded down to a multiple of the weights' unit (when there is one), with a
    /// slack of 10⁻⁷ unit so that rounding error never rounds a true value down.
    pub fn floor(&self, bound: f64) -> f64 {
        match self.unit {
            Some(u) => (bound / u + 1e-7).floor() * u,
            None => bound,
        }
    }

    /// The smallest improvement worth finding: one unit, or 10⁻⁹ of the coverable weight.
    pub fn step(&self) -> f64 {
        self.unit.unwrap_or(1e-9 * self.coverable.max(1.0))
    }

    /// The coverage of a set of candidates (core indices): the weight of the rows they cover.
    pub fn weight(&self, set: &[usize]) -> f64 {
        let mut on = vec![false; self.w.len()];
        for &j in set {
            for &r in &self.covers[j] {
                on[r as usize] = true;
            }
        }
        on.iter()
            .zip(&self.w)
            .filter(|(on, _)| **on)
            .map(|(_, w)| w)
            .sum::<f64>()
            + 0.0
    }
}

/// The greatest common divisor of the weights when all are integers below 2⁵⁰ and not all 0.
fn integer_gcd(w: &[f64]) -> Option<f64> {
    let mut g: u64 = 0;
    for &x in w {
        if !(x.fract() == 0.0 && x >= 0.0 && x < (1u64 << 50) as f64) {
            return None;
        }
        let mut a = x as u64;
        let mut b = g;
        while b != 0 {
            (a, b) = (b, a % b);
        }
        g = a;
    }
    (g > 0).then_some(g as f64)
}

/// Demand merged by its coverers: `covers[j]` lists the demand (increasing) candidate `j`
/// covers; returns the weight of each row (demand with the same coverers, weights summed, in
/// the order of each row's first demand) and each candidate's rows (increasing). Demand no
/// candidate covers is in no row. O(Σ|covers| + D): the coverers of each demand point as
/// one list (CSR), equal lists found by hashing them.
fn merge_rows(weights: &[f64], covers: &[Vec<u32>]) -> (Vec<f64>, Vec<Vec<u32>>) {
    let n = weights.len();
    let mut start = vec![0u32; n + 1];
    for c in covers {
        for &d in c {
            start[d as usize + 1] += 1;
        }
    }
    for d in 0..n {
        start[d + 1] += start[d];
    }
    let mut fill = start.clone();
    let mut by = vec![0u32; start[n] as usize];
    for (j, c) in covers.iter().enumerate() {
        for &d in c {
            let d = d as usize;
            by[fill[d] as usize] = j as u32;
            fill[d] += 1;
        }
    }
    let coverers = |d: usize| &by[start[d] as usize..start[d + 1] as usize];
    // Per list of coverers its row; per row its first demand point.
    let mut row_of: std::collections::HashMap<&[u32], u32> = std::collections::HashMap::new();
    let mut first: Vec<u32> = Vec::new();
    let mut w: Vec<f64> = Vec::new();
    for (d, &weight) in weights.iter().enumerate() {
        let them = coverers(d);
        if them.is_empty() {
            continue;
        }
        match row_of.entry(them) {
            std::collections::hash_map::Entry::Occupied(row) => {
                w[*row.get() as usize] += weight;
            }
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(w.len() as u32);
                first.push(d as u32);
                w.push(weight);
            }
        }
    }
    let mut rows = vec![Vec::new(); covers.len()];
    for (r, &d) in first.iter().enumerate() {
        for &j in coverers(d as usize) {
            rows[j as usize].push(r as u32);
        }
    }
    (w, rows)
}

/// Whether candidate `j`'s cover (rows, increasing) is contained in another candidate's
/// that is larger, or equal with a lower index (`coverers(r)`: the candidates covering row
/// `r`, increasing). Following "contained in" from any candidate ends at one that is not
/// (sizes grow, equal sizes go to lower indices), so every left-out candidate has a kept one
/// covering all it covers.
fn contained_in_another<'a>(
    covers: &[Vec<u32>],
    j: usize,
    coverers: impl Fn(u32) -> &'a [u32],
) -> bool {
    let mine = &covers[j];
    let Some(&rarest) = mine.iter().min_by_key(|&&r| coverers(r).len()) else {
        return false;
    };
    let n = mine.len();
    let mut alive: Vec<u32> = coverers(rarest)
        .iter()
        .copied()
        .filter(|&i| {
            let m = covers[i as usize].len();
            i as usize != j && (m > n || (m == n && (i as usize) < j))
        })
        .collect();
    for &r in mine {
        if alive.is_empty() {
            return false;
        }
        if r != rarest {
            let them = coverers(r);
            alive.retain(|i| them.binary_search(i).is_ok());
        }
    }
    !alive.is_empty()
}

/// How long [`Lagrangian::descend`] may step: at most `steps` evaluations, and the step
/// factor halves after `patience` steps that do not lower the bound.
///
/// A short patience stalls far above the LP value: on a dense seeded instance (200 sites,
/// 2,000 points, each site reaching ≈ 12 % of them, k = 10; `compare_place.py --small`, seed
/// 13) plain subgradient steps with patience 8 stopped 2 % above the LP optimum whatever the
/// number of steps, 100 reached 0.06 % in 3,000 steps (the steps aim at a target below the LP
/// value, so they only settle once the factor is small); deflected steps with patience 50
/// reach 0.06 % in 1,000. The root affords the long schedule; the nodes, warm-started from
/// their parent, the short one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schedule {
    /// Evaluations at most.
    pub steps: usize,
    /// Steps without improvement before the step factor halves.
    pub patience: usize,
}

impl Schedule {
    /// The root's: `steps` evaluations, patience 50.
    pub const fn root(steps: usize) -> Self {
        Self {
            steps,
            patience: 50,
        }
    }

    /// A search node's: `steps` evaluations, patience 8.
    pub const fn node(steps: usize) -> Self {
        Self { steps, patience: 8 }
    }
}

/// A candidate's state in a search node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fix {
    /// Still to decide.
    Free,
    /// Built.
    In,
    /// Not built.
    Out,
}

/// One evaluation of L(λ) at a node.
#[derive(Debug, Clone, Default)]
pub struct Eval {
    /// The bound (new weight, `base` not included).
    pub value: f64,
    /// The free candidates taken (the k best positive scores), best first.
    pub taken: Vec<u32>,
    /// Score of the last one taken (0 when fewer than the budget were positive).
    pub last_taken: f64,
    /// Best score not taken (0 when none).
    pub first_left: f64,
    /// Real new weight covered by the fixed-in sites and `taken` (a feasible plan).
    pub feasible: f64,
}

/// Scratch space of the Lagrangian at one node: who is covered by fixed-in sites, who can
/// still be reached, the scores.
pub struct Lagrangian<'a> {
    core: &'a Core,
    /// Per demand: covered by a fixed-in site.
    done: Vec<bool>,
    /// Per demand: reachable by a free site (and not done).
    live: Vec<bool>,
    /// Per candidate: its score at the last evaluation (free candidates only).
    pub score: Vec<f64>,
    /// Per demand: taken sites covering it (subgradient).
    hits: Vec<u32>,
    /// Per demand: the last step's direction (deflected subgradient).
    dir: Vec<f64>,
    /// Weight covered by the fixed-in sites.
    pub in_weight: f64,
    /// `in_weight` plus all the weight free sites can still reach (a bound of its own).
    pub reachable: f64,
    /// Remaining budget.
    pub budget: usize,
    status: Vec<Fix>,
    order: Vec<u32>,
    mark: Vec<bool>,
    /// The live rows, increasing (what the steps and L(λ) sum over).
    rows: Vec<u32>,
    /// The free candidates reaching a live row, increasing, and their live rows (CSR:
    /// `free_rows[free_start[i]..free_start[i + 1]]`): the others score 0 at this node.
    free: Vec<u32>,
    free_start: Vec<u32>,
    free_rows: Vec<u32>,
}

impl<'a> Lagrangian<'a> {
    /// Scratch space for `core`.
    pub fn new(core: &'a Core) -> Self {
        let (d, c) = (core.w.len(), core.covers.len());
        Self {
            core,
            done: vec![false; d],
            live: vec![false; d],
            score: vec![0.0; c],
            hits: vec![0; d],
            dir: vec![0.0; d],
            in_weight: 0.0,
            reachable: 0.0,
            budget: 0,
            status: vec![Fix::Free; c],
            order: Vec::with_capacity(c),
            mark: vec![false; d],
            rows: Vec::with_capacity(d),
            free: Vec::with_capacity(c),
            free_start: Vec::with_capacity(c + 1),
            free_rows: Vec::new(),
        }
    }

    /// Sets the node: the candidates' states and the total budget `k` (sites fixed in use it).
    /// Returns false when more sites are fixed in than the budget allows.
    pub fn set_node(&mut self, status: &[Fix], k: usize) -> bool {
        self.status.clear();
        self.status.extend_from_slice(status);
        self.done.fill(false);
        self.live.fill(false);
        let mut ins = 0;
        for (j, s) in status.iter().enumerate() {
            if *s == Fix::In {
                ins += 1;
                for &d in &self.core.covers[j] {
                    self.done[d as usize] = true;
                }
            }
        }
        for (j, s) in status.iter().enumerate() {
            if *s == Fix::Free {
                for &d in &self.core.covers[j] {
                    if !self.done[d as usize] {
                        self.live[d as usize] = true;
                    }
                }
            }
        }
        self.in_weight = (0..self.done.len())
            .filter(|&d| self.done[d])
            .map(|d| self.core.w[d])
            .sum::<f64>()
            + 0.0;
        self.reachable = self.in_weight
            + (0..self.live.len())
                .filter(|&d| self.live[d])
                .map(|d| self.core.w[d])
                .sum::<f64>();
        self.budget = k.saturating_sub(ins);
        self.rows.clear();
        self.rows
            .extend((0..self.live.len() as u32).filter(|&d| self.live[d as usize]));
        self.free.clear();
        self.free_start.clear();
        self.free_rows.clear();
        self.free_start.push(0);
        self.score.fill(0.0);
        for (j, s) in status.iter().enumerate() {
            if *s != Fix::Free {
                continue;
            }
            let live = &self.live;
            self.free_rows.extend(
                self.core.covers[j]
                    .iter()
                    .copied()
                    .filter(|&d| live[d as usize]),
            );
            if self.free_rows.len() > *self.free_start.last().unwrap_or(&0) as usize {
                self.free.push(j as u32);
                self.free_start.push(self.free_rows.len() as u32);
            }
        }
        ins <= k
    }

    /// Whether demand point `d` still matters (not covered by a fixed-in site, reachable).
    pub fn live(&self, d: usize) -> bool {
        self.live[d]
    }

    /// L(λ) at the node, the k best free sites, and the real coverage of that plan.
    pub fn eval(&mut self, lambda: &[f64]) -> Eval {
        let core = self.core;
        // Slices, not `Vec`s, in the loops: at the web build's opt-level `z` a `Vec` index is
        // an out-of-line call (BENCHMARKS.md, s15-place's profile in the worker).
        let w: &[f64] = &core.w;
        let mut value = self.in_weight;
        for &d in self.rows.as_slice() {
            let (w, l) = (w[d as usize], lambda[d as usize]);
            if w > l {
                value += w - l;
            }
        }
        self.order.clear();
        let (free_start, free_rows) = (self.free_start.as_slice(), self.free_rows.as_slice());
        let score = self.score.as_mut_slice();
        for (i, &j) in self.free.iter().enumerate() {
            let rows = &free_rows[free_start[i] as usize..free_start[i + 1] as usize];
            // As `Iterator::sum` adds: from −0.
            let mut sc = -0.0;
            for &d in rows {
                sc += lambda[d as usize];
            }
            score[j as usize] = sc;
            if sc > 0.0 {
                self.order.push(j);
            }
        }
        let score = &self.score;
        let better = |a: &u32, b: &u32| {
            score[*b as usize]
                .total_cmp(&score[*a as usize])
                .then(a.cmp(b))
        };
        let r = self.budget;
        let mut first_left = 0.0;
        if self.order.len() > r {
            if r > 0 {
                self.order.select_nth_unstable_by(r, better);
            } else {
                self.order.sort_unstable_by(better);
            }
            first_left = score[self.order[r] as usize];
            self.order.truncate(r);
        }
        self.order.sort_unstable_by(better);
        let taken = self.order.clone();
        let last_taken = if taken.len() == r {
            taken.last().map_or(0.0, |&j| score[j as usize])
        } else {
            0.0
        };
        value += taken.iter().map(|&j| score[j as usize]).sum::<f64>();
        // Real coverage of fixed-in + taken.
        let mut feasible = self.in_weight;
        let (covers, done, mark) = (
            core.covers.as_slice(),
            self.done.as_slice(),
            self.mark.as_mut_slice(),
        );
        for &j in &taken {
            for &d in covers[j as usize].as_slice() {
                let d = d as usize;
                if !done[d] && !mark[d] {
                    mark[d] = true;
                    feasible += w[d];
                }
            }
        }
        for &j in &taken {
            for &d in covers[j as usize].as_slice() {
                mark[d as usize] = false;
            }
        }
        Eval {
            value,
            taken,
            last_taken,
            first_left,
            feasible,
        }
    }

    /// Subgradient steps from `lambda` (updated in place to the best multipliers found): at
    /// most `schedule.steps` evaluations, stopping early when the bound rounded down
    /// ([`Core::floor`]; or all the weight the node can still reach) drops below `stop_below`,
    /// when `out_of_time()` says so, or when the
    /// steps stall (the step factor halves after `schedule.patience` steps without a lower
    /// bound, and the steps end once it is below 5·10⁻⁴). `target` is the value the steps aim
    /// at (the best known plan). `seen` is called with every evaluation (feasible plans).
    /// Returns the best (lowest) evaluation.
    pub fn descend(
        &mut self,
        lambda: &mut [f64],
        schedule: Schedule,
        target: f64,
        stop_below: f64,
        out_of_time: &mut dyn FnMut() -> bool,
        seen: &mut dyn FnMut(&Eval),
    ) -> Eval {
        let core = self.core;
        let mut best = self.eval(lambda);
        seen(&best);
        let mut best_lambda = lambda.to_vec();
        let mut now = best.clone();
        let mut mu = 2.0;
        let mut stall = 0;
        self.dir.fill(0.0);
        for _ in 1..schedule.steps {
            if core.floor(best.value.min(self.reachable)) < stop_below || mu < 5e-4 || out_of_time()
            {
                break;
            }
            // Subgradient of L at λ: taken sites covering i, minus [wᵢ > λᵢ], deflected
            // (Camerini–Fratta–Maffioli): d = g + β·d₋, β = 1.5·max(0, −g·d₋ / |d₋|²), which
            // damps the zig-zag between two faces of L.
            // Slices and the gradient and the clamp written out: at opt-level `z` a `Vec`
            // index, a closure and `f64::clamp` stay out-of-line calls in these loops.
            let (w, covers, rows) = (
                core.w.as_slice(),
                core.covers.as_slice(),
                self.rows.as_slice(),
            );
            let (hits, dir) = (self.hits.as_mut_slice(), self.dir.as_mut_slice());
            for &j in &now.taken {
                for &d in covers[j as usize].as_slice() {
                    hits[d as usize] += 1;
                }
            }
            let (mut dot, mut prev) = (0.0, 0.0);
            for &d in rows {
                let d = d as usize;
                let g = f64::from(hits[d]) - if w[d] > lambda[d] { 1.0 } else { 0.0 };
                dot += g * dir[d];
                prev += dir[d] * dir[d];
            }
            let beta = if dot < 0.0 && prev > 0.0 {
                -1.5 * dot / prev
            } else {
                0.0
            };
            let mut norm = 0.0;
            for &d in rows {
                let d = d as usize;
                let g = f64::from(hits[d]) - if w[d] > lambda[d] { 1.0 } else { 0.0 };
                dir[d] = g + beta * dir[d];
                norm += dir[d] * dir[d];
            }
            for &j in &now.taken {
                for &d in covers[j as usize].as_slice() {
                    hits[d as usize] = 0;
                }
            }
            if norm == 0.0 {
                break;
            }
            let gap = (now.value - target).max(1e-3 * core.step());
            let t = mu * gap / norm;
            for &d in rows {
                let d = d as usize;
                // `clamp(0, w)` (w ≥ 0): the same value, NaN kept.
                let l = lambda[d] - t * dir[d];
                lambda[d] = if l < 0.0 {
                    0.0
                } else if l > w[d] {
                    w[d]
                } else {
                    l
                };
            }
            now = self.eval(lambda);
            seen(&now);
            if now.value < best.value - 1e-12 * core.coverable.max(1.0) {
                best = now.clone();
                best_lambda.copy_from_slice(lambda);
                stall = 0;
            } else {
                stall += 1;
                if stall >= schedule.patience {
                    mu /= 2.0;
                    stall = 0;
                }
            }
        }
        lambda.copy_from_slice(&best_lambda);
        // Scores and order of the best multipliers (for fixing and branching).
        self.eval(lambda)
    }
}

/// Starting multipliers: each point's weight shared among the candidates covering it.
pub fn initial_lambda(core: &Core) -> Vec<f64> {
    let mut n = vec![0u32; core.w.len()];
    for c in &core.covers {
        for &d in c {
            n[d as usize] += 1;
        }
    }
    core.w
        .iter()
        .zip(&n)
        .map(|(&w, &n)| if n > 0 { w / f64::from(n) } else { w })
        .collect()
}

/// An upper bound on the weight covered by the existing stations and any `k` candidates
/// (`base` included), from at most `steps` subgradient steps at the root. `target` is the
/// weight of the best known plan (steps aim there; the bound stops improving below it).
pub fn upper_bound(core: &Core, k: usize, target: f64, steps: usize) -> f64 {
    let mut lag = Lagrangian::new(core);
    lag.set_node(&vec![Fix::Free; core.covers.len()], k);
    let mut lambda = initial_lambda(core);
    let new_target = target - core.base;
    let e = lag.descend(
        &mut lambda,
        Schedule::root(steps),
        new_target,
        new_target + core.step() / 2.0,
        &mut || false,
        &mut |_| {},
    );
    core.base + core.floor(e.value.min(lag.reachable))
}

#[cfg(test)]
// Integer weights: sums are exact, equal means equal.
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;

    /// A seeded instance made to have equal rows and contained candidates: each candidate's
    /// cover is one of a few blocks of demand, some blocks nested, some duplicated; integer
    /// weights (some 0) and some demand already covered.
    fn nested(seed: u64) -> CoverSets {
        let mut next = super::super::solve::tests::seeded(seed);
        let demand = 20 + next(40);
        let weights = (0..demand).map(|_| next(5) as f64).collect();
        let fixed = (0..demand).map(|_| next(8) == 0).collect();
        let mut covers: Vec<Vec<u32>> = Vec::new();
        for _ in 0..3 + next(25) {
            let cover = match (covers.len(), next(4)) {
                (0, _) | (_, 0) => {
                    let (a, len) = (next(demand), 1 + next(8));
                    (a..(a + len).min(demand)).map(|d| d as u32).collect()
                }
                // A copy of an earlier cover, or a part of one, or one with a few more.
                (n, 1) => covers[next(n)].clone(),
                (n, 2) => {
                    let c = &covers[next(n)];
                    c.iter().copied().filter(|_| next(3) > 0).collect()
                }
                (n, _) => {
                    let mut c = covers[next(n)].clone();
                    c.push(next(demand) as u32);
                    c
                }
            };
            covers.push(cover);
        }
        CoverSets::from_matrix(weights, covers, fixed).unwrap_or_else(|e| panic!("{e}"))
    }

    /// New weight a set of candidates covers in the whole instance.
    fn full_weight(sets: &CoverSets, set: &[usize]) -> f64 {
        let mut on = vec![false; sets.demand_len()];
        for &j in set {
            for &d in &sets.covers[j] {
                on[d as usize] = !sets.fixed[d as usize];
            }
        }
        (0..on.len())
            .filter(|&d| on[d])
            .map(|d| sets.weights[d])
            .sum()
    }

    /// Demand of the whole instance that a candidate covers and that counts (not fixed,
    /// weight above 0).
    fn counted(sets: &CoverSets, j: usize) -> Vec<u32> {
        sets.covers[j]
            .iter()
            .copied()
            .filter(|&d| !sets.fixed[d as usize] && sets.weights[d as usize] > 0.0)
            .collect()
    }

    fn subset(a: &[u32], b: &[u32]) -> bool {
        a.iter().all(|x| b.contains(x))
    }

    #[test]
    fn the_core_covers_what_the_instance_covers_and_keeps_no_contained_candidate() {
        let mut dropped = 0;
        let mut merged = 0;
        for seed in 0..400 {
            let sets = nested(seed);
            let core = Core::new(&sets);
            let c = sets.candidate_len();
            let kept: Vec<usize> = (0..c).filter(|&j| !core.covers[j].is_empty()).collect();
            let all: Vec<usize> = (0..c).collect();
            // Nothing coverable is lost or counted twice.
            assert_eq!(core.coverable, full_weight(&sets, &all), "seed {seed}");
            // Any set of kept candidates covers the same weight in both.
            for mask in 0..64u64 {
                let set: Vec<usize> = kept
                    .iter()
                    .copied()
                    .filter(|&j| (mask >> (j % 6)) & 1 == 1)
                    .collect();
                assert_eq!(core.weight(&set), full_weight(&sets, &set), "seed {seed}");
            }
            // Rows are distinct sets of (kept) coverers, and fewer than the demand points.
            let mut signatures: Vec<Vec<usize>> = (0..core.w.len())
                .map(|r| {
                    (0..c)
                        .filter(|&j| core.covers[j].contains(&(r as u32)))
                        .collect()
                })
                .collect();
            signatures.sort();
            signatures.dedup();
            assert_eq!(signatures.len(), core.w.len(), "seed {seed}");
            let points = (0..sets.demand_len() as u32)
                .filter(|d| (0..c).any(|j| counted(&sets, j).contains(d)))
                .count();
            assert!(core.w.len() <= points, "seed {seed}");
            merged += usize::from(core.w.len() < points);
            for j in 0..c {
                let mine = counted(&sets, j);
                if mine.is_empty() {
                    continue;
                }
                if core.covers[j].is_empty() {
                    // Left out: a kept candidate covers all it covers.
                    dropped += 1;
                    assert!(
                        kept.iter().any(|&i| subset(&mine, &counted(&sets, i))),
                        "seed {seed}: candidate {j} left out with no kept candidate covering it"
                    );
                } else {
                    // Kept: no other kept candidate covers all it covers.
                    assert!(
                        !kept
                            .iter()
                            .any(|&i| i != j && subset(&mine, &counted(&sets, i))),
                        "seed {seed}: candidate {j} kept though contained"
                    );
                }
            }
        }
        // The instances exercise both reductions.
        assert!(
            dropped > 500 && merged > 200,
            "{dropped} left out, {merged} merged"
        );
    }
}
