//! A minimal ZIP writer (PKWARE APPNOTE 6.3, the subset every unzip reads): one local header
//! per entry, stored or deflate-compressed, CRC-32, a central directory and its end record.
//! No ZIP64: an archive or entry of 4 GiB or more, or 65,535 entries, is refused. Names are
//! UTF-8 (flag bit 11). Dates are the DOS epoch (1980-01-01): the core has no clock, and the
//! same package gives the same bytes.
//!
//! [`assemble`] writes entries already compressed ([`Packed`]): the browser build deflates
//! with the browser's own `CompressionStream` (`web::owndata`), so the wasm module carries no
//! deflate code; native builds deflate with `miniz_oxide` ([`write`](fn@write)).
//!
//! Written here rather than taken from the `zip` crate: the export needs only this much.
//!
//! Time and memory: O(total bytes); each entry is compressed once, in memory.

/// Why an archive cannot be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ZipError {
    /// An entry or the archive would need ZIP64 (≥ 4 GiB, or more than 65,534 entries).
    #[error("{what} is too large for a ZIP archive without ZIP64")]
    TooLarge {
        /// What overflowed.
        what: String,
    },
}

/// The CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320) of `bytes`.
pub fn crc32(bytes: &[u8]) -> u32 {
    let mut table = [0u32; 256];
    for (i, slot) in (0u32..).zip(table.iter_mut()) {
        let mut c = i;
        for _ in 0..8 {
            c = if c & 1 == 1 {
                0xEDB8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
        }
        *slot = c;
    }
    let mut crc = !0u32;
    for &b in bytes {
        crc = table[((crc ^ u32::from(b)) & 0xFF) as usize] ^ (crc >> 8);
    }
    !crc
}

fn u32_of(n: usize, what: &str) -> Result<u32, ZipError> {
    u32::try_from(n)
        .ok()
        .filter(|&v| v < u32::MAX)
        .ok_or_else(|| ZipError::TooLarge {
            what: what.to_owned(),
        })
}

fn u16_of(n: usize, what: &str) -> Result<u16, ZipError> {
    u16::try_from(n)
        .ok()
        .filter(|&v| v < u16::MAX)
        .ok_or_else(|| ZipError::TooLarge {
            what: what.to_owned(),
        })
}

/// How an entry's bytes are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// As they are (method 0).
    Stored,
    /// Raw deflate, RFC 1951 (method 8).
    Deflated,
}

/// One entry, compressed: what [`assemble`] writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Packed {
    /// The path inside the archive.
    pub name: String,
    /// The uncompressed length.
    pub size: usize,
    /// The CRC-32 of the uncompressed bytes ([`crc32`]).
    pub crc: u32,
    /// How `data` holds them.
    pub method: Method,
    /// The bytes as kept.
    pub data: Vec<u8>,
}

impl Packed {
    /// `raw` kept as it is.
    pub fn stored(name: String, raw: Vec<u8>) -> Self {
        Self {
            name,
            size: raw.len(),
            crc: crc32(&raw),
            method: Method::Stored,
            data: raw,
        }
    }

    /// `raw`, whose raw deflate stream is `deflated`.
    pub fn deflated(name: String, raw: &[u8], deflated: Vec<u8>) -> Self {
        Self {
            name,
            size: raw.len(),
            crc: crc32(raw),
            method: Method::Deflated,
            data: deflated,
        }
    }
}

/// Writes `entries` (path inside the archive, bytes) as a ZIP archive, deflated with
/// `miniz_oxide` (level 6).
///
/// # Errors
/// [`ZipError::TooLarge`] when the archive would need ZIP64.
#[cfg(not(target_arch = "wasm32"))]
pub fn write(entries: &[(String, Vec<u8>)]) -> Result<Vec<u8>, ZipError> {
    let packed: Vec<Packed> = entries
        .iter()
        .map(|(name, data)| {
            let d = miniz_oxide::deflate::compress_to_vec(data, 6);
            Packed::deflated(name.clone(), data, d)
        })
        .collect();
    assemble(&packed)
}

