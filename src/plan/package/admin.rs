//! Administrative units of a package: OSM boundary polygons matched to the official division
//! list, census totals spread from districts to 街道 by area, and one demand point per official
//! community.
//!
//! Method (deterministic; the caller labels every estimate as such):
//! - **Levels** come from OSM `admin_level`: 5 or less is the city, 6 a district, 7 or more a
//!   街道/镇.
//! - **Codes**: each district and 街道 takes the code of the division-list unit with the same
//!   name (a 街道 among the towns of its district first). The list's codes win over OSM's
//!   `division_code` tag (e.g. 即墨区 is tagged with its pre-2017 code 370282, the 2023 list
//!   says 370215); every replacement is reported.
//! - **Parents**: a 街道's district is its `parent_district` tag, else the district whose polygon
//!   contains the 街道's interior point.
//! - **Population**: the city and its districts keep their census totals (facts CSV, matched by
//!   code, then by name). A district's total is apportioned to its 街道 in proportion to their
//!   areas (Chamberlain–Duquette ellipsoidal area, km²) and rounded by largest remainder, so the
//!   街道 of a district sum to its census total exactly. This assumes an even density inside a
//!   district: an estimate, too high for rural 镇 and too low for dense 街道.
//! - **Communities**: one demand point per community/village of the list, at its 街道's interior
//!   point (no coordinates exist for communities); the 街道's population is split equally among
//!   its communities (largest remainder, so they sum to the 街道). A community whose town has no
//!   polygon (development zones overlaying 街道 whose people are already counted) sits at its
//!   district's interior point with weight 0.
//! - **Age shares**: facts rows named `<unit> aged 60+` and `<unit> aged 0-14` divided by the
//!   same code's total.
//!
//! Complexity: O(F · D) polygon tests for parents by containment (F features, D districts);
//! linear in the number of features, towns and communities otherwise.

use std::collections::{BTreeMap, HashMap};

use geo::{ChamberlainDuquetteArea, Contains, InteriorPoint, LineString, MultiPolygon, Polygon};
use serde_json::Value;

use crate::plan::geom::LonLat;
use crate::plan::model::{Community, DemandPoint};

use super::manifest::AgeShares;

/// The level of an administrative unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AdminLevel {
    /// The city (OSM `admin_level` ≤ 5).
    City,
    /// A district or county-level city (`admin_level` 6).
    District,
    /// A 街道 or 镇 (`admin_level` ≥ 7).
    Subdistrict,
}

/// One administrative unit read from a boundaries file.
#[derive(Debug, Clone, PartialEq)]
pub struct AdminUnit {
    /// Its level.
    pub level: AdminLevel,
    /// The `parent_district` tag, when present.
    pub parent_name: Option<String>,
    /// Code, name, parent code, population and polygon (WGS-84).
    pub unit: Community,
    /// Ellipsoidal area, km².
    pub area_km2: f64,
}

/// A problem with one input record; the record is skipped, the rest is used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AdminError {
    /// The boundaries file is not a GeoJSON FeatureCollection.
    #[error("{file}: not a GeoJSON FeatureCollection: {message}")]
    NotGeoJson {
        /// File name.
        file: String,
        /// What is wrong.
        message: String,
    },
    /// One boundary feature cannot be used.
    #[error("{file}: feature {index} ({field}): {message}")]
    Feature {
        /// File name.
        file: String,
        /// Index in `features`.
        index: usize,
        /// Property or member at fault.
        field: &'static str,
        /// What is wrong.
        message: String,
    },
    /// One CSV row cannot be used.
    #[error("{file}:{row}: {field}: {message}")]
    Row {
        /// File name.
        file: String,
        /// Spreadsheet row (the header is row 1).
        row: usize,
        /// Column at fault.
        field: &'static str,
        /// What is wrong.
        message: String,
    },
}

