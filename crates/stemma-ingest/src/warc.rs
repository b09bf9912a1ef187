//! WARC (1.0 / 1.1) reading: `response` records holding HTML pages become documents.
//!
//! The reader is written for messy crawls: it tolerates LF-only line ends, blank lines or
//! junk between records (one `Err`, then it resynchronises on the next `WARC/` line),
//! missing trailing CRLFs, and records whose HTTP payload is chunked or gzip-encoded.
//! `resource` records with an HTML `Content-Type` are read too, and `conversion` records
//! with `text/plain` (Common Crawl WET files, `.warc.wet[.gz]`) as text. Other record types
//! (`request`, `metadata`, `warcinfo`, `revisit`...) and responses that are not a 2xx HTML
//! page (redirects, images, scripts) are skipped silently: they are not documents.
//! A record's block is held in memory only when it is a candidate document and at most
//! [`MAX_RECORD_BYTES`] long; anything else is streamed past.
use std::io::BufRead;

use stemma_core::RawDoc;

use crate::charset::{Hints, charset_param};
use crate::doc::{parse_html, parse_text};
use crate::error::{IngestError, Position, Reason};
use crate::http::{is_html_media_type, parse_http_response};
use crate::read::{Line, Tracked, io_reason};
use crate::{MAX_DOC_BYTES, MAX_RECORD_BYTES};

/// Longest WARC header line kept.
const MAX_HEADER_LINE: usize = 64 << 10;
/// Most header lines in one record.
const MAX_HEADER_LINES: usize = 1024;

/// Streams the HTML documents of a WARC input (already decompressed).
pub fn parse_warc<R: BufRead>(reader: R, origin: &str) -> WarcReader<R> {
    WarcReader {
        r: Tracked::new(reader),
        origin: origin.to_string(),
        pos: Position::Byte(0),
        resyncing: false,
        done: false,
        line: Vec::new(),
    }
}

/// Iterator returned by [`parse_warc`].
pub struct WarcReader<R> {
    r: Tracked<R>,
    origin: String,
    pos: Position,
    resyncing: bool,
    done: bool,
    line: Vec<u8>,
}

impl<R> WarcReader<R> {
    /// Position of the last record read.
    pub fn last_position(&self) -> Position {
        self.pos.clone()
    }
}

/// The WARC headers of one record that matter here.
#[derive(Default)]
struct Header {
    warc_type: String,
    id: Option<String>,
    target: Option<String>,
    content_type: Option<String>,
    length: Option<u64>,
}

enum Step {
    Doc(RawDoc),
    Skip,
    Fail(Reason),
    Eof,
}

impl<R: BufRead> Iterator for WarcReader<R> {
    type Item = Result<RawDoc, IngestError>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            match self.step() {
                Step::Doc(d) => return Some(Ok(d)),
                Step::Skip => {}
                Step::Eof => self.done = true,
                Step::Fail(reason) => {
                    return Some(Err(IngestError::Record {
                        file: self.origin.clone(),
                        at: self.pos.clone(),
                        reason,
                    }));
                }
            }
        }
        None
    }
}

impl<R: BufRead> WarcReader<R> {
    fn read_line(&mut self) -> Result<Line, Reason> {
        self.r
            .next_line(MAX_HEADER_LINE, &mut self.line)
            .map_err(|e| {
                self.done = true;
                io_reason(&e)
            })
    }

