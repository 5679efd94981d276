//! Reach: bounded multi-source Dijkstra on the walk graph.
//!
//! Every source is a [`Snap`]: it enters the network at both ends of its edge, after its
//! off-network leg plus the partial edge to that end. One run with many sources gives every
//! node its walking time to the **nearest** source (and which source that is), so coverage of a
//! category costs one run however many facilities it has. Probe points are answered from the
//! run: the best of both ends of the probe's edge plus the partial edge, or directly along the
//! edge from a source on the same edge; plus the probe's own off-network leg.
//!
//! Internally distances are metres walked (off-network legs included); seconds are
//! `metres / speed × 60`. Budgets are in minutes at the profile's speed, or unbounded. The
//! [`Reach`] buffers are node-sized and reused between runs (only touched entries are reset),
//! so repeated queries allocate little. Ties are broken by node id then by source order, so
//! results are deterministic. The queue is a 4-ary heap (`heap.rs`). Complexity:
//! O((V' + E') log V') for the V' nodes and E' arcs within the budget, plus O(V') to reset.

use geo::{Coord, LineString};

#[cfg(not(target_arch = "wasm32"))]
use super::heap::ExactBuckets;
use super::heap::{Buckets, QuadHeap, Queue};
use super::{EdgeId, NodeId, Snap, WalkGraph, WalkProfile};
use crate::plan::geom::Xy;

const NONE: u32 = u32::MAX;

/// How far a search goes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Budget {
    /// Up to this many minutes of walking (inclusive).
    Minutes(f64),
    /// The whole connected network.
    Unbounded,
}

/// The walking time to a probe point.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ProbeTime {
    /// Walking seconds from the nearest source.
    pub seconds: f64,
    /// Metres walked (off-network legs included).
    pub metres: f64,
    /// Index (into the sources of the run) of the nearest source.
    pub source: usize,
}

/// A walking route from the nearest source to a probe point.
#[derive(Debug, Clone, PartialEq)]
pub struct Route {
    /// Index of the source the route starts at.
    pub source: usize,
    /// Walking seconds.
    pub seconds: f64,
    /// Metres walked (off-network legs included).
    pub metres: f64,
    /// The route from the source point to the probe point, WGS-84 (x = lon, y = lat).
    pub line_wgs84: LineString<f64>,
}

/// Per-node search state in 16 bytes (four to a cache line, none straddling two): the
/// predecessor edge and the compound layer share one word.
#[derive(Debug, Clone, Copy, PartialEq)]
struct NodeState {
    /// Metres from the nearest source (infinite: not reached).
    dist: f64,
    /// Index of the nearest source, or `NONE`.
    source: u32,
    /// Low [`PRED_BITS`] bits: the arc (an index into the graph's adjacency) by which the node
    /// was reached ([`PRED_MASK`] where a source entered the network); high bits: the compound layer, of the best arrival
    /// (per-node state) or of the predecessor (per-layer state); 0 without layers.
    link: u32,
}

/// Bits of [`NodeState::link`] for the arc: graphs have fewer than 2³⁰ − 1 arcs (a graph
/// that size would need tens of GB).
const PRED_BITS: u32 = 30;
const PRED_MASK: u32 = (1 << PRED_BITS) - 1;

impl NodeState {
    /// A state; `pred` is an arc index or `NONE`.
    const fn new(dist: f64, source: u32, pred: u32, layer: u8) -> Self {
        Self {
            dist,
            source,
            link: (pred & PRED_MASK) | ((layer as u32) << PRED_BITS),
        }
    }

    /// The arc by which the node was reached, or `NONE`.
    const fn pred(self) -> u32 {
        let p = self.link & PRED_MASK;
        if p == PRED_MASK { NONE } else { p }
    }

    /// The compound layer.
    const fn layer(self) -> u8 {
        (self.link >> PRED_BITS) as u8
    }
}

const UNREACHED: NodeState = NodeState::new(f64::INFINITY, NONE, NONE, 0);

/// The arc flags a profile may not walk ([`super::ARC_STEPS`] for the wheelchair).
const fn skip_flags(profile: WalkProfile) -> u8 {
    if profile.avoid_steps {
        super::ARC_STEPS
    } else {
        0
    }
}

/// Metres at the head of `arc` for a walk at `d` metres at its tail, `delay` added at a
/// crossing (never NaN: lengths and delays are finite and ≥ 0).
#[inline]
fn metres_at_head(graph: &WalkGraph, d: f64, arc: super::Arc, delay: f64) -> f64 {
    let nd = d + f64::from(arc.len_m);
    if delay > 0.0 && graph.is_crossing(NodeId(arc.to)) {
        nd + delay
    } else {
        nd
    }
}

/// Arcs a node relaxes at once in [`Reach::search_unflagged`].
#[cfg(not(target_arch = "wasm32"))]
const LANES: usize = 4;

/// The lanes of `row` whose offer `d + length` is below both its head's distance (`dists`)
/// and `above`, as bits `0..LANES`: `nd < (if dist < above { dist } else { above })` lane by
/// lane, the same sums and comparisons as one lane at a time. On x86-64 in SSE2 (always
/// present there; the value-only intrinsics are safe where the feature is enabled): two offers
/// a register, one conversion, addition, minimum and comparison for each pair.
#[cfg(target_arch = "x86_64")]
#[inline]
fn improving_lanes(d: f64, row: &[super::Arc; LANES], dists: [f64; LANES], above: f64) -> u32 {
    use safe_arch::{
        add_m128d, cmp_lt_mask_m128d, convert_to_m128d_from_lower2_m128, min_m128d,
        move_high_low_m128, move_mask_m128d, set_m128, set_m128d, set_splat_m128d,
    };
    let lens = set_m128(row[3].len_m, row[2].len_m, row[1].len_m, row[0].len_m);
    let (d, above) = (set_splat_m128d(d), set_splat_m128d(above));
    let low = add_m128d(d, convert_to_m128d_from_lower2_m128(lens));
    let high = add_m128d(
        d,
        convert_to_m128d_from_lower2_m128(move_high_low_m128(lens, lens)),
    );
    let low_bound = min_m128d(set_m128d(dists[1], dists[0]), above);
    let high_bound = min_m128d(set_m128d(dists[3], dists[2]), above);
    let low = move_mask_m128d(cmp_lt_mask_m128d(low, low_bound));
    let high = move_mask_m128d(cmp_lt_mask_m128d(high, high_bound));
    (low | (high << 2)) as u32
}

