//! `use_engine`: the page's one handle on the analysis worker.
//!
//! [`EngineProvider`] opens the bridge to the worker, routes every [`Response`] to the feature
//! it belongs to (each feature drops answers whose request number it no longer waits for), and
//! provides an [`EngineHandle`]: `send` a request, take a fresh request number with `next_seq`,
//! or ask for an isochrone through the one-in-flight queue (`isochrone`: the latest pick waits
//! for the previous answer, the ones in between are skipped), or `cancel` a long computation
//! (the worker is terminated and replaced, see [`super::bridge`]). A worker that dies is
//! replaced the same way and the planner is told ([`Fault::WorkerRestarted`]).

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use yew::prelude::*;

use super::bridge::{Bridge, Hooks};
use super::protocol::{Request, Response, Task};
use super::state::access::{AccessAction, use_access};
use super::state::coverage::{CoverageAction, use_coverage};
use super::state::data::{DataAction, Fault, Notice, use_data};
use super::state::isochrone::{IsoAction, IsoContext, use_isochrone};
use super::state::nearby::{NearbyAction, use_nearby};
use super::state::network::{NetworkAction, Switch, use_network};
use super::state::owndata::OwnDataAction;
use super::state::place::{PlaceAction, use_place};
use super::state::scenarios::{ScenarioAction, ScenarioEdit, use_scenarios};
use super::state::{BUDGETS_MIN, DEFAULT_SPEED_M_PER_MIN};

/// The isochrone queue: at most one request in flight, the latest pick waiting.
#[derive(Debug, Default)]
struct IsoQueue {
    /// The point of the request in flight: its answer makes it the chosen point.
    asked: Option<(f64, f64)>,
    pending: Option<(f64, f64)>,
}

/// The page's handle on the worker (cheap to clone; every clone is the same worker). The
/// default handle (a component rendered outside [`EngineProvider`]) has no worker: it sends
/// nothing.
#[derive(Clone, Default)]
pub struct EngineHandle {
    bridge: Option<Bridge>,
    seq: Rc<Cell<u64>>,
    iso: Rc<RefCell<IsoQueue>>,
    tiles: super::tiles::TileWaiters,
}

impl PartialEq for EngineHandle {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.seq, &other.seq)
    }
}

impl EngineHandle {
    /// Sends a request.
    pub fn send(&self, request: Request) {
        if let Some(b) = &self.bridge {
            b.send(request);
        }
    }

    /// Stops the computation `seq` of `task` (coverage or placement) for real: its worker is
    /// terminated and another takes over with the same package, imports and scenario.
    pub fn cancel(&self, task: Task, seq: u64) {
        if let Some(b) = &self.bridge {
            b.cancel(task, seq);
        }
    }

    /// A request number never used before on this page.
    pub fn next_seq(&self) -> u64 {
        let n = self.seq.get() + 1;
        self.seq.set(n);
        n
    }

    /// Asks the worker for a map tile; `done` gets its bytes. Returns the request's number
    /// (for [`EngineHandle::forget_tile`]).
    pub fn tile(
        &self,
        layer: crate::plan::tile::TileLayer,
        import: Option<u32>,
        key: crate::plan::tile::TileKey,
        done: super::tiles::TileDone,
    ) -> u64 {
        let seq = self.next_seq();
        self.tiles.wait(seq, done);
        self.send(Request::Tile {
            seq,
            layer,
            import,
            key,
        });
        seq
    }

    /// Asks for the street `id` of the streets tiles of `import`; `done` gets it.
    pub fn street(&self, import: Option<u32>, id: u32, done: super::tiles::StreetDone) {
        let seq = self.next_seq();
        self.tiles.wait_street(seq, done);
        self.send(Request::StreetAt { seq, import, id });
    }

    /// No longer waits for the tile asked by request `seq` (its answer is dropped).
    pub fn forget_tile(&self, seq: u64) {
        self.tiles.forget(seq);
    }

    /// Asks for the isochrones of `p`, unless one is in flight: then `p` waits (replacing any
    /// earlier waiting point) until [`EngineHandle::next_pending_isochrone`]. The answer
    /// makes `p` the chosen point ([`IsoAction::Answer`]).
    pub fn isochrone(&self, p: (f64, f64)) {
        {
            let mut q = self.iso.borrow_mut();
            if q.asked.is_some() {
                q.pending = Some(p);
                return;
            }
            q.asked = Some(p);
        }
        let seq = self.next_seq();
        self.send(Request::Isochrone {
            seq,
            at_wgs84: p,
            minutes: BUDGETS_MIN.to_vec(),
            speed_m_per_min: DEFAULT_SPEED_M_PER_MIN,
        });
    }

