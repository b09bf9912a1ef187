//! A report narrowed to some sites or documents: what a rights team asks
//! of a crawl ("who copied our articles, and whom did we copy?").
//!
//! A document is in focus when its id is named or its URL's host is one of
//! the sites (or below one: `news.example.com` is on `example.com`). An
//! unseen source is in focus when the site its derivatives cite is one of
//! them: copies of the site's articles whose original is not in the corpus.
//! The narrowed report keeps every relation and independent link with an
//! end in focus, every unseen source in focus or with a derivative in
//! focus, and the documents those name; each story keeps only the kept
//! documents, and a story left empty goes.
use std::collections::HashSet;

use stemma_core::{Report, on_site, url_host};

/// What to narrow a report to. Empty: the whole report.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Focus {
    /// Sites (`example.com`, `https://www.example.com/`, ...).
    pub sites: Vec<String>,
    /// Document ids.
    pub documents: Vec<String>,
}

impl Focus {
    /// True when nothing narrows the report.
    pub fn is_empty(&self) -> bool {
        self.sites.is_empty() && self.documents.is_empty()
    }
}

/// `report` narrowed to `focus` (see the module documentation); the whole
/// report when `focus` is empty.
pub fn narrow(report: Report, focus: &Focus) -> Report {
    if focus.is_empty() {
        return report;
    }
    narrowed(&report, focus)
}

