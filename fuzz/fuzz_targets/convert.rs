//! Arbitrary text → the Simplified/Traditional converter, alone and through
//! `fix_str` (which runs the repairs first and the punctuation after).
#![no_main]

use fixtext::convert::convert;
use fixtext::{Log, Options, Target, fix_str};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    for to in [Target::Simplified, Target::Traditional] {
        let _ = convert(text, to, &mut Log::detailed());
        let _ = fix_str(
            text,
            &Options {
                to,
                ..Options::default()
            },
        );
    }
    // Keep is the identity.
    assert_eq!(convert(text, Target::Keep, &mut Log::counting()), text);
});
