//! The data tab: imports (with every problem listed), the package's layers with their
//! provenance and visibility, and the basemap settings.

use yew::prelude::*;

use crate::web::basemap::{BasemapSettings, TileSettings, default_visible};
use crate::web::effects::use_import_files;
use crate::web::i18n::Lang;
use crate::web::state::data::use_data;
use crate::web::state::view::{ViewAction, ViewContext, use_view};

/// Properties of [`DataTab`].
#[derive(Properties, PartialEq)]
pub struct DataTabProps {
    /// The basemap settings (shared with the map).
    pub tiles: UseStateHandle<TileSettings>,
}

/// The data tab.
#[component]
pub fn DataTab(p: &DataTabProps) -> Html {
    let lang = use_view().lang;
    html! {
        <>
            <ImportPanel />
            <super::imported::ImportedLayers />
            <PackagePanel />
            <BasemapSettings {lang} settings={p.tiles.clone()} />
        </>
    }
}

/// Imports: a file button, and one report per imported file.
#[component]
pub fn ImportPanel() -> Html {
    let l = use_view().lang;
    let data = use_data();
    let on_files = use_import_files();
    let t = l.text();
    let onchange = Callback::from(move |e: Event| {
        if let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
            if let Some(files) = input.files() {
                on_files.emit(files);
            }
            input.set_value("");
        }
    });
    html! {
        <section id="import-panel" aria-labelledby="import-heading">
            <h2 id="import-heading">{ t.import_heading }</h2>
            <p class="hint">{ t.import_hint }</p>
            <label class="file-button">
                <span>{ t.import_choose }</span>
                <input type="file" id="import-input" multiple=true accept=".csv,.tsv,.txt,.geojson,.json,.osm,.pbf" {onchange} />
            </label>
            <super::owndata::KeptBlock />
            if data.importing > 0 { <p role="status">{ t.import_busy }</p> }
            { for data.imports.iter().rev().map(|a| html! {
                <div class="import-report" data-file={a.file.clone()} data-loaded={a.loaded.to_string()}
                    data-layers={a.layers.iter().map(|(k, n, _)| format!("{k}:{n}")).collect::<Vec<_>>().join(",")}>
                    <p><strong>{ &a.file }</strong>{ format!(" — {} {} / {} {}", l.int(a.loaded as f64), t.import_loaded, l.int(a.records as f64), t.import_read) }</p>
                    if a.network_rebuilt { <p class="note">{ t.import_network }</p> }
                    if a.layer_unknown { <super::owndata::LayerChoice seq={a.seq} /> }
                    if a.undrawn > 0 {
                        <p class="note" id="import-undrawn">{ t.import_undrawn.replace("{}", &l.int(a.undrawn as f64)) }</p>
                    }
                    if !a.problems.is_empty() {
                        <ul class="problems">
                            { for a.problems.iter().take(50).map(|x| html! { <li>{ x.get(l) }</li> }) }
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

/// The package's layers: visibility, status, count and provenance; the attribution.
#[component]
pub fn PackagePanel() -> Html {
    let view = use_view();
    let data = use_data();
    let l = view.lang;
    let t = l.text();
    let Some(f) = &data.fetched else {
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
                let on = view.visible.get(&layer.id).copied().unwrap_or_else(|| default_visible(layer.kind));
                let toggle = visibility_toggle(&view, layer.id.clone());
                let [source, licence, method] = layer.provenance(l == Lang::Zh);
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
                            <dt>{ t.source }</dt><dd>{ source }</dd>
                            <dt>{ t.licence }</dt><dd>{ licence }</dd>
                            if !method.is_empty() { <dt>{ t.method }</dt><dd>{ method }</dd> }
                        </dl>
                    </li>
                }
            }) }
            </ul>
            <p class="attribution" id="package-attribution">{ t.attribution }{ "：" }{ &m.attribution }</p>
        </section>
    }
}

/// The `onchange` of a layer's visibility checkbox (package and imported layers alike).
pub(super) fn visibility_toggle(view: &ViewContext, id: String) -> Callback<Event> {
    let view = view.clone();
    Callback::from(move |e: Event| {
        if let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
            view.dispatch(ViewAction::Toggle(id.clone(), input.checked()));
        }
    })
}
