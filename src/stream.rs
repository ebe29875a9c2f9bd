//! Streaming: fix an input of any size in bounded memory, using every core.
//!
//! The encoding is detected on a sample (the first [`SAMPLE_LEN`] bytes, cut
//! at a line end); the input is then decoded incrementally, cut into chunks
//! at line ends, and the chunks are fixed in parallel — [`BATCH`] chunks at a
//! time — and written in order. Memory stays near `BATCH × CHUNK_LEN × 3`
//! whatever the input size.
//!
//! Every repair fixtext makes works within a line, so cutting at line ends
//! gives the same result as fixing the whole text at once; the document-level
//! decisions (is this text Japanese? does it carry HTML remnants?) are made
//! per chunk of [`CHUNK_LEN`] bytes instead of per file.

use crate::detect::{self, DetectError, Detection};
use crate::explain::Log;
use crate::{Options, fix_text, new_log};
use rayon::prelude::*;
use std::io::{self, Read, Write};

/// Bytes of the input detection sees.
pub const SAMPLE_LEN: usize = 1 << 20;
/// Target size of a chunk of decoded text.
pub const CHUNK_LEN: usize = 2 << 20;
/// Chunks fixed in parallel at a time.
pub const BATCH: usize = 4;

/// What happened to a stream.
#[derive(Debug, Clone)]
pub struct Summary {
    /// How the input was decoded.
    pub detection: Detection,
    /// Bytes read.
    pub bytes_in: u64,
    /// Bytes written.
    pub bytes_out: u64,
    /// Malformed sequences replaced by U+FFFD while decoding.
    pub malformed: usize,
    /// What was changed.
    pub log: Log,
}

/// Why a stream could not be fixed.
#[derive(Debug)]
pub enum StreamError {
    /// The input is not text.
    Detect(DetectError),
    /// Reading the input failed.
    Read(io::Error),
    /// Writing the output failed.
    Write(io::Error),
}

impl std::fmt::Display for StreamError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StreamError::Detect(e) => e.fmt(f),
            StreamError::Read(e) => write!(f, "reading: {}", crate::batch::io_reason(e)),
            StreamError::Write(e) => write!(f, "writing: {}", crate::batch::io_reason(e)),
        }
    }
}

impl std::error::Error for StreamError {}

/// Read up to `n` bytes (fewer only at end of input).
fn read_up_to(input: &mut dyn Read, buf: &mut Vec<u8>, n: usize) -> io::Result<usize> {
    let start = buf.len();
    input.take(n as u64).read_to_end(buf)?;
    Ok(buf.len() - start)
}

/// Detect on a prefix: cut it after its last line feed when it has no NUL
/// bytes (so a multi-byte character is not split), else at an even length.
fn detect_sample(sample: &[u8], complete: bool) -> Result<Detection, DetectError> {
    if complete {
        return detect::detect(sample);
    }
    let cut = if memchr::memchr(0, sample).is_none() {
        memchr::memrchr(b'\n', sample).map_or(sample.len(), |i| i + 1)
    } else {
        sample.len() & !3
    };
    detect::detect(&sample[..cut])
}

/// Fix everything `input` yields into `output`.
pub fn fix_stream(input: &mut dyn Read, output: &mut dyn Write, opts: &Options) -> Result<Summary, StreamError> {
    let mut pending = Vec::with_capacity(SAMPLE_LEN);
    let n = read_up_to(input, &mut pending, SAMPLE_LEN).map_err(StreamError::Read)?;
    let mut eof = n < SAMPLE_LEN;
    let detection = match opts.encoding {
        Some(c) => Detection::forced(c, &pending),
        None => detect_sample(&pending, eof).map_err(StreamError::Detect)?,
    };
    let mut decoder = detection.charset.streaming_decoder();
    let mut summary = Summary {
        detection,
        bytes_in: n as u64,
        bytes_out: 0,
        malformed: 0,
        log: new_log(opts),
    };
    pending.drain(..detection.bom_len.min(pending.len()));
    let mut carry = String::new();
    let mut text_offset = 0usize;
    loop {
        // Decode up to BATCH chunks, each cut after a line feed.
        let mut chunks: Vec<String> = Vec::with_capacity(BATCH);
        while chunks.len() < BATCH && !(eof && pending.is_empty() && carry.is_empty()) {
            while carry.len() < CHUNK_LEN && !(eof && pending.is_empty()) {
                if pending.is_empty() && !eof {
                    let got = read_up_to(input, &mut pending, CHUNK_LEN).map_err(StreamError::Read)?;
                    summary.bytes_in += got as u64;
                    eof = got < CHUNK_LEN;
                }
                let (malformed, _) = decoder.decode(&pending, eof && !pending.is_empty() || eof, &mut carry);
                summary.malformed += malformed;
                pending.clear();
            }
            let cut = if eof && pending.is_empty() {
                carry.len()
            } else {
                carry.rfind('\n').map_or(carry.len(), |i| i + 1)
            };
            let rest = carry.split_off(cut);
            chunks.push(std::mem::replace(&mut carry, rest));
        }
        if chunks.is_empty() {
            break;
        }
        let fixed: Vec<(String, Log)> = chunks
            .par_iter()
            .map(|c| {
                let mut log = new_log(opts);
                let t = fix_text(c, opts, &mut log).into_owned();
                (t, log)
            })
            .collect();
        for (chunk, (text, log)) in chunks.iter().zip(fixed) {
            output.write_all(text.as_bytes()).map_err(StreamError::Write)?;
            summary.bytes_out += text.len() as u64;
            summary.log.absorb(log, text_offset);
            text_offset += chunk.len();
        }
    }
    output.flush().map_err(StreamError::Write)?;
    Ok(summary)
}
