//! The coverage feature (供需匹配评估): settings (threshold, walking profile, standards preset),
//! the run in the worker with its progress, the answer, the categories counted on the map and
//! the selected unit.

use std::rc::Rc;

use yew::prelude::*;

use crate::plan::access::Standard;
use crate::plan::graph::{SnapOptions, WalkProfile};
use crate::web::protocol::CoverageAnswer;

/// Parameters the planner sets in the panel.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CovSettings {
    /// Default threshold, minutes (targets the standard does not set).
    pub minutes: f64,
    /// Who is walking (standard, elderly, wheelchair or a custom speed; `walk=` in the URL).
    pub profile: WalkProfile,
    /// Standards preset (GB 50180-2018, MOFCOM 2021, Qingdao 2025, custom; `std=` in the URL).
    pub standard: Standard,
}

impl Default for CovSettings {
    fn default() -> Self {
        Self {
            minutes: 15.0,
            profile: WalkProfile::STANDARD,
            standard: Standard::Qingdao2025,
        }
    }
}

impl CovSettings {
    /// The settings a link asks for (`walk=`, `std=`; the URL parser dropped bad values).
    pub fn from_url(url: &crate::web::url::UrlState) -> Self {
        let d = Self::default();
        Self {
            profile: url.walk.unwrap_or(d.profile),
            standard: url.standard.unwrap_or(d.standard),
            ..d
        }
    }

    /// The core's parameters: the preset's thresholds (with `minutes` for the targets it does
    /// not set) at the profile's pace and rule on steps.
    pub fn params(self) -> crate::plan::coverage::Params {
        let mut thresholds = self.standard.thresholds();
        thresholds.default_minutes = self.minutes;
        let w = self.profile;
        crate::plan::coverage::Params {
            thresholds,
            speed_m_per_min: w.speed_m_per_min,
            avoid_steps: w.avoid_steps,
            snap: SnapOptions {
                avoid_steps: w.avoid_steps,
                ..SnapOptions::default()
            },
            ..crate::plan::coverage::Params::default()
        }
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
            // The same settings again (a second change event for one edit): the answer or the
            // run in flight stays valid.
            CoverageAction::Settings(c) if c == s.settings => return self,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_settings_twice_keep_the_run_and_new_ones_drop_it() {
        let s = Rc::new(CoverageState::default());
        let s = s.reduce(CoverageAction::Started(7));
        let same = s.clone().reduce(CoverageAction::Settings(s.settings));
        assert!(
            Rc::ptr_eq(&s, &same),
            "a repeated change event is not a new setting"
        );
        let slower = CovSettings {
            profile: WalkProfile::with_speed(48.0),
            ..s.settings
        };
        let t = s.reduce(CoverageAction::Settings(slower));
        assert_eq!((t.running, t.settings), (None, slower));
        // A speed that is not a number is never "the same": it always clears.
        let nan = CovSettings {
            profile: WalkProfile::with_speed(f64::NAN),
            ..slower
        };
        let u = t.reduce(CoverageAction::Settings(nan));
        let v = u.clone().reduce(CoverageAction::Settings(nan));
        assert!(!Rc::ptr_eq(&u, &v));
    }

    #[test]
    fn presets_and_profiles_become_the_assessments_parameters() {
        let c = CovSettings {
            minutes: 10.0,
            profile: WalkProfile::WHEELCHAIR,
            standard: Standard::Mofcom2021,
        };
        let p = c.params();
        // Values copied through, not computed: compared to the bit.
        assert_eq!(p.speed_m_per_min.to_bits(), 50.0_f64.to_bits());
        assert!(p.avoid_steps && p.snap.avoid_steps);
        let store = crate::plan::model::Category::Store;
        assert_eq!(p.thresholds.category(store).to_bits(), 5.0_f64.to_bits());
        // Targets the preset does not set take the panel's minutes.
        assert_eq!(p.thresholds.station().to_bits(), 10.0_f64.to_bits());
        let url = crate::web::url::UrlState::parse("?walk=elderly&std=gb50180");
        let from = CovSettings::from_url(&url);
        assert_eq!(
            (from.profile, from.standard),
            (WalkProfile::ELDERLY, Standard::Gb50180)
        );
    }
}
