//! A small HTTP load generator for the Stemma API, loopback only, bounded in time.
//!
//! ```text
//! loadgen --addr 127.0.0.1:PORT [--levels 1,4,16,64] [--secs 4] [--ingest-every 20]
//!         [--acked FILE] [--tolerate-errors] [--no-verify] [--tag TAG]
//! loadgen --addr 127.0.0.1:PORT --verify FILE
//! ```
//!
//! For each concurrency level, that many workers (one keep-alive connection each) send
//! requests for `--secs` seconds: every `--ingest-every`-th request POSTs a new, unique
//! document (`load-TAG-cLEVEL-N`; TAG defaults to one made from the clock and the process
//! id, so that runs against the same store never send the same id twice); the others read (search, one document, the story list, the page). It prints
//! one row per level: requests, throughput, p50/p99/max latency, errors and acknowledged
//! ingests. At the end every acknowledged document is fetched back (`GET
//! /api/documents/{id}`) and the missing ones are counted as lost. Exits non-zero on any
//! error (unless `--tolerate-errors`) or any lost document.
//!
//! `--acked FILE` appends each acknowledged id to FILE as soon as the answer arrives (for
//! the kill -9 test: the server is killed under load, restarted, and `--verify FILE`
//! checks that every id acknowledged before the kill is there).
//!
//! Only loopback addresses are accepted: this tool never sends traffic off the machine.
use std::collections::BTreeMap;
use std::io::Write as _;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use std::io::{BufRead, BufReader, Read};
use std::net::TcpStream;

struct Opts {
    addr: SocketAddr,
    levels: Vec<usize>,
    secs: f64,
    ingest_every: u64,
    acked: Option<std::path::PathBuf>,
    verify: Option<std::path::PathBuf>,
    tolerate_errors: bool,
    no_verify: bool,
    tag: String,
}

fn parse_args() -> anyhow::Result<Opts> {
    let mut o = Opts {
        addr: "127.0.0.1:8080".parse()?,
        levels: vec![1, 4, 16, 64],
        secs: 4.0,
        ingest_every: 20,
        acked: None,
        verify: None,
        tolerate_errors: false,
        no_verify: false,
        tag: format!(
            "{:x}{:x}",
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_millis() as u64)
                .unwrap_or(0),
            std::process::id()
        ),
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut val = || args.next().with_context(|| format!("{a} needs a value"));
        match a.as_str() {
            "--addr" => o.addr = val()?.parse()?,
            "--levels" => {
                o.levels = val()?
                    .split(',')
                    .map(|s| s.trim().parse())
                    .collect::<Result<_, _>>()?
            }
            "--secs" => o.secs = val()?.parse()?,
            "--ingest-every" => o.ingest_every = val()?.parse()?,
            "--acked" => o.acked = Some(val()?.into()),
            "--verify" => o.verify = Some(val()?.into()),
            "--tolerate-errors" => o.tolerate_errors = true,
            "--no-verify" => o.no_verify = true,
            "--tag" => o.tag = val()?,
            "-h" | "--help" => {
                println!(
                    "loadgen --addr 127.0.0.1:PORT [--levels 1,4,16,64] [--secs 4] [--ingest-every 20] [--acked FILE] [--tolerate-errors] [--no-verify] [--tag TAG] | --verify FILE"
                );
                std::process::exit(0);
            }
            _ => bail!("unknown argument {a}"),
        }
    }
    if !o.addr.ip().is_loopback() {
        bail!("{}: only loopback addresses are allowed", o.addr);
    }
    if o.secs <= 0.0 || o.secs > 120.0 {
        bail!("--secs must be in (0, 120]");
    }
    if o.levels.is_empty() || o.levels.iter().any(|&l| l == 0 || l > 1024) {
        bail!("--levels must be between 1 and 1024");
    }
    Ok(o)
}

/// One keep-alive HTTP/1.1 connection.
struct Conn {
    io: BufReader<TcpStream>,
}

