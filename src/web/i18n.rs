//! Every user-visible string, in one place: zh-CN (default) and English.
//!
//! Adding a field to [`Text`] makes both tables fail to compile until both languages have it.

use crate::plan::model::Category;
use crate::plan::package::{LayerKind, Status};

/// The interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// 简体中文 (default).
    #[default]
    Zh,
    /// English.
    En,
}

impl Lang {
    /// The strings of this language.
    pub const fn text(self) -> &'static Text {
        match self {
            Lang::Zh => &ZH,
            Lang::En => &EN,
        }
    }

    /// The BCP 47 tag (for `<html lang>`).
    pub const fn tag(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    /// The URL value (`zh` / `en`).
    pub const fn id(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    /// Parses the URL value.
    pub fn from_id(s: &str) -> Option<Self> {
        match s {
            "zh" | "zh-CN" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// A category's label.
    pub const fn category(self, c: Category) -> &'static str {
        match self {
            Lang::Zh => c.label_zh(),
            Lang::En => c.label_en(),
        }
    }

    /// A layer kind's label.
    pub const fn layer(self, k: LayerKind) -> &'static str {
        let zh = matches!(self, Lang::Zh);
        match k {
            LayerKind::Streets => {
                if zh {
                    "街道路网"
                } else {
                    "Streets"
                }
            }
            LayerKind::Stations => {
                if zh {
                    "就享家乐业服务站"
                } else {
                    "Employment stations"
                }
            }
            LayerKind::Facilities => {
                if zh {
                    "便民设施"
                } else {
                    "Convenience facilities"
                }
            }
            LayerKind::Postings => {
                if zh {
                    "岗位"
                } else {
                    "Job postings"
                }
            }
            LayerKind::Communities => {
                if zh {
                    "社区"
                } else {
                    "Communities"
                }
            }
            LayerKind::Boundaries => {
                if zh {
                    "行政边界"
                } else {
                    "Boundaries"
                }
            }
            LayerKind::Demand => {
                if zh {
                    "人口(需求点)"
                } else {
                    "Population (demand)"
                }
            }
            LayerKind::Candidates => {
                if zh {
                    "候选站点"
                } else {
                    "Candidate sites"
                }
            }
        }
    }

    /// A data status label.
    pub const fn status(self, s: Status) -> &'static str {
        match (self, s) {
            (Lang::Zh, Status::Real) => "真实",
            (Lang::Zh, Status::Estimate) => "估算",
            (Lang::Zh, Status::Illustrative) => "示意",
            (Lang::En, Status::Real) => "real",
            (Lang::En, Status::Estimate) => "estimate",
            (Lang::En, Status::Illustrative) => "illustrative",
        }
    }

    /// Formats an integer with the language's grouping (both use `,` every three digits).
    pub fn int(self, n: f64) -> String {
        let neg = n < 0.0;
        let digits = format!("{:.0}", n.abs());
        let mut out = String::new();
        for (i, ch) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(ch);
        }
        if neg { format!("-{out}") } else { out }
    }

    /// Formats a walking time in seconds as minutes.
    pub fn minutes(self, seconds: f64) -> String {
        let m = seconds / 60.0;
        match self {
            Lang::Zh => format!("{m:.1} 分钟"),
            Lang::En => format!("{m:.1} min"),
        }
    }
}

/// The interface strings of one language.
#[derive(Debug)]
pub struct Text {
    /// App title.
    pub title: &'static str,
    /// Subtitle.
    pub subtitle: &'static str,
    /// Label of the language switch (names the other language).
    pub switch_lang: &'static str,
    /// Map region label.
    pub map_label: &'static str,
    /// Side panel label.
    pub panel_label: &'static str,
    /// Engine status: starting.
    pub engine_starting: &'static str,
    /// Engine status: ready.
    pub engine_ready: &'static str,
    /// Heading of the data section.
    pub data_heading: &'static str,
    /// Package selector label.
    pub package_label: &'static str,
    /// Loading message.
    pub loading: &'static str,
    /// Heading of the layer list.
    pub layers_heading: &'static str,
    /// Column: source.
    pub source: &'static str,
    /// Column: licence.
    pub licence: &'static str,
    /// Column: method.
    pub method: &'static str,
    /// Features count suffix.
    pub features: &'static str,
    /// Banner shown when a package has illustrative layers.
    pub illustrative_banner: &'static str,
    /// Banner shown when a package has no street network.
    pub no_network_banner: &'static str,
    /// Failed to load a file.
    pub load_failed: &'static str,
    /// Heading of the walk-circle section.
    pub iso_heading: &'static str,
    /// How to use the walk circles.
    pub iso_hint: &'static str,
    /// Label before the chosen point.
    pub iso_point: &'static str,
    /// Walking time to the network from the chosen point.
    pub iso_access: &'static str,
    /// Reached network nodes.
    pub iso_reached: &'static str,
    /// Computation time.
    pub iso_compute: &'static str,
    /// The point is too far from any street.
    pub iso_off_network: &'static str,
    /// Straight-line estimate label.
    pub iso_estimate: &'static str,
    /// Legend title of the isochrone bands.
    pub iso_legend: &'static str,
    /// Attribution prefix.
    pub attribution: &'static str,
    /// Heading of the import section.
    pub import_heading: &'static str,
    /// How to import.
    pub import_hint: &'static str,
    /// File button label.
    pub import_choose: &'static str,
    /// Import under way.
    pub import_busy: &'static str,
    /// "loaded".
    pub import_loaded: &'static str,
    /// "read".
    pub import_read: &'static str,
    /// The network was rebuilt.
    pub import_network: &'static str,
}

