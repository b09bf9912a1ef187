//! JSONL: one JSON object per line.
//!
//! Recognised keys (the first present wins): id `id`, `doc_id`, `docid`, `doc`, `_id`
//! (string or number); body `text`, `content` (plain text) or `html`, `raw_html` (a page);
//! `url`, `link`, `uri`; `published`, `date`, `published_at`, `publish_date`,
//! `datePublished` (string, or Unix seconds / milliseconds as a number). Without an id,
//! the url is the id; without either, `sha:<xxh3 of the body>`.
use std::io::BufRead;

use serde_json::{Map, Value};
use stemma_core::{Body, RawDoc};

use crate::MAX_RECORD_BYTES;
use crate::date::{normalize_published, normalize_unix_seconds};
use crate::doc::{check_not_blank, check_size, content_hash};
use crate::error::{IngestError, Position, Reason};
use crate::read::{Line, Tracked, io_reason};

const ID_KEYS: &[&str] = &["id", "doc_id", "docid", "doc", "_id"];
const TEXT_KEYS: &[&str] = &["text", "content"];
const HTML_KEYS: &[&str] = &["html", "raw_html"];
const URL_KEYS: &[&str] = &["url", "link", "uri"];
const DATE_KEYS: &[&str] = &[
    "published",
    "date",
    "published_at",
    "publish_date",
    "datePublished",
];

/// Streams the documents of a JSONL input, one `Result` per non-blank line. A bad line
/// gives an `Err` naming it and reading goes on; a read error (e.g. a truncated gzip
/// stream) gives one final `Err`.
pub fn parse_jsonl<R: BufRead>(reader: R, origin: &str) -> JsonlReader<R> {
    JsonlReader {
        lines: Tracked::new(reader),
        origin: origin.to_string(),
        line_no: 0,
        buf: Vec::new(),
        done: false,
    }
}

/// Iterator returned by [`parse_jsonl`].
pub struct JsonlReader<R> {
    lines: Tracked<R>,
    origin: String,
    line_no: u64,
    buf: Vec<u8>,
    done: bool,
}

impl<R> JsonlReader<R> {
    /// Position of the last line read.
    pub fn last_position(&self) -> Position {
        Position::Line(self.line_no)
    }
}

impl<R: BufRead> Iterator for JsonlReader<R> {
    type Item = Result<RawDoc, IngestError>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            self.line_no += 1;
            let reason = match self
                .lines
                .next_line(MAX_RECORD_BYTES as usize, &mut self.buf)
            {
                Ok(Line::Eof) => {
                    self.done = true;
                    return None;
                }
                Ok(Line::TooLong(size)) => Reason::TooLarge {
                    size,
                    limit: MAX_RECORD_BYTES,
                },
                Ok(Line::Full) => {
                    let mut line = self.buf.as_slice();
                    if self.line_no == 1 {
                        line = line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line);
                    }
                    if line.iter().all(u8::is_ascii_whitespace) {
                        continue;
                    }
                    match parse_jsonl_record(line, &self.origin) {
                        Ok(doc) => return Some(Ok(doc)),
                        Err(r) => r,
                    }
                }
                Err(e) => {
                    self.done = true;
                    io_reason(&e)
                }
            };
            return Some(Err(IngestError::Record {
                file: self.origin.clone(),
                at: Position::Line(self.line_no),
                reason,
            }));
        }
        None
    }
}

