//! Supply–demand matching in depth (供需比): is there **enough** within a walk, not only one.
//!
//! - [`fca`]: 2SFCA and E2SFCA ratios on network walking time, and every supply point within
//!   reach per demand point (not only the nearest).
//! - [`standards`]: the presets of per-target walking times (GB 50180-2018, MOFCOM 2021,
//!   Qingdao 2025 双圈, custom) with their citations.
//! - [`surface`]: the accessibility surface, a regular grid of minutes to the nearest station
//!   and each category, categories within their threshold, and a gravity score.
//! - `write`: the report and per-point files.
//!
//! [`compute`] runs the dual-circle assessment for the units (community, 街道, district, city)
//! and then one floating-catchment pass per target, with the target's threshold as catchment.
//! Per unit and target: the population-weighted mean accessibility, people with nothing within
//! reach, the mean number of supply points within reach, and — against a target ratio `r*` in
//! capacity units per person — the **shortfall in people** `Σ_i P_i · max(0, 1 − A_i / r*)`
//! (people whose share of the supply within reach falls short, counted point by point so that a
//! surplus in one place does not hide a lack in another). Points that could not join the network
//! count with accessibility 0. Cost: the assessment plus one pass per target (see [`fca`]).

pub mod fca;
pub mod standards;
pub mod surface;
mod write;

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::coverage::{self, Coverage};
use super::geom::LonLat;
use super::graph::{SnapOptions, WalkGraph, WalkProfile};
use super::import::Capacity;
use super::model::{Category, Community, DemandPoint, Facility, Station};

pub use fca::{BAND_WEIGHTS, Method, Ratios, Supply, UnknownMethod, Walker};
pub use standards::{Standard, UnknownStandard};
pub use surface::{Surface, SurfaceParams};

/// What a ratio is computed for: the employment stations or one facility category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    /// 就享家 stations.
    Station,
    /// Facilities of one category.
    Category(Category),
}

impl Target {
    /// Stable id: `station` or the category id.
    pub const fn id(self) -> &'static str {
        match self {
            Self::Station => "station",
            Self::Category(c) => c.id(),
        }
    }

    /// The target's threshold (its catchment), minutes.
    pub fn minutes(self, t: &coverage::Thresholds) -> f64 {
        match self {
            Self::Station => t.station(),
            Self::Category(c) => t.category(c),
        }
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl FromStr for Target {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let k = s.trim();
        if k == "station" || k == "服务站" {
            return Ok(Self::Station);
        }
        k.parse::<Category>().map(Self::Category).map_err(|_| {
            let ids: Vec<&str> = Category::ALL.iter().map(|c| c.id()).collect();
            format!("unknown target {k:?} (station, {})", ids.join(", "))
        })
    }
}

/// Why an access computation could not run. Nothing is computed half-way: an error means no
/// result.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
#[non_exhaustive]
pub enum AccessError {
    /// The assessment's parameters (speed, thresholds …) are invalid; the message names them.
    #[error("{0}")]
    Params(String),
    /// A target ratio that is not a positive number.
    #[error("target ratio {value} for {target} is not a positive number")]
    TargetRatio {
        /// The target.
        target: Target,
        /// The value given.
        value: f64,
    },
    /// No demand points are loaded.
    #[error("no demand points are loaded: import a demand layer (lon, lat, weight)")]
    NoDemand,
    /// The surface needs a street network.
    #[error("the accessibility surface needs a street network; this package has none")]
    NoNetwork,
    /// A cell size that is not a positive number of metres.
    #[error("cell size {0} m is not a positive number of metres")]
    CellSize(f64),
    /// A cell size that gives too many cells.
    #[error("cell size {cell_m} m gives {cells} cells, more than the limit of {limit}")]
    TooManyCells {
        /// The cell size, metres.
        cell_m: f64,
        /// Cells it would give.
        cells: u64,
        /// The limit.
        limit: u64,
    },
}

/// How the ratios are computed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Params {
    /// 2SFCA or E2SFCA.
    pub method: Method,
    /// The preset the thresholds came from (recorded in every export).
    pub standard: Standard,
    /// The assessment's parameters: thresholds (the catchments), speed, snapping.
    pub coverage: coverage::Params,
    /// Target ratios, capacity units per person, per target (e.g. 托位 4.5 per 1,000 people:
    /// `childcare` 0.0045).
    pub target_ratios: Vec<(Target, f64)>,
    /// Share of the population aged 60+ (0–1), when known (a package's census age shares):
    /// the report then gives the elderly covered at the elderly pace.
    pub elderly_share: Option<f64>,
    /// The elderly pace, metres per minute (default 45: [`WalkProfile::ELDERLY`]).
    pub elderly_speed_m_per_min: f64,
}

