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
use crate::{Options, fix_bytes};
use rayon::prelude::*;
use std::io::{self, Read, Write};
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

/// Run every job, in parallel over files, and return one report per job in
/// job order. A job with `output: None` writes to `stdout`.
pub fn run(jobs: &[Job], opts: &Options, stdout: &mut dyn Write) -> Vec<FileReport> {
    jobs.par_iter()
        .map(|job| match job.output {
            Some(_) => process(job, opts, None),
            None => {
                // Stdout jobs are rare (one input) and must not interleave:
                // produce the text here, write it below in order.
                process(job, opts, Some(&mut Vec::new()))
            }
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|(report, text)| {
            if let Some(text) = text
                && let Err(e) = stdout.write_all(&text).and_then(|_| stdout.flush())
            {
                let mut r = report;
                r.error = Some(format!("writing to standard output: {}", io_reason(&e)));
                return r;
            }
            report
        })
        .collect()
}

fn display(job: &Job) -> String {
    job.input
        .as_ref()
        .map_or_else(|| "-".to_owned(), |p| p.display().to_string())
}

/// Process one job. When `to_memory` is given, the output is returned instead
/// of written to a file.
fn process(
    job: &Job,
    opts: &Options,
    to_memory: Option<&mut Vec<u8>>,
) -> (FileReport, Option<Vec<u8>>) {
    let mut report = FileReport {
        path: display(job),
        output: job.output.as_ref().map(|p| p.display().to_string()),
        ..FileReport::default()
    };
    let bytes = match read_input(job.input.as_deref()) {
        Ok(b) => b,
        Err(e) => {
            report.error = Some(format!("reading: {}", io_reason(&e)));
            return (report, None);
        }
    };
    report.bytes_in = bytes.len() as u64;
    let fixed = match fix_bytes(&bytes, opts) {
        Ok(f) => f,
        Err(e) => {
            report.error = Some(e.to_string());
            return (report, None);
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
    report.bytes_out = fixed.text.len() as u64;
    if to_memory.is_some() {
        return (report, Some(fixed.text.into_bytes()));
    }
    if let (Some(out), input) = (&job.output, &job.input)
        && let Err(reason) = write_atomic(out, input.as_deref(), fixed.text.as_bytes())
    {
        report.error = Some(reason);
        report.bytes_out = 0;
    }
    (report, None)
}

fn read_input(path: Option<&Path>) -> io::Result<Vec<u8>> {
    match path {
        Some(p) => std::fs::read(p),
        None => {
            let mut v = Vec::new();
            io::stdin().lock().read_to_end(&mut v)?;
            Ok(v)
        }
    }
}

/// Write `data` to `out` through a temporary file in the same directory and
/// a rename. Refuses when `out` is the input file itself.
pub fn write_atomic(out: &Path, input: Option<&Path>, data: &[u8]) -> Result<(), String> {
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
    let mut tmp = tempfile::Builder::new()
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
    // No fsync: the rename is what makes the write atomic for readers, and a
    // per-file fsync would dominate the cost of many small files.
    tmp.write_all(data)
        .map_err(|e| format!("writing {}: {}", out.display(), io_reason(&e)))?;
    tmp.persist(out)
        .map_err(|e| format!("renaming into {}: {}", out.display(), io_reason(&e.error)))?;
    Ok(())
}
