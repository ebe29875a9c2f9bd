//! Byte-level code pages for the CJK repairs: per-character encoders that
//! report unencodable characters, and decoders that report errors
//! position by position and can fill in lost bytes ("wild" bytes) with every
//! value consistent with how the damage happened.
//!
//! The double-byte tables are built once, lazily, by decoding every two-byte
//! sequence with `encoding_rs`.

use std::collections::HashMap;
use std::sync::OnceLock;

/// A byte of re-encoded text: a known value, a lost byte (`WILD`, from a
/// U+FFFD) or a `?` that may stand for a lost byte (`QMARK`).
pub type B = u16;
/// A lost byte.
pub const WILD: B = 256;
/// A `?` that was perhaps written for an unencodable lost byte.
pub const QMARK: B = 257;

/// The code pages involved in the repairs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cp {
    Utf8,
    Gbk,
    Big5,
    Sjis,
    EucKr,
    EucJp,
    /// cp1252 with latin-1 for its five undefined bytes (a sloppy decoder).
    Cp1252,
}

struct Dbcs {
    /// char for `lead << 8 | trail`, 0 when invalid.
    dec2: Vec<u32>,
    /// char for a single byte >= 0x80, 0 when none.
    dec1: [u32; 256],
    enc: HashMap<char, u16>,
}

fn rs(cp: Cp) -> &'static encoding_rs::Encoding {
    match cp {
        Cp::Gbk => encoding_rs::GBK,
        Cp::Big5 => encoding_rs::BIG5,
        Cp::Sjis => encoding_rs::SHIFT_JIS,
        Cp::EucKr => encoding_rs::EUC_KR,
        Cp::EucJp => encoding_rs::EUC_JP,
        Cp::Utf8 => encoding_rs::UTF_8,
        Cp::Cp1252 => encoding_rs::WINDOWS_1252,
    }
}

fn build(cp: Cp) -> Dbcs {
    let e = rs(cp);
    let mut d = Dbcs {
        dec2: vec![0; 0x10000],
        dec1: [0; 256],
        enc: HashMap::new(),
    };
    let one = |bytes: &[u8]| -> Option<char> {
        let s = e.decode_without_bom_handling_and_without_replacement(bytes)?;
        let mut it = s.chars();
        let c = it.next()?;
        (it.next().is_none() && !c.is_ascii()).then_some(c)
    };
    for b in 0x80..=0xFFu16 {
        let by = b as u8;
        let single = match cp {
            Cp::Gbk => by == 0x80,
            Cp::Sjis => (0xA1..=0xDF).contains(&by),
            _ => false,
        };
        if single && let Some(c) = one(&[by]) {
            d.dec1[b as usize] = c as u32;
            d.enc.entry(c).or_insert(b);
        }
    }
    for lead in 0x81..=0xFEu16 {
        for trail in 0x40..=0xFEu16 {
            if let Some(c) = one(&[lead as u8, trail as u8]) {
                let code = (lead << 8) | trail;
                d.dec2[code as usize] = c as u32;
                d.enc.entry(c).or_insert(code);
            }
        }
    }
    // Python's codecs decode a few codes differently from WHATWG's.
    let aliases: &[(char, char)] = match cp {
        Cp::Gbk => &[('\u{2015}', '\u{2014}'), ('\u{30FB}', '\u{00B7}')],
        Cp::Sjis => &[
            ('\u{301C}', '\u{FF5E}'),
            ('\u{2016}', '\u{2225}'),
            ('\u{2212}', '\u{FF0D}'),
        ],
        Cp::EucJp => &[
            ('\u{301C}', '\u{FF5E}'),
            ('\u{2016}', '\u{2225}'),
            ('\u{2212}', '\u{FF0D}'),
        ],
        _ => &[],
    };
    for &(alias, canon) in aliases {
        if let Some(&code) = d.enc.get(&canon) {
            d.enc.entry(alias).or_insert(code);
        }
    }
    d
}

fn dbcs(cp: Cp) -> &'static Dbcs {
    static T: [OnceLock<Dbcs>; 5] = [
        OnceLock::new(),
        OnceLock::new(),
        OnceLock::new(),
        OnceLock::new(),
        OnceLock::new(),
    ];
    let i = match cp {
        Cp::Gbk => 0,
        Cp::Big5 => 1,
        Cp::Sjis => 2,
        Cp::EucKr => 3,
        _ => 4,
    };
    T[i].get_or_init(|| build(cp))
}

