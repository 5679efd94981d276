//! The streets layer of a package as an OSM PBF file (`streets.osm.pbf`): the compact format
//! for the one layer that grows with the city (a city's streets are tens of MB of GeoJSON
//! text; the same ways as PBF are a fifth of that, read by the same streaming decoder as a
//! dropped extract, and QGIS and GDAL open them with their OSM driver).
//!
//! Written here rather than with a crate: the Rust PBF crates read only, and the decoder that
//! reads this file back is our own ([`crate::plan::osm`]); the writer is its mirror for the
//! few messages a street layer needs. `miniz_oxide` (already linked) compresses each block
//! (natively; the browser build writes raw blocks, see `frame`).
//!
//! The file: an `OSMHeader` blob (required features `OsmSchema-V0.6` and `DenseNodes`), then
//! blocks of at most [`BLOCK`] dense nodes, then blocks of at most [`BLOCK`] ways, each way
//! with the tags a street keeps (`highway`, `foot`, `access`, `name`, `area`, `service`).
//! Positions are stored at the format's default granularity (1e-7°, ≈ 1 cm). A vertex shared
//! by two streets is one node, so junctions survive the round trip; two vertices within the
//! same 1e-7° cell become one node. A way keeps its OSM id when the street's id is one (a part
//! of a split way, `123#2`, or a non-OSM id gets a fresh negative id, as JOSM gives new objects).
//!
//! Only OSM-style streets fit: a street without a `highway` value would not be read back as a
//! street, so it is refused ([`PbfError::NoHighway`]) and the caller writes GeoJSON instead.
//!
//! Time and memory: O(vertices); one hash map from position to node id.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use crate::plan::graph::{StreetLine, StreetTable};

/// Most entities per block (the format recommends ≤ 8,000).
pub const BLOCK: usize = 8_000;

/// Why a street layer cannot be written as PBF.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PbfError {
    /// A street without a `highway` value (an OSM reader would not read it as a street).
    #[error("street {id:?} has no `highway` value")]
    NoHighway {
        /// The street's id.
        id: String,
    },
    /// A vertex that is not a WGS-84 position.
    #[error("street {id:?} has a vertex outside WGS-84")]
    BadCoordinate {
        /// The street's id.
        id: String,
    },
}

/// A protobuf message being written.
#[derive(Default)]
struct Out(Vec<u8>);

impl Out {
    fn varint(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.0.push((v as u8) | 0x80);
            v >>= 7;
        }
        self.0.push(v as u8);
    }

    fn key(&mut self, field: u64, wire: u64) {
        self.varint((field << 3) | wire);
    }

    fn uint(&mut self, field: u64, v: u64) {
        self.key(field, 0);
        self.varint(v);
    }

    fn bytes(&mut self, field: u64, b: &[u8]) {
        self.key(field, 2);
        self.varint(b.len() as u64);
        self.0.extend_from_slice(b);
    }

    /// A packed repeated field of varints (skipped when empty).
    fn packed(&mut self, field: u64, values: impl IntoIterator<Item = u64>) {
        let mut inner = Out::default();
        for v in values {
            inner.varint(v);
        }
        if !inner.0.is_empty() {
            self.bytes(field, &inner.0);
        }
    }
}

fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

/// Deltas of a sequence, zigzag-encoded.
fn deltas(values: impl IntoIterator<Item = i64>) -> impl Iterator<Item = u64> {
    let mut last = 0i64;
    values.into_iter().map(move |v| {
        let d = v.wrapping_sub(last);
        last = v;
        zigzag(d)
    })
}

/// One `BlobHeader` + `Blob` frame: zlib data natively; raw data in the browser build, which
/// links no deflate (the package export deflates each file of its ZIP as a whole, through the
/// browser's `CompressionStream`: `web::owndata`), read back by every PBF reader all the same.
fn frame(out: &mut Vec<u8>, kind: &str, block: &[u8]) {
    let mut blob = Out::default();
    blob.uint(2, block.len() as u64);
    #[cfg(not(target_arch = "wasm32"))]
    blob.bytes(3, &miniz_oxide::deflate::compress_to_vec_zlib(block, 6));
    #[cfg(target_arch = "wasm32")]
    blob.bytes(1, block);
    let mut header = Out::default();
    header.bytes(1, kind.as_bytes());
    header.uint(3, blob.0.len() as u64);
    out.extend_from_slice(
        &u32::try_from(header.0.len())
            .unwrap_or(u32::MAX)
            .to_be_bytes(),
    );
    out.extend_from_slice(&header.0);
    out.extend_from_slice(&blob.0);
}

/// A position in units of 1e-7° (the default granularity), or `None` outside WGS-84.
fn fixed(lon: f64, lat: f64) -> Option<(i64, i64)> {
    let ok = lon.is_finite() && lat.is_finite() && lon.abs() <= 180.0 && lat.abs() <= 90.0;
    ok.then(|| ((lat * 1e7).round() as i64, (lon * 1e7).round() as i64))
}

