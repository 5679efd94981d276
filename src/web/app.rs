//! The application shell: header, side panel and the map, inside the worker provider.
//!
//! State lives in one reducer ([`State`], [`Action`]); the worker does every computation; the
//! map is drawn from the package's GeoJSON text and the worker's answers.

use std::collections::BTreeMap;
use std::rc::Rc;

use yew::prelude::*;
use yew_agent::worker::{WorkerProvider, use_worker_bridge};

use super::coverage::{CovSettings, CoverageLegend, CoveragePanel};
use super::data::{self, Fetched, PackageEntry};
use super::i18n::Lang;
use super::map::{DrawLayer, MapView, Overlay, OverlayStyle, band_colour};
use super::nearby::NearbyPanel;
use super::url::UrlState;
use super::worker::{
    CoverageAnswer, Engine, ImportAnswer, IsoAnswer, LoadSummary, NearbyAnswer, Request, Response,
    RouteAnswer,
};
use crate::plan::package::{LayerKind, Network, Status};

/// The default package the app opens on.
pub const DEFAULT_PACKAGE: &str = "shanghai-central";

/// The walking-time budgets drawn for a chosen point, minutes.
pub const BUDGETS_MIN: [f64; 3] = [5.0, 10.0, 15.0];

/// Default walking speed, metres per minute (DESIGN.md §3).
pub const DEFAULT_SPEED_M_PER_MIN: f64 = 60.0;

/// The side panel's tabs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tab {
    /// Walking circles from a point.
    #[default]
    Iso,
    /// Resident: postings and services near home.
    Nearby,
    /// Dual-circle coverage.
    Coverage,
    /// Station placement.
    Place,
    /// Data: package and imports.
    Data,
}

impl Tab {
    /// Every tab, in order.
    pub const ALL: [Tab; 5] = [Tab::Iso, Tab::Nearby, Tab::Coverage, Tab::Place, Tab::Data];

    /// URL / DOM id.
    pub const fn id(self) -> &'static str {
        match self {
            Tab::Iso => "iso",
            Tab::Nearby => "nearby",
            Tab::Coverage => "coverage",
            Tab::Place => "place",
            Tab::Data => "data",
        }
    }

    /// Parses [`Tab::id`].
    pub fn from_id(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.id() == s)
    }
}

/// The app state.
#[allow(clippy::struct_excessive_bools)]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct State {
    /// Interface language.
    pub lang: Lang,
    /// Packages shipped with the app.
    pub index: Vec<PackageEntry>,
    /// The package to show.
    pub package_id: String,
    /// The fetched package.
    pub fetched: Option<Rc<Fetched>>,
    /// Whether a fetch is under way.
    pub loading: bool,
    /// What the worker made of the package.
    pub loaded: Option<LoadSummary>,
    /// Readable error banners.
    pub errors: Vec<String>,
    /// Visibility by layer id (missing = default visibility).
    pub visible: BTreeMap<String, bool>,
    /// The chosen point (lon, lat).
    pub home: Option<(f64, f64)>,
    /// The last isochrone answer.
    pub iso: Option<Rc<IsoAnswer>>,
    /// The worker answered a ping.
    pub engine_ready: bool,
    /// Files the user imported, in order.
    pub imports: Vec<Rc<ImportAnswer>>,
    /// Files being read or imported.
    pub importing: usize,
    /// The open tab.
    pub tab: Tab,
    /// The latest coverage answer.
    pub coverage: Option<Rc<CoverageAnswer>>,
    /// Coverage running: (done, total).
    pub cov_busy: Option<(usize, usize)>,
    /// Coverage settings.
    pub cov_settings: CovSettings,
    /// Base categories counted on the coverage map.
    pub cov_mask: u8,
    /// Selected coverage unit.
    pub selected_unit: Option<usize>,
    /// Zoom request: (overlay, key, sequence).
    pub focus: Option<(&'static str, usize, u32)>,
    /// Resident mode (no planner panels); `embed` also hides the chrome.
    pub resident: bool,
    /// Embedded in another site (`?embed=1`).
    pub embed: bool,
    /// The resident query.
    pub nb_query: crate::plan::nearby::Query,
    /// The latest resident answer.
    pub nearby: Option<Rc<NearbyAnswer>>,
    /// The latest resident error.
    pub nb_error: Option<String>,
    /// Selected posting (position in the list).
    pub nb_selected: Option<usize>,
    /// Route to the selected posting.
    pub route: Option<Rc<RouteAnswer>>,
}

