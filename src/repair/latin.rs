//! UTF-8 read as a single-byte code page ("mojibake", ftfy's domain):
//! `Ã©` → `é`, `â€™` → `’`, `Ã¢â‚¬â„¢` → `’`, `ÐŸÑ€Ð¸Ð²ÐµÑ‚` → `Привет` …
//!
//! The design follows ftfy 6 (`ftfy.fix_encoding`, Apache-2.0, (c) Robyn
//! Speer; ideas also cross-checked with the Rust port `plsfix`, MIT): a line
//! is only touched when ftfy's [`badness`](mod@badness) heuristic finds a mojibake-typical
//! sequence in it, and then the whole line is re-encoded in each of ten code
//! pages (latin-1, sloppy windows-1252/1251/1250/1253/1254/1257,
//! ISO-8859-2, MacRoman, cp437) and decoded as UTF-8. A candidate is taken
//! only when the bytes are *strictly* valid UTF-8 (or a UTF-8 variant), which
//! random clean text essentially never is, and when it does not raise the
//! badness (a layer of mojibake under another one can score the same).
//! What is left is tried in smaller pieces: runs of UTF-8-looking mojibake
//! inside otherwise clean text ([`decode_inconsistent_utf8`]) and single C1
//! controls ([`fix_c1_controls`]).
//!
//! Each line is fixed until nothing changes (at most [`MAX_STEPS`] steps),
//! so layered mojibake is undone in one call.
//!
//! Cost on clean text: an ASCII check of the whole text (SIMD), then per
//! non-ASCII line a scan of its characters for members of the mojibake
//! classes; lines without any are left alone without allocating.

use crate::explain::Log;
use std::borrow::Cow;

pub mod badness;
pub mod codec;
mod tables;
pub mod transcode;

pub use badness::{badness, is_bad};
pub use codec::{
    CodePage, decode_sloppy_windows_1252, decode_utf8_variants, encode_sloppy_windows_1252,
};

/// Upper bound on fix steps per line (each step undoes one layer or one
/// kind of damage).
pub const MAX_STEPS: usize = 8;

/// Undo single-byte mojibake in `text`, line by line.
pub fn fix<'a>(text: &'a str, log: &mut Log) -> Cow<'a, str> {
    if text.is_ascii() {
        return Cow::Borrowed(text);
    }
    let mut out: Option<String> = None;
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        let fixed = if body.is_ascii() {
            None
        } else {
            fix_encoding(body, start, log)
        };
        match (fixed, &mut out) {
            (Some(f), Some(o)) => {
                o.push_str(&f);
                o.push_str(&line[body.len()..]);
            }
            (Some(f), None) => {
                let mut o = String::with_capacity(text.len());
                o.push_str(&text[..start]);
                o.push_str(&f);
                o.push_str(&line[body.len()..]);
                out = Some(o);
            }
            (None, Some(o)) => o.push_str(line),
            (None, None) => {}
        }
        start += line.len();
    }
    match out {
        Some(o) => Cow::Owned(o),
        None => Cow::Borrowed(text),
    }
}

/// Fix one span (a line, or a run inside a line) until it stops changing;
/// `None` when nothing changed. `offset` is the span's byte offset in the
/// text `fix` was called with (spans of later steps refer to the span as the
/// earlier steps left it).
pub fn fix_encoding(text: &str, offset: usize, log: &mut Log) -> Option<String> {
    let mut cur: Option<String> = None;
    for _ in 0..MAX_STEPS {
        let now = cur.as_deref().unwrap_or(text);
        match fix_one_step(now, offset, log) {
            Some(next) if next != now => cur = Some(next),
            _ => break,
        }
    }
    cur
}

/// One step of ftfy's `_fix_encoding_one_step_and_explain`: the first of
/// [`redecode`], [`decode_inconsistent_utf8`], [`fix_c1_controls`] that
/// changes the text.
fn fix_one_step(text: &str, offset: usize, log: &mut Log) -> Option<String> {
    if text.is_ascii() || !is_bad(text) {
        return None;
    }
    if let Some(fixed) = redecode(text, offset, log) {
        return Some(fixed);
    }
    if let Some(fixed) = decode_inconsistent_utf8(text, offset, log) {
        return Some(fixed);
    }
    fix_c1_controls(text, offset, log)
}

