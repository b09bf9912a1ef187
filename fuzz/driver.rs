//! A stable-toolchain fuzz driver: seeded mutation of a seed corpus, bounded in time and
//! iterations, for the targets under `fuzz/checks/`. No coverage feedback (that needs
//! cargo-fuzz and its instrumentation), but the same target functions and the same checks,
//! so it runs anywhere `cargo test` runs.
//!
//! Included with `#[path]` by the crates' `tests/fuzz.rs` files. Knobs (environment):
//!
//! | variable | default | meaning |
//! |---|---|---|
//! | `STEMMA_FUZZ_SECS` | `1` | time budget per target, seconds (fractions allowed) |
//! | `STEMMA_FUZZ_ITERS` | unbounded | iteration budget per target |
//! | `STEMMA_FUZZ_SEED` | `20261130` | RNG seed; a run is reproducible given seed and iteration count |
//! | `STEMMA_FUZZ_SLOW_MS` | `10000` | one input taking longer than this is a failure |
//!
//! Before the mutation run, every file in `fuzz/regressions/<target>/` (kept crash inputs)
//! and in `fuzz/corpus/<target>/` (a cargo-fuzz corpus, when present) is replayed.
//! A failing input is written to `target/fuzz-crashes/<target>/crash-<hash>`; copy it
//! into `fuzz/regressions/<target>/` to keep it as a regression test. The input being run
//! is also kept in `target/fuzz-crashes/<target>/current` until the run ends, so an abort
//! (stack overflow, out of memory) leaves it behind.
#![allow(dead_code)]

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Largest input the mutator builds.
pub const MAX_LEN: usize = 256 << 10;

/// The mutator's generator: stemma-synth's seeded xorshift64*, drawing
/// indices.
pub struct Rng(stemma_synth::Rng);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(stemma_synth::Rng::new(seed))
    }
    pub fn next(&mut self) -> u64 {
        self.0.next()
    }
    pub fn below(&mut self, n: usize) -> usize {
        self.0.below(n as u64) as usize
    }
    fn range(&mut self, len: usize) -> (usize, usize) {
        let a = self.below(len + 1);
        let b = self.below(len + 1);
        (a.min(b), a.max(b))
    }
}

const INTERESTING: &[u8] = &[
    0, 0xFF, 0x7F, 0x80, 0xC0, 0xC3, 0xE2, 0xEF, 0xF0, 0xF4, b'\n', b'\r', b'\t', b' ', b'<', b'>',
    b'"', b'\\', b'{', b'}', b'[', b']', b':', b',', b'&', b';', b'/', b'=', 0x1F, 0x8B,
];

/// One mutation of `input` (in place), drawing tokens from `dict` and material from `seeds`.
pub fn mutate(rng: &mut Rng, input: &mut Vec<u8>, seeds: &[Vec<u8>], dict: &[&[u8]]) {
    let len = input.len();
    match rng.below(12) {
        0 if len > 0 => {
            let i = rng.below(len);
            input[i] ^= 1 << rng.below(8);
        }
        1 if len > 0 => {
            let i = rng.below(len);
            input[i] = INTERESTING[rng.below(INTERESTING.len())];
        }
        2 if len > 0 => {
            let (a, b) = rng.range(len);
            let b = b.min(a + 64);
            input.drain(a..b);
        }
        3 => {
            let at = rng.below(len + 1);
            let n = 1 + rng.below(8);
            let bytes: Vec<u8> = (0..n).map(|_| rng.next() as u8).collect();
            input.splice(at..at, bytes);
        }
        4 if !dict.is_empty() => {
            let at = rng.below(len + 1);
            let tok = dict[rng.below(dict.len())];
            input.splice(at..at, tok.iter().copied());
        }
        5 if len > 0 => {
            // Duplicate a chunk somewhere else.
            let (a, b) = rng.range(len);
            let b = b.min(a + 256);
            let chunk = input[a..b].to_vec();
            let at = rng.below(input.len() + 1);
            input.splice(at..at, chunk);
        }
        6 if len > 0 => {
            // Repeat a short chunk many times: deep nesting, long lines, long runs.
            let a = rng.below(len);
            let b = (a + 1 + rng.below(16)).min(len);
            let chunk = input[a..b].to_vec();
            let times = 2 + rng.below(4096);
            let mut rep = Vec::with_capacity(chunk.len() * times);
            for _ in 0..times {
                rep.extend_from_slice(&chunk);
            }
            input.splice(b..b, rep);
        }
        7 if len > 0 => {
            // Truncate.
            input.truncate(rng.below(len));
        }
        8 if !seeds.is_empty() => {
            // Splice: our head, another seed's tail.
            let other = &seeds[rng.below(seeds.len())];
            let cut = rng.below(len + 1);
            let from = rng.below(other.len() + 1);
            input.truncate(cut);
            input.extend_from_slice(&other[from..]);
        }
        9 if len > 1 => {
            // Swap two bytes.
            let (i, j) = (rng.below(len), rng.below(len));
            input.swap(i, j);
        }
        10 if len > 0 => {
            // Overwrite a run with one byte.
            let (a, b) = rng.range(len);
            let b = b.min(a + 32);
            let v = INTERESTING[rng.below(INTERESTING.len())];
            input[a..b].fill(v);
        }
        _ => {
            // Increment or decrement an ASCII digit (lengths in headers).
            if let Some(i) = (0..8)
                .map(|_| rng.below(len.max(1)))
                .find(|&i| input.get(i).is_some_and(u8::is_ascii_digit))
            {
                input[i] = b'0' + rng.below(10) as u8;
            } else {
                input.push(rng.next() as u8);
            }
        }
    }
    input.truncate(MAX_LEN);
}

