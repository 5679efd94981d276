//! Criterion benchmark for `plan::coverage` (work in progress).
fn main() {}
