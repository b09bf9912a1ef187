//! Per-document signatures: an exact hash, a MinHash over content-word
//! shingles and a sketch of key terms (names, numbers, sampled content words).
use serde::{Deserialize, Serialize};
use stemma_text::{TokenKind, is_stopword, tokenize};
use xxhash_rust::xxh3::{xxh3_64, xxh3_64_with_seed};

use crate::IndexConfig;

/// Seeds that keep the three key-term families apart.
const SEED_WORD: u64 = 0x5157_4f52_4421;
const SEED_NAME: u64 = 0x4e41_4d45_2121;
const SEED_NUMBER: u64 = 0x4e55_4d42_4552;
/// Seed of the shingle hash.
const SEED_SHINGLE: u64 = 0x5348_494e_474c;

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
    /// Computes the signature of `text` under `cfg`.
    pub fn of(text: &str, cfg: &IndexConfig) -> Signature {
        let tokens = tokenize(text);
        if tokens.is_empty() {
            return Signature {
                exact: 0,
                minhash: Vec::new(),
                terms: Vec::new(),
            };
        }
        let mut joined = String::with_capacity(text.len());
        for t in &tokens {
            joined.push_str(&t.norm);
            joined.push(' ');
        }
        let exact = xxh3_64(joined.as_bytes()).max(1);

        // Content words: letters, not stopwords, at least 3 characters.
        let content: Vec<&str> = tokens
            .iter()
            .filter(|t| {
                t.kind == TokenKind::Word && t.norm.chars().count() >= 3 && !is_stopword(&t.norm)
            })
            .map(|t| t.norm.as_str())
            .collect();
        let minhash = minhash(&content, cfg);

        let mut words = Vec::new();
        let mut names = Vec::new();
        let mut numbers = Vec::new();
        let mut prev_end = 0usize;
        for (i, t) in tokens.iter().enumerate() {
            let gap = &text[prev_end..t.span.start];
            let sentence_start = i == 0 || gap.contains(['.', '!', '?', '\n', ':']);
            prev_end = t.span.end;
            match t.kind {
                TokenKind::Number => {
                    let digits = t.norm.chars().filter(char::is_ascii_digit).count();
                    if digits >= 2 {
                        numbers.push(xxh3_64_with_seed(t.norm.as_bytes(), SEED_NUMBER));
                    }
                }
                TokenKind::Word => {
                    if t.norm.chars().count() < 3 || is_stopword(&t.norm) {
                        continue;
                    }
                    words.push(xxh3_64_with_seed(t.norm.as_bytes(), SEED_WORD));
                    if t.capitalised && !sentence_start {
                        names.push(xxh3_64_with_seed(t.norm.as_bytes(), SEED_NAME));
                    }
                }
            }
        }
        let mut terms = bottom_k(words, cfg.key_words);
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
fn bottom_k(mut hashes: Vec<u64>, k: usize) -> Vec<u64> {
    hashes.sort_unstable();
    hashes.dedup();
    hashes.truncate(k);
    hashes
}

/// MinHash of the content-word shingles (`cfg.shingle` words each; single
/// words when the text is shorter than one shingle).
fn minhash(content: &[&str], cfg: &IndexConfig) -> Vec<u32> {
    if content.is_empty() {
        return Vec::new();
    }
    let n = cfg.shingle.max(1).min(content.len());
    let mut shingles: Vec<u64> = content
        .windows(n)
        .map(|w| {
            let mut h = SEED_SHINGLE;
            for word in w {
                h = xxh3_64_with_seed(word.as_bytes(), h);
            }
            h
        })
        .collect();
    shingles.sort_unstable();
    shingles.dedup();
    let perms = cfg.bands * cfg.rows;
    (0..perms)
        .map(|p| {
            let (a, b) = permutation(p);
            shingles
                .iter()
                .map(|&x| (a.wrapping_mul(x).wrapping_add(b) >> 32) as u32)
                .min()
                .unwrap_or(u32::MAX)
        })
        .collect()
}

/// The multiply-shift parameters of permutation `p`: an odd multiplier and
/// an offset, derived deterministically (splitmix64).
fn permutation(p: usize) -> (u64, u64) {
    fn splitmix(mut z: u64) -> u64 {
        z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    let p = p as u64;
    (splitmix(2 * p) | 1, splitmix(2 * p + 1))
}
