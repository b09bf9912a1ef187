//! `stemma-bench drift`: how well the verifier reports changed facts.
//!
//! No labelled set marks fact changes, so they are made here, in real text:
//! from every 11th BBC article of `bbc-news` (200 at most), two derivatives,
//! a plain copy and a synonym-spun copy (10% of words, as `gen` spins), each
//! carrying at most one edit of every drift kind, at least a sentence apart:
//! - `number`: a figure changed (`12` -> `17`);
//! - `date`: a month or weekday for another of its class;
//! - `role`: a title for another ("minister" -> "chairman");
//! - `name`: a name for one taken from an article of another topic;
//! - `quote`: a word inside quotation marks for a word of another article;
//! - `unsupported`: a sentence of another article of the same topic put in.
//!
//! The spinner leaves the edited words alone, so that each edit is the only
//! change of its fact. Every derivative is compared with its source (source
//! first). An edit is found when a drift of its kind covers the edited bytes
//! of the derivative; a reported drift is right when it covers an edit of
//! its kind, or a spinner's swap of a name, date, title or quoted word (a
//! changed fact too). Synonym swaps of other words should give no drift.
//! Quote edits are made only where both readings of the marks (an odd count
//! on the line, and `stemma_text::quoted_spans`) put the word in a
//! quotation; a swap either reading puts in one counts as quoted. Each
//! derivative is also compared the other way round (derivative first): the
//! drift should not depend on which text is passed first.
//!
//! Last, the drift reported on the l2r-news GPT rewrites (which keep their
//! source's facts, as a rule) is counted per kind: a measure of noise.
//!
//! Derivatives the verifier reads the wrong way round (derivative as the
//! source) get their drift read backwards; they count as misses, and the
//! examples listed leave them out (`DRIFT_DEBUG=1` lists every miss, with
//! where the evidence left it, and on stderr each derivative read
//! backwards, with its kind and lean).
//!
//! `cargo run --release -p stemma-bench -- drift [--no-out] [--out FILE]`
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::sync::Arc;

use anyhow::{Context, Result};
use stemma_align::compare_with_features;
use stemma_core::{Article, Direction, DriftKind};

use crate::corpus::{self, Rng};
use crate::{MONTHS, f1, ratio};

