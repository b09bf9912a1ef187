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

/// One token as [`for_each_token`] sees it: like [`Token`], with the
/// normalised form borrowed (from the text when it is already lower case,
/// else from a buffer reused for the next token).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenRef<'a> {
    /// Where it stands in the text.
    pub span: Span,
    /// Lower-cased form, inner punctuation kept (`don't`, `1,200`).
    pub norm: &'a str,
    /// Word or number.
    pub kind: TokenKind,
    /// True when the original starts with an upper-case letter.
    pub capitalised: bool,
}

/// The character starting at byte `i` of `text` and its length in bytes.
#[inline]
fn char_at(text: &str, i: usize) -> (char, usize) {
    let b = text.as_bytes()[i];
    if b.is_ascii() {
        (b as char, 1)
    } else {
        let c = text[i..].chars().next().unwrap_or('\0');
        (c, c.len_utf8())
    }
}

/// Classes of an ASCII byte, as bits: letter, digit, upper case.
const ALPHA: u8 = 1;
const DIGIT: u8 = 2;
const UPPER: u8 = 4;
/// The classes of each ASCII byte (0 for the rest).
const CLASS: [u8; 128] = {
    let mut t = [0u8; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        t[b] = if c.is_ascii_uppercase() {
            ALPHA | UPPER
        } else if c.is_ascii_lowercase() {
            ALPHA
        } else if c.is_ascii_digit() {
            DIGIT
        } else {
            0
        };
        b += 1;
    }
    t
};

/// Each byte's high bit.
const HIGH: u64 = 0x8080_8080_8080_8080;

/// `b` in every byte.
const fn bytes_of(b: u8) -> u64 {
    0x0101_0101_0101_0101 * b as u64
}

/// The high bit of each byte of `x` that is an ASCII byte in `lo..=hi`
/// (SWAR: no carry crosses a byte, as the high bits are cleared first).
fn in_range(x: u64, lo: u8, hi: u8) -> u64 {
    let y = x & !HIGH;
    let ge = y.wrapping_add(bytes_of(0x80 - lo));
    let gt = y.wrapping_add(bytes_of(0x7F - hi));
    ge & !gt & !x & HIGH
}

/// How many of the 8 bytes of `x` (little-endian: text order) are ASCII
/// letters or digits before the first that is not, and the [`CLASS`] bits
/// of those bytes.
fn ascii_alnum_run(x: u64) -> (usize, u8) {
    let digit = in_range(x, b'0', b'9');
    // Letters of either case (bit 5 set maps `A..=Z` onto `a..=z`, and no
    // other ASCII byte into it); upper case where bit 5 was clear.
    let letter = in_range(x | bytes_of(0x20), b'a', b'z');
    let upper = letter & !(x << 2);
    let alnum = digit | letter;
    let run = ((!alnum & HIGH).trailing_zeros() / 8) as usize;
    let keep = if run == 8 {
        u64::MAX
    } else {
        (1u64 << (8 * run)) - 1
    };
    let mut classes = 0;
    if letter & keep != 0 {
        classes |= ALPHA;
    }
    if digit & keep != 0 {
        classes |= DIGIT;
    }
    if upper & keep != 0 {
        classes |= UPPER;
    }
    (run, classes)
}

/// The classes of a character (non-ASCII: letter and digit as Unicode says,
/// never [`UPPER`], which marks ASCII upper case only).
#[inline]
fn class_of(c: char) -> u8 {
    if c.is_ascii() {
        CLASS[c as usize]
    } else {
        (u8::from(c.is_alphabetic()) * ALPHA) | (u8::from(c.is_numeric()) * DIGIT)
    }
}

