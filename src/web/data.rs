//! Fetching data packages from the same origin (`data/<id>/manifest.json` and its layer files).
//! Nothing is requested from any other host.

use std::collections::BTreeMap;
use std::rc::Rc;

use gloo::net::http::Request;
use serde::Deserialize;

use crate::plan::package::Manifest;

/// One entry of `data/index.json`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct PackageEntry {
    /// Package id (folder name).
    pub id: String,
    /// Chinese name.
    pub name_zh: String,
    /// English name.
    pub name_en: String,
}

/// A fetched package: its manifest and each layer's text, by layer id.
#[derive(Debug, Clone, PartialEq)]
pub struct Fetched {
    /// Package id.
    pub id: String,
    /// The manifest (without the layer entries it could not read).
    pub manifest: Manifest,
    /// The manifest as fetched: the worker reads it again and names each entry it cannot use
    /// (a lying manifest loads the rest; see `Engine::load_package`).
    pub manifest_json: String,
    /// Layer text by layer id (GeoJSON and CSV layers).
    pub files: BTreeMap<String, Rc<str>>,
    /// Layer bytes by layer id (layers in a binary format: the streets as OSM PBF). The page
    /// does not read these; the worker loads them and sends back what to draw.
    pub binary: BTreeMap<String, Rc<[u8]>>,
}

async fn bytes(url: &str) -> Result<Vec<u8>, String> {
    let resp = Request::get(url).send().await.map_err(|e| e.to_string())?;
    if !resp.ok() {
        return Err(format!("HTTP {}", resp.status()));
    }
    resp.binary().await.map_err(|e| e.to_string())
}

async fn text(url: &str) -> Result<String, String> {
    let resp = Request::get(url).send().await.map_err(|e| e.to_string())?;
    if !resp.ok() {
        return Err(format!("HTTP {}", resp.status()));
    }
    resp.text().await.map_err(|e| e.to_string())
}

/// Fetches the list of packages shipped with the app.
pub async fn fetch_index() -> Result<Vec<PackageEntry>, String> {
    let t = text("data/index.json").await?;
    serde_json::from_str(&t).map_err(|e| format!("data/index.json: {e}"))
}

/// Fetches a package's manifest and every layer file it can; a layer that fails is left out
/// (the worker's load report names it) and the others still load.
pub async fn fetch_package(id: &str) -> Result<Fetched, String> {
    let safe = id
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !safe || id.is_empty() {
        return Err(format!("invalid package id {id:?}"));
    }
    let base = format!("data/{id}/");
    let m = text(&format!("{base}manifest.json"))
        .await
        .map_err(|e| format!("{base}manifest.json: {e}"))?;
    let (manifest, _skipped) = Manifest::parse_partial(m.as_bytes()).map_err(|errs| {
        errs.iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; ")
    })?;
    let mut files = BTreeMap::new();
    let mut binary = BTreeMap::new();
    for layer in &manifest.layers {
        let url = format!("{base}{}", layer.file);
        if layer.format().is_binary() {
            if let Ok(b) = bytes(&url).await {
                binary.insert(layer.id.clone(), Rc::from(b));
            }
        } else if let Ok(t) = text(&url).await {
            files.insert(layer.id.clone(), Rc::from(t));
        }
    }
    Ok(Fetched {
        id: id.to_owned(),
        manifest,
        manifest_json: m,
        files,
        binary,
    })
}
