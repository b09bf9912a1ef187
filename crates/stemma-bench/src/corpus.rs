//! `stemma-bench gen`: a seeded, deterministic benchmark corpus with the
//! truth kept beside it.
//!
//! Originals are the BBC articles of `bbc-news` (and, past their number,
//! synthetic originals assembled from their sentences with numbers and names
//! changed); derivatives of known kinds are made from them: boilerplate-wrapped
//! copies (verbatim), synonym-spun copies at 10% and 20% swap rates (spun),
//! sentence-dropping excerpts (excerpt), and the real LLM rewrites of
//! `l2r-news` (paraphrase). Writes `docs.jsonl` and `truth.tsv`
//! (`source<TAB>derivative<TAB>kind`) into the output folder.
//!
//! `stemma-bench gen --n 10000 --seed 7 --out bench/.work/c10k`
use std::collections::HashMap;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

/// A small deterministic generator (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
}

/// Boilerplate lines of the kind real sites wrap copies in (written here).
const BOILERPLATE: &[&str] = &[
    "Advertisement",
    "Sign in to your account",
    "Subscribe to our newsletter",
    "Recommended news",
    "Share this article",
    "Support our journalism: donate today",
    "Accept all cookies",
    "Read more",
    "Log in to comment",
    "Photo: staff photographer",
];

struct Options {
    n: usize,
    seed: u64,
    out: PathBuf,
}

fn parse(args: &[String]) -> Result<Options> {
    let mut o = Options {
        n: 10_000,
        seed: 7,
        out: PathBuf::from("bench/.work/corpus"),
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut val = || {
            it.next()
                .cloned()
                .with_context(|| format!("{a} needs a value"))
        };
        match a.as_str() {
            "--n" => o.n = val()?.parse().context("--n")?,
            "--seed" => o.seed = val()?.parse().context("--seed")?,
            "--out" => o.out = val()?.into(),
            other => bail!("unknown option {other:?}"),
        }
    }
    Ok(o)
}

/// Loads Debian's mythes thesaurus as word -> single-word synonyms.
fn load_synonyms() -> HashMap<String, Vec<String>> {
    let mut map: HashMap<String, Vec<String>> = HashMap::new();
    let Ok(raw) = std::fs::read("/usr/share/mythes/th_en_US_v2.dat") else {
        eprintln!("gen: mythes thesaurus absent; spun copies use a tiny built-in table");
        for (a, b) in [
            ("said", "stated"),
            ("officials", "officers"),
            ("meeting", "assembly"),
            ("company", "firm"),
            ("people", "individuals"),
            ("government", "administration"),
            ("increase", "rise"),
            ("big", "large"),
        ] {
            map.entry(a.into()).or_default().push(b.into());
        }
        return map;
    };
    let text = String::from_utf8_lossy(&raw);
    let mut lines = text.lines().skip(1);
    while let Some(head) = lines.next() {
        let Some((word, n)) = head.split_once('|') else {
            continue;
        };
        let n: usize = n.trim().parse().unwrap_or(0);
        let mut syns = Vec::new();
        for line in lines.by_ref().take(n) {
            for s in line.split('|').skip(1) {
                let s = s.split(" (").next().unwrap_or(s).trim();
                if !s.is_empty()
                    && !s.contains(' ')
                    && s != word
                    && s.chars().all(char::is_alphabetic)
                {
                    syns.push(s.to_lowercase());
                }
            }
        }
        syns.dedup();
        if !syns.is_empty() && word.chars().all(char::is_alphabetic) {
            map.insert(word.to_lowercase(), syns);
        }
    }
    map
}

/// Swaps about `rate` of the swappable words for synonyms, keeping case.
fn spin(text: &str, rate: f64, syn: &HashMap<String, Vec<String>>, rng: &mut Rng) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String, rng: &mut Rng| {
        if word.is_empty() {
            return;
        }
        let lower = word.to_lowercase();
        let swapped = syn
            .get(&lower)
            .filter(|_| {
                lower.len() > 2 && !stemma_text::is_stopword(&lower) && rng.chance(rate * 2.0)
            })
            .map(|c| c[rng.below(c.len())].clone());
        match swapped {
            Some(s) if word.chars().next().is_some_and(char::is_uppercase) => {
                let mut cs = s.chars();
                if let Some(f) = cs.next() {
                    out.extend(f.to_uppercase());
                    out.push_str(cs.as_str());
                }
            }
            Some(s) => out.push_str(&s),
            None => out.push_str(word),
        }
        word.clear();
    };
    for c in text.chars() {
        if c.is_alphabetic() {
            word.push(c);
        } else {
            flush(&mut word, &mut out, rng);
            out.push(c);
        }
    }
    flush(&mut word, &mut out, rng);
    out
}

fn read_bbc(data: &Path) -> Result<Vec<String>> {
    let root = data.join("bbc-news");
    let mut files = Vec::new();
    for topic in std::fs::read_dir(&root).with_context(|| format!("{}", root.display()))? {
        let topic = topic?.path();
        if topic.is_dir() {
            for f in std::fs::read_dir(&topic)? {
                files.push(f?.path());
            }
        }
    }
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let bytes = std::fs::read(&f).with_context(|| format!("{}", f.display()))?;
        out.push(String::from_utf8_lossy(&bytes).into_owned());
    }
    Ok(out)
}

