//! Sites a text names as its source ("Source: bbc.com").

/// Markers after which a text names where it was first published, read
/// anywhere in the text.
const MARKERS: &[&str] = &[
    "originally published on",
    "originally published at",
    "originally published by",
    "originally published in",
    "originally appeared on",
    "originally appeared in",
    "first published on",
    "first published by",
    "first published in",
    "first appeared on",
    "first appeared in",
    "this article appeared on",
    "republished from",
    "republished with permission from",
    "read the original at",
    "read the original article at",
    "read the full story at",
    "read the full story on",
    "read the full article at",
    "read the full article on",
    "read more at",
    "continue reading at",
    "continue reading on",
];

/// Markers that credit the page's source at its start or close, and a
/// chart's or a photo's inside it ("Source: Statista", "Photo source:
/// Reuters"): read only at the text's first line or below its last line of
/// prose ([`cited_in_text`]).
const PLAIN_MARKERS: &[&str] = &[
    "source:",
    "sources:",
    "via",
    "quelle:",
    "source :",
    "fuente:",
    "fonte:",
    "bron:",
    "źródło:",
    "kilde:",
    "källa:",
    "источник:",
];

/// Well-known outlets named without a domain.
const OUTLETS: &[(&str, &str)] = &[
    ("bbc", "bbc.com"),
    ("reuters", "reuters.com"),
    ("associated press", "apnews.com"),
    ("the guardian", "theguardian.com"),
    ("guardian", "theguardian.com"),
    ("cnn", "cnn.com"),
    ("afp", "afp.com"),
    ("bloomberg", "bloomberg.com"),
    ("the new york times", "nytimes.com"),
    ("new york times", "nytimes.com"),
    ("the conversation", "theconversation.com"),
];

/// A bare lower-case domain in `token`, without `www.` or a path.
fn domain_of(token: &str) -> Option<String> {
    let t = token.trim_matches(|c: char| !c.is_alphanumeric());
    let t = t.split("://").nth(1).unwrap_or(t);
    let host = t.split(['/', '?', '#']).next()?.to_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    let labels: Vec<&str> = host.split('.').collect();
    if labels.len() < 2
        || labels
            .iter()
            .any(|l| l.is_empty() || !l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
    {
        return None;
    }
    let tld = labels.last()?;
    if !(2..=12).contains(&tld.len()) || !tld.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    Some(host.to_string())
}

/// The domain of the well-known outlet `head` (lower-cased) starts with.
fn outlet_at(head: &str) -> Option<&'static str> {
    let head = head.trim_start_matches(|c: char| !c.is_alphanumeric());
    OUTLETS
        .iter()
        .find(|(name, _)| {
            head.starts_with(name)
                && head[name.len()..]
                    .chars()
                    .next()
                    .is_none_or(|c| !c.is_alphanumeric())
        })
        .map(|(_, d)| *d)
}

/// Phrases that credit a quote or a fact to the outlet that got it ("she
/// told the BBC", "speaking to Reuters").
const ATTRIBUTIONS: &[&str] = &[
    "told",
    "speaking to",
    "spoke to",
    "talking to",
    "in an interview with",
    "interviewed by",
];

/// The well-known outlets `text` credits with a quote or a fact ("told the
/// BBC"), in order of appearance, deduplicated. The outlet writes so of its
/// own reporting too, so this names a source only for a page whose own
/// site is another: see [`credited_elsewhere`].
fn attributed_outlets(text: &str) -> Vec<String> {
    let lower = text.to_lowercase();
    let mut hits: Vec<(usize, &str)> = Vec::new();
    for m in ATTRIBUTIONS {
        for (at, _) in lower.match_indices(m) {
            let word_start = lower[..at]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric());
            let rest = &lower[at + m.len()..];
            if !word_start || !rest.starts_with(' ') {
                continue;
            }
            let rest = rest.trim_start();
            let rest = rest.strip_prefix("the ").unwrap_or(rest);
            if let Some(d) = outlet_at(rest) {
                hits.push((at, d));
            }
        }
    }
    hits.sort_unstable();
    let mut out: Vec<String> = Vec::new();
    for (_, d) in hits {
        add_site(&mut out, d);
    }
    out
}

