//! Strings of the network edits (路网编辑): the planner panel's block, the network line stated
//! in every report, and every problem of an edits file ([`EditIssue`]) in both languages.

use super::{Lang, fill};
use crate::plan::engine::{EditIssue, EditIssueKind};
use crate::plan::graph::Compounds;

/// Strings of the network-edit tools.
#[derive(Debug)]
pub struct NetText {
    /// Street network (heading).
    pub heading: &'static str,
    /// What the edits are for.
    pub intro: &'static str,
    /// Walk through residential compounds
    pub compounds: &'static str,
    /// Closed (residents only)
    pub closed: &'static str,
    /// Open (everyone passes)
    pub open: &'static str,
    /// The default, said in the panel.
    pub compounds_note: &'static str,
    /// Delay at each crossing (s)
    pub delay: &'static str,
    /// Draw a path
    pub draw_path: &'static str,
    /// Close a segment
    pub close_segment: &'static str,
    /// Open a gate
    pub open_gate: &'static str,
    /// Close a gate
    pub close_gate: &'static str,
    /// Finish the path
    pub finish: &'static str,
    /// Stop editing
    pub stop: &'static str,
    /// Hint while drawing a path.
    pub hint_path: &'static str,
    /// Hint while closing.
    pub hint_close: &'static str,
    /// Hint while placing a gate.
    pub hint_gate: &'static str,
    /// New path
    pub kind_path: &'static str,
    /// Closed segment
    pub kind_close: &'static str,
    /// Gate opened
    pub kind_gate_open: &'static str,
    /// Gate closed
    pub kind_gate_closed: &'static str,
    /// Remove
    pub remove: &'static str,
    /// No edits
    pub none: &'static str,
    /// "Network switched in {} ms: {} m new path, {} m closed"
    pub switched_fmt: &'static str,
    /// No street near the click
    pub no_street: &'static str,
    /// Import an edits file…
    pub import: &'static str,
    /// Export the edits (GeoJSON)
    pub export: &'static str,
    /// "{} edits read from {}" after an import.
    pub imported_fmt: &'static str,
    /// The network line of a report: "Network: compounds {}; {} edits; crossing wait {} s".
    pub report_fmt: &'static str,
    /// Network (comparison row).
    pub row: &'static str,
    /// The network map legend's title.
    pub legend: &'static str,
    /// The path being drawn (legend).
    pub draft: &'static str,
    /// A share link's `net=` that could not be read in full.
    pub bad_link: &'static str,
}

/// Chinese network-edit strings.
pub static ZH_NET: NetText = NetText {
    heading: "路网编辑",
    intro: "在本方案中修改步行网络：新建通道、封闭路段、开放或关闭小区门；所有分析（步行圈、附近、覆盖评估、选址、方案对比）都按编辑后的路网计算。",
    compounds: "穿行封闭小区",
    closed: "不可穿行（仅居民）",
    open: "可穿行（所有人）",
    compounds_note: "默认：封闭小区不可穿行——小区内的居民可以走出，外人不能穿过。",
    delay: "每个路口过街等待（秒）",
    draw_path: "画新通道",
    close_segment: "封闭路段",
    open_gate: "开放小区门",
    close_gate: "关闭小区门",
    finish: "完成通道",
    stop: "结束编辑",
    hint_path: "在地图上依次点击通道的各点，再点“完成通道”。两端须在路网 50 米以内。",
    hint_close: "点击要封闭的路段。",
    hint_gate: "点击小区门所在的位置（路网 50 米以内）。",
    kind_path: "新通道",
    kind_close: "封闭路段",
    kind_gate_open: "开放的门",
    kind_gate_closed: "关闭的门",
    remove: "删除",
    none: "本方案没有路网编辑。",
    switched_fmt: "路网已切换（{} 毫秒）：新通道 {} 米，封闭 {} 米",
    no_street: "点击处 30 米内没有路段。",
    import: "导入路网编辑文件…",
    export: "导出路网编辑（GeoJSON）",
    imported_fmt: "读入 {} 处路网编辑（{}）",
    report_fmt: "路网：封闭小区{}；路网编辑 {} 处；过街等待 {} 秒",
    row: "路网",
    legend: "路网编辑",
    draft: "正在绘制",
    bad_link: "链接中的路网编辑（net=）有无法读取的部分，已忽略这些部分。",
};

