//! The map's own controls: the basemap/tile settings (off by default, kept in local storage),
//! the legend of the visible layers with the same symbols the map draws, and the PNG export.
//!
//! Mounting them takes a few lines in the shell: `let tiles = use_tile_settings();`, then
//! `tiles={tiles.source()}` on [`super::map::MapView`], `<BasemapSettings … />` in a panel and
//! `<MapLegend … />` over the map.

use std::collections::BTreeMap;
use std::rc::Rc;

use serde::{Deserialize, Serialize};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::data::Fetched;
use super::field::Field;
use super::i18n::Lang;
use super::map::{
    ExportError, Shape, Symbol, TileSource, category_symbol, export_png, kind_symbol, street_style,
};
use crate::plan::model::Category;
use crate::plan::package::LayerKind;

/// Local-storage key of the tile settings (the suffix is the schema version).
pub const TILES_KEY: &str = "shuangquan.tiles.v1";

/// Which tiles to draw under the data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TileChoice {
    /// No tiles: the package's own streets and boundaries are the basemap (no request leaves).
    #[default]
    None,
    /// tile.openstreetmap.org.
    Osm,
    /// 天地图 vector tiles and annotations (Web Mercator), with a `tk` token.
    Tianditu,
    /// Any XYZ template.
    Custom,
}

/// The tile settings as kept in local storage under [`TILES_KEY`].
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct TileSettings {
    /// Which source.
    pub choice: TileChoice,
    /// 天地图 token.
    pub tk: String,
    /// Custom URL template.
    pub custom_url: String,
    /// Custom attribution.
    pub custom_attribution: String,
    /// 审图号 line shown on the map with 天地图 or custom tiles.
    pub shentu: String,
}

/// Why the chosen source cannot be used yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TileProblem {
    /// 天地图 without a token.
    NeedTk,
    /// The custom template is not an http(s) XYZ template.
    BadUrl,
}

fn valid_template(url: &str) -> bool {
    let u = url.trim();
    if !(u.starts_with("https://") || u.starts_with("http://") || u.starts_with('/')) {
        return false;
    }
    if !(u.contains("{z}") && u.contains("{x}") && u.contains("{y}")) {
        return false;
    }
    // Leaflet throws on variables it has no value for.
    let mut rest = u;
    while let Some(i) = rest.find('{') {
        let Some(j) = rest[i..].find('}') else {
            return false;
        };
        if !matches!(&rest[i + 1..i + j], "z" | "x" | "y" | "s" | "r" | "-y") {
            return false;
        }
        rest = &rest[i + j + 1..];
    }
    true
}

fn encode_component(v: &str) -> String {
    String::from(js_sys::encode_uri_component(v.trim()))
}

impl TileSettings {
    /// Reads the settings from local storage (defaults when absent or unreadable).
    pub fn load() -> Self {
        super::store::get(TILES_KEY)
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default()
    }

    /// Writes the settings to local storage (a refused write is announced).
    pub fn save(&self) {
        if let Ok(t) = serde_json::to_string(self) {
            super::store::put(super::store::Saved::Tiles, TILES_KEY, &t);
        }
    }

    /// What keeps the chosen source from being drawn, if anything.
    pub fn problem(&self) -> Option<TileProblem> {
        match self.choice {
            TileChoice::Tianditu if self.tk.trim().is_empty() => Some(TileProblem::NeedTk),
            TileChoice::Custom if !valid_template(&self.custom_url) => Some(TileProblem::BadUrl),
            _ => None,
        }
    }

    /// The tile source to draw, `None` when off or not usable.
    pub fn source(&self) -> Option<TileSource> {
        if self.problem().is_some() {
            return None;
        }
        match self.choice {
            TileChoice::None => None,
            TileChoice::Osm => Some(TileSource {
                url: "https://tile.openstreetmap.org/{z}/{x}/{y}.png".into(),
                subdomains: String::new(),
                attribution: "© OpenStreetMap contributors".into(),
                overlay_url: None,
                max_zoom: 19,
                note: String::new(),
            }),
            TileChoice::Tianditu => {
                let wmts = |layer: &str| {
                    format!(
                        "https://t{{s}}.tianditu.gov.cn/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER={layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={{z}}&TILEROW={{y}}&TILECOL={{x}}&tk={}",
                        encode_component(&self.tk)
                    )
                };
                Some(TileSource {
                    url: wmts("vec"),
                    subdomains: "01234567".into(),
                    attribution: "© 天地图 国家地理信息公共服务平台".into(),
                    overlay_url: Some(wmts("cva")),
                    max_zoom: 18,
                    note: self.shentu.trim().to_owned(),
                })
            }
            TileChoice::Custom => Some(TileSource {
                url: self.custom_url.trim().to_owned(),
                subdomains: String::new(),
                attribution: self.custom_attribution.trim().to_owned(),
                overlay_url: None,
                max_zoom: 19,
                note: self.shentu.trim().to_owned(),
            }),
        }
    }
}

