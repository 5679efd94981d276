//! GeoJSON (RFC 7946) text → [`Record`]s.
//!
//! - Accepts a FeatureCollection, a single Feature, or a bare geometry; any mix of Point,
//!   MultiPoint, LineString, MultiLineString, Polygon, MultiPolygon and GeometryCollection (a
//!   collection is flattened when all its members are of one family).
//! - Syntax errors are reported with their line and column. Nesting deeper than `serde_json`'s
//!   recursion limit (128) is a syntax error, not a stack overflow.
//! - A top-level `crs` member (GeoJSON 2008) naming WGS-84/CRS84/EPSG:4326 (or CGCS2000,
//!   EPSG:4490, which agrees with WGS-84 to centimetres) is accepted; one naming GCJ-02 or BD-09
//!   becomes a conversion hint; anything else (e.g. EPSG:3857) rejects the file with a message
//!   saying to reproject.
//! - Every position is checked like a CSV coordinate — out of range, swapped, projected
//!   metres — and converted to WGS-84. Polygon rings need ≥ 4 positions and must be closed;
//!   lines need ≥ 2. Only the first bad position of a feature is reported (the feature is
//!   rejected either way).
//! - Property keys map to fields like CSV headers; string, number, boolean and array values are
//!   read (arrays joined with `;`). The Feature `id` member is the id when no property gives one.
//!
//! O(bytes); the parsed document is held in memory while records are produced.

use std::borrow::Cow;
use std::collections::BTreeSet;

use serde_json::Value;

use crate::plan::crs::Crs;
use crate::plan::geom::LonLat;

use super::Options;
use super::columns::{Field, field_for};
use super::coords::{self, Checked};
use super::record::{CrsResolver, Geom, Record};
use super::report::{Location, ProblemKind, Report, Severity};

/// The shape of a GeoJSON document's root.
#[derive(Debug)]
enum Root {
    Collection(Vec<Value>),
    Single(Value),
}

/// A parsed GeoJSON document.
#[derive(Debug)]
pub struct GeoSource {
    root: Root,
    hint: Option<Crs>,
}

/// Families of geometry in a document, counted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Families {
    /// Point / MultiPoint features.
    pub points: usize,
    /// LineString / MultiLineString features.
    pub lines: usize,
    /// Polygon / MultiPolygon features.
    pub polygons: usize,
    /// Features without geometry.
    pub none: usize,
}

const GEOMETRY_TYPES: [&str; 7] = [
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
    "GeometryCollection",
];

fn describe(v: &Value) -> String {
    match v {
        Value::Null => "null".to_owned(),
        Value::Bool(_) => "a boolean".to_owned(),
        Value::Number(_) => "a number".to_owned(),
        Value::String(_) => "a string".to_owned(),
        Value::Array(_) => "an array".to_owned(),
        Value::Object(o) => match o.get("type").and_then(Value::as_str) {
            Some(t) => format!("an object of type {t:?}"),
            None => "an object without \"type\"".to_owned(),
        },
    }
}

/// The CRS named by a GeoJSON `crs` member: `Ok(None)` for WGS-84 equivalents,
/// `Ok(Some(c))` for GCJ-02/BD-09, `Err(name)` otherwise.
fn named_crs(v: &Value) -> Result<Option<Crs>, String> {
    let name = v
        .get("properties")
        .and_then(|p| p.get("name"))
        .and_then(Value::as_str);
    let Some(name) = name.filter(|_| v.get("type").and_then(Value::as_str) == Some("name")) else {
        return Err(v.to_string().chars().take(200).collect());
    };
    match name.parse::<Crs>() {
        Ok(Crs::Wgs84) => Ok(None),
        Ok(c) => Ok(Some(c)),
        Err(_) => {
            let compact: String = name
                .to_ascii_lowercase()
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .collect();
            if compact.ends_with("epsg4490") || compact.ends_with("4490") || compact == "cgcs2000" {
                Ok(None)
            } else {
                Err(name.to_owned())
            }
        }
    }
}

