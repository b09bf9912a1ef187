//! Incremental ingest: add documents to a [`Store`], match them against
//! what it holds, and update relations, stories and unseen sources, all in
//! one commit.
//!
//! Nothing here is O(corpus). The store keeps the candidate index as
//! tables (see [`IndexTable`](crate::IndexTable)): a signature row per
//! document and a capped posting list per exact hash, LSH band key and key
//! term, so a new article reads only the rows of its own keys and of its
//! candidates, and writes only its own. Only new-vs-candidate pairs are
//! verified (their verdicts are cached). The derivation rules run over the
//! neighbourhood of the batch (new documents, their derivation partners and
//! the documents linked to those), and only the relation rows of the new
//! documents and their partners are rewritten. Stories are assigned one
//! article at a time by the rules of [`stemma_story::StoryIndex`], with the
//! story vectors, term frequencies and story postings in tables too; a
//! derivation puts both documents in one story, merging two stories when
//! it links them. Story and unseen-source ids stay stable across batches.
//!
//! The incremental result is close to, but not always equal to, a one-shot
//! `analyze` of the same corpus: stories never split, and a document placed
//! early is not moved when later articles would have clustered otherwise.
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::panic::{AssertUnwindSafe, catch_unwind};

use rayon::prelude::*;

use serde::{Deserialize, Serialize};
use stemma_core::{
    Article, Body, Comparison, DocId, IndependentLink, RawDoc, Relation, RelationKind, UnseenSource,
};
use stemma_index::Signature;
use stemma_pipeline::Config;
use stemma_story::StoryConfig;

use crate::cindex::{self, Overlay};
use crate::lines;
use crate::stories::{self, Count};
use crate::{Batch, Link, Op, Store, StoreError, StoredDoc, natural_key};

/// Counter holding the next story number (`s<N>`).
pub const STORY_SEQ: &str = "story_seq";
/// Counter holding the next unseen-source number (`unseen:<N>`).
pub const UNSEEN_SEQ: &str = "unseen_seq";

/// How many times a batch is recomputed when another writer committed
/// between its read and its write.
const ATTEMPTS: usize = 4;

/// A document of a batch that was not stored, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocError {
    /// The document id (may be empty when the id itself was the problem).
    pub id: DocId,
    /// Where it was read from.
    pub origin: String,
    /// Why it was not stored.
    pub reason: String,
}

impl std::fmt::Display for DocError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} (document {:?}): {}",
            self.origin, self.id, self.reason
        )
    }
}

/// What one [`ingest`] call did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IngestOutcome {
    /// Documents new to the store.
    pub added: usize,
    /// Documents already stored with the same content (no-ops).
    pub skipped: usize,
    /// Documents stored before under the same id with other content: replaced,
    /// and their relations and stories recomputed.
    pub replaced: usize,
    /// Documents not stored.
    pub errors: Vec<DocError>,
    /// Ids of the added documents, in batch order.
    pub added_ids: Vec<DocId>,
    /// Ids of the unchanged (skipped) documents, in batch order.
    pub skipped_ids: Vec<DocId>,
    /// Ids of the replaced documents, in batch order.
    pub replaced_ids: Vec<DocId>,
    /// Stored documents (not in the batch) that lost a line the batch's
    /// pages show their site to repeat on every page (boilerplate by
    /// recurrence), and whose relations and stories were recomputed.
    #[serde(default)]
    pub cleaned: usize,
    /// Ids of the cleaned documents.
    #[serde(default)]
    pub cleaned_ids: Vec<DocId>,
    /// Store generation after the ingest (unchanged when nothing was added).
    pub generation: u64,
    /// Derivation relations in the store afterwards.
    pub relations: usize,
    /// Stories in the store afterwards.
    pub stories: usize,
}

/// A stable fingerprint of what a re-ingest compares: body kind, body,
/// URL and publish time (not the file it came from). 32 hex digits (XXH3-128).
pub fn content_hash(raw: &RawDoc) -> String {
    let mut bytes = Vec::with_capacity(raw.body.as_str().len() + 64);
    let kind: &[u8] = match raw.body {
        Body::Html(_) => b"html",
        Body::Text(_) => b"text",
    };
    for part in [
        kind,
        raw.url.as_deref().unwrap_or("").as_bytes(),
        raw.published.as_deref().unwrap_or("").as_bytes(),
        raw.body.as_str().as_bytes(),
    ] {
        bytes.extend_from_slice(&(part.len() as u64).to_le_bytes());
        bytes.extend_from_slice(part);
    }
    format!("{:032x}", xxhash_rust::xxh3::xxh3_128(&bytes))
}

/// Adds `raws` to `store`: unchanged documents are skipped, new and changed
/// ones extracted, matched against everything stored, and the store's
/// relations, stories, independent links and unseen sources brought up to
/// date, in ONE commit. Bad documents are reported in
/// [`IngestOutcome::errors`] and leave the store as it was; an `Err` means
/// nothing of this batch was stored.
pub fn ingest(
    store: &dyn Store,
    raws: Vec<RawDoc>,
    cfg: &Config,
) -> Result<IngestOutcome, StoreError> {
    retrying(|| ingest_once(store, &raws, cfg))
}

/// Runs `once` (a read-compute-commit cycle) again, up to [`ATTEMPTS`]
/// times in all, while its commit fails because another writer committed
/// in between.
fn retrying<T>(mut once: impl FnMut() -> Result<T, StoreError>) -> Result<T, StoreError> {
    let mut attempt = 0;
    loop {
        attempt += 1;
        match once() {
            Err(StoreError::Conflict { .. }) if attempt < ATTEMPTS => continue,
            other => return other,
        }
    }
}

