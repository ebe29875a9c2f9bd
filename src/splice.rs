//! Building a stage's output from its input and a series of replacements,
//! without copying anything when there are none.
//!
//! Every stage that changes text in place works the same way: walk the text,
//! replace some byte ranges, keep the rest. [`Splice`] does the bookkeeping
//! once: replacements must come in increasing, non-overlapping order, and
//! [`Splice::finish`] returns the input borrowed when nothing was replaced.

use std::borrow::Cow;
use std::ops::Range;

/// A text being rewritten by replacements of byte ranges.
pub(crate) struct Splice<'a> {
    text: &'a str,
    out: String,
    copied: usize,
}

impl<'a> Splice<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        Splice {
            text,
            out: String::new(),
            copied: 0,
        }
    }

    /// Replace `range` of the text by `with`. Ranges must be given in
    /// increasing order and not overlap; one that starts before the end of
    /// the previous replacement is ignored (returns false).
    pub(crate) fn replace(&mut self, range: Range<usize>, with: &str) -> bool {
        if range.start < self.copied || range.end < range.start || range.end > self.text.len() {
            return false;
        }
        if self.out.capacity() == 0 {
            self.out.reserve(self.text.len() + 16);
        }
        self.out.push_str(&self.text[self.copied..range.start]);
        self.out.push_str(with);
        self.copied = range.end;
        true
    }

    /// The rewritten text: borrowed when nothing was replaced.
    pub(crate) fn finish(mut self) -> Cow<'a, str> {
        if self.copied == 0 && self.out.is_empty() {
            return Cow::Borrowed(self.text);
        }
        self.out.push_str(&self.text[self.copied..]);
        Cow::Owned(self.out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_in_order_and_borrows_when_untouched() {
        let mut s = Splice::new("abcdef");
        assert!(s.replace(1..2, "X"));
        assert!(!s.replace(0..1, "Y"), "before the previous replacement");
        assert!(s.replace(4..6, ""));
        assert_eq!(s.finish(), "aXcd");
        assert!(matches!(Splice::new("abc").finish(), Cow::Borrowed("abc")));
        // A replacement of an empty range at 0 by nothing still counts as no change.
        let mut s = Splice::new("abc");
        s.replace(0..0, "");
        assert!(matches!(s.finish(), Cow::Borrowed("abc")));
    }
}
