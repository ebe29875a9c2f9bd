//! Bytes → `fixtext::stream::fix_stream` reading from a slice.
#![no_main]

use fixtext::Options;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let opts = Options::default();
    let mut input: &[u8] = data;
    let mut out = Vec::new();
    if let Ok(summary) = fixtext::stream::fix_stream(&mut input, &mut out, &opts) {
        assert_eq!(summary.bytes_in, data.len() as u64);
        assert_eq!(summary.bytes_out, out.len() as u64);
        let text = std::str::from_utf8(&out).expect("stream output is UTF-8");
        // Small inputs are one chunk: the stream must agree with the
        // one-shot pipeline.
        let whole = fixtext::fix_bytes(data, &opts).expect("stream accepted it");
        assert_eq!(text, whole.text);
    }
});
