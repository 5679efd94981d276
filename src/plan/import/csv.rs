//! CSV (and TSV) text → [`Record`]s.
//!
//! - A header row is required; column names go through [`field_for`] (Chinese or English).
//!   A first row that holds only numbers is reported as a missing header.
//! - The delimiter is sniffed from the header line (outside quotes): the most frequent of
//!   comma, tab and semicolon; comma on a tie. Quoted fields (RFC 4180, `""` escapes, embedded
//!   delimiters and line breaks) are handled by the `csv` crate in flexible mode, so a ragged
//!   row is a warning, not a failure.
//! - Row numbers are the ones a spreadsheet shows: the header is row 1, a blank line is a row,
//!   and a quoted field that spans lines still counts as one row ([`RowCounter`]).
//! - Coordinates come from longitude + latitude columns, or from one `location` column holding
//!   `lon,lat` (as 高德 exports). Each is checked ([`super::coords::check`]) and converted to
//!   WGS-84 per [`CrsResolver`].
//! - Rows containing U+FFFD from a failed decode are rejected with an encoding error that names
//!   the row. Blank rows are skipped and counted.
//!
//! Streaming: one row is alive at a time. O(bytes).

use std::borrow::Cow;
use std::collections::BTreeMap;

use crate::plan::crs::Crs;

use super::Options;
use super::columns::{Field, LAT_NAMES, LON_NAMES, field_for};
use super::coords::parse_number;
use super::record::{CrsResolver, Geom, Record, checked_point};
use super::report::{Location, ProblemKind, Report, Severity};

/// A CSV file whose header has been read.
#[derive(Debug)]
pub struct CsvSource<'t> {
    text: &'t str,
    /// The reader, positioned after the header (building one is costly: csv-core compiles a
    /// DFA, so there is exactly one per file).
    /// `None` once [`CsvSource::for_each`] has consumed it.
    rdr: Option<csv::Reader<&'t [u8]>>,
    rows: RowCounter,
    headers: Vec<String>,
    /// The column used for each field (the first one that maps to it).
    cols: BTreeMap<Field, usize>,
    hint: Option<Crs>,
    had_decode_errors: bool,
}

/// The most frequent of `,`, tab and `;` in the first line outside quotes (comma on a tie).
pub fn sniff_delimiter(text: &str) -> u8 {
    let (mut comma, mut tab, mut semi) = (0usize, 0usize, 0usize);
    let mut quoted = false;
    for b in text.bytes() {
        match b {
            b'"' => quoted = !quoted,
            b'\n' | b'\r' if !quoted => break,
            b',' if !quoted => comma += 1,
            b'\t' if !quoted => tab += 1,
            b';' if !quoted => semi += 1,
            _ => {}
        }
    }
    if tab > comma && tab >= semi {
        b'\t'
    } else if semi > comma && semi > tab {
        b';'
    } else {
        b','
    }
}

/// Spreadsheet row numbers for records in reading order.
///
/// The `csv` crate skips blank lines and reports a record's start as the byte after the
/// previous record's first terminator byte, so the row of a record is the previous row + 1 +
/// the blank lines between that point and the record's first byte. Line breaks inside quoted
/// fields are part of their record and never count.
#[derive(Debug, Default)]
pub struct RowCounter {
    row: u64,
}

impl RowCounter {
    /// The row of the record whose reported start byte is `start`.
    pub fn next(&mut self, text: &str, start: u64) -> u64 {
        let b = text.as_bytes();
        let mut i = usize::try_from(start).unwrap_or(usize::MAX).min(b.len());
        // Finish a CRLF whose CR ended the previous record.
        if i > 0 && b.get(i - 1) == Some(&b'\r') && b.get(i) == Some(&b'\n') {
            i += 1;
        }
        let mut blank = 0u64;
        while let Some(&c) = b.get(i) {
            match c {
                b'\n' => blank += 1,
                b'\r' if b.get(i + 1) != Some(&b'\n') => blank += 1,
                b'\r' => {}
                _ => break,
            }
            i += 1;
        }
        self.row += 1 + blank;
        self.row
    }

    /// The last row handed out (0 before the first).
    pub fn current(&self) -> u64 {
        self.row
    }
}

fn reader(text: &str, delimiter: u8) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes())
}

