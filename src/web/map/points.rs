//! A layer of point symbols drawn on a canvas of its own, through Leaflet's public layer API
//! only: a plain `L.Layer` whose documented `onAdd` / `onRemove` hooks put a `<canvas>` into a
//! pane and follow the map's `zoomstart` / `moveend` / `zoomend` / `resize` events.
//!
//! Why a layer of our own rather than Leaflet's canvas renderer: the renderer draws circles
//! only, and drawing the category shapes through it meant replacing its private methods
//! (`_updatePath`, `_ctx`, `_fillStroke`), which an update of Leaflet breaks silently. Here
//! each symbol is drawn once into a small sprite and stamped with one `drawImage` per point, so
//! tens of thousands of points redraw in a few milliseconds and no Leaflet object exists per
//! point.
//!
//! Positions are Web-Mercator pixels (the map's CRS, `EPSG:3857`; [`world_px`]) computed in Rust
//! relative to the map's centre, whose container position is asked from Leaflet once per redraw. Cost per redraw: O(n) for n
//! points, O(s) sprites for s distinct symbols.

use std::cell::RefCell;
use std::f64::consts::TAU;
use std::rc::Rc;

use js_sys::Reflect;
use leaflet::{Evented, Layer, Map};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

use super::leaflet::{document, s};
use super::symbols::{Shape, Symbol};
use crate::plan::cluster::world_px;

/// Extra canvas around the view on each side, as a share of its size, so a short pan shows
/// drawn points before the redraw at `moveend` (as Leaflet's own renderer pads).
const PADDING: f64 = 0.5;

/// One point: WGS-84 position and the index of its symbol.
#[derive(Debug, Clone, Copy)]
pub(super) struct Pt {
    /// Longitude.
    pub lon: f64,
    /// Latitude.
    pub lat: f64,
    /// Index into the layer's symbols.
    pub sym: u16,
}

/// Collects points and their distinct symbols.
#[derive(Debug, Default)]
pub(super) struct PointsBuilder {
    pts: Vec<Pt>,
    syms: Vec<Symbol>,
}

impl PointsBuilder {
    /// Adds one point drawn with `sym`.
    pub(super) fn push(&mut self, lon: f64, lat: f64, sym: Symbol) {
        if !(lon.is_finite() && lat.is_finite()) {
            return;
        }
        let k = self.syms.iter().position(|s| *s == sym).unwrap_or_else(|| {
            self.syms.push(sym);
            self.syms.len() - 1
        });
        if let Ok(k) = u16::try_from(k) {
            self.pts.push(Pt { lon, lat, sym: k });
        }
    }

    /// Number of points.
    pub(super) fn len(&self) -> usize {
        self.pts.len()
    }
}

struct State {
    pane: &'static str,
    canvas: Option<HtmlCanvasElement>,
    map: Option<Map>,
    pts: Vec<Pt>,
    syms: Vec<Symbol>,
    /// Sprites per symbol, drawn at `sprite_dpr`.
    sprites: Vec<Option<HtmlCanvasElement>>,
    sprite_dpr: f64,
}

/// A point layer on its own canvas. Dropping it drops its closures: remove it from the map
/// first (the owner does, see `sync`).
pub(super) struct PointLayer {
    layer: Layer,
    state: Rc<RefCell<State>>,
    _hooks: Vec<Closure<dyn FnMut(JsValue)>>,
}

