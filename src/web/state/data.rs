//! The data feature: the package list, the chosen and fetched package, what the worker made of
//! it, the user's imports, and the banners (readable problems).

use std::collections::BTreeMap;
use std::rc::Rc;

use yew::prelude::*;

use crate::plan::package::LayerKind;
use crate::plan::zone_labels::ZoneLabel;
use crate::web::data::{Fetched, PackageEntry};
pub use crate::web::fault::Fault;
use crate::web::i18n::{Both, Lang};
use crate::web::protocol::{EngineError, ImportShown, LoadShown};
use crate::web::url::UrlState;

/// A banner line: a problem read from a file (already words) or an engine error (rendered in
/// the reader's language).
#[derive(Debug, Clone, PartialEq)]
pub enum Notice {
    /// Text as it is (file problems that name file, row and field).
    Text(String),
    /// An engine error.
    Engine(EngineError),
    /// A problem in a package file (rendered by the worker in both languages).
    Problem(Both),
}

impl Notice {
    /// The notice in `lang`.
    pub fn render(&self, lang: Lang) -> String {
        match self {
            Notice::Text(t) => t.clone(),
            Notice::Engine(e) => lang.engine_error(e),
            Notice::Problem(p) => p.get(lang).to_owned(),
        }
    }
}

/// Package, imports and banners.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DataState {
    /// Packages shipped with the app.
    pub index: Vec<PackageEntry>,
    /// The package to show.
    pub package_id: String,
    /// The fetched package.
    pub fetched: Option<Rc<Fetched>>,
    /// Whether a fetch is under way.
    pub loading: bool,
    /// What the worker made of the package.
    pub loaded: Option<LoadShown>,
    /// The worker answered a ping.
    pub engine_ready: bool,
    /// Files the user imported, in order.
    pub imports: Imports,
    /// Files being read or imported.
    pub importing: usize,
    /// Candidate sites by host type (after a load or an import).
    pub host_types: Rc<Vec<(String, usize)>>,
    /// Banners.
    pub errors: Vec<Notice>,
    /// Notices about ignored input, refused storage and worker restarts (each once).
    pub notices: Vec<Fault>,
    /// A standby worker holds the current data (a cancel is answered at once).
    pub standby: bool,
    /// What the worker made of the package's binary layers for the page (the streets' label
    /// points), by layer id.
    pub drawn: Rc<BTreeMap<String, Rc<str>>>,
    /// The name points of the package's community and boundary layers, by layer id (the
    /// worker's; the page links no interior-point code).
    pub zones: Rc<BTreeMap<String, Rc<[ZoneLabel]>>>,
    /// The label points of imported streets, by map layer id ([`Imports::layer_id`]): the
    /// worker's second answer to an import, after the network's.
    pub labels: Rc<BTreeMap<String, Rc<crate::plan::labels::LabelPoints>>>,
}

/// The answers to the user's imports, in order. Two lists are equal when they hold the same
/// answers (compared by pointer, never by content): an answer carries its layers' drawing text,
/// megabytes for a city's demand points, and yew compares the state and every memo that reads
/// the list on each render — a pan at city size re-read those megabytes many times a second.
#[derive(Debug, Clone, Default)]
pub struct Imports(pub Vec<Rc<ImportShown>>);

impl PartialEq for Imports {
    fn eq(&self, other: &Self) -> bool {
        self.0.len() == other.0.len() && self.0.iter().zip(&other.0).all(|(a, b)| Rc::ptr_eq(a, b))
    }
}

impl std::ops::Deref for Imports {
    type Target = Vec<Rc<ImportShown>>;

    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl std::ops::DerefMut for Imports {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.0
    }
}

impl<'a> IntoIterator for &'a Imports {
    type Item = &'a Rc<ImportShown>;
    type IntoIter = std::slice::Iter<'a, Rc<ImportShown>>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl Imports {
    /// The map and visibility id of the `kind` layer of the `i`-th answer. Its number is the
    /// worker's own count of the files it imported (the tiles are asked by it): a file refused
    /// on the page (too large, unreadable: number 0, it never reached the worker) is not
    /// counted, so the layers of the files after it still ask for their own tiles.
    pub fn layer_id(&self, i: usize, kind: LayerKind) -> String {
        let n = self.0[..i.min(self.0.len())]
            .iter()
            .filter(|a| a.seq != 0)
            .count();
        format!("import-{n}-{}", kind.id())
    }
}

impl DataState {
    /// The package a URL asks for (or the default one), fetching.
    pub fn from_url(url: &UrlState) -> Self {
        Self {
            package_id: url
                .package
                .clone()
                .unwrap_or_else(|| super::DEFAULT_PACKAGE.to_owned()),
            loading: true,
            notices: url.ignored.iter().cloned().map(Fault::UrlIgnored).collect(),
            ..Self::default()
        }
    }
}

