//! Detection: which character set are these bytes in?
//!
//! The order of evidence, strongest first:
//! 1. a byte order mark (UTF-8, UTF-32LE/BE, UTF-16LE/BE);
//! 2. the whole buffer is valid UTF-8 (one fast scan);
//! 3. the NUL pattern of UTF-16/UTF-32 without a BOM;
//! 4. NUL bytes that fit no such pattern: binary, refused;
//! 5. ISO-2022-JP/KR escape sequences in 7-bit text;
//! 6. lines of valid UTF-8 mixed with lines that are not: decoded line by
//!    line ([`Charset::Mixed`]);
//! 7. `chardetng` on a bounded sample; when it picks a single-byte encoding,
//!    every single-byte candidate (Cyrillic, Western, Central European,
//!    Greek, Hebrew, Arabic, Baltic, Turkish, Thai, the IBM/DOS code pages)
//!    decodes the sample and a letter-bigram language model ([`model`])
//!    picks the most plausible text; the choice is verified by decoding the
//!    whole buffer (stopping early once it is worse than the best so far);
//!    when it leaves malformed sequences, the CJK encodings are tried and the
//!    one with the fewest malformed sequences wins;
//! 8. Johab, which chardetng does not know: taken when it decodes the whole
//!    buffer cleanly (or with fewer malformed sequences than every other
//!    candidate) and reads as Korean — mostly Hangul syllables, nearly all of
//!    them among the 2350 of KS X 1001 that everyday text uses. EUC-KR text
//!    read as Johab leaves malformed sequences and is never taken; Johab read
//!    as EUC-KR (CP949) gives rare syllables, which is how a clean EUC-KR
//!    decode of Johab bytes is caught.
//!
//! Detection only reads; it never decodes into a kept buffer except to verify.

mod langmodel;
pub mod model;

use crate::decode::{self, Charset, codepages};
use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::Encoding;

/// How many bytes of the input `chardetng` sees.
pub const SAMPLE_LEN: usize = 256 * 1024;

/// How an encoding was decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    /// Given by the caller (`--encoding`).
    Forced,
    /// The input is empty.
    Empty,
    /// A byte order mark.
    Bom,
    /// Only ASCII bytes.
    Ascii,
    /// The whole input is valid UTF-8.
    ValidUtf8,
    /// The NUL-byte pattern of UTF-16 or UTF-32 without a BOM.
    NulPattern,
    /// chardetng's guess, verified to decode the whole input cleanly.
    Guess,
    /// chardetng's guess had malformed sequences; another candidate decoded
    /// with fewer.
    Verified,
    /// No candidate decoded cleanly; the best one is used and the malformed
    /// sequences become U+FFFD.
    Lossy,
    /// A single-byte encoding other than chardetng's guess read more like
    /// real text under the language model.
    Rescored,
    /// ISO-2022 escape sequences in 7-bit text.
    Escape,
    /// Valid UTF-8 lines mixed with lines in one legacy encoding.
    Mixed,
    /// An encoding chardetng does not know (Johab) decoded the whole input
    /// cleanly and read as text of its language.
    Plausible,
}

impl Method {
    /// Kebab-case name as used in reports.
    pub fn as_str(&self) -> &'static str {
        match self {
            Method::Forced => "forced",
            Method::Empty => "empty",
            Method::Bom => "bom",
            Method::Ascii => "ascii",
            Method::ValidUtf8 => "valid-utf8",
            Method::NulPattern => "nul-pattern",
            Method::Guess => "guess",
            Method::Verified => "verified",
            Method::Lossy => "lossy",
            Method::Rescored => "rescored",
            Method::Escape => "escape",
            Method::Mixed => "mixed",
            Method::Plausible => "plausible",
        }
    }
}

/// The outcome of detection.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Detection {
    /// The character set to decode with.
    pub charset: Charset,
    /// Confidence in `[0, 1]`.
    pub confidence: f32,
    /// How it was decided.
    pub method: Method,
    /// Length of the byte order mark to skip (0 when none).
    pub bom_len: usize,
}

