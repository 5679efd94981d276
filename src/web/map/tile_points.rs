//! A points tile drawn on its canvas: single points as their symbols' sprites (one
//! `drawImage` each, as [`super::points`]), counts per cell as discs labelled with the count in
//! the colour of the cell's most frequent symbol; and which disc a click hits.
//!
//! A demand tile painted by coverage ([`PointTile::classes`] over 0, see `web::tiles`): each
//! point a dot in the colour of its missing count (the legend's), ringed blue inside the
//! employment circle; each count a small pie of its points per missing count with a blue arc
//! for its share inside the employment circle.
//!
//! Discs are no larger than their label needs ([`tile_disc_radius`]); only a click on a disc's
//! core ([`CORE`] of its radius) is the disc's, so a click between discs on a crowded map
//! still picks the map.
//!
//! Cost: O(n) for the tile's n entries, O(s) sprites for s distinct symbols per layer.

use web_sys::HtmlCanvasElement;

use std::f64::consts::{FRAC_PI_2, TAU};

use web_sys::CanvasRenderingContext2d;

use super::points::{count_label, disc_of, sprite, sprite_half};
use super::symbols::missing_colour;
use super::symbols::{Symbol, category_symbol, kind_symbol};
use crate::plan::model::Category;
use crate::plan::package::LayerKind;
use crate::plan::tile::paint::class_parts;
use crate::plan::tile::points::PointTile;
use crate::plan::tile::{EXTENT, TILE_PX};

/// How a layer's points tiles are drawn: its kind and the sprites drawn so far.
pub(super) struct PointDraw {
    kind: LayerKind,
    /// Sprites by symbol index, drawn at `dpr`.
    sprites: Vec<Option<HtmlCanvasElement>>,
    dpr: f64,
}

impl PointDraw {
    pub(super) fn new(kind: LayerKind) -> Self {
        Self {
            kind,
            sprites: Vec::new(),
            dpr: 0.0,
        }
    }

    /// The symbol of index `k` (a facility's category, else the layer's symbol).
    fn symbol(&self, k: u16) -> Symbol {
        match self.kind {
            LayerKind::Facilities => Category::ALL
                .get(usize::from(k))
                .copied()
                .map_or_else(|| category_symbol(Category::Housekeeping), category_symbol),
            kind => kind_symbol(kind),
        }
    }

    /// Draws `tile`; true when it holds counts per cell.
    pub(super) fn draw(&mut self, canvas: &HtmlCanvasElement, tile: &PointTile, dpr: f64) -> bool {
        let counted = tile.count.iter().any(|&c| c > 1);
        let _ = canvas.set_attribute("data-entries", &tile.len().to_string());
        let _ = canvas.set_attribute("data-points", &tile.own_points().to_string());
        let _ = canvas.set_attribute("data-counted", if counted { "true" } else { "false" });
        if tile.classes > 0 {
            super::bitmap::paint(canvas, dpr, |ctx| paint_coverage(canvas, ctx, tile));
            return counted;
        }
        super::bitmap::paint(canvas, dpr, |ctx| self.symbols(canvas, ctx, tile, dpr));
        counted
    }

