//! Correct text in ~170 languages comes out of the whole pipeline unchanged
//! (`testdata/locale/`: translated messages from Debian's gettext
//! catalogues, see `scripts/extract_locale_sample.py`), up to Unicode
//! normalization: the output is NFC, canonically equivalent to the input
//! (a decomposed `menu\u{301}` comes out as `menú`). With the default options
//! only Chinese may change further: Japanese is never converted.

use fixtext::{Options, Punct, Target, fix_str};
use std::path::{Path, PathBuf};
use unicode_normalization::UnicodeNormalization;

/// Messages of the catalogues that really are mojibake (see
/// tests/latin_locale.rs); fixing them is right.
const REAL_MOJIBAKE: [&str; 3] = [
    "sgrÃ®n er mwyn",
    "vÃ¦re delbart",
    "nieuwere versie geÃ¯nstall",
];

fn samples() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/locale");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("testdata/locale")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.sort();
    assert!(files.len() >= 150);
    files
}

fn lang(p: &Path) -> String {
    p.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Lines of `text` that `opts` changes beyond NFC (mojibake lines excepted).
fn changed(text: &str, opts: &Options) -> Vec<(String, String)> {
    let nfc = |s: &str| s.nfc().collect::<String>();
    if fix_str(text, opts).text == nfc(text) {
        return Vec::new();
    }
    text.lines()
        .filter(|l| !REAL_MOJIBAKE.iter().any(|m| l.contains(m)))
        .filter_map(|l| {
            let f = fix_str(l, opts).text;
            (f != nfc(l)).then(|| (l.to_owned(), f))
        })
        .collect()
}

#[test]
fn every_language_unchanged_when_only_repairing() {
    let opts = Options {
        to: Target::Keep,
        punct: Punct::Keep,
        ..Options::default()
    };
    let mut bad = Vec::new();
    for f in samples() {
        let text = std::fs::read_to_string(&f).expect("UTF-8");
        for (l, o) in changed(&text, &opts).into_iter().take(3) {
            bad.push(format!("{}: {l:?} → {o:?}", lang(&f)));
        }
    }
    assert!(bad.is_empty(), "{} changed:\n{}", bad.len(), bad.join("\n"));
}

#[test]
fn only_chinese_changes_with_default_options() {
    let mut bad = Vec::new();
    for f in samples() {
        let l = lang(&f);
        if l.starts_with("zh") {
            continue;
        }
        let text = std::fs::read_to_string(&f).expect("UTF-8");
        for (line, o) in changed(&text, &Options::default()).into_iter().take(3) {
            bad.push(format!("{l}: {line:?} → {o:?}"));
        }
    }
    assert!(bad.is_empty(), "{} changed:\n{}", bad.len(), bad.join("\n"));
}

#[test]
fn japanese_kanji_are_not_simplified_but_traditional_chinese_is() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/locale");
    let ja = std::fs::read_to_string(dir.join("ja.txt")).expect("ja sample");
    assert!(
        ja.contains('請') || ja.contains('設') || ja.contains('関'),
        "sample has kanji"
    );
    assert_eq!(fix_str(&ja, &Options::default()).text, ja);
    let tw = std::fs::read_to_string(dir.join("zh_TW.txt")).expect("zh_TW sample");
    let opts = Options {
        punct: Punct::Keep,
        ..Options::default()
    };
    let out = fix_str(&tw, &opts).text;
    assert_ne!(out, tw);
    // Traditional-only characters are gone, line structure is kept.
    for c in ['檔', '設', '權', '線'] {
        if tw.contains(c) {
            assert!(!out.contains(c), "{c} left in zh_TW output");
        }
    }
    assert_eq!(out.lines().count(), tw.lines().count());
}
