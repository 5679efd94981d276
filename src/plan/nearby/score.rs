//! The one-click match score: walking time, education, age, skills and hours, each giving
//! points with a structured [`Reason`]; see the module documentation of
//! [`crate::plan::nearby`] for the formula and a worked example. O(fields × keywords) per
//! posting.

use serde::{Deserialize, Serialize};

use super::filter::{Education, de_hours, required_education};
use crate::plan::model::{HoursType, Posting};

/// Points for walking time at zero minutes (falling linearly to 0 at the limit).
pub const WALK_POINTS: f64 = 40.0;
/// Points for meeting the education requirement (half when the resident's level is unknown).
pub const EDUCATION_POINTS: f64 = 20.0;
/// Points for an age inside the posting's range (half when the resident's age is unknown).
pub const AGE_POINTS: f64 = 10.0;
/// Points when every profile keyword matches (pro rata; half when the profile has none).
pub const SKILLS_POINTS: f64 = 20.0;
/// Points for a wanted hours type (half when either side does not say).
pub const HOURS_POINTS: f64 = 10.0;
/// Factor applied to the sum when a hard requirement (education, age) is not met.
pub const HARD_FAILURE_FACTOR: f64 = 0.1;

/// A resident's short profile for one-click matching. Kept only where the resident keeps it
/// (the browser's local storage); every field is optional.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MatchProfile {
    /// Age in years.
    pub age: Option<u32>,
    /// Highest education completed.
    pub education: Option<Education>,
    /// Skills and keywords (case-insensitive substrings of a posting's title, employer,
    /// skills or category).
    pub skills: Vec<String>,
    /// Hours types wanted (ids or Chinese names in JSON).
    #[serde(deserialize_with = "de_hours")]
    pub hours: Vec<HoursType>,
    /// Longest walk the resident accepts, minutes (a hard limit on top of the query's).
    pub max_minutes: Option<f64>,
}

/// Why a posting scores what it does: one entry per component, data not prose, so the app
/// can word it in either language.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reason {
    /// Walking time, minutes.
    Walk {
        /// Minutes on foot.
        minutes: f64,
    },
    /// The posting states no education requirement.
    EducationNotRequired,
    /// The resident's education meets the requirement.
    EducationMeets {
        /// The requirement.
        required: Education,
    },
    /// The resident's education is below the requirement (a hard requirement).
    EducationBelow {
        /// The requirement.
        required: Education,
        /// The resident's level.
        have: Education,
    },
    /// The posting requires an education level, the profile does not give one.
    EducationUnknown {
        /// The requirement.
        required: Education,
    },
    /// The posting has no age range.
    AgeNotRestricted,
    /// The resident's age is inside the posting's range.
    AgeInside {
        /// Lowest age, if any.
        min: Option<u32>,
        /// Highest age, if any.
        max: Option<u32>,
    },
    /// The resident's age is outside the posting's range (a hard requirement).
    AgeOutside {
        /// Lowest age, if any.
        min: Option<u32>,
        /// Highest age, if any.
        max: Option<u32>,
    },
    /// The posting has an age range, the profile gives no age.
    AgeUnknown {
        /// Lowest age, if any.
        min: Option<u32>,
        /// Highest age, if any.
        max: Option<u32>,
    },
    /// Profile keywords found in the posting.
    SkillsMatched {
        /// The keywords found, in profile order.
        skills: Vec<String>,
        /// How many keywords the profile has.
        of: usize,
    },
    /// None of the profile's keywords is in the posting.
    NoSkillsMatched {
        /// How many keywords the profile has.
        of: usize,
    },
    /// The posting's hours type is one the resident wants.
    HoursMatch {
        /// The posting's hours type.
        hours: HoursType,
    },
    /// The posting's hours type is not one the resident wants.
    HoursMismatch {
        /// The posting's hours type.
        hours: HoursType,
    },
    /// The posting does not say its hours type.
    HoursUnknown,
}

