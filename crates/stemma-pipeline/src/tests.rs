use stemma_core::{Article, RelationKind};

use super::*;

fn doc(id: &str, text: &str, cited: &[&str]) -> Article {
    Article {
        id: id.into(),
        text: text.into(),
        cited: cited.iter().map(|s| s.to_string()).collect(),
        ..Default::default()
    }
}

const SOURCE: &str = "Firefighters in Ashbury battled a blaze at the Harlow paper mill for \
eleven hours overnight, the county fire service said on Wednesday. Around 60 crew members and 14 \
engines attended the fire, which started in a storage building shortly after 22:00. Station \
manager Priya Okonkwo said nobody was hurt but residents of the Millbrook estate were asked to \
keep windows closed because of heavy smoke. The mill, which employs 340 people, has been owned by \
the Castellan group since 2009. An investigation into the cause has begun and the road between \
Ashbury and Fenwick will stay closed until Friday.";

const SPUN: &str = "Firefighters in Ashbury fought a blaze at the Harlow paper factory for \
eleven hours in a single night, the county fire service stated on Wednesday. Roughly 60 crew \
members and 14 engines attended the fire, which began in a storage building shortly after 22:00. \
Station boss Priya Okonkwo said nobody was harmed but inhabitants of the Millbrook estate were \
asked to keep windows shut because of heavy smoke. The mill, which employs 340 people, has been \
owned by the Castellan group since 2009. A probe into the cause has begun and the road between \
Ashbury and Fenwick will stay closed until Friday.";

const ABSENT_COPY_1: &str = "Lighthouse keepers on Skerrow Island have switched the lamp back on \
after a 40-year pause, the Northern Lights Trust announced on Monday. The tower, built in 1868, \
was restored with 1.2 million pounds raised by islanders and a heritage lottery grant. Trust \
chair Morven Gillies said the light would guide fishing boats into Kelda harbour again. The first \
public tours of the lantern room begin in May.\nSource: bbc.com";

const ABSENT_COPY_2: &str = "Lighthouse keepers on Skerrow Island have turned the lamp back on \
after a 40-year break, the Northern Lights Trust said on Monday. The tower, constructed in 1868, \
was restored with 1.2 million pounds raised by residents and a heritage lottery grant. Trust \
chair Morven Gillies said the beacon would guide fishing boats into Kelda harbour once more. The \
first public tours of the lantern room start in May.\nSource: bbc.com";

/// The (source, derivative) pairs of a report's relations.
fn links(report: &stemma_core::Report) -> Vec<(&str, &str)> {
    report
        .relations
        .iter()
        .map(|r| (r.source.as_str(), r.derivative.as_str()))
        .collect()
}

/// A context whose thesaurus knows the spinner's swaps, as the system
/// thesaurus does in a real run.
fn with_thesaurus() -> Config {
    let mut t = stemma_text::Thesaurus::builtin();
    for (a, b) in [
        ("battled", "fought"),
        ("mill", "factory"),
        ("said", "stated"),
        ("started", "began"),
        ("manager", "boss"),
        ("hurt", "harmed"),
        ("residents", "inhabitants"),
        ("closed", "shut"),
        ("investigation", "probe"),
        ("around", "roughly"),
    ] {
        t.add_pair(a, b);
    }
    Config {
        align: stemma_align::AlignContext::with_thesaurus(t),
        ..Config::default()
    }
}

#[test]
fn source_copies_and_an_unseen_source() {
    let articles = vec![
        doc("a-source", SOURCE, &[]),
        doc(
            "b-verbatim",
            &format!("Advertisement\n\n{SOURCE}\n\nShare this story"),
            &[],
        ),
        doc("c-spun", SPUN, &[]),
        doc("x-copy", ABSENT_COPY_1, &["bbc.com"]),
        doc("y-copy", ABSENT_COPY_2, &["bbc.com"]),
    ];
    let report = analyze(&articles, &with_thesaurus());
    let got: Vec<(&str, &str, RelationKind)> = report
        .relations
        .iter()
        .map(|r| (r.source.as_str(), r.derivative.as_str(), r.kind))
        .collect();
    let seen: Vec<_> = got
        .iter()
        .filter(|r| !r.0.starts_with("unseen:"))
        .cloned()
        .collect();
    assert_eq!(
        seen,
        vec![
            ("a-source", "b-verbatim", RelationKind::Verbatim),
            ("a-source", "c-spun", RelationKind::Spun),
        ],
        "{got:?}"
    );
    let unseen: Vec<_> = got
        .iter()
        .filter(|r| r.0.starts_with("unseen:"))
        .map(|r| (r.0, r.1))
        .collect();
    assert_eq!(
        unseen,
        vec![("unseen:1", "x-copy"), ("unseen:1", "y-copy")],
        "{got:?}"
    );
    assert_eq!(report.unseen_sources.len(), 1);
    assert_eq!(report.unseen_sources[0].id, "unseen:1");
    assert_eq!(
        report.unseen_sources[0].derivatives,
        vec!["x-copy", "y-copy"]
    );
    assert_eq!(report.unseen_sources[0].cited.as_deref(), Some("bbc.com"));
    // Evidence of the seen relations indexes the source first.
    for r in report
        .relations
        .iter()
        .filter(|r| !r.source.starts_with("unseen:"))
    {
        let src = articles.iter().find(|a| a.id == r.source).unwrap();
        let der = articles.iter().find(|a| a.id == r.derivative).unwrap();
        for e in &r.evidence {
            assert!(e.a_span.slice(&src.text).is_some() && e.b_span.slice(&der.text).is_some());
        }
    }
    // Every document is in exactly one story; the copies share one.
    let mut all: Vec<&str> = report
        .stories
        .iter()
        .flat_map(|s| s.documents.iter().map(String::as_str))
        .collect();
    all.sort();
    assert_eq!(
        all,
        vec!["a-source", "b-verbatim", "c-spun", "x-copy", "y-copy"]
    );
    let story = |id: &str| {
        report
            .documents
            .iter()
            .find(|d| d.id == id)
            .unwrap()
            .story
            .clone()
    };
    assert_eq!(story("x-copy"), story("y-copy"));
    assert_eq!(story("a-source"), story("c-spun"));
    assert_ne!(story("a-source"), story("x-copy"));
}

