//! Dual-circle coverage: the supply–demand matching assessment (供需匹配评估) of every community.
//!
//! **Per demand point**, the walking time to the nearest employment service station and to the
//! nearest facility of every category: one multi-source search per target (stations, then each
//! category), each bounded at the target's threshold × [`Params::horizon_factor`], and every
//! demand point is probed in every run. The cost is (number of categories + 1) bounded Dijkstra
//! runs plus one probe per point and run, however many facilities there are. Beyond the horizon
//! a time is `None` ("not within reach").
//!
//! **Membership**: a point is in the employment circle when its station time is ≤ the station
//! threshold; in the convenience circle when each of the six base categories (六个一) is ≤ its
//! threshold; in the 双圈 when both hold. Thresholds default to 15 minutes and are per category
//! ([`Thresholds`]), e.g. MOFCOM's nearer targets (5 minutes to a store). Points that cannot join
//! the network (farther than the snapping limit) are in no circle and are counted separately.
//!
//! **Aggregation**: every point belongs to at most one unit per level — community (社区/村),
//! sub-district (街道) and district — found from its `community` field (matched to a community's
//! code or name, or kept as a community of that name), from the boundary polygons that contain it,
//! and from division codes (a 12-digit community code starts with its 9-digit 街道 code, which
//! starts with the 6-digit district code). Shares are population-weighted. Each unit reports the
//! people lacking each category and the best time to it from any of its points ("how far the
//! nearest one is"), stations and postings inside its boundary, and people per station.
//!
//! **Gap list**: the lowest-level units ordered by people outside the 双圈 (then name).
//! **Model circles** (样板): units whose 双圈 share is at least [`Params::model_min_share`],
//! ordered by share, then population, then name.
//!
//! Every time comes from the travel-time [`Oracle`]; without a street network (packages with
//! `network: none`) it is a straight-line estimate (distance × the detour factor at the walking
//! speed), and the report says so.
//!
//! Everything is deterministic: inputs are processed in order, sums run in a fixed order, and
//! every ordering breaks ties by name.

use std::collections::{BTreeMap, HashMap};

use geo::{Contains, Point};
use rstar::{AABB, RTree, primitives::GeomWithData};
use serde::{Deserialize, Serialize};

use super::geom::LonLat;
use super::graph::{Compounds, Oracle, OraclePoints, Site, SnapOptions, WalkGraph, WalkProfile};
use super::model::{Category, Community, DemandPoint, Facility};

pub(crate) mod write;

/// Per-target walking-time thresholds, minutes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Thresholds {
    /// Threshold for every target without its own (default 15).
    pub default_minutes: f64,
    /// Threshold for the station (employment circle), when different from the default.
    pub station_minutes: Option<f64>,
    /// Per-category thresholds, by category id.
    pub categories: BTreeMap<Category, f64>,
}

impl Default for Thresholds {
    fn default() -> Self {
        Self {
            default_minutes: 15.0,
            station_minutes: None,
            categories: BTreeMap::new(),
        }
    }
}

impl Thresholds {
    /// The station threshold, minutes.
    pub fn station(&self) -> f64 {
        self.station_minutes.unwrap_or(self.default_minutes)
    }

    /// A category's threshold, minutes.
    pub fn category(&self, c: Category) -> f64 {
        self.categories
            .get(&c)
            .copied()
            .unwrap_or(self.default_minutes)
    }
}

/// How the assessment runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Params {
    /// Membership thresholds.
    pub thresholds: Thresholds,
    /// Walking speed, metres per minute (default 60).
    pub speed_m_per_min: f64,
    /// Steps are impassable (the wheelchair profile; default false).
    pub avoid_steps: bool,
    /// Searches run to threshold × this factor (default 2), so a gap can say how far the nearest
    /// facility is even when it is beyond the threshold.
    pub horizon_factor: f64,
    /// How demand points and facilities join the network.
    #[serde(skip)]
    pub snap: SnapOptions,
    /// Smallest 双圈 share for a model-circle candidate (default 0.9).
    pub model_min_share: f64,
}

impl Default for Params {
    fn default() -> Self {
        Self {
            thresholds: Thresholds::default(),
            speed_m_per_min: 60.0,
            avoid_steps: false,
            horizon_factor: 2.0,
            snap: SnapOptions::default(),
            model_min_share: 0.9,
        }
    }
}