fn env_f64(name: &str, default: f64) -> f64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn workspace_root() -> PathBuf {
    // Tests run with the crate folder as current directory; the fuzz folder is two up.
    let mut dir = std::env::current_dir().unwrap();
    loop {
        if dir.join("fuzz").join("driver.rs").exists() {
            return dir;
        }
        if !dir.pop() {
            return std::env::current_dir().unwrap();
        }
    }
}

fn files_in(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_file() && p.file_name().is_none_or(|n| n != "README.md"))
                .filter_map(|p| std::fs::read(&p).ok().map(|b| (p, b)))
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

fn hash(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| {
        (h ^ b as u64).wrapping_mul(0x100_0000_01b3)
    })
}

/// What [`run`] did.
#[derive(Debug)]
pub struct Summary {
    pub target: String,
    pub replayed: usize,
    pub iterations: u64,
    pub elapsed: Duration,
    pub slowest: Duration,
    pub failures: Vec<String>,
}

/// Replays the kept inputs of `target`, then mutates `seeds` until the budget is spent,
/// running `check` on each input. Panics (failing the test) if any input failed.
pub fn run(target: &str, seeds: Vec<Vec<u8>>, dict: &[&[u8]], check: fn(&[u8])) -> Summary {
    let secs = env_f64("STEMMA_FUZZ_SECS", 1.0);
    let iters = std::env::var("STEMMA_FUZZ_ITERS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(u64::MAX);
    let seed = env_f64("STEMMA_FUZZ_SEED", 20261130.0) as u64;
    let slow = Duration::from_millis(env_f64("STEMMA_FUZZ_SLOW_MS", 10_000.0) as u64);
    let root = workspace_root();
    let crash_dir = root.join("target").join("fuzz-crashes").join(target);
    std::fs::create_dir_all(&crash_dir).unwrap();
    let current = crash_dir.join("current");

    // Silence the default hook while inputs run; keep the message for the report.
    let last_panic = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let sink = last_panic.clone();
    let old_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        *sink.lock().unwrap() = info.to_string();
    }));

    let mut failures = Vec::new();
    let mut slowest = Duration::ZERO;
    let mut try_one = |data: &[u8], label: &str, failures: &mut Vec<String>| {
        let _ = std::fs::write(&current, data);
        let t = Instant::now();
        let res = catch_unwind(AssertUnwindSafe(|| check(data)));
        let took = t.elapsed();
        slowest = slowest.max(took);
        let why = match res {
            Err(_) => Some(last_panic.lock().unwrap().clone()),
            Ok(()) if took > slow => Some(format!("slow input: {took:?} (limit {slow:?})")),
            Ok(()) => None,
        };
        if let Some(why) = why {
            let path = crash_dir.join(format!("crash-{:016x}", hash(data)));
            let _ = std::fs::write(&path, data);
            failures.push(format!(
                "{target}: {label} ({} bytes) failed, input kept at {}: {why}",
                data.len(),
                path.display()
            ));
        }
    };

    let started = Instant::now();
    let mut replayed = 0;
    let mut pool = seeds.clone();
    for sub in ["regressions", "corpus"] {
        for (path, data) in files_in(&root.join("fuzz").join(sub).join(target)) {
            try_one(&data, &path.display().to_string(), &mut failures);
            replayed += 1;
            if sub == "corpus" && data.len() <= MAX_LEN {
                pool.push(data);
            }
        }
    }
    for (i, s) in seeds.iter().enumerate() {
        try_one(s, &format!("seed #{i}"), &mut failures);
        replayed += 1;
    }
    if pool.is_empty() {
        pool.push(Vec::new());
    }

    let mut rng = Rng::new(seed ^ hash(target.as_bytes()));
    let budget = Duration::from_secs_f64(secs);
    let mut n = 0u64;
    let mut input = Vec::new();
    while n < iters && started.elapsed() < budget && failures.len() < 5 {
        // Start from a seed, or keep mutating the previous input (stacked mutations).
        if n.is_multiple_of(8) || input.is_empty() {
            input = pool[rng.below(pool.len())].clone();
        }
        for _ in 0..1 + rng.below(4) {
            mutate(&mut rng, &mut input, &pool, dict);
        }
        try_one(
            &input,
            &format!("iteration {n} (seed {seed})"),
            &mut failures,
        );
        n += 1;
    }
    std::panic::set_hook(old_hook);
    let _ = std::fs::remove_file(&current);
    let summary = Summary {
        target: target.to_string(),
        replayed,
        iterations: n,
        elapsed: started.elapsed(),
        slowest,
        failures,
    };
    eprintln!(
        "fuzz {}: {} kept inputs replayed, {} mutated inputs in {:.1?} ({:.0}/s), slowest {:.1?}, {} failures",
        summary.target,
        summary.replayed,
        summary.iterations,
        summary.elapsed,
        summary.iterations as f64 / summary.elapsed.as_secs_f64().max(1e-9),
        summary.slowest,
        summary.failures.len()
    );
    assert!(
        summary.failures.is_empty(),
        "fuzz failures:\n{}",
        summary.failures.join("\n")
    );
    summary
}
