//! Sentences per second of the model and of the lexical fallback, on the same
//! made-up news sentences.
//!
//! ```text
//! cargo run --release -p stemma-embed --example throughput -- [SENTENCES]
//! ```
//!
//! The model is found as `stemma_embed::load_default` finds it
//! (`$STEMMA_MODEL_DIR`, `models/all-minilm-l6-v2`).

use std::time::Instant;

use stemma_embed::{Embedder, HashingEmbedder};

const SUBJECTS: &[&str] = &[
    "The regional transport authority",
    "A spokesperson for the hospital trust",
    "Residents of the coastal village",
    "The national football federation",
    "Officials at the environment ministry",
    "The largest supermarket chain",
    "Firefighters from three neighbouring towns",
    "The university's board of governors",
];
const VERBS: &[&str] = &[
    "announced on Monday that",
    "confirmed late last night that",
    "warned in a statement that",
    "told reporters at a press conference that",
];
const CLAIMS: &[&str] = &[
    "services would be cut by a fifth over the coming winter months.",
    "a new investigation into the spending of public funds had been opened.",
    "the cost of the delayed project had risen to more than 40 million euros.",
    "hundreds of jobs could be at risk if the merger went ahead as planned.",
    "the flooding had caused damage to at least 120 homes and two schools.",
    "the decision would be reviewed by an independent panel before the summer.",
    "prices for customers were expected to stay unchanged until next year.",
    "the missing hiker had been found safe after a two-day search in the hills.",
];

fn sentences(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| {
            let s = SUBJECTS[i % SUBJECTS.len()];
            let v = VERBS[(i / SUBJECTS.len()) % VERBS.len()];
            let c = CLAIMS[(i / (SUBJECTS.len() * VERBS.len())) % CLAIMS.len()];
            format!("{s} {v} {c}")
        })
        .collect()
}

/// Sentences per second of `e` over `sentences`, after one warm-up call.
fn rate(e: &dyn Embedder, sentences: &[&str]) -> f64 {
    e.embed(&sentences[..sentences.len().min(8)]);
    let start = Instant::now();
    let v = e.embed(sentences);
    let secs = start.elapsed().as_secs_f64();
    assert_eq!(v.len(), sentences.len());
    sentences.len() as f64 / secs
}

fn main() {
    let n = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(512);
    let owned = sentences(n);
    let sentences: Vec<&str> = owned.iter().map(String::as_str).collect();
    let words = sentences
        .iter()
        .map(|s| s.split_whitespace().count())
        .sum::<usize>() as f64
        / n as f64;
    println!("{n} made-up sentences, {words:.1} words each on average");

    let fallback = HashingEmbedder::default();
    let fallback_rate = rate(&fallback, &sentences);
    println!("{:<20} {fallback_rate:>12.0} sentences/s", fallback.name());

    let load = Instant::now();
    match stemma_embed::load_default() {
        Some(model) => {
            let load_secs = load.elapsed().as_secs_f64();
            let model_rate = rate(model.as_ref(), &sentences);
            println!(
                "{:<20} {model_rate:>12.1} sentences/s (loaded in {load_secs:.2} s)",
                model.name()
            );
            println!("fallback / model    {:>12.0}x", fallback_rate / model_rate);
        }
        None => println!("no model found: run scripts/fetch-model.sh"),
    }
}
