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
        // slogan or legal notice, when several pages carry it. Someone's
        // words in quotation marks are story content that copies keep
        // word for word however they reword the rest (a spun copy or a
        // rewrite shares little else with its source line for line): such
        // a line is boilerplate only on many pages, as a site's appeal
        // quoting its editor would be.
        let least = if quotes_words(line) {
            QUOTED_HOLDERS
        } else {
            2
        };
        unrelated >= least && related == 0
    } else {
        // A short line in three or more otherwise unrelated documents
        // (two may share a headline by chance).
        unrelated >= 2 && unrelated >= related
    }
}

/// Unrelated holders a prose line quoting someone ([`quotes_words`]) needs
/// to be boilerplate by recurrence: half of the [`MAX_HOLDERS`] counted.
pub(crate) const QUOTED_HOLDERS: usize = MAX_HOLDERS / 2;

/// Whether `line` holds a quotation of four words or more between double
/// quotation marks (straight or curly) or curly single ones.
pub(crate) fn quotes_words(line: &str) -> bool {
    let mut open: Option<(char, usize)> = None;
    for (i, c) in line.char_indices() {
        match open {
            None if matches!(c, '"' | '\u{201c}' | '\u{2018}') => {
                open = Some((c, i + c.len_utf8()))
            }
            Some((o, from))
                if (o == '\u{2018}' && c == '\u{2019}')
                    || (o != '\u{2018}' && matches!(c, '"' | '\u{201d}')) =>
            {
                // A curly apostrophe inside a word ("don’t") closes nothing.
                let inside_word = c == '\u{2019}'
                    && line[i + c.len_utf8()..]
                        .chars()
                        .next()
                        .is_some_and(char::is_alphanumeric);
                if !inside_word {
                    if line[from..i].split_whitespace().count() >= 4 {
                        return true;
                    }
                    open = None;
                }
            }
            _ => {}
        }
    }
    false
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
///
/// Sized for a million documents: most lines of a corpus are held by one
/// document only, so a line costs one map entry (its document count and
/// first holder), and only lines held by two or more get a list of further
/// holders.
pub(crate) struct CorpusLines {
    /// Per line key: the number of documents holding it, and the first.
    lines: HashMap<u64, (u32, u32)>,
    /// The next holders, in corpus order, of the lines held by two or more
    /// documents (up to [`MAX_HOLDERS`] holders in all).
    more: HashMap<u64, Vec<u32>>,
    /// For each document, the keys of its prose lines, sorted.
    prose: Vec<Box<[u64]>>,
}

/// Holders of a recurring line kept per key (the first documents, in corpus order).
pub const MAX_HOLDERS: usize = 16;

/// Documents handled at once (in parallel) by [`CorpusLines::build`] and
/// [`crate::extract_corpus_owned`]; only one chunk's line keys, or pages,
/// are held at a time.
pub(crate) const CHUNK: usize = 4096;

impl CorpusLines {
    pub(crate) fn build(texts: &[Option<&str>]) -> Self {
        use rayon::prelude::*;
        let mut lines: HashMap<u64, (u32, u32)> = HashMap::new();
        let mut more: HashMap<u64, Vec<u32>> = HashMap::new();
        let mut prose = Vec::with_capacity(texts.len());
        for (c, chunk) in texts.chunks(CHUNK).enumerate() {
            let keys: Vec<Vec<(u64, bool)>> = chunk
                .par_iter()
                .map(|t| t.map(line_keys).unwrap_or_default())
                .collect();
            for (i, keys) in keys.into_iter().enumerate() {
                let d = u32::try_from(c * CHUNK + i).expect("more than 4 billion documents");
                prose.push(prose_keys(&keys).into_boxed_slice());
                for (k, _) in keys {
                    let line = lines.entry(k).or_insert((0, d));
                    line.0 += 1;
                    if line.0 >= 2 {
                        let next = more.entry(k).or_default();
                        if next.len() + 1 < MAX_HOLDERS {
                            next.push(d);
                        }
                    }
                }
            }
        }
        CorpusLines { lines, more, prose }
    }

    /// Whether `line` of document `doc` is boilerplate by recurrence: it occurs
    /// in other documents that do not otherwise share this document's prose
    /// (so two copies of one article keep their common lines).
    pub(crate) fn is_recurring_boilerplate(&self, doc: usize, line: &str) -> bool {
        let n = normalize_line(line);
        let k = line_key(&n);
        let Some(&(df, first)) = self.lines.get(&k) else {
            return false;
        };
        if df < 2 {
            return false;
        }
        let next = self.more.get(&k).map_or(&[][..], Vec::as_slice);
        let holders = std::iter::once(first).chain(next.iter().copied());
        let mine = &self.prose[doc];
        let (unrelated, related) = count_holders(
            mine,
            holders
                .map(|o| o as usize)
                .filter(|&o| o != doc)
                .map(|o| &*self.prose[o]),
        );
        recurrence_verdict(line, unrelated as usize, related as usize)
    }
}

/// Whether two documents' prose lines (sorted [`recurrence_key`]s) mark
/// them as copies of one article: a fifth of the smaller's prose lines are
/// shared.
pub fn shares_prose(mine: &[u64], theirs: &[u64]) -> bool {
    let shared = mine
        .iter()
        .filter(|k| theirs.binary_search(k).is_ok())
        .count();
    let smaller = mine.len().min(theirs.len());
    smaller > 0 && shared * 5 >= smaller
}

/// `(unrelated, related)`: how many of the `others` (the prose keys of a
/// line's other holders) share little, or much, of `mine`.
fn count_holders<'a>(mine: &[u64], others: impl Iterator<Item = &'a [u64]>) -> (u32, u32) {
    others.fold((0, 0), |(u, r), theirs| {
        if shares_prose(mine, theirs) {
            (u, r + 1)
        } else {
            (u + 1, r)
        }
    })
}

