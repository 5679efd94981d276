//! A scenario's street network in the session engine: switching every analysis to a scenario's
//! edits and compound setting, reading an edits file the user imports (checked against the
//! loaded network, nothing applied when anything is wrong), and the figures of a scenario on its
//! own network (one side of a comparison).
//!
//! Problems are typed ([`EditIssue`]): the page words them in the reader's language. The core's
//! reader and overlay ([`crate::plan::graph::edits`], [`crate::plan::graph::overlay`]) name the
//! feature and field of each problem; what it is (an unknown `edit` value, a line of one point,
//! a point far from the network …) is read here from the edit itself, never from the core's
//! English sentence. Complexity: the overlay's O(V + E) per switch or check.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Engine, EngineError, ScenarioFigures};
use crate::plan::coverage;
use crate::plan::geom::LonLat;
use crate::plan::graph::edits::{EDITS_VERSION, MAX_CROSSING_DELAY_S, read_geojson};
use crate::plan::graph::overlay::{JOIN_TOLERANCE_M, MAX_JOIN_M};
use crate::plan::graph::{
    Compounds, EditError, EditProblem, NetworkEdit, NetworkEdits, NetworkRules, OverlayReport,
    SnapError, SnapOptions, WalkGraph,
};
use crate::plan::scenario::Site;

/// What is wrong with one network edit (or with the edits file as a whole).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum EditIssueKind {
    /// The file is not JSON.
    NotJson,
    /// The file is not a GeoJSON FeatureCollection (or has no `features` list).
    NotCollection,
    /// The collection's `version` is newer than this app reads.
    TooNew {
        /// The file's version.
        version: u64,
        /// The newest version read.
        max: u32,
    },
    /// The `version` is not a whole number.
    BadVersion,
    /// The crossing delay is not 0–600 seconds.
    BadDelay {
        /// The greatest delay accepted, seconds.
        max_s: f64,
    },
    /// The feature has no `edit` property.
    MissingEdit,
    /// The `edit` value is not one of `add_path`, `close`, `gate_open`, `gate_closed`.
    UnknownEdit {
        /// The value found.
        value: String,
    },
    /// The geometry is of the wrong type for the edit.
    WrongGeometry {
        /// What the edit needs (`LineString`, `Point`).
        expected: String,
        /// What the feature has.
        found: String,
    },
    /// A line with fewer than two distinct points.
    TooFewPoints {
        /// Distinct points found.
        points: usize,
    },
    /// A coordinate that is not a WGS-84 position.
    BadPosition,
    /// A path end or a gate farther from the walking network than the limit.
    FarFromNetwork {
        /// Distance, metres.
        distance_m: f64,
        /// The limit, metres.
        limit_m: f64,
    },
    /// A closure's consecutive vertices do not lie on one street.
    NotAlongStreet {
        /// The first vertex of the pair (0-based).
        vertex: usize,
        /// The tolerance, metres.
        tolerance_m: f64,
    },
}

/// One problem of a network edits file or of a scenario's edits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EditIssue {
    /// Feature (edit) index, 0-based in file order; `None`: the collection itself.
    pub feature: Option<usize>,
    /// The field: `edit`, `geometry`, `version`, `crossing_delay_s` …
    pub field: String,
    /// What is wrong.
    pub kind: EditIssueKind,
}

impl Engine {
    /// Switches every analysis to a scenario's network (see [`Engine::set_network`]).
    ///
    /// # Errors
    /// [`EngineError::NetworkEdits`] naming every edit that cannot be placed; the network in
    /// use is then unchanged.
    pub fn switch_network(
        &mut self,
        compounds: Compounds,
        edits: &NetworkEdits,
    ) -> Result<Option<OverlayReport>, EngineError> {
        // The package's graph is only read to word an error, after the switch: shared (an
        // `Arc`), never copied (a deep copy on every switch doubled its cost).
        let r = self.set_network(compounds, edits);
        r.map_err(|e| typed(&e, None, edits, self.base_graph.as_deref()))
    }

    /// Reads an edits GeoJSON the user imports and checks it against the loaded network (path
    /// ends and gates within 50 m, closures along streets). Nothing is applied here.
    ///
    /// # Errors
    /// [`EngineError::NetworkEdits`] with every problem, by feature and field.
    pub fn read_edits(&self, file: &str, bytes: &[u8]) -> Result<NetworkEdits, EngineError> {
        let doc: Option<Value> =
            serde_json::from_slice(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)).ok();
        let edits = read_geojson(file, bytes)
            .map_err(|e| typed(&e, doc.as_ref(), &NetworkEdits::default(), None))?;
        if let Some(base) = self.base_graph.as_deref() {
            base.with_edits(file, &edits, NetworkRules::default())
                .map_err(|e| typed(&e, None, &edits, Some(base)))?;
        }
        Ok(edits)
    }

    /// The figures of the loaded data with `sites` added, on the package's network with the
    /// scenario's own `edits` and `compounds` setting (one side of a comparison; the network in
    /// use for the other analyses is not changed).
    ///
    /// # Errors
    /// The edits cannot be placed, or the assessment fails.
    pub fn scenario_figures_on(
        &self,
        sites: &[Site],
        compounds: Compounds,
        edits: &NetworkEdits,
        params: &coverage::Params,
    ) -> Result<ScenarioFigures, EngineError> {
        let graph = match self.base_graph.as_deref() {
            Some(base) => {
                let rules = NetworkRules {
                    compounds,
                    ..NetworkRules::default()
                };
                Some(
                    base.with_edits("scenario", edits, rules)
                        .map_err(|e| typed(&e, None, edits, Some(base)))?
                        .0,
                )
            }
            None => None,
        };
        let mut f = self.figures_on(graph.as_ref(), sites, params)?;
        f.compounds = compounds;
        f.network_edits = edits.edits.len();
        Ok(f)
    }
}

