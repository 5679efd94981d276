//! Two browser tabs editing one package's scenarios: the stored record's stamp, and the
//! three-way merge of this tab's scenarios with the ones another tab stored.
//!
//! Every stored copy carries a [`Stamp`] (revision counter, the tab that wrote it, and the stamp
//! it was derived from), so a tab never replaces a newer record blindly: it merges first.
//! [`merge`] takes the last record both sides knew (`base`), this tab's file (`local`) and the
//! newer stored one (`remote`) and matches scenarios by id:
//!
//! - a scenario changed on one side only takes that side's version; one added on either side is
//!   kept; one removed on one side and left alone on the other is removed;
//! - a scenario changed on both sides is merged field by field: sites by id (additions and
//!   removals of both sides), network edits as a multiset (the same), the name, the compound
//!   setting and the crossing wait when only one side changed them;
//! - when both sides changed the same field differently (or the same site), nothing is chosen
//!   for the planner: this tab's version stays and the other tab's is kept beside it as a copy
//!   (its name with a suffix such as "（另一个标签页）"), listed in [`Merged::copies`].
//!
//! Nothing either side added is ever dropped. Complexity: O(s² + e²) per scenario for s sites
//! and e network edits (a few hundred at most).

use serde::{Deserialize, Serialize};

use super::{MAX_SCENARIOS, NetworkEdit, Scenario, ScenarioFile, Site};

/// Who wrote a stored record, and which record it was derived from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Stamp {
    /// Counts the writes of this package's record (any tab); one more than its parent's.
    pub revision: u64,
    /// The writing tab's id (random per page load).
    pub tab: String,
    /// The record it was derived from (`None`: the first one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<Box<Stamp>>,
}

impl Stamp {
    /// The stamp of the record a tab writes over `parent` (the record it last knew).
    pub fn next(parent: Option<&Stamp>, tab: &str) -> Self {
        Self {
            revision: parent.map_or(0, |p| p.revision) + 1,
            tab: tab.to_owned(),
            // One generation is all a merge needs.
            parent: parent.map(|p| {
                Box::new(Stamp {
                    parent: None,
                    ..p.clone()
                })
            }),
        }
    }

    /// Same record (revision and writer; parents are not compared).
    pub fn same(&self, other: &Stamp) -> bool {
        self.revision == other.revision && self.tab == other.tab
    }
}

/// What [`merge`] made.
#[derive(Debug, Clone, PartialEq)]
pub struct Merged {
    /// The merged scenarios (this tab's active scenario stays active).
    pub file: ScenarioFile,
    /// Names of the copies kept for scenarios both tabs changed in conflicting ways.
    pub copies: Vec<String>,
    /// Names of scenarios whose other-tab version could not be kept (the file was full).
    pub not_kept: Vec<String>,
}

/// Gives every scenario without an id, or with an id used before it in the file, a new one:
/// `{prefix}{n}` with the smallest n from its position on that is not taken. Files read from
/// disk use prefix `s` (so two tabs reading one old file agree on its ids); a tab uses its own
/// id as prefix for scenarios it creates.
pub fn ensure_ids(f: &mut ScenarioFile, prefix: &str) {
    let n = f.scenarios.len();
    let mut seen: Vec<String> = Vec::with_capacity(n);
    for i in 0..n {
        let id = &f.scenarios[i].id;
        if id.is_empty() || seen.contains(id) {
            let taken = |c: &String| f.scenarios.iter().any(|s| &s.id == c) || seen.contains(c);
            // At most 2n ids are taken, so one of the next 2n + 1 is free.
            let new = (i + 1..=i + 1 + 2 * n)
                .map(|n| format!("{prefix}{n}"))
                .find(|c| !taken(c))
                .unwrap_or_default();
            f.scenarios[i].id = new;
        }
        seen.push(f.scenarios[i].id.clone());
    }
}

