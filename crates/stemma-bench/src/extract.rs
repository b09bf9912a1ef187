//! `stemma-bench extract`: boilerplate-removal evaluation on the trafilatura
//! test pages (`<data>/trafilatura-eval`).
//!
//! Each page comes with snippets its main text must contain (`with`) and must
//! not contain (`without`). Per extractor we report the share of `with`
//! snippets found, the share of `without` snippets absent, their F1, and
//! trafilatura's own precision/recall/F1 over the same counts. Matching is on
//! whitespace-normalised text. trafilatura runs in the same invocation through
//! `bench/trafilatura_eval.py` with `$TRAFILATURA_PYTHON` (default
//! `.venv/bin/python`).
//!
//! Options: `--data DIR`, `--no-trafilatura`, `--out FILE` (default
//! `bench/results/extract.txt`; per-page detail goes next to it as
//! `extract-pages.tsv`).
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use serde::Deserialize;

#[derive(Deserialize)]
struct Entry {
    file: String,
    #[serde(default)]
    with: Vec<String>,
    #[serde(default)]
    without: Vec<String>,
}

struct Page {
    /// `cache` (trafilatura's original test pages) or `eval` (its larger set).
    subset: &'static str,
    url: String,
    file: String,
    html: String,
    with: Vec<String>,
    without: Vec<String>,
}

/// Counts of one extractor over the pages.
#[derive(Default, Clone)]
struct Score {
    with_total: usize,
    with_found: usize,
    without_total: usize,
    without_present: usize,
    empty: usize,
    seconds: f64,
}

impl Score {
    fn found_rate(&self) -> f64 {
        ratio(self.with_found, self.with_total)
    }
    fn absent_rate(&self) -> f64 {
        ratio(
            self.without_total - self.without_present,
            self.without_total,
        )
    }
    fn precision(&self) -> f64 {
        ratio(self.with_found, self.with_found + self.without_present)
    }
}

use crate::{f1, ratio};

