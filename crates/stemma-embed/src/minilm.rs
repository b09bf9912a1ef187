//! all-MiniLM-L6-v2 run with candle on the CPU.

use std::fmt;
use std::path::{Path, PathBuf};

use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::{BertModel, Config, DTYPE};
use stemma_core::Embedder;
use tokenizers::{Tokenizer, TruncationParams};

use crate::EmbedError;

/// Name reported by [`MiniLm`].
pub const MINILM_NAME: &str = "all-MiniLM-L6-v2";
/// Sentences run through the model at once.
pub const DEFAULT_BATCH_SIZE: usize = 32;
/// Longest input in word pieces, `[CLS]` and `[SEP]` included; the rest is cut.
pub const MAX_TOKENS: usize = 128;

const CONFIG_FILE: &str = "config.json";
const TOKENIZER_FILE: &str = "tokenizer.json";
const WEIGHTS_FILE: &str = "model.safetensors";

/// The sentence-transformers model all-MiniLM-L6-v2 (384 dimensions), loaded
/// from a folder holding `config.json`, `tokenizer.json` and
/// `model.safetensors` (see `scripts/fetch-model.sh`).
///
/// Each sentence is cut to [`MAX_TOKENS`] word pieces; the BERT encoder's
/// last hidden states are averaged over the real (non-padding) tokens and the
/// mean is L2-normalised, as sentence-transformers does for this model.
/// Sentences are sorted by length and run in batches padded to their longest
/// member, then returned in input order.
pub struct MiniLm {
    model: BertModel,
    tokenizer: Tokenizer,
    dir: PathBuf,
    hidden_size: usize,
    batch_size: usize,
}

impl fmt::Debug for MiniLm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MiniLm")
            .field("dir", &self.dir)
            .field("hidden_size", &self.hidden_size)
            .field("batch_size", &self.batch_size)
            .finish_non_exhaustive()
    }
}

impl MiniLm {
    /// Loads the model from `dir`. The weights are memory-mapped, not read.
    pub fn load(dir: &Path) -> Result<MiniLm, EmbedError> {
        let file = |name: &'static str| {
            let path = dir.join(name);
            if path.is_file() {
                Ok(path)
            } else {
                Err(EmbedError::MissingFile {
                    dir: dir.to_path_buf(),
                    file: name,
                })
            }
        };
        let config_path = file(CONFIG_FILE)?;
        let tokenizer_path = file(TOKENIZER_FILE)?;
        let weights_path = file(WEIGHTS_FILE)?;

        let config_text =
            std::fs::read_to_string(&config_path).map_err(|source| EmbedError::Io {
                path: config_path.clone(),
                source,
            })?;
        let config: Config =
            serde_json::from_str(&config_text).map_err(|source| EmbedError::Config {
                path: config_path,
                source,
            })?;
        let hidden_size = config.hidden_size;

        let tokenizer_err = |source| EmbedError::Tokenizer {
            path: tokenizer_path.clone(),
            source,
        };
        let mut tokenizer = Tokenizer::from_file(&tokenizer_path).map_err(tokenizer_err)?;
        // Padding is done per batch below; the file asks for a fixed 128.
        tokenizer.with_padding(None);
        tokenizer
            .with_truncation(Some(TruncationParams {
                max_length: MAX_TOKENS,
                ..TruncationParams::default()
            }))
            .map_err(tokenizer_err)?;

