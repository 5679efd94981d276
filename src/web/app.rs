//! The application shell: header, side panel and the map, inside the worker provider.
//!
//! State lives in one reducer ([`State`], [`Action`]); the worker does every computation; the
//! map is drawn from the package's GeoJSON text and the worker's answers.

use std::collections::BTreeMap;
use std::rc::Rc;

use yew::prelude::*;
use yew_agent::worker::{WorkerProvider, use_worker_bridge};

use super::basemap::{BasemapSettings, MapLegend, use_tile_settings};
use super::coverage::{CovSettings, CoverageLegend, CoveragePanel};
use super::data::{self, Fetched, PackageEntry};
use super::embed::{self, EmbedEvent};
use super::i18n::Lang;
use super::map::{DrawLayer, MapView, Overlay, OverlayStyle, band_colour};
use super::nearby::NearbyPanel;
use super::place::{CompareState, PlacePanel, PlaceSettings, ScenarioEdit};
use super::url::UrlState;
use super::worker::{
    CoverageAnswer, Engine, ImportAnswer, IsoAnswer, LoadSummary, NearbyAnswer, PlaceAnswer,
    Request, Response, RouteAnswer, ScenarioFigures,
};
use crate::plan::package::{LayerKind, Network, Status};
use crate::plan::scenario::{ScenarioFile, Site};

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
    /// Candidate sites by host type.
    pub host_types: Rc<Vec<(String, usize)>>,
    /// Placement settings.
    pub pl_settings: PlaceSettings,
    /// Points clicked on the map as candidates.
    pub pl_extra: Rc<Vec<Site>>,
    /// Map clicks add candidates.
    pub pl_picking: bool,
    /// Placement running: (done, total).
    pub pl_busy: Option<(usize, usize)>,
    /// The current placement request number (a cancel moves it on, so a late answer is dropped).
    pub pl_seq: u64,
    /// The latest placement.
    pub place: Option<Rc<PlaceAnswer>>,
    /// The latest placement error.
    pub pl_error: Option<String>,
    /// Selected chosen site.
    pub pl_selected: Option<usize>,
    /// Scenarios of the open package.
    pub scenarios: Rc<ScenarioFile>,
    /// The package whose scenarios are in `scenarios` (empty until read from storage).
    pub scn_package: String,
    /// Undo and redo snapshots.
    pub undo: Vec<Rc<ScenarioFile>>,
    /// Redo snapshots.
    pub redo: Vec<Rc<ScenarioFile>>,
    /// Scenario comparison.
    pub compare: Option<Rc<CompareState>>,
    /// Comparison request number.
    pub cmp_seq: u64,
    /// The current coverage request number (a cancel moves it on).
    pub cov_seq: u64,
    /// The planner cancelled the assessment: no automatic re-run until asked.
    pub cov_cancelled: bool,
    /// The map's view (lon, lat, zoom) after the last pan or zoom.
    pub view: Option<(f64, f64, f64)>,
    /// The view the page was opened with (`view=`), used for the first package only.
    pub url_view: Option<(f64, f64, f64)>,
    /// Notices about ignored link values and refused storage writes (shown in the reader's
    /// language; each at most once).
    pub notices: Vec<Notice>,
}

/// A notice: input the page ignored, or something the browser did not let it keep.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// A URL parameter whose value was not valid.
    UrlIgnored(String),
    /// A storage write was refused (quota, or storage blocked).
    NotSaved(super::store::Saved),
    /// The page has no local storage at all.
    NoStorage,
    /// The analysis worker died and a new one was started with the same data.
    WorkerRestarted,
}

