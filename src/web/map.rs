//! The Leaflet map as an imperative island: the component renders one `<div>` that the virtual
//! DOM never touches again; Leaflet owns it, and layers are synced from effects.
//!
//! Dense layers draw on one shared canvas renderer. Layer data arrives as GeoJSON text and is
//! parsed by the browser's `JSON.parse` for drawing.
//!
//! The map is its own basemap: the package's streets are drawn by class (major roads wider and
//! on top), and labels (street names from zoom 16, community and boundary names from zoom 14)
//! are placed per view by [`crate::plan::labels`] — one per name, no overlaps, capped. Postings
//! are grid-clustered per view by [`crate::plan::cluster`] below zoom 17. Point symbols differ
//! by shape as well as colour (see [`Symbol`]). An XYZ tile layer is drawn only when configured
//! ([`TileSource`]); nothing is requested from another host otherwise. [`export_png`] composites
//! what is on screen into one PNG.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use js_sys::{Object, Reflect};
use leaflet::{Evented, LatLng, Layer, LayerGroup, Map, MapOptions, Marker, MarkerOptions};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::HtmlElement;
use yew::prelude::*;

use super::i18n::Lang;
use crate::plan::cluster::{BboxWgs84, grid_cluster, world_px};
use crate::plan::labels::{Candidate, declutter, highway_rank, street_anchor};
use crate::plan::model::Category;
use crate::plan::package::LayerKind;

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
}

/// How an analysis overlay is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OverlayStyle {
    /// Demand points coloured by how many of the enabled base categories (bit mask over
    /// [`Category::BASE_SIX`]) are missing (`miss` property).
    CoveragePoints {
        /// Enabled categories.
        mask: u8,
    },
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

/// Placement status → fill colour. The Okabe–Ito colours all mean a 六个一 category on this
/// map, so the statuses differ by lightness first (read without hue): light grey covered now,
/// strong red newly covered (also larger, black ring), purple uncovered for lack of budget,
/// near-black no candidate in reach, white off the network.
pub fn place_status_colour(status: u8) -> &'static str {
    match status {
        0 => "#c8c8c8",
        1 => "#d7301f",
        2 => "#7b3294",
        3 => "#1b1f24",
        _ => "#ffffff",
    }
}

/// Number of categories missing → fill colour (light to dark; sequential, colour-blind safe).
pub fn missing_colour(n: u32) -> &'static str {
    match n {
        0 => "#ffffcc",
        1 => "#fed976",
        2 => "#feb24c",
        3 => "#fd8d3c",
        4 => "#f03b20",
        5 => "#bd0026",
        _ => "#67000d",
    }
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

