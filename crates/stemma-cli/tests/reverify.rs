//! A store whose comparisons an older verifier made: `stemma report` says
//! so, and the next `stemma ingest` verifies the stored documents again
//! before it adds anything, giving this build's report.
use std::path::{Path, PathBuf};
use std::process::Command;

use stemma_store::ingest::VERIFIER_VERSION_KEY;
use stemma_store::{Batch, Op, RedbStore, Store};

const STEMMA: &str = env!("CARGO_BIN_EXE_stemma");

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/corpus")
}

/// Runs stemma; returns stdout and stderr, failing the test on an error.
fn stemma(args: &[&str], db: &Path) -> (String, String) {
    stemma_with(args, db, &[])
}

/// [`stemma`] with environment variables set.
fn stemma_with(args: &[&str], db: &Path, env: &[(&str, &str)]) -> (String, String) {
    let out = Command::new(STEMMA)
        .args(args)
        .arg("--db")
        .arg(db)
        .envs(env.iter().copied())
        .output()
        .expect("run stemma");
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(out.status.success(), "stemma {args:?} failed: {stderr}");
    (String::from_utf8_lossy(&out.stdout).to_string(), stderr)
}

/// A new store with the example corpus ingested: its folder (removed on
/// drop), its path and the corpus's.
fn example_store() -> (tempfile::TempDir, PathBuf, String) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("stemma.db");
    let corpus = corpus().to_str().unwrap().to_string();
    stemma(&["ingest", &corpus, "--quiet"], &db);
    (dir, db, corpus)
}

#[test]
fn an_older_verifiers_store_is_verified_again_by_the_next_ingest() {
    let (_dir, db, corpus) = example_store();
    let corpus = corpus.as_str();
    let (want, stderr) = stemma(&["report", "--format", "json"], &db);
    assert!(!stderr.contains("verifier version"), "{stderr}");
    let relations = |json: &str| {
        let v: serde_json::Value = serde_json::from_str(json).unwrap();
        v["relations"].as_array().unwrap().len()
    };
    assert!(relations(&want) > 0);

    // Make it look like an older build's store: other verdicts (no
    // evidence, no drift), version 0.
    {
        let store = RedbStore::open(&db).unwrap();
        let mut b = Batch::new();
        for mut r in store.relations().unwrap() {
            r.evidence.clear();
            r.drift.clear();
            r.confidence = 0.5;
            b.push(Op::PutRelation(r));
        }
        b.push(Op::PutCounter(VERIFIER_VERSION_KEY.into(), 0));
        store.commit(b).unwrap();
    }
    let (stale, stderr) = stemma(&["report", "--format", "json"], &db);
    assert_eq!(relations(&stale), relations(&want));
    assert_ne!(stale, want);
    assert!(
        stderr.contains("verifier version 0") && stderr.contains("next `stemma ingest`"),
        "{stderr}"
    );

    // Nothing new to add, yet the stored documents are verified again.
    let (_, stderr) = stemma(&["ingest", corpus], &db);
    assert!(
        stderr.contains("stored documents verified again"),
        "{stderr}"
    );
    let (got, stderr) = stemma(&["report", "--format", "json"], &db);
    assert!(!stderr.contains("verifier version"), "{stderr}");
    assert!(got == want, "the report differs after verifying again");
}

#[test]
fn other_resources_than_the_stores_are_named() {
    let (_dir, db, corpus) = example_store();
    let corpus = corpus.as_str();
    let (_, stderr) = stemma(&["ingest", corpus, "--quiet"], &db);
    assert!(!stderr.contains("comparisons were made with"), "{stderr}");
    let made_with = {
        let store = RedbStore::open_read_only(&db).unwrap();
        let state = store
            .state(stemma_store::ingest::VERIFIER_RESOURCES_KEY)
            .unwrap()
            .expect("resources recorded");
        String::from_utf8(state).unwrap()
    };
    if made_with.starts_with("thesaurus none") {
        return; // no system thesaurus here: nothing to turn off
    }
    // The same store read with no thesaurus.
    let (_, stderr) = stemma_with(
        &["ingest", corpus, "--quiet"],
        &db,
        &[("STEMMA_THESAURUS", "none")],
    );
    assert!(
        stderr.contains("comparisons were made with thesaurus")
            && stderr.contains("this run has thesaurus none"),
        "{stderr}"
    );
}

#[test]
fn a_newer_builds_store_is_marked_for_it_after_this_builds_ingest() {
    let (dir, db, _corpus) = example_store();
    let newer = stemma_pipeline::VERIFIER_VERSION + 1;
    {
        let store = RedbStore::open(&db).unwrap();
        let mut b = Batch::new();
        b.push(Op::PutCounter(VERIFIER_VERSION_KEY.into(), newer));
        store.commit(b).unwrap();
    }
    let extra = dir.path().join("extra.txt");
    std::fs::write(
        &extra,
        "The harbour board voted on Tuesday to close the old ferry pier for repairs.\n",
    )
    .unwrap();
    let (_, stderr) = stemma(&["ingest", extra.to_str().unwrap()], &db);
    assert!(
        stderr.contains(&format!(
            "verifier version {newer}, newer than this build's"
        )),
        "{stderr}"
    );
    let store = RedbStore::open_read_only(&db).unwrap();
    assert_eq!(
        store.counter(VERIFIER_VERSION_KEY).unwrap(),
        stemma_pipeline::VERIFIER_VERSION
    );
}

#[test]
fn no_reverify_leaves_an_older_verifiers_store_marked() {
    let (_dir, db, corpus) = example_store();
    let corpus = corpus.as_str();
    {
        let store = RedbStore::open(&db).unwrap();
        let mut b = Batch::new();
        b.push(Op::PutCounter(VERIFIER_VERSION_KEY.into(), 0));
        store.commit(b).unwrap();
    }
    let (_, stderr) = stemma(&["ingest", corpus, "--no-reverify"], &db);
    assert!(
        stderr.contains("verifier version 0") && stderr.contains("not verified again"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("stored documents verified again"),
        "{stderr}"
    );
    let (_, stderr) = stemma(&["report"], &db);
    assert!(stderr.contains("verifier version 0"), "{stderr}");
    // Without the flag, the store is verified again.
    let (_, stderr) = stemma(&["ingest", corpus], &db);
    assert!(
        stderr.contains("stored documents verified again"),
        "{stderr}"
    );
}
