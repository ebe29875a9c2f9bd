//! Mojibake involving the CJK multi-byte code pages: UTF-8 read as GBK, Big5,
//! Shift_JIS, EUC-KR or EUC-JP; GBK, Big5, Shift_JIS, EUC-KR or EUC-JP read
//! as cp1252/latin-1; Big5 read as GBK and GBK read as Big5.
//!
//! How it works, line by line:
//!
//! 1. A cheap pre-scan ([`model::is_suspicious`]) skips every line without a
//!    character that is rare in real text; clean text is returned borrowed.
//! 2. For each (wrong code page, right code page) pair of `PAIRS`, every
//!    run of characters the wrong code page can encode is encoded back to
//!    bytes (a U+FFFD becomes a lost byte, a `?` a possibly lost byte) and
//!    decoded with the right code page, position by position.
//! 3. Stretches that decode cleanly and start and end on character
//!    boundaries of the line are candidates. Lost bytes are filled in with
//!    the value the model finds decisively most plausible in context, or
//!    left as one U+FFFD.
//! 4. A candidate is applied only when the model finds it decisively more
//!    plausible than the text it replaces, which must itself look
//!    improbable (see `accept`).
//!
//! `锟斤拷` runs (UTF-8 of U+FFFD read as GBK) are replaced by one U+FFFD.

mod codec;

use crate::explain::Log;
use crate::model;
use codec::{B, Cp, Tok};
use std::borrow::Cow;

/// A damage pattern: text in `right` was decoded as `wrong`.
struct Pair {
    wrong: Cp,
    right: Cp,
    kind: &'static str,
}

/// The damage patterns tried on every suspicious run.
const PAIRS: &[Pair] = &[
    Pair {
        wrong: Cp::Gbk,
        right: Cp::Utf8,
        kind: "mojibake:utf8-as-gbk",
    },
    Pair {
        wrong: Cp::Big5,
        right: Cp::Utf8,
        kind: "mojibake:utf8-as-big5",
    },
    Pair {
        wrong: Cp::Sjis,
        right: Cp::Utf8,
        kind: "mojibake:utf8-as-shift_jis",
    },
    Pair {
        wrong: Cp::EucKr,
        right: Cp::Utf8,
        kind: "mojibake:utf8-as-euc-kr",
    },
    Pair {
        wrong: Cp::EucJp,
        right: Cp::Utf8,
        kind: "mojibake:utf8-as-euc-jp",
    },
    Pair {
        wrong: Cp::Cp1252,
        right: Cp::Gbk,
        kind: "mojibake:gbk-as-cp1252",
    },
    Pair {
        wrong: Cp::Cp1252,
        right: Cp::Big5,
        kind: "mojibake:big5-as-cp1252",
    },
    Pair {
        wrong: Cp::Cp1252,
        right: Cp::Sjis,
        kind: "mojibake:shift_jis-as-cp1252",
    },
    Pair {
        wrong: Cp::Cp1252,
        right: Cp::EucKr,
        kind: "mojibake:euc-kr-as-cp1252",
    },
    Pair {
        wrong: Cp::Cp1252,
        right: Cp::EucJp,
        kind: "mojibake:euc-jp-as-cp1252",
    },
    Pair {
        wrong: Cp::Gbk,
        right: Cp::Big5,
        kind: "mojibake:big5-as-gbk",
    },
    Pair {
        wrong: Cp::Big5,
        right: Cp::Gbk,
        kind: "mojibake:gbk-as-big5",
    },
];

/// Kind recorded for a `锟斤拷` run replaced by U+FFFD.
pub const KIND_LOST: &str = "mojibake:lost-utf8-fffd-as-gbk";

/// Minimum gain in nats of an applied repair, plus [`MARGIN_PER_CHAR`] per
/// replaced non-ASCII character.
const MARGIN: f64 = 6.0;
const MARGIN_PER_CHAR: f64 = 2.0;
/// The replacement's non-ASCII characters must average at least this
/// log-likelihood (real text)…
const PLAUSIBLE: f64 = -10.5;
/// … and the replaced ones at most this (mojibake is improbable).
const IMPROBABLE: f64 = -9.0;
/// A lost byte is filled in only when the model gives the best reading at
/// least this probability given its context (more likely than all the
/// other readings together).
const DECISIVE: f32 = 0.5;
/// … or at least e^1.5 ≈ 4.5 times as probable as the runner-up (a lost `。`
/// at the end of a sentence, 0.40, against `、` at 0.09 and a tail of rare
/// brackets).
const RUNNER_UP_MARGIN: f32 = 1.5;

