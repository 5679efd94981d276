//! Writers for package layer files: GeoJSON FeatureCollections with canonical English property
//! names, which the importers read back unchanged (round-trip tested).
//!
//! Coordinates are written with 7 decimals (≈ 1 cm), so output is deterministic and compact.

use serde_json::{Map, Value, json};

use crate::plan::geojson_out::{GeoMultiPolygon, point, round7};
use crate::plan::geom::LonLat;
use crate::plan::graph::{StreetAttrs, StreetSource, StreetTable};
use crate::plan::model::{
    Candidate, Community, DemandPoint, Facility, HoursType, Posting, Station, Street,
};

fn feature(geometry: Value, props: Map<String, Value>) -> Value {
    let mut f = Map::new();
    f.insert("type".into(), "Feature".into());
    f.insert("properties".into(), Value::Object(props));
    f.insert("geometry".into(), geometry);
    Value::Object(f)
}

/// The features as one collection, one feature per line; each feature is written and dropped
/// before the next is made (a city's streets are never all in memory as JSON values).
fn collection(features: impl IntoIterator<Item = Value>) -> String {
    // One feature per line: diff-friendly and still valid JSON.
    let mut out = String::from("{\"type\":\"FeatureCollection\",\"features\":[\n");
    for (i, f) in features.into_iter().enumerate() {
        if i > 0 {
            out.push_str(",\n");
        }
        out.push_str(&f.to_string());
    }
    out.push_str("\n]}\n");
    out
}

fn put(props: &mut Map<String, Value>, key: &str, v: Option<impl Into<Value>>) {
    if let Some(v) = v {
        props.insert(key.to_owned(), v.into());
    }
}

/// Streets as LineStrings with `id`, `highway`, `foot`, `access`, `area`, `service`, `name`.
pub fn streets_geojson(streets: &[Street]) -> String {
    collection(streets.iter().map(|s| {
        street_feature(
            s.id.clone(),
            StreetAttrs {
                tags: std::slice::from_ref(s).street_tags(0),
                name: s.name.as_deref(),
            },
            &s.coords_wgs84,
        )
    }))
}

/// [`streets_geojson`] of the streets `range` of a [`StreetTable`], read in place and written
/// as text directly (the same text as on the table's owned streets, without making them or a
/// JSON value per vertex). A first pass counts the bytes, so the text is allocated once at its
/// size: a city's streets are tens of MB, and a growing string would briefly hold 1.5× that.
pub fn street_table_geojson(t: &StreetTable, range: std::ops::Range<usize>) -> String {
    counted_text(|w| write_street_lines(w, t, range.clone()))
}

