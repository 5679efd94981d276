//! The browser front end: yew 0.23 function components, a Leaflet map driven from Rust, and a
//! yew-agent web worker that runs the planning core off the main thread.
//!
//! The web layer parses, calls the core ([`crate::plan`]) and renders; it holds no planning logic.

pub mod app;
pub mod basemap;
pub mod coverage;
pub mod data;
pub mod embed;
pub mod i18n;
pub mod map;
pub mod nearby;
pub mod place;
pub mod store;
pub mod url;
pub mod worker;

use wasm_bindgen::JsCast;

/// Entry point of the `app` binary: installs the panic hook and mounts [`app::App`].
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