/// A primitive block of one group (`group` is the encoded `PrimitiveGroup`).
fn block(strings: &[&str], group: &[u8]) -> Vec<u8> {
    let mut table = Out::default();
    for s in strings {
        table.bytes(1, s.as_bytes());
    }
    let mut b = Out::default();
    b.bytes(1, &table.0);
    b.bytes(2, group);
    b.0
}

/// Node ids (1, 2, … in order of first use) and each street's references.
struct Nodes {
    /// (lat, lon) in 1e-7°, node `k` has id `k + 1`.
    positions: Vec<(i64, i64)>,
    refs: Vec<Vec<i64>>,
}

fn nodes_of(table: &StreetTable, range: Range<usize>) -> Result<Nodes, PbfError> {
    let mut index: HashMap<(i64, i64), i64> = HashMap::new();
    let mut positions = Vec::new();
    let mut refs = Vec::with_capacity(range.len());
    for s in table.lines_in(range) {
        let id = || table.id(s.index);
        if s.attrs.tags.highway.is_none_or(|h| h.trim().is_empty()) {
            return Err(PbfError::NoHighway { id: id() });
        }
        let mut way: Vec<i64> = Vec::with_capacity(s.coords_wgs84.len());
        for c in s.coords_wgs84 {
            let p = fixed(c.lon, c.lat).ok_or_else(|| PbfError::BadCoordinate { id: id() })?;
            let id = *index.entry(p).or_insert_with(|| {
                positions.push(p);
                positions.len() as i64
            });
            // Two vertices in one 1e-7° cell are one node: no zero-length segment.
            if way.last() != Some(&id) {
                way.push(id);
            }
        }
        refs.push(way);
    }
    Ok(Nodes { positions, refs })
}

/// Way ids: the street's own when it is a whole OSM way id, else fresh negative ones.
fn way_ids(table: &StreetTable, range: Range<usize>) -> Vec<i64> {
    let own: Vec<Option<i64>> = range
        .map(|k| {
            table
                .id(k)
                .parse::<i64>()
                .ok()
                .filter(|&id| crate::plan::osm::id_in_range(id))
        })
        .collect();
    let mut used: HashSet<i64> = HashSet::new();
    let mut fresh = 0i64;
    own.into_iter()
        .map(|id| match id {
            Some(id) if used.insert(id) => id,
            _ => loop {
                fresh -= 1;
                if used.insert(fresh) {
                    break fresh;
                }
            },
        })
        .collect()
}

/// The tag values a street keeps, by OSM key.
fn tags<'a>(s: &StreetLine<'a>) -> [(&'static str, Option<&'a str>); 6] {
    let t = &s.attrs.tags;
    [
        ("highway", t.highway),
        ("foot", t.foot),
        ("access", t.access),
        ("name", s.attrs.name),
        ("area", t.area),
        ("service", t.service),
    ]
}

/// One block of ways.
fn ways_block<'a>(
    streets: impl Iterator<Item = StreetLine<'a>>,
    ids: &[i64],
    refs: &[Vec<i64>],
) -> Vec<u8> {
    let mut strings: Vec<&str> = vec![""];
    let mut index: HashMap<&str, u64> = HashMap::new();
    let mut group = Out::default();
    for ((s, &id), way_refs) in streets.zip(ids).zip(refs) {
        let mut keys = Vec::new();
        let mut vals = Vec::new();
        for (k, v) in tags(&s) {
            let Some(v) = v else { continue };
            for (text, list) in [(k, &mut keys), (v, &mut vals)] {
                let n = *index.entry(text).or_insert_with(|| {
                    strings.push(text);
                    strings.len() as u64 - 1
                });
                list.push(n);
            }
        }
        let mut way = Out::default();
        way.uint(1, id as u64);
        way.packed(2, keys);
        way.packed(3, vals);
        way.packed(8, deltas(way_refs.iter().copied()));
        group.bytes(3, &way.0);
    }
    block(&strings, &group.0)
}

