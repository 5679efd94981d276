//! Place-name search for choosing a home, insensitive to pinyin: a query finds a name when it
//! spells consecutive characters of the name, each character given either as itself or by a
//! pinyin reading typed in full or cut short (at least its first letter). So 太平角社区 is
//! found by `太平`, `taiping`, `tpj`, `TaiPingJiao`, `tàipíng`, `taipj` or `太平j`.
//!
//! Rules: letters are case-insensitive (full-width letters and digits count as ASCII); tones
//! are ignored (tone marks are folded, `ü` may be typed `v` or `u`); spaces, apostrophes,
//! hyphens and middle dots in the query are ignored, and spaces or punctuation in a name are
//! skipped inside a match; every reading of a polyphonic character counts (重庆 matches
//! `chongqing` and `zhongqing`).
//!
//! Readings: a compact table of the 6,763 hanzi of GB 2312 (the characters of everyday
//! place and community names; in this repository's data, 1,041 of the 1,046 distinct
//! characters), made by `build.rs` from the `pinyin` crate's data at compile time (≈ 17 KB
//! gzip, where linking the crate, every block with tones, cost ≈ 150 KB and the whole
//! U+4E00–U+9FFF block ≈ 37 KB). A character outside GB 2312 (a rare or traditional form such
//! as 嶺) has no reading here and matches only as itself. Native builds (the CLI, the tests)
//! compile the table in; the browser build does not: the worker fetches the same bytes
//! (`static/pinyin.bin`, served beside the app) when the first search needs them and hands
//! them to [`install_table`], which checks them against the length and checksum `build.rs`
//! recorded. Until then (or when the fetch failed) no character has a reading, so a name
//! matches by its characters only.
//!
//! Ranking: names matched from their first character come before names matched further in,
//! then shorter names, then the order the names were given.
//!
//! Complexity: [`NameIndex::new`] is O(characters × readings); [`NameIndex::search`] is one
//! left-to-right pass per name over a bit set of query positions, O(n × r × l) for a name of
//! n characters with at most r readings of at most l letters (queries are cut to 64
//! characters).
//!
//! ```
//! use shuangquan::plan::nearby::NameIndex;
//! let idx = NameIndex::new(["东太平社区", "太平角社区", "八大关街道"]);
//! assert_eq!(idx.search("tpj", 10), [1]);
//! assert_eq!(idx.search("taiping", 10), [1, 0]); // from the start first
//! assert!(idx.search("xyz", 10).is_empty());
//! ```

use std::borrow::Cow;
use std::sync::OnceLock;

include!(concat!(env!("OUT_DIR"), "/pinyin_syllables.rs"));

/// The table (see `build.rs`), compiled in where no one fetches it.
#[cfg(not(target_arch = "wasm32"))]
static COMPILED: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/pinyin_table.bin"));

/// The decoded table: (offset from `BASE`, reading id) sorted by offset, for first readings
/// and for further readings.
struct Decoded {
    first: Vec<(u16, u16)>,
    further: Vec<(u16, u16)>,
}

/// Why bytes given to [`install_table`] are not the table this build was made with.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TableError {
    /// Another file (an HTML error page, a table of another build): its length or checksum
    /// differs from the table `build.rs` made.
    #[error("not this build's pinyin table ({len} bytes, checksum {sum:016x})")]
    Mismatch {
        /// Its length in bytes.
        len: usize,
        /// Its FNV-1a 64 checksum.
        sum: u64,
    },
}

/// FNV-1a 64 of `bytes` (`build.rs` records the table's).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Decodes one section of `table` starting at `at`; returns it and where the next one starts.
fn section(table: &[u8], at: usize) -> (Vec<(u16, u16)>, usize) {
    let byte = |i: usize| table.get(i).copied().unwrap_or(0);
    let n = u32::from_le_bytes([byte(at), byte(at + 1), byte(at + 2), byte(at + 3)]) as usize;
    let mut at = at + 4;
    let mut offset = 0u16;
    let mut offsets = Vec::with_capacity(n.min(table.len()));
    for _ in 0..n {
        let gap = if byte(at) == 255 {
            at += 3;
            u16::from_le_bytes([byte(at - 2), byte(at - 1)])
        } else {
            at += 1;
            u16::from(byte(at - 1))
        };
        offset = offset.wrapping_add(gap);
        offsets.push(offset);
    }
    let entries = offsets
        .into_iter()
        .enumerate()
        .map(|(k, o)| (o, u16::from_le_bytes([byte(at + k), byte(at + n + k)])))
        .collect();
    (entries, at + 2 * n)
}

