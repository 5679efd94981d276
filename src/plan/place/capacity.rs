//! Capacitated placement: stations serve at most `capacity` people each, so a site's worth is
//! the people it lets the network SERVE, not merely cover.
//!
//! The instance is a [`CoverSets`] built with the existing stations as its last
//! `closable_existing` candidates ([`cover_sets_closable`](super::cover_sets_closable)) and a
//! capacity per candidate (`f64::INFINITY`: unlimited). Existing stations stay open unless
//! `allow_close`, in which case they compete with the candidates for a budget of their number
//! plus k. For an open set S, served(S) is the maximum flow of [`assign`]; served is
//! monotone and submodular in S (a flow network's value as a function of its open sinks), so:
//!
//! - **heuristic**: lazy greedy on the served gain (stale gains are upper bounds), then
//!   first-improvement swaps (one out, one in) while the budget lasts and the plan is below
//!   the root bound;
//! - **bound and proof**: branch and bound over "built / not built" with the submodular bound
//!   served(I) + (sum of the r largest gains served(I ∪ {j}) − served(I) over the free j), r the
//!   budget left — valid by submodularity — also capped by all the weight the free sites
//!   reach. Depth-first, "built" first, within the caller's time budget; the plan carries the
//!   largest open bound as `upper_bound` (before any flow, the root's bound is what the
//!   existing stations serve plus the r largest single-site bounds min(capacity, people in
//!   reach)).
//!
//! The caller's `out_of_time` is asked before every flow of every step (greedy, swaps, search,
//! the build order), so the whole solve keeps to the budget: out of time, the greedy fills its
//! remaining places by the largest single-site bounds, and the build order of the rest is their
//! index order with gains from one flow augmented site by site ([`served_prefixes`]).
//!
//! Complexity: one evaluation is a max flow on Σ|covers of the open sites| edges; greedy needs
//! O(k · C) of them at worst, a swap pass O(k · C), a search node O(C).

use super::flow::{Assignment, assign, served_prefixes};
use super::{CoverSets, MatrixError};
use serde::{Deserialize, Serialize};

/// Bad capacities.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CapacityError {
    /// One capacity per candidate (existing stations included) is needed.
    #[error("{got} capacities for {want} sites")]
    Length {
        /// Capacities given.
        got: usize,
        /// Sites (candidates and existing stations).
        want: usize,
    },
    /// A capacity is negative or not a number.
    #[error("site {index}: capacity {value} must be a number ≥ 0")]
    Negative {
        /// Site index.
        index: usize,
        /// The capacity.
        value: f64,
    },
    /// The matrix marks demand as covered by stations that are not among the sites.
    #[error("the matrix has demand already covered: build it with the existing stations as sites")]
    Fixed,
    /// The matrix itself is invalid.
    #[error(transparent)]
    Matrix(#[from] MatrixError),
}

/// Checks capacities for an instance: one per site, each ≥ 0 (or infinite).
///
/// # Errors
/// The first problem found.
pub fn check_capacities(sets: &CoverSets, capacity: &[f64]) -> Result<(), CapacityError> {
    if capacity.len() != sets.candidate_len() {
        return Err(CapacityError::Length {
            got: capacity.len(),
            want: sets.candidate_len(),
        });
    }
    if let Some((index, &value)) = capacity
        .iter()
        .enumerate()
        .find(|(_, c)| c.is_nan() || **c < 0.0)
    {
        return Err(CapacityError::Negative { index, value });
    }
    if sets.fixed.iter().any(|&f| f) {
        return Err(CapacityError::Fixed);
    }
    Ok(())
}

/// One demand point covered but not (fully) served.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct OverCapacity {
    /// Demand index.
    pub demand: u32,
    /// People within reach of an open station but not served.
    pub people: f64,
}

