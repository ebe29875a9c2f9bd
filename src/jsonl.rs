//! JSON Lines: fix named string fields of every record and leave the rest of
//! each line byte-identical.
//!
//! A JSONL file is UTF-8 by definition, so no detection runs on its bytes;
//! the text of each named field goes through the whole text pipeline
//! ([`crate::fix_str`] with the caller's [`Options`]).
//!
//! Only the bytes of a field's string literal are rewritten, and only when
//! the fixed text differs: key order, numbers, whitespace, escapes of the
//! other fields (and of an unchanged field) are kept as they are. A field is
//! named by a dotted path (`meta.title`: key `title` of the object under key
//! `meta`); a key that itself contains a dot cannot be named.
//!
//! A line that is not valid JSON (or not UTF-8, or not an object), and a named
//! field that is not a string, is a [`Problem`]: reported with its line number
//! and passed through unchanged, or, with `strict`, the end of the file
//! ([`JsonlError::Strict`]). A line where a field is missing is passed
//! through without a problem. Empty lines are passed through.
//!
//! Streaming: lines are read in batches of about [`BATCH_BYTES`], each batch
//! fixed in parallel (rayon) and written in order, so memory does not grow
//! with the file and the output does not depend on the thread count.
//!
//! ```
//! use fixtext::jsonl::{FieldPath, JsonlOptions};
//! let line = r#"{"id": 7, "text": "這是危機,也是大考!", "n": 1.50}"#;
//! let jopts = JsonlOptions::default();
//! let out = fixtext::jsonl::fix_line(line.as_bytes(), &jopts, &fixtext::Options::default());
//! assert_eq!(
//!     String::from_utf8(out.bytes.into_owned()).unwrap(),
//!     r#"{"id": 7, "text": "这是危机，也是大考！", "n": 1.50}"#
//! );
//! assert!(out.problems.is_empty());
//! # let _ = FieldPath::parse("meta.title");
//! ```

use crate::explain::{Fix, Log};
use crate::{Options, new_log};
use rayon::prelude::*;
use serde::Serialize;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::{self, Read, Write};
use std::ops::Range;

/// Bytes of input read and fixed in parallel at a time.
pub const BATCH_BYTES: usize = 8 << 20;

/// A field named by a dotted path: `text`, `meta.title`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldPath {
    name: String,
    keys: Vec<String>,
}

impl FieldPath {
    /// Parse a dotted path. Fails on an empty path or an empty key
    /// (`a..b`, `.a`).
    pub fn parse(path: &str) -> Result<FieldPath, String> {
        let keys: Vec<String> = path.split('.').map(str::to_owned).collect();
        if keys.iter().any(String::is_empty) {
            return Err(format!("bad field path {path:?}: empty key"));
        }
        Ok(FieldPath {
            name: path.to_owned(),
            keys,
        })
    }

    /// The path as given.
    pub fn name(&self) -> &str {
        &self.name
    }
}

/// What JSONL mode does besides the text [`Options`].
#[derive(Debug, Clone)]
pub struct JsonlOptions {
    /// The fields to fix (default: `text`).
    pub fields: Vec<FieldPath>,
    /// Fail the file on the first problem instead of passing the line
    /// through.
    pub strict: bool,
}

impl Default for JsonlOptions {
    fn default() -> Self {
        JsonlOptions {
            fields: vec![FieldPath {
                name: "text".to_owned(),
                keys: vec!["text".to_owned()],
            }],
            strict: false,
        }
    }
}

/// A line that could not be fixed as asked (it is passed through unchanged,
/// or fails the file in strict mode).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// 1-based line number in the input.
    pub line: u64,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// One line fixed by [`fix_line`].
#[derive(Debug, Clone)]
pub struct FixedLine<'a> {
    /// The output line (borrowed when nothing changed).
    pub bytes: Cow<'a, [u8]>,
    /// What was wrong (line numbers are 0 here; the stream sets them).
    pub problems: Vec<Problem>,
    /// Counts (and details, with `Options::explain`) of the fixes.
    pub log: Log,
    /// The detailed fixes with the field they were made in (only with
    /// `Options::explain`).
    pub fixes: Vec<(String, Fix)>,
}

