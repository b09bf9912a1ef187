//! A plain word-level diff for display, used only when the backend's
//! comparison carries no word-level edits of its own (no evidence, or
//! evidence without `diff`). The aligner's own ops always win.

use stemma_core::{Comparison, DiffOp, Evidence, Span};

/// Largest token-grid the fallback diff will fill (words(a) x words(b)).
const MAX_CELLS: usize = 4_000_000;

/// Words of `text[span]` as byte spans into `text`.
fn words(text: &str, span: Span) -> Vec<Span> {
    let Some(part) = span.slice(text) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in part.char_indices() {
        let word = c.is_alphanumeric() || c == '\'' || c == '’';
        match (word, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push(Span::new(span.start + s, span.start + i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(Span::new(span.start + s, span.end));
    }
    out
}

/// Word-level edits turning `a[a_span]` into `b[b_span]`: equal runs,
/// substitutions (a deleted run directly followed by an inserted run),
/// inserts and deletes, in text order. Empty when the passages are too
/// long for the quadratic diff.
pub fn word_diff(a: &str, a_span: Span, b: &str, b_span: Span) -> Vec<DiffOp> {
    let wa = words(a, a_span);
    let wb = words(b, b_span);
    let (n, m) = (wa.len(), wb.len());
    if n.saturating_mul(m) > MAX_CELLS {
        return Vec::new();
    }
    let key = |t: &str, s: &Span| t[s.start..s.end].to_lowercase();
    let ka: Vec<String> = wa.iter().map(|s| key(a, s)).collect();
    let kb: Vec<String> = wb.iter().map(|s| key(b, s)).collect();
    // lcs[i][j] = LCS length of ka[i..], kb[j..]
    let w = m + 1;
    let mut lcs = vec![0u32; (n + 1) * w];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i * w + j] = if ka[i] == kb[j] {
                lcs[(i + 1) * w + j + 1] + 1
            } else {
                lcs[(i + 1) * w + j].max(lcs[i * w + j + 1])
            };
        }
    }
    let mut ops = Vec::new();
    let (mut i, mut j) = (0, 0);
    let mut del: Option<Span> = None;
    let mut ins: Option<Span> = None;
    let flush = |ops: &mut Vec<DiffOp>, del: &mut Option<Span>, ins: &mut Option<Span>| match (
        del.take(),
        ins.take(),
    ) {
        (Some(a), Some(b)) => ops.push(DiffOp::Substitute {
            a,
            b,
            synonym: false,
        }),
        (Some(a), None) => ops.push(DiffOp::Delete { a }),
        (None, Some(b)) => ops.push(DiffOp::Insert { b }),
        (None, None) => {}
    };
    while i < n || j < m {
        if i < n && j < m && ka[i] == kb[j] {
            flush(&mut ops, &mut del, &mut ins);
            match ops.last_mut() {
                Some(DiffOp::Equal { a: ea, b: eb }) => {
                    ea.end = wa[i].end;
                    eb.end = wb[j].end;
                }
                _ => ops.push(DiffOp::Equal { a: wa[i], b: wb[j] }),
            }
            i += 1;
            j += 1;
        } else if j < m && (i == n || lcs[i * w + j + 1] >= lcs[(i + 1) * w + j]) {
            ins = Some(ins.map_or(wb[j], |s| s.cover(&wb[j])));
            j += 1;
        } else {
            del = Some(del.map_or(wa[i], |s| s.cover(&wa[i])));
            i += 1;
        }
    }
    flush(&mut ops, &mut del, &mut ins);
    ops
}

/// Fills in word-level edits the comparison lacks. Returns true when it
/// had to (the page then says the highlighting is a plain word diff).
pub fn enrich(c: &mut Comparison, a: &str, b: &str) -> bool {
    let mut filled = false;
    if c.evidence.is_empty() && !a.trim().is_empty() && !b.trim().is_empty() {
        let a_span = Span::new(0, a.len());
        let b_span = Span::new(0, b.len());
        let diff = word_diff(a, a_span, b, b_span);
        let words = |t: &str, s| words(t, s).len();
        let same: usize = diff
            .iter()
            .filter_map(|op| match op {
                DiffOp::Equal { a: sa, .. } => Some(words(a, *sa)),
                _ => None,
            })
            .sum();
        let total = words(a, a_span) + words(b, b_span);
        if same > 0 {
            c.evidence.push(Evidence {
                a_span,
                b_span,
                similarity: if total == 0 {
                    0.0
                } else {
                    (2 * same) as f32 / total as f32
                },
                diff,
            });
            filled = true;
        }
    } else {
        for e in c.evidence.iter_mut().filter(|e| e.diff.is_empty()) {
            e.diff = word_diff(a, e.a_span, b, e.b_span);
            filled = true;
        }
    }
    filled
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(a: &str, b: &str, ops: &[DiffOp]) -> Vec<String> {
        ops.iter()
            .map(|op| match op {
                DiffOp::Equal { a: s, .. } => format!("={}", &a[s.start..s.end]),
                DiffOp::Substitute { a: sa, b: sb, .. } => {
                    format!("{}>{}", &a[sa.start..sa.end], &b[sb.start..sb.end])
                }
                DiffOp::Insert { b: s } => format!("+{}", &b[s.start..s.end]),
                DiffOp::Delete { a: s } => format!("-{}", &a[s.start..s.end]),
            })
            .collect()
    }

    #[test]
    fn diff_cases() {
        let cases: &[(&str, &str, &[&str])] = &[
            (
                "Harbour officials said the fire started at 3am.",
                "Harbour officers said the blaze started at 3am.",
                &[
                    "=Harbour",
                    "officials>officers",
                    "=said the",
                    "fire>blaze",
                    "=started at 3am",
                ],
            ),
            ("one two three", "one three", &["=one", "-two", "=three"]),
            ("one three", "one two three", &["=one", "+two", "=three"]),
            ("", "new words", &["+new words"]),
            ("Café über", "café über", &["=Café über"]),
        ];
        for (a, b, want) in cases {
            let ops = word_diff(a, Span::new(0, a.len()), b, Span::new(0, b.len()));
            assert_eq!(show(a, b, &ops), *want, "{a:?} vs {b:?}");
        }
    }

    #[test]
    fn enrich_keeps_aligner_ops() {
        let a = "x y";
        let mut c = Comparison {
            a: "a".into(),
            b: "b".into(),
            kind: stemma_core::RelationKind::Spun,
            direction: stemma_core::Direction::AToB,
            confidence: 1.0,
            evidence: vec![Evidence {
                a_span: Span::new(0, 3),
                b_span: Span::new(0, 3),
                similarity: 1.0,
                diff: vec![DiffOp::Equal {
                    a: Span::new(0, 3),
                    b: Span::new(0, 3),
                }],
            }],
            drift: vec![],
            lean: 0.0,
        };
        assert!(!enrich(&mut c, a, a));
        assert_eq!(c.evidence[0].diff.len(), 1);
    }
}
