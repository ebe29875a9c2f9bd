//! Stray commas: a comma inserted before other punctuation, as some web
//! pipelines do (`危機,,也是` `大考,。` `牙關,、` `隔離,;`).
//!
//! The inserted comma was full-width and, like the rest of the page's
//! punctuation, was later folded to ASCII; so only an ASCII `,` is a
//! candidate (`，，，` typed for emphasis in a review is correct text).
//! In a Chinese line, an ASCII comma directly followed by another sentence
//! mark — `。、；！？：` or their ASCII forms — is dropped. Before another
//! comma (`,,`) it is dropped only when the text shows the inserted comma at
//! least twice (either form), since a single `,,` may be typed on purpose;
//! runs of three or more commas are emphasis and stay. A comma between digits or Latin words is never touched
//! (the line must be Chinese).

use crate::explain::Log;
use crate::script::chinese_lines;
use crate::splice::Splice;
use std::borrow::Cow;

/// Fix kind recorded for each dropped comma.
pub const KIND: &str = "punct:stray-comma";

/// Marks other than commas that an inserted comma was put in front of.
fn is_mark(c: char) -> bool {
    matches!(
        c,
        '。' | '、' | ';' | '；' | '!' | '！' | '?' | '？' | ':' | '：'
    )
}

fn is_comma(c: char) -> bool {
    matches!(c, ',' | '，')
}

/// How often the text shows the inserted comma: an ASCII comma directly
/// before a non-comma mark, or a pair of commas that is not part of a longer
/// run, in Chinese lines.
fn evidence(text: &str, lines: &[std::ops::Range<usize>]) -> usize {
    let mut n = 0;
    for l in lines {
        if memchr::memchr(b',', text[l.clone()].as_bytes()).is_none() {
            continue;
        }
        let chars: Vec<char> = text[l.clone()].chars().collect();
        for (k, &c) in chars.iter().enumerate() {
            if c != ',' {
                continue;
            }
            let next = chars.get(k + 1).copied();
            let prev_comma = k > 0 && is_comma(chars[k - 1]);
            let third = chars.get(k + 2).is_some_and(|&c| is_comma(c));
            match next {
                Some(m) if is_mark(m) => n += 1,
                Some(m) if is_comma(m) && !prev_comma && !third => n += 1,
                _ => {}
            }
        }
    }
    n
}

/// Drop stray commas in the Chinese lines of `text`.
pub fn fix<'a>(text: &'a str, log: &mut Log) -> Cow<'a, str> {
    if !text.contains(',') {
        return Cow::Borrowed(text);
    }
    let lines = chinese_lines(text);
    let doubled_ok = evidence(text, &lines) >= 2;
    let mut out = Splice::new(text);
    for line in lines {
        let s = &text[line.clone()];
        if memchr::memchr(b',', s.as_bytes()).is_none() {
            continue;
        }
        let chars: Vec<(usize, char)> = s.char_indices().collect();
        for (k, &(i, c)) in chars.iter().enumerate() {
            if c != ',' {
                continue;
            }
            let next = chars.get(k + 1).map(|p| p.1);
            let prev_comma = k > 0 && is_comma(chars[k - 1].1);
            let stray = match next {
                Some(n) if is_mark(n) => true,
                Some(n) if is_comma(n) => {
                    let third = chars.get(k + 2).is_some_and(|p| is_comma(p.1));
                    doubled_ok && !prev_comma && !third
                }
                _ => false,
            };
            if stray {
                let at = line.start + i;
                out.replace(at..at + 1, "");
                log.record(KIND, at..at + 1, ",", "", || {
                    format!("comma before {}", next.unwrap_or(' '))
                });
            }
        }
    }
    out.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(s: &str) -> String {
        fix(s, &mut Log::counting()).into_owned()
    }

    #[test]
    fn drops_comma_before_marks() {
        assert_eq!(
            f("危機,,也是一場大考,。咬緊牙關,、堅持到底,;對確診,!"),
            "危機,也是一場大考。咬緊牙關、堅持到底;對確診!"
        );
    }

    #[test]
    fn doubled_commas_need_evidence() {
        // A single `,,` may be typed on purpose; twice it is the damage.
        assert_eq!(f("好,,真的好"), "好,,真的好");
        assert_eq!(f("好,,真的好,,是的"), "好,真的好,是的");
        assert_eq!(f("大考,。危機,,也是,、"), "大考。危機,也是、");
    }

    #[test]
    fn leaves_other_text() {
        for s in [
            "1,,2 and a,,b",
            "數字1,000,000元",
            "你好,世界",
            "什麼?!",
            "a,;b\n",
            "不錯，，，真的很好，，",
            "好,,,真的,。", // emphasis run stays; only the `,。` goes
        ] {
            let want = s.replace(",。", "。");
            assert_eq!(f(s), want);
        }
    }
}
