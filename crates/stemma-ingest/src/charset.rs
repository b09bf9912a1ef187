//! Binary detection and charset decoding of raw bytes to UTF-8.
//!
//! The rule, in order (the first that applies wins):
//! 1. a byte-order mark (UTF-8, UTF-16LE, UTF-16BE) is authoritative;
//! 2. bytes that are valid UTF-8 decode as UTF-8, whatever the page declares: real crawls
//!    often declare `iso-8859-1` on UTF-8 pages, and legacy-encoded text that contains
//!    non-ASCII bytes is almost never valid UTF-8 by accident;
//! 3. bytes that are *mostly* UTF-8 (at least [`UTF8_MAJORITY`] valid multi-byte characters
//!    per invalid sequence) decode as UTF-8 with U+FFFD replacements;
//! 4. HTML only: the transport charset (HTTP `Content-Type` in a WARC), then a
//!    `<meta charset>` / `http-equiv` declaration in the first [`META_PRESCAN_BYTES`] bytes;
//!    declarations of UTF-8 or UTF-16 are ignored at this point (the bytes are not UTF-8,
//!    and a BOM-less page cannot be UTF-16 here);
//! 5. a statistical guess by `chardetng`, helped by the URL's top-level domain when known.
use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};

/// How many leading bytes [`looks_binary`] inspects.
pub const BINARY_SNIFF_BYTES: usize = 8192;
/// How many leading bytes are searched for a `<meta charset>` declaration.
pub const META_PRESCAN_BYTES: usize = 4096;
/// Valid multi-byte UTF-8 characters needed per invalid sequence to still decode as UTF-8.
pub const UTF8_MAJORITY: usize = 8;

/// Which rule chose the encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum CharsetSource {
    /// A byte-order mark.
    Bom,
    /// The bytes are valid UTF-8.
    Utf8,
    /// The bytes are mostly valid UTF-8; invalid sequences became U+FFFD.
    Utf8Lossy,
    /// The transport (HTTP `Content-Type`) charset.
    Transport,
    /// A `<meta>` declaration in the document.
    Meta,
    /// A statistical guess.
    Sniffed,
}

/// Decoded text and how its encoding was chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text, UTF-8, without BOM.
    pub text: String,
    /// The encoding used.
    pub encoding: &'static Encoding,
    /// The rule that chose it.
    pub source: CharsetSource,
}

/// Hints from the container about a document's encoding.
#[derive(Debug, Clone, Copy, Default)]
pub struct Hints<'a> {
    /// A charset label from the transport, e.g. the HTTP `Content-Type` charset parameter.
    pub transport_charset: Option<&'a str>,
    /// The document's URL, whose top-level domain helps the statistical guess.
    pub url: Option<&'a str>,
}

/// True when the bytes look like a binary file rather than text: a NUL byte or more than
/// 10% control characters in the first [`BINARY_SNIFF_BYTES`] bytes. Input with a UTF-16
/// byte-order mark is text.
pub fn looks_binary(bytes: &[u8]) -> bool {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return false;
    }
    let sample = &bytes[..bytes.len().min(BINARY_SNIFF_BYTES)];
    if sample.contains(&0) {
        return true;
    }
    let controls = sample
        .iter()
        .filter(|&&b| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C | 0x1B)) || b == 0x7F)
        .count();
    controls * 10 > sample.len()
}

/// Decodes plain text: BOM, then UTF-8 (strict, then mostly-valid), then a statistical guess.
/// Never fails; see [`looks_binary`] to reject binaries first.
pub fn decode_text(bytes: &[u8]) -> String {
    decode_text_with(bytes, Hints::default()).text
}

