//! Bytes to text, and text values made safe to store.
//!
//! [`decode`] turns a file's bytes into a `str`: a UTF-8 byte-order mark is stripped; valid UTF-8
//! is used as is; a UTF-16 byte-order mark selects UTF-16 (Excel's "Unicode text" export);
//! anything else is decoded as GB18030 (a superset of GBK and GB2312, what Chinese Excel writes)
//! by `import::decoder` (`encoding_rs`, or the browser's own decoder in the worker). Bytes that
//! GB18030 cannot decode become U+FFFD and are reported by the caller against the rows that
//! contain them. O(n).
//!
//! [`clean`] prepares one text value: trims it, removes control and bidirectional-override
//! characters (which can hide or reorder text on screen), truncates very long values, and flags
//! HTML markup — kept verbatim, because escaping is the renderer's job, but worth a warning.

use std::borrow::Cow;

use super::decoder::Legacy;

/// The encoding a file was decoded with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 without a byte-order mark.
    Utf8,
    /// UTF-8 with a byte-order mark (as Excel writes "CSV UTF-8").
    Utf8Bom,
    /// UTF-16 little- or big-endian with a byte-order mark.
    Utf16,
    /// GB18030 / GBK / GB2312.
    Gb18030,
}

impl Encoding {
    /// A display name.
    pub const fn label(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf8Bom => "UTF-8 (with BOM)",
            Encoding::Utf16 => "UTF-16",
            Encoding::Gb18030 => "GB18030/GBK",
        }
    }
}

/// A decoded file.
#[derive(Debug)]
pub struct Decoded<'a> {
    /// The text.
    pub text: Cow<'a, str>,
    /// The encoding used.
    pub encoding: Encoding,
    /// True when some bytes could not be decoded (they are U+FFFD in `text`).
    pub had_errors: bool,
}

/// Decodes a file's bytes; see the module documentation for the rules.
pub fn decode(bytes: &[u8]) -> Decoded<'_> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return match std::str::from_utf8(rest) {
            Ok(s) => Decoded {
                text: Cow::Borrowed(s),
                encoding: Encoding::Utf8Bom,
                had_errors: false,
            },
            Err(_) => Decoded {
                text: String::from_utf8_lossy(rest),
                encoding: Encoding::Utf8Bom,
                had_errors: true,
            },
        };
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Decoded {
            text: Cow::Borrowed(s),
            encoding: Encoding::Utf8,
            had_errors: false,
        };
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        let enc = if bytes[0] == 0xFF {
            Legacy::Utf16Le
        } else {
            Legacy::Utf16Be
        };
        let (text, had_errors) = super::decoder::decode(bytes, enc);
        return Decoded {
            text,
            encoding: Encoding::Utf16,
            had_errors,
        };
    }
    let (text, had_errors) = super::decoder::decode(bytes, Legacy::Gb18030);
    Decoded {
        text,
        encoding: Encoding::Gb18030,
        had_errors,
    }
}

/// What [`clean`] changed or noticed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Cleaned {
    /// Control / invisible characters removed.
    pub removed: usize,
    /// Original length in characters when truncated.
    pub truncated_from: Option<usize>,
    /// True when the text contains HTML-like markup.
    pub markup: bool,
}

/// True for characters that must not reach a label: C0/C1 controls (tabs and line breaks become
/// spaces instead), bidirectional overrides and isolates, and zero-width joiners at the edges.
fn is_hostile(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{FEFF}')
}

/// Trims `s`, removes hostile characters, turns tabs/line breaks into spaces and truncates to
/// `max_chars` characters. Returns the cleaned text and what was done.
pub fn clean(s: &str, max_chars: usize) -> (String, Cleaned) {
    let t = s.trim();
    // Fast path: nothing to remove or flag, and short enough (bytes bound chars from above).
    if t.len() <= max_chars
        && !t.contains('<')
        && !t
            .chars()
            .any(|c| is_hostile(c) || matches!(c, '\t' | '\n' | '\r'))
    {
        return (t.to_owned(), Cleaned::default());
    }
    let mut info = Cleaned::default();
    let mut out = String::with_capacity(s.len().min(max_chars.saturating_mul(4)));
    let mut chars = 0usize;
    let mut total = 0usize;
    for c in s.trim().chars() {
        if is_hostile(c) {
            info.removed += 1;
            continue;
        }
        total += 1;
        if chars < max_chars {
            out.push(if matches!(c, '\t' | '\n' | '\r') {
                ' '
            } else {
                c
            });
            chars += 1;
        }
    }
    if total > max_chars {
        info.truncated_from = Some(total);
    }
    let trimmed = out.trim();
    let out = if trimmed.len() == out.len() {
        out
    } else {
        trimmed.to_owned()
    };
    info.markup = looks_like_markup(&out);
    (out, info)
}

/// `<` followed by a letter, `/` or `!` — the start of an HTML tag or comment.
fn looks_like_markup(s: &str) -> bool {
    let b = s.as_bytes();
    b.windows(2)
        .any(|w| w[0] == b'<' && (w[1].is_ascii_alphabetic() || w[1] == b'/' || w[1] == b'!'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_bom() {
        let d = decode("名称,经度".as_bytes());
        assert_eq!((d.text.as_ref(), d.encoding), ("名称,经度", Encoding::Utf8));
        let d = decode(b"\xEF\xBB\xBFname");
        assert_eq!((d.text.as_ref(), d.encoding), ("name", Encoding::Utf8Bom));
    }

    #[test]
    fn gbk_is_decoded() {
        let (bytes, _, _) = encoding_rs::GBK.encode("名称,经度,纬度");
        let d = decode(&bytes);
        assert_eq!(d.encoding, Encoding::Gb18030);
        assert_eq!(d.text, "名称,经度,纬度");
        assert!(!d.had_errors);
    }

    #[test]
    fn utf16_with_bom() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "名,x".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        let d = decode(&bytes);
        assert_eq!((d.text.as_ref(), d.encoding), ("名,x", Encoding::Utf16));
    }

    #[test]
    fn clean_removes_controls_truncates_and_flags_markup() {
        let (s, i) = clean("  a\u{0}b\u{202E}c\td ", 100);
        assert_eq!(s, "abc d");
        assert_eq!(i.removed, 2);
        let (s, i) = clean(&"长".repeat(10), 4);
        assert_eq!(s, "长长长长");
        assert_eq!(i.truncated_from, Some(10));
        assert!(clean("<script>alert(1)</script>", 100).1.markup);
        assert!(!clean("a < b", 100).1.markup);
    }
}
