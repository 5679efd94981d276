//! The street network drawn on a canvas of its own, at a level of detail that fits the view:
//! a city's hundreds of thousands of ways are kept as flat coordinate arrays (no Leaflet object
//! per way) and drawn by class, majors on top.
//!
//! Level of detail: the ways in view are counted per class ([`highway_rank`]); classes are
//! drawn from the major roads down for as long as the vertices to draw stay within
//! [`VERTEX_BUDGET`], so a district shows every footway at any zoom and a whole city shows its
//! main roads first and the rest as the planner zooms in (the hidden classes are reported to
//! the map, which says so). Vertices closer than half a pixel to the last one drawn are
//! skipped. The canvas follows the map through Leaflet's public layer API, like
//! [`super::points`].
//!
//! Cost per redraw: O(w) bounding-box tests for w ways, then O(v) for the v vertices drawn.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::Reflect;
use leaflet::{Evented, Layer, Map};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};
use yew::Callback;

use super::leaflet::{document, s};
use super::symbols::street_style_of_rank;
use crate::plan::cluster::world_px;

/// Extra canvas around the view on each side, as a share of its size.
const PADDING: f64 = 0.5;

/// Most vertices drawn per view before minor classes are left out.
pub(super) const VERTEX_BUDGET: usize = 250_000;

/// Number of street classes ([`crate::plan::labels::highway_rank`]: 0 major … 5 paths).
const CLASSES: usize = 6;

/// Ways as flat arrays: world pixels at zoom 0 (x, y interleaved, `f64`: at zoom 18 a pixel is
/// 2⁻¹⁸ of these units, beyond `f32`'s precision), each way's slice and bounding box, its class.
#[derive(Debug, Default)]
pub(super) struct LinesBuilder {
    xy: Vec<f64>,
    starts: Vec<u32>,
    bbox: Vec<[f64; 4]>,
    class: Vec<u8>,
}

impl LinesBuilder {
    /// Adds one way of class `rank` from its WGS-84 vertices (fewer than two are skipped).
    pub(super) fn push(&mut self, lonlat: impl IntoIterator<Item = (f64, f64)>, rank: u8) {
        let start = self.xy.len();
        let mut b = [
            f64::INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NEG_INFINITY,
        ];
        for (lon, lat) in lonlat {
            if !(lon.is_finite() && lat.is_finite()) {
                continue;
            }
            let (x, y) = world_px(lon, lat, 0.0);
            self.xy.push(x);
            self.xy.push(y);
            b = [b[0].min(x), b[1].min(y), b[2].max(x), b[3].max(y)];
        }
        let (Ok(s), true) = (u32::try_from(start), self.xy.len() - start >= 4) else {
            self.xy.truncate(start);
            return;
        };
        self.starts.push(s);
        self.bbox.push(b);
        self.class.push(rank.min(CLASSES as u8 - 1));
    }

    /// Number of ways.
    pub(super) fn len(&self) -> usize {
        self.starts.len()
    }

    fn slice(&self, i: usize) -> &[f64] {
        let a = self.starts[i] as usize;
        let b = self
            .starts
            .get(i + 1)
            .map_or(self.xy.len(), |&e| e as usize);
        &self.xy[a..b]
    }
}

struct State {
    pane: &'static str,
    canvas: Option<HtmlCanvasElement>,
    map: Option<Map>,
    lines: LinesBuilder,
    /// Told after each redraw whether some classes in view were left out.
    on_detail: Callback<bool>,
}

/// The street layer on its own canvas. Dropping it drops its closures: remove it from the map
/// first (the owner does, see `sync`).
pub(super) struct LineLayer {
    layer: Layer,
    _hooks: Vec<Closure<dyn FnMut(JsValue)>>,
}

