//! What the pipeline did, fix by fix: the data behind `--explain` and the
//! per-kind counts of `--report`.
//!
//! Every stage that changes text reports each change to a [`Log`]. Counting is
//! always on and costs one map update per change; the details (span, before,
//! after, note) are kept only when the caller asked for an explanation, so the
//! fast path of a big batch run does not allocate a record per change.

use std::collections::BTreeMap;
use std::ops::Range;

/// One applied change.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Fix {
    /// Stable name of the fix, e.g. `convert:t2s` or `punct:fullwidth`.
    pub kind: &'static str,
    /// Byte range of `before` in the text as it was when this stage ran.
    pub span: Range<usize>,
    /// The text that was replaced.
    pub before: String,
    /// The replacement.
    pub after: String,
    /// Why: the evidence that made the stage decide (may be empty).
    pub note: String,
}

/// Collects counts (always) and details (when enabled) of applied fixes.
#[derive(Debug, Default, Clone)]
pub struct Log {
    detailed: bool,
    counts: BTreeMap<&'static str, u64>,
    fixes: Vec<Fix>,
}

impl Log {
    /// A log that keeps every [`Fix`] in detail.
    pub fn detailed() -> Self {
        Log {
            detailed: true,
            ..Log::default()
        }
    }

    /// A log that keeps only the counts per kind.
    pub fn counting() -> Self {
        Log::default()
    }

    /// Whether details are kept; stages may skip building notes when not.
    pub fn is_detailed(&self) -> bool {
        self.detailed
    }

    /// Record one fix. `note` is only evaluated when details are kept.
    pub fn record(
        &mut self,
        kind: &'static str,
        span: Range<usize>,
        before: &str,
        after: &str,
        note: impl FnOnce() -> String,
    ) {
        *self.counts.entry(kind).or_insert(0) += 1;
        if self.detailed {
            self.fixes.push(Fix {
                kind,
                span,
                before: before.to_owned(),
                after: after.to_owned(),
                note: note(),
            });
        }
    }

    /// Add `n` to the count of `kind` without a detailed record (for bulk
    /// changes such as NFC where a per-character record has no value).
    pub fn count(&mut self, kind: &'static str, n: u64) {
        if n > 0 {
            *self.counts.entry(kind).or_insert(0) += n;
        }
    }

    /// Number of fixes per kind.
    pub fn counts(&self) -> &BTreeMap<&'static str, u64> {
        &self.counts
    }

    /// The detailed fixes, in the order they were applied (empty unless
    /// the log was created with [`Log::detailed`]).
    pub fn fixes(&self) -> &[Fix] {
        &self.fixes
    }

    /// Total number of fixes of every kind.
    pub fn total(&self) -> u64 {
        self.counts.values().sum()
    }
}

impl Log {
    /// Add the counts and details of `other`, whose spans are relative to a
    /// piece of text that starts at byte `offset` of this log's text.
    pub fn absorb(&mut self, other: Log, offset: usize) {
        for (k, n) in other.counts {
            *self.counts.entry(k).or_insert(0) += n;
        }
        if self.detailed {
            self.fixes.extend(other.fixes.into_iter().map(|mut f| {
                f.span = f.span.start + offset..f.span.end + offset;
                f
            }));
        }
    }
}
