//! The planner panel (issue 7 in the app): candidate sites (package layers by host type, points
//! clicked on the map), the goal (k new sites or a covered share), the run in the worker with
//! progress and cancel, the chosen sites in build order with their marginal gains and the
//! before/after figures, accepting sites into the scenario (undo/redo), scenarios (new, switch,
//! export/import), the side-by-side comparison of two scenarios, and the plan exports.

use std::rc::Rc;

use yew::prelude::*;

use super::coverage::download;
use crate::plan::scenario::{ScenarioFile, Site};
use crate::web::field::Field;
use crate::web::i18n::Lang;
use crate::web::protocol::{PlaceAnswer, ScenarioFigures};
pub use crate::web::state::place::PlaceSettings;
pub use crate::web::state::scenarios::{CompareState, ScenarioEdit};

/// Properties of [`PlacePanel`].
#[derive(Properties, PartialEq)]
pub struct PlaceProps {
    /// Language.
    pub lang: Lang,
    /// Package id (names the exports).
    pub package_id: AttrValue,
    /// Loaded candidates by host type.
    pub host_types: Rc<Vec<(String, usize)>>,
    /// Settings.
    pub settings: PlaceSettings,
    /// Points clicked on the map as candidates.
    pub extra: Rc<Vec<Site>>,
    /// Clicking the map adds a candidate.
    pub picking: bool,
    /// Running: (done, total).
    pub busy: Option<(usize, usize)>,
    /// The latest answer.
    pub answer: Option<Rc<PlaceAnswer>>,
    /// The latest error.
    pub error: Option<String>,
    /// Scenarios of this package.
    pub scenarios: Rc<ScenarioFile>,
    /// Undo / redo available.
    pub can_undo: bool,
    /// Redo available.
    pub can_redo: bool,
    /// Compared scenarios (indices) and their figures when computed.
    pub compare: Option<Rc<CompareState>>,
    /// Selected chosen site (order − 1).
    pub selected: Option<usize>,
    /// Settings changed.
    pub on_settings: Callback<PlaceSettings>,
    /// Toggle map picking.
    pub on_picking: Callback<bool>,
    /// Forget the clicked candidates.
    pub on_clear_extra: Callback<()>,
    /// Run.
    pub on_run: Callback<()>,
    /// Cancel the run.
    pub on_cancel: Callback<()>,
    /// A scenario edit.
    pub on_edit: Callback<ScenarioEdit>,
    /// Compare two scenarios.
    pub on_compare: Callback<(usize, usize)>,
    /// Select a chosen site (zooms the map).
    pub on_select: Callback<usize>,
    /// A problem to show in the banner.
    pub on_error: Callback<String>,
}

/// A change of the settings from an input event.
type SettingsEdit = dyn Fn(&mut PlaceSettings, &Event);

fn num_input(e: &Event) -> Option<f64> {
    e.target_dyn_into::<web_sys::HtmlInputElement>()
        .and_then(|i| i.value().trim().parse::<f64>().ok())
        .filter(|v| v.is_finite())
}

/// A callback that edits a copy of the settings from an input event and sends it.
fn settings_edit(p: &PlaceProps, f: Box<SettingsEdit>) -> Callback<Event> {
    let cb = p.on_settings.clone();
    let s = p.settings.clone();
    Callback::from(move |e: Event| {
        let mut n = s.clone();
        f(&mut n, &e);
        cb.emit(n);
    })
}

/// The planner panel: the scenario bar, the candidates, the goal, the run, then the results
/// and the comparison, each a function below.
#[component]
pub fn PlacePanel(p: &PlaceProps) -> Html {
    let t = p.lang.place();
    let busy = p.busy.is_some();
    let run = html! {
        <div class="row run-row">
            <button id="pl-run" disabled={busy} onclick={{ let cb = p.on_run.clone(); Callback::from(move |_| cb.emit(())) }}>{ t.run }</button>
            if let Some((d, n)) = p.busy {
                <progress id="pl-progress" max={n.max(1).to_string()} value={d.to_string()} aria-label={t.running}></progress>
                <button class="secondary" id="pl-cancel" onclick={{ let cb = p.on_cancel.clone(); Callback::from(move |_| cb.emit(())) }}>{ t.cancel }</button>
            }
        </div>
    };

    let results = p.answer.as_ref().map(|a| results(p, a));
    let compare = compare_block(p);

    html! {
        <section id="place-panel" aria-labelledby="place-heading">
            <h2 id="place-heading">{ t.heading }</h2>
            <p class="hint">{ t.intro }</p>
            { scenario_bar(p) }
            { candidates(p) }
            { goal(p) }
            { run }
            if let Some(e) = &p.error { <p class="banner error" id="pl-error" role="alert">{ e }</p> }
            { for results }
            { compare }
        </section>
    }
}