/// State changes.
#[derive(Debug, Clone)]
pub enum Action {
    /// Switch language.
    SetLang(Lang),
    /// The package list arrived.
    Index(Vec<PackageEntry>),
    /// Choose a package.
    SelectPackage(String),
    /// A package fetch finished.
    Fetched(Result<Rc<Fetched>, String>),
    /// The worker loaded the package.
    Loaded(LoadSummary),
    /// Show or hide a layer.
    Toggle(String, bool),
    /// A point was chosen.
    Pick((f64, f64)),
    /// An isochrone answer arrived.
    Iso(Rc<IsoAnswer>),
    /// The worker is alive.
    EngineReady,
    /// Files were handed to the worker.
    Importing(usize),
    /// An import finished.
    Imported(Rc<ImportAnswer>),
    /// Show an error banner.
    Error(String),
    /// Dismiss the error banners.
    ClearErrors,
    /// Open a tab.
    SetTab(Tab),
    /// Coverage requested.
    CoverageStarted,
    /// Coverage progress.
    CoverageProgress(usize, usize),
    /// Coverage answer.
    Coverage(Rc<CoverageAnswer>),
    /// New coverage settings.
    CovSettings(CovSettings),
    /// New map mask.
    CovMask(u8),
    /// Select a unit (from the table, the list or the map); `true` zooms to it.
    SelectUnit(Option<usize>, bool),
    /// New resident query.
    NbQuery(crate::plan::nearby::Query),
    /// Resident answer.
    Nearby(Rc<NearbyAnswer>),
    /// Resident error.
    NbError(String),
    /// Select a posting.
    NbSelect(usize),
    /// A route arrived.
    Route(Option<Rc<RouteAnswer>>),
    /// Switch between planner and resident mode.
    SetResident(bool),
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            Action::SetLang(l) => s.lang = l,
            Action::Index(list) => s.index = list,
            Action::SelectPackage(id) => {
                if id != s.package_id {
                    s.package_id = id;
                    s.fetched = None;
                    s.loaded = None;
                    s.iso = None;
                    s.home = None;
                    s.imports.clear();
                    s.loading = true;
                    s.coverage = None;
                    s.selected_unit = None;
                }
            }
            Action::Fetched(Ok(f)) => {
                s.loading = false;
                for (file, why) in &f.errors {
                    s.errors.push(format!("{file}: {why}"));
                }
                s.fetched = Some(f);
            }
            Action::Fetched(Err(e)) => {
                s.loading = false;
                s.errors.push(e);
            }
            Action::Loaded(sum) => {
                s.errors.extend(sum.problems.iter().take(20).cloned());
                s.loaded = Some(sum);
            }
            Action::Toggle(id, on) => {
                s.visible.insert(id, on);
            }
            Action::Pick(p) => s.home = Some(p),
            Action::Iso(a) => s.iso = Some(a),
            Action::EngineReady => s.engine_ready = true,
            Action::Importing(n) => s.importing += n,
            Action::Imported(a) => {
                s.importing = s.importing.saturating_sub(1);
                if a.loaded > 0 {
                    // New records: the assessment is out of date.
                    s.coverage = None;
                    s.selected_unit = None;
                    s.nearby = None;
                }
                s.imports.push(a);
            }
            Action::Error(e) => {
                s.cov_busy = None;
                s.errors.push(e);
            }
            Action::SetTab(t) => s.tab = t,
            Action::CoverageStarted => s.cov_busy = Some((0, 1)),
            Action::CoverageProgress(d, t) => {
                if s.cov_busy.is_some() {
                    s.cov_busy = Some((d, t));
                }
            }
            Action::Coverage(a) => {
                s.cov_busy = None;
                if s.selected_unit.is_some_and(|u| u >= a.coverage.units.len()) {
                    s.selected_unit = None;
                }
                s.coverage = Some(a);
            }
            Action::CovSettings(c) => {
                s.cov_settings = c;
                s.coverage = None;
            }
            Action::CovMask(m) => s.cov_mask = m,
            Action::NbQuery(q) => s.nb_query = q,
            Action::Nearby(a) => {
                s.nb_error = None;
                s.nb_selected = None;
                s.route = None;
                s.nearby = Some(a);
            }
            Action::NbError(e) => {
                s.nearby = None;
                s.nb_error = Some(e);
            }
            Action::NbSelect(i) => {
                s.nb_selected = Some(i);
                s.route = None;
                let seq = s.focus.map_or(1, |f| f.2 + 1);
                s.focus = Some(("nb-hits", i, seq));
            }
            Action::Route(r) => s.route = r,
            Action::SetResident(r) => {
                s.resident = r;
                if r {
                    s.tab = Tab::Nearby;
                }
            }
            Action::SelectUnit(u, zoom) => {
                s.selected_unit = u;
                if let (Some(u), true) = (u, zoom) {
                    let seq = s.focus.map_or(1, |f| f.2 + 1);
                    s.focus = Some(("cov-units", u, seq));
                }
            }
            Action::ClearErrors => s.errors.clear(),
        }
        Rc::new(s)
    }
}

