//! Pair verification: align two articles sentence by sentence, decide the
//! relation kind and direction, and collect evidence and fact drift.
//!
//! [`compare`] splits both texts into sentences, scores sentence pairs by
//! content-word overlap (stems, numbers, thesaurus synonyms and, when an
//! [`Embedder`] is given, embedding cosine), finds the heaviest monotone
//! chain of sentence pairs (one sentence may pair with several on the other
//! side, as summaries do), and reads the kind off the aligned region: how
//! much of each side it covers, how many words the word-level diff keeps,
//! substitutes (with synonyms) or drops, and how much shorter one side is.
//! Without a thesaurus or embedder it still works on exact word overlap.
//!
//! ```
//! use stemma_align::{AlignContext, compare};
//! use stemma_core::{Article, RelationKind};
//! let text = "The council approved the budget on Monday. Spending rises 4%. \
//!             The mayor said schools come first.";
//! let a = Article { id: "a".into(), text: text.into(), ..Default::default() };
//! let b = Article { id: "b".into(), text: format!("Advertisement\n\n{text}"), ..Default::default() };
//! let c = compare(&a, &b, &AlignContext::default());
//! assert_eq!(c.kind, RelationKind::Verbatim);
//! ```
//! Pure: no I/O; callers read thesaurus files and pass them in.
#![deny(missing_docs)]

mod diff;
mod drift;
// Split points the trees learnt from data, one of which may fall near a
// named constant (0.6931472 is not meant as ln 2).
#[allow(clippy::approx_constant)]
mod forest;
mod model;
mod prep;
mod runs;
mod summary;

use std::sync::Arc;

use stemma_core::{
    Article, Comparison, DiffOp, Direction, Drift, DriftKind, Embedder, Evidence, RelationKind,
    Span, on_site, url_host,
};
use stemma_text::Thesaurus;

use crate::diff::DiffStats;
use crate::model::Shape;
use crate::prep::{Doc, Point};

/// Version of [`compare`]'s output (kind, direction, confidence, evidence,
/// drift). A store records the version its cached comparisons were made by
/// and verifies them again when it is older. Bump it with every change that
/// alters what `compare` returns; the test `verifier_version_is_bumped`
/// fails until the version and its recorded digest agree. Version 3: a
/// cited site matches a page's host only on a dot boundary (`notbbc.com`
/// is not `bbc.com`), ports ignored; a page citing the other's own site is
/// its derivative before the texts' shapes or publish dates are read.
/// Version 4: of two dated pages of one site, the later derives from the
/// earlier; a rewrite condensed to a few sentences is a summary with one of
/// them unsupported (an invented claim); credit lines are no unsupported
/// claims; a role put in or left out beside a title is role drift.
/// Version 5: an excerpt whose shared passage is under half of either text
/// (a quotation inside two different pages) is oriented by publish dates
/// and citations before length; and the candidate pairs `compare` is run on
/// changed (passage anchors, key words sampled at a fixed rate: a store's
/// index version 3), so a store's verdicts miss pairs now found.
/// Version 6: a sentence aligned with two sentences of the other text far
/// apart gives two passage pairs, not one spanning everything between; a
/// passage under half of both texts is no excerpt nor summary of either,
/// and, undated and uncited, it derives from the text whose other
/// sentences share its words (`passage_home`).
/// Version 7: two sentences of about one length with the same function
/// words in the same order read as spun from each other whether or not the
/// thesaurus knows the swapped words (`prep::framed`), and the verdict
/// models were fit again, with spun copies whose swaps the thesaurus does
/// not know among their examples.
/// Version 8: a pair whose aligned sentences are too slight to show
/// anything (a few loosely matched sentences covering almost none of two
/// long pages, or under six content words in all) is no derivation
/// (`slight`), a text in German, French, Spanish, Italian, Portuguese or
/// Dutch has its language's function words read as such
/// (`stemma_text::Lang`), and a German text's capitalised nouns are no
/// names.
pub const VERIFIER_VERSION: u64 = 8;

/// Settings and shared resources (thesaurus, embedder) for comparisons.
#[derive(Debug, Clone)]
pub struct AlignContext {
    /// Synonyms for matching spun words; `None` matches exact stems only.
    pub thesaurus: Option<Arc<Thesaurus>>,
    /// Sentence embedder; an extra similarity signal when present.
    pub embedder: Option<Arc<dyn Embedder>>,
    /// Sentences read per text; the rest is ignored (keeps time bounded).
    pub max_sentences: usize,
    /// Texts with more sentences than this skip the embedder.
    pub max_embed_sentences: usize,
}

impl Default for AlignContext {
    fn default() -> Self {
        AlignContext {
            thesaurus: None,
            embedder: None,
            max_sentences: 5000,
            max_embed_sentences: 200,
        }
    }
}

impl AlignContext {
    /// A context with a thesaurus.
    pub fn with_thesaurus(thesaurus: Thesaurus) -> Self {
        AlignContext {
            thesaurus: Some(Arc::new(thesaurus)),
            ..Self::default()
        }
    }

    /// What of this context shapes verdicts besides the code: the
    /// thesaurus's size and the embedder's name (`"thesaurus 54176
    /// entries; embedder none"`). Two runs with the same resources give
    /// the same string.
    pub fn resources(&self) -> String {
        format!(
            "thesaurus {}; embedder {}",
            self.thesaurus
                .as_ref()
                .map_or_else(|| "none".to_string(), |t| format!("{} entries", t.len())),
            self.embedder.as_ref().map_or("none", |e| e.name()),
        )
    }
}

/// Sentence pairs below this similarity are not aligned at all.
const FLOOR: f32 = 0.25;
/// Sentences an aligned run may skip on either side between two pairs.
const RUN_GAP: usize = 6;
/// Similarity of a sentence pair that counts as one text drawing on the other.
const GOOD: f32 = 0.45;

