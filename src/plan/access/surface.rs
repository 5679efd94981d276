//! The accessibility surface: a regular grid over the network's extent (local metres, cell
//! size a parameter, default 100 m). For every cell whose centre joins the network (within the
//! snapping limit): walking minutes to the nearest station and to the nearest facility of each
//! category (within threshold × horizon factor), the number of the six base categories (六个一)
//! within their threshold, and a gravity score. Cells whose centre cannot join the network are
//! blank (no value), never zero.
//!
//! **Gravity score**: `G_c = Σ_k W(t_ck)` over the station and every category `k`, where `t_ck`
//! is the walking time from the cell to the nearest of `k` and `W` the E2SFCA band weights of
//! [`super::BAND_WEIGHTS`] over the target's threshold `d_k` (1.00 / 0.68 / 0.22 for the nearest,
//! middle and farthest third, 0 beyond): a gravity-type score of the opportunities within a walk
//! with distance decay, on the nearest of each kind (as Walk Score does), so that it costs no
//! search beyond the per-target ones. How many of one kind are within reach is the ratios' count
//! (`count_within`).
//!
//! Cost: one snap per cell (O(log S)); through the travel-time [`Oracle`], one multi-source
//! bounded Dijkstra per target and one O(1) probe per cell and target. A grid of more than [`MAX_CELLS`] cells is refused before anything
//! is allocated.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::{AccessError, Method, Standard, Target};
use crate::plan::coverage::Thresholds;
use crate::plan::csv_out::{Cell, CsvOut};
use crate::plan::geojson_out::round7;
use crate::plan::geom::{LocalProjection, LonLat, Xy};
use crate::plan::graph::{Oracle, SnapOptions, WalkGraph, WalkProfile};
use crate::plan::model::{Category, Facility};

/// Most cells a surface may have.
pub const MAX_CELLS: u64 = 4_000_000;

/// How the surface is computed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SurfaceParams {
    /// Cell size, metres (default 100).
    pub cell_m: f64,
    /// Per-target thresholds, minutes.
    pub thresholds: Thresholds,
    /// The preset the thresholds came from (recorded in the exports).
    pub standard: Standard,
    /// Walking speed, metres per minute (default 60).
    pub speed_m_per_min: f64,
    /// Steps are impassable (the wheelchair profile).
    pub avoid_steps: bool,
    /// Nearest-times are searched to threshold × this factor (default 2).
    pub horizon_factor: f64,
    /// How cell centres and supply points join the network.
    #[serde(skip)]
    pub snap: SnapOptions,
}

impl Default for SurfaceParams {
    fn default() -> Self {
        Self {
            cell_m: 100.0,
            thresholds: Standard::Qingdao2025.thresholds(),
            standard: Standard::Qingdao2025,
            speed_m_per_min: 60.0,
            avoid_steps: false,
            horizon_factor: 2.0,
            snap: SnapOptions::default(),
        }
    }
}

/// The grid and its values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Surface {
    /// The parameters used.
    pub params: SurfaceParams,
    /// The projection the grid is in.
    pub proj: LocalProjection,
    /// South-west corner of the grid, local metres.
    pub origin_xy: Xy,
    /// Columns (west to east).
    pub cols: u32,
    /// Rows (south to north).
    pub rows: u32,
    /// Targets: the station, then the categories present in the facilities (base six first).
    pub targets: Vec<Target>,
    /// Per target, per cell (row-major from the south-west): walking seconds to the nearest,
    /// NaN when blank or beyond the horizon.
    pub seconds: Vec<Vec<f32>>,
    /// Per cell: the centre joins the network.
    pub on_network: Vec<bool>,
    /// Per cell: base categories within their threshold (0 for blank cells; see `on_network`).
    pub within: Vec<u8>,
    /// Per cell: gravity score, NaN when blank.
    pub gravity: Vec<f32>,
    /// The walking network's compound setting.
    #[serde(default)]
    pub compounds: crate::plan::graph::Compounds,
}

impl Surface {
    /// Number of cells.
    pub fn len(&self) -> usize {
        self.on_network.len()
    }

    /// True when the grid has no cell.
    pub fn is_empty(&self) -> bool {
        self.on_network.is_empty()
    }

    /// Centre of cell `k` (row-major), local metres.
    pub fn centre_xy(&self, k: usize) -> Xy {
        let cols = self.cols as usize;
        let (c, r) = (k % cols, k / cols);
        Xy {
            x: self.origin_xy.x + (c as f64 + 0.5) * self.params.cell_m,
            y: self.origin_xy.y + (r as f64 + 0.5) * self.params.cell_m,
        }
    }

