//! The resident panel (issue 6 in the app): choose a home (map, coordinates, a community from
//! the package, or the browser's geolocation), see the nearest station and each daily service
//! by walking time, and the postings within the walk — filtered, or ranked by a short profile
//! with the reasons shown. Selecting a posting draws the walking route. The profile stays in
//! this browser's local storage and can be cleared.

use std::rc::Rc;

use yew::prelude::*;

use super::i18n::Lang;
use super::worker::{NearbyAnswer, RouteAnswer};
use crate::plan::model::HoursType;
use crate::plan::nearby::{Education, MatchProfile, Query, Reason};

/// An edit of the query from a form value.
type QueryEdit = dyn Fn(&mut Query, String);
/// An edit of the profile from a form value.
type ProfileEdit = dyn Fn(&mut MatchProfile, String);

/// Local-storage key of the saved profile (versioned).
pub const PROFILE_KEY: &str = "shuangquan.profile.v1";

/// Reads the saved profile.
pub fn load_profile() -> Option<MatchProfile> {
    let st = web_sys::window()?.local_storage().ok()??;
    let text = st.get_item(PROFILE_KEY).ok()??;
    serde_json::from_str(&text).ok()
}

fn save_profile(p: Option<&MatchProfile>) {
    let Some(st) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) else {
        return;
    };
    match p.and_then(|p| serde_json::to_string(p).ok()) {
        Some(t) => {
            let _ = st.set_item(PROFILE_KEY, &t);
        }
        None => {
            let _ = st.remove_item(PROFILE_KEY);
        }
    }
}

const HOURS: [HoursType; 4] = [
    HoursType::FullTime,
    HoursType::PartTime,
    HoursType::Flexible,
    HoursType::Gig,
];

fn hours_label(l: Lang, h: HoursType) -> &'static str {
    match (l, h) {
        (Lang::Zh, HoursType::FullTime) => "全职",
        (Lang::Zh, HoursType::PartTime) => "兼职",
        (Lang::Zh, HoursType::Flexible) => "灵活就业",
        (Lang::Zh, HoursType::Gig) => "零工",
        (Lang::En, HoursType::FullTime) => "Full-time",
        (Lang::En, HoursType::PartTime) => "Part-time",
        (Lang::En, HoursType::Flexible) => "Flexible",
        (Lang::En, HoursType::Gig) => "Gig",
    }
}

fn edu_label(l: Lang, e: Education) -> String {
    if l == Lang::Zh {
        e.label_zh().to_owned()
    } else {
        e.to_string()
    }
}

