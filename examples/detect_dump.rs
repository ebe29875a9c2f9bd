//! Detect and decode each file named on the command line (or one path per
//! line on standard input) and print one JSON object per file:
//! `{"path", "charset", "method", "confidence", "malformed", "text"}`.
//! Used by `tools/detect_eval.py`; the text is what detection + decoding
//! give, before any repair.

use std::io::{BufRead, Write};

fn main() {
    let mut paths: Vec<String> = std::env::args().skip(1).collect();
    if paths.is_empty() {
        paths = std::io::stdin()
            .lock()
            .lines()
            .map_while(Result::ok)
            .collect();
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for p in paths {
        let line = match std::fs::read(&p) {
            Err(e) => serde_json::json!({"path": p, "error": e.to_string()}),
            Ok(bytes) => match fixtext::detect::detect(&bytes) {
                Err(e) => serde_json::json!({"path": p, "error": e.to_string()}),
                Ok(d) => {
                    let dec = fixtext::decode::decode(&bytes, d.charset, d.bom_len);
                    serde_json::json!({
                        "path": p,
                        "charset": d.charset.name(),
                        "method": d.method.as_str(),
                        "confidence": d.confidence,
                        "malformed": dec.malformed,
                        "text": dec.text,
                    })
                }
            },
        };
        let _ = writeln!(out, "{line}");
    }
}