impl Detection {
    /// A detection imposed by the caller; a BOM that matches it is still
    /// skipped.
    pub fn forced(charset: Charset, bytes: &[u8]) -> Detection {
        let bom_len = match bom(bytes) {
            Some((c, n)) if c == charset => n,
            _ => 0,
        };
        Detection {
            charset,
            confidence: 1.0,
            method: Method::Forced,
            bom_len,
        }
    }
}

/// Why bytes could not be given an encoding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DetectError {
    /// NUL bytes (or other binary control bytes) in a pattern that is not
    /// UTF-16/UTF-32: this is not a text file.
    Binary {
        /// Offset of the first NUL byte.
        first_nul: usize,
    },
}

impl std::fmt::Display for DetectError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DetectError::Binary { first_nul } => write!(
                f,
                "binary data (NUL byte at offset {first_nul}, not UTF-16/UTF-32): not a text file, skipped"
            ),
        }
    }
}

impl std::error::Error for DetectError {}

/// Recognise a byte order mark. UTF-32LE is tested before UTF-16LE, whose
/// BOM is its prefix.
pub fn bom(bytes: &[u8]) -> Option<(Charset, usize)> {
    use encoding_rs::{UTF_8, UTF_16BE, UTF_16LE};
    match bytes {
        [0xEF, 0xBB, 0xBF, ..] => Some((Charset::Whatwg(UTF_8), 3)),
        [0xFF, 0xFE, 0, 0, ..] => Some((Charset::Utf32Le, 4)),
        [0, 0, 0xFE, 0xFF, ..] => Some((Charset::Utf32Be, 4)),
        [0xFF, 0xFE, ..] => Some((Charset::Whatwg(UTF_16LE), 2)),
        [0xFE, 0xFF, ..] => Some((Charset::Whatwg(UTF_16BE), 2)),
        _ => None,
    }
}

/// Detect the character set of `bytes`.
pub fn detect(bytes: &[u8]) -> Result<Detection, DetectError> {
    let found = |charset, confidence, method| Detection {
        charset,
        confidence,
        method,
        bom_len: 0,
    };
    if bytes.is_empty() {
        return Ok(found(Charset::UTF8, 1.0, Method::Empty));
    }
    if let Some((charset, bom_len)) = bom(bytes) {
        return Ok(Detection {
            charset,
            confidence: 1.0,
            method: Method::Bom,
            bom_len,
        });
    }
    let first_nul = memchr::memchr(0, bytes);
    if first_nul.is_none() {
        if bytes.is_ascii() {
            if memchr::memchr(0x1B, bytes).is_none() {
                return Ok(found(Charset::UTF8, 1.0, Method::Ascii));
            }
            if let Some(charset) = iso2022(bytes) {
                return Ok(found(charset, 0.95, Method::Escape));
            }
        }
        match std::str::from_utf8(bytes) {
            Ok(_) => return Ok(found(Charset::UTF8, 1.0, Method::ValidUtf8)),
            // Valid UTF-8 up to a character cut off by the end of the input
            // (a truncated file, or a prefix): still UTF-8, and the cut
            // character decodes to one U+FFFD. Needs some non-ASCII before
            // it, so that the evidence is more than the last bytes.
            Err(e) if e.error_len().is_none() && !bytes[..e.valid_up_to()].is_ascii() => {
                return Ok(found(Charset::UTF8, 0.95, Method::ValidUtf8));
            }
            Err(_) => {}
        }
    }
    if let Some(first_nul) = first_nul {
        return match nul_pattern(bytes) {
            Some(charset) => Ok(found(charset, 0.9, Method::NulPattern)),
            None => match utf16_without_nuls(bytes) {
                Some(charset) => Ok(found(charset, 0.7, Method::NulPattern)),
                None => Err(DetectError::Binary { first_nul }),
            },
        };
    }
    if let Some(d) = mixed(bytes) {
        return Ok(d);
    }
    Ok(guess(bytes))
}

/// ISO-2022-KR (`ESC $ ) C` and SO/SI shifts) or ISO-2022-JP (`ESC $ B`,
/// `ESC $ @`, `ESC ( J` …) in 7-bit text, verified to decode cleanly.
fn iso2022(bytes: &[u8]) -> Option<Charset> {
    let has = |pat: &[u8]| memchr::memmem::find(bytes, pat).is_some();
    let candidate = if has(b"\x1b$)C") && memchr::memchr(0x0E, bytes).is_some() {
        Charset::Iso2022Kr
    } else if has(b"\x1b$B") || has(b"\x1b$@") || has(b"\x1b(J") || has(b"\x1b(I") {
        Charset::Whatwg(encoding_rs::ISO_2022_JP)
    } else {
        return None;
    };
    (decode::malformed_count(bytes, candidate) == 0).then_some(candidate)
}

