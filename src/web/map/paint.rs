//! What the map asks of the worker's tiles beyond drawing them: the demand tiles painted by
//! the coverage answer (and drawn again when it or its categories change), and the street a
//! click landed on.
//!
//! **Street clicks**: a click on the map always picks its point (the isochrone from there, as
//! everywhere on the map); when it lands within [`STREET_PX`] of a street drawn on a tile, the
//! map also names that street (name, class, length) beside the isochrone. A planner clicks a
//! street to walk from it: both answers at once, no mode to switch.
//!
//! Cost: a painting is one message and a redraw of the demand tiles on the map; a click is
//! O(v) over the v vertices of the one streets tile under it, per streets layer.

use leaflet::LatLng;
use yew::Callback;

use super::sync::Ctl;
use crate::plan::tile::{TileLayer, world_of};
use crate::web::protocol::{Request, StreetInfo};

/// How near a street a click must land to name it, CSS pixels.
pub(super) const STREET_PX: f64 = 5.0;

impl Ctl {
    /// Paints the demand tiles by the last coverage answer counting `mask` (`None`: plain),
    /// and draws the demand tiles on the map again. The worker reads its messages in order:
    /// every tile asked after this is cut with the new painting.
    pub(super) fn paint_demand(&self, mask: Option<u8>) {
        self.engine.send(Request::PaintDemand { mask });
        for (_, owned) in self.layers.values() {
            if let Some(g) = owned
                .grid
                .as_ref()
                .filter(|g| g.of().0 == TileLayer::Demand)
            {
                g.redraw();
            }
        }
    }

    /// The street drawn near the click at `ll`, told to `shown` once the worker answers
    /// (`None` at once when the click is near no street drawn from a tile).
    pub(super) fn street_click(&self, ll: &LatLng, shown: &Callback<Option<StreetInfo>>) {
        let w = world_of(ll.lng(), ll.lat());
        let zoom = self.map.get_zoom();
        let z = zoom
            .round()
            .clamp(0.0, f64::from(crate::plan::tile::MAX_ZOOM)) as u8;
        // A fractional zoom scales the tile: the reach in the tile's own pixels.
        let px = STREET_PX / 2f64.powf(zoom - f64::from(z));
        let found = self.layers.values().find_map(|(l, owned)| {
            let g = owned.grid.as_ref()?;
            let (layer, import) = g.of();
            (l.visible && layer == TileLayer::Streets)
                .then(|| g.street_near(w, z, px).map(|id| (import, id)))
                .flatten()
        });
        match found {
            Some((import, id)) => {
                let shown = shown.clone();
                self.engine
                    .street(import, id, Box::new(move |info| shown.emit(info)));
            }
            None => shown.emit(None),
        }
    }
}

/// Properties of [`StreetBox`].
#[derive(yew::Properties, PartialEq)]
pub(super) struct StreetBoxProps {
    pub(super) info: StreetInfo,
    pub(super) lang: crate::web::i18n::Lang,
    pub(super) on_close: Callback<Option<StreetInfo>>,
}

/// The street a click landed near: name, class, length.
#[yew::component]
pub(super) fn StreetBox(p: &StreetBoxProps) -> yew::Html {
    let t = p.lang.tiles();
    let close = p.on_close.reform(|_: yew::MouseEvent| None);
    let name = p.info.name.clone().unwrap_or_else(|| t.unnamed.to_owned());
    yew::html! {
        <div class="sq-map-note sq-street-note" id="street-info" role="status" data-highway={p.info.highway.clone()}>
            <strong>{ t.street }</strong>{ " " }
            <span id="street-info-name">{ name }</span>{ " · " }
            <span>{ t.class(&p.info.highway) }</span>{ " · " }
            <span>{ format!("{} {} {}", t.length, p.lang.int(p.info.length_m.round()), t.metres) }</span>
            <button type="button" class="close" aria-label={t.close} onclick={close}>{ "×" }</button>
        </div>
    }
}
