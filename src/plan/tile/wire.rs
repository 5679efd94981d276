//! A cut tile as bytes: the arrays of [`LineTile`] or [`PointTile`] one after the other,
//! little-endian, behind a small header, so a tile crosses from the worker as one
//! `Uint8Array` (transferred, not copied) and the page reads it without a JSON parser.
//!
//! Line tile: `b"SQL1"`, classes shown (u8), 3 zero bytes, lines left out (u32), pieces n
//! (u32), coordinate pairs m (u32), then class `[u8; n]`, zero bytes to a multiple of 4,
//! ids `[u32; n]`, starts `[u32; n + 1]`, xy `[i16; 2m]`.
//! Point tile: `b"SQP1"`, entries n (u32), then xy `[i16; 2n]`, count `[u32; n]`,
//! sym `[u16; n]`, first `[u32; n]`, own `[u8; n]`. A point tile with counts per class
//! ([`PointTile::hist`]): `b"SQP2"`, then the same, then classes k (u8) and hist
//! `[u32; c·k]` for its c clusters.

use thiserror::Error;

use super::lines::LineTile;
use super::points::PointTile;

/// Why bytes are not a tile.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum WireError {
    /// The header is not one of this version's.
    #[error("not a tile of this version")]
    Header,
    /// The bytes end before the arrays the header announces.
    #[error("tile bytes end early")]
    Short,
    /// A piece's offsets are outside its coordinates.
    #[error("tile offsets out of range")]
    Offsets,
}

/// The bytes of a line tile.
#[must_use]
pub fn lines_to_bytes(t: &LineTile) -> Vec<u8> {
    let n = t.class.len();
    let mut b = Vec::with_capacity(16 + n * 9 + 4 + t.xy.len() * 2 + 4);
    b.extend_from_slice(b"SQL1");
    b.extend_from_slice(&[t.classes_shown, 0, 0, 0]);
    b.extend_from_slice(&t.left_out.to_le_bytes());
    b.extend_from_slice(&len32(n).to_le_bytes());
    b.extend_from_slice(&len32(t.xy.len() / 2).to_le_bytes());
    b.extend_from_slice(&t.class);
    b.resize(b.len().next_multiple_of(4), 0);
    for v in &t.ids {
        b.extend_from_slice(&v.to_le_bytes());
    }
    for v in &t.starts {
        b.extend_from_slice(&v.to_le_bytes());
    }
    for v in &t.xy {
        b.extend_from_slice(&v.to_le_bytes());
    }
    b
}

/// The bytes of a point tile.
#[must_use]
pub fn points_to_bytes(t: &PointTile) -> Vec<u8> {
    let n = t.count.len();
    let mut b = Vec::with_capacity(9 + n * 15 + t.hist.len() * 4);
    b.extend_from_slice(if t.classes > 0 { b"SQP2" } else { b"SQP1" });
    b.extend_from_slice(&len32(n).to_le_bytes());
    for v in &t.xy {
        b.extend_from_slice(&v.to_le_bytes());
    }
    for v in &t.count {
        b.extend_from_slice(&v.to_le_bytes());
    }
    for v in &t.sym {
        b.extend_from_slice(&v.to_le_bytes());
    }
    for v in &t.first {
        b.extend_from_slice(&v.to_le_bytes());
    }
    b.extend(t.own.iter().map(|&o| u8::from(o)));
    if t.classes > 0 {
        b.push(t.classes);
        for v in &t.hist {
            b.extend_from_slice(&v.to_le_bytes());
        }
    }
    b
}

/// Reads a line tile.
///
/// # Errors
/// [`WireError`] when the bytes are not a whole line tile.
pub fn lines_from_bytes(b: &[u8]) -> Result<LineTile, WireError> {
    let mut r = Reader { b, at: 0 };
    if r.take(4)? != b"SQL1" {
        return Err(WireError::Header);
    }
    let classes_shown = r.take(4)?[0];
    let left_out = r.u32()?;
    let n = r.u32()? as usize;
    let m = r.u32()? as usize;
    let class = r.take(n)?.to_vec();
    r.take(n.next_multiple_of(4) - n)?;
    let ids = r.many(n, |c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]), 4)?;
    let starts = r.many(n + 1, |c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]), 4)?;
    let xy = r.many(2 * m, |c| i16::from_le_bytes([c[0], c[1]]), 2)?;
    if starts.windows(2).any(|w| w[0] > w[1]) || starts.last().is_some_and(|&s| s as usize > m) {
        return Err(WireError::Offsets);
    }
    Ok(LineTile {
        class,
        ids,
        starts,
        xy,
        classes_shown,
        left_out,
    })
}