fn ingest_once(
    store: &dyn Store,
    raws: &[RawDoc],
    cfg: &Config,
) -> Result<IngestOutcome, StoreError> {
    let generation = store.generation()?;
    let mut out = IngestOutcome {
        generation,
        ..Default::default()
    };

    // The last copy of each id wins.
    let mut last: HashMap<&str, usize> = HashMap::new();
    for (i, r) in raws.iter().enumerate() {
        last.insert(r.id.as_str(), i);
    }
    let mut changed: Vec<&RawDoc> = Vec::new();
    let mut is_new: Vec<bool> = Vec::new();
    for (i, r) in raws.iter().enumerate() {
        let error = |reason: &str| DocError {
            id: r.id.clone(),
            origin: r.origin.clone(),
            reason: reason.to_string(),
        };
        if last.get(r.id.as_str()) != Some(&i) {
            out.errors.push(error(
                "the same id comes again later in this batch; the later copy is used",
            ));
            continue;
        }
        if r.id.trim().is_empty() {
            out.errors.push(error("empty document id"));
            continue;
        }
        if r.body.as_str().trim().is_empty() {
            out.errors.push(error("empty body"));
            continue;
        }
        match store.document(&r.id)? {
            Some(old) if old.content_hash == content_hash(r) => {
                out.skipped += 1;
                out.skipped_ids.push(r.id.clone());
            }
            old => {
                changed.push(r);
                is_new.push(old.is_none());
            }
        }
    }

    // Lines the batch's pages share with stored pages and with each other
    // count for recurrence as when the pages are extracted together (see
    // `lines`). Each page is read once; one the extractor fails on costs
    // only itself.
    let mut ov = Overlay::new(store);
    let mut prepared: Vec<Result<stemma_extract::Prepared, String>> = changed
        .par_iter()
        .map(|r| guarded(|| stemma_extract::prepare(r)))
        .collect();
    let keys: Vec<lines::Keys> = prepared
        .iter_mut()
        .map(|p| {
            p.as_mut()
                .map(|p| std::mem::take(&mut p.keys))
                .unwrap_or_default()
        })
        .collect();
    let mut stale: HashSet<u32> = HashSet::new();
    for (r, _) in changed.iter().zip(&is_new).filter(|(_, new)| !**new) {
        stale.extend(store.doc_num(&r.id)?);
    }
    let holders = lines::Holders::read(&mut ov, &keys, &stale)?;
    let votes = holders.votes();
    let extracted: Vec<Result<Article, String>> = prepared
        .into_par_iter()
        .zip(changed.par_iter())
        .zip(votes)
        .map(|((p, r), v)| {
            p.and_then(|p| guarded(|| stemma_extract::extract_prepared(r, p.html, &v)))
        })
        .collect();
    let mut fresh: Vec<(StoredDoc, Article)> = Vec::new();
    let mut fresh_keys: Vec<lines::Keys> = Vec::new();
    let mut stored_batch = vec![false; changed.len()];
    for (i, (((raw, art), new), keys)) in changed
        .iter()
        .zip(extracted)
        .zip(is_new)
        .zip(&keys)
        .enumerate()
    {
        let reason = match art {
            Err(reason) => reason,
            Ok(a) if a.text.trim().is_empty() => "no text left after extraction".to_string(),
            Ok(a) => {
                if new {
                    out.added += 1;
                    out.added_ids.push(raw.id.clone());
                } else {
                    out.replaced += 1;
                    out.replaced_ids.push(raw.id.clone());
                }
                fresh.push((StoredDoc::of(raw), a));
                fresh_keys.push(keys.clone());
                stored_batch[i] = true;
                continue;
            }
        };
        out.errors.push(DocError {
            id: raw.id.clone(),
            origin: raw.origin.clone(),
            reason,
        });
    }
    if fresh.is_empty() {
        let counts = store.counts()?;
        out.relations = counts.relations;
        out.stories = counts.stories;
        return Ok(out);
    }
    // Stored pages that kept a line the batch shows their site to repeat
    // lose it now, and are placed again like replaced documents.
    let ids: HashSet<&str> = changed.iter().map(|r| r.id.as_str()).collect();
    let recurring = holders.newly_recurring(&stored_batch);
    let nums: Vec<u32> = recurring.iter().map(|x| x.0).collect();
    for ((_, row, votes), sig) in recurring.into_iter().zip(cindex::rows_of(&mut ov, &nums)?) {
        let Some(id) = sig.map(|r| r.id) else {
            continue;
        };
        if ids.contains(id.as_str()) {
            continue;
        }
        let (Some(doc), Some(art)) = (store.document(&id)?, store.article(&id)?) else {
            continue;
        };
        if let Some(cleaned) = stemma_extract::drop_voted(&art, &votes) {
            out.cleaned_ids.push(id);
            fresh.push((doc, cleaned));
            fresh_keys.push(row.keys.clone());
        }
    }
    out.cleaned = out.cleaned_ids.len();

    let mut batch = Batch {
        ops: Vec::new(),
        expect_generation: Some(generation),
    };
    let mut work = Work::open(store)?;
    if work.index_version < INDEX_VERSION {
        work.rebuild(store, &mut ov, cfg, &mut batch)?;
    }
    let placed = work.place(store, &mut ov, &fresh, cfg)?;
    let nums: HashMap<&str, u32> = placed
        .iter()
        .filter_map(|op| match op {
            Op::PutDocNum { id, num } => Some((id.as_str(), *num)),
            _ => None,
        })
        .collect();
    for ((doc, art), keys) in fresh.iter().zip(&fresh_keys) {
        let num = match nums.get(doc.id.as_str()) {
            Some(&n) => Some(n),
            None => store.doc_num(&doc.id)?,
        };
        if let Some(num) = num {
            let kept = stemma_extract::line_keys(&art.text)
                .into_iter()
                .map(|k| k.0)
                .collect();
            lines::file(&mut ov, num, keys, &kept)?;
        }
    }
    for (doc, art) in fresh {
        batch.ops.push(Op::PutDocument(doc));
        batch.ops.push(Op::PutArticle(art));
    }
    batch.ops.extend(placed);
    work.finish(&mut batch, cfg);
    batch.ops.extend(ov.into_ops());
    out.generation = store.commit(batch)?;
    let counts = store.counts()?;
    out.relations = counts.relations;
    out.stories = counts.stories;
    Ok(out)
}

/// The story an article would join in `store`, and its similarity, without
/// changing anything (`None`: it would open a new story). Reads only the
/// rows of the article's terms and of its candidate stories.
pub fn assign_story(
    store: &dyn Store,
    article: &Article,
) -> Result<Option<(String, f32)>, StoreError> {
    let scfg = StoryConfig::default();
    let mut ov = Overlay::new(store);
    let n = store.counter(STORY_DOCS)? + 1;
    let v = stories::vectorise(&mut ov, article, n, Count::Add, &scfg)?;
    Ok(stories::best_story(&mut ov, &v, &scfg)?
        .filter(|&(_, sim)| sim >= scfg.threshold)
        .map(|(s, sim)| (format!("s{s}"), sim)))
}

/// Counter: the [`stemma_pipeline::VERIFIER_VERSION`] that made the
/// store's cached comparisons, and the relations, stories and unseen
/// sources read from them (0: written before the version was recorded).
pub const VERIFIER_VERSION_KEY: &str = "verifier_version";
/// State: [`stemma_align::AlignContext::resources`] of the run that made
/// the store's comparisons (written with [`VERIFIER_VERSION_KEY`]).
pub const VERIFIER_RESOURCES_KEY: &str = "verifier_resources";
/// State: while the store is verified again, the id of the last document
/// done (documents are walked in id order).
const REVERIFY_AFTER: &str = "reverify_after";
/// Documents verified again in one commit of [`reverify_step`].
pub const REVERIFY_DOCS: usize = 128;

/// The verifier version behind the store's verdicts when it is older than
/// this build's and the store holds documents (they are then verified
/// again by [`reverify`]); `None` when they are current.
pub fn stale_verdicts(store: &dyn Store) -> Result<Option<u64>, StoreError> {
    let stored = store.counter(VERIFIER_VERSION_KEY)?;
    if stored >= stemma_pipeline::VERIFIER_VERSION || store.counts()?.documents == 0 {
        return Ok(None);
    }
    Ok(Some(stored))
}

/// The verifier version behind the store's verdicts when it is newer than
/// this build's (a newer build wrote the store). An ingest by this build
/// then records its own version, so the newer build verifies the store
/// again; `None` otherwise.
pub fn newer_verdicts(store: &dyn Store) -> Result<Option<u64>, StoreError> {
    let stored = store.counter(VERIFIER_VERSION_KEY)?;
    Ok((stored > stemma_pipeline::VERIFIER_VERSION).then_some(stored))
}

