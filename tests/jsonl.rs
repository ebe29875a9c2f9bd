//! `fixtext --jsonl`: real pages in JSON records, fixed field by field, the
//! rest of each line byte-identical, problems reported and passed through
//! (or failing the file with --strict).

use std::fs;
use std::path::{Path, PathBuf};

mod common;
use common::{run, run_stdin};

fn seeds() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = fs::read_dir("testdata/seeds/cases")
        .expect("seeds")
        .map(|e| e.expect("entry").path())
        .collect();
    v.sort();
    v
}

/// The CLI's per-file output.
fn cli_fix(path: &Path) -> String {
    let out = run(&[path.to_str().expect("utf-8 path")]);
    assert!(out.status.success());
    String::from_utf8(out.stdout).expect("utf-8 output")
}

fn json_str(s: &str) -> String {
    serde_json::to_string(s).expect("serialise")
}

/// The seed pages as records, with odd but valid JSON around the text
/// (spaces, a number with a trailing zero, nested objects, key order);
/// every record's fixed text equals the CLI's output for the file, every
/// other byte is kept.
#[test]
fn seed_pages_as_records_match_the_cli_and_keep_other_bytes() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut input = String::new();
    let mut expected = String::new();
    for (i, path) in seeds().iter().enumerate() {
        let text = fs::read_to_string(path).expect("seed is utf-8");
        let fixed = cli_fix(path);
        assert_ne!(text, fixed, "a seed needs fixing");
        let rec = |t: &str| {
            format!(
                "{{\"z\": {i},  \"text\" : {}, \"score\": 1.50, \"meta\": {{\"src\": \"{}\", \"tags\": [\"a\", {{\"text\": 1}}]}}, \"n\": null}}\n",
                json_str(t),
                path.display()
            )
        };
        input.push_str(&rec(&text));
        expected.push_str(&rec(&fixed));
    }
    let jl = dir.path().join("pages.jsonl");
    fs::write(&jl, &input).expect("write");
    let out = run(&["--jsonl", jl.to_str().expect("path")]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8(out.stdout).expect("utf-8"), expected);
    assert!(out.stderr.is_empty());
    // The same through standard input, with one and with two threads.
    for j in ["1", "2"] {
        let out = run_stdin(&["--jsonl", "-", "-j", j], input.as_bytes());
        assert_eq!(String::from_utf8(out.stdout).expect("utf-8"), expected);
    }
}

/// A GBK page, decoded into a record the way a corpus tool would, comes out
/// as the CLI writes the GBK file.
#[test]
fn decoded_legacy_page_matches_the_cli_on_the_file() {
    let dir = tempfile::tempdir().expect("tmp");
    let text =
        "這是一次突如其來的危機,也是一場需要沉著應戰的大考!城關(guān)鎮(zhèn)\n第二行,,內容。\n";
    let gbk = encoding_rs::GBK.encode(text).0.into_owned();
    let file = dir.path().join("page.txt");
    fs::write(&file, &gbk).expect("write");
    let cli = cli_fix(&file);
    let line = format!("{{\"id\":\"page\",\"text\":{}}}\n", json_str(text));
    let out = run_stdin(&["--jsonl", "-"], line.as_bytes());
    let rec: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(rec["text"].as_str(), Some(cli.as_str()));
}

#[test]
fn nested_and_several_fields() {
    let input = concat!(
        "{\"text\":\"Ã©tÃ©\",\"meta\":{\"title\":\"這是危機,也是大考!\",\"text\":\"Ã©\"},\"other\":\"Ã©\"}\n",
        "{\"meta\":{\"title\":\"caf\\u00c3\\u00a9\"}}\n",
        "{\"meta\":[1,2],\"text\":\"ok\"}\n",
    );
    let out = run_stdin(
        &["--jsonl", "-", "--field", "text", "--field", "meta.title"],
        input.as_bytes(),
    );
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).expect("utf-8");
    assert_eq!(
        stdout,
        concat!(
            "{\"text\":\"été\",\"meta\":{\"title\":\"这是危机，也是大考！\",\"text\":\"Ã©\"},\"other\":\"Ã©\"}\n",
            "{\"meta\":{\"title\":\"café\"}}\n",
            "{\"meta\":[1,2],\"text\":\"ok\"}\n",
        )
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("-:3: field \"meta.title\""), "{stderr}");
}

#[test]
fn unchanged_records_keep_their_escapes_and_crlf() {
    let input = "{\"text\":\"caf\\u00e9 \\\"ok\\\"\"}\r\n{\"text\":\"plain\"}\r\n{\"text\":\"Ã©\"}";
    let out = run_stdin(&["--jsonl", "-"], input.as_bytes());
    assert_eq!(
        String::from_utf8(out.stdout).expect("utf-8"),
        "{\"text\":\"caf\\u00e9 \\\"ok\\\"\"}\r\n{\"text\":\"plain\"}\r\n{\"text\":\"é\"}"
    );
}

