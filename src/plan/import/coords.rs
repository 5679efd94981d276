//! Reading and checking one longitude/latitude pair.
//!
//! [`parse_number`] reads a coordinate or count as written in spreadsheets (`120.38`, ` 36.07°`,
//! full-width digits). [`check`] classifies a pair, in this order:
//!
//! 1. NaN or infinite → error;
//! 2. both |values| ≤ 180/90 → valid, except (0, 0) (a placeholder → error) and a point outside
//!    China whose swap is inside China with a latitude beyond the Arctic circle of plausibility
//!    (|lat| > 72° and the swapped point in China → warning, still loaded);
//! 3. out of range but the swapped pair is a valid point in China → "swapped" error (or, with
//!    `fix_swapped`, a warning and the swapped point);
//! 4. a value beyond ±1000 → projected metres (EPSG:3857 or Gauss–Krüger), with what the pair
//!    would be if it were Web Mercator;
//! 5. otherwise → out of range.
//!
//! All O(1).

use crate::plan::crs::out_of_china;
use crate::plan::geom::LonLat;

use super::report::ProblemKind;

/// Half the equatorial circumference of the Web Mercator sphere (metres).
const WEB_MERCATOR_HALF: f64 = 20_037_508.342_789_244;

/// Parses a number, accepting surrounding spaces, a trailing `°`, full-width digits and signs.
/// Returns `None` when it is not a number; NaN/infinity parse (and are rejected by [`check`]).
pub fn parse_number(s: &str) -> Option<f64> {
    let t = s.trim().trim_end_matches(['°', '度']).trim();
    if t.is_empty() {
        return None;
    }
    if let Ok(v) = t.parse::<f64>() {
        return Some(v);
    }
    // Full-width digits and punctuation (０-９, ．, －, ＋).
    let ascii: String = t
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            '．' | '。' => '.',
            '－' | '−' => '-',
            '＋' => '+',
            _ => c,
        })
        .collect();
    ascii.parse::<f64>().ok()
}

/// Parses a count such as a population: like [`parse_number`] but also accepts thousands
/// separators (`1,234`) and a trailing `人`.
pub fn parse_count(s: &str) -> Option<f64> {
    let t: String = s
        .trim()
        .trim_end_matches(['人', '口'])
        .chars()
        .filter(|c| !matches!(c, ',' | '，' | '_' | ' '))
        .collect();
    parse_number(&t)
}

/// The outcome of checking a pair.
#[derive(Debug, Clone, PartialEq)]
pub enum Checked {
    /// Usable, possibly with a warning.
    Ok(LonLat, Option<ProblemKind>),
    /// Rejected with this problem.
    Bad(ProblemKind),
}

/// What Web Mercator metres `(x, y)` would be in degrees, when they are in range.
fn from_web_mercator(x: f64, y: f64) -> Option<LonLat> {
    if x.abs() > WEB_MERCATOR_HALF || y.abs() > WEB_MERCATOR_HALF * 1.5 {
        return None;
    }
    let lon = x / WEB_MERCATOR_HALF * 180.0;
    let lat = (2.0 * (y / WEB_MERCATOR_HALF * std::f64::consts::PI).exp().atan()
        - std::f64::consts::FRAC_PI_2)
        .to_degrees();
    let p = LonLat::new((lon * 1e5).round() / 1e5, (lat * 1e5).round() / 1e5);
    p.is_valid().then_some(p)
}

/// Classifies a longitude/latitude pair as read; see the module documentation.
pub fn check(lon: f64, lat: f64, fix_swapped: bool) -> Checked {
    if !lon.is_finite() {
        return Checked::Bad(ProblemKind::NotFinite {
            value: lon.to_string(),
        });
    }
    if !lat.is_finite() {
        return Checked::Bad(ProblemKind::NotFinite {
            value: lat.to_string(),
        });
    }
    let p = LonLat::new(lon, lat);
    let swapped = LonLat::new(lat, lon);
    if p.is_valid() {
        if lon == 0.0 && lat == 0.0 {
            return Checked::Bad(ProblemKind::NullIsland);
        }
        if out_of_china(p) && !out_of_china(swapped) && lat.abs() > 72.0 {
            return Checked::Ok(p, Some(ProblemKind::PossiblySwapped { lon, lat }));
        }
        return Checked::Ok(p, None);
    }
    if swapped.is_valid() && !out_of_china(swapped) {
        let kind = ProblemKind::SwappedLatLon {
            lon,
            lat,
            fixed: fix_swapped,
        };
        return if fix_swapped {
            Checked::Ok(swapped, Some(kind))
        } else {
            Checked::Bad(kind)
        };
    }
    if lon.abs() > 1000.0 || lat.abs() > 1000.0 {
        return Checked::Bad(ProblemKind::Projected {
            x: lon,
            y: lat,
            as_web_mercator: from_web_mercator(lon, lat),
        });
    }
    Checked::Bad(ProblemKind::OutOfRange { lon, lat })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert_eq!(parse_number(" 120.38° "), Some(120.38));
        assert_eq!(parse_number("３６．０７"), Some(36.07));
        assert_eq!(parse_number("abc"), None);
        assert_eq!(parse_number(""), None);
        assert!(parse_number("NaN").is_some_and(f64::is_nan));
        assert_eq!(parse_count("1,234人"), Some(1234.0));
    }

    #[test]
    fn classifications() {
        assert_eq!(
            check(120.38, 36.07, false),
            Checked::Ok(LonLat::new(120.38, 36.07), None)
        );
        assert!(matches!(
            check(36.07, 120.38, false),
            Checked::Bad(ProblemKind::SwappedLatLon { fixed: false, .. })
        ));
        assert_eq!(
            check(36.07, 120.38, true),
            Checked::Ok(
                LonLat::new(120.38, 36.07),
                Some(ProblemKind::SwappedLatLon {
                    lon: 36.07,
                    lat: 120.38,
                    fixed: true
                })
            )
        );
        assert!(matches!(
            check(0.0, 0.0, false),
            Checked::Bad(ProblemKind::NullIsland)
        ));
        assert!(matches!(
            check(f64::NAN, 1.0, false),
            Checked::Bad(ProblemKind::NotFinite { .. })
        ));
        assert!(matches!(
            check(200.0, 100.0, false),
            Checked::Bad(ProblemKind::OutOfRange { .. })
        ));
        // Helsinki stays valid and unflagged.
        assert_eq!(
            check(24.94, 60.17, false),
            Checked::Ok(LonLat::new(24.94, 60.17), None)
        );
        // (40, 80) is in the Arctic Ocean; (80, 40) is Xinjiang.
        assert!(matches!(
            check(40.0, 80.0, false),
            Checked::Ok(_, Some(ProblemKind::PossiblySwapped { .. }))
        ));
    }

    #[test]
    fn web_mercator_is_recognised() {
        // Qingdao in EPSG:3857.
        let Checked::Bad(ProblemKind::Projected {
            as_web_mercator: Some(p),
            ..
        }) = check(13_400_581.0, 4_309_980.0, false)
        else {
            panic!("not projected")
        };
        assert!(
            (p.lon - 120.38).abs() < 0.01 && (p.lat - 36.07).abs() < 0.01,
            "{p:?}"
        );
    }
}
