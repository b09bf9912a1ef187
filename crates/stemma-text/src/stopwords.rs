/// English function words, sorted for binary search.
const STOPWORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "after",
    "again",
    "against",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "down",
    "during",
    "each",
    "few",
    "for",
    "from",
    "further",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "it's",
    "its",
    "itself",
    "just",
    "me",
    "more",
    "most",
    "my",
    "myself",
    "no",
    "nor",
    "not",
    "now",
    "of",
    "off",
    "on",
    "once",
    "only",
    "or",
    "other",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "said",
    "same",
    "she",
    "should",
    "so",
    "some",
    "such",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "too",
    "under",
    "until",
    "up",
    "very",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "would",
    "you",
    "your",
    "yours",
    "yourself",
];

/// True for English function words (`the`, `of`, `said`, ...). Expects a
/// lower-cased token.
pub fn is_stopword(word: &str) -> bool {
    // Every stopword is 1 to 15 ASCII bytes: compare packed 16-byte words
    // within the (short) run of list entries sharing the first letter.
    let b = word.as_bytes();
    if b.is_empty() || b.len() > 15 || !b[0].is_ascii_lowercase() {
        return false;
    }
    let (lo, hi) = by_letter()[usize::from(b[0] - b'a')];
    let key = pack(b);
    packed()[lo..hi].contains(&key)
}

/// `word` (at most 15 bytes) as one integer: its bytes, zero-padded, and
/// its length in the last byte.
fn pack(word: &[u8]) -> u128 {
    let mut a = [0u8; 16];
    a[..word.len()].copy_from_slice(word);
    a[15] = word.len() as u8;
    u128::from_le_bytes(a)
}

/// The list packed with [`pack`], in list order.
fn packed() -> &'static [u128] {
    static P: std::sync::OnceLock<Vec<u128>> = std::sync::OnceLock::new();
    P.get_or_init(|| STOPWORDS.iter().map(|w| pack(w.as_bytes())).collect())
}

/// For each letter `a..=z`, the range of list entries starting with it.
fn by_letter() -> &'static [(usize, usize); 26] {
    static R: std::sync::OnceLock<[(usize, usize); 26]> = std::sync::OnceLock::new();
    R.get_or_init(|| {
        let mut r = [(0, 0); 26];
        for (l, slot) in r.iter_mut().enumerate() {
            let c = b'a' + l as u8;
            let lo = STOPWORDS.partition_point(|w| w.as_bytes()[0] < c);
            let hi = STOPWORDS.partition_point(|w| w.as_bytes()[0] <= c);
            *slot = (lo, hi);
        }
        r
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn list_is_sorted() {
        assert!(super::STOPWORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(super::is_stopword("the"));
        assert!(!super::is_stopword("ceasefire"));
        for w in super::STOPWORDS {
            assert!(w.len() <= 15 && w.bytes().all(|b| b.is_ascii_lowercase() || b == b'\''), "{w}");
            assert!(super::is_stopword(w), "{w}");
            for cut in 0..w.len() {
                assert!(!super::is_stopword(&w[..cut]) || super::STOPWORDS.contains(&&w[..cut]));
            }
            assert!(!super::is_stopword(&format!("{w}x")) || super::STOPWORDS.contains(&format!("{w}x").as_str()));
        }
        for w in ["", "the\0", "The", "théâtre", "x", "yourselves"] {
            assert_eq!(super::is_stopword(w), super::STOPWORDS.contains(&w), "{w}");
        }
    }
}
