use super::*;
use proptest::prelude::*;

/// A made-up local news story used as the source throughout.
const SOURCE: &str = "Officials in Ireland said on Tuesday that the new harbour bridge will open in March. \
The project cost 45 million euros and took four years to build. \
Transport minister Aoife Brennan told reporters the bridge would cut travel times by 20 minutes. \
Traffic on the old crossing rose sharply last year, according to the city council. \
Local businesses welcomed the news at a meeting in Cork on Tuesday evening. \
Critics argue the toll of 3 euros is too high for daily commuters and students. \
The council plans a public consultation on the toll charges next month. \
Construction crews will remove the temporary barriers over the weekend.";

const SPUN: &str = "Officers in Eire stated on Tuesday that the new harbour bridge will open in March. \
The project cost 45 million euros and took four years to construct. \
Transport minister Aoife Brennan informed reporters the bridge would reduce travel times by 20 minutes. \
Traffic on the old crossing rose sharply final 12 months, according to the city council. \
Local businesses welcomed the news at an assembly in Cork on Tuesday evening. \
Critics argue the toll of 3 euros is excessively high for daily commuters and pupils. \
The council plans a public consultation on the toll charges next month. \
Construction crews will take away the temporary barriers over the weekend.";

const PARAPHRASE: &str = "On Tuesday, officials in Ireland announced that the harbour bridge would open to traffic in March. \
Building the bridge took four years and the project cost 45 million euros. \
Speaking to reporters, transport minister Aoife Brennan said travel times would fall by 20 minutes. \
According to the city council, the old crossing saw traffic rise sharply over the last year. \
At a Tuesday evening meeting in Cork, local businesses welcomed the news. \
Daily commuters and students cannot afford the 3 euros toll, critics argue. \
Next month the council will hold a public consultation on the toll charges. \
Over the weekend, the temporary barriers will be removed by construction crews.";

const SUMMARY: &str = "Ireland's new harbour bridge, which cost 45 million euros, will open in March, officials said on Tuesday. \
Transport minister Aoife Brennan told reporters the bridge would cut travel times by 20 minutes. \
The bridge was designed by a Danish engineering firm that also built three bridges in Oslo. \
The council plans a public consultation on the toll next month.";

const INDEPENDENT: &str = "Cork traders cheered on Tuesday as the opening of the harbour bridge was confirmed for March. \
Aoife Brennan, who leads the transport ministry, toured the site with engineers and answered questions. \
Commuters interviewed by this paper were split over the 3 euros toll. \
Some said they would keep using the ferry, which remains cheaper for pensioners. \
The ferry company declined to comment on its plans.";

const UNRELATED: &str = "The county hurling final ended in a draw after extra time. \
Fans queued for hours in the rain to buy tickets for the replay. \
Both managers praised the referee and the young players on each side.";

fn art(id: &str, text: &str) -> Article {
    Article {
        id: id.into(),
        text: text.into(),
        ..Default::default()
    }
}

fn ctx() -> AlignContext {
    let mut t = Thesaurus::builtin();
    for (a, b) in [
        ("build", "construct"),
        ("told", "informed"),
        ("cut", "reduce"),
        ("too", "excessively"),
        ("students", "pupils"),
        ("remove", "take away"),
    ] {
        t.add_pair(a, b);
    }
    AlignContext::with_thesaurus(t)
}

fn wrapped() -> String {
    format!("Subscribe to our newsletter\n\n{SOURCE}\n\nShare this article")
}

fn excerpt() -> String {
    SOURCE.split(". ").take(3).collect::<Vec<_>>().join(". ") + "."
}

/// The source with its full stops dropped and its sentences run together:
/// the same words, other sentences.
fn unstopped() -> String {
    SOURCE.replace(". ", " ").replace('.', "")
}

fn changed_number() -> String {
    SOURCE.replace("45 million", "54 million")
}

#[test]
fn kinds_and_directions() {
    let wrapped = wrapped();
    let excerpt = excerpt();
    let changed = changed_number();
    let cases: &[(&str, &str, RelationKind, Option<Direction>)] = &[
        ("verbatim copy", SOURCE, RelationKind::Verbatim, None),
        (
            "boilerplate-wrapped copy",
            &wrapped,
            RelationKind::Verbatim,
            None,
        ),
        (
            "excerpt",
            &excerpt,
            RelationKind::Excerpt,
            Some(Direction::AToB),
        ),
        ("synonym-spun copy", SPUN, RelationKind::Spun, None),
        ("paraphrase", PARAPHRASE, RelationKind::Paraphrase, None),
        (
            "summary with an invented claim",
            SUMMARY,
            RelationKind::Summary,
            Some(Direction::AToB),
        ),
        ("changed number", &changed, RelationKind::Excerpt, None),
        (
            "independent report",
            INDEPENDENT,
            RelationKind::Independent,
            None,
        ),
        ("unrelated", UNRELATED, RelationKind::Unrelated, None),
    ];
    let ctx = ctx();
    for (name, text, want, dir) in cases {
        let c = compare(&art("src", SOURCE), &art("other", text), &ctx);
        let ok = c.kind == *want
            || (*name == "changed number"
                && matches!(c.kind, RelationKind::Verbatim | RelationKind::Excerpt));
        assert!(
            ok,
            "{name}: got {:?}, want {want:?}; {:?}",
            c.kind,
            compare_with_features(&art("src", SOURCE), &art("other", text), &ctx).1
        );
        if let Some(d) = dir {
            assert_eq!(c.direction, *d, "{name}: direction");
        }
        if want.is_derivation() {
            assert!(!c.evidence.is_empty(), "{name}: evidence");
        } else if *want == RelationKind::Unrelated {
            assert!(c.evidence.is_empty() && c.drift.is_empty(), "{name}");
        } else {
            // Independent: the shared sentences, if any, but no drift.
            assert!(c.drift.is_empty(), "{name}");
        }
        // Swapping the texts gives the same kind and the opposite direction.
        let r = compare(&art("other", text), &art("src", SOURCE), &ctx);
        assert_eq!(r.kind, c.kind, "{name}: swapped kind");
        if let Some(d) = dir {
            assert_ne!(r.direction, *d, "{name}: swapped direction");
        }
    }
}