/// Scores of one comparison, exposed for evaluation and tuning.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Features {
    /// Share of `a`'s content words in aligned sentences.
    pub cover_a: f32,
    /// Share of `b`'s content words in aligned sentences.
    pub cover_b: f32,
    /// Share of the shorter text's content words whose sentence has a good
    /// match anywhere in the longer text (order ignored).
    pub support_short: f32,
    /// Sentences of the shorter text with a good match.
    pub supported_sentences: usize,
    /// Aligned sentence pairs in the densest run.
    pub run_pairs: usize,
    /// Mean similarity of the densest run's pairs.
    pub run_sim: f32,
    /// Share of the densest run's content words (smaller side).
    pub run_cover: f32,
    /// Content words of the densest run (smaller side).
    pub run_weight: usize,
    /// Pairs in the longest stretch of the monotone chain (all its pairs,
    /// weak ones too) without gaps over a few sentences.
    pub chain_run: usize,
    /// Content words (smaller side) of that stretch.
    pub chain_run_weight: usize,
    /// Content words of the shorter text's well-supported sentences.
    pub supported_weight: usize,
    /// Substituted over equal plus substituted tokens in aligned passages.
    pub edit_share: f32,
    /// Share of the shorter text's supported sentences whose best match
    /// comes after the previous one's (1 = same order).
    pub short_order: f32,
    /// Aligned pairs that are exact sentence copies, as a share.
    pub exact_share: f32,
    /// Mean similarity of aligned pairs.
    pub mean_sim: f32,
    /// Equal tokens over the aligned region's tokens (`a` side, `b` side).
    pub keep_a: f32,
    /// See `keep_a`.
    pub keep_b: f32,
    /// Synonym substitutions over substitutions.
    pub synonym_share: f32,
    /// Substituted tokens over the aligned region's tokens (larger side).
    pub substitution_rate: f32,
    /// Extent of the aligned region, derivative-candidate over source-candidate
    /// (smaller over larger, in tokens).
    pub extent_ratio: f32,
    /// Tokens of the shorter whole text over the longer.
    pub length_ratio: f32,
    /// Share of good pairs that lie on the monotone chain.
    pub order: f32,
    /// Shared capitalised words and numbers (names, figures).
    pub shared_names: usize,
    /// Content-word Dice of the whole texts.
    pub topic: f32,
    /// Share of the distinct content words of the text with fewer of them
    /// that the other text holds.
    pub contained: f32,
    /// Content-word overlap of the densest aligned region, order ignored:
    /// shared (or synonymous) content words over the smaller side's. Word
    /// swaps and shuffles keep it high; rewriting lowers it.
    pub region_bag: f32,
    /// Share of the densest region's shared content words that the diff
    /// finds in the same order (equal tokens over bag matches, 0..1).
    pub region_order: f32,
    /// Mean embedding cosine of the aligned sentence pairs (0 without an
    /// embedder).
    pub emb_sim: f32,
    /// Share of the aligned passages that pair one sentence with one.
    pub one_to_one: f32,
    /// Mean over aligned passages of the shorter side's tokens over the
    /// longer side's (1 = same length).
    pub pair_len: f32,
    /// Content words the smaller side of the densest region has.
    pub region_words: usize,
    /// Distinct names and numbers only `a` has.
    pub names_only_a: usize,
    /// Distinct names and numbers only `b` has.
    pub names_only_b: usize,
    /// Synonym swaps whose `a` side reads as the original wording and the
    /// `b` side as a spinner's (see `Thesaurus::spin_hint`).
    pub spin_a: usize,
    /// The same, the other way round.
    pub spin_b: usize,
    /// Mean word commonness (`Thesaurus::commonness`) of `a`'s plain content
    /// words, for spun and paraphrased pairs (0 otherwise, and without word
    /// counts): rewriters and spinners reach for rarer words than reporters.
    pub common_a: f32,
    /// The same for `b`.
    pub common_b: f32,
    /// Share of `a`'s words inside quotation marks, for spun and
    /// paraphrased pairs (0 otherwise): a rewrite turns quoted speech into
    /// reported speech far more often than the other way round.
    pub quoted_a: f32,
    /// The same for `b`.
    pub quoted_b: f32,
    /// Share of `a`'s content words that machine rewriters over-use
    /// (`stemma_text::is_rewriter_word`), for spun and paraphrased pairs.
    pub styled_a: f32,
    /// The same for `b`.
    pub styled_b: f32,
    /// Share of `a`'s words that are "said" or "says", for spun and
    /// paraphrased pairs: reporters attribute with the plain verb, while
    /// rewriters and spinners vary it ("stated", "noted", "explained").
    pub said_a: f32,
    /// The same for `b`.
    pub said_b: f32,
    /// Links of the best summary chain, reading either text as condensing
    /// a passage of the other: summary sentences that each draw on a window
    /// of one to three consecutive sentences of the other text, in its order
    /// (see `summary`).
    pub summary_links: usize,
    /// That chain's links over the sentences of the summary stretch it spans.
    pub summary_share: f32,
    /// Mean weighted containment of the chain's links.
    pub summary_sim: f32,
    /// Rarity-weighted share of the summary stretch's content words that the
    /// other text has anywhere.
    pub summary_rare: f32,
    /// The chain's score (each link's containment above a base, summed).
    pub summary_score: f32,
    /// Whether that chain reads `b` as the summary (else `a`).
    pub summary_b: bool,
    /// The chain's score minus the best chain's score the other way round.
    pub summary_margin: f32,
    /// Reading `b` as the summary: tokens of its chain's stretch of `b` over
    /// those of the stretch of `a` it draws on (0 without a chain of two links).
    pub summary_len_b: f32,
    /// The same reading `a` as the summary.
    pub summary_len_a: f32,
}

/// Compares two articles. `evidence[].a_span` indexes `a.text`, `b_span`
/// `b.text`, and so do the `a`/`b` spans of each diff; drift spans name the
/// source and derivative (when the direction is unknown, `a` is the source).
pub fn compare(a: &Article, b: &Article, ctx: &AlignContext) -> Comparison {
    compare_with_features(a, b, ctx).0
}

/// Similarity of two single sentences (or short passages treated as one),
/// 0..1: content-word Dice with thesaurus synonyms, blended with embedding
/// cosine when the context has an embedder.
pub fn sentence_similarity(a: &str, b: &str, ctx: &AlignContext) -> f32 {
    let thes = ctx.thesaurus.as_deref();
    let whole = |t: &str| {
        let d = Doc::new(t, thes, usize::MAX);
        let mut keys: Vec<u64> = d.toks.iter().filter(|t| t.content).map(|t| t.key).collect();
        keys.sort_unstable();
        keys.dedup();
        let syns = d
            .toks
            .iter()
            .filter_map(|t| t.syn.filter(|_| t.content).map(|id| (t.key, id)))
            .collect();
        let exact = d.toks.iter().fold(0u64, |h, t| h.rotate_left(7) ^ t.key);
        prep::Sent {
            span: Span::new(0, t.len()),
            first_tok: 0,
            end_tok: d.toks.len(),
            keys,
            syns,
            exact,
            frame: prep::frame_of(&d.toks),
        }
    };
    let mut sim = prep::similarity(&whole(a), &whole(b), thes);
    if let Some(e) = &ctx.embedder {
        let v = e.embed(&[a, b]);
        if v.len() == 2 {
            let c: f32 = v[0].iter().zip(&v[1]).map(|(x, y)| x * y).sum();
            sim = sim.max((sim + c) / 2.0);
        }
    }
    sim
}

/// Turns a comparison around so that `a` is the source: swaps the ids,
/// the evidence spans and the diff sides when the direction is `b->a`.
/// Drift already names source and derivative and is left as it is.
pub fn orient(mut c: Comparison) -> Comparison {
    if c.direction != Direction::BToA {
        return c;
    }
    std::mem::swap(&mut c.a, &mut c.b);
    c.direction = Direction::AToB;
    c.lean = -c.lean;
    for e in &mut c.evidence {
        std::mem::swap(&mut e.a_span, &mut e.b_span);
        for op in &mut e.diff {
            *op = flip_op(op);
        }
    }
    c
}

/// The facts `derivative` changed from `source`, read off `evidence`
/// oriented source first (`a_span` in `source`, `b_span` in
/// `derivative`): the drift a comparison reports, less its unsupported
/// sentences, which need the sentence alignment. For a derivation whose
/// orientation was decided after the comparison (by dates, citations or
/// the other links of a story), so that its drift reads that way round.
pub fn changed_facts(source: &str, derivative: &str, evidence: &[Evidence]) -> Vec<Drift> {
    let pair = drift::Pair::new(source, derivative);
    let mut out = Vec::new();
    for e in evidence {
        drift::from_ops(&pair, e.b_span, &e.diff, &mut out);
    }
    out.sort_by_key(|d| d.derivative_span.start);
    out
}

/// One diff op seen from the other side.
pub fn flip_op(op: &DiffOp) -> DiffOp {
    match *op {
        DiffOp::Equal { a, b } => DiffOp::Equal { a: b, b: a },
        DiffOp::Substitute { a, b, synonym } => DiffOp::Substitute {
            a: b,
            b: a,
            synonym,
        },
        DiffOp::Insert { b } => DiffOp::Delete { a: b },
        DiffOp::Delete { a } => DiffOp::Insert { b: a },
    }
}

/// One aligned passage: sentence ranges on each side.
#[derive(Debug, Clone)]
struct Group {
    i0: usize,
    i1: usize,
    j0: usize,
    j1: usize,
    sim_sum: f32,
    pairs: usize,
}

