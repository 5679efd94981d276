//! Layers drawn from tiles the worker cuts on demand ([`crate::plan::tile`]): a Leaflet
//! `L.GridLayer` (public API: the documented asynchronous `createTile(coords, done)`, the
//! `tileunload` event, `getContainer`) whose tiles are canvases of our own. Each tile is asked
//! of the worker by the engine ([`crate::web::engine::EngineHandle::tile`]), arrives as bytes
//! and is drawn once ([`draw_lines`], [`super::tile_points`]); a pan then only moves tile
//! canvases already drawn, and Leaflet keeps and drops them.
//!
//! What the tiles on the map say is told to the map: a streets tile that left minor classes
//! out, a points tile drawn as counts per cell (`on_flag`, the map's notes). Clicks on point
//! tiles are one handler per layer on the map's container, in the capture phase (so a layer
//! under another's canvases still gets them; the layer finds its own tile under the pointer):
//! a count's disc core zooms in on it, a single point of a coverage-painted tile selects it (`on_point`, its record), anything
//! else goes on to the map (a pick). Streets tiles take no pointer events: the map asks the
//! layer which line is near a click ([`TileGrid::street_near`], in the tile's own units).
//!
//! Cost per tile: O(v) for its v vertices or entries, once; nothing per frame.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use js_sys::Reflect;
use leaflet::{Evented, GridLayer, GridLayerOptions, LatLng, Layer, Map};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};
use yew::Callback;

use super::leaflet::{document, s};
use super::symbols::street_style_of_rank;
use super::tile_points::{PointDraw, hit, single_at};
use crate::plan::package::LayerKind;
use crate::plan::tile::lines::LineTile;
use crate::plan::tile::points::PointTile;
use crate::plan::tile::simplify::seg_dist2;
use crate::plan::tile::wire::{lines_from_bytes, points_from_bytes};
use crate::plan::tile::{EXTENT, TILE_PX, TileKey, TileLayer, lonlat_of};
use crate::web::engine::EngineHandle;

/// `createTile(coords, done)`.
type CreateFn = Closure<dyn FnMut(JsValue, JsValue) -> JsValue>;
/// A Leaflet or DOM event handler.
type EventFn = Closure<dyn FnMut(JsValue)>;

/// What a grid draws.
enum Paint {
    Streets,
    Points(PointDraw),
}

/// A tile as drawn: a points tile's entries or a streets tile's pieces.
enum Drawn {
    Points(PointTile),
    Lines(LineTile),
}

/// What the layer's tiles on the map told, by `z/x/y`: the flag, and what was drawn.
#[derive(Default)]
struct Told {
    tiles: BTreeMap<String, (bool, Drawn)>,
}

impl Told {
    fn any(&self) -> bool {
        self.tiles.values().any(|(f, _)| *f)
    }
}

/// A grid layer of worker-cut tiles; dropping it drops its closures (remove it from the map
/// first: the owner does, see `sync`).
pub(super) struct TileGrid {
    map: Map,
    layer: GridLayer,
    /// Which layer, whose records.
    of: (TileLayer, Option<u32>),
    told: Rc<RefCell<Told>>,
    /// The closures Leaflet and the map's container call: create, unload, click, press.
    hooks: (CreateFn, EventFn, EventFn, EventFn),
}

impl TileGrid {
    /// The streets of `import` (`None`: the package's); `on_detail(true)` while a tile on the
    /// map leaves minor classes out.
    pub(super) fn streets(
        engine: EngineHandle,
        import: Option<u32>,
        map: &Map,
        on_detail: Callback<bool>,
    ) -> Self {
        Self::new(
            engine,
            (TileLayer::Streets, import),
            ("overlayPane", "sq-lines sq-tile"),
            Paint::Streets,
            map,
            (on_detail, Callback::noop()),
        )
    }

