//! The two small linear models behind the verdict: derived or not, and
//! which kind of derivation. Their weights were fit offline with logistic
//! regression (scikit-learn, L2, C = 1, each data set weighted equally) on
//! the features that `stemma-bench derive --dump` writes, using half of the
//! labelled pairs of PAN13, Clough-Stevenson, BBC summaries and l2r-news
//! (the pairs whose CRC32 of "a|b" is even); `bench/results/derive.txt`
//! reports the other half separately. Inputs are standardised with the
//! means and deviations below before the weights apply. All features are
//! symmetric in the two texts, so swapping them keeps the verdict.
use crate::Features;

/// One logistic model: `b + sum(w * (x - mu) / sd)`.
struct Linear<const N: usize> {
    mu: [f32; N],
    sd: [f32; N],
    w: [f32; N],
    b: f32,
}

impl<const N: usize> Linear<N> {
    fn score(&self, x: &[f32; N]) -> f32 {
        let mut z = self.b;
        for (((x, mu), sd), w) in x.iter().zip(&self.mu).zip(&self.sd).zip(&self.w) {
            z += w * (x - mu) / sd;
        }
        z
    }
}

fn ln1p(x: usize) -> f32 {
    (x as f32).ln_1p()
}

/// Derived-or-not features, in the order of the weights:
/// run_sim, ln_run_weight, support_short, ln_supported_weight, ln_supported_sentences, ln_chain_run, ln_chain_run_weight, region_bag, mean_sim, cover_min, cover_max, exact_share, run_cover, length_ratio.
fn derived_features(f: &Features) -> [f32; 14] {
    [
        f.run_sim,
        ln1p(f.run_weight),
        f.support_short,
        ln1p(f.supported_weight),
        ln1p(f.supported_sentences),
        ln1p(f.chain_run),
        ln1p(f.chain_run_weight),
        f.region_bag,
        f.mean_sim,
        f.cover_a.min(f.cover_b),
        f.cover_a.max(f.cover_b),
        f.exact_share,
        f.run_cover,
        f.length_ratio,
    ]
}

/// Derived-or-not model (fit: logistic regression, half of the pairs (CRC32 of a|b even), data sets weighted equally).
const DERIVED: Linear<14> = Linear {
    mu: [
        0.4931, 2.35918, 0.29836, 2.61489, 1.14898, 1.10541, 2.43317, 0.5711, 0.4858, 0.12392,
        0.31146, 0.14089, 0.21571, 0.41293,
    ],
    sd: [
        0.37004, 1.78177, 0.34925, 1.95559, 0.9398, 0.84967, 1.73136, 0.41939, 0.36294, 0.24219,
        0.35419, 0.28525, 0.28133, 0.29816,
    ],
    w: [
        0.18416, 0.7953, 1.59039, 1.42723, 0.70284, -1.45024, 1.72771, 1.17982, -2.60738, -0.17227,
        0.63798, 0.29325, -0.51008, 0.27464,
    ],
    b: 2.08962,
};

/// Log-odds above which a pair counts as derived (chosen on the fitting
/// half for the best mean F1 over the data sets).
pub(crate) const DERIVED_THRESHOLD: f32 = 0.489548;

/// Log-odds that one text derives from the other.
pub(crate) fn derived_logit(f: &Features) -> f32 {
    DERIVED.score(&derived_features(f))
}

/// The derivation kinds the kind model tells apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    /// Verbatim or excerpt: words kept as they were.
    Copy,
    /// Word-by-word edits.
    Spun,
    /// Rewritten sentences.
    Paraphrase,
    /// A shorter text covering part of the other.
    Summary,
}

/// Kind features, in the order of the weights:
/// edit_share, keep_max, keep_gap, synonym_share, substitution_rate, extent_ratio, length_ratio, region_bag, region_order, one_to_one, pair_len, exact_share, mean_sim, run_sim, support_short, short_order, cover_min, cover_max.
fn kind_features(f: &Features) -> [f32; 18] {
    [
        f.edit_share,
        f.keep_a.max(f.keep_b),
        (f.keep_a - f.keep_b).abs(),
        f.synonym_share,
        f.substitution_rate,
        f.extent_ratio,
        f.length_ratio,
        f.region_bag,
        f.region_order,
        f.one_to_one,
        f.pair_len,
        f.exact_share,
        f.mean_sim,
        f.run_sim,
        f.support_short,
        f.short_order,
        f.cover_a.min(f.cover_b),
        f.cover_a.max(f.cover_b),
    ]
}