/// Decodes the whole table (its bytes are this build's: checked or compiled in).
fn decode(table: &[u8]) -> Decoded {
    let (first, next) = section(table, 0);
    let (further, _) = section(table, next);
    Decoded { first, further }
}

/// The decoded table (≈ 35 KB in memory).
static DECODED: OnceLock<Decoded> = OnceLock::new();

/// The table, decoded on first use; none in the browser until [`install_table`].
#[cfg_attr(not(target_arch = "wasm32"), allow(clippy::unnecessary_wraps))]
fn table() -> Option<&'static Decoded> {
    #[cfg(not(target_arch = "wasm32"))]
    return Some(DECODED.get_or_init(|| decode(COMPILED)));
    #[cfg(target_arch = "wasm32")]
    DECODED.get()
}

/// Gives the search its readings from `bytes`, the table `build.rs` made (served as
/// `pinyin.bin`). Names indexed before this have no readings: index them again. Installing
/// the table again changes nothing.
///
/// # Errors
/// [`TableError::Mismatch`] when `bytes` are not that table (checked by length and checksum).
pub fn install_table(bytes: &[u8]) -> Result<(), TableError> {
    let sum = fnv1a(bytes);
    if bytes.len() != TABLE_LEN || sum != TABLE_FNV1A {
        return Err(TableError::Mismatch {
            len: bytes.len(),
            sum,
        });
    }
    DECODED.get_or_init(|| decode(bytes));
    Ok(())
}

/// Whether characters have their readings (always in native builds; in the browser once
/// [`install_table`] succeeded).
pub fn has_table() -> bool {
    table().is_some()
}

/// The tone-free readings of `c` (`ü` written `v`), most common first; none for a character
/// the table does not cover (outside GB 2312's hanzi), and none for any character while the
/// table is not installed (see [`install_table`]).
///
/// ```
/// use shuangquan::plan::nearby::names::readings;
/// assert_eq!(readings('绿')[0], "lv");
/// assert!(readings('重').contains(&"chong"));
/// assert!(readings('A').is_empty());
/// ```
pub fn readings(c: char) -> Vec<&'static str> {
    let Some(offset) = u32::from(c)
        .checked_sub(BASE)
        .and_then(|o| u16::try_from(o).ok())
    else {
        return Vec::new();
    };
    let syllable = |id: u16| SYLLABLES.get(usize::from(id).wrapping_sub(1)).copied();
    let Some(t) = table() else {
        return Vec::new();
    };
    let Some(first) = t
        .first
        .binary_search_by_key(&offset, |e| e.0)
        .ok()
        .and_then(|k| syllable(t.first[k].1))
    else {
        return Vec::new();
    };
    let from = t.further.partition_point(|e| e.0 < offset);
    let mut out = vec![first];
    out.extend(
        t.further[from..]
            .iter()
            .take_while(|e| e.0 == offset)
            .filter_map(|e| syllable(e.1)),
    );
    out
}

/// The longest query considered (the match state is one bit per query position).
const MAX_QUERY: usize = 63;

/// One character of a name.
#[derive(Debug, Clone)]
struct Unit {
    /// The character, folded (lower case, ASCII for full-width forms).
    lit: char,
    /// Tone-free readings, lower case, `ü` written `v` (and again with `u`).
    readings: Vec<Cow<'static, str>>,
    /// Whitespace or punctuation: skipped inside a match, never starts one.
    skip: bool,
}

/// Searchable names (see the module documentation).
#[derive(Debug, Clone, Default)]
pub struct NameIndex {
    names: Vec<Vec<Unit>>,
}

