//! A character model of Chinese, Japanese and Korean text: how plausible is a
//! string as real text?
//!
//! The model is a mixture of per-language character unigram and bigram
//! frequencies (see `README.md` and `gen_model.py` beside this file for the
//! sources, their licences and the exact command that builds
//! `cjk_model.bin`). Characters outside the tables (ASCII, punctuation,
//! other scripts) get fixed class probabilities, so the model ranks any
//! string, not only CJK.
//!
//! The main entry points are [`score`] (mean log-likelihood per character),
//! [`log_likelihood`] (total, in context) and [`compare`] (how much more
//! plausible one candidate is than another). [`is_suspicious`] is the cheap
//! per-character test a repair uses to skip clean text: it is true for
//! characters the model finds rare (derived from the tables, not listed by
//! hand) and for the characters that only mojibake produces in CJK text.

use std::sync::OnceLock;

static MODEL_BYTES: &[u8] = include_bytes!("cjk_model.bin");

/// Log-probabilities are stored as `round(-ln p * 8)`.
const Q_SCALE: f32 = 8.0;

/// Weight of the bigram estimate in the interpolated conditional probability.
const LAMBDA: f32 = 0.5;

/// Characters whose unigram log-probability is below this are rare enough
/// that a run of them is worth checking for mojibake.
pub const SUSPICIOUS_LOGP: f32 = -11.0;

struct Model {
    /// Quantized unigram per BMP code point (0 = not in the table).
    bmp: Vec<u8>,
    /// Unigrams outside the BMP: `(codepoint << 8) | q`, sorted.
    astral: Vec<u32>,
    /// Bigrams `(a << 29) | (b << 8) | q`, sorted.
    bigrams: Vec<u64>,
    /// Traditional → Simplified for BMP characters (0 = none): the word
    /// lists are Simplified, so a Traditional character is scored as its
    /// Simplified form (see [`fold_traditional`]).
    fold: Vec<u16>,
    /// `bmp` with Traditional characters scored as their Simplified forms.
    bmp_trad: Vec<u8>,
    /// Characters that only Simplified text uses (targets of the fold that
    /// are not themselves folded), one bit per BMP code point.
    simp_only: Vec<u64>,
    /// Quantized ln P(c ends a word) per BMP code point (0 = unknown).
    end: Vec<u8>,
    /// Quantized ln P(c | a word starts) per BMP code point (0 = unknown).
    start: Vec<u8>,
}

