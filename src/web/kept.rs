//! The planner's own files, kept in this browser's IndexedDB so that a reload imports them
//! again: per package, each file as dropped (name, bytes) with the layer the planner chose, and
//! re-imported through the worker like a new drop. The stored form is the raw file, never an
//! engine struct, so a newer build reads what an older one kept.
//!
//! It lives in the page, with plain `web-sys` bindings (no IndexedDB crate): the page already
//! holds the dropped bytes, and a replayed file must go through the bridge's log like any import
//! (a restarted worker gets it again); a worker reading storage by itself would race the page's
//! requests and be replayed twice after a restart. The bindings cost the page a few KB.
//!
//! Each operation opens the database and closes it when done, so no connection stays open to
//! block another tab's (or a test's) deletion. One object store `files`, keys `<package id>\u{1}<time, 15 digits>-<n>`: a package's files
//! are one key range, read back in the order they were kept.

use js_sys::Reflect;
use wasm_bindgen::{JsCast, JsValue};

use crate::plan::package::LayerKind;

const DB: &str = "shuangquan-kept";
const STORE: &str = "files";

/// One kept file: stored as a plain object `{name, layer, bytes}` (`layer` the kind's id or
/// absent, `bytes` a `Uint8Array`), the shape earlier builds wrote through serde-wasm-bindgen.
#[derive(Debug, Clone, PartialEq)]
pub struct KeptFile {
    /// The file's name as dropped.
    pub name: String,
    /// The layer the planner chose (None: told from the name and columns).
    pub layer: Option<LayerKind>,
    /// The file's bytes.
    pub bytes: Vec<u8>,
}

impl KeptFile {
    /// The stored record.
    fn to_js(&self) -> Result<JsValue, JsValue> {
        let o = js_sys::Object::new();
        Reflect::set(&o, &"name".into(), &self.name.as_str().into())?;
        if let Some(k) = self.layer {
            Reflect::set(&o, &"layer".into(), &k.id().into())?;
        }
        Reflect::set(
            &o,
            &"bytes".into(),
            &js_sys::Uint8Array::from(self.bytes.as_slice()),
        )?;
        Ok(o.into())
    }

    /// Reads a stored record (None: not one this app wrote).
    fn from_js(v: &JsValue) -> Option<Self> {
        let name = Reflect::get(v, &"name".into()).ok()?.as_string()?;
        let layer = match Reflect::get(v, &"layer".into()).ok()?.as_string() {
            Some(id) => Some(LayerKind::ALL.into_iter().find(|k| k.id() == id)?),
            None => None,
        };
        let bytes = Reflect::get(v, &"bytes".into())
            .ok()?
            .dyn_into::<js_sys::Uint8Array>()
            .ok()?
            .to_vec();
        Some(Self { name, layer, bytes })
    }
}

/// Why storage failed: the browser's words (a `QuotaExceededError`, storage blocked).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptError(pub String);

impl From<JsValue> for KeptError {
    fn from(v: JsValue) -> Self {
        let text = v
            .dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .or_else(|| v.as_string())
            .unwrap_or_else(|| format!("{v:?}"));
        KeptError(text)
    }
}

/// Waits until `target` fires `ok` (Ok) or one of `fail` (Err: the event's target's error).
async fn settle(target: &web_sys::EventTarget, ok: &str, fail: &[&str]) -> Result<(), KeptError> {
    let mut listeners = Vec::new();
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        listeners.push(gloo::events::EventListener::once(
            target,
            ok.to_owned(),
            move |_| {
                let _ = resolve.call0(&JsValue::NULL);
            },
        ));
        for &name in fail {
            let reject = reject.clone();
            listeners.push(gloo::events::EventListener::once(
                target,
                name.to_owned(),
                move |e| {
                    let _ = reject.call1(&JsValue::NULL, e.as_ref());
                },
            ));
        }
    });
    let out = wasm_bindgen_futures::JsFuture::from(promise).await;
    drop(listeners);
    out.map(|_| ()).map_err(|e| {
        // The event says nothing; its request or transaction holds the DOMException.
        let err = e
            .dyn_ref::<web_sys::Event>()
            .and_then(web_sys::Event::target)
            .and_then(|t| js_sys::Reflect::get(&t, &"error".into()).ok())
            .filter(|v| !v.is_null() && !v.is_undefined())
            .unwrap_or(e);
        let name = js_sys::Reflect::get(&err, &"name".into())
            .ok()
            .and_then(|v| v.as_string());
        let message = KeptError::from(err).0;
        KeptError(name.map_or(message.clone(), |n| format!("{n}: {message}")))
    })
}