/// The resources (thesaurus, embedder) the store's comparisons were made
/// with, when they are not `cfg`'s: comparisons made now would differ from
/// the stored ones. `None` when they are the same or were not recorded.
pub fn other_resources(store: &dyn Store, cfg: &Config) -> Result<Option<String>, StoreError> {
    Ok(store
        .state(VERIFIER_RESOURCES_KEY)?
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .filter(|r| *r != cfg.align.resources()))
}

/// The ops recording that this build, with `cfg`'s resources, made every
/// verdict in the store.
fn verifier_ops(cfg: &Config) -> [Op; 2] {
    [
        Op::PutCounter(
            VERIFIER_VERSION_KEY.into(),
            stemma_pipeline::VERIFIER_VERSION,
        ),
        Op::PutState(
            VERIFIER_RESOURCES_KEY.into(),
            cfg.align.resources().into_bytes(),
        ),
    ]
}

/// Verifies every stored document again with this build's verifier, as if
/// each were ingested again from its stored article (extraction is not
/// redone: the store keeps articles, not pages): candidates, comparisons,
/// stories and derivations are recomputed, [`REVERIFY_DOCS`] documents a
/// commit, so an interrupted run leaves a readable store and the next one
/// goes on where it stopped. Does nothing when the store's verdicts are
/// current. `progress` gets the number of documents done so far after
/// each commit. Returns that number.
pub fn reverify(
    store: &dyn Store,
    cfg: &Config,
    mut progress: impl FnMut(usize),
) -> Result<usize, StoreError> {
    let mut done = 0;
    while let Some(n) = reverify_step(store, cfg, REVERIFY_DOCS)? {
        done += n;
        progress(done);
    }
    Ok(done)
}

/// One commit of [`reverify`]: up to `max_docs` documents verified again.
/// Returns how many, or `None` when the store's verdicts are current
/// (nothing was done). A step on a store whose index tables predate the
/// current ones only rebuilds them (`Some(0)`).
pub fn reverify_step(
    store: &dyn Store,
    cfg: &Config,
    max_docs: usize,
) -> Result<Option<usize>, StoreError> {
    retrying(|| reverify_once(store, cfg, max_docs.max(1)))
}

fn reverify_once(
    store: &dyn Store,
    cfg: &Config,
    max_docs: usize,
) -> Result<Option<usize>, StoreError> {
    if store.counter(VERIFIER_VERSION_KEY)? >= stemma_pipeline::VERIFIER_VERSION {
        return Ok(None);
    }
    let mut batch = Batch {
        ops: Vec::new(),
        expect_generation: Some(store.generation()?),
    };
    let mut ov = Overlay::new(store);
    let mut work = Work::open(store)?;
    if work.index_version < INDEX_VERSION && !work.empty {
        work.rebuild(store, &mut ov, cfg, &mut batch)?;
        work.finish(&mut batch, cfg);
        batch.ops.extend(ov.into_ops());
        store.commit(batch)?;
        return Ok(Some(0));
    }
    let after = store
        .state(REVERIFY_AFTER)?
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default();
    let docs = store.documents_after(&after, max_docs)?;
    let last = docs.last().map(|d| d.id.clone());
    let more = docs.len() >= max_docs;
    let mut fresh = Vec::with_capacity(docs.len());
    for d in docs {
        if let Some(a) = store.article(&d.id)? {
            fresh.push((d, a));
        }
    }
    if !fresh.is_empty() {
        let placed = work.place(store, &mut ov, &fresh, cfg)?;
        batch.ops.extend(placed);
        work.finish(&mut batch, cfg);
        batch.ops.extend(ov.into_ops());
    }
    match last {
        Some(id) if more => batch
            .ops
            .push(Op::PutState(REVERIFY_AFTER.into(), id.into_bytes())),
        _ => {
            batch.ops.push(Op::DeleteState(REVERIFY_AFTER.into()));
            batch.ops.extend(verifier_ops(cfg));
        }
    }
    store.commit(batch)?;
    Ok(Some(fresh.len()))
}

/// Version of the index tables; a store with an older one (or none: a
/// store written before they existed) is indexed again on its next ingest.
/// 2: the MinHash of `stemma_index::Signature` is computed with one hash
/// per shingle and round instead of one per shingle and permutation, and
/// banded 2 values a band instead of 3 (other values and band keys, same
/// exact hash and key terms): a version-1 store has its documents re-filed
/// under their new LSH bands.
/// 3: content words are sampled into the key terms at a fixed rate instead
/// of the smallest 48 hashes, and passage anchors join them (see
/// [`v2_terms`]): an older store has its documents re-filed under their new
/// terms.
const INDEX_VERSION: u64 = 3;
/// The key-term sampling of index versions 1 and 2 under `cfg`.
fn v2_terms(cfg: &stemma_index::IndexConfig) -> stemma_index::IndexConfig {
    stemma_index::IndexConfig {
        key_words: 48,
        key_word_rate: 1.0,
        anchor_rate: 0.0,
        ..cfg.clone()
    }
}
/// The first index version with the current MinHash scheme.
const MINHASH_VERSION: u64 = 2;
/// MinHash values a band before [`MINHASH_VERSION`] (the default then).
const V1_ROWS: usize = 3;
/// Counter: the index tables' version.
const INDEX_VERSION_KEY: &str = "index_version";
/// Counter: documents in the candidate index.
const INDEX_DOCS: &str = "index_docs";
/// Counter: the next document number.
const INDEX_NEXT: &str = "index_next";
/// Counter: articles counted into the story term frequencies.
const STORY_DOCS: &str = "story_docs";
/// Most candidate pairs of a batch verified in the calling thread.
const SERIAL_PAIRS: usize = 8;
/// Most derivation partners of one new document whose relations are
/// recomputed (the strongest verdicts first).
const MAX_PARTNERS: usize = 32;
/// Most documents in the neighbourhood over which derivations are
/// recomputed for one batch, per new document.
const MAX_NEIGHBOURHOOD: usize = 96;

/// The counters an ingest reads and advances.
struct Work {
    /// True when the store held no document when the work began: then
    /// every verdict in it is this build's.
    empty: bool,
    /// The store's [`VERIFIER_VERSION_KEY`] when the work began.
    verifier_version: u64,
    index_version: u64,
    index_docs: u64,
    index_next: u64,
    story_docs: u64,
    story_seq: u64,
    unseen_seq: u64,
}

/// The articles of a batch and of the stored documents it touches, by id.
#[derive(Default)]
struct Pool {
    articles: Vec<Article>,
    at: HashMap<String, usize>,
}

impl Pool {
    fn add(&mut self, a: Article) -> usize {
        if let Some(&i) = self.at.get(&a.id) {
            return i;
        }
        self.at.insert(a.id.clone(), self.articles.len());
        self.articles.push(a);
        self.articles.len() - 1
    }

    /// The pool index of `id`, loading its stored article when needed.
    fn load(&mut self, store: &dyn Store, id: &str) -> Result<Option<usize>, StoreError> {
        if let Some(&i) = self.at.get(id) {
            return Ok(Some(i));
        }
        Ok(store.article(id)?.map(|a| self.add(a)))
    }
}

fn story_num(id: &str) -> Option<u32> {
    id.strip_prefix('s')?.parse().ok()
}

