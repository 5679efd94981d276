//! Planner scenarios: named sets of accepted new station sites on one package, their file and
//! local-storage form, and their compact URL form.
//!
//! A scenario is what a planner has decided so far ("add these 10 sites", "open this gate");
//! the engine treats its sites as stations and walks its edited network in every analysis. The
//! file form is versioned JSON:
//!
//! ```json
//! {"format": "shuangquan-scenarios", "version": 2, "package": "shanghai-central",
//!  "active": 0, "scenarios": [{"id": "s1", "name": "方案 A", "sites": [
//!    {"id": "c0042", "name": "示意 商超 42", "lon": 121.4634, "lat": 31.2311, "host_type": "商超"}],
//!    "compounds": "closed",
//!    "network": {"crossing_delay_s": 20, "edits": [
//!      {"edit": "add_path", "line_wgs84": [{"lon": 121.46, "lat": 31.23}, {"lon": 121.461, "lat": 31.23}]},
//!      {"edit": "gate_open", "at_wgs84": {"lon": 121.462, "lat": 31.231}}]}}]}
//! ```
//!
//! [`parse_file`] accepts that file (any version up to [`VERSION`], migrating older ones) and,
//! for interoperability, the sites GeoJSON written by `shuangquan place --out plan.geojson` or by
//! the app's plan export (one scenario). It rejects everything else with a message naming what is
//! wrong, and never returns a partial set. [`to_file`] ∘ [`parse_file`] is the identity.
//!
//! Scenario ids (`id`, optional: a file without them gets `s1`, `s2` … by position) let two
//! browser tabs merge their edits ([`merge`]); the copy kept in local storage also carries a
//! `stamp` (revision, writing tab, parent record), which exported files leave out.
//!
//! Network edits have their own URL form ([`edits_to_url`] / [`edits_from_url`]).
//!
//! The URL form ([`sites_to_url`] / [`sites_from_url`]) is `id~lon~lat` per site joined by `;`,
//! with coordinates at 6 decimals (≈ 0.1 m), which is all a shared link needs to restore the
//! map: names come back from the package's candidates when the id is one of them.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use super::geom::LonLat;
use super::graph::Compounds;
use super::graph::edits::{self, NetworkEdit, NetworkEdits};

pub mod merge;

/// The file format tag.
pub const FORMAT: &str = "shuangquan-scenarios";

/// The newest schema version this build writes and reads.
///
/// History: 1 — the first stored form (sites only); 2 — each scenario also holds its network
/// edits (`network`) and compound setting (`compounds`); [`migrate`] brings 1 up to 2.
pub const VERSION: u32 = 2;

/// Most sites a scenario may hold (a city has a few hundred stations; this bounds hostile files).
pub const MAX_SITES: usize = 10_000;

/// Most scenarios in one file.
pub const MAX_SCENARIOS: usize = 100;

/// One accepted site.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Site {
    /// Candidate id (package or imported candidate), or `click:LON:LAT` (5 decimals) for a point chosen on the map.
    pub id: String,
    /// Display name.
    #[serde(default)]
    pub name: String,
    /// Longitude, WGS-84.
    pub lon: f64,
    /// Latitude, WGS-84.
    pub lat: f64,
    /// Host place type, when known.
    #[serde(default)]
    pub host_type: Option<String>,
}

/// A named scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Scenario {
    /// Stable id within the file (two tabs merge their edits by it; a file without ids gets
    /// `s1`, `s2` … by position when read, see [`merge::ensure_ids`]).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub id: String,
    /// Name shown to the planner.
    pub name: String,
    /// Accepted sites, in the order they were accepted.
    #[serde(default)]
    pub sites: Vec<Site>,
    /// Walk through residential compounds (default closed).
    #[serde(default)]
    pub compounds: Compounds,
    /// Network edits (new paths, closures, gates, crossing delay).
    #[serde(default)]
    pub network: NetworkEdits,
}

/// Every scenario of one package.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ScenarioFile {
    /// Always [`FORMAT`].
    pub format: String,
    /// Schema version.
    pub version: u32,
    /// Package id the sites belong to (empty: not said; the open package is assumed).
    #[serde(default)]
    pub package: String,
    /// The scenario being edited.
    #[serde(default)]
    pub active: usize,
    /// Scenarios.
    pub scenarios: Vec<Scenario>,
    /// The stored record's stamp (local storage only: who wrote it over which record).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stamp: Option<merge::Stamp>,
}