/// The scenario bar: choose or start a scenario, undo/redo, export/import, and the accepted
/// sites of the active one.
fn scenario_bar(p: &PlaceProps) -> Html {
    let t = p.lang.place();
    let scen = &p.scenarios;
    let active = scen.scenarios.get(scen.active);
    let on_scn_select = {
        let cb = p.on_edit.clone();
        Callback::from(move |e: Event| {
            if let Some(v) = e
                .target_dyn_into::<web_sys::HtmlSelectElement>()
                .and_then(|s| s.value().parse::<usize>().ok())
            {
                cb.emit(ScenarioEdit::Select(v));
            }
        })
    };
    let export_scn = {
        let f = p.scenarios.clone();
        let pkg = p.package_id.clone();
        Callback::from(move |_| {
            download(
                &format!("{pkg}-scenarios.json"),
                "application/json",
                &crate::plan::scenario::to_file(&f),
            );
        })
    };
    let import_scn = {
        let cb = p.on_edit.clone();
        let err = p.on_error.clone();
        let pkg = p.package_id.clone();
        Callback::from(move |e: Event| {
            let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() else {
                return;
            };
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            input.set_value("");
            let cb = cb.clone();
            let err = err.clone();
            let pkg = pkg.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let name = file.name();
                let text = match wasm_bindgen_futures::JsFuture::from(file.text()).await {
                    Ok(v) => v.as_string().unwrap_or_default(),
                    Err(e) => {
                        err.emit(format!("{name}: {e:?}"));
                        return;
                    }
                };
                match crate::plan::scenario::parse_any(&name, &text) {
                    Ok(crate::plan::scenario::Parsed::Sites(sc)) => {
                        cb.emit(ScenarioEdit::ImportOne(Box::new(sc)));
                    }
                    Ok(crate::plan::scenario::Parsed::File(mut f)) => {
                        if !f.package.is_empty() && f.package != pkg.as_str() {
                            err.emit(crate::web::i18n::fill(
                                t.other_package,
                                &[&name, &f.package, &pkg],
                            ));
                            return;
                        }
                        pkg.as_str().clone_into(&mut f.package);
                        cb.emit(ScenarioEdit::Import(Box::new(f)));
                    }
                    Err(e) => err.emit(format!("{e}{}", t.nothing_changed)),
                }
            });
        })
    };

    html! {
        <fieldset class="scenario-bar" id="scenario-bar">
            <legend>{ t.scenario }</legend>
            <div class="row">
                <label for="scn-select" class="sr-only">{ t.scenario }</label>
                <select id="scn-select" onchange={on_scn_select}>
                    { for scen.scenarios.iter().enumerate().map(|(i, sc)| html! {
                        <option value={i.to_string()} selected={i == scen.active}>
                            { format!("{} ({})", sc.name, sc.sites.len()) }</option>
                    }) }
                </select>
                <button class="secondary" id="scn-new" onclick={{ let cb = p.on_edit.clone(); Callback::from(move |_| cb.emit(ScenarioEdit::New)) }}>{ t.scenario_new }</button>
            </div>
            <div class="row">
                <button class="secondary" id="scn-undo" disabled={!p.can_undo}
                    onclick={{ let cb = p.on_edit.clone(); Callback::from(move |_| cb.emit(ScenarioEdit::Undo)) }}>{ t.undo }</button>
                <button class="secondary" id="scn-redo" disabled={!p.can_redo}
                    onclick={{ let cb = p.on_edit.clone(); Callback::from(move |_| cb.emit(ScenarioEdit::Redo)) }}>{ t.redo }</button>
                <button class="secondary" id="scn-export" onclick={export_scn}>{ t.export_scenarios }</button>
                <label class="file-button secondary">
                    <span>{ t.import_scenarios }</span>
                    <input type="file" id="scn-import" accept=".json,.geojson" onchange={import_scn} />
                </label>
            </div>
            if let Some(sc) = active {
                if sc.sites.is_empty() {
                    <p class="hint" id="scn-empty">{ t.scenario_empty }</p>
                } else {
                    <ol class="accepted" id="scn-sites" aria-label={t.accepted}>
                        { for sc.sites.iter().map(|site| {
                            let cb = p.on_edit.clone();
                            let id = site.id.clone();
                            html! {
                                <li data-id={site.id.clone()}>
                                    <span>{ &site.name }</span>
                                    if let Some(h) = &site.host_type { <span class="muted">{ format!(" · {}", t.host_type(h)) }</span> }
                                    <button class="link" aria-label={format!("{} {}", t.remove, site.name)}
                                        onclick={Callback::from(move |_| cb.emit(ScenarioEdit::Remove(id.clone())))}>{ "×" }</button>
                                </li>
                            }
                        }) }
                    </ol>
                }
            }
        </fieldset>
    }
}

