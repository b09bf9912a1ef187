//! Evaluation and benchmark commands over `../shared/data`.
//!
//! `cargo run --release -p stemma-bench -- <extract|derive|story|gen> [options]`
use anyhow::{Result, bail};

mod corpus;
mod derive;
mod extract;
mod l2r;
mod story;

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(cmd) = args.first() else {
        bail!("usage: stemma-bench <extract|derive|story|gen> [options]");
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
        other => bail!("unknown evaluation {other:?}; expected extract, derive or story"),
    }
}

/// Where the shared data sets live: `$STEMMA_DATA` or `../shared/data`.
pub fn data_dir() -> std::path::PathBuf {
    std::env::var_os("STEMMA_DATA")
        .map(Into::into)
        .unwrap_or_else(|| std::path::PathBuf::from("../shared/data"))
}