/// cp1252 bytes 0x80..=0x9F (undefined ones as C1 controls, as latin-1 reads them).
const CP1252_HIGH: [char; 32] = [
    '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž', '\u{8F}',
    '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}', 'ž', 'Ÿ',
];

fn cp1252_encode(c: char) -> Option<u8> {
    let cp = c as u32;
    if cp < 0x80 || (0xA0..=0xFF).contains(&cp) {
        return Some(cp as u8);
    }
    CP1252_HIGH
        .iter()
        .position(|&x| x == c)
        .map(|i| 0x80 + i as u8)
}

/// Can `cp` encode `c`? (U+FFFD always can: it becomes a lost byte.)
pub fn can_encode(cp: Cp, c: char) -> bool {
    if c.is_ascii() || c == '\u{FFFD}' {
        return true;
    }
    match cp {
        Cp::Utf8 => true,
        Cp::Cp1252 => cp1252_encode(c).is_some(),
        _ => dbcs(cp).enc.contains_key(&c),
    }
}

/// Append the bytes of `c` in `cp` to `out`; false when unencodable.
pub fn encode_char(cp: Cp, c: char, out: &mut Vec<B>) -> bool {
    if c == '?' {
        out.push(QMARK);
        return true;
    }
    if c.is_ascii() {
        out.push(c as B);
        return true;
    }
    if c == '\u{FFFD}' {
        out.push(WILD);
        return true;
    }
    match cp {
        Cp::Utf8 => {
            let mut buf = [0u8; 4];
            out.extend(c.encode_utf8(&mut buf).bytes().map(B::from));
            true
        }
        Cp::Cp1252 => match cp1252_encode(c) {
            Some(b) => {
                out.push(b as B);
                true
            }
            None => false,
        },
        _ => match dbcs(cp).enc.get(&c) {
            Some(&code) if code > 0xFF => {
                out.push(code >> 8);
                out.push(code & 0xFF);
                true
            }
            Some(&code) => {
                out.push(code);
                true
            }
            None => false,
        },
    }
}

/// A double-byte code page (its decoder rejects bytes one at a time).
fn is_dbcs(cp: Cp) -> bool {
    matches!(cp, Cp::Gbk | Cp::Big5 | Cp::Sjis | Cp::EucKr | Cp::EucJp)
}

fn is_lead(cp: Cp, b: u8) -> bool {
    match cp {
        Cp::Sjis => matches!(b, 0x81..=0x9F | 0xE0..=0xFC),
        Cp::EucJp => matches!(b, 0x8E | 0xA1..=0xFE),
        Cp::Utf8 => matches!(b, 0xC2..=0xF4),
        Cp::Cp1252 => false,
        _ => (0x81..=0xFE).contains(&b),
    }
}

/// Would the decoder `src` (the one that produced the mojibake) have failed
/// on byte `b` followed by `next`? Only such bytes can hide behind a U+FFFD.
pub fn src_fails(src: Cp, b: u8, next: Option<B>) -> bool {
    if b < 0x80 {
        return false;
    }
    match src {
        Cp::Cp1252 => matches!(b, 0x81 | 0x8D | 0x8F | 0x90 | 0x9D),
        Cp::Utf8 => true,
        // Python's GBK codec rejects 0x80 (WHATWG's reads it as €).
        Cp::Gbk if b == 0x80 => true,
        _ => {
            let d = dbcs(src);
            if d.dec1[b as usize] != 0 && !is_lead(src, b) {
                return false;
            }
            if !is_lead(src, b) {
                return true;
            }
            // Python's codecs reject the user-defined areas that WHATWG maps
            // to the private use area.
            match next {
                Some(t) if t < 256 => {
                    let c = d.dec2[((b as usize) << 8) | t as usize];
                    c == 0
                        || (0xE000..=0xF8FF).contains(&c)
                        || (src == Cp::Gbk && gb18030_only(u16::from(b) << 8 | t))
                }
                _ => true,
            }
        }
    }
}

