//! Incremental story assignment.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use stemma_core::{Article, DocId};

use crate::vector::{SparseVec, cosine, dates_conflict, idf, weigh};
use crate::{StoryConfig, TermKind, published_days, term_counts};

/// Number of a new article's highest-weighted known terms used to look up
/// candidate stories.
const QUERY_KEYS: usize = 32;
/// Number of an article's highest-weighted terms under which its story is
/// posted (new terms included: they are what a later report will share).
const POST_KEYS: usize = 64;
/// Most recent stories looked at per key.
const POSTINGS_SCANNED: usize = 256;
/// Candidates scored exactly, ranked by the weight of the keys they share.
const CANDIDATES: usize = 64;

/// Identifies a story within one [`StoryIndex`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct StoryId(pub u32);

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Story {
    /// Sum of the members' normalised vectors (weighted at their insert time).
    sum: SparseVec,
    /// Publish-time range of the members that have one, in days.
    time: Option<(f64, f64)>,
    /// Member ids, in insertion order.
    members: Vec<DocId>,
    /// Terms under which the story is posted, sorted.
    keys: Vec<u32>,
}

/// Stories built one article at a time: each new article joins the story
/// with the highest average-link similarity when that reaches the
/// threshold, else opens a new story. Nothing already placed moves.
///
/// Candidate stories come from an inverted index over each article's
/// highest-weighted (rarest, most distinctive) terms, so an insert costs a
/// few hundred sparse dot products whatever the corpus size. IDF is the
/// running document frequency at insert time. The whole state serialises
/// with serde.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoryIndex {
    config: StoryConfig,
    vocab: HashMap<String, u32>,
    kinds: Vec<TermKind>,
    df: Vec<u32>,
    n_docs: u64,
    stories: Vec<Story>,
    postings: HashMap<u32, Vec<u32>>,
}

impl Default for StoryIndex {
    fn default() -> Self {
        StoryIndex::new(StoryConfig::default())
    }
}

impl StoryIndex {
    /// An empty index.
    pub fn new(config: StoryConfig) -> Self {
        StoryIndex {
            config,
            vocab: HashMap::new(),
            kinds: Vec::new(),
            df: Vec::new(),
            n_docs: 0,
            stories: Vec::new(),
            postings: HashMap::new(),
        }
    }

    /// Weighs one article's raw term counts `(term id, kind, tf)` into a
    /// unit-length TF-IDF vector, as the index does (clipped so that no
    /// term carries a story). For indexes kept elsewhere (a store) that
    /// follow the same rules.
    pub fn weigh_terms(
        counts: impl Iterator<Item = (u32, TermKind, u32)>,
        idf_of: impl Fn(u32) -> f32,
        config: &StoryConfig,
    ) -> SparseVec {
        weigh(counts, idf_of, config)
    }

    /// The smoothed inverse document frequency the index uses.
    pub fn idf(n_docs: u64, df: u64) -> f32 {
        idf(n_docs, df)
    }

    /// True when both sorted date-term lists hold dates and share none.
    pub fn dates_conflict(a: &[u32], b: &[u32]) -> bool {
        dates_conflict(a, b)
    }

    /// How many of an article's highest-weighted known terms look up
    /// candidate stories, how many it posts its story under, how many
    /// recent stories are scanned per term, and how many candidates are
    /// scored exactly: `(query keys, post keys, postings scanned,
    /// candidates)`.
    pub const LIMITS: (usize, usize, usize, usize) =
        (QUERY_KEYS, POST_KEYS, POSTINGS_SCANNED, CANDIDATES);

    /// The settings in use.
    pub fn config(&self) -> &StoryConfig {
        &self.config
    }

    /// Number of stories.
    pub fn len(&self) -> usize {
        self.stories.len()
    }

    /// True when no article was inserted.
    pub fn is_empty(&self) -> bool {
        self.stories.is_empty()
    }

    /// Number of articles inserted.
    pub fn articles(&self) -> u64 {
        self.n_docs
    }

    /// Ids of the articles of a story, in insertion order; empty for an
    /// unknown id.
    pub fn members(&self, id: StoryId) -> &[DocId] {
        self.stories.get(id.0 as usize).map_or(&[], |s| &s.members)
    }

    /// Places `article` in a story and returns it.
    pub fn insert(&mut self, article: &Article) -> StoryId {
        let (v, time) = self.vectorise(article);
        let best = self.best_story(&v, time);
        let id = match best {
            Some((id, sim)) if sim >= self.config.threshold => id,
            _ => self.open_story(),
        };
        self.add(id, article, v, time);
        id
    }

    /// Places `article` in a given story (a derivation of one of its
    /// members). An unknown id opens a new story.
    pub fn insert_into(&mut self, article: &Article, story: StoryId) -> StoryId {
        let (v, time) = self.vectorise(article);
        let id = if (story.0 as usize) < self.stories.len() {
            story
        } else {
            self.open_story()
        };
        self.add(id, article, v, time);
        id
    }

