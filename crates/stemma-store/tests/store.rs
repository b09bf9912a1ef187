//! One set of behaviour tests, run against every `Store` implementation
//! through the trait object, plus redb-only checks (reopen, read-only).
use stemma_core::{Body, IndependentLink, RawDoc, Relation, RelationKind, Story, UnseenSource};
use stemma_store::ingest::ingest;
use stemma_store::{Batch, MemoryStore, Op, RedbStore, Store, StoreError, report, search};

fn cfg() -> stemma_pipeline::Config {
    stemma_pipeline::Config::default()
}

fn doc(id: &str, text: &str) -> RawDoc {
    RawDoc {
        id: id.into(),
        url: Some(format!("https://news.example/{id}")),
        published: None,
        origin: format!("{id}.txt"),
        body: Body::Text(text.into()),
    }
}

const FERRY: &str = "Ferry service resumes after storm\n\
The island ferry returned to service on Thursday after three days of gales kept it in port. \
Harbour officials said the first crossing left at seven in the morning with forty passengers aboard. \
The operator apologised for the disruption and promised extra sailings over the weekend.";
const BAKERY: &str = "Village bakery wins regional prize\n\
A small bakery on the market square has won the regional bread award for its rye loaf. \
The owner said the recipe came from her grandmother and uses a starter kept alive for decades. \
Judges praised the crust and the deep flavour of the crumb.";
const COMET: &str = "Amateur astronomers spot a faint comet\n\
Two amateur astronomers photographed a faint comet low in the western sky on Tuesday night. \
The comet should brighten over the coming fortnight and may become visible with binoculars. \
The local observatory will open its dome to the public on Saturday.";

/// Every store under test, each fresh. The tempdir lives as long as the store.
fn stores() -> Vec<(&'static str, Box<dyn Store>, Option<tempfile::TempDir>)> {
    let dir = tempfile::tempdir().unwrap();
    let redb = RedbStore::open(dir.path().join("stemma.db")).unwrap();
    vec![
        ("memory", Box::new(MemoryStore::new()), None),
        ("redb", Box::new(redb), Some(dir)),
    ]
}

/// Runs `body` against each store implementation.
fn each(body: impl Fn(&dyn Store)) {
    for (name, store, _dir) in stores() {
        eprintln!("store: {name}");
        body(store.as_ref());
    }
}

fn every_doc_in_one_story(store: &dyn Store) {
    let r = report(store).unwrap();
    for d in &r.documents {
        let n = r
            .stories
            .iter()
            .filter(|s| s.documents.contains(&d.id))
            .count();
        assert_eq!(n, 1, "document {} is in {n} stories", d.id);
        assert_eq!(
            store.story_of(&d.id).unwrap(),
            d.story,
            "story_of({})",
            d.id
        );
    }
}

#[test]
fn reingest_is_a_no_op() {
    each(|store| {
        let batch = vec![
            doc("ferry", FERRY),
            doc("bakery", BAKERY),
            doc("comet", COMET),
        ];
        let first = ingest(store, batch.clone(), &cfg()).unwrap();
        assert_eq!((first.added, first.skipped, first.replaced), (3, 0, 0));
        assert!(first.errors.is_empty(), "{:?}", first.errors);
        let generation = store.generation().unwrap();
        let before = report(store).unwrap();

        let again = ingest(store, batch, &cfg()).unwrap();
        assert_eq!((again.added, again.skipped, again.replaced), (0, 3, 0));
        assert_eq!(
            store.generation().unwrap(),
            generation,
            "a no-op must not commit"
        );
        assert_eq!(report(store).unwrap(), before);
        every_doc_in_one_story(store);
    });
}

