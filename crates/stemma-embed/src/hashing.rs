//! The lexical fallback: feature hashing of content words and their bigrams.

use stemma_core::Embedder;
use xxhash_rust::xxh3::xxh3_64_with_seed;

/// Default number of dimensions of [`HashingEmbedder`].
pub const DEFAULT_HASH_DIM: usize = 512;

/// Seeds keep unigram and bigram features in separate hash families.
const UNIGRAM_SEED: u64 = 0x5354_454d_4d41_0001;
const BIGRAM_SEED: u64 = 0x5354_454d_4d41_0002;
/// Bigrams carry word order; they weigh a little less than the words themselves.
const BIGRAM_WEIGHT: f32 = 0.7;

/// A lexical [`Embedder`] that needs no model files.
///
/// Each sentence is lower-cased and split on anything that is not a letter or
/// a digit; English stop words and one-letter words are dropped. Every
/// remaining word, and every pair of adjacent remaining words, is hashed
/// (xxh3) to one of `dim` coordinates with a hash-chosen sign (signed feature
/// hashing), and the vector is L2-normalised. The dot product of two vectors
/// therefore approximates the cosine of their bag-of-words-and-bigrams, which
/// catches copies and light edits but not paraphrases with other words.
///
/// A sentence with no content word maps to the zero vector (the one output
/// that is not unit length), which scores 0 against everything.
///
/// ```
/// use stemma_core::Embedder;
/// use stemma_embed::HashingEmbedder;
///
/// let e = HashingEmbedder::default();
/// let v = e.embed(&["The council approved the budget.", "Budget approved by the council"]);
/// let cos: f32 = v[0].iter().zip(&v[1]).map(|(a, b)| a * b).sum();
/// assert!(cos > 0.5);
/// ```
#[derive(Debug, Clone)]
pub struct HashingEmbedder {
    dim: usize,
    name: String,
}

impl Default for HashingEmbedder {
    fn default() -> Self {
        Self::new(DEFAULT_HASH_DIM)
    }
}

impl HashingEmbedder {
    /// An embedder into `dim` dimensions (at least 1).
    pub fn new(dim: usize) -> Self {
        let dim = dim.max(1);
        Self {
            dim,
            name: format!("lexical-hash-{dim}"),
        }
    }

    /// The number of dimensions of every vector.
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// The vector of one sentence.
    pub fn embed_one(&self, sentence: &str) -> Vec<f32> {
        let mut v = vec![0f32; self.dim];
        let mut prev: Option<String> = None;
        for word in content_words(sentence) {
            self.add(&mut v, word.as_bytes(), UNIGRAM_SEED, 1.0);
            if let Some(p) = &prev {
                let pair = format!("{p} {word}");
                self.add(&mut v, pair.as_bytes(), BIGRAM_SEED, BIGRAM_WEIGHT);
            }
            prev = Some(word);
        }
        crate::l2_normalise(&mut v);
        v
    }

    fn add(&self, v: &mut [f32], feature: &[u8], seed: u64, weight: f32) {
        let h = xxh3_64_with_seed(feature, seed);
        // Low bits choose the slot, the top bit the sign: collisions cancel on average.
        let slot = (h % self.dim as u64) as usize;
        let sign = if h >> 63 == 0 { 1.0 } else { -1.0 };
        v[slot] += sign * weight;
    }
}

impl Embedder for HashingEmbedder {
    fn name(&self) -> &str {
        &self.name
    }

    fn embed(&self, sentences: &[&str]) -> Vec<Vec<f32>> {
        sentences.iter().map(|s| self.embed_one(s)).collect()
    }
}

/// Lower-cased words of `text` that are neither stop words (stemma-text's
/// list, shared with the aligner) nor single letters.
fn content_words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .filter(|w| {
            let single_letter = w.chars().count() == 1 && !w.chars().all(|c| c.is_numeric());
            !single_letter && !stemma_text::is_stopword(w)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_words_drop_function_words_and_letters() {
        let cases: &[(&str, &[&str])] = &[
            ("The mayor's plan", &["mayor", "plan"]),
            ("Flood hits 3 towns", &["flood", "hits", "3", "towns"]),
            ("It was a storm!", &["storm"]),
            ("", &[]),
            ("Zürich ÉLECTIONS", &["zürich", "élections"]),
        ];
        for (text, want) in cases {
            let got: Vec<String> = content_words(text).collect();
            assert_eq!(&got, want, "{text:?}");
        }
    }
}