/// [`improving_lanes`] one lane at a time (native targets other than x86-64).
#[cfg(not(any(target_arch = "x86_64", target_arch = "wasm32")))]
#[inline]
fn improving_lanes(d: f64, row: &[super::Arc; LANES], dists: [f64; LANES], above: f64) -> u32 {
    let mut mask = 0u32;
    for (i, (arc, dist)) in row.iter().zip(dists).enumerate() {
        let nd = d + f64::from(arc.len_m);
        let bound = if dist < above { dist } else { above };
        mask |= u32::from(nd < bound) << i;
    }
    mask
}

/// Nodes popped at a time by [`Reach::search_distances`].
const BATCH: usize = 32;

/// Number of compound layers (see [`super::compounds`]).
const LAYERS: usize = 3;

/// The result of a reach run, and the reusable buffers for the next one.
#[derive(Debug, Clone)]
pub struct Reach {
    /// Best over the layers, per node (not written by a distance-only run: see `dist`).
    state: Vec<NodeState>,
    /// Per node, the metres of a distance-only run ([`Reach::run_distances`] without layers,
    /// bounded): 8 bytes a node where `state` has 16, so a search over the whole network
    /// touches half the memory; empty until such a run.
    dist: Vec<f64>,
    /// The last run was distance-only: `dist` holds its metres, `state` nothing.
    dist_only: bool,
    touched: Vec<u32>,
    /// Per (node × LAYERS + layer) when the graph has compounds, else empty.
    layers: Vec<NodeState>,
    touched_layers: Vec<u32>,
    /// Metres added on arriving at a crossing.
    delay_m: f64,
    heap: QuadHeap,
    buckets: Buckets,
    /// The bounded search's queue (native builds).
    #[cfg(not(target_arch = "wasm32"))]
    exact: ExactBuckets,
    sources: Vec<Snap>,
    /// `(edge, source index)`, sorted: sources by the edge they are on.
    by_edge: Vec<(u32, u32)>,
    profile: WalkProfile,
    limit_m: f64,
}

/// How a probe is best reached.
enum Via {
    /// Through a node, on a compound layer (0 without layers).
    Node(NodeId, u8),
    Direct(usize),
}

impl Reach {
    /// Empty buffers for `graph` (O(V) memory, nothing reached).
    pub fn new(graph: &WalkGraph) -> Self {
        let n = graph.node_count();
        Self {
            state: vec![UNREACHED; n],
            dist: Vec::new(),
            dist_only: false,
            touched: Vec::new(),
            layers: Vec::new(),
            touched_layers: Vec::new(),
            delay_m: 0.0,
            heap: QuadHeap::default(),
            buckets: Buckets::default(),
            #[cfg(not(target_arch = "wasm32"))]
            exact: ExactBuckets::default(),
            sources: Vec::new(),
            by_edge: Vec::new(),
            profile: WalkProfile::DEFAULT,
            limit_m: 0.0,
        }
    }

    /// Runs a search from `sources` on `graph` (the graph these buffers were made for; they
    /// are resized if not).
    pub fn run(
        &mut self,
        graph: &WalkGraph,
        sources: &[Snap],
        profile: WalkProfile,
        budget: Budget,
    ) {
        self.run_ordered(graph, sources, profile, budget, false, false);
    }

    /// [`Reach::run`] for a caller that reads only distances (node metres and seconds, probe
    /// times): a bounded search pops from a bucket queue (`heap::Buckets`) instead of the heap.
    /// The distances are [`Reach::run`]'s, bit for bit. Without compound layers such a run
    /// keeps the distances alone (8 bytes a node): no node records its nearest source
    /// ([`Reach::nearest_source`] is None) nor a path. The multi-source searches of coverage,
    /// which reach the whole network, are ≈ 2× cheaper so (BENCHMARKS.md).
    pub fn run_distances(
        &mut self,
        graph: &WalkGraph,
        sources: &[Snap],
        profile: WalkProfile,
        budget: Budget,
    ) {
        self.run_ordered(graph, sources, profile, budget, true, false);
    }

    fn run_ordered(
        &mut self,
        graph: &WalkGraph,
        sources: &[Snap],
        profile: WalkProfile,
        budget: Budget,
        any_order: bool,
        heap_only: bool,
    ) {
        if self.dist_only {
            for &t in &self.touched {
                self.dist[t as usize] = f64::INFINITY;
            }
        } else {
            for &t in &self.touched {
                self.state[t as usize] = UNREACHED;
            }
        }
        self.touched.clear();
        self.dist_only = false;
        for &t in &self.touched_layers {
            if let Some(x) = self.layers.get_mut(t as usize) {
                *x = UNREACHED;
            }
        }
        self.touched_layers.clear();
        self.heap.clear();
        let n = graph.node_count();
        if self.state.len() != n {
            *self = Self::new(graph);
        }
        let layered = graph.layered();
        if !layered {
            self.layers = Vec::new();
        } else if self.layers.len() != LAYERS * n {
            self.layers = vec![UNREACHED; LAYERS * n];
        }
        self.profile = profile;
        self.limit_m = match budget {
            Budget::Minutes(m) if m.is_finite() && profile.speed_m_per_min > 0.0 => {
                (m * profile.speed_m_per_min).max(0.0)
            }
            Budget::Minutes(_) => 0.0,
            Budget::Unbounded => f64::INFINITY,
        };
        let delay_s = graph.rules().crossing_delay_s;
        self.delay_m = if delay_s.is_finite() && delay_s > 0.0 {
            profile.metres(delay_s)
        } else {
            0.0
        };
        self.sources.clear();
        self.sources.extend_from_slice(sources);
        self.by_edge.clear();
        self.by_edge.extend(
            sources
                .iter()
                .enumerate()
                .map(|(i, s)| (s.edge.0, i as u32)),
        );
        self.by_edge.sort_unstable();

        let limit = self.limit_m;
        if any_order && limit.is_finite() && limit > 0.0 {
            let mut q = std::mem::take(&mut self.buckets);
            q.reset(limit);
            self.seed(graph, sources, profile, &mut q);
            if layered {
                self.search_layered(graph, profile, &mut q);
            } else {
                self.search_distances(graph, profile, &mut q);
            }
            self.buckets = q;
        } else if cfg!(not(target_arch = "wasm32"))
            && !heap_only
            && !layered
            && limit.is_finite()
            && limit > 0.0
        {
            #[cfg(not(target_arch = "wasm32"))]
            {
                let mut q = std::mem::take(&mut self.exact);
                q.reset(limit);
                self.seed(graph, sources, profile, &mut q);
                q.with_loop(|l| self.search_plain(graph, profile, false, l));
                self.exact = q;
            }
        } else {
            let mut q = std::mem::take(&mut self.heap);
            self.seed(graph, sources, profile, &mut q);
            if layered {
                self.search_layered(graph, profile, &mut q);
            } else {
                self.search_plain(graph, profile, heap_only, &mut q);
            }
            self.heap = q;
        }
    }

