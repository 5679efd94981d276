//! OSM tags → convenience categories: the documented mapping used by the OSM reader.
//!
//! An element is a facility of every category one of its rules matches (usually one). Values
//! are compared exactly, except that list values (`a;b`) are split on `;` and `,`, trimmed and
//! lower-cased. Complexity: O(tags × rules), a few dozen string comparisons per element.
//!
//! | category | tags (any of) | notes |
//! |---|---|---|
//! | `store` 一店 | `shop` = `convenience`, `supermarket`, `general`, `grocery` | department stores, kiosks and variety stores are not daily-needs stores |
//! | `breakfast` 一早 | `shop=bakery`; `amenity` ∈ {`fast_food`, `restaurant`, `cafe`, `food_court`} with `breakfast=yes` or a `cuisine` token in {`breakfast`, `congee`, `porridge`, `baozi`, `jianbing`, `youtiao`, `soy_milk`, `dim_sum`} | a café is **not** breakfast by itself: only when its tags say so |
//! | `market` 一菜 | `amenity=marketplace`; `shop` = `greengrocer`, `butcher`, `seafood`, `fishmonger`, `farm` | supermarkets count as `store`, not `market` |
//! | `repair` 一修 | `shop` = `shoe_repair`, `repair`, `tailor`, `locksmith`, `electronics_repair`, `mobile_phone_repair`; `craft` = `shoemaker`, `tailor`, `key_cutter`, `locksmith`, `electronics_repair`, `watchmaker`, `dressmaker`; `shop=bicycle` with `service:bicycle:repair=yes`; any `shop`/`craft` with `repair` = `yes`/`only` | car repair (`shop=car_repair`) is not a neighbourhood 一修 service; self-service bicycle pumps are not a service |
//! | `elderly` 一老 | `amenity=social_facility` with `social_facility:for` ∋ `senior`; `social_facility` = `nursing_home`/`assisted_living` unless `social_facility:for` names another group; `amenity=nursing_home`; `amenity=community_centre` with `community_centre:for` or `social_facility:for` ∋ `senior` | a plain community centre is **not** elderly care |
//! | `childcare` 一小 | `amenity` = `childcare`, `kindergarten` | (幼儿园 counts as 托育 in the 一小 target) |
//! | `housekeeping` 家政 | `craft=cleaning`, `office=cleaning`, `shop=housekeeping` | rarely tagged in OSM; mostly found by name (below) |
//! | `parcel` 快递 | `amenity` = `parcel_locker`, `post_office`, `parcel_pickup`; `shop=outpost` | |
//! | `pharmacy` 药店 | `amenity=pharmacy`, `healthcare=pharmacy` | `shop=chemist` (drugstore, cosmetics) is not a pharmacy |
//! | `clinic` 社区医院 | `amenity` = `clinic`, `doctors`; `healthcare` = `clinic`, `doctor`, `centre`; `amenity=hospital` only when its name contains 社区 | hospitals serve a city, not a 15-minute circle |
//! | `training` 培训/夜校 | `amenity` = `training`, `college`, `language_school`; `office=educational_institution` | schools for children and universities are not adult training |
//! | `startup_space` 创业空间 | `amenity=coworking_space`, `office=coworking` | |
//!
//! **Chinese names.** OSM in China is thinly tagged, so when the tags above give nothing and the
//! element is a place of business (it has a `shop`, `amenity`, `craft`, `office`, `healthcare`
//! or `social_facility` tag), its `name` (or `name:zh`) is searched for the keywords of
//! [`category_from_name_zh`].

use crate::plan::model::Category;

/// The tags of one OSM element, in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tags(pub Vec<(String, String)>);

impl Tags {
    /// The value of `key`, if present (the first, if repeated).
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// True when there are no tags.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// True when `key` has a list value (`;` or `,` separated) containing `token`
    /// (case-insensitive, trimmed).
    pub fn has_token(&self, key: &str, token: &str) -> bool {
        self.get(key).is_some_and(|v| {
            v.split([';', ','])
                .any(|t| t.trim().eq_ignore_ascii_case(token))
        })
    }

    /// The display name: `name`, else `name:zh`, `name:en`, `brand`, `operator`, else empty.
    pub fn display_name(&self) -> String {
        ["name", "name:zh", "name:en", "brand", "operator"]
            .iter()
            .find_map(|k| self.get(k).filter(|v| !v.trim().is_empty()))
            .unwrap_or("")
            .trim()
            .to_owned()
    }
}

/// Breakfast cuisine tokens (see the module table).
const BREAKFAST_CUISINES: [&str; 8] = [
    "breakfast",
    "congee",
    "porridge",
    "baozi",
    "jianbing",
    "youtiao",
    "soy_milk",
    "dim_sum",
];

