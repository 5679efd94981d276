//! Import problems ([`Problem`]: file, row or feature, field, severity and a typed
//! [`ProblemKind`]) in words, in each language. English is the core's own text (the CLI's
//! `file:row:field: message`); Chinese is written here, variant by variant (the match is
//! exhaustive). The importers' free-text parameters that are words (what is missing, what
//! was expected) go through a small dictionary; parser messages (serde_json, csv) are left out
//! in Chinese, where the location already says where the file is broken.

use super::Lang;
use crate::plan::import::{Location, Problem, ProblemKind, Severity};

impl Lang {
    /// A problem as one line: `severity: file:location:field: message`.
    pub fn import_problem(self, p: &Problem) -> String {
        match self {
            Lang::En => p.to_string(),
            Lang::Zh => {
                let sev = match p.severity {
                    Severity::Info => "提示",
                    Severity::Warning => "警告",
                    Severity::Error => "错误",
                };
                let at = match p.location {
                    Location::File => String::new(),
                    Location::Row(r) => format!(":{r}"),
                    Location::Feature(i) => format!(":要素 {i}"),
                    Location::Text { line, column } => format!(":第 {line} 行第 {column} 列"),
                };
                let mut out = format!("{sev}：{}{at}", p.file);
                if let Some(f) = &p.field {
                    out.push(':');
                    out.push_str(&zh_word(f));
                }
                out.push('：');
                out.push_str(&zh_kind(&p.kind));
                out
            }
        }
    }
}

/// The Chinese for a word or phrase the importers put into messages (field descriptions, what
/// was expected); anything else is returned as it is (column names, values).
fn zh_word(w: &str) -> String {
    let t = match w {
        "id" => "编号",
        "name" => "名称",
        "title" => "岗位名称",
        "longitude" => "经度",
        "latitude" => "纬度",
        "coordinate" => "坐标",
        "location" => "位置",
        "category" => "类别",
        "population weight" => "人口权重",
        "community" | "communities" => "社区",
        "address" => "地址",
        "services" => "服务",
        "opening hours" => "营业时间",
        "pay" => "薪资",
        "minimum pay" => "最低薪资",
        "maximum pay" => "最高薪资",
        "hours type" => "工时类型",
        "employer" => "用人单位",
        "education" => "学历",
        "age range" => "年龄范围",
        "minimum age" => "最低年龄",
        "maximum age" => "最高年龄",
        "skills" => "技能",
        "posting date" => "发布日期",
        "station id" => "服务站编号",
        "host type" => "承载类型",
        "division code" | "a division code" => "区划代码",
        "parent code" => "上级区划代码",
        "highway" => "道路类型",
        "foot" => "步行通行",
        "access" => "通行权限",
        "coordinate system" => "坐标系",
        "layer" => "图层",
        "geometry" => "几何",
        "line" => "线",
        "a pay range such as 4000-6000" => "薪资范围（例如 4000-6000）",
        "an age range such as 18-45" => "年龄范围（例如 18-45）",
        "a date such as 2024-05-03" => "日期（例如 2024-05-03）",
        "a division code (6, 9 or 12 digits)" => "区划代码（6、9 或 12 位数字）",
        "a non-negative amount" => "非负金额",
        "an age" => "年龄",
        "a population (a number ≥ 0)" => "人口数（≥ 0 的数）",
        "an hours type (全职, 兼职, 灵活就业, 零工 / full-time, part-time, flexible, gig)" => {
            "工时类型（全职、兼职、灵活就业、零工）"
        }
        "stations" => "就享家服务站",
        "facilities" => "便民设施",
        "postings" => "岗位",
        "demand" => "需求点",
        "candidates" => "候选站点",
        "boundaries" => "边界",
        "streets" => "街道",
        _ => {
            // "ring 0 of polygon 1", "feature 3", "row 2": positions in Chinese.
            if let Some(rest) = w.strip_prefix("ring ")
                && let Some((r, p)) = rest.split_once(" of polygon ")
            {
                return format!("多边形 {p} 的环 {r}");
            }
            if let Some(n) = w.strip_prefix("feature ") {
                return format!("要素 {n}");
            }
            if let Some(n) = w.strip_prefix("row ") {
                return format!("第 {n} 行");
            }
            return w.to_owned();
        }
    };
    t.to_owned()
}

fn pos(lon: f64, lat: f64) -> String {
    format!("({lon}, {lat})")
}

