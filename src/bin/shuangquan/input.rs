//! Inputs shared by the subcommands: street networks from GeoJSON or OSM files, data packages
//! loaded through the same engine the app runs, and single layer files through the importers
//! (every problem printed with file, row and field).

use std::path::Path;

use shuangquan::plan::engine::{Engine, LoadSummary};
use shuangquan::plan::import::{self, Imported, Severity};
use shuangquan::plan::model::Street;
use shuangquan::plan::osm;

/// Prints an import's warnings and errors (at most `limit`, then a count) to stderr.
pub fn print_problems<T>(got: &Imported<T>, limit: usize) {
    let shown: Vec<_> = got
        .report
        .problems
        .iter()
        .filter(|p| p.severity >= Severity::Warning)
        .collect();
    for p in shown.iter().take(limit) {
        eprintln!("{p}");
    }
    if shown.len() > limit {
        eprintln!("… {} more problems", shown.len() - limit);
    }
}

/// Reads one layer file with an importer; problems go to stderr, valid records are returned.
pub fn read_layer<T>(
    path: &Path,
    importer: fn(&str, &[u8], &import::Options) -> Imported<Vec<T>>,
) -> Result<Vec<T>, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let got = importer(&path.to_string_lossy(), &bytes, &import::Options::default());
    print_problems(&got, 20);
    Ok(got.items)
}

/// Loads a data package directory (manifest.json and its layer files) into an engine, as the
/// app does; layer problems are printed, a bad manifest is an error.
pub fn load_package(dir: &Path) -> Result<(Engine, LoadSummary), String> {
    let manifest_path = dir.join("manifest.json");
    let manifest = std::fs::read_to_string(&manifest_path)
        .map_err(|e| format!("{}: {e}", manifest_path.display()))?;
    let value: serde_json::Value =
        serde_json::from_str(&manifest).map_err(|e| format!("{}: {e}", manifest_path.display()))?;
    let mut files = Vec::new();
    for layer in value
        .get("layers")
        .and_then(|l| l.as_array())
        .into_iter()
        .flatten()
    {
        let (Some(id), Some(file)) = (
            layer.get("id").and_then(|v| v.as_str()),
            layer.get("file").and_then(|v| v.as_str()),
        ) else {
            continue;
        };
        if file.contains("..") || file.starts_with('/') {
            return Err(format!(
                "{}: layer {id}: file {file:?} is outside the package",
                manifest_path.display()
            ));
        }
        let path = dir.join(file);
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        files.push((id.to_owned(), text));
    }
    let id = dir
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut engine = Engine::default();
    let summary = engine.load(&id, &manifest, &files)?;
    for p in summary.problems.iter().take(20) {
        eprintln!("{p}");
    }
    if summary.problems.len() > 20 {
        eprintln!("… {} more problems", summary.problems.len() - 20);
    }
    Ok((engine, summary))
}

/// Reads a street network: GeoJSON LineStrings, OSM XML (`.osm`) or OSM PBF (`.pbf`).
pub fn read_streets(path: &Path) -> Result<Vec<Street>, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let is_geojson = ext == "geojson"
        || ext == "json"
        || bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
    if is_geojson {
        let got =
            import::import_streets(&path.to_string_lossy(), &bytes, &import::Options::default());
        for p in got.report.problems.iter().take(5) {
            eprintln!("{p}");
        }
        if got.report.problems.len() > 5 {
            eprintln!("… {} more problems", got.report.problems.len() - 5);
        }
        return Ok(got.items);
    }
    let d = if ext == "pbf" {
        osm::read_pbf(&bytes)
    } else if ext == "osm" || ext == "xml" {
        osm::read_xml(&bytes)
    } else {
        osm::read(&bytes)
    };
    for p in d.problems.iter().take(5) {
        eprintln!("{}: {p}", path.display());
    }
    if d.problems.len() > 5 {
        eprintln!(
            "{}: … {} more problems",
            path.display(),
            d.problems.len() - 5
        );
    }
    Ok(d.streets)
}
