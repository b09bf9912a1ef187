"""Stemma on Apache Spark: the Rust core of ``stemma analyze``, distributed.

:func:`run` wires a full run::

    files / Parquet / JSONL
      -> mapInArrow(read)                      raw documents, in reading order
      -> mapInArrow(line keys) + groupBy       corpus boilerplate votes (exact)
      -> mapInArrow(extract + signatures)      articles, MinHash, band keys
      -> groupBy band / exact keys             capped posting lists, hot keys salted
      -> join MinHash, filter Jaccard          LSH candidates
      -> mapInArrow(sketch)                    key-term candidates (per-worker index)
      -> join texts -> mapInArrow(verify)      comparisons
      -> components                            union-find on the driver, or
                                               large-star/small-star DataFrames
      -> report                                derivation rules + stories
      -> Parquet: documents, stories, relations, unseen_sources, comparisons

Every step computes what the single-machine pipeline computes, so that the
stories and relations equal those of ``stemma analyze`` on the same input
(``tests/spark/test_equality.py`` checks it). Documents are ordered by their
reading order (``ord``: file number << 32 | record number), which decides the
capped posting lists exactly as the single-machine index does, and keyed by
``doc_key`` (xxh3 of the document id), stable across reruns.

Two steps run on the driver, each under a size limit (see :class:`Options`):
the final report (``stemma_pipeline::report_from``: the derivation rules
and the story clustering, whose TF-IDF statistics and average-link merges
span the corpus) and the sketch index (the corpus' key terms, about 1 KB a
document, broadcast to the workers).
"""
from __future__ import annotations

import json
import os
import struct
import time
import uuid
from dataclasses import dataclass, field
from typing import Iterable, Optional

import pyarrow as pa
from pyspark import StorageLevel
from pyspark.sql import DataFrame, SparkSession, Window
from pyspark.sql import functions as F

from . import batches as B

RAW_SCHEMA = (
    "ord long, id string, url string, published string, origin string, "
    "html boolean, body string"
)
LINE_SCHEMA = "ord long, key long, prose boolean"
ARTICLE_COLUMNS = [
    "id",
    "title",
    "text",
    "boilerplate_chars",
    "published",
    "author",
    "url",
    "canonical_url",
    "cited",
]
ARTICLE_SCHEMA = (
    "ord long, doc_key long, id string, title string, text string, "
    "boilerplate_chars long, published string, author string, url string, "
    "canonical_url string, cited array<string>, exact long, minhash array<int>, "
    "terms array<long>, bands array<long>"
)
PAIR_SCHEMA = "i long, j long"
COMPARISON_SCHEMA = (
    "i long, j long, kind string, direction string, confidence float, comparison string"
)
DERIVATIONS = ["verbatim", "excerpt", "spun", "paraphrase", "summary"]


@dataclass
class Options:
    """Settings of a run. The defaults suit a cluster; tests shrink the limits."""

    #: Input reader: ``files`` (txt, html, JSONL, WARC under local or mounted
    #: paths, read by Rust in ``stemma analyze``'s order), ``parquet`` or
    #: ``jsonl`` (read by Spark from any filesystem it knows: columns ``id``,
    #: ``text`` or ``html``, optional ``url``, ``published``).
    input_format: str = "files"
    #: Partitions of the document and pair DataFrames (default: 4 per core).
    partitions: Optional[int] = None
    #: Members above which a band or exact key counts as hot and is salted.
    hot_key: int = 20_000
    #: Salts a hot key's members are spread over.
    salts: int = 16
    #: Derivation edges up to which components run by union-find on the driver;
    #: above it, large-star/small-star over DataFrames.
    driver_components: int = 20_000_000
    #: Documents up to which the final report runs on the driver.
    driver_report: int = 5_000_000
    #: Checkpoint folder for the iterative components (local checkpoints when None).
    checkpoint_dir: Optional[str] = None
    #: Also write the comparisons (all verified pairs) as Parquet.
    write_comparisons: bool = True
    #: Stage timings, filled in by :func:`run`.
    timings: dict = field(default_factory=dict)


def _arrow_fn(fn, schema: pa.Schema):
    """A ``mapInArrow`` function: each batch through ``fn`` (batch -> table),
    cast to the declared schema."""

    def run(batches):
        for batch in batches:
            if batch.num_rows == 0:
                continue
            out = fn(batch)
            if out.num_rows == 0:
                continue
            for b in out.cast(schema).to_batches():
                yield b

    return run