/// The candidate sites: the package's layers by host type, and points clicked on the map.
fn candidates(p: &PlaceProps) -> Html {
    let l = p.lang;
    let t = l.place();
    let s = p.settings.clone();
    let on_layers = settings_edit(
        p,
        Box::new(|n, e| {
            if let Some(i) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                n.use_layers = i.checked();
            }
        }),
    );
    html! {
        <fieldset id="pl-candidates">
            <legend>{ t.candidates }</legend>
            <label><input type="checkbox" id="pl-use-layers" checked={s.use_layers} onchange={on_layers} />{ " " }{ t.use_layers }</label>
            <div class="host-types" role="group" aria-label={t.host_types}>
                { for p.host_types.iter().map(|(h, n)| {
                    let on = !s.excluded.contains(h);
                    let cb = p.on_settings.clone();
                    let s2 = s.clone();
                    let h2 = h.clone();
                    let onchange = Callback::from(move |e: Event| {
                        let mut next = s2.clone();
                        let checked = e.target_dyn_into::<web_sys::HtmlInputElement>().is_some_and(|i| i.checked());
                        next.excluded.retain(|x| x != &h2);
                        if !checked { next.excluded.push(h2.clone()); crate::plan::sort::by(&mut next.excluded, Ord::cmp); }
                        cb.emit(next);
                    });
                    html! {
                        <label class="chip" data-host={h.clone()}>
                            <input type="checkbox" checked={on} disabled={!s.use_layers} {onchange} />
                            { format!(" {} ({})", t.host_type(h), l.int(*n as f64)) }
                        </label>
                    }
                }) }
            </div>
            <div class="row">
                <button class={classes!("secondary", p.picking.then_some("active"))} id="pl-pick" aria-pressed={p.picking.to_string()}
                    onclick={{ let cb = p.on_picking.clone(); let on = p.picking; Callback::from(move |_| cb.emit(!on)) }}>{ t.pick_on_map }</button>
                if !p.extra.is_empty() {
                    <span id="pl-extra-count">{ t.picked(p.extra.len()) }</span>
                    <button class="link" id="pl-extra-clear" onclick={{ let cb = p.on_clear_extra.clone(); Callback::from(move |_| cb.emit(())) }}>{ t.clear }</button>
                }
            </div>
            if p.picking { <p class="hint" role="status">{ t.pick_hint }</p> }
        </fieldset>
    }
}

