//! Extraction behaviour on small hand-written pages and texts.
use proptest::prelude::*;
use stemma_core::RawDoc;
use stemma_extract::{extract_corpus, extract_html, extract_one};

fn html_doc(id: &str, html: &str) -> RawDoc {
    RawDoc::html(id, html)
}

fn text_doc(id: &str, text: &str) -> RawDoc {
    RawDoc::text(id, text)
}

const PARA_A: &str = "The river rose by two metres overnight, and the town council opened the old school as a shelter for families from the lower streets.";
const PARA_B: &str = "Volunteers carried sandbags to the bridge until dawn, while the fire brigade pumped water out of the flooded railway underpass.";
const PARA_C: &str = "Forecasters expect the rain to ease on Thursday, but warned that the ground is saturated and that further flooding remains possible.";

/// Three unrelated stories' bodies, for pages of one site.
const UNRELATED: [&str; 3] = [
    "The river rose by two metres overnight, and the council opened the old school as a shelter.",
    "The new library will open in May after three years of building work on the market square.",
    "Local farmers report an early harvest after the warmest spring the region has seen in decades.",
];

fn news_page(extra_body: &str) -> String {
    format!(
        r##"<!doctype html><html><head>
<title>Floods close valley roads | Valley Gazette</title>
<meta property="og:title" content="Floods close valley roads">
<meta property="article:published_time" content="2024-03-05T10:20:30+01:00">
<meta name="author" content="Jane Doe">
<link rel="canonical" href="/news/floods">
<script>var tracking = "Advertisement script text";</script>
</head><body>
<header><nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav></header>
<div id="cookie-banner">We use cookies to improve your experience. Accept all</div>
<main><article class="article-body">
<h1>Floods close valley roads</h1>
<p>{PARA_A}</p>
<div class="ad-slot">Advertisement</div>
<p>{PARA_B}</p>
<figure><img src="x.jpg"><figcaption>Photo: John Smith / Getty Images</figcaption></figure>
<p>{PARA_C}</p>
{extra_body}
<div class="share-buttons"><a href="#">Share on Facebook</a> <a href="#">Tweet</a></div>
</article>
<aside class="related"><h2>Recommended news</h2><ul>
<li><a href="/a">Storm hits the coast as ferries are cancelled for the weekend</a></li>
<li><a href="/b">Council approves new budget for road repairs after long debate</a></li>
</ul></aside>
<section class="comments"><p>Sign in to comment</p></section>
</main>
<footer><p>© 2024 Valley Gazette. All rights reserved.</p><a href="/privacy">Privacy policy</a></footer>
</body></html>"##
    )
}

#[test]
fn html_news_page_keeps_article_and_drops_furniture() {
    let art = extract_html(
        &news_page(""),
        Some("https://gazette.example.com/news/floods?x=1"),
    );
    assert_eq!(art.text, format!("{PARA_A}\n\n{PARA_B}\n\n{PARA_C}"));
    assert_eq!(art.title.as_deref(), Some("Floods close valley roads"));
    assert_eq!(art.published.as_deref(), Some("2024-03-05T09:20:30Z"));
    assert_eq!(art.author.as_deref(), Some("Jane Doe"));
    assert_eq!(
        art.canonical_url.as_deref(),
        Some("https://gazette.example.com/news/floods")
    );
    assert!(art.boilerplate_chars > 100, "{}", art.boilerplate_chars);
}

#[test]
fn html_boilerplate_snippets_are_absent() {
    let art = extract_html(&news_page(""), None);
    for bad in [
        "Home",
        "cookies",
        "Advertisement",
        "Photo:",
        "Share on",
        "Recommended news",
        "Storm hits the coast",
        "Sign in",
        "All rights reserved",
        "Privacy policy",
        "tracking",
    ] {
        assert!(
            !art.text.contains(bad),
            "{bad:?} leaked into {:?}",
            art.text
        );
    }
}

