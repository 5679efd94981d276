//! Grid clustering of points for the map: at a zoom level, points that fall in the same square
//! cell of `cell_px` screen pixels (in Web Mercator pixel space, 256-pixel tiles) become one
//! cluster at their mean position.
//!
//! Cells nest across zoom levels (a cell at zoom `z + 1` lies inside exactly one cell at zoom
//! `z`), so zooming in only ever splits clusters. The output is sorted by cell and members keep
//! input order, so the result does not depend on hashing or on anything but the input.
//!
//! Cost: O(n log k) for n points in view and k occupied cells.

use std::collections::BTreeMap;

/// Web Mercator pixel coordinates of a WGS-84 point at `zoom` (256-pixel tiles; y grows south).
///
/// ```
/// let (x, y) = shuangquan::plan::cluster::world_px(0.0, 0.0, 0.0);
/// assert!((x - 128.0).abs() < 1e-9 && (y - 128.0).abs() < 1e-9);
/// ```
pub fn world_px(lon: f64, lat: f64, zoom: f64) -> (f64, f64) {
    let scale = 256.0 * 2f64.powf(zoom);
    let lat = lat.clamp(-85.051_128_78, 85.051_128_78).to_radians();
    let x = (lon + 180.0) / 360.0 * scale;
    let y = (1.0 - (lat.tan() + 1.0 / lat.cos()).ln() / std::f64::consts::PI) / 2.0 * scale;
    (x, y)
}

/// A WGS-84 bounding box (west, south, east, north), inclusive.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BboxWgs84 {
    /// Western longitude.
    pub west: f64,
    /// Southern latitude.
    pub south: f64,
    /// Eastern longitude.
    pub east: f64,
    /// Northern latitude.
    pub north: f64,
}

impl BboxWgs84 {
    /// Whether the point lies inside (edges included).
    pub fn contains(&self, lon: f64, lat: f64) -> bool {
        lon >= self.west && lon <= self.east && lat >= self.south && lat <= self.north
    }
}

/// One cluster: the mean position of its members and their indices into the input.
#[derive(Debug, Clone, PartialEq)]
pub struct Cluster {
    /// Mean longitude of the members.
    pub lon: f64,
    /// Mean latitude of the members.
    pub lat: f64,
    /// Indices of the members in the input slice, ascending.
    pub members: Vec<u32>,
}

impl Cluster {
    /// Number of points in the cluster.
    pub fn count(&self) -> usize {
        self.members.len()
    }
}