/// Keys that make an element a place of business (for the Chinese-name fallback).
const BUSINESS_KEYS: [&str; 6] = [
    "shop",
    "amenity",
    "craft",
    "office",
    "healthcare",
    "social_facility",
];

/// The categories of an OSM element, sorted and without duplicates (empty when none applies).
///
/// ```
/// use shuangquan::plan::model::Category;
/// use shuangquan::plan::osm::tags::{classify, Tags};
/// let t = Tags(vec![("shop".into(), "convenience".into())]);
/// assert_eq!(classify(&t), vec![Category::Store]);
/// let c = Tags(vec![("amenity".into(), "community_centre".into())]);
/// assert!(classify(&c).is_empty());
/// ```
pub fn classify(tags: &Tags) -> Vec<Category> {
    let mut out = Vec::new();
    let shop = tags.get("shop");
    let amenity = tags.get("amenity");
    let craft = tags.get("craft");
    let office = tags.get("office");
    let healthcare = tags.get("healthcare");
    let social = tags.get("social_facility");

    if matches!(
        shop,
        Some("convenience" | "supermarket" | "general" | "grocery")
    ) {
        out.push(Category::Store);
    }

    let food_place = matches!(
        amenity,
        Some("fast_food" | "restaurant" | "cafe" | "food_court")
    );
    if shop == Some("bakery")
        || (food_place
            && (tags.get("breakfast") == Some("yes")
                || BREAKFAST_CUISINES
                    .iter()
                    .any(|c| tags.has_token("cuisine", c))))
    {
        out.push(Category::Breakfast);
    }

    if amenity == Some("marketplace")
        || matches!(
            shop,
            Some("greengrocer" | "butcher" | "seafood" | "fishmonger" | "farm")
        )
    {
        out.push(Category::Market);
    }

    let repair_flag = matches!(tags.get("repair"), Some("yes" | "only"));
    if matches!(
        shop,
        Some(
            "shoe_repair"
                | "repair"
                | "tailor"
                | "locksmith"
                | "electronics_repair"
                | "mobile_phone_repair"
        )
    ) || matches!(
        craft,
        Some(
            "shoemaker"
                | "tailor"
                | "key_cutter"
                | "locksmith"
                | "electronics_repair"
                | "watchmaker"
                | "dressmaker"
        )
    ) || (shop == Some("bicycle") && tags.get("service:bicycle:repair") == Some("yes"))
        || (repair_flag && (shop.is_some() || craft.is_some()) && shop != Some("car_repair"))
    {
        out.push(Category::Repair);
    }

    let for_senior = tags.has_token("social_facility:for", "senior")
        || tags.has_token("community_centre:for", "senior");
    let for_other = tags.get("social_facility:for").is_some() && !for_senior;
    if (amenity == Some("social_facility") && for_senior)
        || (matches!(social, Some("nursing_home" | "assisted_living")) && !for_other)
        || amenity == Some("nursing_home")
        || (amenity == Some("community_centre") && for_senior)
    {
        out.push(Category::Elderly);
    }

    if matches!(amenity, Some("childcare" | "kindergarten")) {
        out.push(Category::Childcare);
    }

    if craft == Some("cleaning") || office == Some("cleaning") || shop == Some("housekeeping") {
        out.push(Category::Housekeeping);
    }

    if matches!(
        amenity,
        Some("parcel_locker" | "post_office" | "parcel_pickup")
    ) || shop == Some("outpost")
    {
        out.push(Category::Parcel);
    }

    if amenity == Some("pharmacy") || healthcare == Some("pharmacy") {
        out.push(Category::Pharmacy);
    }

    let name = tags.display_name();
    if matches!(amenity, Some("clinic" | "doctors"))
        || matches!(healthcare, Some("clinic" | "doctor" | "centre"))
        || (amenity == Some("hospital") && name.contains("社区"))
    {
        out.push(Category::Clinic);
    }

    if matches!(amenity, Some("training" | "college" | "language_school"))
        || office == Some("educational_institution")
    {
        out.push(Category::Training);
    }

    if amenity == Some("coworking_space") || office == Some("coworking") {
        out.push(Category::StartupSpace);
    }

    if out.is_empty() && BUSINESS_KEYS.iter().any(|k| tags.get(k).is_some()) {
        let zh = tags.get("name:zh").unwrap_or("");
        if let Some(c) = category_from_name_zh(&name).or_else(|| category_from_name_zh(zh)) {
            out.push(c);
        }
    }

    crate::plan::sort::by(&mut out, Ord::cmp);
    out.dedup();
    out
}

