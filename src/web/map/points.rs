//! Point symbols on a canvas layer of their own ([`super::canvas`]): each symbol is drawn once
//! into a small sprite and stamped with one `drawImage` per point, so tens of thousands of points
//! redraw in a few milliseconds and no Leaflet object exists per point.
//!
//! Why not Leaflet's canvas renderer: it draws circles only, and drawing the category shapes
//! through it meant replacing its private methods (`_updatePath`, `_ctx`, `_fillStroke`), which
//! an update of Leaflet breaks silently.
//!
//! Cost per redraw: O(n) for n points, O(s) sprites for s distinct symbols.

use std::f64::consts::TAU;

use js_sys::Reflect;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

use super::canvas::{After, CanvasLayer, Frame, Painter};
use super::leaflet::{document, s};
use super::symbols::{Shape, Symbol};
use crate::plan::cluster::world_px;

/// One point: its world pixel at zoom 0 and the index of its symbol.
#[derive(Debug, Clone, Copy)]
pub(super) struct Pt {
    /// Web-Mercator world pixel x at zoom 0.
    pub x: f64,
    /// Web-Mercator world pixel y at zoom 0.
    pub y: f64,
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
            let (x, y) = world_px(lon, lat, 0.0);
            self.pts.push(Pt { x, y, sym: k });
        }
    }

    /// Number of points.
    pub(super) fn len(&self) -> usize {
        self.pts.len()
    }
}

struct Points {
    pts: Vec<Pt>,
    syms: Vec<Symbol>,
    /// Sprites per symbol, drawn at `sprite_dpr`.
    sprites: Vec<Option<HtmlCanvasElement>>,
    sprite_dpr: f64,
}

impl Painter for Points {
    fn paint(
        &mut self,
        ctx: &CanvasRenderingContext2d,
        frame: &Frame,
        _c: &HtmlCanvasElement,
    ) -> After {
        if (self.sprite_dpr - frame.dpr).abs() > f64::EPSILON {
            self.sprites = vec![None; self.syms.len()];
            self.sprite_dpr = frame.dpr;
        }
        for p in &self.pts {
            let k = usize::from(p.sym);
            let Some(sym) = self.syms.get(k).copied() else {
                continue;
            };
            let (x, y) = frame.at(p.x, p.y);
            let r = sprite_half(sym);
            if x < -r || y < -r || x > frame.width + r || y > frame.height + r {
                continue;
            }
            if self.sprites[k].is_none() {
                self.sprites[k] = sprite(sym, frame.dpr);
            }
            if let Some(img) = &self.sprites[k] {
                // On whole device pixels, so the sprite stays sharp.
                let _ = ctx.draw_image_with_html_canvas_element_and_dw_and_dh(
                    img,
                    ((x - r) * frame.dpr).round() / frame.dpr,
                    ((y - r) * frame.dpr).round() / frame.dpr,
                    f64::from(img.width()) / frame.dpr,
                    f64::from(img.height()) / frame.dpr,
                );
            }
        }
        None
    }
}

/// A point layer on its own canvas.
pub(super) struct PointLayer(CanvasLayer);

impl PointLayer {
    /// A layer drawing `points` into the pane named `pane` (created by the map component).
    pub(super) fn new(points: PointsBuilder, pane: &'static str) -> Option<Self> {
        let painter = Points {
            sprites: vec![None; points.syms.len()],
            pts: points.pts,
            syms: points.syms,
            sprite_dpr: 0.0,
        };
        CanvasLayer::new(Box::new(painter), pane, "sq-points", false).map(Self)
    }

    /// The Leaflet layer (add it to the map or a group).
    pub(super) fn layer(&self) -> &leaflet::Layer {
        self.0.layer()
    }

    /// Puts this layer's canvas above the other canvases of its pane.
    pub(super) fn bring_to_front(&self) {
        self.0.bring_to_front();
    }
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
    let ctx: CanvasRenderingContext2d = c.get_context("2d").ok()??.dyn_into().ok()?;
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
