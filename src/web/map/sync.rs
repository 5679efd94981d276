//! The Leaflet objects the map component owns, and how they follow the props: data layers
//! (added once per text, shown or hidden), the tile source, the isochrone, the overlays, focus.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use js_sys::Reflect;
use leaflet::{Evented, FeatureGroup, LatLng, Layer, LayerGroup, Map, Marker};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use yew::Callback;

use super::labels::{Deco, PostingSet, StreetSet, ZoneSet, parse_points, parse_streets};
use super::leaflet::{escape_html, geo_json, n, obj, prop_f64, prop_str, s, svg, tile_layer};
use super::points::{PointLayer, PointsBuilder, point_coords};
use super::symbols::{band_colour, overlay_feature_style, overlay_point, point_symbol, style_for};
use super::tiles::TileGrid;
use super::{DrawLayer, Overlay, TileSource};
use crate::plan::labels::highway_rank;
use crate::plan::package::LayerKind;

/// A tile source on the map: its layers and their event closures.
pub(super) type TileLayers = (TileSource, Vec<Layer>, Vec<Closure<dyn FnMut(JsValue)>>);

/// A Leaflet callback the map calls with one argument and whose answer it uses (`style`).
pub(super) type StyleFn = Closure<dyn FnMut(JsValue) -> JsValue>;
/// A Leaflet callback with two arguments and an answer (`pointToLayer`).
pub(super) type PointFn = Closure<dyn FnMut(JsValue, JsValue) -> JsValue>;
/// A Leaflet event handler.
pub(super) type EventFn = Closure<dyn FnMut(JsValue)>;

/// A layer on the map with the closures Leaflet calls for it: they live exactly as long as
/// the layer is owned here, and are dropped with it (nothing is leaked with `forget`).
pub(super) struct Owned {
    pub(super) layer: Layer,
    /// Point symbols drawn on a canvas of their own (data layers).
    pub(super) points: Option<PointLayer>,
    /// Streets or points drawn from the worker's tiles.
    pub(super) grid: Option<TileGrid>,
    pub(super) styles: Vec<StyleFn>,
    pub(super) point_fns: Vec<PointFn>,
    pub(super) events: Vec<EventFn>,
}

impl Owned {
    /// A group holding one tile grid.
    fn of_grid(grid: TileGrid) -> Self {
        let group = FeatureGroup::new();
        group.add_layer(grid.layer());
        let mut owned = Self::new(group.unchecked_into());
        owned.grid = Some(grid);
        owned
    }

    fn new(layer: Layer) -> Self {
        Self {
            layer,
            points: None,
            grid: None,
            styles: Vec::new(),
            point_fns: Vec::new(),
            events: Vec::new(),
        }
    }
}

/// Leaflet objects owned by the component, with the closures they call.
pub(super) struct Ctl {
    pub(super) map: Map,
    /// The canvas renderer of the data layers' lines and areas (Leaflet's overlay pane).
    pub(super) renderer: JsValue,
    /// The canvas renderer of the analysis overlays (pane `sq-overlays`, above the points).
    pub(super) overlay_renderer: JsValue,
    pub(super) layers: BTreeMap<String, (DrawLayer, Owned)>,
    /// The chosen point's marker and its drag handler.
    pub(super) home: Option<(Marker, EventFn)>,
    pub(super) iso: Option<Owned>,
    pub(super) overlays: Vec<(Overlay, Owned)>,
    /// The map's own handlers (click, Enter, moveend): they live as long as the map.
    pub(super) _map_closures: Vec<EventFn>,
    /// Labels and posting clusters, redrawn per view.
    pub(super) deco: Rc<RefCell<Deco>>,
    /// The tile layers on the map and their event closures.
    pub(super) tiles: Option<TileLayers>,
    /// The worker, which cuts the streets' tiles.
    pub(super) engine: crate::web::engine::EngineHandle,
    /// Told whether minor streets are left out of the view (see [`TileGrid`]).
    pub(super) on_detail: Callback<bool>,
    /// Told `(layer key, aggregated)` by the point layers (see [`PointLayer`]).
    pub(super) on_aggregate: Callback<(u32, bool)>,
    /// The key of the next point layer.
    pub(super) point_keys: u32,
    /// Told the record of a demand point clicked on a coverage-painted tile.
    pub(super) on_demand_point: Callback<u32>,
    /// The accessibility surface's raster, when one is drawn.
    pub(super) raster: Option<Layer>,
    /// The scenario's network edits as drawn.
    pub(super) edits: Option<super::edits::EditsLayer>,
}

/// The pane of the data layers' point symbols (between the lines and the overlays).
pub(super) const POINTS_PANE: &str = "sq-points";
/// The pane of the analysis overlays' canvas.
pub(super) const OVERLAYS_PANE: &str = "sq-overlays";