impl GeoSource {
    /// Parses the document and checks its root and `crs`. Returns `None` (reason in `report`)
    /// when nothing can be read.
    pub fn open(text: &str, report: &mut Report) -> Option<Self> {
        let root: Value = match serde_json::from_str(text) {
            Ok(v) => v,
            Err(e) => {
                let loc = if e.line() > 0 {
                    Location::Text {
                        line: e.line(),
                        column: e.column(),
                    }
                } else {
                    Location::File
                };
                report.add(
                    Severity::Error,
                    loc,
                    None,
                    ProblemKind::MalformedJson {
                        message: e.to_string(),
                    },
                );
                return None;
            }
        };
        let mut hint = None;
        if let Some(crs) = root.get("crs").filter(|c| !c.is_null()) {
            match named_crs(crs) {
                Ok(h) => hint = h,
                Err(name) => {
                    report.add(
                        Severity::Error,
                        Location::File,
                        Some("crs"),
                        ProblemKind::UnsupportedCrs { crs: name },
                    );
                    return None;
                }
            }
        }
        let ty = root.get("type").and_then(Value::as_str).map(str::to_owned);
        let root =
            match (ty.as_deref(), root) {
                (Some("FeatureCollection"), Value::Object(mut o)) => match o.remove("features") {
                    Some(Value::Array(a)) => Root::Collection(a),
                    other => {
                        report.add(
                            Severity::Error,
                            Location::File,
                            Some("features"),
                            ProblemKind::NotGeoJson {
                                found: format!(
                                    "\"features\" is {}, not an array",
                                    other.as_ref().map_or("missing".to_owned(), describe)
                                ),
                            },
                        );
                        return None;
                    }
                },
                (Some(t), v) if t == "Feature" || GEOMETRY_TYPES.contains(&t) => Root::Single(v),
                (_, v) => {
                    report.add_file(Severity::Error, ProblemKind::NotGeoJson {
                        found: format!(
                            "the document is {}; expected a FeatureCollection, Feature or geometry",
                            describe(&v)
                        ),
                    },
                );
                    return None;
                }
            };
        let src = Self { root, hint };
        let mut ignored = BTreeSet::new();
        for f in src.features() {
            if let Some(props) = f.get("properties").and_then(Value::as_object) {
                for k in props.keys() {
                    if field_for(k).0.is_none() && ignored.len() < 21 {
                        ignored.insert(k.clone());
                    }
                }
            }
        }
        report.add_file(
            Severity::Info,
            ProblemKind::Detected {
                what: format!("GeoJSON, {} features", src.features().len()),
            },
        );
        if !ignored.is_empty() {
            let mut list: Vec<String> = ignored.into_iter().take(20).collect();
            if list.len() == 20 {
                list.push("…".to_owned());
            }
            report.add(
                Severity::Info,
                Location::File,
                Some("properties"),
                ProblemKind::IgnoredColumns {
                    columns: list.join(", "),
                },
            );
        }
        Some(src)
    }

    fn features(&self) -> &[Value] {
        match &self.root {
            Root::Collection(a) => a,
            Root::Single(v) => std::slice::from_ref(v),
        }
    }

    /// The coordinate-system hint from the `crs` member, if any.
    pub fn hint(&self) -> Option<Crs> {
        self.hint
    }

    /// The fields the properties provide (union over features).
    pub fn fields(&self) -> BTreeSet<Field> {
        let mut out = BTreeSet::new();
        for f in self.features() {
            if let Some(props) = f.get("properties").and_then(Value::as_object) {
                out.extend(props.keys().filter_map(|k| field_for(k).0));
            }
            if f.get("id").is_some_and(|v| !v.is_null()) {
                out.insert(Field::Id);
            }
        }
        out
    }

    /// Counts features by geometry family.
    pub fn families(&self) -> Families {
        let mut fam = Families::default();
        for f in self.features() {
            let g = if f.get("type").and_then(Value::as_str) == Some("Feature") {
                f.get("geometry")
            } else {
                Some(f)
            };
            match g.and_then(|g| g.get("type")).and_then(Value::as_str) {
                Some("Point" | "MultiPoint") => fam.points += 1,
                Some("LineString" | "MultiLineString") => fam.lines += 1,
                Some("Polygon" | "MultiPolygon") => fam.polygons += 1,
                Some(_) => {}
                None => fam.none += 1,
            }
        }
        fam
    }

