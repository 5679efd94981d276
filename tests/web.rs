//! wasm-bindgen tests that run in headless Chromium (`cargo test --target
//! wasm32-unknown-unknown --features web --test web`).
#![cfg(all(target_arch = "wasm32", feature = "web"))]

use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn local_projection_round_trips_in_the_browser() {
    use shuangquan::plan::geom::{LocalProjection, LonLat};
    let p = LocalProjection::new(LonLat::new(121.47, 31.23));
    let q = LonLat::new(121.5, 31.25);
    let back = p.unproject(p.project(q));
    assert!((back.lon - q.lon).abs() < 1e-9 && (back.lat - q.lat).abs() < 1e-9);
}
