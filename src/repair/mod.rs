//! The repair stage: undo damage done to text after it was decoded.
//!
//! Each family of fixes is one module with one entry point
//! `fix(&str, &mut Log) -> Cow<str>` that returns its input borrowed when it
//! has nothing to do:
//!
//! * [`latin`]: UTF-8 read as a single-byte code page (ftfy's domain);
//! * [`cjk`]: mojibake involving the CJK multi-byte code pages.
//!
//! Mojibake can be layered (UTF-8 read as GBK, saved, then read as cp1252),
//! so the mojibake families run in a loop until nothing changes, at most
//! [`MAX_LAYERS`] times.

use crate::explain::Log;
use std::borrow::Cow;

pub mod cjk;
pub mod latin;

/// Upper bound on rounds of mojibake repair (layers undone).
pub const MAX_LAYERS: usize = 4;

/// Which repairs to run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Repairs {
    /// Undo mojibake (text decoded with the wrong encoding).
    pub mojibake: bool,
}

impl Default for Repairs {
    fn default() -> Self {
        Repairs { mojibake: true }
    }
}

/// Run the enabled repairs over `text`.
pub fn repair<'a>(text: &'a str, repairs: &Repairs, log: &mut Log) -> Cow<'a, str> {
    let mut text = Cow::Borrowed(text);
    if repairs.mojibake {
        for _ in 0..MAX_LAYERS {
            let before = log.total();
            text = crate::chain(text, |t| latin::fix(t, log));
            text = crate::chain(text, |t| cjk::fix(t, log));
            if log.total() == before {
                break;
            }
        }
    }
    text
}