impl Work {
    fn open(store: &dyn Store) -> Result<Work, StoreError> {
        Ok(Work {
            empty: store.counts()?.documents == 0,
            verifier_version: store.counter(VERIFIER_VERSION_KEY)?,
            index_version: store.counter(INDEX_VERSION_KEY)?,
            index_docs: store.counter(INDEX_DOCS)?,
            index_next: store.counter(INDEX_NEXT)?,
            story_docs: store.counter(STORY_DOCS)?,
            story_seq: next_seq(store.counter(STORY_SEQ)?, std::iter::empty(), "s"),
            unseen_seq: next_seq(store.counter(UNSEEN_SEQ)?, std::iter::empty(), "unseen:"),
        })
    }

    fn finish(&self, batch: &mut Batch, cfg: &Config) {
        for (k, v) in [
            (INDEX_VERSION_KEY, INDEX_VERSION),
            (INDEX_DOCS, self.index_docs),
            (INDEX_NEXT, self.index_next),
            (STORY_DOCS, self.story_docs),
            (STORY_SEQ, self.story_seq),
            (UNSEEN_SEQ, self.unseen_seq),
        ] {
            batch.ops.push(Op::PutCounter(k.to_string(), v));
        }
        // A store a newer build verified now also holds this build's
        // verdicts: it takes this build's (older) version, so that the newer
        // build verifies it again rather than trusting them.
        if self.empty || self.verifier_version > stemma_pipeline::VERIFIER_VERSION {
            batch.ops.extend(verifier_ops(cfg));
        }
    }

    /// Files every stored document in the index tables, and its story's
    /// state, as they stand (a store written before the tables existed),
    /// and re-files the indexed ones under the current MinHash when the
    /// store's index predates it. One pass over the corpus, once.
    fn rebuild(
        &mut self,
        store: &dyn Store,
        ov: &mut Overlay<'_>,
        cfg: &Config,
        batch: &mut Batch,
    ) -> Result<(), StoreError> {
        let scfg = StoryConfig::default();
        for s in store.stories()? {
            if let Some(n) = story_num(&s.id) {
                self.story_seq = self.story_seq.max(u64::from(n) + 1);
            }
        }
        for u in store.unseen_sources()? {
            if let Some(n) =
                u.id.strip_prefix("unseen:")
                    .and_then(|n| n.parse::<u64>().ok())
            {
                self.unseen_seq = self.unseen_seq.max(n + 1);
            }
        }
        for a in store.articles()? {
            if let Some(num) = store.doc_num(&a.id)? {
                let old_rows = if self.index_version < MINHASH_VERSION {
                    V1_ROWS
                } else {
                    cfg.index.rows
                };
                let sig = Signature::of(&a.text, &cfg.index);
                let old_terms = Signature::of(&a.text, &v2_terms(&cfg.index)).terms;
                cindex::refile(ov, num, &sig, old_rows, &old_terms, &cfg.index)?;
                continue;
            }
            let num = self.next_num();
            let sig = Signature::of(&a.text, &cfg.index);
            cindex::insert(ov, num, &a.id, &sig, &cfg.index)?;
            batch.ops.push(Op::PutDocNum {
                id: a.id.clone(),
                num,
            });
            self.index_docs += 1;
            self.story_docs += 1;
            let v = stories::vectorise(ov, &a, self.story_docs, Count::Add, &scfg)?;
            let story = match store.story_of(&a.id)?.as_deref().and_then(story_num) {
                Some(n) => n,
                None => {
                    let n = self.new_story();
                    batch.ops.push(Op::AddStoryMembers {
                        story: format!("s{n}"),
                        documents: vec![a.id.clone()],
                        title: a.title.clone(),
                    });
                    n
                }
            };
            stories::add(ov, story, &v)?;
        }
        self.index_version = INDEX_VERSION;
        Ok(())
    }

    fn next_num(&mut self) -> u32 {
        self.index_next = self.index_next.max(1);
        let n = self.index_next as u32;
        self.index_next += 1;
        n
    }

    fn new_story(&mut self) -> u32 {
        let n = self.story_seq.max(1);
        self.story_seq = n + 1;
        n as u32
    }

    /// Indexes the batch, verifies it against its candidates, places it in
    /// stories and recomputes the derivations around it. Returns the ops
    /// (index rows are left in `ov`).
    fn place(
        &mut self,
        store: &dyn Store,
        ov: &mut Overlay<'_>,
        fresh: &[(StoredDoc, Article)],
        cfg: &Config,
    ) -> Result<Vec<Op>, StoreError> {
        let mut ops = Vec::new();
        let mut pool = Pool::default();
        let changed: BTreeSet<&str> = fresh.iter().map(|(d, _)| d.id.as_str()).collect();
        // Replaced documents: their old version leaves the index, and the
        // documents they were compared with are recomputed too.
        let mut old_partners: BTreeSet<String> = BTreeSet::new();
        let mut replaced: Vec<(String, Article)> = Vec::new();
        for (doc, _) in fresh {
            if let Some(old) = store.article(&doc.id)? {
                for l in store.compared_with(&doc.id)? {
                    if !changed.contains(l.other.as_str()) {
                        let (a, b) = ordered(&doc.id, &l.other);
                        ops.push(Op::DeleteIndependent {
                            a: a.to_string(),
                            b: b.to_string(),
                        });
                        if l.derivation {
                            old_partners.insert(l.other);
                        }
                    }
                }
                ops.push(Op::DeleteComparisonsOf(doc.id.clone()));
                replaced.push((doc.id.clone(), old));
            }
        }
        for (_, a) in fresh {
            pool.add(a.clone());
        }

        // 1. Candidates: the batch joins the index, then each document
        // queries it (stored documents and the whole batch), so that a
        // document's best sketch and passage candidates are chosen among
        // all of them, as in a batch run or when the store is verified
        // again, not only among those filed before it.
        let mut pairs: BTreeSet<(usize, usize)> = BTreeSet::new();
        let mut filed: Vec<(Signature, u32)> = Vec::with_capacity(fresh.len());
        for (_, art) in fresh {
            let sig = Signature::of(&art.text, &cfg.index);
            let num = match store.doc_num(&art.id)? {
                Some(n) => {
                    if let Some((_, old)) = replaced.iter().find(|(id, _)| *id == art.id) {
                        let old_sig = Signature::of(&old.text, &cfg.index);
                        cindex::remove(ov, n, &old_sig, &cfg.index)?;
                    }
                    n
                }
                None => {
                    self.index_docs += 1;
                    let n = self.next_num();
                    ops.push(Op::PutDocNum {
                        id: art.id.clone(),
                        num: n,
                    });
                    n
                }
            };
            cindex::insert(ov, num, &art.id, &sig, &cfg.index)?;
            filed.push((sig, num));
        }
        for ((_, art), (sig, num)) in fresh.iter().zip(&filed) {
            let found = cindex::query(ov, sig, self.index_docs, &cfg.index, *num)?;
            let me = pool.at[&art.id];
            for (_, id) in found {
                if id == art.id {
                    continue;
                }
                if let Some(o) = pool.load(store, &id)? {
                    let (x, y) = if pool.articles[me].id < pool.articles[o].id {
                        (me, o)
                    } else {
                        (o, me)
                    };
                    pairs.insert((x, y));
                }
            }
        }

        // 2. Verify only the new pairs: a few (one article's) in this
        // thread, since waking a worker pool costs more than it saves on a
        // busy machine (same verdicts: `verify` maps `compare` over them).
        let pairs: Vec<(usize, usize)> = pairs.into_iter().collect();
        let verified = if pairs.len() <= SERIAL_PAIRS {
            pairs
                .iter()
                .map(|&(i, j)| {
                    let c = stemma_pipeline::compare(&pool.articles[i], &pool.articles[j], cfg);
                    (i, j, c)
                })
                .collect()
        } else {
            stemma_pipeline::verify(&pool.articles, &pairs, cfg)
        };
        for (_, _, c) in &verified {
            ops.push(Op::PutComparison(c.clone()));
        }

        // 3. Stories.
        let story_ops = self.place_stories(store, ov, fresh, &replaced, &pool, &verified)?;
        let final_story = story_ops.1;
        ops.extend(story_ops.0);

        // Independent links between members of one story.
        for (i, j, c) in &verified {
            let (a, b) = (&pool.articles[*i].id, &pool.articles[*j].id);
            if c.kind == RelationKind::Independent {
                let sa = final_story.get(a).cloned().or(store.story_of(a)?);
                let sb = final_story.get(b).cloned().or(store.story_of(b)?);
                if sa.is_some() && sa == sb {
                    let (a, b) = ordered(a, b);
                    ops.push(Op::PutIndependent(IndependentLink {
                        a: a.to_string(),
                        b: b.to_string(),
                        similarity: stemma_pipeline::mean_similarity(c),
                    }));
                }
            }
        }

        // 4. Derivations over the neighbourhood.
        self.derive_around(store, &mut pool, fresh, old_partners, &verified, &mut ops)?;
        Ok(ops)
    }

