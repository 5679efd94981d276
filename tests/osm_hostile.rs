//! Hostile OSM input: the fixtures of `tests/fixtures/osm-hostile/` (written by
//! `make_hostile_osm.py`) through `shuangquan check`, limits built in memory (a 100,000-node
//! way and relations nested 10,000 deep in XML, relation cycles), and proptest properties
//! over arbitrary bytes, an OSM XML token soup and damaged PBF files. The invariants: no
//! panic; a fatal problem leaves nothing loaded; every street has two or more valid positions;
//! problems stay within their cap.
// Native only: runs the CLI binary and uses proptest (a native-only dev-dependency).
#![cfg(not(target_arch = "wasm32"))]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use proptest::prelude::*;
use shuangquan::plan::osm::{
    self, MAX_PROBLEMS, MAX_RELATION_DEPTH, MAX_WAY_NODES, OsmData, OsmProblem,
};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/osm-hostile")
        .join(name)
}

fn check(name: &str) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_shuangquan"))
        .args(["check", "-q"])
        .arg(fixture(name))
        .output()
        .unwrap_or_else(|e| panic!("cannot run shuangquan: {e}"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{name}: {stderr}");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

/// The invariants every read must keep, whatever the input.
fn sound(d: &OsmData) {
    if d.fatal().is_some() {
        assert!(d.streets.is_empty() && d.facilities.is_empty(), "{d:?}");
    }
    assert!(d.problems.len() <= MAX_PROBLEMS + 1);
    for s in &d.streets {
        assert!(s.coords_wgs84.len() >= 2);
        assert!(s.coords_wgs84.iter().all(|p| p.is_valid()));
    }
    assert!(d.facilities.iter().all(|f| f.pos_wgs84.is_valid()));
}

#[test]
fn check_names_each_hostile_file_and_exits_1() {
    // (file, what the error line must say, whether anything may load)
    let cases: &[(&str, &str, bool)] = &[
        ("billion-laughs.osm", "<!DOCTYPE>", false),
        ("zip-bomb-ratio.osm.pbf", "more than 100×); refused", false),
        (
            "zip-bomb-declared.osm.pbf",
            "declares 4294967296 bytes uncompressed (limit 33554432); refused",
            false,
        ),
        (
            "way-100000-refs.osm.pbf",
            "way 1: 100000 node references (limit 10000); skipped",
            true,
        ),
        (
            "ids-i64-max.osm",
            "node 9223372036854775807: id \"9223372036854775807\": id is 0 or beyond",
            true,
        ),
        ("ids-i64-max.osm.pbf", "way 9223372036854775807: id", true),
        (
            "relations-10000-deep.osm.pbf",
            "relation 1: relations nest 10000 deep (limit 32); 9968 relations",
            false,
        ),
        (
            "truncated-mid-blob.osm.pbf",
            "file ends inside the OSMData block that starts at byte 57",
            false,
        ),
        ("truncated.osm", "not found before end of input", false),
        (
            "missing-nodes.osm",
            "way 11: 3 of 3 node references are not in the extract",
            true,
        ),
        (
            "no-walkable-ways.osm",
            "no walkable street: 2 highway ways, none usable on foot",
            true,
        ),
    ];
    for (name, message, loads) in cases {
        let (code, out) = check(name);
        assert_eq!(code, 1, "{name}: {out}");
        assert!(
            out.lines()
                .any(|l| l.starts_with("error: ") && l.contains(message)),
            "{name}: no error line with {message:?} in\n{out}"
        );
        let nothing = out.contains("nothing loaded") || out.contains("loaded 0 streets");
        assert_eq!(!nothing, *loads, "{name}: {out}");
    }
    for name in ["valid-small.osm", "valid-small.osm.pbf"] {
        let (code, out) = check(name);
        assert_eq!(code, 0, "{name}: {out}");
        assert!(out.contains("loaded 2 streets (2 walkable)"), "{out}");
    }
}

#[test]
fn fixtures_read_soundly_and_valid_ones_agree() {
    for e in std::fs::read_dir(fixture("")).expect("fixture dir") {
        let path = e.expect("entry").path();
        if path.extension().is_some_and(|x| x == "py") {
            continue;
        }
        sound(&osm::read(&std::fs::read(&path).expect("read")));
    }
    // The XML and PBF versions of the small valid extract give the same streets.
    let x = osm::read(&std::fs::read(fixture("valid-small.osm")).expect("xml"));
    let p = osm::read(&std::fs::read(fixture("valid-small.osm.pbf")).expect("pbf"));
    assert_eq!(x.streets.len(), p.streets.len());
    for (a, b) in x.streets.iter().zip(&p.streets) {
        assert_eq!(a.id, b.id);
        assert_eq!(a.coords_wgs84.len(), b.coords_wgs84.len());
    }
}

fn xml_way(id: i64, refs: impl Iterator<Item = i64>) -> String {
    let mut s = format!("<way id=\"{id}\">");
    for r in refs {
        let _ = write!(s, "<nd ref=\"{r}\"/>");
    }
    s.push_str("<tag k=\"highway\" v=\"footway\"/></way>");
    s
}

#[test]
fn xml_limits_name_the_element_and_the_rest_loads() {
    let mut xml = String::from(
        "<osm><node id=\"1\" lat=\"31.23\" lon=\"121.47\"/><node id=\"2\" lat=\"31.231\" lon=\"121.47\"/>",
    );
    xml.push_str(&xml_way(5, (0..100_000).map(|k| 1 + k % 2)));
    xml.push_str(&xml_way(6, [1, 2].into_iter()));
    xml.push_str(&xml_way(7, (0..MAX_WAY_NODES as i64).map(|k| 1 + k % 2)));
    // Relations 100..10,099, each holding the next; and a cycle 20,000 ↔ 20,001.
    for k in 100..10_100 {
        let _ = write!(
            xml,
            "<relation id=\"{k}\"><member type=\"relation\" ref=\"{}\" role=\"\"/><tag k=\"amenity\" v=\"pharmacy\"/></relation>",
            k + 1
        );
    }
    xml.push_str(
        "<relation id=\"20000\"><member type=\"relation\" ref=\"20001\" role=\"\"/></relation>",
    );
    xml.push_str(
        "<relation id=\"20001\"><member type=\"relation\" ref=\"20000\" role=\"\"/></relation>",
    );
    xml.push_str("</osm>");
    let d = osm::read(xml.as_bytes());
    sound(&d);
    assert!(d.fatal().is_none(), "{:?}", d.fatal());
    let ids: Vec<&str> = d.streets.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        ids,
        ["6", "7"],
        "the way at the limit loads, the one over it does not"
    );
    assert!(d.problems.iter().any(|p| matches!(
        p,
        OsmProblem::TooLarge { id: 5, found: 100_000, limit, .. } if *limit == MAX_WAY_NODES
    )));
    // Depth counted from the innermost relation (depth 1): 10,000 at the outermost; the cycle's
    // two relations are "in a cycle". Relations deeper than the limit are all skipped.
    let deep = d
        .problems
        .iter()
        .find_map(|p| match p {
            OsmProblem::TooDeep {
                relation,
                depth,
                count,
                ..
            } => Some((*relation, *depth, *count)),
            _ => None,
        })
        .expect("a nesting problem");
    assert_eq!(deep.0, 20_000, "a cycle is deepest");
    assert_eq!(deep.2, 10_000 - MAX_RELATION_DEPTH + 2);
    assert!(
        d.problems
            .iter()
            .any(|p| p.to_string().contains("nest in a cycle")),
        "{:?}",
        d.problems
    );
    // The relations within the limit are facilities at their (single member's) position: none
    // of their members is a way, so none has a position, and nothing else broke.
    assert!(d.facilities.is_empty());
}

#[test]
fn doctype_is_refused_before_any_element() {
    let xml = br#"<?xml version="1.0"?><!DOCTYPE osm [<!ENTITY a "x">]><osm><node id="1" lat="1" lon="1"><tag k="shop" v="convenience"/></node></osm>"#;
    let d = osm::read(xml);
    assert!(matches!(d.fatal(), Some(OsmProblem::Refused { .. })));
    assert_eq!(d.stats.nodes, 0);
    // An undeclared entity in a value is an element problem, never an expansion.
    let d =
        osm::read(br#"<osm><node id="1" lat="1" lon="1"><tag k="name" v="&lol9;"/></node></osm>"#);
    sound(&d);
    assert!(
        d.problems
            .iter()
            .any(|p| p.to_string().contains("malformed attribute"))
    );
}

/// A varint, for the PBF built here.
fn varint(mut v: u64, out: &mut Vec<u8>) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

#[test]
fn declared_size_is_refused_before_inflating() {
    // A data blob whose zlib bytes are garbage: inflating would fail with a zlib error, so a
    // "refused" answer proves the declared size was checked first.
    let mut file = std::fs::read(fixture("valid-small.osm.pbf")).expect("pbf");
    // Keep the OSMHeader block: length, header, then the blob of the size the header's field 3
    // declares.
    let header_len = {
        let h = u32::from_be_bytes([file[0], file[1], file[2], file[3]]) as usize;
        let hb = &file[4..4 + h];
        let size_at = hb
            .iter()
            .position(|&b| b == 3 << 3)
            .expect("datasize field");
        let mut size = 0u64;
        for (k, b) in hb[size_at + 1..].iter().enumerate() {
            size |= u64::from(b & 0x7f) << (7 * k);
            if b & 0x80 == 0 {
                break;
            }
        }
        4 + h + size as usize
    };
    file.truncate(header_len);
    let mut blob = vec![2 << 3];
    varint(1 << 40, &mut blob);
    blob.extend([3 << 3 | 2, 4, 0xde, 0xad, 0xbe, 0xef]);
    let mut header = vec![1 << 3 | 2, 7];
    header.extend(b"OSMData");
    header.push(3 << 3);
    varint(blob.len() as u64, &mut header);
    file.extend((header.len() as u32).to_be_bytes());
    file.extend(&header);
    file.extend(&blob);
    let d = osm::read(&file);
    match d.fatal() {
        Some(p @ OsmProblem::Refused { .. }) => {
            assert!(
                p.to_string().contains("declares 1099511627776 bytes"),
                "{p}"
            );
        }
        other => panic!("{other:?}"),
    }
}

/// Fragments of OSM XML, hostile and not, for the token soup.
const XML_TOKENS: &[&str] = &[
    "<osm>",
    "</osm>",
    "<node id=\"1\" lat=\"31.2\" lon=\"121.4\">",
    "</node>",
    "<node id=\"2\" lat=\"31.3\" lon=\"121.5\"/>",
    "<node id=\"9223372036854775807\" lat=\"1\" lon=\"1\"/>",
    "<way id=\"3\">",
    "</way>",
    "<nd ref=\"1\"/>",
    "<nd ref=\"2\"/>",
    "<nd ref=\"x\"/>",
    "<tag k=\"highway\" v=\"footway\"/>",
    "<tag k=\"shop\" v=\"convenience\"/>",
    "<tag k=\"name\" v=\"&amp;&lt;\"/>",
    "<relation id=\"4\">",
    "</relation>",
    "<member type=\"way\" ref=\"3\" role=\"outer\"/>",
    "<member type=\"relation\" ref=\"4\" role=\"\"/>",
    "<!DOCTYPE osm [<!ENTITY a \"b\">]>",
    "&a;",
    "<?xml version=\"1.0\"?>",
    "<!-- c -->",
    "<![CDATA[x]]>",
    "\"",
    "<",
    ">",
    "=",
    " ",
    "lat=\"NaN\"",
    "<node id=\"0\" lat=\"95\" lon=\"200\"/>",
    "action=\"delete\"",
    "\u{feff}",
    "\0",
    "名",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 600, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        sound(&osm::read_xml(&bytes));
        sound(&osm::read_pbf(&bytes));
    }

    #[test]
    fn xml_token_soup_never_panics(tokens in proptest::collection::vec(0..XML_TOKENS.len(), 0..80)) {
        let xml: String = tokens.iter().map(|&k| XML_TOKENS[k]).collect();
        sound(&osm::read_xml(xml.as_bytes()));
    }

    #[test]
    fn damaged_pbf_never_panics_and_loads_nothing_half_way(
        flips in proptest::collection::vec((any::<prop::sample::Index>(), 1u8..=255), 0..6),
        cut in any::<prop::sample::Index>(),
        truncate in any::<bool>(),
    ) {
        let good = std::fs::read(fixture("valid-small.osm.pbf")).expect("pbf");
        let mut bad = good.clone();
        for (at, x) in &flips {
            let k = at.index(bad.len());
            bad[k] ^= x;
        }
        if truncate {
            bad.truncate(cut.index(good.len()));
        }
        let d = osm::read_pbf(&bad);
        sound(&d);
        if truncate && flips.is_empty() {
            prop_assert!(d.fatal().is_some() || bad.is_empty());
        }
    }
}
