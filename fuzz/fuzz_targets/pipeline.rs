//! Bytes → the whole pipeline (detect, decode, repair, convert, punct, NFC),
//! with the default options and with `--to keep --punct keep`.
#![no_main]

use fixtext::{Options, Punct, Target, fix_bytes};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let default = Options::default();
    let keep = Options {
        to: Target::Keep,
        punct: Punct::Keep,
        ..Options::default()
    };
    for opts in [&default, &keep] {
        // Binary input is refused (Err); anything else must come out as a
        // String (valid UTF-8 by construction) without panicking.
        if let Ok(fixed) = fix_bytes(data, opts) {
            assert!(std::str::from_utf8(fixed.text.as_bytes()).is_ok());
        }
    }
});
