//! The supply–demand questions of the loaded package: 2SFCA/E2SFCA ratios per unit and target
//! (with the capacities the layers carry, and the scenario's accepted sites counted as
//! stations), and the accessibility surface that the worker computes for the map.
//!
//! The app asks through [`Engine::supply_demand`] and [`Engine::accessibility_surface`], whose
//! failures are [`EngineError`]s (the page words them in both languages): the walking speed
//! is checked first, so a custom speed of 0 or NaN is named as a speed.

use serde::{Deserialize, Serialize};

use super::{Engine, EngineError};
use crate::plan::access::{self, Access, AccessError, Surface, SurfaceParams};
use crate::plan::geom::{LonLat, Xy};

/// A ratios answer: the figures and their files.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccessAnswer {
    /// The request number (set by the caller).
    pub seq: u64,
    /// The figures.
    pub access: Access,
    /// The report as CSV ([`Access::report_csv`]).
    pub report_csv: String,
    /// Per point and target ([`Access::points_csv`]).
    pub points_csv: String,
    /// The report as GeoJSON ([`Access::report_geojson`]: units with their boundary or centre).
    #[serde(default)]
    pub report_geojson: String,
    /// Computation time in milliseconds (set by the caller, who has a clock).
    pub compute_ms: f64,
}

/// A surface answer: the grid (the page draws it and writes its exports on demand).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SurfaceAnswer {
    /// The request number (set by the caller).
    pub seq: u64,
    /// The grid.
    pub surface: Surface,
    /// South-west and north-east corners of the grid, WGS-84 `(lon, lat)`.
    pub bounds_wgs84: [(f64, f64); 2],
    /// Computation time in milliseconds (set by the caller).
    pub compute_ms: f64,
}

impl From<AccessError> for EngineError {
    fn from(e: AccessError) -> Self {
        match e {
            AccessError::Params(what) => EngineError::InvalidParams { what },
            AccessError::TargetRatio { target, value } => EngineError::InvalidTargetRatio {
                target: target.id().to_owned(),
                value,
            },
            AccessError::NoDemand => EngineError::NoDemand,
            AccessError::NoNetwork => EngineError::NoNetwork,
            AccessError::CellSize(cell_m) => EngineError::InvalidCellSize { cell_m },
            AccessError::TooManyCells {
                cell_m,
                cells,
                limit,
            } => EngineError::TooManyCells {
                cell_m,
                cells,
                limit,
            },
        }
    }
}

/// A walking speed that is a positive finite number of metres per minute, else the error that
/// names it.
pub(super) fn check_speed(m_per_min: f64) -> Result<(), EngineError> {
    if m_per_min.is_finite() && m_per_min > 0.0 {
        Ok(())
    } else {
        Err(EngineError::InvalidSpeed { m_per_min })
    }
}

impl Engine {
    /// [`Engine::access`] for the app: the walking speed checked first, failures as
    /// [`EngineError`].
    ///
    /// # Errors
    /// A walking speed that is not positive, and every error of [`Engine::access`].
    pub fn supply_demand(
        &self,
        params: &access::Params,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<AccessAnswer, EngineError> {
        check_speed(params.coverage.speed_m_per_min)?;
        Ok(self.access(params, progress)?)
    }

    /// [`Engine::surface`] for the app: the walking speed checked first, failures as
    /// [`EngineError`].
    ///
    /// # Errors
    /// A walking speed that is not positive, and every error of [`Engine::surface`].
    pub fn accessibility_surface(
        &self,
        params: &SurfaceParams,
    ) -> Result<SurfaceAnswer, EngineError> {
        check_speed(params.speed_m_per_min)?;
        Ok(self.surface(params)?)
    }

    /// The package's census age shares, when its manifest records them.
    pub fn age_shares(&self) -> Option<&crate::plan::package::AgeShares> {
        self.age_shares.as_ref()
    }

    /// The supply–demand ratios of the loaded layers. `progress(done, total)` after each target.
    ///
    /// # Errors
    /// Invalid parameters, or no demand points.
    pub fn access(
        &self,
        params: &access::Params,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<AccessAnswer, AccessError> {
        let d = &self.layers;
        let mut params = params.clone();
        params.coverage.snap = self.snap;
        if params.elderly_share.is_none() {
            params.elderly_share = self.age_shares.as_ref().map(|a| a.aged_60_plus);
        }
        let a = access::compute(
            self.graph.as_deref(),
            access::Inputs {
                demand: &d.demand,
                stations: &self.stations,
                facilities: &d.facilities,
                communities: &d.communities,
                capacity: &d.capacity,
            },
            &params,
            progress,
        )?;
        Ok(AccessAnswer {
            seq: 0,
            report_csv: a.report_csv(),
            points_csv: a.points_csv(&d.demand),
            report_geojson: a.report_geojson(&d.demand),
            access: a,
            compute_ms: 0.0,
        })
    }

    /// The accessibility surface of the loaded network, stations (scenario included) and
    /// facilities.
    ///
    /// # Errors
    /// No street network, a bad cell size or too many cells, invalid speed or thresholds.
    pub fn surface(&self, params: &SurfaceParams) -> Result<SurfaceAnswer, AccessError> {
        let graph = self.graph.as_deref().ok_or(AccessError::NoNetwork)?;
        let stations: Vec<LonLat> = self.stations.iter().map(|s| s.pos_wgs84).collect();
        let mut params = params.clone();
        params.snap = self.snap;
        let s = access::surface::compute(graph, &stations, &self.layers.facilities, &params)?;
        let sw = s.proj.unproject(s.origin_xy);
        let ne = s.proj.unproject(Xy {
            x: s.origin_xy.x + f64::from(s.cols) * params.cell_m,
            y: s.origin_xy.y + f64::from(s.rows) * params.cell_m,
        });
        Ok(SurfaceAnswer {
            seq: 0,
            surface: s,
            bounds_wgs84: [(sw.lon, sw.lat), (ne.lon, ne.lat)],
            compute_ms: 0.0,
        })
    }
}
