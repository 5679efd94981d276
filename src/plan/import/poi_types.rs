//! Chinese POI type strings (高德/AutoNavi 分类, Baidu 标签, plain words) → [`Category`].
//!
//! A 高德 type is `大类;中类;小类` (e.g. `购物服务;便民商店/便利店;便利店`), several joined by
//! `|`. [`category_for_poi_type`] splits on `|` and `;`, looks at the most specific segment
//! first (the last one), and in each segment tries the rules below in order; the first keyword
//! contained in the segment decides. A plain word (`早餐店`, `修鞋`) is a one-segment type.
//! Segments such as `综合医院`, `快餐厅` or `综合市场` match nothing on purpose: they do not say
//! which 六个一 need they serve, and the importer reports them as unknown rather than guess.
//!
//! | keyword (contained in a segment) | category | typical 高德 type |
//! |---|---|---|
//! | 早餐, 早点, 包子, 豆浆, 油条, 煎饼 | `breakfast` 一早 | 餐饮服务;快餐厅;早餐 |
//! | 养老, 敬老, 老年公寓, 日间照料, 助餐, 长者食堂, 社区食堂, 老年食堂 | `elderly` 一老 | 医疗保健服务;…;养老院 |
//! | 幼儿园, 托儿所, 托育, 早教, 婴幼儿 | `childcare` 一小 | 科教文化服务;学校;幼儿园 |
//! | 菜市场, 农贸市场, 农副产品市场, 蔬菜市场, 水产海鲜市场, 生鲜 | `market` 一菜 | 购物服务;综合市场;农副产品市场 |
//! | 便利店, 便民商店, 超级市场, 超市, 小卖部 | `store` 一店 | 购物服务;便民商店/便利店;便利店 |
//! | 维修, 修理, 修鞋, 配钥匙, 开锁, 裁缝, 改衣 | `repair` 一修 | 生活服务;维修站点;… |
//! | 家政 | `housekeeping` 家政 | 生活服务;家政服务;… |
//! | 快递, 物流速递, 驿站, 邮局, 邮政 | `parcel` 快递 | 生活服务;物流速递;… |
//! | 药房, 药店, 医药 | `pharmacy` 药店 | 医疗保健服务;医药保健销售店;药房 |
//! | 社区卫生, 卫生服务中心, 卫生服务站, 卫生院, 卫生室, 诊所, 社区医院 | `clinic` 社区医院 | 医疗保健服务;诊所;诊所 |
//! | 培训, 职业技术学校, 技工学校, 夜校 | `training` 培训/夜校 | 科教文化服务;培训机构;… |
//! | 众创空间, 孵化, 创业, 微工厂, 共享工厂 | `startup_space` 创业空间 | 公司企业;…;孵化器 |
//!
//! Cost: O(segments × keywords), a few hundred substring tests at most.

use crate::plan::model::Category;

/// The rules, in priority order within a segment.
pub const RULES: &[(&[&str], Category)] = &[
    (
        &["早餐", "早点", "包子", "豆浆", "油条", "煎饼"],
        Category::Breakfast,
    ),
    (
        &[
            "养老",
            "敬老",
            "老年公寓",
            "日间照料",
            "助餐",
            "长者食堂",
            "社区食堂",
            "老年食堂",
        ],
        Category::Elderly,
    ),
    (
        &["幼儿园", "托儿所", "托育", "早教", "婴幼儿"],
        Category::Childcare,
    ),
    (
        &[
            "菜市场",
            "农贸市场",
            "农副产品市场",
            "蔬菜市场",
            "水产海鲜市场",
            "生鲜",
        ],
        Category::Market,
    ),
    (
        &["便利店", "便民商店", "超级市场", "超市", "小卖部"],
        Category::Store,
    ),
    (
        &["维修", "修理", "修鞋", "配钥匙", "开锁", "裁缝", "改衣"],
        Category::Repair,
    ),
    (&["家政"], Category::Housekeeping),
    (
        &["快递", "物流速递", "驿站", "邮局", "邮政"],
        Category::Parcel,
    ),
    (&["药房", "药店", "医药"], Category::Pharmacy),
    (
        &[
            "社区卫生",
            "卫生服务中心",
            "卫生服务站",
            "卫生院",
            "卫生室",
            "诊所",
            "社区医院",
        ],
        Category::Clinic,
    ),
    (
        &["培训", "职业技术学校", "技工学校", "夜校"],
        Category::Training,
    ),
    (
        &["众创空间", "孵化", "创业", "微工厂", "共享工厂"],
        Category::StartupSpace,
    ),
];

/// The category a POI type string denotes, if any (see the module table).
///
/// ```
/// use shuangquan::plan::import::poi_types::category_for_poi_type;
/// use shuangquan::plan::model::Category;
/// assert_eq!(category_for_poi_type("购物服务;便民商店/便利店;便利店"), Some(Category::Store));
/// assert_eq!(category_for_poi_type("餐饮服务;快餐厅;早餐"), Some(Category::Breakfast));
/// assert_eq!(category_for_poi_type("医疗保健服务;综合医院;三级甲等医院"), None);
/// ```
pub fn category_for_poi_type(s: &str) -> Option<Category> {
    for one in s.split('|') {
        let segments: Vec<&str> = one
            .split([';', '；'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        for seg in segments.iter().rev() {
            for (keywords, cat) in RULES {
                if keywords.iter().any(|k| seg.contains(k)) {
                    return Some(*cat);
                }
            }
        }
    }
    None
}

/// Parses a category as written in a file: a stable id, an English or Chinese label
/// ([`Category`]'s `FromStr`), or a POI type string ([`category_for_poi_type`]).
pub fn parse_category(s: &str) -> Option<Category> {
    s.parse::<Category>()
        .ok()
        .or_else(|| category_for_poi_type(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amap_strings() {
        let cases = [
            ("购物服务;便民商店/便利店;便利店", Category::Store),
            ("购物服务;超级市场;超市", Category::Store),
            ("餐饮服务;快餐厅;早餐", Category::Breakfast),
            ("购物服务;综合市场;农副产品市场", Category::Market),
            ("医疗保健服务;医药保健销售店;药房", Category::Pharmacy),
            ("医疗保健服务;诊所;诊所", Category::Clinic),
            ("科教文化服务;学校;幼儿园", Category::Childcare),
            ("生活服务;物流速递;快递", Category::Parcel),
            ("生活服务;家政服务;家政服务", Category::Housekeeping),
            ("生活服务;维修站点;家电维修", Category::Repair),
            ("科教文化服务;培训机构;职业培训", Category::Training),
            ("社会福利;养老院;养老院", Category::Elderly),
            ("公司企业;公司;众创空间", Category::StartupSpace),
            // Several types: the first that maps decides.
            (
                "餐饮服务;快餐厅;快餐厅|购物服务;便民商店/便利店;便利店",
                Category::Store,
            ),
        ];
        for (s, c) in cases {
            assert_eq!(category_for_poi_type(s), Some(c), "{s}");
        }
        assert_eq!(category_for_poi_type("餐饮服务;快餐厅;快餐厅"), None);
        assert_eq!(category_for_poi_type(""), None);
    }

    #[test]
    fn parse_category_tries_ids_then_types() {
        assert_eq!(parse_category("pharmacy"), Some(Category::Pharmacy));
        assert_eq!(parse_category("一早"), Some(Category::Breakfast));
        assert_eq!(parse_category("早餐店铺"), Some(Category::Breakfast));
        assert_eq!(parse_category("spaceport"), None);
    }
}
