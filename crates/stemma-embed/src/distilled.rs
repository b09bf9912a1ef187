//! A static sentence embedder distilled from all-MiniLM-L6-v2.
//!
//! Running the transformer costs milliseconds per sentence on a CPU, which
//! is far too much for millions of documents. This embedder runs it once per
//! word piece of the model's vocabulary instead (`[CLS] piece [SEP]`, mean
//! pooled, as for a sentence), takes away the mean of those vectors (the
//! direction every piece shares, which otherwise makes unrelated sentences
//! look alike), and keeps the table. A sentence's vector is then the
//! weighted mean of its words' rows (stopwords weigh little), L2-normalised:
//! a few microseconds a sentence. It ranks paraphrases far better than the
//! hashing fallback but is weaker than the model itself; see
//! `bench/results/derive.txt` for the MSRP figures of each.
//!
//! The table (30,522 x 384 floats, ~45 MiB) is written beside the model as
//! [`STATIC_FILE`] the first time it is built (~1 minute on 2 cores), and
//! read from there afterwards.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use stemma_core::Embedder;
use stemma_text::{TokenKind, for_each_token, is_stopword};

use crate::{EmbedError, MiniLm};

/// Name reported by [`StaticMiniLm`].
pub const STATIC_NAME: &str = "all-MiniLM-L6-v2, static (distilled word pieces)";
/// The table's file in the model folder.
pub const STATIC_FILE: &str = "static-pieces.bin";
/// First bytes of [`STATIC_FILE`]; a new layout gets a new number.
const MAGIC: &[u8; 8] = b"STMSTAT1";
/// Word pieces run through the model at once while distilling.
const DISTIL_BATCH: usize = 512;
/// Weight of a stopword against a content word's 1.
const STOPWORD_WEIGHT: f32 = 0.1;
/// Longest word looked up, in bytes (BERT's word-piece limit is 100).
const MAX_WORD: usize = 100;

/// The distilled static embedder (see the module docs).
pub struct StaticMiniLm {
    /// Word piece -> row.
    vocab: HashMap<String, u32>,
    /// Row-major table, `dim` floats per row.
    table: Vec<f32>,
    dim: usize,
}

impl std::fmt::Debug for StaticMiniLm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StaticMiniLm")
            .field("pieces", &self.vocab.len())
            .field("dim", &self.dim)
            .finish_non_exhaustive()
    }
}

impl StaticMiniLm {
    /// Reads the table from `model`'s folder, or distils it from `model`
    /// and writes it there (a folder that cannot be written is not an
    /// error: the table is then rebuilt on the next load).
    pub fn load_or_distil(model: &MiniLm) -> Result<StaticMiniLm, EmbedError> {
        let path = model.dir().join(STATIC_FILE);
        let vocab = model.vocab();
        if let Some(table) = read_table(&path, vocab.len(), model.dim())? {
            return Ok(StaticMiniLm {
                vocab,
                table,
                dim: model.dim(),
            });
        }
        let made = Self::distil(model)?;
        let _ = write_table(&path, &made.table, made.dim);
        Ok(made)
    }

