//! The `fixtext` command: parse arguments, expand inputs, run the batch,
//! report. All the work is in the library.

use clap::{Parser, ValueEnum};
use fixtext::batch::{self, Job};
use fixtext::report::FileReport;
use fixtext::{Charset, Options, Punct, Target};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Turn broken text into clean UTF-8.
///
/// Detects each input's byte encoding, decodes it, repairs damage, converts
/// Chinese text to Simplified (or Traditional) and writes UTF-8 in NFC.
/// Inputs are never modified.
#[derive(Parser, Debug)]
#[command(name = "fixtext", version, after_help = EXAMPLES)]
struct Cli {
    /// Files, directories (walked recursively) or `-` for standard input.
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,

    /// Write each output under DIR at the same relative path (a directory
    /// input's tree is mirrored, a file input lands as DIR/<name>). Without
    /// it, a single input is written to standard output.
    #[arg(short, long, value_name = "DIR")]
    output: Option<PathBuf>,

    /// Script to convert Chinese text to. Only lines that are Chinese are
    /// converted: Japanese (kana), Korean and other scripts are never touched.
    #[arg(long, value_enum, default_value_t = ToArg::Simplified)]
    to: ToArg,

    /// `cjk`: in Chinese text, ASCII , ! ? : ; ( ) next to Chinese characters
    /// become full-width. `keep`: change no punctuation.
    #[arg(long, value_enum, default_value_t = PunctArg::Cjk)]
    punct: PunctArg,

    /// Skip detection and decode every input with this encoding (WHATWG
    /// labels: gbk, big5, shift_jis, euc-kr, utf-16le, windows-1252 …).
    #[arg(long, value_name = "LABEL")]
    encoding: Option<String>,

    /// Only detect: print PATH<TAB>ENCODING<TAB>CONFIDENCE per input, write
    /// nothing.
    #[arg(long)]
    detect: bool,

    /// Print every fix applied (file, position, before → after, reason) on
    /// standard error.
    #[arg(long)]
    explain: bool,

    /// Write one JSON object per input to FILE: path, encoding, how it was
    /// decided, bytes in/out, fixes by kind, error.
    #[arg(long, value_name = "FILE")]
    report: Option<PathBuf>,

    /// Number of worker threads (default: one per core).
    #[arg(short = 'j', long, value_name = "N")]
    threads: Option<usize>,

    /// Print nothing on standard error but errors.
    #[arg(short, long)]
    quiet: bool,

    /// Inputs are JSON Lines (UTF-8): fix the string fields named by
    /// --field in every record, leave the rest of each line byte-identical.
    #[arg(long)]
    jsonl: bool,

    /// With --jsonl: a field to fix, as a dotted path (`meta.title`);
    /// repeatable (default: `text`).
    #[arg(long, value_name = "PATH", requires = "jsonl")]
    field: Vec<String>,

    /// With --jsonl: a line that is not JSON or a field that is not a string
    /// fails the file (not written, exit 1) instead of being passed through.
    #[arg(long, requires = "jsonl")]
    strict: bool,
}

const EXAMPLES: &str = "\
Examples:
  fixtext pages/ -o clean/            fix a whole tree into clean/
  fixtext old.txt > new.txt           fix one file to standard output
  cat x.txt | fixtext - --to keep     repair only, no conversion
  fixtext --detect files/             print each file's encoding
  fixtext big5/ -o out/ --report r.jsonl
  fixtext --jsonl corpus/ -o clean/ --field text --field meta.title

Exit status: 0 all inputs done, 1 some inputs failed (the others are still
written), 2 usage error, 130 interrupted (files being written are removed;
the files already written stay).";

