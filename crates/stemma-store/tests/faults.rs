//! Storage faults: a full disk (a small tmpfs), a read-only store and a read-only file
//! system. In each case the failing write is a clean `StoreError` naming what failed,
//! nothing acknowledged before it is lost, and the store reopens consistent.
//!
//! The tmpfs cases need `mount` (root, or a container allowed to mount); where mounting
//! is not permitted they print why and pass without checking (the read-only store case
//! needs nothing and always runs).
use std::path::{Path, PathBuf};
use std::process::Command;

use stemma_core::{Body, RawDoc};
use stemma_store::ingest::ingest;
use stemma_store::{Batch, Op, RedbStore, Store, StoreError, report};

fn doc(batch: usize, i: usize) -> RawDoc {
    let mut text = format!("Fault test report {batch} {i}\n");
    for k in 0..20 {
        text.push_str(&format!(
            "Item {batch}-{i}-{k}: the council of town {} voted {} to {} on plan {:x}. ",
            (batch * 31 + i * 7 + k) % 1009,
            k % 13,
            (batch + k) % 11,
            (batch * 1000 + i * 100 + k).wrapping_mul(2_654_435_761)
        ));
    }
    RawDoc {
        id: format!("f{batch:04}-{i}"),
        url: None,
        published: None,
        origin: "faults-test".into(),
        body: Body::Text(text),
    }
}

/// A tmpfs mounted for the life of the value.
struct Tmpfs {
    dir: PathBuf,
    _parent: tempfile::TempDir,
}

impl Tmpfs {
    /// Mounts a tmpfs of `size` (e.g. "3m"); `Err` says why it could not.
    fn mount(size: &str) -> Result<Tmpfs, String> {
        let parent = tempfile::tempdir().map_err(|e| e.to_string())?;
        let dir = parent.path().join("mnt");
        std::fs::create_dir(&dir).map_err(|e| e.to_string())?;
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(&dir)
            .output()
            .map_err(|e| format!("cannot run mount: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "mount -t tmpfs failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        Ok(Tmpfs {
            dir,
            _parent: parent,
        })
    }

    fn remount(&self, opt: &str) {
        let st = Command::new("mount")
            .args(["-o", &format!("remount,{opt}")])
            .arg(&self.dir)
            .status()
            .unwrap();
        assert!(st.success(), "remount,{opt} failed");
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.dir).status();
    }
}

/// Every acknowledged document is there, and the tables agree.
fn check_consistent(store: &dyn Store, acked: &[String], ctx: &str) {
    let counts = store
        .counts()
        .unwrap_or_else(|e| panic!("{ctx}: counts: {e}"));
    let rep = report(store).unwrap_or_else(|e| panic!("{ctx}: report: {e}"));
    assert_eq!(rep.documents.len(), counts.documents, "{ctx}");
    assert_eq!(
        store.articles().unwrap().len(),
        store.documents().unwrap().len(),
        "{ctx}: documents and articles disagree"
    );
    for id in acked {
        assert!(
            store.article(id).unwrap().is_some(),
            "{ctx}: acknowledged document {id} is missing"
        );
        assert!(
            store.story_of(id).unwrap().is_some(),
            "{ctx}: {id} has no story"
        );
    }
}

#[test]
fn disk_full_fails_cleanly_and_loses_nothing_acknowledged() {
    let fs = match Tmpfs::mount("6m") {
        Ok(f) => f,
        Err(why) => {
            eprintln!("SKIPPED disk-full test: {why}");
            return;
        }
    };
    // Ballast to free later, so the store can be shown to work again once space returns.
    let ballast = fs.dir.join("ballast");
    std::fs::write(&ballast, vec![7u8; 1 << 20]).unwrap();
    let path = fs.dir.join("store.db");
    let cfg = stemma_pipeline::Config::default();
    let store = RedbStore::open(&path).expect("store opens on the small disk");
    let mut acked: Vec<String> = Vec::new();
    let mut failure: Option<StoreError> = None;
    for b in 0..400 {
        let docs: Vec<RawDoc> = (0..3).map(|i| doc(b, i)).collect();
        let ids: Vec<String> = docs.iter().map(|d| d.id.clone()).collect();
        match ingest(&store, docs, &cfg) {
            Ok(out) => {
                assert!(out.errors.is_empty(), "{:?}", out.errors);
                acked.extend(ids);
            }
            Err(e) => {
                failure = Some(e);
                break;
            }
        }
        // A blob per batch fills the disk faster.
        let mut blob = Batch::new();
        blob.push(Op::PutState(format!("blob-{b}"), vec![b as u8; 96 << 10]));
        if let Err(e) = store.commit(blob) {
            failure = Some(e);
            break;
        }
    }
    let e = failure.expect("the 6 MiB disk never filled up: the test proved nothing");
    let msg = e.to_string();
    eprintln!(
        "disk full after {} acknowledged documents: {msg}",
        acked.len()
    );
    assert!(
        !acked.is_empty(),
        "nothing was stored before the disk filled"
    );
    assert!(
        matches!(e, StoreError::Backend { .. }),
        "disk full should be a backend error naming the table and action: {e:?}"
    );
    assert!(!msg.contains('\n'), "one-line error: {msg:?}");
    drop(store);

    // Reopen while the disk is still full: a clean error or a consistent store.
    match RedbStore::open(&path) {
        Ok(s) => check_consistent(&s, &acked, "reopened on a full disk"),
        Err(e) => eprintln!("reopen on a full disk refused cleanly: {e}"),
    }
    // Read-only access needs no space.
    if let Ok(s) = RedbStore::open_read_only(&path) {
        check_consistent(&s, &acked, "read-only on a full disk");
    }

    // Space comes back: the store opens, holds everything acknowledged, and takes writes.
    std::fs::remove_file(&ballast).unwrap();
    let store = RedbStore::open(&path).expect("store reopens once space is free");
    check_consistent(&store, &acked, "after freeing space");
    let more = ingest(&store, vec![doc(9999, 0)], &cfg).expect("ingest after freeing space");
    assert_eq!(more.added, 1);
}

#[test]
fn read_only_store_serves_reads_and_refuses_writes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ro.db");
    let cfg = stemma_pipeline::Config::default();
    let acked: Vec<String> = {
        let store = RedbStore::open(&path).unwrap();
        let docs: Vec<RawDoc> = (0..4).map(|i| doc(1, i)).collect();
        let ids = docs.iter().map(|d| d.id.clone()).collect();
        ingest(&store, docs, &cfg).unwrap();
        ids
    };
    let ro = RedbStore::open_read_only(&path).expect("read-only open");
    assert!(ro.is_read_only());
    check_consistent(&ro, &acked, "read-only");
    let before = ro.generation().unwrap();
    let err = ingest(&ro, vec![doc(2, 0)], &cfg).expect_err("ingest into a read-only store");
    assert!(
        matches!(err, StoreError::ReadOnly { .. }),
        "expected ReadOnly, got {err:?}"
    );
    assert!(
        err.to_string().contains("ro.db"),
        "error names the file: {err}"
    );
    assert!(ro.commit(Batch::new()).is_err());
    assert_eq!(ro.generation().unwrap(), before);
    assert!(ro.article(&doc(2, 0).id).unwrap().is_none());
    drop(ro);
    // A writer afterwards still finds everything.
    let rw = RedbStore::open(&path).unwrap();
    check_consistent(&rw, &acked, "reopened for writing");
}

