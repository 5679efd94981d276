//! The planner's questions: where new stations should go (placement on the loaded candidate
//! sites and points chosen on the map, with the scenario's accepted sites counted as stations),
//! the scenario itself, and the figures of a scenario for a side-by-side comparison.
//!
//! The coverage matrix (one bounded reach per candidate) is kept between runs and rebuilt only
//! when the candidates, the stations, the demand or the walker change, so changing k or the
//! target re-solves in milliseconds.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use super::{Engine, EngineError};
use crate::plan::coverage;
use crate::plan::geom::LonLat;
use crate::plan::graph::WalkProfile;
use crate::plan::model::Station;
use crate::plan::place::report::{self, Goal, Sites};
use crate::plan::place::{
    CapacityPlan, CoverOptions, CoverSets, CoverSites, MclpOptions, Plan, Why, capacitated,
    cover_sets_with_points, lscp_within, mclp_within, solve,
};
use crate::plan::scenario::Site;

/// What the planner asked for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlaceParams {
    /// Walking-time threshold, minutes.
    pub minutes: f64,
    /// Walking speed, metres per minute.
    pub speed_m_per_min: f64,
    /// `Some(k)`: the k sites covering the most people (MCLP). `None`: the fewest sites
    /// reaching [`PlaceParams::target_share`] (LSCP-style).
    pub k: Option<usize>,
    /// Covered share to reach when `k` is `None` (0–1).
    pub target_share: f64,
    /// Host types of the loaded candidates to use (`""` = candidates without a type); empty:
    /// every loaded candidate.
    pub host_types: Vec<String>,
    /// Use the loaded candidate layers (package and imports).
    pub use_layers: bool,
    /// Points chosen on the map as further candidates.
    pub extra: Vec<Site>,
    /// Perturbations of the MCLP local optimum (see [`MclpOptions::kicks`]).
    pub kicks: usize,
    /// Seconds the exact search may run to prove the plan optimal or narrow its gap (read by
    /// the caller's clock in [`Engine::place_within`]).
    #[serde(default = "default_time_limit")]
    pub time_limit_s: f64,
    /// People each station (new and existing) can serve; `None`: no limit (plain coverage).
    #[serde(default)]
    pub capacity: Option<f64>,
    /// Existing stations may close: they compete with the candidates for a budget of their
    /// number plus k.
    #[serde(default)]
    pub allow_close: bool,
}

fn default_time_limit() -> f64 {
    2.0
}

/// Steps of the exact search [`Engine::place`] allows (a deterministic budget instead of a
/// clock).
const PLACE_STEPS: usize = 10_000;

impl Default for PlaceParams {
    /// 15 minutes at 60 m/min, k = 5, every loaded candidate, 100 kicks, a 2 s search, no
    /// capacities, existing stations kept.
    fn default() -> Self {
        Self {
            minutes: 15.0,
            speed_m_per_min: 60.0,
            k: Some(5),
            target_share: 0.9,
            host_types: Vec::new(),
            use_layers: true,
            extra: Vec::new(),
            kicks: MclpOptions::default().kicks,
            time_limit_s: default_time_limit(),
            capacity: None,
            allow_close: false,
        }
    }
}

/// One chosen site, in build order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChosenSite {
    /// 1-based build order.
    pub order: usize,
    /// The site.
    pub site: Site,
    /// People it newly covers, given the stations and the sites before it.
    pub gain: f64,
}

