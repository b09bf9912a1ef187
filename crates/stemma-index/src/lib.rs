//! Candidate generation: cheap signatures that find the document pairs worth
//! verifying, without comparing every pair.
//!
//! Three signals, each with its own inverted index:
//! - an **exact** hash of the normalised token sequence (verbatim copies);
//! - **MinHash-LSH** over 2-word shingles of content words (stopwords
//!   dropped), banded with short bands so that spun copies, whose 5-word
//!   shingle Jaccard falls to 0.3-0.4, still collide;
//! - a **key-term sketch** that survives paraphrase: capitalised names,
//!   numbers and a consistent sample of content words, scored by their
//!   inverse document frequency over the indexed corpus. Documents sharing
//!   several rare terms become candidates.
//!
//! Every posting list is capped at [`IndexConfig::max_bucket`]: a key shared
//! by more documents (a common word, a hot band value) stops being indexed
//! and is ignored, so that work stays near-linear in the corpus size.
//!
//! ```
//! use stemma_core::Article;
//! let doc = |id: &str, text: &str| Article { id: id.into(), text: text.into(), ..Default::default() };
//! let docs = [
//!     doc("a", "Flooding hit Newtown on Tuesday after the River Dee burst its banks."),
//!     doc("b", "Flooding hit Newtown on Tuesday after the River Dee burst its banks."),
//!     doc("c", "The orchestra opened its winter season with a programme of Sibelius."),
//! ];
//! assert_eq!(stemma_index::candidates(&docs), vec![(0, 1)]);
//! ```
//! Pure: no I/O.
#![deny(missing_docs)]

mod signature;

use std::collections::HashMap;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use stemma_core::Article;
use xxhash_rust::xxh3::xxh3_64_with_seed;

pub use signature::Signature;

/// Tuning of the candidate generator. The defaults find spun copies (about
/// 15% of words swapped) and LLM rewrites that keep the facts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct IndexConfig {
    /// Words per MinHash shingle (content words only).
    pub shingle: usize,
    /// LSH bands.
    pub bands: usize,
    /// MinHash rows per band (`bands * rows` permutations in all).
    pub rows: usize,
    /// Minimum estimated shingle Jaccard for an LSH collision to count.
    pub min_jaccard: f32,
    /// Content words sampled into the key-term sketch.
    pub key_words: usize,
    /// Capitalised names (not sentence-initial) sampled into the sketch.
    pub key_names: usize,
    /// Numbers (two digits or more) sampled into the sketch.
    pub key_numbers: usize,
    /// Largest posting list; keys shared by more documents are ignored.
    pub max_bucket: usize,
    /// Key terms two documents must share to be sketch candidates.
    pub min_shared: usize,
    /// Minimum IDF-weighted sketch overlap (shared weight over the smaller
    /// document's weight).
    pub min_score: f32,
    /// Most sketch candidates kept per query, best first.
    pub max_sketch_candidates: usize,
}

impl Default for IndexConfig {
    fn default() -> Self {
        IndexConfig {
            shingle: 2,
            bands: 42,
            rows: 3,
            min_jaccard: 0.1,
            key_words: 48,
            key_names: 32,
            key_numbers: 16,
            max_bucket: 200,
            min_shared: 3,
            min_score: 0.15,
            max_sketch_candidates: 12,
        }
    }
}

/// Why a document was proposed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// Same normalised text.
    Exact,
    /// MinHash-LSH collision with enough estimated Jaccard.
    Shingles,
    /// Enough rare key terms in common.
    Terms,
}

/// One proposed document, with the strongest reason found.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    /// Insertion number of the indexed document.
    pub id: usize,
    /// The first signal that proposed it (exact, then shingles, then terms).
    pub reason: Reason,
    /// Estimated shingle Jaccard (0..1).
    pub jaccard: f32,
}

/// An incremental candidate index: insert documents one at a time, ask for
/// the indexed documents worth comparing with a new one.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct CandidateIndex {
    cfg: IndexConfig,
    docs: Vec<Signature>,
    exact: HashMap<u64, Vec<u32>>,
    bands: HashMap<u64, Vec<u32>>,
    terms: HashMap<u64, Vec<u32>>,
}

fn push_capped(map: &mut HashMap<u64, Vec<u32>>, key: u64, id: u32, cap: usize) {
    let list = map.entry(key).or_default();
    if list.len() < cap {
        list.push(id);
    }
}

