#!/usr/bin/env python3
"""Per-encoding accuracy of fixtext's detection + decoding on a labelled corpus.

Usage:
    cargo build --release --example detect_dump
    python3 tools/detect_eval.py /work/shared/detect-corpus [--bin target/release/examples/detect_dump] [-v]

The corpus directory holds `manifest.tsv` (columns path, true_encoding,
acceptable, ...). A file counts as correct when the text fixtext decodes
(examples/detect_dump: detection + decoding, no repair) equals the text that
Python's codecs give with the true encoding. Where Python's codec and the
WHATWG one legitimately differ on a few code points (shift_jis vs cp932, big5
vs big5hkscs, ...) every listed alternative decoding is accepted.
Files whose truth Python cannot decode (euc-tw) are reported as 'n/a'.

JIS X 0208 has two mapping conventions for a few code points: Python's
euc_jp (JIS) gives U+301C WAVE DASH, U+2016, U+2212, U+00A2/A3/AC, U+2014
where the WHATWG (Microsoft) tables give U+FF5E, U+2225, U+FF0D, U+FFE0/E1/E2,
U+2015. A decode that differs from the truth only there is shown in the
column 'fold' (same bytes, same characters, other convention); 'strict'
counts exact equality only.
"""
import argparse
import collections
import json
import os
import subprocess
import sys

# true_encoding -> Python codecs whose output counts as the truth
ALTERNATIVES = {
    "x-mac-cyrillic": ["mac_cyrillic"],
    "macintosh": ["mac_roman"],
    "ibm866": ["cp866"],
    "ibm855": ["cp855"],
    "shift_jis": ["shift_jis", "cp932", "shift_jis_2004"],
    "euc-jp": ["euc_jp", "euc_jis_2004", "cp932"],
    "big5": ["big5", "cp950", "big5hkscs"],
    "gbk": ["gbk", "gb18030"],
    "euc-kr": ["euc_kr", "cp949"],
    "koi8-r": ["koi8_r", "koi8_u"],
    "windows-874": ["cp874"],
    "ascii": ["ascii", "utf-8"],
    "utf-16le": ["utf-16le"],
    "utf-16be": ["utf-16be"],
    "utf-32le": ["utf-32le"],
    "utf-32be": ["utf-32be"],
    "utf-8": ["utf-8"],
    "iso-2022-kr": ["iso2022_kr"],
    "iso-2022-jp": ["iso2022_jp", "iso2022_jp_ext", "iso2022_jp_2"],
    "johab": ["johab"],
}


def truths(raw, enc):
    out = []
    for codec in ALTERNATIVES.get(enc, [enc]):
        for errors in ("strict", "replace"):
            try:
                t = raw.decode(codec, errors=errors)
            except (LookupError, UnicodeDecodeError):
                continue
            if t.startswith("\ufeff"):
                t = t[1:]
            out.append(t)
            break
    return out


JIS_FOLD = str.maketrans({0xFF5E: 0x301C, 0x2225: 0x2016, 0xFF0D: 0x2212,
                          0xFFE0: 0xA2, 0xFFE1: 0xA3, 0xFFE2: 0xAC, 0x2015: 0x2014})


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("--bin", default="target/release/examples/detect_dump")
    ap.add_argument("-v", action="store_true", help="list every failure")
    ap.add_argument("--json", help="write per-file results here")
    a = ap.parse_args()
    rows = []
    with open(os.path.join(a.corpus, "manifest.tsv"), encoding="utf-8") as f:
        head = f.readline().rstrip("\n").split("\t")
        for line in f:
            rows.append(dict(zip(head, line.rstrip("\n").split("\t"))))
    paths = [os.path.join(a.corpus, r["path"]) for r in rows]
    res = subprocess.run([a.bin], input="\n".join(paths), capture_output=True,
                         text=True, check=True)
    got = {}
    for line in res.stdout.split("\n"):
        if not line:
            continue
        j = json.loads(line)
        got[j["path"]] = j
    per = collections.defaultdict(lambda: [0, 0, 0])
    fails = []
    results = []
    for r, p in zip(rows, paths):
        enc = r["true_encoding"]
        raw = open(p, "rb").read()
        t = truths(raw, enc)
        g = got.get(p, {})
        if not t:
            status = "n/a"
        else:
            got_text = g.get("text")
            if got_text in t:
                status = "ok"
            elif got_text is not None and got_text.translate(JIS_FOLD) in [x.translate(JIS_FOLD) for x in t]:
                status = "fold"
            else:
                status = "FAIL"
        if status != "n/a":
            per[enc][2] += 1
            per[enc][0] += status == "ok"
            per[enc][1] += status in ("ok", "fold")
        if status == "FAIL":
            fails.append((enc, g.get("charset"), g.get("method"), g.get("malformed"), r["path"]))
        results.append({"path": r["path"], "truth": enc, "got": g.get("charset"),
                        "method": g.get("method"), "status": status})
    print(f"{'encoding':16} {'n':>4} {'strict':>7} {'fold':>7}")
    for enc in sorted(per, key=lambda e: (-per[e][2], e)):
        ok, okf, n = per[enc]
        print(f"{enc:16} {n:4} {100*ok/n:6.1f}% {100*okf/n:6.1f}%")
    ok, okf, n = (sum(v[i] for v in per.values()) for i in range(3))
    print(f"{'OVERALL':16} {n:4} {100*ok/n:6.1f}% {100*okf/n:6.1f}%")
    if a.v:
        for f in sorted(fails):
            print("FAIL", *f, sep="\t")
    if a.json:
        with open(a.json, "w") as f:
            json.dump(results, f, indent=1)


if __name__ == "__main__":
    sys.exit(main())