/// Clusters the points (lon, lat) inside `bbox` (all points when `None`) on a grid of `cell_px`
/// pixels at `zoom`. Points outside the box are left out; every point inside is in exactly one
/// cluster.
///
/// ```
/// use shuangquan::plan::cluster::grid_cluster;
/// let pts = [(121.470, 31.230), (121.4701, 31.2301), (121.50, 31.25)];
/// let c = grid_cluster(&pts, None, 12.0, 60.0);
/// assert_eq!(c.iter().map(|c| c.count()).sum::<usize>(), 3);
/// assert_eq!(c.len(), 2);
/// ```
pub fn grid_cluster(
    points: &[(f64, f64)],
    bbox: Option<BboxWgs84>,
    zoom: f64,
    cell_px: f64,
) -> Vec<Cluster> {
    let cell = if cell_px.is_finite() && cell_px > 0.0 {
        cell_px
    } else {
        1.0
    };
    let mut cells: BTreeMap<(i64, i64), (f64, f64, Vec<u32>)> = BTreeMap::new();
    for (i, &(lon, lat)) in points.iter().enumerate() {
        if !lon.is_finite() || !lat.is_finite() || bbox.is_some_and(|b| !b.contains(lon, lat)) {
            continue;
        }
        let (x, y) = world_px(lon, lat, zoom);
        let key = ((x / cell).floor() as i64, (y / cell).floor() as i64);
        let e = cells.entry(key).or_insert((0.0, 0.0, Vec::new()));
        e.0 += lon;
        e.1 += lat;
        e.2.push(i as u32);
    }
    cells
        .into_values()
        .map(|(sx, sy, members)| {
            let k = members.len() as f64;
            Cluster {
                lon: sx / k,
                lat: sy / k,
                members,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fixed pseudo-random cloud over central Shanghai (xorshift, seed fixed).
    fn cloud(n: usize, seed: u64) -> Vec<(f64, f64)> {
        let mut s = seed;
        let mut next = || {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            (s >> 11) as f64 / (1u64 << 53) as f64
        };
        (0..n)
            .map(|_| (121.40 + 0.15 * next(), 31.18 + 0.10 * next()))
            .collect()
    }

    #[test]
    fn counts_are_conserved_and_every_point_is_in_one_cluster() {
        let pts = cloud(5000, 7);
        for z in [10.0, 12.0, 14.0, 16.0, 18.0] {
            let c = grid_cluster(&pts, None, z, 60.0);
            let mut seen: Vec<u32> = c.iter().flat_map(|c| c.members.clone()).collect();
            assert_eq!(seen.len(), pts.len(), "zoom {z}");
            seen.sort_unstable();
            seen.dedup();
            assert_eq!(seen.len(), pts.len(), "no point twice at zoom {z}");
        }
    }

    #[test]
    fn deterministic_and_independent_of_input_order_up_to_indices() {
        let pts = cloud(2000, 11);
        let a = grid_cluster(&pts, None, 13.0, 50.0);
        let b = grid_cluster(&pts, None, 13.0, 50.0);
        assert_eq!(a, b);
        let mut rev = pts.clone();
        rev.reverse();
        let c = grid_cluster(&rev, None, 13.0, 50.0);
        let counts = |v: &[Cluster]| v.iter().map(Cluster::count).collect::<Vec<_>>();
        assert_eq!(counts(&a), counts(&c), "same cells, same sizes");
    }

    #[test]
    fn cells_nest_across_zooms_and_more_zoom_means_more_clusters() {
        let pts = cloud(3000, 3);
        let mut prev = 0;
        for z in 8..=19 {
            let z = f64::from(z);
            let coarse = grid_cluster(&pts, None, z, 64.0);
            let fine = grid_cluster(&pts, None, z + 1.0, 64.0);
            assert!(fine.len() >= coarse.len(), "zoom {z}");
            assert!(coarse.len() >= prev);
            prev = coarse.len();
            // Each fine cluster lies inside one coarse cluster.
            let mut owner = vec![usize::MAX; pts.len()];
            for (k, c) in coarse.iter().enumerate() {
                for &m in &c.members {
                    owner[m as usize] = k;
                }
            }
            for f in &fine {
                let o = owner[f.members[0] as usize];
                assert!(
                    f.members.iter().all(|&m| owner[m as usize] == o),
                    "zoom {z}"
                );
            }
        }
        // At a very high zoom distinct points are single.
        let c = grid_cluster(&pts, None, 24.0, 64.0);
        assert_eq!(c.len(), pts.len());
    }

    #[test]
    fn bbox_filters_and_centres_are_means() {
        let pts = [(0.0, 0.0), (0.001, 0.001), (10.0, 10.0), (f64::NAN, 1.0)];
        let b = BboxWgs84 {
            west: -1.0,
            south: -1.0,
            east: 1.0,
            north: 1.0,
        };
        let c = grid_cluster(&pts, Some(b), 3.0, 60.0);
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].members, vec![0, 1]);
        assert!((c[0].lon - 0.0005).abs() < 1e-12 && (c[0].lat - 0.0005).abs() < 1e-12);
        assert!(grid_cluster(&[], None, 3.0, 60.0).is_empty());
    }

    #[test]
    fn world_px_doubles_per_zoom() {
        let (x1, y1) = world_px(121.47, 31.23, 14.0);
        let (x2, y2) = world_px(121.47, 31.23, 15.0);
        assert!((x2 - 2.0 * x1).abs() < 1e-6 && (y2 - 2.0 * y1).abs() < 1e-6);
        // North is up: a larger latitude has a smaller y.
        assert!(world_px(121.47, 31.30, 14.0).1 < y1);
    }
}
