//! Bindings to Leaflet (the global `L`, loaded before the wasm module) beyond the `leaflet`
//! crate, and small helpers to build option objects and read GeoJSON feature properties.

use js_sys::{Object, Reflect};
use leaflet::Layer;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use super::symbols::Shape;

/// Escapes text for HTML (Leaflet's attribution control sets `innerHTML`).
pub fn escape_html(t: &str) -> String {
    let mut o = String::with_capacity(t.len());
    for c in t.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

pub(super) fn obj(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in pairs {
        let _ = Reflect::set(&o, &JsValue::from_str(k), v);
    }
    o.into()
}

pub(super) fn s(v: &str) -> JsValue {
    JsValue::from_str(v)
}

pub(super) fn n(v: f64) -> JsValue {
    JsValue::from_f64(v)
}

pub(super) fn prop_str(feature: &JsValue, key: &str) -> Option<String> {
    let props = Reflect::get(feature, &s("properties")).ok()?;
    Reflect::get(&props, &s(key)).ok()?.as_string()
}

pub(super) fn prop_f64(feature: &JsValue, key: &str) -> Option<f64> {
    let props = Reflect::get(feature, &s("properties")).ok()?;
    Reflect::get(&props, &s(key)).ok()?.as_f64()
}

pub(super) fn call0(target: &JsValue, method: &str) -> Option<JsValue> {
    Reflect::get(target, &s(method))
        .ok()?
        .dyn_into::<js_sys::Function>()
        .ok()?
        .call0(target)
        .ok()
}

/// Draws a shaped marker on its canvas renderer, the way Leaflet 1.9's `Canvas._updateCircle`
/// draws a circle (same private fields: `_renderer._drawing`, `_ctx`, `_point`, `_radius`,
/// `_fillStroke`; Leaflet is pinned in package.json).
pub(super) fn draw_shape(layer: &JsValue, shape: Shape) -> Option<()> {
    let r = Reflect::get(layer, &s("_renderer")).ok()?;
    if !Reflect::get(&r, &s("_drawing")).ok()?.is_truthy() || call0(layer, "_empty")?.is_truthy() {
        return None;
    }
    let ctx: web_sys::CanvasRenderingContext2d =
        Reflect::get(&r, &s("_ctx")).ok()?.dyn_into().ok()?;
    let p = Reflect::get(layer, &s("_point")).ok()?;
    let x = Reflect::get(&p, &s("x")).ok()?.as_f64()?;
    let y = Reflect::get(&p, &s("y")).ok()?.as_f64()?;
    let rad = Reflect::get(layer, &s("_radius")).ok()?.as_f64()?.max(1.0);
    ctx.begin_path();
    for (i, (ux, uy)) in shape.outline().iter().enumerate() {
        if i == 0 {
            ctx.move_to(x + ux * rad, y + uy * rad);
        } else {
            ctx.line_to(x + ux * rad, y + uy * rad);
        }
    }
    ctx.close_path();
    let fill_stroke = Reflect::get(&r, &s("_fillStroke"))
        .ok()?
        .dyn_into::<js_sys::Function>()
        .ok()?;
    fill_stroke.call2(&r, &ctx, layer).ok()?;
    Some(())
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = L, js_name = geoJSON)]
    pub(super) fn geo_json(data: &JsValue, options: &JsValue) -> Layer;
    #[wasm_bindgen(js_namespace = L, js_name = circleMarker)]
    pub(super) fn circle_marker(latlng: &JsValue, options: &JsValue) -> Layer;
    #[wasm_bindgen(js_namespace = L, js_name = canvas)]
    pub(super) fn canvas(options: &JsValue) -> JsValue;
    #[wasm_bindgen(js_namespace = L, js_name = svg)]
    pub(super) fn svg(options: &JsValue) -> JsValue;
    #[wasm_bindgen(js_namespace = L, js_name = divIcon)]
    pub(super) fn div_icon(options: &JsValue) -> JsValue;
    #[wasm_bindgen(js_namespace = L, js_name = marker)]
    pub(super) fn marker(latlng: &JsValue, options: &JsValue) -> Layer;
    #[wasm_bindgen(js_namespace = L, js_name = tileLayer)]
    pub(super) fn tile_layer(url: &str, options: &JsValue) -> Layer;
}

pub(super) fn document() -> Option<web_sys::Document> {
    web_sys::window().and_then(|w| w.document())
}
