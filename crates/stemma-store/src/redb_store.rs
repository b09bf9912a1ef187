//! The on-disk store: one redb file. Values are JSON (readable with any
//! tool, tolerant of added fields); keys are the ids.
//!
//! The incremental-index rows ([`IndexTable`]) are written behind: a commit
//! stores its index changes as ONE row of the `index_log` table (keyed by
//! the generation, so it lands on the last leaf), in the same transaction
//! as its documents, and keeps them in memory on the open handle, where
//! [`Store::index_rows`] finds them. A checkpoint writes the rows gathered
//! in memory into the `index` table (sorted, so neighbouring rows share
//! pages) and empties the log, in one transaction; it runs when the log
//! holds [`CHECKPOINT_COMMITS`] commits or [`CHECKPOINT_BYTES`] of rows,
//! when a batch brings [`DIRECT_INDEX_OPS`] index rows or more (bulk
//! ingest writes them straight through), on [`RedbStore::checkpoint`] and
//! when a writing handle is dropped; [`RedbStore::checkpoint_step`] does
//! the same in bounded slices, for a server's idle time. Opening a store replays its log into
//! memory, so a crash between a commit and the next checkpoint loses
//! nothing: the log commits with the documents or not at all.
use std::collections::HashMap;
use std::ops::Bound;
use std::path::{Path, PathBuf};
use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};

use redb::{
    Database, ReadOnlyDatabase, ReadTransaction, ReadableDatabase, ReadableTable,
    ReadableTableMetadata, TableDefinition, TableError, WriteTransaction,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use stemma_core::{Article, Comparison, IndependentLink, Relation, Story, UnseenSource};

use crate::{
    Batch, Counts, GENERATION, IndexTable, Link, Op, Store, StoreError, StoredDoc, natural_key,
};

const DOCUMENTS: TableDefinition<&str, &[u8]> = TableDefinition::new("documents");
const ARTICLES: TableDefinition<&str, &[u8]> = TableDefinition::new("articles");
/// (derivative, source) -> Relation.
const RELATIONS: TableDefinition<(&str, &str), &[u8]> = TableDefinition::new("relations");
/// (source, derivative) -> (): the reverse lookup of [`RELATIONS`].
const RELATIONS_BY_SOURCE: TableDefinition<(&str, &str), ()> =
    TableDefinition::new("relations_by_source");
const STORIES: TableDefinition<&str, &[u8]> = TableDefinition::new("stories");
/// document -> story id.
const DOC_STORY: TableDefinition<&str, &str> = TableDefinition::new("doc_story");
/// (a, b) -> IndependentLink.
const INDEPENDENT: TableDefinition<(&str, &str), &[u8]> = TableDefinition::new("independent");
const UNSEEN: TableDefinition<&str, &[u8]> = TableDefinition::new("unseen_sources");
const STATE: TableDefinition<&str, &[u8]> = TableDefinition::new("index_state");
/// (a, b) -> Comparison: cached pair verdicts.
const COMPARISONS: TableDefinition<(&str, &str), &[u8]> = TableDefinition::new("comparisons");
const COUNTERS: TableDefinition<&str, u64> = TableDefinition::new("counters");
/// (index table tag, key) -> row: the incremental index (see [`IndexTable`]).
const INDEX: TableDefinition<(u8, u64), &[u8]> = TableDefinition::new("index");
/// document -> its number in the index tables.
const DOC_NUM: TableDefinition<&str, u32> = TableDefinition::new("doc_num");
/// (x, y) -> flags for each cached comparison of x and y, both ways:
/// bit 0 a derivation verdict, bit 1 stored as (x, y).
const PAIRS: TableDefinition<(&str, &str), u8> = TableDefinition::new("comparison_pairs");

/// generation -> the index rows that commit changed (see [`encode_log`]),
/// not yet checkpointed into [`INDEX`].
const INDEX_LOG: TableDefinition<u64, &[u8]> = TableDefinition::new("index_log");

/// The version of the layout above, kept in the `format` counter. Version
/// 1 files (no `index_log`) open unchanged: the table is created empty.
const FORMAT: u64 = 1;

/// The default page cache of an open store (filled as pages are read).
pub const CACHE_BYTES: usize = 64 << 20;

/// A checkpoint runs once the log holds this many commits.
pub const CHECKPOINT_COMMITS: usize = 2048;
/// A checkpoint runs once the rows held in memory reach about this size.
pub const CHECKPOINT_BYTES: usize = 48 << 20;
/// A batch with at least this many index-row changes writes them (and the
/// pending ones) straight to the index table instead of the log.
pub const DIRECT_INDEX_OPS: usize = 4096;

/// Index rows one slice of idle maintenance ([`RedbStore::checkpoint_step`])
/// files: tens of milliseconds on a big store, so a writer arriving during
/// it waits that long at most.
pub const MAINTAIN_ROWS: usize = 1024;

/// Index rows committed (through the log) but not yet checkpointed.
#[derive(Debug, Default)]
struct Pending {
    /// (table tag, key) -> row (`None`: deleted).
    rows: HashMap<(u8, u64), Option<Vec<u8>>>,
    /// Approximate bytes held in `rows`.
    bytes: usize,
    /// Commits in the log.
    commits: usize,
}

impl Pending {
    fn set(&mut self, tag: u8, key: u64, value: Option<Vec<u8>>) {
        let add = row_bytes(&value);
        match self.rows.insert((tag, key), value) {
            Some(old) => {
                self.bytes = self.bytes + add - row_bytes(&old);
            }
            None => self.bytes += add,
        }
    }

    /// Drops a filed row (the index table now holds its value).
    fn forget(&mut self, key: &(u8, u64)) {
        if let Some(old) = self.rows.remove(key) {
            self.bytes -= row_bytes(&old);
        }
    }

    fn clear(&mut self) {
        *self = Pending::default();
    }
}

/// The bytes a held row is counted for (key and bookkeeping, and value).
fn row_bytes(value: &Option<Vec<u8>>) -> usize {
    24 + value.as_ref().map_or(0, Vec::len)
}

/// One commit's index changes as a log row: per change, the table tag
/// (u8), the key (u64 LE), the value length (u32 LE, `u32::MAX` for a
/// delete) and the value.
fn encode_log(ops: &[(u8, u64, Option<&[u8]>)]) -> Vec<u8> {
    let len: usize = ops.iter().map(|o| 13 + o.2.map_or(0, <[u8]>::len)).sum();
    let mut b = Vec::with_capacity(len);
    for &(tag, key, value) in ops {
        b.push(tag);
        b.extend_from_slice(&key.to_le_bytes());
        match value {
            Some(v) => {
                b.extend_from_slice(&(v.len() as u32).to_le_bytes());
                b.extend_from_slice(v);
            }
            None => b.extend_from_slice(&u32::MAX.to_le_bytes()),
        }
    }
    b
}

/// One index-row change: table tag, key, row (`None`: delete).
type IndexChange = (u8, u64, Option<Vec<u8>>);

/// The changes of a log row; `None` when it is malformed.
fn decode_log(mut b: &[u8]) -> Option<Vec<IndexChange>> {
    let mut out = Vec::new();
    while !b.is_empty() {
        let tag = *b.first()?;
        let key = u64::from_le_bytes(b.get(1..9)?.try_into().ok()?);
        let len = u32::from_le_bytes(b.get(9..13)?.try_into().ok()?);
        b = &b[13..];
        if len == u32::MAX {
            out.push((tag, key, None));
        } else {
            let len = len as usize;
            out.push((tag, key, Some(b.get(..len)?.to_vec())));
            b = &b[len..];
        }
    }
    Some(out)
}

enum Db {
    Write(Database),
    Read(ReadOnlyDatabase),
}

/// A [`Store`] in one redb file: ACID transactions over copy-on-write
/// B-trees, each commit fsync'd before it returns, so a crash at any moment
/// leaves the last committed state.
pub struct RedbStore {
    db: Db,
    path: PathBuf,
    /// Index rows newer than the `index` table. Held for writing across a
    /// whole commit, and for reading across a read of index rows, so that
    /// a reader that saw a generation sees its index rows too.
    pending: RwLock<Pending>,
    /// Whether dropping a writing handle checkpoints (see
    /// [`RedbStore::set_checkpoint_on_drop`]).
    checkpoint_on_drop: bool,
}

impl std::fmt::Debug for RedbStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedbStore")
            .field("path", &self.path)
            .field("read_only", &self.is_read_only())
            .finish()
    }
}

