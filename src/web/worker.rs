//! The analysis web worker. The page sends requests; the worker runs the pure core and answers,
//! so the page never blocks on a computation.

use serde::{Deserialize, Serialize};
use yew_agent::prelude::*;
use yew_agent::worker::{HandlerId, Worker};

/// A request from the page.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Request {
    /// Liveness check: answered with [`Response::Pong`] carrying the same number.
    Ping(u32),
    /// Load a package: its manifest and each layer's text by layer id.
    Load {
        /// Package id.
        package_id: String,
        /// The manifest, as JSON.
        manifest_json: String,
        /// (layer id, file text).
        files: Vec<(String, String)>,
    },
    /// Import a user file (CSV, GeoJSON, OSM) into the loaded package.
    Import {
        /// File name (decides the format and, for CSV, the layer guess).
        file: String,
        /// File bytes.
        bytes: Vec<u8>,
    },
    /// Walking isochrones from one point.
    Isochrone {
        /// Request number (answers carry it back).
        seq: u64,
        /// The point (lon, lat), WGS-84.
        at_wgs84: (f64, f64),
        /// Budgets in minutes.
        minutes: Vec<f64>,
        /// Walking speed, metres per minute.
        speed_m_per_min: f64,
    },
    /// A resident query: postings and services within a walk of a home.
    Nearby {
        /// Request number.
        seq: u64,
        /// Home (lon, lat).
        home: (f64, f64),
        /// Minutes, speed, filters, profile: a JSON [`crate::plan::nearby::Query`] (the worker's
        /// binary codec cannot carry its internally tagged and flexible fields).
        query_json: String,
    },
    /// The walking route from the last resident query's home to a posting.
    Route {
        /// Posting index.
        posting: usize,
    },
    /// The dual-circle assessment of the loaded layers.
    Coverage {
        /// Request number.
        seq: u64,
        /// Thresholds, speed and model share.
        params: crate::plan::coverage::Params,
    },
    /// Station placement on the candidates.
    Place {
        /// Request number.
        seq: u64,
        /// What to place.
        params: crate::plan::engine::PlaceParams,
    },
    /// Supply–demand ratios (2SFCA / E2SFCA) of the loaded layers.
    Access {
        /// Request number.
        seq: u64,
        /// Method, standard, thresholds, speed, target ratios.
        params: crate::plan::access::Params,
    },
    /// The accessibility surface of the loaded network.
    Surface {
        /// Request number.
        seq: u64,
        /// Cell size, thresholds, speed.
        params: crate::plan::access::SurfaceParams,
    },
    /// The scenario's accepted sites: every later analysis counts them as stations.
    SetScenario(Vec<crate::plan::scenario::Site>),
    /// The figures of the loaded data with these sites added (one side of a comparison).
    Figures {
        /// Request number.
        seq: u64,
        /// Which side (0 or 1).
        side: u8,
        /// The scenario's sites.
        sites: Vec<crate::plan::scenario::Site>,
        /// Thresholds and speed.
        params: crate::plan::coverage::Params,
    },
}

pub use crate::plan::engine::{AccessAnswer, SurfaceAnswer};
pub use crate::plan::engine::{
    CoverageAnswer, ImportAnswer, IsoAnswer, LoadSummary, NearbyAnswer, PlaceAnswer, RouteAnswer,
    ScenarioFigures,
};

/// An answer to the page.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Response {
    /// Answer to [`Request::Ping`].
    Pong(u32),
    /// Answer to [`Request::Load`].
    Loaded(LoadSummary),
    /// Answer to [`Request::Import`].
    Imported(ImportAnswer),
    /// Answer to [`Request::Isochrone`].
    Isochrone(IsoAnswer),
    /// Answer to [`Request::Coverage`].
    Coverage(Box<CoverageAnswer>),
    /// Answer to [`Request::Nearby`]: a JSON [`NearbyAnswer`] (its reasons are internally
    /// tagged, which the binary codec cannot carry).
    Nearby(String),
    /// A resident query failed (e.g. the home is off the network): (request number, message).
    NearbyError(u64, String),
    /// Answer to [`Request::Route`] (None: no route).
    Route(Option<RouteAnswer>),
    /// Answer to [`Request::Place`].
    Place(Box<PlaceAnswer>),
    /// A placement failed: (request number, message).
    PlaceError(u64, String),
    /// Answer to [`Request::Figures`]: (request number, side, figures or message).
    Figures(u64, u8, Result<ScenarioFigures, String>),
    /// Answer to [`Request::Access`].
    Access(Box<AccessAnswer>),
    /// Answer to [`Request::Surface`].
    Surface(Box<SurfaceAnswer>),
    /// A ratios or surface request failed: (request number, typed error; nothing computed).
    AccessError(u64, crate::plan::access::AccessError),
    /// Progress of a long request: (task, done, total).
    Progress(String, usize, usize),
    /// A request failed; readable message.
    Error(String),
}

