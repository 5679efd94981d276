//! Nearby postings and services (`plan::nearby`): results equal a brute-force scan (an
//! unbounded reach probed at every posting) on the real Shanghai and Helsinki networks for many
//! seeded homes; each filter case by case; the match score's order and reasons; the time limit
//! inclusive to the micrometre; off-network homes and postings; the no-network estimate;
//! services and routes from the same run; and the `shuangquan nearby` CLI.
#![allow(clippy::many_single_char_names)] // short names for geometry in tests
#![allow(clippy::unwrap_used)] // helpers outside #[test] functions panic on bad fixtures too

use std::path::{Path, PathBuf};
use std::process::Command;

use shuangquan::plan::geom::LonLat;
use shuangquan::plan::graph::{Budget, Snap, SnapOptions, WalkGraph, WalkProfile};
use shuangquan::plan::import::{self, Options};
use shuangquan::plan::model::{Category, Facility, HoursType, Posting, Station, Street};
use shuangquan::plan::nearby::{
    Education, Filters, LIMIT_TOLERANCE, MatchProfile, NearbyError, PostingIndex, Query, Reason,
    Searcher, ServiceIndex,
};

// ---------------------------------------------------------------------------------------------
// Fixtures

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

struct Package {
    graph: WalkGraph,
    postings: Vec<Posting>,
    stations: Vec<Station>,
    facilities: Vec<Facility>,
}

fn package(name: &str) -> Package {
    let dir = root().join("static/data").join(name);
    let o = Options::default();
    let load = |f: &str| (f.to_owned(), read(&dir.join(f)));
    let (_, b) = load("streets.osm.pbf");
    let streets = shuangquan::plan::osm::read(&b).streets;
    let (f, b) = load("postings.geojson");
    let postings = import::import_postings(&f, &b, &o).items;
    let (f, b) = load("stations.geojson");
    let stations = import::import_stations(&f, &b, &o).items;
    let (f, b) = load("facilities.geojson");
    let facilities = import::import_facilities(&f, &b, &o).items;
    assert!(!postings.is_empty() && !streets.is_empty());
    Package {
        graph: WalkGraph::build(&streets),
        postings,
        stations,
        facilities,
    }
}

/// SplitMix64: a tiny seeded generator, so that every run tests the same homes.
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
}

fn job(id: &str, lon: f64, lat: f64) -> Posting {
    Posting {
        id: id.into(),
        title: format!("job {id}"),
        employer: None,
        pos_wgs84: LonLat::new(lon, lat),
        category: None,
        pay_min: None,
        pay_max: None,
        hours: None,
        education: None,
        age_min: None,
        age_max: None,
        skills: vec![],
        posted: None,
        station_id: None,
    }
}

/// Postings near random nodes of `g` (up to ~300 m away, so some are off the network).
fn synthetic_postings(g: &WalkGraph, n: usize, seed: u64) -> Vec<Posting> {
    let mut rng = Rng(seed);
    let cats = ["餐饮", "家政", "物流", "零售"];
    let hours = [
        HoursType::FullTime,
        HoursType::PartTime,
        HoursType::Flexible,
        HoursType::Gig,
    ];
    (0..n)
        .map(|k| {
            let node = g.node_wgs84(shuangquan::plan::graph::NodeId(
                rng.below(g.node_count()) as u32
            ));
            let mut p = job(
                &format!("syn{k:05}"),
                node.lon + (rng.unit() - 0.5) * 0.006,
                node.lat + (rng.unit() - 0.5) * 0.004,
            );
            p.category = Some(cats[rng.below(4)].into());
            p.hours = Some(hours[rng.below(4)]);
            p.pay_min = Some(3000.0 + 500.0 * rng.below(6) as f64);
            p.pay_max = p.pay_min.map(|x| x + 1500.0);
            p
        })
        .collect()
}

