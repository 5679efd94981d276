//! Whole-file coordinate conversion between WGS-84, GCJ-02 and BD-09.
//!
//! - CSV: the longitude/latitude columns (or a `location` column holding `lon,lat`) are
//!   rewritten; every other column, the header and the row order are kept; a `crs`/`坐标系`
//!   column is set to the target system. Output is UTF-8 with the input's delimiter (with a BOM
//!   when the input had one or was GB18030, so Excel still opens it correctly). Rows whose
//!   coordinates cannot be read are kept unchanged and reported as errors.
//! - GeoJSON: every position under a `coordinates` member is converted; stale `bbox` members
//!   are removed. Object keys come out in sorted order (the document is re-serialised).
//!
//! Converted values are written with 8 decimals (≈ 1 mm). O(bytes).

use serde_json::Value;

use crate::plan::crs::Crs;
use crate::plan::geom::LonLat;

use super::columns::{Field, field_for};
use super::coords::parse_number;
use super::csv::{RowCounter, sniff_delimiter};
use super::report::{Location, ProblemKind, Report, Severity};
use super::text::Encoding;
use super::{Format, Options, prepare};

/// The result of converting one file.
#[derive(Debug, Clone, PartialEq)]
pub struct Converted {
    /// The converted file, unless the input could not be read at all.
    pub output: Option<Vec<u8>>,
    /// Positions converted.
    pub converted: usize,
    /// Problems found.
    pub report: Report,
}

/// Formats a coordinate with 8 decimals, trailing zeros removed.
fn fmt_coord(v: f64) -> String {
    let s = format!("{v:.8}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_owned()
    } else {
        s.to_owned()
    }
}

/// Converts the coordinates of a CSV or GeoJSON file from `from` to `to`.
pub fn convert_file(file: &str, bytes: &[u8], from: Crs, to: Crs, opts: &Options) -> Converted {
    let mut report = Report::new(file);
    report.max_problems = opts.max_problems;
    let Some((decoded, format)) = prepare(file, bytes, opts, &mut report) else {
        return Converted {
            output: None,
            converted: 0,
            report,
        };
    };
    let bom = matches!(
        decoded.encoding,
        Encoding::Utf8Bom | Encoding::Gb18030 | Encoding::Utf16
    );
    let (output, converted) = match format {
        Format::Csv => convert_csv(&decoded.text, bom, from, to, &mut report),
        Format::GeoJson => convert_geojson(&decoded.text, from, to, &mut report),
    };
    if converted > 0 {
        report.add_file(
            Severity::Info,
            ProblemKind::Detected {
                what: format!(
                    "converted {converted} positions from {} to {}",
                    from.label(),
                    to.label()
                ),
            },
        );
    }
    Converted {
        output,
        converted,
        report,
    }
}

/// Converts one position, or explains why not.
fn convert_pos(lon: f64, lat: f64, from: Crs, to: Crs) -> Result<LonLat, ProblemKind> {
    let p = LonLat::new(lon, lat);
    if !lon.is_finite() || !lat.is_finite() {
        return Err(ProblemKind::NotFinite {
            value: format!("{lon}, {lat}"),
        });
    }
    if !p.is_valid() {
        return Err(ProblemKind::OutOfRange { lon, lat });
    }
    Ok(from.convert(to, p))
}

