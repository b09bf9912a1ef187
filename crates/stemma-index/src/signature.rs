//! Per-document signatures: an exact hash, a MinHash over content-word
//! shingles and a sketch of key terms (names, numbers, sampled content words).
use serde::{Deserialize, Serialize};
use stemma_text::{TokenKind, for_each_token, is_stopword};
use xxhash_rust::xxh3::{xxh3_64, xxh3_64_with_seed};

use crate::IndexConfig;

/// Seeds that keep the three key-term families apart.
const SEED_WORD: u64 = 0x5157_4f52_4421;
const SEED_NAME: u64 = 0x4e41_4d45_2121;
const SEED_NUMBER: u64 = 0x4e55_4d42_4552;
/// Seed of the shingle hash.
const SEED_SHINGLE: u64 = 0x5348_494e_474c;
/// Seed of the MinHash rounds.
const SEED_ROUND: u64 = 0x524f_554e_4453;
/// Seed of the passage anchors' sampling hash.
const SEED_ANCHOR: u64 = 0x414e_4348_4f52;
/// The bit that marks a key term as a passage anchor (see
/// [`Signature::is_anchor`]); the other key terms have it clear.
pub const ANCHOR_BIT: u64 = 1 << 63;
/// Most MinHash rounds (a bound only a text of one or two shingles could
/// approach: with `m` shingles, `bands * rows` bins fill in about
/// `bins * ln(bins) / m` rounds).
const MAX_ROUNDS: u64 = 1 << 14;

/// Everything the index keeps about one document. Serialisable so that a
/// store can persist it and rebuild a [`crate::CandidateIndex`] without
/// re-reading the texts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signature {
    /// xxh3 of the normalised token sequence; 0 for a text without words.
    pub exact: u64,
    /// MinHash values, `bands * rows` of them; empty when the text has no
    /// content words.
    pub minhash: Vec<u32>,
    /// Sorted, unique key-term hashes (names, numbers, sampled content words)
    /// and, with [`ANCHOR_BIT`] set, passage anchors: the content-word
    /// shingles whose hash falls in a fixed share of the range, so that two
    /// texts sharing a passage share about that share of its shingles
    /// however long the rest of either text is.
    pub terms: Vec<u64>,
}

/// Working buffers of [`Signature::of`], kept per thread so that signing a
/// document allocates only the signature itself.
#[derive(Default)]
struct Buffers {
    joined: Vec<u8>,
    content: Vec<u64>,
    names: Vec<u64>,
    numbers: Vec<u64>,
    shingles: Vec<u64>,
    rank: Vec<u64>,
    head: Vec<u64>,
    anchors: Vec<u64>,
}

thread_local! {
    static BUFFERS: std::cell::RefCell<Buffers> = std::cell::RefCell::default();
}

impl Signature {
    /// Computes the signature of `text` under `cfg`, in one pass over its
    /// tokens (no per-token allocation; working buffers are reused from one
    /// call to the next on each thread).
    pub fn of(text: &str, cfg: &IndexConfig) -> Signature {
        BUFFERS.with(|b| match b.try_borrow_mut() {
            Ok(mut b) => Self::of_with(text, cfg, &mut b),
            // Only reachable if signing re-entered itself on this thread.
            Err(_) => Self::of_with(text, cfg, &mut Buffers::default()),
        })
    }

