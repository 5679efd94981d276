//! The [`MapView`] component: one `<div>` that the virtual DOM never touches again; Leaflet owns
//! it, and every prop is applied from an effect.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use js_sys::Reflect;
use leaflet::{Evented, LatLng, LayerGroup, Map, MapOptions, Marker, MarkerOptions};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::HtmlElement;
use yew::prelude::*;

use super::labels::Deco;
use super::leaflet::{call0, canvas, escape_html, n, obj, s};
use super::sync::{Ctl, OVERLAYS_PANE, POINTS_PANE};
use super::{DrawLayer, Overlay, TileSource};
use crate::web::i18n::Lang;

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
    /// Interface language (messages drawn on the map).
    #[prop_or_default]
    pub lang: Lang,
    /// An XYZ tile source under the data layers; `None` (the default) requests no tiles.
    #[prop_or_default]
    pub tiles: Option<TileSource>,
    /// The package's attribution (plain text), shown in the map's attribution control.
    #[prop_or_default]
    pub attribution: Option<AttrValue>,
    /// Called with (lon, lat, zoom) after every pan or zoom (for the URL).
    #[prop_or_default]
    pub on_view: Callback<(f64, f64, f64)>,
    /// A raster under the analysis overlays (the accessibility surface).
    #[prop_or_default]
    pub raster: Option<Rc<super::surface::Raster>>,
    /// The scenario's network edits and the path being drawn (GeoJSON, see `edits.rs`).
    #[prop_or_default]
    pub edits: Option<Rc<str>>,
    /// A network edit tool is in use (the cursor says so).
    #[prop_or_default]
    pub drawing: bool,
    /// The demand tiles painted by a coverage answer: (its request number, categories
    /// counted); `None`: plain symbols.
    #[prop_or_default]
    pub paint: Option<(u64, u8)>,
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
            && self.lang == o.lang
            && self.tiles == o.tiles
            && self.attribution == o.attribution
            && self.raster == o.raster
            && self.edits.as_ref().map(Rc::as_ptr) == o.edits.as_ref().map(Rc::as_ptr)
            && self.drawing == o.drawing
            && self.paint == o.paint
    }
}