    /// Seeds the queue with the sources' edge ends.
    fn seed<Q: Queue>(
        &mut self,
        graph: &WalkGraph,
        sources: &[Snap],
        profile: WalkProfile,
        q: &mut Q,
    ) {
        let layered = graph.layered();
        for (i, s) in sources.iter().enumerate() {
            let Some(e) = graph.edges.get(s.edge.idx()) else {
                continue;
            };
            if e.removed {
                continue;
            }
            // On steps a wheelchair user can only start from an end of the flight.
            let blocked = profile.avoid_steps && e.steps;
            let start = graph.start_layer(s.edge.0, s.from_start_m, s.to_end_m);
            for (end, partial) in [(e.a.0, s.from_start_m), (e.b.0, s.to_end_m)] {
                if blocked && partial > 0.0 {
                    continue;
                }
                let layer = if layered {
                    match graph.seed_layer(s.edge.0, start, end) {
                        Some(l) => l,
                        None => continue,
                    }
                } else {
                    0
                };
                let d = s.off_network_m + partial + self.arrival_m(graph, end);
                self.settle(q, end, layer, d, i as u32, NONE, 0);
            }
        }
    }

    /// The search loop without compound layers: flat arrays, the arcs' flags read in arc order,
    /// the queue with lazy deletion (a node popped with a stale distance is skipped), no hashing.
    /// Natively a profile that skips no arc takes [`Reach::search_unflagged`] (unless
    /// `read_flags`: the tests' reference).
    fn search_plain<Q: Queue>(
        &mut self,
        graph: &WalkGraph,
        profile: WalkProfile,
        read_flags: bool,
        q: &mut Q,
    ) {
        let (delay, skip) = (self.delay_m, skip_flags(profile));
        #[cfg(not(target_arch = "wasm32"))]
        if skip == 0 && !read_flags {
            self.search_unflagged(graph, q);
            return;
        }
        let _ = read_flags;
        // `nd <= limit` is `nd < above`: one comparison with the head's distance, by a minimum,
        // instead of a second branch that mispredicts at the budget's edge.
        let above = self.limit_m.next_up();
        while let Some((d, node)) = q.pop() {
            let here = self.state[node as usize];
            if d > here.dist {
                continue;
            }
            let (first, arcs, flags) = graph.arcs_with_flags(node);
            for (k, (arc, &fl)) in (first..).zip(arcs.iter().zip(flags)) {
                if fl & skip != 0 {
                    continue;
                }
                let nd = metres_at_head(graph, d, *arc, delay);
                let best = &mut self.state[arc.to as usize];
                if nd < best.dist.min(above) {
                    if best.dist.is_infinite() {
                        self.touched.push(arc.to);
                    }
                    *best = NodeState::new(nd, here.source, k, 0);
                    q.push(nd, arc.to);
                }
            }
        }
    }

    /// [`Reach::search_plain`] for a profile that skips no arc, natively: the same offers in
    /// the same order (so the same distances, sources, predecessors and order of first reach),
    /// with no arc flag read (≈ 10 cache lines fewer a 15-minute search), the state and the
    /// list of touched nodes held apart from the queue (the compiler reloads neither per arc),
    /// and the budget's bound taken without `f64::min`'s NaN case (no distance is NaN), so that
    /// the head's distance is compared one instruction after its load. A node of at most
    /// [`LANES`] arcs compares all its offers without a branch and takes the improving ones from
    /// a bit mask (≈ 1.5 mispredicted branches a settled node instead of 3 over different
    /// searches; more work when the same search repeats: BENCHMARKS.md, s14-search), and a node
    /// first reached has its arcs prefetched.
    #[cfg(not(target_arch = "wasm32"))]
    fn search_unflagged<Q: Queue>(&mut self, graph: &WalkGraph, q: &mut Q) {
        if self.delay_m > 0.0 {
            self.search_unflagged_with::<Q, true>(graph, q);
        } else {
            self.search_unflagged_with::<Q, false>(graph, q);
        }
    }

