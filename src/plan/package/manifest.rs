//! The data package manifest: `static/data/<package>/manifest.json`.
//!
//! A package is a folder with a `manifest.json` and one file per layer (GeoJSON or CSV). The
//! manifest says, per layer, what it holds, where it came from, under which licence, in which
//! coordinate system, and whether it is **real**, an **estimate** (with its method) or
//! **illustrative** (generated so the app can be shown; never to be read as fact). The same
//! format is what users export and re-import.
//!
//! ```json
//! {
//!   "format": "shuangquan-package/1",
//!   "id": "shanghai-central",
//!   "name": { "zh": "上海中心城区", "en": "Central Shanghai" },
//!   "center_wgs84": [121.475, 31.229],
//!   "zoom": 14,
//!   "attribution": "© OpenStreetMap contributors, ODbL 1.0",
//!   "network": "streets",
//!   "layers": [
//!     { "id": "streets", "kind": "streets", "file": "streets.geojson", "crs": "wgs84",
//!       "status": "real", "source": "OpenStreetMap (Overpass, 2025-08-09)",
//!       "licence": "ODbL 1.0", "method": "walkable OSM highways", "count": 4701 }
//!   ]
//! }
//! ```

use serde::{Deserialize, Serialize};

/// The format tag this build reads and writes.
pub const FORMAT: &str = "shuangquan-package/1";

/// What a layer holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LayerKind {
    /// Street network (walkable lines).
    Streets,
    /// 就享家 employment service stations.
    Stations,
    /// Convenience facilities with categories.
    Facilities,
    /// Job postings.
    Postings,
    /// Communities (社区/村), points or polygons, with population when known.
    Communities,
    /// Administrative boundaries (district, 街道) as polygons.
    Boundaries,
    /// Demand points with population weights.
    Demand,
    /// Candidate sites for new stations.
    Candidates,
}

impl LayerKind {
    /// Every kind, in drawing order (bottom first).
    pub const ALL: [LayerKind; 8] = [
        LayerKind::Boundaries,
        LayerKind::Communities,
        LayerKind::Streets,
        LayerKind::Demand,
        LayerKind::Candidates,
        LayerKind::Facilities,
        LayerKind::Postings,
        LayerKind::Stations,
    ];

    /// The stable id used in manifests and URLs.
    pub const fn id(self) -> &'static str {
        match self {
            LayerKind::Streets => "streets",
            LayerKind::Stations => "stations",
            LayerKind::Facilities => "facilities",
            LayerKind::Postings => "postings",
            LayerKind::Communities => "communities",
            LayerKind::Boundaries => "boundaries",
            LayerKind::Demand => "demand",
            LayerKind::Candidates => "candidates",
        }
    }
}

/// How far a layer can be trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Real data from the named source.
    Real,
    /// Derived from real data by the stated method (e.g. population spread to 街道).
    Estimate,
    /// Generated so the app can be demonstrated; not a fact about the place.
    Illustrative,
}

impl Status {
    /// The stable id (`real`, `estimate`, `illustrative`).
    pub const fn id(self) -> &'static str {
        match self {
            Status::Real => "real",
            Status::Estimate => "estimate",
            Status::Illustrative => "illustrative",
        }
    }
}

/// The coordinate system a layer file is written in. Packages are always stored in WGS-84;
/// the other values are accepted on import and converted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Crs {
    /// WGS-84 longitude/latitude (EPSG:4326 axis order lon, lat as in GeoJSON).
    #[default]
    Wgs84,
    /// GCJ-02 (Chinese map providers' shifted coordinates).
    Gcj02,
    /// BD-09 (Baidu).
    Bd09,
}

/// How a layer file is encoded. Small layers are GeoJSON (or CSV); the streets, the layer
/// that grows with the city, may be an OSM PBF file ([`super::pbf`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LayerFormat {
    /// A GeoJSON FeatureCollection.
    Geojson,
    /// A CSV table with a header row.
    Csv,
    /// An OSM PBF file (streets only).
    OsmPbf,
}

