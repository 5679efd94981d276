//! The accessibility surface as a raster on the map: one pixel per cell (north up), coloured by
//! the chosen layer on a colour-blind-safe sequential ramp (viridis stops, dark = far / few),
//! cells off the network fully transparent (blank, never a colour for zero). The pixels are
//! written into an `ImageData`, turned into a PNG data URL by a canvas the page owns, and drawn
//! with Leaflet's public `L.imageOverlay` over the grid's WGS-84 bounds, in a pane of its own
//! above the data and analysis layers and below the labels (clicks pass through it to the
//! features under it). Also the layer's legend classes (shared with the panel's legend).
//!
//! Cost: O(cells) to colour; the PNG encoding is the browser's.

use js_sys::Reflect;
use leaflet::{LatLng, LatLngBounds, Layer, Map};
use wasm_bindgen::JsCast;

use super::leaflet::{call0, n, obj, s};
use crate::plan::access::Surface;
use crate::web::state::access::SurfaceLayer;

/// Sequential ramp, colour-blind safe (viridis stops), dark = far / few.
const RAMP: [[u8; 3]; 7] = [
    [0x44, 0x01, 0x54],
    [0x44, 0x39, 0x83],
    [0x31, 0x68, 0x8e],
    [0x21, 0x91, 0x8c],
    [0x35, 0xb7, 0x79],
    [0x90, 0xd7, 0x43],
    [0xfd, 0xe7, 0x25],
];

/// Grey for cells on the network with nothing of the target within the search.
const BEYOND: [u8; 3] = [0xbd, 0xbd, 0xbd];

/// Upper bounds of the minute classes (the last class is everything above 30).
const MINUTE_BREAKS: [f64; 5] = [5.0, 10.0, 15.0, 20.0, 30.0];

/// Upper bounds of the gravity classes (the first class is exactly 0).
const GRAVITY_BREAKS: [f64; 6] = [0.0, 1.0, 3.0, 6.0, 10.0, 20.0];

/// The colour of a cell on the network (None: the cell is blank).
pub fn cell_colour(s: &Surface, layer: SurfaceLayer, k: usize) -> Option<[u8; 3]> {
    if !s.on_network.get(k).copied().unwrap_or(false) {
        return None;
    }
    Some(match layer {
        SurfaceLayer::Within => RAMP[usize::from(s.within[k].min(6))],
        SurfaceLayer::Minutes(t) => match s.seconds.get(t).and_then(|_| s.minutes(t, k)) {
            None => BEYOND,
            Some(m) => {
                let class = MINUTE_BREAKS.iter().filter(|b| m > **b).count();
                RAMP[6 - class]
            }
        },
        SurfaceLayer::Gravity => {
            let g = f64::from(s.gravity[k]);
            RAMP[GRAVITY_BREAKS.iter().filter(|b| g > **b).count()]
        }
    })
}

/// The layer's pixels, RGBA, `cols × rows`, north row first; blank cells transparent.
pub fn surface_rgba(s: &Surface, layer: SurfaceLayer) -> Vec<u8> {
    let (cols, rows) = (s.cols as usize, s.rows as usize);
    let mut px = vec![0u8; cols * rows * 4];
    for k in 0..s.len() {
        if let Some([r, g, b]) = cell_colour(s, layer, k) {
            let (c, row) = (k % cols, k / cols);
            let at = ((rows - 1 - row) * cols + c) * 4;
            px[at..at + 4].copy_from_slice(&[r, g, b, 255]);
        }
    }
    px
}

fn hex([r, g, b]: [u8; 3]) -> String {
    format!("#{r:02x}{g:02x}{b:02x}")
}

/// One legend class: its colour and its label (numbers; the panel adds the words).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegendClass {
    /// CSS colour.
    pub colour: String,
    /// The class's values.
    pub label: String,
    /// The grey class of "nothing within the search".
    pub beyond: bool,
}

