//! The browser app (built by trunk): the page, and in a dedicated worker the analysis engine
//! (one wasm module for both, see `shuangquan::web::start`).
#![forbid(unsafe_code)]

fn main() {
    shuangquan::web::start();
}
