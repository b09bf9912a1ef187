//! Reading crawled inputs into [`RawDoc`]s, robustly and as a stream.
//!
//! This is an edge crate: it does the file I/O of the pipeline. Inputs, recognised by
//! extension (case-insensitive): `.txt` (id = file stem, [`Body::Text`](stemma_core::Body)),
//! `.html` / `.htm` (id = file stem, `Body::Html`), `.jsonl[.gz]` (one article per line,
//! see [`parse_jsonl`]) and `.warc[.gz]` (HTML `response` records, see [`parse_warc`]).
//! Gzip is detected by its magic number, so `.gz` on other types works too, and multi-member
//! files (one member per WARC record) are read whole.
//!
//! Every bad input gives exactly one `Err` naming the file, the position and the reason,
//! and reading goes on: unreadable files, binaries, empty documents, documents over
//! [`MAX_DOC_BYTES`], malformed JSON lines, truncated or corrupt gzip (the records before
//! the damage are kept), truncated WARC records, decompression bombs (see
//! [`MAX_INFLATE_RATIO`]), files of an unknown type named explicitly (folders skip them
//! silently, as well as dot-files), and duplicate ids.
//!
//! **Ids.** A later document whose id was already read in the run is reported as
//! [`IngestError::DuplicateId`] (naming both places) and skipped, except for `.txt`/`.html`
//! files found in a folder: there a clashing file stem falls back to the path relative to
//! the named folder (`sport/001` after `business/001` took `001`), since stems repeat across
//! sub-folders in real corpora, and then to that path with its extension (`good.txt` after
//! `good.html` took `good`). A file reached twice (named twice, or inside a folder also
//! named) is read once.
//!
//! **Charsets.** See [`charset`]: BOM, then valid UTF-8, then declared charsets, then a
//! statistical guess.
//!
//! ```
//! use stemma_ingest::parse_jsonl;
//! let input = b"{\"id\": \"a1\", \"text\": \"Hello.\"}\nnot json\n";
//! let results: Vec<_> = parse_jsonl(&input[..], "feed.jsonl").collect();
//! assert_eq!(results[0].as_ref().unwrap().id, "a1");
//! assert_eq!(
//!     results[1].as_ref().unwrap_err().to_string(),
//!     "feed.jsonl: line 2: invalid JSON: expected ident at line 1 column 2"
//! );
//! ```
#![deny(missing_docs)]

use std::path::{Path, PathBuf};

use stemma_core::RawDoc;

pub mod charset;
mod date;
mod doc;
mod error;
mod fs;
mod http;
mod jsonl;
mod read;
mod warc;

pub use charset::{decode_html, decode_text};
pub use date::{normalize_published, normalize_unix_seconds};
pub use doc::{content_hash, parse_html, parse_text};
pub use error::{IngestError, Position, Reason};
pub use fs::{FileKind, ReadPaths, file_id};
pub use http::{HttpResponse, dechunk, parse_http_response};
pub use jsonl::{JsonlReader, parse_jsonl, parse_jsonl_record};
pub use read::{INFLATE_FREE_BYTES, MAX_INFLATE_RATIO};
pub use warc::{WarcReader, parse_warc};

/// Largest document body accepted (64 MiB), after decoding.
pub const MAX_DOC_BYTES: u64 = 64 << 20;
/// Largest raw record accepted (a JSONL line or a WARC block, 128 MiB): room for JSON
/// escapes, HTTP headers and compression around a document of [`MAX_DOC_BYTES`].
pub const MAX_RECORD_BYTES: u64 = 2 * MAX_DOC_BYTES;

/// Reads every document under `paths` (files or folders, recursively, entries in sorted
/// order), as a stream: one file is open at a time and container files are read record by
/// record. Bad inputs come out as `Err` items; the iteration goes on after them.
pub fn read_paths(paths: &[PathBuf]) -> impl Iterator<Item = Result<RawDoc, IngestError>> + Send {
    ReadPaths::new(paths)
}

/// Reads one file (or folder) into a vector; [`read_file_iter`] streams instead.
pub fn read_file(path: &Path) -> Vec<Result<RawDoc, IngestError>> {
    read_file_iter(path).collect()
}

/// Streams the documents of one file (or folder).
pub fn read_file_iter(path: &Path) -> ReadPaths {
    ReadPaths::new(&[path.to_path_buf()])
}
