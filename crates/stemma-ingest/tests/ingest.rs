//! Integration tests: a folder of good and corrupted inputs, and property tests of the
//! parsers on arbitrary bytes. All fixtures are made up here.
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use flate2::Compression;
use flate2::write::GzEncoder;
use proptest::prelude::*;
use stemma_core::Body;
use stemma_ingest::{
    IngestError, MAX_DOC_BYTES, Reason, decode_html, decode_text, parse_jsonl, parse_warc,
    read_file, read_paths,
};

fn gz(data: &[u8]) -> Vec<u8> {
    let mut e = GzEncoder::new(Vec::new(), Compression::fast());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn warc_record(id: &str, uri: &str, html: &str) -> Vec<u8> {
    let block = format!("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{html}");
    format!(
        "WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <{id}>\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2024-01-01T00:00:00Z\r\nContent-Length: {}\r\n\r\n{block}\r\n\r\n",
        block.len()
    )
    .into_bytes()
}

/// Made-up sentence number `i`, varied enough not to compress to nothing.
fn sentence(i: usize) -> String {
    format!(
        "Item {i}: the council of town {} voted {} to {} on plan {:x}.",
        i * 7919 % 1009,
        i % 13,
        i % 11,
        i.wrapping_mul(2654435761)
    )
}

/// What one file produced: documents (by id) and error messages.
#[derive(Default, Debug)]
struct Outcome {
    ids: Vec<String>,
    errors: Vec<String>,
}

/// Outcomes keyed by path relative to `root`.
fn run(root: &Path) -> BTreeMap<String, Outcome> {
    let paths = [root.to_path_buf()];
    let file_name = |p: &str| {
        Path::new(p)
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .into_owned()
    };
    let mut by_file: BTreeMap<String, Outcome> = BTreeMap::new();
    for r in read_paths(&paths) {
        match r {
            Ok(d) => {
                let name = file_name(&d.origin);
                by_file.entry(name).or_default().ids.push(d.id);
            }
            Err(e) => {
                let msg = e.to_string();
                assert!(!msg.contains('\n'), "one-line errors: {msg:?}");
                by_file
                    .entry(file_name(e.file()))
                    .or_default()
                    .errors
                    .push(msg);
            }
        }
    }
    by_file
}

#[test]
fn corrupted_folder_yields_good_documents_and_one_error_per_bad_file() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let w = |name: &str, data: &[u8]| {
        let p = root.join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, data).unwrap();
    };
    w("good.txt", b"A good plain text document.\n");
    w(
        "good.html",
        b"<html><body><p>A good page.</p></body></html>",
    );
    w(
        "sub/good.txt",
        b"Another file with the same stem in a sub-folder.\n",
    );
    w("feed.jsonl", b"{\"id\":\"j1\",\"text\":\"one\"}\n{oops\n{\"id\":\"j2\",\"html\":\"<p>two</p>\",\"published\":\"2024-05-01\"}\n");
    w(
        "dups.jsonl",
        b"{\"id\":\"d1\",\"text\":\"first\"}\n{\"id\":\"d1\",\"text\":\"second\"}\n",
    );
    // 400 lines, cut in the middle of the gzip stream.
    let lines: String = (0..400)
        .map(|i| format!("{{\"id\":\"t{i}\",\"text\":\"{}\"}}\n", sentence(i)))
        .collect();
    let z = gz(lines.as_bytes());
    w("truncated.jsonl.gz", &z[..z.len() / 2]);
    // One gzip member per WARC record; the third member is cut.
    let members: Vec<Vec<u8>> = (0..3)
        .map(|i| {
            let body: String = (0..50).map(|j| sentence(i * 100 + j)).collect();
            gz(&warc_record(
                &format!("urn:uuid:w{i}"),
                "http://example.test/a",
                &format!("<p>{body}</p>"),
            ))
        })
        .collect();
    let mut warc = [members[0].clone(), members[1].clone()].concat();
    warc.extend_from_slice(&members[2][..members[2].len() / 2]);
    w("truncated.warc.gz", &warc);
    w(
        "latin1.txt",
        b"Le caf\xe9 de la gare a ferm\xe9 ses portes apr\xe8s trente ann\xe9es.\n",
    );
    w(
        "binary.txt",
        &(0..4096u32)
            .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
            .collect::<Vec<_>>(),
    );
    w("empty.txt", b"");
    w("blank.html", b"  \n\t \r\n");
    w("nul.txt", b"text with a \0 NUL byte");
    w("mislabelled.html", "<html><head><meta charset=\"iso-8859-1\"></head><body><p>Caf\u{e9} cr\u{e8}me \u{2014} na\u{ef}ve</p></body></html>".as_bytes());
    w(
        "nested.html",
        &[
            b"<div>".repeat(200_000),
            b"deep".to_vec(),
            b"</div>".repeat(200_000),
        ]
        .concat(),
    );
    w("notes.xyz", b"ignored in a folder");
    w(".hidden.txt", b"ignored dot-file");
    let mut big = b"word ".repeat(12_000_000); // 60 MB, one line
    big.push(b'\n');
    w("big.txt", &big);
    drop(big);
    w("toobig.txt", &vec![b'a'; MAX_DOC_BYTES as usize + 10]);
    // A zip bomb: 300 MiB of zeros in a few hundred kilobytes.
    let mut bomb = GzEncoder::new(Vec::new(), Compression::fast());
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..300 {
        bomb.write_all(&zeros).unwrap();
    }
    w("bomb.jsonl.gz", &bomb.finish().unwrap());

    let got = run(root);
    let ok = |name: &str, ids: &[&str]| {
        let o = got
            .get(name)
            .unwrap_or_else(|| panic!("no outcome for {name}"));
        assert_eq!(o.ids, ids, "{name}: {o:?}");
        assert!(o.errors.is_empty(), "{name}: {o:?}");
    };
    // Sorted order: good.html takes the stem, good.txt and sub/good.txt fall back.
    ok("good.html", &["good"]);
    ok("good.txt", &["good.txt"]);
    ok("sub/good.txt", &["sub/good"]);
    ok("latin1.txt", &["latin1"]);
    ok("mislabelled.html", &["mislabelled"]);
    ok("nested.html", &["nested"]);
    ok("big.txt", &["big"]);
    assert!(!got.contains_key("notes.xyz") && !got.contains_key(".hidden.txt"));

    let one_error = |name: &str, ids: usize, needle: &str| {
        let o = got
            .get(name)
            .unwrap_or_else(|| panic!("no outcome for {name}"));
        assert_eq!(o.errors.len(), 1, "{name}: {o:?}");
        assert!(
            o.errors[0].contains(needle),
            "{name}: {:?} lacks {needle:?}",
            o.errors[0]
        );
        assert!(o.errors[0].contains(name), "{name}: {:?}", o.errors[0]);
        assert_eq!(o.ids.len(), ids, "{name}: {o:?}");
    };
    one_error("feed.jsonl", 2, "line 2: invalid JSON");
    one_error(
        "dups.jsonl",
        1,
        "line 2: duplicate id \"d1\" (different content from the one first read from",
    );
    one_error("binary.txt", 0, "binary content");
    one_error("nul.txt", 0, "binary content");
    one_error("empty.txt", 0, "empty document");
    one_error("blank.html", 0, "empty document");
    one_error("toobig.txt", 0, "over the 67108864-byte limit");
    one_error("bomb.jsonl.gz", 0, "possible zip bomb");
    one_error("truncated.warc.gz", 2, "truncated or corrupt gzip data");
    let t = &got["truncated.jsonl.gz"];
    assert!(t.ids.len() > 10 && t.ids.len() < 400, "{t:?}");
    assert_eq!(t.errors.len(), 1, "{t:?}");
    assert!(
        t.errors[0].contains("truncated or corrupt gzip data"),
        "{t:?}"
    );
}

