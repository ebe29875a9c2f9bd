//! Files: expand inputs into jobs, process them in parallel, write each
//! output atomically.
//!
//! Invariants:
//! * an input is never written to: an output that would resolve to an input
//!   file is an error for that file, and an output directory equal to or
//!   inside an input directory is refused before anything runs;
//! * an output is written to a temporary file in its destination directory
//!   and renamed into place, so a reader never sees half a file;
//! * results come back in input order whatever the thread count, and the
//!   bytes of each output do not depend on it.

use crate::report::FileReport;
use crate::{Options, fix_bytes, stream};
use rayon::prelude::*;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The error text of a job whose reader closed standard output (`| head`):
/// the CLI exits without a message, as other filters do.
pub const BROKEN_PIPE: &str = "standard output closed (broken pipe)";

/// One unit of work: a file to read (or stdin) and where its output goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    /// The input file, or `None` for standard input.
    pub input: Option<PathBuf>,
    /// The output file, or `None` for standard output.
    pub output: Option<PathBuf>,
}

/// An input that could not be expanded into jobs (a walk error).
#[derive(Debug, Clone)]
pub struct WalkError {
    /// The path the error is about.
    pub path: PathBuf,
    /// The reason.
    pub reason: String,
}

/// Expand inputs (files, directories walked recursively, `-`) into jobs
/// writing under `out_dir` (or to stdout when `None`).
///
/// Returns the jobs and the paths that could not be walked (each with its
/// reason); the caller reports those and goes on.
pub fn plan(inputs: &[PathBuf], out_dir: Option<&Path>) -> (Vec<Job>, Vec<WalkError>) {
    let mut jobs = Vec::new();
    let mut errors = Vec::new();
    for input in inputs {
        if input.as_os_str() == "-" {
            jobs.push(Job {
                input: None,
                output: None,
            });
            continue;
        }
        match std::fs::metadata(input) {
            Ok(m) if m.is_dir() => {
                let walker = walkdir::WalkDir::new(input)
                    .follow_links(true)
                    .sort_by_file_name();
                for entry in walker {
                    match entry {
                        Ok(e) if e.file_type().is_dir() => {}
                        Ok(e) => {
                            let rel = e.path().strip_prefix(input).unwrap_or(e.path());
                            jobs.push(Job {
                                input: Some(e.path().to_path_buf()),
                                output: out_dir.map(|d| d.join(rel)),
                            });
                        }
                        Err(err) => errors.push(WalkError {
                            path: err
                                .path()
                                .map(Path::to_path_buf)
                                .unwrap_or_else(|| input.clone()),
                            reason: walk_reason(&err),
                        }),
                    }
                }
            }
            Ok(_) => {
                let name = input.file_name().map(PathBuf::from).unwrap_or_default();
                jobs.push(Job {
                    input: Some(input.clone()),
                    output: out_dir.map(|d| d.join(name)),
                });
            }
            Err(e) => errors.push(WalkError {
                path: input.clone(),
                reason: io_reason(&e),
            }),
        }
    }
    (jobs, errors)
}

fn walk_reason(err: &walkdir::Error) -> String {
    if let Some(anc) = err.loop_ancestor() {
        return format!(
            "directory symlink loop (back to {}), skipped",
            anc.display()
        );
    }
    match err.io_error() {
        Some(e) => io_reason(e),
        None => err.to_string(),
    }
}

/// A short human reason for an I/O error.
pub fn io_reason(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "no such file or directory".into(),
        io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

/// Whether `out_dir` is equal to or inside one of the input directories
/// (which would make fixtext read its own output). Returns the offending
/// input.
pub fn output_inside_input<'a>(inputs: &'a [PathBuf], out_dir: &Path) -> Option<&'a PathBuf> {
    let out = resolve(out_dir);
    inputs.iter().find(|i| {
        i.as_os_str() != "-"
            && i.is_dir()
            && std::fs::canonicalize(i).is_ok_and(|i| out.starts_with(i))
    })
}

/// Canonical form of a path that may not exist yet: the nearest existing
/// ancestor is canonicalised and the rest appended.
fn resolve(p: &Path) -> PathBuf {
    let abs = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    };
    let mut rest = Vec::new();
    let mut cur = abs.as_path();
    loop {
        if let Ok(c) = std::fs::canonicalize(cur) {
            let mut r = c;
            for part in rest.iter().rev() {
                r.push(part);
            }
            return r;
        }
        match (cur.parent(), cur.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                cur = parent;
            }
            _ => return abs,
        }
    }
}

