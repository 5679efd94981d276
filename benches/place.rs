//! Criterion benchmark for `plan::place` (work in progress).
fn main() {}
