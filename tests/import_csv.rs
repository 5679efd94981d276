//! CSV importers through the public API: encodings, delimiters, Chinese/English headers, every
//! layer's fields, coordinate systems, and the collect-all report.

use std::fmt::Write as _;

use shuangquan::plan::crs::Crs;
use shuangquan::plan::geom::LonLat;
use shuangquan::plan::import::{
    Layer, Location, Options, ProblemKind, Severity, import, import_candidates, import_communities,
    import_demand, import_facilities, import_postings, import_stations, import_streets,
};
use shuangquan::plan::model::{Category, HoursType};

fn errors_at(report: &shuangquan::plan::import::Report) -> Vec<Location> {
    report.of(Severity::Error).map(|p| p.location).collect()
}

#[test]
fn gbk_with_chinese_headers_loads_and_says_so() {
    let text = "编号,名称,经度,纬度,地址,服务,营业时间,承载类型\r\n\
                S1,八大关就享家,120.3551,36.0554,市南区八大关街道,职业指导;岗位推送、技能培训,9:00-17:00,党群服务中心\r\n";
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(text);
    assert!(!unmappable);
    let got = import_stations("站点.csv", &bytes, &Options::default());
    assert_eq!(got.items.len(), 1, "{:#?}", got.report);
    let s = &got.items[0];
    assert_eq!(s.id, "S1");
    assert_eq!(s.name, "八大关就享家");
    assert_eq!(s.pos_wgs84, LonLat::new(120.3551, 36.0554));
    assert_eq!(s.address.as_deref(), Some("市南区八大关街道"));
    assert_eq!(s.services, vec!["职业指导", "岗位推送", "技能培训"]);
    assert_eq!(s.hours.as_deref(), Some("9:00-17:00"));
    assert_eq!(s.host_type.as_deref(), Some("党群服务中心"));
    assert!(got.report.problems.iter().any(|p| p.severity == Severity::Info
        && matches!(&p.kind, ProblemKind::DecodedAs { encoding } if encoding.contains("GB18030"))));
    assert!(!got.report.has_errors());
}

#[test]
fn bom_tabs_semicolons_and_quotes() {
    let bom = "\u{feff}id,name,lon,lat\nA,a,120.1,36.1\n";
    let got = import_stations("a.csv", bom.as_bytes(), &Options::default());
    assert_eq!(got.items[0].id, "A");

    let tsv = "name\tlng\tlatitude\nb\t120.2\t36.2\n";
    let got = import_stations("b.tsv", tsv.as_bytes(), &Options::default());
    assert_eq!(got.items[0].pos_wgs84, LonLat::new(120.2, 36.2));

    let semi = "name;x;y\nc;120,3;36\n"; // European decimal commas are not numbers
    let got = import_stations("c.csv", semi.as_bytes(), &Options::default());
    assert_eq!(got.items.len(), 0);
    assert_eq!(errors_at(&got.report), vec![Location::Row(2)]);

    let quoted = "name,address,lon,lat\n\"d, \"\"quoted\"\"\",\"1 Road,\nShinan\",120.4,36.4\ne,,120.5,36.5\n";
    let got = import_stations("d.csv", quoted.as_bytes(), &Options::default());
    assert_eq!(got.items.len(), 2);
    assert_eq!(got.items[0].name, "d, \"quoted\"");
    assert_eq!(got.items[0].address.as_deref(), Some("1 Road, Shinan"));
}

