//! Per-document preparation: sentences, tokens, content keys, and the
//! sentence similarity used by the aligner.
use std::collections::HashMap;

use stemma_core::Span;
use stemma_text::{Lang, Thesaurus, TokenKind, is_stopword, sentences, stem, tokenize};

/// FNV-1a, enough to key words inside one comparison.
pub(crate) fn hash(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// One token with what matching needs.
#[derive(Debug, Clone)]
pub(crate) struct Tok {
    pub span: Span,
    pub norm: String,
    /// Hash of the stem: equal keys count as the same word.
    pub key: u64,
    pub content: bool,
    pub number: bool,
    pub capitalised: bool,
    /// Thesaurus id, when the word is in the thesaurus.
    pub syn: Option<u32>,
}

/// One sentence: its span, its token range and content keys.
#[derive(Debug, Clone)]
pub(crate) struct Sent {
    pub span: Span,
    pub first_tok: usize,
    pub end_tok: usize,
    /// Sorted, deduplicated content keys.
    pub keys: Vec<u64>,
    /// Content words with a thesaurus id: (key, id).
    pub syns: Vec<(u64, u32)>,
    /// Hash of all token norms, to spot exact copies.
    pub exact: u64,
    /// The sentence's function words in order (their keys, cut to 32
    /// bits): the frame a spinner keeps while it swaps the words between.
    pub frame: Vec<u32>,
}

impl Sent {
    pub fn weight(&self) -> usize {
        self.keys.len()
    }
}

/// A text ready for alignment.
#[derive(Debug)]
pub(crate) struct Doc<'a> {
    pub text: &'a str,
    pub toks: Vec<Tok>,
    pub sents: Vec<Sent>,
    /// Content keys of the whole text, for the cheap pre-checks.
    pub content: usize,
    /// The text's language when it is not English ([`Lang::of`]).
    pub lang: Option<Lang>,
}

impl<'a> Doc<'a> {
    pub fn new(text: &'a str, thes: Option<&Thesaurus>, max_sentences: usize) -> Self {
        let raw = tokenize(text);
        // A text in another language than English: its own function words
        // are no content either.
        let lang = Lang::of(
            raw.iter()
                .filter(|t| t.kind == TokenKind::Word)
                .map(|t| t.norm.as_str()),
        );
        let mut toks = Vec::with_capacity(raw.len());
        for t in raw {
            let number = t.kind == TokenKind::Number;
            let content = number
                || (t.norm.chars().count() > 1
                    && !is_stopword(&t.norm)
                    && !lang.is_some_and(|l| l.is_function_word(&t.norm)));
            let syn = if content && !number {
                thes.and_then(|th| th.id(&t.norm))
            } else {
                None
            };
            let key = if number {
                hash(&t.norm.replace(',', ""))
            } else {
                hash(stem(&t.norm))
            };
            toks.push(Tok {
                span: t.span,
                key,
                content,
                number,
                capitalised: t.capitalised,
                syn,
                norm: t.norm,
            });
        }
        let mut sents = Vec::new();
        let mut ti = 0;
        for sp in sentences(text) {
            if sents.len() >= max_sentences {
                break;
            }
            while ti < toks.len() && toks[ti].span.start < sp.start {
                ti += 1;
            }
            let first = ti;
            while ti < toks.len() && toks[ti].span.end <= sp.end {
                ti += 1;
            }
            if first == ti {
                continue;
            }
            let mut keys = Vec::new();
            let mut syns = Vec::new();
            let mut exact: u64 = 0x84222325;
            let frame = frame_of(&toks[first..ti]);
            for t in &toks[first..ti] {
                exact = exact.rotate_left(7) ^ t.key;
                if t.content {
                    keys.push(t.key);
                    if let Some(id) = t.syn {
                        syns.push((t.key, id));
                    }
                }
            }
            keys.sort_unstable();
            keys.dedup();
            sents.push(Sent {
                span: sp,
                first_tok: first,
                end_tok: ti,
                keys,
                syns,
                exact,
                frame,
            });
        }
        let content = sents.iter().map(Sent::weight).sum();
        Doc {
            text,
            toks,
            sents,
            content,
            lang,
        }
    }

    /// Content weight of sentences `lo..hi`.
    pub fn weight(&self, lo: usize, hi: usize) -> usize {
        self.sents[lo..hi].iter().map(Sent::weight).sum()
    }
}

