//! `stemma-bench l2r` (also run by a whole `derive` evaluation): source attribution on
//! `l2r-news`. The 200 BBC articles and their GPT-3.5 and GPT-4o rewrites
//! (600 texts, no dates, no URLs) are analysed together; each rewrite must
//! be linked to its own source as `paraphrase` and to nothing else.
//!
//! Scored: candidate-stage recall of the 400 true pairs and the number of
//! candidate pairs; pair-level precision / recall / F1 of the derivation
//! links; kind and direction accuracy on the found true pairs; wrong links
//! split into sibling links (two rewrites of one article, whether direct or
//! through an `unseen:N` source) and other false links. Writes
//! `bench/results/l2r.txt` (or `--out PATH`; `--no-out` prints only).
//! A last section runs the texts as a crawl holds them (URLs, dates,
//! "Source:" lines, through extraction), with and without the BBC pages:
//! see [`as_crawled`].
//! `--debug` prints each article's three pairwise comparisons (kind,
//! direction, lean, coverage); `--failures` prints, for each article whose
//! rewrites are not linked to it alone, every relation among its three texts.
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::time::Instant;

use anyhow::{Context, Result};

use crate::ratio;
use stemma_core::Article;

const SETS: [(&str, &str); 3] = [
    ("human", "human.json"),
    ("gpt35", "GPT-3-Turbo.json"),
    ("gpt4o", "GPT-4o.json"),
];

pub(crate) fn load() -> Result<Vec<Article>> {
    let dir = crate::data_dir().join("l2r-news");
    let mut out = Vec::new();
    for (prefix, file) in SETS {
        let path = dir.join(file);
        let bytes = std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
        let texts: Vec<String> = serde_json::from_slice(&bytes)
            .with_context(|| format!("parsing {}", path.display()))?;
        for (i, text) in texts.into_iter().enumerate() {
            out.push(Article {
                id: format!("{prefix}-{i}"),
                text,
                ..Default::default()
            });
        }
    }
    Ok(out)
}

/// `("gpt35", 17)` from `gpt35-17`.
fn parse_id(id: &str) -> Option<(&str, usize)> {
    let (p, n) = id.rsplit_once('-')?;
    Some((p, n.parse().ok()?))
}

