//! The session engine: a loaded package (its layers and walk graph) answering the app's
//! questions. Pure and synchronous; the web worker owns one and forwards requests to it, and
//! native tests drive it directly with the same inputs.
//!
//! Loading parses every layer with the importers (every problem is collected, valid features
//! still load), builds the walk graph from the `streets` layers, and keeps reusable search
//! buffers so repeated isochrone queries allocate little.

use std::fmt::Write as _;
use std::sync::Arc;

use geo::Area;
use serde::{Deserialize, Serialize};

use super::coverage::{self, Coverage};
use super::geojson_out::{push_multipolygon, push_number};
use super::geom::LonLat;
use super::graph::{
    Budget, Compounds, DEFAULT_DETOUR_FACTOR, EditError, Isochrone, IsochroneOptions, NetworkEdits,
    NetworkRules, OverlayReport, Reach, SnapError, SnapIndex, SnapOptions, WalkGraph, WalkProfile,
    straight_line_isochrones,
};
use super::import::{self, Imported, Location, Options, Problem, ProblemKind, Severity};
use super::model::{Posting, Station};
use super::nearby::{
    NearbyError, NearbyResult, PostingIndex, Query, Searcher, ServiceIndex, Services,
};
use super::package::{LayerFormat, LayerKind, Manifest, ManifestError, Network, export, write};

mod access;
mod demand_points;
mod error;
mod facility_sites;
mod import_file;
mod network;
mod place;
mod snap_index;

pub use access::{AccessAnswer, SurfaceAnswer};
pub use error::EngineError;
pub use import_file::ImportStage;
pub use network::{EditIssue, EditIssueKind};
pub use place::{ChosenSite, PlaceAnswer, PlaceParams, ScenarioFigures};

/// What the engine made of a package. `P` is the problems' form: the typed [`Problem`] here; the
/// web worker sends them rendered (`LoadSummary<web::i18n::Both>`), so the page carries no
/// decoder of [`ProblemKind`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LoadSummary<P = Problem> {
    /// Package id.
    pub package_id: String,
    /// Walk graph nodes (0 without a network).
    pub nodes: usize,
    /// Walk graph edges.
    pub edges: usize,
    /// Features loaded per layer id.
    pub counts: Vec<(String, usize)>,
    /// Problems found while importing (file, row/feature, field, what), warnings and errors.
    pub problems: Vec<P>,
    /// Named places (communities) to choose a home from: (name, lon, lat).
    #[serde(default)]
    pub places: Vec<(String, f64, f64)>,
    /// Candidate sites by host type (`""`: no type), with counts.
    #[serde(default)]
    pub host_types: Vec<(String, usize)>,
    /// What the page reads of the layers stored in a binary format (by layer id): for the
    /// streets, the label points of their names ([`write::street_labels_geojson`]; the lines are
    /// drawn from tiles). The page reads text layers from the files it fetched.
    #[serde(default)]
    pub drawn: Vec<(String, String)>,
    /// The name points of the community and boundary layers (by layer id;
    /// [`crate::plan::zone_labels`]), so the page computes no interior point.
    #[serde(default)]
    pub zones: Vec<(String, Vec<crate::plan::zone_labels::ZoneLabel>)>,
}

/// One isochrone band.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Band {
    /// Budget, minutes.
    pub minutes: f64,
    /// Area, km².
    pub area_km2: f64,
}

/// An isochrone answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IsoAnswer {
    /// The request number (set by the caller).
    pub seq: u64,
    /// FeatureCollection: one MultiPolygon per budget, largest first, with properties
    /// `minutes`, `method` (`network` or `straight_line_estimate`) and `area_km2`.
    pub geojson: String,
    /// Seconds walked from the point to the network (the off-network leg), when snapped.
    pub access_s: Option<f64>,
    /// Distance to the nearest street when the point is beyond the snapping limit.
    pub off_network_m: Option<f64>,
    /// The bands, ascending.
    pub bands: Vec<Band>,
    /// Network nodes reached within the largest budget.
    pub reached_nodes: usize,
    /// True when this is a straight-line estimate (package without a network).
    pub estimate: bool,
    /// Computation time in milliseconds (set by the caller, who has a clock).
    pub compute_ms: f64,
}

/// The layers of a loaded package (the importers' record set).
pub type Layers = import::Dataset;

/// What an imported file added (`P`: the problems' form, as in [`LoadSummary`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportAnswer<P = Problem> {
    /// The file name.
    pub file: String,
    /// Per layer kind that received records: (kind id, records added, GeoJSON for the page — at
    /// most [`MAX_DRAWN`] features; all records are kept for analysis; for streets, drawn from
    /// tiles, the label points of their names).
    pub layers: Vec<(String, usize, String)>,
    /// Records read and records loaded.
    pub records: usize,
    /// Records loaded.
    pub loaded: usize,
    /// Errors (records rejected) and warnings (`Display`: `severity: file:row:field: message`).
    pub problems: Vec<P>,
    /// Problems not listed (over the cap).
    pub omitted: usize,
    /// True when the street network was rebuilt with the file's streets.
    pub network_rebuilt: bool,
    /// Candidate sites by host type after the import.
    #[serde(default)]
    pub host_types: Vec<(String, usize)>,
    /// Features not sent for drawing because a layer had more than [`MAX_DRAWN`] (all are
    /// analysed; the page says how many are not on the map).
    #[serde(default)]
    pub undrawn: usize,
    /// The request number of an import with a layer choice (set by the caller; 0 otherwise).
    #[serde(default)]
    pub seq: u64,
    /// True when the file's layer could not be told from its name or columns: the page asks
    /// which layer it is ([`Engine::import_file_as`]).
    #[serde(default)]
    pub layer_unknown: bool,
    /// The name points of the communities added, by layer kind id (as [`LoadSummary`] `zones`).
    #[serde(default)]
    pub zones: Vec<(String, Vec<crate::plan::zone_labels::ZoneLabel>)>,
}

