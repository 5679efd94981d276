//! The domain model shared by importers, analyses, the CLI and the app.
//!
//! Positions are WGS-84 ([`LonLat`]) here, because these are the records users load and export;
//! analyses project them once into local metres.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::geom::LonLat;

/// A convenience-circle category (the 六个一 plus extensible extras).
///
/// The string ids are stable: they appear in files, URLs and CLI flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// 一店: store / supermarket / convenience store.
    Store,
    /// 一早: breakfast.
    Breakfast,
    /// 一菜: fresh-food (vegetable) market.
    Market,
    /// 一修: repair (shoes, clothes, keys, appliances, bicycles).
    Repair,
    /// 一老: elderly care, 助餐, community canteen.
    Elderly,
    /// 一小: childcare, 托育, kindergarten.
    Childcare,
    /// 家政: housekeeping.
    Housekeeping,
    /// 快递: parcel lockers and stations.
    Parcel,
    /// 药店: pharmacy.
    Pharmacy,
    /// 社区医院: community clinic.
    Clinic,
    /// 培训/夜校: training and night school.
    Training,
    /// 创业空间/微工厂: start-up space, micro factory.
    StartupSpace,
}

impl Category {
    /// Every category, base six first, in a stable order.
    pub const ALL: [Category; 12] = [
        Category::Store,
        Category::Breakfast,
        Category::Market,
        Category::Repair,
        Category::Elderly,
        Category::Childcare,
        Category::Housekeeping,
        Category::Parcel,
        Category::Pharmacy,
        Category::Clinic,
        Category::Training,
        Category::StartupSpace,
    ];

    /// The six base categories of the 一刻钟便民生活圈 (一店一早、一菜一修、一老一小).
    pub const BASE_SIX: [Category; 6] = [
        Category::Store,
        Category::Breakfast,
        Category::Market,
        Category::Repair,
        Category::Elderly,
        Category::Childcare,
    ];

    /// The stable id (`store`, `breakfast`, …).
    pub const fn id(self) -> &'static str {
        match self {
            Category::Store => "store",
            Category::Breakfast => "breakfast",
            Category::Market => "market",
            Category::Repair => "repair",
            Category::Elderly => "elderly",
            Category::Childcare => "childcare",
            Category::Housekeeping => "housekeeping",
            Category::Parcel => "parcel",
            Category::Pharmacy => "pharmacy",
            Category::Clinic => "clinic",
            Category::Training => "training",
            Category::StartupSpace => "startup_space",
        }
    }

    /// The Chinese label (一店, 一早, … 家政, …).
    pub const fn label_zh(self) -> &'static str {
        match self {
            Category::Store => "一店(便利店/超市)",
            Category::Breakfast => "一早(早餐)",
            Category::Market => "一菜(菜市场)",
            Category::Repair => "一修(维修)",
            Category::Elderly => "一老(养老/助餐)",
            Category::Childcare => "一小(托育)",
            Category::Housekeeping => "家政",
            Category::Parcel => "快递",
            Category::Pharmacy => "药店",
            Category::Clinic => "社区医院",
            Category::Training => "培训/夜校",
            Category::StartupSpace => "创业空间/微工厂",
        }
    }

    /// The English label.
    pub const fn label_en(self) -> &'static str {
        match self {
            Category::Store => "Store",
            Category::Breakfast => "Breakfast",
            Category::Market => "Fresh market",
            Category::Repair => "Repair",
            Category::Elderly => "Elderly care",
            Category::Childcare => "Childcare",
            Category::Housekeeping => "Housekeeping",
            Category::Parcel => "Parcel",
            Category::Pharmacy => "Pharmacy",
            Category::Clinic => "Clinic",
            Category::Training => "Training",
            Category::StartupSpace => "Start-up space",
        }
    }

    /// True for the six base categories.
    pub fn is_base(self) -> bool {
        Self::BASE_SIX.contains(&self)
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// An unknown category id or label.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown category {0:?} (expected one of: store, breakfast, market, repair, elderly, childcare, housekeeping, parcel, pharmacy, clinic, training, startup_space, or their Chinese names)"
)]
pub struct UnknownCategory(pub String);

impl FromStr for Category {
    type Err = UnknownCategory;

