//! Property-style tests of `repair::latin`: clean text in several languages,
//! damaged by reading its UTF-8 in each code page (once or twice), comes back;
//! clean text is unchanged; fixing twice is fixing once; no input panics.

use fixtext::Log;
use fixtext::repair::latin::{self, CodePage};

const CLEAN: [&str; 12] = [
    "Le café de la gare est fermé à cause de la grève, c’est dommage.",
    "Über die Brücke gehen Straßenbahnen; „schön“ sagt die Größte.",
    "El niño comió paella en la señorial Córdoba — ¿verdad?",
    "Příliš žluťoučký kůň úpěl ďábelské ódy.",
    "Zażółć gęślą jaźń, łódź płynie.",
    "Съешь же ещё этих мягких французских булок, да выпей чаю.",
    "Ξεσκεπάζω την ψυχοφθόρα βδελυγμία.",
    "Pijamalı hasta yağız şoföre çabucak güvendi.",
    "Įlinkdama fechtuotojo špaga sublykčiojusi pragręžė apvalų arbūzą.",
    "中文字符和“引号”，还有日本語のテキスト。",
    "Emoji 😀 and symbols € ™ • … in text.",
    "Þú ert ævintýralegur, Ólafur.",
];

fn fix(s: &str) -> String {
    latin::fix(s, &mut Log::counting()).into_owned()
}

fn page(name: &str) -> CodePage {
    CodePage::all()
        .find(|p| p.name() == name)
        .unwrap_or(CodePage::WINDOWS_1252)
}

#[test]
fn clean_text_unchanged() {
    for s in CLEAN {
        assert_eq!(fix(s), s);
    }
}

/// Every clean text read as each code page comes back, except the pairs
/// ftfy 6 misses as well (its badness heuristic does not see text of one
/// script read in the code page of another, e.g. Czech as windows-1251), where
/// the damaged text is left as it is; and one real ambiguity: windows-1257
/// maps byte 0x8D (the second byte of `č`) to `¨`, which is latin-1 byte 0xA8,
/// so the latin-1 re-decoding wins and gives `Ĩ` (ftfy does the same).
#[test]
fn one_layer_comes_back() {
    let pages = [
        "latin-1",
        "windows-1252",
        "windows-1251",
        "windows-1250",
        "windows-1253",
        "windows-1254",
        "windows-1257",
        "iso-8859-2",
        "macroman",
    ];
    let known_misses: [(&str, usize); 9] = [
        ("windows-1251", 3),
        ("windows-1251", 4),
        ("windows-1251", 6),
        ("windows-1251", 7),
        ("windows-1251", 8),
        ("windows-1251", 11),
        ("windows-1253", 2),
        ("windows-1253", 4),
        ("macroman", 5),
    ];
    let mut failures = Vec::new();
    for name in pages {
        let p = page(name);
        for (i, s) in CLEAN.iter().enumerate() {
            let bad = p.decode(s.as_bytes());
            let got = fix(&bad);
            let ok = if known_misses.contains(&(name, i)) {
                got == bad
            } else if (name, i) == ("windows-1257", 8) {
                got == s.replace('č', "Ĩ")
            } else {
                got == *s
            };
            if !ok {
                failures.push(format!("{name} #{i}: {bad:?} → {got:?}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Two and three layers of windows-1252 / latin-1 mojibake.
#[test]
fn layers_come_back() {
    for s in CLEAN {
        let mut bad = s.to_owned();
        for layer in 0..3 {
            let p = if layer % 2 == 0 {
                CodePage::WINDOWS_1252
            } else {
                CodePage::LATIN_1
            };
            bad = p.decode(bad.as_bytes());
            assert_eq!(fix(&bad), s, "layer {layer}: {bad:?}");
        }
    }
}

#[test]
fn mixed_lines_and_runs() {
    let bad = format!(
        "{}\n{}\r\nok: {} and {}\n",
        CLEAN[0],
        CodePage::WINDOWS_1252.decode(CLEAN[1].as_bytes()),
        CLEAN[5],
        CodePage::WINDOWS_1252.decode("naïve".as_bytes()),
    );
    let want = format!("{}\n{}\r\nok: {} and naïve\n", CLEAN[0], CLEAN[1], CLEAN[5]);
    assert_eq!(fix(&bad), want);
}

/// A small deterministic generator (xorshift), so the test needs no crate.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[(self.next() % xs.len() as u64) as usize]
    }
}

/// Random soups of mojibake-typical characters, ASCII, spaces, C1 controls,
/// U+FFFD and real letters: no panic, and a second fix changes nothing.
#[test]
fn random_soup_no_panic_idempotent() {
    let pool: Vec<char> = "ÃÂâ€™œ\u{9d}\u{81}\u{8d}Ð¸Ñ‚Ð°Ä…Å‚ÎµÏƒ¢£¥©®°±²³µ¶·¹º»¼½¾¿×÷ŒœŠšŸŽžƒˆ˜–—‘’‚“”„†‡•…‰‹›€™ ?\u{1a}\u{fffd}\u{a0}í½ ¸€ab .,!éèç中😀ГВРСΒΓ√≈┬┐░▒▓"
        .chars()
        .collect();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for _ in 0..20_000 {
        let len = (rng.next() % 24) as usize;
        let s: String = (0..len).map(|_| rng.pick(&pool)).collect();
        let once = fix(&s);
        let twice = fix(&once);
        assert_eq!(once, twice, "{s:?}");
    }
}

/// Random UTF-8 text damaged in a random code page: no panic.
#[test]
fn random_damage_no_panic() {
    let mut rng = Rng(42);
    let pages: Vec<CodePage> = CodePage::all().collect();
    for _ in 0..5_000 {
        let s = rng.pick(&CLEAN);
        let start = (rng.next() % s.len() as u64) as usize;
        let bytes = &s.as_bytes()[start..];
        let bad = rng.pick(&pages).decode(bytes);
        let _ = fix(&bad);
    }
}
