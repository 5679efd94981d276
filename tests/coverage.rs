//! Dual-circle coverage against independent recomputations: per-point times against a
//! brute-force search from each point on the real Shanghai network, shares recomputed from the
//! per-point file, monotonicity when facilities are added, and the CLI's files.
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::many_single_char_names
)]

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;

use shuangquan::plan::coverage::{self, Coverage, Inputs, Level, Params, Thresholds};
use shuangquan::plan::engine::Engine;
use shuangquan::plan::geom::LonLat;
use shuangquan::plan::graph::{Budget, Reach, SnapOptions, WalkGraph, WalkProfile};
use shuangquan::plan::import::Dataset;
use shuangquan::plan::model::{Category, Community, DemandPoint, Facility};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn load(id: &str) -> Engine {
    common::load_engine(id)
}

fn run(graph: Option<&WalkGraph>, d: &Dataset, params: &Params) -> Coverage {
    let stations: Vec<LonLat> = d.stations.iter().map(|s| s.pos_wgs84).collect();
    let postings: Vec<LonLat> = d.postings.iter().map(|p| p.pos_wgs84).collect();
    coverage::compute(
        graph,
        Inputs {
            demand: &d.demand,
            stations: &stations,
            facilities: &d.facilities,
            communities: &d.communities,
            postings: &postings,
        },
        params,
        &mut |_, _| {},
    )
    .unwrap()
}

#[test]
fn per_point_times_equal_a_brute_force_search_from_each_point() {
    let e = load("shanghai-central");
    let g = e.graph().unwrap();
    let d = e.layers();
    let params = Params::default();
    let cov = run(Some(g), d, &params);
    let horizon_s = 15.0 * params.horizon_factor * 60.0;
    let snap = SnapOptions::default();
    let mut reach = Reach::new(g);
    let mut compared = 0;
    let mut within = 0;
    for (i, p) in d.demand.iter().enumerate().step_by(23) {
        let Ok(s) = g.snap(p.pos_wgs84, &snap) else {
            assert!(cov.points[i].off_network_m.is_some());
            continue;
        };
        // One unbounded search from this point; walk to every target.
        reach.run(g, &[s], WalkProfile::DEFAULT, Budget::Unbounded);
        let best = |targets: &mut dyn Iterator<Item = LonLat>| {
            targets
                .filter_map(|t| g.snap(t, &snap).ok())
                .filter_map(|t| reach.probe(g, &t))
                .map(|t| t.seconds)
                .fold(None, |m: Option<f64>, x| Some(m.map_or(x, |m| m.min(x))))
                .filter(|s| *s <= horizon_s)
        };
        let st = best(&mut d.stations.iter().map(|s| s.pos_wgs84));
        match (st, cov.points[i].station_s) {
            (Some(a), Some(b)) => assert!((a - b).abs() < 1e-6, "point {i} station {a} vs {b}"),
            (None, None) => {}
            (a, b) => panic!("point {i} station: brute {a:?}, coverage {b:?}"),
        }
        for (k, c) in cov.categories.iter().enumerate() {
            let brute = best(
                &mut d
                    .facilities
                    .iter()
                    .filter(|f| f.category == *c)
                    .map(|f| f.pos_wgs84),
            );
            let got = cov.points[i].category_s[k];
            match (brute, got) {
                (Some(a), Some(b)) => {
                    assert!((a - b).abs() < 1e-6, "point {i} {}: {a} vs {b}", c.id());
                    within += 1;
                }
                (None, None) => {}
                (a, b) => panic!("point {i} {}: brute {a:?}, coverage {b:?}", c.id()),
            }
            compared += 1;
        }
    }
    assert!(compared > 500, "compared {compared}");
    assert!(
        within > compared / 3,
        "only {within} of {compared} within the horizon"
    );
}

/// Parses a CSV produced by the report writers into rows of name → value.
fn rows(text: &str) -> Vec<BTreeMap<String, String>> {
    let mut rd = csv::Reader::from_reader(text.as_bytes());
    let h = rd.headers().unwrap().clone();
    rd.records()
        .map(|r| {
            let r = r.unwrap();
            h.iter()
                .zip(r.iter())
                .map(|(a, b)| (a.to_owned(), b.to_owned()))
                .collect()
        })
        .collect()
}

