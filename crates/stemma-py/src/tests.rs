//! The distributed decomposition, emulated in-process, must reproduce the
//! single-machine pipeline: corpus boilerplate votes, candidate pairs,
//! components and the report.
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

use arrow_array::builder::{Int64Builder, ListBuilder, StringBuilder};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::DataType;
use stemma_core::{Article, Body, RawDoc};
use stemma_index::{IndexConfig, Signature};

use crate::batch::{Strings, i64s, list_i64, lists, read_ipc, schema, write_ipc};
use crate::ops;

fn text_doc(id: &str, text: &str) -> RawDoc {
    RawDoc::text(id, text)
}

/// A corpus with site boilerplate (short labels and a slogan sentence shared
/// by unrelated pages), copied articles sharing their prose, and one HTML page.
fn boiler_corpus() -> Vec<RawDoc> {
    let topics = [
        "The harbour authority closed the northern quay on Monday after storm damage to the sea wall was found by divers.",
        "Councillors approved the new library budget on Tuesday, adding evening hours and two mobile branches for rural villages.",
        "The county orchestra opened its winter season with a programme of Sibelius and a new work by a local composer.",
        "Farmers reported the wettest October in forty years, with potato harvests delayed across the valley and lowlands.",
        "A rail signal fault near the junction delayed commuter trains for three hours, the operator said in a statement.",
        "Students at the technical college built a solar boat that will race in the national championship next spring.",
    ];
    let mut docs = Vec::new();
    for n in 0..24 {
        let site = n % 3;
        let topic = topics[n % topics.len()];
        let other = topics[(n + 1) % topics.len()];
        let mut lines = vec![format!("Headline number {n}")];
        match site {
            0 => lines.push("Subscribe to the Herald".into()),
            1 => lines.push(
                "Support local news: the Gazette is owned by its readers and always will be."
                    .into(),
            ),
            _ => lines.push("Most read".into()),
        }
        lines.push(topic.into());
        lines.push(other.into());
        lines.push(format!("Reporting by staff writer {}.", n % 5));
        lines.push("Share this page".into());
        docs.push(text_doc(&format!("d{n:02}"), &lines.join("\n")));
    }
    docs.push(RawDoc {
        id: "page".into(),
        url: Some("https://example.org/page".into()),
        published: None,
        origin: "page.html".into(),
        body: Body::Html(format!(
            "<html><body><article><p>{}</p></article></body></html>",
            topics[0]
        )),
    });
    // Pages of one site with the same appeal set inside each article body.
    for n in 0..4 {
        let paras: String = (0..5)
            .map(|k| {
                format!(
                    "<p>Paragraph {k} of story {n} tells what the council decided about \
                     item {} on its agenda.</p>",
                    10 * n + k
                )
            })
            .collect();
        docs.push(RawDoc {
            id: format!("site{n}"),
            url: Some(format!("https://courier.example/news/{n}")),
            published: None,
            origin: format!("site{n}.html"),
            body: Body::Html(format!(
                "<html><body><article><h1>Story {n}</h1>{paras}<p>The Courier is a \
                 reader-funded newsroom, and your support keeps our reporters in the \
                 town hall and the courts every week.</p></article></body></html>"
            )),
        });
    }
    docs
}

fn raw_ipc(docs: &[RawDoc]) -> Vec<u8> {
    let rows: Vec<(i64, RawDoc)> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| (i as i64, d.clone()))
        .collect();
    let s = ops::raw_schema();
    let b = ops::raw_batch(&s, &rows).unwrap();
    write_ipc(&s, &[b], "test").unwrap()
}

/// What `recurrence_votes` in `stemma/spark.py` computes, by hand.
fn votes_like_spark(lines: &[(i64, u64, bool)]) -> HashMap<i64, HashMap<u64, (u32, u32)>> {
    let mut prose: HashMap<i64, HashSet<u64>> = HashMap::new();
    let mut holders: HashMap<u64, Vec<i64>> = HashMap::new();
    for &(d, k, p) in lines {
        if p {
            prose.entry(d).or_default().insert(k);
        }
        holders.entry(k).or_default().push(d);
    }
    let empty = HashSet::new();
    let mut out: HashMap<i64, HashMap<u64, (u32, u32)>> = HashMap::new();
    for &(d, k, _) in lines {
        let mut h = holders[&k].clone();
        if h.len() < 2 {
            continue;
        }
        h.sort_unstable();
        h.truncate(stemma_extract::RECURRENCE_HOLDERS);
        let mine = prose.get(&d).unwrap_or(&empty);
        let (mut u, mut r) = (0, 0);
        for o in h.into_iter().filter(|&o| o != d) {
            let theirs = prose.get(&o).unwrap_or(&empty);
            let shared = mine.intersection(theirs).count();
            let smaller = mine.len().min(theirs.len());
            if smaller > 0 && shared * 5 >= smaller {
                r += 1;
            } else {
                u += 1;
            }
        }
        if u + r > 0 {
            out.entry(d).or_default().insert(k, (u, r));
        }
    }
    out
}