thread_local! {
    /// Digests of the lines [`fix_line`] examined and left alone since the
    /// last [`forget_examined`]. What it does with a line depends on the line
    /// alone, so when the pipeline runs again over its own output (see
    /// `fix_text`), the lines that were garbage without a better reading are
    /// not searched again.
    static EXAMINED: std::cell::RefCell<std::collections::HashSet<u64>> =
        std::cell::RefCell::new(std::collections::HashSet::new());
}

fn digest(line: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    line.hash(&mut h);
    h.finish()
}

/// Start a new text: forget the lines examined for the previous one.
pub fn forget_examined() {
    EXAMINED.with(|m| m.borrow_mut().clear());
}

/// Most digests kept in [`EXAMINED`] (the set is emptied when full, so a
/// caller of [`fix`] that never calls [`forget_examined`] stays bounded).
const EXAMINED_MAX: usize = 1 << 16;

/// [`fix_line`], unless the line was already examined without a repair.
fn examine(line: &str, offset: usize, log: &mut Log) -> Option<String> {
    let key = digest(line);
    if EXAMINED.with(|m| m.borrow().contains(&key)) {
        return None;
    }
    let fixed = fix_line(line, offset, log);
    if fixed.is_none() {
        EXAMINED.with(|m| {
            let mut m = m.borrow_mut();
            if m.len() >= EXAMINED_MAX {
                m.clear();
            }
            m.insert(key);
        });
    }
    fixed
}

/// Undo CJK mojibake in `text`.
pub fn fix<'a>(text: &'a str, log: &mut Log) -> Cow<'a, str> {
    if text.is_ascii() || !crate::scan::any_suspicious(text) {
        return Cow::Borrowed(text);
    }
    // The output is built from the first changed line on; a text without a
    // repair is returned borrowed without being copied.
    let mut out: Option<String> = None;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let fixed = if may_need_repair(line) {
            examine(line, offset, log)
        } else {
            None
        };
        match (fixed, &mut out) {
            (Some(fixed), Some(out)) => out.push_str(&fixed),
            (Some(fixed), None) => {
                let mut o = String::with_capacity(text.len() + fixed.len());
                o.push_str(&text[..offset]);
                o.push_str(&fixed);
                out = Some(o);
            }
            (None, Some(out)) => out.push_str(line),
            (None, None) => {}
        }
        offset += line.len();
    }
    match out {
        Some(out) => Cow::Owned(out),
        None => Cow::Borrowed(text),
    }
}

/// Fast pre-scan of one line: [`fix_line`] can only act on a `锟斤拷` run or
/// on a window of at least two characters suspicious in the line's scoring
/// scope ([`model::Scope::for_line`]); any other line is skipped without
/// collecting its characters.
fn may_need_repair(line: &str) -> bool {
    if line.is_ascii() {
        return false;
    }
    // One pass with the character table: the line's scope and its
    // suspicious characters in that scope.
    crate::scan::Counts::of(line).suspicious_in_own_scope() >= 2 || line.contains("锟斤拷")
}

/// A proposed replacement of `line[start..end]`.
struct Cand {
    start: usize,
    end: usize,
    new: String,
    gain: f64,
    kind: &'static str,
    note: String,
}

