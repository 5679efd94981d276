//! The resident panel (issue 6 in the app): choose a home (map, coordinates, a community from
//! the package, or the browser's geolocation), see the nearest station and each daily service
//! by walking time, and the postings within the walk — filtered, or ranked by a short profile
//! with the reasons shown. Selecting a posting draws the walking route. The profile stays in
//! this browser's local storage and can be cleared.

use std::rc::Rc;

use yew::prelude::*;

use crate::plan::model::HoursType;
use crate::plan::nearby::{Education, MatchProfile, Query};
use crate::web::field::Field;
use crate::web::i18n::Lang;
use crate::web::protocol::{EngineError, NearbyShown, RouteAnswer};

/// An edit of the query from a form value.
type QueryEdit = dyn Fn(&mut Query, String);
/// An edit of the profile from a form value.
type ProfileEdit = dyn Fn(&mut MatchProfile, String);

/// Most suggestions shown by the community search.
const MAX_SUGGESTIONS: usize = 30;

/// Inline styles of the suggestion list (the page's CSP allows inline styles).
const LISTBOX_STYLE: &str = "list-style:none;margin:.2rem 0 0;padding:0;max-height:14rem;overflow:auto;border:1px solid var(--line,#ccc);border-radius:4px;background:#fff;width:100%;box-sizing:border-box";
const OPTION_STYLE: &str = "padding:.25rem .5rem;cursor:pointer";
const OPTION_ACTIVE_STYLE: &str = "padding:.25rem .5rem;cursor:pointer;background:#fff3e0;outline:2px solid var(--accent,#e65100);outline-offset:-2px";

/// Properties of [`PlacePicker`].
#[derive(Properties, PartialEq)]
pub struct PlacePickerProps {
    /// Language.
    pub lang: Lang,
    /// Places to choose from: (name, lon, lat).
    pub places: Rc<Vec<(String, f64, f64)>>,
    /// A place was chosen: its (lon, lat).
    pub on_home: Callback<(f64, f64)>,
}

