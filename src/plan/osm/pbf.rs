//! OSM PBF decoder: our own small protobuf reader for the `fileformat.proto` /
//! `osmformat.proto` messages we need (BlobHeader, Blob, HeaderBlock, PrimitiveBlock with
//! plain and dense nodes, ways and relations), with zlib blobs inflated by `miniz_oxide`.
//! Pure Rust with no threads or memory maps, so it runs unchanged in the browser.
//!
//! Positions are `1e-9 × (offset + granularity × value)` degrees, as the format defines.
//! Limits from the format's specification are enforced (BlobHeader ≤ 64 KiB, Blob ≤ 32 MiB
//! compressed and uncompressed), and a zip bomb is refused **before inflating**: a compressed
//! blob must declare its `raw_size`, which may be at most 32 MiB and at most
//! [`MAX_INFLATE_RATIO`] times its compressed size (real OSM blocks inflate 2–5×); inflating
//! stops at the declared size and a blob that inflates to another size is corrupt. A corrupt
//! block, broken framing, a file cut inside a block and blobs compressed with LZMA, LZ4 or
//! Zstandard end the read with a fatal problem (nothing is loaded half-way).
//! Complexity: O(input + decompressed size).

use super::tags::Tags;
use super::{ElementKind, OsmFormat, OsmProblem, RawMember, RawOsm, RawRelation, RawWay};
use crate::plan::geom::LonLat;

const MAX_HEADER: usize = 64 * 1024;
const MAX_BLOB: usize = 32 * 1024 * 1024;
/// Largest accepted ratio of a blob's declared uncompressed size to its compressed size.
pub const MAX_INFLATE_RATIO: usize = 100;

/// A decoding failure inside one message.
#[derive(Debug)]
struct PbError(&'static str);

type Pb<T> = Result<T, PbError>;

/// One protobuf field value.
#[derive(Clone, Copy)]
enum Wire<'a> {
    Varint(u64),
    Bytes(&'a [u8]),
    Fixed,
}

/// A cursor over one protobuf message.
struct Msg<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Msg<'a> {
    fn new(buf: &'a [u8]) -> Self {
        Self { buf, pos: 0 }
    }

    fn varint(&mut self) -> Pb<u64> {
        let mut v: u64 = 0;
        for shift in (0..64).step_by(7) {
            let b = *self
                .buf
                .get(self.pos)
                .ok_or(PbError("varint runs past the end"))?;
            self.pos += 1;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(PbError("varint longer than 10 bytes"))
    }

    fn take(&mut self, n: usize) -> Pb<&'a [u8]> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&e| e <= self.buf.len())
            .ok_or(PbError("field runs past the end"))?;
        let s = &self.buf[self.pos..end];
        self.pos = end;
        Ok(s)
    }

    /// The next `(field number, value)`, or `None` at the end.
    fn next(&mut self) -> Pb<Option<(u64, Wire<'a>)>> {
        if self.pos >= self.buf.len() {
            return Ok(None);
        }
        let key = self.varint()?;
        let w = match key & 7 {
            0 => Wire::Varint(self.varint()?),
            1 => {
                self.take(8)?;
                Wire::Fixed
            }
            2 => {
                let n = usize::try_from(self.varint()?).map_err(|_| PbError("length too large"))?;
                Wire::Bytes(self.take(n)?)
            }
            5 => {
                self.take(4)?;
                Wire::Fixed
            }
            _ => return Err(PbError("unsupported wire type")),
        };
        Ok(Some((key >> 3, w)))
    }
}

fn zigzag(n: u64) -> i64 {
    ((n >> 1) as i64) ^ -((n & 1) as i64)
}

/// Appends a repeated varint field, packed or not.
fn push_varints(w: Wire<'_>, out: &mut Vec<u64>) -> Pb<()> {
    match w {
        Wire::Varint(v) => out.push(v),
        Wire::Bytes(b) => {
            let mut m = Msg::new(b);
            while m.pos < b.len() {
                out.push(m.varint()?);
            }
        }
        Wire::Fixed => return Err(PbError("expected a varint field")),
    }
    Ok(())
}

