//! Station placement (`plan::place`): MCLP and LSCP against exhaustive search on small seeded
//! instances, the invariants the issue names (more budget never covers less, existing coverage
//! not double-counted, nothing chosen that covers nothing new), the coverage matrix on the real
//! Shanghai network against a brute-force oracle, and the CLI's determinism.
// Exact float equality is intended (weights are small integers); helpers unwrap fixtures.
#![allow(clippy::float_cmp, clippy::unwrap_used, clippy::many_single_char_names)]

use std::path::PathBuf;
use std::process::Command;

use shuangquan::plan::geom::LonLat;
use shuangquan::plan::graph::{Budget, Reach, SnapOptions, WalkGraph, WalkProfile};
use shuangquan::plan::import::{self, Options};
use shuangquan::plan::place::bound::Core;
use shuangquan::plan::place::exact::{self, Mode};
use shuangquan::plan::place::{
    CapacityError, CoverOptions, CoverSets, MclpOptions, Plan, Why, capacitated, cover_sets,
    cover_sets_closable, lscp, lscp_within, mclp, mclp_sweep, mclp_with, mclp_within,
};

/// SplitMix64: a tiny deterministic generator for seeded instances.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// A random instance in the unit square: `c` candidates, `d` demand points with integer
/// weights 1..=9, coverage within radius `r`, and `existing` kept stations.
fn instance(seed: u64, c: usize, d: usize, r: f64, existing: usize) -> CoverSets {
    let mut rng = Rng(seed);
    let pts: Vec<(f64, f64)> = (0..d).map(|_| (rng.unit(), rng.unit())).collect();
    let weights: Vec<f64> = (0..d).map(|_| (1 + rng.below(9)) as f64).collect();
    let near = |x: f64, y: f64| -> Vec<u32> {
        (0..d as u32)
            .filter(|&i| {
                let (px, py) = pts[i as usize];
                (px - x).powi(2) + (py - y).powi(2) <= r * r
            })
            .collect()
    };
    let covers = (0..c).map(|_| near(rng.unit(), rng.unit())).collect();
    let mut fixed = vec![false; d];
    for _ in 0..existing {
        for i in near(rng.unit(), rng.unit()) {
            fixed[i as usize] = true;
        }
    }
    CoverSets::from_matrix(weights, covers, fixed).unwrap()
}

/// Weight covered by the existing stations and the sites in `set`.
fn covered(sets: &CoverSets, set: &[usize]) -> f64 {
    let mut on = sets.fixed.clone();
    for &c in set {
        for &d in &sets.covers[c] {
            on[d as usize] = true;
        }
    }
    (0..on.len())
        .filter(|&d| on[d])
        .map(|d| sets.weights[d])
        .sum()
}

/// Every subset of 0..n of size k, in lexicographic order.
fn subsets(n: usize, k: usize) -> Vec<Vec<usize>> {
    fn go(start: usize, n: usize, k: usize, cur: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
        if cur.len() == k {
            out.push(cur.clone());
            return;
        }
        for i in start..n {
            cur.push(i);
            go(i + 1, n, k, cur, out);
            cur.pop();
        }
    }
    let mut out = Vec::new();
    go(0, n, k.min(n), &mut Vec::new(), &mut out);
    out
}

