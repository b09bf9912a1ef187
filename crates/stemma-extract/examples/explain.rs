//! Tuning aid: for the trafilatura evaluation pages, prints why each missed
//! `with` snippet and each leaked `without` snippet ended up where it did.
//! `cargo run --release -p stemma-extract --example explain -- DATA_DIR [FILE_SUBSTRING]`
use std::collections::BTreeMap;

fn norm(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Same decoding as `stemma-bench extract`.
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
    label
        .unwrap_or(encoding_rs::WINDOWS_1252)
        .decode(bytes)
        .0
        .into_owned()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = std::path::PathBuf::from(
        args.first()
            .cloned()
            .unwrap_or_else(|| "../shared/data/trafilatura-eval".into()),
    );
    let filter = args.get(1).cloned();
    let raw = std::fs::read_to_string(dir.join("evaldata.json")).expect("evaldata.json");
    let data: serde_json::Value = serde_json::from_str(&raw).expect("json");
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let (mut wt, mut wf, mut nt, mut np) = (0usize, 0usize, 0usize, 0usize);
    // Per subset (cache/, eval/): with total, found, without total, present.
    let mut sub = [[0usize; 4]; 2];
    for (url, e) in data.as_object().expect("object") {
        let file = e["file"].as_str().unwrap_or_default();
        if filter.as_ref().is_some_and(|f| !file.contains(f.as_str())) {
            continue;
        }
        let Some(path) = ["cache", "eval"]
            .iter()
            .map(|s| dir.join(s).join(file))
            .find(|p| p.exists())
        else {
            continue;
        };
        let bytes = std::fs::read(&path).expect("read");
        let html = decode(&bytes);
        let art = stemma_extract::extract_html(&html, Some(url));
        let text = norm(&art.text);
        let blocks = stemma_extract::explain_html(&html);
        if std::env::var("DUMP").is_ok() {
            for (b, st) in &blocks {
                println!(
                    "[{st}] {}",
                    b.chars().take(150).collect::<String>().replace('\n', "\\n")
                );
            }
        }
        for (kind, want) in [("with", true), ("without", false)] {
            for snip in e[kind]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|s| s.as_str())
            {
                let s = norm(snip);
                let si = usize::from(!path.starts_with(dir.join("cache")));
                if want {
                    wt += 1;
                    wf += usize::from(text.contains(&s));
                    sub[si][0] += 1;
                    sub[si][1] += usize::from(text.contains(&s));
                } else {
                    nt += 1;
                    np += usize::from(text.contains(&s));
                    sub[si][2] += 1;
                    sub[si][3] += usize::from(text.contains(&s));
                }
                if text.contains(&s) == want {
                    continue;
                }
                let status = blocks
                    .iter()
                    .find(|(b, _)| norm(b).contains(&s))
                    .map_or("unblocked".to_string(), |(_, st)| st.clone());
                *counts.entry(format!("{kind} {status}")).or_default() += 1;
                let block = blocks
                    .iter()
                    .find(|(b, _)| norm(b).contains(&s))
                    .map(|(b, _)| b.chars().take(100).collect::<String>())
                    .unwrap_or_default();
                println!("{file}\t{kind}\t{status}\t{snip}\t{block:?}");
            }
        }
    }
    for (k, v) in counts {
        eprintln!("{k}: {v}");
    }
    for (name, c) in ["cache", "eval"].iter().zip(sub) {
        eprintln!(
            "{name}: with found {:.4}  without absent {:.4}",
            c[1] as f64 / c[0].max(1) as f64,
            (c[2] - c[3]) as f64 / c[2].max(1) as f64
        );
    }
    let r = wf as f64 / wt.max(1) as f64;
    let a = (nt - np) as f64 / nt.max(1) as f64;
    eprintln!(
        "with found {r:.4}  without absent {a:.4}  F1 {:.4}",
        2.0 * r * a / (r + a)
    );
}