#[test]
fn html_inline_markup_and_breaks() {
    let cases: &[(&str, &str)] = &[
        // Inline elements do not split a paragraph; entities are decoded.
        (
            "<p>The <b>mayor</b> said the <a href='/x'>new bridge</a> would open &amp; traffic would flow again by the end of the summer season.</p>",
            "The mayor said the new bridge would open & traffic would flow again by the end of the summer season.",
        ),
        // Soft hyphens and ruby annotations are invisible.
        (
            "<p>Die Ge\u{ad}mein\u{ad}de erklärte am Montag, dass die Brücke im Sommer wieder für den Verkehr geöffnet werden soll.</p>",
            "Die Gemeinde erklärte am Montag, dass die Brücke im Sommer wieder für den Verkehr geöffnet werden soll.",
        ),
        (
            "<p><ruby>漢<rt>かん</rt></ruby><ruby>字<rt>じ</rt></ruby>の読み方についての説明が、この記事の中で長く丁寧に書かれています。新しい法律についても説明があります。</p>",
            "漢字の読み方についての説明が、この記事の中で長く丁寧に書かれています。新しい法律についても説明があります。",
        ),
    ];
    for (body, want) in cases {
        let html = format!("<html><body><div class='content'>{body}</div></body></html>");
        assert_eq!(extract_html(&html, None).text, *want, "{body}");
    }
}

#[test]
fn html_metadata_from_json_ld_and_time() {
    let html = format!(
        r#"<html><head><title>Storm closes harbour for a week - Example News</title>
<script type="application/ld+json">{{"@context":"https://schema.org","@type":"NewsArticle","datePublished":"2023-12-31T23:30:00-02:00","author":{{"@type":"Person","name":"Ann Lee"}}}}</script>
<meta property="og:url" content="https://example.org/a"></head>
<body><article><p>{PARA_A}</p><p>{PARA_B}</p></article></body></html>"#
    );
    let art = extract_html(&html, None);
    assert_eq!(
        art.title.as_deref(),
        Some("Storm closes harbour for a week")
    );
    assert_eq!(art.published.as_deref(), Some("2024-01-01T01:30:00Z"));
    assert_eq!(art.author.as_deref(), Some("Ann Lee"));
    assert_eq!(art.canonical_url.as_deref(), Some("https://example.org/a"));

    let html = format!(
        "<html><body><h1>Short title</h1><time datetime='2022-06-01'>1 June</time><p>{PARA_C}</p></body></html>"
    );
    let art = extract_html(&html, None);
    assert_eq!(art.title.as_deref(), Some("Short title"));
    assert_eq!(art.published.as_deref(), Some("2022-06-01T00:00:00Z"));
}

#[test]
fn html_cited_source_is_found() {
    let page = news_page(
        "<p>This story was originally published on www.Example-Wire.org and is republished with permission.</p>",
    );
    let art = extract_one(&html_doc("p", &page));
    assert_eq!(art.cited, vec!["example-wire.org".to_string()]);
}

