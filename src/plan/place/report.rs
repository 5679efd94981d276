//! The written forms of a placement [`Plan`]: `plan.json` (figures, chosen ids in build order,
//! uncovered demand by reason) and a GeoJSON of the chosen sites. The CLI (`shuangquan place
//! --out`) and the app's "export plan" write the same bytes through these functions.

use serde::Serialize;

use super::{CoverSets, Plan, Why};
use crate::plan::geom::LonLat;

/// Candidate ids, names and positions, by candidate index.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sites {
    /// Stable ids.
    pub ids: Vec<String>,
    /// Display names, when known.
    pub names: Vec<Option<String>>,
    /// Positions (WGS-84); may be empty when only a matrix was read.
    pub pos: Vec<LonLat>,
}

/// What was asked: `k` sites (MCLP) or the fewest sites for a share (LSCP).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Goal {
    /// Maximal covering with this many new sites.
    K(usize),
    /// Set covering: the fewest sites reaching this covered share (0–1).
    TargetShare(f64),
}

/// Uncovered demand of one reason.
#[derive(Serialize)]
struct Tally {
    points: usize,
    weight: f64,
}

#[derive(Serialize)]
struct Uncovered {
    no_candidate_in_reach: Tally,
    budget_exhausted: Tally,
    off_network: Tally,
}

/// `plan.json`.
#[derive(Serialize)]
struct PlanFile<'a> {
    mode: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    k: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    target_share: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    target_met: Option<bool>,
    minutes: f64,
    speed_m_per_min: f64,
    coverage: &'static str,
    chosen: Vec<&'a str>,
    chosen_names: Vec<Option<&'a str>>,
    marginal_gains: Vec<f64>,
    before_weight: f64,
    existing_weight: f64,
    covered_weight: f64,
    total_weight: f64,
    share_before: f64,
    share_after: f64,
    swaps: usize,
    budget_left: usize,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    closed: Vec<&'a str>,
    demand_points: usize,
    candidates: usize,
    unreachable_candidates: usize,
    uncovered: Uncovered,
}

/// `plan.json`: the goal, threshold and walker, chosen ids and names in build order, marginal
/// gains, weights and shares before/after, and uncovered demand by reason. Pretty JSON with a
/// final newline; deterministic.
///
/// # Errors
/// A chosen index outside `sites` (the plan does not belong to these sites).
pub fn plan_json(
    goal: Goal,
    sets: &CoverSets,
    plan: &Plan,
    sites: &Sites,
) -> Result<String, String> {
    let n = sites.ids.len();
    if let Some(&c) = plan.chosen.iter().chain(&plan.closed).find(|&&c| c >= n) {
        return Err(format!("candidate {c} is not among the {n} sites"));
    }
    let tally = |why: Why| {
        let mut t = Tally {
            points: 0,
            weight: 0.0,
        };
        for u in plan.uncovered.iter().filter(|u| u.why == why) {
            t.points += 1;
            t.weight += u.weight;
        }
        t
    };
    let (mode, k, target_share) = match goal {
        Goal::K(k) => ("mclp", Some(k), None),
        Goal::TargetShare(s) => ("lscp", None, Some(s)),
    };
    let file = PlanFile {
        mode,
        k,
        target_share,
        target_met: plan.target_met,
        minutes: sets.minutes,
        speed_m_per_min: sets.speed_m_per_min,
        coverage: if sets.estimate {
            "straight_line_estimate"
        } else {
            "walking_network"
        },
        chosen: plan.chosen.iter().map(|&c| sites.ids[c].as_str()).collect(),
        chosen_names: plan
            .chosen
            .iter()
            .map(|&c| sites.names.get(c).and_then(Option::as_deref))
            .collect(),
        marginal_gains: plan.marginal_gains.clone(),
        before_weight: plan.before_weight,
        existing_weight: plan.existing_weight,
        covered_weight: plan.covered_weight,
        total_weight: plan.total_weight,
        share_before: plan.share_before,
        share_after: plan.share_after,
        swaps: plan.swaps,
        budget_left: plan.budget_left,
        closed: plan.closed.iter().map(|&c| sites.ids[c].as_str()).collect(),
        demand_points: sets.demand_len(),
        candidates: sets.candidate_len(),
        unreachable_candidates: sets.unreachable_candidates.len(),
        uncovered: Uncovered {
            no_candidate_in_reach: tally(Why::NoCandidateInReach),
            budget_exhausted: tally(Why::BudgetExhausted),
            off_network: tally(Why::OffNetwork),
        },
    };
    serde_json::to_string_pretty(&file)
        .map(|s| s + "\n")
        .map_err(|e| e.to_string())
}

/// The chosen sites as GeoJSON points with `order` (1-based build order), `id`, `name` and
/// `marginal_gain`. Pretty JSON with a final newline; deterministic.
///
/// # Errors
/// The sites have no positions (a matrix read without them), or a chosen index is outside.
pub fn plan_geojson(plan: &Plan, sites: &Sites) -> Result<String, String> {
    if sites.pos.len() != sites.ids.len() {
        return Err("the candidate sites have no positions: write .json instead".to_owned());
    }
    let mut features = Vec::with_capacity(plan.chosen.len());
    for (i, (&c, &gain)) in plan.chosen.iter().zip(&plan.marginal_gains).enumerate() {
        let Some(p) = sites.pos.get(c) else {
            return Err(format!(
                "candidate {c} is not among the {} sites",
                sites.ids.len()
            ));
        };
        features.push(serde_json::json!({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [p.lon, p.lat]},
            "properties": {
                "order": i + 1,
                "id": sites.ids[c],
                "name": sites.names.get(c).cloned().flatten(),
                "marginal_gain": gain,
            },
        }));
    }
    let fc = serde_json::json!({"type": "FeatureCollection", "features": features});
    serde_json::to_string_pretty(&fc)
        .map(|s| s + "\n")
        .map_err(|e| e.to_string())
}