/// The community search: a combobox (an input and a list of suggestions) that finds names by
/// characters or pinyin (the worker's [`crate::plan::nearby::NameIndex`]: each text typed is
/// one request, the list is `aria-busy` until its answer). Arrow keys move through the suggestions, Enter picks
/// the active one (or the first), Escape closes the list (and then clears the text); the
/// active option is announced through `aria-activedescendant`.
#[component]
pub fn PlacePicker(p: &PlacePickerProps) -> Html {
    let t = p.lang.nearby();
    let text = use_state(String::new);
    let open = use_state(|| false);
    let active = use_state(|| None::<usize>);
    let nearby = crate::web::state::nearby::use_nearby();
    {
        let find = crate::web::effects::use_run_find_places();
        use_effect_with(((*text).clone(), p.places.clone()), move |(q, _)| {
            find.emit((q.clone(), MAX_SUGGESTIONS));
        });
    }
    let found: Rc<Vec<usize>> = nearby.places_found.clone();
    let busy = nearby.places_answered != nearby.places_seq;

    let pick = {
        let places = p.places.clone();
        let on_home = p.on_home.clone();
        let (text, open, active) = (text.clone(), open.clone(), active.clone());
        Rc::new(move |i: usize| {
            if let Some((name, lon, lat)) = places.get(i) {
                text.set(name.clone());
                open.set(false);
                active.set(None);
                on_home.emit((*lon, *lat));
            }
        })
    };
    let oninput = {
        let (text, open, active) = (text.clone(), open.clone(), active.clone());
        Callback::from(move |e: InputEvent| {
            if let Some(i) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                text.set(i.value());
                open.set(true);
                active.set(None);
            }
        })
    };
    let onkeydown = {
        let (text, open, active) = (text.clone(), open.clone(), active.clone());
        let found = found.clone();
        let pick = pick.clone();
        Callback::from(move |e: KeyboardEvent| {
            let n = found.len();
            match e.key().as_str() {
                "ArrowDown" | "ArrowUp" => {
                    e.prevent_default();
                    if n == 0 {
                        open.set(true);
                        return;
                    }
                    let down = e.key() == "ArrowDown";
                    let next = match (*open, *active) {
                        (true, Some(a)) if down => (a + 1) % n,
                        (true, Some(a)) => (a + n - 1) % n,
                        _ if down => 0,
                        _ => n - 1,
                    };
                    open.set(true);
                    active.set(Some(next));
                }
                "Enter" if *open => {
                    e.prevent_default();
                    let chosen = active.filter(|a| *a < n).or((n > 0).then_some(0));
                    if let Some(k) = chosen.and_then(|k| found.get(k)) {
                        pick(*k);
                    }
                }
                "Escape" => {
                    if *open {
                        open.set(false);
                        active.set(None);
                    } else {
                        text.set(String::new());
                    }
                }
                _ => {}
            }
        })
    };
    let onblur = {
        let (open, active) = (open.clone(), active.clone());
        Callback::from(move |_: FocusEvent| {
            open.set(false);
            active.set(None);
        })
    };
    let onfocus = {
        let (open, text) = (open.clone(), text.clone());
        Callback::from(move |_: FocusEvent| {
            if !text.is_empty() {
                open.set(true);
            }
        })
    };

    let expanded = *open;
    let active_id = active
        .filter(|_| expanded)
        .filter(|a| *a < found.len())
        .map(|a| format!("home-place-opt-{a}"));
    html! {
        <div class="place-picker" style="position:relative;flex:1 1 100%">
            <label for="home-place">{ t.place_label }</label>{ " " }
            <input id="home-place" type="text" role="combobox" autocomplete="off" spellcheck="false"
                aria-autocomplete="list" aria-controls="home-place-list" aria-expanded={expanded.to_string()}
                aria-activedescendant={active_id} placeholder={t.place_placeholder}
                value={(*text).clone()} {oninput} {onkeydown} {onblur} {onfocus} />
            <ul id="home-place-list" role="listbox" aria-label={t.place_list} aria-busy={busy.to_string()} hidden={!expanded} style={LISTBOX_STYLE}>
                { for found.iter().enumerate().map(|(k, &i)| {
                    let sel = *active == Some(k);
                    let pick = pick.clone();
                    html! {
                        <li id={format!("home-place-opt-{k}")} role="option" aria-selected={sel.to_string()}
                            class={classes!("place-option", sel.then_some("active"))}
                            style={if sel { OPTION_ACTIVE_STYLE } else { OPTION_STYLE }}
                            // Keep the focus in the input so that the click lands.
                            onmousedown={Callback::from(|e: MouseEvent| e.prevent_default())}
                            onclick={Callback::from(move |_| pick(i))}>
                            { p.places.get(i).map(|x| x.0.clone()).unwrap_or_default() }
                        </li>
                    }
                }) }
            </ul>
            if expanded && !busy && found.is_empty() { <p class="note" id="home-place-none">{ t.place_none }</p> }
            <span class="sr-only" aria-live="polite">{ if expanded { (t.place_matches)(found.len()) } else { String::new() } }</span>
        </div>
    }
}

/// Properties of [`NearbyPanel`].
#[derive(Properties, PartialEq)]
pub struct NearbyProps {
    /// Language.
    pub lang: Lang,
    /// Home.
    pub home: Option<(f64, f64)>,
    /// Places to choose a home from.
    pub places: Rc<Vec<(String, f64, f64)>>,
    /// The query (filters, minutes, profile).
    pub query: Query,
    /// The latest answer.
    pub answer: Option<Rc<NearbyShown>>,
    /// The latest error (e.g. off the network).
    pub error: Option<EngineError>,
    /// Selected hit (position in the list).
    pub selected: Option<usize>,
    /// The route to the selected hit.
    pub route: Option<Rc<RouteAnswer>>,
    /// Read-only embed (no profile editing is still allowed: it stays in the browser).
    #[prop_or_default]
    pub embed: bool,
    /// A home was chosen.
    pub on_home: Callback<(f64, f64)>,
    /// The query changed.
    pub on_query: Callback<Query>,
    /// A hit was selected.
    pub on_select: Callback<usize>,
}