/// A page names its source wherever its credit line sits: a short closing
/// line of the article (kept in the text), a line styled as page furniture
/// inside it, or the footer right under it; a "Source:" line far from the
/// article belongs to another item of the page.
#[test]
fn html_credit_lines_name_the_source() {
    let far: String = (0..8)
        .map(|k| {
            format!("<li><a href=\"/r{k}\">Related story number {k} about the valley</a></li>")
        })
        .collect();
    // (page, cited, whether the credit stays in the text)
    let cases = [
        (
            news_page("<p>Source: www.wire.example</p>"),
            vec!["wire.example"],
            true,
        ),
        (
            news_page("<p class=\"credit\">Source: www.wire.example</p>"),
            vec!["wire.example"],
            false,
        ),
        (
            format!(
                "<html><body><article><h1>Floods</h1><p>{PARA_A}</p><p>{PARA_B}</p><p>{PARA_C}</p>\
                 </article><footer><p>Source: wire.example</p></footer></body></html>"
            ),
            vec!["wire.example"],
            false,
        ),
        (
            format!(
                "<html><body><article><h1>Floods</h1><p>{PARA_A}</p><p>{PARA_B}</p><p>{PARA_C}</p>\
                 </article><aside><ul>{far}</ul><p>Source: other.example</p></aside></body></html>"
            ),
            vec![],
            false,
        ),
        // A chart's credit inside the article, and one kept in its text.
        (
            format!(
                "<html><body><article><h1>Floods</h1><p>{PARA_A}</p><p>Source: statista.com</p>\
                 <figure><img src=\"c.png\"><figcaption>Rainfall by month</figcaption></figure><p>{PARA_B}</p><p>{PARA_C}</p></article></body></html>"
            ),
            vec![],
            false,
        ),
        (
            format!(
                "<html><body><article><h1>Floods</h1><p>{PARA_A}</p><p>Source: statista.com</p>\
                 <p>{PARA_B}</p><p>{PARA_C}</p></article></body></html>"
            ),
            vec![],
            true,
        ),
    ];
    for (page, cited, in_text) in cases {
        let art = extract_one(&html_doc("p", &page));
        assert_eq!(art.cited, cited, "{page}");
        assert_eq!(art.text.contains("Source:"), in_text, "{:?}", art.text);
        assert!(art.text.starts_with(PARA_A), "{:?}", art.text);
    }
}

/// Wire copy names its agency: a byline above the text, the metadata's
/// author, a dateline, or a copyright notice (in HTML, or dropped from a
/// text page for its shape). A staff byline names no one.
#[test]
fn agency_credits_name_the_source() {
    let page = |head: &str, author: &str, first: &str| {
        format!(
            "<html><head><meta name=\"author\" content=\"{author}\"></head><body>\
             <article><h1>Floods</h1><div class=\"byline\">{head}</div><p>{first}{PARA_A}</p>\
             <p>{PARA_B}</p><p>{PARA_C}</p></article></body></html>"
        )
    };
    let cases: [(String, &[&str]); 5] = [
        (
            page("By The Associated Press", "Jane Doe", ""),
            &["apnews.com"],
        ),
        (page("By Jane Doe", "Reuters", ""), &["reuters.com"]),
        (
            page("", "Jane Doe", "LONDON (Reuters) - "),
            &["reuters.com"],
        ),
        (page("By Jane Doe, staff writer", "Jane Doe", ""), &[]),
        (
            page("", "", "").replace(
                "</article>",
                "<p class=\"legal\">Copyright 2026 Agence France-Presse</p></article>",
            ),
            &["afp.com"],
        ),
    ];
    for (html, want) in cases {
        let art = extract_one(&html_doc("p", &html));
        assert_eq!(art.cited, want, "{html}");
    }
    // The agency's own page cites no one.
    let own = RawDoc {
        url: Some("https://apnews.com/article/floods-1".into()),
        ..html_doc(
            "ap",
            &page("By The Associated Press", "Jane Doe", "KELDA (AP) - "),
        )
    };
    assert_eq!(extract_one(&own).cited, Vec::<String>::new());
    let text = format!(
        "Floods close valley roads\n{PARA_A}\n{PARA_B}\nCopyright 2026 The Associated Press. All rights reserved."
    );
    let art = extract_one(&text_doc("t", &text));
    assert!(!art.text.contains("Copyright"), "{:?}", art.text);
    assert_eq!(art.cited, vec!["apnews.com".to_string()]);
}

/// Pages of one content farm (farm.example), the [`UNRELATED`] stories'
/// bodies each made into a page's text by `page(index, body)`.
fn farm_pages(page: impl Fn(usize, &str) -> String) -> Vec<RawDoc> {
    UNRELATED
        .iter()
        .enumerate()
        .map(|(i, body)| RawDoc {
            url: Some(format!("https://farm.example/p/{i}")),
            ..text_doc(&format!("d{i}"), &page(i, body))
        })
        .collect()
}

