//! Supply–demand ratios against an independent implementation: a plain textbook Dijkstra written
//! here over the graph's edge list (not the crate's `Reach`), the textbook 2SFCA / E2SFCA sums
//! written out again, with capacities, on both real networks (Shanghai roads, Helsinki
//! footways), to 1e-9 relative. Also: the surface against point queries at the cell centres
//! (the coverage assessment, another code path), capacity import errors, and the CLI's refusals.
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::float_cmp,
    clippy::many_single_char_names
)]

mod common;

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::path::PathBuf;
use std::process::Command;

use shuangquan::plan::access::{self, Method, Params, Standard, Target, surface};
use shuangquan::plan::coverage;
use shuangquan::plan::geom::LonLat;
use shuangquan::plan::graph::{Snap, SnapOptions, WalkGraph};
use shuangquan::plan::import::{self, Capacity, Dataset, Layer, Options};

/// Plain Dijkstra from a snapped point over the edge list, bounded at `limit_m` metres.
/// Returns metres to every node (infinite when beyond).
fn dijkstra(g: &WalkGraph, adj: &[Vec<(usize, f64)>], from: &Snap, limit_m: f64) -> Vec<f64> {
    let mut dist = vec![f64::INFINITY; g.node_count()];
    let mut heap = BinaryHeap::new();
    let e = g.edge(from.edge);
    for (n, d) in [
        (e.a.0 as usize, from.off_network_m + from.from_start_m),
        (e.b.0 as usize, from.off_network_m + from.to_end_m),
    ] {
        if d < dist[n] {
            dist[n] = d;
            heap.push(Reverse((ordered(d), n)));
        }
    }
    while let Some(Reverse((d, n))) = heap.pop() {
        let d = f64::from_bits(d);
        if d > dist[n] || d > limit_m {
            continue;
        }
        for &(m, len) in &adj[n] {
            let nd = d + len;
            if nd < dist[m] {
                dist[m] = nd;
                heap.push(Reverse((ordered(nd), m)));
            }
        }
    }
    dist
}

fn ordered(d: f64) -> u64 {
    d.to_bits()
}

/// Metres walked between two snapped points given the distances from the first.
fn metres_to(g: &WalkGraph, dist: &[f64], from: &Snap, to: &Snap) -> f64 {
    let e = g.edge(to.edge);
    let mut best = (dist[e.a.0 as usize] + to.from_start_m).min(dist[e.b.0 as usize] + to.to_end_m);
    if from.edge == to.edge {
        best = best.min(from.off_network_m + (from.from_start_m - to.from_start_m).abs());
    }
    best + to.off_network_m
}

/// The textbook formulas for one target: (R_j per supply, A_i per demand).
#[allow(clippy::type_complexity)]
fn oracle(
    g: &WalkGraph,
    demand: &[(Option<Snap>, f64)],
    supply: &[(Option<Snap>, f64)],
    minutes: f64,
    speed: f64,
    method: Method,
) -> (Vec<Option<f64>>, Vec<Option<f64>>, Vec<u32>) {
    let mut adj = vec![Vec::new(); g.node_count()];
    for e in g.edges() {
        adj[e.a.0 as usize].push((e.b.0 as usize, e.length_m));
        adj[e.b.0 as usize].push((e.a.0 as usize, e.length_m));
    }
    let d0 = minutes * 60.0;
    let w = |t: f64| -> f64 {
        if t > d0 {
            0.0
        } else if method == Method::TwoStep || t <= d0 / 3.0 {
            1.0
        } else if t <= 2.0 * d0 / 3.0 {
            0.68
        } else {
            0.22
        }
    };
    // t[j] = list of (i, seconds) within the catchment.
    let mut t: Vec<Vec<(usize, f64)>> = Vec::new();
    for (s, _) in supply {
        let mut row = Vec::new();
        if let Some(s) = s {
            let dist = dijkstra(g, &adj, s, minutes * speed);
            for (i, (p, _)) in demand.iter().enumerate() {
                if let Some(p) = p {
                    let secs = metres_to(g, &dist, s, p) / speed * 60.0;
                    if secs <= d0 {
                        row.push((i, secs));
                    }
                }
            }
        }
        t.push(row);
    }
    let r: Vec<Option<f64>> = supply
        .iter()
        .zip(&t)
        .map(|((_, cap), row)| {
            let d: f64 = row.iter().map(|(i, s)| demand[*i].1 * w(*s)).sum();
            (d > 0.0).then(|| cap / d)
        })
        .collect();
    let mut a: Vec<Option<f64>> = demand.iter().map(|(p, _)| p.map(|_| 0.0)).collect();
    let mut n = vec![0u32; demand.len()];
    for (rj, row) in r.iter().zip(&t) {
        for (i, s) in row {
            n[*i] += 1;
            if let (Some(rj), Some(ai)) = (rj, a[*i].as_mut()) {
                *ai += rj * w(*s);
            }
        }
    }
    (r, a, n)
}