const WEEKDAYS: &[&str] = &[
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
const ROLES: &[&str] = &[
    "minister",
    "president",
    "chairman",
    "director",
    "secretary",
    "spokesman",
    "governor",
    "chancellor",
    "manager",
    "leader",
    "coach",
    "captain",
    "editor",
    "chief",
];

/// Words the verifier reads as facts of another kind (titles, figures):
/// the generator neither replaces them as names nor lends them as names or
/// plain words, so that each edit changes a fact of its own kind only.
fn fact_like(w: &str) -> bool {
    const OTHER: &[&str] = &[
        "secretary",
        "general",
        "official",
        "officer",
        "spokeswoman",
        "spokesperson",
        "head",
        "deputy",
        "premier",
        "king",
        "queen",
        "prince",
        "judge",
        "mayor",
        "senator",
        "owner",
        "founder",
        "professor",
        "lawyer",
        "chair",
        "chairwoman",
        "executive",
        "publisher",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "twenty",
        "thirty",
        "forty",
        "fifty",
        "hundred",
        "thousand",
        "million",
        "today",
        "yesterday",
        "tomorrow",
        "may",
    ];
    let w = w.to_lowercase();
    ROLES.contains(&w.as_str()) || OTHER.contains(&w.as_str())
}

/// Drift kinds in report order.
const KINDS: &[DriftKind] = &[
    DriftKind::Number,
    DriftKind::Date,
    DriftKind::Role,
    DriftKind::Name,
    DriftKind::Quote,
    DriftKind::Unsupported,
];

/// One made edit: its kind and the derivative's bytes it covers.
#[derive(Debug, Clone)]
struct Edit {
    kind: DriftKind,
    start: usize,
    end: usize,
    from: String,
    to: String,
}

/// A replacement planned on the source: source bytes `start..end` become
/// `to` (an insertion when the range is empty).
struct Plan {
    kind: DriftKind,
    start: usize,
    end: usize,
    to: String,
}

/// Byte ranges of the letter-or-digit runs of `text`.
fn tokens(text: &str) -> Vec<(usize, usize)> {
    corpus::spans(text, char::is_alphanumeric)
}

/// True when the token at `s` opens a sentence or a line.
fn opens_sentence(text: &str, s: usize) -> bool {
    let before = text[..s].trim_end_matches([' ', '"', '\'', '(']);
    before.is_empty() || before.ends_with(['.', '!', '?', '\n', ':'])
}

/// How `s` reads against the quotation marks of its line: `(parity, shape)`,
/// inside an odd number of marks, and inside a quotation as
/// [`stemma_text::quoted_spans`] reads marks by their shape. They differ
/// where a quotation runs over paragraphs that this corpus joins on one
/// line (`"We won. "Next year...`): an edit's truth takes only words both
/// readings put inside (or outside) a quotation, so that neither reader's
/// habits decide what counts as a quote.
fn quote_readings(text: &str, s: usize) -> (bool, bool) {
    let line_start = text[..s].rfind('\n').map_or(0, |p| p + 1);
    let line_end = text[s..].find('\n').map_or(text.len(), |p| s + p);
    let parity = text[line_start..s].matches('"').count() % 2 == 1;
    let at = s - line_start;
    let shape = stemma_text::quoted_spans(&text[line_start..line_end])
        .iter()
        .any(|q| q.start < at && at < q.end);
    (parity, shape)
}

/// True when both readings put `s` inside a quotation.
fn in_quotes(text: &str, s: usize) -> bool {
    quote_readings(text, s) == (true, true)
}

/// True when either reading puts `s` inside a quotation.
fn maybe_in_quotes(text: &str, s: usize) -> bool {
    quote_readings(text, s) != (false, false)
}

/// True when `text[s..e]` reads as a name: a capitalised word (or an
/// acronym) of three letters or more that does not open a sentence, and no
/// month, weekday, title or figure.
fn is_name(text: &str, s: usize, e: usize) -> bool {
    let w = &text[s..e];
    e - s >= 3
        && w.chars().next().is_some_and(char::is_uppercase)
        && w.chars().all(char::is_alphabetic)
        && !opens_sentence(text, s)
        && !stemma_text::is_stopword(&w.to_lowercase())
        && !MONTHS.contains(&w)
        && !WEEKDAYS.contains(&w)
        && !fact_like(w)
}

/// The names of `text` (see [`is_name`]).
fn names_of(text: &str) -> Vec<&str> {
    tokens(text)
        .into_iter()
        .filter(|&(s, e)| is_name(text, s, e))
        .map(|(s, e)| &text[s..e])
        .collect()
}

/// Sentences of eight words or more of `text`, without quotation marks.
fn long_sentences(text: &str) -> Vec<&str> {
    text.split_inclusive(['.', '\n'])
        .map(str::trim)
        .filter(|s| s.ends_with('.') && s.split_whitespace().count() >= 8 && !s.contains('"'))
        .collect()
}

/// The edits planned for `text`, one per kind where the text allows, at
/// least `GAP` bytes apart; `other`, an article of another topic, lends
/// names and words, and `kin`, one of the same topic, the sentence put in.
fn plan(text: &str, (other, kin): (&str, &str), rng: &mut Rng) -> Vec<Plan> {
    const GAP: usize = 60;
    let toks = tokens(text);
    // The title line (the first) is left alone.
    let body = text.find('\n').unwrap_or(0);
    let lower: HashSet<String> = toks
        .iter()
        .map(|&(s, e)| text[s..e].to_lowercase())
        .collect();
    let mut plans: Vec<Plan> = Vec::new();
    let free = |plans: &[Plan], s: usize, e: usize| {
        plans.iter().all(|p| s >= p.end + GAP || e + GAP <= p.start)
    };
    let pick = |plans: &mut Vec<Plan>,
                kind: DriftKind,
                cands: Vec<(usize, usize)>,
                to: &dyn Fn(&str, &mut Rng) -> Option<String>,
                rng: &mut Rng| {
        let cands: Vec<(usize, usize)> = cands
            .into_iter()
            .filter(|&(s, e)| s > body && free(plans, s, e))
            .collect();
        if cands.is_empty() {
            return;
        }
        let (s, e) = cands[rng.below(cands.len())];
        if let Some(to) = to(&text[s..e], rng) {
            plans.push(Plan {
                kind,
                start: s,
                end: e,
                to,
            });
        }
    };
    let digits = |w: &str| w.chars().all(|c| c.is_ascii_digit());
    let numbers: Vec<(usize, usize)> = toks
        .iter()
        .copied()
        .filter(|&(s, e)| {
            let w = &text[s..e];
            let year = w.len() == 4 && (w.starts_with("19") || w.starts_with("20"));
            digits(w)
                && !year
                && !text[e..].starts_with(['.', ','])
                && !text[..s].ends_with(['.', ','])
        })
        .collect();
    pick(
        &mut plans,
        DriftKind::Number,
        numbers,
        &|w, rng| {
            let n: u64 = w.parse().ok()?;
            Some((n + 1 + rng.below(9) as u64).to_string())
        },
        rng,
    );
    let of_class = |class: &'static [&'static str]| {
        toks.iter()
            .copied()
            .filter(|&(s, e)| class.contains(&&text[s..e]))
            .collect::<Vec<_>>()
    };
    let swap_in = |class: &'static [&'static str]| {
        move |w: &str, rng: &mut Rng| {
            let others: Vec<&&str> = class.iter().filter(|c| **c != w).collect();
            Some(others[rng.below(others.len())].to_string())
        }
    };
    let mut dates = of_class(MONTHS);
    dates.extend(of_class(WEEKDAYS));
    let date_to = |w: &str, rng: &mut Rng| {
        if MONTHS.contains(&w) {
            swap_in(MONTHS)(w, rng)
        } else {
            swap_in(WEEKDAYS)(w, rng)
        }
    };
    pick(&mut plans, DriftKind::Date, dates, &date_to, rng);
    pick(
        &mut plans,
        DriftKind::Role,
        of_class(ROLES),
        &swap_in(ROLES),
        rng,
    );
    let foreign: Vec<&str> = names_of(other)
        .into_iter()
        .filter(|n| !lower.contains(&n.to_lowercase()))
        .collect();
    let names: Vec<(usize, usize)> = toks
        .iter()
        .copied()
        .filter(|&(s, e)| is_name(text, s, e) && !maybe_in_quotes(text, s))
        .collect();
    pick(
        &mut plans,
        DriftKind::Name,
        names,
        &|_, rng| (!foreign.is_empty()).then(|| foreign[rng.below(foreign.len())].to_string()),
        rng,
    );
    let plain: Vec<String> = corpus_words(other)
        .into_iter()
        .filter(|w| !lower.contains(w))
        .collect();
    let quoted: Vec<(usize, usize)> = toks
        .iter()
        .copied()
        .filter(|&(s, e)| {
            let w = &text[s..e];
            e - s >= 4
                && w.chars().all(|c| c.is_ascii_lowercase())
                && !stemma_text::is_stopword(w)
                && in_quotes(text, s)
        })
        .collect();
    pick(
        &mut plans,
        DriftKind::Quote,
        quoted,
        &|_, rng| (!plain.is_empty()).then(|| plain[rng.below(plain.len())].clone()),
        rng,
    );
    // A sentence of another article of the same topic (a claim on the same
    // subject the source does not make), put in after a sentence of the
    // middle third.
    let ends: Vec<(usize, usize)> = text
        .match_indices(". ")
        .map(|(i, _)| (i + 2, i + 2))
        .filter(|&(i, _)| i > text.len() / 3 && i < 2 * text.len() / 3)
        .collect();
    let lent = long_sentences(kin);
    if !lent.is_empty() {
        let s = lent[rng.below(lent.len())].to_string();
        pick(
            &mut plans,
            DriftKind::Unsupported,
            ends,
            &|_, _| Some(format!("{s} ")),
            rng,
        );
    }
    plans.sort_by_key(|p| p.start);
    plans
}