/// A content farm's template line naming its source ("Source: bbc.co.uk"
/// under every page) is dropped from the text as the site's boilerplate, and
/// still names each page's source.
#[test]
fn a_template_line_naming_the_source_still_cites_it() {
    let bodies = UNRELATED;
    let docs = farm_pages(|_, body| format!("{body}\n\nSource: www.bbc.co.uk"));
    for (art, body) in extract_corpus(&docs).iter().zip(bodies) {
        assert_eq!(art.text, body);
        assert_eq!(art.cited, vec!["bbc.co.uk".to_string()]);
    }
}

#[test]
fn html_degenerate_inputs_do_not_panic() {
    let deep_div = "<div>".repeat(100_000) + "deep text" + &"</div>".repeat(100_000);
    let deep_b = "<b><i>".repeat(20_000) + "bold";
    let deep_table = "<table><tr><td>".repeat(5_000);
    for html in [
        "",
        "<",
        "<<<>>>",
        "<html",
        "\u{0}\u{feff}<p>x</p>",
        &deep_div,
        &deep_b,
        &deep_table,
    ] {
        let art = extract_one(&html_doc("x", html));
        assert!(!art.text.starts_with(char::is_whitespace));
    }
}

#[test]
fn text_documents_drop_boilerplate_lines_and_take_a_headline() {
    let cases: &[(&str, Option<&str>, &str)] = &[
        (
            "Floods close valley roads\nAdvertisement\nThe river rose by two metres overnight.\nShare this article\nVolunteers carried sandbags to the bridge.",
            Some("Floods close valley roads"),
            "The river rose by two metres overnight.\n\nVolunteers carried sandbags to the bridge.",
        ),
        (
            "Sign in\nFloods close valley roads\n\nThe river rose by two metres overnight.\nIt kept rising.\n\nPhoto: John Smith\n\nVolunteers carried sandbags.",
            Some("Floods close valley roads"),
            "The river rose by two metres overnight.\nIt kept rising.\n\nVolunteers carried sandbags.",
        ),
        (
            "The river rose by two metres overnight, officials said.\nVolunteers carried sandbags.",
            None,
            "The river rose by two metres overnight, officials said.\n\nVolunteers carried sandbags.",
        ),
        (
            "Valley Gazette\nHome | News | Sport | Log in\nFloods close valley roads\nThe river rose by two metres overnight.",
            Some("Floods close valley roads"),
            "The river rose by two metres overnight.",
        ),
        (
            "Floods close roads\nThe river rose by two metres overnight.",
            Some("Floods close roads"),
            "The river rose by two metres overnight.",
        ),
        ("One line only", None, "One line only"),
        ("", None, ""),
    ];
    for (input, title, text) in cases {
        let art = extract_one(&text_doc("t", input));
        assert_eq!(art.title.as_deref(), *title, "{input:?}");
        assert_eq!(art.text, *text, "{input:?}");
    }
}

#[test]
fn lines_recurring_across_unrelated_documents_are_dropped() {
    let site = [
        "Valley Gazette",
        "Your local news since 1901",
        "Weather | Traffic | Jobs",
    ];
    let bodies = UNRELATED;
    let docs: Vec<RawDoc> = bodies
        .iter()
        .enumerate()
        .map(|(i, body)| {
            text_doc(
                &format!("d{i}"),
                &format!(
                    "{}\n{}\nHeadline number {i}\n{body}\n{}",
                    site[0], site[1], site[2]
                ),
            )
        })
        .collect();
    let arts = extract_corpus(&docs);
    for (art, body) in arts.iter().zip(bodies) {
        assert_eq!(art.text, body);
        assert!(
            art.title
                .as_deref()
                .is_some_and(|t| t.starts_with("Headline number")),
            "{:?}",
            art.title
        );
        for line in site {
            assert!(!art.text.contains(line));
        }
        assert!(art.boilerplate_chars >= site.iter().map(|l| l.chars().count()).sum::<usize>());
    }
}

