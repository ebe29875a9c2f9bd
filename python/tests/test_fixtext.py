"""Tests of the fixtext Python package: the functions, their options, and
agreement with the `fixtext` command on real pages.

The CLI is taken from $FIXTEXT_BIN, else <repo>/target/release/fixtext
(built by `cargo build --release` / `cargo test --release`)."""

import json
import os
import subprocess
import threading
from pathlib import Path

import pytest

import fixtext

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / "testdata" / "seeds" / "cases"
PUBLIC = REPO.parent / "shared" / "eval" / "public" / "cases"


def cli_bin():
    path = Path(os.environ.get("FIXTEXT_BIN", REPO / "target" / "release" / "fixtext"))
    if not path.exists():
        pytest.skip(f"no fixtext binary at {path} (cargo build --release)")
    return str(path)


def cli_tree(src, tmp_path):
    """The CLI's output for every file under src, by file name."""
    out = tmp_path / "cli-out"
    subprocess.run([cli_bin(), str(src), "-o", str(out), "-q"], check=False)
    return {p.name: p.read_bytes().decode("utf-8") for p in out.iterdir()}


def test_fix_text_default_pipeline():
    assert fixtext.fix_text("這是危機,也是大考!") == "这是危机，也是大考！"
    assert fixtext.fix_text("Ã©tÃ©") == "été"
    assert fixtext.fix_text("城關(guān)鎮(zhèn)") == "城关镇"
    assert fixtext.fix_text("") == ""
    assert fixtext.fix_text("plain ascii, unchanged!") == "plain ascii, unchanged!"


def test_fix_text_options():
    assert fixtext.fix_text("這是危機,也是大考!", to="keep") == "這是危機，也是大考！"
    assert fixtext.fix_text("这是危机,也是大考!", to="traditional", punct="keep") == "這是危機,也是大考!"
    assert fixtext.fix_text("Ã©tÃ©", mojibake=False) == "Ã©tÃ©"
    with pytest.raises(ValueError):
        fixtext.fix_text("x", to="klingon")
    with pytest.raises(ValueError):
        fixtext.fix_text("x", punct="wide")
    with pytest.raises(TypeError):
        fixtext.fix_text(b"bytes are not text")


def test_fix_bytes_and_detect():
    gbk = "中文,世界".encode("gbk")
    assert fixtext.detect(gbk) == ("gbk", 0.8)
    assert fixtext.fix_bytes(gbk) == "中文，世界"
    assert fixtext.fix_bytes("中文,世界".encode("big5"), encoding="big5") == "中文，世界"
    assert fixtext.fix_bytes(b"\xef\xbb\xbfhello") == "hello"
    assert fixtext.detect(b"hello") [0] == "utf-8"
    with pytest.raises(ValueError):
        fixtext.fix_bytes(b"x", encoding="no-such-label")
    with pytest.raises(ValueError):
        fixtext.detect(bytes(range(256)) * 64)


def test_explain_lists_every_fix():
    fixes = fixtext.explain("這是危機,也是大考!")
    assert fixes, "fixes expected"
    assert all(set(f) == {"kind", "start", "end", "before", "after", "note"} for f in fixes)
    kinds = {f["kind"] for f in fixes}
    assert "convert:t2s" in kinds
    assert any(f["before"] == "," and f["after"] == "，" for f in fixes)
    assert fixtext.explain("nothing to do") == []


def test_fix_jsonl_keeps_other_bytes_and_passes_problems():
    lines = [
        '{"id": 1,  "text": "Ã©", "x": 1.50}',
        'not json',
        '{"text": 5}',
        '{"meta": {"title": "這是危機"}}',
    ]
    assert fixtext.fix_jsonl(lines) == ['{"id": 1,  "text": "é", "x": 1.50}'] + lines[1:]
    assert fixtext.fix_jsonl(lines[3:], fields=["meta.title"]) == ['{"meta": {"title": "这是危机"}}']
    with pytest.raises(ValueError, match="line 2"):
        fixtext.fix_jsonl(lines, strict=True)


def test_fix_jsonl_equals_cli(tmp_path):
    records = []
    for i, p in enumerate(sorted(SEEDS.iterdir())):
        records.append(json.dumps({"id": i, "text": p.read_text("utf-8"), "src": p.name}, ensure_ascii=False))
    records.append('{"text": "broken"')
    data = "\n".join(records) + "\n"
    cli = subprocess.run([cli_bin(), "--jsonl", "-"], input=data.encode(), capture_output=True, check=True)
    assert "\n".join(fixtext.fix_jsonl(records)) + "\n" == cli.stdout.decode("utf-8")


def test_fix_text_and_fix_bytes_agree_with_cli_on_seed_pages(tmp_path):
    cli = cli_tree(SEEDS, tmp_path)
    assert len(cli) == 5
    for p in sorted(SEEDS.iterdir()):
        data = p.read_bytes()
        assert fixtext.fix_bytes(data) == cli[p.name], p.name
        assert fixtext.fix_text(data.decode("utf-8")) == cli[p.name], p.name


@pytest.mark.skipif(not PUBLIC.is_dir(), reason="shared/eval/public not beside the repository")
def test_agrees_with_cli_on_every_public_case(tmp_path):
    cli = cli_tree(PUBLIC, tmp_path)
    cases = sorted(PUBLIC.iterdir())
    assert len(cli) == len(cases)
    for p in cases:
        data = p.read_bytes()
        assert fixtext.fix_bytes(data) == cli[p.name], p.name
        # fix_text on the text as the CLI decoded it: the UTF-8 cases.
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            continue
        assert fixtext.fix_text(text) == cli[p.name], p.name


def test_threads_give_the_same_results():
    pages = [p.read_text("utf-8") for p in sorted(SEEDS.iterdir())]
    expected = [fixtext.fix_text(t) for t in pages]
    results = {}

    def work(k):
        results[k] = [fixtext.fix_text(t) for t in pages * 3]

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for k in range(4):
        assert results[k] == expected * 3