/// The root component.
#[component]
pub fn App() -> Html {
    html! {
        <WorkerProvider<Engine> path="worker.js">
            <Shell />
        </WorkerProvider<Engine>>
    }
}

fn default_visible(kind: LayerKind) -> bool {
    !matches!(kind, LayerKind::Postings | LayerKind::Candidates)
}

#[component]
fn Shell() -> Html {
    let state = use_reducer(|| {
        let url = UrlState::read();
        State {
            lang: url.lang.unwrap_or_default(),
            package_id: url.package.unwrap_or_else(|| DEFAULT_PACKAGE.to_owned()),
            home: url.home,
            loading: true,
            cov_mask: 0b11_1111,
            resident: url.resident || url.embed,
            embed: url.embed,
            tab: if url.resident || url.embed {
                Tab::Nearby
            } else {
                url.tab.and_then(|t| Tab::from_id(&t)).unwrap_or_default()
            },
            nb_query: crate::plan::nearby::Query {
                profile: super::nearby::load_profile(),
                ..crate::plan::nearby::Query::default()
            },
            ..State::default()
        }
    });
    // Requests in flight: at most one isochrone at a time; the latest pick waits its turn.
    let in_flight = use_mut_ref(|| false);
    let pending = use_mut_ref(|| None::<(f64, f64)>);
    let seq = use_mut_ref(|| 0u64);

    let bridge = {
        let state = state.clone();
        let in_flight = in_flight.clone();
        use_worker_bridge::<Engine, _>(move |out: Response| match out {
            Response::Pong(_) => state.dispatch(Action::EngineReady),
            Response::Loaded(sum) => state.dispatch(Action::Loaded(sum)),
            Response::Isochrone(a) => {
                *in_flight.borrow_mut() = false;
                state.dispatch(Action::Iso(Rc::new(a)));
            }
            Response::Imported(a) => state.dispatch(Action::Imported(Rc::new(a))),
            Response::Coverage(a) => state.dispatch(Action::Coverage(Rc::new(*a))),
            Response::Nearby(json) => match serde_json::from_str::<NearbyAnswer>(&json) {
                Ok(a) => state.dispatch(Action::Nearby(Rc::new(a))),
                Err(e) => state.dispatch(Action::Error(e.to_string())),
            },
            Response::NearbyError(_, e) => state.dispatch(Action::NbError(e)),
            Response::Route(r) => state.dispatch(Action::Route(r.map(Rc::new))),
            Response::Progress(task, done, total) => {
                if task == "coverage" {
                    state.dispatch(Action::CoverageProgress(done, total));
                }
            }
            Response::Error(e) => {
                *in_flight.borrow_mut() = false;
                state.dispatch(Action::Error(e));
            }
        })
    };

    // Ping once; fetch the package list once.
    {
        let bridge = bridge.clone();
        let state = state.clone();
        use_effect_with((), move |()| {
            bridge.send(Request::Ping(1));
            wasm_bindgen_futures::spawn_local(async move {
                match data::fetch_index().await {
                    Ok(list) => state.dispatch(Action::Index(list)),
                    Err(e) => state.dispatch(Action::Error(e)),
                }
            });
        });
    }
    // Fetch the selected package, then hand it to the worker.
    {
        let state2 = state.clone();
        let bridge = bridge.clone();
        use_effect_with(state.package_id.clone(), move |id| {
            let id = id.clone();
            wasm_bindgen_futures::spawn_local(async move {
                match data::fetch_package(&id).await {
                    Ok(f) => {
                        bridge.send(Request::Load {
                            package_id: f.id.clone(),
                            manifest_json: f.manifest.to_pretty_json(),
                            files: f
                                .files
                                .iter()
                                .map(|(k, v)| (k.clone(), v.to_string()))
                                .collect(),
                        });
                        state2.dispatch(Action::Fetched(Ok(Rc::new(f))));
                    }
                    Err(e) => state2.dispatch(Action::Fetched(Err(e))),
                }
            });
        });
    }
    // Keep the URL in step with the state.
    {
        let url = UrlState {
            lang: Some(state.lang),
            package: Some(state.package_id.clone()),
            home: state.home,
            resident: state.resident,
            embed: state.embed,
            tab: (!state.resident && state.tab != Tab::Iso).then(|| state.tab.id().to_owned()),
        };
        use_effect_with(url, UrlState::write);
    }
    // Recompute the isochrone when the point or the loaded package changes.
    let send_iso = {
        let bridge = bridge.clone();
        let in_flight = in_flight.clone();
        let pending = pending.clone();
        let seq = seq.clone();
        Callback::from(move |p: (f64, f64)| {
            if *in_flight.borrow() {
                *pending.borrow_mut() = Some(p);
                return;
            }
            *in_flight.borrow_mut() = true;
            *seq.borrow_mut() += 1;
            bridge.send(Request::Isochrone {
                seq: *seq.borrow(),
                at_wgs84: p,
                minutes: BUDGETS_MIN.to_vec(),
                speed_m_per_min: DEFAULT_SPEED_M_PER_MIN,
            });
        })
    };
    {
        let send_iso = send_iso.clone();
        let pending = pending.clone();
        let in_flight = in_flight.clone();
        let loaded = state.loaded.is_some();
        use_effect_with(
            (state.home, loaded, state.iso.clone()),
            move |(home, loaded, _)| {
                if !*loaded {
                    return;
                }
                // A queued pick goes first once the previous answer is in.
                let queued = pending.borrow_mut().take();
                if let Some(p) = queued.or(*home).filter(|_| !*in_flight.borrow()) {
                    send_iso.emit(p);
                }
            },
        );
    }

    // Assess coverage when its tab is open and there is no current answer.
    let run_coverage = {
        let bridge = bridge.clone();
        let state = state.clone();
        Callback::from(move |()| {
            state.dispatch(Action::CoverageStarted);
            bridge.send(Request::Coverage {
                seq: 1,
                params: state.cov_settings.params(),
            });
        })
    };
    {
        let run = run_coverage.clone();
        let want = state.tab == Tab::Coverage
            && state.loaded.is_some()
            && state.coverage.is_none()
            && state.cov_busy.is_none()
            && state.importing == 0;
        use_effect_with(want, move |want| {
            if *want {
                run.emit(());
            }
        });
    }

    // Resident query when the home, the query or the data change (on the resident tab).
    {
        let bridge = bridge.clone();
        let key = (
            state.home,
            state.nb_query.clone(),
            state.loaded.is_some() && state.tab == Tab::Nearby && state.importing == 0,
            state.nearby.is_none() && state.nb_error.is_none(),
        );
        use_effect_with(key, move |(home, q, ready, _)| {
            if let (Some(h), true) = (home, ready) {
                bridge.send(Request::Nearby {
                    seq: 1,
                    home: *h,
                    query_json: serde_json::to_string(q).unwrap_or_default(),
                });
            }
        });
    }
    // Route to the selected posting.
    {
        let bridge = bridge.clone();
        let posting = state
            .nb_selected
            .and_then(|i| state.nearby.as_ref()?.result.hits.get(i).map(|h| h.posting));
        use_effect_with(posting, move |p| {
            if let Some(p) = p {
                bridge.send(Request::Route { posting: *p });
            }
        });
    }

    let t = state.lang.text();
    let on_pick = {
        let state = state.clone();
        Callback::from(move |p: (f64, f64)| state.dispatch(Action::Pick(p)))
    };
    let switch_lang = {
        let state = state.clone();
        Callback::from(move |_| {
            let next = if state.lang == Lang::Zh {
                Lang::En
            } else {
                Lang::Zh
            };
            state.dispatch(Action::SetLang(next));
        })
    };
    {
        let lang = state.lang;
        use_effect_with(lang, |l| {
            if let Some(el) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.document_element())
            {
                let _ = el.set_attribute("lang", l.tag());
            }
        });
    }

    let layers: Rc<Vec<DrawLayer>> = use_memo(
        (
            state.fetched.clone(),
            state.visible.clone(),
            state.imports.clone(),
        ),
        |(fetched, visible, imports)| {
            let mut out = Vec::new();
            if let Some(f) = fetched {
                for kind in LayerKind::ALL {
                    for l in f.manifest.layers_of(kind) {
                        if let Some(text) = f.files.get(&l.id) {
                            out.push(DrawLayer {
                                id: l.id.clone(),
                                kind,
                                geojson: text.clone(),
                                visible: visible
                                    .get(&l.id)
                                    .copied()
                                    .unwrap_or_else(|| default_visible(kind)),
                            });
                        }
                    }
                }
            }
            for (i, imp) in imports.iter().enumerate() {
                for (kind, _, text) in &imp.layers {
                    let Some(kind) = LayerKind::ALL.iter().copied().find(|k| k.id() == kind) else {
                        continue;
                    };
                    let id = format!("import-{i}-{}", kind.id());
                    out.push(DrawLayer {
                        visible: visible.get(&id).copied().unwrap_or(true),
                        id,
                        kind,
                        geojson: Rc::from(text.as_str()),
                    });
                }
            }
            out
        },
    );
    let (center, zoom) = state
        .fetched
        .as_ref()
        .map_or(((121.475, 31.229), 14.0), |f| {
            (
                (f.manifest.center_wgs84[0], f.manifest.center_wgs84[1]),
                f.manifest.zoom,
            )
        });
    let overlays: Rc<Vec<Overlay>> = use_memo(
        (
            state.tab,
            state.coverage.clone(),
            state.cov_mask,
            state.selected_unit,
            state.nearby.clone(),
            state.nb_selected,
            state.route.clone(),
        ),
        |(tab, cov, mask, selected, nearby, nb_selected, route)| {
            let mut out = Vec::new();
            if let (Tab::Nearby, Some(a)) = (tab, nearby) {
                out.push(Overlay {
                    id: "nb-hits",
                    geojson: Rc::from(a.hits_geojson.as_str()),
                    style: OverlayStyle::Hits {
                        selected: *nb_selected,
                    },
                });
                if let Some(r) = route {
                    out.push(Overlay {
                        id: "nb-route",
                        geojson: Rc::from(r.geojson.as_str()),
                        style: OverlayStyle::Route,
                    });
                }
            }
            if let (Tab::Coverage, Some(a)) = (tab, cov) {
                out.push(Overlay {
                    id: "cov-units",
                    geojson: Rc::from(a.units_geojson.as_str()),
                    style: OverlayStyle::CoverageUnits {
                        mask: *mask,
                        selected: *selected,
                    },
                });
                out.push(Overlay {
                    id: "cov-points",
                    geojson: Rc::from(a.points_geojson.as_str()),
                    style: OverlayStyle::CoveragePoints { mask: *mask },
                });
            }
            out
        },
    );
    let on_feature = {
        let state = state.clone();
        Callback::from(move |(id, key): (&'static str, usize)| match id {
            "cov-units" => state.dispatch(Action::SelectUnit(Some(key), false)),
            "nb-hits" => state.dispatch(Action::NbSelect(key)),
            "cov-points" => {
                let unit = state.coverage.as_ref().and_then(|a| {
                    a.coverage
                        .membership
                        .get(key)
                        .and_then(|m| m.iter().flatten().next().map(|u| *u as usize))
                });
                state.dispatch(Action::SelectUnit(unit, false));
            }
            _ => {}
        })
    };
    let places: Rc<Vec<(String, f64, f64)>> = use_memo(state.loaded.clone(), |l| {
        l.as_ref().map(|l| l.places.clone()).unwrap_or_default()
    });
    let iso_text: Option<Rc<str>> = state.iso.as_ref().map(|a| Rc::from(a.geojson.as_str()));
    let iso_text = use_memo(iso_text, Clone::clone);

    let on_files = {
        let bridge = bridge.clone();
        let state = state.clone();
        Callback::from(move |files: web_sys::FileList| {
            let n = files.length();
            state.dispatch(Action::Importing(n as usize));
            for i in 0..n {
                let Some(file) = files.get(i) else { continue };
                let bridge = bridge.clone();
                let state = state.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    match read_file(&file).await {
                        Ok(bytes) => bridge.send(Request::Import {
                            file: file.name(),
                            bytes,
                        }),
                        Err(e) => {
                            state.dispatch(Action::Imported(Rc::new(ImportAnswer {
                                file: file.name(),
                                layers: Vec::new(),
                                records: 0,
                                loaded: 0,
                                problems: vec![format!("error: {}: {e}", file.name())],
                                omitted: 0,
                                network_rebuilt: false,
                            })));
                        }
                    }
                });
            }
        })
    };
    let ondragover = Callback::from(|e: DragEvent| e.prevent_default());
    let ondrop = {
        let on_files = on_files.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            if let Some(files) = e.data_transfer().and_then(|d| d.files()) {
                on_files.emit(files);
            }
        })
    };

    html! {
        <div class={classes!("app", state.embed.then_some("embed"), state.resident.then_some("resident"))} {ondragover} {ondrop}>
            <header class="app-header">
                <h1>{ t.title }</h1>
                <span class="subtitle">{ t.subtitle }</span>
                <span class="spacer"></span>
                <PackagePicker state={state.clone()} />
                <button class="secondary" id="mode-switch" aria-pressed={state.resident.to_string()}
                    onclick={{ let s = state.clone(); Callback::from(move |_| s.dispatch(Action::SetResident(!s.resident))) }}>
                    { if state.resident { state.lang.ui().mode_planner } else { state.lang.ui().mode_resident } }</button>
                <button class="secondary" id="lang-switch" onclick={switch_lang}
                    lang={if state.lang == Lang::Zh { "en" } else { "zh-CN" }}>{ t.switch_lang }</button>
            </header>
            <aside class="side-panel" id="side-panel" aria-label={t.panel_label}>
                <Banners state={state.clone()} />
                <p id="engine-status" class="engine-status" role="status" data-ready={state.engine_ready.to_string()}
                   data-loaded={state.loaded.is_some().to_string()}>
                    { if state.engine_ready { t.engine_ready } else { t.engine_starting } }
                </p>
                <Tabs state={state.clone()} />
                <div class="tab-body" role="tabpanel" id={format!("tabpanel-{}", state.tab.id())}
                     aria-labelledby={format!("tab-{}", state.tab.id())}>
                if state.tab == Tab::Iso { <IsoPanel state={state.clone()} /> }
                if state.tab == Tab::Nearby {
                    <NearbyPanel lang={state.lang} home={state.home} places={places.clone()}
                        query={state.nb_query.clone()} answer={state.nearby.clone()} error={state.nb_error.clone()}
                        selected={state.nb_selected} route={state.route.clone()} embed={state.embed}
                        on_home={{ let s = state.clone(); Callback::from(move |p| s.dispatch(Action::Pick(p))) }}
                        on_query={{ let s = state.clone(); Callback::from(move |q| s.dispatch(Action::NbQuery(q))) }}
                        on_select={{ let s = state.clone(); Callback::from(move |i| s.dispatch(Action::NbSelect(i))) }} />
                }
                if state.tab == Tab::Coverage {
                    <CoveragePanel lang={state.lang} answer={state.coverage.clone()} busy={state.cov_busy}
                        settings={state.cov_settings} mask={state.cov_mask} selected={state.selected_unit}
                        package_id={state.package_id.clone()}
                        on_settings={{ let s = state.clone(); Callback::from(move |c| s.dispatch(Action::CovSettings(c))) }}
                        on_run={{ let s = state.clone(); let r = run_coverage.clone(); Callback::from(move |()| { if s.cov_busy.is_none() { r.emit(()); } }) }}
                        on_mask={{ let s = state.clone(); Callback::from(move |m| s.dispatch(Action::CovMask(m))) }}
                        on_select={{ let s = state.clone(); Callback::from(move |u| s.dispatch(Action::SelectUnit(u, true))) }} />
                }
                if state.tab == Tab::Data {
                    <ImportPanel state={state.clone()} on_files={on_files} />
                    <PackagePanel state={state.clone()} />
                }
                </div>
            </aside>
            <main class="map-wrap">
                <MapView view_key={state.fetched.as_ref().map(|f| f.id.clone()).unwrap_or_default()} center_wgs84={center} zoom={zoom}
                    label={t.map_label} layers={layers} home_wgs84={state.home}
                    isochrone={(*iso_text).clone()} on_pick={on_pick}
                    overlays={overlays} on_feature={on_feature} focus={state.focus} />
                <IsoLegend lang={state.lang} show={state.iso.is_some() && state.tab == Tab::Iso} />
                if state.tab == Tab::Coverage && state.coverage.is_some() {
                    <CoverageLegend lang={state.lang} mask={state.cov_mask} />
                }
            </main>
            <div class="sr-only" aria-live="polite" id="live">{ live_text(&state) }</div>
        </div>
    }
}

