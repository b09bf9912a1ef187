//! Boilerplate by shape: lines that read as page furniture (navigation,
//! prompts, credits, legal notes) rather than article prose.

/// Phrases that make a short line boilerplate when the line starts with them.
const UI_PREFIXES: &[&str] = &[
    "advertisement",
    "advertising",
    "anzeige",
    "werbung",
    "publicité",
    "publicidad",
    "publicidade",
    "pubblicità",
    "advertentie",
    "reklama",
    "реклама",
    "sponsored",
    "paid content",
    "sign in",
    "sign up",
    "log in",
    "login",
    "register",
    "subscribe",
    "donate",
    "support us",
    "recommended",
    "read more",
    "read next",
    "more from",
    "more on this",
    "see also",
    "see more",
    "related",
    "you may also like",
    "you might also like",
    "most read",
    "most popular",
    "trending",
    "share this",
    "share on",
    "share",
    "tweet",
    "follow us",
    "follow @",
    "like us on",
    "click here",
    "tap here",
    "skip to",
    "jump to",
    "back to top",
    "go to",
    "menu",
    "search",
    "cookie",
    "we use cookies",
    "this site uses cookies",
    "this website uses cookies",
    "accept all",
    "accept cookies",
    "manage preferences",
    "privacy policy",
    "terms of use",
    "terms of service",
    "terms and conditions",
    "contact us",
    "about us",
    "all rights reserved",
    "copyright",
    "©",
    "(c) ",
    "photo:",
    "photo by",
    "photos:",
    "photograph:",
    "image:",
    "image credit",
    "image source",
    "picture:",
    "pictures:",
    "credit:",
    "credits:",
    "foto:",
    "bild:",
    "quelle: dpa",
    "video:",
    "watch:",
    "listen",
    "leave a comment",
    "post a comment",
    "add a comment",
    "comments",
    "comment",
    "reply",
    "newsletter",
    "get our newsletter",
    "sign up for",
    "email",
    "print",
    "weiterlesen",
    "mehr zum thema",
    "mehr lesen",
    "teilen",
    "kommentare",
    "impressum",
    "datenschutz",
    "lire aussi",
    "lire la suite",
    "partager",
    "tags:",
    "tags",
    "filed under",
    "posted in",
    "categories:",
    "category:",
    "previous article",
    "next article",
    "previous post",
    "next post",
    "older posts",
    "newer posts",
    "loading",
    "please enable javascript",
    "your browser",
    "download the app",
    "open in app",
    "listen to this article",
    "toggle",
    // More English furniture.
    "about the author",
    "related posts",
    "related articles",
    "related content",
    "related stories",
    "similar posts",
    "more stories",
    "more news",
    "popular posts",
    "latest news",
    "latest posts",
    "top stories",
    "editor's picks",
    "don't miss",
    "also read",
    "continue reading",
    "keep reading",
    "was this article helpful",
    "was this helpful",
    "did you find this",
    "rate this",
    "leave a reply",
    "join the conversation",
    "show comments",
    "view comments",
    "this entry was posted",
    "bookmark the permalink",
    "last updated",
    "stay up-to-date",
    "stay up to date",
    "never miss",
    "if you enjoyed",
    "support our",
    "become a member",
    "become a patron",
    "learn more",
    "find out more",
    "next",
    "previous",
    "home",
    "contact",
    "imprint",
    "legal notice",
    "sitemap",
    "featured image",
    // German.
    "ähnliche beiträge",
    "ähnliche artikel",
    "verwandte artikel",
    "verwandte themen",
    "das könnte dich auch interessieren",
    "das könnte sie auch interessieren",
    "auch interessant",
    "schon gelesen",
    "empfohlen",
    "empfehlungen",
    "über den autor",
    "über die autorin",
    "zum artikel",
    "artikel teilen",
    "gefällt mir",
    "kommentar schreiben",
    "kommentieren",
    "antworten",
    "zurück",
    "nach oben",
    "startseite",
    "kontakt",
    "suche",
    "anmelden",
    "registrieren",
    "abonnieren",
    "jetzt abonnieren",
    "werbung",
    "mehr erfahren",
    "mehr dazu",
    "mehr artikel",
    "alle artikel",
    "bildquelle",
    "fotos:",
    "zur startseite",
    "war der artikel",
    "war dieser artikel",
    "ist dieser beitrag",
    "bild anzeigen",
    "dieses blog durchsuchen",
    "eingestellt von",
    "erstellt am",
    "aktualisiert am",
    "zuletzt aktualisiert",
    "lesezeit",
    "zum weiterlesen",
    "weitere informationen",
    "weitere artikel",
    "weitere beiträge",
    "titelbild",
    "beitragsbild",
    "quellen ausblenden",
    "quellenangaben",
    "dieser artikel gefällt",
    "unterstütze",
    "jede kleine spende",
    // French, Spanish, Italian, Portuguese, Polish.
    "à lire aussi",
    "a lire aussi",
    "voir aussi",
    "articles similaires",
    "sur le même sujet",
    "commentaires",
    "s'abonner",
    "abonnez-vous",
    "lire plus",
    "en savoir plus",
    "pour lire la suite",
    "mentions légales",
    "contenido relacionado",
    "noticias relacionadas",
    "te puede interesar",
    "también te puede interesar",
    "lee también",
    "leer más",
    "ver más",
    "compartir",
    "comentarios",
    "suscríbete",
    "publicidad",
    "síguenos",
    "más noticias",
    "artículos relacionados",
    "leggi anche",
    "articoli correlati",
    "condividi",
    "commenti",
    "pubblicità",
    "leia também",
    "veja também",
    "compartilhe",
    "comentários",
    "publicidade",
    "zobacz także",
    "czytaj także",
    "czytaj też",
    "udostępnij",
    "komentarze",
    "reklama",
];

