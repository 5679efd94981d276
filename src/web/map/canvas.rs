//! A map layer that is one `<canvas>` of our own, through Leaflet's public layer API only: a
//! plain `L.Layer` whose documented `onAdd` / `onRemove` hooks put the canvas into a pane and
//! follow the map's `zoomstart` (hide) and `moveend` / `zoomend` / `viewreset` / `resize`
//! (redraw) events. What is drawn is a [`Painter`]'s: the point symbols ([`super::points`]);
//! the streets are tiles ([`super::tiles`]).
//!
//! The canvas covers the view with [`PADDING`] on each side (so a short pan shows drawn content
//! before the redraw at `moveend`, as Leaflet's own renderer pads) and sits in layer
//! coordinates, so it moves with the map pane while the map is dragged. Positions are
//! Web-Mercator world pixels ([`crate::plan::cluster::world_px`] at zoom 0) mapped by
//! [`Frame`]; the centre's container position is asked from Leaflet once per redraw.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::Reflect;
use leaflet::{Evented, Layer, Map};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

use super::leaflet::{document, s};
use crate::plan::cluster::world_px;

/// Extra canvas around the view on each side, as a share of its size.
pub(super) const PADDING: f64 = 0.5;

/// Where a world pixel lands on the canvas, and the canvas's size.
#[derive(Debug, Clone, Copy)]
pub(super) struct Frame {
    /// 2^zoom: world pixels at zoom 0 → pixels at this zoom.
    pub scale: f64,
    /// Canvas x of world x = 0 (CSS pixels).
    pub bx: f64,
    /// Canvas y of world y = 0 (CSS pixels).
    pub by: f64,
    /// Canvas width (CSS pixels, padding included).
    pub width: f64,
    /// Canvas height (CSS pixels, padding included).
    pub height: f64,
    /// Device pixels per CSS pixel.
    pub dpr: f64,
}

impl Frame {
    /// Canvas position (CSS pixels) of a world pixel at zoom 0.
    pub(super) fn at(&self, x: f64, y: f64) -> (f64, f64) {
        (x * self.scale + self.bx, y * self.scale + self.by)
    }
}

/// Something to run once the layer's state is no longer borrowed (e.g. telling the page).
pub(super) type After = Option<Box<dyn FnOnce()>>;

/// Draws a layer's content.
pub(super) trait Painter {
    /// Draws on a cleared canvas (its transform already scales CSS pixels to device pixels).
    fn paint(
        &mut self,
        ctx: &CanvasRenderingContext2d,
        frame: &Frame,
        canvas: &HtmlCanvasElement,
    ) -> After;

    /// The layer left the map.
    fn removed(&mut self) -> After {
        None
    }
}

struct Inner {
    pane: &'static str,
    class: &'static str,
    /// Put the canvas below the pane's other children (the streets: they are the basemap).
    below: bool,
    canvas: Option<HtmlCanvasElement>,
    map: Option<Map>,
    painter: Box<dyn Painter>,
}

/// The layer; dropping it drops its closures: remove it from the map first (the owner does,
/// see `sync`).
pub(super) struct CanvasLayer {
    layer: Layer,
    inner: Rc<RefCell<Inner>>,
    _hooks: Vec<Closure<dyn FnMut(JsValue)>>,
}

impl CanvasLayer {
    /// A layer drawing with `painter` on a canvas of CSS class `class` in the pane `pane`
    /// (below the pane's other content when `below`).
    pub(super) fn new(
        painter: Box<dyn Painter>,
        pane: &'static str,
        class: &'static str,
        below: bool,
    ) -> Option<Self> {
        let inner = Rc::new(RefCell::new(Inner {
            pane,
            class,
            below,
            canvas: None,
            map: None,
            painter,
        }));
        let ctor =
            Reflect::get(&Reflect::get(&js_sys::global(), &s("L")).ok()?, &s("Layer")).ok()?;
        let layer: Layer =
            Reflect::construct(ctor.dyn_ref::<js_sys::Function>()?, &js_sys::Array::new())
                .ok()?
                .unchecked_into();
        let redraw = {
            let inner = inner.clone();
            Closure::<dyn FnMut(JsValue)>::new(move |_e: JsValue| {
                let after = inner.try_borrow_mut().ok().and_then(|mut i| i.redraw());
                if let Some(f) = after {
                    f();
                }
            })
        };
        let hide = {
            let inner = inner.clone();
            Closure::<dyn FnMut(JsValue)>::new(move |_e: JsValue| {
                if let Some(c) = inner.try_borrow().ok().and_then(|i| i.canvas.clone()) {
                    let _ = c.style().set_property("visibility", "hidden");
                }
            })
        };
        let redraw_fn: js_sys::Function =
            redraw.as_ref().unchecked_ref::<js_sys::Function>().clone();
        let hide_fn: js_sys::Function = hide.as_ref().unchecked_ref::<js_sys::Function>().clone();
        let on_add = {
            let inner = inner.clone();
            let (redraw_fn, hide_fn) = (redraw_fn.clone(), hide_fn.clone());
            Closure::<dyn FnMut(JsValue)>::new(move |map: JsValue| {
                let map: Map = map.unchecked_into();
                let ev: &Evented = map.unchecked_ref();
                ev.on("moveend zoomend viewreset resize", &redraw_fn);
                ev.on("zoomstart", &hide_fn);
                if let Ok(mut i) = inner.try_borrow_mut() {
                    i.attach(map);
                }
                let _ = redraw_fn.call1(&JsValue::NULL, &JsValue::NULL);
            })
        };
        let on_remove = {
            let inner = inner.clone();
            Closure::<dyn FnMut(JsValue)>::new(move |map: JsValue| {
                let ev: &Evented = map.unchecked_ref();
                ev.off("moveend zoomend viewreset resize", &redraw_fn);
                ev.off("zoomstart", &hide_fn);
                let after = inner.try_borrow_mut().ok().and_then(|mut i| {
                    if let Some(c) = i.canvas.take() {
                        c.remove();
                    }
                    i.map = None;
                    i.painter.removed()
                });
                if let Some(f) = after {
                    f();
                }
            })
        };
        let _ = Reflect::set(&layer, &s("onAdd"), on_add.as_ref());
        let _ = Reflect::set(&layer, &s("onRemove"), on_remove.as_ref());
        Some(Self {
            layer,
            inner,
            _hooks: vec![redraw, hide, on_add, on_remove],
        })
    }

