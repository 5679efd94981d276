//! A scenario's network edits on the map: new paths (solid bluish green), closed segments
//! (black, dashed), opened and closed compound gates (filled and hollow circles), and the path
//! being drawn (grey). Drawn through Leaflet's public API (`L.geoJSON`, `L.circleMarker`) on
//! their own SVG renderer (class `net-edit`), not interactive, so a click on them reaches the
//! map and the edit tool in use. The style closures are owned by [`EditsLayer`] and dropped
//! with it; dropping it takes the layer off the map.

use leaflet::{Layer, Map};
use wasm_bindgen::prelude::*;

use super::leaflet::{call0, circle_marker, geo_json, n, obj, prop_str, s, svg};

/// The drawn edits: the layer and the closures it calls.
pub(super) struct EditsLayer {
    layer: Layer,
    _style: Closure<dyn FnMut(JsValue) -> JsValue>,
    _point: Closure<dyn FnMut(JsValue, JsValue) -> JsValue>,
}

impl EditsLayer {
    /// Draws the edits of `text` (GeoJSON whose features carry `edit`: `add_path`, `close`,
    /// `gate_open`, `gate_closed` or `draft`) on `map`; `None` when the text does not parse.
    pub(super) fn new(map: &Map, text: &str) -> Option<Self> {
        let data = js_sys::JSON::parse(text).ok()?;
        let style = Closure::<dyn FnMut(JsValue) -> JsValue>::new(|f: JsValue| {
            line_style(prop_str(&f, "edit").as_deref())
        });
        let renderer = svg(&obj(&[]));
        let point_renderer = renderer.clone();
        let point = Closure::<dyn FnMut(JsValue, JsValue) -> JsValue>::new(
            move |f: JsValue, latlng: JsValue| {
                let fill = match prop_str(&f, "edit").as_deref() {
                    Some("gate_open") => "#009e73",
                    Some("gate_closed") => "#ffffff",
                    _ => "#666666",
                };
                circle_marker(
                    &latlng,
                    &obj(&[
                        ("renderer", point_renderer.clone()),
                        ("radius", n(7.0)),
                        ("color", s("#000000")),
                        ("weight", n(2.0)),
                        ("fillColor", s(fill)),
                        ("fillOpacity", n(1.0)),
                        ("interactive", JsValue::FALSE),
                        ("className", s("net-edit")),
                    ]),
                )
                .into()
            },
        );
        let layer = geo_json(
            &data,
            &obj(&[
                ("style", style.as_ref().clone()),
                ("pointToLayer", point.as_ref().clone()),
                ("renderer", renderer),
                ("interactive", JsValue::FALSE),
                ("className", s("net-edit")),
            ]),
        );
        map.add_layer(&layer);
        Some(Self {
            layer,
            _style: style,
            _point: point,
        })
    }
}

impl Drop for EditsLayer {
    fn drop(&mut self) {
        self.layer.remove();
    }
}

fn line_style(edit: Option<&str>) -> JsValue {
    match edit {
        Some("add_path") => obj(&[
            ("color", s("#009e73")),
            ("weight", n(6.0)),
            ("opacity", n(0.95)),
        ]),
        Some("close") => obj(&[
            ("color", s("#000000")),
            ("weight", n(7.0)),
            ("opacity", n(0.9)),
            ("dashArray", s("8 6")),
            ("lineCap", s("butt")),
        ]),
        _ => obj(&[
            ("color", s("#666666")),
            ("weight", n(4.0)),
            ("dashArray", s("2 4")),
        ]),
    }
}

/// Marks the map while an edit tool is in use (`data-drawing`: a crosshair cursor).
pub(super) fn set_drawing(map: &Map, on: bool) {
    let Some(el) = call0(map, "getContainer") else {
        return;
    };
    let el: web_sys::Element = wasm_bindgen::JsCast::unchecked_into(el);
    let _ = el.set_attribute("data-drawing", if on { "true" } else { "false" });
}
