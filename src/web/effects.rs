//! What the page does besides drawing: the effects that keep the worker, the URL and local
//! storage in step with the state, and the commands that start a computation.
//!
//! Layering (no cycles): `state` (pure reducers) ← `engine` (routes the worker's answers into
//! the reducers) ← `effects` (asks the worker, writes the URL and storage) ← panels and `app`.
//! [`Effects`] runs every effect in a fixed order: the worker learns the scenario's sites
//! before any analysis that counts them is asked.

use std::rc::Rc;

use serde_bytes::ByteBuf;
use yew::prelude::*;

use super::data;
use super::embed::{self, EmbedEvent};
use super::engine::{EngineHandle, use_engine};
use super::protocol::Request;
use super::state::access::{AccessAction, Job, use_access};
use super::state::coverage::{CoverageAction, use_coverage};
use super::state::data::{DataAction, DataState, Fault, Notice, use_data};
use super::state::isochrone::use_isochrone;
use super::state::nearby::{NearbyAction, use_nearby};
use super::state::network::use_network;
use super::state::place::{PlaceAction, use_place};
use super::state::scenarios::{ScenarioAction, full_message, use_scenarios};
use super::state::view::{ViewState, use_view};
use super::state::{DEFAULT_PACKAGE, Tab};
use super::store::{self, Saved};
use super::url::UrlState;
use crate::plan::graph::NetworkEdits;
use crate::plan::package::LayerKind;
use crate::plan::scenario::{Scenario, ScenarioFile, Site};

mod kept;
mod network;
mod tabs;

pub use kept::{
    MAX_FILE_BYTES, use_choose_layer, use_export_package, use_forget_files, use_import_files,
};
pub use network::{use_finish_path, use_network_click, use_read_edits_file};

/// Runs the page's effects (renders nothing).
#[component]
pub fn Effects() -> Html {
    let engine = use_engine();
    use_start(&engine);
    use_package_fetch(&engine);
    use_url_sync();
    use_isochrone_requests(&engine);
    use_scenario_storage(&engine);
    tabs::use_scenario_sync();
    network::use_network_sync(&engine);
    use_auto_coverage();
    use_access_invalidation();
    use_nearby_requests(&engine);
    use_embed_events();
    use_document_lang();
    use_storage_notices();
    kept::use_kept_files(&engine);
    html! {}
}

/// Storage that is missing, or a write it refused, becomes a notice naming what was not saved.
#[hook]
fn use_storage_notices() {
    let data = use_data();
    use_effect_with((), move |()| {
        if !store::available() {
            data.dispatch(DataAction::Notice(Fault::NoStorage));
        }
        let listeners: Vec<gloo::events::EventListener> = web_sys::window()
            .map(|w| {
                Saved::ALL
                    .into_iter()
                    .map(|what| {
                        let data = data.clone();
                        gloo::events::EventListener::new(&w, what.event(), move |_| {
                            data.dispatch(DataAction::Notice(Fault::NotSaved(what)));
                        })
                    })
                    .collect()
            })
            .unwrap_or_default();
        move || drop(listeners)
    });
}

/// Pings the worker and fetches the package list, once.
#[hook]
fn use_start(engine: &EngineHandle) {
    let data = use_data();
    let engine = engine.clone();
    use_effect_with((), move |()| {
        engine.send(Request::Ping(1));
        wasm_bindgen_futures::spawn_local(async move {
            match data::fetch_index().await {
                Ok(list) => data.dispatch(DataAction::Index(list)),
                Err(e) => data.dispatch(DataAction::Error(Notice::Text(e))),
            }
        });
    });
}

/// Fetches the selected package, then hands it to the worker.
#[hook]
fn use_package_fetch(engine: &EngineHandle) {
    let data = use_data();
    let engine = engine.clone();
    use_effect_with(data.package_id.clone(), move |id| {
        let id = id.clone();
        wasm_bindgen_futures::spawn_local(async move {
            match data::fetch_package(&id).await {
                Ok(f) => {
                    engine.send(Request::Load {
                        package_id: f.id.clone(),
                        manifest_json: f.manifest_json.clone(),
                        files: f
                            .files
                            .iter()
                            .map(|(k, v)| (k.clone(), ByteBuf::from(v.as_bytes())))
                            .chain(
                                f.binary
                                    .iter()
                                    .map(|(k, v)| (k.clone(), ByteBuf::from(&v[..]))),
                            )
                            .collect(),
                    });
                    data.dispatch(DataAction::Fetched(Ok(Rc::new(f))));
                }
                Err(e) => data.dispatch(DataAction::Fetched(Err(e))),
            }
        });
    });
}