fn fix_line(line: &str, offset: usize, log: &mut Log) -> Option<String> {
    let _scope = model::Scope::for_line(line);
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let windows = suspicious_windows(&chars);
    let mut cands = lost_runs(line);
    let facts = LineFacts::of(line);
    if windows.is_empty() && cands.is_empty() {
        return None;
    }
    for pair in PAIRS {
        let mut done = 0;
        for &(lo, hi) in &windows {
            candidates_for(&facts, line, &chars, (lo, hi), pair, &mut done, &mut cands);
        }
    }
    if cands.is_empty() {
        return None;
    }
    cands.sort_by(|a, b| b.gain.total_cmp(&a.gain));
    let mut chosen: Vec<Cand> = Vec::new();
    for c in cands {
        if chosen.iter().all(|k| c.end <= k.start || c.start >= k.end) {
            chosen.push(c);
        }
    }
    chosen.sort_by_key(|c| c.start);
    let mut out = String::with_capacity(line.len());
    let mut pos = 0;
    for c in &chosen {
        out.push_str(&line[pos..c.start]);
        out.push_str(&c.new);
        let before = &line[c.start..c.end];
        let note = &c.note;
        log.record(
            c.kind,
            offset + c.start..offset + c.end,
            before,
            &c.new,
            || note.clone(),
        );
        pos = c.end;
    }
    out.push_str(&line[pos..]);
    Some(out)
}

/// `锟斤拷` runs: the UTF-8 bytes of U+FFFD read as GBK. Nothing is left of
/// the original characters; each run becomes one U+FFFD.
fn lost_runs(line: &str) -> Vec<Cand> {
    const PAT: &str = "锟斤拷";
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = line[from..].find(PAT) {
        let start = from + i;
        let mut end = start + PAT.len();
        while line[end..].starts_with(PAT) {
            end += PAT.len();
        }
        out.push(Cand {
            start,
            end,
            new: "\u{FFFD}".to_owned(),
            gain: f64::INFINITY,
            kind: KIND_LOST,
            note: "UTF-8 of U+FFFD read as GBK: the original is lost".to_owned(),
        });
        from = end;
    }
    out
}

/// Most gap (in characters) between two suspicious characters of one window.
const MAX_GAP: usize = 3;
/// Characters of context added on each side of a window.
const PAD: usize = 2;

/// The stretches of a line worth checking: clusters of at least two
/// suspicious characters (no gap wider than [`MAX_GAP`]), padded by [`PAD`]
/// characters, as ranges of char indices. Mojibake of even one character
/// yields two or more improbable characters, while a rare character in
/// correct text stands alone; so clean lines cost one pass of
/// [`model::is_suspicious`] and nothing else.
fn suspicious_windows(chars: &[(usize, char)]) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    // first, last, count, whether a member is a Han character
    let mut cluster: Option<(usize, usize, usize, bool)> = None;
    let flush = |c: Option<(usize, usize, usize, bool)>, out: &mut Vec<(usize, usize)>| {
        let Some((first, last, n, has_han)) = c else {
            return;
        };
        if n < 2 {
            return;
        }
        // A cluster of symbols only (`“` … `”`, `……`) with Chinese text
        // between them is not one run of a double-byte text read as a
        // single-byte code page — such a run has no Han character in it —
        // and mojibake read as a CJK code page would bring improbable Han
        // characters into the cluster itself.
        if !has_han
            && chars[first..=last]
                .iter()
                .any(|&(_, c)| crate::script::is_han(c))
        {
            return;
        }
        let lo = first.saturating_sub(PAD);
        let hi = (last + 1 + PAD).min(chars.len());
        match out.last_mut() {
            Some(prev) if prev.1 >= lo => prev.1 = hi,
            _ => out.push((lo, hi)),
        }
    };
    for (k, &(_, c)) in chars.iter().enumerate() {
        if !model::is_suspicious(c) {
            continue;
        }
        let han = crate::script::is_han(c);
        cluster = match cluster {
            Some((first, last, n, h)) if k - last <= MAX_GAP => Some((first, k, n + 1, h || han)),
            other => {
                flush(other, &mut out);
                Some((k, k, 1, han))
            }
        };
    }
    flush(cluster, &mut out);
    out
}

