//! The coverage panel (issue 5 in the app): parameters, city figures with a bar chart, category
//! toggles for the map colouring, the sortable gap table linked to the map, the selected
//! community's card, model-circle candidates, and the exports.

use std::rc::Rc;

use yew::prelude::*;

use crate::plan::coverage::{Coverage, Level, UnitReport};
use crate::plan::model::Category;
use crate::web::i18n::Lang;
use crate::web::map::missing_colour;
use crate::web::protocol::CoverageAnswer;
use crate::web::state::coverage::CovSettings;

/// Properties of [`CoveragePanel`].
#[derive(Properties, PartialEq)]
pub struct CoverageProps {
    /// Language.
    pub lang: Lang,
    /// The latest answer.
    pub answer: Option<Rc<CoverageAnswer>>,
    /// Progress while running: (done, total).
    pub busy: Option<(usize, usize)>,
    /// Settings.
    pub settings: CovSettings,
    /// Base categories counted on the map (bit mask over `Category::BASE_SIX`).
    pub mask: u8,
    /// Selected unit.
    pub selected: Option<usize>,
    /// Settings changed (re-run).
    pub on_settings: Callback<CovSettings>,
    /// Run again.
    pub on_run: Callback<()>,
    /// Stop waiting for the running assessment.
    #[prop_or_default]
    pub on_cancel: Callback<()>,
    /// Mask changed.
    pub on_mask: Callback<u8>,
    /// A unit was selected (or the card closed).
    pub on_select: Callback<Option<usize>>,
    /// Package id (names the exported files).
    pub package_id: AttrValue,
    /// Export the per-point CSV of the answer (written in the worker).
    #[prop_or_default]
    pub on_export_points: Callback<()>,
}

/// Gap-table sort keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SortKey {
    Name,
    Population,
    Outside,
    Dual,
    Missing,
}

fn outside(u: &UnitReport) -> f64 {
    u.population * (1.0 - u.dual_share)
}

/// A category's short label for the table (一菜, Market).
fn short(l: Lang, c: Category) -> &'static str {
    let full = l.category(c);
    full.split(['(', '/']).next().unwrap_or(full)
}

fn unit_label(l: Lang, u: &UnitReport) -> String {
    if u.level == Level::City {
        l.ui().level_city.to_owned()
    } else {
        u.name.clone()
    }
}

fn level_label(l: Lang, level: Level) -> &'static str {
    let t = l.ui();
    match level {
        Level::Community => t.level_community,
        Level::Subdistrict => t.level_subdistrict,
        Level::District => t.level_district,
        Level::City => t.level_city,
    }
}

/// Saves text as a file through a Blob URL (nothing leaves the browser).
pub fn download(name: &str, mime: &str, text: &str) {
    crate::web::kept::download_bytes(name, mime, text.as_bytes());
}

/// The coverage panel: the parameters, then (once assessed) the city figures, the chart, the
/// map toggles, the selected unit's card, the gap table, the model circles and the exports, each
/// a function below.
#[component]
pub fn CoveragePanel(p: &CoverageProps) -> Html {
    let l = p.lang;
    let t = l.ui();
    let sort = use_state(|| (SortKey::Outside, true));
    let controls = settings_controls(p);
    let progress = progress_line(p);
    let Some(a) = &p.answer else {
        return html! {
            <section id="coverage-panel" aria-labelledby="cov-heading">
                <h2 id="cov-heading">{ t.cov_heading }</h2>
                <p class="hint">{ t.cov_intro }</p>
                { controls }
                { for progress }
            </section>
        };
    };
    let cov = &a.coverage;
    let city = cov.city();

    html! {
        <section id="coverage-panel" aria-labelledby="cov-heading">
            <h2 id="cov-heading">{ t.cov_heading }</h2>
            { controls }
            { for progress }
            if cov.estimate { <p class="banner warn">{ t.cov_estimate }</p> }
            if cov.station_count == 0 { <p class="note">{ t.cov_no_stations }</p> }
            <dl class="figures big" id="cov-figures">
                <dt>{ t.cov_population }</dt><dd>{ l.int(city.population) }</dd>
                <dt>{ t.cov_employment }</dt><dd id="cov-employment">{ l.pct(city.employment_share) }</dd>
                <dt>{ t.cov_convenience }</dt><dd id="cov-convenience">{ l.pct(city.convenience_share) }</dd>
                <dt>{ t.cov_dual }</dt><dd id="cov-dual">{ l.pct(city.dual_share) }</dd>
                <dt>{ t.computed_in }</dt><dd id="cov-ms">{ format!("{:.0} ms", a.compute_ms) }</dd>
            </dl>
            <super::network::NetworkLine />
            { chart(l, cov) }
            { toggles(p) }
            { for unit_card(p, cov) }
            { gap_table(p, cov, &sort) }
            <h3>{ t.cov_models }</h3>
            { models(p, cov) }
            { exports(p, a) }
        </section>
    }
}

