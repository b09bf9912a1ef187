//! A memoising wrapper: each distinct sentence is embedded once.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use stemma_core::Embedder;

/// Sentences a [`CachedEmbedder`] keeps by default: some 300 MB of
/// 384-dimension vectors.
pub const DEFAULT_CACHE_SENTENCES: usize = 200_000;

/// Wraps an [`Embedder`] and remembers the vector of every sentence it has
/// seen, so that a text compared with many others is embedded once. Only the
/// sentences not yet seen are passed on, in one call. At most `capacity`
/// sentences are kept: when a call would pass that, the cache starts over
/// (candidate pairs come in document order, so recent texts matter most).
#[derive(Debug)]
pub struct CachedEmbedder {
    inner: Arc<dyn Embedder>,
    cache: Mutex<HashMap<String, Arc<Vec<f32>>>>,
    capacity: usize,
}

impl CachedEmbedder {
    /// A cache of [`DEFAULT_CACHE_SENTENCES`] in front of `inner`.
    pub fn new(inner: Arc<dyn Embedder>) -> Self {
        Self::with_capacity(inner, DEFAULT_CACHE_SENTENCES)
    }

    /// A cache of at most `capacity` sentences in front of `inner`.
    pub fn with_capacity(inner: Arc<dyn Embedder>, capacity: usize) -> Self {
        CachedEmbedder {
            inner,
            cache: Mutex::new(HashMap::new()),
            capacity: capacity.max(1),
        }
    }

    /// Distinct sentences embedded so far.
    pub fn len(&self) -> usize {
        self.cache.lock().map_or(0, |c| c.len())
    }

    /// True when nothing has been embedded yet.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Embedder for CachedEmbedder {
    fn name(&self) -> &str {
        self.inner.name()
    }

    fn embed(&self, sentences: &[&str]) -> Vec<Vec<f32>> {
        // What the cache has now is taken out (shared vectors) before
        // anything is embedded or evicted.
        let (mut known, missing) = {
            let Ok(cache) = self.cache.lock() else {
                return self.inner.embed(sentences);
            };
            let mut known: HashMap<&str, Arc<Vec<f32>>> = HashMap::new();
            let mut missing: Vec<&str> = Vec::new();
            for &s in sentences {
                match cache.get(s) {
                    Some(v) => {
                        known.insert(s, v.clone());
                    }
                    None => missing.push(s),
                }
            }
            missing.sort_unstable();
            missing.dedup();
            (known, missing)
        };
        if !missing.is_empty() {
            // Embedded outside the lock, so other threads keep reading.
            let vecs = self.inner.embed(&missing);
            if vecs.len() != missing.len() {
                return self.inner.embed(sentences);
            }
            let fresh: Vec<(&str, Arc<Vec<f32>>)> = missing
                .iter()
                .copied()
                .zip(vecs.into_iter().map(Arc::new))
                .collect();
            if let Ok(mut cache) = self.cache.lock() {
                if cache.len() + fresh.len() > self.capacity {
                    cache.clear();
                }
                for (s, v) in fresh.iter().take(self.capacity) {
                    cache.insert((*s).to_string(), v.clone());
                }
            }
            known.extend(fresh);
        }
        sentences
            .iter()
            .map(|s| known.get(s).map(|v| v.as_ref().clone()).unwrap_or_default())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::HashingEmbedder;

    #[test]
    fn cached_vectors_equal_direct_ones() {
        let inner: Arc<dyn Embedder> = Arc::new(HashingEmbedder::default());
        let cached = CachedEmbedder::new(inner.clone());
        let s = [
            "The mayor opened the bridge.",
            "Rain closed the market.",
            "The mayor opened the bridge.",
        ];
        let direct = inner.embed(&s);
        assert_eq!(cached.embed(&s), direct);
        assert_eq!(cached.len(), 2);
        assert_eq!(cached.embed(&s[1..]), direct[1..].to_vec());
        assert_eq!(cached.len(), 2);
        assert_eq!(cached.name(), inner.name());
    }

    #[test]
    fn a_full_cache_starts_over_and_answers_the_same() {
        let inner: Arc<dyn Embedder> = Arc::new(HashingEmbedder::default());
        let cached = CachedEmbedder::with_capacity(inner.clone(), 2);
        let s = ["One storm.", "Two floods.", "Three fires."];
        assert_eq!(cached.embed(&s[..2]), inner.embed(&s[..2]));
        assert_eq!(cached.len(), 2);
        assert_eq!(cached.embed(&s), inner.embed(&s));
        assert!(cached.len() <= 2);
        assert_eq!(cached.embed(&s[2..]), inner.embed(&s[2..]));
    }
}
