//! OpenStreetMap extracts (XML `.osm` and PBF `.osm.pbf`) → streets and convenience facilities.
//!
//! Both readers decode into the same compact element lists (node positions sorted by id, each
//! way in 32 bytes with its references in one flat array, the street tags of highway ways as
//! one interned row, full tags only for facility ways: never a parse tree), which are then
//! assembled here into a flat [`StreetTable`] ([`read_network`]; [`read`] turns it into owned
//! [`Street`] values). The XML reader also reads from a stream ([`read_network_xml_from`]).
//! What assembly makes:
//! - **streets**: every way with a `highway` tag becomes a [`Street`] (with its `highway`,
//!   `foot`, `access` and `name` tags; whether it is walkable is the walk graph's decision).
//!   Node references that the extract does not contain (ways clipped at the extract's edge)
//!   split the way into its runs of known nodes — never a straight jump across the gap — and
//!   are reported once per way.
//! - **network nodes**: gates and crossings ([`tags::network_node_kind`]), by position.
//! - **facilities**: nodes, ways (at their centroid: area centroid for closed ways, length
//!   centroid for open ones) and multipolygon relations (area centroid of their closed outer
//!   rings) whose tags map to a category by the table in [`tags`]. Ids are `n…`, `w…`, `r…`
//!   (with `:<category>` appended when one element is in several categories).
//!
//! Malformed input never panics. Problems with one element (a bad number, a way clipped at the
//! extract's edge, an element over a limit) are collected in [`OsmData::problems`] and the rest
//! loads. Problems with the file (broken syntax, a truncated file, a corrupt or unsupported
//! block, a DOCTYPE, a block that would inflate past its limit) are **fatal**: the problems and
//! the element counts are returned, but no street and no facility — nothing is loaded half-way
//! ([`OsmData::fatal`]).
//!
//! Limits (each named in its problem): a way has at most [`MAX_WAY_NODES`] node references, a
//! relation at most [`MAX_RELATION_MEMBERS`] members and relation members nest at most
//! [`MAX_RELATION_DEPTH`] deep; ids lie within ±[`MAX_ID`]; at most [`MAX_PROBLEMS`] problems
//! are kept (the rest are counted). The PBF reader's block limits are in its own file.
//! Complexity: O(input) to decode, O(N log N) to sort N nodes for reference lookup (nothing
//! to move when the file is sorted by id, as extracts are), O(R + M) for the nesting depth of R
//! relations with M relation members. Memory: 24 bytes per node, 8 per way reference, 32 per
//! way, plus the street table.
//! Positions are WGS-84 degrees throughout.

mod pbf;
pub mod tags;
mod xml;
mod zh;

use geo::{Centroid, Coord, LineString, MultiPolygon, Polygon};

use super::geom::LonLat;
use super::graph::table::{STREET_TAGS, StreetTable};
use super::model::{Facility, NetworkNode, Street};
use tags::Tags;

/// Most node references one way may have (the OSM API allows 2,000); longer ways are skipped.
pub const MAX_WAY_NODES: usize = 10_000;
/// Most members one relation may have (the OSM API's own limit); larger relations are skipped.
pub const MAX_RELATION_MEMBERS: usize = 32_000;
/// Deepest nesting of relations in relations; deeper (or cyclic) relations are skipped.
pub const MAX_RELATION_DEPTH: usize = 32;
/// Largest id magnitude accepted: 2^53 − 1, the largest integer the browser keeps exact (real
/// OSM ids are below 2^35; negative ids are JOSM's new objects).
pub const MAX_ID: i64 = (1 << 53) - 1;
/// Most problems kept; further ones are only counted ([`OsmData::problems_omitted`]).
pub const MAX_PROBLEMS: usize = 1_000;

/// True for an id inside ±[`MAX_ID`], other than 0.
pub fn id_in_range(id: i64) -> bool {
    id != 0 && id.unsigned_abs() <= MAX_ID.unsigned_abs()
}

/// The two encodings of an OSM extract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum OsmFormat {
    /// OSM XML (`.osm`), as written by the API, Overpass, JOSM or osmium.
    Xml,
    /// OSM PBF (`.osm.pbf`): protobuf blocks, zlib-compressed or raw.
    Pbf,
}

