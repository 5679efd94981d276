//! wasm-bindgen tests that run in headless Chromium (`cargo test --target
//! wasm32-unknown-unknown --features web --test web`).
#![cfg(all(target_arch = "wasm32", feature = "web"))]

use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn local_projection_round_trips_in_the_browser() {
    use shuangquan::plan::geom::{LocalProjection, LonLat};
    let p = LocalProjection::new(LonLat::new(121.47, 31.23));
    let q = LonLat::new(121.5, 31.25);
    let back = p.unproject(p.project(q));
    assert!((back.lon - q.lon).abs() < 1e-9 && (back.lat - q.lat).abs() < 1e-9);
}

#[wasm_bindgen_test]
fn url_state_round_trips_and_ignores_garbage() {
    use shuangquan::web::i18n::Lang;
    use shuangquan::web::url::UrlState;
    let s = UrlState {
        lang: Some(Lang::En),
        package: Some("shanghai-central".into()),
        home: Some((121.5, 31.25)),
        resident: true,
        embed: false,
        tab: Some("nearby".into()),
        view: Some((121.47512, 31.22903, 16.0)),
        layers_on: vec!["postings".into(), "candidates".into()],
        layers_off: vec!["streets".into()],
        sites: Some("c0042~121.463412~31.231122;click-1~121.400000~31.200000".into()),
        ignored: vec![],
        walk: Some(shuangquan::plan::graph::WalkProfile::with_speed(52.5)),
        standard: Some(shuangquan::plan::access::Standard::Gb50180),
        net: Some("d~20;p~121.460000~31.230000~121.461000~31.231000;o~121.462000~31.232000".into()),
    };
    assert_eq!(UrlState::parse(&s.to_query()), s);
    // Bad walkers and presets are ignored, never fatal; a known one is read back.
    for bad in [
        "walk=0",
        "walk=NaN",
        "walk=jogger",
        "walk=custom:-3",
        "std=gb50181",
        "std=",
    ] {
        let v = UrlState::parse(bad);
        assert_eq!((v.walk, v.standard), (None, None), "{bad}");
    }
    assert_eq!(
        UrlState::parse("?walk=wheelchair&std=mofcom2021").walk,
        Some(shuangquan::plan::graph::WalkProfile::WHEELCHAIR)
    );
    assert_eq!(
        UrlState::parse("?walk=custom%3A48").walk,
        Some(shuangquan::plan::graph::WalkProfile::with_speed(48.0))
    );
    // What a browser may percent-encode comes back the same.
    let enc = s
        .to_query()
        .replace('~', "%7E")
        .replace(';', "%3B")
        .replace(',', "%2C")
        .replace(':', "%3A");
    assert_eq!(UrlState::parse(&enc), s);
    let v = UrlState::parse("?view=121.4,31.2,99&on=a,../x&off=");
    assert_eq!(v.view, None);
    assert_eq!(v.layers_on, vec!["a".to_owned()]);
    assert!(v.layers_off.is_empty());
    let embed = UrlState::parse("?embed=1&mode=resident&tab=Bad!");
    assert!(embed.embed && embed.resident);
    assert_eq!(embed.tab, None);
    let bad = UrlState::parse("?lang=xx&pkg=../../etc&home=NaN,1&home2=1");
    assert_eq!(
        bad,
        UrlState {
            ignored: vec!["lang".into(), "pkg".into(), "home".into()],
            ..UrlState::default()
        }
    );
    assert_eq!(UrlState::parse("home=200,1").home, None);
}

#[wasm_bindgen_test]
fn templates_fill_in_order_and_both_languages_take_the_same_arguments() {
    use shuangquan::web::i18n::{EN_PLACE, ZH_PLACE, fill};
    assert_eq!(fill("a{}b{}c", &["1", "2"]), "a1b2c");
    assert_eq!(fill("{}", &[]), "");
    assert_eq!(fill("no slot", &["x"]), "no slot");
    let holes = |t: &str| t.matches("{}").count();
    for (zh, en) in [
        (ZH_PLACE.live_placing, EN_PLACE.live_placing),
        (ZH_PLACE.live_placed, EN_PLACE.live_placed),
        (ZH_PLACE.live_coverage, EN_PLACE.live_coverage),
        (ZH_PLACE.live_postings, EN_PLACE.live_postings),
        (ZH_PLACE.live_iso, EN_PLACE.live_iso),
        (ZH_PLACE.kept_aside, EN_PLACE.kept_aside),
        (ZH_PLACE.other_package, EN_PLACE.other_package),
        (ZH_PLACE.picked_fmt, EN_PLACE.picked_fmt),
        (ZH_PLACE.within_fmt, EN_PLACE.within_fmt),
        (ZH_PLACE.sites_lower_fmt, EN_PLACE.sites_lower_fmt),
    ] {
        assert_eq!(holes(zh), holes(en), "{zh} / {en}");
        assert!(holes(zh) > 0, "{zh}");
    }
}