/// What [`narrow`] keeps of a borrowed report (a server's cached one),
/// cloning only that.
pub fn narrowed(report: &Report, focus: &Focus) -> Report {
    if focus.is_empty() {
        return report.clone();
    }
    let sites: Vec<String> = focus.sites.iter().filter_map(|s| url_host(s)).collect();
    // Whether a URL (or bare domain) is on one of the sites.
    let on_sites = |url: Option<&str>| {
        url.and_then(url_host)
            .is_some_and(|h| sites.iter().any(|s| on_site(&h, s)))
    };
    let named: HashSet<&str> = focus.documents.iter().map(String::as_str).collect();
    let centre: HashSet<&str> = report
        .documents
        .iter()
        .filter(|d| named.contains(d.id.as_str()) || on_sites(d.url.as_deref()))
        .map(|d| d.id.as_str())
        .collect();
    let unseen: Vec<_> = report
        .unseen_sources
        .iter()
        .filter(|u| {
            on_sites(u.cited.as_deref())
                || u.derivatives.iter().any(|d| centre.contains(d.as_str()))
        })
        .collect();
    let unseen_ids: HashSet<&str> = unseen.iter().map(|u| u.id.as_str()).collect();
    let relations: Vec<_> = report
        .relations
        .iter()
        .filter(|r| {
            centre.contains(r.source.as_str())
                || centre.contains(r.derivative.as_str())
                || unseen_ids.contains(r.source.as_str())
        })
        .collect();
    let independent: Vec<_> = report
        .independent
        .iter()
        .filter(|l| centre.contains(l.a.as_str()) || centre.contains(l.b.as_str()))
        .collect();
    let mut kept: HashSet<&str> = centre;
    for r in &relations {
        kept.insert(&r.source);
        kept.insert(&r.derivative);
    }
    for u in &unseen {
        kept.extend(u.derivatives.iter().map(String::as_str));
    }
    for l in &independent {
        kept.insert(&l.a);
        kept.insert(&l.b);
    }
    let stories = report
        .stories
        .iter()
        .filter(|s| s.documents.iter().any(|d| kept.contains(d.as_str())))
        .map(|s| {
            let mut s = s.clone();
            s.documents.retain(|d| kept.contains(d.as_str()));
            s
        })
        .collect();
    Report {
        documents: report
            .documents
            .iter()
            .filter(|d| kept.contains(d.id.as_str()))
            .cloned()
            .collect(),
        stories,
        relations: relations.into_iter().cloned().collect(),
        unseen_sources: unseen.into_iter().cloned().collect(),
        independent: independent.into_iter().cloned().collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use stemma_core::{
        DocumentSummary, IndependentLink, Relation, RelationKind, Story, UnseenSource,
    };

    fn doc(id: &str, url: Option<&str>) -> DocumentSummary {
        DocumentSummary {
            id: id.into(),
            title: String::new(),
            chars: 10,
            boilerplate_chars: 0,
            url: url.map(String::from),
            published: None,
            story: None,
        }
    }

    fn rel(source: &str, derivative: &str) -> Relation {
        Relation {
            source: source.into(),
            derivative: derivative.into(),
            kind: RelationKind::Spun,
            confidence: 0.7,
            evidence: Vec::new(),
            drift: Vec::new(),
        }
    }

    /// Our article and its copy elsewhere; a copy of ours that cites us but
    /// whose original is not in the corpus, beside another such copy; an
    /// independent report of our story; and a story of others entirely.
    fn report() -> Report {
        Report {
            documents: vec![
                doc("ours", Some("https://www.herald.example/a")),
                doc("copy", Some("https://farm.example/x")),
                doc("cites-us-1", Some("https://farm.example/y")),
                doc("cites-us-2", Some("https://blog.example/z")),
                doc("rival", Some("https://news.rival.example/b")),
                doc("other", Some("https://rival.example/c")),
                doc("other-copy", None),
            ],
            stories: vec![
                Story {
                    id: "s1".into(),
                    documents: vec!["ours".into(), "copy".into(), "rival".into()],
                    title: None,
                },
                Story {
                    id: "s2".into(),
                    documents: vec!["cites-us-1".into(), "cites-us-2".into()],
                    title: None,
                },
                Story {
                    id: "s3".into(),
                    documents: vec!["other".into(), "other-copy".into()],
                    title: None,
                },
            ],
            relations: vec![
                rel("ours", "copy"),
                rel("unseen:1", "cites-us-1"),
                rel("unseen:1", "cites-us-2"),
                rel("other", "other-copy"),
            ],
            unseen_sources: vec![UnseenSource {
                id: "unseen:1".into(),
                derivatives: vec!["cites-us-1".into(), "cites-us-2".into()],
                cited: Some("herald.example".into()),
            }],
            independent: vec![IndependentLink {
                a: "ours".into(),
                b: "rival".into(),
                similarity: 0.5,
            }],
        }
    }

    fn ids(r: &Report) -> (Vec<&str>, Vec<(&str, &str)>, Vec<&str>) {
        (
            r.documents.iter().map(|d| d.id.as_str()).collect(),
            r.relations
                .iter()
                .map(|x| (x.source.as_str(), x.derivative.as_str()))
                .collect(),
            r.stories.iter().map(|s| s.id.as_str()).collect(),
        )
    }

    #[test]
    fn narrows_to_sites_and_documents() {
        // (sites, documents, kept documents, kept relations, kept stories)
        type Case = (
            &'static [&'static str],
            &'static [&'static str],
            &'static [&'static str],
            &'static [(&'static str, &'static str)],
            &'static [&'static str],
        );
        let cases: &[Case] = &[
            (
                &["herald.example"],
                &[],
                &["ours", "copy", "cites-us-1", "cites-us-2", "rival"],
                &[
                    ("ours", "copy"),
                    ("unseen:1", "cites-us-1"),
                    ("unseen:1", "cites-us-2"),
                ],
                &["s1", "s2"],
            ),
            // A URL names the site as well; a host below it is on it.
            (
                &["https://www.rival.example/"],
                &[],
                &["ours", "rival", "other", "other-copy"],
                &[("other", "other-copy")],
                &["s1", "s3"],
            ),
            (
                &[],
                &["other-copy"],
                &["other", "other-copy"],
                &[("other", "other-copy")],
                &["s3"],
            ),
            // Only the host's end counts: not a site that merely ends alike.
            (&["ival.example"], &[], &[], &[], &[]),
            (&["nowhere.example"], &["no-such-id"], &[], &[], &[]),
        ];
        for &(sites, documents, want_docs, want_rels, want_stories) in cases {
            let focus = Focus {
                sites: sites.iter().map(|s| s.to_string()).collect(),
                documents: documents.iter().map(|s| s.to_string()).collect(),
            };
            let got = narrow(report(), &focus);
            assert_eq!(narrowed(&report(), &focus), got, "{focus:?}");
            let (docs, rels, stories) = ids(&got);
            assert_eq!(docs, want_docs, "{focus:?}");
            assert_eq!(rels, want_rels, "{focus:?}");
            assert_eq!(stories, want_stories, "{focus:?}");
            // Every kept story lists kept documents only.
            for s in &got.stories {
                assert!(s.documents.iter().all(|d| docs.contains(&d.as_str())));
            }
        }
        assert_eq!(narrow(report(), &Focus::default()), report());
        assert_eq!(narrowed(&report(), &Focus::default()), report());
    }
}
