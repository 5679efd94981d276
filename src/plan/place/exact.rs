//! Branch and bound on the Lagrangian bound ([`super::bound`]): the exact MCLP optimum, or a
//! proof that no k sites reach a goal (for the fewest-sites question), within a time budget.
//!
//! Best-first over "site j built / not built" decisions (the open node with the largest bound
//! next, so the reported bound falls as the search goes; ties: the deepest, then the newest),
//! starting from the heuristic's plan as the incumbent. At the root up to 1,500 deflected
//! subgradient steps, at each other node 30 (warm-started from the parent's multipliers) bound
//! what the node can still reach; the node is dropped when its bound,
//! rounded down to the weights' unit, cannot beat the incumbent (or reach the goal). Every
//! evaluation's "k best" set is a feasible plan and may become the incumbent, and the set of
//! the best multipliers of the root and of every 8th node is polished by the caller (swap
//! local search: the Lagrangian heuristic), which finds the optimum long before the proof on dense instances. Lagrangian
//! variable fixing: with the node's multipliers, a site whose forced inclusion (exclusion)
//! would drop the bound below the incumbent is fixed out (in). Branching is on the free site
//! with the largest score, "built" first.
//!
//! When the budget ends ([`search`]'s `out_of_time`) the answer is still valid: the incumbent,
//! and as the bound the largest bound among the open nodes. Exponential in the worst case;
//! each node costs O(steps · (Σ|covers| + C)). Memory: the open nodes, each with its
//! candidates' states and, while under 8 M numbers in all, its multipliers (later nodes start
//! from the root's).

use super::bound::{Core, Eval, Fix, Lagrangian, Schedule, initial_lambda};

/// A time budget for the searches from the caller's clock (`clock_ms`: milliseconds, e.g.
/// from `Instant` natively or `performance.now()` in a worker; the core reads no clock): the
/// returned checker says "out of time" once `seconds` have passed since its first call, so
/// the budget is the exact search's, not the heuristic's before it.
pub fn time_budget(seconds: f64, mut clock_ms: impl FnMut() -> f64) -> impl FnMut() -> bool {
    let mut start: Option<f64> = None;
    move || {
        let now = clock_ms();
        now - *start.get_or_insert(now) >= seconds * 1e3
    }
}

/// What the search looks for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Mode {
    /// The most new weight with k sites.
    Maximise,
    /// Any k sites covering at least this new weight (stop at the first).
    Reach(f64),
}

/// The result of [`search`].
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// The best set found (candidate indices, the starting set if nothing better was found).
    pub set: Vec<usize>,
    /// Its new weight (`base` not included).
    pub new_weight: f64,
    /// An upper bound on the new weight of any k sites (rounded down to the weights' unit);
    /// equals `new_weight` when `complete` in [`Mode::Maximise`].
    pub bound: f64,
    /// The search ended (optimum proven, or the goal proven out of reach) before the budget.
    pub complete: bool,
    /// [`Mode::Reach`]: a set reaching the goal was found.
    pub reached: bool,
    /// Nodes evaluated.
    pub nodes: usize,
    /// The root's best multipliers (one per row; empty when the root was not evaluated):
    /// L(λ) with them bounds every part of the instance ([`super::split`] uses it per cluster).
    pub lambda: Vec<f64>,
}

struct Node {
    status: Vec<Fix>,
    lambda: Option<Vec<f64>>,
    bound: f64,
    /// Sites decided (deeper first among equal bounds).
    depth: usize,
    /// Creation order (ties: the newest, i.e. depth-first within a plateau).
    seq: usize,
}

impl PartialEq for Node {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == std::cmp::Ordering::Equal
    }
}

impl Eq for Node {}

impl PartialOrd for Node {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Node {
    /// The largest bound first (best-first: the global bound falls as nodes close), then
    /// the deepest, then the newest.
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.bound
            .total_cmp(&other.bound)
            .then(self.depth.cmp(&other.depth))
            .then(self.seq.cmp(&other.seq))
    }
}

