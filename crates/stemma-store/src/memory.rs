use std::collections::BTreeMap;
use std::sync::{RwLock, RwLockReadGuard};

use stemma_core::{Article, Comparison, IndependentLink, Relation, Story, UnseenSource};

use crate::{
    Batch, Counts, GENERATION, IndexTable, Link, Op, Store, StoreError, StoredDoc, natural_key,
};

#[derive(Debug, Default, Clone)]
struct Tables {
    documents: BTreeMap<String, StoredDoc>,
    articles: BTreeMap<String, Article>,
    /// Keyed by (derivative, source).
    relations: BTreeMap<(String, String), Relation>,
    stories: BTreeMap<String, Story>,
    independent: BTreeMap<(String, String), IndependentLink>,
    unseen: BTreeMap<String, UnseenSource>,
    state: BTreeMap<String, Vec<u8>>,
    comparisons: BTreeMap<(String, String), Comparison>,
    counters: BTreeMap<String, u64>,
    index: BTreeMap<(IndexTable, u64), Vec<u8>>,
    doc_num: BTreeMap<String, u32>,
}

/// A [`Store`] held in memory: for tests and one-shot runs. Commits are
/// atomic with respect to readers (one lock), and nothing survives the process.
#[derive(Debug, Default)]
pub struct MemoryStore {
    tables: RwLock<Tables>,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> MemoryStore {
        MemoryStore::default()
    }

    /// The keys of every incremental-index row, in order (to compare
    /// another store's rows with these, row by row).
    pub fn index_keys(&self) -> Vec<(IndexTable, u64)> {
        self.read().index.keys().copied().collect()
    }

    fn read(&self) -> RwLockReadGuard<'_, Tables> {
        // A panic while holding the lock cannot leave a half-applied batch
        // (batches are applied to a copy), so a poisoned lock is still sound.
        self.tables.read().unwrap_or_else(|p| p.into_inner())
    }
}

impl Store for MemoryStore {
    fn document(&self, id: &str) -> Result<Option<StoredDoc>, StoreError> {
        Ok(self.read().documents.get(id).cloned())
    }

    fn documents(&self) -> Result<Vec<StoredDoc>, StoreError> {
        Ok(self.read().documents.values().cloned().collect())
    }

    fn documents_after(&self, after: &str, limit: usize) -> Result<Vec<StoredDoc>, StoreError> {
        use std::ops::Bound;
        Ok(self
            .read()
            .documents
            .range::<str, _>((Bound::Excluded(after), Bound::Unbounded))
            .take(limit)
            .map(|(_, d)| d.clone())
            .collect())
    }

    fn article(&self, id: &str) -> Result<Option<Article>, StoreError> {
        Ok(self.read().articles.get(id).cloned())
    }

    fn articles(&self) -> Result<Vec<Article>, StoreError> {
        Ok(self.read().articles.values().cloned().collect())
    }

    fn relation(&self, derivative: &str, source: &str) -> Result<Option<Relation>, StoreError> {
        Ok(self
            .read()
            .relations
            .get(&(derivative.to_string(), source.to_string()))
            .cloned())
    }

    fn relations(&self) -> Result<Vec<Relation>, StoreError> {
        Ok(self.read().relations.values().cloned().collect())
    }

    fn relations_of(&self, id: &str) -> Result<Vec<Relation>, StoreError> {
        let t = self.read();
        let mut out: Vec<Relation> = t
            .relations
            .values()
            .filter(|r| r.derivative == id)
            .cloned()
            .collect();
        let mut from: Vec<&Relation> = t.relations.values().filter(|r| r.source == id).collect();
        from.sort_by(|a, b| a.derivative.cmp(&b.derivative));
        out.extend(from.into_iter().cloned());
        Ok(out)
    }

    fn story(&self, id: &str) -> Result<Option<Story>, StoreError> {
        Ok(self.read().stories.get(id).cloned())
    }

    fn stories(&self) -> Result<Vec<Story>, StoreError> {
        let mut v: Vec<Story> = self.read().stories.values().cloned().collect();
        v.sort_by_key(|s| natural_key(&s.id));
        Ok(v)
    }

    fn story_of(&self, doc: &str) -> Result<Option<String>, StoreError> {
        let t = self.read();
        let mut ids: Vec<&String> = t
            .stories
            .values()
            .filter(|s| s.documents.iter().any(|d| d == doc))
            .map(|s| &s.id)
            .collect();
        ids.sort_by_key(|s| natural_key(s));
        Ok(ids.first().map(|s| s.to_string()))
    }

    fn independent(&self) -> Result<Vec<IndependentLink>, StoreError> {
        Ok(self.read().independent.values().cloned().collect())
    }

    fn unseen_sources(&self) -> Result<Vec<UnseenSource>, StoreError> {
        let mut v: Vec<UnseenSource> = self.read().unseen.values().cloned().collect();
        v.sort_by_key(|u| natural_key(&u.id));
        Ok(v)
    }

    fn unseen_source(&self, id: &str) -> Result<Option<UnseenSource>, StoreError> {
        Ok(self.read().unseen.get(id).cloned())
    }