struct Answer {
    status: u16,
    body: Vec<u8>,
}

impl Conn {
    fn open(addr: SocketAddr) -> std::io::Result<Conn> {
        let s = TcpStream::connect_timeout(&addr, Duration::from_secs(5))?;
        s.set_read_timeout(Some(Duration::from_secs(60)))?;
        s.set_nodelay(true)?;
        Ok(Conn {
            io: BufReader::new(s),
        })
    }

    fn send(&mut self, method: &str, path: &str, body: Option<&[u8]>) -> std::io::Result<Answer> {
        let mut req = format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        if let Some(b) = body {
            req.push_str(&format!(
                "Content-Type: application/json\r\nContent-Length: {}\r\n",
                b.len()
            ));
        }
        req.push_str("\r\n");
        let mut bytes = req.into_bytes();
        if let Some(b) = body {
            bytes.extend_from_slice(b);
        }
        self.io.get_mut().write_all(&bytes)?;
        // Status line and headers.
        let mut line = String::new();
        let bad = |m: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, m.to_string());
        if self.io.read_line(&mut line)? == 0 {
            return Err(std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                "connection closed",
            ));
        }
        let status: u16 = line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| bad("bad status line"))?;
        let mut len: Option<usize> = None;
        let mut chunked = false;
        loop {
            line.clear();
            if self.io.read_line(&mut line)? == 0 {
                return Err(bad("eof in headers"));
            }
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            if let Some((k, v)) = l.split_once(':') {
                let k = k.trim().to_ascii_lowercase();
                if k == "content-length" {
                    len = v.trim().parse().ok();
                } else if k == "transfer-encoding" && v.to_ascii_lowercase().contains("chunked") {
                    chunked = true;
                }
            }
        }
        let mut body = Vec::new();
        if chunked {
            loop {
                line.clear();
                self.io.read_line(&mut line)?;
                let n = usize::from_str_radix(line.trim().split(';').next().unwrap_or(""), 16)
                    .map_err(|_| bad("bad chunk size"))?;
                let mut chunk = vec![0; n + 2];
                self.io.read_exact(&mut chunk)?;
                if n == 0 {
                    break;
                }
                body.extend_from_slice(&chunk[..n]);
            }
        } else {
            let n = len.ok_or_else(|| bad("no content-length"))?;
            body.resize(n, 0);
            self.io.read_exact(&mut body)?;
        }
        Ok(Answer { status, body })
    }
}

/// A made-up article body, different for every n.
fn article(n: u64) -> String {
    let mut rng = stemma_synth::Rng::new(n.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut s = format!("Load test report {n}\n\n");
    for i in 0..6 {
        s.push_str(&format!("Item {n}-{i}:"));
        for _ in 0..10 {
            s.push(' ');
            s.push_str(rng.word());
        }
        s.push_str(". ");
    }
    s
}

fn doc_body(id: &str, n: u64) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({ "id": id, "text": article(n) })).unwrap()
}

#[derive(Default)]
struct Stats {
    latencies_us: Vec<u64>,
    errors: u64,
    error_samples: Vec<String>,
    acked: Vec<String>,
    by_route: BTreeMap<&'static str, u64>,
}

struct Shared {
    stop: AtomicBool,
    seq: AtomicU64,
    tag: String,
    acked_file: Option<std::sync::Mutex<std::fs::File>>,
}

