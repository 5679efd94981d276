//! Importers: CSV and GeoJSON files → model records, with a collect-all validation report.
//!
//! Every entry point takes a file name (for messages and format detection), the file's bytes
//! and [`Options`], and returns [`Imported`]: the records that are valid, and a [`Report`]
//! listing every problem with file, location (spreadsheet row — header = row 1 — or GeoJSON
//! feature index), field and message. Nothing panics on any input; a rejected record is always
//! reported, never silently dropped; duplicate ids are rejected and reported.
//!
//! - [`report`]: the report, problem kinds and severities.
//! - [`text`]: bytes → text (UTF-8 ± BOM, UTF-16, GB18030/GBK) and text cleaning.
//! - [`columns`]: Chinese/English column names and property keys → fields.
//! - [`coords`]: reading and checking one coordinate pair (NaN, range, swap, projected).
//! - [`record`]: the format-neutral record and the per-record coordinate-system choice.
//! - [`csv`]: CSV/TSV parsing with delimiter sniffing and spreadsheet row numbers.
//! - [`geojson`]: RFC 7946 parsing, ring checks, `crs` member checks.
//! - [`poi_types`]: Chinese POI type strings (高德 分类) → categories.
//! - [`layers`]: records → stations, facilities, postings, demand, candidates, communities,
//!   streets.
//! - [`convert`]: whole-file GCJ-02/BD-09/WGS-84 conversion for CSV and GeoJSON.
//!
//! ```
//! use shuangquan::plan::import::{import_stations, Options};
//! let csv = "名称,经度,纬度\n站点甲,120.38,36.07\n站点乙,36.07,120.38\n";
//! let got = import_stations("stations.csv", csv.as_bytes(), &Options::default());
//! assert_eq!(got.items.len(), 1);          // the valid row loads
//! assert_eq!(got.report.rejected, 1);      // the swapped one is rejected …
//! assert!(got.report.problems.iter().any(|p| p.to_string().starts_with("error: stations.csv:3:")));
//! ```

pub mod columns;
pub mod convert;
pub mod coords;
pub mod csv;
mod decoder;
pub mod geojson;
pub mod layers;
pub mod poi_types;
pub mod record;
pub mod report;
pub mod text;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::crs::Crs;
use super::model::{
    Candidate, Category, Community, DemandPoint, Facility, Posting, Station, Street,
};
use columns::Field;
use geojson::Families;
use layers::Builder;
use record::{CrsResolver, Geom};
pub use report::{Imported, Location, Problem, ProblemKind, Report, Severity};
use text::Encoding;

/// Default file-size limit: 200 MiB.
pub const DEFAULT_MAX_BYTES: u64 = 200 * 1024 * 1024;

/// A file format the importers read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// Comma-, tab- or semicolon-separated values with a header row.
    Csv,
    /// GeoJSON (RFC 7946).
    GeoJson,
}

impl Format {
    /// The format from the file extension, else from the content (`{`/`[` → GeoJSON; a first
    /// line with a delimiter → CSV).
    pub fn detect(file: &str, text: &str) -> Option<Format> {
        let lower = file.to_ascii_lowercase();
        if [".csv", ".tsv", ".txt", ".tab"]
            .iter()
            .any(|e| lower.ends_with(e))
        {
            return Some(Format::Csv);
        }
        if [".geojson", ".json", ".geojsonl"]
            .iter()
            .any(|e| lower.ends_with(e))
        {
            return Some(Format::GeoJson);
        }
        let t = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
        if t.starts_with(['{', '[']) {
            return Some(Format::GeoJson);
        }
        let first = t.lines().next().unwrap_or("");
        first.contains([',', '\t', ';']).then_some(Format::Csv)
    }
}

/// A layer of a data package.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Layer {
    /// 就享家 stations.
    Stations,
    /// Convenience facilities.
    Facilities,
    /// Job postings.
    Postings,
    /// Demand points (population).
    Demand,
    /// Candidate sites.
    Candidates,
    /// Communities and boundaries.
    Communities,
    /// Streets.
    Streets,
}

impl Layer {
    /// Every layer.
    pub const ALL: [Layer; 7] = [
        Layer::Stations,
        Layer::Facilities,
        Layer::Postings,
        Layer::Demand,
        Layer::Candidates,
        Layer::Communities,
        Layer::Streets,
    ];

