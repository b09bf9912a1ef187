//! Third-party extractors, compiled only with the `candidates` feature, so the
//! evaluation can compare them with ours on the same pages.

/// Main text by `dom_smoothie` (a Readability port), as plain text.
pub fn dom_smoothie_text(html: &str, url: Option<&str>) -> Option<String> {
    let cfg = dom_smoothie::Config {
        text_mode: dom_smoothie::TextMode::Formatted,
        ..Default::default()
    };
    let mut r = dom_smoothie::Readability::new(html, url, Some(cfg)).ok()?;
    r.parse().ok().map(|a| a.text_content.to_string())
}

/// Main text by `legible` (a Readability.js port).
pub fn legible_text(html: &str, url: Option<&str>) -> Option<String> {
    legible::parse(html, url, None).ok().map(|a| a.text_content)
}

/// Main text by `libreadability` (a go-readability port).
pub fn libreadability_text(html: &str, url: Option<&str>) -> Option<String> {
    libreadability::extract(html, url)
        .ok()
        .map(|a| a.text_content)
}
