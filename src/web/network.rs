//! The network-edit tools of the planner panel (路网编辑): the compound setting, the crossing
//! delay, drawing a new path, closing a segment and opening a gate on the map, and the active
//! scenario's edits listed with a remove button. Every change is a scenario edit (undoable,
//! stored, in the share link); the worker applies it as an overlay on the package's graph.

use std::fmt::Write as _;
use std::rc::Rc;

use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::i18n::{Lang, fill};
use super::place::ScenarioEdit;
use super::worker::NetworkAnswer;
use crate::plan::graph::{Compounds, NetworkEdit, NetworkEdits};

/// What a click on the map does while the planner edits the network.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NetTool {
    /// Adds a vertex to the path being drawn.
    Path,
    /// Closes the street piece clicked.
    Close,
    /// Opens a gate at the point clicked.
    Gate,
}

/// Properties of [`NetworkPanel`].
#[derive(Properties, PartialEq)]
pub struct NetworkProps {
    /// Language.
    pub lang: Lang,
    /// The active scenario's compound setting.
    pub compounds: Compounds,
    /// The active scenario's edits.
    pub edits: NetworkEdits,
    /// The tool in use.
    pub tool: Option<NetTool>,
    /// Points of the path being drawn.
    pub draft: usize,
    /// The last switch.
    pub info: Option<NetworkAnswer>,
    /// Why the last switch failed.
    pub error: Option<AttrValue>,
    /// Choose a tool (or none).
    pub on_tool: Callback<Option<NetTool>>,
    /// Finish the path being drawn.
    pub on_finish: Callback<()>,
    /// A scenario edit.
    pub on_edit: Callback<ScenarioEdit>,
}

/// The network-edit block.
#[component]
pub fn NetworkPanel(p: &NetworkProps) -> Html {
    let t = p.lang.network();
    let tool_button = |tool: NetTool, id: &'static str, label: &'static str| {
        let on = p.tool == Some(tool);
        let cb = p.on_tool.clone();
        html! {
            <button class={if on { "primary" } else { "secondary" }} id={id} aria-pressed={on.to_string()}
                onclick={Callback::from(move |_| cb.emit(if on { None } else { Some(tool) }))}>{ label }</button>
        }
    };
    let on_compounds = {
        let cb = p.on_edit.clone();
        Callback::from(move |e: Event| {
            if let Some(sel) = e.target_dyn_into::<web_sys::HtmlSelectElement>() {
                cb.emit(ScenarioEdit::Compounds(if sel.value() == "open" {
                    Compounds::Open
                } else {
                    Compounds::Closed
                }));
            }
        })
    };
    let on_delay = {
        let cb = p.on_edit.clone();
        Callback::from(move |e: Event| {
            if let Some(i) = e.target_dyn_into::<HtmlInputElement>() {
                let v = i.value_as_number();
                if v.is_finite() && (0.0..=600.0).contains(&v) {
                    cb.emit(ScenarioEdit::CrossingDelay(v));
                }
            }
        })
    };
    let hint = match p.tool {
        Some(NetTool::Path) => Some(t.hint_path),
        Some(NetTool::Close) => Some(t.hint_close),
        Some(NetTool::Gate) => Some(t.hint_gate),
        None => None,
    };
    html! {
        <section class="net-edits" aria-labelledby="net-heading">
            <h3 id="net-heading">{ t.heading }</h3>
            <p class="hint">{ t.intro }</p>
            <label>{ t.compounds }{ " " }
                <select id="net-compounds" onchange={on_compounds}>
                    <option value="closed" selected={p.compounds == Compounds::Closed}>{ t.closed }</option>
                    <option value="open" selected={p.compounds == Compounds::Open}>{ t.open }</option>
                </select>
            </label>
            <p class="hint" id="net-compounds-note">{ t.compounds_note }</p>
            <label>{ t.delay }{ " " }
                <input id="net-delay" type="number" min="0" max="600" step="5"
                    value={p.edits.crossing_delay_s.to_string()} onchange={on_delay} />
            </label>
            <div class="row">
                { tool_button(NetTool::Path, "net-draw", t.draw_path) }
                { tool_button(NetTool::Close, "net-close", t.close_segment) }
                { tool_button(NetTool::Gate, "net-gate", t.open_gate) }
                if p.tool == Some(NetTool::Path) {
                    <button class="primary" id="net-finish" disabled={p.draft < 2}
                        onclick={{ let cb = p.on_finish.clone(); Callback::from(move |_| cb.emit(())) }}>{ t.finish }</button>
                }
                if p.tool.is_some() {
                    <button class="secondary" id="net-stop"
                        onclick={{ let cb = p.on_tool.clone(); Callback::from(move |_| cb.emit(None)) }}>{ t.stop }</button>
                }
            </div>
            if let Some(h) = hint {
                <p class="hint" role="status">{ h }</p>
            }
            if p.edits.edits.is_empty() {
                <p class="hint" id="net-none">{ t.none }</p>
            } else {
                <ol id="net-list">
                    { for p.edits.edits.iter().enumerate().map(|(i, e)| {
                        let kind = match e {
                            NetworkEdit::AddPath { .. } => t.kind_path,
                            NetworkEdit::Close { .. } => t.kind_close,
                            NetworkEdit::GateOpen { .. } => t.kind_gate_open,
                            NetworkEdit::GateClosed { .. } => t.kind_gate_closed,
                        };
                        let cb = p.on_edit.clone();
                        html! {
                            <li>{ kind }{ " " }
                                <button class="link" aria-label={format!("{} {kind} {}", t.remove, i + 1)}
                                    onclick={Callback::from(move |_| cb.emit(ScenarioEdit::RemoveNet(i)))}>{ "×" }</button>
                            </li>
                        }
                    }) }
                </ol>
            }
            if let Some(a) = p.info {
                <p class="hint" id="net-info">{ fill(t.switched_fmt, &[&format!("{:.1}", a.ms), &a.added_m.to_string(), &a.closed_m.to_string()]) }</p>
            }
            if let Some(e) = &p.error {
                <p class="error" role="alert">{ fill(t.failed_fmt, &[e.as_str()]) }</p>
            }
        </section>
    }
}

