//! Copies read on the word stream, whatever the sentences: the same words
//! in the same order where line breaks or stops were lost or added (a list
//! or a table run together on one line, a page whose extraction joined its
//! paragraphs or dropped its full stops). The sentence alignment misses
//! them, since one text's sentences no longer match the other's.
//!
//! Greedy tiling: walking the second text, the longest run of words it
//! shares with a stretch of the first not tiled yet is taken when it has
//! [`MIN_RUN`] words or more. Words compare by their lower-cased form.
use std::collections::HashMap;

use crate::prep::{Doc, hash};

/// Fewest words in a run.
pub(crate) const MIN_RUN: usize = 8;

/// One run: `len` words from word `i` of the first text and `j` of the
/// second.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Run {
    pub i: usize,
    pub j: usize,
    pub len: usize,
}

/// The runs two texts share, in the second text's order, and the share of
/// each text's words they cover.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Tiling {
    pub runs: Vec<Run>,
    pub cover_a: f32,
    pub cover_b: f32,
}

/// Share of a stretch of either text that words outside the runs may take
/// for [`Tiling::one_stretch`].
const STRETCH_GAPS: f32 = 0.1;

impl Tiling {
    /// True when the runs follow each other in the same order in both
    /// texts and leave little between them: one passage, not pieces
    /// gathered from here and there.
    pub(crate) fn one_stretch(&self) -> bool {
        let (Some(first), Some(last)) = (self.runs.first(), self.runs.last()) else {
            return false;
        };
        if self.runs.windows(2).any(|w| w[1].i < w[0].i + w[0].len) {
            return false;
        }
        let words: usize = self.runs.iter().map(|r| r.len).sum();
        let room = (words as f32 / (1.0 - STRETCH_GAPS)).ceil() as usize;
        last.i + last.len - first.i <= room && last.j + last.len - first.j <= room
    }
}

/// The words of `d` that its sentences hold (the sentence cap applies), as
/// hashes of their lower-cased form.
fn words(d: &Doc) -> Vec<u64> {
    let end = d.sents.last().map_or(0, |s| s.end_tok);
    d.toks[..end].iter().map(|t| hash(&t.norm)).collect()
}

/// Hash of each window of [`MIN_RUN`] words.
fn windows(w: &[u64]) -> Vec<u64> {
    w.windows(MIN_RUN)
        .map(|x| {
            x.iter()
                .fold(0xcbf2_9ce4_8422_2325u64, |h, &k| h.rotate_left(5) ^ k)
                .wrapping_mul(0x9e37_79b9_7f4a_7c15)
        })
        .collect()
}