/// The log kind for "UTF-8 read as `page`".
fn redecode_kind(page: CodePage) -> &'static str {
    match page.name() {
        "latin-1" => "mojibake:utf8-as-latin-1",
        "windows-1252" => "mojibake:utf8-as-windows-1252",
        "windows-1251" => "mojibake:utf8-as-windows-1251",
        "windows-1250" => "mojibake:utf8-as-windows-1250",
        "windows-1253" => "mojibake:utf8-as-windows-1253",
        "windows-1254" => "mojibake:utf8-as-windows-1254",
        "windows-1257" => "mojibake:utf8-as-windows-1257",
        "iso-8859-2" => "mojibake:utf8-as-iso-8859-2",
        "macroman" => "mojibake:utf8-as-macroman",
        "cp437" => "mojibake:utf8-as-cp437",
        _ => "mojibake:utf8-as-single-byte",
    }
}

/// UTF-8 that was decoded with a single-byte code page: the whole span
/// encodes back to bytes in that code page, and those bytes are UTF-8.
///
/// Reason: this is by far the most common mojibake, and strict UTF-8
/// validity of the re-encoded bytes is strong evidence (text in a single-byte
/// code page almost never happens to form valid multi-byte UTF-8). Two
/// repairs of the bytes are allowed on the way, as in ftfy: a no-break space
/// that became a plain space ([`transcode::restore_byte_a0`]) and bytes lost
/// as `�`/`?` ([`transcode::replace_lossy_sequences`], sloppy code pages
/// only). The result must not have a higher badness than the input (an inner
/// layer of mojibake may score the same as the outer one).
pub fn redecode(text: &str, offset: usize, log: &mut Log) -> Option<String> {
    let before = badness(text);
    for page in CodePage::all() {
        let Some(mut bytes) = page.encode(text) else {
            continue;
        };
        let mut steps: Vec<&str> = Vec::new();
        if page.name() != "macroman" && transcode::has_altered_utf8(&bytes) {
            let restored = transcode::restore_byte_a0(&bytes);
            if restored != bytes {
                steps.push("restore_byte_a0");
                bytes = restored;
            }
        }
        if page.is_sloppy() {
            let replaced = transcode::replace_lossy_sequences(&bytes);
            if replaced != bytes {
                steps.push("replace_lossy_sequences");
                bytes = replaced;
            }
        }
        let Some(fixed) = decode_utf8_variants(&bytes) else {
            continue;
        };
        if fixed == text {
            continue;
        }
        let after = badness(&fixed);
        if after > before {
            continue;
        }
        log.record(
            redecode_kind(page),
            offset..offset + text.len(),
            text,
            &fixed,
            || {
                let mut note = format!(
                    "encoded as {}, decoded as UTF-8; badness {before} → {after}",
                    page.name()
                );
                for s in &steps {
                    note.push_str("; ");
                    note.push_str(s);
                }
                note
            },
        );
        return Some(fixed);
    }
    None
}