/// The two-byte codes that WHATWG's GBK decoder (GB18030) maps but the GBK
/// decoders that make mojibake reject (Python's `gbk`, Windows cp936): the
/// euro sign at A2E3, the vertical forms, ideographic description characters
/// and the radicals and CJK extension A characters of the FE row. Listed by
/// comparing `encoding_rs` with Python's codec over every two-byte sequence.
fn gb18030_only(code: u16) -> bool {
    matches!(
        code,
        0xA2E3
            | 0xA3A0
            | 0xA6D9..=0xA6DF
            | 0xA6EC..=0xA6ED
            | 0xA6F3
            | 0xA8BC
            | 0xA8BF
            | 0xA989..=0xA995
            | 0xFE50
            | 0xFE54..=0xFE6B
            | 0xFE6D..=0xFE75
            | 0xFE77..=0xFE7E
            | 0xFE80..=0xFE90
            | 0xFE92..=0xFEA0
    )
}

/// One decoded unit: the bytes `start..end` of the buffer and the characters
/// they may stand for (one when known; several when a lost byte had to be
/// guessed; none for a decoding error).
#[derive(Clone, Debug)]
pub struct Tok {
    pub start: usize,
    pub end: usize,
    pub cands: Vec<char>,
}

fn wild_values(buf: &[B], i: usize, src: Cp, range: std::ops::RangeInclusive<u8>) -> Vec<u8> {
    let next = buf.get(i + 1).copied();
    let vals: Vec<u8> = range.clone().filter(|&b| src_fails(src, b, next)).collect();
    if vals.is_empty() {
        range.collect()
    } else {
        vals
    }
}

/// Decode `buf` with `cp`. `src` is the code page whose decoder made the
/// mojibake (it constrains the values of lost bytes). `open_end`: the buffer
/// stops at the end of a run, so an incomplete last character may have lost
/// its last byte.
pub fn decode(buf: &[B], cp: Cp, src: Cp, open_end: bool) -> Vec<Tok> {
    match cp {
        Cp::Utf8 => decode_utf8(buf, src, open_end),
        Cp::Cp1252 => buf
            .iter()
            .enumerate()
            .map(|(i, &b)| Tok {
                start: i,
                end: i + 1,
                cands: match b {
                    WILD => vec![],
                    QMARK => vec!['?'],
                    0x80..=0x9F => vec![CP1252_HIGH[(b - 0x80) as usize]],
                    _ => vec![char::from(b as u8)],
                },
            })
            .collect(),
        _ => decode_dbcs(buf, cp, src, open_end),
    }
}

fn decode_dbcs(buf: &[B], cp: Cp, src: Cp, open_end: bool) -> Vec<Tok> {
    let d = dbcs(cp);
    let mut out = Vec::with_capacity(buf.len());
    let mut i = 0;
    let pair = |l: u8, t: u8| {
        char::from_u32(d.dec2[((l as usize) << 8) | t as usize]).filter(|&c| c != '\0')
    };
    while i < buf.len() {
        let b = buf[i];
        let tok = |end: usize, cands: Vec<char>| Tok {
            start: i,
            end,
            cands,
        };
        let t = match b {
            QMARK => tok(i + 1, vec!['?']),
            WILD => match buf.get(i + 1) {
                Some(&t) if (0x40..256).contains(&t) => {
                    let cands: Vec<char> = wild_values(buf, i, src, 0x81..=0xFE)
                        .into_iter()
                        .filter_map(|l| pair(l, t as u8))
                        .collect();
                    if cands.is_empty() {
                        tok(i + 1, vec![])
                    } else {
                        tok(i + 2, cands)
                    }
                }
                // Two lost bytes in a row: the decoder that made the
                // mojibake (one U+FFFD per rejected byte, as Python's CJK
                // codecs do) lost one whole double-byte character here.
                // It stays lost, but as one U+FFFD, not two.
                Some(&WILD) if is_dbcs(src) => tok(i + 2, vec!['\u{FFFD}']),
                _ => tok(i + 1, vec![]),
            },
            _ if b < 0x80 => tok(i + 1, vec![char::from(b as u8)]),
            _ if d.dec1[b as usize] != 0 => tok(
                i + 1,
                char::from_u32(d.dec1[b as usize]).into_iter().collect(),
            ),
            _ if is_lead(cp, b as u8) => match buf.get(i + 1) {
                Some(&t) if t < 256 => match pair(b as u8, t as u8) {
                    Some(c) => tok(i + 2, vec![c]),
                    None => tok(i + 1, vec![]),
                },
                Some(&t) => {
                    let vals: Vec<u8> = if t == WILD {
                        wild_values(buf, i + 1, src, 0x80..=0xFE)
                    } else {
                        (0x40..=0xFE).collect()
                    };
                    let cands: Vec<char> =
                        vals.into_iter().filter_map(|t| pair(b as u8, t)).collect();
                    if cands.is_empty() {
                        tok(i + 1, vec![])
                    } else {
                        tok(i + 2, cands)
                    }
                }
                None if open_end => {
                    let cands: Vec<char> =
                        (0x40..=0xFEu8).filter_map(|t| pair(b as u8, t)).collect();
                    tok(i + 1, cands)
                }
                None => tok(i + 1, vec![]),
            },
            _ => tok(i + 1, vec![]),
        };
        i = t.end;
        out.push(t);
    }
    out
}