fn convert_csv(
    text: &str,
    bom: bool,
    from: Crs,
    to: Crs,
    report: &mut Report,
) -> (Option<Vec<u8>>, usize) {
    let delimiter = sniff_delimiter(text);
    let mut rdr = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut out: Vec<u8> = if bom {
        b"\xEF\xBB\xBF".to_vec()
    } else {
        Vec::new()
    };
    let mut converted = 0usize;
    {
        let mut wtr = ::csv::WriterBuilder::new()
            .flexible(true)
            .delimiter(delimiter)
            .from_writer(&mut out);
        let mut rec = ::csv::StringRecord::new();
        let (mut lon_i, mut lat_i, mut loc_i, mut crs_i) = (None, None, None, None);
        let mut headers: Vec<String> = Vec::new();
        let mut rows = RowCounter::default();
        let mut first = true;
        loop {
            match rdr.read_record(&mut rec) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => {
                    report.add_file(
                        Severity::Error,
                        ProblemKind::MalformedCsv {
                            message: e.to_string(),
                        },
                    );
                    return (None, converted);
                }
            }
            let row_no = rows.next(text, rec.position().map_or(0, ::csv::Position::byte));
            let mut fields: Vec<String> = rec.iter().map(str::to_owned).collect();
            if first {
                first = false;
                headers.clone_from(&fields);
                for (i, h) in fields.iter().enumerate() {
                    match field_for(h).0 {
                        Some(Field::Lon) if lon_i.is_none() => lon_i = Some(i),
                        Some(Field::Lat) if lat_i.is_none() => lat_i = Some(i),
                        Some(Field::Location) if loc_i.is_none() => loc_i = Some(i),
                        Some(Field::Crs) if crs_i.is_none() => crs_i = Some(i),
                        _ => {}
                    }
                }
                let have_pair = lon_i.is_some() && lat_i.is_some();
                if !have_pair && loc_i.is_none() {
                    report.add(
                        Severity::Error,
                        Location::Row(1),
                        None,
                        ProblemKind::MissingColumn {
                            what: "coordinate".to_owned(),
                            expected: format!(
                                "{} with {}, or location",
                                super::columns::LON_NAMES,
                                super::columns::LAT_NAMES
                            ),
                        },
                    );
                    return (None, 0);
                }
                if !have_pair {
                    lon_i = None;
                    lat_i = None;
                }
            } else if !fields.iter().all(|f| f.trim().is_empty()) {
                let loc = Location::Row(row_no);
                let result = match (lon_i, lat_i, loc_i) {
                    (Some(a), Some(b), _) => {
                        let lon = fields.get(a).and_then(|s| parse_number(s));
                        let lat = fields.get(b).and_then(|s| parse_number(s));
                        match (lon, lat) {
                            (Some(lon), Some(lat)) => convert_pos(lon, lat, from, to).map(|p| {
                                fields[a] = fmt_coord(p.lon);
                                fields[b] = fmt_coord(p.lat);
                            }),
                            _ => Err(ProblemKind::MissingCoordinate),
                        }
                    }
                    (_, _, Some(c)) => {
                        let nums: Vec<Option<f64>> = fields
                            .get(c)
                            .map(|s| {
                                s.split([',', '，', ' ', ';'])
                                    .filter(|x| !x.trim().is_empty())
                                    .map(parse_number)
                                    .collect()
                            })
                            .unwrap_or_default();
                        match nums[..] {
                            [Some(lon), Some(lat)] => convert_pos(lon, lat, from, to).map(|p| {
                                fields[c] = format!("{},{}", fmt_coord(p.lon), fmt_coord(p.lat));
                            }),
                            _ => Err(ProblemKind::MissingCoordinate),
                        }
                    }
                    _ => Err(ProblemKind::MissingCoordinate),
                };
                match result {
                    Ok(()) => {
                        converted += 1;
                        if let Some(i) = crs_i
                            && let Some(f) = fields.get_mut(i)
                        {
                            to.id().clone_into(f);
                        }
                    }
                    Err(kind) => {
                        let field = lon_i
                            .or(loc_i)
                            .and_then(|i| headers.get(i))
                            .map(String::as_str);
                        report.add(Severity::Error, loc, field, kind);
                        report.rejected += 1;
                    }
                }
                report.records += 1;
            }
            if let Err(e) = wtr.write_record(&fields) {
                report.add_file(
                    Severity::Error,
                    ProblemKind::MalformedCsv {
                        message: e.to_string(),
                    },
                );
                return (None, converted);
            }
        }
        if let Err(e) = wtr.flush() {
            report.add_file(
                Severity::Error,
                ProblemKind::MalformedCsv {
                    message: e.to_string(),
                },
            );
            return (None, converted);
        }
    }
    report.loaded = converted;
    (Some(out), converted)
}

/// Converts every position in a `coordinates` value (any nesting depth).
fn convert_coords(
    value: &mut Value,
    from: Crs,
    to: Crs,
    count: &mut usize,
    bad: &mut Option<ProblemKind>,
) {
    let Value::Array(items) = value else { return };
    let first_two = (
        items.first().and_then(Value::as_f64),
        items.get(1).and_then(Value::as_f64),
    );
    if let (Some(lon), Some(lat)) = first_two {
        match convert_pos(lon, lat, from, to) {
            Ok(p) => {
                let num = |v: f64| {
                    fmt_coord(v)
                        .parse::<serde_json::Number>()
                        .map_or(Value::Null, Value::Number)
                };
                items[0] = num(p.lon);
                items[1] = num(p.lat);
                *count += 1;
            }
            Err(kind) => {
                bad.get_or_insert(kind);
            }
        }
    } else {
        for item in items {
            convert_coords(item, from, to, count, bad);
        }
    }
}

