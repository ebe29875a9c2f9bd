//! Detection: which character set are these bytes in?
//!
//! The order of evidence, strongest first:
//! 1. a byte order mark (UTF-8, UTF-32LE/BE, UTF-16LE/BE);
//! 2. the whole buffer is valid UTF-8 (one fast scan);
//! 3. the NUL pattern of UTF-16/UTF-32 without a BOM;
//! 4. NUL bytes that fit no such pattern: binary, refused;
//! 5. `chardetng` on a bounded sample, then verified by decoding the whole
//!    buffer; when the guess leaves malformed sequences, the CJK encodings are
//!    tried and the one with the fewest malformed sequences wins.
//!
//! Detection only reads; it never decodes into a kept buffer except to verify.

use crate::decode::{self, Charset};
use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};

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
        if bytes.is_ascii() && memchr::memchr(0x1B, bytes).is_none() {
            return Ok(found(Charset::UTF8, 1.0, Method::Ascii));
        }
        if std::str::from_utf8(bytes).is_ok() {
            return Ok(found(Charset::UTF8, 1.0, Method::ValidUtf8));
        }
    }
    if let Some(first_nul) = first_nul {
        return match nul_pattern(bytes) {
            Some(charset) => Ok(found(charset, 0.9, Method::NulPattern)),
            None => Err(DetectError::Binary { first_nul }),
        };
    }
    Ok(guess(bytes))
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

/// The CJK encodings tried when the first guess does not decode cleanly.
const CJK_CANDIDATES: [&encoding_rs::Encoding; 5] = [
    encoding_rs::GB18030,
    encoding_rs::BIG5,
    encoding_rs::SHIFT_JIS,
    encoding_rs::EUC_KR,
    encoding_rs::EUC_JP,
];

fn guess(bytes: &[u8]) -> Detection {
    let mut det = EncodingDetector::new(Iso2022JpDetection::Allow);
    let sample_is_prefix = bytes.len() > SAMPLE_LEN;
    let sample = &bytes[..bytes.len().min(SAMPLE_LEN)];
    det.feed(sample, !sample_is_prefix);
    let first = Charset::Whatwg(det.guess(None, Utf8Detection::Allow));
    let first_bad = decode::malformed_count(bytes, first);
    let found = |charset, confidence, method| Detection {
        charset,
        confidence,
        method,
        bom_len: 0,
    };
    if first_bad == 0 {
        return found(first, 0.8, Method::Guess);
    }
    let mut best = (first, first_bad);
    for enc in CJK_CANDIDATES {
        let c = Charset::Whatwg(enc);
        if c == first {
            continue;
        }
        let bad = decode::malformed_count(bytes, c);
        if bad < best.1 {
            best = (c, bad);
        }
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
