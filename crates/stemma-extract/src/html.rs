//! HTML extraction: parse with html5ever (via `scraper`), flatten the DOM
//! into blocks with one iterative walk, score containers in the manner of
//! Readability, then drop boilerplate blocks inside the chosen container.
//!
//! Nothing here recurses over the DOM, so deeply nested pages cannot
//! overflow the stack.

use scraper::{Html, Node, Selector};

use crate::boiler::is_boilerplate_line;
use crate::meta::{json_ld_find, json_ld_name, normalize_date};

/// What `extract_html` found on a page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HtmlArticle {
    /// Page title (`og:title`, else `<h1>`, else `<title>`).
    pub title: Option<String>,
    /// Main text, blocks separated by `"\n\n"`.
    pub text: String,
    /// Characters of visible text left out of `text`.
    pub boilerplate_chars: usize,
    /// Publish time, UTC RFC 3339.
    pub published: Option<String>,
    /// Author or byline.
    pub author: Option<String>,
    /// Canonical URL (`<link rel=canonical>`, else `og:url`).
    pub canonical_url: Option<String>,
}

/// Elements whose content is never visible text.
const INVISIBLE: &[&str] = &[
    "head", "script", "style", "noscript", "template", "svg", "math", "canvas", "iframe", "object",
    "embed", "video", "audio", "select", "option", "button", "input", "textarea", "map", "dialog",
    "title", "meta", "link",
];

/// Elements that start a new block of text.
const BLOCK: &[&str] = &[
    "p", "div", "section", "article", "main", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3",
    "h4", "h5", "h6", "blockquote", "pre", "table", "tr", "td", "th", "thead", "tbody", "tfoot",
    "caption", "figure", "figcaption", "header", "footer", "nav", "aside", "form", "fieldset",
    "address", "center", "details", "summary", "hr", "body", "html", "menu", "legend", "label",
];

/// Structural elements that hold page furniture.
const NEGATIVE_TAGS: &[&str] = &["nav", "aside", "footer", "header", "figcaption", "menu", "form", "label"];

/// Class/id tokens of furniture containers.
const NEGATIVE_TOKENS: &[&str] = &[
    "comment", "comments", "share", "sharing", "social", "socials", "related", "recommended",
    "recommendations", "nav", "navbar", "navigation", "menu", "breadcrumb", "breadcrumbs", "footer",
    "sidebar", "cookie", "cookies", "consent", "gdpr", "newsletter", "subscribe", "subscription",
    "promo", "advert", "advertisement", "ads", "ad", "adsense", "banner", "sponsor", "sponsored",
    "popup", "modal", "widget", "widgets", "signup", "login", "paywall", "tags", "tagcloud",
    "caption", "credit", "credits", "print", "toolbar", "pagination", "pager", "masthead",
    "rating", "sr", "hidden", "teaser", "teasers", "outbrain", "taboola", "disqus", "author",
    "byline", "meta", "date", "skip", "header", "topbar", "donate", "donation", "more", "tools",
    "follow", "shariff", "overlay", "alert", "notice", "bottom", "foot", "cta", "jump",
];

/// Class/id tokens of content containers.
const POSITIVE_TOKENS: &[&str] = &[
    "article", "articlebody", "body", "content", "entry", "main", "post", "text", "blog", "story",
    "prose", "richtext", "storycontent", "hentry",
];

#[derive(Debug)]
struct Elem {
    parent: usize,
    tag: String,
    negative: bool,
    class_weight: f64,
    chars: usize,
    link_chars: usize,
    score: f64,
    scored: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Heading,
    Para,
    Other,
}

#[derive(Debug)]
struct Block {
    text: String,
    chars: usize,
    link_chars: usize,
    owner: usize,
    kind: Kind,
}

const NONE: usize = usize::MAX;

fn class_tokens(class: &str, out: &mut Vec<String>) {
    for tok in class.split(|c: char| !c.is_ascii_alphanumeric()) {
        if tok.is_empty() {
            continue;
        }
        // Split camelCase too: "shareButtons" -> "share", "buttons".
        let mut cur = String::new();
        let mut prev_lower = false;
        for ch in tok.chars() {
            if ch.is_ascii_uppercase() && prev_lower && !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            prev_lower = ch.is_ascii_lowercase();
            cur.push(ch.to_ascii_lowercase());
        }
        if !cur.is_empty() {
            out.push(cur);
        }
    }
}