impl LayerFormat {
    /// The format a file name implies: `.pbf` is OSM PBF, `.csv` CSV, anything else GeoJSON.
    pub fn of_file(file: &str) -> Self {
        let ext = std::path::Path::new(file)
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("pbf") => LayerFormat::OsmPbf,
            Some("csv") => LayerFormat::Csv,
            _ => LayerFormat::Geojson,
        }
    }

    /// The value written in a manifest.
    pub const fn id(self) -> &'static str {
        match self {
            LayerFormat::Geojson => "geojson",
            LayerFormat::Csv => "csv",
            LayerFormat::OsmPbf => "osm-pbf",
        }
    }

    /// True for a format read as bytes, not text.
    pub const fn is_binary(self) -> bool {
        matches!(self, LayerFormat::OsmPbf)
    }
}

/// A localised name.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Name {
    /// Chinese.
    pub zh: String,
    /// English.
    pub en: String,
}

/// One layer of a package.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Layer {
    /// Id unique within the package.
    pub id: String,
    /// What the layer holds.
    pub kind: LayerKind,
    /// File name relative to the manifest.
    pub file: String,
    /// Coordinate system of the file.
    #[serde(default)]
    pub crs: Crs,
    /// Real, estimate or illustrative.
    pub status: Status,
    /// Where the data came from.
    pub source: String,
    /// Licence of the data.
    pub licence: String,
    /// One line on how the layer was made.
    #[serde(default)]
    pub method: String,
    /// Number of features, as written by the builder (checked on load).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<usize>,
    /// Display title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<Name>,
    /// `source` in Chinese (the plain fields are English): the Chinese interface shows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_zh: Option<String>,
    /// `licence` in Chinese.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub licence_zh: Option<String>,
    /// `method` in Chinese.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method_zh: Option<String>,
    /// How the file is encoded; when absent, told from the file name ([`LayerFormat::of_file`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<LayerFormat>,
}

impl Layer {
    /// How the file is encoded: as the manifest says, else as its name implies.
    pub fn format(&self) -> LayerFormat {
        self.format
            .unwrap_or_else(|| LayerFormat::of_file(&self.file))
    }

    /// The source, licence and method in Chinese (`zh`) or English; a field without its
    /// Chinese form falls back to the plain one.
    pub fn provenance(&self, zh: bool) -> [&str; 3] {
        fn pick<'a>(zh: bool, plain: &'a str, local: Option<&'a str>) -> &'a str {
            local.filter(|_| zh).unwrap_or(plain)
        }
        [
            pick(zh, &self.source, self.source_zh.as_deref()),
            pick(zh, &self.licence, self.licence_zh.as_deref()),
            pick(zh, &self.method, self.method_zh.as_deref()),
        ]
    }
}

/// Whether the package has a walking network.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Network {
    /// Walking times come from the package's `streets` layer.
    #[default]
    Streets,
    /// No network: every walking time is a straight-line estimate (distance × detour factor).
    None,
}

/// The age structure of the package's population (census shares), for the analyses that weight
/// by age (一老一小).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgeShares {
    /// The unit the shares describe (e.g. 青岛市).
    pub unit: String,
    /// Its total population.
    pub population: f64,
    /// Share aged 60 and over, 0–1.
    pub aged_60_plus: f64,
    /// Share aged 0–14, 0–1.
    pub aged_0_14: f64,
    /// Census date (`YYYY-MM-DD`), when known.
    #[serde(default)]
    pub date: String,
    /// Where the figures come from.
    pub source: String,
}

/// The manifest of a data package.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// Format tag, [`FORMAT`].
    pub format: String,
    /// Package id (folder name).
    pub id: String,
    /// Display name.
    pub name: Name,
    /// Initial map centre, WGS-84 `[lon, lat]`.
    pub center_wgs84: [f64; 2],
    /// Initial zoom.
    pub zoom: f64,
    /// Attribution to show wherever the map is shown.
    pub attribution: String,
    /// Whether walking times come from a network.
    #[serde(default)]
    pub network: Network,
    /// Free-text notes shown with the package (what is real, what is missing).
    #[serde(default)]
    pub notes: Vec<Name>,
    /// Census age shares of the package's population, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age_shares: Option<AgeShares>,
    /// The layers.
    pub layers: Vec<Layer>,
}