impl CandidateIndex {
    /// An empty index.
    pub fn new(cfg: IndexConfig) -> Self {
        CandidateIndex {
            cfg,
            ..Default::default()
        }
    }

    /// The configuration in use.
    pub fn config(&self) -> &IndexConfig {
        &self.cfg
    }

    /// Number of documents inserted.
    pub fn len(&self) -> usize {
        self.docs.len()
    }

    /// True when nothing was inserted.
    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// The signature of an inserted document.
    pub fn signature(&self, id: usize) -> Option<&Signature> {
        self.docs.get(id)
    }

    /// Computes the signature of `article` under this index's configuration.
    pub fn sign(&self, article: &Article) -> Signature {
        Signature::of(&article.text, &self.cfg)
    }

    /// Indexes `article`; returns its id (insertion number).
    pub fn insert(&mut self, article: &Article) -> usize {
        let sig = self.sign(article);
        self.insert_signature(sig)
    }

    /// Indexes a precomputed signature (e.g. one read back from a store);
    /// returns its id.
    pub fn insert_signature(&mut self, sig: Signature) -> usize {
        let id = self.docs.len();
        let id32 = u32::try_from(id).expect("more than 4 billion documents");
        let cap = self.cfg.max_bucket.max(2);
        if sig.exact != 0 {
            // Exact duplicates are cheap to confirm: allow bigger groups.
            push_capped(&mut self.exact, sig.exact, id32, cap * 8);
        }
        for key in band_keys(&sig, &self.cfg) {
            push_capped(&mut self.bands, key, id32, cap);
        }
        for &t in &sig.terms {
            push_capped(&mut self.terms, t, id32, cap);
        }
        self.docs.push(sig);
        id
    }

    /// Ids of indexed documents worth comparing with `article`, ascending.
    pub fn query(&self, article: &Article) -> Vec<usize> {
        self.query_signature(&self.sign(article), None)
            .into_iter()
            .map(|c| c.id)
            .collect()
    }

    /// Candidates for a signature, ascending by id, with their reasons;
    /// `exclude` (the document itself, when indexed) is left out.
    pub fn query_signature(&self, sig: &Signature, exclude: Option<usize>) -> Vec<Candidate> {
        self.query_weighted(sig, exclude, None)
    }

    /// The key-term weight of every indexed document (the sum of its terms'
    /// IDF under the current postings), in id order: what
    /// [`CandidateIndex::query_signature`] computes for each document it
    /// scores, computed once for a batch of queries against a fixed index.
    fn doc_weights(&self) -> Vec<f32> {
        self.docs
            .par_iter()
            .map(|d| self.terms_weight(&d.terms))
            .collect()
    }

    /// IDF of a key term; `None` for hot keys (full posting lists).
    fn idf(&self, t: &u64) -> Option<f32> {
        let cap = self.cfg.max_bucket.max(2);
        let n = self.docs.len() as f32 + 1.0;
        let df = self.terms.get(t).map_or(0, Vec::len);
        (df < cap).then(|| (n / (df.max(1) as f32)).ln().max(0.0))
    }

    /// Summed IDF of key terms.
    fn terms_weight(&self, terms: &[u64]) -> f32 {
        terms.iter().filter_map(|t| self.idf(t)).sum()
    }

