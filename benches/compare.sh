#!/usr/bin/env bash
# Time fixtext against the peer pipeline (charset-normalizer -> ftfy ->
# OpenCC t2s, benches/peer_pipeline.py) on the same files, side by side in
# one run, and print MB/s and ratios.
#
# usage: benches/compare.sh [EVAL_DIR]
#
# The corpora are built by benches/corpora.py from data the repository ships
# (clean Simplified 100 x 1 MiB, Traditional 50 x 1 MiB, damaged >= 20 MB);
# with EVAL_DIR (a copy of the public evaluation suite, holding cases/), the
# damaged corpus is its cases repeated instead of the shipped damaged samples.
#
# Environment: WORK (scratch directory, default /tmp/fixtext-compare),
# THREADS (both tools, default: number of cores), RUNS (fixtext runs per
# corpus, best kept, default 3), NO_PIP=1 (peers already installed),
# PYTHON (default python3), CORPORA (subset to time, default "clean
# traditional damaged").
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=${WORK:-/tmp/fixtext-compare}
threads=${THREADS:-$(nproc)}
runs=${RUNS:-3}
py=${PYTHON:-python3}

cd "$repo"
cargo build --release --quiet
fixtext="$repo/target/release/fixtext"
if [ -z "${NO_PIP:-}" ]; then
    "$py" -m pip install --quiet charset-normalizer ftfy opencc==1.4.2
fi
rm -rf "$work"
mkdir -p "$work"
"$py" benches/corpora.py "$repo" "$work/corpora" ${1:+"$1"}

now() { date +%s.%N; }
secs() { echo "$2 - $1" | bc -l; }

echo
echo "machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), load $(cut -d' ' -f1-3 /proc/loadavg); threads: $threads"
printf '%-12s %9s %12s %12s %12s %12s %8s\n' corpus MB "fixtext s" "fixtext MB/s" "peer s" "peer MB/s" ratio
for corpus in ${CORPORA:-clean traditional damaged}; do
    in="$work/corpora/$corpus"
    mb=$(find "$in" -type f -printf "%s\n" | awk "{s+=\$1} END {print s}")
    mb=$(echo "$mb / 1000000" | bc -l)
    best=
    for _ in $(seq "$runs"); do
        rm -rf "$work/out-fixtext"
        t0=$(now)
        "$fixtext" "$in" -o "$work/out-fixtext" -q -j "$threads"
        t=$(secs "$t0" "$(now)")
        if [ -z "$best" ] || [ "$(echo "$t < $best" | bc -l)" = 1 ]; then best=$t; fi
    done
    rm -rf "$work/out-peer"
    t0=$(now)
    "$py" benches/peer_pipeline.py "$in" "$work/out-peer" -j "$threads" > /dev/null
    peer=$(secs "$t0" "$(now)")
    printf '%-12s %9.1f %12.3f %12.1f %12.2f %12.1f %7.1fx\n' "$corpus" "$mb" "$best" \
        "$(echo "$mb / $best" | bc -l)" "$peer" "$(echo "$mb / $peer" | bc -l)" \
        "$(echo "$peer / $best" | bc -l)"
done
