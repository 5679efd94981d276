//! Isochrone polygons: the area within 5, 10, 15 … minutes' walk, drawn from the reached
//! network.
//!
//! **Method.**
//! 1. *Reached geometry, cut exactly at each budget.* For a budget of `L` metres, an edge
//!    `a–b` of length `ℓ` with walking distances `d(a)`, `d(b)` is reached on `[0, L − d(a)]`
//!    from `a` and on `[ℓ − (L − d(b)), ℓ]` from `b`; a source on the edge reaches
//!    `[s − (L − o), s + (L − o)]` directly (`o` its off-network leg), and its off-network leg
//!    itself is reached up to `L`. These pieces are cut out of the edge geometry at the exact
//!    positions.
//! 2. *Rasterise with a walking buffer.* On one grid in local metres (cell
//!    [`IsochroneOptions::cell_m`], default 15 m) the *seed* cells are those holding points
//!    sampled every half cell along the reached pieces (ends included); every cell whose centre
//!    lies within [`IsochroneOptions::buffer_m`] (default 40 m: the depth of a street-front plot,
//!    i.e. the doors a walker on that street reaches) of a seed cell's centre is filled, by
//!    stamping a disk of row spans. A filled cell is thus within buffer ± 1 cell of the reached
//!    street, and the cut ends are exact to within a cell. Each cell keeps the smallest budget
//!    that fills it, so all budgets share one pass and one grid. The buffer is kept ≥ 1.5 cells,
//!    so the 8 cells around a reached vertex's cell are filled and the vertex lies strictly
//!    inside its polygon.
//! 3. *Close diagonal-only contacts.* Where two filled cells touch only at a corner, the two
//!    empty cells of that 2 × 2 block are filled (at the budget that made the contact). Rings
//!    then never touch one another, and the budgets stay nested.
//! 4. *Trace boundaries.* Cell edges between filled and empty cells are linked into rings with
//!    the filled side on the left: outer rings come out counter-clockwise, holes clockwise
//!    (RFC 7946 orientation); only corners are kept (collinear points dropped). Each hole goes to
//!    the smallest outer ring that contains it.
//! 5. *Unproject* ring vertices to WGS-84.
//!
//! Because the cell sets are nested (a larger budget reaches a superset of pieces), the polygon
//! of a smaller budget lies within that of a larger one. Holes (blocks the walk does not reach
//! within the buffer) are kept. Complexity: O(L/c) to seed L metres of reached street,
//! O(S·(b/c)²) to stamp S seed cells, plus O(W·H) per budget for a W × H grid over the reached
//! area (≈ 130 × 130 cells for 15 minutes at 60 m/min).
//!
//! **Straight-line estimate.** Only for packages without a network:
//! [`straight_line_isochrones`] draws a circle of radius `speed × minutes / detour factor`.
//! Walking routes in cities are typically 1.2–1.4 times the straight-line distance (route
//! "circuity"; e.g. Levinson & El-Geneidy 2009, Boeing 2019); [`DEFAULT_DETOUR_FACTOR`] is 1.3.
//! The result says it is an estimate ([`IsochroneKind::StraightLineEstimate`]).

use geo::{Coord, LineString, MultiPolygon, Polygon};

use super::{Reach, WalkGraph, lerp, out_of_line};
use crate::plan::geom::{LocalProjection, LonLat, Xy};

/// Network distance ÷ straight-line distance assumed by the straight-line estimate.
pub const DEFAULT_DETOUR_FACTOR: f64 = 1.3;

/// Minimum buffer, in cells, that keeps every reached vertex strictly inside its polygon: the
/// vertex's cell is a seed, and its 8 neighbours' centres are within √2 cells of the seed's.
const MIN_BUFFER_CELLS: f64 = 1.5;

/// Grid and buffer of the polygon method.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IsochroneOptions {
    /// Cell size, metres (default 15).
    pub cell_m: f64,
    /// Distance around reached street pieces that counts as reached, metres (default 40;
    /// raised to 1.5 cells if smaller).
    pub buffer_m: f64,
    /// Largest grid, in cells (default 4 M); larger areas get proportionally coarser cells.
    pub max_cells: usize,
}

