"""fixtext: turn broken text into clean UTF-8.

>>> import fixtext
>>> fixtext.fix_text("這是危機,也是大考!")
'这是危机，也是大考！'

Functions (all release the GIL while they work):

* ``fix_text(text, **options) -> str`` — fix decoded text;
* ``fix_bytes(data, encoding=None, **options) -> str`` — detect, decode, fix
  (what the ``fixtext`` command does with a file);
* ``detect(data) -> (encoding, confidence)``;
* ``explain(text, **options) -> list[dict]`` — every fix applied;
* ``fix_jsonl(lines, fields=("text",), strict=False, **options) -> list[str]``
  — JSON Lines records, byte-identical to ``fixtext --jsonl``.

Options: ``to`` ("simplified", "traditional", "keep"), ``punct`` ("cjk",
"keep"), and the repairs ``mojibake``, ``html``, ``stray_commas``,
``pinyin``, ``slips`` (booleans, all on by default).
"""

from ._fixtext import __version__, detect, explain, fix_bytes, fix_jsonl, fix_text

__all__ = ["fix_text", "fix_bytes", "detect", "explain", "fix_jsonl", "__version__"]