    /// Accepts the id, the English label, or a Chinese name (一店, 便利店, 早餐, 菜市场, …).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let lower = t.to_ascii_lowercase();
        for c in Self::ALL {
            if lower == c.id() || lower == c.label_en().to_ascii_lowercase() || t == c.label_zh() {
                return Ok(c);
            }
        }
        let c = match t {
            "一店" | "便利店" | "超市" | "商店" => Category::Store,
            "一早" | "早餐" | "早餐店" => Category::Breakfast,
            "一菜" | "菜市场" | "菜场" | "农贸市场" | "生鲜" => Category::Market,
            "一修" | "维修" | "修理" => Category::Repair,
            "一老" | "养老" | "助餐" | "社区食堂" | "老年食堂" | "养老服务" => {
                Category::Elderly
            }
            "一小" | "托育" | "托幼" | "幼儿园" | "托儿所" => Category::Childcare,
            "家政" => Category::Housekeeping,
            "快递" | "快递驿站" => Category::Parcel,
            "药店" | "药房" => Category::Pharmacy,
            "社区医院" | "诊所" | "卫生服务中心" | "社区卫生服务中心" => {
                Category::Clinic
            }
            "培训" | "夜校" | "职业培训" => Category::Training,
            "创业空间" | "微工厂" | "创业孵化" => Category::StartupSpace,
            _ => return Err(UnknownCategory(t.to_owned())),
        };
        Ok(c)
    }
}

/// A 就享家 乐业服务站 (employment service station).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Station {
    /// Stable id within its layer.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Location (WGS-84).
    pub pos_wgs84: LonLat,
    /// Street address, when known.
    #[serde(default)]
    pub address: Option<String>,
    /// Host place type (党群服务中心, 便民服务中心, 物业, 银行网点, 商超, 楼宇, 书店 …).
    #[serde(default)]
    pub host_type: Option<String>,
    /// Services offered (职业指导, 岗位推送, 技能培训 …).
    #[serde(default)]
    pub services: Vec<String>,
    /// Opening hours as written by the source.
    #[serde(default)]
    pub hours: Option<String>,
}

/// A facility of one convenience category.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Facility {
    /// Stable id within its layer.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Category.
    pub category: Category,
    /// Location (WGS-84).
    pub pos_wgs84: LonLat,
}

/// Hours type of a posting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HoursType {
    /// 全职.
    FullTime,
    /// 兼职.
    PartTime,
    /// 灵活就业.
    Flexible,
    /// 零工.
    Gig,
}

impl HoursType {
    /// Every hours type, in display order.
    pub const ALL: [Self; 4] = [Self::FullTime, Self::PartTime, Self::Flexible, Self::Gig];

    /// The one reader of an hours type, used by the importers, the CLI and the app: its id
    /// (`full_time`, `part_time`, `flexible`, `gig`), English words and abbreviations (`ft`,
    /// `pt`, `casual`) or Chinese (全职, 兼职, 灵活就业, 零工 and common synonyms); case, spaces,
    /// `-` and `_` are ignored.
    ///
    /// ```
    /// use shuangquan::plan::model::HoursType;
    /// assert_eq!(HoursType::parse("兼职"), Some(HoursType::PartTime));
    /// assert_eq!(HoursType::parse("Full-time"), Some(HoursType::FullTime));
    /// assert_eq!(HoursType::parse("FT"), Some(HoursType::FullTime));
    /// assert_eq!(HoursType::parse("9:00-17:00"), None);
    /// ```
    pub fn parse(s: &str) -> Option<Self> {
        let t: String = s
            .trim()
            .to_lowercase()
            .chars()
            .filter(|c| !matches!(c, '-' | '_' | ' '))
            .collect();
        match t.as_str() {
            "全职" | "fulltime" | "ft" | "full" => Some(Self::FullTime),
            "兼职" | "parttime" | "pt" | "part" => Some(Self::PartTime),
            "灵活就业" | "灵活" | "灵活用工" | "flexible" | "flex" => {
                Some(Self::Flexible)
            }
            "零工" | "临时工" | "日结" | "小时工" | "gig" | "casual" => Some(Self::Gig),
            _ => None,
        }
    }

    /// The canonical id (`full_time`, `part_time`, `flexible`, `gig`), as written in every
    /// export and read back by [`HoursType::parse`].
    pub const fn id(self) -> &'static str {
        match self {
            Self::FullTime => "full_time",
            Self::PartTime => "part_time",
            Self::Flexible => "flexible",
            Self::Gig => "gig",
        }
    }
}