/// Subgradient steps at the root and at every other node.
const ROOT_STEPS: usize = 1500;
const NODE_STEPS: usize = 30;
/// The Lagrangian heuristic polishes the plan of the root and of every 8th node after it.
/// Polishing every node spent 60 % of a proof on the largest cluster of the browser's city
/// instance (520 candidates, k = 35: 4,120 nodes, 1.33 s CPU; every 8th: 4,203 nodes,
/// 0.82 s), and every 8th still found the optimum of the whole instance (BENCHMARKS.md).
const POLISH_EVERY: usize = 8;
/// Multipliers kept on the open nodes, in numbers.
const LAMBDA_BUDGET: usize = 8 << 20;

/// Improves a feasible set (e.g. by swap local search): the set, and its new weight.
pub type Polish<'a> = &'a mut dyn FnMut(&[usize]) -> (Vec<usize>, f64);

/// Branch and bound for `k` sites on `core`. `start` is a feasible set (e.g. the heuristic's)
/// with new weight `start_weight`; at most `max_nodes` nodes are evaluated (1: the root bound
/// only), and `out_of_time` is asked between steps. `polish` improves the plan of each node's
/// best multipliers (fixed-in sites and the k best scores: the Lagrangian heuristic); what
/// it returns may become the incumbent.
pub fn search(
    core: &Core,
    k: usize,
    start: (&[usize], f64),
    mode: Mode,
    max_nodes: usize,
    out_of_time: &mut dyn FnMut() -> bool,
    polish: Polish<'_>,
) -> Outcome {
    search_from(core, k, start, mode, max_nodes, out_of_time, polish, &[])
}

