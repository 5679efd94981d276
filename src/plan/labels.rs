//! Label placement for the app's own vector basemap: where a street's name goes, and which
//! labels of a view are drawn so they never pile up.
//!
//! [`street_anchor`] puts a street's label at the point halfway along the line, turned to the
//! line's direction there (in Web Mercator, which keeps angles, so the angle is the screen
//! angle), never upside down. [`declutter`] then keeps, per view, one label per group (a street
//! name), best priority first, drops any whose box overlaps one already placed, and stops at a
//! cap. Both are deterministic; `declutter` is O(k²) in the labels kept (k ≤ the cap).

use super::cluster::world_px;

/// Importance of an OSM `highway` class for drawing and labelling: 0 = most important.
/// `None` for classes that are not drawn as streets.
pub fn highway_rank(highway: &str) -> u8 {
    match highway {
        "motorway" | "trunk" | "primary" | "motorway_link" | "trunk_link" | "primary_link" => 0,
        "secondary" | "secondary_link" => 1,
        "tertiary" | "tertiary_link" => 2,
        "residential" | "unclassified" | "living_street" | "pedestrian" | "road" => 3,
        "service" => 4,
        _ => 5,
    }
}

/// Where a street's label goes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Anchor {
    /// Longitude of the label's centre.
    pub lon: f64,
    /// Latitude of the label's centre.
    pub lat: f64,
    /// Clockwise screen angle of the text in degrees, in (-90, 90].
    pub angle_deg: f64,
    /// Length of the line in metres (longer lines win when one name has several).
    pub length_m: f64,
}

fn seg_len_m(a: (f64, f64), b: (f64, f64)) -> f64 {
    let lat = f64::midpoint(a.1, b.1).to_radians();
    let dx = (b.0 - a.0) * lat.cos() * 111_320.0;
    let dy = (b.1 - a.1) * 110_574.0;
    dx.hypot(dy)
}

/// The label anchor of a line (lon, lat vertices): halfway along it, turned along it.
/// `None` for a line with fewer than two distinct vertices.
///
/// ```
/// use shuangquan::plan::labels::street_anchor;
/// let a = street_anchor(&[(121.0, 31.0), (121.01, 31.0)]).unwrap();
/// assert!((a.lon - 121.005).abs() < 1e-9 && a.angle_deg.abs() < 1e-9);
/// ```
pub fn street_anchor(line: &[(f64, f64)]) -> Option<Anchor> {
    let lens: Vec<f64> = line.windows(2).map(|w| seg_len_m(w[0], w[1])).collect();
    let total: f64 = lens.iter().sum();
    if total.is_nan() || total <= 0.0 {
        return None;
    }
    let half = total / 2.0;
    let mut run = 0.0;
    for (i, &l) in lens.iter().enumerate() {
        if l > 0.0 && run + l >= half {
            let t = (half - run) / l;
            let (a, b) = (line[i], line[i + 1]);
            let (ax, ay) = world_px(a.0, a.1, 0.0);
            let (bx, by) = world_px(b.0, b.1, 0.0);
            let mut angle = (by - ay).atan2(bx - ax).to_degrees();
            if angle > 90.0 {
                angle -= 180.0;
            } else if angle <= -90.0 {
                angle += 180.0;
            }
            return Some(Anchor {
                lon: a.0 + t * (b.0 - a.0),
                lat: a.1 + t * (b.1 - a.1),
                angle_deg: angle,
                length_m: total,
            });
        }
        run += l;
    }
    None
}

/// A label that could be drawn in the current view.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Candidate {
    /// Labels of one group (e.g. one street name) are drawn at most once.
    pub group: u32,
    /// Higher is drawn first.
    pub priority: f64,
    /// Screen x of the centre, pixels.
    pub x: f64,
    /// Screen y of the centre, pixels.
    pub y: f64,
    /// Half the width of the label's box, pixels (include any padding).
    pub half_w: f64,
    /// Half the height of the label's box, pixels.
    pub half_h: f64,
}

