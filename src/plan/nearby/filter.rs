//! Filters on postings: category, hours type, pay, education, age, posting date and keywords.
//!
//! Every filter is optional; an empty list or `None` keeps everything. A posting is kept when
//! it passes every filter given ([`Filters::keeps`], O(fields) per posting). What happens when
//! the posting does not say (no pay, no date, no hours type) is stated per field: a filter the
//! resident set explicitly is only passed by postings known to satisfy it, except education
//! and age, where a posting without a requirement has none to fail.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize};

use crate::plan::model::{HoursType, Posting};

/// An education level, ordered from none to a doctorate.
///
/// Parsed ([`FromStr`]) from Chinese (小学, 初中, 高中/中专/职高/技校, 大专, 本科, 硕士, 博士,
/// 不限) or English ids and names, tolerating suffixes such as 及以上 / 以上 / 学历. Serialised as
/// the snake_case id; deserialised from any form [`FromStr`] accepts.
///
/// ```
/// use shuangquan::plan::nearby::Education;
/// assert_eq!("大专及以上".parse::<Education>(), Ok(Education::Associate));
/// assert_eq!("中专".parse::<Education>(), Ok(Education::SeniorSecondary));
/// assert!(Education::Bachelor > Education::SeniorSecondary);
/// assert_eq!("不限".parse::<Education>(), Ok(Education::None));
/// ```
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case", try_from = "String")]
pub enum Education {
    /// 不限: no requirement / no formal education.
    #[default]
    None,
    /// 小学: primary school.
    Primary,
    /// 初中: junior secondary (middle school).
    JuniorSecondary,
    /// 高中, 中专, 职高, 技校: senior secondary, general or vocational.
    SeniorSecondary,
    /// 大专: associate degree (junior college).
    Associate,
    /// 本科: bachelor's degree.
    Bachelor,
    /// 硕士: master's degree.
    Master,
    /// 博士: doctorate.
    Doctorate,
}

impl Education {
    /// Every level, ascending.
    pub const ALL: [Education; 8] = [
        Education::None,
        Education::Primary,
        Education::JuniorSecondary,
        Education::SeniorSecondary,
        Education::Associate,
        Education::Bachelor,
        Education::Master,
        Education::Doctorate,
    ];

    /// The stable id (`none`, `primary`, …).
    pub const fn id(self) -> &'static str {
        match self {
            Education::None => "none",
            Education::Primary => "primary",
            Education::JuniorSecondary => "junior_secondary",
            Education::SeniorSecondary => "senior_secondary",
            Education::Associate => "associate",
            Education::Bachelor => "bachelor",
            Education::Master => "master",
            Education::Doctorate => "doctorate",
        }
    }

    /// The Chinese label.
    pub const fn label_zh(self) -> &'static str {
        match self {
            Education::None => "不限",
            Education::Primary => "小学",
            Education::JuniorSecondary => "初中",
            Education::SeniorSecondary => "高中/中专",
            Education::Associate => "大专",
            Education::Bachelor => "本科",
            Education::Master => "硕士",
            Education::Doctorate => "博士",
        }
    }
}

impl fmt::Display for Education {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// Text that is not an education level.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown education level {0:?} (expected 不限, 小学, 初中, 高中, 中专, 大专, 本科, 硕士, 博士 or none, primary, junior_secondary, senior_secondary, associate, bachelor, master, doctorate)"
)]
pub struct UnknownEducation(pub String);

impl FromStr for Education {
    type Err = UnknownEducation;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let raw = s.trim();
        let mut t = raw.to_lowercase();
        for suffix in [
            "及以上学历",
            "以上学历",
            "及以上",
            "以上",
            "学历",
            "毕业",
            " or above",
        ] {
            if let Some(x) = t.strip_suffix(suffix) {
                t = x.trim().to_owned();
            }
        }
        let t = t.replace(['-', ' '], "_");
        let level = match t.as_str() {
            "" | "不限" | "无" | "无要求" | "none" | "any" | "no_requirement" => {
                Education::None
            }
            "小学" | "primary" | "primary_school" | "elementary" => Education::Primary,
            "初中" | "junior_secondary" | "junior_high" | "middle_school" => {
                Education::JuniorSecondary
            }
            "高中"
            | "中专"
            | "职高"
            | "技校"
            | "中技"
            | "高中/中专"
            | "中专/高中"
            | "高中/中专/职高"
            | "senior_secondary"
            | "high_school"
            | "senior_high"
            | "secondary"
            | "vocational" => Education::SeniorSecondary,
            "大专" | "专科" | "高职" | "associate" | "junior_college" | "college" => {
                Education::Associate
            }
            "本科" | "大学" | "学士" | "bachelor" | "bachelors" | "undergraduate"
            | "university" => Education::Bachelor,
            "硕士" | "研究生" | "master" | "masters" | "postgraduate" => Education::Master,
            "博士" | "doctorate" | "doctor" | "phd" => Education::Doctorate,
            _ => return Err(UnknownEducation(raw.to_owned())),
        };
        Ok(level)
    }
}

