//! Labels and posting clusters, recomputed for each view: street names from zoom 16,
//! community and boundary names from zoom 14 (placed by [`crate::plan::labels`]: one per name,
//! no overlaps, capped), postings grid-clustered below zoom 17 ([`crate::plan::cluster`]).

use std::collections::BTreeMap;

use leaflet::{LatLng, Layer, LayerGroup, Map};
use wasm_bindgen::{JsCast, JsValue};

use super::leaflet::{call0, circle_marker, div_icon, document, marker, n, obj, s};
use super::symbols::{kind_symbol, symbol_options};
use crate::plan::cluster::{BboxWgs84, grid_cluster, world_px};
use crate::plan::labels::{Candidate, declutter, highway_rank, street_anchor};
use crate::plan::package::LayerKind;

/// Zoom from which street names are drawn (major streets; all named streets from +1).
pub const STREET_LABEL_ZOOM: f64 = 16.0;
/// Zoom from which community and boundary names are drawn.
pub const ZONE_LABEL_ZOOM: f64 = 14.0;
/// Zoom from which postings are drawn one by one instead of clustered.
pub const POSTINGS_SINGLE_ZOOM: f64 = 17.0;
/// Cluster cell size in screen pixels.
pub(super) const CLUSTER_PX: f64 = 80.0;
/// At most this many labels per view.
pub(super) const LABEL_CAP: usize = 70;

#[derive(serde::Deserialize)]
struct Fc {
    #[serde(default)]
    features: Vec<Feat>,
}

#[derive(serde::Deserialize)]
struct Feat {
    geometry: Option<Geom>,
    #[serde(default)]
    properties: Option<Props>,
}

/// The properties a streets layer is read for; the others are skipped, not built (a city's
/// label points are 300,000 features: a map of every property per feature was most of the
/// page's time to read them). A name given twice keeps its last value, as a JSON map does
/// (serde's derive would refuse the whole layer).
#[derive(Default)]
struct Props {
    name: Option<serde_json::Value>,
    highway: Option<serde_json::Value>,
    angle: Option<serde_json::Value>,
    length: Option<serde_json::Value>,
}

/// A property's name, read without building a string.
#[derive(serde::Deserialize)]
#[serde(field_identifier, rename_all = "lowercase")]
enum Key {
    Name,
    Highway,
    Angle,
    Length,
    #[serde(other)]
    Other,
}

impl<'de> serde::Deserialize<'de> for Props {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Props;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a properties object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut m: A) -> Result<Props, A::Error> {
                let mut p = Props::default();
                while let Some(key) = m.next_key::<Key>()? {
                    let slot = match key {
                        Key::Name => &mut p.name,
                        Key::Highway => &mut p.highway,
                        Key::Angle => &mut p.angle,
                        Key::Length => &mut p.length,
                        Key::Other => {
                            m.next_value::<serde::de::IgnoredAny>()?;
                            continue;
                        }
                    };
                    *slot = Some(m.next_value()?);
                }
                Ok(p)
            }
        }
        d.deserialize_map(Visit)
    }
}

impl Props {
    fn get(&self, key: &str) -> Option<&serde_json::Value> {
        match key {
            "name" => self.name.as_ref(),
            "highway" => self.highway.as_ref(),
            "angle" => self.angle.as_ref(),
            "length" => self.length.as_ref(),
            _ => None,
        }
    }
}

#[derive(serde::Deserialize)]
struct Geom {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    coordinates: serde_json::Value,
}

fn pos(v: &serde_json::Value) -> Option<(f64, f64)> {
    Some((v.get(0)?.as_f64()?, v.get(1)?.as_f64()?))
}

fn line(v: &serde_json::Value) -> Vec<(f64, f64)> {
    v.as_array()
        .map(|a| a.iter().filter_map(pos).collect())
        .unwrap_or_default()
}

fn prop_text(f: &Feat, key: &str) -> Option<String> {
    let v = f.properties.as_ref()?.get(key)?;
    v.as_str()
        .map(str::to_owned)
        .filter(|t| !t.trim().is_empty())
}

/// A streets layer read once: the named streets' label anchors, and whether it also holds
/// features that are not lines (areas: drawn by Leaflet; the lines are drawn from the worker's
/// tiles, see `tiles`).
pub(super) struct Streets {
    /// Distinct street names.
    pub names: Vec<String>,
    /// Label anchors as (name index, rank, anchor).
    pub anchors: Vec<(u32, u8, crate::plan::labels::Anchor)>,
    /// Some features are not lines.
    pub others: bool,
}