impl<P> LoadSummary<P> {
    /// The same summary with each problem put into another form (rendered, for the page).
    pub fn map_problems<Q>(self, f: impl FnMut(&P) -> Q) -> LoadSummary<Q> {
        LoadSummary {
            problems: self.problems.iter().map(f).collect(),
            package_id: self.package_id,
            nodes: self.nodes,
            edges: self.edges,
            counts: self.counts,
            places: self.places,
            host_types: self.host_types,
            drawn: self.drawn,
            zones: self.zones,
        }
    }
}

impl<P> ImportAnswer<P> {
    /// The same answer with each problem put into another form (rendered, for the page).
    pub fn map_problems<Q>(self, f: impl FnMut(&P) -> Q) -> ImportAnswer<Q> {
        ImportAnswer {
            problems: self.problems.iter().map(f).collect(),
            file: self.file,
            layers: self.layers,
            records: self.records,
            loaded: self.loaded,
            omitted: self.omitted,
            network_rebuilt: self.network_rebuilt,
            host_types: self.host_types,
            undrawn: self.undrawn,
            seq: self.seq,
            layer_unknown: self.layer_unknown,
            zones: self.zones,
        }
    }
}

/// A coverage answer: the assessment and its files, ready to draw and to export.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CoverageAnswer {
    /// The request number (set by the caller).
    pub seq: u64,
    /// The assessment (per point, per unit, gap list, model circles).
    pub coverage: Coverage,
    /// Units as GeoJSON ([`Coverage::report_geojson`]): drawn, and the GeoJSON export.
    pub units_geojson: String,
    /// The CSV export ([`Coverage::report_csv`]).
    pub report_csv: String,
    /// Per-point CSV export ([`Coverage::points_csv`]).
    pub points_csv: String,
    /// Computation time in milliseconds (set by the caller, who has a clock).
    pub compute_ms: f64,
}

/// Most features of one imported layer sent back for drawing: the map draws points and
/// streets on canvases of their own (a 8 × 8-tile city extract has ≈ 305,000 ways), and
/// [`ImportAnswer::undrawn`] counts what is over.
pub const MAX_DRAWN: usize = 500_000;

/// A loaded package and its walk graph.
#[derive(Debug, Default)]
pub struct Engine {
    package_id: String,
    layers: Layers,
    /// The package's walk graph as built, before any scenario's network edits.
    base_graph: Option<Arc<WalkGraph>>,
    /// The walk graph every analysis uses: the base with the scenario's edits and rules.
    graph: Option<Arc<WalkGraph>>,
    reach: Option<Reach>,
    snap: SnapOptions,
    /// Resident queries: indexes built on first use after a load or import, and the searcher.
    nearby: Option<NearbyIndexes>,
    searcher: Searcher,
    /// The scenario's accepted sites, as stations.
    scenario: Vec<Station>,
    /// The package's and imported stations, then the scenario's: what every analysis uses.
    stations: Vec<Station>,
    /// The last placement's coverage matrix and what it was built from.
    place_cache: Option<place::Cache>,
    /// The package's census age shares, when its manifest records them.
    age_shares: Option<super::package::AgeShares>,
    /// The package's manifest and where each record came from (for the package export).
    origin: export::Origin,
    /// The demand points snapped for the oracle, kept between questions.
    demand_points: demand_points::DemandPoints,
    /// The facilities snapped for the oracle, kept between coverage runs.
    facility_sites: facility_sites::FacilitySites,
    /// The network's snapping grid, shared by the demand points and the facilities.
    kept_snap_index: snap_index::KeptSnapIndex,
}

/// Edges of the snapping grid's build in one [`Engine::prepare_step`].
pub const PREPARE_EDGES: usize = 32_768;

/// Demand points or facilities snapped in one [`Engine::prepare_step`].
pub const PREPARE_POINTS: usize = 1_024;

/// The indexes a resident query needs.
#[derive(Debug)]
struct NearbyIndexes {
    postings: PostingIndex,
    services: ServiceIndex,
}

/// A resident query's answer: postings within the walk, the services nearby, and what to draw
/// (`R`: the reasons' form, as in [`super::nearby::Hit`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NearbyAnswer<R = super::nearby::Reason> {
    /// The request number (set by the caller).
    pub seq: u64,
    /// Postings found (ranked), with reasons.
    pub result: NearbyResult<R>,
    /// The posting records of the hits, in the same order.
    pub postings: Vec<Posting>,
    /// Nearest station and nearest facility per category.
    pub services: Services,
    /// The nearest station's record.
    pub station: Option<Station>,
    /// Hits as GeoJSON points (`i` = position in the list).
    pub hits_geojson: String,
    /// Computation time in milliseconds (set by the caller).
    pub compute_ms: f64,
}

