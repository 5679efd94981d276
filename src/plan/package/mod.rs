//! Data packages: a manifest plus one file per layer.
//!
//! - [`manifest`]: the manifest format and its validation.
//! - [`write`](mod@write): canonical GeoJSON writers for every layer kind.
//! - [`admin`]: OSM boundaries matched to the division list, census totals spread to 街道,
//!   one demand point per official community.
//! - [`illustrative`]: deterministic illustrative layers for cities without real services.

pub mod admin;
pub mod illustrative;
pub mod manifest;
pub mod write;

pub use manifest::{
    AgeShares, Crs, Layer, LayerKind, Manifest, ManifestError, Name, Network, Status,
};
