//! The side panel's components, one file per feature (each reads its state through the
//! feature's `use_…` hook; see `src/web/DESIGN.md`).
//!
//! | module | what |
//! |---|---|
//! | [`chrome`] | tab strip, package picker, banners, share link, mode and language switches, live region |
//! | [`iso`] | walking circles and their legend |
//! | [`nearby`] | the resident panel (附近岗位与服务) |
//! | [`coverage`] | the coverage panel (覆盖评估) and its legend |
//! | [`access`] | the supply–demand section of the coverage tab: walker, preset, ratios, surface |
//! | [`report`] | the 体检报告 of the selected unit (printed on A4 with the map) |
//! | [`place`] | the placement panel (站点选址), scenarios, comparison, and its legend |
//! | [`network`] | the network edits (路网编辑) of the planner tab, and the network line of every report |
//! | [`data`] | imports, layers and provenance, basemap settings |
//! | [`imported`] | the data tab's list of imported layers, with a switch each |
//! | [`owndata`] | kept imports, forget, package export, the layer question, the imported-network banner |

pub mod access;
pub mod chrome;
pub mod coverage;
pub mod data;
pub mod imported;
pub mod iso;
pub mod nearby;
pub mod network;
pub mod owndata;
pub mod place;
pub mod report;
