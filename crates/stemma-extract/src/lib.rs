//! Article extraction: the main text of a page or crawled text, boilerplate removed.
//!
//! * HTML ([`Body::Html`]): the page is parsed with html5ever (via `scraper`)
//!   and flattened into text blocks by one iterative walk (no recursion; pages
//!   nested deeper than a few thousand levels are reduced to their tag-stripped
//!   text, as the parser slows quadratically there). Furniture containers
//!   (nav, aside, footer, cookie/share/related/comment classes...) are dropped;
//!   the container holding the most prose net of link-heavy and
//!   boilerplate-shaped text is chosen; inside it link lists, boilerplate-shaped
//!   lines ([`is_boilerplate_line`]), labels that lead into dropped blocks, and
//!   text cut off from the article body by dropped text are removed. Blocks are
//!   separated by `"\n\n"`. Title, publish date (UTC RFC 3339), author and
//!   canonical URL come from the page's metadata (Open Graph, JSON-LD, `<time>`).
//!   On the trafilatura evaluation pages this scores above trafilatura 2.3.1 on
//!   both snippet rates (see `bench/results/extract.txt`).
//! * Plain text ([`Body::Text`]): lines of boilerplate shape are dropped, and,
//!   in [`extract_corpus`], lines that recur across unrelated documents of the
//!   corpus. The first kept line becomes the title when it reads as a headline
//!   (short, no closing full stop) and is then left out of the text.
//! * In [`extract_corpus`] an HTML page's extracted lines count for
//!   recurrence too, and those that recur across unrelated pages are dropped:
//!   a site's appeal for support or "about us" paragraph set inside every
//!   article body, which reads as prose to the page-level rules.
//!
//! Pure: no I/O.
//!
//! ```
//! use stemma_core::{Body, RawDoc};
//! let raw = RawDoc {
//!     id: "a".into(),
//!     url: None,
//!     published: None,
//!     origin: "a.txt".into(),
//!     body: Body::Text("Storm closes harbour\nAdvertisement\nThe harbour closed on Monday as the storm arrived.".into()),
//! };
//! let art = stemma_extract::extract_one(&raw);
//! assert_eq!(art.title.as_deref(), Some("Storm closes harbour"));
//! assert_eq!(art.text, "The harbour closed on Monday as the storm arrived.");
//! ```
#![deny(missing_docs)]

mod boiler;
#[cfg(feature = "candidates")]
pub mod candidates;
mod cited;
mod html;
mod meta;
mod text;

pub use boiler::is_boilerplate_line;
pub use cited::{cited_in_text, cited_sources, credited_elsewhere};
pub use html::{HtmlArticle, explain_html, extract_html};
pub use meta::normalize_date;
pub use text::{
    LineStats, MAX_HOLDERS as RECURRENCE_HOLDERS, line_keys, normalize_line, prose_keys,
    recurrence_key, recurrence_verdict, shares_prose, votes_of,
};

use std::collections::HashMap;

use stemma_core::{Article, Body, RawDoc};

/// Extracts the article of one document on its own (no corpus statistics).
pub fn extract_one(raw: &RawDoc) -> Article {
    build(raw, 0, None, None)
}

/// Extracts every document, using what the corpus as a whole shows
/// (lines that recur across unrelated plain-text documents are boilerplate).
pub fn extract_corpus(raws: &[RawDoc]) -> Vec<Article> {
    use rayon::prelude::*;
    if raws.len() < 2 {
        return raws.iter().map(extract_one).collect();
    }
    let html: Vec<Option<HtmlArticle>> = raws.par_iter().map(html_of).collect();
    let corpus = corpus_lines(raws, &html);
    // Each document on its own, in parallel; the result keeps input order.
    raws.par_iter()
        .zip(html)
        .enumerate()
        .map(|(i, (r, h))| build(r, i, corpus.as_ref(), h))
        .collect()
}

/// An HTML page's extraction before corpus recurrence; `None` for text.
fn html_of(raw: &RawDoc) -> Option<HtmlArticle> {
    match &raw.body {
        Body::Html(h) => Some(extract_html(h, raw.url.as_deref())),
        Body::Text(_) => None,
    }
}

/// The recurrence facts of one document, as [`line_keys`] gives them: of a
/// plain text's lines, or of the lines an HTML page's extraction keeps
/// (what [`extract_corpus`] gathers across a corpus, and a distributed run
/// gathers before [`extract_with_votes`]).
pub fn recurrence_keys(raw: &RawDoc) -> Vec<(u64, bool)> {
    match &raw.body {
        Body::Text(t) => line_keys(t),
        Body::Html(h) => line_keys(&extract_html(h, raw.url.as_deref()).text),
    }
}