/// Phrases that make a line boilerplate at any length (comment forms,
/// post footers, consent notes).
const LONG_PHRASES: &[&str] = &[
    "will not be published",
    "wird nicht veröffentlicht",
    "ne sera pas publiée",
    "no será publicada",
    "must be logged in",
    "müssen sich einloggen",
    "müssen angemeldet sein",
    "required fields are marked",
    "pflichtfelder sind mit",
    "notify me of",
    "benachrichtige mich",
    "comments are closed",
    "kommentarfunktion ist geschlossen",
    "kommentare sind geschlossen",
    "this entry was posted",
    "this entry was filed",
    "bookmark the permalink",
    "der beitrag wurde am",
    "dieser eintrag wurde",
    "dieser beitrag wurde",
    "posted in uncategorized",
    "you can follow any responses",
    "leave a response",
    "trackback from your own site",
    "noch keine bewertungen",
    "no ratings yet",
    "if you're running an ad-blocker",
    "if you are using an ad-blocker",
    "disable your ad blocker",
    "werbeblocker",
    "adblocker",
    // Paywall and login prompts.
    "already a subscriber",
    "log in to continue",
    "sign in to continue",
    "subscribe to continue",
    "register to continue",
    "log in to read",
    "sign in to read",
    "to view the full story",
    "please subscribe to",
    "unlimited digital access",
    // Newsletter appeals.
    "sign up for our newsletter",
    "sign up to our newsletter",
    "subscribe to our newsletter",
    "straight to your inbox",
    "delivered to your inbox",
    "in your inbox every",
    // Donation appeals.
    "support our journalism",
    "support independent journalism",
    "journalism needs your support",
    "please consider supporting",
    "donate today",
    "make a donation",
    "make a contribution",
];

/// Words that, next to "cookie", make a consent notice.
const COOKIE_VERBS: &[&str] = &[
    "accept",
    "agree",
    "consent",
    "continu",
    "akzept",
    "zustimm",
    "stimmen sie",
    "nutzung",
    "verwend",
    "utilis",
    "acept",
    "privacy",
    "datenschutz",
    "einverstanden",
];

/// Words that stand beside month and weekday names ([`DATE_NAMES`]) on
/// date-only lines: times of day, prepositions, "updated", time zones.
const DATE_FILLERS: &[&str] = &[
    "am",
    "pm",
    "uhr",
    "um",
    "at",
    "on",
    "de",
    "del",
    "le",
    "den",
    "am",
    "updated",
    "published",
    "posted",
    "aktualisiert",
    "veröffentlicht",
    "gmt",
    "utc",
    "cet",
    "cest",
    "est",
    "edt",
    "pst",
    "bst",
    "mez",
];

/// Whether the line is only a date and/or time ("31. Mai", "3:59 PM", "2021-10-16").
fn is_date_line(lower: &str) -> bool {
    let mut has_digit = false;
    for tok in lower.split(|c: char| {
        c.is_whitespace() || matches!(c, ',' | '|' | '/' | '-' | '.' | ':' | '(' | ')' | '–' | '·')
    }) {
        if tok.is_empty() {
            continue;
        }
        if tok.chars().all(|c| c.is_ascii_digit()) {
            has_digit = true;
            continue;
        }
        let t = tok.trim_end_matches('h');
        if t.chars().all(|c| c.is_ascii_digit()) && !t.is_empty() {
            has_digit = true;
            continue;
        }
        if DATE_NAMES.contains(&tok) || DATE_FILLERS.contains(&tok) {
            continue;
        }
        return false;
    }
    // A date or time needs a month or weekday name or a separator between
    // digits ("31.05.", "3:59", "2021-10-16"); bare numbers are not dates.
    let named = lower
        .split(|c: char| !c.is_alphanumeric())
        .any(|t| DATE_NAMES.contains(&t));
    let b = lower.as_bytes();
    let separated = (1..b.len().saturating_sub(1)).any(|i| {
        matches!(b[i], b'.' | b':' | b'-' | b'/')
            && b[i - 1].is_ascii_digit()
            && b[i + 1].is_ascii_digit()
    });
    has_digit && (named || separated || lower.contains(". "))
}