/// The optimum covered weight with at most k sites.
fn exhaustive_best(sets: &CoverSets, k: usize) -> f64 {
    subsets(sets.candidate_len(), k)
        .iter()
        .map(|s| covered(sets, s))
        .fold(f64::NEG_INFINITY, f64::max)
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

/// Checks every figure of a plan against a recount from the matrix.
fn check_consistent(sets: &CoverSets, plan: &Plan) {
    assert!(close(plan.covered_weight, covered(sets, &plan.chosen)));
    assert!(close(plan.before_weight, covered(sets, &[])));
    let sum: f64 = plan.marginal_gains.iter().sum();
    assert!(close(sum, plan.covered_weight - plan.before_weight));
    assert_eq!(plan.marginal_gains.len(), plan.chosen.len());
    // Each gain is the new weight given the existing stations and the sites before it, and
    // positive: a site that covers nothing new is never chosen.
    for (i, &g) in plan.marginal_gains.iter().enumerate() {
        let with = covered(sets, &plan.chosen[..=i]);
        let without = covered(sets, &plan.chosen[..i]);
        assert!(
            close(g, with - without),
            "gain {i}: {g} vs {}",
            with - without
        );
        assert!(
            g > 0.0,
            "site {} chosen with no new coverage",
            plan.chosen[i]
        );
    }
    let mut sorted = plan.chosen.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(sorted.len(), plan.chosen.len(), "a site chosen twice");
    // Uncovered: exactly the demand neither fixed nor covered, with the right reason.
    let mut on = sets.fixed.clone();
    for &c in &plan.chosen {
        for &d in &sets.covers[c] {
            on[d as usize] = true;
        }
    }
    let expect: Vec<u32> = (0..on.len() as u32).filter(|&d| !on[d as usize]).collect();
    let got: Vec<u32> = plan.uncovered.iter().map(|u| u.demand).collect();
    assert_eq!(got, expect);
    for u in &plan.uncovered {
        let coverable = sets.covers.iter().any(|c| c.contains(&u.demand));
        let want = if coverable {
            Why::BudgetExhausted
        } else {
            Why::NoCandidateInReach
        };
        assert_eq!(u.why, want);
    }
}

/// True when no single swap (one chosen out, one unchosen in) covers strictly more.
fn swap_local_optimum(sets: &CoverSets, plan: &Plan) -> bool {
    let now = plan.covered_weight;
    for p in 0..plan.chosen.len() {
        for j in 0..sets.candidate_len() {
            if plan.chosen.contains(&j) {
                continue;
            }
            let mut s = plan.chosen.clone();
            s[p] = j;
            if covered(sets, &s) > now + 1e-9 * now.max(1.0) {
                return false;
            }
        }
    }
    true
}

const SEEDS: u64 = 400;

/// Plain greedy (no lazy evaluation, no swaps), ties to the lowest index: the baseline the
/// swaps must beat.
fn plain_greedy(sets: &CoverSets, k: usize) -> f64 {
    let mut set = Vec::new();
    for _ in 0..k {
        let now = covered(sets, &set);
        let mut best: Option<(f64, usize)> = None;
        for c in 0..sets.candidate_len() {
            if set.contains(&c) {
                continue;
            }
            let mut s = set.clone();
            s.push(c);
            let g = covered(sets, &s) - now;
            if g > 0.0 && best.is_none_or(|(bg, _)| g > bg) {
                best = Some((g, c));
            }
        }
        match best {
            Some((_, c)) => set.push(c),
            None => break,
        }
    }
    covered(sets, &set)
}

#[test]
fn mclp_against_exhaustive_search_on_small_instances() {
    // 12 candidates, 40 demand points, k = 1..4, with and without existing stations, 400 seeds.
    // MCLP is NP-hard and greedy + single swaps (+ kicks) is a heuristic: a swap-local optimum
    // need not be global (seed 315, k = 3: the optimum differs from it in two sites). So each
    // run checks what is guaranteed — never above the optimum, at least the greedy bound
    // (1 − 1/e), no single improving swap, consistent figures, never worse than greedy or than
    // the search without kicks — and the rate of exact optima is measured. When this test was
    // written: plain greedy 93.3 %, greedy + swaps 97.4 % (worst ratio 0.904), with the default
    // 100 kicks 1,598 of 1,600 (99.9 %, worst 0.966; misses: seed 198 k 3, seed 390 k 2). The
    // thresholds fail if the swaps or the kicks stop working or the greedy degrades.
    let (mut runs, mut exact, mut swap_exact, mut greedy_exact) = (0usize, 0, 0, 0);
    let mut misses = Vec::new();
    let no_kicks = MclpOptions {
        kicks: 0,
        ..MclpOptions::default()
    };
    for seed in 0..SEEDS {
        let sets = instance(seed, 12, 40, 0.22, (seed % 3) as usize);
        for k in 1..=4 {
            let plan = mclp(&sets, k);
            let swapped = mclp_with(&sets, k, &no_kicks);
            check_consistent(&sets, &plan);
            check_consistent(&sets, &swapped);
            let best = exhaustive_best(&sets, k);
            let before = plan.before_weight;
            assert!(
                plan.covered_weight <= best + 1e-9,
                "seed {seed} k {k}: above optimum"
            );
            let bound = before + (1.0 - 1.0 / std::f64::consts::E) * (best - before);
            assert!(
                swapped.covered_weight >= bound - 1e-9,
                "seed {seed} k {k}: below greedy bound"
            );
            for p in [&plan, &swapped] {
                assert!(
                    swap_local_optimum(&sets, p),
                    "seed {seed} k {k}: a single swap improves"
                );
                assert!(p.chosen.len() + p.budget_left == k);
            }
            let greedy = plain_greedy(&sets, k);
            assert!(
                swapped.covered_weight >= greedy - 1e-9,
                "seed {seed} k {k}: below greedy"
            );
            assert!(
                plan.covered_weight >= swapped.covered_weight - 1e-9,
                "seed {seed} k {k}: kicks lost"
            );
            runs += 1;
            greedy_exact += usize::from(close(greedy, best));
            swap_exact += usize::from(close(swapped.covered_weight, best));
            if close(plan.covered_weight, best) {
                exact += 1;
            } else {
                misses.push((seed, k, plan.covered_weight / best));
            }
        }
    }
    let rate = |n: usize| n as f64 / runs as f64;
    let worst = misses.iter().map(|m| m.2).fold(1.0, f64::min);
    eprintln!(
        "MCLP exact on {exact}/{runs} ({:.2} %), greedy + swaps {:.2} %, plain greedy {:.2} %, \
         worst ratio {worst:.4}; misses (seed, k, ratio): {misses:?}",
        rate(exact) * 100.0,
        rate(swap_exact) * 100.0,
        rate(greedy_exact) * 100.0
    );
    assert!(rate(exact) >= 0.995, "exact rate fell to {}", rate(exact));
    assert!(
        rate(swap_exact) >= 0.97,
        "greedy + swaps exact rate fell to {}",
        rate(swap_exact)
    );
    assert!(
        rate(swap_exact) > rate(greedy_exact),
        "swaps add nothing over greedy"
    );
    assert!(worst >= 0.95, "worst ratio {worst}");
}

#[test]
fn mclp_equals_exhaustive_search_where_single_swaps_suffice() {
    // Exactness that is guaranteed, checked on every seed: k = 1 (greedy's first pick is the
    // best single site) and k ≥ the number of candidates with anything new (all of them).
    for seed in 0..SEEDS {
        let sets = instance(1000 + seed, 8, 25, 0.25, (seed % 2) as usize);
        for k in [1, 8, 9] {
            let plan = mclp(&sets, k);
            assert!(
                close(plan.covered_weight, exhaustive_best(&sets, k)),
                "seed {seed} k {k}"
            );
        }
    }
}

#[test]
fn more_budget_never_covers_less() {
    let mut mclp_drops = 0;
    for seed in 0..SEEDS {
        let sets = instance(seed, 12, 40, 0.22, (seed % 3) as usize);
        let sweep = mclp_sweep(&sets, 8);
        let mut last = covered(&sets, &[]);
        let mut last_mclp = last;
        for (i, p) in sweep.iter().enumerate() {
            check_consistent(&sets, p);
            assert!(
                p.covered_weight >= last,
                "seed {seed}: sweep k={} covers less",
                i + 1
            );
            last = p.covered_weight;
            let single = mclp(&sets, i + 1);
            if single.covered_weight < last_mclp {
                mclp_drops += 1;
            }
            assert!(
                single.covered_weight >= last_mclp - 1e-9,
                "seed {seed}: mclp k={} < k={}",
                i + 1,
                i
            );
            last_mclp = single.covered_weight;
        }
    }
    assert_eq!(mclp_drops, 0);
}

#[test]
fn existing_coverage_is_not_double_counted() {
    // Demand 0..=3 is already covered. Candidate 0 covers only fixed demand; candidate 1
    // covers three fixed points and one new; candidate 2 covers two new points.
    let fixed = vec![true, true, true, true, false, false, false];
    let sets = CoverSets::from_matrix(
        vec![10.0, 10.0, 10.0, 10.0, 1.0, 2.0, 2.0],
        vec![vec![0, 1, 2, 3], vec![1, 2, 3, 4], vec![5, 6]],
        fixed,
    )
    .unwrap();
    let plan = mclp(&sets, 3);
    assert_eq!(plan.chosen, vec![2, 1]);
    assert_eq!(plan.marginal_gains, vec![4.0, 1.0]);
    assert_eq!(plan.before_weight, 40.0);
    assert_eq!(plan.covered_weight, 45.0);
    assert_eq!(plan.budget_left, 1);
    check_consistent(&sets, &plan);
    // On random instances with many existing stations: a candidate whose whole cover is fixed
    // is never chosen, and gains count only non-fixed demand.
    for seed in 0..SEEDS {
        let sets = instance(5000 + seed, 12, 40, 0.22, 4);
        let plan = mclp(&sets, 4);
        check_consistent(&sets, &plan);
        for &c in &plan.chosen {
            assert!(sets.covers[c].iter().any(|&d| !sets.fixed[d as usize]));
        }
        let new: f64 = plan.marginal_gains.iter().sum();
        let unfixed_covered: f64 = (0..sets.demand_len())
            .filter(|&d| {
                !sets.fixed[d]
                    && plan
                        .chosen
                        .iter()
                        .any(|&c| sets.covers[c].contains(&(d as u32)))
            })
            .map(|d| sets.weights[d])
            .sum();
        assert!(close(new, unfixed_covered));
    }
}

#[test]
fn nothing_new_is_never_chosen() {
    // Only two candidates add anything: k = 5 chooses two and reports 3 left.
    let sets = CoverSets::from_matrix(
        vec![1.0, 1.0, 1.0, 0.0],
        vec![vec![], vec![0, 1], vec![0], vec![3], vec![2], vec![1]],
        vec![false; 4],
    )
    .unwrap();
    let plan = mclp(&sets, 5);
    assert_eq!(plan.chosen, vec![1, 4]);
    assert_eq!(plan.budget_left, 3);
    assert!(plan.uncovered.iter().all(|u| u.demand == 3));
    // Zero-weight demand (3) is never a reason to open a site.
    assert!(!plan.chosen.contains(&3));
    let none = CoverSets::from_matrix(vec![1.0], vec![vec![]], vec![false]).unwrap();
    let p = mclp(&none, 2);
    assert!(p.chosen.is_empty());
    assert_eq!(p.uncovered[0].why, Why::NoCandidateInReach);
}

/// The fewest sites reaching `goal` weight, by exhaustive search (None when impossible).
fn exhaustive_min_count(sets: &CoverSets, goal: f64) -> Option<usize> {
    (0..=sets.candidate_len()).find(|&k| {
        subsets(sets.candidate_len(), k)
            .iter()
            .any(|s| covered(sets, s) >= goal - 1e-9)
    })
}

#[test]
fn lscp_reaches_the_target_with_no_redundant_site() {
    let (mut runs, mut exact) = (0usize, 0usize);
    for seed in 0..SEEDS / 2 {
        let sets = instance(9000 + seed, 12, 40, 0.22, (seed % 2) as usize);
        let total = sets.total_weight();
        let all: Vec<usize> = (0..12).collect();
        let coverable = covered(&sets, &all);
        for share in [0.5, 0.7, 0.9, 1.0] {
            let plan = lscp(&sets, share);
            check_consistent(&sets, &plan);
            let goal = share * total;
            if goal <= coverable + 1e-9 {
                assert_eq!(plan.target_met, Some(true));
                assert!(
                    plan.covered_weight >= goal - 1e-9,
                    "seed {seed} share {share}"
                );
            } else {
                // Target beyond reach: all coverable demand, said so.
                assert_eq!(plan.target_met, Some(false));
                assert!(close(plan.covered_weight, coverable));
                assert!(
                    plan.uncovered
                        .iter()
                        .all(|u| u.why == Why::NoCandidateInReach)
                );
            }
            let goal = goal.min(coverable);
            // No redundant site: dropping any one misses the goal.
            for i in 0..plan.chosen.len() {
                let mut s = plan.chosen.clone();
                s.remove(i);
                assert!(
                    covered(&sets, &s) < goal - 1e-9,
                    "seed {seed}: site {i} redundant"
                );
            }
            let min = exhaustive_min_count(&sets, goal).unwrap();
            assert!(plan.chosen.len() >= min);
            runs += 1;
            exact += usize::from(plan.chosen.len() == min);
        }
    }
    let rate = exact as f64 / runs as f64;
    eprintln!(
        "LSCP minimum count on {exact}/{runs} ({:.2} %)",
        rate * 100.0
    );
    // Measured when written: 800 of 800 (789 before MCLP had kicks).
    assert!(rate >= 0.99, "minimum-count rate fell to {rate}");
}

#[test]
fn lscp_with_target_already_met_chooses_nothing() {
    let sets = CoverSets::from_matrix(vec![3.0, 1.0], vec![vec![1]], vec![true, false]).unwrap();
    let plan = lscp(&sets, 0.7);
    assert!(plan.chosen.is_empty());
    assert_eq!(plan.target_met, Some(true));
    let plan = lscp(&sets, 1.0);
    assert_eq!(plan.chosen, vec![0]);
}

#[test]
fn straight_line_estimate_without_a_network() {
    // 60 m/min × 10 min = 600 m walking ≈ 461.5 m straight at the 1.3 detour factor.
    let o = LonLat::new(121.47, 31.23);
    let east = |m: f64| LonLat::new(o.lon + m / 95_300.0, o.lat);
    let demand = vec![(east(0.0), 1.0), (east(400.0), 2.0), (east(520.0), 4.0)];
    let opts = CoverOptions {
        minutes: 10.0,
        ..CoverOptions::default()
    };
    let sets = cover_sets(None, &demand, &[o], &[], &opts, &mut |_, _| {});
    assert!(sets.estimate);
    assert_eq!(sets.covers, vec![vec![0, 1]]);
}

#[test]
fn existing_stations_may_close() {
    // Candidate 0 covers demand 0..=3; existing station A (candidate 1) covers 0 and 1, B
    // (candidate 2) covers 4. With the same number of stations (2), A closes for candidate 0.
    let mut sets = CoverSets::from_matrix(
        vec![1.0; 5],
        vec![vec![0, 1, 2, 3], vec![0, 1], vec![4]],
        vec![false; 5],
    )
    .unwrap();
    sets.closable_existing = 2;
    assert_eq!(sets.existing_weight(), 3.0);
    let plan = mclp(&sets, 2);
    assert_eq!(plan.chosen, vec![0, 2]);
    assert_eq!(plan.closed, vec![1]);
    assert_eq!(plan.covered_weight, 5.0);
    assert_eq!((plan.before_weight, plan.existing_weight), (0.0, 3.0));
    assert!((plan.share_before - 0.6).abs() < 1e-12);
    check_consistent(&sets, &plan);
    // Kept stations: nothing closes, and the closable builder appends the stations' covers.
    let o = LonLat::new(121.47, 31.23);
    let east = |m: f64| LonLat::new(o.lon + m / 95_300.0, o.lat);
    let demand: Vec<(LonLat, f64)> = (0..10).map(|i| (east(f64::from(i) * 100.0), 1.0)).collect();
    let opts = CoverOptions {
        minutes: 5.0,
        ..CoverOptions::default()
    };
    let kept = cover_sets(
        None,
        &demand,
        &[east(0.0)],
        &[east(900.0)],
        &opts,
        &mut |_, _| {},
    );
    let open = cover_sets_closable(
        None,
        &demand,
        &[east(0.0)],
        &[east(900.0)],
        &opts,
        &mut |_, _| {},
    );
    assert_eq!(open.closable_existing, 1);
    assert_eq!(open.covers[0], kept.covers[0]);
    let fixed: Vec<u32> = (0..10).filter(|&d| kept.fixed[d as usize]).collect();
    assert_eq!(open.covers[1], fixed);
    assert!(open.fixed.iter().all(|f| !f));
    assert!(mclp(&kept, 1).closed.is_empty());
}

// ---- bounds, proofs and capacities ----

/// The same instance with weights scaled by an irrational-looking factor (no integer unit).
fn fractional(sets: &CoverSets) -> CoverSets {
    CoverSets::from_matrix(
        sets.weights.iter().map(|w| w * 0.731_923).collect(),
        sets.covers.clone(),
        sets.fixed.clone(),
    )
    .unwrap()
}

/// Checks a plan's certificate against the exhaustive optimum `best`.
fn check_certificate(what: &str, plan: &Plan, best: f64) {
    let tol = 1e-9 * best.max(1.0);
    assert!(
        plan.upper_bound >= best - tol,
        "{what}: bound {} below the optimum {best}",
        plan.upper_bound
    );
    assert!(plan.upper_bound >= plan.covered_weight - tol, "{what}");
    let gap = if plan.upper_bound > 0.0 {
        1.0 - plan.covered_weight / plan.upper_bound
    } else {
        0.0
    };
    assert!((plan.gap - gap.max(0.0)).abs() < 1e-12, "{what}: gap");
    if plan.proven_optimal {
        assert!(
            close(plan.covered_weight, best),
            "{what}: proven but not optimal"
        );
        assert_eq!(plan.gap, 0.0, "{what}");
    }
}

/// A seeded instance with integer weights (even seeds) or fractional ones (odd seeds).
fn integer_or_fractional(sets: CoverSets, seed: u64) -> CoverSets {
    if seed.is_multiple_of(2) {
        sets
    } else {
        fractional(&sets)
    }
}

/// The certificates of `k` sites on `sets` against the exhaustive optimum, the heuristic
/// without kicks (the search must find what it misses): the root bound alone (`mclp_with`),
/// the full search (`mclp_within` with no time limit: proven and optimal), and searches cut
/// short after each of `limits` clock checks (the open nodes' bound). Returns the root-only
/// plan and the optimum.
fn check_search(what: &str, sets: &CoverSets, k: usize, limits: &[usize]) -> (Plan, f64) {
    let no_kicks = MclpOptions {
        kicks: 0,
        ..MclpOptions::default()
    };
    let best = exhaustive_best(sets, k);
    let quick = mclp_with(sets, k, &no_kicks);
    check_certificate(&format!("{what} root"), &quick, best);
    let full = mclp_within(sets, k, &no_kicks, &mut || false);
    check_consistent(sets, &full);
    check_certificate(&format!("{what} full"), &full, best);
    assert!(full.proven_optimal, "{what}: not proven");
    assert!(close(full.covered_weight, best), "{what}");
    for &limit in limits {
        let mut calls = 0;
        let cut = mclp_within(sets, k, &no_kicks, &mut || {
            calls += 1;
            calls > limit
        });
        check_consistent(sets, &cut);
        check_certificate(&format!("{what} cut {limit}"), &cut, best);
    }
    (quick, best)
}

#[test]
fn every_bound_is_at_least_the_exhaustive_optimum_and_the_search_proves_it() {
    // 100 seeds × k = 1..4, integer weights (a unit to round the bound to) and fractional
    // ones ([`check_search`]).
    let (mut runs, mut root_proven) = (0usize, 0usize);
    for seed in 0..SEEDS / 4 {
        let base = instance(seed, 12, 40, 0.22, (seed % 3) as usize);
        let sets = integer_or_fractional(base, seed);
        for k in 1..=4 {
            let (quick, _) = check_search(&format!("seed {seed} k {k}"), &sets, k, &[1, 4, 20]);
            runs += 1;
            root_proven += usize::from(quick.proven_optimal);
        }
    }
    eprintln!("root bound alone proves {root_proven}/{runs}");
}

#[test]
fn dense_instances_bound_and_proof_against_exhaustive_search() {
    // Overlapping covers (each of 24 sites reaching ≈ 15 % of 200 points, k = 2..4: the
    // chosen covers add up to 30–60 % of the points, as in the dense instances of
    // `bench/compare_place.py --small`) where the LP relaxation is weaker than on sparse
    // ones: the deflected root steps and the polished Lagrangian plans, then the search.
    // At most 10,626 subsets per exhaustive optimum. Integer and fractional weights, every
    // fourth instance with an existing station; cut-short searches too.
    let (mut runs, mut root_proven, mut root_gap) = (0usize, 0usize, 0.0f64);
    for seed in 0..10 {
        let base = instance(20_000 + seed, 24, 200, 0.22, usize::from(seed % 4 == 3));
        let sets = integer_or_fractional(base, seed);
        for k in 2..=4 {
            let what = format!("dense seed {seed} k {k}");
            let (quick, best) = check_search(&what, &sets, k, &[10, 200]);
            runs += 1;
            root_proven += usize::from(quick.proven_optimal);
            root_gap = root_gap.max(quick.upper_bound / best - 1.0);
        }
    }
    eprintln!(
        "dense: root bound alone proves {root_proven}/{runs}; root bound at most {:.2} % above the optimum",
        root_gap * 100.0
    );
}

/// A seeded instance made of independent blocks (clusters): 2–4 blocks, each of 3–6
/// candidates over its own 7–12 demand points with dense, overlapping covers (so the root
/// bound often leaves a gap), the candidates' indices shuffled across the blocks; integer
/// weights 1..=9, some demand already covered.
fn clustered(seed: u64) -> CoverSets {
    let mut rng = Rng(seed);
    let blocks = 2 + rng.below(3) as usize;
    let mut weights = Vec::new();
    let mut covers: Vec<Vec<u32>> = Vec::new();
    for _ in 0..blocks {
        let first = weights.len() as u32;
        let points = 7 + rng.below(6) as u32;
        weights.extend((0..points).map(|_| (1 + rng.below(9)) as f64));
        for _ in 0..3 + rng.below(4) {
            let cover: Vec<u32> = (first..first + points)
                .filter(|_| rng.below(2) == 0)
                .collect();
            covers.push(cover);
        }
    }
    // Shuffle the candidates so that a block's indices are not contiguous.
    for i in (1..covers.len()).rev() {
        covers.swap(i, rng.below(i as u64 + 1) as usize);
    }
    let fixed = (0..weights.len()).map(|_| rng.below(12) == 0).collect();
    CoverSets::from_matrix(weights, covers, fixed).unwrap()
}

/// The best sum of one value per table (`tables[i][m]`: with m sites) over every allocation
/// of at most k sites.
fn best_allocation(tables: &[Vec<f64>], k: usize) -> f64 {
    match tables.split_first() {
        None => 0.0,
        Some((t, rest)) => (0..t.len().min(k + 1))
            .map(|m| t[m] + best_allocation(rest, k - m))
            .fold(f64::NEG_INFINITY, f64::max),
    }
}

/// The optimum of a clustered instance computed the long way: every block's best coverage
/// with m of its sites by exhaustive search, then every allocation of k sites over the
/// blocks. Blocks are found from the covers (candidates sharing demand).
fn blockwise_best(sets: &CoverSets, k: usize) -> f64 {
    let n = sets.candidate_len();
    let mut block: Vec<usize> = (0..n).collect();
    for a in 0..n {
        for b in 0..a {
            if sets.covers[a].iter().any(|d| sets.covers[b].contains(d)) {
                let (ra, rb) = (block[a], block[b]);
                for x in &mut block {
                    if *x == ra {
                        *x = rb;
                    }
                }
            }
        }
    }
    let mut ids: Vec<usize> = block.clone();
    ids.sort_unstable();
    ids.dedup();
    let before = covered(sets, &[]);
    // Per block: its best new weight with m sites, m = 0..=its size.
    let tables: Vec<Vec<f64>> = ids
        .iter()
        .map(|&id| {
            let members: Vec<usize> = (0..n).filter(|&j| block[j] == id).collect();
            (0..=members.len())
                .map(|m| {
                    subsets(members.len(), m)
                        .iter()
                        .map(|s| {
                            let set: Vec<usize> = s.iter().map(|&i| members[i]).collect();
                            covered(sets, &set) - before
                        })
                        .fold(0.0, f64::max)
                })
                .collect()
        })
        .collect();
    before + best_allocation(&tables, k)
}

#[test]
fn the_search_split_by_cluster_equals_the_exhaustive_and_the_whole_search() {
    // Instances of independent blocks: the search split by cluster (mclp_within) against the
    // exhaustive optimum over all subsets, against the block-by-block optimum (each block's
    // best with m sites, every allocation: a cluster's contribution miscounted fails here),
    // and against the whole search's proven optimum (exact::search on the core, not split).
    let no_kicks = MclpOptions {
        kicks: 0,
        ..MclpOptions::default()
    };
    let (mut runs, mut searched) = (0usize, 0usize);
    for seed in 0..120 {
        let sets = integer_or_fractional(clustered(31_000 + seed), seed);
        let n = sets.candidate_len();
        for k in 1..=5.min(n) {
            let what = format!("clustered seed {seed} k {k}");
            let best = exhaustive_best(&sets, k);
            assert!(close(blockwise_best(&sets, k), best), "{what}: blockwise");
            let full = mclp_within(&sets, k, &no_kicks, &mut || false);
            check_consistent(&sets, &full);
            check_certificate(&what, &full, best);
            assert!(full.proven_optimal, "{what}: not proven");
            assert!(close(full.covered_weight, best), "{what}");
            let core = Core::new(&sets);
            let whole = exact::search(
                &core,
                k,
                (&[], 0.0),
                Mode::Maximise,
                usize::MAX,
                &mut || false,
                &mut |set| (set.to_vec(), 0.0),
            );
            assert!(whole.complete, "{what}: the whole search");
            assert!(
                close(core.base + whole.new_weight, full.covered_weight),
                "{what}: whole {} split {}",
                core.base + whole.new_weight,
                full.covered_weight
            );
            // Cut short after a few clock checks or nodes: still a true certificate.
            for limit in [1, 3, 12, 40] {
                let mut calls = 0;
                let cut = mclp_within(&sets, k, &no_kicks, &mut || {
                    calls += 1;
                    calls > limit
                });
                check_consistent(&sets, &cut);
                check_certificate(&format!("{what} cut {limit}"), &cut, best);
            }
            runs += 1;
            searched += usize::from(full.nodes > 1);
        }
    }
    // The split search must have had work to do beyond the root on some of them.
    assert!(
        searched >= 40,
        "only {searched} of {runs} searched past the root"
    );
    eprintln!("clustered: {searched} of {runs} searched past the root");
}

#[test]
fn a_warm_started_root_bounds_and_the_search_proves_from_any_multipliers() {
    // exact::search_from (the split search's pairs start their roots from earlier multipliers):
    // from any start, multipliers outside [0, w] included (clamped), the root alone still
    // bounds the exhaustive optimum and the whole search proves it. Dense instances (the root
    // leaves a gap), integer and fractional weights, starts: zeros, the weights, seeded values
    // in [−w, 2w], the cold root's multipliers, and those with one row far below 0.
    let (mut runs, mut warm_lower) = (0usize, 0usize);
    for seed in 0..10 {
        let base = instance(40_000 + seed, 20, 160, 0.22, usize::from(seed % 4 == 3));
        let sets = integer_or_fractional(base, seed);
        let core = Core::new(&sets);
        let mut rng = Rng(41_000 + seed);
        for k in 2..=4 {
            let best = exhaustive_best(&sets, k);
            let cold = exact::search(
                &core,
                k,
                (&[], 0.0),
                Mode::Maximise,
                1,
                &mut || false,
                &mut |set| (set.to_vec(), 0.0),
            );
            // The cold root's multipliers (what the split search passes on), and those with
            // the row most candidates cover below 0, by less than any of its coverers' other
            // rows' multipliers (unclamped, L would fall below the optimum: every taken site
            // covering it loses the amount, still taken, while the row gains it once).
            let mut count = vec![0usize; core.w.len()];
            for c in &core.covers {
                for &r in c {
                    count[r as usize] += 1;
                }
            }
            let most = (0..core.w.len()).max_by_key(|&r| count[r]).unwrap_or(0);
            let mut below = cold.lambda.clone();
            below[most] = -0.9
                * core
                    .covers
                    .iter()
                    .filter(|c| c.contains(&(most as u32)))
                    .map(|c| {
                        c.iter()
                            .filter(|&&r| r as usize != most)
                            .map(|&r| cold.lambda[r as usize])
                            .sum::<f64>()
                    })
                    .fold(f64::INFINITY, f64::min);
            let starts = [
                vec![0.0; core.w.len()],
                core.w.clone(),
                core.w
                    .iter()
                    .map(|&w| w * (3.0 * rng.unit() - 1.0))
                    .collect(),
                cold.lambda.clone(),
                below,
            ];
            for (s, warm) in starts.iter().enumerate() {
                let what = format!("warm seed {seed} k {k} start {s}");
                let search = |max_nodes: usize| {
                    exact::search_from(
                        &core,
                        k,
                        (&[], 0.0),
                        Mode::Maximise,
                        max_nodes,
                        &mut || false,
                        &mut |set| (set.to_vec(), 0.0),
                        warm,
                    )
                };
                let root = search(1);
                assert!(
                    core.base + root.bound >= best - 1e-6,
                    "{what}: root bound {} below the optimum {best}",
                    core.base + root.bound
                );
                warm_lower += usize::from(root.bound < cold.bound);
                let whole = search(usize::MAX);
                assert!(whole.complete, "{what}: not proven");
                assert!(
                    close(core.base + whole.new_weight, best),
                    "{what}: {} against {best}",
                    core.base + whole.new_weight
                );
                runs += 1;
            }
        }
    }
    eprintln!(
        "warm starts: {runs} searches, the warm root bound lower than the cold in {warm_lower}"
    );
}

#[test]
fn lscp_lower_bound_and_proof_against_exhaustive_search() {
    for seed in 0..30 {
        let base = instance(9000 + seed, 12, 40, 0.22, (seed % 2) as usize);
        let sets = if seed % 3 == 0 {
            fractional(&base)
        } else {
            base
        };
        let total = sets.total_weight();
        let all: Vec<usize> = (0..12).collect();
        let coverable = covered(&sets, &all);
        for share in [0.5, 0.7, 0.9, 1.0] {
            let goal = (share * total).min(coverable);
            let min = exhaustive_min_count(&sets, goal).unwrap();
            let quick = lscp(&sets, share);
            let lower = quick.sites_lower_bound.unwrap();
            assert!(
                lower <= min,
                "seed {seed} share {share}: lower {lower} > {min}"
            );
            if quick.proven_optimal {
                assert_eq!(quick.chosen.len(), min, "seed {seed} share {share}");
            }
            // Out of time from the start: the lower-bound probes and the certificate stop at
            // once, and what they say is still true.
            let cut = lscp_within(&sets, share, &mut || true);
            check_consistent(&sets, &cut);
            let cut_lower = cut.sites_lower_bound.unwrap();
            assert!(
                cut_lower <= min,
                "seed {seed} share {share}: {cut_lower} > {min}"
            );
            assert!(cut.covered_weight >= goal - 1e-9 * total.max(1.0));
            if cut.proven_optimal {
                assert_eq!(cut.chosen.len(), min, "seed {seed} share {share}");
            }
            let full = lscp_within(&sets, share, &mut || false);
            check_consistent(&sets, &full);
            assert!(full.proven_optimal, "seed {seed} share {share}");
            assert_eq!(full.chosen.len(), min, "seed {seed} share {share}");
            assert_eq!(full.sites_lower_bound, Some(min));
            assert!(full.covered_weight >= goal - 1e-9 * total.max(1.0));
            let best = exhaustive_best(&sets, full.chosen.len());
            assert!(full.upper_bound >= best - 1e-9 * best.max(1.0));
        }
    }
}

/// People served by the open sites, by max-flow min-cut: the minimum over subsets S of the
/// open sites of Σ_{j ∈ S} capacity + the weight of the covered points with an open site
/// outside S. Independent of the solver's flow algorithm.
fn served_oracle(sets: &CoverSets, capacity: &[f64], open: &[usize]) -> f64 {
    let m = open.len();
    // Per demand point: the open sites (bit p for open[p]) within reach.
    let reach: Vec<u32> = (0..sets.demand_len() as u32)
        .map(|d| {
            (0..m)
                .filter(|&p| sets.covers[open[p]].contains(&d))
                .fold(0, |a, p| a | (1 << p))
        })
        .collect();
    (0u32..(1 << m))
        .map(|s| {
            let caps: f64 = (0..m)
                .filter(|&p| s & (1 << p) != 0)
                .map(|p| capacity[open[p]])
                .sum();
            let outside: f64 = (0..reach.len())
                .filter(|&d| reach[d] & !s != 0)
                .map(|d| sets.weights[d])
                .sum();
            caps + outside
        })
        .fold(f64::INFINITY, f64::min)
}

#[test]
fn capacitated_placement_agrees_with_exhaustive_search() {
    // 8 candidates + 2 existing stations (the last two sites), 30 demand points, capacities
    // 0–59 people (some unlimited), k = 0..3, existing kept or allowed to close.
    let mut over_seen = 0;
    for seed in 0..25u64 {
        let mut sets = instance(5000 + seed, 10, 30, 0.3, 0);
        sets.closable_existing = 2;
        let mut rng = Rng(77 + seed);
        let capacity: Vec<f64> = (0..10)
            .map(|_| match rng.below(8) {
                0 => f64::INFINITY,
                _ => rng.below(60) as f64,
            })
            .collect();
        for allow_close in [false, true] {
            for k in 0..=3usize {
                let (pool, size): (Vec<usize>, usize) = if allow_close {
                    ((0..10).collect(), k + 2)
                } else {
                    ((0..8).collect(), k)
                };
                let extra: Vec<usize> = if allow_close { vec![] } else { vec![8, 9] };
                let best = subsets(pool.len(), size)
                    .iter()
                    .map(|s| {
                        let open: Vec<usize> =
                            s.iter().map(|&i| pool[i]).chain(extra.clone()).collect();
                        served_oracle(&sets, &capacity, &open)
                    })
                    .fold(0.0, f64::max);
                let plan = capacitated(&sets, &capacity, k, allow_close, &mut || false).unwrap();
                let what = format!("seed {seed} k {k} close {allow_close}");
                assert!(plan.proven_optimal, "{what}");
                assert!(
                    close(plan.served_weight, best),
                    "{what}: {} vs {best}",
                    plan.served_weight
                );
                assert!(plan.upper_bound >= best - 1e-9, "{what}");
                let open: Vec<usize> = plan.load.iter().map(|l| l.0).collect();
                assert!(
                    close(served_oracle(&sets, &capacity, &open), plan.served_weight),
                    "{what}"
                );
                assert!(close(covered(&sets, &open), plan.covered_weight), "{what}");
                for &(j, load, cap) in &plan.load {
                    assert!(load <= cap + 1e-9, "{what}: site {j} over its capacity");
                }
                let over: f64 = plan.over_capacity.iter().map(|o| o.people).sum();
                assert!(close(over, plan.over_capacity_weight), "{what}");
                over_seen += usize::from(over > 0.0);
                assert!(open.len() <= size + extra.len(), "{what}: over budget");
                if !allow_close {
                    assert!(plan.closed.is_empty());
                    assert_eq!(plan.chosen.len() + 2, open.len());
                }
                let gains: f64 = plan.marginal_gains.iter().sum();
                let kept: Vec<usize> = open.iter().copied().filter(|&j| j >= 8).collect();
                let base = served_oracle(&sets, &capacity, &kept);
                assert!(close(base + gains, plan.served_weight), "{what}: gains");
            }
        }
    }
    assert!(over_seen > 10, "over capacity never happened: {over_seen}");
}

#[test]
fn capacitated_placement_cut_short_keeps_its_budget_and_a_valid_bound() {
    // The budget ends after `limit` clock checks (0: before the first flow of the greedy).
    // Every stage (greedy, swaps, search, build order) stops at its next check, so "out of
    // time" is answered a few times at most, and the plan cut short is still whole and honest
    // against the exhaustive optimum: k new sites (the greedy's places filled by single-site
    // bounds), gains adding up (the build order from one augmented flow), a bound at least the
    // optimum (the root's bound before any flow).
    for seed in 0..15u64 {
        let mut sets = instance(7000 + seed, 10, 30, 0.3, 0);
        sets.closable_existing = 2;
        let mut rng = Rng(177 + seed);
        let capacity: Vec<f64> = (0..10).map(|_| (5 + rng.below(40)) as f64).collect();
        for k in 1..=3usize {
            let best = subsets(8, k)
                .iter()
                .map(|s| {
                    let open: Vec<usize> = s.iter().copied().chain([8, 9]).collect();
                    served_oracle(&sets, &capacity, &open)
                })
                .fold(0.0, f64::max);
            for limit in [0usize, 3, 30] {
                let (mut calls, mut late) = (0usize, 0usize);
                let plan = capacitated(&sets, &capacity, k, false, &mut || {
                    calls += 1;
                    late += usize::from(calls > limit);
                    calls > limit
                })
                .unwrap();
                let what = format!("seed {seed} k {k} limit {limit}");
                assert!(late <= 4, "{what}: asked {late} times after the budget");
                assert_eq!(plan.chosen.len(), k, "{what}");
                let open: Vec<usize> = plan.load.iter().map(|l| l.0).collect();
                let served = served_oracle(&sets, &capacity, &open);
                assert!(close(served, plan.served_weight), "{what}");
                assert!(plan.served_weight <= best + 1e-9, "{what}");
                assert!(
                    plan.upper_bound >= best - 1e-9,
                    "{what}: bound below the optimum"
                );
                let base = served_oracle(&sets, &capacity, &[8, 9]);
                let gains: f64 = plan.marginal_gains.iter().sum();
                assert!(close(base + gains, plan.served_weight), "{what}: gains");
                if plan.proven_optimal {
                    assert!(
                        close(plan.served_weight, best),
                        "{what}: proven, not optimal"
                    );
                }
            }
        }
    }
}

#[test]
fn capacities_are_checked() {
    let mut sets =
        CoverSets::from_matrix(vec![1.0; 3], vec![vec![0], vec![1, 2]], vec![false; 3]).unwrap();
    sets.closable_existing = 1;
    let never = &mut || false;
    assert!(matches!(
        capacitated(&sets, &[1.0, -2.0], 1, false, never),
        Err(CapacityError::Negative { index: 1, .. })
    ));
    assert!(matches!(
        capacitated(&sets, &[1.0], 1, false, never),
        Err(CapacityError::Length { got: 1, want: 2 })
    ));
    sets.fixed[0] = true;
    assert!(matches!(
        capacitated(&sets, &[1.0, 1.0], 1, false, never),
        Err(CapacityError::Fixed)
    ));
}

// ---- the real Shanghai package ----

fn package_file(name: &str) -> (String, Vec<u8>) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("static/data/shanghai-central")
        .join(name);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    (path.to_string_lossy().into_owned(), bytes)
}

