//! Snapping many points at once through a flat grid of the edges' boxes: the same answer as
//! [`WalkGraph::snap_xy`] for every point (same edge, same position, ties to the lowest edge
//! id, same errors), with no tree to descend, no allocation per point, and the points taken
//! cell by cell so that the cells, edges and geometry a point reads are those its neighbour
//! left in cache.
//!
//! The grid covers the union of the R-tree's boxes (so it follows overlays: closed edges are
//! not in it, added ones are) in square cells of about one edge's box each side; every edge is
//! listed in every cell its box meets (a CSR: `cell → edges`). A point looks at its own cell,
//! then at rings of cells around it. Every edge not yet looked at has its box in cells outside
//! the looked-at rectangle, so it is at least as far as the nearest open side of that
//! rectangle (a side at the grid's border is closed: nothing lies beyond it); once the best
//! edge found is nearer than that bound (less a margin for rounding), no other edge can beat
//! or tie it. A point with no eligible edge within the snapping limit, or an unusual limit, is
//! answered by the single-point snapper (the distance-ordered walk that measures how far it
//! is). Each edge is measured once per point (a generation stamp per edge).
//!
//! Build O(E + cells) and ≈ 4 bytes per (edge, cell) pair plus 4 per cell; a point costs
//! O(k) for the k edges in the rings it looks at.

use super::super::{EdgeBox, EdgeId};
use super::{Snap, SnapError, SnapOptions, WalkGraph};
use crate::plan::geom::{LonLat, Xy};

/// Cell side over the mean area per edge's square root.
const CELL_SCALE: f64 = 1.0;

/// Best edge so far: `(d², edge, segment, offset along the edge)`.
type Best = Option<(f64, u32, u32, f64)>;

/// Which edges a point may join (the options' filters, resolved once per batch).
#[derive(Debug, Clone, Copy)]
struct Filter {
    avoid_steps: bool,
    component: Option<u32>,
}

impl Filter {
    #[inline]
    fn allows(self, g: &WalkGraph, e: u32) -> bool {
        let edge = &g.edges[e as usize];
        !(self.avoid_steps && edge.steps)
            && self
                .component
                .is_none_or(|c| g.component[edge.a.idx()] == c)
    }
}

/// The R-tree's boxes `(lower, upper, edge)`: those of the edges not removed (an overlay's
/// tree is its base's less the removed edges plus the added ones), in edge order.
fn boxes(g: &WalkGraph) -> impl Iterator<Item = ([f64; 2], [f64; 2], u32)> + '_ {
    (0..g.edges.len() as u32)
        .filter(|&e| !g.edges[e as usize].removed)
        .map(|e| {
            let b = EdgeBox::new(e, g.edge_geometry(EdgeId(e)));
            (b.env.lower(), b.env.upper(), e)
        })
}

/// The edges' boxes in a flat grid of square cells (see the module documentation).
#[derive(Debug, Clone)]
struct Grid {
    x0: f64,
    y0: f64,
    cell: f64,
    nx: usize,
    ny: usize,
    /// Edges of cell `j * nx + i` are `edges[start[k]..start[k + 1]]`.
    start: Vec<u32>,
    edges: Vec<u32>,
}

impl Grid {
    /// The grid of `g`'s R-tree boxes; `None` without any. Three passes over the edges'
    /// geometry (extent, counts, fill), no buffer beside the grid's own.
    fn new(g: &WalkGraph) -> Option<Self> {
        Self::scaled(g, CELL_SCALE)
    }