impl OsmFormat {
    /// Guesses the encoding from the first bytes: XML starts with `<` (after an optional BOM
    /// and whitespace); anything else is taken as PBF.
    pub fn sniff(bytes: &[u8]) -> Self {
        let b = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
        match b.iter().find(|c| !c.is_ascii_whitespace()) {
            Some(b'<') => OsmFormat::Xml,
            _ => OsmFormat::Pbf,
        }
    }
}

/// The kind of an OSM element.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ElementKind {
    /// A node.
    Node,
    /// A way.
    Way,
    /// A relation.
    Relation,
}

impl std::fmt::Display for ElementKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ElementKind::Node => "node",
            ElementKind::Way => "way",
            ElementKind::Relation => "relation",
        })
    }
}

/// One problem found while reading an extract. [`OsmProblem::is_fatal`] tells the problems
/// that make the whole file unusable (then nothing is loaded) from those that skip one element.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OsmProblem {
    /// The bytes are not well-formed (XML syntax, protobuf framing); reading stopped here.
    #[error("{format:?} byte {offset}: {message}; the rest of the file was not read")]
    Syntax {
        /// Encoding being read.
        format: OsmFormat,
        /// Byte offset of the problem.
        offset: u64,
        /// What was wrong.
        message: String,
    },
    /// The file ends in the middle of an element or block; the partial element was dropped.
    #[error("{format:?} byte {offset}: file ends inside {what}")]
    Truncated {
        /// Encoding being read.
        format: OsmFormat,
        /// Byte offset of the end.
        offset: u64,
        /// What was cut off.
        what: String,
    },
    /// A field of one element could not be used; the element (or just that field) was skipped.
    #[error("{kind} {id}: {field} {value:?}: {message}")]
    BadValue {
        /// Element kind.
        kind: ElementKind,
        /// Element id (0 when the id itself was unreadable).
        id: i64,
        /// Field (attribute) name.
        field: &'static str,
        /// The value found.
        value: String,
        /// Why it was rejected.
        message: &'static str,
    },
    /// A way refers to nodes the extract does not contain (usually clipped at its edge).
    #[error("way {way}: {missing} of {total} node references are not in the extract")]
    MissingNodes {
        /// Way id.
        way: i64,
        /// Number of missing references.
        missing: usize,
        /// Number of references.
        total: usize,
    },
    /// A block or feature this reader does not support, or a corrupt block.
    #[error("{format:?} byte {offset}: {message}")]
    Unsupported {
        /// Encoding being read.
        format: OsmFormat,
        /// Byte offset of the block.
        offset: u64,
        /// What is unsupported.
        message: String,
    },
    /// The file uses a construct the reader refuses (a DOCTYPE with entity declarations) or a
    /// block breaks a limit as a whole (a zip bomb); reading stopped before it.
    #[error("{format:?} byte {offset}: {message}; refused")]
    Refused {
        /// Encoding being read.
        format: OsmFormat,
        /// Byte offset of the construct.
        offset: u64,
        /// What was refused, with the limit.
        message: String,
    },
    /// One element is larger than a limit; the element was skipped.
    #[error("{kind} {id}: {found} {what} (limit {limit}); skipped")]
    TooLarge {
        /// Element kind.
        kind: ElementKind,
        /// Element id.
        id: i64,
        /// What is counted (`node references`, `members`).
        what: &'static str,
        /// How many the element has.
        found: usize,
        /// The limit.
        limit: usize,
    },
    /// The extract has no street usable on foot (no `highway` way, or none the walk graph
    /// accepts): it cannot be a walking network.
    #[error(
        "no walkable street: {highway_ways} highway ways, none usable on foot; the walking network cannot come from this file"
    )]
    NoWalkableStreet {
        /// Ways with a `highway` tag in the extract.
        highway_ways: usize,
    },
    /// Relations whose relation members nest deeper than [`MAX_RELATION_DEPTH`] or in a cycle;
    /// they were skipped.
    #[error("relation {relation}: relations nest {} (limit {limit}); {count} relations that deep were skipped", depth_text(*.depth))]
    TooDeep {
        /// The deepest relation.
        relation: i64,
        /// Its nesting depth (`usize::MAX` for a cycle).
        depth: usize,
        /// The limit.
        limit: usize,
        /// How many relations were skipped.
        count: usize,
    },
}

