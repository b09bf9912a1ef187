use std::path::PathBuf;

/// What went wrong in the store, naming the file, table or document.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The store file could not be opened or created.
    #[error("cannot open store {path}: {source}")]
    Open {
        /// The store file.
        path: PathBuf,
        /// The engine's reason.
        #[source]
        source: Box<redb::Error>,
    },
    /// The storage engine failed while reading or writing a table.
    #[error("store table {table}: {action} failed: {source}")]
    Backend {
        /// The table (or `"transaction"`).
        table: &'static str,
        /// What was being done (`"read"`, `"write"`, `"commit"`...).
        action: &'static str,
        /// The engine's reason.
        #[source]
        source: Box<redb::Error>,
    },
    /// A stored value could not be decoded (or a value could not be encoded).
    #[error("store table {table}, key {key:?}: bad value: {source}")]
    Codec {
        /// The table.
        table: &'static str,
        /// The key of the value.
        key: String,
        /// The decoder's reason.
        #[source]
        source: serde_json::Error,
    },
    /// A stored row could not be decoded (a binary row: no JSON reason).
    #[error("store table {table}, key {key}: malformed row")]
    BadRow {
        /// The table.
        table: &'static str,
        /// The key of the row.
        key: String,
    },
    /// A read-only open of a store that was not closed cleanly (its
    /// process was killed, or the machine stopped): the file must first be
    /// opened for writing once, which repairs it by rolling back to the last
    /// commit (nothing committed is lost).
    #[error(
        "store {path} was not closed cleanly (killed or crashed) and needs a repair: open it for writing once (it rolls back to the last commit; nothing committed is lost)"
    )]
    NeedsRepair {
        /// The store file.
        path: PathBuf,
    },
    /// A write was attempted on a store opened read-only.
    #[error("store {path} is open read-only")]
    ReadOnly {
        /// The store file.
        path: PathBuf,
    },
    /// Another commit happened between the read and the write of a
    /// read-compute-write cycle.
    #[error("store changed concurrently (generation {expected} expected, {found} found)")]
    Conflict {
        /// The generation the batch was computed from.
        expected: u64,
        /// The generation found at commit time.
        found: u64,
    },
    /// A document could not be ingested.
    #[error("document {id:?}: {reason}")]
    Document {
        /// The document.
        id: String,
        /// Why.
        reason: String,
    },
}

impl StoreError {
    pub(crate) fn backend(
        table: &'static str,
        action: &'static str,
        e: impl Into<redb::Error>,
    ) -> StoreError {
        StoreError::Backend {
            table,
            action,
            source: Box::new(e.into()),
        }
    }
}