impl Default for IsochroneOptions {
    fn default() -> Self {
        Self {
            cell_m: 15.0,
            buffer_m: 40.0,
            max_cells: 4_000_000,
        }
    }
}

/// How an isochrone was made.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum IsochroneKind {
    /// From the walking network.
    Network,
    /// A circle: an estimate for a package without a network; must be labelled as such.
    StraightLineEstimate {
        /// The detour factor used.
        detour_factor: f64,
    },
}

/// The area within a walking budget.
#[derive(Debug, Clone, PartialEq)]
pub struct Isochrone {
    /// The budget, minutes.
    pub minutes: f64,
    /// How it was made.
    pub kind: IsochroneKind,
    /// The area (WGS-84, x = lon, y = lat; outer rings counter-clockwise, holes clockwise).
    pub polygon_wgs84: MultiPolygon<f64>,
}

impl Isochrone {
    /// True for the straight-line estimate.
    pub fn is_estimate(&self) -> bool {
        matches!(self.kind, IsochroneKind::StraightLineEstimate { .. })
    }
}

/// Why isochrones could not be drawn.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
pub enum IsochroneError {
    /// A budget that is not a positive, finite number of minutes.
    #[error("{minutes} is not a positive number of minutes")]
    InvalidBudget {
        /// The budget given.
        minutes: f64,
    },
    /// The reach search was run on another graph.
    #[error("the reach search was run on another graph")]
    OtherGraph,
    /// A budget larger than the reach search it is drawn from.
    #[error("{minutes} min is beyond the {searched_minutes} min the search covered")]
    BeyondSearch {
        /// The budget asked for.
        minutes: f64,
        /// The search's budget.
        searched_minutes: f64,
    },
}

/// A filled-cell grid in local metres. Its outermost row and column of cells are always empty
/// (the grid is made with a margin), so every boundary ring is closed inside it.
///
/// Its passes (seeding, dilation, diagonals, rings) are functions of their own, never inlined
/// into the one that calls them: the browser's engine compiles a function for speed once it
/// has run a while and uses that code from its next call on, so a pass inlined into the
/// worker's message handler would wait for that whole handler to be recompiled. Their loops
/// index slices: at the browser's opt-level (size) a `Vec` index or a `..=` range step is a call.
struct Grid {
    x0: f64,
    y0: f64,
    c: f64,
    w: usize,
    h: usize,
    /// Smallest budget index filling each cell (`u8::MAX`: none); row-major from the south.
    level: Vec<u8>,
}

#[allow(clippy::many_single_char_names)] // grid indices (i, j), sizes (w, h), cells a–d
impl Grid {
    /// Marks (at `level`) the seed cells of segment `from`–`to`: the cells of points sampled
    /// along it every half cell, both ends included. Appends newly marked cells to `list`.
    fn seed_segment(&self, seed: &mut [u8], list: &mut Vec<u32>, from: Xy, to: Xy, level: u8) {
        let (dx, dy) = (to.x - from.x, to.y - from.y);
        let steps = ((dx * dx + dy * dy).sqrt() / (0.5 * self.c))
            .ceil()
            .max(1.0) as usize;
        let inv = 1.0 / self.c;
        for s in 0..=steps {
            let t = s as f64 / steps as f64;
            // Coordinates are ≥ 0 relative to the grid origin, so truncation is floor.
            let i = ((from.x + t * dx - self.x0) * inv) as usize;
            let j = ((from.y + t * dy - self.y0) * inv) as usize;
            if i < self.w && j < self.h {
                let ix = j * self.w + i;
                if seed[ix] > level {
                    if seed[ix] == u8::MAX {
                        list.push(ix as u32);
                    }
                    seed[ix] = level;
                }
            }
        }
    }

