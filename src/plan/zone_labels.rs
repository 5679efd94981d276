//! Where the name of a community or boundary goes on the map: one point per named feature of a
//! GeoJSON layer, inside its area (a Point feature: the point itself; a Polygon or MultiPolygon:
//! [`interior_point`], which lies inside the shape even when the centroid does not, as in a
//! U-shaped district).
//!
//! [`interior_point`] is the scan-line method of JTS's `InteriorPointArea`: a horizontal line
//! through the shape at a height that passes through no vertex (halfway between the vertex
//! heights nearest the bounding box's middle), its crossings with every ring sorted along it,
//! and the middle of the widest stretch that is inside (between crossings 2k and 2k+1, holes
//! included). O(n log n) in the vertices. `geo`'s `InteriorPoint` gives such a point too, but
//! links `geo`'s `relate` and `rstar` (≈ 28 KB gzip of wasm); this is the engine's, computed when
//! it loads or imports a layer ([`crate::plan::engine::LoadSummary`] `zones`), so the page links
//! no interior-point code at all (BENCHMARKS.md "Zone labels in the worker, and the page at 250 KB").

use serde_json::Value;

/// A named place to label: (name, lon, lat).
pub type ZoneLabel = (String, f64, f64);

fn position(v: &Value) -> Option<(f64, f64)> {
    Some((v.get(0)?.as_f64()?, v.get(1)?.as_f64()?))
}

/// A polygon's rings (outer first, then holes) as (lon, lat) vertices.
type Rings = Vec<Vec<(f64, f64)>>;

fn rings(v: &Value) -> Option<Rings> {
    let rings: Rings = v
        .as_array()?
        .iter()
        .map(|r| {
            r.as_array()
                .map(|a| a.iter().filter_map(position).collect())
                .unwrap_or_default()
        })
        .collect();
    (!rings.is_empty()).then_some(rings)
}

/// The widest inside stretch of a polygon on its scan line: (width, (x, y) of its middle).
fn widest(rings: &Rings) -> Option<(f64, (f64, f64))> {
    let ys = || rings.iter().flatten().map(|v| v.1);
    let (lo, hi) = ys().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), y| {
        (a.min(y), b.max(y))
    });
    let centre = f64::midpoint(lo, hi);
    // The vertex heights nearest the middle, one at or below it, one above it.
    let below = ys().filter(|&y| y <= centre).fold(lo, f64::max);
    let above = ys().filter(|&y| y > centre).fold(hi, f64::min);
    let y = f64::midpoint(below, above);
    let mut xs: Vec<f64> = rings
        .iter()
        // Each edge, the closing one too (a repeated first vertex adds an empty edge).
        .flat_map(|r| (0..r.len()).map(|i| (r[i], r[(i + 1) % r.len()])))
        .filter(|(a, b)| (a.1 < y) != (b.1 < y))
        .map(|((x0, y0), (x1, y1))| x0 + (y - y0) * (x1 - x0) / (y1 - y0))
        .collect();
    crate::plan::sort::by(&mut xs, f64::total_cmp);
    xs.chunks_exact(2)
        .map(|p| (p[1] - p[0], (f64::midpoint(p[0], p[1]), y)))
        .filter(|(width, _)| *width > 0.0)
        .max_by(|a, b| a.0.total_cmp(&b.0))
}

/// A point inside polygons given as rings (see the module doc): the middle of the widest
/// stretch among the polygons' scan lines. `None` when they enclose no area (all vertices of
/// each on one line).
pub fn interior_point(polygons: &[Rings]) -> Option<(f64, f64)> {
    polygons
        .iter()
        .filter_map(widest)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, p)| p)
}

