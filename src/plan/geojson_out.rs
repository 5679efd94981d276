//! The one GeoJSON geometry writer of the core and the CLI.
//!
//! Coordinates are WGS-84 longitude/latitude rounded to 7 decimals (≈ 1 cm on the ground), the
//! precision every export and every worker answer uses. Geometries are `serde::Serialize`
//! wrappers, so the same code writes a string directly (`serde_json::to_string`, no value tree:
//! the isochrone answers of the worker) and sits inside `json!` feature builders (the coverage
//! report, the package writer).
//!
//! Written here rather than with the `geojson` crate because the crate writes every coordinate
//! at full `f64` precision (up to 17 digits), which would triple the size of the isochrone
//! polygons sent from the worker and of every export, and because the core only ever *writes*
//! geometry here (reading GeoJSON is `plan::import::geojson`, with its own typed problems).

use geo::{LineString, MultiPolygon};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::{Value, json};

use super::geom::LonLat;

/// A coordinate rounded to 7 decimals (≈ 1 cm).
pub fn round7(x: f64) -> f64 {
    (x * 1e7).round() / 1e7
}

/// A GeoJSON `Point` at `p`.
pub fn point(p: LonLat) -> Value {
    json!({ "type": "Point", "coordinates": [round7(p.lon), round7(p.lat)] })
}

/// A GeoJSON `MultiPolygon` geometry of a WGS-84 multipolygon (exterior ring first, then the
/// holes, as geo stores them).
///
/// ```
/// use geo::{MultiPolygon, polygon};
/// use shuangquan::plan::geojson_out::GeoMultiPolygon;
/// let mp = MultiPolygon(vec![polygon![
///     (x: 121.0, y: 31.0), (x: 121.123_456_789, y: 31.0), (x: 121.0, y: 31.1)
/// ]]);
/// let s = serde_json::to_string(&GeoMultiPolygon(&mp)).unwrap();
/// assert!(s.starts_with(r#"{"type":"MultiPolygon","coordinates":[[[[121.0,31.0],[121.1234568,31.0]"#));
/// ```
#[derive(Debug, Clone, Copy)]
pub struct GeoMultiPolygon<'a>(pub &'a MultiPolygon<f64>);

impl Serialize for GeoMultiPolygon<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(2))?;
        m.serialize_entry("type", "MultiPolygon")?;
        m.serialize_entry("coordinates", &Polygons(self.0))?;
        m.end()
    }
}

struct Polygons<'a>(&'a MultiPolygon<f64>);

impl Serialize for Polygons<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.0.len()))?;
        for poly in &self.0.0 {
            let rings: Vec<Ring<'_>> = std::iter::once(poly.exterior())
                .chain(poly.interiors())
                .map(Ring)
                .collect();
            seq.serialize_element(&rings)?;
        }
        seq.end()
    }
}

struct Ring<'a>(&'a LineString<f64>);

impl Serialize for Ring<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.0.len()))?;
        for c in &self.0.0 {
            seq.serialize_element(&[round7(c.x), round7(c.y)])?;
        }
        seq.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    #[test]
    fn string_and_value_forms_agree_and_keep_holes() {
        let poly = polygon!(
            exterior: [(x: 0.0, y: 0.0), (x: 10.0, y: 0.0), (x: 10.0, y: 10.0), (x: 0.0, y: 0.0)],
            interiors: [[(x: 1.0, y: 1.0), (x: 2.0, y: 1.0), (x: 2.0, y: 2.000_000_04), (x: 1.0, y: 1.0)]],
        );
        let mp = MultiPolygon(vec![poly]);
        let s = serde_json::to_string(&GeoMultiPolygon(&mp)).unwrap();
        let v = json!({ "geometry": GeoMultiPolygon(&mp) });
        assert_eq!(serde_json::from_str::<Value>(&s).unwrap(), v["geometry"]);
        let rings = v["geometry"]["coordinates"][0].as_array().unwrap();
        assert_eq!(rings.len(), 2, "exterior and one hole");
        assert_eq!(rings[1][2], json!([2.0, 2.0]), "rounded to 7 decimals");
    }
}