/// The ratios of a package's layers with these capacities.
fn ratios(g: Option<&WalkGraph>, d: &Dataset, cap: &Capacity, params: &Params) -> access::Access {
    access::compute(
        g,
        access::Inputs {
            demand: &d.demand,
            stations: &d.stations,
            facilities: &d.facilities,
            communities: &d.communities,
            capacity: cap,
        },
        params,
        &mut |_, _| {},
    )
    .unwrap()
}

fn close(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (Some(x), Some(y)) => (x - y).abs() <= 1e-9 * x.abs().max(y.abs()).max(1e-300),
        (None, None) => true,
        _ => false,
    }
}

/// Capacities that differ between facilities (the packages carry none): 1 to 40 places.
fn capacities(d: &Dataset) -> Capacity {
    let mut c = Capacity::default();
    for (k, f) in d.facilities.iter().enumerate() {
        c.facilities
            .insert(f.id.clone(), 1.0 + ((k * 7919) % 40) as f64);
    }
    for (k, s) in d.stations.iter().enumerate() {
        c.stations.insert(s.id.clone(), 2.0 + (k % 5) as f64);
    }
    c
}

fn equals_oracle(package: &str) {
    let e = common::load_engine(package);
    let g = e.graph().unwrap();
    let d = e.layers();
    let cap = capacities(d);
    let snap = SnapOptions::default();
    let demand: Vec<(Option<Snap>, f64)> = d
        .demand
        .iter()
        .map(|p| (g.snap(p.pos_wgs84, &snap).ok(), p.weight))
        .collect();
    let mut compared = 0usize;
    for method in [Method::TwoStep, Method::Enhanced] {
        let params = Params {
            method,
            standard: Standard::Mofcom2021,
            coverage: coverage::Params {
                thresholds: Standard::Mofcom2021.thresholds(),
                ..coverage::Params::default()
            },
            ..Params::default()
        };
        let got = ratios(Some(g), d, &cap, &params);
        for tr in &got.targets {
            let supply: Vec<(Option<Snap>, f64, LonLat)> = match tr.target {
                Target::Station => d
                    .stations
                    .iter()
                    .map(|s| {
                        (
                            g.snap(s.pos_wgs84, &snap).ok(),
                            cap.stations[&s.id],
                            s.pos_wgs84,
                        )
                    })
                    .collect(),
                Target::Category(c) => d
                    .facilities
                    .iter()
                    .filter(|f| f.category == c)
                    .map(|f| {
                        (
                            g.snap(f.pos_wgs84, &snap).ok(),
                            cap.facilities[&f.id],
                            f.pos_wgs84,
                        )
                    })
                    .collect(),
            };
            let minutes = tr.target.minutes(&params.coverage.thresholds);
            let s2: Vec<(Option<Snap>, f64)> = supply.iter().map(|(s, c, _)| (*s, *c)).collect();
            let (r, a, n) = oracle(g, &demand, &s2, minutes, 60.0, method);
            assert_eq!(tr.ratios.ratio.len(), r.len());
            for (j, (x, y)) in tr.ratios.ratio.iter().zip(&r).enumerate() {
                assert!(
                    close(*x, *y),
                    "{package} {method:?} {} supply {j}: R {x:?} vs oracle {y:?}",
                    tr.target
                );
            }
            for (i, (x, y)) in tr.ratios.access.iter().zip(&a).enumerate() {
                assert!(
                    close(*x, *y),
                    "{package} {method:?} {} point {i}: A {x:?} vs oracle {y:?}",
                    tr.target
                );
                assert_eq!(tr.ratios.count_within[i], n[i], "{package} point {i}");
                compared += 1;
            }
        }
    }
    assert!(compared > 2 * d.demand.len(), "{compared}");
    // Not vacuous: some ratios are positive and some points reach several supply points.
}

