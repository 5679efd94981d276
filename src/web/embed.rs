//! Events to the page that embeds the app: `window.parent.postMessage` to an allowlisted origin.
//!
//! Only when the app runs in a frame with `?embed=1`, only to an origin listed in
//! `embed-config.json` (shipped next to `index.html`, set by the hosting site, empty by default),
//! and only when the parent's actual origin is that one; `targetOrigin` is always the exact
//! origin, never `"*"`. The decisions are pure and live in [`crate::plan::embed_policy`]; this
//! module reads the browser's side of them (the URL, `location.ancestorOrigins`,
//! `document.referrer`, the config file) and posts.
//!
//! The config is fetched once, on the first event; events raised meanwhile are queued and sent
//! in order once the answer is known.

use std::cell::RefCell;

use gloo::net::http::Request;
use wasm_bindgen::JsValue;

pub use crate::plan::embed_policy::EmbedEvent;
use crate::plan::embed_policy::EmbedPolicy;

/// The config file, relative to the page (same origin, so `connect-src 'self'` allows it).
pub const CONFIG_FILE: &str = "embed-config.json";

enum Link {
    /// Nothing decided yet.
    Unknown,
    /// The config is being fetched; events wait here.
    Loading(Vec<EmbedEvent>),
    /// Decided: post to this origin, or (None) never post.
    Ready(Option<String>),
}

thread_local! {
    static LINK: RefCell<Link> = const { RefCell::new(Link::Unknown) };
}

/// Tells the hosting page about `event`, if the app is embedded and the parent is allowed; a
/// no-op otherwise. Cheap to call on every change.
pub fn notify(event: EmbedEvent) {
    let fetch = LINK.with_borrow_mut(|link| match link {
        Link::Ready(None) => false,
        Link::Ready(Some(origin)) => {
            post(origin, &event);
            false
        }
        Link::Loading(queue) => {
            queue.push(event);
            false
        }
        Link::Unknown if !framed() => {
            *link = Link::Ready(None);
            false
        }
        Link::Unknown => {
            *link = Link::Loading(vec![event]);
            true
        }
    });
    if fetch {
        wasm_bindgen_futures::spawn_local(async {
            let target = resolve().await;
            let queued =
                LINK.with_borrow_mut(|link| std::mem::replace(link, Link::Ready(target.clone())));
            if let (Some(origin), Link::Loading(queue)) = (target, queued) {
                for e in &queue {
                    post(&origin, e);
                }
            }
        });
    }
}

/// `?embed=1` and a parent window that is not this one.
fn framed() -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let embed = window
        .location()
        .search()
        .ok()
        .and_then(|s| web_sys::UrlSearchParams::new_with_str(&s).ok())
        .and_then(|p| p.get("embed"))
        .is_some_and(|v| v == "1");
    let in_frame = match window.parent() {
        Ok(Some(parent)) => !js_sys::Object::is(&parent, &window),
        _ => false,
    };
    embed && in_frame
}

/// Reads the config and the parent's origin; the origin to post to, if any.
async fn resolve() -> Option<String> {
    let policy = match fetch_policy().await {
        Ok(p) => p,
        Err(why) => {
            web_sys::console::warn_1(&format!("embed: {why}; no events are posted").into());
            return None;
        }
    };
    let window = web_sys::window()?;
    let ancestor = ancestor_origin(&window);
    let referrer = window.document().map(|d| d.referrer());
    let target = policy.target_origin(ancestor.as_deref(), referrer.as_deref());
    if target.is_none() && !policy.parent_origins().is_empty() {
        // A log line, not an error: a host that is not listed is the expected case.
        web_sys::console::log_1(
            &format!(
                "embed: parent {} is not in {CONFIG_FILE}; no events are posted",
                ancestor.or(referrer).unwrap_or_default()
            )
            .into(),
        );
    }
    target
}

async fn fetch_policy() -> Result<EmbedPolicy, String> {
    let resp = Request::get(CONFIG_FILE)
        .send()
        .await
        .map_err(|e| format!("{CONFIG_FILE}: {e}"))?;
    if !resp.ok() {
        return Err(format!("{CONFIG_FILE}: HTTP {}", resp.status()));
    }
    let text = resp
        .text()
        .await
        .map_err(|e| format!("{CONFIG_FILE}: {e}"))?;
    let (policy, problems) = EmbedPolicy::parse(&text).map_err(|e| e.to_string())?;
    for p in problems {
        web_sys::console::warn_1(&p.to_string().into());
    }
    Ok(policy)
}

/// `location.ancestorOrigins[0]` (Chromium, Safari), read through reflection: the list is not in
/// every browser.
fn ancestor_origin(window: &web_sys::Window) -> Option<String> {
    let list =
        js_sys::Reflect::get(&window.location(), &JsValue::from_str("ancestorOrigins")).ok()?;
    if list.is_undefined() || list.is_null() {
        return None;
    }
    js_sys::Reflect::get(&list, &JsValue::from(0))
        .ok()?
        .as_string()
}

fn post(origin: &str, event: &EmbedEvent) {
    let Some(parent) = web_sys::window().and_then(|w| w.parent().ok().flatten()) else {
        return;
    };
    let Ok(message) = js_sys::JSON::parse(&event.message().to_string()) else {
        return;
    };
    if let Err(e) = parent.post_message(&message, origin) {
        web_sys::console::warn_2(&"embed: postMessage failed".into(), &e);
    }
}
