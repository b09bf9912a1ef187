//! A synonym table: which words (and a few multiword phrases) may stand in
//! for each other. Parsed from text the caller has read (Debian's
//! `mythes-en-us` or WordNet data files), plus a small built-in table of the
//! odd swaps article spinners make. Pure: no I/O.
use std::collections::HashMap;

/// Swaps that article spinners make and general thesauri lack, written for
/// this project. Each row is a group of interchangeable words or phrases.
const SPINNER_SWAPS: &[&[&str]] = &[
    &["ireland", "eire"],
    &[
        "last year",
        "final 12 months",
        "past year",
        "final yr",
        "last yr",
    ],
    &["officials", "officers", "authorities"],
    &["official", "officer"],
    &["overnight", "in a single day", "in one day"],
    &["meeting", "assembly", "gathering", "conference"],
    &["said", "stated", "mentioned", "told", "added"],
    &["says", "states", "mentions"],
    &["people", "individuals", "persons", "folks"],
    &["government", "authorities", "administration"],
    &["company", "firm", "agency", "enterprise", "business"],
    &["police", "law enforcement"],
    &["percent", "per cent", "%"],
    &["million", "mn", "m"],
    &["billion", "bn"],
    &["tuesday", "tue"],
    &["year", "yr", "12 months"],
    &["years", "yrs"],
    &["week", "seven days"],
    &["month", "30 days"],
    &["however", "nevertheless", "nonetheless", "but"],
    &["also", "additionally", "moreover", "furthermore"],
    &["about", "approximately", "roughly", "around"],
    &["help", "assist", "aid"],
    &["show", "present", "exhibit", "display"],
    &["big", "large", "huge", "massive"],
    &["small", "little", "tiny"],
    &["begin", "start", "commence"],
    &["end", "finish", "conclude"],
    &["buy", "purchase", "acquire"],
    &["use", "utilise", "utilize", "employ"],
    &["need", "require"],
    &["get", "obtain", "receive", "acquire"],
    &["important", "vital", "crucial", "essential", "key"],
    &["increase", "rise", "growth", "boost"],
    &["decrease", "fall", "drop", "decline"],
    &["country", "nation"],
    &["minister", "secretary"],
    &["prime minister", "pm", "premier"],
    &["children", "kids", "youngsters"],
    &["man", "male", "gentleman"],
    &["woman", "female", "lady"],
];

/// Words that may replace each other. Lookups are by lower-cased word or
/// phrase (words joined by single spaces).
#[derive(Debug, Clone, Default)]
pub struct Thesaurus {
    ids: HashMap<String, u32>,
    /// Sorted, deduplicated synonym ids per word id.
    syn: Vec<Vec<u32>>,
    /// How often each lemma occurs in a sense-tagged corpus (WordNet's
    /// `cntlist.rev`, summed over senses); empty when not loaded.
    counts: HashMap<String, u32>,
}

impl Thesaurus {
    /// An empty thesaurus.
    pub fn new() -> Self {
        Self::default()
    }

    /// Only the built-in table of spinner swaps.
    pub fn builtin() -> Self {
        let mut t = Self::new();
        t.add_builtin();
        t
    }

    /// Adds the built-in table of spinner swaps.
    pub fn add_builtin(&mut self) {
        for group in SPINNER_SWAPS {
            self.add_group(group);
        }
    }

    /// Parses a MyThes data file (`th_en_US_v2.dat`): a headword line
    /// `word|n` followed by `n` sense lines `(pos)|syn|syn (generic term)|...`.
    /// Plain synonyms and `(similar term)` entries become synonyms of the
    /// headword; broader, related and opposite terms are skipped, as are
    /// multiword entries. The built-in spinner table is added too.
    pub fn parse_mythes(text: &str) -> Self {
        let mut t = Self::new();
        let mut head: Option<String> = None;
        for line in text.lines() {
            if line.starts_with('(') {
                let Some(h) = head.as_deref() else { continue };
                if h.contains(' ') {
                    continue;
                }
                for item in line.split('|').skip(1) {
                    let item = item.trim();
                    let word = match item.find(" (") {
                        Some(p) if item.ends_with("(similar term)") => &item[..p],
                        Some(_) => continue,
                        None => item,
                    };
                    if word.contains(' ') || word.is_empty() {
                        continue;
                    }
                    let w = word.to_lowercase();
                    if w != h {
                        t.add_pair(h, &w);
                    }
                }
            } else if let Some((word, _)) = line.split_once('|') {
                head = Some(word.trim().to_lowercase());
            }
        }
        t.finish();
        t.add_builtin();
        t
    }