impl RedbStore {
    /// Opens the store at `path` for reading and writing, creating it when
    /// missing. A file left by a crash is repaired on open (redb rolls back
    /// to the last commit).
    pub fn open(path: impl AsRef<Path>) -> Result<RedbStore, StoreError> {
        RedbStore::open_with_cache(path, CACHE_BYTES)
    }

    /// [`RedbStore::open`] with a page cache of at most `cache_bytes`
    /// (filled as pages are read; the default is [`CACHE_BYTES`]).
    pub fn open_with_cache(
        path: impl AsRef<Path>,
        cache_bytes: usize,
    ) -> Result<RedbStore, StoreError> {
        let path = path.as_ref().to_path_buf();
        let open_err = |e: redb::DatabaseError| StoreError::Open {
            path: path.clone(),
            source: Box::new(e.into()),
        };
        if !path.exists() {
            create_whole(&path)?;
        }
        let db = redb::Builder::new()
            .set_cache_size(cache_bytes)
            .create(&path)
            .map_err(open_err)?;
        let store = RedbStore {
            db: Db::Write(db),
            path,
            pending: RwLock::default(),
            checkpoint_on_drop: true,
        };
        store.init()?;
        store.replay()?;
        Ok(store)
    }

    /// Opens an existing store for reading only (the file may be read-only;
    /// several processes may read it at once, none may write it meanwhile).
    /// A file that needs a repair after a crash is
    /// [`StoreError::NeedsRepair`]: it must first be opened with
    /// [`RedbStore::open`].
    pub fn open_read_only(path: impl AsRef<Path>) -> Result<RedbStore, StoreError> {
        let path = path.as_ref().to_path_buf();
        let db = redb::Builder::new()
            .set_cache_size(CACHE_BYTES)
            .open_read_only(&path)
            .map_err(|e| match e {
                redb::DatabaseError::RepairAborted => {
                    StoreError::NeedsRepair { path: path.clone() }
                }
                e => StoreError::Open {
                    path: path.clone(),
                    source: Box::new(e.into()),
                },
            })?;
        let store = RedbStore {
            db: Db::Read(db),
            path,
            pending: RwLock::default(),
            checkpoint_on_drop: true,
        };
        store.replay()?;
        Ok(store)
    }

    /// The store file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Creates the tables of a new file (one commit), so readers never meet
    /// a missing table.
    fn init(&self) -> Result<(), StoreError> {
        let Db::Write(db) = &self.db else {
            return Ok(());
        };
        let txn = db
            .begin_write()
            .map_err(|e| StoreError::backend("transaction", "begin", e))?;
        {
            open_w(&txn, DOCUMENTS, "documents")?;
            open_w(&txn, ARTICLES, "articles")?;
            open_w(&txn, RELATIONS, "relations")?;
            open_w(&txn, RELATIONS_BY_SOURCE, "relations_by_source")?;
            open_w(&txn, STORIES, "stories")?;
            open_w(&txn, DOC_STORY, "doc_story")?;
            open_w(&txn, INDEPENDENT, "independent")?;
            open_w(&txn, UNSEEN, "unseen_sources")?;
            open_w(&txn, STATE, "index_state")?;
            open_w(&txn, COMPARISONS, "comparisons")?;
            open_w(&txn, INDEX, "index")?;
            open_w(&txn, DOC_NUM, "doc_num")?;
            open_w(&txn, PAIRS, "comparison_pairs")?;
            open_w(&txn, INDEX_LOG, "index_log")?;
            let mut c = open_w(&txn, COUNTERS, "counters")?;
            let have = c
                .get("format")
                .map_err(|e| StoreError::backend("counters", "read", e))?
                .is_some();
            if !have {
                c.insert("format", FORMAT)
                    .map_err(|e| StoreError::backend("counters", "write", e))?;
            }
        }
        txn.commit()
            .map_err(|e| StoreError::backend("transaction", "commit", e))
    }

    /// Loads the log (commits since the last checkpoint) into memory.
    fn replay(&self) -> Result<(), StoreError> {
        let txn = self.begin_read()?;
        let mut pending = self.write_pending();
        pending.clear();
        let Some(t) = open_r(&txn, INDEX_LOG, "index_log")? else {
            return Ok(());
        };
        let err = |e| StoreError::backend("index_log", "read", e);
        for row in t.iter().map_err(err)? {
            let (k, v) = row.map_err(err)?;
            let ops = decode_log(v.value()).ok_or_else(|| StoreError::BadRow {
                table: "index_log",
                key: k.value().to_string(),
            })?;
            for (tag, key, value) in ops {
                pending.set(tag, key, value);
            }
            pending.commits += 1;
        }
        Ok(())
    }