/// Runs the evaluation.
pub fn run(args: &[String]) -> Result<()> {
    let out_path = crate::out_path(args, "bench/results/l2r.txt")?;
    let articles = load()?;
    let (align, ctx_note) = crate::derive::eval_context(crate::derive::wants_embedder(args));
    let cfg = stemma_pipeline::Config {
        align,
        ..stemma_pipeline::Config::default()
    };
    if args.iter().any(|a| a == "--debug") {
        debug_triangles(&articles, &cfg);
    }
    let n = articles.len();
    let _index: HashMap<&str, usize> = articles
        .iter()
        .enumerate()
        .map(|(i, a)| (a.id.as_str(), i))
        .collect();
    let truth = |x: &str, y: &str| -> bool {
        match (parse_id(x), parse_id(y)) {
            (Some((p, i)), Some((q, j))) => i == j && (p == "human") != (q == "human"),
            _ => false,
        }
    };
    let sibling = |x: &str, y: &str| -> bool {
        match (parse_id(x), parse_id(y)) {
            (Some((p, i)), Some((q, j))) => i == j && p != q && p != "human" && q != "human",
            _ => false,
        }
    };
    let true_total = 400usize;

    // Candidate stage.
    let t0 = Instant::now();
    let scored = stemma_index::candidates_scored(&articles, &cfg.index);
    let cand_secs = t0.elapsed().as_secs_f64();
    let mut cand_true = 0;
    let mut cand_sib = 0;
    let mut by_reason: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for &(i, j, reason) in &scored {
        let (x, y) = (&articles[i].id, &articles[j].id);
        let t = truth(x, y);
        cand_true += usize::from(t);
        cand_sib += usize::from(sibling(x, y));
        let e = by_reason
            .entry(format!("{reason:?}").to_lowercase())
            .or_default();
        e.0 += 1;
        e.1 += usize::from(t);
    }

    // Verifier stage alone, on the candidate pairs.
    let pairs: Vec<(usize, usize)> = scored.iter().map(|&(i, j, _)| (i, j)).collect();
    let verdicts = stemma_pipeline::verify(&articles, &pairs, &cfg);
    let (mut ver_true, mut ver_sib, mut ver_other) = (0usize, 0usize, 0usize);
    for (i, j, c) in &verdicts {
        if !c.kind.is_derivation() {
            continue;
        }
        let (x, y) = (&articles[*i].id, &articles[*j].id);
        if truth(x, y) {
            ver_true += 1;
        } else if sibling(x, y) {
            ver_sib += 1;
        } else {
            ver_other += 1;
        }
    }

    // Full analysis.
    let t1 = Instant::now();
    let report = stemma_pipeline::analyze(&articles, &cfg);
    let analyze_secs = t1.elapsed().as_secs_f64();

    let unseen_members: HashMap<&str, &Vec<String>> = report
        .unseen_sources
        .iter()
        .map(|u| (u.id.as_str(), &u.derivatives))
        .collect();
    let mut predicted: BTreeSet<(String, String)> = BTreeSet::new();
    let (mut found, mut kind_ok, mut dir_ok) = (0usize, 0usize, 0usize);
    let (mut sib_links, mut other_wrong, mut unseen_links) = (0usize, 0usize, 0usize);
    let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
    let mut wrong_examples = Vec::new();
    for r in &report.relations {
        if r.source.starts_with("unseen:") {
            unseen_links += 1;
            // An unseen source joins its members: score them as sibling or
            // wrong links, each member pair once.
            continue;
        }
        let key = if r.source < r.derivative {
            (r.source.clone(), r.derivative.clone())
        } else {
            (r.derivative.clone(), r.source.clone())
        };
        if !predicted.insert(key) {
            continue;
        }
        if truth(&r.source, &r.derivative) {
            found += 1;
            *kinds.entry(r.kind.to_string()).or_default() += 1;
            kind_ok += usize::from(r.kind == stemma_core::RelationKind::Paraphrase);
            dir_ok += usize::from(r.source.starts_with("human-"));
        } else if sibling(&r.source, &r.derivative) {
            sib_links += 1;
        } else {
            other_wrong += 1;
            if wrong_examples.len() < 8 {
                wrong_examples.push(format!("{} -> {} ({})", r.source, r.derivative, r.kind));
            }
        }
    }
    let mut unseen_sib = 0;
    let mut unseen_wrong = 0;
    for members in unseen_members.values() {
        for (k, x) in members.iter().enumerate() {
            for y in &members[k + 1..] {
                if sibling(x, y) {
                    unseen_sib += 1;
                } else if !truth(x, y) {
                    unseen_wrong += 1;
                }
            }
        }
    }
    let wrong = sib_links + other_wrong;
    let precision = ratio(found, found + wrong);
    let recall = ratio(found, true_total);
    let f1 = if precision + recall > 0.0 {
        2.0 * precision * recall / (precision + recall)
    } else {
        0.0
    };
    let precision_no_sib = ratio(found, found + other_wrong);
    // Rewrites whose only link is their own source.
    let mut links_of: HashMap<&str, Vec<&str>> = HashMap::new();
    for r in &report.relations {
        links_of
            .entry(r.derivative.as_str())
            .or_default()
            .push(r.source.as_str());
        links_of
            .entry(r.source.as_str())
            .or_default()
            .push(r.derivative.as_str());
    }
    let exact_rewrites = articles
        .iter()
        .filter(|a| !a.id.starts_with("human-"))
        .filter(|a| {
            let (_, i) = parse_id(&a.id).unwrap_or(("", usize::MAX));
            linked_only_to(&links_of, &a.id, &format!("human-{i}"))
        })
        .count();
    if args.iter().any(|a| a == "--failures") {
        print_failures(&report.relations, &links_of);
    }

    let mut s = String::new();
    use std::fmt::Write;
    writeln!(s, "# l2r-news source attribution ({})", crate::utc_now())?;
    writeln!(
        s,
        "# command: cargo run --release -p stemma-bench -- l2r {}",
        args.join(" ")
    )?;
    writeln!(s, "# {ctx_note}")?;
    writeln!(
        s,
        "documents: {n} (200 human, 200 gpt35, 200 gpt4o); true pairs: {true_total}"
    )?;
    writeln!(s)?;
    writeln!(s, "## candidate stage (stemma-index, default config)")?;
    writeln!(
        s,
        "candidate pairs: {} of {} possible",
        scored.len(),
        n * (n - 1) / 2
    )?;
    writeln!(
        s,
        "true pairs among candidates: {cand_true}/{true_total} (recall {:.3}); sibling pairs: {cand_sib}/200",
        ratio(cand_true, true_total)
    )?;
    for (reason, (all, t)) in &by_reason {
        writeln!(
            s,
            "  first proposed by {reason:8}: {all:6} pairs, {t:4} true"
        )?;
    }
    writeln!(s, "candidate time: {cand_secs:.2} s")?;
    writeln!(s)?;
    writeln!(
        s,
        "## verifier on the candidate pairs (stemma_align::compare)"
    )?;
    writeln!(
        s,
        "judged derived: {ver_true} true pairs, {ver_sib} sibling pairs, {ver_other} other pairs"
    )?;
    writeln!(s)?;
    writeln!(s, "## analyze (all 600 together)")?;
    writeln!(
        s,
        "relations: {} ({} from unseen sources, {} unseen sources)",
        report.relations.len(),
        unseen_links,
        report.unseen_sources.len()
    )?;
    writeln!(s, "true pairs linked: {found}/{true_total}")?;
    writeln!(
        s,
        "derived-pair precision {precision:.3}  recall {recall:.3}  F1 {f1:.3}"
    )?;
    writeln!(s, "precision ignoring sibling links: {precision_no_sib:.3}")?;
    writeln!(
        s,
        "wrong links: {wrong} = {sib_links} sibling (gpt35-i <-> gpt4o-i) + {other_wrong} other"
    )?;
    writeln!(
        s,
        "unseen-source groups joining rewrites: {unseen_sib} sibling pairs, {unseen_wrong} other pairs"
    )?;
    writeln!(
        s,
        "kind accuracy (paraphrase) on linked true pairs: {:.3}  kinds: {kinds:?}",
        ratio(kind_ok, found)
    )?;
    writeln!(
        s,
        "direction accuracy (source = human-i) on linked true pairs: {:.3}",
        ratio(dir_ok, found)
    )?;
    writeln!(
        s,
        "rewrites linked to their source and nothing else: {exact_rewrites}/400"
    )?;
    writeln!(
        s,
        "stories: {}  independent links: {}",
        report.stories.len(),
        report.independent.len()
    )?;
    writeln!(
        s,
        "analyze time: {analyze_secs:.2} s (candidates + verification + derivation)"
    )?;
    if !wrong_examples.is_empty() {
        writeln!(s, "first other wrong links: {}", wrong_examples.join("; "))?;
    }
    as_crawled(&articles, &cfg, &mut s)?;
    print!("{s}");
    let Some(out_path) = out_path else {
        return Ok(());
    };
    if let Some(dir) = out_path.parent() {
        std::fs::create_dir_all(dir).ok();
    }
    std::fs::write(&out_path, &s).with_context(|| format!("writing {}", out_path.display()))?;
    eprintln!("wrote {}", out_path.display());
    Ok(())
}