/// "N deep", or "in a cycle" for [`usize::MAX`].
fn depth_text(depth: usize) -> String {
    if depth == usize::MAX {
        "in a cycle".to_owned()
    } else {
        format!("{depth} deep")
    }
}

impl OsmProblem {
    /// True when the problem makes the whole file unusable: broken syntax, a truncated file,
    /// an unsupported or corrupt block, a refused construct. Nothing of such a file is loaded.
    pub fn is_fatal(&self) -> bool {
        matches!(
            self,
            OsmProblem::Syntax { .. }
                | OsmProblem::Truncated { .. }
                | OsmProblem::Unsupported { .. }
                | OsmProblem::Refused { .. }
        )
    }

    /// True when something was rejected (fatal problems, bad values, elements over a limit, a
    /// way none of whose nodes is in the extract); false for a way clipped at the extract's
    /// edge, which keeps its part inside (the usual state of an extract).
    pub fn is_error(&self) -> bool {
        match self {
            OsmProblem::MissingNodes { missing, total, .. } => missing >= total,
            _ => true,
        }
    }
}

/// Element counts of what was read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OsmStats {
    /// Nodes with a valid position.
    pub nodes: usize,
    /// Ways.
    pub ways: usize,
    /// Relations.
    pub relations: usize,
    /// Ways with a `highway` tag.
    pub highway_ways: usize,
}

/// What an extract yielded.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OsmData {
    /// Every `highway` way (split where nodes are missing), in file order.
    pub streets: Vec<Street>,
    /// Facilities of the mapped categories: nodes, then ways, then relations, in file order.
    pub facilities: Vec<Facility>,
    /// Gates and crossings (tagged nodes that change how the network is walked), in file order.
    pub network_nodes: Vec<NetworkNode>,
    /// The problems found, in the order found (at most [`MAX_PROBLEMS`]).
    pub problems: Vec<OsmProblem>,
    /// Problems found beyond [`MAX_PROBLEMS`], counted only.
    pub problems_omitted: usize,
    /// Element counts.
    pub stats: OsmStats,
}

impl OsmData {
    /// The first problem that made the file unusable (then `streets` and `facilities` are
    /// empty), if any.
    pub fn fatal(&self) -> Option<&OsmProblem> {
        self.problems.iter().find(|p| p.is_fatal())
    }

    /// Streets the walk graph accepts ([`crate::plan::graph::is_walkable`]).
    pub fn walkable_count(&self) -> usize {
        self.streets
            .iter()
            .filter(|s| crate::plan::graph::is_walkable(s))
            .count()
    }

    /// [`OsmProblem::NoWalkableStreet`] when a readable extract has no walkable street.
    pub fn network_problem(&self) -> Option<OsmProblem> {
        no_walkable(
            self.fatal().is_none() && self.walkable_count() == 0,
            self.stats,
        )
    }
}

/// [`OsmProblem::NoWalkableStreet`] when `none` (a readable extract without a walkable street).
fn no_walkable(none: bool, stats: OsmStats) -> Option<OsmProblem> {
    none.then_some(OsmProblem::NoWalkableStreet {
        highway_ways: stats.highway_ways,
    })
}

/// What an extract yielded, with the streets in flat arrays ([`StreetTable`]): the form the
/// walk graph is built from without an owned [`Street`] per way. [`read`] is this, with the
/// table turned into [`Street`] values.
#[derive(Debug, Clone, Default)]
pub struct OsmNetwork {
    /// Every `highway` way (split where nodes are missing), in file order.
    pub streets: StreetTable,
    /// As [`OsmData::facilities`].
    pub facilities: Vec<Facility>,
    /// As [`OsmData::network_nodes`].
    pub network_nodes: Vec<NetworkNode>,
    /// As [`OsmData::problems`].
    pub problems: Vec<OsmProblem>,
    /// As [`OsmData::problems_omitted`].
    pub problems_omitted: usize,
    /// Element counts.
    pub stats: OsmStats,
}

impl OsmNetwork {
    /// As [`OsmData::fatal`].
    pub fn fatal(&self) -> Option<&OsmProblem> {
        self.problems.iter().find(|p| p.is_fatal())
    }

    /// As [`OsmData::network_problem`], read in the table.
    pub fn network_problem(&self) -> Option<OsmProblem> {
        no_walkable(
            self.fatal().is_none() && !self.streets.any_walkable(),
            self.stats,
        )
    }
}

