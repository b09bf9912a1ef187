//! `kill -9` at random moments of an ingest leaves a store that opens,
//! answers queries and holds every batch the ingest reported committed.
//!
//! The parent test re-runs this test binary as a child (`child_ingest`,
//! selected by name and enabled by an environment variable). The child
//! ingests made-up documents batch by batch into a redb file and, after
//! each commit returns, prints `committed <batch>`; between ingests it also
//! commits a large index-state blob, so that kills land inside commits too.
//! The parent SIGKILLs it after a seeded random delay, reopens the store and
//! checks it, then starts the next child on the same file. Each check
//! leaves the store's index log unflushed (no checkpoint on close), so the
//! next child goes on from a replayed log, and compares the whole report
//! with that of a clean in-memory store given the same batches.
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use stemma_core::{Body, RawDoc};
use stemma_store::ingest::ingest;
use stemma_store::{Batch, MemoryStore, Op, RedbStore, Store, StoreError, report, search};

mod support;
use support::{Rng, words};

const DB_VAR: &str = "STEMMA_CRASH_DB";
const PER_BATCH: usize = 4;
const BATCHES: usize = 400;

fn doc_id(batch: usize, i: usize) -> String {
    format!("b{batch:04}-{i}")
}

/// A made-up article, different for every (batch, i).
fn make_doc(batch: usize, i: usize) -> RawDoc {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ ((batch * PER_BATCH + i) as u64 + 1));
    let mut text = format!("Report number {batch} {i}\n");
    for _ in 0..12 {
        let n = 8 + rng.below(10);
        text.push_str(&format!("Item {batch}-{i}: {}. ", words(&mut rng, n)));
    }
    RawDoc {
        id: doc_id(batch, i),
        url: None,
        published: None,
        origin: "crash-test".into(),
        body: Body::Text(text),
    }
}

/// A blob whose last 8 bytes checksum the rest, so a torn write shows.
fn blob(batch: usize) -> Vec<u8> {
    let mut rng = Rng(batch as u64 * 7919 + 1);
    let mut v: Vec<u8> = (0..(1 << 20)).map(|_| rng.next() as u8).collect();
    let sum = xsum(&v);
    v.extend_from_slice(&sum.to_le_bytes());
    v
}

fn xsum(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| {
        (h ^ b as u64).wrapping_mul(0x100_0000_01b3)
    })
}

/// The child: ingest batch after batch until killed.
#[test]
#[ignore = "run by `kill_nine_leaves_a_consistent_store` as a child process"]
fn child_ingest() {
    let Ok(path) = std::env::var(DB_VAR) else {
        return;
    };
    let store = RedbStore::open(&path).expect("child opens the store");
    let cfg = stemma_pipeline::Config::default();
    let mut out = std::io::stdout().lock();
    for b in 0..BATCHES {
        // Batches a killed child already stored are only reported again.
        if store.document(&doc_id(b, PER_BATCH - 1)).unwrap().is_some() {
            writeln!(out, "committed {b}").unwrap();
            continue;
        }
        let docs = (0..PER_BATCH).map(|i| make_doc(b, i)).collect();
        let outcome = ingest(&store, docs, &cfg).expect("child ingest");
        assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);
        writeln!(out, "committed {b}").unwrap();
        out.flush().unwrap();
        let mut batch = Batch::new();
        batch.push(Op::PutState("crash-blob".into(), blob(b)));
        store.commit(batch).expect("child commits the blob");
        writeln!(out, "blob {b}").unwrap();
        out.flush().unwrap();
    }
}

#[test]
fn kill_nine_leaves_a_consistent_store() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crash.db");
    let seed = std::env::var("STEMMA_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20261123);
    let mut rng = Rng(seed);
    let exe = std::env::current_exe().unwrap();
    let started = Instant::now();
    let mut committed: Vec<usize> = Vec::new();
    let reference = Reference::default();
    let mut iterations = 0;
    while iterations < 16 && started.elapsed() < Duration::from_secs(25) {
        iterations += 1;
        let mut child = Command::new(&exe)
            .args([
                "child_ingest",
                "--exact",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(DB_VAR, &path)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn child");
        let stdout = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
                .collect::<Vec<String>>()
        });
        let delay = Duration::from_millis(150 + rng.below(1200));
        std::thread::sleep(delay);
        child.kill().expect("SIGKILL the child"); // std sends SIGKILL on Unix
        child.wait().unwrap();
        // Every line printed came after its commit returned.
        let lines = reader.join().unwrap();
        let mut blob_reported = None;
        for l in &lines {
            if let Some(n) = l.strip_prefix("committed ") {
                committed.push(n.trim().parse().unwrap());
            } else if let Some(n) = l.strip_prefix("blob ") {
                blob_reported = Some(n.trim().parse::<usize>().unwrap());
            }
        }
        check(
            &path,
            &committed,
            blob_reported,
            &reference,
            iterations,
            delay,
        );
    }
    // The last check's open repaired the file and closed it cleanly.
    RedbStore::open_read_only(&path).expect("read-only open after the repair");
    let max = committed.iter().max().copied();
    eprintln!(
        "{iterations} kills in {:.1?}; batches committed up to {max:?}; up to {} logged commits replayed on a reopen",
        started.elapsed(),
        reference.replayed.get()
    );
    assert!(
        reference.replayed.get() > 0,
        "no reopen found a logged commit: the log replay was not tested"
    );
    assert!(
        max.is_some(),
        "the child never committed a batch: the test proved nothing"
    );
}