    /// Writes the index rows held in memory into the index table and
    /// empties the log (one commit; nothing to do when the log is empty).
    /// Runs by itself when the log grows past its limits and when a
    /// writing handle is dropped.
    pub fn checkpoint(&self) -> Result<(), StoreError> {
        self.checkpoint_step(usize::MAX).map(drop)
    }

    /// One slice of a checkpoint, for idle time: writes up to `max_rows`
    /// of the rows held in memory into the index table (lowest keys first)
    /// in one commit and forgets them, or, once none are left, empties the
    /// log. Returns true when more remains. Between slices the store takes
    /// commits as usual, so a writer that arrives during idle maintenance
    /// waits for one slice, not for a whole checkpoint (seconds on a big
    /// store).
    ///
    /// Sound because a log row is only deleted when every row is filed: a
    /// filed row holds the newest value the log gives its key, so a crash
    /// between slices replays the log to the same values (and a later
    /// commit's change to a filed row is held again, and logged again).
    pub fn checkpoint_step(&self, max_rows: usize) -> Result<bool, StoreError> {
        let Db::Write(db) = &self.db else {
            return Ok(false);
        };
        let mut pending = self.write_pending();
        if pending.commits == 0 && pending.rows.is_empty() {
            return Ok(false);
        }
        // A slice: the lowest `max` keys. Otherwise every row, and the log.
        let max = max_rows.max(1);
        let slice = (pending.rows.len() > max).then(|| {
            let mut keys: Vec<(u8, u64)> = pending.rows.keys().copied().collect();
            keys.select_nth_unstable(max);
            keys.truncate(max);
            keys.sort_unstable();
            keys
        });
        let txn = db
            .begin_write()
            .map_err(|e| StoreError::backend("transaction", "begin", e))?;
        {
            let mut index = open_w(&txn, INDEX, "index")?;
            match &slice {
                Some(keys) => write_rows(&mut index, &pending, keys)?,
                None => {
                    let mut log = open_w(&txn, INDEX_LOG, "index_log")?;
                    flush(&mut index, &mut log, &pending)?;
                }
            }
        }
        txn.commit()
            .map_err(|e| StoreError::backend("transaction", "commit", e))?;
        match &slice {
            Some(keys) => keys.iter().for_each(|k| pending.forget(k)),
            None => pending.clear(),
        }
        Ok(slice.is_some())
    }

    /// Whether dropping this (writing) handle runs a [`checkpoint`]
    /// (default: yes). Off, a closed store keeps its log, as after a
    /// crash, and the next open replays it: for tests of that path, and
    /// for callers that prefer a fast close.
    ///
    /// [`checkpoint`]: RedbStore::checkpoint
    pub fn set_checkpoint_on_drop(&mut self, on: bool) {
        self.checkpoint_on_drop = on;
    }

    /// Commits in the log not yet checkpointed.
    pub fn pending_commits(&self) -> usize {
        self.read_pending().commits
    }

    fn read_pending(&self) -> RwLockReadGuard<'_, Pending> {
        self.pending.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write_pending(&self) -> RwLockWriteGuard<'_, Pending> {
        self.pending.write().unwrap_or_else(|e| e.into_inner())
    }

    fn begin_read(&self) -> Result<ReadTransaction, StoreError> {
        let r = match &self.db {
            Db::Write(db) => db.begin_read(),
            Db::Read(db) => db.begin_read(),
        };
        r.map_err(|e| StoreError::backend("transaction", "begin read", e))
    }

    /// Reads one JSON value by string key.
    fn get_json<T: DeserializeOwned>(
        &self,
        def: TableDefinition<&str, &[u8]>,
        name: &'static str,
        key: &str,
    ) -> Result<Option<T>, StoreError> {
        let txn = self.begin_read()?;
        let Some(t) = open_r(&txn, def, name)? else {
            return Ok(None);
        };
        let v = t
            .get(key)
            .map_err(|e| StoreError::backend(name, "read", e))?;
        v.map(|v| decode(name, key, v.value())).transpose()
    }

    /// Reads every JSON value of a string-keyed table, in key order.
    fn all_json<T: DeserializeOwned>(
        &self,
        def: TableDefinition<&str, &[u8]>,
        name: &'static str,
    ) -> Result<Vec<T>, StoreError> {
        self.json_from(def, name, Bound::Unbounded, usize::MAX)
    }

    /// Reads up to `limit` JSON values of a string-keyed table, in key
    /// order, from the key bound `from` on.
    fn json_from<T: DeserializeOwned>(
        &self,
        def: TableDefinition<&str, &[u8]>,
        name: &'static str,
        from: Bound<&str>,
        limit: usize,
    ) -> Result<Vec<T>, StoreError> {
        let txn = self.begin_read()?;
        let Some(t) = open_r(&txn, def, name)? else {
            return Ok(Vec::new());
        };
        let rows = t
            .range::<&str>((from, Bound::Unbounded))
            .map_err(|e| StoreError::backend(name, "read", e))?;
        let mut out = Vec::new();
        for row in rows.take(limit) {
            let (k, v) = row.map_err(|e| StoreError::backend(name, "read", e))?;
            out.push(decode(name, k.value(), v.value())?);
        }
        Ok(out)
    }

    /// Reads every JSON value of a pair-keyed table, in key order.
    fn all_json_pairs<T: DeserializeOwned>(
        &self,
        def: TableDefinition<(&str, &str), &[u8]>,
        name: &'static str,
    ) -> Result<Vec<T>, StoreError> {
        let txn = self.begin_read()?;
        let Some(t) = open_r(&txn, def, name)? else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        for row in t.iter().map_err(|e| StoreError::backend(name, "read", e))? {
            let (k, v) = row.map_err(|e| StoreError::backend(name, "read", e))?;
            let (a, b) = k.value();
            out.push(decode(name, &format!("{a}/{b}"), v.value())?);
        }
        Ok(out)
    }

    fn table_len<K: redb::Key + 'static, V: redb::Value + 'static>(
        txn: &ReadTransaction,
        def: TableDefinition<K, V>,
        name: &'static str,
    ) -> Result<usize, StoreError> {
        match open_r(txn, def, name)? {
            Some(t) => Ok(t.len().map_err(|e| StoreError::backend(name, "read", e))? as usize),
            None => Ok(0),
        }
    }
}

