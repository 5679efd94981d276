//! The browser front end: yew 0.23 function components, a Leaflet map driven from Rust, and a
//! web worker that runs the planning core off the main thread (owned by the page: see [`bridge`]).
//!
//! The web layer parses, calls the core ([`crate::plan`]) and renders; it holds no planning
//! logic. Where a new feature's state, actions, worker requests and strings go:
//! `src/web/DESIGN.md`.
//!
//! | module | what |
//! |---|---|
//! | [`app`] | the providers and the shell (layout only) |
//! | [`app_map`] | the map and its legends wired to the features' states (what is drawn, what a click does) |
//! | [`state`] | one module per feature: state, actions, reducer, context, `use_…` hook |
//! | [`engine`] | `use_engine`: request numbers, cancel, answers routed to the features |
//! | [`bridge`] | the page's own `Worker`: terminate on cancel, restart after a crash or silence, restore |
//! | [`store`] | local storage that may be full or missing: every refused write named |
//! | [`fault`] | the notices' values: a link value ignored, a write refused, a worker replaced |
//! | [`effects`] | effects (worker, URL, storage) and commands (run coverage, placement, imports) |
//! | [`panels`] | the side panel's components, one file per feature |
//! | [`field`] | the text or number field that keeps what is typed across re-renders |
//! | [`map`] | the Leaflet map: component, layer sync, symbols, labels, export, bindings |
//! | [`protocol`] | the typed requests, answers and errors between page and worker |
//! | [`worker`] | the worker: runs the core's engine |
//! | [`pinyin`] | the worker's community search: the pinyin table fetched on the first search |
//! | [`tiles`] | map tiles: cut in the worker on demand, awaited by the page's tile layers |
//! | [`owndata`], [`kept`] | the planner's own files: import with a chosen layer, package export (worker); kept in IndexedDB (page) |
//! | [`i18n`] | every string a user can see, in zh and en |
//! | [`basemap`], [`data`], [`embed`], [`url`] | tiles and legend, package fetch, iframe events, URL state |

pub mod app;
pub mod app_map;
pub mod basemap;
pub mod bridge;
pub mod data;
pub mod effects;
pub mod embed;
pub mod engine;
pub mod fault;
pub mod field;
pub mod i18n;
pub mod kept;
pub mod map;
pub mod owndata;
pub mod panels;
pub mod pinyin;
pub mod protocol;
pub mod state;
pub mod store;
pub mod tiles;
pub mod url;
pub mod worker;

use wasm_bindgen::JsCast;

/// Entry point of the `app` binary, whose one wasm module runs both the page and the analysis
/// worker: in a dedicated worker it answers the page's requests ([`worker::register`]), in a
/// window it mounts the app ([`start_app`]). The page compiles the module once and posts it to
/// each worker it starts ([`bridge`]), so the two share one download and one compilation.
pub fn start() {
    if js_sys::global()
        .dyn_into::<web_sys::DedicatedWorkerGlobalScope>()
        .is_ok()
    {
        worker::register();
    } else {
        start_app();
    }
}

/// The page: installs the panic hook and mounts [`app::App`].
pub fn start_app() {
    install_panic_hook();
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|doc| doc.get_element_by_id("boot-status"))
    {
        el.remove();
    }
    yew::Renderer::<app::App>::new().render();
}

/// Never a blank page: a panic logs to the console (with the Rust message) and puts a readable
/// banner on top of whatever is on screen.
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let Ok(div) = doc.create_element("div") else {
            return;
        };
        div.set_class_name("boot-status boot-error");
        div.set_attribute("role", "alert").ok();
        div.set_text_content(Some(&format!(
            "程序出错，请刷新页面重试。The app hit an internal error; please reload. ({info})"
        )));
        if let Some(body) = doc.body() {
            let _ = body.append_child(div.unchecked_ref());
        }
    }));
}