/// UTF-16 text that is mostly CJK or Cyrillic has few NUL bytes (the high
/// bytes of ASCII line ends and spaces), too few for the NUL pattern.
/// Recognised (only when there is a NUL at all) when a byte order decodes
/// cleanly and reads as text: nearly all code units are CJK, kana, Hangul,
/// CJK punctuation or printable ASCII, with no controls or private use.
fn utf16_without_nuls(bytes: &[u8]) -> Option<Charset> {
    use encoding_rs::{UTF_16BE, UTF_16LE};
    if bytes.len() < 16 || !bytes.len().is_multiple_of(2) {
        return None;
    }
    let sample = &bytes[..bytes.len().min(64 * 1024) & !1];
    let (mut even, mut odd) = (0usize, 0usize);
    for (i, &b) in sample.iter().enumerate() {
        if b == 0 {
            if i % 2 == 0 {
                even += 1;
            } else {
                odd += 1;
            }
        }
    }
    // The parity with more NULs (high bytes of ASCII) is tried first; a
    // CJK character can have a zero low byte (U+4E00), so both are tried.
    let order = if odd >= even {
        [UTF_16LE, UTF_16BE]
    } else {
        [UTF_16BE, UTF_16LE]
    };
    order
        .into_iter()
        .map(Charset::Whatwg)
        .find(|&c| reads_as_text(sample, c))
}

fn reads_as_text(sample: &[u8], candidate: Charset) -> bool {
    let d = decode::decode(sample, candidate, 0);
    if d.malformed > 0 {
        return false;
    }
    let (mut good, mut total) = (0usize, 0usize);
    for c in d.text.chars() {
        total += 1;
        let u = c as u32;
        let ok = matches!(c, '\t' | '\n' | '\r' | ' '..='~')
            || (0x3000..=0x30FF).contains(&u) // CJK punctuation, kana
            || (0x3400..=0x4DBF).contains(&u)
            || (0x4E00..=0x9FFF).contains(&u)
            || (0xAC00..=0xD7A3).contains(&u) // Hangul syllables
            || (0xFF00..=0xFFEF).contains(&u) // full-width forms
            || (0x00A0..=0x04FF).contains(&u)
            || (0x2000..=0x206F).contains(&u);
        good += usize::from(ok);
    }
    total >= 8 && good * 100 >= total * 98
}

/// Lines of one buffer written by different programs: some are valid
/// UTF-8 with non-ASCII text, others are not valid UTF-8 at all. The invalid
/// lines get their own detection (chardetng, verified); the buffer is then
/// decoded line by line. Requires real UTF-8 evidence (at least four
/// multi-byte characters, and at least a tenth as many bytes as the non-ASCII
/// bytes of the invalid lines) so that a legacy file with a line that happens to
/// be valid UTF-8 is not taken for mixed.
fn mixed(bytes: &[u8]) -> Option<Detection> {
    let mut utf8_chars = 0usize;
    let mut utf8_bytes = 0usize;
    let mut invalid = Vec::new();
    for line in bytes.split_inclusive(|&b| b == b'\n') {
        match std::str::from_utf8(line) {
            Ok(s) => {
                for c in s.chars().filter(|c| !c.is_ascii()) {
                    utf8_chars += 1;
                    utf8_bytes += c.len_utf8();
                }
            }
            Err(_) => invalid.extend_from_slice(line),
        }
    }
    let invalid_high = invalid.iter().filter(|b| !b.is_ascii()).count();
    if utf8_chars < 4 || invalid.is_empty() || utf8_bytes * 10 < invalid_high {
        return None;
    }
    let legacy = guess(&invalid);
    let Charset::Whatwg(enc) = legacy.charset else {
        return None;
    };
    if enc == encoding_rs::UTF_8 || legacy.method == Method::Lossy {
        return None;
    }
    // The UTF-8 lines must be in the script of the legacy lines: bytes of a
    // legacy encoding that happen to form UTF-8 give characters of scattered
    // blocks (IPA, Armenian, Arabic, combining marks …).
    let legacy_text = decode::decode(&invalid, legacy.charset, 0);
    let main_script = dominant_script(legacy_text.text.chars())?;
    let (mut same, mut scripted) = (0usize, 0usize);
    let mut lines = Utf8Lines::default();
    for line in bytes.split_inclusive(|&b| b == b'\n') {
        if let Ok(s) = std::str::from_utf8(line) {
            for sc in s.chars().filter_map(script_of) {
                scripted += 1;
                let sc = if sc == 8 { 9 } else { sc };
                same += usize::from(sc == main_script);
            }
            lines.add(s, main_script);
        }
    }
    if scripted < 4 || same * 10 < scripted * 9 || !lines.read_as_text() {
        return None;
    }
    Some(Detection {
        charset: Charset::Mixed(enc),
        confidence: 0.6,
        method: Method::Mixed,
        bom_len: 0,
    })
}