def _arrow_schema(spark: SparkSession, ddl: str) -> pa.Schema:
    from pyspark.sql.pandas.types import to_arrow_schema

    struct_type = spark.createDataFrame([], ddl).schema
    return to_arrow_schema(struct_type)


def _map(spark: SparkSession, df: DataFrame, fn, ddl: str) -> DataFrame:
    return df.mapInArrow(_arrow_fn(fn, _arrow_schema(spark, ddl)), ddl)


def _f32(x: float) -> float:
    return struct.unpack("f", struct.pack("f", x))[0]


def min_same(length: int, min_jaccard: float) -> int:
    """Fewest agreeing MinHash positions (of ``length``) whose f32 share
    reaches ``min_jaccard``, as ``Signature::jaccard`` computes it."""
    t = _f32(min_jaccard)
    for s in range(length + 1):
        if _f32(_f32(float(s)) / _f32(float(length))) >= t:
            return s
    return length + 1


def read_raw(spark: SparkSession, paths: Iterable[str], opts: Options) -> DataFrame:
    """Raw documents (``RAW_SCHEMA``) of the inputs, duplicate ids dropped
    (the first in reading order is kept, as ``stemma analyze`` does)."""
    paths = [str(p) for p in paths]
    parts = opts.partitions or spark.sparkContext.defaultParallelism * 4
    if opts.input_format == "files":
        files = B.list_files(paths)
        if not files:
            raise ValueError(f"no input files under {paths}")
        listing = spark.createDataFrame(
            [(p, k) for k, p in enumerate(files)], "path string, file_ord long"
        ).repartition(min(len(files), parts))
        raw = _map(spark, listing, B.read_files, RAW_SCHEMA)
    elif opts.input_format in ("parquet", "jsonl"):
        reader = spark.read.parquet if opts.input_format == "parquet" else spark.read.json
        df = reader(*paths)
        cols = set(df.columns)
        html = F.col("html") if "html" in cols else F.lit(None).cast("string")
        text = F.col("text") if "text" in cols else F.lit(None).cast("string")
        opt = lambda c: F.col(c).cast("string") if c in cols else F.lit(None).cast("string")  # noqa: E731
        raw = df.select(
            F.monotonically_increasing_id().alias("ord"),
            F.col("id").cast("string").alias("id"),
            opt("url").alias("url"),
            opt("published").alias("published"),
            F.input_file_name().alias("origin"),
            html.isNotNull().alias("html"),
            F.coalesce(html, text).alias("body"),
        ).filter(F.col("body").isNotNull() & (F.length("body") > 0))
    else:
        raise ValueError(f"unknown input_format {opts.input_format!r}")
    first = raw.groupBy("id").agg(F.min("ord").alias("ord"))
    return raw.join(first, ["id", "ord"], "left_semi").repartition(parts)


def recurrence_votes(lines: DataFrame, holders: int) -> DataFrame:
    """Per document, the corpus votes on its recurring lines (``d``, ``votes``):
    for each line key held by two or more plain-text documents, how many of
    the key's first ``holders`` documents (other than this one) share little
    (``unrelated``) or much (``related``) of its prose lines; exactly what
    ``stemma_extract::extract_corpus`` looks at."""
    prose = lines.filter("prose").groupBy("ord").agg(F.collect_set("key").alias("prose"))
    df = lines.groupBy("key").agg(F.count("*").alias("df")).filter("df >= 2")
    rec = lines.join(df.select("key"), "key")
    w = Window.partitionBy("key").orderBy("h")
    first = (
        rec.select("key", F.col("ord").alias("h"))
        .withColumn("rn", F.row_number().over(w))
        .filter(F.col("rn") <= holders)
        .drop("rn")
    )
    pairs = rec.select(F.col("ord").alias("d"), "key").join(first, "key").filter("h != d")
    pd_ = prose.select(F.col("ord").alias("d"), F.col("prose").alias("pd"))
    ph = prose.select(F.col("ord").alias("h"), F.col("prose").alias("ph"))
    x = pairs.join(pd_, "d", "left").join(ph, "h", "left")
    empty = F.array().cast("array<long>")
    pdc, phc = F.coalesce("pd", empty), F.coalesce("ph", empty)
    shared = F.size(F.array_intersect(pdc, phc))
    smaller = F.least(F.size(pdc), F.size(phc))
    related = (smaller > 0) & (shared * 5 >= smaller)
    return (
        x.groupBy("d", "key")
        .agg(
            F.sum(F.when(related, 0).otherwise(1)).alias("unrelated"),
            F.sum(F.when(related, 1).otherwise(0)).alias("related"),
        )
        .groupBy("d")
        .agg(F.collect_list(F.struct("key", "unrelated", "related")).alias("votes"))
    )


