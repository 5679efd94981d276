//! The 体检报告 of one unit (街道 or community): what prints on A4 next to the map at the
//! unit's extent (the print styles in app.css). Population and the 双圈 shares for everyone at
//! the chosen walker's pace and for the aged 60+ at the elderly pace (the package's census age
//! shares), the shares by category, the supply–demand ratios and shortfalls, the gap list and
//! the model-circle candidates within the unit, and the placement suggestion if one was run.

use std::rc::Rc;

use yew::prelude::*;

use crate::plan::access::Standard;
use crate::plan::coverage::Level;
use crate::plan::graph::WalkProfile;
use crate::web::i18n::{Lang, fill};
use crate::web::protocol::{AccessAnswer, CoverageAnswer, PlaceAnswer};
use crate::web::state::view::use_view;

/// Properties of [`CheckupReport`].
#[derive(Properties, PartialEq)]
pub struct ReportProps {
    /// The unit (index into the assessment's units).
    pub unit: usize,
    /// The assessment.
    pub coverage: Rc<CoverageAnswer>,
    /// The ratios, when computed.
    pub ratios: Option<Rc<AccessAnswer>>,
    /// The placement, when one was run.
    pub placement: Option<Rc<PlaceAnswer>>,
    /// The standards preset the figures use.
    pub standard: Standard,
    /// Who is walking.
    pub profile: WalkProfile,
}

fn level_label(l: Lang, level: Level) -> &'static str {
    let ui = l.ui();
    match level {
        Level::Community => ui.level_community,
        Level::Subdistrict => ui.level_subdistrict,
        Level::District => ui.level_district,
        Level::City => ui.level_city,
    }
}

/// The walker in words: the profile's label, with the speed for a custom one.
fn walker(l: Lang, p: WalkProfile) -> String {
    let t = l.access();
    match p.name() {
        "standard" => t.profile_standard.to_owned(),
        "elderly" => t.profile_elderly.to_owned(),
        "wheelchair" => t.profile_wheelchair.to_owned(),
        _ => format!("{} · {} {}", t.profile_custom, t.speed, p.speed_m_per_min),
    }
}

/// The placement's chosen sites, one line each.
fn placement_lines(l: Lang, p: &PlaceAnswer) -> Vec<String> {
    let t = l.access();
    p.chosen
        .iter()
        .map(|c| {
            fill(
                t.report_site,
                &[&c.order.to_string(), &c.site.name, &l.int(c.gain)],
            )
        })
        .collect()
}