    /// Reads one record (or skips junk); returns what came of it.
    fn step(&mut self) -> Step {
        let start = self.r.offset();
        let line = match self.read_line() {
            Ok(l) => l,
            Err(r) => {
                self.pos = Position::Byte(start);
                return Step::Fail(r);
            }
        };
        match line {
            Line::Eof => return Step::Eof,
            Line::Full if self.line.trim_ascii().is_empty() => return Step::Skip,
            Line::Full if self.line.starts_with(b"WARC/") => self.resyncing = false,
            _ if self.resyncing => return Step::Skip,
            _ => {
                self.resyncing = true;
                self.pos = Position::Byte(start);
                let shown = String::from_utf8_lossy(&self.line[..self.line.len().min(40)]);
                return Step::Fail(Reason::Malformed(format!(
                    "expected a WARC/1.x version line, found {shown:?}; skipping to the next record"
                )));
            }
        }
        self.pos = Position::Record {
            offset: start,
            id: None,
        };
        let header = match self.read_header() {
            Ok(h) => h,
            Err(r) => return Step::Fail(r),
        };
        if let Position::Record { id, .. } = &mut self.pos {
            *id = header.id.as_deref().map(|i| unbracket(i).to_string());
        }
        let Some(len) = header.length else {
            self.resyncing = true;
            return Step::Fail(Reason::Malformed(
                "no valid Content-Length; skipping to the next record".into(),
            ));
        };
        let wanted = match header.warc_type.as_str() {
            "response" => true,
            "resource" => header
                .content_type
                .as_deref()
                .is_some_and(is_html_media_type),
            "conversion" => header.content_type.as_deref().is_some_and(is_plain_text),
            _ => false,
        };
        if !wanted || len > MAX_RECORD_BYTES {
            return match self.r.skip(len) {
                Ok(got) if got < len => self.truncated(got, len),
                Ok(_) if wanted => Step::Fail(Reason::TooLarge {
                    size: len,
                    limit: MAX_RECORD_BYTES,
                }),
                Ok(_) => Step::Skip,
                Err(e) => {
                    self.done = true;
                    Step::Fail(io_reason(&e))
                }
            };
        }
        let mut block = Vec::new();
        match self.r.read_up_to(len, &mut block) {
            Ok(got) if got < len => return self.truncated(got, len),
            Ok(_) => {}
            Err(e) => {
                self.done = true;
                return Step::Fail(io_reason(&e));
            }
        }
        match record_to_doc(&header, &block, &self.origin) {
            Ok(Some(doc)) => Step::Doc(doc),
            Ok(None) => Step::Skip,
            Err(r) => Step::Fail(r),
        }
    }

    fn truncated(&mut self, got: u64, len: u64) -> Step {
        self.done = true;
        Step::Fail(Reason::Truncated(format!(
            "input ends {got} bytes into a {len}-byte record block"
        )))
    }

    fn read_header(&mut self) -> Result<Header, Reason> {
        let mut h = Header::default();
        let mut last: Option<String> = None;
        for _ in 0..MAX_HEADER_LINES {
            match self.read_line()? {
                Line::Eof => {
                    self.done = true;
                    return Err(Reason::Truncated(
                        "input ends inside the record headers".into(),
                    ));
                }
                Line::TooLong(n) => {
                    self.resyncing = true;
                    return Err(Reason::Malformed(format!("a {n}-byte header line")));
                }
                Line::Full => {}
            }
            let line = String::from_utf8_lossy(self.line.trim_ascii_end());
            if line.is_empty() {
                return Ok(h);
            }
            if line.starts_with([' ', '\t']) {
                if let (Some(name), v) = (&last, line.trim()) {
                    h.set(name, v, true);
                }
                continue;
            }
            let Some((name, value)) = line.split_once(':') else {
                continue;
            };
            let name = name.trim().to_ascii_lowercase();
            h.set(&name, value.trim(), false);
            last = Some(name);
        }
        self.resyncing = true;
        Err(Reason::Malformed(format!(
            "more than {MAX_HEADER_LINES} header lines"
        )))
    }
}

impl Header {
    fn set(&mut self, name: &str, value: &str, continued: bool) {
        let slot = match name {
            "warc-type" => {
                self.warc_type = value.to_ascii_lowercase();
                return;
            }
            "content-length" => {
                self.length = value.parse().ok();
                return;
            }
            "warc-record-id" => &mut self.id,
            "warc-target-uri" => &mut self.target,
            "content-type" => &mut self.content_type,
            _ => return,
        };
        match slot {
            Some(s) if continued => {
                s.push(' ');
                s.push_str(value);
            }
            _ => *slot = Some(value.to_string()),
        }
    }
}