fn as_varint(w: Wire<'_>) -> Pb<u64> {
    match w {
        Wire::Varint(v) => Ok(v),
        _ => Err(PbError("expected a varint field")),
    }
}

fn as_bytes(w: Wire<'_>) -> Pb<&[u8]> {
    match w {
        Wire::Bytes(b) => Ok(b),
        _ => Err(PbError("expected a length-delimited field")),
    }
}

/// Decodes a PBF file into raw elements, collecting problems.
pub(super) fn decode(bytes: &[u8]) -> RawOsm {
    let mut raw = RawOsm::default();
    let mut pos = 0usize;
    let mut saw_header = false;
    let problem = |offset: usize, message: String| OsmProblem::Syntax {
        format: OsmFormat::Pbf,
        offset: offset as u64,
        message,
    };
    while pos < bytes.len() {
        let Some(len_bytes) = bytes.get(pos..pos + 4) else {
            raw.problem(OsmProblem::Truncated {
                format: OsmFormat::Pbf,
                offset: bytes.len() as u64,
                what: "a block length".to_owned(),
            });
            break;
        };
        let hlen =
            u32::from_be_bytes([len_bytes[0], len_bytes[1], len_bytes[2], len_bytes[3]]) as usize;
        if hlen > MAX_HEADER {
            raw.problem(problem(pos, format!("block header of {hlen} bytes (limit {MAX_HEADER}): not an OSM PBF file or corrupt")));
            break;
        }
        let Some(hbytes) = bytes.get(pos + 4..pos + 4 + hlen) else {
            raw.problem(OsmProblem::Truncated {
                format: OsmFormat::Pbf,
                offset: bytes.len() as u64,
                what: "a block header".to_owned(),
            });
            break;
        };
        let (kind, datasize) = match blob_header(hbytes) {
            Ok(h) => h,
            Err(e) => {
                raw.problem(problem(pos, format!("block header: {}", e.0)));
                break;
            }
        };
        if datasize > MAX_BLOB {
            raw.problem(problem(
                pos,
                format!("block of {datasize} bytes (limit {MAX_BLOB})"),
            ));
            break;
        }
        let start = pos + 4 + hlen;
        let Some(blob) = bytes.get(start..start + datasize) else {
            raw.problem(OsmProblem::Truncated {
                format: OsmFormat::Pbf,
                offset: bytes.len() as u64,
                what: format!(
                    "the {kind} block that starts at byte {pos} ({datasize} bytes declared, {} present)",
                    bytes.len().saturating_sub(start)
                ),
            });
            break;
        };
        let block_at = pos;
        pos = start + datasize;
        let data = match inflate(blob) {
            Ok(d) => d,
            Err(Inflate::Unsupported(what)) => {
                raw.problem(OsmProblem::Unsupported {
                    format: OsmFormat::Pbf,
                    offset: block_at as u64,
                    message: format!(
                        "{kind} block compressed with {what}, which this reader does not support"
                    ),
                });
                break;
            }
            Err(Inflate::Bad(e)) => {
                raw.problem(OsmProblem::Unsupported {
                    format: OsmFormat::Pbf,
                    offset: block_at as u64,
                    message: format!("corrupt {kind} block: {e}"),
                });
                break;
            }
            Err(Inflate::Bomb(message)) => {
                raw.problem(OsmProblem::Refused {
                    format: OsmFormat::Pbf,
                    offset: block_at as u64,
                    message: format!("{kind} block {message}"),
                });
                break;
            }
        };
        match kind.as_str() {
            "OSMHeader" => {
                saw_header = true;
                match unsupported_features(&data) {
                    Ok(u) if u.is_empty() => {}
                    Ok(u) => {
                        raw.problem(OsmProblem::Unsupported {
                            format: OsmFormat::Pbf,
                            offset: block_at as u64,
                            message: format!(
                                "required features {u:?} are not supported; the file was not read"
                            ),
                        });
                        break;
                    }
                    Err(e) => {
                        raw.problem(problem(block_at, format!("header block: {}", e.0)));
                        break;
                    }
                }
            }
            "OSMData" => {
                if let Err(e) = primitive_block(&data, &mut raw) {
                    raw.problem(OsmProblem::Unsupported {
                        format: OsmFormat::Pbf,
                        offset: block_at as u64,
                        message: format!("corrupt data block: {}", e.0),
                    });
                    break;
                }
            }
            _ => {} // Unknown block types are ignored, as the format asks.
        }
    }
    if !saw_header && raw.problems.is_empty() {
        raw.problem(problem(
            0,
            "no OSMHeader block: not an OSM PBF file".to_owned(),
        ));
    }
    raw
}

