//! The persistent side of Stemma: a [`Store`] trait over which everything
//! kept between runs goes (documents, extracted articles, relations,
//! stories, independent links, unseen sources, opaque index state), an
//! in-memory implementation for tests ([`MemoryStore`]), an embedded
//! on-disk one ([`RedbStore`]), and incremental [`ingest`](ingest::ingest).
//!
//! Every change goes through [`Store::commit`] as one [`Batch`], applied in
//! one write transaction: a crash (even `kill -9`) leaves either the state
//! before the batch or the state after it, never a mix.
//!
//! ```
//! use stemma_core::{Body, RawDoc};
//! use stemma_store::{MemoryStore, Store, ingest::ingest};
//!
//! let store = MemoryStore::new();
//! let doc = RawDoc {
//!     id: "a".into(),
//!     url: None,
//!     published: None,
//!     origin: "a.txt".into(),
//!     body: Body::Text("Harbour closes\nThe harbour closed on Monday as the storm arrived.".into()),
//! };
//! let cfg = stemma_pipeline::Config::default();
//! let first = ingest(&store, vec![doc.clone()], &cfg).unwrap();
//! assert_eq!(first.added, 1);
//! let again = ingest(&store, vec![doc], &cfg).unwrap();
//! assert_eq!(again.skipped, 1);
//! assert!(store.article("a").unwrap().is_some());
//! ```
#![deny(missing_docs)]

mod cindex;
mod error;
pub mod ingest;
mod lines;
mod memory;
pub mod query;
mod redb_store;
mod stories;

pub use error::StoreError;
pub use ingest::{DocError, IngestOutcome, content_hash};
pub use memory::MemoryStore;
pub use query::{SearchHit, StoryGraph, report, search, story_graph};
pub use redb_store::{
    CACHE_BYTES, CHECKPOINT_BYTES, CHECKPOINT_COMMITS, DIRECT_INDEX_OPS, MAINTAIN_ROWS, RedbStore,
};

use serde::{Deserialize, Serialize};
use stemma_core::{
    Article, Comparison, DocId, IndependentLink, RawDoc, Relation, Story, UnseenSource,
};

/// What the store keeps about a document as it was read (its body is kept
/// only in extracted form, as the [`Article`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredDoc {
    /// Stable identifier.
    pub id: DocId,
    /// The file (or request) it was read from.
    pub origin: String,
    /// URL from the container, when known.
    pub url: Option<String>,
    /// Publish time from the container, when known.
    pub published: Option<String>,
    /// [`content_hash`] of the body and metadata; equal hashes mean a
    /// re-ingest is a no-op.
    pub content_hash: String,
    /// True when the body was HTML.
    pub html: bool,
    /// Size of the body in bytes.
    pub body_bytes: usize,
}

impl StoredDoc {
    /// The stored row of a raw document.
    pub fn of(raw: &RawDoc) -> StoredDoc {
        StoredDoc {
            id: raw.id.clone(),
            origin: raw.origin.clone(),
            url: raw.url.clone(),
            published: raw.published.clone(),
            content_hash: content_hash(raw),
            html: matches!(raw.body, stemma_core::Body::Html(_)),
            body_bytes: raw.body.as_str().len(),
        }
    }
}

