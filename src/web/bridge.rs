//! The page's own handle on the analysis worker: a dedicated `Worker` it can terminate.
//!
//! A worker busy with a long computation reads no message until it is done, so a cancel that
//! only sends a message is no cancel. [`Bridge`] owns the `Worker` object instead: a cancel
//! terminates it for real, and so does a fault — the worker's `error` event (a wasm panic or
//! abort) or silence (no answer to a liveness ping, checked every 2 s). Then another worker
//! takes its place and gets everything that made the old one's state, in the same order: the
//! last package load, the files imported since, the current scenario and network switch, and
//! the demand tiles' painting by the coverage answer the page shows ([`Bridge`]'s log). The
//! answers to that replay are dropped (the page already has them); cheap requests that were in
//! flight (isochrone, resident query, route, comparison figures) are asked again; a long one
//! (coverage, placement) fails with [`EngineError::WorkerStopped`] — or is simply dropped when
//! it is the one cancelled — so no spinner waits for a worker that is gone.
//!
//! A standby worker is started with the first long request and kept in step with the log, so
//! that after a cancel the next request is answered at its normal speed instead of waiting for
//! a package load. Cost: a second copy of the package in memory once a long computation ran.

use std::cell::RefCell;
use std::collections::{BTreeSet, VecDeque};
use std::rc::{Rc, Weak};

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

use super::protocol::{EngineError, Request, Response, Task, decode, encode, transfer};
use super::worker::now_ms;

/// Why a worker was replaced without being asked to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Its `error` event fired (a panic aborted its wasm, or a script error).
    Crashed,
    /// It answered nothing to a liveness ping for too long.
    Silent,
}

/// A worker that is idle answers a ping within milliseconds; this much silence means it died.
const IDLE_SILENCE_MS: f64 = 6_000.0;
/// A worker on a long request (a placement may search for 60 s, an import of a huge file may
/// parse for tens of seconds) gets this long from the last message it sent.
const BUSY_SILENCE_MS: f64 = 90_000.0;
/// Liveness check period.
const PING_EVERY_MS: u32 = 2_000;
/// The community search's pinyin table, served beside `app.js` (trunk copies
/// `static/pinyin.bin`; `plan::nearby::names`).
const PINYIN_TABLE: &str = "pinyin.bin";

/// The kind of a computing request (what its answer completes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Isochrone,
    Nearby,
    Route,
    Coverage,
    Place,
    Figures,
    Access,
    Surface,
    ReadEdits,
    SurfaceFile,
    Export,
    CoveragePoints,
}

impl Kind {
    /// A request that may take long: not asked again after a fault (it may be the cause).
    const fn long(self) -> Option<Task> {
        match self {
            Kind::Coverage => Some(Task::Coverage),
            Kind::Place => Some(Task::Place),
            Kind::Access => Some(Task::Access),
            Kind::Surface => Some(Task::Surface),
            Kind::Isochrone
            | Kind::Nearby
            | Kind::Route
            | Kind::Figures
            | Kind::ReadEdits
            | Kind::SurfaceFile
            | Kind::Export
            | Kind::CoveragePoints => None,
        }
    }
}

/// What a request is for the bridge.
enum Role {
    /// Makes the worker's state (kept in the log; a load starts a new log).
    State { load: bool, answers: bool },
    /// Computes; its answer carries (kind, number).
    Compute(Kind, u64),
    /// Neither (a ping).
    Other,
}

fn role(r: &Request) -> Role {
    match r {
        Request::Load { .. } => Role::State {
            load: true,
            answers: true,
        },
        // The network edits are the worker's state too: replayed after a restart.
        Request::Import { .. } | Request::ImportAs { .. } | Request::SetNetwork { .. } => {
            Role::State {
                load: false,
                answers: true,
            }
        }
        // What the demand tiles are painted by: a worker that takes over paints them the same.
        Request::SetScenario(_) | Request::PaintDemand { .. } | Request::SetPainting(_) => {
            Role::State {
                load: false,
                answers: false,
            }
        }
        Request::ReadEdits { seq, .. } => Role::Compute(Kind::ReadEdits, *seq),
        Request::Isochrone { seq, .. } => Role::Compute(Kind::Isochrone, *seq),
        Request::Nearby { seq, .. } => Role::Compute(Kind::Nearby, *seq),
        Request::Route { seq, .. } => Role::Compute(Kind::Route, *seq),
        Request::Coverage { seq, .. } => Role::Compute(Kind::Coverage, *seq),
        Request::Place { seq, .. } => Role::Compute(Kind::Place, *seq),
        Request::Figures { seq, .. } => Role::Compute(Kind::Figures, *seq),
        Request::Access { seq, .. } => Role::Compute(Kind::Access, *seq),
        Request::Surface { seq, .. } => Role::Compute(Kind::Surface, *seq),
        Request::SurfaceFile { seq, .. } => Role::Compute(Kind::SurfaceFile, *seq),
        Request::ExportPackage { seq } => Role::Compute(Kind::Export, *seq),
        Request::CoveragePoints { seq, .. } => Role::Compute(Kind::CoveragePoints, *seq),
        Request::Ping(_)
        | Request::EdgeAt { .. }
        | Request::FindPlaces { .. }
        | Request::PinyinTable { .. }
        | Request::Tile { .. }
        | Request::StreetAt { .. } => Role::Other,
    }
}

