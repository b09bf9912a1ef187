//! Line recurrence across ingests: which documents hold each line, so that
//! a page ingested on its own still loses the lines its site repeats on
//! every page (a donation appeal, a newsletter prompt), as when the pages
//! are extracted together, and a stored page loses such a line once later
//! pages show it to recur.
//!
//! Two index tables: [`IndexTable::Line`] (a line's [`recurrence_key`]
//! -> how many stored documents hold it and the numbers of its first
//! [`RECURRENCE_HOLDERS`]) and [`IndexTable::DocLines`] (a document's
//! number -> its line keys, as its page read before recurrence, each with
//! whether it is prose and whether its article kept the line). The votes
//! they give are those of [`stemma_extract::extract_corpus`] over the
//! stored documents followed by the batch, for the documents that filed
//! their lines (stores written before these tables existed hold none for
//! their earlier documents).
//!
//! [`recurrence_key`]: stemma_extract::recurrence_key

use std::collections::{HashMap, HashSet};

use stemma_extract::{RECURRENCE_HOLDERS, prose_keys, votes_of};

use crate::cindex::{Overlay, pack, unpack};
use crate::{IndexTable, StoreError};

/// A document's line keys: `(key, prose)` pairs, as
/// [`stemma_extract::line_keys`] gives them.
pub(crate) type Keys = Vec<(u64, bool)>;

/// One document's recurrence votes: line key -> (unrelated, related)
/// other holders, as [`stemma_extract::extract_with_votes`] reads them.
pub(crate) type Votes = HashMap<u64, (u32, u32)>;

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

/// What a document filed: its line keys and the keys its article kept.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct DocRow {
    pub(crate) keys: Keys,
    pub(crate) kept: HashSet<u64>,
}

/// A document's row: the number of keys, then per key its u64, then one
/// flag byte per key (1: prose, 2: kept in the article).
fn encode_doc(keys: &[(u64, bool)], kept: &HashSet<u64>) -> Vec<u8> {
    let mut row = (keys.len() as u32).to_le_bytes().to_vec();
    for (k, _) in keys {
        row.extend(k.to_le_bytes());
    }
    row.extend(
        keys.iter()
            .map(|(k, prose)| u8::from(*prose) | (u8::from(kept.contains(k)) << 1)),
    );
    row
}

fn decode_doc(b: &[u8]) -> DocRow {
    let Some((n, rest)) = b.split_first_chunk::<4>() else {
        return DocRow::default();
    };
    let n = u32::from_le_bytes(*n) as usize;
    let (Some(keys), Some(flags)) = (rest.get(..n * 8), rest.get(n * 8..n * 9)) else {
        return DocRow::default();
    };
    let mut row = DocRow::default();
    for (c, f) in keys.chunks_exact(8).zip(flags) {
        let k = u64::from_le_bytes(c.try_into().expect("8 bytes"));
        row.keys.push((k, f & 1 != 0));
        if f & 2 != 0 {
            row.kept.insert(k);
        }
    }
    row
}

/// The line holders a batch meets: the stored holders of its lines and
/// the batch's own, read once for the batch's votes and for the stored
/// pages it shows to repeat a line.
pub(crate) struct Holders<'k> {
    keys: &'k [Keys],
    /// Stored holders (not replaced by the batch) of each batch line.
    stored: HashMap<u64, Vec<u32>>,
    /// What those holders filed.
    rows: HashMap<u32, DocRow>,
    /// Their prose keys, sorted.
    prose: HashMap<u32, Vec<u64>>,
    /// The batch's holders of each line, in batch order.
    in_batch: HashMap<u64, Vec<usize>>,
    batch_prose: Vec<Vec<u64>>,
}

impl<'k> Holders<'k> {
    /// Reads the holders of the lines of a batch (`keys`, in batch order).
    /// `stale` are the stored numbers of documents the batch replaces:
    /// their old lines do not count.
    pub(crate) fn read(
        ov: &mut Overlay<'_>,
        keys: &'k [Keys],
        stale: &HashSet<u32>,
    ) -> Result<Holders<'k>, StoreError> {
        let mut all: Vec<u64> = keys.iter().flatten().map(|k| k.0).collect();
        all.sort_unstable();
        all.dedup();
        let got = ov.get_many(IndexTable::Line, &all)?;
        let mut stored: HashMap<u64, Vec<u32>> = HashMap::new();
        for (k, row) in all.iter().zip(got) {
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
        let wide: Vec<u64> = nums.iter().map(|&n| u64::from(n)).collect();
        let rows: HashMap<u32, DocRow> = nums
            .iter()
            .zip(ov.get_many(IndexTable::DocLines, &wide)?)
            .map(|(&n, r)| (n, r.map(|r| decode_doc(&r)).unwrap_or_default()))
            .collect();
        let prose = rows
            .iter()
            .map(|(&n, r)| (n, prose_keys(&r.keys)))
            .collect();
        let mut in_batch: HashMap<u64, Vec<usize>> = HashMap::new();
        for (i, ks) in keys.iter().enumerate() {
            for (k, _) in ks {
                in_batch.entry(*k).or_default().push(i);
            }
        }
        Ok(Holders {
            keys,
            stored,
            rows,
            prose,
            in_batch,
            batch_prose: keys.iter().map(|k| prose_keys(k)).collect(),
        })
    }