/// The walk's minutes, the walker and the run button.
fn settings_controls(p: &CoverageProps) -> Html {
    let t = p.lang.ui();
    let settings = p.settings;
    let on_minutes = {
        let cb = p.on_settings.clone();
        Callback::from(move |e: Event| {
            if let Some(sel) = e.target_dyn_into::<web_sys::HtmlSelectElement>()
                && let Ok(m) = sel.value().parse::<f64>()
            {
                cb.emit(CovSettings {
                    minutes: m,
                    ..settings
                });
            }
        })
    };
    html! {
        <div class="controls">
            <label>{ t.cov_minutes }{ " " }
                <select id="cov-minutes" onchange={on_minutes}>
                    { for [5.0, 10.0, 15.0, 20.0].iter().map(|m| html! {
                        <option value={m.to_string()} selected={(settings.minutes - m).abs() < 1e-9}>{ format!("{m}") }</option>
                    }) }
                </select>
            </label>
            <super::access::WalkerControls />
            <button id="cov-run" onclick={p.on_run.reform(|_| ())} disabled={p.busy.is_some()}>{ t.cov_run }</button>
        </div>
    }
}

/// The progress of the running assessment, with its cancel button.
fn progress_line(p: &CoverageProps) -> Option<Html> {
    let t = p.lang.ui();
    p.busy.map(|(done, total)| {
        html! {
            <p role="status" class="progress">
                { t.cov_running }{ " " }
                <progress id="cov-progress" max={total.to_string()} value={done.to_string()}></progress>
                { " " }<button class="secondary" id="cov-cancel" onclick={p.on_cancel.reform(|_| ())}>{ p.lang.place().cancel }</button>
            </p>
        }
    })
}

/// The bar chart: the station, then every category (shares of the whole population).
fn chart(l: Lang, cov: &Coverage) -> Html {
    let t = l.ui();
    let city = cov.city();
    let mut bars: Vec<(String, f64, &'static str, bool)> = vec![(
        t.cov_station.to_owned(),
        city.employment_share,
        "#0072B2",
        cov.station_count == 0,
    )];
    for (k, c) in cov.categories.iter().enumerate() {
        bars.push((
            l.category(*c).to_owned(),
            city.category_share[k],
            crate::web::map::category_colour(*c),
            cov.facility_counts[k] == 0,
        ));
    }
    let row_h = 18.0;
    let chart_h = row_h * bars.len() as f64 + 4.0;
    let summary_label = bars
        .iter()
        .map(|(n, v, _, _)| format!("{n} {}", l.pct(*v)))
        .collect::<Vec<_>>()
        .join("; ");
    html! {
        <figure class="chart" id="cov-chart">
            <figcaption>{ t.cov_chart }</figcaption>
            <svg viewBox={format!("0 0 300 {chart_h}")} width="100%" role="img" aria-label={summary_label}>
                { for bars.iter().enumerate().map(|(i, (name, v, colour, none))| {
                    let y = i as f64 * row_h + 2.0;
                    html! {
                        <g>
                            <text x="0" y={format!("{}", y + 12.0)} font-size="11" fill="#1b1f24">{ name.clone() }</text>
                            <rect x="96" y={format!("{y}")} width="160" height="13" fill="#eef1f4"></rect>
                            <rect x="96" y={format!("{y}")} width={format!("{:.1}", 160.0 * v)} height="13" fill={*colour} stroke="#1b1f24" stroke-width="0.8"></rect>
                            <text x="260" y={format!("{}", y + 12.0)} font-size="11" fill="#1b1f24">{ if *none { "—".to_owned() } else { l.pct(*v) } }</text>
                        </g>
                    }
                }) }
            </svg>
        </figure>
    }
}