#[test]
fn changed_content_replaces_the_document() {
    each(|store| {
        ingest(
            store,
            vec![doc("ferry", FERRY), doc("comet", COMET)],
            &cfg(),
        )
        .unwrap();
        let story = store.story_of("ferry").unwrap();
        let out = ingest(store, vec![doc("ferry", BAKERY)], &cfg()).unwrap();
        assert_eq!((out.added, out.skipped, out.replaced), (0, 0, 1));
        let art = store.article("ferry").unwrap().unwrap();
        assert!(art.text.contains("rye loaf"), "{}", art.text);
        assert_eq!(store.counts().unwrap().documents, 2);
        assert_eq!(
            store.story_of("ferry").unwrap(),
            story,
            "story ids stay stable"
        );
        every_doc_in_one_story(store);
    });
}

#[test]
fn bad_documents_never_lose_what_was_stored() {
    each(|store| {
        ingest(
            store,
            vec![doc("ferry", FERRY), doc("bakery", BAKERY)],
            &cfg(),
        )
        .unwrap();
        let before = report(store).unwrap();
        let generation = store.generation().unwrap();

        // Only bad documents: nothing committed.
        let out = ingest(
            store,
            vec![doc("empty", ""), doc("blank", "  \n\t "), doc("", COMET)],
            &cfg(),
        )
        .unwrap();
        assert_eq!(out.added, 0);
        assert_eq!(out.errors.len(), 3, "{:?}", out.errors);
        assert!(
            out.errors
                .iter()
                .any(|e| e.id == "empty" && e.reason.contains("empty body"))
        );
        assert_eq!(store.generation().unwrap(), generation);
        assert_eq!(report(store).unwrap(), before);

        // An empty body replacing a stored document is refused, the old kept.
        let out = ingest(store, vec![doc("ferry", ""), doc("comet", COMET)], &cfg()).unwrap();
        assert_eq!((out.added, out.replaced, out.errors.len()), (1, 0, 1));
        assert!(
            store
                .article("ferry")
                .unwrap()
                .unwrap()
                .text
                .contains("ferry")
        );
        assert!(store.article("bakery").unwrap().is_some());
        assert!(store.article("comet").unwrap().is_some());
        assert!(store.document("empty").unwrap().is_none());
        every_doc_in_one_story(store);
    });
}

#[test]
fn duplicate_ids_in_a_batch_keep_the_last_copy() {
    each(|store| {
        let out = ingest(store, vec![doc("x", FERRY), doc("x", COMET)], &cfg()).unwrap();
        assert_eq!(out.added, 1);
        assert_eq!(out.errors.len(), 1);
        assert!(store.article("x").unwrap().unwrap().text.contains("comet"));
    });
}

#[test]
fn copies_are_related_and_share_a_story() {
    each(|store| {
        ingest(
            store,
            vec![doc("ferry", FERRY), doc("bakery", BAKERY)],
            &cfg(),
        )
        .unwrap();
        // A later batch brings a verbatim copy of a stored article.
        let out = ingest(store, vec![doc("ferry-copy", FERRY)], &cfg()).unwrap();
        assert_eq!(out.added, 1);
        let rels = store.relations_of("ferry-copy").unwrap();
        assert!(
            rels.iter().any(|r| r.kind == RelationKind::Verbatim
                && [&r.source, &r.derivative].contains(&&"ferry".to_string())),
            "{rels:?}"
        );
        let from_ferry = store.relations_of("ferry").unwrap();
        assert_eq!(from_ferry.len(), rels.len());
        let r = &rels[0];
        assert_eq!(
            store.relation(&r.derivative, &r.source).unwrap().as_ref(),
            Some(r)
        );
        assert_eq!(
            store.story_of("ferry").unwrap(),
            store.story_of("ferry-copy").unwrap()
        );
        assert_ne!(
            store.story_of("ferry").unwrap(),
            store.story_of("bakery").unwrap()
        );
        assert_eq!(
            report(store).unwrap().relations.len(),
            store.counts().unwrap().relations
        );
        let sid = store.story_of("ferry").unwrap().unwrap();
        let g = stemma_store::story_graph(store, &sid).unwrap().unwrap();
        assert_eq!(g.documents.len(), 2);
        assert_eq!(g.relations.len(), rels.len());
        assert!(stemma_store::story_graph(store, "s999").unwrap().is_none());
        every_doc_in_one_story(store);
    });
}

