//! Gated compounds (封闭小区): who may walk resident-only ways and gates.
//!
//! **Resident-only elements**: while compounds are [`Compounds::Closed`] (the default), edges
//! of ways with private access ([`super::Edge::private`]) and leaving a gate node (an OSM
//! `barrier=gate` …); in either setting, a gate a scenario closed. With [`Compounds::Open`]
//! everyone passes everything else.
//!
//! **Outside** is the largest connected component of the network once every resident-only
//! edge and every resident-only gate node is taken out; every other node is inside a compound.
//!
//! **The rule**: a walk may use resident-only elements only *before its first* or *after its
//! last* outside node, never between two: a home inside a compound gets out (and a visitor may
//! walk in to a place inside), but nobody passes **through** a compound. The rule reads the same
//! both ways, so a search from homes and a search from facilities agree. The search tracks it
//! with three layers per node:
//! - 0: no outside node yet (resident-only elements allowed);
//! - 1: outside reached, no resident-only element since;
//! - 2: a resident-only element used after being outside (no outside node may follow).
//!
//! A start point is on layer 1 when its edge is not resident-only and touches an outside node
//! (a pavement in front of a gate is outside), else on layer 0.
//!
//! Complexity: [`WalkGraph::set_rules`] is O(V + E); a layered search costs at most three
//! times a plain one, and is used only when something is resident-only.

use std::fmt;
use std::str::FromStr;

use super::build::components;
use super::{NODE_GATE, NODE_GATE_CLOSED, NODE_GATE_OPENED, WalkGraph};

/// The setting "walk through residential compounds".
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Compounds {
    /// Ways with private access and gates are for residents only (the default).
    #[default]
    Closed,
    /// Everyone passes.
    Open,
}

/// A compound setting that is neither `open` nor `closed`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("compound setting {value:?} does not exist: use open or closed")]
pub struct CompoundsError {
    /// The value given.
    pub value: String,
}

impl FromStr for Compounds {
    type Err = CompoundsError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "closed" => Ok(Self::Closed),
            "open" => Ok(Self::Open),
            _ => Err(CompoundsError {
                value: s.to_owned(),
            }),
        }
    }
}

impl Compounds {
    /// The value written in reports and read by `--compounds`: `closed` or `open`.
    pub const fn id(self) -> &'static str {
        match self {
            Self::Closed => "closed",
            Self::Open => "open",
        }
    }
}

impl fmt::Display for Compounds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// The rules a walk graph is searched with.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct NetworkRules {
    /// Walk through residential compounds?
    pub compounds: Compounds,
    /// Seconds added on arriving at every street crossing node (0: none).
    pub crossing_delay_s: f64,
}

impl WalkGraph {
    /// The rules in force.
    pub fn rules(&self) -> NetworkRules {
        self.rules
    }

    /// Changes the rules (compound setting, crossing delay) without rebuilding: O(V + E).
    pub fn set_rules(&mut self, rules: NetworkRules) {
        self.rules = rules;
        self.outside = self.compute_outside();
    }

    /// True when a search needs the compound layers.
    pub(crate) fn layered(&self) -> bool {
        !self.outside.is_empty()
    }

    /// True when edge `e` is resident-only under the current rules.
    pub(crate) fn resident_edge(&self, e: u32) -> bool {
        self.rules.compounds == Compounds::Closed
            && self.edges.get(e as usize).is_some_and(|e| e.private)
    }

    /// True when leaving node `n` is resident-only under the current rules.
    pub(crate) fn resident_gate(&self, n: u32) -> bool {
        let f = self.node_flags.get(n as usize).copied().unwrap_or(0);
        f & NODE_GATE_OPENED == 0
            && (f & NODE_GATE_CLOSED != 0
                || (f & NODE_GATE != 0 && self.rules.compounds == Compounds::Closed))
    }

    /// True when node `n` is outside every compound (always true without layers).
    pub fn is_outside(&self, n: super::NodeId) -> bool {
        self.outside.get(n.idx()).copied().unwrap_or(true)
    }