impl<R> NearbyAnswer<R> {
    /// The same answer with each hit's reasons put into another form (words, for the page).
    pub fn map_reasons<S>(self, f: impl FnMut(&R) -> S) -> NearbyAnswer<S> {
        NearbyAnswer {
            result: self.result.map_reasons(f),
            seq: self.seq,
            postings: self.postings,
            services: self.services,
            station: self.station,
            hits_geojson: self.hits_geojson,
            compute_ms: self.compute_ms,
        }
    }
}

/// The walking route to one posting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RouteAnswer {
    /// Posting index (in the loaded postings).
    pub posting: usize,
    /// Walking seconds.
    pub seconds: f64,
    /// Metres.
    pub metres: f64,
    /// The route as a GeoJSON LineString feature collection.
    pub geojson: String,
}

/// Warnings and errors of an import (informational notes are left out).
fn problems_of<T>(imported: &Imported<T>) -> impl Iterator<Item = Problem> + '_ {
    imported
        .report
        .problems
        .iter()
        .filter(|p| p.severity >= Severity::Warning)
        .cloned()
}

/// A problem about a whole file.
fn file_problem(file: &str, severity: Severity, kind: ProblemKind) -> Problem {
    Problem {
        file: file.to_owned(),
        location: Location::File,
        field: None,
        severity,
        kind,
    }
}

/// The importers' layer of a package layer kind (boundaries are read as communities).
const fn import_layer(kind: LayerKind) -> import::Layer {
    match kind {
        LayerKind::Streets => import::Layer::Streets,
        LayerKind::Stations => import::Layer::Stations,
        LayerKind::Facilities => import::Layer::Facilities,
        LayerKind::Postings => import::Layer::Postings,
        LayerKind::Communities | LayerKind::Boundaries => import::Layer::Communities,
        LayerKind::Demand => import::Layer::Demand,
        LayerKind::Candidates => import::Layer::Candidates,
    }
}

/// Parses one layer file into `layers` by kind; returns (features loaded, problems).
pub fn load_layer(
    layers: &mut Layers,
    kind: LayerKind,
    file: &str,
    text: &str,
) -> (usize, Vec<Problem>) {
    load_layer_in(
        layers,
        kind,
        file,
        text.as_bytes(),
        super::package::Crs::Wgs84,
    )
}

/// One problem of an OSM extract, as the import reports it.
pub(super) fn osm_problem(file: &str, p: &super::osm::OsmProblem) -> Problem {
    file_problem(
        file,
        if p.is_error() {
            Severity::Error
        } else {
            Severity::Warning
        },
        ProblemKind::Osm {
            message: p.to_string(),
            message_zh: p.zh(),
        },
    )
}

/// A package's streets layer stored as OSM PBF ([`super::package::pbf`]): read by the OSM
/// reader, every street kept (the package wrote only walkable ones).
fn load_streets_pbf(layers: &mut Layers, file: &str, bytes: &[u8]) -> (usize, Vec<Problem>) {
    // Read into the flat street table, as an imported extract is (no owned street per way).
    let mut osm = super::osm::read_network(bytes);
    let problems = osm
        .problems
        .iter()
        .take(200)
        .map(|p| osm_problem(file, p))
        .collect();
    let n = osm.streets.len();
    layers.streets.append(&mut osm.streets);
    (n, problems)
}

/// [`load_layer`] for a file the manifest says is in `crs` (GCJ-02 and BD-09 are converted).
fn load_layer_in(
    layers: &mut Layers,
    kind: LayerKind,
    file: &str,
    bytes: &[u8],
    crs: super::package::Crs,
) -> (usize, Vec<Problem>) {
    // WGS-84 (the default) leaves the file's own declaration, if any, in force.
    let opts = Options {
        crs: match crs {
            super::package::Crs::Wgs84 => None,
            super::package::Crs::Gcj02 => Some(super::crs::Crs::Gcj02),
            super::package::Crs::Bd09 => Some(super::crs::Crs::Bd09),
        },
        ..Options::default()
    };
    macro_rules! take {
        ($f:path, $field:ident) => {{
            let imp = $f(file, bytes, &opts);
            let problems: Vec<Problem> = problems_of(&imp).collect();
            let n = imp.items.len();
            layers.$field.extend(imp.items);
            (n, problems)
        }};
    }
    match kind {
        LayerKind::Streets => take!(import::import_streets, streets),
        LayerKind::Stations | LayerKind::Facilities => {
            // Through the whole-dataset import, so that capacities come along.
            let layer = if kind == LayerKind::Stations {
                import::Layer::Stations
            } else {
                import::Layer::Facilities
            };
            let imp = import::import(file, bytes, &opts, Some(layer));
            let problems: Vec<Problem> = problems_of(&imp).collect();
            let d = imp.items;
            let n = d.len();
            layers.capacity.merge(&d.capacity);
            layers.stations.extend(d.stations);
            layers.facilities.extend(d.facilities);
            (n, problems)
        }
        LayerKind::Postings => take!(import::import_postings, postings),
        LayerKind::Demand => take!(import::import_demand, demand),
        LayerKind::Candidates => take!(import::import_candidates, candidates),
        LayerKind::Communities | LayerKind::Boundaries => {
            take!(import::import_communities, communities)
        }
    }
}

