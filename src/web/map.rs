//! The Leaflet map as an imperative island: the component renders one `<div>` that the virtual
//! DOM never touches again; Leaflet owns it, and layers are synced from effects.
//!
//! Dense layers draw on one shared canvas renderer. Layer data arrives as GeoJSON text and is
//! parsed by the browser's `JSON.parse`, so the main thread never walks it in Rust.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use js_sys::{Object, Reflect};
use leaflet::{Evented, LatLng, Layer, Map, MapOptions, Marker, MarkerOptions};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::HtmlElement;
use yew::prelude::*;

use crate::plan::model::Category;
use crate::plan::package::LayerKind;

/// One data layer to draw.
#[derive(Debug, Clone, PartialEq)]
pub struct DrawLayer {
    /// Layer id (unique in the package).
    pub id: String,
    /// What it holds (decides the style).
    pub kind: LayerKind,
    /// GeoJSON text.
    pub geojson: Rc<str>,
    /// Whether it is shown.
    pub visible: bool,
}

/// How an analysis overlay is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OverlayStyle {
    /// Demand points coloured by how many of the enabled base categories (bit mask over
    /// [`Category::BASE_SIX`]) are missing (`miss` property).
    CoveragePoints {
        /// Enabled categories.
        mask: u8,
    },
    /// Units (`unit` property) filled by missing categories, the selected one outlined.
    CoverageUnits {
        /// Enabled categories.
        mask: u8,
        /// Selected unit.
        selected: Option<usize>,
    },
    /// Chosen sites: numbered markers (`order` property).
    Sites,
    /// Placement demand points by status (`s`: 0 covered now, 1 newly covered, 2 uncovered for
    /// lack of budget, 3 no candidate in reach, 4 off network).
    PlaceDemand,
    /// Small labelled markers (`label` property) with a CSS class: accepted sites, clicked
    /// candidates, the two sides of a comparison.
    Marks {
        /// CSS class of the marker.
        class: &'static str,
    },
    /// A walking route.
    Route,
    /// Nearby postings (`i` property), the selected one larger.
    Hits {
        /// Selected hit.
        selected: Option<usize>,
    },
}

/// An analysis overlay (drawn above the data layers, clickable).
#[derive(Debug, Clone, PartialEq)]
pub struct Overlay {
    /// Overlay id; clicks report it.
    pub id: &'static str,
    /// GeoJSON text.
    pub geojson: Rc<str>,
    /// Style.
    pub style: OverlayStyle,
}

/// Placement status → fill colour (Okabe–Ito: blue covered now, orange newly covered,
/// vermilion-pink budget, grey no candidate, black off network).
pub fn place_status_colour(status: u8) -> &'static str {
    match status {
        0 => "#56b4e9",
        1 => "#e69f00",
        2 => "#cc79a7",
        3 => "#999999",
        _ => "#000000",
    }
}

/// Escapes text for a marker's HTML.
fn html_escape(t: &str) -> String {
    t.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Number of categories missing → fill colour (light to dark; sequential, colour-blind safe).
pub fn missing_colour(n: u32) -> &'static str {
    match n {
        0 => "#ffffcc",
        1 => "#fed976",
        2 => "#feb24c",
        3 => "#fd8d3c",
        4 => "#f03b20",
        5 => "#bd0026",
        _ => "#67000d",
    }
}