/// The tile settings, read once from local storage; set them with [`BasemapSettings`].
#[hook]
pub fn use_tile_settings() -> UseStateHandle<TileSettings> {
    use_state(TileSettings::load)
}

/// Applies a field's new value to the settings.
type Setter = Rc<dyn Fn(&mut TileSettings, String)>;

/// Properties of [`BasemapSettings`].
#[derive(Properties, PartialEq)]
pub struct BasemapSettingsProps {
    /// Interface language.
    pub lang: Lang,
    /// The settings (from [`use_tile_settings`]); changes are saved to local storage.
    pub settings: UseStateHandle<TileSettings>,
}

/// The basemap settings block: no tiles (default) / OpenStreetMap / 天地图 + tk / custom URL,
/// attribution and 审图号 fields, with the CSP note.
#[component]
pub fn BasemapSettings(p: &BasemapSettingsProps) -> Html {
    let t = p.lang.map();
    let cur = (*p.settings).clone();
    let update = {
        let settings = p.settings.clone();
        move |f: Setter| {
            let settings = settings.clone();
            Callback::from(move |e: Event| {
                let v = e
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                    .map(|i| i.value())
                    .unwrap_or_default();
                let mut next = (*settings).clone();
                f(&mut next, v);
                next.save();
                settings.set(next);
            })
        }
    };
    let radio = |choice: TileChoice, id: &'static str, label: &'static str| {
        let onchange = update(Rc::new(move |s: &mut TileSettings, _| s.choice = choice));
        html! {
            <label class="tiles-option">
                <input type="radio" name="tiles-choice" id={id} value={id}
                    checked={cur.choice == choice} {onchange} />
                { " " }{ label }
            </label>
        }
    };
    let field =
        |id: &'static str, label: &'static str, value: &str, kind: &'static str, set: Setter| {
            html! {
                <label class="tiles-field" for={id}>
                    <span>{ label }</span>
                    <Field kind={kind} id={id} value={value.to_owned()} autocomplete="off"
                        spellcheck="false" onchange={update(set)} />
                </label>
            }
        };
    let source = cur.source();
    html! {
        <section class="basemap-settings" id="basemap-settings" aria-labelledby="basemap-heading">
            <h3 id="basemap-heading">{ t.tiles_heading }</h3>
            <p class="hint">{ t.tiles_help }</p>
            <fieldset>
                <legend class="sr-only">{ t.tiles_heading }</legend>
                { radio(TileChoice::None, "tiles-none", t.tiles_none) }
                { radio(TileChoice::Osm, "tiles-osm", t.tiles_osm) }
                { radio(TileChoice::Tianditu, "tiles-tianditu", t.tiles_tianditu) }
                { radio(TileChoice::Custom, "tiles-custom", t.tiles_custom) }
            </fieldset>
            if cur.choice == TileChoice::Tianditu {
                { field("tiles-tk", t.tiles_tk, &cur.tk, "password", Rc::new(|s, v| s.tk = v)) }
            }
            if cur.choice == TileChoice::Custom {
                { field("tiles-url", t.tiles_url, &cur.custom_url, "url", Rc::new(|s, v| s.custom_url = v)) }
                { field("tiles-attribution", t.tiles_attribution, &cur.custom_attribution, "text",
                    Rc::new(|s, v| s.custom_attribution = v)) }
            }
            if matches!(cur.choice, TileChoice::Tianditu | TileChoice::Custom) {
                { field("tiles-shentu", t.tiles_shentu, &cur.shentu, "text", Rc::new(|s, v| s.shentu = v)) }
            }
            { match cur.problem() {
                Some(TileProblem::NeedTk) => html! { <p class="note" role="status">{ t.tiles_need_tk }</p> },
                Some(TileProblem::BadUrl) => html! { <p class="note" role="status">{ t.tiles_bad_url }</p> },
                None => html! {},
            } }
            if let Some(src) = source {
                <p class="note" id="tiles-active">{ t.tiles_active }{ tile_host(&src.url) }</p>
            }
        </section>
    }
}