fn live_text(s: &State) -> String {
    let Some(a) = &s.iso else {
        return String::new();
    };
    let l = s.lang;
    match (&a.off_network_m, l) {
        (Some(_), _) => l.text().iso_off_network.to_owned(),
        (None, Lang::Zh) => format!(
            "已计算步行圈：15分钟可达面积 {:.2} 平方公里",
            a.bands.last().map_or(0.0, |b| b.area_km2)
        ),
        (None, Lang::En) => format!(
            "Walking circles ready: {:.2} km² within 15 minutes",
            a.bands.last().map_or(0.0, |b| b.area_km2)
        ),
    }
}

#[derive(Properties, PartialEq)]
struct StateProps {
    state: UseReducerHandle<State>,
}

/// The tab strip (WAI-ARIA tabs: arrow keys move between tabs).
#[component]
fn Tabs(p: &StateProps) -> Html {
    let s = &p.state;
    let t = s.lang.ui();
    let label = |tab: Tab| match tab {
        Tab::Iso => t.tab_iso,
        Tab::Nearby => t.tab_nearby,
        Tab::Coverage => t.tab_coverage,
        Tab::Place => t.tab_place,
        Tab::Data => t.tab_data,
    };
    let onkeydown = {
        let state = s.clone();
        Callback::from(move |e: KeyboardEvent| {
            let k = Tab::ALL.iter().position(|t| *t == state.tab).unwrap_or(0);
            let n = Tab::ALL.len();
            let next = match e.key().as_str() {
                "ArrowRight" => (k + 1) % n,
                "ArrowLeft" => (k + n - 1) % n,
                "Home" => 0,
                "End" => n - 1,
                _ => return,
            };
            e.prevent_default();
            state.dispatch(Action::SetTab(Tab::ALL[next]));
            if let Some(el) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id(&format!("tab-{}", Tab::ALL[next].id())))
            {
                use wasm_bindgen::JsCast;
                if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
                    let _ = el.focus();
                }
            }
        })
    };
    html! {
        <div class="tabs" role="tablist" aria-label={t.mode_planner} {onkeydown}>
            { for Tab::ALL.iter().filter(|t| !s.resident || matches!(t, Tab::Nearby | Tab::Iso)).map(|tab| {
                let on = s.tab == *tab;
                let state = s.clone();
                let tab = *tab;
                html! {
                    <button role="tab" id={format!("tab-{}", tab.id())} aria-selected={on.to_string()}
                        aria-controls={format!("tabpanel-{}", tab.id())} tabindex={if on { "0" } else { "-1" }}
                        class={classes!("tab", on.then_some("active"))}
                        onclick={Callback::from(move |_| state.dispatch(Action::SetTab(tab)))}>{ label(tab) }</button>
                }
            }) }
        </div>
    }
}

