//! The planner's own data: files dropped in this page until their answer says what to do with
//! them (kept in IndexedDB when something loaded, or a layer question when the layer could not
//! be told), the files kept for this package, and the package export.

use std::rc::Rc;

use yew::prelude::*;

use crate::plan::package::LayerKind;
use crate::web::protocol::EngineError;

/// Where a dropped file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Sent to the worker; its answer has not come.
    Waiting,
    /// Its layer could not be told: the import report asks.
    Asking,
    /// Being written to IndexedDB.
    Writing,
}

/// A file dropped in this page, with the number of its import.
#[derive(Debug, Clone, PartialEq)]
pub struct Dropped {
    /// The import's request number (its answer carries it back).
    pub seq: u64,
    /// The package it was dropped on.
    pub package_id: String,
    /// File name.
    pub name: String,
    /// File bytes (shared: they also went to the worker).
    pub bytes: Rc<[u8]>,
    /// The layer the planner chose.
    pub layer: Option<LayerKind>,
    /// Where it is.
    pub stage: Stage,
}

/// The export's state.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Export {
    /// Nothing asked.
    #[default]
    Idle,
    /// Waiting for this request's ZIP.
    Running(u64),
    /// The ZIP was saved (its file name).
    Done(String),
    /// The worker could not export.
    Failed(EngineError),
}

/// The planner's own data.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OwnDataState {
    /// Dropped files whose fate is not settled.
    pub dropped: Vec<Dropped>,
    /// Files kept in this browser for the package shown (names, in order).
    pub kept: Vec<String>,
    /// The kept files of the package shown have been read back (and sent to the worker).
    pub kept_read: bool,
    /// Import numbers whose layer question was answered, with the layer chosen.
    pub chosen: Vec<(u64, LayerKind)>,
    /// The export.
    pub export: Export,
}

/// Changes of [`OwnDataState`].
#[derive(Debug, Clone)]
pub enum OwnDataAction {
    /// A file was handed to the worker.
    Dropped(Dropped),
    /// Its answer asks for the layer.
    Ask(u64),
    /// It is being kept.
    Writing(u64),
    /// Its fate is settled (kept, not kept or nothing loaded): its bytes are let go.
    Settled(u64),
    /// The planner chose a layer for the file of import `from` (a new import follows).
    Chosen {
        /// The asking import.
        from: u64,
        /// The layer chosen.
        layer: LayerKind,
    },
    /// The files kept for the package shown (read back when it loads).
    Kept(Vec<String>),
    /// One more file was kept.
    AddKept(String),
    /// An export was asked for.
    ExportStarted(u64),
    /// The export's ZIP arrived and was saved.
    Exported(u64, String),
    /// The export failed.
    ExportFailed(u64, EngineError),
}

impl Reducible for OwnDataState {
    type Action = OwnDataAction;

    fn reduce(self: Rc<Self>, action: OwnDataAction) -> Rc<Self> {
        let mut s = (*self).clone();
        let set = |s: &mut OwnDataState, seq: u64, stage: Stage| {
            for d in s.dropped.iter_mut().filter(|d| d.seq == seq) {
                d.stage = stage;
            }
        };
        match action {
            OwnDataAction::Dropped(d) => s.dropped.push(d),
            OwnDataAction::Ask(seq) => set(&mut s, seq, Stage::Asking),
            OwnDataAction::Writing(seq) => set(&mut s, seq, Stage::Writing),
            OwnDataAction::Settled(seq) => s.dropped.retain(|d| d.seq != seq),
            OwnDataAction::Chosen { from, layer } => {
                s.dropped.retain(|d| d.seq != from);
                s.chosen.push((from, layer));
            }
            OwnDataAction::Kept(names) => {
                s.kept = names;
                s.kept_read = true;
            }
            OwnDataAction::AddKept(name) => s.kept.push(name),
            OwnDataAction::ExportStarted(seq) => s.export = Export::Running(seq),
            OwnDataAction::Exported(seq, name) => {
                if s.export != Export::Running(seq) {
                    return self;
                }
                s.export = Export::Done(name);
            }
            OwnDataAction::ExportFailed(seq, e) => {
                if s.export != Export::Running(seq) {
                    return self;
                }
                s.export = Export::Failed(e);
            }
        }
        Rc::new(s)
    }
}

/// The context of [`OwnDataState`].
pub type OwnDataContext = UseReducerHandle<OwnDataState>;

/// The planner's own data.
#[hook]
pub fn use_owndata() -> OwnDataContext {
    super::use_feature::<OwnDataState>()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dropped(seq: u64) -> Dropped {
        Dropped {
            seq,
            package_id: "p".to_owned(),
            name: "s8_st.csv".to_owned(),
            bytes: Rc::from(&b"id,lon,lat,name\n"[..]),
            layer: None,
            stage: Stage::Waiting,
        }
    }

    #[test]
    fn a_layer_question_is_answered_once_and_stale_exports_are_dropped() {
        let mut s = Rc::new(OwnDataState::default());
        s = s.reduce(OwnDataAction::Dropped(dropped(1)));
        s = s.reduce(OwnDataAction::Ask(1));
        assert_eq!(s.dropped[0].stage, Stage::Asking);
        s = s.reduce(OwnDataAction::Chosen {
            from: 1,
            layer: LayerKind::Stations,
        });
        assert!(s.dropped.is_empty());
        assert_eq!(s.chosen, vec![(1, LayerKind::Stations)]);
        s = s.reduce(OwnDataAction::Dropped(Dropped {
            layer: Some(LayerKind::Stations),
            ..dropped(2)
        }));
        s = s.reduce(OwnDataAction::Writing(2));
        s = s.reduce(OwnDataAction::Settled(2));
        assert!(s.dropped.is_empty());

        s = s.reduce(OwnDataAction::ExportStarted(7));
        s = s.reduce(OwnDataAction::Exported(6, "old.zip".to_owned()));
        assert_eq!(s.export, Export::Running(7));
        s = s.reduce(OwnDataAction::Exported(7, "p.zip".to_owned()));
        assert_eq!(s.export, Export::Done("p.zip".to_owned()));
    }
}
