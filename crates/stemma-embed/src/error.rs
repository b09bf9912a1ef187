//! The one error type of this crate.

use std::path::PathBuf;

/// A boxed error from a dependency (candle, tokenizers), kept as the source.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Why a model could not be loaded or run. Every variant names the file or
/// the batch it concerns.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EmbedError {
    /// The model folder lacks one of `config.json`, `tokenizer.json`,
    /// `model.safetensors`.
    #[error("model folder {dir}: missing {file} (run scripts/fetch-model.sh)")]
    MissingFile {
        /// The folder that was searched.
        dir: PathBuf,
        /// The file name that is absent.
        file: &'static str,
    },
    /// A model file exists but could not be read.
    #[error("reading {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// `config.json` is not a BERT configuration.
    #[error("parsing {path}: {source}")]
    Config {
        /// The configuration file.
        path: PathBuf,
        /// The JSON error.
        source: serde_json::Error,
    },
    /// `tokenizer.json` could not be loaded or configured.
    #[error("loading tokenizer {path}: {source}")]
    Tokenizer {
        /// The tokenizer file.
        path: PathBuf,
        /// The tokenizers error.
        source: BoxError,
    },
    /// `model.safetensors` does not hold the weights `config.json` describes.
    #[error("loading weights {path}: {source}")]
    Weights {
        /// The weights file.
        path: PathBuf,
        /// The candle error.
        source: BoxError,
    },
    /// Tokenising or running the model failed on a batch.
    #[error("embedding sentences {first}..{end} of the input: {source}")]
    Inference {
        /// Index of the first sentence of the failing batch.
        first: usize,
        /// One past the index of its last sentence.
        end: usize,
        /// The candle or tokenizers error.
        source: BoxError,
    },
    /// The crate was built without its `model` feature.
    #[error("stemma-embed was built without the `model` feature; only the lexical fallback exists")]
    ModelFeatureDisabled,
}
