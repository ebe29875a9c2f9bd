//! Clean text in ~170 languages must pass `repair::latin::fix` unchanged.
//!
//! `testdata/locale/*.txt` is a committed sample of translated messages from
//! the gettext catalogues of a Debian system
//! (`scripts/extract_locale_sample.py`). A second test reads every catalogue
//! under /usr/share/locale when the directory exists (it says SKIPPED and
//! passes when it does not).

use fixtext::Log;
use fixtext::repair::latin;
use std::borrow::Cow;
use std::path::Path;

/// Messages in the catalogues that really are mojibake (UTF-8 read as
/// latin-1 somewhere in the translators' tools); fixing them is right.
const REAL_MOJIBAKE: [&str; 3] = [
    "sgrÃ®n er mwyn",             // cy: sgrîn
    "vÃ¦re delbart",              // nb, tar: være
    "nieuwere versie geÃ¯nstall", // nl: geïnstalleerd
];

fn check_line(line: &str, what: &str) -> Result<(), String> {
    let mut log = Log::detailed();
    match latin::fix(line, &mut log) {
        Cow::Borrowed(_) => Ok(()),
        Cow::Owned(o) if o == line => Ok(()),
        Cow::Owned(o) => {
            if REAL_MOJIBAKE.iter().any(|m| line.contains(m)) {
                Ok(())
            } else {
                Err(format!("{what}: {line:?} → {o:?} ({:?})", log.fixes()))
            }
        }
    }
}

#[test]
fn locale_sample_unchanged() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/locale");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("testdata/locale exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.sort();
    assert!(files.len() >= 150, "only {} languages", files.len());
    let mut errors = Vec::new();
    let mut lines = 0;
    for f in &files {
        let text = std::fs::read_to_string(f).expect("UTF-8 sample");
        lines += text.lines().count();
        // the whole file at once, as the pipeline sees it
        let fixed = latin::fix(&text, &mut Log::counting());
        if fixed != text {
            for line in text.lines() {
                if let Err(e) = check_line(line, &f.display().to_string()) {
                    errors.push(e);
                }
            }
        }
    }
    assert!(lines > 10_000, "only {lines} lines");
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

/// The translated strings of a GNU .mo catalogue (UTF-8 ones only).
fn read_mo(bytes: &[u8]) -> Vec<String> {
    let word = |at: usize, le: bool| -> Option<usize> {
        let b: [u8; 4] = bytes.get(at..at.checked_add(4)?)?.try_into().ok()?;
        let v = if le {
            u32::from_le_bytes(b)
        } else {
            u32::from_be_bytes(b)
        };
        usize::try_from(v).ok()
    };
    let le = match word(0, true) {
        Some(0x9504_12de) => true,
        Some(0xde12_0495) => false,
        _ => return Vec::new(),
    };
    let (Some(n), Some(t)) = (word(8, le), word(16, le)) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for i in 0..n {
        let (Some(len), Some(off)) = (word(t + 8 * i, le), word(t + 8 * i + 4, le)) else {
            break;
        };
        let Some(raw) = off.checked_add(len).and_then(|end| bytes.get(off..end)) else {
            continue;
        };
        for part in raw.split(|&b| b == 0) {
            if let Ok(s) = std::str::from_utf8(part)
                && !s.is_ascii()
                && !s.contains("Content-Type:")
            {
                out.push(s.to_owned());
            }
        }
    }
    out
}

#[test]
fn system_catalogues_unchanged() {
    let root = Path::new("/usr/share/locale");
    let Ok(langs) = std::fs::read_dir(root) else {
        eprintln!("SKIPPED: /usr/share/locale is absent or unreadable");
        return;
    };
    let mut errors = Vec::new();
    let mut messages = 0usize;
    for lang in langs.filter_map(Result::ok) {
        let Ok(mos) = std::fs::read_dir(lang.path().join("LC_MESSAGES")) else {
            continue;
        };
        for mo in mos.filter_map(Result::ok) {
            let Ok(bytes) = std::fs::read(mo.path()) else {
                continue;
            };
            for msg in read_mo(&bytes) {
                messages += 1;
                for line in msg.lines() {
                    if let Err(e) = check_line(line, &mo.path().display().to_string()) {
                        errors.push(e);
                    }
                }
            }
        }
    }
    eprintln!("{messages} messages checked");
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}