impl PointLayer {
    /// A layer drawing `points` into the pane named `pane` (created by the map component).
    pub(super) fn new(points: PointsBuilder, pane: &'static str) -> Option<Self> {
        let state = Rc::new(RefCell::new(State {
            pane,
            canvas: None,
            map: None,
            sprites: vec![None; points.syms.len()],
            pts: points.pts,
            syms: points.syms,
            sprite_dpr: 0.0,
        }));
        let ctor =
            Reflect::get(&Reflect::get(&js_sys::global(), &s("L")).ok()?, &s("Layer")).ok()?;
        let layer: Layer =
            Reflect::construct(ctor.dyn_ref::<js_sys::Function>()?, &js_sys::Array::new())
                .ok()?
                .unchecked_into();
        let redraw = {
            let st = state.clone();
            Closure::<dyn FnMut(JsValue)>::new(move |_e: JsValue| {
                if let Ok(mut st) = st.try_borrow_mut() {
                    st.redraw();
                }
            })
        };
        let hide = {
            let st = state.clone();
            Closure::<dyn FnMut(JsValue)>::new(move |_e: JsValue| {
                if let Some(c) = st.try_borrow().ok().and_then(|s| s.canvas.clone()) {
                    let _ = c.style().set_property("visibility", "hidden");
                }
            })
        };
        let redraw_fn: js_sys::Function =
            redraw.as_ref().unchecked_ref::<js_sys::Function>().clone();
        let hide_fn: js_sys::Function = hide.as_ref().unchecked_ref::<js_sys::Function>().clone();
        let on_add = {
            let st = state.clone();
            let (redraw_fn, hide_fn) = (redraw_fn.clone(), hide_fn.clone());
            Closure::<dyn FnMut(JsValue)>::new(move |map: JsValue| {
                let map: Map = map.unchecked_into();
                let ev: &Evented = map.unchecked_ref();
                ev.on("moveend zoomend viewreset resize", &redraw_fn);
                ev.on("zoomstart", &hide_fn);
                if let Ok(mut st) = st.try_borrow_mut() {
                    st.attach(map);
                    st.redraw();
                }
            })
        };
        let on_remove = {
            let st = state.clone();
            Closure::<dyn FnMut(JsValue)>::new(move |map: JsValue| {
                let ev: &Evented = map.unchecked_ref();
                ev.off("moveend zoomend viewreset resize", &redraw_fn);
                ev.off("zoomstart", &hide_fn);
                if let Ok(mut st) = st.try_borrow_mut() {
                    if let Some(c) = st.canvas.take() {
                        c.remove();
                    }
                    st.map = None;
                }
            })
        };
        let _ = Reflect::set(&layer, &s("onAdd"), on_add.as_ref());
        let _ = Reflect::set(&layer, &s("onRemove"), on_remove.as_ref());
        Some(Self {
            layer,
            state,
            _hooks: vec![redraw, hide, on_add, on_remove],
        })
    }

    /// The Leaflet layer (add it to the map or a group).
    pub(super) fn layer(&self) -> &Layer {
        &self.layer
    }

    /// Puts this layer's canvas above the other canvases of its pane.
    pub(super) fn bring_to_front(&self) {
        if let Ok(st) = self.state.try_borrow()
            && let Some(c) = &st.canvas
            && let Some(parent) = c.parent_node()
        {
            let _ = parent.append_child(c);
        }
    }
}

impl State {
    fn attach(&mut self, map: Map) {
        let Some(canvas) = document()
            .and_then(|d| d.create_element("canvas").ok())
            .and_then(|e| e.dyn_into::<HtmlCanvasElement>().ok())
        else {
            return;
        };
        let _ = canvas.set_attribute("class", "sq-points");
        let _ = canvas.style().set_property("position", "absolute");
        let _ = canvas.style().set_property("pointer-events", "none");
        let pane: Option<web_sys::HtmlElement> = Reflect::get(&map, &s("getPane"))
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
            .and_then(|f| f.call1(&map, &s(self.pane)).ok())
            .and_then(|p| p.dyn_into().ok());
        if let Some(pane) = pane {
            let _ = pane.append_child(&canvas);
        }
        self.canvas = Some(canvas);
        self.map = Some(map);
    }