/// Reads a streets layer's GeoJSON text (see [`Streets`]).
pub(super) fn parse_streets(text: &str) -> Streets {
    let mut out = Streets {
        names: Vec::new(),
        anchors: Vec::new(),
        others: false,
    };
    let Ok(fc) = serde_json::from_str::<Fc>(text) else {
        return out;
    };
    let mut index: BTreeMap<String, u32> = BTreeMap::new();
    for f in &fc.features {
        let Some(g) = &f.geometry else { continue };
        let rank = highway_rank(prop_text(f, "highway").as_deref().unwrap_or(""));
        // A label point the worker made (`street_labels_geojson`): the anchor as it is.
        if g.kind == "Point" {
            let num = |k: &str| f.properties.as_ref()?.get(k)?.as_f64();
            if let (Some(name), Some((lon, lat)), Some(angle_deg), Some(length_m)) = (
                prop_text(f, "name"),
                pos(&g.coordinates),
                num("angle"),
                num("length"),
            ) {
                let id = *index.entry(name.clone()).or_insert_with(|| {
                    out.names.push(name);
                    (out.names.len() - 1) as u32
                });
                let a = crate::plan::labels::Anchor {
                    lon,
                    lat,
                    angle_deg,
                    length_m,
                };
                out.anchors.push((id, rank, a));
                continue;
            }
        }
        let parts = match g.kind.as_str() {
            "LineString" => vec![line(&g.coordinates)],
            "MultiLineString" => g
                .coordinates
                .as_array()
                .map(|a| a.iter().map(line).collect())
                .unwrap_or_default(),
            _ => {
                out.others = true;
                continue;
            }
        };
        let Some(name) = prop_text(f, "name") else {
            continue;
        };
        let id = *index.entry(name.clone()).or_insert_with(|| {
            out.names.push(name);
            (out.names.len() - 1) as u32
        });
        out.anchors.extend(
            parts
                .iter()
                .filter_map(|p| street_anchor(p))
                .map(|a| (id, rank, a)),
        );
    }
    out
}

/// A feature read for its geometry only (properties are skipped, not built).
#[derive(serde::Deserialize)]
struct GeomOnly {
    geometry: Option<Geom>,
}

/// Point positions (lon, lat) of a layer.
pub(super) fn parse_points(text: &str) -> Vec<(f64, f64)> {
    #[derive(serde::Deserialize)]
    struct Points {
        #[serde(default)]
        features: Vec<GeomOnly>,
    }
    let Ok(fc) = serde_json::from_str::<Points>(text) else {
        return Vec::new();
    };
    fc.features
        .iter()
        .filter_map(|f| {
            let g = f.geometry.as_ref()?;
            (g.kind == "Point").then(|| pos(&g.coordinates)).flatten()
        })
        .collect()
}

pub(super) struct StreetSet {
    pub(super) names: Vec<String>,
    pub(super) anchors: Vec<(u32, u8, crate::plan::labels::Anchor)>,
    pub(super) visible: bool,
}

impl StreetSet {
    /// Takes the names and anchors of the worker's label points (an imported layer's second
    /// answer) in place of those read so far.
    pub(super) fn take_points(&mut self, p: &crate::plan::labels::LabelPoints) {
        self.names.clone_from(&p.names);
        self.anchors = (0..p.len()).filter_map(|i| p.get(i)).collect();
    }
}

pub(super) struct ZoneSet {
    pub(super) items: Vec<(String, f64, f64)>,
    pub(super) visible: bool,
}

pub(super) struct PostingSet {
    pub(super) pts: Vec<(f64, f64)>,
    pub(super) group: LayerGroup,
    pub(super) visible: bool,
}

/// What is redrawn for each view (labels, posting clusters); shared with the `moveend` handler.
pub(super) struct Deco {
    pub(super) map: Map,
    pub(super) renderer: JsValue,
    pub(super) labels: LayerGroup,
    pub(super) streets: BTreeMap<String, StreetSet>,
    pub(super) zones: BTreeMap<String, ZoneSet>,
    pub(super) postings: BTreeMap<String, PostingSet>,
}

/// Estimated width in pixels of `text` at `px` font size (CJK full width, Latin ≈ 0.6).
pub(super) fn text_width(text: &str, px: f64) -> f64 {
    text.chars()
        .map(|c| if c.is_ascii() { 0.6 * px } else { px })
        .sum()
}

