//! The map's own controls: legend, basemap settings, PNG export.

use super::Lang;

/// Strings of the map's own controls: the legend, the basemap settings and the PNG export
/// (one struct per language, like [`super::Text`]).
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
    /// On the map when minor street classes are left out of a crowded view.
    pub minor_streets_hidden: &'static str,
    /// A point layer drawn as counts per cell (too many points in view).
    pub points_aggregated: &'static str,
    /// The chosen point's marker (its tooltip and accessible name).
    pub start_marker: &'static str,
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
    minor_streets_hidden: "此范围内道路过多：仅显示较主要的道路，放大后显示支路和步行道。",
    points_aggregated: "此范围内的点过多：按格汇总，圆内数字为点数，放大后显示每个点。",
    start_marker: "起点（可拖动）",
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
    minor_streets_hidden: "Too many streets in view: the main ones are shown; zoom in for minor streets and footpaths.",
    points_aggregated: "Too many points in view: they are counted per cell (the number in each disc); zoom in to see each one.",
    start_marker: "Start point (drag to move)",
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
