//! The single-byte code pages of ftfy's search and the UTF-8 decoder that
//! also accepts the "UTF-8 variants" (CESU-8 surrogate pairs, Java's C0 80).
//!
//! The tables are generated from Python's codecs in ftfy's "sloppy" form
//! (bytes a code page leaves undefined map to the code point of the same
//! number; 0x1A stands for U+FFFD), so that every byte of a UTF-8 sequence
//! that was decoded with such a code page survives the round trip. Idea and
//! data: ftfy `bad_codecs/sloppy.py`, `bad_codecs/utf8_variants.py`
//! (Apache-2.0, (c) Robyn Speer).

use super::tables::{DECODE, ENCODE, N_PAGES, NAMES, SLOPPY};

/// One of the single-byte code pages UTF-8 is commonly misread as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CodePage(usize);

impl CodePage {
    /// ISO-8859-1.
    pub const LATIN_1: CodePage = CodePage(0);
    /// windows-1252 with its five undefined bytes passed through.
    pub const WINDOWS_1252: CodePage = CodePage(1);

    /// All code pages, in the order ftfy tries them.
    pub fn all() -> impl Iterator<Item = CodePage> {
        (0..N_PAGES).map(CodePage)
    }

    /// The code page's name, e.g. `windows-1252`.
    pub fn name(self) -> &'static str {
        NAMES[self.0]
    }

    /// Whether this is a sloppy code page (undefined bytes pass through and
    /// U+FFFD encodes as 0x1A).
    pub fn is_sloppy(self) -> bool {
        SLOPPY[self.0]
    }

    /// The character byte `b` stands for in this code page.
    pub fn decode_byte(self, b: u8) -> char {
        if b < 0x80 {
            if b == 0x1A && self.is_sloppy() {
                '\u{FFFD}'
            } else {
                char::from(b)
            }
        } else {
            DECODE[self.0][usize::from(b - 0x80)]
        }
    }

    /// The byte `c` is written as in this code page, if it has one.
    pub fn encode_char(self, c: char) -> Option<u8> {
        if (c as u32) < 0x80 {
            if c == '\u{1A}' && self.is_sloppy() {
                return None;
            }
            return u8::try_from(c as u32).ok();
        }
        let table = ENCODE[self.0];
        table
            .binary_search_by(|&(k, _)| k.cmp(&c))
            .ok()
            .map(|i| table[i].1)
    }

    /// Encode `text` in this code page; `None` if some character has no
    /// byte here.
    pub fn encode(self, text: &str) -> Option<Vec<u8>> {
        let mut out = Vec::with_capacity(text.len());
        for c in text.chars() {
            out.push(self.encode_char(c)?);
        }
        Some(out)
    }

    /// Decode bytes in this code page (total: every byte has a character).
    pub fn decode(self, bytes: &[u8]) -> String {
        bytes.iter().map(|&b| self.decode_byte(b)).collect()
    }
}

/// Encode `text` as sloppy windows-1252 (what a browser would have shown for
/// UTF-8 bytes, C1 bytes passed through); `None` if a character is not in
/// windows-1252. Shared helper for other repair modules.
pub fn encode_sloppy_windows_1252(text: &str) -> Option<Vec<u8>> {
    CodePage::WINDOWS_1252.encode(text)
}

/// Decode bytes as sloppy windows-1252 (total).
pub fn decode_sloppy_windows_1252(bytes: &[u8]) -> String {
    CodePage::WINDOWS_1252.decode(bytes)
}

/// Strict UTF-8 that also accepts CESU-8 surrogate pairs (`ED A0-AF xx ED
/// B0-BF xx`, as Java and some databases write astral characters) and the
/// Java null `C0 80`. Returns `None` on anything else that is not UTF-8,
/// including lone surrogates.
pub fn decode_utf8_variants(bytes: &[u8]) -> Option<String> {
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Some(s.to_owned());
    }
    let mut out = String::with_capacity(bytes.len());
    let mut rest = bytes;
    while !rest.is_empty() {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                out.push_str(s);
                break;
            }
            Err(e) => {
                let good = e.valid_up_to();
                // `good` bytes are valid UTF-8 by the error's contract.
                out.push_str(std::str::from_utf8(&rest[..good]).ok()?);
                rest = &rest[good..];
                if let [0xC0, 0x80, ..] = rest {
                    out.push('\0');
                    rest = &rest[2..];
                } else if let [
                    0xED,
                    h1 @ 0xA0..=0xAF,
                    h2 @ 0x80..=0xBF,
                    0xED,
                    l1 @ 0xB0..=0xBF,
                    l2 @ 0x80..=0xBF,
                    ..,
                ] = rest
                {
                    let hi = 0xD000 | (u32::from(h1 & 0x3F) << 6) | u32::from(h2 & 0x3F);
                    let lo = 0xD000 | (u32::from(l1 & 0x3F) << 6) | u32::from(l2 & 0x3F);
                    let cp = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                    out.push(char::from_u32(cp)?);
                    rest = &rest[6..];
                } else {
                    return None;
                }
            }
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_every_byte() {
        for page in CodePage::all() {
            for b in 0..=255u8 {
                let c = page.decode_byte(b);
                assert_eq!(page.encode_char(c), Some(b), "{} {b:#x}", page.name());
            }
        }
    }

    #[test]
    fn cesu8_and_java_null() {
        // U+1F600 as CESU-8
        let b = [0xED, 0xA0, 0xBD, 0xED, 0xB8, 0x80, b'x', 0xC0, 0x80];
        assert_eq!(decode_utf8_variants(&b).as_deref(), Some("😀x\0"));
        assert_eq!(decode_utf8_variants(&[0xED, 0xA0, 0xBD]), None);
        assert_eq!(decode_utf8_variants(&[0xFF]), None);
    }
}
