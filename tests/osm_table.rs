//! The compact street store ([`StreetTable`]) the engine keeps for an imported OSM extract,
//! against the owned reader ([`osm::read`]: one [`Street`] per way) as the oracle, on the
//! repository's real extracts: the same streets with the same attributes, the same walk
//! graph, the same drawing text; and the engine's import keeps exactly those streets and
//! builds exactly that graph.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use shuangquan::plan::engine::Engine;
use shuangquan::plan::graph::{StreetTable, WalkGraph, is_walkable};
use shuangquan::plan::model::Street;
use shuangquan::plan::osm;
use shuangquan::plan::package::write;

/// Real extracts of `data/sources/` (XML and PBF; the Shanghai one is what the city-scale
/// fixtures tile).
const EXTRACTS: [&str; 3] = [
    "helsinki/Helsinki.osm.pbf",
    "shanghai/shanghai_center.osm",
    "nanjing/nanjing_xinjiekou.osm",
];

fn bytes(rel: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("data/sources")
            .join(rel),
    )
    .expect(rel)
}

/// Node and edge counts, component sizes and total length (mm) of a graph.
fn shape(g: &WalkGraph) -> (usize, usize, Vec<u32>, i64) {
    let len: f64 = g.edges().iter().map(|e| e.length_m).sum();
    (
        g.node_count(),
        g.edge_count(),
        g.component_sizes().to_vec(),
        (len * 1000.0).round() as i64,
    )
}

#[test]
fn the_table_holds_the_owned_readers_streets_and_builds_its_graph() {
    for rel in EXTRACTS {
        let b = bytes(rel);
        let owned: Vec<Street> = osm::read(&b).streets;
        let table = osm::read_network(&b).streets;
        assert!(owned.len() > 300, "{rel}: {} streets", owned.len());
        assert_eq!(table.len(), owned.len(), "{rel}");
        // Read in place: ids, attributes and vertices street by street.
        for (line, s) in table.lines().zip(&owned) {
            assert_eq!(table.id(line.index), s.id, "{rel}");
            assert_eq!(line.coords_wgs84, &s.coords_wgs84[..], "{rel} {}", s.id);
            let (a, name) = (line.attrs.tags, line.attrs.name);
            assert_eq!(
                [a.highway, a.foot, a.access, name, a.area, a.service],
                [&s.highway, &s.foot, &s.access, &s.name, &s.area, &s.service]
                    .map(|v| v.as_deref()),
                "{rel} {}",
                s.id
            );
            assert_eq!(
                table.is_walkable(line.index),
                is_walkable(s),
                "{rel} {}",
                s.id
            );
        }
        // The owned streets pushed into a table: the same table (numeric ids kept as numbers).
        let rebuilt: StreetTable = owned.iter().collect();
        assert!(rebuilt == table, "{rel}");
        // Split in two and appended: the same table again.
        let half = table.len() / 2;
        let mut first = table.filtered(|k| k < half);
        let mut second = table.filtered(|k| k >= half);
        first.append(&mut second);
        assert!(second.is_empty() && first == table, "{rel}");
        assert_eq!(
            table.walkable_count(),
            owned.iter().filter(|s| is_walkable(s)).count(),
            "{rel}"
        );
        // The same graph, and the same drawing text.
        assert_eq!(
            shape(&WalkGraph::build_streets(&table, &[])),
            shape(&WalkGraph::build(&owned)),
            "{rel}"
        );
        assert_eq!(
            write::street_table_geojson(&table, 10..table.len().min(400)),
            write::streets_geojson(&owned[10..owned.len().min(400)]),
            "{rel}"
        );
    }
}

#[test]
fn the_engine_keeps_the_extracts_streets_compact_and_builds_their_graph() {
    let rel = "nanjing/nanjing_xinjiekou.osm";
    let b = bytes(rel);
    let owned = osm::read(&b).streets;
    let mut e = Engine::default();
    let a = e.import_file("nanjing_xinjiekou.osm", &b);
    assert!(a.network_rebuilt, "{:?}", a.problems);
    let kept = &e.layers().streets;
    let oracle: StreetTable = owned.iter().collect();
    assert!(*kept == oracle);
    assert_eq!(shape(e.graph().unwrap()), shape(&WalkGraph::build(&owned)));
    // What the page gets is the label points of the owned streets' names (the lines are drawn
    // from tiles).
    let (_, n, text) = a.layers.iter().find(|(id, _, _)| id == "streets").unwrap();
    assert_eq!(*n, owned.len());
    assert_eq!(
        *text,
        write::street_labels_geojson(&oracle, 0..oracle.len())
    );
    // A second import appends: the first extract's streets stay, the graph covers both.
    let again = e.import_file("again.osm", &b);
    assert!(again.network_rebuilt);
    let mut twice = owned.clone();
    twice.extend(owned.iter().cloned());
    assert!(e.layers().streets == twice.iter().collect::<StreetTable>());
    assert_eq!(shape(e.graph().unwrap()), shape(&WalkGraph::build(&twice)));
}

