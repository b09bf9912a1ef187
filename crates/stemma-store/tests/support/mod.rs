//! Made-up news text shared by the store's process-level tests.
#![allow(dead_code)]

/// A small seeded generator (xorshift64*), so runs are reproducible.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
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
    let w: Vec<&str> = (0..n)
        .map(|_| WORDS[rng.below(WORDS.len() as u64) as usize])
        .collect();
    w.join(" ")
}
