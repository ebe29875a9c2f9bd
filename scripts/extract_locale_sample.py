#!/usr/bin/env python3
"""Extract a sample of translated messages per language from the gettext
catalogues under /usr/share/locale into testdata/locale/<lang>.txt.

Used by tests/latin_locale.rs: clean text in ~190 languages that the latin
mojibake repair must leave unchanged. Deterministic: messages are sorted and
every k-th is taken, up to PER_LANG per language; newlines inside a message
become spaces, so the files hold one message per line.

    python3 scripts/extract_locale_sample.py [/usr/share/locale] [testdata/locale]
"""
import glob
import os
import struct
import sys

PER_LANG = 80


def read_mo(path):
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 28:
        return []
    magic = struct.unpack("<I", data[:4])[0]
    if magic == 0x950412DE:
        end = "<"
    elif magic == 0xDE120495:
        end = ">"
    else:
        return []
    _, n, _, t = struct.unpack(end + "4I", data[4:20])
    out = []
    for i in range(n):
        ln, off = struct.unpack(end + "2I", data[t + 8 * i:t + 8 * i + 8])
        raw = data[off:off + ln]
        for part in raw.split(b"\0"):
            try:
                s = part.decode("utf-8")
            except UnicodeDecodeError:
                continue
            if s and not s.isascii() and "Content-Type:" not in s:
                out.append(s.replace("\r", " ").replace("\n", " "))
    return out


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/locale"
    dest = sys.argv[2] if len(sys.argv) > 2 else "testdata/locale"
    os.makedirs(dest, exist_ok=True)
    for lang in sorted(os.listdir(root)):
        msgs = set()
        for mo in sorted(glob.glob(os.path.join(root, lang, "LC_MESSAGES", "*.mo"))):
            msgs.update(read_mo(mo))
        if not msgs:
            continue
        msgs = sorted(msgs)
        step = max(1, len(msgs) // PER_LANG)
        sample = msgs[::step][:PER_LANG]
        with open(os.path.join(dest, lang.replace("@", "_at_") + ".txt"), "w", encoding="utf-8") as f:
            f.write("\n".join(sample) + "\n")


main()