/// Changes of [`DataState`].
#[derive(Debug, Clone)]
pub enum DataAction {
    /// The package list arrived.
    Index(Vec<PackageEntry>),
    /// Choose a package (use [`super::use_select_package`], which resets the analyses too).
    SelectPackage(String),
    /// A package fetch finished.
    Fetched(Result<Rc<Fetched>, String>),
    /// The worker loaded the package.
    Loaded(LoadShown),
    /// The worker is alive.
    EngineReady,
    /// Files were handed to the worker.
    Importing(usize),
    /// An import finished.
    Imported(Rc<ImportShown>),
    /// Show a banner.
    Error(Notice),
    /// Dismiss the banners.
    ClearErrors,
    /// Show a notice (once).
    Notice(Fault),
    /// The standby worker has (or no longer has) the current data.
    Standby(bool),
    /// Dismiss the notices.
    ClearNotices,
    /// The label points of the streets of the import with this request number arrived.
    StreetLabels(u64, Rc<crate::plan::labels::LabelPoints>),
    /// A notice no longer holds (e.g. the pinyin table arrived after all): take it away.
    Withdraw(Fault),
}

impl Reducible for DataState {
    type Action = DataAction;

    fn reduce(self: Rc<Self>, action: DataAction) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            DataAction::Index(list) => s.index = list,
            DataAction::SelectPackage(id) => {
                if id != s.package_id {
                    s.package_id = id;
                    s.fetched = None;
                    s.loaded = None;
                    s.drawn = Rc::default();
                    s.zones = Rc::default();
                    s.labels = Rc::default();
                    s.imports.clear();
                    s.loading = true;
                }
            }
            DataAction::Fetched(Ok(f)) => {
                s.loading = false;
                s.fetched = Some(f);
            }
            DataAction::Fetched(Err(e)) => {
                s.loading = false;
                s.errors.push(Notice::Text(e));
            }
            DataAction::Loaded(mut sum) => {
                // The drawing text is kept once, apart from the summary.
                s.drawn = Rc::new(
                    std::mem::take(&mut sum.drawn)
                        .into_iter()
                        .map(|(id, text)| (id, Rc::from(text)))
                        .collect(),
                );
                s.zones = Rc::new(
                    std::mem::take(&mut sum.zones)
                        .into_iter()
                        .map(|(id, z)| (id, Rc::from(z)))
                        .collect(),
                );
                s.errors
                    .extend(sum.problems.iter().take(20).cloned().map(Notice::Problem));
                s.host_types = Rc::new(sum.host_types.clone());
                s.loaded = Some(sum);
            }
            DataAction::EngineReady => s.engine_ready = true,
            DataAction::Importing(n) => s.importing += n,
            DataAction::Imported(a) => {
                s.importing = s.importing.saturating_sub(1);
                if a.loaded > 0 {
                    s.host_types = Rc::new(a.host_types.clone());
                }
                s.imports.push(a);
            }
            DataAction::StreetLabels(seq, text) => {
                // The import's streets layer on the map (a number no import has: dropped).
                let Some(i) = s.imports.iter().rposition(|a| a.seq == seq && seq != 0) else {
                    return self;
                };
                let mut labels = (*s.labels).clone();
                labels.insert(s.imports.layer_id(i, LayerKind::Streets), text);
                s.labels = Rc::new(labels);
            }
            DataAction::Error(e) => s.errors.push(e),
            DataAction::ClearErrors => s.errors.clear(),
            DataAction::ClearNotices => s.notices.clear(),
            DataAction::Withdraw(n) => {
                if !s.notices.contains(&n) {
                    return self;
                }
                s.notices.retain(|m| *m != n);
            }
            DataAction::Standby(on) => s.standby = on,
            DataAction::Notice(n) => {
                // Once the page has said it has no storage at all, each refused write is no news.
                let known =
                    matches!(n, Fault::NotSaved(_)) && s.notices.contains(&Fault::NoStorage);
                if known || s.notices.contains(&n) {
                    return self;
                }
                s.notices.push(n);
            }
        }
        Rc::new(s)
    }
}

/// The context of [`DataState`].
pub type DataContext = UseReducerHandle<DataState>;

/// The data state.
#[hook]
pub fn use_data() -> DataContext {
    super::use_feature::<DataState>()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(seq: u64) -> Rc<ImportShown> {
        Rc::new(ImportShown {
            file: format!("f{seq}.csv"),
            layers: Vec::new(),
            records: 0,
            loaded: 0,
            problems: Vec::new(),
            omitted: 0,
            network_rebuilt: false,
            host_types: Vec::new(),
            undrawn: 0,
            seq,
            layer_unknown: false,
            zones: Vec::new(),
        })
    }

    /// The worker counts the files it imported; a file refused on the page never reached it.
    #[test]
    fn a_file_refused_on_the_page_takes_no_number_of_the_workers() {
        let imports = Imports(vec![answer(3), answer(0), answer(5), answer(8)]);
        let id = |i| imports.layer_id(i, LayerKind::Demand);
        let kind = LayerKind::Demand.id();
        assert_eq!(id(0), format!("import-0-{kind}"));
        assert_eq!(id(2), format!("import-1-{kind}"));
        assert_eq!(id(3), format!("import-2-{kind}"));
    }
}
