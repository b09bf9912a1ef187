//! The candidate index kept in the store's tables: one signature row per
//! document and one capped posting list per exact hash, LSH band key and
//! key term (the rules of [`stemma_index::CandidateIndex`], with the lists
//! in rows instead of one in-memory map). Adding or querying a document
//! reads and writes only the rows of its own keys and its candidates.
use std::collections::{BTreeMap, HashMap};

use stemma_index::{IndexConfig, Signature};

use crate::{IndexTable, Op, Store, StoreError};

/// A row's value (`None` when absent) and whether this batch changed it.
type RowState = (Option<Vec<u8>>, bool);

/// Index rows read through the store and changed in memory until the
/// batch is committed: reads see this batch's own writes.
pub(crate) struct Overlay<'s> {
    store: &'s dyn Store,
    /// Row -> (value, changed by this batch).
    rows: HashMap<(IndexTable, u64), RowState>,
}

impl<'s> Overlay<'s> {
    pub(crate) fn new(store: &'s dyn Store) -> Self {
        Overlay {
            store,
            rows: HashMap::new(),
        }
    }

    /// The rows of `keys` (one store read for all those not seen yet).
    pub(crate) fn get_many(
        &mut self,
        table: IndexTable,
        keys: &[u64],
    ) -> Result<Vec<Option<Vec<u8>>>, StoreError> {
        let mut missing: Vec<u64> = keys
            .iter()
            .copied()
            .filter(|k| !self.rows.contains_key(&(table, *k)))
            .collect();
        missing.sort_unstable();
        missing.dedup();
        if !missing.is_empty() {
            let got = self.store.index_rows(table, &missing)?;
            for (k, v) in missing.into_iter().zip(got) {
                self.rows.insert((table, k), (v, false));
            }
        }
        Ok(keys
            .iter()
            .map(|k| self.rows[&(table, *k)].0.clone())
            .collect())
    }

    pub(crate) fn get(
        &mut self,
        table: IndexTable,
        key: u64,
    ) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(self.get_many(table, &[key])?.pop().flatten())
    }

    /// Sets (or, with `None`, removes) a row.
    pub(crate) fn put(&mut self, table: IndexTable, key: u64, value: Option<Vec<u8>>) {
        self.rows.insert((table, key), (value, true));
    }

    /// The changed rows as ops, in key order.
    pub(crate) fn into_ops(self) -> Vec<Op> {
        let dirty: BTreeMap<(IndexTable, u64), Option<Vec<u8>>> = self
            .rows
            .into_iter()
            .filter(|(_, (_, d))| *d)
            .map(|(k, (v, _))| (k, v))
            .collect();
        dirty
            .into_iter()
            .map(|((table, key), v)| match v {
                Some(value) => Op::PutIndex { table, key, value },
                None => Op::DeleteIndex { table, key },
            })
            .collect()
    }
}

/// Packs document (or story) numbers into a row.
pub(crate) fn pack(nums: &[u32]) -> Vec<u8> {
    nums.iter().flat_map(|n| n.to_le_bytes()).collect()
}

/// The numbers of a packed row.
pub(crate) fn unpack(bytes: &[u8]) -> Vec<u32> {
    bytes
        .chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect()
}

/// What the index keeps of one document.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SigRow {
    pub id: String,
    pub exact: u64,
    /// Number of key terms, passage anchors apart (stands in for the
    /// document's sketch weight).
    pub n_terms: u32,
    pub minhash: Vec<u32>,
}

impl SigRow {
    pub(crate) fn of(id: &str, sig: &Signature) -> SigRow {
        SigRow {
            id: id.to_string(),
            exact: sig.exact,
            n_terms: sig.sketch_terms().count() as u32,
            minhash: sig.minhash.clone(),
        }
    }

    pub(crate) fn encode(&self) -> Vec<u8> {
        let mut b = Vec::with_capacity(16 + self.id.len() + 4 * self.minhash.len());
        b.extend_from_slice(&(self.id.len() as u32).to_le_bytes());
        b.extend_from_slice(self.id.as_bytes());
        b.extend_from_slice(&self.exact.to_le_bytes());
        b.extend_from_slice(&self.n_terms.to_le_bytes());
        b.extend_from_slice(&pack(&self.minhash));
        b
    }