impl From<OsmNetwork> for OsmData {
    fn from(n: OsmNetwork) -> Self {
        OsmData {
            streets: n.streets.to_streets(),
            facilities: n.facilities,
            network_nodes: n.network_nodes,
            problems: n.problems,
            problems_omitted: n.problems_omitted,
            stats: n.stats,
        }
    }
}

/// Reads an extract of either encoding into flat arrays (see [`OsmNetwork`]); the decoders
/// keep only what assembly needs (node positions, way references, the street tags of highway
/// ways and the full tags of facility ways), never a parse tree.
pub fn read_network(bytes: &[u8]) -> OsmNetwork {
    read_network_as(bytes, OsmFormat::sniff(bytes))
}

/// [`read_network`] of OSM XML read from `input` (`len` bytes in all, for the truncation check),
/// e.g. a `BufReader` over a file: the text is never held whole.
pub fn read_network_xml_from<R: std::io::BufRead>(input: R, len: u64) -> OsmNetwork {
    xml::decode_from(input, len).assemble()
}

/// [`read_network`] in a given encoding.
pub fn read_network_as(bytes: &[u8], format: OsmFormat) -> OsmNetwork {
    match format {
        OsmFormat::Xml => xml::decode(bytes).assemble(),
        OsmFormat::Pbf => pbf::decode(bytes).assemble(),
    }
}

/// Reads an extract of either encoding (see [`OsmFormat::sniff`]).
///
/// ```
/// let xml = br#"<osm version="0.6">
///   <node id="1" lat="31.23" lon="121.47"/><node id="2" lat="31.24" lon="121.47"/>
///   <node id="3" lat="31.235" lon="121.471"><tag k="shop" v="convenience"/></node>
///   <way id="10"><nd ref="1"/><nd ref="2"/><tag k="highway" v="footway"/></way>
/// </osm>"#;
/// let d = shuangquan::plan::osm::read(xml);
/// assert_eq!(d.streets.len(), 1);
/// assert_eq!(d.facilities[0].id, "n3");
/// assert!(d.problems.is_empty());
/// ```
pub fn read(bytes: &[u8]) -> OsmData {
    match OsmFormat::sniff(bytes) {
        OsmFormat::Xml => read_xml(bytes),
        OsmFormat::Pbf => read_pbf(bytes),
    }
}

/// Reads OSM XML.
pub fn read_xml(bytes: &[u8]) -> OsmData {
    xml::decode(bytes).assemble().into()
}

/// Reads OSM PBF.
pub fn read_pbf(bytes: &[u8]) -> OsmData {
    pbf::decode(bytes).assemble().into()
}

/// A way as decoded (one at a time; [`RawOsm::push_way`] keeps a [`WayRec`] of it).
#[derive(Debug, Default)]
struct RawWay {
    id: i64,
    /// The first [`MAX_WAY_NODES`] + 1 references (more are only counted).
    refs: Vec<i64>,
    /// How many references the way has.
    ref_count: usize,
    tags: Tags,
}

impl RawWay {
    /// Adds a node reference, keeping at most one past the limit.
    fn push_ref(&mut self, r: i64) {
        self.ref_count += 1;
        if self.refs.len() <= MAX_WAY_NODES {
            self.refs.push(r);
        }
    }
}

/// A way as kept until assembly (32 bytes): its references in [`RawOsm::refs`], the tags it
/// needs.
#[derive(Debug)]
struct WayRec {
    id: i64,
    /// Its references are `refs[start..end]` (at most [`MAX_WAY_NODES`] + 1).
    start: u32,
    end: u32,
    /// How many references the way has (saturating).
    ref_count: u32,
    /// The interned [`STREET_TAGS`] row of a way with a `highway` tag, else [`NO_INDEX`].
    street: u32,
    /// Index into [`RawOsm::facility_tags`] of a way that maps to a facility category, else
    /// [`NO_INDEX`].
    facility: u32,
}

/// "None" in a [`WayRec`] index field.
const NO_INDEX: u32 = u32::MAX;

impl WayRec {
    fn refs<'a>(&self, refs: &'a [i64]) -> &'a [i64] {
        &refs[self.start as usize..self.end as usize]
    }

    fn street(&self) -> Option<u32> {
        (self.street != NO_INDEX).then_some(self.street)
    }
}

