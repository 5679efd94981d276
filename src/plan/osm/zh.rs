//! Every [`OsmProblem`] in Chinese, for the Chinese interface (its `Display` is English, for the
//! CLI and the English interface). Each variant has its own sentence with its parameters; the
//! few fixed reasons the decoders give (`message: &'static str`, `what`) are translated by
//! table, and free-text parser detail (a quick-xml error, a corrupt block's reason) is left out
//! of the Chinese sentence rather than shown in English: the byte offset says where to look.

use super::{ElementKind, OsmFormat, OsmProblem};

fn element(kind: ElementKind) -> &'static str {
    match kind {
        ElementKind::Node => "节点",
        ElementKind::Way => "路段（way）",
        ElementKind::Relation => "关系",
    }
}

fn format_name(format: OsmFormat) -> &'static str {
    match format {
        OsmFormat::Xml => "OSM XML 文件",
        OsmFormat::Pbf => "OSM PBF 文件",
    }
}

/// The fixed reasons of [`OsmProblem::BadValue`].
fn reason(message: &str) -> &'static str {
    match message {
        "id is 0 or beyond ±(2^53 − 1)" => "编号为 0 或超出 ±(2^53 − 1)",
        "not a WGS-84 position" => "不是 WGS-84 经纬度",
        "malformed attribute" => "属性格式错误",
        _ => "无法识别",
    }
}

/// What a truncated file was cut inside of (the element's id kept).
fn cut_inside(what: &str) -> String {
    let id_of = |prefix: &str| what.strip_prefix(prefix).map(str::to_owned);
    if let Some(id) = id_of("node ") {
        format!("节点 {id}")
    } else if let Some(id) = id_of("way ") {
        format!("路段（way）{id}")
    } else if let Some(id) = id_of("relation ") {
        format!("关系 {id}")
    } else if what == "the <osm> element" {
        "根元素 <osm>".to_owned()
    } else if what.starts_with("markup") {
        "标记".to_owned()
    } else if what == "a block length" {
        "数据块长度".to_owned()
    } else if what == "a block header" {
        "数据块头".to_owned()
    } else if what.contains("block that starts at byte") {
        // "the {kind} block that starts at byte {pos} ({n} bytes declared, {m} present)"
        let n: Vec<&str> = what
            .split(|c: char| !c.is_ascii_digit())
            .filter(|d| !d.is_empty())
            .collect();
        match n[..] {
            [pos, declared, present] => {
                format!("从第 {pos} 字节开始的数据块：声明 {declared} 字节，实有 {present} 字节")
            }
            _ => "数据块".to_owned(),
        }
    } else if what.contains("block") {
        "数据块".to_owned()
    } else {
        "一个元素".to_owned()
    }
}

/// What [`OsmProblem::TooLarge`] counts.
fn counted(what: &str) -> &'static str {
    match what {
        "node references" => " 个节点引用",
        "members" => " 个成员",
        _ => " 项",
    }
}