    /// Parses WordNet `data.noun`/`data.verb`/`data.adj`/`data.adv` file
    /// contents: the words of each synset become synonyms of each other
    /// (single words only). The built-in spinner table is added too.
    pub fn parse_wordnet(data_files: &[&str]) -> Self {
        let mut t = Self::new();
        for text in data_files {
            for line in text.lines() {
                if line.starts_with("  ") {
                    continue; // licence header
                }
                let mut f = line.split(' ');
                let (Some(_off), Some(_lex), Some(_pos), Some(cnt)) =
                    (f.next(), f.next(), f.next(), f.next())
                else {
                    continue;
                };
                let Ok(n) = usize::from_str_radix(cnt, 16) else {
                    continue;
                };
                let mut words = Vec::with_capacity(n);
                for _ in 0..n {
                    let (Some(w), Some(_)) = (f.next(), f.next()) else {
                        break;
                    };
                    let w = w.split('(').next().unwrap_or(w);
                    if !w.contains('_') {
                        words.push(w.to_lowercase());
                    }
                }
                if words.len() > 1 && words.len() <= 12 {
                    let refs: Vec<&str> = words.iter().map(String::as_str).collect();
                    t.add_group(&refs);
                }
            }
        }
        t.finish();
        t.add_builtin();
        t
    }

    fn intern(&mut self, w: &str) -> u32 {
        if let Some(&id) = self.ids.get(w) {
            return id;
        }
        let id = self.syn.len() as u32;
        self.ids.insert(w.to_string(), id);
        self.syn.push(Vec::new());
        id
    }

    fn push_pair(&mut self, a: &str, b: &str) {
        let x = self.intern(a);
        let y = self.intern(b);
        if x != y {
            self.syn[x as usize].push(y);
            self.syn[y as usize].push(x);
        }
    }

    fn finish(&mut self) {
        for v in &mut self.syn {
            v.sort_unstable();
            v.dedup();
        }
    }

    /// Records `a` and `b` (lower-case words or phrases) as synonyms.
    pub fn add_pair(&mut self, a: &str, b: &str) {
        self.push_pair(a, b);
        let (x, y) = (self.ids[a] as usize, self.ids[b] as usize);
        for i in [x, y] {
            self.syn[i].sort_unstable();
            self.syn[i].dedup();
        }
    }

    /// Records every pair of a group as synonyms.
    pub fn add_group(&mut self, words: &[&str]) {
        for (i, a) in words.iter().enumerate() {
            for b in &words[i + 1..] {
                self.push_pair(a, b);
            }
        }
        for w in words {
            let id = self.ids[*w] as usize;
            self.syn[id].sort_unstable();
            self.syn[id].dedup();
        }
    }

    /// Adds word frequencies from WordNet's `cntlist.rev` (lines
    /// `lemma%sense_key sense_number tag_count`), summed per lemma. They tell
    /// the common word a writer uses from the rarer synonym a spinner puts
    /// in its place (see [`Thesaurus::spin_hint`]).
    pub fn add_counts(&mut self, cntlist: &str) {
        for line in cntlist.lines() {
            let mut f = line.split(' ');
            let (Some(key), Some(_), Some(n)) = (f.next(), f.next(), f.next()) else {
                continue;
            };
            let (Some((lemma, _)), Ok(n)) = (key.split_once('%'), n.trim().parse::<u32>()) else {
                continue;
            };
            let lemma = lemma.replace('_', " ").to_lowercase();
            *self.counts.entry(lemma).or_default() += n;
        }
    }

    /// True when word frequencies were loaded.
    pub fn has_counts(&self) -> bool {
        !self.counts.is_empty()
    }