#[test]
fn spun_diff_marks_synonyms() {
    let c = compare(&art("src", SOURCE), &art("spun", SPUN), &ctx());
    let subs: Vec<(String, String, bool)> = c
        .evidence
        .iter()
        .flat_map(|e| e.diff.iter())
        .filter_map(|op| match op {
            DiffOp::Substitute { a, b, synonym } => Some((
                SOURCE[a.start..a.end].to_lowercase(),
                SPUN[b.start..b.end].to_lowercase(),
                *synonym,
            )),
            _ => None,
        })
        .collect();
    for (a, b) in [
        ("officials", "officers"),
        ("ireland", "eire"),
        ("last year", "final 12 months"),
    ] {
        assert!(
            subs.iter().any(|(x, y, s)| x == a && y == b && *s),
            "{a} -> {b} not a synonym substitution in {subs:?}"
        );
    }
}

#[test]
fn drift_is_reported() {
    let ctx = ctx();
    let changed = changed_number();
    let c = compare(&art("src", SOURCE), &art("copy", &changed), &ctx);
    let d = c
        .drift
        .iter()
        .find(|d| d.kind == DriftKind::Number)
        .unwrap_or_else(|| panic!("no number drift in {:?}", c.drift));
    assert_eq!(d.source_value.as_deref(), Some("45"));
    assert_eq!(d.derivative_value, "54");
    assert_eq!(
        &changed[d.derivative_span.start..d.derivative_span.end],
        "54"
    );

    let s = compare(&art("src", SOURCE), &art("sum", SUMMARY), &ctx);
    let u: Vec<&Drift> = s
        .drift
        .iter()
        .filter(|d| d.kind == DriftKind::Unsupported)
        .collect();
    assert_eq!(u.len(), 1, "{:?}", s.drift);
    assert!(u[0].derivative_value.contains("Danish"));

    // A closing credit line naming the cited site is no claim.
    let credited = Article {
        cited: vec!["herald.example".into()],
        ..art(
            "sum",
            &format!("{SUMMARY}\n\nRead the full story at www.herald.example today."),
        )
    };
    let s = compare(&art("src", SOURCE), &credited, &ctx);
    let u: Vec<&str> = s
        .drift
        .iter()
        .filter(|d| d.kind == DriftKind::Unsupported)
        .map(|d| d.derivative_value.as_str())
        .collect();
    assert_eq!(u.len(), 1, "{u:?}");
    assert!(u[0].contains("Danish"));
}

/// The facts read off a comparison's evidence are its drift, less the
/// unsupported sentences; read off the evidence turned round, they name
/// the other text's words.
#[test]
fn changed_facts_read_off_evidence() {
    let changed = changed_number();
    let c = compare(&art("src", SOURCE), &art("copy", &changed), &ctx());
    let facts: Vec<Drift> = c
        .drift
        .iter()
        .filter(|d| d.kind != DriftKind::Unsupported)
        .cloned()
        .collect();
    assert_eq!(changed_facts(SOURCE, &changed, &c.evidence), facts);
    let turned: Vec<Evidence> = c
        .evidence
        .iter()
        .map(|e| Evidence {
            a_span: e.b_span,
            b_span: e.a_span,
            similarity: e.similarity,
            diff: e.diff.iter().map(flip_op).collect(),
        })
        .collect();
    let back = changed_facts(&changed, SOURCE, &turned);
    let d = back
        .iter()
        .find(|d| d.kind == DriftKind::Number)
        .unwrap_or_else(|| panic!("no number drift in {back:?}"));
    assert_eq!(
        (d.source_value.as_deref(), d.derivative_value.as_str()),
        (Some("54"), "45")
    );
}

#[test]
fn orient_flips_to_source_first() {
    let excerpt = excerpt();
    let c = compare(&art("ex", &excerpt), &art("src", SOURCE), &ctx());
    assert_eq!(c.direction, Direction::BToA);
    let o = orient(c.clone());
    assert_eq!(
        (o.a.as_str(), o.b.as_str(), o.direction),
        ("src", "ex", Direction::AToB)
    );
    for (e, f) in c.evidence.iter().zip(&o.evidence) {
        assert_eq!((e.a_span, e.b_span), (f.b_span, f.a_span));
        assert!(f.a_span.slice(SOURCE).is_some() && f.b_span.slice(&excerpt).is_some());
    }
}

/// Sentences lifted word for word into a separately written report make it
/// a copy, however little of it they are; the same sentences quoted as
/// someone's words do not count as lifted.
#[test]
fn lifted_sentences_make_a_copy() {
    let lifted = [
        "The project cost 45 million euros and took four years to build.",
        "Traffic on the old crossing rose sharply last year, according to the city council.",
        "The council plans a public consultation on the toll charges next month.",
    ];
    let plain = format!("{INDEPENDENT} {}", lifted.join(" "));
    let quoted = format!(
        "{INDEPENDENT} {}",
        lifted
            .iter()
            .map(|s| format!("\"{}\" a spokesman said.", s.trim_end_matches('.')))
            .collect::<Vec<_>>()
            .join(" ")
    );
    let ctx = ctx();
    for (text, copy) in [(plain, true), (quoted, false)] {
        let c = compare(&art("src", SOURCE), &art("b", &text), &ctx);
        let db = Doc::new(&text, ctx.thesaurus.as_deref(), ctx.max_sentences);
        assert_eq!(lifted_passages(&c.evidence, &db), copy, "{text}");
        if copy {
            assert!(c.kind.is_derivation(), "{:?}", c.kind);
        }
    }
}

