//! Streets in flat arrays: the compact store of a network's streets, which the walk graph is
//! built from and the drawing reads in place.
//!
//! A [`StreetTable`] holds every street's vertices in one `Vec<LonLat>` (street `k` is the
//! slice `coords[start[k]..start[k + 1]]`), its id (a way id and part as two numbers, or a text
//! id such as a GeoJSON feature's, kept once in a list of its own), and its six tag values as
//! indices into one pool of distinct strings (OSM tag values repeat: a city has a few dozen
//! `highway` values and far fewer names than ways; identical rows of values are stored once
//! too). No per-street heap object: 16 bytes per vertex plus 24 bytes per street, against
//! ≈ 400 bytes per street for a `Vec<Street>` of owned strings; OSM node ids are never stored.
//!
//! The OSM reader fills one while it assembles ways ([`crate::plan::osm::read_network`]); the
//! engine keeps it as its streets layer (GeoJSON streets are pushed in with
//! [`StreetTable::push_street`], later imports [`StreetTable::append`]ed), the walk graph is
//! built from it in place ([`super::WalkGraph::build_streets`]; edges name their street by its
//! index here), and drawing and package writing read it through [`StreetTable::lines`]
//! (index, tag values, vertices) without owned values. [`StreetTable::to_streets`] makes the
//! owned [`Street`] values for the callers that still want them.
//!
//! Both inputs of the graph build implement [`StreetSource`], so one build serves both.
//! Complexity: O(1) per street read; O(1) expected per interned value; [`StreetTable::append`]
//! O(1) into an empty table, else O(streets + vertices) of the other table.

use std::collections::HashMap;

use crate::plan::geom::LonLat;
use crate::plan::model::Street;
use crate::plan::osm::tags::WayTags;

/// What the walk graph build reads from a list of streets.
pub trait StreetSource {
    /// Number of streets.
    fn street_count(&self) -> usize;
    /// Vertices of street `k` (WGS-84).
    fn street_coords(&self, k: usize) -> &[LonLat];
    /// The walk tags of street `k`.
    fn street_tags(&self, k: usize) -> WayTags<'_>;
}

impl StreetSource for [Street] {
    fn street_count(&self) -> usize {
        self.len()
    }

    fn street_coords(&self, k: usize) -> &[LonLat] {
        &self[k].coords_wgs84
    }

    fn street_tags(&self, k: usize) -> WayTags<'_> {
        let s = &self[k];
        WayTags {
            highway: s.highway.as_deref(),
            foot: s.foot.as_deref(),
            access: s.access.as_deref(),
            area: s.area.as_deref(),
            service: s.service.as_deref(),
        }
    }
}

/// The tag values a street keeps, in this order.
pub const STREET_TAGS: [&str; 6] = ["highway", "foot", "access", "name", "area", "service"];
const HIGHWAY: usize = 0;
const FOOT: usize = 1;
const ACCESS: usize = 2;
const NAME: usize = 3;
const AREA: usize = 4;
const SERVICE: usize = 5;

/// Distinct strings, each stored once; index 0 stands for "no value".
#[derive(Debug, Clone, Default)]
pub(crate) struct StringPool {
    strings: Vec<Box<str>>,
    index: HashMap<Box<str>, u32>,
}

impl StringPool {
    /// The index of `s` (added when new); 0 for `None`.
    pub(crate) fn intern(&mut self, s: Option<&str>) -> u32 {
        let Some(s) = s else { return 0 };
        if let Some(&k) = self.index.get(s) {
            return k;
        }
        if self.strings.is_empty() {
            self.strings.push(Box::from(""));
        }
        let k = u32::try_from(self.strings.len()).unwrap_or(u32::MAX);
        self.strings.push(Box::from(s));
        self.index.insert(Box::from(s), k);
        k
    }

    /// The string at `k`; `None` for 0 (or an index not in the pool).
    pub(crate) fn get(&self, k: u32) -> Option<&str> {
        if k == 0 {
            None
        } else {
            self.strings.get(k as usize).map(|s| &**s)
        }
    }
}

/// The id of one street: an OSM way and part (`way`, `way#part`), or any other text (a
/// GeoJSON feature's id), stored in [`StreetTable`]'s list of text ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum StreetKey {
    /// Source way id and part (0 for the way's first run of known nodes).
    Way(i64, u32),
    /// Index into the table's text ids.
    Text(u32),
}

/// The tag values of one street (the values of [`STREET_TAGS`]), borrowed from its table.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StreetAttrs<'a> {
    /// The tags that decide how it is walked (`highway`, the street's class, among them).
    pub tags: WayTags<'a>,
    /// Name, when known.
    pub name: Option<&'a str>,
}