#[test]
fn decoded_bodies_are_right() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("mis.html");
    std::fs::write(
        &p,
        "<meta charset=windows-1252><p>Zoë — naïve café</p>".as_bytes(),
    )
    .unwrap();
    let docs = read_file(&p);
    let d = docs[0].as_ref().unwrap();
    assert!(d.body.as_str().contains("Zoë — naïve café"));
    assert!(matches!(d.body, Body::Html(_)));
    let p = dir.path().join("l.txt");
    std::fs::write(
        &p,
        b"Gr\xfc\xdfe aus K\xf6ln und M\xfcnchen, sch\xf6ne Gr\xfc\xdfe.",
    )
    .unwrap();
    let d = read_file(&p).remove(0).unwrap();
    assert_eq!(d.body.as_str(), "Grüße aus Köln und München, schöne Grüße.");
}

#[test]
fn explicit_paths_table() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.txt");
    std::fs::write(&a, "alpha").unwrap();
    let md = dir.path().join("readme.md");
    std::fs::write(&md, "x").unwrap();
    let missing = dir.path().join("missing.txt");
    let cases: Vec<(Vec<PathBuf>, Vec<&str>)> = vec![
        (vec![a.clone()], vec!["ok a"]),
        (vec![a.clone(), a.clone()], vec!["ok a"]),
        (vec![dir.path().to_path_buf(), a.clone()], vec!["ok a"]),
        (vec![md.clone()], vec!["err unsupported file type"]),
        (
            vec![missing.clone(), a.clone()],
            vec!["err cannot read", "ok a"],
        ),
    ];
    for (paths, want) in cases {
        let got: Vec<String> = read_paths(&paths)
            .map(|r| match r {
                Ok(d) => format!("ok {}", d.id),
                Err(e) => format!("err {e}"),
            })
            .collect();
        assert_eq!(got.len(), want.len(), "{paths:?}: {got:?}");
        for (g, w) in got.iter().zip(&want) {
            let (kind, rest) = w.split_once(' ').unwrap();
            assert!(g.starts_with(kind) && g.contains(rest), "{g:?} vs {w:?}");
        }
    }
}

