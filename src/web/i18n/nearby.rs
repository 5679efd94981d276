//! The resident panel: every string it shows, and its date and reason wording.

use super::Lang;
use crate::plan::model::HoursType;
use crate::plan::nearby::{Education, Reason};

/// Strings of the resident panel (`super::nearby`), one table per language. Texts with
/// numbers or names in them are functions, so that each language orders its own words.
#[derive(Debug)]
pub struct NearbyText {
    /// Panel heading.
    pub heading: &'static str,
    /// How to choose a home.
    pub home_hint: &'static str,
    /// Label of the coordinates field.
    pub coords_label: &'static str,
    /// Submit the coordinates.
    pub set_home: &'static str,
    /// The coordinates could not be read.
    pub coords_error: &'static str,
    /// Label of the community search.
    pub place_label: &'static str,
    /// Placeholder of the community search.
    pub place_placeholder: &'static str,
    /// Accessible name of the suggestion list.
    pub place_list: &'static str,
    /// Nothing matches the community search.
    pub place_none: &'static str,
    /// How many communities match (announced to screen readers).
    pub place_matches: fn(usize) -> String,
    /// Use the browser's location.
    pub use_location: &'static str,
    /// The browser has no geolocation.
    pub geo_unavailable: &'static str,
    /// The location could not be had.
    pub geo_failed: &'static str,
    /// The current home, `lon, lat`.
    pub home_now: fn(f64, f64) -> String,
    /// Filters summary.
    pub filters: &'static str,
    /// Walking time.
    pub walk: &'static str,
    /// Hours type legend.
    pub hours: &'static str,
    /// Job category label.
    pub category: &'static str,
    /// Any category.
    pub category_all: &'static str,
    /// A category choice with its number of postings within the walk.
    pub category_option: fn(&str, &str) -> String,
    /// Minimum pay.
    pub pay_at_least: &'static str,
    /// The resident's education (filter).
    pub my_education: &'static str,
    /// The resident's age (filter).
    pub my_age: &'static str,
    /// Posted since.
    pub posted_since: &'static str,
    /// Keywords.
    pub keywords: &'static str,
    /// Profile summary.
    pub profile: &'static str,
    /// Profile: age.
    pub age: &'static str,
    /// Profile: education.
    pub education_label: &'static str,
    /// Profile: skills.
    pub skills: &'static str,
    /// Profile: hours wanted.
    pub hours_wanted: &'static str,
    /// Run the match.
    pub match_now: &'static str,
    /// Clear the profile.
    pub clear_profile: &'static str,
    /// The home is off the network by so many metres.
    pub off_network: fn(&str) -> String,
    /// No street network.
    pub estimate: &'static str,
    /// Services heading.
    pub services: &'static str,
    /// The station row.
    pub station: &'static str,
    /// Nothing of a kind within the walk of so many minutes.
    pub none_within: fn(&str) -> String,
    /// Trainings nearby.
    pub trainings: &'static str,
    /// Heading of the postings list: shown, total.
    pub postings_heading: fn(&str, &str) -> String,
    /// Pay unit.
    pub per_month: &'static str,
    /// Metres unit.
    pub metres: &'static str,
    /// Posting date.
    pub posted: fn(&str) -> String,
    /// Score label.
    pub score: &'static str,
    /// The route to the selected posting: time, distance.
    pub route: fn(&str, &str) -> String,
    /// No posting matches.
    pub no_postings: &'static str,
    /// An hours type.
    pub hours_type: fn(HoursType) -> &'static str,
    /// An education level.
    pub education: fn(Education) -> &'static str,
    /// A date `YYYY-MM-DD` (anything else is shown as given).
    pub date: fn(&str) -> String,
    /// Between a label and its value.
    pub colon: &'static str,
    /// Between the items of a list.
    pub list_sep: &'static str,
    /// Computation time in milliseconds.
    pub ms: fn(f64) -> String,
}

/// `YYYY-MM-DD` (at the start of `s`) as (year, month, day).
fn ymd(s: &str) -> Option<(u32, u32, u32)> {
    let s = s.trim();
    let d = s.get(..10)?;
    let mut it = d.split('-');
    let (y, m, dd) = (it.next()?, it.next()?, it.next()?);
    if y.len() != 4 || m.len() != 2 || dd.len() != 2 {
        return None;
    }
    let (y, m, dd) = (y.parse().ok()?, m.parse().ok()?, dd.parse().ok()?);
    ((1..=12).contains(&m) && (1..=31).contains(&dd)).then_some((y, m, dd))
}

fn date_zh(s: &str) -> String {
    ymd(s).map_or_else(|| s.to_owned(), |(y, m, d)| format!("{y}年{m}月{d}日"))
}

fn date_en(s: &str) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    ymd(s).map_or_else(
        || s.to_owned(),
        |(y, m, d)| format!("{d} {} {y}", MONTHS[m as usize - 1]),
    )
}