/// Reads a point tile.
///
/// # Errors
/// [`WireError`] when the bytes are not a whole point tile.
pub fn points_from_bytes(b: &[u8]) -> Result<PointTile, WireError> {
    let mut r = Reader { b, at: 0 };
    let classed = match r.take(4)? {
        b"SQP1" => false,
        b"SQP2" => true,
        _ => return Err(WireError::Header),
    };
    let n = r.u32()? as usize;
    let mut tile = PointTile {
        xy: r.many(2 * n, |c| i16::from_le_bytes([c[0], c[1]]), 2)?,
        count: r.many(n, |c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]), 4)?,
        sym: r.many(n, |c| u16::from_le_bytes([c[0], c[1]]), 2)?,
        first: r.many(n, |c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]), 4)?,
        own: r.take(n)?.iter().map(|&o| o != 0).collect(),
        ..PointTile::default()
    };
    if classed {
        tile.classes = r.take(1)?[0];
        let clusters = tile.count.iter().filter(|&&c| c > 1).count();
        let counts = clusters
            .checked_mul(usize::from(tile.classes))
            .ok_or(WireError::Short)?;
        tile.hist = r.many(counts, |c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]), 4)?;
    }
    Ok(tile)
}

fn len32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

struct Reader<'a> {
    b: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], WireError> {
        let end = self.at.checked_add(n).ok_or(WireError::Short)?;
        let s = self.b.get(self.at..end).ok_or(WireError::Short)?;
        self.at = end;
        Ok(s)
    }

    fn u32(&mut self) -> Result<u32, WireError> {
        let c = self.take(4)?;
        Ok(u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
    }

    fn many<T>(
        &mut self,
        n: usize,
        f: impl Fn(&[u8]) -> T,
        size: usize,
    ) -> Result<Vec<T>, WireError> {
        let bytes = self.take(n.checked_mul(size).ok_or(WireError::Short)?)?;
        Ok(bytes.chunks_exact(size).map(f).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiles_round_trip_and_cut_bytes_are_refused() {
        let l = LineTile {
            class: vec![5, 3, 0],
            ids: vec![7, 8, 70_000],
            starts: vec![0, 2, 5, 7],
            xy: vec![-128, 0, 4000, 4224, 1, 2, 3, 4, 5, 6, -7, -8, 9, 10],
            classes_shown: 6,
            left_out: 12,
        };
        let b = lines_to_bytes(&l);
        assert_eq!(lines_from_bytes(&b), Ok(l));
        assert_eq!(lines_from_bytes(&b[..b.len() - 1]), Err(WireError::Short));
        assert_eq!(points_from_bytes(&b), Err(WireError::Header));
        let p = PointTile {
            xy: vec![1, -2, 300, 4000],
            count: vec![1, 12_345],
            sym: vec![3, 9],
            first: vec![0, 99],
            own: vec![true, false],
            ..PointTile::default()
        };
        let b = points_to_bytes(&p);
        assert_eq!(points_from_bytes(&b), Ok(p.clone()));
        assert_eq!(points_from_bytes(&b[..7]), Err(WireError::Short));
        // With counts per class: one cluster, three classes.
        let c = PointTile {
            classes: 3,
            hist: vec![12_000, 345, 0],
            ..p
        };
        let b2 = points_to_bytes(&c);
        assert_eq!(b2.len(), b.len() + 1 + 12);
        assert_eq!(points_from_bytes(&b2), Ok(c));
        assert_eq!(
            points_from_bytes(&b2[..b2.len() - 1]),
            Err(WireError::Short)
        );
    }
}