    /// [`Signature::of`] with the given working buffers.
    fn of_with(text: &str, cfg: &IndexConfig, buf: &mut Buffers) -> Signature {
        let Buffers {
            joined,
            content,
            names,
            numbers,
            shingles,
            rank,
            head,
            anchors,
        } = buf;
        joined.clear();
        joined.reserve(text.len() + 1);
        // Content words (letters, not stopwords, at least 3 characters), as
        // their key-term hashes, in text order: the shingles are built from
        // these, so each word's bytes are hashed once.
        content.clear();
        names.clear();
        numbers.clear();
        let bytes = text.as_bytes();
        let mut prev_end = 0usize;
        let mut first = true;
        for_each_token(text, |t| {
            let norm = t.norm.as_bytes();
            let at = t.span.start;
            if norm.len() <= 16
                && at + 16 <= bytes.len()
                && std::ptr::eq(norm.as_ptr(), bytes[at..].as_ptr())
            {
                // The token as it stands in the text (already normal): a
                // fixed-size copy, cut back to the token, instead of a
                // copy of variable length.
                let len = joined.len();
                joined.extend_from_slice(&bytes[at..at + 16]);
                joined.truncate(len + norm.len());
            } else {
                joined.extend_from_slice(norm);
            }
            joined.push(b' ');
            let sentence_start = first
                || bytes[prev_end..t.span.start]
                    .iter()
                    .any(|&b| SENTENCE_END[usize::from(b)]);
            first = false;
            prev_end = t.span.end;
            match t.kind {
                TokenKind::Number => {
                    let digits = t.norm.bytes().filter(u8::is_ascii_digit).count();
                    if digits >= 2 {
                        numbers.push(xxh3_64_with_seed(t.norm.as_bytes(), SEED_NUMBER));
                    }
                }
                TokenKind::Word => {
                    if !at_least_3_chars(t.norm) || is_stopword(t.norm) {
                        return;
                    }
                    content.push(xxh3_64_with_seed(t.norm.as_bytes(), SEED_WORD));
                    if t.capitalised && !sentence_start {
                        names.push(xxh3_64_with_seed(t.norm.as_bytes(), SEED_NAME));
                    }
                }
            }
        });
        if joined.is_empty() {
            return Signature {
                exact: 0,
                minhash: Vec::new(),
                terms: Vec::new(),
            };
        }
        let exact = xxh3_64(joined).max(1);
        shingle_hashes(content, cfg, shingles);
        let minhash = minhash(shingles, cfg, rank);
        let mut terms = Vec::with_capacity(cfg.key_words + cfg.key_names + cfg.key_numbers);
        // Words sampled at a fixed rate: a digest's sampled words are then
        // its long source's sampled words too (a bottom-k sample of the
        // source would hold a share of them that falls with its length).
        sample_into(content, cfg.key_word_rate, cfg.key_words, head, &mut terms);
        bottom_k_into(names, cfg.key_names, head, &mut terms);
        bottom_k_into(numbers, cfg.key_numbers, head, &mut terms);
        if cfg.anchor_rate > 0.0 {
            for t in &mut terms {
                *t &= !ANCHOR_BIT;
            }
            anchors.clear();
            anchors.extend(shingles.iter().map(|&s| mix(s ^ SEED_ANCHOR)));
            let from = terms.len();
            sample_into(anchors, cfg.anchor_rate, cfg.anchor_max, head, &mut terms);
            for t in &mut terms[from..] {
                *t |= ANCHOR_BIT;
            }
        }
        terms.sort_unstable();
        terms.dedup();
        Signature {
            exact,
            minhash,
            terms,
        }
    }

    /// True for a key term that is a passage anchor (see [`Signature::terms`]).
    pub fn is_anchor(term: u64) -> bool {
        term & ANCHOR_BIT != 0
    }

    /// The key terms that weigh in the sketch score: all but the passage
    /// anchors.
    pub fn sketch_terms(&self) -> impl Iterator<Item = &u64> {
        self.terms.iter().filter(|&&t| !Self::is_anchor(t))
    }

    /// Share of MinHash positions on which two signatures agree: an estimate
    /// of the Jaccard similarity of their shingle sets.
    pub fn jaccard(&self, other: &Signature) -> f32 {
        if self.minhash.is_empty() || self.minhash.len() != other.minhash.len() {
            return 0.0;
        }
        let same = self
            .minhash
            .iter()
            .zip(&other.minhash)
            .filter(|(a, b)| a == b)
            .count();
        same as f32 / self.minhash.len() as f32
    }
}