#[test]
fn every_bad_row_is_reported_with_its_spreadsheet_row() {
    let text = "name,lon,lat\n\
                ok,120.38,36.07\n\
                nan,NaN,36.07\n\
                swapped,36.07,120.38\n\
                \n\
                range,200,36\n\
                zero,0,0\n\
                merc,13400581,4310341\n\
                ok2,121.47,31.23\n";
    let got = import_stations("s.csv", text.as_bytes(), &Options::default());
    assert_eq!(got.items.len(), 2);
    assert_eq!(
        errors_at(&got.report),
        vec![
            Location::Row(3),
            Location::Row(4),
            Location::Row(6),
            Location::Row(7),
            Location::Row(8)
        ]
    );
    let kinds: Vec<&ProblemKind> = got.report.of(Severity::Error).map(|p| &p.kind).collect();
    assert!(matches!(kinds[0], ProblemKind::NotFinite { .. }));
    assert!(matches!(
        kinds[1],
        ProblemKind::SwappedLatLon { fixed: false, .. }
    ));
    assert!(matches!(kinds[2], ProblemKind::OutOfRange { .. }));
    assert!(matches!(kinds[3], ProblemKind::NullIsland));
    assert!(matches!(
        kinds[4],
        ProblemKind::Projected {
            as_web_mercator: Some(_),
            ..
        }
    ));
    assert_eq!(
        (got.report.records, got.report.loaded, got.report.rejected),
        (7, 2, 5)
    );
    // The swapped message names the column and what the point likely is.
    let swapped = got.report.of(Severity::Error).nth(1).unwrap();
    assert_eq!(swapped.field.as_deref(), Some("lat"));
    assert!(
        swapped.to_string().contains("(120.38, 36.07) in China"),
        "{swapped}"
    );
}

#[test]
fn fix_swapped_option_loads_with_a_warning() {
    let text = "name,经度,纬度\na,36.07,120.38\n";
    let got = import_stations(
        "s.csv",
        text.as_bytes(),
        &Options::default().with_fix_swapped(true),
    );
    assert_eq!(got.items[0].pos_wgs84, LonLat::new(120.38, 36.07));
    assert_eq!(got.report.count(Severity::Warning), 1);
    assert!(!got.report.has_errors());
}

#[test]
fn facilities_from_ids_chinese_names_poi_types_or_a_fixed_category() {
    let text = "名称,类型,经度,纬度\n\
                a,store,120.1,36.1\n\
                b,一早,120.1,36.1\n\
                c,购物服务;综合市场;农副产品市场,120.1,36.1\n\
                d,医疗保健服务;综合医院;三级甲等医院,120.1,36.1\n\
                e,,120.1,36.1\n";
    let got = import_facilities("f.csv", text.as_bytes(), &Options::default());
    let cats: Vec<Category> = got.items.iter().map(|f| f.category).collect();
    assert_eq!(
        cats,
        vec![Category::Store, Category::Breakfast, Category::Market]
    );
    let errs: Vec<(Location, &ProblemKind)> = got
        .report
        .of(Severity::Error)
        .map(|p| (p.location, &p.kind))
        .collect();
    assert_eq!(errs.len(), 2);
    assert_eq!(errs[0].0, Location::Row(5));
    assert!(
        matches!(errs[0].1, ProblemKind::UnknownCategory { value } if value.contains("综合医院"))
    );
    assert_eq!(errs[1], (Location::Row(6), &ProblemKind::MissingCategory));

    let fixed = import_facilities(
        "f.csv",
        text.as_bytes(),
        &Options::default().with_category(Category::Pharmacy),
    );
    assert_eq!(fixed.items.len(), 5);
    assert!(fixed.items.iter().all(|f| f.category == Category::Pharmacy));
}

#[test]
fn postings_read_every_field() {
    let text = "id,title,employer,lon,lat,category,pay,hours_type,education,age,skills,posted,station_id\n\
                P1,Cashier,Shop,120.38,36.07,retail,4k~6k元/月,Part-time,高中,18~45岁,\"till, service\",2024/5/3,S1\n\
                P2,Cook,Canteen,120.39,36.08,catering,5000以上,gig,,45岁以下,,soon,S2\n";
    let got = import_postings("jobs.csv", text.as_bytes(), &Options::default());
    assert_eq!(got.items.len(), 2, "{:#?}", got.report);
    let p = &got.items[0];
    assert_eq!((p.id.as_str(), p.title.as_str()), ("P1", "Cashier"));
    assert_eq!(p.employer.as_deref(), Some("Shop"));
    assert_eq!(p.category.as_deref(), Some("retail"));
    assert_eq!((p.pay_min, p.pay_max), (Some(4000.0), Some(6000.0)));
    assert_eq!(p.hours, Some(HoursType::PartTime));
    assert_eq!(p.education.as_deref(), Some("高中"));
    assert_eq!((p.age_min, p.age_max), (Some(18), Some(45)));
    assert_eq!(p.skills, vec!["till", "service"]);
    assert_eq!(p.posted.as_deref(), Some("2024-05-03"));
    assert_eq!(p.station_id.as_deref(), Some("S1"));
    let q = &got.items[1];
    assert_eq!((q.pay_min, q.pay_max), (Some(5000.0), None));
    assert_eq!(q.hours, Some(HoursType::Gig));
    assert_eq!((q.age_min, q.age_max), (None, Some(45)));
    // An unreadable optional value is a warning and the field is left empty.
    assert_eq!(q.posted, None);
    let w: Vec<_> = got.report.of(Severity::Warning).collect();
    assert_eq!(w.len(), 1);
    assert_eq!(
        (w[0].location, w[0].field.as_deref()),
        (Location::Row(3), Some("posted"))
    );
}