    /// Places each new document in a story: with the stories of the
    /// documents it is derived from or by (merging them: derivations share
    /// a story), else in the most similar story when similar enough, else
    /// in a new one. Returns the membership ops and the story of each
    /// document that moved.
    fn place_stories(
        &mut self,
        store: &dyn Store,
        ov: &mut Overlay<'_>,
        fresh: &[(StoredDoc, Article)],
        replaced: &[(String, Article)],
        pool: &Pool,
        verified: &[(usize, usize, Comparison)],
    ) -> Result<(Vec<Op>, HashMap<String, String>), StoreError> {
        let scfg = StoryConfig::default();
        let changed: BTreeSet<&str> = fresh.iter().map(|(d, _)| d.id.as_str()).collect();
        let mut story_of: BTreeMap<String, u32> = BTreeMap::new();
        let mut redirect: BTreeMap<u32, u32> = BTreeMap::new();
        let resolve = |redirect: &BTreeMap<u32, u32>, mut s: u32| {
            while let Some(&t) = redirect.get(&s) {
                s = t;
            }
            s
        };
        let mut titles: HashMap<u32, Option<String>> = HashMap::new();
        // A document replaced by the same article (verified again, or a
        // page whose text did not change) keeps its story: it moves only
        // when a derivation joins it to another.
        let mut kept: HashMap<&str, u32> = HashMap::new();
        for (id, old) in replaced {
            if let Some(s) = store.story_of(id)?.as_deref().and_then(story_num)
                && fresh.iter().any(|(_, a)| a == old)
            {
                kept.insert(id.as_str(), s);
            }
        }
        // Other replaced documents leave their story first.
        let mut emptied: HashMap<&str, u32> = HashMap::new();
        for (id, old) in replaced {
            if kept.contains_key(id.as_str()) {
                continue;
            }
            if let Some(s) = store.story_of(id)?.as_deref().and_then(story_num) {
                let v = stories::vectorise(ov, old, self.story_docs, Count::Remove, &scfg)?;
                if stories::subtract(ov, s, &v)? == 0 {
                    emptied.insert(id.as_str(), s);
                }
            }
        }
        let mut linked: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for (i, j, c) in verified {
            if c.kind.is_derivation() {
                let (a, b) = (pool.articles[*i].id.as_str(), pool.articles[*j].id.as_str());
                linked.entry(a).or_default().push(b);
                linked.entry(b).or_default().push(a);
            }
        }
        for (_, art) in fresh {
            let keep = kept.get(art.id.as_str()).copied();
            if !replaced.iter().any(|(id, _)| *id == art.id) {
                self.story_docs += 1;
            }
            let v = match keep {
                Some(_) => None,
                None => Some(stories::vectorise(
                    ov,
                    art,
                    self.story_docs,
                    Count::Add,
                    &scfg,
                )?),
            };
            let mut targets: BTreeSet<u32> =
                keep.map(|s| resolve(&redirect, s)).into_iter().collect();
            for &other in linked.get(art.id.as_str()).map_or(&[][..], Vec::as_slice) {
                let s = match story_of.get(other) {
                    Some(&s) => Some(s),
                    None if changed.contains(other) => None, // placed later
                    None => store.story_of(other)?.as_deref().and_then(story_num),
                };
                if let Some(s) = s {
                    targets.insert(resolve(&redirect, s));
                }
            }
            let target = if let (true, Some(v)) = (targets.is_empty(), &v) {
                match stories::best_story(ov, v, &scfg)? {
                    Some((s, sim)) if sim >= scfg.threshold => s,
                    _ => match emptied.get(art.id.as_str()) {
                        Some(&s) if stories::count(ov, s)? == 0 => s,
                        _ => {
                            let n = self.new_story();
                            titles.insert(n, art.title.clone());
                            n
                        }
                    },
                }
            } else {
                // The largest story absorbs the others (ties: the oldest).
                let mut into = (0u32, 0u32);
                for &t in &targets {
                    let c = stories::count(ov, t)?;
                    if into.0 == 0 || c > into.1 {
                        into = (t, c);
                    }
                }
                for &t in &targets {
                    if t != into.0 {
                        stories::merge_into(ov, t, into.0)?;
                        redirect.insert(t, into.0);
                    }
                }
                into.0
            };
            if let Some(v) = &v {
                stories::add(ov, target, v)?;
            }
            story_of.insert(art.id.clone(), target);
        }

        // Final membership: the batch, and the stored members of stories
        // merged away.
        let mut members: BTreeMap<u32, BTreeSet<String>> = BTreeMap::new();
        for (id, &s) in &story_of {
            members
                .entry(resolve(&redirect, s))
                .or_default()
                .insert(id.clone());
        }
        for &from in redirect.keys() {
            if let Some(st) = store.story(&format!("s{from}"))? {
                let into = resolve(&redirect, from);
                members.entry(into).or_default().extend(
                    st.documents
                        .into_iter()
                        .filter(|d| !changed.contains(d.as_str())),
                );
            }
        }
        let mut moved = HashMap::new();
        let mut ops = Vec::new();
        for (s, docs) in members {
            let id = format!("s{s}");
            for d in &docs {
                moved.insert(d.clone(), id.clone());
            }
            ops.push(Op::AddStoryMembers {
                story: id,
                documents: docs.into_iter().collect(),
                title: titles.get(&s).cloned().flatten(),
            });
        }
        Ok((ops, moved))
    }