/// Calls `f` on every word and number of `text`, in order, without
/// allocating per token: the rules of [`tokenize`] (which is built on it),
/// for callers that only need to look at each token once.
pub fn for_each_token(text: &str, mut f: impl FnMut(TokenRef<'_>)) {
    let len = text.len();
    let bytes = text.as_bytes();
    let mut buf = String::new();
    let mut i = 0;
    while i < len {
        // Skip ASCII non-alphanumerics quickly.
        let b = bytes[i];
        // The first character: its length, whether it is a digit (numeric)
        // or upper case (capitalised), its classes.
        let (l, numeric, capitalised, first) = if b.is_ascii() {
            let k = CLASS[usize::from(b)];
            if k == 0 {
                i += 1;
                continue;
            }
            (1, k & DIGIT != 0, k & UPPER != 0, k)
        } else {
            let (c, l) = char_at(text, i);
            if !c.is_alphanumeric() {
                i += l;
                continue;
            }
            (l, c.is_numeric(), c.is_uppercase(), class_of(c))
        };
        let start = i;
        let mut ascii = b.is_ascii();
        // Union of the classes of the token's characters.
        let mut seen = first;
        let mut j = i + l;
        let mut end;
        loop {
            // ASCII letters and digits, eight at a time while they last.
            while j + 8 <= len {
                let mut w = [0u8; 8];
                w.copy_from_slice(&bytes[j..j + 8]);
                let (run, classes) = ascii_alnum_run(u64::from_le_bytes(w));
                seen |= classes;
                j += run;
                if run < 8 {
                    break;
                }
            }
            while j < len {
                let b = bytes[j];
                if b.is_ascii() {
                    let k = CLASS[usize::from(b)];
                    if k == 0 {
                        break;
                    }
                    seen |= k;
                    j += 1;
                } else {
                    let (d, dl) = char_at(text, j);
                    if !d.is_alphanumeric() {
                        break;
                    }
                    ascii = false;
                    seen |= class_of(d);
                    j += dl;
                }
            }
            end = j;
            if j >= len {
                break;
            }
            // Inner joiners: keep when followed by an alphanumeric.
            let (d, dl) = char_at(text, j);
            let joiner =
                matches!(d, '\'' | '\u{2019}' | '-') || (numeric && matches!(d, '.' | ','));
            if joiner && j + dl < len {
                let (e, _) = char_at(text, j + dl);
                if e.is_alphanumeric() && (!numeric || e.is_numeric() || d == '-' || d == '\'') {
                    ascii &= d.is_ascii();
                    j += dl;
                    continue;
                }
            }
            break;
        }
        let raw = &text[start..end];
        let norm: &str = if ascii && seen & UPPER == 0 {
            raw
        } else {
            buf.clear();
            if ascii {
                buf.extend(raw.bytes().map(|b| b.to_ascii_lowercase() as char));
            } else {
                buf.extend(
                    raw.chars()
                        .map(|c| if c == '\u{2019}' { '\'' } else { c })
                        .flat_map(char::to_lowercase),
                );
            }
            &buf
        };
        let kind = if seen & DIGIT != 0 && seen & ALPHA == 0 {
            TokenKind::Number
        } else {
            TokenKind::Word
        };
        f(TokenRef {
            span: Span::new(start, end),
            norm,
            kind,
            capitalised,
        });
        i = end;
    }
}

/// Splits `text` into words and numbers; punctuation and spaces are dropped.
/// Spans are byte offsets into `text`, in order and non-overlapping.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    for_each_token(text, |t| {
        out.push(Token {
            span: t.span,
            norm: t.norm.to_owned(),
            kind: t.kind,
            capitalised: t.capitalised,
        });
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The tokenizer as first written (one `String` per token, char by
    /// char): [`tokenize`] and [`for_each_token`] must agree with it.
    fn reference(text: &str) -> Vec<Token> {
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
                break;
            }
            let raw = &text[start..end];
            let norm: String = raw
                .chars()
                .map(|c| if c == '\u{2019}' { '\'' } else { c })
                .flat_map(char::to_lowercase)
                .collect();
            let kind =
                if raw.chars().any(|c| c.is_numeric()) && !raw.chars().any(char::is_alphabetic) {
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

    #[test]
    fn swar_runs() {
        for (text, run, classes) in [
            ("abcdefgh", 8, ALPHA),
            ("abC1 xyz", 4, ALPHA | UPPER | DIGIT),
            (" abcdefg", 0, 0),
            ("12345678", 8, DIGIT),
            ("ab\u{e9}cdef", 2, ALPHA),
            ("Zz09@[`{", 4, ALPHA | UPPER | DIGIT),
            ("/:@[`{\u{7f}A", 0, 0),
        ] {
            let mut w = [0u8; 8];
            w.copy_from_slice(&text.as_bytes()[..8]);
            assert_eq!(
                ascii_alnum_run(u64::from_le_bytes(w)),
                (run, classes),
                "{text:?}"
            );
        }
    }

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
        fn agrees_with_the_reference(s in "([a-zA-Z0-9 .,'\u{2019}\\-]|\\PC|[ÉéßİΣ٣Ⅻ½]){0,60}") {
            prop_assert_eq!(tokenize(&s), reference(&s));
        }

        #[test]
        fn agrees_with_the_reference_on_long_words(
            s in "[a-zA-Z0-9]{0,20}([ .,'\u{2019}\\-][a-zA-Z0-9É٣]{0,20}){0,10}"
        ) {
            prop_assert_eq!(tokenize(&s), reference(&s));
        }

        #[test]
        fn agrees_with_the_reference_on_any_text(s in "\\PC{0,200}") {
            prop_assert_eq!(tokenize(&s), reference(&s));
        }

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
