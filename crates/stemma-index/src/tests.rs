use proptest::prelude::*;
use stemma_core::Article;

use super::*;

fn doc(id: &str, text: &str) -> Article {
    Article {
        id: id.into(),
        text: text.into(),
        ..Default::default()
    }
}

const SOURCE: &str = "Firefighters in Ashbury battled a blaze at the Harlow paper mill for \
    eleven hours overnight, the county fire service said on Wednesday. Around 60 crew members \
    and 14 engines attended the fire, which started in a storage building shortly after 22:00. \
    Station manager Priya Okonkwo said nobody was hurt but residents of the Millbrook estate \
    were asked to keep windows closed because of heavy smoke. The mill, which employs 340 \
    people, has been owned by the Castellan group since 2009. An investigation into the cause \
    has begun and the road between Ashbury and Fenwick will stay closed until Friday.";

/// The source with about 15% of its words swapped for synonyms.
const SPUN: &str = "Firemen in Ashbury fought a fire at the Harlow paper factory for \
    eleven hours in a single night, the county fire service stated on Wednesday. Roughly 60 crew \
    members and 14 engines went to the blaze, which began in a storage structure shortly after \
    22:00. Station boss Priya Okonkwo said no one was harmed but inhabitants of the Millbrook \
    estate were told to keep windows shut due to thick smoke. The mill, which employs 340 \
    people, has been owned by the Castellan group since 2009. A probe into the cause has \
    started and the road between Ashbury and Fenwick will stay closed until Friday.";

/// An LLM-style rewrite: same facts, new sentences.
const REWRITE: &str = "A fire at the Harlow paper mill in Ashbury took firefighters eleven \
    hours to bring under control. It broke out in a storage building just after 22:00, and 14 \
    engines with some 60 crew were sent. Nobody was injured, according to station manager Priya \
    Okonkwo, though people living on the Millbrook estate were advised to shut their windows. \
    Castellan has owned the mill, a 340-job employer, since 2009. The Ashbury to Fenwick road \
    is expected to reopen on Friday while the cause is investigated.";

const OTHER: &str = "The city orchestra opened its winter season on Saturday with a programme \
    of Sibelius and Nielsen. Conductor Tomas Lindqvist told the audience the concert hall roof \
    had finally been repaired after years of leaks. Tickets for the spring series go on sale \
    next month, with discounts for students and pensioners.";

const OTHER2: &str = "Shares in the Northgate retail chain fell sharply after it warned that \
    profits would miss forecasts. Chief executive Dana Whitfield blamed weak demand for \
    furniture and higher energy costs, and said 12 stores could close by March.";

#[test]
fn finds_copies_spins_and_rewrites_but_not_strangers() {
    let docs = [
        doc("src", SOURCE),
        doc("copy", &format!("  {SOURCE}\n")),
        doc("spun", SPUN),
        doc("rewrite", REWRITE),
        doc("other", OTHER),
        doc("other2", OTHER2),
    ];
    let got = candidates_scored(&docs, &IndexConfig::default());
    let pairs: Vec<(usize, usize)> = got.iter().map(|&(i, j, _)| (i, j)).collect();
    let want_in = [(0, 1), (0, 2), (0, 3), (1, 2), (1, 3)];
    for w in want_in {
        assert!(pairs.contains(&w), "missing {w:?} in {got:?}");
    }
    for p in &pairs {
        assert!(p.0 < 4 && p.1 < 4, "stranger proposed: {p:?} in {got:?}");
    }
    let reason = |p: (usize, usize)| got.iter().find(|&&(i, j, _)| (i, j) == p).unwrap().2;
    assert_eq!(reason((0, 1)), Reason::Exact);
    assert_eq!(reason((0, 2)), Reason::Shingles);
}

#[test]
fn spun_copy_keeps_high_shingle_jaccard() {
    let cfg = IndexConfig::default();
    let (a, b) = (Signature::of(SOURCE, &cfg), Signature::of(SPUN, &cfg));
    let j = a.jaccard(&b);
    assert!(j > 0.2, "jaccard {j}");
    let c = Signature::of(OTHER, &cfg);
    assert!(a.jaccard(&c) < 0.05);
}

#[test]
fn incremental_index_matches_batch() {
    let docs = [
        doc("src", SOURCE),
        doc("other", OTHER),
        doc("spun", SPUN),
        doc("rw", REWRITE),
    ];
    let mut index = CandidateIndex::new(IndexConfig::default());
    let mut pairs = Vec::new();
    for (i, d) in docs.iter().enumerate() {
        for j in index.query(d) {
            pairs.push((j, i));
        }
        assert_eq!(index.insert(d), i);
    }
    pairs.sort();
    // The sketch scores depend on corpus statistics, which grow with the
    // index, so only the shingle and exact pairs must agree.
    assert!(pairs.contains(&(0, 2)), "{pairs:?}");
    let batch = candidates(&docs);
    for p in &pairs {
        assert!(batch.contains(p), "{p:?} not in batch {batch:?}");
    }
}

