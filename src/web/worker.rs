//! The analysis web worker. The page sends [`Request`]s; the worker runs the pure core and
//! answers with [`Response`]s, so the page never blocks on a computation.
//!
//! A plain dedicated worker (no agent framework): [`register`] answers [`Response::Ready`]
//! once its wasm runs and then one message at a time, in order. The page owns the `Worker`
//! object (`web::bridge`), so it can terminate a long computation for real and start a
//! new worker.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

use super::i18n::Both;
use super::protocol::{Request, Response, Task, decode, encode, transfer};

/// The engine worker: holds the loaded package and its walk graph.
#[derive(Default)]
#[allow(clippy::struct_field_names)] // `engine`: the core's engine inside the worker's.
pub struct Engine {
    engine: crate::plan::engine::Engine,
    /// The last accessibility surface (its files are written here on request).
    surface: Option<crate::plan::access::Surface>,
    /// The community search over the loaded package's places, its pinyin table fetched on
    /// first use.
    places: super::pinyin::Places,
    /// The map's tiles of the loaded data.
    tiles: super::tiles::Tiles,
    /// The stages of the import being answered.
    marks: Option<StageMarks>,
    /// The streets of the import being answered whose label points follow its answer, with
    /// its number.
    labels: Option<(u64, std::ops::Range<usize>)>,
    /// Those label points being found in idle steps after the answer, with the import's marks.
    label_steps: Option<(u64, crate::plan::labels::LabelSteps, Option<StageMarks>)>,
    /// The last coverage assessment with its answer's number: the per-point CSV is written
    /// from it when the planner exports it ([`Request::CoveragePoints`]).
    coverage: Option<(u64, crate::plan::coverage::Coverage)>,
    /// The warm-up isochrones that counted for this network ([`Engine::warm_up`]).
    warmed: usize,
    /// When they ran.
    warm_marks: Option<StageMarks>,
    /// The warm-up isochrones drawn for this network, counted or not.
    tries: usize,
    /// The warm-up's points over the worker's life.
    points: u64,
    /// Requests received (the idle preparation waits for a quiet spell: [`Engine::idle_step`]).
    requests: u64,
    /// `requests` when the idle step now queued was queued: a request since puts the
    /// preparation off.
    queued_at: u64,
    /// A request changed the data or the network: prepare for the next question when idle.
    prepare: bool,
    /// The last handler call was a preparation step with more to do: the next one follows at
    /// once (after a request, after [`IDLE_MS`]).
    stepped: bool,
    /// The idle preparation's steps (for `bench/city_browser.mjs`).
    prepared: Option<StageMarks>,
}

/// Isochrones the worker draws on its own once it has a street network, each in a task of its
/// own, their answers discarded: the browser compiles a wasm function for speed only after it
/// has run a while, so without them the planner's first click would run the polygon passes
/// unoptimised (BENCHMARKS.md, issue 13's isochrone row).
const WARM_UP_ISOCHRONES: usize = 4;

/// Nodes a warm-up isochrone reaches at least to count (a click in a city reaches hundreds).
const WARM_UP_REACH: usize = 100;

/// Warm-up isochrones drawn at most for a network, counted or not.
const WARM_UP_TRIES: usize = 12;

/// A long request's stages in the worker: (stage, ms since the request, wasm memory in bytes
/// after it), put on the worker's global `global` for `bench/city_browser.mjs`: an import's on
/// `shuangquanImport`, a coverage run's or a placement's on `shuangquanAnalysis`.
struct StageMarks {
    global: &'static str,
    marks: Vec<(String, f64, f64)>,
}

impl StageMarks {
    /// Marks that start with `first` now.
    fn start(global: &'static str, first: &str) -> Self {
        let mut m = Self {
            global,
            marks: Vec::new(),
        };
        m.mark(first);
        m
    }

    fn mark(&mut self, stage: impl Into<String>) {
        let memory = wasm_bindgen::memory()
            .dyn_into::<js_sys::WebAssembly::Memory>()
            .map_or(0.0, |m| {
                f64::from(
                    m.buffer()
                        .unchecked_into::<js_sys::ArrayBuffer>()
                        .byte_length(),
                )
            });
        self.marks.push((stage.into(), now_ms(), memory));
    }

