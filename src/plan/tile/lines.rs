//! The street index and the cut of one line tile.
//!
//! Built once from the lines of a layer (`(class, vertices)`, classes 0 = major roads … 5 =
//! paths, as [`crate::plan::labels::highway_rank`]): every vertex in world units, its
//! Douglas–Peucker importance ([`super::simplify`]), and an R-tree of the lines' boxes. A tile
//! at zoom `z` then takes the lines whose box meets the tile and its buffer, keeps the vertices
//! whose importance exceeds [`TOLERANCE_PX`] at that zoom (all of them from
//! [`FULL_DETAIL_ZOOM`]), clips them to the buffered tile ([`super::clip`]) and rounds them to
//! tile-local units. Classes are taken from the major roads down while the tile's vertices stay
//! within the budget; the classes left out are counted in the tile (the map says so).
//!
//! Cost: building O(v log v) for v vertices; a tile O(log w + k) to find its k lines, then
//! linear in their vertices.

use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree};

use super::clip::clip_line;
use super::simplify::importance;
use super::{BUFFER, TileKey, quantise, world_of};

/// Simplification tolerance, CSS pixels at the tile's zoom.
pub const TOLERANCE_PX: f64 = 0.5;
/// From this zoom on every vertex is kept.
pub const FULL_DETAIL_ZOOM: u8 = 17;
/// Number of line classes.
pub const CLASSES: usize = 6;
/// Most vertices in one tile before minor classes are left out of it.
pub const TILE_VERTEX_BUDGET: usize = 40_000;

/// The lines of a layer, indexed for cutting tiles.
#[derive(Debug)]
pub struct LineIndex {
    /// Vertices, world units.
    xy: Vec<[f64; 2]>,
    /// Importance of each vertex (squared world units).
    imp: Vec<f32>,
    /// Line i is `xy[starts[i]..starts[i + 1]]`.
    starts: Vec<u32>,
    /// Class of each line.
    class: Vec<u8>,
    tree: RTree<GeomWithData<Rectangle<[f64; 2]>, u32>>,
}

/// One cut tile of lines, in tile-local units (see [`super::EXTENT`]), minor classes first.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LineTile {
    /// Class of each piece.
    pub class: Vec<u8>,
    /// The line each piece belongs to (position in the index's input).
    pub ids: Vec<u32>,
    /// Piece i is `xy[2 * starts[i] .. 2 * starts[i + 1]]` (x, y interleaved).
    pub starts: Vec<u32>,
    /// Coordinates, x and y interleaved.
    pub xy: Vec<i16>,
    /// Classes drawn: 0 … `classes_shown - 1`.
    pub classes_shown: u8,
    /// Lines of this tile left out with the classes not drawn.
    pub left_out: u32,
}

impl LineTile {
    /// Number of pieces.
    #[must_use]
    pub fn len(&self) -> usize {
        self.class.len()
    }

    /// True when the tile holds no line.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.class.is_empty()
    }

    /// The coordinates of piece `i` (x, y interleaved).
    #[must_use]
    pub fn piece(&self, i: usize) -> &[i16] {
        let a = self.starts.get(i).map_or(0, |&s| s as usize * 2);
        let b = self.starts.get(i + 1).map_or(a, |&s| s as usize * 2);
        self.xy.get(a..b).unwrap_or(&[])
    }
}

