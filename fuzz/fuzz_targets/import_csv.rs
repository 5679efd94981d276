//! Fuzz the CSV path: decoding, delimiter sniffing, header mapping, row parsing, coordinate
//! checks, every layer builder, and the CSV converter. Invariants: no panic, and the report's
//! counts add up.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shuangquan::plan::crs::Crs;
use shuangquan::plan::import::{Format, Layer, Options, convert::convert_file, import};

fuzz_target!(|data: &[u8]| {
    let mut opts = Options::default();
    opts.format = Some(Format::Csv);
    for layer in [None, Some(Layer::Postings), Some(Layer::Communities)] {
        let got = import("fuzz.csv", data, &opts, layer);
        let r = &got.report;
        assert_eq!(r.loaded + r.rejected, r.records);
        assert!(got.items.len() >= r.loaded);
    }
    let _ = convert_file("fuzz.csv", data, Crs::Bd09, Crs::Wgs84, &opts);
});