impl Default for Params {
    fn default() -> Self {
        Self {
            method: Method::TwoStep,
            standard: Standard::Qingdao2025,
            coverage: coverage::Params {
                thresholds: Standard::Qingdao2025.thresholds(),
                ..coverage::Params::default()
            },
            target_ratios: Vec::new(),
            elderly_share: None,
            elderly_speed_m_per_min: WalkProfile::ELDERLY.speed_m_per_min,
        }
    }
}

impl Params {
    /// Checks the parameters; the message names the offending one.
    ///
    /// # Errors
    /// See [`coverage::Params::validate`]; a target ratio that is not positive and finite.
    pub fn validate(&self) -> Result<(), AccessError> {
        self.coverage.validate().map_err(AccessError::Params)?;
        if let Some(x) = self.elderly_share
            && !(0.0..=1.0).contains(&x)
        {
            return Err(AccessError::Params(format!(
                "elderly share {x} is not within 0..1"
            )));
        }
        if !(self.elderly_speed_m_per_min.is_finite() && self.elderly_speed_m_per_min > 0.0) {
            return Err(AccessError::Params(format!(
                "elderly speed {} m/min is not a walking speed",
                self.elderly_speed_m_per_min
            )));
        }
        for (target, value) in &self.target_ratios {
            if !(value.is_finite() && *value > 0.0) {
                return Err(AccessError::TargetRatio {
                    target: *target,
                    value: *value,
                });
            }
        }
        Ok(())
    }

    /// The target ratio of `t`, if one is set.
    pub fn target_ratio(&self, t: Target) -> Option<f64> {
        self.target_ratios
            .iter()
            .rev()
            .find(|(x, _)| *x == t)
            .map(|(_, r)| *r)
    }
}

/// What is assessed (borrowed).
#[derive(Debug, Clone, Copy)]
pub struct Inputs<'a> {
    /// Demand points (population weights).
    pub demand: &'a [DemandPoint],
    /// Employment service stations.
    pub stations: &'a [Station],
    /// Facilities of every category.
    pub facilities: &'a [Facility],
    /// Communities and higher units.
    pub communities: &'a [Community],
    /// Capacities by id (1 when absent).
    pub capacity: &'a Capacity,
}

/// One target's figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TargetReport {
    /// The target.
    pub target: Target,
    /// Supply point ids, in input order.
    pub supply_ids: Vec<String>,
    /// Their capacities.
    pub capacity: Vec<f64>,
    /// The ratios.
    pub ratios: Ratios,
    /// The target ratio, when set.
    pub target_ratio: Option<f64>,
}

/// One unit's figures for one target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitFigures {
    /// Population.
    pub population: f64,
    /// Population-weighted mean accessibility (capacity units per person).
    pub mean_ratio: f64,
    /// People with no supply point within reach.
    pub people_none_within: f64,
    /// Population-weighted mean number of supply points within reach.
    pub mean_count_within: f64,
    /// Shortfall in people against the target ratio (None without a target ratio).
    pub shortfall_people: Option<f64>,
}

/// One unit's elderly figures: the people aged 60+ (the unit's population × the census share,
/// assumed uniform) and the shares of them covered at the elderly pace.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ElderlyFigures {
    /// People aged 60+ (estimate).
    pub people: f64,
    /// Share in the convenience circle at the elderly pace.
    pub convenience_share: f64,
    /// Share in the 双圈 at the elderly pace.
    pub dual_share: f64,
}

/// The supply–demand assessment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Access {
    /// The parameters used.
    pub params: Params,
    /// Per target: stations first, then the assessed categories.
    pub targets: Vec<TargetReport>,
    /// The dual-circle assessment (its units are the report's rows).
    pub coverage: Coverage,
    /// Per unit (aligned with `coverage.units`), per target (aligned with `targets`).
    pub units: Vec<Vec<UnitFigures>>,
    /// Per unit (aligned with `coverage.units`): the elderly at the elderly pace, when the
    /// share aged 60+ is known.
    pub elderly: Option<Vec<ElderlyFigures>>,
}