/// An HTML article page of `site` with `paras` and, set last in the
/// article body, `appeal`.
fn site_page(site: &str, n: usize, paras: &[String], appeal: &str) -> RawDoc {
    let body: String = paras.iter().map(|p| format!("<p>{p}</p>")).collect();
    RawDoc {
        id: format!("{site}-{n}"),
        url: Some(format!("https://{site}/news/{n}")),
        published: None,
        origin: format!("{site}-{n}.html"),
        body: stemma_core::Body::Html(format!(
            "<html><head><title>Story {n}</title></head><body><article><h1>Story {n}</h1>\
             {body}<p>{appeal}</p></article></body></html>"
        )),
    }
}

#[test]
fn html_paragraphs_recurring_across_unrelated_pages_are_dropped() {
    let appeal = "The Courier is a reader-funded newsroom, and your support keeps our \
                  reporters in the town hall and the courts every week.";
    let paras = |n: usize| -> Vec<String> {
        (0..6)
            .map(|k| {
                format!(
                    "Paragraph {k} of story {n} tells what the council decided about item {} \
                     on its agenda this week.",
                    10 * n + k
                )
            })
            .collect()
    };
    let mut docs: Vec<RawDoc> = (0..4)
        .map(|n| site_page("courier.example", n, &paras(n), appeal))
        .collect();
    // Story 0 copied by another site, with that site's own appeal.
    docs.push(site_page(
        "mirror.example",
        0,
        &paras(0),
        "Thanks for reading.",
    ));
    let arts = extract_corpus(&docs);
    for (n, art) in arts.iter().take(4).enumerate() {
        assert!(!art.text.contains("reader-funded"), "{}", art.text);
        assert_eq!(art.text, paras(n).join("\n\n"));
        assert!(art.boilerplate_chars >= appeal.len());
    }
    // The copy keeps the paragraphs it shares with its original.
    assert!(
        arts[4].text.starts_with(&paras(0).join("\n\n")),
        "{}",
        arts[4].text
    );
    assert_eq!(stemma_extract::extract_corpus_owned(docs.clone()), arts);
    // Alone, a page keeps the appeal: nothing shows it recurs.
    assert!(extract_one(&docs[0]).text.contains("reader-funded"));
}

#[test]
fn lines_shared_by_copies_of_one_article_are_kept() {
    let story = "Floods close valley roads\nThe river rose by two metres overnight, officials said on Monday.\nVolunteers carried sandbags to the bridge until dawn.\nForecasters expect the rain to ease on Thursday.";
    let docs = vec![
        text_doc("a", story),
        text_doc("b", &format!("Other Site\n{story}\nRead more")),
        text_doc(
            "c",
            "A different story\nThe library opens in May after three years of building work on the square.",
        ),
    ];
    let arts = extract_corpus(&docs);
    assert_eq!(arts[0].title.as_deref(), Some("Floods close valley roads"));
    assert!(
        arts[0]
            .text
            .contains("Volunteers carried sandbags to the bridge until dawn.")
    );
    assert!(
        arts[1]
            .text
            .contains("Volunteers carried sandbags to the bridge until dawn.")
    );
    assert!(
        arts[1]
            .text
            .contains("Forecasters expect the rain to ease on Thursday.")
    );
    assert!(!arts[1].text.contains("Read more"));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn random_html_never_panics(s in "\\PC{0,400}") {
        let art = extract_one(&html_doc("r", &s));
        prop_assert!(art.text.is_char_boundary(art.text.len()));
        prop_assert_eq!(art.text.trim(), art.text.as_str());
    }

    #[test]
    fn random_tag_soup_never_panics(parts in proptest::collection::vec(
        prop_oneof![
            Just("<div>".to_string()), Just("</div>".to_string()), Just("<p class='ad'>".to_string()),
            Just("<a href=x>".to_string()), Just("</a>".to_string()), Just("<br>".to_string()),
            Just("<script>".to_string()), Just("<pre>".to_string()), Just("<h1>".to_string()),
            Just("Advertisement".to_string()), "[a-zA-Z ,.]{0,60}",
        ], 0..80)) {
        let html = parts.concat();
        let _ = extract_one(&html_doc("r", &html));
    }

    #[test]
    fn random_text_never_panics(s in "\\PC{0,400}") {
        let arts = extract_corpus(&[text_doc("a", &s), text_doc("b", &s)]);
        for a in arts {
            prop_assert!(a.text.is_char_boundary(a.text.len()));
        }
    }
}