/// True when the host `own` (a page's own site) belongs to the outlet of
/// `domain`: its name label is one of the host's ("bbc.com" and
/// "www.bbc.co.uk").
fn same_outlet(own: &str, domain: &str) -> bool {
    let name = domain.split('.').next().unwrap_or(domain);
    own.split('.').any(|label| label == name)
}

/// The outlets a page at `url` credits ([`attributed_outlets`]) that are
/// not its own site: sources it reports from. None without a URL, since a
/// page of unknown site may be the outlet's own, and none on a well-known
/// outlet's own site: an outlet crediting another with an interview ("he
/// told Bloomberg", on a BBC page) is its own reporting, not a copy of the
/// other's.
pub fn credited_elsewhere(text: &str, url: Option<&str>) -> Vec<String> {
    let Some(own) = url.and_then(domain_of) else {
        return Vec::new();
    };
    // Every outlet credited is one of [`OUTLETS`], so no other is the
    // page's own once this holds.
    if OUTLETS.iter().any(|(_, d)| same_outlet(&own, d)) {
        return Vec::new();
    }
    attributed_outlets(text)
}

/// News agencies, by the names their credits use, and their sites. Names
/// in capitals are abbreviations and match only as written ("AP", not the
/// word "ap"), except inside a dateline's parentheses.
const WIRES: &[(&str, &str)] = &[
    ("associated press", "apnews.com"),
    ("AP", "apnews.com"),
    ("thomson reuters", "reuters.com"),
    ("reuters", "reuters.com"),
    ("agence france-presse", "afp.com"),
    ("agence france presse", "afp.com"),
    ("AFP", "afp.com"),
    ("bloomberg", "bloomberg.com"),
    ("CNN", "cnn.com"),
    ("united press international", "upi.com"),
    ("UPI", "upi.com"),
    ("xinhua", "xinhuanet.com"),
    ("dpa", "dpa.com"),
    ("press association", "pamediagroup.com"),
    ("PA Media", "pamediagroup.com"),
    ("kyodo", "kyodonews.net"),
    ("yonhap", "yna.co.kr"),
    ("canadian press", "thecanadianpress.com"),
    ("AAP", "aap.com.au"),
    ("PTI", "ptinews.com"),
    ("IANS", "ians.in"),
];

/// True when `name` occurs in `line` as a whole word or phrase; lower-case
/// names match in any case, others only as written.
fn has_name(line: &str, name: &str) -> bool {
    let folded;
    let hay = if name.chars().any(char::is_uppercase) {
        line
    } else {
        folded = line.to_lowercase();
        &folded
    };
    hay.match_indices(name).any(|(at, _)| {
        let before = hay[..at].chars().next_back();
        let after = hay[at + name.len()..].chars().next();
        before.is_none_or(|c| !c.is_alphanumeric()) && after.is_none_or(|c| !c.is_alphanumeric())
    })
}

/// The agency of a dateline in `line`: "DENVER (AP) —", "LONDON, Nov 24
/// (Reuters) -", "(CNN)The ...": an agency's name alone in parentheses near
/// the start of the line, then a dash, or the sentence with no space between
/// ("(AP) Stylebook" is no dateline).
fn dateline_wire(line: &str) -> Option<&'static str> {
    let line = line.trim_start();
    let open = line.find('(').filter(|&o| o <= 80)?;
    let close = open + line[open..].find(')')?;
    let inner = line[open + 1..close].trim().to_lowercase();
    let site = WIRES
        .iter()
        .find(|(name, _)| name.to_lowercase() == inner)?
        .1;
    let rest = &line[close + 1..];
    let next = rest.trim_start().chars().next()?;
    let dash = matches!(next, '-' | '\u{2013}' | '\u{2014}' | '_');
    let glued = rest.chars().next().is_some_and(char::is_uppercase);
    (dash || glued).then_some(site)
}

/// The agencies a credit line in `line` names: a byline ("By The
/// Associated Press", "By Jane Doe, Reuters") or a copyright notice with
/// its year ("Copyright 2026 The Associated Press"; a photo's "© Reuters"
/// has none), besides a dateline ([`dateline_wire`]). A contribution ("The
/// Associated Press contributed to this report") is not one: the text is
/// the page's own, and a copy of it keeps the line.
pub(crate) fn wire_credits(line: &str) -> Vec<&'static str> {
    let trimmed = line.trim();
    wire_credits_of(trimmed, &trimmed.to_lowercase())
}