/// The Chinese of [`ProblemKind::Unreadable`] (the page writes it for a file it cannot read).
pub(super) const ZH_UNREADABLE: &str = "无法读取文件";

fn zh_kind(k: &ProblemKind) -> String {
    match k {
        ProblemKind::Unreadable { .. } => ZH_UNREADABLE.to_owned(),
        ProblemKind::EmptyFile => "文件为空".to_owned(),
        ProblemKind::TooLarge { size, limit } => {
            format!("文件大小 {size} 字节，超过 {limit} 字节的上限")
        }
        ProblemKind::UnknownFormat => {
            "无法判断文件格式：应为 .csv/.tsv/.txt 或 .geojson/.json 文件".to_owned()
        }
        ProblemKind::DecodedAs { encoding } => format!("文件不是 UTF-8 编码，已按 {encoding} 解码"),
        ProblemKind::Undecodable => {
            "编码错误：文本中含有既非 UTF-8 也非 GB18030/GBK 的字节（显示为 \u{fffd}），请将文件另存为 UTF-8"
                .to_owned()
        }
        ProblemKind::MalformedJson { .. } => "JSON 格式错误".to_owned(),
        ProblemKind::MalformedCsv { .. } => "CSV 格式错误".to_owned(),
        ProblemKind::NotGeoJson { .. } => "不是 GeoJSON 文件".to_owned(),
        ProblemKind::UnsupportedCrs { crs } => format!(
            "文件声明的坐标系为 {crs:?}；GeoJSON（RFC 7946）必须是 WGS-84 经纬度，请先转换为 EPSG:4326（例如 ogr2ogr -t_srs EPSG:4326）"
        ),
        ProblemKind::MissingColumn { what, expected } => format!(
            "缺少{}列；可用的列名：{}",
            zh_word(what),
            expected
                .replace(" with ", " 与 ")
                .replace(", or ", "，或 ")
                .replace(", ", "、")
        ),
        ProblemKind::NoHeader => "第一行像是数据而不是表头：请加一行表头（例如 \"name,lon,lat\"）".to_owned(),
        ProblemKind::IgnoredColumns { columns } => format!("未识别、已忽略的列：{columns}"),
        ProblemKind::DuplicateColumn {
            what,
            first,
            second,
        } => format!("列 {first:?} 与 {second:?} 都表示{}；使用 {first:?}", zh_word(what)),
        ProblemKind::RaggedRow { expected, found } => {
            format!("该行有 {found} 个字段，表头有 {expected} 个")
        }
        ProblemKind::BlankRows { count } => format!("跳过 {count} 个空行"),
        ProblemKind::MissingCoordinate => "缺少坐标".to_owned(),
        ProblemKind::NotANumber { value } => format!("{value:?} 不是数字"),
        ProblemKind::NotFinite { value } => format!("{value:?} 不是有限的数"),
        ProblemKind::OutOfRange { lon, lat } => format!(
            "坐标 {} 超出范围（经度应在 ±180 以内，纬度应在 ±90 以内）",
            pos(*lon, *lat)
        ),
        ProblemKind::SwappedLatLon { lon, lat, fixed } => format!(
            "经纬度似乎颠倒了：读到经度 {lon}、纬度 {lat}，{}；交换后为中国境内的 {}——请交换经度列与纬度列{}",
            if (-90.0..=90.0).contains(lat) {
                "位于中国境外"
            } else {
                "不可能（纬度绝对值大于 90）"
            },
            pos(*lat, *lon),
            if *fixed { "（导入时已交换回来）" } else { "" }
        ),
        ProblemKind::PossiblySwapped { lon, lat } => format!(
            "经纬度可能颠倒：{} 在中国境外，而 {} 在境内",
            pos(*lon, *lat),
            pos(*lat, *lon)
        ),
        ProblemKind::NullIsland => "坐标 (0, 0) 是占位值，不是真实位置".to_owned(),
        ProblemKind::Projected {
            x,
            y,
            as_web_mercator,
        } => {
            let mercator = as_web_mercator.map_or_else(String::new, |p| {
                format!("；按 EPSG:3857 解读应为经纬度 {}", pos(p.lon, p.lat))
            });
            format!(
                "坐标 ({x}, {y}) 像是投影坐标（单位为米，如 EPSG:3857 网络墨卡托或 CGCS2000 高斯-克吕格分带），不是经纬度{mercator}"
            )
        }
        ProblemKind::Converted { from, count } => format!("已将 {count} 个位置从 {from} 转换为 WGS-84"),
        ProblemKind::UnknownCrs { value } => {
            format!("无法识别的坐标系 {value:?}（应为 wgs84、gcj02 或 bd09）")
        }
        ProblemKind::CrsConflict { found, chosen } => {
            format!("文件标注为 {found}，导入选项为 {chosen}；按 {chosen} 处理")
        }
        ProblemKind::UnknownCategory { value } => format!(
            "无法识别的类别 {value:?}（应为 store、breakfast、market、repair、elderly、childcare、pharmacy 等编号，便利店、早餐、菜市场等中文名称，或“购物服务;便民商店/便利店”这样的 POI 类型）"
        ),
        ProblemKind::MissingCategory => "缺少类别（请加类别列或指定固定类别）".to_owned(),
        ProblemKind::DuplicateId { id, first } => {
            format!("编号 {id:?} 重复（首次出现在{}）；该记录未载入", zh_word(first))
        }
        ProblemKind::GeneratedId { id } => format!("没有编号；已生成 {id:?}"),
        ProblemKind::MissingField { what } => format!("缺少{}", zh_word(what)),
        ProblemKind::InvalidValue { value, expected } => {
            format!("{value:?} 不是有效的{}；已留空", zh_word(expected))
        }
        ProblemKind::InvalidWeight { value } => {
            format!("人口权重必须是 ≥ 0 的有限数，读到 {value:?}")
        }
        ProblemKind::UnclosedRing {
            polygon,
            ring,
            first,
            last,
        } => format!(
            "多边形 {polygon} 的环 {ring} 未闭合：起点 {}，终点 {}",
            pos(first.lon, first.lat),
            pos(last.lon, last.lat)
        ),
        ProblemKind::TooFewPositions { what, count, min } => {
            format!("{}只有 {count} 个点，至少需要 {min} 个", zh_word(what))
        }
        ProblemKind::InvalidGeometry { .. } => "几何无效".to_owned(),
        ProblemKind::WrongGeometry {
            found,
            layer,
            expected,
        } => format!(
            "{found} 几何不能作为{}记录（应为 {}）",
            zh_word(layer),
            expected
                .trim_start_matches("a ")
                .trim_start_matches("an ")
                .replace(" or ", " 或 ")
        ),
        ProblemKind::GeometryIgnored { found, layer } => {
            format!("已忽略 {found} 几何：{}记录不保存它", zh_word(layer))
        }
        ProblemKind::ControlCharacters { count } => format!("已删除 {count} 个控制/不可见字符"),
        ProblemKind::Truncated { chars, limit } => {
            format!("{chars} 个字符的文本已截断为 {limit} 个")
        }
        ProblemKind::Markup => "含有 HTML 标记；按纯文本保存".to_owned(),
        ProblemKind::UnknownLayer { .. } => {
            "无法判断该文件属于哪个图层（文件名和列名都无法判断）；请明确指定图层".to_owned()
        }
        ProblemKind::LayerGuessed { layer, .. } => format!("已按{}图层载入", zh_word(layer)),
        ProblemKind::Detected { .. } => "已识别文件格式".to_owned(),
        ProblemKind::FileNotLoaded => "文件未载入".to_owned(),
        ProblemKind::CountMismatch { expected, loaded } => {
            format!("清单写明 {expected} 个要素，实际载入 {loaded} 个")
        }
        ProblemKind::Osm { message_zh, .. } if !message_zh.is_empty() => message_zh.clone(),
        ProblemKind::Osm { .. } => "OSM 数据中有无法使用的内容".to_owned(),
        ProblemKind::ManifestLayer { entry, .. } => {
            format!("数据包清单（manifest.json）中的图层条目 {entry} 无效（坐标系、类型或状态未知），该图层未载入")
        }
        ProblemKind::InvalidCapacity { value } => {
            format!("服务能力（容量）应为不小于 0 的数字，实际为“{value}”")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::errors::tests::has_han;
    use super::*;
    use crate::plan::geom::LonLat;

    /// Three English words in a row (separated by spaces or , ; :), as the e2e scan counts;
    /// quoted values (read from the file, or a literal example) are left out first.
    fn english_sentence(t: &str) -> bool {
        let (mut run, mut word) = (0, 0);
        let unquoted: String = t.split('"').step_by(2).collect::<Vec<_>>().join(" ");
        for c in unquoted.chars().chain(std::iter::once('\0')) {
            if c.is_ascii_alphabetic() {
                word += 1;
                continue;
            }
            if word >= 2 {
                run += 1;
                if run >= 3 {
                    return true;
                }
            } else if word > 0 {
                run = 0;
            }
            word = 0;
            if !matches!(c, ' ' | ',' | ';' | ':') {
                run = 0;
            }
        }
        false
    }

    #[test]
    fn the_english_scan_finds_sentences() {
        assert!(english_sentence("error: missing title here"));
        assert!(!english_sentence("错误：缺少岗位名称 (lat, lon)"));
    }

    /// One example of every kind; the match below fails to compile on a new variant.
    fn examples() -> Vec<ProblemKind> {
        let s = |t: &str| t.to_owned();
        let p = LonLat::new(120.3, 36.05);
        let all = vec![
            ProblemKind::Unreadable {
                message: s("denied"),
            },
            ProblemKind::EmptyFile,
            ProblemKind::TooLarge { size: 10, limit: 5 },
            ProblemKind::UnknownFormat,
            ProblemKind::DecodedAs { encoding: s("GBK") },
            ProblemKind::Undecodable,
            ProblemKind::MalformedJson {
                message: s("trailing comma"),
            },
            ProblemKind::MalformedCsv {
                message: s("bad quote"),
            },
            ProblemKind::NotGeoJson {
                found: s("an array"),
            },
            ProblemKind::UnsupportedCrs {
                crs: s("EPSG:3857"),
            },
            ProblemKind::MissingColumn {
                what: s("coordinate"),
                expected: s(
                    "经度, lng, lon, long, longitude, x with 纬度, lat, latitude, y, or location",
                ),
            },
            ProblemKind::NoHeader,
            ProblemKind::IgnoredColumns { columns: s("foo") },
            ProblemKind::DuplicateColumn {
                what: s("longitude"),
                first: s("lon"),
                second: s("x"),
            },
            ProblemKind::RaggedRow {
                expected: 3,
                found: 2,
            },
            ProblemKind::BlankRows { count: 2 },
            ProblemKind::MissingCoordinate,
            ProblemKind::NotANumber { value: s("abc") },
            ProblemKind::NotFinite { value: s("NaN") },
            ProblemKind::OutOfRange {
                lon: 200.0,
                lat: 1.0,
            },
            ProblemKind::SwappedLatLon {
                lon: 36.07,
                lat: 120.38,
                fixed: false,
            },
            ProblemKind::PossiblySwapped {
                lon: 36.07,
                lat: 20.38,
            },
            ProblemKind::NullIsland,
            ProblemKind::Projected {
                x: 13_400_000.0,
                y: 4_300_000.0,
                as_web_mercator: Some(p),
            },
            ProblemKind::Converted {
                from: s("gcj02"),
                count: 3,
            },
            ProblemKind::UnknownCrs { value: s("utm") },
            ProblemKind::CrsConflict {
                found: s("gcj02"),
                chosen: s("wgs84"),
            },
            ProblemKind::UnknownCategory {
                value: s("spaceport"),
            },
            ProblemKind::MissingCategory,
            ProblemKind::DuplicateId {
                id: s("S1"),
                first: s("row 2"),
            },
            ProblemKind::GeneratedId { id: s("row-3") },
            ProblemKind::MissingField { what: s("title") },
            ProblemKind::InvalidValue {
                value: s("x"),
                expected: s("a date such as 2024-05-03"),
            },
            ProblemKind::InvalidWeight { value: s("-5") },
            ProblemKind::UnclosedRing {
                polygon: 0,
                ring: 0,
                first: p,
                last: p,
            },
            ProblemKind::TooFewPositions {
                what: s("ring 0 of polygon 0"),
                count: 3,
                min: 4,
            },
            ProblemKind::InvalidGeometry {
                message: s("geometry has no coordinates"),
            },
            ProblemKind::WrongGeometry {
                found: s("Point"),
                layer: s("streets"),
                expected: s("a LineString or MultiLineString"),
            },
            ProblemKind::GeometryIgnored {
                found: s("Polygon"),
                layer: s("stations"),
            },
            ProblemKind::ControlCharacters { count: 4 },
            ProblemKind::Truncated {
                chars: 10_000,
                limit: 500,
            },
            ProblemKind::Markup,
            ProblemKind::UnknownLayer {
                hint: s("no telling file name or columns"),
            },
            ProblemKind::LayerGuessed {
                layer: s("stations"),
                reason: s("file name"),
            },
            ProblemKind::Detected {
                what: s("CSV, 3 columns, comma-delimited"),
            },
            ProblemKind::FileNotLoaded,
            ProblemKind::CountMismatch {
                expected: 3,
                loaded: 2,
            },
            ProblemKind::Osm {
                message: s("way 7: 3 of 3 node references are not in the extract"),
                message_zh: s("路段（way）7：3 个节点引用中有 3 个不在此数据中"),
            },
            ProblemKind::InvalidCapacity { value: s("-3") },
            ProblemKind::ManifestLayer {
                entry: s("layers[2] (crs)"),
                reason: s("unknown variant `epsg:3857`"),
            },
        ];
        for k in &all {
            // Exhaustive: a new kind must be added above (and rendered in `zh_kind`).
            match k {
                ProblemKind::Unreadable { .. }
                | ProblemKind::EmptyFile
                | ProblemKind::TooLarge { .. }
                | ProblemKind::UnknownFormat
                | ProblemKind::DecodedAs { .. }
                | ProblemKind::Undecodable
                | ProblemKind::MalformedJson { .. }
                | ProblemKind::MalformedCsv { .. }
                | ProblemKind::NotGeoJson { .. }
                | ProblemKind::UnsupportedCrs { .. }
                | ProblemKind::MissingColumn { .. }
                | ProblemKind::NoHeader
                | ProblemKind::IgnoredColumns { .. }
                | ProblemKind::DuplicateColumn { .. }
                | ProblemKind::RaggedRow { .. }
                | ProblemKind::BlankRows { .. }
                | ProblemKind::MissingCoordinate
                | ProblemKind::NotANumber { .. }
                | ProblemKind::NotFinite { .. }
                | ProblemKind::OutOfRange { .. }
                | ProblemKind::SwappedLatLon { .. }
                | ProblemKind::PossiblySwapped { .. }
                | ProblemKind::NullIsland
                | ProblemKind::Projected { .. }
                | ProblemKind::Converted { .. }
                | ProblemKind::UnknownCrs { .. }
                | ProblemKind::CrsConflict { .. }
                | ProblemKind::UnknownCategory { .. }
                | ProblemKind::MissingCategory
                | ProblemKind::DuplicateId { .. }
                | ProblemKind::GeneratedId { .. }
                | ProblemKind::MissingField { .. }
                | ProblemKind::InvalidValue { .. }
                | ProblemKind::InvalidWeight { .. }
                | ProblemKind::UnclosedRing { .. }
                | ProblemKind::TooFewPositions { .. }
                | ProblemKind::InvalidGeometry { .. }
                | ProblemKind::WrongGeometry { .. }
                | ProblemKind::GeometryIgnored { .. }
                | ProblemKind::ControlCharacters { .. }
                | ProblemKind::Truncated { .. }
                | ProblemKind::Markup
                | ProblemKind::UnknownLayer { .. }
                | ProblemKind::LayerGuessed { .. }
                | ProblemKind::Detected { .. }
                | ProblemKind::FileNotLoaded
                | ProblemKind::CountMismatch { .. }
                | ProblemKind::Osm { .. }
                | ProblemKind::InvalidCapacity { .. }
                | ProblemKind::ManifestLayer { .. } => {}
            }
        }
        all
    }

    #[test]
    fn every_problem_kind_reads_in_both_languages() {
        for kind in examples() {
            let p = Problem {
                file: "stations.csv".to_owned(),
                location: Location::Row(5),
                field: Some("lat".to_owned()),
                severity: Severity::Error,
                kind,
            };
            let zh = Lang::Zh.import_problem(&p);
            let en = Lang::En.import_problem(&p);
            assert!(zh.starts_with("错误：stations.csv:5:lat："), "{zh}");
            assert!(has_han(zh.split('：').nth(2).unwrap_or("")), "{zh}");
            assert!(!english_sentence(&zh), "{zh}");
            assert_eq!(en, p.to_string());
        }
    }

    #[test]
    fn locations_and_words_in_chinese() {
        let p = Problem {
            file: "s.geojson".to_owned(),
            location: Location::Feature(2),
            field: Some("geometry".to_owned()),
            severity: Severity::Warning,
            kind: ProblemKind::MissingField {
                what: "population weight".to_owned(),
            },
        };
        assert_eq!(
            Lang::Zh.import_problem(&p),
            "警告：s.geojson:要素 2:几何：缺少人口权重"
        );
    }
}