impl Candidate {
    fn overlaps(&self, o: &Candidate) -> bool {
        (self.x - o.x).abs() < self.half_w + o.half_w
            && (self.y - o.y).abs() < self.half_h + o.half_h
    }
}

/// Which candidates to draw: indices into `cands`, best first. At most one per group, no two
/// boxes overlapping, at most `cap`. Ties in priority go to the earlier candidate.
///
/// ```
/// use shuangquan::plan::labels::{declutter, Candidate};
/// let c = |group, x| Candidate { group, priority: 1.0, x, y: 0.0, half_w: 10.0, half_h: 5.0 };
/// // The second overlaps the first; the third repeats the first's group.
/// assert_eq!(declutter(&[c(0, 0.0), c(1, 5.0), c(0, 100.0), c(2, 50.0)], 10), vec![0, 3]);
/// ```
pub fn declutter(cands: &[Candidate], cap: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..cands.len()).collect();
    crate::plan::sort::by(&mut order, |&a, &b| {
        cands[b]
            .priority
            .total_cmp(&cands[a].priority)
            .then(a.cmp(&b))
    });
    let mut kept: Vec<usize> = Vec::new();
    let mut groups = std::collections::BTreeSet::new();
    for i in order {
        if kept.len() >= cap {
            break;
        }
        let c = &cands[i];
        if groups.contains(&c.group) || kept.iter().any(|&k| cands[k].overlaps(c)) {
            continue;
        }
        groups.insert(c.group);
        kept.push(i);
    }
    kept
}

/// The label anchors of the named streets `range` of a table, in its order: (name, `highway`
/// class, anchor). A street with no name, a blank one or no length has none.
pub fn street_anchors(
    t: &super::graph::StreetTable,
    range: std::ops::Range<usize>,
) -> impl Iterator<Item = (&str, Option<&str>, Anchor)> + '_ {
    let mut line: Vec<(f64, f64)> = Vec::new();
    t.lines_in(range).filter_map(move |l| {
        let name = l.attrs.name.filter(|n| !n.trim().is_empty())?;
        line.clear();
        line.extend(l.coords_wgs84.iter().map(|c| (c.lon, c.lat)));
        Some((name, l.attrs.tags.highway, street_anchor(&line)?))
    })
}

/// The label points of a streets layer in a compact form for the worker's answer: each name
/// once, per point its name's index, class ([`highway_rank`]), position in 10⁻⁷ degrees,
/// angle in hundredths of a degree and length in metres (the precision of the GeoJSON label
/// points, [`crate::plan::package::write::street_labels_geojson`]). Integers only, so two
/// answers compare as equal cheaply and the page reads them without a JSON parser.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LabelPoints {
    /// Distinct names, in the order first met.
    pub names: Vec<String>,
    /// Per point: the index of its name.
    pub name: Vec<u32>,
    /// Per point: its class.
    pub rank: Vec<u8>,
    /// Per point: longitude then latitude, 10⁻⁷ degrees.
    pub lonlat_e7: Vec<i32>,
    /// Per point: the angle, hundredths of a degree.
    pub angle_cdeg: Vec<i16>,
    /// Per point: the line's length, metres.
    pub length_m: Vec<u32>,
}

impl LabelPoints {
    /// The label points of the named streets `range` of `t`.
    #[must_use]
    pub fn of(t: &super::graph::StreetTable, range: std::ops::Range<usize>) -> Self {
        let mut steps = LabelSteps::new(range);
        steps.step(t, usize::MAX);
        steps.points
    }

    /// How many points.
    #[must_use]
    pub fn len(&self) -> usize {
        self.name.len()
    }

    /// No points.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.name.is_empty()
    }

    /// Point `i`: its name's index, class and anchor (`None` past the end or for a malformed
    /// answer).
    #[must_use]
    pub fn get(&self, i: usize) -> Option<(u32, u8, Anchor)> {
        Some((
            *self.name.get(i)?,
            *self.rank.get(i)?,
            Anchor {
                lon: f64::from(*self.lonlat_e7.get(2 * i)?) / 1e7,
                lat: f64::from(*self.lonlat_e7.get(2 * i + 1)?) / 1e7,
                angle_deg: f64::from(*self.angle_cdeg.get(i)?) / 100.0,
                length_m: f64::from(*self.length_m.get(i)?),
            },
        ))
    }
}