#[test]
fn story_ids_are_stable_across_batches() {
    each(|store| {
        ingest(store, vec![doc("ferry", FERRY)], &cfg()).unwrap();
        let ferry = store.story_of("ferry").unwrap().unwrap();
        ingest(
            store,
            vec![doc("bakery", BAKERY), doc("comet", COMET)],
            &cfg(),
        )
        .unwrap();
        assert_eq!(store.story_of("ferry").unwrap().unwrap(), ferry);
        let ids: Vec<String> = store.stories().unwrap().into_iter().map(|s| s.id).collect();
        let mut unique = ids.clone();
        unique.dedup();
        assert_eq!(ids, unique);
        assert_eq!(ids.len(), 3);
    });
}

#[test]
fn search_matches_words_in_titles_and_texts() {
    each(|store| {
        ingest(
            store,
            vec![
                doc("ferry", FERRY),
                doc("bakery", BAKERY),
                doc("comet", COMET),
            ],
            &cfg(),
        )
        .unwrap();
        let hits = search(store, "COMET binoculars", 10).unwrap();
        assert_eq!(
            hits.iter().map(|h| h.id.as_str()).collect::<Vec<_>>(),
            ["comet"]
        );
        let art = store.article("comet").unwrap().unwrap();
        let span = hits[0].span.unwrap();
        assert_eq!(span.slice(&art.text).unwrap().to_ascii_lowercase(), "comet");
        assert_eq!(search(store, "the", 2).unwrap().len(), 2);
        assert!(search(store, "  ", 10).unwrap().is_empty());
        assert!(search(store, "zeppelin", 10).unwrap().is_empty());
    });
}

#[test]
fn batches_apply_all_ops_and_check_the_generation() {
    each(|store| {
        let g0 = store.generation().unwrap();
        let mut b = Batch::new();
        b.push(Op::PutState("candidates".into(), vec![1, 2, 3]))
            .push(Op::PutStory(Story {
                id: "s1".into(),
                documents: vec!["a".into(), "b".into()],
                title: None,
            }))
            .push(Op::PutStory(Story {
                id: "s2".into(),
                documents: vec!["c".into()],
                title: None,
            }))
            .push(Op::PutRelation(Relation {
                source: "unseen:1".into(),
                derivative: "a".into(),
                kind: RelationKind::Spun,
                confidence: 0.75,
                evidence: vec![],
                drift: vec![],
            }))
            .push(Op::PutUnseen(UnseenSource {
                id: "unseen:1".into(),
                derivatives: vec!["a".into()],
                cited: Some("bbc.com".into()),
            }))
            .push(Op::PutIndependent(IndependentLink {
                a: "a".into(),
                b: "c".into(),
                similarity: 0.4,
            }))
            .push(Op::PutCounter("story_seq".into(), 3));
        let g1 = store.commit(b).unwrap();
        assert_eq!(g1, g0 + 1);
        assert_eq!(store.state("candidates").unwrap(), Some(vec![1, 2, 3]));
        assert_eq!(store.story_of("b").unwrap().as_deref(), Some("s1"));
        assert_eq!(store.relations_of("unseen:1").unwrap().len(), 1);
        assert_eq!(store.relations_of("a").unwrap().len(), 1);
        assert_eq!(
            store.unseen_sources().unwrap()[0].cited.as_deref(),
            Some("bbc.com")
        );
        assert_eq!(store.independent().unwrap().len(), 1);
        assert_eq!(store.counter("story_seq").unwrap(), 3);

        // Moving "b" to s2 and shrinking s1, in either order.
        let mut b = Batch {
            expect_generation: Some(g1),
            ..Batch::new()
        };
        b.push(Op::PutStory(Story {
            id: "s2".into(),
            documents: vec!["c".into(), "b".into()],
            title: None,
        }))
        .push(Op::PutStory(Story {
            id: "s1".into(),
            documents: vec!["a".into()],
            title: None,
        }))
        .push(Op::DeleteRelation {
            derivative: "a".into(),
            source: "unseen:1".into(),
        })
        .push(Op::DeleteState("candidates".into()));
        store.commit(b).unwrap();
        assert_eq!(store.story_of("b").unwrap().as_deref(), Some("s2"));
        assert_eq!(store.story_of("a").unwrap().as_deref(), Some("s1"));
        assert!(store.relations_of("unseen:1").unwrap().is_empty());
        assert!(store.state("candidates").unwrap().is_none());
        store
            .commit(Batch {
                ops: vec![Op::DeleteStory("s1".into())],
                expect_generation: None,
            })
            .unwrap();
        assert_eq!(store.story_of("a").unwrap(), None);

        // A stale generation is refused and changes nothing.
        let stale = Batch {
            ops: vec![Op::DeleteStory("s2".into())],
            expect_generation: Some(g1),
        };
        assert!(matches!(
            store.commit(stale),
            Err(StoreError::Conflict { .. })
        ));
        assert!(store.story("s2").unwrap().is_some());
    });
}