#[test]
fn read_only_file_system_is_a_clean_error() {
    let fs = match Tmpfs::mount("16m") {
        Ok(f) => f,
        Err(why) => {
            eprintln!("SKIPPED read-only file system test: {why}");
            return;
        }
    };
    let path: PathBuf = fs.dir.join("store.db");
    let cfg = stemma_pipeline::Config::default();
    let acked: Vec<String> = {
        let store = RedbStore::open(&path).unwrap();
        let docs: Vec<RawDoc> = (0..3).map(|i| doc(5, i)).collect();
        let ids = docs.iter().map(|d| d.id.clone()).collect();
        ingest(&store, docs, &cfg).unwrap();
        ids
    };
    fs.remount("ro");
    // Opening for writing fails with an error naming the file, or opens and refuses the write.
    match RedbStore::open(&path) {
        Err(e) => {
            let m = e.to_string();
            assert!(m.contains("store.db"), "error names the file: {m}");
            eprintln!("read-only file system, open for writing: {m}");
        }
        Ok(s) => {
            let e = ingest(&s, vec![doc(6, 0)], &cfg).expect_err("write on a read-only fs");
            eprintln!("read-only file system, write: {e}");
            check_consistent(&s, &acked, "read-only fs, writer");
        }
    }
    let ro = RedbStore::open_read_only(&path).expect("read-only open on a read-only fs");
    check_consistent(&ro, &acked, "read-only fs");
    drop(ro);
    fs.remount("rw");
    let rw = RedbStore::open(&path).expect("writable again");
    check_consistent(&rw, &acked, "after remounting rw");
    assert!(Path::new(&path).exists());
}
