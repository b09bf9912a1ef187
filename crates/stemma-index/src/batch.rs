//! The batch path of [`crate::candidates_scored`]: the same candidates as
//! one [`crate::CandidateIndex::query_signature`] per document against an
//! index of the whole corpus, with the posting lists built by sorting all
//! keys at once (no hash map, no list per key) and each document's keys
//! resolved to their lists once, so that querying does no lookups.
use rayon::prelude::*;

use crate::{IndexConfig, Reason, Signature, band_keys};

/// Capped posting lists of one kind of key, for a fixed corpus.
struct Table {
    /// Document `d`'s keys are slots `doc_start[d]..doc_start[d + 1]`.
    doc_start: Vec<u32>,
    /// The posting list of each slot: `ids[span.0..span.1]`.
    span: Vec<(u32, u32)>,
    /// `0..n`, then the lists shared by several documents (ascending,
    /// capped): the one-document list of a key no other document has (most
    /// band keys, many terms) is the document's own entry at the start.
    ids: Vec<u32>,
}

impl Table {
    /// Files each of `n` documents under its keys (`keys(d)`), keeping the
    /// first `cap` documents of each key, as `push_capped` does when the
    /// documents are inserted in order.
    fn build<'k>(n: usize, keys: impl Fn(usize) -> &'k [u64], cap: usize) -> Table {
        let mut doc_start = Vec::with_capacity(n + 1);
        doc_start.push(0u32);
        for d in 0..n {
            let end = doc_start[d] as usize + keys(d).len();
            doc_start.push(u32::try_from(end).expect("more than 4 billion keys"));
        }
        let order = sort_keys(&keys, &doc_start);
        // Every slot's list is its document alone, in slot order (a
        // sequential pass), until a shared key's run says otherwise (the
        // only writes in key order, which land all over the slots).
        let mut span = Vec::with_capacity(order.len());
        for d in 0..n as u32 {
            let count = doc_start[d as usize + 1] - doc_start[d as usize];
            span.extend((0..count).map(|_| (d, d + 1)));
        }
        let mut ids = Vec::with_capacity(order.len() + n);
        ids.extend(0..n as u32);
        let mut i = 0;
        while i < order.len() {
            let key = order[i].0;
            if order.get(i + 1).is_none_or(|next| next.0 != key) {
                i += 1;
                continue;
            }
            let first = i;
            let start = u32::try_from(ids.len()).expect("more than 4 billion keys");
            let mut taken = 0;
            while i < order.len() && order[i].0 == key {
                if taken < cap {
                    ids.push(order[i].2);
                    taken += 1;
                }
                i += 1;
            }
            let end = u32::try_from(ids.len()).expect("more than 4 billion keys");
            for &(_, slot, _) in &order[first..i] {
                span[slot as usize] = (start, end);
            }
        }
        Table {
            doc_start,
            span,
            ids,
        }
    }

    /// The posting lists of document `d`'s keys.
    fn lists(&self, d: usize) -> impl Iterator<Item = &[u32]> {
        let (a, b) = (self.doc_start[d] as usize, self.doc_start[d + 1] as usize);
        self.span[a..b]
            .iter()
            .map(move |&(s, e)| &self.ids[s as usize..e as usize])
    }
}

