//! Times batch story clustering over a JSONL corpus (e.g. one made by
//! `stemma-bench gen`) at several `max_postings` bounds and similarity floors, and compares each
//! clustering with the first one (B-cubed, first as gold).
//!
//! `cargo run --release -p stemma-bench --example story_scale -- DOCS.jsonl [CAP[:FLOOR]...]`
use std::time::Instant;

use anyhow::Result;
use stemma_story::metrics::{bcubed, labels};
use stemma_story::{StoryConfig, cluster_with};

/// CPU seconds (user + system, all threads) of this process so far.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<&str> = rest.split_whitespace().collect();
    let tick = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (tick(11) + tick(12)) / 100.0
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let docs = std::path::PathBuf::from(&args[0]);
    // Each setting is MAX_POSTINGS or MAX_POSTINGS:MIN_SIMILARITY.
    let caps: Vec<(usize, f32)> = args[1..]
        .iter()
        .map(|c| -> Result<(usize, f32)> {
            let (a, b) = c.split_once(':').unwrap_or((c, "0.01"));
            Ok((a.parse()?, b.parse()?))
        })
        .collect::<Result<_>>()?;
    let raws: Vec<_> = stemma_ingest::read_paths(std::slice::from_ref(&docs))
        .filter_map(Result::ok)
        .collect();
    let t = Instant::now();
    let articles = stemma_pipeline::extract(&raws);
    drop(raws);
    eprintln!(
        "extract {} docs {:.2}s",
        articles.len(),
        t.elapsed().as_secs_f64()
    );
    let mut first: Option<Vec<usize>> = None;
    for (cap, floor) in caps {
        let cfg = StoryConfig {
            max_postings: cap,
            min_similarity: floor,
            ..StoryConfig::default()
        };
        let (t, c0) = (Instant::now(), cpu_seconds());
        let c = cluster_with(&articles, &[], &cfg);
        let s = t.elapsed().as_secs_f64();
        let cpu = cpu_seconds() - c0;
        let l = labels(&c, articles.len());
        let (p, r) = first.as_ref().map_or((1.0, 1.0), |f| {
            let b = bcubed(&l, f);
            (b.precision, b.recall)
        });
        println!(
            "max_postings {cap} min_similarity {floor}: {s:.2}s ({cpu:.2} CPU-s), {} stories, B-cubed vs first P {p:.3} R {r:.3}",
            c.len()
        );
        first.get_or_insert(l);
    }
    Ok(())
}
