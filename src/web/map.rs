//! The Leaflet map as an imperative island: the component renders one `<div>` that the virtual
//! DOM never touches again; Leaflet owns it, and layers are synced from effects.

use leaflet::{LatLng, Map, MapOptions};
use web_sys::HtmlElement;
use yew::prelude::*;

/// Properties of [`MapView`].
#[derive(Debug, Clone, PartialEq, Properties)]
pub struct MapViewProps {
    /// Initial centre, WGS-84 (lon, lat).
    pub center_wgs84: (f64, f64),
    /// Initial zoom level.
    pub zoom: f64,
    /// Accessible name of the map region.
    pub label: AttrValue,
}

/// The map. Created once on mount, removed on unmount.
#[component]
pub fn MapView(props: &MapViewProps) -> Html {
    let node = use_node_ref();
    {
        let node = node.clone();
        let (lon, lat) = props.center_wgs84;
        let zoom = props.zoom;
        use_effect_with((), move |()| {
            let map = node.cast::<HtmlElement>().and_then(|el| {
                let opts = MapOptions::new();
                opts.set_prefer_canvas(true);
                opts.set_center(LatLng::new(lat, lon));
                opts.set_zoom(zoom);
                Map::new_with_element(&el, &opts).ok()
            });
            if let Some(m) = &map {
                // The map element is keyboard-focusable (Leaflet's keyboard panning).
                if let Some(el) = node.cast::<HtmlElement>() {
                    el.set_tab_index(0);
                }
                m.invalidate_size(false);
            }
            move || {
                if let Some(m) = map {
                    m.remove();
                }
            }
        });
    }
    html! {
        <div class="map" id="map" ref={node} role="application" aria-label={props.label.clone()}></div>
    }
}