/// Creates a new, empty redb file under a temporary name beside `path` and
/// renames it into place, so that a kill while a store is being created
/// never leaves a half-written file at `path` (only a stray `.creating`
/// file, replaced by the next attempt). The tables are made by the open
/// that follows, in a commit of its own.
fn create_whole(path: &Path) -> Result<(), StoreError> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".creating");
    let tmp = std::path::PathBuf::from(tmp);
    let io_err = |e: std::io::Error| StoreError::Open {
        path: path.to_path_buf(),
        source: Box::new(redb::Error::Io(e)),
    };
    match std::fs::remove_file(&tmp) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(io_err(e)),
    }
    let db = redb::Builder::new()
        .create(&tmp)
        .map_err(|e| StoreError::Open {
            path: tmp.clone(),
            source: Box::new(e.into()),
        })?;
    drop(db);
    std::fs::rename(&tmp, path).map_err(io_err)
}

impl Drop for RedbStore {
    /// Checkpoints a writing handle, so a cleanly closed store has an
    /// empty log (a failure here is harmless: the log stays and is
    /// replayed on the next open).
    fn drop(&mut self) {
        if self.checkpoint_on_drop {
            let _ = self.checkpoint();
        }
    }
}

/// Writes the pending rows into the index table (in key order) and
/// removes every log row.
fn flush(
    index: &mut redb::Table<'_, (u8, u64), &'static [u8]>,
    log: &mut redb::Table<'_, u64, &'static [u8]>,
    pending: &Pending,
) -> Result<(), StoreError> {
    let mut keys: Vec<(u8, u64)> = pending.rows.keys().copied().collect();
    keys.sort_unstable();
    write_rows(index, pending, &keys)?;
    log.retain(|_, _| false)
        .map_err(|e| StoreError::backend("index_log", "write", e))?;
    Ok(())
}

/// Writes the pending rows of `keys` (sorted) into the index table.
fn write_rows(
    index: &mut redb::Table<'_, (u8, u64), &'static [u8]>,
    pending: &Pending,
    keys: &[(u8, u64)],
) -> Result<(), StoreError> {
    let w = |e: redb::StorageError| StoreError::backend("index", "write", e);
    for k in keys {
        match &pending.rows[k] {
            Some(v) => {
                index.insert(*k, v.as_slice()).map_err(w)?;
            }
            None => {
                index.remove(*k).map_err(w)?;
            }
        }
    }
    Ok(())
}

fn decode<T: DeserializeOwned>(
    table: &'static str,
    key: &str,
    bytes: &[u8],
) -> Result<T, StoreError> {
    serde_json::from_slice(bytes).map_err(|source| StoreError::Codec {
        table,
        key: key.to_string(),
        source,
    })
}

fn encode<T: Serialize>(table: &'static str, key: &str, v: &T) -> Result<Vec<u8>, StoreError> {
    serde_json::to_vec(v).map_err(|source| StoreError::Codec {
        table,
        key: key.to_string(),
        source,
    })
}

/// Opens a table for reading; `None` when the file predates it.
fn open_r<K: redb::Key + 'static, V: redb::Value + 'static>(
    txn: &ReadTransaction,
    def: TableDefinition<K, V>,
    name: &'static str,
) -> Result<Option<redb::ReadOnlyTable<K, V>>, StoreError> {
    match txn.open_table(def) {
        Ok(t) => Ok(Some(t)),
        Err(TableError::TableDoesNotExist(_)) => Ok(None),
        Err(e) => Err(StoreError::backend(name, "open", e)),
    }
}

fn open_w<'t, K: redb::Key + 'static, V: redb::Value + 'static>(
    txn: &'t WriteTransaction,
    def: TableDefinition<K, V>,
    name: &'static str,
) -> Result<redb::Table<'t, K, V>, StoreError> {
    txn.open_table(def)
        .map_err(|e| StoreError::backend(name, "open", e))
}

impl Store for RedbStore {
    fn document(&self, id: &str) -> Result<Option<StoredDoc>, StoreError> {
        self.get_json(DOCUMENTS, "documents", id)
    }

    fn documents(&self) -> Result<Vec<StoredDoc>, StoreError> {
        self.all_json(DOCUMENTS, "documents")
    }

    fn documents_after(&self, after: &str, limit: usize) -> Result<Vec<StoredDoc>, StoreError> {
        self.json_from(DOCUMENTS, "documents", Bound::Excluded(after), limit)
    }

    fn article(&self, id: &str) -> Result<Option<Article>, StoreError> {
        self.get_json(ARTICLES, "articles", id)
    }

    fn articles(&self) -> Result<Vec<Article>, StoreError> {
        self.all_json(ARTICLES, "articles")
    }

    fn relation(&self, derivative: &str, source: &str) -> Result<Option<Relation>, StoreError> {
        let txn = self.begin_read()?;
        let Some(t) = open_r(&txn, RELATIONS, "relations")? else {
            return Ok(None);
        };
        let v = t
            .get((derivative, source))
            .map_err(|e| StoreError::backend("relations", "read", e))?;
        v.map(|v| decode("relations", &format!("{derivative}/{source}"), v.value()))
            .transpose()
    }

    fn relations(&self) -> Result<Vec<Relation>, StoreError> {
        self.all_json_pairs(RELATIONS, "relations")
    }

    fn relations_of(&self, id: &str) -> Result<Vec<Relation>, StoreError> {
        let txn = self.begin_read()?;
        let Some(rel) = open_r(&txn, RELATIONS, "relations")? else {
            return Ok(Vec::new());
        };
        let err = |e| StoreError::backend("relations", "read", e);
        let mut out = Vec::new();
        for row in rel.range((id, "")..).map_err(err)? {
            let (k, v) = row.map_err(err)?;
            let (d, s) = k.value();
            if d != id {
                break;
            }
            out.push(decode("relations", &format!("{d}/{s}"), v.value())?);
        }
        let Some(by_src) = open_r(&txn, RELATIONS_BY_SOURCE, "relations_by_source")? else {
            return Ok(out);
        };
        let err = |e| StoreError::backend("relations_by_source", "read", e);
        for row in by_src.range((id, "")..).map_err(err)? {
            let (k, _) = row.map_err(err)?;
            let (s, d) = k.value();
            if s != id {
                break;
            }
            if let Some(v) = rel.get((d, s)).map_err(err)? {
                out.push(decode("relations", &format!("{d}/{s}"), v.value())?);
            }
        }
        Ok(out)
    }