fn input_value(e: &Event) -> Option<String> {
    e.target_dyn_into::<web_sys::HtmlInputElement>()
        .map(|i| i.value())
        .or_else(|| {
            e.target_dyn_into::<web_sys::HtmlSelectElement>()
                .map(|s| s.value())
        })
}

/// The resident panel: the home, the filters, the profile and the answer, each a section below.
#[component]
pub fn NearbyPanel(p: &NearbyProps) -> Html {
    let t = p.lang.nearby();
    let coords = use_state(String::new);
    let coord_error = use_state(|| false);
    let geo_status = use_state(|| None::<&'static str>);
    html! {
        <section id="nearby-panel" aria-labelledby="nb-heading">
            <h2 id="nb-heading">{ t.heading }</h2>
            { home_block(p, &coords, &coord_error, &geo_status) }
            { filters(p) }
            { profile_block(p) }
            { results(p) }
        </section>
    }
}

/// The home: coordinates typed in, a community from the package, or the browser's geolocation.
fn home_block(
    p: &NearbyProps,
    coords: &UseStateHandle<String>,
    coord_error: &UseStateHandle<bool>,
    geo_status: &UseStateHandle<Option<&'static str>>,
) -> Html {
    let l = p.lang;
    let t = l.nearby();
    let (coords, coord_error, geo_status) =
        (coords.clone(), coord_error.clone(), geo_status.clone());

    // Home: coordinates.
    let on_coords_input = {
        let coords = coords.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(i) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                coords.set(i.value());
            }
        })
    };
    let submit_coords = {
        let coords = coords.clone();
        let err = coord_error.clone();
        let on_home = p.on_home.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let parsed = coords
                .split([',', '，', ' '])
                .filter(|s| !s.is_empty())
                .map(|s| s.trim().parse::<f64>())
                .collect::<Result<Vec<f64>, _>>();
            match parsed.as_deref() {
                Ok([lon, lat]) if lon.abs() <= 180.0 && lat.abs() <= 90.0 => {
                    err.set(false);
                    on_home.emit((*lon, *lat));
                }
                _ => err.set(true),
            }
        })
    };
    // Home: geolocation (the position stays in the page).
    let on_geo = {
        let on_home = p.on_home.clone();
        let status = geo_status.clone();
        Callback::from(move |_| {
            use wasm_bindgen::JsCast;
            use wasm_bindgen::prelude::Closure;
            let Some(geo) = web_sys::window().and_then(|w| w.navigator().geolocation().ok()) else {
                status.set(Some(t.geo_unavailable));
                return;
            };
            let on_home = on_home.clone();
            let ok = Closure::once_into_js(move |pos: web_sys::Position| {
                let c = pos.coords();
                on_home.emit((c.longitude(), c.latitude()));
            });
            let status2 = status.clone();
            let fail = Closure::once_into_js(move |_e: wasm_bindgen::JsValue| {
                status2.set(Some(t.geo_failed));
            });
            let _ = geo.get_current_position_with_error_callback(
                ok.unchecked_ref(),
                Some(fail.unchecked_ref()),
            );
        })
    };

    html! {
        <div class="home-block">
            <p>{ t.home_hint }</p>
            <form class="controls" onsubmit={submit_coords}>
                <label>{ t.coords_label }{ " " }
                    <input id="home-coords" type="text" inputmode="decimal" placeholder="121.47,31.23" size="18"
                        value={(*coords).clone()} oninput={on_coords_input}
                        aria-invalid={coord_error.to_string()} /></label>
                <button type="submit" id="home-coords-go">{ t.set_home }</button>
            </form>
            if *coord_error { <p class="banner error" role="alert">{ t.coords_error }</p> }
            if !p.places.is_empty() {
                <div class="controls">
                    <PlacePicker lang={l} places={p.places.clone()} on_home={p.on_home.clone()} />
                </div>
            }
            <button class="secondary" id="home-geo" onclick={on_geo}>{ t.use_location }</button>
            if let Some(s) = *geo_status { <p class="note">{ s }</p> }
            if let Some((lon, lat)) = p.home { <p class="note" id="home-now">{ (t.home_now)(lon, lat) }</p> }
        </div>
    }
}