thread_local! {
    static TRADITIONAL: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// While alive, scoring on this thread treats Traditional characters as
/// their Simplified forms (a Traditional context); dropped, it restores the
/// previous setting. Correct Traditional text must score as well as
/// Simplified text, but in Simplified text a Traditional character is as odd
/// as it looks — and mojibake read as GBK mixes both sets, which is evidence.
pub struct Scope {
    prev: bool,
}

impl Scope {
    /// Score in the context of `line`: Traditional when its characters that
    /// only Traditional text uses outnumber those only Simplified text uses
    /// at least three to one (and there are at least two).
    pub fn for_line(line: &str) -> Scope {
        let m = model();
        let (mut t, mut s) = (0usize, 0usize);
        for c in line.chars() {
            let cp = c as u32;
            if cp < 0x10000 {
                if m.fold.get(cp as usize).is_some_and(|&f| f != 0) {
                    t += 1;
                } else if m
                    .simp_only
                    .get(cp as usize / 64)
                    .is_some_and(|w| w >> (cp % 64) & 1 == 1)
                {
                    s += 1;
                }
            }
        }
        Scope::set(scope_is_traditional(t, s))
    }

    /// Score with the given setting.
    pub fn set(traditional: bool) -> Scope {
        let prev = TRADITIONAL.with(|t| t.replace(traditional));
        Scope { prev }
    }
}

impl Drop for Scope {
    fn drop(&mut self) {
        TRADITIONAL.with(|t| t.set(self.prev));
    }
}

fn traditional() -> bool {
    TRADITIONAL.with(|t| t.get())
}

/// Whether the current thread scores in Traditional scope (see [`Scope`]).
pub fn traditional_scope() -> bool {
    traditional()
}

/// How a BMP code point counts in [`Scope::for_line`]: `(true, _)` for a
/// character only Traditional text uses, `(false, true)` for one only
/// Simplified text uses (the first test wins, as there).
pub fn scope_class(cp: u32) -> (bool, bool) {
    let m = model();
    if cp >= 0x10000 {
        return (false, false);
    }
    if m.fold.get(cp as usize).is_some_and(|&f| f != 0) {
        return (true, false);
    }
    let s = m
        .simp_only
        .get(cp as usize / 64)
        .is_some_and(|w| w >> (cp % 64) & 1 == 1);
    (false, s)
}

/// [`Scope::for_line`]'s decision from its two counts.
pub fn scope_is_traditional(trad_only: usize, simp_only: usize) -> bool {
    trad_only >= 2 && trad_only >= 3 * simp_only
}

/// OpenCC's Traditional → Simplified table (the converter's own data).
static T2S_TSV: &str = include_str!("../convert/data/t2s.tsv");

/// Extra cost of a Traditional character over its Simplified form, in the
/// tables' 1/8-nat steps (half a nat: Traditional text is plausible text).
const TRADITIONAL_PENALTY: u8 = 4;

/// Give every Traditional character of the converter's one-to-one table the
/// unigram of its Simplified form (when that is better than its own), and
/// record the mapping for bigram look-ups. Without this, correct Traditional
/// text (`兩岸關係`) looks as improbable as mojibake to a model built from
/// Simplified word lists.
fn fold_traditional(m: &mut Model) {
    m.fold = vec![0; 0x10000];
    m.bmp_trad = m.bmp.clone();
    m.simp_only = vec![0; 0x10000 / 64];
    let mut targets = Vec::new();
    for line in T2S_TSV.lines() {
        let mut cols = line.split('\t');
        let (Some(t), Some(s)) = (cols.next(), cols.next()) else {
            continue;
        };
        let (mut tc, mut sc) = (t.chars(), s.chars());
        let (Some(t), None, Some(s), None) = (tc.next(), tc.next(), sc.next(), sc.next()) else {
            continue;
        };
        let (t, s) = (t as u32, s as u32);
        if t >= 0x10000 || s >= 0x10000 || t == s {
            continue;
        }
        m.fold[t as usize] = s as u16;
        targets.push(s);
        if m.end[t as usize] == 0 {
            m.end[t as usize] = m.end[s as usize];
            m.start[t as usize] = m.start[s as usize];
        }
        let qs = m.bmp[s as usize];
        if qs != 0 {
            let folded = qs.saturating_add(TRADITIONAL_PENALTY);
            let own = m.bmp[t as usize];
            if own == 0 || own > folded {
                m.bmp_trad[t as usize] = folded;
            }
        }
    }
    for s in targets {
        if m.fold[s as usize] == 0 {
            m.simp_only[s as usize / 64] |= 1 << (s % 64);
        }
    }
}

fn fold(c: char) -> char {
    let cp = c as u32;
    if cp < 0x10000 {
        match model().fold.get(cp as usize) {
            Some(&f) if f != 0 => char::from_u32(u32::from(f)).unwrap_or(c),
            _ => c,
        }
    } else {
        c
    }
}

fn model() -> &'static Model {
    static M: OnceLock<Model> = OnceLock::new();
    M.get_or_init(|| {
        let mut m = parse(MODEL_BYTES);
        fold_traditional(&mut m);
        m
    })
}