/// The same texts as a crawl holds them, through extraction: each BBC
/// article as a dated page of bbc.co.uk, its GPT-4o rewrite as a later page
/// of a content farm ending "Source: www.bbc.co.uk" (a line every page of
/// that farm carries, so extraction drops it as the site's template), its
/// GPT-3.5 rewrite as an undated page of another farm; again with the
/// GPT-4o pages dated an hour before the BBC's (crawls get dates wrong).
/// Then the same without the BBC pages, the GPT-3.5 pages ending "Originally published on
/// bbc.co.uk": each pair of rewrites should be siblings under one unseen
/// source citing bbc.co.uk.
fn as_crawled(articles: &[Article], cfg: &stemma_pipeline::Config, s: &mut String) -> Result<()> {
    use std::fmt::Write;
    let page = |a: &Article, with_bbc: bool, early: bool| -> Option<stemma_core::RawDoc> {
        let (prefix, i) = parse_id(&a.id)?;
        let day = format!("2026-03-{:02}", 1 + i % 28);
        let (url, published, text) = match prefix {
            "human" => (
                format!("https://www.bbc.co.uk/news/{i}"),
                Some(format!("{day}T08:00:00Z")),
                a.text.clone(),
            ),
            "gpt4o" => (
                format!("https://newsfarm.example/p/{i}"),
                Some(format!("{day}T{}:00:00Z", if early { "07" } else { "15" })),
                format!("{}\n\nSource: www.bbc.co.uk", a.text),
            ),
            _ if with_bbc => (
                format!("https://contentmill.example/{i}"),
                None,
                a.text.clone(),
            ),
            _ => (
                format!("https://contentmill.example/{i}"),
                None,
                format!("{}\n\nOriginally published on bbc.co.uk", a.text),
            ),
        };
        Some(stemma_core::RawDoc {
            id: a.id.clone(),
            url: Some(url),
            published,
            origin: "l2r-as-crawled".into(),
            body: stemma_core::Body::Text(text),
        })
    };
    writeln!(s)?;
    writeln!(
        s,
        "## as crawled: pages with URLs, dates and citation lines, extracted"
    )?;
    for (early, label) in [
        (false, "with the BBC pages"),
        (true, "the GPT-4o pages dated an hour before the BBC's"),
    ] {
        let raws: Vec<_> = articles
            .iter()
            .filter_map(|a| page(a, true, early))
            .collect();
        let report = stemma_pipeline::analyze(&stemma_pipeline::extract(&raws), cfg);
        let mut links_of: HashMap<&str, Vec<&str>> = HashMap::new();
        for r in &report.relations {
            links_of.entry(&r.derivative).or_default().push(&r.source);
            links_of.entry(&r.source).or_default().push(&r.derivative);
        }
        let right = |prefix: &str| {
            (0..200)
                .filter(|i| {
                    linked_only_to(&links_of, &format!("{prefix}-{i}"), &format!("human-{i}"))
                })
                .count()
        };
        let wrong = report
            .relations
            .iter()
            .filter(|r| {
                !(r.source.starts_with("human-")
                    && parse_id(&r.source).map(|p| p.1) == parse_id(&r.derivative).map(|p| p.1))
            })
            .count();
        writeln!(
            s,
            "{label}: rewrites linked to their source and nothing else: {}/200 gpt4o (cite it), \
             {}/200 gpt35 (undated, uncited); other links {wrong}; unseen sources {}",
            right("gpt4o"),
            right("gpt35"),
            report.unseen_sources.len()
        )?;
    }
    let raws: Vec<_> = articles
        .iter()
        .filter(|a| !a.id.starts_with("human-"))
        .filter_map(|a| page(a, false, false))
        .collect();
    let report = stemma_pipeline::analyze(&stemma_pipeline::extract(&raws), cfg);
    let siblings = report
        .unseen_sources
        .iter()
        .filter(|u| {
            u.cited.as_deref() == Some("bbc.co.uk")
                && u.derivatives.len() == 2
                && parse_id(&u.derivatives[0]).map(|p| p.1)
                    == parse_id(&u.derivatives[1]).map(|p| p.1)
        })
        .count();
    let direct = report
        .relations
        .iter()
        .filter(|r| !r.source.starts_with("unseen:"))
        .count();
    writeln!(
        s,
        "without them: pairs of rewrites under one unseen source citing bbc.co.uk: {siblings}/200 \
         ({} unseen sources; {direct} direct links left between rewrites)",
        report.unseen_sources.len()
    )?;
    Ok(())
}