/// Fix the named fields of one JSON line (without its line terminator; a
/// trailing `\r` is kept as whitespace).
pub fn fix_line<'a>(line: &'a [u8], jopts: &JsonlOptions, opts: &Options) -> FixedLine<'a> {
    let mut res = FixedLine {
        bytes: Cow::Borrowed(line),
        problems: Vec::new(),
        log: new_log(opts),
        fixes: Vec::new(),
    };
    let problem = |message: String| Problem { line: 0, message };
    // A UTF-8 byte order mark may start the first line of a file.
    let (bom, body) = match line.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => (3, rest),
        None => (0, line),
    };
    if body.iter().all(u8::is_ascii_whitespace) {
        return res;
    }
    let text = match std::str::from_utf8(body) {
        Ok(t) => t,
        Err(e) => {
            res.problems.push(problem(format!(
                "not UTF-8 (invalid byte at column {})",
                e.valid_up_to() + 1
            )));
            return res;
        }
    };
    if let Err(e) = serde_json::from_str::<serde::de::IgnoredAny>(text) {
        res.problems.push(problem(format!("not valid JSON: {e}")));
        return res;
    }
    let start = skip_ws(text, 0);
    if text.as_bytes().get(start) != Some(&b'{') {
        res.problems.push(problem("not a JSON object".to_owned()));
        return res;
    }
    // Spans (in `text`) of the string values to fix, with their field.
    let mut spans: Vec<(Range<usize>, &str)> = Vec::new();
    for field in &jopts.fields {
        let mut found = Vec::new();
        match find(text, start, &field.keys, &mut found) {
            Ok(()) => spans.extend(found.into_iter().map(|r| (r, field.name()))),
            Err(what) => res
                .problems
                .push(problem(format!("field {:?} {what}", field.name()))),
        }
    }
    spans.sort_by_key(|(r, _)| r.start);
    spans.dedup_by_key(|(r, _)| r.start);
    let mut out: Option<Vec<u8>> = None;
    let mut copied = 0;
    for (span, field) in spans {
        let Some(raw) = text.get(span.clone()) else {
            continue;
        };
        let decoded: Cow<str> = match raw.get(1..raw.len().saturating_sub(1)) {
            Some(inner) if !inner.contains('\\') => Cow::Borrowed(inner),
            _ => match serde_json::from_str::<String>(raw) {
                Ok(s) => Cow::Owned(s),
                Err(e) => {
                    res.problems.push(problem(format!(
                        "field {field:?}: string cannot be decoded ({e})"
                    )));
                    continue;
                }
            },
        };
        let mut log = new_log(opts);
        let fixed = crate::fix_text(&decoded, opts, &mut log);
        if opts.explain {
            res.fixes
                .extend(log.fixes().iter().map(|f| (field.to_owned(), f.clone())));
        }
        res.log.absorb(log, 0);
        if fixed == decoded {
            continue;
        }
        let Ok(encoded) = serde_json::to_string(fixed.as_ref()) else {
            continue;
        };
        let buf = out.get_or_insert_with(|| Vec::with_capacity(line.len() + 16));
        buf.extend_from_slice(&line[copied..bom + span.start]);
        buf.extend_from_slice(encoded.as_bytes());
        copied = bom + span.end;
    }
    if let Some(mut buf) = out {
        buf.extend_from_slice(&line[copied..]);
        res.bytes = Cow::Owned(buf);
    }
    res
}

fn skip_ws(s: &str, mut i: usize) -> usize {
    let b = s.as_bytes();
    while b
        .get(i)
        .is_some_and(|c| matches!(c, b' ' | b'\t' | b'\n' | b'\r'))
    {
        i += 1;
    }
    i
}

/// End (exclusive) of the string literal starting at `i` (a `"`).
fn string_end(s: &str, i: usize) -> Option<usize> {
    let b = s.as_bytes();
    if b.get(i) != Some(&b'"') {
        return None;
    }
    let mut j = i + 1;
    loop {
        let k = j + memchr::memchr2(b'"', b'\\', b.get(j..)?)?;
        if b[k] == b'"' {
            return Some(k + 1);
        }
        j = k + 2;
    }
}