impl LineLayer {
    /// A layer drawing `lines` into the pane named `pane`; `on_detail(true)` when minor classes
    /// are left out of the current view.
    pub(super) fn new(
        lines: LinesBuilder,
        pane: &'static str,
        on_detail: Callback<bool>,
    ) -> Option<Self> {
        let state = Rc::new(RefCell::new(State {
            pane,
            canvas: None,
            map: None,
            lines,
            on_detail,
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
                let hidden = st.try_borrow_mut().ok().and_then(|mut s| s.redraw());
                if let (Some(hidden), Ok(st)) = (hidden, st.try_borrow()) {
                    st.on_detail.emit(hidden);
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
                }
                let _ = redraw_fn.call1(&JsValue::NULL, &JsValue::NULL);
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
                    st.on_detail.emit(false);
                }
            })
        };
        let _ = Reflect::set(&layer, &s("onAdd"), on_add.as_ref());
        let _ = Reflect::set(&layer, &s("onRemove"), on_remove.as_ref());
        Some(Self {
            layer,
            _hooks: vec![redraw, hide, on_add, on_remove],
        })
    }

    /// The Leaflet layer (add it to the map or a group).
    pub(super) fn layer(&self) -> &Layer {
        &self.layer
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
        let _ = canvas.set_attribute("class", "sq-lines");
        let _ = canvas.style().set_property("position", "absolute");
        let _ = canvas.style().set_property("pointer-events", "none");
        let pane: Option<web_sys::HtmlElement> = Reflect::get(&map, &s("getPane"))
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
            .and_then(|f| f.call1(&map, &s(self.pane)).ok())
            .and_then(|p| p.dyn_into().ok());
        if let Some(pane) = pane {
            // Below the other canvases of the pane: streets are the basemap.
            let _ = pane.insert_before(&canvas, pane.first_child().as_ref());
        }
        self.canvas = Some(canvas);
        self.map = Some(map);
    }

    /// Redraws; returns whether some classes in view were left out (None when not drawn).
    fn redraw(&mut self) -> Option<bool> {
        let (map, canvas) = (self.map.clone()?, self.canvas.clone()?);
        let size = map.get_size();
        let (width, height) = (size.x(), size.y());
        if width < 1.0 || height < 1.0 {
            return None;
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
        let centre = map.get_center();
        let c_container = map.lat_lng_to_container_point(&centre);
        let c_layer = map.lat_lng_to_layer_point(&centre);
        let (ox, oy) = (
            c_layer.x() - c_container.x() - PADDING * width,
            c_layer.y() - c_container.y() - PADDING * height,
        );
        let _ = style.set_property("transform", &format!("translate3d({ox}px,{oy}px,0)"));
        let _ = style.set_property("visibility", "visible");
        let ctx: CanvasRenderingContext2d = canvas.get_context("2d").ok()??.dyn_into().ok()?;
        ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0).ok()?;
        ctx.clear_rect(0.0, 0.0, pw, ph);

        // World pixels at zoom 0 → canvas pixels: scale, then shift so the centre lands where
        // Leaflet puts it.
        let scale = 2f64.powf(map.get_zoom());
        let (cx, cy) = world_px(centre.lng(), centre.lat(), 0.0);
        let (bx, by) = (
            c_container.x() + PADDING * width - cx * scale,
            c_container.y() + PADDING * height - cy * scale,
        );
        let view = [
            -bx / scale,
            -by / scale,
            (pw - bx) / scale,
            (ph - by) / scale,
        ];
        let lines = &self.lines;
        let in_view: Vec<usize> = (0..lines.len())
            .filter(|&i| {
                let b = lines.bbox[i];
                b[2] >= view[0] && b[0] <= view[2] && b[3] >= view[1] && b[1] <= view[3]
            })
            .collect();
        let mut per_class = [0usize; CLASSES];
        for &i in &in_view {
            per_class[usize::from(lines.class[i])] += lines.slice(i).len() / 2;
        }
        // Classes from the major roads down while within the budget (majors always).
        let mut shown = 1;
        let mut total = per_class[0];
        while shown < CLASSES && total + per_class[shown] <= VERTEX_BUDGET {
            total += per_class[shown];
            shown += 1;
        }
        let hidden = per_class[shown..].iter().any(|&n| n > 0);
        ctx.set_line_cap("round");
        ctx.set_line_join("round");
        for class in (0..shown).rev() {
            if per_class[class] == 0 {
                continue;
            }
            let (colour, width, dash) = street_style_of_rank(class as u8);
            ctx.set_stroke_style_str(colour);
            ctx.set_line_width(width);
            let dashes = js_sys::Array::new();
            if let Some(d) = dash {
                for part in d.split_whitespace().filter_map(|p| p.parse::<f64>().ok()) {
                    dashes.push(&JsValue::from_f64(part));
                }
            }
            let _ = ctx.set_line_dash(&dashes);
            ctx.begin_path();
            for &i in in_view
                .iter()
                .filter(|&&i| usize::from(lines.class[i]) == class)
            {
                let xy = lines.slice(i);
                let (mut lx, mut ly) = (xy[0] * scale + bx, xy[1] * scale + by);
                ctx.move_to(lx, ly);
                let last = xy.len() / 2 - 1;
                for (k, p) in xy.chunks_exact(2).enumerate().skip(1) {
                    let (x, y) = (p[0] * scale + bx, p[1] * scale + by);
                    if k < last && (x - lx).abs() < 0.5 && (y - ly).abs() < 0.5 {
                        continue;
                    }
                    ctx.line_to(x, y);
                    (lx, ly) = (x, y);
                }
            }
            ctx.stroke();
        }
        let _ = canvas.set_attribute("data-drawn-classes", &shown.to_string());
        Some(hidden)
    }
}