/// Exact and synonym matches between two sentences' content words.
pub(crate) fn matches(a: &Sent, b: &Sent, thes: Option<&Thesaurus>) -> (usize, usize) {
    let (mut i, mut j, mut exact) = (0, 0, 0);
    while i < a.keys.len() && j < b.keys.len() {
        match a.keys[i].cmp(&b.keys[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                exact += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let mut syn = 0;
    if let Some(th) = thes {
        let mut used: Vec<u64> = Vec::new();
        for &(ka, ia) in &a.syns {
            if b.keys.binary_search(&ka).is_ok() {
                continue;
            }
            for &(kb, ib) in &b.syns {
                if a.keys.binary_search(&kb).is_ok() || used.contains(&kb) {
                    continue;
                }
                if th.synonym_ids(ia, ib) {
                    used.push(kb);
                    syn += 1;
                    break;
                }
            }
        }
    }
    (exact, syn)
}

/// Dice similarity of two sentences' content words, synonyms counting 0.8.
pub(crate) fn similarity(a: &Sent, b: &Sent, thes: Option<&Thesaurus>) -> f32 {
    let n = a.keys.len() + b.keys.len();
    if n == 0 {
        return 0.0;
    }
    if a.exact == b.exact {
        return 1.0;
    }
    let (e, s) = matches(a, b, thes);
    let dice = ((2.0 * (e as f32 + 0.8 * s as f32)) / n as f32).min(1.0);
    dice.max(framed(a, b, dice))
}

/// The function words of `toks` in order, as [`Sent::frame`] holds them.
pub(crate) fn frame_of(toks: &[Tok]) -> Vec<u32> {
    toks.iter()
        .filter(|t| !t.content)
        .map(|t| t.key as u32)
        .collect()
}

/// Similarity of two sentences read as one spun from the other: the same
/// function words in the same order ([`Sent::frame`]) around content words
/// that were swapped, whether or not the thesaurus knows the swaps (a
/// spinner's dictionary is its own: "Eire", "final 12 months"). Two
/// sentences of about the same length sharing [`FRAME_SAME`] of their
/// function-word sequences and some content words move up to
/// [`FRAME_GAIN`] of the way from their content-word Dice to 1; 0 when
/// they do not.
fn framed(a: &Sent, b: &Sent, dice: f32) -> f32 {
    if dice < FRAME_MIN_DICE || a.frame.len().min(b.frame.len()) < FRAME_MIN_WORDS {
        return 0.0;
    }
    let (la, lb) = (a.end_tok - a.first_tok, b.end_tok - b.first_tok);
    if la.max(lb) as f32 > la.min(lb) as f32 * FRAME_LENGTH {
        return 0.0;
    }
    let same = lcs(&a.frame, &b.frame) as f32 / a.frame.len().max(b.frame.len()) as f32;
    if same < FRAME_SAME {
        return 0.0;
    }
    dice + (1.0 - dice) * FRAME_GAIN * (same - FRAME_SAME) / (1.0 - FRAME_SAME)
}

/// Content-word Dice two sentences need before their frames count: a
/// shared frame of function words alone is common prose ("it was the ... of
/// the ... in ...").
const FRAME_MIN_DICE: f32 = 0.15;
/// Function words each sentence needs for its frame to say anything.
const FRAME_MIN_WORDS: usize = 5;
/// Most the longer sentence's tokens may exceed the shorter's, as a ratio:
/// a spinner swaps a word for a word or a short phrase.
const FRAME_LENGTH: f32 = 1.25;
/// Share of the longer frame the two frames must have in common, in order.
const FRAME_SAME: f32 = 0.85;
/// How far a shared frame moves the similarity from the Dice towards 1.
const FRAME_GAIN: f32 = 0.4;

/// Length of the longest common subsequence of two short sequences.
fn lcs(a: &[u32], b: &[u32]) -> usize {
    let mut row = vec![0usize; b.len() + 1];
    for x in a {
        let mut diag = 0;
        for (j, y) in b.iter().enumerate() {
            let up = row[j + 1];
            row[j + 1] = if x == y { diag + 1 } else { up.max(row[j]) };
            diag = up;
        }
    }
    row[b.len()]
}

/// A scored sentence pair.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Point {
    pub i: usize,
    pub j: usize,
    pub sim: f32,
}

/// Sentence pairs worth aligning: for every sentence of `a`, the sentences
/// of `b` sharing content words, scored, keeping the best few per sentence
/// on each side. Very common words are skipped as seeds so that long texts
/// stay near-linear.
pub(crate) fn candidates(
    a: &Doc,
    b: &Doc,
    thes: Option<&Thesaurus>,
    cos: Option<&dyn Fn(usize, usize) -> f32>,
    floor: f32,
) -> Vec<Point> {
    let m = b.sents.len();
    let mut post: HashMap<u64, Vec<u32>> = HashMap::new();
    for (j, s) in b.sents.iter().enumerate() {
        for &k in &s.keys {
            post.entry(k).or_default().push(j as u32);
        }
    }
    let cap = if m <= 60 { usize::MAX } else { (m / 8).max(20) };
    let mut counts = vec![0u16; m];
    let mut touched: Vec<usize> = Vec::new();
    let mut all: Vec<Point> = Vec::new();
    for (i, s) in a.sents.iter().enumerate() {
        for k in &s.keys {
            if let Some(p) = post.get(k) {
                if p.len() > cap {
                    continue;
                }
                for &j in p {
                    let j = j as usize;
                    if counts[j] == 0 {
                        touched.push(j);
                    }
                    counts[j] = counts[j].saturating_add(1);
                }
            }
        }
        for &j in &touched {
            let c = counts[j] as f32;
            counts[j] = 0;
            let n = (s.weight() + b.sents[j].weight()) as f32;
            // Upper bound with every other word a synonym.
            if 2.0 * c / n < floor * 0.5 {
                continue;
            }
            let mut sim = similarity(s, &b.sents[j], thes);
            if let Some(f) = cos {
                sim = sim.max((sim + f(i, j)) / 2.0);
            }
            if sim >= floor {
                all.push(Point { i, j, sim });
            }
        }
        touched.clear();
        if let Some(f) = cos {
            // Embeddings may find pairs that share no word at all.
            for j in 0..m {
                let c = f(i, j);
                if c >= 0.75 && !all.iter().rev().take(64).any(|p| p.i == i && p.j == j) {
                    all.push(Point {
                        i,
                        j,
                        sim: (c - 0.25).max(floor),
                    });
                }
            }
        }
    }
    prune(all, a.sents.len(), m, 3)
}

/// Keeps a point when it is among the `k` best of its row or of its column.
fn prune(mut all: Vec<Point>, n: usize, m: usize, k: usize) -> Vec<Point> {
    all.sort_by(|x, y| y.sim.total_cmp(&x.sim));
    let mut row = vec![0u8; n];
    let mut col = vec![0u8; m];
    let mut keep = Vec::new();
    for p in all {
        if (row[p.i] as usize) < k || (col[p.j] as usize) < k {
            row[p.i] = row[p.i].saturating_add(1);
            col[p.j] = col[p.j].saturating_add(1);
            keep.push(p);
        }
    }
    keep.sort_by_key(|p| (p.i, p.j));
    keep
}

/// The heaviest chain of points increasing in both texts (ties allowed on
/// one side, so one sentence may align with several on the other side),
/// each point weighing `sim - base`.
pub(crate) fn chain(points: &[Point], m: usize, base: f32) -> Vec<Point> {
    // Fenwick tree of prefix maxima over j: (score, point index).
    let mut tree = vec![(0.0f32, usize::MAX); m + 1];
    let mut best = vec![(0.0f32, usize::MAX); points.len()];
    let query = |tree: &Vec<(f32, usize)>, j: usize| {
        let mut x = j + 1;
        let mut r = (0.0f32, usize::MAX);
        while x > 0 {
            if tree[x].0 > r.0 {
                r = tree[x];
            }
            x &= x - 1;
        }
        r
    };
    let mut top = (0.0f32, usize::MAX);
    for (idx, p) in points.iter().enumerate() {
        let w = p.sim - base;
        if w <= 0.0 {
            continue;
        }
        let prev = query(&tree, p.j);
        let score = prev.0 + w;
        best[idx] = (score, prev.1);
        if score > top.0 {
            top = (score, idx);
        }
        let mut x = p.j + 1;
        while x <= m {
            if score > tree[x].0 {
                tree[x] = (score, idx);
            }
            x += x & x.wrapping_neg();
        }
    }
    let mut out = Vec::new();
    let mut cur = top.1;
    while cur != usize::MAX {
        out.push(points[cur]);
        cur = best[cur].1;
    }
    out.reverse();
    out
}