/// The brute-force answer: an unbounded reach from the home, probed at every posting (snapped
/// independently of the index, `snaps`); keep those the filters pass and within the limit;
/// sorted by (seconds, id).
fn brute(
    g: &WalkGraph,
    postings: &[Posting],
    snaps: &[Option<Snap>],
    home: LonLat,
    q: &Query,
    snap: &SnapOptions,
) -> Vec<(String, f64)> {
    let s = g.snap(home, snap).unwrap();
    let run = g.reach(
        &[s],
        WalkProfile::with_speed(q.speed_m_per_min),
        Budget::Unbounded,
    );
    let limit = q.minutes * q.speed_m_per_min * (1.0 + LIMIT_TOLERANCE);
    let mut out: Vec<(String, f64)> = postings
        .iter()
        .zip(snaps)
        .filter(|(p, _)| q.filters.keeps(p))
        .filter_map(|(p, ps)| {
            let t = run.probe(g, ps.as_ref()?)?;
            (t.metres <= limit).then(|| (p.id.clone(), t.seconds))
        })
        .collect();
    out.sort_by(|a, b| a.1.total_cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
    out
}

/// Runs many seeded homes (near random nodes, some off the network) and compares with the
/// brute force. Returns (homes compared, homes off the network, total hits).
fn compare_with_brute_force(
    pkg: &Package,
    postings: &[Posting],
    seed: u64,
    homes: usize,
) -> (usize, usize, usize) {
    let snap = SnapOptions::default();
    let g = &pkg.graph;
    let index = PostingIndex::new(Some(g), postings, &snap);
    let category_of: std::collections::HashMap<&str, Option<&str>> = postings
        .iter()
        .map(|p| (p.id.as_str(), p.category.as_deref()))
        .collect();
    let snaps: Vec<Option<Snap>> = postings
        .iter()
        .map(|p| g.snap(p.pos_wgs84, &snap).ok())
        .collect();
    let mut searcher = Searcher::new();
    let mut rng = Rng(seed);
    let (mut compared, mut off, mut total) = (0, 0, 0);
    for k in 0..homes {
        let node = g.node_wgs84(shuangquan::plan::graph::NodeId(
            rng.below(g.node_count()) as u32
        ));
        let home = LonLat::new(
            node.lon + (rng.unit() - 0.5) * 0.008,
            node.lat + (rng.unit() - 0.5) * 0.006,
        );
        let mut q = Query {
            minutes: [5.0, 10.0, 15.0, 20.0][k % 4],
            speed_m_per_min: [60.0, 45.0, 75.0][k % 3],
            ..Query::default()
        };
        if k % 5 == 4 {
            q.filters.hours = vec![HoursType::FullTime, HoursType::Gig];
        }
        if k % 3 == 1 {
            q.filters.categories = vec!["餐饮".into(), " 物流".into()];
        }
        let got = searcher.nearby(Some(g), &index, postings, home, &q, &snap);
        match got {
            Err(NearbyError::OffNetwork {
                distance_m,
                limit_m,
            }) => {
                assert!(distance_m > limit_m);
                assert!(g.snap(home, &snap).is_err());
                off += 1;
            }
            Err(e) => panic!("home {k}: {e}"),
            Ok(r) => {
                let want = brute(g, postings, &snaps, home, &q, &snap);
                let ids: Vec<&str> = r.hits.iter().map(|h| h.id.as_str()).collect();
                let want_ids: Vec<&str> = want.iter().map(|w| w.0.as_str()).collect();
                assert_eq!(ids, want_ids, "home {k} at {home:?}");
                for (h, w) in r.hits.iter().zip(&want) {
                    assert!(
                        (h.seconds - w.1).abs() < 1e-6,
                        "{} {} vs {}",
                        h.id,
                        h.seconds,
                        w.1
                    );
                    assert!((h.metres - h.seconds / 60.0 * q.speed_m_per_min).abs() < 1e-6);
                }
                assert_eq!(r.total, r.hits.len());
                assert!(!r.estimate);
                // The category counts are what the brute force keeps without the category
                // filter, category by category.
                let others = Query {
                    filters: Filters {
                        categories: Vec::new(),
                        ..q.filters.clone()
                    },
                    ..q.clone()
                };
                let mut want_cats: std::collections::BTreeMap<String, usize> =
                    std::collections::BTreeMap::new();
                for (id, _) in brute(g, postings, &snaps, home, &others, &snap) {
                    if let Some(c) = category_of.get(id.as_str()).copied().flatten() {
                        *want_cats.entry(c.trim().to_owned()).or_default() += 1;
                    }
                }
                let got_cats: std::collections::BTreeMap<String, usize> =
                    r.categories.iter().cloned().collect();
                assert_eq!(got_cats, want_cats, "categories, home {k}");
                assert!(r.categories.windows(2).all(|w| w[0].1 >= w[1].1));
                if !q.filters.categories.is_empty() {
                    let chosen: usize = ["餐饮", "物流"]
                        .iter()
                        .map(|c| want_cats.get(*c).copied().unwrap_or(0))
                        .sum();
                    assert_eq!(r.hits.len(), chosen, "home {k}");
                }
                assert!(r.considered >= r.hits.len() + r.filtered_out);
                compared += 1;
                total += r.hits.len();
            }
        }
    }
    (compared, off, total)
}

// ---------------------------------------------------------------------------------------------
// Real networks

#[test]
fn shanghai_equals_brute_force() {
    let pkg = package("shanghai-central");
    let (compared, off, hits) = compare_with_brute_force(&pkg, &pkg.postings, 7, 60);
    assert!(compared >= 45, "{compared} compared, {off} off the network");
    assert!(hits > 500, "{hits}");
    // Synthetic postings, some off the network, with filters.
    let syn = synthetic_postings(&pkg.graph, 3000, 11);
    let (compared, _, hits) = compare_with_brute_force(&pkg, &syn, 13, 40);
    assert!(compared >= 30 && hits > 300, "{compared} {hits}");
}

#[test]
fn helsinki_equals_brute_force() {
    let pkg = package("helsinki");
    let (compared, off, _) = compare_with_brute_force(&pkg, &pkg.postings, 5, 40);
    assert!(compared >= 30, "{compared} compared, {off} off the network");
    let syn = synthetic_postings(&pkg.graph, 3000, 17);
    let (compared, _, hits) = compare_with_brute_force(&pkg, &syn, 19, 40);
    assert!(compared >= 30 && hits > 300, "{compared} {hits}");
}

#[test]
fn shanghai_services_and_routes_come_from_the_same_run() {
    let pkg = package("shanghai-central");
    let g = &pkg.graph;
    let snap = SnapOptions::default();
    let index = PostingIndex::new(Some(g), &pkg.postings, &snap);
    let services = ServiceIndex::new(Some(g), &pkg.stations, &pkg.facilities, &snap);
    let mut searcher = Searcher::new();
    let mut rng = Rng(23);
    let mut stations_found = 0;
    for _ in 0..25 {
        let node = g.node_wgs84(shuangquan::plan::graph::NodeId(
            rng.below(g.node_count()) as u32
        ));
        let q = Query::default();
        let Ok(r) = searcher.nearby(Some(g), &index, &pkg.postings, node, &q, &snap) else {
            continue;
        };
        let s = searcher
            .services(Some(g), &services, &pkg.stations, &pkg.facilities)
            .unwrap();
        // Brute force: every station and facility, from an unbounded run.
        let run = g.reach(
            &[g.snap(node, &snap).unwrap()],
            WalkProfile::DEFAULT,
            Budget::Unbounded,
        );
        let limit = 15.0 * 60.0 * (1.0 + LIMIT_TOLERANCE);
        let best = |pts: &mut dyn Iterator<Item = (usize, LonLat)>| {
            pts.filter_map(|(i, p)| {
                let t = run.probe(g, &g.snap(p, &snap).ok()?)?;
                (t.metres <= limit).then_some((t.metres, i))
            })
            .min_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)))
        };
        let want = best(&mut pkg.stations.iter().map(|x| x.pos_wgs84).enumerate());
        assert_eq!(s.station.as_ref().map(|p| p.index), want.map(|w| w.1));
        if let (Some(p), Some(w)) = (&s.station, want) {
            assert!((p.metres - w.0).abs() < 1e-6);
            stations_found += 1;
        }
        assert!(s.categories.len() >= 6);
        for (c, got) in &s.categories {
            let want = best(
                &mut pkg
                    .facilities
                    .iter()
                    .enumerate()
                    .filter(|(_, f)| f.category == *c)
                    .map(|(i, f)| (i, f.pos_wgs84)),
            );
            assert_eq!(got.as_ref().map(|p| p.index), want.map(|w| w.1), "{c}");
        }
        for t in &s.trainings {
            assert_eq!(pkg.facilities[t.index].category, Category::Training);
        }
        // Routes to the hits end at the posting and take the hit's time.
        for h in r.hits.iter().take(5) {
            let route = searcher.route_to(g, index.places(), h.posting).unwrap();
            assert!((route.seconds - h.seconds).abs() < 1e-9);
            let last = route.line_wgs84.0.last().unwrap();
            let p = pkg.postings[h.posting].pos_wgs84;
            assert!((last.x - p.lon).abs() < 1e-9 && (last.y - p.lat).abs() < 1e-9);
        }
    }
    assert!(stations_found >= 5, "{stations_found}");
}

