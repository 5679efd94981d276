//! The worker's side of a planner's own data: an import with the layer the planner chose, and
//! the export of the loaded package with every import as a package ZIP (written here, in the
//! worker: the page carries no zip writer). The ZIP's entries are deflated by the browser's
//! own `CompressionStream` (`deflate-raw`), so the wasm module carries no deflate code; a
//! browser without it gets the entries stored, a ZIP every unzip reads all the same.

use std::ops::Range;

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::wasm_bindgen;

use super::protocol::{EngineError, Request, Response, Task};
use crate::plan::engine::Engine;
use crate::plan::package::export::Folder;
use crate::plan::package::zip::{self, Packed};

/// Answers [`Request::ImportAs`] (anything else: an internal error, never sent here).
/// An import tells `stage` as each of its stages ends, and answers as soon as the network is
/// ready: the streets it added (if any) are left in `labels` with its number, for the label
/// points' answer ([`Response::StreetLabels`]) that follows.
pub fn answer(
    engine: &mut Engine,
    req: Request,
    stage: &mut dyn FnMut(crate::plan::engine::ImportStage),
    labels: &mut Option<(u64, Range<usize>)>,
) -> Response {
    match req {
        Request::ImportAs {
            seq,
            file,
            bytes,
            layer,
        } => {
            let (mut a, streets) = engine.import_bytes_network_first(&file, bytes, layer, stage);
            a.seq = seq;
            *labels = streets.map(|r| (seq, r));
            Response::Imported(a.map_problems(crate::web::i18n::Both::problem))
        }
        _ => Response::misrouted(),
    }
}

/// Answers [`Request::ExportPackage`] through `post` once its entries are compressed (the
/// browser's stream is asynchronous; the worker reads its next messages meanwhile).
pub fn export(engine: &Engine, seq: u64, post: fn(Response)) {
    let folder = match engine.export_package() {
        Ok(f) => f,
        Err(error) => {
            post(Response::Failed {
                task: Task::Export,
                seq,
                error,
            });
            return;
        }
    };
    wasm_bindgen_futures::spawn_local(async move {
        let package_id = folder.name.clone();
        post(match zipped(folder).await {
            Ok(bytes) => Response::PackageZip {
                seq,
                package_id,
                bytes,
            },
            Err(e) => Response::Failed {
                task: Task::Export,
                seq,
                error: EngineError::Internal {
                    what: e.to_string(),
                },
            },
        });
    });
}

/// The folder as a ZIP, each entry deflated by the browser (stored when it cannot).
async fn zipped(folder: Folder) -> Result<Vec<u8>, zip::ZipError> {
    let mut packed = Vec::new();
    for (name, raw) in folder.entries() {
        packed.push(match deflate_raw(&raw).await {
            Some(d) => Packed::deflated(name, &raw, d),
            None => Packed::stored(name, raw),
        });
    }
    zip::assemble(&packed)
}

#[wasm_bindgen]
extern "C" {
    /// The Compression Streams API's `CompressionStream` (web-sys has it only behind its
    /// unstable APIs).
    #[wasm_bindgen(js_name = CompressionStream)]
    type CompressionStream;

    #[wasm_bindgen(constructor, catch, js_class = "CompressionStream")]
    fn new(format: &str) -> Result<CompressionStream, wasm_bindgen::JsValue>;
}

/// `raw` as a raw deflate stream (RFC 1951) by the browser's `CompressionStream`; none when
/// the browser has none or it failed.
async fn deflate_raw(raw: &[u8]) -> Option<Vec<u8>> {
    let deflater = CompressionStream::new("deflate-raw").ok()?;
    let blob = web_sys::Blob::new_with_u8_array_sequence(&js_sys::Array::of1(
        &js_sys::Uint8Array::from(raw),
    ))
    .ok()?;
    let stream = blob
        .stream()
        .pipe_through(deflater.unchecked_ref::<web_sys::ReadableWritablePair>());
    let out = web_sys::Response::new_with_opt_readable_stream(Some(&stream))
        .ok()?
        .array_buffer()
        .ok()?;
    let buf = wasm_bindgen_futures::JsFuture::from(out).await.ok()?;
    Some(js_sys::Uint8Array::new(&buf).to_vec())
}