/// The text `write` writes, allocated once at its size: a first pass counts the bytes. Neither
/// sink fails (a count, a vector); serde_json writes UTF-8 and the writers' other pieces are
/// ASCII.
fn counted_text(write: impl Fn(&mut dyn std::io::Write) -> serde_json::Result<()>) -> String {
    let mut size = ByteCount(0);
    let _ = write(&mut size);
    let mut out = Vec::with_capacity(size.0);
    let _ = write(&mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// The label anchors of the named streets `range` of a [`StreetTable`], as GeoJSON Points
/// (properties `name`, `highway`, `angle` in degrees, `length` in metres: a
/// [`crate::plan::labels::Anchor`] each): what the page needs of a streets layer when its lines
/// are drawn from tiles. A fraction of the lines' text (no vertices, no unnamed street), so the
/// worker neither holds nor sends a city's street geometry as JSON.
pub fn street_labels_geojson(t: &StreetTable, range: std::ops::Range<usize>) -> String {
    counted_text(|w| write_street_labels(w, t, range.clone()))
}

fn write_street_labels<W: std::io::Write + ?Sized>(
    w: &mut W,
    t: &StreetTable,
    range: std::ops::Range<usize>,
) -> serde_json::Result<()> {
    let io = serde_json::Error::io;
    w.write_all(b"{\"type\":\"FeatureCollection\",\"features\":[\n")
        .map_err(io)?;
    let mut first = true;
    for (name, highway, a) in crate::plan::labels::street_anchors(t, range) {
        if !first {
            w.write_all(b",\n").map_err(io)?;
        }
        first = false;
        w.write_all(b"{\"geometry\":{\"coordinates\":[")
            .map_err(io)?;
        serde_json::to_writer(&mut *w, &round7(a.lon))?;
        w.write_all(b",").map_err(io)?;
        serde_json::to_writer(&mut *w, &round7(a.lat))?;
        w.write_all(b"],\"type\":\"Point\"},\"properties\":{\"angle\":")
            .map_err(io)?;
        serde_json::to_writer(&mut *w, &((a.angle_deg * 100.0).round() / 100.0))?;
        if let Some(h) = highway {
            w.write_all(b",\"highway\":").map_err(io)?;
            serde_json::to_writer(&mut *w, h)?;
        }
        w.write_all(b",\"length\":").map_err(io)?;
        serde_json::to_writer(&mut *w, &a.length_m.round())?;
        w.write_all(b",\"name\":").map_err(io)?;
        serde_json::to_writer(&mut *w, name)?;
        w.write_all(b"},\"type\":\"Feature\"}").map_err(io)?;
    }
    w.write_all(b"\n]}\n").map_err(io)
}

/// Counts the bytes written to it.
struct ByteCount(usize);

impl std::io::Write for ByteCount {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Writes streets `range` of `t` as [`collection`] writes their features: one per line, keys
/// in serde_json's (sorted) order, coordinates rounded by [`round7`].
fn write_street_lines<W: std::io::Write + ?Sized>(
    w: &mut W,
    t: &StreetTable,
    range: std::ops::Range<usize>,
) -> serde_json::Result<()> {
    let io = serde_json::Error::io;
    w.write_all(b"{\"type\":\"FeatureCollection\",\"features\":[\n")
        .map_err(io)?;
    for (i, l) in t.lines_in(range).enumerate() {
        if i > 0 {
            w.write_all(b",\n").map_err(io)?;
        }
        w.write_all(b"{\"geometry\":{\"coordinates\":[")
            .map_err(io)?;
        for (j, c) in l.coords_wgs84.iter().enumerate() {
            w.write_all(if j > 0 { b",[" } else { b"[" }).map_err(io)?;
            serde_json::to_writer(&mut *w, &round7(c.lon))?;
            w.write_all(b",").map_err(io)?;
            serde_json::to_writer(&mut *w, &round7(c.lat))?;
            w.write_all(b"]").map_err(io)?;
        }
        w.write_all(b"],\"type\":\"LineString\"},\"properties\":{")
            .map_err(io)?;
        let (a, id) = (l.attrs.tags, t.id(l.index));
        let props = [
            ("access", a.access),
            ("area", a.area),
            ("foot", a.foot),
            ("highway", a.highway),
            ("id", Some(id.as_str())),
            ("name", l.attrs.name),
            ("service", a.service),
        ];
        for (k, (key, v)) in props
            .iter()
            .filter_map(|(k, v)| v.map(|v| (k, v)))
            .enumerate()
        {
            if k > 0 {
                w.write_all(b",").map_err(io)?;
            }
            serde_json::to_writer(&mut *w, key)?;
            w.write_all(b":").map_err(io)?;
            serde_json::to_writer(&mut *w, v)?;
        }
        w.write_all(b"},\"type\":\"Feature\"}").map_err(io)?;
    }
    w.write_all(b"\n]}\n").map_err(io)
}

/// One street's feature.
fn street_feature(id: String, a: StreetAttrs<'_>, coords: &[LonLat]) -> Value {
    let mut p = Map::new();
    p.insert("id".into(), id.into());
    put(&mut p, "highway", a.tags.highway);
    put(&mut p, "foot", a.tags.foot);
    put(&mut p, "access", a.tags.access);
    put(&mut p, "area", a.tags.area);
    put(&mut p, "service", a.tags.service);
    put(&mut p, "name", a.name);
    let coords: Vec<Value> = coords
        .iter()
        .map(|c| json!([round7(c.lon), round7(c.lat)]))
        .collect();
    feature(json!({ "type": "LineString", "coordinates": coords }), p)
}

/// Stations as Points with `id`, `name`, `address`, `host_type`, `services` (joined by `;`), `hours`.
pub fn stations_geojson(items: &[Station]) -> String {
    collection(items.iter().map(|s| {
        let mut p = Map::new();
        p.insert("id".into(), s.id.clone().into());
        p.insert("name".into(), s.name.clone().into());
        put(&mut p, "address", s.address.clone());
        put(&mut p, "host_type", s.host_type.clone());
        if !s.services.is_empty() {
            p.insert("services".into(), s.services.join(";").into());
        }
        put(&mut p, "hours", s.hours.clone());
        feature(point(s.pos_wgs84), p)
    }))
}

/// Facilities as Points with `id`, `name`, `category` (stable id).
pub fn facilities_geojson(items: &[Facility]) -> String {
    collection(items.iter().map(|f| {
        let mut p = Map::new();
        p.insert("id".into(), f.id.clone().into());
        p.insert("name".into(), f.name.clone().into());
        p.insert("category".into(), f.category.id().into());
        feature(point(f.pos_wgs84), p)
    }))
}

/// Postings as Points with every [`Posting`] field (`skills` joined by `;`).
pub fn postings_geojson(items: &[Posting]) -> String {
    collection(items.iter().map(|j| {
        let mut p = Map::new();
        p.insert("id".into(), j.id.clone().into());
        p.insert("title".into(), j.title.clone().into());
        put(&mut p, "employer", j.employer.clone());
        put(&mut p, "category", j.category.clone());
        put(&mut p, "pay_min", j.pay_min);
        put(&mut p, "pay_max", j.pay_max);
        put(&mut p, "hours_type", j.hours.map(HoursType::id));
        put(&mut p, "education", j.education.clone());
        put(&mut p, "age_min", j.age_min);
        put(&mut p, "age_max", j.age_max);
        if !j.skills.is_empty() {
            p.insert("skills".into(), j.skills.join(";").into());
        }
        put(&mut p, "posted", j.posted.clone());
        put(&mut p, "station_id", j.station_id.clone());
        feature(point(j.pos_wgs84), p)
    }))
}

/// Demand points with `id`, `weight`, `community`.
pub fn demand_geojson(items: &[DemandPoint]) -> String {
    collection(items.iter().map(|d| {
        let mut p = Map::new();
        p.insert("id".into(), d.id.clone().into());
        p.insert("weight".into(), round7(d.weight).into());
        put(&mut p, "community", d.community.clone());
        feature(point(d.pos_wgs84), p)
    }))
}

/// Candidate sites with `id`, `name`, `host_type`.
pub fn candidates_geojson(items: &[Candidate]) -> String {
    collection(items.iter().map(|c| {
        let mut p = Map::new();
        p.insert("id".into(), c.id.clone().into());
        put(&mut p, "name", c.name.clone());
        put(&mut p, "host_type", c.host_type.clone());
        feature(point(c.pos_wgs84), p)
    }))
}

/// Communities or boundaries as (Multi)Polygons with `code`, `name`, `parent_code`,
/// `population`. Communities without a boundary are skipped (write them as CSV instead).
pub fn communities_geojson(items: &[Community]) -> String {
    collection(items.iter().filter_map(|c| {
        let mp = c.boundary_wgs84.as_ref()?;
        let mut p = Map::new();
        put(&mut p, "code", c.code.clone());
        p.insert("name".into(), c.name.clone().into());
        put(&mut p, "parent_code", c.parent_code.clone());
        put(&mut p, "population", c.population.map(round7));
        Some(feature(json!(GeoMultiPolygon(mp)), p))
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::geom::LonLat;
    use crate::plan::model::Category;

    #[test]
    fn facilities_are_valid_geojson_with_stable_ids() {
        let s = facilities_geojson(&[Facility {
            id: "f1".into(),
            name: "早餐 \"店\"".into(),
            category: Category::Breakfast,
            pos_wgs84: LonLat::new(121.123_456_789, 31.5),
        }]);
        let v: Value = serde_json::from_str(&s).unwrap();
        let f = &v["features"][0];
        assert_eq!(f["properties"]["category"], "breakfast");
        assert_eq!(f["properties"]["name"], "早餐 \"店\"");
        assert_eq!(f["geometry"]["coordinates"][0], 121.123_456_8);
    }

    #[test]
    fn empty_layers_are_valid() {
        let v: Value = serde_json::from_str(&postings_geojson(&[])).unwrap();
        assert_eq!(v["features"].as_array().map(Vec::len), Some(0));
    }
}
