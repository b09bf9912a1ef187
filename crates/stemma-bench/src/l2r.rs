//! `stemma-bench derive` part: l2r-news source attribution (stub, being written).
use anyhow::Result;

/// Runs the evaluation.
pub fn run(_args: &[String]) -> Result<()> {
    anyhow::bail!("the l2r evaluation is not written yet")
}
