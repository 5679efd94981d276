//! The resident feature: the query (minutes, filters, profile), the worker's answer, the
//! selected posting and the walking route to it.

use std::rc::Rc;

use yew::prelude::*;

use crate::plan::nearby::{MatchProfile, Query};
use crate::web::protocol::{EngineError, NearbyShown, RouteAnswer};

/// The resident query and its answer.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NearbyState {
    /// The query.
    pub query: Query,
    /// The number of the request whose answer is awaited.
    pub seq: u64,
    /// The latest answer.
    pub answer: Option<Rc<NearbyShown>>,
    /// The latest failure (e.g. the home is off the network).
    pub error: Option<EngineError>,
    /// Selected posting (position in the list).
    pub selected: Option<usize>,
    /// The number of the route request awaited.
    pub route_seq: u64,
    /// Route to the selected posting.
    pub route: Option<Rc<RouteAnswer>>,
    /// The community search: the number of the request awaited (its text is the latest typed).
    pub places_seq: u64,
    /// The number of the request whose places are in [`NearbyState::places_found`].
    pub places_answered: u64,
    /// The community search's places (positions in the load's places), best first.
    pub places_found: Rc<Vec<usize>>,
}

impl NearbyState {
    /// A fresh state with the profile kept in this browser.
    pub fn with_stored_profile() -> Self {
        Self {
            query: Query {
                profile: load_profile(),
                ..Query::default()
            },
            ..Self::default()
        }
    }
}

/// Changes of [`NearbyState`].
#[derive(Debug, Clone)]
pub enum NearbyAction {
    /// A new query.
    Query(Query),
    /// A request was sent with this number.
    Sent(u64),
    /// An answer arrived.
    Answer(Rc<NearbyShown>),
    /// A request failed: (its number, why).
    Failed(u64, EngineError),
    /// Select a posting.
    Select(usize),
    /// A route request was sent with this number.
    RouteSent(u64),
    /// A route arrived: (request number, route).
    Route(u64, Option<Rc<RouteAnswer>>),
    /// The data changed: the answer is out of date (it is asked again).
    Invalidate,
    /// A community search was sent with this number.
    PlacesSent(u64),
    /// A community search's places arrived: (request number, places).
    PlacesFound(u64, Rc<Vec<usize>>),
}

impl Reducible for NearbyState {
    type Action = NearbyAction;

    fn reduce(self: Rc<Self>, action: NearbyAction) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            NearbyAction::Query(q) => s.query = q,
            NearbyAction::Sent(seq) => s.seq = seq,
            NearbyAction::Answer(a) => {
                if a.seq != s.seq {
                    return self;
                }
                s.error = None;
                s.selected = None;
                s.route = None;
                s.answer = Some(a);
            }
            NearbyAction::Failed(seq, e) => {
                if seq != s.seq {
                    return self;
                }
                s.answer = None;
                s.error = Some(e);
            }
            NearbyAction::Select(i) => {
                s.selected = Some(i);
                s.route = None;
            }
            NearbyAction::RouteSent(seq) => s.route_seq = seq,
            NearbyAction::Route(seq, r) => {
                if seq != s.route_seq {
                    return self;
                }
                s.route = r;
            }
            NearbyAction::Invalidate => {
                s.answer = None;
                s.route = None;
                s.selected = None;
            }
            NearbyAction::PlacesSent(seq) => s.places_seq = seq,
            NearbyAction::PlacesFound(seq, found) => {
                if seq != s.places_seq {
                    return self;
                }
                s.places_answered = seq;
                s.places_found = found;
            }
        }
        Rc::new(s)
    }
}

/// The context of [`NearbyState`].
pub type NearbyContext = UseReducerHandle<NearbyState>;

/// The resident state.
#[hook]
pub fn use_nearby() -> NearbyContext {
    super::use_feature::<NearbyState>()
}

/// Local-storage key of the saved profile (versioned).
pub const PROFILE_KEY: &str = "shuangquan.profile.v1";

/// Reads the saved profile.
pub fn load_profile() -> Option<MatchProfile> {
    serde_json::from_str(&crate::web::store::get(PROFILE_KEY)?).ok()
}

/// Saves (or with `None` forgets) the profile; a refused write is announced, not lost silently.
pub fn save_profile(p: Option<&MatchProfile>) {
    use crate::web::store;
    match p.and_then(|p| serde_json::to_string(p).ok()) {
        Some(t) => {
            store::put(store::Saved::Profile, PROFILE_KEY, &t);
        }
        None => store::remove(PROFILE_KEY),
    }
}