/// Properties of [`MapView`].
#[derive(Clone, Properties)]
pub struct MapViewProps {
    /// Changing this re-centres the map on `center_wgs84`/`zoom` (e.g. the package id).
    pub view_key: AttrValue,
    /// Centre, WGS-84 (lon, lat).
    pub center_wgs84: (f64, f64),
    /// Zoom level.
    pub zoom: f64,
    /// Accessible name of the map region.
    pub label: AttrValue,
    /// Data layers, bottom first.
    #[prop_or_default]
    pub layers: Rc<Vec<DrawLayer>>,
    /// The chosen point (WGS-84), drawn as a draggable marker.
    #[prop_or_default]
    pub home_wgs84: Option<(f64, f64)>,
    /// Isochrone GeoJSON (features with a `minutes` property), drawn largest first.
    #[prop_or_default]
    pub isochrone: Option<Rc<str>>,
    /// Called with (lon, lat) when the user picks a point: click, Enter, or marker drag.
    pub on_pick: Callback<(f64, f64)>,
    /// Analysis overlays, bottom first.
    #[prop_or_default]
    pub overlays: Rc<Vec<Overlay>>,
    /// Called with (overlay id, feature's `unit` or `i` property) when an overlay feature is
    /// clicked.
    #[prop_or_default]
    pub on_feature: Callback<(&'static str, usize)>,
    /// Zoom to the feature of an overlay whose `unit` (or `i`) is this; the number makes a
    /// repeated request distinct.
    #[prop_or_default]
    pub focus: Option<(&'static str, usize, u32)>,
}

impl PartialEq for MapViewProps {
    fn eq(&self, o: &Self) -> bool {
        self.view_key == o.view_key
            && self.center_wgs84 == o.center_wgs84
            && self.zoom == o.zoom
            && self.label == o.label
            && Rc::ptr_eq(&self.layers, &o.layers)
            && self.home_wgs84 == o.home_wgs84
            && self.isochrone.as_ref().map(Rc::as_ptr) == o.isochrone.as_ref().map(Rc::as_ptr)
            && Rc::ptr_eq(&self.overlays, &o.overlays)
            && self.focus == o.focus
    }
}

/// Leaflet objects owned by the component, with the closures they call.
struct Ctl {
    map: Map,
    renderer: JsValue,
    layers: BTreeMap<String, (DrawLayer, Layer)>,
    home: Option<Marker>,
    iso: Option<Layer>,
    overlays: Vec<(Overlay, Layer)>,
    closures: Vec<Closure<dyn FnMut(JsValue) -> JsValue>>,
    marker_closures: Vec<Closure<dyn FnMut(JsValue)>>,
}

fn obj(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in pairs {
        let _ = Reflect::set(&o, &JsValue::from_str(k), v);
    }
    o.into()
}

fn s(v: &str) -> JsValue {
    JsValue::from_str(v)
}

fn n(v: f64) -> JsValue {
    JsValue::from_f64(v)
}

/// Okabe–Ito colours (colour-blind safe) for the base six, greys for extras.
pub fn category_colour(c: Category) -> &'static str {
    match c {
        Category::Store => "#E69F00",
        Category::Breakfast => "#B8860B",
        Category::Market => "#009E73",
        Category::Repair => "#CC79A7",
        Category::Elderly => "#D55E00",
        Category::Childcare => "#56B4E9",
        _ => "#7F7F7F",
    }
}

/// Walking-time band colours (5, 10, 15 minutes), dark to light.
pub fn band_colour(minutes: f64) -> &'static str {
    if minutes <= 5.0 {
        "#08519c"
    } else if minutes <= 10.0 {
        "#3182bd"
    } else {
        "#6baed6"
    }
}

fn prop_str(feature: &JsValue, key: &str) -> Option<String> {
    let props = Reflect::get(feature, &s("properties")).ok()?;
    Reflect::get(&props, &s(key)).ok()?.as_string()
}

fn prop_f64(feature: &JsValue, key: &str) -> Option<f64> {
    let props = Reflect::get(feature, &s("properties")).ok()?;
    Reflect::get(&props, &s(key)).ok()?.as_f64()
}

fn style_for(kind: LayerKind, feature: &JsValue) -> JsValue {
    match kind {
        LayerKind::Streets => {
            let major = matches!(
                prop_str(feature, "highway").as_deref(),
                Some("primary" | "secondary" | "trunk" | "primary_link" | "secondary_link")
            );
            obj(&[
                ("color", s(if major { "#9aa3ae" } else { "#c3c9d1" })),
                ("weight", n(if major { 2.5 } else { 1.2 })),
                ("opacity", n(1.0)),
            ])
        }
        LayerKind::Boundaries => obj(&[
            ("color", s("#4a5360")),
            ("weight", n(2.0)),
            ("dashArray", s("6 4")),
            ("fill", JsValue::FALSE),
        ]),
        LayerKind::Communities => obj(&[
            ("color", s("#6b7380")),
            ("weight", n(1.0)),
            ("fillOpacity", n(0.03)),
        ]),
        _ => obj(&[]),
    }
}