/// Lower case, full-width ASCII forms to ASCII, tone marks dropped, `ü` → `v`.
fn fold(c: char) -> char {
    let c = match u32::from(c) {
        // Full-width ASCII forms (！ … ～) to ASCII.
        x @ 0xFF01..=0xFF5E => char::from_u32(x - 0xFEE0).unwrap_or(c),
        _ => c,
    };
    let c = c.to_lowercase().next().unwrap_or(c);
    match c {
        'ā' | 'á' | 'ǎ' | 'à' => 'a',
        'ē' | 'é' | 'ě' | 'è' | 'ê' | 'ế' | 'ề' => 'e',
        'ī' | 'í' | 'ǐ' | 'ì' => 'i',
        'ō' | 'ó' | 'ǒ' | 'ò' => 'o',
        'ū' | 'ú' | 'ǔ' | 'ù' => 'u',
        'ü' | 'ǖ' | 'ǘ' | 'ǚ' | 'ǜ' => 'v',
        'ń' | 'ň' | 'ǹ' => 'n',
        'ḿ' => 'm',
        c => c,
    }
}

/// Whitespace and punctuation (ASCII, general, CJK and full-width), skipped inside a match.
fn is_separator(c: char) -> bool {
    c.is_whitespace()
        || c.is_ascii_punctuation()
        || matches!(u32::from(c),
            0x2000..=0x206F | 0x3000..=0x303F | 0xFF01..=0xFF0F | 0xFF1A..=0xFF20
            | 0xFF3B..=0xFF40 | 0xFF5B..=0xFF65)
}

fn unit(c: char) -> Unit {
    let mut all: Vec<Cow<'static, str>> = Vec::new();
    for r in readings(c) {
        all.push(Cow::Borrowed(r));
        if r.contains('v') {
            all.push(Cow::Owned(r.replace('v', "u")));
        }
    }
    Unit {
        lit: fold(c),
        skip: all.is_empty() && is_separator(c),
        readings: all,
    }
}

/// The query as folded characters, without separators, at most [`MAX_QUERY`] long.
fn normalise(query: &str) -> Vec<char> {
    query
        .chars()
        .filter(|c| !(c.is_whitespace() || matches!(c, '\'' | '’' | '-' | '·' | '・')))
        .map(fold)
        .take(MAX_QUERY)
        .collect()
}

/// The query positions reachable after `u`, from the positions in `at` (bit j = j characters
/// of `q` consumed).
fn step(u: &Unit, q: &[char], at: u64) -> u64 {
    let mut next = 0u64;
    let mut bits = at;
    while bits != 0 {
        let j = bits.trailing_zeros() as usize;
        bits &= bits - 1;
        if j >= q.len() {
            continue;
        }
        if u.skip {
            next |= 1 << j;
        }
        if q[j] == u.lit {
            next |= 1 << (j + 1);
        }
        for r in &u.readings {
            // Every non-empty prefix of the reading that the query spells from j.
            for (k, rc) in r.chars().enumerate() {
                if q.get(j + k) != Some(&rc) {
                    break;
                }
                next |= 1 << (j + k + 1);
            }
        }
    }
    next
}

/// Where the query matches `name`: `Some(true)` from its first character, `Some(false)`
/// only further in, `None` nowhere.
fn match_at(name: &[Unit], q: &[char]) -> Option<bool> {
    let done = 1u64 << q.len();
    // Query positions reached by matches that began at the first character, and by any match.
    let (mut first, mut any) = (1u64, 0u64);
    let mut found = None;
    for u in name {
        if !u.skip {
            // A match may begin at this character.
            any |= 1;
        }
        first = step(u, q, first);
        any = step(u, q, any);
        if first & done != 0 {
            return Some(true);
        }
        if any & done != 0 {
            found = Some(false);
        }
        if found.is_some() && first == 0 {
            break;
        }
    }
    found
}

impl NameIndex {
    /// Indexes `names` (positions in this order are what [`NameIndex::search`] returns).
    pub fn new<S: AsRef<str>>(names: impl IntoIterator<Item = S>) -> Self {
        Self {
            names: names
                .into_iter()
                .map(|n| n.as_ref().chars().map(unit).collect())
                .collect(),
        }
    }