/// A page read once, for an extraction whose recurrence votes are gathered
/// elsewhere (a store keeping line holders across ingests): its
/// [`recurrence_keys`] and, for an HTML page, its extraction before
/// recurrence, which [`extract_prepared`] then takes instead of parsing
/// the page again.
pub struct Prepared {
    /// The page's [`recurrence_keys`].
    pub keys: Vec<(u64, bool)>,
    /// An HTML page's extraction before recurrence; `None` for text.
    pub html: Option<HtmlArticle>,
}

/// Reads a page for [`extract_prepared`].
pub fn prepare(raw: &RawDoc) -> Prepared {
    let html = html_of(raw);
    let keys = match (&raw.body, &html) {
        (Body::Text(t), _) => line_keys(t),
        (_, Some(h)) => line_keys(&h.text),
        (Body::Html(_), None) => Vec::new(),
    };
    Prepared { keys, html }
}

/// [`extract_with_votes`] of a page whose HTML [`prepare`] already read:
/// the same article.
pub fn extract_prepared(
    raw: &RawDoc,
    html: Option<HtmlArticle>,
    votes: &HashMap<u64, (u32, u32)>,
) -> Article {
    build_with(raw, |line| voted_out(votes, line), html)
}

/// An extracted article with the lines `votes` now make boilerplate by
/// recurrence taken out of its text, its boilerplate count and cited sites
/// following (a stored page whose site's later pages show a line it kept
/// to recur); `None` when no line goes, or when none would be left. The
/// page itself is not read again, so its title stays as first extracted.
pub fn drop_voted(art: &Article, votes: &HashMap<u64, (u32, u32)>) -> Option<Article> {
    let (text, dropped, cited) = drop_recurring(&art.text, &|line| voted_out(votes, line))?;
    if text.trim().is_empty() {
        return None;
    }
    let mut out = art.clone();
    out.text = text;
    out.boilerplate_chars += dropped;
    let own = out.own_hosts();
    for c in cited.iter().filter(|c| elsewhere(&own, c)) {
        cited::add_site(&mut out.cited, c);
    }
    Some(out)
}

/// Whether `votes` make `line` boilerplate by recurrence.
fn voted_out(votes: &HashMap<u64, (u32, u32)>, line: &str) -> bool {
    recurrence_key(line)
        .and_then(|k| votes.get(&k))
        .is_some_and(|&(u, r)| recurrence_verdict(line, u as usize, r as usize))
}

/// [`extract_corpus`], consuming the pages: each is freed once extracted,
/// a chunk at a time, so that a large corpus never holds all its pages and
/// all its articles at once. The same articles.
pub fn extract_corpus_owned(raws: Vec<RawDoc>) -> Vec<Article> {
    use rayon::prelude::*;
    if raws.len() < 2 {
        return raws.iter().map(extract_one).collect();
    }
    // HTML pages are extracted first, a chunk at a time, and their markup
    // freed: their lines count for recurrence.
    let mut pages: Vec<RawDoc> = Vec::with_capacity(raws.len());
    let mut html: Vec<Option<HtmlArticle>> = Vec::with_capacity(raws.len());
    let mut raws = raws.into_iter();
    loop {
        let chunk: Vec<RawDoc> = raws.by_ref().take(text::CHUNK).collect();
        if chunk.is_empty() {
            break;
        }
        let done: Vec<(RawDoc, Option<HtmlArticle>)> = chunk
            .into_par_iter()
            .map(|mut r| {
                let h = html_of(&r);
                if h.is_some() {
                    r.body = Body::Html(String::new());
                }
                (r, h)
            })
            .collect();
        for (r, h) in done {
            pages.push(r);
            html.push(h);
        }
    }
    let corpus = corpus_lines(&pages, &html);
    pages
        .into_par_iter()
        .zip(html)
        .enumerate()
        .map(|(i, (r, h))| build(&r, i, corpus.as_ref(), h))
        .collect()
}

/// The corpus recurrence facts of the pages (plain texts, and HTML pages'
/// extracted texts in `html`), when there are two or more.
fn corpus_lines(raws: &[RawDoc], html: &[Option<HtmlArticle>]) -> Option<text::CorpusLines> {
    let texts: Vec<Option<&str>> = raws
        .iter()
        .enumerate()
        .map(|(i, r)| match &r.body {
            Body::Text(t) => Some(t.as_str()),
            Body::Html(_) => html
                .get(i)
                .and_then(Option::as_ref)
                .map(|h| h.text.as_str()),
        })
        .collect();
    (texts.iter().flatten().count() >= 2).then(|| text::CorpusLines::build(&texts))
}

