//! The point index and the cut of one point tile: points counted per grid cell of
//! [`CELL_PX`] pixels at the tile's zoom (cells aligned on the world, so a cluster is the same
//! in every tile that shows it, in the manner of supercluster's grid), each cell drawn as its
//! points one by one when it holds at most [`SINGLES_MAX`], else as one disc at their mean
//! position with the count and the most frequent symbol. A layer sparse enough at a zoom (no
//! tile over [`SINGLES_PER_TILE`] points) is drawn point by point at that zoom and deeper, and
//! every layer is from [`SINGLES_ZOOM`]: the choice is per layer and zoom, never per tile, so
//! neighbouring tiles agree.
//!
//! A tile holds the cells inside it (`own`) and the ring of cells around it (drawn so that a
//! disc crossing the edge is not cut; counted by its own tile only), so the own counts of the
//! tiles of a zoom sum to the number of points.
//!
//! Cost: building O(n log n); a tile O(log n + k) for its k points.

use std::collections::BTreeMap;

use rstar::primitives::GeomWithData;
use rstar::{AABB, RTree};

use super::{TILE_PX, TileKey, quantise, world_of};

/// Side of a cluster cell, CSS pixels (divides a tile's 256).
pub const CELL_PX: f64 = 32.0;
/// A cell of at most this many points draws them one by one.
pub const SINGLES_MAX: u32 = 3;
/// From this zoom on every point is drawn on its own.
pub const SINGLES_ZOOM: u8 = 18;
/// A layer is drawn point by point from the first zoom at which no tile holds more than this.
pub const SINGLES_PER_TILE: usize = 400;

/// A point of a cell: its id and world position.
type Member = (u32, [f64; 2]);

/// The points of a layer, indexed for cutting tiles.
#[derive(Debug)]
pub struct PointIndex {
    tree: RTree<GeomWithData<[f64; 2], u32>>,
    /// Symbol of each point (an index the caller chooses: category, coverage class …).
    sym: Vec<u16>,
    /// From this zoom on, every point is drawn on its own.
    singles_from: u8,
}

/// One cut tile of points, in tile-local units.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PointTile {
    /// Positions, x and y interleaved (a point, or a cluster's mean).
    pub xy: Vec<i16>,
    /// Points at each position (1: a single point).
    pub count: Vec<u32>,
    /// The symbol of the point, or the most frequent one of the cluster.
    pub sym: Vec<u16>,
    /// A point of the entry (the point itself, or the cluster's first).
    pub first: Vec<u32>,
    /// Whether the entry's cell is inside this tile (false: the ring around it).
    pub own: Vec<bool>,
    /// Classes counted per cluster (0: none; see [`PointIndex::cut_classed`]).
    pub classes: u8,
    /// Per cluster (entry of count over 1, in entry order), its points per class: `classes`
    /// counts each.
    pub hist: Vec<u32>,
}

impl PointTile {
    /// Number of entries.
    #[must_use]
    pub fn len(&self) -> usize {
        self.count.len()
    }

    /// True when the tile holds nothing.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.count.is_empty()
    }

    /// Points counted by this tile (its own cells).
    #[must_use]
    pub fn own_points(&self) -> u64 {
        self.count
            .iter()
            .zip(&self.own)
            .filter(|&(_, &o)| o)
            .map(|(&c, _)| u64::from(c))
            .sum()
    }
}

impl PointIndex {
    /// Indexes `(lon, lat, symbol)` points; a point keeps its position in this sequence as
    /// its id. Non-finite points are skipped.
    pub fn build(points: impl IntoIterator<Item = (f64, f64, u16)>) -> Self {
        let mut sym = Vec::new();
        let mut items = Vec::new();
        for (lon, lat, s) in points {
            if let (true, Ok(id)) = (lon.is_finite() && lat.is_finite(), u32::try_from(sym.len())) {
                items.push(GeomWithData::new(world_of(lon, lat), id));
            }
            sym.push(s);
        }
        let world: Vec<[f64; 2]> = items.iter().map(|g| *g.geom()).collect();
        let singles_from = singles_from(&world);
        Self {
            tree: RTree::bulk_load(items),
            sym,
            singles_from,
        }
    }