    /// Reads every feature and hands each to `sink`.
    pub fn for_each(
        &self,
        opts: &Options,
        resolver: &mut CrsResolver,
        report: &mut Report,
        sink: &mut dyn FnMut(Record<'_>, &mut Report),
    ) {
        for (i, f) in self.features().iter().enumerate() {
            let rec = feature_record(i, f, opts, resolver, report);
            sink(rec, report);
        }
    }
}

fn value_text(v: &Value) -> Option<Cow<'_, str>> {
    match v {
        Value::String(s) => Some(Cow::Borrowed(s.as_str())),
        Value::Number(n) => Some(Cow::Owned(n.to_string())),
        Value::Bool(b) => Some(Cow::Owned(b.to_string())),
        Value::Array(a) => {
            let parts: Vec<String> = a
                .iter()
                .filter_map(|x| match x {
                    Value::String(s) => Some(s.clone()),
                    Value::Number(n) => Some(n.to_string()),
                    Value::Bool(b) => Some(b.to_string()),
                    _ => None,
                })
                .collect();
            Some(Cow::Owned(parts.join(";")))
        }
        Value::Null | Value::Object(_) => None,
    }
}

fn feature_record<'v>(
    i: usize,
    f: &'v Value,
    opts: &Options,
    resolver: &mut CrsResolver,
    report: &mut Report,
) -> Record<'v> {
    let mut rec = Record::new(Location::Feature(i));
    let ty = f.get("type").and_then(Value::as_str);
    let geometry = match ty {
        Some("Feature") => f.get("geometry"),
        Some(t) if GEOMETRY_TYPES.contains(&t) => Some(f),
        _ => {
            rec.note(
                Severity::Error,
                None,
                ProblemKind::NotGeoJson {
                    found: format!("feature is {}, expected a Feature", describe(f)),
                },
            );
            rec.geom = Geom::Invalid;
            return rec;
        }
    };
    if let Some(props) = f.get("properties").and_then(Value::as_object) {
        for (k, v) in props {
            if let (Some(field), Some(text)) = (field_for(k).0, value_text(v)) {
                rec.values.push((field, k.as_str(), text));
            }
        }
    }
    if rec.get(Field::Id).is_none()
        && let Some(text) = f.get("id").and_then(value_text)
    {
        rec.values.push((Field::Id, "id", text));
    }
    let crs_value = rec
        .get(Field::Crs)
        .map(|(k, v)| (k.to_owned(), v.to_owned()));
    let Some(crs) = resolver.for_record(
        crs_value.as_ref().map(|(k, v)| (k.as_str(), v.as_str())),
        &mut rec,
        report,
    ) else {
        rec.geom = Geom::Invalid;
        return rec;
    };
    rec.geom = match geometry {
        None | Some(Value::Null) => Geom::None,
        Some(g) => {
            let mut ctx = GeomCtx {
                crs,
                opts,
                resolver,
                failed: false,
                warned: false,
                rec: &mut rec,
            };
            ctx.geometry(g).unwrap_or(Geom::Invalid)
        }
    };
    rec
}

struct GeomCtx<'c, 'r, 'v> {
    crs: Crs,
    opts: &'c Options,
    resolver: &'c mut CrsResolver,
    failed: bool,
    warned: bool,
    rec: &'r mut Record<'v>,
}