impl TryFrom<String> for Education {
    type Error = UnknownEducation;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

/// Deserialises a list of hours types from ids or Chinese names.
pub(crate) fn de_hours<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<HoursType>, D::Error> {
    let raw: Vec<String> = Vec::deserialize(d)?;
    raw.iter()
        .map(|s| {
            HoursType::parse(s).ok_or_else(|| {
                serde::de::Error::custom(format!(
                    "unknown hours type {s:?} (full_time, part_time, flexible, gig, 全职, 兼职, 灵活就业, 零工)"
                ))
            })
        })
        .collect()
}

/// Which postings to keep. The default keeps every posting.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Filters {
    /// Job categories (exact match on the posting's category, surrounding spaces ignored);
    /// empty = any. A posting without a category fails a non-empty list.
    pub categories: Vec<String>,
    /// Hours types; empty = any. A posting without an hours type fails a non-empty list.
    #[serde(deserialize_with = "de_hours")]
    pub hours: Vec<HoursType>,
    /// Lowest acceptable pay, yuan per month: keeps postings whose `pay_max` (else `pay_min`)
    /// is at least this. A posting without pay fails.
    pub pay_min: Option<f64>,
    /// Highest pay of interest: keeps postings whose `pay_min` (else `pay_max`) is at most
    /// this. A posting without pay fails.
    pub pay_max: Option<f64>,
    /// The resident's education: keeps postings whose requirement is at most this level. A
    /// posting without a requirement, or with one that is not a recognised level, is kept.
    pub education: Option<Education>,
    /// The resident's age: keeps postings whose age range contains it (a missing bound is
    /// open).
    pub age: Option<u32>,
    /// Earliest posting date, ISO `YYYY-MM-DD`: keeps postings whose date (first ten
    /// characters) is not earlier. A posting without a date fails.
    pub posted_since: Option<String>,
    /// Keywords (split on whitespace, case-insensitive): keeps postings whose title, employer or
    /// skills contain every word.
    pub keyword: Option<String>,
}

/// A posting's education requirement as a level (`None`: none, or not recognised).
pub fn required_education(p: &Posting) -> Option<Education> {
    p.education
        .as_deref()
        .and_then(|e| e.parse::<Education>().ok())
        .filter(|&e| e != Education::None)
}

impl Filters {
    /// True when no filter is set.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// Whether `p` passes the category filter alone.
    pub fn keeps_category(&self, p: &Posting) -> bool {
        self.categories.is_empty()
            || p.category
                .as_deref()
                .map(str::trim)
                .is_some_and(|c| self.categories.iter().any(|x| x.trim() == c))
    }

    /// Whether `p` passes every filter.
    pub fn keeps(&self, p: &Posting) -> bool {
        if !self.keeps_category(p) {
            return false;
        }
        if !self.hours.is_empty() && !p.hours.is_some_and(|h| self.hours.contains(&h)) {
            return false;
        }
        let pay_hi = p.pay_max.or(p.pay_min);
        let pay_lo = p.pay_min.or(p.pay_max);
        let fails = self
            .pay_min
            .is_some_and(|lo| !pay_hi.is_some_and(|v| v >= lo))
            || self
                .pay_max
                .is_some_and(|hi| !pay_lo.is_some_and(|v| v <= hi))
            || self
                .education
                .is_some_and(|level| required_education(p).is_some_and(|r| r > level))
            || self.age.is_some_and(|age| !age_fits(p, age))
            || self
                .posted_since
                .as_deref()
                .is_some_and(|since| !posted_on_or_after(p, since))
            || self
                .keyword
                .as_deref()
                .is_some_and(|k| !keyword_matches(p, k));
        !fails
    }
}

/// Whether the posting's date (first ten characters, `YYYY-MM-DD`) is not before `since`;
/// false for a posting without a date.
fn posted_on_or_after(p: &Posting, since: &str) -> bool {
    let since = since.trim();
    let since = since.get(..10).unwrap_or(since);
    p.posted.as_deref().map(str::trim).is_some_and(|d| {
        let d = d.get(..10).unwrap_or(d);
        d >= since
    })
}

/// Whether `age` is inside the posting's age range (open where a bound is missing).
pub fn age_fits(p: &Posting, age: u32) -> bool {
    p.age_min.is_none_or(|a| age >= a) && p.age_max.is_none_or(|a| age <= a)
}

/// True when `word` (already lower-case) occurs in the posting's title, employer or skills.
pub(crate) fn mentions(p: &Posting, word: &str) -> bool {
    p.title.to_lowercase().contains(word)
        || p.employer
            .as_deref()
            .is_some_and(|e| e.to_lowercase().contains(word))
        || p.skills.iter().any(|s| s.to_lowercase().contains(word))
}

