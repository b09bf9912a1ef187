//! Incremental story assignment kept in the store's tables, by the rules
//! of [`stemma_story::StoryIndex`]: one row per story (summed member
//! vectors, member count, publish-time range), one document-frequency row
//! per term and one capped list of recent stories per term. A new article
//! reads the rows of its own terms and of at most a few dozen candidate
//! stories, and writes the same.
//!
//! Term ids are hashes of the term with its kind in the top two bits, so
//! no vocabulary table is needed (a collision merely lets two rare terms
//! share a weight).
use std::collections::HashMap;

use stemma_core::Article;
use stemma_story::{SparseVec, StoryConfig, StoryIndex, TermKind, cosine, published_days};

use crate::cindex::{Overlay, pack, unpack};
use crate::{IndexTable, StoreError};

/// Terms kept in a story's summed vector (the heaviest); bounds the row of
/// a very large story.
const MAX_SUM_TERMS: usize = 4096;

/// The state of one story.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct StoryState {
    pub count: u32,
    pub time: Option<(f64, f64)>,
    pub sum: SparseVec,
}

impl StoryState {
    pub(crate) fn encode(&self) -> Vec<u8> {
        let mut b = Vec::with_capacity(24 + 8 * self.sum.len());
        b.extend_from_slice(&self.count.to_le_bytes());
        let (flag, t0, t1) = match self.time {
            Some((a, z)) => (1u8, a, z),
            None => (0, 0.0, 0.0),
        };
        b.push(flag);
        b.extend_from_slice(&t0.to_le_bytes());
        b.extend_from_slice(&t1.to_le_bytes());
        for &(t, w) in &self.sum {
            b.extend_from_slice(&t.to_le_bytes());
            b.extend_from_slice(&w.to_le_bytes());
        }
        b
    }

    pub(crate) fn decode(b: &[u8]) -> Option<StoryState> {
        let count = u32::from_le_bytes(b.get(0..4)?.try_into().ok()?);
        let flag = *b.get(4)?;
        let t0 = f64::from_le_bytes(b.get(5..13)?.try_into().ok()?);
        let t1 = f64::from_le_bytes(b.get(13..21)?.try_into().ok()?);
        let sum = b
            .get(21..)?
            .chunks_exact(8)
            .map(|c| {
                (
                    u32::from_le_bytes([c[0], c[1], c[2], c[3]]),
                    f32::from_le_bytes([c[4], c[5], c[6], c[7]]),
                )
            })
            .collect();
        Some(StoryState {
            count,
            time: (flag == 1).then_some((t0, t1)),
            sum,
        })
    }
}

/// The id of a prefixed term: its kind in the top two bits, a hash below.
pub(crate) fn term_id(term: &str) -> u32 {
    let kind = match TermKind::of(term) {
        TermKind::Word => 0u32,
        TermKind::Entity => 1,
        TermKind::Number => 2,
        TermKind::Date => 3,
    };
    (kind << 30) | (xxhash_rust::xxh3::xxh3_64(term.as_bytes()) as u32 & 0x3FFF_FFFF)
}

fn kind_of(id: u32) -> TermKind {
    match id >> 30 {
        0 => TermKind::Word,
        1 => TermKind::Entity,
        2 => TermKind::Number,
        _ => TermKind::Date,
    }
}

fn dates_of(v: &[(u32, f32)]) -> Vec<u32> {
    v.iter()
        .map(|&(t, _)| t)
        .filter(|&t| kind_of(t) == TermKind::Date)
        .collect()
}

/// How a vectorised article counts in the document frequencies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Count {
    /// A new member: its terms count in (before weighing).
    Add,
    /// A member leaving: its terms count out (after weighing).
    Remove,
}

/// An article as the story index sees it.
pub(crate) struct Vectorised {
    pub v: SparseVec,
    pub time: Option<(f64, f64)>,
}