/// A placement answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlaceAnswer {
    /// Request number (set by the caller).
    pub seq: u64,
    /// What was asked.
    pub params: PlaceParams,
    /// The plan (indices into the candidate list of this run).
    pub plan: Plan,
    /// Chosen new sites in build order with their marginal gains (people served when
    /// capacitated).
    pub chosen: Vec<ChosenSite>,
    /// Existing stations the plan closes (when allowed).
    #[serde(default)]
    pub closed: Vec<Site>,
    /// The capacitated plan (served people, loads, who is over capacity), when capacities
    /// were given; `plan` then describes the coverage of the same sites, and its certificate
    /// (`upper_bound`, `gap`, `proven_optimal`) is this plan's, in people served.
    #[serde(default)]
    pub capacity: Option<CapacityPlan>,
    /// Candidates considered.
    pub candidates: usize,
    /// Candidates too far from the network to be reached.
    pub unreachable_candidates: usize,
    /// Stations counted as existing (package, imports and the scenario's accepted sites).
    pub stations: usize,
    /// Straight-line estimate (no walking network).
    pub estimate: bool,
    /// Uncovered people: no candidate within reach.
    pub uncovered_no_candidate: f64,
    /// Uncovered people: the budget ran out (or the target was met without them).
    pub uncovered_budget: f64,
    /// Uncovered people: off the network.
    pub uncovered_off_network: f64,
    /// Chosen sites as GeoJSON points (`order`, `id`, `name`, `gain`).
    pub sites_geojson: String,
    /// Demand points as GeoJSON with `s` (0 covered before, 1 newly covered, 2 uncovered:
    /// budget, 3 uncovered: no candidate in reach, 4 off network), `o` (order of the first
    /// chosen site covering it) and `w` (weight).
    pub demand_geojson: String,
    /// `plan.json`, as `shuangquan place --out plan.json` writes it.
    pub plan_json: String,
    /// The chosen sites GeoJSON, as `shuangquan place --out plan.geojson` writes it.
    pub plan_geojson: String,
    /// Whether the coverage matrix was reused from the previous run.
    pub matrix_reused: bool,
    /// Milliseconds (set by the caller).
    pub compute_ms: f64,
}

/// A scenario's figures for a side-by-side comparison.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScenarioFigures {
    /// Sites the scenario adds.
    pub added: usize,
    /// Stations in all (existing + added).
    pub stations: usize,
    /// Population.
    pub population: f64,
    /// Share within the station threshold (employment circle).
    pub employment_share: f64,
    /// Share in the convenience circle.
    pub convenience_share: f64,
    /// Share in the 双圈.
    pub dual_share: f64,
    /// People beyond the station threshold.
    pub lacking_station: f64,
    /// Straight-line estimate.
    pub estimate: bool,
    /// The compound setting of the network the figures were computed on.
    #[serde(default)]
    pub compounds: crate::plan::graph::Compounds,
    /// Network edits of the scenario the figures were computed on.
    #[serde(default)]
    pub network_edits: usize,
}

/// What a coverage matrix was built from.
#[derive(Debug, Clone, PartialEq)]
struct Key {
    minutes: f64,
    speed: f64,
    candidates: Vec<LonLat>,
    stations: Vec<LonLat>,
    demand: usize,
    /// Existing stations appended as candidates ([`cover_sets_closable`]).
    closable: bool,
}

/// The last placement's matrix.
#[derive(Debug)]
pub(super) struct Cache {
    key: Key,
    sets: CoverSets,
}

fn site_station(s: &Site) -> Station {
    Station {
        id: s.id.clone(),
        name: if s.name.is_empty() {
            s.id.clone()
        } else {
            s.name.clone()
        },
        pos_wgs84: LonLat::new(s.lon, s.lat),
        address: None,
        host_type: s.host_type.clone(),
        services: Vec::new(),
        hours: None,
    }
}

impl Engine {
    /// Rebuilds the station list every analysis uses: loaded stations, then the scenario's.
    pub(super) fn refresh_stations(&mut self) {
        self.stations = self
            .layers
            .stations
            .iter()
            .chain(&self.scenario)
            .cloned()
            .collect();
    }

    /// Sets the scenario's accepted sites; every later analysis counts them as stations.
    pub fn set_scenario(&mut self, sites: &[Site]) {
        self.scenario = sites.iter().map(site_station).collect();
        self.refresh_stations();
        self.nearby = None;
    }

    /// Loaded candidates by host type (`""`: no type), with counts, by type.
    pub fn host_types(&self) -> Vec<(String, usize)> {
        let mut out: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
        for c in &self.layers.candidates {
            *out.entry(c.host_type.clone().unwrap_or_default())
                .or_default() += 1;
        }
        out.into_iter().collect()
    }