fn keyword_matches(p: &Posting, keywords: &str) -> bool {
    keywords
        .split_whitespace()
        .all(|w| mentions(p, &w.to_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::geom::LonLat;

    fn posting() -> Posting {
        Posting {
            id: "p".into(),
            title: "面点师 Baker".into(),
            employer: Some("Acme 餐饮".into()),
            pos_wgs84: LonLat::new(0.0, 0.0),
            category: Some("餐饮".into()),
            pay_min: Some(4000.0),
            pay_max: Some(6000.0),
            hours: Some(HoursType::FullTime),
            education: Some("高中及以上".into()),
            age_min: Some(18),
            age_max: Some(45),
            skills: vec!["烹饪".into(), "面点".into()],
            posted: Some("2026-09-10".into()),
            station_id: None,
        }
    }

    #[test]
    fn education_parses_and_orders() {
        for e in Education::ALL {
            assert_eq!(e.id().parse::<Education>(), Ok(e));
        }
        for (s, e) in [
            ("小学", Education::Primary),
            ("初中", Education::JuniorSecondary),
            ("高中", Education::SeniorSecondary),
            ("职高", Education::SeniorSecondary),
            ("技校", Education::SeniorSecondary),
            ("大专以上", Education::Associate),
            ("本科学历", Education::Bachelor),
            ("硕士", Education::Master),
            ("博士", Education::Doctorate),
            ("High school", Education::SeniorSecondary),
            ("PhD", Education::Doctorate),
        ] {
            assert_eq!(s.parse::<Education>(), Ok(e), "{s}");
        }
        assert!("大学生活".parse::<Education>().is_err());
        let mut sorted = Education::ALL;
        sorted.reverse();
        sorted.sort();
        assert_eq!(sorted, Education::ALL);
        let e: Education = serde_json::from_str("\"本科\"").unwrap();
        assert_eq!(e, Education::Bachelor);
        assert_eq!(serde_json::to_string(&e).unwrap(), "\"bachelor\"");
    }

    #[test]
    fn each_filter_keeps_and_drops() {
        let p = posting();
        let keep = |f: Filters| f.keeps(&p);
        assert!(keep(Filters::default()));
        let f = |g: fn(&mut Filters)| {
            let mut x = Filters::default();
            g(&mut x);
            x
        };
        assert!(keep(f(|x| x.categories = vec![" 餐饮".into()])));
        assert!(!keep(f(|x| x.categories = vec!["家政".into()])));
        assert!(keep(f(
            |x| x.hours = vec![HoursType::Gig, HoursType::FullTime]
        )));
        assert!(!keep(f(|x| x.hours = vec![HoursType::Gig])));
        assert!(keep(f(|x| x.pay_min = Some(6000.0))));
        assert!(!keep(f(|x| x.pay_min = Some(6000.5))));
        assert!(keep(f(|x| x.pay_max = Some(4000.0))));
        assert!(!keep(f(|x| x.pay_max = Some(3999.0))));
        assert!(keep(f(|x| x.education = Some(Education::SeniorSecondary))));
        assert!(!keep(f(|x| x.education = Some(Education::JuniorSecondary))));
        assert!(keep(f(|x| x.age = Some(45))));
        assert!(keep(f(|x| x.age = Some(18))));
        assert!(!keep(f(|x| x.age = Some(46))));
        assert!(!keep(f(|x| x.age = Some(17))));
        assert!(keep(f(|x| x.posted_since = Some("2026-09-10".into()))));
        assert!(!keep(f(|x| x.posted_since = Some("2026-09-11".into()))));
        assert!(keep(f(|x| x.keyword = Some("baker ACME".into()))));
        assert!(keep(f(|x| x.keyword = Some("面点".into()))));
        assert!(!keep(f(|x| x.keyword = Some("baker 保洁".into()))));
        assert!(f(|x| x.age = Some(3)).keeps(&Posting {
            age_min: None,
            age_max: None,
            ..posting()
        }));
        assert!(!f(|x| x.pay_min = Some(1.0)).keeps(&Posting {
            pay_min: None,
            pay_max: None,
            ..posting()
        }));
    }

    #[test]
    fn hours_parse_from_both_languages() {
        for h in HoursType::ALL {
            assert_eq!(HoursType::parse(h.id()), Some(h));
        }
        assert_eq!(HoursType::parse("灵活就业"), Some(HoursType::Flexible));
        assert_eq!(HoursType::parse("零工"), Some(HoursType::Gig));
        assert_eq!(HoursType::parse("pt"), Some(HoursType::PartTime));
        let f: Filters = serde_json::from_str(r#"{"hours":["全职","gig"]}"#).unwrap();
        assert_eq!(f.hours, [HoursType::FullTime, HoursType::Gig]);
        assert!(serde_json::from_str::<Filters>(r#"{"hours":["often"]}"#).is_err());
    }
}