/// The engine worker: holds the loaded package and its walk graph.
pub struct Engine {
    engine: crate::plan::engine::Engine,
}

impl Worker for Engine {
    type Message = ();
    type Input = Request;
    type Output = Response;

    fn create(_scope: &WorkerScope<Self>) -> Self {
        Self {
            engine: crate::plan::engine::Engine::default(),
        }
    }

    fn update(&mut self, _scope: &WorkerScope<Self>, _msg: Self::Message) {}

    fn received(&mut self, scope: &WorkerScope<Self>, msg: Self::Input, id: HandlerId) {
        let out = match msg {
            Request::Ping(n) => Response::Pong(n),
            Request::Load {
                package_id,
                manifest_json,
                files,
            } => match self.engine.load(&package_id, &manifest_json, &files) {
                Ok(s) => Response::Loaded(s),
                Err(e) => Response::Error(e),
            },
            Request::Import { file, bytes } => {
                Response::Imported(self.engine.import_file(&file, &bytes))
            }
            Request::Isochrone {
                seq,
                at_wgs84,
                minutes,
                speed_m_per_min,
            } => {
                let t0 = now_ms();
                match self.engine.isochrone(at_wgs84, &minutes, speed_m_per_min) {
                    Ok(mut a) => {
                        a.seq = seq;
                        a.compute_ms = now_ms() - t0;
                        Response::Isochrone(a)
                    }
                    Err(e) => Response::Error(e),
                }
            }
            Request::Nearby {
                seq,
                home,
                query_json,
            } => {
                let t0 = now_ms();
                match serde_json::from_str::<crate::plan::nearby::Query>(&query_json)
                    .map_err(|e| e.to_string())
                    .and_then(|q| self.engine.nearby(home, &q))
                {
                    Ok(mut a) => {
                        a.seq = seq;
                        a.compute_ms = now_ms() - t0;
                        match serde_json::to_string(&a) {
                            Ok(json) => Response::Nearby(json),
                            Err(e) => Response::NearbyError(seq, e.to_string()),
                        }
                    }
                    Err(e) => Response::NearbyError(seq, e),
                }
            }
            Request::Route { posting } => Response::Route(self.engine.route_to_posting(posting)),
            Request::Coverage { seq, params } => {
                let t0 = now_ms();
                let mut progress = |done: usize, total: usize| {
                    scope.respond(id, Response::Progress("coverage".to_owned(), done, total));
                };
                match self.engine.coverage(&params, &mut progress) {
                    Ok(mut a) => {
                        a.seq = seq;
                        a.compute_ms = now_ms() - t0;
                        Response::Coverage(Box::new(a))
                    }
                    Err(e) => Response::Error(e),
                }
            }
            Request::Place { seq, params } => {
                let t0 = now_ms();
                let mut progress = |done: usize, total: usize| {
                    // Every 16th candidate: enough for a smooth bar, few messages.
                    if done.is_multiple_of(16) || done == total {
                        scope.respond(id, Response::Progress("place".to_owned(), done, total));
                    }
                };
                match self.engine.place(&params, &mut progress) {
                    Ok(mut a) => {
                        a.seq = seq;
                        a.compute_ms = now_ms() - t0;
                        Response::Place(Box::new(a))
                    }
                    Err(e) => Response::PlaceError(seq, e),
                }
            }
            Request::Access { seq, params } => {
                let t0 = now_ms();
                match self.engine.access(&params, &mut |_, _| {}) {
                    Ok(mut a) => {
                        a.seq = seq;
                        a.compute_ms = now_ms() - t0;
                        Response::Access(Box::new(a))
                    }
                    Err(e) => Response::AccessError(seq, e),
                }
            }
            Request::Surface { seq, params } => {
                let t0 = now_ms();
                match self.engine.surface(&params) {
                    Ok(mut a) => {
                        a.seq = seq;
                        a.compute_ms = now_ms() - t0;
                        Response::Surface(Box::new(a))
                    }
                    Err(e) => Response::AccessError(seq, e),
                }
            }
            Request::SetScenario(sites) => {
                self.engine.set_scenario(&sites);
                return;
            }
            Request::Figures {
                seq,
                side,
                sites,
                params,
            } => Response::Figures(
                seq,
                side,
                self.engine
                    .scenario_figures(&sites, &params, &mut |_, _| {}),
            ),
        };
        scope.respond(id, out);
    }
}

/// Milliseconds from the worker's (or page's) performance clock.
pub fn now_ms() -> f64 {
    use wasm_bindgen::JsCast;
    let g = js_sys::global();
    if let Some(p) = g
        .dyn_into::<web_sys::WorkerGlobalScope>()
        .ok()
        .and_then(|w| w.performance())
    {
        return p.now();
    }
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        return p.now();
    }
    js_sys::Date::now()
}

/// Entry point of the `worker` binary.
pub fn register() {
    Engine::registrar().register();
}
