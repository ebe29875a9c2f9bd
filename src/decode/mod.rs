//! Decoding: bytes in a known character set → a Rust `String`.
//!
//! [`Charset`] names every encoding fixtext can read. Most are the WHATWG
//! encodings implemented by `encoding_rs`; the rest are decoded here: UTF-32,
//! the IBM/DOS code pages of [`codepages`] (tables generated from Python's
//! codecs by `gen_codepages.py`), Johab (table generated from Python's
//! `johab` codec by `gen_johab.py`), ISO-2022-KR, and "mixed" buffers whose
//! lines are partly UTF-8 and partly one legacy encoding. Decoding never fails: malformed sequences become U+FFFD and are
//! counted, so the caller can tell a clean decode from a lossy one.
//!
//! Invariant: GBK is always decoded with the GB18030 decoder (a strict
//! superset), so that a file labelled or guessed as GBK that uses a GB18030
//! four-byte sequence still decodes without loss.

pub mod codepages;
pub mod johab_table;

use encoding_rs::Encoding;
use std::borrow::Cow;

/// A single-byte code page whose lower half is ASCII.
#[derive(Debug, PartialEq, Eq)]
pub struct CodePage {
    /// Canonical lower-case name (`ibm855`).
    pub name: &'static str,
    /// Labels it is known by (lower case).
    pub labels: &'static [&'static str],
    /// Characters of bytes 0x80..=0xFF; U+FFFD where undefined.
    pub high: [char; 128],
}

/// A character encoding fixtext can decode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Charset {
    /// An encoding of the WHATWG Encoding Standard, via `encoding_rs`.
    Whatwg(&'static Encoding),
    /// UTF-32, little endian.
    Utf32Le,
    /// UTF-32, big endian.
    Utf32Be,
    /// A single-byte IBM/DOS code page decoded with a generated table.
    CodePage(&'static CodePage),
    /// ISO-2022-KR (KS X 1001 shifted in and out with SO/SI).
    Iso2022Kr,
    /// Johab (KS C 5601-1992 annex 3): Korean with Hangul syllables
    /// composed from 5-bit jamo fields, as DOS-era software wrote it.
    Johab,
    /// Lines that are valid UTF-8 are UTF-8; the other lines are in this
    /// legacy encoding (files written by several programs).
    Mixed(&'static Encoding),
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
            "iso-2022-kr" | "iso2022kr" | "csiso2022kr" => Some(Charset::Iso2022Kr),
            "johab" | "cp1361" | "ms1361" | "x-johab" => Some(Charset::Johab),
            _ => {
                if let Some(mixed) = l.strip_prefix("mixed-utf-8+") {
                    return Encoding::for_label_no_replacement(mixed.as_bytes())
                        .map(Charset::Mixed);
                }
                if let Some(cp) = codepages::ALL
                    .iter()
                    .find(|cp| cp.labels.contains(&l.as_str()))
                {
                    return Some(Charset::CodePage(cp));
                }
                Encoding::for_label_no_replacement(l.as_bytes()).map(Charset::Whatwg)
            }
        }
    }

    /// Lower-case canonical name (`utf-8`, `gbk`, `big5`, `shift_jis`,
    /// `utf-16le`, `utf-32be`, `windows-1252` …).
    pub fn name(&self) -> String {
        match self {
            Charset::Whatwg(e) => e.name().to_ascii_lowercase(),
            Charset::Utf32Le => "utf-32le".to_owned(),
            Charset::Utf32Be => "utf-32be".to_owned(),
            Charset::CodePage(cp) => cp.name.to_owned(),
            Charset::Iso2022Kr => "iso-2022-kr".to_owned(),
            Charset::Johab => "johab".to_owned(),
            Charset::Mixed(e) => format!("mixed-utf-8+{}", e.name().to_ascii_lowercase()),
        }
    }

    /// Whether this is one of the multi-byte CJK encodings.
    pub fn is_cjk(&self) -> bool {
        match self {
            Charset::Iso2022Kr | Charset::Johab => true,
            Charset::Mixed(e) => Charset::Whatwg(e).is_cjk(),
            _ => self.is_whatwg_cjk(),
        }
    }

    fn is_whatwg_cjk(&self) -> bool {
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
        Charset::Whatwg(enc) => decode_whatwg(bytes, enc),
        Charset::Utf32Le => decode_utf32(bytes, u32::from_le_bytes),
        Charset::Utf32Be => decode_utf32(bytes, u32::from_be_bytes),
        Charset::CodePage(cp) => decode_codepage(bytes, cp),
        Charset::Iso2022Kr => decode_iso2022kr(bytes),
        Charset::Johab => decode_johab(bytes),
        Charset::Mixed(enc) => decode_mixed(bytes, enc),
    }
}