fn point_options(kind: LayerKind, feature: &JsValue, renderer: &JsValue) -> JsValue {
    let (fill, stroke, radius, weight) = match kind {
        LayerKind::Stations => ("#0072B2", "#ffffff", 7.0, 2.0),
        LayerKind::Facilities => {
            let c = prop_str(feature, "category")
                .and_then(|c| c.parse::<Category>().ok())
                .map_or("#7F7F7F", category_colour);
            (c, "#1b1f24", 3.5, 0.6)
        }
        LayerKind::Postings => ("#1b1f24", "#1b1f24", 1.8, 0.0),
        LayerKind::Demand => ("#7570b3", "#7570b3", 2.2, 0.0),
        LayerKind::Candidates => ("#ffffff", "#7a1f6b", 3.0, 1.2),
        _ => ("#4a5360", "#4a5360", 3.0, 1.0),
    };
    obj(&[
        ("renderer", renderer.clone()),
        ("radius", n(radius)),
        ("color", s(stroke)),
        ("weight", n(weight)),
        ("fillColor", s(fill)),
        ("fillOpacity", n(0.9)),
    ])
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = L, js_name = geoJSON)]
    fn geo_json(data: &JsValue, options: &JsValue) -> Layer;
    #[wasm_bindgen(js_namespace = L, js_name = circleMarker)]
    fn circle_marker(latlng: &JsValue, options: &JsValue) -> Layer;
    #[wasm_bindgen(js_namespace = L, js_name = canvas)]
    fn canvas(options: &JsValue) -> JsValue;
    #[wasm_bindgen(js_namespace = L, js_name = svg)]
    fn svg(options: &JsValue) -> JsValue;
    #[wasm_bindgen(js_namespace = L, js_name = divIcon)]
    fn div_icon(options: &JsValue) -> JsValue;
    #[wasm_bindgen(js_namespace = L, js_name = marker)]
    fn marker(latlng: &JsValue, options: &JsValue) -> Layer;
}

impl Ctl {
    fn add_data_layer(&mut self, l: &DrawLayer) -> Option<Layer> {
        let data = js_sys::JSON::parse(&l.geojson).ok()?;
        let kind = l.kind;
        let style =
            Closure::<dyn FnMut(JsValue) -> JsValue>::new(move |f: JsValue| style_for(kind, &f));
        let renderer = self.renderer.clone();
        let point = Closure::<dyn FnMut(JsValue, JsValue) -> JsValue>::new(
            move |f: JsValue, latlng: JsValue| {
                circle_marker(&latlng, &point_options(kind, &f, &renderer)).into()
            },
        );
        let layer = geo_json(
            &data,
            &obj(&[
                ("style", style.as_ref().clone()),
                ("pointToLayer", point.as_ref().clone()),
                ("renderer", self.renderer.clone()),
                ("interactive", JsValue::FALSE),
            ]),
        );
        self.closures.push(style);
        // The two-argument closure is kept alive by the layer for as long as the page lives.
        point.forget();
        Some(layer)
    }

