//! The analysis pipeline: extract -> candidates -> verify -> orient ->
//! unseen sources -> stories, producing the contract's [`Report`].
//! Pure: no I/O; the CLI, the server and the store call it.
#![deny(missing_docs)]
use stemma_align::AlignContext;
use stemma_core::{Article, Comparison, Direction, DocumentSummary, RawDoc, Relation, Report, Story};

/// Settings and shared resources for a run.
#[derive(Debug, Default, Clone)]
pub struct Config {
    /// Resources for pair verification.
    pub align: AlignContext,
}

/// Extracts the articles of a corpus (corpus-level boilerplate statistics).
pub fn extract(raws: &[RawDoc]) -> Vec<Article> {
    stemma_extract::extract_corpus(raws)
}

/// Compares two articles (`stemma compare`).
pub fn compare(a: &Article, b: &Article, cfg: &Config) -> Comparison {
    stemma_align::compare(a, b, &cfg.align)
}

/// Analyses a corpus of extracted articles.
pub fn analyze(articles: &[Article], cfg: &Config) -> Report {
    let mut relations = Vec::new();
    let mut linked = Vec::new();
    for (i, j) in stemma_index::candidates(articles) {
        let c = compare(&articles[i], &articles[j], cfg);
        if !c.kind.is_derivation() {
            continue;
        }
        linked.push((i, j));
        let (src, der, evidence) = match c.direction {
            Direction::BToA => (j, i, flip(c.evidence)),
            _ => (i, j, c.evidence),
        };
        relations.push(Relation {
            source: articles[src].id.clone(),
            derivative: articles[der].id.clone(),
            kind: c.kind,
            confidence: c.confidence,
            evidence,
            drift: c.drift,
        });
    }
    let clusters = stemma_story::cluster(articles, &linked);
    let mut documents: Vec<DocumentSummary> = articles.iter().map(summary).collect();
    let mut stories = Vec::new();
    for (n, members) in clusters.iter().enumerate() {
        let id = format!("s{}", n + 1);
        for &m in members {
            documents[m].story = Some(id.clone());
        }
        stories.push(Story {
            id,
            documents: members.iter().map(|&m| articles[m].id.clone()).collect(),
            title: members.first().and_then(|&m| articles[m].title.clone()),
        });
    }
    Report {
        documents,
        stories,
        relations,
        unseen_sources: Vec::new(),
        independent: Vec::new(),
    }
}

fn flip(ev: Vec<stemma_core::Evidence>) -> Vec<stemma_core::Evidence> {
    ev.into_iter()
        .map(|mut e| {
            std::mem::swap(&mut e.a_span, &mut e.b_span);
            e
        })
        .collect()
}

/// The report row of one article.
pub fn summary(a: &Article) -> DocumentSummary {
    DocumentSummary {
        id: a.id.clone(),
        title: a.title.clone().unwrap_or_default(),
        chars: a.chars(),
        boilerplate_chars: a.boilerplate_chars,
        url: a.url.clone(),
        published: a.published.clone(),
        story: None,
    }
}