/// Weighs `article` against the stored document frequencies; `n_docs` is
/// the number of articles counted in (this one included for `Add`).
pub(crate) fn vectorise(
    ov: &mut Overlay<'_>,
    article: &Article,
    n_docs: u64,
    count: Count,
    config: &StoryConfig,
) -> Result<Vectorised, StoreError> {
    let counts = stemma_story::term_counts(article);
    let mut ids: Vec<(u32, u32)> = counts.iter().map(|(t, &tf)| (term_id(t), tf)).collect();
    ids.sort_unstable_by_key(|x| x.0);
    ids.dedup_by(|b, a| {
        if a.0 == b.0 {
            a.1 += b.1;
            true
        } else {
            false
        }
    });
    let keys: Vec<u64> = ids.iter().map(|x| u64::from(x.0)).collect();
    let mut df: HashMap<u32, u64> = HashMap::new();
    for ((id, _), row) in ids.iter().zip(ov.get_many(IndexTable::StoryDf, &keys)?) {
        let d = row
            .as_deref()
            .map_or(0, |r| unpack(r).first().copied().unwrap_or(0));
        let d = match count {
            Count::Add => d + 1,
            Count::Remove => d,
        };
        df.insert(*id, u64::from(d));
        let stored = match count {
            Count::Add => d,
            Count::Remove => d.saturating_sub(1),
        };
        ov.put(
            IndexTable::StoryDf,
            u64::from(*id),
            (stored > 0).then(|| pack(&[stored])),
        );
    }
    let v = StoryIndex::weigh_terms(
        ids.iter().map(|&(id, tf)| (id, kind_of(id), tf)),
        |id| StoryIndex::idf(n_docs, df[&id]),
        config,
    );
    let time = article
        .published
        .as_deref()
        .and_then(published_days)
        .map(|t| (t, t));
    Ok(Vectorised { v, time })
}

/// The state row of a story (`None` when there is none).
pub(crate) fn state(ov: &mut Overlay<'_>, story: u32) -> Result<Option<StoryState>, StoreError> {
    Ok(ov
        .get(IndexTable::StoryState, u64::from(story))?
        .as_deref()
        .and_then(StoryState::decode))
}

fn put_state(ov: &mut Overlay<'_>, story: u32, s: Option<&StoryState>) {
    ov.put(
        IndexTable::StoryState,
        u64::from(story),
        s.filter(|s| s.count > 0).map(StoryState::encode),
    );
}

/// The story a vector would join by average-link similarity, with that
/// similarity (best over the candidates found through its terms).
pub(crate) fn best_story(
    ov: &mut Overlay<'_>,
    a: &Vectorised,
    config: &StoryConfig,
) -> Result<Option<(u32, f32)>, StoreError> {
    let (query_keys, _, scanned, candidates) = StoryIndex::LIMITS;
    // The heaviest `query_keys` terms that have a posting list: read in
    // weight order, a chunk at a time, until enough are found (most of
    // an article's terms are never read).
    let mut by_weight = a.v.clone();
    by_weight.sort_unstable_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
    let mut known: Vec<(u32, f32, Vec<u32>)> = Vec::new();
    for chunk in by_weight.chunks(query_keys.max(1)) {
        let keys: Vec<u64> = chunk.iter().map(|&(t, _)| u64::from(t)).collect();
        let lists = ov.get_many(IndexTable::StoryPosting, &keys)?;
        known.extend(
            chunk
                .iter()
                .zip(lists)
                .filter_map(|(&(t, w), l)| l.map(|l| (t, w, unpack(l.as_slice())))),
        );
        if known.len() >= query_keys {
            break;
        }
    }
    known.truncate(query_keys);
    let mut shared: HashMap<u32, f32> = HashMap::new();
    for (_, w, list) in &known {
        for &s in &list[list.len().saturating_sub(scanned)..] {
            *shared.entry(s).or_insert(0.0) += w;
        }
    }
    let mut cands: Vec<(u32, f32)> = shared.into_iter().collect();
    cands.sort_unstable_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
    cands.truncate(candidates);
    let keys: Vec<u64> = cands.iter().map(|c| u64::from(c.0)).collect();
    let rows = ov.get_many(IndexTable::StoryState, &keys)?;
    let dates = dates_of(&a.v);
    let mut best: Option<(u32, f32)> = None;
    for ((s, _), row) in cands.into_iter().zip(rows) {
        let Some(st) = row.as_deref().and_then(StoryState::decode) else {
            continue; // merged away or emptied
        };
        if st.count == 0 {
            continue;
        }
        let conflict = if StoryIndex::dates_conflict(&dates, &dates_of(&st.sum)) {
            config.date_conflict
        } else {
            1.0
        };
        let sim = cosine(&a.v, &st.sum) / st.count as f32
            * conflict
            * config.time_factor(a.time, st.time);
        if best.is_none_or(|(b, bs)| sim > bs || (sim == bs && s < b)) {
            best = Some((s, sim));
        }
    }
    Ok(best)
}

