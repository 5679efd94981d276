//! What the page tells the planner besides errors: input it ignored, data it could not keep, a
//! worker it had to replace. Plain values (no strings): the page words them in the reader's
//! language (`i18n::Lang::fault`). Kept apart from `state` so that `i18n` can name it
//! without depending on the state layer.

use super::store::Saved;

/// Something the page ignored, could not keep, or recovered from (shown apart from the
/// errors, each at most once).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// A link (URL) parameter whose value is not valid was ignored: the parameter.
    UrlIgnored(String),
    /// A storage write was refused (quota, or storage blocked): what was not saved.
    NotSaved(Saved),
    /// The page has no local storage at all.
    NoStorage,
    /// The analysis worker died and a new one was started with the same data.
    WorkerRestarted,
    /// A dropped file could not be kept in IndexedDB (quota, storage blocked): its name.
    NotKept(String),
    /// The kept files could not be removed.
    NotForgotten,
    /// Another tab changed the package's scenarios and its edits were merged in.
    OtherTabMerged,
    /// Both tabs changed one scenario differently: the other tab's version was kept as a
    /// copy of this name.
    OtherTabCopy(String),
    /// Both tabs changed one scenario differently and the list was full: the other tab's
    /// version of this scenario was not kept.
    OtherTabNotKept(String),
    /// The worker could not load the community search's pinyin table: names are found by
    /// their characters only.
    PinyinUnavailable,
}
