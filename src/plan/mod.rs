//! The pure planning core. No DOM, no clock, no I/O beyond byte slices handed in.
//!
//! One capability per module:
//! - [`geom`]: WGS-84 points and the local metric projection all analyses run in.
//! - [`model`]: the domain records (stations, facilities and their categories, postings,
//!   communities, demand points, candidate sites, streets).
//! - [`crs`]: GCJ-02 and BD-09 to and from WGS-84 (forward transforms, iterative inverses).
//! - [`import`]: CSV and GeoJSON importers with a collect-all validation report, per layer.
//! - [`csv_out`]: the one CSV writer of every export, with formula-injection protection.
//! - [`package`]: the data package format (manifest + layer files) and its validation.
//! - [`graph`]: the walk graph — build, snap, bounded multi-source reach, isochrone polygons.
//! - [`osm`]: OpenStreetMap XML/PBF extracts → streets and categorised facilities.
//! - [`coverage`]: the dual-circle assessment (供需匹配评估): per demand point walking times to
//!   the nearest station and each category, circle membership, aggregation and the gap list.
//! - [`access`]: supply–demand ratios (2SFCA, E2SFCA) with capacities, every facility within
//!   reach, standards presets (GB 50180, MOFCOM 2021, Qingdao 2025) and the accessibility surface.
//! - [`nearby`]: postings and services near a home by walking time, filters and profile match.
//! - [`place`]: station placement (maximal covering and set covering) on candidate sites.
//! - [`scenario`]: planner scenarios (accepted sites): versioned file, URL form.
//! - [`cluster`]: grid clustering of points per zoom level (the map's dense postings).
//! - [`tile`]: map tiles cut on demand (streets simplified per zoom, points counted per cell).
//! - [`labels`]: where street labels go and which ones a view draws without overlaps.
//! - [`sort`]: stable sorting through one instance of the standard library's sort (bundle size).
//! - [`embed_policy`]: the embedded app's parent-origin allowlist and its versioned messages.
//! - [`engine`]: a loaded package and its walk graph answering the app's questions (what the
//!   web worker runs).
#![deny(missing_docs)]

pub mod access;
pub mod cluster;
pub mod coverage;
pub mod crs;
pub mod csv_out;
pub mod embed_policy;
pub mod engine;
pub mod geojson_out;
pub mod geom;
pub mod graph;
pub mod import;
pub mod labels;
pub mod model;
pub mod nearby;
pub mod osm;
pub mod package;
pub mod place;
pub mod scenario;
pub mod sort;
pub mod tile;
pub mod zone_labels;
