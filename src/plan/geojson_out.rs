//! The one GeoJSON geometry writer of the core and the CLI.
//!
//! Coordinates are WGS-84 longitude/latitude rounded to 7 decimals (≈ 1 cm on the ground), the
//! precision every export and every worker answer uses. Geometries are `serde::Serialize`
//! wrappers that sit inside `json!` feature builders (the coverage report, the package writer,
//! the CLI's isochrones); the worker's isochrone answers are written straight into a string
//! ([`push_multipolygon`], the same bytes), their time being the planner's wait.
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

/// Appends `x` as `serde_json` writes an `f64`: zmij's shortest form (`5.0`, `121.1234568`),
/// `null` when it is not finite.
pub fn push_number(out: &mut String, x: f64) {
    if x.is_finite() {
        out.push_str(zmij::Buffer::new().format_finite(x));
    } else {
        out.push_str("null");
    }
}

/// Appends a WGS-84 multipolygon as a GeoJSON `MultiPolygon` geometry, coordinates rounded as
/// [`GeoMultiPolygon`]'s, members in sorted order (`coordinates`, then `type`): byte for byte
/// what `serde_json` writes for a [`GeoMultiPolygon`] inside a `json!` value (whose objects are
/// sorted maps), without building that value. The worker's isochrone answers are written so.
///
/// ```
/// use geo::{MultiPolygon, polygon};
/// use shuangquan::plan::geojson_out::{GeoMultiPolygon, push_multipolygon};
/// let mp = MultiPolygon(vec![polygon![
///     (x: 121.0, y: 31.0), (x: 121.123_456_789, y: 31.0), (x: 121.0, y: 31.1)
/// ]]);
/// let mut s = String::new();
/// push_multipolygon(&mut s, &mp);
/// assert_eq!(s, serde_json::json!(GeoMultiPolygon(&mp)).to_string());
/// ```
pub fn push_multipolygon(out: &mut String, mp: &MultiPolygon<f64>) {
    out.push_str(r#"{"coordinates":["#);
    for (p, poly) in mp.0.iter().enumerate() {
        if p > 0 {
            out.push(',');
        }
        out.push('[');
        for (r, ring) in std::iter::once(poly.exterior())
            .chain(poly.interiors())
            .enumerate()
        {
            if r > 0 {
                out.push(',');
            }
            out.push('[');
            for (k, c) in ring.0.iter().enumerate() {
                out.push_str(if k > 0 { ",[" } else { "[" });
                push_number(out, round7(c.x));
                out.push(',');
                push_number(out, round7(c.y));
                out.push(']');
            }
            out.push(']');
        }
        out.push(']');
    }
    out.push_str(r#"],"type":"MultiPolygon"}"#);
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

    #[test]
    fn written_directly_as_the_value_tree_writes_it() {
        let awkward = [
            0.0,
            -0.0,
            1e-7,
            -4e-8,
            5e-8,
            0.000_123_4,
            121.123_456_75,
            -179.999_999_95,
            31.1,
            1e16,
            f64::NAN,
            f64::INFINITY,
        ];
        let ring = |k: usize| {
            LineString::from(
                (0..6)
                    .map(|i| {
                        (
                            awkward[(k + i) % awkward.len()],
                            awkward[(k * 7 + i * 5) % 12],
                        )
                    })
                    .collect::<Vec<_>>(),
            )
        };
        let cases = [
            MultiPolygon::new(Vec::new()),
            MultiPolygon::new(vec![geo::Polygon::new(ring(0), Vec::new())]),
            MultiPolygon::new(vec![
                geo::Polygon::new(ring(1), vec![ring(2), ring(3)]),
                geo::Polygon::new(ring(4), Vec::new()),
                geo::Polygon::new(LineString::new(Vec::new()), vec![ring(5)]),
            ]),
        ];
        for mp in &cases {
            let mut s = String::new();
            push_multipolygon(&mut s, mp);
            assert_eq!(s, json!(GeoMultiPolygon(mp)).to_string());
        }
    }
}