#[component]
fn PackagePicker(p: &StateProps) -> Html {
    let s = &p.state;
    let t = s.lang.text();
    let onchange = {
        let state = s.clone();
        Callback::from(move |e: Event| {
            if let Some(sel) = e.target_dyn_into::<web_sys::HtmlSelectElement>() {
                state.dispatch(Action::SelectPackage(sel.value()));
            }
        })
    };
    html! {
        <label class="package-picker">
            <span class="sr-only">{ t.package_label }</span>
            <select id="package-select" onchange={onchange}>
                { for s.index.iter().map(|e| {
                    let name = if s.lang == Lang::Zh { &e.name_zh } else { &e.name_en };
                    html! { <option value={e.id.clone()} selected={e.id == s.package_id}>{ name }</option> }
                }) }
            </select>
        </label>
    }
}

#[component]
fn Banners(p: &StateProps) -> Html {
    let s = &p.state;
    let t = s.lang.text();
    let mut out = Vec::new();
    if let Some(f) = &s.fetched {
        if f.manifest
            .layers
            .iter()
            .any(|l| l.status == Status::Illustrative)
        {
            out.push(html! { <div class="banner warn" id="illustrative-banner">{ t.illustrative_banner }</div> });
        }
        if f.manifest.network == Network::None {
            out.push(html! { <div class="banner warn" id="no-network-banner">{ t.no_network_banner }</div> });
        }
    }
    if !s.errors.is_empty() {
        let clear = {
            let state = s.clone();
            Callback::from(move |_| state.dispatch(Action::ClearErrors))
        };
        out.push(html! {
            <div class="banner error" role="alert" id="error-banner">
                <ul>{ for s.errors.iter().take(8).map(|e| html! { <li>{ e }</li> }) }</ul>
                if s.errors.len() > 8 { <p>{ format!("… +{}", s.errors.len() - 8) }</p> }
                <button class="secondary" onclick={clear}>{ "×" }</button>
            </div>
        });
    }
    html! { <>{ for out }</> }
}