/// The points of each component and the total.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Points {
    /// Walking time, 0–40.
    pub walk: f64,
    /// Education, 0–20.
    pub education: f64,
    /// Age, 0–10.
    pub age: f64,
    /// Skills and keywords, 0–20.
    pub skills: f64,
    /// Hours type, 0–10.
    pub hours: f64,
    /// False when a hard requirement (education, age) is not met.
    pub eligible: bool,
    /// The sum, times [`HARD_FAILURE_FACTOR`] when not eligible.
    pub total: f64,
}

/// Scores a posting `minutes` away for a profile, with `limit_minutes` the walking limit
/// (walk points fall linearly from 40 at 0 to 0 at the limit). Returns the points and the
/// reasons, walk first.
pub fn score(
    p: &Posting,
    minutes: f64,
    limit_minutes: f64,
    profile: &MatchProfile,
) -> (Points, Vec<Reason>) {
    let mut reasons = vec![Reason::Walk { minutes }];
    let mut pts = Points {
        eligible: true,
        walk: walk_points(minutes, limit_minutes),
        ..Points::default()
    };

    pts.education = match (required_education(p), profile.education) {
        (None, _) => {
            reasons.push(Reason::EducationNotRequired);
            EDUCATION_POINTS
        }
        (Some(required), None) => {
            reasons.push(Reason::EducationUnknown { required });
            EDUCATION_POINTS / 2.0
        }
        (Some(required), Some(have)) if have >= required => {
            reasons.push(Reason::EducationMeets { required });
            EDUCATION_POINTS
        }
        (Some(required), Some(have)) => {
            reasons.push(Reason::EducationBelow { required, have });
            pts.eligible = false;
            0.0
        }
    };

    let (min, max) = (p.age_min, p.age_max);
    pts.age = match profile.age {
        _ if min.is_none() && max.is_none() => {
            reasons.push(Reason::AgeNotRestricted);
            AGE_POINTS
        }
        None => {
            reasons.push(Reason::AgeUnknown { min, max });
            AGE_POINTS / 2.0
        }
        Some(age) if super::filter::age_fits(p, age) => {
            reasons.push(Reason::AgeInside { min, max });
            AGE_POINTS
        }
        Some(_) => {
            reasons.push(Reason::AgeOutside { min, max });
            pts.eligible = false;
            0.0
        }
    };

    let keywords: Vec<&str> = profile
        .skills
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect();
    pts.skills = if keywords.is_empty() {
        SKILLS_POINTS / 2.0
    } else {
        let hay = haystack(p);
        let matched: Vec<String> = keywords
            .iter()
            .filter(|k| hay.contains(&k.to_lowercase()))
            .map(|k| (*k).to_owned())
            .collect();
        let of = keywords.len();
        let share = matched.len() as f64 / of as f64;
        if matched.is_empty() {
            reasons.push(Reason::NoSkillsMatched { of });
        } else {
            reasons.push(Reason::SkillsMatched {
                skills: matched,
                of,
            });
        }
        SKILLS_POINTS * share
    };

    pts.hours = match p.hours {
        _ if profile.hours.is_empty() => HOURS_POINTS / 2.0,
        None => {
            reasons.push(Reason::HoursUnknown);
            HOURS_POINTS / 2.0
        }
        Some(hours) if profile.hours.contains(&hours) => {
            reasons.push(Reason::HoursMatch { hours });
            HOURS_POINTS
        }
        Some(hours) => {
            reasons.push(Reason::HoursMismatch { hours });
            0.0
        }
    };

    let sum = pts.walk + pts.education + pts.age + pts.skills + pts.hours;
    pts.total = if pts.eligible {
        sum
    } else {
        sum * HARD_FAILURE_FACTOR
    };
    (pts, reasons)
}

/// The posting's title, employer, skills and category, lower-cased, one per line (searched once
/// per keyword).
fn haystack(p: &Posting) -> String {
    let mut s = p.title.to_lowercase();
    for part in p.employer.iter().chain(&p.skills).chain(p.category.iter()) {
        s.push('\n');
        s.push_str(&part.to_lowercase());
    }
    s
}

