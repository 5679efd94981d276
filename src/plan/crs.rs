//! Chinese map coordinate systems: GCJ-02 and BD-09 to and from WGS-84.
//!
//! Chinese map providers publish positions in one of two obfuscated systems:
//!
//! - **GCJ-02** ("火星坐标", used by 高德/AutoNavi, Tencent, Google China): WGS-84 plus a smooth,
//!   deterministic offset of a few hundred metres, defined by a published polynomial-plus-sine
//!   series in the offsets from (105° E, 35° N) and scaled by the Krasovsky-1940 ellipsoid radii.
//! - **BD-09** (Baidu): GCJ-02 rotated and scaled slightly in polar form about the origin, then
//!   shifted by (0.0065°, 0.006°).
//!
//! The forward transforms ([`wgs84_to_gcj02`], [`gcj02_to_bd09`]) follow that published
//! definition. Their inverses have no closed form; [`gcj02_to_wgs84`] and [`bd09_to_gcj02`] solve
//! `forward(p) = q` by fixed-point iteration (`p ← p − (forward(p) − q)`), which converges
//! because the offset field is smooth and varies by far less than a degree per degree. It stops
//! when the residual is below 1e-10° (≈ 0.01 mm) or after 30 steps, so
//! `inverse(forward(p))` is within well under 0.5 m of `p` (tests check 1 cm).
//!
//! **Outside China** ([`out_of_china`]: the customary rectangle 72.004–137.8347° E,
//! 0.8293–55.8271° N) GCJ-02 is defined as WGS-84 itself, so both directions leave such points
//! untouched. BD-09 keeps its polar step everywhere, as Baidu's own definition does. The
//! rectangle is coarse (it includes parts of neighbouring countries and excludes nothing inside
//! China); that is the transform's definition, not an accident of this code.
//!
//! Cost: O(1) per point — a few dozen trigonometric calls forward, ≤ 30 forward evaluations
//! inverse (typically 3–5).
//!
//! ```
//! use shuangquan::plan::crs::{Crs, gcj02_to_wgs84, wgs84_to_gcj02};
//! use shuangquan::plan::geom::LonLat;
//! let qingdao = LonLat::new(120.38, 36.07);
//! let shifted = wgs84_to_gcj02(qingdao);
//! assert!(qingdao.haversine_m(shifted) > 100.0); // the offset is a few hundred metres
//! let back = gcj02_to_wgs84(shifted);
//! assert!(qingdao.haversine_m(back) < 0.01);
//! assert_eq!(Crs::Bd09.to_wgs84(Crs::Bd09.from_wgs84(qingdao)).lon.round(), 120.0);
//! ```

use std::f64::consts::PI;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::geom::LonLat;

/// A coordinate reference system for geographic positions that the importers understand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Crs {
    /// WGS-84 longitude/latitude (EPSG:4326, OGC CRS84, GPS, OpenStreetMap).
    Wgs84,
    /// GCJ-02 (高德, 腾讯): WGS-84 with the state-mandated offset.
    Gcj02,
    /// BD-09 (百度): GCJ-02 with Baidu's additional offset.
    Bd09,
}

impl Crs {
    /// Every system, in a stable order.
    pub const ALL: [Crs; 3] = [Crs::Wgs84, Crs::Gcj02, Crs::Bd09];

    /// The stable id used in files and CLI flags (`wgs84`, `gcj02`, `bd09`).
    pub const fn id(self) -> &'static str {
        match self {
            Crs::Wgs84 => "wgs84",
            Crs::Gcj02 => "gcj02",
            Crs::Bd09 => "bd09",
        }
    }

    /// A display name (`WGS-84`, `GCJ-02`, `BD-09`).
    pub const fn label(self) -> &'static str {
        match self {
            Crs::Wgs84 => "WGS-84",
            Crs::Gcj02 => "GCJ-02",
            Crs::Bd09 => "BD-09",
        }
    }

    /// Converts a position in this system to WGS-84.
    pub fn to_wgs84(self, p: LonLat) -> LonLat {
        match self {
            Crs::Wgs84 => p,
            Crs::Gcj02 => gcj02_to_wgs84(p),
            Crs::Bd09 => gcj02_to_wgs84(bd09_to_gcj02(p)),
        }
    }

    /// Converts a WGS-84 position to this system.
    pub fn from_wgs84(self, p: LonLat) -> LonLat {
        match self {
            Crs::Wgs84 => p,
            Crs::Gcj02 => wgs84_to_gcj02(p),
            Crs::Bd09 => gcj02_to_bd09(wgs84_to_gcj02(p)),
        }
    }

    /// Converts a position from this system to `to`.
    pub fn convert(self, to: Crs, p: LonLat) -> LonLat {
        match (self, to) {
            (a, b) if a == b => p,
            (Crs::Gcj02, Crs::Bd09) => gcj02_to_bd09(p),
            (Crs::Bd09, Crs::Gcj02) => bd09_to_gcj02(p),
            (from, to) => to.from_wgs84(from.to_wgs84(p)),
        }
    }
}