    /// The stable id (`stations`, `facilities`, …).
    pub const fn id(self) -> &'static str {
        match self {
            Layer::Stations => "stations",
            Layer::Facilities => "facilities",
            Layer::Postings => "postings",
            Layer::Demand => "demand",
            Layer::Candidates => "candidates",
            Layer::Communities => "communities",
            Layer::Streets => "streets",
        }
    }

    /// True for layers whose records are points.
    pub const fn is_point_layer(self) -> bool {
        !matches!(self, Layer::Communities | Layer::Streets)
    }
}

impl fmt::Display for Layer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// A layer name that is not one of ours.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown layer {0:?} (expected stations, facilities, postings, demand, candidates, communities or streets)"
)]
pub struct UnknownLayer(pub String);

impl FromStr for Layer {
    type Err = UnknownLayer;

    /// Accepts the ids, their singular forms, and Chinese names (服务站, 设施, 岗位, 人口, 候选,
    /// 社区, 道路).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().to_lowercase();
        let l = match t.as_str() {
            "stations" | "station" | "服务站" | "站点" | "就享家" => Layer::Stations,
            "facilities" | "facility" | "poi" | "pois" | "设施" | "便民设施" => {
                Layer::Facilities
            }
            "postings" | "posting" | "jobs" | "job" | "岗位" | "招聘" => Layer::Postings,
            "demand" | "demand_points" | "population" | "人口" | "需求点" => Layer::Demand,
            "candidates" | "candidate" | "sites" | "候选" | "候选点" => Layer::Candidates,
            "communities" | "community" | "boundaries" | "社区" | "边界" => Layer::Communities,
            "streets" | "street" | "roads" | "道路" | "路网" => Layer::Streets,
            _ => return Err(UnknownLayer(s.trim().to_owned())),
        };
        Ok(l)
    }
}

/// Import options.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Options {
    /// The coordinate system of the input; `None` = from the data (a `crs`/`坐标系` column or
    /// property, a header such as `经度(GCJ-02)`, a GeoJSON `crs` member), else WGS-84.
    pub crs: Option<Crs>,
    /// Files larger than this are rejected without parsing.
    pub max_bytes: u64,
    /// A fixed category for every facility (overrides any category column).
    pub category: Option<Category>,
    /// Swap back evidently swapped longitude/latitude (with a warning) instead of rejecting.
    pub fix_swapped: bool,
    /// Cap on stored problems per file.
    pub max_problems: usize,
    /// Longer text values are truncated (with a warning).
    pub max_text_chars: usize,
    /// Force the format instead of detecting it.
    pub format: Option<Format>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            crs: None,
            max_bytes: DEFAULT_MAX_BYTES,
            category: None,
            fix_swapped: false,
            max_problems: report::DEFAULT_MAX_PROBLEMS,
            max_text_chars: 500,
            format: None,
        }
    }
}

impl Options {
    #[must_use]
    /// Options with an explicit input coordinate system.
    pub fn with_crs(mut self, crs: Crs) -> Self {
        self.crs = Some(crs);
        self
    }

    #[must_use]
    /// Options with a fixed facility category.
    pub fn with_category(mut self, category: Category) -> Self {
        self.category = Some(category);
        self
    }

    #[must_use]
    /// Options with a different size limit.
    pub fn with_max_bytes(mut self, max_bytes: u64) -> Self {
        self.max_bytes = max_bytes;
        self
    }

    #[must_use]
    /// Options that swap back evidently swapped coordinates.
    pub fn with_fix_swapped(mut self, fix: bool) -> Self {
        self.fix_swapped = fix;
        self
    }
}

/// Records of every layer, as loaded from one or more files.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Dataset {
    /// Stations.
    pub stations: Vec<Station>,
    /// Facilities.
    pub facilities: Vec<Facility>,
    /// Postings.
    pub postings: Vec<Posting>,
    /// Demand points.
    pub demand: Vec<DemandPoint>,
    /// Candidate sites.
    pub candidates: Vec<Candidate>,
    /// Communities.
    pub communities: Vec<Community>,
    /// Streets, in flat arrays (a city's streets without an owned value per way).
    pub streets: crate::plan::graph::StreetTable,
    /// Capacities given in the files (a `capacity` column or property), by layer and id.
    pub capacity: Capacity,
}

/// Capacities of stations and facilities (places, beds, staff, daily visits), by record id.
/// A record without one counts 1. Ids are unique within a file; across files the later one wins.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Capacity {
    /// Facility capacities by facility id.
    pub facilities: BTreeMap<String, f64>,
    /// Station capacities by station id.
    pub stations: BTreeMap<String, f64>,
}

impl Capacity {
    /// A facility's capacity (1 when none was given).
    pub fn facility(&self, id: &str) -> f64 {
        self.facilities.get(id).copied().unwrap_or(1.0)
    }

