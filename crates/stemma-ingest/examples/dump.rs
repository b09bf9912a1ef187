//! Prints one line per document or error read from the given paths, then a summary:
//! `cargo run -p stemma-ingest --release --example dump -- PATH...`
use std::path::PathBuf;
use std::time::Instant;

fn main() {
    let paths: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let quiet = std::env::var_os("QUIET").is_some();
    let start = Instant::now();
    let (mut docs, mut errors, mut bytes) = (0usize, 0usize, 0usize);
    for r in stemma_ingest::read_paths(&paths) {
        match r {
            Ok(d) => {
                docs += 1;
                bytes += d.body.as_str().len();
                if !quiet {
                    let kind = match d.body {
                        stemma_core::Body::Html(_) => "html",
                        stemma_core::Body::Text(_) => "text",
                    };
                    println!("{}\t{kind}\t{}\t{}", d.id, d.body.as_str().len(), d.origin);
                }
            }
            Err(e) => {
                errors += 1;
                eprintln!("error: {e}");
            }
        }
    }
    let secs = start.elapsed().as_secs_f64();
    eprintln!(
        "{docs} documents, {errors} errors, {:.1} MB in {secs:.2} s ({:.1} MB/s)",
        bytes as f64 / 1e6,
        bytes as f64 / 1e6 / secs.max(1e-9)
    );
}