    /// The recurrence votes of each document of the batch among the stored
    /// documents' lines and the batch's own: those of
    /// [`stemma_extract::extract_corpus`] over the stored pages followed
    /// by the batch.
    pub(crate) fn votes(&self) -> Vec<Votes> {
        self.keys
            .iter()
            .enumerate()
            .map(|(i, ks)| {
                let holders = ks.iter().map(|(k, _)| {
                    let from_store = self
                        .stored
                        .get(k)
                        .into_iter()
                        .flatten()
                        .map(|n| Some(self.prose[n].as_slice()));
                    let from_batch = self.in_batch[k]
                        .iter()
                        .map(|&j| (j != i).then(|| self.batch_prose[j].as_slice()));
                    (*k, from_store.chain(from_batch).collect())
                });
                votes_of(&self.batch_prose[i], holders)
            })
            .collect()
    }

    /// Stored documents that kept a line which the batch's documents
    /// marked in `stored_batch` (those being stored) now show to recur:
    /// each with its number, what it filed, and its new votes on those
    /// lines (for [`stemma_extract::drop_voted`]). Only lines among whose
    /// first holders the batch has a page are read again; only votes that
    /// can make a line boilerplate (two unrelated holders or more) count.
    pub(crate) fn newly_recurring(&self, stored_batch: &[bool]) -> Vec<(u32, &DocRow, Votes)> {
        let mut out: HashMap<u32, Votes> = HashMap::new();
        for (k, stored) in &self.stored {
            let batch: Vec<usize> = self.in_batch[k]
                .iter()
                .copied()
                .filter(|&j| stored_batch.get(j).copied().unwrap_or(false))
                .collect();
            if batch.is_empty() || stored.len() >= RECURRENCE_HOLDERS {
                continue;
            }
            for &h in stored {
                let row = &self.rows[&h];
                if !row.kept.contains(k) {
                    continue;
                }
                let list: Vec<Option<&[u64]>> = std::iter::once(None)
                    .chain(
                        stored
                            .iter()
                            .filter(|&&o| o != h)
                            .map(|o| Some(self.prose[o].as_slice())),
                    )
                    .chain(batch.iter().map(|&j| Some(self.batch_prose[j].as_slice())))
                    .collect();
                let Some(&(u, r)) = votes_of(&self.prose[&h], [(*k, list)]).get(k) else {
                    continue;
                };
                let prose = row.keys.iter().any(|&(x, p)| x == *k && p);
                if u >= 2 && (r == 0 || (!prose && u >= r)) {
                    out.entry(h).or_default().insert(*k, (u, r));
                }
            }
        }
        let mut out: Vec<(u32, &DocRow, Votes)> = out
            .into_iter()
            .map(|(h, v)| (h, &self.rows[&h], v))
            .collect();
        out.sort_unstable_by_key(|x| x.0);
        out
    }
}

/// Files document `num`'s lines (`keys`, of which its article kept
/// `kept`), first taking its earlier lines (when it replaces a stored
/// version) out of the line rows.
pub(crate) fn file(
    ov: &mut Overlay<'_>,
    num: u32,
    keys: &[(u64, bool)],
    kept: &HashSet<u64>,
) -> Result<(), StoreError> {
    let old = ov
        .get(IndexTable::DocLines, u64::from(num))?
        .map(|r| decode_doc(&r))
        .unwrap_or_default();
    let mut touched: Vec<u64> = old.keys.iter().chain(keys).map(|k| k.0).collect();
    touched.sort_unstable();
    touched.dedup();
    let rows = ov.get_many(IndexTable::Line, &touched)?;
    let new: HashSet<u64> = keys.iter().map(|k| k.0).collect();
    let was: HashSet<u64> = old.keys.iter().map(|k| k.0).collect();
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
    ov.put(
        IndexTable::DocLines,
        u64::from(num),
        Some(encode_doc(keys, kept)),
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_round_trip() {
        let keys = vec![(7, false), (3, true), (9, true), (1, false)];
        let kept: HashSet<u64> = [3, 1].into();
        let back = decode_doc(&encode_doc(&keys, &kept));
        assert_eq!(back, DocRow { keys, kept });
        assert_eq!(
            decode_line(&encode_line(40, &[1, 5, 9])),
            (40, vec![1, 5, 9])
        );
        assert_eq!(decode_doc(&[]), DocRow::default());
        assert_eq!(decode_doc(&[2, 0, 0, 0, 1]), DocRow::default());
    }
}
