//! Map tiles on both sides of the worker boundary.
//!
//! **Worker** ([`Tiles`]): which records are whose (the package's, each imported file's: the
//! engine appends an import's records to its layers, so each source is a range), an index per
//! source and layer built on the first tile asked of it ([`crate::plan::tile`]), and a bounded
//! cache of cut tiles. A load starts over; an import adds a source.
//!
//! **Coverage colours**: after a coverage answer the worker keeps each demand point's missing
//! categories and employment flag; while the page asks it to paint ([`Tiles::paint`]), demand
//! tiles carry each point's coverage class ([`coverage_class`]) and each cluster its points
//! per class, cut anew for each painting (the cache key holds its generation).
//!
//! **Page** ([`TileWaiters`]): the tiles asked and not yet answered, by request number; the
//! engine hands each [`Response::Tile`] to its waiter (the map's tile layer, `map::tiles`).
//!
//! The streets are read through [`street_lines`], the one place that knows how the engine
//! holds them.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::ops::Range;
use std::rc::Rc;

use super::protocol::Response;
use crate::plan::engine::Engine;
use crate::plan::graph::{StreetSource, StreetTable};
use crate::plan::labels::highway_rank;
use crate::plan::model::Category;
use crate::plan::tile::cache::TileCache;
use crate::plan::tile::lines::{LineIndex, TILE_VERTEX_BUDGET};
use crate::plan::tile::paint::{EMPLOYED, coverage_class, coverage_classes};
use crate::plan::tile::points::PointIndex;
use crate::plan::tile::wire::{lines_to_bytes, points_to_bytes};
use crate::plan::tile::{TileKey, TileLayer};

/// Cut tiles kept in the worker (a view of a few dozen tiles, and the last few views).
const CACHE_TILES: usize = 512;

/// Whose records: the package's (`None`) or the `i`-th imported file's.
type Source = Option<u32>;

/// A cut tile's key: whose, which layer, where, and the painting's generation (0: plain).
type CacheKey = (Source, TileLayer, TileKey, u32);

/// The layers a source can hold tiles of, in the order of [`lens`].
const LAYERS: [TileLayer; 5] = [
    TileLayer::Streets,
    TileLayer::Demand,
    TileLayer::Facilities,
    TileLayer::Stations,
    TileLayer::Candidates,
];

/// The worker's tiles.
#[derive(Default)]
pub struct Tiles {
    /// Each source's records, per layer.
    ranges: BTreeMap<(Source, TileLayer), Range<usize>>,
    /// The engine's layer lengths when last seen.
    lens: [usize; 5],
    /// Files imported since the load.
    imports: u32,
    lines: BTreeMap<Source, LineIndex>,
    points: BTreeMap<(Source, TileLayer), PointIndex>,
    cache: Option<TileCache<CacheKey, Vec<u8>>>,
    /// Tiles cut (not found in the cache) and the time they took, ms (for the benchmark).
    cut: (u64, f64),
    /// Per demand record of the last coverage answer: missing base categories (bits 0–5) and
    /// the employment circle (bit 6).
    coverage: Vec<u8>,
    /// The categories the demand tiles are painted by, while they are.
    paint: Option<u8>,
    /// Bumped by every coverage answer and painting (part of a demand tile's cache key).
    generation: u32,
}

/// Each demand record's painting code by the coverage answer `c`: its missing base categories
/// (bits 0–5) and the employment circle (bit 6).
#[must_use]
pub fn coverage_codes(c: &crate::plan::coverage::Coverage) -> Vec<u8> {
    (0..c.points.len())
        .map(|i| c.missing_mask(i) | if c.points[i].employment { EMPLOYED } else { 0 })
        .collect()
}

/// The streets `range` of the engine's table as `(class, WGS-84 vertices)` lines for the
/// tiler: the adapter from the engine's street records (class: [`highway_rank`]).
pub fn street_lines(
    streets: &StreetTable,
    range: Range<usize>,
) -> impl Iterator<Item = (u8, impl Iterator<Item = [f64; 2]>)> {
    streets.lines_in(range).map(|s| {
        (
            highway_rank(s.attrs.tags.highway.unwrap_or("")),
            s.coords_wgs84.iter().map(|p| [p.lon, p.lat]),
        )
    })
}

fn lens(engine: &Engine) -> [usize; 5] {
    let l = engine.layers();
    [
        l.streets.len(),
        l.demand.len(),
        l.facilities.len(),
        l.stations.len(),
        l.candidates.len(),
    ]
}