/// Month and weekday names (several languages) for date-only lines.
const DATE_NAMES: &[&str] = &[
    "jan",
    "january",
    "januar",
    "janvier",
    "enero",
    "feb",
    "february",
    "februar",
    "février",
    "febrero",
    "mar",
    "march",
    "märz",
    "mars",
    "marzo",
    "apr",
    "april",
    "avril",
    "abril",
    "may",
    "mai",
    "mayo",
    "jun",
    "june",
    "juni",
    "juin",
    "junio",
    "jul",
    "july",
    "juli",
    "juillet",
    "julio",
    "aug",
    "august",
    "août",
    "agosto",
    "sep",
    "sept",
    "september",
    "septembre",
    "septiembre",
    "oct",
    "october",
    "oktober",
    "octobre",
    "octubre",
    "nov",
    "november",
    "novembre",
    "noviembre",
    "dec",
    "december",
    "dezember",
    "décembre",
    "diciembre",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "montag",
    "dienstag",
    "mittwoch",
    "donnerstag",
    "freitag",
    "samstag",
    "sonntag",
];

/// Counter words after a number: "2 Comments", "12 Kommentare".
const COUNTED: &[&str] = &[
    "comment",
    "comments",
    "kommentar",
    "kommentare",
    "commentaire",
    "commentaires",
    "comentario",
    "comentarios",
    "reply",
    "replies",
    "antworten",
    "shares",
    "views",
    "aufrufe",
    "likes",
    "min",
    "minutes",
    "minuten",
    "min.",
    "read",
];

/// Words that, anywhere in a short line, mark it as page furniture.
const UI_WORDS: &[&str] = &[
    "cookies",
    "newsletter",
    "subscribe",
    "subscription",
    "unsubscribe",
    "login",
    "javascript",
    "facebook",
    "twitter",
    "whatsapp",
    "linkedin",
    "pinterest",
    "instagram",
    "reddit",
    "telegram",
    "getty",
    "shutterstock",
    "istock",
    "reuters/",
    "ap photo",
    "afp via",
    "dpa-bildfunk",
];

/// Ends that mark a short line as a credit ("... / Getty Images").
const CREDIT_SUFFIXES: &[&str] = &[
    "getty images",
    "shutterstock",
    "istockphoto",
    "ap photo",
    "afp",
    "reuters",
    "dpa",
    "epa",
    "imago",
];

