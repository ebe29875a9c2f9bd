//! Python bindings of fixtext (module `fixtext._fixtext`, re-exported by the
//! `fixtext` package). Every function releases the GIL while it works.

use fixtext::jsonl::{FieldPath, JsonlOptions};
use fixtext::{Charset, Options, Punct, Target};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use rayon::prelude::*;

#[allow(clippy::too_many_arguments)]
fn options(
    to: &str,
    punct: &str,
    mojibake: bool,
    html: bool,
    stray_commas: bool,
    pinyin: bool,
    slips: bool,
    encoding: Option<&str>,
) -> PyResult<Options> {
    let to = match to {
        "simplified" => Target::Simplified,
        "traditional" => Target::Traditional,
        "keep" => Target::Keep,
        other => {
            return Err(PyValueError::new_err(format!(
                "to must be 'simplified', 'traditional' or 'keep', not {other:?}"
            )));
        }
    };
    let punct = match punct {
        "cjk" => Punct::Cjk,
        "keep" => Punct::Keep,
        other => {
            return Err(PyValueError::new_err(format!(
                "punct must be 'cjk' or 'keep', not {other:?}"
            )));
        }
    };
    let encoding = match encoding {
        None => None,
        Some(l) => Some(
            Charset::from_label(l)
                .ok_or_else(|| PyValueError::new_err(format!("unknown encoding label {l:?}")))?,
        ),
    };
    let mut opts = Options {
        to,
        punct,
        encoding,
        ..Options::default()
    };
    opts.repairs.mojibake = mojibake;
    opts.repairs.html = html;
    opts.repairs.stray_commas = stray_commas;
    opts.repairs.pinyin = pinyin;
    opts.repairs.slips = slips;
    Ok(opts)
}

/// fix_text(text, *, to="simplified", punct="cjk", mojibake=True, html=True,
/// stray_commas=True, pinyin=True, slips=True) -> str
///
/// Fix text that is already decoded: repair mojibake and other damage,
/// convert Chinese text (to "simplified", "traditional" or "keep"), widen
/// punctuation in Chinese text (punct="cjk" or "keep"), NFC.
#[pyfunction]
#[pyo3(signature = (text, *, to="simplified", punct="cjk", mojibake=true, html=true, stray_commas=true, pinyin=true, slips=true))]
#[allow(clippy::too_many_arguments)]
fn fix_text(
    py: Python<'_>,
    text: String,
    to: &str,
    punct: &str,
    mojibake: bool,
    html: bool,
    stray_commas: bool,
    pinyin: bool,
    slips: bool,
) -> PyResult<String> {
    let opts = options(to, punct, mojibake, html, stray_commas, pinyin, slips, None)?;
    Ok(py.detach(move || fixtext::fix_str(&text, &opts).text))
}

/// fix_bytes(data, *, encoding=None, to=..., punct=..., ...) -> str
///
/// Detect the encoding of `data` (or use `encoding`, a WHATWG label), decode
/// and fix it, exactly as the `fixtext` command does with a file. Raises
/// ValueError when the bytes are not text.
#[pyfunction]
#[pyo3(signature = (data, *, encoding=None, to="simplified", punct="cjk", mojibake=true, html=true, stray_commas=true, pinyin=true, slips=true))]
#[allow(clippy::too_many_arguments)]
fn fix_bytes(
    py: Python<'_>,
    data: &[u8],
    encoding: Option<&str>,
    to: &str,
    punct: &str,
    mojibake: bool,
    html: bool,
    stray_commas: bool,
    pinyin: bool,
    slips: bool,
) -> PyResult<String> {
    let opts = options(
        to,
        punct,
        mojibake,
        html,
        stray_commas,
        pinyin,
        slips,
        encoding,
    )?;
    py.detach(|| fixtext::fix_bytes(data, &opts))
        .map(|f| f.text)
        .map_err(|e| PyValueError::new_err(e.to_string()))
}

/// detect(data) -> (encoding, confidence)
///
/// The encoding fixtext would decode `data` with (lower-case name such as
/// "utf-8", "gbk", "big5", "windows-1252") and its confidence in [0, 1].
/// Raises ValueError when the bytes are not text.
#[pyfunction]
fn detect(py: Python<'_>, data: &[u8]) -> PyResult<(String, f64)> {
    py.detach(|| fixtext::detect::detect(data))
        // Through the shortest decimal form, so 0.8f32 reads 0.8, not
        // 0.800000011920929.
        .map(|d| {
            let c = d.confidence.to_string().parse().unwrap_or(0.0);
            (d.charset.name(), c)
        })
        .map_err(|e| PyValueError::new_err(e.to_string()))
}