impl Params {
    /// Checks the parameters; the message names the offending one.
    ///
    /// # Errors
    /// A speed, threshold or factor that is not a positive finite number.
    pub fn validate(&self) -> Result<(), String> {
        let positive = |x: f64| x.is_finite() && x > 0.0;
        if !positive(self.speed_m_per_min) {
            return Err(format!(
                "speed {} m/min is not a walking speed",
                self.speed_m_per_min
            ));
        }
        if !(self.horizon_factor.is_finite() && self.horizon_factor >= 1.0) {
            return Err(format!(
                "horizon factor {} must be at least 1",
                self.horizon_factor
            ));
        }
        if !positive(self.thresholds.default_minutes) || !positive(self.thresholds.station()) {
            return Err("thresholds must be positive minutes".to_owned());
        }
        for (c, m) in &self.thresholds.categories {
            if !positive(*m) {
                return Err(format!("threshold for {} is {m}: not positive", c.id()));
            }
        }
        if !(0.0..=1.0).contains(&self.model_min_share) {
            return Err(format!(
                "model share {} is not within 0..1",
                self.model_min_share
            ));
        }
        Ok(())
    }
}

/// What is assessed: the package's layers (borrowed).
#[derive(Debug, Clone, Copy)]
pub struct Inputs<'a> {
    /// Demand points (population weights).
    pub demand: &'a [DemandPoint],
    /// Employment service stations.
    pub stations: &'a [LonLat],
    /// Facilities of every category.
    pub facilities: &'a [Facility],
    /// Communities and higher units (codes, names, boundaries).
    pub communities: &'a [Community],
    /// Posting workplaces (counted per unit).
    pub postings: &'a [LonLat],
}

/// One demand point's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PointResult {
    /// Walking seconds to the nearest station, within the horizon.
    pub station_s: Option<f64>,
    /// Walking seconds to the nearest facility of each category (aligned with
    /// [`Coverage::categories`]), within the horizon.
    pub category_s: Vec<Option<f64>>,
    /// A station within its threshold.
    pub employment: bool,
    /// Every base category within its threshold.
    pub convenience: bool,
    /// Both circles.
    pub dual: bool,
    /// Distance to the network when the point could not join it.
    pub off_network_m: Option<f64>,
}

impl PointResult {
    /// Base categories (by index into [`Coverage::categories`]) that are not within their threshold.
    pub fn missing<'a>(&'a self, cov: &'a Coverage) -> impl Iterator<Item = usize> + 'a {
        cov.categories
            .iter()
            .enumerate()
            .filter(move |(i, c)| c.is_base() && !cov.within(self.category_s[*i], **c))
            .map(|(i, _)| i)
    }
}

/// Administrative level of a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// 社区/村.
    Community,
    /// 街道/镇.
    Subdistrict,
    /// 区/县.
    District,
    /// The whole package.
    City,
}

impl Level {
    /// Stable id used in reports.
    pub const fn id(self) -> &'static str {
        match self {
            Self::Community => "community",
            Self::Subdistrict => "subdistrict",
            Self::District => "district",
            Self::City => "city",
        }
    }

    /// The level a division code names (12 digits community, 9 街道, 6 district).
    pub fn of_code(code: &str) -> Option<Self> {
        if !code.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        match code.len() {
            12 => Some(Self::Community),
            9 => Some(Self::Subdistrict),
            6 => Some(Self::District),
            _ => None,
        }
    }
}

/// One category's shortfall in a unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Missing {
    /// The category.
    pub category: Category,
    /// People beyond its threshold.
    pub people: f64,
    /// Best walking seconds to it from any of the unit's points (None: beyond the horizon).
    pub nearest_s: Option<f64>,
}

