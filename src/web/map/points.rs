//! Point symbols on a canvas layer of their own ([`super::canvas`]): each symbol is drawn once
//! into a small sprite and stamped with one `drawImage` per point, so tens of thousands of points
//! redraw in a few milliseconds and no Leaflet object exists per point.
//!
//! Why not Leaflet's canvas renderer: it draws circles only, and drawing the category shapes
//! through it meant replacing its private methods (`_updatePath`, `_ctx`, `_fillStroke`), which
//! an update of Leaflet breaks silently.
//!
//! **Level of detail**: when more than [`AGGREGATE_OVER`] of a layer's points are in view (the
//! visible map, not the padded canvas; a
//! whole city's demand points at a city zoom), single symbols would only make a smear; the layer
//! then draws one disc per [`CELL_PX`] cell instead, at the mean position of its points, in the
//! colour of its most frequent symbol, sized by and labelled with the count (in the manner of
//! supercluster's grid clusters), and tells the map, which says so (`#map-points-note`).
//!
//! Cost per redraw: O(n) for n points, O(s) sprites for s distinct symbols.

use std::collections::HashMap;
use std::f64::consts::TAU;

use js_sys::Reflect;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};
use yew::Callback;

use super::canvas::{After, CanvasLayer, Frame, PADDING, Painter};
use super::leaflet::{document, s};
use super::symbols::{Shape, Symbol};
use crate::plan::cluster::world_px;

/// More points than this in view are drawn as counts per cell.
pub(super) const AGGREGATE_OVER: usize = 4_000;
/// The side of an aggregation cell, CSS pixels.
const CELL_PX: f64 = 48.0;

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
    /// Told `(layer key, aggregated)` after each redraw.
    on_aggregate: Callback<(u32, bool)>,
    key: u32,
}

/// One aggregation cell: sums of positions, count, and counts per symbol.
#[derive(Default)]
struct Cell {
    sx: f64,
    sy: f64,
    n: u32,
    per_sym: Vec<u32>,
}

impl Points {
    /// Draws one disc per cell with its count; `in_view` are the points on the canvas, each with
    /// its canvas position.
    fn paint_cells(&self, ctx: &CanvasRenderingContext2d, in_view: &[(usize, f64, f64)]) {
        let mut cells: HashMap<(i64, i64), Cell> = HashMap::new();
        for &(i, px, py) in in_view {
            let pt = self.pts[i];
            let cell = cells
                .entry(((px / CELL_PX).floor() as i64, (py / CELL_PX).floor() as i64))
                .or_default();
            cell.sx += px;
            cell.sy += py;
            cell.n += 1;
            let sym = usize::from(pt.sym);
            if cell.per_sym.len() <= sym {
                cell.per_sym.resize(sym + 1, 0);
            }
            cell.per_sym[sym] += 1;
        }
        let mut cells: Vec<Cell> = cells.into_values().collect();
        // Small discs last, so a big one never hides them.
        crate::plan::sort::by_key(&mut cells, |cell| std::cmp::Reverse(cell.n));
        for c in &cells {
            let n = f64::from(c.n);
            let top = c
                .per_sym
                .iter()
                .enumerate()
                .max_by_key(|&(_, m)| *m)
                .and_then(|(k, _)| self.syms.get(k));
            let colour = top.map_or("#555", |s| if s.fill == "none" { s.stroke } else { s.fill });
            disc(ctx, (c.sx / n, c.sy / n), c.n, colour);
        }
    }
}

/// The radius of a count's disc, CSS pixels.
pub(super) fn disc_radius(n: u32) -> f64 {
    (5.0 + 4.0 * f64::from(n).log10()).min(CELL_PX / 2.0)
}

/// One disc of `n` points at `(x, y)` in `colour`, labelled with the count when over one.
pub(super) fn disc(ctx: &CanvasRenderingContext2d, (x, y): (f64, f64), n: u32, colour: &str) {
    disc_of(ctx, (x, y), disc_radius(n), colour);
    count_label(ctx, (x, y), n);
}

