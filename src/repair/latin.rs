//! UTF-8 read as a single-byte code page (latin-1, windows-125x, macroman,
//! cp437): not implemented yet; returns its input.

use crate::explain::Log;
use std::borrow::Cow;

/// Undo single-byte mojibake in `text`.
pub fn fix<'a>(text: &'a str, log: &mut Log) -> Cow<'a, str> {
    let _ = log;
    Cow::Borrowed(text)
}
