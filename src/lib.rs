//! fixtext turns broken text into clean UTF-8.
//!
//! # The API in five examples
//!
//! Fix text that is already a `&str` ([`fix_str`]):
//!
//! ```
//! let fixed = fixtext::fix_str("這是危機,也是大考!", &fixtext::Options::default());
//! assert_eq!(fixed.text, "这是危机，也是大考！");
//! ```
//!
//! Fix bytes in an unknown encoding ([`fix_bytes`]: detection, decoding, then
//! the same text pipeline); only binary data is refused:
//!
//! ```
//! let opts = fixtext::Options::default();
//! let fixed = fixtext::fix_bytes(b"\xd6\xd0\xce\xc4,\xca\xc0\xbd\xe7", &opts).unwrap();
//! assert_eq!(fixed.text, "中文，世界");
//! assert_eq!(fixed.detection.unwrap().charset.name(), "gbk");
//! let elf = b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x3e\x00";
//! assert!(fixtext::fix_bytes(elf, &opts).is_err());
//! ```
//!
//! Detect only ([`detect()`]):
//!
//! ```
//! let d = fixtext::detect(b"\xd6\xd0\xce\xc4,\xca\xc0\xbd\xe7").unwrap();
//! assert_eq!(d.charset.name(), "gbk");
//! assert!(d.confidence > 0.0 && d.confidence <= 1.0);
//! println!("decided by {}", d.method.as_str());
//! ```
//!
//! Configure the steps ([`Options`]: conversion [`Target`], [`Punct`], which
//! [`Repairs`] run, a forced encoding):
//!
//! ```
//! use fixtext::{Options, Punct, Repairs, Target};
//! let opts = Options {
//!     to: Target::Keep,       // no Traditional → Simplified conversion
//!     punct: Punct::Keep,     // no full-width punctuation
//!     repairs: Repairs { html: false, ..Repairs::default() },
//!     ..Options::default()
//! };
//! assert_eq!(fixtext::fix_str("這是危機,Ã©", &opts).text, "這是危機,é");
//!
//! let big5 = Options { encoding: fixtext::Charset::from_label("big5"), ..Options::default() };
//! assert_eq!(fixtext::fix_bytes(b"\xa4\xa4\xa4\xe5", &big5).unwrap().text, "中文");
//! ```
//!
//! Get the explanation of what was applied (set [`Options::explain`]; the
//! counts per kind are always kept, see [`Log`]):
//!
//! ```
//! let opts = fixtext::Options { explain: true, ..Default::default() };
//! let fixed = fixtext::fix_str("城關(guān)鎮(zhèn),Ã©", &opts);
//! assert_eq!(fixed.text, "城关镇，é");
//! for fix in fixed.log.fixes() {
//!     println!("{}: {:?} → {:?} ({})", fix.kind, fix.before, fix.after, fix.note);
//! }
//! assert!(fixed.log.fixes().iter().any(|f| f.kind == "convert:t2s"));
//! assert!(fixed.log.counts().values().sum::<u64>() >= 3);
//! ```
//!
//! JSON Lines records are fixed field by field by [`jsonl`]; whole trees of
//! files by [`batch`]; inputs of any size in bounded memory by [`stream`].
//!
//! # Pipeline
//!
//! Data flows one way, each stage a module with one job:
//!
//! ```text
//! bytes → detect → decode → repair → convert → punct → normalize → (write)
//! ```
//!
//! * [`mod@detect`] decides the character set of a byte buffer;
//! * [`decode`] turns the bytes into a `String`;
//! * [`repair`] undoes damage done after decoding (mojibake …);
//! * [`convert`] converts Chinese lines between Traditional and Simplified;
//! * [`punct`] widens ASCII punctuation in Chinese lines;
//! * [`normalize`] puts the text in NFC.
//!
//! Every change is recorded in an [`explain::Log`].

#![warn(missing_docs)]

pub mod batch;
pub mod convert;
pub mod decode;
pub mod detect;
pub mod explain;
pub mod jsonl;
pub mod model;
pub mod normalize;
pub mod punct;
pub mod repair;
pub mod report;
pub mod scan;
pub mod script;
mod splice;
pub mod stream;

use std::borrow::Cow;

pub use convert::Target;
pub use decode::Charset;
pub use detect::{DetectError, Detection, detect};
pub use explain::{Fix, Log};
pub use repair::Repairs;

