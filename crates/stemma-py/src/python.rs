//! The `stemma._native` Python module: thin wrappers over [`crate::ops`] that
//! release the GIL while Rust works. Inputs and outputs are Arrow IPC
//! stream bytes (see `python/stemma/_arrow.py`).
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyBytes;

use crate::ops;

fn err(e: crate::Error) -> PyErr {
    PyValueError::new_err(e.to_string())
}

fn bytes_out<'py>(py: Python<'py>, r: crate::Result<Vec<u8>>) -> PyResult<Bound<'py, PyBytes>> {
    r.map(|v| PyBytes::new(py, &v)).map_err(err)
}

/// Input files under paths, in the order `stemma analyze` reads them.
#[pyfunction]
fn list_files(py: Python<'_>, paths: Vec<String>) -> Vec<String> {
    py.detach(|| {
        let paths: Vec<std::path::PathBuf> = paths.iter().map(Into::into).collect();
        ops::list_files(&paths)
            .into_iter()
            .map(|p| p.display().to_string())
            .collect()
    })
}

/// Reads files (`path`, `file_ord`) into raw documents.
#[pyfunction]
fn read_files<'py>(py: Python<'py>, input: &[u8]) -> PyResult<Bound<'py, PyBytes>> {
    let r = py.detach(|| ops::read_files(input));
    bytes_out(py, r)
}

/// Per-document line keys of plain-text documents.
#[pyfunction]
fn line_keys<'py>(py: Python<'py>, input: &[u8]) -> PyResult<Bound<'py, PyBytes>> {
    let r = py.detach(|| ops::line_keys(input));
    bytes_out(py, r)
}

/// Extracts and signs raw documents (with optional recurrence votes).
#[pyfunction]
fn extract<'py>(py: Python<'py>, input: &[u8]) -> PyResult<Bound<'py, PyBytes>> {
    let r = py.detach(|| ops::extract(input));
    bytes_out(py, r)
}

/// Key-term sketch candidates against a per-process cached corpus index.
#[pyfunction]
fn sketch_pairs<'py>(
    py: Python<'py>,
    input: &[u8],
    index: &[u8],
    cache_key: &str,
) -> PyResult<Bound<'py, PyBytes>> {
    let r = py.detach(|| ops::sketch_pairs(input, index, cache_key));
    bytes_out(py, r)
}

/// Verifies candidate pairs.
#[pyfunction]
fn verify<'py>(py: Python<'py>, input: &[u8]) -> PyResult<Bound<'py, PyBytes>> {
    let r = py.detach(|| ops::verify(input));
    bytes_out(py, r)
}

/// Connected components (union-find) of an edge list.
#[pyfunction]
fn components<'py>(py: Python<'py>, input: &[u8]) -> PyResult<Bound<'py, PyBytes>> {
    let r = py.detach(|| ops::components(input));
    bytes_out(py, r)
}

/// The contract's report (JSON) from articles and comparisons.
#[pyfunction]
fn report(py: Python<'_>, articles: &[u8], compared: &[u8]) -> PyResult<String> {
    py.detach(|| ops::report(articles, compared)).map_err(err)
}

/// The single-machine run (`stemma analyze PATHS --format json`), as JSON.
#[pyfunction]
fn analyze_paths(py: Python<'_>, paths: Vec<String>) -> PyResult<String> {
    py.detach(|| {
        let paths: Vec<std::path::PathBuf> = paths.iter().map(Into::into).collect();
        ops::analyze_paths(&paths)
    })
    .map_err(err)
}

/// The default candidate-index settings, as JSON.
#[pyfunction]
fn index_config() -> String {
    serde_json::to_string(&stemma_index::IndexConfig::default()).unwrap_or_default()
}

/// The resources verification uses here (thesaurus, embedder), loading them.
#[pyfunction]
fn resources(py: Python<'_>) -> String {
    py.detach(ops::describe_resources)
}

/// The stable key of a document id.
#[pyfunction]
fn doc_key(id: &str) -> i64 {
    ops::doc_key(id)
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(list_files, m)?)?;
    m.add_function(wrap_pyfunction!(read_files, m)?)?;
    m.add_function(wrap_pyfunction!(line_keys, m)?)?;
    m.add_function(wrap_pyfunction!(extract, m)?)?;
    m.add_function(wrap_pyfunction!(sketch_pairs, m)?)?;
    m.add_function(wrap_pyfunction!(verify, m)?)?;
    m.add_function(wrap_pyfunction!(components, m)?)?;
    m.add_function(wrap_pyfunction!(report, m)?)?;
    m.add_function(wrap_pyfunction!(index_config, m)?)?;
    m.add_function(wrap_pyfunction!(doc_key, m)?)?;
    m.add_function(wrap_pyfunction!(resources, m)?)?;
    m.add_function(wrap_pyfunction!(analyze_paths, m)?)?;
    m.add("RECORD_BITS", ops::RECORD_BITS)?;
    m.add("RECURRENCE_HOLDERS", stemma_extract::RECURRENCE_HOLDERS)?;
    Ok(())
}
