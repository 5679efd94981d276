//! A points tile drawn on its canvas: single points as their symbols' sprites (one
//! `drawImage` each, as [`super::points`]), counts per cell as discs labelled with the count in
//! the colour of the cell's most frequent symbol; and which disc a click hits.
//!
//! Cost: O(n) for the tile's n entries, O(s) sprites for s distinct symbols per layer.

use web_sys::HtmlCanvasElement;

use super::points::{disc, disc_radius, sprite, sprite_half};
use super::symbols::{Symbol, category_symbol, kind_symbol};
use crate::plan::model::Category;
use crate::plan::package::LayerKind;
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
        let Some(ctx) = super::tiles::tile_context(canvas, dpr) else {
            return counted;
        };
        if (self.dpr - dpr).abs() > f64::EPSILON {
            self.sprites.clear();
            self.dpr = dpr;
        }
        let unit = TILE_PX / EXTENT;
        // Singles first, then the discs from the largest down (a big one never hides a small).
        let mut order: Vec<usize> = (0..tile.len()).collect();
        order.sort_by_key(|&i| (tile.count[i] > 1, std::cmp::Reverse(tile.count[i])));
        let mut biggest: Option<(u32, f64, f64)> = None;
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
                disc(&ctx, (x, y), tile.count[i], colour);
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
        counted
    }
}

/// The count's disc under `at` (CSS pixels in the tile), as tile-local units of its centre.
pub(super) fn hit(tile: &PointTile, at: (f64, f64)) -> Option<(f64, f64)> {
    let unit = TILE_PX / EXTENT;
    (0..tile.len())
        .filter(|&i| tile.count[i] > 1)
        .filter_map(|i| {
            let (x, y) = (f64::from(tile.xy[2 * i]), f64::from(tile.xy[2 * i + 1]));
            let d = (x * unit - at.0).hypot(y * unit - at.1);
            (d <= disc_radius(tile.count[i]) + 1.0).then_some((d, x, y))
        })
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, x, y)| (x, y))
}
