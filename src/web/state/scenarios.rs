//! The scenarios feature: the package's scenarios (kept in local storage), undo and redo of
//! their edits, and the side-by-side comparison of two of them.

use std::rc::Rc;

use yew::prelude::*;

use crate::plan::graph::{Compounds, NetworkEdit, NetworkEdits};
use crate::plan::scenario::{Scenario, ScenarioFile, Site};
use crate::web::i18n::Lang;
use crate::web::protocol::ScenarioFigures;

/// Scenario edits the panel asks for.
#[derive(Debug, Clone, PartialEq)]
pub enum ScenarioEdit {
    /// Accept these sites into the active scenario.
    Accept(Vec<Site>),
    /// Remove a site (by id) from the active scenario.
    Remove(String),
    /// Undo the last edit.
    Undo,
    /// Redo.
    Redo,
    /// A new empty scenario becomes active.
    New,
    /// Make this scenario active.
    Select(usize),
    /// Replace every scenario by an imported scenario file.
    Import(Box<ScenarioFile>),
    /// Add one imported scenario (a sites GeoJSON) and make it active.
    ImportOne(Box<Scenario>),
    /// Add a network edit to the active scenario.
    AddNet(NetworkEdit),
    /// Remove the active scenario's network edit at this index.
    RemoveNet(usize),
    /// The active scenario's compound setting.
    Compounds(Compounds),
    /// The active scenario's per-crossing wait, seconds.
    CrossingDelay(f64),
    /// Replace the active scenario's network edits (an imported edits file).
    ImportNet(NetworkEdits),
}

impl ScenarioEdit {
    /// Whether the edit adds a scenario (refused when the file is full).
    pub const fn adds(&self) -> bool {
        matches!(self, ScenarioEdit::New | ScenarioEdit::ImportOne(_))
    }
}

/// A comparison of two scenarios.
#[derive(Debug, Clone, PartialEq)]
pub struct CompareState {
    /// The two scenarios (indices).
    pub pair: (usize, usize),
    /// Their figures, as they arrive.
    pub figures: [Option<ScenarioFigures>; 2],
}

/// The scenarios of the open package.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ScenarioState {
    /// The scenarios.
    pub file: Rc<ScenarioFile>,
    /// The package whose scenarios are in `file` (empty until read from storage).
    pub package: String,
    /// Undo snapshots.
    pub undo: Vec<Rc<ScenarioFile>>,
    /// Redo snapshots.
    pub redo: Vec<Rc<ScenarioFile>>,
    /// The comparison.
    pub compare: Option<Rc<CompareState>>,
    /// The comparison's request number.
    pub compare_seq: u64,
}

impl ScenarioState {
    /// The active scenario's sites (None until the package's scenarios are read).
    pub fn active_sites(&self) -> Option<&[Site]> {
        self.file
            .scenarios
            .get(self.file.active)
            .map(|s| s.sites.as_slice())
    }

    /// The active scenario's network: compound setting and edits (None until read).
    pub fn active_network(&self) -> Option<(Compounds, &NetworkEdits)> {
        self.file
            .scenarios
            .get(self.file.active)
            .map(|s| (s.compounds, &s.network))
    }
}

/// Changes of [`ScenarioState`].
#[derive(Debug, Clone)]
pub enum ScenarioAction {
    /// Edit the scenarios (the language names a new scenario).
    Edit(ScenarioEdit, Lang),
    /// The package's scenarios were read (from storage or a link).
    Loaded(Rc<ScenarioFile>),
    /// A comparison of two scenarios was asked with this request number.
    CompareStart(u64, usize, usize),
    /// One side of a comparison arrived: (request number, side, figures).
    Figures(u64, u8, ScenarioFigures),
    /// Another package.
    Reset,
}

impl Reducible for ScenarioState {
    type Action = ScenarioAction;