/// The figures of one unit (community, 街道, district or the city).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitReport {
    /// Level.
    pub level: Level,
    /// Division code, when known.
    pub code: Option<String>,
    /// Name.
    pub name: String,
    /// Parent unit's name, when known.
    pub parent: Option<String>,
    /// Population: the sum of its demand weights.
    pub population: f64,
    /// Demand points.
    pub points: usize,
    /// People whose point could not join the network.
    pub off_network: f64,
    /// Share of the population in the employment circle.
    pub employment_share: f64,
    /// Share in the convenience circle.
    pub convenience_share: f64,
    /// Share in the 双圈.
    pub dual_share: f64,
    /// Share within the threshold, per category (aligned with [`Coverage::categories`]).
    pub category_share: Vec<f64>,
    /// Best walking seconds to each category from any point (aligned with
    /// [`Coverage::categories`]; None: beyond the horizon from every point).
    pub category_nearest_s: Vec<Option<f64>>,
    /// People beyond the station threshold.
    pub lacking_station: f64,
    /// Best walking seconds to a station from any point (None: beyond the horizon).
    pub nearest_station_s: Option<f64>,
    /// Base categories with people beyond their threshold, most people first.
    pub missing: Vec<Missing>,
    /// Stations inside the unit's boundary (None without a boundary).
    pub stations: Option<usize>,
    /// Population per station inside the boundary (None without stations or boundary).
    pub people_per_station: Option<f64>,
    /// Posting workplaces inside the boundary (None without a boundary).
    pub postings: Option<usize>,
    /// Position in the gap list (1 = largest gap), lowest level only.
    pub gap_rank: Option<usize>,
    /// Position among model-circle candidates (1 = best).
    pub model_rank: Option<usize>,
    /// The unit's boundary, when known.
    #[serde(skip)]
    pub boundary: Option<geo::MultiPolygon<f64>>,
}

/// The assessment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Coverage {
    /// Categories assessed: the six base ones, then extras present in the facilities.
    pub categories: Vec<Category>,
    /// Parameters used.
    pub params: Params,
    /// Per demand point, in input order.
    pub points: Vec<PointResult>,
    /// Per point, the index into [`Coverage::units`] of its community, 街道 and district unit.
    pub membership: Vec<[Option<u32>; 3]>,
    /// Units: communities, then 街道, then districts (each by name), then the city (last).
    pub units: Vec<UnitReport>,
    /// Gap list: unit indices, largest gap first.
    pub gaps: Vec<usize>,
    /// Model-circle candidates: unit indices, best first.
    pub models: Vec<usize>,
    /// True when times are straight-line estimates (no street network).
    pub estimate: bool,
    /// Stations in the input (0: the employment circle cannot be assessed from this data).
    pub station_count: usize,
    /// Facilities in the input per category (aligned with [`Coverage::categories`]).
    pub facility_counts: Vec<usize>,
    /// Stations and facilities that could not join the network (left out), with their distance.
    pub unplaced: Vec<(String, f64)>,
    /// The walking network's compound setting (None: straight-line estimates, no network).
    #[serde(default)]
    pub compounds: Option<Compounds>,
}

impl Coverage {
    /// True when `seconds` is within `c`'s threshold.
    pub fn within(&self, seconds: Option<f64>, c: Category) -> bool {
        seconds.is_some_and(|s| s <= self.params.thresholds.category(c) * 60.0)
    }

    /// The city-wide summary.
    ///
    /// # Panics
    /// Never: [`compute`] always appends the city unit.
    #[allow(clippy::missing_panics_doc)]
    pub fn city(&self) -> &UnitReport {
        &self.units[self.units.len() - 1]
    }
}

