//! Criterion benchmark for `plan::nearby` (work in progress).
fn main() {}
