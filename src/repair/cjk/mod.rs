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
/// A lost byte is filled in only when the best guess beats the next by this.
const DECISIVE: f32 = 1.5;

/// Undo CJK mojibake in `text`.
pub fn fix<'a>(text: &'a str, log: &mut Log) -> Cow<'a, str> {
    if text.is_ascii() || !text.chars().any(model::is_suspicious) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut changed = false;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        match fix_line(line, offset, log) {
            Some(fixed) => {
                out.push_str(&fixed);
                changed = true;
            }
            None => out.push_str(line),
        }
        offset += line.len();
    }
    if changed {
        Cow::Owned(out)
    } else {
        Cow::Borrowed(text)
    }
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
    if windows.is_empty() && cands.is_empty() {
        return None;
    }
    for pair in PAIRS {
        for &(lo, hi) in &windows {
            candidates_for(line, &chars, (lo, hi), pair, &mut cands);
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
    let mut cluster: Option<(usize, usize, usize)> = None; // first, last, count
    let flush = |c: Option<(usize, usize, usize)>, out: &mut Vec<(usize, usize)>| {
        if let Some((first, last, n)) = c
            && n >= 2
        {
            let lo = first.saturating_sub(PAD);
            let hi = (last + 1 + PAD).min(chars.len());
            match out.last_mut() {
                Some(prev) if prev.1 >= lo => prev.1 = hi,
                _ => out.push((lo, hi)),
            }
        }
    };
    for (k, &(_, c)) in chars.iter().enumerate() {
        if !model::is_suspicious(c) {
            continue;
        }
        cluster = match cluster {
            Some((first, last, n)) if k - last <= MAX_GAP => Some((first, k, n + 1)),
            other => {
                flush(other, &mut out);
                Some((k, k, 1))
            }
        };
    }
    flush(cluster, &mut out);
    out
}

/// Find the candidates of one damage pattern in `line`, in the runs that
/// lie within char indices `lo..hi` of `chars`.
fn candidates_for(
    line: &str,
    chars: &[(usize, char)],
    (lo, hi): (usize, usize),
    pair: &Pair,
    out: &mut Vec<Cand>,
) {
    let mut i = lo;
    while i < hi {
        if !codec::can_encode(pair.wrong, chars[i].1) {
            i += 1;
            continue;
        }
        let mut j = i;
        let mut suspicious = false;
        while j < hi && codec::can_encode(pair.wrong, chars[j].1) {
            suspicious |= model::is_suspicious(chars[j].1);
            j += 1;
        }
        if suspicious {
            run_candidates(line, chars, i, j, pair, out);
        }
        i = j;
    }
}

/// Candidates inside the run `chars[ci..cj]`, all encodable in `pair.wrong`.
fn run_candidates(
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
        stretch_candidate(line, chars, &toks[t..u], &char_at, pair, out);
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
    let resolved = resolve(toks, before);
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
    // Per-atom gain, then the best contiguous range (Kadane).
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
        gains.push(new - old);
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
    let Some((a0, a1)) = best_range else { return };
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
    let han_elsewhere = line[..start]
        .chars()
        .chain(line[end..].chars())
        .any(crate::script::is_han);
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
    // A reading in Hangul or kana inside a line of Chinese text that has
    // none (`梁德妍` is not `梁힛J`) changes the language of the line: that is
    // a name or a rare word, not mojibake.
    let foreign = |c: char| crate::script::is_hangul(c) || crate::script::is_kana(c);
    if new.chars().any(foreign) {
        let rest = line[..start].chars().chain(line[end..].chars());
        let (mut han, mut other) = (false, false);
        for c in rest {
            han |= crate::script::is_han(c);
            other |= foreign(c);
        }
        if han && !other {
            return;
        }
    }
    // One CJK code page read as another turns Han into Han, so any rare
    // word is a candidate: ask twice the evidence per character.
    let cross = pair.wrong != Cp::Cp1252 && pair.right != Cp::Utf8 && pair.wrong != Cp::Utf8;
    if let Some(gain) = accept(old, &new, before, after)
        && (!cross || gain >= MARGIN + 2.0 * MARGIN_PER_CHAR * old.chars().count() as f64)
    {
        let (o, n) = (mean_non_ascii(old, before), mean_non_ascii(&new, before));
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

/// Is replacing `old` by `new` (between `before` and `after`) decisively
/// better? Returns the gain in nats when it is.
pub(crate) fn accept(
    old: &str,
    new: &str,
    before: Option<char>,
    after: Option<char>,
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
    let gain = score(new) - score(old);
    let margin = MARGIN + MARGIN_PER_CHAR * n_old.max(n_new) as f64;
    if gain < margin {
        return None;
    }
    if mean_non_ascii(new, before) < PLAUSIBLE || mean_non_ascii(old, before) > IMPROBABLE {
        return None;
    }
    Some(gain)
}

/// Pick one character per token; a lost byte is filled in when one value is
/// decisively most plausible between its neighbours, else it becomes U+FFFD.
fn resolve(toks: &[Tok], before: Option<char>) -> Vec<char> {
    let mut out: Vec<char> = Vec::with_capacity(toks.len());
    for (k, t) in toks.iter().enumerate() {
        let c = if let [only] = t.cands[..] {
            only
        } else {
            let prev = out.last().copied().or(before);
            let next = toks.get(k + 1).and_then(|n| match n.cands[..] {
                [c] => Some(c),
                _ => None,
            });
            let mut scored: Vec<(f32, char)> = t
                .cands
                .iter()
                .map(|&c| {
                    let s = model::conditional(prev, c)
                        + next.map_or(0.0, |n| model::conditional(Some(c), n));
                    (s, c)
                })
                .collect();
            scored.sort_by(|a, b| b.0.total_cmp(&a.0));
            match scored[..] {
                [(s0, c0), (s1, _), ..] if s0 - s1 >= DECISIVE && model::unigram(c0) >= -12.0 => c0,
                [(_, c0)] if model::unigram(c0) >= -12.0 => c0,
                _ => '\u{FFFD}',
            }
        };
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(s: &str) -> String {
        let mut log = Log::detailed();
        fix(s, &mut log).into_owned()
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
