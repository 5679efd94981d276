//! "Export map as PNG": composites what is on screen into one canvas and downloads it.

use js_sys::Reflect;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::HtmlElement;

use super::leaflet::s;

/// Why the map could not be exported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExportError {
    /// Tiles from another origin without CORS made the canvas unreadable.
    Tainted,
    /// Anything else (no map on the page, the browser refused).
    Other(String),
}

pub(super) fn js_err(e: &JsValue) -> String {
    e.as_string()
        .or_else(|| {
            Reflect::get(e, &s("message"))
                .ok()
                .and_then(|m| m.as_string())
        })
        .unwrap_or_else(|| format!("{e:?}"))
}

/// Waits until an image has loaded (or failed).
async fn loaded(img: &web_sys::HtmlImageElement) -> Result<(), JsValue> {
    let p = js_sys::Promise::new(&mut |resolve, reject| {
        img.set_onload(Some(&resolve));
        img.set_onerror(Some(&reject));
    });
    wasm_bindgen_futures::JsFuture::from(p).await.map(|_| ())
}

pub(super) fn rel_rect(el: &web_sys::Element, origin: &web_sys::DomRect) -> (f64, f64, f64, f64) {
    let r = el.get_bounding_client_rect();
    (
        r.x() - origin.x(),
        r.y() - origin.y(),
        r.width(),
        r.height(),
    )
}

pub(super) fn select_all(root: &web_sys::Element, sel: &str) -> Vec<web_sys::Element> {
    let Ok(list) = root.query_selector_all(sel) else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<web_sys::Element>().ok())
        .collect()
}

pub(super) fn computed(el: &web_sys::Element, prop: &str) -> Option<String> {
    web_sys::window()?
        .get_computed_style(el)
        .ok()??
        .get_property_value(prop)
        .ok()
}

