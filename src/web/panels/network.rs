//! The network-edit block of the planner tab (路网编辑): the compound setting, the crossing
//! wait, the map tools (draw a path, close a segment, open or close a gate), the active
//! scenario's edits listed with a remove button, an edits file to import or export; and
//! [`NetworkLine`], the network a report was computed on, stated under every analysis.
//!
//! Every change is a scenario edit (undoable, stored, in the share link); the worker applies
//! it as an overlay on the package's graph (`effects::network`).

use yew::prelude::*;

use super::coverage::download;
use crate::plan::graph::{Compounds, NetworkEdit, NetworkEdits};
use crate::web::effects::{use_finish_path, use_read_edits_file};
use crate::web::field::Field;
use crate::web::i18n::{Lang, fill};
use crate::web::state::network::{NetNotice, NetTool, NetworkAction, use_network};
use crate::web::state::scenarios::{ScenarioEdit, use_edit_scenarios, use_scenarios};
use crate::web::state::view::use_view;

/// The network-edit block (on the planner tab).
#[component]
pub fn NetworkPanel() -> Html {
    let lang = use_view().lang;
    let t = lang.network();
    let net = use_network();
    let scn = use_scenarios();
    let edit = use_edit_scenarios();
    let finish = use_finish_path();
    let read_file = use_read_edits_file();
    let (compounds, edits) = scn
        .active_network()
        .map(|(c, e)| (c, e.clone()))
        .unwrap_or_default();
    let tool_button = |tool: NetTool, id: &'static str, label: &'static str| {
        let on = net.tool == Some(tool);
        let net = net.clone();
        let onclick =
            Callback::from(move |_| net.dispatch(NetworkAction::Tool((!on).then_some(tool))));
        html! {
            <button class={if on { "primary" } else { "secondary" }} {id} aria-pressed={on.to_string()} {onclick}>{ label }</button>
        }
    };
    let on_compounds = {
        let edit = edit.clone();
        Callback::from(move |e: Event| {
            if let Some(sel) = e.target_dyn_into::<web_sys::HtmlSelectElement>() {
                edit.emit(ScenarioEdit::Compounds(if sel.value() == "open" {
                    Compounds::Open
                } else {
                    Compounds::Closed
                }));
            }
        })
    };
    let on_delay = {
        let edit = edit.clone();
        Callback::from(move |e: Event| {
            if let Some(i) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                let v = i.value_as_number();
                if v.is_finite() {
                    edit.emit(ScenarioEdit::CrossingDelay(v));
                }
            }
        })
    };
    let on_import = Callback::from(move |e: Event| {
        let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() else {
            return;
        };
        if let Some(file) = input.files().and_then(|f| f.get(0)) {
            read_file.emit(file);
        }
        input.set_value("");
    });
    let on_export = {
        let edits = edits.clone();
        let pkg = scn.package.clone();
        Callback::from(move |_| {
            let text = crate::plan::graph::edits::to_geojson(&edits).to_string();
            download(
                &format!("{pkg}-edits.geojson"),
                "application/geo+json",
                &text,
            );
        })
    };
    let hint = match net.tool {
        Some(NetTool::Path) => Some(t.hint_path),
        Some(NetTool::Close) => Some(t.hint_close),
        Some(NetTool::GateOpen | NetTool::GateClosed) => Some(t.hint_gate),
        None => None,
    };
    let stop = {
        let net = net.clone();
        Callback::from(move |_| net.dispatch(NetworkAction::Tool(None)))
    };
    html! {
        <section class="net-edits" aria-labelledby="net-heading">
            <h3 id="net-heading">{ t.heading }</h3>
            <p class="hint">{ t.intro }</p>
            <label>{ t.compounds }{ " " }
                <select id="net-compounds" onchange={on_compounds}>
                    <option value="closed" selected={compounds == Compounds::Closed}>{ t.closed }</option>
                    <option value="open" selected={compounds == Compounds::Open}>{ t.open }</option>
                </select>
            </label>
            <p class="hint" id="net-compounds-note">{ t.compounds_note }</p>
            <label>{ t.delay }{ " " }
                <Field id="net-delay" kind="number" min="0" max="600" step="5"
                    value={edits.crossing_delay_s.to_string()} onchange={on_delay} />
            </label>
            <div class="row">
                { tool_button(NetTool::Path, "net-draw", t.draw_path) }
                { tool_button(NetTool::Close, "net-close", t.close_segment) }
                { tool_button(NetTool::GateOpen, "net-gate-open", t.open_gate) }
                { tool_button(NetTool::GateClosed, "net-gate-closed", t.close_gate) }
            </div>
            if net.tool.is_some() {
                <div class="row">
                    if net.tool == Some(NetTool::Path) {
                        <button class="primary" id="net-finish" disabled={net.draft.len() < 2}
                            onclick={Callback::from(move |_| finish.emit(()))}>{ t.finish }</button>
                    }
                    <button class="secondary" id="net-stop" onclick={stop}>{ t.stop }</button>
                </div>
            }
            if let Some(h) = hint {
                <p class="hint" role="status" id="net-hint">{ h }</p>
            }
            { edit_list(lang, &edits, &edit) }
            <div class="row">
                <label class="file-button secondary">
                    <span>{ t.import }</span>
                    <input type="file" id="net-import" accept=".geojson,.json" onchange={on_import} />
                </label>
                <button class="secondary" id="net-export" onclick={on_export}>{ t.export }</button>
            </div>
            if let Some(sw) = net.switch {
                <p class="hint" id="net-info" data-switches={net.switches.to_string()} data-ms={format!("{:.3}", sw.ms)}>{ fill(t.switched_fmt, &[&format!("{:.1}", sw.ms), &sw.added_m.to_string(), &sw.closed_m.to_string()]) }</p>
            }
            { notice(lang, net.notice.as_ref()) }
        </section>
    }
}

