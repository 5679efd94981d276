//! City-size isochrones: seeded 15-minute searches on the 8 × 8 tiled scale fixture
//! (`target/city-scale-8x8.osm.pbf`, made as in BENCHMARKS.md "City scale (baseline)"; another
//! network with `SQ_CITY_PBF=path`), each drawn as the 5/10/15-minute polygons the app shows.
//! Prints the thread CPU per query (the counter of `/proc/thread-self/schedstat`, each figure
//! over at least two seconds, so that a loaded machine's waiting is not counted) of the search
//! alone and of the search with its polygons. Every polygon set is checked (three budgets,
//! the 15-minute one not empty), so a broken computation fails instead of reporting a fast
//! number. Skips with a message when the network file is missing. Run by `cargo test
//! --benches` (without `--bench`), it checks 5 queries once instead of timing.

use std::path::PathBuf;
use std::time::Instant;

use shuangquan::plan::graph::{
    Budget, IsochroneOptions, NodeId, Reach, Snap, WalkGraph, WalkProfile,
};
use shuangquan::plan::osm;

const QUERIES: usize = 200;

/// SplitMix64, for seeded source choices.
fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn thread_cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// CPU nanoseconds per call of `f` over all sources, in rounds until `secs` seconds have
/// passed (at least one round).
fn cpu_per_query(sources: &[Snap], secs: f64, mut f: impl FnMut(&Snap)) -> f64 {
    let (cpu, t) = (thread_cpu_ns(), Instant::now());
    let mut rounds = 0usize;
    while rounds < 1 || t.elapsed().as_secs_f64() < secs {
        sources.iter().for_each(&mut f);
        rounds += 1;
    }
    (thread_cpu_ns() - cpu) as f64 / (rounds * sources.len()) as f64
}

fn main() {
    let path = std::env::var_os("SQ_CITY_PBF").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/city-scale-8x8.osm.pbf"),
        PathBuf::from,
    );
    let Ok(bytes) = std::fs::read(&path) else {
        eprintln!("city_isochrone: {} not found, skipped", path.display());
        return;
    };
    let g = WalkGraph::build(&osm::read(&bytes).streets);
    drop(bytes);
    let Some(big) = g.largest_component() else {
        eprintln!(
            "city_isochrone: {} has no street network, skipped",
            path.display()
        );
        return;
    };
    let pool: Vec<NodeId> = g.nodes().filter(|&n| g.component_of(n) == big).collect();
    let timed = std::env::args().any(|a| a == "--bench");
    let (queries, secs) = if timed { (QUERIES, 2.0) } else { (5, 0.0) };
    let mut state = 1u64;
    let sources: Vec<Snap> = (0..queries)
        .filter_map(|_| g.snap_node(pool[(splitmix(&mut state) % pool.len() as u64) as usize]))
        .collect();
    let (profile, budget, opts) = (
        WalkProfile::DEFAULT,
        Budget::Minutes(15.0),
        IsochroneOptions::default(),
    );
    let mut reach = Reach::new(&g);
    let (mut reached, mut runs) = (0usize, 0usize);
    let search = cpu_per_query(&sources, secs, |s| {
        reach.run(&g, std::slice::from_ref(s), profile, budget);
        reached += reach.reached_count();
        runs += 1;
    });
    assert!(reached > runs, "searches reach more than their start");
    let with_polygons = cpu_per_query(&sources, secs, |s| {
        reach.run(&g, std::slice::from_ref(s), profile, budget);
        let iso = g
            .isochrones(&reach, &[5.0, 10.0, 15.0], &opts)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(iso.len(), 3);
        assert!(!iso[2].polygon_wgs84.0.is_empty());
    });
    println!(
        "{{\"network\":\"{}\",\"nodes\":{},\"queries\":{},\"mean_reached\":{:.1},\"search_cpu_us\":{:.2},\"search_and_polygons_5_10_15_cpu_us\":{:.2},\"polygons_cpu_us\":{:.2},\"load\":\"{}\"}}",
        path.display(),
        g.node_count(),
        sources.len(),
        reached as f64 / runs as f64,
        search / 1e3,
        with_polygons / 1e3,
        (with_polygons - search) / 1e3,
        std::fs::read_to_string("/proc/loadavg")
            .unwrap_or_default()
            .split_whitespace()
            .next()
            .unwrap_or("?")
    );
}