    /// The zoom from which every point is drawn on its own.
    #[must_use]
    pub fn singles_from(&self) -> u8 {
        self.singles_from
    }

    /// Number of points given.
    #[must_use]
    pub fn len(&self) -> usize {
        self.sym.len()
    }

    /// True when no point was given.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.sym.is_empty()
    }

    /// Bytes held.
    #[must_use]
    pub fn heap_bytes(&self) -> usize {
        self.sym.capacity() * 2
            + self.tree.size() * std::mem::size_of::<GeomWithData<[f64; 2], u32>>()
    }

    /// The tile `key` with the ring of cells around it.
    #[must_use]
    pub fn cut(&self, key: TileKey) -> PointTile {
        self.cut_classed(key, &|id| self.sym_of(id), 0)
    }

    /// The tile `key` with each point's symbol given by `class_of(id)` (a class below
    /// `classes`, e.g. a demand point's coverage class), each cluster carrying its points per
    /// class ([`PointTile::hist`]) and the most frequent as its symbol. `classes` 0: no
    /// counts per class.
    #[must_use]
    pub fn cut_classed(
        &self,
        key: TileKey,
        class_of: &dyn Fn(u32) -> u16,
        classes: u8,
    ) -> PointTile {
        let cell = CELL_PX * key.side() / TILE_PX;
        let w = key.world_box();
        let found = AABB::from_corners([w[0] - cell, w[1] - cell], [w[2] + cell, w[3] + cell]);
        // Cell (column, row) at this zoom → its points.
        let mut cells: BTreeMap<(i64, i64), Vec<Member>> = BTreeMap::new();
        for g in self.tree.locate_in_envelope(&found) {
            let p = *g.geom();
            let c = ((p[0] / cell).floor() as i64, (p[1] / cell).floor() as i64);
            cells.entry(c).or_default().push((g.data, p));
        }
        let per_tile = (TILE_PX / CELL_PX) as i64;
        let (cx0, cy0) = (i64::from(key.x) * per_tile, i64::from(key.y) * per_tile);
        let mut tile = PointTile {
            classes,
            ..PointTile::default()
        };
        for ((cx, cy), mut pts) in cells {
            let own = (cx0..cx0 + per_tile).contains(&cx) && (cy0..cy0 + per_tile).contains(&cy);
            crate::plan::sort::by_key(&mut pts, |&(id, _)| id);
            let n = u32::try_from(pts.len()).unwrap_or(u32::MAX);
            let mut push = |p: [f64; 2], count: u32, sym: u16, first: u32| {
                let l = key.local(p);
                tile.xy.push(quantise(l[0]));
                tile.xy.push(quantise(l[1]));
                tile.count.push(count);
                tile.sym.push(sym);
                tile.first.push(first);
                tile.own.push(own);
            };
            if n <= SINGLES_MAX || key.z >= self.singles_from {
                for (id, p) in pts {
                    push(p, 1, class_of(id), id);
                }
            } else {
                let mean = pts
                    .iter()
                    .fold([0.0, 0.0], |a, (_, p)| [a[0] + p[0], a[1] + p[1]]);
                let mean = [mean[0] / f64::from(n), mean[1] / f64::from(n)];
                let mut freq: BTreeMap<u16, u32> = BTreeMap::new();
                for (id, _) in &pts {
                    *freq.entry(class_of(*id)).or_default() += 1;
                }
                // Most frequent, the lowest symbol among equals.
                let sym = freq
                    .iter()
                    .max_by_key(|&(s, c)| (*c, std::cmp::Reverse(*s)))
                    .map_or(0, |(s, _)| *s);
                push(mean, n, sym, pts[0].0);
                if classes > 0 {
                    let at = tile.hist.len();
                    tile.hist.resize(at + usize::from(classes), 0);
                    for (&s, &c) in &freq {
                        if let Some(h) = tile.hist.get_mut(at + usize::from(s)) {
                            *h += c;
                        }
                    }
                }
            }
        }
        tile
    }

    fn sym_of(&self, id: u32) -> u16 {
        self.sym.get(id as usize).copied().unwrap_or(0)
    }
}

