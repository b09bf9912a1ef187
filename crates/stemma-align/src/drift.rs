//! Fact drift: facts a derivative changed from its aligned source passage.
use std::cell::OnceCell;

use stemma_core::{DiffOp, Drift, DriftKind, Span};
use stemma_text::{TokenKind, is_stopword, tokenize};

const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "yesterday",
    "today",
    "tomorrow",
];

const ROLES: &[&str] = &[
    "minister",
    "president",
    "chairman",
    "chairwoman",
    "chair",
    "chief",
    "director",
    "secretary",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "governor",
    "mayor",
    "ceo",
    "senator",
    "judge",
    "chancellor",
    "premier",
    "king",
    "queen",
    "prince",
    "general",
    "commissioner",
    "head",
    "leader",
    "manager",
    "coach",
    "captain",
    "deputy",
    "ambassador",
    "officer",
    "official",
    "prosecutor",
    "lawyer",
    "professor",
    "editor",
    "founder",
    "owner",
    "sheriff",
    "inspector",
    "sergeant",
    "superintendent",
    "constable",
    "detective",
    "councillor",
];

/// Words that change a role they stand beside ("former minister",
/// "acting chief", "deputy head").
const ROLE_MODIFIERS: &[&str] = &[
    "former",
    "acting",
    "deputy",
    "vice",
    "lieutenant",
    "assistant",
    "interim",
    "ex",
    "shadow",
];

/// A word lower-cased, without edge punctuation or a possessive "'s".
fn bare_word(w: &str) -> String {
    let w = w
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase();
    w.strip_suffix("'s")
        .or_else(|| w.strip_suffix("\u{2019}s"))
        .map_or(w.clone(), str::to_string)
}

/// The first (`first`) or last whole word of `span` in `text`, with its
/// span.
fn end_word(text: &str, span: Span, first: bool) -> Option<(Span, &str)> {
    let t = span.slice(text)?;
    let (start, end) = if first {
        let w = t.split_whitespace().next()?;
        let at = t.find(w)?;
        (at, at + w.len())
    } else {
        let w = t.split_whitespace().next_back()?;
        let at = t.rfind(w)?;
        (at, at + w.len())
    };
    let sp = Span::new(span.start + start, span.start + end);
    Some((sp, sp.slice(text)?))
}

/// Roles a derivative put in or left out beside a title or a name: "Governor
/// Reyes" made "Lieutenant Governor Reyes", "the sheriff's spokeswoman
/// Carla Benning" made "sheriff Carla Benning", "former minister" made
/// "minister". A put-in or left-out run of up to three words holding a role
/// word or a modifier of one, right before or after a title; a put-in role
/// also right before a capitalised word (a modifier alone only beside a
/// title: "the former Soviet Union" names no role). A title left out before
/// a name only drops a fact ("Council leader Frank Smith" made "Frank
/// Smith"), and one put in that the source states elsewhere adds none.
fn role_edits(pair: &Pair<'_>, ops: &[DiffOp], out: &mut Vec<Drift>) {
    let (src, der) = (pair.src, pair.der);
    for (k, op) in ops.iter().enumerate() {
        let (put_in, at) = match op {
            DiffOp::Insert { b } => (true, *b),
            DiffOp::Delete { a } => (false, *a),
            _ => continue,
        };
        let Some(t) = at.slice(if put_in { der } else { src }) else {
            continue;
        };
        let words: Vec<String> = t.split_whitespace().map(bare_word).collect();
        let roles = words.iter().any(|w| ROLES.contains(&w.as_str()));
        let modifiers = words.iter().any(|w| ROLE_MODIFIERS.contains(&w.as_str()));
        if words.len() > 3 || !(roles || modifiers) || put_in && pair.inside_quote(at.start) {
            continue;
        }
        // A role put in that the source states somewhere ("David Cameron,
        // the prime minister" made "Prime Minister David Cameron") is no
        // new fact.
        if put_in
            && words
                .iter()
                .filter(|w| ROLES.contains(&w.as_str()) || ROLE_MODIFIERS.contains(&w.as_str()))
                .all(|w| {
                    // "spokesperson" for "spokesman", "CEO" for "chief executive".
                    let w = if w == "ceo" { "chief" } else { w.as_str() };
                    src.split_whitespace().any(|x| same_role(&bare_word(x), w))
                })
        {
            continue;
        }
        let is_role = |w: &str| ROLES.contains(&bare_word(w).as_str());
        let is_name = |w: &str| w.chars().next().is_some_and(char::is_uppercase);
        // The word beside the run, on both sides: (source span, derivative span).
        let next = match ops.get(k + 1) {
            Some(DiffOp::Equal { a, b }) => end_word(src, *a, true)
                .zip(end_word(der, *b, true))
                .filter(|((_, w), _)| is_role(w) || put_in && roles && is_name(w)),
            _ => None,
        };
        let prev = match k.checked_sub(1).and_then(|p| ops.get(p)) {
            Some(DiffOp::Equal { a, b }) => end_word(src, *a, false)
                .zip(end_word(der, *b, false))
                .filter(|((_, w), _)| is_role(w)),
            _ => None,
        };
        // A title before the run names the changed role best ("sheriff's
        // spokeswoman" made "sheriff").
        let Some(((s, _), (d, _))) = prev.or(next) else {
            continue;
        };
        let (s, d) = if put_in {
            (s, d.cover(&at))
        } else {
            (s.cover(&at), d)
        };
        out.push(drift(src, der, DriftKind::Role, Some(s), d));
    }
}

/// Abbreviated titles ("Det Ch Insp"), read as the role they shorten
/// when written with their capital.
const ROLE_ABBREVIATIONS: &[(&str, &str)] = &[
    ("insp", "inspector"),
    ("supt", "superintendent"),
    ("sgt", "sergeant"),
    ("det", "detective"),
    ("ch", "chief"),
    ("pc", "constable"),
    ("cllr", "councillor"),
    ("prof", "professor"),
    ("capt", "captain"),
    ("gen", "general"),
    ("gov", "governor"),
    ("sen", "senator"),
];

/// Number words below twenty ("one" aside: it is a pronoun as often as a
/// number), then the tens.
const UNITS: &[&str] = &[
    "zero",
    "",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];