impl OsmProblem {
    /// The problem in Chinese, with its parameters (see the module documentation).
    pub fn zh(&self) -> String {
        match self {
            OsmProblem::Syntax { format, offset, .. } => format!(
                "{}第 {offset} 字节处格式有误，无法读取，整个文件未载入",
                format_name(*format)
            ),
            OsmProblem::Truncated {
                format,
                offset,
                what,
            } => format!(
                "{}在第 {offset} 字节处中断（{}不完整），文件可能未完整下载，整个文件未载入",
                format_name(*format),
                cut_inside(what)
            ),
            OsmProblem::BadValue {
                kind,
                id,
                field,
                value,
                message,
            } => format!(
                "{} {id}：字段 {field} 的值“{value}”{}，已跳过",
                element(*kind),
                reason(message)
            ),
            OsmProblem::MissingNodes {
                way,
                missing,
                total,
            } => format!(
                "路段（way）{way}：{total} 个节点引用中有 {missing} 个不在此数据中（通常是在提取范围边缘被截断）"
            ),
            OsmProblem::Unsupported { format, offset, .. } => format!(
                "{}第 {offset} 字节处的数据块无法读取（已损坏，或使用了不支持的压缩方式），整个文件未载入",
                format_name(*format)
            ),
            OsmProblem::Refused { format, offset, .. } => format!(
                "{}第 {offset} 字节处的内容超出安全限制或含有不允许的结构（如实体声明），已拒绝读取",
                format_name(*format)
            ),
            OsmProblem::TooLarge {
                kind,
                id,
                what,
                found,
                limit,
            } => format!(
                "{} {id}：有 {found}{}（上限 {limit}），已跳过",
                element(*kind),
                counted(what)
            ),
            OsmProblem::NoWalkableStreet { highway_ways } => format!(
                "没有可步行的道路：{highway_ways} 条道路均不可步行，无法由此文件生成步行网络"
            ),
            OsmProblem::TooDeep {
                relation,
                depth,
                limit,
                count,
            } => {
                let depth = if *depth == usize::MAX {
                    "成环".to_owned()
                } else {
                    format!("{depth} 层")
                };
                format!(
                    "关系 {relation}：关系嵌套{depth}（上限 {limit}），{count} 个如此深的关系已跳过"
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One of each variant, with the fixed reasons the decoders use.
    fn every_problem() -> Vec<OsmProblem> {
        let mut all = vec![
            OsmProblem::Syntax {
                format: OsmFormat::Xml,
                offset: 12,
                message: "no <osm> element: not an OSM XML file".into(),
            },
            OsmProblem::MissingNodes {
                way: 11,
                missing: 3,
                total: 3,
            },
            OsmProblem::Unsupported {
                format: OsmFormat::Pbf,
                offset: 40,
                message: "corrupt data block: varint runs past the end".into(),
            },
            OsmProblem::Refused {
                format: OsmFormat::Xml,
                offset: 0,
                message: "a <!DOCTYPE> is not allowed".into(),
            },
            OsmProblem::NoWalkableStreet { highway_ways: 4 },
            OsmProblem::TooDeep {
                relation: 5,
                depth: usize::MAX,
                limit: 16,
                count: 2,
            },
        ];
        for what in [
            "a block length",
            "a block header",
            "the OSMData block that starts at byte 7 (90 bytes declared, 12 present)",
            "the <osm> element",
            "markup (unexpected end)",
            "node 3",
            "way 4",
            "relation 6",
        ] {
            all.push(OsmProblem::Truncated {
                format: OsmFormat::Pbf,
                offset: 99,
                what: what.into(),
            });
        }
        for message in [
            "id is 0 or beyond ±(2^53 − 1)",
            "not a WGS-84 position",
            "malformed attribute",
        ] {
            all.push(OsmProblem::BadValue {
                kind: ElementKind::Node,
                id: 0,
                field: "lat",
                value: "north".into(),
                message,
            });
        }
        for what in ["node references", "members"] {
            all.push(OsmProblem::TooLarge {
                kind: ElementKind::Way,
                id: 8,
                what,
                found: 3_000,
                limit: 2_000,
            });
        }
        all
    }

    /// The English words a Chinese sentence may keep: format and tag names, and what the file
    /// itself holds (a field name, a value).
    const KEPT: [&str; 8] = ["OSM", "XML", "PBF", "WGS", "way", "lat", "north", "<osm>"];

    #[test]
    fn every_problem_reads_in_chinese_with_its_parameters() {
        for p in every_problem() {
            let zh = p.zh();
            let mut rest = zh.clone();
            for k in KEPT {
                rest = rest.replace(k, "");
            }
            let english: Vec<&str> = rest
                .split(|c: char| !c.is_ascii_alphabetic())
                .filter(|w| w.len() > 1)
                .collect();
            assert!(english.is_empty(), "{zh:?} has {english:?}");
            // The numbers of the English message are in the Chinese one too.
            let en = p.to_string();
            for n in en
                .split(|c: char| !c.is_ascii_digit())
                .filter(|n| !n.is_empty() && *n != "2" && *n != "53")
            {
                assert!(zh.contains(n), "{zh:?} lacks {n} of {en:?}");
            }
        }
    }

    #[test]
    fn the_decoders_reasons_are_all_translated() {
        for p in every_problem() {
            let zh = p.zh();
            for fallback in ["无法识别", "一个元素", " 项"] {
                assert!(!zh.contains(fallback), "{zh:?} fell back for {p:?}");
            }
        }
    }
}
