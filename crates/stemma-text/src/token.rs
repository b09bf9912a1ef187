use stemma_core::Span;

/// What a token is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// Letters (with inner apostrophes or hyphens).
    Word,
    /// Digits, possibly with inner `.` or `,` (`3.5`, `1,200`).
    Number,
}

/// One word or number of a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Where it stands in the text.
    pub span: Span,
    /// Lower-cased form, inner punctuation kept (`don't`, `1,200`).
    pub norm: String,
    /// Word or number.
    pub kind: TokenKind,
    /// True when the original starts with an upper-case letter.
    pub capitalised: bool,
}

/// Splits `text` into words and numbers; punctuation and spaces are dropped.
/// Spans are byte offsets into `text`, in order and non-overlapping.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut it = text.char_indices().peekable();
    while let Some((start, c)) = it.next() {
        if !c.is_alphanumeric() {
            continue;
        }
        let numeric = c.is_numeric();
        let mut end = start + c.len_utf8();
        while let Some(&(i, d)) = it.peek() {
            if d.is_alphanumeric() {
                end = i + d.len_utf8();
                it.next();
                continue;
            }
            // Inner joiners: keep when followed by an alphanumeric.
            let joiner =
                matches!(d, '\'' | '\u{2019}' | '-') || (numeric && matches!(d, '.' | ','));
            if joiner {
                let mut look = it.clone();
                look.next();
                if let Some(&(_, e)) = look.peek()
                    && e.is_alphanumeric()
                    && (!numeric || e.is_numeric() || d == '-' || d == '\'')
                {
                    it.next();
                    continue;
                }
            }
            let _ = i;
            break;
        }
        let raw = &text[start..end];
        let norm: String = raw
            .chars()
            .map(|c| if c == '\u{2019}' { '\'' } else { c })
            .flat_map(char::to_lowercase)
            .collect();
        let kind = if raw.chars().any(|c| c.is_numeric()) && !raw.chars().any(char::is_alphabetic) {
            TokenKind::Number
        } else {
            TokenKind::Word
        };
        out.push(Token {
            span: Span::new(start, end),
            norm,
            kind,
            capitalised: c.is_uppercase(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn table() {
        let cases: &[(&str, &[&str])] = &[
            (
                "Officials said 1,200 people",
                &["officials", "said", "1,200", "people"],
            ),
            (
                "It's a well-known fact.",
                &["it's", "a", "well-known", "fact"],
            ),
            ("3.5% rise, not 4.", &["3.5", "rise", "not", "4"]),
            (
                "Dublin's “Eire” — final 12 months",
                &["dublin's", "eire", "final", "12", "months"],
            ),
            ("", &[]),
        ];
        for (text, want) in cases {
            let got: Vec<_> = tokenize(text).into_iter().map(|t| t.norm).collect();
            assert_eq!(&got, want, "{text}");
        }
    }

    proptest! {
        #[test]
        fn spans_are_ordered_and_on_boundaries(s in "\\PC{0,200}") {
            let toks = tokenize(&s);
            let mut last = 0;
            for t in &toks {
                prop_assert!(t.span.start >= last);
                prop_assert!(t.span.start < t.span.end);
                prop_assert!(t.span.slice(&s).is_some());
                last = t.span.end;
            }
        }
    }
}