#[test]
fn votes_reproduce_extract_corpus() {
    let docs = boiler_corpus();
    let want = stemma_extract::extract_corpus(&docs);
    assert!(
        want.iter().any(|a| a.boilerplate_chars > 0),
        "the corpus must exercise recurrence"
    );
    // HTML pages' recurring paragraphs too.
    let site_pages: Vec<&Article> = want.iter().filter(|a| a.id.starts_with("site")).collect();
    assert_eq!(site_pages.len(), 4);
    assert!(site_pages.iter().all(|a| !a.text.contains("reader-funded")));
    let mut lines = Vec::new();
    for b in read_ipc(&ops::line_keys(&raw_ipc(&docs)).unwrap(), "t").unwrap() {
        let (o, k) = (i64s(&b, "ord").unwrap(), i64s(&b, "key").unwrap());
        let p = crate::batch::bools(&b, "prose").unwrap();
        for r in 0..b.num_rows() {
            lines.push((o.value(r), k.value(r) as u64, p.value(r)));
        }
    }
    let votes = votes_like_spark(&lines);
    for (i, d) in docs.iter().enumerate() {
        let v = votes.get(&(i as i64)).cloned().unwrap_or_default();
        assert_eq!(
            stemma_extract::extract_with_votes(d, &v),
            want[i],
            "{}",
            d.id
        );
    }
}

fn articles_of_examples() -> Vec<Article> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/corpus");
    let raws: Vec<RawDoc> = stemma_ingest::read_paths(&[root])
        .filter_map(Result::ok)
        .collect();
    let mut arts = stemma_extract::extract_corpus(&raws);
    // Add near copies so that every key family has work to do.
    let extra: Vec<Article> = arts
        .iter()
        .take(4)
        .map(|a| Article {
            id: format!("{}-again", a.id),
            ..a.clone()
        })
        .collect();
    arts.extend(extra);
    arts
}

/// Candidate pairs as `stemma/spark.py` forms them: capped posting lists of
/// exact and band keys, a MinHash agreement filter, and the sketch operation.
fn candidates_like_spark(arts: &[Article]) -> BTreeSet<(usize, usize)> {
    let cfg = IndexConfig::default();
    let cap = cfg.max_bucket.max(2);
    let sigs: Vec<Signature> = arts.iter().map(|a| Signature::of(&a.text, &cfg)).collect();
    let mut out = BTreeSet::new();
    let mut family =
        |keys: Vec<(u64, usize)>, limit: usize, check: &dyn Fn(usize, usize) -> bool| {
            let mut by_key: HashMap<u64, Vec<usize>> = HashMap::new();
            for (k, i) in keys {
                by_key.entry(k).or_default().push(i);
            }
            for (_, mut members) in by_key {
                members.sort_unstable();
                members.dedup();
                let post: Vec<usize> = members.iter().copied().take(limit).collect();
                for &m in &members {
                    for &p in &post {
                        if m != p && check(m, p) {
                            out.insert((m.min(p), m.max(p)));
                        }
                    }
                }
            }
        };
    let exact: Vec<(u64, usize)> = sigs
        .iter()
        .enumerate()
        .filter(|(_, s)| s.exact != 0)
        .map(|(i, s)| (s.exact, i))
        .collect();
    family(exact, cap * 8, &|_, _| true);
    let bands: Vec<(u64, usize)> = sigs
        .iter()
        .enumerate()
        .flat_map(|(i, s)| s.band_keys(&cfg).into_iter().map(move |k| (k, i)))
        .collect();
    let need = (0..=126)
        .find(|&s| s as f32 / 126.0 >= cfg.min_jaccard)
        .unwrap();
    family(bands, cap, &|a, b| {
        let same = sigs[a]
            .minhash
            .iter()
            .zip(&sigs[b].minhash)
            .filter(|(x, y)| x == y)
            .count();
        same >= need
    });
    // Sketch, through the operation.
    let s = schema(&[
        ("idx", DataType::Int64, false),
        ("terms", crate::batch::list_of(DataType::Int64), false),
    ]);
    let mut idx = Int64Builder::new();
    let mut terms = ListBuilder::new(Int64Builder::new());
    for (i, sig) in sigs.iter().enumerate() {
        idx.append_value(i as i64);
        for &t in &sig.terms {
            terms.values().append_value(t as i64);
        }
        terms.append(true);
    }
    let cols: Vec<ArrayRef> = vec![Arc::new(idx.finish()), Arc::new(terms.finish())];
    let b = RecordBatch::try_new(Arc::clone(&s), cols).unwrap();
    let bytes = write_ipc(&s, &[b], "t").unwrap();
    let pairs = ops::sketch_pairs(&bytes, &bytes, "test-sketch").unwrap();
    for b in read_ipc(&pairs, "t").unwrap() {
        let (i, j) = (i64s(&b, "i").unwrap(), i64s(&b, "j").unwrap());
        for r in 0..b.num_rows() {
            out.insert((i.value(r) as usize, j.value(r) as usize));
        }
    }
    out
}