/// The `(key, slot, document)` of every slot, sorted. Keys are uniform
/// hashes, so they are spread over buckets by their top bits (slots stay in
/// order within a bucket), and only the small buckets are sorted. The
/// spreading takes two passes of at most 256 buckets each (the first over
/// the whole array, the second within each first-pass bucket) rather than
/// one pass over up to 65536: writes to a few hundred places at a time stay
/// in cache, where writes all over a large array miss it.
fn sort_keys<'k>(keys: &impl Fn(usize) -> &'k [u64], doc_start: &[u32]) -> Vec<(u64, u32, u32)> {
    let docs = doc_start.len() - 1;
    let n = doc_start[docs] as usize;
    let bits = (usize::BITS - (n / 32).leading_zeros()).clamp(1, 16);
    let hi_bits = bits.min(8);
    let lo_bits = bits - hi_bits;
    let mut start = vec![0usize; (1 << hi_bits) + 1];
    for d in 0..docs {
        for &k in keys(d) {
            start[(k >> (64 - hi_bits)) as usize + 1] += 1;
        }
    }
    for b in 0..1 << hi_bits {
        start[b + 1] += start[b];
    }
    let mut fill = start.clone();
    let mut first = vec![(0u64, 0u32, 0u32); n];
    for (d, &from) in doc_start[..docs].iter().enumerate() {
        for (slot, &k) in (from..).zip(keys(d)) {
            let b = (k >> (64 - hi_bits)) as usize;
            first[fill[b]] = (k, slot, d as u32);
            fill[b] += 1;
        }
    }
    if lo_bits == 0 {
        for b in 0..1 << hi_bits {
            first[start[b]..start[b + 1]].sort_unstable();
        }
        return first;
    }
    // Each first-pass bucket is spread again in place, through a copy of
    // it (one bucket's worth of memory, not a second array of every slot).
    let lo_shift = 64 - bits;
    let lo_mask = (1usize << lo_bits) - 1;
    let mut sub = vec![0usize; (1 << lo_bits) + 1];
    let mut copy = Vec::new();
    for b in 0..1 << hi_bits {
        let (from, to) = (start[b], start[b + 1]);
        copy.clear();
        copy.extend_from_slice(&first[from..to]);
        sub.fill(0);
        for e in &copy {
            sub[((e.0 >> lo_shift) as usize & lo_mask) + 1] += 1;
        }
        sub[0] = from;
        for c in 0..1 << lo_bits {
            sub[c + 1] += sub[c];
        }
        let bounds = sub.clone();
        for e in &copy {
            let c = (e.0 >> lo_shift) as usize & lo_mask;
            first[sub[c]] = *e;
            sub[c] += 1;
        }
        for c in 0..1 << lo_bits {
            first[bounds[c]..bounds[c + 1]].sort_unstable();
        }
    }
    first
}

/// Per-thread working memory: the sketch accumulator over all documents
/// (summed weight and number of shared terms), the entries touched (room
/// for every document) and the band collisions.
struct Scratch {
    acc: Vec<(f32, u32)>,
    touched: Vec<u32>,
    colliding: Vec<u32>,
    /// Passage anchors shared with each document, and those touched.
    anchors: Vec<u32>,
    anchored: Vec<u32>,
}

/// Edges `(j, i, score)` that pass a rule's thresholds, before each
/// document's candidates by that rule are cut to the best few.
type Edges = Vec<(u32, u32, f32)>;

/// What one document's query yields: exact and shingle pairs, sketch edges
/// and passage edges (scored by the anchors shared).
type Found = (Vec<(usize, usize, Reason)>, Edges, Edges);