#[test]
fn style_marks_count_plain_reporting_verbs() {
    // (text, share of "said"/"says")
    let cases: &[(&str, f32)] = &[
        ("The mayor said it rained. She says so.", 0.25),
        ("The mayor stated it rained in 2024.", 0.0),
        ("\"Rain,\" said Ann.", 1.0 / 3.0),
        ("", 0.0),
    ];
    for &(text, said) in cases {
        let m = style_marks(&Doc::new(text, None, 1000));
        assert!((m.said - said).abs() < 1e-3, "{text:?}: said {}", m.said);
    }
}

#[test]
fn citations_name_the_source() {
    let page = |text: &str, url: Option<&str>, cited: &[&str]| Article {
        id: "x".into(),
        text: text.into(),
        url: url.map(str::to_string),
        cited: cited.iter().map(|c| c.to_string()).collect(),
        ..Default::default()
    };
    let quote = "The minister told the BBC the bridge would open in March.";
    // (citing text, its extracted citations, other's url, cites?)
    let cases: &[(&str, &[&str], Option<&str>, bool)] = &[
        (
            "Bridge opens.",
            &["bbc.com"],
            Some("https://www.bbc.com/n/1"),
            true,
        ),
        (
            "Bridge opens.",
            &["bbc.com"],
            Some("https://example.org/1"),
            false,
        ),
        // A host below the cited site is on it; a host that merely ends in
        // its letters is another site.
        (
            "Bridge opens.",
            &["bbc.co.uk"],
            Some("https://news.bbc.co.uk:443/n/1"),
            true,
        ),
        (
            "Bridge opens.",
            &["bbc.com"],
            Some("https://notbbc.com/n/1"),
            false,
        ),
        ("Bridge opens.", &["bbc.com"], None, true),
        ("Bridge opens.\nSource: a wire service", &[], None, true),
        ("First, originally published elsewhere.", &[], None, true),
        // Crediting an outlet with a quote names that outlet's page only.
        (quote, &[], Some("https://www.bbc.co.uk/news/1"), true),
        (quote, &[], Some("https://news.bbc.co.uk/1"), true),
        (quote, &[], None, false),
        (quote, &[], Some("https://example.org/1"), false),
        ("The minister spoke to reporters.", &[], None, false),
    ];
    for &(text, cited, other_url, want) in cases {
        let x = page(text, None, cited);
        let y = page("Other text.", other_url, &[]);
        assert_eq!(cites(&x, &y), want, "{text:?} {cited:?} vs {other_url:?}");
    }
}

/// A copy that names its source's site is the derivative, whatever the
/// publish dates say (crawls get them wrong: time zones, update times) or
/// the texts' shapes; without the citation, the dates decide.
#[test]
fn naming_the_sources_site_outranks_dates() {
    let page = |id: &str, text: &str, url: &str, published: &str, cited: &[&str]| Article {
        id: id.into(),
        text: text.into(),
        url: Some(url.into()),
        published: Some(published.into()),
        cited: cited.iter().map(|c| c.to_string()).collect(),
        ..Default::default()
    };
    let cx = ctx();
    // (the copy's citations, direction read original-first, copy-first)
    for (cited, want, turned) in [
        (
            &["www.herald.example"][..],
            Direction::AToB,
            Direction::BToA,
        ),
        (&[][..], Direction::BToA, Direction::AToB),
    ] {
        let original = page(
            "original",
            SOURCE,
            "https://news.herald.example/1",
            "2026-03-02T08:00:00Z",
            &[],
        );
        // Dated an hour before the original.
        let copy = page(
            "copy",
            SPUN,
            "https://farm.example/1",
            "2026-03-02T07:00:00Z",
            cited,
        );
        let c = compare(&original, &copy, &cx);
        assert!(c.kind.is_derivation(), "{c:?}");
        assert_eq!(c.direction, want, "cited {cited:?}");
        let c = compare(&copy, &original, &cx);
        assert_eq!(c.direction, turned, "cited {cited:?}, turned round");
    }
}

/// Two dated versions of one site's page: the update, which adds a
/// paragraph, derives from the first version, though by extent the first
/// reads as the update's excerpt. Turned round, the same.
#[test]
fn a_sites_update_derives_from_its_first_version() {
    let page = |id: &str, text: &str, published: &str| Article {
        id: id.into(),
        text: text.into(),
        url: Some("https://www.herald.example/news/1".into()),
        published: Some(published.into()),
        ..Default::default()
    };
    let first_three = excerpt();
    let update = format!(
        "{first_three}\n\n{}",
        &SOURCE[first_three.len()..].trim_start()
    );
    assert_ne!(first_three, update);
    let cx = ctx();
    let first = page("v1", &first_three, "2026-03-02T08:00:00Z");
    let update = page("v2", &update, "2026-03-03T10:00:00Z");
    let c = compare(&first, &update, &cx);
    assert!(c.kind.is_derivation(), "{c:?}");
    assert_eq!(c.direction, Direction::AToB, "{:?}", c.kind);
    let c = compare(&update, &first, &cx);
    assert_eq!(c.direction, Direction::BToA, "{:?}", c.kind);
    // Undated, the longer text is the source.
    let undated = |a: &Article| Article {
        published: None,
        ..a.clone()
    };
    let c = compare(&undated(&first), &undated(&update), &cx);
    assert_eq!(c.direction, Direction::BToA, "{:?}", c.kind);
}