/// Like [`compare`], also returning the scores the verdict was read from.
pub fn compare_with_features(
    a: &Article,
    b: &Article,
    ctx: &AlignContext,
) -> (Comparison, Features) {
    let thes = ctx.thesaurus.as_deref();
    let da = Doc::new(&a.text, thes, ctx.max_sentences);
    let db = Doc::new(&b.text, thes, ctx.max_sentences);
    let mut out = Comparison {
        a: a.id.clone(),
        b: b.id.clone(),
        kind: RelationKind::Unrelated,
        direction: Direction::Unknown,
        confidence: 0.5,
        evidence: Vec::new(),
        drift: Vec::new(),
        lean: 0.0,
    };
    let mut f = Features::default();
    if da.content == 0 || db.content == 0 {
        out.confidence = 0.9;
        return (out, f);
    }

    // Optional embedding cosine.
    let emb = ctx.embedder.as_ref().and_then(|e| {
        let (n, m) = (da.sents.len(), db.sents.len());
        if n > ctx.max_embed_sentences || m > ctx.max_embed_sentences {
            return None;
        }
        let sa: Vec<&str> = da
            .sents
            .iter()
            .map(|s| &a.text[s.span.start..s.span.end])
            .collect();
        let sb: Vec<&str> = db
            .sents
            .iter()
            .map(|s| &b.text[s.span.start..s.span.end])
            .collect();
        let va = e.embed(&sa);
        let vb = e.embed(&sb);
        (va.len() == n && vb.len() == m).then_some((va, vb))
    });
    let cosf = emb.as_ref().map(|(va, vb)| {
        move |i: usize, j: usize| -> f32 { va[i].iter().zip(&vb[j]).map(|(x, y)| x * y).sum() }
    });
    let cos_dyn: Option<&dyn Fn(usize, usize) -> f32> =
        cosf.as_ref().map(|c| c as &dyn Fn(usize, usize) -> f32);
    let points = prep::candidates(&da, &db, thes, cos_dyn, FLOOR);

    // Summary chains both ways: either text may condense the other.
    let w = summary::weights(&da, &db);
    let summ = {
        let b_sums = summary::chain(&da, &db, &w, thes);
        let a_sums = summary::chain(&db, &da, &w, thes);
        let len = |c: &summary::Chain| {
            if c.links.len() >= 2 {
                c.compression
            } else {
                0.0
            }
        };
        f.summary_len_b = len(&b_sums);
        f.summary_len_a = len(&a_sums);
        let b_wins = b_sums.score >= a_sums.score;
        let margin = b_sums.score - a_sums.score;
        let best = if b_wins { b_sums } else { a_sums };
        f.summary_links = best.links.len();
        f.summary_share = best.share;
        f.summary_sim = best.mean;
        f.summary_rare = best.rare;
        f.summary_score = best.score.max(0.0);
        f.summary_b = b_wins;
        f.summary_margin = if b_wins { margin } else { -margin };
        best
    };

    // Best match per sentence on each side.
    let mut best_a = vec![0.0f32; da.sents.len()];
    let mut best_b = vec![0.0f32; db.sents.len()];
    for p in &points {
        best_a[p.i] = best_a[p.i].max(p.sim);
        best_b[p.j] = best_b[p.j].max(p.sim);
    }

    let chain = prep::chain(&points, db.sents.len(), FLOOR + 0.1);
    {
        // Longest gap-limited stretch of the chain, weak pairs included:
        // spun and translated passages align sentence after sentence even
        // when each pair is only moderately similar.
        let (mut best, mut best_w) = (0usize, 0usize);
        let (mut n, mut wa, mut wb) = (0usize, 0usize, 0usize);
        let mut last: Option<Point> = None;
        for p in &chain {
            let joined = last.is_some_and(|l| p.i <= l.i + 3 && p.j <= l.j + 3);
            if !joined {
                n = 0;
                wa = 0;
                wb = 0;
            }
            n += 1;
            if last.is_none_or(|l| l.i != p.i) {
                wa += da.sents[p.i].weight();
            }
            if last.is_none_or(|l| l.j != p.j) {
                wb += db.sents[p.j].weight();
            }
            if n > best || (n == best && wa.min(wb) > best_w) {
                best = n;
                best_w = wa.min(wb);
            }
            last = Some(*p);
        }
        f.chain_run = best;
        f.chain_run_weight = best_w;
    }
    let good_chain: Vec<Point> = chain.iter().copied().filter(|p| p.sim >= GOOD).collect();

    // Whole-text signals.
    let tok_a = da.toks.len().max(1);
    let tok_b = db.toks.len().max(1);
    f.length_ratio = tok_a.min(tok_b) as f32 / tok_a.max(tok_b) as f32;
    let a_shorter = da.content <= db.content;
    let (short_best, short_doc) = if a_shorter {
        (&best_a, &da)
    } else {
        (&best_b, &db)
    };
    let mut supported_w = 0;
    for (k, s) in short_doc.sents.iter().enumerate() {
        if short_best[k] >= GOOD {
            supported_w += s.weight();
            f.supported_sentences += 1;
        }
    }
    f.support_short = supported_w as f32 / short_doc.content.max(1) as f32;
    {
        let mut best_pos: Vec<(f32, usize)> = vec![(0.0, 0); short_doc.sents.len()];
        for p in &points {
            let (k, o) = if a_shorter { (p.i, p.j) } else { (p.j, p.i) };
            if p.sim > best_pos[k].0 {
                best_pos[k] = (p.sim, o);
            }
        }
        let seq: Vec<usize> = best_pos
            .iter()
            .filter(|(s, _)| *s >= GOOD)
            .map(|x| x.1)
            .collect();
        let steps = seq.len().saturating_sub(1);
        let fwd = seq.windows(2).filter(|w| w[1] >= w[0]).count();
        f.short_order = if steps == 0 {
            1.0
        } else {
            fwd as f32 / steps as f32
        };
    }
    let (topic, contained, names, only_a, only_b) = topic_overlap(&da, &db);
    f.topic = topic;
    f.contained = contained;
    f.shared_names = names;
    f.names_only_a = only_a;
    f.names_only_b = only_b;
    let good_total = points.iter().filter(|p| p.sim >= GOOD).count();
    f.order = if good_total == 0 {
        0.0
    } else {
        let mut on_chain = good_chain.len();
        // Count distinct good points only once per row.
        on_chain = on_chain.min(good_total);
        on_chain as f32 / good_total.min(da.sents.len().min(db.sents.len())).max(1) as f32
    }
    .min(1.0);

    // Evidence points: the good chain, plus good unordered matches of the
    // shorter text's sentences (summaries reorder).
    let mut ev_points = good_chain.clone();
    {
        let mut covered_short = vec![false; short_doc.sents.len()];
        for p in &good_chain {
            covered_short[if a_shorter { p.i } else { p.j }] = true;
        }
        let mut best_pt: Vec<Option<Point>> = vec![None; short_doc.sents.len()];
        for p in &points {
            let k = if a_shorter { p.i } else { p.j };
            if p.sim >= GOOD && !covered_short[k] && best_pt[k].is_none_or(|q| p.sim > q.sim) {
                best_pt[k] = Some(*p);
            }
        }
        ev_points.extend(best_pt.into_iter().flatten());
        if a_shorter {
            ev_points.sort_by_key(|p| (p.i, p.j));
        } else {
            ev_points.sort_by_key(|p| (p.j, p.i));
        }
    }
    let groups = group(&ev_points);

    // Densest run of groups (small gaps on both sides), by content weight.
    let mut order: Vec<usize> = (0..groups.len()).collect();
    order.sort_by_key(|&k| (groups[k].i0, groups[k].j0));
    let mut runs: Vec<Vec<usize>> = Vec::new();
    for k in order {
        let g = &groups[k];
        if let Some(run) = runs.last_mut() {
            let l = &groups[*run.last().unwrap_or(&k)];
            if g.i0 >= l.i1 && g.j0 >= l.j1 && g.i0 <= l.i1 + RUN_GAP && g.j0 <= l.j1 + RUN_GAP {
                run.push(k);
                continue;
            }
        }
        runs.push(vec![k]);
    }
    let run_stats = |run: &[usize]| {
        let (mut pairs, mut sum, mut wa, mut wb) = (0usize, 0.0f32, 0usize, 0usize);
        for &k in run {
            let g = &groups[k];
            pairs += g.pairs;
            sum += g.sim_sum;
            wa += da.weight(g.i0, g.i1 + 1);
            wb += db.weight(g.j0, g.j1 + 1);
        }
        (pairs, sum, wa.min(wb))
    };
    let mut best_run = (0usize, 0.0f32, 0usize);
    let mut in_run = vec![false; groups.len()];
    if let Some(run) = runs.iter().max_by_key(|r| {
        let (p, _, w) = run_stats(r);
        (w, p)
    }) {
        best_run = run_stats(run);
        for &k in run {
            in_run[k] = true;
        }
    }
    f.run_pairs = best_run.0;
    f.run_sim = if best_run.0 > 0 {
        best_run.1 / best_run.0 as f32
    } else {
        0.0
    };
    f.run_cover = best_run.2 as f32 / da.content.min(db.content).max(1) as f32;
    f.run_weight = best_run.2;
    f.supported_weight = supported_w;

    // Evidence with word diffs.
    let mut stats = DiffStats::default();
    let mut reg_a = 0usize;
    let mut reg_b = 0usize;
    let mut cov_a = vec![false; da.sents.len()];
    let mut cov_b = vec![false; db.sents.len()];
    let mut exact_pairs = 0usize;
    let mut group_stats: Vec<DiffStats> = Vec::with_capacity(groups.len());
    let mut sim_sum = 0.0f32;
    let mut pairs = 0usize;
    for (gk, g) in groups.iter().enumerate() {
        let sa = Span::new(da.sents[g.i0].span.start, da.sents[g.i1].span.end);
        let sb = Span::new(db.sents[g.j0].span.start, db.sents[g.j1].span.end);
        let ta = &da.toks[da.sents[g.i0].first_tok..da.sents[g.i1].end_tok];
        let tb = &db.toks[db.sents[g.j0].first_tok..db.sents[g.j1].end_tok];
        let (ops, st) = diff::diff(ta, tb, thes);
        group_stats.push(st);
        if in_run[gk] {
            // The kind is read off the densest aligned region only.
            stats.add(&st);
            reg_a += ta.len();
            reg_b += tb.len();
        }
        for c in &mut cov_a[g.i0..=g.i1] {
            *c = true;
        }
        for c in &mut cov_b[g.j0..=g.j1] {
            *c = true;
        }
        sim_sum += g.sim_sum;
        pairs += g.pairs;
        if st.substituted + st.inserted + st.deleted == 0 {
            exact_pairs += g.pairs;
        }
        out.evidence.push(Evidence {
            a_span: sa,
            b_span: sb,
            similarity: (g.sim_sum / g.pairs as f32).clamp(0.0, 1.0),
            diff: ops,
        });
    }
    let covered = |doc: &Doc, cov: &[bool]| -> f32 {
        let w: usize = doc
            .sents
            .iter()
            .zip(cov)
            .filter(|(_, c)| **c)
            .map(|(s, _)| s.weight())
            .sum();
        w as f32 / doc.content.max(1) as f32
    };
    f.cover_a = covered(&da, &cov_a);
    f.cover_b = covered(&db, &cov_b);
    f.mean_sim = if pairs > 0 {
        sim_sum / pairs as f32
    } else {
        0.0
    };
    f.exact_share = if pairs > 0 {
        exact_pairs as f32 / pairs as f32
    } else {
        0.0
    };
    f.keep_a = stats.equal as f32 / reg_a.max(1) as f32;
    f.keep_b = stats.equal as f32 / reg_b.max(1) as f32;
    f.synonym_share = stats.synonyms as f32 / stats.substituted.max(1) as f32;
    f.substitution_rate = stats.substituted as f32 / reg_a.max(reg_b).max(1) as f32;
    f.edit_share = stats.substituted as f32 / (stats.equal + stats.substituted).max(1) as f32;
    let run_groups: Vec<Group> = groups
        .iter()
        .zip(&in_run)
        .filter(|(_, r)| **r)
        .map(|(g, _)| g.clone())
        .collect();
    f.extent_ratio = extent_ratio(
        &da,
        &db,
        if run_groups.is_empty() {
            &groups
        } else {
            &run_groups
        },
    );

    {
        // Order-free content overlap of the densest region, and pair shape.
        let (mut shared, mut small, mut equal_content) = (0usize, 0usize, 0usize);
        let (mut one, mut len_sum, mut emb_sum, mut emb_n) = (0usize, 0.0f32, 0.0f32, 0usize);
        for (gk, g) in groups.iter().enumerate().filter(|(k, _)| in_run[*k]) {
            let region = |d: &Doc, lo: usize, hi: usize| {
                let mut keys: Vec<u64> = d.sents[lo..=hi]
                    .iter()
                    .flat_map(|s| s.keys.clone())
                    .collect();
                keys.sort_unstable();
                keys.dedup();
                let syns: Vec<(u64, u32)> = d.sents[lo..=hi]
                    .iter()
                    .flat_map(|s| s.syns.clone())
                    .collect();
                prep::Sent {
                    span: Span::new(0, 0),
                    first_tok: 0,
                    end_tok: 0,
                    keys,
                    syns,
                    exact: 0,
                    frame: Vec::new(),
                }
            };
            let (ka, kb) = (region(&da, g.i0, g.i1), region(&db, g.j0, g.j1));
            let (e, sy) = prep::matches(&ka, &kb, thes);
            shared += e + sy;
            small += ka.keys.len().min(kb.keys.len());
            let ta = &da.toks[da.sents[g.i0].first_tok..da.sents[g.i1].end_tok];
            let tb = &db.toks[db.sents[g.j0].first_tok..db.sents[g.j1].end_tok];
            let st = &group_stats[gk];
            equal_content += st.equal_content + st.synonyms;
            one += usize::from(g.i0 == g.i1 && g.j0 == g.j1);
            len_sum += ta.len().min(tb.len()) as f32 / ta.len().max(tb.len()).max(1) as f32;
            if let Some(c) = &cosf {
                for i in g.i0..=g.i1 {
                    for j in g.j0..=g.j1 {
                        emb_sum += c(i, j);
                        emb_n += 1;
                    }
                }
            }
        }
        let n_run = in_run.iter().filter(|r| **r).count();
        f.region_bag = shared as f32 / small.max(1) as f32;
        f.region_order = (equal_content as f32 / shared.max(1) as f32).min(1.0);
        f.region_words = small;
        f.one_to_one = one as f32 / n_run.max(1) as f32;
        f.pair_len = len_sum / n_run.max(1) as f32;
        f.emb_sim = if emb_n > 0 {
            emb_sum / emb_n as f32
        } else {
            0.0
        };
    }

    // Verdict: two small linear models over the features (see `model`).
    // Two moderately similar sentence pairs far apart are what independent
    // reports of one story share (a name and a figure per sentence); they
    // never count as a derivation on their own.
    let scattered = f.run_pairs <= 2 && f.chain_run <= 1 && f.run_sim < 0.6;
    let has_evidence =
        (f.run_pairs > 0 || f.supported_sentences > 0) && !scattered || summary_evidence(&f);
    let modelled =
        has_evidence && !slight(&f) && model::derived_logit(&f) >= model::DERIVED_THRESHOLD;
    // Several sentences copied word for word, outside quotation marks,
    // make a copy however little of either text they cover: a few
    // paragraphs lifted into another article, or one wire story run by two
    // outlets. Separate reports share quotes, names and figures, not their
    // own sentences. The rule only turns what would be read as separate
    // reports of one story into a copy, never an unrelated pair.
    let same_story = f.shared_names >= 3 && f.topic >= 0.12 || f.topic >= 0.25;
    let lifted = !modelled && same_story && lifted_passages(&out.evidence, &db);
    let derived = modelled || lifted;
    if !derived {
        if copy_of_runs(&mut out, a, b, &da, &db, &f) {
            return (out, f);
        }
        let independent = same_story;
        out.kind = if independent {
            RelationKind::Independent
        } else {
            RelationKind::Unrelated
        };
        out.confidence = if independent { 0.6 } else { 0.8 };
        // An independent report keeps the sentence pairs it shares with the
        // other (a name, a figure, a quote: what makes it the same story),
        // for a reader to check that they do not line up as a copy's would.
        if !independent {
            out.evidence.clear();
        }
        return (out, f);
    }
    // Marks of wording and style, read by the kind model (a spinner's odd
    // synonyms lower a text's word commonness; a rewriter drops quotes and
    // "said") and by the orientation of rewrites. Derived pairs alone pay
    // for them.
    if let Some(t) = thes.filter(|t| t.has_counts()) {
        f.common_a = mean_commonness(&da, t);
        f.common_b = mean_commonness(&db, t);
    }
    let (sa, sb) = (style_marks(&da), style_marks(&db));
    (f.quoted_a, f.styled_a, f.said_a) = (sa.quoted, sa.styled, sa.said);
    (f.quoted_b, f.styled_b, f.said_b) = (sb.quoted, sb.styled, sb.said);
    // Exact copies of one run of source sentences, in order: an excerpt,
    // or a verbatim copy, whatever the model leans to.
    let contiguous_copy = f.exact_share >= 0.95 && f.extent_ratio >= 0.9 && f.short_order >= 0.99;
    let shape = if contiguous_copy || lifted {
        Shape::Copy
    } else {
        model::shape(&f)
    };
    let condensed = condenses(
        &f,
        if f.summary_b {
            db.sents.len()
        } else {
            da.sents.len()
        },
    );
    let kind = match shape {
        Shape::Copy if f.cover_a.min(f.cover_b) >= VERBATIM_COVER => RelationKind::Verbatim,
        Shape::Copy => RelationKind::Excerpt,
        Shape::Spun | Shape::Paraphrase if condensed => RelationKind::Summary,
        Shape::Spun => RelationKind::Spun,
        Shape::Paraphrase => RelationKind::Paraphrase,
        Shape::Summary => RelationKind::Summary,
    };
    // A rewrite or a summary to the sentence alignment may still be one
    // stretch of the same words.
    if !matches!(kind, RelationKind::Verbatim | RelationKind::Excerpt)
        && copy_of_runs(&mut out, a, b, &da, &db, &f)
    {
        return (out, f);
    }
    out.kind = kind;
    out.confidence = confidence(&f, kind);
    if kind == RelationKind::Summary || out.evidence.is_empty() {
        // Summary sentences the sentence alignment left out, with the
        // source window each draws on.
        for l in &summ.links {
            let (i0, i1, j0, j1) = if f.summary_b {
                (l.i0, l.i1, l.j, l.j)
            } else {
                (l.j, l.j, l.i0, l.i1)
            };
            let short_side_covered = if f.summary_b { cov_b[l.j] } else { cov_a[l.j] };
            if short_side_covered {
                continue;
            }
            let ta = &da.toks[da.sents[i0].first_tok..da.sents[i1].end_tok];
            let tb = &db.toks[db.sents[j0].first_tok..db.sents[j1].end_tok];
            let (ops, _) = diff::diff(ta, tb, thes);
            out.evidence.push(Evidence {
                a_span: Span::new(da.sents[i0].span.start, da.sents[i1].span.end),
                b_span: Span::new(db.sents[j0].span.start, db.sents[j1].span.end),
                similarity: l.c.clamp(0.0, 1.0),
                diff: ops,
            });
            cov_a[i0..=i1].iter_mut().for_each(|c| *c = true);
            cov_b[j0..=j1].iter_mut().for_each(|c| *c = true);
        }
        out.evidence
            .sort_by_key(|e| (e.a_span.start, e.b_span.start));
    }
    let spin = spin_votes(&a.text, &b.text, &out.evidence, thes);
    (f.spin_a, f.spin_b) = spin;
    (out.direction, out.lean) = direction(a, b, &da, &db, kind, &f, &groups, spin);

    // Drift, derivative against source.
    let a_is_source = out.direction != Direction::BToA;
    let (src_doc, der_doc) = if a_is_source { (&da, &db) } else { (&db, &da) };
    let mut drift: Vec<Drift> = Vec::new();
    let pair = drift::Pair::new(src_doc.text, der_doc.text);
    for e in &out.evidence {
        if a_is_source {
            drift::from_ops(&pair, e.b_span, &e.diff, &mut drift);
        } else {
            let ops: Vec<DiffOp> = e.diff.iter().map(flip_op).collect();
            drift::from_ops(&pair, e.a_span, &ops, &mut drift);
        }
    }
    let (der_best, der_cov) = if a_is_source {
        (&best_b, &cov_b)
    } else {
        (&best_a, &cov_a)
    };
    let der_cover = if a_is_source { f.cover_b } else { f.cover_a };
    // Unsupported sentences are looked for within the derived stretch: the
    // whole derivative when most of it is aligned, else the summary chain's
    // stretch for a summary inside a longer text, else the densest run of
    // aligned passages (one stray sentence pair elsewhere must not widen
    // it), else the aligned sentences' extent.
    let chain = (kind == RelationKind::Summary && f.summary_b == a_is_source)
        .then(|| Some((summ.links.first()?.j, summ.links.last()?.j)))
        .flatten();
    let run = groups
        .iter()
        .zip(&in_run)
        .filter(|(_, r)| **r)
        .map(|(g, _)| {
            if a_is_source {
                (g.j0, g.j1)
            } else {
                (g.i0, g.i1)
            }
        })
        .reduce(|x, y| (x.0.min(y.0), x.1.max(y.1)));
    let (lo, hi) = chain.or(run).unwrap_or((
        der_cov.iter().position(|c| *c).unwrap_or(0),
        der_cov.iter().rposition(|c| *c).unwrap_or(0),
    ));
    // A credit line ("Source: bbc.com", "Read the full story at
    // herald.example") names a cited site: no claim of the story.
    let der_cited = if a_is_source { &b.cited } else { &a.cited };
    let credit = |s: &prep::Sent| {
        let t = der_doc.text[s.span.start..s.span.end].to_lowercase();
        t.split_whitespace().count() <= 12 && der_cited.iter().any(|c| t.contains(c.as_str()))
    };
    for (k, s) in der_doc.sents.iter().enumerate() {
        let inside = der_cover >= 0.5 || (k >= lo && k <= hi);
        if inside
            && !der_cov[k]
            && !credit(s)
            && der_best[k] < FLOOR + 0.05
            && s.weight() >= 4
            && window_support(s, src_doc, &w) < SUPPORTED
        {
            drift.push(Drift {
                kind: DriftKind::Unsupported,
                source_span: None,
                derivative_span: s.span,
                source_value: None,
                derivative_value: der_doc.text[s.span.start..s.span.end].to_string(),
            });
        }
    }
    drift.sort_by_key(|d| d.derivative_span.start);
    out.drift = drift;
    (out, f)
}