/// The map toggles (the base six categories).
fn toggles(p: &CoverageProps) -> Html {
    let l = p.lang;
    let t = l.ui();
    html! {
        <fieldset class="toggles" id="cov-toggles">
            <legend>{ t.cov_toggles }</legend>
            { for Category::BASE_SIX.iter().enumerate().map(|(k, c)| {
                let on = p.mask & (1 << k) != 0;
                let mask = p.mask;
                let cb = p.on_mask.clone();
                let onchange = Callback::from(move |_| cb.emit(mask ^ (1 << k)));
                html! {
                    <label class="toggle" data-category={c.id()}>
                        <input type="checkbox" checked={on} {onchange} />
                        <span class="swatch" style={format!("background:{}", crate::web::map::category_colour(*c))}></span>
                        { l.category(*c) }
                    </label>
                }
            }) }
        </fieldset>
    }
}

/// The sortable gap table over the gap list's level, linked to the map.
fn gap_table(p: &CoverageProps, cov: &Coverage, sort: &UseStateHandle<(SortKey, bool)>) -> Html {
    let l = p.lang;
    let t = l.ui();
    let sort = sort.clone();
    let (key, desc) = *sort;
    let mut rows: Vec<usize> = cov.gaps.clone();
    crate::plan::sort::by(&mut rows, |a, b| {
        let (ua, ub) = (&cov.units[*a], &cov.units[*b]);
        let o = match key {
            SortKey::Name => ua.name.cmp(&ub.name),
            SortKey::Population => ua.population.total_cmp(&ub.population),
            SortKey::Outside => outside(ua).total_cmp(&outside(ub)),
            SortKey::Dual => ua.dual_share.total_cmp(&ub.dual_share),
            SortKey::Missing => ua.missing.len().cmp(&ub.missing.len()),
        };
        let o = if desc { o.reverse() } else { o };
        o.then_with(|| ua.name.cmp(&ub.name))
    });
    let header = |k: SortKey, label: &'static str| {
        let sort = sort.clone();
        let (cur, d) = *sort;
        let aria = if cur == k {
            if d { "descending" } else { "ascending" }
        } else {
            "none"
        };
        let onclick = Callback::from(move |_| {
            let (cur, d) = *sort;
            sort.set((k, if cur == k { !d } else { k != SortKey::Name }));
        });
        html! {
            <th scope="col" aria-sort={aria}>
                <button class="th-sort" {onclick}>{ label }{ if cur == k { if d { " ▼" } else { " ▲" } } else { "" } }</button>
            </th>
        }
    };
    html! {
        <div class="table-wrap">
            <table id="gap-table" class="gap-table">
                <caption>{ t.cov_gaps }<br/><small>{ t.sort_hint }</small></caption>
                <thead><tr>
                    { header(SortKey::Name, t.col_unit) }
                    { header(SortKey::Population, t.cov_population) }
                    { header(SortKey::Outside, t.col_outside) }
                    { header(SortKey::Dual, t.col_dual) }
                    { header(SortKey::Missing, t.col_missing) }
                </tr></thead>
                <tbody>
                { for rows.iter().take(300).map(|i| {
                    let u = &cov.units[*i];
                    let sel = p.selected == Some(*i);
                    let cb = p.on_select.clone();
                    let idx = *i;
                    let onclick = Callback::from(move |_| cb.emit(Some(idx)));
                    let cb2 = p.on_select.clone();
                    let onkeydown = Callback::from(move |e: KeyboardEvent| {
                        if e.key() == "Enter" || e.key() == " " {
                            e.prevent_default();
                            cb2.emit(Some(idx));
                        }
                    });
                    html! {
                        <tr class={classes!(sel.then_some("selected"))} data-unit={i.to_string()} tabindex="0"
                            aria-selected={sel.to_string()} {onclick} {onkeydown}>
                            <th scope="row">{ &u.name }</th>
                            <td class="num">{ l.int(u.population) }</td>
                            <td class="num">{ l.int(outside(u)) }</td>
                            <td class="num">{ l.pct(u.dual_share) }</td>
                            <td>{ u.missing.iter().map(|m| short(l, m.category)).collect::<Vec<_>>().join(if l == Lang::Zh { "、" } else { ", " }) }
                                { if u.employment_share < 1.0 && u.missing.is_empty() { t.cov_station } else { "" } }</td>
                        </tr>
                    }
                }) }
                </tbody>
            </table>
        </div>
    }
}

