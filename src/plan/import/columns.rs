//! Column names and GeoJSON property keys → the model's fields.
//!
//! Both CSV headers and GeoJSON property keys go through [`field_for`]. A name is normalised
//! first: lower-cased, with spaces, `_`, `-`, `:` and `.` removed, and any parenthesised part
//! (ASCII or full-width brackets) taken out — so `Longitude (GCJ-02)`, `经度（GCJ02）` and
//! `lng_gcj02` all read as a longitude. A coordinate-system name inside brackets or as a prefix /
//! suffix of a longitude/latitude header (`gcj02`, `bd09`, `wgs84`, `百度`, `火星` …) is
//! returned as a file-level hint.
//!
//! | field | accepted names (after normalisation) |
//! |---|---|
//! | id | id, fid, uid, 编号, 序号, poiid, osmid, 站点编号 … |
//! | name | name, title, 名称, 名字, 岗位, 岗位名称, 职位, 站点名称 … |
//! | longitude | 经度, lng, lon, long, longitude, x, 东经 |
//! | latitude | 纬度, lat, latitude, y, 北纬 |
//! | location (`lon,lat` in one cell, as 高德 exports) | location, 坐标, 经纬度, lnglat, lonlat |
//! | category | 类别, 类型, 分类, category, type, poitype, 设施类别, 岗位类别, 行业, 工种 |
//! | population weight | 人口, population, weight, pop, 常住人口, 人数, 权重 |
//! | community | 社区, community, 所属社区, 社区名称, 村居 |
//! | address | 地址, address, addr, 详细地址 |
//! | services | 服务, services, 服务内容, 服务项目 |
//! | opening hours | 营业时间, hours, openinghours, 开放时间, 服务时间, 办公时间 |
//! | pay | 薪资, pay, salary, 工资, 月薪, 薪酬, 待遇 (and …min / …max, 最低/最高薪资) |
//! | hours type | hourstype, 工作性质, 用工形式, 用工类型, employmenttype, jobtype |
//! | employer | employer, company, 单位, 企业, 公司, 用人单位, 招聘单位 |
//! | education | education, edu, 学历, 学历要求 |
//! | age | age, 年龄, 年龄要求 (and agemin/agemax, 最小/最大年龄) |
//! | skills | skills, skill, 技能, 技能要求 |
//! | posting date | posted, date, 发布日期, 发布时间, 日期 |
//! | station id | stationid, station, 服务站, 发布站点 |
//! | host type | hosttype, host, 承载类型, 依托类型, 载体, 载体类型, 站点类型 |
//! | division code | code, divisioncode, adcode, admincode, 代码, 区划代码, 行政区划代码 |
//! | parent code | parentcode, parent, 上级代码, 上级区划代码 |
//! | OSM tags | highway, foot, access |
//! | coordinate system | crs, srs, 坐标系, coordsys, coordinatesystem |
//! | layer | layer, 图层 |

use crate::plan::crs::Crs;

/// A field of the model that a column or property can fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    /// Record id.
    Id,
    /// Name or title.
    Name,
    /// Longitude.
    Lon,
    /// Latitude.
    Lat,
    /// `lon,lat` in one value.
    Location,
    /// Category or POI type.
    Category,
    /// Population weight.
    Weight,
    /// Community name or code.
    Community,
    /// Street address.
    Address,
    /// Services list.
    Services,
    /// Opening hours (or, for postings, possibly an hours type).
    OpeningHours,
    /// Pay range.
    Pay,
    /// Pay lower bound.
    PayMin,
    /// Pay upper bound.
    PayMax,
    /// Hours type (全职 …).
    HoursType,
    /// Employer.
    Employer,
    /// Education requirement.
    Education,
    /// Age range.
    Age,
    /// Minimum age.
    AgeMin,
    /// Maximum age.
    AgeMax,
    /// Skills list.
    Skills,
    /// Posting date.
    Posted,
    /// Publishing station id.
    StationId,
    /// Host place type.
    HostType,
    /// Division code.
    Code,
    /// Parent division code.
    ParentCode,
    /// OSM highway tag.
    Highway,
    /// OSM foot tag.
    Foot,
    /// OSM access tag.
    Access,
    /// OSM area tag.
    Area,
    /// OSM service tag.
    Service,
    /// Coordinate system of this record.
    Crs,
    /// Target layer of this record.
    Layer,
    /// Capacity of a facility or station (places, beds, staff, daily visits).
    Capacity,
}