/// Lower-case content words of five letters or more of `text`.
fn corpus_words(text: &str) -> Vec<String> {
    let mut seen = HashSet::new();
    tokens(text)
        .into_iter()
        .map(|(s, e)| &text[s..e])
        .filter(|w| w.len() >= 5 && w.chars().all(|c| c.is_ascii_lowercase()))
        .filter(|w| !stemma_text::is_stopword(w) && !fact_like(w))
        .filter(|w| seen.insert(*w))
        .map(str::to_string)
        .collect()
}

/// What a spinner's swap of the source word at `s..e` changes: a name, a
/// date, a role or a quoted word (`None` for a plain word outside quotes,
/// whose swap changes no fact).
fn swapped_fact(text: &str, s: usize, e: usize) -> Option<DriftKind> {
    let w = &text[s..e];
    if MONTHS.contains(&w) || WEEKDAYS.contains(&w) {
        Some(DriftKind::Date)
    } else if fact_like(w) {
        Some(DriftKind::Role)
    } else if is_name(text, s, e) {
        Some(DriftKind::Name)
    } else if maybe_in_quotes(text, s) {
        Some(DriftKind::Quote)
    } else {
        None
    }
}

/// The derivative with `plans` carried out, its stretches between edits
/// spun at `rate` (none at 0); the edits' places in it, and those of the
/// spinner's swaps that change a fact (see [`swapped_fact`]).
fn apply(
    text: &str,
    plans: &[Plan],
    rate: f64,
    syn: &HashMap<String, Vec<String>>,
    rng: &mut Rng,
) -> (String, Vec<Edit>, Vec<Edit>) {
    let mut out = String::with_capacity(text.len() + 256);
    let (mut edits, mut swapped) = (Vec::new(), Vec::new());
    let mut at = 0;
    let mut push_between = |out: &mut String, from: usize, to: usize, rng: &mut Rng| {
        let piece = &text[from..to];
        if rate == 0.0 {
            out.push_str(piece);
            return;
        }
        let (spun, swaps) = corpus::spin_marked(piece, rate, syn, rng);
        for sw in swaps {
            let (s, e) = (from + sw.from.0, from + sw.from.1);
            if let Some(kind) = swapped_fact(text, s, e) {
                swapped.push(Edit {
                    kind,
                    start: out.len() + sw.to.0,
                    end: out.len() + sw.to.1,
                    from: text[s..e].to_string(),
                    to: spun[sw.to.0..sw.to.1].to_string(),
                });
            }
        }
        out.push_str(&spun);
    };
    for p in plans {
        push_between(&mut out, at, p.start, rng);
        let start = out.len();
        out.push_str(&p.to);
        // An inserted sentence's span leaves out its trailing space.
        let end = start + p.to.trim_end().len();
        edits.push(Edit {
            kind: p.kind,
            start,
            end,
            from: text[p.start..p.end].to_string(),
            to: p.to.trim_end().to_string(),
        });
        at = p.end;
    }
    push_between(&mut out, at, text.len(), rng);
    (out, edits, swapped)
}