/// Find the candidates of one damage pattern in `line`, in the runs that
/// lie within char indices `lo..hi` of `chars`.
fn candidates_for(
    facts: &LineFacts,
    line: &str,
    chars: &[(usize, char)],
    (lo, hi): (usize, usize),
    pair: &Pair,
    done: &mut usize,
    out: &mut Vec<Cand>,
) {
    let mut i = lo.max(*done);
    while i < hi {
        if !codec::can_encode(pair.wrong, chars[i].1) {
            i += 1;
            continue;
        }
        // A run is the whole stretch of encodable characters around the
        // window, not clipped to it: the window says where to look, and the
        // damage reaches as far as the bytes still decode (a line of Big5
        // read as GBK has plausible-looking characters at its ends).
        let mut start = i;
        while start > *done && codec::can_encode(pair.wrong, chars[start - 1].1) {
            start -= 1;
        }
        let mut j = i;
        let mut suspicious = false;
        while j < chars.len() && codec::can_encode(pair.wrong, chars[j].1) {
            suspicious |= model::is_suspicious(chars[j].1);
            j += 1;
        }
        if suspicious {
            let (a, b) = if j - start <= MAX_RUN {
                (start, j)
            } else {
                (i, j.min(hi))
            };
            run_candidates(facts, line, chars, a, b, pair, out);
        }
        i = j;
        *done = j;
    }
}

/// Longest run (in characters) decoded whole; a longer one (a huge line) is
/// decoded from the window's start to its end only, which bounds the work.
const MAX_RUN: usize = 20_000;

/// Candidates inside the run `chars[ci..cj]`, all encodable in `pair.wrong`.
fn run_candidates(
    facts: &LineFacts,
    line: &str,
    chars: &[(usize, char)],
    ci: usize,
    cj: usize,
    pair: &Pair,
    out: &mut Vec<Cand>,
) {
    let mut buf: Vec<B> = Vec::new();
    // char_at[p] = Some(k) when byte p of `buf` starts run char k (p may be buf.len()).
    let mut starts: Vec<usize> = Vec::with_capacity(cj - ci + 1);
    for &(_, c) in &chars[ci..cj] {
        starts.push(buf.len());
        if !codec::encode_char(pair.wrong, c, &mut buf) {
            return;
        }
    }
    starts.push(buf.len());
    let mut char_at: Vec<Option<usize>> = vec![None; buf.len() + 1];
    for (k, &p) in starts.iter().enumerate() {
        char_at[p] = Some(ci + k);
    }
    let toks = codec::decode(&buf, pair.right, pair.wrong, true);
    let mut t = 0;
    while t < toks.len() {
        if toks[t].cands.is_empty() {
            t += 1;
            continue;
        }
        let mut u = t;
        while u < toks.len() && !toks[u].cands.is_empty() {
            u += 1;
        }
        stretch_candidate(facts, line, chars, &toks[t..u], &char_at, pair, out);
        t = u;
    }
}

/// One source-aligned unit: run chars `c0..c1` decode to `new`.
struct Atom {
    c0: usize,
    c1: usize,
    new: Vec<char>,
}