/// The result of [`capacitated`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CapacityPlan {
    /// New sites (candidate indices below `candidate_len − closable_existing`), build order.
    pub chosen: Vec<usize>,
    /// People each new site lets the network serve, given the stations and sites before it.
    pub marginal_gains: Vec<f64>,
    /// Existing stations closed (candidate indices), when allowed.
    pub closed: Vec<usize>,
    /// People served by the existing stations before any change.
    pub served_before: f64,
    /// People served by the plan's open stations.
    pub served_weight: f64,
    /// People within reach of an open station.
    pub covered_weight: f64,
    /// Covered but not served: stations full.
    pub over_capacity_weight: f64,
    /// Total demand weight.
    pub total_weight: f64,
    /// Per open station (candidate index): people assigned, and its capacity.
    pub load: Vec<(usize, f64, f64)>,
    /// Demand points covered but not fully served, with the people left out.
    pub over_capacity: Vec<OverCapacity>,
    /// An upper bound on the people any plan with the same budget can serve.
    pub upper_bound: f64,
    /// `1 − served_weight / upper_bound` (0 when the bound is 0).
    pub gap: f64,
    /// No plan with the same budget serves more.
    pub proven_optimal: bool,
    /// Search nodes evaluated.
    pub nodes: usize,
}

struct Problem<'a> {
    sets: &'a CoverSets,
    capacity: &'a [f64],
    evals: usize,
    /// The last few sets served (sorted) and what they serve: the steps ask again for the
    /// same sets (the existing stations alone, the plan between two steps).
    recent: Vec<(Vec<usize>, f64)>,
}

impl Problem<'_> {
    fn served(&mut self, open: &[usize]) -> f64 {
        let mut key = open.to_vec();
        key.sort_unstable();
        if let Some((_, s)) = self.recent.iter().find(|r| r.0 == key) {
            return *s;
        }
        self.evals += 1;
        let s = self.assign(open).served;
        if self.recent.len() == 4 {
            self.recent.remove(0);
        }
        self.recent.push((key, s));
        s
    }

    fn assign(&self, open: &[usize]) -> Assignment {
        assign(&self.sets.weights, &self.sets.covers, self.capacity, open)
    }

    /// Weight within reach of any of `sites`.
    fn reach(&self, sites: impl Iterator<Item = usize>) -> f64 {
        let mut on = vec![false; self.sets.demand_len()];
        for j in sites {
            for &d in &self.sets.covers[j] {
                on[d as usize] = true;
            }
        }
        (0..on.len())
            .filter(|&d| on[d])
            .map(|d| self.sets.weights[d])
            .sum::<f64>()
            + 0.0
    }
}

