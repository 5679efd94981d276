//! The `check` and `convert` subcommands on the malformed fixtures in `tests/fixtures/bad/`
//! (written by `tests/fixtures/make_bad_fixtures.py`).
// Native only: runs the CLI binary / uses proptest (a native-only dev-dependency).
#![cfg(not(target_arch = "wasm32"))]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use shuangquan::plan::crs::Crs;
use shuangquan::plan::geom::LonLat;
use shuangquan::plan::import::{Options, Severity, import_postings, import_stations};
use shuangquan::plan::model::HoursType;

fn bad_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bad")
}

fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_shuangquan"))
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run shuangquan: {e}"));
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Every rejected row or file in the fixtures: (file, location as printed).
const EXPECTED_ERRORS: &[(&str, &str)] = &[
    ("communities-crs3857.geojson", ":crs:"),
    ("communities-unclosed-ring.geojson", ":feature 1:geometry:"),
    ("communities-unclosed-ring.geojson", ":feature 2:geometry:"),
    ("demand-nan.csv", ":3:lat:"),
    ("demand-nan.csv", ":4:population:"),
    ("demand-nan.csv", ":5:population:"),
    ("demand-nan.csv", ":6:"),
    ("facilities-unknown-category.csv", ":3:category:"),
    ("postings-mixed.csv", ":3:纬度:"),
    ("postings-mixed.csv", ":4:"),
    ("stations-duplicate-id.csv", ":4:"),
    ("stations-empty.csv", ":"),
    ("stations-epsg3857.geojson", ":feature 0:geometry:"),
    ("stations-epsg3857.geojson", ":feature 1:geometry:"),
    ("stations-gbk.csv", ":4:名称:"),
    ("stations-invalid.geojson", ":line 4 column 2:"),
    ("stations-missing-coordinate.csv", ":3:lon:"),
    ("stations-missing-coordinate.csv", ":4:"),
    ("stations-missing-coordinate.csv", ":5:lon:"),
    ("stations-quoted.csv", ":4:lat:"),
    ("stations-swapped.csv", ":3:纬度:"),
    ("streets-mixed.geojson", ":feature 2:geometry:"),
];

#[test]
fn check_reports_every_bad_row_and_exits_1() {
    let dir = bad_dir();
    let (code, stdout, _) = run(&["check", dir.to_str().unwrap()]);
    assert_eq!(code, 1, "{stdout}");
    let errors: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with("error: "))
        .collect();
    for (file, loc) in EXPECTED_ERRORS {
        let prefix = format!("error: {}{loc}", dir.join(file).display());
        assert!(
            errors.iter().any(|l| l.starts_with(&prefix)),
            "no error starting with {prefix:?} in:\n{stdout}"
        );
    }
    // Nothing else is an error: the fixtures' valid rows are not flagged.
    assert_eq!(errors.len(), EXPECTED_ERRORS.len(), "{stdout}");
    // Messages say what is wrong, not only where.
    assert!(stdout.contains("look swapped"), "{stdout}");
    assert!(stdout.contains("EPSG:3857"), "{stdout}");
    assert!(stdout.contains("wrong encoding"), "{stdout}");
    assert!(stdout.contains("is not closed"), "{stdout}");
    assert!(
        stdout.contains("duplicate id \"S1\" (first seen at row 2)"),
        "{stdout}"
    );
    assert!(stdout.contains("the file is empty"), "{stdout}");
    assert!(stdout.contains("malformed JSON"), "{stdout}");
    assert!(
        stdout.contains("unknown category \"spaceport\""),
        "{stdout}"
    );
    // Hostile text is a warning, not a rejection.
    assert!(
        stdout.contains("stations-hostile.csv:3:name: contains HTML markup"),
        "{stdout}"
    );
    assert!(
        stdout.contains("stations-hostile.csv:2:name: text of 10000 characters truncated to 500")
    );
    assert!(stdout.contains("stations-hostile.csv:4:name: removed 4 control/invisible characters"));
    let last = stdout.lines().last().unwrap();
    assert_eq!(
        last,
        "checked 17 files: 26 records loaded, 19 rejected; 14 files with errors"
    );
}