    /// The points of a `kind` layer of `import`; `on_aggregate(true)` while a tile on the map
    /// draws counts per cell, `on_point(record)` for a click on a coverage-painted point.
    /// `None` for a kind that is not tiled.
    pub(super) fn points(
        engine: EngineHandle,
        kind: LayerKind,
        import: Option<u32>,
        (map, pane): (&Map, &'static str),
        (on_aggregate, on_point): (Callback<bool>, Callback<u32>),
    ) -> Option<Self> {
        let layer = TileLayer::of(kind).filter(|l| *l != TileLayer::Streets)?;
        Some(Self::new(
            engine,
            (layer, import),
            (pane, "sq-points sq-tile"),
            Paint::Points(PointDraw::new(kind)),
            map,
            (on_aggregate, on_point),
        ))
    }

    fn new(
        engine: EngineHandle,
        (layer_of, import): (TileLayer, Option<u32>),
        (pane, class): (&'static str, &'static str),
        paint: Paint,
        map: &Map,
        (on_flag, on_point): (Callback<bool>, Callback<u32>),
    ) -> Self {
        let options = GridLayerOptions::new();
        options.set_pane(pane.to_owned());
        options.set_tile_size(TILE_PX);
        options.set_no_wrap(true);
        options.set_keep_buffer(2.0);
        options.set_class_name("sq-tiles".to_owned());
        let layer = GridLayer::new_with_options(&options);
        let told = Rc::new(RefCell::new(Told::default()));
        let paint = Rc::new(RefCell::new(paint));
        let points = matches!(*paint.borrow(), Paint::Points(_));
        let dpr = web_sys::window().map_or(1.0, |w| w.device_pixel_ratio().max(1.0));
        let create = {
            let (engine, told, on_flag) = (engine.clone(), told.clone(), on_flag.clone());
            CreateFn::new(move |coords: JsValue, done: JsValue| {
                let Some(canvas) = new_canvas(dpr, class, points) else {
                    return JsValue::NULL;
                };
                let done: Option<js_sys::Function> = done.dyn_into().ok();
                let Some(key) = key_of(&coords) else {
                    if let Some(d) = &done {
                        let _ = d.call2(&JsValue::NULL, &JsValue::NULL, &canvas);
                    }
                    return canvas.into();
                };
                let name = format!("{}/{}/{}", key.z, key.x, key.y);
                let _ = canvas.set_attribute("data-tile", &name);
                let source = import.map_or_else(|| "package".to_owned(), |i| i.to_string());
                let _ = canvas.set_attribute("data-source", &format!("{layer_of:?}-{source}"));
                let drawn = {
                    let (canvas, told, on_flag, paint) =
                        (canvas.clone(), told.clone(), on_flag.clone(), paint.clone());
                    Box::new(move |bytes: Vec<u8>| {
                        super::frames::draw_later(Box::new(move || {
                            // Unloaded before its turn: nothing to draw, nothing to tell.
                            if !canvas.is_connected() {
                                return;
                            }
                            // The tile's size on the wire (read by `bench/city_browser.mjs`).
                            let _ = canvas.set_attribute("data-bytes", &bytes.len().to_string());
                            let entry = match &mut *paint.borrow_mut() {
                                Paint::Streets => {
                                    let tile = lines_from_bytes(&bytes).unwrap_or_default();
                                    draw_lines(&canvas, &tile, key.z, dpr);
                                    (tile.left_out > 0, Drawn::Lines(tile))
                                }
                                Paint::Points(p) => {
                                    let tile = points_from_bytes(&bytes).unwrap_or_default();
                                    let flag = p.draw(&canvas, &tile, dpr);
                                    (flag, Drawn::Points(tile))
                                }
                            };
                            let any = {
                                let mut t = told.borrow_mut();
                                t.tiles.insert(name, entry);
                                t.any()
                            };
                            on_flag.emit(any);
                            if let Some(d) = &done {
                                let _ = d.call2(&JsValue::NULL, &JsValue::NULL, &canvas);
                            }
                        }));
                    })
                };
                let seq = engine.tile(layer_of, import, key, drawn);
                let _ = canvas.set_attribute("data-seq", &seq.to_string());
                canvas.into()
            })
        };
        let unload = {
            let told = told.clone();
            EventFn::new(move |e: JsValue| {
                let tile = Reflect::get(&e, &s("tile")).unwrap_or(JsValue::NULL);
                let Some(el) = tile.dyn_ref::<web_sys::Element>() else {
                    return;
                };
                if let Some(seq) = el.get_attribute("data-seq").and_then(|v| v.parse().ok()) {
                    engine.forget_tile(seq);
                }
                if let Some(name) = el.get_attribute("data-tile") {
                    let any = {
                        let mut t = told.borrow_mut();
                        t.tiles.remove(&name);
                        t.any()
                    };
                    on_flag.emit(any);
                }
            })
        };
        // One click handler on the map's container, in the capture phase: it sees every click
        // before Leaflet does, whichever layer's canvas is on top, and finds this layer's tile
        // under the pointer itself.
        // Where the pointer went down: a click that ends a drag of the map is no click here
        // (the browser sends one when the button goes up over the same element).
        let pressed = Rc::new(std::cell::Cell::new((0, 0)));
        let press = {
            let pressed = pressed.clone();
            EventFn::new(move |e: JsValue| {
                if let Some(e) = e.dyn_ref::<web_sys::MouseEvent>() {
                    pressed.set((e.client_x(), e.client_y()));
                }
            })
        };
        let click = {
            let (told, map, layer) = (told.clone(), map.clone(), layer.clone());
            EventFn::new(move |e: JsValue| {
                let Some(e) = e.dyn_ref::<web_sys::MouseEvent>() else {
                    return;
                };
                // A map control (zoom buttons, attribution) over a count is the control's.
                if on_control(e) || dragged(pressed.get(), e) {
                    return;
                }
                let Some((name, at)) = tile_under(&layer, e) else {
                    return;
                };
                let t = told.borrow();
                let Some((_, Drawn::Points(tile))) = t.tiles.get(&name) else {
                    return;
                };
                let Some((x, y)) = hit(tile, at) else {
                    // A point coloured by coverage: selected, not a walking origin.
                    if let Some(record) = single_at(tile, at).filter(|_| tile.classes > 0) {
                        e.stop_immediate_propagation();
                        on_point.emit(record);
                    }
                    return;
                };
                let Some(key) = parse_name(&name) else { return };
                e.stop_immediate_propagation();
                let side = key.side();
                let world = [
                    (f64::from(key.x) + x / EXTENT) * side,
                    (f64::from(key.y) + y / EXTENT) * side,
                ];
                let (lon, lat) = lonlat_of(world);
                map.set_view(&LatLng::new(lat, lon), map.get_zoom() + 2.0);
            })
        };
        if points {
            let c = map.get_container();
            let _ = c.add_event_listener_with_callback_and_bool(
                "click",
                click.as_ref().unchecked_ref(),
                true,
            );
            let _ = c.add_event_listener_with_callback_and_bool(
                "pointerdown",
                press.as_ref().unchecked_ref(),
                true,
            );
        }
        let _ = Reflect::set(&layer, &s("createTile"), create.as_ref());
        let ev: &Evented = layer.unchecked_ref();
        ev.on("tileunload", unload.as_ref().unchecked_ref());
        Self {
            map: map.clone(),
            layer,
            of: (layer_of, import),
            told,
            hooks: (create, unload, click, press),
        }
    }

    /// Which layer the grid draws, and whose records.
    pub(super) fn of(&self) -> (TileLayer, Option<u32>) {
        self.of
    }

    /// Asks every tile again (after the worker's painting changed).
    pub(super) fn redraw(&self) {
        self.layer.redraw();
    }

    /// The line of a streets tile on the map within `px` CSS pixels of the world position `w`
    /// (Web-Mercator units at zoom 0) at tile zoom `z`: its id, the nearest first.
    pub(super) fn street_near(&self, world: [f64; 2], zoom: u8, px: f64) -> Option<u32> {
        let side = TILE_PX / f64::from(1u32 << zoom.min(crate::plan::tile::MAX_ZOOM));
        let key = TileKey::new(zoom, (world[0] / side) as u32, (world[1] / side) as u32)?;
        let told = self.told.borrow();
        let name = format!("{}/{}/{}", key.z, key.x, key.y);
        let Some((_, Drawn::Lines(tile))) = told.tiles.get(&name) else {
            return None;
        };
        let at = key.local(world);
        let reach = px * EXTENT / TILE_PX;
        (0..tile.len())
            .filter_map(|i| {
                let xy = tile.piece(i);
                let d = xy
                    .chunks_exact(2)
                    .zip(xy.chunks_exact(2).skip(1))
                    .map(|(a, b)| {
                        let a = [f64::from(a[0]), f64::from(a[1])];
                        let b = [f64::from(b[0]), f64::from(b[1])];
                        seg_dist2(at, a, b).sqrt()
                    })
                    .fold(f64::INFINITY, f64::min);
                (d <= reach).then_some((d, tile.ids[i]))
            })
            .min_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, id)| id)
    }

    /// The Leaflet layer (add it to the map or a group).
    pub(super) fn layer(&self) -> &Layer {
        self.layer.unchecked_ref()
    }
}