/// Escapes text for HTML (Leaflet's attribution control sets `innerHTML`).
pub fn escape_html(t: &str) -> String {
    let mut o = String::with_capacity(t.len());
    for c in t.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

/// Zoom from which street names are drawn (major streets; all named streets from +1).
pub const STREET_LABEL_ZOOM: f64 = 16.0;
/// Zoom from which community and boundary names are drawn.
pub const ZONE_LABEL_ZOOM: f64 = 14.0;
/// Zoom from which postings are drawn one by one instead of clustered.
pub const POSTINGS_SINGLE_ZOOM: f64 = 17.0;
/// Cluster cell size in screen pixels.
const CLUSTER_PX: f64 = 80.0;
/// At most this many labels per view.
const LABEL_CAP: usize = 70;

#[derive(serde::Deserialize)]
struct Fc {
    #[serde(default)]
    features: Vec<Feat>,
}

#[derive(serde::Deserialize)]
struct Feat {
    geometry: Option<Geom>,
    #[serde(default)]
    properties: Option<serde_json::Map<String, serde_json::Value>>,
}

#[derive(serde::Deserialize)]
struct Geom {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    coordinates: serde_json::Value,
}

fn pos(v: &serde_json::Value) -> Option<(f64, f64)> {
    Some((v.get(0)?.as_f64()?, v.get(1)?.as_f64()?))
}

fn line(v: &serde_json::Value) -> Vec<(f64, f64)> {
    v.as_array()
        .map(|a| a.iter().filter_map(pos).collect())
        .unwrap_or_default()
}

fn polygon(v: &serde_json::Value) -> Option<geo::Polygon<f64>> {
    let rings = v.as_array()?;
    let mut it = rings.iter().map(|r| geo::LineString::from(line(r)));
    let outer = it.next()?;
    Some(geo::Polygon::new(outer, it.collect()))
}

fn prop_text(f: &Feat, key: &str) -> Option<String> {
    let v = f.properties.as_ref()?.get(key)?;
    v.as_str()
        .map(str::to_owned)
        .filter(|t| !t.trim().is_empty())
}

/// Named streets of a layer: (names, anchors as (name index, rank, anchor)).
fn parse_streets(text: &str) -> (Vec<String>, Vec<(u32, u8, crate::plan::labels::Anchor)>) {
    let Ok(fc) = serde_json::from_str::<Fc>(text) else {
        return (Vec::new(), Vec::new());
    };
    let mut names: Vec<String> = Vec::new();
    let mut index: BTreeMap<String, u32> = BTreeMap::new();
    let mut out = Vec::new();
    for f in &fc.features {
        let (Some(g), Some(name)) = (&f.geometry, prop_text(f, "name")) else {
            continue;
        };
        let rank = highway_rank(prop_text(f, "highway").as_deref().unwrap_or(""));
        let parts = match g.kind.as_str() {
            "LineString" => vec![line(&g.coordinates)],
            "MultiLineString" => g
                .coordinates
                .as_array()
                .map(|a| a.iter().map(line).collect())
                .unwrap_or_default(),
            _ => continue,
        };
        let id = *index.entry(name.clone()).or_insert_with(|| {
            names.push(name);
            (names.len() - 1) as u32
        });
        out.extend(
            parts
                .iter()
                .filter_map(|p| street_anchor(p))
                .map(|a| (id, rank, a)),
        );
    }
    (names, out)
}

/// Named areas of a layer: (name, lon, lat) at a point inside each.
fn parse_zones(text: &str) -> Vec<(String, f64, f64)> {
    use geo::InteriorPoint;
    let Ok(fc) = serde_json::from_str::<Fc>(text) else {
        return Vec::new();
    };
    fc.features
        .iter()
        .filter_map(|f| {
            let name = prop_text(f, "name")?;
            let g = f.geometry.as_ref()?;
            let p = match g.kind.as_str() {
                "Point" => pos(&g.coordinates)?,
                "Polygon" => polygon(&g.coordinates)?.interior_point()?.x_y(),
                "MultiPolygon" => geo::MultiPolygon::new(
                    g.coordinates
                        .as_array()?
                        .iter()
                        .filter_map(polygon)
                        .collect(),
                )
                .interior_point()?
                .x_y(),
                _ => return None,
            };
            Some((name, p.0, p.1))
        })
        .collect()
}

/// A feature read for its geometry only (properties are skipped, not built).
#[derive(serde::Deserialize)]
struct GeomOnly {
    geometry: Option<Geom>,
}

/// Point positions (lon, lat) of a layer.
fn parse_points(text: &str) -> Vec<(f64, f64)> {
    #[derive(serde::Deserialize)]
    struct Points {
        #[serde(default)]
        features: Vec<GeomOnly>,
    }
    let Ok(fc) = serde_json::from_str::<Points>(text) else {
        return Vec::new();
    };
    fc.features
        .iter()
        .filter_map(|f| {
            let g = f.geometry.as_ref()?;
            (g.kind == "Point").then(|| pos(&g.coordinates)).flatten()
        })
        .collect()
}

struct StreetSet {
    names: Vec<String>,
    anchors: Vec<(u32, u8, crate::plan::labels::Anchor)>,
    visible: bool,
}

struct ZoneSet {
    items: Vec<(String, f64, f64)>,
    visible: bool,
}

struct PostingSet {
    pts: Vec<(f64, f64)>,
    group: LayerGroup,
    visible: bool,
}

/// What is redrawn for each view (labels, posting clusters); shared with the `moveend` handler.
struct Deco {
    map: Map,
    renderer: JsValue,
    labels: LayerGroup,
    streets: BTreeMap<String, StreetSet>,
    zones: BTreeMap<String, ZoneSet>,
    postings: BTreeMap<String, PostingSet>,
}

/// Estimated width in pixels of `text` at `px` font size (CJK full width, Latin ≈ 0.6).
fn text_width(text: &str, px: f64) -> f64 {
    text.chars()
        .map(|c| if c.is_ascii() { 0.6 * px } else { px })
        .sum()
}

fn document() -> Option<web_sys::Document> {
    web_sys::window().and_then(|w| w.document())
}

fn label_marker(text: &str, lon: f64, lat: f64, angle: f64, class: &str) -> Option<Layer> {
    let span = document()?.create_element("span").ok()?;
    span.set_class_name("sq-label-text");
    span.set_text_content(Some(text));
    span.set_attribute("data-angle", &format!("{angle:.1}"))
        .ok()?;
    span.set_attribute(
        "style",
        &format!("transform:translate(-50%,-50%) rotate({angle:.1}deg)"),
    )
    .ok()?;
    let icon = div_icon(&obj(&[
        ("className", s(class)),
        ("html", span.into()),
        ("iconSize", js_sys::Array::of2(&n(0.0), &n(0.0)).into()),
    ]));
    Some(marker(
        &LatLng::new(lat, lon).into(),
        &obj(&[
            ("icon", icon),
            ("pane", s("sq-labels")),
            ("interactive", JsValue::FALSE),
            ("keyboard", JsValue::FALSE),
        ]),
    ))
}

fn cluster_marker(count: usize, lon: f64, lat: f64) -> Option<Layer> {
    let size = match count {
        0..10 => 26.0,
        10..100 => 32.0,
        100..1000 => 40.0,
        _ => 48.0,
    };
    let div = document()?.create_element("div").ok()?;
    div.set_text_content(Some(&count.to_string()));
    let icon = div_icon(&obj(&[
        ("className", s("sq-cluster")),
        ("html", div.into()),
        ("iconSize", js_sys::Array::of2(&n(size), &n(size)).into()),
    ]));
    let m = marker(
        &LatLng::new(lat, lon).into(),
        &obj(&[
            ("icon", icon),
            ("pane", s("sq-clusters")),
            ("interactive", JsValue::FALSE),
            ("keyboard", JsValue::FALSE),
        ]),
    );
    Some(m)
}

impl Deco {
    /// Redraws labels and posting clusters for the current view.
    fn refresh(&self) {
        let zoom = self.map.get_zoom();
        let b = self.map.get_bounds();
        let (sw, ne) = (b.get_south_west(), b.get_north_east());
        let bbox = BboxWgs84 {
            west: sw.lng(),
            south: sw.lat(),
            east: ne.lng(),
            north: ne.lat(),
        };
        let (ox, oy) = world_px(bbox.west, bbox.north, zoom);
        let el = self.map.get_container();
        let _ = el.set_attribute("data-zoom", &format!("{zoom}"));
        let _ = el.set_attribute(
            "data-bounds",
            &format!("{},{},{},{}", bbox.west, bbox.south, bbox.east, bbox.north),
        );

        // Labels: candidates in view, then one per name, no overlaps, capped.
        self.labels.clear_layers();
        let mut cands: Vec<Candidate> = Vec::new();
        let mut what: Vec<(&str, f64, f64, f64, &str)> = Vec::new();
        let mut group = 0u32;
        if zoom >= ZONE_LABEL_ZOOM {
            for set in self.zones.values().filter(|z| z.visible) {
                for (name, lon, lat) in &set.items {
                    if bbox.contains(*lon, *lat) {
                        let (x, y) = world_px(*lon, *lat, zoom);
                        cands.push(Candidate {
                            group,
                            priority: 1e9,
                            x: x - ox,
                            y: y - oy,
                            half_w: text_width(name, 13.0) / 2.0 + 6.0,
                            half_h: 10.0,
                        });
                        what.push((name, *lon, *lat, 0.0, "sq-label sq-zone-label"));
                    }
                    group += 1;
                }
            }
        }
        if zoom >= STREET_LABEL_ZOOM {
            let max_rank = if zoom >= STREET_LABEL_ZOOM + 1.0 {
                3
            } else {
                2
            };
            for set in self.streets.values().filter(|z| z.visible) {
                for (name, rank, a) in &set.anchors {
                    if *rank > max_rank || !bbox.contains(a.lon, a.lat) {
                        continue;
                    }
                    let Some(text) = set.names.get(*name as usize) else {
                        continue;
                    };
                    let (x, y) = world_px(a.lon, a.lat, zoom);
                    let (hw, hh) = (text_width(text, 12.0) / 2.0 + 4.0, 8.0);
                    let (sin, cos) = a.angle_deg.to_radians().sin_cos();
                    cands.push(Candidate {
                        group: group + name,
                        priority: f64::from(10 - rank) * 1e6 + a.length_m,
                        x: x - ox,
                        y: y - oy,
                        half_w: cos.abs() * hw + sin.abs() * hh,
                        half_h: sin.abs() * hw + cos.abs() * hh,
                    });
                    what.push((text, a.lon, a.lat, a.angle_deg, "sq-label sq-street-label"));
                }
                group += set.names.len() as u32;
            }
        }
        // Labels cut by the map's edge are not drawn.
        let size = self.map.get_size();
        let (vw, vh) = (size.x(), size.y());
        let inside = |c: &Candidate| {
            c.x - c.half_w >= 0.0
                && c.x + c.half_w <= vw
                && c.y - c.half_h >= 0.0
                && c.y + c.half_h <= vh
        };
        let (cands, what): (Vec<Candidate>, Vec<_>) = cands
            .into_iter()
            .zip(what)
            .filter(|(c, _)| inside(c))
            .unzip();
        let kept = declutter(&cands, LABEL_CAP);
        for &k in &kept {
            let (text, lon, lat, angle, class) = what[k];
            if let Some(m) = label_marker(text, lon, lat, angle, class) {
                self.labels.add_layer(&m);
            }
        }
        let _ = el.set_attribute("data-labels", &kept.len().to_string());

        // Postings: clustered below POSTINGS_SINGLE_ZOOM, one by one from it.
        let (mut in_view, mut clusters, mut singles) = (0usize, 0usize, 0usize);
        let single = kind_symbol(LayerKind::Postings);
        for set in self.postings.values() {
            set.group.clear_layers();
            if !set.visible {
                continue;
            }
            let cell = if zoom >= POSTINGS_SINGLE_ZOOM {
                1e-9
            } else {
                CLUSTER_PX
            };
            for c in grid_cluster(&set.pts, Some(bbox), zoom, cell) {
                in_view += c.count();
                if c.count() == 1 {
                    singles += 1;
                    let m = circle_marker(
                        &LatLng::new(c.lat, c.lon).into(),
                        &symbol_options(single, &self.renderer),
                    );
                    set.group.add_layer(&m);
                } else if zoom >= POSTINGS_SINGLE_ZOOM {
                    // Same place exactly: still one symbol per posting.
                    for _ in 0..c.count() {
                        singles += 1;
                        let m = circle_marker(
                            &LatLng::new(c.lat, c.lon).into(),
                            &symbol_options(single, &self.renderer),
                        );
                        set.group.add_layer(&m);
                    }
                } else if let Some(m) = cluster_marker(c.count(), c.lon, c.lat) {
                    clusters += 1;
                    set.group.add_layer(&m);
                    if let Some(icon) = Reflect::get(&m, &s("_icon"))
                        .ok()
                        .and_then(|i| i.dyn_into::<web_sys::Element>().ok())
                    {
                        let _ = icon.set_attribute("data-count", &c.count().to_string());
                    }
                }
            }
        }
        let _ = el.set_attribute("data-postings-in-view", &in_view.to_string());
        let _ = el.set_attribute("data-postings-clusters", &clusters.to_string());
        let _ = el.set_attribute("data-postings-singles", &singles.to_string());
    }
}

/// A raster drawn over the data layers (the accessibility surface): an image URL (a PNG data
/// URL) stretched over WGS-84 bounds.
#[derive(Debug, Clone, PartialEq)]
pub struct Raster {
    /// The image.
    pub url: String,
    /// South-west and north-east corners, `(lon, lat)`.
    pub bounds_wgs84: [(f64, f64); 2],
}

/// Properties of [`MapView`].
#[derive(Clone, Properties)]
pub struct MapViewProps {
    /// Changing this re-centres the map on `center_wgs84`/`zoom` (e.g. the package id).
    pub view_key: AttrValue,
    /// Centre, WGS-84 (lon, lat).
    pub center_wgs84: (f64, f64),
    /// Zoom level.
    pub zoom: f64,
    /// Accessible name of the map region.
    pub label: AttrValue,
    /// Data layers, bottom first.
    #[prop_or_default]
    pub layers: Rc<Vec<DrawLayer>>,
    /// The chosen point (WGS-84), drawn as a draggable marker.
    #[prop_or_default]
    pub home_wgs84: Option<(f64, f64)>,
    /// Isochrone GeoJSON (features with a `minutes` property), drawn largest first.
    #[prop_or_default]
    pub isochrone: Option<Rc<str>>,
    /// Called with (lon, lat) when the user picks a point: click, Enter, or marker drag.
    pub on_pick: Callback<(f64, f64)>,
    /// Analysis overlays, bottom first.
    #[prop_or_default]
    pub overlays: Rc<Vec<Overlay>>,
    /// Called with (overlay id, feature's `unit` or `i` property) when an overlay feature is
    /// clicked.
    #[prop_or_default]
    pub on_feature: Callback<(&'static str, usize)>,
    /// Zoom to the feature of an overlay whose `unit` (or `i`) is this; the number makes a
    /// repeated request distinct.
    #[prop_or_default]
    pub focus: Option<(&'static str, usize, u32)>,
    /// Interface language (messages drawn on the map).
    #[prop_or_default]
    pub lang: Lang,
    /// An XYZ tile source under the data layers; `None` (the default) requests no tiles.
    #[prop_or_default]
    pub tiles: Option<TileSource>,
    /// The package's attribution (plain text), shown in the map's attribution control.
    #[prop_or_default]
    pub attribution: Option<AttrValue>,
    /// Called with (lon, lat, zoom) after every pan or zoom (for the URL).
    #[prop_or_default]
    pub on_view: Callback<(f64, f64, f64)>,
    /// A raster under the analysis overlays (the accessibility surface).
    #[prop_or_default]
    pub raster: Option<Rc<Raster>>,
}

impl PartialEq for MapViewProps {
    fn eq(&self, o: &Self) -> bool {
        self.view_key == o.view_key
            && self.center_wgs84 == o.center_wgs84
            && self.zoom == o.zoom
            && self.label == o.label
            && Rc::ptr_eq(&self.layers, &o.layers)
            && self.home_wgs84 == o.home_wgs84
            && self.isochrone.as_ref().map(Rc::as_ptr) == o.isochrone.as_ref().map(Rc::as_ptr)
            && Rc::ptr_eq(&self.overlays, &o.overlays)
            && self.focus == o.focus
            && self.lang == o.lang
            && self.tiles == o.tiles
            && self.attribution == o.attribution
            && self.raster == o.raster
    }
}

/// A tile source on the map: its layers and their event closures.
type TileLayers = (TileSource, Vec<Layer>, Vec<Closure<dyn FnMut(JsValue)>>);

/// Leaflet objects owned by the component, with the closures they call.
struct Ctl {
    map: Map,
    renderer: JsValue,
    layers: BTreeMap<String, (DrawLayer, Layer)>,
    home: Option<Marker>,
    iso: Option<Layer>,
    overlays: Vec<(Overlay, Layer)>,
    closures: Vec<Closure<dyn FnMut(JsValue) -> JsValue>>,
    marker_closures: Vec<Closure<dyn FnMut(JsValue)>>,
    /// Labels and posting clusters, redrawn per view.
    deco: Rc<RefCell<Deco>>,
    /// Draws shaped markers ([`draw_shape`]); bound per marker.
    shape_fn: js_sys::Function,
    /// The tile layers on the map and their event closures.
    tiles: Option<TileLayers>,
    /// The raster layer, when one is drawn.
    raster: Option<Layer>,
}

fn obj(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in pairs {
        let _ = Reflect::set(&o, &JsValue::from_str(k), v);
    }
    o.into()
}

fn s(v: &str) -> JsValue {
    JsValue::from_str(v)
}

fn n(v: f64) -> JsValue {
    JsValue::from_f64(v)
}

/// Okabe–Ito colours for the base six (with the shapes of [`category_symbol`]), grey for extras.
pub fn category_colour(c: Category) -> &'static str {
    category_symbol(c).fill
}

/// A point symbol's shape. Shapes carry the distinction as much as colour does, so the map and
/// its legend read the same for people who do not see the colours apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// ●
    Circle,
    /// ■
    Square,
    /// ▲
    Triangle,
    /// ▼
    TriangleDown,
    /// ◆
    Diamond,
    /// ✚
    Cross,
    /// ⬢
    Hexagon,
    /// ★
    Star,
}

impl Shape {
    /// Vertices in a unit box around the centre (x right, y down); empty for the circle.
    pub const fn outline(self) -> &'static [(f64, f64)] {
        match self {
            Shape::Circle => &[],
            Shape::Square => &[(-0.85, -0.85), (0.85, -0.85), (0.85, 0.85), (-0.85, 0.85)],
            Shape::Triangle => &[(0.0, -1.15), (1.05, 0.75), (-1.05, 0.75)],
            Shape::TriangleDown => &[(0.0, 1.15), (1.05, -0.75), (-1.05, -0.75)],
            Shape::Diamond => &[(0.0, -1.2), (1.2, 0.0), (0.0, 1.2), (-1.2, 0.0)],
            Shape::Cross => &[
                (-0.38, -1.0),
                (0.38, -1.0),
                (0.38, -0.38),
                (1.0, -0.38),
                (1.0, 0.38),
                (0.38, 0.38),
                (0.38, 1.0),
                (-0.38, 1.0),
                (-0.38, 0.38),
                (-1.0, 0.38),
                (-1.0, -0.38),
                (-0.38, -0.38),
            ],
            Shape::Hexagon => &[
                (1.0, 0.0),
                (0.5, 0.866),
                (-0.5, 0.866),
                (-1.0, 0.0),
                (-0.5, -0.866),
                (0.5, -0.866),
            ],
            Shape::Star => &[
                (0.0, -1.0),
                (0.265, -0.364),
                (0.951, -0.309),
                (0.428, 0.139),
                (0.588, 0.809),
                (0.0, 0.45),
                (-0.588, 0.809),
                (-0.428, 0.139),
                (-0.951, -0.309),
                (-0.265, -0.364),
            ],
        }
    }

    /// SVG `points` of the shape centred on (cx, cy) with radius `r` (not for the circle).
    pub fn svg_points(self, cx: f64, cy: f64, r: f64) -> String {
        self.outline()
            .iter()
            .map(|(x, y)| format!("{:.2},{:.2}", cx + x * r, cy + y * r))
            .collect::<Vec<_>>()
            .join(" ")
    }

    const ALL: [Shape; 8] = [
        Shape::Circle,
        Shape::Square,
        Shape::Triangle,
        Shape::TriangleDown,
        Shape::Diamond,
        Shape::Cross,
        Shape::Hexagon,
        Shape::Star,
    ];

    fn code(self) -> f64 {
        Self::ALL.iter().position(|s| *s == self).unwrap_or(0) as f64
    }

    fn from_code(c: f64) -> Self {
        Self::ALL.get(c as usize).copied().unwrap_or(Shape::Circle)
    }
}