/// English network-edit strings.
pub static EN_NET: NetText = NetText {
    heading: "Street network",
    intro: "Edit the walking network in this scenario: new passages, closed segments, compound gates opened or closed; every analysis (walking circles, nearby, coverage, placement, comparison) uses the edited network.",
    compounds: "Walk through residential compounds",
    closed: "Closed (residents only)",
    open: "Open (everyone passes)",
    compounds_note: "Default: compounds are closed — residents inside get out, others cannot pass through.",
    delay: "Wait at each crossing (s)",
    draw_path: "Draw a path",
    close_segment: "Close a segment",
    open_gate: "Open a gate",
    close_gate: "Close a gate",
    finish: "Finish the path",
    stop: "Stop editing",
    hint_path: "Click the path's points on the map, then \"Finish the path\". Both ends must be within 50 m of the network.",
    hint_close: "Click the street segment to close.",
    hint_gate: "Click where the compound gate is (within 50 m of the network).",
    kind_path: "New path",
    kind_close: "Closed segment",
    kind_gate_open: "Gate opened",
    kind_gate_closed: "Gate closed",
    remove: "Remove",
    none: "This scenario has no network edits.",
    switched_fmt: "Network switched in {} ms: {} m of new path, {} m closed",
    no_street: "No street within 30 m of the click.",
    import: "Import an edits file…",
    export: "Export the edits (GeoJSON)",
    imported_fmt: "{} network edits read from {}",
    report_fmt: "Network: compounds {}; {} network edits; {} s wait at crossings",
    row: "Network",
    legend: "Network edits",
    draft: "Being drawn",
    bad_link: "Part of the link's network edits (net=) could not be read and was ignored.",
};

impl Lang {
    /// The network-edit strings of this language.
    pub const fn network(self) -> &'static NetText {
        match self {
            Lang::Zh => &ZH_NET,
            Lang::En => &EN_NET,
        }
    }

    /// The compound setting in words.
    pub const fn compounds(self, c: Compounds) -> &'static str {
        match c {
            Compounds::Closed => self.network().closed,
            Compounds::Open => self.network().open,
        }
    }

    /// The network line stated in reports: compound setting, edits, crossing wait.
    pub fn network_line(self, c: Compounds, edits: usize, delay_s: f64) -> String {
        fill(
            self.network().report_fmt,
            &[
                self.compounds(c),
                &edits.to_string(),
                &format!("{delay_s:.0}"),
            ],
        )
    }

    /// The network in brief (a comparison cell): compound setting and number of edits.
    pub fn network_brief(self, c: Compounds, edits: usize) -> String {
        match self {
            Lang::Zh => format!("封闭小区{} · 编辑 {edits} 处", self.compounds(c)),
            Lang::En => format!("compounds {} · {edits} edits", self.compounds(c)),
        }
    }

    /// Every problem of network edits that could not be applied, with the file.
    pub fn edit_issues(self, file: &str, problems: &[EditIssue]) -> String {
        let list: Vec<String> = problems.iter().map(|p| self.edit_issue(p)).collect();
        match self {
            Lang::Zh => format!(
                "{file}：{} 处问题，未应用任何路网编辑：{}",
                problems.len(),
                list.join("；")
            ),
            Lang::En => format!(
                "{file}: {} problem(s), no network edit applied: {}",
                problems.len(),
                list.join("; ")
            ),
        }
    }

    /// One problem: where (feature and field) and what.
    pub fn edit_issue(self, p: &EditIssue) -> String {
        let what = match self {
            Lang::Zh => zh_kind(&p.kind),
            Lang::En => en_kind(&p.kind),
        };
        match (self, p.feature) {
            (Lang::Zh, Some(k)) => format!("要素 features[{k}] 的 {} 字段：{what}", p.field),
            (Lang::Zh, None) => format!("要素集合的 {} 字段：{what}", p.field),
            (Lang::En, Some(k)) => format!("features[{k}], field {}: {what}", p.field),
            (Lang::En, None) => format!("the collection, field {}: {what}", p.field),
        }
    }
}

fn zh_kind(k: &EditIssueKind) -> String {
    match k {
        EditIssueKind::NotJson => "不是 JSON 文件".to_owned(),
        EditIssueKind::NotCollection => "不是 GeoJSON 要素集合（FeatureCollection）".to_owned(),
        EditIssueKind::TooNew { version, max } => {
            format!("文件版本 {version} 比本应用能读的版本（{max}）新，请更新应用")
        }
        EditIssueKind::BadVersion => "版本号不是整数".to_owned(),
        EditIssueKind::BadDelay { max_s } => format!("过街等待应为 0–{max_s:.0} 秒"),
        EditIssueKind::MissingEdit => "缺少 edit 属性".to_owned(),
        EditIssueKind::UnknownEdit { value } => {
            format!("“{value}”不是编辑类型（可用：add_path、close、gate_open、gate_closed）")
        }
        EditIssueKind::WrongGeometry { expected, found } => {
            format!("几何类型应为 {expected}，实际为 {found}")
        }
        EditIssueKind::TooFewPoints { points } => {
            format!("线至少需要两个不同的点，这条只有 {points} 个")
        }
        EditIssueKind::BadPosition => "坐标不是有效的 WGS-84 经纬度".to_owned(),
        EditIssueKind::FarFromNetwork {
            distance_m,
            limit_m,
        } => format!("距最近的步行道路 {distance_m:.0} 米，超出 {limit_m:.0} 米的范围"),
        EditIssueKind::NotAlongStreet {
            vertex,
            tolerance_m,
        } => format!(
            "第 {vertex} 与第 {} 个顶点不在同一条道路上（容差 {tolerance_m} 米）",
            vertex + 1
        ),
    }
}