/// The selected unit's card.
fn unit_card(p: &CoverageProps, cov: &Coverage) -> Option<Html> {
    let l = p.lang;
    let t = l.ui();
    p.selected.and_then(|i| cov.units.get(i)).map(|u| {
        let close = p.on_select.reform(|_| None);
        let nearest = |s: Option<f64>| s.map_or_else(|| t.card_beyond.to_owned(), |s| l.minutes(s));
        html! {
            <article class="card" id="unit-card" aria-labelledby="unit-card-title">
                <header>
                    <h3 id="unit-card-title">{ unit_label(l, u) }</h3>
                    <span class="level">{ level_label(l, u.level) }{ u.parent.as_ref().map(|p| format!(" · {p}")).unwrap_or_default() }</span>
                    <button class="secondary close" aria-label={t.close} onclick={close}>{ "×" }</button>
                </header>
                <dl class="figures">
                    <dt>{ t.cov_population }</dt><dd>{ l.int(u.population) }</dd>
                    <dt>{ t.cov_employment }</dt><dd>{ l.pct(u.employment_share) }</dd>
                    <dt>{ t.cov_convenience }</dt><dd>{ l.pct(u.convenience_share) }</dd>
                    <dt>{ t.cov_dual }</dt><dd id="card-dual">{ l.pct(u.dual_share) }</dd>
                    <dt>{ t.cov_station }{ " · " }{ t.card_nearest }</dt><dd>{ nearest(u.nearest_station_s) }</dd>
                    if let Some(s) = u.stations { <dt>{ t.card_stations }</dt><dd>{ s }</dd> }
                    if let Some(s) = u.people_per_station { <dt>{ t.card_per_station }</dt><dd>{ l.int(s) }</dd> }
                    if let Some(s) = u.postings { <dt>{ t.card_postings }</dt><dd>{ s }</dd> }
                    if let Some(r) = u.gap_rank { <dt>{ t.card_gap }</dt><dd>{ r }</dd> }
                    if let Some(r) = u.model_rank { <dt>{ t.card_model }</dt><dd>{ r }</dd> }
                </dl>
                <h4>{ t.card_missing }</h4>
                if u.missing.is_empty() {
                    <p>{ t.card_complete }</p>
                } else {
                    <ul class="missing">
                        { for u.missing.iter().map(|m| html! {
                            <li data-category={m.category.id()}>
                                <strong>{ l.category(m.category) }</strong>
                                { format!(" — {} {}; {} {}", l.int(m.people), t.card_people, t.card_nearest, nearest(m.nearest_s)) }
                            </li>
                        }) }
                    </ul>
                }
            </article>
        }
    })
}

/// The model-circle candidates (each selects its unit).
fn models(p: &CoverageProps, cov: &Coverage) -> Html {
    let l = p.lang;
    let t = l.ui();
    if cov.models.is_empty() {
        html! { <p class="hint">{ t.cov_no_models }</p> }
    } else {
        html! {
            <ol class="models" id="model-list">
                { for cov.models.iter().take(50).map(|i| {
                    let u = &cov.units[*i];
                    let cb = p.on_select.clone();
                    let idx = *i;
                    html! { <li><button class="link" onclick={Callback::from(move |_| cb.emit(Some(idx)))}>{ &u.name }</button>{ format!(" {}", l.pct(u.dual_share)) }</li> }
                }) }
            </ol>
        }
    }
}