fn parse(bytes: &[u8]) -> Model {
    let mut m = Model {
        bmp: vec![0; 0x10000],
        astral: Vec::new(),
        bigrams: Vec::new(),
        fold: Vec::new(),
        bmp_trad: Vec::new(),
        simp_only: Vec::new(),
        end: vec![0; 0x10000],
        start: vec![0; 0x10000],
    };
    let u32_at = |i: usize| -> Option<u32> {
        let s = bytes.get(i..i + 4)?;
        Some(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
    };
    if bytes.get(0..4) != Some(b"FXTM") {
        return m;
    }
    let (Some(n_uni), Some(n_bi)) = (u32_at(8), u32_at(12)) else {
        return m;
    };
    let u64_at = |i: usize| -> Option<u64> {
        let s = bytes.get(i..i + 8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(s);
        Some(u64::from_le_bytes(a))
    };
    let mut pos = 16;
    for _ in 0..n_uni {
        let Some(v) = u64_at(pos) else { return m };
        pos += 8;
        let cp = (v >> 24) as u32;
        let q = ((v >> 16) & 0xFF).max(1) as u8;
        if cp < 0x10000 {
            m.bmp[cp as usize] = q;
            m.end[cp as usize] = (v >> 8 & 0xFF) as u8;
            m.start[cp as usize] = (v & 0xFF) as u8;
        } else {
            m.astral.push(cp << 8 | u32::from(q));
        }
    }
    m.bigrams.reserve(n_bi as usize);
    for _ in 0..n_bi {
        let Some(v) = u64_at(pos) else { return m };
        m.bigrams.push(v);
        pos += 8;
    }
    m
}

fn table_q(c: char) -> Option<u8> {
    let m = model();
    let cp = c as u32;
    if cp < 0x10000 {
        let table = if traditional() { &m.bmp_trad } else { &m.bmp };
        match table.get(cp as usize).copied().unwrap_or(0) {
            0 => None,
            q => Some(q),
        }
    } else {
        m.astral
            .binary_search_by_key(&cp, |v| v >> 8)
            .ok()
            .map(|i| (m.astral[i] & 0xFF) as u8)
    }
}

/// The cp1252 characters in 0x80..=0x9F (mojibake of CJK code pages read as
/// cp1252 is full of them).
fn is_cp1252_special(c: char) -> bool {
    matches!(
        c,
        '€' | '‚'
            | 'ƒ'
            | '„'
            | '…'
            | '†'
            | '‡'
            | 'ˆ'
            | '‰'
            | 'Š'
            | '‹'
            | 'Œ'
            | 'Ž'
            | '‘'
            | '’'
            | '“'
            | '”'
            | '•'
            | '–'
            | '—'
            | '˜'
            | '™'
            | 'š'
            | '›'
            | 'œ'
            | 'ž'
            | 'Ÿ'
    )
}

/// ln P(c): from the tables for CJK letters, else by character class.
pub fn unigram(c: char) -> f32 {
    let cp = c as u32;
    if (0xFF61..=0xFF9F).contains(&cp) {
        return -13.0;
    }
    if crate::script::is_cjk_punct(c) {
        // Class priors for punctuation (the word lists have none), from
        // its share of running Chinese text: ， about 6% and 。 about 3% of
        // all characters, the other marks well under 1%.
        return match c {
            '，' => -2.8,
            '。' => -3.5,
            '、' | '：' | '！' | '？' | '“' | '”' => -5.0,
            '（' | '）' | '《' | '》' | '；' | '…' | '·' | '「' | '」' => -6.5,
            _ => -8.0,
        };
    }
    if let Some(q) = table_q(c) {
        return -(q as f32) / Q_SCALE;
    }
    match c {
        '\n' | '\r' | '\t' => -2.0,
        ' ' => -2.5,
        '0'..='9' | 'a'..='z' | 'A'..='Z' => -3.5,
        '!'..='~' => -4.5,
        '\u{FFFD}' => -14.0,
        _ if crate::script::is_han(c) => -17.0,
        _ if crate::script::is_kana(c) => -13.0,
        _ if crate::script::is_hangul(c) => -15.0,
        _ if cp < 0x20 || (0x7F..=0x9F).contains(&cp) => -18.0,
        _ if (0xC0..=0xFF).contains(&cp) => -9.0,
        _ if (0xA0..=0xBF).contains(&cp) || is_cp1252_special(c) => -11.0,
        _ if (0xE000..=0xF8FF).contains(&cp) => -18.0,
        _ => -10.0,
    }
}

/// The bigrams whose first character is `a`: a slice of the sorted table
/// found through an index by first character (BMP), so a look-up searches a
/// few entries instead of the whole table.
fn bigrams_of(a: char) -> &'static [u64] {
    static INDEX: OnceLock<Vec<u32>> = OnceLock::new();
    let bi = &model().bigrams;
    let index = INDEX.get_or_init(|| {
        (0..=0x10000u64)
            .map(|cp| bi.partition_point(|v| v >> 29 < cp) as u32)
            .collect()
    });
    let cp = a as usize;
    match (index.get(cp), index.get(cp + 1)) {
        (Some(&lo), Some(&hi)) => &bi[lo as usize..hi as usize],
        _ => &bi[index[0x10000] as usize..],
    }
}

fn bigram_q(a: char, b: char) -> Option<u8> {
    let find = |a: char, b: char| {
        let bi = bigrams_of(a);
        let key = ((a as u64) << 21) | b as u64;
        bi.binary_search_by_key(&key, |v| v >> 8)
            .ok()
            .map(|i| (bi[i] & 0xFF) as u8)
    };
    let own = find(a, b);
    if !traditional() {
        return own;
    }
    let (fa, fb) = (fold(a), fold(b));
    if (fa, fb) == (a, b) {
        return own;
    }
    // A Traditional pair may also be in the tables as itself (Japanese
    // `本書`, rarer there than Chinese `本书`): the better estimate wins.
    match (own, find(fa, fb)) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    }
}

