//! Fuzz the OSM XML reader (what a dropped `.osm` file reaches): the quick-xml pass, attribute
//! parsing, the DOCTYPE refusal, the element limits, relation nesting and the assembly of
//! streets and facilities. Invariants: no panic; a fatal problem leaves nothing loaded; every
//! street has two or more valid positions; problems stay within their cap.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shuangquan::plan::osm::{MAX_PROBLEMS, read_xml};

fuzz_target!(|data: &[u8]| {
    let d = read_xml(data);
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