/// Rarity-weighted share (`w`, as for the summary chains) of `s`'s content
/// words that some window of one to three consecutive sentences of `src`
/// holds: a rewritten sentence keeps its source's names, figures and rarer
/// words even where its wording shares too little to align.
fn window_support(s: &prep::Sent, src: &Doc, w: &summary::KeyMap<f32>) -> f32 {
    let weight = |k: &u64| summary::weight(w, k);
    let total: f32 = s.keys.iter().map(weight).sum();
    if total <= 0.0 {
        return 0.0;
    }
    (0..src.sents.len())
        .map(|i| {
            let window = &src.sents[i..(i + 3).min(src.sents.len())];
            let held: f32 = s
                .keys
                .iter()
                .filter(|k| window.iter().any(|x| x.keys.binary_search(k).is_ok()))
                .map(weight)
                .sum();
            held / total
        })
        .fold(0.0, f32::max)
}

/// [`window_support`] at which a derivative's sentence that aligns with
/// nothing still counts as drawn from the source, not as a claim of its own.
const SUPPORTED: f32 = 0.5;

/// Whether the summary chain alone is evidence enough to ask the model:
/// a few summary sentences in a row, each drawing on the other text in order.
fn summary_evidence(f: &Features) -> bool {
    f.summary_links >= SUMMARY_LINKS && f.summary_share >= 0.5
}

