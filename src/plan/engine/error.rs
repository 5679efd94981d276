//! The one error type of the session engine: every way a request can fail, with the values a
//! reader needs (distances in metres, speeds in metres per minute, minutes, shares in 0–1).
//!
//! `Display` is the English sentence the CLI and the tests read; the web page renders each
//! variant itself, in the reader's language (`web::i18n::errors`). Adding a variant makes the
//! page's renderer fail to compile until both languages have it.

use serde::{Deserialize, Serialize};

/// Why the engine could not answer a request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, thiserror::Error)]
#[non_exhaustive]
pub enum EngineError {
    /// The package's manifest does not parse: its problems, in order.
    #[error("manifest: {}", problems.join("; "))]
    Manifest {
        /// One line per problem (field and reason).
        problems: Vec<String>,
    },
    /// A point is not a WGS-84 position.
    #[error("({lon}, {lat}) is not a WGS-84 position")]
    InvalidPosition {
        /// Longitude as given.
        lon: f64,
        /// Latitude as given.
        lat: f64,
    },
    /// A walking speed that is not a positive number of metres per minute.
    #[error("speed {m_per_min}: expected > 0 m/min")]
    InvalidSpeed {
        /// Metres per minute as given.
        m_per_min: f64,
    },
    /// A walking time outside 1–120 minutes.
    #[error("walking time {minutes}: expected 1–120 minutes")]
    InvalidMinutes {
        /// Minutes as given.
        minutes: f64,
    },
    /// A target share outside 0–1.
    #[error("target share {share}: expected a share between 0 and 1")]
    InvalidShare {
        /// The share as given.
        share: f64,
    },
    /// Assessment parameters the core refuses (thresholds, speed): the core's reason.
    #[error("parameters: {what}")]
    InvalidParams {
        /// Which parameter and why.
        what: String,
    },
    /// A resident query out of range (minutes, filters): the core's reason.
    #[error("invalid query: {what}")]
    InvalidQuery {
        /// Which parameter and why.
        what: String,
    },
    /// A placement time budget that is not a positive number of seconds.
    #[error("time limit {seconds} s: expected a number of seconds > 0")]
    InvalidTimeLimit {
        /// Seconds as given.
        seconds: f64,
    },
    /// A station capacity that is negative or not a number.
    #[error("capacity {capacity}: expected a number of people ≥ 0")]
    InvalidCapacity {
        /// The capacity as given.
        capacity: f64,
    },
    /// More new sites asked for than there are candidates.
    #[error("k = {k}: there are only {candidates} candidate sites")]
    TooManySites {
        /// Sites asked for.
        k: usize,
        /// Candidate sites there are.
        candidates: usize,
    },
    /// The analysis needs demand points and none are loaded.
    #[error("no demand points are loaded: import a demand layer (lon, lat, weight)")]
    NoDemand,
    /// Placement found no candidate site.
    #[error("no candidate sites: choose a host type, import candidates or click the map")]
    NoCandidates,
    /// A point is farther from the walking network than the snapping limit.
    #[error("the point is {distance_m:.0} m from the walking network (limit {limit_m:.0} m)")]
    OffNetwork {
        /// Distance to the nearest street, metres.
        distance_m: f64,
        /// The snapping limit, metres.
        limit_m: f64,
    },
    /// The walking network has no usable edge.
    #[error("the walking network is empty")]
    EmptyNetwork,
    /// The request was cancelled before it finished.
    #[error("cancelled")]
    Cancelled,
    /// A state the engine should never reach (a bug): what it was.
    #[error("internal error: {what}")]
    Internal {
        /// What went wrong.
        what: String,
    },
    /// The analysis worker stopped (a crash, or the browser reclaimed it) while computing
    /// this; a new worker was started with the same data, and the request can be asked again.
    #[error("the analysis worker stopped before this finished; a new one was started")]
    WorkerStopped,
    /// The accessibility surface needs a street network and the package has none.
    #[error("the accessibility surface needs a street network; this package has none")]
    NoNetwork,
    /// A surface cell size that is not a positive number of metres.
    #[error("cell size {cell_m} m is not a positive number of metres")]
    InvalidCellSize {
        /// The cell size as given, metres.
        cell_m: f64,
    },
    /// A surface cell size that gives more cells than the limit.
    #[error("cell size {cell_m} m gives {cells} cells, more than the limit of {limit}")]
    TooManyCells {
        /// The cell size, metres.
        cell_m: f64,
        /// Cells it would give.
        cells: u64,
        /// The limit.
        limit: u64,
    },
    /// A target supply–demand ratio that is not a positive number.
    #[error("target ratio {value} for {target} is not a positive number")]
    InvalidTargetRatio {
        /// The target's id (`station` or a category id).
        target: String,
        /// The value given.
        value: f64,
    },
    /// Network edits (an imported edits file, a scenario's edits) that cannot be applied:
    /// every problem by feature and field; nothing was applied.
    #[error("{file}: {} problem(s), no edit applied: {}", problems.len(), edit_list(problems))]
    NetworkEdits {
        /// The file (or `scenario`).
        file: String,
        /// Every problem, in feature order.
        problems: Vec<super::EditIssue>,
    },
    /// A package export asked for before any package was loaded.
    #[error("no package is loaded: nothing to export")]
    NothingToExport,
}