/// The legend classes of a layer, in drawing order.
pub fn legend_classes(layer: SurfaceLayer) -> Vec<LegendClass> {
    let class = |c: [u8; 3], label: String| LegendClass {
        colour: hex(c),
        label,
        beyond: false,
    };
    match layer {
        SurfaceLayer::Within => (0..=6u8)
            .map(|k| class(RAMP[usize::from(k)], k.to_string()))
            .collect(),
        SurfaceLayer::Minutes(_) => {
            let mut v: Vec<LegendClass> = ["≤ 5", "5–10", "10–15", "15–20", "20–30", "> 30"]
                .iter()
                .enumerate()
                .map(|(i, l)| class(RAMP[6 - i], (*l).to_owned()))
                .collect();
            v.push(LegendClass {
                colour: hex(BEYOND),
                label: String::new(),
                beyond: true,
            });
            v
        }
        SurfaceLayer::Gravity => ["0", "0–1", "1–3", "3–6", "6–10", "10–20", "> 20"]
            .iter()
            .enumerate()
            .map(|(i, l)| class(RAMP[i], (*l).to_owned()))
            .collect(),
    }
}

/// A raster drawn over the data layers: an image URL stretched over WGS-84 bounds.
#[derive(Debug, Clone, PartialEq)]
pub struct Raster {
    /// The image (a PNG data URL).
    pub url: String,
    /// South-west and north-east corners, `(lon, lat)`.
    pub bounds_wgs84: [(f64, f64); 2],
}

/// The surface's layer as a PNG data URL (None: no canvas, or an empty grid).
pub fn surface_png(s: &Surface, layer: SurfaceLayer) -> Option<String> {
    if s.is_empty() {
        return None;
    }
    let px = surface_rgba(s, layer);
    let doc = web_sys::window()?.document()?;
    let canvas: web_sys::HtmlCanvasElement = doc.create_element("canvas").ok()?.dyn_into().ok()?;
    canvas.set_width(s.cols);
    canvas.set_height(s.rows);
    let ctx: web_sys::CanvasRenderingContext2d = canvas.get_context("2d").ok()??.dyn_into().ok()?;
    let img = web_sys::ImageData::new_with_u8_clamped_array_and_sh(
        wasm_bindgen::Clamped(&px),
        s.cols,
        s.rows,
    )
    .ok()?;
    ctx.put_image_data(&img, 0.0, 0.0).ok()?;
    canvas.to_data_url().ok()
}

/// The raster's pane: above the overlay pane's canvas (400), below the clusters and labels.
const PANE: &str = "sq-surface";

/// The raster's pane, created on first use.
fn ensure_pane(map: &Map) {
    if wasm_bindgen::JsValue::from(map.get_pane_by_name(PANE)).is_undefined() {
        let p = map.create_pane_by_name(PANE);
        let _ = p.style().set_property("z-index", "430");
        let _ = p.style().set_property("pointer-events", "none");
    }
}