    /// Recomputes the derivation rules (orientation, unseen sources,
    /// siblings, direct sources) over the neighbourhood of the batch: the
    /// new documents, their derivation partners (the strongest
    /// [`MAX_PARTNERS`] each) and the documents linked to those by stored
    /// derivation verdicts. The relation rows of the new documents and
    /// their partners are rewritten; rows further out are left as they are.
    #[allow(clippy::too_many_arguments)]
    fn derive_around(
        &mut self,
        store: &dyn Store,
        pool: &mut Pool,
        fresh: &[(StoredDoc, Article)],
        old_partners: BTreeSet<String>,
        verified: &[(usize, usize, Comparison)],
        ops: &mut Vec<Op>,
    ) -> Result<(), StoreError> {
        let changed: BTreeSet<String> = fresh.iter().map(|(d, _)| d.id.clone()).collect();
        let mut partners: BTreeMap<&str, Vec<(f32, &str)>> = BTreeMap::new();
        for (i, j, c) in verified {
            if c.kind.is_derivation() {
                let (a, b) = (pool.articles[*i].id.as_str(), pool.articles[*j].id.as_str());
                partners.entry(a).or_default().push((c.confidence, b));
                partners.entry(b).or_default().push((c.confidence, a));
            }
        }
        // R: the documents whose relation rows are rewritten.
        let mut r: BTreeSet<String> = changed.clone();
        for id in &changed {
            let mut list = partners.remove(id.as_str()).unwrap_or_default();
            list.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(y.1)));
            r.extend(
                list.into_iter()
                    .take(MAX_PARTNERS)
                    .map(|(_, o)| o.to_string()),
            );
        }
        r.extend(old_partners);
        // A: R and the documents linked to it by stored derivations.
        let limit = MAX_NEIGHBOURHOOD * changed.len().max(1);
        let mut area: BTreeSet<String> = r.clone();
        let mut links: BTreeSet<(String, String)> = BTreeSet::new(); // (a, b) as stored
        let note = |x: &str, l: &Link, links: &mut BTreeSet<(String, String)>| {
            let key = if l.forward {
                (x.to_string(), l.other.clone())
            } else {
                (l.other.clone(), x.to_string())
            };
            links.insert(key);
        };
        for x in r.iter().filter(|x| !changed.contains(*x)) {
            for l in store.compared_with(x)? {
                if !l.derivation || changed.contains(&l.other) {
                    continue;
                }
                if area.len() < limit {
                    area.insert(l.other.clone());
                }
                if area.contains(&l.other) {
                    note(x, &l, &mut links);
                }
            }
        }
        let outer: Vec<String> = area.difference(&r).cloned().collect();
        for y in &outer {
            for l in store.compared_with(y)? {
                if l.derivation && area.contains(&l.other) && !changed.contains(&l.other) {
                    note(y, &l, &mut links);
                }
            }
        }
        // The articles and verdicts of A.
        let mut sub: Vec<Article> = Vec::new();
        let mut at: HashMap<String, usize> = HashMap::new();
        for id in &area {
            if let Some(i) = pool.load(store, id)? {
                at.insert(id.clone(), sub.len());
                sub.push(pool.articles[i].clone());
            }
        }
        let mut compared: Vec<(usize, usize, Comparison)> = Vec::new();
        for (i, j, c) in verified {
            if let (Some(&x), Some(&y)) =
                (at.get(&pool.articles[*i].id), at.get(&pool.articles[*j].id))
            {
                compared.push((x, y, c.clone()));
            }
        }
        for (a, b) in &links {
            if let (Some(&x), Some(&y), Some(c)) = (at.get(a), at.get(b), store.comparison(a, b)?) {
                compared.push((x, y, c));
            }
        }
        let mut report = stemma_pipeline::report_from(&sub, &compared);

        // Unseen sources: keep the ids of the stored groups they overlap.
        let mut old_unseen: BTreeMap<String, UnseenSource> = BTreeMap::new();
        let mut old_rows: BTreeMap<(String, String), Relation> = BTreeMap::new();
        for d in &area {
            for rel in store.relations_of(d)? {
                if rel.derivative != *d {
                    continue;
                }
                if rel.source.starts_with("unseen:")
                    && !old_unseen.contains_key(&rel.source)
                    && let Some(u) = store.unseen_source(&rel.source)?
                {
                    old_unseen.insert(rel.source.clone(), u);
                }
                if r.contains(d) {
                    old_rows.insert((rel.derivative.clone(), rel.source.clone()), rel);
                }
            }
        }
        let olds: Vec<(&str, &[DocId])> = old_unseen
            .values()
            .map(|u| (u.id.as_str(), u.derivatives.as_slice()))
            .collect();
        let news: Vec<&[DocId]> = report
            .unseen_sources
            .iter()
            .map(|u| u.derivatives.as_slice())
            .collect();
        let ids = stable_ids(&olds, &news, "unseen:", &mut self.unseen_seq);
        let mut rename: HashMap<String, String> = HashMap::new();
        let mut rows: BTreeMap<String, UnseenSource> = BTreeMap::new();
        for (u, id) in report.unseen_sources.iter().zip(ids) {
            rename.insert(u.id.clone(), id.clone());
            let mut derivatives: BTreeSet<DocId> = old_unseen
                .get(&id)
                .map(|o| {
                    o.derivatives
                        .iter()
                        .filter(|d| !r.contains(*d))
                        .cloned()
                        .collect()
                })
                .unwrap_or_default();
            derivatives.extend(u.derivatives.iter().filter(|d| r.contains(*d)).cloned());
            rows.insert(
                id.clone(),
                UnseenSource {
                    id,
                    derivatives: derivatives.into_iter().collect(),
                    cited: u.cited.clone(),
                },
            );
        }
        for (id, o) in &old_unseen {
            rows.entry(id.clone()).or_insert_with(|| UnseenSource {
                id: id.clone(),
                derivatives: o
                    .derivatives
                    .iter()
                    .filter(|d| !r.contains(*d))
                    .cloned()
                    .collect(),
                cited: o.cited.clone(),
            });
        }
        for (id, u) in rows {
            if u.derivatives.is_empty() {
                if old_unseen.contains_key(&id) {
                    ops.push(Op::DeleteUnseen(id));
                }
            } else if old_unseen.get(&id) != Some(&u) {
                ops.push(Op::PutUnseen(u));
            }
        }
        for rel in &mut report.relations {
            if let Some(id) = rename.get(&rel.source) {
                rel.source = id.clone();
            }
        }
        let new_rows = report
            .relations
            .into_iter()
            .filter(|rel| r.contains(&rel.derivative))
            .map(|rel| ((rel.derivative.clone(), rel.source.clone()), rel));
        let mut diffed = Batch::new();
        diff(
            old_rows,
            new_rows,
            |(derivative, source)| Op::DeleteRelation { derivative, source },
            Op::PutRelation,
            &mut diffed,
        );
        ops.extend(diffed.ops);
        Ok(())
    }
}

/// Two ids in order.
fn ordered<'a>(a: &'a str, b: &'a str) -> (&'a str, &'a str) {
    if a <= b { (a, b) } else { (b, a) }
}

/// One page's reading, a panic turned into its error.
fn guarded<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    catch_unwind(AssertUnwindSafe(f))
        .map_err(|_| "the extractor failed on this document".to_string())
}