/// Prints the verifier's verdicts within the first triangles (source and
/// its two rewrites), for tuning.
fn debug_triangles(articles: &[Article], cfg: &stemma_pipeline::Config) {
    for i in 0..articles.len() / 3 {
        let ids = [i, 200 + i, 400 + i];
        for (x, y) in [(0, 1), (0, 2), (1, 2)] {
            let (a, b) = (&articles[ids[x]], &articles[ids[y]]);
            let c = stemma_pipeline::compare(a, b, cfg);
            let cover: f32 = c
                .evidence
                .iter()
                .map(|e| e.similarity * e.b_span.len() as f32)
                .sum::<f32>()
                / b.text.len().max(1) as f32;
            let cover_a: f32 = c
                .evidence
                .iter()
                .map(|e| e.similarity * e.a_span.len() as f32)
                .sum::<f32>()
                / a.text.len().max(1) as f32;
            eprintln!(
                "{:>10} {:>10} {:10} {:?} lean {:.2} conf {:.2} cover_b {:.2} cover_a {:.2} ev {}",
                a.id,
                b.id,
                c.kind.as_str(),
                c.direction,
                c.lean,
                c.confidence,
                cover,
                cover_a,
                c.evidence.len()
            );
        }
    }
}

/// True when `rewrite`'s one link is to `source`.
fn linked_only_to(links_of: &HashMap<&str, Vec<&str>>, rewrite: &str, source: &str) -> bool {
    links_of
        .get(rewrite)
        .is_some_and(|l| l.len() == 1 && l[0] == source)
}

/// With `--failures`: each source whose rewrites are not linked to it alone,
/// with every relation among its three texts.
fn print_failures(relations: &[stemma_core::Relation], links_of: &HashMap<&str, Vec<&str>>) {
    for i in 0..200 {
        let ids = [
            format!("human-{i}"),
            format!("gpt35-{i}"),
            format!("gpt4o-{i}"),
        ];
        if linked_only_to(links_of, &ids[1], &ids[0]) && linked_only_to(links_of, &ids[2], &ids[0])
        {
            continue;
        }
        let rels: Vec<String> = relations
            .iter()
            .filter(|r| ids.contains(&r.source) || ids.contains(&r.derivative))
            .map(|r| {
                format!(
                    "{} -> {} ({}, {:.2})",
                    r.source, r.derivative, r.kind, r.confidence
                )
            })
            .collect();
        eprintln!("{i:3}: {}", rels.join("; "));
    }
}
