//! Which text is Chinese? Character classes and the per-line decision that
//! conversion and punctuation widening rely on.
//!
//! A line is *Chinese* when it contains a Han character, kana and Hangul make
//! up less than a twentieth of its CJK letters (a stray katakana from mojibake
//! or the middle dot `・` does not make a line Japanese, a Japanese sentence
//! always has far more), and the document as a whole is not Japanese or Korean (kana or
//! Hangul make up at least a fifth of its CJK letters). So a Japanese
//! heading written only in kanji stays Japanese, while a Chinese article that
//! quotes one Japanese sentence still has its other lines converted.

use crate::scan;
use std::ops::Range;

/// A Han ideograph (CJK Unified Ideographs, extensions A–I, compatibility
/// ideographs, and the radicals blocks).
#[inline]
pub fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF
        | 0x2E80..=0x2FDF | 0x3007
        | 0x20000..=0x2FA1F | 0x30000..=0x323AF)
}

/// Hiragana or katakana (including half-width katakana and the phonetic
/// extensions), the letters that mark Japanese.
#[inline]
pub fn is_kana(c: char) -> bool {
    matches!(c as u32, 0x3041..=0x309F | 0x30A0..=0x30FF | 0x31F0..=0x31FF | 0xFF66..=0xFF9D)
}

/// Hangul syllables and jamo.
#[inline]
pub fn is_hangul(c: char) -> bool {
    matches!(c as u32, 0xAC00..=0xD7AF | 0x1100..=0x11FF | 0x3130..=0x318F | 0xA960..=0xA97F | 0xD7B0..=0xD7FF)
}

/// CJK punctuation and full-width forms that sit between Chinese words
/// (。、，！？：；（）《》「」『』【】〔〕… and the full-width ASCII block).
#[inline]
pub fn is_cjk_punct(c: char) -> bool {
    matches!(c as u32, 0x3000..=0x3006 | 0x3008..=0x3011 | 0x3014..=0x301F | 0xFF01..=0xFF0F
        | 0xFF1A..=0xFF20 | 0xFF3B..=0xFF40 | 0xFF5B..=0xFF65 | 0x2014 | 0x2026 | 0x201C | 0x201D | 0x2018 | 0x2019 | 0xB7)
}

/// Byte ranges of the lines of `text` that are Chinese (see module docs).
/// Each range excludes the line terminator. Returns an empty list quickly for
/// text without any Han character.
///
/// Several stages ask for the same text in a row (a stage that changes
/// nothing hands on its input): the last answer of each thread is kept with a
/// copy of its text (up to [`MEMO_MAX`] bytes) and returned again when the
/// text is equal.
pub fn chinese_lines(text: &str) -> Vec<Range<usize>> {
    if text.is_ascii() {
        return Vec::new();
    }
    if text.len() > MEMO_MAX {
        return classify_lines(text);
    }
    let hit = MEMO.with(|m| {
        let m = m.borrow();
        (m.0 == text).then(|| m.1.clone())
    });
    if let Some(lines) = hit {
        return lines;
    }
    let lines = classify_lines(text);
    MEMO.with(|m| {
        let mut m = m.borrow_mut();
        m.0.clear();
        m.0.push_str(text);
        m.1.clone_from(&lines);
    });
    lines
}

/// Largest text whose [`chinese_lines`] answer is kept for the next call.
pub const MEMO_MAX: usize = 4 << 20;

thread_local! {
    static MEMO: std::cell::RefCell<(String, Vec<Range<usize>>)> =
        const { std::cell::RefCell::new((String::new(), Vec::new())) };
}

fn classify_lines(text: &str) -> Vec<Range<usize>> {
    // One pass: count per line (ASCII lines are skipped with one fast check)
    // and sum the counts for the document-level decision. No Han, kana or
    // Hangul letter lies below U+1100.
    let (mut han, mut kana, mut hangul) = (0usize, 0usize, 0usize);
    let mut out = Vec::new();
    let mut start = 0;
    let table = scan::Flags::get();
    for line in text.split_inclusive('\n') {
        let end = start + line.trim_end_matches(['\n', '\r']).len();
        let body = &text[start..end];
        start += line.len();
        if body.is_ascii() {
            continue;
        }
        let (mut h, mut k, mut g) = (0usize, 0usize, 0usize);
        for c in body.chars() {
            if (c as u32) < 0x1100 {
                continue;
            }
            // One table look-up: is_han, else is_kana (not ・ー), else is_hangul.
            let f = table.of(c);
            h += (f & scan::HAN != 0) as usize;
            k += (f & scan::KANA != 0) as usize;
            g += (f & scan::HANGUL != 0) as usize;
        }
        han += h;
        kana += k;
        hangul += g;
        let foreign = k + g;
        let foreign = foreign > 0 && foreign * 20 >= h + foreign;
        if h > 0 && !foreign {
            out.push(end - body.len()..end);
        }
    }
    if han == 0 || kana * 5 >= han + kana || hangul * 5 >= han + hangul {
        return Vec::new();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn japanese_document_has_no_chinese_lines() {
        let ja = "東京都\n今日は良い天気です。明日も晴れるでしょう。\n";
        assert!(chinese_lines(ja).is_empty());
    }

    #[test]
    fn chinese_document_quoting_japanese() {
        let t = "這是中文的文章，我們在這裡討論很多問題。\n「ありがとう」\n後來他們回國了。\n";
        let lines: Vec<&str> = chinese_lines(t).into_iter().map(|r| &t[r]).collect();
        assert_eq!(
            lines,
            [
                "這是中文的文章，我們在這裡討論很多問題。",
                "後來他們回國了。"
            ]
        );
    }

    #[test]
    fn korean_and_latin() {
        assert!(chinese_lines("대한민국 韓國 서울\n").is_empty());
        assert!(chinese_lines("Crème brûlée\n").is_empty());
    }

    #[test]
    fn stray_kana_in_a_long_chinese_line() {
        let t = "攻堅克難斬?cái)鄠鞑ユ湕l,壓實責任守牢第一防線,鳳臺縣咬緊牙關,堅持到底,對城關鎮確診病例深入開展流調溯源\n";
        assert_eq!(chinese_lines(t).len(), 1);
        assert_eq!(chinese_lines("中文・日本\n").len(), 1);
        assert!(
            chinese_lines(
                "中文です\n中文中文中文中文中文中文中文中文中文中文中文中文中文中文中文中文中文\n"
            )
            .len()
                == 1
        );
    }

    #[test]
    fn crlf_excluded() {
        let t = "中文\r\nabc\r\n";
        assert_eq!(chinese_lines(t), vec![0..6]);
    }
}