impl Notice {
    /// The notice in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        let f = lang.fault();
        match self {
            Notice::UrlIgnored(k) => super::i18n::fill(f.url_ignored, &[k.as_str()]),
            Notice::NotSaved(what) => super::i18n::fill(
                f.not_saved,
                &[match what {
                    super::store::Saved::Scenarios => f.scenarios,
                    super::store::Saved::Profile => f.profile,
                    super::store::Saved::Tiles => f.tiles,
                }],
            ),
            Notice::NoStorage => f.no_storage.to_owned(),
            Notice::WorkerRestarted => f.worker_restarted.to_owned(),
        }
    }
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
    /// Add a notice (once).
    Notice(Notice),
    /// The worker stopped answering: a new one is being started; nothing waits for the old.
    WorkerDied,
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
    /// Candidate host types (after a load or an import).
    HostTypes(Vec<(String, usize)>),
    /// New placement settings.
    PlSettings(PlaceSettings),
    /// Map picking on or off.
    PlPicking(bool),
    /// Forget the clicked candidates.
    PlClearExtra,
    /// A placement was requested.
    PlStarted,
    /// Placement progress.
    PlProgress(usize, usize),
    /// A placement answer.
    Place(Rc<PlaceAnswer>),
    /// A placement failed: (request number, message).
    PlError(u64, String),
    /// Stop waiting for the placement.
    PlCancel,
    /// Select a chosen site.
    PlSelect(usize),
    /// Edit the scenarios.
    Scenario(ScenarioEdit),
    /// The package's scenarios were read (from storage or a link).
    ScenariosLoaded(Rc<ScenarioFile>),
    /// Compare two scenarios.
    CompareStart(usize, usize),
    /// One side of a comparison arrived.
    Figures(u64, u8, Result<ScenarioFigures, String>),
    /// The map was panned or zoomed.
    View((f64, f64, f64)),
    /// Stop waiting for the assessment.
    CoverageCancel,
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
                    s.url_view = None;
                    s.view = None;
                    s.fetched = None;
                    s.loaded = None;
                    s.iso = None;
                    s.home = None;
                    s.imports.clear();
                    s.loading = true;
                    s.coverage = None;
                    s.selected_unit = None;
                    s.place = None;
                    s.pl_extra = Rc::new(Vec::new());
                    s.compare = None;
                    s.scn_package.clear();
                    // Answers in flight belong to the old package.
                    s.pl_seq += 1;
                    s.pl_busy = None;
                    s.pl_error = None;
                    s.pl_selected = None;
                    s.cov_seq += 1;
                    s.cov_busy = None;
                    s.cov_cancelled = false;
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
            Action::Pick(p) => {
                if s.tab == Tab::Place && s.pl_picking {
                    let mut extra = (*s.pl_extra).clone();
                    let n = extra.len() + 1;
                    let (lon, lat) = ((p.0 * 1e5).round() / 1e5, (p.1 * 1e5).round() / 1e5);
                    // The id is the place (1 m): unique across sessions and scenarios, and the
                    // same point clicked twice is one candidate.
                    let id = format!("click:{lon:.5}:{lat:.5}");
                    if !extra.iter().any(|x| x.id == id) {
                        extra.push(Site {
                            id,
                            name: format!("{} {n}", s.lang.place().picked_site),
                            lon,
                            lat,
                            host_type: None,
                        });
                    }
                    s.pl_extra = Rc::new(extra);
                } else {
                    s.home = Some(p);
                }
            }
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
                // The worker's errors end a running assessment; do not re-run it by itself
                // (it would fail again). Placement errors come as `PlError`.
                if s.cov_busy.is_some() {
                    s.cov_cancelled = true;
                }
                s.cov_busy = None;
                s.errors.push(e);
            }
            Action::SetTab(t) => s.tab = t,
            Action::CoverageStarted => {
                s.cov_seq += 1;
                s.cov_cancelled = false;
                s.cov_busy = Some((0, 1));
            }
            Action::CoverageCancel => {
                s.cov_seq += 1;
                s.cov_busy = None;
                s.cov_cancelled = true;
            }
            Action::CoverageProgress(d, t) => {
                if s.cov_busy.is_some() {
                    s.cov_busy = Some((d, t));
                }
            }
            Action::Coverage(a) if a.seq != s.cov_seq => {}
            Action::Coverage(a) => {
                s.cov_busy = None;
                if s.selected_unit.is_some_and(|u| u >= a.coverage.units.len()) {
                    s.selected_unit = None;
                }
                s.coverage = Some(a);
            }
            Action::CovSettings(c) => {
                s.cov_settings = c;
                s.cov_cancelled = false;
                s.cov_seq += 1;
                s.cov_busy = None;
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
            Action::ClearErrors => {
                s.errors.clear();
                s.notices.clear();
            }
            Action::Notice(n) => {
                if !s.notices.contains(&n) {
                    s.notices.push(n);
                }
            }
            Action::WorkerDied => {
                // No spinner waits for the dead worker; the new one reloads the package, and
                // the imports are sent again (their reports come back).
                s.loaded = None;
                s.loading = true;
                s.engine_ready = false;
                s.cov_busy = None;
                s.pl_busy = None;
                s.importing = 0;
                s.imports.clear();
                s.errors.clear();
                s.coverage = None;
                s.nearby = None;
                if !s.notices.contains(&Notice::WorkerRestarted) {
                    s.notices.push(Notice::WorkerRestarted);
                }
            }
            Action::HostTypes(h) => s.host_types = Rc::new(h),
            Action::View(v) => s.view = Some(v),
            Action::PlSettings(p) => s.pl_settings = p,
            Action::PlPicking(on) => s.pl_picking = on,
            Action::PlClearExtra => s.pl_extra = Rc::new(Vec::new()),
            Action::PlStarted => {
                s.pl_seq += 1;
                s.pl_busy = Some((0, 1));
                s.pl_error = None;
            }
            Action::PlProgress(d, t) => {
                if s.pl_busy.is_some() {
                    s.pl_busy = Some((d, t));
                }
            }
            Action::Place(a) => {
                if a.seq == s.pl_seq && s.pl_busy.is_some() {
                    s.pl_busy = None;
                    s.pl_selected = None;
                    s.place = Some(a);
                }
            }
            Action::PlError(seq, e) => {
                if seq == s.pl_seq {
                    s.pl_busy = None;
                    s.pl_error = Some(e);
                }
            }
            Action::PlCancel => {
                s.pl_seq += 1;
                s.pl_busy = None;
                s.pl_error = Some(s.lang.place().cancelled.to_owned());
            }
            Action::PlSelect(i) => {
                s.pl_selected = Some(i);
                let seq = s.focus.map_or(1, |f| f.2 + 1);
                s.focus = Some(("pl-sites", i, seq));
            }
            Action::Scenario(edit) => apply_edit(&mut s, edit),
            Action::ScenariosLoaded(f) => {
                s.scn_package.clone_from(&f.package);
                s.scenarios = f;
                s.undo.clear();
                s.redo.clear();
                s.compare = None;
            }
            Action::CompareStart(a, b) => {
                s.cmp_seq += 1;
                s.compare = Some(Rc::new(CompareState {
                    pair: (a, b),
                    figures: [None, None],
                }));
            }
            Action::Figures(seq, side, r) => {
                if seq == s.cmp_seq
                    && let Some(c) = &s.compare
                {
                    match r {
                        Ok(f) => {
                            let mut c = (**c).clone();
                            c.figures[usize::from(side.min(1))] = Some(f);
                            s.compare = Some(Rc::new(c));
                        }
                        Err(e) => s.errors.push(e),
                    }
                }
            }
        }
        // The scenario's sites changed: what was computed with the old ones is out of date.
        let sites = |f: &ScenarioFile| f.scenarios.get(f.active).map(|x| x.sites.clone());
        if !Rc::ptr_eq(&self.scenarios, &s.scenarios)
            && sites(&self.scenarios) != sites(&s.scenarios)
        {
            // An assessment in flight was computed without the new sites: drop it (it re-runs).
            s.cov_seq += 1;
            s.cov_busy = None;
            s.coverage = None;
            s.selected_unit = None;
            s.nearby = None;
            s.route = None;
            s.nb_selected = None;
        }
        Rc::new(s)
    }
}

