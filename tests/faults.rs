//! Faults and bad input: each gives a clear per-file message, the right exit
//! status, no partial or temporary file in the output, and never a changed
//! input.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod common;
use common::bin;

fn temp_files(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with(".fixtext-"))
        .map(|e| e.path().to_path_buf())
        .collect()
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// A big Traditional Chinese file (streamed through a temporary file).
fn big_traditional(path: &Path, mb: usize) {
    let line = "這是一次突如其來的危機，也是一場需要沉著應戰的大考。疫情如火，來勢洶洶。\n";
    let text = line.repeat(mb * (1 << 20) / line.len() + 1);
    fs::write(path, text).unwrap();
}

#[test]
fn sigterm_leaves_only_complete_files_and_no_temporaries() {
    let t = tempfile::tempdir().unwrap();
    let src = t.path().join("in");
    fs::create_dir_all(&src).unwrap();
    big_traditional(&src.join("a_big.txt"), 200);
    fs::write(src.join("b_small.txt"), "這是小檔案。\n").unwrap();
    let before = fs::read(src.join("a_big.txt")).unwrap().len();
    let out = t.path().join("out");
    let child = bin()
        .args([
            src.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "-j",
            "1",
        ])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until the big file's temporary output exists, then interrupt.
    let start = Instant::now();
    while temp_files(&out).is_empty() && start.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(
        !temp_files(&out).is_empty(),
        "the run never started writing"
    );
    let pid = child.id().to_string();
    Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(
        o.status.code(),
        Some(130),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(String::from_utf8_lossy(&o.stderr).contains("interrupted"));
    assert!(
        temp_files(&out).is_empty(),
        "temporary files left: {:?}",
        temp_files(&out)
    );
    // Whatever is in the output directory is complete.
    if out.join("b_small.txt").exists() {
        assert_eq!(
            fs::read_to_string(out.join("b_small.txt")).unwrap(),
            "这是小档案。\n"
        );
    }
    assert!(
        !out.join("a_big.txt").exists(),
        "the interrupted file must not appear"
    );
    assert_eq!(fs::read(src.join("a_big.txt")).unwrap().len(), before);
}

#[test]
fn invalid_utf16_and_truncated_sequences_decode_with_replacement() {
    // UTF-16LE with a BOM and a lone high surrogate in the middle.
    let mut bytes = vec![0xFF, 0xFE];
    for u in [0x4E2D_u16, 0xD800, 0x6587, 0x000A] {
        bytes.extend(u.to_le_bytes());
    }
    let mut child = bin()
        .args(["-", "--to", "keep"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(&bytes).unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success());
    assert_eq!(String::from_utf8(o.stdout).unwrap(), "中\u{FFFD}文\n");

    // UTF-8 text whose last character is cut off.
    let t = tempfile::tempdir().unwrap();
    let f = t.path().join("cut.txt");
    let mut text = "中文的句子，最後一個字被截斷了".repeat(10).into_bytes();
    text.extend_from_slice(&"字".as_bytes()[..2]);
    fs::write(&f, &text).unwrap();
    let o = bin()
        .args([f.to_str().unwrap(), "--to", "keep"])
        .output()
        .unwrap();
    assert!(o.status.success());
    let s = String::from_utf8(o.stdout).unwrap();
    assert!(s.starts_with("中文的句子，最後一個字被截斷了"), "{s}");
    assert!(s.ends_with('\u{FFFD}'));
}

#[test]
fn a_200_mb_single_line_is_streamed() {
    let t = tempfile::tempdir().unwrap();
    let f = t.path().join("line.txt");
    let unit = "中文和English混合的一行，没有换行符。";
    let n = 200 * (1 << 20) / unit.len();
    fs::write(&f, unit.repeat(n)).unwrap();
    let out = t.path().join("out");
    let o = bin()
        .args([
            f.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--to",
            "keep",
            "--punct",
            "keep",
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let got = fs::read(out.join("line.txt")).unwrap();
    assert_eq!(got.len(), unit.len() * n);
    assert!(got.chunks(unit.len()).all(|c| c == unit.as_bytes()));
}

/// Mount a small tmpfs (root only); `None` with a message where it cannot.
fn small_tmpfs(dir: &Path, opts: &str) -> Option<()> {
    fs::create_dir_all(dir).ok()?;
    let ok = Command::new("mount")
        .args(["-t", "tmpfs", "-o", opts, "tmpfs", dir.to_str()?])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        eprintln!("SKIPPED: cannot mount a tmpfs here (needs root and mount rights)");
    }
    ok.then_some(())
}

fn umount(dir: &Path) {
    let _ = Command::new("umount").arg(dir).status();
}

#[test]
fn full_file_system_fails_that_file_only_and_leaves_no_temporaries() {
    let t = tempfile::tempdir().unwrap();
    let out = t.path().join("full");
    if small_tmpfs(&out, "size=1m").is_none() {
        return;
    }
    let src = t.path().join("in");
    fs::create_dir_all(&src).unwrap();
    big_traditional(&src.join("big.txt"), 3);
    fs::write(src.join("small.txt"), "小檔案\n").unwrap();
    let o = bin()
        .args([src.to_str().unwrap(), "-o", out.to_str().unwrap()])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    let temps = temp_files(&out);
    let small = fs::read_to_string(out.join("small.txt")).ok();
    let big_exists = out.join("big.txt").exists();
    umount(&out);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("big.txt") && err.to_lowercase().contains("space"),
        "{err}"
    );
    assert!(temps.is_empty(), "{temps:?}");
    assert!(!big_exists);
    assert_eq!(small.as_deref(), Some("小档案\n"));
}

#[test]
fn read_only_output_is_reported_per_file() {
    let t = tempfile::tempdir().unwrap();
    let out = t.path().join("ro");
    if small_tmpfs(&out, "size=1m,ro").is_none() {
        return;
    }
    let src = t.path().join("in");
    fs::create_dir_all(&src).unwrap();
    fs::write(src.join("a.txt"), "甲\n").unwrap();
    fs::write(src.join("b.txt"), "乙\n").unwrap();
    let o = bin()
        .args([src.to_str().unwrap(), "-o", out.to_str().unwrap()])
        .output()
        .unwrap();
    umount(&out);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1));
    assert!(err.contains("a.txt") && err.contains("b.txt"), "{err}");
    assert!(err.to_lowercase().contains("read-only"), "{err}");
}

