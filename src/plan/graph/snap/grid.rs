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

// Exclusive ranges and indexed loops on purpose: at the browser's opt-level z a `..=` step and a
// slice iterator's step are calls (see `out_of_line`).
#![allow(clippy::range_plus_one, clippy::needless_range_loop)]

use super::super::out_of_line;
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
    #[allow(clippy::inline_always)] // otherwise a call at the browser's opt-level z
    #[inline(always)]
    fn allows(self, g: &WalkGraph, e: u32) -> bool {
        let edge = &g.edges[e as usize];
        !(self.avoid_steps && edge.steps)
            && self
                .component
                .is_none_or(|c| g.component[edge.a.idx()] == c)
    }
}

/// Edges per call of the grid's build passes: each pass is a loop of calls rather than one long
/// call, so that the browser's engine runs most of it optimised (see [`out_of_line`]).
const CHUNK: usize = 4096;

/// The build's extent pass over edges `from..to`: widens `(lower, upper, count)` by their
/// boxes.
#[inline(never)]
#[allow(clippy::type_complexity)] // one tuple: see `out_of_line`
fn extent((g, from, to, ext): (&WalkGraph, usize, usize, &mut ([f64; 2], [f64; 2], usize))) {
    for e in from..to {
        let Some((l, u)) = edge_box(g, e) else {
            continue;
        };
        for a in 0..2 {
            if l[a] < ext.0[a] {
                ext.0[a] = l[a];
            }
            if u[a] > ext.1[a] {
                ext.1[a] = u[a];
            }
        }
        ext.2 += 1;
    }
}

/// `⌊v⌋` clamped to `0..n` (`v.max(0.0) as usize`, at most `n − 1`; NaN: 0), with plain
/// comparisons (see [`edge_box`]).
#[allow(clippy::inline_always)] // otherwise a call at the browser's opt-level z
#[inline(always)]
fn clamped_index(v: f64, n: usize) -> usize {
    let k = if v > 0.0 { v as usize } else { 0 };
    if k < n { k } else { n - 1 }
}

/// The R-tree's box `(lower, upper)` of edge `e` (the least and greatest coordinates of its
/// geometry, as `EdgeBox::new` takes them), `None` for an edge an overlay removed (its tree
/// is its base's less the removed edges plus the added ones). Plain comparisons and indexing:
/// the browser's module is built for size, where `f64::min` and iterator steps stay calls.
#[allow(clippy::inline_always)] // otherwise a call at the browser's opt-level z
#[inline(always)]
fn edge_box(g: &WalkGraph, e: usize) -> Option<([f64; 2], [f64; 2])> {
    if g.edges[e].removed {
        return None;
    }
    let (first, end) = (g.geom_start[e] as usize, g.geom_start[e + 1] as usize);
    let geom = &g.geom[first..end];
    let (mut lo, mut hi) = ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]);
    for k in 0..geom.len() {
        let pt = geom[k];
        if pt.x < lo[0] {
            lo[0] = pt.x;
        }
        if pt.x > hi[0] {
            hi[0] = pt.x;
        }
        if pt.y < lo[1] {
            lo[1] = pt.y;
        }
        if pt.y > hi[1] {
            hi[1] = pt.y;
        }
    }
    Some((lo, hi))
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

    /// [`Grid::new`] with cells `scale` times the side of the mean area per edge: a
    /// [`GridBuild`] run to its end.
    fn scaled(g: &WalkGraph, scale: f64) -> Option<Self> {
        let mut build = GridBuild::new(scale);
        build.step(g, usize::MAX);
        build.grid
    }

    /// The build's count pass over edges `from..to`: `start[k + 1] += 1` for every cell `k`
    /// an edge's box meets.
    #[inline(never)]
    fn count((grid, g, from, to, start): (&Self, &WalkGraph, usize, usize, &mut [u32])) {
        for e in from..to {
            let Some((l, u)) = edge_box(g, e) else {
                continue;
            };
            let (i0, i1, j0, j1) = grid.cells_of(l, u);
            for j in j0..j1 + 1 {
                for c in &mut start[j * grid.nx + i0 + 1..j * grid.nx + i1 + 2] {
                    *c += 1;
                }
            }
        }
    }

    /// The build's fill pass over edges `from..to`: each edge into every cell its box meets,
    /// at that cell's next free place (`start[k]`, moved on).
    #[inline(never)]
    #[allow(clippy::type_complexity)] // one tuple: see `out_of_line`
    fn fill(
        (grid, g, from, to, start, list): (&Self, &WalkGraph, usize, usize, &mut [u32], &mut [u32]),
    ) {
        for e in from..to {
            let Some((l, u)) = edge_box(g, e) else {
                continue;
            };
            let (i0, i1, j0, j1) = grid.cells_of(l, u);
            for j in j0..j1 + 1 {
                for k in j * grid.nx + i0..j * grid.nx + i1 + 1 {
                    list[start[k] as usize] = e as u32;
                    start[k] += 1;
                }
            }
        }
    }

    /// Column of `x` (clamped to the grid; NaN: 0).
    #[allow(clippy::inline_always)] // otherwise a call at the browser's opt-level z
    #[inline(always)]
    fn col(&self, x: f64) -> usize {
        clamped_index((x - self.x0) / self.cell, self.nx)
    }

    /// Row of `y` (clamped to the grid; NaN: 0).
    #[allow(clippy::inline_always)] // otherwise a call at the browser's opt-level z
    #[inline(always)]
    fn row(&self, y: f64) -> usize {
        clamped_index((y - self.y0) / self.cell, self.ny)
    }

    /// Columns and rows `(i0, i1, j0, j1)` a box meets.
    #[allow(clippy::inline_always)] // otherwise a call at the browser's opt-level z
    #[inline(always)]
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