fn age_range(min: Option<u32>, max: Option<u32>) -> String {
    match (min, max) {
        (Some(a), Some(b)) => format!("{a}–{b}"),
        (Some(a), None) => format!("≥{a}"),
        (None, Some(b)) => format!("≤{b}"),
        (None, None) => "—".to_owned(),
    }
}

const fn hours_zh(h: HoursType) -> &'static str {
    match h {
        HoursType::FullTime => "全职",
        HoursType::PartTime => "兼职",
        HoursType::Flexible => "灵活就业",
        HoursType::Gig => "零工",
    }
}

const fn hours_en(h: HoursType) -> &'static str {
    match h {
        HoursType::FullTime => "Full-time",
        HoursType::PartTime => "Part-time",
        HoursType::Flexible => "Flexible",
        HoursType::Gig => "Gig",
    }
}

const fn education_zh(e: Education) -> &'static str {
    e.label_zh()
}

const fn education_en(e: Education) -> &'static str {
    match e {
        Education::None => "None required",
        Education::Primary => "Primary school",
        Education::JuniorSecondary => "Junior secondary",
        Education::SeniorSecondary => "Senior secondary / vocational",
        Education::Associate => "Associate (junior college)",
        Education::Bachelor => "Bachelor's",
        Education::Master => "Master's",
        Education::Doctorate => "Doctorate",
    }
}

/// One reason of a match score in Chinese (rendered in the worker: [`super::Both::reason`]).
pub(super) fn reason_zh(r: &Reason) -> String {
    match r {
        Reason::Walk { minutes } => format!("步行 {}", Lang::Zh.minutes(minutes * 60.0)),
        Reason::EducationNotRequired => "学历不限".to_owned(),
        Reason::EducationMeets { required } => {
            format!("学历符合（要求{}）", required.label_zh())
        }
        Reason::EducationBelow { required, have } => format!(
            "学历低于要求（要求{}，您为{}）",
            required.label_zh(),
            have.label_zh()
        ),
        Reason::EducationUnknown { required } => {
            format!("要求{}，未填写学历", required.label_zh())
        }
        Reason::AgeNotRestricted => "年龄不限".to_owned(),
        Reason::AgeInside { min, max } => format!("年龄符合（{}岁）", age_range(*min, *max)),
        Reason::AgeOutside { min, max } => format!("年龄不符（{}岁）", age_range(*min, *max)),
        Reason::AgeUnknown { min, max } => {
            format!("年龄要求 {}，未填写年龄", age_range(*min, *max))
        }
        Reason::SkillsMatched { skills, of } => {
            format!("技能匹配 {}/{}：{}", skills.len(), of, skills.join("、"))
        }
        Reason::NoSkillsMatched { of } => format!("技能未匹配（共{of}项）"),
        Reason::HoursMatch { hours } => format!("工时符合（{}）", hours_zh(*hours)),
        Reason::HoursMismatch { hours } => format!("工时不符（{}）", hours_zh(*hours)),
        Reason::HoursUnknown => "工时未注明".to_owned(),
    }
}

/// One reason of a match score in English (rendered in the worker: [`super::Both::reason`]).
pub(super) fn reason_en(r: &Reason) -> String {
    match r {
        Reason::Walk { minutes } => format!("{} walk", Lang::En.minutes(minutes * 60.0)),
        Reason::EducationNotRequired => "no education requirement".to_owned(),
        Reason::EducationMeets { required } => {
            format!("education meets {}", education_en(*required))
        }
        Reason::EducationBelow { required, have } => format!(
            "education below the requirement ({}; you: {})",
            education_en(*required),
            education_en(*have)
        ),
        Reason::EducationUnknown { required } => format!(
            "requires {}; your education not given",
            education_en(*required)
        ),
        Reason::AgeNotRestricted => "no age limit".to_owned(),
        Reason::AgeInside { min, max } => format!("age fits ({})", age_range(*min, *max)),
        Reason::AgeOutside { min, max } => format!("age outside {}", age_range(*min, *max)),
        Reason::AgeUnknown { min, max } => {
            format!("age {} required; your age not given", age_range(*min, *max))
        }
        Reason::SkillsMatched { skills, of } => {
            format!("skills {}/{}: {}", skills.len(), of, skills.join(", "))
        }
        Reason::NoSkillsMatched { of } => format!("no skill matched (of {of})"),
        Reason::HoursMatch { hours } => format!("hours match ({})", hours_en(*hours)),
        Reason::HoursMismatch { hours } => format!("hours differ ({})", hours_en(*hours)),
        Reason::HoursUnknown => "hours not stated".to_owned(),
    }
}