/// Links a summary chain needs to count as evidence on its own.
const SUMMARY_LINKS: usize = 3;

/// Whether the aligned sentences are too slight to show a derivation,
/// whatever the model reads into the rest: under [`SLIGHT_MIN_WORDS`]
/// content words in well-matched sentences ("1." against "1." in two
/// numbered lists), or a few loosely matched sentences ([`SLIGHT_SIM`],
/// under [`SLIGHT_WORDS`] content words) covering under [`SLIGHT_COVER`]
/// of either text. A summary chain is evidence of its own. Two unrelated
/// long pages share such sentences by chance, the more so in a language
/// whose capitalised nouns read as names: of the 922 pages of
/// trafilatura-eval/eval (nearly all from different sites), `stemma
/// analyze` linked 118 pairs without this test and 45 with it (and the
/// function words of the page's language, [`stemma_text::Lang`]; 27 once
/// German capitals stopped counting as names in `topic_overlap`); of the
/// labelled pairs, it turns 9 of PAN's 2472 derived pairs and 2 of its 597
/// no-plagiarism pairs to not derived (2026-12-02).
fn slight(f: &Features) -> bool {
    let scant = f.cover_a.max(f.cover_b) < SLIGHT_COVER
        && f.run_sim < SLIGHT_SIM
        && f.supported_weight < SLIGHT_WORDS;
    (scant || f.supported_weight < SLIGHT_MIN_WORDS) && !summary_evidence(f)
}

/// Content words of well-matched sentences below which a pair's evidence
/// is too slight, however close the match ([`slight`]).
const SLIGHT_MIN_WORDS: usize = 6;
/// Coverage of both texts below which loosely matched evidence is too
/// slight ([`slight`]).
const SLIGHT_COVER: f32 = 0.03;
/// Mean similarity of the densest run below which a match is loose
/// ([`slight`]).
const SLIGHT_SIM: f32 = 0.7;
/// Content words of well-matched sentences below which loosely matched
/// evidence covering little is too slight ([`slight`]).
const SLIGHT_WORDS: usize = 30;