/// The first zoom at which no tile holds more than [`SINGLES_PER_TILE`] of `points` (world
/// units), at most [`SINGLES_ZOOM`]. Tiles only split as the zoom grows, so the most crowded
/// tile never gains points: a binary search over the zooms, O(n log n) per step.
fn singles_from(points: &[[f64; 2]]) -> u8 {
    let crowded = |z: u8| {
        let side = TILE_PX / f64::from(1u32 << z);
        let mut per: std::collections::HashMap<(u32, u32), usize> =
            std::collections::HashMap::new();
        points.iter().any(|p| {
            let n = per
                .entry(((p[0] / side) as u32, (p[1] / side) as u32))
                .or_default();
            *n += 1;
            *n > SINGLES_PER_TILE
        })
    };
    let (mut lo, mut hi) = (0u8, SINGLES_ZOOM);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if crowded(mid) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(n: usize) -> Vec<(f64, f64, u16)> {
        let mut seed = 9u64;
        let mut rand = || {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            (seed >> 11) as f64 / (1u64 << 53) as f64
        };
        (0..n)
            .map(|k| {
                // Half the points in a dense knot, half spread.
                let spread = if k % 2 == 0 { 0.002 } else { 0.2 };
                (
                    120.35 + rand() * spread,
                    36.07 + rand() * spread,
                    (k % 5) as u16,
                )
            })
            .collect()
    }

    /// The tiles of zoom `z` holding some of `pts`.
    fn keys_of(pts: &[(f64, f64, u16)], z: u8) -> std::collections::BTreeSet<TileKey> {
        let s = TILE_PX / f64::from(1u32 << z);
        pts.iter()
            .map(|&(lon, lat, _)| {
                let w = world_of(lon, lat);
                TileKey::new(z, (w[0] / s) as u32, (w[1] / s) as u32).expect("in the world")
            })
            .collect()
    }

    #[test]
    fn own_counts_of_a_zooms_tiles_sum_to_the_points_and_rings_repeat_neighbours() {
        let pts = fixture(5000);
        let idx = PointIndex::build(pts.clone());
        for z in [8u8, 11, 13, 15, 18] {
            let keys = keys_of(&pts, z);
            let tiles: Vec<PointTile> = keys.iter().map(|&k| idx.cut(k)).collect();
            let total: u64 = tiles.iter().map(PointTile::own_points).sum();
            assert_eq!(total, pts.len() as u64, "zoom {z}");
            // Every point is some entry's first, or inside a cluster of more than SINGLES_MAX.
            let singles: u64 = tiles
                .iter()
                .flat_map(|t| t.count.iter().zip(&t.own))
                .filter(|&(&c, &o)| o && c == 1)
                .count() as u64;
            let clustered: u64 = tiles
                .iter()
                .flat_map(|t| t.count.iter().zip(&t.own))
                .filter(|&(&c, &o)| o && c > 1)
                .map(|(&c, _)| u64::from(c))
                .sum();
            assert_eq!(singles + clustered, pts.len() as u64, "zoom {z}");
        }
        // The dense knot is one cluster at a city zoom and single points deep in.
        let w = world_of(120.351, 36.071);
        let at = |z: u8| {
            let s = TILE_PX / f64::from(1u32 << z);
            idx.cut(TileKey::new(z, (w[0] / s) as u32, (w[1] / s) as u32).expect("in the world"))
        };
        assert!(at(10).count.iter().any(|&c| c > 1000));
        assert!(at(SINGLES_ZOOM).count.iter().all(|&c| c == 1));
        assert!(at(SINGLES_ZOOM - 1).count.iter().any(|&c| c > SINGLES_MAX));
    }

    #[test]
    fn a_sparse_layer_is_drawn_point_by_point_at_every_zoom_and_a_crowded_one_from_where_tiles_thin_out()
     {
        let sparse = PointIndex::build(fixture(300));
        assert_eq!(sparse.singles_from(), 0);
        let w = world_of(120.351, 36.071);
        let t = sparse.cut(
            TileKey::new(3, (w[0] / 32.0) as u32, (w[1] / 32.0) as u32).expect("in the world"),
        );
        assert!(t.count.iter().all(|&c| c == 1));
        // The crowded layer: brute force over zooms as the oracle.
        let pts = fixture(5000);
        let crowded = PointIndex::build(pts.clone());
        let most = |z: u8| {
            let side = TILE_PX / f64::from(1u32 << z);
            let mut per = std::collections::BTreeMap::<(u32, u32), usize>::new();
            for &(lon, lat, _) in &pts {
                let w = world_of(lon, lat);
                *per.entry(((w[0] / side) as u32, (w[1] / side) as u32))
                    .or_default() += 1;
            }
            per.values().copied().max().unwrap_or(0)
        };
        let first = (0..=SINGLES_ZOOM)
            .find(|&z| most(z) <= SINGLES_PER_TILE)
            .unwrap_or(SINGLES_ZOOM);
        assert_eq!(crowded.singles_from(), first);
        assert!(first > 10);
    }

    #[test]
    fn classed_clusters_count_every_point_in_its_class_and_singles_carry_theirs() {
        let pts = fixture(5000);
        let idx = PointIndex::build(pts.clone());
        // A class from the id, independent of the symbol the index was built with.
        let class = |id: u32| ((id * 7) % 4) as u16;
        for z in [9u8, 12, 14] {
            let keys = keys_of(&pts, z);
            // Oracle: points per class over the whole layer.
            let mut want = [0u64; 4];
            for id in 0..pts.len() as u32 {
                want[usize::from(class(id))] += 1;
            }
            let mut got = [0u64; 4];
            for k in keys {
                let t = idx.cut_classed(k, &class, 4);
                let mut h = t.hist.chunks_exact(4);
                for i in 0..t.len() {
                    let counts: Vec<u32> = if t.count[i] > 1 {
                        h.next().expect("a count per class per cluster").to_vec()
                    } else {
                        assert_eq!(t.sym[i], class(t.first[i]));
                        let mut one = vec![0; 4];
                        one[usize::from(t.sym[i])] = 1;
                        one
                    };
                    assert_eq!(counts.iter().sum::<u32>(), t.count[i]);
                    let top = counts.iter().max().copied().unwrap_or(0);
                    assert_eq!(
                        counts[usize::from(t.sym[i])],
                        top,
                        "the symbol is the most frequent"
                    );
                    if t.own[i] {
                        for (g, c) in got.iter_mut().zip(&counts) {
                            *g += u64::from(*c);
                        }
                    }
                }
                assert!(h.next().is_none());
            }
            assert_eq!(got, want, "zoom {z}");
        }
    }

    #[test]
    fn a_cluster_takes_its_most_frequent_symbol() {
        // More than a tile's worth at one spot, 70 % of symbol 4.
        let pts: Vec<(f64, f64, u16)> = (0..1000)
            .map(|k| {
                (
                    120.0 + f64::from(k) * 1e-8,
                    36.0,
                    if k % 10 < 7 { 4 } else { 1 },
                )
            })
            .collect();
        let idx = PointIndex::build(pts);
        let w = world_of(120.0, 36.0);
        let s = TILE_PX / 1024.0;
        let t =
            idx.cut(TileKey::new(10, (w[0] / s) as u32, (w[1] / s) as u32).expect("in the world"));
        assert_eq!((t.count.clone(), t.sym.clone()), (vec![1000], vec![4]));
    }
}