/// A relation member as decoded.
#[derive(Debug)]
struct RawMember {
    kind: ElementKind,
    id: i64,
    role: String,
}

/// A relation as decoded.
#[derive(Debug, Default)]
struct RawRelation {
    id: i64,
    /// The first [`MAX_RELATION_MEMBERS`] + 1 members (more are only counted).
    members: Vec<RawMember>,
    /// How many members the relation has.
    member_count: usize,
    tags: Tags,
}

impl RawRelation {
    /// Adds a member, keeping at most one past the limit.
    fn push_member(&mut self, m: RawMember) {
        self.member_count += 1;
        if self.members.len() <= MAX_RELATION_MEMBERS {
            self.members.push(m);
        }
    }
}

/// The decoded elements of an extract, before assembly.
#[derive(Debug, Default)]
struct RawOsm {
    /// Every node with a valid position.
    nodes: Vec<(i64, LonLat)>,
    /// Nodes with tags (position in `nodes`).
    tagged_nodes: Vec<(i64, LonLat, Tags)>,
    ways: Vec<WayRec>,
    /// Node references of every way, flat.
    refs: Vec<i64>,
    /// Full tags of the ways that map to a facility category.
    facility_tags: Vec<Tags>,
    /// The streets' tag values (interned) while decoding; the streets themselves at assembly.
    streets: StreetTable,
    relations: Vec<RawRelation>,
    problems: Vec<OsmProblem>,
    problems_omitted: usize,
}

/// The problem of an element whose id is outside the accepted range.
fn bad_id(kind: ElementKind, id: i64) -> OsmProblem {
    OsmProblem::BadValue {
        kind,
        id,
        field: "id",
        value: id.to_string(),
        message: "id is 0 or beyond ±(2^53 − 1)",
    }
}

impl RawOsm {
    /// Records a problem, or counts it past [`MAX_PROBLEMS`].
    fn problem(&mut self, p: OsmProblem) {
        if self.problems.len() < MAX_PROBLEMS || p.is_fatal() {
            self.problems.push(p);
        } else {
            self.problems_omitted += 1;
        }
    }

    /// True once a fatal problem was recorded.
    fn failed(&self) -> bool {
        self.problems.iter().any(OsmProblem::is_fatal)
    }

    /// Accepts a way (after its id is checked), keeping only what assembly reads: its
    /// references, the street tags of a highway, the tags of a facility.
    fn push_way(&mut self, w: RawWay) {
        if !id_in_range(w.id) {
            self.problem(bad_id(ElementKind::Way, w.id));
            return;
        }
        let index = |n: usize| u32::try_from(n).unwrap_or(NO_INDEX);
        let start = index(self.refs.len());
        self.refs.extend_from_slice(&w.refs);
        let street = if w.tags.get("highway").is_some() {
            self.streets.intern(STREET_TAGS.map(|k| w.tags.get(k)))
        } else {
            NO_INDEX
        };
        let facility = if tags::classify(&w.tags).is_empty() {
            NO_INDEX
        } else {
            self.facility_tags.push(w.tags);
            index(self.facility_tags.len() - 1)
        };
        self.ways.push(WayRec {
            id: w.id,
            start,
            end: index(self.refs.len()),
            ref_count: index(w.ref_count),
            street,
            facility,
        });
    }

    /// Accepts a relation (after its id is checked).
    fn push_relation(&mut self, r: RawRelation) {
        if id_in_range(r.id) {
            self.relations.push(r);
        } else {
            self.problem(bad_id(ElementKind::Relation, r.id));
        }
    }

    /// Accepts a node, validating its id and position.
    fn push_node(&mut self, id: i64, pos: LonLat, tags: Tags) {
        if !id_in_range(id) {
            self.problem(bad_id(ElementKind::Node, id));
            return;
        }
        if !pos.is_valid() {
            self.problem(OsmProblem::BadValue {
                kind: ElementKind::Node,
                id,
                field: "lat/lon",
                value: format!("{}, {}", pos.lat, pos.lon),
                message: "not a WGS-84 position",
            });
            return;
        }
        self.nodes.push((id, pos));
        if !tags.is_empty() {
            self.tagged_nodes.push((id, pos, tags));
        }
    }

