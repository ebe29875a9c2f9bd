//! Punctuation width in Chinese text (`--punct cjk`).
//!
//! Web pipelines often fold full-width punctuation to ASCII. In a Chinese
//! line, an ASCII `,` `!` `?` `:` `;` that touches a Han character (or CJK
//! punctuation) on either side is widened to `，！？：；`. A pair of ASCII
//! parentheses on one line becomes `（）` when the opening one follows Chinese
//! text or the start of a line, and either the enclosed text contains Han or
//! the opening one directly follows a Han character: `口罩(KN95)`→`口罩（KN95）`,
//! `(记者 张三)`→`（记者 张三）`, while `f(x)`, `(2)` and URLs stay.
//! Quotes are never changed, and nothing outside Chinese lines is touched.

use crate::explain::Log;
use crate::script::{chinese_lines, is_cjk_punct, is_han};
use crate::splice::Splice;
use std::borrow::Cow;

/// Fix kind recorded for each widened mark.
pub const KIND: &str = "punct:fullwidth";

fn chinese_ctx(c: Option<char>) -> bool {
    c.is_some_and(|c| is_han(c) || is_cjk_punct(c))
}

fn widen(c: char) -> Option<char> {
    Some(match c {
        ',' => '，',
        '!' => '！',
        '?' => '？',
        ':' => '：',
        ';' => '；',
        '(' => '（',
        ')' => '）',
        _ => return None,
    })
}

/// The ASCII marks this stage may widen.
#[inline]
fn is_ascii_mark(b: u8) -> bool {
    matches!(b, b',' | b'!' | b'?' | b':' | b';' | b'(' | b')')
}

/// Rounds of [`decide`] at most (each round only widens more marks; real
/// lines settle in one or two).
const MAX_ROUNDS: usize = 8;

/// Which ASCII marks of a Chinese line (as chars) are to be widened.
fn decide(chars: &[char]) -> Vec<bool> {
    let mut targets = vec![false; chars.len()];
    let mut open: Vec<usize> = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).map(|j| chars[j]);
        let next = chars.get(i + 1).copied();
        match c {
            ',' | '!' | '?' | ':' | ';' => {
                targets[i] = chinese_ctx(prev) || chinese_ctx(next);
            }
            '(' => open.push(i),
            ')' => {
                if let Some(o) = open.pop() {
                    let before = o.checked_sub(1).map(|j| chars[j]);
                    let lead_ok = before.is_none_or(|b| chinese_ctx(Some(b)) || b.is_whitespace());
                    let inner_han = chars[o + 1..i].iter().any(|&p| is_han(p));
                    if lead_ok && (inner_han || before.is_some_and(is_han)) {
                        targets[o] = true;
                        targets[i] = true;
                    }
                }
            }
            _ => {}
        }
    }
    targets
}

/// Widen ASCII punctuation in the Chinese lines of `text`.
pub fn widen_punct<'a>(text: &'a str, log: &mut Log) -> Cow<'a, str> {
    if !text.bytes().any(is_ascii_mark) {
        return Cow::Borrowed(text);
    }
    let mut out = Splice::new(text);
    for line in chinese_lines(text) {
        if !text[line.clone()].bytes().any(is_ascii_mark) {
            continue;
        }
        let chars: Vec<(usize, char)> = text[line.clone()].char_indices().collect();
        // Widening a mark gives its neighbours Chinese context (`连!!）`:
        // the second `!` follows `！` once the first is widened), so the
        // decision is repeated on the widened line until nothing more
        // changes; the output is then a fixed point and a second run
        // widens nothing.
        let mut cur: Vec<char> = chars.iter().map(|p| p.1).collect();
        let mut targets = vec![false; chars.len()];
        for _ in 0..MAX_ROUNDS {
            let mut again = false;
            for (i, t) in decide(&cur).into_iter().enumerate() {
                if let (true, Some(w)) = (t, widen(cur[i])) {
                    cur[i] = w;
                    targets[i] = true;
                    // Only an ASCII mark next to a widened one can change
                    // its mind (decisions look at direct neighbours).
                    let mark = |j: Option<usize>| {
                        j.and_then(|j| cur.get(j))
                            .is_some_and(|&c| c.is_ascii() && is_ascii_mark(c as u8))
                    };
                    again |= mark(i.checked_sub(1)) || mark(Some(i + 1));
                }
            }
            if !again {
                break;
            }
        }
        for (i, &(off, c)) in chars.iter().enumerate() {
            if !targets[i] {
                continue;
            }
            let Some(w) = widen(c) else { continue };
            let at = line.start + off;
            out.replace(at..at + 1, w.encode_utf8(&mut [0; 4]));
            log.record(
                KIND,
                at..at + 1,
                &c.to_string(),
                &w.to_string(),
                String::new,
            );
        }
    }
    out.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &str) -> String {
        widen_punct(s, &mut Log::counting()).into_owned()
    }

    #[test]
    fn widens_next_to_han() {
        assert_eq!(
            w("危机,也是大考!真的?注意:好;"),
            "危机，也是大考！真的？注意：好；"
        );
        assert_eq!(w("“外防输入”,对城关镇"), "“外防输入”，对城关镇");
    }

    #[test]
    fn runs_of_marks_widen_together_and_once() {
        // A run of marks next to Chinese text is widened whole, in one pass.
        assert_eq!(w("赶到大连!!) 这个"), "赶到大连！！) 这个");
        assert_eq!(w("没有发货给我？??"), "没有发货给我？？？");
        assert_eq!(w("中文!(说明)"), "中文！（说明）");
        for s in [
            "赶到大连!!) 这个",
            "没有发货给我？??",
            "中文!(说明)",
            "好?!(a)",
        ] {
            let once = w(s);
            assert_eq!(w(&once), once, "{s}");
        }
    }

    #[test]
    fn brackets_in_pairs() {
        assert_eq!(w("市地方海事(港航)管理"), "市地方海事（港航）管理");
        assert_eq!(w("(记者 张昌涛 尚家起)"), "（记者 张昌涛 尚家起）");
        assert_eq!(w("将200只KN95口罩(KN95)"), "将200只KN95口罩（KN95）");
        assert_eq!(w("函数f(x)的值是3.5,对"), "函数f(x)的值是3.5，对");
        assert_eq!(w("见(2)和(3"), "见（2）和(3");
        assert_eq!(w("(2) 见上"), "(2) 见上");
    }

    #[test]
    fn leaves_non_chinese_and_numbers() {
        assert_eq!(w("Hello, world! 3:2"), "Hello, world! 3:2");
        assert_eq!(
            w("比分3:2,网址http://a.cn/?q=1"),
            "比分3:2，网址http://a.cn/?q=1"
        );
        assert_eq!(w("日本語です、はい!すごい"), "日本語です、はい!すごい");
    }
}