fn utf8_len(b: u8) -> usize {
    match b {
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => 0,
    }
}

fn decode_utf8(buf: &[B], src: Cp, open_end: bool) -> Vec<Tok> {
    let mut out = Vec::with_capacity(buf.len());
    let mut i = 0;
    while i < buf.len() {
        let b = buf[i];
        let tok = |end: usize, cands: Vec<char>| Tok {
            start: i,
            end,
            cands,
        };
        let t = match b {
            QMARK => tok(i + 1, vec!['?']),
            WILD => tok(i + 1, vec![]),
            _ if b < 0x80 => tok(i + 1, vec![char::from(b as u8)]),
            _ => {
                let n = utf8_len(b as u8);
                if n == 0 {
                    tok(i + 1, vec![])
                } else {
                    // Gather the continuation bytes; each position holds the
                    // set of values it may take.
                    let mut slots: Vec<Vec<u8>> = vec![vec![b as u8]];
                    let mut j = i + 1;
                    let mut ok = true;
                    while slots.len() < n {
                        match buf.get(j) {
                            Some(&c) if c < 256 && (0x80..=0xBF).contains(&c) => {
                                slots.push(vec![c as u8]);
                                j += 1;
                            }
                            Some(&c) if c == WILD || c == QMARK => {
                                // A lost byte: it covers the rest of this
                                // character when no continuation follows.
                                let vals = if c == WILD {
                                    wild_values(buf, j, src, 0x80..=0xBF)
                                } else {
                                    (0x80..=0xBF).collect()
                                };
                                // Python's double-byte codecs write one U+FFFD per
                                // byte they reject, so a second lost byte right
                                // after is the next continuation byte.
                                let follows_cont = match buf.get(j + 1) {
                                    Some(&x) if x < 256 => (0x80..=0xBF).contains(&x),
                                    Some(&WILD) => is_dbcs(src),
                                    _ => false,
                                };
                                j += 1;
                                slots.push(vals);
                                if !follows_cont {
                                    while slots.len() < n {
                                        slots.push((0x80..=0xBF).collect());
                                    }
                                }
                            }
                            None if open_end && slots.len() + 1 == n && n >= 3 => {
                                slots.push((0x80..=0xBF).collect());
                            }
                            _ => {
                                ok = false;
                                break;
                            }
                        }
                    }
                    let combos: usize = slots.iter().map(Vec::len).product();
                    if !ok || combos == 0 || combos > 4096 {
                        tok(i + 1, vec![])
                    } else {
                        let mut cands = Vec::new();
                        let mut bytes = [0u8; 4];
                        for mut k in 0..combos {
                            for (s, slot) in slots.iter().enumerate() {
                                bytes[s] = slot[k % slot.len()];
                                k /= slot.len();
                            }
                            if let Ok(s) = std::str::from_utf8(&bytes[..n])
                                && let Some(c) = s.chars().next()
                            {
                                cands.push(c);
                            }
                        }
                        if cands.is_empty() {
                            tok(i + 1, vec![])
                        } else {
                            tok(j, cands)
                        }
                    }
                }
            }
        };
        i = t.end;
        out.push(t);
    }
    out
}