/// How a point is drawn on the map and in the legend.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Symbol {
    /// Shape.
    pub shape: Shape,
    /// Fill colour (`none` when hollow).
    pub fill: &'static str,
    /// Outline colour.
    pub stroke: &'static str,
    /// Radius in pixels.
    pub radius: f64,
    /// Outline width in pixels.
    pub weight: f64,
}

/// The symbol of a 六个一 category (and the grey hexagon of the extras).
///
/// Colours are the Okabe–Ito palette (Okabe & Ito 2008), chosen because its eight colours stay
/// apart under deuteranopia and protanopia (the red–green deficiencies of ≈ 8 % of men) and
/// tritanopia: orange, yellow, bluish green, reddish purple, vermillion and sky blue for the
/// base six, blue for stations. The pairs that do come close for some viewers (orange/vermillion
/// and yellow/orange under protanopia) never share a shape: every category has its own shape
/// (■ ▲ ◆ ✚ ▼ ●), and all have a dark outline so yellow reads on the light basemap.
pub fn category_symbol(c: Category) -> Symbol {
    let (shape, fill) = match c {
        Category::Store => (Shape::Square, "#E69F00"),
        Category::Breakfast => (Shape::Triangle, "#F0E442"),
        Category::Market => (Shape::Diamond, "#009E73"),
        Category::Repair => (Shape::Cross, "#CC79A7"),
        Category::Elderly => (Shape::TriangleDown, "#D55E00"),
        Category::Childcare => (Shape::Circle, "#56B4E9"),
        _ => (Shape::Hexagon, "#8C8C8C"),
    };
    Symbol {
        shape,
        fill,
        stroke: "#1b1f24",
        radius: 4.5,
        weight: 0.8,
    }
}

/// The symbol of a point layer other than facilities (whose symbol is per category).
pub fn kind_symbol(kind: LayerKind) -> Symbol {
    let (shape, fill, stroke, radius, weight) = match kind {
        LayerKind::Stations => (Shape::Star, "#0072B2", "#ffffff", 10.0, 1.5),
        LayerKind::Postings => (Shape::Circle, "#1b1f24", "#ffffff", 3.0, 0.8),
        LayerKind::Demand => (Shape::Circle, "#7570b3", "#7570b3", 2.2, 0.0),
        LayerKind::Candidates => (Shape::Circle, "none", "#7a1f6b", 3.5, 1.6),
        _ => (Shape::Circle, "#4a5360", "#4a5360", 3.0, 1.0),
    };
    Symbol {
        shape,
        fill,
        stroke,
        radius,
        weight,
    }
}

/// How a street of a `highway` class is drawn: (colour, width px, dash), by
/// [`highway_rank`]: trunk/primary widest, footways thin and dashed.
pub fn street_style(highway: &str) -> (&'static str, f64, Option<&'static str>) {
    match highway_rank(highway) {
        0 => ("#a9b0ba", 5.0, None),
        1 => ("#b6bcc5", 3.8, None),
        2 => ("#c3c8cf", 2.6, None),
        3 => ("#cdd1d7", 1.6, None),
        4 => ("#d3d6db", 1.1, None),
        _ => ("#c9cdd3", 0.9, Some("3 3")),
    }
}

