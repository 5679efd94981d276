//! Walking profiles: who is walking, as a speed in metres per minute and whether steps can be
//! used. Read from text (`standard`, `elderly`, `wheelchair`, or a custom speed in m/min) with
//! [`FromStr`]; an unknown name is an error that names it.
//!
//! | profile | speed | steps | why |
//! |---|---|---|---|
//! | `standard` | 60 m/min | yes | 3.6 km/h: 15 minutes ≈ 900 m, inside GB 50180-2018's 800–1,000 m for the 15-minute life circle |
//! | `elderly` | 45 m/min | yes | 0.76 m/s, the mean gait speed measured for people over 65 at risk of mobility disability |
//! | `wheelchair` | 50 m/min | no | no `highway=steps` (also a stroller); a manual wheelchair's usual urban pace |
//! | a number, e.g. `52` or `custom:52` | that many m/min | yes | a planner's own speed |
//!
//! Complexity: O(1).

use std::fmt;
use std::str::FromStr;

/// Who is walking: speed, and whether steps are usable.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WalkProfile {
    /// Walking speed, metres per minute.
    pub speed_m_per_min: f64,
    /// Steps are impassable (wheelchair): no arc over `highway=steps`, and a source or probe
    /// snapped onto a flight joins the network only if it is at one of its ends.
    pub avoid_steps: bool,
}

/// A profile name or speed that is not one of the known ones.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "walking profile {value:?} does not exist: use standard, elderly, wheelchair or a speed in metres per minute (e.g. 52)"
)]
pub struct ProfileError {
    /// The value given.
    pub value: String,
}

impl WalkProfile {
    /// The default walker: 60 m/min (3.6 km/h; 15 minutes ≈ 900 m, DESIGN.md §3).
    pub const DEFAULT: Self = Self {
        speed_m_per_min: 60.0,
        avoid_steps: false,
    };
    /// The standard walker (the same as [`WalkProfile::DEFAULT`]).
    pub const STANDARD: Self = Self::DEFAULT;
    /// A slower, older walker: 45 m/min.
    pub const ELDERLY: Self = Self {
        speed_m_per_min: 45.0,
        avoid_steps: false,
    };
    /// A wheelchair user (or a stroller): 50 m/min, no steps.
    pub const WHEELCHAIR: Self = Self {
        speed_m_per_min: 50.0,
        avoid_steps: true,
    };

    /// The default profile at another speed (metres per minute).
    pub const fn with_speed(speed_m_per_min: f64) -> Self {
        Self {
            speed_m_per_min,
            avoid_steps: false,
        }
    }

    /// This profile at another speed (metres per minute), keeping its rule on steps.
    #[must_use]
    pub const fn at_speed(self, speed_m_per_min: f64) -> Self {
        Self {
            speed_m_per_min,
            avoid_steps: self.avoid_steps,
        }
    }

    /// The profile's name: `standard`, `elderly`, `wheelchair`, or `custom`.
    pub fn name(&self) -> &'static str {
        if *self == Self::STANDARD {
            "standard"
        } else if *self == Self::ELDERLY {
            "elderly"
        } else if *self == Self::WHEELCHAIR {
            "wheelchair"
        } else {
            "custom"
        }
    }

    /// Seconds to walk `m` metres.
    pub(crate) fn seconds(self, m: f64) -> f64 {
        m / self.speed_m_per_min * 60.0
    }

    /// Metres walked in `s` seconds.
    pub(crate) fn metres(self, s: f64) -> f64 {
        s * self.speed_m_per_min / 60.0
    }
}

impl Default for WalkProfile {
    fn default() -> Self {
        Self::DEFAULT
    }
}

impl fmt::Display for WalkProfile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            "custom" => write!(f, "custom:{}", self.speed_m_per_min),
            n => f.write_str(n),
        }
    }
}

impl FromStr for WalkProfile {
    type Err = ProfileError;

    /// ```
    /// use shuangquan::plan::graph::WalkProfile;
    /// assert_eq!("elderly".parse::<WalkProfile>(), Ok(WalkProfile::ELDERLY));
    /// assert_eq!("Wheelchair".parse::<WalkProfile>(), Ok(WalkProfile::WHEELCHAIR));
    /// assert_eq!("custom:52".parse::<WalkProfile>(), Ok(WalkProfile::with_speed(52.0)));
    /// let e = "jogger".parse::<WalkProfile>().unwrap_err();
    /// assert!(e.to_string().contains("\"jogger\""));
    /// ```
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let err = || ProfileError {
            value: s.to_owned(),
        };
        match t.to_ascii_lowercase().as_str() {
            "standard" | "default" => Ok(Self::STANDARD),
            "elderly" => Ok(Self::ELDERLY),
            "wheelchair" => Ok(Self::WHEELCHAIR),
            other => {
                let num = other.strip_prefix("custom:").unwrap_or(other);
                let v: f64 = num.trim().parse().map_err(|_| err())?;
                if v.is_finite() && v > 0.0 && v <= 1000.0 {
                    Ok(Self::with_speed(v))
                } else {
                    Err(err())
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_bad_values_are_named() {
        for p in [
            WalkProfile::STANDARD,
            WalkProfile::ELDERLY,
            WalkProfile::WHEELCHAIR,
            WalkProfile::with_speed(52.5),
        ] {
            assert_eq!(p.to_string().parse::<WalkProfile>(), Ok(p));
        }
        for bad in ["", "fast", "0", "-3", "NaN", "inf", "custom:", "1e9"] {
            let e = bad.parse::<WalkProfile>().unwrap_err();
            assert_eq!(e.value, bad);
        }
        assert_eq!(WalkProfile::WHEELCHAIR.at_speed(40.0).name(), "custom");
        assert!(WalkProfile::WHEELCHAIR.at_speed(40.0).avoid_steps);
    }
}