/// A package layer's default visibility (None: not a layer of the fetched package).
pub fn layer_default(data: &DataState, view: &ViewState, id: &str) -> Option<bool> {
    let f = data.fetched.as_ref()?;
    f.manifest.layers.iter().find(|l| l.id == id).map(|l| {
        super::basemap::default_visible(l.kind)
            || (view.tab == Tab::Place && l.kind == LayerKind::Candidates)
    })
}

/// Keeps the URL in step with the state.
#[hook]
fn use_url_sync() {
    let view = use_view();
    let data = use_data();
    let iso = use_isochrone();
    let scenarios = use_scenarios();
    let cov = use_coverage().settings;
    let differs = |on: bool| {
        view.visible
            .iter()
            .filter(|(id, v)| **v == on && layer_default(&data, &view, id) != Some(on))
            .map(|(id, _)| id.clone())
            .filter(|id| !id.starts_with("import-"))
            .collect()
    };
    let url = UrlState {
        lang: Some(view.lang),
        package: Some(data.package_id.clone()),
        home: iso.home,
        resident: view.resident,
        embed: view.embed,
        tab: (!view.resident && view.tab != Tab::Iso).then(|| view.tab.id().to_owned()),
        view: view.view,
        layers_on: differs(true),
        layers_off: differs(false),
        sites: (scenarios.package == data.package_id)
            .then(|| {
                scenarios
                    .active_sites()
                    .map(crate::plan::scenario::sites_to_url)
            })
            .flatten()
            .filter(|s| !s.is_empty()),
        ignored: Vec::new(),
        // Only a profile and a preset that a link can carry back (a bad custom speed is not).
        walk: Some(cov.profile)
            .filter(|w| *w != crate::plan::graph::WalkProfile::STANDARD)
            .filter(|w| w.to_string().parse::<crate::plan::graph::WalkProfile>() == Ok(*w)),
        standard: Some(cov.standard).filter(|s| *s != crate::plan::access::Standard::default()),
        net: (scenarios.package == data.package_id)
            .then(|| {
                scenarios
                    .active_network()
                    .map(|(_, e)| crate::plan::scenario::edits_to_url(e))
            })
            .flatten()
            .filter(|s| !s.is_empty()),
    };
    use_effect_with(url, UrlState::write);
}

/// Asks for the chosen point's isochrones when the loaded package or the walking network (an
/// import, a network switch) changes — queued while one is in flight — and the waiting point
/// once an answer is in. A pick asks for itself ([`super::engine::pick`]); an answer
/// asks nothing more for the same point: asking the point again after every answer was a loop
/// of isochrones (and of the page's renders, frames of three vsyncs at city size) for as long
/// as a point was chosen.
#[hook]
fn use_isochrone_requests(engine: &EngineHandle) {
    let iso = use_isochrone();
    let data = use_data();
    let network = use_network();
    {
        let engine = engine.clone();
        let home = iso.home;
        use_effect_with(
            (data.loaded.is_some(), data.imports.len(), network.switches),
            move |(loaded, _, _)| {
                if let (Some(p), true) = (home, loaded) {
                    engine.isochrone(p);
                }
            },
        );
    }
    let engine = engine.clone();
    use_effect_with(
        iso.answer.as_ref().map(|a| Rc::as_ptr(a) as usize),
        move |_| engine.next_pending_isochrone(None),
    );
}