    /// [`Grid::new`] with cells `scale` times the side of the mean area per edge.
    fn scaled(g: &WalkGraph, scale: f64) -> Option<Self> {
        let (mut lo, mut hi) = ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]);
        let mut count = 0usize;
        for (l, u, _) in boxes(g) {
            lo = [lo[0].min(l[0]), lo[1].min(l[1])];
            hi = [hi[0].max(u[0]), hi[1].max(u[1])];
            count += 1;
        }
        if count == 0 || !(lo[0].is_finite() && lo[1].is_finite() && hi[0].is_finite()) {
            return None;
        }
        let (width, height) = (hi[0] - lo[0], hi[1] - lo[1]);
        // About one cell per edge; never a cell under a metre, never more cells than edges.
        let mut cell = ((width * height) / count as f64).sqrt().max(1.0) * scale;
        while (width / cell + 1.0) * (height / cell + 1.0) > count as f64 + 16.0 {
            cell *= 1.25;
        }
        let nx = (width / cell) as usize + 1;
        let ny = (height / cell) as usize + 1;
        let mut grid = Self {
            x0: lo[0],
            y0: lo[1],
            cell,
            nx,
            ny,
            start: vec![0; nx * ny + 1],
            edges: Vec::new(),
        };
        for (l, u, _) in boxes(g) {
            let (i0, i1, j0, j1) = grid.cells_of(l, u);
            for j in j0..=j1 {
                for i in i0..=i1 {
                    grid.start[j * nx + i + 1] += 1;
                }
            }
        }
        for k in 1..grid.start.len() {
            grid.start[k] += grid.start[k - 1];
        }
        grid.edges = vec![0; grid.start[nx * ny] as usize];
        // `start[k]` walks through cell k's entries, ending at cell k + 1's first...
        for (l, u, edge) in boxes(g) {
            let (i0, i1, j0, j1) = grid.cells_of(l, u);
            for j in j0..=j1 {
                for i in i0..=i1 {
                    let k = j * nx + i;
                    grid.edges[grid.start[k] as usize] = edge;
                    grid.start[k] += 1;
                }
            }
        }
        // ...so each cell's first entry is now one place to the left.
        grid.start.copy_within(..nx * ny, 1);
        grid.start[0] = 0;
        Some(grid)
    }

    /// Column of `x` (clamped to the grid).
    #[inline]
    fn col(&self, x: f64) -> usize {
        (((x - self.x0) / self.cell).max(0.0) as usize).min(self.nx - 1)
    }

    /// Row of `y` (clamped to the grid).
    #[inline]
    fn row(&self, y: f64) -> usize {
        (((y - self.y0) / self.cell).max(0.0) as usize).min(self.ny - 1)
    }

    /// Columns and rows `(i0, i1, j0, j1)` a box meets.
    fn cells_of(&self, lo: [f64; 2], hi: [f64; 2]) -> (usize, usize, usize, usize) {
        (
            self.col(lo[0]),
            self.col(hi[0]),
            self.row(lo[1]),
            self.row(hi[1]),
        )
    }

    /// The least distance from `xy` to any cell outside columns `i0..=i1` and rows
    /// `j0..=j1` (infinite when they are the whole grid).
    fn unseen_bound(&self, xy: Xy, (i0, i1, j0, j1): (usize, usize, usize, usize)) -> f64 {
        let mut b = f64::INFINITY;
        if i0 > 0 {
            b = b.min((xy.x - (self.x0 + i0 as f64 * self.cell)).max(0.0));
        }
        if i1 + 1 < self.nx {
            b = b.min((self.x0 + (i1 + 1) as f64 * self.cell - xy.x).max(0.0));
        }
        if j0 > 0 {
            b = b.min((xy.y - (self.y0 + j0 as f64 * self.cell)).max(0.0));
        }
        if j1 + 1 < self.ny {
            b = b.min((self.y0 + (j1 + 1) as f64 * self.cell - xy.y).max(0.0));
        }
        b
    }
}

/// The state of one batch: the grid, the filter, and a stamp per edge.
struct Batch<'g> {
    g: &'g WalkGraph,
    grid: &'g Grid,
    filter: Filter,
    stamp: Vec<u32>,
    generation: u32,
}

impl Batch<'_> {
    /// Measures the eligible edges of cell `(i, j)` not yet measured for this point.
    #[inline]
    fn visit(&mut self, xy: Xy, col: usize, row: usize, best: &mut Best) {
        let cell = row * self.grid.nx + col;
        let (first, end) = (
            self.grid.start[cell] as usize,
            self.grid.start[cell + 1] as usize,
        );
        for &e in &self.grid.edges[first..end] {
            let stamp = &mut self.stamp[e as usize];
            if *stamp == self.generation {
                continue;
            }
            *stamp = self.generation;
            if !self.filter.allows(self.g, e) {
                continue;
            }
            let (d2, seg, offset) = self.g.nearest_on_edge(e, xy);
            if best.is_none_or(|(bd2, be, ..)| d2.total_cmp(&bd2).then(e.cmp(&be)).is_lt()) {
                *best = Some((d2, e, seg, offset));
            }
        }
    }

    /// The nearest eligible edge when it is within `limit` (as
    /// [`WalkGraph::nearest_in_windows`] finds it); `None` when none is.
    fn nearest(&mut self, xy: Xy, limit: f64) -> Best {
        self.generation = self.generation.wrapping_add(1);
        if self.generation == 0 {
            self.stamp.fill(0);
            self.generation = 1;
        }
        let (ci, cj) = (self.grid.col(xy.x), self.grid.row(xy.y));
        let mut rect = (ci, ci, cj, cj);
        let mut best: Best = None;
        self.visit(xy, ci, cj, &mut best);
        loop {
            let bound = self.grid.unseen_bound(xy, rect);
            // Less a margin against the rounding of cell boundaries and of the segments.
            let b = bound - (bound * 1e-9 + 1e-6);
            if best.is_some_and(|(d2, ..)| b > 0.0 && d2 <= b * b) || bound.is_infinite() {
                return best.filter(|(d2, ..)| *d2 <= limit * limit);
            }
            if b >= limit {
                return None;
            }
            let (i0, i1, j0, j1) = rect;
            let grown = (
                i0.saturating_sub(1),
                (i1 + 1).min(self.grid.nx - 1),
                j0.saturating_sub(1),
                (j1 + 1).min(self.grid.ny - 1),
            );
            for j in grown.2..=grown.3 {
                if (j0..=j1).contains(&j) {
                    for i in (grown.0..i0).chain(i1 + 1..=grown.1) {
                        self.visit(xy, i, j, &mut best);
                    }
                } else {
                    for i in grown.0..=grown.1 {
                        self.visit(xy, i, j, &mut best);
                    }
                }
            }
            rect = grown;
        }
    }
}