    fn publish(&self) {
        let t0 = self.marks.first().map_or(0.0, |m| m.1);
        let list = js_sys::Array::new();
        for (stage, ms, memory) in &self.marks {
            let o = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&o, &"stage".into(), &stage.as_str().into());
            let _ = js_sys::Reflect::set(&o, &"ms".into(), &(ms - t0).into());
            let _ = js_sys::Reflect::set(&o, &"at".into(), &(*ms).into());
            let _ = js_sys::Reflect::set(&o, &"memoryBytes".into(), &(*memory).into());
            list.push(&o);
        }
        let _ = js_sys::Reflect::set(&js_sys::global(), &self.global.into(), &list);
    }
}

impl Engine {
    /// Which street network is loaded (its address; `None`: none).
    fn network(&self) -> Option<*const crate::plan::graph::WalkGraph> {
        self.engine.graph().map(std::ptr::from_ref)
    }

    /// True while the warm-up has isochrones left to draw and there is a street network.
    fn warm_up_due(&self) -> bool {
        self.warmed < WARM_UP_ISOCHRONES
            && self.tries < WARM_UP_TRIES
            && self.engine.graph().is_some_and(|g| !g.is_empty())
    }

    /// Draws one warm-up isochrone (the planner's budgets and speed) and discards it. Its
    /// point is a network node, the next of a low-discrepancy sequence over the node order
    /// (Hilbert order: spread over the map); only a walk that reaches at least
    /// [`WARM_UP_REACH`] nodes counts (a node inside a gated compound or on a stray piece of
    /// street reaches a handful: too little work to warm anything), and at most
    /// [`WARM_UP_TRIES`] are drawn for a network.
    fn warm_up(&mut self) {
        if !self.warm_up_due() {
            return;
        }
        self.tries += 1;
        let Some(p) = self.engine.graph().map(|g| {
            // Points tried over the worker's life, so a new network starts elsewhere too.
            self.points += 1;
            let at = (self.points as f64 * 0.618_033_988_75).fract() * g.node_count() as f64;
            g.node_wgs84(crate::plan::graph::NodeId(at as u32))
        }) else {
            return;
        };
        // When each ran (a "from" and a "to" mark each), for bench/city_browser.mjs.
        let marks = self.warm_marks.get_or_insert(StageMarks {
            global: "shuangquanWarmUp",
            marks: Vec::new(),
        });
        marks.mark("from");
        let iso = self.engine.isochrone(
            (p.lon, p.lat),
            &super::state::BUDGETS_MIN,
            super::state::DEFAULT_SPEED_M_PER_MIN,
        );
        marks.mark("to");
        marks.publish();
        if iso.is_ok_and(|a| a.reached_nodes >= WARM_UP_REACH) {
            self.warmed += 1;
        }
    }

    /// Records that an idle step is being queued and returns its delay in ms, if one is due:
    /// the warm-up's isochrones at once, then the preparation after [`IDLE_MS`] without a
    /// request, its later steps one after another while no request comes.
    fn queue_idle(&mut self) -> Option<i32> {
        self.queued_at = self.requests;
        if self.label_steps.is_some() || self.warm_up_due() {
            Some(0)
        } else if self.prepare {
            Some(if self.stepped { 0 } else { IDLE_MS })
        } else {
            None
        }
    }

    /// One idle step: a warm-up isochrone, or else, if no request has arrived since the step
    /// was queued, steps of preparing what the next question on the loaded data begins with
    /// (slices of the snapping grid, chunks of the demand points and of the facilities snapped:
    /// [`crate::plan::engine::Engine::prepare_step`]) for [`PREPARE_MS`]. A request that
    /// arrives meanwhile waits for that at most, and finds done what was done (a coverage run
    /// goes on from there), so its answer comes no later than without the preparation. Each
    /// idle step's start and end ("step", "done") are stage marks on the worker's global
    /// `shuangquanPrepared`, for `bench/city_browser.mjs`.
    fn idle_step(&mut self) {
        self.stepped = false;
        if self.label_steps.is_some() {
            self.label_step(PREPARE_MS);
        } else if self.warm_up_due() {
            self.warm_up();
        } else if self.prepare && self.requests == self.queued_at {
            let mut marks = self
                .prepared
                .take()
                .unwrap_or_else(|| StageMarks::start("shuangquanPrepared", "idle"));
            marks.mark("step");
            let t0 = now_ms();
            self.prepare = self.engine.prepare_step();
            while self.prepare && now_ms() - t0 < PREPARE_MS {
                self.prepare = self.engine.prepare_step();
            }
            self.stepped = self.prepare;
            marks.mark("done");
            marks.publish();
            self.prepared = Some(marks);
        }
    }

