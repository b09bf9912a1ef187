//! Integration tests of both embedders. The model tests need the folder made
//! by `scripts/fetch-model.sh`; without it they print a note and pass.

use stemma_embed::{Embedder, HashingEmbedder, cosine};

/// Made-up news sentences: (original, paraphrase, unrelated).
const TRIPLES: &[(&str, &str, &str)] = &[
    (
        "The city council voted on Tuesday to raise bus fares by ten percent from March.",
        "Bus tickets will cost 10% more starting in March after councillors approved the rise on Tuesday.",
        "A rare snow leopard was caught on a trail camera high in the northern mountains.",
    ),
    (
        "Heavy rain flooded dozens of homes in the river valley overnight, forcing families to leave.",
        "Dozens of households in the valley were evacuated after overnight downpours caused flooding.",
        "The tech company reported record quarterly profits driven by cloud software sales.",
    ),
    (
        "The striker scored twice in the second half to give the visitors a 2-1 win.",
        "Two second-half goals from the forward handed the away side a 2-1 victory.",
        "Parliament passed a law requiring clearer labels on imported honey.",
    ),
    (
        "Police arrested a 34-year-old man after a jewellery shop was robbed on Main Street.",
        "A man aged 34 has been detained following the robbery of a Main Street jeweller.",
        "The orchestra will open its autumn season with a new symphony by a local composer.",
    ),
];

fn assert_unit_vectors(vectors: &[Vec<f32>], dim: usize) {
    for v in vectors {
        assert_eq!(v.len(), dim);
        let norm = cosine(v, v).sqrt();
        assert!((norm - 1.0).abs() < 1e-4, "norm {norm}");
    }
}

#[cfg(feature = "model")]
mod model {
    use super::*;
    use std::path::PathBuf;
    use stemma_embed::MiniLm;

    fn model_dir() -> Option<PathBuf> {
        if let Some(dir) = std::env::var_os(stemma_embed::MODEL_DIR_ENV) {
            return Some(PathBuf::from(dir));
        }
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../models/all-minilm-l6-v2");
        stemma_embed::is_model_dir(&dir).then_some(dir)
    }

    fn load() -> Option<MiniLm> {
        let Some(dir) = model_dir() else {
            eprintln!("skipped: no model folder; run scripts/fetch-model.sh");
            return None;
        };
        Some(MiniLm::load(&dir).unwrap_or_else(|e| panic!("{e}")))
    }

    #[test]
    fn vectors_are_unit_length_with_384_dims() {
        let Some(m) = load() else { return };
        assert_eq!(m.dim(), 384);
        assert_eq!(m.name(), "all-MiniLM-L6-v2");
        let sentences: Vec<&str> = TRIPLES.iter().flat_map(|t| [t.0, t.1, t.2]).collect();
        let vectors = m.embed(&sentences);
        assert_eq!(vectors.len(), sentences.len());
        assert_unit_vectors(&vectors, 384);
    }

    #[test]
    fn paraphrases_score_clearly_above_unrelated_sentences() {
        let Some(m) = load() else { return };
        for (original, paraphrase, unrelated) in TRIPLES {
            let v = m.embed(&[original, paraphrase, unrelated]);
            let close = cosine(&v[0], &v[1]);
            let far = cosine(&v[0], &v[2]);
            eprintln!("paraphrase {close:.3} unrelated {far:.3}: {original}");
            assert!(close > 0.55, "paraphrase only {close}: {original}");
            assert!(far < 0.25, "unrelated scores {far}: {original}");
            assert!(close - far > 0.4, "{close} vs {far}: {original}");
        }
    }

    #[test]
    fn batching_and_order_do_not_change_vectors() {
        let Some(m) = load() else { return };
        let sentences: Vec<&str> = TRIPLES.iter().flat_map(|t| [t.0, t.1, t.2]).collect();
        let together = m.embed(&sentences);
        let small = MiniLm::load(m.dir()).unwrap().with_batch_size(2);
        let in_pairs = small.embed(&sentences);
        for (i, s) in sentences.iter().enumerate() {
            let alone = &m.embed(&[s])[0];
            assert!(cosine(alone, &together[i]) > 0.9999, "{s}");
            assert!(cosine(alone, &in_pairs[i]) > 0.9999, "{s}");
        }
    }