impl Field {
    /// A short English description for messages.
    pub const fn describe(self) -> &'static str {
        match self {
            Field::Id => "id",
            Field::Name => "name",
            Field::Lon => "longitude",
            Field::Lat => "latitude",
            Field::Location => "location",
            Field::Category => "category",
            Field::Weight => "population weight",
            Field::Community => "community",
            Field::Address => "address",
            Field::Services => "services",
            Field::OpeningHours => "opening hours",
            Field::Pay => "pay",
            Field::PayMin => "minimum pay",
            Field::PayMax => "maximum pay",
            Field::HoursType => "hours type",
            Field::Employer => "employer",
            Field::Education => "education",
            Field::Age => "age range",
            Field::AgeMin => "minimum age",
            Field::AgeMax => "maximum age",
            Field::Skills => "skills",
            Field::Posted => "posting date",
            Field::StationId => "station id",
            Field::HostType => "host type",
            Field::Code => "division code",
            Field::ParentCode => "parent code",
            Field::Highway => "highway",
            Field::Foot => "foot",
            Field::Access => "access",
            Field::Area => "area",
            Field::Service => "service",
            Field::Crs => "coordinate system",
            Field::Layer => "layer",
            Field::Capacity => "capacity",
        }
    }
}

/// Accepted names for the longitude column (for messages).
pub const LON_NAMES: &str = "经度, lng, lon, long, longitude, x";
/// Accepted names for the latitude column (for messages).
pub const LAT_NAMES: &str = "纬度, lat, latitude, y";