/// Adds a member's vector to a story (created when missing) and posts the
/// story under the member's heaviest terms.
pub(crate) fn add(ov: &mut Overlay<'_>, story: u32, a: &Vectorised) -> Result<(), StoreError> {
    let mut st = state(ov, story)?.unwrap_or_default();
    st.sum = merge(&st.sum, &a.v, 1.0);
    st.count += 1;
    st.time = union(st.time, a.time);
    put_state(ov, story, Some(&st));
    let (_, post_keys, scanned, _) = StoryIndex::LIMITS;
    let mut top = a.v.clone();
    top.sort_unstable_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
    top.truncate(post_keys);
    let keys: Vec<u64> = top.iter().map(|&(t, _)| u64::from(t)).collect();
    let rows = ov.get_many(IndexTable::StoryPosting, &keys)?;
    for (key, row) in keys.into_iter().zip(rows) {
        let mut list = row.as_deref().map(unpack).unwrap_or_default();
        if list.contains(&story) {
            continue;
        }
        list.push(story);
        if list.len() > scanned {
            list.remove(0);
        }
        ov.put(IndexTable::StoryPosting, key, Some(pack(&list)));
    }
    Ok(())
}

/// Takes a leaving member's vector out of a story; returns the members
/// left.
pub(crate) fn subtract(
    ov: &mut Overlay<'_>,
    story: u32,
    a: &Vectorised,
) -> Result<u32, StoreError> {
    let Some(mut st) = state(ov, story)? else {
        return Ok(0);
    };
    st.count = st.count.saturating_sub(1);
    st.sum = if st.count == 0 {
        Vec::new()
    } else {
        merge(&st.sum, &a.v, -1.0)
    };
    put_state(ov, story, Some(&st));
    Ok(st.count)
}

/// Moves story `from` into story `into` (summed vectors, counts, times);
/// `from`'s row goes.
pub(crate) fn merge_into(ov: &mut Overlay<'_>, from: u32, into: u32) -> Result<(), StoreError> {
    let f = state(ov, from)?.unwrap_or_default();
    let mut t = state(ov, into)?.unwrap_or_default();
    t.sum = merge(&t.sum, &f.sum, 1.0);
    t.count += f.count;
    t.time = union(t.time, f.time);
    put_state(ov, into, Some(&t));
    put_state(ov, from, None);
    Ok(())
}

/// The member count of a story (0 when it has no row).
pub(crate) fn count(ov: &mut Overlay<'_>, story: u32) -> Result<u32, StoreError> {
    Ok(state(ov, story)?.map_or(0, |s| s.count))
}

fn union(a: Option<(f64, f64)>, b: Option<(f64, f64)>) -> Option<(f64, f64)> {
    match (a, b) {
        (Some((a, b)), Some((c, d))) => Some((a.min(c), b.max(d))),
        (a, b) => a.or(b),
    }
}

/// `a + k * b` over sparse vectors; non-positive weights dropped, and the
/// lightest terms beyond [`MAX_SUM_TERMS`].
fn merge(a: &[(u32, f32)], b: &[(u32, f32)], k: f32) -> SparseVec {
    let mut out = stemma_story::add_scaled(a, b, k);
    out.retain(|x| x.1 > 1e-6);
    if out.len() > MAX_SUM_TERMS {
        out.sort_unstable_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
        out.truncate(MAX_SUM_TERMS);
        out.sort_unstable_by_key(|x| x.0);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_round_trips_and_terms_keep_their_kind() {
        let s = StoryState {
            count: 3,
            time: Some((1.5, 2.0)),
            sum: vec![(1, 0.5), (9, 0.25)],
        };
        assert_eq!(StoryState::decode(&s.encode()), Some(s));
        let d = StoryState::default();
        assert_eq!(StoryState::decode(&d.encode()), Some(d));
        assert_eq!(kind_of(term_id("y:2024")), TermKind::Date);
        assert_eq!(kind_of(term_id("e:veloria")), TermKind::Entity);
        assert_eq!(kind_of(term_id("w:harbour")), TermKind::Word);
        assert_eq!(
            merge(&[(1, 1.0), (2, 0.5)], &[(2, 0.5), (3, 1.0)], -1.0),
            [(1, 1.0)]
        );
    }
}