// ---------------------------------------------------------------------------------------------
// Synthetic fixtures: one straight street along the equator, 0.03° ≈ 3.3 km.

fn street() -> WalkGraph {
    WalkGraph::build(&[Street {
        id: "s".into(),
        coords_wgs84: vec![LonLat::new(0.0, 0.0), LonLat::new(0.03, 0.0)],
        highway: None,
        foot: None,
        access: None,
        name: None,
        area: None,
        service: None,
    }])
}

fn ids(r: &shuangquan::plan::nearby::NearbyResult) -> Vec<&str> {
    r.hits.iter().map(|h| h.id.as_str()).collect()
}

#[test]
fn a_posting_exactly_at_the_limit_is_in_and_one_a_centimetre_beyond_is_not() {
    let g = street();
    let snap = SnapOptions::default();
    let home = LonLat::new(0.001, 0.0);
    let m_per_deg = {
        let p = g.projection();
        p.project(LonLat::new(1.0, 0.0)).x - p.project(LonLat::new(0.0, 0.0)).x
    };
    let at = 0.001 + 900.0 / m_per_deg;
    let postings = vec![
        job("at", at, 0.0),
        job("beyond", at + 0.01 / m_per_deg, 0.0),
        job("near", 0.002, 0.0),
    ];
    // The exact walking metres to "at", from the graph itself.
    let run = g.reach(
        &[g.snap(home, &snap).unwrap()],
        WalkProfile::DEFAULT,
        Budget::Unbounded,
    );
    let d_at = run
        .probe(&g, &g.snap(postings[0].pos_wgs84, &snap).unwrap())
        .unwrap()
        .metres;
    let index = PostingIndex::new(Some(&g), &postings, &snap);
    let mut s = Searcher::new();
    for (minutes, want) in [
        (d_at / 60.0, vec!["near", "at"]),
        (d_at / 60.0 * (1.0 - 1e-6), vec!["near"]),
        ((d_at + 0.01) / 60.0, vec!["near", "at", "beyond"]),
    ] {
        let q = Query {
            minutes,
            ..Query::default()
        };
        let r = s
            .nearby(Some(&g), &index, &postings, home, &q, &snap)
            .unwrap();
        assert_eq!(ids(&r), want, "{minutes}");
    }
    // Same at another speed: 45 m/min.
    let q = Query {
        minutes: d_at / 45.0,
        speed_m_per_min: 45.0,
        ..Query::default()
    };
    let r = s
        .nearby(Some(&g), &index, &postings, home, &q, &snap)
        .unwrap();
    assert_eq!(ids(&r), ["near", "at"]);
    assert!((r.hits[1].seconds - d_at / 45.0 * 60.0).abs() < 1e-6);
}

