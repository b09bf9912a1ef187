//! What the server asks of a store: the [`Backend`] trait, the shapes it
//! answers with, and [`MemoryBackend`], an in-memory implementation.

use std::collections::BTreeMap;
use std::sync::{Arc, RwLock};

use serde::{Deserialize, Serialize};
use stemma_core::{
    Article, Comparison, DocId, DocumentSummary, IndependentLink, RawDoc, Relation, Report, Story,
    UnseenSource,
};
use stemma_pipeline::Config;

/// Why a backend could not answer.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BackendError {
    /// The request was understood but its content cannot be accepted
    /// (mapped to HTTP 422).
    #[error("document {id:?}: {reason}")]
    Invalid {
        /// The offending document.
        id: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The store failed (mapped to HTTP 500; the message is logged, not sent).
    #[error("store error: {0}")]
    Store(String),
}

/// What one ingest call did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IngestSummary {
    /// Documents new to the store.
    pub added: Vec<DocId>,
    /// Documents already stored with the same content (no-op).
    pub unchanged: Vec<DocId>,
    /// Documents stored before with other content, now replaced.
    pub replaced: Vec<DocId>,
    /// Stored documents, not in the request, that lost a line the
    /// request's pages show their site to repeat (boilerplate by
    /// recurrence), and were placed again.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cleaned: Vec<DocId>,
    /// Documents of the request that were not stored, each with the reason
    /// (the others were stored).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rejected: Vec<String>,
    /// Documents stored after the call.
    pub total: usize,
}

/// `GET /api/status`: what the backend holds, and whether the verdicts it
/// serves were made by this build's verifier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Status {
    /// Documents.
    pub documents: usize,
    /// Stories.
    pub stories: usize,
    /// Derivation relations.
    pub relations: usize,
    /// Unseen sources.
    pub unseen_sources: usize,
    /// This build's `stemma_pipeline::VERIFIER_VERSION`.
    pub verifier_version: u64,
    /// The verifier version behind the stored comparisons; lower than
    /// `verifier_version` while they wait to be (or are being) verified
    /// again.
    pub stored_verifier_version: u64,
    /// True when the backend refuses ingests.
    pub read_only: bool,
}

/// One search result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchHit {
    /// Matching document.
    pub id: DocId,
    /// Its title, empty when unknown.
    pub title: String,
    /// Its story, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub story: Option<String>,
    /// Relevance; higher is better.
    pub score: f32,
    /// A short piece of the text around the first match.
    pub snippet: String,
}

/// A story with everything needed to draw its family tree of copies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoryDetail {
    /// The story.
    pub story: Story,
    /// Its documents.
    pub documents: Vec<DocumentSummary>,
    /// Derivations whose derivative is in the story.
    pub relations: Vec<Relation>,
    /// Unseen sources some member derives from.
    pub unseen_sources: Vec<UnseenSource>,
    /// Independent links between members.
    pub independent: Vec<IndependentLink>,
}

impl StoryDetail {
    /// Cuts the story `id` out of a report; `None` when it has no such story.
    pub fn from_report(report: &Report, id: &str) -> Option<StoryDetail> {
        let story = report.stories.iter().find(|s| s.id == id)?.clone();
        let member = |d: &str| story.documents.iter().any(|m| m == d);
        let documents = story
            .documents
            .iter()
            .filter_map(|d| report.documents.iter().find(|s| &s.id == d).cloned())
            .collect();
        let relations: Vec<Relation> = report
            .relations
            .iter()
            .filter(|r| member(&r.derivative))
            .cloned()
            .collect();
        let unseen_sources = report
            .unseen_sources
            .iter()
            .filter(|u| u.derivatives.iter().any(|d| member(d)))
            .cloned()
            .collect();
        let independent = report
            .independent
            .iter()
            .filter(|l| member(&l.a) || member(&l.b))
            .cloned()
            .collect();
        Some(StoryDetail {
            story,
            documents,
            relations,
            unseen_sources,
            independent,
        })
    }
}

