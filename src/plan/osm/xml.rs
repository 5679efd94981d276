//! OSM XML decoder: a single streaming pass over `<node>`, `<way>`, `<relation>` and their
//! `<tag>`, `<nd>` and `<member>` children (quick-xml, no DOM), from a slice or from any
//! `BufRead` (a file is never held whole). O(input) time; memory is the compact decoded
//! elements. Elements marked `action="delete"` (JOSM files) are skipped.
//!
//! A document type declaration is refused outright (no DTD, no entity declarations, so no
//! "billion laughs" expansion): quick-xml never expands entities it was not given, and this
//! reader stops at the `<!DOCTYPE` before any element is kept.

use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};

use super::tags::Tags;
use super::{ElementKind, OsmFormat, OsmProblem, RawMember, RawOsm, RawRelation, RawWay};
use crate::plan::geom::LonLat;

/// The element being read.
enum Open {
    None,
    Node {
        id: i64,
        pos: Option<LonLat>,
        tags: Tags,
        skip: bool,
    },
    Way(RawWay, bool),
    Relation(RawRelation, bool),
}

/// Decodes OSM XML into raw elements, collecting problems.
pub(super) fn decode(bytes: &[u8]) -> RawOsm {
    decode_from(bytes, bytes.len() as u64)
}

/// Decodes OSM XML read from `input` (of `len` bytes in all) into raw elements, collecting
/// problems: the text is never held whole, one event at a time passes through a small buffer.
pub(super) fn decode_from<R: std::io::BufRead>(input: R, len: u64) -> RawOsm {
    let mut raw = RawOsm::default();
    let mut reader = quick_xml::Reader::from_reader(input);
    let mut buf = Vec::new();
    let mut open = Open::None;
    let mut saw_root = false;
    let mut root_closed = false;
    loop {
        buf.clear();
        let ev = match reader.read_event_into(&mut buf) {
            Ok(ev) => ev,
            Err(e) => {
                let offset = reader.error_position();
                if offset >= len.saturating_sub(1) {
                    raw.problem(OsmProblem::Truncated {
                        format: OsmFormat::Xml,
                        offset,
                        what: format!("markup ({e})"),
                    });
                } else {
                    raw.problem(OsmProblem::Syntax {
                        format: OsmFormat::Xml,
                        offset,
                        message: e.to_string(),
                    });
                }
                break;
            }
        };
        match ev {
            Event::DocType(_) => {
                raw.problem(OsmProblem::Refused {
                    format: OsmFormat::Xml,
                    offset: reader.buffer_position(),
                    message: "a <!DOCTYPE> (document type and entity declarations, as in a \"billion laughs\" file) is not allowed in OSM XML".to_owned(),
                });
                break;
            }
            Event::Start(e) => {
                let name = e.local_name();
                if name.as_ref() == "osm" || name.as_ref() == "osmChange" {
                    saw_root = true;
                }
                start(&mut raw, &mut open, &e, false);
            }
            Event::Empty(e) => start(&mut raw, &mut open, &e, true),
            Event::End(e) => match e.local_name().as_ref() {
                "node" | "way" | "relation" => {
                    finish(&mut raw, std::mem::replace(&mut open, Open::None));
                }
                "osm" | "osmChange" => root_closed = true,
                _ => {}
            },
            Event::Eof => {
                let what = match &open {
                    Open::None if saw_root && !root_closed => Some("the <osm> element".to_owned()),
                    Open::None => None,
                    Open::Node { id, .. } => Some(format!("node {id}")),
                    Open::Way(w, _) => Some(format!("way {}", w.id)),
                    Open::Relation(r, _) => Some(format!("relation {}", r.id)),
                };
                if let Some(what) = what {
                    raw.problem(OsmProblem::Truncated {
                        format: OsmFormat::Xml,
                        offset: reader.buffer_position(),
                        what,
                    });
                } else if !saw_root && raw.nodes.is_empty() && raw.ways.is_empty() {
                    raw.problem(OsmProblem::Syntax {
                        format: OsmFormat::Xml,
                        offset: 0,
                        message: "no <osm> element: not an OSM XML file".to_owned(),
                    });
                }
                break;
            }
            _ => {}
        }
    }
    raw
}

/// Attribute values of interest on one start tag.
#[derive(Default)]
struct Attrs {
    id: Option<String>,
    lat: Option<String>,
    lon: Option<String>,
    k: Option<String>,
    v: Option<String>,
    r#ref: Option<String>,
    r#type: Option<String>,
    role: Option<String>,
    deleted: bool,
}

