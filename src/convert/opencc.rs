//! OpenCC-compatible conversion. PLACEHOLDER: the converter is being built
//! (dictionaries from OpenCC 1.4.2); until then text passes through.

use std::borrow::Cow;

/// Traditional → Simplified.
pub fn t2s(text: &str) -> Cow<'_, str> {
    Cow::Borrowed(text)
}

/// Simplified → Traditional.
pub fn s2t(text: &str) -> Cow<'_, str> {
    Cow::Borrowed(text)
}