    /// Runs every word piece of `model`'s vocabulary through it (see the
    /// module docs). Special and unused pieces get a zero row.
    pub fn distil(model: &MiniLm) -> Result<StaticMiniLm, EmbedError> {
        let vocab = model.vocab();
        let dim = model.dim();
        let rows = vocab.values().map(|&i| i as usize + 1).max().unwrap_or(0);
        let (cls, sep) = (vocab.get("[CLS]").copied(), vocab.get("[SEP]").copied());
        let (Some(cls), Some(sep)) = (cls, sep) else {
            return Err(EmbedError::Inference {
                first: 0,
                end: 0,
                source: "the vocabulary has no [CLS] or [SEP] piece".into(),
            });
        };
        let mut pieces: Vec<u32> = vocab
            .iter()
            .filter(|(p, _)| !(p.starts_with('[') && p.ends_with(']')))
            .map(|(_, &i)| i)
            .collect();
        pieces.sort_unstable();
        let mut table = vec![0.0f32; rows * dim];
        for chunk in pieces.chunks(DISTIL_BATCH) {
            let seqs: Vec<[u32; 3]> = chunk.iter().map(|&p| [cls, p, sep]).collect();
            let refs: Vec<&[u32]> = seqs.iter().map(|s| s.as_slice()).collect();
            let vectors = model.run_ids(&refs).map_err(|e| EmbedError::Inference {
                first: chunk[0] as usize,
                end: chunk[chunk.len() - 1] as usize + 1,
                source: Box::new(e),
            })?;
            for (&p, v) in chunk.iter().zip(vectors) {
                let at = p as usize * dim;
                table[at..at + dim].copy_from_slice(&v[..dim]);
            }
        }
        // Take away the shared direction.
        let mut mean = vec![0.0f32; dim];
        for &p in &pieces {
            let row = &table[p as usize * dim..(p as usize + 1) * dim];
            mean.iter_mut().zip(row).for_each(|(m, x)| *m += x);
        }
        let n = pieces.len().max(1) as f32;
        mean.iter_mut().for_each(|m| *m /= n);
        for &p in &pieces {
            let row = &mut table[p as usize * dim..(p as usize + 1) * dim];
            row.iter_mut().zip(&mean).for_each(|(x, m)| *x -= m);
        }
        Ok(StaticMiniLm { vocab, table, dim })
    }

    /// The number of dimensions of every vector.
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// The vector of one sentence (zero when no word is known).
    pub fn embed_one(&self, sentence: &str) -> Vec<f32> {
        let mut out = vec![0.0f32; self.dim];
        let mut ids: Vec<u32> = Vec::new();
        let mut key = String::new();
        for_each_token(sentence, |t| {
            let w = if t.kind == TokenKind::Word && is_stopword(t.norm) {
                STOPWORD_WEIGHT
            } else {
                1.0
            };
            // BERT splits inner punctuation (`don't`, `1,200`) off.
            for part in t.norm.split(|c: char| !c.is_alphanumeric()) {
                if part.is_empty() || part.len() > MAX_WORD {
                    continue;
                }
                ids.clear();
                if !self.pieces(part, &mut ids, &mut key) || ids.is_empty() {
                    continue;
                }
                let share = w / ids.len() as f32;
                for &id in &ids {
                    let row = &self.table[id as usize * self.dim..(id as usize + 1) * self.dim];
                    out.iter_mut().zip(row).for_each(|(o, x)| *o += share * x);
                }
            }
        });
        crate::l2_normalise(&mut out);
        out
    }

    /// Greedy longest-match word pieces of `word` (BERT's WordPiece); false
    /// when some part of it matches no piece.
    fn pieces(&self, word: &str, ids: &mut Vec<u32>, key: &mut String) -> bool {
        let mut start = 0;
        while start < word.len() {
            let mut end = word.len();
            let mut found = None;
            while end > start {
                key.clear();
                if start > 0 {
                    key.push_str("##");
                }
                key.push_str(&word[start..end]);
                if let Some(&id) = self.vocab.get(key.as_str()) {
                    found = Some(id);
                    break;
                }
                end -= 1;
                while end > start && !word.is_char_boundary(end) {
                    end -= 1;
                }
            }
            match found {
                Some(id) => ids.push(id),
                None => return false,
            }
            start = end;
        }
        true
    }
}

impl Embedder for StaticMiniLm {
    fn name(&self) -> &str {
        STATIC_NAME
    }

    fn embed(&self, sentences: &[&str]) -> Vec<Vec<f32>> {
        sentences.iter().map(|s| self.embed_one(s)).collect()
    }
}

