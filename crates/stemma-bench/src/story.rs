//! `stemma-bench story`: story clustering on ECB+ and an incremental-insert
//! micro-benchmark.
//!
//! ECB+ (`<data>/ecbplus/docs_derived.jsonl`): all 982 documents are
//! clustered together; B-cubed precision/recall/F1 against the event
//! (`subtopic`) and against the `topic`. Beside stemma's batch clustering at
//! its default settings: stemma's incremental [`StoryIndex`] fed the same
//! documents in a seeded shuffled order, and a baseline (plain TF-IDF cosine
//! over non-stopwords, single-link at a threshold; the threshold is the best
//! of a grid scored on the gold events, so the baseline is given an oracle
//! advantage). A threshold sweep of stemma is printed for transparency; the
//! headline figure uses the default threshold.
//!
//! Micro-benchmark: a [`StoryIndex`] over 100,000 synthetic articles
//! generated in memory from a seed (pseudo-word vocabulary, per-event names,
//! places, dates and numbers), then 1,000 timed inserts; mean and p99 ms.
//!
//! Options: `--data DIR`, `--out FILE` (default `bench/results/story.txt`),
//! `--synthetic N` (default 100000), `--skip-synthetic`, `--config JSON` (a
//! `StoryConfig`, fields not given keep their defaults).
use std::collections::HashMap;
use std::fmt::Write as _;
use std::time::Instant;

use anyhow::{Context, Result};
use serde::Deserialize;
use stemma_core::Article;
use stemma_story::metrics::{BCubed, bcubed, labels};
use stemma_story::{StoryConfig, StoryIndex, cluster_with};

#[derive(Deserialize)]
struct Doc {
    doc: String,
    topic: u32,
    subtopic: String,
    text: String,
}

/// A small deterministic PRNG (xorshift64*), so runs repeat exactly.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    /// Skewed pick in `0..n`: small indices much likelier (Zipf-like).
    fn skewed(&mut self, n: usize) -> usize {
        let u = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        ((n as f64).powf(u) as usize).saturating_sub(1).min(n - 1)
    }
}

fn row(out: &mut String, name: &str, level: &str, b: BCubed, clusters: usize) {
    let _ = writeln!(
        out,
        "{name:<44} {level:<6} P {:.3}  R {:.3}  F1 {:.3}  ({clusters} clusters)",
        b.precision, b.recall, b.f1
    );
}

/// Baseline: TF-IDF (log tf, smoothed idf) over lower-cased non-stopwords,
/// cosine, single-link (connected components of pairs at or above `t`).
fn baseline(docs: &[Doc], thresholds: &[f32]) -> Vec<(f32, Vec<usize>)> {
    let mut vocab: HashMap<String, u32> = HashMap::new();
    let mut df: Vec<u32> = Vec::new();
    let bags: Vec<HashMap<u32, u32>> = docs
        .iter()
        .map(|d| {
            let mut bag = HashMap::new();
            for t in stemma_text::tokenize(&d.text) {
                if stemma_text::is_stopword(&t.norm) {
                    continue;
                }
                let next = vocab.len() as u32;
                let id = *vocab.entry(t.norm).or_insert(next);
                *bag.entry(id).or_insert(0) += 1;
            }
            df.resize(vocab.len(), 0);
            for &id in bag.keys() {
                df[id as usize] += 1;
            }
            bag
        })
        .collect();
    let n = docs.len() as f32;
    let vecs: Vec<Vec<(u32, f32)>> = bags
        .into_iter()
        .map(|bag| {
            let mut v: Vec<(u32, f32)> = bag
                .into_iter()
                .map(|(id, tf)| {
                    (
                        id,
                        (1.0 + (tf as f32).ln())
                            * ((1.0 + n) / (1.0 + df[id as usize] as f32)).ln().max(0.0),
                    )
                })
                .collect();
            v.sort_unstable_by_key(|x| x.0);
            let norm = v.iter().map(|x| x.1 * x.1).sum::<f32>().sqrt().max(1e-9);
            v.iter_mut().for_each(|x| x.1 /= norm);
            v
        })
        .collect();
    let mut sims = Vec::new();
    for i in 0..vecs.len() {
        for j in i + 1..vecs.len() {
            sims.push((i, j, stemma_story::cosine(&vecs[i], &vecs[j])));
        }
    }
    thresholds
        .iter()
        .map(|&t| {
            let mut parent: Vec<usize> = (0..docs.len()).collect();
            fn find(p: &mut [usize], mut x: usize) -> usize {
                while p[x] != x {
                    p[x] = p[p[x]];
                    x = p[x];
                }
                x
            }
            for &(i, j, s) in &sims {
                if s >= t {
                    let (a, b) = (find(&mut parent, i), find(&mut parent, j));
                    parent[a.max(b)] = a.min(b);
                }
            }
            (t, (0..docs.len()).map(|i| find(&mut parent, i)).collect())
        })
        .collect()
}

