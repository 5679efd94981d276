//! The collect-all validation report every importer returns.
//!
//! An import never stops at the first problem: every bad row or feature is recorded as a
//! [`Problem`] with its file, [`Location`] (spreadsheet row number — the header is row 1, the
//! first data row is row 2 — or GeoJSON feature index), field and a typed [`ProblemKind`] whose
//! `Display` is the message a user reads. Valid records still load. A record with an
//! [`Severity::Error`] problem is *rejected* (not loaded); warnings mark values that were
//! dropped, repaired or look suspicious; infos describe what the importer decided (encoding,
//! delimiter, coordinate conversion).
//!
//! Memory is bounded: after [`Report::max_problems`] problems, further ones are only counted
//! ([`Report::omitted`]).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::plan::geom::LonLat;

/// How serious a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// What the importer decided (encoding, delimiter, conversion); nothing is wrong.
    Info,
    /// The record loaded, but a value was dropped, repaired or looks suspicious.
    Warning,
    /// The record (or, at file level, the whole file) was rejected.
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// Where in a file a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Location {
    /// The file as a whole.
    File,
    /// A CSV row as a spreadsheet numbers it (header = 1, first data row = 2).
    Row(u64),
    /// A GeoJSON feature, by its 0-based index in `features` (0 for a bare Feature or geometry).
    Feature(usize),
    /// A position in the text (1-based line and column), for syntax errors.
    Text {
        /// Line, from 1.
        line: usize,
        /// Column, from 1.
        column: usize,
    },
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::File => Ok(()),
            Location::Row(r) => write!(f, "{r}"),
            Location::Feature(i) => write!(f, "feature {i}"),
            Location::Text { line, column } => write!(f, "line {line} column {column}"),
        }
    }
}

/// Formats a position for messages.
struct Pos(LonLat);

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "({}, {})", self.0.lon, self.0.lat)
    }
}

fn fmt_opt_pos(p: Option<&LonLat>) -> String {
    match p {
        Some(p) => format!(
            "; read as EPSG:3857 Web Mercator they would be lon/lat {}",
            Pos(*p)
        ),
        None => String::new(),
    }
}