/// Walking-time band colours (5, 10, 15 minutes), dark to light.
pub fn band_colour(minutes: f64) -> &'static str {
    if minutes <= 5.0 {
        "#08519c"
    } else if minutes <= 10.0 {
        "#3182bd"
    } else {
        "#6baed6"
    }
}

fn prop_str(feature: &JsValue, key: &str) -> Option<String> {
    let props = Reflect::get(feature, &s("properties")).ok()?;
    Reflect::get(&props, &s(key)).ok()?.as_string()
}

fn prop_f64(feature: &JsValue, key: &str) -> Option<f64> {
    let props = Reflect::get(feature, &s("properties")).ok()?;
    Reflect::get(&props, &s(key)).ok()?.as_f64()
}

fn style_for(kind: LayerKind, feature: &JsValue) -> JsValue {
    match kind {
        LayerKind::Streets => {
            let (colour, weight, dash) =
                street_style(prop_str(feature, "highway").as_deref().unwrap_or(""));
            obj(&[
                ("color", s(colour)),
                ("weight", n(weight)),
                ("opacity", n(1.0)),
                ("lineCap", s("round")),
                ("dashArray", dash.map_or(JsValue::NULL, s)),
            ])
        }
        LayerKind::Boundaries => obj(&[
            ("color", s("#4a5360")),
            ("weight", n(2.0)),
            ("dashArray", s("6 4")),
            ("fill", JsValue::FALSE),
        ]),
        LayerKind::Communities => obj(&[
            ("color", s("#6b7380")),
            ("weight", n(1.0)),
            ("fillOpacity", n(0.03)),
        ]),
        _ => obj(&[]),
    }
}

fn point_symbol(kind: LayerKind, feature: &JsValue) -> Symbol {
    match kind {
        LayerKind::Facilities => prop_str(feature, "category")
            .and_then(|c| c.parse::<Category>().ok())
            .map_or_else(|| category_symbol(Category::Housekeeping), category_symbol),
        _ => kind_symbol(kind),
    }
}

fn symbol_options(sym: Symbol, renderer: &JsValue) -> JsValue {
    obj(&[
        ("renderer", renderer.clone()),
        ("radius", n(sym.radius)),
        ("color", s(sym.stroke)),
        ("weight", n(sym.weight)),
        ("stroke", JsValue::from_bool(sym.weight > 0.0)),
        ("fill", JsValue::from_bool(sym.fill != "none")),
        ("fillColor", s(sym.fill)),
        ("fillOpacity", n(0.95)),
        ("interactive", JsValue::FALSE),
    ])
}

/// A canvas marker with the symbol's shape: a circle marker whose canvas drawing is replaced by
/// the shape's outline (`shape_fn` bound to the marker; see [`draw_shape`]).
fn shaped_marker(
    sym: Symbol,
    latlng: &JsValue,
    renderer: &JsValue,
    shape_fn: &js_sys::Function,
) -> Layer {
    let m = circle_marker(latlng, &symbol_options(sym, renderer));
    if sym.shape != Shape::Circle {
        let bound = shape_fn.bind2(&JsValue::NULL, &m, &n(sym.shape.code()));
        let _ = Reflect::set(&m, &s("_updatePath"), &bound);
    }
    m
}

fn call0(target: &JsValue, method: &str) -> Option<JsValue> {
    Reflect::get(target, &s(method))
        .ok()?
        .dyn_into::<js_sys::Function>()
        .ok()?
        .call0(target)
        .ok()
}

/// Draws a shaped marker on its canvas renderer, the way Leaflet 1.9's `Canvas._updateCircle`
/// draws a circle (same private fields: `_renderer._drawing`, `_ctx`, `_point`, `_radius`,
/// `_fillStroke`; Leaflet is pinned in package.json).
fn draw_shape(layer: &JsValue, shape: Shape) -> Option<()> {
    let r = Reflect::get(layer, &s("_renderer")).ok()?;
    if !Reflect::get(&r, &s("_drawing")).ok()?.is_truthy() || call0(layer, "_empty")?.is_truthy() {
        return None;
    }
    let ctx: web_sys::CanvasRenderingContext2d =
        Reflect::get(&r, &s("_ctx")).ok()?.dyn_into().ok()?;
    let p = Reflect::get(layer, &s("_point")).ok()?;
    let x = Reflect::get(&p, &s("x")).ok()?.as_f64()?;
    let y = Reflect::get(&p, &s("y")).ok()?.as_f64()?;
    let rad = Reflect::get(layer, &s("_radius")).ok()?.as_f64()?.max(1.0);
    ctx.begin_path();
    for (i, (ux, uy)) in shape.outline().iter().enumerate() {
        if i == 0 {
            ctx.move_to(x + ux * rad, y + uy * rad);
        } else {
            ctx.line_to(x + ux * rad, y + uy * rad);
        }
    }
    ctx.close_path();
    let fill_stroke = Reflect::get(&r, &s("_fillStroke"))
        .ok()?
        .dyn_into::<js_sys::Function>()
        .ok()?;
    fill_stroke.call2(&r, &ctx, layer).ok()?;
    Some(())
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = L, js_name = geoJSON)]
    fn geo_json(data: &JsValue, options: &JsValue) -> Layer;
    #[wasm_bindgen(js_namespace = L, js_name = circleMarker)]
    fn circle_marker(latlng: &JsValue, options: &JsValue) -> Layer;
    #[wasm_bindgen(js_namespace = L, js_name = canvas)]
    fn canvas(options: &JsValue) -> JsValue;
    #[wasm_bindgen(js_namespace = L, js_name = svg)]
    fn svg(options: &JsValue) -> JsValue;
    #[wasm_bindgen(js_namespace = L, js_name = divIcon)]
    fn div_icon(options: &JsValue) -> JsValue;
    #[wasm_bindgen(js_namespace = L, js_name = marker)]
    fn marker(latlng: &JsValue, options: &JsValue) -> Layer;
    #[wasm_bindgen(js_namespace = L, js_name = tileLayer)]
    fn tile_layer(url: &str, options: &JsValue) -> Layer;
}

impl Ctl {
    fn add_data_layer(&mut self, l: &DrawLayer) -> Option<Layer> {
        let kind = l.kind;
        // Labels and clusters: kept in Rust, drawn per view by `Deco`.
        {
            let mut d = self.deco.borrow_mut();
            match kind {
                LayerKind::Streets => {
                    let (names, anchors) = parse_streets(&l.geojson);
                    d.streets.insert(
                        l.id.clone(),
                        StreetSet {
                            names,
                            anchors,
                            visible: false,
                        },
                    );
                }
                LayerKind::Communities | LayerKind::Boundaries => {
                    let items = parse_zones(&l.geojson);
                    d.zones.insert(
                        l.id.clone(),
                        ZoneSet {
                            items,
                            visible: false,
                        },
                    );
                }
                LayerKind::Postings => {
                    let group = LayerGroup::new();
                    d.postings.insert(
                        l.id.clone(),
                        PostingSet {
                            pts: parse_points(&l.geojson),
                            group: group.clone(),
                            visible: false,
                        },
                    );
                    return Some(group.unchecked_into());
                }
                _ => {}
            }
        }
        let data = js_sys::JSON::parse(&l.geojson).ok()?;
        if kind == LayerKind::Streets {
            // Minor streets first so major ones draw on top.
            if let Ok(features) = Reflect::get(&data, &s("features")) {
                let features: js_sys::Array = features.unchecked_into();
                let mut by_rank: Vec<Vec<JsValue>> = vec![Vec::new(); 6];
                for f in features.iter() {
                    let r = highway_rank(prop_str(&f, "highway").as_deref().unwrap_or(""));
                    by_rank[5 - usize::from(r.min(5))].push(f);
                }
                let sorted: js_sys::Array = by_rank.into_iter().flatten().collect();
                let _ = Reflect::set(&data, &s("features"), &sorted);
            }
        }
        let style =
            Closure::<dyn FnMut(JsValue) -> JsValue>::new(move |f: JsValue| style_for(kind, &f));
        let renderer = self.renderer.clone();
        let shape_fn = self.shape_fn.clone();
        let point = Closure::<dyn FnMut(JsValue, JsValue) -> JsValue>::new(
            move |f: JsValue, latlng: JsValue| {
                shaped_marker(point_symbol(kind, &f), &latlng, &renderer, &shape_fn).into()
            },
        );
        let layer = geo_json(
            &data,
            &obj(&[
                ("style", style.as_ref().clone()),
                ("pointToLayer", point.as_ref().clone()),
                ("renderer", self.renderer.clone()),
                ("interactive", JsValue::FALSE),
            ]),
        );
        self.closures.push(style);
        // The two-argument closure is kept alive by the layer for as long as the page lives.
        point.forget();
        Some(layer)
    }

