//! The map wired to the page's state: which data layers and analysis overlays are drawn (from
//! the feature states), and what a click, a feature click or a pan does to them.

use std::rc::Rc;

use yew::prelude::*;

use super::map::{DrawLayer, MapView, Overlay, OverlayStyle};
use crate::plan::package::LayerKind;
use crate::plan::scenario::Site;
use crate::web::basemap::{MapLegend, TileSettings, default_visible};
use crate::web::panels::coverage::CoverageLegend;
use crate::web::panels::iso::IsoLegend;
use crate::web::panels::place::PlaceLegend;
use crate::web::protocol::ImportShown;
use crate::web::state::Tab;
use crate::web::state::access::use_access;
use crate::web::state::coverage::{CoverageAction, use_coverage};
use crate::web::state::data::use_data;
use crate::web::state::isochrone::use_isochrone;
use crate::web::state::nearby::{NearbyAction, use_nearby};
use crate::web::state::network::use_network;
use crate::web::state::place::{PlaceAction, use_place};
use crate::web::state::scenarios::use_scenarios;
use crate::web::state::view::{ViewAction, use_view};

/// Properties of [`AppMap`].
#[derive(Properties, PartialEq)]
pub struct AppMapProps {
    /// The basemap settings (shared with the data tab).
    pub tiles: UseStateHandle<TileSettings>,
}

/// The page's map with its legends.
#[component]
pub fn AppMap(p: &AppMapProps) -> Html {
    let view = use_view();
    let data = use_data();
    let iso = use_isochrone();
    let cov = use_coverage();
    let place = use_place();
    let nearby = use_nearby();
    let layers = use_draw_layers();
    let overlays = use_overlays();
    let raster = use_raster();
    let edits = use_edits_geojson();
    let net = use_network();
    let net_click = crate::web::effects::use_network_click();
    let drawing = view.tab == Tab::Place && net.tool.is_some();
    let (center, zoom) = match (view.url_view, data.fetched.as_ref()) {
        (Some((lon, lat, z)), _) => ((lon, lat), z),
        (None, Some(f)) => (
            (f.manifest.center_wgs84[0], f.manifest.center_wgs84[1]),
            f.manifest.zoom,
        ),
        (None, None) => ((121.475, 31.229), 14.0),
    };
    let on_pick = {
        let (view, iso, place) = (view.clone(), iso.clone(), place.clone());
        let engine = crate::web::engine::use_engine();
        let loaded = data.loaded.is_some();
        Callback::from(move |p: (f64, f64)| {
            if drawing {
                net_click.emit(p);
            } else if view.tab == Tab::Place && place.picking {
                let name = view.lang.place().picked_site.to_owned();
                place.dispatch(PlaceAction::AddClicked(p, name));
            } else {
                crate::web::engine::pick(&iso, &engine, loaded, p);
            }
        })
    };
    let on_feature = {
        let (view, cov) = (view.clone(), cov.clone());
        Callback::from(move |(id, key): (&'static str, usize)| match id {
            "cov-units" => cov.dispatch(CoverageAction::Select(Some(key))),
            "nb-hits" => {
                nearby.dispatch(NearbyAction::Select(key));
                view.dispatch(ViewAction::Focus(id, key));
            }
            "pl-sites" => {
                place.dispatch(PlaceAction::Select(key));
                view.dispatch(ViewAction::Focus(id, key));
            }
            "cov-points" => {
                let unit = cov.answer.as_ref().and_then(|a| {
                    a.coverage
                        .membership
                        .get(key)
                        .and_then(|m| m.iter().flatten().next().map(|u| *u as usize))
                });
                cov.dispatch(CoverageAction::Select(unit));
            }
            _ => {}
        })
    };
    let on_view = {
        let view = view.clone();
        Callback::from(move |v| view.dispatch(ViewAction::View(v)))
    };
    let paint = (view.tab == Tab::Coverage)
        .then(|| cov.answer.as_ref().map(|a| (a.seq, cov.mask)))
        .flatten();
    let iso_text: Option<Rc<str>> = iso.answer.as_ref().map(|a| Rc::from(a.geojson.as_str()));
    let iso_text = use_memo(iso_text, Clone::clone);
    let t = view.lang.text();
    html! {
        <>
            <MapView view_key={data.fetched.as_ref().map(|f| f.id.clone()).unwrap_or_default()} center_wgs84={center} zoom={zoom}
                label={t.map_label} layers={layers} home_wgs84={iso.home}
                isochrone={(*iso_text).clone()} on_pick={on_pick}
                overlays={overlays} on_feature={on_feature} focus={view.focus}
                lang={view.lang} tiles={p.tiles.source()} on_view={on_view} raster={raster}
                edits={(*edits).clone()} {drawing} {paint}
                attribution={data.fetched.as_ref().map(|f| AttrValue::from(f.manifest.attribution.clone()))} />
            <MapLegend lang={view.lang} fetched={data.fetched.clone()} visible={view.visible.clone()} folded={view.embed} />
            <IsoLegend />
            if view.tab == Tab::Coverage && cov.answer.is_some() {
                <CoverageLegend lang={view.lang} mask={cov.mask} />
            }
            <PlaceLegend />
        </>
    }
}