/// Writes compressed `entries` as a ZIP archive.
///
/// # Errors
/// [`ZipError::TooLarge`] when the archive would need ZIP64.
pub fn assemble(entries: &[Packed]) -> Result<Vec<u8>, ZipError> {
    const UTF8: u16 = 1 << 11;
    const DOS_DATE_1980_01_01: u16 = (1 << 5) | 1;
    let mut out = Vec::new();
    let mut central = Vec::new();
    for e in entries {
        let name = &e.name;
        let method: u16 = match e.method {
            Method::Stored => 0,
            Method::Deflated => 8,
        };
        let offset = u32_of(out.len(), "the archive")?;
        let (size, csize) = (u32_of(e.size, name)?, u32_of(e.data.len(), name)?);
        let name_len = u16_of(name.len(), name)?;
        // Fields shared by the local header and the central directory entry: version needed,
        // flags, method, time, date, CRC, sizes, name length.
        let mut common = Vec::with_capacity(26);
        for v in [20u16, UTF8, method, 0, DOS_DATE_1980_01_01] {
            common.extend_from_slice(&v.to_le_bytes());
        }
        for v in [e.crc, csize, size] {
            common.extend_from_slice(&v.to_le_bytes());
        }
        common.extend_from_slice(&name_len.to_le_bytes());
        out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        out.extend_from_slice(&common);
        out.extend_from_slice(&0u16.to_le_bytes()); // extra field length
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(&e.data);
        central.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        central.extend_from_slice(&20u16.to_le_bytes()); // version made by
        central.extend_from_slice(&common);
        // Extra, comment, disk number, internal and external attributes, local header offset.
        for v in [0u16, 0, 0, 0] {
            central.extend_from_slice(&v.to_le_bytes());
        }
        central.extend_from_slice(&0u32.to_le_bytes());
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name.as_bytes());
    }
    let count = u16_of(entries.len(), "the number of entries")?;
    let dir_at = u32_of(out.len(), "the archive")?;
    let dir_len = u32_of(central.len(), "the central directory")?;
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    for v in [0u16, 0, count, count] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out.extend_from_slice(&dir_len.to_le_bytes());
    out.extend_from_slice(&dir_at.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes()); // comment length
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_matches_the_check_value() {
        // The standard check value of CRC-32/ISO-HDLC over "123456789".
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(b""), 0);
    }

    #[test]
    fn entries_read_back_with_an_independent_inflate() {
        let entries = vec![
            ("p/manifest.json".to_owned(), b"{\"a\":1}".to_vec()),
            ("p/社区.geojson".to_owned(), "x".repeat(10_000).into_bytes()),
        ];
        let z = write(&entries).expect("zip");
        // Walk the local headers: signature, sizes, name, then the deflated data.
        let mut at = 0;
        for (name, data) in &entries {
            let rd16 = |i: usize| u16::from_le_bytes([z[i], z[i + 1]]) as usize;
            let rd32 = |i: usize| u32::from_le_bytes([z[i], z[i + 1], z[i + 2], z[i + 3]]);
            assert_eq!(rd32(at), 0x0403_4b50);
            let csize = rd32(at + 18) as usize;
            let n = rd16(at + 26);
            assert_eq!(&z[at + 30..at + 30 + n], name.as_bytes());
            let body = &z[at + 30 + n..at + 30 + n + csize];
            let back = miniz_oxide::inflate::decompress_to_vec(body).expect("inflate");
            assert_eq!(&back, data);
            assert_eq!(rd32(at + 14), crc32(data));
            at += 30 + n + csize;
        }
        assert_eq!(
            u32::from_le_bytes([z[at], z[at + 1], z[at + 2], z[at + 3]]),
            0x0201_4b50
        );
    }

    #[test]
    fn stored_and_deflated_entries_side_by_side() {
        let raw = "一店一早,".repeat(50).into_bytes();
        let deflated = miniz_oxide::deflate::compress_to_vec(&raw, 6);
        let z = assemble(&[
            Packed::stored("p/a.csv".to_owned(), raw.clone()),
            Packed::deflated("p/b.csv".to_owned(), &raw, deflated.clone()),
        ])
        .expect("zip");
        let rd16 = |i: usize| u16::from_le_bytes([z[i], z[i + 1]]);
        let rd32 = |i: usize| u32::from_le_bytes([z[i], z[i + 1], z[i + 2], z[i + 3]]);
        // First entry: method 0, the bytes as they are.
        assert_eq!((rd32(0), rd16(8)), (0x0403_4b50, 0));
        assert_eq!(rd32(14), crc32(&raw));
        assert_eq!(rd32(18) as usize, raw.len());
        assert_eq!(&z[30 + 7..30 + 7 + raw.len()], &raw[..]);
        // Second entry: method 8, same CRC and size, the deflated bytes.
        let at = 30 + 7 + raw.len();
        assert_eq!((rd32(at), rd16(at + 8)), (0x0403_4b50, 8));
        assert_eq!(rd32(at + 14), crc32(&raw));
        assert_eq!(rd32(at + 22) as usize, raw.len());
        let body = &z[at + 37..at + 37 + deflated.len()];
        assert_eq!(
            miniz_oxide::inflate::decompress_to_vec(body).expect("inflate"),
            raw
        );
    }
}
