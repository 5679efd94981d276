//! Two tabs of one browser editing the same package's scenarios: this tab writes its
//! scenarios to local storage only over the record it last knew (otherwise it merges the newer
//! one first), hears the records other tabs write (the window's `storage` event, which a
//! browser sends to every other page of the origin), merges them in, and tells the planner.
//!
//! The merge itself is pure ([`crate::plan::scenario::merge`], called by the scenarios
//! reducer); here are only storage, the event and the notices.

use std::cell::OnceCell;
use std::rc::Rc;

use yew::prelude::*;

use super::super::state::data::{DataAction, Fault, use_data};
use super::super::state::scenarios::{ScenarioAction, use_scenarios};
use super::super::state::view::use_view;
use super::super::store::{self, Saved};
use super::scenario_key;
use crate::plan::scenario::ScenarioFile;
use crate::plan::scenario::merge::Stamp;

thread_local! {
    static TAB: OnceCell<Rc<str>> = const { OnceCell::new() };
}

/// This page's id: random, made once per page load (names the records it writes).
pub(super) fn tab_id() -> Rc<str> {
    TAB.with(|t| {
        t.get_or_init(|| {
            // 52 random bits are plenty to tell a browser's open tabs apart.
            let n = (js_sys::Math::random() * 4_503_599_627_370_496.0) as u64;
            format!("t{n:x}").into()
        })
        .clone()
    })
}

/// The record storage holds for `package` (None: none, or one that does not read).
pub(super) fn read_stored(package: &str) -> Option<ScenarioFile> {
    let key = scenario_key(package);
    crate::plan::scenario::parse_file(&key, &store::get(&key)?).ok()
}

/// Keeps the scenarios in local storage without overwriting another tab's newer record,
/// merges the records other tabs write, and names what was merged in a notice.
#[hook]
pub(super) fn use_scenario_sync() {
    let scenarios = use_scenarios();
    let lang = use_view().lang;
    // Write: only over the record this tab last knew, else merge that one in first (the
    // merged file comes back here and is written then).
    {
        let handle = scenarios.clone();
        let key = (
            scenarios.package.clone(),
            scenarios.file.clone(),
            scenarios.sync.stamp.clone(),
        );
        use_effect_with(key, move |(pkg, f, known)| {
            if pkg.is_empty() || handle.sync.base.as_ref() == Some(f) {
                return;
            }
            let stored = read_stored(pkg);
            if let Some(s) = stored.filter(|s| {
                let st = s.stamp.clone().unwrap_or_default();
                known.as_ref().is_none_or(|k| !k.same(&st))
            }) {
                handle.dispatch(ScenarioAction::OtherTab(Rc::new(s), lang));
                return;
            }
            let out = ScenarioFile {
                stamp: Some(Stamp::next(known.as_ref(), &handle.sync.tab)),
                ..(**f).clone()
            };
            // A refused write is announced (a notice) and leaves the stored file as it was.
            let text = crate::plan::scenario::to_file(&out);
            if store::put(Saved::Scenarios, &scenario_key(pkg), &text) {
                handle.dispatch(ScenarioAction::Stored(Rc::new(out)));
            }
        });
    }
    // Hear: another tab wrote this package's record.
    {
        let handle = scenarios.clone();
        use_effect_with((scenarios.package.clone(), lang), move |(pkg, lang)| {
            let key = scenario_key(pkg);
            let lang = *lang;
            let listener = (!pkg.is_empty()).then(web_sys::window).flatten().map(|w| {
                gloo::events::EventListener::new(&w, "storage", move |e| {
                    let field = |k: &str| {
                        js_sys::Reflect::get(e, &k.into())
                            .ok()
                            .and_then(|v| v.as_string())
                    };
                    if field("key").as_deref() != Some(key.as_str()) {
                        return;
                    }
                    let read = field("newValue")
                        .and_then(|t| crate::plan::scenario::parse_file(&key, &t).ok());
                    if let Some(f) = read {
                        handle.dispatch(ScenarioAction::OtherTab(Rc::new(f), lang));
                    }
                })
            });
            move || drop(listener)
        });
    }
    use_merge_notices();
}

/// Each merge of another tab's edits, copy kept and version not kept becomes a notice (once).
#[hook]
fn use_merge_notices() {
    let sync = use_scenarios().sync.clone();
    let data = use_data();
    let seen = use_mut_ref(|| (0usize, 0usize, 0usize));
    use_effect_with(sync, move |sync| {
        let mut seen = seen.borrow_mut();
        if sync.merges > seen.0 {
            data.dispatch(DataAction::Notice(Fault::OtherTabMerged));
        }
        for name in sync.copies.iter().skip(seen.1) {
            data.dispatch(DataAction::Notice(Fault::OtherTabCopy(name.clone())));
        }
        for name in sync.not_kept.iter().skip(seen.2) {
            data.dispatch(DataAction::Notice(Fault::OtherTabNotKept(name.clone())));
        }
        *seen = (sync.merges, sync.copies.len(), sync.not_kept.len());
    });
}
