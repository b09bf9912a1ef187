//! Article extraction: main text of a page, boilerplate removed.
//! Pure: no I/O. (Stub: being filled in.)
use stemma_core::{Article, Body, RawDoc};

/// Extracts the article of one document on its own (no corpus statistics).
pub fn extract_one(raw: &RawDoc) -> Article {
    extract_corpus(std::slice::from_ref(raw)).pop().unwrap_or_default()
}

/// Extracts every document, using what the corpus as a whole shows
/// (lines that recur across pages of one site are boilerplate).
pub fn extract_corpus(raws: &[RawDoc]) -> Vec<Article> {
    raws.iter()
        .map(|r| {
            let text = match &r.body {
                Body::Html(h) => h.clone(),
                Body::Text(t) => t.trim().to_string(),
            };
            Article {
                id: r.id.clone(),
                title: text.lines().next().map(str::to_string),
                text,
                url: r.url.clone(),
                published: r.published.clone(),
                ..Default::default()
            }
        })
        .collect()
}
