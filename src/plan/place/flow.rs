//! Who a set of stations with capacities can serve: the covered people assigned to reachable
//! stations with room left, as a maximum flow (source → demand point, weight; demand point →
//! every open station within the threshold, unlimited; station → sink, its capacity).
//!
//! People of one demand point may be split among several reachable stations (a demand point
//! stands for many households). The maximum flow is the most people that can be served; what is
//! covered (some open station within reach) but not served is "over capacity". Dinic's
//! algorithm with an iterative path search (no recursion, so no stack limit on wasm), on
//! weights in people (f64, a relative tolerance of 10⁻¹² of the total). Complexity
//! O(V²·E) in the worst case, far less on these bipartite graphs; E = Σ|covers of the open
//! stations|. [`served_prefixes`] opens stations one at a time and augments the flow it has
//! (the residual network of a maximum flow stays valid when a station is added), so the k
//! prefixes of a build order cost about one flow, not k. Written here rather than taken from a crate: the graph crates' max-flow routines
//! want integer (`Ord`) capacities, and the weights are people in f64.

/// The assignment of people to open stations.
#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    /// People served in all.
    pub served: f64,
    /// People covered (some open station within reach).
    pub covered: f64,
    /// Per demand point: people served.
    pub served_by_demand: Vec<f64>,
    /// Per demand point: within reach of an open station.
    pub covered_by_demand: Vec<bool>,
    /// Per open station (in the order given): people assigned.
    pub load: Vec<f64>,
}

struct Net {
    to: Vec<u32>,
    cap: Vec<f64>,
    adj: Vec<Vec<u32>>,
}

impl Net {
    fn edge(&mut self, a: usize, b: usize, cap: f64) {
        self.adj[a].push(self.to.len() as u32);
        self.to.push(b as u32);
        self.cap.push(cap);
        self.adj[b].push(self.to.len() as u32);
        self.to.push(a as u32);
        self.cap.push(0.0);
    }

    /// Dinic's maximum flow from node 0 to node 1.
    fn max_flow(&mut self, eps: f64) -> f64 {
        let count = self.adj.len();
        let (src, sink) = (0usize, 1usize);
        let mut level = vec![u32::MAX; count];
        let mut it = vec![0usize; count];
        let mut queue = Vec::with_capacity(count);
        let mut path: Vec<u32> = Vec::new();
        let mut total = 0.0;
        loop {
            level.fill(u32::MAX);
            level[src] = 0;
            queue.clear();
            queue.push(src);
            let mut head = 0;
            while head < queue.len() {
                let at = queue[head];
                head += 1;
                for &e in &self.adj[at] {
                    let next = self.to[e as usize] as usize;
                    if self.cap[e as usize] > eps && level[next] == u32::MAX {
                        level[next] = level[at] + 1;
                        queue.push(next);
                    }
                }
            }
            if level[sink] == u32::MAX {
                return total;
            }
            it.fill(0);
            path.clear();
            let mut at = src;
            loop {
                if at == sink {
                    let push = path
                        .iter()
                        .map(|&e| self.cap[e as usize])
                        .fold(f64::INFINITY, f64::min);
                    for &e in &path {
                        self.cap[e as usize] -= push;
                        self.cap[(e ^ 1) as usize] += push;
                    }
                    total += push;
                    path.clear();
                    at = src;
                    continue;
                }
                let mut advanced = false;
                while it[at] < self.adj[at].len() {
                    let e = self.adj[at][it[at]];
                    let next = self.to[e as usize] as usize;
                    if self.cap[e as usize] > eps && level[next] == level[at] + 1 {
                        path.push(e);
                        at = next;
                        advanced = true;
                        break;
                    }
                    it[at] += 1;
                }
                if advanced {
                    continue;
                }
                if at == src {
                    break;
                }
                level[at] = u32::MAX;
                let Some(e) = path.pop() else { break };
                at = self.to[(e ^ 1) as usize] as usize;
                it[at] += 1;
            }
        }
    }
}

