//! Deterministic illustrative layers for a city that has a real street network but no real
//! stations, facilities, postings or population: they let the app be shown and tested, and are
//! always labelled **illustrative** (names start with 示意, manifests say `illustrative`).
//!
//! Method (re-runnable, same output for the same streets and seed):
//! - **Anchors** are the vertices of streets whose `highway` is a local street class
//!   (residential, living_street, service, unclassified, tertiary, secondary, pedestrian,
//!   footway …), in input order; duplicates are removed. Everything below is placed on anchors,
//!   so it is on the network and denser where streets are denser.
//! - A SplitMix64 generator seeded with `seed` picks anchors (uniformly) for each layer, in a
//!   fixed order of layers and categories, so changing one count changes only later layers.
//! - **Demand**: a square grid of `demand_cell_m` cells over the anchors' bounding box; a cell
//!   with at least one anchor gets one demand point at its anchor nearest the cell centre, with
//!   weight `density_per_km2 × cell area`. **Zones** (illustrative communities) are a coarser
//!   grid of `zone_cell_m` squares; each demand point belongs to the zone it falls in.
//! - **Postings** sit at facility and station locations (jobs are where shops and services
//!   are), with attributes drawn from small fixed lists.
//!
//! Complexity: O(anchors + items).

use std::collections::BTreeMap;

use geo::{LineString, MultiPolygon, Polygon};

use crate::plan::geom::{LocalProjection, LonLat, Xy};
use crate::plan::model::{
    Candidate, Category, Community, DemandPoint, Facility, HoursType, Posting, Station, Street,
};

/// A small, fast, deterministic generator (SplitMix64). Not for cryptography.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A generator from a seed.
    pub const fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform index in `0..n` (`n > 0`; returns 0 for `n == 0`).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// A uniform float in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// How much to generate.
#[derive(Debug, Clone, PartialEq)]
pub struct Params {
    /// Generator seed.
    pub seed: u64,
    /// Number of stations.
    pub stations: usize,
    /// Facilities per category.
    pub facilities: Vec<(Category, usize)>,
    /// Number of postings.
    pub postings: usize,
    /// Number of candidate sites.
    pub candidates: usize,
    /// Demand grid cell size in metres.
    pub demand_cell_m: f64,
    /// Illustrative residential density, people per km² of populated cell.
    pub density_per_km2: f64,
    /// Zone (illustrative community) grid cell size in metres.
    pub zone_cell_m: f64,
}

impl Params {
    /// Counts scaled for a dense central Chinese district of `area_km2`.
    pub fn for_area(area_km2: f64, seed: u64) -> Self {
        let per = |per_km2: f64| ((area_km2 * per_km2).round() as usize).max(1);
        Self {
            seed,
            stations: per(0.25),
            facilities: vec![
                (Category::Store, per(3.0)),
                (Category::Breakfast, per(2.0)),
                (Category::Market, per(0.35)),
                (Category::Repair, per(0.6)),
                (Category::Elderly, per(0.3)),
                (Category::Childcare, per(0.45)),
                (Category::Housekeeping, per(0.3)),
                (Category::Parcel, per(1.0)),
                (Category::Pharmacy, per(1.0)),
                (Category::Clinic, per(0.25)),
                (Category::Training, per(0.15)),
                (Category::StartupSpace, per(0.08)),
            ],
            postings: per(20.0),
            candidates: per(4.5),
            demand_cell_m: 250.0,
            density_per_km2: 20_000.0,
            zone_cell_m: 1_000.0,
        }
    }
}

/// The generated layers.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Layers {
    /// Illustrative stations.
    pub stations: Vec<Station>,
    /// Illustrative facilities.
    pub facilities: Vec<Facility>,
    /// Illustrative postings.
    pub postings: Vec<Posting>,
    /// Illustrative demand points.
    pub demand: Vec<DemandPoint>,
    /// Illustrative candidate sites.
    pub candidates: Vec<Candidate>,
    /// Illustrative zones standing in for communities (square polygons).
    pub zones: Vec<Community>,
}

const LOCAL: [&str; 13] = [
    "residential",
    "living_street",
    "service",
    "unclassified",
    "tertiary",
    "tertiary_link",
    "secondary",
    "secondary_link",
    "pedestrian",
    "footway",
    "path",
    "steps",
    "primary",
];