fn worker(addr: SocketAddr, id: usize, level: usize, every: u64, shared: Arc<Shared>) -> Stats {
    let mut st = Stats::default();
    let mut conn: Option<Conn> = None;
    let mut n: u64 = id as u64; // stagger the ingests across workers
    while !shared.stop.load(Ordering::Relaxed) {
        n += 1;
        let (route, method, path, body, ingest_id) = if every > 0 && n.is_multiple_of(every) {
            let k = shared.seq.fetch_add(1, Ordering::Relaxed);
            let doc = format!("load-{}-c{level}-{k}", shared.tag);
            let salt = shared
                .tag
                .bytes()
                .fold(0u64, |h, b| h.wrapping_mul(31).wrapping_add(b as u64));
            let body = doc_body(&doc, k + 1_000_000 * level as u64 + (salt << 24));
            (
                "POST /api/documents",
                "POST",
                "/api/documents".to_string(),
                Some(body),
                Some(doc),
            )
        } else {
            match n % 4 {
                0 => (
                    "GET /api/search",
                    "GET",
                    "/api/search?q=harbour+storm&limit=5".to_string(),
                    None,
                    None,
                ),
                1 => (
                    "GET /api/documents/{id}",
                    "GET",
                    format!("/api/documents/seed-{}", n % 16),
                    None,
                    None,
                ),
                2 => (
                    "GET /api/stories",
                    "GET",
                    "/api/stories".to_string(),
                    None,
                    None,
                ),
                _ => ("GET /", "GET", "/".to_string(), None, None),
            }
        };
        let t = Instant::now();
        let res = match conn.as_mut() {
            Some(c) => c.send(method, &path, body.as_deref()),
            None => match Conn::open(addr) {
                Ok(mut c) => {
                    let r = c.send(method, &path, body.as_deref());
                    conn = Some(c);
                    r
                }
                Err(e) => Err(e),
            },
        };
        let us = t.elapsed().as_micros() as u64;
        *st.by_route.entry(route).or_default() += 1;
        match res {
            Ok(a) if (200..300).contains(&a.status) => {
                st.latencies_us.push(us);
                if let Some(doc) = ingest_id {
                    let v: serde_json::Value = serde_json::from_slice(&a.body).unwrap_or_default();
                    let listed = ["added", "unchanged", "replaced"].iter().any(|k| {
                        v[k].as_array()
                            .is_some_and(|a| a.iter().any(|x| x.as_str() == Some(doc.as_str())))
                    });
                    if listed {
                        if let Some(f) = &shared.acked_file {
                            let mut f = f.lock().unwrap();
                            let _ = writeln!(f, "{doc}");
                            let _ = f.flush();
                        }
                        st.acked.push(doc);
                    } else {
                        st.errors += 1;
                        if st.error_samples.len() < 3 {
                            st.error_samples
                                .push(format!("{route}: {doc} not in the answer"));
                        }
                    }
                }
            }
            Ok(a) => {
                st.latencies_us.push(us);
                st.errors += 1;
                if st.error_samples.len() < 3 {
                    st.error_samples.push(format!(
                        "{route}: HTTP {} {}",
                        a.status,
                        String::from_utf8_lossy(&a.body[..a.body.len().min(120)])
                    ));
                }
            }
            Err(e) => {
                conn = None;
                st.errors += 1;
                if st.error_samples.len() < 3 {
                    st.error_samples.push(format!("{route}: {e}"));
                }
                // Back off a little so a dead server does not spin the loop.
                std::thread::sleep(Duration::from_millis(20));
            }
        }
    }
    st
}

fn pct(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i] as f64 / 1000.0
}

fn seed(addr: SocketAddr) -> anyhow::Result<()> {
    let docs: Vec<serde_json::Value> = (0..16)
        .map(|i| {
            let text = if i % 4 == 0 {
                format!("Storm closes harbour\n\nThe harbour closed on Monday as the storm arrived. Report {i}. {}", article(i))
            } else {
                article(i)
            };
            serde_json::json!({ "id": format!("seed-{i}"), "text": text })
        })
        .collect();
    let mut c = Conn::open(addr).context("connect")?;
    let a = c.send("POST", "/api/documents", Some(&serde_json::to_vec(&docs)?))?;
    if !(200..300).contains(&a.status) {
        bail!(
            "seeding failed: HTTP {}: {}",
            a.status,
            String::from_utf8_lossy(&a.body)
        );
    }
    Ok(())
}