/// Why a manifest cannot be used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ManifestError {
    /// Not JSON, or not the manifest's shape.
    #[error("manifest.json: {0}")]
    Parse(String),
    /// A format tag this build does not read.
    #[error("manifest.json: format {found:?} is not {FORMAT:?}")]
    Format {
        /// The tag found.
        found: String,
    },
    /// A top-level field out of its range.
    #[error("manifest.json: {field}: {message}")]
    Field {
        /// Field at fault.
        field: &'static str,
        /// What is wrong.
        message: String,
    },
    /// A problem with one layer entry.
    #[error("manifest.json: layers[{index}] ({field}): {message}")]
    Layer {
        /// Index in `layers`.
        index: usize,
        /// Field at fault.
        field: &'static str,
        /// What is wrong.
        message: String,
    },
}

/// The field a serde error about one layer entry names (`unknown variant … expected one of
/// wgs84…` is the `crs`), for the message.
fn layer_field_of(message: &str) -> &'static str {
    const FIELDS: [&str; 10] = [
        "crs", "kind", "status", "id", "file", "source", "licence", "count", "title", "format",
    ];
    if message.contains("wgs84") {
        return "crs";
    }
    if message.contains("streets") && message.contains("stations") {
        return "kind";
    }
    if message.contains("illustrative") {
        return "status";
    }
    FIELDS
        .into_iter()
        .find(|f| message.contains(&format!("`{f}`")))
        .unwrap_or("entry")
}

/// Why a well-formed layer entry cannot be used (a duplicate id, a file outside the package).
fn layer_problems(
    index: usize,
    layer: &Layer,
    seen: &mut std::collections::BTreeSet<String>,
) -> Vec<ManifestError> {
    let mut out = Vec::new();
    if !seen.insert(layer.id.clone()) {
        out.push(ManifestError::Layer {
            index,
            field: "id",
            message: format!("duplicate layer id {:?}", layer.id),
        });
    }
    if layer.file.is_empty()
        || layer.file.contains("..")
        || layer.file.starts_with('/')
        || layer.file.contains('\\')
    {
        out.push(ManifestError::Layer {
            index,
            field: "file",
            message: format!(
                "{:?} must be a plain file name inside the package",
                layer.file
            ),
        });
    }
    if layer.format() == LayerFormat::OsmPbf && layer.kind != LayerKind::Streets {
        out.push(ManifestError::Layer {
            index,
            field: "format",
            message: format!(
                "only a streets layer can be an OSM PBF file, not a {} layer",
                layer.kind.id()
            ),
        });
    }
    if layer
        .format
        .is_some_and(|f| f.is_binary() != LayerFormat::of_file(&layer.file).is_binary())
    {
        out.push(ManifestError::Layer {
            index,
            field: "format",
            message: format!(
                "format {} does not match the file name {:?}",
                layer.format().id(),
                layer.file
            ),
        });
    }
    out
}

impl Manifest {
    /// Parses and validates a manifest. Every layer problem is returned, not just the first.
    pub fn parse(bytes: &[u8]) -> Result<Self, Vec<ManifestError>> {
        match Self::parse_partial(bytes) {
            Ok((m, skipped)) if skipped.is_empty() => Ok(m),
            Ok((_, skipped)) => Err(skipped),
            Err(e) => Err(e),
        }
    }