/// The 体检报告 of one unit.
#[component]
pub fn CheckupReport(p: &ReportProps) -> Html {
    let l = use_view().lang;
    let t = l.access();
    let ui = l.ui();
    let cov = &p.coverage.coverage;
    let Some(u) = cov.units.get(p.unit) else {
        return html! {};
    };
    // The unit itself and the units inside it: its gaps and model circles.
    let inside = |i: usize| {
        let x = &cov.units[i];
        i == p.unit || (x.level < u.level && x.parent.as_deref() == Some(u.name.as_str()))
    };
    let gaps: Vec<usize> = cov
        .gaps
        .iter()
        .copied()
        .filter(|i| inside(*i))
        .take(15)
        .collect();
    let models: Vec<usize> = cov
        .models
        .iter()
        .copied()
        .filter(|i| inside(*i))
        .take(10)
        .collect();
    // The ratios' units are the same assessment's (same points, same boundaries, same order).
    let same = |a: &&Rc<AccessAnswer>| a.access.coverage.units.len() == cov.units.len();
    let ratios = p.ratios.as_ref().filter(same);
    let elderly = ratios.and_then(|a| a.access.elderly.as_ref()?.get(p.unit).cloned());
    let figures = ratios.and_then(|a| {
        a.access
            .units
            .get(p.unit)
            .map(|f| (a.access.targets.clone(), f.clone()))
    });
    let sites = p
        .placement
        .as_ref()
        .map(|a| placement_lines(l, a))
        .filter(|v| !v.is_empty());
    html! {
        <article id="checkup-report" class="report" aria-labelledby="report-title">
            <h3 id="report-title">{ format!("{} · {} · {}", t.report, u.name, level_label(l, u.level)) }</h3>
            <p class="note" id="report-standard">{ t.report_standard }{ if l == Lang::Zh { "：" } else { ": " } }{ l.citation(p.standard) }</p>
            <p class="note" id="report-walker">{ t.profile }{ if l == Lang::Zh { "：" } else { ": " } }{ walker(l, p.profile) }</p>
            <dl class="figures">
                <dt>{ t.report_population }</dt><dd>{ l.int(u.population) }</dd>
                <dt>{ t.report_everyone }{ " · " }{ ui.cov_dual }</dt><dd id="report-dual">{ l.pct(u.dual_share) }</dd>
                <dt>{ t.report_everyone }{ " · " }{ ui.cov_convenience }</dt><dd>{ l.pct(u.convenience_share) }</dd>
                if let Some(e) = &elderly {
                    <dt>{ t.report_elderly }{ " · " }{ ui.cov_dual }</dt><dd id="report-elderly-dual">{ l.pct(e.dual_share) }</dd>
                    <dt>{ t.report_elderly }{ " · " }{ ui.cov_convenience }</dt><dd>{ l.pct(e.convenience_share) }</dd>
                }
            </dl>
            <h4>{ t.report_shares }</h4>
            <table class="gap-table" id="report-shares">
                <tbody>
                <tr><th scope="row">{ t.station }</th><td class="num">{ l.pct(u.employment_share) }</td></tr>
                { for cov.categories.iter().zip(&u.category_share).map(|(c, s)| html! {
                    <tr><th scope="row">{ l.category(*c) }</th><td class="num">{ l.pct(*s) }</td></tr>
                }) }
                </tbody>
            </table>
            if let Some((targets, figs)) = figures {
                <h4>{ t.report_ratios }</h4>
                <table class="gap-table" id="report-ratios">
                    <thead><tr>
                        <th scope="col">{ t.col_target }</th>
                        <th scope="col">{ t.col_ratio }</th>
                        <th scope="col">{ t.col_none }</th>
                        <th scope="col">{ t.col_short }</th>
                    </tr></thead>
                    <tbody>
                    { for targets.iter().zip(&figs).map(|(tr, f)| html! {
                        <tr>
                            <th scope="row">{ l.target(tr.target) }</th>
                            <td class="num">{ format!("{:.3}", f.mean_ratio * 1000.0) }</td>
                            <td class="num">{ l.int(f.people_none_within) }</td>
                            <td class="num">{ f.shortfall_people.map_or_else(|| "—".to_owned(), |x| l.int(x)) }</td>
                        </tr>
                    }) }
                    </tbody>
                </table>
            }
            <h4>{ t.report_gaps }</h4>
            if gaps.is_empty() { <p>{ t.none }</p> } else {
                <ol id="report-gaps">{ for gaps.iter().map(|i| {
                    let x = &cov.units[*i];
                    html! { <li>{ format!("{} — {} {}", x.name, l.int(x.population * (1.0 - x.dual_share)), ui.card_people) }</li> }
                }) }</ol>
            }
            <h4>{ t.report_models }</h4>
            if models.is_empty() { <p>{ t.none }</p> } else {
                <ol id="report-models">{ for models.iter().map(|i| html! {
                    <li>{ format!("{} {}", cov.units[*i].name, l.pct(cov.units[*i].dual_share)) }</li>
                }) }</ol>
            }
            if let Some(sites) = sites {
                <h4>{ t.report_place }</h4>
                <ol id="report-place">{ for sites.into_iter().map(|s| html! { <li>{ s }</li> }) }</ol>
            }
        </article>
    }
}
