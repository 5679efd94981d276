//! Data packages: a manifest plus one file per layer (see [`manifest`]).

pub mod manifest;

pub use manifest::{Crs, Layer, LayerKind, Manifest, ManifestError, Name, Network, Status};