    fn story(&self, id: &str) -> Result<Option<Story>, StoreError> {
        self.get_json(STORIES, "stories", id)
    }

    fn stories(&self) -> Result<Vec<Story>, StoreError> {
        let mut v: Vec<Story> = self.all_json(STORIES, "stories")?;
        v.sort_by_key(|s| natural_key(&s.id));
        Ok(v)
    }

    fn story_of(&self, doc: &str) -> Result<Option<String>, StoreError> {
        let txn = self.begin_read()?;
        let Some(t) = open_r(&txn, DOC_STORY, "doc_story")? else {
            return Ok(None);
        };
        let v = t
            .get(doc)
            .map_err(|e| StoreError::backend("doc_story", "read", e))?;
        Ok(v.map(|v| v.value().to_string()))
    }

    fn independent(&self) -> Result<Vec<IndependentLink>, StoreError> {
        self.all_json_pairs(INDEPENDENT, "independent")
    }

    fn unseen_sources(&self) -> Result<Vec<UnseenSource>, StoreError> {
        let mut v: Vec<UnseenSource> = self.all_json(UNSEEN, "unseen_sources")?;
        v.sort_by_key(|u| natural_key(&u.id));
        Ok(v)
    }

    fn unseen_source(&self, id: &str) -> Result<Option<UnseenSource>, StoreError> {
        self.get_json(UNSEEN, "unseen_sources", id)
    }

    fn state(&self, key: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let txn = self.begin_read()?;
        let Some(t) = open_r(&txn, STATE, "index_state")? else {
            return Ok(None);
        };
        let v = t
            .get(key)
            .map_err(|e| StoreError::backend("index_state", "read", e))?;
        Ok(v.map(|v| v.value().to_vec()))
    }

    fn counter(&self, name: &str) -> Result<u64, StoreError> {
        let txn = self.begin_read()?;
        let Some(t) = open_r(&txn, COUNTERS, "counters")? else {
            return Ok(0);
        };
        let v = t
            .get(name)
            .map_err(|e| StoreError::backend("counters", "read", e))?;
        Ok(v.map(|v| v.value()).unwrap_or(0))
    }

    fn comparison(&self, a: &str, b: &str) -> Result<Option<Comparison>, StoreError> {
        let txn = self.begin_read()?;
        let Some(t) = open_r(&txn, COMPARISONS, "comparisons")? else {
            return Ok(None);
        };
        let v = t
            .get((a, b))
            .map_err(|e| StoreError::backend("comparisons", "read", e))?;
        v.map(|v| decode("comparisons", &format!("{a}/{b}"), v.value()))
            .transpose()
    }

    fn counts(&self) -> Result<Counts, StoreError> {
        let txn = self.begin_read()?;
        Ok(Counts {
            documents: Self::table_len(&txn, DOCUMENTS, "documents")?,
            relations: Self::table_len(&txn, RELATIONS, "relations")?,
            stories: Self::table_len(&txn, STORIES, "stories")?,
            unseen_sources: Self::table_len(&txn, UNSEEN, "unseen_sources")?,
        })
    }

    fn index_rows(
        &self,
        table: IndexTable,
        keys: &[u64],
    ) -> Result<Vec<Option<Vec<u8>>>, StoreError> {
        // The read transaction begins under the lock: no commit can land
        // between it and the rows held in memory.
        let pending = self.read_pending();
        let txn = self.begin_read()?;
        let t = open_r(&txn, INDEX, "index")?;
        keys.iter()
            .map(|&k| {
                if let Some(v) = pending.rows.get(&(table.tag(), k)) {
                    return Ok(v.clone());
                }
                let Some(t) = &t else { return Ok(None) };
                let v = t
                    .get((table.tag(), k))
                    .map_err(|e| StoreError::backend("index", "read", e))?;
                Ok(v.map(|v| v.value().to_vec()))
            })
            .collect()
    }

    fn doc_num(&self, id: &str) -> Result<Option<u32>, StoreError> {
        let txn = self.begin_read()?;
        let Some(t) = open_r(&txn, DOC_NUM, "doc_num")? else {
            return Ok(None);
        };
        let v = t
            .get(id)
            .map_err(|e| StoreError::backend("doc_num", "read", e))?;
        Ok(v.map(|v| v.value()))
    }

    fn compared_with(&self, id: &str) -> Result<Vec<Link>, StoreError> {
        let txn = self.begin_read()?;
        let Some(t) = open_r(&txn, PAIRS, "comparison_pairs")? else {
            return Ok(Vec::new());
        };
        let err = |e| StoreError::backend("comparison_pairs", "read", e);
        let mut out = Vec::new();
        for row in t.range((id, "")..).map_err(err)? {
            let (k, v) = row.map_err(err)?;
            let (x, y) = k.value();
            if x != id {
                break;
            }
            let flags = v.value();
            out.push(Link {
                other: y.to_string(),
                derivation: flags & 1 != 0,
                forward: flags & 2 != 0,
            });
        }
        Ok(out)
    }

