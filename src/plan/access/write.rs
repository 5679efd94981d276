//! The supply–demand report as files: one row per unit and target, one row per demand point
//! and target. Every row records the standard and method it was computed under. Ratios are
//! written in full (shortest round-trip form), people with 1 decimal, seconds with 1.

use crate::plan::coverage::write::{cell, fixed, opt, write_row};
use crate::plan::model::DemandPoint;

use super::Access;

/// Column names of [`Access::report_csv`].
pub const REPORT_COLUMNS: [&str; 16] = [
    "standard",
    "method",
    "speed_m_per_min",
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
];

/// Column names of [`Access::points_csv`].
pub const POINTS_COLUMNS: [&str; 5] = ["id", "target", "seconds", "count_within", "ratio"];

fn full(x: Option<f64>) -> String {
    x.map(|x| format!("{x}")).unwrap_or_default()
}

impl Access {
    /// The report as CSV: for every unit (communities, 街道, districts, then the city with
    /// `level` = `city`), one row per target.
    pub fn report_csv(&self) -> String {
        let mut out = String::new();
        write_row(&mut out, &REPORT_COLUMNS.map(str::to_owned));
        let p = &self.params;
        for (u, figs) in self.coverage.units.iter().zip(&self.units) {
            for (t, f) in self.targets.iter().zip(figs) {
                write_row(
                    &mut out,
                    &[
                        p.standard.id().to_owned(),
                        p.method.id().to_owned(),
                        format!("{}", p.coverage.speed_m_per_min),
                        u.level.id().to_owned(),
                        cell(u.code.as_deref().unwrap_or_default()),
                        cell(&u.name),
                        cell(u.parent.as_deref().unwrap_or_default()),
                        t.target.id().to_owned(),
                        format!("{}", t.ratios.minutes),
                        t.supply_ids.len().to_string(),
                        fixed(f.population, 1),
                        full(Some(f.mean_ratio)),
                        full(t.target_ratio),
                        opt(f.shortfall_people, 1),
                        fixed(f.people_none_within, 1),
                        fixed(f.mean_count_within, 3),
                    ],
                );
            }
        }
        out
    }

    /// Per demand point and target (point order, then target order): seconds to the nearest
    /// supply point within the catchment (empty when none), how many are within it, and the
    /// point's accessibility (empty when the point could not join the network).
    pub fn points_csv(&self, demand: &[DemandPoint]) -> String {
        let mut out = String::new();
        write_row(&mut out, &POINTS_COLUMNS.map(str::to_owned));
        for (i, d) in demand.iter().enumerate() {
            for t in &self.targets {
                let r = &t.ratios;
                write_row(
                    &mut out,
                    &[
                        cell(&d.id),
                        t.target.id().to_owned(),
                        opt(r.nearest_s[i], 1),
                        r.count_within[i].to_string(),
                        full(r.access[i]),
                    ],
                );
            }
        }
        out
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