/// Punctuation handling.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Punct {
    /// Widen ASCII punctuation in Chinese text (see [`punct`]).
    #[default]
    Cjk,
    /// Change no punctuation.
    Keep,
}

/// What the pipeline does.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Skip detection and decode with this charset.
    pub encoding: Option<Charset>,
    /// Conversion target for Chinese text.
    pub to: Target,
    /// Punctuation handling.
    pub punct: Punct,
    /// Which repairs run.
    pub repairs: repair::Repairs,
    /// Keep a detailed record of every fix (otherwise only counts).
    pub explain: bool,
}

/// The result of fixing one input.
#[derive(Debug, Clone)]
pub struct Fixed {
    /// The clean text.
    pub text: String,
    /// How the bytes were decoded (`None` for [`fix_str`]).
    pub detection: Option<Detection>,
    /// Malformed byte sequences replaced by U+FFFD while decoding.
    pub malformed: usize,
    /// What was changed.
    pub log: Log,
}

/// Detect, decode and fix a byte buffer.
///
/// Fails only when the bytes are not text (binary data).
pub fn fix_bytes(bytes: &[u8], opts: &Options) -> Result<Fixed, DetectError> {
    let detection = match opts.encoding {
        Some(c) => Detection::forced(c, bytes),
        None => detect::detect(bytes)?,
    };
    let decoded = decode::decode(bytes, detection.charset, detection.bom_len);
    let mut log = new_log(opts);
    let text = fix_text(&decoded.text, opts, &mut log).into_owned();
    Ok(Fixed {
        text,
        detection: Some(detection),
        malformed: decoded.malformed,
        log,
    })
}

/// Fix text that is already decoded.
///
/// ```
/// let fixed = fixtext::fix_str("這是危機,也是大考!", &fixtext::Options::default());
/// assert_eq!(fixed.text, "这是危机，也是大考！");
/// ```
pub fn fix_str(text: &str, opts: &Options) -> Fixed {
    let mut log = new_log(opts);
    let text = fix_text(text, opts, &mut log).into_owned();
    Fixed {
        text,
        detection: None,
        malformed: 0,
        log,
    }
}

pub(crate) fn new_log(opts: &Options) -> Log {
    if opts.explain {
        Log::detailed()
    } else {
        Log::counting()
    }
}

/// Most passes of the text stages over one text (see [`fix_text`]).
pub const MAX_PASSES: usize = 8;

/// The text stages, in the order the damage is undone: repairs first (they
/// need the text as the damage left it), then conversion, punctuation and
/// finally NFC.
///
/// When a pass repaired something, the stages run again on its output (at
/// most [`MAX_PASSES`] passes), until a pass finds nothing to repair: a
/// repair can give its neighbours the context they lacked (a stretch of
/// mojibake undone next to a slip), and fixing the output again must change
/// nothing. Text without damage costs one pass.
pub(crate) fn fix_text<'a>(text: &'a str, opts: &Options, log: &mut Log) -> Cow<'a, str> {
    let mut text = Cow::Borrowed(text);
    repair::cjk::forget_examined();
    for _ in 0..MAX_PASSES {
        let before = log.total();
        let repaired = chain(text, |t| repair::repair(t, &opts.repairs, log));
        let found = log.total() != before;
        text = after_repair(repaired, opts, log);
        if !found {
            break;
        }
    }
    text
}

/// The stages after the repairs: conversion, punctuation, NFC.
fn after_repair<'a>(text: Cow<'a, str>, opts: &Options, log: &mut Log) -> Cow<'a, str> {
    let text = chain(text, |t| convert::convert(t, opts.to, log));
    let text = match opts.punct {
        Punct::Cjk => chain(text, |t| punct::widen_punct(t, log)),
        Punct::Keep => text,
    };
    chain(text, |t| normalize::nfc(t, log))
}

/// Apply a stage that borrows from its input; keep the input's buffer when the
/// stage changed nothing.
pub(crate) fn chain<'a>(
    text: Cow<'a, str>,
    stage: impl FnOnce(&str) -> Cow<'_, str>,
) -> Cow<'a, str> {
    match text {
        Cow::Borrowed(t) => stage(t),
        Cow::Owned(t) => match stage(&t) {
            Cow::Borrowed(_) => Cow::Owned(t),
            Cow::Owned(n) => Cow::Owned(n),
        },
    }
}
