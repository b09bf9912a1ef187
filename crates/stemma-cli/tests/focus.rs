//! `--site` and `--document` narrow `stemma analyze` and `stemma report` to
//! what touches some sites or documents, in the contract's JSON shape.
use std::path::{Path, PathBuf};
use std::process::Command;

const STEMMA: &str = env!("CARGO_BIN_EXE_stemma");

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/corpus")
}

/// Runs stemma; returns its JSON report and its stderr.
fn run(args: &[&str]) -> (serde_json::Value, String) {
    let out = Command::new(STEMMA)
        .args(args)
        .output()
        .expect("run stemma");
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(out.status.success(), "stemma {args:?}: {stderr}");
    let report = serde_json::from_slice(&out.stdout).expect("JSON report");
    (report, stderr)
}

/// [`run`]'s report.
fn json(args: &[&str]) -> serde_json::Value {
    run(args).0
}

/// `stemma analyze CORPUS --format json --quiet` with `extra` arguments.
fn analyze(corpus: &str, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["analyze", corpus, "--format", "json", "--quiet"];
    args.extend_from_slice(extra);
    json(&args)
}

/// The sorted ids under `key` (`field` of each entry).
fn ids(v: &serde_json::Value, key: &str, field: &str) -> Vec<String> {
    let mut out: Vec<String> = v[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x[field].as_str().unwrap().to_string())
        .collect();
    out.sort();
    out
}

#[test]
fn a_site_keeps_its_articles_their_copies_and_copies_citing_it() {
    let corpus = corpus();
    let corpus = corpus.to_str().unwrap();
    let all = analyze(corpus, &[]);

    // The herald's two articles (by URL), the five copies of one, and the
    // independent report beside it; not the other story's copies.
    let herald = analyze(corpus, &["--site", "lakesideherald.example"]);
    let sources = ids(&herald, "relations", "source");
    assert_eq!(sources.len(), 5, "{herald}");
    assert!(sources.iter().all(|s| s == "lakeside-herald-original"));
    let docs = ids(&herald, "documents", "id");
    for id in [
        "lakeside-herald-original",
        "library-opening",
        "county-times-independent",
        "regional-wire-copy",
    ] {
        assert!(docs.contains(&id.to_string()), "{id} missing: {docs:?}");
    }
    assert!(!docs.contains(&"seaboard-spun".to_string()));
    assert!(herald["unseen_sources"].as_array().unwrap().is_empty());
    // Stories list kept documents only; every kept document is in one.
    let mut in_stories: Vec<String> = herald["stories"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["documents"].as_array().unwrap().clone())
        .map(|d| d.as_str().unwrap().to_string())
        .collect();
    in_stories.sort();
    assert_eq!(in_stories, docs);

    // A site that is only cited: the copies of its absent original.
    let cited = analyze(corpus, &["--site", "https://www.westcoastnews.example/"]);
    assert_eq!(ids(&cited, "unseen_sources", "id"), ["unseen:1"]);
    assert_eq!(
        ids(&cited, "documents", "id"),
        ["coastwatch-copy", "seaboard-spun"]
    );

    // One document by id: its source and nothing of the other stories.
    let one = analyze(corpus, &["--document", "metro-excerpt"]);
    assert_eq!(
        ids(&one, "documents", "id"),
        ["lakeside-herald-original", "metro-excerpt"]
    );
    assert_eq!(ids(&one, "relations", "derivative"), ["metro-excerpt"]);

    // The store's report narrows the same way.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("stemma.db");
    let db = db.to_str().unwrap();
    json(&["ingest", corpus, "--db", db, "--quiet", "--format", "json"]);
    let report_on = |site: &str| run(&["report", "--db", db, "--format", "json", "--site", site]);
    let (stored, _) = report_on("lakesideherald.example");
    assert_eq!(ids(&stored, "documents", "id"), docs);
    assert_eq!(
        ids(&stored, "relations", "derivative"),
        ids(&herald, "relations", "derivative")
    );
    // A site nothing is on: an empty report, and a note on stderr.
    let (none, stderr) = report_on("nowhere.example");
    assert!(none["documents"].as_array().unwrap().is_empty());
    assert!(stderr.contains("no document matches"), "{stderr}");
    // Without a focus, the whole report.
    assert_eq!(
        ids(&all, "documents", "id").len(),
        all["documents"].as_array().unwrap().len()
    );
    assert_eq!(all["documents"].as_array().unwrap().len(), 10);
}
