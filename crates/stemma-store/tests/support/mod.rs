//! Made-up news text shared by the store's process-level tests: the
//! workspace's one seeded generator and word list (stemma-synth).
#![allow(unused_imports)]

pub use stemma_synth::{Rng, WORDS, words};