    /// Fills every cell whose centre lies within `radius` of a seed cell's centre, at the
    /// smallest level of such seeds (a disk stencil stamped as row spans).
    #[inline(never)]
    #[allow(clippy::range_plus_one)] // a `..=` range's step is a call at opt-level z
    fn dilate((grid, seed, list, radius): (&mut Self, &[u8], &[u32], f64)) {
        let reach = (radius / grid.c).floor() as isize;
        let spans: Vec<(isize, isize)> = (-reach..=reach)
            .map(|dj| {
                let h2 = (radius / grid.c).powi(2) - (dj * dj) as f64;
                (dj, h2.max(0.0).sqrt().floor() as isize)
            })
            .collect();
        let (w, h) = (grid.w as isize, grid.h as isize);
        let cells = &mut grid.level[..];
        for &ix in list {
            let level = seed[ix as usize];
            let (i, j) = (ix as isize % w, ix as isize / w);
            for &(dj, half) in &spans {
                let row = j + dj;
                if row < 0 || row >= h {
                    continue;
                }
                let a = (i - half).max(0);
                let b = (i + half).min(w - 1);
                let base = (row * w) as usize;
                for slot in &mut cells[base + a as usize..base + b as usize + 1] {
                    if *slot > level {
                        *slot = level;
                    }
                }
            }
        }
    }

    /// Fills the empty diagonal of every 2 × 2 block whose filled cells touch only at a corner.
    /// Kept out of line (as the other passes over the grid): see the note on [`Grid`].
    #[inline(never)]
    fn close_diagonals((grid, level): (&mut Self, u8)) {
        let (w, h) = (grid.w, grid.h);
        if w < 2 || h < 2 {
            return;
        }
        // One sweep over every 2 × 2 block (by its south-west cell), then re-checks of the
        // blocks around each fill until none is left.
        let mut todo: Vec<(usize, usize)> = Vec::new();
        for j in 0..h - 1 {
            for i in 0..w - 1 {
                if grid.close_block(i, j, level) {
                    push_around(&mut todo, i, j, w, h);
                }
            }
        }
        while let Some((i, j)) = todo.pop() {
            if grid.close_block(i, j, level) {
                push_around(&mut todo, i, j, w, h);
            }
        }
    }

    /// Closes the block with south-west cell `(i, j)` if its filled cells touch only at a
    /// corner; true when it filled something.
    #[allow(clippy::inline_always)] // otherwise a call at the browser's opt-level z
    #[inline(always)]
    fn close_block(&mut self, i: usize, j: usize, level: u8) -> bool {
        let sw = j * self.w + i;
        let (se, nw, ne) = (sw + 1, sw + self.w, sw + self.w + 1);
        let l = &mut self.level[..];
        let (a, b, c, d) = (
            l[sw] <= level,
            l[se] <= level,
            l[nw] <= level,
            l[ne] <= level,
        );
        if a == d && b == c && a != b {
            let (x, y) = if a { (se, nw) } else { (sw, ne) };
            l[x] = level;
            l[y] = level;
            true
        } else {
            false
        }
    }

    /// Rings (grid vertex coordinates) of the cells with level ≤ `k`, filled side on the left.
    #[inline(never)]
    fn rings((grid, k): (&Self, u8)) -> Vec<Vec<(i64, i64)>> {
        const E: u8 = 1;
        const N: u8 = 2;
        const W: u8 = 3;
        const S: u8 = 4;
        let vw = grid.w + 1;
        let w = grid.w;
        let mut dir = vec![0u8; vw * (grid.h + 1)];
        let (level, dir) = (&grid.level[..], &mut dir[..]);
        // Vertices on the grid's border touch only border cells, which are always empty.
        for j in 1..grid.h {
            for i in 1..grid.w {
                let ne = level[j * w + i] <= k;
                let nw = level[j * w + i - 1] <= k;
                let sw = level[(j - 1) * w + i - 1] <= k;
                let se = level[(j - 1) * w + i] <= k;
                dir[j * vw + i] = if ne && !se {
                    E
                } else if nw && !ne {
                    N
                } else if sw && !nw {
                    W
                } else if se && !sw {
                    S
                } else {
                    0
                };
            }
        }
        let mut rings = Vec::new();
        for start in 0..dir.len() {
            if dir[start] == 0 {
                continue;
            }
            let mut ring = Vec::new();
            let mut cur = start;
            let mut prev = 0u8;
            loop {
                let d = dir[cur];
                if d == 0 {
                    break; // Cannot happen once diagonals are closed; ends a broken ring.
                }
                dir[cur] = 0;
                if d != prev {
                    ring.push(((cur % vw) as i64, (cur / vw) as i64));
                }
                prev = d;
                cur = match d {
                    E => cur + 1,
                    N => cur + vw,
                    W => cur - 1,
                    _ => cur - vw,
                };
                if cur == start {
                    break;
                }
            }
            if ring.len() >= 4 {
                ring.push(ring[0]);
                rings.push(ring);
            }
        }
        rings
    }
}