/// Applies a scenario edit: every change of the sites is undoable; switching scenarios is not
/// an edit of their content and keeps the history.
fn apply_edit(s: &mut State, edit: ScenarioEdit) {
    let before = s.scenarios.clone();
    let mut f = (*before).clone();
    let active = f.active.min(f.scenarios.len().saturating_sub(1));
    let mut record = true;
    match edit {
        ScenarioEdit::Accept(sites) => {
            let Some(sc) = f.scenarios.get_mut(active) else {
                return;
            };
            for site in sites {
                if !sc.sites.iter().any(|x| x.id == site.id) {
                    sc.sites.push(site);
                }
            }
        }
        ScenarioEdit::Remove(id) => {
            if let Some(sc) = f.scenarios.get_mut(active) {
                sc.sites.retain(|x| x.id != id);
            }
        }
        ScenarioEdit::New => {
            if let Some(e) = scenarios_full(&f, s.lang) {
                s.errors.push(e);
                return;
            }
            let name = next_name(&f, s.lang.place().scenario_name);
            f.scenarios.push(crate::plan::scenario::Scenario {
                name,
                sites: Vec::new(),
            });
            f.active = f.scenarios.len() - 1;
        }
        ScenarioEdit::Select(i) => {
            if i < f.scenarios.len() {
                f.active = i;
            }
            record = false;
        }
        ScenarioEdit::Import(new) => f = *new,
        ScenarioEdit::ImportOne(sc) => {
            if let Some(e) = scenarios_full(&f, s.lang) {
                s.errors.push(e);
                return;
            }
            f.scenarios.push(*sc);
            f.active = f.scenarios.len() - 1;
        }
        ScenarioEdit::Undo => {
            if let Some(prev) = s.undo.pop() {
                s.redo.push(before);
                s.scenarios = prev;
            }
            return;
        }
        ScenarioEdit::Redo => {
            if let Some(next) = s.redo.pop() {
                s.undo.push(before);
                s.scenarios = next;
            }
            return;
        }
    }
    if f == *before {
        return;
    }
    if f.scenarios != before.scenarios {
        s.compare = None;
    }
    if record {
        s.undo.push(before);
        if s.undo.len() > 100 {
            s.undo.remove(0);
        }
        s.redo.clear();
    }
    s.scenarios = Rc::new(f);
}

/// The message when `f` holds as many scenarios as a file may ([`MAX_SCENARIOS`](crate::plan::scenario::MAX_SCENARIOS)).
fn scenarios_full(f: &ScenarioFile, lang: Lang) -> Option<String> {
    let max = crate::plan::scenario::MAX_SCENARIOS;
    (f.scenarios.len() >= max).then(|| format!("{} > {max}", lang.place().scenario))
}

/// "方案 B", "方案 C" … the first letter not yet used.
fn next_name(f: &ScenarioFile, base: &str) -> String {
    ('A'..='Z')
        .map(|c| format!("{base} {c}"))
        .find(|n| f.scenarios.iter().all(|s| &s.name != n))
        .unwrap_or_else(|| format!("{base} {}", f.scenarios.len() + 1))
}

/// Names sites read from a link from the package's candidate layers (by id).
fn name_sites(mut sites: Vec<Site>, s: &State) -> Vec<Site> {
    let Some(f) = &s.fetched else { return sites };
    for l in f.manifest.layers_of(LayerKind::Candidates) {
        let Some(text) = f.files.get(&l.id) else {
            continue;
        };
        let Ok(v) = serde_json::from_str::<serde_json::Value>(text) else {
            continue;
        };
        for feat in v["features"].as_array().into_iter().flatten() {
            let p = &feat["properties"];
            if let Some(site) = sites
                .iter_mut()
                .find(|x| p["id"].as_str() == Some(x.id.as_str()))
            {
                if let Some(n) = p["name"].as_str() {
                    n.clone_into(&mut site.name);
                }
                site.host_type = p["host_type"].as_str().map(str::to_owned);
            }
        }
    }
    sites
}

/// The local-storage key of a package's scenarios.
fn scenario_key(package: &str) -> String {
    format!("shuangquan.scenarios.{package}")
}