    fn sync_layers(&mut self, wanted: &[DrawLayer]) {
        let ids: std::collections::BTreeSet<&str> = wanted.iter().map(|l| l.id.as_str()).collect();
        let stale: Vec<String> = self
            .layers
            .iter()
            .filter(|(id, (old, _))| {
                !ids.contains(id.as_str())
                    || wanted
                        .iter()
                        .any(|w| &w.id == *id && !Rc::ptr_eq(&w.geojson, &old.geojson))
            })
            .map(|(id, _)| id.clone())
            .collect();
        for id in stale {
            if let Some((_, layer)) = self.layers.remove(&id) {
                layer.remove();
            }
        }
        for w in wanted {
            if !self.layers.contains_key(&w.id)
                && let Some(layer) = self.add_data_layer(w)
            {
                self.layers.insert(w.id.clone(), (w.clone(), layer));
            }
            if let Some((state, layer)) = self.layers.get_mut(&w.id) {
                let on = self.map.has_layer(layer);
                if w.visible && !on {
                    self.map.add_layer(layer);
                } else if !w.visible && on {
                    self.map.remove_layer(layer);
                }
                state.visible = w.visible;
            }
        }
        // Keep the drawing order: re-raise in the wanted order.
        for w in wanted {
            if let Some((_, layer)) = self.layers.get(&w.id)
                && w.visible
            {
                let _ = Reflect::get(layer, &s("bringToFront"))
                    .ok()
                    .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
                    .map(|f| f.call0(layer));
            }
        }
        if let Some(iso) = &self.iso {
            let _ = Reflect::get(iso, &s("bringToFront"))
                .ok()
                .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
                .map(|f| f.call0(iso));
        }
    }

    fn set_isochrone(&mut self, text: Option<&str>) {
        if let Some(old) = self.iso.take() {
            old.remove();
        }
        let Some(text) = text else { return };
        let Ok(data) = js_sys::JSON::parse(text) else {
            return;
        };
        let style = Closure::<dyn FnMut(JsValue) -> JsValue>::new(move |f: JsValue| {
            let m = prop_f64(&f, "minutes").unwrap_or(15.0);
            let estimate = prop_str(&f, "method").as_deref() == Some("straight_line_estimate");
            obj(&[
                ("color", s(band_colour(m))),
                ("weight", n(1.5)),
                ("fillColor", s(band_colour(m))),
                ("fillOpacity", n(0.22)),
                ("dashArray", if estimate { s("4 4") } else { JsValue::NULL }),
            ])
        });
        let layer = geo_json(
            &data,
            &obj(&[
                ("style", style.as_ref().clone()),
                ("interactive", JsValue::FALSE),
                // A few polygons: SVG keeps them crisp and inspectable (class `isochrone`).
                ("renderer", svg(&obj(&[]))),
                ("className", s("isochrone")),
            ]),
        );
        self.closures.push(style);
        self.map.add_layer(&layer);
        self.iso = Some(layer);
    }
}

fn count_bits(x: u8) -> u32 {
    x.count_ones()
}

fn overlay_feature_style(style: OverlayStyle, f: &JsValue) -> JsValue {
    match style {
        OverlayStyle::CoverageUnits { mask, selected } => {
            let miss = prop_f64(f, "miss_mask").unwrap_or(0.0) as u8;
            let unit = prop_f64(f, "unit").map(|u| u as usize);
            let sel = unit.is_some() && unit == selected;
            obj(&[
                ("color", s(if sel { "#0b3d91" } else { "#5b6470" })),
                ("weight", n(if sel { 4.0 } else { 0.8 })),
                ("fillColor", s(missing_colour(count_bits(miss & mask)))),
                ("fillOpacity", n(if sel { 0.55 } else { 0.38 })),
            ])
        }
        OverlayStyle::Route => obj(&[
            ("color", s("#0b3d91")),
            ("weight", n(5.0)),
            ("opacity", n(0.85)),
            ("dashArray", s("8 6")),
        ]),
        _ => obj(&[]),
    }
}