/// 简体中文.
pub const ZH: Text = Text {
    title: "双圈",
    subtitle: "15分钟就业服务圈 + 一刻钟便民生活圈",
    switch_lang: "English",
    map_label: "地图：点击或按回车键选择位置",
    panel_label: "面板",
    engine_starting: "计算引擎启动中…",
    engine_ready: "计算引擎就绪",
    data_heading: "数据包",
    package_label: "数据包",
    loading: "正在加载数据…",
    layers_heading: "图层与来源",
    source: "来源",
    licence: "许可",
    method: "方法",
    features: "个要素",
    illustrative_banner: "注意：标为“示意”的图层是为演示生成的，不代表真实情况。请导入本地真实数据。",
    no_network_banner: "此数据包没有路网：步行时间均为直线距离估算。",
    load_failed: "加载失败",
    iso_heading: "步行圈",
    iso_hint: "在地图上点击任意位置（或聚焦地图后按回车键选择地图中心），显示5/10/15分钟步行范围；拖动标记可随之更新。",
    iso_point: "位置",
    iso_access: "到路网步行",
    iso_reached: "可达路网节点",
    iso_compute: "计算耗时",
    iso_off_network: "该位置距最近道路超过限值，未接入路网。",
    iso_estimate: "直线估算（无路网）",
    iso_legend: "步行时间",
    attribution: "数据",
    import_heading: "导入数据",
    import_hint: "把 CSV（UTF-8 或 GBK，中英文列名）、GeoJSON 或 OSM 文件拖到页面上，或选择文件。GCJ-02/BD-09 坐标会转换为 WGS-84。数据只在本浏览器中处理。",
    import_choose: "选择文件…",
    import_busy: "正在导入…",
    import_loaded: "条已载入",
    import_read: "条已读取",
    import_network: "已用导入的道路重建步行路网。",
};

/// English.
pub const EN: Text = Text {
    title: "Shuangquan",
    subtitle: "15-minute employment service circle + 15-minute convenience living circle",
    switch_lang: "中文",
    map_label: "Map: click, or press Enter, to choose a place",
    panel_label: "Panel",
    engine_starting: "Starting the analysis engine…",
    engine_ready: "Analysis engine ready",
    data_heading: "Data package",
    package_label: "Package",
    loading: "Loading data…",
    layers_heading: "Layers and sources",
    source: "Source",
    licence: "Licence",
    method: "Method",
    features: "features",
    illustrative_banner: "Note: layers marked “illustrative” were generated for demonstration and are not real. Load your local data.",
    no_network_banner: "This package has no street network: every walking time is a straight-line estimate.",
    load_failed: "Failed to load",
    iso_heading: "Walking circles",
    iso_hint: "Click anywhere on the map (or focus the map and press Enter for its centre) to see the 5/10/15-minute walking areas; drag the marker and they follow.",
    iso_point: "Point",
    iso_access: "Walk to the network",
    iso_reached: "Network nodes reached",
    iso_compute: "Computed in",
    iso_off_network: "This place is farther from any street than the limit; it is not on the network.",
    iso_estimate: "Straight-line estimate (no network)",
    iso_legend: "Walking time",
    attribution: "Data",
    import_heading: "Import data",
    import_hint: "Drop CSV (UTF-8 or GBK, Chinese or English headers), GeoJSON or OSM files on the page, or choose files. GCJ-02/BD-09 coordinates are converted to WGS-84. Data stays in this browser.",
    import_choose: "Choose files…",
    import_busy: "Importing…",
    import_loaded: "loaded",
    import_read: "read",
    import_network: "The walking network was rebuilt with the imported streets.",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_group_by_thousands() {
        assert_eq!(Lang::Zh.int(1_234_567.0), "1,234,567");
        assert_eq!(Lang::En.int(999.0), "999");
        assert_eq!(Lang::En.int(-1000.0), "-1,000");
        assert_eq!(Lang::En.minutes(90.0), "1.5 min");
    }

    #[test]
    fn lang_ids_round_trip() {
        for l in [Lang::Zh, Lang::En] {
            assert_eq!(Lang::from_id(l.id()), Some(l));
        }
        assert_eq!(Lang::from_id("fr"), None);
    }
}