#[test]
fn a_quoted_passage_is_oriented_by_dates_not_length() {
    // A blog post, longer than the report, quoting three of its sentences
    // between paragraphs of its own.
    let sentences: Vec<&str> = SOURCE.split_inclusive(". ").collect();
    let quoted = sentences[2..5].concat();
    let blog = format!(
        "Small ports have argued for years that bridges and tolls decide their trade. \
         This week brought the clearest test of that claim so far. \
         Here is how the local paper covered the announcement.\n\n{quoted}\n\n\
         Notice what is missing from that account: nobody says who pays for upkeep. \
         Maintenance budgets are where such projects usually come unstuck. \
         The figure for shorter journeys also deserves a second look. \
         Surveys of commuters rarely match the promises made at openings. \
         Still, other harbour towns along the coast will be watching closely. \
         Expect similar plans within two years, and similar rows over tolls."
    );
    let report = format!(
        "{SOURCE}\n\nThe bridge will carry a cycle lane on its northern side. \
         Engineers tested the span with loaded lorries last week."
    );
    let page = |id: &str, text: &str, published: &str| Article {
        id: id.into(),
        text: text.into(),
        published: Some(published.into()),
        ..Default::default()
    };
    let cx = ctx();
    let report = page("report", &report, "2026-03-02T08:00:00Z");
    let blog = page("blog", &blog, "2026-03-04T17:00:00Z");
    assert!(blog.text.len() > report.text.len());
    let c = compare(&report, &blog, &cx);
    assert_eq!(c.kind, RelationKind::Excerpt, "{c:?}");
    assert_eq!(c.direction, Direction::AToB);
    let c = compare(&blog, &report, &cx);
    assert_eq!(c.direction, Direction::BToA);
}

/// Two undated pages sharing a passage: the passage reads as written for
/// the page whose other sentences share its words (the report on the
/// bridge), not for the page it was set into (a piece on a school choir),
/// whichever is longer and whichever way round they are compared: when it
/// is a small part of one page, and when it is a larger part of both but
/// stands apart from the rest of one.
#[test]
fn a_passage_set_into_another_page_derives_from_the_page_it_belongs_to() {
    let sentences: Vec<&str> = SOURCE.split_inclusive(". ").collect();
    let report = format!(
        "{SOURCE}\n\nThe bridge will carry a cycle lane on its northern side. \
         Engineers tested the bridge with loaded lorries last week, and the council \
         says traffic will be kept to one lane while the crossing is painted."
    );
    let before = "The school choir from Ballinree won the regional singing contest on Saturday. \
         Forty pupils aged nine to twelve performed three songs in Irish and English. \
         Their teacher, Niamh Walsh, said weeks of practice after lessons had paid off. \
         Parents packed the hall and several grandparents travelled from abroad to listen. \
         The judges praised the soloists and the careful harmonies of the younger singers. \
         In other news from the area this week:";
    let after = "The choir will now sing at the national final in Galway in May. \
         A fundraising concert is planned to pay for the coach and costumes. \
         Local shops have donated prizes for a raffle on the night of the concert. \
         The principal thanked volunteers who ran rehearsals during the holidays. \
         Last year the choir reached the semi-final but missed out on a place. \
         Rehearsals continue every Tuesday and Thursday in the parish hall. \
         New members are welcome and no audition is needed to join the junior group. \
         Recordings of the winning songs will be posted on the school website soon.";
    let short_after = "The choir will now sing at the national final in Galway in May.";
    let cx = ctx();
    let report = art("report", &report);
    for (quoted, after) in [(2..4, after), (2..5, short_after)] {
        let passage = sentences[quoted.clone()].concat();
        let choir = art("choir", &format!("{before}\n\n{passage}\n\n{after}"));
        let c = compare(&report, &choir, &cx);
        assert!(c.kind.is_derivation(), "{quoted:?} {c:?}");
        assert_eq!(c.direction, Direction::AToB, "{quoted:?} {:?}", c.kind);
        let c = compare(&choir, &report, &cx);
        assert_eq!(c.direction, Direction::BToA, "{quoted:?} {:?}", c.kind);
    }
}

#[test]
fn works_without_thesaurus_and_on_empty_text() {
    let c = compare(
        &art("a", SOURCE),
        &art("b", SOURCE),
        &AlignContext::default(),
    );
    assert_eq!(c.kind, RelationKind::Verbatim);
    let e = compare(&art("a", ""), &art("b", SOURCE), &AlignContext::default());
    assert_eq!(e.kind, RelationKind::Unrelated);
}

#[test]
fn summary_chain_finds_a_summary_inside_another_text() {
    let ctx = ctx();
    let thes = ctx.thesaurus.as_deref();
    let hidden = format!("{UNRELATED} {SUMMARY} {UNRELATED}");
    let cases: &[(&str, &str, std::ops::Range<usize>)] = &[
        ("summary", SUMMARY, 3..5),
        ("summary inside an unrelated text", &hidden, 3..5),
        ("unrelated", UNRELATED, 0..1),
    ];
    for (name, text, want) in cases {
        let src = crate::prep::Doc::new(SOURCE, thes, 5000);
        let sum = crate::prep::Doc::new(text, thes, 5000);
        let w = crate::summary::weights(&src, &sum);
        let c = crate::summary::chain(&src, &sum, &w, thes);
        assert!(want.contains(&c.links.len()), "{name}: {c:?}");
        assert!(
            c.links
                .windows(2)
                .all(|p| p[0].j < p[1].j && p[0].i0 <= p[1].i0),
            "{name}: links out of order: {c:?}"
        );
        if !c.links.is_empty() {
            // The summary stretch is shorter than the source it draws on.
            assert!(c.compression < 1.0, "{name}: {c:?}");
        }
    }
}

