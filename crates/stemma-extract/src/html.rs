//! HTML extraction: parse with html5ever (via `scraper`), flatten the DOM
//! into text blocks with one iterative walk, choose the container that holds
//! the most prose net of furniture, then drop boilerplate blocks inside it
//! (see [`select_blocks`]).
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
    /// Sites named as the page's source by lines left out of `text` (a
    /// credit styled as page furniture, a footer "Source: bbc.co.uk")
    /// among or just after the article's blocks.
    pub credits: Vec<String>,
}

/// Elements whose content is never visible text.
const INVISIBLE: &[&str] = &[
    "head", "script", "style", "noscript", "template", "svg", "math", "canvas", "iframe", "object",
    "embed", "video", "audio", "select", "option", "button", "input", "textarea", "map", "dialog",
    "title", "meta", "link", "rt", "rp",
];

/// Elements that start a new block of text.
const BLOCK: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "table",
    "tr",
    "td",
    "th",
    "thead",
    "tbody",
    "tfoot",
    "caption",
    "figure",
    "figcaption",
    "header",
    "footer",
    "nav",
    "aside",
    "form",
    "fieldset",
    "address",
    "center",
    "details",
    "summary",
    "hr",
    "body",
    "html",
    "menu",
    "legend",
    "label",
];

/// Structural elements that hold page furniture.
const NEGATIVE_TAGS: &[&str] = &[
    "nav",
    "aside",
    "footer",
    "header",
    "figcaption",
    "menu",
    "form",
    "label",
];

/// Class/id tokens that mark furniture only when the container is link-heavy
/// or small (they also name layout boxes that hold article text).
const WEAK_TOKENS: &[&str] = &[
    "sidebar",
    "widget",
    "widgets",
    "bottom",
    "header",
    "hidden",
    "date",
    "print",
    "teaser",
    "teasers",
    "foot",
    "more",
    "tools",
    "masthead",
    "toolbar",
    "pagination",
    "pager",
    "tags",
    "tagcloud",
    "follow",
    "overlay",
    "alert",
    "notice",
    "cta",
    "jump",
    "topbar",
    "caption",
    "credit",
    "credits",
    "comment",
    "comments",
    "banner",
    "paywall",
    "ads",
    "ad",
];

/// Class/id tokens of furniture containers.
const NEGATIVE_TOKENS: &[&str] = &[
    "comment",
    "comments",
    "share",
    "sharing",
    "social",
    "socials",
    "related",
    "recommended",
    "recommendations",
    "nav",
    "navbar",
    "navigation",
    "menu",
    "breadcrumb",
    "breadcrumbs",
    "footer",
    "sidebar",
    "cookie",
    "cookies",
    "consent",
    "gdpr",
    "newsletter",
    "subscribe",
    "subscription",
    "promo",
    "advert",
    "advertisement",
    "ads",
    "ad",
    "adsense",
    "banner",
    "sponsor",
    "sponsored",
    "popup",
    "modal",
    "widget",
    "widgets",
    "signup",
    "login",
    "paywall",
    "tags",
    "tagcloud",
    "caption",
    "credit",
    "credits",
    "print",
    "toolbar",
    "pagination",
    "pager",
    "masthead",
    "rating",
    "sr",
    "hidden",
    "teaser",
    "teasers",
    "outbrain",
    "taboola",
    "disqus",
    "author",
    "byline",
    "meta",
    "date",
    "skip",
    "header",
    "topbar",
    "donate",
    "donation",
    "more",
    "tools",
    "follow",
    "shariff",
    "overlay",
    "alert",
    "notice",
    "bottom",
    "foot",
    "cta",
    "jump",
    "bio",
    "authorbox",
    "respond",
    "reply",
    "disclaimer",
    "profile",
    "signature",
    "rating",
];

/// Class/id tokens of content containers.
const POSITIVE_TOKENS: &[&str] = &[
    "article",
    "articlebody",
    "body",
    "content",
    "entry",
    "main",
    "post",
    "text",
    "blog",
    "story",
    "prose",
    "richtext",
    "storycontent",
    "hentry",
];