    /// Finds the import's label points for `ms` (slices of [`LABEL_STREETS`] streets) and,
    /// when they are all found, posts them (the import's marks "labels", "labels posted").
    fn label_step(&mut self, ms: f64) {
        let Some((seq, mut steps, mut marks)) = self.label_steps.take() else {
            return;
        };
        let t0 = now_ms();
        while !self.engine.street_label_step(&mut steps, LABEL_STREETS) {
            if now_ms() - t0 >= ms {
                self.label_steps = Some((seq, steps, marks));
                return;
            }
        }
        if let Some(m) = &mut marks {
            m.mark("labels");
        }
        post(Response::StreetLabels {
            seq,
            points: steps.points(),
        });
        if let Some(m) = &mut marks {
            m.mark("labels posted");
            m.publish();
        }
    }

    /// Handles one request; `respond` posts an answer (or a progress report) to the page.
    pub fn received(&mut self, msg: Request, respond: &dyn Fn(Response)) {
        let failed = |task, seq, error| Response::Failed { task, seq, error };
        // An import's label points still being found come first, but to a click's requests
        // and the map's tiles (which read no street's label).
        if !matches!(
            msg,
            Request::Isochrone { .. } | Request::EdgeAt { .. } | Request::Tile { .. }
        ) {
            self.label_step(f64::INFINITY);
        }
        self.requests += 1;
        self.stepped = false;
        if matches!(
            msg,
            Request::Load { .. }
                | Request::Import { .. }
                | Request::ImportAs { .. }
                | Request::SetNetwork { .. }
        ) {
            // The marks start again with each new preparation (they do not grow with edits).
            self.prepare = true;
            self.prepared = None;
        }
        let out = match msg {
            Request::Ping(n) => Response::Pong(n),
            Request::Load {
                package_id,
                manifest_json,
                files,
            } => match self.engine.load(&package_id, &manifest_json, &files) {
                Ok(s) => {
                    // The page's list of places is this one: search positions index it.
                    self.places
                        .load(s.places.iter().map(|p| p.0.clone()).collect());
                    Response::Loaded(s.map_problems(Both::problem))
                }
                Err(e) => failed(Task::Load, 0, e),
            },
            Request::Import { file, bytes } => {
                let mut marks = StageMarks::start("shuangquanImport", "request decoded");
                let a = self
                    .engine
                    .import_bytes_staged(&file, bytes, None, &mut |s| marks.mark(s.name()));
                self.marks = Some(marks);
                Response::Imported(a.map_problems(Both::problem))
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
                        Response::Nearby(Box::new(a.map_reasons(Both::reason)))
                    }
                    Err(e) => failed(Task::Nearby, seq, e),
                }
            }
            Request::Route { seq, posting } => Response::Route {
                seq,
                route: self.engine.route_to_posting(posting),
            },
            req @ (Request::Coverage { .. }
            | Request::CoveragePoints { .. }
            | Request::Place { .. }
            | Request::Access { .. }
            | Request::Surface { .. }) => self.analysis(req, respond),
            Request::SetScenario(sites) => {
                self.engine.set_scenario(&sites);
                return;
            }
            Request::Figures {
                seq,
                side,
                sites,
                params,
                compounds,
                edits,
            } => match self
                .engine
                .scenario_figures_on(&sites, compounds, &edits, &params)
            {
                Ok(figures) => Response::Figures { seq, side, figures },
                Err(e) => failed(Task::Figures, seq, e),
            },
            Request::SetNetwork {
                seq,
                compounds,
                edits,
            } => {
                let t0 = now_ms();
                match self.engine.switch_network(compounds, &edits) {
                    Ok(r) => Response::NetworkSet {
                        seq,
                        ms: now_ms() - t0,
                        added_m: r.map_or(0, |r| r.added_path_m),
                        closed_m: r.map_or(0, |r| r.closed_m),
                    },
                    Err(e) => failed(Task::Network, seq, e),
                }
            }
            Request::EdgeAt { at_wgs84 } => Response::Edge(self.engine.edge_line_at(at_wgs84)),
            Request::ReadEdits { seq, file, bytes } => {
                match self.engine.read_edits(&file, &bytes) {
                    Ok(edits) => Response::EditsRead { seq, file, edits },
                    Err(e) => failed(Task::EditsFile, seq, e),
                }
            }
            req @ Request::ImportAs { .. } => {
                let mut marks = StageMarks::start("shuangquanImport", "request decoded");
                let a = super::owndata::answer(
                    &mut self.engine,
                    req,
                    &mut |s| marks.mark(s.name()),
                    &mut self.labels,
                );
                self.marks = Some(marks);
                a
            }
            Request::ExportPackage { seq } => {
                // Answered when the browser has compressed it.
                super::owndata::export(&self.engine, seq, post);
                return;
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
            Request::FindPlaces { seq, text, limit } => {
                match self.places.find(seq, text, limit, post) {
                    Some(found) => found,
                    // Answered when the pinyin table has arrived.
                    None => return,
                }
            }
            Request::PinyinTable { url } => {
                self.places.set_url(url);
                return;
            }
            Request::Tile {
                seq,
                layer,
                import,
                key,
            } => self
                .tiles
                .answer(&self.engine, seq, layer, import, key, now_ms),
            Request::PaintDemand { mask } => Response::Painted(self.tiles.paint(mask)),
            Request::SetPainting(codes) => {
                self.tiles.restore(codes);
                return;
            }
            Request::StreetAt { seq, import, id } => Response::Street {
                seq,
                info: self.tiles.street(&self.engine, import, id),
            },
        };
        self.tiles.follow(&self.engine, &out);
        respond(out);
        let mut marks = self.marks.take();
        if let Some(m) = &mut marks {
            m.mark("answer posted");
            m.publish();
        }
        // The network is on the page: now the label points of the streets imported, in idle
        // steps (a click meanwhile waits for one step, not for them all).
        if let Some((seq, range)) = self.labels.take() {
            self.label_steps = Some((seq, crate::plan::labels::LabelSteps::new(range), marks));
        }
    }

    /// The long analyses (coverage, placement, supply–demand ratios, the surface), with their
    /// progress reports and compute times.
    fn analysis(&mut self, msg: Request, respond: &dyn Fn(Response)) -> Response {
        let failed = |task, seq, error| Response::Failed { task, seq, error };
        match msg {
            Request::Coverage { seq, params } => {
                let t0 = now_ms();
                let marks = RefCell::new(StageMarks::start("shuangquanAnalysis", "request"));
                let mut progress = |done, total| {
                    marks.borrow_mut().mark(format!("target {done} of {total}"));
                    report(respond, Task::Coverage, seq, done, total);
                };
                // The per-point CSV is written on export only (Request::CoveragePoints).
                let answer = self.engine.coverage_answer(&params, false, &mut progress);
                let mut marks = marks.into_inner();
                marks.mark("answer built");
                self.coverage = None;
                let out = match answer {
                    Ok(mut a) => {
                        a.seq = seq;
                        a.compute_ms = now_ms() - t0;
                        self.coverage = Some((seq, a.coverage.clone()));
                        Response::Coverage(Box::new(a))
                    }
                    Err(e) => failed(Task::Coverage, seq, e),
                };
                marks.mark("assessment kept");
                marks.publish();
                out
            }
            Request::CoveragePoints {
                seq,
                answer,
                params,
            } => {
                let text = match &self.coverage {
                    Some((n, cov)) if *n == answer => self.engine.coverage_points_csv(cov),
                    // Another worker computed it (this one took over): assessed again.
                    _ => self
                        .engine
                        .coverage_answer(&params, true, &mut |_, _| {})
                        .map(|a| a.points_csv),
                };
                match text {
                    Ok(text) => Response::CoveragePoints {
                        seq,
                        package_id: self.engine.package_id().to_owned(),
                        text,
                    },
                    Err(e) => {
                        // The error is shown; the empty file completes the request.
                        respond(failed(Task::Coverage, seq, e));
                        Response::CoveragePoints {
                            seq,
                            package_id: String::new(),
                            text: String::new(),
                        }
                    }
                }
            }
            Request::Place { seq, params } => {
                let t0 = now_ms();
                let marks = RefCell::new(StageMarks::start("shuangquanAnalysis", "request"));
                let mut progress = |done: usize, total: usize| {
                    if done == 0 || done == total {
                        marks
                            .borrow_mut()
                            .mark(format!("candidates {done} of {total}"));
                    }
                    // Every 16th candidate: enough for a smooth bar, few messages.
                    if done.is_multiple_of(16) || done == total {
                        report(respond, Task::Place, seq, done, total);
                    }
                };
                let mut budget =
                    crate::plan::place::exact::time_budget(params.time_limit_s, now_ms);
                // The budget's first question: the greedy and its kicks are done, the exact
                // search starts (the budget's clock starts there too).
                let mut asked = false;
                let mut out_of_time = || {
                    if !std::mem::replace(&mut asked, true) {
                        marks.borrow_mut().mark("exact search");
                    }
                    budget()
                };
                let answer = self
                    .engine
                    .place_within(&params, &mut progress, &mut out_of_time);
                let mut marks = marks.into_inner();
                marks.mark("solved");
                marks.publish();
                match answer {
                    Ok(mut a) => {
                        a.seq = seq;
                        a.compute_ms = now_ms() - t0;
                        Response::Place(Box::new(a))
                    }
                    Err(e) => failed(Task::Place, seq, e),
                }
            }
            Request::Access { seq, params } => {
                let t0 = now_ms();
                let mut progress = |done, total| report(respond, Task::Access, seq, done, total);
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
            _ => Response::misrouted(),
        }
    }
}