#[test]
fn redb_store_survives_reopen_and_opens_read_only() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("stemma.db");
    {
        let store = RedbStore::open(&path).unwrap();
        ingest(
            &store,
            vec![
                doc("ferry", FERRY),
                doc("ferry-copy", FERRY),
                doc("comet", COMET),
            ],
            &cfg(),
        )
        .unwrap();
    }
    let expected = {
        let store = RedbStore::open(&path).unwrap();
        assert_eq!(store.counts().unwrap().documents, 3);
        let out = ingest(&store, vec![doc("comet", COMET)], &cfg()).unwrap();
        assert_eq!(out.skipped, 1, "hashes persist across reopen");
        report(&store).unwrap()
    };
    let mut perms = std::fs::metadata(&path).unwrap().permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(&path, perms).unwrap();

    let store = RedbStore::open_read_only(&path).unwrap();
    assert!(store.is_read_only());
    assert_eq!(report(&store).unwrap(), expected);
    assert!(store.article("ferry").unwrap().is_some());
    assert_eq!(search(&store, "comet", 5).unwrap().len(), 1);
    assert!(!store.relations_of("ferry").unwrap().is_empty());
    let err = ingest(&store, vec![doc("bakery", BAKERY)], &cfg()).unwrap_err();
    assert!(matches!(err, StoreError::ReadOnly { .. }), "{err}");
    assert!(err.to_string().contains("stemma.db"), "{err}");
    assert!(store.article("bakery").unwrap().is_none());
}

#[test]
fn redb_store_refuses_a_file_that_is_not_a_store() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.txt");
    std::fs::write(
        &path,
        "not a database, just some words that are long enough to matter",
    )
    .unwrap();
    let err = RedbStore::open(&path).unwrap_err();
    assert!(err.to_string().contains("notes.txt"), "{err}");
}

mod invariants {
    use super::*;
    use proptest::prelude::*;

    const TEXTS: [&str; 4] = [FERRY, BAKERY, COMET, ""];

