//! ftfy's "badness" heuristic: the number of character sequences that are
//! much more likely to be mojibake than intended text (a lowercase accented
//! letter followed by a currency sign, `Ã` followed by a no-break space …).
//!
//! This is a hand-written matcher equivalent to ftfy's `badness.BADNESS_RE`
//! (ftfy 6, Apache-2.0, (c) Robyn Speer): at each position the alternatives
//! are tried in ftfy's order, the first that matches is counted and the scan
//! continues after it, which is what Python's `re.findall` counts. The
//! character classes come from ftfy's `MOJIBAKE_CATEGORIES` (see
//! `gen_tables.py`).

use super::tables::*;
use std::sync::OnceLock;

/// Class bits of U+0000..U+25FF, built once from the generated ranges.
fn low_table() -> &'static [u32] {
    static TABLE: OnceLock<Vec<u32>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t = vec![0u32; LOW_LIMIT as usize];
        for &(lo, hi, bits) in CLASSES {
            for cp in lo..=hi.min(LOW_LIMIT - 1) {
                t[cp as usize] = bits;
            }
        }
        t
    })
}

/// Code points below this are looked up in [`low_table`]; above it only
/// U+F8FF, U+FB01, U+FB02 and U+FFFD have classes (checked by a unit test).
const LOW_LIMIT: u32 = 0x2600;

/// The class bits of `c` (0 for most characters).
#[inline]
pub fn class(c: char) -> u32 {
    let cp = c as u32;
    if cp < LOW_LIMIT {
        return low_table().get(cp as usize).copied().unwrap_or(0);
    }
    if !(0xF8FF..=0xFFFD).contains(&cp) {
        return 0;
    }
    match CLASSES.binary_search_by(|&(lo, hi, _)| {
        if hi < cp {
            std::cmp::Ordering::Less
        } else if lo > cp {
            std::cmp::Ordering::Greater
        } else {
            std::cmp::Ordering::Equal
        }
    }) {
        Ok(i) => CLASSES[i].2,
        Err(_) => 0,
    }
}

/// Every alternative of the pattern needs a character of one of these
/// classes, or one of [`RARE_CHARS`]; a lowercase accented letter or a Greek
/// or Cyrillic letter alone never makes text bad, so lines of ordinary
/// European text skip the full scan.
const RARE: u32 = C1 | BAD | LAW | CURRENCY | START | END | NUMERIC | BOX | UPPER_ACC;

/// Characters outside [`RARE`] that some alternative requires.
const RARE_CHARS: [char; 3] = ['œ', '°', 'Ђ'];

const ACC: u32 = LOWER_ACC | UPPER_ACC;

fn is_ascii_letter(c: char) -> bool {
    c.is_ascii_alphabetic()
}

fn is_lower(c: char) -> bool {
    c.is_ascii_lowercase()
}

/// Python's `\w` for a str pattern, closely enough.
fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Python's `\s` for a str pattern.
fn is_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

struct Seq<'a> {
    chars: &'a [char],
    classes: &'a [u32],
}

impl Seq<'_> {
    fn c(&self, i: usize) -> Option<char> {
        self.chars.get(i).copied()
    }
    fn has(&self, i: usize, bits: u32) -> bool {
        self.classes.get(i).is_some_and(|&k| k & bits != 0)
    }
    fn is(&self, i: usize, set: &[char]) -> bool {
        self.c(i).is_some_and(|c| set.contains(&c))
    }
    fn one_of(&self, i: usize, bits: u32, set: &[char]) -> bool {
        self.has(i, bits) || self.is(i, set)
    }
}

