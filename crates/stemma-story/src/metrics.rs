//! Clustering quality: B-cubed precision, recall and F1.

use std::collections::HashMap;

/// B-cubed scores of a predicted clustering against gold labels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BCubed {
    /// Mean over items of the share of its predicted cluster in its gold class.
    pub precision: f64,
    /// Mean over items of the share of its gold class in its predicted cluster.
    pub recall: f64,
    /// Harmonic mean of precision and recall.
    pub f1: f64,
}

/// Turns clusters of indices into one label per item (`n` items).
pub fn labels(clusters: &[Vec<usize>], n: usize) -> Vec<usize> {
    let mut out = vec![usize::MAX; n];
    for (c, members) in clusters.iter().enumerate() {
        for &i in members {
            out[i] = c;
        }
    }
    out
}

/// B-cubed of `pred` against `gold`, both one label per item. Empty input
/// scores 1.
pub fn bcubed<P: Eq + std::hash::Hash, G: Eq + std::hash::Hash>(pred: &[P], gold: &[G]) -> BCubed {
    assert_eq!(pred.len(), gold.len(), "one label per item");
    if pred.is_empty() {
        return BCubed {
            precision: 1.0,
            recall: 1.0,
            f1: 1.0,
        };
    }
    let mut joint: HashMap<(&P, &G), f64> = HashMap::new();
    let mut psize: HashMap<&P, f64> = HashMap::new();
    let mut gsize: HashMap<&G, f64> = HashMap::new();
    for (p, g) in pred.iter().zip(gold) {
        *joint.entry((p, g)).or_insert(0.0) += 1.0;
        *psize.entry(p).or_insert(0.0) += 1.0;
        *gsize.entry(g).or_insert(0.0) += 1.0;
    }
    let n = pred.len() as f64;
    let (mut precision, mut recall) = (0.0, 0.0);
    for ((p, g), c) in joint {
        precision += c * c / psize[p];
        recall += c * c / gsize[g];
    }
    precision /= n;
    recall /= n;
    let f1 = 2.0 * precision * recall / (precision + recall);
    BCubed {
        precision,
        recall,
        f1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table() {
        let cases: &[(&[u32], &[u32], f64, f64)] = &[
            (&[0, 0, 1, 1], &[0, 0, 1, 1], 1.0, 1.0),
            (&[0, 0, 0, 0], &[0, 0, 1, 1], 0.5, 1.0),
            (&[0, 1, 2, 3], &[0, 0, 1, 1], 1.0, 0.5),
        ];
        for (pred, gold, p, r) in cases {
            let b = bcubed(pred, gold);
            assert!(
                (b.precision - p).abs() < 1e-9 && (b.recall - r).abs() < 1e-9,
                "{pred:?} {b:?}"
            );
        }
    }
}