/// The sorted prose keys of a document's [`line_keys`].
pub fn prose_keys(keys: &[(u64, bool)]) -> Vec<u64> {
    let mut p: Vec<u64> = keys.iter().filter(|k| k.1).map(|k| k.0).collect();
    p.sort_unstable();
    p
}

/// The recurrence votes of one document, as [`crate::extract_with_votes`]
/// reads them, when the holders of its lines are known elsewhere (a store
/// that keeps them across ingests): `mine` is the document's
/// [`prose_keys`], and `holders` gives, for each of its line keys, the
/// prose keys of the line's first [`MAX_HOLDERS`] holders in corpus order,
/// with `None` standing for the document itself. Lines no other document
/// holds get no vote.
pub fn votes_of<'a>(
    mine: &[u64],
    holders: impl IntoIterator<Item = (u64, Vec<Option<&'a [u64]>>)>,
) -> HashMap<u64, (u32, u32)> {
    let mut out = HashMap::new();
    for (key, list) in holders {
        let others = list.into_iter().take(MAX_HOLDERS).flatten();
        let (u, r) = count_holders(mine, others);
        if u + r > 0 {
            out.insert(key, (u, r));
        }
    }
    out
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
/// `shape_dropped` sees each line dropped for its shape.
pub(crate) fn extract_text(
    raw: &str,
    recurring: impl Fn(&str) -> bool,
    mut shape_dropped: impl FnMut(&str),
) -> TextArticle {
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
        let shape = is_boilerplate_line(t);
        if shape {
            shape_dropped(t);
        }
        if shape || recurring(t) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn votes_count_other_holders_among_the_first() {
        let mine: Vec<u64> = (1..=10).collect();
        let copy: Vec<u64> = (1..=10).collect();
        let other: Vec<u64> = (50..60).collect();
        let stranger = Some(other.as_slice());
        // (the holders' prose, `None` for this document; the vote wanted)
        type Case<'a> = (Vec<Option<&'a [u64]>>, Option<(u32, u32)>);
        let cases: Vec<Case> = vec![
            // Only this document holds the line: no vote.
            (vec![None], None),
            // Two unrelated pages and a copy (shares all its prose).
            (vec![stranger, None, Some(&copy), stranger], Some((2, 1))),
            // Holders past the first MAX_HOLDERS (this one among them) do
            // not count.
            (
                std::iter::repeat_n(stranger, MAX_HOLDERS + 3)
                    .chain([None])
                    .collect(),
                Some((MAX_HOLDERS as u32, 0)),
            ),
            (
                std::iter::repeat_n(stranger, 3)
                    .chain([None])
                    .chain(std::iter::repeat_n(stranger, MAX_HOLDERS))
                    .collect(),
                Some((MAX_HOLDERS as u32 - 1, 0)),
            ),
        ];
        for (i, (holders, want)) in cases.into_iter().enumerate() {
            let votes = votes_of(&mine, [(7u64, holders)]);
            assert_eq!(votes.get(&7).copied(), want, "case {i}");
        }
    }

    #[test]
    fn quotations_of_four_words_or_more() {
        let cases = [
            ("\"We will not reopen the bridge,\" she said.", true),
            ("\u{201c}The work starts on Monday,\u{201d} he added.", true),
            (
                "He called it \u{2018}a very bad day indeed\u{2019} for the town.",
                true,
            ),
            ("It was \"a disaster\", the mayor said of the flood.", false),
            (
                "The mayor didn\u{2019}t say when the bridge would open to cars again.",
                false,
            ),
            (
                "Support our newsroom with a gift today and every month.",
                false,
            ),
            (
                "He said \"unclosed quotation marks run on to the end",
                false,
            ),
        ];
        for (line, want) in cases {
            assert_eq!(quotes_words(line), want, "{line}");
        }
    }
}