def _posting_pairs(keyed: DataFrame, limit: int, opts: Options) -> DataFrame:
    """Pairs ``(i, j)``, ``i < j``, of one key family: every member of a key
    with each of the key's first ``limit`` members (a capped posting list, as
    the single-machine index keeps). Hot keys are salted so that no task
    holds all their members."""
    w = Window.partitionBy("key").orderBy("idx")
    post = (
        keyed.withColumn("rn", F.row_number().over(w))
        .filter(F.col("rn") <= limit)
        .select("key", F.col("idx").alias("p"))
    )
    hot = (
        keyed.groupBy("key")
        .count()
        .filter(F.col("count") > opts.hot_key)
        .select("key", F.lit(True).alias("hot"))
    )
    hot = F.broadcast(hot)
    members = keyed.join(hot, "key", "left").withColumn(
        "salt", F.when(F.col("hot"), F.col("idx") % opts.salts).otherwise(F.lit(0))
    )
    post = post.join(hot, "key", "left").withColumn(
        "salt",
        F.explode(
            F.when(F.col("hot"), F.sequence(F.lit(0), F.lit(opts.salts - 1))).otherwise(
                F.array(F.lit(0))
            )
        ),
    )
    return (
        members.join(post.drop("hot"), ["key", "salt"])
        .filter(F.col("idx") != F.col("p"))
        .select(F.least("idx", "p").alias("i"), F.greatest("idx", "p").alias("j"))
        .distinct()
    )


def candidates(spark: SparkSession, arts: DataFrame, opts: Options) -> DataFrame:
    """Candidate pairs ``(i, j)`` of ``stemma_index::candidates_with`` (default
    settings): exact-hash groups, MinHash-LSH band collisions with enough
    estimated Jaccard, and key-term sketch matches."""
    cfg = B.index_config()
    cap = max(int(cfg["max_bucket"]), 2)
    exact = _posting_pairs(
        arts.filter(F.col("exact") != 0).select("idx", F.col("exact").alias("key")),
        cap * 8,
        opts,
    )
    bands = _posting_pairs(
        arts.select("idx", F.explode("bands").alias("key")).distinct(), cap, opts
    )
    length = int(cfg["bands"]) * int(cfg["rows"])
    need = min_same(length, float(cfg["min_jaccard"]))
    mh = arts.select("idx", "minhash")
    same = F.aggregate(
        F.zip_with("mi", "mj", lambda x, y: F.when(x == y, 1).otherwise(0)),
        F.lit(0),
        lambda acc, x: acc + x,
    )
    bands = (
        bands.join(mh.toDF("i", "mi"), "i")
        .join(mh.toDF("j", "mj"), "j")
        .filter((F.size("mi") == length) & (F.size("mj") == length) & (same >= need))
        .select("i", "j")
    )
    # Key-term sketch: IDF-weighted, top matches per document; the corpus'
    # terms are broadcast and indexed once per Python worker.
    terms = arts.select("idx", "terms")
    index = spark.sparkContext.broadcast(B.to_ipc(terms.toArrow()))
    key = uuid.uuid4().hex

    def sketch(batch):
        return B.sketch_pairs(batch, index.value, key)

    sk = _map(spark, terms, sketch, PAIR_SCHEMA)
    return exact.union(bands).union(sk).distinct()


def verify(spark: SparkSession, arts: DataFrame, pairs: DataFrame, opts: Options) -> DataFrame:
    """Comparisons of the candidate pairs (``COMPARISON_SCHEMA``)."""
    parts = opts.partitions or spark.sparkContext.defaultParallelism * 4
    a = arts.select(F.col("idx").alias("i"), *[F.col(c).alias("a_" + c) for c in ARTICLE_COLUMNS])
    b = arts.select(F.col("idx").alias("j"), *[F.col(c).alias("b_" + c) for c in ARTICLE_COLUMNS])
    joined = pairs.join(a, "i").join(b, "j").repartition(parts)
    return _map(spark, joined, B.verify, COMPARISON_SCHEMA)