#[test]
fn output_is_deterministic() {
    let articles = vec![
        doc("c-spun", SPUN, &[]),
        doc("a-source", SOURCE, &[]),
        doc("b-verbatim", SOURCE, &[]),
    ];
    let one = analyze(&articles, &Config::default());
    let two = analyze(
        &articles,
        &Config {
            threads: 1,
            ..Config::default()
        },
    );
    assert_eq!(one, two);
}

#[test]
fn slimmed_comparisons_give_the_full_report() {
    // `analyze` drops the diffs of rejected pairs as it verifies; the report
    // must equal the one built from the full comparisons.
    let articles = vec![
        doc("a-source", SOURCE, &[]),
        doc("c-spun", SPUN, &[]),
        doc("x-copy", ABSENT_COPY_1, &["bbc.com"]),
        doc("y-copy", ABSENT_COPY_2, &["bbc.com"]),
        doc("z-other", ABSENT_COPY_1, &[]),
    ];
    let cfg = with_thesaurus();
    // Every pair, so that independent and unrelated verdicts occur too.
    let pairs: Vec<(usize, usize)> = (0..articles.len())
        .flat_map(|i| (i + 1..articles.len()).map(move |j| (i, j)))
        .collect();
    let full = verify(&articles, &pairs, &cfg);
    let slim: Vec<(usize, usize, Comparison)> = full
        .iter()
        .map(|(i, j, c)| (*i, *j, super::slim(c.clone())))
        .collect();
    assert_eq!(report_from(&articles, &slim), report_from(&articles, &full));
    // Consuming the comparisons moves their evidence: the same report.
    assert_eq!(
        super::report_from_owned(&articles, full.clone()),
        report_from(&articles, &full)
    );
    let candidates = stemma_index::candidates_with(&articles, &cfg.index);
    let compared = verify(&articles, &candidates, &cfg);
    assert_eq!(analyze(&articles, &cfg), report_from(&articles, &compared));
}

#[test]
fn story_title_is_the_original_reports() {
    let mut articles = [
        doc("brief", "short", &[]),
        doc("indep", "other", &[]),
        doc("orig", "long", &[]),
        doc("untitled", "none", &[]),
    ];
    articles[0].title = Some("In brief".into());
    articles[1].title = Some("Another paper's report".into());
    articles[2].title = Some("Original headline".into());
    let relations = vec![stemma_core::Relation {
        source: "orig".into(),
        derivative: "brief".into(),
        kind: RelationKind::Summary,
        confidence: 0.9,
        evidence: Vec::new(),
        drift: Vec::new(),
    }];
    let roles = Roles::of(&relations);
    let cases: &[(&[usize], Option<&str>)] = &[
        (&[0, 2], Some("Original headline")),
        (&[3, 0, 1, 2], Some("Original headline")),
        (&[1, 0], Some("Another paper's report")),
        (&[0], Some("In brief")),
        (&[3], None),
    ];
    for (members, want) in cases {
        let got = story_title(
            members
                .iter()
                .map(|&m| (articles[m].id.as_str(), articles[m].title.as_deref())),
            &roles,
        );
        assert_eq!(got.as_deref(), *want, "members {members:?}");
    }
}