/// Reads the package's scenarios once it is loaded (adding a link's sites, once), tells the
/// worker the active scenario's sites and drops the answers computed without them (keeping
/// them in local storage, with other tabs: [`tabs`]).
#[hook]
fn use_scenario_storage(engine: &EngineHandle) {
    let view = use_view();
    let data = use_data();
    let scenarios = use_scenarios();
    let coverage = use_coverage();
    let nearby = use_nearby();
    let access = use_access();
    // The scenario sites and network edits of the link the page was opened with (used once,
    // for that package).
    let link_sites = use_mut_ref(|| {
        let url = UrlState::read();
        let (net, lossy) = network::link_network(url.net.as_deref());
        (url.sites.is_some() || url.net.is_some()).then(|| {
            (
                url.package.unwrap_or_else(|| DEFAULT_PACKAGE.to_owned()),
                url.sites
                    .as_deref()
                    .map(crate::plan::scenario::sites_from_url)
                    .unwrap_or_default(),
                net,
                lossy,
            )
        })
    });
    {
        let data = data.clone();
        let scenarios = scenarios.clone();
        let lang = view.lang;
        let loaded_id = data.loaded.as_ref().map(|l| l.package_id.clone());
        use_effect_with(loaded_id, move |id| {
            if let Some(id) = id {
                let stored = tabs::read_stored(id).map(Rc::new);
                let (mut f, problem) = read_scenarios(id, lang);
                if let Some(p) = problem {
                    data.dispatch(DataAction::Error(Notice::Text(p)));
                }
                let link = link_sites.borrow_mut().take();
                if let Some((pkg, sites, net, lossy)) = link {
                    if &pkg == id && (!sites.is_empty() || !net.is_empty()) {
                        if lossy {
                            data.dispatch(DataAction::Error(Notice::Text(
                                lang.network().bad_link.to_owned(),
                            )));
                        }
                        if let Err(e) = add_link_sites(&mut f, sites, net, &data, lang) {
                            data.dispatch(DataAction::Error(Notice::Text(e)));
                        }
                    } else if &pkg == id && lossy {
                        data.dispatch(DataAction::Error(Notice::Text(
                            lang.network().bad_link.to_owned(),
                        )));
                    } else {
                        *link_sites.borrow_mut() = Some((pkg, sites, net, lossy));
                    }
                }
                scenarios.dispatch(ScenarioAction::Loaded {
                    file: Rc::new(f),
                    stored,
                    tab: tabs::tab_id(),
                });
            }
        });
    }
    // Tell the worker which sites the scenario adds, before any analysis below runs.
    let sites: Option<Vec<Site>> = (data.loaded.is_some() && scenarios.package == data.package_id)
        .then(|| {
            scenarios
                .active_sites()
                .map(<[Site]>::to_vec)
                .unwrap_or_default()
        });
    {
        let engine = engine.clone();
        use_effect_with(sites.clone(), move |sites| {
            if let Some(sites) = sites {
                engine.send(Request::SetScenario(sites.clone()));
            }
        });
    }
    // The scenario's sites changed: what was computed with the old ones is out of date.
    {
        let active = scenarios.active_sites().map(<[Site]>::to_vec);
        let first = use_mut_ref(|| true);
        use_effect_with(active, move |_| {
            if std::mem::take(&mut *first.borrow_mut()) {
                return;
            }
            coverage.dispatch(CoverageAction::Invalidate);
            nearby.dispatch(NearbyAction::Invalidate);
            access.dispatch(AccessAction::Invalidate);
        });
    }
}

/// Adds the sites of the link the page was opened with to `f` as a scenario of their own
/// (nothing stored is overwritten); a scenario already holding them (an earlier visit of the
/// link) becomes active instead of a copy. Err: the file is full.
fn add_link_sites(
    f: &mut ScenarioFile,
    sites: Vec<Site>,
    net: NetworkEdits,
    data: &DataState,
    lang: super::i18n::Lang,
) -> Result<(), String> {
    let net_url = crate::plan::scenario::edits_to_url(&net);
    let same_sites = |sc: &Scenario| {
        let c = &sc.sites;
        c.len() == sites.len()
            && c.iter()
                .zip(&sites)
                .all(|(a, b)| (a.lon - b.lon).abs() < 1e-6 && (a.lat - b.lat).abs() < 1e-6)
            && crate::plan::scenario::edits_to_url(&sc.network) == net_url
    };
    if f.scenarios.get(f.active).is_some_and(same_sites) {
        return Ok(());
    }
    if let Some(i) = f.scenarios.iter().position(same_sites) {
        f.active = i;
        return Ok(());
    }
    if let Some(e) = full_message(f, lang) {
        return Err(e);
    }
    f.scenarios.push(Scenario {
        name: lang.place().from_link.to_owned(),
        sites: name_sites(sites, data),
        network: net,
        ..Default::default()
    });
    f.active = f.scenarios.len() - 1;
    Ok(())
}