/// [`decode_text`] with container hints, reporting the encoding chosen.
/// The transport charset is used only when the bytes are not UTF-8.
pub fn decode_text_with(bytes: &[u8], hints: Hints<'_>) -> Decoded {
    if let Some(d) = decode_unicode(bytes) {
        return d;
    }
    if let Some(enc) = hints.transport_charset.and_then(legacy_label) {
        return decode_as(bytes, enc, CharsetSource::Transport);
    }
    decode_as(bytes, sniff(bytes, hints.url), CharsetSource::Sniffed)
}

/// Decodes an HTML page to UTF-8 following the module's rule. Never fails.
pub fn decode_html(bytes: &[u8]) -> String {
    decode_html_with(bytes, Hints::default()).text
}

/// [`decode_html`] with container hints, reporting the encoding chosen.
pub fn decode_html_with(bytes: &[u8], hints: Hints<'_>) -> Decoded {
    if let Some(d) = decode_unicode(bytes) {
        return d;
    }
    if let Some(enc) = hints.transport_charset.and_then(legacy_label) {
        return decode_as(bytes, enc, CharsetSource::Transport);
    }
    if let Some(enc) = meta_charset(bytes).filter(|e| !is_unicode(e)) {
        return decode_as(bytes, enc, CharsetSource::Meta);
    }
    decode_as(bytes, sniff(bytes, hints.url), CharsetSource::Sniffed)
}

/// The encoding named by the `charset` parameter of a `Content-Type` value, if known.
pub fn charset_from_content_type(content_type: &str) -> Option<&'static Encoding> {
    charset_param(content_type).and_then(|l| Encoding::for_label(l.as_bytes()))
}

/// The `charset` parameter of a `Content-Type` value, unquoted.
pub fn charset_param(content_type: &str) -> Option<&str> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| v.trim().trim_matches(|c| c == '"' || c == '\''))
            .filter(|v| !v.is_empty())
    })
}

/// The encoding declared by a `<meta charset=...>` or
/// `<meta http-equiv="Content-Type" content="...; charset=...">` tag in the first
/// [`META_PRESCAN_BYTES`] bytes. Follows the HTML prescan loosely: `<!-- -->` comments are
/// skipped; UTF-16 declarations mean UTF-8 and `x-user-defined` means windows-1252.
pub fn meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(META_PRESCAN_BYTES)];
    let mut i = 0;
    while let Some(lt) = find(&head[i..], b"<").map(|p| p + i) {
        let rest = &head[lt..];
        if rest.starts_with(b"<!--") {
            i = find(&rest[4..], b"-->").map_or(head.len(), |p| lt + 4 + p + 3);
            continue;
        }
        let end = find(rest, b">").map_or(head.len(), |p| lt + p);
        let tag = &head[lt..end];
        i = end.max(lt + 1);
        if tag.len() < 6 || !tag[..5].eq_ignore_ascii_case(b"<meta") || !is_sep(tag[5]) {
            continue;
        }
        let tag = String::from_utf8_lossy(&tag[5..]).to_ascii_lowercase();
        let from_content = || {
            attr(&tag, "content").and_then(|c| {
                let at = c.find("charset")?;
                let v = c[at + 7..].trim_start().strip_prefix('=')?;
                let v = v.trim_start().trim_start_matches(['"', '\'']);
                let v = v.split([';', '"', '\'', ' ', '\t']).next()?;
                Encoding::for_label(v.trim().as_bytes())
            })
        };
        let label = attr(&tag, "charset")
            .and_then(|l| Encoding::for_label(l.trim().as_bytes()))
            .or_else(from_content);
        if let Some(enc) = label {
            return Some(if enc == UTF_16LE || enc == UTF_16BE {
                UTF_8
            } else if enc.name() == "x-user-defined" {
                WINDOWS_1252
            } else {
                enc
            });
        }
    }
    None
}