    fn reduce(self: Rc<Self>, action: ScenarioAction) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            ScenarioAction::Edit(edit, lang) => apply_edit(&mut s, edit, lang),
            ScenarioAction::Loaded(f) => {
                s.package.clone_from(&f.package);
                s.file = f;
                s.undo.clear();
                s.redo.clear();
                s.compare = None;
            }
            ScenarioAction::CompareStart(seq, a, b) => {
                s.compare_seq = seq;
                s.compare = Some(Rc::new(CompareState {
                    pair: (a, b),
                    figures: [None, None],
                }));
            }
            ScenarioAction::Figures(seq, side, f) => {
                let Some(c) = s.compare.as_ref().filter(|_| seq == s.compare_seq) else {
                    return self;
                };
                let mut c = (**c).clone();
                c.figures[usize::from(side.min(1))] = Some(f);
                s.compare = Some(Rc::new(c));
            }
            ScenarioAction::Reset => {
                s.compare = None;
                s.package.clear();
            }
        }
        Rc::new(s)
    }
}

/// Applies a scenario edit: every change of the sites is undoable; switching scenarios is not
/// an edit of their content and keeps the history. A full file takes no new scenario (the
/// caller says so: [`full_message`]).
fn apply_edit(s: &mut ScenarioState, edit: ScenarioEdit, lang: Lang) {
    let before = s.file.clone();
    let mut f = (*before).clone();
    let active = f.active.min(f.scenarios.len().saturating_sub(1));
    let mut record = true;
    if edit.adds() && full_message(&f, lang).is_some() {
        return;
    }
    match edit {
        ScenarioEdit::Accept(sites) => {
            let Some(sc) = f.scenarios.get_mut(active) else {
                return;
            };
            for site in sites {
                if !sc.sites.iter().any(|x| x.id == site.id) {
                    sc.sites.push(site);
                }
            }
        }
        ScenarioEdit::Remove(id) => {
            if let Some(sc) = f.scenarios.get_mut(active) {
                sc.sites.retain(|x| x.id != id);
            }
        }
        ScenarioEdit::New => {
            let name = next_name(&f, lang.place().scenario_name);
            f.scenarios.push(Scenario {
                name,
                ..Default::default()
            });
            f.active = f.scenarios.len() - 1;
        }
        ScenarioEdit::Select(i) => {
            if i < f.scenarios.len() {
                f.active = i;
            }
            record = false;
        }
        ScenarioEdit::Import(new) => f = *new,
        ScenarioEdit::ImportOne(sc) => {
            f.scenarios.push(*sc);
            f.active = f.scenarios.len() - 1;
        }
        ScenarioEdit::AddNet(e) => {
            if let Some(sc) = f.scenarios.get_mut(active) {
                sc.network.edits.push(e);
            }
        }
        ScenarioEdit::RemoveNet(i) => {
            if let Some(sc) = f.scenarios.get_mut(active)
                && i < sc.network.edits.len()
            {
                sc.network.edits.remove(i);
            }
        }
        ScenarioEdit::Compounds(c) => {
            if let Some(sc) = f.scenarios.get_mut(active) {
                sc.compounds = c;
            }
        }
        ScenarioEdit::CrossingDelay(d) => {
            if let Some(sc) = f.scenarios.get_mut(active)
                && (0.0..=crate::plan::graph::edits::MAX_CROSSING_DELAY_S).contains(&d)
            {
                sc.network.crossing_delay_s = d;
            }
        }
        ScenarioEdit::ImportNet(edits) => {
            if let Some(sc) = f.scenarios.get_mut(active) {
                sc.network = edits;
            }
        }
        ScenarioEdit::Undo => {
            if let Some(prev) = s.undo.pop() {
                s.redo.push(before);
                s.file = prev;
            }
            return;
        }
        ScenarioEdit::Redo => {
            if let Some(next) = s.redo.pop() {
                s.undo.push(before);
                s.file = next;
            }
            return;
        }
    }
    if f == *before {
        return;
    }
    if f.scenarios != before.scenarios {
        s.compare = None;
    }
    if record {
        s.undo.push(before);
        if s.undo.len() > 100 {
            s.undo.remove(0);
        }
        s.redo.clear();
    }
    s.file = Rc::new(f);
}