    /// [`Reach::search_unflagged`], with or without the crossings' delay (`DELAY`: a search
    /// without it tests nothing per arc).
    #[cfg(not(target_arch = "wasm32"))]
    fn search_unflagged_with<Q: Queue, const DELAY: bool>(&mut self, graph: &WalkGraph, q: &mut Q) {
        let delay = self.delay_m;
        // As `search_plain`: `nd <= limit` is `nd < above`.
        let above = self.limit_m.next_up();
        let (adj_start, adj) = (&graph.adj_start[..], &graph.adj[..]);
        let at_head = |d: f64, arc: super::Arc| {
            let nd = d + f64::from(arc.len_m);
            if DELAY {
                nd + if graph.is_crossing(NodeId(arc.to)) {
                    delay
                } else {
                    0.0
                }
            } else {
                nd
            }
        };
        let (state, touched) = (&mut self.state[..], &mut self.touched);
        while let Some((d, node)) = q.pop() {
            let here = state[node as usize];
            if d > here.dist {
                continue;
            }
            let ends = &adj_start[node as usize..node as usize + 2];
            let (first, end) = (ends[0] as usize, ends[1] as usize);
            let deg = end.wrapping_sub(first);
            if deg <= LANES
                && let Some(row) = adj.get(first..first + LANES)
                && let Ok(row) = <&[super::Arc; LANES]>::try_from(row)
            {
                // Every lane's offer first, then the improving ones in arc order. A lane past
                // the degree reads the next node's arc but offers to this node, which is at
                // `d` already (`d + length ≥ d`: never an improvement); selected without a
                // branch, as the degree cannot be predicted. Each improving offer is tested
                // again against its head when taken (two arcs to one head: the second is
                // offered after the first, as in the loop below).
                let heads = std::array::from_fn(|i| {
                    std::hint::select_unpredictable(i < deg, row[i].to, node)
                });
                let dists = heads.map(|to| state[to as usize].dist);
                let mut mask = if DELAY {
                    let mut mask = 0u32;
                    for (i, &arc) in row.iter().enumerate() {
                        let (nd, dist) = (at_head(d, arc), dists[i]);
                        let bound = if dist < above { dist } else { above };
                        mask |= u32::from(nd < bound) << i;
                    }
                    mask
                } else {
                    improving_lanes(d, row, dists, above)
                };
                while mask != 0 {
                    let i = mask.trailing_zeros() as usize % LANES;
                    mask &= mask - 1;
                    let arc = row[i];
                    let nd = at_head(d, arc);
                    let best = &mut state[arc.to as usize];
                    if nd < best.dist {
                        if best.dist.is_infinite() {
                            touched.push(arc.to);
                            // Its arcs, asked for now: it is popped some 30 pops later.
                            if let Some(&at) = adj_start.get(arc.to as usize) {
                                prefetch_index::prefetch_index(adj, at as usize);
                            }
                        }
                        *best = NodeState::new(nd, here.source, (first + i) as u32, 0);
                        q.push(nd, arc.to);
                    }
                }
                continue;
            }
            let arcs = &adj[first..end];
            for (k, arc) in (first as u32..).zip(arcs) {
                let nd = at_head(d, *arc);
                let best = &mut state[arc.to as usize];
                let bound = if best.dist < above { best.dist } else { above };
                if nd < bound {
                    if best.dist.is_infinite() {
                        touched.push(arc.to);
                    }
                    *best = NodeState::new(nd, here.source, k, 0);
                    q.push(nd, arc.to);
                }
            }
        }
    }

    /// [`Reach::search_plain`] over the bucket queue, [`BATCH`] popped nodes at a time, in
    /// two passes: first every offer of the batch (each node's state, arc range and arcs), then
    /// each offer against its head's state. The reads of one pass do not wait on each other,
    /// so the processor overlaps their cache misses; a search over the whole network waits on
    /// memory, not on arithmetic (≈ 5 misses a node). An offer computed from a distance that
    /// falls within the batch is a walk's real length, only not the least: the node is queued
    /// again and offers its new distance later (label-correcting, as the bucket queue is).
    ///
    /// Distances only (the nearest source and the predecessor are not recorded): the seeds'
    /// metres are moved from `state` into `dist` (8 bytes a node), the search reads and writes
    /// `dist` alone, and the accessors read it while `dist_only` holds.
    fn search_distances(&mut self, graph: &WalkGraph, profile: WalkProfile, q: &mut Buckets) {
        let n = graph.node_count();
        if self.dist.len() != n {
            self.dist = vec![f64::INFINITY; n];
        }
        // The seeds (`seed` wrote them as states): their metres, and `state` clean again.
        for &t in &self.touched {
            let t = t as usize;
            self.dist[t] = self.state[t].dist;
            self.state[t] = UNREACHED;
        }
        self.dist_only = true;
        let (limit, delay, skip) = (self.limit_m, self.delay_m, skip_flags(profile));
        // The graph's arrays, hoisted: the loops index them directly, with no accessor call per
        // node (the browser's module is built for size, where such calls stay calls).
        let (adj_start, adj, arc_flags) =
            (&graph.adj_start[..], &graph.adj[..], &graph.arc_flags[..]);
        let node_flags = &graph.node_flags[..];
        let (dist, touched) = (&mut self.dist[..], &mut self.touched);
        let mut popped = Vec::with_capacity(BATCH);
        // (metres, head): `offers[..n]`, grown before a node whose arcs may not fit, so that
        // the arc loop writes by index (no `Vec::push` call per arc at `z`).
        let mut offers: Vec<(f64, u32)> = vec![(0.0, 0); BATCH * 4];
        while q.pop_batch(&mut popped, BATCH) {
            let mut n = 0;
            for &(d, node) in &popped {
                if d > dist[node as usize] {
                    continue;
                }
                let (first, end) = (
                    adj_start[node as usize] as usize,
                    adj_start[node as usize + 1] as usize,
                );
                if n + (end - first) > offers.len() {
                    offers.resize(n + (end - first), (0.0, 0));
                }
                // As [`metres_at_head`] (and the heap's search): the same sums in the same order.
                for k in first..end {
                    let (arc, fl) = (adj[k], arc_flags[k]);
                    if fl & skip != 0 {
                        continue;
                    }
                    let mut nd = d + f64::from(arc.len_m);
                    if delay > 0.0
                        && node_flags
                            .get(arc.to as usize)
                            .is_some_and(|f| f & super::NODE_CROSSING != 0)
                    {
                        nd += delay;
                    }
                    if nd <= limit {
                        offers[n] = (nd, arc.to);
                        n += 1;
                    }
                }
            }
            for &(nd, to) in &offers[..n] {
                let best = &mut dist[to as usize];
                if nd < *best {
                    if best.is_infinite() {
                        touched.push(to);
                    }
                    *best = nd;
                    q.push(nd, to);
                }
            }
        }
    }

