//! ftfy's own test cases (testdata/ftfy, Apache-2.0, see LICENSE-ftfy.txt)
//! run through `repair::latin::fix`: every `expect: pass` case must give
//! ftfy's `fixed-encoding` (or `fixed`), also with one more layer of
//! UTF-8/latin-1 mojibake on top, and the negative cases (not mojibake)
//! must stay as they are.

use fixtext::Log;
use fixtext::repair::latin;
use std::path::Path;

struct Case {
    id: String,
    original: String,
    expected: String,
    pass: bool,
}

fn cases() -> Vec<Case> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/ftfy");
    let mut out = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("testdata/ftfy exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    for f in files {
        let text = std::fs::read_to_string(&f).expect("readable case file");
        let list: Vec<serde_json::Value> = serde_json::from_str(&text).expect("valid JSON");
        let name = f
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        for (i, c) in list.iter().enumerate() {
            let s = |k: &str| c.get(k).and_then(|v| v.as_str()).map(str::to_owned);
            let (Some(original), Some(fixed)) = (s("original"), s("fixed")) else {
                continue;
            };
            out.push(Case {
                id: format!("{name}:{i}"),
                original,
                expected: s("fixed-encoding").unwrap_or(fixed),
                pass: s("expect").as_deref() == Some("pass"),
            });
        }
    }
    out
}

fn fix(s: &str) -> String {
    latin::fix(s, &mut Log::detailed()).into_owned()
}

/// Python's `s.encode("utf-8").decode("latin-1")`.
fn one_more_layer(s: &str) -> String {
    s.bytes().map(char::from).collect()
}

#[test]
fn ftfy_pass_cases() {
    let all = cases();
    assert!(all.len() > 150, "only {} cases", all.len());
    let mut failures = Vec::new();
    for c in all.iter().filter(|c| c.pass) {
        let got = fix(&c.original);
        if got != c.expected {
            failures.push(format!(
                "{}: {:?} → {:?}, want {:?}",
                c.id, c.original, got, c.expected
            ));
        }
        let got = fix(&one_more_layer(&c.original));
        if got != c.expected {
            failures.push(format!("{} (extra layer): {:?}", c.id, got));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn ftfy_negative_cases_unchanged() {
    let mut n = 0;
    for c in cases().iter().filter(|c| c.id.starts_with("negative")) {
        n += 1;
        // (one negative case has a C1 control that is fixed on purpose)
        assert_eq!(fix(&c.original), c.expected, "{}", c.id);
    }
    assert!(n > 30);
}

#[test]
fn fixing_twice_is_fixing_once() {
    for c in cases() {
        let once = fix(&c.original);
        assert_eq!(fix(&once), once, "{}", c.id);
    }
}