/// The table stored at `path` when it is there and fits `rows` x `dim`.
fn read_table(path: &Path, rows: usize, dim: usize) -> Result<Option<Vec<f32>>, EmbedError> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(EmbedError::Io {
                path: path.to_path_buf(),
                source,
            });
        }
    };
    let header = MAGIC.len() + 16;
    if bytes.len() < header || &bytes[..MAGIC.len()] != MAGIC {
        return Ok(None);
    }
    let num = |at: usize| {
        let mut b = [0u8; 8];
        b.copy_from_slice(&bytes[at..at + 8]);
        u64::from_le_bytes(b) as usize
    };
    let (r, d) = (num(MAGIC.len()), num(MAGIC.len() + 8));
    if d != dim || r < rows || bytes.len() != header + r * d * 4 {
        return Ok(None);
    }
    Ok(Some(
        bytes[header..]
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect(),
    ))
}

/// Writes the table to a temporary file beside `path`, then renames it.
fn write_table(path: &Path, table: &[f32], dim: usize) -> std::io::Result<()> {
    let rows = table.len() / dim.max(1);
    let tmp: PathBuf = path.with_extension("tmp");
    {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
        f.write_all(MAGIC)?;
        f.write_all(&(rows as u64).to_le_bytes())?;
        f.write_all(&(dim as u64).to_le_bytes())?;
        for x in table {
            f.write_all(&x.to_le_bytes())?;
        }
        f.flush()?;
        f.get_ref().sync_all()?;
    }
    std::fs::rename(&tmp, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toy() -> StaticMiniLm {
        let pieces = ["storm", "closes", "school", "##s", "bank", "rates", "the"];
        let dim = 4;
        let vocab: HashMap<String, u32> = pieces
            .iter()
            .enumerate()
            .map(|(i, p)| (p.to_string(), i as u32))
            .collect();
        let mut table = vec![0.0; pieces.len() * dim];
        for (i, axis) in [0, 0, 1, 1, 2, 2, 3].into_iter().enumerate() {
            table[i * dim + axis] = 1.0;
        }
        StaticMiniLm { vocab, table, dim }
    }

    #[test]
    fn word_pieces_are_greedy_longest_matches() {
        let m = toy();
        let (mut ids, mut key) = (Vec::new(), String::new());
        let cases: &[(&str, Option<&[u32]>)] = &[
            ("schools", Some(&[2, 3])),
            ("school", Some(&[2])),
            ("storms", Some(&[0, 3])),
            ("stormy", None),
            ("bank", Some(&[4])),
        ];
        for (word, want) in cases {
            ids.clear();
            let ok = m.pieces(word, &mut ids, &mut key);
            assert_eq!(ok.then_some(ids.as_slice()), *want, "{word}");
        }
    }

    #[test]
    fn sentences_on_one_topic_are_closer() {
        let m = toy();
        let v = m.embed(&[
            "Storm closes schools",
            "The storm closes schools!",
            "Bank rates",
            "zzz",
        ]);
        let cos = crate::cosine;
        assert!(cos(&v[0], &v[1]) > 0.95);
        assert!(cos(&v[0], &v[2]) < 0.1);
        assert!(v[3].iter().all(|&x| x == 0.0));
        for x in &v[..3] {
            assert!((x.iter().map(|y| y * y).sum::<f32>() - 1.0).abs() < 1e-4);
        }
    }

    #[test]
    fn table_file_round_trips_and_rejects_other_shapes() {
        let dir = std::env::temp_dir().join(format!("stemma-static-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(STATIC_FILE);
        let table: Vec<f32> = (0..12).map(|i| i as f32 * 0.5).collect();
        write_table(&path, &table, 4).unwrap();
        assert_eq!(read_table(&path, 3, 4).unwrap(), Some(table));
        assert_eq!(read_table(&path, 3, 8).unwrap(), None);
        assert_eq!(read_table(&path, 4, 4).unwrap(), None);
        std::fs::write(&path, b"not a table").unwrap();
        assert_eq!(read_table(&path, 3, 4).unwrap(), None);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
