//! The supply–demand report as files: one row per unit and target, one row per demand point
//! and target. Every row records the standard, method, walker and the network's compound
//! setting (`compounds`; empty for straight-line estimates) it was computed under. Ratios are
//! written in full (shortest round-trip form), people with 1 decimal, seconds with 1.

use crate::plan::csv_out::{Cell, CsvOut};
use crate::plan::graph::Compounds;
use crate::plan::model::DemandPoint;

use super::Access;

/// Column names of [`Access::report_csv`].
pub const REPORT_COLUMNS: [&str; 21] = [
    "standard",
    "method",
    "speed_m_per_min",
    "compounds",
    "level",
    "code",
    "name",
    "parent",
    "target",
    "minutes",
    "supply",
    "population",
    "mean_ratio",
    "target_ratio",
    "shortfall_people",
    "people_none_within",
    "mean_count_within",
    "dual_share",
    "aged60_people",
    "aged60_convenience_share",
    "aged60_dual_share",
];

/// Column names of [`Access::points_csv`].
pub const POINTS_COLUMNS: [&str; 5] = ["id", "target", "seconds", "count_within", "ratio"];

/// A ratio at full precision (shortest round-trip form), or empty.
fn full(x: Option<f64>) -> Cell<'static> {
    Cell::Num(x.map(|x| format!("{x}")).unwrap_or_default())
}

impl Access {
    /// The report as CSV: for every unit (communities, 街道, districts, then the city with
    /// `level` = `city`), one row per target.
    pub fn report_csv(&self) -> String {
        let mut out = CsvOut::new(&REPORT_COLUMNS);
        let p = &self.params;
        let compounds = self.coverage.compounds.map_or("", Compounds::id);
        for (k, (u, figs)) in self.coverage.units.iter().zip(&self.units).enumerate() {
            let old = self.elderly.as_ref().and_then(|e| e.get(k));
            for (t, f) in self.targets.iter().zip(figs) {
                out.row(&[
                    Cell::text(p.standard.id()),
                    Cell::text(p.method.id()),
                    Cell::num(p.coverage.speed_m_per_min),
                    Cell::text(compounds),
                    Cell::text(u.level.id()),
                    Cell::text(u.code.as_deref().unwrap_or_default()),
                    Cell::text(&u.name),
                    Cell::text(u.parent.as_deref().unwrap_or_default()),
                    Cell::text(t.target.id()),
                    Cell::num(t.ratios.minutes),
                    Cell::num(t.supply_ids.len()),
                    Cell::fixed(f.population, 1),
                    full(Some(f.mean_ratio)),
                    full(t.target_ratio),
                    Cell::opt_fixed(f.shortfall_people, 1),
                    Cell::fixed(f.people_none_within, 1),
                    Cell::fixed(f.mean_count_within, 3),
                    Cell::fixed(u.dual_share, 4),
                    Cell::opt_fixed(old.map(|e| e.people), 1),
                    Cell::opt_fixed(old.map(|e| e.convenience_share), 4),
                    Cell::opt_fixed(old.map(|e| e.dual_share), 4),
                ]);
            }
        }
        out.finish()
    }

    /// Per demand point and target (point order, then target order): seconds to the nearest
    /// supply point within the catchment (empty when none), how many are within it, and the
    /// point's accessibility (empty when the point could not join the network).
    pub fn points_csv(&self, demand: &[DemandPoint]) -> String {
        let mut out = CsvOut::new(&POINTS_COLUMNS);
        for (i, d) in demand.iter().enumerate() {
            for t in &self.targets {
                let r = &t.ratios;
                out.row(&[
                    Cell::text(&d.id),
                    Cell::text(t.target.id()),
                    Cell::opt_fixed(r.nearest_s[i], 1),
                    Cell::num(r.count_within[i]),
                    full(r.access[i]),
                ]);
            }
        }
        out.finish()
    }