async fn open() -> Result<web_sys::IdbDatabase, KeptError> {
    let factory = web_sys::window()
        .ok_or_else(|| KeptError("no window".to_owned()))?
        .indexed_db()?
        .ok_or_else(|| KeptError("IndexedDB is not available".to_owned()))?;
    let req = factory.open_with_u32(DB, 1)?;
    // Version 1 is the first: an upgrade always starts from no store at all.
    let upgrade = {
        let r = req.clone();
        gloo::events::EventListener::new(&req, "upgradeneeded", move |_| {
            if let Some(db) = r
                .result()
                .ok()
                .and_then(|v| v.dyn_into::<web_sys::IdbDatabase>().ok())
            {
                let _ = db.create_object_store(STORE);
            }
        })
    };
    settle(&req, "success", &["error", "blocked"]).await?;
    drop(upgrade);
    Ok(req.result()?.dyn_into::<web_sys::IdbDatabase>()?)
}

fn store(
    db: &web_sys::IdbDatabase,
    mode: web_sys::IdbTransactionMode,
) -> Result<(web_sys::IdbTransaction, web_sys::IdbObjectStore), KeptError> {
    let tx = db.transaction_with_str_and_mode(STORE, mode)?;
    let st = tx.object_store(STORE)?;
    Ok((tx, st))
}

fn range(package_id: &str) -> Result<web_sys::IdbKeyRange, KeptError> {
    Ok(web_sys::IdbKeyRange::bound(
        &format!("{package_id}\u{1}").into(),
        &format!("{package_id}\u{2}").into(),
    )?)
}

/// Keeps `file` for `package_id` (the `n`th kept in this page, to order equal times). Done when
/// the transaction commits: a refused write (quota, blocked storage) is an error and changes
/// nothing kept before.
///
/// # Errors
/// The browser's reason.
pub async fn put(package_id: &str, n: u64, file: &KeptFile) -> Result<(), KeptError> {
    let db = open().await?;
    let (tx, st) = store(&db, web_sys::IdbTransactionMode::Readwrite)?;
    let key = format!("{package_id}\u{1}{:015.0}-{n:06}", js_sys::Date::now());
    let value = file.to_js()?;
    let done = match st.put_with_key(&value, &key.into()) {
        Ok(_) => settle(&tx, "complete", &["error", "abort"]).await,
        Err(e) => Err(e.into()),
    };
    db.close();
    done
}

/// Every file kept for `package_id`, in the order they were kept (a record that does not read
/// is left out).
///
/// # Errors
/// The browser's reason.
pub async fn all(package_id: &str) -> Result<Vec<KeptFile>, KeptError> {
    let db = open().await?;
    let (_tx, st) = store(&db, web_sys::IdbTransactionMode::Readonly)?;
    let req = st.get_all_with_key(&range(package_id)?.into())?;
    let done = settle(&req, "success", &["error"]).await;
    db.close();
    done?;
    let list: js_sys::Array = req.result()?.dyn_into()?;
    Ok(list.iter().filter_map(|v| KeptFile::from_js(&v)).collect())
}

/// Removes every file kept for `package_id`.
///
/// # Errors
/// The browser's reason.
pub async fn forget(package_id: &str) -> Result<(), KeptError> {
    let db = open().await?;
    let (tx, st) = store(&db, web_sys::IdbTransactionMode::Readwrite)?;
    let done = match st.delete(&range(package_id)?.into()) {
        Ok(_) => settle(&tx, "complete", &["error", "abort"]).await,
        Err(e) => Err(e.into()),
    };
    db.close();
    done
}

/// Saves bytes as a file through a Blob URL (nothing leaves the browser).
pub fn download_bytes(name: &str, mime: &str, bytes: &[u8]) {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let bag = web_sys::BlobPropertyBag::new();
    bag.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &bag) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Some(doc) = web_sys::window().and_then(|w| w.document())
        && let Ok(a) = doc.create_element("a")
        && let Ok(a) = a.dyn_into::<web_sys::HtmlAnchorElement>()
    {
        a.set_href(&url);
        a.set_download(name);
        a.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}