/// What an answer is for the bridge.
enum Answer {
    /// Answers a load or an import (in order).
    State,
    /// Completes a computing request.
    Done(Kind, u64),
    /// Progress, pong, ready.
    Other,
}

fn answer(r: &Response) -> Answer {
    match r {
        Response::Loaded(_)
        | Response::Imported(_)
        | Response::NetworkSet { .. }
        | Response::Failed {
            task: Task::Load | Task::Network,
            ..
        } => Answer::State,
        Response::EditsRead { seq, .. } => Answer::Done(Kind::ReadEdits, *seq),
        Response::Isochrone(a) => Answer::Done(Kind::Isochrone, a.seq),
        Response::Nearby(a) => Answer::Done(Kind::Nearby, a.seq),
        Response::Route { seq, .. } => Answer::Done(Kind::Route, *seq),
        Response::Coverage(a) => Answer::Done(Kind::Coverage, a.seq),
        Response::Place(a) => Answer::Done(Kind::Place, a.seq),
        Response::Figures { seq, .. } => Answer::Done(Kind::Figures, *seq),
        Response::Access(a) => Answer::Done(Kind::Access, a.seq),
        Response::Surface(a) => Answer::Done(Kind::Surface, a.seq),
        Response::SurfaceFile { seq, .. } => Answer::Done(Kind::SurfaceFile, *seq),
        Response::PackageZip { seq, .. } => Answer::Done(Kind::Export, *seq),
        Response::CoveragePoints { seq, .. } => Answer::Done(Kind::CoveragePoints, *seq),
        Response::Failed { task, seq, .. } => match task {
            Task::Isochrone => Answer::Done(Kind::Isochrone, *seq),
            Task::Nearby => Answer::Done(Kind::Nearby, *seq),
            Task::Coverage => Answer::Done(Kind::Coverage, *seq),
            Task::Place => Answer::Done(Kind::Place, *seq),
            Task::Figures => Answer::Done(Kind::Figures, *seq),
            Task::Access => Answer::Done(Kind::Access, *seq),
            Task::Surface => Answer::Done(Kind::Surface, *seq),
            Task::EditsFile => Answer::Done(Kind::ReadEdits, *seq),
            Task::Export => Answer::Done(Kind::Export, *seq),
            Task::Network | Task::Load => Answer::State,
        },
        Response::Progress { .. }
        | Response::Pong(_)
        | Response::Ready
        | Response::Edge(_)
        | Response::PlacesFound { .. }
        | Response::Tile { .. }
        | Response::Painted(_)
        | Response::Street { .. }
        | Response::StreetLabels { .. }
        | Response::PinyinUnavailable
        | Response::PinyinRestored => Answer::Other,
    }
}

/// One worker: the JS object, its handlers (dropped with it), what waits for it to be ready,
/// and the log entries whose answers it still owes, in order.
struct Slot {
    id: u64,
    worker: web_sys::Worker,
    ready: bool,
    queue: Vec<Request>,
    owes: VecDeque<u64>,
    _onmessage: Closure<dyn Fn(web_sys::MessageEvent)>,
    _onerror: Closure<dyn Fn(web_sys::ErrorEvent)>,
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        self.worker.terminate();
    }
}

impl Slot {
    fn post(&mut self, r: Request) {
        if self.ready {
            // A refused post (a value that does not clone) is a bug; the console shows it.
            let m = encode(&r);
            let _ = self.worker.post_message_with_transfer(&m, &transfer(&m));
        } else {
            self.queue.push(r);
        }
    }
}

/// Callbacks of the page: every answer, and a worker replaced after a fault.
pub struct Hooks {
    /// An answer for the page.
    pub on_response: Box<dyn Fn(Response)>,
    /// A worker died and was replaced.
    pub on_fault: Box<dyn Fn(Fault)>,
    /// The standby worker has (true) or no longer has (false) the current state.
    pub on_standby: Box<dyn Fn(bool)>,
}