/// Parses one JSONL line (a JSON object) into a document.
pub fn parse_jsonl_record(line: &[u8], origin: &str) -> Result<RawDoc, Reason> {
    let value: Value =
        serde_json::from_slice(line).map_err(|e| Reason::InvalidJson(e.to_string()))?;
    let Value::Object(obj) = value else {
        return Err(Reason::InvalidJson("expected an object".into()));
    };
    let text = first_str(&obj, TEXT_KEYS);
    let html = first_str(&obj, HTML_KEYS);
    let body = match (text, html) {
        (Some(t), Some(h)) if t.trim().is_empty() && !h.trim().is_empty() => Body::Html(h.into()),
        (Some(t), _) => Body::Text(t.into()),
        (None, Some(h)) => Body::Html(h.into()),
        (None, None) => return Err(Reason::MissingBody),
    };
    check_size(body.as_str().len())?;
    check_not_blank(body.as_str())?;
    let url = first_str(&obj, URL_KEYS)
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .map(str::to_string);
    let published = DATE_KEYS
        .iter()
        .find_map(|k| obj.get(*k).filter(|v| !v.is_null()))
        .and_then(|v| match v {
            Value::String(s) => normalize_published(s),
            Value::Number(n) => n.as_i64().and_then(|n| {
                // Values past the year 5138 in seconds are taken as milliseconds.
                normalize_unix_seconds(if n.abs() > 100_000_000_000 {
                    n / 1000
                } else {
                    n
                })
            }),
            _ => None,
        });
    let id = ID_KEYS
        .iter()
        .find_map(|k| match obj.get(*k)? {
            Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        })
        .or_else(|| url.clone())
        .unwrap_or_else(|| format!("sha:{:016x}", content_hash(&body)));
    Ok(RawDoc {
        id,
        url,
        published,
        origin: origin.to_string(),
        body,
    })
}

fn first_str<'a>(obj: &'a Map<String, Value>, keys: &[&str]) -> Option<&'a str> {
    keys.iter()
        .find_map(|k| obj.get(*k).and_then(Value::as_str))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(input: &str) -> Vec<String> {
        parse_jsonl(input.as_bytes(), "t.jsonl")
            .map(|r| match r {
                Ok(d) => format!(
                    "ok {} {} {}",
                    d.id,
                    match d.body {
                        Body::Text(_) => "text",
                        Body::Html(_) => "html",
                    },
                    d.published.unwrap_or_default()
                ),
                Err(e) => format!("err {e}"),
            })
            .collect()
    }

    #[test]
    fn jsonl_table() {
        let cases: &[(&str, &[&str])] = &[
            (
                "{\"id\":\"a\",\"text\":\"hello\",\"published\":\"2024-01-02T03:04:05+01:00\"}\n",
                &["ok a text 2024-01-02T02:04:05Z"],
            ),
            ("\u{feff}{\"id\":7,\"html\":\"<p>x</p>\"}", &["ok 7 html "]),
            (
                "{\"url\":\"https://e.x/1\",\"text\":\"t\",\"published\":\"2024-01-02\"}",
                &["ok https://e.x/1 text 2024-01-02T00:00:00Z"],
            ),
            (
                "{\"text\":\"abc\"}\n{\"text\":\"abc\"}",
                &["ok sha:", "ok sha:"],
            ),
            (
                "{\"id\":\"a\",\"text\":\"x\"}\nnot json\n\n{\"id\":\"b\",\"text\":\"y\"}\n",
                &[
                    "ok a text",
                    "err t.jsonl: line 2: invalid JSON",
                    "ok b text",
                ],
            ),
            (
                "[1,2]\n",
                &["err t.jsonl: line 1: invalid JSON: expected an object"],
            ),
            ("{\"id\":\"a\"}\n", &["err t.jsonl: line 1: no \"text\""]),
            (
                "{\"id\":\"a\",\"text\":\"  \"}\n",
                &["err t.jsonl: line 1: empty document"],
            ),
            (
                "{\"id\":\"a\",\"text\":\"\",\"html\":\"<b>h</b>\",\"date\":1700000000}",
                &["ok a html 2023-11-14T22:13:20Z"],
            ),
            (
                "{\"id\":\"a\",\"text\":\"x\",\"published\":\"soon\"}",
                &["ok a text soon"],
            ),
            ("{\"doc\":\"1_10ecb\",\"text\":\"x\"}", &["ok 1_10ecb text"]),
            (
                "{\"id\":\"a\",\"text\":\"x\"",
                &["err t.jsonl: line 1: invalid JSON: EOF"],
            ),
        ];
        for (input, want) in cases {
            let got = kinds(input);
            assert_eq!(got.len(), want.len(), "{input:?}: {got:?}");
            for (g, w) in got.iter().zip(want.iter()) {
                assert!(g.starts_with(w), "{input:?}: got {g:?}, want {w:?}");
            }
        }
    }

    #[test]
    fn derived_ids_are_stable() {
        let a = parse_jsonl_record(b"{\"text\":\"same\"}", "x").unwrap();
        let b = parse_jsonl_record(b"{\"text\":\"same\",\"extra\":1}", "y").unwrap();
        assert_eq!(a.id, b.id);
    }
}
