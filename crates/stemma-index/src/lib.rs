//! Candidate generation: cheap signatures that find the document pairs worth
//! verifying, without comparing every pair.
//!
//! Four signals, each with its own inverted index:
//! - an **exact** hash of the normalised token sequence (verbatim copies);
//! - **MinHash-LSH** over 2-word shingles of content words (stopwords
//!   dropped), banded with short bands so that spun copies, whose 5-word
//!   shingle Jaccard falls to 0.3-0.4, still collide;
//! - a **key-term sketch** that survives paraphrase: capitalised names,
//!   numbers and a consistent sample of content words (those whose hash
//!   falls in a fixed share of the range, so that a short digest's sample
//!   is also its long source's), scored by their inverse document frequency
//!   over the indexed corpus. Documents sharing several rare terms become
//!   candidates;
//! - **passage anchors**: content-word shingles sampled the same way, kept
//!   among the key terms with [`ANCHOR_BIT`] set and counted
//!   apart, so that two long texts sharing one passage (a page quoting a
//!   few paragraphs of a report) are candidates however different the rest.
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

mod batch;
mod signature;

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use stemma_core::Article;
use xxhash_rust::xxh3::xxh3_64_with_seed;

pub use signature::{ANCHOR_BIT, Signature};

/// Tuning of the candidate generator. The defaults find spun copies (about
/// 15% of words swapped), LLM rewrites that keep the facts, short digests of
/// long texts, and passages quoted inside otherwise different texts.
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
    /// Most content words sampled into the key-term sketch.
    pub key_words: usize,
    /// Share of the content-word hash range sampled into the sketch (up to
    /// `key_words` words); 1.0 keeps the `key_words` smallest hashes
    /// whatever the text's length, the sample of index version 2.
    pub key_word_rate: f32,
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
    /// Share of the content-word shingles' hash range taken as passage
    /// anchors (up to `anchor_max` of them); 0 takes none.
    pub anchor_rate: f32,
    /// Most passage anchors of one text (the smallest hashes: a text longer
    /// than `anchor_max / anchor_rate` shingles is sampled more thinly).
    pub anchor_max: usize,
    /// Passage anchors two documents must share to be passage candidates.
    pub min_anchors: usize,
    /// Most passage candidates kept per query, most anchors first.
    pub max_anchor_candidates: usize,
    /// Most sketch candidates kept per query, best first. 3 by default: on
    /// generated corpora of 10k and 100k documents, the candidates ranked
    /// 4th to 12th (the default was 12) added no true pair that the other
    /// signals and ranks missed, and were 60% of all pairs at 100k.
    pub max_sketch_candidates: usize,
}

