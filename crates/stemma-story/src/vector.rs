//! Sparse TF-IDF vectors and candidate pairs through an inverted index.

use std::collections::HashMap;

use rayon::prelude::*;

use stemma_core::Article;

use crate::{StoryConfig, TermKind, term_counts};

/// A sparse vector: `(term id, weight)` sorted by term id, ids unique.
pub type SparseVec = Vec<(u32, f32)>;

/// `a + k * b` over sparse vectors sorted by term (a merge of the two
/// term lists); the result is sorted by term too.
pub fn add_scaled(a: &[(u32, f32)], b: &[(u32, f32)], k: f32) -> SparseVec {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if j == b.len() || (i < a.len() && a[i].0 < b[j].0) {
            out.push(a[i]);
            i += 1;
        } else if i == a.len() || b[j].0 < a[i].0 {
            out.push((b[j].0, k * b[j].1));
            j += 1;
        } else {
            out.push((a[i].0, a[i].1 + k * b[j].1));
            i += 1;
            j += 1;
        }
    }
    out
}

/// Dot product of two sparse vectors (merge join).
pub fn cosine(a: &[(u32, f32)], b: &[(u32, f32)]) -> f32 {
    let (mut i, mut j, mut s) = (0, 0, 0.0f32);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                s += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    s
}

/// Documents assumed to lie beyond the corpus, none of them holding the
/// term. In a small corpus where one story dominates (ten pages, seven on
/// one bridge closure), plain IDF takes the story's own names for common
/// words and an independent report of it no longer clusters with the rest;
/// the prior keeps such a term's weight near what a larger corpus would
/// give it. ECB+ (982 documents): batch event F1 0.920 with and without it.
const IDF_PRIOR_DOCS: f32 = 100.0;

/// Inverse document frequency, smoothed with [`IDF_PRIOR_DOCS`]; never negative.
pub(crate) fn idf(n_docs: u64, df: u64) -> f32 {
    ((n_docs as f32 + 1.0 + IDF_PRIOR_DOCS) / (df as f32 + 0.5))
        .ln()
        .max(0.0)
}

/// True when both term lists (sorted) hold dates and share none: the two
/// texts date what they report differently.
pub(crate) fn dates_conflict(a: &[u32], b: &[u32]) -> bool {
    if a.is_empty() || b.is_empty() {
        return false;
    }
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => return false,
        }
    }
    true
}

/// Weighted, L2-normalised vector from raw counts.
pub(crate) fn weigh(
    counts: impl Iterator<Item = (u32, TermKind, u32)>,
    idf_of: impl Fn(u32) -> f32,
    config: &StoryConfig,
) -> SparseVec {
    let mut v: SparseVec = counts
        .map(|(id, kind, tf)| {
            let w = (1.0 + (tf as f32).ln()) * idf_of(id) * config.kind_weight(kind);
            (id, w)
        })
        .filter(|&(_, w)| w > 0.0)
        .collect();
    v.sort_unstable_by_key(|&(id, _)| id);
    normalise(&mut v);
    // No single term may carry a story: clip, then renormalise (a few rounds
    // converge; vectors with fewer than 1/cap^2 terms cannot be clipped).
    let cap = config.max_term_weight;
    for _ in 0..3 {
        if v.iter().all(|x| x.1 <= cap) {
            break;
        }
        v.iter_mut().for_each(|x| x.1 = x.1.min(cap));
        normalise(&mut v);
    }
    v
}

fn normalise(v: &mut SparseVec) {
    let norm = v.iter().map(|&(_, w)| w * w).sum::<f32>().sqrt();
    if norm > 0.0 {
        for x in v {
            x.1 /= norm;
        }
    }
}

