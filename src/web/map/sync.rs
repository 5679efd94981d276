//! The Leaflet objects the map component owns, and how they follow the props: data layers
//! (added once per text, shown or hidden), the tile source, the isochrone, the overlays, focus.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use js_sys::Reflect;
use leaflet::{Evented, LatLng, Layer, LayerGroup, Map, Marker};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use yew::Callback;

use super::labels::{
    Deco, PostingSet, StreetSet, ZoneSet, parse_points, parse_streets, parse_zones,
};
use super::leaflet::{escape_html, geo_json, n, obj, prop_f64, prop_str, s, svg, tile_layer};
use super::symbols::{
    band_colour, overlay_feature_style, overlay_point, point_symbol, shaped_marker, style_for,
};
use super::{DrawLayer, Overlay, TileSource};
use crate::plan::labels::highway_rank;
use crate::plan::package::LayerKind;

/// A tile source on the map: its layers and their event closures.
pub(super) type TileLayers = (TileSource, Vec<Layer>, Vec<Closure<dyn FnMut(JsValue)>>);

/// Leaflet objects owned by the component, with the closures they call.
pub(super) struct Ctl {
    pub(super) map: Map,
    pub(super) renderer: JsValue,
    pub(super) layers: BTreeMap<String, (DrawLayer, Layer)>,
    pub(super) home: Option<Marker>,
    pub(super) iso: Option<Layer>,
    pub(super) overlays: Vec<(Overlay, Layer)>,
    pub(super) closures: Vec<Closure<dyn FnMut(JsValue) -> JsValue>>,
    pub(super) marker_closures: Vec<Closure<dyn FnMut(JsValue)>>,
    /// Labels and posting clusters, redrawn per view.
    pub(super) deco: Rc<RefCell<Deco>>,
    /// Draws shaped markers ([`draw_shape`]); bound per marker.
    pub(super) shape_fn: js_sys::Function,
    /// The tile layers on the map and their event closures.
    pub(super) tiles: Option<TileLayers>,
    /// The scenario's network edits as drawn.
    pub(super) edits: Option<super::edits::EditsLayer>,
}

impl Ctl {
    pub(super) fn add_data_layer(&mut self, l: &DrawLayer) -> Option<Layer> {
        let kind = l.kind;
        // Labels and clusters: kept in Rust, drawn per view by `Deco`.
        {
            let mut d = self.deco.borrow_mut();
            match kind {
                LayerKind::Streets => {
                    let (names, anchors) = parse_streets(&l.geojson);
                    d.streets.insert(
                        l.id.clone(),
                        StreetSet {
                            names,
                            anchors,
                            visible: false,
                        },
                    );
                }
                LayerKind::Communities | LayerKind::Boundaries => {
                    let items = parse_zones(&l.geojson);
                    d.zones.insert(
                        l.id.clone(),
                        ZoneSet {
                            items,
                            visible: false,
                        },
                    );
                }
                LayerKind::Postings => {
                    let group = LayerGroup::new();
                    d.postings.insert(
                        l.id.clone(),
                        PostingSet {
                            pts: parse_points(&l.geojson),
                            group: group.clone(),
                            visible: false,
                        },
                    );
                    return Some(group.unchecked_into());
                }
                _ => {}
            }
        }
        let data = js_sys::JSON::parse(&l.geojson).ok()?;
        if kind == LayerKind::Streets {
            // Minor streets first so major ones draw on top.
            if let Ok(features) = Reflect::get(&data, &s("features")) {
                let features: js_sys::Array = features.unchecked_into();
                let mut by_rank: Vec<Vec<JsValue>> = vec![Vec::new(); 6];
                for f in features.iter() {
                    let r = highway_rank(prop_str(&f, "highway").as_deref().unwrap_or(""));
                    by_rank[5 - usize::from(r.min(5))].push(f);
                }
                let sorted: js_sys::Array = by_rank.into_iter().flatten().collect();
                let _ = Reflect::set(&data, &s("features"), &sorted);
            }
        }
        let style =
            Closure::<dyn FnMut(JsValue) -> JsValue>::new(move |f: JsValue| style_for(kind, &f));
        let renderer = self.renderer.clone();
        let shape_fn = self.shape_fn.clone();
        let point = Closure::<dyn FnMut(JsValue, JsValue) -> JsValue>::new(
            move |f: JsValue, latlng: JsValue| {
                shaped_marker(point_symbol(kind, &f), &latlng, &renderer, &shape_fn).into()
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

    pub(super) fn sync_layers(&mut self, wanted: &[DrawLayer]) {
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
            let mut d = self.deco.borrow_mut();
            d.streets.remove(&id);
            d.zones.remove(&id);
            d.postings.remove(&id);
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
            let mut d = self.deco.borrow_mut();
            if let Some(x) = d.streets.get_mut(&w.id) {
                x.visible = w.visible;
            }
            if let Some(x) = d.zones.get_mut(&w.id) {
                x.visible = w.visible;
            }
            if let Some(x) = d.postings.get_mut(&w.id) {
                x.visible = w.visible;
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
        self.deco.borrow().refresh();
    }

    /// Shows the configured tile source (or none). `on_event(true)` per tile loaded,
    /// `on_event(false)` per tile that failed.
    pub(super) fn set_tiles(
        &mut self,
        src: Option<&TileSource>,
        on_event: &Rc<RefCell<Callback<bool>>>,
    ) {
        if self.tiles.as_ref().map(|t| &t.0) == src {
            return;
        }
        if let Some((_, layers, _)) = self.tiles.take() {
            for l in layers {
                l.remove();
            }
        }
        let Some(src) = src else { return };
        let load = {
            let cb = on_event.clone();
            Closure::<dyn FnMut(JsValue)>::new(move |_e: JsValue| cb.borrow().emit(true))
        };
        let error = {
            let cb = on_event.clone();
            Closure::<dyn FnMut(JsValue)>::new(move |_e: JsValue| cb.borrow().emit(false))
        };
        let mut layers = Vec::new();
        for url in std::iter::once(&src.url).chain(src.overlay_url.as_ref()) {
            let opts = obj(&[
                ("attribution", s(&escape_html(&src.attribution))),
                ("maxZoom", n(f64::from(src.max_zoom))),
                (
                    "subdomains",
                    if src.subdomains.is_empty() {
                        s("abc")
                    } else {
                        s(&src.subdomains)
                    },
                ),
            ]);
            // The annotation layer repeats the attribution only once.
            if !layers.is_empty() {
                let _ = Reflect::set(&opts, &s("attribution"), &s(""));
            }
            let layer = tile_layer(url, &opts);
            let ev: &Evented = layer.unchecked_ref();
            ev.on("tileload", load.as_ref().unchecked_ref());
            ev.on("tileerror", error.as_ref().unchecked_ref());
            self.map.add_layer(&layer);
            layers.push(layer);
        }
        self.tiles = Some((src.clone(), layers, vec![load, error]));
    }

    pub(super) fn set_isochrone(&mut self, text: Option<&str>) {
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

impl Ctl {
    pub(super) fn sync_overlays(
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

    pub(super) fn focus(&self, overlay: &str, key: usize) {
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