/// `(type, datasize)` of a BlobHeader.
fn blob_header(b: &[u8]) -> Pb<(String, usize)> {
    let mut m = Msg::new(b);
    let (mut kind, mut size) = (None, None);
    while let Some((f, w)) = m.next()? {
        match f {
            1 => {
                // The type names the block in messages: printable and short.
                let t = String::from_utf8_lossy(as_bytes(w)?);
                kind = Some(t.chars().filter(|c| !c.is_control()).take(40).collect());
            }
            3 => {
                size = Some(
                    usize::try_from(as_varint(w)?).map_err(|_| PbError("datasize too large"))?,
                );
            }
            _ => {}
        }
    }
    Ok((
        kind.ok_or(PbError("no type"))?,
        size.ok_or(PbError("no datasize"))?,
    ))
}

enum Inflate {
    Unsupported(&'static str),
    Bad(String),
    /// Refused before inflating (the declared size breaks a limit).
    Bomb(String),
}

fn inflate(blob: &[u8]) -> Result<Vec<u8>, Inflate> {
    let mut msg = Msg::new(blob);
    let mut raw_size = None;
    let mut zlib = None;
    let mut plain = None;
    let mut other = None;
    loop {
        match msg.next() {
            Ok(Some(field)) => match field {
                (1, Wire::Bytes(data)) => plain = Some(data),
                (2, Wire::Varint(size)) => raw_size = Some(size),
                (3, Wire::Bytes(data)) => zlib = Some(data),
                (4, _) => other = Some("LZMA"),
                (5, _) => other = Some("bzip2"),
                (6, _) => other = Some("LZ4"),
                (7, _) => other = Some("Zstandard"),
                _ => {}
            },
            Ok(None) => break,
            Err(e) => return Err(Inflate::Bad(e.0.to_owned())),
        }
    }
    if let Some(d) = plain {
        return Ok(d.to_vec());
    }
    if let Some(z) = zlib {
        let Some(declared) = raw_size else {
            return Err(Inflate::Bad(
                "zlib data without its uncompressed size (raw_size)".to_owned(),
            ));
        };
        let ratio_limit = z.len().saturating_mul(MAX_INFLATE_RATIO).max(64 * 1024);
        if declared > MAX_BLOB as u64 {
            return Err(Inflate::Bomb(format!(
                "declares {declared} bytes uncompressed (limit {MAX_BLOB})"
            )));
        }
        let declared = declared as usize;
        if declared > ratio_limit {
            return Err(Inflate::Bomb(format!(
                "declares {declared} bytes uncompressed from {} compressed (more than {MAX_INFLATE_RATIO}×)",
                z.len()
            )));
        }
        let data = miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(z, declared)
            .map_err(|e| Inflate::Bad(format!("zlib: {e} (declared size {declared})")))?;
        if data.len() != declared {
            return Err(Inflate::Bad(format!(
                "inflates to {} bytes, not the declared {declared}",
                data.len()
            )));
        }
        return Ok(data);
    }
    Err(other.map_or_else(
        || Inflate::Bad("empty blob".to_owned()),
        Inflate::Unsupported,
    ))
}

/// Required features of a HeaderBlock that this reader does not implement.
fn unsupported_features(b: &[u8]) -> Pb<Vec<String>> {
    let mut m = Msg::new(b);
    let mut out = Vec::new();
    while let Some((f, w)) = m.next()? {
        if f == 4 {
            let s = String::from_utf8_lossy(as_bytes(w)?).into_owned();
            if !matches!(s.as_str(), "OsmSchema-V0.6" | "DenseNodes") {
                out.push(s);
            }
        }
    }
    Ok(out)
}

/// The block-wide decoding context.
struct Block {
    strings: Vec<String>,
    granularity: i64,
    lat_offset: i64,
    lon_offset: i64,
}

impl Block {
    fn pos(&self, lat: i64, lon: i64) -> LonLat {
        let lat = 1e-9
            * self
                .lat_offset
                .wrapping_add(self.granularity.wrapping_mul(lat)) as f64;
        let lon = 1e-9
            * self
                .lon_offset
                .wrapping_add(self.granularity.wrapping_mul(lon)) as f64;
        LonLat::new(lon, lat)
    }