#[wasm_bindgen_test]
fn protocol_messages_cross_the_binary_encoding_unchanged() {
    use shuangquan::plan::geom::LonLat;
    use shuangquan::plan::graph::{Compounds, NetworkEdit, NetworkEdits};
    use shuangquan::plan::model::HoursType;
    use shuangquan::plan::nearby::Query;
    use shuangquan::web::protocol::{Request, Response, decode, encode};
    // The values that cross as JSON inside the message (an internally tagged enum, hours read
    // through `try_from`) and bytes that cross as bytes.
    let edits = NetworkEdits {
        edits: vec![
            NetworkEdit::Close {
                line_wgs84: vec![LonLat::new(121.47, 31.23), LonLat::new(121.48, 31.24)],
            },
            NetworkEdit::GateOpen {
                at_wgs84: LonLat::new(121.5, 31.2),
            },
        ],
        crossing_delay_s: 12.5,
    };
    let mut query = Query::default();
    query.filters.hours = vec![HoursType::PartTime, HoursType::Gig];
    query.filters.keyword = Some("收银 夜班".into());
    let requests = [
        Request::SetNetwork {
            seq: 7,
            compounds: Compounds::default(),
            edits: edits.clone(),
        },
        Request::Nearby {
            seq: 8,
            home_wgs84: (121.47, 31.23),
            query,
        },
        Request::Import {
            file: "站点.csv".into(),
            bytes: vec![0, 255, 0xD6, 0xD0, 10],
        },
        // Over several of the encoder's 64 KB chunks, ending inside one.
        Request::Import {
            file: "city.osm.pbf".into(),
            bytes: (0..200_003u32).map(|i| (i * 7 % 251) as u8).collect(),
        },
    ];
    for r in requests {
        let back = decode::<Request>(encode(&r).into());
        assert_eq!(format!("{back:?}"), format!("{:?}", Ok::<_, String>(r)));
    }
    let r = Response::EditsRead {
        seq: 3,
        file: "edits.geojson".into(),
        edits,
    };
    let back = decode::<Response>(encode(&r).into());
    assert_eq!(format!("{back:?}"), format!("{:?}", Ok::<_, String>(r)));
    // The street label points: negative and extreme integers, names in Chinese.
    let r = Response::StreetLabels {
        seq: 9,
        points: shuangquan::plan::labels::LabelPoints {
            names: vec!["中山路".into(), "Nanjing Rd".into()],
            name: vec![1, 0, 1],
            rank: vec![0, 3, 5],
            lonlat_e7: vec![
                1_214_700_000,
                312_300_000,
                -1_800_000_000,
                -900_000_000,
                0,
                1,
            ],
            angle_cdeg: vec![-8_999, 9_000, 0],
            length_m: vec![0, 12_345, u32::MAX],
        },
    };
    let back = decode::<Response>(encode(&r).into());
    assert_eq!(format!("{back:?}"), format!("{:?}", Ok::<_, String>(r)));
    // Anything but the encoding's bytes is refused with a reason, not a panic.
    assert!(decode::<Response>("text".into()).is_err());
    assert!(decode::<Response>(js_sys::Uint8Array::from(&[200u8, 1][..]).into()).is_err());
}

#[wasm_bindgen_test]
fn files_in_gbk_and_utf16_decode_with_the_browsers_decoder() {
    use shuangquan::plan::import::text::{Encoding, decode};
    // "中文,名称" in GBK: 中 D6D0, 文 CEC4, 名 C3FB, 称 B3C6 (GB 2312's code table).
    let d = decode(b"\xD6\xD0\xCE\xC4,\xC3\xFB\xB3\xC6");
    assert_eq!(
        (d.text.as_ref(), d.encoding, d.had_errors),
        ("中文,名称", Encoding::Gb18030, false)
    );
    // 0xFF is never a GB18030 byte: replaced by U+FFFD and flagged; the rest still decodes.
    let d = decode(b"\xD6\xD0\xFF,a");
    assert!(d.had_errors);
    assert_eq!(d.text.as_ref(), "中\u{FFFD},a");
    // UTF-16 little-endian with its byte-order mark (removed): U+4E2D U+6587.
    let d = decode(b"\xFF\xFE\x2D\x4E\x87\x65");
    assert_eq!(
        (d.text.as_ref(), d.encoding, d.had_errors),
        ("中文", Encoding::Utf16, false)
    );
    // An odd trailing byte is undecodable.
    assert!(decode(b"\xFE\xFF\x4E\x2D\x65").had_errors);
}