/// Candidate pairs `(i, j, reason)`, `i < j`, of `sigs`, sorted and unique:
/// what `candidates_scored` returns.
///
/// Every rule is symmetric (a posting list holds the first documents filed
/// under its key, so if a later document is in a list, so is every earlier
/// one with the key; the MinHash estimate and the sketch score are symmetric
/// in the two documents), so document `i` only looks at documents before
/// it: half the work of one full query per document. The one asymmetric
/// step, keeping each document's best sketch candidates, is done after,
/// over the sketch edges of both ends.
pub(crate) fn pairs(sigs: &[Signature], cfg: &IndexConfig) -> Vec<(usize, usize, Reason)> {
    let n = sigs.len();
    u32::try_from(n).expect("more than 4 billion documents");
    let cap = cfg.max_bucket.max(2);
    let (exact, bands) = rayon::join(
        || {
            let key = |d: usize| {
                let s = &sigs[d];
                if s.exact != 0 {
                    std::slice::from_ref(&s.exact)
                } else {
                    &[]
                }
            };
            Table::build(n, key, cap * 8)
        },
        || {
            rayon::join(
                || {
                    let band: Vec<Vec<u64>> = sigs.par_iter().map(|s| band_keys(s, cfg)).collect();
                    Table::build(n, |d| band[d].as_slice(), cap)
                },
                || Table::build(n, |d| sigs[d].terms.as_slice(), cap),
            )
        },
    );
    let (bands, terms) = bands;
    let nf = n as f32 + 1.0;
    // The IDF of a key term depends only on its list's length (below `cap`).
    let idf_of_len: Vec<f32> = (0..cap)
        .map(|len| (nf / (len.max(1) as f32)).ln().max(0.0))
        .collect();
    let idf = |list: &[u32]| -> Option<f32> { idf_of_len.get(list.len()).copied() };
    // Each document's key-term weight: the summed IDF of its terms
    // (passage anchors apart).
    let weights: Vec<f32> = (0..n)
        .into_par_iter()
        .map(|d| {
            terms
                .lists(d)
                .zip(&sigs[d].terms)
                .filter(|(_, t)| !Signature::is_anchor(**t))
                .filter_map(|(list, _)| idf(list))
                .sum()
        })
        .collect();
    let ctx = Ctx {
        sigs,
        cfg,
        exact: &exact,
        bands: &bands,
        terms: &terms,
        weights: &weights,
        idf_of_len: &idf_of_len,
    };
    let found: Vec<Found> = (0..n)
        .into_par_iter()
        .map_init(
            || Scratch {
                acc: vec![(0.0, 0); n],
                touched: vec![0; n],
                colliding: Vec::new(),
                anchors: vec![0; n],
                anchored: Vec::new(),
            },
            |sc, i| ctx.query_before(i, sc),
        )
        .collect();
    let mut out: Vec<(usize, usize, Reason)> = Vec::new();
    let mut edges = Edges::new();
    let mut passage = Edges::new();
    for (p, e, a) in found {
        out.extend(p);
        edges.extend(e);
        passage.extend(a);
    }
    keep_best(
        n,
        &edges,
        cfg.max_sketch_candidates,
        Reason::Terms,
        &mut out,
    );
    keep_best(
        n,
        &passage,
        cfg.max_anchor_candidates,
        Reason::Passage,
        &mut out,
    );
    out.par_sort_unstable();
    out.dedup_by(|b, a| a.0 == b.0 && a.1 == b.1);
    out
}

/// Each document keeps its `k` best candidates by `edges`, best first, ties
/// to the lower id (adjacency lists over both ends of every edge), pushed
/// to `out` as pairs with `reason`.
fn keep_best(
    n: usize,
    edges: &[(u32, u32, f32)],
    k: usize,
    reason: Reason,
    out: &mut Vec<(usize, usize, Reason)>,
) {
    let mut start = vec![0u32; n + 1];
    for &(a, b, _) in edges {
        start[a as usize + 1] += 1;
        start[b as usize + 1] += 1;
    }
    for d in 0..n {
        start[d + 1] += start[d];
    }
    let mut fill = start.clone();
    let mut adj = vec![(0.0f32, 0u32); 2 * edges.len()];
    for &(a, b, w) in edges {
        adj[fill[a as usize] as usize] = (w, b);
        fill[a as usize] += 1;
        adj[fill[b as usize] as usize] = (w, a);
        fill[b as usize] += 1;
    }
    for d in 0..n {
        let list = &mut adj[start[d] as usize..start[d + 1] as usize];
        list.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        for &(_, o) in list.iter().take(k) {
            let o = o as usize;
            out.push((d.min(o), d.max(o), reason));
        }
    }
}

/// The corpus-wide tables a query reads.
struct Ctx<'a> {
    sigs: &'a [Signature],
    cfg: &'a IndexConfig,
    exact: &'a Table,
    bands: &'a Table,
    terms: &'a Table,
    weights: &'a [f32],
    /// [`IndexConfig::max_bucket`] entries: the IDF of a key term by the
    /// length of its list; longer lists (hot terms) are ignored.
    idf_of_len: &'a [f32],
}