/// A job posting (岗位).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Posting {
    /// Stable id.
    pub id: String,
    /// Job title.
    pub title: String,
    /// Employer.
    #[serde(default)]
    pub employer: Option<String>,
    /// Workplace location (WGS-84).
    pub pos_wgs84: LonLat,
    /// Job category (free text, e.g. 餐饮, 家政, 零售).
    #[serde(default)]
    pub category: Option<String>,
    /// Monthly pay range in yuan, when given.
    #[serde(default)]
    pub pay_min: Option<f64>,
    /// Upper end of the pay range.
    #[serde(default)]
    pub pay_max: Option<f64>,
    /// Hours type.
    #[serde(default)]
    pub hours: Option<HoursType>,
    /// Minimum education (free text such as 初中, 高中, 大专, 本科).
    #[serde(default)]
    pub education: Option<String>,
    /// Minimum age.
    #[serde(default)]
    pub age_min: Option<u32>,
    /// Maximum age.
    #[serde(default)]
    pub age_max: Option<u32>,
    /// Required or useful skills.
    #[serde(default)]
    pub skills: Vec<String>,
    /// Posting date, ISO 8601 (YYYY-MM-DD).
    #[serde(default)]
    pub posted: Option<String>,
    /// Id of the publishing station.
    #[serde(default)]
    pub station_id: Option<String>,
}

/// A community (社区/村) or a higher administrative unit (街道, district).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Community {
    /// 12-digit (community), 9-digit (街道) or 6-digit (district) division code, when known.
    #[serde(default)]
    pub code: Option<String>,
    /// Name.
    pub name: String,
    /// Parent unit's code, when known.
    #[serde(default)]
    pub parent_code: Option<String>,
    /// Population, when known.
    #[serde(default)]
    pub population: Option<f64>,
    /// Boundary (WGS-84) as a multipolygon, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub boundary_wgs84: Option<geo::MultiPolygon<f64>>,
}

/// Where people live: a point with a population weight.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DemandPoint {
    /// Stable id.
    pub id: String,
    /// Location (WGS-84).
    pub pos_wgs84: LonLat,
    /// Population represented by the point.
    pub weight: f64,
    /// Community name or code, when assigned.
    #[serde(default)]
    pub community: Option<String>,
}

/// A candidate site for a new station.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    /// Stable id.
    pub id: String,
    /// Display name.
    #[serde(default)]
    pub name: Option<String>,
    /// Host place type (党群服务中心, 物业, 银行网点 …).
    #[serde(default)]
    pub host_type: Option<String>,
    /// Location (WGS-84).
    pub pos_wgs84: LonLat,
}

/// A node of the street network that changes how it is walked: a compound gate or a street
/// crossing (see [`crate::plan::osm::tags::network_node_kind`]). It applies where a street has a
/// vertex at exactly this position.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct NetworkNode {
    /// Position (WGS-84), identical to the street vertex it marks.
    pub pos_wgs84: LonLat,
    /// What it is.
    pub kind: crate::plan::osm::tags::NetworkNodeKind,
}

/// A street (polyline) as imported, with the OSM tags that decide walkability.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Street {
    /// Source id (OSM way id or feature index).
    pub id: String,
    /// Vertices (WGS-84). Identical coordinates at two streets make a junction.
    pub coords_wgs84: Vec<LonLat>,
    /// OSM `highway` value; `None` for a plain line that is walkable as given.
    #[serde(default)]
    pub highway: Option<String>,
    /// OSM `foot` value.
    #[serde(default)]
    pub foot: Option<String>,
    /// OSM `access` value.
    #[serde(default)]
    pub access: Option<String>,
    /// Name, when known.
    #[serde(default)]
    pub name: Option<String>,
    /// OSM `area` value (`yes`: the outline of a square, not walked along).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area: Option<String>,
    /// OSM `service` value (`private`: a compound's own way).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_chinese_names_parse() {
        for c in Category::ALL {
            assert_eq!(c.id().parse::<Category>(), Ok(c));
            assert_eq!(c.label_zh().parse::<Category>(), Ok(c));
            assert_eq!(c.label_en().parse::<Category>(), Ok(c));
        }
        assert_eq!("一菜".parse::<Category>(), Ok(Category::Market));
        assert_eq!("  Breakfast ".parse::<Category>(), Ok(Category::Breakfast));
        assert!("spaceport".parse::<Category>().is_err());
    }

    #[test]
    fn serde_uses_stable_ids() {
        let s = serde_json::to_string(&Category::StartupSpace).unwrap();
        assert_eq!(s, "\"startup_space\"");
        assert_eq!(Category::BASE_SIX.iter().filter(|c| c.is_base()).count(), 6);
        assert!(!Category::Pharmacy.is_base());
    }
}