    /// The candidate sites of a run: the loaded candidates of the chosen host types, then the
    /// map points; sites already accepted into the scenario (same id) are left out.
    pub fn candidate_sites(&self, p: &PlaceParams) -> Vec<Site> {
        let accepted = |id: &str| self.scenario.iter().any(|s| s.id == id);
        let mut out: Vec<Site> = Vec::new();
        if p.use_layers {
            for c in &self.layers.candidates {
                let host = c.host_type.as_deref().unwrap_or("");
                if (!p.host_types.is_empty() && !p.host_types.iter().any(|h| h == host))
                    || accepted(&c.id)
                {
                    continue;
                }
                out.push(Site {
                    id: c.id.clone(),
                    name: c.name.clone().unwrap_or_else(|| c.id.clone()),
                    lon: c.pos_wgs84.lon,
                    lat: c.pos_wgs84.lat,
                    host_type: c.host_type.clone(),
                });
            }
        }
        out.extend(p.extra.iter().filter(|s| !accepted(&s.id)).cloned());
        out
    }

    /// The coverage matrix of `key`'s candidates and stations over the loaded demand, from the
    /// demand points kept for the oracle. `progress(done, total)` per candidate.
    fn cover_matrix(&self, key: &Key, progress: &mut dyn FnMut(usize, usize)) -> CoverSets {
        let demand: Vec<(LonLat, f64)> = self
            .layers
            .demand
            .iter()
            .map(|d| (d.pos_wgs84, d.weight))
            .collect();
        let opts = CoverOptions {
            minutes: key.minutes,
            profile: WalkProfile::with_speed(key.speed),
            snap: self.snap,
        };
        let sites = CoverSites {
            candidates: &key.candidates,
            existing: &key.stations,
            closable: key.closable,
        };
        let points = self.demand_points();
        cover_sets_with_points(
            self.graph.as_deref(),
            &demand,
            Some(&points),
            sites,
            &opts,
            progress,
        )
    }