/// A summary inside a longer text: the host text's sentences are not
/// reported as unsupported claims, even with one stray sentence pair far
/// from the summary; the summary's own added claim is.
#[test]
fn hidden_summary_drift_stays_in_the_summary() {
    let stray = "Construction crews will remove the temporary barriers over the weekend.";
    let text = format!("{stray} {UNRELATED} {UNRELATED} {SUMMARY} {UNRELATED}");
    let c = compare(&art("src", SOURCE), &art("host", &text), &ctx());
    assert!(c.kind.is_derivation(), "{c:?}");
    let host: Vec<&Drift> = c
        .drift
        .iter()
        .filter(|d| d.kind == DriftKind::Unsupported && UNRELATED.contains(&d.derivative_value))
        .collect();
    assert!(host.is_empty(), "{host:?}");
    assert!(
        c.drift
            .iter()
            .any(|d| d.kind == DriftKind::Unsupported && d.derivative_value.contains("Danish")),
        "{:?}",
        c.drift
    );
}

/// Which side of a pair judged a summary its chain reads as the summary:
/// (summary_b, len_b, len_a, cover_b, cover_a) -> direction.
#[test]
fn summary_direction_of_a_summary() {
    type Case = (bool, f32, f32, f32, f32, Option<Direction>);
    let cases: &[Case] = &[
        // b condenses a; reading a as the summary condenses nothing.
        (true, 0.6, 1.6, 0.35, 0.5, Some(Direction::AToB)),
        (true, 0.6, 0.0, 0.35, 0.5, Some(Direction::AToB)),
        (false, 0.0, 0.7, 0.4, 0.3, Some(Direction::BToA)),
        // Both readings condense: no call.
        (true, 0.6, 0.7, 0.35, 0.5, None),
        // Too long a stretch to be a summary.
        (true, 0.9, 1.6, 0.35, 0.5, None),
        // The other text lies wholly inside this one: it is the summary,
        // whatever a chain over its reordered sentences says.
        (false, 1.3, 0.6, 1.0, 0.3, None),
    ];
    for &(summary_b, len_b, len_a, cover_b, cover_a, want) in cases {
        let f = Features {
            summary_b,
            summary_len_b: len_b,
            summary_len_a: len_a,
            cover_b,
            cover_a,
            ..Default::default()
        };
        assert_eq!(summary_direction(&f, RelationKind::Summary), want, "{f:?}");
    }
}

#[test]
fn long_pair_is_fast() {
    let syll = [
        "ka", "lo", "min", "tes", "ru", "van", "pe", "dor", "si", "gul", "ba", "ne",
    ];
    let mut x: u64 = 7;
    let mut next = || {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (x >> 33) as usize
    };
    let mut text = String::new();
    for s in 0..700 {
        for w in 0..14 {
            let n = 2 + next() % 2;
            let word: String = (0..n).map(|_| syll[next() % syll.len()]).collect();
            if w == 0 {
                text.push_str(&word[..1].to_uppercase());
                text.push_str(&word[1..]);
            } else {
                text.push_str(&word);
            }
            text.push(' ');
        }
        text.push_str(&format!("{s}. "));
    }
    assert!(text.split(' ').count() > 10_000);
    let other = text.replacen("ka", "ki", 3000);
    let t0 = std::time::Instant::now();
    let c = compare(&art("a", &text), &art("b", &other), &ctx());
    assert!(c.kind.is_derivation());
    // Generous bound for unoptimised test builds; release is far faster.
    assert!(t0.elapsed().as_secs_f64() < 10.0, "{:?}", t0.elapsed());
}

fn pool() -> impl Strategy<Value = String> {
    let sentence = prop::sample::select(vec![
        "Officials in Ireland said the bridge opens in March.",
        "The café on Main Street served 1,200 crêpes.",
        "Über-fans queued — in the rain — for tickets!",
        "Prices rose 3.5% last year, the council said.",
        "« Nous restons », a dit le maire de Nîmes.",
        "Transport minister Aoife Brennan told reporters.",
        "Officers in Eire stated the span opens in March.",
        "日本の首相が会見した。",
        "\"We are ready,\" she said.",
    ]);
    prop::collection::vec(sentence, 0..8).prop_map(|v| v.join(" "))
}

proptest! {
    #[test]
    fn evidence_spans_are_valid(a in pool(), b in pool(), noise in "\\PC{0,40}") {
        let b = format!("{noise} {b}");
        let c = compare(&art("a", &a), &art("b", &b), &ctx());
        for e in &c.evidence {
            prop_assert!(e.a_span.slice(&a).is_some(), "a span {:?}", e.a_span);
            prop_assert!(e.b_span.slice(&b).is_some(), "b span {:?}", e.b_span);
            prop_assert!((0.0..=1.0).contains(&e.similarity));
            for op in &e.diff {
                let (sa, sb) = match *op {
                    DiffOp::Equal { a, b } | DiffOp::Substitute { a, b, .. } => (Some(a), Some(b)),
                    DiffOp::Insert { b } => (None, Some(b)),
                    DiffOp::Delete { a } => (Some(a), None),
                };
                if let Some(s) = sa {
                    prop_assert!(s.slice(&a).is_some() && s.start >= e.a_span.start && s.end <= e.a_span.end);
                }
                if let Some(s) = sb {
                    prop_assert!(s.slice(&b).is_some() && s.start >= e.b_span.start && s.end <= e.b_span.end);
                }
            }
        }
        let (src, der) = if c.direction == Direction::BToA { (&b, &a) } else { (&a, &b) };
        for d in &c.drift {
            // Each drift's values are the words its spans hold.
            prop_assert_eq!(d.derivative_span.slice(der), Some(d.derivative_value.as_str()));
            if let Some(s) = d.source_span {
                prop_assert_eq!(s.slice(src), d.source_value.as_deref());
            }
        }
        prop_assert!((0.0..=1.0).contains(&c.confidence));
    }

    #[test]
    fn a_copy_changes_no_fact(a in pool(), top in "[A-Z][a-z]{2,8}( [a-z]{2,8}){0,3}") {
        // A copy, whatever line a site puts above it, drifts from nothing.
        let b = format!("{top}\n{a}");
        let c = compare(&art("a", &a), &art("b", &b), &ctx());
        let changed: Vec<_> = c.drift.iter().filter(|d| d.kind != DriftKind::Unsupported).collect();
        prop_assert!(changed.is_empty(), "{:?}", changed);
    }
}