/// The host part of a URL template, for display.
fn tile_host(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.split('/').next().unwrap_or(rest).to_owned()
}

/// Whether a layer of this kind is shown when the user has not toggled it (as the shell does).
pub fn default_visible(kind: LayerKind) -> bool {
    !matches!(kind, LayerKind::Postings | LayerKind::Candidates)
}

/// A legend symbol: the same shape and colours the map draws.
pub fn symbol_svg(sym: Symbol) -> Html {
    let r = if sym.shape == Shape::Star { 8.5 } else { 6.0 };
    let (fill, stroke) = (sym.fill, sym.stroke);
    let weight = if sym.weight > 0.0 {
        sym.weight.max(1.0)
    } else {
        0.0
    };
    // White outlines (stations) need a dark edge to read on the white legend.
    let stroke = if stroke == "#ffffff" {
        "#1b1f24"
    } else {
        stroke
    };
    let shape = if sym.shape == Shape::Circle {
        html! { <circle cx="10" cy="10" r={r.to_string()} fill={fill} stroke={stroke} stroke-width={weight.to_string()} /> }
    } else {
        html! { <polygon points={sym.shape.svg_points(10.0, 10.0, r)} fill={fill} stroke={stroke} stroke-width={weight.to_string()} /> }
    };
    html! {
        <svg class="legend-symbol" width="20" height="20" viewBox="0 0 20 20" aria-hidden="true" focusable="false">
            { shape }
        </svg>
    }
}

fn line_svg(colour: &str, width: f64, dash: Option<&str>) -> Html {
    html! {
        <svg class="legend-symbol" width="20" height="20" viewBox="0 0 20 20" aria-hidden="true" focusable="false">
            <line x1="1" y1="10" x2="19" y2="10" stroke={colour.to_owned()} stroke-width={width.to_string()}
                stroke-dasharray={dash.unwrap_or("none").to_owned()} stroke-linecap="round" />
        </svg>
    }
}

fn area_svg(stroke: &str, dash: Option<&str>, fill: &str) -> Html {
    html! {
        <svg class="legend-symbol" width="20" height="20" viewBox="0 0 20 20" aria-hidden="true" focusable="false">
            <rect x="2" y="4" width="16" height="12" fill={fill.to_owned()} stroke={stroke.to_owned()}
                stroke-width="1.5" stroke-dasharray={dash.unwrap_or("none").to_owned()} />
        </svg>
    }
}

fn cluster_svg() -> Html {
    html! {
        <svg class="legend-symbol" width="20" height="20" viewBox="0 0 20 20" aria-hidden="true" focusable="false">
            <circle cx="10" cy="10" r="9" fill="#1b1f24" stroke="#ffffff" stroke-width="1.5" />
            <text x="10" y="13.5" text-anchor="middle" font-size="9" font-weight="bold" fill="#ffffff">{ "12" }</text>
        </svg>
    }
}

/// Properties of [`MapLegend`].
#[derive(Properties, PartialEq)]
pub struct MapLegendProps {
    /// Interface language.
    pub lang: Lang,
    /// The package on the map.
    pub fetched: Option<Rc<Fetched>>,
    /// Visibility by layer id (missing = [`default_visible`]).
    pub visible: BTreeMap<String, bool>,
    /// Start folded (e.g. when embedded); it also starts folded on screens under 600 px wide.
    #[prop_or_default]
    pub folded: bool,
}

