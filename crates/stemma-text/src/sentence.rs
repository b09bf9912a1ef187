use stemma_core::Span;

/// Abbreviations after which a period does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "gen", "col", "lt", "sgt", "capt", "gov",
    "sen", "rep", "rev", "inc", "ltd", "co", "corp", "vs", "etc", "no", "jan", "feb", "mar", "apr",
    "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "u.k", "e.g", "i.e", "mt",
    "ft", "approx", "dept", "est", "fig",
];

/// Splits `text` into sentences. Each span is trimmed of surrounding
/// whitespace; blank lines and line ends after a heading also end sentences.
pub fn sentences(text: &str) -> Vec<Span> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let mut cut = None;
        if b == b'\n' {
            // A line break ends a sentence when the line looks complete
            // (blank line follows, or no lower-case continuation).
            let next_nonspace = text[i + 1..].trim_start_matches([' ', '\t', '\r']);
            let blank = next_nonspace.starts_with('\n') || next_nonspace.is_empty();
            let cont = next_nonspace
                .chars()
                .next()
                .is_some_and(|c| c.is_lowercase());
            if blank || !cont {
                cut = Some(i);
            }
        } else if matches!(b, b'.' | b'!' | b'?') {
            // Swallow closing quotes/brackets and repeated marks.
            let mut j = i + 1;
            while j < bytes.len() && matches!(bytes[j], b'.' | b'!' | b'?' | b'"' | b'\'' | b')') {
                j += 1;
            }
            let rest = &text[j..];
            for q in ['\u{201d}', '\u{2019}'] {
                if rest.starts_with(q) {
                    j += q.len_utf8();
                }
            }
            let rest = &text[j..];
            let followed_by_space = rest.is_empty() || rest.starts_with(char::is_whitespace);
            let next_word = rest.trim_start().chars().next();
            let next_ok = next_word.is_none_or(|c| {
                c.is_uppercase() || c.is_numeric() || matches!(c, '"' | '\u{201c}' | '\'' | '(')
            });
            // Sentences glued without a space ("rose 2%.Shares fell"):
            // a lower-case word or figure, a stop, then a capitalised word.
            let glued = !followed_by_space && j == i + 1 && is_glued(&text[start..i], rest);
            if (followed_by_space && next_ok || glued)
                && !(b == b'.' && is_abbreviation(&text[start..i]))
            {
                cut = Some(j);
            }
        }
        if let Some(end) = cut {
            push_trimmed(text, start, end, &mut out);
            start = end;
            i = end.max(i + 1);
        } else {
            i += 1;
        }
    }
    push_trimmed(text, start, bytes.len(), &mut out);
    out
}

fn is_glued(before: &str, after: &str) -> bool {
    let mut prev = before.chars().rev();
    let p1 = prev.next();
    let p2 = prev.next();
    let mut next = after.chars();
    let n1 = next.next();
    let n2 = next.next();
    let word_before = match (p1, p2) {
        (Some(a), Some(b)) => {
            (a.is_lowercase() && b.is_lowercase()) || matches!(a, '%' | ')' | '"') || a.is_numeric()
        }
        _ => false,
    };
    word_before && n1.is_some_and(char::is_uppercase) && n2.is_some_and(char::is_lowercase)
}

fn is_abbreviation(before: &str) -> bool {
    let word = before
        .rsplit(|c: char| c.is_whitespace() || c == '(')
        .next()
        .unwrap_or("");
    let lower = word.to_lowercase();
    // Single capital letters: initials ("J. Smith").
    if word.chars().count() == 1 && word.chars().all(char::is_uppercase) {
        return true;
    }
    ABBREVIATIONS.contains(&lower.as_str())
}

fn push_trimmed(text: &str, start: usize, end: usize, out: &mut Vec<Span>) {
    let piece = &text[start..end];
    let lead = piece.len() - piece.trim_start().len();
    let trail = piece.len() - piece.trim_end().len();
    if lead + trail < piece.len() {
        out.push(Span::new(start + lead, end - trail));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn split(t: &str) -> Vec<&str> {
        sentences(t)
            .into_iter()
            .map(|s| &t[s.start..s.end])
            .collect()
    }

    #[test]
    fn table() {
        let cases: &[(&str, &[&str])] = &[
            ("One. Two!  Three?", &["One.", "Two!", "Three?"]),
            (
                "Dr. Smith met Mr. J. Doe in the U.S. capital. Then left.",
                &[
                    "Dr. Smith met Mr. J. Doe in the U.S. capital.",
                    "Then left.",
                ],
            ),
            (
                "He said \"yes.\" She agreed.",
                &["He said \"yes.\"", "She agreed."],
            ),
            (
                "Headline here\n\nBody starts. It ends.",
                &["Headline here", "Body starts.", "It ends."],
            ),
            (
                "Prices rose 3.5 per cent. Good.",
                &["Prices rose 3.5 per cent.", "Good."],
            ),
            (
                "Sales rose 2%.Shares fell to $1.5bn.For now, calm.",
                &["Sales rose 2%.", "Shares fell to $1.5bn.", "For now, calm."],
            ),
            (
                "See bbc.com or news.BBC for more.",
                &["See bbc.com or news.BBC for more."],
            ),
            ("", &[]),
        ];
        for (text, want) in cases {
            assert_eq!(&split(text), want, "{text}");
        }
    }

    proptest! {
        #[test]
        fn spans_are_ordered_trimmed_and_on_boundaries(s in "\\PC{0,300}") {
            let mut last = 0;
            for sp in sentences(&s) {
                prop_assert!(sp.start >= last && sp.start < sp.end);
                let piece = sp.slice(&s).unwrap();
                prop_assert_eq!(piece, piece.trim());
                last = sp.end;
            }
        }
    }
}
