//! Byte- and character-level helpers of the re-decoding: ftfy's
//! `restore_byte_a0`, `replace_lossy_sequences` and `UTF8_DETECTOR_RE`
//! (ftfy 6, Apache-2.0, (c) Robyn Speer), written as small hand matchers.

use super::badness::class;
use super::tables::{U8_CONT, U8_CONT_STRICT, U8_FIRST2, U8_FIRST3, U8_FIRST4};
use std::ops::Range;

fn cont_no_a0(b: u8) -> bool {
    matches!(b, 0x80..=0x84 | 0x86..=0x9F | 0xA1..=0xBF)
}

fn cont(b: u8) -> bool {
    matches!(b, 0x80..=0xBF)
}

/// Length of a match of ftfy's `ALTERED_UTF8_RE` at `i`: a UTF-8 sequence
/// whose 0xA0 byte was replaced by an ASCII space.
fn altered_at(b: &[u8], i: usize) -> Option<usize> {
    let g = |k: usize| b.get(i + k).copied();
    let b0 = g(0)?;
    if matches!(b0, 0xC2 | 0xC3 | 0xC5 | 0xCE | 0xD0 | 0xD9) && g(1) == Some(b' ') {
        return Some(2);
    }
    if matches!(b0, 0xE2 | 0xE3) && g(1) == Some(b' ') && g(2).is_some_and(cont_no_a0) {
        return Some(3);
    }
    if matches!(b0, 0xE0..=0xE3) && g(1).is_some_and(cont_no_a0) && g(2) == Some(b' ') {
        return Some(3);
    }
    if b0 == 0xF0 {
        let (x, y, z) = (g(1), g(2), g(3));
        let c = |v: Option<u8>| v.is_some_and(cont);
        let sp = |v: Option<u8>| v == Some(b' ');
        if (sp(x) && c(y) && c(z)) || (c(x) && sp(y) && c(z)) || (c(x) && c(y) && sp(z)) {
            return Some(4);
        }
    }
    None
}

/// Whether the bytes contain a UTF-8 sequence with 0xA0 turned into a space.
pub fn has_altered_utf8(b: &[u8]) -> bool {
    (0..b.len()).any(|i| altered_at(b, i).is_some())
}

/// Put back byte 0xA0 where a no-break space inside a UTF-8 sequence was
/// turned into a plain space (`voilÃ le` → `voilà le`): first `C3 20` before a
/// word becomes `C3 A0 20` (à followed by a space, except before the
/// Portuguese words ftfy lists), then every `ALTERED_UTF8_RE` match gets its
/// spaces turned back into 0xA0.
pub fn restore_byte_a0(b: &[u8]) -> Vec<u8> {
    let mut grave = Vec::with_capacity(b.len() + 4);
    let mut i = 0;
    while i < b.len() {
        if b[i] == 0xC3 && b.get(i + 1) == Some(&b' ') {
            let rest = &b[i + 2..];
            let exempt = [&b" "[..], b"quele", b"quela", b"quilo", b"s "]
                .iter()
                .any(|w| rest.starts_with(w));
            if !exempt {
                grave.extend_from_slice(&[0xC3, 0xA0, b' ']);
                i += 2;
                continue;
            }
        }
        grave.push(b[i]);
        i += 1;
    }
    let mut out = Vec::with_capacity(grave.len());
    let mut i = 0;
    while i < grave.len() {
        if let Some(n) = altered_at(&grave, i) {
            out.extend(
                grave[i..i + n]
                    .iter()
                    .map(|&x| if x == b' ' { 0xA0 } else { x }),
            );
            i += n;
        } else {
            out.push(grave[i]);
            i += 1;
        }
    }
    out
}