/// Reads OSM administrative boundaries (`name`, `admin_level`, `division_code`,
/// `parent_district`, `population` properties; Polygon or MultiPolygon geometry). Features
/// without a name or a polygon are reported and skipped.
pub fn read_boundaries(
    file: &str,
    text: &str,
) -> Result<(Vec<AdminUnit>, Vec<AdminError>), AdminError> {
    let not_geojson = |message: String| AdminError::NotGeoJson {
        file: file.to_owned(),
        message,
    };
    let v: Value = serde_json::from_str(text).map_err(|e| not_geojson(e.to_string()))?;
    let feats = v["features"]
        .as_array()
        .ok_or_else(|| not_geojson("no `features` array".to_owned()))?;
    let mut units = Vec::new();
    let mut problems = Vec::new();
    for (index, f) in feats.iter().enumerate() {
        let bad = |field: &'static str, message: &str| AdminError::Feature {
            file: file.to_owned(),
            index,
            field,
            message: message.to_owned(),
        };
        let p = &f["properties"];
        let name = p["name"].as_str().map(str::trim).unwrap_or_default();
        if name.is_empty() {
            problems.push(bad("name", "missing; feature skipped"));
            continue;
        }
        let Some(mp) = multipolygon(&f["geometry"]).filter(|mp| !mp.0.is_empty()) else {
            problems.push(bad(
                "geometry",
                "not a Polygon or MultiPolygon; feature skipped",
            ));
            continue;
        };
        let level_num = text_or_number(&p["admin_level"]).and_then(|s| s.parse::<u8>().ok());
        let level = match level_num {
            Some(0..=5) => AdminLevel::City,
            Some(6) => AdminLevel::District,
            Some(_) => AdminLevel::Subdistrict,
            None => {
                problems.push(bad(
                    "admin_level",
                    "missing or not a number; feature skipped",
                ));
                continue;
            }
        };
        let population = text_or_number(&p["population"]).and_then(|s| s.parse::<f64>().ok());
        units.push(AdminUnit {
            level,
            parent_name: p["parent_district"].as_str().map(str::to_owned),
            area_km2: mp.chamberlain_duquette_unsigned_area() / 1e6,
            unit: Community {
                code: text_or_number(&p["division_code"]),
                name: name.to_owned(),
                parent_code: None,
                population: population.filter(|x| x.is_finite() && *x >= 0.0),
                boundary_wgs84: Some(mp),
            },
        });
    }
    Ok((units, problems))
}

fn text_or_number(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn ring(r: &Value) -> Option<LineString<f64>> {
    let pts: Vec<(f64, f64)> = r
        .as_array()?
        .iter()
        .filter_map(|c| Some((c[0].as_f64()?, c[1].as_f64()?)))
        .collect();
    (pts.len() >= 4).then(|| LineString::from(pts))
}

fn polygon(rings: &Value) -> Option<Polygon<f64>> {
    let rs = rings.as_array()?;
    let exterior = ring(rs.first()?)?;
    Some(Polygon::new(
        exterior,
        rs.iter().skip(1).filter_map(ring).collect(),
    ))
}

fn multipolygon(g: &Value) -> Option<MultiPolygon<f64>> {
    match g["type"].as_str()? {
        "Polygon" => polygon(&g["coordinates"]).map(|p| MultiPolygon(vec![p])),
        "MultiPolygon" => Some(MultiPolygon(
            g["coordinates"]
                .as_array()?
                .iter()
                .filter_map(polygon)
                .collect(),
        )),
        _ => None,
    }
}

/// One row of the official division list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Division {
    /// `county`, `town` or `village`.
    pub level: String,
    /// Division code (6, 9 or 12 digits).
    pub code: String,
    /// Official name.
    pub name: String,
    /// The parent's code.
    pub parent_code: String,
}

/// Reads a division list CSV (`level,code,name,parent_code`); bad rows are reported.
pub fn read_divisions(file: &str, text: &str) -> (Vec<Division>, Vec<AdminError>) {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    for (i, rec) in rdr.records().enumerate() {
        let row = i + 2;
        let bad = |field: &'static str, message: String| AdminError::Row {
            file: file.to_owned(),
            row,
            field,
            message,
        };
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                problems.push(bad("row", e.to_string()));
                continue;
            }
        };
        let col = |k: usize| rec.get(k).map(str::trim).unwrap_or_default().to_owned();
        let (level, code, name, parent_code) = (col(0), col(1), col(2), col(3));
        if !matches!(level.as_str(), "county" | "town" | "village") {
            problems.push(bad(
                "level",
                format!("{level:?} is not county, town or village"),
            ));
            continue;
        }
        if code.is_empty() || !code.bytes().all(|b| b.is_ascii_digit()) {
            problems.push(bad("code", format!("{code:?} is not a division code")));
            continue;
        }
        if name.is_empty() {
            problems.push(bad("name", "empty".to_owned()));
            continue;
        }
        out.push(Division {
            level,
            code,
            name,
            parent_code,
        });
    }
    (out, problems)
}