/// Strings of the map's own controls: the legend, the basemap settings and the PNG export
/// (one struct per language, like [`Text`]).
#[derive(Debug)]
pub struct MapText {
    /// Legend heading.
    pub legend: &'static str,
    /// Legend: other (non-base) service categories.
    pub legend_other: &'static str,
    /// Legend: a posting.
    pub legend_posting: &'static str,
    /// Legend: a cluster of postings.
    pub legend_cluster: &'static str,
    /// Legend: major streets.
    pub legend_major: &'static str,
    /// Legend: minor streets and footways.
    pub legend_minor: &'static str,
    /// Legend: nothing shown.
    pub legend_empty: &'static str,
    /// Export button.
    pub export_png: &'static str,
    /// Export under way.
    pub export_busy: &'static str,
    /// Export done.
    pub export_done: &'static str,
    /// Export blocked by cross-origin tiles.
    pub export_tainted: &'static str,
    /// Export failed (followed by the reason).
    pub export_failed: &'static str,
    /// Settings heading.
    pub tiles_heading: &'static str,
    /// Settings help (default, privacy, CSP).
    pub tiles_help: &'static str,
    /// Option: no tiles.
    pub tiles_none: &'static str,
    /// Option: OpenStreetMap.
    pub tiles_osm: &'static str,
    /// Option: 天地图.
    pub tiles_tianditu: &'static str,
    /// Option: custom template.
    pub tiles_custom: &'static str,
    /// Field: 天地图 token.
    pub tiles_tk: &'static str,
    /// Field: custom URL template.
    pub tiles_url: &'static str,
    /// Field: custom attribution.
    pub tiles_attribution: &'static str,
    /// Field: 审图号 line.
    pub tiles_shentu: &'static str,
    /// 天地图 without a token.
    pub tiles_need_tk: &'static str,
    /// Custom template not usable.
    pub tiles_bad_url: &'static str,
    /// Shown now: (prefix of) the host being asked for tiles.
    pub tiles_active: &'static str,
    /// On the map: tiles failed (followed by the count).
    pub tiles_failed: &'static str,
    /// On the map: what to check.
    pub tiles_failed_help: &'static str,
}

/// 简体中文 map strings.
pub const ZH_MAP: MapText = MapText {
    legend: "图例",
    legend_other: "其他服务（家政、快递、药店等）",
    legend_posting: "岗位",
    legend_cluster: "岗位聚合（数字为岗位数，放大后展开）",
    legend_major: "主干道",
    legend_minor: "支路、步行道",
    legend_empty: "没有显示的图层",
    export_png: "导出地图 PNG",
    export_busy: "正在导出…",
    export_done: "已导出 shuangquan-map.png",
    export_tainted: "无法导出：在线底图瓦片来自其他网站且不允许读取像素。请关闭在线底图后再导出。",
    export_failed: "导出失败：",
    tiles_heading: "底图",
    tiles_help: "默认使用数据包自带的路网和边界作底图，不向任何其他网站请求。开启在线瓦片后，浏览器会向瓦片服务器发送请求；本应用自带严格的内容安全策略（img-src 只允许本站），部署的网站须把瓦片服务器的域名加入 img-src，否则瓦片会被拦截。设置只保存在本浏览器。",
    tiles_none: "不使用（默认）",
    tiles_osm: "OpenStreetMap",
    tiles_tianditu: "天地图（需要 tk）",
    tiles_custom: "自定义 URL 模板",
    tiles_tk: "天地图 tk",
    tiles_url: "URL 模板（含 {z} {x} {y}）",
    tiles_attribution: "署名",
    tiles_shentu: "审图号（显示在地图上）",
    tiles_need_tk: "请填写天地图 tk 后才会加载。",
    tiles_bad_url: "模板须以 http(s):// 开头并含 {z}、{x}、{y}，只可用 {s} {r} 等变量。",
    tiles_active: "瓦片来源：",
    tiles_failed: "底图瓦片加载失败，张数：",
    tiles_failed_help: "请检查网络、tk 或 URL；若网站的内容安全策略（img-src）未包含瓦片服务器，瓦片会被拦截。自有底图不受影响。",
};

/// English map strings.
pub const EN_MAP: MapText = MapText {
    legend: "Legend",
    legend_other: "Other services (housekeeping, parcels, pharmacy …)",
    legend_posting: "Job posting",
    legend_cluster: "Postings grouped (number of postings; zoom in to expand)",
    legend_major: "Major roads",
    legend_minor: "Minor streets, footways",
    legend_empty: "No layers shown",
    export_png: "Export map as PNG",
    export_busy: "Exporting…",
    export_done: "Saved shuangquan-map.png",
    export_tainted: "Cannot export: the online tiles come from another site that does not allow reading their pixels. Turn the tiles off and export again.",
    export_failed: "Export failed: ",
    tiles_heading: "Basemap",
    tiles_help: "By default the map draws its own basemap from the package's streets and boundaries and requests nothing from any other site. With online tiles on, the browser requests them from the tile server. The app ships a strict Content-Security-Policy (img-src allows this site only): the hosting site must add the tile server to img-src, or the tiles are blocked. The setting is kept in this browser only.",
    tiles_none: "None (default)",
    tiles_osm: "OpenStreetMap",
    tiles_tianditu: "Tianditu 天地图 (needs a tk token)",
    tiles_custom: "Custom URL template",
    tiles_tk: "Tianditu tk",
    tiles_url: "URL template (with {z} {x} {y})",
    tiles_attribution: "Attribution",
    tiles_shentu: "Map approval number 审图号 (shown on the map)",
    tiles_need_tk: "Enter a Tianditu tk to load the tiles.",
    tiles_bad_url: "The template must start with http(s):// and contain {z}, {x} and {y}; only {s} and {r} are other variables.",
    tiles_active: "Tiles from: ",
    tiles_failed: "Basemap tiles failed to load: ",
    tiles_failed_help: "Check the network, the tk or the URL; tiles are blocked when the site's Content-Security-Policy (img-src) does not list the tile server. The app's own basemap is unaffected.",
};

