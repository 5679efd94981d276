//! The format-neutral record both parsers produce and the layer builders consume.
//!
//! A [`Record`] is one CSV data row or one GeoJSON feature: its location, its recognised values
//! keyed by [`Field`] (with the original column/property name for messages), its geometry
//! already checked and converted to WGS-84, and any problems the parser found in it (which the
//! builder reports, because only the layer knows whether, say, a missing coordinate matters).
//! [`CrsResolver`] decides each record's coordinate system and counts conversions.

use std::borrow::Cow;

use crate::plan::crs::Crs;
use crate::plan::geom::LonLat;

use super::Options;
use super::columns::Field;
use super::coords::{self, Checked};
use super::report::{Location, ProblemKind, Report, Severity};

/// A record's geometry after checking.
#[derive(Debug, Clone, PartialEq)]
pub enum Geom {
    /// No position given at all.
    None,
    /// One or more positions (a CSV row, a Point, a MultiPoint).
    Points(Vec<LonLat>),
    /// One or more polylines.
    Lines(Vec<Vec<LonLat>>),
    /// One or more polygons.
    Polygons(geo::MultiPolygon<f64>),
    /// The geometry was rejected; the reasons are in [`Record::problems`].
    Invalid,
}

impl Geom {
    /// The GeoJSON-style name of this geometry, for messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Geom::None => "no",
            Geom::Points(p) if p.len() == 1 => "Point",
            Geom::Points(_) => "MultiPoint",
            Geom::Lines(l) if l.len() == 1 => "LineString",
            Geom::Lines(_) => "MultiLineString",
            Geom::Polygons(p) if p.0.len() == 1 => "Polygon",
            Geom::Polygons(_) => "MultiPolygon",
            Geom::Invalid => "invalid",
        }
    }
}

/// A problem found by a parser in one record, reported by the builder.
#[derive(Debug, Clone, PartialEq)]
pub struct Pending {
    /// Severity.
    pub severity: Severity,
    /// Column or property name.
    pub field: Option<String>,
    /// What.
    pub kind: ProblemKind,
}

/// One CSV row or GeoJSON feature.
#[derive(Debug, Clone, PartialEq)]
pub struct Record<'a> {
    /// Where it is.
    pub loc: Location,
    /// Recognised values: field, original name, value (trimmed, possibly empty).
    pub values: Vec<(Field, &'a str, Cow<'a, str>)>,
    /// Checked geometry in WGS-84.
    pub geom: Geom,
    /// Problems found while parsing.
    pub problems: Vec<Pending>,
}

impl Record<'_> {
    /// An empty record at `loc`.
    pub fn new(loc: Location) -> Self {
        Self {
            loc,
            values: Vec::new(),
            geom: Geom::None,
            problems: Vec::new(),
        }
    }

    /// The first non-empty value of `field`, with its column/property name.
    pub fn get(&self, field: Field) -> Option<(&str, &str)> {
        self.values
            .iter()
            .find(|(f, _, v)| *f == field && !v.trim().is_empty())
            .map(|(_, k, v)| (*k, v.trim()))
    }

    /// True when the parser found an error in this record.
    pub fn has_error(&self) -> bool {
        self.problems.iter().any(|p| p.severity == Severity::Error)
    }

    /// Notes a problem.
    pub fn note(&mut self, severity: Severity, field: Option<&str>, kind: ProblemKind) {
        self.problems.push(Pending {
            severity,
            field: field.map(str::to_owned),
            kind,
        });
    }
}

/// Decides each record's coordinate system and converts positions to WGS-84.
///
/// Precedence: the import option, then a per-record `crs`/`坐标系` value, then a file-level hint
/// (a header such as `经度(GCJ-02)` or a GeoJSON `crs` member naming GCJ-02/BD-09), then WGS-84.
#[derive(Debug, Clone)]
pub struct CrsResolver {
    explicit: Option<Crs>,
    hint: Option<Crs>,
    converted: [usize; 3],
    conflict_reported: bool,
}

impl CrsResolver {
    /// A resolver for an import with `opts`, and a file-level `hint`; reports a conflict
    /// between the two.
    pub fn new(opts: &Options, hint: Option<Crs>, report: &mut Report) -> Self {
        let mut r = Self {
            explicit: opts.crs,
            hint,
            converted: [0; 3],
            conflict_reported: false,
        };
        if let (Some(e), Some(h)) = (opts.crs, hint)
            && e != h
        {
            r.conflict_reported = true;
            report.add_file(
                Severity::Warning,
                ProblemKind::CrsConflict {
                    found: h.label().to_owned(),
                    chosen: e.label().to_owned(),
                },
            );
        }
        r
    }

    /// The system for a record whose own `crs` value is `value` (with its field name).
    /// An unknown value is an error on the record.
    pub fn for_record(
        &mut self,
        value: Option<(&str, &str)>,
        rec: &mut Record<'_>,
        report: &mut Report,
    ) -> Option<Crs> {
        let Some((key, v)) = value else {
            return Some(self.explicit.or(self.hint).unwrap_or(Crs::Wgs84));
        };
        match v.parse::<Crs>() {
            Err(_) => {
                rec.note(
                    Severity::Error,
                    Some(key),
                    ProblemKind::UnknownCrs {
                        value: v.to_owned(),
                    },
                );
                None
            }
            Ok(c) => match self.explicit {
                Some(e) if e != c => {
                    if !self.conflict_reported {
                        self.conflict_reported = true;
                        report.add(
                            Severity::Warning,
                            rec.loc,
                            Some(key),
                            ProblemKind::CrsConflict {
                                found: c.label().to_owned(),
                                chosen: e.label().to_owned(),
                            },
                        );
                    }
                    Some(e)
                }
                _ => Some(c),
            },
        }
    }

    /// Converts a checked position from `crs` to WGS-84, counting it.
    pub fn to_wgs84(&mut self, crs: Crs, p: LonLat) -> LonLat {
        let i = match crs {
            Crs::Wgs84 => 0,
            Crs::Gcj02 => 1,
            Crs::Bd09 => 2,
        };
        self.converted[i] += 1;
        crs.to_wgs84(p)
    }

    /// Reports how many positions were converted from each non-WGS-84 system.
    pub fn finish(&self, report: &mut Report) {
        for (crs, n) in [
            (Crs::Gcj02, self.converted[1]),
            (Crs::Bd09, self.converted[2]),
        ] {
            if n > 0 {
                report.add_file(
                    Severity::Info,
                    ProblemKind::Converted {
                        from: crs.label().to_owned(),
                        count: n,
                    },
                );
            }
        }
    }
}

/// Checks a position read as (`lon`, `lat`) and converts it to WGS-84. Problems are noted on
/// `rec` against `field`; returns `None` when the position is rejected.
pub fn checked_point(
    lon: f64,
    lat: f64,
    crs: Crs,
    opts: &Options,
    resolver: &mut CrsResolver,
    rec: &mut Record<'_>,
    field: Option<&str>,
) -> Option<LonLat> {
    match coords::check(lon, lat, opts.fix_swapped) {
        Checked::Ok(p, warning) => {
            if let Some(w) = warning {
                rec.note(Severity::Warning, field, w);
            }
            Some(resolver.to_wgs84(crs, p))
        }
        Checked::Bad(kind) => {
            rec.note(Severity::Error, field, kind);
            None
        }
    }
}