/// The map. Created once on mount, removed on unmount.
#[component]
pub fn MapView(props: &MapViewProps) -> Html {
    let node = use_node_ref();
    let engine = crate::web::engine::use_engine();
    let ctl: Rc<RefCell<Option<Ctl>>> = use_mut_ref(|| None);
    // The latest pick callback, read by the Leaflet handlers.
    let on_pick = use_mut_ref(|| props.on_pick.clone());
    *on_pick.borrow_mut() = props.on_pick.clone();
    let on_feature = use_mut_ref(|| props.on_feature.clone());
    *on_feature.borrow_mut() = props.on_feature.clone();
    let on_view = use_mut_ref(|| props.on_view.clone());
    *on_view.borrow_mut() = props.on_view.clone();
    // Tiles that failed since the source was last set (shown as a message, never a silent blank).
    let tile_failed = use_reducer(TileFailures::default);
    // Minor streets left out of a crowded view (told by the streets' layer, see `lines`).
    let detail_hidden = use_state_eq(|| false);
    let on_detail = {
        let h = detail_hidden.setter();
        use_memo((), move |()| {
            Callback::from(move |hidden: bool| h.set(hidden))
        })
    };
    // Point layers drawn as counts per cell (told by each point layer, see `points`).
    let aggregated = use_state_eq(|| false);
    let on_aggregate = {
        let h = aggregated.setter();
        use_memo((), move |()| any_of_layers(h))
    };
    // The street a click landed near (see `paint`), shown beside the isochrone.
    let street = use_state_eq(|| None::<crate::web::protocol::StreetInfo>);
    let on_street = {
        let h = street.setter();
        use_memo((), move |()| Callback::from(move |s| h.set(s)))
    };
    let on_tile = {
        let tile_failed = tile_failed.clone();
        use_mut_ref(move || {
            Callback::from(move |ok: bool| {
                if !ok {
                    tile_failed.dispatch(TileAction::Failed);
                }
            })
        })
    };

    {
        let node = node.clone();
        let ctl = ctl.clone();
        let on_feature = on_feature.clone();
        let hooks = Hooks {
            engine,
            on_pick: on_pick.clone(),
            on_view: on_view.clone(),
            on_detail: (*on_detail).clone(),
            on_aggregate: (*on_aggregate).clone(),
            on_street: (*on_street).clone(),
            on_demand_point: Callback::from(move |r: u32| {
                on_feature.borrow().emit(("cov-points", r as usize));
            }),
            center_wgs84: props.center_wgs84,
            zoom: props.zoom,
        };
        use_effect_with((), move |()| {
            if let Some(el) = node.cast::<HtmlElement>() {
                *ctl.borrow_mut() = mount(&el, hooks, &ctl);
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
        use_effect_with(props.raster.clone(), move |r| {
            if let Some(c) = ctl.borrow_mut().as_mut() {
                super::surface::set_raster(&c.map, &mut c.raster, r.as_deref());
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
        use_effect_with(props.edits.clone(), move |text| {
            if let Some(c) = ctl.borrow_mut().as_mut() {
                c.edits = None;
                c.edits = text
                    .as_deref()
                    .and_then(|t| super::edits::EditsLayer::new(&c.map, t));
            }
        });
    }
    {
        let ctl = ctl.clone();
        use_effect_with(props.paint, move |p| {
            if let Some(c) = ctl.borrow().as_ref() {
                c.paint_demand(p.map(|(_, mask)| mask));
            }
        });
    }
    {
        let ctl = ctl.clone();
        use_effect_with(props.drawing, move |on| {
            if let Some(c) = ctl.borrow().as_ref() {
                super::edits::set_drawing(&c.map, *on);
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
        use_effect_with((props.home_wgs84, props.lang), move |(home, lang)| {
            if let Some(c) = ctl.borrow_mut().as_mut() {
                set_home(c, *home, lang.map().start_marker, &on_pick);
            }
        });
    }
    {
        let ctl = ctl.clone();
        let on_tile = on_tile.clone();
        let tile_failed = tile_failed.clone();
        use_effect_with(props.tiles.clone(), move |tiles| {
            tile_failed.dispatch(TileAction::Reset);
            if let Some(c) = ctl.borrow_mut().as_mut() {
                c.set_tiles(tiles.as_ref(), &on_tile);
            }
        });
    }
    {
        let ctl = ctl.clone();
        use_effect_with(props.attribution.clone(), move |a| {
            let html = a.as_deref().map(escape_html);
            if let (Some(c), Some(h)) = (ctl.borrow().as_ref(), &html) {
                attribution(&c.map, "addAttribution", h);
            }
            let ctl = ctl.clone();
            move || {
                if let (Some(c), Some(h)) = (ctl.borrow().as_ref(), html) {
                    attribution(&c.map, "removeAttribution", &h);
                }
            }
        });
    }
    html! {
        <>
            <div class="map" id="map" ref={node} aria-label={props.label.clone()} role="region"></div>
            { notes(props, tile_failed.0, *detail_hidden, *aggregated) }
            if let Some(info) = &*street {
                <super::paint::StreetBox info={info.clone()} lang={props.lang} on_close={(*on_street).clone()} />
            }
        </>
    }
}

/// What the map's handlers are given at mount: the component's callbacks (those behind a
/// `RefCell` are replaced on every render) and where the map opens.
struct Hooks {
    engine: crate::web::engine::EngineHandle,
    on_pick: Rc<RefCell<Callback<(f64, f64)>>>,
    on_view: Rc<RefCell<Callback<(f64, f64, f64)>>>,
    on_detail: Callback<bool>,
    on_aggregate: Callback<(u32, bool)>,
    on_street: Callback<Option<crate::web::protocol::StreetInfo>>,
    on_demand_point: Callback<u32>,
    center_wgs84: (f64, f64),
    zoom: f64,
}

/// Makes the Leaflet map in `el`: its panes, renderers, label layer and the map-wide handlers
/// (move, click, Enter, print). `None` when Leaflet refuses the element.
fn mount(el: &HtmlElement, hooks: Hooks, ctl: &Rc<RefCell<Option<Ctl>>>) -> Option<Ctl> {
    let Hooks {
        engine,
        on_pick,
        on_view,
        on_detail,
        on_aggregate,
        on_street,
        on_demand_point,
        center_wgs84: (lon, lat),
        zoom,
    } = hooks;
    let opts = MapOptions::new();
    opts.set_prefer_canvas(true);
    // Tiles appear without Leaflet's fade: the fade sets the opacity of every tile of the
    // view in each frame for as long as one is fading, which at the whole-city view is most of
    // a pan (BENCHMARKS.md "Panning the whole city within a frame").
    opts.set_fade_animation(false);
    opts.set_center(LatLng::new(lat, lon));
    opts.set_zoom(zoom);
    let map = Map::new_with_element(el, &opts).ok()?;
    el.set_tab_index(0);
    let renderer = canvas(&obj(&[("padding", n(0.5))]));
    // Above Leaflet's overlay pane (400: lines and areas): the data layers'
    // point symbols, the analysis overlays (clickable), clusters and labels.
    for (pane, z, events) in [
        (POINTS_PANE, "410", false),
        (OVERLAYS_PANE, "420", true),
        ("sq-clusters", "440", false),
        ("sq-labels", "450", false),
    ] {
        let p = map.create_pane_by_name(pane);
        let _ = p.style().set_property("z-index", z);
        if !events {
            let _ = p.style().set_property("pointer-events", "none");
        }
    }
    let overlay_renderer = canvas(&obj(&[("padding", n(0.5)), ("pane", s(OVERLAYS_PANE))]));
    let labels = LayerGroup::new();
    map.add_layer(&labels);
    let deco = Rc::new(RefCell::new(Deco {
        map: map.clone(),
        renderer: renderer.clone(),
        labels,
        streets: BTreeMap::new(),
        zones: BTreeMap::new(),
        postings: BTreeMap::new(),
    }));
    let moved = {
        let deco = deco.clone();
        let map = map.clone();
        Closure::<dyn FnMut(JsValue)>::new(move |_e: JsValue| {
            if let Ok(d) = deco.try_borrow() {
                d.refresh();
            }
            let c = map.get_center();
            on_view.borrow().emit((c.lng(), c.lat(), map.get_zoom()));
        })
    };
    map.unchecked_ref::<Evented>()
        .on("moveend", moved.as_ref().unchecked_ref());
    let pick = on_pick.clone();
    let ctl_for_click = ctl.clone();
    let click = Closure::<dyn FnMut(JsValue)>::new(move |e: JsValue| {
        if let Ok(ll) = Reflect::get(&e, &s("latlng")) {
            let ll: LatLng = ll.unchecked_into();
            pick.borrow().emit((ll.lng(), ll.lat()));
            if let Ok(c) = ctl_for_click.try_borrow()
                && let Some(c) = c.as_ref()
            {
                c.street_click(&ll, &on_street);
            }
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
    let _ = el.add_event_listener_with_callback("keydown", key.as_ref().unchecked_ref());
    // Printing changes the map's box (see the print rules in app.css): re-measure
    // it before and after so the printed map is centred and fully drawn. The map
    // lives as long as the page, so the listener is never removed.
    let map_for_print = map.clone();
    let print = Closure::<dyn FnMut(JsValue)>::new(move |_e: JsValue| {
        map_for_print.invalidate_size(false);
    })
    .into_js_value();
    if let Some(w) = web_sys::window() {
        let _ = w.add_event_listener_with_callback("beforeprint", print.unchecked_ref());
        let _ = w.add_event_listener_with_callback("afterprint", print.unchecked_ref());
    }
    Some(Ctl {
        map,
        renderer,
        overlay_renderer,
        layers: BTreeMap::new(),
        home: None,
        iso: None,
        overlays: Vec::new(),
        _map_closures: vec![click, key, moved],
        deco,
        tiles: None,
        engine,
        on_detail,
        on_aggregate,
        point_keys: 0,
        on_demand_point,
        raster: None,
        edits: None,
    })
}

/// The map's notes: failed tiles, minor streets left out, points counted (and what coverage
/// colours count at this zoom), the package's own note.
fn notes(props: &MapViewProps, tile_failed: u32, detail_hidden: bool, aggregated: bool) -> Html {
    let t = props.lang.map();
    let note = props
        .tiles
        .as_ref()
        .map(|t| t.note.trim())
        .filter(|n| !n.is_empty());
    html! {
        <>
            if tile_failed > 0 {
                <div class="sq-tile-error" id="tile-error" role="alert">
                    { format!("{} {}", t.tiles_failed, tile_failed) }<br />{ t.tiles_failed_help }
                </div>
            }
            if detail_hidden {
                <div class="sq-map-note sq-detail-note" id="map-detail-note" role="status">{ t.minor_streets_hidden }</div>
            }
            // With coverage colours on, the note says what they count at this zoom.
            if aggregated {
                <div class="sq-map-note sq-detail-note sq-points-note" id="map-points-note" role="status" data-coverage={props.paint.is_some().to_string()}>
                    { if props.paint.is_some() { props.lang.tiles().cov_counted } else { t.points_aggregated } }
                </div>
            } else if props.paint.is_some() {
                <div class="sq-map-note sq-detail-note sq-points-note" id="map-points-note" role="status" data-coverage="single">{ props.lang.tiles().cov_single }</div>
            }
            if let Some(note) = note {
                <div class="sq-map-note" id="map-note">{ note }</div>
            }
        </>
    }
}

/// A callback each point layer calls with (its key, whether it is counted now); `h` is told
/// whether any layer is.
fn any_of_layers(h: UseStateSetter<bool>) -> Callback<(u32, bool)> {
    let keys = Rc::new(RefCell::new(BTreeSet::<u32>::new()));
    Callback::from(move |(key, on): (u32, bool)| {
        let mut k = keys.borrow_mut();
        if on {
            k.insert(key);
        } else {
            k.remove(&key);
        }
        h.set(!k.is_empty());
    })
}

/// Places, moves or removes the draggable start marker, titled `title` in the interface's
/// language; dragging it picks its point.
fn set_home(
    c: &mut Ctl,
    home: Option<(f64, f64)>,
    title: &str,
    on_pick: &Rc<RefCell<Callback<(f64, f64)>>>,
) {
    match (home, &c.home) {
        (None, Some((m, _))) => {
            m.remove();
            c.home = None;
        }
        (Some((lon, lat)), Some((m, _))) => {
            m.set_lat_lng(&LatLng::new(lat, lon));
            if let Some(icon) =
                call0(m, "getElement").and_then(|i| i.dyn_into::<web_sys::Element>().ok())
            {
                let _ = icon.set_attribute("title", title);
            }
        }
        (Some((lon, lat)), None) => {
            let opts = MarkerOptions::new();
            opts.set_draggable(true);
            opts.set_keyboard(true);
            opts.set_title(title.to_owned());
            let m = Marker::new_with_options(&LatLng::new(lat, lon), &opts);
            let pick = on_pick.clone();
            let m2 = m.clone();
            let drag = Closure::<dyn FnMut(JsValue)>::new(move |_e: JsValue| {
                let ll = m2.get_lat_lng();
                pick.borrow().emit((ll.lng(), ll.lat()));
            });
            m.unchecked_ref::<Evented>()
                .on("drag", drag.as_ref().unchecked_ref());
            c.map.add_layer(&m);
            c.home = Some((m, drag));
        }
        (None, None) => {}
    }
}

/// Calls the map's attribution control's `method` (`addAttribution`/`removeAttribution`, its
/// public API) with escaped HTML.
fn attribution(map: &Map, method: &str, html: &str) {
    if let Ok(control) = Reflect::get(map, &s("attributionControl"))
        && let Ok(f) =
            Reflect::get(&control, &s(method)).and_then(JsCast::dyn_into::<js_sys::Function>)
    {
        let _ = f.call1(&control, &s(html));
    }
}

#[derive(Default, PartialEq)]
struct TileFailures(u32);

enum TileAction {
    Failed,
    Reset,
}

impl Reducible for TileFailures {
    type Action = TileAction;
    fn reduce(self: Rc<Self>, a: TileAction) -> Rc<Self> {
        match a {
            TileAction::Failed => Rc::new(TileFailures(self.0 + 1)),
            TileAction::Reset if self.0 == 0 => self,
            TileAction::Reset => Rc::new(TileFailures(0)),
        }
    }
}
