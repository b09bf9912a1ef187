"""Stemma: news provenance (copies, rewrites, their sources) over Arrow record batches.

The functions of :mod:`stemma.batches` take and return ``pyarrow.RecordBatch``
objects and run Stemma's Rust core with the GIL released; :mod:`stemma.spark`
wires them into a full run on Apache Spark.
"""
from .batches import (
    components,
    extract,
    line_keys,
    list_files,
    read_files,
    report,
    sketch_pairs,
    verify,
)

__all__ = [
    "components",
    "extract",
    "line_keys",
    "list_files",
    "read_files",
    "report",
    "sketch_pairs",
    "verify",
]