/// Queues the 3 × 3 blocks around block `(i, j)` (those sharing a cell with it).
#[allow(clippy::range_plus_one)] // a `..=` range's step is a call at opt-level z
fn push_around(todo: &mut Vec<(usize, usize)>, i: usize, j: usize, w: usize, h: usize) {
    for bj in j.saturating_sub(1)..(j + 1).min(h - 2) + 1 {
        for bi in i.saturating_sub(1)..(i + 1).min(w - 2) + 1 {
            todo.push((bi, bj));
        }
    }
}

/// Twice the signed area of a closed ring (positive when counter-clockwise).
fn area2(r: &[(i64, i64)]) -> i64 {
    r.windows(2)
        .map(|w| w[0].0 * w[1].1 - w[1].0 * w[0].1)
        .sum()
}

/// Even-odd test of a point against a closed ring (the point is never on the ring here).
fn inside(p: (i64, i64), r: &[(i64, i64)]) -> bool {
    let mut inside = false;
    for w in r.windows(2) {
        let ((xi, yi), (xj, yj)) = (w[0], w[1]);
        if (yi > p.1) != (yj > p.1) {
            // Integer form of p.x < xi + (p.y - yi)(xj - xi)/(yj - yi).
            let lhs = (p.0 - xi) * (yj - yi);
            let rhs = (p.1 - yi) * (xj - xi);
            if (yj > yi && lhs < rhs) || (yj < yi && lhs > rhs) {
                inside = !inside;
            }
        }
    }
    inside
}

impl WalkGraph {
    /// Isochrone polygons of a reach run, one per budget (minutes), in ascending order of
    /// budget (duplicates removed). Every budget must be within the run's own budget.
    pub fn isochrones(
        &self,
        reach: &Reach,
        minutes: &[f64],
        opts: &IsochroneOptions,
    ) -> Result<Vec<Isochrone>, IsochroneError> {
        if !reach.fits(self) {
            return Err(IsochroneError::OtherGraph);
        }
        let speed = reach.profile().speed_m_per_min;
        let mut budgets: Vec<f64> = Vec::with_capacity(minutes.len());
        for &m in minutes {
            if !(m.is_finite() && m > 0.0) {
                return Err(IsochroneError::InvalidBudget { minutes: m });
            }
            if m * speed > reach.limit_m() * (1.0 + 1e-12) {
                return Err(IsochroneError::BeyondSearch {
                    minutes: m,
                    searched_minutes: reach.limit_m() / speed,
                });
            }
            budgets.push(m);
        }
        crate::plan::sort::by(&mut budgets, f64::total_cmp);
        budgets.dedup();
        budgets.truncate(usize::from(u8::MAX) - 1);
        let limits: Vec<f64> = budgets.iter().map(|m| m * speed).collect();

        let pieces = self.reached_pieces(reach, &limits);
        let polys = out_of_line(
            pieces_to_polygons,
            (&pieces, limits.len(), opts, &self.proj),
        );
        Ok(budgets
            .into_iter()
            .zip(polys)
            .map(|(minutes, polygon_wgs84)| Isochrone {
                minutes,
                kind: IsochroneKind::Network,
                polygon_wgs84,
            })
            .collect())
    }

