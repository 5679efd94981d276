//! The decoders of [`super::text::decode`] for files that are not UTF-8: UTF-16 (with its
//! byte-order mark) and GB18030 (a superset of GBK and GB2312).
//!
//! Natively they are `encoding_rs`'s. In the browser (wasm32, where the engine runs in the
//! worker) they are the browser's own `TextDecoder`, which implements the same WHATWG Encoding
//! Standard that `encoding_rs` does: the worker then carries none of `encoding_rs`'s tables and
//! decoders (BENCHMARKS.md "Room in the bundle"). Either way, bytes that cannot be decoded become
//! U+FFFD and the flag says so; the caller reports them against their rows.

use std::borrow::Cow;

/// A non-UTF-8 encoding [`super::text::decode`] selected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Legacy {
    /// UTF-16 little-endian; a byte-order mark is removed.
    Utf16Le,
    /// UTF-16 big-endian; a byte-order mark is removed.
    Utf16Be,
    /// GB18030, no byte-order mark handling.
    Gb18030,
}

/// Decodes `bytes` as `enc`: the text, and true when some bytes could not be decoded.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn decode(bytes: &[u8], enc: Legacy) -> (Cow<'_, str>, bool) {
    match enc {
        Legacy::Utf16Le => encoding_rs::UTF_16LE.decode_with_bom_removal(bytes),
        Legacy::Utf16Be => encoding_rs::UTF_16BE.decode_with_bom_removal(bytes),
        Legacy::Gb18030 => encoding_rs::GB18030.decode_without_bom_handling(bytes),
    }
}

/// Decodes `bytes` as `enc`: the text, and true when some bytes could not be decoded.
///
/// A strict (`fatal`) decoder first: it fails on the first undecodable byte, and then a lenient
/// one replaces each with U+FFFD. A browser without the encoding (none of the current ones) gives
/// the bytes read as lossy UTF-8, flagged.
#[cfg(target_arch = "wasm32")]
pub(crate) fn decode(bytes: &[u8], enc: Legacy) -> (Cow<'_, str>, bool) {
    use web_sys::{TextDecoder, TextDecoderOptions};
    let label = match enc {
        Legacy::Utf16Le => "utf-16le",
        Legacy::Utf16Be => "utf-16be",
        Legacy::Gb18030 => "gb18030",
    };
    let strict = TextDecoderOptions::new();
    strict.set_fatal(true);
    if let Ok(d) = TextDecoder::new_with_label_and_options(label, &strict)
        && let Ok(s) = d.decode_with_u8_array(bytes)
    {
        return (Cow::Owned(s), false);
    }
    match TextDecoder::new_with_label(label).and_then(|d| d.decode_with_u8_array(bytes)) {
        Ok(s) => (Cow::Owned(s), true),
        Err(_) => (String::from_utf8_lossy(bytes), true),
    }
}