fn en_kind(k: &EditIssueKind) -> String {
    match k {
        EditIssueKind::NotJson => "not a JSON file".to_owned(),
        EditIssueKind::NotCollection => "not a GeoJSON FeatureCollection".to_owned(),
        EditIssueKind::TooNew { version, max } => {
            format!("version {version} is newer than this app reads ({max}); update the app")
        }
        EditIssueKind::BadVersion => "the version is not a whole number".to_owned(),
        EditIssueKind::BadDelay { max_s } => {
            format!("the crossing wait must be 0–{max_s:.0} seconds")
        }
        EditIssueKind::MissingEdit => "no edit property".to_owned(),
        EditIssueKind::UnknownEdit { value } => {
            format!("\"{value}\" is not an edit: use add_path, close, gate_open or gate_closed")
        }
        EditIssueKind::WrongGeometry { expected, found } => {
            format!("the geometry must be a {expected}, not {found}")
        }
        EditIssueKind::TooFewPoints { points } => {
            format!("a line needs at least two distinct points, this one has {points}")
        }
        EditIssueKind::BadPosition => "a coordinate is not a WGS-84 position".to_owned(),
        EditIssueKind::FarFromNetwork {
            distance_m,
            limit_m,
        } => format!(
            "{distance_m:.0} m from the nearest walkable street, beyond the {limit_m:.0} m limit"
        ),
        EditIssueKind::NotAlongStreet {
            vertex,
            tolerance_m,
        } => format!(
            "vertices {vertex} and {} are not on one street (within {tolerance_m} m)",
            vertex + 1
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::super::errors::tests::has_han;
    use super::*;

    #[test]
    fn templates_take_the_same_arguments_in_both_languages() {
        let holes = |t: &str| t.matches("{}").count();
        for (zh, en) in [
            (ZH_NET.switched_fmt, EN_NET.switched_fmt),
            (ZH_NET.imported_fmt, EN_NET.imported_fmt),
            (ZH_NET.report_fmt, EN_NET.report_fmt),
        ] {
            assert_eq!(holes(zh), holes(en), "{zh} / {en}");
            assert!(holes(zh) > 0, "{zh}");
        }
        // The network line carries its figures in both languages.
        for l in [Lang::Zh, Lang::En] {
            let t = l.network_line(Compounds::Open, 3, 20.0);
            assert!(
                t.contains(l.network().open) && t.contains('3') && t.contains("20"),
                "{t}"
            );
        }
    }

    #[test]
    fn every_edit_issue_reads_in_both_languages_with_its_place() {
        let kinds = [
            EditIssueKind::NotJson,
            EditIssueKind::NotCollection,
            EditIssueKind::TooNew { version: 9, max: 1 },
            EditIssueKind::BadVersion,
            EditIssueKind::BadDelay { max_s: 600.0 },
            EditIssueKind::MissingEdit,
            EditIssueKind::UnknownEdit {
                value: "demolish".to_owned(),
            },
            EditIssueKind::WrongGeometry {
                expected: "Point".to_owned(),
                found: "LineString".to_owned(),
            },
            EditIssueKind::TooFewPoints { points: 1 },
            EditIssueKind::BadPosition,
            EditIssueKind::FarFromNetwork {
                distance_m: 2001.0,
                limit_m: 50.0,
            },
            EditIssueKind::NotAlongStreet {
                vertex: 3,
                tolerance_m: 1.0,
            },
        ];
        for kind in kinds {
            let p = EditIssue {
                feature: Some(7),
                field: "geometry".to_owned(),
                kind,
            };
            let zh = Lang::Zh.edit_issues("e.geojson", std::slice::from_ref(&p));
            let en = Lang::En.edit_issues("e.geojson", std::slice::from_ref(&p));
            for t in [&zh, &en] {
                assert!(
                    t.contains("e.geojson") && t.contains("features[7]") && t.contains("geometry"),
                    "{t}"
                );
            }
            assert!(has_han(&zh), "{zh}");
            assert!(!has_han(&en), "{en}");
        }
    }
}
