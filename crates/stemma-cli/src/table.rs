//! The human-readable output format.
use stemma_core::{Article, Comparison, DiffOp, Evidence, Report};

/// Cuts `s` to at most `n` characters, adding an ellipsis.
fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// An evidence passage's word-level diff over `b`'s text, in CriticMarkup:
/// `{~~a's words~>b's words~~}` where words were swapped, `{--…--}` where
/// `a`'s were left out, `{++…++}` where `b` put some in; the text between
/// changes as `b` has it.
fn word_diff(e: &Evidence, a: &str, b: &str) -> String {
    // A marked stretch on one line, its whitespace runs one space.
    let flat = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = String::new();
    let mut at = e.b_span.start;
    // Whether the last thing written is a cut, to be set off from the next.
    let mut cut = false;
    // `b`'s text from `at` up to `to`, as it is.
    let keep = |out: &mut String, at: &mut usize, to: usize, cut: &mut bool| {
        if to > *at {
            let t = b.get(*at..to).unwrap_or("");
            if std::mem::take(cut) && t.starts_with(char::is_alphanumeric) {
                out.push(' ');
            }
            out.push_str(t);
            *at = to;
        }
    };
    let text = |t: Option<&str>| flat(t.unwrap_or(""));
    for op in &e.diff {
        // A swap or an addition: its mark, written where `b` has it.
        let (mark, sb) = match op {
            DiffOp::Equal { b: sb, .. } => {
                keep(&mut out, &mut at, sb.end, &mut cut);
                continue;
            }
            DiffOp::Delete { a: sa } => {
                // Set off from the word before; the space after it follows.
                if !out.is_empty() && !out.ends_with(char::is_whitespace) {
                    out.push(' ');
                }
                out.push_str(&format!("{{--{}--}}", text(sa.slice(a))));
                cut = true;
                continue;
            }
            DiffOp::Substitute { a: sa, b: sb, .. } => (
                format!("{{~~{}~>{}~~}}", text(sa.slice(a)), text(sb.slice(b))),
                sb,
            ),
            DiffOp::Insert { b: sb } => (format!("{{++{}++}}", text(sb.slice(b))), sb),
        };
        keep(&mut out, &mut at, sb.start, &mut cut);
        out.push_str(&mark);
        at = at.max(sb.end);
        cut = false;
    }
    keep(&mut out, &mut at, e.b_span.end, &mut cut);
    out
}

/// Prints documents, stories and relations as tables.
pub fn print_report(r: &Report) {
    println!("DOCUMENTS ({})", r.documents.len());
    println!(
        "{:<24} {:>7} {:>7}  {:<6} TITLE",
        "ID", "CHARS", "BOILER", "STORY"
    );
    for d in &r.documents {
        println!(
            "{:<24} {:>7} {:>7}  {:<6} {}",
            clip(&d.id, 24),
            d.chars,
            d.boilerplate_chars,
            d.story.as_deref().unwrap_or("-"),
            clip(&d.title, 60)
        );
    }
    println!();
    println!("STORIES ({})", r.stories.len());
    for s in &r.stories {
        println!(
            "{:<6} {:>3} docs  {}",
            s.id,
            s.documents.len(),
            clip(s.title.as_deref().unwrap_or(""), 60)
        );
    }
    println!();
    println!("RELATIONS ({})", r.relations.len());
    println!(
        "{:<24}    {:<24} {:<11} {:>5} {:>5} {:>5}",
        "SOURCE", "DERIVATIVE", "KIND", "CONF", "EVID", "DRIFT"
    );
    for rel in &r.relations {
        println!(
            "{:<24} -> {:<24} {:<11} {:>5.2} {:>5} {:>5}",
            clip(&rel.source, 24),
            clip(&rel.derivative, 24),
            rel.kind.as_str(),
            rel.confidence,
            rel.evidence.len(),
            rel.drift.len()
        );
    }
    if !r.unseen_sources.is_empty() {
        println!();
        println!("UNSEEN SOURCES ({})", r.unseen_sources.len());
        for u in &r.unseen_sources {
            println!(
                "{:<10} cited {:<16} derivatives {}",
                u.id,
                u.cited.as_deref().unwrap_or("-"),
                u.derivatives.join(", ")
            );
        }
    }
    if !r.independent.is_empty() {
        println!();
        println!("INDEPENDENT REPORTS ({})", r.independent.len());
        for l in &r.independent {
            println!(
                "{:<24} <> {:<24} {:>5.2}",
                clip(&l.a, 24),
                clip(&l.b, 24),
                l.similarity
            );
        }
    }
}

