//! Sites named by URL: the host of a page's address, and whether one host
//! lies on a site. Shared by the verifier (a copy that cites a site) and the
//! derivation rules (unseen sources, `--site` focus).

/// The host of a URL or a bare domain, lower-cased, without `www.`, a port
/// or anything after the host. `None` when nothing is left.
pub fn url_host(s: &str) -> Option<String> {
    let s = s.trim().to_lowercase();
    let s = s.split_once("://").map_or(s.as_str(), |(_, rest)| rest);
    let host = s.split(['/', '?', '#', ' ']).next()?.split(':').next()?;
    let host = host.strip_prefix("www.").unwrap_or(host);
    (!host.is_empty()).then(|| host.to_string())
}

/// True when `host` is `site` or a host below it (`news.bbc.co.uk` is on
/// `bbc.co.uk`; `notbbc.com` is not on `bbc.com`). Both lower-cased, as
/// [`url_host`] gives them.
pub fn on_site(host: &str, site: &str) -> bool {
    !site.is_empty()
        && (host == site
            || host
                .strip_suffix(site)
                .is_some_and(|rest| rest.ends_with('.')))
}

/// True when either host is the other or below it.
pub fn same_site(a: &str, b: &str) -> bool {
    on_site(a, b) || on_site(b, a)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_site_reads_either_way() {
        assert!(same_site("news.bbc.com", "bbc.com"));
        assert!(same_site("bbc.com", "news.bbc.com"));
        assert!(!same_site("notbbc.com", "bbc.com"));
    }

    #[test]
    fn hosts_of_addresses() {
        let cases: &[(&str, Option<&str>)] = &[
            ("https://www.BBC.co.uk/news/1", Some("bbc.co.uk")),
            ("http://example.org:8080/a?b#c", Some("example.org")),
            ("bbc.com", Some("bbc.com")),
            (" www.example.net ", Some("example.net")),
            ("https://", None),
            ("", None),
        ];
        for (input, want) in cases {
            assert_eq!(url_host(input).as_deref(), *want, "{input}");
        }
    }

    #[test]
    fn hosts_on_sites() {
        let cases: &[(&str, &str, bool)] = &[
            ("bbc.com", "bbc.com", true),
            ("news.bbc.com", "bbc.com", true),
            ("notbbc.com", "bbc.com", false),
            ("bbc.com", "news.bbc.com", false),
            ("example.org", "", false),
            ("example.", "", false),
        ];
        for (host, site, want) in cases {
            assert_eq!(on_site(host, site), *want, "{host} on {site}");
        }
    }
}