/// What is wrong. The `Display` text is the message shown to users.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum ProblemKind {
    /// The file could not be read (an I/O error in the caller).
    #[error("cannot read the file: {message}")]
    Unreadable {
        /// The system's message.
        message: String,
    },
    /// The file has no content (or only whitespace / a byte-order mark).
    #[error("the file is empty")]
    EmptyFile,
    /// The file is larger than the configured limit.
    #[error("the file is {size} bytes, over the {limit}-byte limit (raise the limit to load it)")]
    TooLarge {
        /// File size in bytes.
        size: u64,
        /// Configured limit in bytes.
        limit: u64,
    },
    /// Neither the name nor the content says whether the file is CSV or GeoJSON.
    #[error("cannot tell the format: expected a .csv/.tsv/.txt or .geojson/.json file")]
    UnknownFormat,
    /// The text was not UTF-8 and was decoded with another encoding.
    #[error("the file is not UTF-8; decoded it as {encoding}")]
    DecodedAs {
        /// The encoding used.
        encoding: String,
    },
    /// Bytes that no supported encoding could decode.
    #[error(
        "wrong encoding: the text contains bytes that are neither UTF-8 nor GB18030/GBK (shown as \u{fffd}); re-save the file as UTF-8"
    )]
    Undecodable,
    /// JSON syntax error.
    #[error("malformed JSON: {message}")]
    MalformedJson {
        /// The parser's message.
        message: String,
    },
    /// CSV syntax error.
    #[error("malformed CSV: {message}")]
    MalformedCsv {
        /// The parser's message.
        message: String,
    },
    /// A JSON document that is not GeoJSON.
    #[error("not GeoJSON: {found}")]
    NotGeoJson {
        /// What was found instead.
        found: String,
    },
    /// A GeoJSON `crs` member naming something other than WGS-84.
    #[error(
        "the file declares coordinate system {crs:?}; GeoJSON (RFC 7946) must be WGS-84 longitude/latitude — reproject it to EPSG:4326 first (e.g. ogr2ogr -t_srs EPSG:4326)"
    )]
    UnsupportedCrs {
        /// The declared system.
        crs: String,
    },
    /// A required column is missing.
    #[error("no {what} column; expected one of: {expected}")]
    MissingColumn {
        /// What the column holds.
        what: String,
        /// Accepted header names.
        expected: String,
    },
    /// The first row looks like data rather than a header.
    #[error(
        "the first row looks like data, not a header; add a header row (for example: name,lon,lat)"
    )]
    NoHeader,
    /// Column names that were not recognised and are ignored.
    #[error("ignored columns: {columns}")]
    IgnoredColumns {
        /// The column names.
        columns: String,
    },
    /// Two columns mean the same thing; the first is used.
    #[error("columns {first:?} and {second:?} both give the {what}; using {first:?}")]
    DuplicateColumn {
        /// What both columns hold.
        what: String,
        /// The column used.
        first: String,
        /// The column ignored.
        second: String,
    },
    /// A row with a different number of fields than the header.
    #[error("the row has {found} fields but the header has {expected}")]
    RaggedRow {
        /// Header width.
        expected: usize,
        /// This row's width.
        found: usize,
    },
    /// Blank rows were skipped.
    #[error("skipped {count} blank rows")]
    BlankRows {
        /// How many.
        count: usize,
    },
    /// A record without a usable position.
    #[error("missing coordinate")]
    MissingCoordinate,
    /// A value that should be a number is not.
    #[error("{value:?} is not a number")]
    NotANumber {
        /// The value as written.
        value: String,
    },
    /// NaN or infinity.
    #[error("{value:?} is not a finite number")]
    NotFinite {
        /// The value as written.
        value: String,
    },
    /// A longitude/latitude out of range, with no better explanation.
    #[error("coordinate {} is out of range (longitude must be within ±180, latitude within ±90)", Pos(LonLat::new(*lon, *lat)))]
    OutOfRange {
        /// Longitude as read.
        lon: f64,
        /// Latitude as read.
        lat: f64,
    },
    /// Longitude and latitude are evidently swapped (the swapped point is in China).
    #[error("longitude and latitude look swapped: read lon {lon}, lat {lat}, which is {}; swapped it is {} in China — exchange the longitude and latitude columns{}", if (-90.0..=90.0).contains(lat) { "outside China" } else { "impossible (|latitude| > 90)" }, Pos(LonLat::new(*lat, *lon)), if *fixed { " (swapped back on import)" } else { "" })]
    SwappedLatLon {
        /// Longitude as read.
        lon: f64,
        /// Latitude as read.
        lat: f64,
        /// True when the importer swapped them back (option `fix_swapped`).
        fixed: bool,
    },
    /// A valid position that may have longitude and latitude swapped.
    #[error("longitude and latitude may be swapped: {} is outside China but {} is inside", Pos(LonLat::new(*lon, *lat)), Pos(LonLat::new(*lat, *lon)))]
    PossiblySwapped {
        /// Longitude as read.
        lon: f64,
        /// Latitude as read.
        lat: f64,
    },
    /// The position (0, 0), almost always a placeholder for a missing value.
    #[error("coordinate (0, 0) is a placeholder, not a real position")]
    NullIsland,
    /// Values far outside degree ranges: projected coordinates in metres.
    #[error("coordinate ({x}, {y}) looks projected (metres, e.g. EPSG:3857 Web Mercator or a CGCS2000 Gauss–Krüger zone), not longitude/latitude degrees{}", fmt_opt_pos(as_web_mercator.as_ref()))]
    Projected {
        /// First value as read.
        x: f64,
        /// Second value as read.
        y: f64,
        /// What the values would be if they were EPSG:3857, when that lands on Earth.
        as_web_mercator: Option<LonLat>,
    },
    /// Coordinates were converted to WGS-84.
    #[error("converted {count} positions from {from} to WGS-84")]
    Converted {
        /// The source system label.
        from: String,
        /// How many records.
        count: usize,
    },
    /// A coordinate-system value that is not understood.
    #[error("unknown coordinate system {value:?} (expected wgs84, gcj02 or bd09)")]
    UnknownCrs {
        /// The value as written.
        value: String,
    },
    /// The data says one coordinate system and the options another.
    #[error("the file says {found} but the import option says {chosen}; using {chosen}")]
    CrsConflict {
        /// What the data says.
        found: String,
        /// What was used.
        chosen: String,
    },
    /// A category that maps to none of ours.
    #[error(
        "unknown category {value:?} (expected an id such as store, breakfast, market, repair, elderly, childcare, pharmacy …, a Chinese name such as 便利店, 早餐, 菜市场, or a POI type such as 购物服务;便民商店/便利店)"
    )]
    UnknownCategory {
        /// The value as written.
        value: String,
    },
    /// A facility without a category (and no fixed category option).
    #[error("missing category (add a category column or pass a fixed category)")]
    MissingCategory,
    /// The same id appears twice in one layer.
    #[error("duplicate id {id:?} (first seen at {first}); this record was not loaded")]
    DuplicateId {
        /// The id.
        id: String,
        /// Where it was first seen.
        first: String,
    },
    /// No id given; one was generated.
    #[error("no id; generated {id:?}")]
    GeneratedId {
        /// The generated id.
        id: String,
    },
    /// A required field is empty or absent.
    #[error("missing {what}")]
    MissingField {
        /// What is missing.
        what: String,
    },
    /// An optional value that could not be read; it was left empty.
    #[error("{value:?} is not {expected}; left empty")]
    InvalidValue {
        /// The value as written.
        value: String,
        /// What was expected.
        expected: String,
    },
    /// A population weight that is negative, NaN or infinite.
    #[error("population weight must be a finite number ≥ 0, got {value:?}")]
    InvalidWeight {
        /// The value as written.
        value: String,
    },
    /// A capacity (places, beds, staff, daily visits) that is not a finite number ≥ 0.
    #[error("capacity must be a finite number ≥ 0, got {value:?}")]
    InvalidCapacity {
        /// The value as written.
        value: String,
    },
    /// A polygon ring whose last position is not its first.
    #[error("ring {ring} of polygon {polygon} is not closed: it starts at {} and ends at {}", Pos(*first), Pos(*last))]
    UnclosedRing {
        /// Polygon index within the (multi)polygon.
        polygon: usize,
        /// Ring index (0 = exterior).
        ring: usize,
        /// First position.
        first: LonLat,
        /// Last position.
        last: LonLat,
    },
    /// A geometry with too few positions.
    #[error("{what} has {count} positions; at least {min} are needed")]
    TooFewPositions {
        /// What geometry part.
        what: String,
        /// Positions found.
        count: usize,
        /// Minimum.
        min: usize,
    },
    /// A malformed geometry.
    #[error("invalid geometry: {message}")]
    InvalidGeometry {
        /// What is wrong.
        message: String,
    },
    /// A geometry of a type this layer cannot hold.
    #[error("{found} geometry cannot be a {layer} record (expected {expected})")]
    WrongGeometry {
        /// The geometry type found.
        found: String,
        /// The layer.
        layer: String,
        /// The expected geometry types.
        expected: String,
    },
    /// A geometry that the layer does not store was ignored.
    #[error("{found} geometry ignored: {layer} records do not store it")]
    GeometryIgnored {
        /// The geometry type.
        found: String,
        /// The layer.
        layer: String,
    },
    /// Control or bidirectional-override characters were removed from a text value.
    #[error("removed {count} control/invisible characters")]
    ControlCharacters {
        /// How many.
        count: usize,
    },
    /// A text value longer than the limit was truncated.
    #[error("text of {chars} characters truncated to {limit}")]
    Truncated {
        /// Original length in characters.
        chars: usize,
        /// The limit.
        limit: usize,
    },
    /// Text containing HTML markup; it is kept verbatim and must be shown as text.
    #[error("contains HTML markup; kept as plain text")]
    Markup,
    /// The layer could not be determined.
    #[error("cannot tell which layer this file holds ({hint}); pass the layer explicitly")]
    UnknownLayer {
        /// What was seen.
        hint: String,
    },
    /// The layer chosen automatically.
    #[error("loaded as layer {layer} ({reason})")]
    LayerGuessed {
        /// The layer id.
        layer: String,
        /// Why.
        reason: String,
    },
    /// The format and delimiter that were detected.
    #[error("{what}")]
    Detected {
        /// What was detected.
        what: String,
    },
    /// A package layer's file was not loaded (missing or not fetched).
    #[error("the file of this layer is missing or unreadable; the other layers were loaded")]
    FileNotLoaded,
    /// A package layer loaded another number of features than its manifest says.
    #[error("manifest says {expected} features, {loaded} loaded")]
    CountMismatch {
        /// The manifest's count.
        expected: usize,
        /// Features loaded.
        loaded: usize,
    },
    /// A layer entry of a package manifest that cannot be used (unknown `crs`, `kind` or
    /// `status`): that layer is left out, the others load.
    #[error("{entry}: {reason}; this layer was not loaded")]
    ManifestLayer {
        /// Which entry and field, e.g. `layers[2] (crs)`.
        entry: String,
        /// Why (the manifest reader's words).
        reason: String,
    },
    /// A problem in an OpenStreetMap extract (the OSM reader's message).
    #[error("{message}")]
    Osm {
        /// The OSM reader's message.
        message: String,
        /// The same in Chinese ([`crate::plan::osm::OsmProblem::zh`]); empty in answers
        /// stored before it existed.
        #[serde(default)]
        message_zh: String,
    },
}