    #[test]
    fn long_and_empty_inputs_are_embedded() {
        let Some(m) = load() else { return };
        let long = "The committee met again to discuss the proposal. ".repeat(100);
        let v = m.embed(&[&long, "", "   "]);
        assert_unit_vectors(&v, 384);
        assert!(m.embed(&[]).is_empty());
    }

    /// First coordinates computed by an independent float64 numpy forward
    /// pass over the same weights (BERT, mean pooling, L2 norm); guards
    /// against silent changes in candle, the tokenizer or the pooling.
    #[test]
    fn matches_an_independent_reference_implementation() {
        let Some(m) = load() else { return };
        let golden: &[(&str, [f32; 6])] = &[
            (
                "The city council voted on Tuesday to raise bus fares by ten percent from March.",
                [
                    -0.013971, -0.086986, 0.025476, -0.008922, 0.001054, 0.080073,
                ],
            ),
            (
                "Police arrested a 34-year-old man after a jewellery shop was robbed.",
                [0.003177, 0.07733, -0.03755, -0.018728, -0.038733, 0.011492],
            ),
        ];
        for (sentence, want) in golden {
            let got = &m.embed(&[sentence])[0];
            for (g, w) in got.iter().zip(want) {
                assert!((g - w).abs() < 1e-4, "{sentence}: {:?}", &got[..6]);
            }
        }
    }

    #[test]
    fn load_reports_the_missing_file() {
        let dir = std::env::temp_dir().join("stemma-embed-no-model");
        std::fs::create_dir_all(&dir).unwrap();
        let err = MiniLm::load(&dir).unwrap_err().to_string();
        assert!(err.contains("config.json"), "{err}");
        assert!(err.contains("stemma-embed-no-model"), "{err}");
    }
}

#[test]
fn hashing_vectors_are_unit_length() {
    let e = HashingEmbedder::default();
    assert_eq!(e.dim(), 512);
    let sentences: Vec<&str> = TRIPLES.iter().flat_map(|t| [t.0, t.1, t.2]).collect();
    assert_unit_vectors(&e.embed(&sentences), 512);
}

#[test]
fn hashing_scores_copies_high_and_unrelated_low() {
    let e = HashingEmbedder::default();
    for (original, _, unrelated) in TRIPLES {
        let edited = original.replace("The ", "A ").to_uppercase();
        let v = e.embed(&[original, &edited, unrelated]);
        assert!(cosine(&v[0], &v[1]) > 0.95, "{original}");
        assert!(cosine(&v[0], &v[2]).abs() < 0.2, "{original}");
    }
}

#[test]
fn hashing_cases() {
    let e = HashingEmbedder::new(64);
    // (a, b, lowest cosine, highest cosine)
    let cases: &[(&str, &str, f32, f32)] = &[
        ("Fire at the port", "fire at the port", 0.999, 1.001),
        ("Fire at the port", "Port fire", 0.5, 0.999),
        ("the of and", "a to in", -0.001, 0.001),
    ];
    for &(a, b, lo, hi) in cases {
        let v = e.embed(&[a, b]);
        let c = cosine(&v[0], &v[1]);
        assert!((lo..=hi).contains(&c), "{a:?} vs {b:?}: {c}");
    }
    // No content words: the zero vector.
    assert!(e.embed_one("the of and").iter().all(|&x| x == 0.0));
}

#[test]
fn fallback_is_used_when_no_model() {
    let e = stemma_embed::load_or_fallback();
    let v = e.embed(&["one sentence about rain"]);
    assert_eq!(v.len(), 1);
    assert!(!e.name().is_empty());
}

mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn hashing_is_unit_or_zero_and_deterministic(s in "\\PC{0,80}") {
            let e = HashingEmbedder::default();
            let a = e.embed_one(&s);
            let b = e.embed_one(&s);
            prop_assert_eq!(&a, &b);
            let n = cosine(&a, &a);
            prop_assert!(n == 0.0 || (n - 1.0).abs() < 1e-4);
        }
    }
}