/// Composites the map as shown — tiles (if any), the canvas layers, the SVG overlay pane,
/// marker images, posting clusters, labels and the attribution — into one canvas and
/// downloads it as `shuangquan-map.png` through a Blob URL. `map` is the Leaflet container
/// (`#map`). Tiles from another origin may taint the canvas: that is reported as
/// [`ExportError::Tainted`], never a silent failure.
#[allow(clippy::many_single_char_names)]
pub async fn export_png(map: &web_sys::Element) -> Result<(), ExportError> {
    let other = |e: &JsValue| ExportError::Other(js_err(e));
    let win = web_sys::window().ok_or_else(|| ExportError::Other("no window".into()))?;
    let doc = win
        .document()
        .ok_or_else(|| ExportError::Other("no document".into()))?;
    let origin = map.get_bounding_client_rect();
    let (w, h) = (origin.width(), origin.height());
    if w < 1.0 || h < 1.0 {
        return Err(ExportError::Other("the map has no size".into()));
    }
    let dpr = win.device_pixel_ratio().max(1.0);
    let canvas: web_sys::HtmlCanvasElement = doc
        .create_element("canvas")
        .map_err(|e| other(&e))?
        .unchecked_into();
    canvas.set_width((w * dpr).round() as u32);
    canvas.set_height((h * dpr).round() as u32);
    let ctx: web_sys::CanvasRenderingContext2d = canvas
        .get_context("2d")
        .map_err(|e| other(&e))?
        .ok_or_else(|| ExportError::Other("no 2d context".into()))?
        .unchecked_into();
    ctx.scale(dpr, dpr).map_err(|e| other(&e))?;
    ctx.set_fill_style_str(&computed(map, "background-color").unwrap_or_else(|| "#f4f2ee".into()));
    ctx.fill_rect(0.0, 0.0, w, h);

    // Tiles.
    for el in select_all(map, ".leaflet-tile-pane img.leaflet-tile-loaded") {
        let (x, y, tw, th) = rel_rect(&el, &origin);
        let img: web_sys::HtmlImageElement = el.unchecked_into();
        let _ = ctx.draw_image_with_html_image_element_and_dw_and_dh(&img, x, y, tw, th);
    }
    // Canvas and SVG renderers of the overlay pane and its street tiles, then the point
    // symbols' canvases and tiles and the overlays' renderer (their panes come later in the
    // document and lie above).
    for el in select_all(
        map,
        ".leaflet-overlay-pane > canvas, .leaflet-overlay-pane > svg, \
         .leaflet-overlay-pane canvas.sq-tile, .leaflet-sq-points-pane > canvas, \
         .leaflet-sq-points-pane canvas.sq-tile, .leaflet-sq-overlays-pane > canvas",
    ) {
        let (x, y, cw, ch) = rel_rect(&el, &origin);
        if el.tag_name().eq_ignore_ascii_case("canvas") {
            let c: web_sys::HtmlCanvasElement = el.unchecked_into();
            let _ = ctx.draw_image_with_html_canvas_element_and_dw_and_dh(&c, x, y, cw, ch);
            continue;
        }
        let text = web_sys::XmlSerializer::new()
            .and_then(|ser| ser.serialize_to_string(&el))
            .map_err(|e| other(&e))?;
        let bag = web_sys::BlobPropertyBag::new();
        bag.set_type("image/svg+xml");
        let blob = web_sys::Blob::new_with_str_sequence_and_options(
            &js_sys::Array::of1(&JsValue::from_str(&text)),
            &bag,
        )
        .map_err(|e| other(&e))?;
        let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|e| other(&e))?;
        let img = web_sys::HtmlImageElement::new().map_err(|e| other(&e))?;
        img.set_src(&url);
        let ok = loaded(&img).await;
        let _ = web_sys::Url::revoke_object_url(&url);
        if ok.is_ok() {
            let _ = ctx.draw_image_with_html_image_element_and_dw_and_dh(&img, x, y, cw, ch);
        }
    }
    // Posting clusters.
    ctx.set_text_align("center");
    ctx.set_text_baseline("middle");
    for el in select_all(map, ".sq-cluster") {
        let (x, y, cw, ch) = rel_rect(&el, &origin);
        let (cx, cy, r) = (x + cw / 2.0, y + ch / 2.0, cw.min(ch) / 2.0);
        ctx.begin_path();
        let _ = ctx.arc(cx, cy, r, 0.0, std::f64::consts::TAU);
        ctx.set_fill_style_str(
            &computed(&el, "background-color").unwrap_or_else(|| "#1b1f24".into()),
        );
        ctx.fill();
        ctx.set_stroke_style_str("#ffffff");
        ctx.set_line_width(2.0);
        ctx.stroke();
        ctx.set_fill_style_str(&computed(&el, "color").unwrap_or_else(|| "#ffffff".into()));
        ctx.set_font("bold 12px sans-serif");
        let _ = ctx.fill_text(&el.text_content().unwrap_or_default(), cx, cy);
    }
    // Marker images (the chosen point) and numbered site markers.
    for el in select_all(map, ".leaflet-marker-pane > *") {
        let (x, y, mw, mh) = rel_rect(&el, &origin);
        if el.tag_name().eq_ignore_ascii_case("img") {
            let img: web_sys::HtmlImageElement = el.unchecked_into();
            let _ = ctx.draw_image_with_html_image_element_and_dw_and_dh(&img, x, y, mw, mh);
        } else {
            let (cx, cy) = (x + mw / 2.0, y + mh / 2.0);
            ctx.begin_path();
            let _ = ctx.arc(cx, cy, mw.min(mh) / 2.0, 0.0, std::f64::consts::TAU);
            ctx.set_fill_style_str(
                &computed(&el, "background-color").unwrap_or_else(|| "#0b3d91".into()),
            );
            ctx.fill();
            ctx.set_fill_style_str(&computed(&el, "color").unwrap_or_else(|| "#ffffff".into()));
            ctx.set_font("bold 12px sans-serif");
            let _ = ctx.fill_text(&el.text_content().unwrap_or_default(), cx, cy);
        }
    }
    // Labels, with a white halo.
    for el in select_all(map, ".sq-label-text") {
        let (x, y, lw, lh) = rel_rect(&el, &origin);
        let angle: f64 = el
            .get_attribute("data-angle")
            .and_then(|a| a.parse().ok())
            .unwrap_or(0.0);
        let zone = el
            .parent_element()
            .is_some_and(|p| p.class_name().contains("sq-zone-label"));
        ctx.save();
        let _ = ctx.translate(x + lw / 2.0, y + lh / 2.0);
        let _ = ctx.rotate(angle.to_radians());
        ctx.set_font(if zone {
            "bold 13px sans-serif"
        } else {
            "12px sans-serif"
        });
        ctx.set_line_width(3.0);
        ctx.set_stroke_style_str("rgba(255,255,255,0.9)");
        let text = el.text_content().unwrap_or_default();
        let _ = ctx.stroke_text(&text, 0.0, 0.0);
        ctx.set_fill_style_str(if zone { "#3b2f5c" } else { "#3d434b" });
        let _ = ctx.fill_text(&text, 0.0, 0.0);
        ctx.restore();
    }
    // Attribution, bottom right.
    let attribution: String = select_all(map, ".leaflet-control-attribution")
        .first()
        .and_then(|a| a.dyn_ref::<HtmlElement>().map(HtmlElement::inner_text))
        .unwrap_or_default();
    if !attribution.trim().is_empty() {
        ctx.set_font("11px sans-serif");
        ctx.set_text_align("right");
        ctx.set_text_baseline("bottom");
        ctx.set_line_width(3.0);
        ctx.set_stroke_style_str("rgba(255,255,255,0.9)");
        let _ = ctx.stroke_text(attribution.trim(), w - 6.0, h - 4.0);
        ctx.set_fill_style_str("#333333");
        let _ = ctx.fill_text(attribution.trim(), w - 6.0, h - 4.0);
    }

    // Encode and download. A tainted canvas throws a SecurityError here.
    let canvas2 = canvas.clone();
    let p = js_sys::Promise::new(&mut |resolve, reject| {
        let cb = Closure::once_into_js(move |blob: JsValue| {
            let _ = resolve.call1(&JsValue::NULL, &blob);
        });
        if let Err(e) = canvas2.to_blob_with_type(cb.unchecked_ref(), "image/png") {
            let _ = reject.call1(&JsValue::NULL, &e);
        }
    });
    let blob = match wasm_bindgen_futures::JsFuture::from(p).await {
        Ok(b) if !b.is_null() => b,
        Ok(_) => return Err(ExportError::Other("the browser made no PNG".into())),
        Err(e) => {
            let name = Reflect::get(&e, &s("name"))
                .ok()
                .and_then(|n| n.as_string());
            return Err(if name.as_deref() == Some("SecurityError") {
                ExportError::Tainted
            } else {
                other(&e)
            });
        }
    };
    let blob: web_sys::Blob = blob.unchecked_into();
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|e| other(&e))?;
    let a: web_sys::HtmlAnchorElement = doc
        .create_element("a")
        .map_err(|e| other(&e))?
        .unchecked_into();
    a.set_href(&url);
    a.set_download("shuangquan-map.png");
    if let Some(body) = doc.body() {
        let _ = body.append_child(&a);
        a.click();
        let _ = body.remove_child(&a);
    }
    // Revoke once the download has started.
    let revoke = Closure::once_into_js(move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    let _ =
        win.set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), 10_000);
    Ok(())
}
