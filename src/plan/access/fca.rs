//! Two-step floating catchment area (2SFCA, Luo & Wang 2003) and its enhanced form with
//! distance-decay weights (E2SFCA, Luo & Qi 2009), on network walking time.
//!
//! For one target (stations, or the facilities of one category), with demand points `i`
//! (population `P_i`), supply points `j` (capacity `S_j`, 1 when the data gives none), walking
//! seconds `t_ij` and the catchment `d0` (the target's threshold):
//!
//! 1. per supply point, its **supply–demand ratio** `R_j = S_j / Σ_{i: t_ij ≤ d0} P_i · W(t_ij)`;
//! 2. per demand point, its **accessibility** `A_i = Σ_{j: t_ij ≤ d0} R_j · W(t_ij)`, in capacity
//!    units per person.
//!
//! `W = 1` for 2SFCA. For E2SFCA the catchment is cut into three equal bands and each band takes
//! the Gaussian-derived weight of Luo & Qi (2009): `[0, d0/3]` → 1.00, `(d0/3, 2·d0/3]` → 0.68,
//! `(2·d0/3, d0]` → 0.22 ([`BAND_WEIGHTS`]). A supply point with no (weighted) demand within
//! reach has no ratio and adds nothing. A demand point that cannot join the network has no
//! accessibility (None); one that reaches nothing has 0.
//!
//! Next to the ratios, per demand point: the walking time to the nearest supply point within the
//! catchment and the number of supply points within it (choice and redundancy, not only the
//! nearest).
//!
//! **Pairs**: from the travel-time [`Oracle`], one bounded search per supply point (bounded at
//! `d0`) probing only the demand points on the edges it reached. Without a street network, times
//! are the oracle's straight-line estimates (× the detour factor). Complexity:
//! O(M · ((V' + E') log V' + k)) for M supply points, the V' nodes and E' arcs within a catchment
//! and k demand points on them; then O(pairs) for both steps. Deterministic: sums run in input
//! order.

use serde::{Deserialize, Serialize};

use crate::plan::geom::LonLat;
use crate::plan::graph::{Oracle, SnapOptions, WalkGraph, WalkProfile};

/// E2SFCA band weights (Luo & Qi 2009, from a Gaussian function): nearest third of the
/// catchment, middle third, farthest third.
pub const BAND_WEIGHTS: [f64; 3] = [1.0, 0.68, 0.22];

/// Which floating-catchment method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// 2SFCA: every pair within the catchment weighs 1.
    #[default]
    TwoStep,
    /// E2SFCA: pairs weigh [`BAND_WEIGHTS`] by travel-time band.
    Enhanced,
}

/// A method name that does not exist.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown method {0:?}: expected 2sfca or e2sfca")]
pub struct UnknownMethod(pub String);

impl Method {
    /// Stable id (`2sfca`, `e2sfca`).
    pub const fn id(self) -> &'static str {
        match self {
            Self::TwoStep => "2sfca",
            Self::Enhanced => "e2sfca",
        }
    }

    /// The weight of a pair `seconds` apart under a catchment of `catchment_s` seconds (0
    /// beyond it).
    pub fn weight(self, seconds: f64, catchment_s: f64) -> f64 {
        if seconds
            .partial_cmp(&catchment_s)
            .is_none_or(std::cmp::Ordering::is_gt)
        {
            return 0.0;
        }
        match self {
            Self::TwoStep => 1.0,
            Self::Enhanced => {
                if seconds <= catchment_s / 3.0 {
                    BAND_WEIGHTS[0]
                } else if seconds <= catchment_s * 2.0 / 3.0 {
                    BAND_WEIGHTS[1]
                } else {
                    BAND_WEIGHTS[2]
                }
            }
        }
    }
}

impl std::str::FromStr for Method {
    type Err = UnknownMethod;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "2sfca" => Ok(Self::TwoStep),
            "e2sfca" => Ok(Self::Enhanced),
            _ => Err(UnknownMethod(s.to_owned())),
        }
    }
}

/// One supply point: a station or a facility.
#[derive(Debug, Clone, PartialEq)]
pub struct Supply {
    /// Its id (for messages).
    pub id: String,
    /// Where it is.
    pub pos_wgs84: LonLat,
    /// Places, beds, staff or daily visits (1 when the data gives none).
    pub capacity: f64,
}

/// The ratios of one target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ratios {
    /// Catchment, minutes.
    pub minutes: f64,
    /// Per supply point: weighted population within reach `Σ P_i W(t_ij)`.
    pub demand_within: Vec<f64>,
    /// Per supply point: `R_j` (None: no demand within reach, or off the network).
    pub ratio: Vec<Option<f64>>,
    /// Per demand point: `A_i` (None: the point could not join the network).
    pub access: Vec<Option<f64>>,
    /// Per demand point: walking seconds to the nearest supply point within the catchment.
    pub nearest_s: Vec<Option<f64>>,
    /// Per demand point: supply points within the catchment.
    pub count_within: Vec<u32>,
    /// Supply points that could not join the network, with their distance (metres).
    pub unplaced: Vec<(String, f64)>,
}