#[test]
fn shares_recomputed_from_the_points_file_match_the_report() {
    let e = load("shanghai-central");
    let d = e.layers();
    let params = Params {
        thresholds: Thresholds {
            categories: BTreeMap::from([(Category::Store, 5.0), (Category::Market, 8.0)]),
            ..Thresholds::default()
        },
        ..Params::default()
    };
    let cov = run(e.graph(), d, &params);
    let points = rows(&cov.points_csv(&d.demand));
    let report = rows(&cov.report_csv());
    assert_eq!(points.len(), d.demand.len());
    // Independent recomputation: group by the points' community column, weight by `weight`,
    // membership from the times and thresholds (not from the report's booleans).
    let limit = |col: &str| match col {
        "store_s" => 300.0,
        "market_s" => 480.0,
        _ => 900.0,
    };
    let within = |row: &BTreeMap<String, String>, col: &str| {
        row[col].parse::<f64>().is_ok_and(|s| s <= limit(col))
    };
    let base = [
        "store_s",
        "breakfast_s",
        "market_s",
        "repair_s",
        "elderly_s",
        "childcare_s",
    ];
    let mut agg: BTreeMap<String, [f64; 5]> = BTreeMap::new();
    for p in &points {
        let w: f64 = p["weight"].parse().unwrap();
        let emp = within(p, "station_s");
        let conv = base.iter().all(|c| within(p, c));
        assert_eq!(p["employment"] == "true", emp);
        assert_eq!(p["convenience"] == "true", conv);
        assert_eq!(p["dual"] == "true", emp && conv);
        for key in [p["community"].clone(), String::new()] {
            let a = agg.entry(key).or_default();
            a[0] += w;
            a[1] += if emp { w } else { 0.0 };
            a[2] += if conv { w } else { 0.0 };
            a[3] += if emp && conv { w } else { 0.0 };
            a[4] += if within(p, "market_s") { w } else { 0.0 };
        }
    }
    let mut checked = 0;
    for r in &report {
        let key = if r["level"] == "city" {
            String::new()
        } else {
            r["name"].clone()
        };
        let a = agg[&key];
        let close = |col: &str, x: f64| {
            let got: f64 = r[col].parse().unwrap();
            assert!(
                (got - x / a[0]).abs() < 6e-5,
                "{key} {col}: report {got}, recomputed {}",
                x / a[0]
            );
        };
        assert!((r["population"].parse::<f64>().unwrap() - a[0]).abs() < 0.06);
        close("employment_share", a[1]);
        close("convenience_share", a[2]);
        close("dual_share", a[3]);
        close("market_share", a[4]);
        checked += 1;
    }
    assert_eq!(checked, report.len());
    assert!(checked > 100);
}

#[test]
fn adding_a_facility_never_lowers_a_share() {
    let e = load("shanghai-central");
    let g = e.graph().unwrap();
    let mut d = e.layers().clone();
    let params = Params::default();
    let before = run(Some(g), &d, &params);
    // Seeded walk over demand positions: add a facility of a rotating category at each.
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for k in 0..12 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let at = d.demand[(x % d.demand.len() as u64) as usize].pos_wgs84;
        d.facilities.push(Facility {
            id: format!("added-{k}"),
            name: format!("added {k}"),
            category: Category::BASE_SIX[k % 6],
            pos_wgs84: at,
        });
    }
    let after = run(Some(g), &d, &params);
    assert_eq!(before.units.len(), after.units.len());
    let mut raised = 0;
    for (b, a) in before.units.iter().zip(&after.units) {
        assert_eq!(b.name, a.name);
        for (x, y) in b.category_share.iter().zip(&a.category_share) {
            assert!(y >= x, "{}: {x} → {y}", b.name);
            raised += usize::from(y > x);
        }
        assert!(a.convenience_share >= b.convenience_share);
        assert!(a.dual_share >= b.dual_share);
        assert!(a.employment_share >= b.employment_share);
    }
    assert!(raised > 0, "adding twelve facilities changed nothing");
}

#[test]
fn removing_a_category_drops_it_to_zero_and_the_convenience_circle_with_it() {
    let e = load("shanghai-central");
    let mut d = e.layers().clone();
    d.facilities.retain(|f| f.category != Category::Market);
    let cov = run(e.graph(), &d, &Params::default());
    let k = cov
        .categories
        .iter()
        .position(|c| *c == Category::Market)
        .unwrap();
    assert_eq!(cov.facility_counts[k], 0);
    for u in &cov.units {
        assert!(u.category_share[k].abs() < f64::EPSILON, "{}", u.name);
        assert!(u.convenience_share.abs() < f64::EPSILON);
        assert!(u.dual_share.abs() < f64::EPSILON);
        if u.population > 0.0 {
            assert!(u.missing.iter().any(|m| m.category == Category::Market));
        }
    }
    assert!(cov.models.is_empty());
    // Another category is untouched.
    assert!(cov.city().category_share[0] > 0.5);
}

