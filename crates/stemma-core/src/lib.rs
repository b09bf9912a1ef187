//! Shared vocabulary of Stemma: documents, spans, relation kinds and the
//! report shapes of `../shared/CONTRACT.md`.
//!
//! Every stage crate speaks these types, so that data flows
//! ingest -> extract -> index -> align -> story without conversions.
//! This crate does no I/O.
#![deny(missing_docs)]

mod span;
mod types;

pub use span::Span;
pub use types::*;
