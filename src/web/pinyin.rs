//! The worker's community search ([`Request::FindPlaces`](super::protocol::Request)) with its
//! pinyin table fetched when the first search needs it, not shipped in the wasm module
//! (≈ 17 KB gzip of the bundle; BENCHMARKS.md "The pinyin table on first search").
//!
//! The page tells each worker where the table is served ([`Places::set_url`], an absolute URL
//! beside `app.js`). The first search starts the fetch and waits with every search typed
//! after it; when the table arrives ([`crate::plan::nearby::names::install_table`] checks it
//! is this build's), the names are indexed and the waiting searches answered in order. When
//! the fetch fails or brings other bytes, the page is told once
//! ([`Response::PinyinUnavailable`]) and the searches are answered by characters only.
//!
//! Time: the fetch once per worker (the browser's cache keeps it for a worker started later);
//! indexing is O(characters × readings) once per package load.

use std::cell::RefCell;
use std::rc::Rc;

use super::protocol::Response;
use crate::plan::nearby::NameIndex;
use crate::plan::nearby::names;

/// Where the table is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Table {
    /// Not asked for yet.
    NotFetched,
    /// The fetch is under way; searches wait.
    Fetching,
    /// Installed, or given up on: searches are answered (with or without readings).
    Settled,
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
        match (i.table, i.url.clone()) {
            (Table::Settled, _) | (Table::NotFetched, None) => Some(i.answer(seq, &text, limit)),
            (Table::Fetching, _) => {
                i.waiting.push((seq, text, limit));
                None
            }
            (Table::NotFetched, Some(url)) => {
                i.table = Table::Fetching;
                i.waiting.push((seq, text, limit));
                let me = self.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    let installed = fetch(&url).await;
                    me.settled(installed, &post);
                });
                None
            }
        }
    }

    /// The fetch ended: index, say so when it failed, answer the waiting searches.
    fn settled(&self, installed: Result<(), String>, post: &dyn Fn(Response)) {
        let answers: Vec<Response> = {
            let mut i = self.0.borrow_mut();
            i.table = Table::Settled;
            i.index = None;
            let waiting = std::mem::take(&mut i.waiting);
            waiting
                .into_iter()
                .map(|(seq, text, limit)| i.answer(seq, &text, limit))
                .collect()
        };
        if let Err(why) = installed {
            web_sys::console::warn_1(&format!("pinyin table: {why}").into());
            post(Response::PinyinUnavailable);
        }
        for a in answers {
            post(a);
        }
    }
}

/// Fetches the table at `url` and installs it.
async fn fetch(url: &str) -> Result<(), String> {
    let resp = gloo::net::http::Request::get(url)
        .send()
        .await
        .map_err(|e| format!("{url}: {e}"))?;
    if !resp.ok() {
        return Err(format!("{url}: HTTP {}", resp.status()));
    }
    let bytes = resp.binary().await.map_err(|e| format!("{url}: {e}"))?;
    names::install_table(&bytes).map_err(|e| format!("{url}: {e}"))
}