/// Per-kind tallies.
#[derive(Default, Clone, Copy)]
struct Tally {
    made: usize,
    found: usize,
    found_any: usize,
    reported: usize,
    right: usize,
}

/// Runs the evaluation.
pub fn run(args: &[String]) -> Result<()> {
    let out_path = crate::out_path(args, "bench/results/drift.txt")?;
    let data = crate::data_dir();
    let bbc = corpus::read_bbc(&data)?;
    let syn = corpus::load_synonyms();
    let (ctx, ctx_note) = crate::derive::eval_context(crate::derive::wants_embedder(args));
    let mut rng = Rng(23);
    let picked: Vec<(usize, &(String, String))> =
        bbc.iter().enumerate().step_by(11).take(200).collect();
    let mut w = String::new();
    writeln!(w, "# stemma-bench drift ({})", crate::utc_now())?;
    writeln!(w, "command: cargo run --release -p stemma-bench -- drift")?;
    writeln!(w, "{ctx_note}")?;
    // The examples listed leave out derivatives read backwards (counted
    // in each heading), unless DRIFT_DEBUG is set, which lists every miss.
    let debug = std::env::var_os("DRIFT_DEBUG").is_some();
    let backwards_ok = debug;
    let t0 = std::time::Instant::now();
    for (variant, rate) in [("plain copy", 0.0), ("spun copy (10%)", 0.10)] {
        let mut tally: BTreeMap<usize, Tally> = BTreeMap::new();
        let mut wrong: Vec<String> = Vec::new();
        let mut missed: Vec<String> = Vec::new();
        let (mut docs, mut oriented) = (0, 0);
        // Pairs read the same way round both ways, and among them those
        // whose drift is the same whichever text was passed first.
        let (mut both_ways, mut same_drift) = (0, 0);
        // The spinner's swaps that change a fact, and those a drift covers.
        let (mut spin_made, mut spin_found) = (0, 0);
        for &(k, (topic, text)) in &picked {
            // An article of another topic lends names and words, one of the
            // same topic a sentence.
            let lender = |same: bool| {
                bbc.iter()
                    .skip((k + 7) % bbc.len())
                    .chain(bbc.iter())
                    .find(|(t, o)| (t == topic) == same && o != text)
                    .map(|(_, o)| o.as_str())
            };
            let (Some(other), Some(kin)) = (lender(false), lender(true)) else {
                continue;
            };
            let plans = plan(text, (other, kin), &mut rng);
            let (der, edits, swapped) = apply(text, &plans, rate, &syn, &mut rng);
            let src = article(&format!("drift-{k}"), text.clone());
            let derv = article(&format!("drift-{k}-edited"), der.clone());
            let (c, _) = compare_with_features(&src, &derv, &ctx);
            docs += 1;
            let (back, _) = compare_with_features(&derv, &src, &ctx);
            if matches!(
                (c.direction, back.direction),
                (Direction::AToB, Direction::BToA) | (Direction::BToA, Direction::AToB)
            ) {
                both_ways += 1;
                let key = |d: &stemma_core::Drift| {
                    (
                        kind_index(d.kind),
                        d.derivative_span.start,
                        d.derivative_span.end,
                    )
                };
                let mut x: Vec<_> = c.drift.iter().map(key).collect();
                let mut y: Vec<_> = back.drift.iter().map(key).collect();
                x.sort_unstable();
                y.sort_unstable();
                if x == y {
                    same_drift += 1;
                } else if debug {
                    eprintln!("{} drift differs by order: {x:?} vs {y:?}", src.id);
                }
            }
            if c.direction != Direction::BToA {
                oriented += 1;
            } else if debug {
                eprintln!(
                    "{} read backwards: {:?}, lean {:.2}, {} vs {} bytes",
                    src.id,
                    c.kind,
                    c.lean,
                    src.text.len(),
                    derv.text.len()
                );
            }
            let covers =
                |e: &Edit, s: usize, t: usize| s < e.end.max(e.start + 1) && e.start < t.max(s + 1);
            for e in &edits {
                let t = tally.entry(kind_index(e.kind)).or_default();
                t.made += 1;
                let hits: Vec<_> = c
                    .drift
                    .iter()
                    .filter(|d| covers(e, d.derivative_span.start, d.derivative_span.end))
                    .collect();
                if !hits.is_empty() {
                    t.found_any += 1;
                }
                if hits.iter().any(|d| d.kind == e.kind) {
                    t.found += 1;
                } else if (backwards_ok || c.direction != Direction::BToA)
                    && (missed.len() < 12 || debug)
                {
                    // Where the evidence left the edit: outside every aligned
                    // passage, or inside one (and then in which diff op).
                    let (b_side, ops) = if c.direction == Direction::BToA {
                        (false, "; read backwards")
                    } else {
                        (true, "")
                    };
                    let passage = c.evidence.iter().find(|ev| {
                        let sp = if b_side { ev.b_span } else { ev.a_span };
                        covers(e, sp.start, sp.end)
                    });
                    let place = match passage {
                        None => "outside the evidence".to_string(),
                        Some(ev) => {
                            let op = ev.diff.iter().find(|op| match op {
                                stemma_core::DiffOp::Substitute { b, .. }
                                | stemma_core::DiffOp::Insert { b }
                                | stemma_core::DiffOp::Equal { b, .. } => covers(e, b.start, b.end),
                                stemma_core::DiffOp::Delete { .. } => false,
                            });
                            match op {
                                Some(stemma_core::DiffOp::Substitute { a, b, synonym }) => format!(
                                    "in {:?} -> {:?}{}",
                                    clip(&src.text[a.start..a.end], 60),
                                    clip(&der[b.start..b.end], 60),
                                    if *synonym { " (synonym)" } else { "" }
                                ),
                                Some(op) => format!("in {op:?}"),
                                None => "in a passage, no op".into(),
                            }
                        }
                    };
                    missed.push(format!(
                        "  {} {}: {:?} -> {:?} (drift there: {:?}; {place}{ops})",
                        src.id,
                        e.kind.as_str(),
                        e.from,
                        clip(&e.to, 60),
                        hits.iter().map(|d| d.kind.as_str()).collect::<Vec<_>>()
                    ));
                }
            }
            for e in &swapped {
                spin_made += 1;
                if c.drift
                    .iter()
                    .any(|d| covers(e, d.derivative_span.start, d.derivative_span.end))
                {
                    spin_found += 1;
                }
            }
            for d in &c.drift {
                let t = tally.entry(kind_index(d.kind)).or_default();
                t.reported += 1;
                let (ds, de) = (d.derivative_span.start, d.derivative_span.end);
                let right = edits.iter().any(|e| e.kind == d.kind && covers(e, ds, de))
                    || swapped.iter().any(|e| covers(e, ds, de));
                if right {
                    t.right += 1;
                } else if (backwards_ok || c.direction != Direction::BToA) && wrong.len() < 12 {
                    wrong.push(format!(
                        "  {} {}: {:?} -> {:?}",
                        src.id,
                        d.kind.as_str(),
                        d.source_value.as_deref().unwrap_or(""),
                        clip(&d.derivative_value, 80)
                    ));
                }
            }
        }
        writeln!(
            w,
            "\n## {variant}: {docs} derivatives of BBC articles, read source -> derivative in {oriented}"
        )?;
        writeln!(
            w,
            "kind          made  found  recall  found as any kind  reported  precision      F1"
        )?;
        let mut all = Tally::default();
        for (i, t) in &tally {
            let (p, r) = (ratio(t.right, t.reported), ratio(t.found, t.made));
            writeln!(
                w,
                "{:<12} {:>5}  {:>5}  {:>6.3}  {:>17}  {:>8}  {:>9.3}  {:>6.3}",
                KINDS[*i].as_str(),
                t.made,
                t.found,
                r,
                t.found_any,
                t.reported,
                p,
                f1(p, r)
            )?;
            all.made += t.made;
            all.found += t.found;
            all.found_any += t.found_any;
            all.reported += t.reported;
            all.right += t.right;
        }
        let (p, r) = (ratio(all.right, all.reported), ratio(all.found, all.made));
        writeln!(
            w,
            "{:<12} {:>5}  {:>5}  {:>6.3}  {:>17}  {:>8}  {:>9.3}  {:>6.3}",
            "all",
            all.made,
            all.found,
            r,
            all.found_any,
            all.reported,
            p,
            f1(p, r)
        )?;
        writeln!(
            w,
            "same drift whichever text is passed first: {same_drift} of the {both_ways} pairs read the same way round both ways (verbatim copies read undirected take the first as the source)"
        )?;
        if spin_made > 0 {
            writeln!(
                w,
                "spinner swaps that change a name, date, role or quoted word: {spin_made}, \
                 {spin_found} covered by a drift ({:.3}; they count as right above, swaps of \
                 other words as wrong)",
                ratio(spin_found, spin_made)
            )?;
        }
        if !missed.is_empty() {
            writeln!(w, "first missed edits:")?;
            for m in &missed {
                writeln!(w, "{m}")?;
            }
        }
        if !wrong.is_empty() {
            writeln!(
                w,
                "first drifts that match no edit of their kind (nor a spinner's swap of a fact):"
            )?;
            for m in &wrong {
                writeln!(w, "{m}")?;
            }
        }
    }
    l2r_noise(&ctx, &mut w)?;
    writeln!(w, "\ntotal wall time: {:.1} s", t0.elapsed().as_secs_f64())?;
    print!("{w}");
    if let Some(p) = out_path {
        std::fs::write(&p, &w).with_context(|| format!("writing {}", p.display()))?;
    }
    Ok(())
}