/// One change inside a [`Batch`]. Puts overwrite; deletes of missing keys
/// are no-ops.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Op {
    /// Insert or replace a document row.
    PutDocument(StoredDoc),
    /// Insert or replace an extracted article.
    PutArticle(Article),
    /// Remove a document and its article (relations and stories are left to
    /// the caller).
    DeleteDocument(DocId),
    /// Insert or replace the relation keyed by (derivative, source).
    PutRelation(Relation),
    /// Remove the relation of `derivative` from `source`.
    DeleteRelation {
        /// The derived document.
        derivative: DocId,
        /// The source id (a document or `unseen:N`).
        source: String,
    },
    /// Insert or replace a story (and the document -> story lookup).
    PutStory(Story),
    /// Remove a story.
    DeleteStory(String),
    /// Insert or replace an independent link, keyed by (a, b).
    PutIndependent(IndependentLink),
    /// Remove the independent link (a, b).
    DeleteIndependent {
        /// One report.
        a: DocId,
        /// The other report.
        b: DocId,
    },
    /// Insert or replace an unseen source.
    PutUnseen(UnseenSource),
    /// Remove an unseen source.
    DeleteUnseen(String),
    /// Set an opaque index-state blob (serialised by its owning crate).
    PutState(String, Vec<u8>),
    /// Remove an index-state blob.
    DeleteState(String),
    /// Cache the verdict on the pair (`a`, `b`), keyed by the comparison's
    /// own `a` and `b` ids.
    PutComparison(Comparison),
    /// Set a named counter (e.g. the next story number).
    PutCounter(String, u64),
    /// Insert or replace one row of an incremental-index table.
    PutIndex {
        /// The table.
        table: IndexTable,
        /// The row key.
        key: u64,
        /// The row (encoded by [`ingest`](crate::ingest)).
        value: Vec<u8>,
    },
    /// Remove one row of an incremental-index table.
    DeleteIndex {
        /// The table.
        table: IndexTable,
        /// The row key.
        key: u64,
    },
    /// Set the index number of a document (see [`Store::doc_num`]).
    PutDocNum {
        /// The document.
        id: DocId,
        /// Its number in the index tables.
        num: u32,
    },
    /// Remove every cached comparison in which `0` takes part (its content
    /// changed, so their verdicts no longer hold).
    DeleteComparisonsOf(DocId),
    /// Add documents to a story, creating it (with `title`) when missing;
    /// sorted by id. A document that was in another story leaves it, and a
    /// story left with no member is deleted. Touches only the rows of the
    /// documents named, not the other members' lookups.
    AddStoryMembers {
        /// The story id.
        story: String,
        /// The documents to add.
        documents: Vec<DocId>,
        /// The title of a story created by this op.
        title: Option<String>,
    },
}

/// The tables of the incremental index that [`ingest`](crate::ingest)
/// keeps in the store: rows keyed by a number, values encoded by the
/// ingest module. Each document and each index key owns its row, so an
/// ingest reads and writes only the rows of the keys it touches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum IndexTable {
    /// Document number -> its candidate signature (id, exact hash, MinHash).
    Signature = 1,
    /// Exact text hash -> posting list of document numbers.
    Exact = 2,
    /// LSH band key -> posting list of document numbers.
    Band = 3,
    /// Key term -> posting list of document numbers.
    Term = 4,
    /// Story term -> its document frequency.
    StoryDf = 5,
    /// Story term -> story numbers posted under it (most recent last).
    StoryPosting = 6,
    /// Story number -> the story's summed vector, member count, time range.
    StoryState = 7,
    /// Line recurrence key -> how many documents hold the line, and the
    /// first holders' numbers (boilerplate by recurrence across ingests).
    Line = 8,
    /// Document number -> the recurrence keys of its page's lines.
    DocLines = 9,
}

impl IndexTable {
    /// The table's tag in a stored key.
    pub fn tag(self) -> u8 {
        self as u8
    }
}

/// A cached comparison involving a document (see [`Store::compared_with`]).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Link {
    /// The other document.
    pub other: DocId,
    /// True when the verdict was a derivation.
    pub derivation: bool,
    /// True when the comparison is stored as (`id`, `other`), false when as
    /// (`other`, `id`).
    pub forward: bool,
}

/// Changes applied together in one transaction, in order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Batch {
    /// The changes.
    pub ops: Vec<Op>,
    /// When set, the commit fails with [`StoreError::Conflict`] unless the
    /// store's [`generation`](Store::generation) still equals it (optimistic
    /// concurrency for read-compute-write cycles such as ingest).
    pub expect_generation: Option<u64>,
}

impl Batch {
    /// An empty batch.
    pub fn new() -> Batch {
        Batch::default()
    }

    /// Appends one change.
    pub fn push(&mut self, op: Op) -> &mut Batch {
        self.ops.push(op);
        self
    }
}

/// Row counts of the main tables.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// Documents (and articles).
    pub documents: usize,
    /// Derivation relations.
    pub relations: usize,
    /// Stories.
    pub stories: usize,
    /// Unseen sources.
    pub unseen_sources: usize,
}

/// The name of the counter [`Store::commit`] bumps on every commit.
pub const GENERATION: &str = "generation";