#[test]
fn unreadable_file_is_named_and_others_written() {
    if is_root() {
        eprintln!("SKIPPED: running as root, which can read any file");
        return;
    }
    use std::os::unix::fs::PermissionsExt;
    let t = tempfile::tempdir().unwrap();
    let src = t.path().join("in");
    fs::create_dir_all(&src).unwrap();
    fs::write(src.join("ok.txt"), "好\n").unwrap();
    fs::write(src.join("secret.txt"), "密\n").unwrap();
    fs::set_permissions(src.join("secret.txt"), fs::Permissions::from_mode(0o000)).unwrap();
    let out = t.path().join("out");
    let o = bin()
        .args([src.to_str().unwrap(), "-o", out.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("secret.txt: reading: permission denied"));
    assert_eq!(fs::read_to_string(out.join("ok.txt")).unwrap(), "好\n");
}

/// An input removed after the run listed it and before it was read (the
/// window a `rm` during a long run hits): that file is reported as missing,
/// the others are written, nothing temporary is left. The run is driven
/// through the library's two steps (`plan`, then `run`) so the removal
/// happens at a known point instead of racing the workers.
#[test]
fn input_removed_mid_run() {
    use fixtext::batch;
    let t = tempfile::tempdir().unwrap();
    let src = t.path().join("in");
    let out = t.path().join("out");
    fs::create_dir_all(&src).unwrap();
    for name in ["a.txt", "b.txt", "c.txt"] {
        fs::write(src.join(name), "這是危機,也是大考!\n").unwrap();
    }
    let (jobs, walk_errors) = batch::plan(std::slice::from_ref(&src), Some(&out));
    assert!(walk_errors.is_empty());
    assert_eq!(jobs.len(), 3);
    fs::remove_file(src.join("b.txt")).unwrap();
    let reports = batch::run(&jobs, &fixtext::Options::default(), &mut std::io::sink());
    let failed: Vec<_> = reports.iter().filter(|r| r.error.is_some()).collect();
    assert_eq!(failed.len(), 1, "{reports:?}");
    assert!(failed[0].path.ends_with("b.txt"), "{}", failed[0].path);
    let reason = failed[0].error.as_deref().unwrap_or_default();
    assert!(reason.contains("no such file"), "{reason}");
    assert_eq!(
        fs::read_to_string(out.join("a.txt")).unwrap(),
        "这是危机，也是大考！\n"
    );
    assert!(out.join("c.txt").exists());
    assert!(!out.join("b.txt").exists());
    assert!(temp_files(&out).is_empty());
}
