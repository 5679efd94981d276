//! Data packages: a manifest plus one file per layer.
//!
//! - [`manifest`]: the manifest format and its validation.
//! - [`write`](mod@write): canonical GeoJSON writers for every layer kind.
//! - [`admin`]: OSM boundaries matched to the division list, census totals spread to 街道,
//!   one demand point per official community.
//! - [`illustrative`]: deterministic illustrative layers for cities without real services.
//! - [`export`]: the loaded data (package and imports) as a package folder.
//! - [`zip`](mod@zip): a minimal ZIP writer for that folder.
//! - [`pbf`]: the streets layer as an OSM PBF file (the compact format for big layers).

pub mod admin;
pub mod export;
pub mod illustrative;
pub mod manifest;
pub mod pbf;
pub mod write;
pub mod zip;

pub use manifest::{
    AgeShares, Crs, Layer, LayerFormat, LayerKind, Manifest, ManifestError, Name, Network, Status,
};
