//! Serves an in-memory store over HTTP, for trying the page and for the
//! browser test.
//!
//! `cargo run -p stemma-server --example demo_server -- [--addr 127.0.0.1:8080] [FILE.json|FILE.jsonl]...`
//!
//! Files hold documents in the POST /api/documents shape (a JSON object or
//! array, or one object per line). Prints `listening on http://ADDR` once
//! bound (port 0 picks a free port).
use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::{Context, bail};
use stemma_server::{Backend, MemoryBackend, ServerOptions, app, parse_ingest_body};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut addr: SocketAddr = "127.0.0.1:8080".parse()?;
    let mut files = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--addr" => addr = args.next().context("--addr needs a value")?.parse()?,
            "-h" | "--help" => {
                println!("demo_server [--addr HOST:PORT] [FILE.json|FILE.jsonl]...");
                return Ok(());
            }
            _ if a.starts_with('-') => bail!("unknown option {a}"),
            _ => files.push(a),
        }
    }
    let backend = MemoryBackend::default();
    for f in &files {
        let bytes = std::fs::read(f).with_context(|| format!("reading {f}"))?;
        let docs = if f.ends_with(".jsonl") {
            let mut docs = Vec::new();
            for (n, line) in bytes.split(|&b| b == b'\n').enumerate() {
                if line.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                docs.extend(
                    parse_ingest_body(line)
                        .map_err(|e| anyhow::anyhow!("{f}:{}: {}", n + 1, e.message))?,
                );
            }
            docs
        } else {
            parse_ingest_body(&bytes).map_err(|e| anyhow::anyhow!("{f}: {}", e.message))?
        };
        let s = backend
            .ingest(docs)
            .map_err(|e| anyhow::anyhow!("{f}: {e}"))?;
        eprintln!("{f}: {} added, {} total", s.added.len(), s.total);
    }
    let listener = tokio::net::TcpListener::bind(addr).await?;
    println!("listening on http://{}", listener.local_addr()?);
    let router = app(Arc::new(backend), ServerOptions::default());
    stemma_server::serve_listener(listener, router).await?;
    Ok(())
}
