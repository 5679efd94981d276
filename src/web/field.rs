//! A text or number field that keeps what the planner is typing.
//!
//! yew sets an input's `value` on every render of its component when the DOM's text differs
//! from the rendered value. A field whose value is committed only on `change` (blur or Enter)
//! therefore lost the text being typed whenever its panel re-rendered for another reason: a
//! worker's progress, an answer, another control of the same panel. [`Field`] holds the typed
//! text as a draft until it is committed: the draft is shown while it exists, and it is
//! dropped on `change` and whenever the committed value changes, so the field then shows the
//! value the state took (a clamped number, or blank for text that is not one).

use web_sys::HtmlInputElement;
use yew::prelude::*;

/// A field's attributes and its committed value.
#[derive(Properties, PartialEq, Clone)]
pub struct FieldProps {
    /// Element id.
    pub id: AttrValue,
    /// Input type (`text`, `number`).
    #[prop_or(AttrValue::Static("text"))]
    pub kind: AttrValue,
    /// The committed value.
    pub value: AttrValue,
    /// Called on `change` (the planner committed the text).
    pub onchange: Callback<Event>,
    /// `min`, `max`, `step`, `size`, `inputmode`, `placeholder`, `autocomplete`, `spellcheck`,
    /// `aria-label`, `aria-invalid` when given.
    #[prop_or_default]
    pub min: Option<AttrValue>,
    #[prop_or_default]
    pub max: Option<AttrValue>,
    #[prop_or_default]
    pub step: Option<AttrValue>,
    #[prop_or_default]
    pub size: Option<AttrValue>,
    #[prop_or_default]
    pub inputmode: Option<AttrValue>,
    #[prop_or_default]
    pub placeholder: Option<AttrValue>,
    #[prop_or_default]
    pub autocomplete: Option<AttrValue>,
    #[prop_or_default]
    pub spellcheck: Option<AttrValue>,
    #[prop_or_default]
    pub aria_label: Option<AttrValue>,
    #[prop_or_default]
    pub aria_invalid: Option<AttrValue>,
    /// Disabled.
    #[prop_or_default]
    pub disabled: bool,
}

/// An `<input>` that keeps the text being typed across re-renders (see the module's doc).
#[component]
pub fn Field(p: &FieldProps) -> Html {
    let draft = use_state_eq(|| None::<String>);
    {
        let draft = draft.clone();
        use_effect_with(p.value.clone(), move |_| draft.set(None));
    }
    let oninput = {
        let draft = draft.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(i) = e.target_dyn_into::<HtmlInputElement>() {
                draft.set(Some(i.value()));
            }
        })
    };
    let onchange = {
        let draft = draft.clone();
        let commit = p.onchange.clone();
        Callback::from(move |e: Event| {
            draft.set(None);
            commit.emit(e);
        })
    };
    let shown = draft
        .as_ref()
        .map_or_else(|| p.value.clone(), |d| AttrValue::from(d.clone()));
    html! {
        <input id={p.id.clone()} type={p.kind.clone()} value={shown}
            min={p.min.clone()} max={p.max.clone()} step={p.step.clone()} size={p.size.clone()}
            inputmode={p.inputmode.clone()} placeholder={p.placeholder.clone()}
            autocomplete={p.autocomplete.clone()} spellcheck={p.spellcheck.clone()}
            aria-label={p.aria_label.clone()}
            aria-invalid={p.aria_invalid.clone()} disabled={p.disabled}
            {oninput} {onchange} />
    }
}