/// Capacitated placement of `k` new sites (see the module docs). `capacity` has one entry per
/// candidate of `sets`, existing stations (the last `closable_existing`) included.
///
/// # Errors
/// Capacities that do not fit the instance ([`check_capacities`]).
///
/// ```
/// use shuangquan::plan::place::{CoverSets, capacitated};
/// // Candidate 0 reaches all 10 people but serves 3; candidate 1 reaches 6 and serves 8;
/// // the existing station (the last site) reaches 4 and serves 2.
/// let mut sets = CoverSets::from_matrix(vec![1.0; 10],
///     vec![(0..10).collect(), (0..6).collect(), vec![0, 1, 2, 3]], vec![false; 10]).unwrap();
/// sets.closable_existing = 1;
/// let plan = capacitated(&sets, &[3.0, 8.0, 2.0], 1, false, &mut || false).unwrap();
/// assert_eq!(plan.chosen, vec![1]);
/// assert_eq!((plan.served_before, plan.served_weight, plan.covered_weight), (2.0, 6.0, 6.0));
/// assert!(plan.proven_optimal);
/// ```
pub fn capacitated(
    sets: &CoverSets,
    capacity: &[f64],
    k: usize,
    allow_close: bool,
    out_of_time: &mut dyn FnMut() -> bool,
) -> Result<CapacityPlan, CapacityError> {
    check_capacities(sets, capacity)?;
    let n_sites = sets.candidate_len();
    let n_old = sets.closable_existing.min(n_sites);
    let existing: Vec<usize> = (n_sites - n_old..n_sites).collect();
    let mut pb = Problem {
        sets,
        capacity,
        evals: 0,
        recent: Vec::new(),
    };
    let served_before = pb.served(&existing);
    // Forced-open sites and the budget of the free ones.
    let (forced, budget): (Vec<usize>, usize) = if allow_close {
        (Vec::new(), k + n_old)
    } else {
        (existing.clone(), k)
    };
    let free: Vec<usize> = if allow_close {
        (0..n_sites).collect()
    } else {
        (0..n_sites - n_old).collect()
    };
    let root = root_bound(&mut pb, &forced, &free, budget);
    let mut set = greedy(&mut pb, &forced, &free, budget, out_of_time);
    swaps(&mut pb, &forced, &free, &mut set, root, out_of_time);
    let start: Vec<usize> = forced.iter().chain(&set).copied().collect();
    let start_served = pb.served(&start);
    let search = branch_and_bound(
        &mut pb,
        (&forced, &free),
        budget,
        (&set, start_served),
        root,
        out_of_time,
    );
    let set = search.set;
    // Build order and marginal gains of the new sites, given the kept existing stations.
    let kept: Vec<usize> = if allow_close {
        set.iter()
            .copied()
            .filter(|&j| j >= n_sites - n_old)
            .collect()
    } else {
        existing.clone()
    };
    let mut rest: Vec<usize> = set
        .iter()
        .copied()
        .filter(|&j| j < n_sites - n_old)
        .collect();
    rest.sort_unstable();
    let mut open = kept.clone();
    let mut now = pb.served(&open);
    let mut chosen = Vec::new();
    let mut gains = Vec::new();
    'order: while !rest.is_empty() {
        let mut best: Option<(usize, f64)> = None;
        for (i, &j) in rest.iter().enumerate() {
            if out_of_time() {
                // The rest in index order, their gains from one flow kept as they open.
                let all: Vec<usize> = open.iter().chain(&rest).copied().collect();
                let served =
                    served_prefixes(&sets.weights, &sets.covers, capacity, &all, open.len());
                for (p, j) in rest.drain(..).enumerate() {
                    let s = served[open.len() + p];
                    gains.push(s - now);
                    now = s;
                    chosen.push(j);
                }
                open = all;
                break 'order;
            }
            open.push(j);
            let g = pb.served(&open) - now;
            open.pop();
            if best.is_none_or(|(_, bg)| g > bg) {
                best = Some((i, g));
            }
        }
        let Some((i, g)) = best else { break };
        let j = rest.remove(i);
        open.push(j);
        now += g;
        chosen.push(j);
        gains.push(g);
    }
    let a = pb.assign(&open);
    let over_capacity: Vec<OverCapacity> = (0..sets.demand_len())
        .filter(|&d| a.covered_by_demand[d])
        .map(|d| OverCapacity {
            demand: d as u32,
            people: sets.weights[d] - a.served_by_demand[d],
        })
        .filter(|o| o.people > 1e-9 * sets.weights[o.demand as usize].max(1.0))
        .collect();
    let load = open
        .iter()
        .zip(&a.load)
        .map(|(&j, &l)| (j, l, capacity[j]))
        .collect();
    let upper = if search.complete {
        a.served
    } else {
        search.bound.max(a.served)
    };
    Ok(CapacityPlan {
        chosen,
        marginal_gains: gains,
        closed: existing
            .iter()
            .copied()
            .filter(|j| !kept.contains(j))
            .collect(),
        served_before,
        served_weight: a.served,
        covered_weight: a.covered,
        over_capacity_weight: (a.covered - a.served).max(0.0),
        total_weight: sets.total_weight(),
        load,
        over_capacity,
        upper_bound: upper,
        gap: if upper > 0.0 {
            (1.0 - a.served / upper).max(0.0)
        } else {
            0.0
        },
        proven_optimal: search.complete,
        nodes: search.nodes,
    })
}

fn tolerance(pb: &Problem<'_>) -> f64 {
    1e-9 * pb.sets.total_weight().max(1.0)
}