impl ScenarioFile {
    /// One empty scenario named `name` on `package`.
    pub fn new(package: &str, name: &str) -> Self {
        Self {
            format: FORMAT.to_owned(),
            version: VERSION,
            package: package.to_owned(),
            active: 0,
            scenarios: vec![Scenario {
                id: "s1".to_owned(),
                name: name.to_owned(),
                ..Scenario::default()
            }],
            stamp: None,
        }
    }
}

/// Why a file is not a scenario file.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ScenarioError {
    /// Not JSON at all.
    #[error("{file}: not JSON ({why})")]
    NotJson {
        /// File name.
        file: String,
        /// Parser message (line and column).
        why: String,
    },
    /// JSON, but neither a scenario file nor a sites GeoJSON.
    #[error(
        "{file}: not a 双圈 scenario file (no \"format\": \"{FORMAT}\") nor a sites GeoJSON FeatureCollection"
    )]
    NotScenario {
        /// File name.
        file: String,
    },
    /// Written by a newer version of the app.
    #[error(
        "{file}: scenario file version {version} is newer than this app reads (up to {VERSION}); update the app"
    )]
    TooNew {
        /// File name.
        file: String,
        /// Its version.
        version: u64,
    },
    /// A field is missing or wrong.
    #[error("{file}: {place}: {field}: {why}")]
    Field {
        /// File name.
        file: String,
        /// Where: `scenarios[2].sites[5]`, `features[3]`.
        place: String,
        /// The field.
        field: String,
        /// What is wrong.
        why: String,
    },
}

fn field(file: &str, place: String, field: &str, why: impl Into<String>) -> ScenarioError {
    ScenarioError::Field {
        file: file.to_owned(),
        place,
        field: field.to_owned(),
        why: why.into(),
    }
}

/// Checks a coordinate pair: finite, in WGS-84 range, and not obviously in metres.
fn check_lonlat(file: &str, place: &str, lon: f64, lat: f64) -> Result<(), ScenarioError> {
    if !lon.is_finite() || !(-180.0..=180.0).contains(&lon) {
        return Err(field(
            file,
            place.to_owned(),
            "lon",
            format!("{lon} is not a WGS-84 longitude (−180…180)"),
        ));
    }
    if !lat.is_finite() || !(-90.0..=90.0).contains(&lat) {
        return Err(field(
            file,
            place.to_owned(),
            "lat",
            format!("{lat} is not a WGS-84 latitude (−90…90)"),
        ));
    }
    Ok(())
}

fn check_sites(file: &str, prefix: &str, sites: &[Site]) -> Result<(), ScenarioError> {
    if sites.len() > MAX_SITES {
        return Err(field(
            file,
            prefix.to_owned(),
            "sites",
            format!("{} sites; at most {MAX_SITES}", sites.len()),
        ));
    }
    for (i, s) in sites.iter().enumerate() {
        let place = format!("{prefix}sites[{i}]");
        if s.id.trim().is_empty() {
            return Err(field(file, place, "id", "empty"));
        }
        check_lonlat(file, &place, s.lon, s.lat)?;
    }
    Ok(())
}

/// Brings an older schema up to [`VERSION`]: 1 → 2 gives every scenario no network edits and
/// closed compounds (what version 1 meant).
///
/// # Errors
/// A version newer than [`VERSION`], or no version number.
pub fn migrate(file: &str, v: serde_json::Value) -> Result<serde_json::Value, ScenarioError> {
    let version = v
        .get("version")
        .and_then(serde_json::Value::as_u64)
        .ok_or_else(|| {
            field(
                file,
                "top level".to_owned(),
                "version",
                "missing or not a number",
            )
        })?;
    if version > u64::from(VERSION) {
        return Err(ScenarioError::TooNew {
            file: file.to_owned(),
            version,
        });
    }
    if version == 0 {
        return Err(field(
            file,
            "top level".to_owned(),
            "version",
            "0 is not a version",
        ));
    }
    let mut v = v;
    if version == 1 {
        if let Some(list) = v
            .get_mut("scenarios")
            .and_then(serde_json::Value::as_array_mut)
        {
            for sc in list.iter_mut().filter_map(serde_json::Value::as_object_mut) {
                sc.insert("compounds".into(), "closed".into());
                sc.insert(
                    "network".into(),
                    serde_json::json!({"edits": [], "crossing_delay_s": 0.0}),
                );
            }
        }
        v["version"] = VERSION.into();
    }
    Ok(v)
}

