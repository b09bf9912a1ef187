//! Normalising publish dates to UTC `YYYY-MM-DDTHH:MM:SSZ`.
use chrono::{DateTime, NaiveDate, NaiveDateTime, SecondsFormat, Utc};

/// Normalises a publish date to UTC `YYYY-MM-DDTHH:MM:SSZ` when it parses as RFC 3339,
/// RFC 2822, `YYYY-MM-DD HH:MM[:SS]` (taken as UTC) or a plain `YYYY-MM-DD` date (midnight
/// UTC); otherwise returns the trimmed input unchanged. Blank input gives `None`.
pub fn normalize_published(raw: &str) -> Option<String> {
    let s = raw.trim();
    if s.is_empty() {
        return None;
    }
    let utc = DateTime::parse_from_rfc3339(s)
        .or_else(|_| DateTime::parse_from_rfc2822(s))
        .map(|d| d.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            [
                "%Y-%m-%dT%H:%M:%S%.f",
                "%Y-%m-%d %H:%M:%S%.f",
                "%Y-%m-%dT%H:%M",
                "%Y-%m-%d %H:%M",
            ]
            .iter()
            .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
            .or_else(|| {
                NaiveDate::parse_from_str(s, "%Y-%m-%d")
                    .ok()
                    .and_then(|d| d.and_hms_opt(0, 0, 0))
            })
            .map(|n| n.and_utc())
        });
    Some(match utc {
        Some(d) => d.to_rfc3339_opts(SecondsFormat::Secs, true),
        None => s.to_string(),
    })
}

/// Normalises a Unix timestamp in seconds (as some JSONL dumps store dates).
pub fn normalize_unix_seconds(secs: i64) -> Option<String> {
    DateTime::from_timestamp(secs, 0).map(|d| d.to_rfc3339_opts(SecondsFormat::Secs, true))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_table() {
        let cases = [
            ("2024-03-05T10:20:30Z", Some("2024-03-05T10:20:30Z")),
            (
                "2024-03-05T10:20:30.123+02:00",
                Some("2024-03-05T08:20:30Z"),
            ),
            ("2024-03-05t23:30:00-01:00", Some("2024-03-06T00:30:00Z")),
            ("2024-03-05", Some("2024-03-05T00:00:00Z")),
            (" 2024-03-05 07:08 ", Some("2024-03-05T07:08:00Z")),
            (
                "Tue, 1 Jul 2003 10:52:37 +0200",
                Some("2003-07-01T08:52:37Z"),
            ),
            ("yesterday", Some("yesterday")),
            ("2024-02-30", Some("2024-02-30")),
            ("   ", None),
        ];
        for (raw, want) in cases {
            assert_eq!(normalize_published(raw).as_deref(), want, "{raw:?}");
        }
        assert_eq!(
            normalize_unix_seconds(0).as_deref(),
            Some("1970-01-01T00:00:00Z")
        );
        assert_eq!(normalize_unix_seconds(i64::MAX), None);
    }
}