impl Engine {
    /// Loads a package from its manifest and layer files (bytes or text, by layer id). Replaces
    /// whatever was loaded only when the manifest parses; problems in layers are reported, not
    /// fatal.
    pub fn load<F: AsRef<[u8]>>(
        &mut self,
        package_id: &str,
        manifest_json: &str,
        files: &[(String, F)],
    ) -> Result<LoadSummary, EngineError> {
        // A manifest that lies about some layers still loads the others; each lie is named.
        let (manifest, skipped) =
            Manifest::parse_partial(manifest_json.as_bytes()).map_err(|errs| {
                EngineError::Manifest {
                    problems: errs.iter().map(ToString::to_string).collect(),
                }
            })?;
        let mut problems: Vec<Problem> = skipped
            .iter()
            .map(|e| {
                // The entry and the reason come from the error's own fields, not its text.
                let (entry, reason) = match e {
                    ManifestError::Layer {
                        index,
                        field,
                        message,
                    } => (
                        format!("layers[{index}] ({field})"),
                        message
                            .trim_end_matches("; this layer was not loaded")
                            .to_owned(),
                    ),
                    other => (other.to_string(), String::new()),
                };
                file_problem(
                    "manifest.json",
                    Severity::Error,
                    ProblemKind::ManifestLayer { entry, reason },
                )
            })
            .collect();
        let mut counts = Vec::new();
        let mut layers = Layers::default();
        let mut drawn = Vec::new();
        let mut zones = Vec::new();
        let mut origin = export::Origin::new(manifest.clone());
        for layer in &manifest.layers {
            let Some((_, bytes)) = files.iter().find(|(id, _)| id == &layer.id) else {
                problems.push(file_problem(
                    &layer.file,
                    Severity::Error,
                    ProblemKind::FileNotLoaded,
                ));
                continue;
            };
            let before = export::lens(&layers);
            let binary = layer.format() == LayerFormat::OsmPbf;
            let (n, p) = if binary {
                load_streets_pbf(&mut layers, &layer.file, bytes.as_ref())
            } else {
                load_layer_in(
                    &mut layers,
                    layer.kind,
                    &layer.file,
                    bytes.as_ref(),
                    layer.crs,
                )
            };
            if binary {
                // The lines are drawn from tiles; the page gets the names' label points.
                let end = layers.streets.len();
                let shown = end - n..end;
                drawn.push((
                    layer.id.clone(),
                    write::street_labels_geojson(&layers.streets, shown),
                ));
            }
            if matches!(layer.kind, LayerKind::Communities | LayerKind::Boundaries) && !binary {
                let text = String::from_utf8_lossy(bytes.as_ref());
                zones.push((
                    layer.id.clone(),
                    crate::plan::zone_labels::zone_labels(&text),
                ));
            }
            origin.package_layer(layer, before, &layers);
            counts.push((layer.id.clone(), n));
            if let Some(expected) = layer.count.filter(|&c| c != n) {
                problems.push(file_problem(
                    &layer.file,
                    Severity::Error,
                    ProblemKind::CountMismatch {
                        expected,
                        loaded: n,
                    },
                ));
            }
            problems.extend(p);
        }
        // One graph, shared by the network in use and the base that scenarios edit.
        let graph = if manifest.network == Network::Streets && !layers.streets.is_empty() {
            Some(Arc::new(WalkGraph::build_streets(&layers.streets, &[])))
        } else {
            None
        };
        self.layers = layers;
        self.origin = origin;
        package_id.clone_into(&mut self.package_id);
        self.reach = graph.as_deref().map(Reach::new);
        let (nodes, edges) = graph
            .as_ref()
            .map_or((0, 0), |g| (g.node_count(), g.edge_count()));
        self.base_graph.clone_from(&graph);
        self.graph = graph;
        self.nearby = None;
        self.scenario.clear();
        self.place_cache = None;
        self.age_shares.clone_from(&manifest.age_shares);
        self.refresh_stations();
        Ok(LoadSummary {
            package_id: package_id.to_owned(),
            nodes,
            edges,
            counts,
            problems,
            places: self.places(),
            host_types: self.host_types(),
            drawn,
            zones,
        })
    }

    /// The loaded package with every imported file, as a package folder (the format of
    /// `shuangquan package`).
    ///
    /// # Errors
    /// [`EngineError::NothingToExport`] when no package is loaded.
    pub fn export_package(&self) -> Result<export::Folder, EngineError> {
        export::build(&self.package_id, &self.origin, &self.layers)
            .ok_or(EngineError::NothingToExport)
    }

    /// The loaded layers.
    pub fn layers(&self) -> &Layers {
        &self.layers
    }

    /// The loaded package's id.
    pub fn package_id(&self) -> &str {
        &self.package_id
    }

    /// The walk graph, when the package has one.
    pub fn graph(&self) -> Option<&WalkGraph> {
        self.graph.as_deref()
    }