    fn commit(&self, batch: Batch) -> Result<u64, StoreError> {
        let db = match &self.db {
            Db::Write(db) => db,
            Db::Read(_) => {
                return Err(StoreError::ReadOnly {
                    path: self.path.clone(),
                });
            }
        };
        // Index-row changes go to the log (or, for a big batch or a full
        // log, straight to the index table with everything pending); the
        // other ops are applied as they come. They touch other tables, so
        // the split keeps the batch's meaning.
        let mut index_ops: Vec<IndexChange> = Vec::new();
        let mut ops: Vec<Op> = Vec::with_capacity(batch.ops.len());
        for op in batch.ops {
            match op {
                Op::PutIndex { table, key, value } => {
                    index_ops.push((table.tag(), key, Some(value)))
                }
                Op::DeleteIndex { table, key } => index_ops.push((table.tag(), key, None)),
                op => ops.push(op),
            }
        }
        let mut pending = self.write_pending();
        let log_bytes: usize = index_ops.iter().map(|o| row_bytes(&o.2)).sum();
        let direct = index_ops.len() >= DIRECT_INDEX_OPS
            || pending.commits + 1 >= CHECKPOINT_COMMITS
            || pending.bytes + log_bytes >= CHECKPOINT_BYTES;
        let txn = db
            .begin_write()
            .map_err(|e| StoreError::backend("transaction", "begin", e))?;
        // Any early return below drops `txn` uncommitted: redb aborts it.
        let generation = {
            let mut w = Writer::open(&txn)?;
            let found = w
                .counters
                .get(GENERATION)
                .map_err(|e| StoreError::backend("counters", "read", e))?
                .map(|v| v.value())
                .unwrap_or(0);
            if let Some(expected) = batch.expect_generation
                && expected != found
            {
                return Err(StoreError::Conflict { expected, found });
            }
            for op in ops {
                w.apply(op)?;
            }
            let generation = found + 1;
            if direct {
                flush(&mut w.index, &mut w.index_log, &pending)?;
                for (tag, key, value) in &index_ops {
                    w.put_index(*tag, *key, value.as_deref())?;
                }
            } else if !index_ops.is_empty() {
                let refs: Vec<(u8, u64, Option<&[u8]>)> = index_ops
                    .iter()
                    .map(|(t, k, v)| (*t, *k, v.as_deref()))
                    .collect();
                w.index_log
                    .insert(generation, encode_log(&refs).as_slice())
                    .map_err(|e| StoreError::backend("index_log", "write", e))?;
            }
            w.counters
                .insert(GENERATION, generation)
                .map_err(|e| StoreError::backend("counters", "write", e))?;
            generation
        };
        txn.commit()
            .map_err(|e| StoreError::backend("transaction", "commit", e))?;
        if direct {
            pending.clear();
        } else if !index_ops.is_empty() {
            for (tag, key, value) in index_ops {
                pending.set(tag, key, value);
            }
            pending.commits += 1;
        }
        Ok(generation)
    }

    fn is_read_only(&self) -> bool {
        matches!(self.db, Db::Read(_))
    }

    fn maintain(&self, max_rows: usize) -> Result<bool, StoreError> {
        self.checkpoint_step(max_rows)
    }
}

/// The open tables of one write transaction.
struct Writer<'t> {
    documents: redb::Table<'t, &'static str, &'static [u8]>,
    articles: redb::Table<'t, &'static str, &'static [u8]>,
    relations: redb::Table<'t, (&'static str, &'static str), &'static [u8]>,
    by_source: redb::Table<'t, (&'static str, &'static str), ()>,
    stories: redb::Table<'t, &'static str, &'static [u8]>,
    doc_story: redb::Table<'t, &'static str, &'static str>,
    independent: redb::Table<'t, (&'static str, &'static str), &'static [u8]>,
    unseen: redb::Table<'t, &'static str, &'static [u8]>,
    state: redb::Table<'t, &'static str, &'static [u8]>,
    comparisons: redb::Table<'t, (&'static str, &'static str), &'static [u8]>,
    counters: redb::Table<'t, &'static str, u64>,
    index: redb::Table<'t, (u8, u64), &'static [u8]>,
    doc_num: redb::Table<'t, &'static str, u32>,
    pairs: redb::Table<'t, (&'static str, &'static str), u8>,
    index_log: redb::Table<'t, u64, &'static [u8]>,
}