/// Label points found a slice of streets at a time (the worker answers an import's label
/// points in steps of a few ms, so that a click meanwhile waits for one step): the same points
/// as [`LabelPoints::of`] over the whole range.
#[derive(Debug, Clone, Default)]
pub struct LabelSteps {
    points: LabelPoints,
    /// Each name met so far and its index.
    index: std::collections::BTreeMap<String, u32>,
    next: usize,
    end: usize,
}

impl LabelSteps {
    /// The label points of the streets `range`, none found yet.
    #[must_use]
    pub fn new(range: std::ops::Range<usize>) -> Self {
        Self {
            next: range.start,
            end: range.end,
            ..Self::default()
        }
    }

    /// Goes on over the next `streets` streets of `t` (of the range, named or not); true when
    /// the range is done.
    pub fn step(&mut self, t: &super::graph::StreetTable, streets: usize) -> bool {
        let to = self.next.saturating_add(streets).min(self.end);
        let out = &mut self.points;
        for (name, highway, a) in street_anchors(t, self.next..to) {
            let id = if let Some(&id) = self.index.get(name) {
                id
            } else {
                out.names.push(name.to_owned());
                let id = u32::try_from(out.names.len() - 1).unwrap_or(u32::MAX);
                self.index.insert(name.to_owned(), id);
                id
            };
            out.name.push(id);
            out.rank.push(highway_rank(highway.unwrap_or("")));
            out.lonlat_e7.push((a.lon * 1e7).round() as i32);
            out.lonlat_e7.push((a.lat * 1e7).round() as i32);
            out.angle_cdeg.push((a.angle_deg * 100.0).round() as i16);
            out.length_m.push(a.length_m.round() as u32);
        }
        self.next = to;
        to >= self.end
    }

    /// The points found (all of them once [`LabelSteps::step`] said so).
    #[must_use]
    pub fn points(self) -> LabelPoints {
        self.points
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The street table of the Nanjing 新街口 extract in the repository.
    fn nanjing_streets() -> crate::plan::graph::StreetTable {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/data/sources/nanjing/nanjing_xinjiekou.osm"
        );
        let bytes = std::fs::read(path).expect("the Nanjing extract is in the repository");
        crate::plan::osm::read_network(&bytes).streets
    }

