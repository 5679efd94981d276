//! The coverage feature (供需匹配评估): settings, the run in the worker with its progress, the
//! answer, the categories counted on the map and the selected unit.

use std::rc::Rc;

use yew::prelude::*;

use crate::plan::model::Category;
use crate::web::protocol::CoverageAnswer;

/// Parameters the planner sets in the panel.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CovSettings {
    /// Default threshold, minutes.
    pub minutes: f64,
    /// MOFCOM's nearer targets (store 5, market 8).
    pub mofcom: bool,
}

impl Default for CovSettings {
    fn default() -> Self {
        Self {
            minutes: 15.0,
            mofcom: false,
        }
    }
}

impl CovSettings {
    /// The core's parameters.
    pub fn params(self) -> crate::plan::coverage::Params {
        let mut p = crate::plan::coverage::Params::default();
        p.thresholds.default_minutes = self.minutes;
        if self.mofcom {
            p.thresholds.categories.insert(Category::Store, 5.0);
            p.thresholds.categories.insert(Category::Market, 8.0);
        }
        p
    }
}

/// A request being computed: its number and progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Running {
    /// The request's number.
    pub seq: u64,
    /// Steps done.
    pub done: usize,
    /// Steps in all.
    pub total: usize,
}

impl Running {
    /// A request just sent.
    pub const fn new(seq: u64) -> Self {
        Self {
            seq,
            done: 0,
            total: 1,
        }
    }
}

/// The assessment and its view.
#[derive(Debug, Clone, PartialEq)]
pub struct CoverageState {
    /// Settings.
    pub settings: CovSettings,
    /// The request being computed.
    pub running: Option<Running>,
    /// The latest answer.
    pub answer: Option<Rc<CoverageAnswer>>,
    /// Base categories counted on the map (bit mask over `Category::BASE_SIX`).
    pub mask: u8,
    /// Selected unit.
    pub selected: Option<usize>,
    /// The planner cancelled (or the run failed): no automatic re-run until asked.
    pub cancelled: bool,
    /// The planner's own cancel stopped the last run (the panel says so).
    pub stopped: bool,
}

impl Default for CoverageState {
    fn default() -> Self {
        Self {
            settings: CovSettings::default(),
            running: None,
            answer: None,
            mask: 0b11_1111,
            selected: None,
            cancelled: false,
            stopped: false,
        }
    }
}

/// Changes of [`CoverageState`].
#[derive(Debug, Clone)]
pub enum CoverageAction {
    /// A request was sent with this number.
    Started(u64),
    /// Progress of a request: (number, done, total).
    Progress(u64, usize, usize),
    /// An answer arrived.
    Answer(Rc<CoverageAnswer>),
    /// A request failed (the banner says why): no automatic re-run.
    Failed(u64),
    /// Stop waiting for the assessment.
    Cancel,
    /// New settings (the answer is out of date).
    Settings(CovSettings),
    /// New map mask.
    Mask(u8),
    /// Select a unit.
    Select(Option<usize>),
    /// The data changed: the answer is out of date and one in flight is dropped.
    Invalidate,
    /// Another package.
    Reset,
}

impl Reducible for CoverageState {
    type Action = CoverageAction;

    fn reduce(self: Rc<Self>, action: CoverageAction) -> Rc<Self> {
        let mut s = (*self).clone();
        let awaited = |seq: u64| s.running.is_some_and(|r| r.seq == seq);
        match action {
            CoverageAction::Started(seq) => {
                s.cancelled = false;
                s.stopped = false;
                s.running = Some(Running::new(seq));
            }
            CoverageAction::Progress(seq, done, total) => {
                if !awaited(seq) {
                    return self;
                }
                s.running = Some(Running { seq, done, total });
            }
            CoverageAction::Answer(a) => {
                if !awaited(a.seq) {
                    return self;
                }
                s.running = None;
                if s.selected.is_some_and(|u| u >= a.coverage.units.len()) {
                    s.selected = None;
                }
                s.answer = Some(a);
            }
            CoverageAction::Failed(seq) => {
                if !awaited(seq) {
                    return self;
                }
                s.running = None;
                s.cancelled = true;
            }
            CoverageAction::Cancel => {
                s.stopped = s.running.is_some();
                s.running = None;
                s.cancelled = true;
            }
            CoverageAction::Settings(c) => {
                s.settings = c;
                s.cancelled = false;
                s.stopped = false;
                s.running = None;
                s.answer = None;
            }
            CoverageAction::Mask(m) => s.mask = m,
            CoverageAction::Select(u) => s.selected = u,
            CoverageAction::Invalidate => {
                s.running = None;
                s.answer = None;
                s.selected = None;
            }
            CoverageAction::Reset => {
                s.running = None;
                s.answer = None;
                s.selected = None;
                s.cancelled = false;
                s.stopped = false;
            }
        }
        Rc::new(s)
    }
}

/// The context of [`CoverageState`].
pub type CoverageContext = UseReducerHandle<CoverageState>;

/// The coverage state.
#[hook]
pub fn use_coverage() -> CoverageContext {
    super::use_feature::<CoverageState>()
}
