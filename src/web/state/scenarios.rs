//! The scenarios feature: the package's scenarios (kept in local storage), undo and redo of
//! their edits, the side-by-side comparison of two of them, and what this tab knows of the
//! stored record that other tabs also write ([`TabSync`]; the merge is
//! [`crate::plan::scenario::merge`]).

use std::rc::Rc;

use yew::prelude::*;

use crate::plan::graph::{Compounds, NetworkEdit, NetworkEdits};
use crate::plan::scenario::merge::{self, Stamp};
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
    /// The stored record as this tab knows it.
    pub sync: Rc<TabSync>,
}

/// What this tab knows of the package's stored scenarios, which other tabs of the browser
/// also write.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TabSync {
    /// This page's id (names the records it writes and the scenarios it creates).
    pub tab: Rc<str>,
    /// The stamp of the stored record this tab last read or wrote (None: none yet).
    pub stamp: Option<Stamp>,
    /// That record's scenarios (with this tab's active one): nothing to write while the file
    /// equals it.
    pub base: Option<Rc<ScenarioFile>>,
    /// A few records before it, for a tab that wrote without having seen the latest.
    pub earlier: Vec<(Stamp, Rc<ScenarioFile>)>,
    /// How many times another tab's changes were merged in.
    pub merges: usize,
    /// Copies kept of scenarios both tabs changed in conflicting ways (their names).
    pub copies: Vec<String>,
    /// Scenarios whose other-tab version could not be kept (the file was full).
    pub not_kept: Vec<String>,
}

impl TabSync {
    /// Records that the stored record is now `file` (its stamp inside), keeping the one
    /// before among the earlier ones.
    fn known(&mut self, file: &ScenarioFile, active: usize) {
        if let (Some(st), Some(b)) = (self.stamp.take(), self.base.take()) {
            self.earlier.push((st, b));
            if self.earlier.len() > 8 {
                self.earlier.remove(0);
            }
        }
        self.stamp = Some(file.stamp.clone().unwrap_or_default());
        self.base = Some(Rc::new(ScenarioFile {
            stamp: None,
            active,
            ..file.clone()
        }));
    }

    /// The record `remote` was derived from, as this tab knew it (None: unknown or none).
    fn base_of(&self, remote: &Stamp) -> Option<Rc<ScenarioFile>> {
        let parent = remote.parent.as_deref()?;
        if self.stamp.as_ref().is_some_and(|s| s.same(parent)) {
            return self.base.clone();
        }
        self.earlier
            .iter()
            .rev()
            .find(|(s, _)| s.same(parent))
            .map(|(_, f)| f.clone())
            .or_else(|| self.base.clone())
    }
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
    Loaded {
        /// The scenarios (a link's added).
        file: Rc<ScenarioFile>,
        /// What storage held (with its stamp), if anything readable.
        stored: Option<Rc<ScenarioFile>>,
        /// This page's id.
        tab: Rc<str>,
    },
    /// This tab wrote this record (stamp inside).
    Stored(Rc<ScenarioFile>),
    /// Storage holds a record this tab has not seen (another tab wrote it): merge it in (the
    /// language names a copy kept on a conflict).
    OtherTab(Rc<ScenarioFile>, Lang),
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
            ScenarioAction::Loaded { file, stored, tab } => {
                let mut f = (*file).clone();
                f.stamp = None;
                merge::ensure_ids(&mut f, &format!("{tab}."));
                s.package.clone_from(&f.package);
                let mut sync = TabSync {
                    tab,
                    ..TabSync::default()
                };
                if let Some(st) = stored {
                    sync.known(&st, st.active);
                }
                s.sync = Rc::new(sync);
                s.file = Rc::new(f);
                s.undo.clear();
                s.redo.clear();
                s.compare = None;
            }
            ScenarioAction::Stored(f) => {
                let active = f.active;
                Rc::make_mut(&mut s.sync).known(&f, active);
            }
            ScenarioAction::OtherTab(remote, lang) => other_tab(&mut s, &remote, lang),
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
                s.sync = Rc::new(TabSync {
                    tab: s.sync.tab.clone(),
                    ..TabSync::default()
                });
            }
        }
        Rc::new(s)
    }
}

