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
pub mod commas;
pub mod html;
pub mod latin;
pub mod pinyin;
pub mod slip;

/// Upper bound on rounds of mojibake repair (layers undone).
pub const MAX_LAYERS: usize = 4;

/// Which repairs to run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Repairs {
    /// Undo mojibake (text decoded with the wrong encoding).
    pub mojibake: bool,
    /// Decode HTML entities and drop stray tags in damaged text.
    pub html: bool,
    /// Drop a comma inserted before other punctuation in Chinese text.
    pub stray_commas: bool,
    /// Remove pinyin pasted after converted characters.
    pub pinyin: bool,
    /// Put GBK/Big5 streams that lost a byte back in step.
    pub slips: bool,
}

impl Default for Repairs {
    fn default() -> Self {
        Repairs {
            mojibake: true,
            html: true,
            stray_commas: true,
            pinyin: true,
            slips: true,
        }
    }
}

/// Run the enabled repairs over `text`.
///
/// The order undoes the damage in the reverse of the order it happened:
/// 1. mojibake (the text was decoded wrongly last, when it was read);
/// 2. stray commas (inserted after the page's bytes slipped);
/// 3. GBK/Big5 byte slips (a byte lost from the stored page, which still
///    had its HTML: a slip can swallow the `<` of a tag);
/// 4. HTML remnants (left in the page text by the scraper);
/// 5. pasted pinyin (written by the S→T converter, the first damage; a
///    reading can only be matched once the slip that split it is undone).
///
/// Full-width punctuation folded to ASCII is undone later by the punctuation
/// stage, after conversion.
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
    if repairs.stray_commas {
        text = crate::chain(text, |t| commas::fix(t, log));
    }
    if repairs.slips {
        text = crate::chain(text, |t| slip::fix(t, log));
        if repairs.stray_commas {
            // A comma inserted before a mark the slip had destroyed is only
            // seen once the mark is back.
            text = crate::chain(text, |t| commas::fix(t, log));
        }
    }
    if repairs.html {
        text = crate::chain(text, |t| html::fix(t, log));
    }
    if repairs.pinyin {
        text = crate::chain(text, |t| pinyin::fix(t, log));
    }
    text
}