fn stretch_candidate(
    facts: &LineFacts,
    line: &str,
    chars: &[(usize, char)],
    toks: &[Tok],
    char_at: &[Option<usize>],
    pair: &Pair,
    out: &mut Vec<Cand>,
) {
    // Trim to char boundaries.
    let Some(first) = toks.iter().position(|t| char_at[t.start].is_some()) else {
        return;
    };
    let Some(last) = toks.iter().rposition(|t| char_at[t.end].is_some()) else {
        return;
    };
    if last < first {
        return;
    }
    let toks = &toks[first..=last];
    let Some(c_first) = char_at[toks[0].start] else {
        return;
    };
    let before = c_first.checked_sub(1).map(|k| chars[k].1);
    let after_stretch = toks
        .last()
        .and_then(|t| char_at[t.end])
        .and_then(|k| chars.get(k))
        .map(|&(_, c)| c);
    // Lost bytes are filled in as the language the stretch reads as (its
    // certain characters decide: a Big5 reading is Traditional, where `為了`
    // is common), not as the garbled line looks.
    let resolved = {
        let certain: String = toks
            .iter()
            .filter_map(|t| match t.cands[..] {
                [c] => Some(c),
                _ => None,
            })
            .collect();
        // Big5 encodes Traditional text: its readings are scored as such.
        let _scope = if pair.right == Cp::Big5 {
            model::Scope::set(true)
        } else {
            model::Scope::for_line(&certain)
        };
        // A lost byte of a line without Hangul or kana is not one of them
        // either (the guard below rejects such readings anyway): leaving
        // them out keeps Japanese kana, common in the model, from diluting
        // the choice (`晓��` is `晓。`, not one of 200 kana).
        let offers_foreign = || {
            toks.iter()
                .any(|t| t.cands.len() > 1 && t.cands.iter().any(|&c| is_foreign_letter(c)))
        };
        if facts.foreign == 0 && !certain.chars().any(is_foreign_letter) && offers_foreign() {
            let own: Vec<Tok> = toks
                .iter()
                .map(|t| {
                    let mut t = t.clone();
                    if t.cands.len() > 1 {
                        let kept: Vec<char> = t
                            .cands
                            .iter()
                            .copied()
                            .filter(|&c| !is_foreign_letter(c))
                            .collect();
                        if !kept.is_empty() {
                            t.cands = kept;
                        }
                    }
                    t
                })
                .collect();
            resolve(&own, before, after_stretch)
        } else {
            resolve(toks, before, after_stretch)
        }
    };
    // Cut into atoms at aligned token boundaries.
    let mut atoms: Vec<Atom> = Vec::new();
    let mut cur: Option<Atom> = None;
    for (t, &c) in toks.iter().zip(&resolved) {
        if let Some(k) = char_at[t.start] {
            if let Some(mut a) = cur.take() {
                a.c1 = k;
                atoms.push(a);
            }
            cur = Some(Atom {
                c0: k,
                c1: k,
                new: Vec::new(),
            });
        }
        if let Some(a) = cur.as_mut() {
            a.new.push(c);
        }
    }
    if let (Some(mut a), Some(t)) = (cur, toks.last()) {
        let Some(k) = char_at[t.end] else { return };
        a.c1 = k;
        atoms.push(a);
    }
    // Per-atom gain, then the best contiguous range (Kadane). A Big5
    // reading is Traditional text and is scored as such here too.
    let _scope = (pair.right == Cp::Big5).then(|| model::Scope::set(true));
    let mut gains = Vec::with_capacity(atoms.len());
    let mut prev_new = before;
    for a in &atoms {
        let mut old = 0.0f64;
        let mut prev_old = a.c0.checked_sub(1).map(|k| chars[k].1);
        for &(_, c) in &chars[a.c0..a.c1] {
            old += model::conditional(prev_old, c) as f64;
            prev_old = Some(c);
        }
        let mut new = 0.0f64;
        for &c in &a.new {
            new += model::conditional(prev_new, c) as f64;
            prev_new = Some(c);
        }
        gains.push(new - old - lost_pair_credit(&chars[a.c0..a.c1], &a.new));
    }
    let (mut best, mut best_range) = (0.0f64, None);
    let (mut run, mut run_start) = (0.0f64, 0);
    for (k, &g) in gains.iter().enumerate() {
        if run <= 0.0 {
            run = 0.0;
            run_start = k;
        }
        run += g;
        if run > best {
            best = run;
            best_range = Some((run_start, k));
        }
    }
    let Some((mut a0, mut a1)) = best_range else {
        return;
    };
    // One CJK code page read as another maps common characters to common
    // characters often enough (Big5 `散熱問` read as GBK is `床荐拜`) that
    // the edges of a damaged stretch can score as well in the wrong reading
    // as in the right one, and the best-gain range stops short of them. The
    // bytes of a run were damaged together, so next to a decisive core an
    // atom whose right reading is about as plausible as its wrong one (loses
    // at most [`EDGE_LOSS`] nats, reads as common characters) belongs to the
    // damage too. Correct text next to such mojibake reads as rare
    // characters in the other code page and stops the extension.
    if is_cross(pair) {
        let edge_ok = |k: usize| {
            gains[k] >= -EDGE_LOSS
                && atoms[k].new.iter().any(|c| !c.is_ascii())
                && atoms[k]
                    .new
                    .iter()
                    .all(|&c| c.is_ascii() || model::unigram(c) >= EDGE_COMMON)
        };
        while a0 > 0 && edge_ok(a0 - 1) {
            a0 -= 1;
        }
        while a1 + 1 < atoms.len() && edge_ok(a1 + 1) {
            a1 += 1;
        }
    }
    let (c0, c1) = (atoms[a0].c0, atoms[a1].c1);
    let new: String = atoms[a0..=a1].iter().flat_map(|a| a.new.iter()).collect();
    let start = chars[c0].0;
    let end = chars.get(c1).map_or(line.len(), |&(b, _)| b);
    let old = &line[start..end];
    if old == new {
        return;
    }
    let before = c0.checked_sub(1).map(|k| chars[k].1);
    let after = chars.get(c1).map(|&(_, c)| c);
    if pair.wrong == Cp::Cp1252 && !(whole_run_edge(before) && whole_run_edge(after)) {
        return;
    }
    // Without Chinese text elsewhere on the line, one CJK character is too
    // little evidence (`5×£35` is not `5龍35`); next to a letter of an
    // alphabet (`DrÃ¥ber`, `BÄDÄÑ`, `Ру�кий`) a short run is far more likely
    // Latin or Cyrillic text, or their mojibake, than a CJK word: ask for
    // three there. With Chinese text on the line, `PythonºÍC++` is Python和C++.
    let han_elsewhere = facts.han > old.chars().filter(|&c| is_common_han(c)).count();
    if !han_elsewhere {
        let letter = |c: Option<char>| c.is_some_and(|c| c.is_alphabetic() && !is_cjk_letter(c));
        let need = if letter(before) || letter(after) {
            3
        } else {
            2
        };
        if new.chars().filter(|c| !c.is_ascii()).count() < need {
            return;
        }
    }
    // A reading in Hangul, kana or another alphabet inside a line of Chinese
    // text that has none (`梁德妍` is not `梁힛J`, `壯侗語系` not `Ё司語系`)
    // changes the language of the line: that is a name or a rare word, not
    // mojibake.
    if new.chars().any(is_foreign_letter) {
        let other = facts.foreign > old.chars().filter(|&c| is_foreign_letter(c)).count();
        if han_elsewhere && !other {
            return;
        }
    }
    // One CJK code page read as another turns Han into Han, so any rare
    // pair of characters has a reading that scores better: ask for at least
    // three characters (real damage of this kind spans lines) and twice the
    // evidence per character, …
    let cross = is_cross(pair);
    let old_cjk = old
        .chars()
        .filter(|&c| !c.is_ascii() && c != '\u{FFFD}')
        .count();
    if cross && old_cjk < 3 {
        return;
    }
    // … and, for every pair, the characters themselves must read better on
    // average: a gain made only by trading CJK characters for cheap ASCII
    // letters of lost bytes (`讀更` → `植X`) is not evidence.
    let (o, n) = (mean_non_ascii(old, before), mean_non_ascii(&new, before));
    if n <= o {
        return;
    }
    let credit = lost_pair_credit(&chars[c0..c1], new.chars().collect::<Vec<_>>().as_slice());
    if let Some(gain) = accept(old, &new, before, after, credit)
        && (!cross || gain >= MARGIN + 2.0 * MARGIN_PER_CHAR * old_cjk as f64)
    {
        out.push(Cand {
            start,
            end,
            note: format!("model gain {gain:+.1} nats; {o:.1} -> {n:.1} per CJK char"),
            new,
            gain,
            kind: pair.kind,
        });
    }
}