const MU_K: [f32; 18] = [
    0.17861, 0.65293, 0.11908, 0.03145, 0.14265, 0.81961, 0.39011, 0.73437, 0.79283, 0.75733,
    0.69225, 0.18434, 0.62655, 0.63648, 0.3923, 0.85556, 0.16215, 0.40624,
];
const SD_K: [f32; 18] = [
    0.19896, 0.32816, 0.15833, 0.08713, 0.16848, 0.20681, 0.30423, 0.32747, 0.34791, 0.37812,
    0.32376, 0.31368, 0.28988, 0.29697, 0.35289, 0.24056, 0.2665, 0.35473,
];

/// Multinomial (softmax) scores of the kind model (fit: logistic regression, half of the pairs (CRC32 of a|b even), data sets weighted equally), in the order of
/// [`SHAPES`].
const KIND: [Linear<18>; 4] = [
    // copy
    Linear {
        mu: MU_K,
        sd: SD_K,
        w: [
            -0.92763, 1.53138, -0.36625, -1.20412, 0.1848, -0.31698, -0.52165, -0.60407, -0.34573,
            -0.75983, 0.26964, 1.89717, -0.48244, 1.07613, -1.46346, 1.37639, 0.06676, 0.14291,
        ],
        b: -0.95198,
    },
    // paraphrase
    Linear {
        mu: MU_K,
        sd: SD_K,
        w: [
            0.50007, -1.32406, 0.4044, 0.69669, 0.15605, 0.47925, -0.0007, -0.03243, 0.51189,
            0.10868, -0.11675, -2.51932, -0.6762, 1.83423, 0.96427, 0.14289, 0.79441, -0.99884,
        ],
        b: 0.43687,
    },
    // spun
    Linear {
        mu: MU_K,
        sd: SD_K,
        w: [
            1.03256, 1.06909, -0.30337, 1.15285, -0.63799, 0.25274, -0.35787, -0.37036, 0.06847,
            0.37737, -0.44663, -1.39561, 1.72453, -1.48906, -0.73382, -0.6372, 0.44444, 0.63239,
        ],
        b: 0.55419,
    },
    // summary
    Linear {
        mu: MU_K,
        sd: SD_K,
        w: [
            -0.605, -1.27641, 0.26522, -0.64542, 0.29714, -0.41501, 0.88022, 1.00686, -0.23463,
            0.27378, 0.29374, 2.01776, -0.56589, -1.4213, 1.23301, -0.88208, -1.30562, 0.22353,
        ],
        b: -0.03908,
    },
];

const SHAPES: [Shape; 4] = [Shape::Copy, Shape::Paraphrase, Shape::Spun, Shape::Summary];

/// The kind model's choice for a derived pair.
pub(crate) fn shape(f: &Features) -> Shape {
    let x = kind_features(f);
    let mut best = (f32::NEG_INFINITY, Shape::Paraphrase);
    for (m, s) in KIND.iter().zip(SHAPES) {
        let z = m.score(&x);
        if z > best.0 {
            best = (z, s);
        }
    }
    best.1
}

/// Log-odds that `a` (with `la` tokens) is the source of `b` (with `lb`)
/// for a rewrite (spun or paraphrase) with no dates or citations: the
/// longer text, the one with names and figures the other lacks, and the one
/// less covered by the alignment (it has parts the other dropped) tends to
/// be the source.
pub(crate) fn source_logit(f: &Features, la: usize, lb: usize) -> f32 {
    let len = (la.max(1) as f32 / lb.max(1) as f32).ln();
    let names = (f.names_only_a as f32 - f.names_only_b as f32)
        / (f.names_only_a + f.names_only_b + 1) as f32;
    let cover = f.cover_b - f.cover_a;
    SOURCE_W[0] * len + SOURCE_W[1] * names + SOURCE_W[2] * cover
}

/// Weights of [`source_logit`]: length log-ratio, name asymmetry, coverage
/// asymmetry. Logistic regression without intercept (each pair also seen
/// swapped), fit on the even half of the l2r-news rewrites and the Clough
/// light/heavy answers; on the other half it orients about 3 in 4 of the
/// l2r rewrites and 20 of 22 Clough answers.
const SOURCE_W: [f32; 3] = [3.186, 0.332, 2.880];

/// [`source_logit`] must reach this (either sign) to decide.
pub(crate) const SOURCE_MARGIN: f32 = 0.2;
