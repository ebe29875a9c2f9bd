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
use crate::splice::Splice;
use encoding_rs::{BIG5, Encoding, GBK};
use std::borrow::Cow;

/// Fix kind recorded for each slip undone.
pub const KIND: &str = "slip:realigned";

/// How much more plausible (natural log-likelihood, in nats) the realigned
/// reading must be than the text as it stands, for a run that starts at a
/// `?` (which correct text has plenty of).
pub const MIN_GAIN: f64 = 12.0;

/// The same for a run that starts at U+FFFD: the decoder already said a byte
/// could not be read there, so less evidence is needed.
pub const MIN_GAIN_AFTER_FFFD: f64 = 6.0;

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
    let mut out = Splice::new(text);
    for line in chinese_lines(text) {
        let s = &text[line.clone()];
        if !s.contains(['?', '\u{FFFD}']) && !has_lone_letter(s) {
            continue;
        }
        // Candidates are compared in the language of the line around them
        // (a Traditional page is scored as Traditional text).
        let _scope = model::Scope::for_line(s);
        FILL_MEMO.with(|m| m.borrow_mut().clear());
        let mut from = 0;
        for (at, c) in s.char_indices() {
            if at < from {
                continue;
            }
            let found = if c == '?' && !suspicious_near(s, at) {
                // A question mark among ordinary characters is punctuation.
                None
            } else if is_marker(c) {
                // The marker may start the run (the lost byte came first) or
                // end it (the decoder got back in step by failing on a pair).
                match (realign(s, at), realign_before(s, at, from)) {
                    (Some(a), Some(b)) => Some(if b.gain > a.gain { b } else { a }),
                    (a, b) => a.or(b),
                }
            } else if is_lone_letter(s, at) && closes_a_slip(s, at) {
                realign_before(s, at, from)
            } else {
                None
            };
            if let Some(f) = found {
                let (a, b) = (line.start + f.start, line.start + f.end);
                out.replace(a..b, &f.after);
                log.record(KIND, a..b, &text[a..b], &f.after, || {
                    format!(
                        "{} bytes put back in step, +{:.1} nats",
                        f.encoding.name(),
                        f.gain
                    )
                });
                from = f.end;
            }
        }
    }
    out.finish()
}

/// Whether a U+FFFD, a tag that lost its `<`, or a character the model
/// finds improbable (see [`model::is_suspicious`]) is within three
/// characters of byte `at`: slipped
/// bytes read as text are mostly rare characters, so a `?` in ordinary text
/// is not searched (the search tries hundreds of readings).
fn suspicious_near(line: &str, at: usize) -> bool {
    let before = line[..at].chars().rev().take(3);
    let after = line[at..].chars().skip(1).take(3);
    let tag_lost_lt = line[at..]
        .char_indices()
        .take(4)
        .any(|(i, c)| is_marker(c) && swallowed_tag(&line[at + i + c.len_utf8()..]));
    tag_lost_lt
        || before
            .chain(after)
            .any(|c| c == '\u{FFFD}' || (!c.is_ascii() && model::is_suspicious(c)))
}

/// A single ASCII letter with a Han character before it and no ASCII letter
/// or digit after it: what a trail byte in the ASCII range looks like when a
/// slip ends (`帮别速I的`, `感X到`); English words and codes (`TAXI`, `A4纸`)
/// have more than one letter or a digit.
fn is_lone_letter(line: &str, at: usize) -> bool {
    let Some(c) = line[at..].chars().next() else {
        return false;
    };
    c.is_ascii_alphabetic()
        && line[..at].chars().next_back().is_some_and(is_han)
        && !line[at + 1..].starts_with(|d: char| d.is_ascii_alphanumeric())
}

/// Cheap test before the search from a lone letter: if a slip ended there,
/// the letter is the trail byte of the run's last character, whose lead byte
/// is the second byte of the character before the letter. That character
/// must exist in GBK or Big5 and be an ordinary one (`速I` → D9 49 = 買);
/// for a Latin letter in correct text it almost never is (`成E` → C9 45).
fn closes_a_slip(line: &str, at: usize) -> bool {
    let (Some(prev), Some(letter)) = (line[..at].chars().next_back(), line[at..].bytes().next())
    else {
        return false;
    };
    [GBK, BIG5].into_iter().any(|enc| {
        let mut buf = [0u8; 4];
        let (bytes, _, unmappable) = enc.encode(prev.encode_utf8(&mut buf));
        if unmappable || bytes.len() != 2 {
            return false;
        }
        decode_strict(&[bytes[1], letter], enc)
            .and_then(|s| s.chars().next())
            .is_some_and(|c| is_han(c) && model::unigram(c) > COMMON_LOGP)
    })
}