impl Lang {
    /// The map strings of this language.
    pub const fn map(self) -> &'static MapText {
        match self {
            Lang::Zh => &ZH_MAP,
            Lang::En => &EN_MAP,
        }
    }
}

/// Strings of the analysis panels and the shell's modes (one struct per language, like
/// [`Text`]).
#[derive(Debug)]
pub struct Ui {
    /// Tab: walking circles.
    pub tab_iso: &'static str,
    /// Tab: coverage assessment.
    pub tab_coverage: &'static str,
    /// Tab: placement.
    pub tab_place: &'static str,
    /// Tab: data.
    pub tab_data: &'static str,
    /// Tab: resident (nearby).
    pub tab_nearby: &'static str,
    /// Mode: planner.
    pub mode_planner: &'static str,
    /// Mode: resident.
    pub mode_resident: &'static str,
    /// Mode switch label.
    pub mode_label: &'static str,
    /// Coverage heading.
    pub cov_heading: &'static str,
    /// Coverage intro.
    pub cov_intro: &'static str,
    /// Run the assessment.
    pub cov_run: &'static str,
    /// Assessment running.
    pub cov_running: &'static str,
    /// Default threshold label.
    pub cov_minutes: &'static str,
    /// MOFCOM nearer targets toggle.
    pub cov_mofcom: &'static str,
    /// Population.
    pub cov_population: &'static str,
    /// Employment circle.
    pub cov_employment: &'static str,
    /// Convenience circle.
    pub cov_convenience: &'static str,
    /// Dual circle.
    pub cov_dual: &'static str,
    /// Station (as a target).
    pub cov_station: &'static str,
    /// Chart title.
    pub cov_chart: &'static str,
    /// Categories shown on the map.
    pub cov_toggles: &'static str,
    /// Gap table heading.
    pub cov_gaps: &'static str,
    /// Column: community.
    pub col_unit: &'static str,
    /// Column: people outside the dual circle.
    pub col_outside: &'static str,
    /// Column: dual share.
    pub col_dual: &'static str,
    /// Column: missing.
    pub col_missing: &'static str,
    /// Sort hint.
    pub sort_hint: &'static str,
    /// Model circles heading.
    pub cov_models: &'static str,
    /// No model circles.
    pub cov_no_models: &'static str,
    /// Export CSV.
    pub export_csv: &'static str,
    /// Export GeoJSON.
    pub export_geojson: &'static str,
    /// Export per-point CSV.
    pub export_points: &'static str,
    /// Legend title for the coverage layer.
    pub cov_legend: &'static str,
    /// Legend: ring = station within threshold.
    pub cov_legend_ring: &'static str,
    /// Card: missing services.
    pub card_missing: &'static str,
    /// Card: nothing missing.
    pub card_complete: &'static str,
    /// Card: people lacking.
    pub card_people: &'static str,
    /// Card: nearest.
    pub card_nearest: &'static str,
    /// Card: beyond the horizon.
    pub card_beyond: &'static str,
    /// Card: stations inside.
    pub card_stations: &'static str,
    /// Card: people per station.
    pub card_per_station: &'static str,
    /// Card: postings inside.
    pub card_postings: &'static str,
    /// Card: model rank.
    pub card_model: &'static str,
    /// Card: gap rank.
    pub card_gap: &'static str,
    /// Card: close.
    pub close: &'static str,
    /// Estimate note.
    pub cov_estimate: &'static str,
    /// No stations in the data.
    pub cov_no_stations: &'static str,
    /// No facilities of a category in the data.
    pub cov_no_facilities: &'static str,
    /// Computed in.
    pub computed_in: &'static str,
    /// Level names.
    pub level_community: &'static str,
    /// 街道.
    pub level_subdistrict: &'static str,
    /// District.
    pub level_district: &'static str,
    /// City.
    pub level_city: &'static str,
}