/// Drift on real LLM rewrites, which keep their source's facts as a rule:
/// what it reports there, per kind, is mostly noise (changed quotations
/// and added claims aside, which rewriters do make).
fn l2r_noise(ctx: &stemma_align::AlignContext, w: &mut String) -> Result<()> {
    let articles = crate::l2r::load()?;
    let by_id: HashMap<&str, &Article> = articles.iter().map(|a| (a.id.as_str(), a)).collect();
    let mut counts: BTreeMap<usize, usize> = BTreeMap::new();
    let (mut pairs, mut read) = (0, 0);
    let debug = std::env::var_os("DRIFT_DEBUG").is_some();
    for a in articles.iter().filter(|a| a.id.starts_with("gpt")) {
        let Some(n) = a.id.rsplit_once('-').map(|(_, n)| n) else {
            continue;
        };
        let Some(src) = by_id.get(format!("human-{n}").as_str()) else {
            continue;
        };
        pairs += 1;
        let (c, _) = compare_with_features(src, a, ctx);
        if c.direction == Direction::BToA || c.evidence.is_empty() {
            continue;
        }
        read += 1;
        for d in &c.drift {
            *counts.entry(kind_index(d.kind)).or_default() += 1;
            if debug {
                eprintln!(
                    "l2r {} {}: {:?} -> {:?}",
                    a.id,
                    d.kind.as_str(),
                    clip(d.source_value.as_deref().unwrap_or(""), 60),
                    clip(&d.derivative_value, 60)
                );
            }
        }
    }
    writeln!(
        w,
        "\n## l2r-news GPT rewrites: {pairs} pairs, {read} read human -> rewrite with evidence"
    )?;
    writeln!(
        w,
        "drift per pair, by kind (rewrites keep most facts: figures, dates, titles and names here are mostly false alarms)"
    )?;
    for (i, kind) in KINDS.iter().enumerate() {
        let n = counts.get(&i).copied().unwrap_or(0);
        let name = kind.as_str();
        writeln!(w, "  {name:<12} {n:>5}  {:>6.3} per pair", ratio(n, read))?;
    }
    Ok(())
}