    fn string(&self, i: u64) -> Pb<String> {
        usize::try_from(i)
            .ok()
            .and_then(|i| self.strings.get(i))
            .cloned()
            .ok_or(PbError("string index outside the string table"))
    }

    fn tags(&self, keys: &[u64], vals: &[u64]) -> Pb<Tags> {
        if keys.len() != vals.len() {
            return Err(PbError("tag keys and values differ in number"));
        }
        keys.iter()
            .zip(vals)
            .map(|(&k, &v)| Ok((self.string(k)?, self.string(v)?)))
            .collect::<Pb<Vec<_>>>()
            .map(Tags)
    }
}

fn primitive_block(b: &[u8], raw: &mut RawOsm) -> Pb<()> {
    let mut m = Msg::new(b);
    let mut block = Block {
        strings: Vec::new(),
        granularity: 100,
        lat_offset: 0,
        lon_offset: 0,
    };
    let mut groups = Vec::new();
    while let Some((f, w)) = m.next()? {
        match f {
            1 => {
                let mut st = Msg::new(as_bytes(w)?);
                while let Some((f, w)) = st.next()? {
                    if f == 1 {
                        block
                            .strings
                            .push(String::from_utf8_lossy(as_bytes(w)?).into_owned());
                    }
                }
            }
            2 => groups.push(as_bytes(w)?),
            17 => block.granularity = as_varint(w)? as i64,
            19 => block.lat_offset = as_varint(w)? as i64,
            20 => block.lon_offset = as_varint(w)? as i64,
            _ => {}
        }
    }
    for g in groups {
        let mut gm = Msg::new(g);
        while let Some((f, w)) = gm.next()? {
            let body = as_bytes(w)?;
            match f {
                1 => node(&block, body, raw)?,
                2 => dense(&block, body, raw)?,
                3 => raw.push_way(way(&block, body)?),
                4 => raw.push_relation(relation(&block, body)?),
                _ => {}
            }
        }
    }
    Ok(())
}

fn node(block: &Block, b: &[u8], raw: &mut RawOsm) -> Pb<()> {
    let mut m = Msg::new(b);
    let (mut id, mut lat, mut lon) = (0, 0, 0);
    let (mut keys, mut vals) = (Vec::new(), Vec::new());
    while let Some((f, w)) = m.next()? {
        match f {
            1 => id = zigzag(as_varint(w)?),
            2 => push_varints(w, &mut keys)?,
            3 => push_varints(w, &mut vals)?,
            8 => lat = zigzag(as_varint(w)?),
            9 => lon = zigzag(as_varint(w)?),
            _ => {}
        }
    }
    let tags = block.tags(&keys, &vals)?;
    raw.push_node(id, block.pos(lat, lon), tags);
    Ok(())
}

fn dense(block: &Block, b: &[u8], raw: &mut RawOsm) -> Pb<()> {
    let mut m = Msg::new(b);
    let (mut ids, mut lats, mut lons, mut kv) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    while let Some((f, w)) = m.next()? {
        match f {
            1 => push_varints(w, &mut ids)?,
            8 => push_varints(w, &mut lats)?,
            9 => push_varints(w, &mut lons)?,
            10 => push_varints(w, &mut kv)?,
            _ => {}
        }
    }
    if ids.len() != lats.len() || ids.len() != lons.len() {
        return Err(PbError("dense nodes: ids, lats and lons differ in number"));
    }
    let (mut id, mut lat, mut lon) = (0i64, 0i64, 0i64);
    let mut kv = kv.into_iter();
    let has_tags = kv.len() > 0;
    for k in 0..ids.len() {
        id = id.wrapping_add(zigzag(ids[k]));
        lat = lat.wrapping_add(zigzag(lats[k]));
        lon = lon.wrapping_add(zigzag(lons[k]));
        let mut tags = Tags::default();
        if has_tags {
            loop {
                match kv.next() {
                    None | Some(0) => break,
                    Some(key) => {
                        let val = kv.next().ok_or(PbError("dense nodes: key without value"))?;
                        tags.0.push((block.string(key)?, block.string(val)?));
                    }
                }
            }
        }
        raw.push_node(id, block.pos(lat, lon), tags);
    }
    Ok(())
}

fn way(block: &Block, b: &[u8]) -> Pb<RawWay> {
    let mut m = Msg::new(b);
    let mut w = RawWay::default();
    let (mut keys, mut vals, mut refs) = (Vec::new(), Vec::new(), Vec::new());
    while let Some((f, v)) = m.next()? {
        match f {
            1 => w.id = as_varint(v)? as i64,
            2 => push_varints(v, &mut keys)?,
            3 => push_varints(v, &mut vals)?,
            8 => push_varints(v, &mut refs)?,
            _ => {}
        }
    }
    w.tags = block.tags(&keys, &vals)?;
    let mut acc = 0i64;
    for d in refs {
        acc = acc.wrapping_add(zigzag(d));
        w.push_ref(acc);
    }
    Ok(w)
}

fn relation(block: &Block, b: &[u8]) -> Pb<RawRelation> {
    let mut m = Msg::new(b);
    let mut r = RawRelation::default();
    let (mut keys, mut vals, mut roles, mut ids, mut types) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    while let Some((f, v)) = m.next()? {
        match f {
            1 => r.id = as_varint(v)? as i64,
            2 => push_varints(v, &mut keys)?,
            3 => push_varints(v, &mut vals)?,
            8 => push_varints(v, &mut roles)?,
            9 => push_varints(v, &mut ids)?,
            10 => push_varints(v, &mut types)?,
            _ => {}
        }
    }
    r.tags = block.tags(&keys, &vals)?;
    if roles.len() != ids.len() || types.len() != ids.len() {
        return Err(PbError(
            "relation: member roles, ids and types differ in number",
        ));
    }
    let mut acc = 0i64;
    for k in 0..ids.len() {
        acc = acc.wrapping_add(zigzag(ids[k]));
        let kind = match types[k] {
            0 => ElementKind::Node,
            1 => ElementKind::Way,
            2 => ElementKind::Relation,
            _ => return Err(PbError("relation: unknown member type")),
        };
        r.push_member(RawMember {
            kind,
            id: acc,
            role: block.string(roles[k])?,
        });
    }
    Ok(r)
}

#[cfg(test)]
pub(super) mod tests {
    use super::super::{OsmProblem, read_pbf};