fn fixture() -> Vec<Posting> {
    let base = |id: &str, lon: f64| {
        let mut p = job(id, lon, 0.0);
        p.category = Some("餐饮".into());
        p.hours = Some(HoursType::FullTime);
        p.pay_min = Some(4000.0);
        p.pay_max = Some(6000.0);
        p.posted = Some("2026-10-01".into());
        p
    };
    let mut v = vec![base("a", 0.001), base("b", 0.002), base("c", 0.003)];
    v.push(base("d", 0.004));
    v.push(base("e", 0.005));
    v[1].category = Some("家政".into());
    v[1].hours = Some(HoursType::PartTime);
    v[2].pay_min = Some(2500.0);
    v[2].pay_max = Some(3500.0);
    v[2].education = Some("本科".into());
    v[3].age_min = Some(18);
    v[3].age_max = Some(35);
    v[3].posted = Some("2026-08-15".into());
    v[3].title = "面点师".into();
    v[4].skills = vec!["保洁".into(), "驾驶".into()];
    v[4].employer = Some("顺丰".into());
    v[4].hours = None;
    v
}

#[test]
fn each_filter_keeps_and_drops_the_right_postings() {
    let g = street();
    let snap = SnapOptions::default();
    let postings = fixture();
    let index = PostingIndex::new(Some(&g), &postings, &snap);
    let mut s = Searcher::new();
    let home = LonLat::new(0.0, 0.0);
    let mut run = |f: Filters| {
        let q = Query {
            filters: f,
            ..Query::default()
        };
        let r = s
            .nearby(Some(&g), &index, &postings, home, &q, &snap)
            .unwrap();
        ids(&r).into_iter().map(str::to_owned).collect::<Vec<_>>()
    };
    let all = ["a", "b", "c", "d", "e"];
    assert_eq!(run(Filters::default()), all);
    let cases: Vec<(Filters, Vec<&str>)> = vec![
        (
            Filters {
                categories: vec!["家政".into()],
                ..Filters::default()
            },
            vec!["b"],
        ),
        (
            Filters {
                categories: vec!["餐饮".into(), "家政".into()],
                ..Filters::default()
            },
            all.to_vec(),
        ),
        (
            Filters {
                hours: vec![HoursType::PartTime],
                ..Filters::default()
            },
            vec!["b"],
        ),
        (
            Filters {
                hours: vec![HoursType::FullTime],
                ..Filters::default()
            },
            vec!["a", "c", "d"],
        ),
        (
            Filters {
                pay_min: Some(5000.0),
                ..Filters::default()
            },
            vec!["a", "b", "d", "e"],
        ),
        (
            Filters {
                pay_max: Some(3000.0),
                ..Filters::default()
            },
            vec!["c"],
        ),
        (
            Filters {
                education: Some(Education::Associate),
                ..Filters::default()
            },
            vec!["a", "b", "d", "e"],
        ),
        (
            Filters {
                education: Some(Education::Bachelor),
                ..Filters::default()
            },
            all.to_vec(),
        ),
        (
            Filters {
                age: Some(40),
                ..Filters::default()
            },
            vec!["a", "b", "c", "e"],
        ),
        (
            Filters {
                age: Some(30),
                ..Filters::default()
            },
            all.to_vec(),
        ),
        (
            Filters {
                posted_since: Some("2026-09-01".into()),
                ..Filters::default()
            },
            vec!["a", "b", "c", "e"],
        ),
        (
            Filters {
                keyword: Some("面点".into()),
                ..Filters::default()
            },
            vec!["d"],
        ),
        (
            Filters {
                keyword: Some("顺丰 驾驶".into()),
                ..Filters::default()
            },
            vec!["e"],
        ),
    ];
    for (f, want) in cases {
        assert_eq!(run(f.clone()), want, "{f:?}");
    }
}

