//! The map-view feature: interface language, the open tab, planner or resident mode, embedding,
//! the map's view, which layers are shown, and the map's focus requests.

use std::collections::BTreeMap;
use std::rc::Rc;

use yew::prelude::*;

use crate::web::i18n::Lang;
use crate::web::url::UrlState;

/// The side panel's tabs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tab {
    /// Walking circles from a point.
    #[default]
    Iso,
    /// Resident: postings and services near home.
    Nearby,
    /// Dual-circle coverage.
    Coverage,
    /// Station placement.
    Place,
    /// Data: package and imports.
    Data,
}

impl Tab {
    /// Every tab, in order.
    pub const ALL: [Tab; 5] = [Tab::Iso, Tab::Nearby, Tab::Coverage, Tab::Place, Tab::Data];

    /// URL / DOM id.
    pub const fn id(self) -> &'static str {
        match self {
            Tab::Iso => "iso",
            Tab::Nearby => "nearby",
            Tab::Coverage => "coverage",
            Tab::Place => "place",
            Tab::Data => "data",
        }
    }

    /// Parses [`Tab::id`].
    pub fn from_id(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.id() == s)
    }
}

/// A request to zoom the map to one feature of an overlay: (overlay id, feature key, request
/// number — a new number zooms again to the same feature).
pub type Focus = (&'static str, usize, u32);

/// Language, tab, mode and map view.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ViewState {
    /// Interface language.
    pub lang: Lang,
    /// The open tab.
    pub tab: Tab,
    /// Resident mode (no planner panels); `embed` also hides the chrome.
    pub resident: bool,
    /// Embedded in another site (`?embed=1`).
    pub embed: bool,
    /// The map's view (lon, lat, zoom) after the last pan or zoom.
    pub view: Option<(f64, f64, f64)>,
    /// The view the page was opened with (`view=`), used for the first package only.
    pub url_view: Option<(f64, f64, f64)>,
    /// Visibility by layer id (missing = default visibility).
    pub visible: BTreeMap<String, bool>,
    /// The latest zoom request.
    pub focus: Option<Focus>,
}

impl ViewState {
    /// The view a URL asks for.
    pub fn from_url(url: &UrlState) -> Self {
        Self {
            lang: url.lang.unwrap_or_default(),
            resident: url.resident || url.embed,
            embed: url.embed,
            tab: if url.resident || url.embed {
                Tab::Nearby
            } else {
                url.tab
                    .as_deref()
                    .and_then(Tab::from_id)
                    .unwrap_or_default()
            },
            url_view: url.view,
            view: url.view,
            visible: url
                .layers_on
                .iter()
                .map(|id| (id.clone(), true))
                .chain(url.layers_off.iter().map(|id| (id.clone(), false)))
                .collect(),
            focus: None,
        }
    }
}

/// Changes of [`ViewState`].
#[derive(Debug, Clone)]
pub enum ViewAction {
    /// Switch language.
    SetLang(Lang),
    /// Open a tab.
    SetTab(Tab),
    /// Planner or resident mode (resident opens the resident tab).
    SetResident(bool),
    /// The map was panned or zoomed.
    View((f64, f64, f64)),
    /// Show or hide a layer.
    Toggle(String, bool),
    /// Zoom the map to a feature of an overlay.
    Focus(&'static str, usize),
    /// Another package: its own view, not the link's.
    PackageChanged,
}

impl Reducible for ViewState {
    type Action = ViewAction;

    fn reduce(self: Rc<Self>, action: ViewAction) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            ViewAction::SetLang(l) => s.lang = l,
            ViewAction::SetTab(t) => s.tab = t,
            ViewAction::SetResident(r) => {
                s.resident = r;
                if r {
                    s.tab = Tab::Nearby;
                }
            }
            ViewAction::View(v) => s.view = Some(v),
            ViewAction::Toggle(id, on) => {
                s.visible.insert(id, on);
            }
            ViewAction::Focus(overlay, key) => {
                let seq = s.focus.map_or(1, |f| f.2 + 1);
                s.focus = Some((overlay, key, seq));
            }
            ViewAction::PackageChanged => {
                s.url_view = None;
                s.view = None;
            }
        }
        Rc::new(s)
    }
}

/// The context of [`ViewState`].
pub type ViewContext = UseReducerHandle<ViewState>;

/// The view state.
#[hook]
pub fn use_view() -> ViewContext {
    super::use_feature::<ViewState>()
}