impl LineIndex {
    /// Indexes `lines`: `(class, WGS-84 (lon, lat) vertices)`; a line keeps its position in
    /// this sequence as its id. Non-finite vertices are skipped; a line of fewer than two
    /// vertices keeps its id and is never drawn.
    pub fn build<I, L>(lines: I) -> Self
    where
        I: IntoIterator<Item = (u8, L)>,
        L: IntoIterator<Item = [f64; 2]>,
    {
        let mut xy = Vec::new();
        let mut imp = Vec::new();
        let mut starts = vec![0u32];
        let mut class = Vec::new();
        let mut boxes = Vec::new();
        for (id, (c, line)) in lines.into_iter().enumerate() {
            let from = xy.len();
            xy.extend(
                line.into_iter()
                    .filter(|p| p[0].is_finite() && p[1].is_finite())
                    .map(|p| world_of(p[0], p[1])),
            );
            if xy.len() - from < 2 {
                xy.truncate(from);
            } else {
                imp.extend(importance(&xy[from..]));
                let (mut lo, mut hi) = ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]);
                for p in &xy[from..] {
                    lo = [lo[0].min(p[0]), lo[1].min(p[1])];
                    hi = [hi[0].max(p[0]), hi[1].max(p[1])];
                }
                if let Ok(id) = u32::try_from(id) {
                    boxes.push(GeomWithData::new(Rectangle::from_corners(lo, hi), id));
                }
            }
            starts.push(u32::try_from(xy.len()).unwrap_or(u32::MAX));
            class.push(c.min(CLASSES as u8 - 1));
        }
        Self {
            xy,
            imp,
            starts,
            class,
            tree: RTree::bulk_load(boxes),
        }
    }

    /// Number of lines given to [`LineIndex::build`].
    #[must_use]
    pub fn len(&self) -> usize {
        self.class.len()
    }

    /// True when no line was given.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.class.is_empty()
    }

    /// Bytes held (vertices, importances, offsets, classes, the tree's entries).
    #[must_use]
    pub fn heap_bytes(&self) -> usize {
        self.xy.capacity() * 16
            + self.imp.capacity() * 4
            + self.starts.capacity() * 4
            + self.class.capacity()
            + self.tree.size() * std::mem::size_of::<GeomWithData<Rectangle<[f64; 2]>, u32>>()
    }

    fn line(&self, id: usize) -> (&[[f64; 2]], &[f32]) {
        let a = self.starts.get(id).map_or(0, |&s| s as usize);
        let b = self.starts.get(id + 1).map_or(a, |&s| s as usize);
        (&self.xy[a..b], &self.imp[a..b])
    }

    /// The tile `key`: lines simplified for its zoom, clipped to it and its buffer, the minor
    /// classes left out when the tile would hold more than `budget` vertices (the major roads
    /// always drawn).
    #[must_use]
    pub fn cut(&self, key: TileKey, budget: usize) -> LineTile {
        let b = key.buffered_box(BUFFER);
        let found = AABB::from_corners([b[0], b[1]], [b[2], b[3]]);
        let mut ids: Vec<u32> = self
            .tree
            .locate_in_envelope_intersecting(&found)
            .map(|g| g.data)
            .collect();
        ids.sort_unstable();
        let tol2 = if key.z >= FULL_DETAIL_ZOOM {
            -1.0
        } else {
            let t = TOLERANCE_PX * key.side() / super::TILE_PX;
            (t * t) as f32
        };
        // Simplified lines, and their vertices per class.
        let mut kept: Vec<(u32, Vec<[f64; 2]>)> = Vec::with_capacity(ids.len());
        let mut per_class = [0usize; CLASSES];
        for &id in &ids {
            let (xy, imp) = self.line(id as usize);
            let simple: Vec<[f64; 2]> = xy
                .iter()
                .zip(imp)
                .filter(|&(_, &i)| i > tol2)
                .map(|(p, _)| *p)
                .collect();
            per_class[usize::from(self.class[id as usize])] += simple.len();
            kept.push((id, simple));
        }
        let mut shown = 1;
        let mut total = per_class[0];
        while shown < CLASSES && total + per_class[shown] <= budget {
            total += per_class[shown];
            shown += 1;
        }
        let mut tile = LineTile {
            starts: vec![0],
            classes_shown: shown as u8,
            ..LineTile::default()
        };
        kept.sort_by_key(|(id, _)| (std::cmp::Reverse(self.class[*id as usize]), *id));
        for (id, simple) in kept {
            let c = self.class[id as usize];
            if usize::from(c) >= shown {
                tile.left_out += 1;
                continue;
            }
            for piece in clip_line(&simple, b) {
                let from = tile.xy.len();
                let mut last: Option<(i16, i16)> = None;
                for p in piece {
                    let l = key.local(p);
                    let q = (quantise(l[0]), quantise(l[1]));
                    if last != Some(q) {
                        tile.xy.push(q.0);
                        tile.xy.push(q.1);
                        last = Some(q);
                    }
                }
                if tile.xy.len() - from < 4 {
                    // A piece shorter than a tile unit: one dot where it is.
                    if tile.xy.len() - from == 2 {
                        let (x, y) = (tile.xy[from], tile.xy[from + 1]);
                        tile.xy.push(x);
                        tile.xy.push(y);
                    } else {
                        tile.xy.truncate(from);
                        continue;
                    }
                }
                tile.class.push(c);
                tile.ids.push(id);
                tile.starts
                    .push(u32::try_from(tile.xy.len() / 2).unwrap_or(u32::MAX));
            }
        }
        tile
    }
}

#[cfg(test)]
mod tests {
    use super::super::{EXTENT, TILE_PX};
    use super::*;