/// Merges `remote` (stored by another tab) into `local` (this tab's scenarios), both derived
/// from `base` (the last record this tab knew; `None` when there was none). Copies of conflicting
/// scenarios are named `name + copy_suffix` with id `id + "~" + tag`; a tag naming the remote
/// record (its writer and revision) gives every tab that merges it the same copy.
pub fn merge(
    base: Option<&ScenarioFile>,
    local: &ScenarioFile,
    remote: &ScenarioFile,
    copy_suffix: &str,
    tag: &str,
) -> Merged {
    let find = |f: Option<&ScenarioFile>, id: &str| -> Option<Scenario> {
        f?.scenarios.iter().find(|s| s.id == id).cloned()
    };
    let mut out: Vec<Scenario> = Vec::new();
    let mut copies = Vec::new();
    let mut not_kept = Vec::new();
    let mut conflicts: Vec<Scenario> = Vec::new();
    // The stored order first, so both tabs list the scenarios alike.
    for r in &remote.scenarios {
        let b = find(base, &r.id);
        match find(Some(local), &r.id) {
            // Removed here: stays removed unless the other tab changed it since.
            None if b.as_ref() == Some(r) => {}
            None => out.push(r.clone()),
            Some(l) => {
                if let Some(m) = scenario(b.as_ref(), &l, r) {
                    out.push(m);
                } else {
                    out.push(l);
                    conflicts.push(r.clone());
                }
            }
        }
    }
    for l in &local.scenarios {
        if remote.scenarios.iter().any(|r| r.id == l.id) {
            continue;
        }
        // Removed by the other tab: stays removed unless changed here since.
        let b = find(base, &l.id);
        if b.as_ref() != Some(l) {
            out.push(l.clone());
        }
    }
    for mut r in conflicts {
        if out.len() >= MAX_SCENARIOS {
            not_kept.push(r.name);
            continue;
        }
        r.name.push_str(copy_suffix);
        r.id = format!("{}~{tag}", r.id);
        copies.push(r.name.clone());
        out.push(r);
    }
    let active_id = local.scenarios.get(local.active).map(|s| s.id.as_str());
    let active = out
        .iter()
        .position(|s| Some(s.id.as_str()) == active_id)
        .unwrap_or_else(|| local.active.min(out.len().saturating_sub(1)));
    let mut file = ScenarioFile {
        active,
        scenarios: out,
        stamp: None,
        ..local.clone()
    };
    if file.scenarios.is_empty() {
        file.scenarios.clone_from(&local.scenarios);
        file.active = local.active;
    }
    Merged {
        file,
        copies,
        not_kept,
    }
}

/// Three-way merge of one scenario; `None` when both sides changed the same thing differently.
fn scenario(base: Option<&Scenario>, l: &Scenario, r: &Scenario) -> Option<Scenario> {
    if l == r || base == Some(r) {
        return Some(l.clone());
    }
    if base == Some(l) {
        return Some(r.clone());
    }
    // Added on both sides with one id: the same copy made by two tabs (named each in its own
    // language) is one scenario; anything else cannot be told apart, a conflict.
    let Some(b) = base else {
        let renamed = Scenario {
            name: l.name.clone(),
            ..r.clone()
        };
        return (renamed == *l).then(|| l.clone());
    };
    Some(Scenario {
        id: l.id.clone(),
        name: value(&b.name, &l.name, &r.name)?,
        compounds: value(&b.compounds, &l.compounds, &r.compounds)?,
        sites: sites(&b.sites, &l.sites, &r.sites)?,
        network: crate::plan::graph::NetworkEdits {
            crossing_delay_s: value(
                &b.network.crossing_delay_s,
                &l.network.crossing_delay_s,
                &r.network.crossing_delay_s,
            )?,
            edits: multiset(&b.network.edits, &l.network.edits, &r.network.edits),
        },
    })
}

/// One field: the side that changed it, or `None` when both changed it differently.
fn value<T: PartialEq + Clone>(b: &T, l: &T, r: &T) -> Option<T> {
    if l == r || b == r {
        Some(l.clone())
    } else if b == l {
        Some(r.clone())
    } else {
        None
    }
}

/// Sites by id: this tab's list, less those the other tab removed, plus those it added;
/// `None` when one site was changed differently on both sides.
fn sites(b: &[Site], l: &[Site], r: &[Site]) -> Option<Vec<Site>> {
    let by = |v: &[Site], id: &str| v.iter().find(|s| s.id == id).cloned();
    let mut out = Vec::with_capacity(l.len().max(r.len()));
    for x in l {
        match (by(b, &x.id), by(r, &x.id)) {
            (Some(bx), None) if bx == *x => {}
            (bx, Some(rx)) => out.push(value(&bx.unwrap_or_else(|| x.clone()), x, &rx)?),
            _ => out.push(x.clone()),
        }
    }
    for x in r {
        let here = l.iter().any(|s| s.id == x.id);
        let removed_here = by(b, &x.id).is_some_and(|bx| bx == *x);
        if !here && !removed_here {
            out.push(x.clone());
        }
    }
    Some(out)
}

