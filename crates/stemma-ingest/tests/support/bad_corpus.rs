//! The bad-input corpus, generated (never committed): a folder where good documents are
//! interleaved with every kind of bad input the readers must survive, and the manifest of
//! what must come out of it.
//!
//! Used by `tests/bad_corpus.rs` (library level, small sizes) and by
//! `examples/bad_corpus.rs` (which writes the full-size corpus and its manifest for the
//! binary-level checks of `scripts/reliability.sh`).
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use flate2::Compression;
use flate2::write::GzEncoder;

/// How big the big inputs are.
#[derive(Debug, Clone, Copy)]
pub struct Scale {
    /// Bytes of the single-line page that must be accepted and extracted.
    pub long_line: usize,
    /// Bytes of the single-line page that must be refused as too large.
    pub huge_line: usize,
    /// Nesting depth of the deeply nested page.
    pub depth: usize,
    /// Decompressed bytes of each zip bomb.
    pub bomb: usize,
}

impl Scale {
    /// The sizes named in the reliability issue (100 MB line, 100k levels).
    pub const FULL: Scale = Scale {
        long_line: 32 << 20,
        huge_line: 100 << 20,
        depth: 100_000,
        bomb: 1 << 30,
    };
    /// Sizes for a debug-mode test: still over every limit that matters.
    pub const SMALL: Scale = Scale {
        long_line: 1 << 20,
        huge_line: 100 << 20,
        depth: 100_000,
        bomb: 300 << 20,
    };
}

/// What the corpus must yield.
#[derive(Debug, Default)]
pub struct Expected {
    /// Ids that must be read (and stored, and reported) whatever else happens.
    pub good: Vec<String>,
    /// Ids that may or may not come out (records after the damage in a truncated file).
    pub maybe: Vec<String>,
    /// Bad file (relative path) -> a phrase its one error line must hold.
    pub errors: BTreeMap<String, String>,
    /// Good id -> a phrase its text must hold (decoding checks).
    pub text_has: BTreeMap<String, String>,
}

impl Expected {
    /// The manifest as JSON (for the shell checks).
    pub fn to_json(&self) -> String {
        let q = |s: &str| serde_json::Value::String(s.to_string());
        let v = serde_json::json!({
            "good": self.good.iter().map(|s| q(s)).collect::<Vec<_>>(),
            "maybe": self.maybe.iter().map(|s| q(s)).collect::<Vec<_>>(),
            "errors": self.errors.iter().map(|(k, v)| (k.clone(), q(v))).collect::<serde_json::Map<_, _>>(),
            "text_has": self.text_has.iter().map(|(k, v)| (k.clone(), q(v))).collect::<serde_json::Map<_, _>>(),
        });
        serde_json::to_string_pretty(&v).unwrap()
    }
}

fn gz(data: &[u8]) -> Vec<u8> {
    let mut e = GzEncoder::new(Vec::new(), Compression::fast());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

/// Made-up prose for document `tag`, varied enough to survive boilerplate removal and not
/// to be taken as a copy of another document.
pub fn prose(tag: &str, sentences: usize) -> String {
    let mut rng = stemma_synth::Rng::new(tag.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ b as u64).wrapping_mul(0x100_0000_01b3)
    }));
    let mut s = String::new();
    for i in 0..sentences {
        s.push_str(&format!("In report {tag} part {i} the"));
        for _ in 0..12 {
            s.push(' ');
            s.push_str(rng.word());
        }
        s.push_str(". ");
    }
    s
}

fn page(tag: &str) -> String {
    format!(
        "<html><head><title>Report {tag}</title></head><body><article><h1>Report {tag}</h1><p>{}</p><p>{}</p></article></body></html>",
        prose(tag, 3),
        prose(&format!("{tag}b"), 3)
    )
}

fn jsonl_line(id: &str) -> String {
    format!(
        "{}\n",
        serde_json::json!({ "id": id, "text": prose(id, 4) })
    )
}

fn warc_record(id: &str, http_headers: &str, payload: &[u8]) -> Vec<u8> {
    let mut block = format!("HTTP/1.1 200 OK\r\n{http_headers}\r\n").into_bytes();
    block.extend_from_slice(payload);
    let mut rec = format!(
        "WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:{id}>\r\nWARC-Target-URI: http://example.test/{id}\r\nWARC-Date: 2024-01-01T00:00:00Z\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n",
        block.len()
    )
    .into_bytes();
    rec.extend_from_slice(&block);
    rec.extend_from_slice(b"\r\n\r\n");
    rec
}

fn html_record(id: &str) -> Vec<u8> {
    warc_record(
        id,
        "Content-Type: text/html; charset=utf-8\r\n",
        page(id).as_bytes(),
    )
}