    fn batches() -> impl Strategy<Value = Vec<Vec<(usize, usize)>>> {
        // (id index, text index) pairs, a few batches of a few documents.
        prop::collection::vec(prop::collection::vec((0..5usize, 0..4usize), 1..4), 1..5)
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

        /// Both stores end in the same state, every stored document is in
        /// exactly one story, the store holds the last good copy of every id,
        /// and re-ingesting the last batch changes nothing.
        #[test]
        fn stores_agree_and_reingest_is_idempotent(batches in batches()) {
            let dir = tempfile::tempdir().unwrap();
            let redb = RedbStore::open(dir.path().join("p.db")).unwrap();
            let memory = MemoryStore::new();
            let mut expected: std::collections::BTreeMap<String, &str> = Default::default();
            for b in &batches {
                let raws: Vec<RawDoc> =
                    b.iter().map(|&(i, t)| doc(&format!("doc{i}"), TEXTS[t])).collect();
                let m = ingest(&memory, raws.clone(), &cfg()).unwrap();
                let r = ingest(&redb, raws.clone(), &cfg()).unwrap();
                prop_assert_eq!((m.added, m.skipped, m.replaced), (r.added, r.skipped, r.replaced));
                prop_assert_eq!(m.errors, r.errors);
                let mut last: std::collections::BTreeMap<String, &str> = Default::default();
                for &(i, t) in b {
                    last.insert(format!("doc{i}"), TEXTS[t]);
                }
                expected.extend(last.into_iter().filter(|(_, t)| !t.is_empty()));
                let generation = redb.generation().unwrap();
                let again = ingest(&redb, raws, &cfg()).unwrap();
                prop_assert_eq!(again.added + again.replaced, 0);
                prop_assert_eq!(redb.generation().unwrap(), generation);
            }
            let (rm, rr) = (report(&memory).unwrap(), report(&redb).unwrap());
            prop_assert_eq!(&rm, &rr);
            let ids: Vec<&String> = rr.documents.iter().map(|d| &d.id).collect();
            prop_assert_eq!(ids, expected.keys().collect::<Vec<_>>());
            for (id, text) in &expected {
                let body_line = text.lines().nth(1).unwrap();
                let art = redb.article(id).unwrap().unwrap();
                prop_assert_eq!(art.text.as_str(), body_line);
            }
            every_doc_in_one_story(&redb);
            every_doc_in_one_story(&memory);
        }
    }
}

#[test]
fn batches_match_a_one_shot_analysis_and_replacing_drops_stale_relations() {
    each(|store| {
        let docs = two_copies_and_one_other();
        for d in &docs {
            ingest(store, vec![d.clone()], &cfg()).unwrap();
        }
        let arts: Vec<_> = docs.iter().map(stemma_extract::extract_one).collect();
        let mut arts = arts;
        arts.sort_by(|a, b| a.id.cmp(&b.id));
        let one_shot = stemma_pipeline::analyze(&arts, &cfg());
        let stored = report(store).unwrap();
        let key = |r: &Relation| (r.source.clone(), r.derivative.clone(), r.kind);
        let mut a: Vec<_> = one_shot.relations.iter().map(key).collect();
        let mut b: Vec<_> = stored.relations.iter().map(key).collect();
        a.sort();
        b.sort();
        assert_eq!(a, b);
        let partition = |r: &stemma_core::Report| {
            let mut p: Vec<Vec<String>> = r
                .stories
                .iter()
                .map(|s| {
                    let mut d = s.documents.clone();
                    d.sort();
                    d
                })
                .collect();
            p.sort();
            p
        };
        assert_eq!(partition(&one_shot), partition(&stored));

        // The copy changes into another story: its cached comparisons must
        // not be reused.
        ingest(store, vec![doc("ferry-copy", BAKERY)], &cfg()).unwrap();
        assert!(
            store
                .relations_of("ferry-copy")
                .unwrap()
                .iter()
                .all(|r| r.source != "ferry" && r.derivative != "ferry"),
            "{:?}",
            store.relations_of("ferry-copy").unwrap()
        );
    });
}

#[test]
fn a_new_store_is_created_whole() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    let tmp = dir.path().join("s.db.creating");
    // What a creation killed half-way leaves: a stray temporary file.
    std::fs::write(&tmp, b"half a header").unwrap();
    drop(RedbStore::open(&path).unwrap());
    assert!(path.exists());
    assert!(!tmp.exists());
    RedbStore::open_read_only(&path).unwrap();
}

