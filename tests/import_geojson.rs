//! GeoJSON importers through the public API: root shapes, geometry families, properties,
//! rings, `crs` members and projected coordinates.

use shuangquan::plan::crs::Crs;
use shuangquan::plan::geom::LonLat;
use shuangquan::plan::import::{
    Layer, Location, Options, ProblemKind, Severity, import, import_communities, import_facilities,
    import_stations, import_streets,
};
use shuangquan::plan::model::Category;

fn fc(features: &str) -> String {
    format!(r#"{{"type":"FeatureCollection","features":[{features}]}}"#)
}

#[test]
fn root_shapes() {
    let feature = r#"{"type":"Feature","id":7,"properties":{"name":"a"},"geometry":{"type":"Point","coordinates":[120.38,36.07]}}"#;
    let got = import_stations("f.geojson", feature.as_bytes(), &Options::default());
    assert_eq!(got.items.len(), 1);
    assert_eq!(got.items[0].id, "7"); // the Feature id member
    let bare = r#"{"type":"Point","coordinates":[120.38,36.07,12.5]}"#;
    let got = import(
        "candidates.geojson",
        bare.as_bytes(),
        &Options::default(),
        Some(Layer::Candidates),
    );
    assert_eq!(
        got.items.candidates[0].pos_wgs84,
        LonLat::new(120.38, 36.07)
    );
    assert_eq!(got.items.candidates[0].id, "feature-0");
    let not = "[1,2,3]";
    let got = import_stations("x.geojson", not.as_bytes(), &Options::default());
    assert!(matches!(
        got.report.problems[0].kind,
        ProblemKind::NotGeoJson { .. }
    ));
}

#[test]
fn mixed_geometries_split_into_layers_in_auto_mode() {
    let text = fc(r#"
      {"type":"Feature","properties":{"name":"甲站","services":["职业指导","岗位推送"]},"geometry":{"type":"Point","coordinates":[120.38,36.07]}},
      {"type":"Feature","properties":{"highway":"footway","name":"步道"},"geometry":{"type":"LineString","coordinates":[[120.38,36.07],[120.39,36.07]]}},
      {"type":"Feature","properties":{"name":"八大关街道","division_code":"370202005","population":"1096"},"geometry":{"type":"MultiPolygon","coordinates":[[[[120.3,36.0],[120.4,36.0],[120.4,36.1],[120.3,36.0]]]]}},
      {"type":"Feature","properties":{"layer":"facilities","name":"早餐","category":"一早"},"geometry":{"type":"Point","coordinates":[120.38,36.07]}},
      {"type":"Feature","properties":{"name":"nowhere"},"geometry":null}"#);
    let got = import(
        "stations_and_more.geojson",
        text.as_bytes(),
        &Options::default(),
        None,
    );
    let d = &got.items;
    assert_eq!(d.stations.len(), 1);
    assert_eq!(d.stations[0].services, vec!["职业指导", "岗位推送"]);
    assert_eq!(d.streets.len(), 1);
    assert_eq!(d.streets.attrs(0).tags.highway, Some("footway"));
    assert_eq!(d.communities.len(), 1);
    assert_eq!(d.communities[0].code.as_deref(), Some("370202005"));
    assert_eq!(d.communities[0].population, Some(1096.0));
    assert_eq!(d.facilities.len(), 1);
    assert_eq!(d.facilities[0].category, Category::Breakfast);
    // The feature without geometry is a station without a position: rejected, located.
    let errs: Vec<(Location, &ProblemKind)> = got
        .report
        .of(Severity::Error)
        .map(|p| (p.location, &p.kind))
        .collect();
    assert_eq!(
        errs,
        vec![(Location::Feature(4), &ProblemKind::MissingCoordinate)]
    );
    assert_eq!(
        (got.report.records, got.report.loaded, got.report.rejected),
        (5, 4, 1)
    );
}

#[test]
fn rings_lines_and_positions_are_checked() {
    let text = fc(r#"
      {"type":"Feature","properties":{"name":"ok"},"geometry":{"type":"Polygon","coordinates":[[[120.3,36.0],[120.4,36.0],[120.4,36.1],[120.3,36.0]],[[120.35,36.02],[120.36,36.02],[120.36,36.03],[120.35,36.02]]]}},
      {"type":"Feature","properties":{"name":"open"},"geometry":{"type":"Polygon","coordinates":[[[120.3,36.0],[120.4,36.0],[120.4,36.1],[120.3,36.1]]]}},
      {"type":"Feature","properties":{"name":"hole open"},"geometry":{"type":"MultiPolygon","coordinates":[[[[120.3,36.0],[120.4,36.0],[120.4,36.1],[120.3,36.0]]],[[[120.5,36.0],[120.6,36.0],[120.6,36.1],[120.5,36.1]]]]}},
      {"type":"Feature","properties":{"name":"text coords"},"geometry":{"type":"Polygon","coordinates":[[["a","b"]]]}},
      {"type":"Feature","properties":{"name":"line"},"geometry":{"type":"LineString","coordinates":[[120.3,36.0],[120.4,36.0]]}}"#);
    let got = import_communities("c.geojson", text.as_bytes(), &Options::default());
    assert_eq!(got.items.len(), 1);
    let boundary = got.items[0].boundary_wgs84.as_ref().unwrap();
    assert_eq!(boundary.0[0].interiors().len(), 1);
    let errs: Vec<(Location, &ProblemKind)> = got
        .report
        .of(Severity::Error)
        .map(|p| (p.location, &p.kind))
        .collect();
    assert_eq!(errs.len(), 4);
    assert!(matches!(
        errs[0],
        (
            Location::Feature(1),
            ProblemKind::UnclosedRing {
                polygon: 0,
                ring: 0,
                ..
            }
        )
    ));
    assert!(matches!(
        errs[1],
        (
            Location::Feature(2),
            ProblemKind::UnclosedRing {
                polygon: 1,
                ring: 0,
                ..
            }
        )
    ));
    assert!(matches!(
        errs[2],
        (Location::Feature(3), ProblemKind::InvalidGeometry { .. })
    ));
    assert!(matches!(
        errs[3],
        (Location::Feature(4), ProblemKind::WrongGeometry { .. })
    ));
}

#[test]
fn multilinestrings_become_one_street_per_part() {
    let text = fc(
        r#"{"type":"Feature","properties":{"osm_id":"42","highway":"residential","foot":"yes","access":"private"},
        "geometry":{"type":"MultiLineString","coordinates":[[[120.1,36.1],[120.2,36.1]],[[120.2,36.1],[120.2,36.2],[120.3,36.2]]]}}"#,
    );
    let got = import_streets("roads.geojson", text.as_bytes(), &Options::default());
    let ids: Vec<&str> = got.items.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, vec!["42#0", "42#1"]);
    assert_eq!(got.items[1].coords_wgs84.len(), 3);
    assert_eq!(got.items[0].foot.as_deref(), Some("yes"));
    assert_eq!(got.items[0].access.as_deref(), Some("private"));
    assert_eq!(got.report.loaded, 1);
}

#[test]
fn crs_members_and_projected_values() {
    let body = r#""features":[{"type":"Feature","properties":{"name":"a"},"geometry":{"type":"Point","coordinates":[120.38,36.07]}}]"#;
    for (crs, ok) in [
        ("urn:ogc:def:crs:OGC:1.3:CRS84", true),
        ("EPSG:4326", true),
        ("EPSG:4490", true),
        ("urn:ogc:def:crs:EPSG::3857", false),
        ("EPSG:32651", false),
    ] {
        let text = format!(
            r#"{{"type":"FeatureCollection","crs":{{"type":"name","properties":{{"name":"{crs}"}}}},{body}}}"#
        );
        let got = import_stations("s.geojson", text.as_bytes(), &Options::default());
        assert_eq!(got.items.len(), usize::from(ok), "{crs}");
        if !ok {
            assert!(matches!(
                &got.report.problems[0].kind,
                ProblemKind::UnsupportedCrs { crs: c } if c == crs
            ));
        }
    }
    // A crs member naming GCJ-02 converts.
    let g = Crs::Gcj02.from_wgs84(LonLat::new(120.38, 36.07));
    let text = format!(
        r#"{{"type":"FeatureCollection","crs":{{"type":"name","properties":{{"name":"GCJ-02"}}}},"features":[{{"type":"Feature","properties":{{"name":"a"}},"geometry":{{"type":"Point","coordinates":[{},{}]}}}}]}}"#,
        g.lon, g.lat
    );
    let got = import_stations("s.geojson", text.as_bytes(), &Options::default());
    assert!(
        got.items[0]
            .pos_wgs84
            .haversine_m(LonLat::new(120.38, 36.07))
            < 0.05
    );

    let merc = fc(
        r#"{"type":"Feature","properties":{"name":"m"},"geometry":{"type":"LineString","coordinates":[[13400581.0,4310341.0],[13401581.0,4310341.0]]}}"#,
    );
    let got = import_streets("m.geojson", merc.as_bytes(), &Options::default());
    let p = got.report.of(Severity::Error).next().unwrap();
    assert_eq!(p.location, Location::Feature(0));
    let msg = p.to_string();
    assert!(
        msg.contains("EPSG:3857") && msg.contains("(120.37947, 36.07061)"),
        "{msg}"
    );
}

#[test]
fn malformed_json_reports_line_and_column() {
    let text = "{\"type\":\"FeatureCollection\",\n\"features\":[\n{\"type\":\"Feature\" \"properties\":{}}]}";
    let got = import_stations("bad.geojson", text.as_bytes(), &Options::default());
    let p = &got.report.problems[0];
    assert_eq!(
        p.location,
        Location::Text {
            line: 3,
            column: 19
        }
    );
    assert!(
        p.to_string()
            .starts_with("error: bad.geojson:line 3 column 19: malformed JSON")
    );
}

#[test]
fn properties_use_the_same_aliases_as_csv() {
    let text = fc(
        r#"{"type":"Feature","properties":{"编号":"F9","名称":"菜场","类别":"购物服务;综合市场;蔬菜市场","extra":{"nested":true}},"geometry":{"type":"Point","coordinates":[121.47,31.23]}}"#,
    );
    let got = import_facilities("poi.geojson", text.as_bytes(), &Options::default());
    assert_eq!(got.items[0].id, "F9");
    assert_eq!(got.items[0].category, Category::Market);
    assert!(got.report.problems.iter().any(|p| matches!(
        &p.kind,
        ProblemKind::IgnoredColumns { columns } if columns == "extra"
    )));
}

#[test]
fn multipoint_with_many_points_is_not_a_station() {
    let text = fc(
        r#"{"type":"Feature","properties":{"name":"m"},"geometry":{"type":"MultiPoint","coordinates":[[120.1,36.1],[120.2,36.2]]}},
                    {"type":"Feature","properties":{"name":"one"},"geometry":{"type":"MultiPoint","coordinates":[[120.1,36.1]]}}"#,
    );
    let got = import_stations("s.geojson", text.as_bytes(), &Options::default());
    assert_eq!(got.items.len(), 1);
    assert!(matches!(
        &got.report.of(Severity::Error).next().unwrap().kind,
        ProblemKind::WrongGeometry { found, .. } if found == "MultiPoint (2 points)"
    ));
}
