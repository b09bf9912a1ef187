//! Word-level diff of two aligned passages.
use stemma_core::{DiffOp, Span};
use stemma_text::Thesaurus;

use crate::prep::Tok;

/// Counts of what the diff found.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct DiffStats {
    /// Tokens equal on both sides.
    pub equal: usize,
    /// Content tokens among `equal`.
    pub equal_content: usize,
    /// Substituted tokens (the larger side of each substitution).
    pub substituted: usize,
    /// Substitutions the thesaurus knows as synonyms.
    pub synonyms: usize,
    /// Tokens only the `b` side has.
    pub inserted: usize,
    /// Tokens only the `a` side has.
    pub deleted: usize,
}

impl DiffStats {
    pub fn add(&mut self, o: &DiffStats) {
        self.equal += o.equal;
        self.equal_content += o.equal_content;
        self.substituted += o.substituted;
        self.synonyms += o.synonyms;
        self.inserted += o.inserted;
        self.deleted += o.deleted;
    }
}

/// Largest token grid diffed exactly; larger passages get one coarse op.
const MAX_CELLS: usize = 300_000;

fn cover(toks: &[Tok]) -> Span {
    Span::new(toks[0].span.start, toks[toks.len() - 1].span.end)
}

fn phrase(toks: &[Tok]) -> String {
    toks.iter()
        .map(|t| t.norm.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Diffs token slices `a` and `b` (longest common subsequence of stems;
/// unmatched runs facing each other become substitutions).
pub(crate) fn diff(a: &[Tok], b: &[Tok], thes: Option<&Thesaurus>) -> (Vec<DiffOp>, DiffStats) {
    let (n, m) = (a.len(), b.len());
    let mut ops = Vec::new();
    let mut st = DiffStats::default();
    if n == 0 || m == 0 || n * m > MAX_CELLS {
        gap(a, b, thes, &mut ops, &mut st);
        return (ops, st);
    }
    // lcs[i][j] = LCS of a[i..], b[j..].
    let w = m + 1;
    let mut lcs = vec![0u16; (n + 1) * w];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i * w + j] = if a[i].key == b[j].key {
                lcs[(i + 1) * w + j + 1] + 1
            } else {
                lcs[(i + 1) * w + j].max(lcs[i * w + j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let (mut gi, mut gj) = (0, 0);
    while i < n && j < m {
        if a[i].key == b[j].key {
            if ops.is_empty() {
                // Words before the first match are passage-edge misalignment.
                edge(&a[gi..i], &b[gj..j], thes, &mut ops, &mut st);
            } else {
                gap(&a[gi..i], &b[gj..j], thes, &mut ops, &mut st);
            }
            let (si, sj) = (i, j);
            while i < n && j < m && a[i].key == b[j].key {
                i += 1;
                j += 1;
            }
            st.equal += i - si;
            st.equal_content += a[si..i].iter().filter(|t| t.content).count();
            ops.push(DiffOp::Equal {
                a: cover(&a[si..i]),
                b: cover(&b[sj..j]),
            });
            gi = i;
            gj = j;
        } else if lcs[(i + 1) * w + j] >= lcs[i * w + j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    edge(&a[gi..], &b[gj..], thes, &mut ops, &mut st);
    (ops, st)
}

/// Unmatched words at a passage edge: a deletion and an insertion.
fn edge(a: &[Tok], b: &[Tok], thes: Option<&Thesaurus>, ops: &mut Vec<DiffOp>, st: &mut DiffStats) {
    if !a.is_empty() && !b.is_empty() && a.len() <= 4 && b.len() <= 4 {
        // A short swap at the edge ("Officials" -> "Officers").
        gap(a, b, thes, ops, st);
        return;
    }
    if !a.is_empty() {
        st.deleted += a.len();
        ops.push(DiffOp::Delete { a: cover(a) });
    }
    if !b.is_empty() {
        st.inserted += b.len();
        ops.push(DiffOp::Insert { b: cover(b) });
    }
}

fn gap(a: &[Tok], b: &[Tok], thes: Option<&Thesaurus>, ops: &mut Vec<DiffOp>, st: &mut DiffStats) {
    match (a.is_empty(), b.is_empty()) {
        (true, true) => {}
        (false, true) => {
            st.deleted += a.len();
            ops.push(DiffOp::Delete { a: cover(a) });
        }
        (true, false) => {
            st.inserted += b.len();
            ops.push(DiffOp::Insert { b: cover(b) });
        }
        (false, false) if a.len() == b.len() && a.len() <= 4 => {
            for (x, y) in a.iter().zip(b) {
                let synonym = thes.is_some_and(|t| match (x.syn, y.syn) {
                    (Some(p), Some(q)) => t.synonym_ids(p, q),
                    _ => t.are_synonyms(&x.norm, &y.norm),
                });
                st.substituted += 1;
                st.synonyms += usize::from(synonym);
                ops.push(DiffOp::Substitute {
                    a: x.span,
                    b: y.span,
                    synonym,
                });
            }
        }
        (false, false) => {
            let synonym = a.len() <= 4
                && b.len() <= 4
                && thes.is_some_and(|t| t.are_synonyms(&phrase(a), &phrase(b)));
            st.substituted += a.len().max(b.len());
            st.synonyms += if synonym { a.len().max(b.len()) } else { 0 };
            ops.push(DiffOp::Substitute {
                a: cover(a),
                b: cover(b),
                synonym,
            });
        }
    }
}
