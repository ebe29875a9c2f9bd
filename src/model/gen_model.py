#!/usr/bin/env python3
"""Build `cjk_model.bin`, the character model of `fixtext::model`.

Sources (both permissively licensed, both fetched from PyPI with pip):

* Chinese: jieba 0.42.1 (MIT licence, https://github.com/fxsjy/jieba),
  file `jieba/dict.txt`: 349k words with corpus frequencies. Every word
  adds its frequency to each of its characters (unigrams) and to each pair of
  adjacent characters inside it (bigrams).
* Japanese: ipadic 1.0.0 (PyPI packaging of IPADIC 2.7.0, NAIST/ICOT
  licence: use, reproduction and distribution permitted with the copyright
  notice, see README.md beside this file), file `ipadic/dicdir/sys.dic`:
  392k MeCab entries. The base form of each entry is weighted by
  exp(-word_cost / 800) (800 is the dictionary's cost factor) and counted
  like a jieba word.
* Korean: no frequency source yet. The 2,350 Hangul syllables of KS X 1001
  (the common syllables chosen by the Korean standard) get a uniform share;
  they are listed by decoding every EUC-KR code with Python's codec.

The three languages get equal probability mass; the model is their mixture.

Output, little-endian:
  b"FXTM", u32 version (1), u32 n_uni, u32 n_bi
  n_uni x u32: (codepoint << 8) | q          sorted by codepoint
  n_bi  x u64: (a << 29) | (b << 8) | q      sorted by (a, b)
where q = round(-ln p * 8) clamped to 255: unigrams store ln P(c),
bigrams ln P(b | a) (only the N_BI most frequent pairs are kept).

Exact command (from the repository root):
  pip download --no-deps jieba==0.42.1 ipadic==1.0.0 -d /tmp/cjkdl
  (cd /tmp/cjkdl && tar xzf jieba-0.42.1.tar.gz && tar xzf ipadic-1.0.0.tar.gz)
  python3 src/model/gen_model.py /tmp/cjkdl/jieba-0.42.1/jieba/dict.txt \
      /tmp/cjkdl/ipadic-1.0.0/ipadic/dicdir/sys.dic src/model/cjk_model.bin
"""
import math
import struct
import sys
from collections import Counter

N_BI = 120_000
MIN_UNI_SHARE = 1e-12


def count_words(pairs):
    uni, bi = Counter(), Counter()
    for word, w in pairs:
        if w <= 0:
            continue
        chars = [c for c in word if ord(c) > 0x7F]
        if len(chars) != len(word):
            continue  # skip words with ASCII: the model is for CJK letters
        for c in chars:
            uni[c] += w
        for a, b in zip(chars, chars[1:]):
            bi[(a, b)] += w
    return uni, bi


def jieba_words(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 2:
                yield parts[0], float(parts[1])


def ipadic_words(path):
    d = open(path, "rb").read()
    _magic, _ver, _typ, _lex, _ls, _rs, dsize, tsize, fsize, _ = struct.unpack("<10I", d[:40])
    charset = d[40:72].split(b"\0")[0].decode()
    off = 72 + dsize
    toks = d[off:off + tsize]
    feat = d[off + tsize:off + tsize + fsize]
    for i in range(0, len(toks), 16):
        _l, _r, _p, cost, f, _c = struct.unpack("<HHHhII", toks[i:i + 16])
        fields = feat[f:feat.index(b"\0", f)].decode(charset, "replace").split(",")
        if len(fields) > 6 and fields[6] != "*":
            yield fields[6], math.exp(-cost / 800.0)


def korean_syllables():
    out = []
    for lead in range(0xB0, 0xC9):
        for trail in range(0xA1, 0xFF):
            try:
                c = bytes([lead, trail]).decode("euc_kr")
            except UnicodeDecodeError:
                continue
            if 0xAC00 <= ord(c) <= 0xD7A3:
                out.append(c)
    return out


def main():
    jieba_path, ipadic_path, out_path = sys.argv[1:4]
    langs = [count_words(jieba_words(jieba_path)), count_words(ipadic_words(ipadic_path))]
    ko = korean_syllables()
    langs.append((Counter({c: 1.0 for c in ko}), Counter()))
    share = 1.0 / len(langs)
    uni = Counter()
    for u, _ in langs:
        tot = sum(u.values())
        for c, n in u.items():
            uni[c] += share * n / tot
    # conditional bigram probability, mixed with the same weights
    bi_joint = Counter()
    for u, b in langs:
        tot = sum(u.values())
        for k, n in b.items():
            bi_joint[k] += share * n / tot
    top = bi_joint.most_common(N_BI)
    uni_rows = sorted((ord(c), p) for c, p in uni.items() if p >= MIN_UNI_SHARE)

    def q(p):
        return max(0, min(255, round(-math.log(p) * 8)))

    bi_rows = []
    for (a, b), pj in top:
        pa = uni[a]
        cond = min(1.0, pj / pa)
        bi_rows.append((ord(a), ord(b), q(cond)))
    bi_rows.sort()
    with open(out_path, "wb") as f:
        f.write(b"FXTM")
        f.write(struct.pack("<III", 1, len(uni_rows), len(bi_rows)))
        for cp, p in uni_rows:
            f.write(struct.pack("<I", (cp << 8) | q(p)))
        for a, b, qq in bi_rows:
            f.write(struct.pack("<Q", (a << 29) | (b << 8) | qq))
    print(f"{len(uni_rows)} unigrams, {len(bi_rows)} bigrams -> {out_path}")


if __name__ == "__main__":
    main()