fn decode_whatwg<'a>(bytes: &'a [u8], enc: &'static Encoding) -> Decoded<'a> {
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
    let text = if enc == encoding_rs::EUC_JP {
        jis_convention(text)
    } else {
        text
    };
    Decoded { text, malformed }
}

/// The six JIS X 0208 code points that WHATWG's index maps the Microsoft
/// way (cp932), paired with the JIS X 0208 / Unicode mapping
/// (`JIS0208.TXT`): `～`→`〜` WAVE DASH (0xA1C1), `∥`→`‖` (0xA1C2),
/// `－`→`−` MINUS SIGN (0xA1DD), `￠`→`¢`, `￡`→`£`, `￢`→`¬` (0xA1F1, 0xA1F2,
/// 0xA2CC). Each WHATWG character on the left comes only from its one code
/// (or from the IBM extension rows, the same symbol), so the map is exact.
const JIS_CONVENTION: [(char, char); 6] = [
    ('\u{FF5E}', '\u{301C}'),
    ('\u{2225}', '\u{2016}'),
    ('\u{FF0D}', '\u{2212}'),
    ('\u{FFE0}', '\u{00A2}'),
    ('\u{FFE1}', '\u{00A3}'),
    ('\u{FFE2}', '\u{00AC}'),
];

/// EUC-JP is decoded with the JIS X 0208 mappings that iconv, glibc, ICU's
/// `euc-jp`, Python, Perl and Emacs use, not with WHATWG's Microsoft-style
/// ones. EUC-JP is the encoding of Unix systems, and the programs that wrote
/// those files (and that their users compare our output with, e.g. `iconv
/// -f EUC-JP`) meant U+301C WAVE DASH by 0xA1C1; a text-repair tool should
/// give back the characters the author's tools produced rather than the
/// browser's compatibility choice. Shift_JIS keeps WHATWG's mapping: on
/// Windows, where Shift_JIS files come from, cp932's full-width forms are
/// what was meant.
fn jis_convention(text: Cow<'_, str>) -> Cow<'_, str> {
    let map = |c: char| {
        JIS_CONVENTION
            .iter()
            .find(|&&(w, _)| w == c)
            .map_or(c, |&(_, j)| j)
    };
    if text.chars().any(|c| map(c) != c) {
        Cow::Owned(text.chars().map(map).collect())
    } else {
        text
    }
}

fn decode_codepage<'a>(bytes: &'a [u8], cp: &CodePage) -> Decoded<'a> {
    if bytes.is_ascii()
        && let Ok(s) = std::str::from_utf8(bytes)
    {
        return Decoded {
            text: Cow::Borrowed(s),
            malformed: 0,
        };
    }
    let mut text = String::with_capacity(bytes.len() + bytes.len() / 2);
    let mut malformed = 0;
    for &b in bytes {
        if b < 0x80 {
            text.push(b as char);
        } else {
            let c = cp.high[usize::from(b - 0x80)];
            malformed += usize::from(c == '\u{FFFD}');
            text.push(c);
        }
    }
    Decoded {
        text: Cow::Owned(text),
        malformed,
    }
}

