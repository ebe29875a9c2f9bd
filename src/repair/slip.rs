//! GBK (or Big5) byte slips: the page was stored in a double-byte code page
//! and somewhere a byte was lost, so the decoder paired each trail byte with
//! the next lead byte and produced plausible-looking but wrong characters
//! until a byte in the ASCII range put it back in step:
//!
//! * `斬?cái)鄠鞑ユ湕l` — the bytes of 斷傳播鏈條 minus the lead byte of 斷;
//! * `�,!背顷P` — 。”城關 out of step (`！` is the pair A3 A1 taken from
//!   。” = A1 A3 A1 B1);
//! * `部署�?h` — 。縣: `？` is A3 BF, `h` is 縣's trail byte 0x68.
//!
//! The damage happened in this order: the slip, then stray commas, then
//! full-width punctuation folded to ASCII. So inside a run, `!` `?` `:` `;`
//! `,` `(` `)` `@` may stand for the full-width characters of the slipped
//! byte stream, and a `?` or U+FFFD marks a byte the decoder could not pair.
//!
//! Method: a run starts at a marker (`?` or U+FFFD) in a Chinese line and
//! takes the characters after it that the code page can encode, up to and
//! including the first ASCII letter or digit (the byte that put the decoder
//! back in step). A reading pasted at the slip point (`?cái)`) is noise and
//! dropped. The run's characters are re-encoded (each ASCII mark either as
//! itself or as its full-width form), a lost lead byte is put back in front
//! (every possible byte is tried), the bytes are decoded in step, and the
//! result is scored by the character model ([`crate::model`]) in its
//! context, after conversion to Simplified (the model's language). The
//! best reading replaces the run only when it beats the text as it stands by
//! a wide margin ([`MIN_GAIN`] nats) — correct text is never a slip, and a
//! real question mark in a sentence scores far better than any re-reading.

use crate::explain::Log;
use crate::model;
use crate::script::{chinese_lines, is_han};
use encoding_rs::{BIG5, Encoding, GBK};
use std::borrow::Cow;

/// Fix kind recorded for each slip undone.
pub const KIND: &str = "slip:realigned";

/// How much more plausible (natural log-likelihood, in nats) the realigned
/// reading must be than the text as it stands.
pub const MIN_GAIN: f64 = 12.0;

/// Longest run considered, in characters.
const MAX_RUN: usize = 40;

/// ASCII marks that may stand for a folded full-width character.
fn fullwidth(c: char) -> Option<char> {
    Some(match c {
        '!' => '！',
        '?' => '？',
        ':' => '：',
        ';' => '；',
        ',' => '，',
        '(' => '（',
        ')' => '）',
        '@' => '＠',
        _ => return None,
    })
}

fn is_marker(c: char) -> bool {
    c == '?' || c == '\u{FFFD}'
}

/// A pasted reading right after the slip point: `cái)` or `(cái)` —
/// lower-case pinyin letters (with tone marks) closed by `)`. Returns its
/// length in bytes.
fn pasted_reading(s: &str) -> Option<usize> {
    let body = s.strip_prefix('(').unwrap_or(s);
    let skip = s.len() - body.len();
    let end = body.find(')')?;
    let syl = &body[..end];
    let ok = (1..=6).contains(&syl.chars().count())
        && syl.chars().all(|c| c.is_ascii_lowercase() || "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü".contains(c));
    ok.then_some(skip + end + 1)
}

/// One slip found: the byte range it covers in the line and its reading.
struct Found {
    start: usize,
    end: usize,
    after: String,
    gain: f64,
    encoding: &'static Encoding,
}

/// Undo GBK/Big5 byte slips in the Chinese lines of `text`.
pub fn fix<'a>(text: &'a str, log: &mut Log) -> Cow<'a, str> {
    if !text.contains(['?', '\u{FFFD}']) {
        return Cow::Borrowed(text);
    }
    let mut out = String::new();
    let mut copied = 0;
    for line in chinese_lines(text) {
        let s = &text[line.clone()];
        let mut from = 0;
        while let Some(rel) = s[from..].find(['?', '\u{FFFD}']) {
            let at = from + rel;
            match realign(s, at) {
                Some(f) => {
                    let (a, b) = (line.start + f.start, line.start + f.end);
                    out.push_str(&text[copied..a]);
                    out.push_str(&f.after);
                    copied = b;
                    log.record(KIND, a..b, &text[a..b], &f.after, || {
                        format!("{} bytes put back in step, +{:.1} nats", f.encoding.name(), f.gain)
                    });
                    from = f.end;
                }
                None => from = at + 1,
            }
        }
    }
    if copied == 0 {
        return Cow::Borrowed(text);
    }
    out.push_str(&text[copied..]);
    Cow::Owned(out)
}