/// Reads a package's scenarios from local storage: (file, problem). A stored file that does not
/// parse is kept under `….unreadable` (nothing is lost) and a fresh one is started.
fn read_scenarios(package: &str, lang: Lang) -> (ScenarioFile, Option<String>) {
    let fresh = || ScenarioFile::new(package, &format!("{} A", lang.place().scenario_name));
    let Some(store) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) else {
        return (fresh(), None);
    };
    let key = scenario_key(package);
    let Some(text) = store.get_item(&key).ok().flatten() else {
        return (fresh(), None);
    };
    match crate::plan::scenario::parse_file(&key, &text) {
        Ok(mut f) => {
            package.clone_into(&mut f.package);
            (f, None)
        }
        Err(e) => {
            let _ = store.set_item(&format!("{key}.unreadable"), &text);
            (
                fresh(),
                Some(format!(
                    "{e}{}",
                    super::i18n::fill(lang.place().kept_aside, &[&format!("{key}.unreadable")])
                )),
            )
        }
    }
}

/// An imported file: its name and bytes.
type KeptFile = (String, Vec<u8>);

/// The files imported in this page, kept so that a restarted worker gets them again; and
/// whether a restart is waiting for its package to load before they are re-sent.
#[derive(Clone, Default)]
pub struct Kept {
    files: Rc<std::cell::RefCell<Vec<KeptFile>>>,
    restoring: Rc<std::cell::Cell<bool>>,
}

impl PartialEq for Kept {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.files, &other.files)
    }
}

/// What outlives a worker: the page's state, the imported files, and the way to start a new
/// worker (a new [`WorkerProvider`] generation).
#[derive(Clone, PartialEq)]
struct Shared {
    state: UseReducerHandle<State>,
    kept: Kept,
    restart: Callback<()>,
}

/// The root component. The state lives here, above the worker: when the worker dies (a panic
/// aborts its wasm, or the browser kills it), [`Shell`] notices, a new generation of the
/// provider starts a new worker, and the package, the imported files and the current scenario
/// are sent to it again.
#[component]
pub fn App() -> Html {
    let state = use_reducer(initial_state);
    let kept = use_mut_ref(Kept::default).borrow().clone();
    let generation = use_state(|| 0u32);
    let restart = {
        let generation = generation.clone();
        Callback::from(move |()| generation.set(*generation + 1))
    };
    let shared = Shared {
        state,
        kept,
        restart,
    };
    html! {
        <ContextProvider<Shared> context={shared}>
            <WorkerProvider<Engine> key={*generation} path="worker.js">
                <Shell />
            </WorkerProvider<Engine>>
        </ContextProvider<Shared>>
    }
}

use super::basemap::default_visible;

/// A package layer's default visibility (None: not a layer of the fetched package).
fn layer_default(s: &State, id: &str) -> Option<bool> {
    let f = s.fetched.as_ref()?;
    f.manifest.layers.iter().find(|l| l.id == id).map(|l| {
        default_visible(l.kind) || (s.tab == Tab::Place && l.kind == LayerKind::Candidates)
    })
}

/// Milliseconds since the page opened.
fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// A worker that has answered nothing for this long while a liveness check is out is taken
/// as dead (long computations report progress, so they are heard from).
const WORKER_SILENCE_MS: f64 = 12_000.0;

/// What the page does with one answer of the worker.
fn on_response(
    out: Response,
    state: &UseReducerHandle<State>,
    in_flight: &Rc<std::cell::RefCell<bool>>,
) {
    match out {
        // A liveness check (number 0) needs no render.
        Response::Pong(0) => {}
        Response::Pong(_) => state.dispatch(Action::EngineReady),
        Response::Loaded(sum) => {
            state.dispatch(Action::HostTypes(sum.host_types.clone()));
            state.dispatch(Action::Loaded(sum));
        }
        Response::Place(a) => state.dispatch(Action::Place(Rc::new(*a))),
        Response::PlaceError(seq, e) => state.dispatch(Action::PlError(seq, e)),
        Response::Figures(seq, side, r) => state.dispatch(Action::Figures(seq, side, r)),
        Response::Isochrone(a) => {
            *in_flight.borrow_mut() = false;
            state.dispatch(Action::Iso(Rc::new(a)));
        }
        Response::Imported(a) => {
            if a.loaded > 0 {
                state.dispatch(Action::HostTypes(a.host_types.clone()));
            }
            state.dispatch(Action::Imported(Rc::new(a)));
        }
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
            } else if task == "place" {
                state.dispatch(Action::PlProgress(done, total));
            }
        }
        Response::Error(e) => {
            *in_flight.borrow_mut() = false;
            state.dispatch(Action::Error(e));
        }
    }
}

/// The state a page opens with, from its URL and the browser.
fn initial_state() -> State {
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
        url_view: url.view,
        view: url.view,
        notices: url
            .ignored
            .iter()
            .map(|k| Notice::UrlIgnored(k.clone()))
            .chain((!super::store::available()).then_some(Notice::NoStorage))
            .collect(),
        visible: url
            .layers_on
            .iter()
            .map(|id| (id.clone(), true))
            .chain(url.layers_off.iter().map(|id| (id.clone(), false)))
            .collect(),
        ..State::default()
    }
}