#[test]
fn demand_weight_rules() {
    let text = "id,lon,lat,人口,社区\n\
                a,120.1,36.1,\"1,200\",八大关社区\n\
                b,120.1,36.1,0,\n\
                c,120.1,36.1,-1,\n\
                d,120.1,36.1,many,\n\
                e,120.1,36.1,,\n";
    let got = import_demand("d.csv", text.as_bytes(), &Options::default());
    let w: Vec<f64> = got.items.iter().map(|d| d.weight).collect();
    assert_eq!(w, vec![1200.0, 0.0]);
    assert_eq!(got.items[0].community.as_deref(), Some("八大关社区"));
    assert_eq!(
        errors_at(&got.report),
        vec![Location::Row(4), Location::Row(5), Location::Row(6)]
    );
}

#[test]
fn communities_from_the_official_division_csv_shape() {
    let text = "level,code,name,parent_code\n\
                county,370202,市南区,3702\n\
                town,370202001,八大关街道,370202\n\
                village,370202001001,太平角社区,370202001\n\
                village,370202001001,重复社区,370202001\n\
                village,37020X,坏代码社区,370202001\n";
    let got = import_communities("qingdao_division.csv", text.as_bytes(), &Options::default());
    assert_eq!(got.items.len(), 4);
    assert_eq!(got.items[2].code.as_deref(), Some("370202001001"));
    assert_eq!(got.items[2].parent_code.as_deref(), Some("370202001"));
    assert_eq!(got.items[3].code, None); // invalid code dropped, with a warning
    assert_eq!(errors_at(&got.report), vec![Location::Row(5)]);
    assert!(matches!(
        &got.report.of(Severity::Error).next().unwrap().kind,
        ProblemKind::DuplicateId { id, first } if id == "370202001001" && first == "row 4"
    ));
}

#[test]
fn candidates_and_streets_from_csv() {
    let text = "name,host_type,lon,lat\n社区党群服务中心,党群服务中心,120.1,36.1\n";
    let got = import_candidates("c.csv", text.as_bytes(), &Options::default());
    assert_eq!(got.items[0].host_type.as_deref(), Some("党群服务中心"));
    assert_eq!(got.items[0].id, "row-2");
    // A CSV cannot hold streets: every row is rejected and said so.
    let got = import_streets("s.csv", text.as_bytes(), &Options::default());
    assert!(got.items.is_empty());
    assert!(matches!(
        got.report.of(Severity::Error).next().unwrap().kind,
        ProblemKind::WrongGeometry { .. }
    ));
}

