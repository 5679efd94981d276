//! Supply–demand benchmarks on the `shanghai-central` package (real OSM streets; 1 348 demand
//! points, 35 stations, 1 312 facilities in 12 categories), loaded once with `Engine::load` as the
//! app does; loading and building the walk graph are outside every timed part.
//!
//! - `surface_100m`: `Engine::surface` at 100 m cells — what the web worker runs for the map
//!   (one snap per cell, 13 multi-source reaches with a probe per cell, and the gravity score's
//!   1 347 single-source reaches bounded at 15 minutes);
//! - `ratios_2sfca`: `Engine::access` with 2SFCA under the Qingdao 2025 preset (the dual-circle
//!   units, then one bounded reach per supply point and the two sums per target).
//!
//! Results are asserted against an untimed run, so a broken computation fails instead of
//! reporting a fast number.
#![allow(clippy::expect_used)]

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{Criterion, criterion_group, criterion_main};
use shuangquan::plan::access::{Params, SurfaceParams};
use shuangquan::plan::engine::Engine;
use shuangquan::plan::package::Manifest;

fn load(id: &str) -> Engine {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("static/data")
        .join(id);
    let json = std::fs::read_to_string(dir.join("manifest.json")).expect("manifest");
    let manifest = Manifest::parse(json.as_bytes()).expect("manifest parses");
    let files: Vec<(String, Vec<u8>)> = manifest
        .layers
        .iter()
        .map(|l| {
            let bytes = std::fs::read(dir.join(&l.file)).expect("layer");
            (l.id.clone(), bytes)
        })
        .collect();
    let mut e = Engine::default();
    e.load(id, &json, &files).expect("package loads");
    e
}

fn bench(c: &mut Criterion) {
    let e = load("shanghai-central");
    let sp = SurfaceParams::default();
    let want = e.surface(&sp).expect("surface");
    assert!(want.surface.len() > 10_000);
    c.bench_function("access/surface_100m", |b| {
        b.iter(|| {
            let got = e.surface(black_box(&sp)).expect("surface");
            assert_eq!(got.surface.within, want.surface.within);
        });
    });
    let ap = Params::default();
    let want = e.access(&ap, &mut |_, _| {}).expect("access");
    c.bench_function("access/ratios_2sfca", |b| {
        b.iter(|| {
            let got = e.access(black_box(&ap), &mut |_, _| {}).expect("access");
            assert_eq!(got.report_csv, want.report_csv);
        });
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = bench
}
criterion_main!(benches);