    /// [`CandidateIndex::query_signature`], with the documents' key-term
    /// weights precomputed (`weights[id]`, from `doc_weights`) when given.
    fn query_weighted(
        &self,
        sig: &Signature,
        exclude: Option<usize>,
        weights: Option<&[f32]>,
    ) -> Vec<Candidate> {
        let cfg = &self.cfg;
        let mut found: HashMap<usize, Candidate> = HashMap::new();
        let skip = |id: usize| Some(id) == exclude;
        if sig.exact != 0
            && let Some(ids) = self.exact.get(&sig.exact)
        {
            for &id in ids {
                let id = id as usize;
                if !skip(id) {
                    found.insert(
                        id,
                        Candidate {
                            id,
                            reason: Reason::Exact,
                            jaccard: 1.0,
                        },
                    );
                }
            }
        }
        for key in band_keys(sig, cfg) {
            let Some(ids) = self.bands.get(&key) else {
                continue;
            };
            for &id in ids {
                let id = id as usize;
                if skip(id) || found.contains_key(&id) {
                    continue;
                }
                let j = sig.jaccard(&self.docs[id]);
                if j >= cfg.min_jaccard {
                    found.insert(
                        id,
                        Candidate {
                            id,
                            reason: Reason::Shingles,
                            jaccard: j,
                        },
                    );
                }
            }
        }
        // Key-term sketch, IDF-weighted; hot keys (full posting lists) ignored.
        let mut acc: HashMap<u32, (usize, f32)> = HashMap::new();
        for t in &sig.terms {
            let Some(ids) = self.terms.get(t) else {
                continue;
            };
            let Some(w) = self.idf(t) else { continue };
            for &id in ids {
                if skip(id as usize) {
                    continue;
                }
                let e = acc.entry(id).or_default();
                e.0 += 1;
                e.1 += w;
            }
        }
        let wq = self.terms_weight(&sig.terms);
        let mut sketch: Vec<(f32, usize)> = acc
            .into_iter()
            .filter(|&(_, (shared, _))| shared >= cfg.min_shared)
            .filter_map(|(id, (_, w))| {
                let id = id as usize;
                let wd = match weights {
                    Some(w) => w[id],
                    None => self.terms_weight(&self.docs[id].terms),
                };
                let score = w / wq.min(wd).max(f32::EPSILON);
                (score >= cfg.min_score).then_some((score, id))
            })
            .collect();
        sketch.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        for &(_, id) in sketch.iter().take(cfg.max_sketch_candidates) {
            found.entry(id).or_insert_with(|| Candidate {
                id,
                reason: Reason::Terms,
                jaccard: sig.jaccard(&self.docs[id]),
            });
        }
        let mut out: Vec<Candidate> = found.into_values().collect();
        out.sort_by_key(|c| c.id);
        out
    }
}

impl Signature {
    /// The LSH bucket keys of this signature under `cfg`, one per band (what
    /// [`CandidateIndex`] files it under); empty without MinHash values.
    pub fn band_keys(&self, cfg: &IndexConfig) -> Vec<u64> {
        band_keys(self, cfg)
    }
}

/// The LSH bucket keys of a signature: one per band.
fn band_keys(sig: &Signature, cfg: &IndexConfig) -> Vec<u64> {
    if sig.minhash.is_empty() || cfg.rows == 0 {
        return Vec::new();
    }
    sig.minhash
        .chunks_exact(cfg.rows)
        .enumerate()
        .map(|(b, band)| {
            let mut bytes = Vec::with_capacity(band.len() * 4);
            for v in band {
                bytes.extend_from_slice(&v.to_le_bytes());
            }
            xxh3_64_with_seed(&bytes, b as u64)
        })
        .collect()
}

/// Every pair `(i, j)`, `i < j`, of `articles` worth verifying, sorted and
/// unique, under the default configuration.
pub fn candidates(articles: &[Article]) -> Vec<(usize, usize)> {
    candidates_with(articles, &IndexConfig::default())
}

/// [`candidates`] under a given configuration.
pub fn candidates_with(articles: &[Article], cfg: &IndexConfig) -> Vec<(usize, usize)> {
    candidates_scored(articles, cfg)
        .into_iter()
        .map(|(i, j, _)| (i, j))
        .collect()
}

/// Candidate pairs `(i, j, reason)`, `i < j`, sorted and unique; the
/// reason is the strongest one found from either side.
pub fn candidates_scored(articles: &[Article], cfg: &IndexConfig) -> Vec<(usize, usize, Reason)> {
    // Signing and querying are independent per document (the index is
    // read-only while queried), so both run in parallel; insertion stays in
    // input order, so ids and results do not depend on the thread count.
    let mut index = CandidateIndex::new(cfg.clone());
    let sigs: Vec<Signature> = articles.par_iter().map(|a| index.sign(a)).collect();
    for sig in sigs {
        index.insert_signature(sig);
    }
    let weights = index.doc_weights();
    let mut pairs: Vec<(usize, usize, Reason)> = (0..index.len())
        .into_par_iter()
        .flat_map_iter(|i| {
            index
                .query_weighted(&index.docs[i], Some(i), Some(&weights))
                .into_iter()
                .map(move |c| (i.min(c.id), i.max(c.id), c.reason))
        })
        .collect();
    pairs.sort();
    pairs.dedup_by(|b, a| a.0 == b.0 && a.1 == b.1);
    pairs
}

#[cfg(test)]
mod tests;