/// True for `text/plain` (parameters ignored).
fn is_plain_text(content_type: &str) -> bool {
    let mt = content_type.split(';').next().unwrap_or("").trim();
    mt.eq_ignore_ascii_case("text/plain")
}

/// Strips the angle brackets WARC puts around record ids and URIs.
fn unbracket(s: &str) -> &str {
    s.trim()
        .strip_prefix('<')
        .and_then(|x| x.strip_suffix('>'))
        .unwrap_or(s.trim())
}

/// Turns a candidate record block into a document; `Ok(None)` when it is not one.
fn record_to_doc(h: &Header, block: &[u8], origin: &str) -> Result<Option<RawDoc>, Reason> {
    let url = h.target.as_deref().map(unbracket).filter(|u| !u.is_empty());
    let id =
        h.id.as_deref()
            .map(unbracket)
            .filter(|i| !i.is_empty())
            .or(url)
            .unwrap_or("")
            .to_string();
    if h.warc_type == "conversion" {
        let id = if id.is_empty() {
            format!("sha:{:016x}", xxhash_rust::xxh3::xxh3_64(block))
        } else {
            id
        };
        let mut doc = parse_text(block, &id, origin)?;
        doc.url = url.map(str::to_string);
        return Ok(Some(doc));
    }
    let (payload, charset) = if h.warc_type == "response" {
        let resp = parse_http_response(block)?;
        if !(200..300).contains(&resp.status) || resp.status == 204 || !resp.is_html() {
            return Ok(None);
        }
        let charset = resp
            .header("content-type")
            .and_then(charset_param)
            .map(str::to_string);
        (resp.payload()?.into_owned(), charset)
    } else {
        let charset = h
            .content_type
            .as_deref()
            .and_then(charset_param)
            .map(str::to_string);
        (block.to_vec(), charset)
    };
    if payload.len() as u64 > MAX_DOC_BYTES {
        return Err(Reason::TooLarge {
            size: payload.len() as u64,
            limit: MAX_DOC_BYTES,
        });
    }
    let id = if id.is_empty() {
        format!("sha:{:016x}", xxhash_rust::xxh3::xxh3_64(&payload))
    } else {
        id
    };
    let hints = Hints {
        transport_charset: charset.as_deref(),
        url,
    };
    parse_html(&payload, &id, origin, hints).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Builds a WARC record with a correct Content-Length.
    pub(crate) fn record(kind: &str, id: &str, uri: &str, block: &[u8]) -> Vec<u8> {
        let mut r = format!(
            "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <{id}>\r\nWARC-Target-URI: {uri}\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n",
            block.len()
        )
        .into_bytes();
        r.extend_from_slice(block);
        r.extend_from_slice(b"\r\n\r\n");
        r
    }

    fn summary(input: &[u8]) -> Vec<String> {
        parse_warc(input, "t.warc")
            .map(|r| match r {
                Ok(d) => format!("ok {} {}", d.id, d.body.as_str()),
                Err(e) => format!("err {e}"),
            })
            .collect()
    }

    #[test]
    fn warc_table() {
        let page = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html><p>one</p></html>";
        let latin =
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=iso-8859-1\r\n\r\n<p>caf\xe9</p>";
        let chunked = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n<p>c\r\n5\r\nhunk<\r\n3\r\n/p>\r\n0\r\n\r\n";
        let redirect = b"HTTP/1.1 301 Moved\r\nLocation: /x\r\n\r\n";
        let image = b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n\x89PNG\x00\x00";
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gz, b"<html><p>zipped</p></html>").unwrap();
        let mut gzipped =
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n\r\n"
                .to_vec();
        gzipped.extend(gz.finish().unwrap());

        let cases: Vec<(Vec<u8>, Vec<&str>)> = vec![
            (
                record("response", "urn:uuid:1", "http://a.b/", page),
                vec!["ok urn:uuid:1 <html><p>one</p></html>"],
            ),
            (
                record("response", "urn:uuid:2", "http://a.b/", latin),
                vec!["ok urn:uuid:2 <p>café</p>"],
            ),
            (
                record("response", "urn:uuid:3", "http://a.b/", chunked),
                vec!["ok urn:uuid:3 <p>chunk</p>"],
            ),
            (
                record("response", "urn:uuid:4", "http://a.b/", &gzipped),
                vec!["ok urn:uuid:4 <html><p>zipped</p></html>"],
            ),
            (
                [
                    record(
                        "request",
                        "urn:uuid:5",
                        "http://a.b/",
                        b"GET / HTTP/1.1\r\n\r\n",
                    ),
                    record("response", "urn:uuid:6", "http://a.b/", redirect),
                    record("response", "urn:uuid:7", "http://a.b/", image),
                    record("warcinfo", "urn:uuid:8", "", b"software: x\r\n"),
                ]
                .concat(),
                vec![],
            ),
            (
                [
                    b"junk line\nmore junk\n".to_vec(),
                    record("response", "urn:uuid:9", "http://a.b/", page),
                ]
                .concat(),
                vec![
                    "err t.warc: at byte 0: malformed record: expected a WARC/1.x",
                    "ok urn:uuid:9",
                ],
            ),
            (
                {
                    let r = record("response", "urn:uuid:10", "http://a.b/", page);
                    r[..r.len() - 20].to_vec()
                },
                vec!["err t.warc: record at byte 0 (urn:uuid:10): truncated: input ends"],
            ),
            (
                b"WARC/1.0\r\nWARC-Type: response\r\n".to_vec(),
                vec![
                    "err t.warc: record at byte 0: truncated: input ends inside the record headers",
                ],
            ),
            (
                [
                    b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: x\r\n\r\nzzz\r\n\r\n"
                        .to_vec(),
                    record("response", "urn:uuid:11", "http://a.b/", page),
                ]
                .concat(),
                vec![
                    "err t.warc: record at byte 0: malformed record: no valid Content-Length",
                    "ok urn:uuid:11",
                ],
            ),
            (
                record(
                    "response",
                    "urn:uuid:12",
                    "http://a.b/",
                    b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n  \n",
                ),
                vec!["err t.warc: record at byte 0 (urn:uuid:12): empty document"],
            ),
            (
                record("response", "urn:uuid:13", "http://a.b/", b"not http"),
                vec![
                    "err t.warc: record at byte 0 (urn:uuid:13): malformed record: payload is not an HTTP response",
                ],
            ),
        ];
        for (i, (input, want)) in cases.iter().enumerate() {
            let got = summary(input);
            assert_eq!(got.len(), want.len(), "case {i}: {got:?}");
            for (g, w) in got.iter().zip(want) {
                assert!(g.starts_with(w), "case {i}: got {g:?}, want {w:?}");
            }
        }
    }

    #[test]
    fn wet_conversion_records_are_text() {
        let input = b"WARC/1.0\r\nWARC-Type: conversion\r\nWARC-Record-ID: <urn:c>\r\nWARC-Target-URI: http://e.test/\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello\r\n\r\n";
        let docs: Vec<_> = parse_warc(&input[..], "t.wet").collect();
        let d = docs[0].as_ref().unwrap();
        assert_eq!((d.id.as_str(), d.body.as_str()), ("urn:c", "hello"));
        assert!(matches!(d.body, stemma_core::Body::Text(_)));
        assert_eq!(d.url.as_deref(), Some("http://e.test/"));
    }

    #[test]
    fn lf_only_and_resource_records() {
        let input = b"WARC/1.1\nWARC-Type: resource\nWARC-Record-ID: <urn:x>\nContent-Type: text/html\nContent-Length: 9\n\n<p>ok</p>\n\n";
        assert_eq!(summary(input), vec!["ok urn:x <p>ok</p>"]);
    }
}
