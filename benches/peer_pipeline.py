#!/usr/bin/env python3
"""The peer pipeline fixtext is compared with: what a user would assemble
today from the best-known Python libraries, run on every core.

    charset-normalizer (detect + decode) -> ftfy.fix_text -> OpenCC('t2s')

Written for this repository (the same three steps as the evaluation suite's
peer script): `pip install charset-normalizer ftfy opencc==1.4.2`.

usage: peer_pipeline.py IN_DIR OUT_DIR [-j N]
"""
import argparse
import os
import pathlib
from concurrent.futures import ProcessPoolExecutor

_cc = None


def one(job):
    src, dst = job
    global _cc
    if _cc is None:
        import opencc

        _cc = opencc.OpenCC("t2s")
    import ftfy
    from charset_normalizer import from_bytes

    data = pathlib.Path(src).read_bytes()
    best = from_bytes(data).best()
    text = str(best) if best is not None else data.decode("utf-8", errors="replace")
    text = _cc.convert(ftfy.fix_text(text))
    pathlib.Path(dst).write_text(text, encoding="utf-8")
    return len(data)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("inp")
    ap.add_argument("out")
    ap.add_argument("-j", type=int, default=os.cpu_count() or 1)
    a = ap.parse_args()
    inp, out = pathlib.Path(a.inp), pathlib.Path(a.out)
    jobs = []
    for p in sorted(inp.rglob("*")):
        if p.is_file():
            dst = out / p.relative_to(inp)
            dst.parent.mkdir(parents=True, exist_ok=True)
            jobs.append((str(p), str(dst)))
    with ProcessPoolExecutor(a.j) as ex:
        total = sum(ex.map(one, jobs, chunksize=4))
    print(total)


if __name__ == "__main__":
    main()