#[derive(Clone, Copy, Debug, ValueEnum)]
enum ToArg {
    Simplified,
    Traditional,
    Keep,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum PunctArg {
    Cjk,
    Keep,
}

fn usage_error(msg: &str) -> ExitCode {
    eprintln!("fixtext: {msg}");
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    // Interrupted (Ctrl-C, SIGTERM): remove the outputs being written, so
    // that only complete files are ever left, then exit with 130.
    let _ = ctrlc::set_handler(|| {
        batch::remove_pending_temp_files();
        eprintln!("fixtext: interrupted; files being written were removed");
        std::process::exit(130);
    });
    let encoding = match cli.encoding.as_deref().map(|l| (l, Charset::from_label(l))) {
        None => None,
        Some((_, Some(c))) => Some(c),
        Some((l, None)) => return usage_error(&format!("unknown encoding label {l:?}")),
    };
    if let Some(n) = cli.threads {
        if n == 0 {
            return usage_error("--threads must be at least 1");
        }
        if let Err(e) = rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global()
        {
            return usage_error(&format!("cannot start {n} threads: {e}"));
        }
    }
    let stdin_count = cli.inputs.iter().filter(|p| p.as_os_str() == "-").count();
    if stdin_count > 1 {
        return usage_error("standard input (-) can be given only once");
    }
    if let Some(out) = &cli.output {
        if stdin_count > 0 {
            return usage_error(
                "standard input (-) is written to standard output; drop -o or the -",
            );
        }
        if let Some(input) = batch::output_inside_input(&cli.inputs, out) {
            return usage_error(&format!(
                "output directory {} is inside input directory {}: fixtext would read its own output",
                out.display(),
                input.display()
            ));
        }
    }
    let opts = Options {
        encoding,
        to: match cli.to {
            ToArg::Simplified => Target::Simplified,
            ToArg::Traditional => Target::Traditional,
            ToArg::Keep => Target::Keep,
        },
        punct: match cli.punct {
            PunctArg::Cjk => Punct::Cjk,
            PunctArg::Keep => Punct::Keep,
        },
        repairs: Default::default(),
        explain: cli.explain,
    };

    if cli.jsonl {
        return jsonl::main(&cli, &opts);
    }

    let (jobs, walk_errors) = batch::plan(&cli.inputs, cli.output.as_deref());
    if cli.output.is_none() && !cli.detect && jobs.len() + walk_errors.len() > 1 {
        return usage_error(
            "several inputs need -o DIR (only one input can go to standard output)",
        );
    }
    let mut failed = false;
    for e in &walk_errors {
        eprintln!("fixtext: {}: {}", e.path.display(), e.reason);
        failed = true;
    }

    let reports = if cli.detect {
        detect_only(&jobs, &opts)
    } else {
        let stdout = std::io::stdout();
        let mut lock = stdout.lock();
        let bar = progress_bar(&jobs, cli.quiet);
        let files_done = std::sync::atomic::AtomicUsize::new(0);
        let done = |r: &FileReport| {
            if let Some(bar) = &bar {
                let n = files_done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                bar.inc(r.bytes_in);
                bar.set_message(format!("{n}/{} files", jobs.len()));
            }
        };
        let reports = batch::run_with_progress(&jobs, &opts, &mut lock, &done);
        if let Some(bar) = bar {
            bar.finish_and_clear();
        }
        reports
    };

    for r in &reports {
        if let Some(err) = &r.error {
            if err != batch::BROKEN_PIPE {
                eprintln!("fixtext: {}: {err}", r.path);
            }
            failed = true;
        }
        if cli.explain {
            explain(r);
        }
    }
    if let Some(path) = &cli.report {
        let walk: Vec<FileReport> = walk_errors
            .iter()
            .map(|e| FileReport {
                path: e.path.display().to_string(),
                error: Some(e.reason.clone()),
                ..FileReport::default()
            })
            .collect();
        let lines = walk.iter().chain(&reports).map(FileReport::to_json);
        failed |= !write_report(path, lines);
    }
    if !cli.quiet && cli.output.is_some() {
        let ok = reports.iter().filter(|r| r.error.is_none()).count();
        let fixes: u64 = reports.iter().flat_map(|r| r.fixes.values()).sum();
        eprintln!(
            "fixtext: {ok} of {} files written, {fixes} fixes",
            reports.len() + walk_errors.len()
        );
    }
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// A progress bar on standard error (files and bytes done, rate, ETA), only
/// when standard error is a terminal and `--quiet` is not given.
fn progress_bar(jobs: &[Job], quiet: bool) -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal;
    if quiet || !std::io::stderr().is_terminal() {
        return None;
    }
    let total: u64 = jobs
        .iter()
        .filter_map(|j| j.input.as_ref())
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum();
    let bar = indicatif::ProgressBar::with_draw_target(
        Some(total),
        indicatif::ProgressDrawTarget::stderr_with_hz(4),
    );
    let style = indicatif::ProgressStyle::with_template(
        "{wide_bar} {binary_bytes}/{binary_total_bytes} {msg} {binary_bytes_per_sec} ETA {eta}",
    )
    .ok()?;
    bar.set_style(style);
    bar.set_message(format!("0/{} files", jobs.len()));
    Some(bar)
}

mod jsonl {
    //! `--jsonl`: the CLI side of [`fixtext::jsonl`].
    use super::Cli;
    use fixtext::Options;
    use fixtext::batch;
    use fixtext::jsonl::{Event, FieldPath, JsonlOptions};
    use std::process::ExitCode;

