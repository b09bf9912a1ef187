//! Benchmark of incremental ingest into a large store of synthetic news.
//!
//! Builds (or reuses) a redb store of N made-up articles (seeded; about 20
//! articles per story, with topic names, numbers and words), then times K
//! single-article ingests (two in three are fresh articles of existing or
//! new stories, one in three a spun copy of a stored article, so that pair
//! verification runs) and K story assignments (read-only), and prints
//! p50/p99/max. The single ingests leave their index rows in the store's
//! log (see `RedbStore::checkpoint`); the checkpoint that writes them into
//! the index table is timed at the end and spread over the ingests.
//! With `--idle-slices S`, up to S slices of that checkpoint
//! (`RedbStore::checkpoint_step`, what `stemma serve` runs when idle) run
//! after each ingest, as in a server with idle time between requests; they
//! are timed apart: the longest is the longest an ingest arriving during
//! idle maintenance would wait.
//!
//! `cargo run --release -p stemma-store --example ingest_bench -- [--n 100000]
//! [--k 200] [--batch 5000] [--db PATH] [--seed 7] [--cache-mb 64]
//! [--idle-slices 0]`
use std::time::{Duration, Instant};

use stemma_core::{Body, RawDoc};
use stemma_store::{RedbStore, Store, ingest::assign_story, ingest::ingest};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const SYLLABLES: &[&str] = &[
    "ka", "lo", "ri", "ten", "mar", "so", "vel", "an", "dor", "is", "ul", "pe", "gra", "mon", "ta",
    "fi", "ber", "en", "cho", "lu",
];

/// A made-up word for a number.
fn word(mut i: usize, syllables: usize) -> String {
    let mut w = String::new();
    for _ in 0..syllables {
        w.push_str(SYLLABLES[i % SYLLABLES.len()]);
        i /= SYLLABLES.len();
    }
    w
}

fn capitalise(w: &str) -> String {
    let mut c = w.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

/// Whether articles put each sentence on a line of its own
/// (`STEMMA_BENCH_LINES=1`), as many crawled pages do, rather than one
/// paragraph: every line is a row of the line-recurrence tables.
fn one_line_each() -> bool {
    static ON: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("STEMMA_BENCH_LINES").is_some_and(|v| v == "1"))
}

