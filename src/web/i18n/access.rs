//! The supply–demand section's strings (issue 14): walking profile, standards preset, ratios,
//! the accessibility surface and its legend, the 体检报告. Adding a field to [`AccessText`]
//! makes both tables fail to compile until both languages have it.

use super::Lang;
use crate::plan::access::{Standard, Target};

/// The section's strings.
#[derive(Debug)]
pub struct AccessText {
    /// Section heading.
    pub heading: &'static str,
    /// Profile select.
    pub profile: &'static str,
    /// Standard walker.
    pub profile_standard: &'static str,
    /// Elderly walker.
    pub profile_elderly: &'static str,
    /// Wheelchair.
    pub profile_wheelchair: &'static str,
    /// A custom speed.
    pub profile_custom: &'static str,
    /// Custom speed input (metres per minute).
    pub speed: &'static str,
    /// Preset select.
    pub standard: &'static str,
    /// Preset names.
    pub standard_names: [&'static str; 4],
    /// Method select.
    pub method: &'static str,
    /// Method names.
    pub method_names: [&'static str; 2],
    /// Run the ratios.
    pub run: &'static str,
    /// While running.
    pub running: &'static str,
    /// Table caption.
    pub caption: &'static str,
    /// Column: target.
    pub col_target: &'static str,
    /// Column: minutes.
    pub col_minutes: &'static str,
    /// Column: supply points.
    pub col_supply: &'static str,
    /// Column: mean ratio per 1,000 people.
    pub col_ratio: &'static str,
    /// Column: people with nothing within reach.
    pub col_none: &'static str,
    /// Column: mean number within reach.
    pub col_count: &'static str,
    /// Column: shortfall in people.
    pub col_short: &'static str,
    /// The station target.
    pub station: &'static str,
    /// Elderly line: {share} {people} {speed} {dual} {conv}.
    pub elderly_line: &'static str,
    /// Method note.
    pub method_note: &'static str,
    /// Surface heading.
    pub surface: &'static str,
    /// Cell size input.
    pub cell: &'static str,
    /// Surface layer select.
    pub layer: &'static str,
    /// Layer: categories within.
    pub layer_within: &'static str,
    /// Layer: minutes to … (prefix).
    pub layer_minutes: &'static str,
    /// Layer: gravity.
    pub layer_gravity: &'static str,
    /// Draw the surface.
    pub surface_run: &'static str,
    /// Surface summary: {cells} {blank} {ms}.
    pub surface_done: &'static str,
    /// Legend: blank cells.
    pub legend_blank: &'static str,
    /// Legend: beyond the horizon.
    pub legend_beyond: &'static str,
    /// Export surface CSV.
    pub export_surface_csv: &'static str,
    /// Export surface GeoJSON.
    pub export_surface_geojson: &'static str,
    /// Export report CSV.
    pub export_csv: &'static str,
    /// Export report GeoJSON.
    pub export_geojson: &'static str,
    /// Print the report.
    pub print: &'static str,
    /// Hint: choose a unit first.
    pub print_hint: &'static str,
    /// Report heading prefix.
    pub report: &'static str,
    /// Report: standard line label.
    pub report_standard: &'static str,
    /// Report: everyone / the elderly at their pace.
    pub report_everyone: &'static str,
    /// Report: the aged 60+.
    pub report_elderly: &'static str,
    /// Report: shares by category.
    pub report_shares: &'static str,
    /// Report: ratios.
    pub report_ratios: &'static str,
    /// Report: gaps within the unit.
    pub report_gaps: &'static str,
    /// Report: model circles within the unit.
    pub report_models: &'static str,
    /// Report: placement suggestion.
    pub report_place: &'static str,
    /// Report: a chosen site, {order} {name} {people}.
    pub report_site: &'static str,
    /// Report: level and parent line label.
    pub report_population: &'static str,
    /// Report: none.
    pub none: &'static str,
    /// Error prefix.
    pub error: &'static str,
}

pub const ZH_ACCESS: AccessText = AccessText {
    heading: "供需比与可达性",
    profile: "步行人群",
    profile_standard: "一般（60米/分）",
    profile_elderly: "老年人（45米/分）",
    profile_wheelchair: "轮椅或童车（50米/分，不走台阶）",
    profile_custom: "自定义步速",
    speed: "步速（米/分）",
    standard: "标准",
    standard_names: [
        "GB 50180-2018 生活圈",
        "商务部2021 便民生活圈",
        "青岛2025 双圈",
        "自定义",
    ],
    method: "方法",
    method_names: ["两步移动搜索法（2SFCA）", "高斯衰减两步法（E2SFCA）"],
    run: "计算供需比",
    running: "正在计算供需比…",
    caption: "全域供需比（每千人的服务容量）",
    col_target: "服务",
    col_minutes: "分钟",
    col_supply: "设施数",
    col_ratio: "每千人容量",
    col_none: "步行范围内没有的人口",
    col_count: "可达设施数（平均）",
    col_short: "缺口人口",
    station: "就业服务站",
    elderly_line: "60岁以上人口占{}（约{}人）：按{}米/分步行，双圈覆盖{}，便民生活圈覆盖{}。",
    method_note: "容量缺省为1（按设施个数计）；E2SFCA 权重按三段步行时间取 1.00 / 0.68 / 0.22（Luo & Qi 2009）。",
    surface: "可达性栅格",
    cell: "网格边长（米）",
    layer: "显示",
    layer_within: "阈值内的“六个一”类别数",
    layer_minutes: "到最近的步行分钟：",
    layer_gravity: "引力得分（各类服务按步行时间衰减加权）",
    surface_run: "计算栅格",
    surface_done: "{}个网格，其中{}个不在路网上（留空）；耗时{}毫秒",
    legend_blank: "不在路网上：留空",
    legend_beyond: "超出搜索范围",
    export_surface_csv: "导出栅格 CSV",
    export_surface_geojson: "导出栅格 GeoJSON",
    export_csv: "导出供需比 CSV",
    export_geojson: "导出供需比 GeoJSON",
    print: "打印体检报告（A4）",
    print_hint: "在缺口表或地图上选择一个社区或街道，即可打印它的体检报告。",
    report: "体检报告",
    report_standard: "采用标准",
    report_everyone: "全体居民（按所选步速）",
    report_elderly: "60岁以上（45米/分）",
    report_shares: "各类服务覆盖率",
    report_ratios: "供需比与缺口",
    report_gaps: "缺口清单",
    report_models: "样板圈候选",
    report_place: "选址建议",
    report_site: "{}. {}（新增覆盖{}人）",
    report_population: "人口",
    none: "无",
    error: "无法计算：",
};

pub const EN_ACCESS: AccessText = AccessText {
    heading: "Supply–demand and accessibility",
    profile: "Walkers",
    profile_standard: "Standard (60 m/min)",
    profile_elderly: "Elderly (45 m/min)",
    profile_wheelchair: "Wheelchair or stroller (50 m/min, no steps)",
    profile_custom: "Custom speed",
    speed: "Speed (m/min)",
    standard: "Standard",
    standard_names: [
        "GB 50180-2018 life circles",
        "MOFCOM 2021 convenience circle",
        "Qingdao 2025 dual circle",
        "Custom",
    ],
    method: "Method",
    method_names: [
        "Two-step floating catchment (2SFCA)",
        "Gaussian bands (E2SFCA)",
    ],
    run: "Compute ratios",
    running: "Computing ratios…",
    caption: "City supply–demand ratios (capacity per 1,000 people)",
    col_target: "Service",
    col_minutes: "Minutes",
    col_supply: "Facilities",
    col_ratio: "Capacity per 1,000",
    col_none: "People with none within reach",
    col_count: "Within reach (mean)",
    col_short: "Shortfall (people)",
    station: "Employment station",
    elderly_line: "Aged 60+: {} (about {} people). Walking {} m/min: dual circle {}, convenience circle {}.",
    method_note: "Capacity defaults to 1 (facilities counted); E2SFCA weighs the three travel-time bands 1.00 / 0.68 / 0.22 (Luo & Qi 2009).",
    surface: "Accessibility surface",
    cell: "Cell size (m)",
    layer: "Show",
    layer_within: "Base categories within their threshold",
    layer_minutes: "Walking minutes to the nearest: ",
    layer_gravity: "Gravity score (each service weighted by walking time)",
    surface_run: "Compute surface",
    surface_done: "{} cells, {} off the network (blank); {} ms",
    legend_blank: "Off the network: blank",
    legend_beyond: "Beyond the search",
    export_surface_csv: "Export surface CSV",
    export_surface_geojson: "Export surface GeoJSON",
    export_csv: "Export ratios CSV",
    export_geojson: "Export ratios GeoJSON",
    print: "Print the check-up report (A4)",
    print_hint: "Select a community or sub-district in the gap table or on the map to print its check-up report.",
    report: "Check-up report",
    report_standard: "Standard",
    report_everyone: "Everyone (chosen pace)",
    report_elderly: "Aged 60+ (45 m/min)",
    report_shares: "Coverage by service",
    report_ratios: "Supply–demand ratios and shortfalls",
    report_gaps: "Gap list",
    report_models: "Model-circle candidates",
    report_place: "Placement suggestion",
    report_site: "{}. {} (+{} people covered)",
    report_population: "Population",
    none: "none",
    error: "Cannot compute: ",
};

impl Lang {
    /// The supply–demand section's strings.
    pub const fn access(self) -> &'static AccessText {
        match self {
            Lang::Zh => &ZH_ACCESS,
            Lang::En => &EN_ACCESS,
        }
    }

    /// A standard's citation in this language.
    pub const fn citation(self, s: Standard) -> &'static str {
        match self {
            Lang::Zh => s.citation_zh(),
            Lang::En => s.citation_en(),
        }
    }

    /// A target's label.
    pub fn target(self, t: Target) -> &'static str {
        match t {
            Target::Station => self.access().station,
            Target::Category(c) => self.category(c),
        }
    }
}