    /// A station's capacity (1 when none was given).
    pub fn station(&self, id: &str) -> f64 {
        self.stations.get(id).copied().unwrap_or(1.0)
    }

    /// Adds another file's capacities (its values win on equal ids).
    pub fn merge(&mut self, other: &Capacity) {
        self.facilities
            .extend(other.facilities.iter().map(|(k, v)| (k.clone(), *v)));
        self.stations
            .extend(other.stations.iter().map(|(k, v)| (k.clone(), *v)));
    }
}

impl Dataset {
    /// Number of records in a layer.
    pub fn count(&self, layer: Layer) -> usize {
        match layer {
            Layer::Stations => self.stations.len(),
            Layer::Facilities => self.facilities.len(),
            Layer::Postings => self.postings.len(),
            Layer::Demand => self.demand.len(),
            Layer::Candidates => self.candidates.len(),
            Layer::Communities => self.communities.len(),
            Layer::Streets => self.streets.len(),
        }
    }

    /// Total number of records.
    pub fn len(&self) -> usize {
        Layer::ALL.iter().map(|&l| self.count(l)).sum()
    }

    /// True when no layer has records.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Guesses the layer of point records from the file name, then from the fields present.
/// Returns the layer and a reason for the report.
pub fn guess_point_layer(file: &str, fields: &BTreeSet<Field>) -> Option<(Layer, String)> {
    let name = file
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(file)
        .to_lowercase();
    let by_name: [(&[&str], Layer); 7] = [
        (&["candidate", "候选"], Layer::Candidates),
        (&["posting", "job", "岗位", "招聘", "职位"], Layer::Postings),
        (
            &["demand", "population", "人口", "居民", "residen"],
            Layer::Demand,
        ),
        (&["station", "服务站", "就享家"], Layer::Stations),
        (
            &["facilit", "poi", "设施", "便民", "amenit"],
            Layer::Facilities,
        ),
        (
            &["communit", "社区", "division", "boundar", "区划"],
            Layer::Communities,
        ),
        (&["street", "road", "道路", "路网"], Layer::Streets),
    ];
    for (keys, layer) in by_name {
        if let Some(k) = keys.iter().find(|k| name.contains(*k)) {
            return Some((layer, format!("file name contains {k:?}")));
        }
    }
    let has = |f: Field| fields.contains(&f);
    let positioned = has(Field::Lon) || has(Field::Lat) || has(Field::Location);
    let rules: [(bool, Layer, &str); 6] = [
        (
            !positioned && (has(Field::Code) || has(Field::ParentCode)),
            Layer::Communities,
            "division codes and no coordinates",
        ),
        (
            [
                Field::HoursType,
                Field::Pay,
                Field::PayMin,
                Field::PayMax,
                Field::Employer,
                Field::Education,
                Field::Skills,
            ]
            .into_iter()
            .any(has),
            Layer::Postings,
            "posting fields (pay, employer, hours type …)",
        ),
        (has(Field::Weight), Layer::Demand, "a population column"),
        (has(Field::Category), Layer::Facilities, "a category column"),
        (
            has(Field::Services) || has(Field::OpeningHours),
            Layer::Stations,
            "services or opening hours",
        ),
        (
            has(Field::HostType),
            Layer::Candidates,
            "a host type column",
        ),
    ];
    rules
        .into_iter()
        .find(|(hit, _, _)| *hit)
        .map(|(_, l, why)| (l, why.to_owned()))
}

/// Checks size, decodes and detects the format; `None` when the file is rejected outright.
fn prepare<'b>(
    file: &str,
    bytes: &'b [u8],
    opts: &Options,
    report: &mut Report,
) -> Option<(text::Decoded<'b>, Format)> {
    if bytes.len() as u64 > opts.max_bytes {
        report.add_file(
            Severity::Error,
            ProblemKind::TooLarge {
                size: bytes.len() as u64,
                limit: opts.max_bytes,
            },
        );
        return None;
    }
    let decoded = text::decode(bytes);
    if decoded
        .text
        .trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
        .is_empty()
    {
        report.add_file(Severity::Error, ProblemKind::EmptyFile);
        return None;
    }
    if matches!(decoded.encoding, Encoding::Gb18030 | Encoding::Utf16) {
        report.add_file(
            Severity::Info,
            ProblemKind::DecodedAs {
                encoding: decoded.encoding.label().to_owned(),
            },
        );
    }
    let Some(format) = opts.format.or_else(|| Format::detect(file, &decoded.text)) else {
        report.add_file(Severity::Error, ProblemKind::UnknownFormat);
        return None;
    };
    Some((decoded, format))
}