/// The value of attribute `name` in a lower-cased tag body, unquoted.
fn attr(tag: &str, name: &str) -> Option<String> {
    let mut from = 0;
    while let Some(p) = tag[from..].find(name).map(|p| p + from) {
        from = p + name.len();
        let before_ok = p == 0 || tag[..p].ends_with(|c: char| c.is_ascii_whitespace() || c == '/');
        let rest = tag[from..].trim_start();
        let Some(rest) = rest.strip_prefix('=').filter(|_| before_ok) else {
            continue;
        };
        let rest = rest.trim_start();
        let value = match rest.chars().next() {
            Some(q @ ('"' | '\'')) => rest[1..].split(q).next().unwrap_or(""),
            _ => rest
                .split(|c: char| c.is_ascii_whitespace() || matches!(c, '/' | '>' | '"' | '\''))
                .next()
                .unwrap_or(""),
        };
        return Some(value.to_string());
    }
    None
}

fn is_sep(b: u8) -> bool {
    b.is_ascii_whitespace() || b == b'/'
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn is_unicode(enc: &&'static Encoding) -> bool {
    *enc == UTF_8 || *enc == UTF_16LE || *enc == UTF_16BE
}

/// A declared label usable for bytes known not to be UTF-8.
fn legacy_label(label: &str) -> Option<&'static Encoding> {
    Encoding::for_label(label.trim().as_bytes())
        .filter(|e| !is_unicode(e) && e.name() != "replacement")
}

/// Rules 1-3: BOM, valid UTF-8, mostly-valid UTF-8.
fn decode_unicode(bytes: &[u8]) -> Option<Decoded> {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        // A doubled BOM (files concatenated, or re-encoded) leaves U+FEFF at the start.
        return Some(Decoded {
            text: text.trim_start_matches('\u{feff}').to_owned(),
            encoding: enc,
            source: CharsetSource::Bom,
        });
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Some(Decoded {
            text: s.to_owned(),
            encoding: UTF_8,
            source: CharsetSource::Utf8,
        });
    }
    let (mut multibyte, mut invalid) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        multibyte += chunk.valid().bytes().filter(|&b| b >= 0xC0).count();
        invalid += usize::from(!chunk.invalid().is_empty());
    }
    (multibyte >= UTF8_MAJORITY * invalid).then(|| Decoded {
        text: String::from_utf8_lossy(bytes).into_owned(),
        encoding: UTF_8,
        source: CharsetSource::Utf8Lossy,
    })
}

fn decode_as(bytes: &[u8], enc: &'static Encoding, source: CharsetSource) -> Decoded {
    let (text, _) = enc.decode_without_bom_handling(bytes);
    Decoded {
        text: text.into_owned(),
        encoding: enc,
        source,
    }
}

/// chardetng's guess (UTF-8 excluded: it was ruled out before).
fn sniff(bytes: &[u8], url: Option<&str>) -> &'static Encoding {
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Allow);
    det.feed(bytes, true);
    let tld = url.and_then(tld_of);
    det.guess(
        tld.as_deref().map(str::as_bytes),
        chardetng::Utf8Detection::Deny,
    )
}

