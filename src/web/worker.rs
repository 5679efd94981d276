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
    /// The dual-circle assessment of the loaded layers.
    Coverage {
        /// Request number.
        seq: u64,
        /// Thresholds, speed and model share.
        params: crate::plan::coverage::Params,
    },
}

pub use crate::plan::engine::{CoverageAnswer, ImportAnswer, IsoAnswer, LoadSummary};

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