const BAD: &str = concat!(
    "{\"text\":\"Ã©\"}\n",
    "{\"text\": \"broken\"\n",
    "{\"text\": 42}\n",
    "[\"text\"]\n",
    "\n",
    "{\"id\": 1}\n",
    "{\"text\":\"Ã©\"}\n",
);

#[test]
fn problems_are_reported_with_line_and_passed_through() {
    let dir = tempfile::tempdir().expect("tmp");
    let jl = dir.path().join("bad.jsonl");
    fs::write(&jl, BAD).expect("write");
    let out_dir = dir.path().join("out");
    let report = dir.path().join("r.jsonl");
    let out = run(&[
        "--jsonl",
        jl.to_str().expect("path"),
        "-o",
        out_dir.to_str().expect("path"),
        "--report",
        report.to_str().expect("path"),
    ]);
    assert!(out.status.success());
    let written = fs::read_to_string(out_dir.join("bad.jsonl")).expect("written");
    assert_eq!(written, BAD.replace("Ã©", "é"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let name = jl.display().to_string();
    assert!(
        stderr.contains(&format!("{name}:2: not valid JSON")),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("{name}:3: field \"text\" is a number")),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("{name}:4: not a JSON object")),
        "{stderr}"
    );
    assert!(
        !stderr.contains(":5:") && !stderr.contains(":6:"),
        "{stderr}"
    );
    let r: serde_json::Value =
        serde_json::from_str(fs::read_to_string(&report).expect("report").trim()).expect("json");
    assert_eq!(r["records"], 7);
    assert_eq!(r["records_changed"], 2);
    assert_eq!(r["problems"], 3);
    assert_eq!(r["error"], serde_json::Value::Null);
    assert!(r["fixes"].as_object().is_some_and(|f| !f.is_empty()));
}

#[test]
fn strict_fails_the_file_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("tmp");
    let bad = dir.path().join("in/bad.jsonl");
    let good = dir.path().join("in/good.jsonl");
    fs::create_dir_all(bad.parent().expect("parent")).expect("mkdir");
    fs::write(&bad, BAD).expect("write");
    fs::write(&good, "{\"text\":\"Ã©\"}\n").expect("write");
    let out_dir = dir.path().join("out");
    let out = run(&[
        "--jsonl",
        "--strict",
        dir.path().join("in").to_str().expect("path"),
        "-o",
        out_dir.to_str().expect("path"),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("line 2: not valid JSON"), "{stderr}");
    assert!(!out_dir.join("bad.jsonl").exists());
    assert_eq!(
        fs::read_to_string(out_dir.join("good.jsonl")).expect("good written"),
        "{\"text\":\"é\"}\n"
    );
    let leftovers: Vec<_> = fs::read_dir(&out_dir)
        .expect("out")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(leftovers.len(), 1, "{leftovers:?}");
}

#[test]
fn usage_errors() {
    assert_eq!(run(&["--field", "text", "-"]).status.code(), Some(2));
    assert_eq!(
        run(&["--jsonl", "--field", "a..b", "-"]).status.code(),
        Some(2)
    );
    assert_eq!(run(&["--jsonl", "--detect", "-"]).status.code(), Some(2));
}

/// Many batches: a file bigger than one batch comes out as its records fixed
/// one by one, whatever the thread count, and not-UTF-8 lines pass through.
#[test]
fn big_file_streams_in_order() {
    let dir = tempfile::tempdir().expect("tmp");
    let pages: Vec<String> = seeds()
        .iter()
        .map(|p| fs::read_to_string(p).expect("seed"))
        .collect();
    let fixed: Vec<String> = seeds().iter().map(|p| cli_fix(p)).collect();
    let mut input = Vec::new();
    let mut expected = Vec::new();
    let mut i = 0;
    while input.len() < fixtext::jsonl::BATCH_BYTES + 12345 {
        let k = i % pages.len();
        input.extend(format!("{{\"id\":{i},\"text\":{}}}\n", json_str(&pages[k])).bytes());
        expected.extend(format!("{{\"id\":{i},\"text\":{}}}\n", json_str(&fixed[k])).bytes());
        if i % 1000 == 7 {
            input.extend(b"{\"text\":\"\xff\"}\n");
            expected.extend(b"{\"text\":\"\xff\"}\n");
        }
        i += 1;
    }
    let jl = dir.path().join("big.jsonl");
    fs::write(&jl, &input).expect("write");
    for j in ["1", "2"] {
        let out_dir = dir.path().join(format!("out{j}"));
        let out = run(&[
            "--jsonl",
            "-q",
            jl.to_str().expect("path"),
            "-o",
            out_dir.to_str().expect("path"),
            "-j",
            j,
        ]);
        assert!(out.status.success());
        let got = fs::read(out_dir.join("big.jsonl")).expect("out");
        assert!(got == expected, "output differs with -j {j}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(":9: not UTF-8"), "{stderr}");
    }
}