/// The filters of the postings (walk, category with counts, hours, pay, education, age, date,
/// keywords).
fn filters(p: &NearbyProps) -> Html {
    let l = p.lang;
    let t = l.nearby();
    let q = p.query.clone();
    let set = |f: Rc<QueryEdit>| {
        let q = q.clone();
        let cb = p.on_query.clone();
        Callback::from(move |e: Event| {
            if let Some(v) = input_value(&e) {
                let mut next = q.clone();
                f(&mut next, v);
                cb.emit(next);
            }
        })
    };
    let on_minutes = set(Rc::new(|q, v| {
        if let Ok(m) = v.parse() {
            q.minutes = m;
        }
    }));
    let on_category = set(Rc::new(|q, v| {
        q.filters.categories = if v.is_empty() { Vec::new() } else { vec![v] };
    }));
    let on_pay = set(Rc::new(|q, v| q.filters.pay_min = v.parse().ok()));
    let on_edu = set(Rc::new(|q, v| q.filters.education = v.parse().ok()));
    let on_age = set(Rc::new(|q, v| q.filters.age = v.parse().ok()));
    let on_since = set(Rc::new(|q, v| {
        q.filters.posted_since = Some(v).filter(|v| !v.is_empty());
    }));
    let on_keyword = set(Rc::new(|q, v| {
        q.filters.keyword = Some(v.trim().to_owned()).filter(|v| !v.is_empty());
    }));
    let hours_boxes = HoursType::ALL.iter().map(|&h| {
        let on = q.filters.hours.contains(&h);
        let q = q.clone();
        let cb = p.on_query.clone();
        let onchange = Callback::from(move |_| {
            let mut next = q.clone();
            if on {
                next.filters.hours.retain(|x| *x != h);
            } else {
                next.filters.hours.push(h);
            }
            cb.emit(next);
        });
        html! { <label class="toggle"><input type="checkbox" checked={on} {onchange} data-hours={format!("{h:?}")} />{ (t.hours_type)(h) }</label> }
    });
    // Categories: those within the walk that pass the other filters (from the answer), with
    // their counts; a chosen category stays listed even when none is left.
    let chosen_category = q.filters.categories.first().cloned().unwrap_or_default();
    let mut category_counts: Vec<(String, usize)> = p
        .answer
        .as_ref()
        .map(|a| a.result.categories.clone())
        .unwrap_or_default();
    if !chosen_category.is_empty() && !category_counts.iter().any(|(c, _)| *c == chosen_category) {
        category_counts.push((chosen_category.clone(), 0));
    }
    let category_total: usize = category_counts.iter().map(|(_, n)| n).sum();

    html! {
        <details class="filters" open=true>
            <summary>{ t.filters }</summary>
            <div class="controls">
                <label>{ t.walk }{ " " }
                    <select id="nb-minutes" onchange={on_minutes}>
                        { for [10.0, 15.0, 20.0, 30.0].iter().map(|m| html! { <option value={m.to_string()} selected={(q.minutes - m).abs() < 1e-9}>{ l.minutes(m * 60.0) }</option> }) }
                    </select></label>
                <label>{ t.category }{ " " }
                    <select id="nb-category" onchange={on_category}>
                        <option value="" selected={chosen_category.is_empty()}>{ if p.answer.is_some() { (t.category_option)(t.category_all, &l.int(category_total as f64)) } else { t.category_all.to_owned() } }</option>
                        { for category_counts.iter().map(|(c, n)| html! {
                            <option value={c.clone()} data-count={n.to_string()} selected={*c == chosen_category}>{ (t.category_option)(c, &l.int(*n as f64)) }</option>
                        }) }
                    </select></label>
                <fieldset class="toggles"><legend>{ t.hours }</legend>{ for hours_boxes }</fieldset>
                <label>{ t.pay_at_least }{ " " }<Field id="nb-pay" kind="number" min="0" step="500" size="7"
                    value={q.filters.pay_min.map(|v| v.to_string()).unwrap_or_default()} onchange={on_pay} /></label>
                <label>{ t.my_education }{ " " }
                    <select id="nb-edu" onchange={on_edu}>
                        <option value="" selected={q.filters.education.is_none()}>{ "—" }</option>
                        { for Education::ALL.iter().skip(1).map(|e| html! { <option value={e.id()} selected={q.filters.education == Some(*e)}>{ (t.education)(*e) }</option> }) }
                    </select></label>
                <label>{ t.my_age }{ " " }<Field id="nb-age" kind="number" min="14" max="100" size="4"
                    value={q.filters.age.map(|a| a.to_string()).unwrap_or_default()} onchange={on_age} /></label>
                <label>{ t.posted_since }{ " " }<Field id="nb-since" kind="date" value={q.filters.posted_since.clone().unwrap_or_default()} onchange={on_since} /></label>
                <label>{ t.keywords }{ " " }<Field id="nb-keyword" kind="search" size="10" value={q.filters.keyword.clone().unwrap_or_default()} onchange={on_keyword} /></label>
            </div>
        </details>
    }
}

