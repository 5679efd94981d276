//! The page's state, one module per feature. Each module holds a state struct, its `Action`
//! enum and reducer ([`yew::Reducible`]), a context type and a `use_…` hook; [`StateProvider`]
//! puts every feature's reducer into a context, so a component reads and changes only the
//! features it uses, with no props in between (see `src/web/DESIGN.md`).
//!
//! | module | what it holds |
//! |---|---|
//! | [`view`] | language, tab, planner/resident mode, embedding, the map's view, layer visibility, map focus |
//! | [`data`] | the package list, the chosen and fetched package, what the worker loaded, imports, banners |
//! | [`isochrone`] | the chosen point and its walking circles |
//! | [`nearby`] | the resident query, its answer, the selected posting and its route |
//! | [`coverage`] | the assessment's settings, run, answer, map mask and selected unit |
//! | [`place`] | placement settings, clicked candidates, run, answer, selected site |
//! | [`scenarios`] | the package's scenarios, undo/redo, the comparison |
//! | [`access`] | supply–demand: method, surface cell and layer, ratios and surface answers |
//! | [`scenarios`] | the package's scenarios (sites and network edits), undo/redo, the comparison |
//! | [`network`] | the network-edit tool in use, the path being drawn, the last network switch |
//! | [`owndata`] | the planner's dropped files (kept in IndexedDB, layer questions), the package export |
//!
//! Cross-feature rules (a new package resets the analyses; new sites or imports make answers
//! out of date) live in [`use_select_package`] and `web::effects`, not inside a reducer.

pub mod access;
pub mod coverage;
pub mod data;
pub mod isochrone;
pub mod nearby;
pub mod network;
pub mod owndata;
pub mod place;
pub mod scenarios;
pub mod view;

use yew::prelude::*;

pub use view::Tab;

/// The default package the app opens on: the first entry of `static/data/index.json` (the most
/// real package; `e2e/packages.test.mjs` checks that the two agree).
pub const DEFAULT_PACKAGE: &str = "beijing-wudaokou";

/// The walking-time budgets drawn for a chosen point, minutes.
pub const BUDGETS_MIN: [f64; 3] = [5.0, 10.0, 15.0];

/// Default walking speed, metres per minute (DESIGN.md §3).
pub const DEFAULT_SPEED_M_PER_MIN: f64 = 60.0;

/// A feature's state from its context; outside a provider (a component rendered alone, in a
/// test) a detached default state, so no component panics for want of a provider.
#[hook]
pub fn use_feature<T>() -> UseReducerHandle<T>
where
    T: Reducible + Default + PartialEq + 'static,
{
    let detached = use_reducer(init(T::default));
    use_context::<UseReducerHandle<T>>().unwrap_or(detached)
}

/// How a feature's reducer is started, boxed: yew's reducer hook is generic over the starting
/// function's type as well as the state's, so the provider's reducer (started from the URL)
/// and [`use_feature`]'s detached one share one copy of the hook's code per feature through
/// this one type, instead of one per closure (2.3 KB gzip for the five; BENCHMARKS.md "Room in the
/// bundle for the split search"). A state's `default` is a zero-sized function: its box
/// allocates nothing.
type Init<T> = Box<dyn FnOnce() -> T>;

/// `start` as an [`Init`].
fn init<T: 'static>(start: impl FnOnce() -> T + 'static) -> Init<T> {
    Box::new(start)
}

/// Properties of [`StateProvider`].
#[derive(Properties, PartialEq)]
pub struct StateProviderProps {
    /// What reads the state.
    pub children: Html,
}

/// Every feature's reducer, each in its own context, started from the page's URL.
#[component]
pub fn StateProvider(p: &StateProviderProps) -> Html {
    let url = use_memo((), |()| super::url::UrlState::read());
    let view = {
        let url = url.clone();
        use_reducer(init(move || view::ViewState::from_url(&url)))
    };
    let data = {
        let url = url.clone();
        use_reducer(init(move || data::DataState::from_url(&url)))
    };
    let iso = {
        let url = url.clone();
        use_reducer(init(move || isochrone::IsoState {
            home: url.home,
            ..isochrone::IsoState::default()
        }))
    };
    let nearby = use_reducer(init(nearby::NearbyState::with_stored_profile));
    let coverage = {
        let url = url.clone();
        use_reducer(init(move || coverage::CoverageState {
            settings: coverage::CovSettings::from_url(&url),
            ..coverage::CoverageState::default()
        }))
    };
    let access = use_reducer(init(access::AccessState::default));
    let place = use_reducer(init(place::PlaceState::default));
    let scenarios = use_reducer(init(scenarios::ScenarioState::default));
    let network = use_reducer(init(network::NetworkState::default));
    let owndata = use_reducer(init(owndata::OwnDataState::default));
    html! {
        <ContextProvider<view::ViewContext> context={view}>
        <ContextProvider<data::DataContext> context={data}>
        <ContextProvider<isochrone::IsoContext> context={iso}>
        <ContextProvider<nearby::NearbyContext> context={nearby}>
        <ContextProvider<coverage::CoverageContext> context={coverage}>
        <ContextProvider<place::PlaceContext> context={place}>
        <ContextProvider<scenarios::ScenarioContext> context={scenarios}>
        <ContextProvider<access::AccessContext> context={access}>
        <ContextProvider<network::NetworkContext> context={network}>
        <ContextProvider<owndata::OwnDataContext> context={owndata}>
            { p.children.clone() }
        </ContextProvider<owndata::OwnDataContext>>
        </ContextProvider<network::NetworkContext>>
        </ContextProvider<access::AccessContext>>
        </ContextProvider<scenarios::ScenarioContext>>
        </ContextProvider<place::PlaceContext>>
        </ContextProvider<coverage::CoverageContext>>
        </ContextProvider<nearby::NearbyContext>>
        </ContextProvider<isochrone::IsoContext>>
        </ContextProvider<data::DataContext>>
        </ContextProvider<view::ViewContext>>
    }
}

/// Choosing another package: every analysis of the old one is dropped (answers still in flight
/// are ignored: each feature forgets the request number it waited for).
#[hook]
pub fn use_select_package() -> Callback<String> {
    let data = data::use_data();
    let view = view::use_view();
    let iso = isochrone::use_isochrone();
    let coverage = coverage::use_coverage();
    let place = place::use_place();
    let scenarios = scenarios::use_scenarios();
    let access = access::use_access();
    let network = network::use_network();
    Callback::from(move |id: String| {
        if id == data.package_id {
            return;
        }
        view.dispatch(view::ViewAction::PackageChanged);
        iso.dispatch(isochrone::IsoAction::Reset);
        coverage.dispatch(coverage::CoverageAction::Reset);
        place.dispatch(place::PlaceAction::Reset);
        scenarios.dispatch(scenarios::ScenarioAction::Reset);
        access.dispatch(access::AccessAction::Reset);
        network.dispatch(network::NetworkAction::Reset);
        data.dispatch(data::DataAction::SelectPackage(id));
    })
}