impl Ctx<'_> {
    /// The pairs `(j, i)`, `j < i`, that one query per document would find
    /// (the rules of `CandidateIndex::query_weighted`), with the sketch
    /// matches as edges for the later cut.
    fn query_before(&self, i: usize, sc: &mut Scratch) -> Found {
        let cfg = self.cfg;
        let sig = &self.sigs[i];
        let me = i as u32;
        let mut pairs: Vec<(usize, usize, Reason)> = Vec::new();
        // Lists are ascending: the documents before `i` are a prefix, read
        // up to the first id at or after `i`.
        for list in self.exact.lists(i) {
            for &id in list.iter().take_while(|&&id| id < me) {
                pairs.push((id as usize, i, Reason::Exact));
            }
        }
        let n_exact = pairs.len();
        let colliding = &mut sc.colliding;
        colliding.clear();
        for list in self.bands.lists(i) {
            colliding.extend(list.iter().take_while(|&&id| id < me));
        }
        colliding.sort_unstable();
        colliding.dedup();
        for &id in colliding.iter() {
            let id = id as usize;
            if pairs[..n_exact].binary_search_by_key(&id, |p| p.0).is_ok() {
                continue;
            }
            if sig.jaccard(&self.sigs[id]) >= cfg.min_jaccard {
                pairs.push((id, i, Reason::Shingles));
            }
        }
        let mut wq = 0.0f32;
        let mut n_touched = 0;
        sc.anchored.clear();
        for (list, &t) in self.terms.lists(i).zip(&sig.terms) {
            let Some(&w) = self.idf_of_len.get(list.len()) else {
                continue;
            };
            if Signature::is_anchor(t) {
                for &id in list.iter().take_while(|&&id| id < me) {
                    let a = &mut sc.anchors[id as usize];
                    if *a == 0 {
                        sc.anchored.push(id);
                    }
                    *a += 1;
                }
                continue;
            }
            wq += w;
            for &id in list {
                if id >= me {
                    break;
                }
                let e = &mut sc.acc[id as usize];
                // Noted as touched on its first term, without a branch:
                // the slot is written every time and kept the first time.
                sc.touched[n_touched] = id;
                n_touched += usize::from(e.1 == 0);
                e.0 += w;
                e.1 += 1;
            }
        }
        let mut edges = Vec::new();
        for &id in &sc.touched[..n_touched] {
            let (w, shared) = std::mem::take(&mut sc.acc[id as usize]);
            if (shared as usize) < cfg.min_shared {
                continue;
            }
            let score = w / wq.min(self.weights[id as usize]).max(f32::EPSILON);
            if score >= cfg.min_score {
                edges.push((id, me, score));
            }
        }
        let mut passage = Vec::new();
        for &id in &sc.anchored {
            let shared = std::mem::take(&mut sc.anchors[id as usize]);
            if shared as usize >= cfg.min_anchors.max(1) {
                passage.push((id, me, shared as f32));
            }
        }
        (pairs, edges, passage)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]
        // Enough slots (over 8192) for both spreading passes, and repeated
        // keys (drawn from a small pool) for shared lists and the cap.
        #[test]
        fn tables_match_a_plain_sort(
            seed in any::<u64>(),
            docs in 100usize..400,
            per_doc in 30usize..80,
            pool in 1u64..20_000,
            cap in 2usize..50,
        ) {
            let mut state = seed | 1;
            let mut next = move || {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state
            };
            let keys: Vec<Vec<u64>> = (0..docs)
                .map(|_| {
                    (0..per_doc)
                        .map(|_| (next() % pool).wrapping_mul(0x9E37_79B9_7F4A_7C15))
                        .collect()
                })
                .collect();
            let table = Table::build(docs, |d| keys[d].as_slice(), cap);
            let mut plain: Vec<(u64, u32, u32)> = Vec::new();
            for (d, ks) in keys.iter().enumerate() {
                for &k in ks {
                    plain.push((k, plain.len() as u32, d as u32));
                }
            }
            let doc_start: Vec<u32> = std::iter::once(0)
                .chain(keys.iter().scan(0u32, |s, k| {
                    *s += k.len() as u32;
                    Some(*s)
                }))
                .collect();
            let mut sorted = plain.clone();
            sorted.sort_unstable();
            prop_assert_eq!(sort_keys(&|d: usize| keys[d].as_slice(), &doc_start), sorted);
            let mut holders: std::collections::HashMap<u64, Vec<u32>> = Default::default();
            for e in &plain {
                holders.entry(e.0).or_default().push(e.2);
            }
            for (d, ks) in keys.iter().enumerate() {
                for (k, list) in ks.iter().zip(table.lists(d)) {
                    let all = &holders[k];
                    prop_assert_eq!(list, &all[..all.len().min(cap)]);
                }
            }
        }
    }
}