    /// Chooses new station sites. `progress(done, total)` is called per candidate while the
    /// coverage matrix is built (not at all when it is reused). The exact search gets a fixed
    /// number of steps; [`Engine::place_within`] gives it a clock instead.
    ///
    /// # Errors
    /// Invalid parameters, no demand or no candidates.
    pub fn place(
        &mut self,
        p: &PlaceParams,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<PlaceAnswer, EngineError> {
        let mut steps = 0;
        self.place_within(p, progress, &mut || {
            steps += 1;
            steps > PLACE_STEPS
        })
    }

    /// [`Engine::place`] with the exact search stopped when `out_of_time()` says so (the
    /// caller's clock and [`PlaceParams::time_limit_s`]: the core reads no clock).
    ///
    /// # Errors
    /// Invalid parameters, no demand or no candidates.
    pub fn place_within(
        &mut self,
        p: &PlaceParams,
        progress: &mut dyn FnMut(usize, usize),
        out_of_time: &mut dyn FnMut() -> bool,
    ) -> Result<PlaceAnswer, EngineError> {
        if !(p.minutes.is_finite() && p.minutes > 0.0 && p.minutes <= 120.0) {
            return Err(EngineError::InvalidMinutes { minutes: p.minutes });
        }
        if !(p.speed_m_per_min.is_finite() && p.speed_m_per_min > 0.0) {
            return Err(EngineError::InvalidSpeed {
                m_per_min: p.speed_m_per_min,
            });
        }
        if p.k.is_none() && !(0.0..=1.0).contains(&p.target_share) {
            return Err(EngineError::InvalidShare {
                share: p.target_share,
            });
        }
        if !(p.time_limit_s.is_finite() && p.time_limit_s > 0.0) {
            return Err(EngineError::InvalidTimeLimit {
                seconds: p.time_limit_s,
            });
        }
        if let Some(c) = p.capacity
            && (c.is_nan() || c < 0.0)
        {
            return Err(EngineError::InvalidCapacity { capacity: c });
        }
        if self.layers.demand.is_empty() {
            return Err(EngineError::NoDemand);
        }
        let sites = self.candidate_sites(p);
        if sites.is_empty() {
            return Err(EngineError::NoCandidates);
        }
        if let Some(k) = p.k
            && k > sites.len()
        {
            return Err(EngineError::TooManySites {
                k,
                candidates: sites.len(),
            });
        }
        let closable = p.allow_close || p.capacity.is_some();
        let key = Key {
            minutes: p.minutes,
            speed: p.speed_m_per_min,
            candidates: sites.iter().map(|s| LonLat::new(s.lon, s.lat)).collect(),
            stations: self.stations.iter().map(|s| s.pos_wgs84).collect(),
            demand: self.layers.demand.len(),
            closable,
        };
        let reused = self.place_cache.as_ref().is_some_and(|c| c.key == key);
        if !reused {
            let sets = self.cover_matrix(&key, progress);
            self.place_cache = Some(Cache { key, sets });
        }
        let Some(cache) = self.place_cache.as_ref() else {
            return Err(EngineError::Internal {
                what: "no coverage matrix".to_owned(),
            });
        };
        let sets = &cache.sets;
        let n_new = sites.len();
        // Every site of the matrix: the candidates, then (closable) the existing stations.
        let mut all_sites = sites.clone();
        if closable {
            all_sites.extend(self.stations.iter().map(|s| Site {
                id: s.id.clone(),
                name: s.name.clone(),
                lon: s.pos_wgs84.lon,
                lat: s.pos_wgs84.lat,
                host_type: s.host_type.clone(),
            }));
        }
        let table = Sites {
            ids: all_sites.iter().map(|s| s.id.clone()).collect(),
            names: all_sites.iter().map(|s| Some(s.name.clone())).collect(),
            pos: all_sites
                .iter()
                .map(|s| LonLat::new(s.lon, s.lat))
                .collect(),
        };
        let budget = |k: usize| {
            if closable && p.allow_close {
                k + sets.closable_existing
            } else {
                k
            }
        };
        let mut cap_plan = None;
        let (goal, plan) = match (p.k, p.capacity) {
            (Some(k), Some(c)) => {
                let caps = vec![c; sets.candidate_len()];
                let cp = capacitated(sets, &caps, k, p.allow_close, out_of_time).map_err(|e| {
                    EngineError::Internal {
                        what: e.to_string(),
                    }
                })?;
                let open: Vec<usize> = cp.load.iter().map(|l| l.0).collect();
                let mut plan = solve::plan_for_set(sets, &open);
                plan.upper_bound = cp.upper_bound;
                plan.gap = cp.gap;
                plan.proven_optimal = cp.proven_optimal;
                plan.nodes = cp.nodes;
                cap_plan = Some(cp);
                (Goal::K(k), plan)
            }
            (Some(k), None) => (
                Goal::K(k),
                mclp_within(
                    sets,
                    budget(k),
                    &MclpOptions {
                        kicks: p.kicks,
                        ..MclpOptions::default()
                    },
                    out_of_time,
                ),
            ),
            (None, _) => (
                Goal::TargetShare(p.target_share),
                lscp_within(sets, p.target_share, out_of_time),
            ),
        };
        let internal = |what: String| EngineError::Internal { what };
        let plan_json = match &cap_plan {
            Some(cp) => report::capacity_json(p.k.unwrap_or(0), p.allow_close, sets, cp, &table)
                .map_err(internal)?,
            None => report::plan_json(goal, sets, &plan, &table).map_err(internal)?,
        };
        let plan_geojson = report::plan_geojson(&plan, &table).map_err(internal)?;
        let new_with_gain: Vec<(usize, f64)> = match &cap_plan {
            Some(cp) => cp
                .chosen
                .iter()
                .copied()
                .zip(cp.marginal_gains.iter().copied())
                .collect(),
            None => plan
                .chosen
                .iter()
                .copied()
                .zip(plan.marginal_gains.iter().copied())
                .filter(|&(c, _)| c < n_new)
                .collect(),
        };
        let chosen: Vec<ChosenSite> = new_with_gain
            .iter()
            .enumerate()
            .map(|(i, &(c, gain))| ChosenSite {
                order: i + 1,
                site: all_sites[c].clone(),
                gain,
            })
            .collect();
        let closed = if p.allow_close {
            plan.closed.iter().map(|&c| all_sites[c].clone()).collect()
        } else {
            Vec::new()
        };
        let (no_cand, budget_w, off) = plan.uncovered_weight_by_reason();
        Ok(PlaceAnswer {
            seq: 0,
            params: p.clone(),
            sites_geojson: sites_geojson(&chosen),
            demand_geojson: self.demand_geojson(sets, &plan, n_new),
            candidates: sites.len(),
            unreachable_candidates: sets.unreachable_candidates.len(),
            stations: self.stations.len(),
            estimate: sets.estimate,
            uncovered_no_candidate: no_cand,
            uncovered_budget: budget_w,
            uncovered_off_network: off,
            plan,
            chosen,
            closed,
            capacity: cap_plan,
            plan_json,
            plan_geojson,
            matrix_reused: reused,
            compute_ms: 0.0,
        })
    }

    /// Demand points coloured by what the plan does for them (`n_new`: candidates before the
    /// existing stations appended to a closable matrix).
    fn demand_geojson(&self, sets: &CoverSets, plan: &Plan, n_new: usize) -> String {
        let n = self.layers.demand.len();
        // 0 before, 1 newly (with order), 2–4 uncovered by reason.
        let mut status: Vec<(u8, usize)> = vec![(3, 0); n];
        for (d, f) in sets.fixed.iter().enumerate() {
            if *f {
                status[d] = (0, 0);
            }
        }
        for &c in plan.chosen.iter().filter(|&&c| c >= n_new) {
            for &d in &sets.covers[c] {
                if let Some(s) = status.get_mut(d as usize) {
                    *s = (0, 0);
                }
            }
        }
        for (i, &c) in plan.chosen.iter().filter(|&&c| c < n_new).enumerate() {
            for &d in &sets.covers[c] {
                let d = d as usize;
                if d < n && status[d].0 == 3 {
                    status[d] = (1, i + 1);
                }
            }
        }
        for u in &plan.uncovered {
            let d = u.demand as usize;
            if d < n && status[d].0 == 3 {
                status[d].0 = match u.why {
                    Why::BudgetExhausted => 2,
                    Why::NoCandidateInReach => 3,
                    Why::OffNetwork => 4,
                };
            }
        }
        let mut gj = String::from(r#"{"type":"FeatureCollection","features":["#);
        for (i, (d, (s, o))) in self.layers.demand.iter().zip(&status).enumerate() {
            if i > 0 {
                gj.push(',');
            }
            let _ = write!(
                gj,
                r#"{{"type":"Feature","geometry":{{"type":"Point","coordinates":[{:.6},{:.6}]}},"properties":{{"i":{i},"s":{s},"o":{o},"w":{:.1}}}}}"#,
                d.pos_wgs84.lon, d.pos_wgs84.lat, d.weight
            );
        }
        gj.push_str("]}");
        gj
    }

    /// The figures of the loaded data with `sites` added as stations (the scenario currently
    /// set is not counted: pass its sites to compare it).
    ///
    /// # Errors
    /// Invalid parameters, or no demand points loaded.
    pub fn scenario_figures(
        &self,
        sites: &[Site],
        params: &coverage::Params,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<ScenarioFigures, EngineError> {
        self.figures_on_with(self.graph.as_deref(), sites, params, progress)
    }

    /// [`Engine::scenario_figures`] on a given network (a scenario's own).
    pub(super) fn figures_on(
        &self,
        graph: Option<&crate::plan::graph::WalkGraph>,
        sites: &[Site],
        params: &coverage::Params,
    ) -> Result<ScenarioFigures, EngineError> {
        self.figures_on_with(graph, sites, params, &mut |_, _| {})
    }

    fn figures_on_with(
        &self,
        graph: Option<&crate::plan::graph::WalkGraph>,
        sites: &[Site],
        params: &coverage::Params,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<ScenarioFigures, EngineError> {
        let stations: Vec<LonLat> = self
            .layers
            .stations
            .iter()
            .map(|s| s.pos_wgs84)
            .chain(sites.iter().map(|s| LonLat::new(s.lon, s.lat)))
            .collect();
        let cov = self.assess_on(graph, &stations, params, progress)?;
        let city = cov.city();
        Ok(ScenarioFigures {
            added: sites.len(),
            stations: stations.len(),
            population: city.population,
            employment_share: city.employment_share,
            convenience_share: city.convenience_share,
            dual_share: city.dual_share,
            lacking_station: city.lacking_station,
            estimate: cov.estimate,
            compounds: graph.map_or_else(Default::default, |g| g.rules().compounds),
            network_edits: 0,
        })
    }
}

/// Chosen sites as numbered points.
fn sites_geojson(chosen: &[ChosenSite]) -> String {
    let features: Vec<serde_json::Value> = chosen
        .iter()
        .map(|c| {
            serde_json::json!({
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [c.site.lon, c.site.lat]},
                "properties": {"order": c.order, "i": c.order - 1, "id": c.site.id, "name": c.site.name, "gain": c.gain},
            })
        })
        .collect();
    serde_json::json!({"type": "FeatureCollection", "features": features}).to_string()
}