#[derive(Debug)]
struct Elem {
    parent: usize,
    /// Furniture only if link-heavy or small.
    weak: bool,
    /// Why the element counts as furniture (tag, role or class token).
    reason: String,
    tag: String,
    negative: bool,
    chars: usize,
    link_chars: usize,
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
        let s: String = style
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
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
        let joined;
        let text = if buf.contains('\n') && owner != NONE && elems[owner].tag != "pre" {
            joined = buf
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join("\n");
            joined.as_str()
        } else {
            buf.trim()
        };
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
                        let role_neg = matches!(
                            el.attr("role"),
                            Some(
                                "navigation"
                                    | "banner"
                                    | "contentinfo"
                                    | "complementary"
                                    | "search"
                                    | "dialog"
                                    | "menu"
                            )
                        );
                        tokens.clear();
                        if let Some(c) = el.attr("class") {
                            class_tokens(c, &mut tokens);
                        }
                        if let Some(c) = el.attr("id") {
                            class_tokens(c, &mut tokens);
                        }
                        let strong_tok = tokens
                            .iter()
                            .find(|t| {
                                NEGATIVE_TOKENS.contains(&t.as_str())
                                    && !WEAK_TOKENS.contains(&t.as_str())
                            })
                            .cloned();
                        let weak_tok = tokens
                            .iter()
                            .find(|t| WEAK_TOKENS.contains(&t.as_str()))
                            .cloned();
                        let weak = strong_tok.is_none()
                            && !role_neg
                            && (weak_tok.is_some() || tag == "header");
                        let neg_tok = strong_tok.or(weak_tok);
                        let neg = neg_tok.is_some();
                        let pos = tokens.iter().any(|t| POSITIVE_TOKENS.contains(&t.as_str()));
                        let is_block = BLOCK.contains(&tag);
                        let idx = elems.len();
                        let reason = if NEGATIVE_TAGS.contains(&tag) {
                            tag.to_string()
                        } else if role_neg {
                            format!("role={}", el.attr("role").unwrap_or_default())
                        } else {
                            format!("{tag}.{}", neg_tok.unwrap_or_default())
                        };
                        elems.push(Elem {
                            parent,
                            weak,
                            reason,
                            tag: tag.to_string(),
                            negative: ((neg && !pos) || role_neg || NEGATIVE_TAGS.contains(&tag))
                                && !matches!(tag, "body" | "html" | "main" | "article"),
                            chars: 0,
                            link_chars: 0,
                        });
                        if is_block {
                            let owner = block_stack.last().copied().unwrap_or(NONE);
                            flush(
                                &mut buf,
                                &mut buf_chars,
                                &mut buf_links,
                                owner,
                                &elems,
                                &mut blocks,
                            );
                            block_stack.push(idx);
                        }
                        let is_link = tag == "a";
                        let is_pre = tag == "pre";
                        links_open += usize::from(is_link);
                        pre_open += usize::from(is_pre);
                        stack.push((node.id(), idx, is_block, is_link, is_pre));
                    }
                    Node::Text(t) => {
                        // Soft hyphens and zero-width marks are invisible.
                        let cleaned;
                        let t: &str = if t.contains(['\u{ad}', '\u{200b}', '\u{2060}', '\u{feff}'])
                        {
                            cleaned = t.replace(['\u{ad}', '\u{200b}', '\u{2060}', '\u{feff}'], "");
                            &cleaned
                        } else {
                            t
                        };
                        let mut n = 0usize;
                        if pre_open > 0 {
                            buf.push_str(t);
                            n = t.chars().count();
                        } else {
                            for (i, word) in t.split_whitespace().enumerate() {
                                let starts_ws = t.starts_with(char::is_whitespace);
                                if (i > 0 || starts_ws)
                                    && !buf.ends_with([' ', '\n'])
                                    && !buf.is_empty()
                                {
                                    buf.push(' ');
                                }
                                buf.push_str(word);
                                n += word.chars().count();
                            }
                            if t.ends_with(char::is_whitespace)
                                && !buf.ends_with([' ', '\n'])
                                && !buf.is_empty()
                            {
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
                    let (_, idx, is_block, is_link, is_pre) =
                        stack
                            .pop()
                            .unwrap_or((node.id(), NONE, false, false, false));
                    if is_block {
                        flush(
                            &mut buf,
                            &mut buf_chars,
                            &mut buf_links,
                            idx,
                            &elems,
                            &mut blocks,
                        );
                        block_stack.pop();
                    }
                    links_open -= usize::from(is_link);
                    pre_open -= usize::from(is_pre);
                }
            }
        }
    }
    let owner = block_stack.last().copied().unwrap_or(NONE);
    flush(
        &mut buf,
        &mut buf_chars,
        &mut buf_links,
        owner,
        &elems,
        &mut blocks,
    );
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

