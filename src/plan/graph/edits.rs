//! A scenario's network edits, and reading them from GeoJSON.
//!
//! A FeatureCollection whose features carry `edit` =
//! - `add_path` (LineString): a new walkable path; each end joins the network at a vertex
//!   within 1 m, or else splits the nearest edge within 50 m (a straight connector is added
//!   from the end to the split). Its inner vertices join nothing (a bridge or passage).
//! - `close` (LineString along existing streets, every vertex within 1 m of the network):
//!   the street pieces between consecutive vertices are removed.
//! - `gate_open` / `gate_closed` (Point on the network, within 50 m): a gate that everyone
//!   passes, or one only residents pass (see [`super::compounds`]).
//!
//! and optionally, on the collection, `crossing_delay_s` (seconds added at every crossing node,
//! 0–600) and `version` (this program reads version [`EDITS_VERSION`] and older).
//!
//! Reading collects every problem with its feature index (0-based, as in the file) and field;
//! when there is any, nothing is returned to apply. Complexity: O(size of the file).

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::plan::geom::LonLat;

/// The newest edit-file version this program reads.
pub const EDITS_VERSION: u32 = 1;

/// Largest accepted per-crossing delay, seconds.
pub const MAX_CROSSING_DELAY_S: f64 = 600.0;

/// One network edit (coordinates WGS-84).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "edit", rename_all = "snake_case")]
pub enum NetworkEdit {
    /// A new path.
    AddPath {
        /// Its vertices, in order (at least two distinct).
        line_wgs84: Vec<LonLat>,
    },
    /// Street pieces along this line are closed.
    Close {
        /// Its vertices, each within 1 m of the network.
        line_wgs84: Vec<LonLat>,
    },
    /// A gate opened for everyone.
    GateOpen {
        /// Where the gate is.
        at_wgs84: LonLat,
    },
    /// A gate only residents pass.
    GateClosed {
        /// Where the gate is.
        at_wgs84: LonLat,
    },
}

impl NetworkEdit {
    /// The `edit` value naming this kind.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::AddPath { .. } => "add_path",
            Self::Close { .. } => "close",
            Self::GateOpen { .. } => "gate_open",
            Self::GateClosed { .. } => "gate_closed",
        }
    }
}

/// The edits of one scenario.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NetworkEdits {
    /// The edits, applied together.
    #[serde(default)]
    pub edits: Vec<NetworkEdit>,
    /// Seconds added at every crossing node (0: none).
    #[serde(default)]
    pub crossing_delay_s: f64,
}

impl NetworkEdits {
    /// True when nothing is edited.
    pub fn is_empty(&self) -> bool {
        self.edits.is_empty() && self.crossing_delay_s == 0.0
    }
}

/// One problem with an edit: which feature (`None`: the collection), which field, what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditProblem {
    /// Feature index, 0-based, in file order (`None`: the collection itself).
    pub feature: Option<usize>,
    /// The field: `edit`, `geometry`, `crossing_delay_s`, `version` …
    pub field: &'static str,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for EditProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.feature {
            Some(k) => write!(f, "feature {k}: {}: {}", self.field, self.message),
            None => write!(f, "collection: {}: {}", self.field, self.message),
        }
    }
}

/// Edits that cannot be applied: every problem found; nothing was applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: {} problem(s), no edit applied: {}", problems.len(), list(problems))]
pub struct EditError {
    /// The file (or source) the edits came from.
    pub file: String,
    /// Every problem, in feature order.
    pub problems: Vec<EditProblem>,
}

