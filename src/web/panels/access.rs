//! The supply–demand section of the coverage tab (issue 14): the walker and the standards
//! preset (they drive the assessment: [`WalkerControls`], in the coverage panel's controls),
//! the 2SFCA / E2SFCA ratios per target with the shortfall in people and the elderly line, the
//! accessibility surface (computed in the worker; drawn on the map by `map::surface`, its
//! legend and exports here) and the printable 体检报告 of the selected unit
//! ([`super::report::CheckupReport`]).

use yew::prelude::*;

use super::coverage::download;
use super::report::CheckupReport;
use crate::plan::access::{Method, Standard};
use crate::plan::engine::EngineError;
use crate::plan::graph::WalkProfile;
use crate::web::effects::use_run_access;
use crate::web::field::Field;
use crate::web::i18n::{AccessText, Lang, fill};
use crate::web::map::surface::legend_classes;
use crate::web::protocol::{AccessAnswer, SurfaceAnswer};
use crate::web::state::access::{AccessAction, Job, SurfaceLayer, use_access};
use crate::web::state::coverage::{CoverageAction, use_coverage};
use crate::web::state::data::use_data;
use crate::web::state::place::use_place;
use crate::web::state::view::{ViewAction, use_view};

/// The profiles offered, with their select values (`custom` keeps the typed speed).
const PROFILES: [(&str, WalkProfile); 3] = [
    ("standard", WalkProfile::STANDARD),
    ("elderly", WalkProfile::ELDERLY),
    ("wheelchair", WalkProfile::WHEELCHAIR),
];

/// Speed a custom profile starts from, metres per minute (between the elderly and the standard
/// pace, so that choosing "custom" changes the figures).
const CUSTOM_START_M_PER_MIN: f64 = 52.0;

fn select_value(e: &Event) -> Option<String> {
    e.target_dyn_into::<web_sys::HtmlSelectElement>()
        .map(|s| s.value())
}

fn input_value(e: &Event) -> Option<String> {
    e.target_dyn_into::<web_sys::HtmlInputElement>()
        .map(|s| s.value())
}

/// A number as typed; text that is not a number is NaN (the worker names it).
fn typed_number(v: &str) -> f64 {
    v.trim().parse::<f64>().unwrap_or(f64::NAN)
}

/// The profile's label.
fn profile_label(t: &AccessText, id: &str) -> &'static str {
    match id {
        "standard" => t.profile_standard,
        "elderly" => t.profile_elderly,
        "wheelchair" => t.profile_wheelchair,
        _ => t.profile_custom,
    }
}

/// A preset's label.
fn standard_label(t: &AccessText, s: Standard) -> &'static str {
    let k = Standard::ALL.iter().position(|x| *x == s).unwrap_or(0);
    t.standard_names[k]
}

