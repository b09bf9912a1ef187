#!/usr/bin/env python3
"""stemma.spark in local[2] mode must report what `stemma analyze` reports.

Generates a corpus with `stemma-bench gen` (BBC originals and their
verbatim, spun, excerpt and paraphrase derivatives, from ../shared/data),
runs `target/release/stemma analyze DIR --format json` and
`stemma.spark.run` on it, and asserts that documents, stories, relations,
unseen sources and independent links are identical. Also checks the
large-star/small-star components against the union-find ones, and prints
the local-mode throughput. Run through tests/spark/run.sh.
"""
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WORK = ROOT / "target" / "spark" / "work"


def generate(n: int) -> Path:
    corpus = WORK / f"c{n}"
    if not (corpus / "docs.jsonl").exists():
        shutil.rmtree(corpus, ignore_errors=True)
        subprocess.run(
            [str(ROOT / "target/release/stemma-bench"), "gen", "--n", str(n), "--seed", "7",
             "--out", str(corpus)],
            check=True,
            cwd=ROOT,
        )
    return corpus


def analyze(corpus: Path) -> tuple:
    t = time.time()
    cli = ROOT / "target/release/stemma"
    if not cli.exists():
        # Only when the binary cannot be built: the same single-machine
        # pipeline in-process (read_paths, extract_corpus, analyze).
        print("WARNING: target/release/stemma missing; reference is the in-process "
              "single-machine pipeline (stemma._native.analyze_paths)")
        from stemma import _native

        return json.loads(_native.analyze_paths([str(corpus)])), time.time() - t
    out = subprocess.run(
        [str(ROOT / "target/release/stemma"), "analyze", str(corpus), "--format", "json",
         "--quiet"],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    return json.loads(out.stdout), time.time() - t


def first_difference(a, b, path="report"):
    """A readable pointer to where two JSON values differ."""
    if type(a) is not type(b):
        return f"{path}: {type(a).__name__} vs {type(b).__name__}"
    if isinstance(a, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                return f"{path}.{k}: present on one side only"
            d = first_difference(a[k], b[k], f"{path}.{k}")
            if d:
                return d
        return None
    if isinstance(a, list):
        for i, (x, y) in enumerate(zip(a, b)):
            d = first_difference(x, y, f"{path}[{i}]")
            if d:
                return d
        if len(a) != len(b):
            return f"{path}: {len(a)} vs {len(b)} items"
        return None
    return None if a == b else f"{path}: {a!r} vs {b!r}"


def main() -> int:
    n = int(os.environ.get("STEMMA_SPARK_DOCS", "20000"))
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    # The wheel is built without the embedding model: compare like with like.
    # (Set before Spark starts, so that its Python workers inherit it.)
    os.environ["STEMMA_EMBED"] = "off"
    corpus = generate(n)
    want, t_analyze = analyze(corpus)
    print(f"stemma analyze: {len(want['documents'])} documents, {len(want['stories'])} stories, "
          f"{len(want['relations'])} relations in {t_analyze:.1f} s")

    from pyspark.sql import SparkSession

    from stemma import spark as sspark

    spark = (
        SparkSession.builder.master("local[2]")
        .appName("stemma-equality")
        .config("spark.driver.memory", "3g")
        .config("spark.sql.shuffle.partitions", "8")
        .config("spark.default.parallelism", "4")
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "2000")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.warehouse.dir", str(WORK / "warehouse"))
        .config("spark.local.dir", str(WORK / "tmp"))
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    out = WORK / "out"
    opts = sspark.Options(partitions=8)
    t = time.time()
    got = sspark.run(spark, [str(corpus)], str(out), opts)
    t_spark = time.time() - t
    print(f"stemma.spark local[2]: {opts.timings}")
    print(f"throughput: {n / t_spark:.0f} documents/s in local[2] "
          f"({t_spark:.1f} s; stemma analyze {t_analyze:.1f} s)")

    failures = []
    for part in ["documents", "stories", "relations", "unseen_sources", "independent"]:
        d = first_difference(want.get(part), got.get(part), part)
        if d:
            failures.append(d)
    if not want["relations"]:
        failures.append("the generated corpus gave no relations: nothing was compared")

    # Parquet outputs read back.
    docs = spark.read.parquet(str(out / "documents"))
    rels = spark.read.parquet(str(out / "relations"))
    stories = spark.read.parquet(str(out / "stories"))
    if docs.count() != len(want["documents"]):
        failures.append("documents.parquet row count")
    if rels.count() != len(want["relations"]):
        failures.append("relations.parquet row count")
    if stories.count() != len(want["stories"]):
        failures.append("stories.parquet row count")

    # Components: the DataFrame path (forced by a zero driver limit) must
    # agree with union-find on the driver, on the run's derivation edges.
    from pyspark.sql import functions as F

    cmp = spark.read.parquet(str(out / "comparisons")).filter(
        F.col("kind").isin(sspark.DERIVATIONS)
    )
    keys = docs.select("id", "doc_key")
    edges = (
        cmp.join(keys.toDF("a", "src"), "a").join(keys.toDF("b", "dst"), "b").select("src", "dst")
    )
    edges = edges.limit(4000).persist()
    t = time.time()
    by_driver = sspark.components(spark, edges, sspark.Options())
    by_frames = sspark.components(
        spark, edges, sspark.Options(driver_components=0, checkpoint_dir=str(WORK / "ckpt"))
    )
    a = sorted(tuple(r) for r in by_driver.collect())
    b = sorted(tuple(r) for r in by_frames.collect())
    print(f"components: {len(a)} nodes, {len(set(c for _, c in a))} components; "
          f"star path {time.time() - t:.1f} s")
    if a != b or not a:
        failures.append("large-star/small-star components differ from union-find")

    spark.stop()
    if failures:
        print("FAIL:\n  " + "\n  ".join(failures))
        return 1
    print(f"OK: stemma.spark equals stemma analyze on {n} documents "
          f"({len(want['stories'])} stories, {len(want['relations'])} relations)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