fn overlay_point(style: OverlayStyle, f: &JsValue, latlng: &JsValue, renderer: &JsValue) -> Layer {
    match style {
        OverlayStyle::CoveragePoints { mask } => {
            let miss = prop_f64(f, "miss").unwrap_or(0.0) as u8;
            let emp = Reflect::get(
                &Reflect::get(f, &s("properties")).unwrap_or(JsValue::NULL),
                &s("emp"),
            )
            .ok()
            .and_then(|v| v.as_bool())
            .unwrap_or(false);
            circle_marker(
                latlng,
                &obj(&[
                    ("renderer", renderer.clone()),
                    ("radius", n(4.0)),
                    ("color", s(if emp { "#0b3d91" } else { "#333333" })),
                    ("weight", n(if emp { 1.6 } else { 0.6 })),
                    ("fillColor", s(missing_colour(count_bits(miss & mask)))),
                    ("fillOpacity", n(0.95)),
                ]),
            )
        }
        OverlayStyle::Sites => {
            let order = prop_f64(f, "order").unwrap_or(0.0);
            let icon = div_icon(&obj(&[
                ("className", s("site-icon")),
                ("html", s(&format!("{order:.0}"))),
                ("iconSize", js_sys::Array::of2(&n(24.0), &n(24.0)).into()),
            ]));
            marker(
                latlng,
                &obj(&[("icon", icon), ("keyboard", JsValue::FALSE)]),
            )
        }
        OverlayStyle::PlaceDemand => {
            let st = prop_f64(f, "s").unwrap_or(3.0) as u8;
            circle_marker(
                latlng,
                &obj(&[
                    ("renderer", renderer.clone()),
                    ("radius", n(if st == 1 { 4.5 } else { 3.5 })),
                    ("color", s(if st == 1 { "#000000" } else { "#666666" })),
                    ("weight", n(if st == 1 { 1.0 } else { 0.4 })),
                    ("fillColor", s(place_status_colour(st))),
                    ("fillOpacity", n(0.9)),
                ]),
            )
        }
        OverlayStyle::Marks { class } => {
            let label = prop_str(f, "label").unwrap_or_default();
            let icon = div_icon(&obj(&[
                ("className", s(class)),
                ("html", s(&html_escape(&label))),
                ("iconSize", js_sys::Array::of2(&n(20.0), &n(20.0)).into()),
            ]));
            marker(
                latlng,
                &obj(&[("icon", icon), ("keyboard", JsValue::FALSE)]),
            )
        }
        OverlayStyle::Hits { selected } => {
            let i = prop_f64(f, "i").map(|u| u as usize);
            let sel = i.is_some() && i == selected;
            circle_marker(
                latlng,
                &obj(&[
                    ("renderer", renderer.clone()),
                    ("radius", n(if sel { 9.0 } else { 5.0 })),
                    ("color", s("#ffffff")),
                    ("weight", n(1.5)),
                    ("fillColor", s(if sel { "#d55e00" } else { "#0072b2" })),
                    ("fillOpacity", n(0.95)),
                ]),
            )
        }
        _ => circle_marker(
            latlng,
            &obj(&[("renderer", renderer.clone()), ("radius", n(4.0))]),
        ),
    }
}

