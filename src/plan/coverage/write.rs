//! The coverage report as files: one row per unit (CSV or GeoJSON) and one row per demand point.
//! The CLI and the app's export both write through here, so their files are identical.
//!
//! Every row states the walking network's compound setting (`compounds`: `closed` or `open`;
//! empty for straight-line estimates, which have no network).
//!
//! Numbers have fixed decimals (shares 4, people 1, seconds 1), empty cells mean "none" (no
//! time within the horizon, no boundary); text goes through [`CsvOut`], which keeps a cell a
//! spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR first) as text.

use std::borrow::Cow;
use std::fmt::Write as _;

use serde_json::{Map, Value, json};

use super::{Coverage, UnitReport};
use crate::plan::csv_out::{Cell, CsvOut};
use crate::plan::geojson_out::{GeoMultiPolygon, round7};
use crate::plan::graph::Compounds;
use crate::plan::model::DemandPoint;

impl Coverage {
    /// Column names of [`Coverage::report_csv`].
    pub fn report_columns(&self) -> Vec<String> {
        let mut h: Vec<String> = [
            "level",
            "code",
            "name",
            "parent",
            "population",
            "points",
            "off_network",
            "employment_share",
            "convenience_share",
            "dual_share",
        ]
        .map(str::to_owned)
        .to_vec();
        for c in &self.categories {
            h.push(format!("{}_share", c.id()));
        }
        h.push("station_lacking".to_owned());
        h.push("station_nearest_s".to_owned());
        for c in self.categories.iter().filter(|c| c.is_base()) {
            h.push(format!("{}_lacking", c.id()));
            h.push(format!("{}_nearest_s", c.id()));
        }
        for s in [
            "missing",
            "stations",
            "people_per_station",
            "postings",
            "gap_rank",
            "model_rank",
            "compounds",
        ] {
            h.push(s.to_owned());
        }
        h
    }

