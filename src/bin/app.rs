//! The browser app (built by trunk).
#![forbid(unsafe_code)]

fn main() {
    shuangquan::web::start_app();
}