#[component]
fn PackagePanel(p: &StateProps) -> Html {
    let s = &p.state;
    let l = s.lang;
    let t = l.text();
    let Some(f) = &s.fetched else {
        return html! { <section><h2>{ t.data_heading }</h2><p>{ t.loading }</p></section> };
    };
    let m = &f.manifest;
    let name = if l == Lang::Zh {
        &m.name.zh
    } else {
        &m.name.en
    };
    html! {
        <section id="package-panel" aria-labelledby="package-heading">
            <h2 id="package-heading">{ t.data_heading }{ "：" }{ name }</h2>
            { for m.notes.iter().map(|n| html! { <p class="note">{ if l == Lang::Zh { &n.zh } else { &n.en } }</p> }) }
            <h3>{ t.layers_heading }</h3>
            <ul class="layer-list">
            { for m.layers.iter().map(|layer| {
                let on = s.visible.get(&layer.id).copied().unwrap_or_else(|| default_visible(layer.kind));
                let toggle = {
                    let state = s.clone();
                    let id = layer.id.clone();
                    Callback::from(move |e: Event| {
                        if let Some(i) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                            state.dispatch(Action::Toggle(id.clone(), i.checked()));
                        }
                    })
                };
                let title = layer.title.as_ref().map_or_else(
                    || l.layer(layer.kind).to_owned(),
                    |n| if l == Lang::Zh { n.zh.clone() } else { n.en.clone() });
                html! {
                    <li class="layer-item" data-layer={layer.id.clone()} data-status={layer.status.id()}>
                        <label>
                            <input type="checkbox" checked={on} onchange={toggle} />
                            { " " }{ title }
                        </label>
                        { " " }<span class={classes!("badge", layer.status.id())}>{ l.status(layer.status) }</span>
                        if let Some(c) = layer.count { <span class="count">{ format!(" {} {}", l.int(c as f64), t.features) }</span> }
                        <dl class="provenance">
                            <dt>{ t.source }</dt><dd>{ &layer.source }</dd>
                            <dt>{ t.licence }</dt><dd>{ &layer.licence }</dd>
                            if !layer.method.is_empty() { <dt>{ t.method }</dt><dd>{ &layer.method }</dd> }
                        </dl>
                    </li>
                }
            }) }
            </ul>
            <p class="attribution" id="package-attribution">{ t.attribution }{ "：" }{ &m.attribution }</p>
        </section>
    }
}