fn is_hidden(el: &scraper::node::Element) -> bool {
    if el.attr("hidden").is_some() || el.attr("aria-hidden") == Some("true") {
        return true;
    }
    if let Some(style) = el.attr("style") {
        let s: String = style.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase();
        if s.contains("display:none") || s.contains("visibility:hidden") {
            return true;
        }
    }
    false
}

struct Flat {
    elems: Vec<Elem>,
    blocks: Vec<Block>,
}

/// Flattens the DOM into elements (with parents) and text blocks, in one
/// iterative walk.
fn flatten(doc: &Html) -> Flat {
    let mut elems: Vec<Elem> = Vec::new();
    let mut blocks: Vec<Block> = Vec::new();
    // Stack of (ego node id, elem index, is block, is link, is pre).
    let mut stack: Vec<(ego_tree::NodeId, usize, bool, bool, bool)> = Vec::new();
    let mut block_stack: Vec<usize> = Vec::new();
    let mut skip: Option<ego_tree::NodeId> = None;
    let mut buf = String::new();
    let mut buf_chars = 0usize;
    let mut buf_links = 0usize;
    let mut links_open = 0usize;
    let mut pre_open = 0usize;
    let mut tokens = Vec::new();

    fn flush(
        buf: &mut String,
        buf_chars: &mut usize,
        buf_links: &mut usize,
        owner: usize,
        elems: &[Elem],
        blocks: &mut Vec<Block>,
    ) {
        let text = buf.trim();
        if !text.is_empty() && owner != NONE {
            let tag = elems[owner].tag.as_str();
            let kind = match tag {
                "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => Kind::Heading,
                "p" | "blockquote" | "pre" => Kind::Para,
                _ => Kind::Other,
            };
            let chars = text.chars().count();
            blocks.push(Block {
                text: text.to_string(),
                chars,
                link_chars: (*buf_links).min(chars),
                owner,
                kind,
            });
        }
        buf.clear();
        *buf_chars = 0;
        *buf_links = 0;
    }

    for edge in doc.tree.root().traverse() {
        match edge {
            ego_tree::iter::Edge::Open(node) => {
                if skip.is_some() {
                    continue;
                }
                match node.value() {
                    Node::Element(el) => {
                        let tag = el.name();
                        if INVISIBLE.contains(&tag) || is_hidden(el) {
                            skip = Some(node.id());
                            continue;
                        }
                        if tag == "br" {
                            if pre_open == 0 {
                                buf.push('\n');
                            }
                            continue;
                        }
                        let parent = stack.last().map_or(NONE, |s| s.1);
                        tokens.clear();
                        if let Some(c) = el.attr("class") {
                            class_tokens(c, &mut tokens);
                        }
                        if let Some(c) = el.attr("id") {
                            class_tokens(c, &mut tokens);
                        }
                        let neg = tokens.iter().any(|t| NEGATIVE_TOKENS.contains(&t.as_str()));
                        let pos = tokens.iter().any(|t| POSITIVE_TOKENS.contains(&t.as_str()));
                        let role_neg = matches!(
                            el.attr("role"),
                            Some("navigation" | "banner" | "contentinfo" | "complementary" | "search" | "dialog" | "menu")
                        );
                        let mut weight = 0.0;
                        if neg {
                            weight -= 25.0;
                        }
                        if pos {
                            weight += 25.0;
                        }
                        let is_block = BLOCK.contains(&tag);
                        let idx = elems.len();
                        elems.push(Elem {
                            parent,
                            tag: tag.to_string(),
                            negative: ((neg && !pos) || role_neg || NEGATIVE_TAGS.contains(&tag))
                                && !matches!(tag, "body" | "html" | "main" | "article"),
                            class_weight: weight,
                            chars: 0,
                            link_chars: 0,
                            score: 0.0,
                            scored: false,
                        });
                        if is_block {
                            let owner = block_stack.last().copied().unwrap_or(NONE);
                            flush(&mut buf, &mut buf_chars, &mut buf_links, owner, &elems, &mut blocks);
                            block_stack.push(idx);
                        }
                        let is_link = tag == "a";
                        let is_pre = tag == "pre";
                        links_open += usize::from(is_link);
                        pre_open += usize::from(is_pre);
                        stack.push((node.id(), idx, is_block, is_link, is_pre));
                    }
                    Node::Text(t) => {
                        let mut n = 0usize;
                        if pre_open > 0 {
                            buf.push_str(t);
                            n = t.chars().count();
                        } else {
                            for (i, word) in t.split_whitespace().enumerate() {
                                let starts_ws = t.starts_with(char::is_whitespace);
                                if (i > 0 || starts_ws) && !buf.ends_with([' ', '\n']) && !buf.is_empty() {
                                    buf.push(' ');
                                }
                                buf.push_str(word);
                                n += word.chars().count();
                            }
                            if t.ends_with(char::is_whitespace) && !buf.ends_with([' ', '\n']) && !buf.is_empty() {
                                buf.push(' ');
                            }
                        }
                        buf_chars += n;
                        if links_open > 0 {
                            buf_links += n;
                        }
                    }
                    _ => {}
                }
            }
            ego_tree::iter::Edge::Close(node) => {
                if let Some(id) = skip {
                    if id == node.id() {
                        skip = None;
                    }
                    continue;
                }
                if !matches!(node.value(), Node::Element(_)) {
                    continue;
                }
                if stack.last().is_some_and(|s| s.0 == node.id()) {
                    let (_, idx, is_block, is_link, is_pre) = stack.pop().unwrap_or((node.id(), NONE, false, false, false));
                    if is_block {
                        flush(&mut buf, &mut buf_chars, &mut buf_links, idx, &elems, &mut blocks);
                        block_stack.pop();
                    }
                    links_open -= usize::from(is_link);
                    pre_open -= usize::from(is_pre);
                }
            }
        }
    }
    let owner = block_stack.last().copied().unwrap_or(NONE);
    flush(&mut buf, &mut buf_chars, &mut buf_links, owner, &elems, &mut blocks);
    // Subtree totals: children come after their parents.
    for b in &blocks {
        elems[b.owner].chars += b.chars;
        elems[b.owner].link_chars += b.link_chars;
    }
    for i in (0..elems.len()).rev() {
        let p = elems[i].parent;
        if p != NONE {
            let (c, l) = (elems[i].chars, elems[i].link_chars);
            elems[p].chars += c;
            elems[p].link_chars += l;
        }
    }
    Flat { elems, blocks }
}