#[test]
fn tighter_thresholds_never_raise_shares() {
    let e = load("shanghai-central");
    let d = e.layers();
    let loose = run(e.graph(), d, &Params::default());
    let mut p = Params::default();
    p.thresholds.categories.insert(Category::Store, 5.0);
    p.thresholds.station_minutes = Some(10.0);
    let tight = run(e.graph(), d, &p);
    let (l, t) = (loose.city(), tight.city());
    assert!(t.category_share[0] < l.category_share[0]);
    assert!(t.employment_share < l.employment_share);
    assert!((t.category_share[1] - l.category_share[1]).abs() < 1e-12);
    // Per point: the same times, only membership changes.
    for (a, b) in loose.points.iter().zip(&tight.points) {
        assert_eq!(a.category_s[1..], b.category_s[1..]);
        // The store search now stops at 2 × 5 minutes.
        assert_eq!(a.category_s[0].filter(|s| *s <= 600.0), b.category_s[0]);
        assert_eq!(b.employment, b.station_s.is_some_and(|s| s <= 600.0));
    }
}

fn square(x0: f64, y0: f64, w: f64) -> geo::MultiPolygon<f64> {
    geo::MultiPolygon(vec![geo::Polygon::new(
        geo::LineString::from(vec![
            (x0, y0),
            (x0 + w, y0),
            (x0 + w, y0 + w),
            (x0, y0 + w),
            (x0, y0),
        ]),
        vec![],
    )])
}

#[test]
fn units_come_from_names_codes_and_boundaries_and_the_gap_list_is_ranked() {
    // No network: straight-line estimates on a synthetic layout near (120.0, 36.0).
    let communities = vec![
        Community {
            code: Some("370202".into()),
            name: "区甲".into(),
            parent_code: None,
            population: None,
            boundary_wgs84: Some(square(120.0, 36.0, 0.1)),
        },
        Community {
            code: Some("370202001".into()),
            name: "街道一".into(),
            parent_code: Some("370202".into()),
            population: None,
            boundary_wgs84: Some(square(120.0, 36.0, 0.05)),
        },
        Community {
            code: Some("370202001001".into()),
            name: "社区甲".into(),
            parent_code: Some("370202001".into()),
            population: None,
            boundary_wgs84: None,
        },
    ];
    let pt = |id: &str, lon: f64, lat: f64, w: f64, c: Option<&str>| DemandPoint {
        id: id.into(),
        pos_wgs84: LonLat::new(lon, lat),
        weight: w,
        community: c.map(str::to_owned),
    };
    let demand = vec![
        // By code, 街道 from its parent code, district from the 街道's parent.
        pt("a", 120.01, 36.01, 100.0, Some("370202001001")),
        // By name (an ad hoc community), 街道 and district from the polygons.
        pt("b", 120.02, 36.01, 300.0, Some("新社区")),
        // Unnamed, in the district but outside the 街道: district only.
        pt("c", 120.08, 36.08, 50.0, None),
    ];
    let facilities: Vec<Facility> = Category::BASE_SIX
        .iter()
        .map(|c| Facility {
            id: c.id().into(),
            name: c.id().into(),
            category: *c,
            pos_wgs84: LonLat::new(120.0101, 36.0101),
        })
        .collect();
    let stations = [LonLat::new(120.0101, 36.0101)];
    let cov = coverage::compute(
        None,
        Inputs {
            demand: &demand,
            stations: &stations,
            facilities: &facilities,
            communities: &communities,
            postings: &[],
        },
        &Params::default(),
        &mut |_, _| {},
    )
    .unwrap();
    assert!(cov.estimate);
    let names: Vec<(Level, &str)> = cov
        .units
        .iter()
        .map(|u| (u.level, u.name.as_str()))
        .collect();
    assert_eq!(
        names,
        vec![
            (Level::Community, "新社区"),
            (Level::Community, "社区甲"),
            (Level::Subdistrict, "街道一"),
            (Level::District, "区甲"),
            (Level::City, ""),
        ]
    );
    // Point a is 14 m away: in both circles; b ≈ 890 m × 1.3 at 60 m/min ≈ 19 min: in neither,
    // but within the 30-minute horizon, so its time is known.
    assert!(cov.points[0].dual);
    assert!(!cov.points[1].employment && !cov.points[1].convenience);
    let straight = LonLat::new(120.02, 36.01).haversine_m(LonLat::new(120.0101, 36.0101));
    let expect = straight * 1.3 / 60.0 * 60.0;
    let got = cov.points[1].category_s[0].unwrap();
    assert!((got - expect).abs() / expect < 0.01, "{got} vs {expect}");
    assert!(got > 900.0);
    let district = &cov.units[3];
    assert_eq!(district.points, 3);
    assert!((district.population - 450.0).abs() < 1e-9);
    assert!((district.dual_share - 100.0 / 450.0).abs() < 1e-12);
    assert_eq!(cov.units[2].points, 2);
    assert_eq!(cov.units[1].parent.as_deref(), Some("街道一"));
    assert_eq!(cov.units[0].parent.as_deref(), Some("街道一"));
    assert_eq!(district.stations, Some(1));
    // Gap list over communities: 新社区 (300 people outside) first; 社区甲 has no gap.
    assert_eq!(cov.gaps, vec![0]);
    assert_eq!(cov.units[0].gap_rank, Some(1));
    assert_eq!(cov.models, vec![1]);
    assert_eq!(cov.units[1].model_rank, Some(1));
    let m = &cov.units[0].missing;
    assert_eq!(m.len(), 6);
    assert!(m.iter().all(|m| (m.people - 300.0).abs() < 1e-9));
    // "How far the nearest one is": the best time from the unit's points.
    assert_eq!(m[0].nearest_s, cov.points[1].category_s[0]);
}