/// Posts a long request's progress.
fn report(respond: &dyn Fn(Response), task: Task, seq: u64, done: usize, total: usize) {
    respond(Response::Progress {
        task,
        seq,
        done,
        total,
    });
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

/// Entry point of the `worker` binary: answers every message with the engine, then says it is
/// ready (the page queues its requests until then).
pub fn register() {
    let Ok(scope) = js_sys::global().dyn_into::<web_sys::DedicatedWorkerGlobalScope>() else {
        return;
    };
    // The worker's wasm memory, read by bench/city_browser.mjs (issue 13: worker memory after a
    // city-size import). Failing to set it changes nothing else.
    let _ = js_sys::Reflect::set(&scope, &"shuangquanMemory".into(), &wasm_bindgen::memory());
    let engine = Rc::new(RefCell::new(Engine::default()));
    // Whether an idle step (a warm-up isochrone, a preparation step) is queued.
    let queued = std::cell::Cell::new(false);
    let this = Rc::new(std::cell::OnceCell::<js_sys::Function>::new());
    let handler = Rc::clone(&this);
    // The message handler is also the idle steps' timer callback (called without an event):
    // one closure in the module, not two.
    let onmessage =
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
            if e.is_undefined() {
                queued.set(false);
                engine.borrow_mut().idle_step();
            } else {
                let network = engine.borrow().network();
                match decode::<Request>(e.data()) {
                    Ok(req) => engine.borrow_mut().received(req, &post),
                    Err(what) => post(Response::Failed {
                        task: Task::Load,
                        seq: 0,
                        error: crate::plan::engine::EngineError::Internal { what },
                    }),
                }
                // A new network (an import, a package, a scenario's edits) is warmed up
                // again: its first isochrone would otherwise meet code and memory it has not
                // used yet. Its marks start again too, so they do not grow with every edit.
                if engine.borrow().network() != network {
                    let mut w = engine.borrow_mut();
                    (w.warmed, w.tries, w.warm_marks) = (0, 0, None);
                }
            }
            // The next idle step in a task of its own: a request that arrives meanwhile waits
            // for one step at most.
            if !queued.get()
                && let Some(delay) = engine.borrow_mut().queue_idle()
                && let (Ok(scope), Some(f)) = (
                    js_sys::global().dyn_into::<web_sys::WorkerGlobalScope>(),
                    handler.get(),
                )
            {
                queued.set(true);
                let _ = scope.set_timeout_with_callback_and_timeout_and_arguments_0(f, delay);
            }
        });
    let f: &js_sys::Function = onmessage.as_ref().unchecked_ref();
    scope.set_onmessage(Some(f));
    let _ = this.set(f.clone());
    // The handler lives as long as the worker.
    onmessage.forget();
    post(Response::Ready);
}

/// How long the worker waits without a request before a preparation step (a drop of several
/// files, the map's tile requests after an import and a run of clicks are answered first).
const IDLE_MS: i32 = 20;

/// Streets whose label points are found between two looks at the clock (≈ 2 ms in the
/// browser on the 8 × 8 city fixture).
const LABEL_STREETS: usize = 2048;

/// How long one idle step prepares at most (ms; it ends after the preparation's step under way
/// then: [`crate::plan::engine::PREPARE_EDGES`], [`crate::plan::engine::PREPARE_POINTS`]).
const PREPARE_MS: f64 = 3.0;

/// Posts `r` to the page from the worker (also from a task that ends after its request's
/// turn: the pinyin table's fetch, the export's compression).
#[allow(clippy::needless_pass_by_value)] // It is the answers' callback: `Fn(Response)`.
pub fn post(r: Response) {
    if let Ok(scope) = js_sys::global().dyn_into::<web_sys::DedicatedWorkerGlobalScope>() {
        // A refused post (the page is gone) leaves nobody to tell.
        let m = encode(&r);
        let _ = scope.post_message_with_transfer(&m, &transfer(&m));
    }
}
