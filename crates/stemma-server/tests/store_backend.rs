//! `StoreBackend` (what `stemma serve --db` runs) under concurrent ingests:
//! every POST is acknowledged, none fails on the store's optimistic commit,
//! and every acknowledged document is in the store, also after reopening.
use std::path::PathBuf;
use std::sync::Arc;

use stemma_core::{Body, RawDoc};
use stemma_server::{Backend, StoreBackend};
use stemma_store::{Batch, Op, RedbStore, Store};

/// A fresh folder under the system's temporary folder, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let p = std::env::temp_dir().join(format!("stemma-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).expect("temporary folder");
        TempDir(p)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn doc(thread: usize, i: usize) -> RawDoc {
    let words = ["harbour", "storm", "council", "ferry", "market", "bridge"];
    let mut text = format!("Report {thread}-{i}\n\n");
    for k in 0..40 {
        text.push_str(words[(thread * 7 + i * 3 + k) % words.len()]);
        text.push(' ');
    }
    RawDoc {
        id: format!("t{thread}-{i}"),
        url: None,
        published: None,
        origin: "test".into(),
        body: Body::Text(text),
    }
}

#[test]
fn concurrent_ingests_are_all_acknowledged_and_stored() {
    const THREADS: usize = 8;
    const EACH: usize = 6;
    let dir = TempDir::new("store-backend");
    let db = dir.0.join("serve.db");
    {
        let store: Arc<dyn Store> = Arc::new(RedbStore::open(&db).expect("open store"));
        let backend = Arc::new(StoreBackend::new(store, Default::default()));
        let handles: Vec<_> = (0..THREADS)
            .map(|t| {
                let backend = backend.clone();
                std::thread::spawn(move || {
                    let mut acked = Vec::new();
                    for i in 0..EACH {
                        let d = doc(t, i);
                        let id = d.id.clone();
                        let out = backend
                            .ingest(vec![d])
                            .unwrap_or_else(|e| panic!("ingest of {id} failed: {e}"));
                        assert!(out.added.contains(&id), "{id} not acknowledged: {out:?}");
                        acked.push(id);
                    }
                    acked
                })
            })
            .collect();
        let acked: Vec<String> = handles
            .into_iter()
            .flat_map(|h| h.join().expect("ingest thread"))
            .collect();
        assert_eq!(acked.len(), THREADS * EACH);
        for id in &acked {
            assert!(backend.article(id).expect("read").is_some(), "{id} lost");
        }
    }
    let store = RedbStore::open_read_only(&db).expect("reopen");
    assert_eq!(store.counts().expect("counts").documents, THREADS * EACH);
}

/// Idle maintenance files the index rows that single ingests wrote behind,
/// only once no ingest has come for the idle time, and changes nothing a
/// reader sees.
#[test]
fn idle_maintenance_files_written_behind_rows_and_keeps_the_report() {
    let dir = TempDir::new("store-maintain");
    let db = dir.0.join("serve.db");
    let redb = Arc::new(RedbStore::open(&db).expect("open store"));
    let store: Arc<dyn Store> = redb.clone();
    let backend = Arc::new(StoreBackend::new(store.clone(), Default::default()));
    for i in 0..12 {
        backend.ingest(vec![doc(i % 3, i)]).expect("ingest");
    }
    assert!(redb.pending_commits() > 0, "single ingests are logged");
    let before = serde_json::to_string(&*backend.report().unwrap()).unwrap();
    // Not idle long enough: nothing runs.
    let long = std::time::Duration::from_secs(3600);
    assert_eq!(backend.maintain_if_idle(long).unwrap(), 0);
    assert!(redb.pending_commits() > 0);
    let slices = backend.maintain_if_idle(std::time::Duration::ZERO).unwrap();
    assert!(slices >= 1);
    assert_eq!(redb.pending_commits(), 0, "log emptied");
    assert_eq!(
        serde_json::to_string(&*backend.report().unwrap()).unwrap(),
        before
    );
    // The thread form does the same work and ends with the backend.
    backend.ingest(vec![doc(9, 0)]).expect("ingest");
    assert!(redb.pending_commits() > 0);
    let maintenance = backend
        .spawn_maintenance(std::time::Duration::from_millis(20))
        .expect("thread");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while redb.pending_commits() > 0 {
        assert!(std::time::Instant::now() < deadline, "maintenance ran");
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    // Stopping joins the thread; the backend then holds the last handles.
    drop(maintenance);
    assert_eq!(Arc::strong_count(&backend), 1);
}

/// A store whose comparisons an older verifier made is verified again in
/// idle time, and the report it serves is then this build's.
#[test]
fn idle_maintenance_verifies_an_older_verifiers_store_again() {
    use stemma_store::ingest::{VERIFIER_VERSION_KEY, stale_verdicts};
    let store: Arc<dyn Store> = Arc::new(stemma_store::MemoryStore::new());
    let backend = StoreBackend::new(store.clone(), Default::default());
    let copy = |d: RawDoc, id: &str| RawDoc { id: id.into(), ..d };
    backend
        .ingest(vec![doc(0, 0), copy(doc(0, 0), "copy"), doc(1, 1)])
        .expect("ingest");
    let want = serde_json::to_string(&*backend.report().unwrap()).unwrap();
    let mut b = Batch::new();
    for r in backend.report().unwrap().relations.clone() {
        b.push(Op::DeleteRelation {
            derivative: r.derivative,
            source: r.source,
        });
    }
    b.push(Op::PutCounter(VERIFIER_VERSION_KEY.into(), 0));
    store.commit(b).expect("commit");
    assert!(stale_verdicts(store.as_ref()).unwrap().is_some());
    let status = backend.status().unwrap();
    assert_eq!(status.stored_verifier_version, 0);
    assert_eq!(status.documents, 3);
    assert!(backend.maintain_if_idle(std::time::Duration::ZERO).unwrap() >= 1);
    assert_eq!(stale_verdicts(store.as_ref()).unwrap(), None);
    let status = backend.status().unwrap();
    assert_eq!(
        status.stored_verifier_version,
        stemma_pipeline::VERIFIER_VERSION
    );
    assert_eq!(status.verifier_version, stemma_pipeline::VERIFIER_VERSION);
    assert_eq!(
        serde_json::to_string(&*backend.report().unwrap()).unwrap(),
        want
    );
}

/// Requests share one report until a commit moves the store's generation
/// on: an ingest through the backend, or a write it did not make.
#[test]
fn the_report_is_shared_until_the_store_changes() {
    let dir = TempDir::new("store-report-cache");
    let store: Arc<dyn Store> = Arc::new(RedbStore::open(dir.0.join("serve.db")).expect("open"));
    let backend = StoreBackend::new(store.clone(), Default::default());
    backend.ingest(vec![doc(0, 0)]).expect("ingest");
    let first = backend.report().unwrap();
    assert!(Arc::ptr_eq(&first, &backend.report().unwrap()));
    backend.ingest(vec![doc(1, 1)]).expect("ingest");
    let second = backend.report().unwrap();
    assert!(!Arc::ptr_eq(&first, &second));
    assert_eq!((first.documents.len(), second.documents.len()), (1, 2));
    let mut b = Batch::new();
    b.push(Op::PutCounter("test-marker".into(), 1));
    store.commit(b).expect("commit");
    let third = backend.report().unwrap();
    assert!(!Arc::ptr_eq(&second, &third));
    assert_eq!(*second, *third);
}