#[test]
fn signatures_round_trip_through_json() {
    let mut index = CandidateIndex::new(IndexConfig::default());
    index.insert(&doc("src", SOURCE));
    let json = serde_json::to_string(&index).unwrap();
    let back: CandidateIndex = serde_json::from_str(&json).unwrap();
    assert_eq!(back.query(&doc("spun", SPUN)), vec![0]);
    let sig = Signature::of(SPUN, index.config());
    let back: Signature = serde_json::from_str(&serde_json::to_string(&sig).unwrap()).unwrap();
    assert_eq!(back, sig);
}

#[test]
fn empty_and_tiny_texts() {
    let cases: &[(&str, &str, bool)] = &[
        ("", "", false),
        ("", "Something happened.", false),
        ("Storm", "Storm", true),
        ("Storm warning", "storm warning!", true),
    ];
    for &(a, b, want) in cases {
        let got = candidates(&[doc("a", a), doc("b", b)]);
        assert_eq!(got == vec![(0, 1)], want, "{a:?} vs {b:?}: {got:?}");
    }
}

#[test]
fn hot_buckets_do_not_explode() {
    // 300 copies of one text: exact hits are capped, the work stays bounded.
    let docs: Vec<Article> = (0..300).map(|i| doc(&format!("d{i}"), SOURCE)).collect();
    let cfg = IndexConfig {
        max_bucket: 20,
        ..IndexConfig::default()
    };
    let pairs = candidates_with(&docs, &cfg);
    assert!(pairs.len() <= 300 * 160, "{}", pairs.len());
    // Every document still meets at least one other copy.
    for i in 0..300 {
        assert!(pairs.iter().any(|&(a, b)| a == i || b == i), "{i} isolated");
    }
}

/// Made-up words `from..to` (three syllables each, all distinct), in
/// sentences of ten.
fn made_up(from: usize, to: usize) -> String {
    const SYL: [&str; 10] = [
        "ka", "lo", "mi", "ru", "te", "van", "sor", "del", "pin", "gat",
    ];
    let mut out = String::new();
    for (k, n) in (from..to).enumerate() {
        let w: String = [n / 100 % 10, n / 10 % 10, n % 10]
            .iter()
            .map(|&d| SYL[d])
            .collect();
        out.push_str(&w);
        out.push_str(if k % 10 == 9 { ". " } else { " " });
    }
    out
}

/// The key-term sampling of index version 2 (before passage anchors).
fn v2() -> IndexConfig {
    IndexConfig {
        key_words: 48,
        key_word_rate: 1.0,
        min_score: 0.15,
        anchor_rate: 0.0,
        ..IndexConfig::default()
    }
}

#[test]
fn a_passage_shared_by_two_long_texts_makes_them_candidates() {
    // Two texts of 400 words each around one shared passage of 60, and a
    // third that shares nothing with them.
    let passage = made_up(900, 960);
    let docs = [
        doc(
            "a",
            &format!("{}{passage}{}", made_up(0, 200), made_up(200, 400)),
        ),
        doc(
            "b",
            &format!("{}{passage}{}", made_up(400, 600), made_up(600, 800)),
        ),
        doc("c", &made_up(800, 900)),
    ];
    let got = candidates_scored(&docs, &IndexConfig::default());
    assert_eq!(got, [(0, 1, Reason::Passage)]);
    // Whole-text signals miss it.
    assert_eq!(candidates_scored(&docs, &v2()), []);
}

#[test]
fn a_digest_of_a_long_text_is_a_candidate() {
    // Three sentences of a 900-word text, among other texts.
    let long = made_up(0, 900);
    let digest: String = long
        .split(". ")
        .enumerate()
        .filter(|(i, _)| [3, 40, 77].contains(i))
        .map(|(_, s)| format!("{s}. "))
        .collect();
    let docs = [
        doc("long", &long),
        doc("digest", &digest),
        doc("other", &made_up(900, 1000)),
    ];
    assert_eq!(candidates(&docs), [(0, 1)]);
    // A sample of the 48 smallest word hashes held too few of the digest's.
    assert_eq!(candidates_with(&docs, &v2()), []);
}

fn text_strategy() -> impl Strategy<Value = String> {
    let words = prop::sample::select(vec![
        "river", "flood", "council", "Minister", "Harlow", "42", "bridge", "school", "2019", "the",
        "of", "closed", "said", "police", "Okonkwo", "fire", "mill", "road", "3.5",
    ]);
    prop::collection::vec(words, 0..60).prop_map(|w| w.join(" "))
}

