//! The placement feature (站点选址): settings, candidates clicked on the map, the run in the
//! worker with its progress, the answer and the selected site.

use std::rc::Rc;

use yew::prelude::*;

use super::coverage::Running;
use crate::plan::scenario::Site;
use crate::web::protocol::{EngineError, PlaceAnswer};

/// What the planner set in the panel.
#[derive(Debug, Clone, PartialEq)]
pub struct PlaceSettings {
    /// `true`: k sites; `false`: the fewest sites for `target`.
    pub by_k: bool,
    /// New sites (MCLP).
    pub k: usize,
    /// Covered share to reach (LSCP), 0–1.
    pub target: f64,
    /// Walking-time threshold, minutes.
    pub minutes: f64,
    /// Host types left out (empty: all are used).
    pub excluded: Vec<String>,
    /// Use the loaded candidate layers.
    pub use_layers: bool,
    /// Seconds the exact search may run (default 2).
    pub time_limit_s: f64,
    /// People each station can serve (`None`: no limit).
    pub capacity: Option<f64>,
    /// Existing stations may close.
    pub allow_close: bool,
}

impl Default for PlaceSettings {
    fn default() -> Self {
        Self {
            by_k: true,
            k: 5,
            target: 0.9,
            minutes: 15.0,
            excluded: Vec::new(),
            use_layers: true,
            time_limit_s: 2.0,
            capacity: None,
            allow_close: false,
        }
    }
}

impl PlaceSettings {
    /// The engine's parameters.
    pub fn params(
        &self,
        host_types: &[(String, usize)],
        extra: &[Site],
    ) -> crate::plan::engine::PlaceParams {
        crate::plan::engine::PlaceParams {
            minutes: self.minutes,
            speed_m_per_min: super::DEFAULT_SPEED_M_PER_MIN,
            k: self.by_k.then_some(self.k),
            target_share: self.target,
            host_types: if self.excluded.is_empty() {
                Vec::new()
            } else {
                host_types
                    .iter()
                    .filter(|(h, _)| !self.excluded.contains(h))
                    .map(|(h, _)| h.clone())
                    .collect()
            },
            // Every host type unticked: no layer candidate (an empty list would mean "all").
            use_layers: self.use_layers
                && (self.excluded.is_empty()
                    || host_types.iter().any(|(h, _)| !self.excluded.contains(h))),
            extra: extra.to_vec(),
            time_limit_s: self.time_limit_s,
            capacity: self.capacity,
            allow_close: self.allow_close,
            ..crate::plan::engine::PlaceParams::default()
        }
    }
}

/// Why the last placement has no answer.
#[derive(Debug, Clone, PartialEq)]
pub enum PlaceNotice {
    /// The planner cancelled it.
    Cancelled,
    /// The engine refused or failed.
    Failed(EngineError),
}

/// Placement settings, run and answer.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PlaceState {
    /// Settings.
    pub settings: PlaceSettings,
    /// Points clicked on the map as candidates.
    pub extra: Rc<Vec<Site>>,
    /// Map clicks add candidates.
    pub picking: bool,
    /// The request being computed.
    pub running: Option<Running>,
    /// The latest placement.
    pub answer: Option<Rc<PlaceAnswer>>,
    /// Why the last run has no answer.
    pub notice: Option<PlaceNotice>,
    /// Selected chosen site.
    pub selected: Option<usize>,
}

/// Changes of [`PlaceState`].
#[derive(Debug, Clone)]
pub enum PlaceAction {
    /// New settings.
    Settings(PlaceSettings),
    /// Map picking on or off.
    Picking(bool),
    /// A point clicked on the map (lon, lat) becomes a candidate named `{name} {n}`.
    AddClicked((f64, f64), String),
    /// Forget the clicked candidates.
    ClearExtra,
    /// A request was sent with this number.
    Started(u64),
    /// Progress: (number, done, total).
    Progress(u64, usize, usize),
    /// An answer arrived.
    Answer(Rc<PlaceAnswer>),
    /// A request failed.
    Failed(u64, EngineError),
    /// Stop waiting for the placement.
    Cancel,
    /// Select a chosen site.
    Select(usize),
    /// Another package.
    Reset,
}

impl Reducible for PlaceState {
    type Action = PlaceAction;

    fn reduce(self: Rc<Self>, action: PlaceAction) -> Rc<Self> {
        let mut s = (*self).clone();
        let awaited = |seq: u64| s.running.is_some_and(|r| r.seq == seq);
        match action {
            PlaceAction::Settings(p) => s.settings = p,
            PlaceAction::Picking(on) => s.picking = on,
            PlaceAction::AddClicked(p, name) => {
                let mut extra = (*s.extra).clone();
                let n = extra.len() + 1;
                let (lon, lat) = ((p.0 * 1e5).round() / 1e5, (p.1 * 1e5).round() / 1e5);
                // The id is the place (1 m): unique across sessions and scenarios, and the
                // same point clicked twice is one candidate.
                let id = format!("click:{lon:.5}:{lat:.5}");
                if !extra.iter().any(|x| x.id == id) {
                    extra.push(Site {
                        id,
                        name: format!("{name} {n}"),
                        lon,
                        lat,
                        host_type: None,
                    });
                }
                s.extra = Rc::new(extra);
            }
            PlaceAction::ClearExtra => s.extra = Rc::new(Vec::new()),
            PlaceAction::Started(seq) => {
                s.running = Some(Running::new(seq));
                s.notice = None;
            }
            PlaceAction::Progress(seq, done, total) => {
                if !awaited(seq) {
                    return self;
                }
                s.running = Some(Running { seq, done, total });
            }
            PlaceAction::Answer(a) => {
                if !awaited(a.seq) {
                    return self;
                }
                s.running = None;
                s.selected = None;
                s.answer = Some(a);
            }
            PlaceAction::Failed(seq, e) => {
                if !awaited(seq) {
                    return self;
                }
                s.running = None;
                s.notice = Some(PlaceNotice::Failed(e));
            }
            PlaceAction::Cancel => {
                s.running = None;
                s.notice = Some(PlaceNotice::Cancelled);
            }
            PlaceAction::Select(i) => s.selected = Some(i),
            PlaceAction::Reset => {
                s.answer = None;
                s.extra = Rc::new(Vec::new());
                s.running = None;
                s.notice = None;
                s.selected = None;
            }
        }
        Rc::new(s)
    }
}

/// The context of [`PlaceState`].
pub type PlaceContext = UseReducerHandle<PlaceState>;

/// The placement state.
#[hook]
pub fn use_place() -> PlaceContext {
    super::use_feature::<PlaceState>()
}
