//! fixtext turns broken text into clean UTF-8.
//!
//! Data flows one way, each stage a module with one job:
//!
//! ```text
//! bytes → detect → decode → repair → convert → punct → normalize → (write)
//! ```
//!
//! * [`detect`] decides the character set of a byte buffer;
//! * [`decode`] turns the bytes into a `String`;
//! * [`repair`] undoes damage done after decoding (mojibake …);
//! * [`convert`] converts Chinese lines between Traditional and Simplified;
//! * [`punct`] widens ASCII punctuation in Chinese lines;
//! * [`normalize`] puts the text in NFC.
//!
//! Every change is recorded in an [`explain::Log`].
//!
//! ```
//! let opts = fixtext::Options::default();
//! let fixed = fixtext::fix_bytes(b"\xd6\xd0\xce\xc4,\xca\xc0\xbd\xe7", &opts).unwrap();
//! assert_eq!(fixed.text, "中文，世界");
//! assert_eq!(fixed.detection.unwrap().charset.name(), "gbk");
//! ```

#![warn(missing_docs)]

pub mod batch;
pub mod convert;
pub mod decode;
pub mod detect;
pub mod explain;
pub mod model;
pub mod normalize;
pub mod punct;
pub mod repair;
pub mod report;
pub mod scan;
pub mod script;
pub mod stream;

use std::borrow::Cow;

pub use convert::Target;
pub use decode::Charset;
pub use detect::{DetectError, Detection};
pub use explain::{Fix, Log};

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

/// The text stages, in the order the damage is undone: repairs first (they
/// need the text as the damage left it), then conversion, punctuation and
/// finally NFC.
pub(crate) fn fix_text<'a>(text: &'a str, opts: &Options, log: &mut Log) -> Cow<'a, str> {
    let text = chain(Cow::Borrowed(text), |t| {
        repair::repair(t, &opts.repairs, log)
    });
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
