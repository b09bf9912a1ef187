//! Made-up articles: look-alike events must split, copies must join.

use proptest::prelude::*;
use stemma_core::Article;

use crate::{StoryIndex, cluster, published_days};

fn art(id: &str, published: Option<&str>, text: &str) -> Article {
    Article {
        id: id.into(),
        text: text.into(),
        published: published.map(Into::into),
        ..Default::default()
    }
}

/// Filler stories so that the corpus has a background to weigh terms against.
fn background() -> Vec<Article> {
    [
        "The city council of Marrowfield approved a new budget for parks and libraries after a long debate on Monday.",
        "Shares in Copperline Foods rose 4 percent after the grocer reported higher quarterly profits and a larger dividend.",
        "The Tessaly Rovers beat Glenmoor United 3-1 in the cup final, with two late goals from striker Anwen Doyle.",
        "A new exhibition of glass sculpture opened at the Harlow Museum, drawing large crowds over the weekend.",
        "Police arrested 14 people in Ostrel, the capital of Karsh, after protests over fuel prices.",
        "The interior ministry of Lindmark urged families to prepare emergency kits before the storm season.",
        "Insurers said earthquake cover has grown more expensive for homes built before 1990.",
        "Norland's parliament passed a law on port fees; Estavia's envoys said the dispute over ports would return to talks.",
        "Rescue workers in Pellan freed 9 miners trapped for two days after a tunnel collapse, officials said.",
        "Heavy rain closed roads in Hessel, and the regional government opened shelters near the rivers.",
    ]
    .iter()
    .enumerate()
    .map(|(i, t)| art(&format!("bg{i}"), None, t))
    .collect()
}

#[test]
fn look_alike_events_split_and_copies_join() {
    // (name, articles, expected groups by id)
    type Case = (&'static str, Vec<Article>, Vec<Vec<&'static str>>);
    let cases: Vec<Case> = vec![
        (
            "two earthquakes, same country, different town, date and magnitude",
            vec![
                art(
                    "q1a",
                    None,
                    "A magnitude 6.4 earthquake struck the town of Veloria in northern Karsh on March 11, 2021, killing at least 38 people. Rescuers in Veloria searched collapsed homes through the night, the Karsh interior ministry said.",
                ),
                art(
                    "q1b",
                    None,
                    "Rescue teams in Veloria pulled survivors from rubble after the 6.4 magnitude quake of March 11 killed 38 people in northern Karsh, officials said. The Veloria hospital treated hundreds of injured.",
                ),
                art(
                    "q2a",
                    None,
                    "A magnitude 5.2 earthquake shook the port city of Dunmarsh in southern Karsh on October 2, 2023, injuring 12 people. Buildings in Dunmarsh cracked and the Karsh interior ministry sent engineers.",
                ),
                art(
                    "q2b",
                    None,
                    "Engineers inspected damaged buildings in Dunmarsh after the 5.2 magnitude earthquake of October 2 injured 12 people in southern Karsh, the interior ministry said.",
                ),
            ],
            vec![vec!["q1a", "q1b"], vec!["q2a", "q2b"]],
        ),
        (
            "two rounds of ceasefire talks, same parties, months apart",
            vec![
                art(
                    "c1a",
                    Some("2025-03-11T10:00:00Z"),
                    "Envoys of Norland and Estavia agreed a 30-day ceasefire at talks in Jeddah, mediated by Halvard Brune. The Jeddah agreement covers strikes on ports.",
                ),
                art(
                    "c1b",
                    Some("2025-03-11T18:00:00Z"),
                    "Norland and Estavia accepted a 30-day ceasefire in Jeddah after talks led by mediator Halvard Brune; ports are covered, the envoys said.",
                ),
                art(
                    "c2a",
                    Some("2025-08-20T09:00:00Z"),
                    "Talks between Norland and Estavia in Geneva ended without a ceasefire, mediator Halvard Brune said, after envoys clashed over prisoner exchanges.",
                ),
                art(
                    "c2b",
                    Some("2025-08-21T07:00:00Z"),
                    "Halvard Brune said the Geneva talks between Norland and Estavia broke down over prisoner exchanges, with no ceasefire agreed.",
                ),
            ],
            vec![vec!["c1a", "c1b"], vec!["c2a", "c2b"]],
        ),
        (
            "verbatim copy and light rewrite join their source",
            vec![
                art(
                    "s",
                    None,
                    "The Brightwater dam in Ostrava county failed on Tuesday, flooding 400 homes in the village of Kell; 2,300 residents were evacuated.",
                ),
                art(
                    "s-copy",
                    None,
                    "The Brightwater dam in Ostrava county failed on Tuesday, flooding 400 homes in the village of Kell; 2,300 residents were evacuated.",
                ),
                art(
                    "s-spun",
                    None,
                    "On Tuesday the Brightwater dam in Ostrava county burst, flooding 400 houses in Kell village; 2,300 people were evacuated.",
                ),
            ],
            vec![vec!["s", "s-copy", "s-spun"]],
        ),
    ];
    for (name, arts, want) in cases {
        let mut docs = background();
        let first = docs.len();
        docs.extend(arts);
        let got = cluster(&docs, &[]);
        let mut groups: Vec<Vec<&str>> = got
            .iter()
            .map(|c| {
                c.iter()
                    .filter(|&&i| i >= first)
                    .map(|&i| docs[i].id.as_str())
                    .collect::<Vec<_>>()
            })
            .filter(|g| !g.is_empty())
            .collect();
        groups.sort();
        // Background articles never join the case's stories.
        for c in &got {
            let bg = c.iter().any(|&i| i < first);
            let case = c.iter().any(|&i| i >= first);
            assert!(!(bg && case), "{name}: background mixed in: {c:?}");
        }
        assert_eq!(groups, want, "{name}");

        // The incremental index agrees on these.
        let mut index = StoryIndex::default();
        let ids: Vec<u32> = docs.iter().map(|a| index.insert(a).0).collect();
        for g in &want {
            let of = |id: &str| ids[docs.iter().position(|a| a.id == id).expect("id")];
            assert!(
                g.iter().all(|&id| of(id) == of(g[0])),
                "{name}: incremental split {g:?}"
            );
        }
        for (x, y) in want.iter().zip(want.iter().skip(1)) {
            let of = |id: &str| ids[docs.iter().position(|a| a.id == id).expect("id")];
            assert_ne!(of(x[0]), of(y[0]), "{name}: incremental merged {x:?} {y:?}");
        }
    }
}