#[test]
fn cover_sets_on_shanghai_equal_brute_force() {
    let o = Options::default();
    let (_, b) = package_file("streets.osm.pbf");
    let graph = WalkGraph::build(&shuangquan::plan::osm::read(&b).streets);
    let (f, b) = package_file("demand.geojson");
    let demand: Vec<(LonLat, f64)> = import::import_demand(&f, &b, &o)
        .items
        .iter()
        .map(|d| (d.pos_wgs84, d.weight))
        .collect();
    let (f, b) = package_file("candidates.geojson");
    let cands: Vec<LonLat> = import::import_candidates(&f, &b, &o)
        .items
        .iter()
        .map(|c| c.pos_wgs84)
        .collect();
    let (f, b) = package_file("stations.geojson");
    let stations: Vec<LonLat> = import::import_stations(&f, &b, &o)
        .items
        .iter()
        .map(|s| s.pos_wgs84)
        .collect();
    assert_eq!((demand.len(), cands.len(), stations.len()), (1348, 623, 35));

    let opts = CoverOptions::default();
    let mut calls = 0;
    let sets = cover_sets(
        Some(&graph),
        &demand,
        &cands,
        &stations,
        &opts,
        &mut |done, n| {
            assert_eq!(n, 623);
            assert_eq!(done, calls);
            calls += 1;
        },
    );
    assert_eq!(calls, 624);
    assert!(!sets.estimate);

    // Oracle: unbounded search from each candidate, every demand point probed, ≤ 900 m.
    let limit = opts.minutes * opts.profile.speed_m_per_min;
    let snap = SnapOptions::default();
    let dsnaps: Vec<_> = demand
        .iter()
        .map(|&(p, _)| graph.snap(p, &snap).ok())
        .collect();
    let mut reach = Reach::new(&graph);
    let within = |reach: &Reach| -> Vec<u32> {
        (0..demand.len() as u32)
            .filter(|&d| {
                dsnaps[d as usize]
                    .as_ref()
                    .and_then(|s| reach.probe(&graph, s))
                    .is_some_and(|t| t.metres <= limit)
            })
            .collect()
    };
    let ssnaps: Vec<_> = stations
        .iter()
        .filter_map(|&p| graph.snap(p, &snap).ok())
        .collect();
    reach.run(&graph, &ssnaps, WalkProfile::DEFAULT, Budget::Unbounded);
    let fixed = within(&reach);
    let got_fixed: Vec<u32> = (0..demand.len() as u32)
        .filter(|&d| sets.fixed[d as usize])
        .collect();
    assert_eq!(got_fixed, fixed);
    let mut total = 0;
    for (c, &p) in cands.iter().enumerate() {
        let Ok(s) = graph.snap(p, &snap) else {
            assert!(sets.covers[c].is_empty());
            continue;
        };
        reach.run(&graph, &[s], WalkProfile::DEFAULT, Budget::Unbounded);
        let want = within(&reach);
        assert_eq!(sets.covers[c], want, "candidate {c}");
        total += want.len();
    }
    // Not a vacuous comparison: candidates cover dozens of points on average.
    assert!(total > 623 * 20, "{total}");
    assert!(!fixed.is_empty() && fixed.len() < demand.len());
}