    /// The reached segment pieces `(p, q, budget index)`; a piece of budget `k` is also
    /// reached within every larger budget.
    #[inline(never)]
    fn reached_pieces(&self, reach: &Reach, limits: &[f64]) -> Vec<(Xy, Xy, u8)> {
        let mut out = Vec::new();
        let mut cand: Vec<u32> = Vec::new();
        for (n, _) in reach.reached() {
            cand.extend_from_slice(self.arc_edges(n));
        }
        cand.extend(reach.sources().iter().map(|s| s.edge.0));
        cand.sort_unstable();
        cand.dedup();
        let avoid_steps = reach.profile().avoid_steps;
        let mut line: Vec<Xy> = Vec::new();
        let mut iv: Vec<(f64, f64)> = Vec::new();
        for &e in &cand {
            let Some(edge) = self.edges.get(e as usize) else {
                continue;
            };
            if avoid_steps && edge.steps {
                continue;
            }
            let len = edge.length_m;
            let da = reach.node_metres(edge.a).unwrap_or(f64::INFINITY);
            let db = reach.node_metres(edge.b).unwrap_or(f64::INFINITY);
            let mut prev_full = false;
            for (k, &lim) in limits.iter().enumerate() {
                if prev_full {
                    break;
                }
                iv.clear();
                if da <= lim {
                    iv.push((0.0, (lim - da).min(len)));
                }
                if db <= lim {
                    iv.push(((len - (lim - db)).max(0.0), len));
                }
                for (_, s) in reach.sources_on(e) {
                    if s.off_network_m <= lim {
                        let r = lim - s.off_network_m;
                        iv.push(((s.from_start_m - r).max(0.0), (s.from_start_m + r).min(len)));
                    }
                }
                crate::plan::sort::by(&mut iv, |x, y| x.0.total_cmp(&y.0));
                let mut merged: Vec<(f64, f64)> = Vec::with_capacity(iv.len());
                for &(lo, hi) in &iv {
                    match merged.last_mut() {
                        Some(last) if lo <= last.1 => last.1 = last.1.max(hi),
                        _ => merged.push((lo, hi)),
                    }
                }
                prev_full = matches!(merged[..], [(lo, hi)] if lo <= 0.0 && hi >= len);
                if prev_full {
                    let g = self.edge_geometry(super::EdgeId(e));
                    out.extend(g.windows(2).map(|w| (w[0], w[1], k as u8)));
                    continue;
                }
                for &(lo, hi) in &merged {
                    line.clear();
                    self.edge_subline(super::EdgeId(e), lo, hi, &mut line);
                    out.extend(line.windows(2).map(|w| (w[0], w[1], k as u8)));
                }
            }
        }
        for s in reach.sources() {
            for (k, &lim) in limits.iter().enumerate() {
                let o = s.off_network_m;
                let reached = lim.min(o);
                let end = if o > 0.0 {
                    lerp(s.point_xy, s.on_network_xy, reached / o)
                } else {
                    s.point_xy
                };
                out.push((s.point_xy, end, k as u8));
                if reached >= o {
                    break;
                }
            }
        }
        out
    }
}

/// Rasterises the pieces and traces one multipolygon per budget.
#[inline(never)]
#[allow(clippy::type_complexity)] // one tuple: see `out_of_line`
fn pieces_to_polygons(
    (pieces, budgets, opts, proj): (&[(Xy, Xy, u8)], usize, &IsochroneOptions, &LocalProjection),
) -> Vec<MultiPolygon<f64>> {
    let empty = || vec![MultiPolygon::new(Vec::new()); budgets];
    if pieces.is_empty() {
        return empty();
    }
    let (mut minx, mut miny, mut maxx, mut maxy) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for (p, q, _) in pieces {
        for v in [p, q] {
            minx = minx.min(v.x);
            miny = miny.min(v.y);
            maxx = maxx.max(v.x);
            maxy = maxy.max(v.y);
        }
    }
    let mut c = if opts.cell_m.is_finite() && opts.cell_m > 0.0 {
        opts.cell_m
    } else {
        IsochroneOptions::default().cell_m
    };
    let base_buffer = if opts.buffer_m.is_finite() {
        opts.buffer_m.max(0.0)
    } else {
        0.0
    };
    let dims = |c: f64| {
        let r = base_buffer.max(MIN_BUFFER_CELLS * c);
        let w = ((maxx - minx + 2.0 * r) / c).ceil() as usize + 4;
        let h = ((maxy - miny + 2.0 * r) / c).ceil() as usize + 4;
        (r, w, h)
    };
    let (mut r, mut w, mut h) = dims(c);
    let max_cells = opts.max_cells.max(1024);
    while w.saturating_mul(h) > max_cells {
        c *= ((w * h) as f64 / max_cells as f64).sqrt().max(1.01);
        (r, w, h) = dims(c);
    }
    let mut grid = Grid {
        x0: minx - r - 2.0 * c,
        y0: miny - r - 2.0 * c,
        c,
        w,
        h,
        level: vec![u8::MAX; w * h],
    };
    let mut seed = vec![u8::MAX; w * h];
    let mut list = Vec::new();
    for &(p, q, k) in pieces {
        grid.seed_segment(&mut seed, &mut list, p, q, k);
    }
    out_of_line(Grid::dilate, (&mut grid, &seed, &list, r));
    let mut out = Vec::with_capacity(budgets);
    for k in 0..budgets as u8 {
        out_of_line(Grid::close_diagonals, (&mut grid, k));
        let rings = out_of_line(Grid::rings, (&grid, k));
        let (outers, holes): (Vec<_>, Vec<_>) = rings.into_iter().partition(|r| area2(r) > 0);
        let mut hole_lists: Vec<Vec<Vec<(i64, i64)>>> = vec![Vec::new(); outers.len()];
        for hole in holes {
            let first = hole[0];
            let owner = outers
                .iter()
                .enumerate()
                .filter(|(_, o)| inside(first, o))
                .min_by_key(|(_, o)| area2(o))
                .map(|(i, _)| i);
            if let Some(i) = owner {
                hole_lists[i].push(hole);
            }
        }
        let to_ls = |ring: &[(i64, i64)]| {
            LineString::new(
                ring.iter()
                    .map(|&(i, j)| {
                        let ll: LonLat = proj.unproject(Xy {
                            x: grid.x0 + i as f64 * c,
                            y: grid.y0 + j as f64 * c,
                        });
                        Coord {
                            x: ll.lon,
                            y: ll.lat,
                        }
                    })
                    .collect(),
            )
        };
        let polys = outers
            .iter()
            .zip(hole_lists)
            .map(|(o, hs)| Polygon::new(to_ls(o), hs.iter().map(|h| to_ls(h)).collect()))
            .collect();
        out.push(MultiPolygon::new(polys));
    }
    out
}

