//! Integration tests of the `fixtext` binary: real files in, real content
//! checked out.

use std::fs;
use std::path::{Path, PathBuf};

mod common;
use common::{run, run_stdin};

fn gbk(s: &str) -> Vec<u8> {
    encoding_rs::GBK.encode(s).0.into_owned()
}

fn big5(s: &str) -> Vec<u8> {
    encoding_rs::BIG5.encode(s).0.into_owned()
}

fn utf16le_bom(s: &str) -> Vec<u8> {
    let mut v = vec![0xFF, 0xFE];
    v.extend(s.encode_utf16().flat_map(|u| u.to_le_bytes()));
    v
}

/// All files under `dir`, relative, sorted.
fn tree(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(dir).unwrap().to_path_buf())
        .collect();
    v.sort();
    v
}

const ZH: &str = "这是一次突如其来的危机，也是一场需要沉着应战的大考。疫情如火，来势汹汹。\n";

#[test]
fn directory_tree_is_mirrored_and_decoded() {
    let t = tempfile::tempdir().unwrap();
    let src = t.path().join("in");
    fs::create_dir_all(src.join("sub/deeper")).unwrap();
    fs::write(src.join("a_gbk.txt"), gbk(ZH)).unwrap();
    fs::write(src.join("sub/b_utf16.txt"), utf16le_bom(ZH)).unwrap();
    fs::write(src.join("sub/deeper/c_utf8.txt"), ZH).unwrap();
    let out = t.path().join("out");
    let o = run(&[src.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(tree(&out), tree(&src));
    for f in tree(&out) {
        assert_eq!(
            fs::read_to_string(out.join(&f)).unwrap(),
            ZH,
            "{}",
            f.display()
        );
    }
    // Inputs untouched.
    assert_eq!(fs::read(src.join("a_gbk.txt")).unwrap(), gbk(ZH));
}

#[test]
fn file_input_lands_by_name_and_no_temp_files_remain() {
    let t = tempfile::tempdir().unwrap();
    let f = t.path().join("x.txt");
    fs::write(&f, big5("這是中文，測試。\n")).unwrap();
    let out = t.path().join("o");
    let o = run(&[
        f.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--to",
        "keep",
    ]);
    assert!(o.status.success());
    assert_eq!(tree(&out), vec![PathBuf::from("x.txt")]);
    assert_eq!(
        fs::read_to_string(out.join("x.txt")).unwrap(),
        "這是中文，測試。\n"
    );
}

#[test]
fn stdin_to_stdout() {
    let o = run_stdin(&["-", "--to", "keep"], &gbk("中文,世界\n"));
    assert!(o.status.success());
    assert_eq!(String::from_utf8(o.stdout).unwrap(), "中文，世界\n");
    let o = run_stdin(
        &["-", "--to", "keep", "--punct", "keep"],
        &gbk("中文,世界\n"),
    );
    assert_eq!(String::from_utf8(o.stdout).unwrap(), "中文,世界\n");
}

#[test]
fn empty_stdin_gives_empty_output() {
    let o = run_stdin(&["-"], b"");
    assert!(o.status.success());
    assert!(o.stdout.is_empty());
}

#[test]
fn usage_errors_exit_2() {
    let t = tempfile::tempdir().unwrap();
    let a = t.path().join("a.txt");
    let b = t.path().join("b.txt");
    fs::write(&a, "a").unwrap();
    fs::write(&b, "b").unwrap();
    // Several inputs without -o.
    let o = run(&[a.to_str().unwrap(), b.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    // Output inside the input directory.
    let inside = t.path().join("out");
    let o = run(&[t.path().to_str().unwrap(), "-o", inside.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("inside input directory"));
    assert!(!inside.exists());
    // Output equal to the input directory.
    let o = run(&[t.path().to_str().unwrap(), "-o", t.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    // Unknown encoding label, unknown option value.
    assert_eq!(
        run(&["--encoding", "nope", a.to_str().unwrap()])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        run(&["--to", "klingon", a.to_str().unwrap()]).status.code(),
        Some(2)
    );
    assert_eq!(run(&[]).status.code(), Some(2));
}

#[test]
fn bad_files_are_named_and_the_rest_still_written() {
    let t = tempfile::tempdir().unwrap();
    let src = t.path().join("in");
    fs::create_dir_all(&src).unwrap();
    fs::write(src.join("good.txt"), gbk(ZH)).unwrap();
    fs::write(src.join("empty.txt"), b"").unwrap();
    fs::write(
        src.join("prog.bin"),
        b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x03\x00\x3e\x00\x01\x00\x00\x00",
    )
    .unwrap();
    let out = t.path().join("out");
    let report = t.path().join("r.jsonl");
    let o = run(&[
        src.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--report",
        report.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("prog.bin") && err.contains("binary"), "{err}");
    assert_eq!(fs::read_to_string(out.join("good.txt")).unwrap(), ZH);
    assert_eq!(fs::read(out.join("empty.txt")).unwrap(), b"");
    assert!(!out.join("prog.bin").exists());
    assert_eq!(
        tree(&out),
        vec![PathBuf::from("empty.txt"), PathBuf::from("good.txt")]
    );

    let lines: Vec<serde_json::Value> = fs::read_to_string(&report)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    let good = lines
        .iter()
        .find(|v| v["path"].as_str().unwrap().ends_with("good.txt"))
        .unwrap();
    assert_eq!(good["encoding"], "gbk");
    assert_eq!(good["bytes_in"], gbk(ZH).len());
    assert_eq!(good["bytes_out"], ZH.len());
    assert!(good["error"].is_null());
    let bin = lines
        .iter()
        .find(|v| v["path"].as_str().unwrap().ends_with("prog.bin"))
        .unwrap();
    assert!(bin["error"].as_str().unwrap().contains("binary"));
}

#[test]
fn missing_input_is_reported_and_others_processed() {
    let t = tempfile::tempdir().unwrap();
    let a = t.path().join("a.txt");
    fs::write(&a, gbk(ZH)).unwrap();
    let out = t.path().join("out");
    let o = run(&[
        a.to_str().unwrap(),
        "/no/such/file.txt",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("/no/such/file.txt: no such file"));
    assert_eq!(fs::read_to_string(out.join("a.txt")).unwrap(), ZH);
}

#[cfg(unix)]
#[test]
fn symlink_loop_is_reported_not_followed_forever() {
    let t = tempfile::tempdir().unwrap();
    let src = t.path().join("in");
    fs::create_dir_all(src.join("d")).unwrap();
    fs::write(src.join("d/ok.txt"), ZH).unwrap();
    std::os::unix::fs::symlink(&src, src.join("d/loop")).unwrap();
    let out = t.path().join("out");
    let o = run(&[src.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("symlink loop"));
    assert_eq!(fs::read_to_string(out.join("d/ok.txt")).unwrap(), ZH);
}

#[test]
fn detect_prints_path_encoding_confidence() {
    let t = tempfile::tempdir().unwrap();
    fs::write(t.path().join("a.txt"), gbk(ZH)).unwrap();
    fs::write(t.path().join("b.txt"), utf16le_bom(ZH)).unwrap();
    let o = run(&["--detect", t.path().to_str().unwrap()]);
    assert!(o.status.success());
    let s = String::from_utf8(o.stdout).unwrap();
    let rows: Vec<Vec<&str>> = s.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(rows.len(), 2);
    assert!(rows[0][0].ends_with("a.txt") && rows[0][1] == "gbk");
    assert!(rows[1][0].ends_with("b.txt") && rows[1][1] == "utf-16le" && rows[1][2] == "1.00");
}

#[test]
fn forced_encoding_overrides_detection() {
    // Detection reads these bytes as windows-1252 ("café"); forced to UTF-8
    // the lone 0xE9 is malformed and becomes U+FFFD, as the user asked.
    let bytes = b"caf\xe9 au lait\n";
    let o = run_stdin(&["-"], bytes);
    assert_eq!(String::from_utf8(o.stdout).unwrap(), "café au lait\n");
    let o = run_stdin(&["-", "--encoding", "utf-8"], bytes);
    assert!(o.status.success());
    assert_eq!(
        String::from_utf8(o.stdout).unwrap(),
        "caf\u{FFFD} au lait\n"
    );
}

#[test]
fn output_is_identical_whatever_the_thread_count() {
    let t = tempfile::tempdir().unwrap();
    let src = t.path().join("in");
    fs::create_dir_all(&src).unwrap();
    for i in 0..20 {
        let text = format!("第{i}段。{ZH}");
        fs::write(
            src.join(format!("{i:02}.txt")),
            if i % 2 == 0 { gbk(&text) } else { big5(&text) },
        )
        .unwrap();
    }
    let mut outs = Vec::new();
    for j in ["1", "2", "4"] {
        let out = t.path().join(format!("out{j}"));
        let o = run(&[src.to_str().unwrap(), "-o", out.to_str().unwrap(), "-j", j]);
        assert!(o.status.success());
        outs.push(
            tree(&out)
                .iter()
                .map(|f| fs::read(out.join(f)).unwrap())
                .collect::<Vec<_>>(),
        );
    }
    assert_eq!(outs[0], outs[1]);
    assert_eq!(outs[0], outs[2]);
    assert_eq!(outs[0].len(), 20);
}

#[test]
fn bom_is_stripped_and_line_endings_kept() {
    let mut input = b"\xEF\xBB\xBF".to_vec();
    input.extend_from_slice("第一行\r\nsecond line\r\n".as_bytes());
    let o = run_stdin(&["-"], &input);
    assert_eq!(
        String::from_utf8(o.stdout).unwrap(),
        "第一行\r\nsecond line\r\n"
    );
}