impl fmt::Display for Crs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// A coordinate-system name that is not WGS-84, GCJ-02 or BD-09.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown coordinate system {0:?} (expected wgs84, gcj02 or bd09; also EPSG:4326, 火星坐标, 百度坐标 …)"
)]
pub struct UnknownCrs(pub String);

impl FromStr for Crs {
    type Err = UnknownCrs;

    /// Accepts the ids, common spellings (`WGS-84`, `EPSG:4326`, `CRS84`, `GCJ-02`, `BD-09`,
    /// `bd09ll`), and Chinese names (`WGS84坐标`, `国测局`, `火星坐标`, `高德`, `百度`, …).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let norm: String = s
            .trim()
            .to_lowercase()
            .chars()
            .filter(|c| !matches!(c, '-' | '_' | ' ' | ':' | '.'))
            .collect();
        let crs = match norm.as_str() {
            "wgs84"
            | "wgs"
            | "epsg4326"
            | "4326"
            | "crs84"
            | "urnogcdefcrsogc13crs84"
            | "urnogcdefcrsogccrs84"
            | "urnogcdefcrsepsg4326"
            | "gps"
            | "wgs84坐标"
            | "wgs84坐标系"
            | "gps坐标"
            | "地球坐标"
            | "osm" => Crs::Wgs84,
            "gcj02" | "gcj" | "gcj02ll" | "gcj02坐标" | "gcj02坐标系" | "国测局" | "国测局坐标"
            | "火星" | "火星坐标" | "火星坐标系" | "高德" | "高德坐标" | "腾讯" | "腾讯坐标"
            | "amap" | "gaode" | "tencent" => Crs::Gcj02,
            "bd09" | "bd" | "bd09ll" | "bd09坐标" | "bd09坐标系" | "百度" | "百度坐标"
            | "百度坐标系" | "baidu" => Crs::Bd09,
            _ => return Err(UnknownCrs(s.trim().to_owned())),
        };
        Ok(crs)
    }
}

/// True when `p` lies outside the rectangle in which GCJ-02 differs from WGS-84
/// (72.004–137.8347° E, 0.8293–55.8271° N), or is not a finite position.
pub fn out_of_china(p: LonLat) -> bool {
    let inside = p.lon.is_finite()
        && p.lat.is_finite()
        && (72.004..=137.8347).contains(&p.lon)
        && (0.8293..=55.8271).contains(&p.lat);
    !inside
}

/// Krasovsky-1940 semi-major axis (metres), as the GCJ-02 definition uses.
const KRASOVSKY_A: f64 = 6_378_245.0;
/// Krasovsky-1940 first eccentricity squared.
const KRASOVSKY_E2: f64 = 0.006_693_421_622_965_943;