    /// The search loop over the compound layers (key `node × LAYERS + layer`: a node's three
    /// layers are adjacent in memory).
    fn search_layered<Q: Queue>(&mut self, graph: &WalkGraph, profile: WalkProfile, q: &mut Q) {
        let limit = self.limit_m;
        let skip = skip_flags(profile);
        while let Some((d, k)) = q.pop() {
            let (node, layer) = (k / LAYERS as u32, (k % LAYERS as u32) as u8);
            let here = self.layers[k as usize];
            if d > here.dist {
                continue;
            }
            let src = here.source;
            let gate = graph.resident_gate(node);
            let (first, arcs, flags) = graph.arcs_with_flags(node);
            for (k, (arc, &f)) in (first..).zip(arcs.iter().zip(flags)) {
                if f & skip != 0 {
                    continue;
                }
                let Some(next) = graph.next_layer_by_arc(layer, gate, f, arc.to) else {
                    continue;
                };
                let nd = d + f64::from(arc.len_m) + self.arrival_m(graph, arc.to);
                if nd <= limit {
                    self.settle(q, arc.to, next, nd, src, k, layer);
                }
            }
        }
    }

    /// Metres added on arriving at node `n` (a crossing's delay).
    fn arrival_m(&self, graph: &WalkGraph, n: u32) -> f64 {
        if self.delay_m > 0.0 && graph.is_crossing(NodeId(n)) {
            self.delay_m
        } else {
            0.0
        }
    }

    /// Offers distance `d` to node `to` on `layer` (reached by arc `pred` from `pred_layer`);
    /// queues it when it improves.
    #[allow(clippy::too_many_arguments)]
    fn settle<Q: Queue>(
        &mut self,
        q: &mut Q,
        to: u32,
        layer: u8,
        d: f64,
        src: u32,
        pred: u32,
        pred_layer: u8,
    ) {
        // `d + 0.0` folds −0.0 into +0.0 so that the bit pattern orders correctly.
        let d = d + 0.0;
        if !(d >= 0.0 && d <= self.limit_m) {
            return;
        }
        let key = if self.layers.is_empty() {
            to
        } else {
            let k = to as usize * LAYERS + usize::from(layer);
            let slot = &mut self.layers[k];
            if d >= slot.dist {
                return;
            }
            if slot.dist.is_infinite() {
                self.touched_layers.push(k as u32);
            }
            *slot = NodeState::new(d, src, pred, pred_layer);
            k as u32
        };
        let best = &mut self.state[to as usize];
        if d < best.dist {
            if best.dist.is_infinite() {
                self.touched.push(to);
            }
            *best = NodeState::new(d, src, pred, layer);
        } else if self.layers.is_empty() {
            return;
        }
        q.push(d, key);
    }

    /// The profile of the last run.
    pub fn profile(&self) -> WalkProfile {
        self.profile
    }

    /// The budget of the last run in metres (infinite when unbounded).
    pub fn limit_m(&self) -> f64 {
        self.limit_m
    }

    /// The sources of the last run.
    pub fn sources(&self) -> &[Snap] {
        &self.sources
    }

    /// Walking metres to a node (off-network legs included), if reached within the budget.
    pub fn node_metres(&self, n: NodeId) -> Option<f64> {
        self.fits_node(n)
            .then(|| self.node_state(n.idx()).dist)
            .filter(|d| d.is_finite())
    }

    /// Walking seconds to a node, if reached within the budget.
    pub fn node_seconds(&self, n: NodeId) -> Option<f64> {
        self.node_metres(n).map(|m| self.profile.seconds(m))
    }

    /// Index of the source nearest to a node, if reached.
    pub fn nearest_source(&self, n: NodeId) -> Option<usize> {
        self.fits_node(n)
            .then(|| self.node_state(n.idx()).source)
            .filter(|&s| s != NONE)
            .map(|s| s as usize)
    }

    /// Number of nodes reached.
    pub fn reached_count(&self) -> usize {
        self.touched.len()
    }