/// Groups evidence points: consecutive points sharing a sentence on one
/// side and near each other on the other (one-to-many, many-to-one; at most
/// [`GROUP_GAP`] sentences apart) form one passage pair. A sentence matched
/// again far away (a short source sentence whose words a long page repeats
/// pages later) starts a passage of its own: one passage pair spanning
/// everything between would show a reader nothing.
fn group(points: &[Point]) -> Vec<Group> {
    let mut out: Vec<Group> = Vec::new();
    for p in points {
        if let Some(g) = out.last_mut()
            && ((p.i == g.i1 && p.j <= g.j1 + GROUP_GAP)
                || (p.j == g.j1 && p.i <= g.i1 + GROUP_GAP))
            && p.i >= g.i0
            && p.j >= g.j0
        {
            g.i1 = g.i1.max(p.i);
            g.j1 = g.j1.max(p.j);
            g.sim_sum += p.sim;
            g.pairs += 1;
            continue;
        }
        out.push(Group {
            i0: p.i,
            i1: p.i,
            j0: p.j,
            j1: p.j,
            sim_sum: p.sim,
            pairs: 1,
        });
    }
    out
}

/// How far apart, in sentences, two sentences one sentence of the other
/// text aligns with may lie and still make one passage pair: a rewrite may
/// put a sentence or two of its own between the parts of a split sentence.
const GROUP_GAP: usize = 3;

/// Smaller over larger token extent of the aligned region (first to last
/// aligned sentence on each side).
fn extent_ratio(da: &Doc, db: &Doc, groups: &[Group]) -> f32 {
    if groups.is_empty() {
        return 1.0;
    }
    let (i0, i1) = groups
        .iter()
        .fold((usize::MAX, 0), |(lo, hi), g| (lo.min(g.i0), hi.max(g.i1)));
    let (j0, j1) = groups
        .iter()
        .fold((usize::MAX, 0), |(lo, hi), g| (lo.min(g.j0), hi.max(g.j1)));
    let ea = (da.sents[i0].first_tok..da.sents[i1].end_tok).len().max(1);
    let eb = (db.sents[j0].first_tok..db.sents[j1].end_tok).len().max(1);
    ea.min(eb) as f32 / ea.max(eb) as f32
}

/// Plain content words (no names, no numbers) read for [`mean_commonness`].
const COMMONNESS_WORDS: usize = 2000;

/// Mean commonness of a text's first plain content words the counts know.
fn mean_commonness(d: &Doc, t: &Thesaurus) -> f32 {
    let (mut sum, mut n) = (0.0f32, 0usize);
    for tok in d
        .toks
        .iter()
        .filter(|t| t.content && !t.number && !t.capitalised)
        .take(COMMONNESS_WORDS)
    {
        if let Some(c) = t.commonness(&tok.norm) {
            sum += c;
            n += 1;
        }
    }
    if n == 0 { 0.0 } else { sum / n as f32 }
}

/// Passages copied word for word that make a copy on their own: at least
/// this many...
const LIFTED_PASSAGES: usize = 3;
/// ...of at least this many words each...
const LIFTED_MIN_WORDS: usize = 8;
/// ...and this many in all.
const LIFTED_WORDS: usize = 30;

/// Share of each text that a copy covers to be verbatim (the rest being
/// boilerplate the extractor left, or a line more or less).
const VERBATIM_COVER: f32 = 0.85;

/// Share of the shorter text's words that [`runs::tile`] must cover for a
/// pair to be a copy whatever its sentences.
const RUN_COPY: f32 = 0.97;
/// [`Features::contained`] below which [`copy_of_runs`] does not tile.
const RUN_CONTAINED: f32 = 0.8;
/// Fewest words of the shorter text for [`RUN_COPY`] to apply: a line or
/// two that a longer page repeats is not a copy of it.
const RUN_COPY_WORDS: usize = 24;

/// Makes `out` a copy read on the word stream (see `runs`) when the two
/// texts' sentences did not show one: the shared runs cover the shorter
/// text and form one stretch of the other, in order (an extractive
/// summary's sentences, picked here and there, stay a summary). Verbatim
/// when the runs cover both texts, else an excerpt. Returns whether it did.
fn copy_of_runs(
    out: &mut Comparison,
    a: &Article,
    b: &Article,
    da: &Doc,
    db: &Doc,
    f: &Features,
) -> bool {
    // Most pairs fail the cheap test on their word sets first.
    if f.contained < RUN_CONTAINED || da.toks.len().min(db.toks.len()) < RUN_COPY_WORDS {
        return false;
    }
    let t = runs::tile(da, db);
    if t.cover_a.max(t.cover_b) < RUN_COPY || !t.one_stretch() {
        return false;
    }
    let kind = if t.cover_a.min(t.cover_b) >= VERBATIM_COVER {
        RelationKind::Verbatim
    } else {
        RelationKind::Excerpt
    };
    let span = |d: &Doc, at: usize, len: usize| {
        Span::new(d.toks[at].span.start, d.toks[at + len - 1].span.end)
    };
    out.kind = kind;
    out.evidence = t
        .runs
        .iter()
        .map(|r| {
            let (sa, sb) = (span(da, r.i, r.len), span(db, r.j, r.len));
            Evidence {
                a_span: sa,
                b_span: sb,
                similarity: 1.0,
                diff: vec![DiffOp::Equal { a: sa, b: sb }],
            }
        })
        .collect();
    out.evidence
        .sort_by_key(|e| (e.a_span.start, e.b_span.start));
    // The direction rules and the confidence read the runs' coverage.
    let g = Features {
        cover_a: t.cover_a,
        cover_b: t.cover_b,
        run_sim: 1.0,
        ..f.clone()
    };
    out.confidence = confidence(&g, kind);
    (out.direction, out.lean) = direction(a, b, da, db, kind, &g, &[], (0, 0));
    out.drift.clear();
    true
}

/// True when at least [`LIFTED_PASSAGES`] aligned passages are the same
/// words on both sides (similarity 0.97 or more), each of
/// [`LIFTED_MIN_WORDS`] words or more and mostly outside quotation marks in
/// `b`, with [`LIFTED_WORDS`] words or more in all.
fn lifted_passages(evidence: &[Evidence], db: &Doc) -> bool {
    let exact: Vec<&Evidence> = evidence.iter().filter(|e| e.similarity >= 0.97).collect();
    if exact.len() < LIFTED_PASSAGES {
        return false;
    }
    let quoted = quoted_tokens(db);
    let (mut passages, mut words) = (0, 0);
    for e in exact {
        let first = db.toks.partition_point(|t| t.span.start < e.b_span.start);
        let end = db.toks.partition_point(|t| t.span.end <= e.b_span.end);
        let n = end.saturating_sub(first);
        let inside = quoted[first..end.max(first)].iter().filter(|q| **q).count();
        if n >= LIFTED_MIN_WORDS && inside * 2 < n {
            passages += 1;
            words += n;
        }
    }
    passages >= LIFTED_PASSAGES && words >= LIFTED_WORDS
}

/// For each token of `d`, whether it lies inside quotation marks.
fn quoted_tokens(d: &Doc) -> Vec<bool> {
    let quotes = stemma_text::quoted_spans(d.text);
    let mut q = quotes.iter().peekable();
    d.toks
        .iter()
        .map(|t| {
            while q.next_if(|s| s.end <= t.span.start).is_some() {}
            q.peek().is_some_and(|s| s.start <= t.span.start)
        })
        .collect()
}

/// Marks of a text's style that tell a report from its rewrite.
struct Style {
    /// Share of words inside quotation marks.
    quoted: f32,
    /// Share of content words that machine rewriters over-use.
    styled: f32,
    /// Share of words that are "said" or "says".
    said: f32,
}

fn style_marks(d: &Doc) -> Style {
    let quoted = quoted_tokens(d).into_iter().filter(|q| *q).count();
    let (mut content, mut styled, mut said) = (0usize, 0usize, 0usize);
    for t in &d.toks {
        said += usize::from(matches!(t.norm.as_str(), "said" | "says"));
        if t.content && !t.number {
            content += 1;
            styled += usize::from(stemma_text::is_rewriter_word(&t.norm));
        }
    }
    let share = |n: usize, of: usize| if of == 0 { 0.0 } else { n as f32 / of as f32 };
    Style {
        quoted: share(quoted, d.toks.len()),
        styled: share(styled, content),
        said: share(said, d.toks.len()),
    }
}

