//! WARC reader on arbitrary bytes: no panic, every document non-empty and within limits,
//! at most one error after the last document when the input ends inside a record.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for r in stemma_ingest::parse_warc(data, "fuzz.warc") {
        match r {
            Ok(doc) => {
                assert!(!doc.body.as_str().trim().is_empty());
                assert!(doc.body.as_str().len() as u64 <= 4 * stemma_ingest::MAX_DOC_BYTES);
            }
            Err(e) => assert!(!e.to_string().contains('\n'), "one-line errors"),
        }
    }
    if let Ok(resp) = stemma_ingest::parse_http_response(data) {
        let _ = resp.payload();
        let _ = resp.is_html();
    }
    let _ = stemma_ingest::dechunk(data);
});