/// Extracts one document with corpus recurrence facts gathered elsewhere
/// (e.g. by a distributed run): `votes` maps a line's [`recurrence_key`] to
/// `(unrelated, related)`, the counts of other documents among the line's
/// first holders that share little or much of this document's prose, for
/// the lines held by two or more plain-text documents of the corpus.
/// With the votes [`extract_corpus`] would compute, the result is the same
/// as its result for this document.
pub fn extract_with_votes(raw: &RawDoc, votes: &HashMap<u64, (u32, u32)>) -> Article {
    build_with(raw, |line| voted_out(votes, line), None)
}

fn build(
    raw: &RawDoc,
    index: usize,
    corpus: Option<&text::CorpusLines>,
    html: Option<HtmlArticle>,
) -> Article {
    build_with(
        raw,
        |line| corpus.is_some_and(|c| c.is_recurring_boilerplate(index, line)),
        html,
    )
}

/// `text` without its lines that `recurring` calls boilerplate (blank lines
/// left between blocks closed up), with the characters dropped and the
/// sites the dropped lines cite; `None` when no line is dropped.
fn drop_recurring(
    text: &str,
    recurring: &impl Fn(&str) -> bool,
) -> Option<(String, usize, Vec<String>)> {
    let mut kept = String::with_capacity(text.len());
    let (mut dropped, mut cited) = (0usize, Vec::new());
    let mut blank = 0usize;
    for line in text.split('\n') {
        if line.trim().is_empty() {
            blank += 1;
            continue;
        }
        if recurring(line) {
            dropped += line.chars().count();
            cited.extend(cited_sources(line));
            continue;
        }
        if !kept.is_empty() {
            kept.push_str(if blank > 0 { "\n\n" } else { "\n" });
        }
        blank = 0;
        kept.push_str(line);
    }
    (dropped > 0).then_some((kept, dropped, cited))
}

/// `pre`: the page's HTML extraction, when already made.
fn build_with(raw: &RawDoc, recurring: impl Fn(&str) -> bool, pre: Option<HtmlArticle>) -> Article {
    let mut art = Article {
        id: raw.id.clone(),
        url: raw.url.clone(),
        ..Default::default()
    };
    // Citations on lines left out of the text: a content farm that ends
    // every page with "Source: bbc.co.uk" (a line of the site's template), or
    // a credit styled as page furniture, still names the page's source.
    let left_out_cited: Vec<String> = match &raw.body {
        Body::Html(h) => {
            let mut h = pre.unwrap_or_else(|| extract_html(h, raw.url.as_deref()));
            if let Some((text, dropped, cited)) = drop_recurring(&h.text, &recurring) {
                h.text = text;
                h.boilerplate_chars += dropped;
                h.credits.extend(cited);
            }
            art.title = h.title;
            art.text = h.text;
            art.boilerplate_chars = h.boilerplate_chars;
            art.published = h.published;
            art.author = h.author;
            art.canonical_url = h.canonical_url;
            h.credits
        }
        Body::Text(body) => {
            let seen = std::cell::RefCell::new(Vec::new());
            let t = text::extract_text(
                body,
                |line| {
                    let r = recurring(line);
                    if r {
                        seen.borrow_mut().extend(cited_sources(line));
                    }
                    r
                },
                // An agency's credit dropped for its shape ("Copyright 2026
                // The Associated Press. All rights reserved.").
                |line| {
                    let wire = cited::wire_credits(line);
                    seen.borrow_mut().extend(wire.into_iter().map(String::from));
                },
            );
            art.title = t.title;
            art.text = t.text;
            art.boilerplate_chars = t.boilerplate_chars;
            seen.into_inner()
        }
    };
    if let Some(p) = raw.published.as_deref() {
        art.published = normalize_date(p).or_else(|| Some(p.to_string()));
    }
    if art.url.is_none() {
        art.url = art.canonical_url.clone();
    }
    art.cited = cited_in_text(&art.text);
    // An agency named as the author in the page's metadata.
    let by_agency = art
        .author
        .as_deref()
        .map(|a| cited::wire_credits(&format!("By {a}")))
        .unwrap_or_default();
    for d in by_agency {
        cited::add_site(&mut art.cited, d);
    }
    // "she told the BBC", on a page of another site.
    for d in left_out_cited
        .into_iter()
        .chain(credited_elsewhere(&art.text, art.url.as_deref()))
    {
        cited::add_site(&mut art.cited, &d);
    }
    // A page's own site is not its source: an agency's own page carries its
    // dateline ("DENVER (AP) —" on apnews.com).
    let own = art.own_hosts();
    art.cited.retain(|c| elsewhere(&own, c));
    art
}

/// Whether a cited site lies off the page's own sites (`own`, from
/// [`Article::own_hosts`]): a page's own site is not its source.
fn elsewhere(own: &[String], cited: &str) -> bool {
    stemma_core::url_host(cited).is_none_or(|c| !own.iter().any(|o| stemma_core::same_site(o, &c)))
}