    pub(super) fn main(cli: &Cli, opts: &Options) -> ExitCode {
        if cli.detect || cli.encoding.is_some() {
            return super::usage_error(
                "--jsonl reads UTF-8 (JSON Lines are UTF-8): --detect and --encoding do not apply",
            );
        }
        let mut jopts = JsonlOptions {
            strict: cli.strict,
            ..JsonlOptions::default()
        };
        if !cli.field.is_empty() {
            jopts.fields.clear();
            for f in &cli.field {
                match FieldPath::parse(f) {
                    Ok(p) if !jopts.fields.contains(&p) => jopts.fields.push(p),
                    Ok(_) => {}
                    Err(e) => return super::usage_error(&e),
                }
            }
        }
        let (jobs, walk_errors) = batch::plan(&cli.inputs, cli.output.as_deref());
        if cli.output.is_none() && jobs.len() + walk_errors.len() > 1 {
            return super::usage_error(
                "several inputs need -o DIR (only one input can go to standard output)",
            );
        }
        let mut failed = false;
        for e in &walk_errors {
            eprintln!("fixtext: {}: {}", e.path.display(), e.reason);
            failed = true;
        }
        let on_event = |path: &str, e: Event<'_>| match e {
            Event::Problem(p) => {
                eprintln!("fixtext: {path}:{}: {} (passed through)", p.line, p.message)
            }
            Event::Fix { line, field, fix } => eprintln!(
                "{path}:{line}: {field}: {}-{}: {}: {:?} → {:?}{}",
                fix.span.start,
                fix.span.end,
                fix.kind,
                fix.before,
                fix.after,
                if fix.note.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", fix.note)
                }
            ),
        };
        let stdout = std::io::stdout();
        let mut lock = stdout.lock();
        let reports = fixtext::jsonl::run(&jobs, &jopts, opts, &mut lock, &on_event);
        for r in &reports {
            if let Some(err) = &r.error {
                if err != batch::BROKEN_PIPE {
                    eprintln!("fixtext: {}: {err}", r.path);
                }
                failed = true;
            }
        }
        if let Some(path) = &cli.report {
            let walk: Vec<fixtext::jsonl::JsonlReport> = walk_errors
                .iter()
                .map(|e| fixtext::jsonl::JsonlReport {
                    path: e.path.display().to_string(),
                    error: Some(e.reason.clone()),
                    ..Default::default()
                })
                .collect();
            let lines = walk.iter().chain(&reports).map(|r| r.to_json());
            failed |= !super::write_report(path, lines);
        }
        if !cli.quiet && cli.output.is_some() {
            let ok = reports.iter().filter(|r| r.error.is_none()).count();
            let records: u64 = reports.iter().map(|r| r.records).sum();
            let changed: u64 = reports.iter().map(|r| r.records_changed).sum();
            let problems: u64 = reports.iter().map(|r| r.problems).sum();
            eprintln!(
                "fixtext: {ok} of {} files written, {records} records, {changed} changed, {problems} passed through with a problem",
                reports.len() + walk_errors.len()
            );
        }
        if failed {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        }
    }
}

/// Write one JSON object per line to the report file `path`, atomically.
/// Returns false (after saying why on stderr) when it could not be written.
fn write_report(path: &std::path::Path, lines: impl Iterator<Item = String>) -> bool {
    let mut text = String::new();
    for line in lines {
        text.push_str(&line);
        text.push('\n');
    }
    match batch::write_atomic(path, None, text.as_bytes()) {
        Ok(()) => true,
        Err(e) => {
            eprintln!("fixtext: report {}: {e}", path.display());
            false
        }
    }
}

fn detect_only(jobs: &[Job], opts: &Options) -> Vec<FileReport> {
    use rayon::prelude::*;
    let reports: Vec<FileReport> = jobs
        .par_iter()
        .map(|job| {
            let path = job
                .input
                .as_ref()
                .map_or_else(|| "-".to_owned(), |p| p.display().to_string());
            let mut r = FileReport {
                path,
                ..FileReport::default()
            };
            let bytes = match &job.input {
                Some(p) => std::fs::read(p),
                None => {
                    let mut v = Vec::new();
                    std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut v).map(|_| v)
                }
            };
            match bytes {
                Err(e) => r.error = Some(format!("reading: {}", batch::io_reason(&e))),
                Ok(bytes) => {
                    r.bytes_in = bytes.len() as u64;
                    let d = match opts.encoding {
                        Some(c) => Ok(fixtext::Detection::forced(c, &bytes)),
                        None => fixtext::detect::detect(&bytes),
                    };
                    match d {
                        Ok(d) => {
                            r.encoding = Some(d.charset.name());
                            r.decided_by = Some(d.method.as_str());
                            r.confidence = Some(d.confidence);
                        }
                        Err(e) => r.error = Some(e.to_string()),
                    }
                }
            }
            r
        })
        .collect();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for r in &reports {
        if let (Some(enc), Some(conf)) = (&r.encoding, r.confidence) {
            let _ = writeln!(out, "{}\t{}\t{:.2}", r.path, enc, conf);
        }
    }
    reports
}

fn explain(r: &FileReport) {
    for f in &r.details {
        let note = if f.note.is_empty() {
            String::new()
        } else {
            format!(" ({})", f.note)
        };
        eprintln!(
            "{}:{}-{}: {}: {:?} → {:?}{}",
            r.path, f.span.start, f.span.end, f.kind, f.before, f.after, note
        );
    }
}