/// The GCJ-02 offset series, in "pseudo-metres", for offsets `x`, `y` (degrees) from 105° E, 35° N.
/// Returns (east component, north component).
fn gcj_series(x: f64, y: f64) -> (f64, f64) {
    // Shared term: two high-frequency sines in x.
    let ripple = (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    let root = x.abs().sqrt();
    let north = -100.0
        + 2.0 * x
        + 3.0 * y
        + 0.2 * y * y
        + 0.1 * x * y
        + 0.2 * root
        + ripple
        + (20.0 * (y * PI).sin() + 40.0 * (y / 3.0 * PI).sin()) * 2.0 / 3.0
        + (160.0 * (y / 12.0 * PI).sin() + 320.0 * (y * PI / 30.0).sin()) * 2.0 / 3.0;
    let east = 300.0
        + x
        + 2.0 * y
        + 0.1 * x * x
        + 0.1 * x * y
        + 0.1 * root
        + ripple
        + (20.0 * (x * PI).sin() + 40.0 * (x / 3.0 * PI).sin()) * 2.0 / 3.0
        + (150.0 * (x / 12.0 * PI).sin() + 300.0 * (x / 30.0 * PI).sin()) * 2.0 / 3.0;
    (east, north)
}

/// WGS-84 → GCJ-02 (the published forward transform). Points [`out_of_china`] are unchanged.
pub fn wgs84_to_gcj02(p: LonLat) -> LonLat {
    if out_of_china(p) {
        return p;
    }
    let (east, north) = gcj_series(p.lon - 105.0, p.lat - 35.0);
    let phi = p.lat.to_radians();
    let w2 = 1.0 - KRASOVSKY_E2 * phi.sin().powi(2);
    let w = w2.sqrt();
    // Metres per radian along the meridian and the parallel on the Krasovsky ellipsoid.
    let meridional = KRASOVSKY_A * (1.0 - KRASOVSKY_E2) / (w2 * w);
    let parallel = KRASOVSKY_A / w * phi.cos();
    LonLat::new(
        p.lon + (east * 180.0) / (parallel * PI),
        p.lat + (north * 180.0) / (meridional * PI),
    )
}

/// Solves `forward(x) = target` by fixed-point iteration starting from `target`.
fn invert(target: LonLat, forward: impl Fn(LonLat) -> LonLat) -> LonLat {
    if !(target.lon.is_finite() && target.lat.is_finite()) {
        return target;
    }
    let mut x = target;
    for _ in 0..30 {
        let f = forward(x);
        let (dx, dy) = (f.lon - target.lon, f.lat - target.lat);
        if !(dx.is_finite() && dy.is_finite()) {
            break;
        }
        x = LonLat::new(x.lon - dx, x.lat - dy);
        if dx.abs() < 1e-10 && dy.abs() < 1e-10 {
            break;
        }
    }
    x
}

/// GCJ-02 → WGS-84, by iterating the forward transform to < 1e-10°. Points [`out_of_china`] are
/// unchanged.
pub fn gcj02_to_wgs84(p: LonLat) -> LonLat {
    if out_of_china(p) {
        return p;
    }
    invert(p, wgs84_to_gcj02)
}

/// Baidu's angular constant: π · 3000 / 180.
const BD_K: f64 = PI * 3000.0 / 180.0;

/// GCJ-02 → BD-09 (Baidu's published forward transform).
pub fn gcj02_to_bd09(p: LonLat) -> LonLat {
    let (x, y) = (p.lon, p.lat);
    let r = x.hypot(y) + 0.000_02 * (y * BD_K).sin();
    let theta = y.atan2(x) + 0.000_003 * (x * BD_K).cos();
    LonLat::new(r * theta.cos() + 0.0065, r * theta.sin() + 0.006)
}

/// BD-09 → GCJ-02: the usual closed-form approximation, refined by iterating
/// [`gcj02_to_bd09`] to < 1e-10°.
pub fn bd09_to_gcj02(p: LonLat) -> LonLat {
    if !(p.lon.is_finite() && p.lat.is_finite()) {
        return p;
    }
    let (east, north) = (p.lon - 0.0065, p.lat - 0.006);
    let radius = east.hypot(north) - 0.000_02 * (north * BD_K).sin();
    let theta = north.atan2(east) - 0.000_003 * (east * BD_K).cos();
    let guess = LonLat::new(radius * theta.cos(), radius * theta.sin());
    // Refine: solve gcj02_to_bd09(g) = p starting from the approximation.
    let mut gcj = guess;
    for _ in 0..30 {
        let fwd = gcj02_to_bd09(gcj);
        let (dx, dy) = (fwd.lon - p.lon, fwd.lat - p.lat);
        if !(dx.is_finite() && dy.is_finite()) {
            return guess;
        }
        gcj = LonLat::new(gcj.lon - dx, gcj.lat - dy);
        if dx.abs() < 1e-10 && dy.abs() < 1e-10 {
            break;
        }
    }
    gcj
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Known points across China (WGS-84).
    const POINTS: [(f64, f64); 10] = [
        (120.38, 36.07),   // Qingdao
        (121.47, 31.23),   // Shanghai
        (116.404, 39.915), // Beijing
        (113.26, 23.13),   // Guangzhou
        (104.07, 30.67),   // Chengdu
        (87.62, 43.83),    // Ürümqi
        (91.11, 29.65),    // Lhasa
        (126.64, 45.76),   // Harbin
        (110.35, 20.02),   // Haikou
        (109.51, 18.25),   // Sanya
    ];

    #[test]
    fn forward_matches_published_reference_values() {
        // Reference values widely quoted for (116.404, 39.915), used as an oracle only.
        let g = wgs84_to_gcj02(LonLat::new(116.404, 39.915));
        assert!((g.lon - 116.410_244_499_169_38).abs() < 1e-9, "{g:?}");
        assert!((g.lat - 39.916_404_281_501_64).abs() < 1e-9, "{g:?}");
        let b = gcj02_to_bd09(LonLat::new(116.404, 39.915));
        assert!((b.lon - 116.410_369_493_710_29).abs() < 1e-9, "{b:?}");
        assert!((b.lat - 39.921_336_993_510_21).abs() < 1e-9, "{b:?}");
    }

    #[test]
    fn gcj_round_trip_within_a_centimetre_at_known_points() {
        for (lon, lat) in POINTS {
            let p = LonLat::new(lon, lat);
            let g = wgs84_to_gcj02(p);
            let shift = p.haversine_m(g);
            assert!((50.0..1_000.0).contains(&shift), "{p:?} shift {shift}");
            let back = gcj02_to_wgs84(g);
            assert!(p.haversine_m(back) < 0.01, "{p:?} → {back:?}");
        }
    }

    #[test]
    fn bd_round_trip_within_a_centimetre_at_known_points() {
        for (lon, lat) in POINTS {
            let p = LonLat::new(lon, lat);
            let b = Crs::Bd09.from_wgs84(p);
            assert!(p.haversine_m(b) > 100.0);
            let back = Crs::Bd09.to_wgs84(b);
            assert!(p.haversine_m(back) < 0.01, "{p:?} → {back:?}");
            let g = Crs::Bd09.convert(Crs::Gcj02, b);
            assert!(g.haversine_m(wgs84_to_gcj02(p)) < 0.01);
        }
    }

    #[test]
    fn outside_china_is_untouched_by_gcj() {
        for (lon, lat) in [(24.94, 60.17), (-0.12, 51.5), (139.69, 35.69), (72.0, 30.0)] {
            let p = LonLat::new(lon, lat);
            assert_eq!(wgs84_to_gcj02(p), p);
            assert_eq!(gcj02_to_wgs84(p), p);
            assert_eq!(Crs::Gcj02.convert(Crs::Wgs84, p), p);
        }
        assert!(out_of_china(LonLat::new(f64::NAN, 30.0)));
        assert!(!out_of_china(LonLat::new(120.38, 36.07)));
    }

    #[test]
    fn non_finite_input_does_not_loop_or_panic() {
        let p = LonLat::new(f64::NAN, f64::INFINITY);
        assert!(Crs::Bd09.to_wgs84(p).lon.is_nan());
        assert!(Crs::Gcj02.from_wgs84(p).lon.is_nan());
    }

    #[test]
    fn names_parse() {
        assert_eq!("GCJ-02".parse(), Ok(Crs::Gcj02));
        assert_eq!("火星坐标".parse(), Ok(Crs::Gcj02));
        assert_eq!("bd09ll".parse(), Ok(Crs::Bd09));
        assert_eq!("EPSG:4326".parse(), Ok(Crs::Wgs84));
        assert_eq!("urn:ogc:def:crs:OGC:1.3:CRS84".parse(), Ok(Crs::Wgs84));
        assert!("EPSG:3857".parse::<Crs>().is_err());
        for c in Crs::ALL {
            assert_eq!(c.id().parse(), Ok(c));
            assert_eq!(c.label().parse(), Ok(c));
        }
    }

    // proptest is a native-only dev-dependency.
    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2_000))]
        #[test]
        fn round_trips_over_china(lon in 73.5f64..135.0, lat in 18.0f64..53.5) {
            let p = LonLat::new(lon, lat);
            for crs in [Crs::Gcj02, Crs::Bd09] {
                let back = crs.to_wgs84(crs.from_wgs84(p));
                proptest::prop_assert!(p.haversine_m(back) < 0.5, "{crs}: {p:?} → {back:?}");
                let fwd = crs.from_wgs84(crs.to_wgs84(p));
                proptest::prop_assert!(
                    p.haversine_m(fwd) < 0.5,
                    "{crs} inverse first: {p:?} → {fwd:?}"
                );
            }
        }
    }
}