    /// A tiny protobuf writer for building test files.
    #[derive(Default)]
    pub struct W(pub Vec<u8>);
    impl W {
        pub fn varint(&mut self, mut v: u64) -> &mut Self {
            while v >= 0x80 {
                self.0.push((v as u8) | 0x80);
                v >>= 7;
            }
            self.0.push(v as u8);
            self
        }
        pub fn key(&mut self, f: u64, wt: u64) -> &mut Self {
            self.varint(f << 3 | wt)
        }
        pub fn int(&mut self, f: u64, v: u64) -> &mut Self {
            self.key(f, 0).varint(v)
        }
        pub fn bytes(&mut self, f: u64, b: &[u8]) -> &mut Self {
            self.key(f, 2).varint(b.len() as u64);
            self.0.extend_from_slice(b);
            self
        }
        pub fn packed(&mut self, f: u64, vs: &[u64]) -> &mut Self {
            let mut inner = W::default();
            for &v in vs {
                inner.varint(v);
            }
            self.bytes(f, &inner.0)
        }
    }
    pub fn zz(v: i64) -> u64 {
        ((v << 1) ^ (v >> 63)) as u64
    }

    /// A file with one header block and one data block (raw, uncompressed) holding `block`.
    pub fn file(block: &[u8], zlib: bool) -> Vec<u8> {
        let mut out = Vec::new();
        let mut header = W::default();
        header.bytes(4, b"OsmSchema-V0.6").bytes(4, b"DenseNodes");
        for (kind, data) in [("OSMHeader", header.0.as_slice()), ("OSMData", block)] {
            let mut blob = W::default();
            if zlib {
                let z = miniz_oxide::deflate::compress_to_vec_zlib(data, 6);
                blob.int(2, data.len() as u64).bytes(3, &z);
            } else {
                blob.bytes(1, data);
            }
            let mut h = W::default();
            h.bytes(1, kind.as_bytes()).int(3, blob.0.len() as u64);
            out.extend_from_slice(&(h.0.len() as u32).to_be_bytes());
            out.extend_from_slice(&h.0);
            out.extend_from_slice(&blob.0);
        }
        out
    }

