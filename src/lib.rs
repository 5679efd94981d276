//! 双圈 (shuangquan): the 15-minute employment-service circle fused with the 15-minute
//! convenience living circle.
//!
//! - [`plan`] is the pure planning core: importers, the walk graph, reach and isochrones,
//!   coverage, nearby postings and station placement. It has no web dependency and is what
//!   the native CLI (`shuangquan`) and the browser app share.
//! - `web` (behind the `web` feature) is the yew + Leaflet front end and its web worker.
#![forbid(unsafe_code)]

pub mod plan;

#[cfg(feature = "web")]
pub mod web;
