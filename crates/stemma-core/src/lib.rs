//! Shared vocabulary of Stemma: documents, spans, relation kinds and the
//! report shapes of `../shared/CONTRACT.md`.
//!
//! Every stage crate speaks these types, so that data flows
//! ingest -> extract -> index -> align -> story without conversions.
//! This crate does no I/O.
#![deny(missing_docs)]

mod credit;
mod host;
mod span;
mod types;

pub use credit::credit_lines;
pub use host::{on_site, same_site, url_host};
pub use span::Span;
pub use types::*;

/// Turns sentences into unit-length vectors whose dot product measures
/// meaning overlap. Implemented by `stemma-embed` (a real model) and by
/// lexical fallbacks; stages take it as `Arc<dyn Embedder>`.
pub trait Embedder: Send + Sync + std::fmt::Debug {
    /// A short name for reports (`"all-MiniLM-L6-v2"`, `"lexical"`).
    fn name(&self) -> &str;
    /// One L2-normalised vector per input sentence, all of one length.
    fn embed(&self, sentences: &[&str]) -> Vec<Vec<f32>>;
}
