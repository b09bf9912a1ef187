//! JSONL reader on arbitrary bytes: no panic; documents non-empty with a non-empty id;
//! errors one line naming the file. Shared by cargo-fuzz and the stable driver.
#![allow(dead_code)]

/// Runs the checks on one input.
pub fn check(data: &[u8]) {
    for r in stemma_ingest::parse_jsonl(data, "fuzz.jsonl") {
        match r {
            Ok(doc) => {
                assert!(!doc.id.is_empty(), "empty id");
                assert!(!doc.body.as_str().trim().is_empty(), "blank document");
            }
            Err(e) => {
                let m = e.to_string();
                assert!(!m.contains('\n'), "multi-line error {m:?}");
                assert!(
                    m.starts_with("fuzz.jsonl"),
                    "error does not name the file: {m:?}"
                );
            }
        }
    }
    if let Ok(s) = std::str::from_utf8(data) {
        let _ = stemma_ingest::normalize_published(s);
    }
}

/// Seed inputs.
pub fn seeds() -> Vec<Vec<u8>> {
    vec![
        b"{\"id\":\"a1\",\"text\":\"The harbour closed.\"}\n".to_vec(),
        b"{\"id\":\"a2\",\"html\":\"<p>Two</p>\",\"url\":\"http://x.test/2\",\"published\":\"2024-05-01T10:00:00+02:00\"}\n{\"id\":3,\"text\":\"numeric id\"}\n".to_vec(),
        b"{\"url\":\"http://x.test/u\",\"content\":\"no id, a url\",\"date\":1700000000}\r\n\n  \n{bad\n".to_vec(),
        "{\"id\":\"\u{e9}\",\"title\":\"T\",\"text\":\"caf\\u00e9 \\ud83d\\ude00\"}".as_bytes().to_vec(),
    ]
}

/// Tokens the mutator inserts.
pub const DICT: &[&[u8]] = &[
    b"{\"id\":",
    b"\"text\":",
    b"\"html\":",
    b"\"published\":",
    b"\"url\":",
    b"null",
    b"[[[[[[[[[[[[[[[[",
    b"\\u0000",
    b"\\ud800",
    b"1e999",
    b"\n",
];