/// [`wire_credits`] of a trimmed line and its lower-cased form.
fn wire_credits_of(trimmed: &str, lower: &str) -> Vec<&'static str> {
    let names = |tail: &str| -> Vec<&'static str> {
        let mut out: Vec<&'static str> = Vec::new();
        for (name, site) in WIRES {
            if has_name(tail, name) && !out.contains(site) {
                out.push(site);
            }
        }
        out
    };
    let mut out: Vec<&'static str> = dateline_wire(trimmed).into_iter().collect();
    let byline = lower.starts_with("by ") && trimmed.len() <= 100;
    let copyright = ["copyright", "\u{a9}"]
        .iter()
        .filter_map(|m| lower.find(m).map(|at| at + m.len()))
        .min()
        .filter(|&at| {
            trimmed.get(at..).is_some_and(|after| {
                after.split_whitespace().take(3).any(|w| {
                    let w = w.trim_matches(|c: char| !c.is_ascii_digit());
                    w.len() == 4 && (w.starts_with("19") || w.starts_with("20"))
                })
            })
        });
    let tail = if let Some(at) = copyright {
        trimmed.get(at..)
    } else if byline {
        Some(&trimmed[3..])
    } else {
        None
    };
    for site in tail.map(names).unwrap_or_default() {
        if !out.contains(&site) {
            out.push(site);
        }
    }
    out
}

/// Finds the sites `text` names as its source, in order of appearance,
/// deduplicated: after a marker ("Source: bbc.com", "Originally published
/// on"), or in an agency's dateline or credit line ([`wire_credits`]).
pub fn cited_sources(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in text.lines() {
        credits_of_line(line, true, &mut out);
    }
    out
}

/// [`cited_sources`] of an article's text, where a plain "Source:" line
/// credits the page's source only as the first line or below the last line
/// of prose ([`stemma_core::credit_lines`]): inside the text it captions a
/// chart or a photo.
pub fn cited_in_text(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (line, plain) in stemma_core::credit_lines(text) {
        credits_of_line(line, plain, &mut out);
    }
    out
}

/// Adds `site` to the list `out` unless it is there already.
pub(crate) fn add_site(out: &mut Vec<String>, site: &str) {
    if !out.iter().any(|o| o == site) {
        out.push(site.to_string());
    }
}