    /// The outside flags (empty when nothing is resident-only).
    pub(crate) fn compute_outside(&self) -> Vec<bool> {
        let n = self.node_xy.len();
        let any = (0..n as u32).any(|v| self.resident_gate(v))
            || (0..self.edges.len() as u32)
                .any(|e| !self.edges[e as usize].removed && self.resident_edge(e));
        if !any {
            return Vec::new();
        }
        let gate: Vec<bool> = (0..n as u32).map(|v| self.resident_gate(v)).collect();
        let (comp, sizes) = components(n, &self.adj_start, &self.adj, &self.arc_edge, |to, e| {
            !self.resident_edge(e) && !gate[to as usize]
        });
        // Largest component among non-gate nodes (a gate is alone in its own).
        let mut best: Option<(u32, u32)> = None;
        for v in 0..n {
            if gate[v] {
                continue;
            }
            let c = comp[v];
            let size = sizes[c as usize];
            if best.is_none_or(|(_, s)| size > s) {
                best = Some((c, size));
            }
        }
        let Some((main, _)) = best else {
            return vec![false; n];
        };
        (0..n).map(|v| !gate[v] && comp[v] == main).collect()
    }

    /// [`Self::next_layer`] with what the search already holds: whether leaving the node is
    /// resident-only (`gate`, [`Self::resident_gate`]) and the arc's flags.
    pub(crate) fn next_layer_by_arc(&self, layer: u8, gate: bool, arc: u8, to: u32) -> Option<u8> {
        let private = self.rules.compounds == Compounds::Closed && arc & super::ARC_PRIVATE != 0;
        step(
            layer,
            gate || private,
            self.outside.get(to as usize).copied().unwrap_or(true),
        )
    }

    /// The layer a point on edge `e`, `from_start_m` and `to_end_m` from its ends, starts on:
    /// 1 (outside) when it is at an outside end, or its edge is not resident-only and touches
    /// an outside node; else 0 (see the module documentation).
    pub(crate) fn start_layer(&self, e: u32, from_start_m: f64, to_end_m: f64) -> u8 {
        let Some(edge) = self.edges.get(e as usize) else {
            return 0;
        };
        let out_a = self.outside.get(edge.a.idx()).copied().unwrap_or(true);
        let out_b = self.outside.get(edge.b.idx()).copied().unwrap_or(true);
        let at_outside_end = (from_start_m <= 0.0 && out_a) || (to_end_m <= 0.0 && out_b);
        u8::from(at_outside_end || (!self.resident_edge(e) && (out_a || out_b)))
    }

    /// The layer on arriving at end `to` of edge `e` from a start point on it, or `None`.
    pub(crate) fn seed_layer(&self, e: u32, start: u8, to: u32) -> Option<u8> {
        step(
            start,
            self.resident_edge(e),
            self.outside.get(to as usize).copied().unwrap_or(true),
        )
    }

    /// Whether a point of edge `e` (starting on layer `point` when walked from) may be reached
    /// from its end `from` on `layer`: a point on layer 1 counts as outside.
    pub(crate) fn point_allowed(&self, from: u32, layer: u8, e: u32, point: u8) -> bool {
        step(
            layer,
            self.resident_edge(e) || self.resident_gate(from),
            point == 1,
        )
        .is_some()
    }
}

/// One step of the rule: from `layer`, using a resident-only element or not, arriving at an
/// outside place or not.
fn step(layer: u8, resident: bool, outside: bool) -> Option<u8> {
    match layer {
        0 => Some(u8::from(outside)),
        1 if !resident => Some(1),
        1 | 2 if !outside => Some(2),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_parse_and_name_bad_values() {
        assert_eq!("Open".parse::<Compounds>(), Ok(Compounds::Open));
        assert_eq!(" closed".parse::<Compounds>(), Ok(Compounds::Closed));
        let e = "ajar".parse::<Compounds>().unwrap_err();
        assert!(e.to_string().contains("\"ajar\""));
        assert_eq!(Compounds::default().to_string(), "closed");
    }
}