/// The profile (one-click match), kept in this browser's local storage.
fn profile_block(p: &NearbyProps) -> Html {
    let t = p.lang.nearby();
    let q = p.query.clone();
    let profile = q.profile.clone().unwrap_or_default();
    let set_profile = |f: Rc<ProfileEdit>| {
        let q = q.clone();
        let cb = p.on_query.clone();
        Callback::from(move |e: Event| {
            if let Some(v) = input_value(&e) {
                let mut next = q.clone();
                let mut prof = next.profile.clone().unwrap_or_default();
                f(&mut prof, v);
                crate::web::state::nearby::save_profile(Some(&prof));
                next.profile = Some(prof);
                cb.emit(next);
            }
        })
    };
    let on_p_age = set_profile(Rc::new(|p, v| p.age = v.parse().ok()));
    let on_p_edu = set_profile(Rc::new(|p, v| p.education = v.parse().ok()));
    let on_p_skills = set_profile(Rc::new(|p, v| {
        p.skills = v
            .split([',', '，', '、', ' '])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
    }));
    let on_p_hours = set_profile(Rc::new(|p, v| {
        p.hours = crate::plan::model::HoursType::parse(&v)
            .into_iter()
            .collect();
    }));
    let clear_profile = {
        let q = q.clone();
        let cb = p.on_query.clone();
        Callback::from(move |_| {
            crate::web::state::nearby::save_profile(None);
            let mut next = q.clone();
            next.profile = None;
            cb.emit(next);
        })
    };
    let match_now = {
        let q = q.clone();
        let cb = p.on_query.clone();
        Callback::from(move |_| {
            let mut next = q.clone();
            let prof = next.profile.clone().unwrap_or_default();
            crate::web::state::nearby::save_profile(Some(&prof));
            next.profile = Some(prof);
            cb.emit(next);
        })
    };

    html! {
        <details class="profile" open={q.profile.is_some()}>
            <summary>{ t.profile }</summary>
            <div class="controls">
                <label>{ t.age }{ " " }<Field id="pf-age" kind="number" min="14" max="100" size="4"
                    value={profile.age.map(|a| a.to_string()).unwrap_or_default()} onchange={on_p_age} /></label>
                <label>{ t.education_label }{ " " }
                    <select id="pf-edu" onchange={on_p_edu}>
                        <option value="" selected={profile.education.is_none()}>{ "—" }</option>
                        { for Education::ALL.iter().skip(1).map(|e| html! { <option value={e.id()} selected={profile.education == Some(*e)}>{ (t.education)(*e) }</option> }) }
                    </select></label>
                <label>{ t.skills }{ " " }<Field id="pf-skills" size="14" value={profile.skills.join(" ")} onchange={on_p_skills} /></label>
                <label>{ t.hours_wanted }{ " " }
                    <select id="pf-hours" onchange={on_p_hours}>
                        <option value="" selected={profile.hours.is_empty()}>{ "—" }</option>
                        { for HoursType::ALL.iter().map(|h| html! { <option value={h.id()} selected={profile.hours.contains(h)}>{ (t.hours_type)(*h) }</option> }) }
                    </select></label>
                <button id="pf-match" onclick={match_now}>{ t.match_now }</button>
                <button class="secondary" id="pf-clear" onclick={clear_profile}>{ t.clear_profile }</button>
            </div>
        </details>
    }
}