/// One street of a [`StreetTable`], borrowed: what [`StreetTable::lines`] yields.
#[derive(Debug, Clone, Copy)]
pub struct StreetLine<'a> {
    /// Its index in the table (the graph's edges name their street by this index).
    pub index: usize,
    /// Its tag values.
    pub attrs: StreetAttrs<'a>,
    /// Its vertices (WGS-84).
    pub coords_wgs84: &'a [LonLat],
}

/// Streets in flat arrays (see the module documentation).
#[derive(Debug, Clone, Default)]
pub struct StreetTable {
    coords: Vec<LonLat>,
    /// Street `k` is `coords[start[k]..start[k + 1]]`; empty or starting with 0.
    start: Vec<u32>,
    /// Per street: its id.
    ids: Vec<StreetKey>,
    /// Ids that are not a way number (with an optional `#part`), each stored once.
    text_ids: Vec<Box<str>>,
    /// Per street: its row in `rows`.
    tags: Vec<u32>,
    /// Distinct rows of pool indices of [`STREET_TAGS`] (ways share their tag values).
    rows: Vec<[u32; 6]>,
    row_index: HashMap<[u32; 6], u32>,
    pool: StringPool,
}

impl StreetTable {
    /// Number of streets.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// True when there is no street.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Number of vertices over all streets.
    pub fn vertex_count(&self) -> usize {
        self.coords.len()
    }

    /// Interns the values of [`STREET_TAGS`] (in that order) for a later [`Self::push_interned`].
    pub(crate) fn intern(&mut self, values: [Option<&str>; 6]) -> u32 {
        let row = values.map(|v| self.pool.intern(v));
        if let Some(&k) = self.row_index.get(&row) {
            return k;
        }
        let k = u32::try_from(self.rows.len()).unwrap_or(u32::MAX);
        self.rows.push(row);
        self.row_index.insert(row, k);
        k
    }

    /// Adds a street: way id, part number, vertices and tag values interned by
    /// [`Self::intern`].
    pub(crate) fn push_interned(
        &mut self,
        way: i64,
        part: u32,
        coords: impl IntoIterator<Item = LonLat>,
        tags: u32,
    ) {
        self.push_keyed(StreetKey::Way(way, part), coords, tags);
    }

    /// Adds a street with its id key.
    fn push_keyed(&mut self, key: StreetKey, coords: impl IntoIterator<Item = LonLat>, tags: u32) {
        if self.start.is_empty() {
            self.start.push(0);
        }
        self.coords.extend(coords);
        self.start
            .push(u32::try_from(self.coords.len()).unwrap_or(u32::MAX));
        self.ids.push(key);
        self.tags.push(tags);
    }

    /// The key of a text id (stored once in `text_ids`).
    fn text_key(&mut self, id: &str) -> StreetKey {
        self.text_ids.push(Box::from(id));
        StreetKey::Text(u32::try_from(self.text_ids.len() - 1).unwrap_or(u32::MAX))
    }

    /// Adds an owned street (e.g. a GeoJSON feature's line): an id of the form `way` or
    /// `way#part` (as [`Self::id`] writes it) is kept as numbers, any other as text.
    pub fn push_street(&mut self, s: &Street) {
        let tags = self.intern(
            [&s.highway, &s.foot, &s.access, &s.name, &s.area, &s.service].map(|v| v.as_deref()),
        );
        let key = way_key(&s.id).unwrap_or_else(|| self.text_key(&s.id));
        self.push_keyed(key, s.coords_wgs84.iter().copied(), tags);
    }

    /// Moves every street of `other` to the end of this table (`other` is left empty). When
    /// this table is empty, the arrays are moved whole (nothing is copied).
    pub fn append(&mut self, other: &mut StreetTable) {
        if self.is_empty() {
            std::mem::swap(self, other);
            *other = StreetTable::default();
            return;
        }
        let taken = std::mem::take(other);
        self.reserve(taken.len(), taken.vertex_count());
        for k in 0..taken.len() {
            self.copy_street(&taken, k);
        }
    }

    /// The streets `k` for which `keep(k)` holds, in a table of their own.
    #[must_use]
    pub fn filtered(&self, keep: impl Fn(usize) -> bool) -> StreetTable {
        let mut t = StreetTable::default();
        for k in (0..self.len()).filter(|&k| keep(k)) {
            t.copy_street(self, k);
        }
        t.shrink_to_fit();
        t
    }