#[test]
fn shanghai_ratios_equal_the_textbook_on_a_plain_dijkstra() {
    equals_oracle("shanghai-central");
}

#[test]
fn helsinki_ratios_equal_the_textbook_on_a_plain_dijkstra() {
    equals_oracle("helsinki");
}

#[test]
fn the_city_mean_is_population_weighted_and_supply_is_conserved() {
    // 2SFCA conserves supply: Σ_i P_i A_i = Σ_j S_j over supply points with demand in reach.
    let e = common::load_engine("shanghai-central");
    let d = e.layers();
    let cap = capacities(d);
    let got = ratios(e.graph(), d, &cap, &Params::default());
    let city = got.units.last().unwrap();
    for (t, f) in got.targets.iter().zip(city) {
        let served: f64 = t
            .capacity
            .iter()
            .zip(&t.ratios.ratio)
            .filter(|(_, r)| r.is_some())
            .map(|(c, _)| c)
            .sum();
        let total = f.mean_ratio * f.population;
        assert!(
            (total - served).abs() <= 1e-9 * served.max(1.0),
            "{}: {total} vs {served}",
            t.target
        );
    }
}

#[test]
fn shortfall_counts_people_point_by_point() {
    let e = common::load_engine("helsinki");
    let d = e.layers();
    let target = 0.01;
    let params = Params {
        target_ratios: vec![(
            Target::Category(shuangquan::plan::model::Category::Store),
            target,
        )],
        ..Params::default()
    };
    let cap = Capacity::default();
    let got = ratios(e.graph(), d, &cap, &params);
    let k = got
        .targets
        .iter()
        .position(|t| t.target.id() == "store")
        .unwrap();
    let want: f64 = d
        .demand
        .iter()
        .zip(&got.targets[k].ratios.access)
        .map(|(p, a)| p.weight * (1.0 - a.unwrap_or(0.0) / target).max(0.0))
        .sum();
    let city = &got.units.last().unwrap()[k];
    assert!((city.shortfall_people.unwrap() - want).abs() < 1e-6);
    assert!(city.shortfall_people.unwrap() > 0.0);
    // Without a target ratio there is no shortfall.
    assert!(got.units.last().unwrap()[0].shortfall_people.is_none());
}

fn surface_agrees_with_point_queries(package: &str, cell_m: f64) {
    let e = common::load_engine(package);
    let g = e.graph().unwrap();
    let d = e.layers();
    let stations: Vec<LonLat> = d.stations.iter().map(|s| s.pos_wgs84).collect();
    let params = surface::SurfaceParams {
        cell_m,
        thresholds: Standard::Gb50180.thresholds(),
        standard: Standard::Gb50180,
        ..surface::SurfaceParams::default()
    };
    let s = surface::compute(g, &stations, &d.facilities, &params).unwrap();
    // Point queries: the coverage assessment with a demand point at every cell centre.
    let demand: Vec<shuangquan::plan::model::DemandPoint> = (0..s.len())
        .map(|k| shuangquan::plan::model::DemandPoint {
            id: format!("c{k}"),
            pos_wgs84: s.centre_wgs84(k),
            weight: 1.0,
            community: None,
        })
        .collect();
    let cov = coverage::compute(
        Some(g),
        coverage::Inputs {
            demand: &demand,
            stations: &stations,
            facilities: &d.facilities,
            communities: &[],
            postings: &[],
        },
        &coverage::Params {
            thresholds: params.thresholds.clone(),
            ..coverage::Params::default()
        },
        &mut |_, _| {},
    )
    .unwrap();
    assert_eq!(s.targets.len(), cov.categories.len() + 1);
    let mut blank = 0;
    let mut valued = 0;
    for (k, p) in cov.points.iter().enumerate() {
        assert_eq!(s.on_network[k], p.off_network_m.is_none(), "cell {k}");
        if !s.on_network[k] {
            blank += 1;
            assert!(s.gravity[k].is_nan());
            continue;
        }
        let mut times = vec![p.station_s];
        times.extend(p.category_s.iter().copied());
        for (t, want) in times.iter().enumerate() {
            let got = s.minutes(t, k).map(|m| m * 60.0);
            match (got, want) {
                (Some(x), Some(y)) => {
                    assert!(
                        (x - y).abs() <= 1e-3 + 1e-6 * y,
                        "cell {k} target {t}: {x} vs {y}"
                    );
                    valued += 1;
                }
                (None, None) => {}
                _ => panic!("cell {k} target {t}: {got:?} vs {want:?}"),
            }
        }
        // The gravity score from the point query's times and the band weights.
        let thresholds: Vec<f64> = std::iter::once(params.thresholds.station())
            .chain(
                cov.categories
                    .iter()
                    .map(|c| params.thresholds.category(*c)),
            )
            .collect();
        let g: f64 = times
            .iter()
            .zip(&thresholds)
            .filter_map(|(t, m)| t.map(|t| Method::Enhanced.weight(t, m * 60.0)))
            .sum();
        assert!(
            (f64::from(s.gravity[k]) - g).abs() < 1e-4,
            "cell {k} gravity"
        );
        let within = cov
            .categories
            .iter()
            .zip(&p.category_s)
            .filter(|(c, t)| c.is_base() && cov.within(**t, **c))
            .count();
        assert_eq!(usize::from(s.within[k]), within, "cell {k}");
    }
    assert!(valued > s.len(), "{package}: {valued} values");
    eprintln!(
        "{package}: {} cells, {blank} blank, {valued} times compared",
        s.len()
    );
}

