//! Traditional ⇄ Simplified conversion of the Chinese lines of a text.
//!
//! Only lines that [`crate::script::chinese_lines`] classifies as Chinese are
//! converted; Japanese, Korean and every other script pass through untouched.
//! The dictionaries are OpenCC's (see `opencc` for their source and licence).

use crate::explain::Log;
use crate::script::chinese_lines;
use std::borrow::Cow;

mod opencc;

/// Which script Chinese text is converted to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Target {
    /// Simplified Chinese (OpenCC `t2s` plus the 著→着 rule).
    #[default]
    Simplified,
    /// Traditional Chinese (OpenCC `s2t`).
    Traditional,
    /// No conversion.
    Keep,
}

/// Fix kinds recorded by this stage.
pub const KIND_T2S: &str = "convert:t2s";
/// See [`KIND_T2S`].
pub const KIND_S2T: &str = "convert:s2t";

/// Convert the Chinese lines of `text` to `target`. Each converted line is
/// one recorded fix.
pub fn convert<'a>(text: &'a str, target: Target, log: &mut Log) -> Cow<'a, str> {
    let (kind, f): (&'static str, fn(&str) -> Cow<'_, str>) = match target {
        Target::Keep => return Cow::Borrowed(text),
        Target::Simplified => (KIND_T2S, opencc::t2s),
        Target::Traditional => (KIND_S2T, opencc::s2t),
    };
    let mut out = String::new();
    let mut copied = 0;
    for line in chinese_lines(text) {
        let src = &text[line.clone()];
        if let Cow::Owned(converted) = f(src)
            && converted != src
        {
            out.push_str(&text[copied..line.start]);
            out.push_str(&converted);
            copied = line.end;
            log.record(kind, line, src, &converted, String::new);
        }
    }
    if copied == 0 {
        return Cow::Borrowed(text);
    }
    out.push_str(&text[copied..]);
    Cow::Owned(out)
}