/// The edits (and the path being drawn) as GeoJSON for the map: LineStrings and Points with an
/// `edit` property (`add_path`, `close`, `gate_open`, `gate_closed`, `draft`).
pub fn edits_geojson(edits: &NetworkEdits, draft: &[(f64, f64)]) -> Rc<str> {
    let mut s = String::from("{\"type\":\"FeatureCollection\",\"features\":[");
    let mut first = true;
    let mut feature = |s: &mut String, kind: &str, coords: &[(f64, f64)], point: bool| {
        if !first {
            s.push(',');
        }
        first = false;
        let _ = write!(
            s,
            "{{\"type\":\"Feature\",\"properties\":{{\"edit\":\"{kind}\"}},\"geometry\":{{\"type\":\"{}\",\"coordinates\":",
            if point { "Point" } else { "LineString" }
        );
        if point {
            let _ = write!(s, "[{},{}]", coords[0].0, coords[0].1);
        } else {
            s.push('[');
            for (i, c) in coords.iter().enumerate() {
                if i > 0 {
                    s.push(',');
                }
                let _ = write!(s, "[{},{}]", c.0, c.1);
            }
            s.push(']');
        }
        s.push_str("}}");
    };
    for e in &edits.edits {
        match e {
            NetworkEdit::AddPath { line_wgs84 } | NetworkEdit::Close { line_wgs84 } => {
                let c: Vec<(f64, f64)> = line_wgs84.iter().map(|p| (p.lon, p.lat)).collect();
                feature(&mut s, e.kind(), &c, false);
            }
            NetworkEdit::GateOpen { at_wgs84 } | NetworkEdit::GateClosed { at_wgs84 } => {
                feature(&mut s, e.kind(), &[(at_wgs84.lon, at_wgs84.lat)], true);
            }
        }
    }
    match draft {
        [] => {}
        [one] => feature(&mut s, "draft", &[*one], true),
        _ => feature(&mut s, "draft", draft, false),
    }
    s.push_str("]}");
    Rc::from(s.as_str())
}