/// Everything persistent. Object-safe; implementations are shared between
/// threads (`Arc<dyn Store>`). Reads see a committed state; each call may
/// see a newer one than the previous call.
pub trait Store: Send + Sync {
    /// The row of one document.
    fn document(&self, id: &str) -> Result<Option<StoredDoc>, StoreError>;
    /// Every document row, in id order.
    fn documents(&self) -> Result<Vec<StoredDoc>, StoreError>;
    /// Up to `limit` document rows whose ids sort after `after`, in id
    /// order (a cursor for walking a large store a slice at a time).
    fn documents_after(&self, after: &str, limit: usize) -> Result<Vec<StoredDoc>, StoreError>;
    /// The extracted article of one document.
    fn article(&self, id: &str) -> Result<Option<Article>, StoreError>;
    /// Every article, in id order.
    fn articles(&self) -> Result<Vec<Article>, StoreError>;
    /// The relation of `derivative` from `source`.
    fn relation(&self, derivative: &str, source: &str) -> Result<Option<Relation>, StoreError>;
    /// Every relation, ordered by (derivative, source).
    fn relations(&self) -> Result<Vec<Relation>, StoreError>;
    /// The relations in which `id` (a document or `unseen:N`) is the
    /// derivative or the source: first those where it is the derivative.
    fn relations_of(&self, id: &str) -> Result<Vec<Relation>, StoreError>;
    /// One story.
    fn story(&self, id: &str) -> Result<Option<Story>, StoreError>;
    /// Every story, in id order (`s2` before `s10`).
    fn stories(&self) -> Result<Vec<Story>, StoreError>;
    /// The id of the story holding document `doc`.
    fn story_of(&self, doc: &str) -> Result<Option<String>, StoreError>;
    /// Every independent link, ordered by (a, b).
    fn independent(&self) -> Result<Vec<IndependentLink>, StoreError>;
    /// Every unseen source, in id order.
    fn unseen_sources(&self) -> Result<Vec<UnseenSource>, StoreError>;
    /// One unseen source.
    fn unseen_source(&self, id: &str) -> Result<Option<UnseenSource>, StoreError>;
    /// An opaque index-state blob.
    fn state(&self, key: &str) -> Result<Option<Vec<u8>>, StoreError>;
    /// A named counter; 0 when never set.
    fn counter(&self, name: &str) -> Result<u64, StoreError>;
    /// The cached verdict on the pair (`a`, `b`), in that order.
    fn comparison(&self, a: &str, b: &str) -> Result<Option<Comparison>, StoreError>;
    /// Row counts.
    fn counts(&self) -> Result<Counts, StoreError>;
    /// Rows of an incremental-index table, one per key (`None` when
    /// missing), all read from one committed state.
    fn index_rows(
        &self,
        table: IndexTable,
        keys: &[u64],
    ) -> Result<Vec<Option<Vec<u8>>>, StoreError>;
    /// The number under which document `id` is filed in the index tables.
    fn doc_num(&self, id: &str) -> Result<Option<u32>, StoreError>;
    /// The documents with a cached comparison with `id`, ordered by id.
    fn compared_with(&self, id: &str) -> Result<Vec<Link>, StoreError>;
    /// Applies `batch` atomically (all or nothing, durable on return) and
    /// bumps the [`GENERATION`] counter; returns the new generation.
    fn commit(&self, batch: Batch) -> Result<u64, StoreError>;
    /// True when the store refuses writes.
    fn is_read_only(&self) -> bool {
        false
    }
    /// The number of commits so far.
    fn generation(&self) -> Result<u64, StoreError> {
        self.counter(GENERATION)
    }
    /// Does one bounded piece of deferred housekeeping (for the redb
    /// store: files up to `max_rows` written-behind index rows, see
    /// [`RedbStore::checkpoint_step`]), for a caller with idle time, such
    /// as a server between requests. Returns true when more remains.
    /// Stores with nothing deferred return false.
    fn maintain(&self, max_rows: usize) -> Result<bool, StoreError> {
        let _ = max_rows;
        Ok(false)
    }
}

/// Orders story (or unseen) ids naturally: `s2` before `s10`, then by text.
pub fn natural_key(id: &str) -> (String, u64) {
    let prefix = id.trim_end_matches(|c: char| c.is_ascii_digit());
    match id[prefix.len()..].parse::<u64>() {
        Ok(n) => (prefix.to_string(), n),
        Err(_) => (id.to_string(), 0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stores_are_shareable_between_threads() {
        fn shareable<T: Send + Sync + ?Sized>() {}
        shareable::<dyn Store>();
        shareable::<MemoryStore>();
        shareable::<RedbStore>();
        let _: std::sync::Arc<dyn Store> = std::sync::Arc::new(MemoryStore::new());
    }

    #[test]
    fn natural_order() {
        let mut ids = vec!["s10", "s2", "s1", "unseen:3", "unseen:12", "x"];
        ids.sort_by_key(|s| natural_key(s));
        assert_eq!(ids, ["s1", "s2", "s10", "unseen:3", "unseen:12", "x"]);
    }
}