        let device = Device::Cpu;
        // SAFETY: the weights file is mapped read-only for the life of the model;
        // it must not be truncated or rewritten meanwhile. scripts/fetch-model.sh
        // replaces files by rename, which leaves an existing mapping intact.
        let vb = unsafe {
            VarBuilder::from_mmaped_safetensors(std::slice::from_ref(&weights_path), DTYPE, &device)
        }
        .map_err(|e| EmbedError::Weights {
            path: weights_path.clone(),
            source: Box::new(e),
        })?;
        let model = BertModel::load(vb, &config).map_err(|e| EmbedError::Weights {
            path: weights_path,
            source: Box::new(e),
        })?;
        Ok(MiniLm {
            model,
            tokenizer,
            dir: dir.to_path_buf(),
            hidden_size,
            batch_size: DEFAULT_BATCH_SIZE,
        })
    }

    /// Runs `batch_size` sentences at once (default [`DEFAULT_BATCH_SIZE`], at least 1).
    pub fn with_batch_size(mut self, batch_size: usize) -> Self {
        self.batch_size = batch_size.max(1);
        self
    }

    /// The folder the model was loaded from.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The number of dimensions of every vector (384 for all-MiniLM-L6-v2).
    pub fn dim(&self) -> usize {
        self.hidden_size
    }

    /// One L2-normalised vector per sentence, in input order.
    pub fn try_embed(&self, sentences: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        let encodings = self
            .tokenizer
            .encode_batch_fast(sentences.to_vec(), true)
            .map_err(|source| EmbedError::Inference {
                first: 0,
                end: sentences.len(),
                source,
            })?;
        // Shortest first, so that each batch pads little.
        let mut order: Vec<usize> = (0..sentences.len()).collect();
        order.sort_by_key(|&i| encodings[i].get_ids().len());

        let mut out = vec![Vec::new(); sentences.len()];
        for chunk in order.chunks(self.batch_size) {
            let batch: Vec<&[u32]> = chunk.iter().map(|&i| encodings[i].get_ids()).collect();
            let vectors = self.run_batch(&batch).map_err(|e| EmbedError::Inference {
                first: chunk.iter().copied().min().unwrap_or(0),
                end: chunk.iter().copied().max().map_or(0, |m| m + 1),
                source: Box::new(e),
            })?;
            for (&i, v) in chunk.iter().zip(vectors) {
                out[i] = v;
            }
        }
        Ok(out)
    }

    /// The tokenizer's vocabulary: word piece -> id.
    pub(crate) fn vocab(&self) -> std::collections::HashMap<String, u32> {
        self.tokenizer.get_vocab(true)
    }

    /// Mean-pooled, normalised vectors of token id sequences given as they
    /// are (special tokens included by the caller).
    pub(crate) fn run_ids(&self, batch: &[&[u32]]) -> candle_core::Result<Vec<Vec<f32>>> {
        self.run_batch(batch)
    }

    /// Mean-pooled, normalised vectors of one batch of token id sequences.
    fn run_batch(&self, batch: &[&[u32]]) -> candle_core::Result<Vec<Vec<f32>>> {
        let len = batch.iter().map(|ids| ids.len()).max().unwrap_or(0).max(1);
        let mut ids = Vec::with_capacity(batch.len() * len);
        let mut mask = Vec::with_capacity(batch.len() * len);
        for seq in batch {
            ids.extend_from_slice(seq);
            ids.extend(std::iter::repeat_n(0u32, len - seq.len()));
            mask.extend(std::iter::repeat_n(1u32, seq.len()));
            mask.extend(std::iter::repeat_n(0u32, len - seq.len()));
        }
        let device = &self.model.device;
        let shape = (batch.len(), len);
        let input_ids = Tensor::from_vec(ids, shape, device)?;
        let type_ids = input_ids.zeros_like()?;
        let attention = Tensor::from_vec(mask, shape, device)?;

        let hidden = self
            .model
            .forward(&input_ids, &type_ids, Some(&attention))?;
        let weights = attention.to_dtype(DType::F32)?.unsqueeze(2)?;
        let summed = hidden.broadcast_mul(&weights)?.sum(1)?;
        let counts = weights.sum(1)?.clamp(1e-9f32, f32::MAX)?;
        let mut vectors = summed.broadcast_div(&counts)?.to_vec2::<f32>()?;
        for v in &mut vectors {
            crate::l2_normalise(v);
        }
        Ok(vectors)
    }
}

impl Embedder for MiniLm {
    fn name(&self) -> &str {
        MINILM_NAME
    }

    /// # Panics
    ///
    /// If candle fails on a batch, which for a model that loaded means a bug
    /// or an out-of-memory condition; use [`MiniLm::try_embed`] to handle it.
    fn embed(&self, sentences: &[&str]) -> Vec<Vec<f32>> {
        match self.try_embed(sentences) {
            Ok(v) => v,
            Err(e) => panic!("{MINILM_NAME} in {}: {e}", self.dir.display()),
        }
    }
}
