//! `stemma-bench candidates`: the pipeline's stages timed one by one over a
//! generated corpus, with the recall of the true derived pairs among the
//! candidate pairs (the like-for-like figure against a MinHash-LSH tool,
//! whose output pairs are its candidates).
//!
//! Stages: `read` (JSONL -> raw documents), `extract`, `candidates`
//! (`stemma_index` over the extracted articles), and with `--full` also
//! `verify` (parallel pair alignment), `report` (orientation, redundancy,
//! unseen sources and story clustering, i.e. `report_from`) and, apart,
//! `cluster` (story clustering alone, re-run to split `report`).
//! The aligner's resources follow the CLI: `STEMMA_EMBED=off` skips the
//! sentence-embedding model.
//!
//! `stemma-bench candidates --docs DOCS.jsonl --truth truth.tsv [--full]
//!  [--report OUT.json] [--missed OUT.tsv] [--threads N] [--index JSON]`
//! (`--missed`: the truth pairs the candidates lack, as truth lines; `--index`:
//! a JSON object of `IndexConfig` fields to try instead of the defaults).
//! prints `timing STAGE SECONDS` lines on stderr and one JSON object on
//! stdout.
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result, bail};

struct Options {
    docs: PathBuf,
    truth: Option<PathBuf>,
    full: bool,
    report: Option<PathBuf>,
    missed: Option<PathBuf>,
    threads: usize,
    index: stemma_index::IndexConfig,
}

fn parse(args: &[String]) -> Result<Options> {
    let mut o = Options {
        docs: PathBuf::new(),
        truth: None,
        full: false,
        report: None,
        missed: None,
        threads: 0,
        index: Default::default(),
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut val = || {
            it.next()
                .cloned()
                .with_context(|| format!("{a} needs a value"))
        };
        match a.as_str() {
            "--docs" => o.docs = val()?.into(),
            "--truth" => o.truth = Some(val()?.into()),
            "--full" => o.full = true,
            "--report" => o.report = Some(val()?.into()),
            "--missed" => o.missed = Some(val()?.into()),
            "--threads" => o.threads = val()?.parse().context("--threads")?,
            "--index" => {
                o.index = serde_json::from_str(&val()?)
                    .context("--index: a JSON object of IndexConfig fields")?
            }
            other => bail!("unknown option {other:?}"),
        }
    }
    if o.docs.as_os_str().is_empty() {
        bail!("--docs FILE is required");
    }
    Ok(o)
}

/// Reads `source<TAB>derivative<TAB>kind` lines.
fn read_truth(path: &PathBuf) -> Result<Vec<(String, String, String)>> {
    let raw = std::fs::read_to_string(path).with_context(|| format!("{}", path.display()))?;
    raw.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(n, l)| {
            let mut f = l.split('\t');
            match (f.next(), f.next(), f.next()) {
                (Some(s), Some(d), Some(k)) => Ok((s.to_owned(), d.to_owned(), k.to_owned())),
                _ => bail!(
                    "{}:{}: expected three tab-separated fields",
                    path.display(),
                    n + 1
                ),
            }
        })
        .collect()
}

/// Recall of `truth` among `pairs` (index pairs, `i < j`), overall and by
/// kind, and the truth lines missed.
fn recall(
    truth: &[(String, String, String)],
    index_of: &HashMap<&str, usize>,
    pairs: &[(usize, usize)],
) -> (f64, BTreeMap<String, f64>, String) {
    let set: std::collections::HashSet<(usize, usize)> = pairs.iter().copied().collect();
    let mut by_kind: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut hit = 0;
    let mut missed = String::new();
    for (s, d, k) in truth {
        let found = match (index_of.get(s.as_str()), index_of.get(d.as_str())) {
            (Some(&a), Some(&b)) => set.contains(&(a.min(b), a.max(b))),
            _ => false,
        };
        hit += usize::from(found);
        if !found {
            missed.push_str(&format!("{s}\t{d}\t{k}\n"));
        }
        let e = by_kind.entry(k.clone()).or_default();
        e.0 += usize::from(found);
        e.1 += 1;
    }
    let rate = |h: usize, n: usize| ((h as f64 / n.max(1) as f64) * 10_000.0).round() / 10_000.0;
    (
        rate(hit, truth.len()),
        by_kind
            .into_iter()
            .map(|(k, (h, n))| (k, rate(h, n)))
            .collect(),
        missed,
    )
}

/// CPU seconds (user + system, all threads) this process has used so far,
/// from `/proc/self/stat`; 0 where that is unreadable. On a machine shared
/// with other work, wall time overstates a stage's cost and CPU time does not.
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // Fields after the parenthesised command name; utime and stime are the
    // 14th and 15th fields overall, in clock ticks (100 a second on Linux).
    let Some(rest) = stat.rsplit_once(')').map(|(_, r)| r) else {
        return 0.0;
    };
    let f: Vec<&str> = rest.split_whitespace().collect();
    let tick = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (tick(11) + tick(12)) / 100.0
}

/// Peak resident memory of this process so far, in MiB (`VmHWM` of
/// `/proc/self/status`); 0 where that is unreadable.
fn peak_rss_mib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        })
        .map_or(0, |kb| kb / 1024)
}

