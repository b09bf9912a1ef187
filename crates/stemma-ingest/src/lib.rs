//! Reading crawled inputs (text, HTML, JSONL, WARC, folders) into [`RawDoc`]s.
//! This is an edge crate: it does file I/O. (Stub: being filled in.)
use std::path::{Path, PathBuf};

use stemma_core::RawDoc;

/// Why one input could not be read. Names the file and the reason.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum IngestError {
    /// The file could not be read or parsed.
    #[error("{path}: {reason}")]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// What was wrong.
        reason: String,
    },
}

/// Reads every document under `paths` (files or folders, recursively).
/// Bad inputs come out as `Err` items; the iteration goes on after them.
pub fn read_paths(paths: &[PathBuf]) -> impl Iterator<Item = Result<RawDoc, IngestError>> {
    paths
        .iter()
        .flat_map(|p| read_file(p))
        .collect::<Vec<_>>()
        .into_iter()
}

/// Reads one file.
pub fn read_file(path: &Path) -> Vec<Result<RawDoc, IngestError>> {
    let id = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    match std::fs::read_to_string(path) {
        Ok(s) => {
            let body = if path.extension().is_some_and(|e| e == "html" || e == "htm") {
                stemma_core::Body::Html(s)
            } else {
                stemma_core::Body::Text(s)
            };
            vec![Ok(RawDoc {
                id,
                url: None,
                published: None,
                origin: path.display().to_string(),
                body,
            })]
        }
        Err(e) => vec![Err(IngestError::Unreadable {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })],
    }
}