    /// `None` for a row this version cannot read (treated as absent).
    pub(crate) fn decode(b: &[u8]) -> Option<SigRow> {
        let n = u32::from_le_bytes(b.get(0..4)?.try_into().ok()?) as usize;
        let id = std::str::from_utf8(b.get(4..4 + n)?).ok()?.to_string();
        let rest = b.get(4 + n..)?;
        let exact = u64::from_le_bytes(rest.get(0..8)?.try_into().ok()?);
        let n_terms = u32::from_le_bytes(rest.get(8..12)?.try_into().ok()?);
        Some(SigRow {
            id,
            exact,
            n_terms,
            minhash: unpack(rest.get(12..)?),
        })
    }
}

fn jaccard(a: &[u32], b: &[u32]) -> f32 {
    if a.is_empty() || a.len() != b.len() {
        return 0.0;
    }
    a.iter().zip(b).filter(|(x, y)| x == y).count() as f32 / a.len() as f32
}

/// The posting rows a signature is filed under, with each list's cap.
fn keys_of(sig: &Signature, cfg: &IndexConfig) -> Vec<(IndexTable, u64, usize)> {
    let cap = cfg.max_bucket.max(2);
    let mut keys = Vec::new();
    if sig.exact != 0 {
        // Exact duplicates are cheap to confirm: bigger groups allowed.
        keys.push((IndexTable::Exact, sig.exact, cap * 8));
    }
    keys.extend(
        sig.band_keys(cfg)
            .into_iter()
            .map(|k| (IndexTable::Band, k, cap)),
    );
    keys.extend(sig.terms.iter().map(|&t| (IndexTable::Term, t, cap)));
    keys
}

/// Files document `num` under its keys (capped lists) and stores its row.
pub(crate) fn insert(
    ov: &mut Overlay<'_>,
    num: u32,
    id: &str,
    sig: &Signature,
    cfg: &IndexConfig,
) -> Result<(), StoreError> {
    edit_lists(ov, keys_of(sig, cfg), add_num(num))?;
    ov.put(
        IndexTable::Signature,
        u64::from(num),
        Some(SigRow::of(id, sig).encode()),
    );
    Ok(())
}

/// The list edit that files `num` (unless the list is full or holds it).
fn add_num(num: u32) -> impl FnMut(&mut Vec<u32>, usize) -> bool {
    move |list, cap| {
        if list.len() < cap && !list.contains(&num) {
            list.push(num);
            true
        } else {
            false
        }
    }
}

/// The list edit that takes `num` out.
fn drop_num(num: u32) -> impl FnMut(&mut Vec<u32>, usize) -> bool {
    move |list, _| {
        let before = list.len();
        list.retain(|&n| n != num);
        list.len() != before
    }
}

/// Re-files document `num` after a change of the index scheme: takes it
/// out of the LSH band lists of the MinHash kept in its row (banded
/// `old_rows` values a band) and out of the lists of `old_terms` (its key
/// terms as the old scheme sampled them), files it under the bands and
/// terms of `sig` and rewrites the row. Its exact hash is computed as
/// before, so that list stands; so do the lists of keys in both schemes.
/// Returns false (and changes nothing) when the document has no row.
pub(crate) fn refile(
    ov: &mut Overlay<'_>,
    num: u32,
    sig: &Signature,
    old_rows: usize,
    old_terms: &[u64],
    cfg: &IndexConfig,
) -> Result<bool, StoreError> {
    let Some(row) = rows_of(ov, &[num])?.pop().flatten() else {
        return Ok(false);
    };
    let old = Signature {
        exact: row.exact,
        minhash: row.minhash.clone(),
        terms: Vec::new(),
    };
    let old_cfg = IndexConfig {
        rows: old_rows,
        ..cfg.clone()
    };
    let cap = cfg.max_bucket.max(2);
    let (mut gone, mut added) = (Vec::new(), Vec::new());
    for (table, old_keys, new_keys) in [
        (
            IndexTable::Band,
            old.band_keys(&old_cfg),
            sig.band_keys(cfg),
        ),
        (IndexTable::Term, old_terms.to_vec(), sig.terms.clone()),
    ] {
        let only = |a: &[u64], b: &[u64]| -> Vec<(IndexTable, u64, usize)> {
            a.iter()
                .filter(|k| !b.contains(k))
                .map(|&k| (table, k, cap))
                .collect()
        };
        gone.extend(only(&old_keys, &new_keys));
        added.extend(only(&new_keys, &old_keys));
    }
    edit_lists(ov, gone, drop_num(num))?;
    edit_lists(ov, added, add_num(num))?;
    ov.put(
        IndexTable::Signature,
        u64::from(num),
        Some(SigRow::of(&row.id, sig).encode()),
    );
    Ok(true)
}

