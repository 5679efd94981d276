//! Nearby-postings benchmarks on the real central-Shanghai network (`data/sources/shanghai`,
//! the same graph as the reach bench) with 10,000 and 100,000 synthetic postings: the index
//! build (snap every posting, R-tree bulk load) and one query from a seeded random home (one
//! bounded reach, R-tree disc, probes, ranking), plain, with filters and a profile, and with the
//! services summary. Postings and homes are generated deterministically (SplitMix64) on the
//! network's node positions, up to ≈ 150 m off them. Results are checked against a brute-force
//! scan before timing, and hit counts are asserted inside the timed loops.

#![allow(clippy::many_single_char_names)] // g, c, b, k, h as in the other benches

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use shuangquan::plan::geom::LonLat;
use shuangquan::plan::graph::{Budget, NodeId, SnapOptions, WalkGraph, WalkProfile};
use shuangquan::plan::model::{Category, Facility, HoursType, Posting, Station};
use shuangquan::plan::nearby::{
    Education, Filters, LIMIT_TOLERANCE, MatchProfile, PostingIndex, Query, Searcher, ServiceIndex,
};
use shuangquan::plan::osm;

fn graph() -> WalkGraph {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/sources/shanghai/shanghai_center.osm");
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    WalkGraph::build(&osm::read(&bytes).streets)
}

/// SplitMix64.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    /// A point within ≈ ±150 m of a random node.
    fn near_node(&mut self, g: &WalkGraph) -> LonLat {
        let p = g.node_wgs84(NodeId(self.below(g.node_count()) as u32));
        LonLat::new(
            p.lon + (self.unit() - 0.5) * 0.003,
            p.lat + (self.unit() - 0.5) * 0.0027,
        )
    }
}

fn postings(g: &WalkGraph, n: usize, seed: u64) -> Vec<Posting> {
    const CATS: [&str; 6] = ["餐饮", "家政", "物流", "零售", "保安", "医药"];
    const HOURS: [HoursType; 4] = [
        HoursType::FullTime,
        HoursType::PartTime,
        HoursType::Flexible,
        HoursType::Gig,
    ];
    const EDU: [&str; 5] = ["不限", "初中", "高中", "大专", "本科"];
    const SKILLS: [&str; 6] = ["烹饪", "保洁", "配送", "驾驶", "收银", "护理"];
    let mut rng = Rng(seed);
    (0..n)
        .map(|k| {
            let pay = 3000.0 + 500.0 * rng.below(8) as f64;
            let age_min = 16 + rng.below(10) as u32;
            Posting {
                id: format!("job{k:06}"),
                title: format!("岗位 {}", SKILLS[rng.below(6)]),
                employer: Some(format!("雇主 {}", rng.below(500))),
                pos_wgs84: rng.near_node(g),
                category: Some(CATS[rng.below(6)].to_owned()),
                pay_min: Some(pay),
                pay_max: Some(pay + 1500.0),
                hours: Some(HOURS[rng.below(4)]),
                education: Some(EDU[rng.below(5)].to_owned()),
                age_min: Some(age_min),
                age_max: Some(age_min + 25 + rng.below(20) as u32),
                skills: vec![
                    SKILLS[rng.below(6)].to_owned(),
                    SKILLS[rng.below(6)].to_owned(),
                ],
                posted: Some(format!(
                    "2026-{:02}-{:02}",
                    1 + rng.below(11),
                    1 + rng.below(28)
                )),
                station_id: None,
            }
        })
        .collect()
}

fn services(g: &WalkGraph) -> (Vec<Station>, Vec<Facility>) {
    let mut rng = Rng(99);
    let stations = (0..40)
        .map(|k| Station {
            id: format!("st{k}"),
            name: format!("站 {k}"),
            pos_wgs84: rng.near_node(g),
            address: None,
            host_type: None,
            services: vec![],
            hours: None,
        })
        .collect();
    let facilities = (0..1500)
        .map(|k| Facility {
            id: format!("f{k}"),
            name: format!("设施 {k}"),
            category: Category::ALL[rng.below(Category::ALL.len())],
            pos_wgs84: rng.near_node(g),
        })
        .collect();
    (stations, facilities)
}

/// Homes that snap, seeded.
fn homes(g: &WalkGraph, snap: &SnapOptions) -> Vec<LonLat> {
    let mut rng = Rng(7);
    let mut out = Vec::new();
    while out.len() < 64 {
        let h = rng.near_node(g);
        if g.snap(h, snap).is_ok() {
            out.push(h);
        }
    }
    out
}