fn delimiter_name(d: u8) -> &'static str {
    match d {
        b'\t' => "tab",
        b';' => "semicolon",
        _ => "comma",
    }
}

impl<'t> CsvSource<'t> {
    /// Reads the header. Returns `None` (with the reason in `report`) when the file cannot be
    /// read as CSV at all.
    pub fn open(text: &'t str, had_decode_errors: bool, report: &mut Report) -> Option<Self> {
        let delimiter = sniff_delimiter(text);
        let mut rdr = reader(text, delimiter);
        let mut header = csv::StringRecord::new();
        match rdr.read_record(&mut header) {
            Ok(true) => {}
            Ok(false) => {
                report.add_file(Severity::Error, ProblemKind::EmptyFile);
                return None;
            }
            Err(e) => {
                report.add(
                    Severity::Error,
                    Location::Row(1),
                    None,
                    ProblemKind::MalformedCsv {
                        message: e.to_string(),
                    },
                );
                return None;
            }
        }
        let mut rows = RowCounter::default();
        rows.next(text, header.position().map_or(0, csv::Position::byte));
        let headers: Vec<String> = header.iter().map(|h| h.trim().to_owned()).collect();
        let mut cols = BTreeMap::new();
        let mut hint = None;
        let mut ignored = Vec::new();
        for (i, h) in headers.iter().enumerate() {
            let (field, crs) = field_for(h);
            match field {
                Some(f) => {
                    if let Some(&first) = cols.get(&f) {
                        report.add(
                            Severity::Warning,
                            Location::Row(1),
                            Some(h),
                            ProblemKind::DuplicateColumn {
                                what: f.describe().to_owned(),
                                first: headers.get(first).cloned().unwrap_or_default(),
                                second: h.clone(),
                            },
                        );
                    } else {
                        cols.insert(f, i);
                        hint = hint.or(crs);
                    }
                }
                None if !h.is_empty() => ignored.push(h.clone()),
                None => {}
            }
        }
        if cols.is_empty() && headers.iter().any(|h| parse_number(h).is_some()) {
            report.add(
                Severity::Error,
                Location::Row(1),
                None,
                ProblemKind::NoHeader,
            );
            return None;
        }
        report.add_file(
            Severity::Info,
            ProblemKind::Detected {
                what: format!(
                    "CSV, {} columns, {}-delimited",
                    headers.len(),
                    delimiter_name(delimiter)
                ),
            },
        );
        if !ignored.is_empty() {
            let mut list: Vec<String> = ignored.iter().take(20).cloned().collect();
            if ignored.len() > 20 {
                list.push(format!("… ({} more)", ignored.len() - 20));
            }
            report.add(
                Severity::Info,
                Location::Row(1),
                None,
                ProblemKind::IgnoredColumns {
                    columns: list.join(", "),
                },
            );
        }
        Some(Self {
            text,
            rdr: Some(rdr),
            rows,
            headers,
            cols,
            hint,
            had_decode_errors,
        })
    }