/// Census facts: totals by code and by name, and age counts by code.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Facts {
    /// (code, unit name, population).
    pub totals: Vec<(String, String, f64)>,
    /// Code → count aged 60 and over.
    pub aged_60_plus: BTreeMap<String, f64>,
    /// Code → count aged 0–14.
    pub aged_0_14: BTreeMap<String, f64>,
    /// The census date named in the population column's header, if any (`…_2020-11-01`).
    pub date: Option<String>,
    /// The source column of the first age row.
    pub age_source: Option<String>,
}

impl Facts {
    /// The total of a unit, by code first, then by name.
    pub fn total(&self, code: Option<&str>, name: &str) -> Option<f64> {
        code.and_then(|c| self.totals.iter().find(|t| t.0 == c))
            .or_else(|| self.totals.iter().find(|t| t.1 == name))
            .map(|t| t.2)
    }

    /// The 60+ and 0–14 shares of the unit with this code, when both counts and its total are
    /// known.
    /// The source is the age rows' own, else `source`.
    pub fn age_shares(&self, code: &str, source: &str) -> Option<AgeShares> {
        let total = self.totals.iter().find(|t| t.0 == code)?;
        let share = |n: f64| (n / total.2 * 1e6).round() / 1e6;
        Some(AgeShares {
            unit: total.1.clone(),
            population: total.2,
            aged_60_plus: share(*self.aged_60_plus.get(code)?),
            aged_0_14: share(*self.aged_0_14.get(code)?),
            date: self.date.clone().unwrap_or_default(),
            source: self.age_source.clone().unwrap_or_else(|| source.to_owned()),
        })
    }
}

/// Reads a census facts CSV (`unit,admin_code,population,…`). Rows whose unit ends in
/// `aged 60+` or `aged 0-14` are age counts of that code; the others are totals.
pub fn read_facts(file: &str, text: &str) -> (Facts, Vec<AdminError>) {
    let mut facts = Facts::default();
    let mut problems = Vec::new();
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    if let Ok(h) = rdr.headers() {
        facts.date = h.get(2).and_then(|c| {
            let d = c.rsplit('_').next()?;
            (d.len() == 10 && d.as_bytes()[4] == b'-').then(|| d.to_owned())
        });
    }
    for (i, rec) in rdr.records().enumerate() {
        let row = i + 2;
        let Ok(rec) = rec else {
            continue;
        };
        let unit = rec.get(0).map(str::trim).unwrap_or_default();
        let code = rec.get(1).map(str::trim).unwrap_or_default().to_owned();
        let Some(n) = rec
            .get(2)
            .and_then(|s| s.trim().parse::<f64>().ok())
            .filter(|n| n.is_finite() && *n >= 0.0)
        else {
            problems.push(AdminError::Row {
                file: file.to_owned(),
                row,
                field: "population",
                message: format!("{:?} is not a count", rec.get(2).unwrap_or_default()),
            });
            continue;
        };
        let is_age = unit.ends_with("aged 60+") || unit.ends_with("aged 0-14");
        if is_age && facts.age_source.is_none() {
            // Unquoted commas split the free-text source column: join the rest.
            let src: Vec<&str> = rec.iter().skip(3).collect();
            facts.age_source = Some(src.join(",").trim().to_owned()).filter(|s| !s.is_empty());
        }
        if unit.ends_with("aged 60+") {
            facts.aged_60_plus.insert(code, n);
        } else if unit.ends_with("aged 0-14") {
            facts.aged_0_14.insert(code, n);
        } else {
            facts.totals.push((code, unit.to_owned(), n));
        }
    }
    (facts, problems)
}