/// Per free site: (an upper bound on what it can add to any open set, the site): its
/// capacity and the people within its reach (submodularity: its gain never exceeds what it
/// serves alone).
fn single_bounds(pb: &Problem<'_>, free: &[usize]) -> Vec<(f64, usize)> {
    let mut on = vec![false; pb.sets.demand_len()];
    free.iter()
        .map(|&j| {
            let mut reach = 0.0;
            for &d in &pb.sets.covers[j] {
                if !on[d as usize] {
                    on[d as usize] = true;
                    reach += pb.sets.weights[d as usize];
                }
            }
            for &d in &pb.sets.covers[j] {
                on[d as usize] = false;
            }
            (pb.capacity[j].min(reach), j)
        })
        .collect()
}

/// Lazy greedy on the served gain: up to `budget` sites of `free`, each with a positive gain.
/// When `out_of_time()` says so, the remaining places go to the sites with the largest stale
/// bounds (no more flows), so the plan still has its budget of sites.
fn greedy(
    pb: &mut Problem<'_>,
    forced: &[usize],
    free: &[usize],
    budget: usize,
    out_of_time: &mut dyn FnMut() -> bool,
) -> Vec<usize> {
    let eps = tolerance(pb);
    let mut open = forced.to_vec();
    let mut now = pb.served(&open);
    // (stale upper bound on the gain, candidate); upper bound: capacity and people in reach.
    let mut bounds = single_bounds(pb, free);
    let mut set = Vec::new();
    while set.len() < budget {
        bounds.sort_by(larger_first);
        let mut pick = None;
        for i in 0..bounds.len() {
            if out_of_time() {
                let left = budget - set.len();
                set.extend(bounds.iter().filter(|b| b.0 > eps).take(left).map(|b| b.1));
                return set;
            }
            let (_, j) = bounds[i];
            open.push(j);
            let g = pb.served(&open) - now;
            open.pop();
            bounds[i].0 = g;
            // Fresh and at least every other (stale) bound: this is the greedy choice.
            let next = bounds.get(i + 1).map_or(f64::NEG_INFINITY, |b| b.0);
            let best_fresh = bounds[..=i]
                .iter()
                .enumerate()
                .max_by(|a, b| a.1.0.total_cmp(&b.1.0).then(b.0.cmp(&a.0)))
                .map(|(p, b)| (p, b.0));
            if let Some((p, g)) = best_fresh
                && g >= next
            {
                pick = Some((p, g));
                break;
            }
        }
        let Some((p, g)) = pick else { break };
        if g <= eps {
            break;
        }
        let (_, j) = bounds.remove(p);
        open.push(j);
        now += g;
        set.push(j);
    }
    set
}

/// First-improvement swaps (one chosen out, one free in) while any strictly improves and
/// the plan is below `bound` (an upper bound on any plan: at it, no swap can improve).
fn swaps(
    pb: &mut Problem<'_>,
    forced: &[usize],
    free: &[usize],
    set: &mut [usize],
    bound: f64,
    out_of_time: &mut dyn FnMut() -> bool,
) {
    let eps = tolerance(pb);
    let mut open: Vec<usize> = forced.iter().chain(set.iter()).copied().collect();
    let mut now = pb.served(&open);
    let base = forced.len();
    let mut improved = true;
    while improved && now < bound - eps {
        improved = false;
        for p in 0..set.len() {
            for &j in free {
                if set.contains(&j) {
                    continue;
                }
                if out_of_time() {
                    return;
                }
                let old = open[base + p];
                open[base + p] = j;
                let s = pb.served(&open);
                if s > now + eps {
                    now = s;
                    set[p] = j;
                    improved = true;
                } else {
                    open[base + p] = old;
                }
            }
        }
    }
}

struct Search {
    set: Vec<usize>,
    bound: f64,
    complete: bool,
    nodes: usize,
}

