//! Fact drift: facts a derivative changed from its aligned source passage.
use stemma_core::{DiffOp, Drift, DriftKind, Span};
use stemma_text::{TokenKind, tokenize};

const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "yesterday",
    "today",
    "tomorrow",
];

const ROLES: &[&str] = &[
    "minister",
    "president",
    "chairman",
    "chairwoman",
    "chair",
    "chief",
    "director",
    "secretary",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "governor",
    "mayor",
    "ceo",
    "senator",
    "judge",
    "chancellor",
    "premier",
    "king",
    "queen",
    "prince",
    "general",
    "commissioner",
    "head",
    "leader",
    "manager",
    "coach",
    "captain",
    "deputy",
    "ambassador",
    "officer",
    "official",
    "prosecutor",
    "lawyer",
    "professor",
    "editor",
    "founder",
    "owner",
    "sheriff",
    "inspector",
];

fn is_date_word(norm: &str, kind: TokenKind) -> bool {
    if kind == TokenKind::Number {
        return norm.len() == 4 && (norm.starts_with("19") || norm.starts_with("20"));
    }
    MONTHS.contains(&norm)
}

fn classify(src: &str, der: &str, sentence_start: bool, in_quote: bool) -> Option<DriftKind> {
    let ts = tokenize(src);
    let td = tokenize(der);
    let has_num = |t: &[stemma_text::Token]| t.iter().any(|x| x.kind == TokenKind::Number);
    let has_date = |t: &[stemma_text::Token]| t.iter().any(|x| is_date_word(&x.norm, x.kind));
    if has_date(&ts) || has_date(&td) {
        return Some(DriftKind::Date);
    }
    if has_num(&ts) || has_num(&td) {
        return Some(DriftKind::Number);
    }
    if in_quote {
        return Some(DriftKind::Quote);
    }
    let role = |t: &[stemma_text::Token]| t.iter().any(|x| ROLES.contains(&x.norm.as_str()));
    if role(&ts) || role(&td) {
        return Some(DriftKind::Role);
    }
    let name = |t: &[stemma_text::Token], first: bool| {
        t.iter()
            .enumerate()
            .any(|(k, x)| x.capitalised && !(first && k == 0))
    };
    if name(&ts, false) || name(&td, sentence_start) {
        return Some(DriftKind::Name);
    }
    None
}

/// True when `pos` in `text` lies inside a quotation opened after `from`.
fn inside_quote(text: &str, from: usize, pos: usize) -> bool {
    let piece = text.get(from..pos).unwrap_or("");
    let straight = piece.matches('"').count();
    let open = piece.matches('\u{201c}').count();
    let close = piece.matches('\u{201d}').count();
    straight % 2 == 1 || open > close
}

/// Drift from the diff of one aligned passage. `src`/`der` are the source
/// and derivative texts and `ops` are already oriented (a = source);
/// `der_sentence` is the derivative passage's span.
pub(crate) fn from_ops(
    src: &str,
    der: &str,
    der_passage: Span,
    ops: &[DiffOp],
    out: &mut Vec<Drift>,
) {
    for op in ops {
        let DiffOp::Substitute { a, b, synonym } = op else {
            continue;
        };
        let (Some(sv), Some(dv)) = (a.slice(src), b.slice(der)) else {
            continue;
        };
        let sentence_start = der[der_passage.start..b.start].trim().is_empty()
            || der[..b.start].trim_end().ends_with(['.', '!', '?']);
        let quoted = inside_quote(der, der_passage.start, b.start);
        let Some(kind) = classify(sv, dv, sentence_start, quoted) else {
            continue;
        };
        if *synonym && !matches!(kind, DriftKind::Number | DriftKind::Date) {
            continue;
        }
        out.push(Drift {
            kind,
            source_span: Some(*a),
            derivative_span: *b,
            source_value: Some(sv.to_string()),
            derivative_value: dv.to_string(),
        });
    }
}