/// The goal: k new sites or a covered share, the walk, the time limit, the capacity, closing.
fn goal(p: &PlaceProps) -> Html {
    let t = p.lang.place();
    let s = p.settings.clone();
    let on_k = settings_edit(
        p,
        Box::new(|n, e| {
            if let Some(v) = num_input(e) {
                n.k = v.clamp(1.0, 200.0) as usize;
            }
        }),
    );
    let on_target = settings_edit(
        p,
        Box::new(|n, e| {
            if let Some(v) = num_input(e) {
                n.target = (v / 100.0).clamp(0.0, 1.0);
            }
        }),
    );
    let on_minutes = settings_edit(
        p,
        Box::new(|n, e| {
            if let Some(v) = num_input(e) {
                n.minutes = v.clamp(1.0, 60.0);
            }
        }),
    );
    let on_time = settings_edit(
        p,
        Box::new(|n, e| {
            if let Some(v) = num_input(e) {
                n.time_limit_s = v.clamp(0.1, 60.0);
            }
        }),
    );
    let on_capacity = settings_edit(
        p,
        Box::new(|n, e| {
            n.capacity = num_input(e).map(|v| v.max(0.0));
        }),
    );
    let on_close = settings_edit(
        p,
        Box::new(|n, e| {
            if let Some(i) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                n.allow_close = i.checked();
            }
        }),
    );
    let on_by_k = settings_edit(p, Box::new(|n, _| n.by_k = true));
    let on_by_target = settings_edit(p, Box::new(|n, _| n.by_k = false));
    html! {
        <fieldset id="pl-goal">
            <legend>{ t.goal }</legend>
            <div class="row">
                <label><input type="radio" name="pl-goal" id="pl-by-k" checked={s.by_k} onchange={on_by_k} />{ " " }{ t.goal_k }</label>
                <Field kind="number" id="pl-k" min="1" max="200" step="1" value={s.k.to_string()} disabled={!s.by_k}
                    aria_label={t.goal_k} onchange={on_k} />
            </div>
            <div class="row">
                <label><input type="radio" name="pl-goal" id="pl-by-target" checked={!s.by_k} onchange={on_by_target} />{ " " }{ t.goal_target }</label>
                <Field kind="number" id="pl-target" min="1" max="100" step="1" value={format!("{:.0}", s.target * 100.0)} disabled={s.by_k}
                    aria_label={t.goal_target} onchange={on_target} />{ " %" }
            </div>
            <div class="row">
                <label for="pl-minutes">{ t.minutes }</label>
                <Field kind="number" id="pl-minutes" min="1" max="60" step="1" value={format!("{:.0}", s.minutes)} onchange={on_minutes} />
            </div>
            <div class="row">
                <label for="pl-time">{ t.time_limit }</label>
                <Field kind="number" id="pl-time" min="0.1" max="60" step="0.5" value={s.time_limit_s.to_string()} onchange={on_time} />
            </div>
            <div class="row">
                <label for="pl-capacity">{ t.capacity }</label>
                <Field kind="number" id="pl-capacity" min="0" step="100" disabled={!s.by_k}
                    value={s.capacity.map(|c| c.to_string()).unwrap_or_default()} onchange={on_capacity} />
            </div>
            <label><input type="checkbox" id="pl-allow-close" checked={s.allow_close} onchange={on_close} />{ " " }{ t.allow_close }</label>
        </fieldset>
    }
}

