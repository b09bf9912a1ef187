//! Evaluation and benchmark commands over `../shared/data`.
//!
//! `cargo run --release -p stemma-bench -- <extract|derive|drift|l2r|story|gen|candidates|features> [options]`
use anyhow::{Result, bail};

/// The same allocator as the `stemma` binary, so that the profile's memory
/// figures stand for `stemma analyze`.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod corpus;
mod derive;
mod drift;
mod extract;
mod l2r;
mod profile;
mod story;

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(cmd) = args.first() else {
        bail!(
            "usage: stemma-bench <extract|derive|drift|l2r|story|gen|candidates|features> [options]"
        );
    };
    let rest = &args[1..];
    match cmd.as_str() {
        "extract" => extract::run(rest),
        "derive" => {
            derive::run(rest)?;
            // The l2r attribution run follows a full evaluation only: not
            // one of chosen sets, and never into the derive run's --out.
            let whole = !rest.iter().any(|a| a == "--sets" || a == "--out");
            if whole { l2r::run(rest) } else { Ok(()) }
        }
        "l2r" => l2r::run(rest),
        "drift" => drift::run(rest),
        "story" => story::run(rest),
        "gen" => corpus::run(rest),
        "candidates" => profile::run(rest),
        "features" => derive::features(rest),
        other => bail!(
            "unknown evaluation {other:?}; expected extract, derive, drift, l2r, story, gen, candidates or features"
        ),
    }
}

/// The results file an evaluation writes: `default`, or `--out FILE`, or
/// none with `--no-out`.
pub fn out_path(args: &[String], default: &str) -> Result<Option<std::path::PathBuf>> {
    let mut out = Some(std::path::PathBuf::from(default));
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "--out" {
            let Some(p) = it.next() else {
                bail!("--out needs a path");
            };
            out = Some(p.into());
        } else if a == "--no-out" {
            out = None;
        }
    }
    Ok(out)
}

/// `a / b`, 0 when `b` is 0.
pub fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

/// The harmonic mean of precision `p` and recall `r` (0 when both are).
pub fn f1(p: f64, r: f64) -> f64 {
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

/// Month names, capitalised.
pub const MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Where the shared data sets live: `$STEMMA_DATA` or `../shared/data`.
pub fn data_dir() -> std::path::PathBuf {
    std::env::var_os("STEMMA_DATA")
        .map(Into::into)
        .unwrap_or_else(|| std::path::PathBuf::from("../shared/data"))
}

/// The current UTC time as `YYYY-MM-DD HH:MM UTC`, for the results files.
pub fn utc_now() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's civil_from_days).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02} UTC",
        rem / 3600,
        rem % 3600 / 60
    )
}
