//! The operations: Arrow IPC stream bytes in, Arrow IPC stream bytes out.
//!
//! Column names and types are part of the Python package's contract
//! (`python/stemma/spark.py` declares the same schemas for Spark).
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, SchemaRef};
use stemma_core::{Article, Body, Comparison, RawDoc};
use stemma_index::{CandidateIndex, IndexConfig, Signature};
use stemma_ingest::FileKind;

use crate::batch::{
    Builders, Strings, bools, i64s, list_i64, list_of, list_str, list_struct, lists, make_batch,
    read_ipc, schema, struct_ints, write_ipc,
};
use crate::{Error, Result};

/// Bits of a document's order key taken by its record number within a file.
pub const RECORD_BITS: u32 = 32;

/// Schema of raw documents: `ord` orders documents as `stemma analyze`
/// reads them (file number << 32 | record number).
pub fn raw_schema() -> SchemaRef {
    schema(&[
        ("ord", DataType::Int64, false),
        ("id", DataType::Utf8, false),
        ("url", DataType::Utf8, true),
        ("published", DataType::Utf8, true),
        ("origin", DataType::Utf8, false),
        ("html", DataType::Boolean, false),
        ("body", DataType::Utf8, false),
    ])
}

/// Schema of [`line_keys`]' output.
pub fn line_schema() -> SchemaRef {
    schema(&[
        ("ord", DataType::Int64, false),
        ("key", DataType::Int64, false),
        ("prose", DataType::Boolean, false),
    ])
}

/// Schema of articles with their signatures ([`extract`]'s output).
pub fn article_schema() -> SchemaRef {
    schema(&[
        ("ord", DataType::Int64, false),
        ("doc_key", DataType::Int64, false),
        ("id", DataType::Utf8, false),
        ("title", DataType::Utf8, true),
        ("text", DataType::Utf8, false),
        ("boilerplate_chars", DataType::Int64, false),
        ("published", DataType::Utf8, true),
        ("author", DataType::Utf8, true),
        ("url", DataType::Utf8, true),
        ("canonical_url", DataType::Utf8, true),
        ("cited", list_of(DataType::Utf8), false),
        ("exact", DataType::Int64, false),
        ("minhash", list_of(DataType::Int32), false),
        ("terms", list_of(DataType::Int64), false),
        ("bands", list_of(DataType::Int64), false),
    ])
}

/// Schema of candidate pairs (dense document numbers, `i < j`).
pub fn pair_schema() -> SchemaRef {
    schema(&[("i", DataType::Int64, false), ("j", DataType::Int64, false)])
}

/// Schema of [`verify`]'s output.
pub fn comparison_schema() -> SchemaRef {
    schema(&[
        ("i", DataType::Int64, false),
        ("j", DataType::Int64, false),
        ("kind", DataType::Utf8, false),
        ("direction", DataType::Utf8, false),
        ("confidence", DataType::Float32, false),
        ("comparison", DataType::Utf8, false),
    ])
}

/// Schema of [`components`]' output.
pub fn component_schema() -> SchemaRef {
    schema(&[
        ("node", DataType::Int64, false),
        ("component", DataType::Int64, false),
    ])
}

/// The stable key of a document: xxh3 of its id, as `i64`.
pub fn doc_key(id: &str) -> i64 {
    xxhash_rust::xxh3::xxh3_64(id.as_bytes()) as i64
}

/// The input files under `paths`, in the order `stemma analyze` reads them:
/// named paths in order, folders walked recursively in sorted order
/// (hidden entries and unsupported types skipped), each file once.
pub fn list_files(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut stack: Vec<(PathBuf, bool)> = paths.iter().rev().map(|p| (p.clone(), false)).collect();
    let mut dirs = HashSet::new();
    let mut files = HashSet::new();
    let mut out = Vec::new();
    while let Some((path, walked)) = stack.pop() {
        let canonical = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
        if path.is_dir() {
            if !dirs.insert(canonical) {
                continue;
            }
            let Ok(rd) = std::fs::read_dir(&path) else {
                out.push(path); // reported as unreadable when read
                continue;
            };
            let mut entries: Vec<PathBuf> = rd
                .filter_map(std::result::Result::ok)
                .map(|e| e.path())
                .filter(|p| {
                    !p.file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
                })
                .collect();
            entries.sort();
            stack.extend(entries.into_iter().rev().map(|p| (p, true)));
            continue;
        }
        if walked && FileKind::of(&path).is_none() {
            continue;
        }
        if files.insert(canonical) {
            out.push(path);
        }
    }
    out
}

