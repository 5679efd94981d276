//! The analysis web worker (built by trunk with `data-type="worker"`).
#![forbid(unsafe_code)]

fn main() {
    shuangquan::web::worker::register();
}