/// Imports one file into every layer its records belong to.
///
/// With `layer = Some(l)` every record must be an `l` record (others are rejected with a
/// reason). With `None` the layer is chosen per record: a `layer`/`图层` value if present, else
/// lines → streets, polygons → communities, and points → the layer guessed from the file name
/// and columns ([`guess_point_layer`]), reported as info.
pub fn import(file: &str, bytes: &[u8], opts: &Options, layer: Option<Layer>) -> Imported<Dataset> {
    let mut report = Report::new(file);
    report.max_problems = opts.max_problems;
    let mut builder = Builder::new();
    if let Some((decoded, format)) = prepare(file, bytes, opts, &mut report) {
        match format {
            Format::Csv => import_csv(file, &decoded, opts, layer, &mut builder, &mut report),
            Format::GeoJson => {
                if decoded.had_errors {
                    report.add_file(Severity::Error, ProblemKind::Undecodable);
                }
                import_geojson(file, &decoded.text, opts, layer, &mut builder, &mut report);
            }
        }
    }
    Imported {
        items: builder.data,
        report,
    }
}

fn unknown_layer(report: &mut Report, hint: &str) {
    report.add_file(
        Severity::Error,
        ProblemKind::UnknownLayer {
            hint: hint.to_owned(),
        },
    );
}

fn guessed(report: &mut Report, layer: Layer, reason: &str) {
    report.add_file(
        Severity::Info,
        ProblemKind::LayerGuessed {
            layer: layer.id().to_owned(),
            reason: reason.to_owned(),
        },
    );
}

fn import_csv(
    file: &str,
    decoded: &text::Decoded<'_>,
    opts: &Options,
    layer: Option<Layer>,
    builder: &mut Builder,
    report: &mut Report,
) {
    let Some(mut src) = csv::CsvSource::open(&decoded.text, decoded.had_errors, report) else {
        return;
    };
    let fields: BTreeSet<Field> = src.fields().collect();
    let layer = if let Some(l) = layer {
        l
    } else {
        let Some((l, why)) = guess_point_layer(file, &fields) else {
            unknown_layer(report, "no telling file name or columns");
            return;
        };
        guessed(report, l, &why);
        l
    };
    if layer.is_point_layer() && !src.has_position_columns() {
        let problem = src.missing_position_problem();
        report.add(Severity::Error, Location::Row(1), None, problem);
        return;
    }
    // Line breaks bound the number of rows from above.
    let lines = decoded.text.bytes().filter(|&b| b == b'\n').count();
    builder.reserve(layer, lines);
    let mut resolver = CrsResolver::new(opts, src.hint(), report);
    src.for_each(opts, &mut resolver, report, &mut |rec, report| {
        builder.accept(layer, &rec, opts, report);
    });
    resolver.finish(report);
}

fn import_geojson(
    file: &str,
    text: &str,
    opts: &Options,
    layer: Option<Layer>,
    builder: &mut Builder,
    report: &mut Report,
) {
    let Some(src) = geojson::GeoSource::open(text, report) else {
        return;
    };
    let fam: Families = src.families();
    let point_layer = match layer {
        Some(l) => Some(l),
        None if fam.points + fam.none > 0 => {
            let g = guess_point_layer(file, &src.fields());
            match &g {
                Some((l, why)) => guessed(report, *l, why),
                None => unknown_layer(
                    report,
                    &format!(
                        "{} point features, and no telling file name or properties",
                        fam.points + fam.none
                    ),
                ),
            }
            g.map(|(l, _)| l)
        }
        None => None,
    };
    let dominant = if fam.polygons >= fam.lines.max(fam.points) && fam.polygons > 0 {
        Some(Layer::Communities)
    } else if fam.lines >= fam.points && fam.lines > 0 {
        Some(Layer::Streets)
    } else {
        point_layer
    };
    let mut resolver = CrsResolver::new(opts, src.hint(), report);
    src.for_each(opts, &mut resolver, report, &mut |rec, report| {
        let target = layer.or_else(|| {
            let named = rec
                .get(Field::Layer)
                .and_then(|(_, v)| v.parse::<Layer>().ok());
            named.or(match rec.geom {
                Geom::Lines(_) => Some(Layer::Streets),
                Geom::Polygons(_) => Some(Layer::Communities),
                Geom::Points(_) | Geom::None => point_layer,
                Geom::Invalid => dominant,
            })
        });
        match target {
            Some(l) => builder.accept(l, &rec, opts, report),
            None => Builder::reject(report),
        }
    });
    resolver.finish(report);
}