/// Serves the people of `weights` from the `open` candidates (indices into `covers` and
/// `capacity`; `f64::INFINITY` is no limit). Negative or non-finite capacities count as 0.
pub fn assign(
    weights: &[f64],
    covers: &[Vec<u32>],
    capacity: &[f64],
    open: &[usize],
) -> Assignment {
    let d_len = weights.len();
    let mut covered_by_demand = vec![false; d_len];
    for &j in open {
        for &d in &covers[j] {
            covered_by_demand[d as usize] = true;
        }
    }
    // Nodes: 0 source, 1 sink, 2.. open stations, then the covered demand points.
    let mut node_of = vec![u32::MAX; d_len];
    let mut demand_nodes = Vec::new();
    for d in 0..d_len {
        if covered_by_demand[d] && weights[d] > 0.0 {
            node_of[d] = (2 + open.len() + demand_nodes.len()) as u32;
            demand_nodes.push(d);
        }
    }
    let mut net = Net {
        to: Vec::new(),
        cap: Vec::new(),
        adj: vec![Vec::new(); 2 + open.len() + demand_nodes.len()],
    };
    let mut sink_edges = Vec::with_capacity(open.len());
    for (p, &j) in open.iter().enumerate() {
        let c = capacity.get(j).copied().unwrap_or(f64::INFINITY);
        let c = if c.is_nan() || c < 0.0 { 0.0 } else { c };
        sink_edges.push(net.to.len());
        net.edge(2 + p, 1, c);
    }
    let mut source_edges = Vec::with_capacity(demand_nodes.len());
    for &d in &demand_nodes {
        source_edges.push(net.to.len());
        net.edge(0, node_of[d] as usize, weights[d]);
    }
    for (p, &j) in open.iter().enumerate() {
        for &d in &covers[j] {
            let n = node_of[d as usize];
            if n != u32::MAX {
                net.edge(n as usize, 2 + p, f64::INFINITY);
            }
        }
    }
    let covered: f64 = demand_nodes.iter().map(|&d| weights[d]).sum::<f64>() + 0.0;
    let eps = 1e-12 * covered.max(1.0);
    let served = net.max_flow(eps);
    let mut served_by_demand = vec![0.0; d_len];
    for (&d, &e) in demand_nodes.iter().zip(&source_edges) {
        served_by_demand[d] = net.cap[e ^ 1];
    }
    let load = sink_edges.iter().map(|&e| net.cap[e ^ 1]).collect();
    Assignment {
        served,
        covered,
        served_by_demand,
        covered_by_demand,
        load,
    }
}

/// People served by the first `base`, `base` + 1, …, n stations of `open` (the same rules as
/// [`assign`]; entry p is the first p + 1 stations, entries below `base − 1` are 0), one
/// maximum flow kept and augmented as each station opens: the flow after opening a station is
/// a maximum flow of the network without it plus augmenting paths in its residual network,
/// which the next `Net::max_flow` call finds. The first `base` stations open together.
pub fn served_prefixes(
    weights: &[f64],
    covers: &[Vec<u32>],
    capacity: &[f64],
    open: &[usize],
    base: usize,
) -> Vec<f64> {
    let d_len = weights.len();
    // Nodes: 0 source, 1 sink, 2.. the demand points any of `open` covers, then the stations
    // as they open.
    let mut node_of = vec![u32::MAX; d_len];
    let mut count = 2usize;
    let mut covered = 0.0;
    for &j in open {
        for &d in &covers[j] {
            let d = d as usize;
            if node_of[d] == u32::MAX && weights[d] > 0.0 {
                node_of[d] = count as u32;
                count += 1;
                covered += weights[d];
            }
        }
    }
    let mut net = Net {
        to: Vec::new(),
        cap: Vec::new(),
        adj: vec![Vec::new(); count],
    };
    for (d, &n) in node_of.iter().enumerate() {
        if n != u32::MAX {
            net.edge(0, n as usize, weights[d]);
        }
    }
    let eps = 1e-12 * f64::max(covered, 1.0);
    let mut served = 0.0;
    open.iter()
        .enumerate()
        .map(|(p, &j)| {
            let c = capacity.get(j).copied().unwrap_or(f64::INFINITY);
            let c = if c.is_nan() || c < 0.0 { 0.0 } else { c };
            let station = net.adj.len();
            net.adj.push(Vec::new());
            net.edge(station, 1, c);
            for &d in &covers[j] {
                let n = node_of[d as usize];
                if n != u32::MAX {
                    net.edge(n as usize, station, f64::INFINITY);
                }
            }
            if p + 1 < base {
                return 0.0;
            }
            served += net.max_flow(eps);
            served
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{assign, served_prefixes};

    #[test]
    fn prefixes_equal_a_flow_from_scratch_for_each_prefix() {
        // Seeded bipartite instances; capacities 0–12 and some unlimited.
        let mut state = 7u64;
        let mut next = |n: u64| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) % n
        };
        for _ in 0..200 {
            let d = 1 + next(25) as usize;
            let c = 1 + next(8) as usize;
            let weights: Vec<f64> = (0..d).map(|_| next(6) as f64).collect();
            let covers: Vec<Vec<u32>> = (0..c)
                .map(|_| (0..d as u32).filter(|_| next(3) == 0).collect())
                .collect();
            let capacity: Vec<f64> = (0..c)
                .map(|_| match next(5) {
                    0 => f64::INFINITY,
                    _ => next(13) as f64,
                })
                .collect();
            let mut open: Vec<usize> = (0..c).filter(|_| next(4) != 0).collect();
            if next(2) == 0 {
                open.reverse();
            }
            let base = next(3) as usize;
            let got = served_prefixes(&weights, &covers, &capacity, &open, base);
            for p in base.saturating_sub(1)..open.len() {
                let want = assign(&weights, &covers, &capacity, &open[..=p]).served;
                assert!(
                    (got[p] - want).abs() < 1e-9,
                    "{open:?} prefix {p}: {} vs {want}",
                    got[p]
                );
            }
        }
    }
}