fn norm_ws(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The element whose blocks add up to the most prose: each prose block counts
/// its characters, each link-heavy or boilerplate block `-alpha` times its
/// characters, short blocks half that. Returns the element, its value, and
/// every element's value.
fn best_container(flat: &Flat, dropped: &[bool], alpha: f64) -> (usize, f64, Vec<f64>) {
    let n = flat.elems.len();
    let mut value = vec![0.0f64; n];
    for b in &flat.blocks {
        if dropped[b.owner] {
            continue;
        }
        let v = if b.link_chars * 10 > b.chars * 3 || is_boilerplate_line(&b.text) {
            -alpha * b.chars as f64
        } else if b.kind == Kind::Heading {
            0.0
        } else if b.chars >= 40 {
            b.chars as f64
        } else {
            -0.5 * alpha * b.chars as f64
        };
        value[b.owner] += v;
    }
    for i in (1..n).rev() {
        let p = flat.elems[i].parent;
        if p != NONE {
            value[p] += value[i];
        }
    }
    let mut top = NONE;
    let mut top_score = f64::MIN;
    for (i, v) in value.iter().enumerate() {
        if !dropped[i] && *v > top_score {
            top_score = *v;
            top = i;
        }
    }
    (top, top_score, value)
}

/// Weight of link-heavy and boilerplate text against prose when choosing the
/// container (small: a wide container, for recall).
const ALPHA_WIDE: f64 = 0.3;
/// The same weight for the core container (large: the dense article body).
const ALPHA_CORE: f64 = 2.0;
/// Dropped characters after the core that cut off any later kept text.
const BARRIER_CHARS: usize = 150;
/// How many ancestor levels of the container look for prose siblings.
const SIBLING_LEVELS: usize = 2;
/// Net prose characters a sibling needs to join the container.
const SIBLING_MIN_VALUE: f64 = 100.0;

/// Chooses the blocks of the main text. Returns the kept block indices and,
/// for every block, why it was kept or dropped.
///
/// 1. Furniture containers (by tag, role, class/id) are dropped, unless they
///    hold half the page; weak class names only when link-heavy or small.
/// 2. The wide container maximises prose minus `ALPHA_WIDE` x furniture;
///    prose-holding siblings of it and its parent join it.
/// 3. Inside it, link-heavy, boilerplate-shaped and title blocks go.
/// 4. Short blocks that lead into dropped blocks go (labels of link lists).
/// 5. After the core container (`ALPHA_CORE`), text behind a barrier of
///    dropped text goes (author boxes, comment forms, teasers).
fn select_blocks(flat: &Flat, title: Option<&str>) -> (Vec<usize>, Vec<&'static str>) {
    let n = flat.elems.len();
    if n == 0 {
        return (Vec::new(), Vec::new());
    }
    let total = flat.elems[0].chars.max(1);
    let mut dropped = vec![false; n];
    for i in 0..n {
        let e = &flat.elems[i];
        let p = e.parent;
        let inherited = p != NONE && dropped[p];
        let weak_ok = !e.weak || e.link_chars * 10 >= e.chars * 3 || e.chars < 200;
        dropped[i] = inherited || (e.negative && weak_ok && e.chars * 2 < total);
    }

    let (top, _, value) = best_container(flat, &dropped, ALPHA_WIDE);
    let core = best_container(flat, &dropped, ALPHA_CORE).0;

    let mut selected = vec![false; n];
    if top != NONE {
        selected[top] = true;
        let mut children_of: std::collections::HashMap<usize, Vec<usize>> =
            std::collections::HashMap::new();
        for (i, e) in flat.elems.iter().enumerate() {
            if e.parent != NONE {
                children_of.entry(e.parent).or_default().push(i);
            }
        }
        let mut node = top;
        for _ in 0..SIBLING_LEVELS {
            let p = flat.elems[node].parent;
            if p == NONE || matches!(flat.elems[p].tag.as_str(), "body" | "html") {
                break;
            }
            for &c in children_of.get(&p).map_or(&[][..], Vec::as_slice) {
                let e = &flat.elems[c];
                if c != node
                    && !dropped[c]
                    && value[c] >= SIBLING_MIN_VALUE
                    && e.link_chars * 5 < e.chars
                {
                    selected[c] = true;
                }
            }
            node = p;
        }
    }
    let mut inside = vec![false; n];
    for i in 0..n {
        let p = flat.elems[i].parent;
        inside[i] = selected[i] || (p != NONE && inside[p]);
    }

    let title_norm = title.map(norm_ws);
    let mut status: Vec<&'static str> = flat
        .blocks
        .iter()
        .map(|b| {
            if dropped[b.owner] {
                "furniture"
            } else if b.link_chars * 2 > b.chars && !is_cited_address(&b.text) {
                "links"
            } else if is_boilerplate_line(&b.text) {
                "shape"
            } else if b.kind == Kind::Heading
                && title_norm.as_deref() == Some(norm_ws(&b.text).as_str())
            {
                "title"
            } else if !inside[b.owner] {
                "outside"
            } else {
                "kept"
            }
        })
        .collect();

    // Context: a short block (heading, label) belongs to the text when kept
    // text follows it; one followed by dropped blocks introduces furniture
    // ("Related posts" over a link list) and goes too. A closing credit
    // ("Source: bbc.co.uk") is the article's own line, and stays; inside
    // the text such a line captions a chart or a photo.
    let before = status.clone();
    let last_kept = before.iter().rposition(|s| *s == "kept");
    let is_short = |i: usize| {
        let b = &flat.blocks[i];
        b.chars < 50
            && !b.text.trim_end().ends_with(['.', '!', '?', ')', '"', '”'])
            && (Some(i) != last_kept || crate::cited_sources(&b.text).is_empty())
    };
    for i in 0..flat.blocks.len() {
        if before[i] == "kept" && is_short(i) && before.get(i + 1).is_none_or(|s| *s != "kept") {
            status[i] = "label";
        }
    }
    barrier_trim(flat, core, &mut status);
    let kept: Vec<usize> = (0..flat.blocks.len())
        .filter(|&i| status[i] == "kept")
        .collect();

    // Recall fallback: when the container gave almost nothing, take the
    // prose blocks of the whole page.
    let kept_chars: usize = kept.iter().map(|&i| flat.blocks[i].chars).sum();
    let prose: Vec<usize> = (0..flat.blocks.len())
        .filter(|&i| {
            let b = &flat.blocks[i];
            matches!(status[i], "kept" | "outside" | "label" | "barrier")
                && b.chars >= 80
                && b.link_chars * 10 < b.chars * 3
        })
        .collect();
    let prose_chars: usize = prose.iter().map(|&i| flat.blocks[i].chars).sum();
    if kept.is_empty() && prose.is_empty() {
        // A tiny page: all of its visible, non-furniture text.
        let all: Vec<usize> = (0..flat.blocks.len())
            .filter(|&i| matches!(status[i], "kept" | "outside" | "label" | "barrier"))
            .collect();
        for i in &all {
            status[*i] = "kept";
        }
        return (all, status);
    }
    if kept_chars < 250 && prose_chars > kept_chars * 2 {
        for i in &prose {
            status[*i] = "kept";
        }
        return (prose, status);
    }
    (kept, status)
}

/// Whether a block is just a spelled-out web or mail address: a reference
/// the text gives, not navigation.
fn is_cited_address(text: &str) -> bool {
    let t = text.trim();
    !t.contains(char::is_whitespace)
        && (t.starts_with("http://")
            || t.starts_with("https://")
            || t.starts_with("www.")
            || (t.contains('@') && t.contains('.')))
}

/// Drops kept blocks after the core container that are separated from it by
/// a run of at least `BARRIER_CHARS` dropped characters.
fn barrier_trim(flat: &Flat, core: usize, status: &mut [&'static str]) {
    if core == NONE {
        return;
    }
    let n = flat.elems.len();
    let mut in_core = vec![false; n];
    for i in 0..n {
        let p = flat.elems[i].parent;
        in_core[i] = i == core || (p != NONE && in_core[p]);
    }
    let Some(last) = (0..flat.blocks.len())
        .rev()
        .find(|&i| status[i] == "kept" && in_core[flat.blocks[i].owner])
    else {
        return;
    };
    let mut gap = 0usize;
    let mut cut = false;
    for i in last + 1..flat.blocks.len() {
        if status[i] == "kept" {
            if in_core[flat.blocks[i].owner] {
                gap = 0;
                continue;
            }
            if cut || gap >= BARRIER_CHARS {
                cut = true;
                status[i] = "barrier";
            }
            gap = 0;
        } else {
            gap += flat.blocks[i].chars;
        }
    }
}

fn meta_content<'a>(doc: &'a Html, sel: &Selector, keys: &[&str]) -> Option<&'a str> {
    for key in keys {
        for el in doc.select(sel) {
            let v = el.value();
            let name = v
                .attr("property")
                .or_else(|| v.attr("name"))
                .or_else(|| v.attr("itemprop"));
            if name.is_some_and(|n| n.eq_ignore_ascii_case(key))
                && let Some(c) = v.attr("content").map(str::trim).filter(|c| !c.is_empty())
            {
                return Some(c);
            }
        }
    }
    None
}