/// What the non-ASCII UTF-8 lines of a candidate mixed buffer are made of.
/// Legacy bytes that happen to form UTF-8 (box drawing in Johab or EUC-KR,
/// pairs of Latin-1 letters) give lines of isolated symbols and combining
/// marks that follow no letter; real UTF-8 lines carry words — runs of
/// letters of the legacy lines' script.
#[derive(Default)]
struct Utf8Lines {
    /// Lines with non-ASCII characters.
    lines: usize,
    /// Of those, lines where letters of the main script make up at least
    /// half the non-ASCII characters and form a word (two in a row).
    text_lines: usize,
    /// Non-ASCII characters.
    chars: usize,
    /// Combining marks that follow no letter.
    orphan_marks: usize,
}

impl Utf8Lines {
    fn add(&mut self, line: &str, main_script: u8) {
        let (mut n, mut letters, mut run, mut word) = (0usize, 0usize, 0usize, false);
        let mut after_letter = false;
        for c in line.chars() {
            let mark = unicode_normalization::char::is_combining_mark(c);
            if mark {
                if !after_letter {
                    self.orphan_marks += 1;
                }
            } else {
                after_letter = c.is_alphabetic();
            }
            if c.is_ascii() {
                run = 0;
                continue;
            }
            n += 1;
            let same = script_of(c).map(|sc| if sc == 8 { 9 } else { sc }) == Some(main_script);
            if same || (mark && after_letter && run > 0) {
                letters += 1;
                run += 1;
                word |= run >= 2;
            } else {
                run = 0;
            }
        }
        if n > 0 {
            self.lines += 1;
            self.chars += n;
            self.text_lines += usize::from(word && letters * 2 >= n);
        }
    }

    /// Most lines read as text and (nearly) no mark is orphaned.
    fn read_as_text(&self) -> bool {
        self.text_lines * 2 >= self.lines && self.orphan_marks * 100 <= self.chars
    }
}

/// UTF-16/UTF-32 without BOM, recognised by where the zero bytes fall in a
/// sample: text in the Latin, Greek, Cyrillic … blocks has a zero high byte
/// in most code units. Returns `None` when the pattern is not clear.
fn nul_pattern(bytes: &[u8]) -> Option<Charset> {
    use encoding_rs::{UTF_16BE, UTF_16LE};
    let sample = &bytes[..bytes.len().min(64 * 1024)];
    let mut zeros = [0usize; 4];
    for (i, &b) in sample.iter().enumerate() {
        if b == 0 {
            zeros[i % 4] += 1;
        }
    }
    let units4 = (sample.len() / 4).max(1);
    let frac = |n: usize| n as f64 / units4 as f64;
    // UTF-32: two high bytes of every unit are zero for BMP text.
    if sample.len().is_multiple_of(4) || sample.len() >= 64 {
        if frac(zeros[2]) > 0.95 && frac(zeros[3]) > 0.95 && frac(zeros[0]) < 0.5 {
            return Some(Charset::Utf32Le);
        }
        if frac(zeros[0]) > 0.95 && frac(zeros[1]) > 0.95 && frac(zeros[3]) < 0.5 {
            return Some(Charset::Utf32Be);
        }
    }
    let units2 = (sample.len() / 2).max(1) as f64;
    let even = (zeros[0] + zeros[2]) as f64 / units2;
    let odd = (zeros[1] + zeros[3]) as f64 / units2;
    let candidate = if odd > 0.3 && even < 0.05 {
        Charset::Whatwg(UTF_16LE)
    } else if even > 0.3 && odd < 0.05 {
        Charset::Whatwg(UTF_16BE)
    } else {
        return None;
    };
    (decode::malformed_count(bytes, candidate) == 0).then_some(candidate)
}

