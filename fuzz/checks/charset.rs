//! Charset decoding on arbitrary bytes: no panic, and valid UTF-8 without a BOM comes back
//! unchanged whatever the page declares. Shared by cargo-fuzz and the stable driver.
#![allow(dead_code)]

/// Runs the checks on one input.
pub fn check(data: &[u8]) {
    let html = stemma_ingest::decode_html(data);
    let text = stemma_ingest::decode_text(data);
    let _ = stemma_ingest::charset::looks_binary(data);
    let _ = stemma_ingest::charset::meta_charset(data);
    if let Ok(s) = std::str::from_utf8(data)
        && !s.starts_with('\u{feff}')
    {
        assert_eq!(html, s, "valid UTF-8 HTML changed by decoding");
        assert_eq!(text, s, "valid UTF-8 text changed by decoding");
    }
    let hints = stemma_ingest::charset::Hints {
        transport_charset: Some("iso-8859-1"),
        url: std::str::from_utf8(data).ok(),
    };
    let d = stemma_ingest::charset::decode_html_with(data, hints);
    assert!(!d.text.starts_with('\u{feff}'), "BOM left in decoded text");
}

/// Seed inputs.
pub fn seeds() -> Vec<Vec<u8>> {
    vec![
        b"<html><head><meta charset=\"windows-1252\"></head><body>caf\xe9 \x93quoted\x94</body></html>".to_vec(),
        b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=shift_jis\">\x82\xb1\x82\xf1".to_vec(),
        b"\xef\xbb\xbfBOM then text".to_vec(),
        b"\xff\xfeU\x00T\x00F\x00-\x001\x006\x00".to_vec(),
        "plain UTF-8 caf\u{e9} na\u{ef}ve \u{2014} \u{65e5}\u{672c}".as_bytes().to_vec(),
        b"Le caf\xe9 de la gare a ferm\xe9.".to_vec(),
    ]
}

/// Tokens the mutator inserts.
pub const DICT: &[&[u8]] = &[
    b"<meta charset=\"",
    b"utf-16le",
    b"iso-2022-jp",
    b"gb18030",
    b"koi8-r",
    b"replacement",
    b"\xef\xbb\xbf",
    b"\xfe\xff",
    b"\x1b$B",
    b"charset=",
];