fn element_text(el: scraper::ElementRef<'_>) -> String {
    el.text()
        .collect::<Vec<_>>()
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn clean_title(t: &str) -> String {
    let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
    // "Headline | Site": the first part, unless it is a short site name
    // before a longer headline ("Site - Headline").
    for sep in [" | ", " – ", " — ", " - ", " :: ", " « ", " » "] {
        if t.contains(sep) {
            let first = t.split(sep).next().unwrap_or(&t).trim();
            let longest = t
                .split(sep)
                .max_by_key(|p| p.chars().count())
                .unwrap_or(first)
                .trim();
            let pick = if first.split_whitespace().count() >= 3 {
                first
            } else {
                longest
            };
            return pick.to_string();
        }
    }
    t
}

fn absolutize(href: &str, base: Option<&str>) -> String {
    let href = href.trim();
    if href.starts_with("http://") || href.starts_with("https://") {
        return href.to_string();
    }
    if let Some(base) = base
        && let Some(scheme_end) = base.find("://")
    {
        let host_end = base[scheme_end + 3..]
            .find('/')
            .map_or(base.len(), |i| scheme_end + 3 + i);
        if let Some(rest) = href.strip_prefix("//") {
            return format!("{}//{rest}", &base[..scheme_end + 1]);
        }
        if href.starts_with('/') {
            return format!("{}{href}", &base[..host_end]);
        }
    }
    href.to_string()
}

fn sel(s: &str) -> Option<Selector> {
    Selector::parse(s).ok()
}

struct Meta {
    /// JSON-LD `articleBody`, for pages that render their text with script.
    body: Option<String>,
    title: Option<String>,
    published: Option<String>,
    author: Option<String>,
    canonical: Option<String>,
}

fn metadata(doc: &Html, url: Option<&str>) -> Meta {
    let mut m = Meta {
        body: None,
        title: None,
        published: None,
        author: None,
        canonical: None,
    };
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
        .filter(|e| {
            e.value()
                .attr("type")
                .is_some_and(|t| t.eq_ignore_ascii_case("application/ld+json"))
        })
        .filter_map(|e| serde_json::from_str(&e.text().collect::<String>()).ok())
        .collect();
    m.body = json_ld
        .iter()
        .filter_map(|v| json_ld_find(v, "articleBody"))
        .filter_map(|v| v.as_str())
        .map(str::trim)
        .find(|b| !b.is_empty())
        .map(str::to_string);

    let h1_text = doc
        .select(&h1)
        .map(element_text)
        .find(|t| (3..=300).contains(&t.chars().count()));
    m.title = meta_content(doc, &meta, &["og:title", "twitter:title"])
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
        .or(h1_text)
        .or_else(|| {
            doc.select(&title)
                .map(|t| clean_title(&element_text(t)))
                .find(|t| !t.is_empty())
        });

    m.published = meta_content(
        doc,
        &meta,
        &[
            "article:published_time",
            "og:published_time",
            "og:article:published_time",
            "datePublished",
            "pubdate",
            "publishdate",
            "publish-date",
            "date",
            "dc.date.issued",
            "dc.date",
            "dcterms.date",
            "dcterms.created",
            "sailthru.date",
            "parsely-pub-date",
            "citation_publication_date",
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
    .or_else(|| {
        doc.select(&time)
            .filter_map(|t| t.value().attr("datetime"))
            .find_map(normalize_date)
    });

    m.author = meta_content(
        doc,
        &meta,
        &[
            "author",
            "article:author",
            "sailthru.author",
            "parsely-author",
            "dc.creator",
        ],
    )
    .filter(|a| !a.starts_with("http"))
    .map(str::to_string)
    .or_else(|| {
        json_ld
            .iter()
            .filter_map(|v| json_ld_find(v, "author"))
            .find_map(json_ld_name)
    })
    .or_else(|| {
        sel("[rel=author], [itemprop=author]").and_then(|s| {
            doc.select(&s)
                .map(element_text)
                .find(|t| (2..=100).contains(&t.chars().count()))
        })
    });

    m.canonical = doc
        .select(&link)
        .find(|l| {
            l.value().attr("rel").is_some_and(|r| {
                r.split_whitespace()
                    .any(|t| t.eq_ignore_ascii_case("canonical"))
            })
        })
        .and_then(|l| l.value().attr("href"))
        .filter(|h| !h.trim().is_empty())
        .map(|h| absolutize(h, url))
        .or_else(|| meta_content(doc, &meta, &["og:url"]).map(|h| absolutize(h, url)));
    m
}

/// Nesting beyond which the page is treated as degenerate: the HTML parser's
/// scope checks walk the stack of open elements, so its time grows with the
/// square of the depth.
const MAX_DEPTH: usize = 4_000;

const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "!doctype",
];

/// A quick upper estimate of the element nesting depth of `html`.
fn nesting_depth(html: &str) -> usize {
    let b = html.as_bytes();
    let (mut depth, mut max) = (0usize, 0usize);
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'<' {
            i += 1;
            continue;
        }
        if b.get(i + 1) == Some(&b'/') {
            depth = depth.saturating_sub(1);
            i += 2;
            continue;
        }
        let start = i + 1;
        let mut j = start;
        while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'!') {
            j += 1;
        }
        if j > start {
            let name = html[start..j].to_ascii_lowercase();
            let end = b[j..]
                .iter()
                .position(|&c| c == b'>')
                .map_or(b.len(), |p| j + p);
            let self_closing = end > 0 && b.get(end - 1) == Some(&b'/');
            if !VOID.contains(&name.as_str()) && !self_closing {
                depth += 1;
                max = max.max(depth);
            }
            i = end;
        } else {
            i += 1;
        }
    }
    max
}