#[test]
fn bad_parameters_are_refused_with_the_parameter_named() {
    let mut p = Params {
        speed_m_per_min: f64::NAN,
        ..Params::default()
    };
    assert!(p.validate().unwrap_err().contains("speed"));
    p.speed_m_per_min = 60.0;
    p.thresholds.categories.insert(Category::Repair, -3.0);
    assert!(p.validate().unwrap_err().contains("repair"));
}

#[test]
fn cli_writes_deterministic_report_and_points_files() {
    let bin = env!("CARGO_BIN_EXE_shuangquan");
    let dir = std::env::temp_dir().join(format!("sq-coverage-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let go = |tag: &str, out: &str| {
        let status = std::process::Command::new(bin)
            .args(["coverage", "--data"])
            .arg(root().join("static/data/shanghai-central"))
            .args(["--threshold", "store=5", "--out"])
            .arg(dir.join(format!("{tag}.{out}")))
            .arg("--points")
            .arg(dir.join(format!("{tag}.points.csv")))
            .output()
            .unwrap();
        assert!(
            status.status.success(),
            "{}",
            String::from_utf8_lossy(&status.stderr)
        );
        String::from_utf8(status.stdout).unwrap()
    };
    let s1 = go("a", "csv");
    let s2 = go("b", "csv");
    assert_eq!(s1, s2);
    assert!(s1.contains("双圈"));
    let read = |f: &str| std::fs::read(dir.join(f)).unwrap();
    assert_eq!(read("a.csv"), read("b.csv"));
    assert_eq!(read("a.points.csv"), read("b.points.csv"));
    let points = String::from_utf8(read("a.points.csv")).unwrap();
    let header = points.lines().next().unwrap();
    assert!(header.starts_with(
        "lon,lat,weight,station_s,store_s,breakfast_s,market_s,repair_s,elderly_s,childcare_s,"
    ));
    assert!(header.contains(",employment,convenience,dual"));
    go("c", "geojson");
    let gj: serde_json::Value = serde_json::from_slice(&read("c.geojson")).unwrap();
    let feats = gj["features"].as_array().unwrap();
    assert_eq!(
        feats.len(),
        String::from_utf8(read("a.csv")).unwrap().lines().count() - 1
    );
    assert!(feats[0]["properties"]["missing"].is_array());
    // A bad threshold is refused with a message naming it.
    let bad = std::process::Command::new(bin)
        .args(["coverage", "--data"])
        .arg(root().join("static/data/shanghai-central"))
        .args(["--threshold", "bakery=5", "--out", "/dev/null.csv"])
        .output()
        .unwrap();
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("bakery"));
    std::fs::remove_dir_all(&dir).ok();
}