#[test]
fn distributed_candidates_equal_single_machine() {
    let arts = articles_of_examples();
    let want: BTreeSet<(usize, usize)> = stemma_index::candidates(&arts).into_iter().collect();
    assert!(!want.is_empty());
    assert_eq!(candidates_like_spark(&arts), want);
}

#[test]
fn extract_output_carries_band_keys_and_signed_ints() {
    let docs = boiler_corpus();
    let out = ops::extract(&raw_ipc(&docs)).unwrap();
    let b = &read_ipc(&out, "t").unwrap()[0];
    let cfg = IndexConfig::default();
    let text = Strings::of(b, "text").unwrap();
    let bands = lists(b, "bands").unwrap();
    for r in 0..b.num_rows() {
        let sig = Signature::of(text.str(r), &cfg);
        let want: Vec<i64> = sig.band_keys(&cfg).into_iter().map(|k| k as i64).collect();
        assert_eq!(list_i64(bands, "bands", r).unwrap(), want);
    }
}

fn edges_ipc(edges: &[(i64, i64)]) -> Vec<u8> {
    let s = schema(&[
        ("src", DataType::Int64, false),
        ("dst", DataType::Int64, false),
    ]);
    let (mut a, mut b) = (Int64Builder::new(), Int64Builder::new());
    for &(x, y) in edges {
        a.append_value(x);
        b.append_value(y);
    }
    let cols: Vec<ArrayRef> = vec![Arc::new(a.finish()), Arc::new(b.finish())];
    let batch = RecordBatch::try_new(Arc::clone(&s), cols).unwrap();
    write_ipc(&s, &[batch], "t").unwrap()
}

type Edges = &'static [(i64, i64)];

#[test]
fn components_name_the_smallest_node() {
    let cases: &[(Edges, Edges)] = &[
        (&[], &[]),
        (&[(5, 5)], &[(5, 5)]),
        (
            &[(3, 1), (1, 2), (9, 7)],
            &[(1, 1), (2, 1), (3, 1), (7, 7), (9, 7)],
        ),
        (
            &[(-4, 10), (10, 20), (20, -9), (30, 31)],
            &[(-9, -9), (-4, -9), (10, -9), (20, -9), (30, 30), (31, 30)],
        ),
    ];
    for (edges, want) in cases {
        let out = ops::components(&edges_ipc(edges)).unwrap();
        let mut got = Vec::new();
        for b in read_ipc(&out, "t").unwrap() {
            let (n, c) = (i64s(&b, "node").unwrap(), i64s(&b, "component").unwrap());
            for r in 0..b.num_rows() {
                got.push((n.value(r), c.value(r)));
            }
        }
        got.sort_unstable();
        assert_eq!(got, want.to_vec(), "{edges:?}");
    }
}

