//! The planner panel, scenarios, the share link and the live announcements.

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
    /// The host types the packages use (就享家 stations sit in these), as this language names
    /// them: (the value in the data, its name here). Chinese needs none; other values show as
    /// they are in the data.
    pub host_type_names: &'static [(&'static str, &'static str)],
    /// Add candidates on the map
    pub pick_on_map: &'static str,
    /// {} picked
    pub picked_fmt: &'static str,
    /// Search time (seconds)
    pub time_limit: &'static str,
    /// Stations serve at most (people; empty: no limit)
    pub capacity: &'static str,
    /// Existing stations may close
    pub allow_close: &'static str,
    /// How good the plan is
    pub quality: &'static str,
    /// Proven optimal: no plan with as many sites covers more.
    pub proven: &'static str,
    /// Within {} of the best possible (upper bound {} people)
    pub within_fmt: &'static str,
    /// At least {} sites are needed for this target
    pub sites_lower_fmt: &'static str,
    /// Served (within capacity)
    pub served: &'static str,
    /// Covered but over capacity
    pub over_capacity: &'static str,
    /// Stations to close
    pub closed: &'static str,
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
    host_type_names: &[],
    pick_on_map: "在地图上点选候选点",
    picked_fmt: "已点选 {} 个",
    time_limit: "求解时间（秒）",
    capacity: "每站最多服务人数（留空：不限）",
    allow_close: "允许关闭现有站点",
    quality: "方案质量",
    proven: "已证明最优：同样站点数的任何方案都覆盖不了更多人口。",
    within_fmt: "与最优方案至多相差 {}（上界 {} 人）",
    sites_lower_fmt: "达到该目标至少需要 {} 个站点",
    served: "可服务（容量以内）",
    over_capacity: "已覆盖但超出容量",
    closed: "建议关闭的站点",
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
    host_type_names: &[
        ("书店", "bookshop"),
        ("银行网点", "bank branch"),
        ("物业服务中心", "property service centre"),
        ("党群服务中心", "Party–community service centre"),
        ("商超", "supermarket"),
        ("便民服务中心", "resident service centre"),
        ("楼宇", "office building"),
    ],
    pick_on_map: "Add candidates on the map",
    picked_fmt: "{} picked",
    time_limit: "Search time (seconds)",
    capacity: "Each station serves at most (people; empty: no limit)",
    allow_close: "Existing stations may close",
    quality: "How good the plan is",
    proven: "Proven optimal: no plan with as many sites covers more people.",
    within_fmt: "Within {} of the best possible (upper bound {} people)",
    sites_lower_fmt: "At least {} sites are needed for this target",
    served: "Served (within capacity)",
    over_capacity: "Covered but over capacity",
    closed: "Stations to close",
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

impl PlaceText {
    /// A candidate's host type as this language names it: a known value of the packages in
    /// this language's words, any other value as the data has it, none as "unspecified".
    pub fn host_type<'a>(&self, value: &'a str) -> &'a str {
        if value.is_empty() {
            return self.host_unspecified;
        }
        self.host_type_names
            .iter()
            .find(|(v, _)| *v == value)
            .map_or(value, |&(_, name)| name)
    }

    /// "{n} picked".
    pub fn picked(&self, n: usize) -> String {
        self.picked_fmt.replace("{}", &n.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::super::errors::tests::has_han;
    use super::*;

    /// Every host type a shipped package's candidates carry has an English name, so an English
    /// planner meets no Chinese value in the panel; Chinese shows the data's own words.
    #[test]
    fn every_shipped_host_type_has_an_english_name() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("static/data");
        let mut seen = 0;
        for dir in std::fs::read_dir(&root).unwrap() {
            let path = dir.unwrap().path().join("candidates.geojson");
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
            for f in doc["features"].as_array().unwrap() {
                let Some(h) = f["properties"]["host_type"].as_str() else {
                    continue;
                };
                seen += 1;
                let en = EN_PLACE.host_type(h);
                assert!(
                    !has_han(en),
                    "{}: host type {h:?} has no English name",
                    path.display()
                );
                assert_eq!(ZH_PLACE.host_type(h), h);
            }
        }
        assert!(
            seen > 100,
            "the packages' candidates were not found under {}",
            root.display()
        );
        assert_eq!(EN_PLACE.host_type(""), EN_PLACE.host_unspecified);
        assert_eq!(EN_PLACE.host_type("kiosk"), "kiosk");
    }
}
