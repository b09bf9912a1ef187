//! Two marks of a rewritten text, read to tell a source from its rewrite:
//! direct quotations (a rewrite turns quoted speech into reported speech far
//! more often than the other way round, and may not invent a quote), and
//! the vocabulary machine rewriters over-use.
use stemma_core::Span;

/// Words that text written or rewritten by large language models uses far
/// more often than people's writing does, sorted for binary search. Chosen
/// from published counts of "excess vocabulary" after 2023 (Kobak et al.
/// 2024, Liang et al. 2024: "delves", "showcasing", "underscores",
/// "pivotal", "intricate", ...) and the reporting verbs and connectives such
/// models put in place of "said" and "also"; not fit on any labelled set.
const REWRITER_WORDS: &[&str] = &[
    "additionally",
    "amidst",
    "bolster",
    "bolstered",
    "bolstering",
    "commendable",
    "comprehensive",
    "crucial",
    "delve",
    "delved",
    "delves",
    "delving",
    "emphasise",
    "emphasised",
    "emphasises",
    "emphasising",
    "emphasize",
    "emphasized",
    "emphasizes",
    "emphasizing",
    "enhance",
    "enhanced",
    "enhancing",
    "foster",
    "fostered",
    "fostering",
    "furthermore",
    "garner",
    "garnered",
    "heightened",
    "highlighted",
    "highlighting",
    "individuals",
    "intricate",
    "invaluable",
    "meticulous",
    "meticulously",
    "moreover",
    "navigate",
    "navigating",
    "notably",
    "noteworthy",
    "numerous",
    "pivotal",
    "realm",
    "showcase",
    "showcased",
    "showcases",
    "showcasing",
    "significant",
    "significantly",
    "substantial",
    "tapestry",
    "testament",
    "underscore",
    "underscored",
    "underscores",
    "underscoring",
    "utilise",
    "utilize",
    "vibrant",
];

/// True for a lower-cased word that machine rewriters over-use.
pub fn is_rewriter_word(norm: &str) -> bool {
    REWRITER_WORDS.binary_search(&norm).is_ok()
}

/// The quoted passages of `text`, quotation marks included, as half-open
/// byte spans. A straight double quote opens when it follows a space, a line
/// start or an opening bracket and comes before a word, and closes
/// otherwise; curly ones go by their shape. An opening mark inside an open
/// quotation continues it (a quotation running over several paragraphs
/// opens each one anew), and a quotation still open at a line's end ends
/// there, so a stray mark cannot quote the rest of a text. Marks around the
/// whole text wrap it (a pasted or generated copy) and quote nothing.
pub fn quoted_spans(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut open: Option<usize> = None;
    let mut prev = ' ';
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map_or(' ', |&(_, n)| n);
        let opening = match c {
            '\u{201c}' => Some(true),
            '\u{201d}' => Some(false),
            '"' => Some(
                (prev.is_whitespace() || matches!(prev, '(' | '[' | '{')) && !next.is_whitespace(),
            ),
            _ => None,
        };
        match (opening, open) {
            (Some(true), None) => open = Some(i),
            (Some(false), Some(s)) => {
                out.push(Span::new(s, i + c.len_utf8()));
                open = None;
            }
            (None, Some(s)) if c == '\n' => {
                out.push(Span::new(s, i));
                open = None;
            }
            _ => {}
        }
        prev = c;
    }
    if let Some(s) = open {
        out.push(Span::new(s, text.len()));
    }
    let body = text.trim();
    if !body.is_empty() {
        let start = text.len() - text.trim_start().len();
        let whole = Span::new(start, start + body.len());
        out.retain(|s| *s != whole);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_word_list_is_sorted_and_lower_case() {
        assert!(REWRITER_WORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(
            REWRITER_WORDS
                .iter()
                .all(|w| w.chars().all(|c| c.is_ascii_lowercase()))
        );
        assert!(is_rewriter_word("underscored"));
        assert!(!is_rewriter_word("said"));
    }

    #[test]
    fn quotations_are_found_by_their_marks() {
        let cases: &[(&str, &[&str])] = &[
            ("He said \"no way\" and left.", &["\"no way\""]),
            (
                "\u{201c}Yes,\u{201d} she said. \u{201c}Now.\u{201d}",
                &["\u{201c}Yes,\u{201d}", "\u{201c}Now.\u{201d}"],
            ),
            // A quotation over two paragraphs reopens the second one.
            (
                "She said: \"It burned. \"Nobody saw it.\" Police came.",
                &["\"It burned. \"Nobody saw it.\""],
            ),
            // One left open ends with its line.
            (
                "A stray \"mark here\nthen \"a quote\".",
                &["\"mark here", "\"a quote\""],
            ),
            ("A 12\" pipe.", &[]),
            // Marks around the whole text wrap it.
            ("\"Storm hits. More later.\"\n", &[]),
            ("\"Storm hits,\" he said.", &["\"Storm hits,\""]),
            ("No quotes here.", &[]),
            ("  \n ", &[]),
            (
                "Open \u{201c}twice \u{201c}inner\u{201d} end",
                &["\u{201c}twice \u{201c}inner\u{201d}"],
            ),
        ];
        for (text, want) in cases {
            let got: Vec<&str> = quoted_spans(text)
                .iter()
                .map(|s| &text[s.start..s.end])
                .collect();
            assert_eq!(&got, want, "{text:?}");
        }
    }
}