#[component]
fn Shell() -> Html {
    let shared = use_context::<Shared>();
    let fallback = use_reducer(State::default);
    let (state, kept, restart) = match shared {
        Some(s) => (s.state, s.kept, s.restart),
        None => (fallback, Kept::default(), Callback::noop()),
    };
    // The scenario sites of the link the page was opened with (used once, for that package).
    let link_sites = use_mut_ref(|| {
        let url = UrlState::read();
        url.sites.map(|s| {
            (
                url.package.unwrap_or_else(|| DEFAULT_PACKAGE.to_owned()),
                crate::plan::scenario::sites_from_url(&s),
            )
        })
    });
    // Requests in flight: at most one isochrone at a time; the latest pick waits its turn.
    let in_flight = use_mut_ref(|| false);
    let pending = use_mut_ref(|| None::<(f64, f64)>);
    let seq = use_mut_ref(|| 0u64);

    // When the worker was last heard from, and when an unanswered liveness check went out.
    let heard = use_mut_ref(|| (now_ms(), None::<f64>));
    let bridge = {
        let state = state.clone();
        let in_flight = in_flight.clone();
        let heard = heard.clone();
        use_worker_bridge::<Engine, _>(move |out: Response| {
            *heard.borrow_mut() = (now_ms(), None);
            on_response(out, &state, &in_flight);
        })
    };
    // Liveness: a check every 2 s; no answer and no other message for WORKER_SILENCE_MS means
    // the worker died. Then the planner is told, and a new worker gets the package, the
    // imported files and the current scenario (see App).
    {
        let bridge = bridge.clone();
        let heard = heard.clone();
        let state = state.clone();
        let kept = kept.clone();
        let restart = restart.clone();
        use_effect_with((), move |()| {
            let tick = gloo::timers::callback::Interval::new(2_000, move || {
                let t = now_ms();
                let (last, out) = *heard.borrow();
                match out {
                    Some(sent) if t - sent > WORKER_SILENCE_MS && t - last > WORKER_SILENCE_MS => {
                        *heard.borrow_mut() = (t, None);
                        kept.restoring.set(true);
                        state.dispatch(Action::WorkerDied);
                        restart.emit(());
                    }
                    Some(_) => {}
                    None => {
                        heard.borrow_mut().1 = Some(t);
                        bridge.send(Request::Ping(0));
                    }
                }
            });
            move || drop(tick)
        });
    }
    // After a restart, the imported files go to the new worker once its package is loaded.
    {
        let bridge = bridge.clone();
        let kept = kept.clone();
        let state = state.clone();
        let loaded_id = state.loaded.as_ref().map(|l| l.package_id.clone());
        use_effect_with(loaded_id, move |id| {
            if id.is_some() && kept.restoring.replace(false) {
                let files = kept.files.borrow();
                state.dispatch(Action::Importing(files.len()));
                for (file, bytes) in files.iter() {
                    bridge.send(Request::Import {
                        file: file.clone(),
                        bytes: bytes.clone(),
                    });
                }
            }
        });
    }

    // A storage write the browser refused becomes a notice naming what was not saved.
    {
        let state = state.clone();
        use_effect_with((), move |()| {
            let listeners: Vec<gloo::events::EventListener> = web_sys::window()
                .map(|w| {
                    super::store::Saved::ALL
                        .into_iter()
                        .map(|what| {
                            let state = state.clone();
                            gloo::events::EventListener::new(&w, what.event(), move |_| {
                                state.dispatch(Action::Notice(Notice::NotSaved(what)));
                            })
                        })
                        .collect()
                })
                .unwrap_or_default();
            move || drop(listeners)
        });
    }
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
            view: state.view,
            layers_on: state
                .visible
                .iter()
                .filter(|(id, on)| **on && layer_default(&state, id) != Some(true))
                .map(|(id, _)| id.clone())
                .filter(|id| !id.starts_with("import-"))
                .collect(),
            layers_off: state
                .visible
                .iter()
                .filter(|(id, on)| !**on && layer_default(&state, id) != Some(false))
                .map(|(id, _)| id.clone())
                .filter(|id| !id.starts_with("import-"))
                .collect(),
            sites: (state.scn_package == state.package_id)
                .then(|| {
                    state
                        .scenarios
                        .scenarios
                        .get(state.scenarios.active)
                        .map(|s| crate::plan::scenario::sites_to_url(&s.sites))
                })
                .flatten()
                .filter(|s| !s.is_empty()),
            ignored: Vec::new(),
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

    // Read the package's scenarios once it is loaded (and a link's sites, once).
    {
        let state = state.clone();
        let link_sites = link_sites.clone();
        let loaded_id = state.loaded.as_ref().map(|l| l.package_id.clone());
        use_effect_with(loaded_id, move |id| {
            // After a worker restart the scenarios in the state are current: keep them.
            if let Some(id) = id.as_ref().filter(|id| **id != state.scn_package) {
                let (mut f, problem) = read_scenarios(id, state.lang);
                if let Some(p) = problem {
                    state.dispatch(Action::Error(p));
                }
                let link = link_sites.borrow_mut().take();
                if let Some((pkg, sites)) = link {
                    if &pkg == id && !sites.is_empty() {
                        let current = f.scenarios.get(f.active).map(|s| &s.sites);
                        let same_sites = |c: &Vec<Site>| {
                            c.len() == sites.len()
                                && c.iter().zip(&sites).all(|(a, b)| {
                                    (a.lon - b.lon).abs() < 1e-6 && (a.lat - b.lat).abs() < 1e-6
                                })
                        };
                        let same = current.is_some_and(same_sites);
                        // A scenario already holding these sites (an earlier visit of the link)
                        // is reused rather than copied again.
                        let existing = f.scenarios.iter().position(|s| same_sites(&s.sites));
                        if let (false, Some(i)) = (same, existing) {
                            f.active = i;
                        } else if let (false, Some(e)) = (same, scenarios_full(&f, state.lang)) {
                            state.dispatch(Action::Error(e));
                        } else if !same {
                            // The link's sites become a scenario of their own: nothing stored is
                            // overwritten.
                            f.scenarios.push(crate::plan::scenario::Scenario {
                                name: state.lang.place().from_link.to_owned(),
                                sites: name_sites(sites, &state),
                            });
                            f.active = f.scenarios.len() - 1;
                        }
                    } else {
                        *link_sites.borrow_mut() = Some((pkg, sites));
                    }
                }
                state.dispatch(Action::ScenariosLoaded(Rc::new(f)));
            }
        });
    }
    // Tell the worker which sites the scenario adds, before any analysis below runs.
    {
        let bridge = bridge.clone();
        let sites = (state.loaded.is_some() && state.scn_package == state.package_id).then(|| {
            state
                .scenarios
                .scenarios
                .get(state.scenarios.active)
                .map(|s| s.sites.clone())
                .unwrap_or_default()
        });
        use_effect_with(sites, move |sites| {
            if let Some(sites) = sites {
                bridge.send(Request::SetScenario(sites.clone()));
            }
        });
    }
    // Keep the scenarios in local storage.
    {
        let key = (state.scn_package.clone(), state.scenarios.clone());
        use_effect_with(key, |(pkg, f)| {
            if pkg.is_empty() {
                return;
            }
            super::store::put(
                super::store::Saved::Scenarios,
                &scenario_key(pkg),
                &crate::plan::scenario::to_file(f),
            );
        });
    }
    let run_place = {
        let bridge = bridge.clone();
        let state = state.clone();
        Callback::from(move |()| {
            // The number the reducer gives this run (read before dispatching: the handle sees
            // the new state right after).
            let seq = state.pl_seq + 1;
            state.dispatch(Action::PlStarted);
            bridge.send(Request::Place {
                seq,
                params: state.pl_settings.params(&state.host_types, &state.pl_extra),
            });
        })
    };
    let run_compare = {
        let bridge = bridge.clone();
        let state = state.clone();
        Callback::from(move |(a, b): (usize, usize)| {
            let seq = state.cmp_seq + 1;
            state.dispatch(Action::CompareStart(a, b));
            for (side, i) in [(0u8, a), (1u8, b)] {
                bridge.send(Request::Figures {
                    seq,
                    side,
                    sites: state
                        .scenarios
                        .scenarios
                        .get(i)
                        .map(|s| s.sites.clone())
                        .unwrap_or_default(),
                    params: state.cov_settings.params(),
                });
            }
        })
    };

    // Assess coverage when its tab is open and there is no current answer.
    let run_coverage = {
        let bridge = bridge.clone();
        let state = state.clone();
        Callback::from(move |()| {
            let seq = state.cov_seq + 1;
            state.dispatch(Action::CoverageStarted);
            bridge.send(Request::Coverage {
                seq,
                params: state.cov_settings.params(),
            });
        })
    };
    {
        let run = run_coverage.clone();
        // Only once the worker has the package's scenario (sent by the effect above).
        let want = state.tab == Tab::Coverage
            && state.loaded.is_some()
            && state.scn_package == state.package_id
            && state.coverage.is_none()
            && state.cov_busy.is_none()
            && !state.cov_cancelled
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
            state.loaded.is_some()
                && state.scn_package == state.package_id
                && state.tab == Tab::Nearby
                && state.importing == 0,
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

    // Tell an allowlisted embedding page (a no-op unless framed with ?embed=1; see embed.rs).
    use_effect_with(state.home, |h| {
        if let Some((lon_wgs84, lat_wgs84)) = *h {
            embed::notify(EmbedEvent::HomeChosen {
                lon_wgs84,
                lat_wgs84,
            });
        }
    });
    let hit = state
        .nb_selected
        .and_then(|i| state.nearby.as_ref()?.result.hits.get(i).cloned());
    use_effect_with(hit, |h| {
        if let Some(h) = h {
            embed::notify(EmbedEvent::posting(h));
        }
    });

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

    let tiles = use_tile_settings();
    let layers: Rc<Vec<DrawLayer>> = use_memo(
        (
            state.fetched.clone(),
            state.visible.clone(),
            state.imports.clone(),
            state.tab == Tab::Place,
        ),
        |(fetched, visible, imports, placing)| {
            let default_visible = |kind: LayerKind| {
                default_visible(kind) || (*placing && kind == LayerKind::Candidates)
            };
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
    let (center, zoom) = match (state.url_view, state.fetched.as_ref()) {
        (Some((lon, lat, z)), _) => ((lon, lat), z),
        (None, Some(f)) => (
            (f.manifest.center_wgs84[0], f.manifest.center_wgs84[1]),
            f.manifest.zoom,
        ),
        (None, None) => ((121.475, 31.229), 14.0),
    };
    let overlays: Rc<Vec<Overlay>> = use_memo(
        (
            (
                state.tab,
                state.coverage.clone(),
                state.cov_mask,
                state.selected_unit,
                state.nearby.clone(),
                state.nb_selected,
                state.route.clone(),
            ),
            (
                state.place.clone(),
                state.scenarios.clone(),
                state.pl_extra.clone(),
                state.compare.clone(),
            ),
        ),
        |((tab, cov, mask, selected, nearby, nb_selected, route), (place, scn, extra, compare))| {
            let mut out = Vec::new();
            if *tab == Tab::Place {
                if let Some(a) = place {
                    out.push(Overlay {
                        id: "pl-demand",
                        geojson: Rc::from(a.demand_geojson.as_str()),
                        style: OverlayStyle::PlaceDemand,
                    });
                }
                match compare
                    .as_ref()
                    .filter(|c| c.figures.iter().all(Option::is_some))
                {
                    Some(c) => {
                        for (id, i, class, label) in [
                            ("cmp-a", c.pair.0, "mark-icon cmp-a-icon", "A"),
                            ("cmp-b", c.pair.1, "mark-icon cmp-b-icon", "B"),
                        ] {
                            if let Some(sc) = scn.scenarios.get(i) {
                                out.push(Overlay {
                                    id,
                                    geojson: marks_geojson(&sc.sites, label),
                                    style: OverlayStyle::Marks { class },
                                });
                            }
                        }
                    }
                    None => {
                        if let Some(sc) = scn.scenarios.get(scn.active) {
                            out.push(Overlay {
                                id: "pl-accepted",
                                geojson: marks_geojson(&sc.sites, "✓"),
                                style: OverlayStyle::Marks {
                                    class: "mark-icon accepted-icon",
                                },
                            });
                        }
                    }
                }
                out.push(Overlay {
                    id: "pl-extra",
                    geojson: marks_geojson(extra, "+"),
                    style: OverlayStyle::Marks {
                        class: "mark-icon extra-icon",
                    },
                });
                if let Some(a) = place {
                    out.push(Overlay {
                        id: "pl-sites",
                        geojson: Rc::from(a.sites_geojson.as_str()),
                        style: OverlayStyle::Sites,
                    });
                }
            }
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
            "pl-sites" => state.dispatch(Action::PlSelect(key)),
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
        let kept = kept.clone();
        Callback::from(move |files: web_sys::FileList| {
            let n = files.length();
            state.dispatch(Action::Importing(n as usize));
            for i in 0..n {
                let Some(file) = files.get(i) else { continue };
                let bridge = bridge.clone();
                let state = state.clone();
                let kept = kept.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    match read_file(&file).await {
                        Ok(bytes) => {
                            // Kept in this page so that a restarted worker gets it again.
                            kept.files.borrow_mut().push((file.name(), bytes.clone()));
                            bridge.send(Request::Import {
                                file: file.name(),
                                bytes,
                            });
                        }
                        Err(e) => {
                            state.dispatch(Action::Imported(Rc::new(ImportAnswer {
                                file: file.name(),
                                layers: Vec::new(),
                                records: 0,
                                loaded: 0,
                                problems: vec![format!("error: {}: {e}", file.name())],
                                omitted: 0,
                                network_rebuilt: false,
                                host_types: Vec::new(),
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
                <ShareLink lang={state.lang} />
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
                        on_cancel={{ let s = state.clone(); Callback::from(move |()| s.dispatch(Action::CoverageCancel)) }}
                        on_select={{ let s = state.clone(); Callback::from(move |u| s.dispatch(Action::SelectUnit(u, true))) }} />
                }
                if state.tab == Tab::Place {
                    <PlacePanel lang={state.lang} package_id={state.package_id.clone()} host_types={state.host_types.clone()}
                        settings={state.pl_settings.clone()} extra={state.pl_extra.clone()} picking={state.pl_picking}
                        busy={state.pl_busy} answer={state.place.clone()} error={state.pl_error.clone()}
                        scenarios={state.scenarios.clone()} can_undo={!state.undo.is_empty()} can_redo={!state.redo.is_empty()}
                        compare={state.compare.clone()} selected={state.pl_selected}
                        on_settings={{ let s = state.clone(); Callback::from(move |x| s.dispatch(Action::PlSettings(x))) }}
                        on_picking={{ let s = state.clone(); Callback::from(move |x| s.dispatch(Action::PlPicking(x))) }}
                        on_clear_extra={{ let s = state.clone(); Callback::from(move |()| s.dispatch(Action::PlClearExtra)) }}
                        on_run={run_place}
                        on_cancel={{ let s = state.clone(); Callback::from(move |()| s.dispatch(Action::PlCancel)) }}
                        on_edit={{ let s = state.clone(); Callback::from(move |e| s.dispatch(Action::Scenario(e))) }}
                        on_compare={run_compare}
                        on_select={{ let s = state.clone(); Callback::from(move |i| s.dispatch(Action::PlSelect(i))) }}
                        on_error={{ let s = state.clone(); Callback::from(move |e| s.dispatch(Action::Error(e))) }} />
                }
                if state.tab == Tab::Data {
                    <ImportPanel state={state.clone()} on_files={on_files} />
                    <PackagePanel state={state.clone()} />
                    <BasemapSettings lang={state.lang} settings={tiles.clone()} />
                }
                </div>
            </aside>
            <main class="map-wrap">
                <MapView view_key={state.fetched.as_ref().map(|f| f.id.clone()).unwrap_or_default()} center_wgs84={center} zoom={zoom}
                    label={t.map_label} layers={layers} home_wgs84={state.home}
                    isochrone={(*iso_text).clone()} on_pick={on_pick}
                    overlays={overlays} on_feature={on_feature} focus={state.focus}
                    lang={state.lang} tiles={tiles.source()}
                    on_view={{ let s = state.clone(); Callback::from(move |v| s.dispatch(Action::View(v))) }}
                    attribution={state.fetched.as_ref().map(|f| AttrValue::from(f.manifest.attribution.clone()))} />
                <MapLegend lang={state.lang} fetched={state.fetched.clone()} visible={state.visible.clone()} folded={state.embed} />
                <IsoLegend lang={state.lang} show={state.iso.is_some() && state.tab == Tab::Iso} />
                if state.tab == Tab::Coverage && state.coverage.is_some() {
                    <CoverageLegend lang={state.lang} mask={state.cov_mask} />
                }
                if state.tab == Tab::Place && state.place.is_some() {
                    <PlaceLegend lang={state.lang} />
                }
            </main>
            <div class="sr-only" aria-live="polite" id="live">{ live_text(&state) }</div>
        </div>
    }
}

/// What the live region announces: the result of the open tab's last computation.
fn live_text(s: &State) -> String {
    use super::i18n::fill;
    let l = s.lang;
    let t = l.place();
    match s.tab {
        Tab::Place => {
            if let Some((d, n)) = s.pl_busy {
                return fill(t.live_placing, &[&d.to_string(), &n.to_string()]);
            }
            return s.place.as_ref().map_or_else(String::new, |a| {
                fill(
                    t.live_placed,
                    &[
                        &a.chosen.len().to_string(),
                        &l.pct(a.plan.share_before),
                        &l.pct(a.plan.share_after),
                    ],
                )
            });
        }
        Tab::Coverage => {
            if s.cov_busy.is_some() {
                return l.ui().cov_running.to_owned();
            }
            return s.coverage.as_ref().map_or_else(String::new, |a| {
                fill(t.live_coverage, &[&l.pct(a.coverage.city().dual_share)])
            });
        }
        Tab::Nearby => {
            return match &s.nearby {
                Some(a) => fill(t.live_postings, &[&a.result.hits.len().to_string()]),
                None => s.nb_error.clone().unwrap_or_default(),
            };
        }
        Tab::Iso | Tab::Data => {}
    }
    let Some(a) = &s.iso else {
        return String::new();
    };
    match a.off_network_m {
        Some(_) => l.text().iso_off_network.to_owned(),
        None => fill(
            t.live_iso,
            &[&format!(
                "{:.2}",
                a.bands.last().map_or(0.0, |b| b.area_km2)
            )],
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
    if !s.notices.is_empty() {
        out.push(html! {
            <div class="banner warn" role="status" id="notice-banner">
                <ul>{ for s.notices.iter().map(|n| html! { <li>{ n.text(s.lang) }</li> }) }</ul>
            </div>
        });
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
struct ShareProps {
    lang: Lang,
}

/// "Copy share link": the page's URL already carries the whole view (language, package, mode,
/// tab, map view, layers, home and the scenario's sites); this copies it, and shows it in a
/// field to copy by hand when the clipboard is not available.
#[component]
fn ShareLink(p: &ShareProps) -> Html {
    let t = p.lang.place();
    let shown = use_state(|| None::<(String, bool)>);
    let onclick = {
        let shown = shown.clone();
        Callback::from(move |_| {
            let Some(w) = web_sys::window() else { return };
            let href = w.location().href().unwrap_or_default();
            let copied = js_sys::Reflect::get(&w.navigator(), &"clipboard".into())
                .ok()
                .filter(|c| !c.is_undefined() && !c.is_null())
                .and_then(|c| {
                    let f = js_sys::Reflect::get(&c, &"writeText".into()).ok()?;
                    let f: js_sys::Function = wasm_bindgen::JsCast::dyn_into(f).ok()?;
                    f.call1(&c, &href.clone().into()).ok()
                })
                .is_some();
            shown.set(Some((href, copied)));
        })
    };
    let close = {
        let shown = shown.clone();
        Callback::from(move |_| shown.set(None))
    };
    html! {
        <span class="share">
            <button class="secondary" id="share-link" {onclick}>{ t.share }</button>
            if let Some((href, copied)) = &*shown {
                <span class="share-pop" role="status">
                    <label for="share-url">{ if *copied { t.share_copied } else { t.share_manual } }</label>
                    <input id="share-url" readonly=true value={href.clone()}
                        onfocus={Callback::from(|e: FocusEvent| {
                            if let Some(i) = e.target_dyn_into::<web_sys::HtmlInputElement>() { i.select(); }
                        })} />
                    <button class="link" aria-label="×" onclick={close}>{ "×" }</button>
                </span>
            }
        </span>
    }
}

/// Sites as labelled points for [`OverlayStyle::Marks`].
fn marks_geojson(sites: &[Site], label: &str) -> Rc<str> {
    let features: Vec<serde_json::Value> = sites
        .iter()
        .enumerate()
        .map(|(i, x)| {
            serde_json::json!({
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [x.lon, x.lat]},
                "properties": {"i": i, "label": label, "name": x.name},
            })
        })
        .collect();
    Rc::from(serde_json::json!({"type": "FeatureCollection", "features": features}).to_string())
}

#[derive(Properties, PartialEq)]
struct PlaceLegendProps {
    lang: Lang,
}

#[component]
fn PlaceLegend(p: &PlaceLegendProps) -> Html {
    let t = p.lang.place();
    html! {
        <div class="legend" id="pl-legend" aria-label={t.legend}>
            <strong>{ t.legend }</strong>
            { for [(0u8, t.legend_before), (1, t.legend_new), (2, t.legend_budget), (3, t.legend_none), (4, t.legend_off)].into_iter().map(|(st, label)| html! {
                <div><span class="swatch round" style={format!("background:{}", super::map::place_status_colour(st))}></span>{ label }</div>
            }) }
            <div><span class="site-icon legend-site">{ "1" }</span>{ " " }{ t.col_site }</div>
            <div><span class="mark-icon accepted-icon legend-site">{ "✓" }</span>{ " " }{ t.legend_accepted }</div>
        </div>
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