#[test]
fn cli_on_shanghai_is_deterministic_and_has_the_fields() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("place_cli");
    std::fs::create_dir_all(&dir).unwrap();
    let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("static/data/shanghai-central");
    let run = |out: &str, extra: &[&str]| {
        let path = dir.join(out);
        let st = Command::new(env!("CARGO_BIN_EXE_shuangquan"))
            .arg("place")
            .arg("--data")
            .arg(&data)
            .args(extra)
            .arg("--out")
            .arg(&path)
            .output()
            .unwrap();
        assert!(
            st.status.success(),
            "{}",
            String::from_utf8_lossy(&st.stderr)
        );
        std::fs::read(&path).unwrap()
    };
    let a = run(
        "a.json",
        &[
            "--k",
            "5",
            "--export-matrix",
            dir.join("m.json").to_str().unwrap(),
        ],
    );
    let b = run("b.json", &["--k", "5"]);
    assert_eq!(a, b, "two runs differ");
    let v: serde_json::Value = serde_json::from_slice(&a).unwrap();
    assert_eq!(v["chosen"].as_array().unwrap().len(), 5);
    assert!(v["chosen"][0].as_str().unwrap().starts_with('c'));
    assert_eq!(v["marginal_gains"].as_array().unwrap().len(), 5);
    for f in [
        "covered_weight",
        "share_before",
        "share_after",
        "total_weight",
    ] {
        assert!(v[f].as_f64().is_some(), "{f}");
    }
    assert!(v["share_after"].as_f64() > v["share_before"].as_f64());
    // The certificate: a bound at least the plan, the gap it implies.
    let (cov, ub) = (
        v["covered_weight"].as_f64().unwrap(),
        v["upper_bound"].as_f64().unwrap(),
    );
    assert!(ub >= cov);
    assert!((v["gap"].as_f64().unwrap() - (1.0 - cov / ub)).abs() < 1e-12);
    assert!(v["proven_optimal"].is_boolean());
    let sum: f64 = v["marginal_gains"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g.as_f64().unwrap())
        .sum();
    let gained = v["covered_weight"].as_f64().unwrap() - v["before_weight"].as_f64().unwrap();
    assert!((sum - gained).abs() < 1e-6);
    // The same instance solved from the exported matrix gives the same plan.
    let st = Command::new(env!("CARGO_BIN_EXE_shuangquan"))
        .args(["place", "--k", "5", "--matrix"])
        .arg(dir.join("m.json"))
        .arg("--out")
        .arg(dir.join("c.json"))
        .output()
        .unwrap();
    assert!(
        st.status.success(),
        "{}",
        String::from_utf8_lossy(&st.stderr)
    );
    assert_eq!(std::fs::read(dir.join("c.json")).unwrap(), a);
    // GeoJSON: the chosen sites as numbered points, twice the same.
    let g1 = run("a.geojson", &["--k", "5"]);
    let g2 = run("b.geojson", &["--k", "5"]);
    assert_eq!(g1, g2);
    let g: serde_json::Value = serde_json::from_slice(&g1).unwrap();
    let f = g["features"].as_array().unwrap();
    assert_eq!(f.len(), 5);
    assert_eq!(f[0]["properties"]["order"], 1);
    assert_eq!(f[0]["properties"]["id"], v["chosen"][0]);
    assert_eq!(f[0]["geometry"]["type"], "Point");
}