def star_components(
    spark: SparkSession, edges: DataFrame, checkpoint: bool = True, max_rounds: int = 64
) -> DataFrame:
    """Connected components of ``src``, ``dst`` edges by alternating
    large-star and small-star rounds (Kiveris et al., "Connected Components
    in MapReduce and Beyond", 2014) over DataFrames, checkpointed each round.
    Returns ``node``, ``component`` (the smallest node id of its component)
    for every node on an edge."""
    e = (
        edges.select(F.least("src", "dst").alias("u"), F.greatest("src", "dst").alias("v"))
        .filter("u != v")
        .distinct()
    )

    def cut(df: DataFrame) -> DataFrame:
        if checkpoint and spark.sparkContext.getCheckpointDir():
            return df.checkpoint(eager=True)
        return df.localCheckpoint(eager=True)

    def norm(df: DataFrame) -> DataFrame:
        return (
            df.select(F.least("a", "b").alias("u"), F.greatest("a", "b").alias("v"))
            .filter("u != v")
            .distinct()
        )

    e = cut(e)
    for _ in range(max_rounds):
        # Large star: each node's larger neighbours join the smallest node of
        # its neighbourhood (itself included).
        both = e.select("u", "v").union(e.select(F.col("v").alias("u"), F.col("u").alias("v")))
        m = both.groupBy("u").agg(F.min("v").alias("m"))
        large = norm(
            both.join(m, "u")
            .filter(F.col("v") > F.col("u"))
            .select(F.col("v").alias("a"), F.least("m", "u").alias("b"))
        )
        # Small star: each node and its smaller neighbours join the smallest
        # of them.
        sm = large.groupBy("v").agg(F.min("u").alias("m"))
        small = norm(
            large.join(sm, "v")
            .select(F.col("u").alias("a"), F.col("m").alias("b"))
            .union(sm.select(F.col("v").alias("a"), F.col("m").alias("b")))
        )
        small = cut(small)
        changed = small.exceptAll(e).count() + e.exceptAll(small).count()
        e = small
        if changed == 0:
            break
    else:
        raise RuntimeError(f"components did not converge in {max_rounds} rounds")
    roots = e.select(F.col("u").alias("node"), F.col("u").alias("component")).distinct()
    return e.select(F.col("v").alias("node"), F.col("u").alias("component")).union(roots)


def components(spark: SparkSession, edges: DataFrame, opts: Options) -> DataFrame:
    """``node``, ``component`` of the derivation graph: union-find in Rust on
    the driver up to ``opts.driver_components`` edges, large-star/small-star
    DataFrames above."""
    edges = edges.persist(StorageLevel.MEMORY_AND_DISK)
    n = edges.count()
    if n <= opts.driver_components:
        table = B.components(edges.toArrow()) if n else None
        out = (
            spark.createDataFrame(table.to_pylist(), "node long, component long")
            if table is not None
            else spark.createDataFrame([], "node long, component long")
        )
    else:
        if opts.checkpoint_dir:
            spark.sparkContext.setCheckpointDir(opts.checkpoint_dir)
        out = star_components(spark, edges)
    edges.unpersist()
    return out


def run(
    spark: SparkSession,
    inputs: Iterable[str],
    out_dir: Optional[str],
    opts: Optional[Options] = None,
) -> dict:
    """Runs the whole analysis; writes Parquet under ``out_dir`` (when given)
    and returns the report (the contract's JSON shape, as a dict)."""
    opts = opts or Options()
    t0 = time.time()
    mark = {"t": t0}

    def lap(name: str) -> None:
        now = time.time()
        opts.timings[name] = round(now - mark["t"], 2)
        mark["t"] = now

    keep = StorageLevel.MEMORY_AND_DISK
    raw = read_raw(spark, inputs, opts).persist(keep)
    n_raw = raw.count()
    lap("read")

    from . import _native

    lines = _map(spark, raw, B.line_keys, LINE_SCHEMA).persist(keep)
    votes = recurrence_votes(lines, int(_native.RECURRENCE_HOLDERS))
    voted = raw.join(votes.withColumnRenamed("d", "ord"), "ord", "left")
    extracted = _map(spark, voted, B.extract, ARTICLE_SCHEMA).persist(keep)
    extracted.count()
    # Dense document numbers in reading order (the single-machine indices).
    order = (
        extracted.select("ord")
        .rdd.map(lambda r: r[0])
        .sortBy(lambda x: x)
        .zipWithIndex()
        .toDF(["ord", "idx"])
    )
    arts = extracted.join(order, "ord").persist(keep)
    n = arts.count()
    extracted.unpersist()
    lines.unpersist()
    raw.unpersist()
    lap("extract")

    pairs = candidates(spark, arts, opts).persist(keep)
    n_pairs = pairs.count()
    lap("candidates")

    compared = verify(spark, arts, pairs, opts).persist(keep)
    n_compared = compared.count()
    pairs.unpersist()
    lap("verify")

    edges = compared.filter(F.col("kind").isin(DERIVATIONS)).select(
        F.col("i").alias("src"), F.col("j").alias("dst")
    )
    comp = components(spark, edges, opts)
    doc_comp = (
        arts.select("idx", "doc_key")
        .join(comp.withColumnRenamed("node", "idx"), "idx", "left")
        .select("idx", "doc_key", F.coalesce("component", "idx").alias("component"))
    )
    comp_rows = {r["idx"]: (r["doc_key"], r["component"]) for r in doc_comp.collect()}
    lap("components")

    if n > opts.driver_report:
        raise NotImplementedError(
            f"{n} documents: the report (derivation rules and story clustering) "
            f"runs on the driver up to Options.driver_report={opts.driver_report}"
        )
    art_table = arts.select("idx", *ARTICLE_COLUMNS).toArrow()
    cmp_table = compared.select("i", "j", "comparison").toArrow()
    report = B.report(art_table, cmp_table)
    lap("report")

    if out_dir:
        _write(spark, report, comp_rows, compared, arts, out_dir, opts)
        lap("write")
    compared.unpersist()
    arts.unpersist()
    opts.timings["total"] = round(time.time() - t0, 2)
    opts.timings["documents"] = n
    opts.timings["inputs_read"] = n_raw
    opts.timings["candidate_pairs"] = n_pairs
    opts.timings["compared"] = n_compared
    return report