/// The visible text of a degenerate page, tags stripped, one block per line.
fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for ch in html.chars() {
        match ch {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                if !out.ends_with('\n') {
                    out.push('\n');
                }
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Extracts the main text and metadata of an HTML page.
pub fn extract_html(html: &str, url: Option<&str>) -> HtmlArticle {
    if nesting_depth(html) > MAX_DEPTH {
        let text = strip_tags(html);
        return HtmlArticle {
            text,
            ..Default::default()
        };
    }
    let doc = Html::parse_document(html);
    let meta = metadata(&doc, url);
    let flat = flatten(&doc);
    let total: usize = flat.blocks.iter().map(|b| b.chars).sum();
    let (kept, _) = select_blocks(&flat, meta.title.as_deref());
    let credits = credits_beside(&flat, &kept);
    let mut text = String::new();
    for &i in &kept {
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        text.push_str(&flat.blocks[i].text);
    }
    let mut kept_chars: usize = kept.iter().map(|&i| flat.blocks[i].chars).sum();
    // Script-rendered pages: the JSON-LD body when the markup had little.
    if let Some(body) = meta.body.as_deref() {
        let body_chars = body.chars().count();
        if kept_chars < 150 && body_chars > 2 * kept_chars.max(100) {
            text = body
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join("\n\n");
            kept_chars = text.chars().count();
        }
    }
    HtmlArticle {
        title: meta.title,
        text,
        boilerplate_chars: total.saturating_sub(kept_chars),
        published: meta.published,
        author: meta.author,
        canonical_url: meta.canonical,
        credits,
    }
}

/// How many blocks after the article's last kept block may hold its credit.
const CREDIT_REACH: usize = 3;

/// The sites that blocks left out of the text, between the first kept
/// block and [`CREDIT_REACH`] blocks after the last, name as the page's
/// source ("Source: bbc.co.uk"): a credit line styled as a caption, or the
/// footer right under the article. Further away, a "Source:" line belongs
/// to some other item of the page. Up to [`CREDIT_REACH`] blocks above
/// the text, an agency's byline counts ("By The Associated Press"); inside
/// the text, a plain "Source:" line captions a chart or a photo, and only
/// the other markers count ("Originally published on").
fn credits_beside(flat: &Flat, kept: &[usize]) -> Vec<String> {
    let (Some(&first), Some(&last)) = (kept.first(), kept.last()) else {
        return Vec::new();
    };
    let end = (last + 1 + CREDIT_REACH).min(flat.blocks.len());
    let mut out: Vec<String> = Vec::new();
    // Above the text, only an agency's byline or dateline: a "Source:" line
    // there may caption some other item.
    for b in &flat.blocks[first.saturating_sub(CREDIT_REACH)..first] {
        for line in b.text.lines() {
            for d in crate::cited::wire_credits(line) {
                crate::cited::add_site(&mut out, d);
            }
        }
    }
    for i in first..end {
        if kept.binary_search(&i).is_ok() {
            continue;
        }
        for line in flat.blocks[i].text.lines() {
            crate::cited::credits_of_line(line, i > last, &mut out);
        }
    }
    out
}

/// Every text block of a page with the reason it was kept (`"kept"`) or
/// dropped (`"furniture"`, `"links"`, `"shape"`, `"title"`, `"outside"`).
/// For tuning and debugging.
#[doc(hidden)]
pub fn explain_html(html: &str) -> Vec<(String, String)> {
    let doc = Html::parse_document(html);
    let meta = metadata(&doc, None);
    let flat = flatten(&doc);
    let (_, status) = select_blocks(&flat, meta.title.as_deref());
    let total = flat.elems.first().map_or(0, |e| e.chars);
    let mut out = Vec::new();
    for (b, st) in flat.blocks.iter().zip(status) {
        let mut st = st.to_string();
        if st == "furniture" {
            let mut e = b.owner;
            let mut last = String::new();
            while e != NONE {
                if flat.elems[e].negative && flat.elems[e].chars * 2 < total {
                    last = flat.elems[e].reason.clone();
                }
                e = flat.elems[e].parent;
            }
            st = format!("furniture:{last}");
        }
        out.push((b.text.clone(), st));
    }
    out
}