/// Tiles `b`'s words with runs of `a`'s.
pub(crate) fn tile(da: &Doc, db: &Doc) -> Tiling {
    let (wa, wb) = (words(da), words(db));
    if wa.len() < MIN_RUN || wb.len() < MIN_RUN {
        return Tiling::default();
    }
    let mut at: HashMap<u64, Vec<usize>> = HashMap::with_capacity(wa.len());
    for (i, h) in windows(&wa).into_iter().enumerate() {
        at.entry(h).or_default().push(i);
    }
    let hb = windows(&wb);
    let mut used = vec![false; wa.len()];
    let mut runs = Vec::new();
    let mut j = 0;
    while j < hb.len() {
        let mut best: Option<Run> = None;
        for &i in at.get(&hb[j]).map_or(&[][..], Vec::as_slice) {
            let mut len = 0;
            while i + len < wa.len()
                && j + len < wb.len()
                && wa[i + len] == wb[j + len]
                && !used[i + len]
            {
                len += 1;
            }
            if len >= MIN_RUN && best.is_none_or(|b| len > b.len) {
                best = Some(Run { i, j, len });
            }
        }
        match best {
            Some(r) => {
                used[r.i..r.i + r.len].iter_mut().for_each(|u| *u = true);
                runs.push(r);
                j += r.len;
            }
            None => j += 1,
        }
    }
    let covered: usize = runs.iter().map(|r| r.len).sum();
    Tiling {
        runs,
        cover_a: covered as f32 / wa.len() as f32,
        cover_b: covered as f32 / wb.len() as f32,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Texts of words from a small vocabulary, so that runs recur.
    fn text() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                Just("tide"),
                Just("port"),
                Just("ferry"),
                Just("storm"),
                Just("mill")
            ],
            0..120,
        )
        .prop_map(|w| w.join(" "))
    }

    proptest! {
        #[test]
        fn runs_are_shared_words_tiled_once(a in text(), b in text()) {
            let (da, db) = (doc(&a), doc(&b));
            let t = tile(&da, &db);
            let (wa, wb) = (words(&da), words(&db));
            let mut used_a = vec![false; wa.len()];
            let mut next_j = 0;
            for r in &t.runs {
                prop_assert!(r.len >= MIN_RUN);
                prop_assert!(r.j >= next_j, "runs overlap in b");
                next_j = r.j + r.len;
                prop_assert_eq!(&wa[r.i..r.i + r.len], &wb[r.j..r.j + r.len]);
                for u in &mut used_a[r.i..r.i + r.len] {
                    prop_assert!(!*u, "a word of a tiled twice");
                    *u = true;
                }
            }
            prop_assert!((0.0..=1.0).contains(&t.cover_a) && (0.0..=1.0).contains(&t.cover_b));
        }
    }

    fn doc(text: &str) -> Doc<'_> {
        Doc::new(text, None, 500)
    }

    #[test]
    fn lost_line_breaks_and_stops_still_tile() {
        let lines = "Brighton 1-0 Huddersfield\nDerby 0-1 Ipswich\nFulham 1-1 Burton\n\
                     Leeds 2-1 Blackburn\nNorwich 2-1 Wigan\nPreston 3-0 Cardiff";
        let joined = lines.replace('\n', " ");
        let t = tile(&doc(lines), &doc(&joined));
        assert_eq!(t.runs.len(), 1);
        assert!(t.cover_a == 1.0 && t.cover_b == 1.0, "{t:?}");
        let prose = "The council closed the bridge on Friday. Engineers found cracks in two \
                     piers. Drivers face a detour of forty minutes each way.";
        let t = tile(&doc(prose), &doc(&prose.replace('.', "")));
        assert!(t.cover_a == 1.0 && t.cover_b == 1.0, "{t:?}");
    }

    #[test]
    fn pieces_from_here_and_there_are_not_one_stretch() {
        let a = "one two three four five six seven eight nine ten. eleven twelve thirteen \
                 fourteen fifteen sixteen seventeen eighteen nineteen twenty. alpha beta gamma \
                 delta epsilon zeta eta theta iota kappa.";
        let in_order = "one two three four five six seven eight nine ten eleven twelve thirteen \
                        fourteen fifteen sixteen seventeen eighteen nineteen twenty";
        assert!(tile(&doc(a), &doc(in_order)).one_stretch());
        let picked = "one two three four five six seven eight nine ten alpha beta gamma delta \
                      epsilon zeta eta theta iota kappa";
        let t = tile(&doc(a), &doc(picked));
        assert_eq!(t.runs.len(), 2);
        assert!(!t.one_stretch());
        let reordered = "alpha beta gamma delta epsilon zeta eta theta iota kappa one two three \
                         four five six seven eight nine ten";
        assert!(!tile(&doc(a), &doc(reordered)).one_stretch());
    }

    #[test]
    fn swapped_words_break_runs() {
        let a = "Officials in Ireland said on Tuesday that the new harbour bridge will open in \
                 March after four years of building work on the river.";
        let b = "Officers in Eire stated on Tuesday that the new harbour bridge will open in \
                 March following four years of construction work on the river.";
        let t = tile(&doc(a), &doc(b));
        assert!(t.cover_b < 0.5, "{t:?}");
        assert!(t.runs.iter().all(|r| r.len >= MIN_RUN));
    }

    #[test]
    fn each_word_of_the_first_text_tiles_once() {
        let a = "one two three four five six seven eight nine ten";
        let b = format!("{a} and again {a}");
        let t = tile(&doc(a), &doc(&b));
        assert_eq!(t.runs.len(), 1);
        assert_eq!(t.cover_a, 1.0);
    }
}