/// explain(text, *, to=..., punct=..., ...) -> list[dict]
///
/// Every fix fix_text would apply, in order: dicts with keys kind, start,
/// end (byte offsets in the text as it was when the fix ran), before, after
/// and note.
#[pyfunction]
#[pyo3(signature = (text, *, to="simplified", punct="cjk", mojibake=true, html=true, stray_commas=true, pinyin=true, slips=true))]
#[allow(clippy::too_many_arguments)]
fn explain<'py>(
    py: Python<'py>,
    text: String,
    to: &str,
    punct: &str,
    mojibake: bool,
    html: bool,
    stray_commas: bool,
    pinyin: bool,
    slips: bool,
) -> PyResult<Vec<Bound<'py, PyDict>>> {
    let mut opts = options(to, punct, mojibake, html, stray_commas, pinyin, slips, None)?;
    opts.explain = true;
    let fixed = py.detach(move || fixtext::fix_str(&text, &opts));
    fixed
        .log
        .fixes()
        .iter()
        .map(|f| {
            let d = PyDict::new(py);
            d.set_item("kind", f.kind)?;
            d.set_item("start", f.span.start)?;
            d.set_item("end", f.span.end)?;
            d.set_item("before", &f.before)?;
            d.set_item("after", &f.after)?;
            d.set_item("note", &f.note)?;
            Ok(d)
        })
        .collect()
}

/// fix_jsonl(lines, *, fields=("text",), strict=False, to=..., ...) -> list[str]
///
/// Fix JSON Lines records exactly as `fixtext --jsonl` does: only the string
/// literals of the named fields (dotted paths) are rewritten, everything else
/// is kept byte for byte. Lines are given without their line terminator. A
/// line that is not JSON, or a field that is not a string, is passed through
/// unchanged, or raises ValueError with strict=True. Lines are fixed in
/// parallel on every core.
#[pyfunction]
#[pyo3(signature = (lines, *, fields=None, strict=false, to="simplified", punct="cjk", mojibake=true, html=true, stray_commas=true, pinyin=true, slips=true))]
#[allow(clippy::too_many_arguments)]
fn fix_jsonl(
    py: Python<'_>,
    lines: Vec<String>,
    fields: Option<Vec<String>>,
    strict: bool,
    to: &str,
    punct: &str,
    mojibake: bool,
    html: bool,
    stray_commas: bool,
    pinyin: bool,
    slips: bool,
) -> PyResult<Vec<String>> {
    let opts = options(to, punct, mojibake, html, stray_commas, pinyin, slips, None)?;
    let mut jopts = JsonlOptions {
        strict,
        ..JsonlOptions::default()
    };
    if let Some(fields) = fields {
        jopts.fields = fields
            .iter()
            .map(|f| FieldPath::parse(f))
            .collect::<Result<_, _>>()
            .map_err(PyValueError::new_err)?;
    }
    let out: Result<Vec<String>, String> = py.detach(move || {
        lines
            .par_iter()
            .with_min_len(32)
            .enumerate()
            .map(|(i, line)| {
                let f = fixtext::jsonl::fix_line(line.as_bytes(), &jopts, &opts);
                if strict && let Some(p) = f.problems.first() {
                    return Err(format!("line {}: {}", i + 1, p.message));
                }
                // The input is a str and only string literals are replaced
                // (by serde_json's UTF-8), so the output is UTF-8.
                Ok(String::from_utf8_lossy(&f.bytes).into_owned())
            })
            .collect()
    });
    out.map_err(PyValueError::new_err)
}

/// Clean broken text into UTF-8: mojibake, legacy encodings, Traditional →
/// Simplified Chinese, punctuation, HTML remnants.
#[pymodule]
fn _fixtext(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(fix_text, m)?)?;
    m.add_function(wrap_pyfunction!(fix_bytes, m)?)?;
    m.add_function(wrap_pyfunction!(detect, m)?)?;
    m.add_function(wrap_pyfunction!(explain, m)?)?;
    m.add_function(wrap_pyfunction!(fix_jsonl, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