    /// The fields the header provides.
    pub fn fields(&self) -> impl Iterator<Item = Field> + '_ {
        self.cols.keys().copied()
    }

    /// True when rows can carry a position (longitude + latitude, or a location column).
    pub fn has_position_columns(&self) -> bool {
        (self.cols.contains_key(&Field::Lon) && self.cols.contains_key(&Field::Lat))
            || self.cols.contains_key(&Field::Location)
    }

    /// The error to report when a layer needs positions and the header has none.
    pub fn missing_position_problem(&self) -> ProblemKind {
        let what = match (
            self.cols.contains_key(&Field::Lon),
            self.cols.contains_key(&Field::Lat),
        ) {
            (true, false) => ("latitude", LAT_NAMES.to_owned()),
            (false, true) => ("longitude", LON_NAMES.to_owned()),
            _ => (
                "coordinate",
                format!("{LON_NAMES} with {LAT_NAMES}, or location"),
            ),
        };
        ProblemKind::MissingColumn {
            what: what.0.to_owned(),
            expected: what.1,
        }
    }

    /// The coordinate-system hint carried by the header, if any.
    pub fn hint(&self) -> Option<Crs> {
        self.hint
    }

    fn header(&self, f: Field) -> Option<&str> {
        self.cols
            .get(&f)
            .and_then(|&i| self.headers.get(i))
            .map(String::as_str)
    }

    /// Reads every data row and hands each to `sink` (once; a second call reads nothing).
    pub fn for_each(
        &mut self,
        opts: &Options,
        resolver: &mut CrsResolver,
        report: &mut Report,
        sink: &mut dyn FnMut(Record<'_>, &mut Report),
    ) {
        let Some(mut rdr) = self.rdr.take() else {
            return;
        };
        let mut rows = std::mem::take(&mut self.rows);
        let mut row = csv::StringRecord::new();
        let mut records = 1u64; // the header
        let mut blank = 0usize;
        let odd_quotes = self.text.bytes().filter(|&b| b == b'"').count() % 2 == 1;
        loop {
            match rdr.read_record(&mut row) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => {
                    let loc = Location::Row(rows.current() + 1);
                    report.add(
                        Severity::Error,
                        loc,
                        None,
                        ProblemKind::MalformedCsv {
                            message: e.to_string(),
                        },
                    );
                    break;
                }
            }
            let start = row.position().map_or(0, csv::Position::byte);
            let row_no = rows.next(self.text, start);
            records += 1;
            let multiline = row.iter().any(|f| f.contains(['\n', '\r']));
            if row.iter().all(|f| f.trim().is_empty()) {
                blank += 1;
                continue;
            }
            let mut rec = Record::new(Location::Row(row_no));
            if odd_quotes && multiline && rdr.is_done() {
                rec.note(
                    Severity::Error,
                    None,
                    ProblemKind::MalformedCsv {
                        message: "a quoted field starting in this row is never closed, so the rest of the file was read into it".to_owned(),
                    },
                );
            }
            if row.len() != self.headers.len() {
                rec.note(
                    Severity::Warning,
                    None,
                    ProblemKind::RaggedRow {
                        expected: self.headers.len(),
                        found: row.len(),
                    },
                );
            }
            if self.had_decode_errors
                && let Some(i) = row.iter().position(|f| f.contains('\u{fffd}'))
            {
                rec.note(
                    Severity::Error,
                    self.headers.get(i).map(String::as_str),
                    ProblemKind::Undecodable,
                );
            }
            for (&f, &i) in &self.cols {
                if let (Some(v), Some(h)) = (row.get(i), self.headers.get(i)) {
                    rec.values.push((f, h.as_str(), Cow::Borrowed(v.trim())));
                }
            }
            self.position(&row, &mut rec, opts, resolver, report);
            sink(rec, report);
        }
        // Blank lines the reader skipped, plus rows of empty cells.
        let skipped = rows.current().saturating_sub(records);
        let blank = blank + usize::try_from(skipped).unwrap_or(usize::MAX);
        if blank > 0 {
            report.add_file(Severity::Info, ProblemKind::BlankRows { count: blank });
        }
    }

    /// Reads, checks and converts the row's position into `rec.geom`.
    fn position(
        &self,
        row: &csv::StringRecord,
        rec: &mut Record<'_>,
        opts: &Options,
        resolver: &mut CrsResolver,
        report: &mut Report,
    ) {
        // Cells are read from `row` (not `rec`) so that `rec` stays free for notes.
        let cell = |f: Field| -> Option<(&str, &str)> {
            let i = *self.cols.get(&f)?;
            let v = row.get(i)?.trim();
            let h = self.headers.get(i)?;
            (!v.is_empty()).then_some((h.as_str(), v))
        };
        let crs_value = cell(Field::Crs);
        let (lon_s, lat_s, lon_h, lat_h) = match (cell(Field::Lon), cell(Field::Lat)) {
            (Some((lk, lv)), Some((ak, av))) => (lv, av, lk, ak),
            (lon, lat) if lon.is_some() || lat.is_some() => {
                let missing = if lon.is_none() {
                    self.header(Field::Lon)
                } else {
                    self.header(Field::Lat)
                };
                rec.note(Severity::Error, missing, ProblemKind::MissingCoordinate);
                rec.geom = Geom::Invalid;
                return;
            }
            _ => {
                let Some((k, v)) = cell(Field::Location) else {
                    rec.geom = Geom::None;
                    return;
                };
                let parts: Vec<&str> = v
                    .split([',', '，', ' ', ';'])
                    .filter(|s| !s.trim().is_empty())
                    .collect();
                if let [a, b] = parts[..] {
                    (a, b, k, k)
                } else {
                    rec.note(
                        Severity::Error,
                        Some(k),
                        ProblemKind::NotANumber {
                            value: v.to_owned(),
                        },
                    );
                    rec.geom = Geom::Invalid;
                    return;
                }
            }
        };
        let lon = parse_number(lon_s);
        let lat = parse_number(lat_s);
        if lon.is_none() {
            rec.note(
                Severity::Error,
                Some(lon_h),
                ProblemKind::NotANumber {
                    value: lon_s.to_owned(),
                },
            );
        }
        if lat.is_none() {
            rec.note(
                Severity::Error,
                Some(lat_h),
                ProblemKind::NotANumber {
                    value: lat_s.to_owned(),
                },
            );
        }
        let (Some(lon), Some(lat)) = (lon, lat) else {
            rec.geom = Geom::Invalid;
            return;
        };
        let field = if lat.is_finite() && lat.abs() <= 90.0 {
            lon_h
        } else {
            lat_h
        };
        let Some(crs) = resolver.for_record(crs_value, rec, report) else {
            rec.geom = Geom::Invalid;
            return;
        };
        rec.geom = match checked_point(lon, lat, crs, opts, resolver, rec, Some(field)) {
            Some(p) => Geom::Points(vec![p]),
            None => Geom::Invalid,
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> (Vec<(Location, Geom)>, Report) {
        let mut report = Report::new("t.csv");
        let opts = Options::default();
        let mut out = Vec::new();
        if let Some(mut src) = CsvSource::open(text, false, &mut report) {
            let mut res = CrsResolver::new(&opts, src.hint(), &mut report);
            src.for_each(&opts, &mut res, &mut report, &mut |r, _| {
                out.push((r.loc, r.geom.clone()));
            });
        }
        (out, report)
    }

    #[test]
    fn sniffs_delimiters() {
        assert_eq!(sniff_delimiter("a,b,c\n1\t2"), b',');
        assert_eq!(sniff_delimiter("a\tb\tc\n"), b'\t');
        assert_eq!(sniff_delimiter("a;b;c"), b';');
        assert_eq!(sniff_delimiter("\"a,b\";c;d"), b';');
        assert_eq!(sniff_delimiter("single"), b',');
    }

    #[test]
    fn spreadsheet_row_numbers_survive_multiline_quotes_and_blank_lines() {
        let text = "name,lon,lat\n\"two\nlines\",120.1,36.1\n\nc,120.2,36.2\n";
        let (rows, report) = read(text);
        let locs: Vec<Location> = rows.iter().map(|r| r.0).collect();
        // Row 2 spans two lines; the blank line is row 3; `c` is row 4 in a spreadsheet.
        assert_eq!(locs, vec![Location::Row(2), Location::Row(4)]);
        assert!(
            report
                .problems
                .iter()
                .any(|p| p.kind == ProblemKind::BlankRows { count: 1 })
        );
    }

    #[test]
    fn row_numbers_with_crlf_and_several_blank_lines() {
        let text = "name,lon,lat\r\na,120.1,36.1\r\n\r\n\r\nb,120.2,36.2\r\n,,\r\nc,120.3,36.3";
        let (rows, report) = read(text);
        let locs: Vec<Location> = rows.iter().map(|r| r.0).collect();
        assert_eq!(
            locs,
            vec![Location::Row(2), Location::Row(5), Location::Row(7)]
        );
        assert!(
            report
                .problems
                .iter()
                .any(|p| p.kind == ProblemKind::BlankRows { count: 3 })
        );
    }

    #[test]
    fn location_column_and_missing_header() {
        let (rows, _) = read("name,location\na,\"120.38,36.07\"\n");
        assert_eq!(
            rows[0].1,
            Geom::Points(vec![crate::plan::geom::LonLat::new(120.38, 36.07)])
        );
        let (rows, report) = read("120.38,36.07\n120.1,36.1\n");
        assert!(rows.is_empty());
        assert_eq!(report.problems[0].kind, ProblemKind::NoHeader);
    }
}