#[test]
fn check_on_clean_files_exits_0_and_quiet_hides_info() {
    let dir = bad_dir();
    let files = [
        "stations-bom.csv",
        "facilities-tabs.tsv",
        "stations-hostile.csv",
    ];
    let paths: Vec<String> = files
        .iter()
        .map(|f| dir.join(f).display().to_string())
        .collect();
    let mut args = vec!["check", "--quiet"];
    args.extend(paths.iter().map(String::as_str));
    let (code, stdout, _) = run(&args);
    assert_eq!(code, 0, "{stdout}");
    assert!(!stdout.contains("info:"));
    assert!(
        stdout.ends_with("checked 3 files: 8 records loaded, 0 rejected; 0 files with errors\n")
    );
}

#[test]
fn check_with_an_explicit_layer_and_a_size_limit() {
    let f = bad_dir().join("stations-bom.csv");
    let f = f.to_str().unwrap();
    // As demand points the stations lack a population: both rows rejected.
    let (code, stdout, _) = run(&["check", "--layer", "demand", f]);
    assert_eq!(code, 1);
    assert_eq!(
        stdout.matches("missing population weight").count(),
        2,
        "{stdout}"
    );
    let (code, stdout, _) = run(&["check", "--max-mb", "0", f]);
    assert_eq!(code, 1);
    assert!(stdout.contains("over the 0-byte limit"), "{stdout}");
    let (code, _, stderr) = run(&["check", "--layer", "spaceships", f]);
    assert_eq!(code, 2, "{stderr}");
}

#[test]
fn an_unrecognised_csv_is_told_how_to_name_its_layer() {
    // The issue's case: stations with plain columns under a name that says nothing.
    let dir = std::env::temp_dir().join(format!("sq-layer-hint-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join("s8_st.csv");
    std::fs::write(
        &f,
        "id,lon,lat,name\ns1,120.38,36.07,一站\ns2,120.39,36.08,二站\n",
    )
    .unwrap();
    let f = f.to_str().unwrap();
    let (code, stdout, _) = run(&["check", f]);
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.contains("cannot tell which layer"), "{stdout}");
    let hint = format!(
        "hint: {f}: name its layer with --layer, e.g. `shuangquan check --layer stations {f}`"
    );
    assert!(stdout.contains(&hint), "{stdout}");
    // Doing what the hint says loads both rows.
    let (code, stdout, _) = run(&["check", "--layer", "stations", f]);
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("loaded 2 stations"), "{stdout}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn valid_rows_of_mixed_files_load() {
    let bytes = std::fs::read(bad_dir().join("postings-mixed.csv")).unwrap();
    let got = import_postings("postings-mixed.csv", &bytes, &Options::default());
    let ids: Vec<&str> = got.items.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, vec!["P1", "P4"]);
    let p4 = &got.items[1];
    assert_eq!(p4.title, "早餐帮工");
    assert_eq!(p4.pay_min, Some(12_000.0));
    assert_eq!(p4.hours, Some(HoursType::Flexible));
    assert_eq!((p4.age_min, p4.age_max), (Some(18), Some(60)));
    assert_eq!(p4.posted.as_deref(), Some("2024-05-03")); // an Excel serial date
    assert_eq!(p4.skills, vec!["面点"]);
    assert_eq!(got.report.count(Severity::Error), 2);

    let bytes = std::fs::read(bad_dir().join("stations-hostile.csv")).unwrap();
    let got = import_stations("stations-hostile.csv", &bytes, &Options::default());
    assert_eq!(got.items.len(), 3);
    assert_eq!(got.items[0].name.chars().count(), 500);
    assert_eq!(got.items[1].name, "<script>alert(1)</script>");
    assert_eq!(got.items[2].name, "ctlname");
}

