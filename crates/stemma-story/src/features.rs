//! Terms of one article: content-word stems, capitalised names (single and
//! multiword), numbers, years and month-day dates mentioned in the text.
//!
//! Every term carries a kind prefix (`w:`, `e:`, `n:`, `y:`, `d:`) so that a
//! name and a plain word of the same spelling count apart.

use std::collections::BTreeMap;

use stemma_core::Article;
use stemma_text::{Token, TokenKind, is_stopword, tokenize};

/// What a term stands for; sets its weight multiplier.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum TermKind {
    /// A content word, lightly stemmed.
    Word,
    /// A capitalised name or a multiword capitalised sequence.
    Entity,
    /// A number other than a year.
    Number,
    /// A year (1900-2100) or a month-day date.
    Date,
}

impl TermKind {
    /// The kind of a prefixed term.
    pub fn of(term: &str) -> TermKind {
        match term.as_bytes().first() {
            Some(b'e') => TermKind::Entity,
            Some(b'n') => TermKind::Number,
            Some(b'y' | b'd') => TermKind::Date,
            _ => TermKind::Word,
        }
    }
}

const MONTHS: &[(&str, u8)] = &[
    ("january", 1),
    ("jan", 1),
    ("february", 2),
    ("feb", 2),
    ("march", 3),
    ("mar", 3),
    ("april", 4),
    ("apr", 4),
    ("may", 5),
    ("june", 6),
    ("jun", 6),
    ("july", 7),
    ("jul", 7),
    ("august", 8),
    ("aug", 8),
    ("september", 9),
    ("sept", 9),
    ("sep", 9),
    ("october", 10),
    ("oct", 10),
    ("november", 11),
    ("nov", 11),
    ("december", 12),
    ("dec", 12),
];

fn month(norm: &str) -> Option<u8> {
    MONTHS.iter().find(|(m, _)| *m == norm).map(|&(_, n)| n)
}

fn day(tok: &Token) -> Option<u8> {
    if tok.kind != TokenKind::Number || tok.norm.len() > 2 {
        return None;
    }
    tok.norm.parse::<u8>().ok().filter(|d| (1..=31).contains(d))
}

fn year(tok: &Token) -> Option<u16> {
    if tok.kind != TokenKind::Number || tok.norm.len() != 4 {
        return None;
    }
    tok.norm
        .parse::<u16>()
        .ok()
        .filter(|y| (1900..=2100).contains(y))
}

/// A light suffix stripper: plurals, `-ing`, `-ed`. Deliberately crude; it
/// only has to map inflections of one word onto one key.
pub fn stem(word: &str) -> String {
    let n = word.len();
    if !word.is_ascii() || n <= 3 {
        return word.to_string();
    }
    if n >= 5 && word.ends_with("ies") {
        return format!("{}y", &word[..n - 3]);
    }
    if n >= 6 && word.ends_with("ing") {
        return word[..n - 3].to_string();
    }
    if n >= 5 && word.ends_with("ed") {
        return word[..n - 2].to_string();
    }
    if n >= 5
        && ["ches", "shes", "xes", "sses"]
            .iter()
            .any(|s| word.ends_with(s))
    {
        return word[..n - 2].to_string();
    }
    if word.ends_with('s') && !["ss", "us", "is"].iter().any(|s| word.ends_with(s)) {
        return word[..n - 1].to_string();
    }
    word.to_string()
}

/// True when the token opens a sentence or a line: what precedes it (after
/// spaces and quotes) is the text start, a line break or `.`, `!`, `?`, `:`.
fn sentence_initial(text: &str, tok: &Token) -> bool {
    for c in text[..tok.span.start].chars().rev() {
        match c {
            '\n' | '.' | '!' | '?' | ':' => return true,
            c if c.is_whitespace() => {}
            '"' | '\'' | '`' | '\u{201c}' | '\u{201d}' | '\u{2018}' | '\u{2019}' | '(' | '-' => {}
            _ => return false,
        }
    }
    true
}

/// True when only spaces (no line break or punctuation) separate two tokens.
fn adjacent(text: &str, a: &Token, b: &Token) -> bool {
    text[a.span.end..b.span.start]
        .chars()
        .all(|c| c == ' ' || c == '\t')
}

/// Raw term frequencies of one article (title and text).
pub fn term_counts(article: &Article) -> BTreeMap<String, u32> {
    let mut counts = BTreeMap::new();
    if let Some(title) = &article.title
        && !article.text.starts_with(title.as_str())
    {
        add_text(title, &mut counts);
    }
    add_text(&article.text, &mut counts);
    counts
}

