//! Where in a text a plain credit line ("Source: bbc.com") names the
//! page's source. Shared by extraction (the citations it reads) and the
//! verifier (its last-resort citation rule).

/// Words of a line that reads as prose rather than a credit or a label.
const PROSE_WORDS: usize = 12;

/// The non-empty lines of `text`, each with whether it stands where a plain
/// credit names the page's source: the first line, or below the last line
/// of prose (twelve words or more). Inside the text, a "Source:" line
/// captions a chart or a photo.
pub fn credit_lines(text: &str) -> Vec<(&str, bool)> {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let last_prose = lines
        .iter()
        .rposition(|l| l.split_whitespace().count() >= PROSE_WORDS);
    lines
        .into_iter()
        .enumerate()
        .map(|(k, l)| (l, k == 0 || last_prose.is_none_or(|p| k >= p)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::credit_lines;

    #[test]
    fn credits_open_or_close_a_text() {
        let prose = "The river rose by two metres overnight and the council opened the school.";
        let text = format!(
            "Via wire.example\n{prose}\nSource: chart.example\n\n{prose}\nSource: wire.example\nShare"
        );
        let got: Vec<bool> = credit_lines(&text).into_iter().map(|(_, c)| c).collect();
        assert_eq!(got, [true, false, false, true, true, true]);
        // No prose at all: every line may credit.
        assert!(
            credit_lines("Short.\nSource: x.example")
                .iter()
                .all(|(_, c)| *c)
        );
    }
}