impl Drop for TileGrid {
    fn drop(&mut self) {
        // The click handlers live on the map's container: take them off before they are dropped.
        let c = self.map.get_container();
        let _ = c.remove_event_listener_with_callback_and_bool(
            "click",
            self.hooks.2.as_ref().unchecked_ref(),
            true,
        );
        let _ = c.remove_event_listener_with_callback_and_bool(
            "pointerdown",
            self.hooks.3.as_ref().unchecked_ref(),
            true,
        );
    }
}

/// Whether the click `e` ends a drag: the pointer went down more than 4 CSS pixels away.
fn dragged((x, y): (i32, i32), e: &web_sys::MouseEvent) -> bool {
    let (dx, dy) = (e.client_x() - x, e.client_y() - y);
    dx * dx + dy * dy > 16
}

/// Whether `e` is on one of the map's controls (Leaflet's `.leaflet-control` boxes).
fn on_control(e: &web_sys::MouseEvent) -> bool {
    e.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|el| el.closest(".leaflet-control").ok().flatten())
        .is_some()
}

/// This layer's tile canvas under the pointer of `e` (on the map, of the zoom shown) and the
/// pointer in its CSS pixels.
fn tile_under(layer: &GridLayer, e: &web_sys::MouseEvent) -> Option<(String, (f64, f64))> {
    let (cx, cy) = (f64::from(e.client_x()), f64::from(e.client_y()));
    let canvases = layer
        .get_container()
        .query_selector_all("canvas[data-tile]")
        .ok()?;
    (0..canvases.length()).find_map(|i| {
        let c: web_sys::Element = canvases.item(i)?.dyn_into().ok()?;
        let r = c.get_bounding_client_rect();
        let inside = r.width() > 0.0
            && (r.left()..r.right()).contains(&cx)
            && (r.top()..r.bottom()).contains(&cy);
        let scale = TILE_PX / r.width();
        inside.then(|| {
            let name = c.get_attribute("data-tile")?;
            Some((name, ((cx - r.left()) * scale, (cy - r.top()) * scale)))
        })?
    })
}

