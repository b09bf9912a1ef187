//! Plain-text extraction: drop boilerplate lines, by shape and by
//! recurrence across the documents of a corpus.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::boiler::is_boilerplate_line;

/// The normalised form of a line used for recurrence counting:
/// lower case, whitespace collapsed.
pub fn normalize_line(line: &str) -> String {
    line.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn line_key(norm: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(norm.as_bytes())
}

/// The recurrence key of a raw line: the hash of its [`normalize_line`]
/// form; `None` for a blank line.
pub fn recurrence_key(line: &str) -> Option<u64> {
    let n = normalize_line(line);
    (!n.is_empty()).then(|| line_key(&n))
}

/// The distinct recurrence keys of a plain text, in order of first
/// occurrence, each with whether some line of that key reads as prose
/// ([`is_prose`]). These are the per-document facts that
/// [`crate::extract_corpus`] gathers across a corpus; a distributed run
/// gathers them the same way and hands the votes back to
/// [`crate::extract_with_votes`].
pub fn line_keys(text: &str) -> Vec<(u64, bool)> {
    let mut out: Vec<(u64, bool)> = Vec::new();
    let mut at: HashMap<u64, usize> = HashMap::new();
    for line in text.lines() {
        let Some(k) = recurrence_key(line) else {
            continue;
        };
        let prose = is_prose(line);
        match at.get(&k) {
            Some(&i) => out[i].1 |= prose,
            None => {
                at.insert(k, out.len());
                out.push((k, prose));
            }
        }
    }
    out
}

/// The recurrence rule for one line: `unrelated` and `related` count the
/// other documents holding the line (among the first holders of the
/// corpus) that share little, or much, of this document's prose.
pub fn recurrence_verdict(line: &str, unrelated: usize, related: usize) -> bool {
    if is_prose(line) {
        // A sentence shared with pages that share nothing else: a site
        // slogan or legal notice, when several pages carry it.
        unrelated >= 2 && related == 0
    } else {
        // A short line in three or more otherwise unrelated documents
        // (two may share a headline by chance).
        unrelated >= 2 && unrelated >= related
    }
}

/// Whether a line reads as a prose sentence (several words, closing punctuation)
/// rather than a short label.
pub fn is_prose(line: &str) -> bool {
    let t = line.trim();
    let words = t.split_whitespace().count();
    (words >= 8 && t.ends_with(['.', '!', '?', '"', '”', '’', ')', ':'])) || t.chars().count() > 160
}

/// In how many documents each normalised line occurs.
///
/// Built from a corpus with [`LineStats::add_document`]; can be updated one
/// document at a time and stored with serde.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineStats {
    /// Documents seen.
    pub documents: u64,
    /// Document frequency by line hash (xxh3 of the normalised line).
    pub frequency: HashMap<u64, u32>,
}

impl LineStats {
    /// Counts the distinct non-empty lines of one document.
    pub fn add_document(&mut self, text: &str) {
        self.documents += 1;
        let keys: HashSet<u64> = text
            .lines()
            .map(normalize_line)
            .filter(|l| !l.is_empty())
            .map(|l| line_key(&l))
            .collect();
        for k in keys {
            *self.frequency.entry(k).or_insert(0) += 1;
        }
    }

    /// Number of documents holding this line (after normalisation).
    pub fn document_frequency(&self, line: &str) -> u32 {
        self.frequency
            .get(&line_key(&normalize_line(line)))
            .copied()
            .unwrap_or(0)
    }
}

/// Per-document line keys, for telling site boilerplate from copied articles.
pub(crate) struct CorpusLines {
    stats: LineStats,
    /// For each document, the keys of its prose lines.
    prose: Vec<HashSet<u64>>,
    /// For each line key, the documents holding it (capped).
    holders: HashMap<u64, Vec<usize>>,
}

/// Holders of a recurring line kept per key (the first documents, in corpus order).
pub const MAX_HOLDERS: usize = 16;