    /// The story `article` would join and its similarity, without inserting.
    /// `None` when it would open a new story.
    pub fn assign(&self, article: &Article) -> Option<(StoryId, f32)> {
        let counts = term_counts(article);
        let n = self.n_docs + 1;
        // Unseen terms get ids past the vocabulary: they weigh in the norm
        // but match no story.
        let mut fresh = self.kinds.len() as u32;
        let ids: Vec<(u32, TermKind, u32)> = counts
            .iter()
            .map(|(t, &tf)| match self.vocab.get(t) {
                Some(&id) => (id, self.kinds[id as usize], tf),
                None => {
                    fresh += 1;
                    (fresh, TermKind::of(t), tf)
                }
            })
            .collect();
        let df = |id: u32| self.df.get(id as usize).map_or(0, |&d| u64::from(d));
        let v = weigh(ids.into_iter(), |id| idf(n, df(id) + 1), &self.config);
        let time = article
            .published
            .as_deref()
            .and_then(published_days)
            .map(|t| (t, t));
        self.best_story(&v, time)
            .filter(|&(_, s)| s >= self.config.threshold)
    }

    fn open_story(&mut self) -> StoryId {
        self.stories.push(Story {
            sum: Vec::new(),
            time: None,
            members: Vec::new(),
            keys: Vec::new(),
        });
        StoryId((self.stories.len() - 1) as u32)
    }

    /// Counts the article into the document frequencies and weighs it.
    fn vectorise(&mut self, article: &Article) -> (SparseVec, Option<(f64, f64)>) {
        let counts = term_counts(article);
        self.n_docs += 1;
        let mut ids = Vec::with_capacity(counts.len());
        for (term, tf) in counts {
            let next = self.kinds.len() as u32;
            let id = match self.vocab.get(&term) {
                Some(&id) => id,
                None => {
                    self.kinds.push(TermKind::of(&term));
                    self.df.push(0);
                    self.vocab.insert(term, next);
                    next
                }
            };
            self.df[id as usize] += 1;
            ids.push((id, self.kinds[id as usize], tf));
        }
        let n = self.n_docs;
        let v = weigh(
            ids.into_iter(),
            |id| idf(n, u64::from(self.df[id as usize])),
            &self.config,
        );
        let time = article
            .published
            .as_deref()
            .and_then(published_days)
            .map(|t| (t, t));
        (v, time)
    }

    /// The article's index keys: its highest-weighted terms seen before.
    fn keys(&self, v: &SparseVec) -> Vec<(u32, f32)> {
        let mut keys: Vec<(u32, f32)> = v
            .iter()
            .copied()
            .filter(|&(t, _)| self.postings.contains_key(&t))
            .collect();
        keys.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        keys.truncate(QUERY_KEYS);
        keys
    }

    fn best_story(&self, v: &SparseVec, time: Option<(f64, f64)>) -> Option<(StoryId, f32)> {
        let mut shared: HashMap<u32, f32> = HashMap::new();
        for (t, w) in self.keys(v) {
            let p = &self.postings[&t];
            for &s in &p[p.len().saturating_sub(POSTINGS_SCANNED)..] {
                *shared.entry(s).or_insert(0.0) += w;
            }
        }
        let mut cands: Vec<(u32, f32)> = shared.into_iter().collect();
        cands.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        cands.truncate(CANDIDATES);
        let dates = self.dates_of(v);
        let mut best: Option<(StoryId, f32)> = None;
        for (s, _) in cands {
            let story = &self.stories[s as usize];
            let story_dates: Vec<u32> = self.dates_of(&story.sum);
            let conflict = if dates_conflict(&dates, &story_dates) {
                self.config.date_conflict
            } else {
                1.0
            };
            let sim = cosine(v, &story.sum) / story.members.len() as f32
                * conflict
                * self.config.time_factor(time, story.time);
            let better = match best {
                None => true,
                Some((b, bs)) => sim > bs || (sim == bs && s < b.0),
            };
            if better {
                best = Some((StoryId(s), sim));
            }
        }
        best
    }

    /// The date terms of a vector, sorted.
    fn dates_of(&self, v: &[(u32, f32)]) -> Vec<u32> {
        v.iter()
            .map(|&(t, _)| t)
            .filter(|&t| self.kinds.get(t as usize) == Some(&TermKind::Date))
            .collect()
    }

    fn add(&mut self, id: StoryId, article: &Article, v: SparseVec, time: Option<(f64, f64)>) {
        let keys = self.keys_for_posting(&v);
        let story = &mut self.stories[id.0 as usize];
        story.sum = crate::vector::add_scaled(&story.sum, &v, 1.0);
        story.members.push(article.id.clone());
        story.time = match (story.time, time) {
            (Some((a, b)), Some((c, d))) => Some((a.min(c), b.max(d))),
            (a, b) => a.or(b),
        };
        for t in keys {
            if let Err(pos) = story.keys.binary_search(&t) {
                story.keys.insert(pos, t);
                self.postings.entry(t).or_default().push(id.0);
            }
        }
    }

    /// Keys under which a new member posts its story: its highest-weighted
    /// terms (new terms included, so that later articles can find it).
    fn keys_for_posting(&self, v: &SparseVec) -> Vec<u32> {
        let mut keys: Vec<(u32, f32)> = v.clone();
        keys.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        keys.truncate(POST_KEYS);
        keys.into_iter().map(|(t, _)| t).collect()
    }
}