impl Default for IndexConfig {
    fn default() -> Self {
        IndexConfig {
            shingle: 2,
            bands: 63,
            rows: 2,
            min_jaccard: 0.1,
            key_words: 128,
            key_word_rate: 0.25,
            key_names: 32,
            key_numbers: 16,
            max_bucket: 200,
            min_shared: 3,
            min_score: 0.3,
            max_sketch_candidates: 3,
            anchor_rate: 0.5,
            anchor_max: 1024,
            min_anchors: 4,
            max_anchor_candidates: 3,
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
    /// Enough passage anchors in common (a shared passage in texts that
    /// are otherwise different).
    Passage,
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

/// Hasher of keys that are already uniform 64-bit hashes (xxh3 of text,
/// LSH band keys) or document numbers: the key itself (a number spread by
/// an odd multiplier), instead of SipHash over it.
#[derive(Default)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    fn write_u64(&mut self, x: u64) {
        self.0 = x;
    }

    fn write_u32(&mut self, x: u32) {
        self.0 = u64::from(x).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }

    fn write_usize(&mut self, x: usize) {
        self.write_u64((x as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    }
}

/// A hash map over pre-hashed keys.
type KeyMap<K, V> = HashMap<K, V, BuildHasherDefault<KeyHasher>>;

/// Posting lists: key -> document numbers, in insertion order.
type Postings = KeyMap<u64, Vec<u32>>;

/// An incremental candidate index: insert documents one at a time, ask for
/// the indexed documents worth comparing with a new one.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct CandidateIndex {
    cfg: IndexConfig,
    docs: Vec<Signature>,
    exact: Postings,
    bands: Postings,
    terms: Postings,
}

fn push_capped(map: &mut Postings, key: u64, id: u32, cap: usize) {
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
        self.query_weighted(sig, exclude)
    }

    /// IDF of a key term; `None` for hot keys (full posting lists).
    fn idf(&self, t: &u64) -> Option<f32> {
        let cap = self.cfg.max_bucket.max(2);
        let n = self.docs.len() as f32 + 1.0;
        let df = self.terms.get(t).map_or(0, Vec::len);
        (df < cap).then(|| (n / (df.max(1) as f32)).ln().max(0.0))
    }

    /// Summed IDF of key terms (passage anchors apart).
    fn terms_weight(&self, sig: &Signature) -> f32 {
        sig.sketch_terms().filter_map(|t| self.idf(t)).sum()
    }

    /// [`CandidateIndex::query_signature`] (`crate::batch` follows the same
    /// rules for a whole corpus at once).
    fn query_weighted(&self, sig: &Signature, exclude: Option<usize>) -> Vec<Candidate> {
        let cfg = &self.cfg;
        let mut found: Vec<Candidate> = Vec::new();
        let skip = |id: usize| Some(id) == exclude;
        if sig.exact != 0
            && let Some(ids) = self.exact.get(&sig.exact)
        {
            for &id in ids {
                let id = id as usize;
                if !skip(id) {
                    found.push(Candidate {
                        id,
                        reason: Reason::Exact,
                        jaccard: 1.0,
                    });
                }
            }
        }
        // Exact matches, ascending (posting lists are in insertion order).
        let n_exact = found.len();
        let mut colliding: Vec<u32> = Vec::new();
        for key in band_keys(sig, cfg) {
            if let Some(ids) = self.bands.get(&key) {
                colliding.extend_from_slice(ids);
            }
        }
        colliding.sort_unstable();
        colliding.dedup();
        for id in colliding {
            let id = id as usize;
            if skip(id) || found[..n_exact].binary_search_by_key(&id, |c| c.id).is_ok() {
                continue;
            }
            let j = sig.jaccard(&self.docs[id]);
            if j >= cfg.min_jaccard {
                found.push(Candidate {
                    id,
                    reason: Reason::Shingles,
                    jaccard: j,
                });
            }
        }
        // Key-term sketch, IDF-weighted; hot keys (full posting lists) ignored.
        let cap = cfg.max_bucket.max(2);
        let n = self.docs.len() as f32 + 1.0;
        let mut wq = 0.0f32;
        let mut acc: KeyMap<u32, (usize, f32)> = KeyMap::default();
        let mut anchors: KeyMap<u32, usize> = KeyMap::default();
        for t in &sig.terms {
            if Signature::is_anchor(*t) {
                // Passage anchors: counted apart, hot ones ignored.
                let ids = self.terms.get(t).map_or(&[][..], Vec::as_slice);
                if ids.len() < cap {
                    for &id in ids.iter().filter(|&&id| !skip(id as usize)) {
                        *anchors.entry(id).or_default() += 1;
                    }
                }
                continue;
            }
            let Some(ids) = self.terms.get(t) else {
                // df 0: the term's weight counts towards the query's own.
                wq += n.ln().max(0.0);
                continue;
            };
            if ids.len() >= cap {
                continue;
            }
            let w = (n / (ids.len().max(1) as f32)).ln().max(0.0);
            wq += w;
            for &id in ids {
                if !skip(id as usize) {
                    let e = acc.entry(id).or_default();
                    e.0 += 1;
                    e.1 += w;
                }
            }
        }
        let mut sketch: Vec<(f32, usize)> = Vec::new();
        for (id, (shared, w)) in acc {
            if shared < cfg.min_shared {
                continue;
            }
            let id = id as usize;
            let wd = self.terms_weight(&self.docs[id]);
            let score = w / wq.min(wd).max(f32::EPSILON);
            if score >= cfg.min_score {
                sketch.push((score, id));
            }
        }
        let passage: Vec<(f32, usize)> = anchors
            .into_iter()
            .filter(|&(_, shared)| shared >= cfg.min_anchors.max(1))
            .map(|(id, shared)| (shared as f32, id as usize))
            .collect();
        for (mut best, k, reason) in [
            (sketch, cfg.max_sketch_candidates, Reason::Terms),
            (passage, cfg.max_anchor_candidates, Reason::Passage),
        ] {
            best.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            for &(_, id) in best.iter().take(k) {
                if !found.iter().any(|c| c.id == id) {
                    found.push(Candidate {
                        id,
                        reason,
                        jaccard: sig.jaccard(&self.docs[id]),
                    });
                }
            }
        }
        found.sort_by_key(|c| c.id);
        found
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
    let mut bytes = Vec::with_capacity(cfg.rows * 4);
    sig.minhash
        .chunks_exact(cfg.rows)
        .enumerate()
        .map(|(b, band)| {
            bytes.clear();
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
    // read-only while queried), so both run in parallel; ids are input
    // positions, so results do not depend on the thread count.
    let sigs: Vec<Signature> = articles
        .par_iter()
        .map(|a| Signature::of(&a.text, cfg))
        .collect();
    batch::pairs(&sigs, cfg)
}

#[cfg(test)]
mod tests;