/// Whether a line reads as boilerplate on its own (no corpus statistics).
///
/// Short lines (up to about twelve words, no closing sentence punctuation)
/// that open with a UI phrase or name a social network, credits, and legal
/// notes are boilerplate; prose sentences are not.
pub fn is_boilerplate_line(line: &str) -> bool {
    let line = line.trim();
    if line.is_empty() {
        return false;
    }
    let lower = line.to_lowercase();
    let lower = lower.trim_start_matches(|c: char| !c.is_alphanumeric() && c != '©' && c != '(');
    let words = lower.split_whitespace().count();
    let chars = lower.chars().count();
    let prose_end = lower.ends_with(['.', '!', '?', '"', '”', '»', '“']) && words >= 6;

    // Legal notes and cookie notices may run long.
    if chars < 300
        && (lower.contains("all rights reserved")
            || lower.contains("alle rechte vorbehalten")
            || lower.contains("we use cookies")
            || lower.contains("uses cookies")
            || lower.contains("use of cookies")
            || lower.contains("verwendet cookies")
            || lower.contains("this material may not be published")
            || lower.starts_with("copyright ")
            || lower.starts_with('©'))
    {
        return true;
    }
    if chars < 400 && LONG_PHRASES.iter().any(|p| lower.contains(p)) {
        return true;
    }
    if chars < 400 && lower.contains("cookie") && COOKIE_VERBS.iter().any(|v| lower.contains(v)) {
        return true;
    }
    // Server error messages leaked into the page.
    if (lower.starts_with("warning:")
        || lower.starts_with("notice:")
        || lower.starts_with("deprecated:")
        || lower.starts_with("fatal error:"))
        && lower.contains(" on line ")
    {
        return true;
    }
    if prose_end && words >= 10 {
        return false;
    }
    if words <= 8 && !line.starts_with('+') && is_date_line(lower) {
        return true;
    }
    // "a | b | c": menus, breadcrumbs, meta rows.
    if !prose_end
        && chars <= 200
        && (lower.matches(" | ").count() >= 2
            || lower.matches(" » ").count() >= 2
            || lower.matches(" > ").count() >= 2)
    {
        return true;
    }
    {
        let mut it = lower.split_whitespace();
        if let (Some(first), Some(second)) = (it.next(), it.next()) {
            let rest_empty = it.next().is_none() || words <= 4;
            if first.chars().all(|c| c.is_ascii_digit())
                && COUNTED.contains(&second.trim_end_matches([':', '.']))
                && rest_empty
            {
                return true;
            }
        }
    }
    if words <= 12 && chars <= 120 {
        for p in UI_PREFIXES {
            if let Some(rest) = lower.strip_prefix(p) {
                // A whole-word prefix: "share" must not match "shares of ...".
                let next = rest.chars().next();
                // A lone word ("Home", "Share", "Search") is furniture only in
                // a very short line; headlines start with such words too.
                let single = !p.contains(' ') && !p.ends_with([':', '@']);
                if next.is_none_or(|c| !c.is_alphanumeric())
                    && !prose_end
                    && (!single || words <= 3)
                {
                    return true;
                }
                if p.ends_with([':', ' ', '@']) || *p == "©" {
                    return true;
                }
            }
        }
        if !prose_end && words <= 6 {
            let tokens: Vec<&str> = lower
                .split(|c: char| !c.is_alphanumeric() && c != '/')
                .filter(|t| !t.is_empty())
                .collect();
            if UI_WORDS.iter().any(|w| {
                if w.contains([' ', '/']) {
                    lower.contains(w)
                } else {
                    tokens.contains(w)
                }
            }) {
                return true;
            }
            let bare = lower.trim_end_matches(|c: char| !c.is_alphanumeric());
            if words <= 8
                && (line.contains('/')
                    || line.contains('|')
                    || lower.contains("foto")
                    || lower.contains("photo"))
                && CREDIT_SUFFIXES.iter().any(|s| bare.ends_with(s))
            {
                return true;
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::is_boilerplate_line;

    #[test]
    fn shapes() {
        let cases = [
            ("Advertisement", true),
            ("Реклама", true),
            ("Publicidad", true),
            ("Werbung", true),
            ("Reklama w tekście", true),
            ("ADVERTISEMENT", true),
            ("Sign in", true),
            ("Subscribe to our newsletter", true),
            ("Donate now", true),
            ("Recommended news", true),
            ("Read more", true),
            ("Share this article", true),
            ("Click here to find out more", true),
            ("© 2024 Example Media. All rights reserved.", true),
            ("Photo: Jane Doe", true),
            ("Image credit: NASA", true),
            ("Jane Doe / Getty Images", true),
            (
                "We use cookies to improve your experience on our site.",
                true,
            ),
            ("Follow us on Twitter", true),
            (
                "Shares of the company rose 5% on Monday after the announcement.",
                false,
            ),
            (
                "The council said it would share the costs with neighbouring towns over the next decade.",
                false,
            ),
            (
                "Read more about the plan, the mayor said, when the budget is published in the spring.",
                false,
            ),
            ("Floods hit the valley", false),
            ("31. Mai", true),
            ("3:59 PM", true),
            ("2021-10-16", true),
            ("Updated March 5, 2024 at 10:20 GMT", true),
            ("2 Comments", true),
            ("Home | News | Sport | Weather", true),
            ("Related posts", true),
            ("Ähnliche Beiträge", true),
            ("1999 was a hard year", false),
            ("9,796", false),
            ("Home loan approvals rising again", false),
            ("Share boost for feud-hit company", false),
            ("Home", true),
            ("Share", true),
            ("The mayor said the bridge would reopen in May.", false),
            // Paywall, newsletter and donation appeals written as prose.
            ("Already a subscriber? Log in to continue reading.", true),
            (
                "Sign up for our newsletter to get the latest news in your inbox every morning.",
                true,
            ),
            (
                "Independent journalism needs your support. Donate today to keep our reporting free.",
                true,
            ),
            (
                "The charity asked residents to donate blankets and tinned food to the shelter.",
                false,
            ),
            (
                "Users said the scam emails landed in their inboxes over the weekend.",
                false,
            ),
            ("", false),
        ];
        for (line, want) in cases {
            assert_eq!(is_boilerplate_line(line), want, "{line:?}");
        }
    }
}