const TENS: &[&str] = &[
    "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];

/// The value of a number written as a word ("twelve", "sixty", "sixty-five";
/// lower-cased), so that "Sixty" and "60" read as one figure and "fifteen"
/// in place of "12" as a changed one.
fn number_word(norm: &str) -> Option<u32> {
    let unit = |w: &str| {
        UNITS
            .iter()
            .position(|u| !u.is_empty() && *u == w)
            .map(|n| n as u32)
    };
    let ten = |w: &str| {
        TENS.iter()
            .position(|t| !t.is_empty() && *t == w)
            .map(|n| n as u32 * 10)
    };
    match norm.split_once('-') {
        Some((t, u)) => Some(ten(t)? + unit(u).filter(|u| *u < 10)?),
        None => unit(norm).or_else(|| ten(norm)),
    }
}

/// A year ("1998"), or a month or weekday name written with its capital
/// ("May", not the verb "may"); "today" and its like need none.
fn is_date_word(norm: &str, kind: TokenKind, capitalised: bool) -> bool {
    if kind == TokenKind::Number {
        return norm.len() == 4 && (norm.starts_with("19") || norm.starts_with("20"));
    }
    MONTHS.contains(&norm) && (capitalised || RELATIVE_DAYS.contains(&norm))
}

const RELATIVE_DAYS: &[&str] = &["yesterday", "today", "tomorrow"];

/// The figure of a number written with a short unit or scale glued on
/// ("68bn", "1.8m", "130ft", "5th", "3.3million"), so that "$68bn" and
/// "$68 billion" read as one figure.
fn glued_figure(norm: &str) -> Option<&str> {
    let digits = norm.find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))?;
    let (figure, unit) = norm.split_at(digits);
    (digits > 0
        && figure.starts_with(|c: char| c.is_ascii_digit())
        && ((1..=3).contains(&unit.len()) || matches!(unit, "million" | "billion" | "trillion"))
        && unit.chars().all(|c| c.is_ascii_alphabetic()))
    .then_some(figure.trim_end_matches(['.', ',']))
}

/// A fact-bearing token: a number, a date word, a role word, or a
/// capitalised word that does not open a sentence (a name).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fact {
    Date,
    Number,
    Role,
    Name,
}

/// Titles of address: part of how a name is written, not facts ("Mr Smith",
/// "Smith"; "Mrs. Obama", "the First Lady").
const HONORIFICS: &[&str] = &[
    "mr", "mrs", "ms", "miss", "dr", "sir", "dame", "lady", "lord",
];

/// `w` with the accents of Latin letters taken off, so that "Beyoncé" and
/// "Beyonce", or "Sørensen" and "Sorensen", name one person.
fn unaccent(w: &str) -> String {
    w.chars()
        .map(|c| match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => 'a',
            'ç' | 'ć' | 'č' => 'c',
            'ď' => 'd',
            'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => 'e',
            'ğ' => 'g',
            'ì' | 'í' | 'î' | 'ï' | 'ī' | 'ı' => 'i',
            'ł' => 'l',
            'ñ' | 'ń' | 'ň' => 'n',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => 'o',
            'ř' => 'r',
            'ś' | 'š' | 'ş' | 'ș' => 's',
            'ť' | 'ţ' | 'ț' => 't',
            'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' => 'u',
            'ý' | 'ÿ' => 'y',
            'ź' | 'ż' | 'ž' => 'z',
            c => c,
        })
        .collect()
}

/// The minutes of "half an hour" or "a quarter of an hour" (`word` and the
/// tokens after it), so that "every half hour" and "every 30 minutes" state
/// one interval.
fn part_of_hour(word: &str, next: &[stemma_text::Token]) -> Option<u32> {
    let minutes = match word {
        "half" => 30,
        "quarter" => 15,
        _ => return None,
    };
    next.iter()
        .take(3)
        .take_while(|t| matches!(t.norm.as_str(), "an" | "a" | "of" | "hour"))
        .any(|t| t.norm == "hour")
        .then_some(minutes)
}

/// Time zones a four-digit clock time is written with ("1800 GMT").
const ZONES: &[&str] = &[
    "gmt", "bst", "utc", "cet", "cest", "est", "edt", "pst", "pdt",
];

/// A clock time starting at token `k` of `toks` (read from `text`), as
/// hours on a twelve-hour clock and minutes ("18:00", "1800 GMT", "6pm",
/// "6 p.m." all read "6:00"; "05:30" and "5:30 AM" both "5:30"), with the
/// number of tokens it takes. Morning and evening are not told apart: a
/// rewrite writes "15:15" as "3:15 PM" far more often than it moves a time
/// by twelve hours.
fn clock_time(text: &str, toks: &[stemma_text::Token], k: usize) -> Option<(String, usize)> {
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    let between = |i: usize| {
        toks.get(i + 1)
            .map(|n| &text[toks[i].span.end..n.span.start])
    };
    let norm = |i: usize| toks.get(i).map(|t| t.norm.as_str());
    // "am", "pm", "a.m." or "p.m." right after token `i`: how many tokens.
    let meridiem = |i: usize| match (norm(i + 1), between(i)) {
        (Some("am" | "pm"), Some(" " | "")) => 1,
        (Some("a" | "p"), Some(" " | ""))
            if norm(i + 2) == Some("m") && between(i + 1) == Some(".") =>
        {
            2
        }
        _ => 0,
    };
    let t = toks.get(k)?;
    let word = t.norm.as_str();
    let (h, m, used) = if let Some(stem) = word
        .strip_suffix("am")
        .or_else(|| word.strip_suffix("pm"))
        .filter(|_| t.kind == TokenKind::Word)
    {
        // "6pm", "6.30pm".
        let (h, m) = stem.split_once(['.', ':']).unwrap_or((stem, "00"));
        (h, m, 1)
    } else if t.kind != TokenKind::Number || !digits(word) {
        return None;
    } else if word.len() <= 2
        && between(k) == Some(":")
        && norm(k + 1).is_some_and(|n| n.len() == 2 && digits(n))
    {
        (word, norm(k + 1)?, 2 + meridiem(k + 1))
    } else if word.len() <= 2 && meridiem(k) > 0 {
        (word, "00", 1 + meridiem(k))
    } else if word.len() == 4 && norm(k + 1).is_some_and(|z| ZONES.contains(&z)) {
        (&word[..2], &word[2..], 1)
    } else {
        return None;
    };
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60).then(|| {
        (
            format!("{}:{m:02}", if h % 12 == 0 { 12 } else { h % 12 }),
            used,
        )
    })
}