fn one<T>(
    file: &str,
    bytes: &[u8],
    opts: &Options,
    layer: Layer,
    take: fn(Dataset) -> Vec<T>,
) -> Imported<Vec<T>> {
    let got = import(file, bytes, opts, Some(layer));
    Imported {
        items: take(got.items),
        report: got.report,
    }
}

/// Imports 就享家 stations (CSV or GeoJSON points).
pub fn import_stations(file: &str, bytes: &[u8], opts: &Options) -> Imported<Vec<Station>> {
    one(file, bytes, opts, Layer::Stations, |d| d.stations)
}

/// Imports facilities; the category comes from [`Options::category`], else a category/type
/// column (an id, a Chinese name, or a POI type string — see [`poi_types`]).
pub fn import_facilities(file: &str, bytes: &[u8], opts: &Options) -> Imported<Vec<Facility>> {
    one(file, bytes, opts, Layer::Facilities, |d| d.facilities)
}

/// Imports job postings (all [`Posting`] fields; pay and age ranges, hours types in Chinese or
/// English, dates normalised to `YYYY-MM-DD`).
pub fn import_postings(file: &str, bytes: &[u8], opts: &Options) -> Imported<Vec<Posting>> {
    one(file, bytes, opts, Layer::Postings, |d| d.postings)
}

/// Imports demand points; the population weight is required, finite and ≥ 0.
pub fn import_demand(file: &str, bytes: &[u8], opts: &Options) -> Imported<Vec<DemandPoint>> {
    one(file, bytes, opts, Layer::Demand, |d| d.demand)
}

/// Imports candidate sites for new stations.
pub fn import_candidates(file: &str, bytes: &[u8], opts: &Options) -> Imported<Vec<Candidate>> {
    one(file, bytes, opts, Layer::Candidates, |d| d.candidates)
}

/// Imports communities: GeoJSON polygons (boundaries) or CSV rows (code, name, parent code,
/// population; no geometry).
pub fn import_communities(file: &str, bytes: &[u8], opts: &Options) -> Imported<Vec<Community>> {
    one(file, bytes, opts, Layer::Communities, |d| d.communities)
}

/// Imports streets from GeoJSON lines (a MultiLineString becomes one street per part, ids
/// suffixed `#0`, `#1`, …).
pub fn import_streets(file: &str, bytes: &[u8], opts: &Options) -> Imported<Vec<Street>> {
    one(file, bytes, opts, Layer::Streets, |d| {
        d.streets.to_streets()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layer_names() {
        for l in Layer::ALL {
            assert_eq!(l.id().parse(), Ok(l));
        }
        assert_eq!("岗位".parse(), Ok(Layer::Postings));
        assert!("x".parse::<Layer>().is_err());
    }

    #[test]
    fn format_detection() {
        assert_eq!(Format::detect("a.CSV", ""), Some(Format::Csv));
        assert_eq!(Format::detect("a.geojson", ""), Some(Format::GeoJson));
        assert_eq!(
            Format::detect("upload", " {\"type\":1}"),
            Some(Format::GeoJson)
        );
        assert_eq!(Format::detect("upload", "a\tb\n"), Some(Format::Csv));
        assert_eq!(Format::detect("upload", "hello"), None);
    }

    #[test]
    fn too_large_and_empty() {
        let opts = Options::default().with_max_bytes(4);
        let r = import_stations("a.csv", b"name,lon,lat\n", &opts).report;
        assert!(matches!(
            r.problems[0].kind,
            ProblemKind::TooLarge { size: 13, limit: 4 }
        ));
        let r = import_stations("a.csv", b"\xEF\xBB\xBF \n", &Options::default()).report;
        assert_eq!(r.problems[0].kind, ProblemKind::EmptyFile);
    }

    #[test]
    fn guesses() {
        let f: BTreeSet<Field> = [Field::Lon, Field::Lat, Field::Weight].into();
        assert_eq!(
            guess_point_layer("x.csv", &f).map(|g| g.0),
            Some(Layer::Demand)
        );
        assert_eq!(
            guess_point_layer("dir/岗位.csv", &f).map(|g| g.0),
            Some(Layer::Postings)
        );
        let f: BTreeSet<Field> = [Field::Code, Field::Name, Field::ParentCode].into();
        assert_eq!(
            guess_point_layer("x.csv", &f).map(|g| g.0),
            Some(Layer::Communities)
        );
        assert!(guess_point_layer("x.csv", &BTreeSet::new()).is_none());
    }
}