fn article(id: &str, text: String) -> Arc<Article> {
    Arc::new(Article {
        id: id.to_string(),
        text,
        ..Default::default()
    })
}

fn kind_index(k: DriftKind) -> usize {
    KINDS.iter().position(|x| *x == k).unwrap_or(0)
}

fn clip(s: &str, n: usize) -> String {
    match s.char_indices().nth(n) {
        Some((i, _)) => format!("{}...", &s[..i]),
        None => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_land_where_they_say() {
        let text = "A title\nThe minister said on Monday that 12 people from Leeds had gone. \
                    He said \"the harvest failed badly\" in the north. Then the rest went home. \
                    Later they came back to the town for the spring fair again.";
        let other = "Another title\nOfficials in Paris counted the damage after the storm hit the coast overnight.";
        let mut rng = Rng(3);
        let plans = plan(text, (other, other), &mut rng);
        assert!(!plans.is_empty());
        let (der, edits, swapped) = apply(text, &plans, 0.0, &HashMap::new(), &mut rng);
        assert!(swapped.is_empty());
        for e in &edits {
            assert_eq!(&der[e.start..e.end], e.to, "{e:?}");
            assert_ne!(e.from, e.to);
        }
        // Edits keep their distance from each other.
        for pair in edits.windows(2) {
            assert!(pair[0].end <= pair[1].start);
        }
    }
}