/// Runs the assessment: the dual-circle units, then one floating-catchment pass per target.
/// `progress(done, total)` is called after each pass.
///
/// # Errors
/// Invalid parameters, or no demand points.
pub fn compute(
    graph: Option<&WalkGraph>,
    inputs: Inputs<'_>,
    params: &Params,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Access, AccessError> {
    params.validate()?;
    if inputs.demand.is_empty() {
        return Err(AccessError::NoDemand);
    }
    let station_pos: Vec<LonLat> = inputs.stations.iter().map(|s| s.pos_wgs84).collect();
    // The dual-circle assessment at a given pace (its units are the report's rows).
    let assess = |profile: WalkProfile| {
        coverage::compute(
            graph,
            coverage::Inputs {
                demand: inputs.demand,
                stations: &station_pos,
                facilities: inputs.facilities,
                communities: inputs.communities,
                postings: &[],
            },
            &coverage::Params {
                speed_m_per_min: profile.speed_m_per_min,
                avoid_steps: profile.avoid_steps,
                snap: SnapOptions {
                    avoid_steps: profile.avoid_steps,
                    ..params.coverage.snap
                },
                ..params.coverage.clone()
            },
            &mut |_, _| {},
        )
        .map_err(AccessError::Params)
    };
    let walker_profile = WalkProfile {
        speed_m_per_min: params.coverage.speed_m_per_min,
        avoid_steps: params.coverage.avoid_steps,
    };
    let cov = assess(walker_profile)?;
    let mut targets: Vec<Target> = vec![Target::Station];
    targets.extend(cov.categories.iter().map(|c| Target::Category(*c)));
    let total = targets.len();

    let demand: Vec<(LonLat, f64)> = inputs
        .demand
        .iter()
        .map(|d| (d.pos_wgs84, d.weight))
        .collect();
    let mut walker = Walker::new(
        graph,
        &demand,
        walker_profile,
        SnapOptions {
            avoid_steps: walker_profile.avoid_steps,
            ..params.coverage.snap
        },
    );
    let mut reports = Vec::with_capacity(total);
    for (k, t) in targets.iter().enumerate() {
        let supply: Vec<Supply> = match t {
            Target::Station => inputs
                .stations
                .iter()
                .map(|s| Supply {
                    id: s.id.clone(),
                    pos_wgs84: s.pos_wgs84,
                    capacity: inputs.capacity.station(&s.id),
                })
                .collect(),
            Target::Category(c) => inputs
                .facilities
                .iter()
                .filter(|f| f.category == *c)
                .map(|f| Supply {
                    id: f.id.clone(),
                    pos_wgs84: f.pos_wgs84,
                    capacity: inputs.capacity.facility(&f.id),
                })
                .collect(),
        };
        let ratios = walker.ratios(
            &supply,
            t.minutes(&params.coverage.thresholds),
            params.method,
        );
        reports.push(TargetReport {
            target: *t,
            supply_ids: supply.iter().map(|s| s.id.clone()).collect(),
            capacity: supply.iter().map(|s| s.capacity).collect(),
            ratios,
            target_ratio: params.target_ratio(*t),
        });
        progress(k + 1, total);
    }
    let units = unit_figures(&cov, inputs.demand, &reports);
    let elderly = match params.elderly_share {
        Some(share) => {
            // The same assessment at the elderly pace: units come out in the same order (they
            // depend on the points and boundaries, not on times).
            let slow = assess(WalkProfile::ELDERLY.at_speed(params.elderly_speed_m_per_min))?;
            Some(
                slow.units
                    .iter()
                    .map(|u| ElderlyFigures {
                        people: u.population * share,
                        convenience_share: u.convenience_share,
                        dual_share: u.dual_share,
                    })
                    .collect(),
            )
        }
        None => None,
    };
    Ok(Access {
        params: params.clone(),
        targets: reports,
        coverage: cov,
        units,
        elderly,
    })
}

/// Per unit and target: the population-weighted figures of the unit's points.
fn unit_figures(
    cov: &Coverage,
    demand: &[DemandPoint],
    reports: &[TargetReport],
) -> Vec<Vec<UnitFigures>> {
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); cov.units.len()];
    for (p, m) in cov.membership.iter().enumerate() {
        for u in m.iter().flatten() {
            members[*u as usize].push(p);
        }
    }
    // The city (last unit) holds every point.
    if let Some(city) = members.last_mut() {
        *city = (0..demand.len()).collect();
    }
    members
        .iter()
        .map(|pts| reports.iter().map(|r| figures(pts, demand, r)).collect())
        .collect()
}

fn figures(points: &[usize], demand: &[DemandPoint], r: &TargetReport) -> UnitFigures {
    let (mut pop, mut sum, mut none, mut count, mut short) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for &p in points {
        let w = demand[p].weight;
        let a = r.ratios.access[p].unwrap_or(0.0);
        pop += w;
        sum += w * a;
        count += w * f64::from(r.ratios.count_within[p]);
        if r.ratios.count_within[p] == 0 {
            none += w;
        }
        if let Some(t) = r.target_ratio {
            short += w * (1.0 - a / t).max(0.0);
        }
    }
    let mean = |x: f64| if pop > 0.0 { x / pop } else { 0.0 };
    UnitFigures {
        population: pop,
        mean_ratio: mean(sum),
        people_none_within: none,
        mean_count_within: mean(count),
        shortfall_people: r.target_ratio.map(|_| short),
    }
}