    /// Seeded lines around central Qingdao (a fixture, not a place): (class, lon/lat vertices).
    fn fixture(n: usize) -> Vec<(u8, Vec<[f64; 2]>)> {
        let mut seed = 3u64;
        let mut rand = || {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            (seed >> 11) as f64 / (1u64 << 53) as f64
        };
        (0..n)
            .map(|k| {
                let (mut lon, mut lat) = (120.3 + rand() * 0.2, 36.05 + rand() * 0.15);
                let m = 2 + (rand() * 8.0) as usize;
                let line = (0..m)
                    .map(|_| {
                        lon += (rand() - 0.5) * 0.004;
                        lat += (rand() - 0.5) * 0.004;
                        [lon, lat]
                    })
                    .collect();
                ((k % CLASSES) as u8, line)
            })
            .collect()
    }

    fn tiles_over(idx: &LineIndex, z: u8) -> Vec<TileKey> {
        let (mut lo, mut hi) = ([u32::MAX; 2], [0u32; 2]);
        for p in &idx.xy {
            let s = TILE_PX / f64::from(1u32 << z);
            let (tx, ty) = ((p[0] / s) as u32, (p[1] / s) as u32);
            lo = [lo[0].min(tx), lo[1].min(ty)];
            hi = [hi[0].max(tx), hi[1].max(ty)];
        }
        (lo[0]..=hi[0])
            .flat_map(|x| (lo[1]..=hi[1]).filter_map(move |y| TileKey::new(z, x, y)))
            .collect()
    }

    #[test]
    fn at_full_detail_every_vertex_lies_in_some_tile_with_its_line() {
        let lines = fixture(300);
        let idx = LineIndex::build(lines.clone());
        let z = FULL_DETAIL_ZOOM;
        let tiles: Vec<(TileKey, LineTile)> = tiles_over(&idx, z)
            .into_iter()
            .map(|k| (k, idx.cut(k, usize::MAX)))
            .collect();
        for (id, (_, line)) in lines.iter().enumerate() {
            for p in line {
                let w = world_of(p[0], p[1]);
                let found = tiles.iter().any(|(k, t)| {
                    let l = k.local(w);
                    (0..t.len()).filter(|&i| t.ids[i] as usize == id).any(|i| {
                        t.piece(i).chunks_exact(2).any(|q| {
                            (f64::from(q[0]) - l[0]).abs() <= 0.5
                                && (f64::from(q[1]) - l[1]).abs() <= 0.5
                        })
                    })
                });
                assert!(found, "vertex {p:?} of line {id} is in no tile");
            }
        }
        // Every coordinate stays within the buffer.
        for (_, t) in &tiles {
            assert!(
                t.xy.iter()
                    .all(|&v| f64::from(v) >= -BUFFER && f64::from(v) <= EXTENT + BUFFER)
            );
            assert_eq!(t.left_out, 0);
        }
    }

    #[test]
    fn lower_zooms_hold_fewer_vertices_and_a_budget_drops_minor_classes_counted() {
        let idx = LineIndex::build(fixture(2000));
        let count = |z: u8| -> usize {
            tiles_over(&idx, z)
                .into_iter()
                .map(|k| idx.cut(k, usize::MAX).xy.len())
                .sum()
        };
        let (z11, z17) = (count(11), count(17));
        assert!(z11 < z17, "{z11} vs {z17}");
        // A budget below the tile's vertices: majors kept, others counted as left out.
        let k = tiles_over(&idx, 9)[0];
        let full = idx.cut(k, usize::MAX);
        let cut = idx.cut(k, 10);
        assert_eq!(usize::from(full.classes_shown), CLASSES);
        assert!(cut.classes_shown >= 1 && usize::from(cut.classes_shown) < CLASSES);
        assert!(cut.class.iter().all(|&c| c < cut.classes_shown));
        let lines_full: std::collections::BTreeSet<u32> = full.ids.iter().copied().collect();
        let lines_cut: std::collections::BTreeSet<u32> = cut.ids.iter().copied().collect();
        assert!(lines_cut.is_subset(&lines_full));
        let gone = lines_full.difference(&lines_cut).count();
        assert!(
            gone > 0 && cut.left_out as usize >= gone,
            "{gone} lines gone, {} told",
            cut.left_out
        );
        assert!(
            lines_full
                .difference(&lines_cut)
                .all(|&id| idx.class[id as usize] >= cut.classes_shown)
        );
        // Minor classes first, the majors on top.
        assert!(full.class.windows(2).all(|w| w[0] >= w[1]));
    }
}
