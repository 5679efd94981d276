//! The planner's own data in the data tab: the files kept in this browser with "forget my
//! files" (清除导入), the package export (导出数据包), the size limit, the layer question of an
//! import whose layer could not be told, and the banner of a network rebuilt from imports.

use yew::prelude::*;

use crate::plan::package::LayerKind;
use crate::web::effects::{use_choose_layer, use_export_package, use_forget_files};
use crate::web::i18n::Lang;
use crate::web::state::data::use_data;
use crate::web::state::owndata::{Export, Stage, use_owndata};
use crate::web::state::view::use_view;

/// The layers a file can be imported as (one `<option>` each).
const CHOICES: [LayerKind; 7] = [
    LayerKind::Stations,
    LayerKind::Facilities,
    LayerKind::Postings,
    LayerKind::Demand,
    LayerKind::Candidates,
    LayerKind::Communities,
    LayerKind::Streets,
];

/// The kept files, forget, export, and the size limit.
#[component]
pub fn KeptBlock() -> Html {
    let l = use_view().lang;
    let t = l.owndata();
    let own = use_owndata();
    let export = use_export_package();
    let forget = use_forget_files();
    let limit_mb = super::super::effects::MAX_FILE_BYTES / (1024 * 1024);
    let status = match &own.export {
        Export::Idle => html! {},
        Export::Running(_) => html! { <p role="status" id="export-status">{ t.exporting }</p> },
        Export::Done(name) => {
            html! { <p role="status" id="export-status" data-done="true">{ t.exported.replace("{}", name) }</p> }
        }
        Export::Failed(e) => html! { <p role="alert" id="export-status">{ l.engine_error(e) }</p> },
    };
    html! {
        <div id="kept-block" data-read={own.kept_read.to_string()}>
            <p class="hint" id="import-limit">{ t.limit.replace("{}", &limit_mb.to_string()) }</p>
            <h3>{ t.heading }</h3>
            if own.kept.is_empty() {
                <p class="hint">{ t.none }</p>
            } else {
                <p id="kept-files" data-count={own.kept.len().to_string()}>
                    { t.kept.replace("{}", &l.int(own.kept.len() as f64)) }{ " " }{ own.kept.join("、") }
                </p>
                <button class="secondary" id="forget-files" onclick={move |_| forget.emit(())}>{ t.forget }</button>
            }
            <p class="hint">{ t.export_hint }</p>
            <button class="secondary" id="export-package" disabled={matches!(own.export, Export::Running(_))}
                onclick={move |_| export.emit(())}>{ t.export }</button>
            { status }
        </div>
    }
}

/// Properties of [`LayerChoice`].
#[derive(Properties, PartialEq)]
pub struct LayerChoiceProps {
    /// The import's request number.
    pub seq: u64,
}

/// The layer question of one import (nothing when it did not ask, or was answered).
#[component]
pub fn LayerChoice(p: &LayerChoiceProps) -> Html {
    let l = use_view().lang;
    let t = l.owndata();
    let own = use_owndata();
    let choose = use_choose_layer();
    let picked = use_state(|| LayerKind::Stations);
    if let Some((_, layer)) = own.chosen.iter().find(|(s, _)| *s == p.seq) {
        return html! { <p class="note layer-chosen">{ t.chosen.replace("{}", l.layer(*layer)) }</p> };
    }
    if !own
        .dropped
        .iter()
        .any(|d| d.seq == p.seq && d.stage == Stage::Asking)
    {
        return html! {};
    }
    let id = format!("layer-choice-{}", p.seq);
    let onchange = {
        let picked = picked.clone();
        Callback::from(move |e: Event| {
            if let Some(s) = e.target_dyn_into::<web_sys::HtmlSelectElement>()
                && let Some(k) = CHOICES.get(s.selected_index().max(0).unsigned_abs() as usize)
            {
                picked.set(*k);
            }
        })
    };
    let seq = p.seq;
    let onclick = {
        let picked = *picked;
        move |_| choose.emit((seq, picked))
    };
    html! {
        <div class="layer-choice">
            <p>{ t.ask }</p>
            <label for={id.clone()}>{ t.layer_label }{ " " }</label>
            <select {id} class="layer-select" {onchange}>
                { for CHOICES.iter().map(|k| html! {
                    <option value={k.id()} selected={*k == *picked}>{ l.layer(*k) }</option>
                }) }
            </select>
            { " " }<button class="primary import-as" {onclick}>{ t.import_as }</button>
        </div>
    }
}

/// "The walking network was rebuilt with the imported files: …" when an import did so.
#[component]
pub fn ImportedNetworkBanner() -> Html {
    let l: Lang = use_view().lang;
    let data = use_data();
    let files: Vec<&str> = data
        .imports
        .iter()
        .filter(|a| a.network_rebuilt)
        .map(|a| a.file.as_str())
        .collect();
    if files.is_empty() {
        return html! {};
    }
    html! {
        <div class="banner" role="status" id="imported-network-banner">
            { l.owndata().network_from.replace("{}", &files.join("、")) }
        </div>
    }
}