proptest! {
    #[test]
    fn identical_docs_are_always_candidates(texts in prop::collection::vec(text_strategy(), 1..6)) {
        let mut docs: Vec<Article> = texts.iter().enumerate().map(|(i, t)| doc(&format!("d{i}"), t)).collect();
        docs.push(doc("copy", &texts[0]));
        let last = docs.len() - 1;
        let pairs = candidates(&docs);
        if texts[0].split_whitespace().next().is_some() {
            prop_assert!(pairs.contains(&(0, last)));
        }
        let mut sorted = pairs.clone();
        sorted.sort();
        sorted.dedup();
        prop_assert_eq!(&sorted, &pairs);
        for &(i, j) in &pairs {
            prop_assert!(i < j && j < docs.len());
        }
    }
}

proptest! {
    #[test]
    fn bottom_k_is_the_k_smallest_distinct(
        hashes in prop::collection::vec(0u64..40, 0..120),
        k in 0usize..50,
    ) {
        let mut want = hashes.clone();
        want.sort_unstable();
        want.dedup();
        want.truncate(k);
        prop_assert_eq!(crate::signature::bottom_k(hashes, k), want);
    }
}

/// The batch path (parallel signing and querying, precomputed document
/// weights) gives exactly what one `query_signature` per document gives.
fn sequential_pairs(docs: &[Article], cfg: &IndexConfig) -> Vec<(usize, usize, Reason)> {
    let mut index = CandidateIndex::new(cfg.clone());
    for d in docs {
        index.insert(d);
    }
    let mut pairs = Vec::new();
    for i in 0..index.len() {
        let sig = index.signature(i).expect("indexed").clone();
        for c in index.query_signature(&sig, Some(i)) {
            pairs.push((i.min(c.id), i.max(c.id), c.reason));
        }
    }
    pairs.sort();
    pairs.dedup_by(|b, a| a.0 == b.0 && a.1 == b.1);
    pairs
}

proptest! {
    #[test]
    fn batch_matches_one_query_at_a_time(
        texts in prop::collection::vec(text_strategy(), 1..40),
        bucket in 2usize..12,
        keep in 1usize..4,
    ) {
        let docs: Vec<Article> = texts.iter().enumerate().map(|(i, t)| doc(&format!("d{i}"), t)).collect();
        let cfg = IndexConfig { max_bucket: bucket, min_shared: 2, ..IndexConfig::default() };
        prop_assert_eq!(candidates_scored(&docs, &cfg), sequential_pairs(&docs, &cfg));
        // Few sketch candidates kept per document: the cut must match too.
        let cfg = IndexConfig { min_shared: 1, min_score: 0.0, max_sketch_candidates: keep, ..IndexConfig::default() };
        prop_assert_eq!(candidates_scored(&docs, &cfg), sequential_pairs(&docs, &cfg));
        let cfg = IndexConfig::default();
        prop_assert_eq!(candidates_scored(&docs, &cfg), sequential_pairs(&docs, &cfg));
    }
}

/// Scale check: `cargo test --release -p stemma-index -- --ignored --nocapture`.
/// Synthetic Zipf-like texts, with every 100th document followed by a copy
/// that has 15% of its words replaced; prints time and pairs per document.
#[test]
#[ignore = "scale measurement, takes a while"]
fn scale_synthetic_corpus() {
    let n: usize = std::env::var("STEMMA_SCALE_DOCS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000);
    let mut state = 0x1234_5678_9abc_def0u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let vocab: Vec<String> = (0..50_000).map(|i| format!("w{i:x}q")).collect();
    let word = |next: &mut dyn FnMut() -> u64| {
        // Zipf-like: square of a uniform variate skews towards common words.
        let u = (next() % 1_000_000) as f64 / 1_000_000.0;
        vocab[((u * u) * vocab.len() as f64) as usize].clone()
    };
    let mut docs = Vec::with_capacity(n);
    while docs.len() < n {
        let words: Vec<String> = (0..300).map(|_| word(&mut next)).collect();
        docs.push(doc(&format!("d{}", docs.len()), &words.join(" ")));
        if docs.len() % 100 == 1 {
            let spun: Vec<String> = words
                .iter()
                .map(|w| {
                    if next() % 100 < 15 {
                        word(&mut next)
                    } else {
                        w.clone()
                    }
                })
                .collect();
            docs.push(doc(&format!("d{}", docs.len()), &spun.join(" ")));
        }
    }
    let t = std::time::Instant::now();
    let pairs = candidates(&docs);
    let secs = t.elapsed().as_secs_f64();
    // Copies follow documents 0, 100, 200, ...
    let planted = (0..docs.len() - 1).filter(|i| i % 100 == 0).count();
    let found = pairs
        .iter()
        .filter(|&&(i, j)| j == i + 1 && i % 100 == 0)
        .count();
    println!(
        "{} docs: {:.1} s, {} pairs ({:.2}/doc), planted spun copies found {found}/{planted}",
        docs.len(),
        secs,
        pairs.len(),
        pairs.len() as f64 / docs.len() as f64
    );
    assert!(found * 10 >= planted * 9);
}