/// Files larger than this are streamed (bounded memory, chunks in
/// parallel) instead of read whole.
pub const STREAM_THRESHOLD: u64 = 32 << 20;

/// Run every job, in parallel over files, and return one report per job in
/// job order. Jobs with a file output run in parallel; a job without one
/// (standard output: the CLI allows only one) is streamed to `stdout`.
pub fn run(jobs: &[Job], opts: &Options, stdout: &mut dyn Write) -> Vec<FileReport> {
    run_with_progress(jobs, opts, stdout, &|_| {})
}

/// [`run`], calling `done` with each job's report as soon as the job is
/// finished (from the worker threads, in completion order): a progress
/// display's hook.
pub fn run_with_progress(
    jobs: &[Job],
    opts: &Options,
    stdout: &mut dyn Write,
    done: &(dyn Fn(&FileReport) + Sync),
) -> Vec<FileReport> {
    let mut reports: Vec<Option<FileReport>> = jobs
        .par_iter()
        .map(|job| {
            let out = job.output.as_ref()?;
            // A bug must cost one file, not the run: a panic while fixing a
            // file is reported as that file's error (its output is never
            // renamed into place, so nothing half-written appears).
            let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| to_file(job, out, opts)))
                .unwrap_or_else(|_| FileReport {
                    error: Some(
                        "internal error: fixtext panicked on this file (a bug; please report it); file skipped"
                            .to_owned(),
                    ),
                    ..new_report(job)
                });
            done(&r);
            Some(r)
        })
        .collect();
    for (job, slot) in jobs.iter().zip(reports.iter_mut()) {
        if slot.is_none() {
            let r = to_stdout(job, opts, stdout);
            done(&r);
            *slot = Some(r);
        }
    }
    reports.into_iter().flatten().collect()
}

fn display(job: &Job) -> String {
    job.input
        .as_ref()
        .map_or_else(|| "-".to_owned(), |p| p.display().to_string())
}

fn new_report(job: &Job) -> FileReport {
    FileReport {
        path: display(job),
        output: job.output.as_ref().map(|p| p.display().to_string()),
        ..FileReport::default()
    }
}

fn fill_from_summary(report: &mut FileReport, s: &stream::Summary) {
    report.encoding = Some(s.detection.charset.name());
    report.decided_by = Some(s.detection.method.as_str());
    report.confidence = Some(s.detection.confidence);
    report.bytes_in = s.bytes_in;
    report.bytes_out = s.bytes_out;
    report.malformed = s.malformed;
    report.fixes = s.log.counts().clone();
    report.details = s.log.fixes().to_vec();
}

/// Stream one input (a file or stdin) to standard output.
fn to_stdout(job: &Job, opts: &Options, stdout: &mut dyn Write) -> FileReport {
    let mut report = new_report(job);
    let result = match &job.input {
        Some(p) => match std::fs::File::open(p) {
            Ok(mut f) => stream::fix_stream(&mut f, stdout, opts),
            Err(e) => Err(stream::StreamError::Read(e)),
        },
        None => stream::fix_stream(&mut io::stdin().lock(), stdout, opts),
    };
    match result {
        Ok(s) => fill_from_summary(&mut report, &s),
        Err(stream::StreamError::Write(e)) if e.kind() == io::ErrorKind::BrokenPipe => {
            report.error = Some(BROKEN_PIPE.to_owned());
        }
        Err(e) => report.error = Some(e.to_string()),
    }
    report
}

