//! Throughput of each stage and of the whole pipeline (MB/s of input).
//!
//! Inputs, all built from files the repository ships (about 1 MiB each):
//! * `clean`: clean Simplified UTF-8 — the seed pages' gold, jieba's test
//!   sentences and the Simplified zh_TW manual pages (`testdata/opencc/
//!   slice_zh_TW.t2s.txt`), repeated;
//! * `traditional`: the zh_TW manual pages (`slice_zh_TW.txt`), repeated;
//! * `gbk`: `clean` encoded as GBK;
//! * `damaged`: the damaged seed pages (`testdata/seeds/cases`), repeated.
//!
//! Run: `cargo bench --bench stages` (or `cargo bench` for all benches).

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use fixtext::repair::Repairs;
use fixtext::{Charset, Log, Options, Target};
use std::hint::black_box;
use std::path::Path;

const SIZE: usize = 1 << 20;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn dir(rel: &str) -> String {
    let mut files: Vec<_> = std::fs::read_dir(root().join(rel))
        .unwrap_or_else(|e| panic!("{rel}: {e}"))
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap_or_default())
        .collect()
}

/// `unit` repeated (whole lines) up to about [`SIZE`] bytes.
fn repeat(unit: &str) -> String {
    let mut out = String::with_capacity(SIZE + unit.len());
    while out.len() < SIZE {
        out.push_str(unit);
        if !out.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}

struct Inputs {
    clean: String,
    traditional: String,
    gbk: Vec<u8>,
    damaged: String,
}

fn inputs() -> Inputs {
    let clean = repeat(
        &[
            dir("testdata/seeds/gold"),
            read("testdata/cjk/zh_jieba_test.txt"),
            read("testdata/opencc/slice_zh_TW.t2s.txt"),
        ]
        .concat(),
    );
    let traditional = repeat(&read("testdata/opencc/slice_zh_TW.txt"));
    let gbk = encoding_rs::GBK.encode(&clean).0.into_owned();
    let damaged = repeat(&dir("testdata/seeds/cases"));
    Inputs {
        clean,
        traditional,
        gbk,
        damaged,
    }
}

fn stages(c: &mut Criterion) {
    let inp = inputs();
    let opts = Options::default();
    // Build the lazily initialised tables outside the measurements.
    let _ = fixtext::fix_bytes(inp.traditional.as_bytes(), &opts);
    let _ = fixtext::fix_bytes(inp.damaged.as_bytes(), &opts);

    let mut g = c.benchmark_group("stage");
    let bytes = |g: &mut criterion::BenchmarkGroup<_>, n: usize| {
        g.throughput(Throughput::Bytes(n as u64));
    };

    bytes(&mut g, inp.clean.len());
    g.bench_function("detect/utf8", |b| {
        b.iter(|| fixtext::detect::detect(black_box(inp.clean.as_bytes())).is_ok())
    });
    bytes(&mut g, inp.gbk.len());
    g.bench_function("detect/gbk", |b| {
        b.iter(|| fixtext::detect::detect(black_box(&inp.gbk)).is_ok())
    });
    let gbk = Charset::from_label("gbk").expect("gbk label");
    g.bench_function("decode/gbk", |b| {
        b.iter(|| {
            fixtext::decode::decode(black_box(&inp.gbk), gbk, 0)
                .text
                .len()
        })
    });

    let repairs = Repairs::default();
    for (name, text) in [("clean", &inp.clean), ("damaged", &inp.damaged)] {
        bytes(&mut g, text.len());
        g.bench_with_input(BenchmarkId::new("repair", name), text, |b, t| {
            b.iter(|| {
                let mut log = Log::counting();
                fixtext::repair::repair(black_box(t), &repairs, &mut log).len()
            })
        });
    }
    for (name, text) in [("clean", &inp.clean), ("traditional", &inp.traditional)] {
        bytes(&mut g, text.len());
        g.bench_with_input(BenchmarkId::new("convert", name), text, |b, t| {
            b.iter(|| {
                let mut log = Log::counting();
                fixtext::convert::convert(black_box(t), Target::Simplified, &mut log).len()
            })
        });
    }
    for (name, text) in [("clean", &inp.clean), ("traditional", &inp.traditional)] {
        bytes(&mut g, text.len());
        g.bench_with_input(BenchmarkId::new("punct", name), text, |b, t| {
            b.iter(|| {
                let mut log = Log::counting();
                fixtext::punct::widen_punct(black_box(t), &mut log).len()
            })
        });
        g.bench_with_input(BenchmarkId::new("normalize", name), text, |b, t| {
            b.iter(|| {
                let mut log = Log::counting();
                fixtext::normalize::nfc(black_box(t), &mut log).len()
            })
        });
        // Two texts in turn, so that every call classifies (no memoised
        // answer from the previous call).
        let other = format!("x{text}");
        g.bench_with_input(BenchmarkId::new("chinese_lines", name), text, |b, t| {
            let mut flip = false;
            b.iter(|| {
                flip = !flip;
                let t = if flip { t.as_str() } else { other.as_str() };
                fixtext::script::chinese_lines(black_box(t)).len()
            })
        });
    }
    g.finish();

    let mut g = c.benchmark_group("pipeline");
    for (name, data) in [
        ("clean", inp.clean.as_bytes()),
        ("traditional", inp.traditional.as_bytes()),
        ("gbk", &inp.gbk[..]),
        ("damaged", inp.damaged.as_bytes()),
    ] {
        g.throughput(Throughput::Bytes(data.len() as u64));
        g.bench_with_input(BenchmarkId::new("fix_bytes", name), data, |b, d| {
            b.iter(|| fixtext::fix_bytes(black_box(d), &opts).map(|f| f.text.len()))
        });
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(std::time::Duration::from_secs(1))
        .measurement_time(std::time::Duration::from_secs(2));
    targets = stages
}
criterion_main!(benches);