fn attrs(e: &BytesStart<'_>) -> Result<Attrs, String> {
    let mut a = Attrs::default();
    for attr in e.attributes() {
        let attr = attr.map_err(|err| err.to_string())?;
        let value = || -> Result<String, String> {
            attr.normalized_value(XmlVersion::Implicit1_0)
                .map(std::borrow::Cow::into_owned)
                .map_err(|err| err.to_string())
        };
        match attr.key.as_ref() {
            "id" => a.id = Some(value()?),
            "lat" => a.lat = Some(value()?),
            "lon" => a.lon = Some(value()?),
            "k" => a.k = Some(value()?),
            "v" => a.v = Some(value()?),
            "ref" => a.r#ref = Some(value()?),
            "type" => a.r#type = Some(value()?),
            "role" => a.role = Some(value()?),
            "action" => a.deleted = value()? == "delete",
            "visible" => a.deleted |= value()? == "false",
            _ => {}
        }
    }
    Ok(a)
}

fn bad(
    kind: ElementKind,
    id: i64,
    field: &'static str,
    value: &str,
    message: &'static str,
) -> OsmProblem {
    OsmProblem::BadValue {
        kind,
        id,
        field,
        value: value.chars().take(80).collect(),
        message,
    }
}

fn parse_id(raw: &mut RawOsm, kind: ElementKind, a: &Attrs) -> Option<i64> {
    let s = a.id.as_deref().unwrap_or("");
    if let Ok(id) = s.trim().parse::<i64>() {
        Some(id)
    } else {
        raw.problem(bad(kind, 0, "id", s, "not an integer id"));
        None
    }
}

fn parse_coord(raw: &mut RawOsm, id: i64, field: &'static str, v: Option<&str>) -> Option<f64> {
    let s = v.unwrap_or("");
    match s.trim().parse::<f64>() {
        Ok(x) if x.is_finite() => Some(x),
        _ => {
            raw.problem(bad(ElementKind::Node, id, field, s, "not a number"));
            None
        }
    }
}

fn start(raw: &mut RawOsm, open: &mut Open, element: &BytesStart<'_>, empty: bool) {
    let name = element.local_name();
    let name = name.as_ref();
    if !matches!(name, "node" | "way" | "relation" | "tag" | "nd" | "member") {
        return;
    }
    let Ok(a) = attrs(element) else {
        let (kind, id) = match open {
            Open::Way(w, _) => (ElementKind::Way, w.id),
            Open::Relation(r, _) => (ElementKind::Relation, r.id),
            Open::Node { id, .. } => (ElementKind::Node, *id),
            Open::None => (ElementKind::Node, 0),
        };
        raw.problem(OsmProblem::BadValue {
            kind,
            id,
            field: "attributes",
            value: name.to_owned(),
            message: "malformed attribute",
        });
        // Keep the element open so its end tag balances, but drop it.
        match name {
            "node" if !empty => {
                *open = Open::Node {
                    id: 0,
                    pos: None,
                    tags: Tags::default(),
                    skip: true,
                }
            }
            "way" if !empty => *open = Open::Way(RawWay::default(), true),
            "relation" if !empty => *open = Open::Relation(RawRelation::default(), true),
            _ => {}
        }
        return;
    };
    match name {
        "node" => {
            let id = parse_id(raw, ElementKind::Node, &a);
            let lat = id.and_then(|id| parse_coord(raw, id, "lat", a.lat.as_deref()));
            let lon = id.and_then(|id| parse_coord(raw, id, "lon", a.lon.as_deref()));
            let pos = lat.zip(lon).map(|(lat, lon)| LonLat::new(lon, lat));
            let skip = a.deleted || pos.is_none();
            let node = Open::Node {
                id: id.unwrap_or(0),
                pos,
                tags: Tags::default(),
                skip,
            };
            if empty {
                finish(raw, node);
            } else {
                *open = node;
            }
        }
        "way" => {
            let id = parse_id(raw, ElementKind::Way, &a);
            let way = Open::Way(
                RawWay {
                    id: id.unwrap_or(0),
                    ..RawWay::default()
                },
                a.deleted || id.is_none(),
            );
            if empty {
                finish(raw, way);
            } else {
                *open = way;
            }
        }
        "relation" => {
            let id = parse_id(raw, ElementKind::Relation, &a);
            let rel = Open::Relation(
                RawRelation {
                    id: id.unwrap_or(0),
                    ..RawRelation::default()
                },
                a.deleted || id.is_none(),
            );
            if empty {
                finish(raw, rel);
            } else {
                *open = rel;
            }
        }
        "tag" => {
            let (Some(key), Some(value)) = (a.k, a.v) else {
                return;
            };
            match open {
                Open::Node { tags, .. } => tags.0.push((key, value)),
                Open::Way(w, _) => w.tags.0.push((key, value)),
                Open::Relation(r, _) => r.tags.0.push((key, value)),
                Open::None => {}
            }
        }
        "nd" => {
            if let Open::Way(w, _) = open {
                let s = a.r#ref.unwrap_or_default();
                match s.trim().parse::<i64>() {
                    Ok(r) => w.push_ref(r),
                    Err(_) => raw.problem(bad(
                        ElementKind::Way,
                        w.id,
                        "nd ref",
                        &s,
                        "not an integer id",
                    )),
                }
            }
        }
        "member" => {
            if let Open::Relation(r, _) = open {
                let s = a.r#ref.unwrap_or_default();
                let kind = match a.r#type.as_deref() {
                    Some("node") => ElementKind::Node,
                    Some("way") => ElementKind::Way,
                    Some("relation") => ElementKind::Relation,
                    other => {
                        raw.problem(bad(
                            ElementKind::Relation,
                            r.id,
                            "member type",
                            other.unwrap_or(""),
                            "not node, way or relation",
                        ));
                        return;
                    }
                };
                match s.trim().parse::<i64>() {
                    Ok(id) => r.push_member(RawMember {
                        kind,
                        id,
                        role: a.role.unwrap_or_default(),
                    }),
                    Err(_) => raw.problem(bad(
                        ElementKind::Relation,
                        r.id,
                        "member ref",
                        &s,
                        "not an integer id",
                    )),
                }
            }
        }
        _ => {}
    }
}