    fn sync_layers(&mut self, wanted: &[DrawLayer]) {
        let ids: std::collections::BTreeSet<&str> = wanted.iter().map(|l| l.id.as_str()).collect();
        let stale: Vec<String> = self
            .layers
            .iter()
            .filter(|(id, (old, _))| {
                !ids.contains(id.as_str())
                    || wanted
                        .iter()
                        .any(|w| &w.id == *id && !Rc::ptr_eq(&w.geojson, &old.geojson))
            })
            .map(|(id, _)| id.clone())
            .collect();
        for id in stale {
            if let Some((_, layer)) = self.layers.remove(&id) {
                layer.remove();
            }
            let mut d = self.deco.borrow_mut();
            d.streets.remove(&id);
            d.zones.remove(&id);
            d.postings.remove(&id);
        }
        for w in wanted {
            if !self.layers.contains_key(&w.id)
                && let Some(layer) = self.add_data_layer(w)
            {
                self.layers.insert(w.id.clone(), (w.clone(), layer));
            }
            if let Some((state, layer)) = self.layers.get_mut(&w.id) {
                let on = self.map.has_layer(layer);
                if w.visible && !on {
                    self.map.add_layer(layer);
                } else if !w.visible && on {
                    self.map.remove_layer(layer);
                }
                state.visible = w.visible;
            }
            let mut d = self.deco.borrow_mut();
            if let Some(x) = d.streets.get_mut(&w.id) {
                x.visible = w.visible;
            }
            if let Some(x) = d.zones.get_mut(&w.id) {
                x.visible = w.visible;
            }
            if let Some(x) = d.postings.get_mut(&w.id) {
                x.visible = w.visible;
            }
        }
        // Keep the drawing order: re-raise in the wanted order.
        for w in wanted {
            if let Some((_, layer)) = self.layers.get(&w.id)
                && w.visible
            {
                let _ = Reflect::get(layer, &s("bringToFront"))
                    .ok()
                    .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
                    .map(|f| f.call0(layer));
            }
        }
        if let Some(iso) = &self.iso {
            let _ = Reflect::get(iso, &s("bringToFront"))
                .ok()
                .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
                .map(|f| f.call0(iso));
        }
        self.deco.borrow().refresh();
    }

    /// Shows the configured tile source (or none). `on_event(true)` per tile loaded,
    /// `on_event(false)` per tile that failed.
    fn set_tiles(&mut self, src: Option<&TileSource>, on_event: &Rc<RefCell<Callback<bool>>>) {
        if self.tiles.as_ref().map(|t| &t.0) == src {
            return;
        }
        if let Some((_, layers, _)) = self.tiles.take() {
            for l in layers {
                l.remove();
            }
        }
        let Some(src) = src else { return };
        let load = {
            let cb = on_event.clone();
            Closure::<dyn FnMut(JsValue)>::new(move |_e: JsValue| cb.borrow().emit(true))
        };
        let error = {
            let cb = on_event.clone();
            Closure::<dyn FnMut(JsValue)>::new(move |_e: JsValue| cb.borrow().emit(false))
        };
        let mut layers = Vec::new();
        for url in std::iter::once(&src.url).chain(src.overlay_url.as_ref()) {
            let opts = obj(&[
                ("attribution", s(&escape_html(&src.attribution))),
                ("maxZoom", n(f64::from(src.max_zoom))),
                (
                    "subdomains",
                    if src.subdomains.is_empty() {
                        s("abc")
                    } else {
                        s(&src.subdomains)
                    },
                ),
            ]);
            // The annotation layer repeats the attribution only once.
            if !layers.is_empty() {
                let _ = Reflect::set(&opts, &s("attribution"), &s(""));
            }
            let layer = tile_layer(url, &opts);
            let ev: &Evented = layer.unchecked_ref();
            ev.on("tileload", load.as_ref().unchecked_ref());
            ev.on("tileerror", error.as_ref().unchecked_ref());
            self.map.add_layer(&layer);
            layers.push(layer);
        }
        self.tiles = Some((src.clone(), layers, vec![load, error]));
    }

    fn set_raster(&mut self, r: Option<&Raster>) {
        if let Some(old) = self.raster.take() {
            old.remove();
        }
        let Some(r) = r else { return };
        let [(w, south), (e, north)] = r.bounds_wgs84;
        let bounds = leaflet::LatLngBounds::new(&LatLng::new(south, w), &LatLng::new(north, e));
        let overlay = leaflet::ImageOverlay::new(&r.url, &bounds);
        let layer: Layer = overlay.unchecked_into();
        let _ = Reflect::get(&layer, &s("setOpacity"))
            .and_then(JsCast::dyn_into::<js_sys::Function>)
            .map(|f| f.call1(&layer, &n(0.75)));
        self.map.add_layer(&layer);
        if let Ok(el) = Reflect::get(&layer, &s("getElement"))
            .and_then(JsCast::dyn_into::<js_sys::Function>)
            .and_then(|f| f.call0(&layer))
            .and_then(JsCast::dyn_into::<web_sys::Element>)
        {
            el.set_id("surface-raster");
        }
        self.raster = Some(layer);
    }

    fn set_isochrone(&mut self, text: Option<&str>) {
        if let Some(old) = self.iso.take() {
            old.remove();
        }
        let Some(text) = text else { return };
        let Ok(data) = js_sys::JSON::parse(text) else {
            return;
        };
        let style = Closure::<dyn FnMut(JsValue) -> JsValue>::new(move |f: JsValue| {
            let m = prop_f64(&f, "minutes").unwrap_or(15.0);
            let estimate = prop_str(&f, "method").as_deref() == Some("straight_line_estimate");
            obj(&[
                ("color", s(band_colour(m))),
                ("weight", n(1.5)),
                ("fillColor", s(band_colour(m))),
                ("fillOpacity", n(0.22)),
                ("dashArray", if estimate { s("4 4") } else { JsValue::NULL }),
            ])
        });
        let layer = geo_json(
            &data,
            &obj(&[
                ("style", style.as_ref().clone()),
                ("interactive", JsValue::FALSE),
                // A few polygons: SVG keeps them crisp and inspectable (class `isochrone`).
                ("renderer", svg(&obj(&[]))),
                ("className", s("isochrone")),
            ]),
        );
        self.closures.push(style);
        self.map.add_layer(&layer);
        self.iso = Some(layer);
    }
}

fn count_bits(x: u8) -> u32 {
    x.count_ones()
}

fn overlay_feature_style(style: OverlayStyle, f: &JsValue) -> JsValue {
    match style {
        OverlayStyle::CoverageUnits { mask, selected } => {
            let miss = prop_f64(f, "miss_mask").unwrap_or(0.0) as u8;
            let unit = prop_f64(f, "unit").map(|u| u as usize);
            let sel = unit.is_some() && unit == selected;
            obj(&[
                ("color", s(if sel { "#0b3d91" } else { "#5b6470" })),
                ("weight", n(if sel { 4.0 } else { 0.8 })),
                ("fillColor", s(missing_colour(count_bits(miss & mask)))),
                ("fillOpacity", n(if sel { 0.55 } else { 0.38 })),
            ])
        }
        OverlayStyle::Route => obj(&[
            ("color", s("#0b3d91")),
            ("weight", n(5.0)),
            ("opacity", n(0.85)),
            ("dashArray", s("8 6")),
        ]),
        _ => obj(&[]),
    }
}

fn overlay_point(style: OverlayStyle, f: &JsValue, latlng: &JsValue, renderer: &JsValue) -> Layer {
    match style {
        OverlayStyle::CoveragePoints { mask } => {
            let miss = prop_f64(f, "miss").unwrap_or(0.0) as u8;
            let emp = Reflect::get(
                &Reflect::get(f, &s("properties")).unwrap_or(JsValue::NULL),
                &s("emp"),
            )
            .ok()
            .and_then(|v| v.as_bool())
            .unwrap_or(false);
            circle_marker(
                latlng,
                &obj(&[
                    ("renderer", renderer.clone()),
                    ("radius", n(4.0)),
                    ("color", s(if emp { "#0b3d91" } else { "#333333" })),
                    ("weight", n(if emp { 1.6 } else { 0.6 })),
                    ("fillColor", s(missing_colour(count_bits(miss & mask)))),
                    ("fillOpacity", n(0.95)),
                ]),
            )
        }
        OverlayStyle::Sites => {
            let order = prop_f64(f, "order").unwrap_or(0.0);
            let icon = div_icon(&obj(&[
                ("className", s("site-icon")),
                ("html", s(&format!("{order:.0}"))),
                ("iconSize", js_sys::Array::of2(&n(24.0), &n(24.0)).into()),
            ]));
            marker(
                latlng,
                &obj(&[("icon", icon), ("keyboard", JsValue::FALSE)]),
            )
        }
        OverlayStyle::PlaceDemand => {
            let st = prop_f64(f, "s").unwrap_or(3.0) as u8;
            circle_marker(
                latlng,
                &obj(&[
                    ("renderer", renderer.clone()),
                    ("radius", n(if st == 1 { 4.5 } else { 3.5 })),
                    // Not clickable: a click goes to the map (picking candidates on top of them).
                    ("interactive", JsValue::FALSE),
                    ("color", s(if st == 1 { "#000000" } else { "#666666" })),
                    ("weight", n(if st == 1 { 1.0 } else { 0.4 })),
                    ("fillColor", s(place_status_colour(st))),
                    ("fillOpacity", n(0.9)),
                ]),
            )
        }
        OverlayStyle::Marks { class } => {
            let label = prop_str(f, "label").unwrap_or_default();
            let icon = div_icon(&obj(&[
                ("className", s(class)),
                ("html", s(&escape_html(&label))),
                ("iconSize", js_sys::Array::of2(&n(20.0), &n(20.0)).into()),
            ]));
            marker(
                latlng,
                &obj(&[("icon", icon), ("keyboard", JsValue::FALSE)]),
            )
        }
        OverlayStyle::Hits { selected } => {
            let i = prop_f64(f, "i").map(|u| u as usize);
            let sel = i.is_some() && i == selected;
            circle_marker(
                latlng,
                &obj(&[
                    ("renderer", renderer.clone()),
                    ("radius", n(if sel { 9.0 } else { 5.0 })),
                    ("color", s("#ffffff")),
                    ("weight", n(1.5)),
                    ("fillColor", s(if sel { "#d55e00" } else { "#0072b2" })),
                    ("fillOpacity", n(0.95)),
                ]),
            )
        }
        _ => circle_marker(
            latlng,
            &obj(&[("renderer", renderer.clone()), ("radius", n(4.0))]),
        ),
    }
}