impl Ctl {
    fn sync_overlays(
        &mut self,
        wanted: &[Overlay],
        on_feature: &Rc<RefCell<Callback<(&'static str, usize)>>>,
    ) {
        let same = self.overlays.len() == wanted.len()
            && self.overlays.iter().zip(wanted).all(|((a, _), b)| {
                a.id == b.id && a.style == b.style && Rc::ptr_eq(&a.geojson, &b.geojson)
            });
        if same {
            return;
        }
        for (_, layer) in self.overlays.drain(..) {
            layer.remove();
        }
        for o in wanted {
            let Ok(data) = js_sys::JSON::parse(&o.geojson) else {
                continue;
            };
            let style = o.style;
            let style_fn = Closure::<dyn FnMut(JsValue) -> JsValue>::new(move |f: JsValue| {
                overlay_feature_style(style, &f)
            });
            let renderer = self.renderer.clone();
            let point = Closure::<dyn FnMut(JsValue, JsValue) -> JsValue>::new(
                move |f: JsValue, latlng: JsValue| {
                    overlay_point(style, &f, &latlng, &renderer).into()
                },
            );
            let id = o.id;
            let cb = on_feature.clone();
            let each =
                Closure::<dyn FnMut(JsValue, JsValue)>::new(move |f: JsValue, layer: JsValue| {
                    let key = prop_f64(&f, "unit").or_else(|| prop_f64(&f, "i"));
                    let Some(key) = key else { return };
                    let cb = cb.clone();
                    let click = Closure::<dyn FnMut(JsValue)>::new(move |e: JsValue| {
                        // Do not also pick a point on the map underneath.
                        if let Ok(orig) = Reflect::get(&e, &s("originalEvent")) {
                            let _ = Reflect::get(&orig, &s("stopPropagation"))
                                .ok()
                                .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
                                .map(|f| f.call0(&orig));
                        }
                        let _ = Reflect::get(&e, &s("target"));
                        cb.borrow().emit((id, key as usize));
                    });
                    if let Ok(on) = Reflect::get(&layer, &s("on"))
                        .and_then(JsCast::dyn_into::<js_sys::Function>)
                    {
                        let _ = on.call2(&layer, &s("click"), click.as_ref());
                    }
                    click.forget();
                });
            let layer = geo_json(
                &data,
                &obj(&[
                    ("style", style_fn.as_ref().clone()),
                    ("pointToLayer", point.as_ref().clone()),
                    ("onEachFeature", each.as_ref().clone()),
                    ("renderer", self.renderer.clone()),
                    ("bubblingMouseEvents", JsValue::FALSE),
                ]),
            );
            self.closures.push(style_fn);
            point.forget();
            each.forget();
            self.map.add_layer(&layer);
            self.overlays.push((o.clone(), layer));
        }
    }

    fn focus(&self, overlay: &str, key: usize) {
        let Some((_, layer)) = self.overlays.iter().find(|(o, _)| o.id == overlay) else {
            return;
        };
        let Ok(layers) = Reflect::get(layer, &s("getLayers"))
            .and_then(JsCast::dyn_into::<js_sys::Function>)
            .and_then(|f| f.call0(layer))
        else {
            return;
        };
        let layers: js_sys::Array = layers.unchecked_into();
        for l in layers.iter() {
            let f = Reflect::get(&l, &s("feature")).unwrap_or(JsValue::NULL);
            let k = prop_f64(&f, "unit").or_else(|| prop_f64(&f, "i"));
            if k.map(|k| k as usize) != Some(key) {
                continue;
            }
            if let Ok(b) = Reflect::get(&l, &s("getBounds"))
                .and_then(JsCast::dyn_into::<js_sys::Function>)
                .and_then(|f| f.call0(&l))
            {
                let _ = Reflect::get(&self.map, &s("fitBounds"))
                    .and_then(JsCast::dyn_into::<js_sys::Function>)
                    .map(|f| {
                        f.call2(
                            &self.map,
                            &b,
                            &obj(&[("maxZoom", n(16.0)), ("animate", JsValue::FALSE)]),
                        )
                    });
            } else if let Ok(ll) = Reflect::get(&l, &s("getLatLng"))
                .and_then(JsCast::dyn_into::<js_sys::Function>)
                .and_then(|f| f.call0(&l))
            {
                let ll: LatLng = ll.unchecked_into();
                self.map.set_view(&ll, 16.0);
            }
            return;
        }
    }
}

/// The map. Created once on mount, removed on unmount.
#[component]
pub fn MapView(props: &MapViewProps) -> Html {
    let node = use_node_ref();
    let ctl: Rc<RefCell<Option<Ctl>>> = use_mut_ref(|| None);
    // The latest pick callback, read by the Leaflet handlers.
    let on_pick = use_mut_ref(|| props.on_pick.clone());
    *on_pick.borrow_mut() = props.on_pick.clone();
    let on_feature = use_mut_ref(|| props.on_feature.clone());
    *on_feature.borrow_mut() = props.on_feature.clone();

    {
        let node = node.clone();
        let ctl = ctl.clone();
        let on_pick = on_pick.clone();
        let (lon, lat) = props.center_wgs84;
        let zoom = props.zoom;
        use_effect_with((), move |()| {
            if let Some(el) = node.cast::<HtmlElement>() {
                let opts = MapOptions::new();
                opts.set_prefer_canvas(true);
                opts.set_center(LatLng::new(lat, lon));
                opts.set_zoom(zoom);
                if let Ok(map) = Map::new_with_element(&el, &opts) {
                    el.set_tab_index(0);
                    let renderer = canvas(&obj(&[("padding", n(0.5))]));
                    let pick = on_pick.clone();
                    let click = Closure::<dyn FnMut(JsValue)>::new(move |e: JsValue| {
                        if let Ok(ll) = Reflect::get(&e, &s("latlng")) {
                            let ll: LatLng = ll.unchecked_into();
                            pick.borrow().emit((ll.lng(), ll.lat()));
                        }
                    });
                    map.unchecked_ref::<Evented>()
                        .on("click", click.as_ref().unchecked_ref());
                    let pick = on_pick.clone();
                    let map_for_key = map.clone();
                    let key = Closure::<dyn FnMut(JsValue)>::new(move |e: JsValue| {
                        let key = Reflect::get(&e, &s("key")).ok().and_then(|k| k.as_string());
                        if key.as_deref() == Some("Enter") {
                            let c = map_for_key.get_center();
                            pick.borrow().emit((c.lng(), c.lat()));
                        }
                    });
                    let _ = el
                        .add_event_listener_with_callback("keydown", key.as_ref().unchecked_ref());
                    *ctl.borrow_mut() = Some(Ctl {
                        map,
                        renderer,
                        layers: BTreeMap::new(),
                        home: None,
                        iso: None,
                        overlays: Vec::new(),
                        closures: Vec::new(),
                        marker_closures: vec![click, key],
                    });
                }
            }
            move || {
                if let Some(c) = ctl.borrow_mut().take() {
                    c.map.remove();
                }
            }
        });
    }
    {
        let ctl = ctl.clone();
        let key = props.view_key.clone();
        let (lon, lat) = props.center_wgs84;
        let zoom = props.zoom;
        use_effect_with(key, move |_| {
            if let Some(c) = ctl.borrow().as_ref() {
                c.map.set_view(&LatLng::new(lat, lon), zoom);
            }
        });
    }
    {
        let ctl = ctl.clone();
        use_effect_with(props.layers.clone(), move |layers| {
            if let Some(c) = ctl.borrow_mut().as_mut() {
                c.sync_layers(layers);
            }
        });
    }
    {
        let ctl = ctl.clone();
        use_effect_with(props.isochrone.clone(), move |iso| {
            if let Some(c) = ctl.borrow_mut().as_mut() {
                c.set_isochrone(iso.as_deref());
            }
        });
    }
    {
        let ctl = ctl.clone();
        let on_feature = on_feature.clone();
        use_effect_with(props.overlays.clone(), move |o| {
            if let Some(c) = ctl.borrow_mut().as_mut() {
                c.sync_overlays(o, &on_feature);
            }
        });
    }
    {
        let ctl = ctl.clone();
        use_effect_with(props.focus, move |f| {
            if let (Some(c), Some((id, key, _))) = (ctl.borrow().as_ref(), f) {
                c.focus(id, *key);
            }
        });
    }
    {
        let ctl = ctl.clone();
        let on_pick = on_pick.clone();
        use_effect_with(props.home_wgs84, move |home| {
            let mut guard = ctl.borrow_mut();
            let Some(c) = guard.as_mut() else { return };
            match (home, &c.home) {
                (None, Some(m)) => {
                    m.remove();
                    c.home = None;
                }
                (Some((lon, lat)), Some(m)) => m.set_lat_lng(&LatLng::new(*lat, *lon)),
                (Some((lon, lat)), None) => {
                    let opts = MarkerOptions::new();
                    opts.set_draggable(true);
                    opts.set_keyboard(true);
                    opts.set_title("起点 / start".to_owned());
                    let m = Marker::new_with_options(&LatLng::new(*lat, *lon), &opts);
                    let pick = on_pick.clone();
                    let m2 = m.clone();
                    let drag = Closure::<dyn FnMut(JsValue)>::new(move |_e: JsValue| {
                        let ll = m2.get_lat_lng();
                        pick.borrow().emit((ll.lng(), ll.lat()));
                    });
                    m.unchecked_ref::<Evented>()
                        .on("drag", drag.as_ref().unchecked_ref());
                    c.marker_closures.push(drag);
                    c.map.add_layer(&m);
                    c.home = Some(m);
                }
                (None, None) => {}
            }
        });
    }
    html! {
        <div class="map" id="map" ref={node} aria-label={props.label.clone()} role="region"></div>
    }
}