fn finish(raw: &mut RawOsm, open: Open) {
    match open {
        Open::None => {}
        Open::Node {
            id,
            pos,
            tags,
            skip,
        } => {
            if let (false, Some(pos)) = (skip, pos) {
                raw.push_node(id, pos, tags);
            }
        }
        Open::Way(w, skip) => {
            if !skip {
                raw.push_way(w);
            }
        }
        Open::Relation(r, skip) => {
            if !skip {
                raw.push_relation(r);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{OsmProblem, read_xml};

    #[test]
    fn bad_numbers_are_reported_and_reading_goes_on() {
        let xml = br#"<osm>
          <node id="1" lat="abc" lon="24.0"/>
          <node id="x" lat="60" lon="24.0"/>
          <node id="2" lat="60.0" lon="24.0"/><node id="3" lat="60.001" lon="24.0"/>
          <node id="4" lat="95" lon="24.0"/>
          <way id="5"><nd ref="2"/><nd ref="zz"/><nd ref="3"/><tag k="highway" v="path"/></way>
        </osm>"#;
        let d = read_xml(xml);
        assert_eq!(d.stats.nodes, 2);
        assert_eq!(d.streets.len(), 1);
        assert_eq!(d.streets[0].coords_wgs84.len(), 2);
        let fields: Vec<&str> = d
            .problems
            .iter()
            .filter_map(|p| match p {
                OsmProblem::BadValue { field, .. } => Some(*field),
                _ => None,
            })
            .collect();
        assert_eq!(fields, ["lat", "id", "lat/lon", "nd ref"]);
    }

    #[test]
    fn truncated_and_garbage_input() {
        let xml = br#"<osm><node id="1" lat="60.0" lon="24.0"/><way id="5"><nd ref="1"/><tag k="highway" v="pa"#;
        let d = read_xml(xml);
        assert_eq!(d.stats.nodes, 1);
        assert!(d.streets.is_empty());
        assert!(
            d.problems
                .iter()
                .any(|p| matches!(p, OsmProblem::Truncated { .. } | OsmProblem::Syntax { .. })),
            "{:?}",
            d.problems
        );

        let d = read_xml(b"<osm><node id=\"1\" lat=\"60\" lon=\"24\"><tag k=\"a\" v=\"b\"/></osm>");
        assert!(!d.problems.is_empty());

        let d = read_xml(b"<html>hello</html>");
        assert!(matches!(d.problems[..], [OsmProblem::Syntax { .. }]));

        let d = read_xml(b"");
        assert!(matches!(d.problems[..], [OsmProblem::Syntax { .. }]));
    }

    #[test]
    fn a_stream_in_small_pieces_reads_as_the_whole_text() {
        let xml: &[u8] = br#"<?xml version="1.0"?><osm version="0.6">
          <node id="1" lat="60.0" lon="24.0"/><node id="2" lat="60.001" lon="24.0"/>
          <node id="3" lat="60.0005" lon="24.001"><tag k="shop" v="bakery"/><tag k="name" v="Leipomo"/></node>
          <way id="7"><nd ref="1"/><nd ref="2"/><nd ref="9"/><tag k="highway" v="footway"/></way>
          <node id="x" lat="a" lon="24"/>
        </osm>"#;
        // Every cut, through a 5-byte buffer: the same data and problems as from the slice.
        for cut in (0..=xml.len()).step_by(7).chain([xml.len()]) {
            let part = &xml[..cut];
            let whole = read_xml(part);
            let streamed: crate::plan::osm::OsmData = crate::plan::osm::read_network_xml_from(
                std::io::BufReader::with_capacity(5, part),
                part.len() as u64,
            )
            .into();
            assert_eq!(streamed, whole, "cut at {cut}");
        }
        assert_eq!(read_xml(xml).streets.len(), 1);
    }

    #[test]
    fn deleted_elements_are_skipped() {
        let xml = br#"<osm><node id="1" lat="60" lon="24" action="delete"/><node id="2" lat="60" lon="24"/></osm>"#;
        assert_eq!(read_xml(xml).stats.nodes, 1);
    }
}
