use serde::{Deserialize, Serialize};

use crate::Span;

/// A document identifier: a file stem, a JSONL `id` or a WARC-Record-ID.
pub type DocId = String;

/// The body of a document as it was read, before extraction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Body {
    /// A web page (already decoded to UTF-8).
    Html(String),
    /// Plain text as crawled; may hold site boilerplate lines.
    Text(String),
}

impl Body {
    /// The raw string, HTML or text.
    pub fn as_str(&self) -> &str {
        match self {
            Body::Html(s) | Body::Text(s) => s,
        }
    }
}

/// One document as ingested: identity, what the container said about it,
/// and its body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawDoc {
    /// Stable identifier.
    pub id: DocId,
    /// Where the document came from (WARC-Target-URI, JSONL `url`).
    pub url: Option<String>,
    /// Publish time from the container, normalised RFC 3339 when parseable.
    pub published: Option<String>,
    /// The file it was read from, for error messages.
    pub origin: String,
    /// The document body.
    pub body: Body,
}

impl RawDoc {
    /// A plain-text document with no URL or date, read from `{id}.txt`.
    pub fn text(id: &str, text: &str) -> RawDoc {
        RawDoc::of(id, "txt", Body::Text(text.into()))
    }

    /// An HTML page with no URL or date, read from `{id}.html`.
    pub fn html(id: &str, html: &str) -> RawDoc {
        RawDoc::of(id, "html", Body::Html(html.into()))
    }

    fn of(id: &str, ext: &str, body: Body) -> RawDoc {
        RawDoc {
            id: id.into(),
            url: None,
            published: None,
            origin: format!("{id}.{ext}"),
            body,
        }
    }
}

/// A document after extraction: the main text and what the page told about it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Article {
    /// Stable identifier.
    pub id: DocId,
    /// Title, from `<title>`/`og:title`/`h1`, or the first line of a text.
    pub title: Option<String>,
    /// Main text, boilerplate removed. All spans index into this.
    pub text: String,
    /// Characters of the input's visible text judged boilerplate and dropped.
    pub boilerplate_chars: usize,
    /// Publish time, RFC 3339 normalised to UTC (`YYYY-MM-DDTHH:MM:SSZ`) when known.
    pub published: Option<String>,
    /// Author or byline, when the page gives one.
    pub author: Option<String>,
    /// URL of the document (container URL, else canonical).
    pub url: Option<String>,
    /// Canonical URL, when the page declares one.
    pub canonical_url: Option<String>,
    /// Sources the text names as its origin ("Source: bbc.com" -> `bbc.com`).
    pub cited: Vec<String>,
}

impl Article {
    /// Number of Unicode scalar values in the main text.
    pub fn chars(&self) -> usize {
        self.text.chars().count()
    }

    /// The hosts of the page's URL and canonical URL ([`crate::url_host`]):
    /// its own site.
    pub fn own_hosts(&self) -> Vec<String> {
        [&self.url, &self.canonical_url]
            .into_iter()
            .flatten()
            .filter_map(|u| crate::url_host(u))
            .collect()
    }

    /// The publish date when it is a UTC stamp (`YYYY-MM-DDTHH:MM:SSZ`,
    /// what extraction normalises dates to), so that two compare in time
    /// order as strings. A date extraction could not read stays in
    /// `published` for display and is `None` here.
    pub fn published_utc(&self) -> Option<&str> {
        let p = self.published.as_deref()?;
        let b = p.as_bytes();
        let shape = b.len() == 20
            && b.iter().enumerate().all(|(i, c)| match i {
                4 | 7 => *c == b'-',
                10 => *c == b'T',
                13 | 16 => *c == b':',
                19 => *c == b'Z',
                _ => c.is_ascii_digit(),
            });
        shape.then_some(p)
    }
}

/// How one text relates to another. See CONTRACT.md for the definitions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RelationKind {
    /// The same text, possibly wrapped in other boilerplate.
    Verbatim,
    /// A part copied verbatim.
    Excerpt,
    /// Word-by-word edits: synonym swaps, small reorders, structure kept.
    Spun,
    /// Rewritten sentences carrying the same facts in much the same order.
    Paraphrase,
    /// Markedly shorter, covering part of the source's facts.
    Summary,
    /// Same story, no textual derivation.
    Independent,
    /// Nothing in common worth reporting.
    Unrelated,
}