/// Runs of UTF-8 mojibake embedded in otherwise good text (ftfy's
/// `decode_inconsistent_utf8`): each run of characters that look like a
/// UTF-8 lead byte followed by continuation bytes, and that is itself bad,
/// is fixed on its own with [`fix_encoding`].
///
/// Reason: a line often mixes correct text with a pasted mojibake fragment
/// (or contains a character no code page can encode), so the whole line
/// cannot be re-encoded, but the fragment can.
///
/// Unlike ftfy, a run that touches another Latin-1 symbol or letter
/// (U+0080–U+00FF other than U+00A0) is left alone: there the run is most
/// likely a chance UTF-8 look-alike inside text of another single- or
/// double-byte code page (GBK read as windows-1252 is all such characters),
/// which another repair, or none, should handle.
pub fn decode_inconsistent_utf8(text: &str, offset: usize, log: &mut Log) -> Option<String> {
    let runs = transcode::utf8_detector_runs(text);
    if runs.is_empty() || single_byte_garble(text) {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    let mut changed = false;
    for run in runs {
        let sub = &text[run.clone()];
        let prev = text[..run.start].chars().next_back();
        let next = text[run.end..].chars().next();
        if run.len() < text.len()
            && !is_latin1_high(prev)
            && !is_latin1_high(next)
            && is_bad(sub)
            && let Some(fixed) = fix_encoding(sub, offset + run.start, log)
        {
            out.push_str(&text[last..run.start]);
            out.push_str(&fixed);
            last = run.end;
            changed = true;
        }
    }
    if !changed {
        return None;
    }
    out.push_str(&text[last..]);
    Some(out)
}

/// Whether `line` is, as a whole, a double-byte text read as a single-byte
/// code page: at least eight characters from the upper half of latin-1 /
/// windows-1252 (C1 controls included), making up nine tenths of its
/// non-ASCII characters and outnumbering the ASCII letters twice (in Latin
/// text with UTF-8 mojibake, `frÃ¨res`, the ASCII letters dominate). Chance UTF-8
/// look-alikes abound in such a line (`Ì‚` is U+0302), so fixing pieces of it
/// would spoil the text for the CJK repair, which reads the whole run.
fn single_byte_garble(line: &str) -> bool {
    let (mut high, mut other, mut letters) = (0usize, 0usize, 0usize);
    for c in line.chars() {
        if c.is_ascii() {
            letters += usize::from(c.is_ascii_alphabetic());
        } else if is_latin1_high(Some(c)) || CodePage::WINDOWS_1252.encode_char(c).is_some() {
            high += 1;
        } else {
            other += 1;
        }
    }
    high >= 8 && high >= 9 * other && high >= 2 * letters
}

/// C1 control characters (U+0080–U+009F) left in the text are read as the
/// windows-1252 characters of the same byte, as web browsers do (ftfy's
/// `fix_c1_controls`).
///
/// Reason: C1 controls have no use in text; they appear when windows-1252
/// bytes were decoded as latin-1.
pub fn fix_c1_controls(text: &str, offset: usize, log: &mut Log) -> Option<String> {
    if !text.chars().any(is_c1) {
        return None;
    }
    let fixed: String = text
        .chars()
        .map(|c| {
            if is_c1(c) {
                u8::try_from(c as u32)
                    .map(|b| CodePage::WINDOWS_1252.decode_byte(b))
                    .unwrap_or(c)
            } else {
                c
            }
        })
        .collect();
    if fixed == text {
        return None;
    }
    log.record(
        "mojibake:c1-as-windows-1252",
        offset..offset + text.len(),
        text,
        &fixed,
        || {
            format!(
                "C1 controls read as windows-1252; badness {} → {}",
                badness(text),
                badness(&fixed)
            )
        },
    );
    Some(fixed)
}

/// A non-ASCII character of latin-1 other than the no-break space.
fn is_latin1_high(c: Option<char>) -> bool {
    c.is_some_and(|c| ('\u{80}'..='\u{ff}').contains(&c) && c != '\u{a0}')
}

fn is_c1(c: char) -> bool {
    ('\u{80}'..='\u{9f}').contains(&c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(s: &str) -> String {
        fix(s, &mut Log::detailed()).into_owned()
    }

    #[test]
    fn real_examples() {
        assert_eq!(f("cafÃ©"), "café");
        assert_eq!(f("Ã¢â‚¬â„¢"), "’");
        assert_eq!(f("It’s â€œquotedâ€\u{9d}"), "It’s “quoted”");
        assert_eq!(f("ÐŸÑ€Ð¸Ð²ÐµÑ‚"), "Привет");
        assert_eq!(f("voilÃ le travail"), "voilà le travail");
        assert_eq!(f("\u{93}quoted\u{94}"), "“quoted”");
    }

    #[test]
    fn clean_text_borrowed() {
        for s in ["plain", "café", "中文，世界", "Привет", "naïve — “x”"] {
            let mut log = Log::counting();
            assert!(matches!(fix(s, &mut log), Cow::Borrowed(_)), "{s}");
            assert_eq!(log.total(), 0);
        }
    }

    #[test]
    fn lines_are_independent() {
        assert_eq!(f("ok\nâ€œhiâ€\u{9d}\r\nnaïve\n"), "ok\n“hi”\r\nnaïve\n");
    }

    #[test]
    fn log_records_kind() {
        let mut log = Log::detailed();
        let _ = fix("x\ncafÃ©", &mut log);
        let fx = &log.fixes()[0];
        assert_eq!(fx.kind, "mojibake:utf8-as-latin-1");
        assert_eq!(fx.span, 2..9);
        assert!(fx.note.contains("badness"));
    }
}