#[test]
fn shanghai_surface_cells_agree_with_point_queries_at_their_centres() {
    surface_agrees_with_point_queries("shanghai-central", 250.0);
}

#[test]
fn helsinki_surface_cells_agree_with_point_queries_at_their_centres() {
    surface_agrees_with_point_queries("helsinki", 50.0);
}

#[test]
fn surface_refuses_a_zero_cell_and_too_many_cells_before_computing() {
    let e = common::load_engine("helsinki");
    let g = e.graph().unwrap();
    let d = e.layers();
    for (cell, needle) in [
        (0.0, "cell size 0 m"),
        (0.5, "more than the limit of 4000000"),
    ] {
        let err = surface::compute(
            g,
            &[],
            &d.facilities,
            &surface::SurfaceParams {
                cell_m: cell,
                ..surface::SurfaceParams::default()
            },
        )
        .unwrap_err();
        assert!(err.to_string().contains(needle), "{err}");
    }
}

/// The app's requests (`Engine::supply_demand`, `Engine::accessibility_surface`, what the
/// worker calls) fail with the typed error that names the value, and the speed is checked
/// first: a custom speed of 0 or NaN is a speed error, not a half-computed result.
#[test]
fn the_apps_requests_name_bad_values_as_typed_errors() {
    use shuangquan::plan::engine::EngineError;
    let e = common::load_engine("helsinki");
    for speed in [0.0, f64::NAN, -3.0] {
        let mut p = Params::default();
        p.coverage.speed_m_per_min = speed;
        match e.supply_demand(&p, &mut |_, _| {}).unwrap_err() {
            EngineError::InvalidSpeed { m_per_min } => {
                assert!(m_per_min.to_bits() == speed.to_bits(), "{m_per_min}");
            }
            other => panic!("{other:?}"),
        }
        let s = surface::SurfaceParams {
            speed_m_per_min: speed,
            cell_m: 0.0,
            ..surface::SurfaceParams::default()
        };
        assert!(matches!(
            e.accessibility_surface(&s).unwrap_err(),
            EngineError::InvalidSpeed { .. }
        ));
    }
    let cell = |cell_m| {
        e.accessibility_surface(&surface::SurfaceParams {
            cell_m,
            ..surface::SurfaceParams::default()
        })
        .unwrap_err()
    };
    assert_eq!(cell(0.0), EngineError::InvalidCellSize { cell_m: 0.0 });
    match cell(0.5) {
        EngineError::TooManyCells {
            cell_m,
            cells,
            limit,
        } => {
            assert_eq!((cell_m, limit), (0.5, surface::MAX_CELLS));
            assert!(cells > limit);
        }
        other => panic!("{other:?}"),
    }
    let ratio = Params {
        target_ratios: vec![(Target::Station, -1.0)],
        ..Params::default()
    };
    assert_eq!(
        e.supply_demand(&ratio, &mut |_, _| {}).unwrap_err(),
        EngineError::InvalidTargetRatio {
            target: "station".to_owned(),
            value: -1.0
        }
    );
    // The same request with good values answers, with the report's GeoJSON for the export.
    let ok = e.supply_demand(&Params::default(), &mut |_, _| {}).unwrap();
    let g: serde_json::Value = serde_json::from_str(&ok.report_geojson).unwrap();
    assert_eq!(
        g["features"].as_array().map(Vec::len),
        Some(ok.access.coverage.units.len())
    );
    let q = common::load_engine("qingdao");
    assert_eq!(
        q.accessibility_surface(&surface::SurfaceParams::default())
            .unwrap_err(),
        EngineError::NoNetwork
    );
}