impl RelationKind {
    /// All kinds, derivations first.
    pub const ALL: [RelationKind; 7] = [
        RelationKind::Verbatim,
        RelationKind::Excerpt,
        RelationKind::Spun,
        RelationKind::Paraphrase,
        RelationKind::Summary,
        RelationKind::Independent,
        RelationKind::Unrelated,
    ];

    /// True for the kinds that mean one text was made from the other.
    pub fn is_derivation(self) -> bool {
        !matches!(self, RelationKind::Independent | RelationKind::Unrelated)
    }

    /// The contract's lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            RelationKind::Verbatim => "verbatim",
            RelationKind::Excerpt => "excerpt",
            RelationKind::Spun => "spun",
            RelationKind::Paraphrase => "paraphrase",
            RelationKind::Summary => "summary",
            RelationKind::Independent => "independent",
            RelationKind::Unrelated => "unrelated",
        }
    }
}

impl std::fmt::Display for RelationKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for RelationKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        RelationKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| format!("unknown relation kind {s:?}"))
    }
}

/// Which way a derivation goes between the two compared texts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Direction {
    /// `a` is the source, `b` derives from it.
    #[serde(rename = "a->b")]
    AToB,
    /// `b` is the source, `a` derives from it.
    #[serde(rename = "b->a")]
    BToA,
    /// Not decidable from the evidence.
    #[serde(rename = "unknown")]
    Unknown,
}

/// One word-level edit between two aligned passages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum DiffOp {
    /// The same word(s) on both sides.
    Equal {
        /// Span in the source text.
        a: Span,
        /// Span in the derivative text.
        b: Span,
    },
    /// Source words replaced by other words ("officials" -> "officers").
    Substitute {
        /// Span in the source text.
        a: Span,
        /// Span in the derivative text.
        b: Span,
        /// True when the thesaurus knows the pair as synonyms.
        synonym: bool,
    },
    /// Words only the derivative has.
    Insert {
        /// Span in the derivative text.
        b: Span,
    },
    /// Words only the source has.
    Delete {
        /// Span in the source text.
        a: Span,
    },
}

/// An aligned passage pair that supports a relation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// Span in the first (or source) text.
    pub a_span: Span,
    /// Span in the second (or derivative) text.
    pub b_span: Span,
    /// Similarity of the two passages, 0..1.
    pub similarity: f32,
    /// Word-level differences, in text order. Omitted from JSON when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub diff: Vec<DiffOp>,
}

/// What sort of fact a derivative changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DriftKind {
    /// A number, amount or percentage differs.
    Number,
    /// A date or time expression differs.
    Date,
    /// A person, place or organisation name differs.
    Name,
    /// A role or title differs ("minister" -> "president").
    Role,
    /// Words inside quotation marks differ.
    Quote,
    /// The derivative states something no source passage supports.
    Unsupported,
}

impl DriftKind {
    /// The contract's lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            DriftKind::Number => "number",
            DriftKind::Date => "date",
            DriftKind::Name => "name",
            DriftKind::Role => "role",
            DriftKind::Quote => "quote",
            DriftKind::Unsupported => "unsupported",
        }
    }
}

/// A place where a derivative changed a fact of its source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Drift {
    /// What changed.
    pub kind: DriftKind,
    /// The source passage's words, when one is aligned.
    pub source_span: Option<Span>,
    /// The derivative's words.
    pub derivative_span: Span,
    /// The source's value, e.g. `"12"`.
    pub source_value: Option<String>,
    /// The derivative's value, e.g. `"15"`.
    pub derivative_value: String,
}