/// The accessibility surface's raster while the coverage tab is open (drawn once per surface
/// and layer).
#[hook]
fn use_raster() -> Option<Rc<super::map::surface::Raster>> {
    let view = use_view();
    let access = use_access();
    let shown = (view.tab == Tab::Coverage)
        .then(|| access.surface.clone())
        .flatten();
    let drawn = use_memo((shown, access.layer), |(s, layer)| {
        let s = s.as_ref()?;
        Some(Rc::new(super::map::surface::Raster {
            url: super::map::surface::surface_png(&s.surface, *layer)?,
            bounds_wgs84: s.bounds_wgs84,
        }))
    });
    (*drawn).clone()
}

/// The package's layers and the imported ones, each with its visibility.
#[hook]
fn use_draw_layers() -> Rc<Vec<DrawLayer>> {
    let view = use_view();
    let data = use_data();
    // Each import's layer texts, made once: the same `Rc<str>` on every recompute, so the map
    // keeps the layer (and its tiles) instead of reading a city's text again.
    let texts = use_mut_ref(Vec::<(Rc<ImportShown>, usize, Rc<str>)>::new);
    use_memo(
        (
            data.fetched.clone(),
            view.visible.clone(),
            data.imports.clone(),
            view.tab == Tab::Place,
            data.drawn.clone(),
            data.zones.clone(),
            data.labels.clone(),
        ),
        move |(fetched, visible, imports, placing, drawn, zones, labels)| {
            let default_visible = |kind: LayerKind| {
                default_visible(kind) || (*placing && kind == LayerKind::Candidates)
            };
            let mut out = Vec::new();
            if let Some(f) = fetched {
                for kind in LayerKind::ALL {
                    for l in f.manifest.layers_of(kind) {
                        if let Some(text) = f.files.get(&l.id).or_else(|| drawn.get(&l.id)) {
                            out.push(DrawLayer {
                                id: l.id.clone(),
                                kind,
                                geojson: text.clone(),
                                visible: visible
                                    .get(&l.id)
                                    .copied()
                                    .unwrap_or_else(|| default_visible(kind)),
                                zones: zones.get(&l.id).cloned().unwrap_or_else(|| Rc::from([])),
                                labels: None,
                            });
                        }
                    }
                }
            }
            let mut texts = texts.borrow_mut();
            texts.retain(|(imp, _, _)| imports.iter().any(|i| Rc::ptr_eq(i, imp)));
            for (i, imp) in imports.iter().enumerate() {
                for (k, (kind, _, text)) in imp.layers.iter().enumerate() {
                    let Some(kind) = LayerKind::ALL.iter().copied().find(|x| x.id() == kind) else {
                        continue;
                    };
                    let known = texts
                        .iter()
                        .find(|(x, j, _)| Rc::ptr_eq(x, imp) && *j == k)
                        .map(|(_, _, t)| t.clone());
                    let geojson = known.unwrap_or_else(|| {
                        let t: Rc<str> = Rc::from(text.as_str());
                        texts.push((imp.clone(), k, t.clone()));
                        t
                    });
                    let id = imports.layer_id(i, kind);
                    let zones = imp.zones.iter().find(|(k, _)| k == kind.id());
                    out.push(DrawLayer {
                        visible: visible.get(&id).copied().unwrap_or(true),
                        labels: labels.get(&id).cloned(),
                        id,
                        kind,
                        geojson,
                        zones: zones.map_or_else(|| Rc::from([]), |(_, z)| Rc::from(z.as_slice())),
                    });
                }
            }
            out
        },
    )
}