/// A toy embedder: letter-frequency vectors (enough to exercise the path).
#[derive(Debug)]
struct Letters;

impl Embedder for Letters {
    fn name(&self) -> &str {
        "letters"
    }
    fn embed(&self, sentences: &[&str]) -> Vec<Vec<f32>> {
        sentences
            .iter()
            .map(|s| {
                let mut v = [0.0f32; 26];
                for c in s.chars().filter(char::is_ascii_alphabetic) {
                    v[(c.to_ascii_lowercase() as u8 - b'a') as usize] += 1.0;
                }
                let n = v.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-6);
                v.iter().map(|x| x / n).collect()
            })
            .collect()
    }
}

#[test]
fn embedder_is_an_extra_signal() {
    let mut c = ctx();
    c.embedder = Some(Arc::new(Letters));
    let v = compare(&art("a", SOURCE), &art("b", SOURCE), &c);
    assert_eq!(v.kind, RelationKind::Verbatim);
    let s = compare(&art("a", SOURCE), &art("b", SPUN), &c);
    assert!(s.kind.is_derivation());
    assert!(sentence_similarity("The bridge opens.", "The bridge opens.", &c) > 0.99);
}

/// A sentence whose words a spinner swapped with a dictionary the verifier
/// does not know keeps its frame of function words, and reads as similar
/// (above what counts as one text drawing on the other); the same frame
/// around other words, or other words and another frame, does not.
#[test]
fn a_kept_frame_of_function_words_reads_as_spun() {
    let c = AlignContext::default();
    let original = "The council said that the bridge over the river would be closed for three weeks while the divers inspect all of its piers.";
    // (other sentence, at least, below)
    let cases = [
        // Five of eleven content words swapped for words no thesaurus here has.
        (
            "The assembly said that the viaduct over the river would be shut for three weeks while the frogmen examine all of its piers.",
            GOOD,
            1.0,
        ),
        // The same frame, nothing else in common but a word or two.
        (
            "The minister said that the budget for the army would be raised for three years while the generals review all of its units.",
            0.0,
            GOOD,
        ),
        // Some words in common, another frame.
        (
            "Divers began to inspect its piers on Monday, and officials expect that the crossing could reopen within weeks.",
            0.0,
            GOOD,
        ),
    ];
    for (other, at_least, below) in cases {
        let sim = sentence_similarity(original, other, &c);
        assert!(sim >= at_least && sim < below, "{sim} for {other:?}");
    }
    // Without the frame, the swaps leave the first pair under GOOD.
    let dice_only = sentence_similarity(
        "council said bridge river closed three weeks divers inspect piers",
        "assembly said viaduct river shut three weeks frogmen examine piers",
        &c,
    );
    assert!(dice_only < GOOD, "{dice_only}");
}

/// What [`compare`] returns on a fixed set of texts, reduced to one hash:
/// kinds, directions, evidence spans and diffs, drift, and the scores to
/// two decimals. A change in it means stores hold comparisons this build
/// would not make, so [`VERIFIER_VERSION`] must move with it.
fn verifier_digest() -> String {
    let mut texts: Vec<(&str, String)> = vec![
        ("source", SOURCE.into()),
        ("spun", SPUN.into()),
        ("paraphrase", PARAPHRASE.into()),
        ("summary", SUMMARY.into()),
        ("independent", INDEPENDENT.into()),
        ("unrelated", UNRELATED.into()),
        ("wrapped", wrapped()),
        ("excerpt", excerpt()),
        ("changed", changed_number()),
        ("unstopped", unstopped()),
    ];
    for (id, text) in [
        (
            "briefs",
            include_str!("../../../examples/corpus/briefs-summary.txt"),
        ),
        (
            "coastwatch",
            include_str!("../../../examples/corpus/coastwatch-copy.txt"),
        ),
        (
            "digest",
            include_str!("../../../examples/corpus/daily-digest-rewrite.txt"),
        ),
        (
            "newsfarm",
            include_str!("../../../examples/corpus/newsfarm-spun.txt"),
        ),
        (
            "seaboard",
            include_str!("../../../examples/corpus/seaboard-spun.txt"),
        ),
    ] {
        texts.push((id, text.into()));
    }
    let arts: Vec<Article> = texts.iter().map(|(id, t)| art(id, t)).collect();
    let cx = ctx();
    let two = |x: f32| (x * 100.0).round() as i64;
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325; // FNV-1a
    for (i, a) in arts.iter().enumerate() {
        for b in &arts[i + 1..] {
            let c = compare(a, b, &cx);
            let mut line = format!(
                "{} {} {:?} {:?} {} {}",
                c.a,
                c.b,
                c.kind,
                c.direction,
                two(c.confidence),
                two(c.lean)
            );
            for e in &c.evidence {
                line += &format!(
                    " [{:?} {:?} {} {:?}]",
                    e.a_span,
                    e.b_span,
                    two(e.similarity),
                    e.diff
                );
            }
            line += &format!(" {:?}\n", c.drift);
            for byte in line.bytes() {
                hash = (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3);
            }
        }
    }
    format!("{hash:016x}")
}

