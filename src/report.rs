//! One record per processed input: what `--report` writes (one JSON object
//! per line) and what the CLI summarises.

use crate::explain::Fix;
use serde::Serialize;
use std::collections::BTreeMap;

/// What happened to one input.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FileReport {
    /// The input path as given or found by the walk (`-` for stdin).
    pub path: String,
    /// Where the output was written (absent for stdout or `--detect`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<String>,
    /// Detected (or forced) encoding, lower case.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
    /// How the encoding was decided (`bom`, `valid-utf8`, `guess` …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decided_by: Option<&'static str>,
    /// Detection confidence in `[0, 1]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f32>,
    /// Bytes read.
    pub bytes_in: u64,
    /// Bytes written.
    pub bytes_out: u64,
    /// Malformed sequences replaced by U+FFFD during decoding.
    pub malformed: usize,
    /// Number of fixes applied, by kind.
    pub fixes: BTreeMap<&'static str, u64>,
    /// The detailed fixes (only with `--explain`; not serialised).
    #[serde(skip)]
    pub details: Vec<Fix>,
    /// Why the file failed, if it did.
    pub error: Option<String>,
}

impl FileReport {
    /// The record as one line of JSON (no trailing newline).
    pub fn to_json(&self) -> String {
        // Serialising plain strings, numbers and maps cannot fail.
        serde_json::to_string(self).unwrap_or_else(|e| format!("{{\"error\":\"report: {e}\"}}"))
    }
}