    /// Adds street `k` of `from`.
    fn copy_street(&mut self, from: &StreetTable, k: usize) {
        let tags = self.intern(from.row(k).map(|t| from.pool.get(t)));
        let key = match from.ids[k] {
            StreetKey::Way(w, p) => StreetKey::Way(w, p),
            StreetKey::Text(t) => self.text_key(from.text_ids.get(t as usize).map_or("", |t| &**t)),
        };
        self.push_keyed(key, from.street_coords(k).iter().copied(), tags);
    }

    /// Number of streets in the walk graph.
    pub fn walkable_count(&self) -> usize {
        (0..self.len()).filter(|&k| self.is_walkable(k)).count()
    }

    /// The pool indices of street `k`'s tag values.
    fn row(&self, k: usize) -> [u32; 6] {
        self.rows
            .get(self.tags[k] as usize)
            .copied()
            .unwrap_or_default()
    }

    /// The tag values of street `k`.
    pub fn attrs(&self, k: usize) -> StreetAttrs<'_> {
        let [highway, foot, access, name, area, service] = self.row(k).map(|t| self.pool.get(t));
        StreetAttrs {
            tags: WayTags {
                highway,
                foot,
                access,
                area,
                service,
            },
            name,
        }
    }

    /// Every street in order, borrowed: its index, tag values and vertices. What drawing and
    /// writing read (no owned [`Street`] is made).
    pub fn lines(&self) -> impl ExactSizeIterator<Item = StreetLine<'_>> + '_ {
        self.lines_in(0..self.len())
    }

    /// [`Self::lines`] of the streets `range` (clamped to the table), read from its start: the
    /// streets before it are not visited.
    pub fn lines_in(
        &self,
        range: std::ops::Range<usize>,
    ) -> impl ExactSizeIterator<Item = StreetLine<'_>> + '_ {
        let end = range.end.min(self.len());
        (range.start.min(end)..end).map(|k| StreetLine {
            index: k,
            attrs: self.attrs(k),
            coords_wgs84: self.street_coords(k),
        })
    }

    /// Whether street `k` is in the walk graph ([`crate::plan::graph::is_walkable`]).
    pub fn is_walkable(&self, k: usize) -> bool {
        crate::plan::osm::tags::walk_access(&self.street_tags(k))
            != crate::plan::osm::tags::WalkAccess::No
    }

    /// Whether any street is in the walk graph.
    pub fn any_walkable(&self) -> bool {
        (0..self.len()).any(|k| self.is_walkable(k))
    }

    /// Adds a street with its tag values.
    pub fn push(
        &mut self,
        way: i64,
        part: u32,
        coords: impl IntoIterator<Item = LonLat>,
        values: [Option<&str>; 6],
    ) {
        let tags = self.intern(values);
        self.push_interned(way, part, coords, tags);
    }

    /// The id of street `k` as a [`Street`] has it: the way id, `#part` after the first part.
    pub fn id(&self, k: usize) -> String {
        match self.ids[k] {
            StreetKey::Way(way, 0) => way.to_string(),
            StreetKey::Way(way, part) => format!("{way}#{part}"),
            StreetKey::Text(t) => self
                .text_ids
                .get(t as usize)
                .map(ToString::to_string)
                .unwrap_or_default(),
        }
    }

    /// Tag `t` (an index into [`STREET_TAGS`]) of street `k`.
    fn tag(&self, k: usize, t: usize) -> Option<&str> {
        self.pool.get(self.row(k)[t])
    }

    /// The `name` of street `k`.
    pub fn name(&self, k: usize) -> Option<&str> {
        self.tag(k, NAME)
    }

    /// Street `k` as an owned [`Street`].
    pub fn street(&self, k: usize) -> Street {
        let own = |t| self.tag(k, t).map(str::to_owned);
        Street {
            id: self.id(k),
            coords_wgs84: self.street_coords(k).to_vec(),
            highway: own(HIGHWAY),
            foot: own(FOOT),
            access: own(ACCESS),
            name: own(NAME),
            area: own(AREA),
            service: own(SERVICE),
        }
    }

    /// Every street as an owned [`Street`], in order.
    pub fn to_streets(&self) -> Vec<Street> {
        (0..self.len()).map(|k| self.street(k)).collect()
    }

    /// Reserves room for `streets` more streets of `vertices` vertices in all.
    pub fn reserve(&mut self, streets: usize, vertices: usize) {
        self.coords.reserve_exact(vertices);
        self.start.reserve_exact(streets + 1);
        self.ids.reserve_exact(streets);
        self.tags.reserve_exact(streets);
    }

    /// Drops the spare capacity of the arrays (after the last [`Self::push`]).
    pub fn shrink_to_fit(&mut self) {
        self.coords.shrink_to_fit();
        self.start.shrink_to_fit();
        self.ids.shrink_to_fit();
        self.tags.shrink_to_fit();
    }

    /// Bytes held by the table's arrays (capacity, not length; the strings' pool and hash
    /// indices counted by their entries), for memory reports.
    pub fn heap_bytes(&self) -> usize {
        use std::mem::size_of;
        self.coords.capacity() * size_of::<LonLat>()
            + self.start.capacity() * size_of::<u32>()
            + self.ids.capacity() * size_of::<StreetKey>()
            + self.tags.capacity() * size_of::<u32>()
            + self.rows.capacity() * size_of::<[u32; 6]>() * 2
            + self.text_ids.iter().map(|t| t.len() + 16).sum::<usize>()
            + self
                .pool
                .strings
                .iter()
                .map(|t| 2 * t.len() + 40)
                .sum::<usize>()
    }
}

