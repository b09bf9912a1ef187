//! Writes the bad-input corpus of the reliability tests (full size: a 100 MB single-line
//! page, 100k-deep HTML, 1 GiB zip bombs...) into an empty folder, and its manifest
//! (`expected.json`: good ids, bad files with the phrase their error must hold) next to it.
//!
//! `cargo run --release -p stemma-ingest --example bad_corpus -- OUT_DIR [--small]`
//!
//! The corpus goes to `OUT_DIR/corpus/`, the manifest to `OUT_DIR/expected.json`.
#[path = "../tests/support/bad_corpus.rs"]
mod bad_corpus;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(out) = args.next() else {
        eprintln!("usage: bad_corpus OUT_DIR [--small]");
        std::process::exit(2);
    };
    let scale = if args.next().as_deref() == Some("--small") {
        bad_corpus::Scale::SMALL
    } else {
        bad_corpus::Scale::FULL
    };
    let out = std::path::Path::new(&out);
    let corpus = out.join("corpus");
    std::fs::create_dir_all(&corpus).expect("create OUT_DIR/corpus");
    let ex = bad_corpus::write_corpus(&corpus, scale);
    std::fs::write(out.join("expected.json"), ex.to_json()).expect("write expected.json");
    println!(
        "{}: {} good documents, {} bad files",
        corpus.display(),
        ex.good.len(),
        ex.errors.len()
    );
}