impl Ctl {
    fn sync_overlays(
        &mut self,
        wanted: &[Overlay],
        on_feature: &Rc<RefCell<Callback<(&'static str, usize)>>>,
    ) {
        let same = self.overlays.len() == wanted.len()
            && self.overlays.iter().zip(wanted).all(|((a, _), b)| {
                a.id == b.id && a.style == b.style && Rc::ptr_eq(&a.geojson, &b.geojson)
            });
        if same {
            return;
        }
        for (_, layer) in self.overlays.drain(..) {
            layer.remove();
        }
        for o in wanted {
            let Ok(data) = js_sys::JSON::parse(&o.geojson) else {
                continue;
            };
            let style = o.style;
            let style_fn = Closure::<dyn FnMut(JsValue) -> JsValue>::new(move |f: JsValue| {
                overlay_feature_style(style, &f)
            });
            let renderer = self.renderer.clone();
            let point = Closure::<dyn FnMut(JsValue, JsValue) -> JsValue>::new(
                move |f: JsValue, latlng: JsValue| {
                    overlay_point(style, &f, &latlng, &renderer).into()
                },
            );
            let id = o.id;
            let cb = on_feature.clone();
            let each =
                Closure::<dyn FnMut(JsValue, JsValue)>::new(move |f: JsValue, layer: JsValue| {
                    let key = prop_f64(&f, "unit").or_else(|| prop_f64(&f, "i"));
                    let Some(key) = key else { return };
                    let cb = cb.clone();
                    let click = Closure::<dyn FnMut(JsValue)>::new(move |e: JsValue| {
                        // Do not also pick a point on the map underneath.
                        if let Ok(orig) = Reflect::get(&e, &s("originalEvent")) {
                            let _ = Reflect::get(&orig, &s("stopPropagation"))
                                .ok()
                                .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
                                .map(|f| f.call0(&orig));
                        }
                        let _ = Reflect::get(&e, &s("target"));
                        cb.borrow().emit((id, key as usize));
                    });
                    if let Ok(on) = Reflect::get(&layer, &s("on"))
                        .and_then(JsCast::dyn_into::<js_sys::Function>)
                    {
                        let _ = on.call2(&layer, &s("click"), click.as_ref());
                    }
                    click.forget();
                });
            let layer = geo_json(
                &data,
                &obj(&[
                    ("style", style_fn.as_ref().clone()),
                    ("pointToLayer", point.as_ref().clone()),
                    ("onEachFeature", each.as_ref().clone()),
                    ("renderer", self.renderer.clone()),
                    ("bubblingMouseEvents", JsValue::FALSE),
                ]),
            );
            self.closures.push(style_fn);
            point.forget();
            each.forget();
            self.map.add_layer(&layer);
            self.overlays.push((o.clone(), layer));
        }
    }

    fn focus(&self, overlay: &str, key: usize) {
        let Some((_, layer)) = self.overlays.iter().find(|(o, _)| o.id == overlay) else {
            return;
        };
        let Ok(layers) = Reflect::get(layer, &s("getLayers"))
            .and_then(JsCast::dyn_into::<js_sys::Function>)
            .and_then(|f| f.call0(layer))
        else {
            return;
        };
        let layers: js_sys::Array = layers.unchecked_into();
        for l in layers.iter() {
            let f = Reflect::get(&l, &s("feature")).unwrap_or(JsValue::NULL);
            let k = prop_f64(&f, "unit").or_else(|| prop_f64(&f, "i"));
            if k.map(|k| k as usize) != Some(key) {
                continue;
            }
            if let Ok(b) = Reflect::get(&l, &s("getBounds"))
                .and_then(JsCast::dyn_into::<js_sys::Function>)
                .and_then(|f| f.call0(&l))
            {
                let _ = Reflect::get(&self.map, &s("fitBounds"))
                    .and_then(JsCast::dyn_into::<js_sys::Function>)
                    .map(|f| {
                        f.call2(
                            &self.map,
                            &b,
                            &obj(&[("maxZoom", n(16.0)), ("animate", JsValue::FALSE)]),
                        )
                    });
            } else if let Ok(ll) = Reflect::get(&l, &s("getLatLng"))
                .and_then(JsCast::dyn_into::<js_sys::Function>)
                .and_then(|f| f.call0(&l))
            {
                let ll: LatLng = ll.unchecked_into();
                self.map.set_view(&ll, 16.0);
            }
            return;
        }
    }
}

/// The map. Created once on mount, removed on unmount.
#[component]
pub fn MapView(props: &MapViewProps) -> Html {
    let node = use_node_ref();
    let ctl: Rc<RefCell<Option<Ctl>>> = use_mut_ref(|| None);
    // The latest pick callback, read by the Leaflet handlers.
    let on_pick = use_mut_ref(|| props.on_pick.clone());
    *on_pick.borrow_mut() = props.on_pick.clone();
    let on_feature = use_mut_ref(|| props.on_feature.clone());
    *on_feature.borrow_mut() = props.on_feature.clone();
    let on_view = use_mut_ref(|| props.on_view.clone());
    *on_view.borrow_mut() = props.on_view.clone();
    // Tiles that failed since the source was last set (shown as a message, never a silent blank).
    let tile_failed = use_reducer(TileFailures::default);
    let on_tile = {
        let tile_failed = tile_failed.clone();
        use_mut_ref(move || {
            Callback::from(move |ok: bool| {
                if !ok {
                    tile_failed.dispatch(TileAction::Failed);
                }
            })
        })
    };

    {
        let node = node.clone();
        let ctl = ctl.clone();
        let on_pick = on_pick.clone();
        let on_view = on_view.clone();
        let (lon, lat) = props.center_wgs84;
        let zoom = props.zoom;
        use_effect_with((), move |()| {
            if let Some(el) = node.cast::<HtmlElement>() {
                let opts = MapOptions::new();
                opts.set_prefer_canvas(true);
                opts.set_center(LatLng::new(lat, lon));
                opts.set_zoom(zoom);
                if let Ok(map) = Map::new_with_element(&el, &opts) {
                    el.set_tab_index(0);
                    let renderer = canvas(&obj(&[("padding", n(0.5))]));
                    for (pane, z) in [("sq-clusters", "440"), ("sq-labels", "450")] {
                        let p = map.create_pane_by_name(pane);
                        let _ = p.style().set_property("z-index", z);
                        let _ = p.style().set_property("pointer-events", "none");
                    }
                    let labels = LayerGroup::new();
                    map.add_layer(&labels);
                    let deco = Rc::new(RefCell::new(Deco {
                        map: map.clone(),
                        renderer: renderer.clone(),
                        labels,
                        streets: BTreeMap::new(),
                        zones: BTreeMap::new(),
                        postings: BTreeMap::new(),
                    }));
                    let moved = {
                        let deco = deco.clone();
                        let map = map.clone();
                        Closure::<dyn FnMut(JsValue)>::new(move |_e: JsValue| {
                            if let Ok(d) = deco.try_borrow() {
                                d.refresh();
                            }
                            let c = map.get_center();
                            on_view.borrow().emit((c.lng(), c.lat(), map.get_zoom()));
                        })
                    };
                    map.unchecked_ref::<Evented>()
                        .on("moveend", moved.as_ref().unchecked_ref());
                    let shape = Closure::<dyn FnMut(JsValue, JsValue)>::new(
                        |layer: JsValue, code: JsValue| {
                            draw_shape(&layer, Shape::from_code(code.as_f64().unwrap_or(0.0)));
                        },
                    );
                    let shape_fn: js_sys::Function =
                        shape.as_ref().unchecked_ref::<js_sys::Function>().clone();
                    // Bound into markers for as long as the page lives.
                    shape.forget();
                    let pick = on_pick.clone();
                    let click = Closure::<dyn FnMut(JsValue)>::new(move |e: JsValue| {
                        if let Ok(ll) = Reflect::get(&e, &s("latlng")) {
                            let ll: LatLng = ll.unchecked_into();
                            pick.borrow().emit((ll.lng(), ll.lat()));
                        }
                    });
                    map.unchecked_ref::<Evented>()
                        .on("click", click.as_ref().unchecked_ref());
                    let pick = on_pick.clone();
                    let map_for_key = map.clone();
                    let key = Closure::<dyn FnMut(JsValue)>::new(move |e: JsValue| {
                        let key = Reflect::get(&e, &s("key")).ok().and_then(|k| k.as_string());
                        if key.as_deref() == Some("Enter") {
                            let c = map_for_key.get_center();
                            pick.borrow().emit((c.lng(), c.lat()));
                        }
                    });
                    let _ = el
                        .add_event_listener_with_callback("keydown", key.as_ref().unchecked_ref());
                    // Printing changes the map's box (see the print rules in app.css): re-measure
                    // it before and after so the printed map is centred and fully drawn. The map
                    // lives as long as the page, so the listener is never removed.
                    let map_for_print = map.clone();
                    let print = Closure::<dyn FnMut(JsValue)>::new(move |_e: JsValue| {
                        map_for_print.invalidate_size(false);
                    })
                    .into_js_value();
                    if let Some(w) = web_sys::window() {
                        let _ = w
                            .add_event_listener_with_callback("beforeprint", print.unchecked_ref());
                        let _ =
                            w.add_event_listener_with_callback("afterprint", print.unchecked_ref());
                    }
                    *ctl.borrow_mut() = Some(Ctl {
                        map,
                        renderer,
                        layers: BTreeMap::new(),
                        home: None,
                        iso: None,
                        raster: None,
                        overlays: Vec::new(),
                        closures: Vec::new(),
                        marker_closures: vec![click, key, moved],
                        deco,
                        shape_fn,
                        tiles: None,
                    });
                }
            }
            move || {
                if let Some(c) = ctl.borrow_mut().take() {
                    c.map.remove();
                }
            }
        });
    }
    {
        let ctl = ctl.clone();
        let key = props.view_key.clone();
        let (lon, lat) = props.center_wgs84;
        let zoom = props.zoom;
        use_effect_with(key, move |_| {
            if let Some(c) = ctl.borrow().as_ref() {
                c.map.set_view(&LatLng::new(lat, lon), zoom);
            }
        });
    }
    {
        let ctl = ctl.clone();
        use_effect_with(props.layers.clone(), move |layers| {
            if let Some(c) = ctl.borrow_mut().as_mut() {
                c.sync_layers(layers);
            }
        });
    }
    {
        let ctl = ctl.clone();
        use_effect_with(props.isochrone.clone(), move |iso| {
            if let Some(c) = ctl.borrow_mut().as_mut() {
                c.set_isochrone(iso.as_deref());
            }
        });
    }
    {
        let ctl = ctl.clone();
        use_effect_with(props.raster.clone(), move |r| {
            if let Some(c) = ctl.borrow_mut().as_mut() {
                c.set_raster(r.as_deref());
            }
        });
    }
    {
        let ctl = ctl.clone();
        let on_feature = on_feature.clone();
        use_effect_with(props.overlays.clone(), move |o| {
            if let Some(c) = ctl.borrow_mut().as_mut() {
                c.sync_overlays(o, &on_feature);
            }
        });
    }
    {
        let ctl = ctl.clone();
        use_effect_with(props.focus, move |f| {
            if let (Some(c), Some((id, key, _))) = (ctl.borrow().as_ref(), f) {
                c.focus(id, *key);
            }
        });
    }
    {
        let ctl = ctl.clone();
        let on_pick = on_pick.clone();
        use_effect_with(props.home_wgs84, move |home| {
            let mut guard = ctl.borrow_mut();
            let Some(c) = guard.as_mut() else { return };
            match (home, &c.home) {
                (None, Some(m)) => {
                    m.remove();
                    c.home = None;
                }
                (Some((lon, lat)), Some(m)) => m.set_lat_lng(&LatLng::new(*lat, *lon)),
                (Some((lon, lat)), None) => {
                    let opts = MarkerOptions::new();
                    opts.set_draggable(true);
                    opts.set_keyboard(true);
                    opts.set_title("起点 / start".to_owned());
                    let m = Marker::new_with_options(&LatLng::new(*lat, *lon), &opts);
                    let pick = on_pick.clone();
                    let m2 = m.clone();
                    let drag = Closure::<dyn FnMut(JsValue)>::new(move |_e: JsValue| {
                        let ll = m2.get_lat_lng();
                        pick.borrow().emit((ll.lng(), ll.lat()));
                    });
                    m.unchecked_ref::<Evented>()
                        .on("drag", drag.as_ref().unchecked_ref());
                    c.marker_closures.push(drag);
                    c.map.add_layer(&m);
                    c.home = Some(m);
                }
                (None, None) => {}
            }
        });
    }
    {
        let ctl = ctl.clone();
        let on_tile = on_tile.clone();
        let tile_failed = tile_failed.clone();
        use_effect_with(props.tiles.clone(), move |tiles| {
            tile_failed.dispatch(TileAction::Reset);
            if let Some(c) = ctl.borrow_mut().as_mut() {
                c.set_tiles(tiles.as_ref(), &on_tile);
            }
        });
    }
    {
        let ctl = ctl.clone();
        use_effect_with(props.attribution.clone(), move |a| {
            let html = a.as_deref().map(escape_html);
            if let Some(c) = ctl.borrow().as_ref()
                && let Some(h) = &html
                && let Ok(control) = Reflect::get(&c.map, &s("attributionControl"))
                && let Ok(f) = Reflect::get(&control, &s("addAttribution"))
                    .and_then(JsCast::dyn_into::<js_sys::Function>)
            {
                let _ = f.call1(&control, &s(h));
            }
            let ctl = ctl.clone();
            move || {
                if let (Some(c), Some(h)) = (ctl.borrow().as_ref(), html)
                    && let Ok(control) = Reflect::get(&c.map, &s("attributionControl"))
                    && let Ok(f) = Reflect::get(&control, &s("removeAttribution"))
                        .and_then(JsCast::dyn_into::<js_sys::Function>)
                {
                    let _ = f.call1(&control, &s(&h));
                }
            }
        });
    }
    let t = props.lang.map();
    let note = props
        .tiles
        .as_ref()
        .map(|t| t.note.trim())
        .filter(|n| !n.is_empty());
    html! {
        <>
            <div class="map" id="map" ref={node} aria-label={props.label.clone()} role="region"></div>
            if tile_failed.0 > 0 {
                <div class="sq-tile-error" id="tile-error" role="alert">
                    { format!("{} {}", t.tiles_failed, tile_failed.0) }<br />{ t.tiles_failed_help }
                </div>
            }
            if let Some(note) = note {
                <div class="sq-map-note" id="map-note">{ note }</div>
            }
        </>
    }
}

#[derive(Default, PartialEq)]
struct TileFailures(u32);

enum TileAction {
    Failed,
    Reset,
}

impl Reducible for TileFailures {
    type Action = TileAction;
    fn reduce(self: Rc<Self>, a: TileAction) -> Rc<Self> {
        match a {
            TileAction::Failed => Rc::new(TileFailures(self.0 + 1)),
            TileAction::Reset if self.0 == 0 => self,
            TileAction::Reset => Rc::new(TileFailures(0)),
        }
    }
}

/// Why the map could not be exported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExportError {
    /// Tiles from another origin without CORS made the canvas unreadable.
    Tainted,
    /// Anything else (no map on the page, the browser refused).
    Other(String),
}

