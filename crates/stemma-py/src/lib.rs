//! Stemma's Rust core over Arrow record batches, for Python and Apache Spark.
//!
//! Every operation takes and returns Arrow IPC stream bytes (one schema,
//! any number of record batches), so that the Python side (`stemma._native`,
//! built by maturin with the `extension-module` feature) hands pyarrow
//! batches across without sharing a pyo3/arrow version with any other
//! package, and no Rust object ever crosses the pickle boundary. The
//! operations are the stages of `stemma analyze`, cut where a distributed
//! engine needs to shuffle:
//!
//! - [`ops::read_files`]: files (txt, html, JSONL, WARC) -> raw documents;
//! - [`ops::line_keys`]: per-document line facts for corpus boilerplate
//!   statistics, and [`ops::extract`]: raw documents plus the votes gathered
//!   from those facts -> articles with their signatures and LSH band keys;
//! - [`ops::sketch_pairs`]: key-term sketch candidates from a per-worker
//!   index built lazily from broadcast bytes;
//! - [`ops::verify`]: candidate pairs with both texts -> comparisons;
//! - [`ops::components`]: union-find connected components of an edge list;
//! - [`ops::report`]: articles and comparisons -> the contract's report,
//!   by `stemma_pipeline::report_from` (derivation rules and stories).
//!
//! Spark has no unsigned integers: `u64` hashes travel as `i64` and `u32`
//! MinHash values as `i32`, bit for bit.
#![deny(missing_docs)]

pub mod batch;
pub mod ops;
#[cfg(feature = "python")]
mod python;

/// What went wrong in an operation, naming the column or the input.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The bytes are not a readable Arrow IPC stream, or writing one failed.
    #[error("arrow ipc ({stage}): {source}")]
    Ipc {
        /// The operation and side (e.g. `verify input`).
        stage: &'static str,
        /// The arrow error.
        source: arrow_schema::ArrowError,
    },
    /// A required column is missing or of another type.
    #[error("column `{name}`: {reason}")]
    Column {
        /// The column name.
        name: String,
        /// What was expected.
        reason: String,
    },
    /// A value that cannot be used (a bad comparison JSON, an index out of range).
    #[error("row {row} of `{name}`: {reason}")]
    Value {
        /// The column name.
        name: String,
        /// The row.
        row: usize,
        /// What is wrong.
        reason: String,
    },
}

/// Result of an operation.
pub type Result<T> = std::result::Result<T, Error>;

#[cfg(test)]
mod tests;
