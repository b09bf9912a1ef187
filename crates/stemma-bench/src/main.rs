//! Evaluation and benchmark commands over `../shared/data`.
//!
//! `cargo run --release -p stemma-bench -- <extract|derive|l2r|story|gen|candidates> [options]`
use anyhow::{Result, bail};

mod corpus;
mod derive;
mod extract;
mod l2r;
mod profile;
mod story;

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(cmd) = args.first() else {
        bail!("usage: stemma-bench <extract|derive|l2r|story|gen|candidates> [options]");
    };
    let rest = &args[1..];
    match cmd.as_str() {
        "extract" => extract::run(rest),
        "derive" => {
            derive::run(rest)?;
            l2r::run(rest)
        }
        "l2r" => l2r::run(rest),
        "story" => story::run(rest),
        "gen" => corpus::run(rest),
        "candidates" => profile::run(rest),
        other => bail!(
            "unknown evaluation {other:?}; expected extract, derive, l2r, story, gen or candidates"
        ),
    }
}

/// Where the shared data sets live: `$STEMMA_DATA` or `../shared/data`.
pub fn data_dir() -> std::path::PathBuf {
    std::env::var_os("STEMMA_DATA")
        .map(Into::into)
        .unwrap_or_else(|| std::path::PathBuf::from("../shared/data"))
}