#[test]
fn profile_ranks_by_explained_score() {
    let g = street();
    let snap = SnapOptions::default();
    let postings = fixture();
    let index = PostingIndex::new(Some(&g), &postings, &snap);
    let mut s = Searcher::new();
    let home = LonLat::new(0.0, 0.0);
    let profile = MatchProfile {
        age: Some(40),
        education: Some(Education::SeniorSecondary),
        skills: vec!["驾驶".into()],
        hours: vec![HoursType::FullTime],
        max_minutes: Some(12.0),
    };
    let q = Query {
        profile: Some(profile),
        ..Query::default()
    };
    let r = s
        .nearby(Some(&g), &index, &postings, home, &q, &snap)
        .unwrap();
    let order = ids(&r);
    // a: walk 33.8 + 20 + 10 + 0 + 10 = 73.8; e, the farthest, matches the skill: 9.1 + 20 + 10
    // + 20 + 5 (hours unknown) = 64.1, above b (57.6, part time); d (age 18–35: 4.5) and c
    // (本科: 4.1) are ineligible and last.
    assert_eq!(order, ["a", "e", "b", "d", "c"]);
    let hit = |id: &str| r.hits.iter().find(|h| h.id == id).unwrap();
    assert!(hit("e").reasons.contains(&Reason::SkillsMatched {
        skills: vec!["驾驶".into()],
        of: 1
    }));
    assert!(hit("e").reasons.contains(&Reason::HoursUnknown));
    assert!(hit("b").reasons.contains(&Reason::HoursMismatch {
        hours: HoursType::PartTime
    }));
    assert!(hit("c").reasons.contains(&Reason::EducationBelow {
        required: Education::Bachelor,
        have: Education::SeniorSecondary
    }));
    assert!(hit("d").reasons.contains(&Reason::AgeOutside {
        min: Some(18),
        max: Some(35)
    }));
    assert!(!hit("c").points.unwrap().eligible && hit("a").points.unwrap().eligible);
    assert!(r.hits.windows(2).all(|w| w[0].score >= w[1].score));
    assert!((r.minutes - 12.0).abs() < 1e-12);
    // Without the profile's skill, the order is by walking time among eligible ones.
    let q2 = Query {
        profile: Some(MatchProfile {
            skills: vec![],
            ..q.profile.clone().unwrap()
        }),
        ..Query::default()
    };
    let r2 = s
        .nearby(Some(&g), &index, &postings, home, &q2, &snap)
        .unwrap();
    assert_eq!(ids(&r2)[0], "a");
    // The profile's shorter limit is a hard limit on hits: 0.005° ≈ 557 m = 9.3 minutes.
    let q3 = Query {
        profile: Some(MatchProfile {
            max_minutes: Some(9.0),
            ..MatchProfile::default()
        }),
        ..Query::default()
    };
    let r3 = s
        .nearby(Some(&g), &index, &postings, home, &q3, &snap)
        .unwrap();
    assert!(!ids(&r3).contains(&"e"));
    // Limit keeps the first n of the rank order.
    let q4 = Query {
        limit: Some(2),
        ..q
    };
    let r4 = s
        .nearby(Some(&g), &index, &postings, home, &q4, &snap)
        .unwrap();
    assert_eq!(ids(&r4), ["a", "e"]);
    assert_eq!(r4.total, 5);
}

