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
    // Every stopword is 1 to 15 ASCII bytes: one probe sequence in an
    // open-addressing table of the packed words, built at compile time.
    let b = word.as_bytes();
    if b.is_empty() || b.len() > MAX_LEN {
        return false;
    }
    // `pack`, eight bytes at a time.
    let (lo, hi) = b.split_at(b.len().min(8));
    let word8 = |part: &[u8]| {
        part.iter()
            .rev()
            .fold(0u64, |a, &c| (a << 8) | u64::from(c))
    };
    let key = u128::from(word8(lo)) | (u128::from(word8(hi)) << 64) | ((b.len() as u128) << 120);
    let mut i = slot(key);
    loop {
        let t = TABLE[i];
        if t == key {
            return true;
        }
        if t == 0 {
            return false;
        }
        i = (i + 1) % TABLE_SIZE;
    }
}

/// The longest stopword, in bytes.
const MAX_LEN: usize = {
    let mut m = 0;
    let mut w = 0;
    while w < STOPWORDS.len() {
        if STOPWORDS[w].len() > m {
            m = STOPWORDS[w].len();
        }
        w += 1;
    }
    m
};

/// Slots of the stopword table (a power of two, at most half full).
const TABLE_SIZE: usize = 256;

/// `word` (at most 15 bytes) as one integer: its bytes, zero-padded, and
/// its length in the last byte (never 0).
const fn pack(word: &[u8]) -> u128 {
    let mut a = [0u8; 16];
    let mut i = 0;
    while i < word.len() {
        a[i] = word[i];
        i += 1;
    }
    a[15] = word.len() as u8;
    u128::from_le_bytes(a)
}

/// The first table slot of a packed word.
const fn slot(key: u128) -> usize {
    let h = (key as u64 ^ (key >> 64) as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (h >> 56) as usize % TABLE_SIZE
}

/// The packed stopwords by linear probing; 0 marks an empty slot.
const TABLE: [u128; TABLE_SIZE] = {
    let mut t = [0u128; TABLE_SIZE];
    let mut w = 0;
    while w < STOPWORDS.len() {
        let word = STOPWORDS[w].as_bytes();
        assert!(!word.is_empty() && word.len() <= 15);
        assert!(2 * STOPWORDS.len() <= TABLE_SIZE);
        let key = pack(word);
        let mut i = slot(key);
        while t[i] != 0 {
            i = (i + 1) % TABLE_SIZE;
        }
        t[i] = key;
        w += 1;
    }
    t
};

#[cfg(test)]
mod tests {
    #[test]
    fn list_is_sorted() {
        assert!(super::STOPWORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(super::is_stopword("the"));
        assert!(!super::is_stopword("ceasefire"));
        for w in super::STOPWORDS {
            assert!(
                w.len() <= 15 && w.bytes().all(|b| b.is_ascii_lowercase() || b == b'\''),
                "{w}"
            );
            assert!(super::is_stopword(w), "{w}");
            for cut in 0..w.len() {
                assert!(!super::is_stopword(&w[..cut]) || super::STOPWORDS.contains(&&w[..cut]));
            }
            assert!(
                !super::is_stopword(&format!("{w}x"))
                    || super::STOPWORDS.contains(&format!("{w}x").as_str())
            );
        }
        for w in ["", "the\0", "The", "théâtre", "x", "yourselves"] {
            assert_eq!(super::is_stopword(w), super::STOPWORDS.contains(&w), "{w}");
        }
    }
}