/// Appends deletes for keys only in `old`, then puts for rows that are new
/// or differ.
fn diff<K: Ord, V: PartialEq>(
    mut old: BTreeMap<K, V>,
    new: impl Iterator<Item = (K, V)>,
    delete: impl Fn(K) -> Op,
    put: impl Fn(V) -> Op,
    batch: &mut Batch,
) {
    let mut puts = Vec::new();
    for (k, v) in new {
        match old.remove(&k) {
            Some(o) if o == v => {}
            _ => puts.push(put(v)),
        }
    }
    batch.ops.extend(old.into_keys().map(delete));
    batch.ops.extend(puts);
}

/// The next free number after the counter and every existing `prefix<N>` id.
fn next_seq<'a>(counter: u64, ids: impl Iterator<Item = &'a str>, prefix: &str) -> u64 {
    ids.filter_map(|id| id.strip_prefix(prefix)?.parse::<u64>().ok())
        .map(|n| n + 1)
        .chain([counter, 1])
        .max()
        .unwrap_or(1)
}

/// Gives each new set the id of the old set it shares most members with
/// (greedily, largest overlap first, each old id used once), and fresh
/// `prefix<seq>` ids to the rest.
fn stable_ids(
    old: &[(&str, &[DocId])],
    new: &[&[DocId]],
    prefix: &str,
    seq: &mut u64,
) -> Vec<String> {
    let mut owner: HashMap<&str, usize> = HashMap::new();
    for (o, (_, members)) in old.iter().enumerate() {
        for m in *members {
            owner.insert(m.as_str(), o);
        }
    }
    let mut pairs: Vec<(usize, usize, usize)> = Vec::new(); // (overlap, new, old)
    for (n, members) in new.iter().enumerate() {
        let mut overlap: HashMap<usize, usize> = HashMap::new();
        for m in *members {
            if let Some(&o) = owner.get(m.as_str()) {
                *overlap.entry(o).or_default() += 1;
            }
        }
        pairs.extend(overlap.into_iter().map(|(o, c)| (c, n, o)));
    }
    pairs.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then(a.1.cmp(&b.1))
            .then_with(|| natural_key(old[a.2].0).cmp(&natural_key(old[b.2].0)))
    });
    let mut ids: Vec<Option<String>> = vec![None; new.len()];
    let mut used: HashSet<usize> = HashSet::new();
    for (_, n, o) in pairs {
        if ids[n].is_none() && used.insert(o) {
            ids[n] = Some(old[o].0.to_string());
        }
    }
    ids.into_iter()
        .map(|id| {
            id.unwrap_or_else(|| {
                let id = format!("{prefix}{seq}");
                *seq += 1;
                id
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::IndexTable;

    fn v(ids: &[&str]) -> Vec<DocId> {
        ids.iter().map(|s| s.to_string()).collect()
    }

    const FERRY: &str = "Ferry service resumes after storm\n\
        The island ferry returned to service on Thursday after three days of gales kept it \
        in port. Harbour officials said the first crossing left at seven in the morning with \
        forty passengers aboard. The operator apologised for the disruption and promised extra \
        sailings over the weekend.";
    const COMET: &str = "Amateur astronomers spot a faint comet\n\
        Two amateur astronomers photographed a faint comet low in the western sky on Tuesday \
        night. The comet should brighten over the coming fortnight and may become visible with \
        binoculars. The local observatory will open its dome to the public on Saturday.";

    fn raw(id: &str, text: &str) -> RawDoc {
        RawDoc::text(id, text)
    }

    /// Whether each band row of `minhash` (`rows` values a band) holds `num`.
    fn bands_hold(store: &dyn Store, minhash: &[u32], rows: usize, num: u32) -> Vec<bool> {
        let cfg = stemma_index::IndexConfig {
            rows,
            ..Default::default()
        };
        let sig = Signature {
            exact: 0,
            minhash: minhash.to_vec(),
            terms: Vec::new(),
        };
        rows_hold(store, IndexTable::Band, &sig.band_keys(&cfg), num)
    }

    /// Whether each row of `keys` in `table` holds `num`.
    fn rows_hold(store: &dyn Store, table: IndexTable, keys: &[u64], num: u32) -> Vec<bool> {
        store
            .index_rows(table, keys)
            .unwrap()
            .into_iter()
            .map(|r| r.is_some_and(|r| cindex::unpack(&r).contains(&num)))
            .collect()
    }

    /// A store of one document ("ferry") filed under the index of version
    /// 1: other MinHash values, banded as then. Returns the store, the
    /// document's number, its current signature and the old MinHash.
    fn store_with_v1_index(cfg: &Config) -> (crate::MemoryStore, u32, Signature, Vec<u32>) {
        let store = crate::MemoryStore::new();
        ingest(&store, vec![raw("ferry", FERRY)], cfg).unwrap();
        let num = store.doc_num("ferry").unwrap().unwrap();
        let text = store.article("ferry").unwrap().unwrap().text;
        let sig = Signature::of(&text, &cfg.index);
        let rows = cfg.index.rows;
        assert!(
            bands_hold(&store, &sig.minhash, rows, num)
                .iter()
                .all(|&b| b)
        );
        // Back to "version 1": file the document under other MinHash values,
        // banded as then.
        let old: Vec<u32> = sig.minhash.iter().map(|v| v ^ 0x5a5a_5a5a).collect();
        let mut ov = Overlay::new(&store);
        cindex::remove(&mut ov, num, &sig, &cfg.index).unwrap();
        let old_sig = Signature {
            minhash: old.clone(),
            ..sig.clone()
        };
        let v1 = stemma_index::IndexConfig {
            rows: V1_ROWS,
            ..cfg.index.clone()
        };
        cindex::insert(&mut ov, num, "ferry", &old_sig, &v1).unwrap();
        let mut batch = Batch::new();
        batch.ops = ov.into_ops();
        batch.push(Op::PutCounter(INDEX_VERSION_KEY.into(), 1));
        store.commit(batch).unwrap();
        assert!(
            bands_hold(&store, &sig.minhash, rows, num)
                .iter()
                .all(|&b| !b)
        );
        assert!(bands_hold(&store, &old, V1_ROWS, num).iter().all(|&b| b));

        (store, num, sig, old)
    }

    #[test]
    fn verifying_again_first_refiles_an_old_index() {
        let cfg = Config::default();
        let (store, num, sig, old) = store_with_v1_index(&cfg);
        let mut b = Batch::new();
        b.push(Op::PutCounter(VERIFIER_VERSION_KEY.into(), 0));
        store.commit(b).unwrap();
        assert_eq!(reverify_step(&store, &cfg, 8).unwrap(), Some(0));
        assert_eq!(store.counter(INDEX_VERSION_KEY).unwrap(), INDEX_VERSION);
        assert!(bands_hold(&store, &old, V1_ROWS, num).iter().all(|&b| !b));
        assert_eq!(reverify_step(&store, &cfg, 8).unwrap(), Some(1));
        assert_eq!(reverify_step(&store, &cfg, 8).unwrap(), None);
        assert!(
            bands_hold(&store, &sig.minhash, cfg.index.rows, num)
                .iter()
                .all(|&b| b)
        );
        assert_eq!(stale_verdicts(&store).unwrap(), None);
    }

    /// A store indexed under the version-1 MinHash (simulated: other values
    /// in the signature row, the document filed under their bands) is
    /// re-filed under the current MinHash on its next ingest.
    #[test]
    fn old_minhash_is_refiled_on_the_next_ingest() {
        let cfg = Config::default();
        let (store, num, sig, old) = store_with_v1_index(&cfg);
        let rows = cfg.index.rows;
        ingest(&store, vec![raw("comet", COMET)], &cfg).unwrap();
        assert_eq!(store.counter(INDEX_VERSION_KEY).unwrap(), INDEX_VERSION);
        assert!(
            bands_hold(&store, &sig.minhash, rows, num)
                .iter()
                .all(|&b| b)
        );
        assert!(bands_hold(&store, &old, V1_ROWS, num).iter().all(|&b| !b));
        let row = store
            .index_rows(IndexTable::Signature, &[u64::from(num)])
            .unwrap();
        let row = cindex::SigRow::decode(row[0].as_deref().unwrap()).unwrap();
        assert_eq!(row.minhash, sig.minhash);
        // And a copy still finds it.
        let out = ingest(&store, vec![raw("ferry-copy", FERRY)], &cfg).unwrap();
        assert!(out.relations >= 1, "{out:?}");
    }

    /// Whether each key-term row of `terms` holds `num`.
    fn terms_hold(store: &dyn Store, terms: &[u64], num: u32) -> Vec<bool> {
        rows_hold(store, IndexTable::Term, terms, num)
    }

    /// A store indexed under version 2 (the document filed under the key
    /// terms sampled as then) has it re-filed under its current terms on
    /// the next ingest.
    #[test]
    fn old_key_terms_are_refiled_on_the_next_ingest() {
        let cfg = Config::default();
        let store = crate::MemoryStore::new();
        ingest(&store, vec![raw("ferry", FERRY)], &cfg).unwrap();
        let num = store.doc_num("ferry").unwrap().unwrap();
        let text = store.article("ferry").unwrap().unwrap().text;
        let sig = Signature::of(&text, &cfg.index);
        let old = Signature::of(&text, &v2_terms(&cfg.index));
        let only = |a: &Signature, b: &Signature| -> Vec<u64> {
            a.terms
                .iter()
                .copied()
                .filter(|t| !b.terms.contains(t))
                .collect()
        };
        let (new_only, old_only) = (only(&sig, &old), only(&old, &sig));
        assert!(!new_only.is_empty() && !old_only.is_empty());
        // Back to version 2.
        let mut ov = Overlay::new(&store);
        cindex::remove(&mut ov, num, &sig, &cfg.index).unwrap();
        cindex::insert(&mut ov, num, "ferry", &old, &cfg.index).unwrap();
        let mut batch = Batch::new();
        batch.ops = ov.into_ops();
        batch.push(Op::PutCounter(INDEX_VERSION_KEY.into(), 2));
        store.commit(batch).unwrap();
        assert!(terms_hold(&store, &new_only, num).iter().all(|&b| !b));
        assert!(terms_hold(&store, &old_only, num).iter().all(|&b| b));

        ingest(&store, vec![raw("comet", COMET)], &cfg).unwrap();
        assert_eq!(store.counter(INDEX_VERSION_KEY).unwrap(), INDEX_VERSION);
        assert!(terms_hold(&store, &new_only, num).iter().all(|&b| b));
        assert!(terms_hold(&store, &old_only, num).iter().all(|&b| !b));
        assert!(terms_hold(&store, &sig.terms, num).iter().all(|&b| b));
        assert!(
            bands_hold(&store, &sig.minhash, cfg.index.rows, num)
                .iter()
                .all(|&b| b)
        );
    }

    /// Two texts that share one passage and nothing else meet through their
    /// passage anchors in the store's index, as in the in-memory one.
    #[test]
    fn a_shared_passage_is_found_in_the_store() {
        const SYL: [&str; 10] = [
            "ka", "lo", "mi", "ru", "te", "van", "sor", "del", "pin", "gat",
        ];
        let made_up = |from: usize, to: usize| -> String {
            (from..to)
                .map(|n| {
                    let w: String = [n / 100 % 10, n / 10 % 10, n % 10]
                        .iter()
                        .map(|&d| SYL[d])
                        .collect();
                    if n % 10 == 9 {
                        format!("{w}. ")
                    } else {
                        format!("{w} ")
                    }
                })
                .collect()
        };
        let passage = made_up(900, 960);
        let a = format!("{}{passage}{}", made_up(0, 200), made_up(200, 400));
        let b = format!("{}{passage}{}", made_up(400, 600), made_up(600, 800));
        let cfg = Config::default();
        let store = crate::MemoryStore::new();
        ingest(
            &store,
            vec![raw("a", &a), raw("c", &made_up(800, 900))],
            &cfg,
        )
        .unwrap();
        let sig = Signature::of(&store.article("a").unwrap().unwrap().text, &cfg.index);
        let mut other = Signature::of(&b, &cfg.index);
        let mut ov = Overlay::new(&store);
        let found = cindex::query(&mut ov, &other, 2, &cfg.index, u32::MAX).unwrap();
        assert_eq!(
            found.iter().map(|f| f.1.as_str()).collect::<Vec<_>>(),
            ["a"]
        );
        // Through the anchors alone.
        other
            .terms
            .retain(|&t| Signature::is_anchor(t) && sig.terms.contains(&t));
        assert!(other.terms.len() >= cfg.index.min_anchors);
        other.minhash.clear();
        let found = cindex::query(&mut ov, &other, 2, &cfg.index, u32::MAX).unwrap();
        assert_eq!(found.len(), 1);
    }

    #[test]
    fn stable_ids_follow_the_largest_overlap() {
        let (a, b) = (v(&["a", "b"]), v(&["c"]));
        let old = [("s1", a.as_slice()), ("s7", b.as_slice())];
        let (n1, n2, n3) = (v(&["c", "d"]), v(&["a", "b", "e"]), v(&["f"]));
        let new = [n1.as_slice(), n2.as_slice(), n3.as_slice()];
        let mut seq = 8;
        assert_eq!(stable_ids(&old, &new, "s", &mut seq), ["s7", "s1", "s8"]);
        assert_eq!(seq, 9);
    }

    #[test]
    fn next_seq_passes_every_existing_id() {
        assert_eq!(next_seq(0, ["s3", "s10", "x"].into_iter(), "s"), 11);
        assert_eq!(next_seq(20, ["s3"].into_iter(), "s"), 20);
        assert_eq!(next_seq(0, std::iter::empty(), "s"), 1);
    }

    #[test]
    fn hash_ignores_origin_but_not_content() {
        let raw = RawDoc {
            id: "a".into(),
            url: None,
            published: None,
            origin: "x.txt".into(),
            body: Body::Text("hello".into()),
        };
        let mut moved = raw.clone();
        moved.origin = "y.txt".into();
        assert_eq!(content_hash(&raw), content_hash(&moved));
        let mut html = raw.clone();
        html.body = Body::Html("hello".into());
        assert_ne!(content_hash(&raw), content_hash(&html));
        assert_eq!(content_hash(&raw).len(), 32);
    }
}