/// `(-q / Q_SCALE).exp()`, computed once for every quantized value.
fn exp_q(q: u8) -> f32 {
    static TABLE: OnceLock<[f32; 256]> = OnceLock::new();
    TABLE.get_or_init(|| std::array::from_fn(|q| (-(q as u8 as f32) / Q_SCALE).exp()))[q as usize]
}

/// Share of positions in running Chinese text that end a word (the
/// stationary probability of the E and S states of jieba's HMM).
const P_BOUNDARY: f32 = 0.55;

/// P(`c` ends a word), when the model knows it (Chinese characters; a
/// Traditional one as its Simplified form).
fn word_end(c: char) -> Option<f32> {
    match model().end.get(c as usize) {
        Some(&q) if q != 0 => Some(exp_q(q)),
        _ => None,
    }
}

/// P(`c` | a word starts), when the model knows it.
fn word_start(c: char) -> Option<f32> {
    match model().start.get(c as usize) {
        Some(&q) if q != 0 => Some(exp_q(q)),
        _ => None,
    }
}

/// ln P(c | prev): the bigram estimate interpolated with the unigram.
///
/// Between two Chinese characters the bigram estimate has two parts: `c`
/// continues the word `prev` is in (the word-internal bigram), or `prev`
/// ends a word and `c` starts the next (P(prev ends a word) × P(c | a word
/// starts)). The second part is what makes `大的人` more plausible than
/// `大笑人`: 的 rarely continues a word but very often follows one.
pub fn conditional(prev: Option<char>, c: char) -> f32 {
    let uni = unigram(c);
    let end = prev.and_then(word_end);
    // Punctuation closes a word: after a Chinese character it is as likely
    // as that character is to end a word (`呢？` far more than `安？`).
    if let Some(e) = end
        && crate::script::is_cjk_punct(c)
    {
        let p = e * uni.exp() / P_BOUNDARY;
        return (LAMBDA * p + (1.0 - LAMBDA) * uni.exp()).ln();
    }
    let inside = prev.and_then(|p| bigram_q(p, c)).map_or(0.0, exp_q);
    let across = end.zip(word_start(c)).map_or(0.0, |(e, s)| e * s);
    let bi = inside + across;
    if bi == 0.0 {
        uni + (1.0 - LAMBDA).ln()
    } else {
        (LAMBDA * bi + (1.0 - LAMBDA) * uni.exp()).ln()
    }
}