/// The walker, the custom speed and the standards preset with its citation: a change re-runs
/// the assessment (and makes the ratios and the surface out of date).
#[component]
pub fn WalkerControls() -> Html {
    let l = use_view().lang;
    let t = l.access();
    let cov = use_coverage();
    let settings = cov.settings;
    let known = PROFILES
        .iter()
        .find(|(_, p)| *p == settings.profile)
        .map(|(id, _)| *id);
    // "custom" stays chosen while its speed is typed, even at a known profile's speed.
    let custom = use_state(|| known.is_none());
    let chosen = if *custom {
        "custom"
    } else {
        known.unwrap_or("custom")
    };
    let set = {
        let cov = cov.clone();
        Callback::from(move |c| cov.dispatch(CoverageAction::Settings(c)))
    };
    let on_profile = {
        let (set, custom) = (set.clone(), custom.clone());
        Callback::from(move |e: Event| {
            let Some(v) = select_value(&e) else { return };
            let profile = if let Some((_, p)) = PROFILES.iter().find(|(id, _)| *id == v) {
                custom.set(false);
                *p
            } else {
                custom.set(true);
                WalkProfile::with_speed(CUSTOM_START_M_PER_MIN)
            };
            set.emit(crate::web::state::coverage::CovSettings {
                profile,
                ..settings
            });
        })
    };
    let on_speed = {
        let set = set.clone();
        Callback::from(move |e: Event| {
            if let Some(v) = input_value(&e) {
                set.emit(crate::web::state::coverage::CovSettings {
                    profile: WalkProfile::with_speed(typed_number(&v)),
                    ..settings
                });
            }
        })
    };
    let on_standard = Callback::from(move |e: Event| {
        if let Some(standard) = select_value(&e).and_then(|v| v.parse::<Standard>().ok()) {
            set.emit(crate::web::state::coverage::CovSettings {
                standard,
                ..settings
            });
        }
    });
    let speed = settings.profile.speed_m_per_min;
    let bad_speed = !(speed.is_finite() && speed > 0.0);
    html! {
        <>
            <label>{ t.profile }{ " " }
                <select id="acc-profile" onchange={on_profile}>
                    { for PROFILES.iter().map(|(id, _)| *id).chain(["custom"]).map(|id| html! {
                        <option value={id} selected={id == chosen}>{ profile_label(t, id) }</option>
                    }) }
                </select>
            </label>
            if chosen == "custom" {
                <label>{ t.speed }{ " " }
                    <Field id="acc-speed" inputmode="decimal" size="5"
                        value={if speed.is_nan() { String::new() } else { format!("{speed}") }}
                        aria_invalid={bad_speed.to_string()} onchange={on_speed} />
                </label>
            }
            <label>{ t.standard }{ " " }
                <select id="acc-standard" onchange={on_standard}>
                    { for Standard::ALL.iter().map(|x| html! {
                        <option value={x.id()} selected={*x == settings.standard}>{ standard_label(t, *x) }</option>
                    }) }
                </select>
            </label>
            <p class="note" id="acc-citation">{ l.citation(settings.standard) }</p>
            if bad_speed {
                <p class="banner warn" role="alert" id="acc-speed-error">
                    { t.error }{ l.engine_error(&EngineError::InvalidSpeed { m_per_min: speed }) }
                </p>
            }
        </>
    }
}

/// The city ratios table, the elderly line and the exports.
fn ratios_view(l: Lang, a: &std::rc::Rc<AccessAnswer>, package: &str) -> Html {
    let t = l.access();
    let acc = &a.access;
    let city = acc.units.last();
    let elderly = match (
        acc.elderly.as_ref().and_then(|e| e.last()),
        acc.params.elderly_share,
    ) {
        (Some(e), Some(share)) => Some(html! {
            <p id="acc-elderly">{ fill(t.elderly_line, &[
                &l.pct(share),
                &l.int(e.people),
                &format!("{}", acc.params.elderly_speed_m_per_min),
                &l.pct(e.dual_share),
                &l.pct(e.convenience_share),
            ]) }</p>
        }),
        _ => None,
    };
    let name = format!("{package}-access-{}", acc.params.standard.id());
    let (a1, a2) = (a.clone(), a.clone());
    let (n1, n2) = (name.clone(), name);
    html! {
        <>
        <div class="table-wrap">
        <table class="gap-table" id="acc-table">
            <caption>{ t.caption }</caption>
            <thead><tr>
                <th scope="col">{ t.col_target }</th>
                <th scope="col">{ t.col_minutes }</th>
                <th scope="col">{ t.col_supply }</th>
                <th scope="col">{ t.col_ratio }</th>
                <th scope="col">{ t.col_count }</th>
                <th scope="col">{ t.col_none }</th>
                <th scope="col">{ t.col_short }</th>
            </tr></thead>
            <tbody>
            { for acc.targets.iter().enumerate().map(|(k, tr)| {
                let f = city.and_then(|c| c.get(k));
                html! {
                    <tr data-target={tr.target.id()}>
                        <th scope="row">{ l.target(tr.target) }</th>
                        <td class="num">{ format!("{}", tr.ratios.minutes) }</td>
                        <td class="num">{ tr.supply_ids.len() }</td>
                        <td class="num">{ f.map(|f| format!("{:.3}", f.mean_ratio * 1000.0)).unwrap_or_default() }</td>
                        <td class="num">{ f.map(|f| format!("{:.2}", f.mean_count_within)).unwrap_or_default() }</td>
                        <td class="num">{ f.map(|f| l.int(f.people_none_within)).unwrap_or_default() }</td>
                        <td class="num">{ f.and_then(|f| f.shortfall_people).map_or_else(|| "—".to_owned(), |x| l.int(x)) }</td>
                    </tr>
                }
            }) }
            </tbody>
        </table>
        </div>
        { for elderly }
        <p class="note">{ t.method_note }</p>
        <div class="exports">
            <button class="secondary" id="acc-csv" onclick={Callback::from(move |_| download(&format!("{n1}.csv"), "text/csv;charset=utf-8", &format!("\u{feff}{}", a1.report_csv)))}>{ t.export_csv }</button>
            <button class="secondary" id="acc-geojson" onclick={Callback::from(move |_| download(&format!("{n2}.geojson"), "application/geo+json", &a2.report_geojson))}>{ t.export_geojson }</button>
        </div>
        </>
    }
}