/// Network edits (no ids): this tab's list, less what the other tab removed, plus what it added,
/// counting equal edits as a multiset.
fn multiset(b: &[NetworkEdit], l: &[NetworkEdit], r: &[NetworkEdit]) -> Vec<NetworkEdit> {
    let count = |v: &[NetworkEdit], e: &NetworkEdit| v.iter().filter(|x| *x == e).count();
    let mut out: Vec<NetworkEdit> = Vec::with_capacity(l.len() + r.len());
    for e in l.iter().chain(r) {
        if count(&out, e) < (count(l, e) + count(r, e)).saturating_sub(count(b, e)) {
            out.push(e.clone());
        }
    }
    out
}

/// A site with this id and name (tests here and in the web layer's reducer).
#[cfg(test)]
pub(crate) fn test_site(id: &str) -> Site {
    Site {
        id: id.to_owned(),
        name: id.to_owned(),
        lon: 121.4,
        lat: 31.2,
        host_type: None,
    }
}

#[cfg(test)]
mod tests {
    use super::test_site as site;
    use super::*;
    use crate::plan::geom::LonLat;
    use crate::plan::graph::Compounds;

    fn gate(lon: f64) -> NetworkEdit {
        NetworkEdit::GateOpen {
            at_wgs84: LonLat::new(lon, 31.2),
        }
    }

    fn file(scenarios: Vec<Scenario>) -> ScenarioFile {
        let mut f = ScenarioFile::new("p", "A");
        f.scenarios = scenarios;
        f
    }

    fn sc(id: &str, sites: &[&str], gates: &[f64]) -> Scenario {
        Scenario {
            id: id.to_owned(),
            name: id.to_uppercase(),
            sites: sites.iter().map(|s| site(s)).collect(),
            network: crate::plan::graph::NetworkEdits {
                edits: gates.iter().map(|g| gate(*g)).collect(),
                crossing_delay_s: 0.0,
            },
            ..Scenario::default()
        }
    }

    fn ids(s: &Scenario) -> Vec<&str> {
        s.sites.iter().map(|x| x.id.as_str()).collect()
    }

    #[test]
    fn one_sided_changes_are_taken_as_they_are() {
        let base = file(vec![sc("a", &["1"], &[])]);
        let changed = file(vec![sc("a", &["1", "2"], &[121.5])]);
        let m = merge(Some(&base), &base, &changed, " (x)", "t");
        assert_eq!(m.file.scenarios, changed.scenarios);
        let m = merge(Some(&base), &changed, &base, " (x)", "t");
        assert_eq!(m.file.scenarios, changed.scenarios);
        assert!(m.copies.is_empty());
    }

    #[test]
    fn edits_of_one_scenario_in_two_tabs_both_stay() {
        let base = file(vec![sc("a", &["1"], &[121.1])]);
        // This tab adds a site; the other adds another site and a gate and removes gate 121.1.
        let local = file(vec![sc("a", &["1", "2"], &[121.1])]);
        let remote = file(vec![sc("a", &["1", "3"], &[121.5])]);
        let m = merge(Some(&base), &local, &remote, " (x)", "t");
        assert_eq!(m.file.scenarios.len(), 1);
        let a = &m.file.scenarios[0];
        assert_eq!(ids(a), ["1", "2", "3"]);
        assert_eq!(a.network.edits, vec![gate(121.5)]);
        assert!(m.copies.is_empty());
        // The other tab merging the other way round gets the same content.
        let back = merge(Some(&base), &remote, &local, " (x)", "u");
        let mut x = ids(&back.file.scenarios[0]);
        x.sort_unstable();
        assert_eq!(x, ["1", "2", "3"]);
        assert_eq!(back.file.scenarios[0].network.edits, vec![gate(121.5)]);
    }