const HOSTS: [&str; 7] = [
    "党群服务中心",
    "便民服务中心",
    "物业服务中心",
    "银行网点",
    "商超",
    "书店",
    "楼宇",
];

const SERVICES: [&str; 7] = [
    "职业指导",
    "岗位推送",
    "技能培训",
    "创业推介",
    "失业登记",
    "补贴申领",
    "养老托育",
];

/// Street-vertex anchors (see the module doc), deduplicated, in input order.
pub fn anchors(streets: &[Street]) -> Vec<LonLat> {
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for s in streets {
        let ok = s.highway.as_deref().is_none_or(|h| LOCAL.contains(&h));
        if !ok {
            continue;
        }
        for c in &s.coords_wgs84 {
            if c.is_valid() && seen.insert(((c.lon * 1e7) as i64, (c.lat * 1e7) as i64)) {
                out.push(*c);
            }
        }
    }
    out
}

/// Generates every illustrative layer from the streets.
pub fn generate(streets: &[Street], params: &Params) -> Layers {
    let anchors = anchors(streets);
    let mut layers = Layers::default();
    if anchors.is_empty() {
        return layers;
    }
    let mut rng = SplitMix64::new(params.seed);
    let proj = LocalProjection::for_points(anchors.iter().copied());

    for i in 0..params.stations {
        let p = anchors[rng.below(anchors.len())];
        let host = HOSTS[i % HOSTS.len()];
        let k = 3 + rng.below(4);
        let first = rng.below(SERVICES.len());
        let services = (0..k)
            .map(|j| SERVICES[(first + j) % SERVICES.len()].to_owned())
            .collect();
        layers.stations.push(Station {
            id: format!("st{:03}", i + 1),
            name: format!("示意 就享家乐业服务站 {}", i + 1),
            pos_wgs84: p,
            address: None,
            host_type: Some(host.to_owned()),
            services,
            hours: Some(
                if i % 3 == 0 {
                    "周一至周日 9:00-18:00"
                } else {
                    "周一至周五 9:00-17:30"
                }
                .to_owned(),
            ),
        });
    }

    for (cat, n) in &params.facilities {
        for i in 0..*n {
            let p = anchors[rng.below(anchors.len())];
            layers.facilities.push(Facility {
                id: format!("{}{:04}", cat.id(), i + 1),
                name: format!("示意 {} {}", short_zh(*cat), i + 1),
                category: *cat,
                pos_wgs84: p,
            });
        }
    }

    generate_postings(&mut layers, params.postings, &mut rng);

    for i in 0..params.candidates {
        let p = anchors[rng.below(anchors.len())];
        let host = HOSTS[rng.below(HOSTS.len())];
        layers.candidates.push(Candidate {
            id: format!("c{:04}", i + 1),
            name: Some(format!("示意 {host} {}", i + 1)),
            host_type: Some(host.to_owned()),
            pos_wgs84: p,
        });
    }

    generate_demand(&mut layers, &anchors, &proj, params);
    layers
}

fn short_zh(c: Category) -> &'static str {
    match c {
        Category::Store => "便利店",
        Category::Breakfast => "早餐店",
        Category::Market => "菜市场",
        Category::Repair => "维修点",
        Category::Elderly => "社区食堂/养老驿站",
        Category::Childcare => "托育点",
        Category::Housekeeping => "家政服务",
        Category::Parcel => "快递驿站",
        Category::Pharmacy => "药店",
        Category::Clinic => "社区卫生服务站",
        Category::Training => "培训/夜校",
        Category::StartupSpace => "创业空间",
    }
}

