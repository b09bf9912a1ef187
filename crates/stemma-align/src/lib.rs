//! Pair verification: align two articles sentence by sentence, decide the
//! relation kind and direction, and collect evidence and fact drift.
//! Pure: no I/O. (Stub: being filled in.)
use stemma_core::{Article, Comparison, Direction, RelationKind};

/// Settings and shared resources (thesaurus, embedder) for comparisons.
#[derive(Debug, Default, Clone)]
pub struct AlignContext {}

/// Compares two articles. `evidence[].a_span` indexes `a.text`, `b_span` `b.text`.
pub fn compare(a: &Article, b: &Article, _ctx: &AlignContext) -> Comparison {
    let kind = if a.text == b.text && !a.text.is_empty() {
        RelationKind::Verbatim
    } else {
        RelationKind::Unrelated
    };
    Comparison {
        a: a.id.clone(),
        b: b.id.clone(),
        kind,
        direction: Direction::Unknown,
        confidence: 0.5,
        evidence: Vec::new(),
        drift: Vec::new(),
    }
}
