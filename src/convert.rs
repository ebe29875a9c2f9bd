//! Traditional ⇄ Simplified conversion of the Chinese lines of a text.
//!
//! Only lines that [`crate::script::chinese_lines`] classifies as Chinese are
//! converted; Japanese, Korean and every other script pass through untouched.
//! The dictionaries are OpenCC's (see `opencc` for their source and licence).

use crate::explain::Log;
use crate::script::{chinese_lines, is_han};
use crate::splice::Splice;
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

/// A document is converted only when at least this share of the Han
/// characters of its Chinese lines change (Traditional text read as
/// Simplified changes about a quarter of them).
pub const MIN_CHANGED_SHARE: f64 = 0.05;

/// Convert the Chinese lines of `text` to `target`. Each converted line is
/// one recorded fix.
///
/// The decision is made for the document (or streamed chunk) as a whole: a
/// Simplified document that quotes a Traditional passage (or a classical
/// text, or a Taiwanese name) is left as it is — that passage was written so
/// on purpose — while a document written in Traditional is converted whole.
pub fn convert<'a>(text: &'a str, target: Target, log: &mut Log) -> Cow<'a, str> {
    let (kind, f): (&'static str, fn(&str) -> Cow<'_, str>) = match target {
        Target::Keep => return Cow::Borrowed(text),
        Target::Simplified => (KIND_T2S, opencc::t2s),
        Target::Traditional => (KIND_S2T, opencc::s2t),
    };
    let mut han = 0usize;
    let mut changed = 0usize;
    let mut lines = Vec::new();
    for line in chinese_lines(text) {
        let src = &text[line.clone()];
        han += src.chars().filter(|&c| is_han(c)).count();
        if let Cow::Owned(converted) = f(src)
            && converted != src
        {
            changed += src
                .chars()
                .zip(converted.chars())
                .filter(|(a, b)| a != b)
                .count();
            lines.push((line, converted));
        }
    }
    if lines.is_empty() || (changed as f64) < MIN_CHANGED_SHARE * han as f64 {
        return Cow::Borrowed(text);
    }
    let mut out = Splice::new(text);
    for (line, converted) in lines {
        out.replace(line.clone(), &converted);
        log.record(
            kind,
            line.clone(),
            &text[line.clone()],
            &converted,
            String::new,
        );
    }
    out.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t2s(s: &str) -> String {
        convert(s, Target::Simplified, &mut Log::counting()).into_owned()
    }

    #[test]
    fn traditional_document_is_converted() {
        assert_eq!(
            t2s("這是一次突如其來的危機\n沉著應戰\n"),
            "这是一次突如其来的危机\n沉着应战\n"
        );
    }

    #[test]
    fn simplified_document_quoting_traditional_is_kept() {
        let mut doc = "这是一篇简体中文的文章，我们在这里讨论很多问题，内容很长。\n".repeat(8);
        doc.push_str("他引用了一句話：「這是北影的教材」。\n");
        assert_eq!(t2s(&doc), doc);
    }

    #[test]
    fn japanese_is_never_converted() {
        let ja = "東京都の天気は晴れです。\n學校に行きます。\n";
        assert_eq!(t2s(ja), ja);
    }
}
