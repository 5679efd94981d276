//! The street network drawn on a canvas of its own, at a level of detail that fits the view:
//! a city's hundreds of thousands of ways are kept as flat coordinate arrays (no Leaflet object
//! per way) and drawn by class, majors on top.
//!
//! Level of detail: the ways in view are counted per class ([`highway_rank`]); classes are
//! drawn from the major roads down for as long as the vertices to draw stay within
//! [`VERTEX_BUDGET`], so a district shows every footway at any zoom and a whole city shows its
//! main roads first and the rest as the planner zooms in (the hidden classes are reported to
//! the map, which says so). Vertices closer than half a pixel to the last one drawn are
//! skipped. The canvas is a [`super::canvas`] layer.
//!
//! Cost per redraw: O(w) bounding-box tests for w ways, then O(v) for the v vertices drawn.

use wasm_bindgen::JsValue;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};
use yew::Callback;

use super::canvas::{After, CanvasLayer, Frame, Painter};
use super::symbols::street_style_of_rank;
use crate::plan::cluster::world_px;

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

struct Lines {
    lines: LinesBuilder,
    /// Told after each redraw whether some classes in view were left out.
    on_detail: Callback<bool>,
}

/// The street layer on its own canvas.
pub(super) struct LineLayer(CanvasLayer);

impl LineLayer {
    /// A layer drawing `lines` into the pane named `pane`, below its other canvases;
    /// `on_detail(true)` when minor classes are left out of the current view.
    pub(super) fn new(
        lines: LinesBuilder,
        pane: &'static str,
        on_detail: Callback<bool>,
    ) -> Option<Self> {
        let painter = Lines { lines, on_detail };
        CanvasLayer::new(Box::new(painter), pane, "sq-lines", true).map(Self)
    }

    /// The Leaflet layer (add it to the map or a group).
    pub(super) fn layer(&self) -> &leaflet::Layer {
        self.0.layer()
    }
}

impl Painter for Lines {
    fn removed(&mut self) -> After {
        let cb = self.on_detail.clone();
        Some(Box::new(move || cb.emit(false)))
    }

    fn paint(
        &mut self,
        ctx: &CanvasRenderingContext2d,
        f: &Frame,
        canvas: &HtmlCanvasElement,
    ) -> After {
        let view = f.world_box();
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
                let (mut lx, mut ly) = f.at(xy[0], xy[1]);
                ctx.move_to(lx, ly);
                let last = xy.len() / 2 - 1;
                for (k, p) in xy.chunks_exact(2).enumerate().skip(1) {
                    let (x, y) = f.at(p[0], p[1]);
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
        let cb = self.on_detail.clone();
        Some(Box::new(move || cb.emit(hidden)))
    }
}