    /// The report as GeoJSON: the dual-circle units' features ([`Coverage::report_geojson`]:
    /// shares, gaps, model ranks, boundary or centre) with, per target, `<target>_ratio`,
    /// `<target>_shortfall_people` and `<target>_none_within`, and the standard, its citation
    /// and the method on every feature.
    ///
    /// [`Coverage::report_geojson`]: crate::plan::coverage::Coverage::report_geojson
    pub fn report_geojson(&self, demand: &[DemandPoint]) -> String {
        use serde_json::Value;
        let text = self.coverage.report_geojson(demand);
        let Ok(mut fc) = serde_json::from_str::<Value>(&text) else {
            return text;
        };
        let p = &self.params;
        let num = |x: f64| serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number);
        if let Some(features) = fc.get_mut("features").and_then(Value::as_array_mut) {
            for (k, (f, figs)) in features.iter_mut().zip(&self.units).enumerate() {
                let Some(props) = f.get_mut("properties").and_then(Value::as_object_mut) else {
                    continue;
                };
                props.insert("standard".into(), p.standard.id().into());
                props.insert("standard_citation".into(), p.standard.citation_zh().into());
                props.insert("method".into(), p.method.id().into());
                if let Some(e) = self.elderly.as_ref().and_then(|e| e.get(k)) {
                    props.insert("aged60_people".into(), num(e.people));
                    props.insert("aged60_convenience_share".into(), num(e.convenience_share));
                    props.insert("aged60_dual_share".into(), num(e.dual_share));
                }
                for (t, x) in self.targets.iter().zip(figs) {
                    let id = t.target.id();
                    props.insert(format!("{id}_ratio"), num(x.mean_ratio));
                    props.insert(
                        format!("{id}_shortfall_people"),
                        x.shortfall_people.map_or(Value::Null, num),
                    );
                    props.insert(format!("{id}_none_within"), num(x.people_none_within));
                }
            }
        }
        if let Some(o) = fc.as_object_mut() {
            o.insert("standard".into(), p.standard.id().into());
            o.insert("method".into(), p.method.id().into());
            o.insert(
                "compounds".into(),
                self.coverage
                    .compounds
                    .map_or(Value::Null, |c| c.id().into()),
            );
        }
        fc.to_string()
    }

    /// A short plain-text summary for the terminal: the city's figures per target.
    pub fn summary_text(&self) -> String {
        use std::fmt::Write as _;
        let mut s = String::new();
        let p = &self.params;
        let _ = writeln!(
            s,
            "standard {} ({}), method {}, {} m/min",
            p.standard.id(),
            p.standard.citation_en(),
            p.method.id(),
            p.coverage.speed_m_per_min
        );
        if let (Some(e), Some(share), Some(u)) = (
            self.elderly.as_ref().and_then(|e| e.last()),
            p.elderly_share,
            self.coverage.units.last(),
        ) {
            let _ = writeln!(
                s,
                "everyone at {} m/min: 双圈 {:.1} %, convenience {:.1} %; aged 60+ ({:.2} %, {:.0} people) at {} m/min: 双圈 {:.1} %, convenience {:.1} %",
                p.coverage.speed_m_per_min,
                u.dual_share * 100.0,
                u.convenience_share * 100.0,
                share * 100.0,
                e.people,
                p.elderly_speed_m_per_min,
                e.dual_share * 100.0,
                e.convenience_share * 100.0
            );
        }
        if let Some(city) = self.units.last() {
            for (t, f) in self.targets.iter().zip(city) {
                let _ = write!(
                    s,
                    "{:<14} {:>4} min  supply {:>5}  mean ratio {:.6}  none within {:.0} of {:.0}",
                    t.target.id(),
                    t.ratios.minutes,
                    t.supply_ids.len(),
                    f.mean_ratio,
                    f.people_none_within,
                    f.population
                );
                if let Some(x) = f.shortfall_people {
                    let _ = write!(s, "  shortfall {x:.0} people");
                }
                s.push('\n');
            }
        }
        s
    }
}
