//! The HTTP API's POST /api/documents body parser on arbitrary bytes: no panic; accepted
//! documents are valid (non-empty id within the limit, no control characters, non-blank
//! body, no duplicate ids); rejections are 4xx with a one-line message.
//! Shared by cargo-fuzz and the stable driver.
#![allow(dead_code)]

/// Runs the checks on one input.
pub fn check(data: &[u8]) {
    match stemma_server::parse_ingest_body(data) {
        Ok(docs) => {
            assert!(!docs.is_empty(), "accepted an empty batch");
            assert!(docs.len() <= stemma_server::MAX_DOCS_PER_REQUEST);
            let mut ids = std::collections::HashSet::new();
            for d in &docs {
                assert!(!d.id.trim().is_empty(), "blank id accepted");
                assert!(
                    d.id.len() <= stemma_server::MAX_ID_BYTES,
                    "long id accepted"
                );
                assert!(!d.id.chars().any(char::is_control), "control char in id");
                assert!(!d.body.as_str().trim().is_empty(), "blank body accepted");
                assert!(ids.insert(d.id.clone()), "duplicate id accepted");
            }
        }
        Err(e) => {
            assert!(e.status.is_client_error(), "{} for a bad body", e.status);
            assert!(!e.message.is_empty());
        }
    }
}

/// Seed inputs.
pub fn seeds() -> Vec<Vec<u8>> {
    vec![
        br#"{"id":"a","text":"The harbour closed."}"#.to_vec(),
        br#"[{"id":"a","html":"<p>x</p>","url":"http://x.test/","published":"2024-01-01T00:00:00Z"},{"id":"b","text":"two"}]"#.to_vec(),
        br#"[{"id":"a","text":"x"},{"id":"a","text":"y"}]"#.to_vec(),
        br#"{"id":"\u0000","text":"x","extra":1}"#.to_vec(),
        br#"[]"#.to_vec(),
    ]
}

/// Tokens the mutator inserts.
pub const DICT: &[&[u8]] = &[
    b"{\"id\":",
    b"\"text\":",
    b"\"html\":",
    b"\"url\":null",
    b"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
    b"{\"a\":{\"a\":{\"a\":{\"a\":",
    b"\\u0000",
    b"\\ud800",
    b"1e999",
    b"\"\"",
];
