//! The street index and the cut of one line tile.
//!
//! Built once from the lines of a layer (`(class, vertices)`, classes 0 = major roads … 5 =
//! paths, as [`crate::plan::labels::highway_rank`]), without a copy of their geometry: the
//! index keeps, per line, its class and its box in world units (`f32`, rounded outward), per
//! vertex the zoom from which its Douglas–Peucker importance ([`super::simplify`]) keeps it
//! (one byte: a vertex is kept at zoom `z` when its importance exceeds [`TOLERANCE_PX`] at `z`,
//! every vertex from [`FULL_DETAIL_ZOOM`]), and the lines listed in the cells of a grid of
//! zoom-[`INDEX_ZOOM`] tiles their box meets. A tile then takes the lines whose box meets the
//! tile and its buffer (a box too close to the tile's edge to tell in `f32` is measured on its
//! vertices: the same lines as an exact `f64` box), reads their vertices from the caller's
//! store (the engine's street table), keeps those of its zoom, clips them to the buffered tile
//! ([`super::clip`]) and rounds them to tile-local units. Classes are taken from the major
//! roads down while the tile's vertices stay within the budget; the classes left out are
//! counted in the tile (the map says so).
//!
//! Memory: ≈ 1 byte per vertex and ≈ 22 bytes per line (a city of 1.9 M vertices: ≈ 9 MB,
//! against 55 MB for a copy of its vertices in `f64` with an R-tree of `f64` boxes).
//! Cost: building O(v log v) for v vertices; a tile O(c + k) to find its k lines among the
//! grid's c cells, then linear in their vertices.

use super::clip::clip_line;
use super::simplify::importance;
use super::{BUFFER, TILE_PX, TileKey, quantise, world_of};

/// Simplification tolerance, CSS pixels at the tile's zoom.
pub const TOLERANCE_PX: f64 = 0.5;
/// From this zoom on every vertex is kept.
pub const FULL_DETAIL_ZOOM: u8 = 17;
/// Number of line classes.
pub const CLASSES: usize = 6;
/// Most vertices in one tile before minor classes are left out of it.
pub const TILE_VERTEX_BUDGET: usize = 40_000;
/// Zoom of the index's grid cells (≈ 2 km a side at 30° N).
pub const INDEX_ZOOM: u8 = 14;

/// The lines of a layer, indexed for cutting tiles (their vertices stay with the caller).
#[derive(Debug)]
pub struct LineIndex {
    /// Per kept vertex (finite coordinates): the lowest zoom that keeps it.
    from_zoom: Vec<u8>,
    /// Line i's vertices are `from_zoom[starts[i]..starts[i + 1]]`.
    starts: Vec<u32>,
    /// Class of each line.
    class: Vec<u8>,
    /// Box of each line drawn (at least two vertices), world units rounded outward:
    /// [min x, min y, max x, max y]; empty boxes for the others.
    boxes: Vec<[f32; 4]>,
    /// Grid cells (column, row at [`INDEX_ZOOM`]) holding lines, in order.
    cells: Vec<(u32, u32)>,
    /// Lines of cell k: `cell_lines[cell_start[k]..cell_start[k + 1]]`.
    cell_start: Vec<u32>,
    cell_lines: Vec<u32>,
}

/// The squared tolerance at zoom `z` (world units², as the importance), below
/// [`FULL_DETAIL_ZOOM`].
fn tolerance2(z: u8) -> f32 {
    let t = TOLERANCE_PX * (TILE_PX / f64::from(1u32 << z)) / TILE_PX;
    (t * t) as f32
}

/// The lowest zoom at which a vertex of importance `imp` is kept.
fn from_zoom(imp: f32) -> u8 {
    (0..FULL_DETAIL_ZOOM)
        .find(|&z| imp > tolerance2(z))
        .unwrap_or(FULL_DETAIL_ZOOM)
}

/// `v` as `f32`, rounded down (`up` false) or up.
fn outward(v: f64, up: bool) -> f32 {
    let f = v as f32;
    if up && f64::from(f) < v {
        f.next_up()
    } else if !up && f64::from(f) > v {
        f.next_down()
    } else {
        f
    }
}