const ALIASES: &[(&str, Field)] = &[
    ("id", Field::Id),
    ("fid", Field::Id),
    ("uid", Field::Id),
    ("编号", Field::Id),
    ("序号", Field::Id),
    ("poiid", Field::Id),
    ("osmid", Field::Id),
    ("站点编号", Field::Id),
    ("岗位编号", Field::Id),
    ("name", Field::Name),
    ("title", Field::Name),
    ("名称", Field::Name),
    ("名字", Field::Name),
    ("岗位", Field::Name),
    ("岗位名称", Field::Name),
    ("职位", Field::Name),
    ("职位名称", Field::Name),
    ("站点名称", Field::Name),
    ("服务站名称", Field::Name),
    ("机构名称", Field::Name),
    ("设施名称", Field::Name),
    ("poi名称", Field::Name),
    ("经度", Field::Lon),
    ("lng", Field::Lon),
    ("lon", Field::Lon),
    ("long", Field::Lon),
    ("longitude", Field::Lon),
    ("x", Field::Lon),
    ("东经", Field::Lon),
    ("纬度", Field::Lat),
    ("lat", Field::Lat),
    ("latitude", Field::Lat),
    ("y", Field::Lat),
    ("北纬", Field::Lat),
    ("location", Field::Location),
    ("坐标", Field::Location),
    ("经纬度", Field::Location),
    ("lnglat", Field::Location),
    ("lonlat", Field::Location),
    ("类别", Field::Category),
    ("类型", Field::Category),
    ("分类", Field::Category),
    ("category", Field::Category),
    ("type", Field::Category),
    ("poitype", Field::Category),
    ("poi类型", Field::Category),
    ("设施类别", Field::Category),
    ("设施类型", Field::Category),
    ("岗位类别", Field::Category),
    ("行业", Field::Category),
    ("工种", Field::Category),
    ("人口", Field::Weight),
    ("population", Field::Weight),
    ("weight", Field::Weight),
    ("pop", Field::Weight),
    ("常住人口", Field::Weight),
    ("人数", Field::Weight),
    ("权重", Field::Weight),
    ("capacity", Field::Capacity),
    ("容量", Field::Capacity),
    ("床位", Field::Capacity),
    ("床位数", Field::Capacity),
    ("托位", Field::Capacity),
    ("托位数", Field::Capacity),
    ("places", Field::Capacity),
    ("beds", Field::Capacity),
    ("社区", Field::Community),
    ("community", Field::Community),
    ("所属社区", Field::Community),
    ("社区名称", Field::Community),
    ("村居", Field::Community),
    ("地址", Field::Address),
    ("address", Field::Address),
    ("addr", Field::Address),
    ("详细地址", Field::Address),
    ("服务", Field::Services),
    ("services", Field::Services),
    ("服务内容", Field::Services),
    ("服务项目", Field::Services),
    ("营业时间", Field::OpeningHours),
    ("hours", Field::OpeningHours),
    ("openinghours", Field::OpeningHours),
    ("开放时间", Field::OpeningHours),
    ("服务时间", Field::OpeningHours),
    ("办公时间", Field::OpeningHours),
    ("薪资", Field::Pay),
    ("pay", Field::Pay),
    ("salary", Field::Pay),
    ("工资", Field::Pay),
    ("月薪", Field::Pay),
    ("薪酬", Field::Pay),
    ("待遇", Field::Pay),
    ("薪资范围", Field::Pay),
    ("paymin", Field::PayMin),
    ("salarymin", Field::PayMin),
    ("最低薪资", Field::PayMin),
    ("薪资下限", Field::PayMin),
    ("最低工资", Field::PayMin),
    ("paymax", Field::PayMax),
    ("salarymax", Field::PayMax),
    ("最高薪资", Field::PayMax),
    ("薪资上限", Field::PayMax),
    ("最高工资", Field::PayMax),
    ("hourstype", Field::HoursType),
    ("工作性质", Field::HoursType),
    ("用工形式", Field::HoursType),
    ("用工类型", Field::HoursType),
    ("工作类型", Field::HoursType),
    ("employmenttype", Field::HoursType),
    ("jobtype", Field::HoursType),
    ("employer", Field::Employer),
    ("company", Field::Employer),
    ("单位", Field::Employer),
    ("企业", Field::Employer),
    ("公司", Field::Employer),
    ("用人单位", Field::Employer),
    ("招聘单位", Field::Employer),
    ("企业名称", Field::Employer),
    ("单位名称", Field::Employer),
    ("education", Field::Education),
    ("edu", Field::Education),
    ("学历", Field::Education),
    ("学历要求", Field::Education),
    ("age", Field::Age),
    ("年龄", Field::Age),
    ("年龄要求", Field::Age),
    ("agemin", Field::AgeMin),
    ("minage", Field::AgeMin),
    ("最小年龄", Field::AgeMin),
    ("最低年龄", Field::AgeMin),
    ("年龄下限", Field::AgeMin),
    ("agemax", Field::AgeMax),
    ("maxage", Field::AgeMax),
    ("最大年龄", Field::AgeMax),
    ("最高年龄", Field::AgeMax),
    ("年龄上限", Field::AgeMax),
    ("skills", Field::Skills),
    ("skill", Field::Skills),
    ("技能", Field::Skills),
    ("技能要求", Field::Skills),
    ("posted", Field::Posted),
    ("date", Field::Posted),
    ("发布日期", Field::Posted),
    ("发布时间", Field::Posted),
    ("日期", Field::Posted),
    ("postdate", Field::Posted),
    ("stationid", Field::StationId),
    ("station", Field::StationId),
    ("服务站", Field::StationId),
    ("发布站点", Field::StationId),
    ("发布站", Field::StationId),
    ("hosttype", Field::HostType),
    ("host", Field::HostType),
    ("承载类型", Field::HostType),
    ("依托类型", Field::HostType),
    ("载体", Field::HostType),
    ("载体类型", Field::HostType),
    ("站点类型", Field::HostType),
    ("code", Field::Code),
    ("divisioncode", Field::Code),
    ("adcode", Field::Code),
    ("admincode", Field::Code),
    ("代码", Field::Code),
    ("区划代码", Field::Code),
    ("行政区划代码", Field::Code),
    ("统计用区划代码", Field::Code),
    ("parentcode", Field::ParentCode),
    ("parent", Field::ParentCode),
    ("上级代码", Field::ParentCode),
    ("上级区划代码", Field::ParentCode),
    ("highway", Field::Highway),
    ("foot", Field::Foot),
    ("access", Field::Access),
    ("area", Field::Area),
    ("service", Field::Service),
    ("crs", Field::Crs),
    ("srs", Field::Crs),
    ("坐标系", Field::Crs),
    ("坐标系统", Field::Crs),
    ("coordsys", Field::Crs),
    ("coordinatesystem", Field::Crs),
    ("layer", Field::Layer),
    ("图层", Field::Layer),
];