/// What an imported file holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Parsed {
    /// A scenario file: it replaces the open scenarios.
    File(ScenarioFile),
    /// A sites GeoJSON (`place --out plan.geojson`, the app's plan export): one scenario to
    /// add, named after the file.
    Sites(Scenario),
}

/// Parses an imported file: a scenario file or a sites GeoJSON.
///
/// # Errors
/// See [`ScenarioError`]; nothing partial is returned.
pub fn parse_any(file: &str, text: &str) -> Result<Parsed, ScenarioError> {
    let text = text.trim_start_matches('\u{feff}');
    let v: serde_json::Value = serde_json::from_str(text).map_err(|e| ScenarioError::NotJson {
        file: file.to_owned(),
        why: e.to_string(),
    })?;
    if v.get("format").and_then(serde_json::Value::as_str) != Some(FORMAT) {
        if v.get("type").and_then(serde_json::Value::as_str) == Some("FeatureCollection") {
            return from_geojson(file, &v).map(Parsed::Sites);
        }
        return Err(ScenarioError::NotScenario {
            file: file.to_owned(),
        });
    }
    let v = migrate(file, v)?;
    let mut f: ScenarioFile = serde_json::from_value(v)
        .map_err(|e| field(file, "top level".to_owned(), "(structure)", e.to_string()))?;
    if f.scenarios.is_empty() {
        return Err(field(file, "top level".to_owned(), "scenarios", "empty"));
    }
    if f.scenarios.len() > MAX_SCENARIOS {
        return Err(field(
            file,
            "top level".to_owned(),
            "scenarios",
            format!("{} scenarios; at most {MAX_SCENARIOS}", f.scenarios.len()),
        ));
    }
    for (i, s) in f.scenarios.iter().enumerate() {
        check_sites(file, &format!("scenarios[{i}]."), &s.sites)?;
        if let Err(e) = edits::validate(file, &s.network)
            && let Some(p) = e.problems.first()
        {
            let place = match p.feature {
                Some(k) => format!("scenarios[{i}].network.edits[{k}]"),
                None => format!("scenarios[{i}].network"),
            };
            return Err(field(file, place, p.field, p.message.clone()));
        }
    }
    if f.active >= f.scenarios.len() {
        f.active = 0;
    }
    merge::ensure_ids(&mut f, "s");
    f.version = VERSION;
    Ok(Parsed::File(f))
}

/// Parses a scenario file or a sites GeoJSON (`file` names it in messages); a sites GeoJSON
/// becomes a file of that one scenario, with no package.
///
/// # Errors
/// See [`ScenarioError`]; nothing partial is returned.
pub fn parse_file(file: &str, text: &str) -> Result<ScenarioFile, ScenarioError> {
    Ok(match parse_any(file, text)? {
        Parsed::File(f) => f,
        Parsed::Sites(sc) => ScenarioFile {
            format: FORMAT.to_owned(),
            version: VERSION,
            package: String::new(),
            active: 0,
            scenarios: vec![Scenario {
                id: "s1".to_owned(),
                ..sc
            }],
            stamp: None,
        },
    })
}

