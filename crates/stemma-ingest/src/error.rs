//! Errors: one per bad input, each naming the file, the position and the reason.
use std::fmt;

/// Where in a file a problem was found.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Position {
    /// A 1-based line of a JSONL file.
    Line(u64),
    /// A WARC record starting at this byte offset of the (decompressed) stream.
    Record {
        /// Byte offset of the record's version line.
        offset: u64,
        /// The record's WARC-Record-ID, when it was read.
        id: Option<String>,
    },
    /// A byte offset of the (decompressed) stream, outside any complete record.
    Byte(u64),
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Position::Line(n) => write!(f, "line {n}"),
            Position::Record { offset, id: None } => write!(f, "record at byte {offset}"),
            Position::Record {
                offset,
                id: Some(id),
            } => write!(f, "record at byte {offset} ({id})"),
            Position::Byte(n) => write!(f, "at byte {n}"),
        }
    }
}

/// What was wrong with one input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Reason {
    /// The bytes look like a binary file (NUL bytes or many control characters).
    #[error("binary content (NUL bytes or control characters), not text")]
    Binary,
    /// Nothing but whitespace.
    #[error("empty document")]
    Empty,
    /// A document or record above the size limit.
    #[error("document of {size} bytes is over the {limit}-byte limit")]
    TooLarge {
        /// Size seen (a lower bound when the input was not read to its end).
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// A JSONL line that is not a JSON object.
    #[error("invalid JSON: {0}")]
    InvalidJson(String),
    /// A JSONL object without a usable `text` or `html` field.
    #[error("no \"text\" or \"html\" string field")]
    MissingBody,
    /// Malformed WARC or HTTP framing.
    #[error("malformed record: {0}")]
    Malformed(String),
    /// The input ended inside a record.
    #[error("truncated: {0}")]
    Truncated(String),
    /// Compressed data that ended early or is corrupt.
    #[error("truncated or corrupt gzip data: {0}")]
    Gzip(String),
    /// Decompression produced more than the cap allows (a zip bomb?).
    #[error("decompressed size over the limit (possible zip bomb): {0}")]
    DecompressionLimit(String),
    /// An HTTP content or transfer encoding this reader cannot undo.
    #[error("unsupported encoding {0:?}")]
    UnsupportedEncoding(String),
    /// An I/O error while reading.
    #[error("read error: {0}")]
    Io(String),
}

/// Why one input could not be read. `Display` is one line: `<file>: <reason>`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum IngestError {
    /// The file or folder could not be opened or read.
    #[error("{file}: cannot read: {source}")]
    Unreadable {
        /// The file or folder.
        file: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A file named explicitly whose extension is not a known input type.
    #[error("{file}: unsupported file type (expected .txt, .html, .htm, .jsonl[.gz], .warc[.gz])")]
    Unsupported {
        /// The file.
        file: String,
    },
    /// The whole file was rejected (binary, empty, oversized, ...).
    #[error("{file}: {reason}")]
    Document {
        /// The file.
        file: String,
        /// What was wrong.
        reason: Reason,
    },
    /// One record of a container file (JSONL line, WARC record) was rejected;
    /// reading goes on with the next record when the framing allows it.
    #[error("{file}: {at}: {reason}")]
    Record {
        /// The file.
        file: String,
        /// Where in the file.
        at: Position,
        /// What was wrong.
        reason: Reason,
    },
    /// A document whose id was already read in this run; it is skipped.
    #[error("{file}: {at}duplicate id {id:?} ({what} {first}), skipped", at = at.as_ref().map(|p| format!("{p}: ")).unwrap_or_default(), what = if *same_content { "same content as" } else { "different content from the one first read from" })]
    DuplicateId {
        /// The file holding the later document.
        file: String,
        /// Where in that file, for container files.
        at: Option<Position>,
        /// The id.
        id: String,
        /// Where the id was first seen (file and position).
        first: String,
        /// Whether the two documents have the same body.
        same_content: bool,
    },
}

impl IngestError {
    /// The file this error is about.
    pub fn file(&self) -> &str {
        match self {
            IngestError::Unreadable { file, .. }
            | IngestError::Unsupported { file }
            | IngestError::Document { file, .. }
            | IngestError::Record { file, .. }
            | IngestError::DuplicateId { file, .. } => file,
        }
    }

    /// The reason, for the variants that carry one.
    pub fn reason(&self) -> Option<&Reason> {
        match self {
            IngestError::Document { reason, .. } | IngestError::Record { reason, .. } => {
                Some(reason)
            }
            _ => None,
        }
    }
}
