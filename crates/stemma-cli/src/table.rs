//! The human-readable output format.
use stemma_core::{Article, Comparison, Report};

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
pub fn print_comparison(c: &Comparison, a: &Article, b: &Article) {
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
    }
    for d in &c.drift {
        println!(
            "  drift {:?}: {:?} -> {:?}",
            d.kind,
            d.source_value.as_deref().unwrap_or("(none)"),
            d.derivative_value
        );
    }
}