#[test]
fn off_network_home_and_postings_are_reported() {
    let g = street();
    let snap = SnapOptions::default();
    let mut postings = fixture();
    postings.push(job("offroad", 0.006, 0.005)); // ≈ 553 m north of the street
    let index = PostingIndex::new(Some(&g), &postings, &snap);
    assert_eq!(index.unplaced().len(), 1);
    assert_eq!(index.unplaced()[0].0, 5);
    let mut s = Searcher::new();
    let far = LonLat::new(0.01, 0.01);
    let err = s
        .nearby(Some(&g), &index, &postings, far, &Query::default(), &snap)
        .unwrap_err();
    let NearbyError::OffNetwork {
        distance_m,
        limit_m,
    } = err
    else {
        panic!("{err:?}")
    };
    assert!((distance_m - 1105.7).abs() < 2.0, "{distance_m}");
    assert!((limit_m - 300.0).abs() < 1e-12);
    assert!(err.to_string().contains("1106 m"), "{err}");
    assert!(matches!(
        s.services(
            Some(&g),
            &ServiceIndex::new(Some(&g), &[], &[], &snap),
            &[],
            &[]
        ),
        Err(NearbyError::NoQuery)
    ));
    let r = s
        .nearby(
            Some(&g),
            &index,
            &postings,
            LonLat::new(0.0, 0.0),
            &Query::default(),
            &snap,
        )
        .unwrap();
    assert_eq!(r.off_network, [5]);
    assert!(!ids(&r).contains(&"offroad"));
    // An index of other records or another graph is refused.
    assert_eq!(
        s.nearby(
            Some(&g),
            &index,
            &postings[..3],
            LonLat::new(0.0, 0.0),
            &Query::default(),
            &snap
        ),
        Err(NearbyError::IndexMismatch)
    );
    assert_eq!(
        s.nearby(
            None,
            &index,
            &postings,
            LonLat::new(0.0, 0.0),
            &Query::default(),
            &snap
        ),
        Err(NearbyError::IndexMismatch)
    );
}