/// The label points of a layer's named features, in the layer's order. A feature without a
/// non-blank `name`, without a geometry, or of another geometry type has none; text that is not
/// a GeoJSON FeatureCollection gives none (the load report names the layer's problems).
///
/// ```
/// use shuangquan::plan::zone_labels::zone_labels;
/// let text = r#"{"type":"FeatureCollection","features":[{"type":"Feature",
///   "properties":{"name":"A"},"geometry":{"type":"Point","coordinates":[121.5,31.2]}}]}"#;
/// assert_eq!(zone_labels(text), vec![("A".to_owned(), 121.5, 31.2)]);
/// ```
pub fn zone_labels(text: &str) -> Vec<ZoneLabel> {
    // Read as a `Value`, as the GeoJSON importer does: the worker links no second decoder.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Ok(root) = serde_json::from_str::<Value>(text) else {
        return Vec::new();
    };
    let Some(features) = root.get("features").and_then(Value::as_array) else {
        return Vec::new();
    };
    features
        .iter()
        .filter_map(|f| {
            let name = f
                .get("properties")?
                .get("name")?
                .as_str()
                .filter(|t| !t.trim().is_empty())?
                .to_owned();
            let g = f.get("geometry")?;
            let coordinates = g.get("coordinates")?;
            let p = match g.get("type")?.as_str()? {
                "Point" => position(coordinates)?,
                "Polygon" => interior_point(&[rings(coordinates)?])?,
                "MultiPolygon" => interior_point(
                    &coordinates
                        .as_array()?
                        .iter()
                        .filter_map(rings)
                        .collect::<Vec<_>>(),
                )?,
                _ => return None,
            };
            Some((name, p.0, p.1))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Centroid, Contains};

    fn geo_polygon(rings: &Rings) -> geo::Polygon<f64> {
        let mut it = rings.iter().map(|r| geo::LineString::from(r.clone()));
        let outer = it.next().unwrap();
        geo::Polygon::new(outer, it.collect())
    }

    /// The oracle: `geo`'s point-in-polygon test (strictly inside, not on an edge).
    fn inside(polygons: &[Rings], p: (f64, f64)) -> bool {
        polygons
            .iter()
            .any(|r| geo_polygon(r).contains(&geo::Point::new(p.0, p.1)))
    }

    fn feature_collection(kind: &str, coordinates: &str) -> String {
        format!(
            r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{"name":"Z"}},"geometry":{{"type":"{kind}","coordinates":{coordinates}}}}}]}}"#
        )
    }

    #[test]
    fn the_point_of_a_u_shaped_area_is_inside_it_where_its_centroid_is_not() {
        // A U open to the north: its centroid falls in the notch, outside the area.
        let u: Rings = vec![vec![
            (0.0, 0.0),
            (3.0, 0.0),
            (3.0, 3.0),
            (2.0, 3.0),
            (2.0, 1.0),
            (1.0, 1.0),
            (1.0, 3.0),
            (0.0, 3.0),
            (0.0, 0.0),
        ]];
        let centroid = geo_polygon(&u).centroid().unwrap();
        assert!(
            !geo_polygon(&u).contains(&centroid),
            "the centroid is outside"
        );
        let text = feature_collection("Polygon", &serde_json::to_string(&u).unwrap());
        let got = zone_labels(&text);
        assert_eq!(got.len(), 1);
        assert!(inside(&[u], (got[0].1, got[0].2)), "{got:?}");
    }

    #[test]
    fn a_hole_in_the_middle_is_avoided_and_open_rings_are_closed() {
        // A square with a square hole around its centre; the outer ring is not closed.
        let ring: Rings = vec![
            vec![(0.0, 0.0), (4.0, 0.0), (4.0, 4.0), (0.0, 4.0)],
            vec![(1.0, 1.0), (3.0, 1.0), (3.0, 3.0), (1.0, 3.0), (1.0, 1.0)],
        ];
        let p = interior_point(std::slice::from_ref(&ring)).unwrap();
        assert!(inside(&[ring], p), "{p:?}");
    }

    #[test]
    fn star_shaped_polygons_and_multipolygons_get_a_point_inside() {
        // Deterministic star polygons (radii from a linear congruential sequence), some with the
        // centre cut out by a hole; each answer checked by geo's point-in-polygon test.
        let mut seed = 0x2545_f491_u64;
        let mut next = move || {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            (seed >> 33) as f64 / f64::from(1u32 << 31)
        };
        for case in 0..300 {
            let n = 3 + case % 17;
            let (cx, cy) = (116.0 + next(), 39.0 + next());
            let outer: Vec<(f64, f64)> = (0..n)
                .map(|i| {
                    let a = std::f64::consts::TAU * f64::from(i) / f64::from(n);
                    let r = 0.002 + 0.01 * next();
                    (cx + r * a.cos(), cy + r * a.sin())
                })
                .collect();
            let mut polygon = vec![outer];
            if case % 3 == 0 {
                let h = 0.0009;
                polygon.push(vec![
                    (cx - h, cy - h),
                    (cx + h, cy - h),
                    (cx + h, cy + h),
                    (cx - h, cy + h),
                ]);
            }
            let many = vec![
                polygon.clone(),
                vec![vec![(0.0, 0.0), (0.1, 0.0), (0.0, 0.1)]],
            ];
            let p = interior_point(std::slice::from_ref(&polygon)).unwrap();
            assert!(
                inside(std::slice::from_ref(&polygon), p),
                "case {case}: {p:?}"
            );
            let text = feature_collection("MultiPolygon", &serde_json::to_string(&many).unwrap());
            let got = zone_labels(&text);
            assert!(inside(&many, (got[0].1, got[0].2)), "case {case}: {got:?}");
        }
    }

    #[test]
    fn unnamed_features_lines_flat_areas_and_bad_text_give_no_label() {
        let text = r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{"name":" "},"geometry":{"type":"Point","coordinates":[1,2]}},
            {"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[1,2]}},
            {"type":"Feature","properties":{"name":"L"},"geometry":{"type":"LineString","coordinates":[[1,2],[3,4]]}},
            {"type":"Feature","properties":{"name":"F"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,1],[2,2],[0,0]]]}},
            {"type":"Feature","properties":{"name":"P"},"geometry":{"type":"Point","coordinates":[5,6]}}
        ]}"#;
        assert_eq!(zone_labels(text), vec![("P".to_owned(), 5.0, 6.0)]);
        assert!(zone_labels("not json").is_empty());
    }
}