/// Most an edge atom may lose to be taken into a cross-code-page repair.
const EDGE_LOSS: f64 = 3.0;
/// Least unigram log-probability of the characters of such an edge atom.
const EDGE_COMMON: f32 = -10.0;

/// One CJK double-byte code page read as another (Big5 as GBK, GBK as Big5).
fn is_cross(pair: &Pair) -> bool {
    pair.wrong != Cp::Cp1252 && pair.right != Cp::Utf8 && pair.wrong != Cp::Utf8
}

/// Counts over a whole line, taken once so that each candidate can ask
/// about "the rest of the line" without scanning it (lines can be megabytes).
struct LineFacts {
    /// Han characters.
    han: usize,
    /// Letters of Hangul, kana or a non-ASCII alphabet ([`is_foreign_letter`]).
    foreign: usize,
}

impl LineFacts {
    fn of(line: &str) -> LineFacts {
        let (mut han, mut foreign) = (0, 0);
        for c in line.chars() {
            if is_common_han(c) {
                han += 1;
            } else if is_foreign_letter(c) {
                foreign += 1;
            }
        }
        LineFacts { han, foreign }
    }
}

/// A letter that is not Chinese: Hangul, kana, or a non-ASCII letter of an
/// alphabet (Cyrillic, Greek, accented Latin …).
fn is_foreign_letter(c: char) -> bool {
    crate::script::is_hangul(c)
        || crate::script::is_kana(c)
        || (c.is_alphabetic() && !c.is_ascii() && !crate::script::is_han(c))
}

