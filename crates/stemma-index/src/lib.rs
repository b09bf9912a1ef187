//! Candidate generation: cheap signatures (exact hashes, MinHash-LSH,
//! paraphrase-robust sketches) that find the pairs worth verifying.
//! Pure: no I/O. (Stub: being filled in.)
use stemma_core::Article;

/// Every pair `(i, j)`, `i < j`, of `articles` worth verifying.
pub fn candidates(articles: &[Article]) -> Vec<(usize, usize)> {
    let n = articles.len();
    (0..n).flat_map(|i| (i + 1..n).map(move |j| (i, j))).collect()
}