struct Inner {
    path: String,
    next_id: u64,
    active: Option<Slot>,
    standby: Option<Slot>,
    /// (entry id, request) making the worker's state since the last load.
    log: Vec<(u64, Request)>,
    /// Log entries whose answer the page already has.
    answered: BTreeSet<u64>,
    /// Computing requests sent to the active worker and not yet answered.
    in_flight: Vec<(Kind, u64, Request)>,
    /// When the active worker was last heard from, and when the unanswered ping went out.
    heard_ms: f64,
    ping_ms: Option<f64>,
    /// When the liveness check last ran.
    ticked_ms: f64,
    hooks: Rc<Hooks>,
    /// The liveness check (dropped with the bridge).
    tick: Option<gloo::timers::callback::Interval>,
}

impl Inner {
    /// Adds the state request `r` to the log; its entry's number. A scenario, a network switch
    /// or a painting replaces the one before it (only the last makes the state); loads and
    /// imports add up.
    fn log_state(&mut self, r: Request) -> u64 {
        if !matches!(
            r,
            Request::Load { .. } | Request::Import { .. } | Request::ImportAs { .. }
        ) {
            let kind = std::mem::discriminant(&r);
            self.log.retain(|(_, x)| std::mem::discriminant(x) != kind);
        }
        self.next_id += 1;
        self.log.push((self.next_id, r));
        self.next_id
    }
}

/// The page's worker handle (cheap to clone; every clone is the same worker).
#[derive(Clone)]
pub struct Bridge(Rc<RefCell<Inner>>);

impl Bridge {
    /// Starts the worker with the page's glue at `path` (trunk's `app.js`) and the liveness check.
    pub fn start(path: &str, hooks: Hooks) -> Self {
        let b = Bridge(Rc::new(RefCell::new(Inner {
            path: path.to_owned(),
            next_id: 0,
            active: None,
            standby: None,
            log: Vec::new(),
            answered: BTreeSet::new(),
            in_flight: Vec::new(),
            heard_ms: now_ms(),
            ping_ms: None,
            ticked_ms: now_ms(),
            hooks: Rc::new(hooks),
            tick: None,
        })));
        let slot = b.spawn();
        let weak = Rc::downgrade(&b.0);
        let tick = gloo::timers::callback::Interval::new(PING_EVERY_MS, move || {
            if let Some(inner) = weak.upgrade() {
                Bridge(inner).tick();
            }
        });
        let mut i = b.0.borrow_mut();
        i.active = slot;
        i.tick = Some(tick);
        drop(i);
        b
    }