/// Names sites read from a link from the package's candidate layers (by id).
fn name_sites(mut sites: Vec<Site>, data: &DataState) -> Vec<Site> {
    let Some(f) = &data.fetched else { return sites };
    for l in f.manifest.layers_of(LayerKind::Candidates) {
        let Some(text) = f.files.get(&l.id) else {
            continue;
        };
        let Ok(v) = serde_json::from_str::<serde_json::Value>(text) else {
            continue;
        };
        for feat in v["features"].as_array().into_iter().flatten() {
            let p = &feat["properties"];
            if let Some(site) = sites
                .iter_mut()
                .find(|x| p["id"].as_str() == Some(x.id.as_str()))
            {
                if let Some(n) = p["name"].as_str() {
                    n.clone_into(&mut site.name);
                }
                site.host_type = p["host_type"].as_str().map(str::to_owned);
            }
        }
    }
    sites
}

/// The local-storage key of a package's scenarios.
pub fn scenario_key(package: &str) -> String {
    format!("shuangquan.scenarios.{package}")
}

/// Reads a package's scenarios from local storage: (file, problem). A stored file that does not
/// parse is kept under `….unreadable` (nothing is lost) and a fresh one is started.
fn read_scenarios(package: &str, lang: super::i18n::Lang) -> (ScenarioFile, Option<String>) {
    let fresh = || ScenarioFile::new(package, &format!("{} A", lang.place().scenario_name));
    let key = scenario_key(package);
    let Some(text) = store::get(&key) else {
        return (fresh(), None);
    };
    match crate::plan::scenario::parse_file(&key, &text) {
        Ok(mut f) => {
            package.clone_into(&mut f.package);
            (f, None)
        }
        Err(e) => {
            store::put(Saved::Scenarios, &format!("{key}.unreadable"), &text);
            (
                fresh(),
                Some(format!(
                    "{e}{}",
                    super::i18n::fill(lang.place().kept_aside, &[&format!("{key}.unreadable")])
                )),
            )
        }
    }
}

/// Starts an assessment with the current settings.
#[hook]
pub fn use_run_coverage() -> Callback<()> {
    let engine = use_engine();
    let coverage = use_coverage();
    Callback::from(move |()| {
        let seq = engine.next_seq();
        coverage.dispatch(CoverageAction::Started(seq));
        engine.send(Request::Coverage {
            seq,
            params: coverage.settings.params(),
        });
    })
}

/// Assesses coverage when its tab is open and there is no current answer (once the worker has
/// the package's scenario).
#[hook]
fn use_auto_coverage() {
    let view = use_view();
    let data = use_data();
    let scenarios = use_scenarios();
    let coverage = use_coverage();
    let run = use_run_coverage();
    let want = view.tab == Tab::Coverage
        && data.loaded.is_some()
        && scenarios.package == data.package_id
        && coverage.answer.is_none()
        && coverage.running.is_none()
        && !coverage.cancelled
        && data.importing == 0
        && coverage.settings.profile.speed_m_per_min > 0.0
        && coverage.settings.profile.speed_m_per_min.is_finite();
    use_effect_with(want, move |want| {
        if *want {
            run.emit(());
        }
    });
}

/// Asks the worker for the supply–demand ratios or the accessibility surface under the current
/// coverage settings (profile, preset, minutes) and the section's own (method, cell size).
#[hook]
pub fn use_run_access() -> Callback<Job> {
    let engine = use_engine();
    let coverage = use_coverage();
    let access = use_access();
    Callback::from(move |job: Job| {
        let seq = engine.next_seq();
        access.dispatch(AccessAction::Started(seq, job));
        let cov = coverage.settings;
        engine.send(match job {
            Job::Ratios => Request::Access {
                seq,
                params: access.ratio_params(cov),
            },
            Job::Surface => Request::Surface {
                seq,
                params: access.surface_params(cov),
            },
            Job::File(geojson) => Request::SurfaceFile { seq, geojson },
        });
    })
}

/// New coverage settings (profile, preset, minutes) make the ratios and the surface out of date.
#[hook]
fn use_access_invalidation() {
    let settings = use_coverage().settings;
    let access = use_access();
    let first = use_mut_ref(|| true);
    // Compared by their text: a NaN speed typed twice is the same setting.
    let key = format!("{settings:?}");
    use_effect_with(key, move |_| {
        if std::mem::take(&mut *first.borrow_mut()) {
            return;
        }
        access.dispatch(AccessAction::Invalidate);
    });
}

/// Starts a placement with the current settings and candidates.
#[hook]
pub fn use_run_place() -> Callback<()> {
    let engine = use_engine();
    let place = use_place();
    let data = use_data();
    Callback::from(move |()| {
        let seq = engine.next_seq();
        place.dispatch(PlaceAction::Started(seq));
        engine.send(Request::Place {
            seq,
            params: place.settings.params(&data.host_types, &place.extra),
        });
    })
}