    fn sample_block() -> Vec<u8> {
        let mut st = W::default();
        for s in [
            "", "highway", "footway", "shop", "bakery", "name", "Leipomo",
        ] {
            st.bytes(1, s.as_bytes());
        }
        // Dense nodes 10, 11, 12 at (60.0, 24.0), (60.001, 24.0), (60.0005, 24.001); 12 is a bakery.
        let ids = [zz(10), zz(1), zz(1)];
        let lats = [zz(600_000_000), zz(10_000), zz(-5_000)];
        let lons = [zz(240_000_000), zz(0), zz(10_000)];
        let mut dense = W::default();
        dense
            .packed(1, &ids)
            .packed(8, &lats)
            .packed(9, &lons)
            .packed(10, &[0, 0, 3, 4, 5, 6, 0]);
        let mut way = W::default();
        way.int(1, 77)
            .packed(2, &[1])
            .packed(3, &[2])
            .packed(8, &[zz(10), zz(1)]);
        let mut group = W::default();
        group.bytes(2, &dense.0).bytes(3, &way.0);
        let mut block = W::default();
        block.bytes(1, &st.0).bytes(2, &group.0);
        block.0
    }

    #[test]
    fn decodes_dense_nodes_ways_and_tags() {
        for zlib in [false, true] {
            let d = read_pbf(&file(&sample_block(), zlib));
            assert!(d.problems.is_empty(), "{:?}", d.problems);
            assert_eq!(d.stats.nodes, 3);
            assert_eq!(d.streets.len(), 1);
            let s = &d.streets[0];
            assert_eq!(
                (s.id.as_str(), s.highway.as_deref()),
                ("77", Some("footway"))
            );
            assert!((s.coords_wgs84[1].lat - 60.001).abs() < 1e-12);
            assert_eq!(d.facilities.len(), 1);
            assert_eq!(d.facilities[0].name, "Leipomo");
            assert!((d.facilities[0].pos_wgs84.lon - 24.001).abs() < 1e-12);
        }
    }

    #[test]
    fn corrupt_and_truncated_files_report() {
        let good = file(&sample_block(), true);
        // Truncated anywhere: never panics, always reports.
        for cut in [1, 3, 5, 20, good.len() / 2, good.len() - 1] {
            let d = read_pbf(&good[..cut]);
            assert!(!d.problems.is_empty(), "cut {cut}");
        }
        // Flipped bytes: never panics.
        for k in 0..good.len() {
            let mut bad = good.clone();
            bad[k] ^= 0x5a;
            let _ = read_pbf(&bad);
        }
        let d = read_pbf(b"definitely not a pbf");
        assert!(matches!(d.problems[0], OsmProblem::Syntax { .. }));
        // Bad string index in the block.
        let mut way = W::default();
        way.int(1, 1).packed(2, &[9]).packed(3, &[9]);
        let mut group = W::default();
        group.bytes(3, &way.0);
        let mut block = W::default();
        block.bytes(2, &group.0);
        let d = read_pbf(&file(&block.0, false));
        assert!(matches!(d.problems[..], [OsmProblem::Unsupported { .. }]));
    }
}