/// ISO-2022-KR: `ESC $ ) C` designates KS X 1001 to G1, SO (0x0E) shifts to
/// it and SI (0x0F) back to ASCII. Shifted byte pairs are KS X 1001 rows and
/// cells, i.e. EUC-KR with the high bits cleared.
fn decode_iso2022kr(bytes: &[u8]) -> Decoded<'static> {
    let mut euc = Vec::with_capacity(bytes.len());
    let mut shifted = false;
    let mut malformed = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if bytes[i..].starts_with(b"\x1b$)C") {
            i += 4;
            continue;
        }
        match b {
            0x0E => shifted = true,
            0x0F => shifted = false,
            b'\n' | b'\r' => {
                shifted = false;
                euc.push(b);
            }
            0x21..=0x7E if shifted => {
                match bytes.get(i + 1) {
                    Some(&t @ 0x21..=0x7E) => {
                        euc.push(b | 0x80);
                        euc.push(t | 0x80);
                        i += 1;
                    }
                    _ => {
                        malformed += 1;
                        euc.push(0xFF); // malformed in EUC-KR too: becomes U+FFFD
                    }
                }
            }
            0x80..=0xFF => {
                malformed += 1;
                euc.push(0xFF); // malformed in EUC-KR too: becomes U+FFFD
            }
            _ => euc.push(b),
        }
        i += 1;
    }
    let d = decode_whatwg(&euc, encoding_rs::EUC_KR);
    Decoded {
        malformed: d.malformed.max(malformed),
        text: Cow::Owned(d.text.into_owned()),
    }
}

/// The character of the Johab pair `lead`, `trail`, if it is one.
fn johab_pair(lead: u8, trail: u8) -> Option<char> {
    use johab_table::{LEAD_MAX, LEAD_MIN, ROWS, TRAIL_MAX, TRAIL_MIN};
    static TABLE: std::sync::OnceLock<Vec<char>> = std::sync::OnceLock::new();
    const WIDTH: usize = (TRAIL_MAX - TRAIL_MIN) as usize + 1;
    if !(LEAD_MIN..=LEAD_MAX).contains(&lead) || !(TRAIL_MIN..=TRAIL_MAX).contains(&trail) {
        return None;
    }
    let table = TABLE.get_or_init(|| ROWS.iter().flat_map(|r| r.chars()).collect());
    let i = usize::from(lead - LEAD_MIN) * WIDTH + usize::from(trail - TRAIL_MIN);
    table.get(i).copied().filter(|&c| c != '\u{FFFD}')
}

/// Walk Johab bytes: ASCII bytes are themselves, a lead byte and a trail
/// byte that form a valid pair are one character, anything else is one
/// malformed byte (the next byte starts afresh, so an ASCII byte after a
/// stray lead is kept). Stops once `limit` malformed bytes are exceeded.
fn walk_johab(bytes: &[u8], limit: usize, mut emit: impl FnMut(char)) -> usize {
    let mut malformed = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            emit(char::from(b));
            i += 1;
            continue;
        }
        match bytes.get(i + 1).and_then(|&t| johab_pair(b, t)) {
            Some(c) => {
                emit(c);
                i += 2;
            }
            None => {
                emit('\u{FFFD}');
                malformed += 1;
                if malformed > limit {
                    return malformed;
                }
                i += 1;
            }
        }
    }
    malformed
}

fn decode_johab(bytes: &[u8]) -> Decoded<'_> {
    if let Ok(s) = std::str::from_utf8(bytes)
        && s.is_ascii()
    {
        return Decoded {
            text: Cow::Borrowed(s),
            malformed: 0,
        };
    }
    let mut text = String::with_capacity(bytes.len() + bytes.len() / 2);
    let malformed = walk_johab(bytes, usize::MAX, |c| text.push(c));
    Decoded {
        text: Cow::Owned(text),
        malformed,
    }
}

/// Malformed sequences of `bytes` as Johab, counting no further than
/// `limit` + 1.
pub fn johab_malformed_upto(bytes: &[u8], limit: usize) -> usize {
    walk_johab(bytes, limit, |_| {})
}