fn js_err(e: &JsValue) -> String {
    e.as_string()
        .or_else(|| {
            Reflect::get(e, &s("message"))
                .ok()
                .and_then(|m| m.as_string())
        })
        .unwrap_or_else(|| format!("{e:?}"))
}

/// Waits until an image has loaded (or failed).
async fn loaded(img: &web_sys::HtmlImageElement) -> Result<(), JsValue> {
    let p = js_sys::Promise::new(&mut |resolve, reject| {
        img.set_onload(Some(&resolve));
        img.set_onerror(Some(&reject));
    });
    wasm_bindgen_futures::JsFuture::from(p).await.map(|_| ())
}

fn rel_rect(el: &web_sys::Element, origin: &web_sys::DomRect) -> (f64, f64, f64, f64) {
    let r = el.get_bounding_client_rect();
    (
        r.x() - origin.x(),
        r.y() - origin.y(),
        r.width(),
        r.height(),
    )
}

fn select_all(root: &web_sys::Element, sel: &str) -> Vec<web_sys::Element> {
    let Ok(list) = root.query_selector_all(sel) else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<web_sys::Element>().ok())
        .collect()
}

fn computed(el: &web_sys::Element, prop: &str) -> Option<String> {
    web_sys::window()?
        .get_computed_style(el)
        .ok()??
        .get_property_value(prop)
        .ok()
}