/// The fact a word states other than a name: a figure (digits, or a number
/// word when `kind` is a word), a date word (month names only when
/// `capitalised`) or a role; its value without thousands commas.
fn word_fact(norm: &str, kind: TokenKind, capitalised: bool) -> Option<(String, Fact)> {
    if kind == TokenKind::Word
        && let Some(n) = number_word(norm)
    {
        return Some((n.to_string(), Fact::Number));
    }
    let fact = if is_date_word(norm, kind, capitalised) {
        Fact::Date
    } else if kind == TokenKind::Number {
        // "05" and "5" are one figure.
        let figure = norm.replace(',', "");
        let trimmed = figure.trim_start_matches('0');
        let figure = match trimmed.chars().next() {
            Some(c) if c.is_ascii_digit() => trimmed.to_string(),
            _ if trimmed.len() < figure.len() => format!("0{trimmed}"),
            _ => figure,
        };
        return Some((figure, Fact::Number));
    } else if ROLES.contains(&norm) {
        Fact::Role
    } else if let Some((_, role)) = ROLE_ABBREVIATIONS
        .iter()
        .find(|(short, _)| capitalised && *short == norm)
    {
        return Some((role.to_string(), Fact::Role));
    } else {
        return None;
    };
    Some((norm.to_string(), fact))
}

/// The fact a part of a compound word states ("15" of "15-year-old",
/// "chairman" of "co-chairman"): a figure, a date word or a role.
fn part_fact(part: &str) -> Option<(String, Fact)> {
    let part = glued_figure(part).unwrap_or(part);
    let numeric = !part.is_empty() && part.chars().all(|c| c.is_ascii_digit() || c == '.');
    let kind = if numeric {
        TokenKind::Number
    } else {
        TokenKind::Word
    };
    word_fact(part, kind, false)
}

/// The fact tokens of `text` (lower-cased, possessive `'s` dropped), with
/// their kind; a hyphenated word gives the facts of its parts ("15-year-old"
/// a figure, "ex-minister" a role), or, having none, reads as one word.
/// Every capitalised word reads as a name, as a list to look words up in
/// should; those whose capital says nothing, as they open a sentence, a
/// quotation or `text` itself, are marked ([`FactWord::opens`]).
fn facts(text: &str) -> Vec<FactWord> {
    let toks = tokenize(text);
    let mut out = Vec::new();
    let mut skip = 0;
    for (k, t) in toks.iter().enumerate() {
        if skip > 0 {
            skip -= 1;
            continue;
        }
        if let Some((time, used)) = clock_time(text, &toks, k) {
            let span = Span::new(t.span.start, toks[k + used - 1].span.end);
            out.push(FactWord::new((time, Fact::Number), span));
            skip = used - 1;
            continue;
        }
        // After a full stop, or opening a quotation ("He said: \"Come").
        let after_stop = k > 0 && {
            let gap = &text[toks[k - 1].span.end..t.span.start];
            gap.contains(['.', '!', '?']) || gap.ends_with(['"', '\u{201c}'])
        };
        // The word opens a sentence (or `text`): its capital says nothing.
        let opens = after_stop || k == 0;
        let norm = t
            .norm
            .strip_suffix("'s")
            .or_else(|| t.norm.strip_suffix('\''))
            .unwrap_or(&t.norm);
        // "4's" and "68bn" read as the figures they hold.
        let norm = glued_figure(norm).unwrap_or(norm);
        let kind = if norm
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
        {
            TokenKind::Number
        } else {
            t.kind
        };
        if kind == TokenKind::Word && norm.contains('-') {
            let before = out.len();
            out.extend(
                norm.split('-')
                    .filter_map(part_fact)
                    .map(|f| FactWord::new(f, t.span)),
            );
            if out.len() > before {
                continue;
            }
            // A name joined to a plain word ("Republican-dominated",
            // "UK-based") is the name: its parts written with a capital.
            let raw = &text[t.span.start..t.span.end];
            if t.capitalised {
                out.extend(
                    raw.split('-')
                        .zip(norm.split('-'))
                        .filter(|(r, n)| r.starts_with(char::is_uppercase) && !is_stopword(n))
                        .map(|(_, n)| FactWord::name(unaccent(n), t.span, opens)),
                );
                continue;
            }
        }
        if let Some(minutes) = part_of_hour(norm, &toks[k + 1..]) {
            out.push(FactWord::new((minutes.to_string(), Fact::Number), t.span));
            continue;
        }
        if let Some(fact) = word_fact(norm, kind, t.capitalised) {
            if fact.1 == Fact::Role && !role_in_context(norm, text, &toks, k) {
                continue;
            }
            out.push(FactWord::new(fact, t.span));
        } else if t.capitalised && !HONORIFICS.contains(&norm) && !norm.starts_with("i'") {
            // "US" and "IT" written in capitals are names, not stopwords.
            let raw = &text[t.span.start..t.span.end];
            if !is_stopword(norm) || (raw.len() > 1 && raw.chars().all(|c| c.is_uppercase())) {
                out.push(FactWord::name(unaccent(norm), t.span, opens));
            }
        }
    }
    out
}

/// Role words that are verbs or adjectives as often ("head east", "to
/// chair a meeting", "the general public").
const VERB_ROLES: &[&str] = &[
    "head", "chair", "judge", "coach", "captain", "general", "chief",
];

/// Words after which such a word is a verb ("to head", "they judge").
const VERB_LEADS: &[&str] = &[
    "to", "will", "would", "could", "can", "should", "must", "may", "might", "they", "we", "i",
    "you",
];

/// Words after which such a word is a verb ("head east", "head home").
const VERB_FOLLOWS: &[&str] = &[
    "east", "west", "north", "south", "home", "back", "off", "out", "towards", "toward", "into",
    "up", "down", "inland", "abroad", "there",
];

/// Words after "general" or "chief" that keep it a role: a verb of the
/// sentence, a joining word, or the rest of a compound title ("chief
/// executive"). Another lower-case word makes it an adjective ("the chief
/// reason", "the general public").
const ROLE_FOLLOWS: &[&str] = &[
    "said",
    "says",
    "told",
    "is",
    "was",
    "has",
    "had",
    "will",
    "would",
    "who",
    "and",
    "of",
    "in",
    "on",
    "at",
    "to",
    "from",
    "with",
    "added",
    "also",
    "later",
    "executive",
    "constable",
    "inspector",
    "officer",
    "superintendent",
    "secretary",
    "counsel",
    "justice",
    "minister",
    "whip",
    "operating",
    "financial",
];

