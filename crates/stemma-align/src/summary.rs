//! Summary alignment: does one text condense a passage of the other?
//!
//! A summary sentence draws on one to three consecutive sentences of its
//! source, reworded, and the summary follows the source's order while
//! skipping much of it. For every sentence of the candidate summary this
//! finds the windows of one to three consecutive source sentences that
//! contain most of its content words (weighted by rarity within the pair,
//! thesaurus synonyms counting 0.8), then the best monotone chain of such
//! links over a contiguous stretch of the summary side (a few unlinked
//! sentences allowed: a summary hidden in another text, or one adding
//! claims). Separately written reports of one event share names and
//! figures sentence by sentence too, but their sentences seldom draw on the
//! other text's sentences one after another in its order, and most of
//! their content is the other text's lack; the chain features let the
//! verdict's trees tell the two apart.
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use stemma_text::Thesaurus;

use crate::prep::Doc;

/// Content words a summary sentence needs to be linked at all.
const MIN_WORDS: usize = 4;
/// Weighted containment a link needs.
const MIN_LINK: f32 = 0.4;
/// Each extra sentence in a window costs this much containment.
const WINDOW_COST: f32 = 0.05;
/// Summary sentences a chain may skip between two links.
const GAP: usize = 3;
/// A link adds its containment minus this to the chain's score.
const BASE: f32 = 0.3;
/// Windows kept per summary sentence.
const PER_SENTENCE: usize = 3;
/// Source sentences that may anchor windows, per summary sentence.
const TOUCHED: usize = 24;
/// Touched source sentences whose synonyms are checked per summary sentence.
const SYN_CHECKS: usize = 8;

/// One summary sentence drawing on a window of source sentences.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Link {
    /// The summary sentence.
    pub j: usize,
    /// First source sentence of the window.
    pub i0: usize,
    /// Last source sentence of the window (inclusive).
    pub i1: usize,
    /// Weighted share of the summary sentence's content words in the window.
    pub c: f32,
}

/// The best chain for one direction.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Chain {
    /// Links in summary order.
    pub links: Vec<Link>,
    /// Sum of `c - BASE` over the links.
    pub score: f32,
    /// Links over the linkable sentences of the summary stretch they span.
    pub share: f32,
    /// Mean containment of the links.
    pub mean: f32,
    /// Weighted share of the stretch's content words found anywhere in the
    /// source (exact words only).
    pub rare: f32,
    /// Tokens of the summary stretch over tokens of the source stretch
    /// (first to last window).
    pub compression: f32,
}

/// Content keys are already hashes (`prep::hash`): a map keyed by them
/// needs no hashing of its own.
#[derive(Default)]
pub(crate) struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8 | u64::from(b)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        }
    }
    fn write_u64(&mut self, x: u64) {
        self.0 = x;
    }
}

/// A map keyed by content keys.
pub(crate) type KeyMap<V> = HashMap<u64, V, BuildHasherDefault<KeyHasher>>;

/// Rarity weights of content keys within the pair: log of sentences over
/// sentences holding the key.
pub(crate) fn weights(a: &Doc, b: &Doc) -> KeyMap<f32> {
    let mut df: KeyMap<u32> = KeyMap::default();
    for s in a.sents.iter().chain(&b.sents) {
        for &k in &s.keys {
            *df.entry(k).or_default() += 1;
        }
    }
    let n = (a.sents.len() + b.sents.len()) as f32 + 1.0;
    df.into_iter()
        .map(|(k, d)| (k, (n / d as f32).ln().max(0.05)))
        .collect()
}

/// The weight [`weights`] gives content key `k` (its floor for a key it
/// never saw).
pub(crate) fn weight(w: &KeyMap<f32>, k: &u64) -> f32 {
    w.get(k).copied().unwrap_or(0.05)
}