fn results(p: &PlaceProps, a: &Rc<PlaceAnswer>) -> Html {
    let l = p.lang;
    let t = l.place();
    let plan = &a.plan;
    let accept_all = {
        let cb = p.on_edit.clone();
        let sites: Vec<Site> = a.chosen.iter().map(|c| c.site.clone()).collect();
        Callback::from(move |_| cb.emit(ScenarioEdit::Accept(sites.clone())))
    };
    let pkg = p.package_id.clone();
    let json = a.plan_json.clone();
    let export_json = Callback::from(move |_| {
        download(&format!("{pkg}-plan.json"), "application/json", &json);
    });
    let pkg = p.package_id.clone();
    let gj = a.plan_geojson.clone();
    let export_geojson = Callback::from(move |_| {
        download(&format!("{pkg}-plan.geojson"), "application/geo+json", &gj);
    });
    let added = plan.covered_weight - plan.before_weight;
    html! {
        <div id="pl-results" aria-live="polite">
            <h3>{ t.results }</h3>
            if a.estimate { <p class="banner warn">{ t.estimate }</p> }
            <dl class="figures" id="pl-figures">
                <dt>{ t.candidates_n }</dt><dd id="pl-candidates-n">{ l.int(a.candidates as f64) }</dd>
                <dt>{ t.before }</dt><dd id="pl-before" data-share={plan.share_before.to_string()}>{ format!("{} ({} {})", l.pct(plan.share_before), l.int(plan.existing_weight), t.people) }</dd>
                <dt>{ t.after }</dt><dd id="pl-after" data-share={plan.share_after.to_string()}>{ format!("{} ({} {})", l.pct(plan.share_after), l.int(plan.covered_weight), t.people) }</dd>
                <dt>{ t.added }</dt><dd id="pl-added">{ format!("+{} {}", l.int(added), t.people) }</dd>
                if let Some(met) = plan.target_met {
                    <dt>{ t.goal_target }</dt><dd>{ if met { t.target_met } else { t.target_unmet } }</dd>
                }
                <dt>{ t.uncovered }</dt>
                <dd id="pl-uncovered">
                    { format!("{} {} — {}: {} · {}: {} · {}: {}", l.int(a.uncovered_budget + a.uncovered_no_candidate + a.uncovered_off_network), t.people,
                        t.why_budget, l.int(a.uncovered_budget), t.why_no_candidate, l.int(a.uncovered_no_candidate), t.why_off, l.int(a.uncovered_off_network)) }
                </dd>
                <dt>{ t.quality }</dt>
                <dd id="pl-gap" data-gap={plan.gap.to_string()} data-proven={plan.proven_optimal.to_string()}>
                    { if plan.proven_optimal {
                        t.proven.to_owned()
                    } else {
                        crate::web::i18n::fill(t.within_fmt, &[&l.pct(plan.gap), &l.int(plan.upper_bound)])
                    } }
                    if let Some(n) = plan.sites_lower_bound.filter(|_| plan.target_met.is_some()) {
                        <br /><span id="pl-sites-lower">{ crate::web::i18n::fill(t.sites_lower_fmt, &[&n.to_string()]) }</span>
                    }
                </dd>
                if let Some(cp) = &a.capacity {
                    <dt>{ t.served }</dt><dd id="pl-served">{ format!("{} {}", l.int(cp.served_weight), t.people) }</dd>
                    <dt>{ t.over_capacity }</dt><dd id="pl-over">{ format!("{} {}", l.int(cp.over_capacity_weight), t.people) }</dd>
                }
                if !a.closed.is_empty() {
                    <dt>{ t.closed }</dt>
                    <dd id="pl-closed">{ a.closed.iter().map(|s| s.name.as_str()).collect::<Vec<_>>().join("、") }</dd>
                }
                <dt>{ t.compute }</dt><dd id="pl-ms">{ format!("{:.0} ms{}", a.compute_ms, if a.matrix_reused { t.reused } else { "" }) }</dd>
            </dl>
            <div class="bar-pair" aria-hidden="true">
                <div class="bar before" style={format!("width:{:.1}%", plan.share_before * 100.0)}></div>
                <div class="bar after" style={format!("width:{:.1}%", plan.share_after * 100.0)}></div>
            </div>
            if a.chosen.is_empty() {
                <p id="pl-none">{ t.none_chosen }</p>
            } else {
                <table class="data-table" id="pl-chosen">
                    <caption>{ t.chosen }</caption>
                    <thead><tr>
                        <th scope="col" class="num">{ "#" }</th><th scope="col">{ t.col_site }</th>
                        <th scope="col">{ t.col_host }</th><th scope="col" class="num">{ t.col_gain }</th><th scope="col"><span class="sr-only">{ t.accept }</span></th>
                    </tr></thead>
                    <tbody>
                    { for a.chosen.iter().enumerate().map(|(i, c)| {
                        let sel = p.selected == Some(i);
                        let on_sel = { let cb = p.on_select.clone(); Callback::from(move |_| cb.emit(i)) };
                        let on_acc = { let cb = p.on_edit.clone(); let site = c.site.clone(); Callback::from(move |_| cb.emit(ScenarioEdit::Accept(vec![site.clone()]))) };
                        html! {
                            <tr class={classes!(sel.then_some("selected"))} data-id={c.site.id.clone()} aria-selected={sel.to_string()}>
                                <td class="num">{ c.order }</td>
                                <td><button class="link site-button" onclick={on_sel}>{ &c.site.name }</button></td>
                                <td class="host">{ c.site.host_type.as_deref().map(|h| t.host_type(h)).unwrap_or_default() }</td>
                                <td class="num gain" data-gain={c.gain.to_string()}>{ l.int(c.gain) }</td>
                                <td><button class="secondary accept-one" aria-label={format!("{} {}", t.accept, c.site.name)} onclick={on_acc}>{ t.accept }</button></td>
                            </tr>
                        }
                    }) }
                    </tbody>
                </table>
                <div class="row">
                    <button id="pl-accept-all" onclick={accept_all}>{ t.accept_all }</button>
                </div>
            }
            <div class="row">
                <button class="secondary" id="pl-export-json" onclick={export_json}>{ t.export_json }</button>
                <button class="secondary" id="pl-export-geojson" onclick={export_geojson}>{ t.export_geojson }</button>
            </div>
        </div>
    }
}