#[test]
fn html_script_rendered_page_falls_back_to_json_ld_body() {
    let html = format!(
        r#"<html><head><script type="application/ld+json">{{"@type":"NewsArticle","headline":"Floods","articleBody":"{PARA_A}\n{PARA_B}"}}</script></head>
<body><div id="app">Loading</div></body></html>"#
    );
    assert_eq!(
        extract_html(&html, None).text,
        format!("{PARA_A}\n\n{PARA_B}")
    );
}

#[test]
fn line_stats_count_documents_and_round_trip() {
    let mut stats = stemma_extract::LineStats::default();
    stats.add_document("Sign in\nA first story.\nSign in");
    stats.add_document("  sign   IN \nA second story.");
    assert_eq!(stats.documents, 2);
    assert_eq!(stats.document_frequency("Sign in"), 2);
    assert_eq!(stats.document_frequency("A first story."), 1);
    assert_eq!(stats.document_frequency("never seen"), 0);
    let json = serde_json::to_string(&stats).unwrap();
    let back: stemma_extract::LineStats = serde_json::from_str(&json).unwrap();
    assert_eq!(back, stats);
}

#[test]
fn consuming_extraction_gives_the_same_articles_across_chunks() {
    // More pages than one chunk of the consuming path (4096), with site lines
    // recurring across pages of several stories and a story copied on
    // another site, so that recurrence votes cross chunk boundaries.
    let stories = [PARA_A, PARA_B, PARA_C];
    let docs: Vec<RawDoc> = (0..5000)
        .map(|i| {
            let body = format!("Report {} from the valley desk. {}", i % 1700, stories[i % 3]);
            let text = if i % 2 == 0 {
                format!("Sign up for our evening newsletter today\nHeadline {i}\n{body}\nAll rights reserved by the Valley Gazette group")
            } else {
                format!("Headline {i}\n{body}")
            };
            text_doc(&format!("d{i}"), &text)
        })
        .chain(std::iter::once(html_doc("page", &news_page(PARA_B))))
        .collect();
    let by_ref = extract_corpus(&docs);
    assert_eq!(stemma_extract::extract_corpus_owned(docs), by_ref);
    assert!(!by_ref[0].text.contains("All rights reserved"));
}