/// A Han character of the BMP: evidence of Chinese text on a line. The rare
/// ideographs of the supplementary planes (extensions B–G) are not: one of
/// them in a Latin line (`giảm 𰛣 Žádní`) must not make `Žá` read as
/// Shift_JIS `若`.
fn is_common_han(c: char) -> bool {
    crate::script::is_han(c) && (c as u32) < 0x10000
}

fn is_cjk_letter(c: char) -> bool {
    crate::script::is_han(c) || crate::script::is_kana(c) || crate::script::is_hangul(c)
}

/// Whether `c`, next to a candidate read from windows-1252, lets the
/// candidate stand. A double-byte text read as windows-1252 is a run of
/// Latin-1 and windows-1252 symbols; a candidate must take all of it (a
/// neighbour from that run means only part of the bytes were decoded, which
/// in Latin-script garble such as `â‚¬å¡` is chance).
fn whole_run_edge(c: Option<char>) -> bool {
    match c {
        None => true,
        Some(c) => c.is_ascii() || !codec::can_encode(Cp::Cp1252, c),
    }
}

/// Mean conditional log-likelihood of the non-ASCII characters of `s`.
fn mean_non_ascii(s: &str, before: Option<char>) -> f64 {
    let (mut sum, mut n) = (0.0f64, 0usize);
    let mut prev = before;
    for c in s.chars() {
        if !c.is_ascii() && c != '\u{FFFD}' {
            sum += model::conditional(prev, c) as f64;
            n += 1;
        }
        prev = Some(c);
    }
    if n == 0 { 0.0 } else { sum / n as f64 }
}

/// The score a reading gains only by writing fewer U+FFFD than the text it
/// replaces (two lost bytes of one double-byte character become one U+FFFD):
/// that is bookkeeping, not evidence, so it is taken off the gain.
fn lost_pair_credit(old: &[(usize, char)], new: &[char]) -> f64 {
    let n_old = old.iter().filter(|&&(_, c)| c == '\u{FFFD}').count();
    let n_new = new.iter().filter(|&&c| c == '\u{FFFD}').count();
    n_old.saturating_sub(n_new) as f64 * -f64::from(model::conditional(None, '\u{FFFD}'))
}

/// Is replacing `old` by `new` (between `before` and `after`) decisively
/// better, not counting `credit` nats of the gain that are not evidence?
/// Returns the gain in nats when it is.
fn accept(
    old: &str,
    new: &str,
    before: Option<char>,
    after: Option<char>,
    credit: f64,
) -> Option<f64> {
    let n_new = new
        .chars()
        .filter(|c| !c.is_ascii() && *c != '\u{FFFD}')
        .count();
    if n_new == 0 {
        return None;
    }
    let n_old = old.chars().filter(|c| !c.is_ascii()).count();
    // One character for another is too little evidence: mojibake of even a
    // single character leaves two or more behind (UTF-8 read as GBK, GBK read
    // as cp1252), and a lone rare character is far more often just rare.
    if n_old < 2 {
        return None;
    }
    // Each reading is scored as the language it reads as: a Traditional
    // reading as Traditional text, the rest as Simplified.
    let score = |s: &str| {
        let _scope = model::Scope::for_line(s);
        model::log_likelihood(s, before, after)
    };
    let gain = score(new) - score(old) - credit;
    let margin = MARGIN + MARGIN_PER_CHAR * n_old.max(n_new) as f64;
    if gain < margin {
        return None;
    }
    if mean_non_ascii(new, before) < PLAUSIBLE || mean_non_ascii(old, before) > IMPROBABLE {
        return None;
    }
    Some(gain)
}