/// A filled disc of radius `r` with a white rim.
pub(super) fn disc_of(ctx: &CanvasRenderingContext2d, (x, y): (f64, f64), r: f64, colour: &str) {
    ctx.begin_path();
    let _ = ctx.arc(x, y, r, 0.0, TAU);
    ctx.set_global_alpha(0.85);
    ctx.set_fill_style_str(colour);
    ctx.fill();
    ctx.set_global_alpha(1.0);
    ctx.set_line_width(1.5);
    ctx.set_stroke_style_str("#fff");
    ctx.stroke();
}

/// The count `n` written at `(x, y)` (nothing for one point).
pub(super) fn count_label(ctx: &CanvasRenderingContext2d, (x, y): (f64, f64), n: u32) {
    if n > 1 {
        let label = if n >= 10_000 {
            format!("{}k", n / 1000)
        } else if n >= 1000 {
            format!("{:.1}k", f64::from(n) / 1000.0)
        } else {
            n.to_string()
        };
        ctx.set_font("bold 10px sans-serif");
        ctx.set_text_align("center");
        ctx.set_text_baseline("middle");
        ctx.set_line_width(3.0);
        ctx.set_stroke_style_str("rgba(0,0,0,0.55)");
        let _ = ctx.stroke_text(&label, x, y);
        ctx.set_fill_style_str("#fff");
        let _ = ctx.fill_text(&label, x, y);
    }
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
        // Each point's canvas position, once per redraw: (its index, x, y) when on the canvas.
        let in_view: Vec<(usize, f64, f64)> = (0..self.pts.len())
            .filter_map(|i| {
                let p = self.pts[i];
                let sym = self.syms.get(usize::from(p.sym)).copied()?;
                let (x, y) = frame.at(p.x, p.y);
                let r = sprite_half(sym);
                (x >= -r && y >= -r && x <= frame.width + r && y <= frame.height + r)
                    .then_some((i, x, y))
            })
            .collect();
        // Decided on the visible part of the map, not the padded canvas around it.
        let (vw, vh) = (
            frame.width / (1.0 + 2.0 * PADDING),
            frame.height / (1.0 + 2.0 * PADDING),
        );
        let (x0, y0) = (PADDING * vw, PADDING * vh);
        let visible = in_view
            .iter()
            .filter(|&&(_, x, y)| x >= x0 && y >= y0 && x <= x0 + vw && y <= y0 + vh)
            .count();
        let aggregate = visible > AGGREGATE_OVER;
        let (cb, key) = (self.on_aggregate.clone(), self.key);
        let after: After = Some(Box::new(move || cb.emit((key, aggregate))));
        if aggregate {
            self.paint_cells(ctx, &in_view);
            return after;
        }
        for &(i, x, y) in &in_view {
            let k = usize::from(self.pts[i].sym);
            let Some(sym) = self.syms.get(k).copied() else {
                continue;
            };
            let r = sprite_half(sym);
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
        after
    }

    fn removed(&mut self) -> After {
        let (cb, key) = (self.on_aggregate.clone(), self.key);
        Some(Box::new(move || cb.emit((key, false))))
    }
}

/// A point layer on its own canvas.
pub(super) struct PointLayer(CanvasLayer);

impl PointLayer {
    /// A layer drawing `points` into the pane named `pane` (created by the map component);
    /// `on_aggregate((key, true))` while it draws counts per cell instead of symbols.
    pub(super) fn new(
        points: PointsBuilder,
        pane: &'static str,
        key: u32,
        on_aggregate: Callback<(u32, bool)>,
    ) -> Option<Self> {
        let painter = Points {
            sprites: vec![None; points.syms.len()],
            pts: points.pts,
            syms: points.syms,
            sprite_dpr: 0.0,
            on_aggregate,
            key,
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
pub(super) fn sprite_half(sym: Symbol) -> f64 {
    let reach = sym
        .shape
        .outline()
        .iter()
        .fold(1.0_f64, |m, (x, y)| m.max(x.abs()).max(y.abs()));
    (sym.radius.max(1.0) * reach + sym.weight + 1.0).ceil()
}

/// The symbol drawn once, centred, on a small canvas at `dpr` device pixels per CSS pixel.
pub(super) fn sprite(sym: Symbol, dpr: f64) -> Option<HtmlCanvasElement> {
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