fn edit_list(p: &[super::EditIssue]) -> String {
    p.iter()
        .map(|i| match i.feature {
            Some(k) => format!("feature {k}: {}: {:?}", i.field, i.kind),
            None => format!("collection: {}: {:?}", i.field, i.kind),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

impl EngineError {
    /// One example of every variant (for the renderers' tests: each must read in every language).
    pub fn examples() -> Vec<EngineError> {
        vec![
            EngineError::Manifest {
                problems: vec!["layers[0].kind: unknown".to_owned()],
            },
            EngineError::InvalidPosition {
                lon: 200.0,
                lat: 1.0,
            },
            EngineError::InvalidSpeed { m_per_min: 0.0 },
            EngineError::InvalidMinutes { minutes: 200.0 },
            EngineError::InvalidShare { share: 1.5 },
            EngineError::InvalidParams {
                what: "speed".to_owned(),
            },
            EngineError::InvalidQuery {
                what: "minutes".to_owned(),
            },
            EngineError::InvalidTimeLimit { seconds: 0.0 },
            EngineError::InvalidCapacity { capacity: -1.0 },
            EngineError::TooManySites {
                k: 12,
                candidates: 5,
            },
            EngineError::NoDemand,
            EngineError::NoCandidates,
            EngineError::OffNetwork {
                distance_m: 812.0,
                limit_m: 300.0,
            },
            EngineError::EmptyNetwork,
            EngineError::Cancelled,
            EngineError::Internal {
                what: "no coverage matrix".to_owned(),
            },
            EngineError::WorkerStopped,
            EngineError::NoNetwork,
            EngineError::InvalidCellSize { cell_m: 0.0 },
            EngineError::TooManyCells {
                cell_m: 2.0,
                cells: 9_000_000,
                limit: 4_000_000,
            },
            EngineError::InvalidTargetRatio {
                target: "childcare".to_owned(),
                value: -1.0,
            },
            EngineError::NetworkEdits {
                file: "edits.geojson".to_owned(),
                problems: vec![super::EditIssue {
                    feature: Some(1),
                    field: "edit".to_owned(),
                    kind: super::EditIssueKind::UnknownEdit {
                        value: "demolish".to_owned(),
                    },
                }],
            },
            EngineError::NothingToExport,
        ]
    }
}

impl From<EngineError> for String {
    /// The English sentence (for the CLI, which reports errors as text).
    fn from(e: EngineError) -> Self {
        e.to_string()
    }
}