#[test]
fn cli_refuses_bad_input_and_writes_no_plan() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("place_cli_bad");
    std::fs::create_dir_all(&dir).unwrap();
    let demand = dir.join("demand.csv");
    std::fs::write(
        &demand,
        "lon,lat,weight\n121.4700,31.2300,100\n121.4710,31.2300,50\n",
    )
    .unwrap();
    let cands = dir.join("candidates.csv");
    std::fs::write(
        &cands,
        "id,lon,lat\nc1,121.4705,31.2300\nc2,121.4800,31.2300\n",
    )
    .unwrap();
    let empty = dir.join("empty.csv");
    std::fs::write(&empty, "id,lon,lat\n").unwrap();
    let caps = dir.join("caps.csv");
    std::fs::write(&caps, "id,capacity\nc1,40\nc2,-3\n").unwrap();
    let run = |name: &str, candidates: &std::path::Path, extra: &[&str]| {
        let out = dir.join(name);
        let _ = std::fs::remove_file(&out);
        let st = Command::new(env!("CARGO_BIN_EXE_shuangquan"))
            .arg("place")
            .arg("--demand")
            .arg(&demand)
            .arg("--candidates")
            .arg(candidates)
            .args(extra)
            .arg("--out")
            .arg(&out)
            .output()
            .unwrap();
        assert!(!out.exists(), "{name}: a plan was written");
        assert!(!st.status.success(), "{name}: succeeded");
        String::from_utf8_lossy(&st.stderr).into_owned()
    };
    let e = run("k.json", &cands, &["--k", "3"]);
    assert!(e.contains("--k 3: there are only 2 candidate sites"), "{e}");
    let e = run("cap.json", &cands, &["--k", "1", "--capacity=-5"]);
    assert!(e.contains("--capacity -5"), "{e}");
    let caps_arg = caps.to_str().unwrap();
    let e = run("caps.json", &cands, &["--k", "1", "--capacities", caps_arg]);
    assert!(e.contains("caps.csv:3:capacity: -3 is negative"), "{e}");
    let e = run("time.json", &cands, &["--k", "1", "--time-limit", "0"]);
    assert!(
        e.contains("--time-limit 0: expected a number of seconds > 0"),
        "{e}"
    );
    let e = run("empty.json", &empty, &["--k", "1"]);
    assert!(e.contains("empty.csv: no valid candidate site"), "{e}");
    // The same inputs, valid: a plan with its certificate, and a capacitated one.
    let out = dir.join("ok.json");
    let ok = |extra: &[&str]| {
        let st = Command::new(env!("CARGO_BIN_EXE_shuangquan"))
            .args(["place", "--k", "1", "--demand"])
            .arg(&demand)
            .arg("--candidates")
            .arg(&cands)
            .args(extra)
            .arg("--out")
            .arg(&out)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&st.stderr);
        assert!(st.status.success(), "{err}");
        serde_json::from_slice::<serde_json::Value>(&std::fs::read(&out).unwrap()).unwrap()
    };
    let v = ok(&[]);
    assert_eq!(v["proven_optimal"], true);
    assert_eq!(v["gap"].as_f64(), Some(0.0));
    assert_eq!(v["upper_bound"], v["covered_weight"]);
    std::fs::write(&caps, "id,capacity\nc1,40\n").unwrap();
    let v = ok(&["--capacities", caps_arg]);
    assert_eq!(v["mode"], "mclp_capacitated");
    assert_eq!(v["chosen"][0], "c1");
    assert_eq!(v["served_weight"].as_f64(), Some(40.0));
    assert_eq!(v["covered_weight"].as_f64(), Some(150.0));
    assert_eq!(v["over_capacity_weight"].as_f64(), Some(110.0));
    assert_eq!(v["load"][0]["capacity"].as_f64(), Some(40.0));
}

