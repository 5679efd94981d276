//! The browser's local storage when it can refuse: full (quota), or missing (private windows,
//! embeds with storage blocked). Every read and write of the app goes through here.
//!
//! A write lands whole or not at all (`setItem` is atomic: a refused write leaves the old
//! value as it was), so nothing stored is ever replaced by a partial value. A refused write is
//! announced with a window event ([`Saved::event`]) that the page turns into a notice naming
//! what was not saved, in the reader's language; the page keeps working either way.

/// What the app keeps in local storage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Saved {
    /// The planner's scenarios (`shuangquan.scenarios.<package>`).
    Scenarios,
    /// The resident's match profile.
    Profile,
    /// The basemap (tile) settings.
    Tiles,
}

impl Saved {
    /// Every kind, for the listeners.
    pub const ALL: [Saved; 3] = [Saved::Scenarios, Saved::Profile, Saved::Tiles];

    /// The window event announcing that a write of this kind was refused.
    pub const fn event(self) -> &'static str {
        match self {
            Saved::Scenarios => "sq-not-saved-scenarios",
            Saved::Profile => "sq-not-saved-profile",
            Saved::Tiles => "sq-not-saved-tiles",
        }
    }
}

/// The storage, or `None` when the browser gives this page none (reading `localStorage` may
/// itself throw when storage is blocked).
fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

/// True when the page has local storage at all.
pub fn available() -> bool {
    storage().is_some()
}

/// Reads a key (`None` when absent or when there is no storage).
pub fn get(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten()
}

/// Writes a key whole; a refused or impossible write is announced as `what` not saved and
/// returns false (the value stored before, if any, is unchanged).
pub fn put(what: Saved, key: &str, value: &str) -> bool {
    let ok = storage().is_some_and(|s| s.set_item(key, value).is_ok());
    if !ok {
        announce(what);
    }
    ok
}

/// Removes a key (removing frees space; a failure changes nothing and is not announced).
pub fn remove(key: &str) {
    if let Some(s) = storage() {
        let _ = s.remove_item(key);
    }
}

fn announce(what: Saved) {
    if let (Some(w), Ok(e)) = (web_sys::window(), web_sys::Event::new(what.event())) {
        let _ = w.dispatch_event(&e);
    }
}