/// The best chain reading `sum` as condensing (part of) `src`.
pub(crate) fn chain(src: &Doc, sum: &Doc, w: &KeyMap<f32>, thes: Option<&Thesaurus>) -> Chain {
    let n = src.sents.len();
    if n == 0 || sum.sents.is_empty() {
        return Chain::default();
    }
    let mut post: KeyMap<Vec<u32>> = KeyMap::default();
    for (i, s) in src.sents.iter().enumerate() {
        for &k in &s.keys {
            post.entry(k).or_default().push(i as u32);
        }
    }
    let cap = if n <= 60 { usize::MAX } else { (n / 8).max(20) };
    let weight = |k: &u64| weight(w, k);

    let mut links: Vec<Link> = Vec::new();
    let mut hits = vec![0.0f32; n];
    let mut touched: Vec<usize> = Vec::new();
    let mut masks = vec![(0u128, 0u128); n];
    let mut cands: Vec<Link> = Vec::new();
    for (j, s) in sum.sents.iter().enumerate() {
        if s.keys.len() < MIN_WORDS {
            continue;
        }
        let keys = &s.keys[..s.keys.len().min(128)];
        let kw: Vec<f32> = keys.iter().map(weight).collect();
        let total: f32 = kw.iter().sum();
        if total <= 0.0 {
            continue;
        }
        for (k, x) in keys.iter().zip(&kw) {
            let Some(p) = post.get(k) else { continue };
            if p.len() > cap {
                continue;
            }
            for &i in p {
                let i = i as usize;
                if hits[i] == 0.0 {
                    touched.push(i);
                }
                hits[i] += x;
            }
        }
        if touched.is_empty() {
            continue;
        }
        // Only sentences holding a fair share of the words can anchor a
        // window (three sentences at most share the rest).
        let mut anchors: Vec<usize> = touched
            .iter()
            .copied()
            .filter(|&i| hits[i] >= total * MIN_LINK / 3.0)
            .collect();
        if anchors.len() > TOUCHED {
            anchors.select_nth_unstable_by(TOUCHED, |x, y| hits[*y].total_cmp(&hits[*x]));
            anchors.truncate(TOUCHED);
        }
        anchors.sort_by(|x, y| hits[*y].total_cmp(&hits[*x]));
        for &i in &touched {
            hits[i] = 0.0;
        }
        touched.clear();
        // Exact masks for the anchors, synonyms for the best few.
        for (rank, &i) in anchors.iter().enumerate() {
            let a = &src.sents[i];
            let mut exact = 0u128;
            for (bit, k) in keys.iter().enumerate() {
                if a.keys.binary_search(k).is_ok() {
                    exact |= 1 << bit;
                }
            }
            let mut syn = 0u128;
            if let Some(th) = thes
                && rank < SYN_CHECKS
            {
                for &(kb, ib) in &s.syns {
                    let Ok(bit) = keys.binary_search(&kb) else {
                        continue;
                    };
                    if exact & (1 << bit) != 0 || syn & (1 << bit) != 0 {
                        continue;
                    }
                    if a.syns.iter().any(|&(_, ia)| th.synonym_ids(ia, ib)) {
                        syn |= 1 << bit;
                    }
                }
            }
            masks[i] = (exact, syn);
        }
        let score = |m: (u128, u128)| -> f32 {
            let mut x = 0.0;
            let any = m.0 | m.1;
            for (bit, w) in kw.iter().enumerate() {
                if any & (1 << bit) != 0 {
                    x += if m.0 & (1 << bit) != 0 { *w } else { 0.8 * w };
                }
            }
            x / total
        };
        cands.clear();
        let mut starts: Vec<usize> = anchors
            .iter()
            .flat_map(|&t| t.saturating_sub(2)..=t)
            .collect();
        starts.sort_unstable();
        starts.dedup();
        for &i0 in &starts {
            let mut m = (0u128, 0u128);
            for (i1, &x) in masks.iter().enumerate().skip(i0).take(3) {
                // A window must need its ends: both add words.
                if (x.0 | x.1) & !(m.0 | m.1) == 0 {
                    if i1 == i0 {
                        break;
                    }
                    continue;
                }
                m = (m.0 | x.0, m.1 | x.1);
                let c = score(m) - WINDOW_COST * (i1 - i0) as f32;
                if c >= MIN_LINK {
                    cands.push(Link { j, i0, i1, c });
                }
            }
        }
        for &i in &anchors {
            masks[i] = (0, 0);
        }
        cands.sort_by(|x, y| y.c.total_cmp(&x.c).then(x.i0.cmp(&y.i0)));
        let mut kept: Vec<Link> = Vec::new();
        for l in &cands {
            // Distinct windows: drop one overlapping a better kept window.
            if kept.iter().any(|k| l.i0 <= k.i1 && k.i0 <= l.i1) {
                continue;
            }
            kept.push(*l);
            if kept.len() == PER_SENTENCE {
                break;
            }
        }
        kept.sort_by_key(|l| l.i0);
        links.extend(kept);
    }
    best_chain(&links, src, sum, w, &post)
}