/// Total log-likelihood of `s` following `before` and followed by `after`
/// (the transition into `after` is included, so two candidates for the same
/// span can be compared in their context).
pub fn log_likelihood(s: &str, before: Option<char>, after: Option<char>) -> f64 {
    let mut prev = before;
    let mut total = 0.0f64;
    for c in s.chars() {
        total += conditional(prev, c) as f64;
        prev = Some(c);
    }
    if let Some(a) = after {
        total += conditional(prev, a) as f64;
    }
    total
}

/// Mean log-likelihood per character of `s` (0 for the empty string).
pub fn score(s: &str) -> f64 {
    let n = s.chars().count();
    if n == 0 {
        return 0.0;
    }
    log_likelihood(s, None, None) / n as f64
}

/// How much more plausible `candidate` is than `baseline` in the same
/// context, in nats (positive: `candidate` is better).
pub fn compare(baseline: &str, candidate: &str, before: Option<char>, after: Option<char>) -> f64 {
    log_likelihood(candidate, before, after) - log_likelihood(baseline, before, after)
}

/// Is `c` unusual enough in CJK text that the text around it deserves a
/// mojibake check? True for rare CJK letters (by the model), U+FFFD, Latin-1
/// and cp1252 letters and symbols, half-width katakana, C1 controls and the
/// private use area.
#[inline]
pub fn is_suspicious(c: char) -> bool {
    let cp = c as u32;
    if cp < 0x80 {
        return false;
    }
    if cp < 0x100 || c == '\u{FFFD}' || is_cp1252_special(c) {
        return true;
    }
    if crate::script::is_han(c) || crate::script::is_hangul(c) || crate::script::is_kana(c) {
        return unigram(c) < SUSPICIOUS_LOGP;
    }
    (0xFF61..=0xFF9F).contains(&cp) || (0xE000..=0xF8FF).contains(&cp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_beats_mojibake() {
        assert!(score("参考文献") > score("鍙傝€冩枃鐚") + 3.0);
        assert!(score("中文") > score("ÖÐÎÄ") + 3.0);
        assert!(score("日本") > score("譌･譛ｬ") + 3.0);
        assert!(compare("鍙傝€冩枃鐚", "参考文献", None, None) > 10.0);
    }

    #[test]
    fn word_boundaries_favour_function_characters() {
        // 的 rarely continues a word but very often follows one; word-internal
        // pairs alone preferred 大笑 (a word) to 大的.
        assert!(score("伟大的人") > score("伟大笑人"));
        assert!(score("这本书的") > score("这本股的"));
        let _t = Scope::set(true);
        assert!(score("偉大的人") > score("偉大笑人"));
        assert!(score("這本書的") > score("這本股的"));
    }

    #[test]
    fn bigram_index_finds_what_the_full_search_finds() {
        let bi = &model().bigrams;
        // Keys strictly increasing: a search in a slice finds the same entry.
        assert!(bi.windows(2).all(|w| w[0] >> 8 < w[1] >> 8));
        for &v in bi.iter().step_by(97) {
            let (a, b) = ((v >> 29) as u32, ((v >> 8) & 0x1F_FFFF) as u32);
            let (Some(a), Some(b)) = (char::from_u32(a), char::from_u32(b)) else {
                continue;
            };
            let _scope = Scope::set(false);
            assert_eq!(bigram_q(a, b), Some((v & 0xFF) as u8));
        }
    }

    #[test]
    fn suspicious_set() {
        assert!(is_suspicious('鍙'));
        assert!(is_suspicious('Ö'));
        assert!(!is_suspicious('的'));
        assert!(!is_suspicious('a'));
        assert!(!is_suspicious('の'));
    }
}