/// Composites the map as shown — tiles (if any), the canvas layers, the SVG overlay pane,
/// marker images, posting clusters, labels and the attribution — into one canvas and
/// downloads it as `shuangquan-map.png` through a Blob URL. `map` is the Leaflet container
/// (`#map`). Tiles from another origin may taint the canvas: that is reported as
/// [`ExportError::Tainted`], never a silent failure.
#[allow(clippy::many_single_char_names)]
pub async fn export_png(map: &web_sys::Element) -> Result<(), ExportError> {
    let other = |e: &JsValue| ExportError::Other(js_err(e));
    let win = web_sys::window().ok_or_else(|| ExportError::Other("no window".into()))?;
    let doc = win
        .document()
        .ok_or_else(|| ExportError::Other("no document".into()))?;
    let origin = map.get_bounding_client_rect();
    let (w, h) = (origin.width(), origin.height());
    if w < 1.0 || h < 1.0 {
        return Err(ExportError::Other("the map has no size".into()));
    }
    let dpr = win.device_pixel_ratio().max(1.0);
    let canvas: web_sys::HtmlCanvasElement = doc
        .create_element("canvas")
        .map_err(|e| other(&e))?
        .unchecked_into();
    canvas.set_width((w * dpr).round() as u32);
    canvas.set_height((h * dpr).round() as u32);
    let ctx: web_sys::CanvasRenderingContext2d = canvas
        .get_context("2d")
        .map_err(|e| other(&e))?
        .ok_or_else(|| ExportError::Other("no 2d context".into()))?
        .unchecked_into();
    ctx.scale(dpr, dpr).map_err(|e| other(&e))?;
    ctx.set_fill_style_str(&computed(map, "background-color").unwrap_or_else(|| "#f4f2ee".into()));
    ctx.fill_rect(0.0, 0.0, w, h);

    // Tiles.
    for el in select_all(map, ".leaflet-tile-pane img.leaflet-tile-loaded") {
        let (x, y, tw, th) = rel_rect(&el, &origin);
        let img: web_sys::HtmlImageElement = el.unchecked_into();
        let _ = ctx.draw_image_with_html_image_element_and_dw_and_dh(&img, x, y, tw, th);
    }
    // Canvas renderers and SVG renderers of the overlay pane, in drawing order.
    for el in select_all(
        map,
        ".leaflet-overlay-pane > canvas, .leaflet-overlay-pane > svg",
    ) {
        let (x, y, cw, ch) = rel_rect(&el, &origin);
        if el.tag_name().eq_ignore_ascii_case("canvas") {
            let c: web_sys::HtmlCanvasElement = el.unchecked_into();
            let _ = ctx.draw_image_with_html_canvas_element_and_dw_and_dh(&c, x, y, cw, ch);
            continue;
        }
        let text = web_sys::XmlSerializer::new()
            .and_then(|ser| ser.serialize_to_string(&el))
            .map_err(|e| other(&e))?;
        let bag = web_sys::BlobPropertyBag::new();
        bag.set_type("image/svg+xml");
        let blob = web_sys::Blob::new_with_str_sequence_and_options(
            &js_sys::Array::of1(&JsValue::from_str(&text)),
            &bag,
        )
        .map_err(|e| other(&e))?;
        let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|e| other(&e))?;
        let img = web_sys::HtmlImageElement::new().map_err(|e| other(&e))?;
        img.set_src(&url);
        let ok = loaded(&img).await;
        let _ = web_sys::Url::revoke_object_url(&url);
        if ok.is_ok() {
            let _ = ctx.draw_image_with_html_image_element_and_dw_and_dh(&img, x, y, cw, ch);
        }
    }
    // Posting clusters.
    ctx.set_text_align("center");
    ctx.set_text_baseline("middle");
    for el in select_all(map, ".sq-cluster") {
        let (x, y, cw, ch) = rel_rect(&el, &origin);
        let (cx, cy, r) = (x + cw / 2.0, y + ch / 2.0, cw.min(ch) / 2.0);
        ctx.begin_path();
        let _ = ctx.arc(cx, cy, r, 0.0, std::f64::consts::TAU);
        ctx.set_fill_style_str(
            &computed(&el, "background-color").unwrap_or_else(|| "#1b1f24".into()),
        );
        ctx.fill();
        ctx.set_stroke_style_str("#ffffff");
        ctx.set_line_width(2.0);
        ctx.stroke();
        ctx.set_fill_style_str(&computed(&el, "color").unwrap_or_else(|| "#ffffff".into()));
        ctx.set_font("bold 12px sans-serif");
        let _ = ctx.fill_text(&el.text_content().unwrap_or_default(), cx, cy);
    }
    // Marker images (the chosen point) and numbered site markers.
    for el in select_all(map, ".leaflet-marker-pane > *") {
        let (x, y, mw, mh) = rel_rect(&el, &origin);
        if el.tag_name().eq_ignore_ascii_case("img") {
            let img: web_sys::HtmlImageElement = el.unchecked_into();
            let _ = ctx.draw_image_with_html_image_element_and_dw_and_dh(&img, x, y, mw, mh);
        } else {
            let (cx, cy) = (x + mw / 2.0, y + mh / 2.0);
            ctx.begin_path();
            let _ = ctx.arc(cx, cy, mw.min(mh) / 2.0, 0.0, std::f64::consts::TAU);
            ctx.set_fill_style_str(
                &computed(&el, "background-color").unwrap_or_else(|| "#0b3d91".into()),
            );
            ctx.fill();
            ctx.set_fill_style_str(&computed(&el, "color").unwrap_or_else(|| "#ffffff".into()));
            ctx.set_font("bold 12px sans-serif");
            let _ = ctx.fill_text(&el.text_content().unwrap_or_default(), cx, cy);
        }
    }
    // Labels, with a white halo.
    for el in select_all(map, ".sq-label-text") {
        let (x, y, lw, lh) = rel_rect(&el, &origin);
        let angle: f64 = el
            .get_attribute("data-angle")
            .and_then(|a| a.parse().ok())
            .unwrap_or(0.0);
        let zone = el
            .parent_element()
            .is_some_and(|p| p.class_name().contains("sq-zone-label"));
        ctx.save();
        let _ = ctx.translate(x + lw / 2.0, y + lh / 2.0);
        let _ = ctx.rotate(angle.to_radians());
        ctx.set_font(if zone {
            "bold 13px sans-serif"
        } else {
            "12px sans-serif"
        });
        ctx.set_line_width(3.0);
        ctx.set_stroke_style_str("rgba(255,255,255,0.9)");
        let text = el.text_content().unwrap_or_default();
        let _ = ctx.stroke_text(&text, 0.0, 0.0);
        ctx.set_fill_style_str(if zone { "#3b2f5c" } else { "#3d434b" });
        let _ = ctx.fill_text(&text, 0.0, 0.0);
        ctx.restore();
    }
    // Attribution, bottom right.
    let attribution: String = select_all(map, ".leaflet-control-attribution")
        .first()
        .and_then(|a| a.dyn_ref::<HtmlElement>().map(HtmlElement::inner_text))
        .unwrap_or_default();
    if !attribution.trim().is_empty() {
        ctx.set_font("11px sans-serif");
        ctx.set_text_align("right");
        ctx.set_text_baseline("bottom");
        ctx.set_line_width(3.0);
        ctx.set_stroke_style_str("rgba(255,255,255,0.9)");
        let _ = ctx.stroke_text(attribution.trim(), w - 6.0, h - 4.0);
        ctx.set_fill_style_str("#333333");
        let _ = ctx.fill_text(attribution.trim(), w - 6.0, h - 4.0);
    }

    // Encode and download. A tainted canvas throws a SecurityError here.
    let canvas2 = canvas.clone();
    let p = js_sys::Promise::new(&mut |resolve, reject| {
        let cb = Closure::once_into_js(move |blob: JsValue| {
            let _ = resolve.call1(&JsValue::NULL, &blob);
        });
        if let Err(e) = canvas2.to_blob_with_type(cb.unchecked_ref(), "image/png") {
            let _ = reject.call1(&JsValue::NULL, &e);
        }
    });
    let blob = match wasm_bindgen_futures::JsFuture::from(p).await {
        Ok(b) if !b.is_null() => b,
        Ok(_) => return Err(ExportError::Other("the browser made no PNG".into())),
        Err(e) => {
            let name = Reflect::get(&e, &s("name"))
                .ok()
                .and_then(|n| n.as_string());
            return Err(if name.as_deref() == Some("SecurityError") {
                ExportError::Tainted
            } else {
                other(&e)
            });
        }
    };
    let blob: web_sys::Blob = blob.unchecked_into();
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|e| other(&e))?;
    let a: web_sys::HtmlAnchorElement = doc
        .create_element("a")
        .map_err(|e| other(&e))?
        .unchecked_into();
    a.set_href(&url);
    a.set_download("shuangquan-map.png");
    if let Some(body) = doc.body() {
        let _ = body.append_child(&a);
        a.click();
        let _ = body.remove_child(&a);
    }
    // Revoke once the download has started.
    let revoke = Closure::once_into_js(move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    let _ =
        win.set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), 10_000);
    Ok(())
}