#[test]
fn without_a_network_times_are_detour_estimates() {
    let snap = SnapOptions::default();
    let postings = vec![
        job("in", 0.005, 0.0),     // 556.6 m × 1.3 = 723.6 m: 12.1 min
        job("out", 0.007, 0.0),    // 779.2 m × 1.3 = 1,013 m: beyond 15 min
        job("diag", 0.003, 0.003), // 472 m × 1.3 = 614 m
    ];
    let index = PostingIndex::new(None, &postings, &snap);
    let mut s = Searcher::new();
    let r = s
        .nearby(
            None,
            &index,
            &postings,
            LonLat::new(0.0, 0.0),
            &Query::default(),
            &snap,
        )
        .unwrap();
    assert!(r.estimate);
    assert_eq!(ids(&r), ["diag", "in"]);
    let want = LonLat::new(0.0, 0.0).haversine_m(LonLat::new(0.005, 0.0)) * 1.3;
    assert!(
        (r.hits[1].metres - want).abs() / want < 0.005,
        "{}",
        r.hits[1].metres
    );
    assert!((r.hits[1].seconds - r.hits[1].metres).abs() < 1e-9); // 60 m/min
    let facilities = vec![Facility {
        id: "f".into(),
        name: "夜校".into(),
        category: Category::Training,
        pos_wgs84: LonLat::new(0.002, 0.0),
    }];
    let services = ServiceIndex::new(None, &[], &facilities, &snap);
    let sv = s.services(None, &services, &[], &facilities).unwrap();
    assert!(sv.estimate && sv.station.is_none());
    assert_eq!(sv.trainings.len(), 1);
    assert!(
        sv.categories
            .iter()
            .any(|(c, p)| *c == Category::Training && p.as_ref().is_some_and(|p| p.id == "f"))
    );
    assert!(
        sv.categories
            .iter()
            .any(|(c, p)| *c == Category::Store && p.is_none())
    );
}

#[test]
fn query_and_result_round_trip_as_json() {
    let q: Query = serde_json::from_str(
        r#"{"filters":{"hours":["全职"],"education":"大专"},"profile":{"skills":["保洁"],"education":"高中"}}"#,
    )
    .unwrap();
    assert!((q.minutes - 15.0).abs() < 1e-12 && (q.speed_m_per_min - 60.0).abs() < 1e-12);
    assert_eq!(q.filters.hours, [HoursType::FullTime]);
    assert_eq!(q.filters.education, Some(Education::Associate));
    let g = street();
    let snap = SnapOptions::default();
    let postings = fixture();
    let index = PostingIndex::new(Some(&g), &postings, &snap);
    let r = Searcher::new()
        .nearby(
            Some(&g),
            &index,
            &postings,
            LonLat::new(0.0, 0.0),
            &q,
            &snap,
        )
        .unwrap();
    let text = serde_json::to_string(&r).unwrap();
    let back: shuangquan::plan::nearby::NearbyResult = serde_json::from_str(&text).unwrap();
    // serde_json may round the last bit of a float; everything else is exact.
    assert_eq!(back.hits.len(), r.hits.len());
    for (a, b) in back.hits.iter().zip(&r.hits) {
        assert_eq!(
            (&a.id, a.posting, a.points.is_some()),
            (&b.id, b.posting, true)
        );
        assert!((a.seconds - b.seconds).abs() < 1e-9 && (a.score - b.score).abs() < 1e-9);
        assert_eq!(a.reasons.len(), b.reasons.len());
        assert_eq!(a.reasons[1..], b.reasons[1..]);
    }
    assert_eq!((back.considered, back.filtered_out, back.total), (5, 3, 2));
}

