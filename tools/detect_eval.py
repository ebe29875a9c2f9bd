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
    per = collections.defaultdict(lambda: [0, 0])
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
            status = "ok" if g.get("text") in t else "FAIL"
        if status != "n/a":
            per[enc][1] += 1
            per[enc][0] += status == "ok"
        if status == "FAIL":
            fails.append((enc, g.get("charset"), g.get("method"), g.get("malformed"), r["path"]))
        results.append({"path": r["path"], "truth": enc, "got": g.get("charset"),
                        "method": g.get("method"), "status": status})
    tot_ok = sum(v[0] for v in per.values())
    tot = sum(v[1] for v in per.values())
    print(f"{'encoding':16} {'ok':>4} {'n':>4} {'acc':>7}")
    for enc in sorted(per, key=lambda e: (-per[e][1], e)):
        ok, n = per[enc]
        print(f"{enc:16} {ok:4} {n:4} {100*ok/n:6.1f}%")
    print(f"{'OVERALL':16} {tot_ok:4} {tot:4} {100*tot_ok/tot:6.1f}%")
    if a.v:
        for f in sorted(fails):
            print("FAIL", *f, sep="\t")
    if a.json:
        with open(a.json, "w") as f:
            json.dump(results, f, indent=1)


if __name__ == "__main__":
    sys.exit(main())