/// The typed form of the core's [`EditError`]: each problem's feature and field as the core
/// named them, what is wrong read from the raw file (`doc`, while reading) or from the edits
/// and the network (while placing).
fn typed(
    e: &EditError,
    doc: Option<&Value>,
    edits: &NetworkEdits,
    graph: Option<&WalkGraph>,
) -> EngineError {
    EngineError::NetworkEdits {
        file: e.file.clone(),
        problems: e
            .problems
            .iter()
            .map(|p| EditIssue {
                feature: p.feature,
                field: p.field.to_owned(),
                kind: classify(p, doc, edits, graph),
            })
            .collect(),
    }
}

fn classify(
    p: &EditProblem,
    doc: Option<&Value>,
    edits: &NetworkEdits,
    graph: Option<&WalkGraph>,
) -> EditIssueKind {
    let feature = p.feature.and_then(|k| {
        doc.and_then(|d| d.get("features"))
            .and_then(Value::as_array)
            .and_then(|a| a.get(k))
    });
    match (p.field, p.feature) {
        ("json", _) => EditIssueKind::NotJson,
        ("version", _) => match doc.and_then(|d| d.get("version")).and_then(Value::as_u64) {
            Some(version) => EditIssueKind::TooNew {
                version,
                max: EDITS_VERSION,
            },
            None => EditIssueKind::BadVersion,
        },
        ("crossing_delay_s", _) => EditIssueKind::BadDelay {
            max_s: MAX_CROSSING_DELAY_S,
        },
        ("edit", _) => match feature
            .and_then(|f| f.get("properties"))
            .and_then(|x| x.get("edit"))
        {
            None => EditIssueKind::MissingEdit,
            Some(Value::String(s)) => EditIssueKind::UnknownEdit { value: s.clone() },
            Some(v) => EditIssueKind::UnknownEdit {
                value: v.to_string(),
            },
        },
        (_, Some(k)) => match feature {
            Some(f) => raw_geometry(f),
            None => placed(edits.edits.get(k), graph),
        },
        // `type`, `features`: the collection itself.
        _ => EditIssueKind::NotCollection,
    }
}

/// What is wrong with a feature's geometry in the file.
fn raw_geometry(f: &Value) -> EditIssueKind {
    let kind = f
        .get("properties")
        .and_then(|p| p.get("edit"))
        .and_then(Value::as_str)
        .unwrap_or("");
    let expected = if kind.starts_with("gate") {
        "Point"
    } else {
        "LineString"
    };
    let g = f.get("geometry").filter(|g| !g.is_null());
    let found = g
        .and_then(|g| g.get("type"))
        .and_then(Value::as_str)
        .unwrap_or("none");
    if found != expected {
        return EditIssueKind::WrongGeometry {
            expected: expected.to_owned(),
            found: found.to_owned(),
        };
    }
    let coords = g.and_then(|g| g.get("coordinates"));
    if expected == "Point" {
        return EditIssueKind::BadPosition;
    }
    let pts: Option<Vec<LonLat>> = coords.and_then(Value::as_array).and_then(|a| {
        a.iter()
            .map(|c| {
                let c = c.as_array()?;
                let p = LonLat::new(c.first()?.as_f64()?, c.get(1)?.as_f64()?);
                p.is_valid().then_some(p)
            })
            .collect()
    });
    match pts {
        Some(line) => EditIssueKind::TooFewPoints {
            points: distinct(&line),
        },
        None => EditIssueKind::BadPosition,
    }
}

fn distinct(line: &[LonLat]) -> usize {
    if line.is_empty() {
        0
    } else {
        line.windows(2).filter(|w| w[0] != w[1]).count() + 1
    }
}

/// A line's own problem (a bad vertex, fewer than two distinct points).
fn line_issue(line: &[LonLat]) -> Option<EditIssueKind> {
    if !line.iter().all(|p| p.is_valid()) {
        return Some(EditIssueKind::BadPosition);
    }
    let points = distinct(line);
    (points < 2).then_some(EditIssueKind::TooFewPoints { points })
}