/// Replaces the raster on `map` (`old` is removed; None draws nothing). The image element gets
/// the id `surface-raster` and crisp pixels; the layer is not interactive (clicks reach the map).
pub fn set_raster(map: &Map, old: &mut Option<Layer>, r: Option<&Raster>) {
    if let Some(l) = old.take() {
        l.remove();
    }
    let Some(r) = r else { return };
    let [(w, south), (e, north)] = r.bounds_wgs84;
    let bounds = LatLngBounds::new(&LatLng::new(south, w), &LatLng::new(north, e));
    ensure_pane(map);
    let layer: Layer = image_overlay(
        &r.url,
        &bounds,
        &obj(&[
            ("pane", s(PANE)),
            ("opacity", n(0.8)),
            ("interactive", wasm_bindgen::JsValue::FALSE),
            ("className", s("surface-raster")),
        ]),
    );
    map.add_layer(&layer);
    if let Some(el) =
        call0(&layer, "getElement").and_then(|e| e.dyn_into::<web_sys::Element>().ok())
    {
        el.set_id("surface-raster");
        let _ = Reflect::set(&el, &s("alt"), &s(""));
    }
    *old = Some(layer);
}

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = L, js_name = imageOverlay)]
    fn image_overlay(url: &str, bounds: &LatLngBounds, options: &wasm_bindgen::JsValue) -> Layer;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::access::{SurfaceParams, Target};
    use crate::plan::geom::{LocalProjection, LonLat, Xy};

    /// A 3 × 2 grid: cell 4 off the network, cell 1 beyond the station's search.
    fn grid() -> Surface {
        Surface {
            params: SurfaceParams::default(),
            proj: LocalProjection::new(LonLat::new(121.47, 31.23)),
            origin_xy: Xy { x: 0.0, y: 0.0 },
            cols: 3,
            rows: 2,
            targets: vec![Target::Station],
            seconds: vec![vec![60.0, f32::NAN, 900.0, 1900.0, f32::NAN, 301.0]],
            on_network: vec![true, true, true, true, false, true],
            within: vec![6, 0, 3, 1, 0, 2],
            gravity: vec![25.0, 0.0, 2.0, 0.5, f32::NAN, 7.0],
            compounds: crate::plan::graph::Compounds::Closed,
        }
    }

    #[test]
    fn blank_cells_are_transparent_and_rows_run_north_first() {
        let s = grid();
        let px = surface_rgba(&s, SurfaceLayer::Within);
        assert_eq!(px.len(), 3 * 2 * 4);
        // Image rows run north first: cells 3–5 (the northern grid row) are image row 0.
        let at = |c: usize, r: usize| &px[(r * 3 + c) * 4..(r * 3 + c) * 4 + 4];
        // Cell 4 (column 1, northern row) is off the network.
        assert_eq!(at(1, 0)[3], 0, "off the network: transparent");
        let opaque = px.chunks(4).filter(|p| p[3] == 255).count();
        assert_eq!(opaque, 5, "every other cell is drawn");
        // Cell 0 (column 0, southern row, 6 within) is the brightest class, opaque.
        assert_eq!(at(0, 1), &[0xfd, 0xe7, 0x25, 255]);
        // Cell 3 (column 0, northern row) is the first pixel.
        assert_eq!(at(0, 0), &[RAMP[1][0], RAMP[1][1], RAMP[1][2], 255]);
    }

    #[test]
    fn minutes_and_gravity_classes_follow_the_legend() {
        let s = grid();
        let colour = |layer, k| cell_colour(&s, layer, k).map(hex);
        let legend = legend_classes(SurfaceLayer::Minutes(0));
        // 1 min → "≤ 5", 15 min → "10–15", 31.7 min → "> 30", 5.02 min → "5–10", none → grey.
        let class_of = |label: &str| {
            legend
                .iter()
                .find(|c| c.label == label)
                .map(|c| c.colour.clone())
        };
        assert_eq!(colour(SurfaceLayer::Minutes(0), 0), class_of("≤ 5"));
        assert_eq!(colour(SurfaceLayer::Minutes(0), 2), class_of("10–15"));
        assert_eq!(colour(SurfaceLayer::Minutes(0), 3), class_of("> 30"));
        assert_eq!(colour(SurfaceLayer::Minutes(0), 5), class_of("5–10"));
        assert_eq!(colour(SurfaceLayer::Minutes(0), 1), Some(hex(BEYOND)));
        assert!(legend.last().is_some_and(|c| c.beyond));
        assert_eq!(colour(SurfaceLayer::Minutes(0), 4), None);
        let g = legend_classes(SurfaceLayer::Gravity);
        let gclass = |label: &str| {
            g.iter()
                .find(|c| c.label == label)
                .map(|c| c.colour.clone())
        };
        assert_eq!(colour(SurfaceLayer::Gravity, 0), gclass("> 20"));
        assert_eq!(colour(SurfaceLayer::Gravity, 1), gclass("0"));
        assert_eq!(colour(SurfaceLayer::Gravity, 3), gclass("0–1"));
        assert_eq!(colour(SurfaceLayer::Gravity, 5), gclass("6–10"));
        // A target the surface does not have draws as "beyond", never out of bounds.
        assert_eq!(colour(SurfaceLayer::Minutes(9), 0), Some(hex(BEYOND)));
    }
}