/// The text of article `i` (a pure function of `i`, `seed` and `stories`).
fn article(i: usize, seed: u64, stories: usize) -> (String, String) {
    let mut rng = Rng(seed ^ (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let story = rng.below(stories);
    let mut srng = Rng(seed ^ (story as u64 + 1).wrapping_mul(0xD1B5_4A32_D192_ED03) | 1);
    let names: Vec<String> = (0..6)
        .map(|_| capitalise(&word(srng.below(400_000), 4)))
        .collect();
    let topic: Vec<String> = (0..16).map(|_| word(srng.below(160_000), 4)).collect();
    let numbers: Vec<String> = (0..3)
        .map(|_| (10 + srng.below(9990)).to_string())
        .collect();
    let title = format!("{} {} {}", names[0], topic[0], topic[1]);
    let mut text = String::with_capacity(1400);
    text.push_str(&title);
    text.push('\n');
    let sentences = 10 + rng.below(6);
    for _ in 0..sentences {
        let len = 9 + rng.below(8);
        for w in 0..len {
            let r = rng.below(100);
            let tok = if r < 12 {
                topic[rng.below(topic.len())].clone()
            } else if r < 18 && w > 0 {
                names[rng.below(names.len())].clone()
            } else if r < 20 {
                numbers[rng.below(numbers.len())].clone()
            } else {
                // Skewed general vocabulary: common words often, rare ones seldom.
                let x = rng.below(1000) as f64 / 1000.0;
                word((x * x * x * 60_000.0) as usize, 3)
            };
            if w == 0 {
                text.push_str(&capitalise(&tok));
            } else {
                text.push(' ');
                text.push_str(&tok);
            }
        }
        text.push_str(if one_line_each() { ".\n" } else { ". " });
    }
    (title, text)
}

/// A spun copy: about one word in seven replaced.
fn spin(text: &str, rng: &mut Rng) -> String {
    text.split(' ')
        .map(|w| {
            if rng.below(7) == 0 && !w.ends_with('.') && !w.contains('\n') {
                word(rng.below(60_000), 3)
            } else {
                w.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn raw(id: String, text: String) -> RawDoc {
    RawDoc {
        origin: format!("{id}.txt"),
        id,
        url: None,
        published: None,
        body: Body::Text(text),
    }
}

/// This thread's time on a CPU and waiting in the run queue for one
/// (`/proc/thread-self/schedstat`, Linux; zero elsewhere).
fn sched() -> (Duration, Duration) {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").unwrap_or_default();
    let mut f = s.split_whitespace().map(|x| x.parse::<u64>().unwrap_or(0));
    let run = f.next().unwrap_or(0);
    let wait = f.next().unwrap_or(0);
    (Duration::from_nanos(run), Duration::from_nanos(wait))
}

fn pct(v: &mut [Duration], p: f64) -> Duration {
    v.sort();
    v[((v.len() as f64 - 1.0) * p).round() as usize]
}

fn report(name: &str, mut v: Vec<Duration>) {
    let max = *v.iter().max().unwrap();
    let mean = v.iter().sum::<Duration>() / v.len().max(1) as u32;
    println!(
        "{name}: n={} p50={:.2?} p99={:.2?} p99.9={:.2?} max={:.2?} mean={:.2?}",
        v.len(),
        pct(&mut v, 0.5),
        pct(&mut v, 0.99),
        pct(&mut v, 0.999),
        max,
        mean
    );
}

fn main() {
    let mut n = 100_000usize;
    let mut k = 200usize;
    let mut batch = 5000usize;
    let mut seed = 7u64;
    let mut db: Option<String> = None;
    let mut cache_mb = stemma_store::CACHE_BYTES >> 20;
    let mut idle_slices = 0usize;
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < args.len() {
        let v = args.get(i + 1).cloned().unwrap_or_default();
        match args[i].as_str() {
            "--n" => n = v.parse().expect("--n N"),
            "--k" => k = v.parse().expect("--k K"),
            "--batch" => batch = v.parse().expect("--batch B"),
            "--seed" => seed = v.parse().expect("--seed S"),
            "--db" => db = Some(v),
            "--cache-mb" => cache_mb = v.parse().expect("--cache-mb MB"),
            "--idle-slices" => idle_slices = v.parse().expect("--idle-slices S"),
            other => panic!("unknown argument {other}"),
        }
        i += 2;
    }
    let stories = (n / 20).max(1);
    let path = db.unwrap_or_else(|| format!("target/ingest-bench-{n}-{seed}.db"));
    let store = RedbStore::open_with_cache(&path, cache_mb << 20).expect("open store");
    let cfg = stemma_pipeline::Config::default();
    let have = store.counts().unwrap().documents;
    if have < n {
        println!("building {path}: {have} -> {n} articles in batches of {batch}");
        let t = Instant::now();
        let mut at = have;
        while at < n {
            let end = (at + batch).min(n);
            let docs: Vec<RawDoc> = (at..end)
                .map(|i| raw(format!("a{i:07}"), article(i, seed, stories).1))
                .collect();
            let tb = Instant::now();
            let out = ingest(&store, docs, &cfg).unwrap();
            assert!(out.errors.is_empty(), "{:?}", out.errors);
            at = end;
            println!(
                "  {at} stored ({:.1?} this batch, {:.0?} total; {} relations, {} stories)",
                tb.elapsed(),
                t.elapsed(),
                out.relations,
                out.stories
            );
        }
    }
    let counts = store.counts().unwrap();
    println!("store: {counts:?}");

    // Single-article ingests.
    let mut rng = Rng(seed.wrapping_mul(31) | 1);
    let mut times = Vec::with_capacity(k);
    let (mut fresh_t, mut copy_t) = (Vec::new(), Vec::new());
    // Per ingest: on a CPU, waiting for a CPU (other processes' load),
    // and the rest (disk: the commit's write and fsync).
    let (mut on_cpu, mut queued, mut unqueued) = (Vec::new(), Vec::new(), Vec::new());
    let mut slices = Vec::new();
    let run = (store.counter("generation").unwrap()) as usize;
    for j in 0..k {
        let id = format!("t{run}-{j}");
        let copy = j % 3 == 2;
        let text = if copy {
            spin(&article(rng.below(n), seed, stories).1, &mut rng)
        } else {
            // A new article: of a stored story, or of a story of its own.
            article(
                n + 1_000_000 * (run + 1) + j,
                seed,
                stories + rng.below(2) * stories,
            )
            .1
        };
        let (run0, wait0) = sched();
        let t = Instant::now();
        let out = ingest(&store, vec![raw(id, text)], &cfg).unwrap();
        let d = t.elapsed();
        let (run1, wait1) = sched();
        on_cpu.push(run1 - run0);
        queued.push(wait1 - wait0);
        unqueued.push(d.saturating_sub(wait1 - wait0));
        assert_eq!(out.added, 1);
        times.push(d);
        if copy {
            copy_t.push(d)
        } else {
            fresh_t.push(d)
        }
        for _ in 0..idle_slices {
            let t = Instant::now();
            let more = store.checkpoint_step(stemma_store::MAINTAIN_ROWS).unwrap();
            slices.push(t.elapsed());
            if !more {
                break;
            }
        }
    }
    let total: Duration = times.iter().sum();
    report("ingest one article (all)", times);
    report("ingest one article (fresh)", fresh_t);
    report("ingest one article (spun copy)", copy_t);
    report("  of which on a CPU", on_cpu);
    report("  of which waiting for a CPU (run queue)", queued);
    report("  wall minus run-queue wait", unqueued);
    if !slices.is_empty() {
        let idle: Duration = slices.iter().sum();
        println!(
            "idle maintenance: {} slices of {} rows, {idle:.2?} in all ({:.2?} an ingest)",
            slices.len(),
            stemma_store::MAINTAIN_ROWS,
            idle / k.max(1) as u32
        );
        report("  one slice", slices);
    }

    // Story assignment alone (read-only).
    let mut times = Vec::with_capacity(k);
    let mut joined = 0;
    for j in 0..k {
        let (title, text) = article(rng.below(n), seed, stories);
        let a = stemma_core::Article {
            id: format!("q{j}"),
            title: Some(title),
            text: spin(&text, &mut rng),
            ..Default::default()
        };
        let t = Instant::now();
        let s = assign_story(&store, &a).unwrap();
        times.push(t.elapsed());
        joined += usize::from(s.is_some());
    }
    report("story assignment", times);
    println!("story assignment joined an existing story for {joined} of {k}");

    // The checkpoint owed by the single ingests (a store checkpoints by
    // itself every `CHECKPOINT_COMMITS` commits).
    let pending = store.pending_commits();
    let t = Instant::now();
    store.checkpoint().unwrap();
    let c = t.elapsed();
    println!(
        "checkpoint of {pending} logged commits: {c:.2?} ({:.2?} a commit; mean ingest with it {:.2?})",
        c / pending.max(1) as u32,
        (total + c) / k.max(1) as u32
    );
}
