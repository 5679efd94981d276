//! The planner's own files: every chosen or dropped file goes to the worker with a number
//! (refused unread when over the size limit); its answer decides what happens to it — kept in
//! IndexedDB when something loaded ([`crate::web::kept`]), a layer question when its layer could
//! not be told, let go otherwise. When a package loads, the files kept for it are imported
//! again, in the order they were kept. The package export and "forget my files" are commands.

use std::rc::Rc;

use yew::prelude::*;

use crate::plan::import::DEFAULT_MAX_BYTES;
use crate::plan::package::LayerKind;
use crate::web::engine::{EngineHandle, use_engine};
use crate::web::i18n::Both;
use crate::web::kept::{self, KeptFile};
use crate::web::protocol::{ImportShown, Request};
use crate::web::state::data::{DataAction, Fault, use_data};
use crate::web::state::owndata::{Dropped, OwnDataAction, OwnDataContext, Stage, use_owndata};

/// The largest file the page reads: the importers' limit, checked on the file's size before a
/// byte is read (and shown in the import panel).
pub const MAX_FILE_BYTES: u64 = DEFAULT_MAX_BYTES;

/// The report of a file refused before the worker saw it (its problem already in words).
fn refused(file: &str, problem: Both) -> ImportShown {
    ImportShown {
        file: file.to_owned(),
        layers: Vec::new(),
        records: 0,
        loaded: 0,
        problems: vec![problem],
        omitted: 0,
        network_rebuilt: false,
        host_types: Vec::new(),
        undrawn: 0,
        seq: 0,
        layer_unknown: false,
        zones: Vec::new(),
    }
}

/// Hands one file's bytes to the worker as an import with a number, remembered until its
/// answer says what to do with it.
fn send_import(engine: &EngineHandle, own: &OwnDataContext, d: Dropped) {
    engine.send(Request::ImportAs {
        seq: d.seq,
        file: d.name.clone(),
        bytes: d.bytes.to_vec(),
        layer: d.layer,
    });
    own.dispatch(OwnDataAction::Dropped(d));
}

/// Hands files (chosen or dropped) to the worker, one import each.
#[hook]
pub fn use_import_files() -> Callback<web_sys::FileList> {
    let engine = use_engine();
    let data = use_data();
    let own = use_owndata();
    Callback::from(move |files: web_sys::FileList| {
        let n = files.length();
        data.dispatch(DataAction::Importing(n as usize));
        for i in 0..n {
            let Some(file) = files.get(i) else { continue };
            // A file's size is known without reading it: the limit is checked first.
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let size = file.size() as u64;
            if size > MAX_FILE_BYTES {
                let problem = Both::too_large(&file.name(), size, MAX_FILE_BYTES);
                data.dispatch(DataAction::Imported(Rc::new(refused(
                    &file.name(),
                    problem,
                ))));
                continue;
            }
            let (engine, data, own) = (engine.clone(), data.clone(), own.clone());
            let package_id = data.package_id.clone();
            wasm_bindgen_futures::spawn_local(async move {
                match super::read_file(&file).await {
                    Ok(bytes) => {
                        let d = Dropped {
                            seq: engine.next_seq(),
                            package_id,
                            name: file.name(),
                            bytes: Rc::from(bytes),
                            layer: None,
                            stage: Stage::Waiting,
                        };
                        send_import(&engine, &own, d);
                    }
                    Err(message) => {
                        let problem = Both::unreadable(&file.name(), &message);
                        data.dispatch(DataAction::Imported(Rc::new(refused(
                            &file.name(),
                            problem,
                        ))));
                    }
                }
            });
        }
    })
}

