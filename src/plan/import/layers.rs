//! [`Record`]s → model records, one builder per layer, with per-record validation.
//!
//! Each record is either loaded or rejected, never dropped silently:
//! - the parser's problems for it are reported first;
//! - the geometry must suit the layer (a point for stations, facilities, postings, demand and
//!   candidates; lines for streets; polygons — or nothing — for communities);
//! - required values must be present and valid (a title for postings, a name for communities;
//!   a category for facilities; a finite, non-negative population weight for demand points);
//!   a station or facility without a name is named by its id (a planner's list of points is
//!   often just coordinates and a category);
//! - optional values that cannot be read are warnings, and the field is left empty;
//! - text is cleaned ([`clean`]): controls removed, long text truncated, markup flagged;
//! - a missing id is generated from the location (`row-7`, `feature-3`); an id seen before in
//!   the same layer rejects the later record with a `duplicate id` error naming the first.
//!
//! O(1) per record plus a hash-set lookup for the id.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use crate::plan::geom::LonLat;
use crate::plan::model::{
    Candidate, Community, DemandPoint, Facility, HoursType, Posting, Station, Street,
};

use super::columns::Field;
use super::coords::parse_count;
use super::poi_types::parse_category;
use super::record::{Geom, Record};
use super::report::{Location, ProblemKind, Report, Severity};
use super::text::clean;
use super::{Dataset, Layer, Options};

/// Per-layer state: ids seen so far.
#[derive(Debug, Default)]
struct Seen(HashMap<String, Location>);

/// Builds every layer of a [`Dataset`] from records.
#[derive(Debug, Default)]
pub struct Builder {
    seen: [Seen; 7],
    /// What has been built.
    pub data: Dataset,
    community_point_noted: bool,
}

fn layer_index(l: Layer) -> usize {
    match l {
        Layer::Stations => 0,
        Layer::Facilities => 1,
        Layer::Postings => 2,
        Layer::Demand => 3,
        Layer::Candidates => 4,
        Layer::Communities => 5,
        Layer::Streets => 6,
    }
}

/// One record being turned into an item: reports problems and remembers whether it failed.
struct Row<'a, 'b, 'r> {
    rec: &'a Record<'b>,
    report: &'r mut Report,
    opts: &'a Options,
    failed: bool,
}