/// One problem found while importing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Problem {
    /// The file name as given to the importer.
    pub file: String,
    /// Where in the file.
    pub location: Location,
    /// The column header or property key (or `geometry`), when the problem is in one field.
    pub field: Option<String>,
    /// How serious.
    pub severity: Severity,
    /// What is wrong.
    pub kind: ProblemKind,
}

impl fmt::Display for Problem {
    /// `severity: file:location:field: message`, leaving out empty parts.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.severity, self.file)?;
        if self.location != Location::File {
            write!(f, ":{}", self.location)?;
        }
        if let Some(field) = &self.field {
            write!(f, ":{field}")?;
        }
        write!(f, ": {}", self.kind)
    }
}

/// Default cap on stored problems per file.
pub const DEFAULT_MAX_PROBLEMS: usize = 10_000;

/// Everything an import found, plus counts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// The file name as given.
    pub file: String,
    /// Problems in the order found (at most [`Report::max_problems`]).
    pub problems: Vec<Problem>,
    /// Problems found after the cap was reached (counted, not stored).
    pub omitted: usize,
    /// Errors among the omitted problems.
    pub omitted_errors: usize,
    /// Records (data rows or features) read.
    pub records: usize,
    /// Records loaded.
    pub loaded: usize,
    /// Records rejected.
    pub rejected: usize,
    /// Cap on stored problems.
    pub max_problems: usize,
}