/// The store behind the HTTP API. Calls may block; the server runs them on
/// a blocking thread.
pub trait Backend: Send + Sync {
    /// The analysis of everything stored, shared: a backend may hand the
    /// same report to every request until its contents change.
    fn report(&self) -> Result<Arc<Report>, BackendError>;
    /// One stored article, with its text.
    fn article(&self, id: &str) -> Result<Option<Article>, BackendError>;
    /// Compares two stored articles (`a_span` in `a`); `None` when either
    /// is unknown.
    fn compare(&self, a: &str, b: &str) -> Result<Option<Comparison>, BackendError>;
    /// Adds documents; re-adding identical content is a no-op.
    fn ingest(&self, docs: Vec<RawDoc>) -> Result<IngestSummary, BackendError>;
    /// Documents matching a text query, best first.
    fn search(&self, q: &str, limit: usize) -> Result<Vec<SearchHit>, BackendError>;
    /// One story with its derivation graph. The default cuts it out of
    /// [`Backend::report`].
    fn story(&self, id: &str) -> Result<Option<StoryDetail>, BackendError> {
        Ok(StoryDetail::from_report(&*self.report()?, id))
    }
    /// What the backend holds and whether its verdicts are this build's.
    /// The default counts [`Backend::report`] (an analysis made now).
    fn status(&self) -> Result<Status, BackendError> {
        let r = self.report()?;
        Ok(Status {
            documents: r.documents.len(),
            stories: r.stories.len(),
            relations: r.relations.len(),
            unseen_sources: r.unseen_sources.len(),
            verifier_version: stemma_pipeline::VERIFIER_VERSION,
            stored_verifier_version: stemma_pipeline::VERIFIER_VERSION,
            read_only: false,
        })
    }
    /// The relation of `derivative` from `source`. The default looks it up
    /// in [`Backend::report`].
    fn relation(&self, source: &str, derivative: &str) -> Result<Option<Relation>, BackendError> {
        Ok(self
            .report()?
            .relations
            .iter()
            .find(|r| r.source == source && r.derivative == derivative)
            .cloned())
    }
}

#[derive(Default)]
struct Inner {
    raws: BTreeMap<DocId, RawDoc>,
    articles: BTreeMap<DocId, Article>,
    report: Arc<Report>,
}

/// A [`Backend`] holding everything in memory: ingest extracts the new
/// documents and recomputes the whole analysis.
pub struct MemoryBackend {
    cfg: Config,
    inner: RwLock<Inner>,
}

impl std::fmt::Debug for MemoryBackend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = self.inner.read().map(|i| i.articles.len()).unwrap_or(0);
        f.debug_struct("MemoryBackend")
            .field("documents", &n)
            .finish()
    }
}

impl Default for MemoryBackend {
    fn default() -> Self {
        MemoryBackend::new(Config::default())
    }
}

impl MemoryBackend {
    /// An empty store analysing with `cfg`.
    pub fn new(cfg: Config) -> Self {
        MemoryBackend {
            cfg,
            inner: RwLock::new(Inner::default()),
        }
    }

    fn read(&self) -> Result<std::sync::RwLockReadGuard<'_, Inner>, BackendError> {
        self.inner
            .read()
            .map_err(|_| BackendError::Store("memory store lock poisoned".into()))
    }
}

impl Backend for MemoryBackend {
    fn report(&self) -> Result<Arc<Report>, BackendError> {
        Ok(Arc::clone(&self.read()?.report))
    }

    fn article(&self, id: &str) -> Result<Option<Article>, BackendError> {
        Ok(self.read()?.articles.get(id).cloned())
    }

    fn compare(&self, a: &str, b: &str) -> Result<Option<Comparison>, BackendError> {
        let inner = self.read()?;
        let (Some(a), Some(b)) = (inner.articles.get(a), inner.articles.get(b)) else {
            return Ok(None);
        };
        Ok(Some(stemma_pipeline::compare(a, b, &self.cfg)))
    }