/// A network's edges in a flat grid, built once and kept to snap batches of points on that
/// network ([`SnapIndex::snap_many`]): an engine keeps one per network for its demand points
/// and its facilities. About 4 bytes per (edge, cell) pair and 4 per cell (≈ 6 MB for
/// 450,000 edges).
#[derive(Debug, Clone)]
pub struct SnapIndex {
    grid: Option<Grid>,
    /// The network it was built from: the address and length of its edge arena (a clone or
    /// an overlay has its own), so that it is never used on another.
    of: (usize, usize),
}

impl SnapIndex {
    /// The grid of `g`'s edges (O(E + cells)).
    pub fn new(g: &WalkGraph) -> Self {
        Self {
            grid: Grid::new(g),
            of: (g.edges.as_ptr() as usize, g.edges.len()),
        }
    }

    /// Bytes held.
    pub fn bytes(&self) -> usize {
        self.grid
            .as_ref()
            .map_or(0, |g| 4 * (g.start.len() + g.edges.len()))
    }

    /// Snaps points given in `g`'s local metres: for each, exactly what
    /// [`WalkGraph::snap_xy`] answers, in the points' order (one by one when this index is
    /// not `g`'s).
    pub fn snap_many_xy(
        &self,
        g: &WalkGraph,
        points: &[Xy],
        opts: &SnapOptions,
    ) -> Vec<Result<Snap, SnapError>> {
        let limit = opts.max_off_network_m;
        let grid = self
            .grid
            .as_ref()
            .filter(|_| self.of == (g.edges.as_ptr() as usize, g.edges.len()));
        let Some(grid) = grid.filter(|_| limit.is_finite() && limit > 0.0) else {
            return points.iter().map(|&xy| g.snap_xy(xy, opts)).collect();
        };
        let filter = Filter {
            avoid_steps: opts.avoid_steps,
            component: if opts.largest_component_only {
                g.largest_component()
            } else {
                None
            },
        };
        // Cell by cell (row-major), so that neighbours on the ground come one after another.
        let mut order: Vec<(usize, u32)> = points
            .iter()
            .enumerate()
            .map(|(k, p)| {
                let cell = if p.x.is_finite() && p.y.is_finite() {
                    grid.row(p.y) * grid.nx + grid.col(p.x)
                } else {
                    0
                };
                (cell, k as u32)
            })
            .collect();
        order.sort_unstable();
        let mut batch = Batch {
            g,
            stamp: vec![0; g.edge_count()],
            generation: 0,
            grid,
            filter,
        };
        let mut out = vec![Err(SnapError::EmptyNetwork); points.len()];
        for (_, k) in order {
            let xy = points[k as usize];
            out[k as usize] = if xy.x.is_finite() && xy.y.is_finite() {
                match batch.nearest(xy, limit) {
                    Some(best) => g.snap_on(xy, best, opts),
                    None => g.snap_xy(xy, opts),
                }
            } else {
                Err(SnapError::InvalidPosition)
            };
        }
        out
    }

    /// Snaps WGS-84 points: for each, exactly what [`WalkGraph::snap`] answers.
    pub fn snap_many(
        &self,
        g: &WalkGraph,
        points: &[LonLat],
        opts: &SnapOptions,
    ) -> Vec<Result<Snap, SnapError>> {
        let xy: Vec<Xy> = points
            .iter()
            .map(|&p| {
                if p.is_valid() {
                    g.proj.project(p)
                } else {
                    Xy {
                        x: f64::NAN,
                        y: f64::NAN,
                    }
                }
            })
            .collect();
        self.snap_many_xy(g, &xy, opts)
    }