/// The verdict on one pair of texts (`stemma compare`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// First document.
    pub a: DocId,
    /// Second document.
    pub b: DocId,
    /// The relation found.
    pub kind: RelationKind,
    /// Which one is the source.
    pub direction: Direction,
    /// Confidence in `kind`, 0..1.
    pub confidence: f32,
    /// Aligned passages; `a_span` in `a`, `b_span` in `b`.
    pub evidence: Vec<Evidence>,
    /// Facts the derivative changed (only for derivations).
    #[serde(default)]
    pub drift: Vec<Drift>,
    /// For a rewrite oriented by its wording alone (no dates, citations or
    /// summary structure): log-odds that `a` is the source. Its sign is
    /// `direction`; its size lets the derivation rules weigh one link's
    /// reading against another's. 0 when the direction came otherwise.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub lean: f32,
}

fn is_zero(x: &f32) -> bool {
    *x == 0.0
}

/// One document row of an analysis report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentSummary {
    /// Identifier.
    pub id: DocId,
    /// Title, empty when unknown.
    pub title: String,
    /// Characters of main text.
    pub chars: usize,
    /// Characters removed as boilerplate.
    pub boilerplate_chars: usize,
    /// URL when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Publish time when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// The story this document belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub story: Option<String>,
}

/// A story: the documents that report one event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Story {
    /// Identifier (`s1`, `s2`, ...).
    pub id: String,
    /// Member documents.
    pub documents: Vec<DocId>,
    /// A title for display, from the most central member.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

/// A derivation edge in an analysis report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Relation {
    /// The source document id, or `unseen:N`.
    pub source: String,
    /// The derived document id.
    pub derivative: DocId,
    /// The kind of derivation (never `independent` or `unrelated`).
    pub kind: RelationKind,
    /// Confidence 0..1.
    pub confidence: f32,
    /// Aligned passages; `a_span` in the source, `b_span` in the derivative.
    pub evidence: Vec<Evidence>,
    /// Facts the derivative changed.
    #[serde(default)]
    pub drift: Vec<Drift>,
}

/// A source not in the input that several documents derive from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnseenSource {
    /// `unseen:N`.
    pub id: String,
    /// Documents that derive from it.
    pub derivatives: Vec<DocId>,
    /// The site they cite, e.g. `bbc.com`.
    pub cited: Option<String>,
}

/// An `independent` link between two reports of one story.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndependentLink {
    /// One report.
    pub a: DocId,
    /// The other report.
    pub b: DocId,
    /// How alike the sentences they share are (mean similarity of the
    /// verifier's evidence, weighted by length), 0..1; 0 when they share no
    /// sentence, only names and topic.
    pub similarity: f32,
}

/// The result of `stemma analyze`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Report {
    /// Every document read.
    pub documents: Vec<DocumentSummary>,
    /// Every document in exactly one story.
    pub stories: Vec<Story>,
    /// Derivations only.
    pub relations: Vec<Relation>,
    /// Sources outside the input shared by several derivatives.
    pub unseen_sources: Vec<UnseenSource>,
    /// Same-story pairs with no derivation between them.
    #[serde(default)]
    pub independent: Vec<IndependentLink>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_their_names() {
        for k in RelationKind::ALL {
            assert_eq!(k.as_str().parse::<RelationKind>().unwrap(), k);
            assert_eq!(serde_json::to_string(&k).unwrap(), format!("\"{k}\""));
        }
        assert!(RelationKind::Spun.is_derivation());
        assert!(!RelationKind::Independent.is_derivation());
    }

    /// Only UTC stamps take part in date comparisons; "05/06/2026" (day or
    /// month first?) would sort after every stamp as a string.
    #[test]
    fn published_utc_takes_stamps_only() {
        for (published, want) in [
            (Some("2026-11-24T22:10:00Z"), true),
            (Some("2026-11-24"), false),
            (Some("05/06/2026"), false),
            (Some("2026-11-24T22:10:00+01:00"), false),
            (None, false),
        ] {
            let a = Article {
                published: published.map(str::to_string),
                ..Default::default()
            };
            assert_eq!(a.published_utc().is_some(), want, "{published:?}");
        }
    }

    #[test]
    fn direction_uses_contract_spelling() {
        assert_eq!(serde_json::to_string(&Direction::AToB).unwrap(), "\"a->b\"");
        assert_eq!(serde_json::to_string(&Direction::BToA).unwrap(), "\"b->a\"");
        assert_eq!(
            serde_json::to_string(&Direction::Unknown).unwrap(),
            "\"unknown\""
        );
    }
}
