//! The analysis pipeline: extract -> candidates -> verify -> orient ->
//! reduce -> unseen sources -> stories, producing the contract's [`Report`].
//!
//! [`analyze`] proposes pairs with [`stemma_index`], verifies them in
//! parallel with [`stemma_align::compare`], keeps the derivations and turns
//! them into source -> derivative [`Relation`]s (see the `derive` module for
//! the orientation, redundancy and unseen-source rules), then groups the
//! documents into stories with [`stemma_story::cluster`].
//! Pure: no I/O; the CLI, the server and the store call it.
#![deny(missing_docs)]

mod derive;
mod focus;

use rayon::prelude::*;
use stemma_align::AlignContext;
pub use stemma_align::VERIFIER_VERSION;
use stemma_core::{Article, Comparison, DocumentSummary, IndependentLink, RawDoc, Report, Story};
pub use stemma_index::IndexConfig;

pub use derive::{Edge, flip_evidence, mean_similarity};
pub use focus::{Focus, narrow, narrowed};

/// Settings and shared resources for a run.
#[derive(Debug, Default, Clone)]
pub struct Config {
    /// Resources for pair verification.
    pub align: AlignContext,
    /// Candidate generation settings.
    pub index: IndexConfig,
    /// Worker threads for pair verification; 0 uses rayon's global pool.
    pub threads: usize,
}

/// Extracts the articles of a corpus (corpus-level boilerplate statistics).
pub fn extract(raws: &[RawDoc]) -> Vec<Article> {
    stemma_extract::extract_corpus(raws)
}

/// [`extract`], freeing each page once it is extracted.
pub fn extract_owned(raws: Vec<RawDoc>) -> Vec<Article> {
    stemma_extract::extract_corpus_owned(raws)
}

/// Compares two articles (`stemma compare`).
pub fn compare(a: &Article, b: &Article, cfg: &Config) -> Comparison {
    stemma_align::compare(a, b, &cfg.align)
}

/// Verifies every candidate pair; returns `(i, j, comparison of i with j)`
/// in candidate order.
pub fn verify(
    articles: &[Article],
    pairs: &[(usize, usize)],
    cfg: &Config,
) -> Vec<(usize, usize, Comparison)> {
    verify_map(articles, pairs, cfg, |c| c)
}

/// [`verify`], passing each comparison through `keep` as soon as it is made.
fn verify_map(
    articles: &[Article],
    pairs: &[(usize, usize)],
    cfg: &Config,
    keep: impl Fn(Comparison) -> Comparison + Sync,
) -> Vec<(usize, usize, Comparison)> {
    let run = || -> Vec<(usize, usize, Comparison)> {
        pairs
            .par_iter()
            .map(|&(i, j)| (i, j, keep(compare(&articles[i], &articles[j], cfg))))
            .collect()
    };
    if cfg.threads == 0 {
        return run();
    }
    match rayon::ThreadPoolBuilder::new()
        .num_threads(cfg.threads)
        .build()
    {
        Ok(pool) => pool.install(run),
        Err(_) => run(),
    }
}

/// Analyses a corpus of extracted articles.
pub fn analyze(articles: &[Article], cfg: &Config) -> Report {
    let pairs = stemma_index::candidates_with(articles, &cfg.index);
    let compared = verify_map(articles, &pairs, cfg, slim);
    report_from_owned(articles, compared)
}

/// Drops from a comparison that is not a derivation what [`report_from`]
/// never reads of one: the word-level diffs of its evidence, and drift. Its
/// evidence spans and similarities stay (an independent pair's similarity is
/// their mean), so the report is unchanged; memory is not spent on the
/// diffs of every rejected candidate pair of a large corpus.
fn slim(mut c: Comparison) -> Comparison {
    if !c.kind.is_derivation() {
        for e in &mut c.evidence {
            e.diff = Vec::new();
        }
        c.drift = Vec::new();
    }
    c
}

/// Builds the report from verified pairs (`analyze` without its candidate
/// and verification stages; useful with a store that caches comparisons).
pub fn report_from(articles: &[Article], compared: &[(usize, usize, Comparison)]) -> Report {
    let independent = independent_pairs(compared);
    let derived = derive::derive(
        articles,
        compared
            .iter()
            .map(|(i, j, c)| (*i, *j, std::borrow::Cow::Borrowed(c))),
    );
    finish_report(articles, derived, independent)
}