#[test]
fn coordinate_systems_option_column_and_header_hint() {
    let wgs = LonLat::new(120.38, 36.07);
    let g = Crs::Gcj02.from_wgs84(wgs);
    let b = Crs::Bd09.from_wgs84(wgs);
    let close = |p: LonLat| p.haversine_m(wgs) < 0.05;

    let text = format!("name,lon,lat\na,{},{}\n", g.lon, g.lat);
    let got = import_stations(
        "s.csv",
        text.as_bytes(),
        &Options::default().with_crs(Crs::Gcj02),
    );
    assert!(close(got.items[0].pos_wgs84));
    assert!(got.report.problems.iter().any(|p| matches!(
        &p.kind,
        ProblemKind::Converted { from, count: 1 } if from == "GCJ-02"
    )));

    let text = format!(
        "name,lon,lat,坐标系\na,{},{},百度\nb,{},{},gcj02\nc,1,1,martian\n",
        b.lon, b.lat, g.lon, g.lat
    );
    let got = import_stations("s.csv", text.as_bytes(), &Options::default());
    assert_eq!(got.items.len(), 2);
    assert!(got.items.iter().all(|s| close(s.pos_wgs84)));
    assert_eq!(errors_at(&got.report), vec![Location::Row(4)]);

    let text = format!("name,经度(GCJ-02),纬度(GCJ-02)\na,{},{}\n", g.lon, g.lat);
    let got = import_stations("s.csv", text.as_bytes(), &Options::default());
    assert!(close(got.items[0].pos_wgs84));
}

#[test]
fn location_column_like_amap_exports() {
    let text = "name,location\na,\"120.38,36.07\"\nb,120.39\n";
    let got = import_stations("poi.csv", text.as_bytes(), &Options::default());
    assert_eq!(got.items.len(), 1);
    assert_eq!(got.items[0].pos_wgs84, LonLat::new(120.38, 36.07));
    assert_eq!(errors_at(&got.report), vec![Location::Row(3)]);
}

#[test]
fn file_level_failures() {
    let got = import_stations("e.csv", b"", &Options::default());
    assert_eq!(got.report.problems[0].kind, ProblemKind::EmptyFile);
    assert!(got.report.has_errors());

    let got = import_stations("n.csv", b"120.1,36.1\n120.2,36.2\n", &Options::default());
    assert_eq!(got.report.problems[0].kind, ProblemKind::NoHeader);

    let got = import_stations("h.csv", b"name,lat\na,36\n", &Options::default());
    assert!(matches!(
        &got.report.of(Severity::Error).next().unwrap().kind,
        ProblemKind::MissingColumn { what, .. } if what == "longitude"
    ));

    let big = vec![b'a'; 2048];
    let got = import_stations("big.csv", &big, &Options::default().with_max_bytes(1024));
    assert_eq!(
        got.report.problems[0].kind,
        ProblemKind::TooLarge {
            size: 2048,
            limit: 1024
        }
    );
}

#[test]
fn reimport_is_identical_and_never_drops_or_duplicates() {
    let text =
        "id,name,lon,lat\nS1,a,120.1,36.1\nS2,b,120.2,36.2\nS1,c,120.3,36.3\n,d,120.4,36.4\n";
    let a = import_stations("s.csv", text.as_bytes(), &Options::default());
    let b = import_stations("s.csv", text.as_bytes(), &Options::default());
    assert_eq!(a, b);
    // Every data row is accounted for: loaded + rejected = rows.
    assert_eq!(a.report.records, 4);
    assert_eq!(a.report.loaded + a.report.rejected, 4);
    let ids: Vec<&str> = a.items.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, vec!["S1", "S2", "row-5"]);
    // Exporting the loaded stations as CSV and importing again gives them back unchanged.
    let mut out = String::from("id,name,lon,lat\n");
    for s in &a.items {
        writeln!(
            out,
            "{},{},{},{}",
            s.id, s.name, s.pos_wgs84.lon, s.pos_wgs84.lat
        )
        .unwrap();
    }
    let again = import_stations("s2.csv", out.as_bytes(), &Options::default());
    assert_eq!(again.items, a.items);
    assert!(!again.report.has_errors());
}

#[test]
fn auto_layer_guess_from_columns() {
    let text = "lon,lat,population\n120.1,36.1,5\n";
    let got = import("upload.csv", text.as_bytes(), &Options::default(), None);
    assert_eq!(got.items.count(Layer::Demand), 1);
    let got = import(
        "upload.csv",
        b"lon,lat\n120.1,36.1\n",
        &Options::default(),
        None,
    );
    assert!(got.items.is_empty());
    assert!(matches!(
        got.report.problems.last().unwrap().kind,
        ProblemKind::UnknownLayer { .. }
    ));
}