/// A coarse script class of a non-ASCII character; `None` for ASCII,
/// punctuation and symbols shared by all scripts.
fn script_of(c: char) -> Option<u8> {
    let u = c as u32;
    Some(match u {
        _ if !c.is_alphabetic() || unicode_normalization::char::is_combining_mark(c) => {
            return None;
        }
        0x00C0..=0x024F => 1, // Latin letters with diacritics
        0x0370..=0x03FF => 2, // Greek
        0x0400..=0x052F => 3, // Cyrillic
        0x0590..=0x05FF => 4, // Hebrew
        0x0600..=0x06FF => 5, // Arabic
        0x0E00..=0x0E7F => 6, // Thai
        0x1100..=0x11FF | 0x3130..=0x318F | 0xAC00..=0xD7A3 => 7, // Hangul
        0x3040..=0x30FF => 8, // kana (Japanese text also uses Han)
        0x3000..=0x303F | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xFF00..=0xFFEF => 9,
        _ => return None,
    })
}

/// The script most characters of `chars` belong to, kana counted as Han
/// (Japanese mixes them).
fn dominant_script(chars: impl Iterator<Item = char>) -> Option<u8> {
    let mut n = [0usize; 10];
    for sc in chars.filter_map(script_of) {
        n[usize::from(sc)] += 1;
    }
    n[9] += n[8];
    n[8] = 0;
    let (i, &max) = n.iter().enumerate().max_by_key(|&(_, &v)| v)?;
    (max > 0).then_some(i as u8)
}

/// The CJK encodings tried when the first guess does not decode cleanly.
const CJK_CANDIDATES: [&Encoding; 5] = [
    encoding_rs::GB18030,
    encoding_rs::BIG5,
    encoding_rs::SHIFT_JIS,
    encoding_rs::EUC_KR,
    encoding_rs::EUC_JP,
];

/// Hangul syllables of a decoded text, and how many of them are among the
/// 2350 of KS X 1001 (the syllables of everyday Korean; the other 8822 are
/// rare, and common in Korean bytes read with the wrong Korean encoding).
#[derive(Debug, Default, PartialEq)]
struct HangulStats {
    non_ascii: usize,
    hangul: usize,
    common: usize,
}

impl HangulStats {
    fn of(text: &str) -> HangulStats {
        let mut st = HangulStats::default();
        for c in text.chars().filter(|c| !c.is_ascii() && *c != '\u{FFFD}') {
            st.non_ascii += 1;
            let u = c as u32;
            if (0xAC00..=0xD7A3).contains(&u) {
                st.hangul += 1;
                st.common += usize::from(is_common_syllable(c));
            }
        }
        st
    }

    /// Reads as Korean: a few syllables at least, Hangul at least a quarter
    /// of the non-ASCII characters (the rest box drawing, hanja, symbols),
    /// and 95% of the syllables common ones.
    fn korean(&self) -> bool {
        self.hangul >= 4
            && self.hangul * 4 >= self.non_ascii
            && self.common * 20 >= self.hangul * 19
    }
}

/// Whether a Hangul syllable is one of KS X 1001's 2350 (EUC-KR lead bytes
/// 0xB0..=0xC8, trail bytes 0xA1..=0xFE), from a bitmap built once by
/// decoding those pairs.
fn is_common_syllable(c: char) -> bool {
    static COMMON: std::sync::OnceLock<Vec<u64>> = std::sync::OnceLock::new();
    let bits = COMMON.get_or_init(|| {
        let mut pairs = Vec::with_capacity(2350 * 2);
        for lead in 0xB0..=0xC8u8 {
            for trail in 0xA1..=0xFEu8 {
                pairs.extend([lead, trail]);
            }
        }
        let (text, _) = encoding_rs::EUC_KR.decode_without_bom_handling(&pairs);
        let mut bits = vec![0u64; 11172usize.div_ceil(64)];
        for c in text.chars() {
            if let Some(i) = (c as usize).checked_sub(0xAC00).filter(|&i| i < 11172) {
                bits[i / 64] |= 1 << (i % 64);
            }
        }
        bits
    });
    (c as usize)
        .checked_sub(0xAC00)
        .filter(|&i| i < 11172)
        .is_some_and(|i| bits[i / 64] & (1 << (i % 64)) != 0)
}