impl Row<'_, '_, '_> {
    fn problem(&mut self, severity: Severity, field: Option<&str>, kind: ProblemKind) {
        if severity == Severity::Error {
            self.failed = true;
        }
        self.report.add(severity, self.rec.loc, field, kind);
    }

    /// A cleaned text value, with warnings about what cleaning did.
    fn text(&mut self, field: Field) -> Option<String> {
        let (key, raw) = self.rec.get(field)?;
        let (s, info) = clean(raw, self.opts.max_text_chars);
        if info.removed > 0 {
            self.problem(
                Severity::Warning,
                Some(key),
                ProblemKind::ControlCharacters {
                    count: info.removed,
                },
            );
        }
        if let Some(chars) = info.truncated_from {
            self.problem(
                Severity::Warning,
                Some(key),
                ProblemKind::Truncated {
                    chars,
                    limit: self.opts.max_text_chars,
                },
            );
        }
        if info.markup {
            self.problem(Severity::Warning, Some(key), ProblemKind::Markup);
        }
        (!s.is_empty()).then_some(s)
    }

    fn required_text(&mut self, field: Field, what: &str) -> Option<String> {
        let v = self.text(field);
        if v.is_none() {
            self.problem(
                Severity::Error,
                None,
                ProblemKind::MissingField {
                    what: what.to_owned(),
                },
            );
        }
        v
    }

    fn list(&mut self, field: Field) -> Vec<String> {
        self.text(field)
            .map(|s| {
                s.split([';', '；', ',', '，', '、', '|'])
                    .map(str::trim)
                    .filter(|x| !x.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    }

    fn invalid(&mut self, field: Field, expected: &str) {
        if let Some((k, v)) = self.rec.get(field) {
            let (k, v) = (k.to_owned(), v.to_owned());
            self.problem(
                Severity::Warning,
                Some(&k),
                ProblemKind::InvalidValue {
                    value: v,
                    expected: expected.to_owned(),
                },
            );
        }
    }

    /// An optional non-negative number.
    fn number(&mut self, field: Field, expected: &str) -> Option<f64> {
        let (_, v) = self.rec.get(field)?;
        match parse_count(v) {
            Some(x) if x.is_finite() && x >= 0.0 => Some(x),
            _ => {
                self.invalid(field, expected);
                None
            }
        }
    }

    /// An optional capacity: a number ≥ 0, or an error naming the field (the record is rejected,
    /// so no figure is computed from a capacity that could not be read).
    fn capacity(&mut self) -> Option<f64> {
        let (k, v) = self.rec.get(Field::Capacity)?;
        let (k, v) = (k.to_owned(), v.to_owned());
        match parse_count(&v) {
            Some(x) if x.is_finite() && x >= 0.0 => Some(x),
            _ => {
                self.problem(
                    Severity::Error,
                    Some(&k),
                    ProblemKind::InvalidCapacity { value: v },
                );
                None
            }
        }
    }

    /// Reports the parser's problems.
    fn pending(&mut self) {
        for p in &self.rec.problems {
            if p.severity == Severity::Error {
                self.failed = true;
            }
            self.report
                .add(p.severity, self.rec.loc, p.field.as_deref(), p.kind.clone());
        }
    }

    /// The single position of a point record, or an error.
    fn point(&mut self, layer: Layer) -> Option<LonLat> {
        match &self.rec.geom {
            Geom::Points(p) if p.len() == 1 => Some(p[0]),
            Geom::Invalid => {
                self.failed = true;
                None
            }
            Geom::None => {
                self.problem(Severity::Error, None, ProblemKind::MissingCoordinate);
                None
            }
            g => {
                let found = if let Geom::Points(p) = g {
                    format!("MultiPoint ({} points)", p.len())
                } else {
                    g.type_name().to_owned()
                };
                self.problem(
                    Severity::Error,
                    Some("geometry"),
                    ProblemKind::WrongGeometry {
                        found,
                        layer: layer.id().to_owned(),
                        expected: "a Point".to_owned(),
                    },
                );
                None
            }
        }
    }

    /// The record's id, or a generated one.
    fn id(&mut self) -> String {
        if let Some(id) = self.text(Field::Id) {
            return id;
        }
        let id = match self.rec.loc {
            Location::Row(r) => format!("row-{r}"),
            Location::Feature(i) => format!("feature-{i}"),
            Location::File | Location::Text { .. } => "record".to_owned(),
        };
        // Only worth a warning when the column exists but this cell is empty.
        if self.rec.values.iter().any(|(f, _, _)| *f == Field::Id) {
            self.problem(
                Severity::Warning,
                None,
                ProblemKind::GeneratedId { id: id.clone() },
            );
        }
        id
    }
}

/// Reads one amount such as `4000`, `4k`, `1.2万`, `4千`.
fn amount(s: &str) -> Option<f64> {
    let t = s.trim();
    let (num, mult) = if let Some(n) = t.strip_suffix('万') {
        (n, 10_000.0)
    } else if let Some(n) = t.strip_suffix(['千', 'k', 'K']) {
        (n, 1_000.0)
    } else {
        (t, 1.0)
    };
    parse_count(num)
        .map(|v| v * mult)
        .filter(|v| v.is_finite() && *v >= 0.0)
}

/// A range such as `4000-6000`, `4k~6k元/月`, `5000以上`, `45岁以下`, `面议`/`不限`
/// (→ `Some((None, None))`). `None` when unreadable.
fn range(s: &str, units: &[&str]) -> Option<(Option<f64>, Option<f64>)> {
    let mut t = s.trim().to_owned();
    for u in units {
        t = t.replace(u, "");
    }
    let t = t.trim();
    if matches!(t, "面议" | "不限" | "" | "negotiable" | "any") {
        return Some((None, None));
    }
    if let Some(n) = t.strip_suffix("以上").or_else(|| t.strip_suffix('+')) {
        return amount(n).map(|v| (Some(v), None));
    }
    if let Some(n) = t.strip_suffix("以下") {
        return amount(n).map(|v| (None, Some(v)));
    }
    let parts: Vec<&str> = t.split(['-', '~', '—', '–', '至', '到', '～']).collect();
    match parts[..] {
        [one] => amount(one).map(|v| (Some(v), Some(v))),
        [a, b] => {
            let (a, b) = (amount(a)?, amount(b)?);
            Some((Some(a.min(b)), Some(a.max(b))))
        }
        _ => None,
    }
}

/// Days since 1970-01-01 → (year, month, day), proleptic Gregorian.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// A date as `YYYY-MM-DD` from `2024-05-03`, `2024/5/3`, `2024.5.3`, `2024年5月3日`, with or
/// without a time after it, or an Excel serial day number (e.g. 45415).
fn iso_date(s: &str) -> Option<String> {
    let trimmed = s.trim();
    let date_part = trimmed.split([' ', 'T']).next().unwrap_or(trimmed);
    if let Ok(serial) = date_part.parse::<f64>() {
        // Excel's day 25569 is 1970-01-01; accept 1990–2100.
        if (32_874.0..=73_051.0).contains(&serial) {
            let (year, month, day) = civil_from_days(serial.floor() as i64 - 25_569);
            return Some(format!("{year:04}-{month:02}-{day:02}"));
        }
        return None;
    }
    let parts: Vec<&str> = date_part
        .split(['-', '/', '.', '年', '月', '日'])
        .filter(|p| !p.is_empty())
        .collect();
    let [year, month, day] = parts[..] else {
        return None;
    };
    let (year, month, day) = (
        year.parse::<u32>().ok()?,
        month.parse::<u32>().ok()?,
        day.parse::<u32>().ok()?,
    );
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    ((1900..=2100).contains(&year) && (1..=days).contains(&day))
        .then(|| format!("{year:04}-{month:02}-{day:02}"))
}

/// Digits only, of a division-code length (2, 4, 6, 9 or 12).
fn division_code(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_digit()) && matches!(s.len(), 2 | 4 | 6 | 9 | 12)
}

impl Builder {
    /// A builder with empty layers.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reserves room for about `n` ids in `layer` (capped at one million), so that a large
    /// file does not rehash its id set repeatedly.
    pub fn reserve(&mut self, layer: Layer, n: usize) {
        self.seen[layer_index(layer)].0.reserve(n.min(1_000_000));
    }

    /// Registers `key` for `layer`; on a duplicate reports it and returns false.
    fn unique(&mut self, layer: Layer, key: &str, row: &mut Row<'_, '_, '_>) -> bool {
        let seen = &mut self.seen[layer_index(layer)].0;
        match seen.entry(key.to_owned()) {
            Entry::Vacant(v) => {
                v.insert(row.rec.loc);
                true
            }
            Entry::Occupied(o) => {
                let first = match o.get() {
                    Location::Row(r) => format!("row {r}"),
                    other => other.to_string(),
                };
                row.problem(
                    Severity::Error,
                    None,
                    ProblemKind::DuplicateId {
                        id: key.to_owned(),
                        first,
                    },
                );
                false
            }
        }
    }

    /// Turns `rec` into an item of `layer`, or rejects it; updates the report's counts.
    pub fn accept(&mut self, layer: Layer, rec: &Record<'_>, opts: &Options, report: &mut Report) {
        report.records += 1;
        let mut row = Row {
            rec,
            report,
            opts,
            failed: false,
        };
        row.pending();
        let loaded = match layer {
            Layer::Stations => self.station(&mut row),
            Layer::Facilities => self.facility(&mut row),
            Layer::Postings => self.posting(&mut row),
            Layer::Demand => self.demand(&mut row),
            Layer::Candidates => self.candidate(&mut row),
            Layer::Communities => self.community(&mut row),
            Layer::Streets => self.street(&mut row),
        };
        if loaded {
            row.report.loaded += 1;
        } else {
            row.report.rejected += 1;
        }
    }

    /// Counts a record that was rejected without building it (its layer is unknown).
    pub fn reject(report: &mut Report) {
        report.records += 1;
        report.rejected += 1;
    }

    fn station(&mut self, row: &mut Row<'_, '_, '_>) -> bool {
        let pos = row.point(Layer::Stations);
        let id = row.id();
        let name = row.text(Field::Name).or_else(|| Some(id.clone()));
        let item = Station {
            id: id.clone(),
            name: name.unwrap_or_default(),
            pos_wgs84: pos.unwrap_or(LonLat::new(0.0, 0.0)),
            address: row.text(Field::Address),
            host_type: row.text(Field::HostType),
            services: row.list(Field::Services),
            hours: row.text(Field::OpeningHours),
        };
        let capacity = row.capacity();
        let unique = self.unique(Layer::Stations, &id, row);
        let ok = unique && !row.failed && pos.is_some();
        if ok {
            if let Some(c) = capacity {
                self.data.capacity.stations.insert(item.id.clone(), c);
            }
            self.data.stations.push(item);
        }
        ok
    }

    fn facility(&mut self, row: &mut Row<'_, '_, '_>) -> bool {
        let pos = row.point(Layer::Facilities);
        let id = row.id();
        let name = row.text(Field::Name).or_else(|| Some(id.clone()));
        let category = match (row.opts.category, row.rec.get(Field::Category)) {
            (Some(c), _) => Some(c),
            (None, Some((k, v))) => {
                let c = parse_category(v);
                if c.is_none() {
                    let (k, v) = (k.to_owned(), v.to_owned());
                    row.problem(
                        Severity::Error,
                        Some(&k),
                        ProblemKind::UnknownCategory { value: v },
                    );
                }
                c
            }
            (None, None) => {
                row.problem(Severity::Error, None, ProblemKind::MissingCategory);
                None
            }
        };
        let capacity = row.capacity();
        let unique = self.unique(Layer::Facilities, &id, row);
        match (pos, name, category) {
            (Some(pos_wgs84), Some(name), Some(category)) if unique && !row.failed => {
                if let Some(c) = capacity {
                    self.data.capacity.facilities.insert(id.clone(), c);
                }
                self.data.facilities.push(Facility {
                    id,
                    name,
                    category,
                    pos_wgs84,
                });
                true
            }
            _ => false,
        }
    }

    fn posting(&mut self, row: &mut Row<'_, '_, '_>) -> bool {
        let pos = row.point(Layer::Postings);
        let id = row.id();
        let title = row.required_text(Field::Name, "title");
        let (mut pay_min, mut pay_max) = (None, None);
        if let Some((_, v)) = row.rec.get(Field::Pay) {
            match range(
                v,
                &["元/月", "元每月", "元", "/月", "每月", "月薪", "rmb", "cny"],
            ) {
                Some((a, b)) => (pay_min, pay_max) = (a, b),
                None => row.invalid(Field::Pay, "a pay range such as 4000-6000"),
            }
        }
        pay_min = row
            .number(Field::PayMin, "a non-negative amount")
            .or(pay_min);
        pay_max = row
            .number(Field::PayMax, "a non-negative amount")
            .or(pay_max);
        let (mut age_min, mut age_max) = (None, None);
        if let Some((_, v)) = row.rec.get(Field::Age) {
            match range(v, &["周岁", "岁"]) {
                Some((a, b)) => (age_min, age_max) = (a, b),
                None => row.invalid(Field::Age, "an age range such as 18-45"),
            }
        }
        age_min = row.number(Field::AgeMin, "an age").or(age_min);
        age_max = row.number(Field::AgeMax, "an age").or(age_max);
        let hours = match row.rec.get(Field::HoursType) {
            Some((_, v)) => {
                let h = HoursType::parse(v);
                if h.is_none() {
                    row.invalid(
                        Field::HoursType,
                        "an hours type (全职, 兼职, 灵活就业, 零工 / full-time, part-time, flexible, gig)",
                    );
                }
                h
            }
            // A column named `hours` in a postings file usually holds the hours type.
            None => row
                .rec
                .get(Field::OpeningHours)
                .and_then(|(_, v)| HoursType::parse(v)),
        };
        let posted = match row.rec.get(Field::Posted) {
            Some((_, v)) => {
                let d = iso_date(v);
                if d.is_none() {
                    row.invalid(Field::Posted, "a date such as 2024-05-03");
                }
                d
            }
            None => None,
        };
        let age = |v: Option<f64>| v.filter(|a| *a <= 150.0).map(|a| a.round() as u32);
        let item = Posting {
            id: id.clone(),
            title: title.unwrap_or_default(),
            employer: row.text(Field::Employer),
            pos_wgs84: pos.unwrap_or(LonLat::new(0.0, 0.0)),
            category: row.text(Field::Category),
            pay_min,
            pay_max,
            hours,
            education: row.text(Field::Education),
            age_min: age(age_min),
            age_max: age(age_max),
            skills: row.list(Field::Skills),
            posted,
            station_id: row.text(Field::StationId),
        };
        let unique = self.unique(Layer::Postings, &id, row);
        let ok = unique && !row.failed && pos.is_some();
        if ok {
            self.data.postings.push(item);
        }
        ok
    }

    fn demand(&mut self, row: &mut Row<'_, '_, '_>) -> bool {
        let pos = row.point(Layer::Demand);
        let id = row.id();
        let weight = match row.rec.get(Field::Weight) {
            None => {
                row.problem(
                    Severity::Error,
                    None,
                    ProblemKind::MissingField {
                        what: "population weight".to_owned(),
                    },
                );
                None
            }
            Some((k, v)) => {
                let (k, v) = (k.to_owned(), v.to_owned());
                match parse_count(&v) {
                    None => {
                        row.problem(
                            Severity::Error,
                            Some(&k),
                            ProblemKind::NotANumber { value: v },
                        );
                        None
                    }
                    Some(w) if !w.is_finite() || w < 0.0 => {
                        row.problem(
                            Severity::Error,
                            Some(&k),
                            ProblemKind::InvalidWeight { value: v },
                        );
                        None
                    }
                    Some(w) => Some(w),
                }
            }
        };
        let community = row.text(Field::Community);
        let unique = self.unique(Layer::Demand, &id, row);
        match (pos, weight) {
            (Some(pos_wgs84), Some(weight)) if unique && !row.failed => {
                self.data.demand.push(DemandPoint {
                    id,
                    pos_wgs84,
                    weight,
                    community,
                });
                true
            }
            _ => false,
        }
    }

    fn candidate(&mut self, row: &mut Row<'_, '_, '_>) -> bool {
        let pos = row.point(Layer::Candidates);
        let id = row.id();
        let item = Candidate {
            id: id.clone(),
            name: row.text(Field::Name),
            host_type: row.text(Field::HostType),
            pos_wgs84: pos.unwrap_or(LonLat::new(0.0, 0.0)),
        };
        let unique = self.unique(Layer::Candidates, &id, row);
        let ok = unique && !row.failed && pos.is_some();
        if ok {
            self.data.candidates.push(item);
        }
        ok
    }

    fn community(&mut self, row: &mut Row<'_, '_, '_>) -> bool {
        let boundary = match &row.rec.geom {
            Geom::Polygons(mp) => Some(mp.clone()),
            Geom::None => None,
            Geom::Invalid => {
                row.failed = true;
                None
            }
            Geom::Points(_) => {
                if !self.community_point_noted {
                    self.community_point_noted = true;
                    row.problem(
                        Severity::Info,
                        Some("geometry"),
                        ProblemKind::GeometryIgnored {
                            found: "Point".to_owned(),
                            layer: Layer::Communities.id().to_owned(),
                        },
                    );
                }
                None
            }
            Geom::Lines(_) => {
                let found = row.rec.geom.type_name().to_owned();
                row.problem(
                    Severity::Error,
                    Some("geometry"),
                    ProblemKind::WrongGeometry {
                        found,
                        layer: Layer::Communities.id().to_owned(),
                        expected: "a Polygon or MultiPolygon".to_owned(),
                    },
                );
                None
            }
        };
        let name = match row.text(Field::Name) {
            Some(n) => Some(n),
            None => row.required_text(Field::Community, "name"),
        };
        let mut code = row.text(Field::Code);
        if let Some(c) = &code
            && !division_code(c)
        {
            row.invalid(Field::Code, "a division code (6, 9 or 12 digits)");
            code = None;
        }
        let mut parent_code = row.text(Field::ParentCode);
        if let Some(c) = &parent_code
            && !division_code(c)
        {
            row.invalid(Field::ParentCode, "a division code");
            parent_code = None;
        }
        let population = row.number(Field::Weight, "a population (a number ≥ 0)");
        let Some(name) = name else { return false };
        let key = match (&code, &parent_code) {
            (Some(c), _) => c.clone(),
            (None, Some(p)) => format!("{p}/{name}"),
            (None, None) => name.clone(),
        };
        let unique = self.unique(Layer::Communities, &key, row);
        let ok = unique && !row.failed;
        if ok {
            self.data.communities.push(Community {
                code,
                name,
                parent_code,
                population,
                boundary_wgs84: boundary,
            });
        }
        ok
    }

    fn street(&mut self, row: &mut Row<'_, '_, '_>) -> bool {
        let lines = match &row.rec.geom {
            Geom::Lines(l) => Some(l.clone()),
            Geom::Invalid => {
                row.failed = true;
                None
            }
            Geom::None => {
                row.problem(Severity::Error, None, ProblemKind::MissingCoordinate);
                None
            }
            g => {
                let found = g.type_name().to_owned();
                row.problem(
                    Severity::Error,
                    Some("geometry"),
                    ProblemKind::WrongGeometry {
                        found,
                        layer: Layer::Streets.id().to_owned(),
                        expected: "a LineString or MultiLineString".to_owned(),
                    },
                );
                None
            }
        };
        let id = row.id();
        let highway = row.text(Field::Highway);
        let foot = row.text(Field::Foot);
        let access = row.text(Field::Access);
        let area = row.text(Field::Area);
        let service = row.text(Field::Service);
        let name = row.text(Field::Name);
        let unique = self.unique(Layer::Streets, &id, row);
        let Some(lines) = lines.filter(|_| unique && !row.failed) else {
            return false;
        };
        let many = lines.len() > 1;
        for (k, coords_wgs84) in lines.into_iter().enumerate() {
            self.data.streets.push_street(&Street {
                id: if many {
                    format!("{id}#{k}")
                } else {
                    id.clone()
                },
                coords_wgs84,
                highway: highway.clone(),
                foot: foot.clone(),
                access: access.clone(),
                name: name.clone(),
                area: area.clone(),
                service: service.clone(),
            });
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        let pay = ["元/月", "元"];
        assert_eq!(range("4000-6000", &pay), Some((Some(4000.0), Some(6000.0))));
        assert_eq!(
            range("4k~6k元/月", &pay),
            Some((Some(4000.0), Some(6000.0)))
        );
        assert_eq!(range("1.2万", &pay), Some((Some(12_000.0), Some(12_000.0))));
        assert_eq!(range("5000以上", &pay), Some((Some(5000.0), None)));
        assert_eq!(range("面议", &pay), Some((None, None)));
        assert_eq!(range("lots", &pay), None);
        assert_eq!(range("45岁以下", &["岁"]), Some((None, Some(45.0))));
    }

    #[test]
    fn dates() {
        assert_eq!(iso_date("2024/5/3"), Some("2024-05-03".to_owned()));
        assert_eq!(iso_date("2024年5月3日"), Some("2024-05-03".to_owned()));
        assert_eq!(iso_date("2024-02-30"), None);
        assert_eq!(
            iso_date("2024-05-03 10:00:00"),
            Some("2024-05-03".to_owned())
        );
        assert_eq!(iso_date("45415"), Some("2024-05-03".to_owned()));
        assert_eq!(iso_date("soon"), None);
    }

    #[test]
    fn hours_types() {
        assert_eq!(HoursType::parse("全职"), Some(HoursType::FullTime));
        assert_eq!(HoursType::parse("Part-time"), Some(HoursType::PartTime));
        assert_eq!(HoursType::parse("灵活就业"), Some(HoursType::Flexible));
        assert_eq!(HoursType::parse("零工"), Some(HoursType::Gig));
        assert_eq!(HoursType::parse("9:00-17:00"), None);
    }
}