def _write(spark, report, comp_rows, compared, arts, out_dir, opts) -> None:
    out = out_dir.rstrip("/")
    by_index = {}
    for k, d in enumerate(report["documents"]):
        key, comp = comp_rows[k]
        by_index[k] = (d, key, comp)
    docs = [
        (
            d["id"],
            key,
            d.get("title"),
            int(d["chars"]),
            int(d["boilerplate_chars"]),
            d.get("url"),
            d.get("published"),
            d.get("story"),
            int(comp),
        )
        for (d, key, comp) in by_index.values()
    ]
    spark.createDataFrame(
        docs,
        "id string, doc_key long, title string, chars long, boilerplate_chars long, "
        "url string, published string, story string, component long",
    ).write.mode("overwrite").parquet(f"{out}/documents")
    stories = [(s["id"], s.get("title"), s["documents"]) for s in report["stories"]]
    spark.createDataFrame(
        stories, "id string, title string, documents array<string>"
    ).write.mode("overwrite").parquet(f"{out}/stories")
    rels = [
        (
            r["source"],
            r["derivative"],
            r["kind"],
            float(r["confidence"]),
            json.dumps(r.get("evidence", [])),
            json.dumps(r.get("drift", [])),
        )
        for r in report["relations"]
    ]
    spark.createDataFrame(
        rels,
        "source string, derivative string, kind string, confidence double, "
        "evidence string, drift string",
    ).write.mode("overwrite").parquet(f"{out}/relations")
    unseen = [(u["id"], u["derivatives"], u.get("cited")) for u in report["unseen_sources"]]
    spark.createDataFrame(
        unseen, "id string, derivatives array<string>, cited string"
    ).write.mode("overwrite").parquet(f"{out}/unseen_sources")
    if opts.write_comparisons:
        ids = arts.select("idx", "id")
        (
            compared.join(ids.toDF("i", "a"), "i")
            .join(ids.toDF("j", "b"), "j")
            .select("a", "b", "kind", "direction", "confidence")
            .write.mode("overwrite")
            .parquet(f"{out}/comparisons")
        )


def main(argv: Optional[list] = None) -> int:
    """``python -m stemma.spark OUT INPUT...`` (``spark-submit`` entry point)."""
    import argparse

    p = argparse.ArgumentParser(prog="stemma.spark", description=__doc__.splitlines()[0])
    p.add_argument("out", help="output folder (Parquet)")
    p.add_argument("inputs", nargs="+", help="input files or folders")
    p.add_argument("--input-format", default="files", choices=["files", "parquet", "jsonl"])
    p.add_argument("--partitions", type=int, default=None)
    p.add_argument("--checkpoint-dir", default=None)
    a = p.parse_args(argv)
    spark = SparkSession.builder.appName("stemma").getOrCreate()
    opts = Options(
        input_format=a.input_format, partitions=a.partitions, checkpoint_dir=a.checkpoint_dir
    )
    report = run(spark, a.inputs, a.out, opts)
    print(
        json.dumps(
            {
                "documents": len(report["documents"]),
                "stories": len(report["stories"]),
                "relations": len(report["relations"]),
                "timings": opts.timings,
            }
        )
    )
    spark.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
