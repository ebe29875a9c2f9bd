#!/usr/bin/env python3
"""Generate readings.tsv: Mandarin readings of the characters that a
Simplified→Traditional converter changes.

Source: the Unihan database of Unicode 15.0 as shipped by Debian's
`unicode-data` package (files Unihan_Readings.txt.bz2 and
Unihan_Variants.txt.bz2). Unihan is © Unicode, Inc., distributed under the
Unicode License (permissive; https://www.unicode.org/license.txt).

Output, one line per character with a Mandarin reading, sorted by code
point:

    CHAR<TAB>reading reading ...<TAB>FLAG

where the readings are the union, without tone marks (ü written v), of the
kMandarin, kHanyuPinyin, kXHC1983, kTGHZ2013 and kHanyuPinlu readings of CHAR
and of its simplified variants, and FLAG is `t` when CHAR has a
kSimplifiedVariant different from itself (conversion to Simplified changes
it: the characters a S→T converter produced) and `-` otherwise.

Reproduce:
    apt-get download unicode-data
    dpkg-deb -x unicode-data_*.deb /tmp/ud
    python3 src/repair/pinyin/gen_readings.py /tmp/ud/usr/share/unicode > src/repair/pinyin/readings.tsv
"""
import bz2
import re
import sys
import unicodedata
from collections import defaultdict

FIELDS = {"kMandarin", "kHanyuPinyin", "kXHC1983", "kTGHZ2013", "kHanyuPinlu"}


def toneless(syl: str) -> str:
    out = []
    for ch in unicodedata.normalize("NFD", syl.lower()):
        if ch == "\u0308":  # diaeresis: u + ¨ = ü → v
            if out and out[-1] == "u":
                out[-1] = "v"
        elif unicodedata.combining(ch):
            continue
        else:
            out.append(ch)
    return "".join(out)


def cp(tok: str) -> str:
    return chr(int(tok[2:].split("<")[0], 16))


def main(root: str) -> None:
    readings = defaultdict(set)
    with bz2.open(f"{root}/Unihan_Readings.txt.bz2", "rt", encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            code, field, value = line.rstrip("\n").split("\t", 2)
            if field not in FIELDS:
                continue
            # kHanyuPinyin "10019.020:tiàn", kXHC1983 "1066.070:shā 1066.100*:shà",
            # kHanyuPinlu "de(3211) di(50)": keep only the syllables.
            for tok in value.split():
                tok = tok.split(":", 1)[-1]
                for syl in tok.split(","):
                    syl = re.sub(r"\(.*?\)", "", syl).strip()
                    t = toneless(syl)
                    if re.fullmatch(r"[a-zv]{1,6}", t):
                        readings[cp(code)].add(t)
    simplified = defaultdict(set)
    with bz2.open(f"{root}/Unihan_Variants.txt.bz2", "rt", encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            code, field, value = line.rstrip("\n").split("\t", 2)
            if field == "kSimplifiedVariant":
                c = cp(code)
                for tok in value.split():
                    s = cp(tok)
                    if s != c:
                        simplified[c].add(s)
    for c in sorted(set(readings) | set(simplified), key=ord):
        rs = set(readings[c])
        for s in simplified.get(c, ()):
            rs |= readings[s]
        if rs:
            flag = "t" if c in simplified else "-"
            print(f"{c}\t{' '.join(sorted(rs))}\t{flag}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/unicode")