    fn state(&self, key: &str) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(self.read().state.get(key).cloned())
    }

    fn counter(&self, name: &str) -> Result<u64, StoreError> {
        Ok(self.read().counters.get(name).copied().unwrap_or(0))
    }

    fn comparison(&self, a: &str, b: &str) -> Result<Option<Comparison>, StoreError> {
        Ok(self
            .read()
            .comparisons
            .get(&(a.to_string(), b.to_string()))
            .cloned())
    }

    fn counts(&self) -> Result<Counts, StoreError> {
        let t = self.read();
        Ok(Counts {
            documents: t.documents.len(),
            relations: t.relations.len(),
            stories: t.stories.len(),
            unseen_sources: t.unseen.len(),
        })
    }

    fn index_rows(
        &self,
        table: IndexTable,
        keys: &[u64],
    ) -> Result<Vec<Option<Vec<u8>>>, StoreError> {
        let t = self.read();
        Ok(keys
            .iter()
            .map(|&k| t.index.get(&(table, k)).cloned())
            .collect())
    }

    fn doc_num(&self, id: &str) -> Result<Option<u32>, StoreError> {
        Ok(self.read().doc_num.get(id).copied())
    }

    fn compared_with(&self, id: &str) -> Result<Vec<Link>, StoreError> {
        let t = self.read();
        let mut out: Vec<Link> = Vec::new();
        for c in t.comparisons.values() {
            let derivation = c.kind.is_derivation();
            if c.a == id {
                out.push(Link {
                    other: c.b.clone(),
                    derivation,
                    forward: true,
                });
            } else if c.b == id {
                out.push(Link {
                    other: c.a.clone(),
                    derivation,
                    forward: false,
                });
            }
        }
        // One entry per other document, as in the redb store (the forward
        // one, stored last, wins there).
        out.sort_by(|x, y| x.other.cmp(&y.other).then(y.forward.cmp(&x.forward)));
        out.dedup_by(|b, a| a.other == b.other);
        Ok(out)
    }

    fn commit(&self, batch: Batch) -> Result<u64, StoreError> {
        let mut guard = self.tables.write().unwrap_or_else(|p| p.into_inner());
        let found = guard.counters.get(GENERATION).copied().unwrap_or(0);
        if let Some(expected) = batch.expect_generation
            && expected != found
        {
            return Err(StoreError::Conflict { expected, found });
        }
        // Apply to a copy and swap it in, so that a panic half-way leaves the
        // old state (the same all-or-nothing promise the redb store makes).
        let mut t = guard.clone();
        for op in batch.ops {
            apply(&mut t, op);
        }
        let generation = found + 1;
        t.counters.insert(GENERATION.to_string(), generation);
        *guard = t;
        Ok(generation)
    }
}

fn apply(t: &mut Tables, op: Op) {
    match op {
        Op::PutDocument(d) => {
            t.documents.insert(d.id.clone(), d);
        }
        Op::PutArticle(a) => {
            t.articles.insert(a.id.clone(), a);
        }
        Op::DeleteDocument(id) => {
            t.documents.remove(&id);
            t.articles.remove(&id);
            t.doc_num.remove(&id);
        }
        Op::PutRelation(r) => {
            t.relations
                .insert((r.derivative.clone(), r.source.clone()), r);
        }
        Op::DeleteRelation { derivative, source } => {
            t.relations.remove(&(derivative, source));
        }
        Op::PutStory(s) => {
            t.stories.insert(s.id.clone(), s);
        }
        Op::DeleteStory(id) => {
            t.stories.remove(&id);
        }
        Op::PutIndependent(l) => {
            t.independent.insert((l.a.clone(), l.b.clone()), l);
        }
        Op::DeleteIndependent { a, b } => {
            t.independent.remove(&(a, b));
        }
        Op::PutUnseen(u) => {
            t.unseen.insert(u.id.clone(), u);
        }
        Op::DeleteUnseen(id) => {
            t.unseen.remove(&id);
        }
        Op::PutState(k, v) => {
            t.state.insert(k, v);
        }
        Op::DeleteState(k) => {
            t.state.remove(&k);
        }
        Op::PutComparison(c) => {
            t.comparisons.insert((c.a.clone(), c.b.clone()), c);
        }
        Op::PutCounter(k, v) => {
            t.counters.insert(k, v);
        }
        Op::PutIndex { table, key, value } => {
            t.index.insert((table, key), value);
        }
        Op::DeleteIndex { table, key } => {
            t.index.remove(&(table, key));
        }
        Op::PutDocNum { id, num } => {
            t.doc_num.insert(id, num);
        }
        Op::DeleteComparisonsOf(id) => {
            t.comparisons.retain(|(a, b), _| *a != id && *b != id);
        }
        Op::AddStoryMembers {
            story,
            documents,
            title,
        } => {
            let moving: std::collections::HashSet<&String> = documents.iter().collect();
            t.stories.retain(|sid, s| {
                if *sid != story {
                    s.documents.retain(|d| !moving.contains(d));
                }
                !s.documents.is_empty() || *sid == story
            });
            let s = t.stories.entry(story.clone()).or_insert_with(|| Story {
                id: story,
                documents: Vec::new(),
                title,
            });
            for d in documents {
                if let Err(pos) = s.documents.binary_search(&d) {
                    s.documents.insert(pos, d);
                }
            }
        }
    }
}