/// Length of the first alternative of ftfy's pattern that matches at `i`.
fn match_at(s: &Seq, i: usize) -> Option<usize> {
    let c0 = s.c(i)?;
    let k0 = s.classes[i];
    let a_bad = BAD | ACC | BOX | START | END | CURRENCY | NUMERIC | LAW;
    if k0 == 0 {
        // Only alternatives 3, 8, 13, 32 and 34 start with a character
        // outside every class.
        return match_plain_at(s, i, c0);
    }
    // 1
    if k0 & C1 != 0 {
        return Some(1);
    }
    // 2
    if k0 & a_bad != 0 && s.has(i + 1, BAD) {
        return Some(2);
    }
    // 3
    if is_ascii_letter(c0) && s.has(i + 1, LOWER_COMMON | UPPER_COMMON) && s.has(i + 2, BAD) {
        return Some(3);
    }
    // 4
    if k0 & BAD != 0 && s.has(i + 1, ACC | BOX | START | END | CURRENCY | NUMERIC | LAW) {
        return Some(2);
    }
    // 5
    if k0 & (LOWER_ACC | LOWER_COMMON | BOX | END | CURRENCY | NUMERIC) != 0
        && s.has(i + 1, UPPER_ACC)
    {
        return Some(2);
    }
    // 6
    if k0 & (BOX | END | CURRENCY | NUMERIC) != 0 && s.has(i + 1, LOWER_ACC) {
        return Some(2);
    }
    // 7
    if k0 & (LOWER_ACC | BOX | END) != 0 && s.has(i + 1, CURRENCY) {
        return Some(2);
    }
    // 8
    if is_space(c0) && s.has(i + 1, UPPER_ACC) && s.has(i + 2, CURRENCY) {
        return Some(3);
    }
    // 9
    if k0 & (UPPER_ACC | BOX) != 0 && s.has(i + 1, NUMERIC | LAW) {
        return Some(2);
    }
    // 10
    if k0 & (ACC | BOX | CURRENCY | END) != 0 && s.has(i + 1, START) && s.has(i + 2, NUMERIC) {
        return Some(3);
    }
    // 11
    if k0 & (ACC | CURRENCY | NUMERIC | BOX | LAW) != 0 && s.has(i + 1, END) && s.has(i + 2, START)
    {
        return Some(3);
    }
    // 12
    if k0 & (CURRENCY | NUMERIC | BOX) != 0 && s.has(i + 1, START) {
        return Some(2);
    }
    // 13
    if is_lower(c0) && s.has(i + 1, UPPER_ACC) && s.has(i + 2, START | CURRENCY) {
        return Some(3);
    }
    // 14
    if k0 & BOX != 0 && s.has(i + 1, KAOMOJI) {
        return Some(2);
    }
    // 15
    if k0 & (ACC | CURRENCY | NUMERIC | START | END | LAW) != 0 && s.has(i + 1, BOX) {
        return Some(2);
    }
    // 16
    if k0 & BOX != 0 && s.has(i + 1, END) {
        return Some(2);
    }
    // 17
    if k0 & ACC != 0 && s.has(i + 1, START | END) && s.c(i + 2).is_some_and(is_word) {
        return Some(3);
    }
    // 18
    if (c0 == 'Œ' || c0 == 'œ') && s.c(i + 1).is_some_and(|c| !is_ascii_letter(c)) {
        return Some(2);
    }
    // 19
    if k0 & UPPER_ACC != 0 && s.c(i + 1) == Some('°') {
        return Some(2);
    }
    // 20
    if matches!(c0, 'Â' | 'Ã' | 'Î' | 'Ð')
        && s.one_of(
            i + 1,
            START | END,
            &[
                '€', 'œ', 'Š', 'š', '¢', '£', 'Ÿ', 'ž', '\u{a0}', '\u{ad}', '®', '©', '°', '·',
                '»', '–', '—', '´',
            ],
        )
    {
        return Some(2);
    }
    // 21
    if c0 == '×' && s.is(i + 1, &['²', '³']) {
        return Some(2);
    }
    // 22
    let arabic_tail = |j: usize| {
        s.one_of(
            j,
            COMMON | CURRENCY | BAD | NUMERIC | START,
            &['Ÿ', 'Š', '®', '°', 'µ', '»'],
        )
    };
    if matches!(c0, 'Ø' | 'Ù')
        && arabic_tail(i + 1)
        && s.is(i + 2, &['Ø', 'Ù'])
        && arabic_tail(i + 3)
    {
        return Some(4);
    }
    // 23
    if c0 == 'à' && s.is(i + 1, &['²', 'µ', '¹', '¼', '½', '¾']) {
        return Some(2);
    }
    // 24
    if c0 == '√'
        && s.is(
            i + 1,
            &['±', '∂', '†', '≠', '®', '™', '´', '≤', '≥', '¥', 'µ', 'ø'],
        )
    {
        return Some(2);
    }
    // 25
    if c0 == '≈' && s.is(i + 1, &['°', '¢']) {
        return Some(2);
    }
    // 26
    if c0 == '‚'
        && s.c(i + 1) == Some('Ä')
        && s.is(
            i + 2,
            &['ì', 'î', 'ï', 'ò', 'ô', 'ú', 'ù', 'û', '†', '°', '¢', 'π'],
        )
    {
        return Some(3);
    }
    // 27
    if c0 == '‚' && s.is(i + 1, &['â', 'ó']) && s.is(i + 2, &['à', 'ä', '°', 'ê']) {
        return Some(3);
    }
    // 28
    if c0 == 'в' && s.c(i + 1) == Some('Ђ') {
        return Some(2);
    }
    // 29
    if matches!(c0, 'В' | 'Г' | 'Р' | 'С')
        && s.one_of(i + 1, C1 | BAD | START | END | CURRENCY, &['°', 'µ'])
        && s.is(i + 2, &['В', 'Г', 'Р', 'С'])
    {
        return Some(3);
    }
    // 30
    if c0 == 'Г'
        && s.c(i + 1) == Some('ў')
        && s.c(i + 2) == Some('В')
        && s.c(i + 3) == Some('Ђ')
        && s.c(i + 4) == Some('В')
        && s.c(i + 5).is_some_and(|c| c != '\n')
        && s.c(i + 6)
            .is_some_and(|c| c.is_ascii_alphabetic() || c == ' ')
    {
        return Some(7);
    }
    // 31
    if c0 == 'Ã' && s.is(i + 1, &['\u{a0}', '¡']) {
        return Some(2);
    }
    // 32
    if is_lower(c0) {
        if s.is(i + 1, &['Ã', 'Â']) && s.c(i + 2) == Some(' ') {
            return Some(3);
        }
        if s.c(i + 1).is_some_and(is_space) && s.is(i + 2, &['Ã', 'Â']) && s.c(i + 3) == Some(' ')
        {
            return Some(4);
        }
    }
    // 33
    if i == 0 && matches!(c0, 'Ã' | 'Â') && s.c(1) == Some(' ') {
        return Some(2);
    }
    // 34
    if (is_lower(c0) || matches!(c0, '.' | ',' | '?' | '!') || k0 & END != 0)
        && s.c(i + 1) == Some('Â')
        && s.one_of(i + 2, START | END, &[' '])
    {
        return Some(3);
    }
    // 35
    if c0 == 'β'
        && s.c(i + 1) == Some('€')
        && s.is(i + 2, &['™', '\u{a0}', 'Ά', '\u{ad}', '®', '°'])
    {
        return Some(3);
    }
    // 36
    if matches!(c0, 'Β' | 'Γ' | 'Ξ' | 'Ο')
        && s.one_of(i + 1, C1 | BAD | START | END | CURRENCY, &['°'])
        && s.is(i + 2, &['Β', 'Γ', 'Ξ', 'Ο'])
    {
        return Some(3);
    }
    // 37
    if c0 == 'ā' && s.c(i + 1) == Some('€') {
        return Some(2);
    }
    None
}

