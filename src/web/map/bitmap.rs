//! A tile drawn off the page and shown as a bitmap: the drawing goes to one `OffscreenCanvas`
//! shared by every tile, `transferToImageBitmap` rasterises it there and then (so the frame
//! budget of [`super::frames`] counts the raster, not only the recording), and the tile's
//! canvas shows the bitmap through an `ImageBitmapRenderingContext` (no copy).
//!
//! Why: Chromium produces a new compositor resource for every 2-D canvas of the page in every
//! frame while anything on the page moves (headless, software compositing: ≈ 0.05–0.09 ms a
//! canvas, 180 tile canvases at the whole-city view: 5–15 ms of each frame of a pan, measured in
//! BENCHMARKS.md "Panning the whole city within a frame"); a canvas that shows an `ImageBitmap`
//! produces none. A browser without `OffscreenCanvas` gets the tile drawn on its own 2-D canvas,
//! as before.
//!
//! Cost: the drawing's own, plus one raster of `side²` pixels per tile; nothing per frame.

use std::cell::RefCell;

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

#[wasm_bindgen]
extern "C" {
    /// `OffscreenCanvas` (its 2-D context answers the same calls as a canvas element's).
    #[wasm_bindgen(js_name = OffscreenCanvas)]
    type Offscreen;
    #[wasm_bindgen(constructor, js_class = "OffscreenCanvas", catch)]
    fn new(width: u32, height: u32) -> Result<Offscreen, JsValue>;
    #[wasm_bindgen(method, js_class = "OffscreenCanvas", js_name = getContext, catch)]
    fn get_context(this: &Offscreen, kind: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, js_class = "OffscreenCanvas", js_name = transferToImageBitmap, catch)]
    fn transfer_to_image_bitmap(this: &Offscreen) -> Result<JsValue, JsValue>;

    /// `ImageBitmapRenderingContext`.
    #[wasm_bindgen(js_name = ImageBitmapRenderingContext)]
    type BitmapRenderer;
    #[wasm_bindgen(method, js_class = "ImageBitmapRenderingContext", js_name = transferFromImageBitmap, catch)]
    fn transfer_from_image_bitmap(this: &BitmapRenderer, bitmap: &JsValue) -> Result<(), JsValue>;
}

/// The shared drawing surface: its side in pixels, the canvas and its 2-D context.
enum Surface {
    /// Not made yet.
    Unknown,
    /// This browser has none (or refused one).
    None,
    Made(u32, Offscreen, CanvasRenderingContext2d),
}

thread_local! {
    static SURFACE: RefCell<Surface> = const { RefCell::new(Surface::Unknown) };
}

/// Draws on `canvas` (a tile, `dpr` device pixels per CSS pixel): `draw` gets a 2-D context in
/// CSS pixels, off the page when the browser allows (see the module's doc), else the canvas's
/// own. `draw` runs once.
pub(super) fn paint(
    canvas: &HtmlCanvasElement,
    dpr: f64,
    draw: impl FnOnce(&CanvasRenderingContext2d),
) {
    let side = canvas.width();
    let mut draw = Some(draw);
    let shown = SURFACE.with(|s| {
        let mut s = s.borrow_mut();
        let fits = matches!(&*s, Surface::Made(w, _, _) if *w == side);
        if !fits && !matches!(&*s, Surface::None) {
            *s = make(side);
        }
        let Surface::Made(_, off, ctx) = &*s else {
            return false;
        };
        let Ok(Some(shown)) = canvas.get_context("bitmaprenderer") else {
            return false;
        };
        ctx.save();
        if ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0).is_ok()
            && let Some(d) = draw.take()
        {
            d(ctx);
        }
        ctx.restore();
        // Rasterised here; a refused transfer leaves the tile blank rather than half drawn.
        off.transfer_to_image_bitmap()
            .and_then(|b| {
                shown
                    .unchecked_into::<BitmapRenderer>()
                    .transfer_from_image_bitmap(&b)
            })
            .is_ok()
    });
    if !shown
        && let Some(d) = draw.take()
        && let Some(ctx) = own_context(canvas, dpr)
    {
        d(&ctx);
    }
}

/// The shared surface of `side` pixels, or [`Surface::None`] when the browser has none.
fn make(side: u32) -> Surface {
    let Ok(off) = Offscreen::new(side, side) else {
        return Surface::None;
    };
    match off.get_context("2d") {
        // Not a `CanvasRenderingContext2D` for `instanceof`, but it answers the same calls
        // (web-sys calls them structurally).
        Ok(c) if c.is_object() => Surface::Made(side, off, c.unchecked_into()),
        _ => Surface::None,
    }
}

/// A tile canvas's own 2-D context, drawing in CSS pixels.
fn own_context(canvas: &HtmlCanvasElement, dpr: f64) -> Option<CanvasRenderingContext2d> {
    let ctx: CanvasRenderingContext2d = canvas.get_context("2d").ok()??.dyn_into().ok()?;
    ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0).ok()?;
    Some(ctx)
}