    /// The compact points carry what the GeoJSON label points say (the writer's text, read
    /// back with a JSON parser, is the oracle), each name once.
    #[test]
    fn label_points_say_what_the_geojson_says() {
        let t = nanjing_streets();
        let points = LabelPoints::of(&t, 0..t.len());
        let text = crate::plan::package::write::street_labels_geojson(&t, 0..t.len());
        let doc: serde_json::Value = serde_json::from_str(&text).expect("GeoJSON");
        let features = doc["features"].as_array().expect("features");
        assert!(features.len() > 50, "{} label points", features.len());
        assert_eq!(points.len(), features.len());
        let mut names: Vec<&str> = points.names.iter().map(String::as_str).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), points.names.len(), "each name once");
        for (i, f) in features.iter().enumerate() {
            let (name, rank, a) = points.get(i).expect("a point");
            let p = &f["properties"];
            assert_eq!(
                Some(points.names[name as usize].as_str()),
                p["name"].as_str()
            );
            assert_eq!(rank, highway_rank(p["highway"].as_str().unwrap_or("")));
            let c = &f["geometry"]["coordinates"];
            assert!((a.lon - c[0].as_f64().expect("lon")).abs() < 2e-7);
            assert!((a.lat - c[1].as_f64().expect("lat")).abs() < 2e-7);
            assert!((a.angle_deg - p["angle"].as_f64().expect("angle")).abs() < 0.006);
            assert!((a.length_m - p["length"].as_f64().expect("length")).abs() < 0.5);
        }
        assert!(points.get(points.len()).is_none());
    }

    /// Found a few streets at a time, over the whole table or a part of it, the label points
    /// are those found at once (the same names in the same order, the same points).
    #[test]
    fn label_points_found_in_steps_are_those_found_at_once() {
        let t = nanjing_streets();
        for range in [0..t.len(), 7..t.len() - 5] {
            let whole = LabelPoints::of(&t, range.clone());
            assert!(whole.len() > 50 && whole.names.len() < whole.len());
            for slice in [1, 13, 200] {
                let mut steps = LabelSteps::new(range.clone());
                let mut n = 1;
                while !steps.step(&t, slice) {
                    n += 1;
                }
                assert_eq!(n, range.len().div_ceil(slice), "slices of {slice}");
                assert!(steps.points() == whole, "{range:?} in slices of {slice}");
            }
        }
    }

    #[test]
    fn anchor_is_halfway_and_never_upside_down() {
        // An L-shaped line: 1 km east then 1 km north; halfway is the corner.
        let e = 1000.0 / (111_320.0 * 31f64.to_radians().cos());
        let n = 1000.0 / 110_574.0;
        let a = street_anchor(&[(121.0, 31.0), (121.0 + e, 31.0), (121.0 + e, 31.0 + n)])
            .expect("anchor");
        assert!((a.length_m - 2000.0).abs() < 1.0, "{}", a.length_m);
        assert!((a.lon - (121.0 + e)).abs() < 1e-6);
        // Westward line reads left to right too.
        let w = street_anchor(&[(121.01, 31.0), (121.0, 31.0)]).expect("anchor");
        assert!(w.angle_deg.abs() < 1e-9);
        // North-east line: text rises to the right (negative screen angle, y grows down).
        let ne = street_anchor(&[(121.0, 31.0), (121.01, 31.01)]).expect("anchor");
        assert!(
            ne.angle_deg < -30.0 && ne.angle_deg > -60.0,
            "{}",
            ne.angle_deg
        );
        for line in [
            vec![(0.0, 0.0), (-1.0, -1.0)],
            vec![(0.0, 0.0), (0.0, 1.0)],
            vec![(0.0, 0.0), (0.0, -1.0)],
        ] {
            let a = street_anchor(&line).expect("anchor");
            assert!(a.angle_deg > -90.0 && a.angle_deg <= 90.0);
        }
        assert!(street_anchor(&[(1.0, 1.0), (1.0, 1.0)]).is_none());
        assert!(street_anchor(&[(1.0, 1.0)]).is_none());
    }

    #[test]
    fn declutter_keeps_no_overlaps_one_per_group_and_the_cap() {
        // A dense pseudo-random field of labels.
        let mut s = 99u64;
        let mut next = || {
            s = s
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (s >> 11) as f64 / (1u64 << 53) as f64
        };
        let cands: Vec<Candidate> = (0..2000)
            .map(|i| Candidate {
                group: i % 300,
                priority: (next() * 4.0).floor(),
                x: next() * 1280.0,
                y: next() * 800.0,
                half_w: 20.0 + next() * 40.0,
                half_h: 8.0,
            })
            .collect();
        let kept = declutter(&cands, 80);
        assert!(!kept.is_empty() && kept.len() <= 80);
        for (i, &a) in kept.iter().enumerate() {
            for &b in &kept[i + 1..] {
                assert!(!cands[a].overlaps(&cands[b]));
                assert_ne!(cands[a].group, cands[b].group);
            }
        }
        // Best first.
        assert!(
            kept.windows(2)
                .all(|w| cands[w[0]].priority >= cands[w[1]].priority)
        );
        assert_eq!(kept, declutter(&cands, 80), "deterministic");
        assert!(declutter(&cands, 0).is_empty());
    }

    #[test]
    fn ranks_order_classes() {
        assert!(highway_rank("primary") < highway_rank("secondary"));
        assert!(highway_rank("secondary") < highway_rank("tertiary"));
        assert!(highway_rank("tertiary") < highway_rank("residential"));
        assert!(highway_rank("residential") < highway_rank("footway"));
    }
}
