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
use shuangquan::plan::place::{
    CoverOptions, CoverSets, MclpOptions, Plan, Why, cover_sets, lscp, mclp, mclp_sweep, mclp_with,
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
    let (f, b) = package_file("streets.geojson");
    let graph = WalkGraph::build(&import::import_streets(&f, &b, &o).items);
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
