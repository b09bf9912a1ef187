//! Charset decoding on arbitrary bytes: no panic, and valid UTF-8 without a BOM comes back
//! unchanged whatever the page declares.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let html = stemma_ingest::decode_html(data);
    let text = stemma_ingest::decode_text(data);
    let _ = stemma_ingest::charset::looks_binary(data);
    let _ = stemma_ingest::charset::meta_charset(data);
    if let Ok(s) = std::str::from_utf8(data) {
        if !s.starts_with('\u{feff}') {
            assert_eq!(html, s);
            assert_eq!(text, s);
        }
    }
    let hints = stemma_ingest::charset::Hints {
        transport_charset: Some("iso-8859-1"),
        url: std::str::from_utf8(data).ok(),
    };
    let _ = stemma_ingest::charset::decode_html_with(data, hints);
});
