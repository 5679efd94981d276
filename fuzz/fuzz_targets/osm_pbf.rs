//! Fuzz the OSM PBF reader (what a dropped `.osm.pbf` file reaches): block framing, the
//! zip-bomb refusal before inflating, zlib, protobuf fields, dense nodes, the element limits,
//! relation nesting and assembly. Invariants: no panic; a fatal problem leaves nothing loaded; every
//! street has two or more valid positions; problems stay within their cap.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shuangquan::plan::osm::{MAX_PROBLEMS, read_pbf};

fuzz_target!(|data: &[u8]| {
    let d = read_pbf(data);
    if d.fatal().is_some() {
        assert!(d.streets.is_empty() && d.facilities.is_empty());
    }
    assert!(d.problems.len() <= MAX_PROBLEMS + 1);
    for s in &d.streets {
        assert!(s.coords_wgs84.len() >= 2 && s.coords_wgs84.iter().all(|p| p.is_valid()));
    }
    assert!(d.facilities.iter().all(|f| f.pos_wgs84.is_valid()));
    let _ = d.network_problem();
});