fn list(p: &[EditProblem]) -> String {
    p.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// Reads an edits GeoJSON FeatureCollection (see the module documentation).
///
/// ```
/// use shuangquan::plan::graph::edits::read_geojson;
/// let ok = br#"{"type":"FeatureCollection","crossing_delay_s":20,"features":[
///   {"type":"Feature","properties":{"edit":"gate_open"},
///    "geometry":{"type":"Point","coordinates":[121.47,31.23]}}]}"#;
/// assert_eq!(read_geojson("e.geojson", ok).unwrap().edits.len(), 1);
/// let bad = br#"{"type":"FeatureCollection","features":[
///   {"type":"Feature","properties":{"edit":"demolish"},
///    "geometry":{"type":"Point","coordinates":[121.47,31.23]}}]}"#;
/// let e = read_geojson("e.geojson", bad).unwrap_err();
/// assert!(e.to_string().contains("feature 0: edit: \"demolish\""));
/// ```
pub fn read_geojson(file: &str, bytes: &[u8]) -> Result<NetworkEdits, EditError> {
    let fail = |problems| EditError {
        file: file.to_owned(),
        problems,
    };
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let doc: Value = serde_json::from_slice(bytes).map_err(|e| {
        fail(vec![EditProblem {
            feature: None,
            field: "json",
            message: e.to_string(),
        }])
    })?;
    let mut problems = Vec::new();
    let mut top = |field, message: String| {
        problems.push(EditProblem {
            feature: None,
            field,
            message,
        });
    };
    if doc.get("type").and_then(Value::as_str) != Some("FeatureCollection") {
        top("type", "expected a GeoJSON FeatureCollection".to_owned());
    }
    if let Some(v) = doc.get("version") {
        match v.as_u64() {
            Some(n) if n <= u64::from(EDITS_VERSION) => {}
            Some(n) => top(
                "version",
                format!("version {n} is newer than this program reads ({EDITS_VERSION})"),
            ),
            None => top("version", format!("{v} is not a version number")),
        }
    }
    let mut out = NetworkEdits::default();
    if let Some(v) = doc.get("crossing_delay_s") {
        match v.as_f64() {
            Some(s) if (0.0..=MAX_CROSSING_DELAY_S).contains(&s) => out.crossing_delay_s = s,
            _ => top(
                "crossing_delay_s",
                format!("{v} is not a number of seconds from 0 to {MAX_CROSSING_DELAY_S}"),
            ),
        }
    }
    let features = doc.get("features").and_then(Value::as_array);
    if features.is_none() {
        top("features", "missing or not a list".to_owned());
    }
    for (k, f) in features.into_iter().flatten().enumerate() {
        match read_feature(f) {
            Ok(e) => out.edits.push(e),
            Err((field, message)) => problems.push(EditProblem {
                feature: Some(k),
                field,
                message,
            }),
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(fail(problems))
    }
}

/// Checks edits built in memory (from a scenario file or the app) the way the GeoJSON reader
/// does: every problem, with the edit's index.
pub fn validate(file: &str, edits: &NetworkEdits) -> Result<(), EditError> {
    let mut problems = Vec::new();
    if !(0.0..=MAX_CROSSING_DELAY_S).contains(&edits.crossing_delay_s) {
        problems.push(EditProblem {
            feature: None,
            field: "crossing_delay_s",
            message: format!(
                "{} is not a number of seconds from 0 to {MAX_CROSSING_DELAY_S}",
                edits.crossing_delay_s
            ),
        });
    }
    for (k, e) in edits.edits.iter().enumerate() {
        let bad = match e {
            NetworkEdit::AddPath { line_wgs84 } | NetworkEdit::Close { line_wgs84 } => {
                check_line(line_wgs84).err()
            }
            NetworkEdit::GateOpen { at_wgs84 } | NetworkEdit::GateClosed { at_wgs84 } => {
                (!at_wgs84.is_valid()).then(|| "not a WGS-84 position".to_owned())
            }
        };
        if let Some(message) = bad {
            problems.push(EditProblem {
                feature: Some(k),
                field: "geometry",
                message,
            });
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(EditError {
            file: file.to_owned(),
            problems,
        })
    }
}

fn check_line(line: &[LonLat]) -> Result<(), String> {
    if let Some(k) = line.iter().position(|p| !p.is_valid()) {
        return Err(format!("vertex {k} is not a WGS-84 position"));
    }
    let distinct = line.windows(2).filter(|w| w[0] != w[1]).count() + 1;
    if line.is_empty() || distinct < 2 {
        return Err(format!(
            "a line needs at least two distinct points, this one has {}",
            if line.is_empty() { 0 } else { distinct }
        ));
    }
    Ok(())
}

fn position(v: &Value) -> Option<LonLat> {
    let a = v.as_array()?;
    let p = LonLat::new(a.first()?.as_f64()?, a.get(1)?.as_f64()?);
    p.is_valid().then_some(p)
}

fn read_feature(f: &Value) -> Result<NetworkEdit, (&'static str, String)> {
    let edit = f
        .get("properties")
        .and_then(|p| p.get("edit"))
        .ok_or(("edit", "missing".to_owned()))?;
    let kind = edit
        .as_str()
        .ok_or(("edit", format!("{edit} is not text")))?;
    let geom = f.get("geometry").filter(|g| !g.is_null());
    let gtype = geom
        .and_then(|g| g.get("type"))
        .and_then(Value::as_str)
        .unwrap_or("none");
    let coords = geom.and_then(|g| g.get("coordinates"));
    let line = || -> Result<Vec<LonLat>, (&'static str, String)> {
        if gtype != "LineString" {
            return Err((
                "geometry",
                format!("{kind} needs a LineString, found {gtype}"),
            ));
        }
        let pts = coords
            .and_then(Value::as_array)
            .ok_or(("geometry", "no coordinates".to_owned()))?;
        let line: Vec<LonLat> = pts
            .iter()
            .enumerate()
            .map(|(k, c)| {
                position(c).ok_or(("geometry", format!("vertex {k} is not a WGS-84 position")))
            })
            .collect::<Result<_, _>>()?;
        check_line(&line).map_err(|m| ("geometry", m))?;
        Ok(line)
    };
    let point = || -> Result<LonLat, (&'static str, String)> {
        if gtype != "Point" {
            return Err(("geometry", format!("{kind} needs a Point, found {gtype}")));
        }
        coords
            .and_then(position)
            .ok_or(("geometry", "not a WGS-84 position".to_owned()))
    };
    match kind {
        "add_path" => Ok(NetworkEdit::AddPath {
            line_wgs84: line()?,
        }),
        "close" => Ok(NetworkEdit::Close {
            line_wgs84: line()?,
        }),
        "gate_open" => Ok(NetworkEdit::GateOpen { at_wgs84: point()? }),
        "gate_closed" => Ok(NetworkEdit::GateClosed { at_wgs84: point()? }),
        other => Err((
            "edit",
            format!("{other:?} is not an edit: use add_path, close, gate_open or gate_closed"),
        )),
    }
}

/// The edits as a GeoJSON FeatureCollection, readable by [`read_geojson`].
pub fn to_geojson(edits: &NetworkEdits) -> Value {
    let pt = |p: &LonLat| serde_json::json!([p.lon, p.lat]);
    let features: Vec<Value> = edits
        .edits
        .iter()
        .map(|e| {
            let geometry = match e {
                NetworkEdit::AddPath { line_wgs84 } | NetworkEdit::Close { line_wgs84 } => {
                    serde_json::json!({"type": "LineString",
                        "coordinates": line_wgs84.iter().map(pt).collect::<Vec<_>>()})
                }
                NetworkEdit::GateOpen { at_wgs84 } | NetworkEdit::GateClosed { at_wgs84 } => {
                    serde_json::json!({"type": "Point", "coordinates": pt(at_wgs84)})
                }
            };
            serde_json::json!({"type": "Feature", "properties": {"edit": e.kind()},
                "geometry": geometry})
        })
        .collect();
    serde_json::json!({"type": "FeatureCollection", "version": EDITS_VERSION,
        "crossing_delay_s": edits.crossing_delay_s, "features": features})
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fc(features: &str, extra: &str) -> Vec<u8> {
        format!(r#"{{"type":"FeatureCollection"{extra},"features":[{features}]}}"#).into_bytes()
    }

    #[test]
    fn every_problem_is_named_by_feature_and_field() {
        let f = r#"{"type":"Feature","properties":{"edit":"widen"},"geometry":{"type":"Point","coordinates":[1,2]}},
                   {"type":"Feature","properties":{"edit":"add_path"},"geometry":{"type":"LineString","coordinates":[[1,2],[1,2]]}},
                   {"type":"Feature","properties":{"edit":"close"},"geometry":{"type":"Point","coordinates":[1,2]}},
                   {"type":"Feature","properties":{},"geometry":null},
                   {"type":"Feature","properties":{"edit":"gate_open"},"geometry":{"type":"Point","coordinates":[1,2]}}"#;
        let e = read_geojson("x", &fc(f, r#","version":7,"crossing_delay_s":-1"#)).unwrap_err();
        let shown: Vec<String> = e.problems.iter().map(ToString::to_string).collect();
        assert_eq!(e.problems.len(), 6, "{shown:?}");
        assert!(shown[0].starts_with("collection: version: version 7 is newer"));
        assert!(shown[1].starts_with("collection: crossing_delay_s:"));
        assert!(shown[2].starts_with("feature 0: edit: \"widen\""));
        assert!(shown[3].starts_with("feature 1: geometry: a line needs at least two"));
        assert!(shown[4].starts_with("feature 2: geometry: close needs a LineString"));
        assert!(shown[5].starts_with("feature 3: edit: missing"));
    }

    #[test]
    fn geojson_round_trips() {
        let edits = NetworkEdits {
            edits: vec![
                NetworkEdit::AddPath {
                    line_wgs84: vec![LonLat::new(1.0, 2.0), LonLat::new(1.5, 2.5)],
                },
                NetworkEdit::GateClosed {
                    at_wgs84: LonLat::new(1.0, 2.0),
                },
            ],
            crossing_delay_s: 12.5,
        };
        let text = to_geojson(&edits).to_string();
        assert_eq!(read_geojson("x", text.as_bytes()).unwrap(), edits);
        assert!(validate("x", &edits).is_ok());
    }
}