#[test]
fn report_through_arrow_equals_analyze() {
    let arts = articles_of_examples();
    let want = stemma_pipeline::analyze(&arts, ops::config());
    let cfg = IndexConfig::default();
    let rows: Vec<(i64, Article, Signature)> = arts
        .iter()
        .enumerate()
        .map(|(i, a)| (i as i64, a.clone(), Signature::of(&a.text, &cfg)))
        .collect();
    let s = ops::article_schema();
    let b = ops::article_batch(&s, &rows, &cfg).unwrap();
    // The verify input: pairs with both sides' article columns.
    let pairs = stemma_index::candidates(&arts);
    let mut fields: Vec<(String, DataType, bool)> = vec![
        ("i".into(), DataType::Int64, false),
        ("j".into(), DataType::Int64, false),
    ];
    let mut cols: Vec<ArrayRef> = Vec::new();
    let (mut ic, mut jc) = (Int64Builder::new(), Int64Builder::new());
    for &(i, j) in &pairs {
        ic.append_value(i as i64);
        jc.append_value(j as i64);
    }
    cols.push(Arc::new(ic.finish()));
    cols.push(Arc::new(jc.finish()));
    let take = |side: usize| -> Vec<u32> {
        pairs
            .iter()
            .map(|p| if side == 0 { p.0 as u32 } else { p.1 as u32 })
            .collect()
    };
    for (side, prefix) in ["a_", "b_"].iter().enumerate() {
        let rows = arrow_array::UInt32Array::from(take(side));
        for name in [
            "id",
            "title",
            "text",
            "boilerplate_chars",
            "published",
            "author",
            "url",
            "canonical_url",
            "cited",
        ] {
            let c = b.column_by_name(name).unwrap();
            fields.push((format!("{prefix}{name}"), c.data_type().clone(), true));
            cols.push(arrow_select_take(c, &rows));
        }
    }
    let fs: Vec<(&str, DataType, bool)> = fields
        .iter()
        .map(|(n, t, x)| (n.as_str(), t.clone(), *x))
        .collect();
    let vs = schema(&fs);
    let vb = RecordBatch::try_new(Arc::clone(&vs), cols).unwrap();
    let compared = ops::verify(&write_ipc(&vs, &[vb], "t").unwrap()).unwrap();

    // Articles with their dense numbers.
    let mut idx = Int64Builder::new();
    for i in 0..arts.len() {
        idx.append_value(i as i64);
    }
    let mut afields: Vec<(&str, DataType, bool)> = vec![("idx", DataType::Int64, false)];
    let mut acols: Vec<ArrayRef> = vec![Arc::new(idx.finish())];
    for name in [
        "id",
        "title",
        "text",
        "boilerplate_chars",
        "published",
        "author",
        "url",
        "canonical_url",
        "cited",
    ] {
        let c = b.column_by_name(name).unwrap();
        afields.push((name, c.data_type().clone(), true));
        acols.push(Arc::clone(c));
    }
    let as_ = schema(&afields);
    let ab = RecordBatch::try_new(Arc::clone(&as_), acols).unwrap();
    let json = ops::report(&write_ipc(&as_, &[ab], "t").unwrap(), &compared).unwrap();
    let got: stemma_core::Report = serde_json::from_str(&json).unwrap();
    assert_eq!(got, want);
    assert!(!want.relations.is_empty());
}

/// `take` for the few column types used here (no arrow-select dependency).
fn arrow_select_take(c: &ArrayRef, rows: &arrow_array::UInt32Array) -> ArrayRef {
    use arrow_array::{Array, Int64Array, ListArray, StringArray};
    if let Some(a) = c.as_any().downcast_ref::<StringArray>() {
        let mut out = StringBuilder::new();
        for r in rows.values() {
            let r = *r as usize;
            out.append_option((!a.is_null(r)).then(|| a.value(r)));
        }
        return Arc::new(out.finish());
    }
    if let Some(a) = c.as_any().downcast_ref::<Int64Array>() {
        return Arc::new(Int64Array::from(
            rows.values()
                .iter()
                .map(|&r| a.value(r as usize))
                .collect::<Vec<_>>(),
        ));
    }
    let a = c.as_any().downcast_ref::<ListArray>().unwrap();
    let mut out = ListBuilder::new(StringBuilder::new());
    for r in rows.values() {
        for s in crate::batch::list_str(a, "cited", *r as usize).unwrap() {
            out.values().append_value(s);
        }
        out.append(true);
    }
    Arc::new(out.finish())
}