/// A category from keywords in a Chinese place name, or `None`.
///
/// Checked in this order (first match wins): 养老/敬老/老年/长者/助餐/日间照料 → `elderly`;
/// 托育/托儿/幼儿园 → `childcare`; 菜市场/农贸市场/菜场/生鲜 → `market`; 早餐/早点 → `breakfast`;
/// 便利店/超市 → `store`; 修鞋/配钥匙/维修/修理 → `repair`; 家政 → `housekeeping`;
/// 快递/驿站/菜鸟 → `parcel`; 药店/药房 → `pharmacy`;
/// 卫生服务中心/卫生服务站/社区医院/诊所 → `clinic`; 培训/夜校 → `training`;
/// 众创空间/孵化/创业 → `startup_space`.
///
/// ```
/// use shuangquan::plan::model::Category;
/// use shuangquan::plan::osm::tags::category_from_name_zh;
/// assert_eq!(category_from_name_zh("幸福里社区长者食堂"), Some(Category::Elderly));
/// assert_eq!(category_from_name_zh("全家便利店"), Some(Category::Store));
/// assert_eq!(category_from_name_zh("Cafe Regatta"), None);
/// ```
pub fn category_from_name_zh(name: &str) -> Option<Category> {
    const RULES: [(&[&str], Category); 12] = [
        (
            &["养老", "敬老", "老年", "长者", "助餐", "日间照料"],
            Category::Elderly,
        ),
        (&["托育", "托儿", "幼儿园"], Category::Childcare),
        (&["菜市场", "农贸市场", "菜场", "生鲜"], Category::Market),
        (&["早餐", "早点"], Category::Breakfast),
        (&["便利店", "超市"], Category::Store),
        (&["修鞋", "配钥匙", "维修", "修理"], Category::Repair),
        (&["家政"], Category::Housekeeping),
        (&["快递", "驿站", "菜鸟"], Category::Parcel),
        (&["药店", "药房"], Category::Pharmacy),
        (
            &["卫生服务中心", "卫生服务站", "社区医院", "诊所"],
            Category::Clinic,
        ),
        (&["培训", "夜校"], Category::Training),
        (&["众创空间", "孵化", "创业"], Category::StartupSpace),
    ];
    if name.is_empty() {
        return None;
    }
    RULES
        .iter()
        .find(|(words, _)| words.iter().any(|w| name.contains(w)))
        .map(|&(_, c)| c)
}

/// How a way may be walked, by its tags: the walk filter (see [`walk_access`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WalkAccess {
    /// Not walkable: left out of the walk graph.
    No,
    /// Walkable by everyone.
    Public,
    /// Walkable by the residents of a gated compound (封闭小区): private access. Whether
    /// others may pass is the compound setting of the walk graph.
    Residents,
}

/// The tags of a way that decide how it may be walked.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WayTags<'a> {
    /// `highway` (`None`: a plain line, walkable as given).
    pub highway: Option<&'a str>,
    /// `foot`.
    pub foot: Option<&'a str>,
    /// `access`.
    pub access: Option<&'a str>,
    /// `area`.
    pub area: Option<&'a str>,
    /// `service`.
    pub service: Option<&'a str>,
}

/// `highway` values that are not walkable: ways not (yet, or any longer) there, and ways not
/// for people. Every other value is walkable.
pub const NOT_WALKABLE_HIGHWAYS: [&str; 9] = [
    "proposed",
    "planned",
    "construction",
    "abandoned",
    "razed",
    "no",
    "raceway",
    "bus_guideway",
    "busway",
];

/// `highway` values walkable only with an explicit `foot` permission (motorways and trunks:
/// in Chinese cities `trunk` is the urban expressway, 快速路).
pub const FOOT_PERMISSION_HIGHWAYS: [&str; 4] =
    ["motorway", "motorway_link", "trunk", "trunk_link"];