/// The streets `range` of `table` as an OSM PBF file (see the module documentation).
pub fn streets_pbf(table: &StreetTable, range: Range<usize>) -> Result<Vec<u8>, PbfError> {
    let range = range.start.min(table.len())..range.end.min(table.len());
    let nodes = nodes_of(table, range.clone())?;
    let ids = way_ids(table, range.clone());
    let mut out = Vec::new();
    let mut header = Out::default();
    header.bytes(4, b"OsmSchema-V0.6");
    header.bytes(4, b"DenseNodes");
    header.bytes(16, b"shuangquan");
    frame(&mut out, "OSMHeader", &header.0);
    for (k, chunk) in nodes.positions.chunks(BLOCK).enumerate() {
        let first = (k * BLOCK) as i64 + 1;
        let mut dense = Out::default();
        dense.packed(1, deltas((0..chunk.len() as i64).map(|i| first + i)));
        dense.packed(8, deltas(chunk.iter().map(|p| p.0)));
        dense.packed(9, deltas(chunk.iter().map(|p| p.1)));
        let mut group = Out::default();
        group.bytes(2, &dense.0);
        frame(&mut out, "OSMData", &block(&[""], &group.0));
    }
    for start in (0..range.len()).step_by(BLOCK) {
        let end = (start + BLOCK).min(range.len());
        let lines = table.lines_in(range.start + start..range.start + end);
        let b = ways_block(lines, &ids[start..end], &nodes.refs[start..end]);
        frame(&mut out, "OSMData", &b);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::geom::LonLat;
    use crate::plan::graph::WalkGraph;
    use crate::plan::model::Street;

    fn table(streets: &[Street]) -> StreetTable {
        let mut t = StreetTable::default();
        for s in streets {
            t.push_street(s);
        }
        t
    }

    fn pbf(streets: &[Street]) -> Result<Vec<u8>, PbfError> {
        streets_pbf(&table(streets), 0..streets.len())
    }

    fn street(id: &str, coords: &[(f64, f64)], highway: Option<&str>) -> Street {
        Street {
            id: id.into(),
            coords_wgs84: coords
                .iter()
                .map(|&(lon, lat)| LonLat { lon, lat })
                .collect(),
            highway: highway.map(Into::into),
            foot: None,
            access: None,
            name: None,
            area: None,
            service: None,
        }
    }

    /// A real extract, read by the OSM reader: the oracle the written file must give back.
    fn real_streets() -> Vec<Street> {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/data/sources/nanjing/nanjing_xinjiekou.osm"
        );
        let bytes = std::fs::read(path).expect("the Nanjing extract is in the repository");
        crate::plan::osm::read(&bytes).streets
    }

    #[test]
    fn a_real_extract_reads_back_street_for_street() {
        let streets = real_streets();
        assert!(streets.len() > 300, "{} streets", streets.len());
        let pbf = pbf(&streets).expect("OSM streets fit");
        let back = crate::plan::osm::read(&pbf);
        assert!(back.problems.is_empty(), "{:?}", &back.problems[..1]);
        assert_eq!(back.streets.len(), streets.len());
        for (a, b) in streets.iter().zip(&back.streets) {
            assert_eq!(
                (&a.highway, &a.foot, &a.access, &a.name, &a.area, &a.service),
                (&b.highway, &b.foot, &b.access, &b.name, &b.area, &b.service),
                "street {}",
                a.id
            );
            // Whole ways keep their ids; parts of a split way get fresh ones.
            if !a.id.contains('#') {
                assert_eq!(a.id, b.id);
            }
            assert_eq!(
                a.coords_wgs84.len(),
                b.coords_wgs84.len(),
                "street {}",
                a.id
            );
            for (p, q) in a.coords_wgs84.iter().zip(&b.coords_wgs84) {
                assert!((p.lon - q.lon).abs() < 1e-7 && (p.lat - q.lat).abs() < 1e-7);
            }
        }
        // Junctions survive: the walk graphs are the same size.
        let (ga, gb) = (WalkGraph::build(&streets), WalkGraph::build(&back.streets));
        assert_eq!(ga.node_count(), gb.node_count());
        assert_eq!(ga.edge_count(), gb.edge_count());
    }

    #[test]
    fn the_file_is_smaller_than_the_geojson() {
        let streets = real_streets();
        let pbf = pbf(&streets).expect("OSM streets fit");
        let json = crate::plan::package::write::streets_geojson(&streets);
        assert!(
            pbf.len() * 3 < json.len(),
            "{} vs {}",
            pbf.len(),
            json.len()
        );
    }

    #[test]
    fn blocks_split_and_ids_stay_unique() {
        // More ways and nodes than one block holds, with split-way and non-OSM ids.
        let streets: Vec<Street> = (0..BLOCK + 5)
            .map(|i| {
                let x = 118.0 + i as f64 * 1e-4;
                let id = match i % 3 {
                    0 => format!("{}", 1_000 + i),
                    1 => format!("{}#1", 1_000 + i - 1),
                    _ => format!("feature-{i}"),
                };
                street(&id, &[(x, 32.0), (x, 32.001)], Some("footway"))
            })
            .collect();
        let back = crate::plan::osm::read(&pbf(&streets).expect("fits"));
        assert!(back.problems.is_empty(), "{:?}", &back.problems[..1]);
        assert_eq!(back.streets.len(), streets.len());
        let ids: HashSet<&str> = back.streets.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids.len(), streets.len());
        assert_eq!(back.streets[0].id, "1000");
    }

    #[test]
    fn streets_an_osm_file_cannot_hold_are_refused() {
        let plain = street("a", &[(118.0, 32.0), (118.1, 32.0)], None);
        assert_eq!(pbf(&[plain]), Err(PbfError::NoHighway { id: "a".into() }));
        let off = street("b", &[(118.0, 32.0), (f64::NAN, 32.0)], Some("footway"));
        assert_eq!(pbf(&[off]), Err(PbfError::BadCoordinate { id: "b".into() }));
    }

    #[test]
    fn an_empty_layer_is_a_valid_file() {
        let back = crate::plan::osm::read(&pbf(&[]).expect("empty fits"));
        assert!(back.streets.is_empty());
    }
}