/// The `k` smallest distinct hashes: a consistent sample, so that two
/// documents sharing most of their terms also share most of their samples.
#[cfg(test)]
pub(crate) fn bottom_k(mut hashes: Vec<u64>, k: usize) -> Vec<u64> {
    let mut out = Vec::new();
    bottom_k_into(&mut hashes, k, &mut Vec::new(), &mut out);
    out
}

/// Appends to `out` the `k` smallest distinct values of `hashes` (which it
/// reorders), ascending; `head` is working memory.
fn bottom_k_into(hashes: &mut [u64], k: usize, head: &mut Vec<u64>, out: &mut Vec<u64>) {
    let m = 2 * k;
    if k > 0 && hashes.len() > m {
        // The 2k smallest (in any order) first: unless they hold fewer than
        // k distinct values, the answer is among them.
        hashes.select_nth_unstable(m);
        head.clear();
        head.extend_from_slice(&hashes[..m]);
        head.sort_unstable();
        head.dedup();
        if head.len() >= k {
            out.extend_from_slice(&head[..k]);
            return;
        }
    }
    hashes.sort_unstable();
    let before = out.len();
    for &h in hashes.iter() {
        if out.len() - before == k {
            break;
        }
        if out.len() == before || out.last() != Some(&h) {
            out.push(h);
        }
    }
}

/// Appends to `out` the distinct values of `hashes` (which it filters and
/// reorders) in the bottom share `rate` of the 64-bit range, at most the
/// `k` smallest of them, ascending: a fixed-rate consistent sample, so that
/// a short text's sample is also a long text's that holds its values.
fn sample_into(
    hashes: &mut Vec<u64>,
    rate: f32,
    k: usize,
    head: &mut Vec<u64>,
    out: &mut Vec<u64>,
) {
    let limit = rate_limit(rate);
    if limit < u64::MAX {
        hashes.retain(|&h| h <= limit);
    }
    bottom_k_into(hashes, k, head, out);
}

/// The largest hash of the bottom share `rate` of the 64-bit range
/// (`u64::MAX` from 1.0 on).
fn rate_limit(rate: f32) -> u64 {
    if rate >= 1.0 {
        u64::MAX
    } else {
        (f64::from(rate.max(0.0)) * 18_446_744_073_709_551_616.0) as u64
    }
}

/// Bytes that end a sentence for name detection (`.`, `!`, `?`, newline, `:`).
const SENTENCE_END: [bool; 256] = {
    let mut t = [false; 256];
    t[b'.' as usize] = true;
    t[b'!' as usize] = true;
    t[b'?' as usize] = true;
    t[b'\n' as usize] = true;
    t[b':' as usize] = true;
    t
};

/// True when `word` has at least 3 characters.
fn at_least_3_chars(word: &str) -> bool {
    let b = word.as_bytes();
    if b.len() >= 3 && b[..3].is_ascii() {
        return true;
    }
    match word.len() {
        0..=2 => false,
        3..=11 => word.chars().nth(2).is_some(),
        _ => true,
    }
}

/// The splitmix64 / murmur3 finaliser: a bijective 64-bit mix.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// `x` mapped onto `0..k` by its high bits (multiply-shift).
fn reduce(x: u64, k: usize) -> usize {
    ((u128::from(x) * k as u128) >> 64) as usize
}

/// The hashes of the content-word shingles (`cfg.shingle` words each;
/// single words when the text is shorter than one shingle), in text order.
fn shingle_hashes(content: &[u64], cfg: &IndexConfig, shingles: &mut Vec<u64>) {
    shingles.clear();
    if content.is_empty() {
        return;
    }
    let n = cfg.shingle.max(1).min(content.len());
    shingles.extend(content.windows(n).map(|w| {
        let mut h = SEED_SHINGLE;
        for &word in w {
            h = mix(h ^ word);
        }
        h
    }));
}