/// Fetches every id back; returns the missing ones.
fn verify(addr: SocketAddr, ids: &[String]) -> anyhow::Result<Vec<String>> {
    let mut missing = Vec::new();
    let mut c = Conn::open(addr).context("connect for verification")?;
    for id in ids {
        let a = c.send("GET", &format!("/api/documents/{id}"), None)?;
        if a.status != 200 {
            missing.push(format!("{id} (HTTP {})", a.status));
        }
    }
    Ok(missing)
}

fn main() -> anyhow::Result<()> {
    let o = parse_args()?;
    if let Some(file) = &o.verify {
        let text =
            std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
        let ids: Vec<String> = text
            .lines()
            .filter(|l| !l.is_empty())
            .map(String::from)
            .collect();
        let missing = verify(o.addr, &ids)?;
        println!(
            "verify: {} acknowledged documents checked, {} missing",
            ids.len(),
            missing.len()
        );
        for m in missing.iter().take(10) {
            println!("  missing {m}");
        }
        if !missing.is_empty() {
            std::process::exit(1);
        }
        return Ok(());
    }
    seed(o.addr)?;
    let shared = Arc::new(Shared {
        stop: AtomicBool::new(false),
        seq: AtomicU64::new(0),
        tag: o.tag.clone(),
        acked_file: match &o.acked {
            Some(p) => Some(std::sync::Mutex::new(
                std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(p)?,
            )),
            None => None,
        },
    });
    println!(
        "{:>11} {:>9} {:>9} {:>9} {:>9} {:>9} {:>7} {:>8}",
        "concurrency", "requests", "req/s", "p50 ms", "p99 ms", "max ms", "errors", "ingests"
    );
    let mut all_acked = Vec::new();
    let mut total_errors = 0;
    let mut samples = Vec::new();
    for &level in &o.levels {
        shared.stop.store(false, Ordering::Relaxed);
        let started = Instant::now();
        let handles: Vec<_> = (0..level)
            .map(|w| {
                let shared = shared.clone();
                let (addr, every) = (o.addr, o.ingest_every);
                std::thread::spawn(move || worker(addr, w, level, every, shared))
            })
            .collect();
        std::thread::sleep(Duration::from_secs_f64(o.secs));
        shared.stop.store(true, Ordering::Relaxed);
        let mut lat = Vec::new();
        let mut errors = 0;
        let mut acked = 0;
        for h in handles {
            let st = h.join().expect("worker thread");
            lat.extend(st.latencies_us);
            errors += st.errors;
            acked += st.acked.len();
            all_acked.extend(st.acked);
            samples.extend(st.error_samples);
        }
        let secs = started.elapsed().as_secs_f64();
        lat.sort_unstable();
        let requests = lat.len() as u64 + errors;
        println!(
            "{:>11} {:>9} {:>9.0} {:>9.2} {:>9.2} {:>9.2} {:>7} {:>8}",
            level,
            requests,
            requests as f64 / secs,
            pct(&lat, 0.50),
            pct(&lat, 0.99),
            pct(&lat, 1.0),
            errors,
            acked
        );
        total_errors += errors;
    }
    for s in samples.iter().take(5) {
        println!("  error: {s}");
    }
    if o.no_verify {
        println!(
            "acknowledged ingests: {} (not verified here)",
            all_acked.len()
        );
        return Ok(());
    }
    let missing = verify(o.addr, &all_acked)?;
    println!(
        "acknowledged ingests: {}, fetched back: {}, lost: {}",
        all_acked.len(),
        all_acked.len() - missing.len(),
        missing.len()
    );
    for m in missing.iter().take(10) {
        println!("  lost {m}");
    }
    if !missing.is_empty() || (total_errors > 0 && !o.tolerate_errors) {
        std::process::exit(1);
    }
    Ok(())
}