impl Report {
    /// An empty report for `file`.
    pub fn new(file: &str) -> Self {
        Self {
            file: file.to_owned(),
            problems: Vec::new(),
            omitted: 0,
            omitted_errors: 0,
            records: 0,
            loaded: 0,
            rejected: 0,
            max_problems: DEFAULT_MAX_PROBLEMS,
        }
    }

    /// Records a problem (or only counts it once the cap is reached).
    pub fn push(&mut self, p: Problem) {
        if self.problems.len() < self.max_problems {
            self.problems.push(p);
        } else {
            self.omitted += 1;
            if p.severity == Severity::Error {
                self.omitted_errors += 1;
            }
        }
    }

    /// Records a problem about the whole file (no row, no field).
    pub fn add_file(&mut self, severity: Severity, kind: ProblemKind) {
        self.add(severity, Location::File, None, kind);
    }

    /// Records a problem at `location`.
    pub fn add(
        &mut self,
        severity: Severity,
        location: Location,
        field: Option<&str>,
        kind: ProblemKind,
    ) {
        let p = Problem {
            file: self.file.clone(),
            location,
            field: field.map(str::to_owned),
            severity,
            kind,
        };
        self.push(p);
    }

    /// Number of problems of a severity (including omitted errors).
    pub fn count(&self, severity: Severity) -> usize {
        let stored = self
            .problems
            .iter()
            .filter(|p| p.severity == severity)
            .count();
        if severity == Severity::Error {
            stored + self.omitted_errors
        } else {
            stored
        }
    }

