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
    let key =
        u128::from(le_bytes(lo)) | (u128::from(le_bytes(hi)) << 64) | ((b.len() as u128) << 120);
    // Every stopword sits within `PROBES` slots of its first one: look at
    // all of them, without a branch on what each holds.
    let i = slot(key);
    let mut hit = false;
    for t in &TABLE[i..i + PROBES] {
        hit |= *t == key;
    }
    hit
}

/// Up to 8 bytes as a little-endian integer (zero-padded), read with at
/// most two overlapping loads instead of byte by byte.
#[inline]
fn le_bytes(part: &[u8]) -> u64 {
    let n = part.len();
    let u32_at = |i: usize| {
        let mut w = [0u8; 4];
        w.copy_from_slice(&part[i..i + 4]);
        u64::from(u32::from_le_bytes(w))
    };
    match n {
        0 => 0,
        1..=3 => {
            // First, middle and last byte (overlapping for 1 or 2).
            u64::from(part[0])
                | (u64::from(part[n / 2]) << (8 * (n / 2)))
                | (u64::from(part[n - 1]) << (8 * (n - 1)))
        }
        4..=7 => u32_at(0) | (u32_at(n - 4) << (8 * (n - 4))),
        _ => {
            let mut w = [0u8; 8];
            w.copy_from_slice(&part[..8]);
            u64::from_le_bytes(w)
        }
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

/// Slots a packed word can hash to (a power of two, at most a quarter full).
const TABLE_SIZE: usize = 512;

/// Slots after the last, so that linear probing never wraps around.
const PAD: usize = 16;

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
    // An odd multiplier picked (by trying random ones) so that no stopword
    // lies more than one slot past its first: two probes per lookup.
    let h = (key as u64 ^ (key >> 64) as u64).wrapping_mul(0x0DC4_61A5_F353_0B73);
    (h >> (64 - TABLE_SIZE.trailing_zeros())) as usize
}

/// The packed stopwords by linear probing (without wrapping around); 0
/// marks an empty slot.
const TABLE: [u128; TABLE_SIZE + PAD] = {
    let mut t = [0u128; TABLE_SIZE + PAD];
    let mut w = 0;
    while w < STOPWORDS.len() {
        let word = STOPWORDS[w].as_bytes();
        assert!(!word.is_empty() && word.len() <= 15);
        assert!(4 * STOPWORDS.len() <= TABLE_SIZE);
        let key = pack(word);
        let mut i = slot(key);
        while t[i] != 0 {
            i += 1;
        }
        t[i] = key;
        w += 1;
    }
    t
};

/// The longest probe sequence of a stopword: its distance from its first
/// slot, plus one.
const PROBES: usize = {
    let mut most = 1;
    let mut w = 0;
    while w < STOPWORDS.len() {
        let key = pack(STOPWORDS[w].as_bytes());
        let first = slot(key);
        let mut i = first;
        while TABLE[i] != key {
            i += 1;
        }
        if i - first + 1 > most {
            most = i - first + 1;
        }
        w += 1;
    }
    assert!(most <= PAD);
    most
};

// Keep lookups at two probes if the list changes (pick a new multiplier).
const _: () = assert!(PROBES <= 2);

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn agrees_with_the_list(w in "([a-z']{0,16}|\\PC{0,16})") {
            prop_assert_eq!(super::is_stopword(&w), super::STOPWORDS.contains(&w.as_str()));
        }

        #[test]
        fn agrees_with_the_list_near_stopwords(i in 0usize..128, cut in 0usize..12, extra in "[a-z]{0,3}") {
            let w = super::STOPWORDS[i % super::STOPWORDS.len()];
            let w = format!("{}{extra}", &w[..cut.min(w.len())]);
            prop_assert_eq!(super::is_stopword(&w), super::STOPWORDS.contains(&w.as_str()));
        }
    }

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
        for w in [
            "",
            "the\0",
            "The",
            "théâtre",
            "x",
            "yourselves",
            "ab",
            "abc",
            "abcdefgh",
            "abcdefghi",
        ] {
            assert_eq!(super::is_stopword(w), super::STOPWORDS.contains(&w), "{w}");
        }
    }
}