/// The alternatives that can start with an unclassified character.
fn match_plain_at(s: &Seq, i: usize, c0: char) -> Option<usize> {
    if !(c0.is_ascii_alphabetic() || is_space(c0) || matches!(c0, '.' | ',' | '?' | '!')) {
        return None;
    }
    // 3
    if is_ascii_letter(c0) && s.has(i + 1, LOWER_COMMON | UPPER_COMMON) && s.has(i + 2, BAD) {
        return Some(3);
    }
    // 8
    if is_space(c0) && s.has(i + 1, UPPER_ACC) && s.has(i + 2, CURRENCY) {
        return Some(3);
    }
    // 13
    if is_lower(c0) && s.has(i + 1, UPPER_ACC) && s.has(i + 2, START | CURRENCY) {
        return Some(3);
    }
    // 32
    if is_lower(c0) {
        if s.is(i + 1, &['Ã', 'Â']) && s.c(i + 2) == Some(' ') {
            return Some(3);
        }
        if s.c(i + 1).is_some_and(is_space) && s.is(i + 2, &['Ã', 'Â']) && s.c(i + 3) == Some(' ')
        {
            return Some(4);
        }
    }
    // 34
    if (is_lower(c0) || matches!(c0, '.' | ',' | '?' | '!'))
        && s.c(i + 1) == Some('Â')
        && s.one_of(i + 2, START | END, &[' '])
    {
        return Some(3);
    }
    None
}

/// Quick necessary condition for [`is_bad`]: some character is in one of the
/// mojibake classes.
pub fn may_be_bad(text: &str) -> bool {
    text.chars()
        .any(|c| (c as u32) >= 0x80 && (class(c) & RARE != 0 || RARE_CHARS.contains(&c)))
}

fn scan(text: &str, stop_at_first: bool) -> usize {
    let chars: Vec<char> = text.chars().collect();
    let classes: Vec<u32> = chars.iter().map(|&c| class(c)).collect();
    let s = Seq {
        chars: &chars,
        classes: &classes,
    };
    let mut n = 0;
    let mut i = 0;
    while i < chars.len() {
        match match_at(&s, i) {
            Some(len) => {
                n += 1;
                if stop_at_first {
                    return n;
                }
                i += len;
            }
            None => i += 1,
        }
    }
    n
}

/// The number of mojibake-like sequences in `text` (ftfy's `badness`).
pub fn badness(text: &str) -> usize {
    if !may_be_bad(text) {
        return 0;
    }
    scan(text, false)
}

/// Whether `text` has any mojibake-like sequence (ftfy's `is_bad`).
pub fn is_bad(text: &str) -> bool {
    may_be_bad(text) && scan(text, true) > 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_exit_is_sound() {
        for &(lo, hi, _) in CLASSES {
            assert!(hi < 0x2600 || lo >= 0xF8FF, "{lo:x}");
            assert!(hi <= 0xFFFD);
        }
    }

    #[test]
    fn examples() {
        assert!(is_bad("Ã©"));
        assert!(is_bad("â€™"));
        assert!(is_bad("\u{80}"));
        assert!(!is_bad("café"));
        assert!(!is_bad("naïve façade — “quoted”"));
        assert!(!is_bad("Привет, мир"));
        assert!(!is_bad("中文，世界"));
        assert!(badness("â€œ") > 0);
    }
}