/// The sample of `bytes` decoded as `charset` reads as Korean.
fn reads_as_korean(bytes: &[u8], charset: Charset) -> bool {
    let sample = &bytes[..bytes.len().min(MODEL_SAMPLE_LEN)];
    HangulStats::of(&decode::decode(sample, charset, 0).text).korean()
}

/// After `first` decoded `bytes` cleanly: is the buffer Johab instead? Asked
/// only when `first` is a single-byte encoding (every byte defined, so a
/// clean decode proves little) or EUC-KR whose text is not plausible Korean.
fn johab_instead(bytes: &[u8], first: Charset) -> bool {
    let euc_kr = first == Charset::Whatwg(encoding_rs::EUC_KR);
    if !(is_single_byte(first) || euc_kr) || !bytes.iter().any(|&b| b >= 0x84) {
        return false;
    }
    if euc_kr && reads_as_korean(bytes, first) {
        return false;
    }
    decode::johab_malformed_upto(bytes, 0) == 0 && reads_as_korean(bytes, Charset::Johab)
}

/// The WHATWG single-byte encodings that compete with each other (and with
/// the IBM/DOS code pages of [`codepages::ALL`]) when chardetng picks one.
/// ISO-8859-3, -10, -14 and -16 are left out: rare in the wild, and each
/// differs from a common encoding only in letters the models know loosely.
const SINGLE_BYTE: [&Encoding; 22] = [
    encoding_rs::WINDOWS_1250,
    encoding_rs::WINDOWS_1251,
    encoding_rs::WINDOWS_1252,
    encoding_rs::WINDOWS_1253,
    encoding_rs::WINDOWS_1254,
    encoding_rs::WINDOWS_1255,
    encoding_rs::WINDOWS_1256,
    encoding_rs::WINDOWS_1257,
    encoding_rs::WINDOWS_874,
    encoding_rs::ISO_8859_2,
    encoding_rs::ISO_8859_4,
    encoding_rs::ISO_8859_5,
    encoding_rs::ISO_8859_6,
    encoding_rs::ISO_8859_7,
    encoding_rs::ISO_8859_8,
    encoding_rs::ISO_8859_13,
    encoding_rs::ISO_8859_15,
    encoding_rs::KOI8_R,
    encoding_rs::KOI8_U,
    encoding_rs::IBM866,
    encoding_rs::X_MAC_CYRILLIC,
    encoding_rs::MACINTOSH,
];

/// Bytes of the sample the language model reads.
const MODEL_SAMPLE_LEN: usize = 64 * 1024;

fn is_single_byte(c: Charset) -> bool {
    match c {
        Charset::CodePage(_) => true,
        Charset::Whatwg(e) => SINGLE_BYTE.contains(&e),
        _ => false,
    }
}

/// Rescore every single-byte candidate on a sample; return the most
/// plausible one when it beats `first` by a clear margin (32 bits plus one
/// bit per byte of the sample the two decode differently), else `first`: chardetng is right
/// far more often than not, and a few bytes are no evidence.
fn rescore(bytes: &[u8], first: Charset) -> Charset {
    let sample = &bytes[..bytes.len().min(MODEL_SAMPLE_LEN)];
    let non_ascii = sample.iter().filter(|b| !b.is_ascii()).count() as u64;
    if non_ascii == 0 {
        return first;
    }
    let score = |c: Charset| {
        let d = decode::decode(sample, c, 0);
        // An undefined byte is as bad as several unseen letter pairs.
        model::cost(&d.text) + d.malformed as u64 * 400
    };
    let first_cost = score(first);
    let candidates = SINGLE_BYTE
        .iter()
        .map(|&e| Charset::Whatwg(e))
        .chain(codepages::ALL.iter().map(|&cp| Charset::CodePage(cp)));
    let mut best = (first, first_cost);
    for c in candidates {
        if c == first {
            continue;
        }
        let cost = score(c);
        if cost < best.1 {
            best = (c, cost);
        }
    }
    // Evidence only comes from bytes the two decode differently.
    let differing = sample
        .iter()
        .filter(|&&b| !b.is_ascii() && byte_char(first, b) != byte_char(best.0, b))
        .count() as u64;
    if best.1 + 128 + differing * 4 < first_cost {
        best.0
    } else {
        first
    }
}

