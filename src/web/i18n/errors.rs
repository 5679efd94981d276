//! Every [`EngineError`] in words, in each language. The match is exhaustive: a new variant
//! does not compile until both languages say it.

use super::Lang;
use crate::plan::engine::EngineError;

impl Lang {
    /// The engine error `e`, as a sentence in this language.
    pub fn engine_error(self, e: &EngineError) -> String {
        match self {
            Lang::Zh => zh(e),
            Lang::En => en(e),
        }
    }
}

fn zh(e: &EngineError) -> String {
    match e {
        EngineError::Manifest { problems } => {
            format!(
                "数据包清单（manifest.json）无法读取：{}",
                problems.join("；")
            )
        }
        EngineError::InvalidPosition { lon, lat } => {
            format!("（{lon}，{lat}）不是有效的 WGS-84 经纬度")
        }
        EngineError::InvalidSpeed { m_per_min } => {
            format!("步行速度 {m_per_min} 米/分钟无效：应大于 0")
        }
        EngineError::InvalidMinutes { minutes } => {
            format!("步行时间 {minutes} 分钟无效：应在 1–120 分钟之间")
        }
        EngineError::InvalidShare { share } => {
            format!("目标覆盖比例 {share} 无效：应在 0 到 1 之间")
        }
        EngineError::InvalidParams { what } => format!("评估参数无效（{what}）"),
        EngineError::InvalidQuery { what } => format!("查询条件无效（{what}）"),
        EngineError::InvalidTimeLimit { seconds } => {
            format!("计算时限 {seconds} 秒无效：应大于 0 秒")
        }
        EngineError::InvalidCapacity { capacity } => {
            format!("服务能力 {capacity} 无效：应为不小于 0 的人数")
        }
        EngineError::TooManySites { k, candidates } => {
            format!("新增站点数 {k} 超过候选站点数（只有 {candidates} 个）")
        }
        EngineError::NoDemand => {
            "没有加载需求点：请导入需求点图层（经度、纬度、人口权重）".to_owned()
        }
        EngineError::NoCandidates => {
            "没有候选站点：请选择承载类型、导入候选点或在地图上点选".to_owned()
        }
        EngineError::OffNetwork {
            distance_m,
            limit_m,
        } => format!("该点距最近的步行道路 {distance_m:.0} 米，超出吸附范围（{limit_m:.0} 米）"),
        EngineError::EmptyNetwork => "步行路网为空".to_owned(),
        EngineError::Cancelled => "已取消".to_owned(),
        EngineError::Internal { what } => format!("程序内部错误（{what}），请刷新页面重试"),
        EngineError::WorkerStopped => {
            "分析进程在完成这项计算前停止了；已启动新的分析进程，可以重新计算".to_owned()
        }
        EngineError::NoNetwork => "可达性栅格需要步行路网，此数据包没有路网".to_owned(),
        EngineError::InvalidCellSize { cell_m } => {
            format!("网格边长 {cell_m} 米无效：应为大于 0 的米数")
        }
        EngineError::TooManyCells {
            cell_m,
            cells,
            limit,
        } => format!("网格边长 {cell_m} 米会产生 {cells} 个网格，超过上限 {limit}"),
        EngineError::InvalidTargetRatio { target, value } => {
            let name = target
                .parse::<crate::plan::access::Target>()
                .map_or(target.as_str(), |t| Lang::Zh.target(t));
            format!("{name} 的目标供需比 {value} 无效：应为正数")
        }
        EngineError::NetworkEdits { file, problems } => Lang::Zh.edit_issues(file, problems),
        EngineError::NothingToExport => "还没有载入数据包，没有可导出的内容".to_owned(),
    }
}