#[test]
fn a_negative_or_non_numeric_capacity_is_named_and_the_rest_loads() {
    let csv = "id,lon,lat,category,capacity\n\
               a,121.47,31.23,childcare,30\n\
               b,121.48,31.23,childcare,-5\n\
               c,121.49,31.23,childcare,lots\n\
               d,121.50,31.23,childcare,\n";
    let got = import::import(
        "tuoyu.csv",
        csv.as_bytes(),
        &Options::default(),
        Some(Layer::Facilities),
    );
    let ids: Vec<&str> = got.items.facilities.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(ids, ["a", "d"]);
    assert_eq!(got.items.capacity.facility("a"), 30.0);
    assert_eq!(got.items.capacity.facility("d"), 1.0);
    let msgs: Vec<String> = got
        .report
        .problems
        .iter()
        .map(ToString::to_string)
        .collect();
    assert!(
        msgs.iter()
            .any(|m| m.contains("tuoyu.csv:3:capacity") && m.contains("\"-5\"")),
        "{msgs:?}"
    );
    assert!(
        msgs.iter()
            .any(|m| m.contains("tuoyu.csv:4:capacity") && m.contains("\"lots\"")),
        "{msgs:?}"
    );
}

fn cli(args: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_shuangquan"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn cli_refuses_bad_names_and_bad_capacities_without_writing_results() {
    let dir = std::env::temp_dir().join(format!("sq-access-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let pkg = root.join("static/data/helsinki");
    let out = dir.join("r.csv");
    let pts = dir.join("p.csv");
    let base = |extra: &[&str]| -> Vec<String> {
        let mut v: Vec<String> = vec![
            "access".into(),
            "--out".into(),
            out.to_string_lossy().into(),
            "--points".into(),
            pts.to_string_lossy().into(),
        ];
        v.extend(extra.iter().map(|s| (*s).to_owned()));
        v
    };
    let run = |extra: &[&str]| {
        let v = base(extra);
        let r: Vec<&str> = v.iter().map(String::as_str).collect();
        cli(&r)
    };
    let data = pkg.to_string_lossy().into_owned();
    for (extra, needle) in [
        (
            vec!["--data", &data, "--standard", "gb50181"],
            "\"gb50181\"",
        ),
        (vec!["--data", &data, "--method", "3sfca"], "\"3sfca\""),
        (vec!["--data", &data, "--speed", "0"], "speed 0"),
        (vec!["--data", &data, "--profile", "runner"], "\"runner\""),
        (vec!["--data", &data, "--target", "childcare=-1"], "-1"),
    ] {
        let (ok, err) = run(&extra);
        assert!(!ok, "{extra:?} succeeded");
        assert!(err.contains(needle), "{extra:?}: {err}");
        assert!(!out.exists() && !pts.exists(), "{extra:?} wrote a result");
    }
    // A bad capacity in the facilities: named, and nothing is written.
    let fac = dir.join("fac.csv");
    std::fs::write(
        &fac,
        "id,lon,lat,category,capacity\nk1,24.94,60.17,childcare,12\nk2,24.941,60.17,childcare,-3\n",
    )
    .unwrap();
    let streets = pkg.join("streets.osm.pbf");
    let demand = pkg.join("demand.geojson");
    let (ok, err) = run(&[
        "--network",
        &streets.to_string_lossy(),
        "--demand",
        &demand.to_string_lossy(),
        "--facilities",
        &fac.to_string_lossy(),
    ]);
    assert!(!ok);
    assert!(
        err.contains(":3:capacity") && err.contains("\"-3\""),
        "{err}"
    );
    assert!(!out.exists() && !pts.exists());
    // The same with a valid capacity runs and writes one row per point and target.
    std::fs::write(
        &fac,
        "id,lon,lat,category,capacity\nk1,24.94,60.17,childcare,12\nk2,24.941,60.17,childcare,3\n",
    )
    .unwrap();
    let (ok, err) = run(&[
        "--network",
        &streets.to_string_lossy(),
        "--demand",
        &demand.to_string_lossy(),
        "--facilities",
        &fac.to_string_lossy(),
        "--method",
        "e2sfca",
    ]);
    assert!(ok, "{err}");
    let p = std::fs::read_to_string(&pts).unwrap();
    assert!(p.starts_with("id,target,seconds,count_within,ratio\n"));
    let r = std::fs::read_to_string(&out).unwrap();
    // Text cells are quoted by the spreadsheet-safe writer; read the rows as CSV.
    let rows: Vec<csv::StringRecord> = csv::Reader::from_reader(r.as_bytes())
        .records()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(!rows.is_empty());
    assert!(
        rows.iter()
            .all(|row| (&row[0], &row[1], &row[2]) == ("qingdao2025", "e2sfca", "60"))
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn qingdao_records_its_census_age_shares_and_the_elderly_walk_slower() {
    let q = common::load_engine("qingdao");
    let a = q.age_shares().unwrap();
    // The manifest keeps the shares to 6 decimals.
    assert!((a.aged_60_plus - 2_042_649.0 / 10_071_722.0).abs() < 1e-6);
    assert!((a.aged_0_14 - 1_552_097.0 / 10_071_722.0).abs() < 1e-6);
    // On a real network: the elderly figures are the assessment at 45 m/min.
    let e = common::load_engine("helsinki");
    let d = e.layers();
    let got = e
        .access(
            &Params {
                elderly_share: Some(a.aged_60_plus),
                ..Params::default()
            },
            &mut |_, _| {},
        )
        .unwrap();
    let stations: Vec<LonLat> = d.stations.iter().map(|s| s.pos_wgs84).collect();
    let slow = coverage::compute(
        e.graph(),
        coverage::Inputs {
            demand: &d.demand,
            stations: &stations,
            facilities: &d.facilities,
            communities: &d.communities,
            postings: &[],
        },
        &coverage::Params {
            speed_m_per_min: 45.0,
            ..Params::default().coverage
        },
        &mut |_, _| {},
    )
    .unwrap();
    let old = got.access.elderly.as_ref().unwrap();
    assert_eq!(old.len(), slow.units.len());
    for ((o, s), u) in old.iter().zip(&slow.units).zip(&got.access.coverage.units) {
        assert_eq!(o.dual_share, s.dual_share);
        assert!(
            o.convenience_share <= u.convenience_share + 1e-12,
            "{}",
            u.name
        );
        assert!((o.people - u.population * a.aged_60_plus).abs() < 1e-6);
    }
    let city = old.last().unwrap();
    assert!(city.convenience_share <= got.access.coverage.city().convenience_share);
}

#[test]
fn wheelchair_ratios_equal_the_same_walk_on_a_graph_without_steps() {
    use shuangquan::plan::graph::WalkProfile;
    let e = common::load_engine("helsinki");
    let d = e.layers();
    let full = e.graph().unwrap();
    assert!(full.edges().iter().any(|x| x.steps), "Helsinki has steps");
    let no_steps: Vec<_> = d
        .streets
        .to_streets()
        .into_iter()
        .filter(|s| s.highway.as_deref() != Some("steps"))
        .collect();
    let reference = WalkGraph::build(&no_steps);
    let cap = capacities(d);
    let w = WalkProfile::WHEELCHAIR;
    let with = |avoid_steps| Params {
        coverage: coverage::Params {
            speed_m_per_min: w.speed_m_per_min,
            avoid_steps,
            ..Params::default().coverage
        },
        ..Params::default()
    };
    let a = ratios(Some(full), d, &cap, &with(true));
    let b = ratios(Some(&reference), d, &cap, &with(false));
    let mut differ = 0;
    for (x, y) in a.targets.iter().zip(&b.targets) {
        for (p, q) in x.ratios.access.iter().zip(&y.ratios.access) {
            assert!(close(*p, *q), "{}: {p:?} vs {q:?}", x.target);
        }
        assert_eq!(x.ratios.count_within, y.ratios.count_within);
    }
    // Not vacuous: steps matter somewhere for a walker who may use them.
    let c = ratios(Some(full), d, &cap, &with(false));
    for (x, y) in a.targets.iter().zip(&c.targets) {
        differ += x
            .ratios
            .nearest_s
            .iter()
            .zip(&y.ratios.nearest_s)
            .filter(|(p, q)| p != q)
            .count();
    }
    assert!(differ > 0);
}