pub(super) fn label_marker(
    text: &str,
    lon: f64,
    lat: f64,
    angle: f64,
    class: &str,
) -> Option<Layer> {
    let span = document()?.create_element("span").ok()?;
    span.set_class_name("sq-label-text");
    span.set_text_content(Some(text));
    span.set_attribute("data-angle", &format!("{angle:.1}"))
        .ok()?;
    span.set_attribute(
        "style",
        &format!("transform:translate(-50%,-50%) rotate({angle:.1}deg)"),
    )
    .ok()?;
    let icon = div_icon(&obj(&[
        ("className", s(class)),
        ("html", span.into()),
        ("iconSize", js_sys::Array::of2(&n(0.0), &n(0.0)).into()),
    ]));
    Some(marker(
        &LatLng::new(lat, lon).into(),
        &obj(&[
            ("icon", icon),
            ("pane", s("sq-labels")),
            ("interactive", JsValue::FALSE),
            ("keyboard", JsValue::FALSE),
        ]),
    ))
}

pub(super) fn cluster_marker(count: usize, lon: f64, lat: f64) -> Option<Layer> {
    let size = match count {
        0..10 => 26.0,
        10..100 => 32.0,
        100..1000 => 40.0,
        _ => 48.0,
    };
    let div = document()?.create_element("div").ok()?;
    div.set_text_content(Some(&count.to_string()));
    let icon = div_icon(&obj(&[
        ("className", s("sq-cluster")),
        ("html", div.into()),
        ("iconSize", js_sys::Array::of2(&n(size), &n(size)).into()),
    ]));
    let m = marker(
        &LatLng::new(lat, lon).into(),
        &obj(&[
            ("icon", icon),
            ("pane", s("sq-clusters")),
            ("interactive", JsValue::FALSE),
            ("keyboard", JsValue::FALSE),
        ]),
    );
    Some(m)
}