/// The exports (CSV report, units GeoJSON, points CSV).
fn exports(p: &CoverageProps, a: &Rc<CoverageAnswer>) -> Html {
    let t = p.lang.ui();
    let id = p.package_id.to_string();
    let (a1, a2) = (a.clone(), a.clone());
    let (i1, i2) = (id.clone(), id);
    let points = p.on_export_points.reform(|_| ());
    html! {
        <div class="exports">
            <button class="secondary" id="export-csv" onclick={Callback::from(move |_| download(&format!("{i1}-coverage.csv"), "text/csv;charset=utf-8", &format!("\u{feff}{}", a1.report_csv)))}>{ t.export_csv }</button>
            <button class="secondary" id="export-geojson" onclick={Callback::from(move |_| download(&format!("{i2}-coverage.geojson"), "application/geo+json", &a2.units_geojson))}>{ t.export_geojson }</button>
            <button class="secondary" id="export-points" onclick={points}>{ t.export_points }</button>
        </div>
    }
}

/// Properties of [`CoverageLegend`].
#[derive(Properties, PartialEq)]
pub struct LegendProps {
    /// Language.
    pub lang: Lang,
    /// Enabled categories.
    pub mask: u8,
}

/// The coverage layer's legend.
#[component]
pub fn CoverageLegend(p: &LegendProps) -> Html {
    let t = p.lang.ui();
    let max = p.mask.count_ones();
    html! {
        <div class="legend" id="cov-legend">
            <strong>{ t.cov_legend }</strong>
            { for (0..=max).map(|k| html! {
                <div><span class="swatch dot" style={format!("background:{}", missing_colour(k))}></span>{ k }</div>
            }) }
            <div class="note">{ t.cov_legend_ring }</div>
        </div>
    }
}

/// The coverage tab: [`CoveragePanel`] over the coverage state.
#[component]
pub fn CoverageTab() -> Html {
    use crate::web::state::coverage::{CoverageAction, use_coverage};
    use crate::web::state::view::{ViewAction, use_view};
    let view = use_view();
    let lang = view.lang;
    let data = crate::web::state::data::use_data();
    let cov = use_coverage();
    let run = crate::web::effects::use_run_coverage();
    let on_settings = {
        let cov = cov.clone();
        Callback::from(move |c| cov.dispatch(CoverageAction::Settings(c)))
    };
    let on_run = {
        let cov = cov.clone();
        Callback::from(move |()| {
            if cov.running.is_none() {
                run.emit(());
            }
        })
    };
    let on_mask = {
        let cov = cov.clone();
        Callback::from(move |m| cov.dispatch(CoverageAction::Mask(m)))
    };
    let on_cancel = {
        let cov = cov.clone();
        let engine = crate::web::engine::use_engine();
        Callback::from(move |()| {
            // The worker computing it is terminated; another takes over with the same data.
            if let Some(r) = cov.running {
                engine.cancel(crate::web::protocol::Task::Coverage, r.seq);
            }
            cov.dispatch(CoverageAction::Cancel);
        })
    };
    let on_select = {
        let cov = cov.clone();
        Callback::from(move |u: Option<usize>| {
            cov.dispatch(CoverageAction::Select(u));
            if let Some(u) = u {
                view.dispatch(ViewAction::Focus("cov-units", u));
            }
        })
    };
    let on_export_points = {
        let cov = cov.clone();
        let engine = crate::web::engine::use_engine();
        Callback::from(move |()| {
            if let Some(a) = &cov.answer {
                engine.send(crate::web::protocol::Request::CoveragePoints {
                    seq: engine.next_seq(),
                    answer: a.seq,
                    params: a.coverage.params.clone(),
                });
            }
        })
    };
    // A positive signal that the cancel took effect (the next run starts from a fresh worker).
    let cancelled = (cov.stopped && cov.running.is_none()).then(|| {
        html! { <p class="hint" role="status" id="cov-cancelled">{ lang.faults().cov_cancelled }</p> }
    });
    html! {
        <>
        { for cancelled }
        <CoveragePanel {lang} answer={cov.answer.clone()}
            busy={cov.running.map(|r| (r.done, r.total))}
            settings={cov.settings} mask={cov.mask} selected={cov.selected}
            package_id={data.package_id.clone()}
            {on_settings} {on_run} {on_mask} {on_cancel} {on_select} {on_export_points} />
        <super::access::AccessPanel />
        </>
    }
}