/// What [`assemble`] makes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Assembled {
    /// The city and its districts, with census populations.
    pub districts: Vec<Community>,
    /// The city's code, when a city-level unit has one.
    pub city_code: Option<String>,
    /// The 街道/镇, with estimated populations when facts were given.
    pub subdistricts: Vec<Community>,
    /// One point per community of the division list (empty without one).
    pub demand: Vec<DemandPoint>,
    /// How many communities sit at a district point with weight 0 (town without polygon).
    pub without_polygon: usize,
    /// Notes for the builder's report (code replacements, unmatched names).
    pub notes: Vec<String>,
}

/// Matches units to the division list, spreads census totals, and places communities (see the
/// module documentation for the method).
pub fn assemble(units: Vec<AdminUnit>, divisions: &[Division], facts: Option<&Facts>) -> Assembled {
    let mut out = Assembled::default();
    let counties: HashMap<&str, &Division> = divisions
        .iter()
        .filter(|d| d.level == "county")
        .map(|d| (d.name.as_str(), d))
        .collect();
    let towns: Vec<&Division> = divisions.iter().filter(|d| d.level == "town").collect();
    let mut districts: Vec<AdminUnit> = Vec::new();
    let mut subs: Vec<AdminUnit> = Vec::new();
    let mut cities: Vec<AdminUnit> = Vec::new();
    for u in units {
        match u.level {
            AdminLevel::City => cities.push(u),
            AdminLevel::District => districts.push(u),
            AdminLevel::Subdistrict => subs.push(u),
        }
    }
    // District codes from the list.
    for d in &mut districts {
        if let Some(c) = counties.get(d.unit.name.as_str()).or_else(|| {
            // `青岛西海岸新区（黄岛区）` is listed as `黄岛区`: match the bracketed name.
            let inner = d.unit.name.split_once('（')?.1.trim_end_matches('）');
            counties.get(inner)
        }) {
            replace_code(&mut d.unit, &c.code, &mut out.notes);
        }
    }
    for c in &mut cities {
        c.unit.parent_code = None;
    }
    // 街道: parent district, then code from the list.
    for s in &mut subs {
        let parent = s
            .parent_name
            .as_deref()
            .and_then(|n| districts.iter().position(|d| d.unit.name == n))
            .or_else(|| {
                let pt = s.unit.boundary_wgs84.as_ref()?.interior_point()?;
                districts.iter().position(|d| {
                    d.unit
                        .boundary_wgs84
                        .as_ref()
                        .is_some_and(|b| b.contains(&pt))
                })
            });
        let parent_code = parent.and_then(|i| districts[i].unit.code.clone());
        let listed = towns
            .iter()
            .find(|t| t.name == s.unit.name && Some(&t.parent_code) == parent_code.as_ref())
            .or_else(|| {
                let mut same = towns.iter().filter(|t| t.name == s.unit.name);
                let first = same.next();
                first.filter(|_| same.next().is_none())
            });
        match listed {
            Some(t) => replace_code(&mut s.unit, &t.code, &mut out.notes),
            None if !divisions.is_empty() => out
                .notes
                .push(format!("{}: not in the division list", s.unit.name)),
            None => {}
        }
        s.unit.parent_code = parent_code.or_else(|| listed.map(|t| t.parent_code.clone()));
    }
    // Census totals and the spread to 街道.
    if let Some(f) = facts {
        for u in cities.iter_mut().chain(districts.iter_mut()) {
            let osm = u.unit.population;
            u.unit.population = f.total(u.unit.code.as_deref(), &u.unit.name).or(osm);
        }
        for s in &mut subs {
            s.unit.population = None;
        }
        for d in &districts {
            let (Some(code), Some(total)) = (d.unit.code.as_deref(), d.unit.population) else {
                continue;
            };
            let members: Vec<usize> = (0..subs.len())
                .filter(|&i| subs[i].unit.parent_code.as_deref() == Some(code))
                .collect();
            let areas: Vec<f64> = members.iter().map(|&i| subs[i].area_km2).collect();
            for (&i, share) in members.iter().zip(apportion(total, &areas)) {
                subs[i].unit.population = Some(share);
            }
        }
    }
    // Communities.
    let town_of: HashMap<&str, &Division> = towns.iter().map(|t| (t.code.as_str(), *t)).collect();
    let sub_by_code: HashMap<&str, &AdminUnit> = subs
        .iter()
        .filter_map(|s| Some((s.unit.code.as_deref()?, s)))
        .collect();
    let district_by_code: HashMap<&str, &AdminUnit> = districts
        .iter()
        .filter_map(|d| Some((d.unit.code.as_deref()?, d)))
        .collect();
    let villages: Vec<&Division> = divisions.iter().filter(|d| d.level == "village").collect();
    let mut per_town: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, v) in villages.iter().enumerate() {
        per_town.entry(v.parent_code.as_str()).or_default().push(i);
    }
    let mut points: Vec<Option<DemandPoint>> = vec![None; villages.len()];
    for (town_code, members) in &per_town {
        let town_name = town_of
            .get(town_code)
            .map_or(*town_code, |t| t.name.as_str());
        let (pos, weights) = if let Some(s) = sub_by_code.get(town_code) {
            let w = s.unit.population.map_or_else(
                || vec![0.0; members.len()],
                |p| apportion(p, &vec![1.0; members.len()]),
            );
            (interior(&s.unit), w)
        } else {
            let district = town_of
                .get(town_code)
                .and_then(|t| district_by_code.get(t.parent_code.as_str()));
            out.without_polygon += members.len();
            (
                district.and_then(|d| interior(&d.unit)),
                vec![0.0; members.len()],
            )
        };
        let Some(pos) = pos else {
            out.notes.push(format!(
                "{town_name}: {} communities without a 街道 or district polygon; left out",
                members.len()
            ));
            continue;
        };
        for (&i, w) in members.iter().zip(weights) {
            points[i] = Some(DemandPoint {
                id: villages[i].code.clone(),
                pos_wgs84: pos,
                weight: w,
                community: Some(format!("{}（{town_name}）", villages[i].name)),
            });
        }
    }
    out.demand = points.into_iter().flatten().collect();
    out.city_code = cities.iter().find_map(|c| c.unit.code.clone());
    out.districts = cities
        .into_iter()
        .chain(districts)
        .map(|u| u.unit)
        .collect();
    out.subdistricts = subs.into_iter().map(|u| u.unit).collect();
    out
}