/// Takes document `num` (filed under `sig`) out of its posting lists and
/// drops its row.
pub(crate) fn remove(
    ov: &mut Overlay<'_>,
    num: u32,
    sig: &Signature,
    cfg: &IndexConfig,
) -> Result<(), StoreError> {
    edit_lists(ov, keys_of(sig, cfg), drop_num(num))?;
    ov.put(IndexTable::Signature, u64::from(num), None);
    Ok(())
}

/// Runs `edit` on the posting list of each of `keys` (with its cap) and
/// writes back those it changed.
fn edit_lists(
    ov: &mut Overlay<'_>,
    keys: Vec<(IndexTable, u64, usize)>,
    mut edit: impl FnMut(&mut Vec<u32>, usize) -> bool,
) -> Result<(), StoreError> {
    let mut by_table: BTreeMap<IndexTable, Vec<(u64, usize)>> = BTreeMap::new();
    for (t, k, cap) in keys {
        by_table.entry(t).or_default().push((k, cap));
    }
    for (table, keys) in by_table {
        let ks: Vec<u64> = keys.iter().map(|k| k.0).collect();
        let rows = ov.get_many(table, &ks)?;
        for ((key, cap), row) in keys.into_iter().zip(rows) {
            let mut list = row.as_deref().map(unpack).unwrap_or_default();
            if edit(&mut list, cap) {
                ov.put(table, key, (!list.is_empty()).then(|| pack(&list)));
            }
        }
    }
    Ok(())
}