/// The message when `f` holds as many scenarios as a file may
/// ([`MAX_SCENARIOS`](crate::plan::scenario::MAX_SCENARIOS)).
pub fn full_message(f: &ScenarioFile, lang: Lang) -> Option<String> {
    let max = crate::plan::scenario::MAX_SCENARIOS;
    (f.scenarios.len() >= max).then(|| format!("{} > {max}", lang.place().scenario))
}

/// "方案 B", "方案 C" … the first letter not yet used.
fn next_name(f: &ScenarioFile, base: &str) -> String {
    ('A'..='Z')
        .map(|c| format!("{base} {c}"))
        .find(|n| f.scenarios.iter().all(|s| &s.name != n))
        .unwrap_or_else(|| format!("{base} {}", f.scenarios.len() + 1))
}

/// The context of [`ScenarioState`].
pub type ScenarioContext = UseReducerHandle<ScenarioState>;

/// The scenarios state.
#[hook]
pub fn use_scenarios() -> ScenarioContext {
    super::use_feature::<ScenarioState>()
}

/// Edits the scenarios; an edit that would overfill the file is refused with a banner.
#[hook]
pub fn use_edit_scenarios() -> Callback<ScenarioEdit> {
    let scenarios = use_scenarios();
    let data = super::data::use_data();
    let view = super::view::use_view();
    Callback::from(move |edit: ScenarioEdit| {
        if edit.adds()
            && let Some(e) = full_message(&scenarios.file, view.lang)
        {
            data.dispatch(super::data::DataAction::Error(super::data::Notice::Text(e)));
            return;
        }
        scenarios.dispatch(ScenarioAction::Edit(edit, view.lang));
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::geom::LonLat;

    fn edit(s: Rc<ScenarioState>, e: ScenarioEdit) -> Rc<ScenarioState> {
        s.reduce(ScenarioAction::Edit(e, Lang::Zh))
    }

    #[test]
    fn network_edits_are_scenario_edits_undone_and_redone_with_the_rest() {
        let f = ScenarioFile::new("shanghai-central", "方案 A");
        let s = Rc::new(ScenarioState::default()).reduce(ScenarioAction::Loaded(Rc::new(f)));
        let first = s.file.clone();
        let gate = NetworkEdit::GateOpen {
            at_wgs84: LonLat::new(121.47, 31.23),
        };
        let s = edit(s, ScenarioEdit::AddNet(gate.clone()));
        let s = edit(s, ScenarioEdit::Compounds(Compounds::Open));
        let s = edit(s, ScenarioEdit::CrossingDelay(20.0));
        // Out of range: refused, no history step.
        let s = edit(s, ScenarioEdit::CrossingDelay(9_999.0));
        assert_eq!(s.undo.len(), 3);
        let (c, e) = s.active_network().unwrap();
        assert_eq!(
            (c, e.edits.clone(), e.crossing_delay_s),
            (Compounds::Open, vec![gate], 20.0)
        );
        let s = edit(s, ScenarioEdit::RemoveNet(5));
        assert_eq!(s.undo.len(), 3, "removing nothing is no step");
        let s = edit(
            edit(edit(s, ScenarioEdit::Undo), ScenarioEdit::Undo),
            ScenarioEdit::Undo,
        );
        assert_eq!(s.file, first);
        let s = edit(s, ScenarioEdit::Redo);
        assert_eq!(s.active_network().unwrap().1.edits.len(), 1);
        let s = edit(s, ScenarioEdit::ImportNet(NetworkEdits::default()));
        assert!(s.active_network().unwrap().1.is_empty());
    }
}
