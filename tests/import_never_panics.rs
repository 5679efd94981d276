//! Property tests: no input makes the importers or the converter panic, and the report's counts
//! always add up. These complement the cargo-fuzz targets in `fuzz/` (which need nightly): they
//! run on stable in every `cargo test`, with a fixed number of cases per property.
// Native only: runs the CLI binary / uses proptest (a native-only dev-dependency).
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;

use shuangquan::plan::crs::Crs;
use shuangquan::plan::import::{Format, Layer, Options, convert::convert_file, import};

/// Cases per property; figures recorded in BENCHMARKS.md ("Fuzzing").
const CASES: u32 = 3_000;

/// Tokens that exercise CSV and GeoJSON parsing paths.
const TOKENS: &[&str] = &[
    ",",
    ";",
    "\t",
    "\n",
    "\r\n",
    "\r",
    "\"",
    "\"\"",
    " ",
    "\u{feff}",
    "\u{fffd}",
    "\u{202e}",
    "\0",
    "name",
    "名称",
    "经度",
    "纬度",
    "lon",
    "lat",
    "lng",
    "x",
    "y",
    "id",
    "编号",
    "category",
    "类型",
    "人口",
    "weight",
    "crs",
    "坐标系",
    "gcj02",
    "bd09",
    "location",
    "120.38",
    "36.07",
    "-0",
    "1e308",
    "NaN",
    "inf",
    "13400581",
    "4310341",
    "",
    "store",
    "购物服务;便民商店/便利店",
    "{",
    "}",
    "[",
    "]",
    ":",
    "\"type\"",
    "\"Feature\"",
    "\"FeatureCollection\"",
    "\"features\"",
    "\"geometry\"",
    "\"coordinates\"",
    "\"Point\"",
    "\"Polygon\"",
    "\"MultiPolygon\"",
    "\"LineString\"",
    "\"GeometryCollection\"",
    "\"geometries\"",
    "\"properties\"",
    "null",
    "\"crs\"",
    "[120.38,36.07]",
    "[[120,36],[121,36],[121,37],[120,36]]",
    "1",
    "-200",
];

fn token_soup() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(TOKENS), 0..60).prop_map(|v| v.concat())
}

fn check_all(bytes: &[u8]) {
    for format in [Some(Format::Csv), Some(Format::GeoJson), None] {
        let mut opts = Options::default();
        opts.format = format;
        for layer in [
            None,
            Some(Layer::Stations),
            Some(Layer::Communities),
            Some(Layer::Streets),
        ] {
            let got = import("fuzz.bin", bytes, &opts, layer);
            let r = &got.report;
            assert_eq!(r.loaded + r.rejected, r.records, "{r:#?}");
            assert!(got.items.len() >= r.loaded);
        }
        let c = convert_file("fuzz.bin", bytes, Crs::Gcj02, Crs::Wgs84, &opts);
        if c.output.is_none() {
            assert!(c.report.has_errors());
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: CASES, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        check_all(&bytes);
    }

    #[test]
    fn csv_and_json_token_soup_never_panics(s in token_soup()) {
        check_all(s.as_bytes());
    }

    #[test]
    fn gbk_encoded_soup_never_panics(s in token_soup()) {
        let (bytes, _, _) = encoding_rs::GBK.encode(&s);
        check_all(&bytes);
    }
}

#[test]
fn pathological_inputs() {
    let deep = format!("{}{}", "[".repeat(50_000), "]".repeat(50_000));
    check_all(deep.as_bytes());
    let quotes = "\"".repeat(10_001);
    check_all(quotes.as_bytes());
    let wide = format!("{}\n{}\n", "lon,".repeat(5_000), "1,".repeat(5_000));
    check_all(wide.as_bytes());
    check_all(&[0xFF, 0xFE, 0x00]);
    check_all(&[0xFE, 0xFF, 0xD8, 0x00]); // UTF-16BE lone surrogate
}
