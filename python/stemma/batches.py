"""Arrow-in / Arrow-out wrappers over the Rust core (``stemma._native``).

Each function takes a ``pyarrow.RecordBatch`` or ``Table`` and returns a
``pyarrow.Table``. Batches cross into Rust as Arrow IPC stream bytes, so no
Rust object is ever pickled: on Spark workers the module is imported and any
heavy state (the sketch index) is built lazily, once per Python worker.

Column contracts (Spark has no unsigned integers: ``u64`` hashes are
``int64`` and ``u32`` MinHash values ``int32``, bit for bit):

- raw documents: ``ord`` int64 (reading order), ``id``, ``url``,
  ``published``, ``origin``, ``html`` bool, ``body``;
- ``line_keys``: ``ord``, ``key`` int64, ``prose`` bool;
- articles (``extract``): ``ord``, ``doc_key``, ``id``, ``title``, ``text``,
  ``boilerplate_chars``, ``published``, ``author``, ``url``,
  ``canonical_url``, ``cited`` list<string>, ``exact`` int64, ``minhash``
  list<int32>, ``terms`` list<int64>, ``bands`` list<int64>;
- comparisons (``verify``): ``i``, ``j``, ``kind``, ``direction``,
  ``confidence`` float32, ``comparison`` (JSON).
"""
from __future__ import annotations

import json
from typing import Iterable, Union

import pyarrow as pa

from . import _native

Batchish = Union[pa.RecordBatch, pa.Table]


def _small(t: pa.DataType) -> pa.DataType:
    """The 32-bit-offset form of a type (the Rust side reads those)."""
    if pa.types.is_large_string(t):
        return pa.string()
    if pa.types.is_large_binary(t):
        return pa.binary()
    if pa.types.is_large_list(t) or pa.types.is_list(t):
        return pa.list_(_small(t.value_type))
    if pa.types.is_struct(t):
        return pa.struct([pa.field(f.name, _small(f.type), f.nullable) for f in t])
    return t


def to_ipc(data: Batchish) -> bytes:
    """Serialises a batch or table as an Arrow IPC stream (large string and
    list types narrowed to their 32-bit-offset forms)."""
    target = pa.schema([pa.field(f.name, _small(f.type), f.nullable) for f in data.schema])
    if target != data.schema:
        data = data.cast(target)
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, data.schema) as w:
        if isinstance(data, pa.Table):
            w.write_table(data)
        else:
            w.write_batch(data)
    return sink.getvalue().to_pybytes()


def from_ipc(data: bytes) -> pa.Table:
    """Reads an Arrow IPC stream into a table."""
    return pa.ipc.open_stream(pa.py_buffer(data)).read_all()


def list_files(paths: Iterable[str]) -> list:
    """Input files under ``paths`` in the order ``stemma analyze`` reads them."""
    return _native.list_files([str(p) for p in paths])


def read_files(batch: Batchish) -> pa.Table:
    """``path``, ``file_ord`` rows -> raw documents."""
    return from_ipc(_native.read_files(to_ipc(batch)))


def line_keys(batch: Batchish) -> pa.Table:
    """Raw documents -> per-document line keys (plain text only)."""
    return from_ipc(_native.line_keys(to_ipc(batch)))


def extract(batch: Batchish) -> pa.Table:
    """Raw documents (plus an optional ``votes`` column) -> signed articles."""
    return from_ipc(_native.extract(to_ipc(batch)))


def sketch_pairs(batch: Batchish, index: bytes, cache_key: str) -> pa.Table:
    """``idx``, ``terms`` rows -> key-term sketch candidate pairs ``i``, ``j``.

    ``index`` is the IPC stream of the whole corpus' ``idx``, ``terms``; it is
    built into an index once per process for each ``cache_key``.
    """
    return from_ipc(_native.sketch_pairs(to_ipc(batch), index, cache_key))


def verify(batch: Batchish) -> pa.Table:
    """Candidate pairs with ``a_*`` and ``b_*`` article columns -> comparisons."""
    return from_ipc(_native.verify(to_ipc(batch)))


def components(batch: Batchish) -> pa.Table:
    """``src``, ``dst`` edges -> ``node``, ``component`` (smallest node id)."""
    return from_ipc(_native.components(to_ipc(batch)))


def report(articles: Batchish, compared: Batchish) -> dict:
    """Articles (``idx`` + article columns) and comparisons -> the report."""
    return json.loads(_native.report(to_ipc(articles), to_ipc(compared)))


def index_config() -> dict:
    """The candidate index's default settings."""
    return json.loads(_native.index_config())