fn generate_postings(layers: &mut Layers, n: usize, rng: &mut SplitMix64) {
    // (job category, titles, skills)
    const JOBS: [(&str, &[&str], &[&str]); 8] = [
        (
            "零售",
            &["门店店员", "理货员", "收银员"],
            &["收银", "理货", "沟通"],
        ),
        (
            "餐饮",
            &["早餐店帮厨", "服务员", "面点师"],
            &["烹饪", "面点", "服务"],
        ),
        (
            "家政",
            &["家政服务员", "保洁员", "育婴员"],
            &["保洁", "育婴", "护理"],
        ),
        (
            "养老",
            &["养老护理员", "助餐配送员"],
            &["护理", "配送", "驾驶"],
        ),
        (
            "维修",
            &["家电维修工", "修鞋配钥匙", "电动车维修"],
            &["维修", "电工"],
        ),
        ("物流", &["快递员", "驿站分拣员"], &["配送", "驾驶", "分拣"]),
        ("医药", &["药店营业员", "社区护士"], &["医药", "护理"]),
        ("教育", &["托育老师", "夜校讲师"], &["幼教", "教学", "电脑"]),
    ];
    const EDU: [&str; 5] = ["不限", "初中", "高中", "大专", "本科"];
    const HOURS: [HoursType; 4] = [
        HoursType::FullTime,
        HoursType::PartTime,
        HoursType::Flexible,
        HoursType::Gig,
    ];
    let sites: Vec<(LonLat, Option<String>)> = layers
        .facilities
        .iter()
        .map(|f| (f.pos_wgs84, None))
        .chain(
            layers
                .stations
                .iter()
                .map(|s| (s.pos_wgs84, Some(s.id.clone()))),
        )
        .collect();
    if sites.is_empty() {
        return;
    }
    for i in 0..n {
        let (pos, station) = sites[rng.below(sites.len())].clone();
        let (cat, titles, skills) = JOBS[rng.below(JOBS.len())];
        let title = titles[rng.below(titles.len())];
        let hours = HOURS[rng.below(HOURS.len())];
        let base = 3_000.0 + 500.0 * rng.below(9) as f64;
        let age_min = 16 + 2 * rng.below(5) as u32;
        let age_max = 45 + 5 * rng.below(4) as u32;
        let k = 1 + rng.below(2);
        let first = rng.below(skills.len());
        let day = 1 + rng.below(84); // 2026-09-01 .. 2026-11-23
        let (month, dom) = if day <= 30 {
            (9, day)
        } else if day <= 61 {
            (10, day - 30)
        } else {
            (11, day - 61)
        };
        layers.postings.push(Posting {
            id: format!("job{:05}", i + 1),
            title: format!("示意 {title}"),
            employer: Some(format!("示意雇主 {}", 1 + rng.below(400))),
            pos_wgs84: pos,
            category: Some(cat.to_owned()),
            pay_min: Some(base),
            pay_max: Some(base + 500.0 * (1 + rng.below(5)) as f64),
            hours: Some(hours),
            education: Some(EDU[rng.below(EDU.len())].to_owned()),
            age_min: Some(age_min),
            age_max: Some(age_max),
            skills: (0..k)
                .map(|j| skills[(first + j) % skills.len()].to_owned())
                .collect(),
            posted: Some(format!("2026-{month:02}-{dom:02}")),
            station_id: station,
        });
    }
}

fn generate_demand(layers: &mut Layers, anchors: &[LonLat], proj: &LocalProjection, p: &Params) {
    let cell = p.demand_cell_m.max(10.0);
    let zone = p.zone_cell_m.max(cell);
    // cell index -> (best distance² to centre, anchor)
    let mut cells: BTreeMap<(i64, i64), (f64, LonLat)> = BTreeMap::new();
    for a in anchors {
        let xy = proj.project(*a);
        let key = ((xy.x / cell).floor() as i64, (xy.y / cell).floor() as i64);
        let cx = (key.0 as f64 + 0.5) * cell;
        let cy = (key.1 as f64 + 0.5) * cell;
        let d2 = (xy.x - cx).powi(2) + (xy.y - cy).powi(2);
        let e = cells.entry(key).or_insert((f64::INFINITY, *a));
        if d2 < e.0 {
            *e = (d2, *a);
        }
    }
    let weight = p.density_per_km2 * cell * cell / 1e6;
    let mut zones: BTreeMap<(i64, i64), usize> = BTreeMap::new();
    for (i, (_, (_, a))) in cells.iter().enumerate() {
        let xy = proj.project(*a);
        let zkey = ((xy.x / zone).floor() as i64, (xy.y / zone).floor() as i64);
        let next = zones.len();
        let zi = *zones.entry(zkey).or_insert(next);
        layers.demand.push(DemandPoint {
            id: format!("d{:05}", i + 1),
            pos_wgs84: *a,
            weight,
            community: Some(zone_name(zi)),
        });
    }
    let mut by_index: Vec<((i64, i64), usize)> = zones.into_iter().collect();
    by_index.sort_by_key(|(_, i)| *i);
    for (key, i) in by_index {
        let (x0, y0) = (key.0 as f64 * zone, key.1 as f64 * zone);
        let ring: Vec<geo::Coord<f64>> = [
            (x0, y0),
            (x0 + zone, y0),
            (x0 + zone, y0 + zone),
            (x0, y0 + zone),
            (x0, y0),
        ]
        .into_iter()
        .map(|(x, y)| {
            let ll = proj.unproject(Xy { x, y });
            geo::Coord {
                x: ll.lon,
                y: ll.lat,
            }
        })
        .collect();
        let population: f64 = layers
            .demand
            .iter()
            .filter(|d| d.community.as_deref() == Some(zone_name(i).as_str()))
            .map(|d| d.weight)
            .sum();
        layers.zones.push(Community {
            code: None,
            name: zone_name(i),
            parent_code: None,
            population: Some(population),
            boundary_wgs84: Some(MultiPolygon(vec![Polygon::new(LineString(ring), vec![])])),
        });
    }
}

