//! Line recurrence across ingests: which documents hold each line, so that
//! a page ingested on its own still loses the lines its site repeats on
//! every page (a donation appeal, a newsletter prompt) that earlier
//! ingests stored, as when the pages are extracted together.
//!
//! Two index tables: [`IndexTable::Line`] (a line's [`recurrence_key`]
//! -> how many stored documents hold it and the numbers of its first
//! [`RECURRENCE_HOLDERS`]) and [`IndexTable::DocLines`] (a document's
//! number -> its line keys, prose lines first, as its page read before
//! recurrence). The votes they give are those of
//! [`stemma_extract::extract_corpus`] over the stored documents followed
//! by the batch, for the documents that filed their lines (stores written
//! before these tables existed hold none for their earlier documents).
//!
//! [`recurrence_key`]: stemma_extract::recurrence_key

use std::collections::{HashMap, HashSet};

use stemma_extract::{RECURRENCE_HOLDERS, prose_keys, votes_of};

use crate::cindex::{Overlay, pack, unpack};
use crate::{IndexTable, StoreError};

/// A line's row: how many stored documents hold it, then the numbers of
/// its first holders (up to [`RECURRENCE_HOLDERS`]), in filing order.
fn decode_line(b: &[u8]) -> (u32, Vec<u32>) {
    let mut nums = unpack(b);
    if nums.is_empty() {
        return (0, nums);
    }
    let count = nums.remove(0);
    (count, nums)
}

fn encode_line(count: u32, holders: &[u32]) -> Vec<u8> {
    let mut row = pack(&[count]);
    row.extend(pack(holders));
    row
}

/// A document's line keys: `(key, prose)` pairs, as
/// [`stemma_extract::line_keys`] gives them.
pub(crate) type Keys = Vec<(u64, bool)>;

/// One document's recurrence votes: line key -> (unrelated, related)
/// other holders, as [`stemma_extract::extract_with_votes`] reads them.
pub(crate) type Votes = HashMap<u64, (u32, u32)>;

/// A document's row: the number of prose keys, then the prose keys, then
/// the other keys (little-endian u64s after a u32).
fn encode_doc(keys: &[(u64, bool)]) -> Vec<u8> {
    let prose: Vec<u64> = keys.iter().filter(|k| k.1).map(|k| k.0).collect();
    let mut row = (prose.len() as u32).to_le_bytes().to_vec();
    for k in prose
        .iter()
        .chain(keys.iter().filter(|k| !k.1).map(|k| &k.0))
    {
        row.extend(k.to_le_bytes());
    }
    row
}

fn decode_doc(b: &[u8]) -> Keys {
    let Some((n, rest)) = b.split_first_chunk::<4>() else {
        return Vec::new();
    };
    let n = u32::from_le_bytes(*n) as usize;
    rest.chunks_exact(8)
        .enumerate()
        .map(|(i, c)| {
            let k = u64::from_le_bytes(c.try_into().expect("8 bytes"));
            (k, i < n)
        })
        .collect()
}

/// The recurrence votes of each document of a batch (its `keys`, in batch
/// order) among the stored documents' lines and the batch's own: those of
/// [`stemma_extract::extract_corpus`] over the stored pages followed by
/// the batch. `stale` are the stored numbers of documents the batch
/// replaces: their old lines do not count.
pub(crate) fn votes(
    ov: &mut Overlay<'_>,
    keys: &[Keys],
    stale: &HashSet<u32>,
) -> Result<Vec<Votes>, StoreError> {
    let mut all: Vec<u64> = keys.iter().flatten().map(|k| k.0).collect();
    all.sort_unstable();
    all.dedup();
    let rows = ov.get_many(IndexTable::Line, &all)?;
    let mut stored: HashMap<u64, Vec<u32>> = HashMap::new();
    for (k, row) in all.iter().zip(rows) {
        let Some(row) = row else { continue };
        let (_, mut holders) = decode_line(&row);
        holders.retain(|n| !stale.contains(n));
        if !holders.is_empty() {
            stored.insert(*k, holders);
        }
    }
    let mut nums: Vec<u32> = stored.values().flatten().copied().collect();
    nums.sort_unstable();
    nums.dedup();
    let docs = ov.get_many(
        IndexTable::DocLines,
        &nums.iter().map(|&n| u64::from(n)).collect::<Vec<_>>(),
    )?;
    let stored_prose: HashMap<u32, Vec<u64>> = nums
        .iter()
        .zip(docs)
        .map(|(&n, row)| {
            (
                n,
                row.map(|r| prose_keys(&decode_doc(&r))).unwrap_or_default(),
            )
        })
        .collect();
    let batch_prose: Vec<Vec<u64>> = keys.iter().map(|k| prose_keys(k)).collect();
    // The batch's holders of each line, in batch order.
    let mut in_batch: HashMap<u64, Vec<usize>> = HashMap::new();
    for (i, ks) in keys.iter().enumerate() {
        for (k, _) in ks {
            in_batch.entry(*k).or_default().push(i);
        }
    }
    let out = keys
        .iter()
        .enumerate()
        .map(|(i, ks)| {
            let holders = ks.iter().map(|(k, _)| {
                let from_store = stored
                    .get(k)
                    .into_iter()
                    .flatten()
                    .map(|n| Some(stored_prose[n].as_slice()));
                let from_batch = in_batch[k]
                    .iter()
                    .map(|&j| (j != i).then(|| batch_prose[j].as_slice()));
                (*k, from_store.chain(from_batch).collect())
            });
            votes_of(&batch_prose[i], holders)
        })
        .collect();
    Ok(out)
}

/// Files document `num`'s lines (`keys`), first taking its earlier lines
/// (when it replaces a stored version) out of the line rows.
pub(crate) fn file(ov: &mut Overlay<'_>, num: u32, keys: &[(u64, bool)]) -> Result<(), StoreError> {
    let old = ov
        .get(IndexTable::DocLines, u64::from(num))?
        .map(|r| decode_doc(&r))
        .unwrap_or_default();
    let mut touched: Vec<u64> = old.iter().chain(keys).map(|k| k.0).collect();
    touched.sort_unstable();
    touched.dedup();
    let rows = ov.get_many(IndexTable::Line, &touched)?;
    let new: HashSet<u64> = keys.iter().map(|k| k.0).collect();
    let was: HashSet<u64> = old.iter().map(|k| k.0).collect();
    for (k, row) in touched.into_iter().zip(rows) {
        let (mut count, mut holders) = row.as_deref().map(decode_line).unwrap_or_default();
        match (was.contains(&k), new.contains(&k)) {
            (true, false) => {
                count = count.saturating_sub(1);
                holders.retain(|&n| n != num);
            }
            (false, true) => {
                count += 1;
                if holders.len() < RECURRENCE_HOLDERS {
                    holders.push(num);
                }
            }
            _ => continue,
        }
        let row = (count > 0).then(|| encode_line(count, &holders));
        ov.put(IndexTable::Line, k, row);
    }
    ov.put(IndexTable::DocLines, u64::from(num), Some(encode_doc(keys)));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_round_trip() {
        let keys = vec![(7, false), (3, true), (9, true), (1, false)];
        let back = decode_doc(&encode_doc(&keys));
        let mut want = keys.clone();
        want.sort_by_key(|k| !k.1);
        assert_eq!(back, want);
        assert_eq!(
            decode_line(&encode_line(40, &[1, 5, 9])),
            (40, vec![1, 5, 9])
        );
        assert_eq!(decode_doc(&[]), Vec::new());
    }
}