    /// Every reached node with its walking seconds, in the order first reached.
    pub fn reached(&self) -> impl Iterator<Item = (NodeId, f64)> + '_ {
        self.touched.iter().map(|&n| {
            (
                NodeId(n),
                self.profile.seconds(self.node_state(n as usize).dist),
            )
        })
    }

    /// Sources on edge `e`.
    pub(crate) fn sources_on(&self, e: u32) -> impl Iterator<Item = (usize, &Snap)> + '_ {
        let start = self.by_edge.partition_point(|&(x, _)| x < e);
        self.by_edge[start..]
            .iter()
            .take_while(move |&&(x, _)| x == e)
            .map(|&(_, i)| (i as usize, &self.sources[i as usize]))
    }

    /// True when node `n` is in these buffers.
    fn fits_node(&self, n: NodeId) -> bool {
        n.idx() < self.state.len()
    }

    /// Node `n`'s state, best over the layers (a distance-only run's: its metres, no source, no
    /// predecessor).
    fn node_state(&self, n: usize) -> NodeState {
        if self.dist_only {
            NodeState::new(self.dist[n], NONE, NONE, 0)
        } else {
            self.state[n]
        }
    }

    /// True when these buffers belong to `graph` (same node count).
    pub fn fits(&self, graph: &WalkGraph) -> bool {
        self.state.len() == graph.node_count()
    }

    fn best_via(&self, graph: &WalkGraph, p: &Snap) -> Option<(Via, f64)> {
        if !self.fits(graph) {
            return None;
        }
        let e = graph.edges.get(p.edge.idx())?;
        let blocked = self.profile.avoid_steps && e.steps;
        let mut best: Option<(Via, f64)> = None;
        let mut consider = |via: Via, d: f64| {
            if d.is_finite() && best.as_ref().is_none_or(|(_, b)| d < *b) {
                best = Some((via, d));
            }
        };
        for (end, partial) in [(e.a, p.from_start_m), (e.b, p.to_end_m)] {
            if blocked && partial > 0.0 {
                continue;
            }
            let (d, layer) = if partial <= 0.0 {
                let st = self.node_state(end.idx());
                (st.dist, st.layer())
            } else {
                self.end_metres(graph, end, p)
            };
            consider(Via::Node(end, layer), d + partial);
        }
        for (i, s) in self.sources_on(p.edge.0).filter(|_| !blocked) {
            consider(
                Via::Direct(i),
                s.off_network_m + (s.from_start_m - p.from_start_m).abs(),
            );
        }
        let (via, d) = best?;
        let total = d + p.off_network_m;
        (total <= self.limit_m).then_some((via, total))
    }

    /// Metres to node `end` from which a point of edge `e` may be reached (the best layer
    /// the compound rule allows).
    fn end_metres(&self, graph: &WalkGraph, end: NodeId, p: &Snap) -> (f64, u8) {
        if self.layers.is_empty() || !graph.layered() {
            return (self.node_state(end.idx()).dist, 0);
        }
        let e = p.edge.0;
        let point = graph.start_layer(e, p.from_start_m, p.to_end_m);
        (0..LAYERS as u8)
            .filter(|&l| graph.point_allowed(end.0, l, e, point))
            .map(|l| (self.layers[end.idx() * LAYERS + usize::from(l)].dist, l))
            .fold((f64::INFINITY, 0), |a, b| if b.0 < a.0 { b } else { a })
    }

    /// The state of node `n` on `layer` (the per-node best without layers).
    fn at(&self, n: NodeId, layer: u8) -> NodeState {
        if self.layers.is_empty() {
            self.node_state(n.idx())
        } else {
            self.layers[n.idx() * LAYERS + usize::from(layer)]
        }
    }

    /// Walking time to a snapped probe point, if within the budget.
    pub fn probe(&self, graph: &WalkGraph, p: &Snap) -> Option<ProbeTime> {
        let (via, metres) = self.best_via(graph, p)?;
        let source = match via {
            Via::Node(n, layer) => self.at(n, layer).source as usize,
            Via::Direct(i) => i,
        };
        Some(ProbeTime {
            seconds: self.profile.seconds(metres),
            metres,
            source,
        })
    }

    /// [`Reach::probe`]'s seconds for every snapped point of `points`, `out(index, seconds)` in
    /// order, for those within the budget: the same least of the same sums (through either end
    /// of the point's edge, or straight from a source on that edge), so the same seconds, bit
    /// for bit. Without compound layers the loop reads two node states per point and looks
    /// for sources only on the edges that have one (a bit per edge), with no binary search
    /// and no call per point: coverage probes 60,000 points after each of its 13 searches,
    /// and in the browser's module (built for size) [`Reach::probe`] stays a chain of calls.
    pub fn probe_seconds_each(
        &self,
        graph: &WalkGraph,
        points: &[Option<Snap>],
        out: &mut dyn FnMut(usize, f64),
    ) {
        if !self.fits(graph) {
            return;
        }
        // The loop below reads a distance-only run's metres (coverage's bounded searches);
        // other runs (compound layers, unbounded or empty budgets) are probed one by one.
        if !self.dist_only {
            for (i, p) in points.iter().enumerate() {
                if let Some(t) = p.as_ref().and_then(|p| self.probe(graph, p)) {
                    out(i, t.seconds);
                }
            }
            return;
        }
        let mut has_source = vec![0u64; graph.edges.len().div_ceil(64)];
        for &(e, _) in &self.by_edge {
            if let Some(w) = has_source.get_mut(e as usize / 64) {
                *w |= 1 << (e % 64);
            }
        }
        let (edges, metres) = (&graph.edges[..], &self.dist[..]);
        let (avoid_steps, limit) = (self.profile.avoid_steps, self.limit_m);
        for (i, p) in points.iter().enumerate() {
            let Some(p) = p else { continue };
            let e = p.edge.0;
            let Some(edge) = edges.get(e as usize) else {
                continue;
            };
            let blocked = avoid_steps && edge.steps;
            // As `best_via`: the least finite candidate (a minimum is exact, so the order in
            // which equal candidates come does not matter).
            let mut best = f64::INFINITY;
            if !(blocked && p.from_start_m > 0.0) {
                let d = metres[edge.a.idx()] + p.from_start_m;
                if d < best {
                    best = d;
                }
            }
            if !(blocked && p.to_end_m > 0.0) {
                let d = metres[edge.b.idx()] + p.to_end_m;
                if d < best {
                    best = d;
                }
            }
            if !blocked && has_source[e as usize / 64] & (1 << (e % 64)) != 0 {
                for (_, s) in self.sources_on(e) {
                    let d = s.off_network_m + (s.from_start_m - p.from_start_m).abs();
                    if d < best {
                        best = d;
                    }
                }
            }
            if best.is_finite() {
                let total = best + p.off_network_m;
                if total <= limit {
                    out(i, self.profile.seconds(total));
                }
            }
        }
    }

    /// The edges of the shortest path from the nearest source's edge end to node `n`, in
    /// walking order (empty when `n` is where a source enters the network).
    pub fn path_edges(&self, graph: &WalkGraph, n: NodeId) -> Option<Vec<EdgeId>> {
        let layer = self.fits_node(n).then(|| self.node_state(n.idx()))?.layer();
        self.path_edges_on(graph, n, layer)
    }

    fn path_edges_on(&self, graph: &WalkGraph, n: NodeId, layer: u8) -> Option<Vec<EdgeId>> {
        if !self.fits(graph) {
            return None;
        }
        self.node_metres(n)?;
        let mut out = Vec::new();
        let (mut cur, mut layer) = (n, layer);
        loop {
            let st = self.at(cur, layer);
            let pred = st.pred();
            if pred == NONE {
                break;
            }
            let pred = graph.edge_of_arc(pred)?;
            out.push(EdgeId(pred));
            let edge = &graph.edges[pred as usize];
            cur = if edge.a == cur { edge.b } else { edge.a };
            if !self.layers.is_empty() {
                layer = st.layer();
            }
            if out.len() > graph.edge_count() * LAYERS {
                return None; // Cannot happen for a consistent run; guards a wrong graph.
            }
        }
        out.reverse();
        Some(out)
    }

    /// The walking route from the nearest source to a snapped probe point, if within budget.
    pub fn route(&self, graph: &WalkGraph, p: &Snap) -> Option<Route> {
        let (via, metres) = self.best_via(graph, p)?;
        let mut xy: Vec<Xy> = Vec::new();
        let source = match via {
            Via::Direct(i) => {
                let s = &self.sources[i];
                xy.push(s.point_xy);
                graph.edge_subline(s.edge, s.from_start_m, p.from_start_m, &mut xy);
                i
            }
            Via::Node(x, layer) => {
                let src = self.at(x, layer).source as usize;
                let s = self.sources.get(src)?;
                let path = self.path_edges_on(graph, x, layer)?;
                // The node where the source entered the network.
                let mut entry = x;
                for &e in path.iter().rev() {
                    let edge = graph.edge(e);
                    entry = if edge.a == entry { edge.b } else { edge.a };
                }
                let se = graph.edge(s.edge);
                let to_a = entry == se.a && (entry != se.b || s.from_start_m <= s.to_end_m);
                xy.push(s.point_xy);
                graph.edge_subline(
                    s.edge,
                    s.from_start_m,
                    if to_a { 0.0 } else { se.length_m },
                    &mut xy,
                );
                let mut at = entry;
                for &e in &path {
                    let edge = graph.edge(e);
                    if edge.a == at {
                        graph.edge_subline(e, 0.0, edge.length_m, &mut xy);
                        at = edge.b;
                    } else {
                        graph.edge_subline(e, edge.length_m, 0.0, &mut xy);
                        at = edge.a;
                    }
                }
                let pe = graph.edge(p.edge);
                let from = if x == pe.a && (x != pe.b || p.from_start_m <= p.to_end_m) {
                    0.0
                } else {
                    pe.length_m
                };
                graph.edge_subline(p.edge, from, p.from_start_m, &mut xy);
                src
            }
        };
        xy.push(p.point_xy);
        xy.dedup();
        let proj = graph.projection();
        let line = xy
            .into_iter()
            .map(|q| {
                let ll = proj.unproject(q);
                Coord {
                    x: ll.lon,
                    y: ll.lat,
                }
            })
            .collect();
        Some(Route {
            source,
            seconds: self.profile.seconds(metres),
            metres,
            line_wgs84: LineString::new(line),
        })
    }
}