fn zone_name(i: usize) -> String {
    format!("示意片区 {:03}", i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid_streets(n: usize, step_deg: f64) -> Vec<Street> {
        let mut out = Vec::new();
        for i in 0..=n {
            let a: Vec<LonLat> = (0..=n)
                .map(|j| LonLat::new(121.0 + j as f64 * step_deg, 31.0 + i as f64 * step_deg))
                .collect();
            let b: Vec<LonLat> = (0..=n)
                .map(|j| LonLat::new(121.0 + i as f64 * step_deg, 31.0 + j as f64 * step_deg))
                .collect();
            for (k, coords) in [a, b].into_iter().enumerate() {
                out.push(Street {
                    id: format!("{i}-{k}"),
                    coords_wgs84: coords,
                    highway: Some("residential".into()),
                    foot: None,
                    access: None,
                    name: None,
                    area: None,
                    service: None,
                });
            }
        }
        out
    }

    #[test]
    fn generation_is_deterministic_and_counts_match() {
        let streets = grid_streets(20, 0.001);
        let p = Params::for_area(4.0, 7);
        let a = generate(&streets, &p);
        let b = generate(&streets, &p);
        assert_eq!(a, b);
        assert_eq!(a.stations.len(), p.stations);
        let n_fac: usize = p.facilities.iter().map(|(_, n)| n).sum();
        assert_eq!(a.facilities.len(), n_fac);
        assert_eq!(a.postings.len(), p.postings);
        assert_eq!(a.candidates.len(), p.candidates);
        // Other seed, other layers.
        let c = generate(&streets, &Params { seed: 8, ..p });
        assert_ne!(a.stations, c.stations);
    }

    #[test]
    fn everything_sits_on_an_anchor_and_is_labelled() {
        let streets = grid_streets(10, 0.002);
        let anchors = anchors(&streets);
        let l = generate(&streets, &Params::for_area(4.0, 1));
        for f in &l.facilities {
            assert!(anchors.contains(&f.pos_wgs84));
            assert!(f.name.starts_with("示意"));
        }
        for s in &l.stations {
            assert!(anchors.contains(&s.pos_wgs84));
        }
        // Zone populations add up to the demand total.
        let total: f64 = l.demand.iter().map(|d| d.weight).sum();
        let zones: f64 = l.zones.iter().filter_map(|z| z.population).sum();
        assert!((total - zones).abs() < 1e-6 && total > 0.0);
    }

    #[test]
    fn no_streets_no_layers_and_skips_motorways() {
        assert_eq!(generate(&[], &Params::for_area(1.0, 1)), Layers::default());
        let mut s = grid_streets(2, 0.001);
        for st in &mut s {
            st.highway = Some("motorway".into());
        }
        assert!(anchors(&s).is_empty());
    }

    #[test]
    fn below_is_in_range_and_roughly_uniform() {
        let mut r = SplitMix64::new(42);
        let mut counts = [0usize; 4];
        for _ in 0..40_000 {
            counts[r.below(4)] += 1;
        }
        assert!(
            counts.iter().all(|&c| (9_000..11_000).contains(&c)),
            "{counts:?}"
        );
        assert_eq!(r.below(0), 0);
    }
}