/// Properties of [`SurfaceLegend`].
#[derive(Properties, PartialEq)]
pub struct SurfaceLegendProps {
    /// What is drawn.
    pub layer: SurfaceLayer,
    /// The surface (for the target's name).
    pub surface: std::rc::Rc<SurfaceAnswer>,
}

/// The title of a surface layer.
fn layer_title(l: Lang, layer: SurfaceLayer, s: &SurfaceAnswer) -> String {
    let t = l.access();
    match layer {
        SurfaceLayer::Within => t.layer_within.to_owned(),
        SurfaceLayer::Gravity => t.layer_gravity.to_owned(),
        SurfaceLayer::Minutes(k) => format!(
            "{}{}",
            t.layer_minutes,
            s.surface.targets.get(k).map_or("", |x| l.target(*x))
        ),
    }
}

/// The surface layer's legend: its classes, "beyond the search" and the blank cells.
#[component]
pub fn SurfaceLegend(p: &SurfaceLegendProps) -> Html {
    let l = use_view().lang;
    let t = l.access();
    html! {
        <div class="legend" id="surface-legend">
            <strong>{ layer_title(l, p.layer, &p.surface) }</strong>
            { for legend_classes(p.layer).into_iter().map(|c| html! {
                <div><span class="swatch" style={format!("background:{}", c.colour)}></span>
                    { if c.beyond { t.legend_beyond.to_owned() } else { c.label } }</div>
            }) }
            <div><span class="swatch blank"></span>{ t.legend_blank }</div>
        </div>
    }
}

/// The surface's controls (cell size, layer, compute), summary, legend and exports.
#[component]
fn SurfaceSection() -> Html {
    let l = use_view().lang;
    let t = l.access();
    let access = use_access();
    let run = use_run_access();
    let package = use_data().package_id.clone();
    let busy = access.running.is_some();
    let on_cell = {
        let access = access.clone();
        Callback::from(move |e: Event| {
            if let Some(v) = input_value(&e) {
                access.dispatch(AccessAction::Cell(typed_number(&v)));
            }
        })
    };
    let on_layer = {
        let access = access.clone();
        Callback::from(move |e: Event| {
            if let Some(layer) = select_value(&e).and_then(|v| SurfaceLayer::from_value(&v)) {
                access.dispatch(AccessAction::Layer(layer));
            }
        })
    };
    let targets = access
        .surface
        .as_ref()
        .map(|s| s.surface.targets.clone())
        .unwrap_or_default();
    // A file the worker wrote: saved once, then dropped.
    {
        let access = access.clone();
        let name = access
            .surface
            .as_ref()
            .map(|s| format!("{package}-surface-{}m", s.surface.params.cell_m))
            .unwrap_or_default();
        use_effect_with(access.file.clone(), move |f| {
            if let Some(f) = f {
                if f.geojson {
                    download(&format!("{name}.geojson"), "application/geo+json", &f.text);
                } else {
                    let text = format!("\u{feff}{}", f.text);
                    download(&format!("{name}.csv"), "text/csv;charset=utf-8", &text);
                }
                access.dispatch(AccessAction::FileSaved);
            }
        });
    }
    let done = access.surface.as_ref().map(|s| {
        let blank = s.surface.on_network.iter().filter(|x| !**x).count();
        html! {
            <>
            <p id="surf-summary" data-ms={format!("{:.1}", s.compute_ms)}>{ fill(t.surface_done, &[
                &l.int(s.surface.len() as f64), &l.int(blank as f64), &format!("{:.0}", s.compute_ms)]) }</p>
            <SurfaceLegend layer={access.layer} surface={s.clone()} />
            <div class="exports">
                <button class="secondary" id="surf-csv" disabled={busy} onclick={run.reform(|_| Job::File(false))}>{ t.export_surface_csv }</button>
                <button class="secondary" id="surf-geojson" disabled={busy} onclick={run.reform(|_| Job::File(true))}>{ t.export_surface_geojson }</button>
            </div>
            </>
        }
    });
    let layer = access.layer;
    html! {
        <>
            <h3>{ t.surface }</h3>
            <div class="controls" id="surf-controls">
                <label>{ t.cell }{ " " }
                    <Field id="surf-cell" inputmode="decimal" size="6"
                        value={if access.cell_m.is_nan() { String::new() } else { format!("{}", access.cell_m) }}
                        onchange={on_cell} />
                </label>
                <label>{ t.layer }{ " " }
                    <select id="surf-layer" onchange={on_layer}>
                        <option value="within" selected={layer == SurfaceLayer::Within}>{ t.layer_within }</option>
                        { for targets.iter().enumerate().map(|(k, x)| html! {
                            <option value={SurfaceLayer::Minutes(k).value()} selected={layer == SurfaceLayer::Minutes(k)}>{ format!("{}{}", t.layer_minutes, l.target(*x)) }</option>
                        }) }
                        <option value="gravity" selected={layer == SurfaceLayer::Gravity}>{ t.layer_gravity }</option>
                    </select>
                </label>
                <button id="surf-run" onclick={run.reform(|_| Job::Surface)} disabled={busy}>{ t.surface_run }</button>
            </div>
            { for done }
        </>
    }
}

