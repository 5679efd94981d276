//! Map tiles cut on demand, in the manner of geojson-vt (lines) and supercluster (points): the
//! worker keeps a city's layers indexed once and cuts the tile a map asks for, at a level of
//! detail that fits its zoom, into compact tile-local integer coordinates.
//!
//! Tiles follow the web-map scheme (Web-Mercator, `z/x/y`, 256 CSS pixels a side); inside a
//! tile, coordinates are [`EXTENT`] units a side with a [`BUFFER`] around it, so that lines
//! and symbols crossing an edge draw without seams.
//!
//! | module | what |
//! |---|---|
//! | [`simplify`] | Douglas–Peucker importance of every vertex, computed once per line |
//! | [`clip`] | a polyline clipped to a box |
//! | [`lines`] | the street index and the cut of a line tile (simplified, clipped, classes within a budget) |
//! | [`points`] | the point index and the cut of a point tile (grid clusters with counts) |
//! | [`cache`] | a bounded cache of cut tiles |
//! | [`wire`] | a tile as bytes (little-endian arrays), and back |
//! | [`paint`] | coverage classes of demand points on painted tiles |

pub mod cache;
pub mod clip;
pub mod lines;
pub mod paint;
pub mod points;
pub mod simplify;
pub mod wire;

use serde::{Deserialize, Serialize};

/// Tile-local units per tile side (a 256-pixel tile: 16 units per CSS pixel).
pub const EXTENT: f64 = 4096.0;
/// Tile-local units kept around the tile (8 CSS pixels).
pub const BUFFER: f64 = 128.0;
/// The deepest zoom a tile is cut at.
pub const MAX_ZOOM: u8 = 22;
/// Side of a tile in CSS pixels.
pub const TILE_PX: f64 = 256.0;

/// Which layer a tile is cut from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum TileLayer {
    /// Every street of the package and of the imported files.
    Streets,
    /// Demand points.
    Demand,
    /// Facilities.
    Facilities,
    /// Stations.
    Stations,
    /// Candidate sites.
    Candidates,
}

impl TileLayer {
    /// The tiled layer of a package layer kind (`None`: drawn from its GeoJSON).
    #[must_use]
    pub const fn of(kind: super::package::LayerKind) -> Option<Self> {
        use super::package::LayerKind as K;
        match kind {
            K::Streets => Some(Self::Streets),
            K::Demand => Some(Self::Demand),
            K::Facilities => Some(Self::Facilities),
            K::Stations => Some(Self::Stations),
            K::Candidates => Some(Self::Candidates),
            K::Postings | K::Communities | K::Boundaries => None,
        }
    }
}

/// A tile's address: zoom, column, row (web-map scheme, row 0 at the north).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct TileKey {
    /// Zoom level.
    pub z: u8,
    /// Column, west to east.
    pub x: u32,
    /// Row, north to south.
    pub y: u32,
}

impl TileKey {
    /// The tile `z/x/y`, or `None` when it does not exist (zoom over [`MAX_ZOOM`], column or
    /// row outside the world).
    #[must_use]
    pub fn new(z: u8, x: u32, y: u32) -> Option<Self> {
        let n = 1u64 << z.min(MAX_ZOOM);
        (z <= MAX_ZOOM && u64::from(x) < n && u64::from(y) < n).then_some(Self { z, x, y })
    }

    /// Side of the tile in world units (world pixels at zoom 0, the world is 256 a side).
    #[must_use]
    pub fn side(self) -> f64 {
        TILE_PX / f64::from(1u32 << self.z)
    }

    /// The tile in world units: [min x, min y, max x, max y].
    #[must_use]
    pub fn world_box(self) -> [f64; 4] {
        let s = self.side();
        let (x0, y0) = (f64::from(self.x) * s, f64::from(self.y) * s);
        [x0, y0, x0 + s, y0 + s]
    }

    /// The tile with its buffer of `buffer` tile-local units on each side, in world units.
    #[must_use]
    pub fn buffered_box(self, buffer: f64) -> [f64; 4] {
        let b = buffer / EXTENT * self.side();
        let w = self.world_box();
        [w[0] - b, w[1] - b, w[2] + b, w[3] + b]
    }

    /// Tile-local units of a world position (not rounded).
    #[must_use]
    pub fn local(self, p: [f64; 2]) -> [f64; 2] {
        let s = self.side();
        [
            (p[0] - f64::from(self.x) * s) / s * EXTENT,
            (p[1] - f64::from(self.y) * s) / s * EXTENT,
        ]
    }
}

/// World units (Web-Mercator pixels at zoom 0) of a WGS-84 position.
#[must_use]
pub fn world_of(lon: f64, lat: f64) -> [f64; 2] {
    let (x, y) = super::cluster::world_px(lon, lat, 0.0);
    [x, y]
}

/// WGS-84 (lon, lat) of a world position (the inverse of [`world_of`]).
#[must_use]
pub fn lonlat_of(p: [f64; 2]) -> (f64, f64) {
    let lon = p[0] / TILE_PX * 360.0 - 180.0;
    let lat = (std::f64::consts::PI * (1.0 - 2.0 * p[1] / TILE_PX))
        .sinh()
        .atan()
        .to_degrees();
    (lon, lat)
}

/// Rounds tile-local units to the `i16` the wire carries (the buffer keeps them far inside).
pub(crate) fn quantise(v: f64) -> i16 {
    // Clipping keeps v within [-BUFFER, EXTENT + BUFFER]; the clamp guards the cast.
    v.round().clamp(f64::from(i16::MIN), f64::from(i16::MAX)) as i16
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiles_of_a_zoom_partition_the_world() {
        let k = TileKey::new(3, 5, 2).expect("exists");
        let b = k.world_box();
        assert!((b[2] - b[0] - 32.0).abs() < 1e-12);
        assert!((b[0] - 160.0).abs() < 1e-12 && (b[1] - 64.0).abs() < 1e-12);
        assert!(TileKey::new(3, 8, 0).is_none());
        assert!(TileKey::new(MAX_ZOOM + 1, 0, 0).is_none());
        let l = k.local([b[2], b[3]]);
        assert!((l[0] - EXTENT).abs() < 1e-9 && (l[1] - EXTENT).abs() < 1e-9);
    }

    #[test]
    fn world_positions_go_back_to_lon_lat() {
        for (lon, lat) in [(120.38, 36.07), (-70.0, -33.4), (0.0, 0.0), (179.0, 80.0)] {
            let (a, b) = lonlat_of(world_of(lon, lat));
            assert!(
                (a - lon).abs() < 1e-9 && (b - lat).abs() < 1e-9,
                "{lon} {lat} → {a} {b}"
            );
        }
    }
}