/// Content-word Dice of the whole texts, the share of the smaller word set
/// the other holds, and the names and numbers both texts have, only `a` has
/// and only `b` has.
fn topic_overlap(da: &Doc, db: &Doc) -> (f32, f32, usize, usize, usize) {
    use std::collections::HashSet;
    let set =
        |d: &Doc| -> HashSet<u64> { d.toks.iter().filter(|t| t.content).map(|t| t.key).collect() };
    // German capitalises every noun: there, a capital marks no name, and
    // two unrelated German pages would share dozens of "names" (Jahr,
    // Menschen, Zeit); their figures still count.
    let names = |d: &Doc| -> HashSet<u64> {
        let caps = d.lang != Some(stemma_text::Lang::German);
        d.toks
            .iter()
            .filter(|t| t.content && (t.number || caps && t.capitalised))
            .map(|t| t.key)
            .collect()
    };
    let (sa, sb) = (set(da), set(db));
    let inter = sa.intersection(&sb).count();
    let dice = 2.0 * inter as f32 / (sa.len() + sb.len()).max(1) as f32;
    let contained = inter as f32 / sa.len().min(sb.len()).max(1) as f32;
    let (na, nb) = (names(da), names(db));
    let shared = na.intersection(&nb).count();
    (
        dice,
        contained,
        shared,
        na.len() - shared,
        nb.len() - shared,
    )
}

fn confidence(f: &Features, kind: RelationKind) -> f32 {
    let strength = f.run_sim.max(f.support_short).clamp(0.0, 1.0);
    let base = match kind {
        RelationKind::Verbatim => 0.95,
        RelationKind::Excerpt => 0.85,
        RelationKind::Spun | RelationKind::Paraphrase => 0.7,
        RelationKind::Summary => 0.7,
        _ => 0.6,
    };
    (base * (0.6 + 0.4 * strength)).clamp(0.0, 1.0)
}

/// How many synonym swaps in the evidence read as `a` keeping the original
/// wording and `b` the spinner's, and the other way round (see
/// [`Thesaurus::spin_hint`]).
fn spin_votes(a: &str, b: &str, evidence: &[Evidence], thes: Option<&Thesaurus>) -> (usize, usize) {
    let Some(t) = thes else {
        return (0, 0);
    };
    let (mut for_a, mut for_b) = (0, 0);
    for e in evidence {
        for op in &e.diff {
            let DiffOp::Substitute {
                a: sa,
                b: sb,
                synonym: true,
            } = op
            else {
                continue;
            };
            let (Some(x), Some(y)) = (a.get(sa.start..sa.end), b.get(sb.start..sb.end)) else {
                continue;
            };
            match t.spin_hint(&x.trim().to_lowercase(), &y.trim().to_lowercase()) {
                Some(true) => for_a += 1,
                Some(false) => for_b += 1,
                None => {}
            }
        }
    }
    (for_a, for_b)
}

/// Which way the derivation goes, and, for a rewrite read by its wording
/// alone, the log-odds behind it (`Comparison::lean`; 0 otherwise). `spin`
/// is [`spin_votes`]'s count.
#[allow(clippy::too_many_arguments)]
fn direction(
    a: &Article,
    b: &Article,
    da: &Doc,
    db: &Doc,
    kind: RelationKind,
    f: &Features,
    groups: &[Group],
    spin: (usize, usize),
) -> (Direction, f32) {
    let (la, lb) = (da.toks.len(), db.toks.len());
    if let Some(d) = evident_direction(a, b, da, db, kind, f, groups)
        .or_else(|| passage_home(da, db, f, kind, groups))
    {
        return (d, 0.0);
    }
    if matches!(kind, RelationKind::Spun | RelationKind::Paraphrase) {
        // Which text is more complete: a rewrite drops details (names,
        // figures, sentences) more often than it adds them.
        let mut z = model::source_logit(f, la, lb, spin);
        // A page that states when it was published, against a copy that
        // does not: original reports carry that metadata far more often
        // than content farms' rewrites. A hint the text can outweigh.
        match (a.published_utc().is_some(), b.published_utc().is_some()) {
            (true, false) => z += model::DATED_W,
            (false, true) => z -= model::DATED_W,
            _ => {}
        }
        // Even a weak lean decides: the drift above is read in this
        // direction, and the derivation rules may still turn a weakly
        // oriented link round (with its evidence and drift).
        let d = if z > 0.0 {
            Direction::AToB
        } else if z < 0.0 {
            Direction::BToA
        } else {
            Direction::Unknown
        };
        return (d, z);
    }
    (by_length(la, lb, 1.15), 0.0)
}

/// The direction the texts' structure, dates or citations give, in that
/// order: a citation of the other page's own site, a summary chain, a
/// summary's or excerpt's extent, length for summaries and excerpts,
/// publish dates, other citations.
fn evident_direction(
    a: &Article,
    b: &Article,
    da: &Doc,
    db: &Doc,
    kind: RelationKind,
    f: &Features,
    groups: &[Group],
) -> Option<Direction> {
    // A page that names the other's site as its source says where it came
    // from: that outranks what the texts' shapes suggest (a reordered
    // extractive summary can read as the longer text's source) and publish
    // dates, which crawls get wrong (time zones, update times, crawl times).
    match (names_site_of(a, b), names_site_of(b, a)) {
        (true, false) => return Some(Direction::BToA),
        (false, true) => return Some(Direction::AToB),
        _ => {}
    }
    // Two dated pages of one site: an update of a page, or a follow-up
    // that reuses its paragraphs, derives from the earlier page, however
    // much longer it is (an extended page reads as an excerpt's source).
    let site = site_of(a);
    if !site.is_empty()
        && site == site_of(b)
        && let (Some(pa), Some(pb)) = (a.published_utc(), b.published_utc())
        && pa != pb
    {
        return Some(if pa < pb {
            Direction::AToB
        } else {
            Direction::BToA
        });
    }
    // A passage set inside two otherwise different pages (a blog post
    // quoting three paragraphs of a report, a page stitched from passages
    // of several others): neither is the excerpt, nor a summary of the
    // other, and which page is longer says nothing of which came first.
    let passage = is_passage(f);
    let quoted = kind == RelationKind::Excerpt && passage;
    if !quoted && let Some(d) = summary_direction(f, kind) {
        return Some(d);
    }
    if kind == RelationKind::Summary && !groups.is_empty() {
        // The summarised passage spans more of the source than the summary.
        let (i0, i1) = groups
            .iter()
            .fold((usize::MAX, 0), |(l, h), g| (l.min(g.i0), h.max(g.i1)));
        let (j0, j1) = groups
            .iter()
            .fold((usize::MAX, 0), |(l, h), g| (l.min(g.j0), h.max(g.j1)));
        let ea = da.sents[i1].end_tok - da.sents[i0].first_tok;
        let eb = db.sents[j1].end_tok - db.sents[j0].first_tok;
        if ea as f32 > eb as f32 * 1.2 {
            return Some(Direction::AToB);
        }
        if eb as f32 > ea as f32 * 1.2 {
            return Some(Direction::BToA);
        }
    }
    if kind == RelationKind::Excerpt && !passage && (f.cover_a - f.cover_b).abs() > 0.2 {
        // The excerpt is the text mostly made of the shared part.
        return Some(if f.cover_b > f.cover_a {
            Direction::AToB
        } else {
            Direction::BToA
        });
    }
    if matches!(kind, RelationKind::Summary | RelationKind::Excerpt) && !quoted {
        let d = by_length(da.toks.len(), db.toks.len(), 1.05);
        if d != Direction::Unknown {
            return Some(d);
        }
    }
    if let (Some(pa), Some(pb)) = (a.published_utc(), b.published_utc())
        && pa != pb
    {
        return Some(if pa < pb {
            Direction::AToB
        } else {
            Direction::BToA
        });
    }
    match (cites(a, b), cites(b, a)) {
        (true, false) => Some(Direction::BToA),
        (false, true) => Some(Direction::AToB),
        _ => None,
    }
}

/// Which text a passage shared by two otherwise different texts was
/// written for: it reads as part of that text, its words recurring in the
/// rest of it, while a passage set into another page stands apart from
/// what surrounds it there. Only where the passage is at most half of
/// each text and a small part of one of them ([`SET_IN`]) or standing
/// apart from the rest of one ([`APART`]): a rewrite, however loosely
/// aligned, is made of its source throughout, and the rest of it coheres
/// with its passage about as well as the source's does.
fn passage_home(
    da: &Doc,
    db: &Doc,
    f: &Features,
    kind: RelationKind,
    groups: &[Group],
) -> Option<Direction> {
    if groups.is_empty() || kind == RelationKind::Summary || !is_passage(f) {
        return None;
    }
    let (ca, sa) = coherence(da, groups.iter().map(|g| g.i0..g.i1 + 1));
    let (cb, sb) = coherence(db, groups.iter().map(|g| g.j0..g.j1 + 1));
    // A larger part of both, the passage must stand apart from the rest of
    // one text: cohering with it less than half as well as with the other.
    let apart = ca.min(cb) < ca.max(cb) * APART;
    if sa.max(sb) > QUOTE_COVER || (sa.min(sb) > SET_IN && !apart) {
        return None;
    }
    if ca > cb + COHERENCE_GAP {
        Some(Direction::AToB)
    } else if cb > ca + COHERENCE_GAP {
        Some(Direction::BToA)
    } else {
        None
    }
}