#[cfg(test)]
impl Reach {
    /// [`Reach::run`] over the heap whatever the budget, reading the arcs' flags whatever the
    /// profile (the tests' reference of the bucket queue and of [`Reach::search_unflagged`]).
    fn run_heap(
        &mut self,
        graph: &WalkGraph,
        sources: &[Snap],
        profile: WalkProfile,
        budget: Budget,
    ) {
        self.run_ordered(graph, sources, profile, budget, false, true);
    }
}

impl WalkGraph {
    /// Runs a reach search with fresh buffers (use [`Reach::run`] to reuse them).
    pub fn reach(&self, sources: &[Snap], profile: WalkProfile, budget: Budget) -> Reach {
        let mut r = Reach::new(self);
        r.run(self, sources, profile, budget);
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::geom::LonLat;
    use crate::plan::graph::SnapOptions;
    use crate::plan::model::Street;

    fn line(c: &[(f64, f64)], highway: Option<&str>) -> Street {
        Street {
            id: String::new(),
            coords_wgs84: c.iter().map(|&(x, y)| LonLat::new(x, y)).collect(),
            highway: highway.map(Into::into),
            foot: None,
            access: None,
            name: None,
            area: None,
            service: None,
        }
    }

    #[test]
    fn same_edge_probe_and_route_are_direct() {
        // One long straight edge; source and probe both on it, far from both ends.
        let g = WalkGraph::build(&[line(&[(0.0, 0.0), (0.02, 0.0)], None)]);
        let opts = SnapOptions::default();
        let s = g.snap(LonLat::new(0.009, 0.0), &opts).unwrap();
        let p = g.snap(LonLat::new(0.010, 0.0001), &opts).unwrap();
        let run = g.reach(&[s], WalkProfile::DEFAULT, Budget::Minutes(5.0));
        assert_eq!(run.reached_count(), 0); // both ends are > 1 km away
        let t = run.probe(&g, &p).unwrap();
        let expect = (p.from_start_m - s.from_start_m) + p.off_network_m;
        assert!((t.metres - expect).abs() < 1e-9);
        assert!((t.seconds - expect).abs() < 1e-9); // 60 m/min = 1 m/s
        let route = run.route(&g, &p).unwrap();
        let pts = &route.line_wgs84.0;
        let walked: f64 = pts
            .windows(2)
            .map(|w| LonLat::new(w[0].x, w[0].y).haversine_m(LonLat::new(w[1].x, w[1].y)))
            .sum();
        assert!(
            (walked - route.metres).abs() < 0.5,
            "{walked} vs {}",
            route.metres
        );
        let last = pts[pts.len() - 1];
        assert!((last.x - 0.010).abs() < 1e-12 && (last.y - 0.0001).abs() < 1e-12);
    }

    #[test]
    fn wheelchair_avoids_steps() {
        // Two routes between A and B: 100 m of steps, or a 300 m detour.
        let a = (0.0, 0.0);
        let b = (0.0009, 0.0);
        let g = WalkGraph::build(&[
            line(&[a, b], Some("steps")),
            line(&[a, (0.0, 0.0009), (0.0009, 0.0009), b], Some("footway")),
        ]);
        let src = g.snap_node(NodeId(0)).unwrap();
        let walk = g.reach(&[src], WalkProfile::DEFAULT, Budget::Unbounded);
        let chair = g.reach(&[src], WalkProfile::WHEELCHAIR, Budget::Unbounded);
        let (dw, dc) = (
            walk.node_metres(NodeId(1)).unwrap(),
            chair.node_metres(NodeId(1)).unwrap(),
        );
        assert!((dw - 100.2).abs() < 0.5, "{dw}");
        assert!(dc > 290.0, "{dc}");
        assert_eq!(chair.path_edges(&g, NodeId(1)).unwrap(), [EdgeId(1)]);
    }

    /// `improving_lanes` (SSE2 on x86-64) gives each lane's one-at-a-time comparison
    /// `d + length < min(dist, above)`: ties with the head or the budget (not improving),
    /// unreached heads (infinite), zero lengths, and lengths whose f32 → f64 widening matters.
    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn lanes_compare_as_one_lane_at_a_time() {
        let mut next = super::super::heap::tests::xorshift(0x51_7CC1_B727_220Au64);
        let mut cases = 0;
        for _ in 0..20_000 {
            let mut pick = |n: u64| next() % n;
            let d = [0.0, 0.1, 250.25, 899.9][pick(4) as usize];
            let above = [900.0f64.next_up(), 300.0, 250.5][pick(3) as usize];
            let row: [super::super::Arc; LANES] = std::array::from_fn(|_| super::super::Arc {
                to: 0,
                len_m: [0.0, 0.25, 0.1, 1.7, 650.0][pick(5) as usize],
            });
            let dists: [f64; LANES] = std::array::from_fn(|i| {
                let nd = d + f64::from(row[i].len_m);
                [f64::INFINITY, nd, nd.next_up(), nd.next_down(), d, 100.0][pick(6) as usize]
            });
            let mut want = 0u32;
            for i in 0..LANES {
                let nd = d + f64::from(row[i].len_m);
                if nd < dists[i].min(above) {
                    want |= 1 << i;
                }
            }
            assert_eq!(
                improving_lanes(d, &row, dists, above),
                want,
                "d {d}, above {above}, row {row:?}, dists {dists:?}"
            );
            cases += usize::from(want != 0 && want != 0b1111);
        }
        assert!(cases > 1_000, "mixed masks: {cases}");
    }

    /// A bounded search over the bucket queue ends exactly as over the heap, node by node
    /// (distance bits, nearest source, predecessor arc) and in the order of first reach, on
    /// seeded grids whose arcs have lengths in whole and half metres, many of them 0 (ties
    /// everywhere), some steps, crossings with a delay, one or several sources, and budgets
    /// from a few metres to beyond the grid.
    #[test]
    fn bounded_search_equals_the_heap_search() {
        let mut next = super::super::heap::tests::xorshift(0x2545_F491_4F6C_DD1D);
        let step = 0.0005;
        let mut streets = Vec::new();
        for i in 0..12 {
            let row: Vec<(f64, f64)> = (0..12)
                .map(|j| (f64::from(j) * step, f64::from(i) * step))
                .collect();
            let col: Vec<(f64, f64)> = (0..12)
                .map(|j| (f64::from(i) * step, f64::from(j) * step))
                .collect();
            streets.push(line(&row, if i % 5 == 2 { Some("steps") } else { None }));
            streets.push(line(&col, None));
        }
        // Diagonals through the grid's nodes (nodes of six and eight arcs: more than the
        // native search's four lanes) and bent streets beside grid edges (two arcs from one
        // node to one head, offered in arc order).
        let at = |i: i32, j: i32| (f64::from(i) * step, f64::from(j) * step);
        for k in [1, 6] {
            streets.push(line(
                &(0..6).map(|t| at(k + t, t)).collect::<Vec<_>>(),
                None,
            ));
            streets.push(line(
                &(0..6).map(|t| at(k + 5 - t, t + 3)).collect::<Vec<_>>(),
                None,
            ));
        }
        for (i, j) in [(2, 2), (5, 8), (9, 4), (0, 10)] {
            let bend = (
                f64::from(i) * step + step / 2.0,
                f64::from(j) * step + step / 3.0,
            );
            streets.push(line(&[at(i, j), bend, at(i + 1, j)], None));
        }
        let base = WalkGraph::build(&streets);
        assert!(base.node_count() >= 144, "{}", base.node_count());
        let heads = |n: u32| {
            base.arcs_with_flags(n)
                .1
                .iter()
                .map(|a| a.to)
                .collect::<Vec<_>>()
        };
        assert!((0..base.node_count() as u32).any(|n| heads(n).len() > 4));
        assert!((0..base.node_count() as u32).any(|n| {
            let mut to = heads(n);
            to.sort_unstable();
            to.windows(2).any(|w| w[0] == w[1])
        }));
        let (mut bucketed, mut heap) = (Reach::new(&base), Reach::new(&base));
        let mut compared = 0;
        for round in 0..40 {
            let mut g = base.clone();
            for arc in &mut g.adj {
                arc.len_m = match next() % 4 {
                    0 => 0.0,
                    _ => (next() % 9) as f32 * 0.5,
                };
            }
            if round % 2 == 1 {
                g.rules.crossing_delay_s = 1.5;
                for f in &mut g.node_flags {
                    if next().is_multiple_of(3) {
                        *f |= super::super::NODE_CROSSING;
                    }
                }
            }
            let sources: Vec<Snap> = (0..=next() % 3)
                .filter_map(|_| g.snap_node(NodeId((next() % g.node_count() as u64) as u32)))
                .collect();
            let profile = if round % 3 == 0 {
                WalkProfile::WHEELCHAIR
            } else {
                WalkProfile::DEFAULT
            };
            let budget = Budget::Minutes([0.05, 0.2, 0.5, 3.0][round % 4]);
            bucketed.run(&g, &sources, profile, budget);
            heap.run_heap(&g, &sources, profile, budget);
            // The bucket queue was used (the heap's items stay with the heap).
            assert_eq!(
                bucketed.exact.pushed() > 0,
                !sources.is_empty(),
                "round {round}"
            );
            assert_eq!(bucketed.touched, heap.touched, "round {round}");
            for n in 0..g.node_count() {
                let (a, b) = (bucketed.state[n], heap.state[n]);
                assert_eq!(
                    (a.dist.to_bits(), a.source, a.link),
                    (b.dist.to_bits(), b.source, b.link),
                    "round {round}, node {n}"
                );
            }
            compared += heap.touched.len();
        }
        assert!(compared > 1_000, "{compared}");
    }

    #[test]
    fn buffers_are_reset_between_runs() {
        let g = WalkGraph::build(&[line(&[(0.0, 0.0), (0.001, 0.0), (0.002, 0.0)], None)]);
        let mut r = Reach::new(&g);
        r.run(
            &g,
            &[g.snap_node(NodeId(0)).unwrap()],
            WalkProfile::DEFAULT,
            Budget::Unbounded,
        );
        assert_eq!(r.reached_count(), 2);
        r.run(
            &g,
            &[g.snap_node(NodeId(1)).unwrap()],
            WalkProfile::DEFAULT,
            Budget::Minutes(1.0),
        );
        assert_eq!(r.reached_count(), 1);
        assert_eq!(r.node_metres(NodeId(0)), None);
        assert_eq!(r.node_seconds(NodeId(1)), Some(0.0));
    }
}