    /// True when a batch of `points` is worth building an index for on `g`: the grid costs
    /// about as much to build as 1/32 of the edges cost to snap one by one.
    pub fn pays_off(g: &WalkGraph, points: usize) -> bool {
        points * 32 >= g.edge_count()
    }
}

impl WalkGraph {
    /// Snaps points given in the graph's local metres: for each, exactly what
    /// [`Self::snap_xy`] answers, in the points' order (through a [`SnapIndex`] built for
    /// them when there are enough).
    pub fn snap_many_xy(&self, points: &[Xy], opts: &SnapOptions) -> Vec<Result<Snap, SnapError>> {
        if SnapIndex::pays_off(self, points.len()) {
            SnapIndex::new(self).snap_many_xy(self, points, opts)
        } else {
            points.iter().map(|&xy| self.snap_xy(xy, opts)).collect()
        }
    }

    /// Snaps WGS-84 points: for each, exactly what [`Self::snap`] answers, through `index`
    /// (this graph's, kept by the caller) or, without one, as [`Self::snap_many_xy`] does.
    pub fn snap_many(
        &self,
        index: Option<&SnapIndex>,
        points: &[LonLat],
        opts: &SnapOptions,
    ) -> Vec<Result<Snap, SnapError>> {
        match index {
            Some(index) => index.snap_many(self, points, opts),
            None if SnapIndex::pays_off(self, points.len()) => {
                SnapIndex::new(self).snap_many(self, points, opts)
            }
            None => points.iter().map(|&p| self.snap(p, opts)).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{footway, probe_points, streets, units};
    use super::{Grid, LonLat, SnapIndex, SnapOptions, WalkGraph, Xy};

    /// Short axis-parallel streets packed in ≈ 300 m: their boxes are thin, so a point's
    /// nearest edge is often listed only in a cell next to its own.
    fn ticks(seed: u64) -> Vec<crate::plan::model::Street> {
        let mut unit = units(seed);
        (0..400)
            .map(|i| {
                let (lon, lat) = (121.45 + unit() * 0.003, 31.22 + unit() * 0.003);
                let len = 0.000_02 + unit() * 0.000_2;
                let (end_lon, end_lat) = if i % 2 == 0 {
                    (lon + len, lat)
                } else {
                    (lon, lat + len)
                };
                let coords = vec![LonLat::new(lon, lat), LonLat::new(end_lon, end_lat)];
                footway(i, coords, i % 9 == 0)
            })
            .collect()
    }

    /// Cells much smaller than the edges (so that a point's nearest edge is often a few cells
    /// away and the stopping bound decides), and points on and near every cell border as well
    /// as near the vertices: the grid's answer is still the single-point snapper's.
    #[test]
    fn small_cells_and_points_at_their_borders_snap_as_one_by_one() {
        for (seed, scales) in [(2u64, [0.2]), (7, [1.0])] {
            let g = WalkGraph::build(&if seed == 7 {
                ticks(seed)
            } else {
                streets(seed)
            });
            for scale in scales {
                let Some(grid) = Grid::scaled(&g, scale) else {
                    panic!("no grid");
                };
                let mut points = probe_points(&g, 1_500);
                // About 20 × 20 cell corners.
                for i in (0..=grid.nx).step_by(grid.nx / 20 + 1) {
                    for j in (0..=grid.ny).step_by(grid.ny / 20 + 1) {
                        let (x, y) = (
                            grid.x0 + i as f64 * grid.cell,
                            grid.y0 + j as f64 * grid.cell,
                        );
                        for (dx, dy) in [(0.0, 0.37), (0.05, 0.61), (-0.5, 0.23), (1.5, 0.0)] {
                            points.push(Xy {
                                x: x + dx,
                                y: y + dy * grid.cell,
                            });
                            points.push(Xy {
                                x: x + dy * grid.cell,
                                y: y + dx,
                            });
                        }
                    }
                }
                let index = SnapIndex {
                    of: (g.edges.as_ptr() as usize, g.edges.len()),
                    grid: Some(grid),
                };
                for o in [
                    SnapOptions::default(),
                    SnapOptions {
                        max_off_network_m: 60.0,
                        avoid_steps: true,
                        largest_component_only: true,
                    },
                ] {
                    let many = index.snap_many_xy(&g, &points, &o);
                    for (p, got) in points.iter().zip(&many) {
                        assert_eq!(
                            *got,
                            g.snap_xy(*p, &o),
                            "seed {seed}, {scale}, {p:?}, {o:?}"
                        );
                    }
                }
            }
        }
    }
}
