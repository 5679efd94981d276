//! The shell's own controls: the tab strip, the package picker, the banners, the share link,
//! the mode and language switches, and the live region.

use yew::prelude::*;

use crate::plan::package::{Network, Status};
use crate::web::i18n::{Lang, fill};
use crate::web::state::coverage::use_coverage;
use crate::web::state::data::{DataAction, use_data};
use crate::web::state::isochrone::use_isochrone;
use crate::web::state::nearby::use_nearby;
use crate::web::state::place::use_place;
use crate::web::state::use_select_package;
use crate::web::state::view::{Tab, ViewAction, use_view};

/// The tab strip (WAI-ARIA tabs: arrow keys move between tabs).
#[component]
pub fn Tabs() -> Html {
    let view = use_view();
    let t = view.lang.ui();
    let label = |tab: Tab| match tab {
        Tab::Iso => t.tab_iso,
        Tab::Nearby => t.tab_nearby,
        Tab::Coverage => t.tab_coverage,
        Tab::Place => t.tab_place,
        Tab::Data => t.tab_data,
    };
    let onkeydown = {
        let view = view.clone();
        Callback::from(move |e: KeyboardEvent| {
            let k = Tab::ALL.iter().position(|t| *t == view.tab).unwrap_or(0);
            let n = Tab::ALL.len();
            let next = match e.key().as_str() {
                "ArrowRight" => (k + 1) % n,
                "ArrowLeft" => (k + n - 1) % n,
                "Home" => 0,
                "End" => n - 1,
                _ => return,
            };
            e.prevent_default();
            view.dispatch(ViewAction::SetTab(Tab::ALL[next]));
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
            { for Tab::ALL.iter().filter(|t| !view.resident || matches!(t, Tab::Nearby | Tab::Iso)).map(|tab| {
                let on = view.tab == *tab;
                let v = view.clone();
                let tab = *tab;
                html! {
                    <button role="tab" id={format!("tab-{}", tab.id())} aria-selected={on.to_string()}
                        aria-controls={format!("tabpanel-{}", tab.id())} tabindex={if on { "0" } else { "-1" }}
                        class={classes!("tab", on.then_some("active"))}
                        onclick={Callback::from(move |_| v.dispatch(ViewAction::SetTab(tab)))}>{ label(tab) }</button>
                }
            }) }
        </div>
    }
}

/// The package picker.
#[component]
pub fn PackagePicker() -> Html {
    let view = use_view();
    let data = use_data();
    let select = use_select_package();
    let t = view.lang.text();
    let onchange = Callback::from(move |e: Event| {
        if let Some(sel) = e.target_dyn_into::<web_sys::HtmlSelectElement>() {
            select.emit(sel.value());
        }
    });
    html! {
        <label class="package-picker">
            <span class="sr-only">{ t.package_label }</span>
            <select id="package-select" onchange={onchange}>
                { for data.index.iter().map(|e| {
                    let name = if view.lang == Lang::Zh { &e.name_zh } else { &e.name_en };
                    html! { <option value={e.id.clone()} selected={e.id == data.package_id}>{ name }</option> }
                }) }
            </select>
        </label>
    }
}

/// The banners: illustrative data, no network, and the problems (dismissable).
#[component]
pub fn Banners() -> Html {
    let view = use_view();
    let data = use_data();
    let t = view.lang.text();
    let mut out = Vec::new();
    if let Some(f) = &data.fetched {
        if f.manifest
            .layers
            .iter()
            .any(|l| l.status == Status::Illustrative)
        {
            out.push(html! { <div class="banner warn" id="illustrative-banner">{ t.illustrative_banner }</div> });
        }
        // An imported OSM extract replaces the missing network (its own banner names the file).
        if f.manifest.network == Network::None && !data.imports.iter().any(|a| a.network_rebuilt) {
            out.push(html! { <div class="banner warn" id="no-network-banner">{ t.no_network_banner }</div> });
        }
    }
    out.push(html! { <super::owndata::ImportedNetworkBanner /> });
    if !data.notices.is_empty() {
        let clear_notices = {
            let data = data.clone();
            Callback::from(move |_| data.dispatch(DataAction::ClearNotices))
        };
        out.push(html! {
            <div class="banner warn" role="status" id="notice-banner">
                <ul>{ for data.notices.iter().map(|n| html! { <li>{ view.lang.fault_shown(n, view.resident) }</li> }) }</ul>
                <button class="secondary" aria-label={view.lang.faults().dismiss} onclick={clear_notices}>{ "×" }</button>
            </div>
        });
    }
    if !data.errors.is_empty() {
        let clear = {
            let data = data.clone();
            Callback::from(move |_| data.dispatch(DataAction::ClearErrors))
        };
        out.push(html! {
            <div class="banner error" role="alert" id="error-banner">
                <ul>{ for data.errors.iter().take(8).map(|e| html! { <li>{ e.render(view.lang) }</li> }) }</ul>
                if data.errors.len() > 8 { <p>{ format!("… +{}", data.errors.len() - 8) }</p> }
                <button class="secondary" onclick={clear}>{ "×" }</button>
            </div>
        });
    }
    html! { <>{ for out }</> }
}

/// "Copy share link": the page's URL already carries the whole view (language, package, mode,
/// tab, map view, layers, home and the scenario's sites); this copies it, and shows it in a
/// field to copy by hand when the clipboard is not available.
#[component]
pub fn ShareLink() -> Html {
    let t = use_view().lang.place();
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

/// The planner / resident switch.
#[component]
pub fn ModeSwitch() -> Html {
    let view = use_view();
    let onclick = {
        let v = view.clone();
        Callback::from(move |_| v.dispatch(ViewAction::SetResident(!v.resident)))
    };
    let ui = view.lang.ui();
    html! {
        <button class="secondary" id="mode-switch" aria-pressed={view.resident.to_string()} {onclick}>
            { if view.resident { ui.mode_planner } else { ui.mode_resident } }</button>
    }
}

/// The language switch.
#[component]
pub fn LangSwitch() -> Html {
    let view = use_view();
    let onclick = {
        let v = view.clone();
        Callback::from(move |_| {
            let next = if v.lang == Lang::Zh {
                Lang::En
            } else {
                Lang::Zh
            };
            v.dispatch(ViewAction::SetLang(next));
        })
    };
    html! {
        <button class="secondary" id="lang-switch" {onclick}
            lang={if view.lang == Lang::Zh { "en" } else { "zh-CN" }}>{ view.lang.text().switch_lang }</button>
    }
}

/// The worker's status line.
#[component]
pub fn EngineStatus() -> Html {
    let view = use_view();
    let data = use_data();
    let t = view.lang.text();
    html! {
        <p id="engine-status" class="engine-status" role="status" data-ready={data.engine_ready.to_string()}
           data-loaded={data.loaded.is_some().to_string()} data-standby={data.standby.to_string()}>
            { if data.engine_ready { t.engine_ready } else { t.engine_starting } }
        </p>
    }
}

/// The live region: what the open tab's last computation found.
#[component]
pub fn LiveRegion() -> Html {
    let view = use_view();
    let iso = use_isochrone();
    let nb = use_nearby();
    let cov = use_coverage();
    let pl = use_place();
    let l = view.lang;
    let t = l.place();
    let text = match view.tab {
        Tab::Place => match (pl.running, &pl.answer) {
            (Some(r), _) => fill(t.live_placing, &[&r.done.to_string(), &r.total.to_string()]),
            (None, Some(a)) => fill(
                t.live_placed,
                &[
                    &a.chosen.len().to_string(),
                    &l.pct(a.plan.share_before),
                    &l.pct(a.plan.share_after),
                ],
            ),
            (None, None) => String::new(),
        },
        Tab::Coverage => match (cov.running, &cov.answer) {
            (Some(_), _) => l.ui().cov_running.to_owned(),
            (None, Some(a)) => fill(t.live_coverage, &[&l.pct(a.coverage.city().dual_share)]),
            (None, None) => String::new(),
        },
        Tab::Nearby => match (&nb.answer, &nb.error) {
            (Some(a), _) => fill(t.live_postings, &[&a.result.hits.len().to_string()]),
            (None, Some(e)) => l.engine_error(e),
            (None, None) => String::new(),
        },
        Tab::Iso | Tab::Data => match &iso.answer {
            None => String::new(),
            Some(a) if a.off_network_m.is_some() => l.text().iso_off_network.to_owned(),
            Some(a) => fill(
                t.live_iso,
                &[&format!(
                    "{:.2}",
                    a.bands.last().map_or(0.0, |b| b.area_km2)
                )],
            ),
        },
    };
    html! { <div class="sr-only" aria-live="polite" id="live">{ text }</div> }
}