/// [`report_from`], consuming the verified pairs: each derivation's
/// evidence moves into its relation instead of being copied, and the other
/// comparisons are freed as they are read (what keeps a million-document
/// run's peak memory down).
pub fn report_from_owned(
    articles: &[Article],
    compared: Vec<(usize, usize, Comparison)>,
) -> Report {
    let independent = independent_pairs(&compared);
    let derived = derive::derive(
        articles,
        compared
            .into_iter()
            .map(|(i, j, c)| (i, j, std::borrow::Cow::Owned(c))),
    );
    finish_report(articles, derived, independent)
}

/// The pairs judged independent, with the similarity their link reports.
fn independent_pairs(compared: &[(usize, usize, Comparison)]) -> Vec<(usize, usize, f32)> {
    compared
        .iter()
        .filter(|(_, _, c)| c.kind == stemma_core::RelationKind::Independent)
        .map(|(i, j, c)| (*i, *j, derive::mean_similarity(c)))
        .collect()
}

/// Stories, document rows and independent links around a derivation graph.
fn finish_report(
    articles: &[Article],
    derived: derive::Derived,
    independent: Vec<(usize, usize, f32)>,
) -> Report {
    let clusters = stemma_story::cluster(articles, &derived.linked);

    let mut documents: Vec<DocumentSummary> = articles.iter().map(summary).collect();
    let roles = Roles::of(&derived.relations);
    let mut story_of = vec![usize::MAX; articles.len()];
    let mut stories = Vec::new();
    for (n, members) in clusters.iter().enumerate() {
        let id = format!("s{}", n + 1);
        for &m in members {
            documents[m].story = Some(id.clone());
            story_of[m] = n;
        }
        stories.push(Story {
            id,
            documents: members.iter().map(|&m| articles[m].id.clone()).collect(),
            title: story_title(
                members
                    .iter()
                    .map(|&m| (articles[m].id.as_str(), articles[m].title.as_deref())),
                &roles,
            ),
        });
    }

    let mut independent: Vec<IndependentLink> = independent
        .into_iter()
        .filter(|(i, j, _)| story_of[*i] == story_of[*j])
        .map(|(i, j, similarity)| {
            let (a, b) = if articles[i].id <= articles[j].id {
                (i, j)
            } else {
                (j, i)
            };
            IndependentLink {
                a: articles[a].id.clone(),
                b: articles[b].id.clone(),
                similarity,
            }
        })
        .collect();
    independent.sort_by(|x, y| (&x.a, &x.b).cmp(&(&y.a, &y.b)));

    Report {
        documents,
        stories,
        relations: derived.relations,
        unseen_sources: derived.unseen,
        independent,
    }
}

/// A story's title: that of its original report, i.e. the titled member
/// that derives from nothing in the corpus and has the most derivatives
/// (the first such in member order), else that of its first titled member.
/// `members` gives each member's id and title, in the story's order.
pub fn story_title<'a>(
    members: impl IntoIterator<Item = (&'a str, Option<&'a str>)>,
    roles: &Roles<'_>,
) -> Option<String> {
    let mut best: Option<((bool, usize), &str)> = None;
    for (id, title) in members {
        let Some(title) = title else {
            continue;
        };
        let rank = (
            !roles.derivatives.contains(id),
            roles.sources.get(id).copied().unwrap_or(0),
        );
        if best.is_none_or(|(r, _)| rank > r) {
            best = Some((rank, title));
        }
    }
    best.map(|(_, t)| t.to_string())
}

/// Who derives from whom in a set of relations, by document id (see
/// [`story_title`]).
#[derive(Debug, Default)]
pub struct Roles<'a> {
    derivatives: std::collections::HashSet<&'a str>,
    /// Number of derivatives of each source.
    sources: std::collections::HashMap<&'a str, usize>,
}

impl<'a> Roles<'a> {
    /// The roles `relations` give their documents.
    pub fn of(relations: &'a [stemma_core::Relation]) -> Roles<'a> {
        let mut r = Roles::default();
        for rel in relations {
            r.derivatives.insert(rel.derivative.as_str());
            *r.sources.entry(rel.source.as_str()).or_default() += 1;
        }
        r
    }
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

#[cfg(test)]
mod tests;