    fn assemble(mut self) -> OsmNetwork {
        if self.failed() {
            // Nothing is loaded half-way: the counts say what was read, the problems why not.
            return OsmNetwork {
                stats: OsmStats {
                    nodes: self.nodes.len(),
                    ways: self.ways.len(),
                    relations: self.relations.len(),
                    highway_ways: self.ways.iter().filter(|w| w.street().is_some()).count(),
                },
                problems: self.problems,
                problems_omitted: self.problems_omitted,
                ..OsmNetwork::default()
            };
        }
        let (ways_read, relations_read) = (self.ways.len(), self.relations.len());
        // Elements over a limit are skipped (and named) before anything refers to them.
        let mut over = Vec::new();
        self.ways.retain(|w| {
            let ok = w.ref_count as usize <= MAX_WAY_NODES;
            if !ok {
                over.push(OsmProblem::TooLarge {
                    kind: ElementKind::Way,
                    id: w.id,
                    what: "node references",
                    found: w.ref_count as usize,
                    limit: MAX_WAY_NODES,
                });
            }
            ok
        });
        self.relations.retain(|r| {
            let ok = r.member_count <= MAX_RELATION_MEMBERS;
            if !ok {
                over.push(OsmProblem::TooLarge {
                    kind: ElementKind::Relation,
                    id: r.id,
                    what: "members",
                    found: r.member_count,
                    limit: MAX_RELATION_MEMBERS,
                });
            }
            ok
        });
        for p in over {
            self.problem(p);
        }
        if let Some(p) = drop_deep_relations(&mut self.relations) {
            self.problem(p);
        }
        // Nodes sorted by id for binary-search lookup; the first of duplicate ids wins.
        // (Extracts are usually sorted already: then there is nothing to move.)
        if !self.nodes.is_sorted_by_key(|&(id, _)| id) {
            self.nodes.sort_by_key(|&(id, _)| id);
        }
        self.nodes.dedup_by_key(|&mut (id, _)| id);
        let lookup = |id: i64| -> Option<LonLat> {
            self.nodes
                .binary_search_by_key(&id, |&(i, _)| i)
                .ok()
                .map(|k| self.nodes[k].1)
        };
        let mut out = OsmNetwork {
            streets: std::mem::take(&mut self.streets),
            stats: OsmStats {
                nodes: self.nodes.len(),
                ways: ways_read,
                relations: relations_read,
                highway_ways: 0,
            },
            ..OsmNetwork::default()
        };
        let mut problems = std::mem::take(&mut self.problems);
        let mut omitted = self.problems_omitted;
        let mut note = |problems: &mut Vec<OsmProblem>, p: OsmProblem| {
            if problems.len() < MAX_PROBLEMS {
                problems.push(p);
            } else {
                omitted += 1;
            }
        };

        for (id, pos, tags) in &self.tagged_nodes {
            push_facilities(&mut out.facilities, &format!("n{id}"), tags, *pos);
            if let Some(kind) = tags::network_node_kind(tags) {
                out.network_nodes.push(NetworkNode {
                    pos_wgs84: *pos,
                    kind,
                });
            }
        }

        // Way ids → index, for relation members.
        let mut way_index: Vec<(i64, usize)> = self
            .ways
            .iter()
            .enumerate()
            .map(|(k, w)| (w.id, k))
            .collect();
        way_index.sort_unstable();

        let (streets, vertices) = self
            .ways
            .iter()
            .filter(|w| w.street().is_some())
            .fold((0, 0), |(s, v), w| (s + 1, v + w.refs(&self.refs).len()));
        out.streets.reserve(streets, vertices);
        let mut run: Vec<LonLat> = Vec::new();
        let mut all: Vec<LonLat> = Vec::new();
        for way in &self.ways {
            let facility = self.facility_tags.get(way.facility as usize);
            if way.street().is_none() && facility.is_none() {
                continue;
            }
            let refs = way.refs(&self.refs);
            let (mut missing, mut part) = (0, 0u32);
            let mut flush = |run: &mut Vec<LonLat>, out: &mut OsmNetwork| {
                if let (Some(tags), true) = (way.street(), run.len() >= 2) {
                    out.streets.push_interned(way.id, part, run.drain(..), tags);
                    part += 1;
                }
                run.clear();
            };
            all.clear();
            for &r in refs {
                if let Some(p) = lookup(r) {
                    run.push(p);
                    if facility.is_some() {
                        all.push(p);
                    }
                } else {
                    missing += 1;
                    flush(&mut run, &mut out);
                }
            }
            flush(&mut run, &mut out);
            if missing > 0 {
                note(
                    &mut problems,
                    OsmProblem::MissingNodes {
                        way: way.id,
                        missing,
                        total: refs.len(),
                    },
                );
            }
            if way.street().is_some() {
                out.stats.highway_ways += 1;
            }
            let Some(tags) = facility.filter(|_| missing == 0) else {
                continue;
            };
            if let Some(c) = way_centroid(&all) {
                push_facilities(&mut out.facilities, &format!("w{}", way.id), tags, c);
            }
        }
        out.streets.shrink_to_fit();

        for rel in &self.relations {
            if tags::classify(&rel.tags).is_empty() {
                continue;
            }
            let mut polys = Vec::new();
            let mut all = Vec::new();
            for m in &rel.members {
                if m.kind != ElementKind::Way || !(m.role.is_empty() || m.role == "outer") {
                    continue;
                }
                let Ok(k) = way_index.binary_search_by_key(&m.id, |&(id, _)| id) else {
                    continue;
                };
                let w = &self.ways[way_index[k].1];
                let coords: Option<Vec<LonLat>> =
                    w.refs(&self.refs).iter().map(|&r| lookup(r)).collect();
                let Some(coords) = coords else { continue };
                if coords.len() >= 4 && coords.first() == coords.last() {
                    polys.push(Polygon::new(to_line(&coords), vec![]));
                }
                all.extend(coords);
            }
            let c = MultiPolygon::new(polys)
                .centroid()
                .map(|p| LonLat::new(p.x(), p.y()))
                .or_else(|| way_centroid(&all));
            if let Some(c) = c {
                push_facilities(&mut out.facilities, &format!("r{}", rel.id), &rel.tags, c);
            }
        }
        out.problems = problems;
        out.problems_omitted = omitted;
        out
    }
}