/// Unigram log-probability above which a character counts as ordinary.
const COMMON_LOGP: f32 = -10.0;

fn has_lone_letter(line: &str) -> bool {
    line.char_indices().any(|(i, _)| is_lone_letter(line, i))
}

/// Bar for a slip found from its last byte alone (no marker): the run's
/// start is unknown and each start is tried, so more evidence is needed.
pub const MIN_GAIN_NO_MARKER: f64 = 16.0;

/// Runs before the lone letter at `at` to try, in characters.
const MAX_BACK: usize = 12;

/// Realign a run that ends at `at` — a lone ASCII letter (a trail byte) or
/// a marker (a byte the decoder could not pair): every start up to
/// [`MAX_BACK`] characters back, and not before byte `floor` (where the
/// last repair ended), is tried.
fn realign_before(line: &str, at: usize, floor: usize) -> Option<Found> {
    let last = line[at..].chars().next()?;
    let end = at + last.len_utf8();
    let after = line[end..].chars().next();
    let mut best: Option<Found> = None;
    let mut start = at;
    for _ in 0..MAX_BACK {
        let Some(c) = line[..start].chars().next_back() else {
            break;
        };
        if c.is_ascii() || c.is_whitespace() || start - c.len_utf8() < floor {
            break;
        }
        start -= c.len_utf8();
        let before = line[..start].chars().next_back();
        let damaged = &line[start..end];
        let base = score(damaged, before, after);
        // A final marker is an unknown byte, not a question mark.
        let body = if is_marker(last) {
            format!("{}\u{FFFD}", &line[start..at])
        } else {
            damaged.to_owned()
        };
        for enc in [GBK, BIG5] {
            for (cand, penalty) in readings(&body, enc, before, after) {
                let gain = score(&cand, before, after) - base - penalty;
                if gain >= MIN_GAIN_NO_MARKER
                    && rereads_han(damaged, &cand)
                    && no_new_ascii(damaged, &cand)
                    && best.as_ref().is_none_or(|b| gain > b.gain)
                {
                    best = Some(Found {
                        start,
                        end,
                        after: cand,
                        gain,
                        encoding: enc,
                    });
                }
            }
        }
    }
    best
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
    let min_gain = if line[at..].starts_with('\u{FFFD}') {
        MIN_GAIN_AFTER_FFFD
    } else {
        MIN_GAIN
    };
    // `?/p>`: the slip's last byte swallowed the `<` of a tag (a lead byte
    // followed by 0x3C is not a pair, and the decoder dropped both). The
    // marker is then an unknown trail byte and the `<` is given back.
    let swallowed_lt = body.ends_with(is_marker) && swallowed_tag(&line[body_end..]);
    // A tag that lost its `<` is the decoder's failure made visible, as good
    // a sign as U+FFFD.
    let min_gain = if swallowed_lt {
        MIN_GAIN_AFTER_FFFD
    } else {
        min_gain
    };
    let mut best: Option<Found> = None;
    for enc in [GBK, BIG5] {
        for (cand, penalty) in readings(body, enc, before_run, after_run) {
            let gain = score(&cand, before_run, after_run) - base - penalty;
            if gain >= min_gain
                && rereads_han(damaged, &cand)
                && no_new_ascii(damaged, &cand)
                && best.as_ref().is_none_or(|b| gain > b.gain)
            {
                best = Some(Found {
                    start: at,
                    end: body_end,
                    after: if swallowed_lt {
                        format!("{cand}<")
                    } else {
                        cand
                    },
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

/// Whether a reading rereads the Han characters of the run. Bytes out of
/// step turn every Han character they touch into another one; a reading
/// that keeps all of them and only drops or fills markers around them
/// (`�,还是…读的�` → `还是…读的A`, `那么��` → `那么來`) gains only what
/// the U+FFFD cost, which is not evidence of a slip (they are often what an
/// earlier repair could not recover). A run without Han characters (`�!�`
/// → `。”`) is judged by its score alone.
fn rereads_han(damaged: &str, reading: &str) -> bool {
    let mut kept = reading.chars().filter(|&c| is_han(c));
    let mut han = damaged.chars().filter(|&c| is_han(c)).peekable();
    if han.peek().is_none() {
        return true;
    }
    // Not a reread when every Han character of the run is still there, in order.
    !han.all(|h| kept.any(|k| k == h))
}

/// Whether every ASCII letter, digit or symbol of a reading was already in
/// the run (in order; the marks that may stand for full-width ones aside). A
/// slip ends where an ASCII byte of the damaged stream put the decoder back
/// in step (`部署�?h` → `部署。縣`: the `h` becomes a trail byte); a reading
/// that makes new ASCII characters out of trail bytes (`�這是` → `高@是`)
/// says the page had a lone `@` between two Chinese characters, which is not
/// an explanation but another error. Letters inside parentheses are a
/// reading pasted by the converter (`還(hái)好`, its tone letters stored in
/// GBK too), which a slip legitimately brings back.
fn no_new_ascii(damaged: &str, reading: &str) -> bool {
    // Punctuation is what a slip brings back; `@` (for ＠) is not.
    let graphic = |c: &char| c.is_ascii_graphic() && (fullwidth(*c).is_none() || *c == '@');
    let mut old = damaged.chars().filter(graphic);
    let mut depth = 0usize;
    reading.chars().all(|c| {
        match c {
            '(' | '（' => depth += 1,
            ')' | '）' => depth = depth.saturating_sub(1),
            _ => {}
        }
        depth > 0 || !graphic(&c) || old.any(|o| o == c)
    })
}

/// Whether `rest` starts with the remainder of an HTML tag whose `<` is
/// missing: `/p>`, `br>`, `/div>` (a name of letters and digits, then `>`).
fn swallowed_tag(rest: &str) -> bool {
    let body = rest.strip_prefix('/').unwrap_or(rest);
    let name_len = body.bytes().take_while(u8::is_ascii_alphanumeric).count();
    (1..=10).contains(&name_len)
        && body.as_bytes()[0].is_ascii_alphabetic()
        && body[name_len..].starts_with('>')
}

/// Model score of `s` in context (in the scope of its line: see [`fix`]),
/// plus the conventions of Chinese typography that the character model,
/// built from word lists, cannot know (see [`typography`]).
fn score(s: &str, before: Option<char>, after: Option<char>) -> f64 {
    model::log_likelihood(s, before, after) + typography(s, before, after)
}

/// Adjustments, in nats, for what running Chinese text does and does not
/// do, by the punctuation norms (GB/T 15834): a single Latin letter between
/// two Chinese characters is rare (−5; it is what a slip leaves behind: a
/// trail byte in the ASCII range); two sentence marks in a row (`。。` `，。`)
/// are wrong (−4); a closing quotation mark right after `。！？` is the
/// normal order (+2).
fn typography(s: &str, before: Option<char>, after: Option<char>) -> f64 {
    let chinese = |c: Option<char>| c.is_some_and(|c| is_han(c) || crate::script::is_cjk_punct(c));
    let sentence_mark = |c: char| matches!(c, '。' | '，' | '、' | '；' | '：' | '！' | '？');
    // One pass over (before, s…, after) with a window of three, without
    // collecting (this runs for every candidate byte of every slip search).
    let mut chars = std::iter::once(before)
        .chain(s.chars().map(Some))
        .chain(std::iter::once(after));
    let (mut x, mut y) = (chars.next().flatten(), chars.next().flatten());
    let mut adj = 0.0;
    let pair = |a: Option<char>, b: Option<char>| match (a, b) {
        (Some(a), Some(b)) if sentence_mark(a) && sentence_mark(b) => -4.0,
        (Some(a), Some(b))
            if matches!(a, '。' | '！' | '？') && matches!(b, '”' | '’' | '」' | '』') =>
        {
            2.0
        }
        _ => 0.0,
    };
    adj += pair(x, y);
    for z in chars {
        if y.is_some_and(|b| b.is_ascii_alphabetic()) && chinese(x) && chinese(z) {
            adj -= 5.0;
        }
        adj += pair(y, z);
        (x, y) = (y, z);
    }
    adj
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
            // A `?` not read as `？` is a byte the decoder could not pair.
            if c == '\u{FFFD}' || c == '?' {
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
        // A reading must re-read something: dropping a lone U+FFFD (say, a
        // character cut off at the end of a UTF-8 file) is not a slip.
        if let Some(s) = fill(&bytes, enc, before, after).filter(|s| !s.is_empty()) {
            out.push((s, 0.0));
        }
        if let Some(s) =
            fill(&bytes[2.min(bytes.len())..], enc, before, after).filter(|s| !s.is_empty())
        {
            out.push((s, DROP_PENALTY));
        }
    }
    out
}

/// What decides [`fill`]'s choice for one unknown byte.
#[derive(Clone, PartialEq, Eq, Hash)]
struct FillKey {
    enc: &'static str,
    local: Vec<u8>,
    tail: Vec<u8>,
    ctx: (Option<char>, Option<char>),
    first: bool,
    open: bool,
}

thread_local! {
    /// [`fill`]'s choices on the current line (cleared for each line: the
    /// context characters are the line's, and memory stays bounded).
    static FILL_MEMO: std::cell::RefCell<std::collections::HashMap<FillKey, Option<u8>>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
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
                // What comes before the unknown byte decodes the same for
                // every choice up to its last complete character: decode it
                // once and judge each choice on the rest, in the context of
                // that character (the scores differ from whole-run scores by
                // the same amount for every choice).
                let (base, ctx) = settled_prefix(&known, enc).unwrap_or((0, before));
                // The same question comes back for every start of a run
                // tried (realign_before) and every variant of its marks.
                let key = FillKey {
                    enc: enc.name(),
                    local: known[base..].to_vec(),
                    tail: tail.clone(),
                    ctx: (if known.is_empty() { before } else { ctx }, end_ctx),
                    first: known.is_empty(),
                    open: next_unknown < bytes.len(),
                };
                if let Some(choice) = FILL_MEMO.with(|m| m.borrow().get(&key).copied()) {
                    known.push(choice?);
                    i += 1;
                    continue;
                }
                let mut best: Option<(f64, u8)> = None;
                let mut trial = Vec::with_capacity(known.len() - base + tail.len() + 1);
                // The first byte of a run is a lead byte; later ones may be
                // trail bytes too.
                let lowest = if known.is_empty() { 0x81u8 } else { 0x40 };
                for b in lowest..=0xFE {
                    trial.clear();
                    trial.extend_from_slice(&known[base..]);
                    trial.push(b);
                    trial.extend_from_slice(&tail);
                    // A lead byte at the very start only changes the first
                    // character (the rest decodes the same whatever it is):
                    // decode and score just the first two characters (four
                    // bytes); the whole run is decoded once at the end.
                    let head_only = known.is_empty() && b >= 0x81 && trial.len() > 4;
                    let (part, open) = if head_only {
                        (&trial[..4], true)
                    } else {
                        (&trial[..], next_unknown < bytes.len())
                    };
                    if let Some(s) = decode_prefix(part, enc, open) {
                        let sc = if head_only {
                            let head: String = s.chars().take(2).collect();
                            score(&head, before, None)
                        } else {
                            score(&s, ctx, end_ctx)
                        };
                        if best.is_none_or(|(bs, _)| sc > bs) {
                            best = Some((sc, b));
                        }
                    }
                }
                let choice = best.map(|(_, b)| b);
                FILL_MEMO.with(|m| m.borrow_mut().insert(key, choice));
                known.push(choice?);
            }
        }
        i += 1;
    }
    decode_strict(&known, enc)
}

/// The bytes of `known` up to the end of its last character that cannot
/// change whatever byte comes next, and that character: `(end, Some(c))`.
/// `None` when `known` does not decode (the caller then judges whole runs).
fn settled_prefix(known: &[u8], enc: &'static Encoding) -> Option<(usize, Option<char>)> {
    // Walk the double-byte structure: a byte >= 0x81 is a lead byte and takes
    // the next one with it. The last unit may be waiting for the next byte.
    let mut units: Vec<usize> = Vec::new();
    let mut i = 0;
    while i < known.len() {
        units.push(i);
        i += if known[i] >= 0x81 { 2 } else { 1 };
    }
    // Keep every unit but the last two (the last may be incomplete and the
    // one before it is the context).
    let keep = units.len().checked_sub(2)?;
    let end = units[keep];
    if end == 0 {
        return None;
    }
    let text = decode_strict(&known[..end], enc)?;
    Some((end, text.chars().next_back()))
}

/// Decode a prefix of a run strictly; when `open_end` (another unknown byte
/// follows), a lead byte left waiting for it at the end is allowed and left
/// out of the text.
fn decode_prefix(bytes: &[u8], enc: &'static Encoding, open_end: bool) -> Option<String> {
    match decode_strict(bytes, enc) {
        Some(s) => Some(s),
        None if open_end && bytes.len() > 1 => decode_strict(&bytes[..bytes.len() - 1], enc),
        None => None,
    }
}

fn decode_strict(bytes: &[u8], enc: &'static Encoding) -> Option<String> {
    enc.decode_without_bom_handling_and_without_replacement(bytes)
        .map(Cow::into_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A U+FFFD (three bytes) as the marker before a possibly swallowed tag
    /// was sliced as if one byte long: a panic inside the character (found
    /// by the `repair_slip` and `stream` fuzz targets).
    #[test]
    fn replacement_char_marker_is_not_sliced() {
        for s in [
            "Sloven\u{FFFD}ina房間硬體設施不,隔?太差,浴?太?,整間房間?3??調,\u{FFFD}",
            "好?\u{FFFD}\u{FFFD}p>的",
        ] {
            let _ = fix(s, &mut Log::detailed());
        }
    }
}
