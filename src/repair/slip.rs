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
//! context (in the language of the line: Traditional pages as Traditional). The
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

/// Cost, in nats, of the reading that drops the first byte instead of
/// putting its lost partner back: a character is lost, about what a
/// character of running text costs the model.
const DROP_PENALTY: f64 = 8.0;

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
        && syl
            .chars()
            .all(|c| c.is_ascii_lowercase() || "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü".contains(c));
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
        if !s.contains(['?', '\u{FFFD}']) {
            continue;
        }
        // Candidates are compared in the language of the line around them
        // (a Traditional page is scored as Traditional text).
        let _scope = model::Scope::for_line(s);
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
                        format!(
                            "{} bytes put back in step, +{:.1} nats",
                            f.encoding.name(),
                            f.gain
                        )
                    });
                    from = f.end;
                }
                None => from = at + s[at..].chars().next().map_or(1, char::len_utf8),
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
    // The marker of the lost byte, a reading pasted at the slip point
    // (`?cái)`), and a stray comma after it (`�,!`).
    let mut pos = at + line[at..].chars().next().map_or(1, char::len_utf8);
    if let Some(n) = pasted_reading(&line[pos..]) {
        pos += n;
    }
    if line[pos..].starts_with(',')
        && line[pos + 1..].starts_with(|d: char| is_marker(d) || fullwidth(d).is_some())
    {
        pos += 1;
    }
    let body_start = pos;
    // The body: characters the code page encodes, up to and including the
    // first ASCII letter or digit.
    let mut body_end = body_start;
    for c in line[body_start..].chars().take(MAX_RUN) {
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
    }
    let body = &line[body_start..body_end];
    let after_run = line[body_end..].chars().next();
    let damaged = &line[at..body_end];
    let base = score(damaged, before_run, after_run);
    let mut best: Option<Found> = None;
    for enc in [GBK, BIG5] {
        for (cand, penalty) in readings(body, enc, before_run, after_run) {
            let gain = score(&cand, before_run, after_run) - base - penalty;
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
    if let Some(f) = best.as_mut()
        && line[..f.start].ends_with(',')
        && f.after.starts_with(|c: char| !is_han(c))
    {
        f.start -= 1;
    }
    best
}

/// Model score of `s` in context (in the scope of its line: see [`fix`]).
fn score(s: &str, before: Option<char>, after: Option<char>) -> f64 {
    model::log_likelihood(s, before, after)
}

/// Candidate readings of `body` re-encoded with `enc` and decoded in step:
/// with the lost lead byte put back in front, or with the first byte
/// dropped (its partner was the lost one). Each ASCII mark is tried as
/// itself and as its full-width form (at most 2^4 variants); a U+FFFD or
/// `?` inside the body is a byte the decoder could not pair, to be filled.
fn readings(
    body: &str,
    enc: &'static Encoding,
    before: Option<char>,
    after: Option<char>,
) -> Vec<(String, f64)> {
    let marks: Vec<usize> = body
        .char_indices()
        .filter(|&(_, c)| fullwidth(c).is_some())
        .map(|(i, _)| i)
        .take(4)
        .collect();
    let mut out = Vec::new();
    for mask in 0..(1u32 << marks.len()) {
        // Bytes of this variant; `None` is a byte to fill.
        let mut bytes: Vec<Option<u8>> = vec![None];
        let mut ok = true;
        for (i, c) in body.char_indices() {
            let k = marks.iter().position(|&m| m == i);
            let c = match k {
                Some(k) if mask & (1 << k) != 0 => fullwidth(c).unwrap_or(c),
                _ => c,
            };
            if c == '\u{FFFD}' || (c == '?' && k.is_none()) {
                bytes.push(None);
                continue;
            }
            let mut buf = [0u8; 4];
            let (enc_bytes, _, unmappable) = enc.encode(c.encode_utf8(&mut buf));
            if unmappable {
                ok = false;
                break;
            }
            bytes.extend(enc_bytes.iter().map(|&b| Some(b)));
        }
        if !ok || bytes.iter().filter(|b| b.is_none()).count() > 3 {
            continue;
        }
        if let Some(s) = fill(&bytes, enc, before, after) {
            out.push((s, 0.0));
        }
        if let Some(s) = fill(&bytes[2.min(bytes.len())..], enc, before, after) {
            out.push((s, DROP_PENALTY));
        }
    }
    out
}

/// Fill the unknown bytes of `bytes` one after the other, each with the byte
/// that makes the most plausible text so far (in context), and decode.
fn fill(
    bytes: &[Option<u8>],
    enc: &'static Encoding,
    before: Option<char>,
    after: Option<char>,
) -> Option<String> {
    let mut known: Vec<u8> = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            Some(b) => known.push(b),
            None => {
                // Decode up to the next unknown to judge each choice.
                let next_unknown = bytes[i + 1..]
                    .iter()
                    .position(Option::is_none)
                    .map_or(bytes.len(), |p| i + 1 + p);
                let tail: Vec<u8> = bytes[i + 1..next_unknown]
                    .iter()
                    .flatten()
                    .copied()
                    .collect();
                let end_ctx = if next_unknown == bytes.len() {
                    after
                } else {
                    None
                };
                let mut best: Option<(f64, u8)> = None;
                let mut trial = Vec::with_capacity(known.len() + tail.len() + 1);
                // The first byte of a run is a lead byte; later ones may be
                // trail bytes too.
                let lowest = if known.is_empty() { 0x81u8 } else { 0x40 };
                for b in lowest..=0xFE {
                    trial.clear();
                    trial.extend_from_slice(&known);
                    trial.push(b);
                    trial.extend_from_slice(&tail);
                    if let Some(s) = decode_strict(&trial, enc) {
                        let sc = score(&s, before, end_ctx);
                        if best.is_none_or(|(bs, _)| sc > bs) {
                            best = Some((sc, b));
                        }
                    }
                }
                known.push(best?.1);
            }
        }
        i += 1;
    }
    decode_strict(&known, enc)
}

fn decode_strict(bytes: &[u8], enc: &'static Encoding) -> Option<String> {
    enc.decode_without_bom_handling_and_without_replacement(bytes)
        .map(Cow::into_owned)
}