    /// Parses a manifest that may lie about some layers: a layer entry that cannot be used
    /// (unknown `kind`, `crs` or `status`, a missing field, a file outside the package, a
    /// duplicate id) is left out and named in the returned list; the other layers are kept.
    /// Only a manifest that is not JSON, has another format tag or no usable centre is an error.
    pub fn parse_partial(bytes: &[u8]) -> Result<(Self, Vec<ManifestError>), Vec<ManifestError>> {
        let mut value: serde_json::Value =
            serde_json::from_slice(bytes).map_err(|e| vec![ManifestError::Parse(e.to_string())])?;
        let mut skipped = Vec::new();
        let mut kept = Vec::new();
        if let Some(layers) = value
            .get_mut("layers")
            .and_then(serde_json::Value::as_array_mut)
        {
            let mut seen = std::collections::BTreeSet::new();
            for (index, entry) in std::mem::take(layers).into_iter().enumerate() {
                match serde_json::from_value::<Layer>(entry.clone()) {
                    Ok(layer) => {
                        let problems = layer_problems(index, &layer, &mut seen);
                        if problems.is_empty() {
                            kept.push(entry);
                        }
                        skipped.extend(problems);
                    }
                    Err(e) => skipped.push(ManifestError::Layer {
                        index,
                        field: layer_field_of(&e.to_string()),
                        message: format!(
                            "{e}{}; this layer was not loaded",
                            entry
                                .get("id")
                                .and_then(serde_json::Value::as_str)
                                .map(|id| format!(" (layer {id:?})"))
                                .unwrap_or_default()
                        ),
                    }),
                }
            }
            *layers = kept;
        }
        let m: Manifest =
            serde_json::from_value(value).map_err(|e| vec![ManifestError::Parse(e.to_string())])?;
        let mut errors = Vec::new();
        if m.format != FORMAT {
            errors.push(ManifestError::Format {
                found: m.format.clone(),
            });
        }
        let [lon, lat] = m.center_wgs84;
        if !(lon.is_finite() && lat.is_finite() && lon.abs() <= 180.0 && lat.abs() <= 90.0) {
            errors.push(ManifestError::Parse(format!(
                "center_wgs84 [{lon}, {lat}] is not a WGS-84 position"
            )));
        }
        if let Some(a) = &m.age_shares {
            age_problems(a, &mut errors);
        }
        if errors.is_empty() {
            Ok((m, skipped))
        } else {
            errors.extend(skipped);
            Err(errors)
        }
    }

    /// The layers of one kind, in manifest order.
    pub fn layers_of(&self, kind: LayerKind) -> impl Iterator<Item = &Layer> {
        self.layers.iter().filter(move |l| l.kind == kind)
    }

