//! The worker's community search ([`Request::FindPlaces`](super::protocol::Request)) with its
//! pinyin table fetched when the first search needs it, not shipped in the wasm module
//! (≈ 17 KB gzip of the bundle; BENCHMARKS.md "The pinyin table on first search").
//!
//! The page tells each worker where the table is served ([`Places::set_url`], an absolute URL
//! beside `app.js`). The first search with a Latin letter in it starts the fetch and waits with every search typed
//! after it; when the table arrives ([`crate::plan::nearby::names::install_table`] checks it
//! is this build's), the names are indexed and the waiting searches answered in order. When
//! the fetch fails or brings other bytes, the page is told ([`Response::PinyinUnavailable`])
//! and the searches are answered by characters only.
//!
//! A fetch that failed on the way (no connection, a server error: a resident's phone between
//! two cells) is tried again by a later search, in the background, at most [`TRIES`] times in
//! all: that search and those typed meanwhile are answered by characters at once, and when the
//! table arrives the page is told ([`Response::PinyinRestored`]) and withdraws its notice.
//! Bytes that are not the table, or a 4xx status, are not fetched again: the host serves
//! something else at that URL, and asking again would bring the same.
//!
//! Time: the fetch once per worker when it succeeds (the browser's cache keeps it for a worker
//! started later); indexing is O(characters × readings) once per package load.

use std::cell::RefCell;
use std::rc::Rc;

use super::protocol::Response;
use crate::plan::nearby::NameIndex;
use crate::plan::nearby::names;

/// How many fetches a worker makes at most when they fail on the way.
const TRIES: u8 = 3;

/// Where the table is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Table {
    /// Not asked for yet.
    NotFetched,
    /// The first fetch is under way; searches wait.
    Fetching,
    /// Installed, or given up on: searches are answered (with or without readings).
    Settled,
    /// This many fetches failed on the way; the next search fetches again (below [`TRIES`]).
    Unreachable(u8),
    /// A fetch after this many failed ones is under way; searches are answered by characters.
    Refetching(u8),
}

/// Why a fetch brought no table.
struct Failed {
    /// For the console.
    why: String,
    /// On the way (no connection, a 5xx, 408 or 429 status): asking again may succeed.
    transient: bool,
}

struct Inner {
    url: Option<String>,
    table: Table,
    /// The loaded package's place names, in the order search positions index.
    names: Vec<String>,
    /// The names indexed (built when a search is answered with the table settled).
    index: Option<NameIndex>,
    /// Searches waiting for the table: (request number, text, limit).
    waiting: Vec<(u64, String, usize)>,
}

impl Inner {
    fn answer(&mut self, seq: u64, text: &str, limit: usize) -> Response {
        let index = self
            .index
            .get_or_insert_with(|| NameIndex::new(&self.names));
        Response::PlacesFound {
            seq,
            found: index.search(text, limit),
        }
    }
}

/// The community search of one worker (cheap to clone; clones share it).
#[derive(Clone)]
pub struct Places(Rc<RefCell<Inner>>);

impl Default for Places {
    fn default() -> Self {
        Self(Rc::new(RefCell::new(Inner {
            url: None,
            table: if names::has_table() {
                Table::Settled
            } else {
                Table::NotFetched
            },
            names: Vec::new(),
            index: None,
            waiting: Vec::new(),
        })))
    }
}

impl Places {
    /// Where the table is served (the page's first message).
    pub fn set_url(&self, url: String) {
        self.0.borrow_mut().url = Some(url);
    }

    /// A package was loaded: these are its places, in the page's order.
    pub fn load(&self, names: Vec<String>) {
        let mut i = self.0.borrow_mut();
        i.names = names;
        i.index = None;
    }

    /// A search: its answer now, or none when it waits for the table (then `post` answers
    /// it, and every search waiting with it, once the table is settled).
    pub fn find(
        &self,
        seq: u64,
        text: String,
        limit: usize,
        post: impl Fn(Response) + 'static,
    ) -> Option<Response> {
        let mut i = self.0.borrow_mut();
        // Only letters need readings: an empty text (the picker's first search) or one in
        // characters is answered now, whether or not the table is there.
        let needs_table = text.chars().any(|c| c.is_ascii_alphabetic());
        let Some(url) = i.url.clone().filter(|_| needs_table) else {
            return Some(i.answer(seq, &text, limit));
        };
        match i.table {
            Table::Settled | Table::Refetching(_) => Some(i.answer(seq, &text, limit)),
            Table::Unreachable(failed) if failed >= TRIES => Some(i.answer(seq, &text, limit)),
            Table::Fetching => {
                i.waiting.push((seq, text, limit));
                None
            }
            Table::NotFetched => {
                i.table = Table::Fetching;
                i.waiting.push((seq, text, limit));
                self.spawn_fetch(url, 0, post);
                None
            }
            Table::Unreachable(failed) => {
                i.table = Table::Refetching(failed);
                self.spawn_fetch(url, failed, post);
                Some(i.answer(seq, &text, limit))
            }
        }
    }

    /// Fetches the table in the background; `failed` fetches came before this one.
    fn spawn_fetch(&self, url: String, failed: u8, post: impl Fn(Response) + 'static) {
        let me = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let installed = fetch(&url).await;
            me.settled(installed, failed, &post);
        });
    }

    /// A fetch ended: index, tell the page when the table failed for the first time or came
    /// after failures, answer the waiting searches.
    fn settled(&self, installed: Result<(), Failed>, failed_before: u8, post: &dyn Fn(Response)) {
        let answers: Vec<Response> = {
            let mut i = self.0.borrow_mut();
            // Installed, or refused for good: settled either way.
            i.table = match &installed {
                Err(f) if f.transient => Table::Unreachable(failed_before + 1),
                Ok(()) | Err(_) => Table::Settled,
            };
            i.index = None;
            let waiting = std::mem::take(&mut i.waiting);
            waiting
                .into_iter()
                .map(|(seq, text, limit)| i.answer(seq, &text, limit))
                .collect()
        };
        match installed {
            Ok(()) if failed_before > 0 => post(Response::PinyinRestored),
            Ok(()) => {}
            Err(f) => {
                web_sys::console::warn_1(&format!("pinyin table: {}", f.why).into());
                if failed_before == 0 {
                    post(Response::PinyinUnavailable);
                }
            }
        }
        for a in answers {
            post(a);
        }
    }
}

/// Fetches the table at `url` and installs it.
async fn fetch(url: &str) -> Result<(), Failed> {
    let on_the_way = |e: gloo::net::Error| Failed {
        why: format!("{url}: {e}"),
        transient: true,
    };
    let resp = gloo::net::http::Request::get(url)
        .send()
        .await
        .map_err(on_the_way)?;
    if !resp.ok() {
        let status = resp.status();
        return Err(Failed {
            why: format!("{url}: HTTP {status}"),
            transient: status >= 500 || status == 408 || status == 429,
        });
    }
    let bytes = resp.binary().await.map_err(on_the_way)?;
    names::install_table(&bytes).map_err(|e| Failed {
        why: format!("{url}: {e}"),
        transient: false,
    })
}