/// Length of a match of ftfy's `LOSSY_UTF8_RE` at `i`: a UTF-8-looking
/// sequence with bytes lost (0x1A from a sloppy `�`, or `?`).
fn lossy_at(b: &[u8], i: usize) -> Option<usize> {
    let g = |k: usize| b.get(i + k).copied();
    let lost = |v: Option<u8>| matches!(v, Some(0x1A | b'?'));
    let sub_or_cont = |v: Option<u8>| matches!(v, Some(0x1A | 0x80..=0xBF));
    let any = |v: Option<u8>| matches!(v, Some(0x1A | b'?' | 0x80..=0xBF));
    let b0 = g(0)?;
    if matches!(b0, 0xC2..=0xDF) && g(1) == Some(0x1A) {
        return Some(2);
    }
    if matches!(b0, 0xC2..=0xC3) && g(1) == Some(b'?') {
        return Some(2);
    }
    if b0 == 0xED {
        let hi = matches!(g(1), Some(0xA0..=0xAF));
        let ed = g(3) == Some(0xED);
        let lo = matches!(g(4), Some(0xB0..=0xBF));
        if hi && ed && lo && ((lost(g(2)) && any(g(5))) || (any(g(2)) && lost(g(5)))) {
            return Some(6);
        }
    }
    if matches!(b0, 0xE0..=0xEF)
        && ((lost(g(1)) && sub_or_cont(g(2))) || (sub_or_cont(g(1)) && lost(g(2))))
    {
        return Some(3);
    }
    if matches!(b0, 0xF0..=0xF4) {
        let (x, y, z) = (g(1), g(2), g(3));
        if (lost(x) && sub_or_cont(y) && sub_or_cont(z))
            || (sub_or_cont(x) && lost(y) && sub_or_cont(z))
            || (sub_or_cont(x) && sub_or_cont(y) && lost(z))
        {
            return Some(4);
        }
    }
    if b0 == 0x1A {
        return Some(1);
    }
    None
}

/// Replace UTF-8-looking sequences that lost bytes (to `�`, encoded by the
/// sloppy code pages as 0x1A, or to `?`) with the UTF-8 of U+FFFD, so the
/// rest of the text can still be decoded: `â€œ like this â€�` → `“ like this
/// �`.
pub fn replace_lossy_sequences(b: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if let Some(n) = lossy_at(b, i) {
            out.extend_from_slice("\u{FFFD}".as_bytes());
            i += n;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    out
}

/// Byte ranges of the matches of ftfy's `UTF8_DETECTOR_RE`: maximal runs of
/// characters that look like a UTF-8 lead byte followed by the right number
/// of continuation bytes in some code page, not preceded by a (strict)
/// continuation-looking character.
pub fn utf8_detector_runs(text: &str) -> Vec<Range<usize>> {
    let chars: Vec<(usize, char, u32)> =
        text.char_indices().map(|(i, c)| (i, c, class(c))).collect();
    let has = |k: usize, bits: u32| chars.get(k).is_some_and(|&(_, _, f)| f & bits != 0);
    let conts = |k: usize, n: usize| (k..k + n).all(|j| has(j, U8_CONT));
    let mut runs = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if i > 0 && has(i - 1, U8_CONT_STRICT) {
            i += 1;
            continue;
        }
        let mut j = i;
        loop {
            let step = if has(j, U8_FIRST2) && conts(j + 1, 1) {
                2
            } else if has(j, U8_FIRST3) && conts(j + 1, 2) {
                3
            } else if has(j, U8_FIRST4) && conts(j + 1, 3) {
                4
            } else {
                break;
            };
            j += step;
        }
        if j > i {
            let end = chars.get(j).map_or(text.len(), |&(b, _, _)| b);
            runs.push(chars[i].0..end);
            i = j;
        } else {
            i += 1;
        }
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a0() {
        assert_eq!(restore_byte_a0(b"voil\xc3 le"), b"voil\xc3\xa0 le");
        assert_eq!(restore_byte_a0(b"\xe2\x80 x"), b"\xe2\x80\xa0x");
    }

    #[test]
    fn lossy() {
        assert_eq!(
            replace_lossy_sequences(b"\xe2\x80\x1a x"),
            "\u{FFFD} x".as_bytes()
        );
    }

    #[test]
    fn detector() {
        let t = "abc Ã© def â€œ";
        let runs = utf8_detector_runs(t);
        let got: Vec<&str> = runs.iter().map(|r| &t[r.clone()]).collect();
        assert_eq!(got, ["Ã©", "â€œ"]);
    }
}