/// The [`VERIFIER_VERSION`] and the [`verifier_digest`] recorded with it.
/// Adding texts to the digest changes it too: record it under the same
/// version when `compare` itself did not change. A change the fixed texts
/// do not show (version 3: how citations match hosts and outrank dates)
/// keeps the digest under the new version (so does version 6: how far
/// apart the sentences of one passage pair may lie, which only long pages
/// show, and version 8: slight evidence between long pages, and the
/// function words of texts in other languages than English).
const VERIFIER_DIGEST: (u64, &str) = (8, "6e8c089d32c4d693");

#[test]
fn verifier_version_is_bumped() {
    let digest = verifier_digest();
    assert_eq!(
        (VERIFIER_VERSION, digest.as_str()),
        VERIFIER_DIGEST,
        "compare's output on the fixed texts changed (digest {digest}). If the change is \
         meant, raise VERIFIER_VERSION (stores then verify their cached comparisons again) \
         and record (version, \"{digest}\") in VERIFIER_DIGEST"
    );
}

#[test]
fn the_same_words_are_a_copy_whatever_the_sentences() {
    let cx = ctx();
    let c = compare(&art("a", SOURCE), &art("b", &unstopped()), &cx);
    assert_eq!(c.kind, RelationKind::Verbatim, "{c:?}");
    assert!(c.drift.is_empty(), "{:?}", c.drift);
    let words: usize = c
        .evidence
        .iter()
        .map(|e| {
            e.b_span
                .slice(&unstopped())
                .unwrap()
                .split_whitespace()
                .count()
        })
        .sum();
    assert_eq!(words, unstopped().split_whitespace().count());
    // Half of it, run together, inside a longer text: an excerpt of the
    // source, and the source is the longer text.
    let half: String = unstopped()
        .split(' ')
        .take(50)
        .collect::<Vec<_>>()
        .join(" ");
    let c = compare(&art("a", SOURCE), &art("b", &half), &cx);
    assert_eq!(c.kind, RelationKind::Excerpt, "{c:?}");
    assert_eq!(c.direction, Direction::AToB);
    // A spun copy is not the same words.
    let c = compare(&art("a", SOURCE), &art("b", SPUN), &cx);
    assert_eq!(c.kind, RelationKind::Spun);
}

#[test]
fn evidence_points_group_into_nearby_passages_only() {
    let pt = |i, j| Point { i, j, sim: 1.0 };
    // Groups as (i0, i1, j0, j1).
    type Extents = [(usize, usize, usize, usize)];
    let cases: &[(&[Point], &Extents)] = &[
        // One-to-one, in a row: separate pairs.
        (&[pt(0, 0), pt(1, 1)], &[(0, 0, 0, 0), (1, 1, 1, 1)]),
        // One source sentence split over two adjacent sentences.
        (&[pt(0, 0), pt(0, 1)], &[(0, 0, 0, 1)]),
        // Many-to-one, with a sentence of the rewrite's own between.
        (&[pt(2, 5), pt(4, 5)], &[(2, 4, 5, 5)]),
        // The same short sentence met again pages later: two passages.
        (
            &[pt(0, 48), pt(0, 349)],
            &[(0, 0, 48, 48), (0, 0, 349, 349)],
        ),
        (&[pt(3, 7), pt(90, 7)], &[(3, 3, 7, 7), (90, 90, 7, 7)]),
    ];
    for (points, want) in cases {
        let got: Vec<_> = group(points)
            .iter()
            .map(|g| (g.i0, g.i1, g.j0, g.j1))
            .collect();
        assert_eq!(&got, want, "{points:?}");
    }
}

/// A made-up report and a summary of it in words of its own, as an LLM
/// writes one: four sentences, each condensing one or two of the report's
/// in its order, sharing names and figures but few phrases.
const LONG_REPORT: &str = "The regional water authority has approved a plan to build a desalination plant on the northern coast near Kestrel Point. \
The board voted seven to two in favour on Wednesday evening after a four-hour meeting. \
The plant is expected to cost 310 million pounds and to supply 40 million litres of drinking water a day. \
Construction is due to begin next spring and should take about three years. \
Officials said the reservoirs that serve the area had fallen to their lowest levels in three decades during last summer's drought. \
Hosepipe bans were imposed for eleven weeks and several villages relied on bottled water deliveries. \
Chief executive Marion Hale said the authority could not keep relying on rainfall alone. \
She told the meeting that demand had risen by a fifth since 2010 as new housing estates were built. \
Environmental groups criticised the decision, saying the brine released by the plant could harm seagrass beds in the bay. \
The Coastal Wildlife Trust said it would consider a legal challenge. \
The authority said the outflow would be diluted and monitored by independent scientists. \
Households will see their bills rise by an average of 18 pounds a year to pay for the project. \
Local fishermen said they had not been consulted about the location of the intake pipes. \
A public exhibition of the designs will be held at the Kestrel Point community hall next month. \
The authority also plans to repair leaking mains, which lose about a quarter of the water supplied.";

const ABSTRACTIVE_SUMMARY: &str = "The water authority's board has voted seven to two for a 310 million pound desalination plant near Kestrel Point, supplying 40 million litres a day. \
Last summer's drought left reservoirs at a thirty-year low and brought eleven weeks of hosepipe bans. \
Environmental groups warn that brine from the plant could harm seagrass in the bay, and the Coastal Wildlife Trust may go to court. \
Bills will rise by about 18 pounds a year on average to pay for it.";

#[test]
fn an_abstractive_summary_reads_as_a_summary() {
    let ctx = ctx();
    let (report, summary) = (
        art("report", LONG_REPORT),
        art("summary", ABSTRACTIVE_SUMMARY),
    );
    // Either way round, the report is the source.
    for (a, b, want) in [
        (&report, &summary, Direction::AToB),
        (&summary, &report, Direction::BToA),
    ] {
        let c = compare(a, b, &ctx);
        assert_eq!(
            (c.kind, c.direction),
            (RelationKind::Summary, want),
            "{c:?}"
        );
    }
}