/// A grid being built a slice of edges at a time: [`Grid::scaled`]'s three passes over the
/// edges' geometry (extent, counts, fill), each over the edges in order, with the work between
/// them (the grid's size, the counts' running sums, the cells' starts) done when a pass ends.
/// Built in slices or at once, the same grid.
#[derive(Debug, Clone)]
struct GridBuild {
    scale: f64,
    /// 0: extent, 1: counts, 2: fill, 3: done.
    pass: u8,
    /// The pass's next edge.
    next: usize,
    ext: ([f64; 2], [f64; 2], usize),
    /// The grid, once sized by the extent pass (None before, and for a network without boxes).
    grid: Option<Grid>,
    start: Vec<u32>,
    list: Vec<u32>,
}

impl GridBuild {
    fn new(scale: f64) -> Self {
        Self {
            scale,
            pass: 0,
            next: 0,
            ext: ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2], 0),
            grid: None,
            start: Vec::new(),
            list: Vec::new(),
        }
    }

    /// Goes on with the build over at most about `budget` edges (a pass's end is done with the
    /// slice that ends it); true when the grid is built.
    fn step(&mut self, g: &WalkGraph, budget: usize) -> bool {
        let edges = g.edges.len();
        let mut left = budget;
        while self.pass < 3 {
            if self.next == edges {
                self.end_pass();
                continue;
            }
            if left == 0 {
                break;
            }
            let (from, to) = (self.next, (self.next + CHUNK.min(left)).min(edges));
            match (self.pass, &self.grid) {
                (0, _) => out_of_line(extent, (g, from, to, &mut self.ext)),
                (1, Some(grid)) => out_of_line(Grid::count, (grid, g, from, to, &mut self.start)),
                (_, Some(grid)) => out_of_line(
                    Grid::fill,
                    (grid, g, from, to, &mut self.start, &mut self.list),
                ),
                (_, None) => {}
            }
            left -= to - from;
            self.next = to;
        }
        self.pass == 3
    }

    /// The work after a pass: the grid sized and its counts allocated after the extent; the
    /// counts' running sums and the list allocated after the counts; the cells' starts after
    /// the fill.
    fn end_pass(&mut self) {
        self.next = 0;
        self.pass += 1;
        match (self.pass, &mut self.grid) {
            (1, _) => {
                let (lo, hi, count) = self.ext;
                if count == 0 || !(lo[0].is_finite() && lo[1].is_finite() && hi[0].is_finite()) {
                    self.pass = 3;
                    return;
                }
                let (width, height) = (hi[0] - lo[0], hi[1] - lo[1]);
                // About one cell per edge; never a cell under a metre, never more cells than
                // edges.
                let mut cell = ((width * height) / count as f64).sqrt().max(1.0) * self.scale;
                while (width / cell + 1.0) * (height / cell + 1.0) > count as f64 + 16.0 {
                    cell *= 1.25;
                }
                let nx = (width / cell) as usize + 1;
                let ny = (height / cell) as usize + 1;
                self.grid = Some(Grid {
                    x0: lo[0],
                    y0: lo[1],
                    cell,
                    nx,
                    ny,
                    start: Vec::new(),
                    edges: Vec::new(),
                });
                // Counts (cell k's at k + 1), their running sums, then the fill: `start[k]`
                // walks through cell k's entries, ending at cell k + 1's first...
                self.start = vec![0u32; nx * ny + 1];
            }
            (2, _) => {
                let start = &mut self.start;
                for k in 1..start.len() {
                    start[k] += start[k - 1];
                }
                self.list = vec![0u32; start[start.len() - 1] as usize];
            }
            (_, Some(grid)) => {
                // ...so each cell's first entry is now one place to the left.
                let cells = grid.nx * grid.ny;
                self.start.copy_within(..cells, 1);
                self.start[0] = 0;
                grid.start = std::mem::take(&mut self.start);
                grid.edges = std::mem::take(&mut self.list);
            }
            (_, None) => {}
        }
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
        let (list, stamps) = (&self.grid.edges[first..end], &mut self.stamp[..]);
        for k in 0..list.len() {
            let e = list[k];
            let stamp = &mut stamps[e as usize];
            if *stamp == self.generation {
                continue;
            }
            *stamp = self.generation;
            if !self.filter.allows(self.g, e) {
                continue;
            }
            let (d2, seg, offset) = self.g.nearest_on_edge(e, xy);
            // Nearer, or as near with a lower id (no closure: see [`edge_box`]).
            let better = match *best {
                None => true,
                Some((bd2, be, ..)) => match d2.total_cmp(&bd2) {
                    std::cmp::Ordering::Less => true,
                    std::cmp::Ordering::Equal => e < be,
                    std::cmp::Ordering::Greater => false,
                },
            };
            if better {
                *best = Some((d2, e, seg, offset));
            }
        }
    }

    /// The nearest eligible edge when it is within `limit` (as
    /// [`WalkGraph::nearest_in_windows`] finds it); `None` when none is. Never inlined into
    /// the batch's loop: a call per point lets the browser's engine run it optimised after
    /// the first points (see [`out_of_line`]).
    #[inline(never)]
    fn nearest((batch, xy, limit): (&mut Self, Xy, f64)) -> Best {
        batch.generation = batch.generation.wrapping_add(1);
        if batch.generation == 0 {
            batch.stamp.fill(0);
            batch.generation = 1;
        }
        let (ci, cj) = (batch.grid.col(xy.x), batch.grid.row(xy.y));
        let mut rect = (ci, ci, cj, cj);
        let mut best: Best = None;
        batch.visit(xy, ci, cj, &mut best);
        loop {
            let bound = batch.grid.unseen_bound(xy, rect);
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
                (i1 + 1).min(batch.grid.nx - 1),
                j0.saturating_sub(1),
                (j1 + 1).min(batch.grid.ny - 1),
            );
            for j in grown.2..grown.3 + 1 {
                if j0 <= j && j <= j1 {
                    for i in grown.0..i0 {
                        batch.visit(xy, i, j, &mut best);
                    }
                    for i in i1 + 1..grown.1 + 1 {
                        batch.visit(xy, i, j, &mut best);
                    }
                } else {
                    for i in grown.0..grown.1 + 1 {
                        batch.visit(xy, i, j, &mut best);
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
        let mut steps = SnapSteps::xy(g, Some(self), points.to_vec(), opts);
        steps.step(g, Some(self), usize::MAX);
        steps.out
    }

    /// Snaps WGS-84 points: for each, exactly what [`WalkGraph::snap`] answers.
    pub fn snap_many(
        &self,
        g: &WalkGraph,
        points: &[LonLat],
        opts: &SnapOptions,
    ) -> Vec<Result<Snap, SnapError>> {
        let mut steps = SnapSteps::new(g, Some(self), points, opts);
        steps.step(g, Some(self), usize::MAX);
        steps.out
    }

    /// The grid, when it is `g`'s and `opts` snap through it (a finite positive limit).
    fn usable(&self, g: &WalkGraph, opts: &SnapOptions) -> Option<&Grid> {
        let limit = opts.max_off_network_m;
        self.grid.as_ref().filter(|_| {
            self.of == (g.edges.as_ptr() as usize, g.edges.len())
                && limit.is_finite()
                && limit > 0.0
        })
    }

    /// True when a batch of `points` is worth building an index for on `g`: the grid costs
    /// about as much to build as 1/32 of the edges cost to snap one by one.
    pub fn pays_off(g: &WalkGraph, points: usize) -> bool {
        points * 32 >= g.edge_count()
    }
}

/// A batch of points snapped a slice at a time, in the order [`SnapIndex::snap_many`] takes
/// them (cell by cell through the grid, so that a slice reads what the one before left in
/// cache; without the grid one by one in the points' order): for each point exactly what
/// [`WalkGraph::snap_xy`] answers, in slices or at once.
#[derive(Debug, Clone)]
pub struct SnapSteps {
    opts: SnapOptions,
    xy: Vec<Xy>,
    /// The points' indexes in the order they are snapped.
    order: Vec<u32>,
    /// How many of `order` are snapped.
    done: usize,
    /// The batch's stamp per edge and its generation (see `Batch`), kept between slices.
    stamp: Vec<u32>,
    generation: u32,
    out: Vec<Result<Snap, SnapError>>,
}

impl SnapSteps {
    /// The batch of WGS-84 `points` on `g`, through `index` (`g`'s; None: one by one), none
    /// snapped yet (the points projected and put in order: O(n log n)).
    pub fn new(
        g: &WalkGraph,
        index: Option<&SnapIndex>,
        points: &[LonLat],
        opts: &SnapOptions,
    ) -> Self {
        let xy = points
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
        Self::xy(g, index, xy, opts)
    }

    /// [`SnapSteps::new`] of points given in `g`'s local metres.
    fn xy(g: &WalkGraph, index: Option<&SnapIndex>, xy: Vec<Xy>, opts: &SnapOptions) -> Self {
        let order = match index.and_then(|i| i.usable(g, opts)) {
            // Cell by cell (row-major), so that neighbours on the ground come one after another.
            // One u64 a point (its cell above its index): one sort of plain integers.
            Some(grid) => {
                let mut order: Vec<u64> = xy
                    .iter()
                    .enumerate()
                    .map(|(k, p)| {
                        let cell = if p.x.is_finite() && p.y.is_finite() {
                            grid.row(p.y) * grid.nx + grid.col(p.x)
                        } else {
                            0
                        };
                        ((cell as u64) << 32) | k as u64
                    })
                    .collect();
                order.sort_unstable();
                order.into_iter().map(|c| c as u32).collect()
            }
            None => (0..xy.len() as u32).collect(),
        };
        Self {
            opts: *opts,
            out: vec![Err(SnapError::EmptyNetwork); xy.len()],
            xy,
            order,
            done: 0,
            stamp: Vec::new(),
            generation: 0,
        }
    }

    /// Snaps the next `n` points (through `index`, as at the start); true when all are.
    pub fn step(&mut self, g: &WalkGraph, index: Option<&SnapIndex>, n: usize) -> bool {
        let to = self.done.saturating_add(n).min(self.order.len());
        let (opts, limit) = (&self.opts, self.opts.max_off_network_m);
        if let Some(grid) = index.and_then(|i| i.usable(g, opts)) {
            if self.stamp.len() != g.edge_count() {
                (self.stamp, self.generation) = (vec![0; g.edge_count()], 0);
            }
            let filter = Filter {
                avoid_steps: opts.avoid_steps,
                component: if opts.largest_component_only {
                    g.largest_component()
                } else {
                    None
                },
            };
            let mut batch = Batch {
                g,
                stamp: std::mem::take(&mut self.stamp),
                generation: self.generation,
                grid,
                filter,
            };
            for &k in &self.order[self.done..to] {
                let xy = self.xy[k as usize];
                self.out[k as usize] = if xy.x.is_finite() && xy.y.is_finite() {
                    match out_of_line(Batch::nearest, (&mut batch, xy, limit)) {
                        Some(best) => g.snap_on(xy, best, opts),
                        None => g.snap_xy(xy, opts),
                    }
                } else {
                    Err(SnapError::InvalidPosition)
                };
            }
            (self.stamp, self.generation) = (batch.stamp, batch.generation);
        } else {
            for &k in &self.order[self.done..to] {
                self.out[k as usize] = g.snap_xy(self.xy[k as usize], opts);
            }
        }
        self.done = to;
        to == self.order.len()
    }

    /// The snaps, in the points' order (the points not yet snapped: `EmptyNetwork`).
    pub fn into_snaps(self) -> Vec<Result<Snap, SnapError>> {
        self.out
    }
}

/// A [`SnapIndex`] being built a slice of edges at a time, so that no slice holds the thread
/// long (the web worker builds one while it waits for the page): built in slices or at once
/// ([`SnapIndex::new`]), the same index.
#[derive(Debug, Clone)]
pub struct SnapIndexBuild {
    build: GridBuild,
    of: (usize, usize),
}

impl SnapIndexBuild {
    /// The build of `g`'s index, not begun.
    pub fn new(g: &WalkGraph) -> Self {
        Self {
            build: GridBuild::new(CELL_SCALE),
            of: (g.edges.as_ptr() as usize, g.edges.len()),
        }
    }

    /// Goes on with the build over about `edges` more edges of `g` (each of the three passes
    /// reads every edge once: about `3 E / edges` calls in all); true when it is built. On
    /// another network than the one it was begun on, it begins again on `g`.
    pub fn step(&mut self, g: &WalkGraph, edges: usize) -> bool {
        if self.of != (g.edges.as_ptr() as usize, g.edges.len()) {
            *self = Self::new(g);
        }
        self.build.step(g, edges.max(1))
    }

    /// The index (the whole build first, if [`SnapIndexBuild::step`] has not ended it).
    pub fn finish(mut self, g: &WalkGraph) -> SnapIndex {
        self.step(g, usize::MAX);
        SnapIndex {
            grid: self.build.grid,
            of: self.of,
        }
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

    /// Built in slices of any size (one edge, a few, more than a pass's chunk, all), the
    /// index is the one built at once: the same cells, the same lists, in as many slices as the
    /// three passes need.
    #[test]
    fn an_index_built_in_slices_is_the_one_built_at_once() {
        for seed in [3u64, 7] {
            let g = WalkGraph::build(&if seed == 7 {
                ticks(seed)
            } else {
                streets(seed)
            });
            let edges = g.edges.len();
            let Some(whole) = Grid::new(&g) else {
                panic!("no grid");
            };
            for slice in [1, 7, 5000, edges, usize::MAX] {
                let mut build = super::SnapIndexBuild::new(&g);
                let mut steps = 1;
                while !build.step(&g, slice) {
                    steps += 1;
                }
                assert!(
                    steps <= (3 * edges).div_ceil(slice) + 1,
                    "seed {seed}: {steps} steps of {slice} for {edges} edges"
                );
                let Some(grid) = build.finish(&g).grid else {
                    panic!("no grid");
                };
                assert_eq!(
                    (grid.x0, grid.y0, grid.cell, grid.nx, grid.ny),
                    (whole.x0, whole.y0, whole.cell, whole.nx, whole.ny),
                    "seed {seed}, slices of {slice}"
                );
                assert!(
                    grid.start == whole.start && grid.edges == whole.edges,
                    "seed {seed}, slices of {slice}: other lists"
                );
            }
        }
    }
}
