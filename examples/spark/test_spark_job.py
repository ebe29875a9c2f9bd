"""The Spark example on small data: PySpark local mode, both modes, output
equal to `fixtext --jsonl` on the same records.

Needs pyspark (pip install pyspark), Java 17 and the fixtext binary
($FIXTEXT_BIN or target/release/fixtext); the python mode needs the fixtext
package (pip install ./python)."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / "testdata" / "seeds" / "cases"
JOB = Path(__file__).resolve().parent / "fix_jsonl_spark.py"

pytest.importorskip("pyspark")
if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
    pytest.skip("no Java runtime for Spark", allow_module_level=True)


def cli_bin():
    path = Path(os.environ.get("FIXTEXT_BIN", REPO / "target" / "release" / "fixtext"))
    if not path.exists():
        pytest.skip(f"no fixtext binary at {path} (cargo build --release)")
    return str(path)


def corpus(path):
    """Seed pages as records, repeated, with nested fields and bad lines."""
    pages = [p.read_text("utf-8") for p in sorted(SEEDS.iterdir())]
    lines = []
    for i in range(60):
        page = pages[i % len(pages)]
        rec = {"id": i, "text": page[: 200 + 37 * i], "meta": {"title": page[:40], "n": 1.5}}
        lines.append(json.dumps(rec, ensure_ascii=i % 2 == 0))
        if i % 17 == 3:
            lines.append('{"text": "broken"')
        if i % 13 == 5:
            lines.append('{"text": 42, "meta": {"title": "Ã©tÃ©"}}')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def spark_output(out_dir):
    parts = sorted(out_dir.glob("part-*"))
    assert parts, "no part files"
    return b"".join(p.read_bytes() for p in parts)


@pytest.mark.parametrize("mode", ["python", "pipe"])
def test_spark_job_equals_cli(tmp_path, mode):
    binary = cli_bin()
    if mode == "python":
        pytest.importorskip("fixtext")
    src = tmp_path / "in.jsonl"
    corpus(src)
    cli = subprocess.run(
        [binary, "--jsonl", str(src), "--field", "text", "--field", "meta.title"],
        capture_output=True,
        check=True,
    ).stdout
    out = tmp_path / "out"
    subprocess.run(
        [sys.executable, str(JOB), str(src), str(out), "--field", "text", "--field", "meta.title",
         "--mode", mode, "--bin", binary, "--master", "local[2]"],
        check=True,
        timeout=600,
    )
    assert spark_output(out) == cli
    assert cli != src.read_bytes()
