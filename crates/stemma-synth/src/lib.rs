//! Made-up text for tests and examples (the store's crash and recovery
//! tests, the bad-input corpus, the server's load generator, the stable
//! fuzz driver's mutations): a small seeded
//! generator, so that every run is reproducible, and the plain news words
//! the made-up articles are drawn from. Pure, no dependencies; no crate uses
//! it outside tests and examples.
#![deny(missing_docs)]

/// A seeded xorshift64* generator.
#[derive(Debug, Clone)]
pub struct Rng(pub u64);

impl Rng {
    /// A generator from `seed` (0, which would stay 0, becomes 1).
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    /// The next 64 random bits.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next() % n }
    }

    /// A word of [`WORDS`].
    pub fn word(&mut self) -> &'static str {
        WORDS[self.below(WORDS.len() as u64) as usize]
    }
}

/// The words the made-up articles are drawn from.
pub const WORDS: &[&str] = &[
    "council",
    "harbour",
    "river",
    "school",
    "market",
    "festival",
    "bridge",
    "library",
    "train",
    "weather",
    "museum",
    "garden",
    "village",
    "station",
    "orchestra",
    "farmers",
    "cyclists",
    "mayor",
    "budget",
    "repairs",
    "volunteers",
    "storm",
    "ferry",
    "bakery",
    "comet",
    "choir",
    "opened",
    "closed",
    "announced",
    "delayed",
    "celebrated",
    "measured",
    "planted",
    "rebuilt",
    "on",
    "the",
    "a",
    "after",
    "before",
    "with",
    "new",
    "old",
    "small",
    "quiet",
    "busy",
    "late",
];

/// `n` words drawn from [`WORDS`], joined by spaces.
pub fn words(rng: &mut Rng, n: u64) -> String {
    let w: Vec<&str> = (0..n).map(|_| rng.word()).collect();
    w.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_text() {
        let (mut a, mut b) = (Rng::new(7), Rng::new(7));
        assert_eq!(words(&mut a, 20), words(&mut b, 20));
        assert_ne!(words(&mut a, 20), words(&mut Rng::new(8), 20));
        assert_eq!(Rng::new(0).0, 1);
        assert!((0..1000).all(|_| a.below(5) < 5));
    }
}
