//! The central-Shanghai road network (`data/sources/shanghai`, raw Overpass XML): the XML reader
//! at city scale, the graph's size and connectivity, a 15-minute isochrone from People's
//! Square, and truncated input.
#![allow(clippy::many_single_char_names)] // short names for geometry in tests

use std::path::PathBuf;

use geo::{Area, Contains};
use shuangquan::plan::geom::LonLat;
use shuangquan::plan::graph::{
    Budget, IsochroneOptions, SnapOptions, WalkGraph, WalkProfile, is_walkable,
};
use shuangquan::plan::osm::{self, OsmProblem};

fn bytes() -> Vec<u8> {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/sources/shanghai/shanghai_center.osm");
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn reads_every_element_and_builds_a_city_graph() {
    let d = osm::read(&bytes());
    // Element counts stated by the data's README (21,786 nodes, 4,701 ways, all highways).
    assert_eq!(d.stats.nodes, 21_786);
    assert_eq!(d.stats.ways, 4_701);
    assert_eq!(d.stats.highway_ways, 4_701);
    assert!(d.problems.is_empty(), "{:?}", d.problems.first());
    assert!(d.facilities.is_empty(), "roads only: no POIs");
    assert!(
        d.streets
            .iter()
            .any(|s| s.name.as_deref().is_some_and(|n| n.contains('路')))
    );
    let not_walkable = d.streets.iter().filter(|s| !is_walkable(s)).count();
    assert!(
        d.streets
            .iter()
            .filter(|s| matches!(s.highway.as_deref(), Some("motorway" | "trunk")))
            .all(|s| !is_walkable(s) || s.foot.is_some())
    );

    let g = WalkGraph::build(&d.streets);
    assert_eq!(g.build_report().not_walkable, not_walkable);
    // Measured: 4,483 nodes, 6,873 edges, 913 km; 10 components, the largest with 83 % of
    // the nodes (the Huangpu splits the walkable network: its crossings are motorway/trunk
    // tunnels and bridges).
    assert!(
        (4_000..5_000).contains(&g.node_count()),
        "{}",
        g.node_count()
    );
    assert!(
        (6_000..7_800).contains(&g.edge_count()),
        "{}",
        g.edge_count()
    );
    let km = g.total_length_m() / 1000.0;
    assert!((800.0..1_000.0).contains(&km), "{km}");
    let sizes = g.component_sizes();
    assert!((2..=30).contains(&sizes.len()), "{}", sizes.len());
    let big = f64::from(sizes[g.largest_component().unwrap() as usize]);
    let share = big / g.node_count() as f64;
    assert!((0.75..0.92).contains(&share), "{share}");
    assert_eq!(
        sizes.iter().map(|&s| s as usize).sum::<usize>(),
        g.node_count()
    );
}

#[test]
fn fifteen_minutes_from_peoples_square() {
    let g = WalkGraph::build(&osm::read(&bytes()).streets);
    let square = LonLat::new(121.4753, 31.2317);
    let s = g.snap(square, &SnapOptions::default()).unwrap();
    assert!(s.off_network_m < 150.0, "{}", s.off_network_m);
    let r = g.reach(&[s], WalkProfile::DEFAULT, Budget::Minutes(15.0));
    assert!(
        (100..1_500).contains(&r.reached_count()),
        "{}",
        r.reached_count()
    );
    let iso = g
        .isochrones(&r, &[5.0, 10.0, 15.0], &IsochroneOptions::default())
        .unwrap();
    let proj = g.projection();
    let mut prev = 0.0;
    for i in &iso {
        // Area in km² via the local projection's scale at this latitude.
        let deg2 = i.polygon_wgs84.unsigned_area();
        let o = proj.origin_wgs84;
        let a = proj.project(LonLat::new(o.lon + 1e-3, o.lat + 1e-3));
        let km2 = deg2 * 1e6 * (a.x * a.y) / 1e6;
        let r_km = i.minutes * 0.06 + 0.06;
        assert!(
            km2 > prev && km2 < std::f64::consts::PI * r_km * r_km,
            "{km2} km²"
        );
        prev = km2;
        let c = geo::Point::new(square.lon, square.lat);
        assert!(i.polygon_wgs84.contains(&c) || s.off_network_m > 40.0);
    }
}

#[test]
fn truncated_file_loads_nothing_and_says_where() {
    let all = bytes();
    let full = osm::read(&all);
    for frac in [0.1, 0.5, 0.9] {
        let cut = &all[..(all.len() as f64 * frac) as usize];
        let d = osm::read(cut);
        assert!(
            matches!(
                d.fatal(),
                Some(OsmProblem::Truncated { .. } | OsmProblem::Syntax { .. })
            ),
            "{frac}: {:?}",
            d.problems.first()
        );
        // Nothing is loaded half-way; the counts still say how far the read got.
        assert!(d.streets.is_empty() && d.facilities.is_empty());
        assert!(d.stats.nodes > 0 && d.stats.nodes <= full.stats.nodes);
    }
}
