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
    /// Sorted, unique key-term hashes (names, numbers, sampled content words).
    pub terms: Vec<u64>,
}

impl Signature {
    /// Computes the signature of `text` under `cfg`, in one pass over its
    /// tokens (no per-token allocation).
    pub fn of(text: &str, cfg: &IndexConfig) -> Signature {
        let mut joined = String::with_capacity(text.len());
        // Content words (letters, not stopwords, at least 3 characters), as
        // their key-term hashes, in text order: the shingles are built from
        // these, so each word's bytes are hashed once.
        let mut content: Vec<u64> = Vec::with_capacity(text.len() / 8);
        let mut names = Vec::new();
        let mut numbers = Vec::new();
        let mut prev_end = 0usize;
        let mut first = true;
        for_each_token(text, |t| {
            joined.push_str(t.norm);
            joined.push(' ');
            let sentence_start = first
                || text.as_bytes()[prev_end..t.span.start]
                    .iter()
                    .any(|b| matches!(b, b'.' | b'!' | b'?' | b'\n' | b':'));
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
        let exact = xxh3_64(joined.as_bytes()).max(1);
        let minhash = minhash(&content, cfg);
        let mut terms = bottom_k(content, cfg.key_words);
        terms.extend(bottom_k(names, cfg.key_names));
        terms.extend(bottom_k(numbers, cfg.key_numbers));
        terms.sort_unstable();
        terms.dedup();
        Signature {
            exact,
            minhash,
            terms,
        }
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
pub(crate) fn bottom_k(mut hashes: Vec<u64>, k: usize) -> Vec<u64> {
    let m = 2 * k;
    if k > 0 && hashes.len() > m {
        // The 2k smallest (in any order) first: unless they hold fewer than
        // k distinct values, the answer is among them.
        hashes.select_nth_unstable(m);
        let mut head = hashes[..m].to_vec();
        head.sort_unstable();
        head.dedup();
        if head.len() >= k {
            head.truncate(k);
            return head;
        }
    }
    hashes.sort_unstable();
    hashes.dedup();
    hashes.truncate(k);
    hashes
}

/// True when `word` has at least 3 characters.
fn at_least_3_chars(word: &str) -> bool {
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
fn minhash(content: &[u64], cfg: &IndexConfig) -> Vec<u32> {
    let k = cfg.bands * cfg.rows;
    if content.is_empty() || k == 0 {
        return Vec::new();
    }
    let n = cfg.shingle.max(1).min(content.len());
    let shingles: Vec<u64> = content
        .windows(n)
        .map(|w| {
            let mut h = SEED_SHINGLE;
            for &word in w {
                h = mix(h ^ word);
            }
            h
        })
        .collect();
    const RANK_BITS: u32 = 40;
    let mut rank = vec![u64::MAX; k];
    let mut value = vec![0u32; k];
    let mut empty = k;
    let mut round = 0u64;
    while empty > 0 && round < MAX_ROUNDS {
        let salt = mix(SEED_ROUND ^ round);
        for &s in &shingles {
            let h = mix(s ^ salt);
            let bin = reduce(h, k);
            let r = (round << RANK_BITS) | (h & ((1 << RANK_BITS) - 1));
            if r < rank[bin] {
                if rank[bin] == u64::MAX {
                    empty -= 1;
                }
                rank[bin] = r;
                value[bin] = (s ^ (s >> 32)) as u32;
            }
        }
        round += 1;
    }
    value
}