fn key_of(coords: &JsValue) -> Option<TileKey> {
    let at = |k: &str| Reflect::get(coords, &s(k)).ok().and_then(|v| v.as_f64());
    let (z, x, y) = (at("z")?, at("x")?, at("y")?);
    if z < 0.0 || x < 0.0 || y < 0.0 {
        return None;
    }
    TileKey::new(z as u8, x as u32, y as u32)
}

fn parse_name(name: &str) -> Option<TileKey> {
    let mut it = name.split('/').map(str::parse::<u32>);
    let (z, x, y) = (it.next()?.ok()?, it.next()?.ok()?, it.next()?.ok()?);
    TileKey::new(u8::try_from(z).ok()?, x, y)
}

fn new_canvas(dpr: f64, class: &str, clickable: bool) -> Option<HtmlCanvasElement> {
    let canvas: HtmlCanvasElement = document()?.create_element("canvas").ok()?.dyn_into().ok()?;
    let side = (TILE_PX * dpr).round() as u32;
    canvas.set_width(side);
    canvas.set_height(side);
    // `sq-lines` / `sq-points`: the streets' and points' canvases (tests count their pixels).
    let _ = canvas.set_attribute("class", class);
    if clickable {
        // Leaflet's tile containers take no pointer events; a points tile does (its clicks
        // bubble on to the map unless they hit a count).
        let _ = canvas.style().set_property("pointer-events", "auto");
    }
    Some(canvas)
}

/// Line width factor at zoom `z`: full from zoom 15, thinner below (a whole city is not a
/// grey mass).
fn width_at(z: u8) -> f64 {
    0.5f64
        .powf(f64::from(15u8.saturating_sub(z)) / 3.0)
        .max(0.35)
}

/// Draws a streets tile: one path per run of a class, minor classes first.
fn draw_lines(canvas: &HtmlCanvasElement, tile: &LineTile, zoom: u8, dpr: f64) {
    let _ = canvas.set_attribute("data-pieces", &tile.len().to_string());
    let lines: std::collections::BTreeSet<u32> = tile.ids.iter().copied().collect();
    let _ = canvas.set_attribute("data-lines", &lines.len().to_string());
    let _ = canvas.set_attribute("data-left-out", &tile.left_out.to_string());
    super::bitmap::paint(canvas, dpr, |ctx| stroke_lines(ctx, tile, zoom));
}

/// The strokes of [`draw_lines`].
fn stroke_lines(ctx: &CanvasRenderingContext2d, tile: &LineTile, zoom: u8) {
    ctx.set_line_cap("round");
    ctx.set_line_join("round");
    let unit = TILE_PX / EXTENT;
    let thin = width_at(zoom);
    let mut i = 0;
    while i < tile.len() {
        let class = tile.class[i];
        let (colour, width, dash) = street_style_of_rank(class);
        ctx.set_stroke_style_str(colour);
        ctx.set_line_width(width * thin);
        let dashes = js_sys::Array::new();
        if let Some(d) = dash {
            for part in d.split_whitespace().filter_map(|p| p.parse::<f64>().ok()) {
                dashes.push(&JsValue::from_f64(part));
            }
        }
        let _ = ctx.set_line_dash(&dashes);
        ctx.begin_path();
        while i < tile.len() && tile.class[i] == class {
            let mut pts = tile.piece(i).chunks_exact(2);
            if let Some(p) = pts.next() {
                ctx.move_to(f64::from(p[0]) * unit, f64::from(p[1]) * unit);
                for p in pts {
                    ctx.line_to(f64::from(p[0]) * unit, f64::from(p[1]) * unit);
                }
            }
            i += 1;
        }
        ctx.stroke();
    }
}