fn interior(c: &Community) -> Option<LonLat> {
    let p = c.boundary_wgs84.as_ref()?.interior_point()?;
    Some(LonLat::new(p.x(), p.y()))
}

fn replace_code(unit: &mut Community, code: &str, notes: &mut Vec<String>) {
    if let Some(old) = unit.code.as_deref().filter(|old| *old != code) {
        notes.push(format!(
            "{}: OSM division_code {old} replaced by the division list's {code}",
            unit.name
        ));
    }
    unit.code = Some(code.to_owned());
}

/// Splits the whole number `total` in proportion to `weights` (largest remainder; ties to the
/// earlier entry), so the parts are whole numbers summing to `total`. Equal parts when every
/// weight is zero.
pub fn apportion(total: f64, weights: &[f64]) -> Vec<f64> {
    if weights.is_empty() {
        return Vec::new();
    }
    let total = total.max(0.0).round();
    let sum: f64 = weights.iter().map(|w| w.max(0.0)).sum();
    let exact: Vec<f64> = if sum > 0.0 {
        weights.iter().map(|w| total * w.max(0.0) / sum).collect()
    } else {
        vec![total / weights.len() as f64; weights.len()]
    };
    let mut parts: Vec<f64> = exact.iter().map(|x| x.floor()).collect();
    let left = (total - parts.iter().sum::<f64>()).round().max(0.0) as usize;
    let mut order: Vec<usize> = (0..exact.len()).collect();
    order.sort_by(|&a, &b| {
        (exact[b] - parts[b])
            .total_cmp(&(exact[a] - parts[a]))
            .then(a.cmp(&b))
    });
    for &i in order.iter().take(left) {
        parts[i] += 1.0;
    }
    parts
}

