//! [`StoreBackend`]: the [`Backend`] over a persistent [`Store`] (the
//! embedded redb file of `stemma serve --db`), with ingest going through
//! [`stemma_store::ingest::ingest`] so that every acknowledged document is
//! committed before the response is sent.
//!
//! Ingests are serialised by a lock of their own: the store's optimistic
//! commit (a batch expects the generation it was computed against) would
//! otherwise turn concurrent POSTs into conflicts, and after a few retries
//! into 500 answers. Reads never take the lock.
//!
//! Deferred store work (the redb store's index rows written behind, see
//! [`Store::maintain`]) runs in idle time: [`StoreBackend::spawn_maintenance`]
//! starts a thread that, once no ingest has come for a while, takes the
//! writer lock for one bounded slice at a time, so an ingest that arrives
//! meanwhile waits for one slice at most.
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, TryLockError, Weak};
use std::time::{Duration, Instant};

use stemma_core::{Article, Comparison, RawDoc, Relation, Report};
use stemma_pipeline::Config;
use stemma_store::{Store, StoreError};

use crate::backend::{
    Backend, BackendError, IngestSummary, SearchHit, Status, StoryDetail, snippet,
};

/// A [`Backend`] reading and writing a [`Store`].
pub struct StoreBackend {
    store: Arc<dyn Store>,
    cfg: Config,
    /// Held for the whole of one ingest (one writer at a time), and for
    /// each slice of idle maintenance.
    writer: Mutex<()>,
    /// When the last ingest ended.
    last_write: Mutex<Instant>,
    /// The last report built, with the store generation it was read at:
    /// the story list, `/api/documents` and `/api/report` share it until a
    /// commit (an ingest, a re-verified slice) moves the generation on.
    /// Held while a report is built, so that requests arriving meanwhile
    /// wait for that one rather than each reading the whole store.
    report: Mutex<Option<(u64, Arc<Report>)>>,
}

impl std::fmt::Debug for StoreBackend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoreBackend")
            .field("read_only", &self.store.is_read_only())
            .finish()
    }
}

/// The idle-maintenance thread of a [`StoreBackend`]; dropping it stops
/// the thread (between slices) and waits for it.
#[derive(Debug)]
pub struct Maintenance {
    stop: Arc<AtomicBool>,
    handle: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Maintenance {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}

/// Documents verified again in one idle slice: an ingest that comes
/// meanwhile waits for at most one slice, about as long as an ingest of
/// that many documents.
const REVERIFY_SLICE: usize = 16;

impl StoreBackend {
    /// Serves `store`, comparing new documents with `cfg`.
    pub fn new(store: Arc<dyn Store>, cfg: Config) -> Self {
        StoreBackend {
            store,
            cfg,
            writer: Mutex::new(()),
            last_write: Mutex::new(Instant::now()),
            report: Mutex::new(None),
        }
    }

    /// Starts a thread that does the store's deferred work whenever no
    /// ingest has come for `idle` (checked every `idle / 4`). Dropping the
    /// returned handle stops the thread between two slices and waits for
    /// it, so drop it before the backend when the store must close cleanly
    /// (the thread otherwise ends by itself once the backend is dropped).
    pub fn spawn_maintenance(self: &Arc<Self>, idle: Duration) -> std::io::Result<Maintenance> {
        let weak: Weak<StoreBackend> = Arc::downgrade(self);
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = stop.clone();
        let poll = (idle / 4).max(Duration::from_millis(10));
        let handle = std::thread::Builder::new()
            .name("stemma-maintain".into())
            .spawn(move || {
                while !stopped.load(Ordering::Relaxed) {
                    std::thread::sleep(poll);
                    let Some(backend) = weak.upgrade() else {
                        return;
                    };
                    if let Err(e) = backend.maintain_while(idle, &stopped) {
                        eprintln!("stemma: idle maintenance: {e}");
                    }
                }
            })?;
        Ok(Maintenance {
            stop,
            handle: Some(handle),
        })
    }

    /// Runs slices of the store's deferred work while no ingest has come
    /// for `idle` and none holds the writer lock; returns the slices run.
    pub fn maintain_if_idle(&self, idle: Duration) -> Result<usize, StoreError> {
        self.maintain_while(idle, &AtomicBool::new(false))
    }

    fn maintain_while(&self, idle: Duration, stop: &AtomicBool) -> Result<usize, StoreError> {
        let mut slices = 0;
        while self.idle_for() >= idle && !stop.load(Ordering::Relaxed) {
            let _writer = match self.writer.try_lock() {
                Ok(g) => g,
                Err(TryLockError::Poisoned(e)) => e.into_inner(),
                Err(TryLockError::WouldBlock) => break,
            };
            // Verdicts of an older verifier are made again first, a few
            // documents a slice, then written-behind index rows are filed.
            let more = match stemma_store::ingest::reverify_step(
                self.store.as_ref(),
                &self.cfg,
                REVERIFY_SLICE,
            )? {
                Some(_) => true,
                None => self.store.maintain(stemma_store::MAINTAIN_ROWS)?,
            };
            slices += 1;
            if !more {
                break;
            }
        }
        Ok(slices)
    }