impl CorpusLines {
    pub(crate) fn build(texts: &[Option<&str>]) -> Self {
        let mut stats = LineStats::default();
        let mut prose = Vec::with_capacity(texts.len());
        let mut holders: HashMap<u64, Vec<usize>> = HashMap::new();
        for (d, t) in texts.iter().enumerate() {
            let Some(t) = t else {
                prose.push(HashSet::new());
                continue;
            };
            stats.add_document(t);
            let mut p = HashSet::new();
            let mut seen = HashSet::new();
            for line in t.lines() {
                let n = normalize_line(line);
                if n.is_empty() {
                    continue;
                }
                let k = line_key(&n);
                if is_prose(line) {
                    p.insert(k);
                }
                if seen.insert(k) {
                    let h = holders.entry(k).or_default();
                    if h.len() < MAX_HOLDERS {
                        h.push(d);
                    }
                }
            }
            prose.push(p);
        }
        CorpusLines {
            stats,
            prose,
            holders,
        }
    }

    /// Whether `line` of document `doc` is boilerplate by recurrence: it occurs
    /// in other documents that do not otherwise share this document's prose
    /// (so two copies of one article keep their common lines).
    pub(crate) fn is_recurring_boilerplate(&self, doc: usize, line: &str) -> bool {
        let n = normalize_line(line);
        let k = line_key(&n);
        let df = self.stats.frequency.get(&k).copied().unwrap_or(0);
        if df < 2 {
            return false;
        }
        let Some(holders) = self.holders.get(&k) else {
            return false;
        };
        let mine = &self.prose[doc];
        // Count holders that look like unrelated pages (little shared prose).
        let mut unrelated = 0usize;
        let mut related = 0usize;
        for &other in holders.iter().filter(|&&o| o != doc) {
            let theirs = &self.prose[other];
            let shared = mine.iter().filter(|k| theirs.contains(k)).count();
            let smaller = mine.len().min(theirs.len());
            if smaller > 0 && shared * 5 >= smaller {
                related += 1;
            } else {
                unrelated += 1;
            }
        }
        recurrence_verdict(line, unrelated, related)
    }
}

/// The result of extracting a plain-text document.
pub(crate) struct TextArticle {
    pub title: Option<String>,
    pub text: String,
    pub boilerplate_chars: usize,
}

/// Whether a line looks like a headline: short, no closing full stop.
fn is_headline(line: &str) -> bool {
    let t = line.trim();
    let words = t.split_whitespace().count();
    (1..=25).contains(&words) && t.chars().count() <= 200 && !t.ends_with(['.', ',', ';', ':'])
}

/// Words a site banner (masthead) has at most.
const MASTHEAD_WORDS: usize = 4;

/// Extracts a plain-text document. The title is the first kept line when it
/// reads as a headline; that line is then left out of `text`. A short first
/// line followed by dropped boilerplate (a navigation bar) and then another
/// headline is the site's banner ("NewsFarm Daily / Home | World | Log in /
/// Storm forces ..."): it is dropped and the second line is the title.
pub(crate) fn extract_text(raw: &str, recurring: impl Fn(&str) -> bool) -> TextArticle {
    let mut paragraphs: Vec<Vec<&str>> = Vec::new();
    let has_blank = raw.lines().any(|l| l.trim().is_empty()) && raw.trim().lines().count() > 1;
    let mut current: Vec<&str> = Vec::new();
    let mut dropped = 0usize;
    let mut title: Option<String> = None;
    let mut first = true;
    // After a short first-line title, whether boilerplate came next.
    let mut banner_then_boiler = false;
    let mut banner_open = false;
    for line in raw.lines() {
        let t = line.trim();
        if t.is_empty() {
            if !current.is_empty() {
                paragraphs.push(std::mem::take(&mut current));
            }
            continue;
        }
        let boiler = is_boilerplate_line(t) || recurring(t);
        if boiler {
            dropped += t.chars().count();
            banner_then_boiler |= banner_open;
            continue;
        }
        if first {
            first = false;
            if is_headline(t) && raw.trim().lines().count() > 1 {
                title = Some(t.split_whitespace().collect::<Vec<_>>().join(" "));
                banner_open = t.split_whitespace().count() <= MASTHEAD_WORDS;
                continue;
            }
        } else if std::mem::take(&mut banner_open) && banner_then_boiler && is_headline(t) {
            // The first line was the banner: this one is the headline.
            dropped += title.as_deref().map_or(0, |b| b.chars().count());
            title = Some(t.split_whitespace().collect::<Vec<_>>().join(" "));
            continue;
        }
        current.push(t);
        if !has_blank {
            paragraphs.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        paragraphs.push(current);
    }
    let text = paragraphs
        .iter()
        .map(|p| p.join("\n"))
        .collect::<Vec<_>>()
        .join("\n\n");
    TextArticle {
        title,
        text,
        boilerplate_chars: dropped,
    }
}