/// Depth-first branch and bound with the submodular bound (module docs).
/// The root's bound before any search (what the search reports when the budget ends before
/// the root is evaluated): what the forced sites serve plus the `budget` largest single
/// bounds, and no more than all the people the sites reach.
/// Larger bound or gain first, then the lower candidate: the one order of the greedy's and the
/// search's lists (one comparator, so one sort in the wasm bundle).
pub(super) fn larger_first(a: &(f64, usize), b: &(f64, usize)) -> std::cmp::Ordering {
    b.0.total_cmp(&a.0).then(a.1.cmp(&b.1))
}

fn root_bound(pb: &mut Problem<'_>, forced: &[usize], free: &[usize], budget: usize) -> f64 {
    let mut single = single_bounds(pb, free);
    crate::plan::sort::by(&mut single, |a, b| b.0.total_cmp(&a.0));
    let open = forced.iter().chain(free).copied();
    (pb.served(forced) + single.iter().take(budget).map(|b| b.0).sum::<f64>()).min(pb.reach(open))
}

/// `sites`: the forced-open sites and the free ones; `start`: the heuristic's set and what it
/// serves; `root`: [`root_bound`].
fn branch_and_bound(
    pb: &mut Problem<'_>,
    sites: (&[usize], &[usize]),
    budget: usize,
    start: (&[usize], f64),
    root: f64,
    out_of_time: &mut dyn FnMut() -> bool,
) -> Search {
    let ((forced, free), (start, start_served)) = (sites, start);
    let eps = tolerance(pb);
    let mut best = start_served;
    let mut best_set = start.to_vec();
    // A node: the free sites built, those still free (by index into `free`), its bound.
    let mut stack: Vec<(Vec<usize>, Vec<usize>, f64)> = vec![(Vec::new(), free.to_vec(), root)];
    let mut nodes = 0;
    let mut complete = true;
    'nodes: while let Some((ins, rest, bound)) = stack.pop() {
        if bound <= best + eps {
            continue;
        }
        if out_of_time() {
            stack.push((ins, rest, bound));
            complete = false;
            break;
        }
        let open: Vec<usize> = forced.iter().chain(&ins).copied().collect();
        let now = pb.served(&open);
        if now > best + eps {
            best = now;
            best_set.clone_from(&ins);
        }
        let r = budget - ins.len();
        if r == 0 || rest.is_empty() {
            nodes += 1;
            continue;
        }
        let mut gains: Vec<(f64, usize)> = Vec::with_capacity(rest.len());
        let mut with = open.clone();
        for &j in &rest {
            if out_of_time() {
                stack.push((ins, rest, bound));
                complete = false;
                break 'nodes;
            }
            with.push(j);
            let g = pb.served(&with) - now;
            with.pop();
            if g > eps {
                gains.push((g, j));
            }
        }
        nodes += 1;
        gains.sort_by(larger_first);
        let sub: f64 = gains.iter().take(r).map(|g| g.0).sum();
        let reach = pb.reach(open.iter().copied().chain(gains.iter().map(|g| g.1)));
        let node_bound = bound.min(now + sub).min(reach);
        if node_bound <= best + eps {
            continue;
        }
        // Also feasible: the r best gains together.
        let mut greedy_open = open.clone();
        greedy_open.extend(gains.iter().take(r).map(|g| g.1));
        let g_served = pb.served(&greedy_open);
        if g_served > best + eps {
            best = g_served;
            best_set = ins
                .iter()
                .copied()
                .chain(gains.iter().take(r).map(|g| g.1))
                .collect();
        }
        let Some(&(_, j)) = gains.first() else {
            continue;
        };
        let remaining: Vec<usize> = gains.iter().skip(1).map(|g| g.1).collect();
        // Out child: j gone; in child: j built (processed first).
        stack.push((ins.clone(), remaining.clone(), node_bound));
        let mut ins_j = ins;
        ins_j.push(j);
        stack.push((ins_j, remaining, node_bound));
    }
    let open_bound = stack
        .iter()
        .map(|s| s.2)
        .filter(|&b| b > best + eps)
        .fold(best, f64::max);
    Search {
        set: best_set,
        bound: if complete { best } else { open_bound },
        complete: complete || open_bound <= best + eps,
        nodes,
    }
}