    #[test]
    fn conflicting_edits_keep_both_versions() {
        let base = file(vec![sc("a", &[], &[]), sc("b", &[], &[])]);
        let mut local = base.clone();
        local.scenarios[0].compounds = Compounds::Open;
        local.scenarios[0].network.crossing_delay_s = 10.0;
        local.active = 1;
        let mut remote = base.clone();
        remote.scenarios[0].network.crossing_delay_s = 30.0;
        remote.scenarios[1].sites.push(site("9"));
        let m = merge(Some(&base), &local, &remote, "（另一个标签页）", "t");
        assert_eq!(m.copies, ["A（另一个标签页）"]);
        let s = &m.file.scenarios;
        assert_eq!(s.len(), 3);
        assert_eq!(s[0], local.scenarios[0], "this tab's version stays");
        assert_eq!(ids(&s[1]), ["9"], "the other scenario merges");
        assert!((s[2].network.crossing_delay_s - 30.0).abs() < 1e-9);
        assert_eq!(s[2].id, "a~t");
        assert_eq!(m.file.active, 1, "the active scenario stays active");
    }

    #[test]
    fn additions_and_removals_of_scenarios() {
        let base = file(vec![sc("a", &[], &[]), sc("b", &[], &[])]);
        // Here: b removed, c added. There: a removed, d added.
        let local = file(vec![sc("a", &[], &[]), sc("c", &[], &[])]);
        let remote = file(vec![sc("b", &[], &[]), sc("d", &[], &[])]);
        let m = merge(Some(&base), &local, &remote, "", "t");
        let got: Vec<&str> = m.file.scenarios.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(got, ["d", "c"]);
        // Removed on one side but changed on the other: kept.
        let remote = file(vec![sc("a", &[], &[]), sc("b", &["5"], &[])]);
        let local = file(vec![sc("a", &[], &[])]);
        let m = merge(Some(&base), &local, &remote, "", "t");
        assert_eq!(m.file.scenarios.len(), 2);
        // One copy made by two tabs in two languages stays one.
        let zh = file(vec![sc("a~t.3", &["1"], &[])]);
        let mut en = zh.clone();
        en.scenarios[0].name = "A (other tab)".to_owned();
        let m = merge(Some(&base), &zh, &en, "", "u");
        assert_eq!(m.file.scenarios, zh.scenarios);
        // No base: everything on both sides is kept.
        let m = merge(None, &local, &file(vec![sc("z", &[], &[])]), "", "t");
        assert_eq!(m.file.scenarios.len(), 2);
    }

    #[test]
    fn network_edit_multiset_against_an_oracle() {
        // Oracle: count(result, e) = count(l, e) + count(r, e) - count(b, e) clamped at 0, with
        // removals on either side honoured (b ≥ side).
        let pool = [gate(1.0), gate(2.0), gate(3.0)];
        let mut seed = 7u64;
        let mut pick = |n: usize| {
            (0..n)
                .map(|_| {
                    seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                    pool[usize::try_from(seed >> 62).unwrap_or(0) % 3].clone()
                })
                .collect::<Vec<_>>()
        };
        for _ in 0..200 {
            let b = pick(3);
            // Each side removes some of base and adds some.
            let l: Vec<_> = b.iter().skip(1).cloned().chain(pick(2)).collect();
            let r: Vec<_> = b.iter().take(2).cloned().chain(pick(1)).collect();
            let out = multiset(&b, &l, &r);
            for e in &pool {
                let c = |v: &[NetworkEdit]| v.iter().filter(|x| *x == e).count();
                let want = (c(&l) + c(&r)).saturating_sub(c(&b));
                assert_eq!(c(&out), want, "{e:?}: b {b:?} l {l:?} r {r:?} → {out:?}");
            }
        }
    }

    #[test]
    fn ids_are_unique_and_stable() {
        let mut f = file(vec![
            sc("", &[], &[]),
            sc("s1", &[], &[]),
            sc("s1", &[], &[]),
        ]);
        ensure_ids(&mut f, "s");
        let got: Vec<&str> = f.scenarios.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(got, ["s2", "s1", "s3"]);
        let s = Stamp::next(None, "t1");
        let n = Stamp::next(Some(&s), "t2");
        assert_eq!((n.revision, n.parent.as_deref()), (2, Some(&s)));
        assert!(!n.same(&s));
    }
}