    fn idle_for(&self) -> Duration {
        self.last_write
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .elapsed()
    }
}

fn store_err(e: StoreError) -> BackendError {
    BackendError::Store(e.to_string())
}

impl Backend for StoreBackend {
    fn report(&self) -> Result<Arc<Report>, BackendError> {
        // A poisoned lock holds at worst no report or a whole one.
        let mut cached = self.report.lock().unwrap_or_else(|e| e.into_inner());
        // Read before the report: a commit landing while it is built leaves
        // it tagged older than it may be, so the next call builds it again.
        let generation = self.store.generation().map_err(store_err)?;
        if let Some((g, r)) = cached.as_ref()
            && *g == generation
        {
            return Ok(Arc::clone(r));
        }
        let r = Arc::new(stemma_store::report(self.store.as_ref()).map_err(store_err)?);
        *cached = Some((generation, Arc::clone(&r)));
        Ok(r)
    }

    fn article(&self, id: &str) -> Result<Option<Article>, BackendError> {
        self.store.article(id).map_err(store_err)
    }

    fn compare(&self, a: &str, b: &str) -> Result<Option<Comparison>, BackendError> {
        let (Some(x), Some(y)) = (self.article(a)?, self.article(b)?) else {
            return Ok(None);
        };
        if let Some(c) = self.store.comparison(a, b).map_err(store_err)? {
            return Ok(Some(c));
        }
        Ok(Some(stemma_pipeline::compare(&x, &y, &self.cfg)))
    }

    fn status(&self) -> Result<Status, BackendError> {
        let store = self.store.as_ref();
        let counts = store.counts().map_err(store_err)?;
        let stored = match stemma_store::ingest::stale_verdicts(store).map_err(store_err)? {
            Some(old) => old,
            None => stemma_pipeline::VERIFIER_VERSION,
        };
        Ok(Status {
            documents: counts.documents,
            stories: counts.stories,
            relations: counts.relations,
            unseen_sources: counts.unseen_sources,
            verifier_version: stemma_pipeline::VERIFIER_VERSION,
            stored_verifier_version: stored,
            read_only: store.is_read_only(),
        })
    }

    fn ingest(&self, docs: Vec<RawDoc>) -> Result<IngestSummary, BackendError> {
        // A poisoned lock guards no data (ingest commits atomically or not
        // at all), so it is still sound to go on.
        let _writer = self.writer.lock().unwrap_or_else(|e| e.into_inner());
        let out = stemma_store::ingest::ingest(self.store.as_ref(), docs, &self.cfg);
        *self.last_write.lock().unwrap_or_else(|e| e.into_inner()) = Instant::now();
        let out = out.map_err(store_err)?;
        if let Some(e) = out.errors.first()
            && out.added + out.replaced + out.skipped == 0
        {
            return Err(BackendError::Invalid {
                id: e.id.clone(),
                reason: e.reason.clone(),
            });
        }
        Ok(IngestSummary {
            added: out.added_ids,
            unchanged: out.skipped_ids,
            replaced: out.replaced_ids,
            cleaned: out.cleaned_ids,
            rejected: out.errors.iter().map(|e| e.to_string()).collect(),
            total: self.store.counts().map_err(store_err)?.documents,
        })
    }

    fn search(&self, q: &str, limit: usize) -> Result<Vec<SearchHit>, BackendError> {
        let hits = stemma_store::search(self.store.as_ref(), q, limit).map_err(store_err)?;
        hits.into_iter()
            .map(|h| {
                let story = self.store.story_of(&h.id).map_err(store_err)?;
                let snippet = match h.span {
                    Some(span) => match self.store.article(&h.id).map_err(store_err)? {
                        Some(a) => snippet(&a.text, span.start, 160),
                        None => h.snippet,
                    },
                    None => h.snippet,
                };
                Ok(SearchHit {
                    id: h.id,
                    title: h.title.unwrap_or_default(),
                    story,
                    score: h.score as f32,
                    snippet,
                })
            })
            .collect()
    }

    fn story(&self, id: &str) -> Result<Option<StoryDetail>, BackendError> {
        Ok(stemma_store::story_graph(self.store.as_ref(), id)
            .map_err(store_err)?
            .map(|g| StoryDetail {
                story: g.story,
                documents: g.documents,
                relations: g.relations,
                unseen_sources: g.unseen_sources,
                independent: g.independent,
            }))
    }

    fn relation(&self, source: &str, derivative: &str) -> Result<Option<Relation>, BackendError> {
        self.store.relation(derivative, source).map_err(store_err)
    }
}