    /// `ln(1 + count)` of a lower-cased word's commonest lemma form (tried:
    /// the word, and with plural, past and -ing endings taken off); the mean
    /// over the known words of a phrase; `None` for a word the counts lack
    /// (an irregular form such as "tore" must not read as a rare word).
    pub fn commonness(&self, word: &str) -> Option<f32> {
        if self.counts.is_empty() {
            return None;
        }
        let words: Vec<&str> = word.split_whitespace().collect();
        if words.len() > 1 {
            let known: Vec<f32> = words.iter().filter_map(|w| self.commonness(w)).collect();
            return (!known.is_empty()).then(|| known.iter().sum::<f32>() / known.len() as f32);
        }
        lemma_forms(word)
            .iter()
            .filter_map(|f| self.counts.get(f.as_str()))
            .max()
            .map(|&n| (n as f32).ln_1p())
    }

    /// Which of two swapped words or phrases (lower-cased) reads as the
    /// original wording: `Some(true)` when `a` does and `b` is the swap an
    /// article spinner made, `Some(false)` the other way, `None` when it
    /// cannot tell. The built-in spinner table lists the usual wording
    /// first ("ireland" before "eire"); otherwise the clearly commoner word
    /// (at least twice as frequent) is taken as the original, since
    /// spinners pick synonyms from a thesaurus with no regard for use.
    pub fn spin_hint(&self, a: &str, b: &str) -> Option<bool> {
        let (sa, sb) = (singular(a), singular(b));
        for group in SPINNER_SWAPS {
            let pos = |w: &str, s: &str| group.iter().position(|g| *g == w || *g == s);
            if let (Some(x), Some(y)) = (pos(a, &sa), pos(b, &sb))
                && x != y
                && (x == 0 || y == 0)
            {
                return Some(x == 0);
            }
        }
        let (ca, cb) = (self.commonness(a)?, self.commonness(b)?);
        if (ca - cb).abs() < std::f32::consts::LN_2 {
            return None;
        }
        Some(ca > cb)
    }

    /// Number of words and phrases known.
    pub fn len(&self) -> usize {
        self.syn.len()
    }

    /// True when no word is known.
    pub fn is_empty(&self) -> bool {
        self.syn.is_empty()
    }

    /// The id of a lower-cased word or phrase, trying its singular form too.
    pub fn id(&self, word: &str) -> Option<u32> {
        if let Some(&id) = self.ids.get(word) {
            return Some(id);
        }
        let sing = singular(word);
        if sing != word {
            return self.ids.get(sing.as_str()).copied();
        }
        None
    }

    /// True when the two ids are recorded as synonyms.
    pub fn synonym_ids(&self, a: u32, b: u32) -> bool {
        a != b
            && self
                .syn
                .get(a as usize)
                .is_some_and(|v| v.binary_search(&b).is_ok())
    }

    /// True when two lower-cased words or phrases are recorded as synonyms.
    pub fn are_synonyms(&self, a: &str, b: &str) -> bool {
        match (self.id(a), self.id(b)) {
            (Some(x), Some(y)) => self.synonym_ids(x, y),
            _ => false,
        }
    }
}

/// Forms a word's lemma may take: the word itself, its singular, and the
/// word without a past or -ing ending (`closed` -> `close`, `closing` ->
/// `close`, `ripped` -> `rip`).
fn lemma_forms(w: &str) -> Vec<String> {
    let mut out = vec![w.to_string(), singular(w)];
    if let Some(s) = w.strip_suffix("es") {
        out.push(s.to_string());
    }
    for suffix in ["ed", "ing"] {
        if let Some(stem) = w.strip_suffix(suffix).filter(|s| s.len() >= 2) {
            out.push(stem.to_string());
            out.push(format!("{stem}e"));
            let b = stem.as_bytes();
            if b.len() >= 3 && b[b.len() - 1] == b[b.len() - 2] {
                out.push(stem[..stem.len() - 1].to_string());
            }
            if let Some(y) = stem.strip_suffix('i') {
                out.push(format!("{y}y"));
            }
        }
    }
    if let Some(stem) = w.strip_suffix('d').filter(|s| s.ends_with('e')) {
        out.push(stem.to_string());
    }
    out
}

/// A crude singular: `officials` -> `official`, `cities` -> `city`.
fn singular(w: &str) -> String {
    if w.len() > 4 && w.ends_with("ies") {
        format!("{}y", &w[..w.len() - 3])
    } else if w.len() > 3 && w.ends_with('s') && !w.ends_with("ss") {
        w[..w.len() - 1].to_string()
    } else {
        w.to_string()
    }
}

