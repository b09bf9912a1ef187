//! The index rows of single-article ingests are written behind: each
//! commit logs them in one row and a checkpoint later files them in the
//! index table. A process that dies between the two (here: it aborts, so
//! nothing is flushed or closed) leaves a store whose next open replays
//! the log: it must answer exactly as a store that never crashed, and go
//! on ingesting exactly as that store does.
use std::process::{Command, Stdio};

use stemma_core::RawDoc;
use stemma_store::ingest::ingest;
use stemma_store::{IndexTable, MemoryStore, RedbStore, Store, StoreError, report};

mod support;
use support::{Rng, words};

const DB_VAR: &str = "STEMMA_RECOVERY_DB";
const FIRST: usize = 14;
const MORE: usize = 8;

/// Article `i`: every third one a lightly edited copy of an earlier one, so
/// that ingests find candidates, verify pairs and write relations.
fn doc(i: usize) -> RawDoc {
    let base = if i % 3 == 2 { i - 2 } else { i };
    let mut rng = Rng((base as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut text = format!("Story {base} of the week\n");
    for s in 0..10 {
        text.push_str(&format!("Item {base}-{s}: {}. ", words(&mut rng, 12)));
    }
    if base != i {
        text.push_str("A late addition to the copy.");
    }
    RawDoc::text(&format!("d{i:03}"), &text)
}

/// The child: one ingest (one commit) per article, then an abort: no
/// checkpoint, no clean close.
#[test]
#[ignore = "run by `abort_after_logged_commits_replays_the_log` as a child process"]
fn child_ingest_then_abort() {
    let Ok(path) = std::env::var(DB_VAR) else {
        return;
    };
    let store = RedbStore::open(&path).expect("child opens the store");
    let cfg = stemma_pipeline::Config::default();
    for i in 0..FIRST {
        let out = ingest(&store, vec![doc(i)], &cfg).expect("child ingest");
        assert_eq!(out.added, 1);
    }
    assert_eq!(
        store.pending_commits(),
        FIRST,
        "the ingests were not logged"
    );
    std::process::abort();
}

fn json(store: &dyn Store) -> String {
    serde_json::to_string_pretty(&report(store).unwrap()).unwrap()
}

/// Every index row of the clean store, read from both: the same values.
fn same_index(store: &dyn Store, clean: &MemoryStore) {
    let keys = clean.index_keys();
    assert!(keys.len() > 100, "only {} index rows", keys.len());
    let mut by_table: std::collections::BTreeMap<IndexTable, Vec<u64>> = Default::default();
    for (t, k) in keys {
        by_table.entry(t).or_default().push(k);
    }
    for (t, keys) in by_table {
        let got = store.index_rows(t, &keys).unwrap();
        let want = clean.index_rows(t, &keys).unwrap();
        for ((k, g), w) in keys.iter().zip(got).zip(want) {
            assert_eq!(g, w, "index row {t:?} {k}");
        }
    }
}

#[test]
fn abort_after_logged_commits_replays_the_log() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("recovery.db");
    let status = Command::new(std::env::current_exe().unwrap())
        .args([
            "child_ingest_then_abort",
            "--exact",
            "--ignored",
            "--test-threads=1",
        ])
        .env(DB_VAR, &path)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("run the child");
    assert!(!status.success(), "the child was meant to abort");

    let cfg = stemma_pipeline::Config::default();
    let clean = MemoryStore::new();
    for i in 0..FIRST {
        ingest(&clean, vec![doc(i)], &cfg).unwrap();
    }
    assert!(
        clean.counts().unwrap().relations > 0,
        "the copies should be related"
    );

    // The file was not closed: a read-only open cannot repair it.
    assert!(matches!(
        RedbStore::open_read_only(&path),
        Err(StoreError::NeedsRepair { .. })
    ));
    {
        let mut store = RedbStore::open(&path).unwrap();
        assert_eq!(
            store.pending_commits(),
            FIRST,
            "every logged commit is replayed"
        );
        assert_eq!(json(&store), json(&clean));
        same_index(&store, &clean);
        store.set_checkpoint_on_drop(false);
    }
    // Closed cleanly, log kept: a read-only open replays it too.
    {
        let store = RedbStore::open_read_only(&path).unwrap();
        assert_eq!(store.pending_commits(), FIRST);
        assert_eq!(json(&store), json(&clean));
        same_index(&store, &clean);
    }
    // Later ingests read the replayed rows: same results as the clean store.
    let store = RedbStore::open(&path).unwrap();
    for i in FIRST..FIRST + MORE {
        let a = ingest(&store, vec![doc(i)], &cfg).unwrap();
        let b = ingest(&clean, vec![doc(i)], &cfg).unwrap();
        assert_eq!(
            (a.relations, a.stories),
            (b.relations, b.stories),
            "doc {i}"
        );
    }
    assert_eq!(json(&store), json(&clean));
    same_index(&store, &clean);
    store.checkpoint().unwrap();
    assert_eq!(store.pending_commits(), 0);
    assert_eq!(json(&store), json(&clean));
    drop(store);
    let store = RedbStore::open_read_only(&path).unwrap();
    assert_eq!(json(&store), json(&clean));
    same_index(&store, &clean);
}
