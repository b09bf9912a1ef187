//! Boilerplate by shape: lines that read as page furniture (navigation,
//! prompts, credits, legal notes) rather than article prose.

/// Phrases that make a short line boilerplate when the line starts with them.
const UI_PREFIXES: &[&str] = &[
    "advertisement", "advertising", "anzeige", "publicité", "sponsored", "paid content",
    "sign in", "sign up", "log in", "login", "register", "subscribe", "donate", "support us",
    "recommended", "read more", "read next", "more from", "more on this", "see also", "see more",
    "related", "you may also like", "you might also like", "most read", "most popular", "trending",
    "share this", "share on", "share", "tweet", "follow us", "follow @", "like us on",
    "click here", "tap here", "skip to", "jump to", "back to top", "go to", "menu", "search",
    "cookie", "we use cookies", "this site uses cookies", "this website uses cookies",
    "accept all", "accept cookies", "manage preferences", "privacy policy", "terms of use",
    "terms of service", "terms and conditions", "contact us", "about us", "all rights reserved",
    "copyright", "©", "(c) ", "photo:", "photo by", "photos:", "photograph:", "image:", "image credit",
    "image source", "picture:", "pictures:", "credit:", "credits:", "foto:", "bild:", "quelle: dpa",
    "video:", "watch:", "listen", "leave a comment", "post a comment", "add a comment", "comments",
    "comment", "reply", "newsletter", "get our newsletter", "sign up for", "email", "print",
    "weiterlesen", "mehr zum thema", "mehr lesen", "teilen", "kommentare", "impressum",
    "datenschutz", "lire aussi", "lire la suite", "partager", "tags:", "tags", "filed under",
    "posted in", "categories:", "category:", "previous article", "next article", "previous post",
    "next post", "older posts", "newer posts", "loading", "please enable javascript",
    "your browser", "download the app", "open in app", "listen to this article", "toggle",
];

/// Words that, anywhere in a short line, mark it as page furniture.
const UI_WORDS: &[&str] = &[
    "cookies", "newsletter", "subscribe", "subscription", "unsubscribe", "login", "javascript",
    "facebook", "twitter", "whatsapp", "linkedin", "pinterest", "instagram", "reddit", "telegram",
    "getty", "shutterstock", "istock", "reuters/", "ap photo", "afp via", "dpa-bildfunk",
];

/// Ends that mark a short line as a credit ("... / Getty Images").
const CREDIT_SUFFIXES: &[&str] = &["getty images", "shutterstock", "istockphoto", "ap photo", "afp", "reuters", "dpa", "epa", "imago"];

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
    if prose_end && words >= 10 {
        return false;
    }
    if words <= 12 && chars <= 120 {
        for p in UI_PREFIXES {
            if let Some(rest) = lower.strip_prefix(p) {
                // A whole-word prefix: "share" must not match "shares of ...".
                let next = rest.chars().next();
                if next.is_none_or(|c| !c.is_alphanumeric()) && !prose_end {
                    return true;
                }
                if p.ends_with([':', ' ', '@']) || *p == "©" {
                    return true;
                }
            }
        }
        if !prose_end {
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
            if words <= 8 && (line.contains('/') || line.contains('|') || lower.contains("foto") || lower.contains("photo"))
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
            ("We use cookies to improve your experience on our site.", true),
            ("Follow us on Twitter", true),
            ("Shares of the company rose 5% on Monday after the announcement.", false),
            ("The council said it would share the costs with neighbouring towns over the next decade.", false),
            ("Read more about the plan, the mayor said, when the budget is published in the spring.", false),
            ("Floods hit the valley", false),
            ("The mayor said the bridge would reopen in May.", false),
            ("", false),
        ];
        for (line, want) in cases {
            assert_eq!(is_boilerplate_line(line), want, "{line:?}");
        }
    }
}