/// Pick one character per token. Tokens with one reading keep it; a token
/// whose lost byte leaves several readings is decided jointly with its
/// neighbours: the forward-backward algorithm over the bigram model (from the
/// character `before` the stretch to the one `after` it) gives each reading
/// its probability given the whole stretch, summed over every path through
/// the other tokens' readings. A reading is kept when it is more probable
/// than all the others together (posterior at least [`DECISIVE`]) or far
/// more probable than the next best ([`RUNNER_UP_MARGIN`]); otherwise the
/// token becomes U+FFFD. Deciding tokens one at a time fails
/// exactly where damage is densest: two neighbouring lost bytes left each
/// other without context (`装��F` for `度高了`), and the choice was made
/// from one side only.
fn resolve(toks: &[Tok], before: Option<char>, after: Option<char>) -> Vec<char> {
    let n = toks.len();
    let cond = |p: Option<char>, c: char| model::conditional(p, c);
    // fwd[k][i]: log of the summed probability of every path from `before`
    // to candidate i of token k.
    let mut fwd: Vec<Vec<f32>> = Vec::with_capacity(n);
    for (k, t) in toks.iter().enumerate() {
        let row: Vec<f32> = t
            .cands
            .iter()
            .map(
                |&c| match k.checked_sub(1).and_then(|p| fwd.get(p).map(|r| (p, r))) {
                    None => cond(before, c),
                    Some((p, prev)) => log_sum(
                        toks[p]
                            .cands
                            .iter()
                            .zip(prev)
                            .map(|(&pc, &s)| s + cond(Some(pc), c)),
                    ),
                },
            )
            .collect();
        fwd.push(row);
    }
    // bwd[k][i]: the same for the rest of the paths after candidate i of token k.
    let mut bwd: Vec<Vec<f32>> = vec![Vec::new(); n];
    for k in (0..n).rev() {
        bwd[k] = toks[k]
            .cands
            .iter()
            .map(|&c| match toks.get(k + 1) {
                None => after.map_or(0.0, |a| cond(Some(c), a)),
                Some(next) => log_sum(
                    next.cands
                        .iter()
                        .zip(&bwd[k + 1])
                        .map(|(&nc, &s)| cond(Some(c), nc) + s),
                ),
            })
            .collect();
    }
    let mut out = Vec::with_capacity(n);
    for k in 0..n {
        let t = &toks[k];
        if let [only] = t.cands[..] {
            out.push(only);
            continue;
        }
        let scores: Vec<f32> = (0..t.cands.len()).map(|i| fwd[k][i] + bwd[k][i]).collect();
        let total = log_sum(scores.iter().copied());
        let best_i = scores
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(b.1))
            .map(|(i, _)| i);
        let best = best_i.map(|i| (t.cands[i], scores[i] - total));
        // The runner-up is any other reading (a tie with the best is one).
        let second = scores
            .iter()
            .enumerate()
            .filter(|&(i, _)| Some(i) != best_i)
            .map(|(_, &s)| s)
            .fold(f32::NEG_INFINITY, f32::max)
            - total;
        let c = match best {
            Some((c, posterior))
                if (posterior >= DECISIVE.ln() || posterior - second >= RUNNER_UP_MARGIN)
                    && model::unigram(c) >= -12.0 =>
            {
                c
            }
            _ => '\u{FFFD}',
        };
        out.push(c);
    }
    out
}

/// ln Σ exp(x) of a sequence of log-probabilities, without overflow.
fn log_sum(xs: impl Iterator<Item = f32> + Clone) -> f32 {
    let m = xs.clone().fold(f32::NEG_INFINITY, f32::max);
    if !m.is_finite() {
        return m;
    }
    m + xs.map(|x| (x - m).exp()).sum::<f32>().ln()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(s: &str) -> String {
        let mut log = Log::detailed();
        fix(s, &mut log).into_owned()
    }

    #[test]
    fn rare_ideograph_is_no_evidence_of_chinese() {
        for s in ["Actualizări, \u{306E3} giảm Žádní", "\u{20000} Žádní"] {
            assert_eq!(run(s), s);
        }
    }

    #[test]
    fn examples() {
        assert_eq!(run("鍙傝€冩枃鐚�"), "参考文献");
        assert_eq!(run("缂栫爜娴嬭瘯"), "编码测试");
        assert_eq!(run("ÖÐÎÄ"), "中文");
        assert_eq!(run("¼òÌåÖÐÎÄÍøÒ³"), "简体中文网页");
        assert_eq!(run("譌･譛ｬ"), "日本");
    }
}