/// Which rewrites condense their source (`condenses`): feature values as
/// measured on summaries written by hand of BBC articles, and on what must
/// not read as a summary. A summary in words of its own, its sentences
/// linked by a chain but half its words aligned, stays a paraphrase, as
/// l2r-news labels GPT rewrites that condense as much.
#[test]
fn rewrites_that_condense() {
    // (links, share, len_b, len_a, cover_b, cover_a, length ratio,
    // summary sentences; condenses)
    type Case = (usize, f32, f32, f32, f32, f32, f32, usize, bool);
    let cases: &[Case] = &[
        // Four sentences, each linked; half their words aligned.
        (4, 1.0, 0.39, 1.04, 0.55, 0.34, 0.39, 4, false),
        // The other reading condenses a little too (0.94).
        (4, 1.0, 0.46, 0.94, 0.79, 0.15, 0.32, 4, false),
        // Four sentences, three quarters of their words aligned.
        (4, 1.0, 0.4, 1.63, 0.76, 0.39, 0.32, 4, true),
        // Well covered, as extractive summaries are.
        (3, 1.0, 0.16, 1.11, 0.86, 0.13, 0.17, 4, true),
        // Three linked sentences of a long text (a summary passage inside
        // it) that its evidence barely covers.
        (3, 1.0, 0.4, 0.0, 0.2, 0.1, 0.5, 30, false),
        // Both readings condense about as much.
        (4, 1.0, 0.5, 0.8, 0.8, 0.3, 0.5, 5, false),
        // Most of the source kept: a shorter rewrite, not a summary.
        (4, 1.0, 0.5, 1.2, 0.9, 0.85, 0.55, 5, false),
        // Two links are no chain.
        (2, 1.0, 0.4, 1.1, 0.9, 0.3, 0.4, 2, false),
    ];
    for &(links, share, len_b, len_a, cover_b, cover_a, length_ratio, n_sum, want) in cases {
        let f = Features {
            summary_links: links,
            summary_share: share,
            summary_b: true,
            summary_len_b: len_b,
            summary_len_a: len_a,
            cover_b,
            cover_a,
            length_ratio,
            ..Default::default()
        };
        assert_eq!(condenses(&f, n_sum), want, "{f:?}");
    }
}

/// Evidence too slight to show a derivation: a pair's aligned sentences
/// must hold a few content words, and loosely matched ones covering almost
/// none of either text must hold a passage's worth, unless a summary chain
/// carries the pair.
#[test]
fn slight_evidence_shows_no_derivation() {
    // (content words of well-matched sentences, larger coverage, run
    // similarity, summary links; slight)
    let cases = [
        (3, 0.5, 1.0, 0, true),
        (5, 0.5, 1.0, 2, true),
        (5, 0.5, 1.0, 3, false),
        (6, 0.5, 1.0, 0, false),
        (20, 0.01, 0.5, 0, true),
        (20, 0.01, 0.5, 4, false),
        (20, 0.01, 0.8, 0, false),
        (20, 0.05, 0.5, 0, false),
        (40, 0.01, 0.5, 0, false),
    ];
    for (words, cover, sim, links, want) in cases {
        let f = Features {
            supported_weight: words,
            cover_a: cover,
            cover_b: cover / 2.0,
            run_sim: sim,
            summary_links: links,
            summary_share: 1.0,
            ..Features::default()
        };
        assert_eq!(slight(&f), want, "{words} {cover} {sim} {links}");
    }
}

/// A German text's articles and conjunctions are function words; an
/// English text keeps "die" and "war" as content words.
#[test]
fn function_words_follow_the_texts_language() {
    let german = "Die Stadt hat am Montag beschlossen, dass die neue Brücke über den Fluss \
                  erst im nächsten Jahr gebaut wird, weil die Kosten viel höher sind als \
                  geplant und der Rat noch auf die Gutachten wartet.";
    let english = "Soldiers who die in the war will be remembered, the council said on \
                   Monday, as it agreed that a memorial would be built beside the river \
                   next year after a long campaign by their families.";
    for (text, word, content) in [
        (german, "die", false),
        (german, "und", false),
        (german, "brücke", true),
        (english, "die", true),
        (english, "war", true),
        (english, "the", false),
    ] {
        let doc = prep::Doc::new(text, None, 1000);
        let tok = doc
            .toks
            .iter()
            .find(|t| t.norm == word)
            .unwrap_or_else(|| panic!("{word}"));
        assert_eq!(tok.content, content, "{word}");
    }
}

/// Names two texts share: capitalised words and figures, except in German,
/// whose every noun is capitalised (there figures alone count).
#[test]
fn german_capitals_are_no_names() {
    let german_a = "Im Jahr 2015 hat die Stadt neue Wohnungen für viele Menschen gebaut, \
                    und der Rat will nun auch die Schulen und die Straßen erneuern, weil \
                    die Zeit drängt und das Geld in diesem Jahr noch reicht.";
    let german_b = "Viele Menschen in der Stadt haben im Jahr 2015 ihre Arbeit verloren, \
                    und die Zeit danach war für die Familien schwer, weil das Geld nicht \
                    reichte und die Firmen keine neuen Stellen anboten.";
    let english_a = "In 2015 Smith told the council in London that new homes would be built \
                     for many people, and that the schools and the roads would follow once \
                     the money for them had been found this year.";
    let english_b = "Many people in London lost their jobs in 2015, Smith said, and the years \
                     after were hard for families because the money ran short and the firms \
                     offered no new posts.";
    for (a, b, shared) in [(german_a, german_b, 1), (english_a, english_b, 3)] {
        let (da, db) = (prep::Doc::new(a, None, 100), prep::Doc::new(b, None, 100));
        assert_eq!(topic_overlap(&da, &db).2, shared, "{a}");
    }
}