    fn report_cells<'a>(&self, u: &'a UnitReport) -> Vec<Cell<'a>> {
        let mut r = vec![
            Cell::text(u.level.id()),
            Cell::text(u.code.as_deref().unwrap_or_default()),
            Cell::text(&u.name),
            Cell::text(u.parent.as_deref().unwrap_or_default()),
            Cell::fixed(u.population, 1),
            Cell::num(u.points),
            Cell::fixed(u.off_network, 1),
            Cell::fixed(u.employment_share, 4),
            Cell::fixed(u.convenience_share, 4),
            Cell::fixed(u.dual_share, 4),
        ];
        r.extend(u.category_share.iter().map(|s| Cell::fixed(*s, 4)));
        r.push(Cell::fixed(u.lacking_station, 1));
        r.push(Cell::opt_fixed(u.nearest_station_s, 1));
        for c in self.categories.iter().filter(|c| c.is_base()) {
            let m = u.missing.iter().find(|m| m.category == *c);
            r.push(Cell::fixed(m.map_or(0.0, |m| m.people), 1));
            let k = self.categories.iter().position(|x| x == c);
            r.push(Cell::opt_fixed(k.and_then(|k| u.category_nearest_s[k]), 1));
        }
        r.push(Cell::Text(Cow::Owned(
            u.missing
                .iter()
                .map(|m| m.category.id())
                .collect::<Vec<_>>()
                .join(";"),
        )));
        r.push(Cell::opt_num(u.stations));
        r.push(Cell::opt_fixed(u.people_per_station, 1));
        r.push(Cell::opt_num(u.postings));
        r.push(Cell::opt_num(u.gap_rank));
        r.push(Cell::opt_num(u.model_rank));
        r.push(Cell::text(self.compounds.map_or("", Compounds::id)));
        r
    }

    /// The report as CSV: a header, one row per unit (communities, 街道, districts), then the
    /// city row (`level` = `city`).
    pub fn report_csv(&self) -> String {
        let mut out = CsvOut::new(&self.report_columns());
        for u in &self.units {
            out.row(&self.report_cells(u));
        }
        out.finish()
    }

    /// The report as GeoJSON: one feature per unit with the CSV's columns as properties
    /// (numbers as numbers, `missing` as an array of category ids); the geometry is the unit's
    /// boundary, else the population-weighted centre of its demand points, else null.
    pub fn report_geojson(&self, demand: &[DemandPoint]) -> String {
        let cols = self.report_columns();
        let centres = self.centres(demand);
        let mut features = Vec::with_capacity(self.units.len());
        for (k, u) in self.units.iter().enumerate() {
            let mut props = Map::new();
            for (name, v) in cols.iter().zip(self.report_cells(u)) {
                let value = match v {
                    _ if name == "missing" => Value::Array(
                        u.missing
                            .iter()
                            .map(|m| Value::from(m.category.id()))
                            .collect(),
                    ),
                    Cell::Text(t) if t.is_empty() => Value::Null,
                    Cell::Text(t) => Value::from(t.into_owned()),
                    Cell::Num(n) if n.is_empty() => Value::Null,
                    Cell::Num(n) => n.parse::<i64>().map_or_else(
                        |_| {
                            n.parse::<f64>()
                                .ok()
                                .and_then(|x| serde_json::Number::from_f64(x).map(Value::Number))
                                .unwrap_or(Value::String(n.clone()))
                        },
                        Value::from,
                    ),
                };
                props.insert(name.clone(), value);
            }
            props.insert("unit".to_owned(), Value::from(k));
            props.insert(
                "miss_mask".to_owned(),
                Value::from(self.unit_missing_mask(u)),
            );
            let geometry = if let Some(b) = &u.boundary {
                json!(GeoMultiPolygon(b))
            } else {
                centres[k].map_or(
                    Value::Null,
                    |(x, y)| json!({"type": "Point", "coordinates": [round7(x), round7(y)]}),
                )
            };
            features.push(json!({"type": "Feature", "geometry": geometry, "properties": props}));
        }
        let fc = json!({"type": "FeatureCollection", "features": features});
        fc.to_string()
    }

    /// Bit `k` set when fewer than half of the unit's people reach base category `k` (in
    /// [`Category::BASE_SIX`] order) within its threshold: the map colours units by this.
    ///
    /// [`Category::BASE_SIX`]: crate::plan::model::Category::BASE_SIX
    pub fn unit_missing_mask(&self, u: &UnitReport) -> u8 {
        let mut mask = 0u8;
        for (k, c) in self.categories.iter().enumerate() {
            if c.is_base() && u.category_share[k] < 0.5 {
                mask |= 1 << k;
            }
        }
        mask
    }

    /// Population-weighted centre of each unit's demand points (the plain mean when the weights
    /// sum to zero; None for a unit without points), in one pass over the points.
    fn centres(&self, demand: &[DemandPoint]) -> Vec<Option<(f64, f64)>> {
        // Per unit: weighted sums, weight, plain sums, count.
        let mut acc = vec![(0.0, 0.0, 0.0, 0.0, 0.0, 0usize); self.units.len()];
        let city = self.units.len().checked_sub(1);
        for (m, d) in self.membership.iter().zip(demand) {
            for u in m.iter().flatten().map(|u| *u as usize).chain(city) {
                let a = &mut acc[u];
                a.0 += d.pos_wgs84.lon * d.weight;
                a.1 += d.pos_wgs84.lat * d.weight;
                a.2 += d.weight;
                a.3 += d.pos_wgs84.lon;
                a.4 += d.pos_wgs84.lat;
                a.5 += 1;
            }
        }
        acc.into_iter()
            .map(|(sx, sy, sw, ux, uy, n)| {
                if sw > 0.0 {
                    Some((sx / sw, sy / sw))
                } else if n > 0 {
                    Some((ux / n as f64, uy / n as f64))
                } else {
                    None
                }
            })
            .collect()
    }

    /// Column names of [`Coverage::points_csv`].
    pub fn points_columns(&self) -> Vec<String> {
        let mut h: Vec<String> = ["lon", "lat", "weight", "station_s"]
            .map(str::to_owned)
            .to_vec();
        h.extend(self.categories.iter().map(|c| format!("{}_s", c.id())));
        for s in [
            "employment",
            "convenience",
            "dual",
            "id",
            "community",
            "off_network_m",
        ] {
            h.push(s.to_owned());
        }
        h
    }

    /// Per demand point, in input order: position, weight, walking seconds to the nearest
    /// station and to each category (empty beyond the horizon), and circle membership.
    pub fn points_csv(&self, demand: &[DemandPoint]) -> String {
        let mut out = CsvOut::new(&self.points_columns());
        for (d, r) in demand.iter().zip(&self.points) {
            let mut row = vec![
                Cell::fixed(d.pos_wgs84.lon, 7),
                Cell::fixed(d.pos_wgs84.lat, 7),
                Cell::fixed(d.weight, 1),
                Cell::opt_fixed(r.station_s, 1),
            ];
            row.extend(r.category_s.iter().map(|s| Cell::opt_fixed(*s, 1)));
            for b in [r.employment, r.convenience, r.dual] {
                row.push(Cell::text(if b { "true" } else { "false" }));
            }
            row.push(Cell::text(&d.id));
            row.push(Cell::text(d.community.as_deref().unwrap_or_default()));
            row.push(Cell::opt_fixed(r.off_network_m, 1));
            out.row(&row);
        }
        out.finish()
    }

    /// A short plain-text summary (city figures and the first gaps), for the terminal.
    pub fn summary_text(&self, gaps: usize) -> String {
        let c = self.city();
        let mut s = String::new();
        let pct = |x: f64| x * 100.0;
        let _ = writeln!(
            s,
            "population {:.0} in {} demand points{}",
            c.population,
            c.points,
            if self.estimate {
                " (straight-line estimates: no street network)"
            } else {
                ""
            }
        );
        let _ = writeln!(
            s,
            "employment circle {:.1}%  convenience circle {:.1}%  双圈 {:.1}%",
            pct(c.employment_share),
            pct(c.convenience_share),
            pct(c.dual_share)
        );
        if self.station_count == 0 {
            let _ = writeln!(s, "  no stations in the data");
        }
        for (k, cat) in self.categories.iter().enumerate() {
            let _ = writeln!(
                s,
                "  {:<14} {:>5.1}% within {} min{}",
                cat.id(),
                pct(c.category_share[k]),
                self.params.thresholds.category(*cat),
                if self.facility_counts[k] == 0 {
                    " (no facilities of this category in the data)"
                } else {
                    ""
                }
            );
        }
        if c.off_network > 0.0 {
            let _ = writeln!(s, "{:.0} people live off the network", c.off_network);
        }
        for (r, u) in self.gaps.iter().take(gaps).enumerate() {
            let u = &self.units[*u];
            let missing: Vec<&str> = u.missing.iter().map(|m| m.category.id()).collect();
            let _ = writeln!(
                s,
                "gap {:>3}: {} — {:.0} people outside the 双圈; missing {}",
                r + 1,
                u.name,
                u.population * (1.0 - u.dual_share),
                if missing.is_empty() {
                    "station".to_owned()
                } else {
                    missing.join(", ")
                }
            );
        }
        let _ = writeln!(s, "model-circle candidates: {}", self.models.len());
        s
    }
}

impl Coverage {
    /// Bit `k` set when base category `k` (in [`Category::BASE_SIX`] order) is beyond its
    /// threshold at point `p`.
    ///
    /// [`Category::BASE_SIX`]: crate::plan::model::Category::BASE_SIX
    pub fn missing_mask(&self, p: usize) -> u8 {
        let r = &self.points[p];
        let mut mask = 0u8;
        for (k, c) in self
            .categories
            .iter()
            .enumerate()
            .filter(|(_, c)| c.is_base())
        {
            if !self.within(r.category_s[k], *c) {
                mask |= 1 << k;
            }
        }
        mask
    }
}
