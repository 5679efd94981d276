//! Layers drawn from tiles the worker cuts on demand ([`crate::plan::tile`]): a Leaflet
//! `L.GridLayer` (public API: the documented asynchronous `createTile(coords, done)`) whose
//! tiles are canvases of our own. Each tile is asked of the worker by the engine
//! ([`crate::web::engine::EngineHandle::tile`]), arrives as bytes and is drawn once; a pan
//! then only moves tile canvases that are already drawn, and Leaflet keeps and drops them.
//!
//! A streets tile says which classes it holds; when a tile on the map left minor classes out,
//! the map says so (`on_detail`, the same note as [`super::lines`]).
//!
//! Cost per tile: O(v) for its v vertices, once; nothing per frame.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use js_sys::Reflect;
use leaflet::{Evented, Layer};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};
use yew::Callback;

use super::leaflet::{document, n, obj, s};
use super::symbols::street_style_of_rank;
use crate::plan::tile::lines::LineTile;
use crate::plan::tile::wire::lines_from_bytes;
use crate::plan::tile::{EXTENT, TILE_PX, TileKey, TileLayer};
use crate::web::engine::EngineHandle;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = L, js_name = gridLayer)]
    fn grid_layer(options: &JsValue) -> Layer;
}

/// `createTile(coords, done)`.
type CreateFn = Closure<dyn FnMut(JsValue, JsValue) -> JsValue>;

/// What the layer's tiles told: lines left out per tile on the map (`z/x/y`).
#[derive(Default)]
struct Told {
    left_out: BTreeMap<String, u32>,
}

/// A grid layer of worker-cut tiles; dropping it drops its closures (remove it from the map
/// first: the owner does, see `sync`).
pub(super) struct TileGrid {
    layer: Layer,
    _create: CreateFn,
    _unload: Closure<dyn FnMut(JsValue)>,
}

impl TileGrid {
    /// The streets of `import` (`None`: the package's) as tiles in the pane `pane`;
    /// `on_detail(true)` while a tile on the map leaves minor classes out.
    pub(super) fn streets(
        engine: EngineHandle,
        import: Option<u32>,
        pane: &'static str,
        on_detail: Callback<bool>,
    ) -> Self {
        let layer = grid_layer(&obj(&[
            ("pane", s(pane)),
            ("tileSize", n(TILE_PX)),
            ("noWrap", JsValue::TRUE),
            ("keepBuffer", n(2.0)),
            ("className", s("sq-tiles sq-street-tiles")),
        ]));
        let told = Rc::new(RefCell::new(Told::default()));
        let dpr = web_sys::window().map_or(1.0, |w| w.device_pixel_ratio().max(1.0));
        let create = {
            let (engine, told, on_detail) = (engine.clone(), told.clone(), on_detail.clone());
            CreateFn::new(move |coords: JsValue, done: JsValue| {
                let Some(canvas) = new_canvas(dpr) else {
                    return JsValue::NULL;
                };
                let at = |k: &str| Reflect::get(&coords, &s(k)).ok().and_then(|v| v.as_f64());
                let key = match (at("z"), at("x"), at("y")) {
                    (Some(z), Some(x), Some(y)) if z >= 0.0 && x >= 0.0 && y >= 0.0 => {
                        TileKey::new(z as u8, x as u32, y as u32)
                    }
                    _ => None,
                };
                let done: Option<js_sys::Function> = done.dyn_into().ok();
                let Some(key) = key else {
                    if let Some(d) = &done {
                        let _ = d.call2(&JsValue::NULL, &JsValue::NULL, &canvas);
                    }
                    return canvas.into();
                };
                let name = format!("{}/{}/{}", key.z, key.x, key.y);
                let _ = canvas.set_attribute("data-tile", &name);
                let drawn = {
                    let (canvas, told, on_detail) =
                        (canvas.clone(), told.clone(), on_detail.clone());
                    Box::new(move |bytes: Vec<u8>| {
                        let tile = lines_from_bytes(&bytes).unwrap_or_default();
                        draw_lines(&canvas, &tile, key.z, dpr);
                        let _ = canvas.set_attribute("data-pieces", &tile.len().to_string());
                        let _ = canvas.set_attribute("data-left-out", &tile.left_out.to_string());
                        let hidden = {
                            let mut t = told.borrow_mut();
                            t.left_out.insert(name, tile.left_out);
                            t.left_out.values().any(|&v| v > 0)
                        };
                        on_detail.emit(hidden);
                        if let Some(d) = &done {
                            let _ = d.call2(&JsValue::NULL, &JsValue::NULL, &canvas);
                        }
                    })
                };
                let seq = engine.tile(TileLayer::Streets, import, key, drawn);
                let _ = canvas.set_attribute("data-seq", &seq.to_string());
                canvas.into()
            })
        };
        let unload = Closure::<dyn FnMut(JsValue)>::new(move |e: JsValue| {
            let Ok(tile) = Reflect::get(&e, &s("tile")) else {
                return;
            };
            let Some(el) = tile.dyn_ref::<web_sys::Element>() else {
                return;
            };
            if let Some(seq) = el.get_attribute("data-seq").and_then(|v| v.parse().ok()) {
                engine.forget_tile(seq);
            }
            if let Some(name) = el.get_attribute("data-tile") {
                let hidden = {
                    let mut t = told.borrow_mut();
                    t.left_out.remove(&name);
                    t.left_out.values().any(|&v| v > 0)
                };
                on_detail.emit(hidden);
            }
        });
        let _ = Reflect::set(&layer, &s("createTile"), create.as_ref());
        layer
            .unchecked_ref::<Evented>()
            .on("tileunload", unload.as_ref().unchecked_ref());
        Self {
            layer,
            _create: create,
            _unload: unload,
        }
    }

