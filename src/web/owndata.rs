//! The worker's side of a planner's own data: an import with the layer the planner chose, and
//! the export of the loaded package with every import as a package ZIP (written here, in the
//! worker: the page carries no zip writer).

use std::ops::Range;

use super::protocol::{EngineError, Request, Response, Task};
use crate::plan::engine::Engine;

/// Answers [`Request::ImportAs`] and [`Request::ExportPackage`] (anything else: an internal
/// error, never sent here).
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
        Request::ExportPackage { seq } => {
            let zipped = engine.export_package().and_then(|f| {
                f.zip()
                    .map(|bytes| (f.name, bytes))
                    .map_err(|e| EngineError::Internal {
                        what: e.to_string(),
                    })
            });
            match zipped {
                Ok((package_id, bytes)) => Response::PackageZip {
                    seq,
                    package_id,
                    bytes,
                },
                Err(error) => Response::Failed {
                    task: Task::Export,
                    seq,
                    error,
                },
            }
        }
        _ => Response::misrouted(),
    }
}
