#!/usr/bin/env python3
"""Build the benchmark corpora of benches/compare.sh from data the repository
ships (and, optionally, from the public evaluation suite).

usage: corpora.py REPO_DIR OUT_DIR [EVAL_DIR]

OUT_DIR/clean        100 x 1 MiB clean Simplified UTF-8
OUT_DIR/traditional   50 x 1 MiB Traditional UTF-8
OUT_DIR/damaged      damaged files, >= 20 MB in all: copies of EVAL_DIR/cases
                     when given, else of testdata/seeds/cases plus the
                     damaged (mojibake) samples of testdata/ftfy

Every file is cut at a line end. The output is deterministic.
"""
import json
import pathlib
import sys

MIB = 1 << 20


def read(repo, *names):
    return "".join((repo / n).read_text(encoding="utf-8") for n in names)


def fill(unit, n_files, out):
    """Write n_files files of about 1 MiB, each made of `unit`'s lines in
    order (wrapping around), cut at a line end."""
    out.mkdir(parents=True, exist_ok=True)
    lines = unit.encode("utf-8").splitlines(keepends=True)
    i = 0
    for k in range(n_files):
        buf = bytearray()
        while len(buf) + len(lines[i % len(lines)]) <= MIB:
            buf += lines[i % len(lines)]
            i += 1
        (out / f"{k:03d}.txt").write_bytes(bytes(buf))


def main():
    repo, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    eval_dir = pathlib.Path(sys.argv[3]) if len(sys.argv) > 3 else None
    gold = sorted((repo / "testdata/seeds/gold").iterdir())
    # Clean Simplified: the seed pages' gold (news), jieba's test sentences,
    # the zh_CN locale messages and the Simplified zh_TW manual pages.
    simplified = "".join(p.read_text(encoding="utf-8") for p in gold) + read(
        repo,
        "testdata/cjk/zh_jieba_test.txt",
        "testdata/locale/zh_CN.txt",
        "testdata/locale/zh_Hans.txt",
        "testdata/opencc/slice_zh_TW.t2s.txt",
    )
    fill(simplified, 100, out / "clean")
    # Traditional: the zh_TW manual pages and the Traditional locales.
    traditional = read(
        repo,
        "testdata/locale/zh_TW.txt",
        "testdata/locale/zh_Hant.txt",
        "testdata/locale/zh_HK.txt",
        "testdata/opencc/slice_zh_TW.txt",
    )
    fill(traditional, 50, out / "traditional")
    # Damaged: whole files copied as they are (their encoding kept), one
    # directory per copy, until there are at least 20 MB.
    if eval_dir is not None:
        samples = [(p.name, p.read_bytes()) for p in sorted((eval_dir / "cases").iterdir())]
    else:
        samples = [(p.name, p.read_bytes()) for p in sorted((repo / "testdata/seeds/cases").iterdir())]
        # ftfy's test cases: the damaged strings (those with a fix), one file
        # per test file, one case a line.
        for name in ("in-the-wild.json", "synthetic.json"):
            cases = json.loads((repo / "testdata/ftfy" / name).read_text(encoding="utf-8"))
            text = "".join(
                c["original"].replace("\n", " ") + "\n"
                for c in cases
                if c.get("fixed", c["original"]) != c["original"]
            )
            samples.append((name.replace(".json", ".txt"), text.encode("utf-8")))
    total = sum(len(b) for _, b in samples)
    copies = -(-20_000_000 // total)
    for k in range(copies):
        d = out / "damaged" / f"{k:03d}"
        d.mkdir(parents=True, exist_ok=True)
        for name, data in samples:
            (d / name).write_bytes(data)
    for name in ("clean", "traditional", "damaged"):
        files = [p for p in (out / name).rglob("*") if p.is_file()]
        size = sum(p.stat().st_size for p in files)
        print(f"{name:12s} {len(files):5d} files {size / 1e6:8.1f} MB", file=sys.stderr)


if __name__ == "__main__":
    main()
