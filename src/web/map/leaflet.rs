//! Bindings to Leaflet (the global `L`, loaded before the wasm module) beyond the `leaflet`
//! crate, and small helpers to build option objects and read GeoJSON feature properties.

use js_sys::{Object, Reflect};
use leaflet::Layer;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

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