/// Grid cell of a world position along one axis (clamped to the world).
fn cell_of(v: f32) -> u32 {
    let n = 1u32 << INDEX_ZOOM;
    ((f64::from(v) / TILE_PX * f64::from(n)).floor().max(0.0) as u32).min(n - 1)
}

/// The finite vertices of a line in world units.
fn world_line<L: IntoIterator<Item = [f64; 2]>>(line: L) -> impl Iterator<Item = [f64; 2]> {
    line.into_iter()
        .filter(|p| p[0].is_finite() && p[1].is_finite())
        .map(|p| world_of(p[0], p[1]))
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
    /// this sequence as its id, and [`LineIndex::cut`] reads its vertices again by that id.
    /// Non-finite vertices are skipped; a line of fewer than two vertices keeps its id and is
    /// never drawn.
    pub fn build<I, L>(lines: I) -> Self
    where
        I: IntoIterator<Item = (u8, L)>,
        L: IntoIterator<Item = [f64; 2]>,
    {
        let mut index = Self {
            from_zoom: Vec::new(),
            starts: vec![0u32],
            class: Vec::new(),
            boxes: Vec::new(),
            cells: Vec::new(),
            cell_start: Vec::new(),
            cell_lines: Vec::new(),
        };
        let mut xy: Vec<[f64; 2]> = Vec::new();
        // (cell, line) pairs, sorted into the grid at the end.
        let mut listed: Vec<(u32, u32, u32)> = Vec::new();
        for (id, (c, line)) in lines.into_iter().enumerate() {
            xy.clear();
            xy.extend(world_line(line));
            let id = u32::try_from(id).unwrap_or(u32::MAX);
            if xy.len() < 2 {
                index.boxes.push([f32::INFINITY, f32::INFINITY, 0.0, 0.0]);
            } else {
                index
                    .from_zoom
                    .extend(importance(&xy).into_iter().map(from_zoom));
                let b = exact_box(&xy);
                let b = [
                    outward(b[0], false),
                    outward(b[1], false),
                    outward(b[2], true),
                    outward(b[3], true),
                ];
                for cx in cell_of(b[0])..=cell_of(b[2]) {
                    for cy in cell_of(b[1])..=cell_of(b[3]) {
                        listed.push((cx, cy, id));
                    }
                }
                index.boxes.push(b);
            }
            index
                .starts
                .push(u32::try_from(index.from_zoom.len()).unwrap_or(u32::MAX));
            index.class.push(c.min(CLASSES as u8 - 1));
        }
        listed.sort_unstable();
        index.cell_lines.reserve_exact(listed.len());
        for (cx, cy, id) in listed {
            if index.cells.last() != Some(&(cx, cy)) {
                index.cells.push((cx, cy));
                index
                    .cell_start
                    .push(u32::try_from(index.cell_lines.len()).unwrap_or(u32::MAX));
            }
            index.cell_lines.push(id);
        }
        index
            .cell_start
            .push(u32::try_from(index.cell_lines.len()).unwrap_or(u32::MAX));
        index.from_zoom.shrink_to_fit();
        index.starts.shrink_to_fit();
        index.class.shrink_to_fit();
        index.boxes.shrink_to_fit();
        index
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

    /// Bytes held (zooms per vertex, offsets, classes, boxes, the grid).
    #[must_use]
    pub fn heap_bytes(&self) -> usize {
        self.from_zoom.capacity()
            + self.starts.capacity() * 4
            + self.class.capacity()
            + self.boxes.capacity() * 16
            + self.cells.capacity() * 8
            + self.cell_start.capacity() * 4
            + self.cell_lines.capacity() * 4
    }

    /// The lines whose box meets `b` (world units), in id order: the `f32` boxes decide
    /// unless `b`'s edge falls within their rounding, then the line's vertices do.
    fn lines_meeting<L: IntoIterator<Item = [f64; 2]>>(
        &self,
        b: [f64; 4],
        vertices: &impl Fn(u32) -> L,
    ) -> Vec<u32> {
        let (x0, x1) = (cell_of(outward(b[0], false)), cell_of(outward(b[2], true)));
        let (y0, y1) = (cell_of(outward(b[1], false)), cell_of(outward(b[3], true)));
        let mut ids = Vec::new();
        for (k, &(cx, cy)) in self.cells.iter().enumerate() {
            if cx < x0 || cx > x1 || cy < y0 || cy > y1 {
                continue;
            }
            let (s, t) = (self.cell_start[k] as usize, self.cell_start[k + 1] as usize);
            for &id in &self.cell_lines[s..t] {
                let lb = self.boxes[id as usize];
                // Listed once: in the first cell of the query that holds it.
                if (cx, cy) != (x0.max(cell_of(lb[0])), y0.max(cell_of(lb[1]))) {
                    continue;
                }
                let meets =
                    |l: [f64; 4]| l[0] <= b[2] && l[2] >= b[0] && l[1] <= b[3] && l[3] >= b[1];
                let outer = lb.map(f64::from);
                if !meets(outer) {
                    continue;
                }
                let inner = [
                    f64::from(lb[0].next_up()),
                    f64::from(lb[1].next_up()),
                    f64::from(lb[2].next_down()),
                    f64::from(lb[3].next_down()),
                ];
                if meets(inner) || meets(exact_box(&world_line(vertices(id)).collect::<Vec<_>>())) {
                    ids.push(id);
                }
            }
        }
        ids.sort_unstable();
        ids
    }

    /// The tile `key`: lines simplified for its zoom, clipped to it and its buffer, the minor
    /// classes left out when the tile would hold more than `budget` vertices (the major roads
    /// always drawn). `vertices(id)` gives line `id`'s WGS-84 vertices as given to
    /// [`LineIndex::build`].
    #[must_use]
    pub fn cut<L: IntoIterator<Item = [f64; 2]>>(
        &self,
        key: TileKey,
        budget: usize,
        vertices: impl Fn(u32) -> L,
    ) -> LineTile {
        let b = key.buffered_box(BUFFER);
        let ids = self.lines_meeting(b, &vertices);
        // Simplified lines: the vertices this zoom keeps.
        let kept = ids
            .into_iter()
            .map(|id| {
                let a = self.starts[id as usize] as usize;
                let zooms = &self.from_zoom[a..self.starts[id as usize + 1] as usize];
                let simple: Vec<[f64; 2]> = vertices(id)
                    .into_iter()
                    .filter(|p| p[0].is_finite() && p[1].is_finite())
                    .zip(zooms)
                    .filter(|&(_, &z)| key.z >= z)
                    .map(|(p, _)| world_of(p[0], p[1]))
                    .collect();
                (id, simple)
            })
            .collect();
        assemble(key, budget, &self.class, kept)
    }
}

/// The exact box of world positions: [min x, min y, max x, max y].
fn exact_box(xy: &[[f64; 2]]) -> [f64; 4] {
    let (mut lo, mut hi) = ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]);
    for p in xy {
        lo = [lo[0].min(p[0]), lo[1].min(p[1])];
        hi = [hi[0].max(p[0]), hi[1].max(p[1])];
    }
    [lo[0], lo[1], hi[0], hi[1]]
}