/// False when the role word `norm` at token `k` of `text` reads as a verb or
/// an adjective there: after "to", a modal or a pronoun, or before a
/// direction ("head east", "to chair the panel"); "general" and "chief"
/// only before a name or as a noun ([`ROLE_FOLLOWS`]: "General Smith", "the
/// general said", "the chief of police").
fn role_in_context(norm: &str, text: &str, toks: &[stemma_text::Token], k: usize) -> bool {
    if !VERB_ROLES.contains(&norm) {
        return true;
    }
    let prev = k.checked_sub(1).map(|p| toks[p].norm.as_str());
    let next = toks.get(k + 1);
    if prev.is_some_and(|p| VERB_LEADS.contains(&p))
        || next.is_some_and(|n| VERB_FOLLOWS.contains(&n.norm.as_str()))
    {
        return false;
    }
    if matches!(norm, "general" | "chief") {
        // Followed by a comma, the end, a reporting verb, "of" or a name.
        let gap_end = next.map_or(text.len(), |n| n.span.start);
        let gap = &text[toks[k].span.end..gap_end];
        return next.is_none_or(|n| {
            n.capitalised || gap.contains([',', '.']) || ROLE_FOLLOWS.contains(&n.norm.as_str())
        });
    }
    true
}

/// A fact word of a text: its value (lower-cased, as [`facts`] reads it),
/// its kind, and the span of the word that states it in the text read.
#[derive(Debug, Clone)]
struct FactWord {
    word: String,
    fact: Fact,
    span: Span,
    /// A name whose capital may only say that it opens a sentence.
    opens: bool,
}

impl FactWord {
    fn new((word, fact): (String, Fact), span: Span) -> FactWord {
        FactWord {
            word,
            fact,
            span,
            opens: false,
        }
    }

    fn name(word: String, span: Span, opens: bool) -> FactWord {
        FactWord {
            word,
            fact: Fact::Name,
            span,
            opens,
        }
    }
}

/// Fact words with their kinds, as [`facts`] lists them.
type FactWords = [FactWord];

/// Fact kinds in the order a change is read as one: dates before numbers
/// before roles before names.
const FACTS: [Fact; 4] = [Fact::Date, Fact::Number, Fact::Role, Fact::Name];

/// The drift kind of a change of fact kind `f`.
fn drift_kind(f: Fact) -> DriftKind {
    match f {
        Fact::Date => DriftKind::Date,
        Fact::Number => DriftKind::Number,
        Fact::Role => DriftKind::Role,
        Fact::Name => DriftKind::Name,
    }
}

/// The fact word kind a drift kind is about (none for quotes and
/// unsupported sentences).
fn fact_of(kind: DriftKind) -> Option<Fact> {
    FACTS.into_iter().find(|f| drift_kind(*f) == kind)
}

fn lacks(set: &FactWords, w: &str) -> bool {
    !set.iter().any(|x| x.word == w)
}

/// A fact word of kind `f` that the source passage holds and the whole
/// derivative passage lacks, the one nearest `near`: the source's fact that
/// a rewrite dropped, which a changed fact put in elsewhere in the passage
/// replaced ("About 9,000 vehicles use the bridge" -> "... for the 15,000
/// vehicles that use it").
fn dropped(f: Fact, src_passage: &FactWords, der_passage: &FactWords, near: usize) -> Option<Span> {
    src_passage
        .iter()
        .filter(|x| x.fact == f && lacks(der_passage, &x.word))
        .map(|x| x.span)
        .min_by_key(|s| s.start.abs_diff(near))
}

/// The words a fact drift of kind `f` found in one substitution is about,
/// so that it reads "9,000" -> "15,000", not the whole changed phrase. In
/// the derivative's words (`der`, at `b`): the first fact of the kind the
/// source passage lacks, else the first of the kind. In the source's (at
/// `a`): the first fact of the kind the derivative passage lacks, else the
/// first of the kind, else the one the passage dropped nearest the
/// substitution. Each falls back to the whole changed words.
fn narrow(
    f: Fact,
    ((src, a), (der, b)): ((&FactWords, Span), (&FactWords, Span)),
    (src_passage, der_passage): (&FactWords, &FactWords),
) -> (Span, Span) {
    let first = |words: &FactWords, lacking: &FactWords| {
        let of_kind = || words.iter().filter(|x| x.fact == f);
        of_kind()
            .find(|x| lacks(lacking, &x.word))
            .or_else(|| of_kind().next())
            .map(|x| x.span)
    };
    let d = first(der, src_passage).unwrap_or(b);
    let s = first(src, der_passage)
        .or_else(|| dropped(f, src_passage, der_passage, a.start))
        .unwrap_or(a);
    (s, d)
}

/// A look-up of a fact word in a text.
type Lookup<'a> = &'a dyn Fn(&str) -> bool;

/// What a substitution changed: a fact of the derivative value that the
/// whole source passage lacks, where the source value held another of its
/// kind; or one put in where the source value held none of its kind, when
/// the whole source lacks it too (a rewrite moves names and figures between
/// neighbouring sentences); or, where one fact word stands for one other of
/// its kind, a source fact the derivative passage lacks ("16" -> "17",
/// where a 17 is elsewhere in the source passage), unless the source words
/// of the substitution's gap state the new one (`in_gap`: "$25m (£16m)" ->
/// "£16 million" diffs as "25m" -> "16", "16m" -> "million"). A source
/// fact left out where the derivative's words hold one the source passage
/// has is otherwise a rewrite keeping one of two ("$25m (£16m)" -> "£16
/// million"), not a change: left out is not changed (summaries leave out a
/// lot). The first kind of [`FACTS`] changed is the drift's. Inside a
/// quotation any other change of words is a changed quote.
fn classify(
    (src_value, der_value): (&FactWords, &FactWords),
    (src_passage, der_passage): (&FactWords, &FactWords),
    (in_source, in_gap): (Lookup<'_>, Lookup<'_>),
    in_quote: bool,
) -> Option<DriftKind> {
    let held = |f: Fact| src_value.iter().any(|x| x.fact == f);
    let swap = match (src_value, der_value) {
        ([s], [d])
            if s.fact == d.fact
                && s.word != d.word
                && lacks(der_passage, &s.word)
                && !in_gap(&d.word) =>
        {
            Some(s.fact)
        }
        _ => None,
    };
    let changed = |f: Fact| {
        swap == Some(f)
            || der_value.iter().any(|x| {
                x.fact == f
                    && lacks(src_passage, &x.word)
                    && lacks(src_value, &x.word)
                    && (held(f) || !in_source(&x.word))
            })
    };
    FACTS
        .into_iter()
        .find(|f| changed(*f))
        .map(drift_kind)
        .or(in_quote.then_some(DriftKind::Quote))
}