    /// Centre of cell `k`, WGS-84.
    pub fn centre_wgs84(&self, k: usize) -> LonLat {
        self.proj.unproject(self.centre_xy(k))
    }

    /// Walking minutes from cell `k` to the nearest of target `t` (None: blank or beyond).
    pub fn minutes(&self, t: usize, k: usize) -> Option<f64> {
        let s = self.seconds[t][k];
        (!s.is_nan()).then(|| f64::from(s) / 60.0)
    }

    /// Column names of [`Surface::csv`].
    pub fn columns(&self) -> Vec<String> {
        let mut h: Vec<String> = ["standard", "compounds", "col", "row", "lon", "lat"]
            .map(str::to_owned)
            .to_vec();
        h.extend(self.targets.iter().map(|t| format!("{}_min", t.id())));
        h.push("categories_within".to_owned());
        h.push("gravity".to_owned());
        h
    }

    fn cells(&self, k: usize) -> Vec<Cell<'static>> {
        let cols = self.cols as usize;
        let p = self.centre_wgs84(k);
        let mut row = vec![
            Cell::text(self.params.standard.id()),
            Cell::text(self.compounds.id()),
            Cell::num(k % cols),
            Cell::num(k / cols),
            Cell::fixed(p.lon, 7),
            Cell::fixed(p.lat, 7),
        ];
        let on = self.on_network[k];
        for t in 0..self.targets.len() {
            row.push(Cell::opt_fixed(self.minutes(t, k).filter(|_| on), 2));
        }
        row.push(Cell::opt_num(on.then_some(self.within[k])));
        row.push(Cell::opt_fixed(on.then_some(f64::from(self.gravity[k])), 3));
        row
    }

    /// Every cell as CSV (blank cells have empty values).
    pub fn csv(&self) -> String {
        let mut out = CsvOut::new(&self.columns());
        for k in 0..self.len() {
            out.row(&self.cells(k));
        }
        out.finish()
    }

    /// The cells that join the network as GeoJSON squares (WGS-84) with the CSV's values as
    /// properties; the standard, the compound setting and the cell size are recorded on the
    /// collection.
    pub fn geojson(&self) -> String {
        let cols = self.columns();
        let h = self.params.cell_m / 2.0;
        let mut features = Vec::new();
        for k in (0..self.len()).filter(|k| self.on_network[*k]) {
            let c = self.centre_xy(k);
            let ring: Vec<Value> = [(-h, -h), (h, -h), (h, h), (-h, h), (-h, -h)]
                .iter()
                .map(|(dx, dy)| {
                    let p = self.proj.unproject(Xy {
                        x: c.x + dx,
                        y: c.y + dy,
                    });
                    json!([round7(p.lon), round7(p.lat)])
                })
                .collect();
            let mut props = Map::new();
            for (name, v) in cols.iter().zip(self.cells(k)) {
                let value = match v {
                    Cell::Text(t) => Value::String(t.into_owned()),
                    Cell::Num(n) => n
                        .parse::<f64>()
                        .ok()
                        .and_then(serde_json::Number::from_f64)
                        .map_or(Value::Null, Value::Number),
                };
                props.insert(name.clone(), value);
            }
            features.push(json!({
                "type": "Feature",
                "geometry": {"type": "Polygon", "coordinates": [ring]},
                "properties": props,
            }));
        }
        json!({
            "type": "FeatureCollection",
            "standard": self.params.standard.id(),
            "compounds": self.compounds.id(),
            "cell_m": self.params.cell_m,
            "features": features,
        })
        .to_string()
    }
}

/// Checks the cell size and the cell count of a `w × h` metre extent; returns (cols, rows).
///
/// # Errors
/// A cell size that is not positive and finite, or more than [`MAX_CELLS`] cells.
pub fn grid_size(cell_m: f64, w: f64, h: f64) -> Result<(u32, u32), AccessError> {
    if !(cell_m.is_finite() && cell_m > 0.0) {
        return Err(AccessError::CellSize(cell_m));
    }
    let cols = (w / cell_m).ceil().max(1.0);
    let rows = (h / cell_m).ceil().max(1.0);
    let cells = cols * rows;
    if cells.is_nan() || cells > MAX_CELLS as f64 {
        return Err(AccessError::TooManyCells {
            cell_m,
            cells: if cells.is_finite() {
                cells as u64
            } else {
                u64::MAX
            },
            limit: MAX_CELLS,
        });
    }
    Ok((cols as u32, rows as u32))
}