fn ecb(data: &std::path::Path, config: &StoryConfig, out: &mut String) -> Result<()> {
    let path = data.join("ecbplus/docs_derived.jsonl");
    let raw =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let docs: Vec<Doc> = raw
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(serde_json::from_str)
        .collect::<Result<_, _>>()
        .with_context(|| format!("parsing {}", path.display()))?;
    let articles: Vec<Article> = docs
        .iter()
        .map(|d| Article {
            id: d.doc.clone(),
            text: d.text.clone(),
            ..Default::default()
        })
        .collect();
    let event: Vec<&str> = docs.iter().map(|d| d.subtopic.as_str()).collect();
    let topic: Vec<u32> = docs.iter().map(|d| d.topic).collect();
    let n_events = event.iter().collect::<std::collections::HashSet<_>>().len();
    let n_topics = topic.iter().collect::<std::collections::HashSet<_>>().len();
    let _ = writeln!(
        out,
        "## ECB+ ({} documents, {n_events} events, {n_topics} topics), all documents clustered together\n",
        docs.len()
    );

    let config = config.clone();
    let t0 = Instant::now();
    let clusters = cluster_with(&articles, &[], &config);
    let batch_s = t0.elapsed().as_secs_f64();
    let batch = labels(&clusters, articles.len());
    if let Some(dump) = std::env::var_os("STEMMA_STORY_DUMP") {
        // Debug aid: one predicted label per line, in file order.
        let text: String = batch.iter().map(|l| format!("{l}\n")).collect();
        std::fs::write(dump, text)?;
    }
    row(
        out,
        "stemma batch (average link, default config)",
        "event",
        bcubed(&batch, &event),
        clusters.len(),
    );
    row(out, "", "topic", bcubed(&batch, &topic), clusters.len());

    // Incremental, documents in a seeded shuffled order (the file is sorted
    // by topic, which would flatter an online method).
    let mut order: Vec<usize> = (0..articles.len()).collect();
    let mut rng = Rng(0x5eed_0001);
    for i in (1..order.len()).rev() {
        order.swap(i, rng.below(i + 1));
    }
    let mut index = StoryIndex::new(config.clone());
    let mut inc = vec![0usize; articles.len()];
    let t0 = Instant::now();
    for &i in &order {
        inc[i] = index.insert(&articles[i]).0 as usize;
    }
    let inc_s = t0.elapsed().as_secs_f64();
    row(
        out,
        "stemma incremental (StoryIndex, shuffled)",
        "event",
        bcubed(&inc, &event),
        index.len(),
    );
    row(out, "", "topic", bcubed(&inc, &topic), index.len());
    let agree = bcubed(&inc, &batch);
    let _ = writeln!(
        out,
        "incremental vs batch agreement (B-cubed, batch as gold): P {:.3} R {:.3} F1 {:.3}",
        agree.precision, agree.recall, agree.f1
    );

    let grid: Vec<f32> = (1..=18).map(|k| k as f32 * 0.05).collect();
    let base = baseline(&docs, &grid);
    let (bt, bl) = base
        .iter()
        .max_by(|a, b| bcubed(&a.1, &event).f1.total_cmp(&bcubed(&b.1, &event).f1))
        .expect("grid");
    let nb = bl.iter().collect::<std::collections::HashSet<_>>().len();
    row(
        out,
        &format!("baseline TF-IDF single link (t = {bt:.2}, best)"),
        "event",
        bcubed(bl, &event),
        nb,
    );
    row(out, "", "topic", bcubed(bl, &topic), nb);
    let _ = writeln!(
        out,
        "\nbatch {batch_s:.2} s, incremental {inc_s:.2} s for {} documents.\n",
        articles.len()
    );

    let _ = writeln!(
        out,
        "stemma settings (fixed defaults, picked by hand during development while looking at this set; the sweep shows their sensitivity): {}\n\
         baseline threshold: the best event F1 over the grid below, chosen on the gold labels \
         (an oracle choice that favours the baseline).\n",
        serde_json::to_string(&config)?
    );
    let _ = writeln!(out, "baseline threshold grid (event F1): ");
    for (t, l) in &base {
        let _ = write!(out, "{t:.2}:{:.3} ", bcubed(l, &event).f1);
    }
    let _ = writeln!(
        out,
        "\n\nstemma threshold sweep, other settings default (event F1 / topic F1):"
    );
    // Event and topic F1 of one setting.
    let f1s = |cfg: &StoryConfig| {
        let l = labels(&cluster_with(&articles, &[], cfg), articles.len());
        (bcubed(&l, &event).f1, bcubed(&l, &topic).f1)
    };
    for t in [0.1f32, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4] {
        let (e, p) = f1s(&StoryConfig {
            threshold: t,
            ..config.clone()
        });
        let _ = write!(out, "{t:.2}: {e:.3} / {p:.3}   ");
    }
    let _ = writeln!(
        out,
        "\n\nstemma batch pair-graph sweep, min_similarity x max_postings (1000 indexes every term \
         of this set, i.e. exact pairs), other settings default (event F1 / topic F1):"
    );
    for floor in [0.01f32, 0.05, 0.08, 0.12] {
        for cap in [1000usize, 300, 100, 30] {
            let (e, p) = f1s(&StoryConfig {
                min_similarity: floor,
                max_postings: cap,
                ..config.clone()
            });
            let _ = write!(out, "{floor:.2}x{cap}: {e:.3} / {p:.3}   ");
        }
        let _ = writeln!(out);
    }
    Ok(())
}