/// 简体中文.
pub static ZH_UI: Ui = Ui {
    tab_iso: "步行圈",
    tab_coverage: "覆盖评估",
    tab_place: "站点选址",
    tab_data: "数据",
    tab_nearby: "附近岗位与服务",
    mode_planner: "规划人员",
    mode_resident: "居民",
    mode_label: "使用模式",
    cov_heading: "双圈覆盖评估（供需匹配）",
    cov_intro: "按真实路网步行时间，计算每个需求点到最近服务站和六个一设施的时间，并按社区汇总人口加权覆盖率。",
    cov_run: "重新评估",
    cov_running: "正在评估…",
    cov_minutes: "步行时间阈值（分钟）",
    cov_mofcom: "采用商务部更近目标（便利店5分钟、菜市场8分钟）",
    cov_population: "人口",
    cov_employment: "就业服务圈",
    cov_convenience: "便民生活圈",
    cov_dual: "双圈",
    cov_station: "服务站",
    cov_chart: "各类服务步行可达人口比例",
    cov_toggles: "地图着色计入的类别",
    cov_gaps: "短板清单（按双圈外人口排序）",
    col_unit: "社区",
    col_outside: "双圈外人口",
    col_dual: "双圈覆盖率",
    col_missing: "缺少",
    sort_hint: "点击表头排序；选择一行在地图上定位",
    cov_models: "双圈样板候选",
    cov_no_models: "暂无满足双圈的社区",
    export_csv: "导出 CSV",
    export_geojson: "导出 GeoJSON",
    export_points: "导出需求点 CSV",
    cov_legend: "缺少的类别数",
    cov_legend_ring: "深蓝描边：服务站步行可达",
    card_missing: "缺少的服务",
    card_complete: "六个一全部步行可达",
    card_people: "人",
    card_nearest: "最近",
    card_beyond: "超出搜索范围",
    card_stations: "辖区内服务站",
    card_per_station: "每站服务人口",
    card_postings: "辖区内岗位",
    card_model: "样板候选排名",
    card_gap: "短板排名",
    close: "关闭",
    cov_estimate: "无路网：步行时间为直线距离×1.3的估算",
    cov_no_stations: "数据中没有服务站",
    cov_no_facilities: "数据中没有此类设施",
    computed_in: "计算用时",
    level_community: "社区",
    level_subdistrict: "街道",
    level_district: "区",
    level_city: "全域",
};

/// English.
pub static EN_UI: Ui = Ui {
    tab_iso: "Walk circles",
    tab_coverage: "Coverage",
    tab_place: "Placement",
    tab_data: "Data",
    tab_nearby: "Jobs & services nearby",
    mode_planner: "Planner",
    mode_resident: "Resident",
    mode_label: "Mode",
    cov_heading: "Dual-circle coverage (supply–demand matching)",
    cov_intro: "Walking time on the real street network from every demand point to the nearest station and to each of the six daily services, with population-weighted shares per community.",
    cov_run: "Assess again",
    cov_running: "Assessing…",
    cov_minutes: "Walking-time threshold (minutes)",
    cov_mofcom: "Use MOFCOM's nearer targets (store 5 min, market 8 min)",
    cov_population: "Population",
    cov_employment: "Employment circle",
    cov_convenience: "Convenience circle",
    cov_dual: "Dual circle",
    cov_station: "Station",
    cov_chart: "Share of people within walking reach, by service",
    cov_toggles: "Categories counted on the map",
    cov_gaps: "Gaps (by people outside the dual circle)",
    col_unit: "Community",
    col_outside: "People outside",
    col_dual: "Dual share",
    col_missing: "Missing",
    sort_hint: "Select a heading to sort; select a row to show it on the map",
    cov_models: "Model dual-circle candidates",
    cov_no_models: "No community meets the dual circle yet",
    export_csv: "Export CSV",
    export_geojson: "Export GeoJSON",
    export_points: "Export points CSV",
    cov_legend: "Categories missing",
    cov_legend_ring: "Dark blue ring: station within reach",
    card_missing: "Missing services",
    card_complete: "All six daily services within reach",
    card_people: "people",
    card_nearest: "nearest",
    card_beyond: "beyond the search",
    card_stations: "Stations inside",
    card_per_station: "People per station",
    card_postings: "Postings inside",
    card_model: "Model candidate rank",
    card_gap: "Gap rank",
    close: "Close",
    cov_estimate: "No street network: times are straight-line × 1.3 estimates",
    cov_no_stations: "No stations in the data",
    cov_no_facilities: "no facilities of this kind in the data",
    computed_in: "Computed in",
    level_community: "Community",
    level_subdistrict: "Sub-district",
    level_district: "District",
    level_city: "Whole area",
};