/// End (exclusive) of the JSON value starting at `i`. The line has been
/// validated, so only structure is followed.
fn value_end(s: &str, i: usize) -> Option<usize> {
    let b = s.as_bytes();
    match b.get(i)? {
        b'"' => string_end(s, i),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut j = i;
            loop {
                match b.get(j)? {
                    b'"' => {
                        j = string_end(s, j)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth = depth.saturating_sub(1);
                        if depth == 0 {
                            return Some(j + 1);
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
        }
        _ => {
            let mut j = i;
            while b
                .get(j)
                .is_some_and(|c| !matches!(c, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r'))
            {
                j += 1;
            }
            Some(j)
        }
    }
}

fn kind_of(c: Option<&u8>) -> &'static str {
    match c {
        Some(b'{') => "an object",
        Some(b'[') => "an array",
        Some(b'"') => "a string",
        Some(b't' | b'f') => "a boolean",
        Some(b'n') => "null",
        _ => "a number",
    }
}

/// Collect the spans of the string values at `keys` under the value at `i`.
/// `Err` says why a value on the path is not what the path needs.
fn find(s: &str, i: usize, keys: &[String], found: &mut Vec<Range<usize>>) -> Result<(), String> {
    let b = s.as_bytes();
    let Some((key, rest)) = keys.split_first() else {
        return match b.get(i) {
            Some(b'"') => {
                let end = string_end(s, i).ok_or("is a broken string")?;
                found.push(i..end);
                Ok(())
            }
            c => Err(format!("is {}, not a string", kind_of(c))),
        };
    };
    if b.get(i) != Some(&b'{') {
        return Err(format!(
            "cannot be reached: {} on its path, not an object",
            kind_of(b.get(i))
        ));
    }
    let mut j = skip_ws(s, i + 1);
    if b.get(j) == Some(&b'}') {
        return Ok(());
    }
    loop {
        let kend = string_end(s, j).ok_or("malformed object")?;
        let raw = &s[j..kend];
        let matches = match raw.get(1..raw.len() - 1) {
            Some(inner) if !inner.contains('\\') => inner == key,
            _ => serde_json::from_str::<String>(raw).is_ok_and(|k| &k == key),
        };
        j = skip_ws(s, kend);
        if b.get(j) != Some(&b':') {
            return Err("malformed object".into());
        }
        j = skip_ws(s, j + 1);
        if matches {
            find(s, j, rest, found)?;
        }
        j = skip_ws(s, value_end(s, j).ok_or("malformed value")?);
        match b.get(j) {
            Some(b',') => j = skip_ws(s, j + 1),
            _ => return Ok(()),
        }
    }
}

/// What happened to one JSONL input.
#[derive(Debug, Clone, Default, Serialize)]
pub struct JsonlReport {
    /// The input path (`-` for stdin).
    pub path: String,
    /// Where the output was written (absent for stdout).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<String>,
    /// Bytes read.
    pub bytes_in: u64,
    /// Bytes written.
    pub bytes_out: u64,
    /// Lines read.
    pub records: u64,
    /// Lines whose output differs from the input.
    pub records_changed: u64,
    /// Lines with a problem (passed through unchanged).
    pub problems: u64,
    /// Number of fixes applied, by kind.
    pub fixes: BTreeMap<&'static str, u64>,
    /// Why the file failed, if it did.
    pub error: Option<String>,
}

impl JsonlReport {
    /// The record as one line of JSON (no trailing newline).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|e| format!("{{\"error\":\"report: {e}\"}}"))
    }
}

/// Why a JSONL stream stopped.
#[derive(Debug)]
pub enum JsonlError {
    /// Reading the input failed.
    Read(io::Error),
    /// Writing the output failed.
    Write(io::Error),
    /// A problem in strict mode.
    Strict(Problem),
}

impl std::fmt::Display for JsonlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            JsonlError::Read(e) => write!(f, "reading: {}", crate::batch::io_reason(e)),
            JsonlError::Write(e) => write!(f, "writing: {}", crate::batch::io_reason(e)),
            JsonlError::Strict(p) => write!(f, "{p} (--strict)"),
        }
    }
}