/// What keeps a well-formed edit from being placed on the network.
fn placed(edit: Option<&NetworkEdit>, graph: Option<&WalkGraph>) -> EditIssueKind {
    let far = |p: &LonLat| {
        let opts = SnapOptions {
            max_off_network_m: 0.0,
            largest_component_only: false,
            ..SnapOptions::default()
        };
        match graph.map(|g| g.snap(*p, &opts)) {
            Some(Err(SnapError::OffNetwork { distance_m })) if distance_m > MAX_JOIN_M => {
                Some(distance_m)
            }
            _ => None,
        }
    };
    let too_far = |distance_m| EditIssueKind::FarFromNetwork {
        distance_m,
        limit_m: MAX_JOIN_M,
    };
    match edit {
        Some(NetworkEdit::AddPath { line_wgs84 }) => {
            if let Some(k) = line_issue(line_wgs84) {
                return k;
            }
            [line_wgs84.first(), line_wgs84.last()]
                .into_iter()
                .flatten()
                .find_map(far)
                .map_or(EditIssueKind::BadPosition, too_far)
        }
        Some(NetworkEdit::GateOpen { at_wgs84 } | NetworkEdit::GateClosed { at_wgs84 }) => {
            far(at_wgs84).map_or(EditIssueKind::BadPosition, too_far)
        }
        Some(NetworkEdit::Close { line_wgs84 }) => {
            if let Some(k) = line_issue(line_wgs84) {
                return k;
            }
            // The first vertex off every street (within the tolerance) starts the bad pair.
            let on = |p: &LonLat| {
                let opts = SnapOptions {
                    max_off_network_m: JOIN_TOLERANCE_M,
                    largest_component_only: false,
                    ..SnapOptions::default()
                };
                graph.is_none_or(|g| g.snap(*p, &opts).is_ok())
            };
            let vertex = line_wgs84.iter().position(|p| !on(p)).unwrap_or(0);
            EditIssueKind::NotAlongStreet {
                vertex: vertex.saturating_sub(usize::from(vertex + 1 == line_wgs84.len())),
                tolerance_m: JOIN_TOLERANCE_M,
            }
        }
        None => EditIssueKind::BadPosition,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> (EditError, Value) {
        (
            read_geojson("e.geojson", text.as_bytes()).unwrap_err(),
            serde_json::from_str(text).unwrap(),
        )
    }

    fn kinds(text: &str) -> Vec<(Option<usize>, String, EditIssueKind)> {
        let (e, d) = doc(text);
        let EngineError::NetworkEdits { problems, .. } =
            typed(&e, Some(&d), &NetworkEdits::default(), None)
        else {
            panic!("not NetworkEdits");
        };
        problems
            .into_iter()
            .map(|p| (p.feature, p.field, p.kind))
            .collect()
    }

    #[test]
    fn file_problems_are_typed_by_feature_and_field() {
        let got = kinds(
            r#"{"type":"FeatureCollection","version":9,"features":[
            {"type":"Feature","properties":{"edit":"gate_open"},"geometry":{"type":"Point","coordinates":[121.47,31.23]}},
            {"type":"Feature","properties":{"edit":"demolish"},"geometry":{"type":"Point","coordinates":[121.47,31.23]}},
            {"type":"Feature","properties":{"edit":"add_path"},"geometry":{"type":"LineString","coordinates":[[121.47,31.23]]}},
            {"type":"Feature","properties":{"edit":"close"},"geometry":{"type":"Point","coordinates":[121.47,31.23]}}]}"#,
        );
        assert_eq!(
            got,
            vec![
                (
                    None,
                    "version".to_owned(),
                    EditIssueKind::TooNew {
                        version: 9,
                        max: EDITS_VERSION
                    }
                ),
                (
                    Some(1),
                    "edit".to_owned(),
                    EditIssueKind::UnknownEdit {
                        value: "demolish".to_owned()
                    }
                ),
                (
                    Some(2),
                    "geometry".to_owned(),
                    EditIssueKind::TooFewPoints { points: 1 }
                ),
                (
                    Some(3),
                    "geometry".to_owned(),
                    EditIssueKind::WrongGeometry {
                        expected: "LineString".to_owned(),
                        found: "Point".to_owned()
                    }
                ),
            ]
        );
    }

    #[test]
    fn not_json_and_not_a_collection() {
        let e = read_geojson("e.geojson", b"{nope").unwrap_err();
        let EngineError::NetworkEdits { problems, file } =
            typed(&e, None, &NetworkEdits::default(), None)
        else {
            panic!("not NetworkEdits");
        };
        assert_eq!(file, "e.geojson");
        assert_eq!(problems[0].kind, EditIssueKind::NotJson);
        let k = kinds(r#"{"type":"Feature"}"#);
        assert!(
            k.iter().all(|x| x.2 == EditIssueKind::NotCollection),
            "{k:?}"
        );
    }
}