/// Reads files: input `path` (string) and `file_ord` (int64), output
/// [`raw_schema`] rows. Unreadable inputs are reported on stderr and skipped,
/// as `stemma analyze` does.
pub fn read_files(input: &[u8]) -> Result<Vec<u8>> {
    let out_schema = raw_schema();
    let mut batches = Vec::new();
    for b in read_ipc(input, "read_files input")? {
        let paths = Strings::of(&b, "path")?;
        let ords = i64s(&b, "file_ord")?;
        let mut rows: Vec<(i64, RawDoc)> = Vec::new();
        for r in 0..b.num_rows() {
            let path = Path::new(paths.str(r));
            let base = ords.value(r) << RECORD_BITS;
            for (n, item) in stemma_ingest::read_file(path).into_iter().enumerate() {
                match item {
                    Ok(doc) => rows.push((base | n as i64, doc)),
                    Err(e) => eprintln!("stemma: skipped {e}"),
                }
            }
        }
        batches.push(raw_batch(&out_schema, &rows)?);
    }
    write_ipc(&out_schema, &batches, "read_files output")
}

pub(crate) fn raw_batch(s: &SchemaRef, rows: &[(i64, RawDoc)]) -> Result<RecordBatch> {
    let mut ord = Builders::i64s();
    let (mut id, mut url, mut published, mut origin, mut body) = (
        Builders::strings(),
        Builders::strings(),
        Builders::strings(),
        Builders::strings(),
        Builders::strings(),
    );
    let mut html = Builders::bools();
    for (o, d) in rows {
        ord.append_value(*o);
        id.append_value(&d.id);
        url.append_option(d.url.as_deref());
        published.append_option(d.published.as_deref());
        origin.append_value(&d.origin);
        match &d.body {
            Body::Html(h) => {
                html.append_value(true);
                body.append_value(h);
            }
            Body::Text(t) => {
                html.append_value(false);
                body.append_value(t);
            }
        }
    }
    let cols: Vec<ArrayRef> = vec![
        Arc::new(ord.finish()),
        Arc::new(id.finish()),
        Arc::new(url.finish()),
        Arc::new(published.finish()),
        Arc::new(origin.finish()),
        Arc::new(html.finish()),
        Arc::new(body.finish()),
    ];
    make_batch(s, cols, "raw documents")
}

/// The raw documents of a [`raw_schema`] batch.
fn raw_docs(b: &RecordBatch) -> Result<Vec<(i64, RawDoc)>> {
    let ord = i64s(b, "ord")?;
    let id = Strings::of(b, "id")?;
    let url = Strings::of(b, "url")?;
    let published = Strings::of(b, "published")?;
    let origin = Strings::of(b, "origin")?;
    let html = bools(b, "html")?;
    let body = Strings::of(b, "body")?;
    Ok((0..b.num_rows())
        .map(|i| {
            let text = body.str(i).to_string();
            (
                ord.value(i),
                RawDoc {
                    id: id.str(i).to_string(),
                    url: url.get(i).map(str::to_string),
                    published: published.get(i).map(str::to_string),
                    origin: origin.str(i).to_string(),
                    body: if html.value(i) {
                        Body::Html(text)
                    } else {
                        Body::Text(text)
                    },
                },
            )
        })
        .collect())
}

/// The recurrence facts of the documents: one row per distinct line key of
/// each document (`ord`, `key`, `prose`), of a plain text's lines or of the
/// lines an HTML page's extraction keeps, as in
/// `stemma_extract::extract_corpus`.
pub fn line_keys(input: &[u8]) -> Result<Vec<u8>> {
    let s = line_schema();
    let mut batches = Vec::new();
    for b in read_ipc(input, "line_keys input")? {
        let (mut ord, mut key, mut prose) = (Builders::i64s(), Builders::i64s(), Builders::bools());
        for (o, d) in raw_docs(&b)? {
            for (k, p) in stemma_extract::recurrence_keys(&d) {
                ord.append_value(o);
                key.append_value(k as i64);
                prose.append_value(p);
            }
        }
        let cols: Vec<ArrayRef> = vec![
            Arc::new(ord.finish()),
            Arc::new(key.finish()),
            Arc::new(prose.finish()),
        ];
        batches.push(make_batch(&s, cols, "line keys")?);
    }
    write_ipc(&s, &batches, "line_keys output")
}

