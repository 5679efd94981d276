//! The pure planning core. No DOM, no clock, no I/O beyond byte slices handed in.
//!
//! One capability per module:
//! - [`geom`]: WGS-84 points and the local metric projection all analyses run in.
//! - [`model`]: the domain records (stations, facilities and their categories, postings,
//!   communities, demand points, candidate sites, streets).
//! - [`package`]: the data package format (manifest + layer files) and its validation.
#![deny(missing_docs)]

pub mod geom;
pub mod model;
pub mod package;
