//! Helpers shared by the integration tests that run the `fixtext` binary.
// Each test crate uses only some of them.
#![allow(dead_code)]

use std::process::{Command, Output, Stdio};

/// The binary under test.
pub fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_fixtext"))
}

/// Run it with `args`.
pub fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("run fixtext")
}

/// Run it with `args` and `input` on stdin (written from another thread:
/// the output may fill its pipe before the input is all read).
pub fn run_stdin(args: &[&str], input: &[u8]) -> Output {
    use std::io::Write;
    let mut child = bin()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn fixtext");
    let mut stdin = child.stdin.take().expect("stdin");
    let data = input.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&data));
    let out = child.wait_with_output().expect("wait fixtext");
    writer.join().expect("join").expect("write stdin");
    out
}