/// A store that never crashed, given the same batches in the same order.
#[derive(Default)]
struct Reference {
    store: MemoryStore,
    batches: std::cell::Cell<usize>,
    /// The most logged commits a reopen replayed.
    replayed: std::cell::Cell<usize>,
}

impl Reference {
    /// The report after the first `n` batches.
    fn report_after(&self, n: usize) -> String {
        let cfg = stemma_pipeline::Config::default();
        for b in self.batches.get()..n {
            let docs = (0..PER_BATCH).map(|i| make_doc(b, i)).collect();
            ingest(&self.store, docs, &cfg).unwrap();
        }
        self.batches.set(self.batches.get().max(n));
        serde_json::to_string(&report(&self.store).unwrap()).unwrap()
    }
}

/// Reopens the store after a kill and checks what it promised.
fn check(
    path: &std::path::Path,
    committed: &[usize],
    blob_reported: Option<usize>,
    reference: &Reference,
    it: usize,
    delay: Duration,
) {
    let ctx = format!("iteration {it}, killed after {delay:?}");
    // A store is created whole (under a temporary name, then renamed): a
    // kill before that leaves no store at all, never a half-written one.
    if !path.exists() {
        assert!(
            committed.is_empty(),
            "{ctx}: store file missing after commits"
        );
        return;
    }
    // A read-only open cannot repair: it says so plainly (or succeeds, when
    // the kill came before the child opened the file).
    match RedbStore::open_read_only(path) {
        Ok(_) | Err(StoreError::NeedsRepair { .. }) => {}
        Err(e) => panic!("{ctx}: read-only open: unexpected error {e}"),
    }
    let mut store =
        RedbStore::open(path).unwrap_or_else(|e| panic!("{ctx}: store does not open: {e}"));
    // The next child starts from the replayed log, not a checkpoint.
    store.set_checkpoint_on_drop(false);
    reference
        .replayed
        .set(reference.replayed.get().max(store.pending_commits()));
    let counts = store
        .counts()
        .unwrap_or_else(|e| panic!("{ctx}: counts: {e}"));
    let rep = report(&store).unwrap_or_else(|e| panic!("{ctx}: report: {e}"));
    assert_eq!(rep.documents.len(), counts.documents, "{ctx}");
    for &b in committed {
        for i in 0..PER_BATCH {
            let id = doc_id(b, i);
            assert!(
                store.article(&id).unwrap().is_some(),
                "{ctx}: committed document {id} is missing"
            );
            assert!(
                store.story_of(&id).unwrap().is_some(),
                "{ctx}: {id} has no story"
            );
        }
    }
    // Batches are atomic: all of a batch or none of it.
    let docs = store.documents().unwrap();
    assert_eq!(
        docs.len() % PER_BATCH,
        0,
        "{ctx}: a batch was half stored ({} documents)",
        docs.len()
    );
    assert_eq!(
        store.articles().unwrap().len(),
        docs.len(),
        "{ctx}: documents and articles disagree"
    );
    for d in &docs {
        let n = rep
            .stories
            .iter()
            .filter(|s| s.documents.contains(&d.id))
            .count();
        assert_eq!(n, 1, "{ctx}: {} is in {n} stories", d.id);
    }
    if let Some(b) = committed.last() {
        let hits = search(&store, &format!("{b}-0"), 3).unwrap();
        assert!(
            !hits.is_empty(),
            "{ctx}: search finds nothing for batch {b}"
        );
    }
    // Index rows replayed from the log: the same answers as a store that
    // never crashed (and, through the next child, the same ingests).
    assert!(
        serde_json::to_string(&rep).unwrap() == reference.report_after(docs.len() / PER_BATCH),
        "{ctx}: the report differs from a clean store's ({} logged commits replayed)",
        store.pending_commits()
    );
    match store.state("crash-blob").unwrap() {
        Some(v) => {
            let (body, sum) = v.split_at(v.len() - 8);
            assert_eq!(xsum(body).to_le_bytes(), sum, "{ctx}: torn blob");
        }
        None => assert!(blob_reported.is_none(), "{ctx}: a reported blob is missing"),
    }
}
