//! The written forms of a placement [`Plan`]: `plan.json` (figures, chosen ids in build order,
//! uncovered demand by reason) and a GeoJSON of the chosen sites. The CLI (`shuangquan place
//! --out`) and the app's "export plan" write the same bytes through these functions.

use serde::Serialize;

use super::{CapacityPlan, CoverSets, Plan, Why};
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

/// The fields every `plan.json` shares: threshold, walker, coverage kind, chosen ids and names.
#[derive(Serialize)]
struct Common<'a> {
    minutes: f64,
    speed_m_per_min: f64,
    /// The network's compound setting (`closed` / `open`; null without a network).
    compounds: Option<crate::plan::graph::Compounds>,
    coverage: &'static str,
    chosen: Vec<&'a str>,
    chosen_names: Vec<Option<&'a str>>,
}

fn common<'a>(sets: &CoverSets, chosen: &[usize], sites: &'a Sites) -> Common<'a> {
    Common {
        minutes: sets.minutes,
        speed_m_per_min: sets.speed_m_per_min,
        compounds: sets.compounds,
        coverage: if sets.estimate {
            "straight_line_estimate"
        } else {
            "walking_network"
        },
        chosen: chosen.iter().map(|&c| sites.ids[c].as_str()).collect(),
        chosen_names: chosen
            .iter()
            .map(|&c| sites.names.get(c).and_then(Option::as_deref))
            .collect(),
    }
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
    #[serde(flatten)]
    common: Common<'a>,
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
    upper_bound: f64,
    gap: f64,
    proven_optimal: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    sites_lower_bound: Option<usize>,
    search_nodes: usize,
    demand_points: usize,
    candidates: usize,
    unreachable_candidates: usize,
    uncovered: Uncovered,
}

/// `plan.json`: the goal, threshold and walker, chosen ids and names in build order, marginal
/// gains, weights and shares before/after, the certificate (`upper_bound` on the coverable
/// weight with as many sites, existing coverage included; `gap` = 1 − covered / upper_bound;
/// `proven_optimal`; for LSCP `sites_lower_bound`), and uncovered demand by reason. Pretty JSON with a
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
        common: common(sets, &plan.chosen, sites),
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
        upper_bound: plan.upper_bound,
        gap: plan.gap,
        proven_optimal: plan.proven_optimal,
        sites_lower_bound: plan.sites_lower_bound,
        search_nodes: plan.nodes,
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

/// One open station of a capacitated plan.
#[derive(Serialize)]
struct Load<'a> {
    id: &'a str,
    people: f64,
    /// `null`: no limit.
    capacity: Option<f64>,
}

/// One demand point covered but not fully served.
#[derive(Serialize)]
struct Over {
    /// 0-based index in the demand layer.
    demand_index: u32,
    people: f64,
}

/// `plan.json` of a capacitated plan.
#[derive(Serialize)]
struct CapacityFile<'a> {
    mode: &'static str,
    k: usize,
    allow_close: bool,
    #[serde(flatten)]
    common: Common<'a>,
    marginal_gains: Vec<f64>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    closed: Vec<&'a str>,
    served_before: f64,
    served_weight: f64,
    covered_weight: f64,
    over_capacity_weight: f64,
    total_weight: f64,
    upper_bound: f64,
    gap: f64,
    proven_optimal: bool,
    search_nodes: usize,
    load: Vec<Load<'a>>,
    over_capacity: Vec<Over>,
}

/// `plan.json` of a capacitated plan ([`CapacityPlan`]): chosen ids in build order with the
/// people each lets the network serve, stations closed, served / covered / over-capacity
/// people, the certificate (`upper_bound` on the people served, `gap`, `proven_optimal`),
/// each open station's load and capacity, and the demand points covered but over capacity.
/// `sites` names every site of `sets`, existing stations (the last ones) included.
///
/// # Errors
/// A site index outside `sites`.
pub fn capacity_json(
    k: usize,
    allow_close: bool,
    sets: &CoverSets,
    plan: &CapacityPlan,
    sites: &Sites,
) -> Result<String, String> {
    let n = sites.ids.len();
    let load_ids = plan.load.iter().map(|l| &l.0);
    if let Some(&c) = plan
        .chosen
        .iter()
        .chain(&plan.closed)
        .chain(load_ids)
        .find(|&&c| c >= n)
    {
        return Err(format!("site {c} is not among the {n} sites"));
    }
    let file = CapacityFile {
        mode: "mclp_capacitated",
        k,
        allow_close,
        common: common(sets, &plan.chosen, sites),
        marginal_gains: plan.marginal_gains.clone(),
        closed: plan.closed.iter().map(|&c| sites.ids[c].as_str()).collect(),
        served_before: plan.served_before,
        served_weight: plan.served_weight,
        covered_weight: plan.covered_weight,
        over_capacity_weight: plan.over_capacity_weight,
        total_weight: plan.total_weight,
        upper_bound: plan.upper_bound,
        gap: plan.gap,
        proven_optimal: plan.proven_optimal,
        search_nodes: plan.nodes,
        load: plan
            .load
            .iter()
            .map(|&(c, people, cap)| Load {
                id: sites.ids[c].as_str(),
                people,
                capacity: cap.is_finite().then_some(cap),
            })
            .collect(),
        over_capacity: plan
            .over_capacity
            .iter()
            .map(|o| Over {
                demand_index: o.demand,
                people: o.people,
            })
            .collect(),
    };
    serde_json::to_string_pretty(&file)
        .map(|s| s + "\n")
        .map_err(|e| e.to_string())
}