/// True when two role words (lower-cased) name one role ("spokesman",
/// "spokeswoman"; "chair", "chairman").
fn same_role(a: &str, b: &str) -> bool {
    a.chars().take(5).eq(b.chars().take(5))
}

/// True when two name words (lower-cased) name one thing: one starts the
/// other (an initial written out, "W" -> "William"; "Dutchman" -> "Dutch";
/// "Scot" -> "Scottish"), or one letter tells two long words apart (a
/// misspelling put right, "Norfok" -> "Norfolk").
fn same_name(a: &str, b: &str) -> bool {
    let (la, lb) = (a.chars().count(), b.chars().count());
    a.starts_with(b) || b.starts_with(a) || (la.min(lb) >= 5 && one_edit(a, b))
}

/// True when `raw`, as written, is an acronym whose capitals are the first
/// letters of `names` in order ("EC" of "European Commission", "MoJ" of
/// "Ministry of Justice").
fn acronym_of(raw: &str, names: &[&FactWord]) -> bool {
    let caps: String = raw
        .chars()
        .filter(|c| c.is_uppercase())
        .flat_map(char::to_lowercase)
        .collect();
    let initials: String = names.iter().filter_map(|x| x.word.chars().next()).collect();
    caps.chars().count() >= 2
        && raw.chars().count() <= 6
        && raw.chars().all(char::is_alphabetic)
        && caps == initials
}

/// True when `a` and `b` differ by one letter put in, left out or swapped
/// for another.
fn one_edit(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let (short, long) = if a.len() <= b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    match long.len() - short.len() {
        0 => short.iter().zip(long).filter(|(x, y)| x != y).count() <= 1,
        1 => {
            let head = short.iter().zip(long).take_while(|(x, y)| x == y).count();
            short[head..] == long[head + 1..]
        }
        _ => false,
    }
}

/// The two texts of a pair, read source -> derivative, with what drift
/// looks up in them made once, when first needed: the source's fact words
/// and the derivative's quotations.
pub(crate) struct Pair<'t> {
    src: &'t str,
    der: &'t str,
    src_facts: OnceCell<Vec<FactWord>>,
    der_quotes: OnceCell<Vec<Span>>,
}

impl<'t> Pair<'t> {
    pub(crate) fn new(src: &'t str, der: &'t str) -> Pair<'t> {
        Pair {
            src,
            der,
            src_facts: OnceCell::new(),
            der_quotes: OnceCell::new(),
        }
    }

    /// True when the whole source has the fact word `w`.
    fn in_source(&self, w: &str) -> bool {
        self.src_facts
            .get_or_init(|| facts(self.src))
            .iter()
            .any(|x| x.word == w)
    }

    /// The derivative's quotation that holds `pos`, as
    /// [`stemma_text::quoted_spans`] reads its marks: a quotation may run
    /// over several sentences, and on over paragraphs, each opened anew.
    fn quotation(&self, pos: usize) -> Option<Span> {
        let quotes = self
            .der_quotes
            .get_or_init(|| stemma_text::quoted_spans(self.der));
        let k = quotes.partition_point(|q| q.end <= pos);
        quotes.get(k).copied().filter(|q| q.start < pos)
    }

    /// True when `pos` in the derivative lies inside a quotation.
    fn inside_quote(&self, pos: usize) -> bool {
        self.quotation(pos).is_some()
    }

    /// True when `from` and `to` in the derivative lie in one quotation.
    fn same_quotation(&self, from: usize, to: usize) -> bool {
        from <= to && self.quotation(from).is_some_and(|q| to < q.end)
    }
}

/// Drift from the diff of one aligned passage of `pair`. `ops` are already
/// oriented (a = source); `der_passage` is the derivative passage's span.
/// Word changes inside one quotation make one quote drift.
pub(crate) fn from_ops(pair: &Pair<'_>, der_passage: Span, ops: &[DiffOp], out: &mut Vec<Drift>) {
    role_edits(pair, ops, out);
    // Only what the derivative changed or put in can drift.
    if !ops
        .iter()
        .any(|op| matches!(op, DiffOp::Substitute { .. } | DiffOp::Insert { .. }))
    {
        return;
    }
    let (src, der) = (pair.src, pair.der);
    let first = out.len();
    // The source passage is what the ops' source spans cover.
    let src_passage = ops
        .iter()
        .filter_map(|op| match op {
            DiffOp::Equal { a, .. } | DiffOp::Substitute { a, .. } | DiffOp::Delete { a } => {
                Some(*a)
            }
            DiffOp::Insert { .. } => None,
        })
        .reduce(|p, s| p.cover(&s));
    let src_whole = src_passage.unwrap_or(Span::new(0, 0));
    // Fact words of both passages, spans in the whole texts.
    let read = |text: &str, at: Span| {
        let mut words = at.slice(text).map(facts).unwrap_or_default();
        for x in &mut words {
            x.span = x.span.shift(at.start);
        }
        words
    };
    let (src_facts, der_facts) = (read(src, src_whole), read(der, der_passage));
    let gaps = substitution_gaps(ops);
    for (op, gap) in ops.iter().zip(&gaps) {
        let DiffOp::Substitute { a, b, synonym } = op else {
            continue;
        };
        if let (Some(sv), Some(dv)) = (a.slice(src), b.slice(der))
            && same_letters(sv, dv)
        {
            continue;
        }
        let quoted = pair.inside_quote(b.start);
        let (fs, fd) = (within(&src_facts, *a), within(&der_facts, *b));
        let in_source = |w: &str| pair.in_source(w);
        let in_gap = |w: &str| {
            src_facts
                .iter()
                .any(|x| x.word == w && gap.start <= x.span.start && x.span.end <= gap.end)
        };
        let Some(kind) = classify(
            (&fs, &fd),
            (&src_facts, &der_facts),
            (&in_source, &in_gap),
            quoted,
        ) else {
            continue;
        };
        // A synonym for a name is another name of the same thing ("US",
        // "America"), two words for one role are one role, and a phrase
        // for a plain one states no new figure or date ("last year", "final
        // 12 months"). Swapped figures and dates are changed facts, swapped
        // titles other roles, and swapped words inside quotation marks
        // misquote the speaker, synonyms or not.
        let holds = |f: Fact| fs.iter().any(|x| x.fact == f);
        let same = match kind {
            DriftKind::Name => true,
            DriftKind::Number => !holds(Fact::Number),
            DriftKind::Date => !holds(Fact::Date),
            _ => false,
        };
        if *synonym && same {
            continue;
        }
        let (a, b) = match fact_of(kind) {
            Some(f) => narrow(f, ((&fs, *a), (&fd, *b)), (&src_facts, &der_facts)),
            None => (*a, *b),
        };
        if written_two_ways(kind, (&fs, &fd), &src_facts, (src, der)) {
            continue;
        }
        // A word change inside the quotation the passage's last drift
        // changed joins that drift.
        if kind == DriftKind::Quote
            && out.len() > first
            && let Some(last) = out.last_mut()
            && last.kind == DriftKind::Quote
            && pair.same_quotation(last.derivative_span.end, b.start)
            && let Some(ls) = last.source_span
        {
            let (s, d) = (
                ls.start.min(a.start)..ls.end.max(a.end),
                last.derivative_span.start..b.end,
            );
            last.source_span = Some(Span::new(s.start, s.end));
            last.source_value = src.get(s).map(str::to_string);
            last.derivative_span = Span::new(d.start, d.end);
            last.derivative_value = der.get(d).unwrap_or_default().to_string();
            continue;
        }
        out.push(drift(src, der, kind, Some(a), b));
    }
    reordered(pair, ops, src_whole.start, (&src_facts, &der_facts), out);
    // A fact two substitutions touch (a clock time split) is one drift.
    let mut found = out.split_off(first);
    found.sort_by_key(|d| (d.derivative_span.start, d.derivative_span.end));
    found.dedup_by(|x, y| {
        (x.kind, x.derivative_span, x.source_span) == (y.kind, y.derivative_span, y.source_span)
    });
    out.extend(found);
}