/// Adds the sites `line` credits to `out`; plain markers only with `plain`.
pub(crate) fn credits_of_line(line: &str, plain: bool, out: &mut Vec<String>) {
    let lower = line.to_lowercase();
    for d in wire_credits_of(line.trim(), lower.trim()) {
        add_site(out, d);
    }
    let markers = MARKERS.iter().chain(PLAIN_MARKERS.iter().filter(|_| plain));
    for m in markers {
        let mut from = 0;
        while let Some(pos) = lower[from..].find(m) {
            let at = from + pos;
            from = at + m.len();
            // Whole-word marker start.
            if at > 0
                && lower[..at]
                    .chars()
                    .next_back()
                    .is_some_and(char::is_alphanumeric)
            {
                continue;
            }
            let rest = &lower[at + m.len()..];
            if *m == "via" && !rest.starts_with(' ') {
                continue;
            }
            let words: Vec<&str> = rest.split_whitespace().take(6).collect();
            let found = words
                .iter()
                .take(4)
                .find_map(|w| domain_of(w))
                .or_else(|| outlet_at(&words.join(" ")).map(str::to_string));
            if let Some(d) = found {
                add_site(out, &d);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::cited_sources;

    #[test]
    fn finds_named_sources() {
        let cases: &[(&str, &[&str])] = &[
            ("Some text.\nSource: bbc.com", &["bbc.com"]),
            (
                "Originally published on www.Example.org/news/1.",
                &["example.org"],
            ),
            (
                "This story first appeared on https://news.example.net/a/b",
                &["news.example.net"],
            ),
            ("Source: Reuters", &["reuters.com"]),
            ("Источник: www.example-ru.org", &["example-ru.org"]),
            ("Fuente: elpais.com", &["elpais.com"]),
            (
                "Read the full story at www.kdvr-news.com",
                &["kdvr-news.com"],
            ),
            ("The source: a leaked memo", &[]),
            ("Open source software is free.", &[]),
            ("No citation here.", &[]),
        ];
        for (text, want) in cases {
            assert_eq!(cited_sources(text), *want, "{text:?}");
        }
    }

    /// A plain "Source:" line credits the page's source at the text's start
    /// or close; inside, it captions a chart or a photo. Other markers and
    /// agency datelines count anywhere.
    #[test]
    fn plain_credits_only_open_or_close_a_text() {
        let body = "The river rose by two metres overnight and the council opened the old school.\n\
                    Source: statista.com\n\
                    The town flooded after the bank gave way, and volunteers carried sandbags until dawn.\n\
                    Forecasters expect the rain to ease on Thursday, though the ground is saturated.";
        let cases: &[(String, &[&str])] = &[
            (body.to_string(), &[]),
            (
                format!("{body}\nSource: www.wire.example"),
                &["wire.example"],
            ),
            (format!("Via wire.example\n{body}"), &["wire.example"]),
            (
                body.replace("Source: statista.com", "First published on wire.example."),
                &["wire.example"],
            ),
            (
                body.replace("The town", "KELDA (Reuters) - The town"),
                &["reuters.com"],
            ),
        ];
        for (text, want) in cases {
            assert_eq!(super::cited_in_text(text), *want, "{text:?}");
        }
    }

    #[test]
    fn reads_agency_credits() {
        let cases: &[(&str, &[&str])] = &[
            // Datelines.
            ("DENVER (AP) \u{2014} A wildfire forced...", &["apnews.com"]),
            (
                "LONDON, Nov 24 (Reuters) - Britain said...",
                &["reuters.com"],
            ),
            ("PARIS (AFP) - France said...", &["afp.com"]),
            ("(CNN)The fire spread overnight.", &["cnn.com"]),
            ("NEW YORK (Bloomberg) -- Stocks fell.", &["bloomberg.com"]),
            // Bylines and copyright notices.
            ("By The Associated Press", &["apnews.com"]),
            ("By JANE MORROW Associated Press", &["apnews.com"]),
            ("By Kate Holton, Reuters", &["reuters.com"]),
            (
                "Copyright 2026 The Associated Press. All rights reserved.",
                &["apnews.com"],
            ),
            ("\u{a9} 2025 Thomson Reuters", &["reuters.com"]),
            // Not credits: a photo's, a style guide, a contribution, a
            // person, the word "ap", prose.
            ("A crew at work. \u{a9} Reuters", &[]),
            ("(AP Photo/David Zalubowski)", &[]),
            ("The Associated Press (AP) Stylebook says so.", &[]),
            ("The Associated Press contributed to this report.", &[]),
            ("By Jane Doe, staff writer", &[]),
            ("by ap means", &[]),
            ("Reuters reported that the talks failed.", &[]),
        ];
        for (text, want) in cases {
            assert_eq!(cited_sources(text), *want, "{text:?}");
        }
    }

    #[test]
    fn credits_outlets_of_other_sites() {
        // (text, page URL, sources credited)
        let cases: &[(&str, Option<&str>, &[&str])] = &[
            (
                "\"It hurt,\" she told the BBC.",
                Some("https://news.example.org/a"),
                &["bbc.com"],
            ),
            (
                "Speaking to Reuters, he said so. He later told The Guardian more.",
                Some("https://example.net/x"),
                &["reuters.com", "theguardian.com"],
            ),
            // The outlet's own page, and a page of unknown site.
            (
                "\"It hurt,\" she told the BBC.",
                Some("https://www.bbc.co.uk/news/1"),
                &[],
            ),
            ("\"It hurt,\" she told the BBC.", None, &[]),
            // Another outlet's own page: its own reporting.
            (
                "\"It hurt,\" she told Bloomberg.",
                Some("https://www.bbc.co.uk/news/2"),
                &[],
            ),
            (
                "\"It hurt,\" she told Bloomberg.",
                Some("https://news.example.org/b"),
                &["bloomberg.com"],
            ),
            // Not an outlet, or not a credit.
            (
                "She told the County Times so.",
                Some("https://example.net/x"),
                &[],
            ),
            (
                "He foretold the bbc would fall.",
                Some("https://example.net/x"),
                &[],
            ),
        ];
        for (text, url, want) in cases {
            assert_eq!(super::credited_elsewhere(text, *url), *want, "{text:?}");
        }
    }
}