    /// Serialises with stable, pretty formatting (what the builder writes).
    pub fn to_pretty_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

/// Shares must be fractions (0–1) that leave room for the 15–59 group; the population positive.
fn age_problems(a: &AgeShares, errors: &mut Vec<ManifestError>) {
    let mut field = |field: &'static str, message: String| {
        errors.push(ManifestError::Field { field, message });
    };
    for (name, v) in [
        ("age_shares.aged_60_plus", a.aged_60_plus),
        ("age_shares.aged_0_14", a.aged_0_14),
    ] {
        if !(v.is_finite() && (0.0..=1.0).contains(&v)) {
            field(name, format!("{v} is not a share between 0 and 1"));
        }
    }
    if a.aged_60_plus + a.aged_0_14 > 1.0 {
        field(
            "age_shares",
            format!(
                "60+ ({}) and 0–14 ({}) together exceed the whole population",
                a.aged_60_plus, a.aged_0_14
            ),
        );
    }
    if !(a.population.is_finite() && a.population > 0.0) {
        field(
            "age_shares.population",
            format!("{} is not a positive count", a.population),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Manifest {
        Manifest {
            format: FORMAT.into(),
            id: "t".into(),
            name: Name {
                zh: "测试".into(),
                en: "Test".into(),
            },
            center_wgs84: [121.0, 31.0],
            zoom: 14.0,
            attribution: "© OpenStreetMap contributors, ODbL 1.0".into(),
            network: Network::Streets,
            notes: vec![],
            age_shares: None,
            layers: vec![Layer {
                id: "streets".into(),
                kind: LayerKind::Streets,
                file: "streets.geojson".into(),
                crs: Crs::Wgs84,
                status: Status::Real,
                source: "OSM".into(),
                licence: "ODbL 1.0".into(),
                method: String::new(),
                count: Some(3),
                title: None,
                source_zh: None,
                licence_zh: None,
                method_zh: None,
                format: None,
            }],
        }
    }

    #[test]
    fn round_trips() {
        let m = sample();
        let back = Manifest::parse(m.to_pretty_json().as_bytes()).unwrap();
        assert_eq!(back, m);
    }

    #[test]
    fn reports_every_layer_problem() {
        let mut m = sample();
        m.layers.push(m.layers[0].clone());
        m.layers[1].file = "../etc/passwd".into();
        m.format = "other/9".into();
        let errs = Manifest::parse(m.to_pretty_json().as_bytes()).unwrap_err();
        assert_eq!(errs.len(), 3, "{errs:?}");
        assert!(
            errs.iter()
                .any(|e| e.to_string().contains("layers[1] (id)"))
        );
        assert!(
            errs.iter()
                .any(|e| e.to_string().contains("layers[1] (file)"))
        );
    }

    #[test]
    fn age_shares_round_trip_and_are_validated() {
        let mut m = sample();
        m.age_shares = Some(AgeShares {
            unit: "青岛市".into(),
            population: 10_071_722.0,
            aged_60_plus: 0.202_811,
            aged_0_14: 0.154_104,
            date: "2020-11-01".into(),
            source: "census".into(),
        });
        assert_eq!(Manifest::parse(m.to_pretty_json().as_bytes()).unwrap(), m);
        // A manifest without the field still reads (older packages).
        assert_eq!(
            Manifest::parse(sample().to_pretty_json().as_bytes())
                .unwrap()
                .age_shares,
            None
        );
        let mut bad = m.clone();
        if let Some(a) = bad.age_shares.as_mut() {
            a.aged_60_plus = 20.28; // a percentage, not a share
            a.aged_0_14 = 0.9;
            a.population = 0.0;
        }
        let errs = Manifest::parse(bad.to_pretty_json().as_bytes()).unwrap_err();
        let text: Vec<String> = errs.iter().map(ToString::to_string).collect();
        assert_eq!(errs.len(), 3, "{text:?}");
        assert!(
            text[0].contains("age_shares.aged_60_plus: 20.28 is not a share"),
            "{text:?}"
        );
        assert!(text[1].contains("together exceed"), "{text:?}");
        assert!(text[2].contains("age_shares.population"), "{text:?}");
    }

    #[test]
    fn a_lying_layer_entry_is_named_and_the_others_kept() {
        let mut m = sample();
        let mut second = m.layers[0].clone();
        second.id = "stations".into();
        second.kind = LayerKind::Stations;
        second.file = "stations.geojson".into();
        m.layers.push(second);
        let json = m.to_pretty_json().replacen("\"wgs84\"", "\"epsg:3857\"", 1);
        assert!(Manifest::parse(json.as_bytes()).is_err());
        let (got, skipped) = Manifest::parse_partial(json.as_bytes()).unwrap();
        assert_eq!(got.layers, m.layers[1..]);
        assert_eq!(skipped.len(), 1);
        let e = skipped[0].to_string();
        assert!(
            e.contains("layers[0] (crs)") && e.contains("\"streets\""),
            "{e}"
        );
    }

    #[test]
    fn the_format_is_named_or_told_from_the_file_and_checked() {
        let mut m = sample();
        assert_eq!(m.layers[0].format(), LayerFormat::Geojson);
        m.layers[0].file = "streets.osm.pbf".into();
        assert_eq!(m.layers[0].format(), LayerFormat::OsmPbf);
        m.layers[0].format = Some(LayerFormat::OsmPbf);
        let json = m.to_pretty_json();
        assert!(json.contains("\"format\": \"osm-pbf\""), "{json}");
        assert_eq!(Manifest::parse(json.as_bytes()).unwrap(), m);
        // A PBF of stations, and a GeoJSON format for a PBF file, are both named and skipped.
        let mut stations = m.layers[0].clone();
        stations.id = "stations".into();
        stations.kind = LayerKind::Stations;
        let mut lying = m.layers[0].clone();
        lying.id = "streets2".into();
        lying.format = Some(LayerFormat::Geojson);
        m.layers.extend([stations, lying]);
        let (got, skipped) = Manifest::parse_partial(m.to_pretty_json().as_bytes()).unwrap();
        assert_eq!(got.layers, m.layers[..1]);
        let text: Vec<String> = skipped.iter().map(ToString::to_string).collect();
        assert_eq!(text.len(), 2, "{text:?}");
        assert!(
            text[0].contains("layers[1] (format)") && text[0].contains("stations"),
            "{text:?}"
        );
        assert!(
            text[1].contains("layers[2] (format)") && text[1].contains("does not match"),
            "{text:?}"
        );
    }

    #[test]
    fn garbage_is_a_parse_error_not_a_panic() {
        for bytes in [&b""[..], b"{", b"[]", b"{\"format\":1}", &[0xff, 0xfe][..]] {
            assert!(matches!(
                Manifest::parse(bytes).unwrap_err()[0],
                ManifestError::Parse(_)
            ));
        }
    }
}