/// 简体中文.
pub static ZH_NEARBY: NearbyText = NearbyText {
    heading: "附近的岗位与服务",
    home_hint: "在地图上点击选择住址，或：",
    coords_label: "经纬度",
    set_home: "设为住址",
    coords_error: "请输入“经度,纬度”，例如 121.47,31.23",
    place_label: "选择社区",
    place_placeholder: "输入社区名或拼音",
    place_list: "匹配的社区",
    place_none: "没有匹配的社区",
    place_matches: |n| format!("{n} 个匹配的社区"),
    use_location: "使用我的位置",
    geo_unavailable: "此浏览器不支持定位",
    geo_failed: "未能获取位置",
    home_now: |lon, lat| format!("住址：{lon:.5}, {lat:.5}"),
    filters: "筛选",
    walk: "步行时间",
    hours: "工时",
    category: "岗位类别",
    category_all: "全部类别",
    category_option: |c, n| format!("{c}（{n}）"),
    pay_at_least: "月薪不低于",
    my_education: "我的学历",
    my_age: "我的年龄",
    posted_since: "发布不早于",
    keywords: "关键词",
    profile: "一键匹配（个人条件只保存在本浏览器）",
    age: "年龄",
    education_label: "学历",
    skills: "技能/关键词",
    hours_wanted: "希望工时",
    match_now: "一键匹配",
    clear_profile: "清除个人条件",
    off_network: |m| {
        format!("该位置距最近的步行道路约 {m} 米，超出可步行网络，请在道路附近选择住址。")
    },
    estimate: "无路网：时间为直线距离估算",
    services: "附近服务",
    station: "就享家服务站",
    none_within: |m| format!("{m}内没有"),
    trainings: "附近培训/夜校：",
    postings_heading: |shown, total| format!("步行可达岗位 {shown} / {total}"),
    per_month: "元/月",
    metres: "米",
    posted: |d| format!("发布于 {d}"),
    score: "匹配分",
    route: |time, dist| format!("步行路线：{time} · {dist}"),
    no_postings: "步行范围内没有符合条件的岗位",
    hours_type: hours_zh,
    education: education_zh,
    date: date_zh,
    colon: "：",
    list_sep: "、",
    ms: |ms| format!("{ms:.1} 毫秒"),
};

/// English.
pub static EN_NEARBY: NearbyText = NearbyText {
    heading: "Jobs and services near home",
    home_hint: "Click the map to set your home, or:",
    coords_label: "Lon, lat",
    set_home: "Set home",
    coords_error: "Enter “lon,lat”, e.g. 121.47,31.23",
    place_label: "Choose a community",
    place_placeholder: "Name or pinyin",
    place_list: "Matching communities",
    place_none: "No community matches",
    place_matches: |n| {
        if n == 1 {
            "1 community matches".to_owned()
        } else {
            format!("{n} communities match")
        }
    },
    use_location: "Use my location",
    geo_unavailable: "Geolocation is not available",
    geo_failed: "Location was not available",
    home_now: |lon, lat| format!("Home: {lon:.5}, {lat:.5}"),
    filters: "Filters",
    walk: "Walk",
    hours: "Hours",
    category: "Job category",
    category_all: "All categories",
    category_option: |c, n| format!("{c} ({n})"),
    pay_at_least: "Pay at least",
    my_education: "My education",
    my_age: "My age",
    posted_since: "Posted since",
    keywords: "Keywords",
    profile: "One-click match (your profile stays in this browser)",
    age: "Age",
    education_label: "Education",
    skills: "Skills",
    hours_wanted: "Hours wanted",
    match_now: "Match",
    clear_profile: "Clear profile",
    off_network: |m| {
        format!(
            "This place is about {m} m from the nearest walkable street: choose a home nearer a street."
        )
    },
    estimate: "No street network: straight-line estimates",
    services: "Services nearby",
    station: "Employment station",
    none_within: |m| format!("none within {m}"),
    trainings: "Training nearby: ",
    postings_heading: |shown, total| format!("Postings within the walk: {shown} / {total}"),
    per_month: "yuan/month",
    metres: "m",
    posted: |d| format!("posted {d}"),
    score: "score",
    route: |time, dist| format!("Walking route: {time} · {dist}"),
    no_postings: "No posting within the walk matches",
    hours_type: hours_en,
    education: education_en,
    date: date_en,
    colon: ": ",
    list_sep: ", ",
    ms: |ms| format!("{ms:.1} ms"),
};

impl Lang {
    /// The resident panel's strings of this language.
    pub const fn nearby(self) -> &'static NearbyText {
        match self {
            Lang::Zh => &ZH_NEARBY,
            Lang::En => &EN_NEARBY,
        }
    }
}

#[cfg(test)]
mod nearby_text_tests {
    use super::*;

    #[test]
    fn dates_per_language() {
        assert_eq!((Lang::Zh.nearby().date)("2024-10-31"), "2024年10月31日");
        assert_eq!((Lang::En.nearby().date)("2024-10-31"), "31 Oct 2024");
        assert_eq!((Lang::En.nearby().date)("2026-01-05T08:00"), "5 Jan 2026");
        assert_eq!((Lang::Zh.nearby().date)("soon"), "soon");
        assert_eq!((Lang::En.nearby().date)("2024-13-01"), "2024-13-01");
    }
}