/// Coordinate-system tokens recognised inside longitude/latitude headers, longest first.
const CRS_TOKENS: &[(&str, Crs)] = &[
    ("gcj02", Crs::Gcj02),
    ("wgs84", Crs::Wgs84),
    ("bd09ll", Crs::Bd09),
    ("bd09", Crs::Bd09),
    ("火星", Crs::Gcj02),
    ("高德", Crs::Gcj02),
    ("百度", Crs::Bd09),
    ("gcj", Crs::Gcj02),
    ("wgs", Crs::Wgs84),
    ("gps", Crs::Wgs84),
    ("bd", Crs::Bd09),
];

/// Normalises a header: lower-case, separators removed; returns it and the bracketed parts.
fn normalise(name: &str) -> (String, String) {
    let mut main = String::with_capacity(name.len());
    let mut inner = String::new();
    let mut depth = 0usize;
    for c in name.trim().trim_start_matches('\u{feff}').chars() {
        match c {
            '(' | '（' | '[' | '【' => depth += 1,
            ')' | '）' | ']' | '】' => depth = depth.saturating_sub(1),
            ' ' | '_' | '-' | ':' | '.' | '\u{3000}' => {}
            _ if depth > 0 => inner.extend(c.to_lowercase()),
            _ => main.extend(c.to_lowercase()),
        }
    }
    (main, inner)
}

fn lookup(norm: &str) -> Option<Field> {
    ALIASES.iter().find(|(a, _)| *a == norm).map(|&(_, f)| f)
}

fn crs_in(s: &str) -> Option<Crs> {
    if s.is_empty() {
        return None;
    }
    if let Ok(c) = s.parse::<Crs>() {
        return Some(c);
    }
    CRS_TOKENS
        .iter()
        .find(|(t, _)| s.contains(t))
        .map(|&(_, c)| c)
}

/// The field a column header or property key stands for, and a coordinate-system hint when the
/// name carries one (only for longitude, latitude and location names).
pub fn field_for(name: &str) -> (Option<Field>, Option<Crs>) {
    let (main, inner) = normalise(name);
    if let Some(f) = lookup(&main) {
        let hint = if matches!(f, Field::Lon | Field::Lat | Field::Location) {
            crs_in(&inner)
        } else {
            None
        };
        return (Some(f), hint);
    }
    // `lng_gcj02`, `gcj02_lat`, `百度经度`: strip a CRS token from either end.
    for &(tok, crs) in CRS_TOKENS {
        let stripped = main
            .strip_prefix(tok)
            .or_else(|| main.strip_suffix(tok))
            .filter(|s| !s.is_empty());
        if let Some(rest) = stripped
            && let Some(f @ (Field::Lon | Field::Lat | Field::Location)) = lookup(rest)
        {
            return (Some(f), Some(crs));
        }
    }
    (None, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_in_both_languages() {
        assert_eq!(field_for("经度").0, Some(Field::Lon));
        assert_eq!(field_for(" Longitude ").0, Some(Field::Lon));
        assert_eq!(field_for("LAT").0, Some(Field::Lat));
        assert_eq!(field_for("名称").0, Some(Field::Name));
        assert_eq!(field_for("pay_min").0, Some(Field::PayMin));
        assert_eq!(field_for("\u{feff}id").0, Some(Field::Id));
        assert_eq!(field_for("人口").0, Some(Field::Weight));
        assert_eq!(field_for("remarks"), (None, None));
    }

    #[test]
    fn crs_hints_in_headers() {
        assert_eq!(
            field_for("经度（GCJ-02）"),
            (Some(Field::Lon), Some(Crs::Gcj02))
        );
        assert_eq!(field_for("lng_gcj02"), (Some(Field::Lon), Some(Crs::Gcj02)));
        assert_eq!(field_for("bd09_lat"), (Some(Field::Lat), Some(Crs::Bd09)));
        assert_eq!(field_for("百度经度"), (Some(Field::Lon), Some(Crs::Bd09)));
        assert_eq!(
            field_for("lat (WGS84)"),
            (Some(Field::Lat), Some(Crs::Wgs84))
        );
        assert_eq!(field_for("name (gcj02)"), (Some(Field::Name), None));
    }
}
