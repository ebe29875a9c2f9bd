//! Throughput of the OpenCC converter (MB/s of input).
//!
//! Input: testdata/opencc/slice_zh_TW.txt (zh_TW manual pages, ~300 KB) as
//! is, and its "dense" form keeping only the lines that are mostly CJK.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

#[allow(dead_code)]
#[path = "../src/convert/opencc.rs"]
mod opencc;

fn dense(text: &str) -> String {
    text.lines()
        .filter(|l| {
            let cjk = l.chars().filter(|&c| c as u32 >= 0x2E80).count();
            cjk * 10 >= l.chars().count() * 8 && cjk > 0
        })
        .flat_map(|l| [l, "\n"])
        .collect()
}

fn bench(c: &mut Criterion) {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/testdata/opencc/slice_zh_TW.txt"
    );
    let Ok(manpages) = std::fs::read_to_string(path) else {
        eprintln!("missing {path}");
        return;
    };
    let dense = dense(&manpages);
    let simplified = opencc::t2s_opencc(&dense).into_owned();
    // Warm the lazily built tables outside the measurement.
    let _ = opencc::t2s(&dense);
    let _ = opencc::s2t(&simplified);

    let mut g = c.benchmark_group("opencc");
    for (name, text) in [("manpages", &manpages), ("dense_traditional", &dense)] {
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_function(format!("t2s_opencc/{name}"), |b| {
            b.iter(|| opencc::t2s_opencc(black_box(text)).len())
        });
        g.bench_function(format!("t2s/{name}"), |b| {
            b.iter(|| opencc::t2s(black_box(text)).len())
        });
    }
    g.throughput(Throughput::Bytes(simplified.len() as u64));
    g.bench_function("t2s_unchanged/dense_simplified", |b| {
        b.iter(|| opencc::t2s_opencc(black_box(&simplified)).len())
    });
    g.bench_function("s2t/dense_simplified", |b| {
        b.iter(|| opencc::s2t(black_box(&simplified)).len())
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(std::time::Duration::from_secs(1))
        .measurement_time(std::time::Duration::from_secs(3));
    targets = bench
}
criterion_main!(benches);
