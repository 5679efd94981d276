//! The analysis web worker. The page sends [`Request`]s; the worker runs the pure core and
//! answers with [`Response`]s, so the page never blocks on a computation.

use yew_agent::prelude::*;
use yew_agent::worker::{HandlerId, Worker};

use super::protocol::{Codec, Request, Response, Task};

/// The engine worker: holds the loaded package and its walk graph.
pub struct Engine {
    engine: crate::plan::engine::Engine,
    /// The last accessibility surface (its files are written here on request).
    surface: Option<crate::plan::access::Surface>,
}

impl Worker for Engine {
    type Message = ();
    type Input = Request;
    type Output = Response;

    fn create(_scope: &WorkerScope<Self>) -> Self {
        Self {
            engine: crate::plan::engine::Engine::default(),
            surface: None,
        }
    }

    fn update(&mut self, _scope: &WorkerScope<Self>, _msg: Self::Message) {}

    fn received(&mut self, scope: &WorkerScope<Self>, msg: Self::Input, id: HandlerId) {
        let failed = |task, seq, error| Response::Failed { task, seq, error };
        let out = match msg {
            Request::Ping(n) => Response::Pong(n),
            Request::Load {
                package_id,
                manifest_json,
                files,
            } => match self.engine.load(&package_id, &manifest_json, &files) {
                Ok(s) => Response::Loaded(s),
                Err(e) => failed(Task::Load, 0, e),
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
                    Err(e) => failed(Task::Isochrone, seq, e),
                }
            }
            Request::Nearby {
                seq,
                home_wgs84,
                query,
            } => {
                let t0 = now_ms();
                match self.engine.nearby(home_wgs84, &query) {
                    Ok(mut a) => {
                        a.seq = seq;
                        a.compute_ms = now_ms() - t0;
                        Response::Nearby(Box::new(a))
                    }
                    Err(e) => failed(Task::Nearby, seq, e),
                }
            }
            Request::Route { seq, posting } => Response::Route {
                seq,
                route: self.engine.route_to_posting(posting),
            },
            Request::Coverage { seq, params } => {
                let t0 = now_ms();
                let mut progress = |done: usize, total: usize| {
                    scope.respond(
                        id,
                        Response::Progress {
                            task: Task::Coverage,
                            seq,
                            done,
                            total,
                        },
                    );
                };
                match self.engine.coverage(&params, &mut progress) {
                    Ok(mut a) => {
                        a.seq = seq;
                        a.compute_ms = now_ms() - t0;
                        Response::Coverage(Box::new(a))
                    }
                    Err(e) => failed(Task::Coverage, seq, e),
                }
            }
            Request::Place { seq, params } => {
                let t0 = now_ms();
                let mut progress = |done: usize, total: usize| {
                    // Every 16th candidate: enough for a smooth bar, few messages.
                    if done.is_multiple_of(16) || done == total {
                        scope.respond(
                            id,
                            Response::Progress {
                                task: Task::Place,
                                seq,
                                done,
                                total,
                            },
                        );
                    }
                };
                let mut out_of_time =
                    crate::plan::place::exact::time_budget(params.time_limit_s, now_ms);
                match self
                    .engine
                    .place_within(&params, &mut progress, &mut out_of_time)
                {
                    Ok(mut a) => {
                        a.seq = seq;
                        a.compute_ms = now_ms() - t0;
                        Response::Place(Box::new(a))
                    }
                    Err(e) => failed(Task::Place, seq, e),
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
            } => match self
                .engine
                .scenario_figures(&sites, &params, &mut |_, _| {})
            {
                Ok(figures) => Response::Figures { seq, side, figures },
                Err(e) => failed(Task::Figures, seq, e),
            },
            Request::Access { seq, params } => {
                let t0 = now_ms();
                let mut progress = |done: usize, total: usize| {
                    let task = Task::Access;
                    scope.respond(
                        id,
                        Response::Progress {
                            task,
                            seq,
                            done,
                            total,
                        },
                    );
                };
                match self.engine.supply_demand(&params, &mut progress) {
                    Ok(mut a) => {
                        a.seq = seq;
                        a.compute_ms = now_ms() - t0;
                        Response::Access(Box::new(a))
                    }
                    Err(e) => failed(Task::Access, seq, e),
                }
            }
            Request::Surface { seq, params } => {
                let t0 = now_ms();
                self.surface = None;
                match self.engine.accessibility_surface(&params) {
                    Ok(mut a) => {
                        a.seq = seq;
                        a.compute_ms = now_ms() - t0;
                        self.surface = Some(a.surface.clone());
                        Response::Surface(Box::new(a))
                    }
                    Err(e) => failed(Task::Surface, seq, e),
                }
            }
            Request::SurfaceFile { seq, geojson } => match &self.surface {
                Some(s) => Response::SurfaceFile {
                    seq,
                    geojson,
                    text: if geojson { s.geojson() } else { s.csv() },
                },
                None => failed(
                    Task::Surface,
                    seq,
                    crate::plan::engine::EngineError::Internal {
                        what: "no surface has been computed".to_owned(),
                    },
                ),
            },
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
    Engine::registrar().encoding::<Codec>().register();
}