/// The character one byte decodes to in a single-byte charset.
fn byte_char(c: Charset, b: u8) -> char {
    decode::decode(&[b], c, 0)
        .text
        .chars()
        .next()
        .unwrap_or('\u{FFFD}')
}

/// Malformed sequences of `bytes` as `charset`, counting no further than
/// `limit` + 1 (the caller only needs to know whether it beats `limit`).
fn malformed_upto(bytes: &[u8], charset: Charset, limit: usize) -> usize {
    if charset == Charset::Johab {
        return decode::johab_malformed_upto(bytes, limit);
    }
    let Charset::Whatwg(enc) = charset else {
        return decode::malformed_count(bytes, charset);
    };
    let enc = if enc == encoding_rs::GBK {
        encoding_rs::GB18030
    } else {
        enc
    };
    let mut decoder = enc.new_decoder_without_bom_handling();
    let mut buf = [0u8; 16 * 1024];
    let mut rest = bytes;
    let mut bad = 0usize;
    loop {
        let (result, read, _) = decoder.decode_to_utf8_without_replacement(rest, &mut buf, true);
        rest = rest.get(read..).unwrap_or(&[]);
        match result {
            encoding_rs::DecoderResult::InputEmpty => return bad,
            encoding_rs::DecoderResult::OutputFull => {}
            encoding_rs::DecoderResult::Malformed(_, _) => {
                bad += 1;
                if bad > limit {
                    return bad;
                }
            }
        }
    }
}

