"""Build a JSONL corpus from a directory of text files in any encoding, as a
corpus tool would: each file decoded to text (encoding found by
fixtext.detect, decoded by Python's codecs) into {"id": ..., "text": ...}.

    python examples/spark/make_corpus.py CASES_DIR OUT.jsonl [--size-mb 1024]

Files are repeated (ids `NAME#k`) until OUT reaches --size-mb. Files Python
cannot decode the way fixtext does are listed on stderr and left out.
"""

import argparse
import codecs
import json
import sys
from pathlib import Path

import fixtext

# fixtext's names → Python codecs (fixtext decodes GBK as GB18030).
CODECS = {"gbk": "gb18030", "gb18030": "gb18030", "big5": "big5hkscs", "shift_jis": "cp932",
          "euc-kr": "cp949", "euc-jp": "euc_jp"}


def decode_like_fixtext(data):
    name, _ = fixtext.detect(data)
    if name.startswith("mixed-utf-8+"):
        legacy = CODECS.get(name[len("mixed-utf-8+"):], name[len("mixed-utf-8+"):])
        out = []
        for line in data.splitlines(keepends=True):
            try:
                out.append(line.decode("utf-8"))
            except UnicodeDecodeError:
                out.append(line.decode(legacy, errors="replace"))
        return "".join(out)
    codec = CODECS.get(name, name)
    codecs.lookup(codec)
    for bom in (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        if data.startswith(bom) and codec.replace("-", "").startswith(("utf8", "utf16")):
            data = data[len(bom):]
            break
    return data.decode(codec, errors="replace")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cases")
    ap.add_argument("out")
    ap.add_argument("--size-mb", type=float, default=1024)
    a = ap.parse_args()
    records = []
    for p in sorted(Path(a.cases).iterdir()):
        try:
            text = decode_like_fixtext(p.read_bytes())
        except (LookupError, ValueError) as e:
            print(f"{p.name}: left out ({e})", file=sys.stderr)
            continue
        records.append((p.name, text))
    limit = a.size_mb * (1 << 20)
    written = 0
    k = 0
    with open(a.out, "w", encoding="utf-8") as f:
        while written < limit:
            for name, text in records:
                line = json.dumps({"id": f"{name}#{k}", "text": text}, ensure_ascii=False) + "\n"
                f.write(line)
                written += len(line.encode("utf-8"))
            k += 1
    print(f"{a.out}: {k} rounds of {len(records)} files, {written / 1e6:.0f} MB", file=sys.stderr)


if __name__ == "__main__":
    main()