    fn redraw(&mut self) {
        let (Some(map), Some(canvas)) = (self.map.clone(), self.canvas.clone()) else {
            return;
        };
        let size = map.get_size();
        let (width, height) = (size.x(), size.y());
        if width < 1.0 || height < 1.0 {
            return;
        }
        let dpr = web_sys::window().map_or(1.0, |w| w.device_pixel_ratio().max(1.0));
        let (pw, ph) = (
            width * (1.0 + 2.0 * PADDING),
            height * (1.0 + 2.0 * PADDING),
        );
        canvas.set_width((pw * dpr).round() as u32);
        canvas.set_height((ph * dpr).round() as u32);
        let style = canvas.style();
        let _ = style.set_property("width", &format!("{pw}px"));
        let _ = style.set_property("height", &format!("{ph}px"));
        // The canvas's top-left in layer coordinates (what Leaflet's panes are positioned in).
        let centre = map.get_center();
        let c_container = map.lat_lng_to_container_point(&centre);
        let c_layer = map.lat_lng_to_layer_point(&centre);
        let (ox, oy) = (
            c_layer.x() - c_container.x() - PADDING * width,
            c_layer.y() - c_container.y() - PADDING * height,
        );
        let _ = style.set_property("transform", &format!("translate3d({ox}px,{oy}px,0)"));
        let _ = style.set_property("visibility", "visible");
        let Some(ctx) = context(&canvas) else { return };
        ctx.clear_rect(
            0.0,
            0.0,
            f64::from(canvas.width()),
            f64::from(canvas.height()),
        );
        if (self.sprite_dpr - dpr).abs() > f64::EPSILON {
            self.sprites = vec![None; self.syms.len()];
            self.sprite_dpr = dpr;
        }
        let zoom = map.get_zoom();
        let (cx, cy) = world_px(centre.lng(), centre.lat(), zoom);
        // Canvas pixel = point's mercator pixel − centre's + the centre's place on the canvas.
        let (bx, by) = (
            c_container.x() + PADDING * width - cx,
            c_container.y() + PADDING * height - cy,
        );
        for p in &self.pts {
            let k = usize::from(p.sym);
            let Some(sym) = self.syms.get(k).copied() else {
                continue;
            };
            let (mx, my) = world_px(p.lon, p.lat, zoom);
            let (x, y) = (mx + bx, my + by);
            let r = sprite_half(sym);
            if x < -r || y < -r || x > pw + r || y > ph + r {
                continue;
            }
            if self.sprites[k].is_none() {
                self.sprites[k] = sprite(sym, dpr);
            }
            if let Some(img) = &self.sprites[k] {
                let _ = ctx.draw_image_with_html_canvas_element_and_dw_and_dh(
                    img,
                    ((x - r) * dpr).round(),
                    ((y - r) * dpr).round(),
                    f64::from(img.width()),
                    f64::from(img.height()),
                );
            }
        }
    }
}

fn context(c: &HtmlCanvasElement) -> Option<CanvasRenderingContext2d> {
    c.get_context("2d").ok()??.dyn_into().ok()
}

/// Half the sprite's side in CSS pixels: the shape's reach plus its outline.
fn sprite_half(sym: Symbol) -> f64 {
    let reach = sym
        .shape
        .outline()
        .iter()
        .fold(1.0_f64, |m, (x, y)| m.max(x.abs()).max(y.abs()));
    (sym.radius.max(1.0) * reach + sym.weight + 1.0).ceil()
}

/// The symbol drawn once, centred, on a small canvas at `dpr` device pixels per CSS pixel.
fn sprite(sym: Symbol, dpr: f64) -> Option<HtmlCanvasElement> {
    let half = sprite_half(sym);
    let c: HtmlCanvasElement = document()?.create_element("canvas").ok()?.dyn_into().ok()?;
    let side = (2.0 * half * dpr).ceil() as u32;
    c.set_width(side);
    c.set_height(side);
    let ctx = context(&c)?;
    ctx.scale(dpr, dpr).ok()?;
    let r = sym.radius.max(1.0);
    ctx.begin_path();
    if sym.shape == Shape::Circle {
        ctx.arc(half, half, r, 0.0, TAU).ok()?;
    } else {
        for (i, (ux, uy)) in sym.shape.outline().iter().enumerate() {
            let (x, y) = (half + ux * r, half + uy * r);
            if i == 0 {
                ctx.move_to(x, y);
            } else {
                ctx.line_to(x, y);
            }
        }
        ctx.close_path();
    }
    if sym.fill != "none" {
        ctx.set_global_alpha(0.95);
        ctx.set_fill_style_str(sym.fill);
        ctx.fill();
        ctx.set_global_alpha(1.0);
    }
    if sym.weight > 0.0 {
        ctx.set_line_width(sym.weight);
        ctx.set_line_join("round");
        ctx.set_stroke_style_str(sym.stroke);
        ctx.stroke();
    }
    Some(c)
}

/// The point's position from a GeoJSON `Point` geometry (`[lon, lat]`).
pub(super) fn point_coords(geometry: &JsValue) -> Option<(f64, f64)> {
    let c = Reflect::get(geometry, &s("coordinates")).ok()?;
    let lon = Reflect::get_u32(&c, 0).ok()?.as_f64()?;
    let lat = Reflect::get_u32(&c, 1).ok()?.as_f64()?;
    Some((lon, lat))
}