#[test]
fn text_ids_and_odd_numbers_round_trip() {
    let line = |id: &str| Street {
        id: id.into(),
        coords_wgs84: vec![
            shuangquan::plan::geom::LonLat::new(1.0, 2.0),
            shuangquan::plan::geom::LonLat::new(1.5, 2.5),
        ],
        highway: Some("footway".into()),
        ..Street::default()
    };
    let ids = [
        "7", "7#1", "-5", "007", "7#0", "7#01", "+7", "road 3", "", "9#x",
    ];
    let owned: Vec<Street> = ids.iter().map(|id| line(id)).collect();
    let mut t: StreetTable = owned[..4].iter().collect();
    let mut rest: StreetTable = owned[4..].iter().collect();
    t.append(&mut rest);
    assert_eq!(t.to_streets(), owned);
    assert_eq!(
        serde_json::to_value(&t).unwrap(),
        serde_json::to_value(&owned).unwrap()
    );
}

#[test]
fn the_workers_owned_bytes_import_answers_as_the_borrowed_one_on_every_hostile_file() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/osm-hostile");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| {
            Path::new(n)
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("osm") || e.eq_ignore_ascii_case("pbf"))
        })
        .collect();
    names.sort();
    assert!(names.len() >= 10, "{names:?}");
    for name in &names {
        let b = std::fs::read(dir.join(name)).unwrap();
        let (mut borrowed, mut owned) = (Engine::default(), Engine::default());
        let a = borrowed.import_file(name, &b);
        let o = owned.import_bytes_as(name, b, None);
        assert_eq!(a, o, "{name}");
        assert!(borrowed.layers() == owned.layers(), "{name}");
        // Every hostile file is named in a problem or loads (none panics, none is silent).
        assert!(!a.problems.is_empty() || a.loaded > 0, "{name}");
    }
}

#[test]
fn the_network_first_answer_is_the_whole_answer_less_the_label_points_which_follow_it() {
    let b = bytes("nanjing/nanjing_xinjiekou.osm");
    let (mut whole, mut first) = (Engine::default(), Engine::default());
    let mut stages = (Vec::new(), Vec::new());
    let one = whole.import_bytes_staged("x.osm", b.clone(), None, &mut |s| stages.0.push(s));
    let (net, range) =
        first.import_bytes_network_first("x.osm", b, None, &mut |s| stages.1.push(s));
    // The network is ready in the first answer: same graph, same layers and counts.
    assert!(net.network_rebuilt);
    assert_eq!(shape(first.graph().unwrap()), shape(whole.graph().unwrap()));
    assert!(first.layers() == whole.layers());
    let range = range.expect("the extract added streets");
    assert_eq!(range, 0..first.layers().streets.len());
    // Only the streets' text is missing, and the label points written after are that text.
    let streets = |x: &shuangquan::plan::engine::ImportAnswer| {
        x.layers
            .iter()
            .position(|(id, _, _)| id == "streets")
            .unwrap()
    };
    let k = streets(&one);
    assert_eq!(streets(&net), k);
    assert!(net.layers[k].2.is_empty());
    assert!(
        one.layers[k].2.contains("\"Point\""),
        "label points in the whole answer"
    );
    assert_eq!(first.street_labels(range), one.layers[k].2);
    let mut rest = net.clone();
    rest.layers[k].2.clone_from(&one.layers[k].2);
    assert_eq!(rest, one);
    // Every stage but the labels is told before the first answer.
    assert_eq!(
        stages.0.last(),
        Some(&shuangquan::plan::engine::ImportStage::Labels)
    );
    assert_eq!(&stages.0[..stages.0.len() - 1], &stages.1[..]);
    // A file without streets leaves nothing to follow.
    let csv = b"id,lon,lat,population\nd1,118.78,32.04,10\n".to_vec();
    let (d, none) = first.import_bytes_network_first("demand.csv", csv, None, &mut |_| {});
    assert_eq!(d.loaded, 1, "{:?}", d.problems);
    assert!(none.is_none());
}