/// The answer: the error, or the services by walking time and the postings within the walk.
fn results(p: &NearbyProps) -> Html {
    let l = p.lang;
    let t = l.nearby();
    match (&p.answer, &p.error) {
        (_, Some(e)) => {
            let text = match e {
                EngineError::OffNetwork { distance_m, .. } => {
                    (t.off_network)(&format!("{distance_m:.0}"))
                }
                e => l.engine_error(e),
            };
            html! { <p class="banner warn" id="nb-error" role="alert">{ text }</p> }
        }
        (None, None) => html! {},
        (Some(a), None) => {
            let result = &a.result;
            let services = &a.services;
            let none = (t.none_within)(&l.minutes(services.minutes * 60.0));
            let metres = |m: f64| format!("{} {}", l.int(m), t.metres);
            html! {
                <>
                    if result.estimate { <p class="banner warn">{ t.estimate }</p> }
                    <h3>{ t.services }</h3>
                    <ul class="services" id="nb-services">
                        <li data-kind="station"><strong>{ t.station }</strong>{ " " }
                            { match (&services.station, &a.station) {
                                (Some(near), Some(st)) => html! { <>{ format!("{} — {}", near.name, l.minutes(near.seconds)) }
                                    if !st.services.is_empty() { <br/><small>{ st.services.join(t.list_sep) }</small> }
                                    if let Some(h) = &st.hours { <br/><small>{ h.clone() }</small> } </> },
                                _ => html! { none.clone() },
                            } }
                        </li>
                        { for services.categories.iter().map(|(c, n)| html! {
                            <li data-category={c.id()}><span class="swatch dot" style={format!("background:{}", crate::web::map::category_colour(*c))}></span>
                                { l.category(*c) }{ t.colon }
                                { n.as_ref().map_or_else(|| none.clone(), |n| format!("{} — {}", n.name, l.minutes(n.seconds))) }</li>
                        }) }
                    </ul>
                    if !services.trainings.is_empty() {
                        <p class="note">{ t.trainings }{ services.trainings.iter().take(3).map(|x| format!("{} ({})", x.name, l.minutes(x.seconds))).collect::<Vec<_>>().join(t.list_sep) }</p>
                    }
                    <h3 id="nb-list-heading">{ (t.postings_heading)(&l.int(result.hits.len() as f64), &l.int(result.total as f64)) }
                        <small>{ format!(" · {}", (t.ms)(a.compute_ms)) }</small></h3>
                    <ol class="hits" id="nb-list" aria-labelledby="nb-list-heading">
                        { for result.hits.iter().zip(&a.postings).enumerate().take(200).map(|(i, (h, post))| {
                            let sel = p.selected == Some(i);
                            let cb = p.on_select.clone();
                            let pay = match (post.pay_min, post.pay_max) {
                                (Some(lo), Some(hi)) => format!("{}–{} {}", l.int(lo), l.int(hi), t.per_month),
                                (Some(one), None) | (None, Some(one)) => format!("{} {}", l.int(one), t.per_month),
                                _ => String::new(),
                            };
                            let details: Vec<String> = [
                                post.employer.clone(),
                                post.category.clone(),
                                post.hours.map(|x| (t.hours_type)(x).to_owned()),
                                Some(pay).filter(|s| !s.is_empty()),
                                post.posted.as_deref().map(|d| (t.posted)(&(t.date)(d))),
                            ]
                            .into_iter()
                            .flatten()
                            .collect();
                            html! {
                                <li class={classes!("hit", sel.then_some("selected"))} data-id={h.id.clone()}
                                    data-category={post.category.clone().unwrap_or_default()}>
                                    <button class="hit-button" aria-pressed={sel.to_string()}
                                        onclick={Callback::from(move |_| cb.emit(i))}>
                                        <strong>{ &post.title }</strong>
                                        <span class="hit-time">{ format!(" {} · {}", l.minutes(h.seconds), metres(h.metres)) }</span>
                                        <br/><small class="hit-details">{ details.join(" · ") }</small>
                                    </button>
                                    if p.query.profile.is_some() {
                                        <div class="score"><span class="score-value">{ format!("{} {:.0}", t.score, h.score) }</span>
                                            <ul class="reasons">{ for h.reasons.iter().map(|x| html! { <li>{ x.get(l) }</li> }) }</ul></div>
                                    }
                                    if sel {
                                        if let Some(route) = p.route.as_ref().filter(|r| r.posting == h.posting) {
                                            <p class="note" id="route-info">{ (t.route)(&l.minutes(route.seconds), &metres(route.metres)) }</p>
                                        }
                                    }
                                </li>
                            }
                        }) }
                    </ol>
                    if result.hits.is_empty() { <p>{ t.no_postings }</p> }
                </>
            }
        }
    }
}

