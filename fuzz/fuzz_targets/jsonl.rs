//! JSONL reader on arbitrary bytes: no panic; documents are non-empty and keep a non-empty id.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for r in stemma_ingest::parse_jsonl(data, "fuzz.jsonl") {
        match r {
            Ok(doc) => {
                assert!(!doc.id.is_empty());
                assert!(!doc.body.as_str().trim().is_empty());
            }
            Err(e) => assert!(!e.to_string().contains('\n'), "one-line errors"),
        }
    }
    if let Ok(s) = std::str::from_utf8(data) {
        let _ = stemma_ingest::normalize_published(s);
    }
});