/// A difference with its sign, grouped per language.
fn signed(l: Lang, d: f64) -> String {
    let r = d.round();
    format!(
        "{}{}",
        if r > 0.0 {
            "+"
        } else if r < 0.0 {
            "−"
        } else {
            "±"
        },
        l.int(r.abs())
    )
}

fn compare_block(p: &PlaceProps) -> Html {
    let l = p.lang;
    let t = l.place();
    let count = p.scenarios.scenarios.len();
    if count < 2 {
        return html! {
            <section id="pl-compare" aria-labelledby="compare-heading">
                <h3 id="compare-heading">{ t.compare }</h3>
                <p class="hint">{ t.compare_hint }</p>
            </section>
        };
    }
    let pair = p.compare.as_ref().map_or((0, 1), |c| c.pair);
    let sel = |id: &'static str, v: usize, other: usize, which: u8| {
        let cb = p.on_compare.clone();
        let onchange = Callback::from(move |e: Event| {
            if let Some(x) = e
                .target_dyn_into::<web_sys::HtmlSelectElement>()
                .and_then(|s| s.value().parse::<usize>().ok())
            {
                cb.emit(if which == 0 { (x, other) } else { (other, x) });
            }
        });
        html! {
            <select {id} {onchange} aria-label={format!("{} {}", t.scenario, if which == 0 { "A" } else { "B" })}>
                { for p.scenarios.scenarios.iter().enumerate().map(|(i, s)| html! {
                    <option value={i.to_string()} selected={i == v}>{ &s.name }</option>
                }) }
            </select>
        }
    };
    let run = {
        let cb = p.on_compare.clone();
        Callback::from(move |_| cb.emit(pair))
    };
    let figs = p.compare.as_ref().map(|c| c.figures.clone());
    let name = |i: usize| {
        p.scenarios
            .scenarios
            .get(i)
            .map(|s| s.name.clone())
            .unwrap_or_default()
    };
    let row = |label: &str,
               f: &dyn Fn(&ScenarioFigures) -> String,
               d: &dyn Fn(&ScenarioFigures, &ScenarioFigures) -> String| {
        let (fa, fb) = figs
            .as_ref()
            .map_or((None, None), |x| (x[0].clone(), x[1].clone()));
        html! {
            <tr>
                <th scope="row">{ label }</th>
                <td class="num">{ fa.as_ref().map_or_else(|| "…".to_owned(), f) }</td>
                <td class="num">{ fb.as_ref().map_or_else(|| "…".to_owned(), f) }</td>
                <td class="num">{ match (&fa, &fb) { (Some(xa), Some(xb)) => d(xa, xb), _ => String::new() } }</td>
            </tr>
        }
    };
    let pct_diff = |x: f64, y: f64| format!("{:+.1}", (y - x) * 100.0);
    html! {
        <section id="pl-compare" aria-labelledby="compare-heading">
            <h3 id="compare-heading">{ t.compare }</h3>
            <div class="row">
                { sel("cmp-a", pair.0, pair.1, 0) }
                <span>{ "↔" }</span>
                { sel("cmp-b", pair.1, pair.0, 1) }
                <button class="secondary" id="cmp-run" onclick={run}>{ t.compare_run }</button>
            </div>
            if figs.is_some() {
                <table class="data-table compare" id="cmp-table">
                    <thead><tr>
                        <th scope="col">{ t.measure }</th>
                        <th scope="col" class="num">{ format!("A · {}", name(pair.0)) }</th>
                        <th scope="col" class="num">{ format!("B · {}", name(pair.1)) }</th>
                        <th scope="col" class="num">{ "B − A" }</th>
                    </tr></thead>
                    <tbody>
                        { row(t.added_sites, &|f| l.int(f.added as f64), &|a, b| format!("{:+}", b.added as i64 - a.added as i64)) }
                        { row(t.stations_total, &|f| l.int(f.stations as f64), &|a, b| format!("{:+}", b.stations as i64 - a.stations as i64)) }
                        { row(t.employment_share, &|f| l.pct(f.employment_share), &|a, b| pct_diff(a.employment_share, b.employment_share)) }
                        { row(t.convenience_share, &|f| l.pct(f.convenience_share), &|a, b| pct_diff(a.convenience_share, b.convenience_share)) }
                        { row(t.dual_share, &|f| l.pct(f.dual_share), &|a, b| pct_diff(a.dual_share, b.dual_share)) }
                        { row(t.lacking, &|f| l.int(f.lacking_station), &|a, b| signed(l, b.lacking_station - a.lacking_station)) }
                        { row(l.network().row, &|f| l.network_brief(f.compounds, f.network_edits), &|a, b| format!("{:+}", b.network_edits as i64 - a.network_edits as i64)) }
                    </tbody>
                </table>
            }
        </section>
    }
}