/// Two articles with a copy each, and one with none.
fn two_copies_and_one_other() -> Vec<RawDoc> {
    vec![
        doc("ferry", FERRY),
        doc("bakery", BAKERY),
        doc("ferry-copy", FERRY),
        doc("comet", COMET),
        doc("comet-copy", COMET),
    ]
}

/// Every cached comparison, keyed by its pair.
fn comparisons(store: &dyn Store) -> Vec<stemma_core::Comparison> {
    let mut out = Vec::new();
    for d in store.documents().unwrap() {
        for l in store.compared_with(&d.id).unwrap() {
            if l.forward {
                out.push(store.comparison(&d.id, &l.other).unwrap().unwrap());
            }
        }
    }
    out
}

#[test]
fn verdicts_of_an_older_verifier_are_made_again() {
    use stemma_store::ingest::{VERIFIER_VERSION_KEY, reverify, reverify_step, stale_verdicts};
    each(|store| {
        let docs = two_copies_and_one_other();
        ingest(store, docs, &cfg()).unwrap();
        assert_eq!(stale_verdicts(store).unwrap(), None);
        let want = report(store).unwrap();
        let want_cmp = comparisons(store);
        assert!(!want.relations.is_empty() && !want_cmp.is_empty());

        // What an older verifier might have left: other verdicts, no
        // relations, and its version.
        let mut b = Batch::new();
        for c in &want_cmp {
            let mut old = c.clone();
            old.kind = RelationKind::Unrelated;
            old.evidence.clear();
            b.push(Op::PutComparison(old));
        }
        for r in &want.relations {
            b.push(Op::DeleteRelation {
                derivative: r.derivative.clone(),
                source: r.source.clone(),
            });
        }
        b.push(Op::PutCounter(
            VERIFIER_VERSION_KEY.into(),
            stemma_pipeline::VERIFIER_VERSION - 1,
        ));
        store.commit(b).unwrap();
        assert_eq!(
            stale_verdicts(store).unwrap(),
            Some(stemma_pipeline::VERIFIER_VERSION - 1)
        );
        // Two documents a commit: the walk resumes where it stopped.
        let mut steps = 0;
        while let Some(n) = reverify_step(store, &cfg(), 2).unwrap() {
            assert!(n <= 2);
            steps += 1;
        }
        assert_eq!(steps, 3);
        assert_eq!(stale_verdicts(store).unwrap(), None);
        assert_eq!(comparisons(store), want_cmp);
        // The same report, story ids included.
        assert_eq!(report(store).unwrap(), want);
        every_doc_in_one_story(store);
        // Current verdicts: nothing to do.
        assert_eq!(reverify(store, &cfg(), |_| {}).unwrap(), 0);
    });
}

#[test]
fn verdicts_added_by_an_older_build_mark_a_newer_store_stale() {
    use stemma_store::ingest::{VERIFIER_VERSION_KEY, newer_verdicts, stale_verdicts};
    let newer = stemma_pipeline::VERIFIER_VERSION + 1;
    each(|store| {
        let mut docs = two_copies_and_one_other();
        let last = docs.pop().unwrap();
        ingest(store, docs, &cfg()).unwrap();
        // What a newer build leaves: its version.
        let mut b = Batch::new();
        b.push(Op::PutCounter(VERIFIER_VERSION_KEY.into(), newer));
        store.commit(b).unwrap();
        assert_eq!(newer_verdicts(store).unwrap(), Some(newer));
        assert_eq!(stale_verdicts(store).unwrap(), None);
        // Nothing new: no verdict is made, the version stays.
        ingest(store, two_copies_and_one_other()[..4].to_vec(), &cfg()).unwrap();
        assert_eq!(store.counter(VERIFIER_VERSION_KEY).unwrap(), newer);
        // A document this build compares: the store takes its version.
        ingest(store, vec![last], &cfg()).unwrap();
        assert_eq!(
            store.counter(VERIFIER_VERSION_KEY).unwrap(),
            stemma_pipeline::VERIFIER_VERSION
        );
        assert_eq!(newer_verdicts(store).unwrap(), None);
    });
}

