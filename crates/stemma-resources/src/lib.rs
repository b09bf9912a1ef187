//! Finds and loads the files that the pure stages take as values: the
//! system thesaurus (Debian's `mythes-en-us`, else `wordnet-base`) for
//! matching synonym-spun words, and the sentence-embedding model folder
//! (see `stemma_embed::locate_model_dir`). Binaries, the server and the
//! benchmarks call this; the core crates never read files themselves.
//!
//! Both are optional: without a thesaurus only exact stems match, and
//! without the model the aligner uses lexical and thesaurus similarity
//! alone (the documented fallback).
#![deny(missing_docs)]

use std::path::Path;
use std::sync::Arc;

use stemma_align::AlignContext;
use stemma_core::Embedder;
use stemma_text::Thesaurus;

/// Mythes data file of Debian's `mythes-en-us`.
pub const MYTHES_PATH: &str = "/usr/share/mythes/th_en_US_v2.dat";
/// Folder of Debian's `wordnet-base` data files.
pub const WORDNET_DIR: &str = "/usr/share/wordnet";
/// Environment variable that, set to a file, names a mythes `.dat` file to
/// use instead of [`MYTHES_PATH`]; set to `none`, disables the thesaurus.
pub const THESAURUS_ENV: &str = "STEMMA_THESAURUS";

/// WordNet's sense-tagged word counts (Debian's `wordnet-base`), read beside
/// the thesaurus: they tell a spinner's rare synonyms from common words.
pub const WORDNET_COUNTS: &str = "/usr/share/wordnet/cntlist.rev";

/// Reads the system thesaurus: `$STEMMA_THESAURUS`, else mythes, else
/// WordNet, else `None`; with WordNet's word counts when they are installed.
pub fn thesaurus() -> Option<Thesaurus> {
    let mut t = synonyms()?;
    if let Ok(raw) = std::fs::read(WORDNET_COUNTS) {
        t.add_counts(&String::from_utf8_lossy(&raw));
    }
    Some(t)
}

fn synonyms() -> Option<Thesaurus> {
    let custom = std::env::var(THESAURUS_ENV).ok().filter(|v| !v.is_empty());
    if custom.as_deref() == Some("none") {
        return None;
    }
    let mythes = custom.as_deref().unwrap_or(MYTHES_PATH);
    if let Ok(raw) = std::fs::read(mythes) {
        return Some(Thesaurus::parse_mythes(&String::from_utf8_lossy(&raw)));
    }
    let files: Vec<String> = ["noun", "verb", "adj", "adv"]
        .iter()
        .filter_map(|p| std::fs::read(Path::new(WORDNET_DIR).join(format!("data.{p}"))).ok())
        .map(|raw| String::from_utf8_lossy(&raw).into_owned())
        .collect();
    if files.is_empty() {
        return None;
    }
    let refs: Vec<&str> = files.iter().map(String::as_str).collect();
    Some(Thesaurus::parse_wordnet(&refs))
}

/// Which optional resources to load.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Want {
    /// Load the system thesaurus.
    pub thesaurus: bool,
    /// Which sentence embedder to load when the model folder is found.
    pub embedder: Embed,
}

/// The sentence embedder a run asks for (`STEMMA_EMBED`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Embed {
    /// None: lexical and thesaurus similarity only (the default).
    #[default]
    Off,
    /// all-MiniLM-L6-v2 itself (`on`): the best vectors, milliseconds a
    /// sentence on a CPU.
    Model,
    /// The static table distilled from it (`static`, see
    /// `stemma_embed::StaticMiniLm`): microseconds a sentence, for large
    /// corpora.
    Static,
}

impl Embed {
    /// The setting a `STEMMA_EMBED` value names (`on`/`1`/`yes`/`true`/`model`,
    /// `static`; anything else is off).
    pub fn parse(v: &str) -> Embed {
        match v {
            "1" | "on" | "yes" | "true" | "model" | "minilm" => Embed::Model,
            "static" => Embed::Static,
            _ => Embed::Off,
        }
    }
}

impl Default for Want {
    fn default() -> Self {
        Want {
            thesaurus: true,
            embedder: Embed::Model,
        }
    }
}

/// Environment variable choosing the sentence embedder [`Want::from_env`]
/// asks for: `on` (the model), `static` (its distilled table), else none.
pub const EMBED_ENV: &str = "STEMMA_EMBED";

impl Want {
    /// What the binaries load: the thesaurus always (see [`THESAURUS_ENV`]),
    /// the embedding model only when `STEMMA_EMBED=on` (the verifier's
    /// weights were fit on the lexical and thesaurus path).
    pub fn from_env() -> Want {
        Want {
            thesaurus: true,
            embedder: std::env::var(EMBED_ENV)
                .map(|v| Embed::parse(&v))
                .unwrap_or_default(),
        }
    }
}

/// An [`AlignContext`] with what `want` asks for and the machine has.
pub fn align_context(want: Want) -> AlignContext {
    AlignContext {
        thesaurus: want.thesaurus.then(thesaurus).flatten().map(Arc::new),
        // Cached: a text is compared with several others, and each of its
        // sentences is embedded once, not once per pair.
        embedder: match want.embedder {
            Embed::Off => None,
            Embed::Model => stemma_embed::load_default()
                .map(|e| Arc::new(stemma_embed::CachedEmbedder::new(e)) as Arc<dyn Embedder>),
            // No cache: a table look-up per word is cheaper than one.
            Embed::Static => stemma_embed::load_static(),
        },
        ..AlignContext::default()
    }
}

/// One line saying what [`align_context`] found, for logs and reports.
pub fn describe(ctx: &AlignContext) -> String {
    format!(
        "thesaurus: {}; embedder: {}",
        ctx.thesaurus
            .as_ref()
            .map(|t| format!("{} entries", t.len()))
            .unwrap_or_else(|| "none (exact stems only)".into()),
        ctx.embedder
            .as_ref()
            .map(|e| e.name().to_string())
            .unwrap_or_else(|| "none (lexical and thesaurus similarity)".into()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embed_setting_parses() {
        for (v, want) in [
            ("on", Embed::Model),
            ("1", Embed::Model),
            ("model", Embed::Model),
            ("static", Embed::Static),
            ("off", Embed::Off),
            ("", Embed::Off),
            ("bogus", Embed::Off),
        ] {
            assert_eq!(Embed::parse(v), want, "{v:?}");
        }
    }

    #[test]
    fn nothing_wanted_loads_nothing() {
        let ctx = align_context(Want {
            thesaurus: false,
            embedder: Embed::Off,
        });
        assert!(ctx.thesaurus.is_none());
        assert!(ctx.embedder.is_none());
        assert!(describe(&ctx).contains("none"));
    }
}