/// Demand points prepared once for every target: the travel-time [`Oracle`] on them (snapped
/// to the network, or projected for straight-line estimates) and their populations.
#[derive(Debug)]
pub struct Walker<'g> {
    oracle: Oracle<'g>,
    weights: Vec<f64>,
    pairs: Vec<(u32, f64)>,
}

impl<'g> Walker<'g> {
    /// Prepares demand points `(position, population)`. With no graph, times are straight-line
    /// estimates.
    pub fn new(
        graph: Option<&'g WalkGraph>,
        demand: &[(LonLat, f64)],
        profile: WalkProfile,
        snap: SnapOptions,
    ) -> Self {
        Self {
            oracle: Oracle::new(graph, demand.iter().map(|d| d.0), profile, snap),
            weights: demand.iter().map(|d| d.1).collect(),
            pairs: Vec::new(),
        }
    }

    /// Demand points that could not join the network, with their distance.
    pub fn off_network(&self) -> &[Option<f64>] {
        self.oracle.off_network()
    }

    /// The ratios of one target: `supply` points, catchment `minutes`, `method`.
    pub fn ratios(&mut self, supply: &[Supply], minutes: f64, method: Method) -> Ratios {
        let n = self.weights.len();
        let catchment_s = minutes * 60.0;
        let mut pairs: Vec<Vec<(u32, f64)>> = Vec::with_capacity(supply.len());
        let mut unplaced = Vec::new();
        for s in supply {
            match self.oracle.within(s.pos_wgs84, minutes, &mut self.pairs) {
                Ok(()) => pairs.push(self.pairs.clone()),
                Err(d) => {
                    unplaced.push((s.id.clone(), d));
                    pairs.push(Vec::new());
                }
            }
        }
        // Step 1: per supply point, capacity over the weighted population within reach.
        let mut demand_within = Vec::with_capacity(supply.len());
        let mut ratio = Vec::with_capacity(supply.len());
        for (s, p) in supply.iter().zip(&pairs) {
            let d: f64 = p
                .iter()
                .map(|(i, t)| self.weights[*i as usize] * method.weight(*t, catchment_s))
                .sum();
            demand_within.push(d);
            ratio.push((d > 0.0).then(|| s.capacity / d));
        }
        // Step 2: per demand point, the weighted sum of the ratios within reach.
        let mut access: Vec<Option<f64>> = self
            .oracle
            .off_network()
            .iter()
            .map(|o| o.is_none().then_some(0.0))
            .collect();
        let mut nearest_s: Vec<Option<f64>> = vec![None; n];
        let mut count_within = vec![0u32; n];
        for (r, p) in ratio.iter().zip(&pairs) {
            for (i, t) in p {
                let i = *i as usize;
                count_within[i] += 1;
                nearest_s[i] = Some(nearest_s[i].map_or(*t, |x: f64| x.min(*t)));
                if let (Some(r), Some(a)) = (r, access[i].as_mut()) {
                    *a += r * method.weight(*t, catchment_s);
                }
            }
        }
        Ratios {
            minutes,
            demand_within,
            ratio,
            access,
            nearest_s,
            count_within,
            unplaced,
        }
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp, clippy::many_single_char_names)]
mod tests {
    use super::*;

    #[test]
    fn band_weights() {
        let m = Method::Enhanced;
        assert_eq!(m.weight(0.0, 900.0), 1.0);
        assert_eq!(m.weight(300.0, 900.0), 1.0);
        assert_eq!(m.weight(300.1, 900.0), 0.68);
        assert_eq!(m.weight(600.1, 900.0), 0.22);
        assert_eq!(m.weight(900.0, 900.0), 0.22);
        assert_eq!(m.weight(900.1, 900.0), 0.0);
        assert_eq!(Method::TwoStep.weight(899.0, 900.0), 1.0);
        assert_eq!(Method::TwoStep.weight(f64::NAN, 900.0), 0.0);
        assert!("3sfca".parse::<Method>().is_err());
        assert_eq!("E2SFCA".parse::<Method>(), Ok(Method::Enhanced));
    }

    /// Straight-line estimates on a line of points: the textbook formulas by hand.
    #[test]
    fn two_points_one_supply_by_hand() {
        let a = LonLat::new(120.0, 36.0);
        // ~ 100 m and ~ 1 km east.
        let b = LonLat::new(120.0 + 100.0 / 90_000.0, 36.0);
        let c = LonLat::new(120.0 + 1000.0 / 90_000.0, 36.0);
        let mut w = Walker::new(
            None,
            &[(b, 300.0), (c, 500.0)],
            WalkProfile::DEFAULT,
            SnapOptions::default(),
        );
        let supply = [Supply {
            id: "s".into(),
            pos_wgs84: a,
            capacity: 30.0,
        }];
        let r = w.ratios(&supply, 15.0, Method::TwoStep);
        // c is ~1.3 km of estimated walk: beyond 900 m.
        assert_eq!(r.count_within, vec![1, 0]);
        assert_eq!(r.ratio, vec![Some(0.1)]);
        assert_eq!(r.access, vec![Some(0.1), Some(0.0)]);
        assert!(r.nearest_s[1].is_none());
    }
}
