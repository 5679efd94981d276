//! The Leaflet map as an imperative island: the component renders one `<div>` that the virtual
//! DOM never touches again; Leaflet owns it, and layers are synced from effects.
//!
//! Streets are tiles the worker cuts on demand and the page draws once each ([`tiles`]); areas
//! draw on one shared canvas renderer, point symbols on a canvas layer of their own
//! ([`points`]), analysis overlays on a second renderer above them. Other layer data arrives as
//! GeoJSON text and is parsed by the browser's `JSON.parse` for drawing.
//!
//! The map is its own basemap: the package's streets are drawn by class (major roads wider and
//! on top), and labels (street names from zoom 16, community and boundary names from zoom 14)
//! are placed per view by [`crate::plan::labels`] — one per name, no overlaps, capped. Postings
//! are grid-clustered per view by [`crate::plan::cluster`] below zoom 17. Point symbols differ
//! by shape as well as colour (see [`Symbol`]). An XYZ tile layer is drawn only when configured
//! ([`TileSource`]); nothing is requested from another host otherwise. [`export_png`] composites
//! what is on screen into one PNG.
//!
//! | module | what |
//! |---|---|
//! | [`component`] | the [`MapView`] component: mounts the map, syncs it from effects |
//! | [`sync`] | the Leaflet objects the component owns, and how layers and overlays are synced |
//! | [`canvas`] | a layer that is one canvas of our own (Leaflet's public layer API), for the points |
//! | [`tiles`] | layers drawn from tiles the worker cuts on demand (`L.GridLayer`, one canvas per tile) |
//! | [`bitmap`] | a tile drawn off the page and shown as a bitmap (no canvas resource per frame) |
//! | [`frames`] | the tiles' drawing spread over animation frames (a budget per frame) |
//! | [`tile_points`] | a points tile drawn: symbols, counts per cell, the count a click hits |
//! | [`points`] | point symbols on a canvas layer of their own (Leaflet's public layer API) |
//! | [`symbols`] | colours, shapes and styles (shared with the legends) |
//! | [`labels`] | street and area labels, posting clusters, redrawn per view |
//! | [`edits`] | a scenario's network edits and the path being drawn |
//! | [`export`] | "export map as PNG" |
//! | [`surface`] | the accessibility surface as a raster (`L.imageOverlay` of a PNG) and its legend classes |
//! | [`leaflet`] | the bindings to Leaflet's public API and small JS helpers |

mod bitmap;
mod canvas;
mod component;
mod edits;
pub mod export;
mod frames;
mod labels;
mod leaflet;
mod paint;
mod points;
pub mod surface;
pub mod symbols;
mod sync;
mod tile_points;
mod tiles;

use std::rc::Rc;

use crate::plan::package::LayerKind;

pub use component::{MapView, MapViewProps};
pub use export::{ExportError, export_png};
pub use labels::{POSTINGS_SINGLE_ZOOM, STREET_LABEL_ZOOM, ZONE_LABEL_ZOOM};
pub use leaflet::escape_html;
pub use symbols::{
    Shape, Symbol, band_colour, category_colour, category_symbol, kind_symbol, missing_colour,
    place_status_colour, street_style,
};

/// One data layer to draw.
#[derive(Debug, Clone, PartialEq)]
pub struct DrawLayer {
    /// Layer id (unique in the package).
    pub id: String,
    /// What it holds (decides the style).
    pub kind: LayerKind,
    /// GeoJSON text.
    pub geojson: Rc<str>,
    /// Whether it is shown.
    pub visible: bool,
    /// The name points of a community or boundary layer, made by the worker
    /// ([`crate::plan::zone_labels`]); empty for the other kinds.
    pub zones: Rc<[crate::plan::zone_labels::ZoneLabel]>,
    /// The label points of an imported streets layer, which come after its lines (the
    /// worker's second answer); `None` until then and for the other layers (a package's
    /// streets layer has its label points in `geojson`).
    pub labels: Option<Rc<crate::plan::labels::LabelPoints>>,
}

/// How an analysis overlay is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OverlayStyle {
    /// Units (`unit` property) filled by missing categories, the selected one outlined.
    CoverageUnits {
        /// Enabled categories.
        mask: u8,
        /// Selected unit.
        selected: Option<usize>,
    },
    /// Chosen sites: numbered markers (`order` property).
    Sites,
    /// Placement demand points by status (`s`: 0 covered now, 1 newly covered, 2 uncovered for
    /// lack of budget, 3 no candidate in reach, 4 off network).
    PlaceDemand,
    /// Small labelled markers (`label` property) with a CSS class: accepted sites, clicked
    /// candidates, the two sides of a comparison.
    Marks {
        /// CSS class of the marker.
        class: &'static str,
    },
    /// A walking route.
    Route,
    /// Nearby postings (`i` property), the selected one larger.
    Hits {
        /// Selected hit.
        selected: Option<usize>,
    },
}

/// An analysis overlay (drawn above the data layers, clickable).
#[derive(Debug, Clone, PartialEq)]
pub struct Overlay {
    /// Overlay id; clicks report it.
    pub id: &'static str,
    /// GeoJSON text.
    pub geojson: Rc<str>,
    /// Style.
    pub style: OverlayStyle,
}

/// A configured XYZ tile source (see `basemap::TileSettings`, which builds it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TileSource {
    /// URL template with `{z}`, `{x}`, `{y}` and optionally `{s}`.
    pub url: String,
    /// Subdomains for `{s}` (one character each), empty for none.
    pub subdomains: String,
    /// Attribution shown on the map (plain text; escaped before Leaflet sees it).
    pub attribution: String,
    /// A second layer drawn above (e.g. 天地图's annotation layer), same options.
    pub overlay_url: Option<String>,
    /// Highest zoom the source serves.
    pub max_zoom: u8,
    /// A line shown on the map while the tiles are on (e.g. the 审图号), empty for none.
    pub note: String,
}