/// The indexed documents worth comparing with `sig` (number and id,
/// ascending by number), by the rules of
/// [`stemma_index::CandidateIndex::query_signature`]: exact hash, LSH
/// collisions with enough estimated Jaccard, the best key-term sketch
/// overlaps and the documents sharing the most passage anchors. `n_docs` is the number of indexed documents. A candidate's
/// sketch weight is estimated from its number of key terms (the query's
/// weight scaled), so that only the candidates' rows are read.
pub(crate) fn query(
    ov: &mut Overlay<'_>,
    sig: &Signature,
    n_docs: u64,
    cfg: &IndexConfig,
    exclude: u32,
) -> Result<Vec<(u32, String)>, StoreError> {
    let cap = cfg.max_bucket.max(2);
    let mut found: BTreeMap<u32, Option<SigRow>> = BTreeMap::new();
    if sig.exact != 0
        && let Some(row) = ov.get(IndexTable::Exact, sig.exact)?
    {
        for n in unpack(&row) {
            if n != exclude {
                found.insert(n, None);
            }
        }
    }
    // LSH collisions, confirmed by the MinHash estimate.
    let bands = sig.band_keys(cfg);
    let mut colliding: Vec<u32> = Vec::new();
    for row in ov.get_many(IndexTable::Band, &bands)?.into_iter().flatten() {
        colliding.extend(unpack(&row).into_iter().filter(|n| *n != exclude));
    }
    colliding.sort_unstable();
    colliding.dedup();
    colliding.retain(|n| !found.contains_key(n));
    let rows = rows_of(ov, &colliding)?;
    for (n, row) in colliding.into_iter().zip(rows) {
        if let Some(row) = row
            && jaccard(&sig.minhash, &row.minhash) >= cfg.min_jaccard
        {
            found.insert(n, Some(row));
        }
    }
    // Key-term sketch, IDF-weighted; hot keys (full lists) ignored.
    let lists: Vec<Vec<u32>> = ov
        .get_many(IndexTable::Term, &sig.terms)?
        .into_iter()
        .map(|r| r.as_deref().map(unpack).unwrap_or_default())
        .collect();
    let n = n_docs as f32 + 1.0;
    let mut wq = 0.0f32;
    let mut acc: HashMap<u32, (usize, f32)> = HashMap::new();
    let mut anchors: HashMap<u32, usize> = HashMap::new();
    for (list, &t) in lists.iter().zip(&sig.terms) {
        if list.len() >= cap {
            continue;
        }
        if Signature::is_anchor(t) {
            // Passage anchors: counted apart.
            for &d in list.iter().filter(|&&d| d != exclude) {
                *anchors.entry(d).or_default() += 1;
            }
            continue;
        }
        let w = (n / list.len().max(1) as f32).ln().max(0.0);
        wq += w;
        for &d in list {
            if d == exclude {
                continue;
            }
            let e = acc.entry(d).or_default();
            e.0 += 1;
            e.1 += w;
        }
    }
    let mut shared: Vec<(u32, f32)> = acc
        .into_iter()
        .filter(|&(_, (s, _))| s >= cfg.min_shared)
        .map(|(d, (_, w))| (d, w))
        .collect();
    shared.sort_unstable_by_key(|s| s.0);
    let nums: Vec<u32> = shared.iter().map(|s| s.0).collect();
    let rows = rows_of(ov, &nums)?;
    let nq = sig.sketch_terms().count().max(1) as f32;
    let mut sketch: Vec<(f32, u32, SigRow)> = Vec::new();
    for ((d, w), row) in shared.into_iter().zip(rows) {
        let Some(row) = row else { continue };
        let wd = wq * row.n_terms as f32 / nq;
        let score = w / wq.min(wd).max(f32::EPSILON);
        if score >= cfg.min_score {
            sketch.push((score, d, row));
        }
    }
    sketch.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, d, row) in sketch.into_iter().take(cfg.max_sketch_candidates) {
        found.entry(d).or_insert(Some(row));
    }
    // Passage candidates: the documents sharing the most anchors.
    let mut passage: Vec<(usize, u32)> = anchors
        .into_iter()
        .filter(|&(_, a)| a >= cfg.min_anchors.max(1))
        .map(|(d, a)| (a, d))
        .collect();
    passage.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, d) in passage.into_iter().take(cfg.max_anchor_candidates) {
        found.entry(d).or_insert(None);
    }
    // Ids of the exact matches (read last, with the others already known).
    let unknown: Vec<u32> = found
        .iter()
        .filter(|(_, r)| r.is_none())
        .map(|(n, _)| *n)
        .collect();
    for (n, row) in unknown.iter().zip(rows_of(ov, &unknown)?) {
        found.insert(*n, row);
    }
    Ok(found
        .into_iter()
        .filter_map(|(n, r)| r.map(|r| (n, r.id)))
        .collect())
}

/// The signature rows of `nums` (`None` for a number no longer in use).
pub(crate) fn rows_of(
    ov: &mut Overlay<'_>,
    nums: &[u32],
) -> Result<Vec<Option<SigRow>>, StoreError> {
    let keys: Vec<u64> = nums.iter().map(|&n| u64::from(n)).collect();
    Ok(ov
        .get_many(IndexTable::Signature, &keys)?
        .into_iter()
        .map(|r| r.as_deref().and_then(SigRow::decode))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_round_trip() {
        let row = SigRow {
            id: "é-1".into(),
            exact: 7,
            n_terms: 3,
            minhash: vec![1, 2, u32::MAX],
        };
        assert_eq!(SigRow::decode(&row.encode()), Some(row));
        assert_eq!(SigRow::decode(&[1, 0]), None);
        assert_eq!(unpack(&pack(&[5, 0, 9])), [5, 0, 9]);
    }
}