/// Hit count by brute force: an unbounded reach probed at every posting.
fn brute_count(
    g: &WalkGraph,
    postings: &[Posting],
    home: LonLat,
    q: &Query,
    snap: &SnapOptions,
) -> usize {
    let run = g.reach(
        &[g.snap(home, snap).unwrap_or_else(|e| panic!("{e}"))],
        WalkProfile::with_speed(q.speed_m_per_min),
        Budget::Unbounded,
    );
    let limit = q.minutes * q.speed_m_per_min * (1.0 + LIMIT_TOLERANCE);
    postings
        .iter()
        .filter(|p| q.filters.keeps(p))
        .filter_map(|p| g.snap(p.pos_wgs84, snap).ok())
        .filter_map(|s| run.probe(g, &s))
        .filter(|t| t.metres <= limit)
        .count()
}

fn bench(c: &mut Criterion) {
    let g = graph();
    let snap = SnapOptions::default();
    let homes = homes(&g, &snap);
    let (stations, facilities) = services(&g);
    let service_index = ServiceIndex::new(Some(&g), &stations, &facilities, &snap);
    let filtered = Query {
        filters: Filters {
            hours: vec![HoursType::FullTime, HoursType::PartTime],
            pay_min: Some(4000.0),
            ..Filters::default()
        },
        profile: Some(MatchProfile {
            age: Some(35),
            education: Some(Education::SeniorSecondary),
            skills: vec!["烹饪".into(), "驾驶".into()],
            hours: vec![HoursType::FullTime],
            max_minutes: None,
        }),
        limit: Some(50),
        ..Query::default()
    };

    let mut group = c.benchmark_group("nearby");
    for n in [10_000usize, 100_000] {
        let postings = postings(&g, n, 42);
        group.sample_size(10);
        group.bench_with_input(BenchmarkId::new("index_build", n), &postings, |b, p| {
            b.iter(|| {
                let index = PostingIndex::new(Some(&g), black_box(p), &snap);
                assert_eq!(index.len(), n);
                index
            });
        });
        group.sample_size(100);
        let index = PostingIndex::new(Some(&g), &postings, &snap);
        let mut searcher = Searcher::new();
        // Expected hit counts per home, checked against the brute force for the first few.
        let plain = Query::default();
        let counts: Vec<(usize, usize)> = homes
            .iter()
            .map(|&h| {
                let a = searcher
                    .nearby(Some(&g), &index, &postings, h, &plain, &snap)
                    .map(|r| r.total);
                let b = searcher
                    .nearby(Some(&g), &index, &postings, h, &filtered, &snap)
                    .map(|r| r.total);
                (a.unwrap_or(usize::MAX), b.unwrap_or(usize::MAX))
            })
            .collect();
        for (k, &h) in homes.iter().take(4).enumerate() {
            assert_eq!(counts[k].0, brute_count(&g, &postings, h, &plain, &snap));
            assert_eq!(counts[k].1, brute_count(&g, &postings, h, &filtered, &snap));
        }
        let mean = counts.iter().map(|c| c.0).sum::<usize>() as f64 / counts.len() as f64;
        assert!(mean > n as f64 / 1000.0, "{n}: {mean} hits per home");
        eprintln!("nearby/{n}: {mean:.0} postings within 15 minutes per home on average");

        let mut k = 0usize;
        group.bench_function(BenchmarkId::new("query_15min", n), |b| {
            b.iter(|| {
                k = (k + 1) % homes.len();
                let r = searcher
                    .nearby(
                        Some(&g),
                        &index,
                        &postings,
                        black_box(homes[k]),
                        &plain,
                        &snap,
                    )
                    .unwrap_or_else(|e| panic!("{e}"));
                assert_eq!(r.total, counts[k].0);
                r
            });
        });
        group.bench_function(BenchmarkId::new("query_filters_profile", n), |b| {
            b.iter(|| {
                k = (k + 1) % homes.len();
                let r = searcher
                    .nearby(
                        Some(&g),
                        &index,
                        &postings,
                        black_box(homes[k]),
                        &filtered,
                        &snap,
                    )
                    .unwrap_or_else(|e| panic!("{e}"));
                assert_eq!(r.total, counts[k].1);
                r
            });
        });
        group.bench_function(BenchmarkId::new("query_and_services", n), |b| {
            b.iter(|| {
                k = (k + 1) % homes.len();
                let r = searcher
                    .nearby(
                        Some(&g),
                        &index,
                        &postings,
                        black_box(homes[k]),
                        &plain,
                        &snap,
                    )
                    .unwrap_or_else(|e| panic!("{e}"));
                assert_eq!(r.total, counts[k].0);
                let s = searcher
                    .services(Some(&g), &service_index, &stations, &facilities)
                    .unwrap_or_else(|e| panic!("{e}"));
                (r, s)
            });
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
