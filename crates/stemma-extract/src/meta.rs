//! Page metadata: title, publish date, author, canonical URL, and date
//! normalisation to UTC RFC 3339.

/// Normalises a date or date-time string to UTC `YYYY-MM-DDTHH:MM:SSZ`.
///
/// Accepts ISO 8601 / RFC 3339 forms (`2024-03-05`, `2024-03-05T10:20`,
/// `2024-03-05 10:20:30.123+01:00`, `...+0100`, `...Z`) and RFC 2822 forms
/// (`Tue, 05 Mar 2024 10:20:30 GMT`, `05 Mar 2024 10:20:30 +0100`), the
/// month first (`March 5, 2024`, `Mar. 5, 2024 10:20 PM`), numeric dates
/// whose day cannot be taken for the month (`2024/03/05`, `25/03/2024`,
/// `03/25/2024`, `25.03.2024`) and Unix time in seconds or milliseconds.
/// Returns `None` when the string is not one of these.
pub fn normalize_date(s: &str) -> Option<String> {
    let s = s.trim();
    parse_iso(s)
        .or_else(|| parse_rfc2822(s))
        .or_else(|| parse_month_first(s))
        .or_else(|| parse_numeric(s))
        .and_then(format_utc)
        .or_else(|| parse_epoch(s))
}

/// Unix time in seconds (10 digits) or milliseconds (13), as feeds and
/// crawl records give it; years 2001 to 2286.
fn parse_epoch(s: &str) -> Option<String> {
    if !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let secs: i64 = match s.len() {
        10 => s.parse().ok()?,
        13 => s.parse::<i64>().ok()? / 1000,
        _ => return None,
    };
    let days = secs.div_euclid(86_400);
    let (y, mo, d) = civil_from_days(days);
    let rem = secs.rem_euclid(86_400);
    format_utc(Stamp {
        y,
        mo,
        d,
        h: rem / 3600,
        mi: rem % 3600 / 60,
        sec: rem % 60,
        offset_min: 0,
    })
}

/// "November 24, 2026", "Nov. 24, 2026 10:10 PM": the month first, as US
/// pages write it (a time, if any, after the year).
fn parse_month_first(s: &str) -> Option<Stamp> {
    let mut it = s.split_whitespace();
    let mo = month_from_name(it.next()?.trim_end_matches('.'))?;
    let d: i64 = it.next()?.trim_end_matches(',').parse().ok()?;
    let y: i64 = it.next()?.trim_end_matches(',').parse().ok()?;
    let mut st = Stamp::date(y, mo, d);
    if let Some(time) = it.next() {
        st.set_clock(time)?;
        match it.next().map(str::to_ascii_lowercase).as_deref() {
            Some("pm") if st.h < 12 => st.h += 12,
            Some("am") if st.h == 12 => st.h = 0,
            Some("am" | "pm") | None => {}
            Some(zone) => st.offset_min = parse_offset(zone)?,
        }
    }
    valid(st)
}

/// "2026/11/24", and "24/11/2026" or "11/24/2026" (also with dots or
/// dashes) when one of the first two numbers is over 12 and so must be the
/// day; "05/06/2026" could be either and reads as no date.
fn parse_numeric(s: &str) -> Option<Stamp> {
    let parts: Vec<&str> = s.split(['/', '.', '-']).collect();
    let [p, q, r] = parts.as_slice() else {
        return None;
    };
    let n = |x: &str| -> Option<i64> {
        (!x.is_empty() && x.len() <= 4 && x.bytes().all(|b| b.is_ascii_digit()))
            .then(|| x.parse().ok())
            .flatten()
    };
    let (a, b, c) = (n(p)?, n(q)?, n(r)?);
    let (y, mo, d) = if p.len() == 4 {
        (a, b, c)
    } else if r.len() == 4 && a > 12 && b <= 12 {
        (c, b, a)
    } else if r.len() == 4 && b > 12 && a <= 12 {
        (c, a, b)
    } else {
        return None;
    };
    valid(Stamp::date(y, mo, d))
}

/// A broken-down time with its UTC offset in minutes.
struct Stamp {
    y: i64,
    mo: i64,
    d: i64,
    h: i64,
    mi: i64,
    sec: i64,
    offset_min: i64,
}

impl Stamp {
    /// Midnight UTC of a civil date.
    fn date(y: i64, mo: i64, d: i64) -> Stamp {
        Stamp {
            y,
            mo,
            d,
            h: 0,
            mi: 0,
            sec: 0,
            offset_min: 0,
        }
    }

    /// Sets the time of day from "HH:MM" or "HH:MM:SS".
    fn set_clock(&mut self, time: &str) -> Option<()> {
        let mut parts = time.split(':');
        self.h = parts.next()?.parse().ok()?;
        self.mi = parts.next()?.parse().ok()?;
        if let Some(sec) = parts.next() {
            self.sec = sec.parse().ok()?;
        }
        Some(())
    }
}

fn digits(s: &[u8], at: usize, n: usize) -> Option<i64> {
    let part = s.get(at..at + n)?;
    if !part.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(
        part.iter()
            .fold(0i64, |acc, b| acc * 10 + i64::from(b - b'0')),
    )
}