    fn ingest(&self, docs: Vec<RawDoc>) -> Result<IngestSummary, BackendError> {
        let mut inner = self
            .inner
            .write()
            .map_err(|_| BackendError::Store("memory store lock poisoned".into()))?;
        let mut summary = IngestSummary::default();
        let mut changed = false;
        for doc in docs {
            let id = doc.id.clone();
            match inner.raws.get(&id) {
                Some(old) if old.body == doc.body && old.url == doc.url => {
                    summary.unchanged.push(id)
                }
                Some(_) => {
                    summary.replaced.push(id.clone());
                    inner.raws.insert(id, doc);
                    changed = true;
                }
                None => {
                    summary.added.push(id.clone());
                    inner.raws.insert(id, doc);
                    changed = true;
                }
            }
        }
        if changed {
            // Corpus-level extraction (boilerplate statistics span documents).
            let raws: Vec<RawDoc> = inner.raws.values().cloned().collect();
            let articles = stemma_pipeline::extract(&raws);
            inner.articles = articles.into_iter().map(|a| (a.id.clone(), a)).collect();
            let list: Vec<Article> = inner.articles.values().cloned().collect();
            inner.report = Arc::new(stemma_pipeline::analyze(&list, &self.cfg));
        }
        summary.total = inner.raws.len();
        Ok(summary)
    }

    fn search(&self, q: &str, limit: usize) -> Result<Vec<SearchHit>, BackendError> {
        let inner = self.read()?;
        let story_of: BTreeMap<&str, &str> = inner
            .report
            .stories
            .iter()
            .flat_map(|s| s.documents.iter().map(move |d| (d.as_str(), s.id.as_str())))
            .collect();
        let mut hits: Vec<SearchHit> = inner
            .articles
            .values()
            .filter_map(|a| {
                let title = a.title.clone().unwrap_or_default();
                let (score, at) = score_text(q, &title, &a.text)?;
                Some(SearchHit {
                    id: a.id.clone(),
                    title,
                    story: story_of.get(a.id.as_str()).map(|s| s.to_string()),
                    score,
                    snippet: snippet(&a.text, at, 160),
                })
            })
            .collect();
        hits.sort_by(|x, y| y.score.total_cmp(&x.score).then_with(|| x.id.cmp(&y.id)));
        hits.truncate(limit);
        Ok(hits)
    }
}

/// Scores `text` (and `title`, counted double) against the query's words:
/// the number of case-insensitive occurrences, every word required.
/// Returns the score and the byte offset of the first match in `text`.
pub fn score_text(q: &str, title: &str, text: &str) -> Option<(f32, usize)> {
    let words: Vec<String> = q
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    if words.is_empty() {
        return None;
    }
    let lower_text = text.to_lowercase();
    let lower_title = title.to_lowercase();
    let mut score = 0f32;
    let mut first = None;
    for w in &words {
        let n =
            lower_text.matches(w.as_str()).count() + 2 * lower_title.matches(w.as_str()).count();
        if n == 0 {
            return None;
        }
        score += n as f32;
        if first.is_none() {
            first = lower_text.find(w.as_str());
        }
    }
    // Lower-casing may change byte lengths; map the offset back roughly and
    // let `snippet` snap it to a character boundary.
    let at = first.map(|p| p.min(text.len())).unwrap_or(0);
    Some((score, at))
}

/// About `width` bytes of `text` around byte `at`, cut at character
/// boundaries, with ellipses where cut.
pub fn snippet(text: &str, at: usize, width: usize) -> String {
    let floor = |mut i: usize| {
        i = i.min(text.len());
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let start = floor(at.saturating_sub(width / 3));
    let end = floor(start + width);
    let mut s = String::new();
    if start > 0 {
        s.push('…');
    }
    s.push_str(text[start..end].trim());
    if end < text.len() {
        s.push('…');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippet_cuts_on_char_boundaries() {
        let t = "ééééééééééééééééééééé officials said";
        for at in 0..t.len() {
            for w in [1, 5, 10, 200] {
                let _ = snippet(t, at, w);
            }
        }
    }

    #[test]
    fn search_needs_every_word() {
        assert!(score_text("harbour fire", "", "A fire at the harbour").is_some());
        assert!(score_text("harbour flood", "", "A fire at the harbour").is_none());
        assert!(score_text("  ", "", "anything").is_none());
    }
}