/// Decode line by line: lines that are valid UTF-8 as UTF-8, the others as
/// `enc`. Line ends (`\n`) are ASCII in every encoding used here.
fn decode_mixed<'a>(bytes: &'a [u8], enc: &'static Encoding) -> Decoded<'a> {
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Decoded {
            text: Cow::Borrowed(s),
            malformed: 0,
        };
    }
    let mut text = String::with_capacity(bytes.len() + bytes.len() / 2);
    let mut malformed = 0;
    for line in bytes.split_inclusive(|&b| b == b'\n') {
        match std::str::from_utf8(line) {
            Ok(s) => text.push_str(s),
            Err(_) => {
                let d = decode_whatwg(line, enc);
                malformed += d.malformed;
                text.push_str(&d.text);
            }
        }
    }
    Decoded {
        text: Cow::Owned(text),
        malformed,
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
    fn euc_jp_uses_jis_mappings() {
        // 〜 ‖ − ¢ £ ¬ as iconv and Python read them, in one-shot and streamed decoding.
        let bytes = b"\xa1\xc1\xa1\xc2\xa1\xdd\xa1\xf1\xa1\xf2\xa2\xcc\xa4\xa2";
        let cs = Charset::Whatwg(encoding_rs::EUC_JP);
        assert_eq!(
            decode(bytes, cs, 0).text,
            "\u{301C}\u{2016}\u{2212}\u{A2}\u{A3}\u{AC}あ"
        );
        let mut out = String::new();
        let mut dec = cs.stream_decoder();
        for chunk in bytes.chunks(3) {
            dec.decode(chunk, false, &mut out);
        }
        dec.decode(&[], true, &mut out);
        assert_eq!(out, "\u{301C}\u{2016}\u{2212}\u{A2}\u{A3}\u{AC}あ");
    }

    /// Johab bytes of `s`, from the decoding table itself.
    pub(super) fn johab_bytes(s: &str) -> Vec<u8> {
        let mut out = Vec::new();
        for c in s.chars() {
            if c.is_ascii() {
                out.push(c as u8);
                continue;
            }
            let pair = (0x84..=0xF9u8)
                .flat_map(|l| (0x31..=0xFEu8).map(move |t| (l, t)))
                .find(|&(l, t)| johab_pair(l, t) == Some(c))
                .expect("character in Johab");
            out.extend([pair.0, pair.1]);
        }
        out
    }

    #[test]
    fn johab() {
        assert_eq!(johab_table::VALID, 17065);
        // 한글 (0xD065 0x8B69) and ⇒ (0xD9A1), as Python reads them.
        let bytes = [0xD0, 0x65, 0x8B, 0x69, b' ', 0xD9, 0xA1];
        let d = decode(&bytes, Charset::Johab, 0);
        assert_eq!(d.malformed, 0);
        assert_eq!(d.text, "한글 ⇒");
        let s = "한국어 텍스트 ━┃ 漢字 ㄱㅏ";
        let b = johab_bytes(s);
        assert_eq!(decode(&b, Charset::Johab, 0).text, s);
        // Stray lead, invalid jamo combination, lead at the end.
        let d = decode(&[0x80, b'a', 0x88, 0x31, 0xD0], Charset::Johab, 0);
        assert_eq!(d.text, "\u{FFFD}a\u{FFFD}1\u{FFFD}");
        assert_eq!(d.malformed, 3);
        assert_eq!(Charset::from_label("JOHAB"), Some(Charset::Johab));
        assert_eq!(Charset::Johab.name(), "johab");
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

/// Incremental decoding of a byte stream, for inputs too big to hold.
///
/// WHATWG encodings use `encoding_rs`'s own streaming decoder (sequences
/// split across buffers are handled there). The others are decoded by
/// [`decode`] on whole units kept back until complete: UTF-32 in 4-byte
/// units, the line-oriented ones (ISO-2022-KR, mixed files) in whole lines;
/// a single-byte code page needs no state at all.
pub struct StreamDecoder {
    charset: Charset,
    whatwg: Option<encoding_rs::Decoder>,
    held: Vec<u8>,
}

impl Charset {
    /// A decoder for a stream in this charset (the BOM, if any, must be
    /// skipped by the caller).
    pub fn stream_decoder(self) -> StreamDecoder {
        let whatwg = match self {
            Charset::Whatwg(enc) => {
                let enc = if enc == encoding_rs::GBK {
                    encoding_rs::GB18030
                } else {
                    enc
                };
                Some(enc.new_decoder_without_bom_handling())
            }
            _ => None,
        };
        StreamDecoder {
            charset: self,
            whatwg,
            held: Vec::new(),
        }
    }
}

impl StreamDecoder {
    /// Decode `bytes` (the next piece of the stream) onto `out`; `last` says
    /// it is the final piece. Returns the number of malformed sequences.
    pub fn decode(&mut self, bytes: &[u8], last: bool, out: &mut String) -> usize {
        if let Some(dec) = self.whatwg.as_mut() {
            let mut malformed = 0;
            let mut input = bytes;
            loop {
                let need = dec
                    .max_utf8_buffer_length(input.len())
                    .unwrap_or(input.len() * 3 + 16);
                out.reserve(need);
                let before = out.len();
                let (result, read, had_errors) = dec.decode_to_string(input, out, last);
                if had_errors {
                    malformed += out[before..].matches('\u{FFFD}').count().max(1);
                }
                if self.charset == Charset::Whatwg(encoding_rs::EUC_JP)
                    && let Cow::Owned(fixed) = jis_convention(Cow::Borrowed(&out[before..]))
                {
                    out.truncate(before);
                    out.push_str(&fixed);
                }
                input = &input[read..];
                if result == encoding_rs::CoderResult::InputEmpty {
                    return malformed;
                }
            }
        }
        self.held.extend_from_slice(bytes);
        let cut = if last {
            self.held.len()
        } else {
            match self.charset {
                Charset::Utf32Le | Charset::Utf32Be => self.held.len() & !3,
                Charset::CodePage(_) => self.held.len(),
                // A byte below 0x31 is never part of a Johab pair: what
                // precedes it decodes on its own.
                Charset::Johab => self
                    .held
                    .iter()
                    .rposition(|&b| b < 0x31)
                    .map_or(0, |i| i + 1),
                _ => memchr::memrchr(b'\n', &self.held).map_or(0, |i| i + 1),
            }
        };
        let d = decode(&self.held[..cut], self.charset, 0);
        out.push_str(&d.text);
        let malformed = d.malformed;
        self.held.drain(..cut);
        malformed
    }
}

#[cfg(test)]
mod stream_tests {
    use super::tests::johab_bytes;
    use super::*;

    /// Feeding a stream in pieces of every size gives the one-shot result.
    #[test]
    fn pieces_equal_whole() {
        let text = "第一行 Привет\n第二行 é ü\n";
        let cases: Vec<(Charset, Vec<u8>)> = vec![
            (
                Charset::Whatwg(encoding_rs::GBK),
                encoding_rs::GBK.encode(text).0.into_owned(),
            ),
            (
                Charset::Whatwg(encoding_rs::UTF_8),
                text.as_bytes().to_vec(),
            ),
            (
                Charset::Utf32Le,
                text.chars()
                    .flat_map(|c| (c as u32).to_le_bytes())
                    .collect(),
            ),
            (
                Charset::Johab,
                johab_bytes("첫 줄 한국어 ─┌\n둘째 줄 Привет 漢字\n"),
            ),
            (
                Charset::Mixed(encoding_rs::GBK),
                [text.as_bytes(), &encoding_rs::GBK.encode(text).0].concat(),
            ),
        ];
        for (cs, bytes) in cases {
            let whole = decode(&bytes, cs, 0).text.into_owned();
            for piece in 1..9 {
                let mut dec = cs.stream_decoder();
                let mut out = String::new();
                let chunks: Vec<&[u8]> = bytes.chunks(piece).collect();
                for (i, c) in chunks.iter().enumerate() {
                    dec.decode(c, i + 1 == chunks.len(), &mut out);
                }
                assert_eq!(out, whole, "{} in pieces of {piece}", cs.name());
            }
        }
    }
}