    /// The street piece nearest a point (within 30 m) as a WGS-84 line, for closing it.
    pub fn edge_line_at(&self, at_wgs84: (f64, f64)) -> Option<Vec<(f64, f64)>> {
        let g = self.graph.as_deref()?;
        let opts = SnapOptions {
            max_off_network_m: 30.0,
            ..SnapOptions::default()
        };
        let s = g.snap(LonLat::new(at_wgs84.0, at_wgs84.1), &opts).ok()?;
        let proj = g.projection();
        Some(
            g.edge_geometry(s.edge)
                .iter()
                .map(|&q| {
                    let p = proj.unproject(q);
                    (p.lon, p.lat)
                })
                .collect(),
        )
    }

    /// Switches every analysis to a scenario's network: the package's graph with `edits`
    /// applied as an overlay and the `compounds` setting (no rebuild from the streets; see
    /// [`super::graph::overlay`]). `None` when the package has no network.
    ///
    /// # Errors
    /// Edits that cannot be placed, each named; the network in use is then unchanged.
    pub fn set_network(
        &mut self,
        compounds: Compounds,
        edits: &NetworkEdits,
    ) -> Result<Option<OverlayReport>, EditError> {
        let Some(base) = self.base_graph.as_ref() else {
            return Ok(None);
        };
        let rules = NetworkRules {
            compounds,
            ..NetworkRules::default()
        };
        // No edit and the base's own rules: the base graph itself, shared (the page sends this
        // after every import; a copy would hold a city's graph twice in the worker).
        let same = edits.edits.is_empty()
            && base.rules()
                == NetworkRules {
                    crossing_delay_s: edits.crossing_delay_s,
                    ..rules
                };
        let (g, report) = if same {
            (Arc::clone(base), OverlayReport::default())
        } else {
            let (g, report) = base.with_edits("scenario", edits, rules)?;
            (Arc::new(g), report)
        };
        self.graph = Some(g);
        self.nearby = None;
        self.searcher = Searcher::new();
        self.place_cache = None;
        Ok(Some(report))
    }

    /// One step of what the questions on the loaded demand and facilities begin with, done
    /// ahead of them (the worker calls it while it waits for the page): a slice of the
    /// network's snapping grid, then a chunk of the demand points snapped, then a chunk of the
    /// facilities ([`PREPARE_EDGES`] edges or [`PREPARE_POINTS`] points: a few ms each in the
    /// browser on the 8 × 8 city fixture, so that a click waits little for a step); each is
    /// kept as the questions keep them ([`Engine::coverage`] then finds them prepared, or goes
    /// on from where the steps stand). True when the step did work (call again: there may be
    /// more), false when nothing is left to prepare (also without a network or demand points).
    /// The answers are the same, prepared now or later, in steps or at once.
    pub fn prepare_step(&self) -> bool {
        self.prepare_step_of(PREPARE_EDGES, PREPARE_POINTS)
    }

    /// [`Engine::prepare_step`] in slices of `edges` edges and chunks of `points` points.
    fn prepare_step_of(&self, edges: usize, points: usize) -> bool {
        let Some(graph) = self.graph.as_deref() else {
            return false;
        };
        let d = &self.layers;
        if d.demand.is_empty() {
            return false;
        }
        let most = d.demand.len().max(d.facilities.len());
        if !self.snap_index_kept() && SnapIndex::pays_off(graph, most) {
            self.snap_index_step(edges);
            return true;
        }
        if !self.demand_points_kept() {
            self.demand_points_step(points);
            return true;
        }
        if !d.facilities.is_empty() && !self.facility_sites_kept() {
            self.facility_sites_step(points);
            return true;
        }
        false
    }