fn add_text(text: &str, counts: &mut BTreeMap<String, u32>) {
    let toks = tokenize(text);
    let mut bump = |t: String| *counts.entry(t).or_insert(0) += 1;
    // Names: capitalised non-stopwords. A sentence-initial one counts only in
    // a multiword run or when the same word is capitalised mid-sentence too.
    let is_name: Vec<bool> = toks
        .iter()
        .map(|t| {
            t.capitalised
                && t.kind == TokenKind::Word
                && !is_stopword(&t.norm)
                && month(&t.norm).is_none()
        })
        .collect();
    let initial: Vec<bool> = toks.iter().map(|t| sentence_initial(text, t)).collect();
    let mid_names: std::collections::HashSet<&str> = toks
        .iter()
        .enumerate()
        .filter(|&(i, _)| is_name[i] && !initial[i])
        .map(|(_, t)| t.norm.as_str())
        .collect();
    let mut i = 0;
    while i < toks.len() {
        if !is_name[i] {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < toks.len() && is_name[j] && adjacent(text, &toks[j - 1], &toks[j]) && !initial[j]
        {
            j += 1;
        }
        let run = &toks[i..j];
        if run.len() > 1 {
            let joined: Vec<&str> = run.iter().map(|t| t.norm.as_str()).collect();
            bump(format!("e:{}", joined.join(" ")));
        }
        for (k, t) in run.iter().enumerate() {
            if run.len() > 1 || !initial[i + k] || mid_names.contains(t.norm.as_str()) {
                bump(format!("e:{}", t.norm));
            }
        }
        i = j;
    }
    for (i, t) in toks.iter().enumerate() {
        match t.kind {
            TokenKind::Word => {
                if let Some(m) = month(&t.norm) {
                    // "March 11" / "11 March"; a bare month is a weak word.
                    if let Some(d) = toks.get(i + 1).and_then(day) {
                        bump(format!("d:{m:02}-{d:02}"));
                    } else if let Some(d) = i.checked_sub(1).and_then(|p| day(&toks[p])) {
                        bump(format!("d:{m:02}-{d:02}"));
                    }
                }
                if t.norm.len() > 1 && !is_stopword(&t.norm) {
                    bump(format!("w:{}", stem(&t.norm)));
                }
            }
            TokenKind::Number => {
                if let Some(y) = year(t) {
                    bump(format!("y:{y}"));
                } else if day(t).is_none() || !neighbours_month(&toks, i) {
                    let n: String = t.norm.chars().filter(|&c| c != ',').collect();
                    let n = n.trim_start_matches('0');
                    if !n.is_empty() {
                        bump(format!("n:{n}"));
                    }
                }
            }
        }
    }
}

fn neighbours_month(toks: &[Token], i: usize) -> bool {
    let before = i
        .checked_sub(1)
        .is_some_and(|p| month(&toks[p].norm).is_some());
    let after = toks.get(i + 1).is_some_and(|t| month(&t.norm).is_some());
    before || after
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> Vec<String> {
        let a = Article {
            text: text.into(),
            ..Default::default()
        };
        term_counts(&a).into_keys().collect()
    }

    #[test]
    fn table() {
        let cases: &[(&str, &[&str], &[&str])] = &[
            (
                "Rescuers in Port Avalon searched on March 11, 2024.",
                &[
                    "e:port avalon",
                    "e:port",
                    "e:avalon",
                    "d:03-11",
                    "y:2024",
                    "w:rescuer",
                    "w:search",
                ],
                &["e:rescuers", "n:11"],
            ),
            (
                "Officials said a 6.1 magnitude quake hit Veloria.",
                &["e:veloria", "n:6.1", "w:quake", "w:official"],
                &["e:officials"],
            ),
            (
                "Talks resumed on 4 June.",
                &["d:06-04", "w:talk", "w:resum"],
                &["n:4"],
            ),
        ];
        for (text, want, not) in cases {
            let got = terms(text);
            for w in *want {
                assert!(got.iter().any(|g| g == w), "{text}: missing {w} in {got:?}");
            }
            for n in *not {
                assert!(
                    !got.iter().any(|g| g == n),
                    "{text}: unexpected {n} in {got:?}"
                );
            }
        }
    }

    #[test]
    fn stems() {
        for (w, s) in [
            ("talks", "talk"),
            ("cities", "city"),
            ("searched", "search"),
            ("crisis", "crisis"),
            ("bus", "bus"),
            ("cases", "case"),
            ("matches", "match"),
        ] {
            assert_eq!(stem(w), s, "{w}");
        }
    }
}