/// Straight-line estimates for a package without a walking network: circles of radius
/// `speed × minutes / detour_factor` around `centre`, as 72-gons, in ascending order of budget.
/// Invalid budgets are skipped.
///
/// ```
/// use shuangquan::plan::geom::LonLat;
/// use shuangquan::plan::graph::{straight_line_isochrones, DEFAULT_DETOUR_FACTOR};
/// let iso = straight_line_isochrones(LonLat::new(120.38, 36.07), &[15.0], 60.0, DEFAULT_DETOUR_FACTOR);
/// assert!(iso[0].is_estimate());
/// ```
pub fn straight_line_isochrones(
    centre: LonLat,
    minutes: &[f64],
    speed_m_per_min: f64,
    detour_factor: f64,
) -> Vec<Isochrone> {
    let proj = LocalProjection::new(centre);
    let mut budgets: Vec<f64> = minutes
        .iter()
        .copied()
        .filter(|m| m.is_finite() && *m > 0.0)
        .collect();
    crate::plan::sort::by(&mut budgets, f64::total_cmp);
    budgets.dedup();
    let factor = if detour_factor.is_finite() && detour_factor >= 1.0 {
        detour_factor
    } else {
        DEFAULT_DETOUR_FACTOR
    };
    budgets
        .into_iter()
        .map(|m| {
            let r = speed_m_per_min * m / factor;
            let ring: Vec<Coord<f64>> = (0..=72)
                .map(|k| {
                    let a = f64::from(k % 72) * std::f64::consts::TAU / 72.0;
                    let ll = proj.unproject(Xy {
                        x: r * a.cos(),
                        y: r * a.sin(),
                    });
                    Coord {
                        x: ll.lon,
                        y: ll.lat,
                    }
                })
                .collect();
            Isochrone {
                minutes: m,
                kind: IsochroneKind::StraightLineEstimate {
                    detour_factor: factor,
                },
                polygon_wgs84: MultiPolygon::new(vec![Polygon::new(LineString::new(ring), vec![])]),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ring_with_hole_and_island() {
        // A 7 × 7 block of filled cells with a 3 × 3 hole holding a 1-cell island.
        let w = 11;
        let mut g = Grid {
            x0: 0.0,
            y0: 0.0,
            c: 1.0,
            w,
            h: w,
            level: vec![u8::MAX; w * w],
        };
        for j in 2..9 {
            for i in 2..9 {
                let hole = (4..7).contains(&i) && (4..7).contains(&j);
                if !hole || (i == 5 && j == 5) {
                    g.level[j * w + i] = 0;
                }
            }
        }
        let rings = Grid::rings((&g, 0));
        let areas: Vec<i64> = rings.iter().map(|r| area2(r)).collect();
        assert_eq!(areas, [2 * 49, -2 * 9, 2]);
        assert!(inside(rings[1][0], &rings[0]));
        assert!(!inside(rings[1][0], &rings[2]));
        assert!(inside(rings[2][0], &rings[1]));
    }

    #[test]
    #[allow(clippy::many_single_char_names)] // grid indices and sizes
    fn filled_cells_are_within_the_buffer_of_the_segment_plus_minus_one_cell() {
        let mut seed = 3u64;
        let mut rnd = || {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            (seed >> 11) as f64 / (1u64 << 53) as f64
        };
        for case in 0..200 {
            let w = 60;
            let c = 1.5;
            let mut g = Grid {
                x0: -3.0,
                y0: -5.0,
                c,
                w,
                h: w,
                level: vec![u8::MAX; w * w],
            };
            let from = Xy {
                x: 20.0 + 30.0 * rnd(),
                y: 20.0 + 30.0 * rnd(),
            };
            let to = match case % 10 {
                0 => from,
                1 => Xy {
                    x: from.x,
                    y: 20.0 + 30.0 * rnd(),
                },
                _ => Xy {
                    x: 20.0 + 30.0 * rnd(),
                    y: 20.0 + 30.0 * rnd(),
                },
            };
            let r = c * (1.5 + 4.0 * rnd());
            let mut seeds = vec![u8::MAX; w * w];
            let mut list = Vec::new();
            g.seed_segment(&mut seeds, &mut list, from, to, 0);
            Grid::dilate((&mut g, &seeds, &list, r));
            for j in 0..w {
                for i in 0..w {
                    let (cx, cy) = (g.x0 + (i as f64 + 0.5) * c, g.y0 + (j as f64 + 0.5) * c);
                    let (dx, dy) = (to.x - from.x, to.y - from.y);
                    let l2 = dx * dx + dy * dy;
                    let t = if l2 > 0.0 {
                        (((cx - from.x) * dx + (cy - from.y) * dy) / l2).clamp(0.0, 1.0)
                    } else {
                        0.0
                    };
                    let d = (from.x + t * dx - cx).hypot(from.y + t * dy - cy);
                    let filled = g.level[j * w + i] == 0;
                    let slack = c * std::f64::consts::FRAC_1_SQRT_2 + 1e-9;
                    if d <= r - slack {
                        assert!(filled, "case {case}: ({i}, {j}) at {d} m, r {r}");
                    }
                    if d > r + slack {
                        assert!(!filled, "case {case}: ({i}, {j}) at {d} m, r {r}");
                    }
                }
            }
        }
    }

    #[test]
    fn diagonal_contacts_are_closed() {
        let mut g = Grid {
            x0: 0.0,
            y0: 0.0,
            c: 1.0,
            w: 6,
            h: 6,
            level: vec![u8::MAX; 36],
        };
        g.level[2 * 6 + 2] = 0;
        g.level[3 * 6 + 3] = 1;
        Grid::close_diagonals((&mut g, 0));
        assert_eq!(Grid::rings((&g, 0)).len(), 1);
        Grid::close_diagonals((&mut g, 1));
        let r = Grid::rings((&g, 1));
        assert_eq!(r.len(), 1);
        assert_eq!(area2(&r[0]), 2 * 4);
    }

    #[test]
    fn straight_line_radius() {
        let c = LonLat::new(120.38, 36.07);
        let iso = straight_line_isochrones(c, &[15.0, 5.0, -1.0], 60.0, 1.3);
        assert_eq!(iso.len(), 2);
        assert!((iso[0].minutes - 5.0).abs() < 1e-12);
        let p = iso[1].polygon_wgs84.0[0].exterior().0[0];
        let d = c.haversine_m(LonLat::new(p.x, p.y));
        assert!((d - 900.0 / 1.3).abs() < 2.0, "{d}");
    }
}