impl<'t> Writer<'t> {
    fn open(txn: &'t WriteTransaction) -> Result<Writer<'t>, StoreError> {
        Ok(Writer {
            documents: open_w(txn, DOCUMENTS, "documents")?,
            articles: open_w(txn, ARTICLES, "articles")?,
            relations: open_w(txn, RELATIONS, "relations")?,
            by_source: open_w(txn, RELATIONS_BY_SOURCE, "relations_by_source")?,
            stories: open_w(txn, STORIES, "stories")?,
            doc_story: open_w(txn, DOC_STORY, "doc_story")?,
            independent: open_w(txn, INDEPENDENT, "independent")?,
            unseen: open_w(txn, UNSEEN, "unseen_sources")?,
            state: open_w(txn, STATE, "index_state")?,
            comparisons: open_w(txn, COMPARISONS, "comparisons")?,
            counters: open_w(txn, COUNTERS, "counters")?,
            index: open_w(txn, INDEX, "index")?,
            doc_num: open_w(txn, DOC_NUM, "doc_num")?,
            pairs: open_w(txn, PAIRS, "comparison_pairs")?,
            index_log: open_w(txn, INDEX_LOG, "index_log")?,
        })
    }

    fn put_index(&mut self, tag: u8, key: u64, value: Option<&[u8]>) -> Result<(), StoreError> {
        let r = match value {
            Some(v) => self.index.insert((tag, key), v).map(drop),
            None => self.index.remove((tag, key)).map(drop),
        };
        r.map_err(|e| StoreError::backend("index", "write", e))
    }

    fn apply(&mut self, op: Op) -> Result<(), StoreError> {
        fn w<E: Into<redb::Error>>(table: &'static str) -> impl Fn(E) -> StoreError {
            move |e| StoreError::backend(table, "write", e)
        }
        match op {
            Op::PutDocument(d) => {
                let v = encode("documents", &d.id, &d)?;
                self.documents
                    .insert(d.id.as_str(), v.as_slice())
                    .map_err(w("documents"))?;
            }
            Op::PutArticle(a) => {
                let v = encode("articles", &a.id, &a)?;
                self.articles
                    .insert(a.id.as_str(), v.as_slice())
                    .map_err(w("articles"))?;
            }
            Op::DeleteDocument(id) => {
                self.documents.remove(id.as_str()).map_err(w("documents"))?;
                self.articles.remove(id.as_str()).map_err(w("articles"))?;
                self.doc_num.remove(id.as_str()).map_err(w("doc_num"))?;
            }
            Op::PutRelation(r) => {
                let key = format!("{}/{}", r.derivative, r.source);
                let v = encode("relations", &key, &r)?;
                self.relations
                    .insert((r.derivative.as_str(), r.source.as_str()), v.as_slice())
                    .map_err(w("relations"))?;
                self.by_source
                    .insert((r.source.as_str(), r.derivative.as_str()), ())
                    .map_err(w("relations_by_source"))?;
            }
            Op::DeleteRelation { derivative, source } => {
                self.relations
                    .remove((derivative.as_str(), source.as_str()))
                    .map_err(w("relations"))?;
                self.by_source
                    .remove((source.as_str(), derivative.as_str()))
                    .map_err(w("relations_by_source"))?;
            }
            Op::PutStory(s) => {
                self.unlink_story(&s.id)?;
                let v = encode("stories", &s.id, &s)?;
                self.stories
                    .insert(s.id.as_str(), v.as_slice())
                    .map_err(w("stories"))?;
                for d in &s.documents {
                    self.doc_story
                        .insert(d.as_str(), s.id.as_str())
                        .map_err(w("doc_story"))?;
                }
            }
            Op::DeleteStory(id) => {
                self.unlink_story(&id)?;
                self.stories.remove(id.as_str()).map_err(w("stories"))?;
            }
            Op::PutIndependent(l) => {
                let key = format!("{}/{}", l.a, l.b);
                let v = encode("independent", &key, &l)?;
                self.independent
                    .insert((l.a.as_str(), l.b.as_str()), v.as_slice())
                    .map_err(w("independent"))?;
            }
            Op::DeleteIndependent { a, b } => {
                self.independent
                    .remove((a.as_str(), b.as_str()))
                    .map_err(w("independent"))?;
            }
            Op::PutUnseen(u) => {
                let v = encode("unseen_sources", &u.id, &u)?;
                self.unseen
                    .insert(u.id.as_str(), v.as_slice())
                    .map_err(w("unseen_sources"))?;
            }
            Op::DeleteUnseen(id) => {
                self.unseen
                    .remove(id.as_str())
                    .map_err(w("unseen_sources"))?;
            }
            Op::PutState(k, v) => {
                self.state
                    .insert(k.as_str(), v.as_slice())
                    .map_err(w("index_state"))?;
            }
            Op::DeleteState(k) => {
                self.state.remove(k.as_str()).map_err(w("index_state"))?;
            }
            Op::PutComparison(c) => {
                let key = format!("{}/{}", c.a, c.b);
                let v = encode("comparisons", &key, &c)?;
                self.comparisons
                    .insert((c.a.as_str(), c.b.as_str()), v.as_slice())
                    .map_err(w("comparisons"))?;
                let d = u8::from(c.kind.is_derivation());
                self.pairs
                    .insert((c.a.as_str(), c.b.as_str()), d | 2)
                    .map_err(w("comparison_pairs"))?;
                if c.a != c.b {
                    self.pairs
                        .insert((c.b.as_str(), c.a.as_str()), d)
                        .map_err(w("comparison_pairs"))?;
                }
            }
            Op::DeleteComparisonsOf(id) => {
                let mut others: Vec<(String, bool)> = Vec::new();
                for row in self
                    .pairs
                    .range((id.as_str(), "")..)
                    .map_err(|e| StoreError::backend("comparison_pairs", "read", e))?
                {
                    let (k, v) =
                        row.map_err(|e| StoreError::backend("comparison_pairs", "read", e))?;
                    let (x, y) = k.value();
                    if x != id {
                        break;
                    }
                    others.push((y.to_string(), v.value() & 2 != 0));
                }
                for (other, forward) in others {
                    let key = if forward {
                        (id.as_str(), other.as_str())
                    } else {
                        (other.as_str(), id.as_str())
                    };
                    self.comparisons.remove(key).map_err(w("comparisons"))?;
                    self.pairs
                        .remove((id.as_str(), other.as_str()))
                        .map_err(w("comparison_pairs"))?;
                    self.pairs
                        .remove((other.as_str(), id.as_str()))
                        .map_err(w("comparison_pairs"))?;
                }
            }
            Op::PutIndex { table, key, value } => {
                self.put_index(table.tag(), key, Some(&value))?;
            }
            Op::DeleteIndex { table, key } => self.put_index(table.tag(), key, None)?,
            Op::PutDocNum { id, num } => {
                self.doc_num
                    .insert(id.as_str(), num)
                    .map_err(w("doc_num"))?;
            }
            Op::AddStoryMembers {
                story,
                documents,
                title,
            } => self.add_story_members(&story, documents, title)?,
            Op::PutCounter(k, v) => {
                self.counters.insert(k.as_str(), v).map_err(w("counters"))?;
            }
        }
        Ok(())
    }

    fn read_story(&self, id: &str) -> Result<Option<Story>, StoreError> {
        match self
            .stories
            .get(id)
            .map_err(|e| StoreError::backend("stories", "read", e))?
        {
            Some(v) => Ok(Some(decode("stories", id, v.value())?)),
            None => Ok(None),
        }
    }

    fn write_story(&mut self, s: &Story) -> Result<(), StoreError> {
        let v = encode("stories", &s.id, s)?;
        self.stories
            .insert(s.id.as_str(), v.as_slice())
            .map_err(|e| StoreError::backend("stories", "write", e))?;
        Ok(())
    }

    fn add_story_members(
        &mut self,
        id: &str,
        documents: Vec<String>,
        title: Option<String>,
    ) -> Result<(), StoreError> {
        let mut story = self.read_story(id)?.unwrap_or_else(|| Story {
            id: id.to_string(),
            documents: Vec::new(),
            title,
        });
        // Members leaving other stories, grouped per story.
        let mut leaving: std::collections::BTreeMap<String, Vec<String>> = Default::default();
        for d in documents {
            let prev = self
                .doc_story
                .get(d.as_str())
                .map_err(|e| StoreError::backend("doc_story", "read", e))?
                .map(|v| v.value().to_string());
            if let Some(p) = prev
                && p != id
            {
                leaving.entry(p).or_default().push(d.clone());
            }
            if let Err(pos) = story.documents.binary_search(&d) {
                story.documents.insert(pos, d.clone());
            }
            self.doc_story
                .insert(d.as_str(), id)
                .map_err(|e| StoreError::backend("doc_story", "write", e))?;
        }
        self.write_story(&story)?;
        for (p, gone) in leaving {
            let Some(mut old) = self.read_story(&p)? else {
                continue;
            };
            let gone: std::collections::HashSet<String> = gone.into_iter().collect();
            old.documents.retain(|d| !gone.contains(d));
            if old.documents.is_empty() {
                self.stories
                    .remove(p.as_str())
                    .map_err(|e| StoreError::backend("stories", "write", e))?;
            } else {
                self.write_story(&old)?;
            }
        }
        Ok(())
    }

    /// Drops the document -> story entries of the stored version of story
    /// `id` that still point at it (a member may since have moved to
    /// another story, whose entry must stay).
    fn unlink_story(&mut self, id: &str) -> Result<(), StoreError> {
        let old: Option<Story> = match self
            .stories
            .get(id)
            .map_err(|e| StoreError::backend("stories", "read", e))?
        {
            Some(v) => Some(decode("stories", id, v.value())?),
            None => None,
        };
        let Some(old) = old else { return Ok(()) };
        for d in &old.documents {
            let points_here = self
                .doc_story
                .get(d.as_str())
                .map_err(|e| StoreError::backend("doc_story", "read", e))?
                .is_some_and(|v| v.value() == id);
            if points_here {
                self.doc_story
                    .remove(d.as_str())
                    .map_err(|e| StoreError::backend("doc_story", "write", e))?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_rows_round_trip_and_malformed_ones_are_refused() {
        let ops: Vec<(u8, u64, Option<&[u8]>)> = vec![
            (3, 7, Some(&[1, 2, 3][..])),
            (5, u64::MAX, None),
            (1, 0, Some(&[][..])),
        ];
        let b = encode_log(&ops);
        let back = decode_log(&b).unwrap();
        let back: Vec<(u8, u64, Option<&[u8]>)> = back
            .iter()
            .map(|(t, k, v)| (*t, *k, v.as_deref()))
            .collect();
        assert_eq!(back, ops);
        assert_eq!(decode_log(&[]), Some(Vec::new()));
        assert_eq!(decode_log(&b[..b.len() - 1]), None);
        assert_eq!(decode_log(&b[..5]), None);
    }

    fn put(table: IndexTable, key: u64, value: &[u8]) -> Op {
        Op::PutIndex {
            table,
            key,
            value: value.to_vec(),
        }
    }

    /// Index rows read the same before and after a checkpoint, after a
    /// reopen that replays the log, and after a batch big enough to go
    /// straight to the index table.
    #[test]
    fn logged_rows_read_back_through_checkpoints_and_reopens() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.db");
        let t = IndexTable::Band;
        let rows = |s: &RedbStore| s.index_rows(t, &[1, 2, 3, 4]).unwrap();
        let want = vec![Some(vec![1]), None, Some(vec![3, 3]), Some(vec![4])];
        {
            let mut s = RedbStore::open(&path).unwrap();
            let mut b = Batch::new();
            b.push(put(t, 1, &[1]))
                .push(put(t, 2, &[2]))
                .push(put(t, 3, &[3]));
            s.commit(b).unwrap();
            s.checkpoint().unwrap();
            assert_eq!(s.pending_commits(), 0);
            let mut b = Batch::new();
            b.push(Op::DeleteIndex { table: t, key: 2 })
                .push(put(t, 3, &[3, 3]));
            s.commit(b).unwrap();
            let mut b = Batch::new();
            b.push(put(t, 4, &[4]));
            s.commit(b).unwrap();
            assert_eq!(s.pending_commits(), 2);
            assert_eq!(rows(&s), want);
            s.set_checkpoint_on_drop(false);
        }
        {
            let s = RedbStore::open_read_only(&path).unwrap();
            assert_eq!(s.pending_commits(), 2);
            assert_eq!(rows(&s), want);
        }
        let s = RedbStore::open(&path).unwrap();
        assert_eq!(s.pending_commits(), 2);
        assert_eq!(rows(&s), want);
        // Other tables are not touched by the log.
        assert_eq!(s.counter(GENERATION).unwrap(), 3);
        // A big batch writes through, with the pending rows.
        let mut b = Batch::new();
        for k in 100..100 + DIRECT_INDEX_OPS as u64 {
            b.push(put(IndexTable::Term, k, &[9]));
        }
        s.commit(b).unwrap();
        assert_eq!(s.pending_commits(), 0);
        assert_eq!(rows(&s), want);
        assert_eq!(
            s.index_rows(IndexTable::Term, &[100]).unwrap(),
            [Some(vec![9])]
        );
        drop(s);
        let s = RedbStore::open_read_only(&path).unwrap();
        assert_eq!(s.pending_commits(), 0);
        assert_eq!(rows(&s), want);
    }

    /// A checkpoint taken in slices, with commits between the slices and a
    /// close without checkpoint (as a crash) halfway, reads the same rows
    /// at every point as a model of the last value written per key.
    #[test]
    fn checkpoint_in_slices_keeps_every_row_through_commits_and_reopens() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("slices.db");
        let t = IndexTable::Term;
        let keys: Vec<u64> = (0..40).collect();
        let mut model: HashMap<u64, Option<Vec<u8>>> = HashMap::new();
        let check = |s: &RedbStore, model: &HashMap<u64, Option<Vec<u8>>>| {
            let got = s.index_rows(t, &keys).unwrap();
            for (k, v) in keys.iter().zip(got) {
                assert_eq!(v, model.get(k).cloned().flatten(), "key {k}");
            }
        };
        let commit = |s: &RedbStore, model: &mut HashMap<u64, Option<Vec<u8>>>, round: u8| {
            let mut b = Batch::new();
            for k in (u64::from(round) % 3..40).step_by(3) {
                if (k + u64::from(round)) % 7 == 0 {
                    b.push(Op::DeleteIndex { table: t, key: k });
                    model.insert(k, None);
                } else {
                    b.push(put(t, k, &[round, k as u8]));
                    model.insert(k, Some(vec![round, k as u8]));
                }
            }
            s.commit(b).unwrap();
        };
        let mut s = RedbStore::open(&path).unwrap();
        for round in 0..6 {
            commit(&s, &mut model, round);
        }
        assert_eq!(s.pending_commits(), 6);
        assert!(s.checkpoint_step(5).unwrap(), "slices remain");
        check(&s, &model);
        commit(&s, &mut model, 6);
        assert!(s.maintain(5).unwrap());
        check(&s, &model);
        // Closed mid-checkpoint without finishing it: the log replays.
        s.set_checkpoint_on_drop(false);
        drop(s);
        let s = RedbStore::open(&path).unwrap();
        check(&s, &model);
        let mut steps = 0;
        while s.checkpoint_step(5).unwrap() {
            steps += 1;
            check(&s, &model);
            if steps == 2 {
                commit(&s, &mut model, 7);
            }
            assert!(steps < 100);
        }
        assert_eq!(s.pending_commits(), 0);
        assert!(!s.checkpoint_step(5).unwrap(), "nothing left");
        check(&s, &model);
        drop(s);
        let s = RedbStore::open_read_only(&path).unwrap();
        assert_eq!(s.pending_commits(), 0);
        check(&s, &model);
    }
}