/// A spun copy rewords every line of its source but the quotation, which
/// two other copies hold too: the quotation is story content, kept; the
/// same shape of line (someone's words in quotation marks) on many
/// unrelated pages is a site's appeal, dropped.
#[test]
fn a_quotation_copies_keep_is_no_boilerplate() {
    let quote = "\"We will not reopen the bridge until every pier has been inspected by divers,\" said Aoife Brennan, the council's director of roads.";
    let original = [
        "Officials in the west of the county closed the bridge on Friday after the storm.",
        "Engineers found cracks in two of the bridge's five supporting piers on Saturday.",
        quote,
        "About 9,000 vehicles use the bridge every day, according to council figures.",
        "The detour through the village adds roughly forty minutes to the journey.",
        "A temporary ferry service for pedestrians will begin on Monday morning.",
        "The bridge was built in 1964 and last repaired in 2019 at great cost.",
    ];
    let spun = [
        "Officers in the west of the county shut the bridge on Friday after the gale.",
        "Technicians discovered fissures in two of the bridge's five supporting columns on Saturday.",
        quote,
        "Roughly 9,000 cars use the bridge each day, according to council numbers.",
        "The diversion through the hamlet adds approximately forty minutes to the trip.",
        "A short-term ferry service for walkers will start on Monday morning.",
        "The bridge was constructed in 1964 and last mended in 2019 at great expense.",
    ];
    let docs = vec![
        text_doc("original", &original.join("\n")),
        text_doc("copy", &format!("Other Site\n{}", original.join("\n"))),
        text_doc("spun", &spun.join("\n")),
        text_doc("other", UNRELATED[1]),
    ];
    let arts = extract_corpus(&docs);
    for art in &arts[..3] {
        assert!(
            art.text.contains("every pier has been inspected"),
            "{}: {}",
            art.id,
            art.text
        );
    }
    // The same shape on nine pages of one site, each about something else.
    let appeal = "Our editor puts it plainly: \"independent local reporting has never mattered more to this town,\" and your gift keeps it going.";
    let pages: Vec<RawDoc> = (0..9)
        .map(|n| {
            text_doc(
                &format!("page-{n}"),
                &format!(
                    "Story {n}\n{}\n{appeal}",
                    (0..5)
                        .map(|k| format!(
                            "The council met on day {n} of the month and voted on item {} of its agenda, which concerned road number {}.",
                            10 * n + k,
                            7 * n + k
                        ))
                        .collect::<Vec<_>>()
                        .join("\n")
                ),
            )
        })
        .collect();
    for art in extract_corpus(&pages) {
        assert!(
            !art.text.contains("independent local reporting"),
            "{}",
            art.text
        );
    }
}

#[test]
fn a_page_extracted_alone_loses_what_later_pages_show_to_recur() {
    // Pages of one content farm: a template credit line and an appeal.
    let docs = farm_pages(|i, body| {
        format!(
            "{body}\n\n{}\n\nFarm Daily runs on readers' gifts, so please give what you can today.\n\nSource: www.bbc.co.uk",
            // Enough prose of its own that the appeal alone is not a fifth
            // of a page's prose.
            (0..5)
                .map(|n| format!("Page {i} adds its own note number {n} on the day's other news."))
                .collect::<Vec<_>>()
                .join("\n\n")
        )
    });
    let together = extract_corpus(&docs);
    let keys: Vec<Vec<(u64, bool)>> = docs.iter().map(stemma_extract::recurrence_keys).collect();
    let prose: Vec<Vec<u64>> = keys.iter().map(|k| stemma_extract::prose_keys(k)).collect();
    for (i, doc) in docs.iter().enumerate() {
        let alone = extract_one(doc);
        assert!(alone.text.contains("gifts"), "{}", alone.text);
        let holders = keys[i].iter().map(|&(k, _)| {
            let list: Vec<Option<&[u64]>> = (0..docs.len())
                .filter(|&j| j == i || keys[j].iter().any(|x| x.0 == k))
                .map(|j| (j != i).then(|| prose[j].as_slice()))
                .collect();
            (k, list)
        });
        let votes = stemma_extract::votes_of(&prose[i], holders);
        let cleaned = stemma_extract::drop_voted(&alone, &votes).expect("a line goes");
        assert_eq!(cleaned, together[i], "{}", doc.id);
        assert_eq!(cleaned.cited, vec!["bbc.co.uk".to_string()]);
        // Nothing more goes a second time.
        assert_eq!(stemma_extract::drop_voted(&cleaned, &votes), None);
        // Nor does a page's last line.
        let only_the_appeal = stemma_core::Article {
            text: "Farm Daily runs on readers' gifts, so please give what you can today.".into(),
            ..alone.clone()
        };
        assert_eq!(stemma_extract::drop_voted(&only_the_appeal, &votes), None);
    }
}
