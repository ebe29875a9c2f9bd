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
* Chinese running text: the same jieba package's HMM (`jieba/finalseg/
  prob_emit.py`, `prob_trans.py`), which jieba trained on segmented running
  text. Its emission probabilities P(char | B, M, E, S) weighted by the
  stationary distribution of its state chain give how often each character
  occurs in running text (the word list undercounts function words: 的 is
  about 3% of running text, 0.2% of the list's characters), and how often a
  character ends a word (states E, S) or starts one (B, S).
* Korean: no frequency source yet. The 2,350 Hangul syllables of KS X 1001
  (the common syllables chosen by the Korean standard) get a uniform share;
  they are listed by decoding every EUC-KR code with Python's codec.

The three languages get equal probability mass; the model is their mixture.
The Chinese unigram is the mean of the word list's and the HMM's estimates.

Output, little-endian:
  b"FXTM", u32 version (2), u32 n_uni, u32 n_bi
  n_uni x u64: (codepoint << 24) | (q << 16) | (q_end << 8) | q_start
                                             sorted by codepoint
  n_bi  x u64: (a << 29) | (b << 8) | q      sorted by (a, b)
where q = round(-ln p * 8) clamped to 1..255: unigrams store ln P(c),
q_end ln P(c ends a word), q_start ln P(c | a word starts) (0 when unknown:
the HMM only knows Chinese), bigrams ln P(b | a) inside a word (only the
N_BI most frequent pairs are kept).

Exact command (from the repository root):
  pip download --no-deps jieba==0.42.1 ipadic==1.0.0 -d /tmp/cjkdl
  (cd /tmp/cjkdl && tar xzf jieba-0.42.1.tar.gz && tar xzf ipadic-1.0.0.tar.gz)
  python3 src/model/gen_model.py /tmp/cjkdl/jieba-0.42.1/jieba/dict.txt \
      /tmp/cjkdl/ipadic-1.0.0/ipadic/dicdir/sys.dic src/model/cjk_model.bin \
      /tmp/cjkdl/jieba-0.42.1/jieba/finalseg
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


def jieba_hmm(finalseg_dir):
    """Running-text unigram, P(ends a word | c) and P(c | a word starts),
    from jieba's HMM (states B, M, E, S: begin, middle, end, single)."""
    def load(name):
        env = {}
        with open(f"{finalseg_dir}/{name}", encoding="utf-8") as f:
            exec(f.read(), env)  # the files are Python literals: P = {...}
        return env["P"]
    trans, emit = load("prob_trans.py"), load("prob_emit.py")
    states = "BMES"
    pi = {s: 0.25 for s in states}
    for _ in range(500):  # stationary distribution of the state chain
        pi = {b: sum(pi[a] * math.exp(trans[a].get(b, -1e9)) for a in states) for b in states}
    joint = {s: {} for s in states}
    for s in states:
        z = sum(math.exp(v) for v in emit[s].values())
        for c, lp in emit[s].items():
            joint[s][c] = pi[s] * math.exp(lp) / z
    chars = set().union(*(joint[s] for s in states))
    uni, end, start = {}, {}, {}
    p_start = pi["B"] + pi["S"]
    for c in chars:
        p = sum(joint[s].get(c, 0.0) for s in states)
        uni[c] = p
        end[c] = (joint["E"].get(c, 0.0) + joint["S"].get(c, 0.0)) / p
        start[c] = (joint["B"].get(c, 0.0) + joint["S"].get(c, 0.0)) / p_start
    return uni, end, start


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
    jieba_path, ipadic_path, out_path, finalseg_dir = sys.argv[1:5]
    zh_uni, zh_bi = count_words(jieba_words(jieba_path))
    hmm_uni, hmm_end, hmm_start = jieba_hmm(finalseg_dir)
    tot = sum(zh_uni.values())
    mixed = Counter()
    for c in set(zh_uni) | set(hmm_uni):
        mixed[c] = 0.5 * zh_uni.get(c, 0.0) / tot + 0.5 * hmm_uni.get(c, 0.0)
    # bigrams keep the word list's scale: P(b | a) = count(a b) / count(a)
    zh_bi = Counter({k: n / tot for k, n in zh_bi.items()})
    langs = [(mixed, zh_bi), count_words(ipadic_words(ipadic_path))]
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

    def q1(p):
        return max(1, q(p)) if p > 0 else 0

    # P(b | a) inside a word, from the word list of a's language(s): the
    # joint share over a's share in the same lists
    uni_dict = Counter()
    for u, _ in [(zh_uni, None), langs[1]]:
        t = sum(u.values())
        for c, n in u.items():
            uni_dict[c] += share * n / t
    bi_rows = []
    for (a, b), pj in top:
        pa = uni_dict[a] or uni[a]
        cond = min(1.0, pj / pa)
        bi_rows.append((ord(a), ord(b), q(cond)))
    bi_rows.sort()
    with open(out_path, "wb") as f:
        f.write(b"FXTM")
        f.write(struct.pack("<III", 2, len(uni_rows), len(bi_rows)))
        for cp, p in uni_rows:
            c = chr(cp)
            qe, qs = q1(hmm_end.get(c, 0.0)), q1(hmm_start.get(c, 0.0))
            f.write(struct.pack("<Q", (cp << 24) | (max(1, q(p)) << 16) | (qe << 8) | qs))
        for a, b, qq in bi_rows:
            f.write(struct.pack("<Q", (a << 29) | (b << 8) | qq))
    print(f"{len(uni_rows)} unigrams, {len(bi_rows)} bigrams -> {out_path}")


if __name__ == "__main__":
    main()
