//! Streaming: fix an input of any size in bounded memory, using every core.
//!
//! The encoding is detected on a sample (the first [`SAMPLE_LEN`] bytes, cut
//! at a line end); the input is then decoded incrementally, cut into chunks
//! at line ends, and up to [`BATCH`] chunks at a time are fixed in parallel
//! and written in order. Memory stays near `BATCH × CHUNK_LEN × 3` whatever
//! the input size.
//!
//! Every repair fixtext makes works within a line, so cutting at line ends
//! gives the same result as fixing the whole text at once; the document-level
//! decisions (is this text Japanese? does it carry HTML remnants? are doubled
//! commas damage?) are made per chunk of [`CHUNK_LEN`] bytes instead of per
//! file. A line longer than `BATCH × CHUNK_LEN` is cut at a character
//! boundary.

use crate::detect::{self, DetectError, Detection};
use crate::explain::Log;
use crate::{Options, fix_text, new_log};
use rayon::prelude::*;
use std::io::{self, Read, Write};

/// Bytes of the input detection sees.
pub const SAMPLE_LEN: usize = 1 << 20;
/// Target size of a chunk of decoded text.
pub const CHUNK_LEN: usize = 1 << 20;
/// Chunks fixed in parallel at a time.
pub const BATCH: usize = 8;

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

/// Append up to `n` bytes of `input` to `buf`; fewer only at end of input.
fn read_up_to(input: &mut dyn Read, buf: &mut Vec<u8>, n: usize) -> io::Result<usize> {
    let start = buf.len();
    input.take(n as u64).read_to_end(buf)?;
    Ok(buf.len() - start)
}

/// Detect on a prefix: cut it after its last line feed when it has no NUL
/// bytes (so a multi-byte character is not split; without a line feed, before
/// an unfinished UTF-8 sequence), else at a multiple of 4.
fn detect_sample(sample: &[u8], complete: bool) -> Result<Detection, DetectError> {
    if complete {
        return detect::detect(sample);
    }
    let cut = if memchr::memchr(0, sample).is_some() {
        sample.len() & !3
    } else if let Some(i) = memchr::memrchr(b'\n', sample) {
        i + 1
    } else {
        // One long line: do not let a UTF-8 character cut in two by the
        // sample's end make valid UTF-8 look invalid.
        match std::str::from_utf8(sample) {
            Err(e) if e.error_len().is_none() => e.valid_up_to(),
            _ => sample.len(),
        }
    };
    detect::detect(&sample[..cut])
}

/// Split `text` into pieces of about [`CHUNK_LEN`] bytes, each ending after a
/// line feed where there is one.
fn split_chunks(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while rest.len() > CHUNK_LEN {
        let mut cut = CHUNK_LEN;
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        let cut = rest[..cut].rfind('\n').map_or(cut, |i| i + 1);
        out.push(&rest[..cut]);
        rest = &rest[cut..];
    }
    if !rest.is_empty() {
        out.push(rest);
    }
    out
}

/// Fix everything `input` yields into `output`.
pub fn fix_stream(
    input: &mut dyn Read,
    output: &mut dyn Write,
    opts: &Options,
) -> Result<Summary, StreamError> {
    let mut raw = Vec::with_capacity(SAMPLE_LEN);
    let n = read_up_to(input, &mut raw, SAMPLE_LEN).map_err(StreamError::Read)?;
    let mut eof = n < SAMPLE_LEN;
    let detection = match opts.encoding {
        Some(c) => Detection::forced(c, &raw),
        None => detect_sample(&raw, eof).map_err(StreamError::Detect)?,
    };
    let mut summary = Summary {
        detection,
        bytes_in: n as u64,
        bytes_out: 0,
        malformed: 0,
        log: new_log(opts),
    };
    let mut decoder = detection.charset.stream_decoder();
    let mut text = String::new();
    let skip = detection.bom_len.min(raw.len());
    summary.malformed += decoder.decode(&raw[skip..], eof, &mut text);
    let mut offset = 0;
    loop {
        while !eof && text.len() < BATCH * CHUNK_LEN {
            raw.clear();
            let got = read_up_to(input, &mut raw, CHUNK_LEN).map_err(StreamError::Read)?;
            summary.bytes_in += got as u64;
            eof = got < CHUNK_LEN;
            summary.malformed += decoder.decode(&raw, eof, &mut text);
        }
        // Keep an unfinished last line for the next round.
        let mut ready = if eof {
            text.len()
        } else {
            text.rfind('\n').map_or(text.len(), |i| i + 1)
        };
        while !text.is_char_boundary(ready) {
            ready -= 1;
        }
        let chunks = split_chunks(&text[..ready]);
        let fixed: Vec<(String, Log)> = chunks
            .par_iter()
            .map(|c| {
                let mut log = new_log(opts);
                let t = fix_text(c, opts, &mut log).into_owned();
                (t, log)
            })
            .collect();
        for (chunk, (out, log)) in chunks.iter().zip(fixed) {
            output
                .write_all(out.as_bytes())
                .map_err(StreamError::Write)?;
            summary.bytes_out += out.len() as u64;
            summary.log.absorb(log, offset);
            offset += chunk.len();
        }
        text.drain(..ready);
        if eof && text.is_empty() {
            break;
        }
    }
    output.flush().map_err(StreamError::Write)?;
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A stream cut into many chunks gives what the one-shot pipeline gives,
    /// including damage placed across a chunk border.
    #[test]
    fn stream_equals_whole_across_borders() {
        let line =
            "這是一次突如其來的危機,,也是一場需要沉著應戰的大考,。城關(guān)鎮 鍙傝€冩枃鐚 Ã©\n";
        let mut text = String::new();
        while text.len() < 3 * CHUNK_LEN + 12345 {
            text.push_str(line);
        }
        let bytes = encoding_rs::UTF_8.encode(&text).0.into_owned();
        let opts = Options::default();
        let whole = crate::fix_bytes(&bytes, &opts).map(|f| f.text);
        let mut out = Vec::new();
        let summary = fix_stream(&mut bytes.as_slice(), &mut out, &opts);
        assert!(summary.is_ok());
        assert_eq!(String::from_utf8(out).ok(), whole.ok());
    }

    #[test]
    fn one_long_utf8_line_is_detected_as_utf8() {
        // The sample ends inside a character: still UTF-8, not GBK.
        let unit = "中文和English混合的一行，没有换行符。";
        let text = unit.repeat(2 * SAMPLE_LEN / unit.len());
        let mut out = Vec::new();
        let opts = Options {
            to: crate::Target::Keep,
            punct: crate::Punct::Keep,
            ..Options::default()
        };
        let s = fix_stream(&mut text.as_bytes(), &mut out, &opts);
        assert_eq!(
            s.map(|s| s.detection.charset.name()).ok(),
            Some("utf-8".to_owned())
        );
        assert!(out == text.as_bytes());
    }

    #[test]
    fn gbk_stream_with_sequences_split_by_reads() {
        let text = "中文测试，第一行。\n".repeat(300_000);
        let bytes = encoding_rs::GBK.encode(&text).0.into_owned();
        let mut out = Vec::new();
        let s = fix_stream(&mut bytes.as_slice(), &mut out, &Options::default());
        assert_eq!(
            s.map(|s| s.detection.charset.name()).ok(),
            Some("gbk".to_owned())
        );
        assert!(String::from_utf8(out).is_ok_and(|o| o == text));
    }
}