/// Merges a record another tab stored into this tab's scenarios. Undo cannot step back over
/// another tab's edit, so a change that brings any clears the history.
fn other_tab(s: &mut ScenarioState, remote: &ScenarioFile, lang: Lang) {
    let stamp = remote.stamp.clone().unwrap_or_default();
    if s.sync.stamp.as_ref().is_some_and(|m| m.same(&stamp)) {
        return;
    }
    let base = s.sync.base_of(&stamp);
    let clean = ScenarioFile {
        stamp: None,
        ..remote.clone()
    };
    // Every tab merging this record makes the same copy (same id), so copies do not multiply.
    let tag = format!("{}.{}", stamp.tab, stamp.revision);
    let m = merge::merge(
        base.as_deref(),
        &s.file,
        &clean,
        lang.tabs().copy_suffix,
        &tag,
    );
    let sync = Rc::make_mut(&mut s.sync);
    sync.known(remote, m.file.active);
    sync.copies.extend(m.copies);
    sync.not_kept.extend(m.not_kept);
    if m.file != *s.file {
        if m.file.scenarios != s.file.scenarios {
            sync.merges += 1;
            s.undo.clear();
            s.redo.clear();
            s.compare = None;
        }
        s.file = Rc::new(m.file);
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
        ScenarioEdit::Import(new) => {
            // A stamp read from a file is no record of this browser's storage.
            f = ScenarioFile {
                stamp: None,
                ..*new
            };
        }
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
    merge::ensure_ids(&mut f, &format!("{}.", s.sync.tab));
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
    use crate::plan::scenario::merge::test_site as site;

    fn edit(s: Rc<ScenarioState>, e: ScenarioEdit) -> Rc<ScenarioState> {
        s.reduce(ScenarioAction::Edit(e, Lang::Zh))
    }

    #[test]
    fn network_edits_are_scenario_edits_undone_and_redone_with_the_rest() {
        let f = ScenarioFile::new("shanghai-central", "方案 A");
        let s = Rc::new(ScenarioState::default()).reduce(ScenarioAction::Loaded {
            file: Rc::new(f),
            stored: None,
            tab: "t".into(),
        });
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

    /// The record a tab writes (what the storage effect does).
    fn written(s: &ScenarioState) -> Rc<ScenarioFile> {
        Rc::new(ScenarioFile {
            stamp: Some(Stamp::next(s.sync.stamp.as_ref(), &s.sync.tab)),
            ..(*s.file).clone()
        })
    }

    /// Two tabs (`ta`, `tb`) that loaded one stored file of one scenario named `name`.
    fn two_tabs(name: &str) -> (Rc<ScenarioState>, Rc<ScenarioState>) {
        let mut first = ScenarioFile::new("p", name);
        first.stamp = Some(Stamp::next(None, "t0"));
        let stored = Rc::new(first);
        let tab = |id: &str| {
            Rc::new(ScenarioState::default()).reduce(ScenarioAction::Loaded {
                file: stored.clone(),
                stored: Some(stored.clone()),
                tab: id.into(),
            })
        };
        (tab("ta"), tab("tb"))
    }

    #[test]
    fn two_tabs_editing_one_scenario_both_keep_both_edits() {
        let (a, b) = two_tabs("方案 A");
        assert_eq!(
            a.sync.base.as_deref().map(|f| &f.scenarios),
            Some(&a.file.scenarios)
        );
        // A adds a site and writes; B adds a gate before hearing of it.
        let a = edit(a, ScenarioEdit::Accept(vec![site("c1")]));
        let rec_a = written(&a);
        let a = a.reduce(ScenarioAction::Stored(rec_a.clone()));
        let gate = NetworkEdit::GateOpen {
            at_wgs84: LonLat::new(121.47, 31.23),
        };
        let b = edit(b, ScenarioEdit::AddNet(gate.clone()));
        let b = b.reduce(ScenarioAction::OtherTab(rec_a, Lang::Zh));
        let sc = &b.file.scenarios[0];
        assert_eq!((sc.sites.len(), sc.network.edits.clone()), (1, vec![gate]));
        assert_eq!(b.sync.merges, 1);
        assert!(
            b.undo.is_empty(),
            "undo cannot step over the other tab's edit"
        );
        // B writes the merge; A takes it as it is.
        let rec_b = written(&b);
        let a = a.reduce(ScenarioAction::OtherTab(rec_b.clone(), Lang::Zh));
        assert_eq!(a.file.scenarios, b.file.scenarios);
        // Hearing the same record twice changes nothing.
        let again = a.clone().reduce(ScenarioAction::OtherTab(rec_b, Lang::Zh));
        assert!(Rc::ptr_eq(&again, &a) || *again == *a);
    }

    #[test]
    fn a_writer_that_missed_our_record_does_not_erase_our_edit() {
        let (a, b) = two_tabs("方案 A");
        let a = edit(a, ScenarioEdit::Accept(vec![site("c1")]));
        let a = a.clone().reduce(ScenarioAction::Stored(written(&a)));
        // B wrote over the first record too (it had not seen A's): A's site must stay.
        let b = edit(b, ScenarioEdit::Accept(vec![site("c2")]));
        let a = a.reduce(ScenarioAction::OtherTab(written(&b), Lang::En));
        let ids: Vec<&str> = a.file.scenarios[0]
            .sites
            .iter()
            .map(|x| x.id.as_str())
            .collect();
        assert_eq!(ids, ["c1", "c2"]);
    }

    #[test]
    fn conflicting_edits_keep_the_other_tabs_version_as_a_named_copy() {
        let (a, b) = two_tabs("Scenario A");
        let a = edit(a, ScenarioEdit::CrossingDelay(10.0));
        let b = edit(b, ScenarioEdit::CrossingDelay(30.0));
        let b = b.reduce(ScenarioAction::OtherTab(written(&a), Lang::En));
        let s = &b.file.scenarios;
        assert_eq!(s.len(), 2);
        assert!((s[0].network.crossing_delay_s - 30.0).abs() < 1e-9);
        assert_eq!(s[1].name, "Scenario A (other tab)");
        assert!((s[1].network.crossing_delay_s - 10.0).abs() < 1e-9);
        assert_eq!(b.sync.copies, ["Scenario A (other tab)"]);
        assert_eq!(b.file.active, 0);
        // A new scenario of each tab gets an id no other tab uses.
        let b = edit(b, ScenarioEdit::New);
        assert!(
            b.file.scenarios[2].id.starts_with("tb."),
            "{:?}",
            b.file.scenarios[2].id
        );
    }
}