/// One large block (11–14 candidates, each covering about a third of its 20–30 points) and
/// one to three small ones (as in [`clustered`]), the candidates shuffled: after the pairs'
/// roots the large block is often the last one open, over several m.
fn one_large_block(seed: u64) -> CoverSets {
    let mut rng = Rng(seed);
    let mut weights = Vec::new();
    let mut covers: Vec<Vec<u32>> = Vec::new();
    for block in 0..2 + rng.below(3) {
        let first = weights.len() as u32;
        let (points, sites, share) = if block == 0 {
            (20 + rng.below(11) as u32, 11 + rng.below(4), 3)
        } else {
            (7 + rng.below(6) as u32, 3 + rng.below(4), 2)
        };
        weights.extend((0..points).map(|_| (1 + rng.below(9)) as f64));
        for _ in 0..sites {
            let cover: Vec<u32> = (first..first + points)
                .filter(|_| rng.below(share) == 0)
                .collect();
            covers.push(cover);
        }
    }
    for i in (1..covers.len()).rev() {
        covers.swap(i, rng.below(i as u64 + 1) as usize);
    }
    let fixed = (0..weights.len()).map(|_| rng.below(12) == 0).collect();
    CoverSets::from_matrix(weights, covers, fixed).unwrap()
}

#[test]
fn the_last_open_cluster_searched_for_all_its_m_at_once_proves_the_blockwise_optimum() {
    // The split search's one search over several m of a cluster (its core plus a candidate per
    // step of the others' best): proven, and equal to the block-by-block optimum (every
    // block's best with m sites by exhaustive search, then every allocation); searches cut
    // short still certify truly.
    let no_kicks = MclpOptions {
        kicks: 0,
        ..MclpOptions::default()
    };
    let mut searched = 0;
    for seed in 0..60 {
        let sets = integer_or_fractional(one_large_block(47_000 + seed), seed);
        for k in 3..=7 {
            let what = format!("large block seed {seed} k {k}");
            let best = blockwise_best(&sets, k);
            let full = mclp_within(&sets, k, &no_kicks, &mut || false);
            check_consistent(&sets, &full);
            check_certificate(&what, &full, best);
            assert!(full.proven_optimal, "{what}: not proven");
            assert!(close(full.covered_weight, best), "{what}");
            for limit in [2, 10, 50] {
                let mut calls = 0;
                let cut = mclp_within(&sets, k, &no_kicks, &mut || {
                    calls += 1;
                    calls > limit
                });
                check_consistent(&sets, &cut);
                check_certificate(&format!("{what} cut {limit}"), &cut, best);
            }
            searched += usize::from(full.nodes > 1);
        }
    }
    assert!(searched >= 60, "only {searched} searched past the root");
    eprintln!("one large block: {searched} of 300 searched past the root");
}