/// The legend of the visible package layers (each 六个一 category with its own shape and
/// colour), with the PNG export button.
#[component]
pub fn MapLegend(p: &MapLegendProps) -> Html {
    let t = p.lang.map();
    let l = p.lang;
    let status = use_state(|| None::<String>);
    let narrow = use_state(|| {
        web_sys::window()
            .and_then(|w| w.inner_width().ok())
            .and_then(|w| w.as_f64())
            .is_some_and(|w| w < 600.0)
    });
    // Which layer kinds are on, and whether any facility is not one of the base six.
    let (kinds, extras) = {
        let mut kinds: Vec<LayerKind> = Vec::new();
        let mut extras = false;
        if let Some(f) = &p.fetched {
            for layer in &f.manifest.layers {
                let on = p
                    .visible
                    .get(&layer.id)
                    .copied()
                    .unwrap_or_else(|| default_visible(layer.kind));
                if !on {
                    continue;
                }
                if !kinds.contains(&layer.kind) {
                    kinds.push(layer.kind);
                }
                if layer.kind == LayerKind::Facilities
                    && let Some(text) = f.files.get(&layer.id)
                {
                    extras |= Category::ALL[6..]
                        .iter()
                        .any(|c| text.contains(&format!("\"{}\"", c.id())));
                }
            }
        }
        (kinds, extras)
    };
    let has = |k: LayerKind| kinds.contains(&k);
    let item = |id: String, sym: Html, label: String| {
        html! { <li data-legend={id}>{ sym }<span>{ label }</span></li> }
    };
    let mut items: Vec<Html> = Vec::new();
    if has(LayerKind::Stations) {
        items.push(item(
            "stations".into(),
            symbol_svg(kind_symbol(LayerKind::Stations)),
            l.layer(LayerKind::Stations).into(),
        ));
    }
    if has(LayerKind::Facilities) {
        for c in Category::BASE_SIX {
            items.push(item(
                format!("category-{}", c.id()),
                symbol_svg(category_symbol(c)),
                l.category(c).into(),
            ));
        }
        if extras {
            items.push(item(
                "category-other".into(),
                symbol_svg(category_symbol(Category::Housekeeping)),
                t.legend_other.into(),
            ));
        }
    }
    if has(LayerKind::Postings) {
        items.push(item(
            "postings".into(),
            symbol_svg(kind_symbol(LayerKind::Postings)),
            t.legend_posting.into(),
        ));
        items.push(item(
            "postings-cluster".into(),
            cluster_svg(),
            t.legend_cluster.into(),
        ));
    }
    if has(LayerKind::Candidates) {
        items.push(item(
            "candidates".into(),
            symbol_svg(kind_symbol(LayerKind::Candidates)),
            l.layer(LayerKind::Candidates).into(),
        ));
    }
    if has(LayerKind::Demand) {
        items.push(item(
            "demand".into(),
            symbol_svg(kind_symbol(LayerKind::Demand)),
            l.layer(LayerKind::Demand).into(),
        ));
    }
    if has(LayerKind::Communities) {
        items.push(item(
            "communities".into(),
            area_svg("#6b7380", None, "#f4f4f6"),
            l.layer(LayerKind::Communities).into(),
        ));
    }
    if has(LayerKind::Boundaries) {
        items.push(item(
            "boundaries".into(),
            area_svg("#4a5360", Some("4 3"), "none"),
            l.layer(LayerKind::Boundaries).into(),
        ));
    }
    if has(LayerKind::Streets) {
        let (c, w, d) = street_style("primary");
        items.push(item(
            "streets-major".into(),
            line_svg(c, w, d),
            t.legend_major.into(),
        ));
        let (c, w, d) = street_style("footway");
        items.push(item(
            "streets-minor".into(),
            line_svg(c, w.max(1.2), d),
            t.legend_minor.into(),
        ));
    }
    let export = {
        let status = status.clone();
        Callback::from(move |_: MouseEvent| {
            let status = status.clone();
            status.set(Some(t.export_busy.to_owned()));
            wasm_bindgen_futures::spawn_local(async move {
                let map = web_sys::window()
                    .and_then(|w| w.document())
                    .and_then(|d| d.get_element_by_id("map"));
                let msg = match map {
                    None => format!("{}#map", t.export_failed),
                    Some(m) => match export_png(&m).await {
                        Ok(()) => t.export_done.to_owned(),
                        Err(ExportError::Tainted) => t.export_tainted.to_owned(),
                        Err(ExportError::Other(e)) => format!("{}{e}", t.export_failed),
                    },
                };
                status.set(Some(msg));
            });
        })
    };
    html! {
        <details class="map-legend" id="map-legend" open={!(p.folded || *narrow)}>
            <summary>{ t.legend }</summary>
            if items.is_empty() {
                <p class="hint">{ t.legend_empty }</p>
            } else {
                <ul aria-label={t.legend}>{ for items }</ul>
            }
            <button type="button" class="secondary" id="export-png" onclick={export}>{ t.export_png }</button>
            if let Some(m) = &*status {
                <p class="export-status" id="export-status" role="status">{ m }</p>
            }
        </details>
    }
}