    /// A new worker whose messages come back tagged with its id (None: the browser refused).
    fn spawn(&self) -> Option<Slot> {
        let (id, path) = {
            let mut i = self.0.borrow_mut();
            i.next_id += 1;
            (i.next_id, i.path.clone())
        };
        let worker = new_worker(&path)?;
        let weak: Weak<RefCell<Inner>> = Rc::downgrade(&self.0);
        let onmessage = {
            let weak = weak.clone();
            Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
                if let (Some(inner), Ok(r)) = (weak.upgrade(), decode::<Response>(e.data())) {
                    Bridge(inner).received(id, r);
                }
            })
        };
        let onerror = Closure::<dyn Fn(web_sys::ErrorEvent)>::new(move |e: web_sys::ErrorEvent| {
            e.prevent_default();
            if let Some(inner) = weak.upgrade() {
                Bridge(inner).crashed(id);
            }
        });
        worker.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
        worker.set_onerror(Some(onerror.as_ref().unchecked_ref()));
        let mut slot = Slot {
            id,
            worker,
            ready: false,
            queue: Vec::new(),
            owes: VecDeque::new(),
            _onmessage: onmessage,
            _onerror: onerror,
        };
        // Where the community search's pinyin table is (fetched when the first search needs it).
        if let Some(url) = beside_glue(&path, PINYIN_TABLE) {
            slot.post(Request::PinyinTable { url });
        }
        // Everything that made the current state, in order.
        for (entry, r) in &self.0.borrow().log {
            if matches!(role(r), Role::State { answers: true, .. }) {
                slot.owes.push_back(*entry);
            }
            slot.post(r.clone());
        }
        Some(slot)
    }

    /// The active worker has work to finish before a request sent now: it is still starting,
    /// owes the answer of a load or an import, or computes a long request.
    pub fn busy(&self) -> bool {
        let i = self.0.borrow();
        i.active
            .as_ref()
            .is_none_or(|s| !s.ready || !s.owes.is_empty())
            || i.in_flight.iter().any(|(kind, _, _)| kind.long().is_some())
    }

    /// Sends a request to the worker (and a state request to the standby too).
    pub fn send(&self, r: Request) {
        let mut i = self.0.borrow_mut();
        match role(&r) {
            Role::State { load, answers } => {
                if load {
                    i.log.clear();
                    i.answered.clear();
                }
                let entry = i.log_state(r.clone());
                let inner = &mut *i;
                for slot in [inner.active.as_mut(), inner.standby.as_mut()]
                    .into_iter()
                    .flatten()
                {
                    if answers {
                        slot.owes.push_back(entry);
                    }
                    slot.post(r.clone());
                }
                // The standby is behind until it has answered this too.
                let behind = answers && inner.standby.is_some();
                let hooks = inner.hooks.clone();
                drop(i);
                if behind {
                    (hooks.on_standby)(false);
                }
                return;
            }
            Role::Compute(kind, seq) => {
                i.in_flight.push((kind, seq, r.clone()));
                let want_standby = kind.long().is_some() && i.standby.is_none();
                if let Some(a) = i.active.as_mut() {
                    a.post(r);
                }
                drop(i);
                if want_standby {
                    let s = self.spawn();
                    self.0.borrow_mut().standby = s;
                }
                return;
            }
            Role::Other => {}
        }
        if let Some(a) = i.active.as_mut() {
            a.post(r);
        }
    }

    /// Stops the computation `seq` of `task` for real: the worker is terminated and the
    /// standby (or a new worker) takes over with the same state. Other long requests in flight
    /// fail as cancelled; cheap ones are asked again.
    pub fn cancel(&self, task: Task, seq: u64) {
        let kind = match task {
            Task::Coverage => Kind::Coverage,
            Task::Place => Kind::Place,
            Task::Access => Kind::Access,
            Task::Surface => Kind::Surface,
            _ => return,
        };
        let running = self
            .0
            .borrow()
            .in_flight
            .iter()
            .any(|(k, s, _)| *k == kind && *s == seq);
        if running {
            self.replace(None, Some((kind, seq)));
        }
    }

    /// Terminates the active worker, promotes the standby (or starts a new one) and settles
    /// what was in flight; tells the page after a fault.
    fn replace(&self, fault: Option<Fault>, cancelled: Option<(Kind, u64)>) {
        let standby = self.0.borrow_mut().standby.take();
        let hooks = self.0.borrow().hooks.clone();
        if standby.is_some() {
            (hooks.on_standby)(false);
        }
        let next = match standby {
            Some(s) => Some(s),
            None => self.spawn(),
        };
        let (failed, hooks) = {
            let mut i = self.0.borrow_mut();
            // Dropping the old slot terminates its worker.
            i.active = next;
            i.heard_ms = now_ms();
            i.ping_ms = None;
            let in_flight = std::mem::take(&mut i.in_flight);
            let mut failed = Vec::new();
            for (kind, seq, r) in in_flight {
                if cancelled == Some((kind, seq)) {
                    continue;
                }
                if let Some(task) = kind.long() {
                    failed.push((task, seq));
                } else {
                    i.in_flight.push((kind, seq, r.clone()));
                    if let Some(a) = i.active.as_mut() {
                        a.post(r);
                    }
                }
            }
            (failed, hooks)
        };
        let error = if fault.is_some() {
            EngineError::WorkerStopped
        } else {
            EngineError::Cancelled
        };
        for (task, seq) in failed {
            (hooks.on_response)(Response::Failed {
                task,
                seq,
                error: error.clone(),
            });
        }
        if let Some(f) = fault {
            (hooks.on_fault)(f);
        }
    }

    /// A message from worker `id`.
    fn received(&self, id: u64, r: Response) {
        let mut caught_up = false;
        let (deliver, hooks) = {
            let mut i = self.0.borrow_mut();
            let inner = &mut *i;
            let is_active = inner.active.as_ref().is_some_and(|a| a.id == id);
            let Some(slot) = [inner.active.as_mut(), inner.standby.as_mut()]
                .into_iter()
                .flatten()
                .find(|s| s.id == id)
            else {
                return;
            };
            if matches!(r, Response::Ready) {
                slot.ready = true;
                for q in std::mem::take(&mut slot.queue) {
                    slot.post(q);
                }
                return;
            }
            let deliver = match answer(&r) {
                // The answer to a load or import: the page gets it once, from whichever
                // worker gives it first.
                Answer::State => match slot.owes.pop_front() {
                    Some(entry) if is_active => inner.answered.insert(entry),
                    Some(_) => {
                        caught_up = slot.owes.is_empty();
                        false
                    }
                    None => is_active,
                },
                Answer::Done(kind, seq) => {
                    if is_active
                        && let Some(k) = inner
                            .in_flight
                            .iter()
                            .position(|(k2, s2, _)| *k2 == kind && *s2 == seq)
                    {
                        inner.in_flight.remove(k);
                    }
                    is_active
                }
                Answer::Other => is_active && !matches!(r, Response::Pong(0)),
            };
            // The page shows the active worker's coverage answer and the demand tiles are
            // painted by it: a worker that takes over (the standby now, any later one from the
            // log) gets the same painting, without computing the coverage again.
            if is_active && let Response::Coverage(a) = &r {
                let paint = Request::SetPainting(super::tiles::coverage_codes(&a.coverage));
                inner.log_state(paint.clone());
                if let Some(s) = inner.standby.as_mut() {
                    s.post(paint);
                }
            }
            if is_active {
                inner.heard_ms = now_ms();
                inner.ping_ms = None;
            }
            (deliver, inner.hooks.clone())
        };
        if caught_up {
            (hooks.on_standby)(true);
        }
        if deliver {
            (hooks.on_response)(r);
        }
    }

    /// Worker `id`'s error event: the active one is replaced; a standby is dropped.
    fn crashed(&self, id: u64) {
        let (is_active, is_standby) = {
            let i = self.0.borrow();
            (
                i.active.as_ref().is_some_and(|a| a.id == id),
                i.standby.as_ref().is_some_and(|a| a.id == id),
            )
        };
        if is_active {
            self.replace(Some(Fault::Crashed), None);
        } else if is_standby {
            let hooks = self.0.borrow().hooks.clone();
            self.0.borrow_mut().standby = None;
            (hooks.on_standby)(false);
        }
    }

    /// The liveness check: a ping when none is out; too much silence is a death.
    fn tick(&self) {
        let t = now_ms();
        let silent = {
            let mut i = self.0.borrow_mut();
            // A check that runs late means the page's own thread was held up (printing, a long
            // task): the worker's answer to the ping may still be queued behind this check, so
            // the silence is the page's, not the worker's. Judge again from now.
            let late = t - i.ticked_ms > 2.0 * f64::from(PING_EVERY_MS);
            i.ticked_ms = t;
            if late {
                i.ping_ms = None;
                i.heard_ms = t;
                return;
            }
            let busy = !i.in_flight.is_empty()
                || i.active
                    .as_ref()
                    .is_some_and(|a| !a.owes.is_empty() || !a.ready);
            let limit = if busy {
                BUSY_SILENCE_MS
            } else {
                IDLE_SILENCE_MS
            };
            if let Some(sent) = i.ping_ms {
                t - sent.max(i.heard_ms) > limit
            } else {
                i.ping_ms = Some(t);
                if let Some(a) = i.active.as_mut() {
                    a.post(Request::Ping(0));
                }
                false
            }
        };
        if silent {
            self.replace(Some(Fault::Silent), None);
        }
    }
}