    /// Number of names.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// True when there is no name.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// Positions of the names `query` finds, best first, at most `limit`. A query that is
    /// empty once separators are removed finds every name, in order.
    pub fn search(&self, query: &str, limit: usize) -> Vec<usize> {
        let q = normalise(query);
        if q.is_empty() {
            return (0..self.names.len()).take(limit).collect();
        }
        let mut found: Vec<(bool, usize, usize)> = self
            .names
            .iter()
            .enumerate()
            .filter_map(|(i, n)| match_at(n, &q).map(|start| (!start, n.len(), i)))
            .collect();
        found.sort_unstable();
        found.into_iter().take(limit).map(|(_, _, i)| i).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NAMES: [&str; 8] = [
        "太平角社区（八大关街道）",
        "东太平社区居委会（阜新路街道）",
        "太平路社区（中山路街道）",
        "八大关街道",
        "重庆南路社区",
        "绿岛社区",
        "示意片区 001",
        "Acme 社区",
    ];

    fn found(q: &str) -> Vec<&'static str> {
        NameIndex::new(NAMES)
            .search(q, 100)
            .into_iter()
            .map(|i| NAMES[i])
            .collect()
    }

    #[test]
    fn full_pinyin_finds_names_from_the_start_first() {
        assert_eq!(
            found("taiping"),
            [
                "太平角社区（八大关街道）",
                "太平路社区（中山路街道）",
                "东太平社区居委会（阜新路街道）"
            ]
        );
        assert_eq!(found("taipingjiao"), ["太平角社区（八大关街道）"]);
        assert_eq!(
            found("badaguan"),
            ["八大关街道", "太平角社区（八大关街道）"]
        );
    }

    #[test]
    fn initials_and_partial_syllables() {
        assert_eq!(found("tpj"), ["太平角社区（八大关街道）"]);
        assert_eq!(found("taipj"), ["太平角社区（八大关街道）"]);
        assert_eq!(found("tpjiao"), ["太平角社区（八大关街道）"]);
        assert_eq!(found("dtp"), ["东太平社区居委会（阜新路街道）"]);
        // zh / ch / sh initials may be typed as one letter.
        assert_eq!(found("zqnl"), ["重庆南路社区"]);
    }

    #[test]
    fn mixed_case_tones_and_separators_are_ignored() {
        let want = ["太平角社区（八大关街道）"];
        assert_eq!(found("TaiPingJiao"), want);
        assert_eq!(found("TPJ"), want);
        assert_eq!(found("tài píng jiǎo"), want);
        assert_eq!(found("tai'ping-jiao"), want);
        assert_eq!(found("ｔｐｊ"), want);
        // ü as v or u.
        assert_eq!(found("lvdao"), ["绿岛社区"]);
        assert_eq!(found("ludao"), ["绿岛社区"]);
        assert_eq!(found("lǜdǎo"), ["绿岛社区"]);
    }

    #[test]
    fn every_reading_of_a_polyphonic_character_counts() {
        assert_eq!(found("chongqing"), ["重庆南路社区"]);
        assert_eq!(found("zhongqing"), ["重庆南路社区"]);
    }

    #[test]
    fn chinese_substrings_and_mixed_queries() {
        assert_eq!(
            found("太平"),
            [
                "太平角社区（八大关街道）",
                "太平路社区（中山路街道）",
                "东太平社区居委会（阜新路街道）"
            ]
        );
        assert_eq!(found("阜新路"), ["东太平社区居委会（阜新路街道）"]);
        // Punctuation typed is matched too, full-width or not.
        assert_eq!(found("社区（八大关"), ["太平角社区（八大关街道）"]);
        assert_eq!(found("角社区(八"), ["太平角社区（八大关街道）"]);
        assert_eq!(found("太平j"), ["太平角社区（八大关街道）"]);
        assert_eq!(found("tai平角"), ["太平角社区（八大关街道）"]);
        // Spaces in names are skipped; digits and Latin letters match themselves.
        assert_eq!(found("示意片区001"), ["示意片区 001"]);
        assert_eq!(found("sypq 001"), ["示意片区 001"]);
        assert_eq!(found("acme"), ["Acme 社区"]);
        assert_eq!(found("acmesq"), ["Acme 社区"]);
    }