/// Computes the surface of `graph` for these stations and facilities.
///
/// # Errors
/// A bad cell size or too many cells ([`grid_size`]), or invalid speed/thresholds.
pub fn compute(
    graph: &WalkGraph,
    stations: &[LonLat],
    facilities: &[Facility],
    params: &SurfaceParams,
) -> Result<Surface, AccessError> {
    crate::plan::coverage::Params {
        thresholds: params.thresholds.clone(),
        speed_m_per_min: params.speed_m_per_min,
        horizon_factor: params.horizon_factor,
        ..crate::plan::coverage::Params::default()
    }
    .validate()
    .map_err(AccessError::Params)?;
    let (mut lo, mut hi) = (
        Xy {
            x: f64::INFINITY,
            y: f64::INFINITY,
        },
        Xy {
            x: f64::NEG_INFINITY,
            y: f64::NEG_INFINITY,
        },
    );
    for n in graph.nodes() {
        let p = graph.node_xy(n);
        lo = Xy {
            x: lo.x.min(p.x),
            y: lo.y.min(p.y),
        };
        hi = Xy {
            x: hi.x.max(p.x),
            y: hi.y.max(p.y),
        };
    }
    if !lo.x.is_finite() {
        return Err(AccessError::NoNetwork);
    }
    let (cols, rows) = grid_size(params.cell_m, hi.x - lo.x, hi.y - lo.y)?;
    let snap = SnapOptions {
        avoid_steps: params.avoid_steps,
        ..params.snap
    };
    let mut categories: Vec<Category> = Category::BASE_SIX.to_vec();
    for c in Category::ALL {
        if !c.is_base() && facilities.iter().any(|f| f.category == c) {
            categories.push(c);
        }
    }
    let mut targets = vec![Target::Station];
    targets.extend(categories.iter().map(|c| Target::Category(*c)));

    let mut surface = Surface {
        params: params.clone(),
        proj: *graph.projection(),
        origin_xy: lo,
        cols,
        rows,
        targets: targets.clone(),
        seconds: Vec::new(),
        on_network: Vec::new(),
        within: Vec::new(),
        gravity: Vec::new(),
        compounds: graph.rules().compounds,
    };
    let n = cols as usize * rows as usize;
    let profile = WalkProfile {
        speed_m_per_min: params.speed_m_per_min,
        avoid_steps: params.avoid_steps,
    };
    let mut oracle =
        Oracle::on_network_xy(graph, (0..n).map(|k| surface.centre_xy(k)), profile, snap);
    surface.on_network = (0..n).map(|k| oracle.placed(k)).collect();
    let sources_of = |t: Target| -> Vec<LonLat> {
        match t {
            Target::Station => stations.to_vec(),
            Target::Category(c) => facilities
                .iter()
                .filter(|f| f.category == c)
                .map(|f| f.pos_wgs84)
                .collect(),
        }
    };
    let mut within = vec![0u8; n];
    let mut gravity: Vec<f32> = surface
        .on_network
        .iter()
        .map(|on| if *on { 0.0 } else { f32::NAN })
        .collect();
    for t in &targets {
        let minutes = t.minutes(&params.thresholds);
        let mut secs = vec![f32::NAN; n];
        let base = matches!(t, Target::Category(c) if c.is_base());
        oracle.nearest(
            &sources_of(*t),
            minutes * params.horizon_factor,
            &mut |k, s| {
                secs[k] = s as f32;
                if base && s <= minutes * 60.0 {
                    within[k] += 1;
                }
                gravity[k] += Method::Enhanced.weight(s, minutes * 60.0) as f32;
            },
        );
        surface.seconds.push(secs);
    }
    surface.within = within;
    surface.gravity = gravity;
    Ok(surface)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_size_checks_name_the_value() {
        assert_eq!(grid_size(0.0, 10.0, 10.0), Err(AccessError::CellSize(0.0)));
        assert!(matches!(
            grid_size(f64::NAN, 10.0, 10.0),
            Err(AccessError::CellSize(_))
        ));
        let e = grid_size(1.0, 3000.0, 2000.0).unwrap_err();
        assert!(e.to_string().contains("6000000 cells"), "{e}");
        assert_eq!(grid_size(100.0, 250.0, 0.0), Ok((3, 1)));
        assert_eq!(grid_size(1.0, 2000.0, 2000.0), Ok((2000, 2000)));
    }
}