impl std::error::Error for JsonlError {}

/// Something to tell the user while a stream runs (called in line order).
#[derive(Debug)]
pub enum Event<'a> {
    /// A line passed through unchanged (not in strict mode).
    Problem(&'a Problem),
    /// A fix, with `Options::explain`.
    Fix {
        /// 1-based line number.
        line: u64,
        /// The field path.
        field: &'a str,
        /// The fix (span relative to the field's text).
        fix: &'a Fix,
    },
}

/// Totals of a stream.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// Bytes read.
    pub bytes_in: u64,
    /// Bytes written.
    pub bytes_out: u64,
    /// Lines read.
    pub records: u64,
    /// Lines changed.
    pub records_changed: u64,
    /// Lines with a problem.
    pub problems: u64,
    /// Fix counts.
    pub log: Log,
}

/// Fix every line `input` yields into `output`, in bounded memory, batches of
/// lines in parallel. `on_event` is called in line order from the calling
/// thread.
pub fn fix_stream(
    input: &mut dyn Read,
    output: &mut dyn Write,
    jopts: &JsonlOptions,
    opts: &Options,
    on_event: &mut dyn FnMut(Event<'_>),
) -> Result<Summary, JsonlError> {
    let mut sum = Summary {
        log: Log::counting(),
        ..Summary::default()
    };
    let mut buf: Vec<u8> = Vec::with_capacity(BATCH_BYTES + (1 << 16));
    let mut eof = false;
    while !eof || !buf.is_empty() {
        // Fill up to BATCH_BYTES, then to the end of a line.
        while !eof && (buf.len() < BATCH_BYTES || memchr::memchr(b'\n', &buf).is_none()) {
            let want = BATCH_BYTES.saturating_sub(buf.len()).max(1 << 16);
            let got = input
                .take(want as u64)
                .read_to_end(&mut buf)
                .map_err(JsonlError::Read)?;
            sum.bytes_in += got as u64;
            eof = got == 0;
        }
        let ready = if eof {
            buf.len()
        } else {
            memchr::memrchr(b'\n', &buf).map_or(buf.len(), |i| i + 1)
        };
        let lines: Vec<&[u8]> = buf[..ready].split_inclusive(|&c| c == b'\n').collect();
        let fixed: Vec<FixedLine> = lines
            .par_iter()
            .with_min_len(32)
            .map(|l| {
                let body = l.strip_suffix(b"\n").unwrap_or(l);
                fix_line(body, jopts, opts)
            })
            .collect();
        for (l, f) in lines.iter().zip(fixed) {
            sum.records += 1;
            let line_no = sum.records;
            if !f.problems.is_empty() {
                sum.problems += 1;
            }
            for p in f.problems {
                let p = Problem { line: line_no, ..p };
                if jopts.strict {
                    return Err(JsonlError::Strict(p));
                }
                on_event(Event::Problem(&p));
            }
            for (field, fix) in &f.fixes {
                on_event(Event::Fix {
                    line: line_no,
                    field,
                    fix,
                });
            }
            sum.log.absorb(f.log, 0);
            let changed = matches!(f.bytes, Cow::Owned(_));
            if changed {
                sum.records_changed += 1;
            }
            output.write_all(&f.bytes).map_err(JsonlError::Write)?;
            sum.bytes_out += f.bytes.len() as u64;
            if l.ends_with(b"\n") {
                output.write_all(b"\n").map_err(JsonlError::Write)?;
                sum.bytes_out += 1;
            }
        }
        buf.drain(..ready);
    }
    output.flush().map_err(JsonlError::Write)?;
    Ok(sum)
}

/// Run JSONL jobs (planned by [`crate::batch::plan`]): files with an output
/// path in parallel, each written atomically (in strict mode a file with a
/// problem is not written); a job without one is streamed to `stdout`.
/// `on_event` receives each input's path with the event.
pub fn run(
    jobs: &[crate::batch::Job],
    jopts: &JsonlOptions,
    opts: &Options,
    stdout: &mut dyn Write,
    on_event: &(dyn Fn(&str, Event<'_>) + Sync),
) -> Vec<JsonlReport> {
    let mut reports: Vec<Option<JsonlReport>> = jobs
        .par_iter()
        .map(|job| {
            job.output
                .as_ref()
                .map(|out| one(job, Some(out), jopts, opts, None, on_event))
        })
        .collect();
    for (job, slot) in jobs.iter().zip(reports.iter_mut()) {
        if slot.is_none() {
            *slot = Some(one(job, None, jopts, opts, Some(&mut *stdout), on_event));
        }
    }
    reports.into_iter().flatten().collect()
}

fn one(
    job: &crate::batch::Job,
    out: Option<&std::path::PathBuf>,
    jopts: &JsonlOptions,
    opts: &Options,
    stdout: Option<&mut dyn Write>,
    on_event: &(dyn Fn(&str, Event<'_>) + Sync),
) -> JsonlReport {
    let path = job
        .input
        .as_ref()
        .map_or_else(|| "-".to_owned(), |p| p.display().to_string());
    let mut report = JsonlReport {
        path: path.clone(),
        output: out.map(|p| p.display().to_string()),
        ..JsonlReport::default()
    };
    let mut events = |e: Event<'_>| on_event(&path, e);
    let mut input: Box<dyn Read> = match &job.input {
        Some(p) => match std::fs::File::open(p) {
            Ok(f) => Box::new(f),
            Err(e) => {
                report.error = Some(format!("reading: {}", crate::batch::io_reason(&e)));
                return report;
            }
        },
        None => Box::new(io::stdin().lock()),
    };
    let result = match (out, stdout) {
        (Some(out), _) => crate::batch::write_atomic_with(out, job.input.as_deref(), |w| {
            fix_stream(&mut input, w, jopts, opts, &mut events).map_err(|e| e.to_string())
        }),
        (None, Some(w)) => {
            let mut w = io::BufWriter::with_capacity(1 << 16, w);
            match fix_stream(&mut input, &mut w, jopts, opts, &mut events) {
                Err(JsonlError::Write(e)) if e.kind() == io::ErrorKind::BrokenPipe => {
                    Err(crate::batch::BROKEN_PIPE.to_owned())
                }
                r => r.map_err(|e| e.to_string()),
            }
        }
        (None, None) => Err("no output".to_owned()),
    };
    match result {
        Ok(s) => {
            report.bytes_in = s.bytes_in;
            report.bytes_out = s.bytes_out;
            report.records = s.records;
            report.records_changed = s.records_changed;
            report.problems = s.problems;
            report.fixes = s.log.counts().clone();
        }
        Err(e) => report.error = Some(e),
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every prefix and every one-byte corruption of a record: no panic, and
    /// a line that is passed through is passed through unchanged.
    #[test]
    fn no_panic_on_damaged_lines() {
        let line = "\u{feff}{\"a\": {\"text\": \"Ã©\\\"x\\u00e9\", \"b\": [1, {\"c\": \"d\"}]}, \"text\": \"這是\", \"n\": -1.5e3, \"t\": true}".as_bytes();
        let jopts = JsonlOptions {
            fields: ["text", "a.text", "a.b", "n", "a.b.c"]
                .iter()
                .filter_map(|f| FieldPath::parse(f).ok())
                .collect(),
            strict: false,
        };
        let opts = Options::default();
        let full = fix_line(line, &jopts, &opts);
        assert!(matches!(full.bytes, Cow::Owned(_)));
        for cut in 0..line.len() {
            let _ = fix_line(&line[..cut], &jopts, &opts);
            for b in [b'"', b'\\', b'{', b'}', b'[', b',', b':', 0xff, b' '] {
                let mut l = line.to_vec();
                l[cut] = b;
                let f = fix_line(&l, &jopts, &opts);
                if !f.problems.is_empty() && f.log.total() == 0 {
                    assert_eq!(f.bytes.as_ref(), l.as_slice());
                }
            }
        }
    }
}