/// The walk filter, **by exclusion**: what is known not to be walkable is left out, every
/// other way is kept (the convention of OSMnx's `walk` network). The one place these rules live;
/// README's walk-filter table lists where they differ from OSMnx and why.
///
/// In this order:
/// 1. `foot` = `no` or `use_sidepath` (a separately mapped sidewalk exists) → [`WalkAccess::No`].
/// 2. `area=yes` (the outline of a square, not a path along it) → `No`.
/// 3. `highway` in [`NOT_WALKABLE_HIGHWAYS`] → `No`; in [`FOOT_PERMISSION_HIGHWAYS`] → `No`
///    unless `foot` is `yes`, `designated` or `permissive`.
/// 4. `access=no` → `No` unless `foot` permits (as above).
/// 5. `access=private`, `foot=private` or `service=private` → [`WalkAccess::Residents`] unless
///    `foot` permits: a gated compound's way, walkable by everyone only when the compound
///    setting is open.
/// 6. Anything else (every other `highway` value, known or not, and lines without `highway`)
///    → [`WalkAccess::Public`].
///
/// Values are trimmed and compared in lower case. Complexity: O(1).
///
/// ```
/// use shuangquan::plan::osm::tags::{walk_access, WalkAccess, WayTags};
/// let w = |h| WayTags { highway: Some(h), ..WayTags::default() };
/// assert_eq!(walk_access(&w("trail")), WalkAccess::Public);
/// assert_eq!(walk_access(&w("construction")), WalkAccess::No);
/// let private = WayTags { access: Some("private"), ..w("service") };
/// assert_eq!(walk_access(&private), WalkAccess::Residents);
/// ```
pub fn walk_access(t: &WayTags<'_>) -> WalkAccess {
    let norm = |v: Option<&str>| v.map(|x| x.trim().to_ascii_lowercase());
    let foot = norm(t.foot);
    let foot = foot.as_deref();
    let foot_allowed = matches!(foot, Some("yes" | "designated" | "permissive"));
    if matches!(foot, Some("no" | "use_sidepath")) || norm(t.area).as_deref() == Some("yes") {
        return WalkAccess::No;
    }
    if let Some(h) = norm(t.highway)
        && (NOT_WALKABLE_HIGHWAYS.contains(&h.as_str())
            || (FOOT_PERMISSION_HIGHWAYS.contains(&h.as_str()) && !foot_allowed))
    {
        return WalkAccess::No;
    }
    if foot_allowed {
        return WalkAccess::Public;
    }
    let access = norm(t.access);
    match access.as_deref() {
        Some("no") => WalkAccess::No,
        Some("private") => WalkAccess::Residents,
        _ if foot == Some("private") || norm(t.service).as_deref() == Some("private") => {
            WalkAccess::Residents
        }
        _ => WalkAccess::Public,
    }
}

/// What an OSM node on the walking network is, for the walk graph: a gate or a crossing
/// (`None` for any other node).
///
/// - **Gate**: `barrier` = `gate`, `lift_gate`, `swing_gate`, `sliding_gate` or `turnstile`,
///   unless `access` (or `foot`) is `yes`, `permissive`, `public` or `designated`, or `locked=no`:
///   a compound gate, resident-only while compounds are closed.
/// - **Crossing**: `highway=crossing`, `highway=traffic_signals` or `crossing=traffic_signals`:
///   where a street is crossed; the scenario's per-crossing delay applies here.
pub fn network_node_kind(tags: &Tags) -> Option<NetworkNodeKind> {
    let open = |k: &str| {
        matches!(
            tags.get(k).map(str::trim),
            Some("yes" | "permissive" | "public" | "designated")
        )
    };
    if matches!(
        tags.get("barrier").map(str::trim),
        Some("gate" | "lift_gate" | "swing_gate" | "sliding_gate" | "turnstile")
    ) && !open("access")
        && !open("foot")
        && tags.get("locked").map(str::trim) != Some("no")
    {
        return Some(NetworkNodeKind::Gate);
    }
    if matches!(
        tags.get("highway").map(str::trim),
        Some("crossing" | "traffic_signals")
    ) || tags.get("crossing").map(str::trim) == Some("traffic_signals")
    {
        return Some(NetworkNodeKind::Crossing);
    }
    None
}

