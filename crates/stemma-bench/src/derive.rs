//! `stemma-bench derive`: evaluation (stub, being written).
use anyhow::Result;

/// Runs the evaluation.
pub fn run(_args: &[String]) -> Result<()> {
    anyhow::bail!("the derive evaluation is not written yet")
}