/// Runs the profile.
pub fn run(args: &[String]) -> Result<()> {
    let o = parse(args)?;
    let mut times: Vec<(&str, f64)> = Vec::new();
    let mut cpu: Vec<(&str, f64)> = Vec::new();
    let mut cpu_at = cpu_seconds();
    let mut lap = |stage: &'static str, t: &mut Instant| {
        let s = t.elapsed().as_secs_f64();
        let now = cpu_seconds();
        let c = now - cpu_at;
        cpu_at = now;
        eprintln!(
            "timing {stage} {s:.3} cpu {c:.2} peak_mib {}",
            peak_rss_mib()
        );
        times.push((stage, (s * 1000.0).round() / 1000.0));
        cpu.push((stage, (c * 100.0).round() / 100.0));
        *t = Instant::now();
    };
    let mut t = Instant::now();
    let mut raws = Vec::new();
    let mut unreadable = 0usize;
    for item in stemma_ingest::read_paths(std::slice::from_ref(&o.docs)) {
        match item {
            Ok(doc) => raws.push(doc),
            Err(e) => {
                unreadable += 1;
                eprintln!("candidates: skipped {e}");
            }
        }
    }
    lap("read", &mut t);
    let articles = stemma_pipeline::extract_owned(raws);
    lap("extract", &mut t);
    let cfg = stemma_pipeline::Config {
        threads: o.threads,
        index: o.index.clone(),
        ..Default::default()
    };
    let pairs = stemma_index::candidates_with(&articles, &cfg.index);
    lap("candidates", &mut t);

    let index_of: HashMap<&str, usize> = articles
        .iter()
        .enumerate()
        .map(|(i, a)| (a.id.as_str(), i))
        .collect();
    let truth = match &o.truth {
        Some(p) => read_truth(p)?,
        None => Vec::new(),
    };
    let (cand_recall, cand_by_kind, missed) = recall(&truth, &index_of, &pairs);
    if let Some(path) = &o.missed {
        std::fs::write(path, missed).with_context(|| format!("{}", path.display()))?;
    }
    let mut out = serde_json::json!({
        "documents": articles.len(),
        "unreadable": unreadable,
        "candidate_pairs": pairs.len(),
        "candidate_pairs_per_doc": (pairs.len() as f64 / articles.len().max(1) as f64 * 100.0).round() / 100.0,
        "candidate_recall": cand_recall,
        "candidate_recall_by_kind": cand_by_kind,
    });

    if o.full {
        let want = stemma_resources::Want::from_env();
        t = Instant::now();
        let cfg = stemma_pipeline::Config {
            align: stemma_resources::align_context(want),
            ..cfg
        };
        let resources = stemma_resources::describe(&cfg.align);
        eprintln!("resources: {resources}");
        lap("resources", &mut t);
        let compared = stemma_pipeline::verify(&articles, &pairs, &cfg);
        lap("verify", &mut t);
        let report = stemma_pipeline::report_from_owned(&articles, compared);
        lap("report", &mut t);
        let linked: Vec<(usize, usize)> = report
            .relations
            .iter()
            .filter_map(|r| {
                Some((
                    *index_of.get(r.source.as_str())?,
                    *index_of.get(r.derivative.as_str())?,
                ))
            })
            .collect();
        let clusters = stemma_story::cluster(&articles, &linked);
        lap("cluster", &mut t);
        let derived: Vec<(usize, usize)> =
            linked.iter().map(|&(a, b)| (a.min(b), a.max(b))).collect();
        let (rel_recall, rel_by_kind, _) = recall(&truth, &index_of, &derived);
        let truth_set: std::collections::HashSet<(usize, usize)> = truth
            .iter()
            .filter_map(|(s, d, _)| {
                let (a, b) = (*index_of.get(s.as_str())?, *index_of.get(d.as_str())?);
                Some((a.min(b), a.max(b)))
            })
            .collect();
        let mut uniq = derived.clone();
        uniq.sort_unstable();
        uniq.dedup();
        let tp = uniq.iter().filter(|p| truth_set.contains(p)).count();
        let precision = tp as f64 / uniq.len().max(1) as f64;
        let f1 = if precision + rel_recall > 0.0 {
            2.0 * precision * rel_recall / (precision + rel_recall)
        } else {
            0.0
        };
        let r4 = |x: f64| (x * 10_000.0).round() / 10_000.0;
        out["resources"] = resources.into();
        out["relations"] = report.relations.len().into();
        out["stories"] = clusters.len().into();
        out["derived_precision"] = r4(precision).into();
        out["derived_recall"] = rel_recall.into();
        out["derived_f1"] = r4(f1).into();
        out["derived_recall_by_kind"] = serde_json::to_value(rel_by_kind)?;
        if let Some(path) = &o.report {
            let f = std::fs::File::create(path).with_context(|| format!("{}", path.display()))?;
            serde_json::to_writer(std::io::BufWriter::new(f), &report)?;
        }
    }
    out["seconds"] = serde_json::to_value(times.iter().copied().collect::<BTreeMap<_, _>>())?;
    out["cpu_seconds"] = serde_json::to_value(cpu.iter().copied().collect::<BTreeMap<_, _>>())?;
    println!("{out}");
    Ok(())
}