/// One reason, in words.
fn reason_text(l: Lang, r: &Reason) -> String {
    let zh = l == Lang::Zh;
    let range = |min: &Option<u32>, max: &Option<u32>| match (min, max) {
        (Some(a), Some(b)) => format!("{a}–{b}"),
        (Some(a), None) => format!("≥{a}"),
        (None, Some(b)) => format!("≤{b}"),
        (None, None) => "—".to_owned(),
    };
    match r {
        Reason::Walk { minutes } => {
            if zh {
                format!("步行 {minutes:.1} 分钟")
            } else {
                format!("{minutes:.1} min walk")
            }
        }
        Reason::EducationNotRequired => (if zh {
            "学历不限"
        } else {
            "no education requirement"
        })
        .to_owned(),
        Reason::EducationMeets { required } => {
            if zh {
                format!("学历符合（要求{}）", required.label_zh())
            } else {
                format!("education meets {required}")
            }
        }
        Reason::EducationBelow { required, have } => {
            if zh {
                format!(
                    "学历低于要求（要求{}，您为{}）",
                    required.label_zh(),
                    have.label_zh()
                )
            } else {
                format!("education below the requirement ({required}; you: {have})")
            }
        }
        Reason::EducationUnknown { required } => {
            if zh {
                format!("要求{}，未填写学历", required.label_zh())
            } else {
                format!("requires {required}; your education not given")
            }
        }
        Reason::AgeNotRestricted => (if zh { "年龄不限" } else { "no age limit" }).to_owned(),
        Reason::AgeInside { min, max } => {
            if zh {
                format!("年龄符合（{}岁）", range(min, max))
            } else {
                format!("age fits ({})", range(min, max))
            }
        }
        Reason::AgeOutside { min, max } => {
            if zh {
                format!("年龄不符（{}岁）", range(min, max))
            } else {
                format!("age outside {}", range(min, max))
            }
        }
        Reason::AgeUnknown { min, max } => {
            if zh {
                format!("年龄要求 {}，未填写年龄", range(min, max))
            } else {
                format!("age {} required; your age not given", range(min, max))
            }
        }
        Reason::SkillsMatched { skills, of } => {
            if zh {
                format!("技能匹配 {}/{}：{}", skills.len(), of, skills.join("、"))
            } else {
                format!("skills {}/{}: {}", skills.len(), of, skills.join(", "))
            }
        }
        Reason::NoSkillsMatched { of } => {
            if zh {
                format!("技能未匹配（共{of}项）")
            } else {
                format!("no skill matched (of {of})")
            }
        }
        Reason::HoursMatch { hours } => {
            if zh {
                format!("工时符合（{}）", hours_label(l, *hours))
            } else {
                format!("hours match ({})", hours_label(l, *hours))
            }
        }
        Reason::HoursMismatch { hours } => {
            if zh {
                format!("工时不符（{}）", hours_label(l, *hours))
            } else {
                format!("hours differ ({})", hours_label(l, *hours))
            }
        }
        Reason::HoursUnknown => (if zh {
            "工时未注明"
        } else {
            "hours not stated"
        })
        .to_owned(),
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
    pub answer: Option<Rc<NearbyAnswer>>,
    /// The latest error (e.g. off the network).
    pub error: Option<String>,
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

/// The resident panel.
#[component]
pub fn NearbyPanel(p: &NearbyProps) -> Html {
    let l = p.lang;
    let zh = l == Lang::Zh;
    let tr = move |a: &'static str, b: &'static str| if zh { a } else { b };
    let q = p.query.clone();
    let coords = use_state(String::new);
    let coord_error = use_state(|| false);
    let geo_status = use_state(String::new);

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
    // Home: a community from the package.
    let on_place = {
        let places = p.places.clone();
        let on_home = p.on_home.clone();
        Callback::from(move |e: Event| {
            if let Some(v) = input_value(&e)
                && let Some((_, x, y)) = places.iter().find(|(n, _, _)| *n == v)
            {
                on_home.emit((*x, *y));
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
                status.set(tr("此浏览器不支持定位", "Geolocation is not available").to_owned());
                return;
            };
            let on_home = on_home.clone();
            let ok = Closure::once_into_js(move |pos: web_sys::Position| {
                let c = pos.coords();
                on_home.emit((c.longitude(), c.latitude()));
            });
            let status2 = status.clone();
            let fail = Closure::once_into_js(move |_e: wasm_bindgen::JsValue| {
                status2.set(tr("未能获取位置", "Location was not available").to_owned());
            });
            let _ = geo.get_current_position_with_error_callback(
                ok.unchecked_ref(),
                Some(fail.unchecked_ref()),
            );
        })
    };

    // Filters.
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
    let on_pay = set(Rc::new(|q, v| q.filters.pay_min = v.parse().ok()));
    let on_edu = set(Rc::new(|q, v| q.filters.education = v.parse().ok()));
    let on_age = set(Rc::new(|q, v| q.filters.age = v.parse().ok()));
    let on_since = set(Rc::new(|q, v| {
        q.filters.posted_since = Some(v).filter(|v| !v.is_empty());
    }));
    let on_keyword = set(Rc::new(|q, v| {
        q.filters.keyword = Some(v.trim().to_owned()).filter(|v| !v.is_empty());
    }));
    let hours_boxes = HOURS.iter().map(|h| {
        let on = q.filters.hours.contains(h);
        let q = q.clone();
        let cb = p.on_query.clone();
        let h = *h;
        let onchange = Callback::from(move |_| {
            let mut next = q.clone();
            if on {
                next.filters.hours.retain(|x| *x != h);
            } else {
                next.filters.hours.push(h);
            }
            cb.emit(next);
        });
        html! { <label class="toggle"><input type="checkbox" checked={on} {onchange} data-hours={format!("{h:?}")} />{ hours_label(l, h) }</label> }
    });

    // Profile (one-click match).
    let profile = q.profile.clone().unwrap_or_default();
    let skills_text = use_state(|| profile.skills.join(" "));
    let age_text = use_state(|| profile.age.map(|a| a.to_string()).unwrap_or_default());
    let set_profile = |f: Rc<ProfileEdit>| {
        let q = q.clone();
        let cb = p.on_query.clone();
        Callback::from(move |e: Event| {
            if let Some(v) = input_value(&e) {
                let mut next = q.clone();
                let mut prof = next.profile.clone().unwrap_or_default();
                f(&mut prof, v);
                save_profile(Some(&prof));
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
        p.hours = crate::plan::nearby::parse_hours(&v).into_iter().collect();
    }));
    let clear_profile = {
        let q = q.clone();
        let cb = p.on_query.clone();
        let skills_text = skills_text.clone();
        let age_text = age_text.clone();
        Callback::from(move |_| {
            save_profile(None);
            skills_text.set(String::new());
            age_text.set(String::new());
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
            save_profile(Some(&prof));
            next.profile = Some(prof);
            cb.emit(next);
        })
    };

    let home_block = html! {
        <div class="home-block">
            <p>{ tr("在地图上点击选择住址，或：", "Click the map to set your home, or:") }</p>
            <form class="controls" onsubmit={submit_coords}>
                <label>{ tr("经纬度", "Lon, lat") }{ " " }
                    <input id="home-coords" type="text" inputmode="decimal" placeholder="121.47,31.23" size="18"
                        value={(*coords).clone()} oninput={on_coords_input}
                        aria-invalid={coord_error.to_string()} /></label>
                <button type="submit" id="home-coords-go">{ tr("设为住址", "Set home") }</button>
            </form>
            if *coord_error { <p class="banner error" role="alert">{ tr("请输入“经度,纬度”，例如 121.47,31.23", "Enter “lon,lat”, e.g. 121.47,31.23") }</p> }
            if !p.places.is_empty() {
                <label class="controls">{ tr("选择社区", "Choose a community") }{ " " }
                    <input id="home-place" list="home-places" onchange={on_place} placeholder={tr("输入社区名", "Type a name")} />
                    <datalist id="home-places">
                        { for p.places.iter().map(|(n, _, _)| html! { <option value={n.clone()} /> }) }
                    </datalist>
                </label>
            }
            <button class="secondary" id="home-geo" onclick={on_geo}>{ tr("使用我的位置", "Use my location") }</button>
            if !geo_status.is_empty() { <p class="note">{ (*geo_status).clone() }</p> }
            if let Some((lon, lat)) = p.home { <p class="note" id="home-now">{ tr("住址", "Home") }{ format!("：{lon:.5}, {lat:.5}") }</p> }
        </div>
    };

    let filters = html! {
        <details class="filters" open=true>
            <summary>{ tr("筛选", "Filters") }</summary>
            <div class="controls">
                <label>{ tr("步行时间", "Walk") }{ " " }
                    <select id="nb-minutes" onchange={on_minutes}>
                        { for [10.0, 15.0, 20.0, 30.0].iter().map(|m| html! { <option value={m.to_string()} selected={(q.minutes - m).abs() < 1e-9}>{ l.minutes(m * 60.0) }</option> }) }
                    </select></label>
                <fieldset class="toggles"><legend>{ tr("工时", "Hours") }</legend>{ for hours_boxes }</fieldset>
                <label>{ tr("月薪不低于", "Pay at least") }{ " " }<input id="nb-pay" type="number" min="0" step="500" size="7" onchange={on_pay} /></label>
                <label>{ tr("我的学历", "My education") }{ " " }
                    <select id="nb-edu" onchange={on_edu}>
                        <option value="" selected={q.filters.education.is_none()}>{ "—" }</option>
                        { for Education::ALL.iter().skip(1).map(|e| html! { <option value={e.id()} selected={q.filters.education == Some(*e)}>{ edu_label(l, *e) }</option> }) }
                    </select></label>
                <label>{ tr("我的年龄", "My age") }{ " " }<input id="nb-age" type="number" min="14" max="100" size="4" onchange={on_age} /></label>
                <label>{ tr("发布不早于", "Posted since") }{ " " }<input id="nb-since" type="date" onchange={on_since} /></label>
                <label>{ tr("关键词", "Keywords") }{ " " }<input id="nb-keyword" type="search" size="10" onchange={on_keyword} /></label>
            </div>
        </details>
    };

    let profile_block = html! {
        <details class="profile" open={q.profile.is_some()}>
            <summary>{ tr("一键匹配（个人条件只保存在本浏览器）", "One-click match (your profile stays in this browser)") }</summary>
            <div class="controls">
                <label>{ tr("年龄", "Age") }{ " " }<input id="pf-age" type="number" min="14" max="100" size="4"
                    value={(*age_text).clone()} oninput={{ let s = age_text.clone(); Callback::from(move |e: InputEvent| if let Some(i) = e.target_dyn_into::<web_sys::HtmlInputElement>() { s.set(i.value()); }) }}
                    onchange={on_p_age} /></label>
                <label>{ tr("学历", "Education") }{ " " }
                    <select id="pf-edu" onchange={on_p_edu}>
                        <option value="" selected={profile.education.is_none()}>{ "—" }</option>
                        { for Education::ALL.iter().skip(1).map(|e| html! { <option value={e.id()} selected={profile.education == Some(*e)}>{ edu_label(l, *e) }</option> }) }
                    </select></label>
                <label>{ tr("技能/关键词", "Skills") }{ " " }<input id="pf-skills" type="text" size="14"
                    value={(*skills_text).clone()} oninput={{ let s = skills_text.clone(); Callback::from(move |e: InputEvent| if let Some(i) = e.target_dyn_into::<web_sys::HtmlInputElement>() { s.set(i.value()); }) }}
                    onchange={on_p_skills} /></label>
                <label>{ tr("希望工时", "Hours wanted") }{ " " }
                    <select id="pf-hours" onchange={on_p_hours}>
                        <option value="" selected={profile.hours.is_empty()}>{ "—" }</option>
                        { for HOURS.iter().map(|h| html! { <option value={hours_label(Lang::Zh, *h)} selected={profile.hours.contains(h)}>{ hours_label(l, *h) }</option> }) }
                    </select></label>
                <button id="pf-match" onclick={match_now}>{ tr("一键匹配", "Match") }</button>
                <button class="secondary" id="pf-clear" onclick={clear_profile}>{ tr("清除个人条件", "Clear profile") }</button>
            </div>
        </details>
    };

    let results = match (&p.answer, &p.error) {
        (_, Some(e)) => {
            let text = e.strip_prefix("off-network: ").map_or_else(
                || e.clone(),
                |m| {
                    if zh {
                        format!("该位置距最近的步行道路约 {m} 米，超出可步行网络，请在道路附近选择住址。")
                    } else {
                        format!("This place is about {m} m from the nearest walkable street: choose a home nearer a street.")
                    }
                },
            );
            html! { <p class="banner warn" id="nb-error" role="alert">{ text }</p> }
        }
        (None, None) => html! {},
        (Some(a), None) => {
            let r = &a.result;
            let services = &a.services;
            let none = tr("15分钟内没有", "none within the walk");
            html! {
                <>
                    if r.estimate { <p class="banner warn">{ tr("无路网：时间为直线距离估算", "No street network: straight-line estimates") }</p> }
                    <h3>{ tr("附近服务", "Services nearby") }</h3>
                    <ul class="services" id="nb-services">
                        <li data-kind="station"><strong>{ tr("就享家服务站", "Employment station") }</strong>{ " " }
                            { match (&services.station, &a.station) {
                                (Some(n), Some(st)) => html! { <>{ format!("{} — {}", n.name, l.minutes(n.seconds)) }
                                    if !st.services.is_empty() { <br/><small>{ st.services.join("、") }</small> }
                                    if let Some(h) = &st.hours { <br/><small>{ h.clone() }</small> } </> },
                                _ => html! { none },
                            } }
                        </li>
                        { for services.categories.iter().map(|(c, n)| html! {
                            <li data-category={c.id()}><span class="swatch dot" style={format!("background:{}", super::map::category_colour(*c))}></span>
                                { l.category(*c) }{ "：" }
                                { n.as_ref().map_or_else(|| none.to_owned(), |n| format!("{} — {}", n.name, l.minutes(n.seconds))) }</li>
                        }) }
                    </ul>
                    if !services.trainings.is_empty() {
                        <p class="note">{ tr("附近培训/夜校：", "Training nearby: ") }{ services.trainings.iter().take(3).map(|t| format!("{} ({})", t.name, l.minutes(t.seconds))).collect::<Vec<_>>().join("; ") }</p>
                    }
                    <h3 id="nb-list-heading">{ format!("{} {} / {}", tr("步行可达岗位", "Postings within the walk:"), r.hits.len(), r.total) }
                        <small>{ format!(" · {:.1} ms", a.compute_ms) }</small></h3>
                    <ol class="hits" id="nb-list" aria-labelledby="nb-list-heading">
                        { for r.hits.iter().zip(&a.postings).enumerate().take(200).map(|(i, (h, post))| {
                            let sel = p.selected == Some(i);
                            let cb = p.on_select.clone();
                            let pay = match (post.pay_min, post.pay_max) {
                                (Some(a), Some(b)) => format!("{}–{} {}", l.int(a), l.int(b), tr("元/月", "yuan/month")),
                                (Some(a), None) | (None, Some(a)) => format!("{} {}", l.int(a), tr("元/月", "yuan/month")),
                                _ => String::new(),
                            };
                            let label = format!("{}，{}，{}", post.title, post.employer.clone().unwrap_or_default(), l.minutes(h.seconds));
                            html! {
                                <li class={classes!("hit", sel.then_some("selected"))} data-id={h.id.clone()}>
                                    <button class="hit-button" aria-pressed={sel.to_string()} aria-label={label}
                                        onclick={Callback::from(move |_| cb.emit(i))}>
                                        <strong>{ &post.title }</strong>
                                        <span class="hit-time">{ format!(" {} · {:.0} m", l.minutes(h.seconds), h.metres) }</span>
                                        <br/><small>{ post.employer.clone().unwrap_or_default() }
                                            { post.hours.map(|x| format!(" · {}", hours_label(l, x))).unwrap_or_default() }
                                            { if pay.is_empty() { String::new() } else { format!(" · {pay}") } }</small>
                                    </button>
                                    if p.query.profile.is_some() {
                                        <div class="score"><span class="score-value">{ format!("{}{:.0}", tr("匹配分 ", "score "), h.score) }</span>
                                            <ul class="reasons">{ for h.reasons.iter().map(|x| html! { <li>{ reason_text(l, x) }</li> }) }</ul></div>
                                    }
                                    if sel {
                                        if let Some(route) = p.route.as_ref().filter(|r| r.posting == h.posting) {
                                            <p class="note" id="route-info">{ format!("{} {} · {:.0} m", tr("步行路线：", "Walking route:"), l.minutes(route.seconds), route.metres) }</p>
                                        }
                                    }
                                </li>
                            }
                        }) }
                    </ol>
                    if r.hits.is_empty() { <p>{ tr("步行范围内没有符合条件的岗位", "No posting within the walk matches") }</p> }
                </>
            }
        }
    };

    html! {
        <section id="nearby-panel" aria-labelledby="nb-heading">
            <h2 id="nb-heading">{ tr("附近的岗位与服务", "Jobs and services near home") }</h2>
            { home_block }
            { filters }
            { profile_block }
            { results }
        </section>
    }
}
