//! The network edits' effects and commands: the worker learns the active scenario's network
//! (compound setting and edits, applied as an overlay) before any analysis is asked, and what
//! was computed on the old network is dropped; map clicks of the edit tools; an imported edits
//! file goes to the worker to be checked against the network.

use yew::prelude::*;

use super::super::engine::{EngineHandle, use_engine};
use super::super::protocol::Request;
use super::super::state::coverage::{CoverageAction, use_coverage};
use super::super::state::data::use_data;
use super::super::state::isochrone::use_isochrone;
use super::super::state::nearby::{NearbyAction, use_nearby};
use super::super::state::network::{NetTool, NetworkAction, use_network};
use super::super::state::scenarios::{ScenarioEdit, use_edit_scenarios, use_scenarios};
use crate::plan::geom::LonLat;
use crate::plan::graph::{Compounds, NetworkEdit, NetworkEdits};

/// Tells the worker the active scenario's network whenever it changes (and after an import
/// that rebuilt the graph), then re-asks the isochrone and drops the assessment and the
/// resident answer computed on the old one.
#[hook]
pub(super) fn use_network_sync(engine: &EngineHandle) {
    let data = use_data();
    let scenarios = use_scenarios();
    let network = use_network();
    let iso = use_isochrone();
    let coverage = use_coverage();
    let nearby = use_nearby();
    let key: Option<(Compounds, NetworkEdits, usize)> = (data.loaded.is_some()
        && scenarios.package == data.package_id)
        .then(|| {
            scenarios
                .active_network()
                .map(|(c, e)| (c, e.clone()))
                .unwrap_or_default()
        })
        .map(|(c, e)| (c, e, data.imports.len()));
    let engine = engine.clone();
    let home = iso.home;
    let previous = use_mut_ref(|| None::<(Compounds, NetworkEdits)>);
    use_effect_with(key, move |key| {
        let Some((compounds, edits, _)) = key else {
            *previous.borrow_mut() = None;
            return;
        };
        let seq = engine.next_seq();
        network.dispatch(NetworkAction::Sent(seq));
        engine.send(Request::SetNetwork {
            seq,
            compounds: *compounds,
            edits: edits.clone(),
        });
        let now = Some((*compounds, edits.clone()));
        let changed = previous.borrow().is_some() && *previous.borrow() != now;
        *previous.borrow_mut() = now;
        if changed {
            coverage.dispatch(CoverageAction::Invalidate);
            nearby.dispatch(NearbyAction::Invalidate);
        }
        if let Some(p) = home {
            engine.isochrone(p);
        }
    });
}

/// A map click while an edit tool is in use: a vertex of the path being drawn, the street to
/// close (the worker finds it), or a gate.
#[hook]
pub fn use_network_click() -> Callback<(f64, f64)> {
    let engine = use_engine();
    let network = use_network();
    let edit = use_edit_scenarios();
    Callback::from(move |p: (f64, f64)| {
        let at_wgs84 = LonLat::new(p.0, p.1);
        match network.tool {
            Some(NetTool::Path) => network.dispatch(NetworkAction::AddPoint(p)),
            Some(NetTool::Close) => engine.send(Request::EdgeAt { at_wgs84: p }),
            Some(NetTool::GateOpen) => {
                edit.emit(ScenarioEdit::AddNet(NetworkEdit::GateOpen { at_wgs84 }));
            }
            Some(NetTool::GateClosed) => {
                edit.emit(ScenarioEdit::AddNet(NetworkEdit::GateClosed { at_wgs84 }));
            }
            None => {}
        }
    })
}

/// Finishes the path being drawn: it becomes an edit of the active scenario.
#[hook]
pub fn use_finish_path() -> Callback<()> {
    let network = use_network();
    let edit = use_edit_scenarios();
    Callback::from(move |()| {
        let line_wgs84: Vec<LonLat> = network
            .draft
            .iter()
            .map(|&(lon, lat)| LonLat::new(lon, lat))
            .collect();
        network.dispatch(NetworkAction::ClearDraft);
        if line_wgs84.len() >= 2 {
            edit.emit(ScenarioEdit::AddNet(NetworkEdit::AddPath { line_wgs84 }));
        }
    })
}

/// Sends an edits GeoJSON the user chose to the worker (checked against the network there;
/// applied to the active scenario only when every feature is right).
#[hook]
pub fn use_read_edits_file() -> Callback<web_sys::File> {
    let engine = use_engine();
    let network = use_network();
    Callback::from(move |file: web_sys::File| {
        let engine = engine.clone();
        let network = network.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let bytes = super::read_file(&file).await.unwrap_or_default();
            let seq = engine.next_seq();
            network.dispatch(NetworkAction::FileSent(seq));
            engine.send(Request::ReadEdits {
                seq,
                file: file.name(),
                bytes,
            });
        });
    })
}

/// The network edits of the link the page was opened with (`net=`), and whether part of it
/// could not be read (then the page says so; what was read is used).
pub(super) fn link_network(net: Option<&str>) -> (NetworkEdits, bool) {
    let Some(text) = net else {
        return (NetworkEdits::default(), false);
    };
    let edits = crate::plan::scenario::edits_from_url(text);
    let entries = text.split(';').filter(|e| !e.trim().is_empty()).count();
    let read = edits.edits.len() + usize::from(edits.crossing_delay_s > 0.0);
    (edits, read < entries)
}