/// The tile of the simplified lines `kept` (id, world vertices) meeting `key`'s buffered box:
/// classes from the major roads down within `budget` vertices, clipped, rounded.
fn assemble(
    key: TileKey,
    budget: usize,
    class: &[u8],
    mut kept: Vec<(u32, Vec<[f64; 2]>)>,
) -> LineTile {
    let b = key.buffered_box(BUFFER);
    let mut per_class = [0usize; CLASSES];
    for (id, simple) in &kept {
        per_class[usize::from(class[*id as usize])] += simple.len();
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
    crate::plan::sort::by_key(&mut kept, |(id, _)| {
        (std::cmp::Reverse(class[*id as usize]), *id)
    });
    for (id, simple) in kept {
        let c = class[id as usize];
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

    /// Reads a fixture's line `id` back, as the engine's street table does.
    fn reader(lines: &[(u8, Vec<[f64; 2]>)]) -> impl Fn(u32) -> Vec<[f64; 2]> + '_ {
        |id| lines[id as usize].1.clone()
    }

    fn tiles_over(lines: &[(u8, Vec<[f64; 2]>)], z: u8) -> Vec<TileKey> {
        let (mut lo, mut hi) = ([u32::MAX; 2], [0u32; 2]);
        for p in lines.iter().flat_map(|l| world_line(l.1.iter().copied())) {
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
        let tiles: Vec<(TileKey, LineTile)> = tiles_over(&lines, z)
            .into_iter()
            .map(|k| (k, idx.cut(k, usize::MAX, reader(&lines))))
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
        let lines = fixture(2000);
        let idx = LineIndex::build(lines.clone());
        let count = |z: u8| -> usize {
            tiles_over(&lines, z)
                .into_iter()
                .map(|k| idx.cut(k, usize::MAX, reader(&lines)).xy.len())
                .sum()
        };
        let (z11, z17) = (count(11), count(17));
        assert!(z11 < z17, "{z11} vs {z17}");
        // A budget below the tile's vertices: majors kept, others counted as left out.
        let k = tiles_over(&lines, 9)[0];
        let full = idx.cut(k, usize::MAX, reader(&lines));
        let cut = idx.cut(k, 10, reader(&lines));
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

    /// The tiles equal those of the plain method: every line's exact `f64` box against the
    /// buffered tile, every vertex's importance against the zoom's tolerance.
    #[test]
    fn tiles_equal_those_cut_from_exact_boxes_and_importances() {
        let mut lines = fixture(1500);
        // Lines on cell and tile edges, a vertical and a horizontal one, a line with a
        // non-finite vertex, and one of a single vertex.
        let edge = super::super::lonlat_of([
            (f64::from(13_672u32) - BUFFER / super::super::EXTENT) * TILE_PX
                / f64::from(1u32 << INDEX_ZOOM),
            (f64::from(6_428u32) + 1.0 + BUFFER / super::super::EXTENT) * TILE_PX
                / f64::from(1u32 << INDEX_ZOOM),
        ]);
        lines.push((0, vec![[edge.0, 36.09], [edge.0, 36.12]]));
        lines.push((1, vec![[120.39, edge.1], [120.41, edge.1]]));
        lines.push((2, vec![[120.4, 36.1], [f64::NAN, 36.1], [120.41, 36.11]]));
        lines.push((3, vec![[120.4, 36.1]]));
        let idx = LineIndex::build(lines.clone());
        let world: Vec<Vec<[f64; 2]>> = lines
            .iter()
            .map(|l| world_line(l.1.iter().copied()).collect())
            .collect();
        let class: Vec<u8> = lines.iter().map(|l| l.0).collect();
        let boxes: Vec<[f64; 4]> = world.iter().map(|xy| exact_box(xy)).collect();
        let imps: Vec<Vec<f32>> = world.iter().map(|xy| importance(xy)).collect();
        let mut compared = 0;
        for z in [8, 11, 14, 15, 17] {
            // Every tile up to zoom 14, then a sample and the tiles of the edge lines.
            let edges: Vec<TileKey> = lines[1500..]
                .iter()
                .filter_map(|l| l.1.first())
                .map(|p| {
                    let w = world_of(p[0], p[1]);
                    let s = TILE_PX / f64::from(1u32 << z);
                    TileKey::new(z, (w[0] / s) as u32, (w[1] / s) as u32).expect("a tile")
                })
                .collect();
            let all = tiles_over(&lines, z);
            let step = if z > 14 { 23 } else { 1 };
            for k in all.into_iter().step_by(step).chain(edges) {
                let b = k.buffered_box(BUFFER);
                let kept = (0..world.len())
                    .filter(|&id| {
                        let e = boxes[id];
                        world[id].len() >= 2
                            && e[0] <= b[2]
                            && e[2] >= b[0]
                            && e[1] <= b[3]
                            && e[3] >= b[1]
                    })
                    .map(|id| {
                        let keep = |i: f32| z >= FULL_DETAIL_ZOOM || i > tolerance2(z);
                        let simple = world[id]
                            .iter()
                            .zip(&imps[id])
                            .filter(|(_, i)| keep(**i))
                            .map(|(p, _)| *p);
                        (id as u32, simple.collect())
                    })
                    .collect();
                let budget = 300;
                let want = assemble(k, budget, &class, kept);
                assert_eq!(idx.cut(k, budget, reader(&lines)), want, "tile {k:?}");
                compared += usize::from(!want.is_empty());
            }
        }
        assert!(compared > 100, "{compared} tiles with lines");
    }
}