fn read_json_list(path: &Path) -> Result<Vec<String>> {
    let raw = std::fs::read_to_string(path).with_context(|| format!("{}", path.display()))?;
    let v: Vec<serde_json::Value> = serde_json::from_str(&raw)
        .with_context(|| format!("{}: not a JSON list", path.display()))?;
    Ok(v.into_iter()
        .map(|x| match x {
            serde_json::Value::String(s) => s,
            other => other.to_string(),
        })
        .collect())
}

fn lines_of(text: &str) -> Vec<&str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect()
}

/// Runs the generator.
pub fn run(args: &[String]) -> Result<()> {
    let o = parse(args)?;
    let data = crate::data_dir();
    let bbc = read_bbc(&data)?;
    let l2r = data.join("l2r-news");
    let human = read_json_list(&l2r.join("human.json"))?;
    let gpt35 = read_json_list(&l2r.join("GPT-3-Turbo.json"))?;
    let gpt4o = read_json_list(&l2r.join("GPT-4o.json"))?;
    let syn = load_synonyms();
    let mut rng = Rng(o.seed);
    std::fs::create_dir_all(&o.out)?;
    let mut docs = BufWriter::new(std::fs::File::create(o.out.join("docs.jsonl"))?);
    let mut truth = BufWriter::new(std::fs::File::create(o.out.join("truth.tsv"))?);
    let mut written = 0usize;
    let emit = |id: &str, text: &str, docs: &mut BufWriter<std::fs::File>| -> Result<()> {
        serde_json::to_writer(&mut *docs, &serde_json::json!({"id": id, "text": text}))?;
        docs.write_all(b"\n")?;
        Ok(())
    };
    // The real LLM rewrites first: 200 sources, 400 paraphrases.
    for (i, src) in human.iter().enumerate() {
        if written + 3 > o.n {
            break;
        }
        let sid = format!("l2r-{i}");
        emit(&sid, src, &mut docs)?;
        written += 1;
        for (tag, set) in [("gpt35", &gpt35), ("gpt4o", &gpt4o)] {
            if let Some(t) = set.get(i) {
                let did = format!("{sid}-{tag}");
                emit(&did, t, &mut docs)?;
                writeln!(truth, "{sid}\t{did}\tparaphrase")?;
                written += 1;
            }
        }
    }
    // Originals and their derivatives.
    let sentences: Vec<&str> = bbc.iter().flat_map(|t| lines_of(t)).collect();
    let mut k = 0usize;
    while written < o.n {
        let sid = format!("o{k}");
        let original = if k < bbc.len() {
            bbc[k].clone()
        } else {
            synthetic(&sentences, &mut rng)
        };
        k += 1;
        emit(&sid, &original, &mut docs)?;
        written += 1;
        // On average about one derivative per original.
        let roll = rng.below(10);
        let derived: Option<(&str, String)> = match roll {
            0 | 1 => Some(("verbatim", wrap(&original, &mut rng))),
            2 | 3 => Some(("spun", spin(&original, 0.10, &syn, &mut rng))),
            4 | 5 => Some(("spun", spin(&original, 0.20, &syn, &mut rng))),
            6 | 7 => excerpt(&original, &mut rng).map(|t| ("excerpt", t)),
            _ => None,
        };
        if let Some((kind, text)) = derived
            && written < o.n
        {
            let did = format!("{sid}-{kind}{roll}");
            emit(&did, &text, &mut docs)?;
            writeln!(truth, "{sid}\t{did}\t{kind}")?;
            written += 1;
        }
    }
    docs.flush()?;
    truth.flush()?;
    eprintln!("gen: {written} documents in {}", o.out.display());
    Ok(())
}

/// Wraps a text in boilerplate lines, top and bottom.
fn wrap(text: &str, rng: &mut Rng) -> String {
    let mut out = String::new();
    for _ in 0..2 {
        out.push_str(BOILERPLATE[rng.below(BOILERPLATE.len())]);
        out.push('\n');
    }
    out.push_str(text.trim());
    out.push('\n');
    for _ in 0..3 {
        out.push_str(BOILERPLATE[rng.below(BOILERPLATE.len())]);
        out.push('\n');
    }
    out
}

/// Keeps the title and a run of 40-70% of the paragraphs.
fn excerpt(text: &str, rng: &mut Rng) -> Option<String> {
    let lines = lines_of(text);
    if lines.len() < 4 {
        return None;
    }
    let body = &lines[1..];
    let keep = (body.len() * (40 + rng.below(31)) / 100).max(2);
    let start = rng.below(body.len() - keep + 1);
    let mut out = String::from(lines[0]);
    for l in &body[start..start + keep] {
        out.push_str("\n\n");
        out.push_str(l);
    }
    Some(out)
}

/// An original made of sampled sentences with every number changed, so
/// that it is new text.
fn synthetic(pool: &[&str], rng: &mut Rng) -> String {
    let n = 6 + rng.below(8);
    let mut out = String::new();
    for i in 0..n {
        let s = pool[rng.below(pool.len())];
        if i > 0 {
            out.push_str("\n\n");
        }
        for c in s.chars() {
            if c.is_ascii_digit() {
                out.push(char::from(b'0' + rng.below(10) as u8));
            } else {
                out.push(c);
            }
        }
    }
    out
}