/// Vectors for a whole corpus, IDF from the corpus itself.
/// Also returns the kind of every term id.
pub(crate) fn batch_vectors(
    articles: &[Article],
    config: &StoryConfig,
) -> (Vec<SparseVec>, Vec<TermKind>) {
    let mut vocab: HashMap<String, u32> = HashMap::new();
    let mut kinds: Vec<TermKind> = Vec::new();
    let mut df: Vec<u64> = Vec::new();
    let mut docs: Vec<Vec<(u32, u32)>> = Vec::with_capacity(articles.len());
    // Terms are found in parallel, a chunk at a time (so that the strings
    // of only one chunk are held), and numbered in document order, so that
    // ids do not depend on the thread count.
    for chunk in articles.chunks(4096) {
        let counts: Vec<_> = chunk.par_iter().map(term_counts).collect();
        for c in counts {
            docs.push(
                c.into_iter()
                    .map(|(term, tf)| {
                        let id = *vocab.entry(term).or_insert_with_key(|t| {
                            kinds.push(TermKind::of(t));
                            df.push(0);
                            (kinds.len() - 1) as u32
                        });
                        df[id as usize] += 1;
                        (id, tf)
                    })
                    .collect(),
            );
        }
    }
    drop(vocab);
    let n = articles.len() as u64;
    let vecs = docs
        .into_par_iter()
        .map(|d| {
            weigh(
                d.into_iter().map(|(id, tf)| (id, kinds[id as usize], tf)),
                |id| idf(n, df[id as usize]),
                config,
            )
        })
        .collect();
    (vecs, kinds)
}

/// All pairs `(i, j, sim)` with `i < j` and `sim >= floor`, in `(i, j)`
/// order, where `sim` is `adjust(i, j, dot)` and `dot` the full dot product.
///
/// Pairs are gathered through the postings of rare terms only (held by at
/// most `max_postings` documents), which bounds the work per document
/// whatever the corpus size: a pair is kept when its dot over rare terms
/// alone reaches `floor`, and then scored on all its terms. With
/// `max_postings` at least the corpus size every term is rare and the
/// result is exact. Documents are scored in parallel; the result does not
/// depend on the thread count.
pub(crate) fn similar_pairs(
    vecs: &[SparseVec],
    floor: f32,
    max_postings: usize,
    adjust: impl Fn(usize, usize, f32) -> f32 + Sync,
) -> Vec<(usize, usize, f32)> {
    let n = vecs.len();
    let terms = vecs
        .iter()
        .flat_map(|v| v.iter().map(|&(t, _)| t as usize + 1))
        .max()
        .unwrap_or(0);
    let mut df = vec![0usize; terms];
    for v in vecs {
        for &(t, _) in v {
            df[t as usize] += 1;
        }
    }
    let cap = max_postings.max(1);
    let mut postings: Vec<Vec<(u32, f32)>> = df
        .iter()
        .map(|&d| Vec::with_capacity(if d <= cap { d } else { 0 }))
        .collect();
    for (i, v) in vecs.iter().enumerate() {
        for &(t, w) in v {
            if df[t as usize] <= cap {
                postings[t as usize].push((i as u32, w));
            }
        }
    }
    let every_term = df.iter().all(|&d| d <= cap);
    (0..n)
        .into_par_iter()
        .map_init(
            || (vec![0.0f32; n], Vec::<u32>::new()),
            |(acc, touched), i| {
                for &(t, w) in &vecs[i] {
                    let p = &postings[t as usize];
                    // Postings are in document order: only look at later documents.
                    let start = p.partition_point(|&(d, _)| (d as usize) <= i);
                    for &(d, x) in &p[start..] {
                        if acc[d as usize] == 0.0 {
                            touched.push(d);
                        }
                        acc[d as usize] += w * x;
                    }
                }
                touched.sort_unstable();
                let mut out = Vec::new();
                for &d in touched.iter() {
                    let d = d as usize;
                    let rare = std::mem::take(&mut acc[d]);
                    let dot = if every_term {
                        rare
                    } else if rare < floor {
                        continue;
                    } else {
                        cosine(&vecs[i], &vecs[d])
                    };
                    let s = adjust(i, d, dot);
                    if s >= floor {
                        out.push((i, d, s));
                    }
                }
                touched.clear();
                out
            },
        )
        .flatten_iter()
        .collect()
}