/// The heaviest chain of links increasing in the summary, not decreasing in
/// the source, skipping at most [`GAP`] summary sentences between links.
/// `post` holds the source's content keys (with their sentences).
fn best_chain(
    links: &[Link],
    src: &Doc,
    sum: &Doc,
    w: &KeyMap<f32>,
    post: &KeyMap<Vec<u32>>,
) -> Chain {
    if links.is_empty() {
        return Chain::default();
    }
    let mut dp: Vec<(f32, usize)> = vec![(0.0, usize::MAX); links.len()];
    let mut top = (f32::MIN, 0usize);
    let mut start = 0usize;
    for (x, l) in links.iter().enumerate() {
        while links[start].j + GAP + 1 < l.j {
            start += 1;
        }
        let mut best = (0.0f32, usize::MAX);
        for (y, p) in links[start..x].iter().enumerate() {
            let y = start + y;
            if p.j < l.j && p.i0 <= l.i0 && dp[y].0 > best.0 {
                best = (dp[y].0, y);
            }
        }
        dp[x] = (best.0 + l.c - BASE, best.1);
        if dp[x].0 > top.0 {
            top = (dp[x].0, x);
        }
    }
    let mut out = Vec::new();
    let mut cur = top.1;
    while cur != usize::MAX {
        out.push(links[cur]);
        cur = dp[cur].1;
    }
    out.reverse();
    let (j0, j1) = (out[0].j, out[out.len() - 1].j);
    let linkable = sum.sents[j0..=j1]
        .iter()
        .filter(|s| s.keys.len() >= MIN_WORDS)
        .count();
    let mean = out.iter().map(|l| l.c).sum::<f32>() / out.len() as f32;
    // Rare-word containment of the stretch in the whole source.
    let mut keys: Vec<u64> = sum.sents[j0..=j1]
        .iter()
        .flat_map(|s| s.keys.clone())
        .collect();
    keys.sort_unstable();
    keys.dedup();
    let weight = |k: &u64| weight(w, k);
    let total: f32 = keys.iter().map(weight).sum();
    let found: f32 = keys
        .iter()
        .filter(|k| post.contains_key(k))
        .map(weight)
        .sum();
    let i0 = out.iter().map(|l| l.i0).min().unwrap_or(0);
    let i1 = out.iter().map(|l| l.i1).max().unwrap_or(0);
    let src_toks = src.sents[i1].end_tok - src.sents[i0].first_tok;
    let sum_toks = sum.sents[j1].end_tok - sum.sents[j0].first_tok;
    Chain {
        score: top.0,
        share: out.len() as f32 / linkable.max(1) as f32,
        mean,
        rare: if total > 0.0 { found / total } else { 0.0 },
        compression: sum_toks as f32 / src_toks.max(1) as f32,
        links: out,
    }
}