#[cfg(test)]
// Populations here are whole numbers, exact in f64: equality is the right test.
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;

    fn square(x0: f64, y0: f64, side: f64) -> Value {
        serde_json::json!([[
            [x0, y0],
            [x0 + side, y0],
            [x0 + side, y0 + side],
            [x0, y0 + side],
            [x0, y0]
        ]])
    }

    fn feature(
        name: &str,
        level: &str,
        code: Option<&str>,
        parent: Option<&str>,
        rings: &Value,
    ) -> Value {
        let mut p = serde_json::json!({ "name": name, "admin_level": level });
        if let Some(c) = code {
            p["division_code"] = c.into();
        }
        if let Some(c) = parent {
            p["parent_district"] = c.into();
        }
        serde_json::json!({ "type": "Feature", "properties": p,
            "geometry": { "type": "Polygon", "coordinates": rings } })
    }

    /// A district A (code tagged wrongly) with 街道 a1 (1 × 1) and a2 (1 × 3, no parent tag:
    /// found by containment), a district B with one 街道, a bad feature, and a city.
    fn fixture() -> (String, String, String) {
        let feats = serde_json::json!({ "type": "FeatureCollection", "features": [
            feature("市", "5", Some("990200"), None, &square(0.0, 0.0, 8.0)),
            feature("甲区", "6", Some("990299"), None, &square(0.0, 0.0, 4.0)),
            feature("乙区", "6", None, None, &square(4.0, 0.0, 4.0)),
            feature("甲一街道", "8", None, Some("甲区"), &square(0.0, 0.0, 1.0)),
            { "type": "Feature", "properties": { "name": "甲二街道", "admin_level": "8" },
              "geometry": { "type": "Polygon", "coordinates": [[[1.0, 0.0], [2.0, 0.0], [2.0, 3.0], [1.0, 3.0], [1.0, 0.0]]] } },
            feature("乙一街道", "8", None, Some("乙区"), &square(4.0, 0.0, 1.0)),
            { "type": "Feature", "properties": { "admin_level": "8" }, "geometry": null },
        ]});
        let divisions = "level,code,name,parent_code\n\
            county,990201,甲区,9902\ncounty,990202,乙区,9902\n\
            town,990201001,甲一街道,990201\ntown,990201002,甲二街道,990201\n\
            town,990202001,乙一街道,990202\ntown,990202400,乙开发区,990202\n\
            village,990201001001,一社区,990201001\nvillage,990201001002,二社区,990201001\n\
            village,990201001003,三社区,990201001\nvillage,990201002001,四社区,990201002\n\
            village,990202400001,五社区,990202400\nbogus,1,x,2\n";
        let facts = "unit,admin_code,population_2020-11-01,source\n\
            市,990200,1000,a\n甲区,990201,700,b\n乙区,990202,300,c\n\
            市 aged 60+,990200,200,d\n市 aged 0-14,990200,150,e\n乙区,990202,lots,f\n";
        (feats.to_string(), divisions.to_owned(), facts.to_owned())
    }

    #[test]
    fn apportion_is_exact_and_proportional() {
        // Oracle: every part is within 1 of its exact share, and the parts sum to the total.
        let cases: [(f64, &[f64]); 4] = [
            (10.0, &[1.0, 1.0, 1.0]),
            (1_096_879.0, &[2.17, 0.4, 13.1, 7.0, 0.05]),
            (5.0, &[0.0, 0.0]),
            (0.0, &[3.0]),
        ];
        for (total, w) in cases {
            let parts = apportion(total, w);
            assert_eq!(parts.iter().sum::<f64>(), total, "{w:?}");
            let sum: f64 = w.iter().sum();
            for (p, wi) in parts.iter().zip(w) {
                let exact = if sum > 0.0 {
                    total * wi / sum
                } else {
                    total / w.len() as f64
                };
                assert!(
                    (p - exact).abs() < 1.0 && p.fract() == 0.0,
                    "{p} vs {exact}"
                );
            }
        }
        assert!(apportion(3.0, &[]).is_empty());
    }

    #[test]
    fn units_are_coded_spread_and_communities_placed() {
        let (feats, divs, facts) = fixture();
        let (units, problems) = read_boundaries("b.geojson", &feats).unwrap();
        assert_eq!(units.len(), 6);
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0]
                .to_string()
                .contains("b.geojson: feature 6 (name)"),
            "{problems:?}"
        );
        let (divisions, bad_rows) = read_divisions("d.csv", &divs);
        assert_eq!(bad_rows.len(), 1);
        assert!(
            bad_rows[0].to_string().starts_with("d.csv:13: level"),
            "{bad_rows:?}"
        );
        let (facts, bad_facts) = read_facts("f.csv", &facts);
        assert_eq!(bad_facts.len(), 1);
        assert!(bad_facts[0].to_string().starts_with("f.csv:7: population"));
        let a = assemble(units, &divisions, Some(&facts));

        let by_name = |v: &[Community], n: &str| v.iter().find(|c| c.name == n).cloned().unwrap();
        // Codes from the list; the wrong OSM code is replaced and reported.
        assert_eq!(
            by_name(&a.districts, "甲区").code.as_deref(),
            Some("990201")
        );
        assert!(
            a.notes.iter().any(|n| n.contains("990299")),
            "{:?}",
            a.notes
        );
        assert_eq!(by_name(&a.districts, "市").population, Some(1000.0));
        // 甲 (700) over areas 1 : 3 (degrees² near the equator: nearly equal km² per degree²).
        let a1 = by_name(&a.subdistricts, "甲一街道");
        let a2 = by_name(&a.subdistricts, "甲二街道");
        assert_eq!(a2.parent_code.as_deref(), Some("990201"), "by containment");
        assert_eq!(a1.code.as_deref(), Some("990201001"));
        assert_eq!(a1.population.unwrap() + a2.population.unwrap(), 700.0);
        assert!((a1.population.unwrap() - 175.0).abs() <= 1.0, "{a1:?}");
        assert_eq!(by_name(&a.subdistricts, "乙一街道").population, Some(300.0));
        // Communities: three at 甲一's interior point sharing 175, one in 甲二, and the
        // development-zone one at 乙区's interior point with weight 0.
        assert_eq!(a.demand.len(), 5);
        assert_eq!(a.without_polygon, 1);
        let in_a1: Vec<_> = a
            .demand
            .iter()
            .filter(|d| d.id.starts_with("990201001"))
            .collect();
        assert_eq!(in_a1.len(), 3);
        assert_eq!(
            in_a1.iter().map(|d| d.weight).sum::<f64>(),
            a1.population.unwrap()
        );
        assert!(in_a1.iter().all(|d| d.pos_wgs84 == in_a1[0].pos_wgs84));
        let p = in_a1[0].pos_wgs84;
        assert!(p.lon > 0.0 && p.lon < 1.0 && p.lat > 0.0 && p.lat < 1.0);
        let zone = a.demand.iter().find(|d| d.id == "990202400001").unwrap();
        assert_eq!(zone.weight, 0.0);
        assert!(zone.pos_wgs84.lon > 4.0 && zone.pos_wgs84.lon < 8.0);
        assert_eq!(zone.community.as_deref(), Some("五社区（乙开发区）"));
        // Every person of 甲 is in a community point; 乙一 has no community in the list.
        assert_eq!(a.demand.iter().map(|d| d.weight).sum::<f64>(), 700.0);
        // Age shares of the city.
        let s = facts.age_shares("990200", "census").unwrap();
        assert_eq!(
            (s.aged_60_plus, s.aged_0_14, s.population),
            (0.2, 0.15, 1000.0)
        );
        assert_eq!((s.date.as_str(), s.source.as_str()), ("2020-11-01", "d"));
        assert!(facts.age_shares("990201", "census").is_none());
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        for t in ["", "{", "[]", "{\"features\": 3}"] {
            assert!(read_boundaries("x", t).is_err(), "{t}");
        }
        let (d, p) = read_divisions("x", "level,code\n\u{0}\n,,\n");
        assert!(d.is_empty() && p.len() == 2);
    }
}
