//! Decoding: bytes in a known character set → a Rust `String`.
//!
//! [`Charset`] names every encoding fixtext can read. Most are the WHATWG
//! encodings implemented by `encoding_rs`; the rest (UTF-32) are decoded
//! here. Decoding never fails: malformed sequences become U+FFFD and are
//! counted, so the caller can tell a clean decode from a lossy one.
//!
//! Invariant: GBK is always decoded with the GB18030 decoder (a strict
//! superset), so that a file labelled or guessed as GBK that uses a GB18030
//! four-byte sequence still decodes without loss.

use encoding_rs::Encoding;
use std::borrow::Cow;

/// A character encoding fixtext can decode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Charset {
    /// An encoding of the WHATWG Encoding Standard, via `encoding_rs`.
    Whatwg(&'static Encoding),
    /// UTF-32, little endian.
    Utf32Le,
    /// UTF-32, big endian.
    Utf32Be,
}

impl Charset {
    /// UTF-8.
    pub const UTF8: Charset = Charset::Whatwg(encoding_rs::UTF_8);

    /// Look a charset up by label: any WHATWG label (`gbk`, `big5`,
    /// `shift_jis`, `utf-16le`, `latin1` …) plus `utf-32le`/`utf-32be`.
    pub fn from_label(label: &str) -> Option<Charset> {
        let l = label.trim().to_ascii_lowercase();
        match l.as_str() {
            "utf-32le" | "utf32le" | "utf-32" | "utf32" => Some(Charset::Utf32Le),
            "utf-32be" | "utf32be" => Some(Charset::Utf32Be),
            _ => Encoding::for_label_no_replacement(l.as_bytes()).map(Charset::Whatwg),
        }
    }

    /// Lower-case canonical name (`utf-8`, `gbk`, `big5`, `shift_jis`,
    /// `utf-16le`, `utf-32be`, `windows-1252` …).
    pub fn name(&self) -> String {
        match self {
            Charset::Whatwg(e) => e.name().to_ascii_lowercase(),
            Charset::Utf32Le => "utf-32le".to_owned(),
            Charset::Utf32Be => "utf-32be".to_owned(),
        }
    }

    /// Whether this is one of the multi-byte CJK encodings.
    pub fn is_cjk(&self) -> bool {
        matches!(self, Charset::Whatwg(e) if [
            encoding_rs::GBK, encoding_rs::GB18030, encoding_rs::BIG5,
            encoding_rs::SHIFT_JIS, encoding_rs::EUC_JP, encoding_rs::EUC_KR,
            encoding_rs::ISO_2022_JP,
        ].contains(e))
    }
}

/// The result of decoding a byte buffer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded<'a> {
    /// The text, without a byte order mark.
    pub text: Cow<'a, str>,
    /// Number of malformed sequences that were replaced by U+FFFD.
    pub malformed: usize,
}

/// Decode `bytes` as `charset`, skipping the first `skip` bytes (a BOM
/// already recognised by detection). Never fails and never panics.
pub fn decode(bytes: &[u8], charset: Charset, skip: usize) -> Decoded<'_> {
    let bytes = bytes.get(skip..).unwrap_or(&[]);
    match charset {
        Charset::Whatwg(enc) => {
            let enc = if enc == encoding_rs::GBK {
                encoding_rs::GB18030
            } else {
                enc
            };
            if enc == encoding_rs::UTF_8 {
                // Fast path: valid UTF-8 is borrowed, not copied.
                if let Ok(s) = std::str::from_utf8(bytes) {
                    return Decoded {
                        text: Cow::Borrowed(s),
                        malformed: 0,
                    };
                }
            }
            let (text, had_errors) = enc.decode_without_bom_handling(bytes);
            let malformed = if had_errors {
                count_replacements(&text)
            } else {
                0
            };
            Decoded { text, malformed }
        }
        Charset::Utf32Le => decode_utf32(bytes, u32::from_le_bytes),
        Charset::Utf32Be => decode_utf32(bytes, u32::from_be_bytes),
    }
}

/// Count malformed sequences of `bytes` as `charset` without keeping the text
/// (used by detection to verify a guess on the whole file).
pub fn malformed_count(bytes: &[u8], charset: Charset) -> usize {
    decode(bytes, charset, 0).malformed
}

fn count_replacements(s: &str) -> usize {
    s.matches('\u{FFFD}').count().max(1)
}

fn decode_utf32(bytes: &[u8], read: fn([u8; 4]) -> u32) -> Decoded<'static> {
    let mut text = String::with_capacity(bytes.len() / 4 + 1);
    let mut malformed = 0;
    let mut chunks = bytes.chunks_exact(4);
    for c in &mut chunks {
        let unit = read([c[0], c[1], c[2], c[3]]);
        match char::from_u32(unit) {
            Some(ch) => text.push(ch),
            None => {
                text.push('\u{FFFD}');
                malformed += 1;
            }
        }
    }
    if !chunks.remainder().is_empty() {
        text.push('\u{FFFD}');
        malformed += 1;
    }
    Decoded {
        text: Cow::Owned(text),
        malformed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gbk_decodes_as_gb18030() {
        // 中文 in GBK, then the four-byte GB18030 sequence of U+00C0 À,
        // which GBK does not have.
        let bytes = [0xD6, 0xD0, 0xCE, 0xC4, 0x81, 0x30, 0x86, 0x38];
        let d = decode(&bytes, Charset::Whatwg(encoding_rs::GBK), 0);
        assert_eq!(d.text, "中文À");
        assert_eq!(d.malformed, 0);
    }

    #[test]
    fn utf32_both_orders_and_truncation() {
        let le = [0x2D, 0x4E, 0, 0, 0x41, 0, 0, 0];
        assert_eq!(decode(&le, Charset::Utf32Le, 0).text, "中A");
        let be = [0, 0, 0x4E, 0x2D, 0, 0];
        let d = decode(&be, Charset::Utf32Be, 0);
        assert_eq!(d.text, "中\u{FFFD}");
        assert_eq!(d.malformed, 1);
        // A surrogate code point is not a char.
        let bad = [0x00, 0xD8, 0, 0];
        assert_eq!(decode(&bad, Charset::Utf32Le, 0).malformed, 1);
    }

    #[test]
    fn labels() {
        assert_eq!(
            Charset::from_label("GBK").map(|c| c.name()),
            Some("gbk".into())
        );
        assert_eq!(
            Charset::from_label("latin1").map(|c| c.name()),
            Some("windows-1252".into())
        );
        assert_eq!(Charset::from_label("utf-32be"), Some(Charset::Utf32Be));
        assert_eq!(Charset::from_label("no-such"), None);
    }

    #[test]
    fn skip_past_end_is_empty() {
        assert_eq!(decode(b"ab", Charset::UTF8, 5).text, "");
    }
}