/// A light stem for matching word forms: lower-cased input, common
/// inflections stripped (`officials` -> `official`, `rising` -> `ris`,
/// `announced` -> `announc`). Not a linguistic stemmer; both sides of a
/// comparison go through it, so only consistency matters.
pub fn stem(w: &str) -> &str {
    let w = w.strip_suffix("'s").unwrap_or(w);
    let n = w.len();
    if !w.is_ascii() || n <= 3 {
        return w;
    }
    for (suf, min) in [
        ("ies", 5),
        ("ing", 6),
        ("ed", 5),
        ("es", 5),
        ("ly", 6),
        ("s", 4),
        ("e", 4),
        ("y", 4),
    ] {
        if n >= min
            && w.ends_with(suf)
            && !(suf == "s" && (w.ends_with("ss") || w.ends_with("us") || w.ends_with("is")))
        {
            let base = &w[..n - suf.len()];
            // Strip a trailing `e` too so `rise`/`rising`/`rised` agree.
            return base
                .strip_suffix('e')
                .filter(|b| b.len() >= 3)
                .unwrap_or(base);
        }
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;

    const MYTHES: &str = "UTF-8\nmeeting|2\n(noun)|group meeting|gathering (generic term)\n(noun)|encounter|assembly (similar term)\nquick|1\n(adj)|fast|speedy|slow (antonym)\n";

    #[test]
    fn mythes_table() {
        let t = Thesaurus::parse_mythes(MYTHES);
        let cases = [
            ("meeting", "encounter", true),
            ("meeting", "assembly", true),
            ("meeting", "gathering", true), // from the built-in table
            ("quick", "fast", true),
            ("fast", "quick", true),
            ("quick", "slow", false),
            ("meetings", "encounter", true),
            ("ireland", "eire", true),
            ("last year", "final 12 months", true),
            ("quick", "meeting", false),
            ("unknown", "words", false),
        ];
        for (a, b, want) in cases {
            assert_eq!(t.are_synonyms(a, b), want, "{a} ~ {b}");
        }
    }

    #[test]
    fn wordnet_groups() {
        let data = "  1 licence text\n00001 05 n 03 car 0 auto 0 machine 0 000 | a vehicle\n00002 05 v 02 run 0 go_on 0 000 | x\n";
        let t = Thesaurus::parse_wordnet(&[data]);
        assert!(t.are_synonyms("car", "auto"));
        assert!(t.are_synonyms("auto", "machine"));
        assert!(!t.are_synonyms("run", "car"));
    }

    #[test]
    fn spin_hints_name_the_original_wording() {
        let mut t = Thesaurus::builtin();
        assert!(!t.has_counts());
        // Counts made up for the test, in cntlist.rev's line format.
        t.add_counts(
            "close%2:35:00:: 1 150\nclose%2:30:00:: 2 43\nshut%2:35:00:: 1 22\n\
             tear%2:35:00:: 1 36\nrip%2:35:00:: 1 12\nrise%2:38:00:: 1 60\n\
             climb%2:38:00:: 1 40\nbad line\n",
        );
        assert!(t.has_counts());
        let cases = [
            ("ireland", "eire", Some(true)),
            ("eire", "ireland", Some(false)),
            ("last year", "final 12 months", Some(true)),
            ("officers", "officials", Some(false)),
            ("closed", "shut", Some(true)),
            ("ripped", "tore", None), // "tore" is not a form the counts know
            ("ripped", "tearing", Some(false)),
            ("rises", "climbs", None), // not twice as common
            ("unknown", "words", None),
        ];
        for (a, b, want) in cases {
            assert_eq!(t.spin_hint(a, b), want, "{a} / {b}");
        }
        assert_eq!(Thesaurus::builtin().spin_hint("closed", "shut"), None);
    }

    #[test]
    fn stems_agree() {
        for (a, b) in [
            ("officials", "official"),
            ("rising", "rise"),
            ("announced", "announce"),
            ("cities", "city"),
            ("news", "news"),
        ] {
            assert_eq!(stem(a), stem(b), "{a} {b}");
        }
        assert_ne!(stem("bus"), stem("bu"));
    }
}