/// The resident tab: [`NearbyPanel`] over the resident state and the chosen point.
#[component]
pub fn NearbyTab() -> Html {
    use crate::web::state::isochrone::use_isochrone;
    use crate::web::state::nearby::{NearbyAction, use_nearby};
    use crate::web::state::view::{ViewAction, use_view};
    let view = use_view();
    let data = crate::web::state::data::use_data();
    let iso = use_isochrone();
    let nb = use_nearby();
    let places: Rc<Vec<(String, f64, f64)>> = use_memo(data.loaded.clone(), |l| {
        l.as_ref().map(|l| l.places.clone()).unwrap_or_default()
    });
    let on_home = {
        let iso = iso.clone();
        let engine = crate::web::engine::use_engine();
        let loaded = data.loaded.is_some();
        Callback::from(move |p| crate::web::engine::pick(&iso, &engine, loaded, p))
    };
    let on_query = {
        let nb = nb.clone();
        Callback::from(move |q| nb.dispatch(NearbyAction::Query(q)))
    };
    let on_select = {
        let nb = nb.clone();
        let view = view.clone();
        Callback::from(move |i| {
            nb.dispatch(NearbyAction::Select(i));
            view.dispatch(ViewAction::Focus("nb-hits", i));
        })
    };
    html! {
        <>
        <NearbyPanel lang={view.lang} home={iso.home} {places}
            query={nb.query.clone()} answer={nb.answer.clone()} error={nb.error.clone()}
            selected={nb.selected} route={nb.route.clone()} embed={view.embed}
            {on_home} {on_query} {on_select} />
        if !view.embed { <super::network::NetworkLine /> }
        </>
    }
}