impl GeomCtx<'_, '_, '_> {
    fn fail(&mut self, kind: ProblemKind) -> Option<()> {
        if !self.failed {
            self.failed = true;
            self.rec.note(Severity::Error, Some("geometry"), kind);
        }
        None
    }

    fn invalid<T>(&mut self, message: String) -> Option<T> {
        self.fail(ProblemKind::InvalidGeometry { message });
        None
    }

    fn coords<'a>(&mut self, g: &'a Value) -> Option<&'a Value> {
        match g.get("coordinates") {
            Some(c) => Some(c),
            None => self.invalid("geometry has no \"coordinates\"".to_owned()),
        }
    }

    fn array<'a>(&mut self, v: &'a Value, what: &str) -> Option<&'a [Value]> {
        match v.as_array() {
            Some(a) => Some(a),
            None => self.invalid(format!("{what} must be an array, found {}", describe(v))),
        }
    }

    fn position(&mut self, v: &Value) -> Option<LonLat> {
        let nums = match v.as_array() {
            Some(a) if a.len() >= 2 => (a[0].as_f64(), a[1].as_f64()),
            _ => (None, None),
        };
        let (Some(lon), Some(lat)) = nums else {
            let shown: String = v.to_string().chars().take(60).collect();
            return self.invalid(format!(
                "a position must be [longitude, latitude] numbers, found {shown}"
            ));
        };
        match coords::check(lon, lat, self.opts.fix_swapped) {
            Checked::Ok(p, warning) => {
                if let Some(w) = warning
                    && !self.warned
                {
                    self.warned = true;
                    self.rec.note(Severity::Warning, Some("geometry"), w);
                }
                Some(self.resolver.to_wgs84(self.crs, p))
            }
            Checked::Bad(kind) => {
                self.fail(kind);
                None
            }
        }
    }

    fn positions(&mut self, v: &Value, what: &str) -> Option<Vec<LonLat>> {
        let a = self.array(v, what)?;
        let mut out = Vec::with_capacity(a.len());
        for p in a {
            out.push(self.position(p)?);
        }
        Some(out)
    }

    fn line(&mut self, v: &Value, what: &str) -> Option<Vec<LonLat>> {
        let l = self.positions(v, what)?;
        if l.len() < 2 {
            self.fail(ProblemKind::TooFewPositions {
                what: what.to_owned(),
                count: l.len(),
                min: 2,
            });
            return None;
        }
        Some(l)
    }

    fn polygon(&mut self, v: &Value, index: usize) -> Option<geo::Polygon<f64>> {
        let rings = self.array(v, "a polygon")?;
        if rings.is_empty() {
            return self.invalid(format!("polygon {index} has no rings"));
        }
        let mut out: Vec<geo::LineString<f64>> = Vec::with_capacity(rings.len());
        for (r, ring) in rings.iter().enumerate() {
            let what = format!("ring {r} of polygon {index}");
            let pts = self.positions(ring, &what)?;
            if pts.len() < 4 {
                self.fail(ProblemKind::TooFewPositions {
                    what,
                    count: pts.len(),
                    min: 4,
                });
                return None;
            }
            let (first, last) = (pts[0], pts[pts.len() - 1]);
            if first != last {
                self.fail(ProblemKind::UnclosedRing {
                    polygon: index,
                    ring: r,
                    first,
                    last,
                });
                return None;
            }
            out.push(
                pts.iter()
                    .map(|p| geo::coord! { x: p.lon, y: p.lat })
                    .collect(),
            );
        }
        let mut it = out.into_iter();
        let exterior = it.next()?;
        Some(geo::Polygon::new(exterior, it.collect()))
    }

    fn geometry(&mut self, g: &Value) -> Option<Geom> {
        let Some(ty) = g.get("type").and_then(Value::as_str) else {
            return self.invalid(format!("geometry is {}", describe(g)));
        };
        match ty {
            "Point" => {
                let c = self.coords(g)?;
                Some(Geom::Points(vec![self.position(c)?]))
            }
            "MultiPoint" => {
                let c = self.coords(g)?;
                let pts = self.positions(c, "a MultiPoint")?;
                if pts.is_empty() {
                    return Some(Geom::None);
                }
                Some(Geom::Points(pts))
            }
            "LineString" => {
                let c = self.coords(g)?;
                Some(Geom::Lines(vec![self.line(c, "the LineString")?]))
            }
            "MultiLineString" => {
                let c = self.coords(g)?;
                let parts = self.array(c, "a MultiLineString")?;
                let mut lines = Vec::with_capacity(parts.len());
                for (k, l) in parts.iter().enumerate() {
                    lines.push(self.line(l, &format!("line {k}"))?);
                }
                if lines.is_empty() {
                    return Some(Geom::None);
                }
                Some(Geom::Lines(lines))
            }
            "Polygon" => {
                let c = self.coords(g)?;
                Some(Geom::Polygons(geo::MultiPolygon(vec![self.polygon(c, 0)?])))
            }
            "MultiPolygon" => {
                let c = self.coords(g)?;
                let parts = self.array(c, "a MultiPolygon")?;
                let mut polys = Vec::with_capacity(parts.len());
                for (k, p) in parts.iter().enumerate() {
                    polys.push(self.polygon(p, k)?);
                }
                if polys.is_empty() {
                    return Some(Geom::None);
                }
                Some(Geom::Polygons(geo::MultiPolygon(polys)))
            }
            "GeometryCollection" => {
                let Some(members) = g.get("geometries") else {
                    return self.invalid("GeometryCollection has no \"geometries\"".to_owned());
                };
                let members = self.array(members, "\"geometries\"")?;
                let mut acc = Geom::None;
                for m in members {
                    let part = self.geometry(m)?;
                    acc = match (acc, part) {
                        (a, Geom::None) => a,
                        (Geom::None, b) => b,
                        (Geom::Points(mut a), Geom::Points(b)) => {
                            a.extend(b);
                            Geom::Points(a)
                        }
                        (Geom::Lines(mut a), Geom::Lines(b)) => {
                            a.extend(b);
                            Geom::Lines(a)
                        }
                        (Geom::Polygons(mut a), Geom::Polygons(b)) => {
                            a.0.extend(b.0);
                            Geom::Polygons(a)
                        }
                        (a, b) => {
                            return self.invalid(format!(
                                "GeometryCollection mixes {} and {} members",
                                a.type_name(),
                                b.type_name()
                            ));
                        }
                    };
                }
                Some(acc)
            }
            other => self.invalid(format!("unknown geometry type {other:?}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(text: &str) -> (Vec<(Location, Geom, bool)>, Report) {
        let mut report = Report::new("t.geojson");
        let opts = Options::default();
        let mut out = Vec::new();
        if let Some(src) = GeoSource::open(text, &mut report) {
            let mut res = CrsResolver::new(&opts, src.hint(), &mut report);
            src.for_each(&opts, &mut res, &mut report, &mut |r, _| {
                out.push((r.loc, r.geom.clone(), r.has_error()));
            });
        }
        (out, report)
    }

    #[test]
    fn syntax_error_has_line_and_column() {
        let (_, report) = records("{\n  \"type\": \"FeatureCollection\",\n  \"features\": [,]\n}");
        let p = &report.problems[0];
        assert_eq!(
            p.location,
            Location::Text {
                line: 3,
                column: 16
            }
        );
        assert!(matches!(p.kind, ProblemKind::MalformedJson { .. }));
    }

    #[test]
    fn unclosed_ring_is_reported_and_other_features_load() {
        let text = r#"{"type":"FeatureCollection","features":[
          {"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[120,36],[120.1,36],[120.1,36.1],[120,36.1]]]}},
          {"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[120,36],[120.1,36]]}}]}"#;
        let (recs, _) = records(text);
        assert_eq!(recs.len(), 2);
        assert!(recs[0].2);
        assert_eq!(recs[0].1, Geom::Invalid);
        assert!(!recs[1].2);
        assert_eq!(recs[1].1.type_name(), "LineString");
    }

    #[test]
    fn foreign_crs_rejects_the_file() {
        let text = r#"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::3857"}},"features":[]}"#;
        let (recs, report) = records(text);
        assert!(recs.is_empty());
        assert!(matches!(
            &report.problems[0].kind,
            ProblemKind::UnsupportedCrs { crs } if crs.contains("3857")
        ));
        let ok = r#"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:OGC:1.3:CRS84"}},"features":[]}"#;
        assert!(!records(ok).1.has_errors());
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let text = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let (_, report) = records(&text);
        assert!(report.has_errors());
    }
}