impl Tiles {
    /// Follows the engine's data after an answer: a package loaded starts over (every record
    /// is the package's), a file imported is the next source.
    pub fn follow(&mut self, engine: &Engine, answer: &Response) {
        let source = match answer {
            Response::Loaded(_) => {
                *self = Self::default();
                None
            }
            Response::Imported(_) => {
                // New records: the last coverage answer no longer describes the layer.
                self.coverage.clear();
                self.imports += 1;
                Some(self.imports - 1)
            }
            Response::Coverage(a) => {
                self.restore(coverage_codes(&a.coverage));
                return;
            }
            _ => return,
        };
        let now = lens(engine);
        for (k, layer) in LAYERS.into_iter().enumerate() {
            if now[k] > self.lens[k] {
                self.ranges.insert((source, layer), self.lens[k]..now[k]);
            }
        }
        self.lens = now;
    }

    /// The tile asked for, as bytes (empty: nothing there, or no such tile or source).
    pub fn answer(
        &mut self,
        engine: &Engine,
        seq: u64,
        layer: TileLayer,
        source: Source,
        key: TileKey,
        now_ms: fn() -> f64,
    ) -> Response {
        let t0 = now_ms();
        let (bytes, cut) = match TileKey::new(key.z, key.x, key.y) {
            Some(key) => self.bytes(engine, layer, source, key),
            None => (Vec::new(), false),
        };
        let cut_ms = now_ms() - t0;
        if cut {
            self.cut = (self.cut.0 + 1, self.cut.1 + cut_ms);
            self.publish();
        }
        Response::Tile { seq, bytes, cut_ms }
    }

    /// Takes the painting codes of a coverage answer computed by another worker (the page's
    /// last answer, given to a standby or to a worker that replaced a cancelled one).
    pub fn restore(&mut self, codes: Vec<u8>) {
        self.coverage = codes;
        self.generation = self.generation.wrapping_add(1);
    }

    /// Paints the demand tiles by the last coverage answer, counting the categories of
    /// `mask` (`None`: plain); the painting's generation.
    pub fn paint(&mut self, mask: Option<u8>) -> u32 {
        self.paint = mask;
        self.generation = self.generation.wrapping_add(1);
        self.generation
    }

    /// The street `id` of the streets tiles of `source`: name, class and length.
    #[must_use]
    pub fn street(
        &self,
        engine: &Engine,
        source: Source,
        id: u32,
    ) -> Option<super::protocol::StreetInfo> {
        let range = self.ranges.get(&(source, TileLayer::Streets))?;
        let k = range
            .start
            .checked_add(id as usize)
            .filter(|k| *k < range.end)?;
        let s = engine.layers().streets.lines_in(k..k + 1).next()?;
        Some(super::protocol::StreetInfo {
            name: s.attrs.name.map(str::to_owned),
            highway: s.attrs.tags.highway.unwrap_or("").to_owned(),
            length_m: s
                .coords_wgs84
                .windows(2)
                .map(|w| w[0].haversine_m(w[1]))
                .sum(),
        })
    }

    /// The tile's bytes, and whether they were cut now (not found in the cache).
    fn bytes(
        &mut self,
        engine: &Engine,
        layer: TileLayer,
        source: Source,
        key: TileKey,
    ) -> (Vec<u8>, bool) {
        let painted = (layer == TileLayer::Demand && !self.coverage.is_empty())
            .then_some(self.paint)
            .flatten();
        let generation = if painted.is_some() {
            self.generation
        } else {
            0
        };
        let cache = self
            .cache
            .get_or_insert_with(|| TileCache::new(CACHE_TILES));
        if let Some(b) = cache.get(&(source, layer, key, generation)) {
            return (b.clone(), false);
        }
        let Some(range) = self.ranges.get(&(source, layer)).cloned() else {
            return (Vec::new(), false);
        };
        let l = engine.layers();
        let bytes = if layer == TileLayer::Streets {
            if range.end > l.streets.len() {
                return (Vec::new(), false);
            }
            let index = self
                .lines
                .entry(source)
                .or_insert_with(|| LineIndex::build(street_lines(&l.streets, range.clone())));
            // The vertices are read from the engine's table: the index holds no copy of them.
            let vertices = |id: u32| {
                let k = range.start + id as usize;
                let coords = if k < range.end {
                    l.streets.street_coords(k)
                } else {
                    &[]
                };
                coords.iter().map(|p| [p.lon, p.lat])
            };
            lines_to_bytes(&index.cut(key, TILE_VERTEX_BUDGET, vertices))
        } else {
            let index = self.points.entry((source, layer)).or_insert_with(|| {
                PointIndex::build(point_records(engine, layer, range.clone()).unwrap_or_default())
            });
            let mut tile = match painted {
                Some(mask) => {
                    let codes = &self.coverage;
                    let class = |id: u32| {
                        let code = codes.get(range.start + id as usize).copied().unwrap_or(0);
                        coverage_class(code, mask)
                    };
                    index.cut_classed(key, &class, coverage_classes(mask))
                }
                None => index.cut(key),
            };
            // The page names a point by its record in the engine's layer.
            let start = u32::try_from(range.start).unwrap_or(u32::MAX);
            for f in &mut tile.first {
                *f = f.saturating_add(start);
            }
            points_to_bytes(&tile)
        };
        if let Some(cache) = &mut self.cache {
            cache.put((source, layer, key, generation), bytes.clone());
        }
        (bytes, true)
    }