fn edit_list(lang: Lang, edits: &NetworkEdits, edit: &Callback<ScenarioEdit>) -> Html {
    let t = lang.network();
    if edits.edits.is_empty() {
        return html! { <p class="hint" id="net-none">{ t.none }</p> };
    }
    html! {
        <ol id="net-list">
            { for edits.edits.iter().enumerate().map(|(i, e)| {
                let kind = match e {
                    NetworkEdit::AddPath { .. } => t.kind_path,
                    NetworkEdit::Close { .. } => t.kind_close,
                    NetworkEdit::GateOpen { .. } => t.kind_gate_open,
                    NetworkEdit::GateClosed { .. } => t.kind_gate_closed,
                };
                let cb = edit.clone();
                html! {
                    <li data-edit={e.kind()}>{ kind }{ " " }
                        <button class="link" aria-label={format!("{} {kind} {}", t.remove, i + 1)}
                            onclick={Callback::from(move |_| cb.emit(ScenarioEdit::RemoveNet(i)))}>{ "×" }</button>
                    </li>
                }
            }) }
        </ol>
    }
}

fn notice(lang: Lang, n: Option<&NetNotice>) -> Html {
    let t = lang.network();
    match n {
        None => html! {},
        Some(NetNotice::NoStreet) => {
            html! { <p class="hint" role="status" id="net-notice">{ t.no_street }</p> }
        }
        Some(NetNotice::Imported(count, file)) => html! {
            <p class="hint" role="status" id="net-notice">{ fill(t.imported_fmt, &[&count.to_string(), file]) }</p>
        },
        Some(NetNotice::Failed(e)) => html! {
            <p class="error" role="alert" id="net-notice" data-failed="true">{ lang.engine_error(e) }</p>
        },
    }
}

/// The network the open analysis walks: the active scenario's compound setting, edits and
/// crossing wait (stated in every report).
#[component]
pub fn NetworkLine() -> Html {
    let lang = use_view().lang;
    let scn = use_scenarios();
    let (compounds, edits) = scn
        .active_network()
        .map(|(c, e)| (c, e.clone()))
        .unwrap_or_default();
    html! {
        <p class="hint net-line" data-compounds={if compounds == Compounds::Open { "open" } else { "closed" }}>
            { lang.network_line(compounds, edits.edits.len(), edits.crossing_delay_s) }
        </p>
    }
}
