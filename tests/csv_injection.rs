//! Formula injection (OWASP CSV injection) through every CSV the CLI writes, which are the same
//! bytes the app downloads (the coverage report and points come from one writer): names such
//! as `=HYPERLINK("http://x","y")` and `@SUM(1+1)` go in as community names, demand ids,
//! posting ids, titles and employers, and probe coordinates; each comes out as a quoted text
//! cell with a leading apostrophe, so Excel and WPS show it as text, while the numeric columns
//! stay unquoted numbers. Real streets (the Helsinki package's); the points are invented.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

const HOSTILE: [&str; 4] = [
    "=HYPERLINK(\"http://x\",\"y\")",
    "@SUM(1+1)",
    "+CMD|' /C calc'!A0",
    "-2+3",
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

mod common;
use common::cli as run;

/// The file as (header, rows of cells) read back by a standard CSV reader.
fn read(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut rd = csv::Reader::from_reader(text.as_bytes());
    let head = rd.headers().unwrap().iter().map(str::to_owned).collect();
    let rows = rd
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    (head, rows)
}

/// Every hostile text came out as `'` + itself in `column`, quoted in the raw text.
fn guarded(text: &str, column: &str, expect: &[&str]) {
    let (head, rows) = read(text);
    let k = head.iter().position(|h| h == column).unwrap();
    for h in expect {
        let want = format!("'{h}");
        assert!(
            rows.iter().any(|r| r[k] == want),
            "{column}: no cell {want:?} in {:?}",
            rows.iter().map(|r| &r[k]).collect::<Vec<_>>()
        );
        let raw = format!("\"{}\"", want.replace('"', "\"\""));
        assert!(text.contains(&raw), "{column}: {raw} not quoted in\n{text}");
    }
    // No cell of any row starts like a formula.
    for r in &rows {
        for c in r {
            let formula = c.starts_with(['=', '+', '@', '\t', '\r'])
                || (c.starts_with('-') && c.parse::<f64>().is_err());
            assert!(!formula, "{column}: formula-like cell {c:?}");
        }
    }
}

/// Numbers stay numbers: each listed column's cells are unquoted in the raw text.
fn numeric(text: &str, column: &str) {
    let (head, rows) = read(text);
    let k = head.iter().position(|h| h == column).unwrap();
    for r in &rows {
        let c = &r[k];
        if !c.is_empty() {
            assert!(c.parse::<f64>().is_ok(), "{column}: {c:?}");
            assert!(
                !text.contains(&format!("\"{c}\"")),
                "{column}: {c} is quoted"
            );
        }
    }
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.to_string_lossy().into_owned()
}

fn q(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

#[test]
fn every_cli_csv_keeps_formulas_as_text_and_numbers_as_numbers() {
    let dir = std::env::temp_dir().join(format!("sq-csv-injection-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let streets = root().join("static/data/helsinki/streets.osm.pbf");
    let streets = streets.to_str().unwrap();
    // Demand points on central Helsinki streets, each in a hostile community with a hostile id.
    let mut demand = String::from("id,lon,lat,weight,community\n");
    for (k, h) in HOSTILE.iter().enumerate() {
        let lon = 24.9352 + 0.0005 * k as f64;
        let _ = writeln!(demand, "{},{lon},60.1664,100,{}", q(h), q(h));
    }
    let demand = write(&dir, "demand.csv", &demand);
    let facilities = write(
        &dir,
        "facilities.csv",
        "id,lon,lat,category,name\nf1,24.9357,60.1670,store,=1+1\n",
    );
    let stations = write(
        &dir,
        "stations.csv",
        "id,lon,lat,name\ns1,24.9360,60.1680,@A1\n",
    );
    let report = dir.join("report.csv");
    let points = dir.join("points.csv");
    run(&[
        "coverage",
        "--network",
        streets,
        "--demand",
        &demand,
        "--facilities",
        &facilities,
        "--stations",
        &stations,
        "--out",
        report.to_str().unwrap(),
        "--points",
        points.to_str().unwrap(),
    ]);
    let report = std::fs::read_to_string(&report).unwrap();
    guarded(&report, "name", &HOSTILE);
    numeric(&report, "population");
    numeric(&report, "dual_share");
    let points = std::fs::read_to_string(&points).unwrap();
    guarded(&points, "id", &HOSTILE);
    guarded(&points, "community", &HOSTILE);
    numeric(&points, "lon");
    numeric(&points, "weight");

    // Nearby postings: hostile ids, titles and employers.
    let mut postings = String::from("id,lon,lat,title,employer\n");
    for (k, h) in HOSTILE.iter().enumerate() {
        let lon = 24.935_785_5 + 0.000_05 * k as f64;
        let _ = writeln!(postings, "{},{lon},60.1689965,{},{}", q(h), q(h), q(h));
    }
    let postings = write(&dir, "postings.csv", &postings);
    let nearby = run(&[
        "nearby",
        "--network",
        streets,
        "--postings",
        &postings,
        "--from",
        "24.9352,60.1664",
    ]);
    for column in ["id", "title", "employer"] {
        guarded(&nearby, column, &HOSTILE);
    }
    numeric(&nearby, "seconds");
    numeric(&nearby, "lon");

    // Reach probes echo the coordinates as given: text that is not a number is guarded, a
    // negative number stays a number.
    let probes = write(
        &dir,
        "probes.csv",
        "lon,lat\n24.9357,60.1670\n@SUM(1+1),60.1670\n-0.5,-0.5\n",
    );
    let reach = run(&[
        "reach",
        "--network",
        streets,
        "--from",
        "24.9352,60.1664",
        "--probes",
        &probes,
    ]);
    guarded(&reach, "lon", &["@SUM(1+1)"]);
    numeric(&reach, "lat");
    numeric(&reach, "seconds");
    std::fs::remove_dir_all(&dir).ok();
}