    /// The symbols and counts of [`PointDraw::draw`], and what it tells of them on `canvas`.
    fn symbols(
        &mut self,
        canvas: &HtmlCanvasElement,
        ctx: &CanvasRenderingContext2d,
        tile: &PointTile,
        dpr: f64,
    ) {
        if (self.dpr - dpr).abs() > f64::EPSILON {
            self.sprites.clear();
            self.dpr = dpr;
        }
        let unit = TILE_PX / EXTENT;
        // Singles first, then the discs from the largest down (a big one never hides a small).
        let mut order: Vec<usize> = (0..tile.len()).collect();
        crate::plan::sort::by_key(&mut order, |&i| {
            (tile.count[i] > 1, std::cmp::Reverse(tile.count[i]))
        });
        let mut biggest: Option<(u32, f64, f64)> = None;
        // Every disc drawn, `x,y,core radius` in CSS pixels of the tile: tests click between.
        let mut discs = Vec::new();
        for i in order {
            let (x, y) = (
                f64::from(tile.xy[2 * i]) * unit,
                f64::from(tile.xy[2 * i + 1]) * unit,
            );
            let sym = self.symbol(tile.sym[i]);
            if tile.count[i] > 1 {
                let colour = if sym.fill == "none" {
                    sym.stroke
                } else {
                    sym.fill
                };
                let r = tile_disc_radius(tile.count[i]);
                disc_of(ctx, (x, y), r, colour);
                discs.push(format!("{x:.1},{y:.1},{:.1}", r * CORE));
                count_label(ctx, (x, y), tile.count[i]);
                if tile.own[i] && biggest.is_none_or(|b| tile.count[i] > b.0) {
                    biggest = Some((tile.count[i], x, y));
                }
                continue;
            }
            let k = usize::from(tile.sym[i]);
            if self.sprites.len() <= k {
                self.sprites.resize(k + 1, None);
            }
            if self.sprites[k].is_none() {
                self.sprites[k] = sprite(sym, dpr);
            }
            if let Some(img) = &self.sprites[k] {
                let r = sprite_half(sym);
                let _ = ctx.draw_image_with_html_canvas_element_and_dw_and_dh(
                    img,
                    ((x - r) * dpr).round() / dpr,
                    ((y - r) * dpr).round() / dpr,
                    f64::from(img.width()) / dpr,
                    f64::from(img.height()) / dpr,
                );
            }
        }
        // Where the largest count of this tile is (CSS pixels in the tile): tests click it.
        if let Some((_, x, y)) = biggest {
            let _ = canvas.set_attribute("data-biggest", &format!("{x:.1},{y:.1}"));
        }
        let _ = canvas.set_attribute("data-discs", &discs.join(";"));
    }
}

/// The share of a disc's radius that a click must hit to be the disc's.
pub(super) const CORE: f64 = 0.75;

/// The radius of a count's disc on a tile, CSS pixels: room for its label, no more (a crowded
/// city's discs leave the map between them clickable).
pub(super) fn tile_disc_radius(n: u32) -> f64 {
    (4.5 + 2.5 * f64::from(n.max(1)).log10()).min(12.0)
}

/// The count's disc whose core is under `at` (CSS pixels in the tile), as tile-local units of
/// its centre.
pub(super) fn hit(tile: &PointTile, at: (f64, f64)) -> Option<(f64, f64)> {
    nearest(tile, at, |c| c > 1, |c| tile_disc_radius(c) * CORE).map(|(_, x, y)| (x, y))
}

/// The single point within 5 CSS pixels of `at`: its record (a tile's `first`).
pub(super) fn single_at(tile: &PointTile, at: (f64, f64)) -> Option<u32> {
    nearest(tile, at, |c| c == 1, |_| 5.0).and_then(|(i, _, _)| tile.first.get(i).copied())
}

/// The entry nearest `at` among those whose count passes `which`, within `reach(count)`.
fn nearest(
    tile: &PointTile,
    at: (f64, f64),
    which: impl Fn(u32) -> bool,
    reach: impl Fn(u32) -> f64,
) -> Option<(usize, f64, f64)> {
    let unit = TILE_PX / EXTENT;
    (0..tile.len())
        .filter(|&i| which(tile.count[i]))
        .filter_map(|i| {
            let (x, y) = (f64::from(tile.xy[2 * i]), f64::from(tile.xy[2 * i + 1]));
            let d = (x * unit - at.0).hypot(y * unit - at.1);
            (d <= reach(tile.count[i])).then_some((d, i, x, y))
        })
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, i, x, y)| (i, x, y))
}

/// Blue of the employment circle (rings and arcs).
const EMPLOYED_BLUE: &str = "#0b3d91";