fn guess(bytes: &[u8]) -> Detection {
    let mut det = EncodingDetector::new(Iso2022JpDetection::Allow);
    let sample_is_prefix = bytes.len() > SAMPLE_LEN;
    let sample = &bytes[..bytes.len().min(SAMPLE_LEN)];
    det.feed(sample, !sample_is_prefix);
    let guessed = Charset::Whatwg(det.guess(None, Utf8Detection::Allow));
    let found = |charset, confidence, method| Detection {
        charset,
        confidence,
        method,
        bom_len: 0,
    };
    let (first, method) = if is_single_byte(guessed) {
        let c = rescore(bytes, guessed);
        (
            c,
            if c == guessed {
                Method::Guess
            } else {
                Method::Rescored
            },
        )
    } else {
        (guessed, Method::Guess)
    };
    let first_bad = malformed_upto(bytes, first, 0);
    if first_bad == 0 {
        if johab_instead(bytes, first) {
            return found(Charset::Johab, 0.7, Method::Plausible);
        }
        return found(first, 0.8, method);
    }
    let first_bad = decode::malformed_count(bytes, first);
    let mut best = (first, first_bad);
    for enc in CJK_CANDIDATES {
        let c = Charset::Whatwg(enc);
        if c == first {
            continue;
        }
        let bad = malformed_upto(bytes, c, best.1);
        if bad < best.1 {
            best = (c, bad);
        }
    }
    // Johab last, so that it must beat every WHATWG candidate (EUC-KR
    // above all), and only when it reads as Korean.
    let bad = malformed_upto(bytes, Charset::Johab, best.1);
    if bad < best.1 && reads_as_korean(bytes, Charset::Johab) {
        best = (Charset::Johab, bad);
    }
    if best.1 == 0 {
        found(best.0, 0.6, Method::Verified)
    } else {
        found(best.0, 0.3, Method::Lossy)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enc(e: &'static encoding_rs::Encoding, s: &str) -> Vec<u8> {
        e.encode(s).0.into_owned()
    }

    #[test]
    fn boms() {
        let d = detect(&[0xFF, 0xFE, 0x2D, 0x4E]).unwrap();
        assert_eq!(
            (d.charset.name(), d.method, d.bom_len),
            ("utf-16le".into(), Method::Bom, 2)
        );
        let d = detect(&[0xFF, 0xFE, 0, 0, 0x2D, 0x4E, 0, 0]).unwrap();
        assert_eq!((d.charset, d.bom_len), (Charset::Utf32Le, 4));
        let d = detect(b"\xEF\xBB\xBFabc").unwrap();
        assert_eq!((d.charset, d.bom_len), (Charset::UTF8, 3));
    }

    #[test]
    fn utf16_without_bom() {
        let s = "Hello, world. Привет, мир. This line is plain text.\n";
        let le: Vec<u8> = s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        let be: Vec<u8> = s.encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
        assert_eq!(detect(&le).unwrap().charset.name(), "utf-16le");
        assert_eq!(detect(&be).unwrap().charset.name(), "utf-16be");
    }

    #[test]
    fn binary_is_refused() {
        let bytes =
            b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x3e\x00zz\x01\x00";
        assert!(matches!(
            detect(bytes),
            Err(DetectError::Binary { first_nul: 7 })
        ));
    }

    #[test]
    fn cjk_legacy_encodings() {
        let zh = "这是一次突如其来的危机，也是一场需要沉着应战的大考。疫情如火，来势汹汹。攻坚克难斩断传播链条，压实责任守牢第一防线。";
        assert_eq!(
            detect(&enc(encoding_rs::GBK, zh)).unwrap().charset.name(),
            "gbk"
        );
        let tw = "這是一次突如其來的危機，也是一場需要沉著應戰的大考。疫情如火，來勢洶洶。攻堅克難斬斷傳播鏈條，壓實責任守牢第一防線。";
        assert_eq!(
            detect(&enc(encoding_rs::BIG5, tw)).unwrap().charset.name(),
            "big5"
        );
        let ja =
            "日本語の文章です。これは文字コードの判定のためのテストです。東京都に住んでいます。";
        assert_eq!(
            detect(&enc(encoding_rs::SHIFT_JIS, ja))
                .unwrap()
                .charset
                .name(),
            "shift_jis"
        );
        let ko =
            "한국어 문장입니다. 이것은 문자 인코딩 판정을 위한 시험입니다. 서울에 살고 있습니다.";
        assert_eq!(
            detect(&enc(encoding_rs::EUC_KR, ko))
                .unwrap()
                .charset
                .name(),
            "euc-kr"
        );
    }

    /// Legacy lines whose bytes happen to include valid UTF-8 (box drawing
    /// in Johab reads as Arabic marks) are not mixed; real UTF-8 lines of the
    /// same script are.
    #[test]
    fn mixed_needs_lines_of_text() {
        let ar = "هذا نص عربي قصير لاختبار الترميز، ونحن نكتب جملة أخرى هنا.\n";
        let legacy = enc(encoding_rs::WINDOWS_1256, ar).repeat(3);
        let boxes =
            "  \u{6E3}\u{6E1}\u{6E1}\u{6E1}\u{6E1}\u{6E1}\u{6E4}\n  \u{6E6}\u{6E1}\u{6E1}\u{6E5}\n";
        let fake = [legacy.as_slice(), boxes.repeat(3).as_bytes(), &legacy].concat();
        assert!(mixed(&fake).is_none());
        let real = [legacy.as_slice(), ar.as_bytes(), ar.as_bytes(), &legacy].concat();
        assert_eq!(
            mixed(&real).map(|d| d.charset),
            Some(Charset::Mixed(encoding_rs::WINDOWS_1256))
        );
    }

    #[test]
    fn common_syllables() {
        assert!(is_common_syllable('한'));
        assert!(is_common_syllable('가'));
        assert!(!is_common_syllable('똠'));
        assert!(!is_common_syllable('a'));
        assert!(!is_common_syllable('\u{D7A4}'));
    }

    #[test]
    fn utf8_and_ascii() {
        assert_eq!(
            detect("中文 text".as_bytes()).unwrap().method,
            Method::ValidUtf8
        );
        assert_eq!(detect(b"plain").unwrap().method, Method::Ascii);
        assert_eq!(detect(b"").unwrap().method, Method::Empty);
    }
}