/// Asks the worker which places a community search's text finds, at most `limit` (the
/// pinyin table is the worker's); the answer lands in [`super::state::nearby::NearbyState`].
#[hook]
pub fn use_run_find_places() -> Callback<(String, usize)> {
    let engine = use_engine();
    let nearby = use_nearby().dispatcher();
    Callback::from(move |(text, limit): (String, usize)| {
        let seq = engine.next_seq();
        nearby.dispatch(NearbyAction::PlacesSent(seq));
        engine.send(Request::FindPlaces { seq, text, limit });
    })
}

/// Compares two scenarios (by index): both sides' figures with the coverage settings.
#[hook]
pub fn use_run_compare() -> Callback<(usize, usize)> {
    let engine = use_engine();
    let scenarios = use_scenarios();
    let coverage = use_coverage();
    Callback::from(move |(a, b): (usize, usize)| {
        let seq = engine.next_seq();
        scenarios.dispatch(ScenarioAction::CompareStart(seq, a, b));
        for (side, i) in [(0u8, a), (1u8, b)] {
            // Each side on its own scenario's network.
            let sc = scenarios.file.scenarios.get(i);
            engine.send(Request::Figures {
                seq,
                side,
                sites: sc.map(|s| s.sites.clone()).unwrap_or_default(),
                params: coverage.settings.params(),
                compounds: sc.map(|s| s.compounds).unwrap_or_default(),
                edits: sc.map(|s| s.network.clone()).unwrap_or_default(),
            });
        }
    })
}

/// Asks the resident query when the home, the query or the data change (on the resident tab),
/// and the route to the selected posting.
#[hook]
fn use_nearby_requests(engine: &EngineHandle) {
    let view = use_view();
    let data = use_data();
    let iso = use_isochrone();
    let scenarios = use_scenarios();
    let nearby = use_nearby();
    {
        let engine = engine.clone();
        let nearby = nearby.clone();
        let key = (
            iso.home,
            nearby.query.clone(),
            data.loaded.is_some()
                && scenarios.package == data.package_id
                && view.tab == Tab::Nearby
                && data.importing == 0,
            nearby.answer.is_none() && nearby.error.is_none(),
        );
        use_effect_with(key, move |(home, query, ready, _)| {
            if let (Some(h), true) = (home, ready) {
                let seq = engine.next_seq();
                nearby.dispatch(NearbyAction::Sent(seq));
                engine.send(Request::Nearby {
                    seq,
                    home_wgs84: *h,
                    query: query.clone(),
                });
            }
        });
    }
    let posting = nearby.selected.and_then(|i| {
        nearby
            .answer
            .as_ref()?
            .result
            .hits
            .get(i)
            .map(|h| h.posting)
    });
    let engine = engine.clone();
    use_effect_with(posting, move |p| {
        if let Some(p) = p {
            let seq = engine.next_seq();
            nearby.dispatch(NearbyAction::RouteSent(seq));
            engine.send(Request::Route { seq, posting: *p });
        }
    });
}

/// Tells an allowlisted embedding page (a no-op unless framed with ?embed=1; see embed.rs).
#[hook]
fn use_embed_events() {
    let iso = use_isochrone();
    let nearby = use_nearby();
    use_effect_with(iso.home, |h| {
        if let Some((lon_wgs84, lat_wgs84)) = *h {
            embed::notify(EmbedEvent::HomeChosen {
                lon_wgs84,
                lat_wgs84,
            });
        }
    });
    let hit = nearby
        .selected
        .and_then(|i| nearby.answer.as_ref()?.result.hits.get(i).cloned());
    use_effect_with(hit, |h| {
        if let Some(h) = h {
            embed::notify(EmbedEvent::posting(h));
        }
    });
}

/// The document's `lang` follows the interface language.
#[hook]
fn use_document_lang() {
    let lang = use_view().lang;
    use_effect_with(lang, |l| {
        if let Some(el) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = el.set_attribute("lang", l.tag());
        }
    });
}

/// Reads a file's bytes.
pub(super) async fn read_file(file: &web_sys::File) -> Result<Vec<u8>, String> {
    let buf = wasm_bindgen_futures::JsFuture::from(file.array_buffer())
        .await
        .map_err(|e| format!("{e:?}"))?;
    Ok(js_sys::Uint8Array::new(&buf).to_vec())
}