/// Pages of three sites, each site repeating its own appeal (prose, so no
/// shape rule drops it) and a short label, around stories of their own.
fn site_pages() -> Vec<RawDoc> {
    let stories = [FERRY, BAKERY, COMET];
    let appeals = [
        "The Harbour Herald is owned by its readers, and every gift keeps our reporters on the quay.",
        "Valley Voice depends on readers like you: a monthly gift pays for the next investigation.",
        "Skyline Times journalism stays free to read because members chip in what they can afford.",
    ];
    (0..9)
        .map(|n| {
            let (head, body) = stories[n % 3].split_once('\n').unwrap();
            let site = n / 3;
            // A sentence a line, as many pages are, and enough of them that
            // the appeal alone is not a fifth of a page's prose.
            let own: Vec<String> = ["weather", "roads", "schools"]
                .iter()
                .map(|w| {
                    format!("Page {n} also carries a short note on local {w} for its readers.")
                })
                .collect();
            doc(
                &format!("p{n}"),
                &format!(
                    "{head} (part {n})\nSection {site} news\n{}\n{}\n{}",
                    body.replace(". ", ".\n"),
                    own.join("\n"),
                    appeals[site]
                ),
            )
        })
        .collect()
}

#[test]
fn pages_ingested_one_at_a_time_lose_the_lines_stored_pages_repeat() {
    let pages = site_pages();
    each(|store| {
        for (i, p) in pages.iter().enumerate() {
            let out = ingest(store, vec![p.clone()], &cfg()).unwrap();
            // As if the pages so far were extracted together: the page
            // sees the lines of those stored before it, and those lose the
            // lines it shows their site to repeat.
            let want = stemma_extract::extract_corpus(&pages[..=i]);
            for (q, w) in pages[..=i].iter().zip(&want) {
                assert_eq!(
                    &store.article(&q.id).unwrap().unwrap(),
                    w,
                    "{} after {}",
                    q.id,
                    p.id
                );
            }
            // The third page of a site cleans the first two.
            let cleaned: Vec<String> = match i % 3 {
                2 => vec![format!("p{}", i - 2), format!("p{}", i - 1)],
                _ => Vec::new(),
            };
            assert_eq!(out.cleaned_ids, cleaned, "{}", p.id);
        }
        for n in 0..9 {
            let a = store.article(&format!("p{n}")).unwrap().unwrap();
            assert!(
                !a.text.contains("gift") && !a.text.contains("members chip"),
                "p{n}: {}",
                a.text
            );
            assert!(!a.text.contains("news\n"), "p{n}: {}", a.text);
        }
        // A page replaced by a new version: its old lines no longer count,
        // and the new version is read against the others.
        let mut again = pages[6].clone();
        again.body = Body::Text(format!("{}\nA correction was added.", again.body.as_str()));
        ingest(store, vec![again.clone()], &cfg()).unwrap();
        let mut corpus = pages.clone();
        corpus.remove(6);
        corpus.push(again);
        let want = stemma_extract::extract_corpus(&corpus);
        assert_eq!(store.article("p6").unwrap().unwrap(), want[8]);
    });
    // Batches: the stored pages' lines come first, then the batch's own;
    // a page is read against the pages stored so far and its batch, and
    // the stored pages lose what the batch shows to recur.
    each(|store| {
        for upto in [4, pages.len()] {
            let from = if upto == 4 { 0 } else { 4 };
            ingest(store, pages[from..upto].to_vec(), &cfg()).unwrap();
            let want = stemma_extract::extract_corpus(&pages[..upto]);
            for (p, w) in pages[..upto].iter().zip(&want) {
                assert_eq!(&store.article(&p.id).unwrap().unwrap(), w, "{}", p.id);
            }
        }
    });
}