/// Try to realign the run that starts at the marker at byte `at` of `line`.
fn realign(line: &str, at: usize) -> Option<Found> {
    let before_run = line[..at].chars().next_back();
    // The run must touch Chinese text on its left: slips in CJK byte streams.
    if !before_run.is_some_and(|c| is_han(c) || crate::script::is_cjk_punct(c) || c == ',') {
        return None;
    }
    // Leading markers and stray commas between them: `�,!` `?` `�`.
    let mut pos = at;
    let mut lead_markers = 0;
    loop {
        let rest = &line[pos..];
        let Some(c) = rest.chars().next() else { break };
        if is_marker(c) {
            lead_markers += 1;
            pos += c.len_utf8();
            if let Some(n) = pasted_reading(&line[pos..]) {
                pos += n;
            }
        } else if c == ',' && rest[1..].starts_with(|d: char| is_marker(d) || fullwidth(d).is_some()) {
            pos += 1;
        } else {
            break;
        }
    }
    let body_start = pos;
    // The body: characters the code page encodes, up to and including the
    // first ASCII letter or digit.
    let mut body_end = body_start;
    let mut n = 0;
    for c in line[body_start..].chars() {
        if n >= MAX_RUN {
            break;
        }
        if c.is_ascii_alphanumeric() {
            body_end += 1;
            break;
        }
        if c.is_ascii() && fullwidth(c).is_none() && !is_marker(c) {
            break;
        }
        if c.is_whitespace() {
            break;
        }
        body_end += c.len_utf8();
        n += 1;
    }
    let body = &line[body_start..body_end];
    let after_run = line[body_end..].chars().next();
    let damaged = &line[at..body_end];
    let base = score(damaged, before_run, after_run);
    let mut best: Option<Found> = None;
    for enc in [GBK, BIG5] {
        for cand in readings(body, enc, lead_markers > 0) {
            let gain = score(&cand, before_run, after_run) - base;
            if gain >= MIN_GAIN && best.as_ref().is_none_or(|b| gain > b.gain) {
                best = Some(Found {
                    start: at,
                    end: body_end,
                    after: cand,
                    gain,
                    encoding: enc,
                });
            }
        }
    }
    // A comma directly before the run was inserted in front of the mark the
    // slip destroyed; it goes when the reading starts with punctuation.
    if let Some(f) = best.as_mut() {
        if line[..f.start].ends_with(',') && f.after.starts_with(|c: char| !is_han(c)) {
            f.start -= 1;
        }
    }
    best
}

/// Model score of `s` in context, after conversion to Simplified.
fn score(s: &str, before: Option<char>, after: Option<char>) -> f64 {
    let simp = crate::convert::simplified(s);
    model::log_likelihood(&simp, before, after)
}

/// Candidate readings of `body` re-encoded with `enc` and decoded in step
/// with one lost lead byte put back in front (when `lost_lead`), or with the
/// first byte dropped. Each ASCII mark is tried as itself and as its
/// full-width form (at most 2^4 variants).
fn readings(body: &str, enc: &'static Encoding, lost_lead: bool) -> Vec<String> {
    let marks: Vec<usize> = body
        .char_indices()
        .filter(|&(_, c)| fullwidth(c).is_some())
        .map(|(i, _)| i)
        .take(4)
        .collect();
    let mut out = Vec::new();
    for mask in 0..(1u32 << marks.len()) {
        let mut variant = String::with_capacity(body.len() * 2);
        for (i, c) in body.char_indices() {
            let k = marks.iter().position(|&m| m == i);
            match k {
                Some(k) if mask & (1 << k) != 0 => variant.push(fullwidth(c).unwrap_or(c)),
                _ => variant.push(c),
            }
        }
        let (bytes, _, unmappable) = enc.encode(&variant);
        if unmappable {
            continue;
        }
        if lost_lead {
            if let Some(best) = best_lead(&bytes, enc) {
                out.push(best);
            }
        }
        if bytes.len() > 1 {
            if let Some(s) = decode_strict(&bytes[1..], enc) {
                out.push(s);
            }
        }
    }
    out
}

/// Put back the lead byte that makes the most plausible text.
fn best_lead(bytes: &[u8], enc: &'static Encoding) -> Option<String> {
    let mut best: Option<(f64, String)> = None;
    let mut buf = Vec::with_capacity(bytes.len() + 1);
    for lead in 0x81u8..=0xFE {
        buf.clear();
        buf.push(lead);
        buf.extend_from_slice(bytes);
        if let Some(s) = decode_strict(&buf, enc) {
            let sc = score(&s, None, None);
            if best.as_ref().is_none_or(|b| sc > b.0) {
                best = Some((sc, s));
            }
        }
    }
    best.map(|b| b.1)
}

fn decode_strict(bytes: &[u8], enc: &'static Encoding) -> Option<String> {
    enc.decode_without_bom_handling_and_without_replacement(bytes)
        .map(Cow::into_owned)
}
