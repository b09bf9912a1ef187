//! Times incremental ingest into a fresh redb store with made-up documents:
//! `cargo run --release -p stemma-store --example ingest_timing -- [DOCS] [BATCH]`.
use std::time::Instant;

use stemma_core::{Body, RawDoc};
use stemma_store::{RedbStore, Store, ingest::ingest};

// The made-up text of the store's process-level tests.
#[path = "../tests/support/mod.rs"]
mod support;

fn main() {
    let mut args = std::env::args().skip(1);
    let docs: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(200);
    let batch: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(10);
    let dir = std::env::temp_dir().join(format!("stemma-timing-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let store = RedbStore::open(dir.join("t.db")).unwrap();
    let cfg = stemma_pipeline::Config::default();
    let mut rng = support::Rng(0x9E37_79B9_7F4A_7C15);
    let raws: Vec<RawDoc> = (0..docs)
        .map(|d| {
            let text = support::words(&mut rng, 250);
            RawDoc {
                id: format!("d{d:05}"),
                url: None,
                published: None,
                origin: "timing".into(),
                body: Body::Text(format!("Report {d}\n{text}.")),
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