/// The supply–demand section: method and ratios, the surface, the report of the selected unit.
#[component]
pub fn AccessPanel() -> Html {
    let view = use_view();
    let l = view.lang;
    let t = l.access();
    let access = use_access();
    let cov = use_coverage();
    let place = use_place();
    let run = use_run_access();
    let package = use_data().package_id.clone();
    let busy = access.running.is_some();
    let on_method = {
        let access = access.clone();
        Callback::from(move |e: Event| {
            if let Some(m) = select_value(&e).and_then(|v| v.parse::<Method>().ok()) {
                access.dispatch(AccessAction::Method(m));
            }
        })
    };
    let error = access.error.as_ref().map(|e| {
        html! { <p class="banner warn" role="alert" id="acc-error">{ t.error }{ l.engine_error(e) }</p> }
    });
    let progress = busy
        .then(|| html! { <p role="status" class="progress" id="acc-running">{ t.running }</p> });
    let ratios = access.ratios.as_ref().map(|a| ratios_view(l, a, &package));
    let selected = cov
        .selected
        .zip(cov.answer.as_ref())
        .filter(|(u, a)| *u < a.coverage.units.len());
    let report = match selected {
        Some((u, a)) => {
            let on_print = {
                let view = view.clone();
                Callback::from(move |_| {
                    // The map at the unit's extent, then the browser's print of the report.
                    view.dispatch(ViewAction::Focus("cov-units", u));
                    print_report();
                })
            };
            html! {
                <>
                <button id="acc-print" onclick={on_print}>{ t.print }</button>
                <CheckupReport unit={u} coverage={a.clone()} ratios={access.ratios.clone()}
                    placement={place.answer.clone()} standard={cov.settings.standard}
                    profile={cov.settings.profile} />
                </>
            }
        }
        None => html! { <p class="hint" id="acc-print-hint">{ t.print_hint }</p> },
    };
    html! {
        <section id="access-panel" aria-labelledby="acc-heading">
            <h2 id="acc-heading">{ t.heading }</h2>
            <div class="controls" id="acc-controls">
                <label>{ t.method }{ " " }
                    <select id="acc-method" onchange={on_method}>
                        { for [Method::TwoStep, Method::Enhanced].iter().enumerate().map(|(k, x)| html! {
                            <option value={x.id()} selected={*x == access.method}>{ t.method_names[k] }</option>
                        }) }
                    </select>
                </label>
                <button id="acc-run" onclick={run.reform(|_| Job::Ratios)} disabled={busy}>{ t.run }</button>
            </div>
            { for error }
            { for progress }
            { for ratios }
            <SurfaceSection />
            { report }
        </section>
    }
}

/// Prints the 体检报告: marks the page so that the print styles show only the report next to
/// the map (app.css), prints once the map has taken the unit's extent (the next task, after
/// the page has rendered the focus), and unmarks.
fn print_report() {
    let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    else {
        return;
    };
    let _ = root.set_attribute("data-print", "report");
    gloo::timers::callback::Timeout::new(0, move || {
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
        let _ = root.remove_attribute("data-print");
    })
    .forget();
}