/// Draws a demand tile painted by coverage, and tells what it drew on the canvas:
/// `data-painted` (classes), `data-class-points` (its own points per class) and
/// `data-sample` (`x,y,colour` of one of its single points, for tests to read the pixel).
fn paint_coverage(canvas: &HtmlCanvasElement, ctx: &CanvasRenderingContext2d, tile: &PointTile) {
    let k = usize::from(tile.classes);
    let unit = TILE_PX / EXTENT;
    let mut own = vec![0u64; k];
    let mut sample = None;
    let mut hist = tile.hist.chunks_exact(k);
    let mut discs = Vec::new();
    for i in 0..tile.len() {
        let (x, y) = (
            f64::from(tile.xy[2 * i]) * unit,
            f64::from(tile.xy[2 * i + 1]) * unit,
        );
        if tile.count[i] > 1 {
            let h = hist.next().unwrap_or(&[]);
            if tile.own[i] {
                for (o, c) in own.iter_mut().zip(h) {
                    *o += u64::from(*c);
                }
            }
            discs.push((tile.count[i], x, y, h));
            continue;
        }
        let (missing, inside) = class_parts(tile.sym[i], tile.classes);
        if let Some(o) = own
            .get_mut(usize::from(tile.sym[i]))
            .filter(|_| tile.own[i])
        {
            *o += 1;
        }
        let colour = missing_colour(missing);
        ctx.begin_path();
        let _ = ctx.arc(x, y, 4.0, 0.0, TAU);
        ctx.set_fill_style_str(colour);
        ctx.fill();
        ctx.set_line_width(if inside { 1.6 } else { 0.6 });
        ctx.set_stroke_style_str(if inside { EMPLOYED_BLUE } else { "#333333" });
        ctx.stroke();
        if sample.is_none() && tile.own[i] {
            sample = Some(format!("{x:.1},{y:.1},{colour}"));
        }
    }
    // The largest discs first: a small one is never hidden.
    crate::plan::sort::by_key(&mut discs, |d| std::cmp::Reverse(d.0));
    for (n, x, y, h) in discs {
        pie(ctx, (x, y), n, h, tile.classes);
    }
    let _ = canvas.set_attribute("data-painted", &k.to_string());
    let counts: Vec<String> = own.iter().map(u64::to_string).collect();
    let _ = canvas.set_attribute("data-class-points", &counts.join(","));
    if let Some(s) = sample {
        let _ = canvas.set_attribute("data-sample", &s);
    }
}

/// A count's disc as a pie of its points per missing count, a blue arc around it for the
/// share inside the employment circle, and the count.
fn pie(ctx: &CanvasRenderingContext2d, (x, y): (f64, f64), n: u32, hist: &[u32], classes: u8) {
    let radius = tile_disc_radius(n);
    let half = usize::from(classes / 2);
    let total = f64::from(n.max(1));
    let mut start = -FRAC_PI_2;
    for m in 0..half {
        let share = hist.get(m).copied().unwrap_or(0) + hist.get(m + half).copied().unwrap_or(0);
        if share == 0 {
            continue;
        }
        let end = start + TAU * f64::from(share) / total;
        ctx.begin_path();
        ctx.move_to(x, y);
        let _ = ctx.arc(x, y, radius, start, end);
        ctx.close_path();
        ctx.set_fill_style_str(missing_colour(u32::try_from(m).unwrap_or(0)));
        ctx.fill();
        start = end;
    }
    ctx.begin_path();
    let _ = ctx.arc(x, y, radius, 0.0, TAU);
    ctx.set_line_width(1.0);
    ctx.set_stroke_style_str("#5b6470");
    ctx.stroke();
    let inside: u32 = hist.iter().skip(half).sum();
    if inside > 0 {
        ctx.begin_path();
        let _ = ctx.arc(
            x,
            y,
            radius + 1.5,
            -FRAC_PI_2,
            -FRAC_PI_2 + TAU * f64::from(inside) / total,
        );
        ctx.set_line_width(2.5);
        ctx.set_stroke_style_str(EMPLOYED_BLUE);
        ctx.stroke();
    }
    count_label(ctx, (x, y), n);
}
