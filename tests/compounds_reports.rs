//! Every report the CLI writes states the compound setting it was computed under (issue 16,
//! item 3: "stated in the panel and in every report"): the coverage CSV and GeoJSON, the
//! supply–demand CSV and GeoJSON, plan.json, the nearby JSON and the reach isochrones, each run
//! with `--compounds closed` and `--compounds open` on the real shanghai-central package.

#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

mod common;
use common::cli as run;

/// The `compounds` column of a CSV report, every row.
fn csv_column(path: &Path) -> Vec<String> {
    let mut r = csv::Reader::from_path(path).unwrap();
    let k = r
        .headers()
        .unwrap()
        .iter()
        .position(|h| h.trim_start_matches('\u{feff}') == "compounds")
        .unwrap_or_else(|| panic!("{}: no compounds column", path.display()));
    r.records().map(|row| row.unwrap()[k].to_owned()).collect()
}

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn feature_values(v: &serde_json::Value) -> Vec<String> {
    v["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            f["properties"]["compounds"]
                .as_str()
                .unwrap_or("")
                .to_owned()
        })
        .collect()
}

#[test]
fn every_report_states_the_compound_setting_open_and_closed() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("compounds_reports");
    std::fs::create_dir_all(&dir).unwrap();
    let data = "static/data/shanghai-central";
    let from = "121.4753,31.2317";
    for setting in ["closed", "open"] {
        let f = |name: &str| dir.join(format!("{setting}-{name}"));
        let s = |p: &PathBuf| p.to_string_lossy().into_owned();
        let net = ["--compounds", setting];
        let all = |v: Vec<String>, what: &str| {
            assert!(!v.is_empty(), "{what}: no rows");
            assert!(v.iter().all(|x| x == setting), "{what}: {v:?} ≠ {setting}");
        };

        run(&[
            &["coverage", "--data", data, "--out", &s(&f("cov.csv"))],
            &net[..],
        ]
        .concat());
        all(csv_column(&f("cov.csv")), "coverage csv");

        for out in ["acc.csv", "acc.geojson"] {
            let pts = s(&f("pts.csv"));
            run(&[
                &[
                    "access",
                    "--data",
                    data,
                    "--out",
                    &s(&f(out)),
                    "--points",
                    &pts,
                ],
                &net[..],
            ]
            .concat());
        }
        all(csv_column(&f("acc.csv")), "access csv");
        // Its features are the coverage report's GeoJSON features, with the ratios added.
        let gj = json(&f("acc.geojson"));
        all(feature_values(&gj), "coverage and access geojson");
        assert_eq!(gj["compounds"], setting);

        run(&[
            &[
                "place",
                "--data",
                data,
                "--k",
                "1",
                "--time-limit",
                "0.2",
                "--out",
                &s(&f("plan.json")),
            ],
            &net[..],
        ]
        .concat());
        assert_eq!(json(&f("plan.json"))["compounds"], setting, "plan.json");

        let nearby = run(&[
            &["nearby", "--data", data, "--from", from, "--format", "json"],
            &net[..],
        ]
        .concat());
        let v: serde_json::Value = serde_json::from_str(&nearby).unwrap();
        assert_eq!(v["compounds"], setting, "nearby json");

        run(&[
            &[
                "reach",
                "--data",
                data,
                "--from",
                from,
                "--minutes",
                "5",
                "--isochrone",
                &s(&f("iso.geojson")),
            ],
            &net[..],
        ]
        .concat());
        all(feature_values(&json(&f("iso.geojson"))), "reach isochrones");
    }
    std::fs::remove_dir_all(&dir).ok();
}
