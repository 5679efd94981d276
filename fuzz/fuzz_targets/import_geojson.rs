//! Fuzz the GeoJSON path: JSON parsing, root and `crs` checks, every geometry type, ring checks,
//! property mapping, every layer builder, and the GeoJSON converter. Invariants: no panic, and
//! the report's counts add up.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shuangquan::plan::crs::Crs;
use shuangquan::plan::import::{Format, Layer, Options, convert::convert_file, import};

fuzz_target!(|data: &[u8]| {
    let mut opts = Options::default();
    opts.format = Some(Format::GeoJson);
    for layer in [None, Some(Layer::Stations), Some(Layer::Streets)] {
        let got = import("fuzz.geojson", data, &opts, layer);
        let r = &got.report;
        assert_eq!(r.loaded + r.rejected, r.records);
        assert!(got.items.len() >= r.loaded);
    }
    let _ = convert_file("fuzz.geojson", data, Crs::Gcj02, Crs::Wgs84, &opts);
});