#[test]
fn convert_round_trips_csv_and_geojson() {
    let tmp = std::env::temp_dir().join(format!("sq-convert-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    let points = [
        (120.38, 36.07),
        (121.47, 31.23),
        (116.404, 39.915),
        (24.94, 60.17),
    ];
    let mut csv = String::from("名称,备注,经度,纬度\n");
    for (i, (lon, lat)) in points.iter().enumerate() {
        writeln!(csv, "p{i},\"note, {i}\",{lon},{lat}").unwrap();
    }
    let src_csv = tmp.join("src_csv.csv");
    let gcj_csv = tmp.join("gcj_csv.csv");
    let back_csv = tmp.join("back_csv.csv");
    std::fs::write(&src_csv, &csv).unwrap();
    let path_str = |path: &Path| path.to_str().unwrap().to_owned();
    let (code, _, err) = run(&[
        "convert",
        "--from",
        "wgs84",
        "--to",
        "gcj02",
        &path_str(&src_csv),
        "-o",
        &path_str(&gcj_csv),
    ]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = run(&[
        "convert",
        "--from",
        "gcj02",
        "--to",
        "wgs84",
        &path_str(&gcj_csv),
        "-o",
        &path_str(&back_csv),
    ]);
    assert_eq!(code, 0, "{err}");
    let shifted = std::fs::read_to_string(&gcj_csv).unwrap();
    let back = std::fs::read_to_string(&back_csv).unwrap();
    let rows = |t: &str| -> Vec<Vec<String>> {
        let mut r = csv::ReaderBuilder::new().from_reader(t.as_bytes());
        r.records()
            .map(|x| x.unwrap().iter().map(str::to_owned).collect())
            .collect()
    };
    let (shifted, back) = (rows(&shifted), rows(&back));
    for (i, (lon, lat)) in points.iter().enumerate() {
        assert_eq!(back[i][1], format!("note, {i}"));
        let p = LonLat::new(back[i][2].parse().unwrap(), back[i][3].parse().unwrap());
        assert!(p.haversine_m(LonLat::new(*lon, *lat)) < 0.5, "{p:?}");
        let gcj = LonLat::new(
            shifted[i][2].parse().unwrap(),
            shifted[i][3].parse().unwrap(),
        );
        let expect = Crs::Gcj02.from_wgs84(LonLat::new(*lon, *lat));
        assert!(gcj.haversine_m(expect) < 0.01);
    }
    // Helsinki is outside China: untouched.
    assert_eq!(
        (shifted[3][2].as_str(), shifted[3][3].as_str()),
        ("24.94", "60.17")
    );

    let gj = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"x"},"geometry":{"type":"Polygon","coordinates":[[[121.47,31.23],[121.48,31.23],[121.48,31.24],[121.47,31.23]]]}}]}"#;
    let g1 = tmp.join("src_csv.geojson");
    let g2 = tmp.join("gcj_csv.geojson");
    std::fs::write(&g1, gj).unwrap();
    let (code, _, err) = run(&[
        "convert",
        "--from",
        "bd09",
        "--to",
        "wgs84",
        &path_str(&g1),
        "-o",
        &path_str(&g2),
    ]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&g2).unwrap()).unwrap();
    let ring = v["features"][0]["geometry"]["coordinates"][0]
        .as_array()
        .unwrap();
    assert_eq!(ring.len(), 4);
    let p = LonLat::new(ring[0][0].as_f64().unwrap(), ring[0][1].as_f64().unwrap());
    let expect = Crs::Bd09.to_wgs84(LonLat::new(121.47, 31.23));
    assert!(p.haversine_m(expect) < 0.01);
    assert_eq!(ring[0], ring[3]); // still closed

    // A row without coordinates is kept, reported, and makes the exit code 1.
    std::fs::write(&src_csv, "name,lon,lat\nok,120.38,36.07\nbad,,\n").unwrap();
    let (code, _, err) = run(&[
        "convert",
        "--from",
        "gcj02",
        "--to",
        "wgs84",
        &path_str(&src_csv),
        "-o",
        &path_str(&gcj_csv),
    ]);
    assert_eq!(code, 1);
    assert!(
        err.contains("src_csv.csv:3:lon: missing coordinate"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(&gcj_csv).unwrap().lines().nth(2),
        Some("bad,,")
    );
    std::fs::remove_dir_all(&tmp).ok();
}
