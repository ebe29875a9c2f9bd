#!/usr/bin/env python3
"""Differential check of fixtext's OpenCC converter against `opencc==1.4.2`.

Corpus: the manual pages of Debian's ``manpages-zh`` 1.6.4.0-1
(``apt-get download manpages-zh``): every ``usr/share/man/zh_TW`` page
(≈5.7 MB of Traditional text) for t2s, every ``zh_CN`` page for s2t; files
are decompressed, concatenated in sorted path order and NFC-normalized.

Both sides convert the same NFC text: the reference is the official Python
package (``pip install opencc==1.4.2``), ours is the pure-OpenCC function
``t2s_opencc``/``s2t`` (no 著 rule), run through the ignored test
``diff_from_env`` in tests/convert_opencc.rs. Agreement is counted per
character of the reference output: identical lines count fully, differing
lines count the characters difflib matches.

Usage (from the repository root):

    python3 -m venv /tmp/occ && /tmp/occ/bin/pip install opencc==1.4.2
    apt-get download manpages-zh
    /tmp/occ/bin/python tools/opencc_diff.py manpages-zh_1.6.4.0-1_all.deb
    # add --write-slice to refresh testdata/opencc/slice_zh_TW*.txt
    # add --random to also compare 20000 random short strings mixing
    # ideographic description operators, CJK compatibility ideographs,
    # supplementary-plane characters, ASCII and phrase fragments
"""

import difflib
import gzip
import os
import random
import subprocess
import sys
import tempfile
import unicodedata

import opencc

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SLICE_BYTES = 300_000


def corpus(root, lang):
    base = os.path.join(root, "usr/share/man", lang)
    paths = sorted(
        os.path.join(d, f) for d, _, fs in os.walk(base) for f in fs
    )
    parts = []
    for p in paths:
        raw = open(p, "rb").read()
        if p.endswith(".gz"):
            raw = gzip.decompress(raw)
        parts.append(raw.decode("utf-8"))
    return unicodedata.normalize("NFC", "".join(parts))


def ours(text, mode, work):
    inp = os.path.join(work, f"in.{mode}")
    out = os.path.join(work, f"out.{mode}")
    with open(inp, "w", encoding="utf-8", newline="") as f:
        f.write(text)
    env = dict(os.environ, OPENCC_DIFF_IN=inp, OPENCC_DIFF_OUT=out, OPENCC_DIFF_MODE=mode)
    subprocess.run(
        ["cargo", "test", "-q", "--test", "convert_opencc", "--", "--ignored",
         "--exact", "diff_from_env"],
        cwd=ROOT, env=env, check=True,
    )
    with open(out, encoding="utf-8", newline="") as f:
        return f.read()


def agreement(ref, got):
    total = matched = 0
    diffs = []
    ref_lines = ref.split("\n")
    got_lines = got.split("\n")
    if len(ref_lines) != len(got_lines):
        print("line counts differ", len(ref_lines), len(got_lines))
    for a, b in zip(ref_lines, got_lines):
        total += len(a)
        if a == b:
            matched += len(a)
        else:
            sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
            matched += sum(m.size for m in sm.get_matching_blocks())
            diffs.append((a, b))
    return matched, total, diffs


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if len(args) != 1:
        sys.exit(__doc__)
    print("opencc python package", opencc.__version__)
    with tempfile.TemporaryDirectory() as work:
        subprocess.run(["dpkg-deb", "-x", args[0], work], check=True)
        tw = corpus(work, "zh_TW")
        cn = corpus(work, "zh_CN")
        ok = True
        for mode, text in (("t2s", tw), ("s2t", cn)):
            ref = opencc.OpenCC(mode).convert(text)
            got = ours(text, mode, work)
            matched, total, diffs = agreement(ref, got)
            pct = 100.0 * matched / max(total, 1)
            print(f"{mode}: {len(text.encode())} bytes, {total} chars, "
                  f"{matched} agree = {pct:.5f}%, {len(diffs)} differing lines")
            for a, b in diffs[:10]:
                print("  opencc:", a[:200])
                print("  ours:  ", b[:200])
            ok &= pct >= 99.999
        if "--random" in sys.argv:
            rng = random.Random(1)
            alpha = (list("⿰⿱⿲⿳⿴⿾⿿") + [chr(c) for c in range(0xF900, 0xF910)]
                     + ["\U0002F800", "\U0002F801", "\U00020000", "\U0002A6A5"]
                     + list("這是危機頭髮发头干乾幹著着隨随沉沈浸SQL注入攻击PN结 a臺台"))
            text = "\n".join(
                "".join(rng.choice(alpha) for _ in range(rng.randint(0, 12)))
                for _ in range(20000))
            for mode in ("t2s", "s2t"):
                same = opencc.OpenCC(mode).convert(text) == ours(text, mode, work)
                print(f"random {mode}: {'identical' if same else 'DIFFERENT'}")
                ok &= same
        if "--write-slice" in sys.argv:
            cut = tw.encode()[:SLICE_BYTES].decode("utf-8", "ignore")
            cut = cut[: cut.rfind("\n") + 1]
            s = opencc.OpenCC("t2s").convert(cut)
            t = opencc.OpenCC("s2t").convert(s)
            d = os.path.join(ROOT, "testdata/opencc")
            for name, body in (("slice_zh_TW.txt", cut), ("slice_zh_TW.t2s.txt", s),
                               ("slice_zh_TW.t2s.s2t.txt", t)):
                with open(os.path.join(d, name), "w", encoding="utf-8", newline="") as f:
                    f.write(body)
            print("wrote slices to", d)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