fn tag_weight(tag: &str) -> f64 {
    match tag {
        "div" | "article" | "main" | "section" => 5.0,
        "pre" | "td" | "blockquote" => 3.0,
        "address" | "ol" | "ul" | "dl" | "dd" | "dt" | "li" | "form" => -3.0,
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "th" => -5.0,
        _ => 0.0,
    }
}

fn punct_count(s: &str) -> usize {
    s.chars().filter(|c| matches!(c, ',' | '，' | '、' | ';')).count()
}

fn norm_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// Chooses the blocks of the main text. Returns the kept block indices.
fn select_blocks(flat: &mut Flat, title: Option<&str>) -> Vec<usize> {
    let n = flat.elems.len();
    if n == 0 {
        return Vec::new();
    }
    let total = flat.elems[0].chars.max(1);
    // Furniture containers are dropped unless they hold most of the page.
    let mut dropped = vec![false; n];
    for i in 0..n {
        let p = flat.elems[i].parent;
        let inherited = p != NONE && dropped[p];
        dropped[i] = inherited || (flat.elems[i].negative && flat.elems[i].chars * 2 < total);
    }

    // Readability-style scoring of ancestors of paragraphs.
    for b in &flat.blocks {
        if dropped[b.owner] || b.chars < 25 || b.kind == Kind::Heading {
            continue;
        }
        let ld = b.link_chars as f64 / b.chars as f64;
        if ld > 0.5 {
            continue;
        }
        let score = 1.0 + punct_count(&b.text) as f64 + (b.chars as f64 / 100.0).min(3.0);
        let mut anc = if flat.elems[b.owner].tag == "p" || flat.elems[b.owner].tag == "pre" {
            flat.elems[b.owner].parent
        } else {
            b.owner
        };
        let mut level = 0usize;
        while anc != NONE && level < 5 {
            let e = &mut flat.elems[anc];
            if !e.scored {
                e.scored = true;
                e.score = tag_weight(&e.tag) + e.class_weight;
            }
            let div = match level {
                0 => 1.0,
                1 => 2.0,
                l => l as f64 * 3.0,
            };
            e.score += score / div;
            anc = e.parent;
            level += 1;
        }
    }
    let mut top = NONE;
    let mut top_score = f64::MIN;
    for (i, e) in flat.elems.iter().enumerate() {
        if !e.scored || dropped[i] || matches!(e.tag.as_str(), "html") {
            continue;
        }
        let ld = if e.chars > 0 { e.link_chars as f64 / e.chars as f64 } else { 0.0 };
        let s = e.score * (1.0 - ld);
        if s > top_score {
            top_score = s;
            top = i;
        }
    }

    let good = |b: &Block| -> bool {
        let ld = b.link_chars as f64 / b.chars.max(1) as f64;
        ld <= 0.5 && !is_boilerplate_line(&b.text)
    };
    let title_norm = title.map(norm_ws);
    let keep_block = |b: &Block, dropped: &[bool]| -> bool {
        if dropped[b.owner] || !good(b) {
            return false;
        }
        if b.kind == Kind::Heading && title_norm.as_deref() == Some(norm_ws(&b.text).as_str()) {
            return false;
        }
        true
    };

    let mut selected = vec![false; n];
    if top != NONE {
        selected[top] = true;
        let parent = flat.elems[top].parent;
        if parent != NONE {
            let threshold = (top_score * 0.2).max(10.0);
            for i in 0..n {
                if i == top || flat.elems[i].parent != parent || dropped[i] {
                    continue;
                }
                let e = &flat.elems[i];
                let ld = if e.chars > 0 { e.link_chars as f64 / e.chars as f64 } else { 0.0 };
                let s = e.score * (1.0 - ld);
                let para_like = e.tag == "p" && ((e.chars > 80 && ld < 0.25) || (e.chars > 0 && ld == 0.0));
                if (e.scored && s >= threshold) || para_like {
                    selected[i] = true;
                }
            }
        }
    }
    let mut inside = vec![false; n];
    for i in 0..n {
        let p = flat.elems[i].parent;
        inside[i] = selected[i] || (p != NONE && inside[p]);
    }
    let chosen: Vec<usize> = (0..flat.blocks.len())
        .filter(|&i| inside[flat.blocks[i].owner] && keep_block(&flat.blocks[i], &dropped))
        .collect();
    let chosen_chars: usize = chosen.iter().map(|&i| flat.blocks[i].chars).sum();

    // Recall fallback: good prose blocks anywhere on the page.
    let prose: Vec<usize> = (0..flat.blocks.len())
        .filter(|&i| {
            let b = &flat.blocks[i];
            keep_block(b, &dropped) && b.chars >= 80 && (b.link_chars as f64) < 0.3 * b.chars as f64
        })
        .collect();
    let prose_chars: usize = prose.iter().map(|&i| flat.blocks[i].chars).sum();
    if chosen_chars < 250 && prose_chars > chosen_chars * 2 {
        return prose;
    }
    chosen
}

