//! The data tab's imported layers: what each dropped file added (layer, count, file name) and a
//! visibility switch per layer (the ids `import-{i}-{kind}` that the map draws them under, see
//! `map::connect`). The network rebuilt from an import is named by `owndata`'s banner.

use yew::prelude::*;

use crate::plan::package::LayerKind;
use crate::web::state::data::use_data;
use crate::web::state::view::use_view;

/// The imported layers (nothing when no file was imported).
#[component]
pub fn ImportedLayers() -> Html {
    let view = use_view();
    let data = use_data();
    let l = view.lang;
    let t = l.imported();
    if data.imports.iter().all(|a| a.layers.is_empty()) {
        return html! {};
    }
    let rows = data.imports.iter().enumerate().flat_map(|(i, a)| {
        a.layers.iter().filter_map(move |(kind, count, _)| {
            let kind = LayerKind::ALL.iter().copied().find(|k| k.id() == kind)?;
            Some((i, kind, *count, a.file.clone()))
        })
    });
    html! {
        <section id="imported-layers" aria-labelledby="imported-heading">
            <h3 id="imported-heading">{ t.heading }</h3>
            <ul class="layer-list">
            { for rows.map(|(i, kind, count, file)| {
                let id = data.imports.layer_id(i, kind);
                let on = view.visible.get(&id).copied().unwrap_or(true);
                let toggle = super::data::visibility_toggle(&view, id.clone());
                html! {
                    <li class="layer-item imported" data-layer={id}>
                        <label>
                            <input type="checkbox" checked={on} onchange={toggle} />
                            { " " }{ l.layer(kind) }
                        </label>
                        { " " }<span class="badge imported">{ t.badge }</span>
                        <span class="count">{ format!(" {} {}", l.int(count as f64), l.text().features) }</span>
                        <dl class="provenance">
                            <dt>{ t.from_file }</dt><dd class="file-name">{ file }</dd>
                        </dl>
                    </li>
                }
            }) }
            </ul>
        </section>
    }
}
