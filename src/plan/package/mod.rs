//! Data packages: a manifest plus one file per layer.
//!
//! - [`manifest`]: the manifest format and its validation.
//! - [`write`](mod@write): canonical GeoJSON writers for every layer kind.
//! - [`illustrative`]: deterministic illustrative layers for cities without real services.

pub mod illustrative;
pub mod manifest;
pub mod write;

pub use manifest::{
    AgeShares, Crs, Layer, LayerKind, Manifest, ManifestError, Name, Network, Status,
};