fn meta_content<'a>(doc: &'a Html, sel: &Selector, keys: &[&str]) -> Option<&'a str> {
    for key in keys {
        for el in doc.select(sel) {
            let v = el.value();
            let name = v.attr("property").or_else(|| v.attr("name")).or_else(|| v.attr("itemprop"));
            if name.is_some_and(|n| n.eq_ignore_ascii_case(key)) {
                if let Some(c) = v.attr("content").map(str::trim).filter(|c| !c.is_empty()) {
                    return Some(c);
                }
            }
        }
    }
    None
}

fn element_text(el: scraper::ElementRef<'_>) -> String {
    el.text().collect::<Vec<_>>().join(" ").split_whitespace().collect::<Vec<_>>().join(" ")
}

fn clean_title(t: &str) -> String {
    let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
    for sep in [" | ", " – ", " — ", " - ", " :: ", " « ", " » "] {
        if t.contains(sep) {
            if let Some(best) = t.split(sep).max_by_key(|p| p.chars().count()) {
                return best.trim().to_string();
            }
        }
    }
    t
}

fn absolutize(href: &str, base: Option<&str>) -> String {
    let href = href.trim();
    if href.starts_with("http://") || href.starts_with("https://") {
        return href.to_string();
    }
    if let Some(base) = base {
        if let Some(scheme_end) = base.find("://") {
            let host_end = base[scheme_end + 3..].find('/').map_or(base.len(), |i| scheme_end + 3 + i);
            if let Some(rest) = href.strip_prefix("//") {
                return format!("{}//{rest}", &base[..scheme_end + 1]);
            }
            if href.starts_with('/') {
                return format!("{}{href}", &base[..host_end]);
            }
        }
    }
    href.to_string()
}