impl Ctl {
    pub(super) fn add_data_layer(&mut self, l: &DrawLayer) -> Option<Owned> {
        let kind = l.kind;
        let mut street_lines = None;
        // Labels and clusters: kept in Rust, drawn per view by `Deco`.
        {
            let mut d = self.deco.borrow_mut();
            match kind {
                LayerKind::Streets => {
                    let st = parse_streets(&l.geojson);
                    let mut set = StreetSet {
                        names: st.names,
                        anchors: st.anchors,
                        visible: false,
                    };
                    if let Some(points) = &l.labels {
                        set.take_points(points);
                    }
                    d.streets.insert(l.id.clone(), set);
                    // The lines go to a canvas of their own; only a layer that also holds areas
                    // is read by Leaflet as well.
                    let lines = TileGrid::streets(
                        self.engine.clone(),
                        import_of(&l.id),
                        &self.map,
                        self.on_detail.clone(),
                    );
                    if !st.others {
                        return Some(Owned::of_grid(lines));
                    }
                    street_lines = Some(lines);
                }
                LayerKind::Communities | LayerKind::Boundaries => {
                    let items = l.zones.to_vec();
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
                    return Some(Owned::new(group.unchecked_into()));
                }
                _ => {}
            }
        }
        // Demand, facilities, stations, candidates: tiles of the worker's records.
        self.point_keys = self.point_keys.wrapping_add(1);
        let (key, cb) = (self.point_keys, self.on_aggregate.clone());
        let on_point = if kind == LayerKind::Demand {
            self.on_demand_point.clone()
        } else {
            Callback::noop()
        };
        if let Some(grid) = TileGrid::points(
            self.engine.clone(),
            kind,
            import_of(&l.id),
            (&self.map, POINTS_PANE),
            (Callback::from(move |on: bool| cb.emit((key, on))), on_point),
        ) {
            return Some(Owned::of_grid(grid));
        }
        let data = js_sys::JSON::parse(&l.geojson).ok()?;
        let features: js_sys::Array = Reflect::get(&data, &s("features")).ok()?.dyn_into().ok()?;
        // Points go to a canvas of their own; lines and areas to Leaflet's renderer, minor
        // streets first so major ones draw on top.
        let mut points = PointsBuilder::default();
        let mut by_rank: Vec<Vec<JsValue>> = vec![Vec::new(); 6];
        for f in features.iter() {
            let geometry = Reflect::get(&f, &s("geometry")).unwrap_or(JsValue::NULL);
            let gtype = Reflect::get(&geometry, &s("type"))
                .ok()
                .and_then(|t| t.as_string());
            if kind == LayerKind::Streets
                && matches!(gtype.as_deref(), Some("LineString" | "MultiLineString"))
            {
                continue;
            }
            if gtype.as_deref() == Some("Point") {
                if let Some((lon, lat)) = point_coords(&geometry) {
                    points.push(lon, lat, point_symbol(kind, &f));
                }
                continue;
            }
            let r = if kind == LayerKind::Streets {
                highway_rank(prop_str(&f, "highway").as_deref().unwrap_or(""))
            } else {
                0
            };
            by_rank[5 - usize::from(r.min(5))].push(f);
        }
        let rest: js_sys::Array = by_rank.into_iter().flatten().collect();
        let group = FeatureGroup::new();
        let mut owned = Owned::new(group.clone().unchecked_into());
        if let Some(lines) = street_lines {
            group.add_layer(lines.layer());
            owned.grid = Some(lines);
        }
        if rest.length() > 0 {
            let _ = Reflect::set(&data, &s("features"), &rest);
            let style = StyleFn::new(move |f: JsValue| style_for(kind, &f));
            let layer = geo_json(
                &data,
                &obj(&[
                    ("style", style.as_ref().clone()),
                    ("renderer", self.renderer.clone()),
                    ("interactive", JsValue::FALSE),
                ]),
            );
            group.add_layer(&layer);
            owned.styles.push(style);
        }
        self.point_keys = self.point_keys.wrapping_add(1);
        if points.len() > 0
            && let Some(p) = PointLayer::new(
                points,
                POINTS_PANE,
                self.point_keys,
                self.on_aggregate.clone(),
            )
        {
            group.add_layer(p.layer());
            owned.points = Some(p);
        }
        Some(owned)
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
            if let Some((_, owned)) = self.layers.remove(&id) {
                owned.layer.remove();
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
            if let Some((state, owned)) = self.layers.get_mut(&w.id) {
                // An imported streets layer's label points, come after its lines.
                if let Some(points) = w
                    .labels
                    .as_ref()
                    .filter(|p| state.labels.as_ref().is_none_or(|old| !Rc::ptr_eq(old, p)))
                {
                    if let Some(x) = self.deco.borrow_mut().streets.get_mut(&w.id) {
                        x.take_points(points);
                    }
                    state.labels.clone_from(&w.labels);
                }
                let layer = &owned.layer;
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
                // The worker's name points come with the load, after the file was drawn.
                if *x.items != *w.zones {
                    x.items = w.zones.to_vec();
                }
            }
            if let Some(x) = d.postings.get_mut(&w.id) {
                x.visible = w.visible;
            }
        }
        // Keep the drawing order: re-raise in the wanted order.
        for w in wanted {
            if let Some((_, owned)) = self.layers.get(&w.id)
                && w.visible
            {
                bring_to_front(&owned.layer);
                if let Some(p) = &owned.points {
                    p.bring_to_front();
                }
            }
        }
        if let Some(iso) = &self.iso {
            bring_to_front(&iso.layer);
        }
        let deco = self.deco.borrow();
        // How many street label points the map holds (tests wait for the second answer).
        let anchors: usize = deco.streets.values().map(|x| x.anchors.len()).sum();
        let _ = self
            .map
            .get_container()
            .set_attribute("data-street-labels", &anchors.to_string());
        deco.refresh();
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
            old.layer.remove();
        }
        let Some(text) = text else { return };
        let Ok(data) = js_sys::JSON::parse(text) else {
            return;
        };
        let style = StyleFn::new(move |f: JsValue| {
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
        self.map.add_layer(&layer);
        let mut owned = Owned::new(layer);
        owned.styles.push(style);
        self.iso = Some(owned);
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
        for (_, owned) in self.overlays.drain(..) {
            owned.layer.remove();
        }
        for o in wanted {
            let Ok(data) = js_sys::JSON::parse(&o.geojson) else {
                continue;
            };
            let style = o.style;
            let style_fn = StyleFn::new(move |f: JsValue| overlay_feature_style(style, &f));
            let renderer = self.overlay_renderer.clone();
            let point = PointFn::new(move |f: JsValue, latlng: JsValue| {
                overlay_point(style, &f, &latlng, &renderer).into()
            });
            let id = o.id;
            let cb = on_feature.clone();
            // One handler for the whole overlay: Leaflet passes a feature's click up to its
            // GeoJSON group with the clicked layer as `propagatedFrom`, whose `feature` says which.
            let click = EventFn::new(move |e: JsValue| {
                let from = Reflect::get(&e, &s("propagatedFrom"))
                    .ok()
                    .filter(|l| !l.is_undefined())
                    .or_else(|| Reflect::get(&e, &s("layer")).ok());
                let f = from
                    .and_then(|l| Reflect::get(&l, &s("feature")).ok())
                    .unwrap_or(JsValue::NULL);
                let Some(key) = prop_f64(&f, "unit").or_else(|| prop_f64(&f, "i")) else {
                    return;
                };
                // Do not also pick a point on the map underneath.
                if let Ok(orig) = Reflect::get(&e, &s("originalEvent")) {
                    let _ = Reflect::get(&orig, &s("stopPropagation"))
                        .ok()
                        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
                        .map(|f| f.call0(&orig));
                }
                cb.borrow().emit((id, key as usize));
            });
            let layer = geo_json(
                &data,
                &obj(&[
                    ("style", style_fn.as_ref().clone()),
                    ("pointToLayer", point.as_ref().clone()),
                    ("renderer", self.overlay_renderer.clone()),
                    ("bubblingMouseEvents", JsValue::FALSE),
                ]),
            );
            layer
                .unchecked_ref::<Evented>()
                .on("click", click.as_ref().unchecked_ref());
            self.map.add_layer(&layer);
            let mut owned = Owned::new(layer);
            owned.styles.push(style_fn);
            owned.point_fns.push(point);
            owned.events.push(click);
            self.overlays.push((o.clone(), owned));
        }
    }

    pub(super) fn focus(&self, overlay: &str, key: usize) {
        let Some((_, Owned { layer, .. })) = self.overlays.iter().find(|(o, _)| o.id == overlay)
        else {
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

/// The imported file a data layer comes from (`import-{i}-{kind}`), `None` for the package's.
fn import_of(id: &str) -> Option<u32> {
    id.strip_prefix("import-")?.split('-').next()?.parse().ok()
}

/// Raises a layer that can be raised (`bringToFront` of paths and groups; markers cannot).
fn bring_to_front(layer: &Layer) {
    let _ = Reflect::get(layer, &s("bringToFront"))
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .map(|f| f.call0(layer));
}
