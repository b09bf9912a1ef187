//! `stemma-bench extract`: evaluation (stub, being written).
use anyhow::Result;

/// Runs the evaluation.
pub fn run(_args: &[String]) -> Result<()> {
    anyhow::bail!("the extract evaluation is not written yet")
}