// ---------------------------------------------------------------------------------------------
// CLI

fn cli(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_shuangquan"))
        .current_dir(root())
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn cli_lists_postings_by_walking_time_deterministically() {
    let args = [
        "nearby",
        "--data",
        "static/data/shanghai-central",
        "--from",
        "121.4753,31.2317",
    ];
    let a = cli(&args);
    assert!(a.status.success(), "{}", String::from_utf8_lossy(&a.stderr));
    let b = cli(&args);
    assert_eq!(a.stdout, b.stdout);
    let text = String::from_utf8(a.stdout).unwrap();
    let mut lines = text.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("id,seconds,score,title,metres")
    );
    let secs: Vec<f64> = lines
        .map(|l| l.split(',').nth(1).unwrap().parse().unwrap())
        .collect();
    assert!(secs.len() >= 5, "{}", secs.len());
    assert!(secs.windows(2).all(|w| w[0] <= w[1]));
    assert!(secs.iter().all(|&s| s <= 900.0));

    // JSON with filters and a profile: ranked by score.
    let dir = std::env::temp_dir().join(format!("nearby-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let profile = dir.join("profile.json");
    std::fs::write(
        &profile,
        r#"{"age": 30, "education": "大专", "skills": ["配送"], "hours": ["全职", "gig"]}"#,
    )
    .unwrap();
    let out = cli(&[
        "nearby",
        "--data",
        "static/data/shanghai-central",
        "--from",
        "121.4753,31.2317",
        "--minutes",
        "20",
        "--hours",
        "全职,gig",
        "--match",
        profile.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let hits = v["hits"].as_array().unwrap();
    assert!(!hits.is_empty());
    assert!((v["minutes"].as_f64().unwrap() - 20.0).abs() < 1e-12);
    assert_eq!(v["estimate"], false);
    assert!(v["from"].is_array());
    assert!(v["services"]["categories"].is_array());
    let scores: Vec<f64> = hits.iter().map(|h| h["score"].as_f64().unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]));
    assert!(
        hits.iter()
            .all(|h| h["id"].is_string() && h["reasons"].is_array())
    );
    assert!(
        hits.iter()
            .all(|h| matches!(h["hours"].as_str(), Some("full_time" | "gig")))
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn cli_reports_off_network_homes_and_bad_rows() {
    let out = cli(&[
        "nearby",
        "--data",
        "static/data/shanghai-central",
        "--from",
        "122.2,31.0",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("m from the walking network"), "{err}");

    let dir = std::env::temp_dir().join(format!("nearby-cli-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let csv = dir.join("jobs.csv");
    std::fs::write(
        &csv,
        "id,title,lon,lat\nj1,ok,121.4753,31.2317\nj2,bad,121.47,north\n",
    )
    .unwrap();
    let out = cli(&[
        "nearby",
        "--network",
        "static/data/shanghai-central/streets.osm.pbf",
        "--postings",
        csv.to_str().unwrap(),
        "--from",
        "121.4753,31.2317",
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("jobs.csv:3"), "{err}");
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(text.lines().count(), 2, "{text}");
    assert!(text.lines().nth(1).unwrap().starts_with("\"j1\","));
    std::fs::remove_dir_all(&dir).ok();
}
