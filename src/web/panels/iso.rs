//! The walking-circles tab: the chosen point and its 5/10/15-minute isochrones, and the
//! isochrone legend on the map.

use yew::prelude::*;

use crate::web::map::band_colour;
use crate::web::state::BUDGETS_MIN;
use crate::web::state::isochrone::use_isochrone;
use crate::web::state::view::{Tab, use_view};

/// The walking-circles panel.
#[component]
pub fn IsoPanel() -> Html {
    let l = use_view().lang;
    let iso = use_isochrone();
    let t = l.text();
    let body = match (&iso.home, &iso.answer) {
        (None, _) => html! { <p class="hint">{ t.iso_hint }</p> },
        (Some((lon, lat)), answer) => html! {
            <>
                <p>{ t.iso_point }{ "：" }{ format!("{lon:.5}, {lat:.5}") }</p>
                if let Some(a) = answer {
                    if a.off_network_m.is_some() {
                        <p class="banner warn" id="iso-off-network" data-seq={a.seq.to_string()}>{ t.iso_off_network }</p>
                    } else {
                        <dl class="figures" id="iso-figures" data-seq={a.seq.to_string()}>
                            if a.estimate { <dt>{ t.iso_estimate }</dt><dd></dd> }
                            if let Some(v) = a.access_s { <dt>{ t.iso_access }</dt><dd>{ l.minutes(v) }</dd> }
                            { for a.bands.iter().map(|b| html! {
                                <><dt>{ l.minutes(b.minutes * 60.0) }</dt>
                                <dd class="band-area">{ format!("{:.2} km²", b.area_km2) }</dd></>
                            }) }
                            if !a.estimate { <dt>{ t.iso_reached }</dt><dd id="iso-reached">{ l.int(a.reached_nodes as f64) }</dd> }
                            <dt>{ t.iso_compute }</dt><dd id="iso-ms">{ format!("{:.1} ms", a.compute_ms) }</dd>
                        </dl>
                    }
                }
            </>
        },
    };
    html! {
        <section id="iso-panel" aria-labelledby="iso-heading">
            <h2 id="iso-heading">{ t.iso_heading }</h2>
            { body }
            <super::network::NetworkLine />
        </section>
    }
}

/// The isochrone legend (on the walking-circles tab, once there are circles).
#[component]
pub fn IsoLegend() -> Html {
    let view = use_view();
    let iso = use_isochrone();
    if iso.answer.is_none() || view.tab != Tab::Iso {
        return html! {};
    }
    let t = view.lang.text();
    html! {
        <div class="legend" id="iso-legend" aria-label={t.iso_legend}>
            <strong>{ t.iso_legend }</strong>
            { for BUDGETS_MIN.iter().map(|m| html! {
                <div><span class="swatch" style={format!("background:{}", band_colour(*m))}></span>
                    { view.lang.minutes(m * 60.0) }</div>
            }) }
        </div>
    }
}