/// Prints a comparison with its aligned passages.
pub fn print_comparison(c: &Comparison, a: &Article, b: &Article, diff: bool) {
    println!(
        "{} vs {}: {} ({}), confidence {:.2}",
        c.a,
        c.b,
        c.kind,
        match c.direction {
            stemma_core::Direction::AToB => "a -> b",
            stemma_core::Direction::BToA => "b -> a",
            stemma_core::Direction::Unknown => "direction unknown",
        },
        c.confidence
    );
    for e in &c.evidence {
        let at = e.a_span.slice(&a.text).unwrap_or("");
        let bt = e.b_span.slice(&b.text).unwrap_or("");
        println!(
            "  [{:.2}] a {:?}: {}",
            e.similarity,
            [e.a_span.start, e.a_span.end],
            clip(at, 100)
        );
        println!(
            "         b {:?}: {}",
            [e.b_span.start, e.b_span.end],
            clip(bt, 100)
        );
        if diff {
            println!("         diff: {}", word_diff(e, &a.text, &b.text));
        }
    }
    // Drift is read with the source first: `a` unless b -> a.
    let derivative = if c.direction == stemma_core::Direction::BToA {
        'a'
    } else {
        'b'
    };
    for d in &c.drift {
        println!("  {}", drift_line(d, derivative));
    }
}

/// One drift as a line: the source's words and span, then the
/// derivative's (`derivative` names its side, `a` or `b`).
fn drift_line(d: &stemma_core::Drift, derivative: char) -> String {
    let source = if derivative == 'a' { 'b' } else { 'a' };
    let at = |s: stemma_core::Span| format!("[{}, {}]", s.start, s.end);
    let to = format!(
        "{derivative} {} {:?}",
        at(d.derivative_span),
        clip(&d.derivative_value, 100)
    );
    match (&d.source_value, d.source_span) {
        (Some(v), Some(span)) => format!(
            "drift {}: {source} {} {:?} -> {to}",
            d.kind.as_str(),
            at(span),
            clip(v, 100)
        ),
        _ => format!(
            "drift {}: {to} (no source passage supports it)",
            d.kind.as_str()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use stemma_core::Span;

    #[test]
    fn drift_lines_name_both_sides() {
        use stemma_core::{Drift, DriftKind};
        let changed = Drift {
            kind: DriftKind::Number,
            source_span: Some(Span::new(295, 300)),
            derivative_span: Span::new(218, 224),
            source_value: Some("9,000".into()),
            derivative_value: "15,000".into(),
        };
        assert_eq!(
            drift_line(&changed, 'b'),
            r#"drift number: a [295, 300] "9,000" -> b [218, 224] "15,000""#
        );
        assert_eq!(
            drift_line(&changed, 'a'),
            r#"drift number: b [295, 300] "9,000" -> a [218, 224] "15,000""#
        );
        let claim = Drift {
            kind: DriftKind::Unsupported,
            source_span: None,
            derivative_span: Span::new(369, 433),
            source_value: None,
            derivative_value: "Insurers expect claims to exceed 30 million euro.".into(),
        };
        assert_eq!(
            drift_line(&claim, 'b'),
            r#"drift unsupported: b [369, 433] "Insurers expect claims to exceed 30 million euro." (no source passage supports it)"#
        );
    }

    #[test]
    fn word_diff_marks_swaps_cuts_and_additions() {
        let a = "Officials in Ireland said it will open.";
        let b = "Officers in Eire said that it opens soon.";
        let s = |x: usize, y: usize| Span::new(x, y);
        let e = Evidence {
            a_span: s(0, a.len()),
            b_span: s(0, b.len()),
            similarity: 0.8,
            diff: vec![
                DiffOp::Substitute {
                    a: s(0, 9),
                    b: s(0, 8),
                    synonym: true,
                },
                DiffOp::Equal {
                    a: s(10, 12),
                    b: s(9, 11),
                },
                DiffOp::Substitute {
                    a: s(13, 20),
                    b: s(12, 16),
                    synonym: true,
                },
                DiffOp::Equal {
                    a: s(21, 25),
                    b: s(17, 21),
                },
                DiffOp::Insert { b: s(22, 26) },
                DiffOp::Equal {
                    a: s(26, 28),
                    b: s(27, 29),
                },
                DiffOp::Delete { a: s(29, 33) },
                DiffOp::Substitute {
                    a: s(34, 38),
                    b: s(30, 35),
                    synonym: false,
                },
                DiffOp::Insert { b: s(36, 40) },
            ],
        };
        assert_eq!(
            word_diff(&e, a, b),
            "{~~Officials~>Officers~~} in {~~Ireland~>Eire~~} said {++that++} it \
             {--will--} {~~open~>opens~~} {++soon++}."
        );
    }
}