    #[test]
    fn no_match() {
        assert!(found("xyz").is_empty());
        assert!(found("taipingq").is_empty());
        // Characters must be consecutive: 太…角 is not 太角.
        assert!(found("太角").is_empty());
        assert!(found("tj").is_empty());
        // A syllable cannot borrow letters from its neighbour's reading.
        assert!(found("taiipng").is_empty());
    }

    #[test]
    fn empty_query_lists_every_name_and_limit_applies() {
        let idx = NameIndex::new(NAMES);
        assert_eq!(idx.search("  ", 3), [0, 1, 2]);
        assert_eq!(idx.search("", 100).len(), NAMES.len());
        assert_eq!(idx.search("taiping", 1), [0]);
        assert_eq!(idx.len(), NAMES.len());
        assert!(
            NameIndex::new(Vec::<String>::new())
                .search("a", 5)
                .is_empty()
        );
    }

    #[test]
    fn the_compact_table_has_every_tone_free_reading_of_the_crate() {
        use pinyin::ToPinyinMulti;
        let (mut covered, mut polyphonic) = (0, 0);
        for code in 0x4E00..=0x9FFF {
            let c = char::from_u32(code).unwrap();
            let got = readings(c);
            if got.is_empty() {
                continue;
            }
            let mut want: Vec<String> = Vec::new();
            for p in c.to_pinyin_multi().into_iter().flatten() {
                let r = p.plain().replace('ü', "v");
                if !want.contains(&r) {
                    want.push(r);
                }
            }
            assert_eq!(got, want, "{c} U+{code:04X}");
            covered += 1;
            polyphonic += usize::from(got.len() > 1);
        }
        assert_eq!(covered, COVERED);
        assert_eq!(covered, 6763, "GB 2312 has 6,763 hanzi");
        assert!(polyphonic > 500, "{polyphonic}");
        assert_eq!(readings('太')[0], "tai");
        assert_eq!(readings('重')[..2], ["zhong", "chong"]);
        // First and last GB 2312 hanzi by code point, and characters outside it.
        assert_eq!(readings('一'), ["yi"]);
        assert_eq!(readings('齄'), ["zha"]);
        assert!(readings('a').is_empty() && readings('𠀀').is_empty() && readings('嶺').is_empty());
    }

    #[test]
    fn the_served_table_is_the_one_build_rs_makes() {
        // static/pinyin.bin is what the browser build fetches (trunk copies it into dist/).
        let served = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/static/pinyin.bin"))
            .unwrap_or_default();
        assert!(
            served == COMPILED,
            "static/pinyin.bin differs from build.rs's table: cp {}/pinyin_table.bin static/pinyin.bin",
            env!("OUT_DIR")
        );
        assert_eq!((served.len(), fnv1a(&served)), (TABLE_LEN, TABLE_FNV1A));
        assert_eq!(install_table(&served), Ok(()));
        assert!(has_table());
    }

    #[test]
    fn install_refuses_other_bytes() {
        let html = b"<!doctype html><title>404</title>".to_vec();
        assert!(matches!(
            install_table(&html),
            Err(TableError::Mismatch { len: 33, .. })
        ));
        // The same length with one byte changed.
        let mut bent = COMPILED.to_vec();
        bent[TABLE_LEN / 2] ^= 1;
        assert!(install_table(&bent).is_err());
        assert!(install_table(&COMPILED[..TABLE_LEN - 1]).is_err());
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c, "FNV-1a 64 check value");
    }

    #[test]
    fn long_queries_do_not_overflow() {
        let long = "tai".repeat(40);
        assert!(found(&long).is_empty());
        let idx = NameIndex::new(["太".repeat(100)]);
        assert_eq!(idx.search(&"t".repeat(100), 5), [0]);
    }
}