fn norm(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Decodes page bytes: UTF-8, else the charset the page declares, else windows-1252.
fn decode(bytes: &[u8]) -> String {
    if let Ok(s) = std::str::from_utf8(bytes) {
        return s.to_string();
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).to_ascii_lowercase();
    let label = head.find("charset=").and_then(|i| {
        let rest = head[i + 8..].trim_start_matches(['"', '\'']);
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            .unwrap_or(rest.len());
        encoding_rs::Encoding::for_label(&rest.as_bytes()[..end])
    });
    let enc = label.unwrap_or(encoding_rs::WINDOWS_1252);
    enc.decode(bytes).0.into_owned()
}

fn load(dir: &Path) -> Result<Vec<Page>> {
    let path = dir.join("evaldata.json");
    let raw =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let data: BTreeMap<String, Entry> =
        serde_json::from_str(&raw).with_context(|| format!("parsing {}", path.display()))?;
    let mut pages = Vec::new();
    for (url, e) in data {
        let Some((subset, file)) = ["cache", "eval"]
            .into_iter()
            .map(|s| (s, dir.join(s).join(&e.file)))
            .find(|(_, p)| p.exists())
        else {
            eprintln!("{}: page file missing, skipped", e.file);
            continue;
        };
        let bytes = std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
        pages.push(Page {
            subset,
            url,
            file: e.file,
            html: decode(&bytes),
            with: e.with,
            without: e.without,
        });
    }
    Ok(pages)
}

/// Scores one page's extracted text; returns (with found, without present).
fn score_page(page: &Page, text: Option<&str>, acc: &mut Score) -> (usize, usize) {
    acc.with_total += page.with.len();
    acc.without_total += page.without.len();
    let Some(text) = text.filter(|t| !t.trim().is_empty()) else {
        acc.empty += 1;
        return (0, 0);
    };
    let t = norm(text);
    let found = page.with.iter().filter(|s| t.contains(&norm(s))).count();
    let present = page.without.iter().filter(|s| t.contains(&norm(s))).count();
    acc.with_found += found;
    acc.without_present += present;
    (found, present)
}

fn trafilatura_texts(dir: &Path) -> Result<(String, BTreeMap<String, Option<String>>)> {
    let python = std::env::var("TRAFILATURA_PYTHON").unwrap_or_else(|_| ".venv/bin/python".into());
    let out = std::process::Command::new(&python)
        .arg("bench/trafilatura_eval.py")
        .arg(dir)
        .output()
        .with_context(|| {
            format!("running {python} bench/trafilatura_eval.py (set TRAFILATURA_PYTHON)")
        })?;
    if !out.status.success() {
        bail!(
            "trafilatura_eval.py failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    #[derive(Deserialize)]
    struct Out {
        version: String,
        texts: BTreeMap<String, Option<String>>,
    }
    let o: Out =
        serde_json::from_slice(&out.stdout).context("parsing trafilatura_eval.py output")?;
    Ok((o.version, o.texts))
}

/// Runs the evaluation.
pub fn run(args: &[String]) -> Result<()> {
    let mut dir = crate::data_dir().join("trafilatura-eval");
    let mut out_path = PathBuf::from("bench/results/extract.txt");
    let mut with_traf = true;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--data" => dir = it.next().context("--data needs a folder")?.into(),
            "--out" => out_path = it.next().context("--out needs a file")?.into(),
            "--no-trafilatura" => with_traf = false,
            other => bail!("unknown option {other:?}"),
        }
    }
    let pages = load(&dir)?;
    if pages.is_empty() {
        bail!("no pages under {}", dir.display());
    }

    // name -> per-page texts
    let mut names: Vec<String> = Vec::new();
    let mut texts: Vec<Vec<Option<String>>> = Vec::new();

    let t = Instant::now();
    names.push("stemma".into());
    texts.push(
        pages
            .iter()
            .map(|p| Some(stemma_extract::extract_html(&p.html, Some(&p.url)).text))
            .collect(),
    );
    let mut seconds = vec![t.elapsed().as_secs_f64()];

    let t = Instant::now();
    names.push("dom_smoothie 0.19".into());
    texts.push(
        pages
            .iter()
            .map(|p| stemma_extract::candidates::dom_smoothie_text(&p.html, Some(&p.url)))
            .collect(),
    );
    seconds.push(t.elapsed().as_secs_f64());

    type Candidate = fn(&str, Option<&str>) -> Option<String>;
    let candidates: [(&str, Candidate); 2] = [
        ("legible 0.5", stemma_extract::candidates::legible_text),
        (
            "libreadability 0.3",
            stemma_extract::candidates::libreadability_text,
        ),
    ];
    for (name, f) in candidates {
        let t = Instant::now();
        names.push(name.into());
        // A candidate that panics on a page scores that page as empty.
        texts.push(
            pages
                .iter()
                .map(|p| {
                    std::panic::catch_unwind(|| f(&p.html, Some(&p.url)))
                        .ok()
                        .flatten()
                })
                .collect(),
        );
        seconds.push(t.elapsed().as_secs_f64());
    }

    if with_traf {
        let t = Instant::now();
        let (version, by_file) = trafilatura_texts(&dir)?;
        names.push(format!("trafilatura {version}"));
        texts.push(
            pages
                .iter()
                .map(|p| by_file.get(&p.file).cloned().flatten())
                .collect(),
        );
        seconds.push(t.elapsed().as_secs_f64());
    }

    let mut scores = vec![Score::default(); names.len()];
    let subsets = ["cache", "eval"];
    let mut by_subset = vec![vec![Score::default(); names.len()]; subsets.len()];
    let mut tsv = String::from("file\twith\twithout");
    for n in &names {
        tsv.push_str(&format!("\t{n} with found\t{n} without present"));
    }
    tsv.push('\n');
    for (pi, page) in pages.iter().enumerate() {
        tsv.push_str(&format!(
            "{}\t{}\t{}",
            page.file,
            page.with.len(),
            page.without.len()
        ));
        let si = subsets.iter().position(|s| *s == page.subset).unwrap_or(0);
        for (ei, acc) in scores.iter_mut().enumerate() {
            let (f, p) = score_page(page, texts[ei][pi].as_deref(), acc);
            score_page(page, texts[ei][pi].as_deref(), &mut by_subset[si][ei]);
            tsv.push_str(&format!("\t{f}\t{p}"));
        }
        tsv.push('\n');
    }
    for (s, secs) in scores.iter_mut().zip(&seconds) {
        s.seconds = *secs;
    }

    let mut report = format!(
        "# stemma-bench extract, {}\n# command: TRAFILATURA_PYTHON={} cargo run --release -p stemma-bench -- extract{}\n# data: {} ({} pages, {} with-snippets, {} without-snippets)\n# with found = share of must-contain snippets in the text; without absent = share of must-not-contain snippets missing from it;\n# F1(rates) = F1 of those two; precision/recall/F1 as trafilatura's own evaluation (tp = with found, fp = without present).\n\n",
        crate::utc_now(),
        std::env::var("TRAFILATURA_PYTHON").unwrap_or_else(|_| ".venv/bin/python".into()),
        if args.is_empty() {
            String::new()
        } else {
            format!(" {}", args.join(" "))
        },
        dir.display(),
        pages.len(),
        scores[0].with_total,
        scores[0].without_total,
    );
    report.push_str(&format!(
        "{:<20} {:>10} {:>14} {:>9} {:>10} {:>7} {:>8} {:>6} {:>8}\n",
        "extractor",
        "with found",
        "without absent",
        "F1(rates)",
        "precision",
        "recall",
        "F1",
        "empty",
        "seconds"
    ));
    for (n, s) in names.iter().zip(&scores) {
        let (r, a, p) = (s.found_rate(), s.absent_rate(), s.precision());
        report.push_str(&format!(
            "{:<20} {:>10.4} {:>14.4} {:>9.4} {:>10.4} {:>7.4} {:>8.4} {:>6} {:>8.1}\n",
            n,
            r,
            a,
            f1(r, a),
            p,
            r,
            f1(p, r),
            s.empty,
            s.seconds
        ));
    }
    for (subset, sub_scores) in subsets.iter().zip(&by_subset) {
        report.push_str(&format!(
            "\nsubset {subset}/ ({} with, {} without)\n",
            sub_scores[0].with_total, sub_scores[0].without_total
        ));
        for (n, s) in names.iter().zip(sub_scores) {
            let (r, a) = (s.found_rate(), s.absent_rate());
            report.push_str(&format!(
                "{:<20} {:>10.4} {:>14.4} {:>9.4}\n",
                n,
                r,
                a,
                f1(r, a)
            ));
        }
    }
    print!("{report}");
    if let Some(parent) = out_path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("creating {}", parent.display()))?;
    }
    std::fs::write(&out_path, &report)
        .with_context(|| format!("writing {}", out_path.display()))?;
    let tsv_path = out_path.with_file_name("extract-pages.tsv");
    std::fs::write(&tsv_path, tsv).with_context(|| format!("writing {}", tsv_path.display()))?;
    Ok(())
}
