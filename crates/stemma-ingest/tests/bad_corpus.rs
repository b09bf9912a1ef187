//! The generated bad-input corpus (`tests/support/bad_corpus.rs`): every bad file gets one
//! error line naming the file and the reason, reading goes on, and every good document,
//! before and after the bad ones, comes out, and is stored by an incremental ingest into
//! an on-disk store.
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::time::Instant;

use stemma_core::RawDoc;
use stemma_store::{RedbStore, Store};

#[path = "support/bad_corpus.rs"]
mod bad_corpus;

use bad_corpus::{Expected, Scale, write_corpus};

struct Read {
    docs: Vec<RawDoc>,
    /// Relative file name -> error lines.
    errors: BTreeMap<String, Vec<String>>,
}

fn read(root: &Path) -> Read {
    let mut out = Read {
        docs: Vec::new(),
        errors: BTreeMap::new(),
    };
    for r in stemma_ingest::read_paths(&[root.to_path_buf()]) {
        match r {
            Ok(d) => out.docs.push(d),
            Err(e) => {
                let msg = e.to_string();
                let file = Path::new(e.file())
                    .strip_prefix(root)
                    .map(|p| p.to_string_lossy().into_owned())
                    .unwrap_or_else(|_| e.file().to_string());
                out.errors.entry(file).or_default().push(msg);
            }
        }
    }
    out
}

fn check_read(ex: &Expected, got: &Read) {
    let ids: BTreeSet<&str> = got.docs.iter().map(|d| d.id.as_str()).collect();
    for id in &ex.good {
        assert!(ids.contains(id.as_str()), "good document {id} was lost");
    }
    let known: BTreeSet<&str> = ex
        .good
        .iter()
        .chain(&ex.maybe)
        .map(String::as_str)
        .collect();
    for id in &ids {
        assert!(known.contains(id), "unexpected document {id}");
    }
    for (file, phrase) in &ex.errors {
        let errs = got
            .errors
            .get(file)
            .unwrap_or_else(|| panic!("{file}: no error reported"));
        assert_eq!(errs.len(), 1, "{file}: one error expected: {errs:?}");
        let e = &errs[0];
        assert!(!e.contains('\n'), "{file}: multi-line error {e:?}");
        assert!(
            e.contains(file.as_str()),
            "{file}: error does not name the file: {e}"
        );
        assert!(
            e.contains(phrase.as_str()),
            "{file}: {e:?} lacks {phrase:?}"
        );
    }
    for file in got.errors.keys() {
        assert!(
            ex.errors.contains_key(file),
            "{file}: unexpected error {:?}",
            got.errors[file]
        );
    }
    for (id, phrase) in &ex.text_has {
        let d = got.docs.iter().find(|d| &d.id == id).unwrap();
        assert!(
            d.body.as_str().contains(phrase.as_str()),
            "{id}: decoded text lacks {phrase:?}"
        );
    }
}

#[test]
fn bad_corpus_reads_every_good_document_and_names_every_bad_file() {
    let dir = tempfile::tempdir().unwrap();
    let ex = write_corpus(dir.path(), Scale::SMALL);
    let t = Instant::now();
    let got = read(dir.path());
    eprintln!(
        "read {} documents and {} errors in {:.2?}",
        got.docs.len(),
        got.errors.len(),
        t.elapsed()
    );
    check_read(&ex, &got);
}

#[test]
fn bad_corpus_survives_extraction_and_incremental_store_ingest() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    let ex = write_corpus(&corpus, Scale::SMALL);
    let store = RedbStore::open(dir.path().join("store.db")).unwrap();
    let cfg = stemma_pipeline::Config::default();
    let t = Instant::now();
    // Ingest as the stream goes, in small batches, errors interleaved.
    let mut batch = Vec::new();
    let mut acked: Vec<String> = Vec::new();
    let flush = |batch: &mut Vec<RawDoc>, acked: &mut Vec<String>| {
        if batch.is_empty() {
            return;
        }
        let ids: Vec<String> = batch.iter().map(|d| d.id.clone()).collect();
        let out = stemma_store::ingest::ingest(&store, std::mem::take(batch), &cfg)
            .expect("ingest batch");
        assert!(out.errors.is_empty(), "{:?}", out.errors);
        acked.extend(ids);
    };
    for d in stemma_ingest::read_paths(std::slice::from_ref(&corpus)).flatten() {
        batch.push(d);
        if batch.len() == 8 {
            flush(&mut batch, &mut acked);
        }
    }
    flush(&mut batch, &mut acked);
    eprintln!(
        "read, extracted and stored {} documents in {:.2?}",
        acked.len(),
        t.elapsed()
    );
    drop(store);
    let store = RedbStore::open_read_only(dir.path().join("store.db")).unwrap();
    for id in ex.good.iter().chain(&acked) {
        let a = store
            .article(id)
            .unwrap()
            .unwrap_or_else(|| panic!("{id} is not in the store"));
        assert_eq!(&a.id, id);
    }
    let deep = store.article("d03-deep").unwrap().unwrap();
    assert!(
        deep.text.contains("In report d03 part 0"),
        "{:?}",
        &deep.text[..deep.text.len().min(200)]
    );
    let report = stemma_store::report(&store).unwrap();
    assert_eq!(report.documents.len(), acked.len());
}