/// Fix one input file into `out`, atomically: whole for ordinary files,
/// streamed through the temporary file for big ones.
fn to_file(job: &Job, out: &Path, opts: &Options) -> FileReport {
    let mut report = new_report(job);
    let Some(input) = job.input.as_deref() else {
        report.error = Some("standard input cannot be written to a file".to_owned());
        return report;
    };
    let big = std::fs::metadata(input).is_ok_and(|m| m.len() > STREAM_THRESHOLD);
    if big {
        let result = std::fs::File::open(input)
            .map_err(|e| format!("reading: {}", io_reason(&e)))
            .and_then(|mut f| {
                write_atomic_with(out, Some(input), |w| {
                    stream::fix_stream(&mut f, w, opts).map_err(|e| e.to_string())
                })
            });
        match result {
            Ok(s) => fill_from_summary(&mut report, &s),
            Err(e) => report.error = Some(e),
        }
        return report;
    }
    let bytes = match std::fs::read(input) {
        Ok(b) => b,
        Err(e) => {
            report.error = Some(format!("reading: {}", io_reason(&e)));
            return report;
        }
    };
    report.bytes_in = bytes.len() as u64;
    let fixed = match fix_bytes(&bytes, opts) {
        Ok(f) => f,
        Err(e) => {
            report.error = Some(e.to_string());
            return report;
        }
    };
    drop(bytes);
    if let Some(d) = fixed.detection {
        report.encoding = Some(d.charset.name());
        report.decided_by = Some(d.method.as_str());
        report.confidence = Some(d.confidence);
    }
    report.malformed = fixed.malformed;
    report.fixes = fixed.log.counts().clone();
    report.details = fixed.log.fixes().to_vec();
    match write_atomic(out, Some(input), fixed.text.as_bytes()) {
        Ok(()) => report.bytes_out = fixed.text.len() as u64,
        Err(reason) => report.error = Some(reason),
    }
    report
}

/// Write `data` to `out` through a temporary file in the same directory and
/// a rename. Refuses when `out` is the input file itself.
pub fn write_atomic(out: &Path, input: Option<&Path>, data: &[u8]) -> Result<(), String> {
    write_atomic_with(out, input, |w| {
        w.write_all(data)
            .map_err(|e| format!("writing {}: {}", out.display(), io_reason(&e)))
    })
}

/// Create a temporary file beside `out`, let `fill` write it, and rename it
/// to `out` only when `fill` succeeded; otherwise the temporary file is
/// removed and nothing appears at `out`. Refuses when `out` is the input.
pub fn write_atomic_with<T>(
    out: &Path,
    input: Option<&Path>,
    fill: impl FnOnce(&mut dyn Write) -> Result<T, String>,
) -> Result<T, String> {
    if let (Some(input), Ok(existing)) = (input, std::fs::canonicalize(out))
        && std::fs::canonicalize(input).is_ok_and(|i| i == existing)
    {
        return Err(format!(
            "output {} is the input itself; refusing to overwrite an input",
            out.display()
        ));
    }
    let dir = match out.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir)
        .map_err(|e| format!("creating directory {}: {}", dir.display(), io_reason(&e)))?;
    let tmp = tempfile::Builder::new()
        .prefix(".fixtext-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| {
            format!(
                "creating a temporary file in {}: {}",
                dir.display(),
                io_reason(&e)
            )
        })?;
    let _pending = Pending::register(tmp.path());
    // No fsync: the rename is what makes the write atomic for readers, and a
    // per-file fsync would dominate the cost of many small files.
    let mut w = io::BufWriter::with_capacity(1 << 16, tmp);
    let value = fill(&mut w)?;
    let tmp = w
        .into_inner()
        .map_err(|e| format!("writing {}: {}", out.display(), io_reason(e.error())))?;
    tmp.persist(out)
        .map_err(|e| format!("renaming into {}: {}", out.display(), io_reason(&e.error)))?;
    Ok(value)
}

/// Temporary files being written, so that an interrupted run (SIGINT,
/// SIGTERM) can remove them before it exits: no half-written file is ever
/// left in an output directory.
static PENDING: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());

/// Registration of one temporary file in [`PENDING`], undone on drop (after
/// the rename, or when the temporary file is dropped on an error).
struct Pending(PathBuf);

impl Pending {
    fn register(path: &Path) -> Pending {
        if let Ok(mut v) = PENDING.lock() {
            v.push(path.to_path_buf());
        }
        Pending(path.to_path_buf())
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        if let Ok(mut v) = PENDING.lock()
            && let Some(i) = v.iter().position(|p| *p == self.0)
        {
            v.swap_remove(i);
        }
    }
}

/// Remove every temporary file still being written (for a signal handler
/// that is about to end the process). Returns how many were removed.
pub fn remove_pending_temp_files() -> usize {
    let paths = match PENDING.lock() {
        Ok(mut v) => std::mem::take(&mut *v),
        Err(poisoned) => std::mem::take(&mut *poisoned.into_inner()),
    };
    paths
        .iter()
        .filter(|p| std::fs::remove_file(p).is_ok())
        .count()
}