/// The placement tab: [`PlacePanel`] over the placement and scenario states.
#[component]
pub fn PlaceTab() -> Html {
    use crate::web::state::data::{DataAction, Notice, use_data};
    use crate::web::state::place::{PlaceAction, PlaceNotice, use_place};
    use crate::web::state::scenarios::{use_edit_scenarios, use_scenarios};
    use crate::web::state::view::{ViewAction, use_view};
    let view = use_view();
    let lang = view.lang;
    let data = use_data();
    let pl = use_place();
    let scn = use_scenarios();
    let on_edit = use_edit_scenarios();
    let on_run = crate::web::effects::use_run_place();
    let on_compare = crate::web::effects::use_run_compare();
    let error = pl.notice.as_ref().map(|n| match n {
        PlaceNotice::Cancelled => lang.place().cancelled.to_owned(),
        PlaceNotice::Failed(e) => lang.engine_error(e),
    });
    let send = |make: fn(PlaceSettings) -> PlaceAction| {
        let pl = pl.clone();
        Callback::from(move |x| pl.dispatch(make(x)))
    };
    let on_picking = {
        let pl = pl.clone();
        Callback::from(move |x| pl.dispatch(PlaceAction::Picking(x)))
    };
    let on_clear_extra = {
        let pl = pl.clone();
        Callback::from(move |()| pl.dispatch(PlaceAction::ClearExtra))
    };
    let on_cancel = {
        let pl = pl.clone();
        let engine = crate::web::engine::use_engine();
        Callback::from(move |()| {
            // The worker searching is terminated; another takes over with the same data.
            if let Some(r) = pl.running {
                engine.cancel(crate::web::protocol::Task::Place, r.seq);
            }
            pl.dispatch(PlaceAction::Cancel);
        })
    };
    let on_select = {
        let pl = pl.clone();
        Callback::from(move |i| {
            pl.dispatch(PlaceAction::Select(i));
            view.dispatch(ViewAction::Focus("pl-sites", i));
        })
    };
    let on_error = {
        let data = data.clone();
        Callback::from(move |e| data.dispatch(DataAction::Error(Notice::Text(e))))
    };
    html! {
        <>
        <PlacePanel {lang} package_id={data.package_id.clone()} host_types={data.host_types.clone()}
            settings={pl.settings.clone()} extra={pl.extra.clone()} picking={pl.picking}
            busy={pl.running.map(|r| (r.done, r.total))} answer={pl.answer.clone()} {error}
            scenarios={scn.file.clone()} can_undo={!scn.undo.is_empty()} can_redo={!scn.redo.is_empty()}
            compare={scn.compare.clone()} selected={pl.selected}
            on_settings={send(PlaceAction::Settings)} {on_picking} {on_clear_extra} {on_run} {on_cancel}
            {on_edit} {on_compare} {on_select} {on_error} />
        <super::network::NetworkPanel />
        </>
    }
}

/// The placement legend on the map (once there is a placement).
#[component]
pub fn PlaceLegend() -> Html {
    let view = crate::web::state::view::use_view();
    let pl = crate::web::state::place::use_place();
    if view.tab != crate::web::state::Tab::Place || pl.answer.is_none() {
        return html! {};
    }
    let t = view.lang.place();
    html! {
        <div class="legend" id="pl-legend" aria-label={t.legend}>
            <strong>{ t.legend }</strong>
            { for [(0u8, t.legend_before), (1, t.legend_new), (2, t.legend_budget), (3, t.legend_none), (4, t.legend_off)].into_iter().map(|(st, label)| html! {
                <div><span class="swatch round" style={format!("background:{}", crate::web::map::place_status_colour(st))}></span>{ label }</div>
            }) }
            <div><span class="site-icon legend-site">{ "1" }</span>{ " " }{ t.col_site }</div>
            <div><span class="mark-icon accepted-icon legend-site">{ "✓" }</span>{ " " }{ t.legend_accepted }</div>
        </div>
    }
}