/// The open tab's analysis overlays.
#[hook]
fn use_overlays() -> Rc<Vec<Overlay>> {
    let view = use_view();
    let cov = use_coverage();
    let nearby = use_nearby();
    let place = use_place();
    let scn = use_scenarios();
    use_memo(
        (
            (
                view.tab,
                cov.answer.clone(),
                cov.mask,
                cov.selected,
                nearby.answer.clone(),
                nearby.selected,
                nearby.route.clone(),
            ),
            (
                place.answer.clone(),
                scn.file.clone(),
                place.extra.clone(),
                scn.compare.clone(),
            ),
        ),
        |((tab, cov, mask, selected, nearby, nb_selected, route), (place, scn, extra, compare))| {
            let mut out = Vec::new();
            if *tab == Tab::Place {
                if let Some(a) = place {
                    out.push(Overlay {
                        id: "pl-demand",
                        geojson: Rc::from(a.demand_geojson.as_str()),
                        style: OverlayStyle::PlaceDemand,
                    });
                }
                match compare
                    .as_ref()
                    .filter(|c| c.figures.iter().all(Option::is_some))
                {
                    Some(c) => {
                        for (id, i, class, label) in [
                            ("cmp-a", c.pair.0, "mark-icon cmp-a-icon", "A"),
                            ("cmp-b", c.pair.1, "mark-icon cmp-b-icon", "B"),
                        ] {
                            if let Some(sc) = scn.scenarios.get(i) {
                                out.push(Overlay {
                                    id,
                                    geojson: marks_geojson(&sc.sites, label),
                                    style: OverlayStyle::Marks { class },
                                });
                            }
                        }
                    }
                    None => {
                        if let Some(sc) = scn.scenarios.get(scn.active) {
                            out.push(Overlay {
                                id: "pl-accepted",
                                geojson: marks_geojson(&sc.sites, "✓"),
                                style: OverlayStyle::Marks {
                                    class: "mark-icon accepted-icon",
                                },
                            });
                        }
                    }
                }
                out.push(Overlay {
                    id: "pl-extra",
                    geojson: marks_geojson(extra, "+"),
                    style: OverlayStyle::Marks {
                        class: "mark-icon extra-icon",
                    },
                });
                if let Some(a) = place {
                    out.push(Overlay {
                        id: "pl-sites",
                        geojson: Rc::from(a.sites_geojson.as_str()),
                        style: OverlayStyle::Sites,
                    });
                }
            }
            if let (Tab::Nearby, Some(a)) = (tab, nearby) {
                out.push(Overlay {
                    id: "nb-hits",
                    geojson: Rc::from(a.hits_geojson.as_str()),
                    style: OverlayStyle::Hits {
                        selected: *nb_selected,
                    },
                });
                if let Some(r) = route {
                    out.push(Overlay {
                        id: "nb-route",
                        geojson: Rc::from(r.geojson.as_str()),
                        style: OverlayStyle::Route,
                    });
                }
            }
            if let (Tab::Coverage, Some(a)) = (tab, cov) {
                out.push(Overlay {
                    id: "cov-units",
                    geojson: Rc::from(a.units_geojson.as_str()),
                    style: OverlayStyle::CoverageUnits {
                        mask: *mask,
                        selected: *selected,
                    },
                });
                // The points are coloured on their tiles (see `map::paint`).
            }
            out
        },
    )
}

/// The active scenario's network edits and the path being drawn, as GeoJSON for the map
/// (features with an `edit` property; the draft is `draft`). None when there is nothing.
#[hook]
fn use_edits_geojson() -> Rc<Option<Rc<str>>> {
    let scn = use_scenarios();
    let net = use_network();
    let edits = scn
        .active_network()
        .map(|(_, e)| e.clone())
        .unwrap_or_default();
    use_memo((edits, net.draft.clone()), |(edits, draft)| {
        if edits.edits.is_empty() && draft.is_empty() {
            return None;
        }
        let mut doc = crate::plan::graph::edits::to_geojson(edits);
        let geometry = match draft.as_slice() {
            [] => serde_json::Value::Null,
            [(lon, lat)] => serde_json::json!({"type": "Point", "coordinates": [lon, lat]}),
            pts => serde_json::json!({"type": "LineString",
                "coordinates": pts.iter().map(|(x, y)| [*x, *y]).collect::<Vec<_>>()}),
        };
        if !geometry.is_null()
            && let Some(list) = doc.get_mut("features").and_then(|f| f.as_array_mut())
        {
            list.push(serde_json::json!({"type": "Feature",
                "properties": {"edit": "draft"}, "geometry": geometry}));
        }
        Some(Rc::from(doc.to_string()))
    })
}

/// Sites as labelled points for [`OverlayStyle::Marks`].
fn marks_geojson(sites: &[Site], label: &str) -> Rc<str> {
    let features: Vec<serde_json::Value> = sites
        .iter()
        .enumerate()
        .map(|(i, x)| {
            serde_json::json!({
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [x.lon, x.lat]},
                "properties": {"i": i, "label": label, "name": x.name},
            })
        })
        .collect();
    Rc::from(serde_json::json!({"type": "FeatureCollection", "features": features}).to_string())
}