fn parse_offset(rest: &str) -> Option<i64> {
    let rest = rest.trim();
    if rest.is_empty()
        || rest.eq_ignore_ascii_case("z")
        || rest.eq_ignore_ascii_case("utc")
        || rest.eq_ignore_ascii_case("gmt")
    {
        return Some(0);
    }
    let b = rest.as_bytes();
    let sign = match b[0] {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let (h, m) = match b.len() {
        3 => (digits(b, 1, 2)?, 0),
        5 => (digits(b, 1, 2)?, digits(b, 3, 2)?),
        6 if b[3] == b':' => (digits(b, 1, 2)?, digits(b, 4, 2)?),
        _ => return None,
    };
    if h > 23 || m > 59 {
        return None;
    }
    Some(sign * (h * 60 + m))
}

fn parse_iso(s: &str) -> Option<Stamp> {
    let b = s.as_bytes();
    let y = digits(b, 0, 4)?;
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let mo = digits(b, 5, 2)?;
    let d = digits(b, 8, 2)?;
    let mut st = Stamp::date(y, mo, d);
    if b.len() == 10 {
        return valid(st);
    }
    if !matches!(b.get(10), Some(b'T' | b't' | b' ')) {
        return None;
    }
    st.h = digits(b, 11, 2)?;
    if b.get(13) != Some(&b':') {
        return None;
    }
    st.mi = digits(b, 14, 2)?;
    let mut i = 16;
    if b.get(16) == Some(&b':') {
        st.sec = digits(b, 17, 2)?;
        i = 19;
        if matches!(b.get(19), Some(b'.' | b',')) {
            i = 20;
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
        }
    }
    st.offset_min = parse_offset(s.get(i..)?)?;
    valid(st)
}

fn month_from_name(name: &str) -> Option<i64> {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let lower = name.to_ascii_lowercase();
    let head = lower.get(..3)?;
    MONTHS.iter().position(|m| *m == head).map(|p| p as i64 + 1)
}

fn parse_rfc2822(s: &str) -> Option<Stamp> {
    let s = match s.find(',') {
        Some(i) if i <= 10 => &s[i + 1..],
        _ => s,
    };
    let mut it = s.split_whitespace();
    let d: i64 = it.next()?.parse().ok()?;
    let mo = month_from_name(it.next()?)?;
    let y: i64 = it.next()?.parse().ok()?;
    let mut st = Stamp::date(y, mo, d);
    if let Some(time) = it.next() {
        st.set_clock(time)?;
        if let Some(zone) = it.next() {
            st.offset_min = parse_offset(zone)?;
        }
    }
    valid(st)
}

fn valid(st: Stamp) -> Option<Stamp> {
    let ok = (1000..=9999).contains(&st.y)
        && (1..=12).contains(&st.mo)
        && (1..=31).contains(&st.d)
        && st.h <= 23
        && st.mi <= 59
        && st.sec <= 60;
    ok.then_some(st)
}

/// Days since 1970-01-01 of a civil date (proleptic Gregorian).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn format_utc(st: Stamp) -> Option<String> {
    let secs =
        days_from_civil(st.y, st.mo, st.d) * 86_400 + st.h * 3600 + st.mi * 60 + st.sec.min(59)
            - st.offset_min * 60;
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    Some(format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    ))
}

/// Finds `key` (e.g. `datePublished`) anywhere in a JSON-LD value,
/// breadth-first with an explicit queue (no recursion).
pub(crate) fn json_ld_find<'a>(
    value: &'a serde_json::Value,
    key: &str,
) -> Option<&'a serde_json::Value> {
    let mut queue = std::collections::VecDeque::from([value]);
    let mut seen = 0usize;
    while let Some(v) = queue.pop_front() {
        seen += 1;
        if seen > 10_000 {
            break;
        }
        match v {
            serde_json::Value::Object(map) => {
                if let Some(found) = map.get(key) {
                    return Some(found);
                }
                queue.extend(map.values());
            }
            serde_json::Value::Array(items) => queue.extend(items.iter()),
            _ => {}
        }
    }
    None
}

/// The display name of a JSON-LD `author` value (string, object or list).
pub(crate) fn json_ld_name(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        serde_json::Value::Object(map) => map.get("name").and_then(json_ld_name),
        serde_json::Value::Array(items) => {
            let names: Vec<String> = items.iter().filter_map(json_ld_name).collect();
            (!names.is_empty()).then(|| names.join(", "))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::normalize_date;

    #[test]
    fn dates_normalise_to_utc() {
        let cases = [
            ("2024-03-05", Some("2024-03-05T00:00:00Z")),
            ("2024-03-05T10:20:30Z", Some("2024-03-05T10:20:30Z")),
            (
                "2024-03-05T10:20:30.123+01:00",
                Some("2024-03-05T09:20:30Z"),
            ),
            ("2024-03-05 00:30:00-0130", Some("2024-03-05T02:00:00Z")),
            ("2024-03-05T23:30+02:00", Some("2024-03-05T21:30:00Z")),
            ("2024-01-01T00:30:00+01:00", Some("2023-12-31T23:30:00Z")),
            (
                "Tue, 05 Mar 2024 10:20:30 GMT",
                Some("2024-03-05T10:20:30Z"),
            ),
            ("5 March 2024", Some("2024-03-05T00:00:00Z")),
            ("March 5, 2024", Some("2024-03-05T00:00:00Z")),
            ("Mar. 5, 2024 10:20 PM", Some("2024-03-05T22:20:00Z")),
            ("Mar 5, 2024 12:05 am", Some("2024-03-05T00:05:00Z")),
            ("2024/03/05", Some("2024-03-05T00:00:00Z")),
            ("25/03/2024", Some("2024-03-25T00:00:00Z")),
            ("03/25/2024", Some("2024-03-25T00:00:00Z")),
            ("25.03.2024", Some("2024-03-25T00:00:00Z")),
            ("1709634030", Some("2024-03-05T10:20:30Z")),
            ("1709634030123", Some("2024-03-05T10:20:30Z")),
            // Either day first or month first: no date.
            ("05/03/2024", None),
            ("12345", None),
            ("yesterday", None),
            ("2024-13-01", None),
            ("", None),
        ];
        for (input, want) in cases {
            assert_eq!(normalize_date(input).as_deref(), want, "{input}");
        }
    }
}