    /// After an answer: the waiting point if any, else `fallback` (the current point), asked
    /// unless a request is still in flight.
    pub fn next_pending_isochrone(&self, fallback: Option<(f64, f64)>) {
        let next = {
            let mut q = self.iso.borrow_mut();
            let queued = q.pending.take();
            queued.or(fallback).filter(|_| q.asked.is_none())
        };
        if let Some(p) = next {
            self.isochrone(p);
        }
    }
}

/// Chooses the point `p` (a click, the marker dragged, a place found): with a package loaded,
/// asks for its isochrones at once and changes nothing on the page until they arrive, so the
/// worker computes while the page is idle and the page draws the point, its marker and its
/// circles in one render (BENCHMARKS.md, issue 13's isochrone row, s14-iso). When the worker
/// is busy first (an import, an assessment, a placement: seconds), the point is shown now and
/// its circles follow; without a package, the point is chosen now and asked for once the
/// package is loaded.
pub fn pick(iso: &IsoContext, engine: &EngineHandle, loaded: bool, p: (f64, f64)) {
    if !loaded || engine.bridge.as_ref().is_some_and(Bridge::busy) {
        iso.dispatch(IsoAction::SetHome(p));
    }
    if loaded {
        engine.isochrone(p);
    }
}

/// Properties of [`EngineProvider`].
#[derive(Properties, PartialEq)]
pub struct EngineProviderProps {
    /// What uses the engine.
    pub children: Html,
}