/// Strings of the planner panel (placement, scenarios, comparison) and the share link.
#[derive(Debug)]
pub struct PlaceText {
    /// Station placement
    pub heading: &'static str,
    /// Choose new station sites among the candidates so that as many residents as possible reach a station within the walk (maximal covering; existing stations and the sites already accepted into the scenario count as existing).
    pub intro: &'static str,
    /// Scenario
    pub scenario: &'static str,
    /// New scenario
    pub scenario_new: &'static str,
    /// Scenario
    pub scenario_name: &'static str,
    /// Scenario from link
    pub from_link: &'static str,
    /// Undo
    pub undo: &'static str,
    /// Redo
    pub redo: &'static str,
    /// Export scenarios
    pub export_scenarios: &'static str,
    /// Import scenarios…
    pub import_scenarios: &'static str,
    /// No sites accepted in this scenario yet. Run a placement, then “Accept”.
    pub scenario_empty: &'static str,
    /// Accepted sites
    pub accepted: &'static str,
    /// Remove
    pub remove: &'static str,
    /// Candidate sites
    pub candidates: &'static str,
    /// Use the package's and imported candidate layers
    pub use_layers: &'static str,
    /// Host types
    pub host_types: &'static str,
    /// unspecified
    pub host_unspecified: &'static str,
    /// Add candidates on the map
    pub pick_on_map: &'static str,
    /// {} picked
    pub picked_fmt: &'static str,
    /// Clear
    pub clear: &'static str,
    /// Click the map to add candidates; press the button again to stop.
    pub pick_hint: &'static str,
    /// Goal
    pub goal: &'static str,
    /// New sites (k)
    pub goal_k: &'static str,
    /// Reach a covered share
    pub goal_target: &'static str,
    /// Walking time (minutes)
    pub minutes: &'static str,
    /// Find sites
    pub run: &'static str,
    /// Building the coverage matrix…
    pub running: &'static str,
    /// Cancel
    pub cancel: &'static str,
    /// Placement cancelled.
    pub cancelled: &'static str,
    /// Result
    pub results: &'static str,
    /// No walking network: straight-line × 1.3 estimate.
    pub estimate: &'static str,
    /// Candidates considered
    pub candidates_n: &'static str,
    /// Now: people within the walk of a station
    pub before: &'static str,
    /// With the new sites
    pub after: &'static str,
    /// people
    pub people: &'static str,
    /// Newly covered
    pub added: &'static str,
    /// reached
    pub target_met: &'static str,
    /// beyond all candidates together; all coverable people are covered
    pub target_unmet: &'static str,
    /// Still uncovered
    pub uncovered: &'static str,
    /// budget
    pub why_budget: &'static str,
    /// no candidate in reach
    pub why_no_candidate: &'static str,
    /// off the network
    pub why_off: &'static str,
    /// Computed in
    pub compute: &'static str,
    ///  (coverage matrix reused)
    pub reused: &'static str,
    /// No candidate covers anyone new.
    pub none_chosen: &'static str,
    /// Chosen sites (build order; the gain is what each adds after those before it)
    pub chosen: &'static str,
    /// Site
    pub col_site: &'static str,
    /// Type
    pub col_host: &'static str,
    /// People added
    pub col_gain: &'static str,
    /// Accept
    pub accept: &'static str,
    /// Accept all into the scenario
    pub accept_all: &'static str,
    /// Export plan.json
    pub export_json: &'static str,
    /// Export GeoJSON
    pub export_geojson: &'static str,
    /// Compare scenarios
    pub compare: &'static str,
    /// Create a second scenario to compare side by side.
    pub compare_hint: &'static str,
    /// Compare
    pub compare_run: &'static str,
    /// Measure
    pub measure: &'static str,
    /// Sites added
    pub added_sites: &'static str,
    /// Stations in all
    pub stations_total: &'static str,
    /// Employment circle share
    pub employment_share: &'static str,
    /// Convenience circle share
    pub convenience_share: &'static str,
    /// Dual-circle share
    pub dual_share: &'static str,
    /// People with no station within the walk
    pub lacking: &'static str,
    /// Placement legend
    pub legend: &'static str,
    /// covered now
    pub legend_before: &'static str,
    /// newly covered (by site number)
    pub legend_new: &'static str,
    /// uncovered: budget
    pub legend_budget: &'static str,
    /// uncovered: no candidate
    pub legend_none: &'static str,
    /// accepted sites
    pub legend_accepted: &'static str,
    /// Copy share link
    pub share: &'static str,
    /// Link copied.
    pub share_copied: &'static str,
    /// Copy this link:
    pub share_manual: &'static str,
    /// Name of a point clicked on the map.
    pub picked_site: &'static str,
    /// Legend: off the network.
    pub legend_off: &'static str,
    /// Template: Placing: {} of {}
    pub live_placing: &'static str,
    /// Template: Placement ready: {} sites, covered share {} → {}
    pub live_placed: &'static str,
    /// Template: Coverage ready: dual-circle share {}
    pub live_coverage: &'static str,
    /// Template: {} postings within the walk
    pub live_postings: &'static str,
    /// Template: Walking circles ready: {} km² within 15 minutes
    pub live_iso: &'static str,
    /// Template: ; the stored text is kept under “{}”
    pub kept_aside: &'static str,
    /// Template: ; nothing was changed
    pub nothing_changed: &'static str,
    /// Template: {}: the scenarios belong to package “{}”, “{}” is open: open that package first; nothing was changed
    pub other_package: &'static str,
}

