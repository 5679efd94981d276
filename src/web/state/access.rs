//! The supply–demand feature (issue 14): the ratios' method, the surface's cell size and the
//! layer it draws, the requests in flight, the ratios and surface answers, and the typed error
//! of the last failed request. The walking profile and the standards preset are the coverage
//! settings ([`super::coverage::CovSettings`]): they drive the assessment too.
//!
//! Nothing computed half-way is shown: a failure drops both answers, and new settings or data
//! make them out of date.

use std::rc::Rc;

use yew::prelude::*;

use crate::plan::access::{Method, SurfaceParams};
use crate::plan::engine::EngineError;
use crate::web::protocol::{AccessAnswer, SurfaceAnswer};

use super::coverage::CovSettings;

/// What the surface draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SurfaceLayer {
    /// Base categories within their threshold (0–6).
    #[default]
    Within,
    /// Minutes to the nearest of one target (index into the surface's targets).
    Minutes(usize),
    /// The gravity score.
    Gravity,
}

impl SurfaceLayer {
    /// The select's value: `within`, `gravity` or `t<k>`.
    pub fn value(self) -> String {
        match self {
            Self::Within => "within".to_owned(),
            Self::Gravity => "gravity".to_owned(),
            Self::Minutes(k) => format!("t{k}"),
        }
    }

    /// Reads a select value.
    pub fn from_value(v: &str) -> Option<Self> {
        match v {
            "within" => Some(Self::Within),
            "gravity" => Some(Self::Gravity),
            x => Some(Self::Minutes(x.strip_prefix('t')?.parse().ok()?)),
        }
    }
}

/// Which request is in flight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Job {
    /// The ratios.
    Ratios,
    /// The surface.
    Surface,
    /// The surface as a file: GeoJSON grid (true) or CSV.
    File(bool),
}

/// A surface file written by the worker, waiting to be saved.
#[derive(Debug, Clone, PartialEq)]
pub struct SurfaceFile {
    /// GeoJSON grid (true) or CSV.
    pub geojson: bool,
    /// The text.
    pub text: Rc<str>,
}

/// The supply–demand state.
#[derive(Debug, Clone, PartialEq)]
pub struct AccessState {
    /// 2SFCA or E2SFCA.
    pub method: Method,
    /// Surface cell size, metres (as typed: the worker names a bad one).
    pub cell_m: f64,
    /// What the surface draws.
    pub layer: SurfaceLayer,
    /// The request in flight: its number and kind.
    pub running: Option<(u64, Job)>,
    /// The latest ratios.
    pub ratios: Option<Rc<AccessAnswer>>,
    /// The latest surface.
    pub surface: Option<Rc<SurfaceAnswer>>,
    /// Why the last request failed.
    pub error: Option<EngineError>,
    /// A surface file to save.
    pub file: Option<SurfaceFile>,
}

impl Default for AccessState {
    fn default() -> Self {
        Self {
            method: Method::TwoStep,
            cell_m: 100.0,
            layer: SurfaceLayer::Within,
            running: None,
            ratios: None,
            surface: None,
            error: None,
            file: None,
        }
    }
}

impl AccessState {
    /// The ratios' parameters under the coverage settings (profile, preset, minutes).
    pub fn ratio_params(&self, cov: CovSettings) -> crate::plan::access::Params {
        crate::plan::access::Params {
            method: self.method,
            standard: cov.standard,
            coverage: cov.params(),
            ..crate::plan::access::Params::default()
        }
    }

    /// The surface's parameters under the coverage settings.
    pub fn surface_params(&self, cov: CovSettings) -> SurfaceParams {
        let c = cov.params();
        SurfaceParams {
            cell_m: self.cell_m,
            thresholds: c.thresholds,
            standard: cov.standard,
            speed_m_per_min: c.speed_m_per_min,
            avoid_steps: c.avoid_steps,
            ..SurfaceParams::default()
        }
    }
}

/// Changes of [`AccessState`].
#[derive(Debug, Clone)]
pub enum AccessAction {
    /// A request was sent with this number.
    Started(u64, Job),
    /// Ratios arrived.
    Ratios(Rc<AccessAnswer>),
    /// A surface arrived.
    Surface(Rc<SurfaceAnswer>),
    /// A surface file arrived: (request number, GeoJSON or CSV, text).
    File(u64, bool, Rc<str>),
    /// The file was saved.
    FileSaved,
    /// A request failed: nothing computed half-way stays on screen.
    Failed(u64, EngineError),
    /// Another method (the ratios are out of date).
    Method(Method),
    /// Another cell size (the next surface uses it).
    Cell(f64),
    /// Another surface layer.
    Layer(SurfaceLayer),
    /// The settings or data changed: both answers are out of date, one in flight is dropped.
    Invalidate,
    /// Another package.
    Reset,
}

impl Reducible for AccessState {
    type Action = AccessAction;

    fn reduce(self: Rc<Self>, action: AccessAction) -> Rc<Self> {
        let mut s = (*self).clone();
        let awaited = |seq: u64| s.running.is_some_and(|(r, _)| r == seq);
        match action {
            AccessAction::Started(seq, job) => s.running = Some((seq, job)),
            AccessAction::Ratios(a) => {
                if !awaited(a.seq) {
                    return self;
                }
                s.running = None;
                s.error = None;
                s.ratios = Some(a);
            }
            AccessAction::Surface(a) => {
                if !awaited(a.seq) {
                    return self;
                }
                s.running = None;
                s.error = None;
                s.surface = Some(a);
            }
            AccessAction::File(seq, geojson, text) => {
                if !awaited(seq) {
                    return self;
                }
                s.running = None;
                s.file = Some(SurfaceFile { geojson, text });
            }
            AccessAction::FileSaved => {
                if s.file.is_none() {
                    return self;
                }
                s.file = None;
            }
            AccessAction::Failed(seq, e) => {
                if !awaited(seq) {
                    return self;
                }
                s.running = None;
                s.ratios = None;
                s.surface = None;
                s.error = Some(e);
            }
            AccessAction::Method(m) => {
                if m == s.method {
                    return self;
                }
                s.method = m;
                s.ratios = None;
            }
            AccessAction::Cell(c) => s.cell_m = c,
            AccessAction::Layer(l) => s.layer = l,
            AccessAction::Invalidate | AccessAction::Reset => {
                if s.running.is_none()
                    && s.file.is_none()
                    && s.ratios.is_none()
                    && s.surface.is_none()
                    && s.error.is_none()
                {
                    return self;
                }
                s.running = None;
                s.ratios = None;
                s.surface = None;
                s.error = None;
                s.file = None;
            }
        }
        Rc::new(s)
    }
}

/// The context of [`AccessState`].
pub type AccessContext = UseReducerHandle<AccessState>;

/// The supply–demand state.
#[hook]
pub fn use_access() -> AccessContext {
    super::use_feature::<AccessState>()
}
