//! Build script: the compact, tone-free pinyin table used by `plan::nearby::names` (pinyin
//! place-name search), made from the `pinyin` crate's data at compile time so that only the
//! table ships, not the crate's whole data set.
//!
//! Covered: the 6,763 hanzi of GB 2312 (its two levels: the characters of everyday place,
//! street and community names), found with `encoding_rs`'s GBK encoder (GB 2312's hanzi are
//! the GBK codes with a lead byte B0–F7 and a trail byte A1–FE). Other characters have no
//! reading and match only as themselves. Written to OUT_DIR:
//! - `pinyin_syllables.rs`: `SYLLABLES`, the distinct tone-free syllables (`ü` written `v`);
//! - `pinyin_table.bin`: two sections, the first reading of every covered character, then
//!   the further distinct readings of polyphonic ones. Each section is a list of (code
//!   point, reading id) sorted by code point, where a reading id is 1 + an index in
//!   `SYLLABLES`: a u32 LE count `n`; `n` code-point gaps from the previous entry (from
//!   U+4E00 for the first), one byte each, or 255 followed by a u16 LE; then the `n` ids'
//!   low bytes; then their high bytes.
//!
//! `pinyin_syllables.rs` also records the table's length and FNV-1a 64 checksum: the browser
//! build fetches the table (the same bytes, shipped as `static/pinyin.bin`) and checks it.
//!
//! The layout is chosen for gzip: small gaps and split byte planes compress several times
//! better than plain records (≈ 17 KB gzip for the whole table).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io;
use std::path::PathBuf;

use pinyin::ToPinyinMulti;

/// The first code point of the CJK Unified Ideographs block; gaps count from here.
const BASE: u32 = 0x4E00;
/// The last code point of the block.
const LAST: u32 = 0x9FFF;

/// Whether `c` is one of GB 2312's hanzi.
fn in_gb2312(c: char) -> bool {
    let mut buf = [0u8; 4];
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(c.encode_utf8(&mut buf));
    !unmappable
        && matches!(*bytes, [lead, trail] if (0xB0..=0xF7).contains(&lead) && (0xA1..=0xFE).contains(&trail))
}

/// Appends one section (see the module documentation).
fn section(entries: &[(u16, u16)], out: &mut Vec<u8>) -> io::Result<()> {
    out.extend(
        u32::try_from(entries.len())
            .map_err(io::Error::other)?
            .to_le_bytes(),
    );
    let mut previous = 0u16;
    for &(offset, _) in entries {
        let gap = offset - previous;
        match u8::try_from(gap) {
            Ok(g) if g < 255 => out.push(g),
            _ => {
                out.push(255);
                out.extend(gap.to_le_bytes());
            }
        }
        previous = offset;
    }
    out.extend(entries.iter().map(|e| e.1.to_le_bytes()[0]));
    out.extend(entries.iter().map(|e| e.1.to_le_bytes()[1]));
    Ok(())
}

fn main() -> io::Result<()> {
    println!("cargo::rerun-if-changed=build.rs");
    let out = PathBuf::from(
        std::env::var_os("OUT_DIR").ok_or_else(|| io::Error::other("OUT_DIR is not set"))?,
    );
    let mut syllables: Vec<String> = Vec::new();
    let mut ids: BTreeMap<String, u16> = BTreeMap::new();
    let mut first: Vec<(u16, u16)> = Vec::new();
    let mut further: Vec<(u16, u16)> = Vec::new();
    for code in BASE..=LAST {
        let Some(c) = char::from_u32(code).filter(|c| in_gb2312(*c)) else {
            continue;
        };
        let mut readings: Vec<u16> = Vec::new();
        for p in c.to_pinyin_multi().into_iter().flatten() {
            let s = p.plain().replace('ü', "v");
            let id = if let Some(id) = ids.get(&s) {
                *id
            } else {
                syllables.push(s.clone());
                let id = u16::try_from(syllables.len()).map_err(io::Error::other)?;
                ids.insert(s, id);
                id
            };
            if !readings.contains(&id) {
                readings.push(id);
            }
        }
        let offset = u16::try_from(code - BASE).map_err(io::Error::other)?;
        if let Some((head, tail)) = readings.split_first() {
            first.push((offset, *head));
            further.extend(tail.iter().map(|id| (offset, *id)));
        }
    }
    let mut table = Vec::new();
    section(&first, &mut table)?;
    section(&further, &mut table)?;
    let mut rs = String::from(
        "/// Distinct tone-free syllables (`ü` written `v`); reading id `n` is `SYLLABLES[n - 1]`.\n",
    );
    let _ = write!(rs, "static SYLLABLES: [&str; {}] = [", syllables.len());
    for s in &syllables {
        let _ = write!(rs, "{s:?},");
    }
    rs.push_str("];\n");
    let _ = writeln!(
        rs,
        "/// The code point table offsets count from.\nconst BASE: u32 = {BASE:#X};"
    );
    let sum = table.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    let _ = writeln!(
        rs,
        "/// The table's length in bytes.\n#[allow(clippy::unreadable_literal)]\nconst TABLE_LEN: usize = {};\n/// The table's FNV-1a 64 checksum.\n#[allow(clippy::unreadable_literal)]\nconst TABLE_FNV1A: u64 = {sum:#018x};",
        table.len()
    );
    let _ = writeln!(rs, "/// Covered characters: {}.", first.len());
    let _ = writeln!(rs, "#[cfg(test)]\nconst COVERED: usize = {};", first.len());
    std::fs::write(out.join("pinyin_syllables.rs"), rs)?;
    std::fs::write(out.join("pinyin_table.bin"), table)?;
    Ok(())
}