/// A node of the walking network that changes how it is walked (see [`network_node_kind`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NetworkNodeKind {
    /// A compound gate: only residents pass while compounds are closed.
    Gate,
    /// A street crossing (zebra or signals).
    Crossing,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(pairs: &[(&str, &str)]) -> Tags {
        Tags(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        )
    }

    #[test]
    fn base_six_tags() {
        assert_eq!(classify(&t(&[("shop", "supermarket")])), [Category::Store]);
        assert_eq!(classify(&t(&[("shop", "bakery")])), [Category::Breakfast]);
        assert_eq!(
            classify(&t(&[
                ("amenity", "fast_food"),
                ("cuisine", "chinese;Breakfast")
            ])),
            [Category::Breakfast]
        );
        assert!(classify(&t(&[("amenity", "cafe")])).is_empty());
        assert_eq!(
            classify(&t(&[("amenity", "marketplace")])),
            [Category::Market]
        );
        assert_eq!(classify(&t(&[("craft", "shoemaker")])), [Category::Repair]);
        assert_eq!(
            classify(&t(&[
                ("shop", "bicycle"),
                ("service:bicycle:repair", "yes")
            ])),
            [Category::Repair]
        );
        assert!(classify(&t(&[("shop", "bicycle")])).is_empty());
        assert!(classify(&t(&[("shop", "car_repair"), ("repair", "yes")])).is_empty());
        assert_eq!(
            classify(&t(&[
                ("amenity", "social_facility"),
                ("social_facility:for", "senior;disabled")
            ])),
            [Category::Elderly]
        );
        assert!(
            classify(&t(&[
                ("amenity", "social_facility"),
                ("social_facility", "nursing_home"),
                ("social_facility:for", "disabled")
            ]))
            .is_empty()
        );
        assert!(classify(&t(&[("amenity", "community_centre")])).is_empty());
        assert_eq!(
            classify(&t(&[("amenity", "kindergarten")])),
            [Category::Childcare]
        );
    }

    #[test]
    fn extras_and_chinese_names() {
        assert_eq!(
            classify(&t(&[("amenity", "parcel_locker")])),
            [Category::Parcel]
        );
        assert_eq!(
            classify(&t(&[("amenity", "pharmacy")])),
            [Category::Pharmacy]
        );
        assert!(classify(&t(&[("amenity", "hospital"), ("name", "Meilahti")])).is_empty());
        assert_eq!(
            classify(&t(&[("amenity", "hospital"), ("name", "曹杨社区医院")])),
            [Category::Clinic]
        );
        assert_eq!(
            classify(&t(&[("amenity", "restaurant"), ("name", "长者助餐点")])),
            [Category::Elderly]
        );
        // No business key: a name alone does not make a facility.
        assert!(classify(&t(&[("building", "yes"), ("name", "便利店")])).is_empty());
        assert_eq!(
            classify(&t(&[("shop", "yes"), ("name:zh", "菜鸟驿站")])),
            [Category::Parcel]
        );
    }

    #[test]
    fn walk_filter_excludes_what_is_known_not_walkable() {
        fn w(h: &str) -> WayTags<'_> {
            WayTags {
                highway: Some(h),
                ..WayTags::default()
            }
        }
        for h in [
            "footway",
            "path",
            "trail",
            "crossing",
            "steps",
            "cycleway",
            "platform",
            "corridor",
            "services",
            "bridleway",
            "track",
            "residential",
            "unknown_value",
        ] {
            assert_eq!(walk_access(&w(h)), WalkAccess::Public, "{h}");
        }
        for h in NOT_WALKABLE_HIGHWAYS
            .iter()
            .chain(&FOOT_PERMISSION_HIGHWAYS)
        {
            assert_eq!(walk_access(&w(h)), WalkAccess::No, "{h}");
        }
        let t = |h, foot, access, area, service| WayTags {
            highway: Some(h),
            foot,
            access,
            area,
            service,
        };
        assert_eq!(
            walk_access(&t("trunk", Some("yes"), None, None, None)),
            WalkAccess::Public
        );
        assert_eq!(
            walk_access(&t("footway", Some("no"), None, None, None)),
            WalkAccess::No
        );
        assert_eq!(
            walk_access(&t("pedestrian", None, None, Some("yes"), None)),
            WalkAccess::No
        );
        assert_eq!(
            walk_access(&t("service", None, Some("no"), None, None)),
            WalkAccess::No
        );
        assert_eq!(
            walk_access(&t("service", None, None, None, Some("private"))),
            WalkAccess::Residents
        );
        assert_eq!(
            walk_access(&t(
                "service",
                Some("permissive"),
                Some("private"),
                None,
                None
            )),
            WalkAccess::Public
        );
        assert_eq!(walk_access(&WayTags::default()), WalkAccess::Public);
        assert_eq!(
            network_node_kind(&t_(&[("barrier", "gate")])),
            Some(NetworkNodeKind::Gate)
        );
        assert_eq!(
            network_node_kind(&t_(&[("barrier", "gate"), ("access", "yes")])),
            None
        );
        assert_eq!(
            network_node_kind(&t_(&[("highway", "crossing")])),
            Some(NetworkNodeKind::Crossing)
        );
    }

    fn t_(pairs: &[(&str, &str)]) -> Tags {
        t(pairs)
    }

    #[test]
    fn display_name_falls_back() {
        assert_eq!(t(&[("brand", " Alepa ")]).display_name(), "Alepa");
        assert_eq!(t(&[("name", ""), ("name:en", "X")]).display_name(), "X");
        assert_eq!(t(&[]).display_name(), "");
    }
}
