//! The HTTP response inside a WARC `response` record: status line, headers, payload
//! (chunked transfer-encoding and gzip/deflate content-encoding undone).
use std::borrow::Cow;

use crate::read::{inflate_bytes, is_gzip};
use crate::{MAX_DOC_BYTES, Reason};

/// A parsed HTTP response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse<'a> {
    /// The status code.
    pub status: u16,
    /// Header names and values in order (names as sent).
    pub headers: Vec<(String, String)>,
    /// The body as stored (still chunked / compressed if the headers say so).
    pub body: &'a [u8],
}

impl HttpResponse<'_> {
    /// The first header with this name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// True when the response holds an HTML page: its `Content-Type` says HTML, or it has
    /// none and the body starts like HTML.
    pub fn is_html(&self) -> bool {
        match self.header("content-type") {
            Some(ct) => is_html_media_type(ct),
            None => looks_like_html(self.body),
        }
    }

    /// The payload with the transfer and content encodings undone. Lenient: a body that
    /// does not look chunked or gzipped despite the headers (some crawlers store it decoded
    /// but keep the headers) is returned as stored.
    pub fn payload(&self) -> Result<Cow<'_, [u8]>, Reason> {
        let mut data: Cow<'_, [u8]> = Cow::Borrowed(self.body);
        let chunked = self
            .header("transfer-encoding")
            .is_some_and(|te| te.to_ascii_lowercase().contains("chunked"));
        if let Some(d) = dechunk(self.body).filter(|_| chunked) {
            data = Cow::Owned(d);
        }
        let ce = self
            .header("content-encoding")
            .map(|s| s.trim().to_ascii_lowercase())
            .unwrap_or_default();
        match ce.as_str() {
            "" | "identity" | "none" => {}
            "gzip" | "x-gzip" if is_gzip(&data) => {
                data = Cow::Owned(inflate_bytes(&data, false, MAX_DOC_BYTES)?);
            }
            "gzip" | "x-gzip" => {}
            "deflate" if !looks_like_html(&data) => {
                data = Cow::Owned(inflate_bytes(&data, true, MAX_DOC_BYTES)?);
            }
            "deflate" => {}
            _ if looks_like_html(&data) => {}
            other => return Err(Reason::UnsupportedEncoding(other.to_string())),
        }
        Ok(data)
    }
}

/// True for `text/html` and `application/xhtml+xml` (parameters ignored).
pub fn is_html_media_type(content_type: &str) -> bool {
    let mt = content_type.split(';').next().unwrap_or("").trim();
    mt.eq_ignore_ascii_case("text/html") || mt.eq_ignore_ascii_case("application/xhtml+xml")
}

/// True when the first kilobyte starts (after whitespace and a BOM) with `<` and holds an
/// `<html`, `<!doctype html`, `<head` or `<body` tag.
pub fn looks_like_html(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024)];
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let start = head.iter().position(|b| !b.is_ascii_whitespace());
    if start.is_none_or(|s| head[s] != b'<') {
        return false;
    }
    let lower = head.to_ascii_lowercase();
    [&b"<html"[..], b"<!doctype html", b"<head", b"<body"]
        .iter()
        .any(|t| lower.windows(t.len()).any(|w| w == *t))
}

/// Parses an HTTP response message.
pub fn parse_http_response(block: &[u8]) -> Result<HttpResponse<'_>, Reason> {
    if !block.starts_with(b"HTTP/") {
        return Err(Reason::Malformed("payload is not an HTTP response".into()));
    }
    let mut pos = 0;
    let mut lines = Vec::new();
    loop {
        let Some(nl) = block[pos..].iter().position(|&b| b == b'\n') else {
            return Err(Reason::Malformed("HTTP headers are not terminated".into()));
        };
        let line = &block[pos..pos + nl];
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        pos += nl + 1;
        if line.is_empty() {
            break;
        }
        lines.push(line);
    }
    let status_line = String::from_utf8_lossy(lines[0]);
    let status = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse::<u16>().ok())
        .ok_or_else(|| Reason::Malformed(format!("bad HTTP status line {status_line:?}")))?;
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in &lines[1..] {
        let text = String::from_utf8_lossy(line);
        if text.starts_with([' ', '\t']) {
            if let Some(last) = headers.last_mut() {
                last.1.push(' ');
                last.1.push_str(text.trim());
            }
            continue;
        }
        if let Some((n, v)) = text.split_once(':') {
            headers.push((n.trim().to_string(), v.trim().to_string()));
        }
    }
    Ok(HttpResponse {
        status,
        headers,
        body: &block[pos..],
    })
}

/// Undoes chunked transfer-encoding. `None` when the body does not start with a chunk-size
/// line. A truncated or malformed later chunk ends the payload with what was read.
pub fn dechunk(body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(body.len());
    let mut pos = 0;
    let mut first = true;
    while pos < body.len() {
        let nl = body[pos..].iter().position(|&b| b == b'\n')?;
        let line = String::from_utf8_lossy(&body[pos..pos + nl]);
        let size_str = line.split(';').next().unwrap_or("").trim();
        let size = match usize::from_str_radix(size_str, 16) {
            Ok(s) if !size_str.is_empty() && size_str.len() <= 16 => s,
            _ if first => return None,
            _ => break,
        };
        first = false;
        pos += nl + 1;
        if size == 0 {
            break;
        }
        let end = pos.saturating_add(size).min(body.len());
        out.extend_from_slice(&body[pos..end]);
        pos = end;
        if body[pos..].starts_with(b"\r\n") {
            pos += 2;
        } else if body[pos..].starts_with(b"\n") {
            pos += 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dechunk_table() {
        let cases: &[(&[u8], Option<&[u8]>)] = &[
            (
                b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n",
                Some(b"hello world"),
            ),
            (b"5;ext=1\r\nhello\r\n0\r\n", Some(b"hello")),
            (b"a\r\n0123", Some(b"0123")),
            (b"<html>", None),
            (b"3\r\nabc\r\nzz\r\n", Some(b"abc")),
            (b"ffffffffffffffffff\r\nabc", None),
        ];
        for (input, want) in cases {
            assert_eq!(dechunk(input).as_deref(), *want, "{input:?}");
        }
    }

    #[test]
    fn http_table() {
        let r = parse_http_response(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html;\r\n charset=utf-8\r\nX: y\r\n\r\n<p>b</p>",
        )
        .unwrap();
        assert_eq!(r.status, 200);
        assert_eq!(r.header("content-type"), Some("text/html; charset=utf-8"));
        assert!(r.is_html());
        assert_eq!(r.payload().unwrap().as_ref(), b"<p>b</p>");
        assert!(parse_http_response(b"GET / HTTP/1.1\r\n\r\n").is_err());
        assert!(parse_http_response(b"HTTP/1.1 200 OK\r\nX: y").is_err());
        assert!(parse_http_response(b"HTTP/1.1 abc\r\n\r\n").is_err());
        let br = parse_http_response(b"HTTP/1.1 200 OK\r\nContent-Encoding: br\r\n\r\n\x1b\x00")
            .unwrap();
        assert_eq!(br.payload(), Err(Reason::UnsupportedEncoding("br".into())));
    }
}