#[component]
fn IsoPanel(p: &StateProps) -> Html {
    let s = &p.state;
    let l = s.lang;
    let t = l.text();
    let body = match (&s.home, &s.iso) {
        (None, _) => html! { <p class="hint">{ t.iso_hint }</p> },
        (Some((lon, lat)), iso) => html! {
            <>
                <p>{ t.iso_point }{ "：" }{ format!("{lon:.5}, {lat:.5}") }</p>
                if let Some(a) = iso {
                    if a.off_network_m.is_some() {
                        <p class="banner warn">{ t.iso_off_network }</p>
                    } else {
                        <dl class="figures" id="iso-figures">
                            if a.estimate { <dt>{ t.iso_estimate }</dt><dd></dd> }
                            if let Some(v) = a.access_s { <dt>{ t.iso_access }</dt><dd>{ l.minutes(v) }</dd> }
                            { for a.bands.iter().map(|b| html! {
                                <><dt>{ l.minutes(b.minutes * 60.0) }</dt>
                                <dd class="band-area">{ format!("{:.2} km²", b.area_km2) }</dd></>
                            }) }
                            if !a.estimate { <dt>{ t.iso_reached }</dt><dd id="iso-reached">{ l.int(a.reached_nodes as f64) }</dd> }
                            <dt>{ t.iso_compute }</dt><dd id="iso-ms">{ format!("{:.1} ms", a.compute_ms) }</dd>
                        </dl>
                    }
                }
            </>
        },
    };
    html! {
        <section id="iso-panel" aria-labelledby="iso-heading">
            <h2 id="iso-heading">{ t.iso_heading }</h2>
            { body }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct LegendProps {
    lang: Lang,
    show: bool,
}

#[component]
fn IsoLegend(p: &LegendProps) -> Html {
    if !p.show {
        return html! {};
    }
    let t = p.lang.text();
    html! {
        <div class="legend" id="iso-legend" aria-label={t.iso_legend}>
            <strong>{ t.iso_legend }</strong>
            { for BUDGETS_MIN.iter().map(|m| html! {
                <div><span class="swatch" style={format!("background:{}", band_colour(*m))}></span>
                    { p.lang.minutes(m * 60.0) }</div>
            }) }
        </div>
    }
}

/// Reads a file's bytes.
async fn read_file(file: &web_sys::File) -> Result<Vec<u8>, String> {
    let buf = wasm_bindgen_futures::JsFuture::from(file.array_buffer())
        .await
        .map_err(|e| format!("{e:?}"))?;
    Ok(js_sys::Uint8Array::new(&buf).to_vec())
}

#[derive(Properties, PartialEq)]
struct ImportProps {
    state: UseReducerHandle<State>,
    on_files: Callback<web_sys::FileList>,
}

#[component]
fn ImportPanel(p: &ImportProps) -> Html {
    let s = &p.state;
    let l = s.lang;
    let t = l.text();
    let onchange = {
        let on_files = p.on_files.clone();
        Callback::from(move |e: Event| {
            if let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                if let Some(files) = input.files() {
                    on_files.emit(files);
                }
                input.set_value("");
            }
        })
    };
    html! {
        <section id="import-panel" aria-labelledby="import-heading">
            <h2 id="import-heading">{ t.import_heading }</h2>
            <p class="hint">{ t.import_hint }</p>
            <label class="file-button">
                <span>{ t.import_choose }</span>
                <input type="file" id="import-input" multiple=true accept=".csv,.tsv,.txt,.geojson,.json,.osm,.pbf" {onchange} />
            </label>
            if s.importing > 0 { <p role="status">{ t.import_busy }</p> }
            { for s.imports.iter().rev().map(|a| html! {
                <div class="import-report" data-file={a.file.clone()}>
                    <p><strong>{ &a.file }</strong>{ format!(" — {} {} / {} {}", l.int(a.loaded as f64), t.import_loaded, l.int(a.records as f64), t.import_read) }</p>
                    if a.network_rebuilt { <p class="note">{ t.import_network }</p> }
                    if !a.problems.is_empty() {
                        <ul class="problems">
                            { for a.problems.iter().take(50).map(|x| html! { <li>{ x }</li> }) }
                        </ul>
                        if a.problems.len() + a.omitted > 50 {
                            <p class="note">{ format!("… +{}", a.problems.len() + a.omitted - 50) }</p>
                        }
                    }
                </div>
            }) }
        </section>
    }
}