    /// Puts the figures of [`Tiles::memory`] on the worker's global `shuangquanTiles`
    /// (`indexBytes`, `cacheBytes`, `cut`, `cutMs`), read by `bench/city_browser.mjs`.
    fn publish(&self) {
        let (index, cache, cut, ms) = self.memory();
        let o = js_sys::Object::new();
        for (k, v) in [
            ("indexBytes", index as f64),
            ("cacheBytes", cache as f64),
            ("cut", cut as f64),
            ("cutMs", ms),
        ] {
            let _ = js_sys::Reflect::set(&o, &k.into(), &v.into());
        }
        let _ = js_sys::Reflect::set(&js_sys::global(), &"shuangquanTiles".into(), &o);
    }

    /// Bytes held by the indexes and the cache, and the tiles cut with their total time.
    #[must_use]
    pub fn memory(&self) -> (usize, usize, u64, f64) {
        let index = self
            .lines
            .values()
            .map(LineIndex::heap_bytes)
            .sum::<usize>()
            + self
                .points
                .values()
                .map(PointIndex::heap_bytes)
                .sum::<usize>();
        let cache = self
            .cache
            .as_ref()
            .map_or(0, |c| c.values().map(Vec::capacity).sum());
        (index, cache, self.cut.0, self.cut.1)
    }
}

/// A point layer's records of one source as `(lon, lat, symbol)`: the symbol is the
/// category's position in [`Category::ALL`] for facilities, 0 otherwise.
fn point_records(
    engine: &Engine,
    layer: TileLayer,
    r: Range<usize>,
) -> Option<Vec<(f64, f64, u16)>> {
    let l = engine.layers();
    let at = |p: &crate::plan::geom::LonLat, s: u16| (p.lon, p.lat, s);
    Some(match layer {
        TileLayer::Demand => l
            .demand
            .get(r)?
            .iter()
            .map(|d| at(&d.pos_wgs84, 0))
            .collect(),
        TileLayer::Facilities => l
            .facilities
            .get(r)?
            .iter()
            .map(|f| {
                let k = Category::ALL
                    .iter()
                    .position(|c| *c == f.category)
                    .unwrap_or(0);
                at(&f.pos_wgs84, u16::try_from(k).unwrap_or(0))
            })
            .collect(),
        TileLayer::Stations => l
            .stations
            .get(r)?
            .iter()
            .map(|s| at(&s.pos_wgs84, 0))
            .collect(),
        TileLayer::Candidates => l
            .candidates
            .get(r)?
            .iter()
            .map(|c| at(&c.pos_wgs84, 0))
            .collect(),
        TileLayer::Streets => return None,
    })
}

/// A tile's answer handed to the layer that asked: its bytes.
pub type TileDone = Box<dyn FnOnce(Vec<u8>)>;
/// A street's answer handed to the map that asked.
pub type StreetDone = Box<dyn FnOnce(Option<super::protocol::StreetInfo>)>;

/// The page's tiles asked and not yet answered (cheap to clone; every clone is the same).
#[derive(Clone, Default)]
pub struct TileWaiters(
    Rc<RefCell<BTreeMap<u64, TileDone>>>,
    Rc<RefCell<BTreeMap<u64, StreetDone>>>,
);

impl TileWaiters {
    /// Waits for the answer to the street request `seq`.
    pub fn wait_street(&self, seq: u64, done: StreetDone) {
        self.1.borrow_mut().insert(seq, done);
    }

    /// Hands a street's answer to its waiter.
    pub fn street(&self, seq: u64, info: Option<super::protocol::StreetInfo>) {
        let done = self.1.borrow_mut().remove(&seq);
        if let Some(done) = done {
            done(info);
        }
    }

    /// Waits for the answer to request `seq`.
    pub fn wait(&self, seq: u64, done: TileDone) {
        self.0.borrow_mut().insert(seq, done);
    }

    /// Hands an answer to its waiter (none: the layer is gone, the answer is dropped).
    pub fn answered(&self, seq: u64, bytes: Vec<u8>) {
        let done = self.0.borrow_mut().remove(&seq);
        if let Some(done) = done {
            done(bytes);
        }
    }

    /// Stops waiting for `seq` (a tile Leaflet no longer shows).
    pub fn forget(&self, seq: u64) {
        self.0.borrow_mut().remove(&seq);
    }
}