/// Extracts articles and signs them: input [`raw_schema`] rows plus an
/// optional `votes` column (`list<struct<key, unrelated, related>>`, the
/// corpus recurrence votes of the document's lines); output
/// [`article_schema`] rows under the default index configuration.
pub fn extract(input: &[u8]) -> Result<Vec<u8>> {
    let s = article_schema();
    let cfg = IndexConfig::default();
    let mut batches = Vec::new();
    for b in read_ipc(input, "extract input")? {
        let docs = raw_docs(&b)?;
        let votes_col = b
            .column_by_name("votes")
            .map(|_| lists(&b, "votes"))
            .transpose()?;
        let mut arts = Vec::with_capacity(docs.len());
        for (row, (o, d)) in docs.iter().enumerate() {
            let mut votes: HashMap<u64, (u32, u32)> = HashMap::new();
            if let Some(l) = votes_col
                && let Some(st) = list_struct(l, "votes", row)?
            {
                let keys = struct_ints(&st, "votes.key", 0)?;
                let unrelated = struct_ints(&st, "votes.unrelated", 1)?;
                let related = struct_ints(&st, "votes.related", 2)?;
                for ((k, u), r) in keys.into_iter().zip(unrelated).zip(related) {
                    votes.insert(k as u64, (u as u32, r as u32));
                }
            }
            let art = stemma_extract::extract_with_votes(d, &votes);
            let sig = Signature::of(&art.text, &cfg);
            arts.push((*o, art, sig));
        }
        batches.push(article_batch(&s, &arts, &cfg)?);
    }
    write_ipc(&s, &batches, "extract output")
}

pub(crate) fn article_batch(
    s: &SchemaRef,
    rows: &[(i64, Article, Signature)],
    cfg: &IndexConfig,
) -> Result<RecordBatch> {
    let (mut ord, mut key, mut bp, mut exact) = (
        Builders::i64s(),
        Builders::i64s(),
        Builders::i64s(),
        Builders::i64s(),
    );
    let mut strs: Vec<_> = (0..7).map(|_| Builders::strings()).collect();
    let mut cited = Builders::str_lists();
    let mut minhash = Builders::i32_lists();
    let (mut terms, mut bands) = (Builders::i64_lists(), Builders::i64_lists());
    for (o, a, sig) in rows {
        ord.append_value(*o);
        key.append_value(doc_key(&a.id));
        strs[0].append_value(&a.id);
        strs[1].append_option(a.title.as_deref());
        strs[2].append_value(&a.text);
        bp.append_value(a.boilerplate_chars as i64);
        strs[3].append_option(a.published.as_deref());
        strs[4].append_option(a.author.as_deref());
        strs[5].append_option(a.url.as_deref());
        strs[6].append_option(a.canonical_url.as_deref());
        for c in &a.cited {
            cited.values().append_value(c);
        }
        cited.append(true);
        exact.append_value(sig.exact as i64);
        for &v in &sig.minhash {
            minhash.values().append_value(v as i32);
        }
        minhash.append(true);
        for &t in &sig.terms {
            terms.values().append_value(t as i64);
        }
        terms.append(true);
        for k in sig.band_keys(cfg) {
            bands.values().append_value(k as i64);
        }
        bands.append(true);
    }
    let mut strs = strs
        .into_iter()
        .map(|mut b| Arc::new(b.finish()) as ArrayRef);
    let mut next = || strs.next().expect("seven string columns");
    let cols: Vec<ArrayRef> = vec![
        Arc::new(ord.finish()),
        Arc::new(key.finish()),
        next(),
        next(),
        next(),
        Arc::new(bp.finish()),
        next(),
        next(),
        next(),
        next(),
        Arc::new(cited.finish()),
        Arc::new(exact.finish()),
        Arc::new(minhash.finish()),
        Arc::new(terms.finish()),
        Arc::new(bands.finish()),
    ];
    make_batch(s, cols, "articles")
}

