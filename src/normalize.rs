//! Unicode normalization of the output: NFC.
//!
//! A byte order mark is removed by decoding; line endings and every other
//! character are kept as they are. Text that is already NFC (checked with the
//! quick-check algorithm, one pass without allocation) is returned borrowed.

use crate::explain::Log;
use std::borrow::Cow;
use unicode_normalization::UnicodeNormalization;

/// Fix kind recorded when NFC changed the text.
pub const KIND_NFC: &str = "normalize:nfc";

/// Return `text` in NFC. Records one fix per changed line.
pub fn nfc<'a>(text: &'a str, log: &mut Log) -> Cow<'a, str> {
    if text.is_ascii() || crate::scan::is_nfc(text) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut changed = false;
    for line in text.split_inclusive('\n') {
        let start = out.len();
        out.extend(line.nfc());
        if out[start..] != *line {
            changed = true;
            let at = start;
            log.record(
                KIND_NFC,
                at..at + line.len(),
                line,
                &out[start..],
                String::new,
            );
        }
    }
    if changed {
        Cow::Owned(out)
    } else {
        Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn composes_and_counts() {
        let mut log = Log::counting();
        assert_eq!(nfc("e\u{301}\nok\n", &mut log), "é\nok\n");
        assert_eq!(log.counts().get(KIND_NFC), Some(&1));
    }

    #[test]
    fn compatibility_ideograph_becomes_unified() {
        // U+F900 is canonically equivalent to U+8C48.
        assert_eq!(nfc("\u{F900}", &mut Log::counting()), "\u{8C48}");
    }

    #[test]
    fn nfc_text_is_borrowed() {
        assert!(matches!(
            nfc("中文 é", &mut Log::counting()),
            Cow::Borrowed(_)
        ));
    }
}
