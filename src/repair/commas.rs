//! Stray commas: a comma inserted before other punctuation, as some web
//! pipelines do (`危機,,也是` `大考,。` `牙關,、` `隔離,;`).
//!
//! In a Chinese line, a comma (`,` or `，`) directly followed by another
//! sentence mark — `，。、；！？：` or their ASCII forms `, ; ! ? :` — is
//! dropped. A comma between digits or Latin words is never touched (the line
//! must be Chinese, and the mark after the comma must itself be punctuation),
//! and `...`, `?!`, `!!` are left alone (only commas are removed).

use crate::explain::Log;
use crate::script::chinese_lines;
use std::borrow::Cow;

/// Fix kind recorded for each dropped comma.
pub const KIND: &str = "punct:stray-comma";

fn is_mark(c: char) -> bool {
    matches!(
        c,
        ',' | '，' | '。' | '、' | ';' | '；' | '!' | '！' | '?' | '？' | ':' | '：'
    )
}

/// Drop stray commas in the Chinese lines of `text`.
pub fn fix<'a>(text: &'a str, log: &mut Log) -> Cow<'a, str> {
    if !text.contains(',') && !text.contains('，') {
        return Cow::Borrowed(text);
    }
    let mut out = String::new();
    let mut copied = 0;
    for line in chinese_lines(text) {
        let s = &text[line.clone()];
        let mut it = s.char_indices().peekable();
        while let Some((i, c)) = it.next() {
            if !matches!(c, ',' | '，') {
                continue;
            }
            if let Some(&(_, next)) = it.peek()
                && is_mark(next)
            {
                let at = line.start + i;
                let end = at + c.len_utf8();
                out.push_str(&text[copied..at]);
                copied = end;
                log.record(KIND, at..end, &text[at..end], "", || {
                    format!("comma before {next}")
                });
            }
        }
    }
    if copied == 0 {
        return Cow::Borrowed(text);
    }
    out.push_str(&text[copied..]);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(s: &str) -> String {
        fix(s, &mut Log::counting()).into_owned()
    }

    #[test]
    fn drops_comma_before_marks() {
        assert_eq!(f("危機,,也是一場大考,。"), "危機,也是一場大考。");
        assert_eq!(f("咬緊牙關,、堅持到底"), "咬緊牙關、堅持到底");
        assert_eq!(f("風險場所,;對確診"), "風險場所;對確診");
        assert_eq!(f("攻堅戰,!"), "攻堅戰!");
        assert_eq!(f("一律集中隔離，，滾動"), "一律集中隔離，滾動");
        assert_eq!(f("三個逗號,,,然後"), "三個逗號,然後");
    }

    #[test]
    fn leaves_other_text() {
        for s in [
            "1,,2 and a,,b",
            "數字1,000,000元",
            "你好,世界",
            "什麼?!",
            "a,;b\n",
        ] {
            assert_eq!(f(s), s);
        }
    }
}