/// Row `i` of a batch holding article columns named `{prefix}id`,
/// `{prefix}title`, ... (see [`article_schema`]).
pub fn article_at(b: &RecordBatch, prefix: &str, i: usize) -> Result<Article> {
    let col = |n: &str| format!("{prefix}{n}");
    let s = |n: &str| Strings::of(b, &col(n));
    let cited_name = col("cited");
    Ok(Article {
        id: s("id")?.str(i).to_string(),
        title: s("title")?.get(i).map(str::to_string),
        text: s("text")?.str(i).to_string(),
        boilerplate_chars: i64s(b, &col("boilerplate_chars"))?.value(i).max(0) as usize,
        published: s("published")?.get(i).map(str::to_string),
        author: s("author")?.get(i).map(str::to_string),
        url: s("url")?.get(i).map(str::to_string),
        canonical_url: s("canonical_url")?.get(i).map(str::to_string),
        cited: list_str(lists(b, &cited_name)?, &cited_name, i)?,
    })
}

/// Per-process cache of sketch indexes, by the caller's key (one per run).
fn sketch_cache() -> &'static Mutex<HashMap<String, Arc<CandidateIndex>>> {
    static CACHE: OnceLock<Mutex<HashMap<String, Arc<CandidateIndex>>>> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(HashMap::new()))
}

/// Builds the key-term index of a whole corpus: `index` holds `idx` (dense
/// document numbers 0..n, any order) and `terms` (the signatures' key terms).
/// Only the key terms are indexed: queried with the same terms, it proposes
/// exactly the sketch candidates of `stemma_index::candidates_with`.
fn build_sketch_index(index: &[u8]) -> Result<CandidateIndex> {
    let mut docs: Vec<(i64, Vec<u64>)> = Vec::new();
    for b in read_ipc(index, "sketch index")? {
        let idx = i64s(&b, "idx")?;
        let terms = lists(&b, "terms")?;
        for r in 0..b.num_rows() {
            let t = list_i64(terms, "terms", r)?;
            docs.push((idx.value(r), t.into_iter().map(|x| x as u64).collect()));
        }
    }
    docs.sort_by_key(|d| d.0);
    let mut ix = CandidateIndex::new(IndexConfig::default());
    for (n, (idx, mut terms)) in docs.into_iter().enumerate() {
        if idx != n as i64 {
            return Err(Error::Value {
                name: "idx".into(),
                row: n,
                reason: format!("document numbers must be 0..n, found {idx}"),
            });
        }
        terms.sort_unstable();
        ix.insert_signature(Signature {
            exact: 0,
            minhash: Vec::new(),
            terms,
        });
    }
    Ok(ix)
}

/// Key-term sketch candidates: input `idx`, `terms` rows (the documents to
/// query); `index` the corpus' `idx`, `terms` rows as IPC bytes, built into an
/// index once per process and `cache_key`. Output [`pair_schema`] rows.
pub fn sketch_pairs(input: &[u8], index: &[u8], cache_key: &str) -> Result<Vec<u8>> {
    let ix = {
        let mut cache = sketch_cache().lock().unwrap_or_else(|e| e.into_inner());
        match cache.get(cache_key) {
            Some(ix) => Arc::clone(ix),
            None => {
                let ix = Arc::new(build_sketch_index(index)?);
                if cache.len() >= 4 {
                    cache.clear();
                }
                cache.insert(cache_key.to_string(), Arc::clone(&ix));
                ix
            }
        }
    };
    let s = pair_schema();
    let mut batches = Vec::new();
    for b in read_ipc(input, "sketch_pairs input")? {
        let idx = i64s(&b, "idx")?;
        let terms = lists(&b, "terms")?;
        let (mut i_col, mut j_col) = (Builders::i64s(), Builders::i64s());
        for r in 0..b.num_rows() {
            let me = idx.value(r) as usize;
            let mut t: Vec<u64> = list_i64(terms, "terms", r)?
                .into_iter()
                .map(|x| x as u64)
                .collect();
            t.sort_unstable();
            let sig = Signature {
                exact: 0,
                minhash: Vec::new(),
                terms: t,
            };
            for c in ix.query_signature(&sig, Some(me)) {
                i_col.append_value(me.min(c.id) as i64);
                j_col.append_value(me.max(c.id) as i64);
            }
        }
        let cols: Vec<ArrayRef> = vec![Arc::new(i_col.finish()), Arc::new(j_col.finish())];
        batches.push(make_batch(&s, cols, "sketch pairs")?);
    }
    write_ipc(&s, &batches, "sketch_pairs output")
}