/// Walk points: 40 at 0 minutes, falling linearly to 0 at the limit (never negative).
pub fn walk_points(minutes: f64, limit_minutes: f64) -> f64 {
    if limit_minutes > 0.0 {
        (WALK_POINTS * (1.0 - minutes / limit_minutes)).max(0.0)
    } else {
        WALK_POINTS
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::geom::LonLat;

    fn baker() -> Posting {
        Posting {
            id: "job1".into(),
            title: "面点师".into(),
            employer: None,
            pos_wgs84: LonLat::new(0.0, 0.0),
            category: Some("餐饮".into()),
            pay_min: None,
            pay_max: None,
            hours: Some(HoursType::FullTime),
            education: Some("高中".into()),
            age_min: Some(18),
            age_max: Some(45),
            skills: vec!["烹饪".into(), "面点".into()],
            posted: None,
            station_id: None,
        }
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn worked_example_of_the_module_docs() {
        let profile = MatchProfile {
            age: Some(30),
            education: Some(Education::Associate),
            skills: vec!["烹饪".into(), "驾驶".into()],
            hours: vec![HoursType::FullTime],
            max_minutes: Some(15.0),
        };
        let (pts, reasons) = score(&baker(), 6.0, 15.0, &profile);
        assert!(close(pts.walk, 24.0) && close(pts.skills, 10.0), "{pts:?}");
        assert!(close(pts.total, 74.0), "{pts:?}");
        assert!(pts.eligible);
        assert!(reasons.contains(&Reason::SkillsMatched {
            skills: vec!["烹饪".into()],
            of: 2
        }));
        assert!(reasons.contains(&Reason::HoursMatch {
            hours: HoursType::FullTime
        }));
        let older = MatchProfile {
            age: Some(52),
            education: Some(Education::JuniorSecondary),
            ..profile
        };
        let (pts, reasons) = score(&baker(), 6.0, 15.0, &older);
        assert!(!pts.eligible);
        assert!(close(pts.total, 4.4), "{pts:?}");
        assert!(reasons.contains(&Reason::EducationBelow {
            required: Education::SeniorSecondary,
            have: Education::JuniorSecondary
        }));
        assert!(reasons.contains(&Reason::AgeOutside {
            min: Some(18),
            max: Some(45)
        }));
    }

    #[test]
    fn every_eligible_posting_outranks_every_ineligible_one() {
        // Lowest eligible: at the limit, everything unknown or mismatched.
        let weakest = 0.0 + EDUCATION_POINTS / 2.0 + AGE_POINTS / 2.0;
        // Highest ineligible: one hard failure, everything else full.
        let strongest_failing =
            (WALK_POINTS + EDUCATION_POINTS.max(AGE_POINTS) + SKILLS_POINTS + HOURS_POINTS)
                * HARD_FAILURE_FACTOR;
        assert!(strongest_failing < weakest);
        let unknown = MatchProfile {
            skills: vec!["x".into()],
            hours: vec![HoursType::Gig],
            ..MatchProfile::default()
        };
        let (pts, _) = score(&baker(), 15.0, 15.0, &unknown);
        assert!(close(pts.total, weakest), "{pts:?}");
    }

    #[test]
    fn reasons_serialise_with_a_kind_tag() {
        let r = Reason::SkillsMatched {
            skills: vec!["保洁".into()],
            of: 3,
        };
        let s = serde_json::to_string(&r).unwrap();
        assert_eq!(s, r#"{"kind":"skills_matched","skills":["保洁"],"of":3}"#);
        assert_eq!(serde_json::from_str::<Reason>(&s).unwrap(), r);
        let p: MatchProfile =
            serde_json::from_str(r#"{"education":"高中","hours":["兼职"],"age":40}"#).unwrap();
        assert_eq!(p.education, Some(Education::SeniorSecondary));
        assert_eq!(p.hours, [HoursType::PartTime]);
    }
}
