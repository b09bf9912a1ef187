//! Story clustering: group articles into the real-world events they report.
//!
//! An article becomes a sparse TF-IDF vector over four kinds of terms:
//! content-word stems, capitalised names (single words and multiword runs),
//! numbers, and dates (years, month-day pairs). Names, numbers and dates
//! are what tell two look-alike events apart (two earthquakes, two rounds of
//! ceasefire talks), so they carry a larger weight than plain words. The
//! similarity of two articles is the cosine of their vectors (no single term
//! may exceed a fixed share of a vector, so one shared place cannot make a
//! story), damped when both mention dates but none in common, and by the
//! gap between their publish times when both are known.
//!
//! Stories are formed by average-link agglomeration with a fixed threshold:
//! two groups merge when the mean similarity over all their cross pairs is
//! high enough. Unlike single link, one shared name cannot chain two events
//! together. Derivation pairs start out merged, so they always share a story.
//!
//! [`StoryIndex`] is the incremental form: it keeps one summed vector per
//! story and an inverted index from each article's rarest terms to stories,
//! and assigns a new article to the story with the highest average-link
//! similarity, or opens a new story, without touching the rest.
//!
//! ```
//! use stemma_core::Article;
//! let art = |id: &str, text: &str| Article { id: id.into(), text: text.into(), ..Default::default() };
//! let docs = [
//!     art("a", "A 6.1 magnitude earthquake struck Veloria on March 11, 2024, killing 40."),
//!     art("b", "The 6.1 earthquake in Veloria on March 11 killed 40, officials said."),
//!     art("c", "Mayor Quint opened the Harbour Bridge in Lisk on June 2, 2019."),
//! ];
//! let stories = stemma_story::cluster(&docs, &[]);
//! assert_eq!(stories, vec![vec![0, 1], vec![2]]);
//! ```
//! Pure: no I/O.
#![deny(missing_docs)]

mod agglo;
mod features;
mod index;
pub mod metrics;
mod vector;

pub use features::{TermKind, stem, term_counts};
pub use index::{StoryId, StoryIndex};
pub use vector::{SparseVec, add_scaled, cosine};

use serde::{Deserialize, Serialize};
use stemma_core::Article;

/// Tunable settings. Few on purpose: a threshold, one weight per term kind
/// and a time scale.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StoryConfig {
    /// Two groups merge when their mean pairwise similarity reaches this.
    pub threshold: f32,
    /// Weight multiplier of capitalised names (on top of the word itself).
    pub entity_weight: f32,
    /// Weight multiplier of numbers.
    pub number_weight: f32,
    /// Weight multiplier of years and month-day dates.
    pub date_weight: f32,
    /// Largest weight one term may have in a unit-length article vector, so
    /// that one shared name or place alone cannot put two articles in one
    /// story (it adds at most the square of this to their similarity).
    pub max_term_weight: f32,
    /// Similarity multiplier when both articles mention dates (years or
    /// month-day pairs) and share none of them.
    pub date_conflict: f32,
    /// Publish times closer than this many days are not penalised.
    pub time_grace_days: f32,
    /// Beyond the grace, similarity decays as `exp(-gap / scale)`.
    pub time_scale_days: f32,
    /// Batch clustering: similar pairs are gathered through the terms held
    /// by at most this many documents (a pair must reach `min_similarity` on
    /// those alone, and is then scored on all its terms). A fixed bound keeps
    /// the work per document constant as the corpus grows; in corpora no
    /// larger than this every pair is found.
    pub max_postings: usize,
    /// Batch clustering: pairs less similar than this are left out of the
    /// similarity graph (they count as 0 in the group means).
    pub min_similarity: f32,
}

impl Default for StoryConfig {
    fn default() -> Self {
        StoryConfig {
            threshold: 0.2,
            entity_weight: 1.5,
            number_weight: 1.5,
            date_weight: 1.5,
            max_term_weight: 0.2,
            date_conflict: 0.7,
            time_grace_days: 3.0,
            time_scale_days: 30.0,
            max_postings: 300,
            min_similarity: 0.08,
        }
    }
}

impl StoryConfig {
    /// Weight multiplier of a term kind.
    pub fn kind_weight(&self, kind: TermKind) -> f32 {
        match kind {
            TermKind::Word => 1.0,
            TermKind::Entity => self.entity_weight,
            TermKind::Number => self.number_weight,
            TermKind::Date => self.date_weight,
        }
    }

    /// Similarity damping for two publish times (days since the epoch);
    /// 1 when either is unknown.
    pub fn time_factor(&self, a: Option<(f64, f64)>, b: Option<(f64, f64)>) -> f32 {
        let (Some((a0, a1)), Some((b0, b1))) = (a, b) else {
            return 1.0;
        };
        let gap = (b0 - a1).max(a0 - b1).max(0.0) as f32;
        if gap <= self.time_grace_days {
            1.0
        } else {
            (-(gap - self.time_grace_days) / self.time_scale_days).exp()
        }
    }
}

/// Days since 1970-01-01 of an RFC 3339 time (`YYYY-MM-DD...`), with the
/// hour as a fraction when present.
pub fn published_days(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let y: i64 = s.get(0..4)?.parse().ok()?;
    let m: i64 = s.get(5..7)?.parse().ok()?;
    let d: i64 = s.get(8..10)?.parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    // Days from civil (Howard Hinnant's algorithm).
    let y2 = if m <= 2 { y - 1 } else { y };
    let era = y2.div_euclid(400);
    let yoe = y2 - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let hour: f64 = s.get(11..13).and_then(|h| h.parse().ok()).unwrap_or(0.0);
    Some(days as f64 + hour / 24.0)
}

/// Groups `articles` into stories with the default [`StoryConfig`]; `linked`
/// pairs (derivations) always share a story. Returns clusters of indices;
/// every index is in exactly one, clusters ordered by their first index.
pub fn cluster(articles: &[Article], linked: &[(usize, usize)]) -> Vec<Vec<usize>> {
    cluster_with(articles, linked, &StoryConfig::default())
}

/// [`cluster`] with explicit settings.
pub fn cluster_with(
    articles: &[Article],
    linked: &[(usize, usize)],
    config: &StoryConfig,
) -> Vec<Vec<usize>> {
    let (vecs, kinds) = vector::batch_vectors(articles, config);
    let dates: Vec<Vec<u32>> = vecs
        .iter()
        .map(|v| {
            v.iter()
                .map(|&(t, _)| t)
                .filter(|&t| kinds[t as usize] == TermKind::Date)
                .collect()
        })
        .collect();
    let times: Vec<Option<f64>> = articles
        .iter()
        .map(|a| a.published.as_deref().and_then(published_days))
        .collect();
    let sim = |i: usize, j: usize, dot: f32| {
        let conflict = if vector::dates_conflict(&dates[i], &dates[j]) {
            config.date_conflict
        } else {
            1.0
        };
        dot * conflict * config.time_factor(times[i].map(|t| (t, t)), times[j].map(|t| (t, t)))
    };
    let pairs = vector::similar_pairs(&vecs, config.min_similarity, config.max_postings, sim);
    let linked: Vec<(usize, usize)> = linked
        .iter()
        .copied()
        .filter(|&(a, b)| a < articles.len() && b < articles.len())
        .collect();
    agglo::average_link(articles.len(), &pairs, &linked, config.threshold)
}

#[cfg(test)]
mod tests;