/// A dedicated module worker running this same wasm module (`web::start` answers requests in a
/// worker): a one-line loader from a blob URL imports the page's glue at `path` (trunk's
/// `app.js`) and instantiates the module the page posts it, already compiled, so the worker
/// neither downloads nor compiles any code of its own (the page's CSP allows `worker-src 'self'
/// blob:`).
fn new_worker(path: &str) -> Option<web_sys::Worker> {
    let script = beside_glue(path, path)?;
    let parts = js_sys::Array::of1(
        &format!(
            r#"import init from "{script}";self.onmessage=(e)=>{{self.onmessage=null;init({{module_or_path:e.data}});}};"#
        )
        .into(),
    );
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type("text/javascript");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts).ok()?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).ok()?;
    let options = web_sys::WorkerOptions::new();
    options.set_type(web_sys::WorkerType::Module);
    // The loader's URL is kept: the worker fetches it after this returns.
    let worker = web_sys::Worker::new_with_options(&url, &options).ok()?;
    // A compiled module is cloned to the worker, not recompiled; the loader waits for it.
    worker.post_message(&wasm_bindgen::module()).ok()?;
    Some(worker)
}

/// `file` beside the page's glue at `path` (trunk's `app.js`, relative to the page), as an
/// absolute URL: the app may be served under any path of a site.
fn beside_glue(path: &str, file: &str) -> Option<String> {
    let href = web_sys::window()?.location().href().ok()?;
    let glue = web_sys::Url::new_with_base(path, &href).ok()?.href();
    Some(web_sys::Url::new_with_base(file, &glue).ok()?.href())
}
