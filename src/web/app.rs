//! The application: the providers (state, then the engine that owns the worker) around the shell, and the shell —
//! layout only: header, side panel with the open tab, the map.

use yew::prelude::*;

use super::app_map::AppMap;
use super::basemap::use_tile_settings;
use super::effects::{Effects, use_import_files};
use super::engine::EngineProvider;
use super::panels::chrome::{
    Banners, EngineStatus, LangSwitch, LiveRegion, ModeSwitch, PackagePicker, ShareLink, Tabs,
};
use super::panels::coverage::CoverageTab;
use super::panels::data::DataTab;
use super::panels::iso::IsoPanel;
use super::panels::nearby::NearbyTab;
use super::panels::place::PlaceTab;
use super::state::view::use_view;
use super::state::{StateProvider, Tab};

pub use super::state::{BUDGETS_MIN, DEFAULT_PACKAGE, DEFAULT_SPEED_M_PER_MIN};

/// The root component.
#[component]
pub fn App() -> Html {
    html! {
        <StateProvider>
            <EngineProvider>
                <Effects />
                <Shell />
            </EngineProvider>
        </StateProvider>
    }
}

/// The layout: header, side panel (banners, status, tabs, the open tab) and the map.
#[component]
fn Shell() -> Html {
    let view = use_view();
    let tiles = use_tile_settings();
    let on_files = use_import_files();
    let t = view.lang.text();
    let ondragover = Callback::from(|e: DragEvent| e.prevent_default());
    let ondrop = Callback::from(move |e: DragEvent| {
        e.prevent_default();
        if let Some(files) = e.data_transfer().and_then(|d| d.files()) {
            on_files.emit(files);
        }
    });
    let tab = view.tab;
    html! {
        <div class={classes!("app", view.embed.then_some("embed"), view.resident.then_some("resident"))} {ondragover} {ondrop}>
            <header class="app-header">
                <h1>{ t.title }</h1>
                <span class="subtitle">{ t.subtitle }</span>
                <span class="spacer"></span>
                <PackagePicker />
                <ModeSwitch />
                <ShareLink />
                <LangSwitch />
            </header>
            <aside class="side-panel" id="side-panel" aria-label={t.panel_label}>
                <Banners />
                <EngineStatus />
                <Tabs />
                <div class="tab-body" role="tabpanel" id={format!("tabpanel-{}", tab.id())}
                     aria-labelledby={format!("tab-{}", tab.id())}>
                    { match tab {
                        Tab::Iso => html! { <IsoPanel /> },
                        Tab::Nearby => html! { <NearbyTab /> },
                        Tab::Coverage => html! { <CoverageTab /> },
                        Tab::Place => html! { <PlaceTab /> },
                        Tab::Data => html! { <DataTab tiles={tiles.clone()} /> },
                    } }
                </div>
            </aside>
            <main class="map-wrap">
                <AppMap {tiles} />
            </main>
            <LiveRegion />
        </div>
    }
}
