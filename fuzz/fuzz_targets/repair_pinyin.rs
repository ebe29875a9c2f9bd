//! Arbitrary text → `fixtext::repair::pinyin::fix` alone.
#![no_main]

use fixtext::Log;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let _ = fixtext::repair::pinyin::fix(text, &mut Log::counting());
    let _ = fixtext::repair::pinyin::fix(text, &mut Log::detailed());
});