/// Opens the worker bridge and provides [`EngineHandle`] (inside the state providers: answers
/// go straight to the features' reducers).
#[component]
pub fn EngineProvider(p: &EngineProviderProps) -> Html {
    let data = use_data();
    let iso = use_isochrone();
    let nearby = use_nearby();
    let coverage = use_coverage();
    let place = use_place();
    let scenarios = use_scenarios();
    let access = use_access();
    let network = use_network();
    let owndata = super::state::owndata::use_owndata();
    let iso_queue = use_mut_ref(IsoQueue::default);
    let seq = use_memo((), |()| Rc::new(Cell::new(0u64)));
    let tiles = use_memo((), |()| super::tiles::TileWaiters::default());
    let bridge = {
        let waiters = (*tiles).clone();
        let iso_queue = iso_queue.clone();
        let fault_data = data.clone();
        let on_response = move |out: Response| match out {
            Response::Pong(_) => data.dispatch(DataAction::EngineReady),
            Response::Loaded(sum) => data.dispatch(DataAction::Loaded(sum)),
            Response::Imported(a) => {
                if a.loaded > 0 {
                    // New records: the assessment and the resident answer are out of date.
                    coverage.dispatch(CoverageAction::Invalidate);
                    nearby.dispatch(NearbyAction::Invalidate);
                    access.dispatch(AccessAction::Invalidate);
                }
                data.dispatch(DataAction::Imported(Rc::new(a)));
            }
            Response::Isochrone(a) => {
                let home = iso_queue.borrow_mut().asked.take();
                iso.dispatch(IsoAction::Answer(Rc::new(a), home));
            }
            Response::Nearby(a) => nearby.dispatch(NearbyAction::Answer(Rc::from(a))),
            Response::Route { seq, route } => {
                nearby.dispatch(NearbyAction::Route(seq, route.map(Rc::new)));
            }
            Response::Coverage(a) => coverage.dispatch(CoverageAction::Answer(Rc::from(a))),
            Response::Place(a) => place.dispatch(PlaceAction::Answer(Rc::from(a))),
            Response::Figures { seq, side, figures } => {
                scenarios.dispatch(ScenarioAction::Figures(seq, side, figures));
            }
            Response::Progress {
                task,
                seq,
                done,
                total,
            } => match task {
                Task::Coverage => coverage.dispatch(CoverageAction::Progress(seq, done, total)),
                Task::Place => place.dispatch(PlaceAction::Progress(seq, done, total)),
                Task::Load
                | Task::Isochrone
                | Task::Nearby
                | Task::Figures
                | Task::Access
                | Task::Surface
                | Task::Network
                | Task::EditsFile
                | Task::Export => {}
            },
            Response::Failed { task, seq, error } => match task {
                Task::Nearby => nearby.dispatch(NearbyAction::Failed(seq, error)),
                Task::Place => place.dispatch(PlaceAction::Failed(seq, error)),
                Task::Coverage => {
                    coverage.dispatch(CoverageAction::Failed(seq));
                    data.dispatch(DataAction::Error(Notice::Engine(error)));
                }
                Task::Isochrone => {
                    iso_queue.borrow_mut().asked = None;
                    data.dispatch(DataAction::Error(Notice::Engine(error)));
                }
                Task::Load | Task::Figures => {
                    data.dispatch(DataAction::Error(Notice::Engine(error)));
                }
                Task::Access | Task::Surface => access.dispatch(AccessAction::Failed(seq, error)),
                // The analyses keep the last network that applied: say so on every tab.
                Task::Network => {
                    data.dispatch(DataAction::Error(Notice::Engine(error.clone())));
                    network.dispatch(NetworkAction::Failed(seq, error));
                }
                Task::EditsFile => network.dispatch(NetworkAction::FileFailed(seq, error)),
                Task::Export => owndata.dispatch(OwnDataAction::ExportFailed(seq, error)),
            },
            Response::Access(a) => access.dispatch(AccessAction::Ratios(Rc::from(a))),
            Response::Surface(a) => access.dispatch(AccessAction::Surface(Rc::from(a))),
            Response::NetworkSet {
                seq,
                ms,
                added_m,
                closed_m,
            } => network.dispatch(NetworkAction::Switched(
                seq,
                Switch {
                    ms,
                    added_m,
                    closed_m,
                },
            )),
            // The close tool's street: one request at a time, answered at once.
            Response::Edge(Some(line)) => scenarios.dispatch(ScenarioAction::Edit(
                ScenarioEdit::AddNet(crate::plan::graph::NetworkEdit::Close {
                    line_wgs84: line
                        .into_iter()
                        .map(|(lon, lat)| crate::plan::geom::LonLat::new(lon, lat))
                        .collect(),
                }),
                super::i18n::Lang::default(),
            )),
            Response::Edge(None) => network.dispatch(NetworkAction::NoStreet),
            // One file at a time, from the planner's own choice: applied as it comes.
            Response::EditsRead { seq, file, edits } => {
                network.dispatch(NetworkAction::FileRead(seq, edits.edits.len(), file));
                scenarios.dispatch(ScenarioAction::Edit(
                    ScenarioEdit::ImportNet(edits),
                    super::i18n::Lang::default(),
                ));
            }
            Response::SurfaceFile { seq, geojson, text } => {
                access.dispatch(AccessAction::File(seq, geojson, Rc::from(text)));
            }
            Response::PackageZip {
                seq,
                package_id,
                bytes,
            } => {
                let name = format!("{package_id}.zip");
                super::kept::download_bytes(&name, "application/zip", &bytes);
                owndata.dispatch(OwnDataAction::Exported(seq, name));
            }
            Response::PlacesFound { seq, found } => {
                nearby.dispatch(NearbyAction::PlacesFound(seq, Rc::new(found)));
            }
            Response::Tile { seq, bytes, .. } => waiters.answered(seq, bytes),
            Response::Street { seq, info } => waiters.street(seq, info),
            Response::StreetLabels { seq, points } => {
                data.dispatch(DataAction::StreetLabels(seq, Rc::new(points)));
            }
            Response::PinyinUnavailable => {
                data.dispatch(DataAction::Notice(Fault::PinyinUnavailable));
            }
            Response::PinyinRestored => {
                data.dispatch(DataAction::Withdraw(Fault::PinyinUnavailable));
            }
            // The coverage points file, written in the worker on export (empty: it failed, and
            // the error came before it).
            Response::CoveragePoints {
                package_id, text, ..
            } => {
                if !text.is_empty() {
                    super::kept::download_bytes(
                        &format!("{package_id}-coverage-points.csv"),
                        "text/csv;charset=utf-8",
                        format!("\u{feff}{text}").as_bytes(),
                    );
                }
            }
            Response::Painted(_) | Response::Ready => {}
        };
        use_memo((), move |()| {
            Bridge::start(
                "app.js",
                Hooks {
                    on_response: Box::new(on_response),
                    on_fault: {
                        let data = fault_data.clone();
                        Box::new(move |_| data.dispatch(DataAction::Notice(Fault::WorkerRestarted)))
                    },
                    on_standby: Box::new(move |ready| {
                        fault_data.dispatch(DataAction::Standby(ready));
                    }),
                },
            )
        })
    };
    let handle = EngineHandle {
        bridge: Some((*bridge).clone()),
        seq: (*seq).clone(),
        iso: iso_queue,
        tiles: (*tiles).clone(),
    };
    html! {
        <ContextProvider<EngineHandle> context={handle}>
            { p.children.clone() }
        </ContextProvider<EngineHandle>>
    }
}

/// The engine handle, from [`EngineProvider`] (outside it: a handle that sends nothing).
#[hook]
pub fn use_engine() -> EngineHandle {
    use_context::<EngineHandle>().unwrap_or_default()
}
