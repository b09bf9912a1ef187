//! A memoising wrapper: each distinct sentence is embedded once.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use stemma_core::Embedder;

/// Wraps an [`Embedder`] and remembers the vector of every sentence it has
/// seen, so that a text compared with many others is embedded once. Only the
/// sentences not yet seen are passed on, in one call. The cache grows without
/// bound; build one per batch job (an evaluation run, one `analyze`).
#[derive(Debug)]
pub struct CachedEmbedder {
    inner: Arc<dyn Embedder>,
    cache: Mutex<HashMap<String, Arc<Vec<f32>>>>,
}

impl CachedEmbedder {
    /// A cache in front of `inner`.
    pub fn new(inner: Arc<dyn Embedder>) -> Self {
        CachedEmbedder {
            inner,
            cache: Mutex::new(HashMap::new()),
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
        let missing: Vec<&str> = {
            let Ok(cache) = self.cache.lock() else {
                return self.inner.embed(sentences);
            };
            let mut m: Vec<&str> = sentences
                .iter()
                .copied()
                .filter(|s| !cache.contains_key(*s))
                .collect();
            m.sort_unstable();
            m.dedup();
            m
        };
        if !missing.is_empty() {
            // Embedded outside the lock, so other threads keep reading.
            let vecs = self.inner.embed(&missing);
            if vecs.len() != missing.len() {
                return self.inner.embed(sentences);
            }
            if let Ok(mut cache) = self.cache.lock() {
                for (s, v) in missing.iter().zip(vecs) {
                    cache.insert((*s).to_string(), Arc::new(v));
                }
            }
        }
        let Ok(cache) = self.cache.lock() else {
            return self.inner.embed(sentences);
        };
        sentences
            .iter()
            .map(|s| {
                cache
                    .get(*s)
                    .map(|v| v.as_ref().clone())
                    .unwrap_or_default()
            })
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
}
