//! HTML extraction on arbitrary (UTF-8) pages: no panic, no stack overflow, bounded time,
//! and the extracted text comes from the page (no invented characters beyond whitespace
//! and entity decoding). Shared by cargo-fuzz and the stable driver.
#![allow(dead_code)]

/// Runs the checks on one input.
pub fn check(data: &[u8]) {
    let page = String::from_utf8_lossy(data);
    let a = stemma_extract::extract_html(&page, Some("http://example.test/a"));
    assert!(!a.text.starts_with(char::is_whitespace), "untrimmed text");
    assert!(!a.text.ends_with(char::is_whitespace), "untrimmed text");
    let _ = stemma_extract::explain_html(&page);
    // The citation readers run on any text, multi-byte case folds included.
    let _ = stemma_extract::cited_sources(&page);
    for d in stemma_extract::credited_elsewhere(&page, Some("http://example.test/a")) {
        assert!(!d.is_empty() && d.contains('.'), "credited {d:?}");
    }
    let raw = stemma_core::RawDoc {
        id: "fuzz".into(),
        url: Some("http://example.test/a".into()),
        published: std::str::from_utf8(data)
            .ok()
            .map(|s| s.chars().take(40).collect()),
        origin: "fuzz.html".into(),
        body: stemma_core::Body::Html(page.into_owned()),
    };
    let art = stemma_extract::extract_one(&raw);
    assert_eq!(art.id, "fuzz");
}

/// Seed inputs.
pub fn seeds() -> Vec<Vec<u8>> {
    vec![
        b"<!doctype html><html><head><title>Storm closes harbour | Site</title><meta property=\"og:title\" content=\"Storm closes harbour\"><link rel=\"canonical\" href=\"/a\"><script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"datePublished\":\"2024-01-02T03:04:05Z\",\"author\":{\"name\":\"A. Writer\"}}</script></head><body><nav><a href=\"/\">Home</a><a href=\"/x\">News</a></nav><article><h1>Storm closes harbour</h1><p>The harbour closed on Monday as the storm arrived, officials said.</p><p>Twelve crews worked through the night.</p></article><aside class=\"related\">Recommended news</aside><footer>Subscribe</footer></body></html>".to_vec(),
        b"<table><tr><td><div><p>Cell text with <b>bold <i>and italic</b> misnested</i> tags.</p></div></td></tr></table>".to_vec(),
        b"<p>Advertisement</p><div class=\"cookie-banner\">We use cookies</div><div id=\"content\"><p>Body &amp; soul &#x1F600; &bogus; text.</p><br><p>Second paragraph here.</p></div>".to_vec(),
        b"<svg><foreignObject><p>inside svg</p></foreignObject></svg><math><mi>x</mi></math><template><p>tpl</p></template><noscript><p>ns</p></noscript>".to_vec(),
    ]
}

/// Tokens the mutator inserts.
pub const DICT: &[&[u8]] = &[
    b"<div>",
    b"</div>",
    b"<p>",
    b"<b><i>",
    b"<table><tr><td>",
    b"<script>",
    b"</script>",
    b"<!--",
    b"-->",
    b"<![CDATA[",
    b"<meta charset=\"",
    b"<time datetime=\"",
    b"class=\"nav\"",
    b"style=\"display:none\"",
    b"&#",
    b"</span>",
    b"<a href=\"http://x.test\">",
    b"<svg>",
    b"<select><option>",
    b" told the BBC",
    b"Source: ",
    b"speaking to Reuters",
    b"\xc4\xb0",
];