/// A gzip stream of `n` zero bytes, written without holding them in memory.
fn gz_zeros(n: usize) -> Vec<u8> {
    let mut e = GzEncoder::new(Vec::new(), Compression::fast());
    let zeros = vec![0u8; 1 << 20];
    let mut left = n;
    while left > 0 {
        let k = left.min(zeros.len());
        e.write_all(&zeros[..k]).unwrap();
        left -= k;
    }
    e.finish().unwrap()
}

/// Writes the corpus into `root` (which should be empty) and returns what it must yield.
/// File names sort so that good documents come before, between and after the bad ones.
pub fn write_corpus(root: &Path, scale: Scale) -> Expected {
    let mut ex = Expected::default();
    let w = |name: &str, data: &[u8]| {
        let p = root.join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, data).unwrap();
    };
    let good = |ex: &mut Expected, id: &str| ex.good.push(id.to_string());
    let bad = |ex: &mut Expected, file: &str, why: &str| {
        ex.errors.insert(file.to_string(), why.to_string());
    };

    w(
        "a00-first.txt",
        format!("First report\n{}\n", prose("a00", 5)).as_bytes(),
    );
    good(&mut ex, "a00-first");
    w("a01-page.html", page("a01").as_bytes());
    good(&mut ex, "a01-page");

    // Truncated gzip: a complete first member, then a second member cut in half.
    let first: String = (0..50).map(|i| jsonl_line(&format!("tz{i:03}"))).collect();
    let second: String = (50..150)
        .map(|i| jsonl_line(&format!("tz{i:03}")))
        .collect();
    let z2 = gz(second.as_bytes());
    w(
        "b01-truncated.jsonl.gz",
        &[gz(first.as_bytes()), z2[..z2.len() / 2].to_vec()].concat(),
    );
    (0..50).for_each(|i| good(&mut ex, &format!("tz{i:03}")));
    (50..150).for_each(|i| ex.maybe.push(format!("tz{i:03}")));
    bad(
        &mut ex,
        "b01-truncated.jsonl.gz",
        "truncated or corrupt gzip data",
    );

    // Truncated WARC, plain: two records, then one cut inside its block.
    let r3 = html_record("tw3");
    w(
        "b02-truncated.warc",
        &[
            html_record("tw1"),
            html_record("tw2"),
            r3[..r3.len() / 2].to_vec(),
        ]
        .concat(),
    );
    good(&mut ex, "urn:uuid:tw1");
    good(&mut ex, "urn:uuid:tw2");
    bad(&mut ex, "b02-truncated.warc", "truncated");

    // Truncated WARC, gzip per record: the third member cut.
    let m3 = gz(&html_record("tg3"));
    w(
        "b03-truncated.warc.gz",
        &[
            gz(&html_record("tg1")),
            gz(&html_record("tg2")),
            m3[..m3.len() / 2].to_vec(),
        ]
        .concat(),
    );
    good(&mut ex, "urn:uuid:tg1");
    good(&mut ex, "urn:uuid:tg2");
    bad(
        &mut ex,
        "b03-truncated.warc.gz",
        "truncated or corrupt gzip data",
    );

    // Invalid UTF-8: mostly UTF-8 text with stray bytes (kept, decoded), and a JSONL line
    // with raw invalid bytes inside a string (that line refused, the others kept).
    let mut t = format!("Caf\u{e9} report\n{}\n", prose("c01", 4)).into_bytes();
    t.extend_from_slice(b"stray \xff\xfe bytes \xc3 here, then caf\xc3\xa9 again.\n");
    w("c01-invalid-utf8.txt", &t);
    good(&mut ex, "c01-invalid-utf8");
    let mut j = jsonl_line("iu1").into_bytes();
    j.extend_from_slice(b"{\"id\":\"iu-bad\",\"text\":\"bad \xff\xfe bytes\"}\n");
    j.extend_from_slice(jsonl_line("iu2").as_bytes());
    w("c02-invalid-utf8.jsonl", &j);
    good(&mut ex, "iu1");
    good(&mut ex, "iu2");
    bad(&mut ex, "c02-invalid-utf8.jsonl", "line 2: invalid JSON");

    // Mislabelled charsets: UTF-8 bytes declared latin-1, latin-1 bytes declared UTF-8.
    w(
        "c03-mislabelled-latin1.html",
        format!(
            "<html><head><meta charset=\"iso-8859-1\"><title>Caf\u{e9}</title></head><body><p>Le caf\u{e9} cr\u{e8}me \u{2014} na\u{ef}ve. {}</p></body></html>",
            prose("c03", 3)
        )
        .as_bytes(),
    );
    good(&mut ex, "c03-mislabelled-latin1");
    ex.text_has.insert(
        "c03-mislabelled-latin1".into(),
        "caf\u{e9} cr\u{e8}me".into(),
    );
    let mut l = b"<html><head><meta charset=\"utf-8\"></head><body><p>Le caf\xe9 de la gare a ferm\xe9 ses portes apr\xe8s trente ann\xe9es, \xe0 la grande surprise des habitu\xe9s. ".to_vec();
    l.extend_from_slice(prose("c04", 3).as_bytes());
    l.extend_from_slice(b"</p></body></html>");
    w("c04-mislabelled-utf8.html", &l);
    good(&mut ex, "c04-mislabelled-utf8");
    ex.text_has
        .insert("c04-mislabelled-utf8".into(), "caf\u{e9} de la gare".into());

    // One very long line that is accepted, one over the size limit.
    let mut long = String::with_capacity(scale.long_line + 100);
    long.push_str("<html><body><p>");
    let mut k = 0;
    while long.len() < scale.long_line {
        long.push_str(&prose(&format!("d01-{k}"), 1));
        k += 1;
    }
    long.push_str("</p></body></html>");
    w("d01-long-line.html", long.as_bytes());
    drop(long);
    good(&mut ex, "d01-long-line");
    let mut huge = b"<html><body><p>".to_vec();
    huge.resize(scale.huge_line, b'x');
    w("d02-huge-line.html", &huge);
    drop(huge);
    bad(&mut ex, "d02-huge-line.html", "byte limit");

    // Deep nesting.
    let deep = [
        "<div>".repeat(scale.depth),
        prose("d03", 3),
        "</div>".repeat(scale.depth),
    ]
    .concat();
    w("d03-deep.html", deep.as_bytes());
    good(&mut ex, "d03-deep");
    let unclosed = ["<b><i><span>".repeat(scale.depth / 3), prose("d04", 3)].concat();
    w("d04-deep-unclosed.html", unclosed.as_bytes());
    good(&mut ex, "d04-deep-unclosed");

    // Zip bombs: a gzip file, and a gzip HTTP body inside a WARC record.
    w("e01-bomb.jsonl.gz", &gz_zeros(scale.bomb));
    bad(&mut ex, "e01-bomb.jsonl.gz", "zip bomb");
    let bomb_body = gz_zeros(scale.bomb.min(200 << 20));
    w(
        "e02-bomb-body.warc",
        &[
            html_record("eb1"),
            warc_record(
                "eb-bomb",
                "Content-Type: text/html\r\nContent-Encoding: gzip\r\n",
                &bomb_body,
            ),
            html_record("eb2"),
        ]
        .concat(),
    );
    good(&mut ex, "urn:uuid:eb1");
    good(&mut ex, "urn:uuid:eb2");
    bad(&mut ex, "e02-bomb-body.warc", "limit");

    // NUL bytes: a text file with NULs is binary; an HTML page with a stray NUL is read.
    w("f01-nul.txt", b"text with a \0 NUL byte and more \0\0\0");
    bad(&mut ex, "f01-nul.txt", "binary content");
    w(
        "f02-nul-in.html",
        format!(
            "<html><body><p>{}\0{}</p></body></html>",
            prose("f02", 2),
            prose("f02b", 2)
        )
        .as_bytes(),
    );
    good(&mut ex, "f02-nul-in");

    // Empty and whitespace-only.
    w("g01-empty.txt", b"");
    bad(&mut ex, "g01-empty.txt", "empty document");
    w("g02-blank.html", b"  \n\t \r\n   ");
    bad(&mut ex, "g02-blank.html", "empty document");
    w(
        "g03-blank.jsonl",
        b"{\"id\":\"blank1\",\"text\":\"   \\n \"}\n",
    );
    bad(&mut ex, "g03-blank.jsonl", "empty document");

    // Duplicate ids with different content: the first read wins, the second is reported.
    w("h01-dup-a.jsonl", jsonl_line("dup1").as_bytes());
    good(&mut ex, "dup1");
    ex.text_has
        .insert("dup1".into(), prose("dup1", 1)[..40].to_string());
    w(
        "h02-dup-b.jsonl",
        [
            jsonl_line("h02-ok"),
            format!(
                "{}\n",
                serde_json::json!({"id": "dup1", "text": prose("other", 4)})
            ),
        ]
        .concat()
        .as_bytes(),
    );
    good(&mut ex, "h02-ok");
    bad(
        &mut ex,
        "h02-dup-b.jsonl",
        "duplicate id \"dup1\" (different content",
    );

    // Random binary named .html.
    let noise: Vec<u8> = (0..8192u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    w("i01-noise.html", &noise);
    bad(&mut ex, "i01-noise.html", "binary content");

    // And good documents after all of it.
    w(
        "z98-late.jsonl",
        [jsonl_line("late1"), jsonl_line("late2")]
            .concat()
            .as_bytes(),
    );
    good(&mut ex, "late1");
    good(&mut ex, "late2");
    w(
        "z99-last.txt",
        format!("Last report\n{}\n", prose("z99", 5)).as_bytes(),
    );
    good(&mut ex, "z99-last");
    ex
}