/// Two copies on other sites of a story that credits the BBC with a quote
/// ("told the BBC"), no BBC page among them: siblings under one unseen
/// source that cites bbc.com. With the BBC's own page in the input, that
/// page is their source.
#[test]
fn copies_crediting_an_outlet_share_an_unseen_source() {
    let story = |from_dash: &str| {
        format!(
            "Lighthouse keepers on Skerrow Island have switched the lamp back on after a \
             40-year pause, the Northern Lights Trust announced on Monday. The tower, built in \
             1868, was restored with 1.2 million pounds raised by islanders and a heritage \
             lottery grant. \"It will guide fishing boats into Kelda harbour again,\" Trust \
             chair Morven Gillies told the BBC. The first public tours of the lantern room \
             begin in May{from_dash}."
        )
    };
    let raw = |id: &str, url: &str, text: String| stemma_core::RawDoc {
        id: id.into(),
        url: Some(url.into()),
        published: None,
        origin: format!("{id}.jsonl"),
        body: stemma_core::Body::Text(text),
    };
    let copies = vec![
        raw("planet", "https://dailyplanet.example/news/1", story("")),
        raw(
            "farm",
            "https://newsfarm.example/p/2",
            story(", and tickets are free"),
        ),
    ];
    let report = analyze(&extract(&copies), &with_thesaurus());
    assert_eq!(report.unseen_sources.len(), 1, "{:?}", report.relations);
    assert_eq!(report.unseen_sources[0].cited.as_deref(), Some("bbc.com"));
    assert_eq!(report.unseen_sources[0].derivatives, vec!["farm", "planet"]);

    let mut with_own = copies;
    with_own.push(raw("bbc", "https://www.bbc.co.uk/news/3", story("")));
    let articles = extract(&with_own);
    assert!(
        articles[2].cited.is_empty(),
        "the BBC's own page cites no one"
    );
    let report = analyze(&articles, &with_thesaurus());
    assert!(
        report.unseen_sources.is_empty(),
        "{:?}",
        report.unseen_sources
    );
    assert!(
        report.relations.iter().all(|r| r.source == "bbc"),
        "{:?}",
        links(&report)
    );
}

/// An original and its copy that both credit a third outlet with a quote
/// ("told Reuters") are an original and its copy, not siblings under an
/// unseen Reuters story: when the copy names the original's site, and
/// when the original is a well-known outlet's own page (which credits no
/// one).
#[test]
fn an_original_crediting_an_outlet_stays_the_source() {
    let story = |tail: &str| {
        format!(
            "Ferry crews on the Kelda crossing walked out on Tuesday over a new rota, \
             stranding about 600 passengers on Skerrow Island. The operator said talks would \
             resume on Thursday and that a replacement boat would sail twice a day. \"We \
             cannot run a safe service on these hours,\" union official Calum Reid told \
             Reuters. Islanders said the shop had run out of milk by the evening.{tail}"
        )
    };
    let raw = |id: &str, url: &str, published: &str, text: String| stemma_core::RawDoc {
        id: id.into(),
        url: Some(url.into()),
        published: Some(published.into()),
        origin: format!("{id}.jsonl"),
        body: stemma_core::Body::Text(text),
    };
    for (site, tail) in [
        (
            "https://lakeside.example/news/ferry",
            "\n\nSource: lakeside.example",
        ),
        ("https://www.bbc.co.uk/news/ferry", ""),
    ] {
        let docs = vec![
            raw("original", site, "2026-03-02T08:00:00Z", story("")),
            raw(
                "copy",
                "https://newsfarm.example/p/7",
                "2026-03-02T15:00:00Z",
                story(tail),
            ),
        ];
        let report = analyze(&extract(&docs), &with_thesaurus());
        assert!(
            report.unseen_sources.is_empty(),
            "{site}: {:?}",
            report.unseen_sources
        );
        assert_eq!(links(&report), vec![("original", "copy")], "{site}");
    }
}

/// Wire copy run by two sites ("(AP) —" datelines), the earlier site's page
/// no more the source than the later's: siblings under one unseen source
/// that cites apnews.com. With the agency's own page in the input, dated
/// after both (a late crawl), that page is their source.
#[test]
fn wire_copies_share_their_agency() {
    let story = "KELDA, Scotland (AP) \u{2014} Ferry crews on the Kelda crossing walked out on \
                 Tuesday over a new rota, stranding about 600 passengers on Skerrow Island. The \
                 operator said talks would resume on Thursday and that a replacement boat would \
                 sail twice a day. Union official Calum Reid said crews could not run a safe \
                 service on these hours. Islanders said the shop had run out of milk by evening.";
    let raw = |id: &str, url: &str, published: &str| stemma_core::RawDoc {
        id: id.into(),
        url: Some(url.into()),
        published: Some(published.into()),
        origin: format!("{id}.jsonl"),
        body: stemma_core::Body::Text(story.into()),
    };
    let copies = vec![
        raw(
            "early",
            "https://early.example/news/1",
            "2026-03-02T08:00:00Z",
        ),
        raw("late", "https://late.example/a/2", "2026-03-02T09:30:00Z"),
    ];
    let report = analyze(&extract(&copies), &with_thesaurus());
    assert_eq!(report.unseen_sources.len(), 1, "{:?}", report.relations);
    assert_eq!(
        report.unseen_sources[0].cited.as_deref(),
        Some("apnews.com")
    );
    assert_eq!(report.unseen_sources[0].derivatives, vec!["early", "late"]);

    let mut with_own = copies;
    with_own.push(raw(
        "ap",
        "https://apnews.com/article/ferry",
        "2026-03-02T12:00:00Z",
    ));
    let report = analyze(&extract(&with_own), &with_thesaurus());
    assert!(
        report.unseen_sources.is_empty(),
        "{:?}",
        report.unseen_sources
    );
    assert_eq!(links(&report), vec![("ap", "early"), ("ap", "late")]);
}
