//! WARC reader on arbitrary bytes: no panic, every document non-empty and within limits,
//! errors one line. Shared by `fuzz_targets/warc.rs` (cargo-fuzz) and the stable driver.
#![allow(dead_code)]

/// Runs the checks on one input.
pub fn check(data: &[u8]) {
    for r in stemma_ingest::parse_warc(data, "fuzz.warc") {
        match r {
            Ok(doc) => {
                assert!(!doc.id.is_empty(), "empty id");
                assert!(!doc.body.as_str().trim().is_empty(), "blank document");
                assert!(doc.body.as_str().len() as u64 <= 4 * stemma_ingest::MAX_DOC_BYTES);
            }
            Err(e) => {
                let m = e.to_string();
                assert!(!m.contains('\n'), "multi-line error {m:?}");
                assert!(
                    m.starts_with("fuzz.warc"),
                    "error does not name the file: {m:?}"
                );
            }
        }
    }
    if let Ok(resp) = stemma_ingest::parse_http_response(data) {
        let _ = resp.payload();
        let _ = resp.is_html();
    }
    let _ = stemma_ingest::dechunk(data);
}

fn record(id: &str, http: &str) -> Vec<u8> {
    format!(
        "WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:{id}>\r\nWARC-Target-URI: http://example.test/{id}\r\nWARC-Date: 2024-01-01T00:00:00Z\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n{http}\r\n\r\n",
        http.len()
    )
    .into_bytes()
}

/// Seed inputs: well-formed records of the shapes the reader handles.
pub fn seeds() -> Vec<Vec<u8>> {
    let page = "<html><head><title>T</title></head><body><p>The harbour closed on Monday.</p></body></html>";
    vec![
        record("a", &format!("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{page}")),
        [
            record("b", &format!("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n{:x}\r\n{page}\r\n0\r\n\r\n", page.len())),
            record("c", "HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\n\r\n<p>gone</p>"),
        ]
        .concat(),
        b"WARC/1.0\r\nWARC-Type: warcinfo\r\nContent-Length: 10\r\n\r\nsoftware: \r\n\r\n".to_vec(),
        b"WARC/1.0\r\nWARC-Type: conversion\r\nWARC-Target-URI: http://x.test/\r\nWARC-Record-ID: <urn:uuid:d>\r\nContent-Length: 26\r\n\r\nPlain extracted text here.\r\n\r\n".to_vec(),
        record("e", "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=iso-8859-1\r\n\r\n<p>caf\u{e9}</p>"),
    ]
}

/// Tokens the mutator inserts.
pub const DICT: &[&[u8]] = &[
    b"WARC/1.0\r\n",
    b"WARC-Type: response\r\n",
    b"Content-Length: ",
    b"Content-Length: 99999999999999999999\r\n",
    b"Content-Encoding: gzip\r\n",
    b"Content-Encoding: deflate\r\n",
    b"Transfer-Encoding: chunked\r\n",
    b"\r\n\r\n",
    b"HTTP/1.1 200 OK\r\n",
    b"charset=",
    b"ffffffffffffffff\r\n",
];