fn en(e: &EngineError) -> String {
    match e {
        EngineError::Manifest { problems } => {
            format!(
                "The package manifest (manifest.json) cannot be read: {}",
                problems.join("; ")
            )
        }
        EngineError::InvalidPosition { lon, lat } => {
            format!("({lon}, {lat}) is not a WGS-84 position")
        }
        EngineError::InvalidSpeed { m_per_min } => {
            format!("Walking speed {m_per_min} m/min is not valid: it must be above 0")
        }
        EngineError::InvalidMinutes { minutes } => {
            format!("Walking time {minutes} min is not valid: expected 1–120 minutes")
        }
        EngineError::InvalidShare { share } => {
            format!("Target share {share} is not valid: expected a share between 0 and 1")
        }
        EngineError::InvalidParams { what } => format!("Invalid assessment parameters ({what})"),
        EngineError::InvalidQuery { what } => format!("Invalid query ({what})"),
        EngineError::InvalidTimeLimit { seconds } => {
            format!("Time limit {seconds} s is invalid: expected more than 0 seconds")
        }
        EngineError::InvalidCapacity { capacity } => {
            format!("Capacity {capacity} is invalid: expected a number of people of 0 or more")
        }
        EngineError::TooManySites { k, candidates } => {
            format!("{k} new sites asked for, but there are only {candidates} candidate sites")
        }
        EngineError::NoDemand => {
            "No demand points are loaded: import a demand layer (lon, lat, weight)".to_owned()
        }
        EngineError::NoCandidates => {
            "No candidate sites: choose a host type, import candidates or click the map".to_owned()
        }
        EngineError::OffNetwork {
            distance_m,
            limit_m,
        } => format!(
            "The point is {distance_m:.0} m from the nearest walkable street, beyond the {limit_m:.0} m snapping limit"
        ),
        EngineError::EmptyNetwork => "The walking network is empty".to_owned(),
        EngineError::Cancelled => "Cancelled".to_owned(),
        EngineError::Internal { what } => {
            format!("Internal error ({what}); please reload the page")
        }
        EngineError::WorkerStopped => {
            "The analysis worker stopped before this finished; a new one was started, so it can be run again".to_owned()
        }
        EngineError::NoNetwork => {
            "The accessibility surface needs a walking network; this package has none".to_owned()
        }
        EngineError::InvalidCellSize { cell_m } => {
            format!("Cell size {cell_m} m is not valid: expected a positive number of metres")
        }
        EngineError::TooManyCells {
            cell_m,
            cells,
            limit,
        } => format!("Cell size {cell_m} m gives {cells} cells, more than the limit of {limit}"),
        EngineError::InvalidTargetRatio { target, value } => {
            let name = target
                .parse::<crate::plan::access::Target>()
                .map_or(target.as_str(), |t| Lang::En.target(t));
            format!("Target ratio {value} for {name} is not valid: expected a positive number")
        }
        EngineError::NetworkEdits { file, problems } => Lang::En.edit_issues(file, problems),
        EngineError::NothingToExport => {
            "No package is loaded yet, so there is nothing to export".to_owned()
        }
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// True when `t` holds a CJK ideograph (the language scans of the i18n tests).
    pub(in crate::web::i18n) fn has_han(t: &str) -> bool {
        t.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
    }

    #[test]
    fn every_engine_error_reads_in_both_languages() {
        let all = EngineError::examples();
        // Every variant is in the examples (the match fails to compile on a new variant; the
        // count catches an example left out).
        let index = |e: &EngineError| match e {
            EngineError::Manifest { .. } => 0,
            EngineError::InvalidPosition { .. } => 1,
            EngineError::InvalidSpeed { .. } => 2,
            EngineError::InvalidMinutes { .. } => 3,
            EngineError::InvalidShare { .. } => 4,
            EngineError::InvalidParams { .. } => 5,
            EngineError::InvalidQuery { .. } => 6,
            EngineError::NoDemand => 7,
            EngineError::NoCandidates => 8,
            EngineError::OffNetwork { .. } => 9,
            EngineError::EmptyNetwork => 10,
            EngineError::Cancelled => 11,
            EngineError::Internal { .. } => 12,
            EngineError::InvalidTimeLimit { .. } => 13,
            EngineError::InvalidCapacity { .. } => 14,
            EngineError::TooManySites { .. } => 15,
            EngineError::WorkerStopped => 16,
            EngineError::NoNetwork => 17,
            EngineError::InvalidCellSize { .. } => 18,
            EngineError::TooManyCells { .. } => 19,
            EngineError::InvalidTargetRatio { .. } => 20,
            EngineError::NetworkEdits { .. } => 21,
            EngineError::NothingToExport => 22,
        };
        let mut seen: Vec<usize> = all.iter().map(index).collect();
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen, (0..23).collect::<Vec<_>>());
        for e in &all {
            let zh = Lang::Zh.engine_error(e);
            let en = Lang::En.engine_error(e);
            assert!(has_han(&zh), "{e:?}: {zh}");
            assert!(!has_han(&en), "{e:?}: {en}");
            assert_ne!(zh, en);
        }
        // The parameters reach the sentence.
        let off = EngineError::OffNetwork {
            distance_m: 812.0,
            limit_m: 300.0,
        };
        for l in [Lang::Zh, Lang::En] {
            let t = l.engine_error(&off);
            assert!(t.contains("812") && t.contains("300"), "{t}");
            let cells = l.engine_error(&EngineError::TooManyCells {
                cell_m: 2.0,
                cells: 9_000_000,
                limit: 4_000_000,
            });
            assert!(
                cells.contains("9000000") && cells.contains("4000000"),
                "{cells}"
            );
        }
    }
}
