//! Times incremental ingest into a fresh redb store with made-up documents:
//! `cargo run --release -p stemma-store --example ingest_timing -- [DOCS] [BATCH]`.
use std::time::Instant;

use stemma_core::{Body, RawDoc};
use stemma_store::{RedbStore, Store, ingest::ingest};

const WORDS: &[&str] = &[
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
];

fn main() {
    let mut args = std::env::args().skip(1);
    let docs: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(200);
    let batch: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(10);
    let dir = std::env::temp_dir().join(format!("stemma-timing-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let store = RedbStore::open(dir.join("t.db")).unwrap();
    let cfg = stemma_pipeline::Config::default();
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let raws: Vec<RawDoc> = (0..docs)
        .map(|d| {
            let text: Vec<&str> = (0..250)
                .map(|_| WORDS[(next() % WORDS.len() as u64) as usize])
                .collect();
            RawDoc {
                id: format!("d{d:05}"),
                url: None,
                published: None,
                origin: "timing".into(),
                body: Body::Text(format!("Report {d}\n{}.", text.join(" "))),
            }
        })
        .collect();
    let t = Instant::now();
    let mut last = Instant::now();
    for (i, chunk) in raws.chunks(batch).enumerate() {
        ingest(&store, chunk.to_vec(), &cfg).unwrap();
        if (i + 1) % 5 == 0 {
            println!(
                "{} docs stored, last 5 batches {:.2?}",
                (i + 1) * batch,
                last.elapsed()
            );
            last = Instant::now();
        }
    }
    let total = t.elapsed();
    let t = Instant::now();
    let again = ingest(&store, raws.clone(), &cfg).unwrap();
    println!(
        "ingest {docs} docs in batches of {batch}: {total:.2?}; re-ingest of all (skipped {}): {:.2?}; {:?}",
        again.skipped,
        t.elapsed(),
        store.counts().unwrap()
    );
    drop(store);
    std::fs::remove_dir_all(&dir).ok();
}