    /// The Leaflet layer (add it to the map or a group).
    pub(super) fn layer(&self) -> &Layer {
        &self.layer
    }
}

fn new_canvas(dpr: f64) -> Option<HtmlCanvasElement> {
    let canvas: HtmlCanvasElement = document()?.create_element("canvas").ok()?.dyn_into().ok()?;
    let side = (TILE_PX * dpr).round() as u32;
    canvas.set_width(side);
    canvas.set_height(side);
    // `sq-lines`: the streets' canvases, as the single-canvas layer's (tests count their pixels).
    let _ = canvas.set_attribute("class", "sq-lines sq-tile");
    Some(canvas)
}

/// Line width factor at zoom `z`: full from zoom 15, thinner below (a whole city is not a
/// grey mass).
fn width_at(z: u8) -> f64 {
    0.5f64
        .powf(f64::from(15u8.saturating_sub(z)) / 3.0)
        .max(0.35)
}

fn draw_lines(canvas: &HtmlCanvasElement, tile: &LineTile, zoom: u8, dpr: f64) {
    let Some(ctx) = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into::<CanvasRenderingContext2d>().ok())
    else {
        return;
    };
    let _ = ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0);
    ctx.set_line_cap("round");
    ctx.set_line_join("round");
    let unit = TILE_PX / EXTENT;
    let thin = width_at(zoom);
    let mut i = 0;
    // Pieces come minor classes first: one path per run of a class.
    while i < tile.len() {
        let class = tile.class[i];
        let (colour, width, dash) = street_style_of_rank(class);
        ctx.set_stroke_style_str(colour);
        ctx.set_line_width(width * thin);
        let dashes = js_sys::Array::new();
        if let Some(d) = dash {
            for part in d.split_whitespace().filter_map(|p| p.parse::<f64>().ok()) {
                dashes.push(&JsValue::from_f64(part));
            }
        }
        let _ = ctx.set_line_dash(&dashes);
        ctx.begin_path();
        while i < tile.len() && tile.class[i] == class {
            let mut pts = tile.piece(i).chunks_exact(2);
            if let Some(p) = pts.next() {
                ctx.move_to(f64::from(p[0]) * unit, f64::from(p[1]) * unit);
                for p in pts {
                    ctx.line_to(f64::from(p[0]) * unit, f64::from(p[1]) * unit);
                }
            }
            i += 1;
        }
        ctx.stroke();
    }
}