fn sel(s: &str) -> Option<Selector> {
    Selector::parse(s).ok()
}

struct Meta {
    title: Option<String>,
    published: Option<String>,
    author: Option<String>,
    canonical: Option<String>,
}

fn metadata(doc: &Html, url: Option<&str>) -> Meta {
    let mut m = Meta { title: None, published: None, author: None, canonical: None };
    let (Some(meta), Some(link), Some(ld), Some(title), Some(h1), Some(time)) = (
        sel("meta"),
        sel("link[rel]"),
        sel("script[type]"),
        sel("title"),
        sel("h1"),
        sel("time[datetime]"),
    ) else {
        return m;
    };
    let json_ld: Vec<serde_json::Value> = doc
        .select(&ld)
        .filter(|e| e.value().attr("type").is_some_and(|t| t.eq_ignore_ascii_case("application/ld+json")))
        .filter_map(|e| serde_json::from_str(&e.text().collect::<String>()).ok())
        .collect();

    let h1_text = doc.select(&h1).map(element_text).find(|t| (3..=300).contains(&t.chars().count()));
    m.title = meta_content(doc, &meta, &["og:title", "twitter:title"])
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
        .or(h1_text)
        .or_else(|| doc.select(&title).map(|t| clean_title(&element_text(t))).find(|t| !t.is_empty()));

    m.published = meta_content(
        doc,
        &meta,
        &[
            "article:published_time", "og:published_time", "og:article:published_time", "datePublished",
            "pubdate", "publishdate", "publish-date", "date", "dc.date.issued", "dc.date", "dcterms.date",
            "dcterms.created", "sailthru.date", "parsely-pub-date", "citation_publication_date",
        ],
    )
    .and_then(normalize_date)
    .or_else(|| {
        json_ld
            .iter()
            .filter_map(|v| json_ld_find(v, "datePublished"))
            .filter_map(|v| v.as_str())
            .find_map(normalize_date)
    })
    .or_else(|| doc.select(&time).filter_map(|t| t.value().attr("datetime")).find_map(normalize_date));

    m.author = meta_content(doc, &meta, &["author", "article:author", "sailthru.author", "parsely-author", "dc.creator"])
        .filter(|a| !a.starts_with("http"))
        .map(str::to_string)
        .or_else(|| json_ld.iter().filter_map(|v| json_ld_find(v, "author")).find_map(json_ld_name))
        .or_else(|| {
            sel("[rel=author], [itemprop=author]")
                .and_then(|s| doc.select(&s).map(element_text).find(|t| (2..=100).contains(&t.chars().count())))
        });

    m.canonical = doc
        .select(&link)
        .find(|l| l.value().attr("rel").is_some_and(|r| r.split_whitespace().any(|t| t.eq_ignore_ascii_case("canonical"))))
        .and_then(|l| l.value().attr("href"))
        .filter(|h| !h.trim().is_empty())
        .map(|h| absolutize(h, url))
        .or_else(|| meta_content(doc, &meta, &["og:url"]).map(|h| absolutize(h, url)));
    m
}

/// Extracts the main text and metadata of an HTML page.
pub fn extract_html(html: &str, url: Option<&str>) -> HtmlArticle {
    let doc = Html::parse_document(html);
    let meta = metadata(&doc, url);
    let mut flat = flatten(&doc);
    let total: usize = flat.blocks.iter().map(|b| b.chars).sum();
    let kept = select_blocks(&mut flat, meta.title.as_deref());
    let mut text = String::new();
    for &i in &kept {
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        text.push_str(&flat.blocks[i].text);
    }
    let kept_chars: usize = kept.iter().map(|&i| flat.blocks[i].chars).sum();
    HtmlArticle {
        title: meta.title,
        text,
        boilerplate_chars: total.saturating_sub(kept_chars),
        published: meta.published,
        author: meta.author,
        canonical_url: meta.canonical,
    }
}
