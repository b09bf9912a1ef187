//! Read-side helpers over any [`Store`]: the contract's report and a simple
//! text search.
use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};
use stemma_core::{
    DocId, DocumentSummary, IndependentLink, Relation, Report, Span, Story, UnseenSource,
};

use crate::{Store, StoreError};

/// The contract's `analyze` report, built from what the store holds.
pub fn report(store: &dyn Store) -> Result<Report, StoreError> {
    let mut stories = store.stories()?;
    let story_of: HashMap<&str, &str> = stories
        .iter()
        .flat_map(|s| s.documents.iter().map(move |d| (d.as_str(), s.id.as_str())))
        .collect();
    let documents: Vec<DocumentSummary> = store
        .articles()?
        .iter()
        .map(|a| {
            let mut d = stemma_pipeline::summary(a);
            d.story = story_of.get(a.id.as_str()).map(|s| s.to_string());
            d
        })
        .collect();
    let relations = store.relations()?;
    // Titles as `analyze` gives them: the original's, whatever came first.
    let titles: HashMap<&str, &str> = documents
        .iter()
        .map(|d| (d.id.as_str(), d.title.as_str()))
        .collect();
    let roles = stemma_pipeline::Roles::of(&relations);
    let retitled: Vec<Option<String>> = stories
        .iter()
        .map(|s| {
            stemma_pipeline::story_title(
                s.documents.iter().map(|d| {
                    (
                        d.as_str(),
                        titles.get(d.as_str()).copied().filter(|t| !t.is_empty()),
                    )
                }),
                &roles,
            )
        })
        .collect();
    for (s, t) in stories.iter_mut().zip(retitled) {
        if t.is_some() {
            s.title = t;
        }
    }
    Ok(Report {
        documents,
        relations,
        unseen_sources: store.unseen_sources()?,
        independent: store.independent()?,
        stories,
    })
}

/// A story with everything needed to draw its family tree of copies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoryGraph {
    /// The story.
    pub story: Story,
    /// Its member documents, in the story's order.
    pub documents: Vec<DocumentSummary>,
    /// Relations whose derivative is a member (sources may be members or
    /// unseen sources), ordered by (derivative, source).
    pub relations: Vec<Relation>,
    /// Unseen sources that members derive from.
    pub unseen_sources: Vec<UnseenSource>,
    /// Independent links between members.
    pub independent: Vec<IndependentLink>,
}

/// The story `id` with its documents, derivation edges, unseen sources and
/// independent links; `None` when there is no such story.
pub fn story_graph(store: &dyn Store, id: &str) -> Result<Option<StoryGraph>, StoreError> {
    let Some(story) = store.story(id)? else {
        return Ok(None);
    };
    let members: HashSet<&str> = story.documents.iter().map(|d| d.as_str()).collect();
    let mut documents = Vec::new();
    let mut relations = Vec::new();
    for d in &story.documents {
        if let Some(a) = store.article(d)? {
            let mut s = stemma_pipeline::summary(&a);
            s.story = Some(story.id.clone());
            documents.push(s);
        }
        relations.extend(
            store
                .relations_of(d)?
                .into_iter()
                .filter(|r| &r.derivative == d),
        );
    }
    relations.sort_by(|a, b| (&a.derivative, &a.source).cmp(&(&b.derivative, &b.source)));
    let title = stemma_pipeline::story_title(
        documents.iter().map(|d| {
            (
                d.id.as_str(),
                Some(d.title.as_str()).filter(|t| !t.is_empty()),
            )
        }),
        &stemma_pipeline::Roles::of(&relations),
    );
    let unseen_sources = store
        .unseen_sources()?
        .into_iter()
        .filter(|u| u.derivatives.iter().any(|d| members.contains(d.as_str())))
        .collect();
    let independent = store
        .independent()?
        .into_iter()
        .filter(|l| members.contains(l.a.as_str()) || members.contains(l.b.as_str()))
        .collect();
    let mut story = story;
    if title.is_some() {
        story.title = title;
    }
    Ok(Some(StoryGraph {
        story,
        documents,
        relations,
        unseen_sources,
        independent,
    }))
}

/// One search result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchHit {
    /// The document.
    pub id: DocId,
    /// Its title, when known.
    pub title: Option<String>,
    /// Occurrences of the query words (title occurrences count triple).
    pub score: usize,
    /// The first occurrence of a query word in the text, when there is one.
    pub span: Option<Span>,
    /// Some text around `span` (or the start of the text).
    pub snippet: String,
}

/// Documents whose title or text holds every word of `query`
/// (ASCII-case-insensitive substring match), best first, at most `limit`.
/// An empty query finds nothing. A linear scan: fine for the thousands of
/// documents one store holds; a full-text index would replace it beyond that.
pub fn search(store: &dyn Store, query: &str, limit: usize) -> Result<Vec<SearchHit>, StoreError> {
    let words: Vec<String> = query
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_ascii_lowercase())
        .collect();
    if words.is_empty() || limit == 0 {
        return Ok(Vec::new());
    }
    let mut hits = Vec::new();
    for a in store.articles()? {
        // ASCII lowering keeps byte offsets, so spans index the real text.
        let text = a.text.to_ascii_lowercase();
        let title = a.title.as_deref().unwrap_or("").to_ascii_lowercase();
        let mut score = 0;
        let mut first: Option<usize> = None;
        let mut all = true;
        for w in &words {
            let in_title = title.matches(w.as_str()).count();
            let in_text = text.matches(w.as_str()).count();
            if in_title + in_text == 0 {
                all = false;
                break;
            }
            score += 3 * in_title + in_text;
            if let Some(p) = text.find(w.as_str()) {
                first = Some(first.map_or(p, |f: usize| f.min(p)));
            }
        }
        if !all {
            continue;
        }
        let span = first.map(|p| {
            let w = words
                .iter()
                .find(|w| text[p..].starts_with(w.as_str()))
                .map_or(0, |w| w.len());
            Span::new(p, p + w)
        });
        let snippet = snippet(&a.text, first.unwrap_or(0), 160);
        hits.push(SearchHit {
            id: a.id,
            title: a.title,
            score,
            span,
            snippet,
        });
    }
    hits.sort_by(|a, b| b.score.cmp(&a.score).then_with(|| a.id.cmp(&b.id)));
    hits.truncate(limit);
    Ok(hits)
}

/// About `width` bytes of `text` around byte `at`, on character boundaries.
fn snippet(text: &str, at: usize, width: usize) -> String {
    let mut start = at.saturating_sub(width / 3);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (start + width).min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    let mut s = String::new();
    if start > 0 {
        s.push('…');
    }
    s.push_str(text[start..end].trim());
    if end < text.len() {
        s.push('…');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippet_respects_char_boundaries() {
        let t = "ééééééééééééééé officials said";
        let s = snippet(t, t.find("officials").unwrap(), 12);
        assert!(s.contains("offic"), "{s}");
        assert_eq!(snippet("short", 0, 100), "short");
    }
}
