"""Clean a JSON Lines corpus with fixtext inside Spark.

    python examples/spark/fix_jsonl_spark.py INPUT OUTPUT [--field text]...
        [--mode python|pipe] [--bin target/release/fixtext] [--master local[2]]

INPUT is a JSONL file or directory (anything `SparkContext.textFile` reads:
local paths, hdfs://, s3a://, globs); OUTPUT is a directory of part files
(`saveAsTextFile`), whose concatenation in name order is the cleaned corpus
in input order.

Two ways to run fixtext on the executors, same output byte for byte as
`fixtext --jsonl` on the same records:

* ``--mode python`` (default): `mapPartitions` with the `fixtext` Python
  package (`pip install ./python` on every executor, or ship the wheel with
  `--py-files`/an environment archive). Lines go to Rust in batches; the GIL
  is released while they are fixed, on every core of the executor.
* ``--mode pipe``: `RDD.pipe` through the `fixtext` binary (`fixtext --jsonl -`),
  shipped to the executors with `SparkContext.addFile`; nothing to install in
  the executors' Python.

Only the named fields' strings are rewritten; a record that is not JSON or a
field that is not a string is passed through unchanged (and, in pipe mode,
reported on the executor's stderr).
"""

import argparse
import os
import sys

BATCH = 2000


def fix_partition(lines, fields):
    """mapPartitions body: fix lines in batches with the Python package."""
    import fixtext  # imported on the executor

    batch = []
    for line in lines:
        batch.append(line)
        if len(batch) >= BATCH:
            yield from fixtext.fix_jsonl(batch, fields=fields)
            batch = []
    if batch:
        yield from fixtext.fix_jsonl(batch, fields=fields)


def run(sc, src, dst, fields, mode="python", binary=None):
    rdd = sc.textFile(src)
    if mode == "python":
        out = rdd.mapPartitions(lambda it: fix_partition(it, fields))
    elif mode == "pipe":
        from pyspark import SparkFiles

        sc.addFile(os.path.abspath(binary))
        name = os.path.basename(binary)
        args = " ".join(f"--field {f}" for f in fields)
        # SparkFiles.get resolves on the driver; executors find the shipped
        # file in their working directory under the same name.
        exe = SparkFiles.get(name) if sc.master.startswith("local") else f"./{name}"
        out = rdd.pipe(f"{exe} --jsonl - -q {args}", env={"LC_ALL": "C.UTF-8"})
    else:
        raise ValueError(f"unknown mode {mode!r}")
    out.saveAsTextFile(dst)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("input")
    ap.add_argument("output")
    ap.add_argument("--field", action="append", help="dotted path, repeatable (default: text)")
    ap.add_argument("--mode", choices=["python", "pipe"], default="python")
    ap.add_argument("--bin", default="target/release/fixtext", help="fixtext binary for --mode pipe")
    ap.add_argument("--master", default=None, help="Spark master (default: spark-submit's, else local[*])")
    a = ap.parse_args(argv)

    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("fixtext-jsonl")
    if a.master or "SPARK_HOME" not in os.environ and not os.environ.get("PYSPARK_SUBMIT_ARGS"):
        builder = builder.master(a.master or "local[*]")
    # Executors (python workers) run the same interpreter as the driver.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    spark = builder.config("spark.ui.enabled", "false").getOrCreate()
    spark.sparkContext.setLogLevel("WARN")
    try:
        run(spark.sparkContext, a.input, a.output, a.field or ["text"], a.mode, a.bin)
    finally:
        spark.stop()


if __name__ == "__main__":
    main()