impl Deco {
    /// Redraws labels and posting clusters for the current view.
    pub(super) fn refresh(&self) {
        let zoom = self.map.get_zoom();
        let b = self.map.get_bounds();
        let (sw, ne) = (b.get_south_west(), b.get_north_east());
        let bbox = BboxWgs84 {
            west: sw.lng(),
            south: sw.lat(),
            east: ne.lng(),
            north: ne.lat(),
        };
        let (ox, oy) = world_px(bbox.west, bbox.north, zoom);
        let el = self.map.get_container();
        let _ = el.set_attribute("data-zoom", &format!("{zoom}"));
        let _ = el.set_attribute(
            "data-bounds",
            &format!("{},{},{},{}", bbox.west, bbox.south, bbox.east, bbox.north),
        );

        // Labels: candidates in view, then one per name, no overlaps, capped.
        self.labels.clear_layers();
        let mut cands: Vec<Candidate> = Vec::new();
        let mut what: Vec<(&str, f64, f64, f64, &str)> = Vec::new();
        let mut group = 0u32;
        if zoom >= ZONE_LABEL_ZOOM {
            for set in self.zones.values().filter(|z| z.visible) {
                for (name, lon, lat) in &set.items {
                    if bbox.contains(*lon, *lat) {
                        let (x, y) = world_px(*lon, *lat, zoom);
                        cands.push(Candidate {
                            group,
                            priority: 1e9,
                            x: x - ox,
                            y: y - oy,
                            half_w: text_width(name, 13.0) / 2.0 + 6.0,
                            half_h: 10.0,
                        });
                        what.push((name, *lon, *lat, 0.0, "sq-label sq-zone-label"));
                    }
                    group += 1;
                }
            }
        }
        if zoom >= STREET_LABEL_ZOOM {
            let max_rank = if zoom >= STREET_LABEL_ZOOM + 1.0 {
                3
            } else {
                2
            };
            for set in self.streets.values().filter(|z| z.visible) {
                for (name, rank, a) in &set.anchors {
                    if *rank > max_rank || !bbox.contains(a.lon, a.lat) {
                        continue;
                    }
                    let Some(text) = set.names.get(*name as usize) else {
                        continue;
                    };
                    let (x, y) = world_px(a.lon, a.lat, zoom);
                    let (hw, hh) = (text_width(text, 12.0) / 2.0 + 4.0, 8.0);
                    let (sin, cos) = a.angle_deg.to_radians().sin_cos();
                    cands.push(Candidate {
                        group: group + name,
                        priority: f64::from(10 - rank) * 1e6 + a.length_m,
                        x: x - ox,
                        y: y - oy,
                        half_w: cos.abs() * hw + sin.abs() * hh,
                        half_h: sin.abs() * hw + cos.abs() * hh,
                    });
                    what.push((text, a.lon, a.lat, a.angle_deg, "sq-label sq-street-label"));
                }
                group += set.names.len() as u32;
            }
        }
        // Labels cut by the map's edge are not drawn.
        let size = self.map.get_size();
        let (vw, vh) = (size.x(), size.y());
        let inside = |c: &Candidate| {
            c.x - c.half_w >= 0.0
                && c.x + c.half_w <= vw
                && c.y - c.half_h >= 0.0
                && c.y + c.half_h <= vh
        };
        let (cands, what): (Vec<Candidate>, Vec<_>) = cands
            .into_iter()
            .zip(what)
            .filter(|(c, _)| inside(c))
            .unzip();
        let kept = declutter(&cands, LABEL_CAP);
        for &k in &kept {
            let (text, lon, lat, angle, class) = what[k];
            if let Some(m) = label_marker(text, lon, lat, angle, class) {
                self.labels.add_layer(&m);
            }
        }
        let _ = el.set_attribute("data-labels", &kept.len().to_string());

        // Postings: clustered below POSTINGS_SINGLE_ZOOM, one by one from it.
        let (mut in_view, mut clusters, mut singles) = (0usize, 0usize, 0usize);
        let single = kind_symbol(LayerKind::Postings);
        for set in self.postings.values() {
            set.group.clear_layers();
            if !set.visible {
                continue;
            }
            let cell = if zoom >= POSTINGS_SINGLE_ZOOM {
                1e-9
            } else {
                CLUSTER_PX
            };
            for c in grid_cluster(&set.pts, Some(bbox), zoom, cell) {
                in_view += c.count();
                if c.count() == 1 {
                    singles += 1;
                    let m = circle_marker(
                        &LatLng::new(c.lat, c.lon).into(),
                        &symbol_options(single, &self.renderer),
                    );
                    set.group.add_layer(&m);
                } else if zoom >= POSTINGS_SINGLE_ZOOM {
                    // Same place exactly: still one symbol per posting.
                    for _ in 0..c.count() {
                        singles += 1;
                        let m = circle_marker(
                            &LatLng::new(c.lat, c.lon).into(),
                            &symbol_options(single, &self.renderer),
                        );
                        set.group.add_layer(&m);
                    }
                } else if let Some(m) = cluster_marker(c.count(), c.lon, c.lat) {
                    clusters += 1;
                    set.group.add_layer(&m);
                    if let Some(icon) =
                        call0(&m, "getElement").and_then(|i| i.dyn_into::<web_sys::Element>().ok())
                    {
                        let _ = icon.set_attribute("data-count", &c.count().to_string());
                    }
                }
            }
        }
        let _ = el.set_attribute("data-postings-in-view", &in_view.to_string());
        let _ = el.set_attribute("data-postings-clusters", &clusters.to_string());
        let _ = el.set_attribute("data-postings-singles", &singles.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::graph::StreetTable;
    use crate::plan::package::write::{street_labels_geojson, street_table_geojson};

    /// The worker's label points give the page the anchors it would read from the lines.
    #[test]
    fn label_points_give_the_anchors_of_the_lines() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/data/sources/nanjing/nanjing_xinjiekou.osm"
        );
        let bytes = std::fs::read(path).expect("the Nanjing extract is in the repository");
        let t: StreetTable = crate::plan::osm::read_network(&bytes).streets;
        let lines = parse_streets(&street_table_geojson(&t, 0..t.len()));
        let points_text = street_labels_geojson(&t, 0..t.len());
        let points = parse_streets(&points_text);
        assert!(lines.anchors.len() > 50, "{} anchors", lines.anchors.len());
        assert!(!points.others);
        assert_eq!(points.names, lines.names);
        assert_eq!(points.anchors.len(), lines.anchors.len());
        for ((i, r, a), (j, s, b)) in lines.anchors.iter().zip(&points.anchors) {
            assert_eq!((i, r), (j, s));
            assert!((a.lon - b.lon).abs() < 1e-6 && (a.lat - b.lat).abs() < 1e-6);
            assert!(
                (a.angle_deg - b.angle_deg).abs() < 0.01 && (a.length_m - b.length_m).abs() < 0.5
            );
        }
        assert!(points_text.len() * 3 < street_table_geojson(&t, 0..t.len()).len());
    }

    /// A property given twice keeps its last value (as a JSON map reads it); the other
    /// properties, escaped names included, are skipped; the layer is not refused.
    #[test]
    fn a_property_given_twice_keeps_its_last_value() {
        let text = r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{"name":"旧名","highway":"primary","n\u0061me2":1,
             "name":"中山路","ref":{"a":[1,2]}},
             "geometry":{"type":"LineString","coordinates":[[118.78,32.04],[118.79,32.04]]}},
            {"type":"Feature","properties":{"highway":"residential"},
             "geometry":{"type":"LineString","coordinates":[[118.78,32.05],[118.79,32.05]]}}]}"#;
        let s = parse_streets(text);
        assert_eq!(s.names, ["中山路"]);
        assert_eq!(s.anchors.len(), 1);
        assert_eq!(s.anchors[0].1, highway_rank("primary"));
        assert!(!s.others);
    }
}