/// Pseudo-words from syllables, distinct for distinct `i`.
fn word(mut i: usize) -> String {
    const SYL: [&str; 32] = [
        "ka", "lo", "mi", "ten", "ras", "vo", "pel", "dun", "shi", "gar", "bel", "tor", "ne",
        "qui", "sa", "ro", "fen", "ul", "dra", "mo", "ci", "pan", "ve", "hul", "zor", "ta", "bri",
        "en", "os", "wi", "lan", "gu",
    ];
    let mut s = String::new();
    loop {
        s.push_str(SYL[i % 32]);
        i /= 32;
        if i == 0 {
            break;
        }
    }
    s
}

fn capitalise(w: &str) -> String {
    let mut c = w.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

struct Event {
    names: Vec<String>,
    place: String,
    date: (usize, usize, usize),
    numbers: Vec<usize>,
    topic_words: Vec<usize>,
}

fn make_event(rng: &mut Rng) -> Event {
    Event {
        // Names and places drawn uniformly from pools smaller than the number
        // of events, so they recur across unrelated events.
        names: (0..4)
            .map(|_| capitalise(&word(40_000 + rng.below(20_000))))
            .collect(),
        place: capitalise(&word(200_000 + rng.below(3_000))),
        date: (2000 + rng.below(26), rng.below(12), 1 + rng.below(28)),
        numbers: (0..3).map(|_| 2 + rng.below(5000)).collect(),
        // Topic words from a mid-frequency band, shared across events.
        topic_words: (0..12).map(|_| 500 + rng.below(8000)).collect(),
    }
}

fn make_article(id: String, ev: &Event, rng: &mut Rng) -> Article {
    let mut text = String::new();
    for _ in 0..(8 + rng.below(8)) {
        let mut s: Vec<String> = Vec::new();
        s.push(capitalise(&word(rng.skewed(20_000))));
        for _ in 0..(8 + rng.below(10)) {
            match rng.below(10) {
                0 => s.push(ev.names[rng.below(ev.names.len())].clone()),
                1 if rng.below(4) == 0 => s.push(format!("in {}", ev.place)),
                2 | 3 => s.push(word(ev.topic_words[rng.below(ev.topic_words.len())])),
                4 if rng.below(3) == 0 => s.push(ev.numbers[rng.below(3)].to_string()),
                5 if rng.below(4) == 0 => {
                    let (y, m, d) = ev.date;
                    s.push(format!("on {} {d}, {y}", crate::MONTHS[m]));
                }
                _ => s.push(word(rng.skewed(20_000))),
            }
        }
        text.push_str(&s.join(" "));
        text.push_str(". ");
    }
    Article {
        id,
        text,
        ..Default::default()
    }
}

fn synthetic(n: usize, out: &mut String) {
    let mut rng = Rng(0x5eed_0002);
    let n_events = n / 4;
    let mut events: Vec<Event> = (0..n_events).map(|_| make_event(&mut rng)).collect();
    let mut index = StoryIndex::default();
    let mut gold = Vec::with_capacity(n);
    let mut got = Vec::with_capacity(n);
    let t0 = Instant::now();
    for k in 0..n {
        // Events arrive roughly in order, each covered for a while.
        let lo = (k * n_events / n).saturating_sub(200);
        let e = (lo + rng.below(400)) % n_events;
        let a = make_article(format!("s{k}"), &events[e], &mut rng);
        got.push(index.insert(&a).0);
        gold.push(e);
    }
    let build_s = t0.elapsed().as_secs_f64();
    let quality = bcubed(&got, &gold);
    // Timed inserts: half to recent events, half to brand-new ones.
    let mut times = Vec::new();
    for k in 0..1000 {
        let e = if k % 2 == 0 {
            n_events - 1 - rng.below(400)
        } else {
            events.push(make_event(&mut rng));
            events.len() - 1
        };
        let a = make_article(format!("t{k}"), &events[e], &mut rng);
        let t = Instant::now();
        index.insert(&a);
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    let mean = times.iter().sum::<f64>() / times.len() as f64;
    let p99 = times[(times.len() * 99) / 100 - 1];
    let max = times[times.len() - 1];
    let _ = writeln!(
        out,
        "## Incremental insert micro-benchmark (synthetic, seeded, in memory)\n\n\
         built a StoryIndex over {n} synthetic articles ({n_events} events) in {build_s:.1} s \
         ({:.2} ms/article); {} stories; B-cubed vs generated events P {:.3} R {:.3} F1 {:.3}\n\
         1000 timed inserts into the {n}-article index: mean {mean:.3} ms, p99 {p99:.3} ms, max {max:.3} ms",
        build_s * 1000.0 / n as f64,
        index.len(),
        quality.precision,
        quality.recall,
        quality.f1
    );
}

/// Runs the evaluation.
pub fn run(args: &[String]) -> Result<()> {
    let mut data = crate::data_dir();
    let mut out_path = std::path::PathBuf::from("bench/results/story.txt");
    let mut n_synth = 100_000usize;
    let mut skip_synth = false;
    let mut config = StoryConfig::default();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--data" => data = it.next().context("--data DIR")?.into(),
            "--out" => out_path = it.next().context("--out FILE")?.into(),
            "--synthetic" => n_synth = it.next().context("--synthetic N")?.parse()?,
            "--skip-synthetic" => skip_synth = true,
            "--config" => config = serde_json::from_str(it.next().context("--config JSON")?)?,
            other => anyhow::bail!("unknown option {other:?}"),
        }
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# stemma story evaluation\n\ndate: {}\ncommand: cargo run --release -p stemma-bench -- story {}\n\
         machine: {} cores ({})\n",
        crate::utc_now(),
        args.join(" "),
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        std::env::consts::ARCH
    );
    ecb(&data, &config, &mut out)?;
    if !skip_synth {
        let _ = writeln!(out);
        synthetic(n_synth, &mut out);
    }
    print!("{out}");
    if let Some(dir) = out_path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(&out_path, &out).with_context(|| format!("writing {}", out_path.display()))?;
    Ok(())
}