/// Imports again, with the layer the planner chose, the file of an import that asked.
#[hook]
pub fn use_choose_layer() -> Callback<(u64, LayerKind)> {
    let engine = use_engine();
    let data = use_data();
    let own = use_owndata();
    Callback::from(move |(from, layer): (u64, LayerKind)| {
        let Some(d) = own.dropped.iter().find(|d| d.seq == from).cloned() else {
            return;
        };
        let to = Dropped {
            seq: engine.next_seq(),
            layer: Some(layer),
            stage: Stage::Waiting,
            ..d
        };
        data.dispatch(DataAction::Importing(1));
        own.dispatch(OwnDataAction::Chosen { from, layer });
        send_import(&engine, &own, to);
    })
}

/// Asks the worker for the package ZIP (saved when it arrives: `web::engine`).
#[hook]
pub fn use_export_package() -> Callback<()> {
    let engine = use_engine();
    let own = use_owndata();
    Callback::from(move |()| {
        let seq = engine.next_seq();
        own.dispatch(OwnDataAction::ExportStarted(seq));
        engine.send(Request::ExportPackage { seq });
    })
}

/// Removes the files kept for the package shown, then reopens the page without them (a
/// refused removal is a notice and changes nothing).
#[hook]
pub fn use_forget_files() -> Callback<()> {
    let data = use_data();
    Callback::from(move |()| {
        let data = data.clone();
        wasm_bindgen_futures::spawn_local(async move {
            match kept::forget(&data.package_id).await {
                Ok(()) => {
                    if let Some(w) = web_sys::window() {
                        let _ = w.location().reload();
                    }
                }
                Err(_) => data.dispatch(DataAction::Notice(Fault::NotForgotten)),
            }
        });
    })
}

/// Imports again what was kept for a package when it loads, and keeps (or lets go, or asks
/// about) each dropped file when its answer arrives.
#[hook]
pub fn use_kept_files(engine: &EngineHandle) {
    let data = use_data();
    let own = use_owndata();
    // The package's load was sent just before it became `fetched`: the imports follow it.
    let loaded = data
        .fetched
        .as_ref()
        .map(|f| (f.id.clone(), Rc::as_ptr(f) as usize));
    {
        let (engine, data, own) = (engine.clone(), data.clone(), own.clone());
        use_effect_with(loaded, move |loaded| {
            if let Some((id, _)) = loaded.clone() {
                wasm_bindgen_futures::spawn_local(async move {
                    // No storage: nothing was kept (a refused write is what the planner hears of).
                    let files = kept::all(&id).await.unwrap_or_default();
                    own.dispatch(OwnDataAction::Kept(
                        files.iter().map(|f| f.name.clone()).collect(),
                    ));
                    data.dispatch(DataAction::Importing(files.len()));
                    for f in files {
                        engine.send(Request::ImportAs {
                            seq: engine.next_seq(),
                            file: f.name,
                            bytes: f.bytes,
                            layer: f.layer,
                        });
                    }
                });
            }
        });
    }
    use_effect_with(data.imports.len(), move |_| {
        for a in &data.imports {
            let Some(d) = own
                .dropped
                .iter()
                .find(|d| a.seq != 0 && d.seq == a.seq && d.stage == Stage::Waiting)
                .cloned()
            else {
                continue;
            };
            if a.loaded == 0 {
                own.dispatch(if a.layer_unknown {
                    OwnDataAction::Ask(d.seq)
                } else {
                    OwnDataAction::Settled(d.seq)
                });
                continue;
            }
            own.dispatch(OwnDataAction::Writing(d.seq));
            let (data, own) = (data.clone(), own.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let file = KeptFile {
                    name: d.name.clone(),
                    layer: d.layer,
                    bytes: d.bytes.to_vec(),
                };
                match kept::put(&d.package_id, d.seq, &file).await {
                    Ok(()) if d.package_id == data.package_id => {
                        own.dispatch(OwnDataAction::AddKept(d.name));
                    }
                    Ok(()) => {}
                    Err(_) => data.dispatch(DataAction::Notice(Fault::NotKept(d.name))),
                }
                own.dispatch(OwnDataAction::Settled(d.seq));
            });
        }
    });
}