/// Runs the assessment. `progress(done, total)` is called once every point and facility is
/// placed (`done` = 0), then after each target's search.
///
/// # Errors
/// Invalid parameters (see [`Params::validate`]).
pub fn compute(
    graph: Option<&WalkGraph>,
    inputs: Inputs<'_>,
    params: &Params,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Coverage, String> {
    compute_with_points(graph, None, inputs, params, progress)
}

/// [`compute`] with the demand points already prepared for `graph` (snapped and indexed by
/// edge: [`OraclePoints::new`] over `inputs.demand` with `params.snap`), as an engine keeps them
/// between runs; points prepared otherwise (another count or snapping) are prepared again.
///
/// # Errors
/// Invalid parameters (see [`Params::validate`]).
pub fn compute_with_points(
    graph: Option<&WalkGraph>,
    points: Option<&OraclePoints>,
    inputs: Inputs<'_>,
    params: &Params,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Coverage, String> {
    compute_prepared(graph, points, None, inputs, params, progress)
}

/// [`compute_with_points`] with the facilities located too: `facility_sites[i]` is
/// `inputs.facilities[i]` on `graph` ([`Site::on_network`] with `params.snap`), as an engine
/// keeps them between runs; ignored without a network or when their count differs.
///
/// # Errors
/// Invalid parameters (see [`Params::validate`]).
pub fn compute_prepared(
    graph: Option<&WalkGraph>,
    points: Option<&OraclePoints>,
    facility_sites: Option<&[Site]>,
    inputs: Inputs<'_>,
    params: &Params,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Coverage, String> {
    params.validate()?;
    let facility_sites =
        facility_sites.filter(|s| graph.is_some() && s.len() == inputs.facilities.len());
    let mut categories: Vec<Category> = Category::BASE_SIX.to_vec();
    for c in Category::ALL {
        if !c.is_base() && inputs.facilities.iter().any(|f| f.category == c) {
            categories.push(c);
        }
    }
    let total = categories.len() + 1;
    let n = inputs.demand.len();
    let mut station_s = vec![None; n];
    let mut cat_s = vec![vec![None; categories.len()]; n];
    let mut out_unplaced = Vec::new();
    let mut off_network = vec![None; n];

    let facility_positions = |c: Category| -> (Vec<&str>, Vec<LonLat>) {
        inputs
            .facilities
            .iter()
            .filter(|f| f.category == c)
            .map(|f| (f.id.as_str(), f.pos_wgs84))
            .unzip()
    };

    // One oracle for every target: walking times on the network, or straight-line estimates
    // without one; one multi-source search per target, bounded at its threshold × the horizon.
    let profile = WalkProfile {
        speed_m_per_min: params.speed_m_per_min,
        avoid_steps: params.avoid_steps,
    };
    let mut oracle =
        match points.filter(|p| p.len() == inputs.demand.len() && p.fits(graph, &params.snap)) {
            Some(p) => Oracle::with_points(graph, p, profile),
            None => Oracle::new(
                graph,
                inputs.demand.iter().map(|d| d.pos_wgs84),
                profile,
                params.snap,
            ),
        };
    // Without kept sites, every facility is snapped at once (one grid for all categories).
    let located: Vec<Site>;
    let facility_sites = match facility_sites {
        None if graph.is_some() => {
            let all: Vec<LonLat> = inputs.facilities.iter().map(|f| f.pos_wgs84).collect();
            located = oracle.sites(&all);
            Some(&located[..])
        }
        kept => kept,
    };
    // Every point and facility placed: "0 of n" (the worker marks it apart from the searches).
    progress(0, total);
    if graph.is_some() {
        // Only a point too far from the network is reported as off it.
        for (o, d) in off_network.iter_mut().zip(oracle.off_network()) {
            *o = d.filter(|d| d.is_finite());
        }
    }
    let mut report = |unplaced: Vec<(usize, f64)>, name: &dyn Fn(usize) -> String| {
        if graph.is_some() {
            for (i, d) in unplaced.into_iter().filter(|(_, d)| d.is_finite()) {
                out_unplaced.push((name(i), d));
            }
        }
    };
    let out_station = oracle.nearest(
        inputs.stations,
        params.thresholds.station() * params.horizon_factor,
        &mut |i, s| station_s[i] = Some(s),
    );
    report(out_station, &|i| format!("station #{}", i + 1));
    progress(1, total);
    for (k, c) in categories.iter().enumerate() {
        let (ids, positions) = facility_positions(*c);
        let sites: Vec<Site> = match facility_sites {
            Some(s) => s
                .iter()
                .zip(inputs.facilities)
                .filter(|(_, f)| f.category == *c)
                .map(|(s, _)| *s)
                .collect(),
            None => positions.iter().map(|&p| oracle.site(p)).collect(),
        };
        let missed = oracle.nearest_sites(
            &sites,
            params.thresholds.category(*c) * params.horizon_factor,
            &mut |i, s| cat_s[i][k] = Some(s),
        );
        report(missed, &|i| ids[i].to_owned());
        progress(k + 2, total);
    }
    drop(oracle);
    let unplaced = out_unplaced;

    let mut cov = Coverage {
        categories: categories.clone(),
        params: params.clone(),
        points: Vec::with_capacity(n),
        membership: Vec::new(),
        units: Vec::new(),
        gaps: Vec::new(),
        models: Vec::new(),
        estimate: graph.is_none(),
        compounds: graph.map(|g| g.rules().compounds),
        station_count: inputs.stations.len(),
        facility_counts: categories
            .iter()
            .map(|c| {
                inputs
                    .facilities
                    .iter()
                    .filter(|f| f.category == *c)
                    .count()
            })
            .collect(),
        unplaced,
    };
    for ((station_s, category_s), off_network_m) in
        station_s.into_iter().zip(cat_s).zip(off_network)
    {
        let employment = station_s.is_some_and(|s| s <= params.thresholds.station() * 60.0);
        let convenience = cov
            .categories
            .iter()
            .zip(&category_s)
            .filter(|(c, _)| c.is_base())
            .all(|(c, s)| cov.within(*s, *c));
        cov.points.push(PointResult {
            station_s,
            category_s,
            employment,
            convenience,
            dual: employment && convenience,
            off_network_m,
        });
    }
    aggregate(&mut cov, inputs);
    Ok(cov)
}

/// A boundary's bounding box and the unit it belongs to.
type Envelope = GeomWithData<rstar::primitives::Rectangle<[f64; 2]>, usize>;

/// A unit being assembled.
struct Draft {
    level: Level,
    code: Option<String>,
    name: String,
    parent: Option<String>,
    boundary: Option<geo::MultiPolygon<f64>>,
}

/// Assigns points to units and fills the unit reports, gap list and model ranking.
fn aggregate(cov: &mut Coverage, inputs: Inputs<'_>) {
    let mut drafts: Vec<Draft> = Vec::new();
    let mut by_key: HashMap<(Level, String), usize> = HashMap::new();
    let level_of = |c: &Community| {
        c.code
            .as_deref()
            .and_then(Level::of_code)
            .unwrap_or(Level::Community)
    };
    for c in inputs.communities {
        let level = level_of(c);
        let key = c.code.clone().unwrap_or_else(|| c.name.clone());
        if by_key.contains_key(&(level, key.clone())) {
            continue;
        }
        by_key.insert((level, key), drafts.len());
        if c.code.is_some() {
            by_key
                .entry((level, c.name.clone()))
                .or_insert(drafts.len());
        }
        drafts.push(Draft {
            level,
            code: c.code.clone(),
            name: c.name.clone(),
            parent: c.parent_code.clone(),
            boundary: c.boundary_wgs84.clone(),
        });
    }
    // Boundaries, per level, in an R-tree of envelopes.
    let mut trees: BTreeMap<Level, RTree<Envelope>> = BTreeMap::new();
    for level in [Level::Community, Level::Subdistrict, Level::District] {
        let items = drafts
            .iter()
            .enumerate()
            .filter(|(_, d)| d.level == level)
            .filter_map(|(i, d)| {
                use geo::BoundingRect;
                let r = d.boundary.as_ref()?.bounding_rect()?;
                Some(GeomWithData::new(
                    rstar::primitives::Rectangle::from_corners(
                        [r.min().x, r.min().y],
                        [r.max().x, r.max().y],
                    ),
                    i,
                ))
            })
            .collect();
        trees.insert(level, RTree::bulk_load(items));
    }
    let containing = |drafts: &[Draft], level: Level, p: LonLat| -> Option<usize> {
        let pt = Point::new(p.lon, p.lat);
        let mut best: Option<usize> = None;
        for hit in trees[&level].locate_in_envelope_intersecting(&AABB::from_point([p.lon, p.lat]))
        {
            let i = hit.data;
            if drafts[i].boundary.as_ref().is_some_and(|b| b.contains(&pt))
                && best.is_none_or(|b| drafts[i].name < drafts[b].name)
            {
                best = Some(i);
            }
        }
        best
    };

    let names_by_code: HashMap<String, String> = inputs
        .communities
        .iter()
        .filter_map(|c| Some((c.code.clone()?, c.name.clone())))
        .collect();
    let mut membership: Vec<[Option<usize>; 3]> = Vec::with_capacity(inputs.demand.len());
    for d in inputs.demand {
        let mut m: [Option<usize>; 3] = [None; 3];
        // Community: the named unit, else the containing community polygon.
        if let Some(name) = d.community.as_deref().filter(|s| !s.trim().is_empty()) {
            let level = Level::of_code(name).unwrap_or(Level::Community);
            let key = (level, name.to_owned());
            let i = if let Some(i) = by_key.get(&key) {
                *i
            } else {
                let code = Level::of_code(name).map(|_| name.to_owned());
                ensure(&mut drafts, &mut by_key, level, code, name.to_owned())
            };
            let l = drafts[i].level;
            m[l as usize] = Some(i);
        }
        if m[0].is_none() {
            m[0] = containing(&drafts, Level::Community, d.pos_wgs84);
        }
        // Higher levels: parent codes, code prefixes, then containing polygons.
        for (lvl, digits) in [(Level::Subdistrict, 9), (Level::District, 6)] {
            let slot = lvl as usize;
            if m[slot].is_some() {
                continue;
            }
            let below = m[..slot].iter().rev().flatten().next().copied();
            let by_code = below.and_then(|b| {
                let code = drafts[b]
                    .parent
                    .as_deref()
                    .filter(|p| Level::of_code(p) == Some(lvl))
                    .map(str::to_owned)
                    .or_else(|| {
                        drafts[b]
                            .code
                            .as_deref()
                            .filter(|c| c.len() > digits && Level::of_code(c).is_some())
                            .map(|c| c[..digits].to_owned())
                    })?;
                let name = names_by_code
                    .get(&code)
                    .cloned()
                    .unwrap_or_else(|| code.clone());
                Some(ensure(&mut drafts, &mut by_key, lvl, Some(code), name))
            });
            m[slot] = by_code.or_else(|| containing(&drafts, lvl, d.pos_wgs84));
        }
        membership.push(m);
    }

    // A unit without a parent code takes the unit its first point belongs to one level up.
    for m in &membership {
        for lvl in 0..2 {
            if let Some(child) = m[lvl]
                && drafts[child].parent.is_none()
                && let Some(up) = m[lvl + 1..].iter().flatten().next()
            {
                let d = &drafts[*up];
                drafts[child].parent = Some(d.code.clone().unwrap_or_else(|| d.name.clone()));
            }
        }
    }
    // Parent names for display.
    let names: HashMap<String, String> = drafts
        .iter()
        .filter_map(|d| Some((d.code.clone()?, d.name.clone())))
        .collect();
    // Units that received points, ordered by level then name (then code).
    let mut used: Vec<usize> = membership.iter().flatten().flatten().copied().collect();
    used.sort_unstable();
    used.dedup();
    crate::plan::sort::by(&mut used, |a, b| {
        let (a, b) = (&drafts[*a], &drafts[*b]);
        (a.level, &a.name, &a.code).cmp(&(b.level, &b.name, &b.code))
    });
    let mut new_index = vec![u32::MAX; drafts.len()];
    for (k, i) in used.iter().enumerate() {
        new_index[*i] = k as u32;
    }
    cov.membership = membership
        .iter()
        .map(|m| m.map(|x| x.map(|i| new_index[i])))
        .collect();

    let all: Vec<usize> = (0..inputs.demand.len()).collect();
    let mut groups: Vec<Vec<usize>> = vec![Vec::new(); used.len()];
    for (p, m) in cov.membership.iter().enumerate() {
        for u in m.iter().flatten() {
            groups[*u as usize].push(p);
        }
    }
    let mut units = Vec::with_capacity(used.len() + 1);
    for (k, i) in used.iter().enumerate() {
        let d = &drafts[*i];
        let parent = d
            .parent
            .as_ref()
            .map(|p| names.get(p).cloned().unwrap_or_else(|| p.clone()));
        units.push(unit_report(
            cov,
            inputs,
            &groups[k],
            Draft {
                level: d.level,
                code: d.code.clone(),
                name: d.name.clone(),
                parent,
                boundary: d.boundary.clone(),
            },
        ));
    }
    units.push(unit_report(
        cov,
        inputs,
        &all,
        Draft {
            level: Level::City,
            code: None,
            name: String::new(),
            parent: None,
            boundary: None,
        },
    ));

    let (gaps, models) = rank(&mut units, cov.params.model_min_share);
    cov.units = units;
    cov.gaps = gaps;
    cov.models = models;
}

/// Ranks the units of the lowest level that has units: the gap list (people outside the dual
/// circle, most first) and the model circles (dual share at least `model_min_share`, highest
/// first). Writes the ranks into the units and returns both lists of unit indices.
fn rank(units: &mut [UnitReport], model_min_share: f64) -> (Vec<usize>, Vec<usize>) {
    // Gap list over the lowest level that has units; model circles over the same level.
    let lowest = units
        .iter()
        .map(|u| u.level)
        .filter(|l| *l != Level::City)
        .min();
    let mut gaps: Vec<usize> = (0..units.len())
        .filter(|i| Some(units[*i].level) == lowest)
        .collect();
    let outside = |u: &UnitReport| u.population * (1.0 - u.dual_share);
    gaps.retain(|i| outside(&units[*i]) > 0.0);
    crate::plan::sort::by(&mut gaps, |a, b| {
        outside(&units[*b])
            .total_cmp(&outside(&units[*a]))
            .then_with(|| units[*a].name.cmp(&units[*b].name))
    });
    for (r, i) in gaps.iter().enumerate() {
        units[*i].gap_rank = Some(r + 1);
    }
    let mut models: Vec<usize> = (0..units.len())
        .filter(|i| Some(units[*i].level) == lowest)
        .filter(|i| units[*i].population > 0.0 && units[*i].dual_share >= model_min_share)
        .collect();
    crate::plan::sort::by(&mut models, |a, b| {
        let (ua, ub) = (&units[*a], &units[*b]);
        ub.dual_share
            .total_cmp(&ua.dual_share)
            .then_with(|| ub.population.total_cmp(&ua.population))
            .then_with(|| ua.name.cmp(&ub.name))
    });
    for (r, i) in models.iter().enumerate() {
        units[*i].model_rank = Some(r + 1);
    }
    (gaps, models)
}

/// The unit with this key, created (without boundary) when new.
fn ensure(
    drafts: &mut Vec<Draft>,
    by_key: &mut HashMap<(Level, String), usize>,
    level: Level,
    code: Option<String>,
    name: String,
) -> usize {
    let key = code.clone().unwrap_or_else(|| name.clone());
    *by_key.entry((level, key)).or_insert_with(|| {
        drafts.push(Draft {
            level,
            code,
            name,
            parent: None,
            boundary: None,
        });
        drafts.len() - 1
    })
}

fn unit_report(cov: &Coverage, inputs: Inputs<'_>, members: &[usize], d: Draft) -> UnitReport {
    let mut population = 0.0;
    let (mut emp, mut conv, mut dual, mut off) = (0.0, 0.0, 0.0, 0.0);
    let mut cat_in = vec![0.0; cov.categories.len()];
    let mut cat_best: Vec<Option<f64>> = vec![None; cov.categories.len()];
    let mut station_best: Option<f64> = None;
    let min = |a: Option<f64>, b: Option<f64>| match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, None) | (None, x) => x,
    };
    for &p in members {
        let w = inputs.demand[p].weight;
        let r = &cov.points[p];
        population += w;
        if r.employment {
            emp += w;
        }
        if r.convenience {
            conv += w;
        }
        if r.dual {
            dual += w;
        }
        if r.off_network_m.is_some() {
            off += w;
        }
        station_best = min(station_best, r.station_s);
        for (k, c) in cov.categories.iter().enumerate() {
            if cov.within(r.category_s[k], *c) {
                cat_in[k] += w;
            }
            cat_best[k] = min(cat_best[k], r.category_s[k]);
        }
    }
    let share = |x: f64| {
        if population > 0.0 {
            x / population
        } else {
            0.0
        }
    };
    let mut missing: Vec<Missing> = cov
        .categories
        .iter()
        .enumerate()
        .filter(|(k, c)| c.is_base() && population - cat_in[*k] > 0.0)
        .map(|(k, c)| Missing {
            category: *c,
            people: population - cat_in[k],
            nearest_s: cat_best[k],
        })
        .collect();
    crate::plan::sort::by(&mut missing, |a, b| b.people.total_cmp(&a.people));
    let inside = |pts: &mut dyn Iterator<Item = LonLat>| -> Option<usize> {
        let b = d.boundary.as_ref()?;
        Some(
            pts.filter(|p| b.contains(&Point::new(p.lon, p.lat)))
                .count(),
        )
    };
    let stations = inside(&mut inputs.stations.iter().copied());
    let postings = inside(&mut inputs.postings.iter().copied());
    UnitReport {
        level: d.level,
        code: d.code,
        name: d.name,
        parent: d.parent,
        population,
        points: members.len(),
        off_network: off,
        employment_share: share(emp),
        convenience_share: share(conv),
        dual_share: share(dual),
        category_share: cat_in.iter().map(|x| share(*x)).collect(),
        category_nearest_s: cat_best,
        lacking_station: population - emp,
        nearest_station_s: station_best,
        missing,
        stations,
        people_per_station: stations.filter(|s| *s > 0).map(|s| population / s as f64),
        postings,
        gap_rank: None,
        model_rank: None,
        boundary: d.boundary,
    }
}