#[test]
fn error_reasons_are_matchable() {
    let r: Vec<_> = parse_jsonl(&b"{\"id\":1}\n"[..], "f").collect();
    match &r[0] {
        Err(IngestError::Record { reason, .. }) => assert_eq!(*reason, Reason::MissingBody),
        other => panic!("{other:?}"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn parsers_never_panic_on_random_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = parse_jsonl(&bytes[..], "p").count();
        let _ = parse_warc(&bytes[..], "p").count();
        let _ = decode_html(&bytes);
        let _ = decode_text(&bytes);
        let _ = stemma_ingest::dechunk(&bytes);
        if let Ok(r) = stemma_ingest::parse_http_response(&bytes) {
            let _ = r.payload();
        }
    }

    #[test]
    fn warc_prefixed_junk_never_panics(tail in proptest::collection::vec(any::<u8>(), 0..512)) {
        let mut input = b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 40\r\n\r\nHTTP/1.1 200 OK\r\n".to_vec();
        input.extend(tail);
        let _ = parse_warc(&input[..], "p").count();
    }

    #[test]
    fn truncated_warc_keeps_complete_records(n in 1usize..5, cut in 0.0f64..1.0) {
        let records: Vec<Vec<u8>> = (0..n)
            .map(|i| warc_record(&format!("urn:r{i}"), "http://e.test/", &format!("<p>{}</p>", sentence(i))))
            .collect();
        let all = records.concat();
        let at = ((all.len() as f64) * cut) as usize;
        let results: Vec<_> = parse_warc(&all[..at], "p").collect();
        let mut complete = 0;
        let mut end = 0;
        for r in &records {
            // A record is complete once its block is; the trailing CRLFs are optional.
            if end + r.len() - 4 <= at { complete += 1; }
            end += r.len();
        }
        let oks = results.iter().filter(|r| r.is_ok()).count();
        prop_assert_eq!(oks, complete);
        prop_assert!(results.len() - oks <= 1);
    }

    #[test]
    fn utf8_text_round_trips(s in "\\PC{1,200}") {
        prop_assume!(!s.trim().is_empty());
        prop_assert_eq!(decode_text(s.as_bytes()), s.clone());
        prop_assert_eq!(decode_html(s.as_bytes()), s);
    }

    #[test]
    fn jsonl_round_trips(docs in proptest::collection::vec(("[a-z0-9]{1,8}", "\\PC{1,80}"), 1..8)) {
        let mut input = String::new();
        for (id, text) in &docs {
            input.push_str(&serde_json::json!({"id": id, "text": text}).to_string());
            input.push('\n');
        }
        let got: Vec<_> = parse_jsonl(input.as_bytes(), "p").collect();
        prop_assert_eq!(got.len(), docs.len());
        for ((id, text), r) in docs.iter().zip(got) {
            match r {
                Ok(d) => { prop_assert_eq!(&d.id, id); prop_assert_eq!(d.body.as_str(), text.as_str()); }
                Err(e) => prop_assert!(text.trim().is_empty(), "{}", e),
            }
        }
    }
}