/// The sites GeoJSON of `place --out *.geojson` / the plan export, as one scenario.
fn from_geojson(file: &str, v: &serde_json::Value) -> Result<Scenario, ScenarioError> {
    let features = v
        .get("features")
        .and_then(serde_json::Value::as_array)
        .ok_or_else(|| field(file, "top level".to_owned(), "features", "missing"))?;
    let mut sites = Vec::with_capacity(features.len());
    for (i, f) in features.iter().enumerate() {
        let place = format!("features[{i}]");
        let c = f
            .pointer("/geometry/coordinates")
            .and_then(serde_json::Value::as_array)
            .filter(|_| {
                f.pointer("/geometry/type")
                    .and_then(serde_json::Value::as_str)
                    == Some("Point")
            })
            .ok_or_else(|| field(file, place.clone(), "geometry", "not a Point"))?;
        let (Some(lon), Some(lat)) = (
            c.first().and_then(serde_json::Value::as_f64),
            c.get(1).and_then(serde_json::Value::as_f64),
        ) else {
            return Err(field(file, place, "coordinates", "not two numbers"));
        };
        check_lonlat(file, &place, lon, lat)?;
        let p = f.get("properties");
        let text = |k: &str| {
            p.and_then(|p| p.get(k))
                .and_then(|x| match x {
                    serde_json::Value::String(s) => Some(s.clone()),
                    serde_json::Value::Number(n) => Some(n.to_string()),
                    _ => None,
                })
                .filter(|s| !s.trim().is_empty())
        };
        let id = text("id").unwrap_or_else(|| format!("site-{}", i + 1));
        sites.push(Site {
            name: text("name").unwrap_or_else(|| id.clone()),
            id,
            lon,
            lat,
            host_type: text("host_type"),
        });
    }
    check_sites(file, "", &sites)?;
    let name = std::path::Path::new(file)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or(file)
        .to_owned();
    Ok(Scenario {
        name,
        sites,
        ..Scenario::default()
    })
}

/// The file text of `f` (pretty JSON, final newline).
pub fn to_file(f: &ScenarioFile) -> String {
    serde_json::to_string_pretty(f).map_or_else(|_| String::new(), |s| s + "\n")
}

/// Characters an id keeps as they are in the URL form; every other byte is written `!XX`.
fn url_safe(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':')
}

/// The URL form of `sites`: `id~lon~lat;…`, coordinates at 6 decimals. Id bytes outside
/// letters, digits and `-_.:` are written `!XX` (hex), so any id (候选1, `a b`, `x~y`) comes back
/// exactly and the separators stay unambiguous even after a tool percent-decodes the link.
pub fn sites_to_url(sites: &[Site]) -> String {
    let mut out = String::new();
    for (i, s) in sites.iter().enumerate() {
        if i > 0 {
            out.push(';');
        }
        for &b in s.id.as_bytes() {
            if url_safe(b) {
                out.push(char::from(b));
            } else {
                let _ = write!(out, "!{b:02X}");
            }
        }
        let _ = write!(out, "~{:.6}~{:.6}", s.lon, s.lat);
    }
    out
}

/// The URL form of network edits: one entry per edit joined by `;` — `p` (add path) or `x`
/// (close) followed by `~lon~lat` per vertex, `o~lon~lat` (gate open), `g~lon~lat` (gate
/// closed), and `d~seconds` for the crossing delay; coordinates at 6 decimals.
///
/// ```
/// use shuangquan::plan::geom::LonLat;
/// use shuangquan::plan::graph::{NetworkEdit, NetworkEdits};
/// use shuangquan::plan::scenario::{edits_from_url, edits_to_url};
/// let e = NetworkEdits { crossing_delay_s: 15.0, edits: vec![NetworkEdit::GateOpen {
///     at_wgs84: LonLat::new(121.5, 31.25) }] };
/// assert_eq!(edits_to_url(&e), "d~15;o~121.500000~31.250000");
/// assert_eq!(edits_from_url(&edits_to_url(&e)), e);
/// ```
pub fn edits_to_url(e: &NetworkEdits) -> String {
    let mut parts: Vec<String> = Vec::new();
    if e.crossing_delay_s > 0.0 {
        parts.push(format!("d~{}", e.crossing_delay_s));
    }
    for edit in &e.edits {
        let (tag, pts): (&str, &[LonLat]) = match edit {
            NetworkEdit::AddPath { line_wgs84 } => ("p", line_wgs84),
            NetworkEdit::Close { line_wgs84 } => ("x", line_wgs84),
            NetworkEdit::GateOpen { at_wgs84 } => ("o", std::slice::from_ref(at_wgs84)),
            NetworkEdit::GateClosed { at_wgs84 } => ("g", std::slice::from_ref(at_wgs84)),
        };
        let mut s = tag.to_owned();
        for p in pts {
            let _ = write!(s, "~{:.6}~{:.6}", p.lon, p.lat);
        }
        parts.push(s);
    }
    parts.join(";")
}