/// 简体中文.
pub static ZH_PLACE: PlaceText = PlaceText {
    heading: "站点选址",
    intro: "在候选点中选出新的就享家站点，使尽可能多的居民在步行时间内到达一个站点（最大覆盖选址；已有站点和方案中已采纳的站点计为现状）。",
    scenario: "方案",
    scenario_new: "新建方案",
    scenario_name: "方案",
    from_link: "链接中的方案",
    undo: "撤销",
    redo: "重做",
    export_scenarios: "导出方案文件",
    import_scenarios: "导入方案文件…",
    scenario_empty: "本方案尚未采纳站点。运行选址后点击“采纳”。",
    accepted: "已采纳的站点",
    remove: "移除",
    candidates: "候选点",
    use_layers: "使用数据包和导入的候选点图层",
    host_types: "候选点类型",
    host_unspecified: "未注明类型",
    pick_on_map: "在地图上点选候选点",
    picked_fmt: "已点选 {} 个",
    clear: "清除",
    pick_hint: "点击地图添加候选点；再次点击按钮结束。",
    goal: "目标",
    goal_k: "新增站点数",
    goal_target: "达到覆盖率",
    minutes: "步行时间（分钟）",
    run: "计算选址",
    running: "正在计算覆盖矩阵…",
    cancel: "取消",
    cancelled: "已取消选址计算。",
    results: "结果",
    estimate: "无步行路网：按直线距离×1.3估算。",
    candidates_n: "参与比较的候选点",
    before: "现状：步行可达站点的人口",
    after: "选址后",
    people: "人",
    added: "新增覆盖",
    target_met: "已达到",
    target_unmet: "所有候选点合计也达不到，已覆盖全部可覆盖人口",
    uncovered: "仍未覆盖",
    why_budget: "预算不足",
    why_no_candidate: "附近无候选点",
    why_off: "离路网过远",
    compute: "计算时间",
    reused: "（沿用覆盖矩阵）",
    none_chosen: "没有能新增覆盖的候选点。",
    chosen: "选出的站点（按加入顺序，新增覆盖人口为该点在其前序站点之后新增的人口）",
    col_site: "站点",
    col_host: "类型",
    col_gain: "新增覆盖人口",
    accept: "采纳",
    accept_all: "全部采纳到当前方案",
    export_json: "导出 plan.json",
    export_geojson: "导出 GeoJSON",
    compare: "方案对比",
    compare_hint: "新建第二个方案后可并排比较。",
    compare_run: "比较",
    measure: "指标",
    added_sites: "新增站点",
    stations_total: "站点总数",
    employment_share: "就业服务圈覆盖率",
    convenience_share: "便民生活圈覆盖率",
    dual_share: "双圈覆盖率",
    lacking: "步行范围内无站点的人口",
    legend: "选址图例",
    legend_before: "现状已覆盖",
    legend_new: "选址后新增覆盖",
    legend_budget: "未覆盖：预算不足",
    legend_none: "未覆盖：附近无候选点",
    legend_accepted: "方案中已采纳的站点",
    share: "复制分享链接",
    share_copied: "链接已复制。",
    share_manual: "请复制此链接：",
    picked_site: "地图点选",
    legend_off: "未覆盖：离路网过远",
    live_placing: "正在计算选址：{}/{}",
    live_placed: "选址完成：{} 个站点，覆盖率由 {} 升至 {}",
    live_coverage: "覆盖评估完成：双圈覆盖率 {}",
    live_postings: "步行范围内找到 {} 个岗位",
    live_iso: "已计算步行圈：15分钟可达面积 {} 平方公里",
    kept_aside: "；原存储内容保留在“{}”",
    nothing_changed: "；未做任何改动",
    other_package: "{}：方案属于数据包“{}”，当前打开的是“{}”：请先打开该数据包；未做任何改动",
};

/// English.
pub static EN_PLACE: PlaceText = PlaceText {
    heading: "Station placement",
    intro: "Choose new station sites among the candidates so that as many residents as possible reach a station within the walk (maximal covering; existing stations and the sites already accepted into the scenario count as existing).",
    scenario: "Scenario",
    scenario_new: "New scenario",
    scenario_name: "Scenario",
    from_link: "Scenario from link",
    undo: "Undo",
    redo: "Redo",
    export_scenarios: "Export scenarios",
    import_scenarios: "Import scenarios…",
    scenario_empty: "No sites accepted in this scenario yet. Run a placement, then “Accept”.",
    accepted: "Accepted sites",
    remove: "Remove",
    candidates: "Candidate sites",
    use_layers: "Use the package's and imported candidate layers",
    host_types: "Host types",
    host_unspecified: "unspecified",
    pick_on_map: "Add candidates on the map",
    picked_fmt: "{} picked",
    clear: "Clear",
    pick_hint: "Click the map to add candidates; press the button again to stop.",
    goal: "Goal",
    goal_k: "New sites (k)",
    goal_target: "Reach a covered share",
    minutes: "Walking time (minutes)",
    run: "Find sites",
    running: "Building the coverage matrix…",
    cancel: "Cancel",
    cancelled: "Placement cancelled.",
    results: "Result",
    estimate: "No walking network: straight-line × 1.3 estimate.",
    candidates_n: "Candidates considered",
    before: "Now: people within the walk of a station",
    after: "With the new sites",
    people: "people",
    added: "Newly covered",
    target_met: "reached",
    target_unmet: "beyond all candidates together; all coverable people are covered",
    uncovered: "Still uncovered",
    why_budget: "budget",
    why_no_candidate: "no candidate in reach",
    why_off: "off the network",
    compute: "Computed in",
    reused: " (coverage matrix reused)",
    none_chosen: "No candidate covers anyone new.",
    chosen: "Chosen sites (build order; the gain is what each adds after those before it)",
    col_site: "Site",
    col_host: "Type",
    col_gain: "People added",
    accept: "Accept",
    accept_all: "Accept all into the scenario",
    export_json: "Export plan.json",
    export_geojson: "Export GeoJSON",
    compare: "Compare scenarios",
    compare_hint: "Create a second scenario to compare side by side.",
    compare_run: "Compare",
    measure: "Measure",
    added_sites: "Sites added",
    stations_total: "Stations in all",
    employment_share: "Employment circle share",
    convenience_share: "Convenience circle share",
    dual_share: "Dual-circle share",
    lacking: "People with no station within the walk",
    legend: "Placement legend",
    legend_before: "covered now",
    legend_new: "newly covered by the new sites",
    legend_budget: "uncovered: budget",
    legend_none: "uncovered: no candidate",
    legend_accepted: "accepted sites",
    share: "Copy share link",
    share_copied: "Link copied.",
    share_manual: "Copy this link:",
    picked_site: "Map point",
    legend_off: "uncovered: off the network",
    live_placing: "Placing: {} of {}",
    live_placed: "Placement ready: {} sites, covered share {} → {}",
    live_coverage: "Coverage ready: dual-circle share {}",
    live_postings: "{} postings within the walk",
    live_iso: "Walking circles ready: {} km² within 15 minutes",
    kept_aside: "; the stored text is kept under “{}”",
    nothing_changed: "; nothing was changed",
    other_package: "{}: the scenarios belong to package “{}”, “{}” is open: open that package first; nothing was changed",
};