    /// The dual-circle assessment of every demand point of the loaded layers (package and
    /// imports). `progress(done, total)` is called after each target's search.
    ///
    /// # Errors
    /// Invalid parameters, or no demand points loaded.
    pub fn coverage(
        &self,
        params: &coverage::Params,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<CoverageAnswer, EngineError> {
        self.coverage_answer(params, true, progress)
    }

    /// [`Engine::coverage`], with the per-point CSV written only when `points_csv` is true
    /// (else it is empty): the app writes it when the planner exports it
    /// ([`Engine::coverage_points_csv`]), not on every run (60,000 points: ≈ 8.5 MB of text).
    ///
    /// # Errors
    /// Invalid parameters, or no demand points loaded.
    pub fn coverage_answer(
        &self,
        params: &coverage::Params,
        points_csv: bool,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<CoverageAnswer, EngineError> {
        access::check_speed(params.speed_m_per_min)?;
        let stations: Vec<LonLat> = self.stations.iter().map(|s| s.pos_wgs84).collect();
        let cov = self.assess(&stations, params, progress)?;
        let d = &self.layers;
        Ok(CoverageAnswer {
            seq: 0,
            units_geojson: cov.report_geojson(&d.demand),
            report_csv: cov.report_csv(),
            points_csv: if points_csv {
                cov.points_csv(&d.demand)
            } else {
                String::new()
            },
            coverage: cov,
            compute_ms: 0.0,
        })
    }

    /// The per-point CSV ([`Coverage::points_csv`]) of an assessment of the loaded demand.
    ///
    /// # Errors
    /// The assessment is not of the loaded demand points (another count).
    pub fn coverage_points_csv(&self, cov: &Coverage) -> Result<String, EngineError> {
        let demand = &self.layers.demand;
        if cov.points.len() != demand.len() {
            return Err(EngineError::Internal {
                what: format!(
                    "a coverage of {} points for {} demand points",
                    cov.points.len(),
                    demand.len()
                ),
            });
        }
        Ok(cov.points_csv(demand))
    }

    /// The dual-circle assessment of the loaded demand, facilities, communities and postings
    /// against `stations` (what [`Engine::coverage`] and the scenario figures share).
    fn assess(
        &self,
        stations: &[LonLat],
        params: &coverage::Params,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<Coverage, EngineError> {
        self.assess_on(self.graph.as_deref(), stations, params, progress)
    }

    /// [`Engine::assess`] on a given network (a scenario's, for a comparison).
    fn assess_on(
        &self,
        graph: Option<&WalkGraph>,
        stations: &[LonLat],
        params: &coverage::Params,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<Coverage, EngineError> {
        let d = &self.layers;
        if d.demand.is_empty() {
            return Err(EngineError::NoDemand);
        }
        let postings: Vec<LonLat> = d.postings.iter().map(|p| p.pos_wgs84).collect();
        let mut params = params.clone();
        params.snap = self.snap;
        let points = self.demand_points_on(graph);
        let sites = self.facility_sites_on(graph);
        coverage::compute_prepared(
            graph,
            points.as_deref(),
            sites.as_deref().map(Vec::as_slice),
            coverage::Inputs {
                demand: &d.demand,
                stations,
                facilities: &d.facilities,
                communities: &d.communities,
                postings: &postings,
            },
            &params,
            progress,
        )
        .map_err(|what| EngineError::InvalidParams { what })
    }

    /// Postings within a walk of `home`, filtered and ranked, and the services nearby: one
    /// walking search. An off-network home is an error that names the distance.
    ///
    /// # Errors
    /// Invalid query or home, or a home beyond the snapping limit.
    pub fn nearby(&mut self, home: (f64, f64), q: &Query) -> Result<NearbyAnswer, EngineError> {
        let graph = self.graph.as_deref();
        let d = &self.layers;
        let idx = self.nearby.get_or_insert_with(|| NearbyIndexes {
            postings: PostingIndex::new(graph, &d.postings, &self.snap),
            services: ServiceIndex::new(graph, &self.stations, &d.facilities, &self.snap),
        });
        let home = LonLat::new(home.0, home.1);
        let result = self
            .searcher
            .nearby(graph, &idx.postings, &d.postings, home, q, &self.snap)
            .map_err(|e| nearby_error(e, home))?;
        let services = self
            .searcher
            .services(graph, &idx.services, &self.stations, &d.facilities)
            .map_err(|e| nearby_error(e, home))?;
        let postings: Vec<Posting> = result
            .hits
            .iter()
            .map(|h| d.postings[h.posting].clone())
            .collect();
        let mut gj = String::from(r#"{"type":"FeatureCollection","features":["#);
        for (i, p) in postings.iter().enumerate() {
            if i > 0 {
                gj.push(',');
            }
            let _ = write!(
                gj,
                r#"{{"type":"Feature","geometry":{{"type":"Point","coordinates":[{:.7},{:.7}]}},"properties":{{"i":{i}}}}}"#,
                p.pos_wgs84.lon, p.pos_wgs84.lat
            );
        }
        gj.push_str("]}");
        let station = services
            .station
            .as_ref()
            .and_then(|s| self.stations.get(s.index).cloned());
        Ok(NearbyAnswer {
            seq: 0,
            result,
            postings,
            services,
            station,
            hits_geojson: gj,
            compute_ms: 0.0,
        })
    }

    /// The walking route from the last resident query's home to a posting.
    pub fn route_to_posting(&self, posting: usize) -> Option<RouteAnswer> {
        let graph = self.graph.as_deref()?;
        let idx = self.nearby.as_ref()?;
        let r = self
            .searcher
            .route_to(graph, idx.postings.places(), posting)?;
        let mut gj = String::from(
            r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":["#,
        );
        for (i, c) in r.line_wgs84.0.iter().enumerate() {
            if i > 0 {
                gj.push(',');
            }
            let _ = write!(gj, "[{:.7},{:.7}]", c.x, c.y);
        }
        gj.push_str("]}}]}");
        Some(RouteAnswer {
            posting,
            seconds: r.seconds,
            metres: r.metres,
            geojson: gj,
        })
    }

    /// Named places to choose a home from: each community with a boundary (its centroid) or
    /// with demand points (their weighted centre), by name.
    pub fn places(&self) -> Vec<(String, f64, f64)> {
        use geo::Centroid;
        let mut out: std::collections::BTreeMap<String, (f64, f64)> =
            std::collections::BTreeMap::new();
        for c in &self.layers.communities {
            if let Some(p) = c.boundary_wgs84.as_ref().and_then(Centroid::centroid) {
                out.entry(c.name.clone()).or_insert((p.x(), p.y()));
            }
        }
        let mut sums: std::collections::BTreeMap<&str, (f64, f64, f64)> =
            std::collections::BTreeMap::new();
        for d in &self.layers.demand {
            if let Some(name) = d.community.as_deref() {
                let e = sums.entry(name).or_default();
                let w = d.weight.max(1e-9);
                e.0 += d.pos_wgs84.lon * w;
                e.1 += d.pos_wgs84.lat * w;
                e.2 += w;
            }
        }
        for (name, (x, y, w)) in sums {
            out.entry(name.to_owned()).or_insert((x / w, y / w));
        }
        out.into_iter().map(|(n, (x, y))| (n, x, y)).collect()
    }

    /// Isochrones of one point for the given budgets (minutes) at `speed_m_per_min`.
    /// Without a network: straight-line estimates, labelled as such.
    pub fn isochrone(
        &mut self,
        at_wgs84: (f64, f64),
        minutes: &[f64],
        speed_m_per_min: f64,
    ) -> Result<IsoAnswer, EngineError> {
        let p = LonLat::new(at_wgs84.0, at_wgs84.1);
        if !p.is_valid() {
            return Err(EngineError::InvalidPosition {
                lon: p.lon,
                lat: p.lat,
            });
        }
        if !(speed_m_per_min.is_finite() && speed_m_per_min > 0.0) {
            return Err(EngineError::InvalidSpeed {
                m_per_min: speed_m_per_min,
            });
        }
        let max = minutes.iter().copied().fold(0.0_f64, f64::max);
        let Some(graph) = self.graph.as_deref() else {
            let iso = straight_line_isochrones(p, minutes, speed_m_per_min, DEFAULT_DETOUR_FACTOR);
            return Ok(answer(&iso, None, None, 0, true));
        };
        let snap = match graph.snap(p, &self.snap) {
            Ok(s) => s,
            Err(SnapError::OffNetwork { distance_m }) => {
                return Ok(IsoAnswer {
                    seq: 0,
                    geojson: r#"{"type":"FeatureCollection","features":[]}"#.to_owned(),
                    access_s: None,
                    off_network_m: Some(distance_m),
                    bands: Vec::new(),
                    reached_nodes: 0,
                    estimate: false,
                    compute_ms: 0.0,
                });
            }
            Err(e) => {
                return Err(EngineError::Internal {
                    what: e.to_string(),
                });
            }
        };
        let reach = self.reach.get_or_insert_with(|| Reach::new(graph));
        reach.run(
            graph,
            &[snap],
            WalkProfile::with_speed(speed_m_per_min),
            Budget::Minutes(max),
        );
        let iso = graph
            .isochrones(reach, minutes, &IsochroneOptions::default())
            .map_err(|e| EngineError::Internal {
                what: e.to_string(),
            })?;
        let access_s = snap.off_network_m / speed_m_per_min * 60.0;
        Ok(answer(
            &iso,
            Some(access_s),
            None,
            reach.reached_count(),
            false,
        ))
    }
}

fn answer(
    iso: &[Isochrone],
    access_s: Option<f64>,
    off_network_m: Option<f64>,
    reached_nodes: usize,
    estimate: bool,
) -> IsoAnswer {
    let mut bands = Vec::new();
    // Written directly, members in sorted order: the bytes `serde_json::json!` values wrote
    // (their objects are sorted maps), without building them (≈ a fifth of an isochrone's time
    // in the browser's worker; BENCHMARKS.md, issue 13's isochrone row).
    let mut geojson = String::with_capacity(16_384);
    geojson.push_str(r#"{"features":["#);
    for (n, i) in iso.iter().rev().enumerate() {
        let area_km2 = area_km2(&i.polygon_wgs84);
        bands.push(Band {
            minutes: i.minutes,
            area_km2,
        });
        if n > 0 {
            geojson.push(',');
        }
        geojson.push_str(r#"{"geometry":"#);
        push_multipolygon(&mut geojson, &i.polygon_wgs84);
        geojson.push_str(r#","properties":{"area_km2":"#);
        push_number(&mut geojson, (area_km2 * 1e4).round() / 1e4);
        geojson.push_str(if i.is_estimate() {
            r#","method":"straight_line_estimate","minutes":"#
        } else {
            r#","method":"network","minutes":"#
        });
        push_number(&mut geojson, i.minutes);
        geojson.push_str(r#"},"type":"Feature"}"#);
    }
    geojson.push_str(r#"],"type":"FeatureCollection"}"#);
    bands.reverse();
    IsoAnswer {
        seq: 0,
        geojson,
        access_s,
        off_network_m,
        bands,
        reached_nodes,
        estimate,
        compute_ms: 0.0,
    }
}

/// Area of a WGS-84 multipolygon in km², on a local projection about its first vertex.
fn area_km2(mp: &geo::MultiPolygon<f64>) -> f64 {
    let Some(first) = mp.0.first().and_then(|p| p.exterior().0.first()) else {
        return 0.0;
    };
    let proj = super::geom::LocalProjection::new(LonLat::new(first.x, first.y));
    let projected: geo::MultiPolygon<f64> =
        geo::MapCoords::map_coords(mp, |c| proj.project(LonLat::new(c.x, c.y)));
    projected.unsigned_area() / 1e6
}

/// The engine's error for a resident search's error.
fn nearby_error(e: NearbyError, home: LonLat) -> EngineError {
    match e {
        NearbyError::OffNetwork {
            distance_m,
            limit_m,
        } => EngineError::OffNetwork {
            distance_m,
            limit_m,
        },
        NearbyError::InvalidHome => EngineError::InvalidPosition {
            lon: home.lon,
            lat: home.lat,
        },
        NearbyError::EmptyNetwork => EngineError::EmptyNetwork,
        NearbyError::InvalidQuery { what } => EngineError::InvalidQuery { what },
        e => EngineError::Internal {
            what: e.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::geojson_out::GeoMultiPolygon;

    /// The answer's GeoJSON as it was written before it was written directly: `json!` values,
    /// then `to_string`.
    fn by_value_tree(iso: &[Isochrone]) -> String {
        let features: Vec<serde_json::Value> = iso
            .iter()
            .rev()
            .map(|i| {
                serde_json::json!({
                    "type": "Feature",
                    "properties": {
                        "minutes": i.minutes,
                        "method": if i.is_estimate() { "straight_line_estimate" } else { "network" },
                        "area_km2": (area_km2(&i.polygon_wgs84) * 1e4).round() / 1e4,
                    },
                    "geometry": GeoMultiPolygon(&i.polygon_wgs84),
                })
            })
            .collect();
        serde_json::json!({ "type": "FeatureCollection", "features": features }).to_string()
    }

    fn loaded(id: &str) -> (Engine, [f64; 2]) {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("static/data")
            .join(id);
        let json = std::fs::read_to_string(dir.join("manifest.json")).unwrap();
        let manifest = Manifest::parse(json.as_bytes()).unwrap();
        let files: Vec<(String, Vec<u8>)> = manifest
            .layers
            .iter()
            .map(|l| (l.id.clone(), std::fs::read(dir.join(&l.file)).unwrap()))
            .collect();
        let mut e = Engine::default();
        e.load(id, &json, &files).unwrap();
        (e, manifest.center_wgs84)
    }

    /// What the questions find prepared: the demand points and the facilities' sites (every
    /// field, as text: long, compared rather than printed).
    fn prepared(e: &Engine) -> String {
        let graph = e.graph.as_deref();
        format!("{:?} {:?}", e.demand_points(), e.facility_sites_on(graph))
    }

    /// Prepared in slices of a few edges and chunks of a few points, stopped after any number
    /// of steps, then asked: the points and sites the questions find are those an engine that
    /// prepared nothing finds, and nothing is left to prepare after the question (it went on
    /// from where the steps stood and kept the rest). The steps end, after about as many as
    /// the slices and chunks.
    #[test]
    fn a_question_in_the_middle_of_the_preparation_finds_what_is_prepared_at_once() {
        let (cold, _) = loaded("shanghai-central");
        let want = prepared(&cold);
        let (edges, demand, facilities) = (
            cold.graph().map_or(0, WalkGraph::edge_count),
            cold.layers.demand.len(),
            cold.layers.facilities.len(),
        );
        assert!(
            demand > 3 * 7 && facilities > 3 * 7,
            "{demand}, {facilities}: too few"
        );
        let (e, _) = loaded("shanghai-central");
        let mut all = 0;
        while e.prepare_step_of(500, 7) {
            all += 1;
        }
        let most = (3 * edges).div_ceil(500) + demand.div_ceil(7) + facilities.div_ceil(7);
        assert!(
            all > 10 && all <= most + 3,
            "{all} steps, {most} slices and chunks"
        );
        assert!(
            prepared(&e) == want,
            "prepared in steps: other points or sites"
        );
        for stop in [0, 1, all / 5, all / 2, all - demand.div_ceil(14), all - 1] {
            let (e, _) = loaded("shanghai-central");
            for _ in 0..stop {
                assert!(e.prepare_step_of(500, 7));
            }
            assert!(
                prepared(&e) == want,
                "asked after {stop} of {all} steps: other points or sites"
            );
            assert!(
                !e.prepare_step(),
                "asked after {stop} steps: left to prepare"
            );
        }
    }

    #[test]
    fn isochrone_answers_are_the_bytes_the_value_tree_wrote() {
        let mut seed = 13u64;
        let mut rnd = || {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            (seed >> 11) as f64 / (1u64 << 53) as f64 - 0.5
        };
        let mut drawn = 0;
        for id in ["shanghai-central", "helsinki", "qingdao"] {
            let (mut e, [lon, lat]) = loaded(id);
            for k in 0..12 {
                let at = (lon + 0.03 * rnd(), lat + 0.03 * rnd());
                let minutes: &[f64] = if k % 3 == 2 {
                    &[7.5, 2.0]
                } else {
                    &[5.0, 10.0, 15.0]
                };
                let speed = if k % 4 == 3 { 45.0 } else { 60.0 };
                let a = e.isochrone(at, minutes, speed).unwrap();
                let iso = match (e.graph.as_deref(), &e.reach) {
                    (Some(g), Some(reach)) if a.off_network_m.is_none() => g
                        .isochrones(reach, minutes, &IsochroneOptions::default())
                        .unwrap(),
                    (Some(_), _) => continue,
                    (None, _) => straight_line_isochrones(
                        LonLat::new(at.0, at.1),
                        minutes,
                        speed,
                        DEFAULT_DETOUR_FACTOR,
                    ),
                };
                assert_eq!(a.geojson, by_value_tree(&iso), "{id}, point {k}");
                drawn += 1;
            }
        }
        assert!(drawn >= 24, "only {drawn} isochrones drawn");
    }
}