/// Most of the smaller of the two texts' shares (in tokens) a shared
/// passage may take for [`passage_home`] to read it as set into one of them.
const SET_IN: f32 = 0.2;

/// The ratio of the two coherences under which a passage that is more than
/// [`SET_IN`] of both texts reads as standing apart from one of them.
const APART: f32 = 0.5;

/// How much more one text's shared passage must cohere with the rest of
/// that text than with the rest of the other ([`coherence`]) to show which
/// text it was written for.
const COHERENCE_GAP: f32 = 0.03;

/// Cosine of the content words of `d`'s sentences in `passage` (ranges of
/// sentence indices) against those of its other sentences, each word
/// counted once a sentence; and the passage's share of the text's tokens.
fn coherence(d: &Doc, passage: impl Iterator<Item = std::ops::Range<usize>>) -> (f32, f32) {
    let mut inside = vec![false; d.sents.len()];
    for r in passage {
        let end = r.end.min(inside.len());
        inside[r.start.min(end)..end].fill(true);
    }
    let mut bags: [summary::KeyMap<f32>; 2] = Default::default();
    let mut tokens = [0usize; 2];
    for (s, &is_in) in d.sents.iter().zip(&inside) {
        tokens[usize::from(is_in)] += s.end_tok - s.first_tok;
        for &k in &s.keys {
            *bags[usize::from(is_in)].entry(k).or_default() += 1.0;
        }
    }
    let [rest, shared] = &bags;
    let dot: f32 = shared
        .iter()
        .filter_map(|(k, v)| rest.get(k).map(|x| v * x))
        .sum();
    let norm = |b: &summary::KeyMap<f32>| b.values().map(|v| v * v).sum::<f32>().sqrt();
    let n = norm(shared) * norm(rest);
    let share = tokens[1] as f32 / (tokens[0] + tokens[1]).max(1) as f32;
    (if n > 0.0 { dot / n } else { 0.0 }, share)
}

/// Whether the shared part is under [`QUOTE_COVER`] of both texts: a
/// passage set inside two otherwise different pages.
fn is_passage(f: &Features) -> bool {
    f.cover_a.max(f.cover_b) < QUOTE_COVER
}

/// Most of either text's content words an excerpt's shared passage may
/// cover for the pair to read as a quotation inside two different pages,
/// whose lengths do not orient it.
const QUOTE_COVER: f32 = 0.5;

/// The longer text is the source when it is more than `margin` times the
/// other's length (`la`, `lb` tokens).
fn by_length(la: usize, lb: usize, margin: f32) -> Direction {
    if la as f32 > lb as f32 * margin {
        Direction::AToB
    } else if lb as f32 > la as f32 * margin {
        Direction::BToA
    } else {
        Direction::Unknown
    }
}

/// Whether a pair read as a rewrite condenses: the shorter text, well
/// covered, is the summary side of a summary chain whose sentences draw on
/// a stretch of the other text well over theirs in length, and much of the
/// other text is left out. (Length and coverage alone also catch rewritten
/// passages inside longer texts, which keep their source's length.) The
/// summary must be well covered by aligned passages, not only linked by
/// its chain: a summary in words of its own (half its words aligned, each
/// sentence linked) reads as a paraphrase. Letting the chain's links stand
/// for coverage was tried (2026-12-02): it made summaries of three of four
/// such summaries written here by hand of BBC articles, but also of ten
/// more l2r-news GPT rewrites, which condense as much (a third to a half
/// of their source's length) and which that set labels paraphrases.
fn condenses(f: &Features, n_sum: usize) -> bool {
    let (own, other, cover_sum, cover_src) = if f.summary_b {
        (f.summary_len_b, f.summary_len_a, f.cover_b, f.cover_a)
    } else {
        (f.summary_len_a, f.summary_len_b, f.cover_a, f.cover_b)
    };
    f.summary_links >= 3
        && f.summary_share >= 0.75
        && own > 0.0
        && own <= 0.7
        && (other == 0.0 || other >= 1.0)
        && f.length_ratio <= 0.6
        && cover_sum >= 0.7f32.min(1.0 - 1.0 / n_sum as f32)
        && cover_src <= 0.7
}

/// The summary side a summary chain gives. For any pair but a verbatim
/// copy, a clear chain: a stretch at most half as long as the source
/// sentences it draws on, and far shorter than the other reading's (where
/// there is one); whole texts' lengths mislead when the summary sits inside
/// a longer, otherwise unrelated text. For a pair judged a summary, also
/// the side the best chain reads as the summary, when its stretch is under
/// [`SUMMARY_SIDE_MAX`] of what it draws on and the other reading condenses
/// nothing (no chain, or one whose "summary" is longer than its source),
/// unless the other text lies wholly inside this one (an extractive
/// summary, its sentences reordered, can read the other way).
fn summary_direction(f: &Features, kind: RelationKind) -> Option<Direction> {
    // Reading b, or a, as the summary: b summarises a, or a summarises b.
    let side = |b_is_summary: bool| {
        if b_is_summary {
            Direction::AToB
        } else {
            Direction::BToA
        }
    };
    let (lb, la) = (f.summary_len_b, f.summary_len_a);
    let clear = |x: f32, other: f32| x > 0.0 && x <= 0.5 && (other == 0.0 || x < 0.3 * other);
    if kind != RelationKind::Verbatim {
        if clear(lb, la) {
            return Some(side(true));
        }
        if clear(la, lb) {
            return Some(side(false));
        }
    }
    if kind != RelationKind::Summary {
        return None;
    }
    let (own, other, own_cover, other_cover) = if f.summary_b {
        (lb, la, f.cover_b, f.cover_a)
    } else {
        (la, lb, f.cover_a, f.cover_b)
    };
    let inside = other_cover >= 0.9 && own_cover < other_cover;
    let condenses = own > 0.0 && own < SUMMARY_SIDE_MAX && (other == 0.0 || other >= 1.0);
    (condenses && !inside).then(|| side(f.summary_b))
}

/// Most a summary stretch may hold, as a share of the source sentences it
/// draws on, for [`summary_direction`] to read it as the summary of a pair
/// judged a summary.
const SUMMARY_SIDE_MAX: f32 = 0.8;

/// The site of `a`'s page, "" when unknown.
fn site_of(a: &Article) -> String {
    a.url
        .as_deref()
        .or(a.canonical_url.as_deref())
        .and_then(url_host)
        .unwrap_or_default()
}

/// True when `x` cites `y`'s own site ("Source: bbc.co.uk" on a copy of a
/// bbc.co.uk page).
fn names_site_of(x: &Article, y: &Article) -> bool {
    let hy = site_of(y);
    !hy.is_empty()
        && x.cited
            .iter()
            .filter_map(|c| url_host(c))
            .any(|c| on_site(&hy, &c))
}

/// True when `x` names `y` (or any outside source) as its origin and `y`
/// does not look like a derivative itself.
fn cites(x: &Article, y: &Article) -> bool {
    let hy = site_of(y);
    if !x.cited.is_empty() {
        return hy.is_empty() || names_site_of(x, y);
    }
    let t = x.text.to_lowercase();
    // A copy marker names an outside origin; a plain "Source:" only as the
    // text's first line or below its last line of prose (inside, it
    // captions a chart or a photo). Crediting an outlet with a quote ("told the BBC") is
    // part of the report itself, kept by copies and dropped by rewrites as
    // often as not: it points at `y` only when `y` is that outlet's page.
    let credit_line = stemma_core::credit_lines(&t)
        .into_iter()
        .any(|(l, credits)| credits && l.contains("source: "));
    credit_line
        || t.contains("originally published")
        || (t.contains("told the bbc") && (hy.starts_with("bbc.") || hy.contains(".bbc.")))
}

#[cfg(test)]
mod tests;