#[test]
fn linked_pairs_share_a_story_even_when_unalike() {
    let docs = background();
    let got = cluster(&docs, &[(0, 2)]);
    assert!(
        got.iter().any(|c| c.contains(&0) && c.contains(&2)),
        "{got:?}"
    );
    assert_eq!(got.iter().map(Vec::len).sum::<usize>(), docs.len());
}

#[test]
fn published_days_table() {
    let cases = [
        ("1970-01-01T00:00:00Z", Some(0.0)),
        ("1970-01-02", Some(1.0)),
        ("2000-03-01T12:00:00Z", Some(11_017.5)),
        ("2025-13-01", None),
        ("yesterday", None),
    ];
    for (s, want) in cases {
        assert_eq!(published_days(s), want, "{s}");
    }
}

#[test]
fn index_state_round_trips_through_serde() {
    let docs = background();
    let mut index = StoryIndex::default();
    for a in &docs[..3] {
        index.insert(a);
    }
    let json = serde_json::to_string(&index).expect("serialise");
    let mut back: StoryIndex = serde_json::from_str(&json).expect("deserialise");
    assert_eq!(back.len(), index.len());
    assert_eq!(back.insert(&docs[3]), index.insert(&docs[3]));
    assert_eq!(
        back.members(crate::StoryId(0)),
        index.members(crate::StoryId(0))
    );
}

#[test]
fn empty_input() {
    assert!(cluster(&[], &[]).is_empty());
    assert!(cluster(&[art("e", None, "")], &[]) == vec![vec![0]]);
}

const WORDS: &[&str] = &[
    "Veloria",
    "Karsh",
    "quake",
    "ceasefire",
    "talks",
    "Jeddah",
    "ministry",
    "2021",
    "38",
    "March",
    "11",
    "flood",
    "dam",
    "Brune",
    "envoys",
    "rescue",
    "port",
    "Geneva",
    "the",
    "of",
];

fn arb_docs() -> impl Strategy<Value = (Vec<Article>, Vec<(usize, usize)>)> {
    (1usize..25).prop_flat_map(|n| {
        let texts = proptest::collection::vec(
            proptest::collection::vec(proptest::sample::select(WORDS), 0..30),
            n,
        );
        let links = proptest::collection::vec((0..n, 0..n), 0..6);
        (texts, links).prop_map(|(texts, links)| {
            let docs = texts
                .into_iter()
                .enumerate()
                .map(|(i, w)| art(&format!("d{i}"), None, &w.join(" ")))
                .collect();
            (docs, links)
        })
    })
}

proptest! {
    #[test]
    fn every_index_once_and_links_respected((docs, links) in arb_docs()) {
        let got = cluster(&docs, &links);
        let mut seen = vec![0u32; docs.len()];
        for c in &got {
            prop_assert!(!c.is_empty());
            for &i in c {
                seen[i] += 1;
            }
        }
        prop_assert!(seen.iter().all(|&s| s == 1), "{:?}", seen);
        for &(a, b) in &links {
            prop_assert!(got.iter().any(|c| c.contains(&a) && c.contains(&b)));
        }
        prop_assert_eq!(&got, &cluster(&docs, &links), "deterministic");
    }
}

proptest! {
    #[test]
    fn similar_pairs_match_brute_force(
        (docs, _) in arb_docs(),
        cap in 1usize..30,
        floor in 0.0f32..0.5,
    ) {
        use crate::vector::{batch_vectors, cosine, similar_pairs};
        let (vecs, _) = batch_vectors(&docs, &crate::StoryConfig::default());
        let n = vecs.len();
        let brute: Vec<(usize, usize, f32)> = (0..n)
            .flat_map(|i| (i + 1..n).map(move |j| (i, j)))
            .map(|(i, j)| (i, j, cosine(&vecs[i], &vecs[j])))
            .filter(|&(_, _, s)| s > 0.0 && s >= floor)
            .collect();
        let got = similar_pairs(&vecs, floor, cap, |_, _, dot| dot);
        if cap >= n {
            // Every term is indexed: exactly the brute-force pairs.
            prop_assert_eq!(&got, &brute);
        } else {
            // Rare terms only: a subset, each pair with its full similarity.
            for p in &got {
                prop_assert!(brute.contains(p), "{:?} not in {:?}", p, brute);
            }
        }
    }
}