/// Fills the `{}` of a template in order (extra `{}` stay empty, extra arguments are ignored).
pub fn fill(template: &str, args: &[&str]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut args = args.iter();
    let mut parts = template.split("{}");
    if let Some(first) = parts.next() {
        out.push_str(first);
    }
    for part in parts {
        out.push_str(args.next().copied().unwrap_or(""));
        out.push_str(part);
    }
    out
}

impl PlaceText {
    /// "{n} picked".
    pub fn picked(&self, n: usize) -> String {
        self.picked_fmt.replace("{}", &n.to_string())
    }
}

impl Lang {
    /// The analysis-panel strings of this language.
    pub const fn ui(self) -> &'static Ui {
        match self {
            Lang::Zh => &ZH_UI,
            Lang::En => &EN_UI,
        }
    }

    /// The planner panel's strings.
    pub const fn place(self) -> &'static PlaceText {
        match self {
            Lang::Zh => &ZH_PLACE,
            Lang::En => &EN_PLACE,
        }
    }

    /// Formats a share (0..1) as a percentage with one decimal.
    pub fn pct(self, share: f64) -> String {
        format!("{:.1}%", share * 100.0)
    }
}

// -------------------------------------------------------------------------------------------
// The resident panel (附近岗位与服务): every string it shows, and its date and reason wording.

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
    /// One reason of a match score.
    pub reason: fn(&Reason) -> String,
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

fn reason_zh(r: &Reason) -> String {
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

fn reason_en(r: &Reason) -> String {
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
    reason: reason_zh,
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
    reason: reason_en,
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

/// Notices about input the page ignored and writes the browser refused.
#[derive(Debug)]
pub struct FaultText {
    /// A URL parameter whose value was ignored (`{}` = the parameter).
    pub url_ignored: &'static str,
    /// A refused storage write (`{}` = what was not saved).
    pub not_saved: &'static str,
    /// The page has no storage at all.
    pub no_storage: &'static str,
    /// What: the scenarios.
    pub scenarios: &'static str,
    /// What: the match profile.
    pub profile: &'static str,
    /// What: the basemap settings.
    pub tiles: &'static str,
    /// The analysis worker died and was restarted.
    pub worker_restarted: &'static str,
}

/// Chinese.
pub static ZH_FAULT: FaultText = FaultText {
    url_ignored: "链接中的参数 {} 的值无效，已忽略",
    not_saved: "{}未能保存：浏览器存储已满或不可用。已保存的内容未被改动，本页其余功能照常可用",
    no_storage: "本页无法使用浏览器存储（隐私窗口或嵌入页阻止了存储）：方案、档案和底图设置只在本次打开期间有效",
    scenarios: "方案",
    profile: "求职档案",
    tiles: "底图设置",
    worker_restarted: "分析进程意外停止（程序出错或浏览器因内存回收了它），已重新启动，并恢复了数据包、导入的文件和当前方案，可以继续操作",
};

/// English.
pub static EN_FAULT: FaultText = FaultText {
    url_ignored: "The link's {} value is not valid and was ignored",
    not_saved: "{} could not be saved: the browser's storage is full or unavailable. What was saved before is unchanged; everything else keeps working",
    no_storage: "This page cannot use the browser's storage (a private window, or an embed with storage blocked): scenarios, the profile and basemap settings last only while the page is open",
    scenarios: "The scenarios",
    profile: "The job profile",
    tiles: "The basemap settings",
    worker_restarted: "The analysis worker stopped (an internal error, or the browser reclaimed its memory); a new one was started with the package, the imported files and the current scenario, and you can go on",
};

impl Lang {
    /// The notices of this language.
    pub const fn fault(self) -> &'static FaultText {
        match self {
            Lang::Zh => &ZH_FAULT,
            Lang::En => &EN_FAULT,
        }
    }
}