/// Walks a GeoJSON value converting geometries; `feature` is the current feature index.
fn walk(v: &mut Value, from: Crs, to: Crs, n: &mut usize, feature: usize, report: &mut Report) {
    match v {
        Value::Object(o) => {
            o.remove("bbox");
            let is_geometry = o.get("type").and_then(Value::as_str).is_some_and(|t| {
                matches!(
                    t,
                    "Point"
                        | "MultiPoint"
                        | "LineString"
                        | "MultiLineString"
                        | "Polygon"
                        | "MultiPolygon"
                )
            });
            if is_geometry && let Some(c) = o.get_mut("coordinates") {
                let mut bad = None;
                convert_coords(c, from, to, n, &mut bad);
                if let Some(k) = bad {
                    report.add(
                        Severity::Error,
                        Location::Feature(feature),
                        Some("geometry"),
                        k,
                    );
                    report.rejected += 1;
                }
                return;
            }
            if let Some(Value::Array(features)) = o.get_mut("features") {
                for (i, f) in features.iter_mut().enumerate() {
                    walk(f, from, to, n, i, report);
                }
            }
            for (k, x) in o.iter_mut() {
                if k != "features" && k != "properties" {
                    walk(x, from, to, n, feature, report);
                }
            }
        }
        Value::Array(a) => {
            for x in a {
                walk(x, from, to, n, feature, report);
            }
        }
        _ => {}
    }
}

fn convert_geojson(
    text: &str,
    from: Crs,
    to: Crs,
    report: &mut Report,
) -> (Option<Vec<u8>>, usize) {
    let mut root: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            report.add(
                Severity::Error,
                Location::Text {
                    line: e.line(),
                    column: e.column(),
                },
                None,
                ProblemKind::MalformedJson {
                    message: e.to_string(),
                },
            );
            return (None, 0);
        }
    };
    let mut n = 0usize;
    walk(&mut root, from, to, &mut n, 0, report);
    report.loaded = n;
    match serde_json::to_vec(&root) {
        Ok(mut out) => {
            out.push(b'\n');
            (Some(out), n)
        }
        Err(e) => {
            report.add_file(
                Severity::Error,
                ProblemKind::MalformedJson {
                    message: e.to_string(),
                },
            );
            (None, n)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_keeps_other_columns_and_converts() {
        let input = "名称\t经度\t纬度\t备注\t坐标系\n甲\t120.38\t36.07\t\"a\tb\"\twgs84\n";
        let c = convert_file(
            "x.tsv",
            input.as_bytes(),
            Crs::Wgs84,
            Crs::Gcj02,
            &Options::default(),
        );
        assert_eq!(c.converted, 1);
        let out = String::from_utf8(c.output.unwrap()).unwrap();
        let mut lines = out.lines();
        assert_eq!(lines.next(), Some("名称\t经度\t纬度\t备注\t坐标系"));
        let row: Vec<&str> = lines.next().unwrap().split('\t').collect();
        assert_eq!(row[0], "甲");
        let g = Crs::Wgs84.convert(Crs::Gcj02, LonLat::new(120.38, 36.07));
        assert_eq!(row[1], fmt_coord(g.lon));
        assert_eq!(row[2], fmt_coord(g.lat));
        assert_eq!(row[5], "gcj02");
    }

    #[test]
    fn geojson_converts_all_positions() {
        let input = r#"{"type":"FeatureCollection","bbox":[1,2,3,4],"features":[
            {"type":"Feature","properties":{"name":"p"},"geometry":{"type":"Point","coordinates":[120.38,36.07]}},
            {"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[121.47,31.23],[121.48,31.24]]}}]}"#;
        let c = convert_file(
            "x.geojson",
            input.as_bytes(),
            Crs::Gcj02,
            Crs::Wgs84,
            &Options::default(),
        );
        assert_eq!(c.converted, 3);
        let v: Value = serde_json::from_slice(&c.output.unwrap()).unwrap();
        assert!(v.get("bbox").is_none());
        let x = v["features"][0]["geometry"]["coordinates"][0]
            .as_f64()
            .unwrap();
        assert!((x - Crs::Gcj02.to_wgs84(LonLat::new(120.38, 36.07)).lon).abs() < 1e-7);
        assert_eq!(v["features"][0]["properties"]["name"], "p");
    }

    #[test]
    fn fmt_trims() {
        assert_eq!(fmt_coord(120.5), "120.5");
        assert_eq!(fmt_coord(120.0), "120");
        assert_eq!(fmt_coord(-0.000_000_001), "0");
    }
}