/// The lower-case ASCII top-level domain of a URL (chardetng asserts on anything else).
fn tld_of(url: &str) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    let host = host.split(':').next()?.trim_end_matches('.');
    let tld = host.rsplit('.').next()?;
    (!tld.is_empty() && tld.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
        .then(|| tld.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_decoding_table() {
        // (bytes, transport charset, expected text fragment, expected source)
        let latin1_cafe: &[u8] = b"<p>caf\xe9 cr\xe8me</p>";
        let cases: &[(&[u8], Option<&str>, &str, CharsetSource)] = &[
            (b"\xEF\xBB\xBF<p>hi</p>", None, "<p>hi</p>", CharsetSource::Bom),
            (b"\xFF\xFE<\x00p\x00>\x00", None, "<p>", CharsetSource::Bom),
            ("<p>café</p>".as_bytes(), Some("iso-8859-1"), "café", CharsetSource::Utf8),
            (
                "<meta charset=latin1><p>café</p>".as_bytes(),
                None,
                "café",
                CharsetSource::Utf8,
            ),
            (latin1_cafe, Some("iso-8859-1"), "café crème", CharsetSource::Transport),
            (
                b"<meta charset=\"windows-1252\"><p>caf\xe9</p>",
                None,
                "café",
                CharsetSource::Meta,
            ),
            (
                b"<META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=ISO-8859-1\"><p>caf\xe9</p>",
                None,
                "café",
                CharsetSource::Meta,
            ),
            (
                // declared UTF-8 but the bytes are latin-1: the declaration is ignored
                b"<meta charset=utf-8><p>caf\xe9 cr\xe8me br\xfbl\xe9e</p>",
                None,
                "café crème brûlée",
                CharsetSource::Sniffed,
            ),
            (
                b"<p>\xcf\xf0\xe8\xe2\xe5\xf2, \xec\xe8\xf0! \xdd\xf2\xee \xf2\xe5\xf1\xf2.</p>",
                Some("windows-1251"),
                "Привет, мир!",
                CharsetSource::Transport,
            ),
        ];
        for (i, (bytes, transport, want, source)) in cases.iter().enumerate() {
            let d = decode_html_with(
                bytes,
                Hints {
                    transport_charset: *transport,
                    url: None,
                },
            );
            assert!(
                d.text.contains(want),
                "case {i}: {:?} lacks {want:?}",
                d.text
            );
            assert_eq!(d.source, *source, "case {i}");
        }
    }

    #[test]
    fn mostly_utf8_decodes_lossily() {
        let mut b = "Zürich, Genève, Köln, Düsseldorf, Gödel, Málaga, Señor, Ærø, Þór, "
            .as_bytes()
            .to_vec();
        b.push(0xE9);
        let d = decode_text_with(&b, Hints::default());
        assert_eq!(d.source, CharsetSource::Utf8Lossy);
        assert!(d.text.starts_with("Zürich"));
    }

    #[test]
    fn binary_detection_table() {
        let cases: &[(&[u8], bool)] = &[
            (b"plain text\n", false),
            (b"a\x00b", true),
            (b"\x01\x02\x03\x04abc", true),
            (b"\xFF\xFEa\x00b\x00", false),
            (b"tab\tseparated\r\n\x0cpage", false),
            (b"", false),
        ];
        for (bytes, want) in cases {
            assert_eq!(looks_binary(bytes), *want, "{bytes:?}");
        }
    }

    #[test]
    fn meta_prescan_table() {
        let cases: &[(&str, Option<&str>)] = &[
            ("<meta charset=\"Shift_JIS\">", Some("Shift_JIS")),
            ("<meta charset='koi8-r'/>", Some("KOI8-R")),
            (
                "<!-- <meta charset=koi8-r> --><meta charset=gbk>",
                Some("GBK"),
            ),
            ("<meta name=x content=\"charset=big5\">", Some("Big5")),
            ("<meta charset=utf-16>", Some("UTF-8")),
            ("<metadata charset=gbk>", None),
            ("<meta charset=nonsense>", None),
            ("<meta", None),
            ("", None),
        ];
        for (html, want) in cases {
            assert_eq!(
                meta_charset(html.as_bytes()).map(|e| e.name()),
                *want,
                "{html}"
            );
        }
    }

    #[test]
    fn tld_and_content_type() {
        assert_eq!(tld_of("https://www.Example.RU:8080/x?y"), Some("ru".into()));
        assert_eq!(tld_of("http://xn--p1ai./"), Some("xn--p1ai".into()));
        assert_eq!(tld_of("http://[::1]/"), None);
        assert_eq!(tld_of(""), None);
        assert_eq!(charset_param("text/html; Charset=\"UTF-8\""), Some("UTF-8"));
        assert_eq!(charset_param("text/html"), None);
        assert_eq!(
            charset_from_content_type("text/html;charset=latin1"),
            Some(WINDOWS_1252)
        );
    }
}