/// `way` or `way#part` when `id` is exactly how [`StreetTable::id`] writes such a key.
fn way_key(id: &str) -> Option<StreetKey> {
    let (way, part) = match id.split_once('#') {
        Some((w, p)) => (w, Some(p)),
        None => (id, None),
    };
    let w: i64 = way.parse().ok()?;
    let p: u32 = match part {
        Some(p) => p.parse().ok().filter(|&p| p > 0)?,
        None => 0,
    };
    let key = StreetKey::Way(w, p);
    // Only a key that writes back to the same text ("007", "+7", "7#01" stay text).
    let text = if p == 0 {
        w.to_string()
    } else {
        format!("{w}#{p}")
    };
    (text == id).then_some(key)
}

/// Equal when the streets are equal one by one (id, vertices, tag values), however the
/// strings are pooled.
impl PartialEq for StreetTable {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len()
            && (0..self.len()).all(|k| {
                self.id(k) == other.id(k)
                    && self.street_coords(k) == other.street_coords(k)
                    && self.attrs(k) == other.attrs(k)
            })
    }
}

/// Serialized as the list of its streets ([`Street`] values, made one at a time).
impl serde::Serialize for StreetTable {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = serializer.serialize_seq(Some(self.len()))?;
        for k in 0..self.len() {
            seq.serialize_element(&self.street(k))?;
        }
        seq.end()
    }
}

impl Extend<Street> for StreetTable {
    fn extend<I: IntoIterator<Item = Street>>(&mut self, iter: I) {
        for s in iter {
            self.push_street(&s);
        }
    }
}

impl<'a> FromIterator<&'a Street> for StreetTable {
    fn from_iter<I: IntoIterator<Item = &'a Street>>(iter: I) -> Self {
        let mut t = StreetTable::default();
        for s in iter {
            t.push_street(s);
        }
        t
    }
}

impl StreetSource for StreetTable {
    fn street_count(&self) -> usize {
        self.len()
    }

    fn street_coords(&self, k: usize) -> &[LonLat] {
        &self.coords[self.start[k] as usize..self.start[k + 1] as usize]
    }

    fn street_tags(&self, k: usize) -> WayTags<'_> {
        self.attrs(k).tags
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_streets_and_shares_strings() {
        let mut t = StreetTable::default();
        let a = [LonLat::new(1.0, 2.0), LonLat::new(1.5, 2.5)];
        t.push(
            7,
            0,
            a,
            [Some("footway"), None, None, Some("路"), None, None],
        );
        t.push(
            7,
            1,
            [LonLat::new(3.0, 4.0)],
            [Some("footway"), Some("yes"), None, Some("路"), None, None],
        );
        assert_eq!(t.len(), 2);
        let s = t.to_streets();
        assert_eq!(s[0].id, "7");
        assert_eq!(s[1].id, "7#1");
        assert_eq!(s[0].coords_wgs84, a);
        assert_eq!(s[1].foot.as_deref(), Some("yes"));
        assert_eq!(s[0].foot, None);
        assert_eq!(t.street_tags(1).highway, Some("footway"));
        // "footway", "路", "yes": three distinct strings, whatever the number of streets.
        assert_eq!(t.pool.strings.len(), 1 + 3);
        t.push(
            8,
            0,
            [LonLat::new(3.0, 4.0)],
            [Some("footway"), None, None, Some("路"), None, None],
        );
        // Same values as the first street: the same row.
        assert_eq!((t.rows.len(), t.tags[2]), (2, t.tags[0]));
        assert_eq!(t.street(2).name.as_deref(), Some("路"));
        assert_eq!(t.street_coords(1), &[LonLat::new(3.0, 4.0)]);
    }
}