/// Drops the relations whose relation members nest deeper than [`MAX_RELATION_DEPTH`] (a
/// relation without relation members has depth 1) or form a cycle; returns the problem that
/// names the deepest. Iterative depth-first search, O(R + M).
fn drop_deep_relations(relations: &mut Vec<RawRelation>) -> Option<OsmProblem> {
    const CYCLE: usize = usize::MAX;
    let mut index: Vec<(i64, usize)> = relations
        .iter()
        .enumerate()
        .map(|(k, r)| (r.id, k))
        .collect();
    index.sort_unstable();
    let child = |id: i64| {
        index
            .binary_search_by_key(&id, |&(i, _)| i)
            .ok()
            .map(|k| index[k].1)
    };
    // 0 = not seen, 1 = on the stack, 2 = done.
    let mut state = vec![0u8; relations.len()];
    let mut depth = vec![1usize; relations.len()];
    for root in 0..relations.len() {
        if state[root] != 0 {
            continue;
        }
        let mut stack = vec![(root, 0usize)];
        state[root] = 1;
        while let Some(&mut (r, ref mut next)) = stack.last_mut() {
            let members = &relations[r].members;
            if let Some(m) = members.get(*next) {
                *next += 1;
                if m.kind != ElementKind::Relation {
                    continue;
                }
                let Some(c) = child(m.id) else { continue };
                match state[c] {
                    0 => {
                        state[c] = 1;
                        stack.push((c, 0));
                    }
                    1 => depth[r] = CYCLE,
                    _ => {
                        depth[r] = depth[r].max(depth[c].saturating_add(1));
                    }
                }
            } else {
                state[r] = 2;
                stack.pop();
                if let Some(&(parent, _)) = stack.last() {
                    depth[parent] = depth[parent].max(depth[r].saturating_add(1));
                }
            }
        }
    }
    let deep: Vec<usize> = (0..relations.len())
        .filter(|&k| depth[k] > MAX_RELATION_DEPTH)
        .collect();
    let worst = *deep
        .iter()
        .max_by_key(|&&k| (depth[k], std::cmp::Reverse(k)))?;
    let problem = OsmProblem::TooDeep {
        relation: relations[worst].id,
        depth: depth[worst],
        limit: MAX_RELATION_DEPTH,
        count: deep.len(),
    };
    let mut k = 0;
    relations.retain(|_| {
        k += 1;
        depth[k - 1] <= MAX_RELATION_DEPTH
    });
    Some(problem)
}

