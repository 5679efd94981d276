//! The analysis panels' tabs and the coverage panel.

/// Strings of the analysis panels and the shell's modes (one struct per language, like
/// [`super::Text`]).
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
