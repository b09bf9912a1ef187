//! Turning the bytes of one document into a [`RawDoc`]: binary and emptiness checks,
//! charset decoding, size limit.
use stemma_core::{Body, RawDoc};

use crate::charset::{self, Hints};
use crate::{MAX_DOC_BYTES, Reason};

/// Parses the bytes of a plain-text document (binary, size and emptiness checks, then
/// [`charset::decode_text`]). NUL characters past the binary-sniffing window are dropped.
pub fn parse_text(bytes: &[u8], id: &str, origin: &str) -> Result<RawDoc, Reason> {
    let text = checked(bytes, true, charset::decode_text)?;
    Ok(raw(id, origin, None, Body::Text(text)))
}

/// Parses the bytes of an HTML page (size and emptiness checks, a binary check unless the
/// bytes start like HTML, then [`charset::decode_html_with`]). NUL characters are dropped.
pub fn parse_html(
    bytes: &[u8],
    id: &str,
    origin: &str,
    hints: Hints<'_>,
) -> Result<RawDoc, Reason> {
    // Pages that start like HTML are not rejected for a stray NUL (crawls have them).
    let sniff_binary = !crate::http::looks_like_html(bytes);
    let html = checked(bytes, sniff_binary, |b| {
        charset::decode_html_with(b, hints).text
    })?;
    Ok(raw(
        id,
        origin,
        hints.url.map(str::to_string),
        Body::Html(html),
    ))
}

fn checked(
    bytes: &[u8],
    sniff_binary: bool,
    decode: impl FnOnce(&[u8]) -> String,
) -> Result<String, Reason> {
    check_size(bytes.len())?;
    if sniff_binary && charset::looks_binary(bytes) {
        return Err(Reason::Binary);
    }
    let mut text = decode(bytes);
    if text.contains('\0') {
        text.retain(|c| c != '\0');
    }
    check_not_blank(&text)?;
    Ok(text)
}

pub(crate) fn check_size(len: usize) -> Result<(), Reason> {
    if len as u64 > MAX_DOC_BYTES {
        return Err(Reason::TooLarge {
            size: len as u64,
            limit: MAX_DOC_BYTES,
        });
    }
    Ok(())
}

pub(crate) fn check_not_blank(s: &str) -> Result<(), Reason> {
    if s.trim().is_empty() {
        Err(Reason::Empty)
    } else {
        Ok(())
    }
}

fn raw(id: &str, origin: &str, url: Option<String>, body: Body) -> RawDoc {
    RawDoc {
        id: id.to_string(),
        url,
        published: None,
        origin: origin.to_string(),
        body,
    }
}

/// A stable 64-bit hash of a body, used for content-derived ids and duplicate checks.
pub fn content_hash(body: &Body) -> u64 {
    let tag: &[u8] = match body {
        Body::Html(_) => b"h",
        Body::Text(_) => b"t",
    };
    xxhash_rust::xxh3::xxh3_64_with_seed(body.as_str().as_bytes(), u64::from(tag[0]))
}