    /// The Leaflet layer (add it to the map or a group).
    pub(super) fn layer(&self) -> &Layer {
        &self.layer
    }

    /// Puts this layer's canvas above the other canvases of its pane.
    pub(super) fn bring_to_front(&self) {
        if let Ok(i) = self.inner.try_borrow()
            && let Some(c) = &i.canvas
            && let Some(parent) = c.parent_node()
        {
            let _ = parent.append_child(c);
        }
    }
}

impl Inner {
    fn attach(&mut self, map: Map) {
        let Some(canvas) = document()
            .and_then(|d| d.create_element("canvas").ok())
            .and_then(|e| e.dyn_into::<HtmlCanvasElement>().ok())
        else {
            return;
        };
        let _ = canvas.set_attribute("class", self.class);
        let _ = canvas.style().set_property("position", "absolute");
        let _ = canvas.style().set_property("pointer-events", "none");
        let pane: Option<web_sys::HtmlElement> = Reflect::get(&map, &s("getPane"))
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
            .and_then(|f| f.call1(&map, &s(self.pane)).ok())
            .and_then(|p| p.dyn_into().ok());
        if let Some(pane) = pane {
            let first = if self.below { pane.first_child() } else { None };
            let _ = pane.insert_before(&canvas, first.as_ref());
        }
        self.canvas = Some(canvas);
        self.map = Some(map);
    }

    fn redraw(&mut self) -> After {
        let (map, canvas) = (self.map.clone()?, self.canvas.clone()?);
        let size = map.get_size();
        let (w, h) = (size.x(), size.y());
        if w < 1.0 || h < 1.0 {
            return None;
        }
        let dpr = web_sys::window().map_or(1.0, |w| w.device_pixel_ratio().max(1.0));
        let (width, height) = (w * (1.0 + 2.0 * PADDING), h * (1.0 + 2.0 * PADDING));
        canvas.set_width((width * dpr).round() as u32);
        canvas.set_height((height * dpr).round() as u32);
        let style = canvas.style();
        let _ = style.set_property("width", &format!("{width}px"));
        let _ = style.set_property("height", &format!("{height}px"));
        // The canvas's top-left in layer coordinates (what Leaflet's panes are positioned in).
        let centre = map.get_center();
        let c_container = map.lat_lng_to_container_point(&centre);
        let c_layer = map.lat_lng_to_layer_point(&centre);
        let (ox, oy) = (
            c_layer.x() - c_container.x() - PADDING * w,
            c_layer.y() - c_container.y() - PADDING * h,
        );
        let _ = style.set_property("transform", &format!("translate3d({ox}px,{oy}px,0)"));
        let _ = style.set_property("visibility", "visible");
        let ctx: CanvasRenderingContext2d = canvas.get_context("2d").ok()??.dyn_into().ok()?;
        ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0).ok()?;
        ctx.clear_rect(0.0, 0.0, width, height);
        // World pixels at zoom 0 → canvas: scale, then shift so the centre lands where Leaflet
        // puts it.
        let scale = 2f64.powf(map.get_zoom());
        let (cx, cy) = world_px(centre.lng(), centre.lat(), 0.0);
        let frame = Frame {
            scale,
            bx: c_container.x() + PADDING * w - cx * scale,
            by: c_container.y() + PADDING * h - cy * scale,
            width,
            height,
            dpr,
        };
        self.painter.paint(&ctx, &frame, &canvas)
    }
}