/// MinHash of the content-word shingles (`cfg.shingle` words each; single
/// words when the text is shorter than one shingle), with one hash per
/// shingle and round instead of one per shingle and permutation, in the
/// manner of fast similarity sketching (Dahlgaard, Knudsen and Thorup 2017):
/// in round `r` (0, 1, ...) every shingle is hashed with `r` into 64 bits,
/// whose high bits pick one of `bands * rows` bins and whose low bits,
/// behind `r`, rank it; each bin keeps its lowest-ranked shingle. Rounds
/// stop once every bin holds one (later rounds rank after every earlier
/// one, so they could change nothing): about one round for long texts, more
/// for short ones. For two texts, a bin holds the same shingle with
/// probability the Jaccard similarity of their shingle sets, as with `k`
/// independent permutations, so the share of equal positions estimates it.
/// A position's value is 32 bits of the winning shingle's hash.
fn minhash(shingles: &[u64], cfg: &IndexConfig, rank: &mut Vec<u64>) -> Vec<u32> {
    let k = cfg.bands * cfg.rows;
    if shingles.is_empty() || k == 0 {
        return Vec::new();
    }
    const RANK_BITS: u32 = 40;
    rank.clear();
    rank.resize(k, u64::MAX);
    let mut value = vec![0u32; k];
    let mut empty = k;
    let mut round = 0u64;
    while empty > 0 && round < MAX_ROUNDS {
        let salt = mix(SEED_ROUND ^ round);
        for &s in shingles.iter() {
            let h = mix(s ^ salt);
            let bin = reduce(h, k);
            let r = (round << RANK_BITS) | (h & ((1 << RANK_BITS) - 1));
            // Without branches (which way they go is a coin toss): `r` is
            // below `u64::MAX`, so an empty bin always takes it.
            let old = rank[bin];
            let take = r < old;
            empty -= usize::from(old == u64::MAX);
            rank[bin] = if take { r } else { old };
            let v = (s ^ (s >> 32)) as u32;
            value[bin] = if take { v } else { value[bin] };
        }
        round += 1;
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use stemma_text::tokenize;

    /// [`Signature::of`] as first written (a `String` of the normalised
    /// tokens, fresh vectors, a branch per MinHash bin update, `bottom_k`
    /// on owned vectors): the signatures kept in stores must not change.
    fn reference(text: &str, cfg: &IndexConfig) -> Signature {
        let mut joined = String::new();
        let mut content = Vec::new();
        let mut names = Vec::new();
        let mut numbers = Vec::new();
        let mut prev_end = 0usize;
        let mut first = true;
        for t in tokenize(text) {
            joined.push_str(&t.norm);
            joined.push(' ');
            let sentence_start = first
                || text.as_bytes()[prev_end..t.span.start]
                    .iter()
                    .any(|b| matches!(b, b'.' | b'!' | b'?' | b'\n' | b':'));
            first = false;
            prev_end = t.span.end;
            match t.kind {
                TokenKind::Number => {
                    if t.norm.bytes().filter(u8::is_ascii_digit).count() >= 2 {
                        numbers.push(xxh3_64_with_seed(t.norm.as_bytes(), SEED_NUMBER));
                    }
                }
                TokenKind::Word => {
                    if t.norm.chars().count() < 3 || is_stopword(&t.norm) {
                        continue;
                    }
                    content.push(xxh3_64_with_seed(t.norm.as_bytes(), SEED_WORD));
                    if t.capitalised && !sentence_start {
                        names.push(xxh3_64_with_seed(t.norm.as_bytes(), SEED_NAME));
                    }
                }
            }
        }
        if joined.is_empty() {
            return Signature {
                exact: 0,
                minhash: Vec::new(),
                terms: Vec::new(),
            };
        }
        let exact = xxh3_64(joined.as_bytes()).max(1);
        let k = cfg.bands * cfg.rows;
        let mut minhash = Vec::new();
        let n = cfg.shingle.max(1).min(content.len().max(1));
        let shingles: Vec<u64> = content
            .windows(n)
            .map(|w| w.iter().fold(SEED_SHINGLE, |h, &word| mix(h ^ word)))
            .collect();
        if !content.is_empty() && k > 0 {
            let mut rank = vec![u64::MAX; k];
            minhash = vec![0u32; k];
            let mut round = 0u64;
            while rank.contains(&u64::MAX) && round < MAX_ROUNDS {
                let salt = mix(SEED_ROUND ^ round);
                for &s in &shingles {
                    let h = mix(s ^ salt);
                    let bin = reduce(h, k);
                    let r = (round << 40) | (h & ((1 << 40) - 1));
                    if r < rank[bin] {
                        rank[bin] = r;
                        minhash[bin] = (s ^ (s >> 32)) as u32;
                    }
                }
                round += 1;
            }
        }
        let smallest = |mut v: Vec<u64>, k: usize| {
            v.sort_unstable();
            v.dedup();
            v.truncate(k);
            v
        };
        let below = |rate: f32| {
            let limit = (f64::from(rate) * 2f64.powi(64)).min(u64::MAX as f64) as u64;
            move |h: &u64| rate >= 1.0 || *h <= limit
        };
        let mut terms: Vec<u64> = smallest(content, cfg.key_words)
            .into_iter()
            .filter(below(cfg.key_word_rate))
            .collect();
        terms.extend(smallest(names, cfg.key_names));
        terms.extend(smallest(numbers, cfg.key_numbers));
        if cfg.anchor_rate > 0.0 {
            for t in &mut terms {
                *t &= !ANCHOR_BIT;
            }
            let anchors = shingles
                .iter()
                .map(|&s| mix(s ^ SEED_ANCHOR))
                .filter(below(cfg.anchor_rate))
                .collect();
            terms.extend(
                smallest(anchors, cfg.anchor_max)
                    .iter()
                    .map(|a| a | ANCHOR_BIT),
            );
        }
        terms.sort_unstable();
        terms.dedup();
        Signature {
            exact,
            minhash,
            terms,
        }
    }

    fn text() -> impl Strategy<Value = String> {
        let words = prop::sample::select(vec![
            "river",
            "Flood",
            "council",
            "Minister",
            "Harlow",
            "42",
            "bridge",
            "the",
            "of",
            "a",
            "said",
            "Okonkwo",
            "3.5",
            "1,200",
            "it's",
            "well-known",
            "Ελλάδα",
            "İstanbul",
            "naïve",
            "abcdefghijklmnopqrstuvwxyz",
            "Ab",
            "x9",
            ".",
            ",",
            ":",
            "!",
            "\n",
            "—",
            "’s",
        ]);
        prop::collection::vec(words, 0..120).prop_map(|w| w.join(" "))
    }

    proptest! {
        #[test]
        fn matches_the_reference(s in text(), shingle in 1usize..4, key in 0usize..20) {
            for cfg in [
                IndexConfig::default(),
                IndexConfig { shingle, key_words: key, key_names: key / 2, key_numbers: key / 3, bands: 7, rows: 3, ..IndexConfig::default() },
                IndexConfig { key_words: key, key_word_rate: 1.0, anchor_rate: 0.0, ..IndexConfig::default() },
                IndexConfig { anchor_rate: 0.5, anchor_max: key, ..IndexConfig::default() },
            ] {
                // Twice: the second call reuses the first one's buffers.
                prop_assert_eq!(Signature::of(&s, &cfg), reference(&s, &cfg));
                prop_assert_eq!(Signature::of(&s, &cfg), reference(&s, &cfg));
            }
        }

        #[test]
        fn matches_the_reference_on_any_text(s in "\\PC{0,300}") {
            let cfg = IndexConfig::default();
            prop_assert_eq!(Signature::of(&s, &cfg), reference(&s, &cfg));
        }
    }
}