/// Parses [`edits_to_url`]'s form; entries that do not parse are skipped (a link may be cut),
/// and what remains is checked like a file's edits (nothing invalid comes back).
pub fn edits_from_url(text: &str) -> NetworkEdits {
    let mut out = NetworkEdits::default();
    for entry in text.split(';') {
        let mut it = entry.split('~');
        let tag = it.next().unwrap_or("").trim();
        let nums: Option<Vec<f64>> = it.map(|x| x.trim().parse::<f64>().ok()).collect();
        let Some(nums) = nums else { continue };
        if tag == "d" {
            if let [d] = nums[..]
                && (0.0..=edits::MAX_CROSSING_DELAY_S).contains(&d)
            {
                out.crossing_delay_s = d;
            }
            continue;
        }
        if nums.len() % 2 != 0 || nums.is_empty() {
            continue;
        }
        let pts: Vec<LonLat> = nums.chunks(2).map(|c| LonLat::new(c[0], c[1])).collect();
        let edit = match (tag, &pts[..]) {
            ("p", _) => NetworkEdit::AddPath { line_wgs84: pts },
            ("x", _) => NetworkEdit::Close { line_wgs84: pts },
            ("o", [p]) => NetworkEdit::GateOpen { at_wgs84: *p },
            ("g", [p]) => NetworkEdit::GateClosed { at_wgs84: *p },
            _ => continue,
        };
        let one = NetworkEdits {
            edits: vec![edit],
            crossing_delay_s: 0.0,
        };
        if edits::validate("", &one).is_ok() {
            out.edits.extend(one.edits);
        }
    }
    out.edits.truncate(MAX_SITES);
    out
}