/// The fact words of `words` that the span `at` holds or touches (a clock
/// time the diff split), without names whose capital only opens a sentence.
fn within(words: &FactWords, at: Span) -> Vec<FactWord> {
    words
        .iter()
        .filter(|x| !x.opens && x.span.start < at.end && at.start < x.span.end)
        .cloned()
        .collect()
}

/// The source side of each run of substitutions in `ops` (a gap between
/// equal words that the diff split word by word), op by op (empty for
/// other ops).
fn substitution_gaps(ops: &[DiffOp]) -> Vec<Span> {
    let sub_source = |op: &DiffOp| match op {
        DiffOp::Substitute { a, .. } => Some(*a),
        _ => None,
    };
    ops.chunk_by(|x, y| sub_source(x).is_some() && sub_source(y).is_some())
        .flat_map(|run| {
            let cover = run
                .iter()
                .filter_map(sub_source)
                .reduce(|x, y| x.cover(&y))
                .unwrap_or(Span::new(0, 0));
            std::iter::repeat_n(cover, run.len())
        })
        .collect()
}

/// True when two runs of words differ only in spelling their letters
/// apart or together ("long term", "long-term").
fn same_letters(a: &str, b: &str) -> bool {
    let letters = |t: &str| -> String {
        t.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    letters(a) == letters(b)
}

/// True when a substitution that [`classify`] read as a change of `kind`
/// writes one thing two ways, synonyms or not: two words for one role
/// ("spokesman", "spokesperson"), a name the source passage has, one
/// written out, shortened or misspelt, or an acronym spelt out. `fs` and
/// `fd` are the fact words of its two sides, read in `src` and `der`.
fn written_two_ways(
    kind: DriftKind,
    (fs, fd): (&FactWords, &FactWords),
    src_passage: &FactWords,
    (src, der): (&str, &str),
) -> bool {
    let raw = |text, x: &FactWord| x.span.slice(text).unwrap_or_default();
    let alike = |s: &FactWord, d: &FactWord| match kind {
        DriftKind::Role => same_role(&s.word, &d.word),
        DriftKind::Name => !lacks(src_passage, &d.word) || same_name(&s.word, &d.word),
        _ => false,
    };
    let of_kind = |x: &&FactWord| Some(x.fact) == fact_of(kind);
    let (ks, kd): (Vec<&FactWord>, Vec<&FactWord>) = (
        fs.iter().filter(of_kind).collect(),
        fd.iter().filter(of_kind).collect(),
    );
    let spelt_out = kind == DriftKind::Name
        && (matches!(&ks[..], [s] if acronym_of(raw(src, s), &kd))
            || matches!(&kd[..], [d] if acronym_of(raw(der, d), &ks)));
    spelt_out || (!ks.is_empty() && kd.iter().all(|d| ks.iter().any(|s| alike(s, d))))
}

/// Drift of a figure or date put in that the whole source lacks, where the
/// passage dropped one of its kind: a changed fact the word diff split into
/// a deletion and an insertion (the sentence was reordered). `start` is
/// where the source passage starts; the fact words are the two passages'.
fn reordered(
    pair: &Pair<'_>,
    ops: &[DiffOp],
    start: usize,
    (src_facts, der_facts): (&FactWords, &FactWords),
    out: &mut Vec<Drift>,
) {
    let mut near = start;
    for op in ops {
        let b = match op {
            DiffOp::Equal { a, .. } | DiffOp::Substitute { a, .. } | DiffOp::Delete { a } => {
                near = a.end;
                continue;
            }
            DiffOp::Insert { b } => *b,
        };
        for x in within(der_facts, b) {
            if !matches!(x.fact, Fact::Number | Fact::Date)
                || !lacks(src_facts, &x.word)
                || pair.in_source(&x.word)
            {
                continue;
            }
            if let Some(s) = dropped(x.fact, src_facts, der_facts, near) {
                out.push(drift(
                    pair.src,
                    pair.der,
                    drift_kind(x.fact),
                    Some(s),
                    x.span,
                ));
            }
        }
    }
}

/// A drift of `kind` between the source's words at `s` and the
/// derivative's at `d`.
fn drift(src: &str, der: &str, kind: DriftKind, s: Option<Span>, d: Span) -> Drift {
    Drift {
        kind,
        source_span: s,
        derivative_span: d,
        source_value: s.and_then(|s| s.slice(src)).map(str::to_string),
        derivative_value: d.slice(der).unwrap_or_default().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs each (source, derivative, drift kinds) case through the diff
    /// and [`from_ops`], the whole derivative as one passage.
    fn check(cases: &[(&str, &str, &[DriftKind])], thes: Option<&stemma_text::Thesaurus>) {
        for &(src, der, want) in cases {
            let (da, db) = (
                crate::prep::Doc::new(src, thes, 100),
                crate::prep::Doc::new(der, thes, 100),
            );
            let (ops, _) = crate::diff::diff(&da.toks, &db.toks, thes);
            let mut out = Vec::new();
            from_ops(
                &Pair::new(src, der),
                Span::new(0, der.len()),
                &ops,
                &mut out,
            );
            let got: Vec<DriftKind> = out.iter().map(|d| d.kind).collect();
            assert_eq!(got, want, "{src:?} -> {der:?}: {out:?}");
        }
    }

    #[test]
    fn drift_names_the_changed_words_whichever_way_the_pair_was_diffed() {
        // (source, derivative, (kind, source value, derivative value)): a
        // reordered sentence diffs as a substitution one way round and as a
        // deletion plus an insertion the other; both read as one figure
        // changed, word for word.
        type Case<'a> = (&'a str, &'a str, &'a [(DriftKind, &'a str, &'a str)]);
        let cases: &[Case] = &[
            (
                "About 9,000 vehicles use the bridge every day, and the detour adds roughly 40 minutes to the journey.",
                "The detour adds about 40 minutes for the 15,000 vehicles that use the bridge each day.",
                &[(DriftKind::Number, "9,000", "15,000")],
            ),
            (
                "The minister said the fund would reach 12 million pounds.",
                "The fund will reach 18 million pounds, the minister said.",
                &[(DriftKind::Number, "12", "18")],
            ),
            (
                "Profits rose 5% in the year to March, the firm said.",
                "The firm said profits rose 5% in the year to June.",
                &[(DriftKind::Date, "March", "June")],
            ),
            // One of two figures kept is no change.
            (
                "It paid $25m (£16m) for the stake.",
                "It paid £16 million for the stake.",
                &[],
            ),
        ];
        for &(src, der, want) in cases {
            let (ds, dd) = (
                crate::prep::Doc::new(src, None, 100),
                crate::prep::Doc::new(der, None, 100),
            );
            let forward = crate::diff::diff(&ds.toks, &dd.toks, None).0;
            let backward: Vec<DiffOp> = crate::diff::diff(&dd.toks, &ds.toks, None)
                .0
                .iter()
                .map(crate::flip_op)
                .collect();
            for ops in [forward, backward] {
                let mut out = Vec::new();
                from_ops(
                    &Pair::new(src, der),
                    Span::new(0, der.len()),
                    &ops,
                    &mut out,
                );
                let got: Vec<(DriftKind, &str, &str)> = out
                    .iter()
                    .map(|d| {
                        (
                            d.kind,
                            d.source_value.as_deref().unwrap_or(""),
                            d.derivative_value.as_str(),
                        )
                    })
                    .collect();
                assert_eq!(got, want, "{src:?} -> {der:?}: {ops:?}");
            }
        }
    }

    #[test]
    fn synonym_phrases_state_no_new_figure() {
        // (source, derivative, drift kinds found), with the built-in
        // spinner table as the thesaurus.
        let cases: &[(&str, &str, &[DriftKind])] = &[
            (
                "Traffic rose last year.",
                "Traffic rose final 12 months.",
                &[],
            ),
            ("It runs every half hour.", "It runs every 30 minutes.", &[]),
            (
                "It runs every half hour.",
                "It runs every 20 minutes.",
                &[DriftKind::Number],
            ),
            (
                "Traffic rose 12 percent.",
                "Traffic rose 15 percent.",
                &[DriftKind::Number],
            ),
        ];
        check(cases, Some(&stemma_text::Thesaurus::builtin()));
    }

    #[test]
    fn quotations_run_over_sentences_within_a_paragraph() {
        // (text, where `^` marks the position asked about, inside a quote)
        let cases: &[(&str, bool)] = &[
            ("He said: \"We came. We ^won.\"", true),
            ("He said: \"We came.\" Then ^he left.", false),
            ("\"We came.\nThen ^he left.", false),
            ("\"We came.\n\"And we ^won.\"", true),
            ("She said \u{201c}it was. It ^is.\u{201d}", true),
        ];
        for &(marked, want) in cases {
            let pos = marked.find('^').unwrap();
            let text = marked.replace('^', "");
            assert_eq!(Pair::new("", &text).inside_quote(pos), want, "{marked:?}");
        }
    }

    /// A role put in or left out beside a title changes the role; a title
    /// left out before a name drops a fact, and one put in that the source
    /// states elsewhere adds none.
    #[test]
    fn roles_put_in_or_left_out() {
        type Case<'a> = (&'a str, &'a str, Option<(&'a str, &'a str)>);
        let cases: &[Case] = &[
            (
                "Governor Alan Reyes declared an emergency.",
                "Lieutenant Governor Alan Reyes declared an emergency.",
                Some(("Governor", "Lieutenant Governor")),
            ),
            (
                "The former minister Ann Cole spoke.",
                "The minister Ann Cole spoke.",
                Some(("former minister", "minister")),
            ),
            (
                "The sheriff's spokeswoman Carla Benning spoke.",
                "The sheriff Carla Benning spoke.",
                Some(("sheriff's spokeswoman", "sheriff")),
            ),
            (
                "Then David Cameron spoke at length.",
                "Then Prime Minister David Cameron spoke at length.",
                Some(("David", "Prime Minister David")),
            ),
            // No change of role.
            (
                "Council leader Frank Smith spoke.",
                "Frank Smith spoke.",
                None,
            ),
            (
                "Frank Smith, the council leader, spoke. Smith was angry.",
                "Frank Smith, the council leader, spoke. Leader Smith was angry.",
                None,
            ),
            (
                "Trade with the Soviet Union grew.",
                "Trade with the former Soviet Union grew.",
                None,
            ),
        ];
        for &(src, der, want) in cases {
            let (da, db) = (
                crate::prep::Doc::new(src, None, 100),
                crate::prep::Doc::new(der, None, 100),
            );
            let (ops, _) = crate::diff::diff(&da.toks, &db.toks, None);
            let mut out = Vec::new();
            role_edits(&Pair::new(src, der), &ops, &mut out);
            let got = out.first().map(|d| {
                (
                    d.source_value.as_deref().unwrap_or(""),
                    d.derivative_value.as_str(),
                )
            });
            assert_eq!(got, want, "{src:?} -> {der:?}: {out:?}");
            assert!(out.len() <= 1, "{out:?}");
        }
    }

    #[test]
    fn one_fact_written_two_ways_is_no_change() {
        // (source passage, derivative passage, drift kinds found)
        let cases: &[(&str, &str, &[DriftKind])] = &[
            ("Coach W Smith left.", "Coach William Smith left.", &[]),
            (
                "He flew to the US on Monday.",
                "He flew to the United States on Monday.",
                &[],
            ),
            (
                "Staff at the MoJ agreed.",
                "Staff at the Ministry of Justice agreed.",
                &[],
            ),
            ("Roads in Norfok flooded.", "Roads in Norfolk flooded.", &[]),
            ("A Dutchman won it.", "A Dutch rider won it.", &[]),
            (
                "Det Sgt Ian Law said so.",
                "Detective Sergeant Ian Law said so.",
                &[],
            ),
            ("A spokesman said so.", "A spokesperson said so.", &[]),
            // Role words read as verbs and adjectives.
            (
                "Residents were told to drive east.",
                "Residents were told to head east.",
                &[],
            ),
            (
                "The main reason was cost.",
                "The chief reason was cost.",
                &[],
            ),
            (
                "It was a specific warning.",
                "It was a general warning.",
                &[],
            ),
            (
                "The mayor said so.",
                "The chief said so.",
                &[DriftKind::Role],
            ),
            ("It opened at 15:15 GMT.", "It opened at 3:15 PM GMT.", &[]),
            ("It shut at 1800 GMT.", "It shut at 18:00 GMT.", &[]),
            (
                "He said: \"Come in.\"",
                "He said: \"Come inside.\"",
                &[DriftKind::Quote],
            ),
            // Changed, not rewritten.
            (
                "Roads in Norfolk flooded.",
                "Roads in Suffolk flooded.",
                &[DriftKind::Name],
            ),
            (
                "It opened at 15:15 GMT.",
                "It opened at 4:15 PM GMT.",
                &[DriftKind::Number],
            ),
            (
                "A spokesman said so.",
                "A minister said so.",
                &[DriftKind::Role],
            ),
            (
                "The BBC said so.",
                "The Guardian said so.",
                &[DriftKind::Name],
            ),
        ];
        check(cases, None);
    }

    #[test]
    fn clock_times_read_as_one_time() {
        // (text, the times read from it)
        let cases: &[(&str, &[&str])] = &[
            ("at 05:30 GMT", &["5:30"]),
            ("at 5:30 AM GMT", &["5:30"]),
            ("from 10:00 to 1800 GMT", &["10:00", "6:00"]),
            ("until 6pm or 6.30pm", &["6:00", "6:30"]),
            ("by 6 p.m. on", &["6:00"]),
            ("about 15:15 local time", &["3:15"]),
            ("a 2:1 win", &[]),
            ("in 2010 the", &[]),
            ("at 2010 GMT", &["8:10"]),
        ];
        for &(text, want) in cases {
            let got: Vec<String> = facts(text)
                .into_iter()
                .filter(|x| x.word.contains(':'))
                .map(|x| x.word)
                .collect();
            assert_eq!(got, want, "{text:?}");
        }
    }

    #[test]
    fn number_words_read_as_figures() {
        let cases: &[(&str, Option<u32>)] = &[
            ("twelve", Some(12)),
            ("sixty", Some(60)),
            ("sixty-five", Some(65)),
            ("zero", Some(0)),
            ("one", None),
            ("sixty-twelve", None),
            ("five-sixty", None),
            ("minister", None),
        ];
        for &(word, want) in cases {
            assert_eq!(number_word(word), want, "{word}");
        }
    }

    #[test]
    fn spelled_out_figures_drift_only_when_changed() {
        // (source passage, derivative passage, drift kinds found)
        let cases: &[(&str, &str, &[DriftKind])] = &[
            (
                "At least 60 firefighters came.",
                "Sixty firefighters came.",
                &[],
            ),
            ("The toll is 12 euros.", "The toll is twelve euros.", &[]),
            (
                "The toll is 12 euros.",
                "The toll is fifteen euros.",
                &[DriftKind::Number],
            ),
            // Facts inside hyphenated and possessive words.
            (
                "The 15-year-old won again.",
                "The 21-year-old won again.",
                &[DriftKind::Number],
            ),
            (
                "The minister's plan failed.",
                "The chancellor's plan failed.",
                &[DriftKind::Role],
            ),
            (
                "The ex-minister spoke.",
                "The ex-chairman spoke.",
                &[DriftKind::Role],
            ),
            (
                "Group 4's shares fell.",
                "Group 7's shares fell.",
                &[DriftKind::Number],
            ),
            ("Bristol's mayor spoke.", "Bristol mayor spoke.", &[]),
            ("It cost $68bn in all.", "It cost $68 billion in all.", &[]),
            ("It made 3.3million.", "It made 3.3 million.", &[]),
            ("For the under-16s.", "For those under 16.", &[]),
            (
                "It cost $68bn in all.",
                "It cost $86 billion in all.",
                &[DriftKind::Number],
            ),
            ("They may go in May.", "They might go in May.", &[]),
            ("They go in May.", "They go in June.", &[DriftKind::Date]),
            ("He met Beyoncé there.", "He met Beyonce there.", &[]),
            (
                "He said: \"We are here for the long term.\"",
                "He said: \"We are here for the long-term.\"",
                &[],
            ),
            // A title of address is no name: writing out the first name the
            // source gives elsewhere changes nothing; one it never gives is
            // put in.
            (
                "Paul Smith came. Then Mr Smith spoke.",
                "Paul Smith came. Then Paul Smith spoke.",
                &[],
            ),
            (
                "Then Mr Smith spoke.",
                "Then Paul Smith spoke.",
                &[DriftKind::Name],
            ),
            (
                "A Republican-dominated house.",
                "A Republican-majority house.",
                &[],
            ),
            (
                "A Republican-dominated house.",
                "A Democrat-dominated house.",
                &[DriftKind::Name],
            ),
        ];
        check(cases, None);
    }
}