/// [`search`] with the root's steps started from `warm` (one multiplier per row, e.g. an
/// earlier root's of the same instance) when it bounds lower than the two usual starts;
/// empty: the usual starts.
#[allow(clippy::too_many_arguments)]
pub fn search_from(
    core: &Core,
    k: usize,
    start: (&[usize], f64),
    mode: Mode,
    max_nodes: usize,
    out_of_time: &mut dyn FnMut() -> bool,
    polish: Polish<'_>,
    warm: &[f64],
) -> Outcome {
    let (start, start_weight) = start;
    let c = core.covers.len();
    let half = core.step() / 2.0;
    let mut best_set = start.to_vec();
    let mut best = start_weight;
    let mut reached = matches!(mode, Mode::Reach(goal) if start_weight >= goal);
    // A node survives when its rounded bound can still beat the incumbent / reach the goal.
    let alive = |bound: f64, best: f64| match mode {
        Mode::Maximise => core.floor(bound) >= best + half,
        Mode::Reach(goal) => core.floor(bound) >= goal,
    };
    let mut lag = Lagrangian::new(core);
    // Two starts: each weight shared among its coverers, or whole (then L is the sum of the k
    // largest covers); the root starts from the lower.
    let shared = initial_lambda(core);
    lag.set_node(&vec![Fix::Free; c], k);
    let mut root_lambda = if lag.eval(&core.w).value < lag.eval(&shared).value {
        core.w.clone()
    } else {
        shared
    };
    if warm.len() == core.w.len() {
        // Multipliers outside [0, w] would not bound: clamped as the steps clamp them.
        let warm: Vec<f64> = warm
            .iter()
            .zip(&core.w)
            .map(|(&l, &w)| l.clamp(0.0, w))
            .collect();
        if lag.eval(&warm).value < lag.eval(&root_lambda).value {
            root_lambda = warm;
        }
    }
    let mut stack = std::collections::BinaryHeap::new();
    stack.push(Node {
        status: vec![Fix::Free; c],
        lambda: None,
        bound: f64::INFINITY,
        depth: 0,
        seq: 0,
    });
    let mut seq = 0;
    let mut nodes = 0;
    let mut complete = true;
    let mut root_lambda_out = Vec::new();
    while let Some(node) = stack.pop() {
        if reached || !alive(node.bound, best) {
            continue;
        }
        if nodes >= max_nodes || (nodes > 0 && out_of_time()) {
            stack.push(node);
            complete = false;
            break;
        }
        nodes += 1;
        let Node {
            mut status,
            lambda,
            bound,
            depth,
            ..
        } = node;
        if !lag.set_node(&status, k) {
            continue;
        }
        let mut lambda = lambda.unwrap_or_else(|| root_lambda.clone());
        let schedule = if nodes == 1 {
            Schedule::root(ROOT_STEPS)
        } else {
            Schedule::node(NODE_STEPS)
        };
        let stop = match mode {
            Mode::Maximise => best + half,
            Mode::Reach(goal) => goal,
        };
        let ins: Vec<usize> = (0..c).filter(|&j| status[j] == Fix::In).collect();
        let target = best;
        let mut seen = |e: &Eval| {
            let better = match mode {
                Mode::Maximise => e.feasible >= best + half,
                Mode::Reach(goal) => !reached && e.feasible >= goal,
            };
            if better {
                best = e.feasible;
                best_set = ins
                    .iter()
                    .copied()
                    .chain(e.taken.iter().map(|&j| j as usize))
                    .collect();
                if matches!(mode, Mode::Reach(_)) {
                    reached = true;
                }
            }
        };
        let e = lag.descend(&mut lambda, schedule, target, stop, out_of_time, &mut seen);
        seen(&e);
        if nodes == 1 {
            root_lambda_out.clone_from(&lambda);
        }
        if !reached && e.feasible < best + half && (nodes - 1) % POLISH_EVERY == 0 {
            let set: Vec<usize> = ins
                .iter()
                .copied()
                .chain(e.taken.iter().map(|&j| j as usize))
                .collect();
            let (set, weight) = polish(&set);
            let better = match mode {
                Mode::Maximise => weight >= best + half,
                Mode::Reach(goal) => weight >= goal,
            };
            if better && set.len() <= k {
                best = weight;
                best_set = set;
                reached = matches!(mode, Mode::Reach(_));
            }
        }
        let bound = bound.min(e.value).min(lag.reachable);
        if reached || !alive(bound, best) || lag.budget == 0 {
            continue;
        }
        // Lagrangian fixing.
        let mut changed = false;
        let mut taken = vec![false; c];
        for &j in &e.taken {
            taken[j as usize] = true;
        }
        for j in 0..c {
            if status[j] != Fix::Free {
                continue;
            }
            let s = lag.score[j];
            if taken[j] {
                if !alive(e.value - s + e.first_left, best) {
                    status[j] = Fix::In;
                    changed = true;
                }
            } else if !alive(e.value - e.last_taken + s, best) {
                status[j] = Fix::Out;
                changed = true;
            }
        }
        let keep = |open: usize| (open + 2) * core.w.len() <= LAMBDA_BUDGET;
        if changed {
            let lambda = keep(stack.len()).then_some(lambda);
            seq += 1;
            stack.push(Node {
                status,
                lambda,
                bound,
                depth,
                seq,
            });
            continue;
        }
        // Branch on the taken site with the largest score, or any free site reaching live demand.
        let pick = e.taken.first().map(|&j| j as usize).or_else(|| {
            (0..c).find(|&j| {
                status[j] == Fix::Free && core.covers[j].iter().any(|&d| lag.live(d as usize))
            })
        });
        let Some(j) = pick else { continue };
        let mut out = status.clone();
        out[j] = Fix::Out;
        status[j] = Fix::In;
        let keep_lambda = keep(stack.len());
        stack.push(Node {
            status: out,
            lambda: keep_lambda.then(|| lambda.clone()),
            bound,
            depth: depth + 1,
            seq: seq + 1,
        });
        stack.push(Node {
            status,
            lambda: keep_lambda.then_some(lambda),
            bound,
            depth: depth + 1,
            seq: seq + 2,
        });
        seq += 2;
    }
    let open = stack
        .iter()
        .filter(|n| alive(n.bound, best))
        .map(|n| core.floor(n.bound.min(core.coverable)))
        .fold(best, f64::max);
    let complete = complete || open <= best;
    Outcome {
        set: best_set,
        new_weight: best,
        bound: if complete && matches!(mode, Mode::Maximise) {
            best
        } else {
            open
        },
        complete: complete || reached,
        reached,
        nodes,
        lambda: root_lambda_out,
    }
}