/// Undoes the `!XX` escapes of [`sites_to_url`]; `None` when they are broken.
fn url_id(text: &str) -> Option<String> {
    let b = text.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'!' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Parses [`sites_to_url`]'s form; entries that do not parse are skipped (a link may be cut).
/// Names are the ids; the caller fills them from the package's candidates.
pub fn sites_from_url(text: &str) -> Vec<Site> {
    text.split(';')
        .filter_map(|e| {
            let mut it = e.split('~');
            let id = url_id(it.next()?.trim())?;
            let lon: f64 = it.next()?.parse().ok()?;
            let lat: f64 = it.next()?.parse().ok()?;
            if id.is_empty() || check_lonlat("", "", lon, lat).is_err() {
                return None;
            }
            Some(Site {
                name: id.clone(),
                id,
                lon,
                lat,
                host_type: None,
            })
        })
        .take(MAX_SITES)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> ScenarioFile {
        ScenarioFile {
            format: FORMAT.to_owned(),
            version: VERSION,
            package: "shanghai-central".to_owned(),
            active: 1,
            scenarios: vec![
                Scenario {
                    id: "s1".to_owned(),
                    name: "方案 A".to_owned(),
                    sites: vec![Site {
                        id: "c0042".to_owned(),
                        name: "示意 商超 42 \"quoted\" <b>".to_owned(),
                        lon: 121.463_412_3,
                        lat: 31.231_122_2,
                        host_type: Some("商超".to_owned()),
                    }],
                    ..Scenario::default()
                },
                Scenario {
                    id: "s2".to_owned(),
                    name: "B".to_owned(),
                    compounds: Compounds::Open,
                    network: NetworkEdits {
                        edits: vec![
                            NetworkEdit::AddPath {
                                line_wgs84: vec![
                                    LonLat::new(121.46, 31.23),
                                    LonLat::new(121.461, 31.231),
                                ],
                            },
                            NetworkEdit::GateClosed {
                                at_wgs84: LonLat::new(121.462, 31.232),
                            },
                        ],
                        crossing_delay_s: 20.0,
                    },
                    ..Scenario::default()
                },
            ],
            stamp: None,
        }
    }

    #[test]
    fn file_round_trips_exactly() {
        let f = sample();
        let text = to_file(&f);
        let back = parse_file("a.json", &text).unwrap();
        assert_eq!(back, f);
        assert_eq!(to_file(&back), text);
    }

    #[test]
    fn newer_version_is_refused_by_name() {
        let text = to_file(&sample()).replace("\"version\": 2", "\"version\": 7");
        let e = parse_file("new.json", &text).unwrap_err();
        assert!(matches!(e, ScenarioError::TooNew { version: 7, .. }), "{e}");
        assert!(e.to_string().contains("new.json"));
    }

    #[test]
    fn bad_files_name_the_place() {
        assert!(matches!(
            parse_file("x.json", "{oops"),
            Err(ScenarioError::NotJson { .. })
        ));
        assert!(matches!(
            parse_file("x.json", "[1,2]"),
            Err(ScenarioError::NotScenario { .. })
        ));
        let text = to_file(&sample()).replace("121.4634123", "12146341.23");
        let e = parse_file("m.json", &text).unwrap_err().to_string();
        assert!(
            e.contains("scenarios[0].sites[0]") && e.contains("lon"),
            "{e}"
        );
        let no_version = to_file(&sample()).replace("\"version\": 2,", "");
        let e = parse_file("v.json", &no_version).unwrap_err().to_string();
        assert!(e.contains("version"), "{e}");
    }

    #[test]
    fn version_1_migrates_and_bad_edits_are_named() {
        let v1 = r#"{"format":"shuangquan-scenarios","version":1,"package":"p","active":0,
          "scenarios":[{"name":"A","sites":[{"id":"c1","lon":121.4,"lat":31.2}]}]}"#;
        let f = parse_file("old.json", v1).unwrap();
        assert_eq!(f.version, VERSION);
        assert_eq!(f.scenarios[0].compounds, Compounds::Closed);
        assert!(f.scenarios[0].network.is_empty());
        let bad = to_file(&sample()).replace("121.462", "921.462");
        let e = parse_file("b.json", &bad).unwrap_err().to_string();
        assert!(
            e.contains("scenarios[1].network.edits[1]") && e.contains("geometry"),
            "{e}"
        );
        let net = &sample().scenarios[1].network;
        assert_eq!(&edits_from_url(&edits_to_url(net)), net);
        assert!(edits_from_url("p~1~2;q~3~4;o~500~1;d~x").is_empty());
    }

    #[test]
    fn parse_any_tells_files_from_sites() {
        let f = to_file(&sample());
        assert!(matches!(parse_any("a.json", &f), Ok(Parsed::File(_))));
        let gj = r#"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[121.4,31.2]},"properties":{"id":"c7"}}]}"#;
        assert!(matches!(parse_any("p.geojson", gj), Ok(Parsed::Sites(s)) if s.sites.len() == 1));
    }

    #[test]
    fn plan_geojson_becomes_one_scenario() {
        let gj = r#"{"type":"FeatureCollection","features":[
          {"type":"Feature","geometry":{"type":"Point","coordinates":[121.4,31.2]},
           "properties":{"order":1,"id":"c7","name":"书店 7","marginal_gain":12.5}},
          {"type":"Feature","geometry":{"type":"Point","coordinates":[121.5,31.3]},"properties":{}}]}"#;
        let f = parse_file("plan.geojson", gj).unwrap();
        assert_eq!(f.scenarios.len(), 1);
        assert_eq!(f.scenarios[0].name, "plan");
        let s = &f.scenarios[0].sites;
        assert_eq!((s[0].id.as_str(), s[0].name.as_str()), ("c7", "书店 7"));
        assert_eq!(s[1].id, "site-2");
        let bad = gj.replace("[121.5,31.3]", "[121.5]");
        let e = parse_file("plan.geojson", &bad).unwrap_err().to_string();
        assert!(e.contains("features[1]"), "{e}");
    }

    #[test]
    fn url_form_round_trips_to_six_decimals() {
        let sites = sample().scenarios[0].sites.clone();
        let text = sites_to_url(&sites);
        assert_eq!(text, "c0042~121.463412~31.231122");
        let back = sites_from_url(&text);
        assert_eq!(back.len(), 1);
        assert_eq!(back[0].id, "c0042");
        assert!((back[0].lon - sites[0].lon).abs() < 1e-6);
        // Any id comes back exactly.
        let odd = vec![Site {
            id: "候选 1~x;y!%".to_owned(),
            name: String::new(),
            lon: 1.0,
            lat: 2.0,
            host_type: None,
        }];
        let text = sites_to_url(&odd);
        assert!(
            !text.contains(' ') && text.matches('~').count() == 2,
            "{text}"
        );
        assert_eq!(sites_from_url(&text)[0].id, odd[0].id);
        // Broken entries are skipped, good ones kept.
        let back = sites_from_url("a~1~2;b~x~2;c~500~1;d~3~4;e!G1~1~1");
        let ids: Vec<&str> = back.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["a", "d"]);
    }
}