    /// True when anything was rejected: a record, or the file itself.
    pub fn has_errors(&self) -> bool {
        self.rejected > 0 || self.count(Severity::Error) > 0
    }

    /// The stored problems of one severity.
    pub fn of(&self, severity: Severity) -> impl Iterator<Item = &Problem> {
        self.problems.iter().filter(move |p| p.severity == severity)
    }

    /// A one-line summary: records read, loaded, rejected, and problem counts.
    pub fn summary(&self) -> String {
        let mut s = format!(
            "{}: {} records, {} loaded, {} rejected; {} errors, {} warnings",
            self.file,
            self.records,
            self.loaded,
            self.rejected,
            self.count(Severity::Error),
            self.count(Severity::Warning)
        );
        if self.omitted > 0 {
            s.push_str(" (");
            s.push_str(&self.omitted.to_string());
            s.push_str(" further problems not listed)");
        }
        s
    }
}

/// The result of importing one file: what loaded, and the report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Imported<T> {
    /// The valid records.
    pub items: T,
    /// Every problem found.
    pub report: Report,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_shows_file_row_field_message() {
        let mut r = Report::new("stations.csv");
        r.add(
            Severity::Error,
            Location::Row(5),
            Some("纬度"),
            ProblemKind::SwappedLatLon {
                lon: 36.07,
                lat: 120.38,
                fixed: false,
            },
        );
        let s = r.problems[0].to_string();
        assert!(s.starts_with("error: stations.csv:5:纬度: longitude and latitude look swapped"));
        assert!(s.contains("(120.38, 36.07) in China"), "{s}");
        r.add_file(Severity::Error, ProblemKind::EmptyFile);
        assert_eq!(
            r.problems[1].to_string(),
            "error: stations.csv: the file is empty"
        );
        assert!(r.has_errors());
    }

    #[test]
    fn cap_counts_omitted_errors() {
        let mut r = Report::new("f");
        r.max_problems = 1;
        for _ in 0..3 {
            r.add(
                Severity::Error,
                Location::Row(2),
                None,
                ProblemKind::MissingCoordinate,
            );
        }
        assert_eq!(r.problems.len(), 1);
        assert_eq!(r.omitted, 2);
        assert_eq!(r.count(Severity::Error), 3);
    }

    #[test]
    fn projected_message_names_web_mercator() {
        let k = ProblemKind::Projected {
            x: 13_400_000.0,
            y: 4_300_000.0,
            as_web_mercator: Some(LonLat::new(120.37, 36.07)),
        };
        let s = k.to_string();
        assert!(s.contains("EPSG:3857"), "{s}");
        assert!(s.contains("(120.37, 36.07)"), "{s}");
    }
}
