//! One table, one look-up per character: the facts the stages ask about a
//! character (is it Han, kana, Hangul; does the CJK model find it suspicious
//! in Simplified or Traditional scope; does it count towards a line's
//! Traditional or Simplified scope; is it NFC on its own), so that a stage
//! can decide with one fast pass over a line or a text that it has no work
//! to do there.
//!
//! The table covers the BMP and is built once, lazily, by asking the very
//! functions whose answers it stores ([`crate::script`], [`crate::model`],
//! `unicode_normalization`), so every decision taken from it is the decision
//! those functions take; characters above the BMP are asked directly.

use crate::model;
use crate::script::{is_han, is_hangul, is_kana};
use std::sync::OnceLock;
use unicode_normalization::{IsNormalized, char::canonical_combining_class, is_nfc_quick};

/// [`is_han`].
pub const HAN: u8 = 1;
/// [`is_kana`], except `・` and `ー` (which [`crate::script`] does not count).
pub const KANA: u8 = 2;
/// [`is_hangul`].
pub const HANGUL: u8 = 4;
/// [`model::is_suspicious`] in Simplified scope.
pub const SUSP_S: u8 = 8;
/// [`model::is_suspicious`] in Traditional scope.
pub const SUSP_T: u8 = 16;
/// Counts as Traditional-only in [`model::Scope::for_line`].
pub const TRAD_ONLY: u8 = 32;
/// Counts as Simplified-only in [`model::Scope::for_line`].
pub const SIMP_ONLY: u8 = 64;
/// NFC quick check `Yes` and canonical combining class 0: a text made only of
/// such characters is NFC.
pub const NFC_SAFE: u8 = 128;

fn compute(c: char) -> u8 {
    let mut f = 0;
    if is_han(c) {
        f |= HAN;
    } else if is_kana(c) && !matches!(c, '・' | 'ー') {
        f |= KANA;
    } else if is_hangul(c) {
        f |= HANGUL;
    }
    {
        let _s = model::Scope::set(false);
        if model::is_suspicious(c) {
            f |= SUSP_S;
        }
    }
    {
        let _s = model::Scope::set(true);
        if model::is_suspicious(c) {
            f |= SUSP_T;
        }
    }
    match model::scope_class(c as u32) {
        (true, _) => f |= TRAD_ONLY,
        (false, true) => f |= SIMP_ONLY,
        _ => {}
    }
    if canonical_combining_class(c) == 0 && is_nfc_quick(std::iter::once(c)) == IsNormalized::Yes {
        f |= NFC_SAFE;
    }
    f
}

fn table() -> &'static [u8] {
    static T: OnceLock<Box<[u8]>> = OnceLock::new();
    T.get_or_init(|| {
        (0..0x10000u32)
            .map(|cp| char::from_u32(cp).map_or(0, compute))
            .collect()
    })
}

/// The flags of `c`.
#[inline]
pub fn flags(c: char) -> u8 {
    Flags::get().of(c)
}

/// The table, fetched once for a loop over many characters.
#[derive(Clone, Copy)]
pub struct Flags(&'static [u8]);

impl Flags {
    /// The (lazily built) table.
    #[inline]
    pub fn get() -> Flags {
        Flags(table())
    }

    /// The flags of `c`.
    #[inline]
    pub fn of(self, c: char) -> u8 {
        let cp = c as u32;
        if cp < 0x10000 {
            self.0[cp as usize]
        } else {
            compute(c)
        }
    }
}

/// Counts over one line (or any text) taken in one pass.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Han characters.
    pub han: usize,
    /// Kana (without `・`, `ー`).
    pub kana: usize,
    /// Hangul.
    pub hangul: usize,
    /// Characters only Traditional text uses.
    pub trad_only: usize,
    /// Characters only Simplified text uses.
    pub simp_only: usize,
    /// Characters suspicious in Simplified scope.
    pub susp_s: usize,
    /// Characters suspicious in Traditional scope.
    pub susp_t: usize,
    /// Whether every character is [`NFC_SAFE`] (or ASCII).
    pub nfc_safe: bool,
}

impl Counts {
    /// Count `text` (ASCII characters have no flag but [`NFC_SAFE`]).
    pub fn of(text: &str) -> Counts {
        let mut n = Counts {
            nfc_safe: true,
            ..Counts::default()
        };
        let t = table();
        for c in text.chars() {
            let cp = c as u32;
            if cp < 0x80 {
                continue;
            }
            let f = if cp < 0x10000 {
                t[cp as usize]
            } else {
                compute(c)
            };
            n.han += (f & HAN != 0) as usize;
            n.kana += (f & KANA != 0) as usize;
            n.hangul += (f & HANGUL != 0) as usize;
            n.trad_only += (f & TRAD_ONLY != 0) as usize;
            n.simp_only += (f & SIMP_ONLY != 0) as usize;
            n.susp_s += (f & SUSP_S != 0) as usize;
            n.susp_t += (f & SUSP_T != 0) as usize;
            n.nfc_safe &= f & NFC_SAFE != 0;
        }
        n
    }

    /// Characters suspicious in the scope [`model::Scope::for_line`] picks
    /// for this text.
    pub fn suspicious_in_own_scope(&self) -> usize {
        if model::scope_is_traditional(self.trad_only, self.simp_only) {
            self.susp_t
        } else {
            self.susp_s
        }
    }
}

/// Whether some character of `text` is [`model::is_suspicious`] in the
/// current thread's scope.
pub fn any_suspicious(text: &str) -> bool {
    let bit = if model::traditional_scope() {
        SUSP_T
    } else {
        SUSP_S
    };
    let t = table();
    text.chars().any(|c| {
        let cp = c as u32;
        cp >= 0x80
            && (if cp < 0x10000 {
                t[cp as usize]
            } else {
                compute(c)
            }) & bit
                != 0
    })
}

/// Whether `text` is NFC by the quick check, without the per-character
/// composition look-ups when every character is [`NFC_SAFE`].
pub fn is_nfc(text: &str) -> bool {
    let t = table();
    let safe = text.chars().all(|c| {
        let cp = c as u32;
        cp < 0x80 || (cp < 0x10000 && t[cp as usize] & NFC_SAFE != 0)
    });
    safe || is_nfc_quick(text.chars()) == IsNormalized::Yes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_has_no_flag_but_nfc_safe() {
        for b in 0..0x80u8 {
            assert_eq!(flags(b as char), NFC_SAFE, "{b:X}");
        }
    }

    #[test]
    fn table_agrees_with_the_functions() {
        for cp in (0..0x10000u32)
            .step_by(7)
            .chain([0x30FB, 0x30FC, 0x201C, 0x3002])
        {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            assert_eq!(flags(c), compute(c), "{cp:X}");
            let s = c.to_string();
            let _scope = model::Scope::for_line(&s);
            let n = Counts::of(&s);
            assert_eq!(
                n.suspicious_in_own_scope(),
                model::is_suspicious(c) as usize,
                "{cp:X}"
            );
            assert_eq!(is_nfc(&s), is_nfc_quick(s.chars()) == IsNormalized::Yes);
        }
    }
}