fn to_line(coords: &[LonLat]) -> LineString<f64> {
    LineString::new(
        coords
            .iter()
            .map(|p| Coord { x: p.lon, y: p.lat })
            .collect(),
    )
}

/// Area centroid of a closed way, length centroid of an open one, the point of a one-node way.
fn way_centroid(coords: &[LonLat]) -> Option<LonLat> {
    let c = match coords {
        [] => None,
        [p] => Some(*p),
        _ if coords.len() >= 4 && coords.first() == coords.last() => {
            Polygon::new(to_line(coords), vec![])
                .centroid()
                .map(|p| LonLat::new(p.x(), p.y()))
        }
        _ => to_line(coords)
            .centroid()
            .map(|p| LonLat::new(p.x(), p.y())),
    };
    // Degenerate polygons (zero area) fall back to the vertex mean.
    c.filter(|p| p.is_valid()).or_else(|| {
        let n = coords.len() as f64;
        (n > 0.0).then(|| {
            LonLat::new(
                coords.iter().map(|p| p.lon).sum::<f64>() / n,
                coords.iter().map(|p| p.lat).sum::<f64>() / n,
            )
        })
    })
}

fn push_facilities(out: &mut Vec<Facility>, id: &str, tags: &Tags, pos: LonLat) {
    let cats = tags::classify(tags);
    let several = cats.len() > 1;
    for category in cats {
        out.push(Facility {
            id: if several {
                format!("{id}:{}", category.id())
            } else {
                id.to_owned()
            },
            name: tags.display_name(),
            category,
            pos_wgs84: pos,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::model::Category;

    #[test]
    fn clipped_way_is_split_not_bridged() {
        let xml = br#"<osm>
          <node id="1" lat="60.0" lon="24.0"/><node id="2" lat="60.001" lon="24.0"/>
          <node id="4" lat="60.003" lon="24.0"/><node id="5" lat="60.004" lon="24.0"/>
          <way id="7"><nd ref="1"/><nd ref="2"/><nd ref="3"/><nd ref="4"/><nd ref="5"/>
            <tag k="highway" v="residential"/><tag k="name" v="Katu"/></way>
        </osm>"#;
        let d = read(xml);
        assert_eq!(d.streets.len(), 2);
        assert_eq!(d.streets[0].id, "7");
        assert_eq!(d.streets[1].id, "7#1");
        assert_eq!(d.streets[1].coords_wgs84.len(), 2);
        assert_eq!(d.streets[0].name.as_deref(), Some("Katu"));
        assert!(matches!(
            d.problems[..],
            [OsmProblem::MissingNodes {
                way: 7,
                missing: 1,
                total: 5
            }]
        ));
    }

    #[test]
    fn area_facility_at_centroid_and_multi_category_ids() {
        let xml = r#"<osm>
          <node id="1" lat="0" lon="0"/><node id="2" lat="0" lon="2"/>
          <node id="3" lat="2" lon="2"/><node id="4" lat="2" lon="0"/>
          <way id="9"><nd ref="1"/><nd ref="2"/><nd ref="3"/><nd ref="4"/><nd ref="1"/>
            <tag k="amenity" v="marketplace"/><tag k="name" v="菜场"/></way>
          <node id="5" lat="1" lon="1"><tag k="shop" v="bakery"/><tag k="amenity" v="pharmacy"/></node>
        </osm>"#;
        let d = read(xml.as_bytes());
        assert_eq!(d.facilities.len(), 3);
        assert_eq!(d.facilities[0].id, "n5:breakfast");
        assert_eq!(d.facilities[1].id, "n5:pharmacy");
        let m = &d.facilities[2];
        assert_eq!((m.id.as_str(), m.category), ("w9", Category::Market));
        assert!((m.pos_wgs84.lon - 1.0).abs() < 1e-9 && (m.pos_wgs84.lat - 1.0).abs() < 1e-9);
    }

    #[test]
    fn sniffing() {
        assert_eq!(OsmFormat::sniff(b"\xEF\xBB\xBF  <?xml"), OsmFormat::Xml);
        assert_eq!(OsmFormat::sniff(&[0, 0, 0, 13]), OsmFormat::Pbf);
    }
}
