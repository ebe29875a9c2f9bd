//! Bytes → encoding detection alone.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(d) = fixtext::detect::detect(data) {
        // A BOM length never exceeds the input.
        assert!(d.bom_len <= data.len());
    }
});