/// The resources `stemma analyze` loads, chosen by the same environment
/// variables: `STEMMA_THESAURUS` (a mythes file, or `none`) and
/// `STEMMA_EMBED=on` (the embedder needs the `model` feature).
pub fn wanted_resources() -> stemma_resources::Want {
    stemma_resources::Want::from_env()
}

/// The pipeline settings with their resources (thesaurus, embedder), loaded
/// lazily once per process: on a Spark executor, once per Python worker.
pub fn config() -> &'static stemma_pipeline::Config {
    static CFG: OnceLock<stemma_pipeline::Config> = OnceLock::new();
    CFG.get_or_init(|| stemma_pipeline::Config {
        align: stemma_resources::align_context(wanted_resources()),
        ..Default::default()
    })
}

/// One line naming the resources in use (see [`config`]).
pub fn describe_resources() -> String {
    stemma_resources::describe(&config().align)
}

fn direction_name(c: &Comparison) -> String {
    serde_json::to_value(c.direction)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// Verifies candidate pairs: input `i`, `j` (dense numbers, `i < j`) and the
/// article columns of both sides prefixed `a_` and `b_`; output
/// [`comparison_schema`] rows, the comparison of `a` with `b` as JSON.
pub fn verify(input: &[u8]) -> Result<Vec<u8>> {
    let s = comparison_schema();
    let cfg = config();
    let mut batches = Vec::new();
    for b in read_ipc(input, "verify input")? {
        let (is, js) = (i64s(&b, "i")?, i64s(&b, "j")?);
        let (mut i_col, mut j_col, mut conf) =
            (Builders::i64s(), Builders::i64s(), Builders::f32s());
        let (mut kind, mut dir, mut json) = (
            Builders::strings(),
            Builders::strings(),
            Builders::strings(),
        );
        for r in 0..b.num_rows() {
            let a = article_at(&b, "a_", r)?;
            let bb = article_at(&b, "b_", r)?;
            let c = stemma_pipeline::compare(&a, &bb, cfg);
            i_col.append_value(is.value(r));
            j_col.append_value(js.value(r));
            kind.append_value(c.kind.to_string());
            dir.append_value(direction_name(&c));
            conf.append_value(c.confidence);
            json.append_value(serde_json::to_string(&c).map_err(|e| Error::Value {
                name: "comparison".into(),
                row: r,
                reason: e.to_string(),
            })?);
        }
        let cols: Vec<ArrayRef> = vec![
            Arc::new(i_col.finish()),
            Arc::new(j_col.finish()),
            Arc::new(kind.finish()),
            Arc::new(dir.finish()),
            Arc::new(conf.finish()),
            Arc::new(json.finish()),
        ];
        batches.push(make_batch(&s, cols, "comparisons")?);
    }
    write_ipc(&s, &batches, "verify output")
}

/// Connected components of an undirected edge list (`src`, `dst`, any
/// `i64` node ids) by union-find: one output row per node seen, its
/// component named by the smallest node id in it ([`component_schema`]).
pub fn components(input: &[u8]) -> Result<Vec<u8>> {
    let mut slot: HashMap<i64, usize> = HashMap::new();
    let mut nodes: Vec<i64> = Vec::new();
    let mut parent: Vec<usize> = Vec::new();
    fn find(p: &mut [usize], mut x: usize) -> usize {
        while p[x] != x {
            p[x] = p[p[x]];
            x = p[x];
        }
        x
    }
    let mut id = |n: i64, nodes: &mut Vec<i64>, parent: &mut Vec<usize>| {
        *slot.entry(n).or_insert_with(|| {
            nodes.push(n);
            parent.push(parent.len());
            parent.len() - 1
        })
    };
    for b in read_ipc(input, "components input")? {
        let (src, dst) = (i64s(&b, "src")?, i64s(&b, "dst")?);
        for r in 0..b.num_rows() {
            let x = id(src.value(r), &mut nodes, &mut parent);
            let y = id(dst.value(r), &mut nodes, &mut parent);
            let (rx, ry) = (find(&mut parent, x), find(&mut parent, y));
            if rx != ry {
                // Keep the smallest node id at the root.
                if nodes[rx] < nodes[ry] {
                    parent[ry] = rx;
                } else {
                    parent[rx] = ry;
                }
            }
        }
    }
    let s = component_schema();
    let (mut node, mut comp) = (Builders::i64s(), Builders::i64s());
    for x in 0..nodes.len() {
        let r = find(&mut parent, x);
        node.append_value(nodes[x]);
        comp.append_value(nodes[r]);
    }
    let cols: Vec<ArrayRef> = vec![Arc::new(node.finish()), Arc::new(comp.finish())];
    let batch = make_batch(&s, cols, "components")?;
    write_ipc(&s, &[batch], "components output")
}

/// The contract's report, as JSON: `articles` holds `idx` (dense numbers
/// 0..n, the order `stemma analyze` reads the documents in) and the article
/// columns; `compared` holds `i`, `j` and `comparison` (JSON) rows, in any
/// order. Runs `stemma_pipeline::report_from` over the pairs sorted by
/// `(i, j)`, as `stemma_pipeline::analyze` does.
pub fn report(articles: &[u8], compared: &[u8]) -> Result<String> {
    let mut arts: Vec<(i64, Article)> = Vec::new();
    for b in read_ipc(articles, "report articles")? {
        let idx = i64s(&b, "idx")?;
        for r in 0..b.num_rows() {
            arts.push((idx.value(r), article_at(&b, "", r)?));
        }
    }
    arts.sort_by_key(|a| a.0);
    for (n, (idx, _)) in arts.iter().enumerate() {
        if *idx != n as i64 {
            return Err(Error::Value {
                name: "idx".into(),
                row: n,
                reason: format!("document numbers must be 0..n, found {idx}"),
            });
        }
    }
    let articles: Vec<Article> = arts.into_iter().map(|a| a.1).collect();
    let mut pairs: Vec<(usize, usize, Comparison)> = Vec::new();
    for b in read_ipc(compared, "report comparisons")? {
        let (is, js) = (i64s(&b, "i")?, i64s(&b, "j")?);
        let json = Strings::of(&b, "comparison")?;
        for r in 0..b.num_rows() {
            let (i, j) = (is.value(r) as usize, js.value(r) as usize);
            if i >= articles.len() || j >= articles.len() {
                return Err(Error::Value {
                    name: "i/j".into(),
                    row: r,
                    reason: format!("pair ({i}, {j}) out of range"),
                });
            }
            let c: Comparison = serde_json::from_str(json.str(r)).map_err(|e| Error::Value {
                name: "comparison".into(),
                row: r,
                reason: e.to_string(),
            })?;
            pairs.push((i, j, c));
        }
    }
    pairs.sort_by_key(|p| (p.0, p.1));
    pairs.dedup_by_key(|p| (p.0, p.1));
    let report = stemma_pipeline::report_from(&articles, &pairs);
    serde_json::to_string(&report).map_err(|e| Error::Value {
        name: "report".into(),
        row: 0,
        reason: e.to_string(),
    })
}

/// The single-machine run over `paths`, as `stemma analyze PATHS --format
/// json` performs it (read, extract with corpus statistics, analyze with the
/// resources of [`config`]): the reference a distributed run must equal.
pub fn analyze_paths(paths: &[PathBuf]) -> Result<String> {
    let raws: Vec<RawDoc> = stemma_ingest::read_paths(paths)
        .filter_map(|r| match r {
            Ok(d) => Some(d),
            Err(e) => {
                eprintln!("stemma: skipped {e}");
                None
            }
        })
        .collect();
    let articles = stemma_pipeline::extract(&raws);
    let report = stemma_pipeline::analyze(&articles, config());
    serde_json::to_string(&report).map_err(|e| Error::Value {
        name: "report".into(),
        row: 0,
        reason: e.to_string(),
    })
}
