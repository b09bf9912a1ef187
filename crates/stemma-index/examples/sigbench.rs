//! Scratch timing of the candidate stage: `cargo run --release -p stemma-index
//! --example sigbench -- DOCS.jsonl [TRUTH.tsv]` (documents as `{"id","text"}`
//! lines; the text is used as is, without extraction).
use std::collections::{HashMap, HashSet};
use std::time::Instant;

use stemma_core::Article;
use stemma_index::{IndexConfig, Signature, candidates_scored};

/// CPU seconds of this process (all threads), from `/proc/self/stat`.
fn cpu() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or_default();
    let f: Vec<&str> = rest.split_whitespace().collect();
    let tick = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (tick(11) + tick(12)) / 100.0
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let raw = std::fs::read_to_string(&args[1]).expect("docs");
    let arts: Vec<Article> = raw
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("json");
            Article {
                id: v["id"].as_str().unwrap_or_default().into(),
                text: v["text"].as_str().unwrap_or_default().into(),
                ..Default::default()
            }
        })
        .collect();
    // SIGBENCH_CFG='{"bands":50}' overrides defaults (JSON of IndexConfig).
    let cfg: IndexConfig = std::env::var("SIGBENCH_CFG")
        .ok()
        .map(|j| serde_json::from_str(&j).expect("SIGBENCH_CFG"))
        .unwrap_or_default();
    if std::env::var_os("SIGBENCH_TOKENS").is_some() {
        let c = cpu();
        let mut n = 0usize;
        let mut bytes = 0usize;
        for a in &arts {
            stemma_text::for_each_token(&a.text, |t| {
                n += 1;
                bytes += t.norm.len();
            });
        }
        let c1 = cpu();
        let mut stop = 0usize;
        for a in &arts {
            stemma_text::for_each_token(&a.text, |t| {
                stop += usize::from(stemma_text::is_stopword(t.norm));
            });
        }
        println!(
            "tokens {n} ({bytes} bytes): {:.3} CPU-s; with is_stopword {:.3} ({stop})",
            c1 - c,
            cpu() - c1
        );
    }
    // SIGBENCH_REPEAT=K: K more timed runs of candidates_scored alone (the
    // least CPU of them is the figure least disturbed by other work).
    let repeat: usize = std::env::var("SIGBENCH_REPEAT")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    if repeat > 0 {
        let mut best = f64::MAX;
        let mut all = Vec::new();
        for _ in 0..repeat {
            let c = cpu();
            std::hint::black_box(candidates_scored(&arts, &cfg));
            let d = cpu() - c;
            best = best.min(d);
            all.push(format!("{d:.2}"));
        }
        let mut sign = f64::MAX;
        for _ in 0..repeat {
            let c = cpu();
            let sigs: Vec<Signature> = arts.iter().map(|a| Signature::of(&a.text, &cfg)).collect();
            std::hint::black_box(sigs);
            sign = sign.min(cpu() - c);
        }
        println!(
            "repeat: min {best:.2} CPU-s; all {}; signing alone (one thread) min {sign:.2}",
            all.join(" ")
        );
        return;
    }
    let c0 = cpu();
    let t = Instant::now();
    let sigs: Vec<Signature> = if std::env::var_os("SIGBENCH_NO_SIGN").is_some() {
        Vec::new()
    } else {
        arts.iter().map(|a| Signature::of(&a.text, &cfg)).collect()
    };
    let sign = t.elapsed().as_secs_f64();
    let c1 = cpu();
    let t = Instant::now();
    let pairs = candidates_scored(&arts, &cfg);
    let all = t.elapsed().as_secs_f64();
    let c2 = cpu();
    println!(
        "cpu: sign {:.2}s, candidates_scored {:.2}s ({:.0} docs/CPU-s)",
        c1 - c0,
        c2 - c1,
        arts.len() as f64 / (c2 - c1)
    );
    let n = arts.len() as f64;
    println!(
        "docs {} sign(1 thread) {sign:.3}s ({:.0} docs/s)  candidates_scored {all:.3}s wall  pairs {} ({:.2}/doc) terms/doc {:.1}",
        arts.len(),
        n / sign,
        pairs.len(),
        pairs.len() as f64 / n,
        sigs.iter().map(|s| s.terms.len()).sum::<usize>() as f64 / sigs.len().max(1) as f64
    );
    // SIGBENCH_DUMP=FILE: the pairs with reasons and every signature, one a
    // line, to compare two builds byte for byte.
    if let Some(path) = std::env::var_os("SIGBENCH_DUMP") {
        use std::fmt::Write as _;
        let mut out = String::new();
        for &(i, j, r) in &pairs {
            let _ = writeln!(out, "{i} {j} {r:?}");
        }
        for a in &arts {
            let s = Signature::of(&a.text, &cfg);
            let _ = writeln!(out, "{} {:?} {:?}", s.exact, s.minhash, s.terms);
        }
        std::fs::write(path, out).expect("dump");
    }
    if let Some(tp) = args.get(2) {
        let at: HashMap<&str, usize> = arts
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id.as_str(), i))
            .collect();
        let set: HashSet<(usize, usize)> = pairs.iter().map(|&(i, j, _)| (i, j)).collect();
        let mut by: HashMap<String, (usize, usize)> = HashMap::new();
        let mut truth = HashSet::new();
        for l in std::fs::read_to_string(tp).expect("truth").lines() {
            let f: Vec<&str> = l.split('\t').collect();
            let (Some(&a), Some(&b)) = (at.get(f[0]), at.get(f[1])) else {
                continue;
            };
            let p = (a.min(b), a.max(b));
            truth.insert(p);
            let e = by.entry(f[2].to_string()).or_default();
            e.0 += usize::from(set.contains(&p));
            if !set.contains(&p) && std::env::var_os("SIGBENCH_MISSED").is_some() {
                let (x, y) = (&sigs[a], &sigs[b]);
                let shared = x
                    .terms
                    .iter()
                    .filter(|t| y.terms.binary_search(t).is_ok())
                    .count();
                println!(
                    "missed {} {} {}: jaccard {:.3}, terms {}/{} shared {shared}, words {} {}",
                    f[0],
                    f[1],
                    f[2],
                    x.jaccard(y),
                    x.terms.len(),
                    y.terms.len(),
                    arts[a].text.split_whitespace().count(),
                    arts[b].text.split_whitespace().count()
                );
            }
            e.1 += 1;
        }
        let mut kinds: Vec<_> = by.into_iter().collect();
        kinds.sort();
        let hit: usize = kinds.iter().map(|k| k.1.0).sum();
        let tot: usize = kinds.iter().map(|k| k.1.1).sum();
        let mut reasons: HashMap<String, (usize, usize)> = HashMap::new();
        for &(i, j, r) in &pairs {
            let e = reasons.entry(format!("{r:?}")).or_default();
            e.0 += 1;
            e.1 += usize::from(truth.contains(&(i, j)));
        }
        print!("recall {:.4}", hit as f64 / tot as f64);
        for (k, (h, n)) in kinds {
            print!(" {k}={:.4}", h as f64 / n as f64);
        }
        println!("  by reason (pairs,true): {reasons:?}");
    }
}
