//! The service's limits on a real loopback socket, with raw HTTP/1.1 (so nothing
//! normalises the requests): body size limits (declared and chunked), timeouts of slow
//! clients (slow body: the request timeout; unfinished headers: the connection idle
//! timeout), many idle connections, oversized headers, and no path from a URL to the file
//! system.
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::time::{Duration, Instant};

use stemma_server::{MemoryBackend, ServerOptions, app, serve_listener_with_idle_timeout};

const BODY_LIMIT: usize = 64 << 10;
const TIMEOUT: Duration = Duration::from_millis(1500);
const IDLE: Duration = Duration::from_secs(3);

/// Starts a server on a free loopback port in a background runtime.
#[allow(clippy::field_reassign_with_default)] // ServerOptions may gain fields
fn start() -> SocketAddr {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(listener.local_addr().unwrap()).unwrap();
            let mut opts = ServerOptions::default();
            opts.max_body_bytes = BODY_LIMIT;
            opts.timeout = TIMEOUT;
            opts.max_concurrency = 4;
            let router = app(Arc::new(MemoryBackend::default()), opts);
            serve_listener_with_idle_timeout(listener, router, IDLE)
                .await
                .unwrap();
        });
    });
    rx.recv().unwrap()
}

fn connect(addr: SocketAddr) -> TcpStream {
    let s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    s
}

/// Reads until the peer closes or a full response (headers + Content-Length body) is in.
fn read_response(s: &mut TcpStream) -> String {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        match s.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            Err(_) => break,
        }
        let text = String::from_utf8_lossy(&buf);
        if let Some(end) = text.find("\r\n\r\n") {
            let len = text[..end]
                .lines()
                .find_map(|l| {
                    let (k, v) = l.split_once(':')?;
                    k.eq_ignore_ascii_case("content-length")
                        .then(|| v.trim().parse::<usize>().ok())?
                })
                .unwrap_or(0);
            if buf.len() >= end + 4 + len {
                break;
            }
        }
    }
    String::from_utf8_lossy(&buf).into_owned()
}

fn status(resp: &str) -> u16 {
    resp.split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

#[test]
fn declared_oversized_body_is_refused_without_reading_it() {
    let addr = start();
    let mut s = connect(addr);
    let t = Instant::now();
    write!(
        s,
        "POST /api/documents HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        100 << 20
    )
    .unwrap();
    let r = read_response(&mut s);
    assert_eq!(status(&r), 413, "{r}");
    assert!(r.contains("\"error\""), "{r}");
    assert!(
        t.elapsed() < TIMEOUT,
        "answered only after {:?}",
        t.elapsed()
    );
}

#[test]
fn chunked_oversized_body_is_413() {
    let addr = start();
    let mut s = connect(addr);
    write!(
        s,
        "POST /api/documents HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    .unwrap();
    let chunk = vec![b' '; 16 << 10];
    let mut sent = 0;
    // Keep sending until the server answers or closes (it may stop reading).
    while sent < 4 * BODY_LIMIT {
        if write!(s, "{:x}\r\n", chunk.len()).is_err()
            || s.write_all(&chunk).is_err()
            || s.write_all(b"\r\n").is_err()
        {
            break;
        }
        sent += chunk.len();
    }
    let _ = s.write_all(b"0\r\n\r\n");
    let r = read_response(&mut s);
    assert_eq!(status(&r), 413, "{r}");
}

#[test]
fn slow_body_times_out() {
    let addr = start();
    let mut s = connect(addr);
    let t = Instant::now();
    write!(
        s,
        "POST /api/documents HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{{\"id\":"
    )
    .unwrap();
    let r = read_response(&mut s);
    let took = t.elapsed();
    assert_eq!(status(&r), 503, "{r}");
    assert!(r.contains("timed out"), "{r}");
    assert!(
        took >= TIMEOUT && took < TIMEOUT * 4,
        "answered after {took:?}"
    );
}

#[test]
fn slow_headers_do_not_hold_the_connection_forever() {
    let addr = start();
    let mut s = connect(addr);
    let t = Instant::now();
    s.write_all(b"GET /api/stories HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        .unwrap();
    // Never finish the headers: the server must give up on the connection.
    let r = read_response(&mut s);
    let took = t.elapsed();
    assert!(
        took >= IDLE && took < IDLE * 3,
        "connection with unfinished headers closed after {took:?} (idle timeout {IDLE:?}): {r:?}"
    );
}

#[test]
fn many_idle_connections_do_not_stop_service() {
    let addr = start();
    let idle: Vec<TcpStream> = (0..300).map(|_| connect(addr)).collect();
    let mut s = connect(addr);
    s.write_all(b"GET /api/stories HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    let r = read_response(&mut s);
    assert_eq!(status(&r), 200, "{r}");
    drop(idle);
}

#[test]
fn oversized_headers_are_refused() {
    let addr = start();
    let mut s = connect(addr);
    let big = "a".repeat(1 << 20);
    let _ = write!(s, "GET / HTTP/1.1\r\nHost: x\r\nX-Big: {big}\r\n\r\n");
    let r = read_response(&mut s);
    // hyper answers 431 or closes the connection; never a 200.
    assert!(
        status(&r) == 431 || status(&r) == 400 || r.is_empty(),
        "{}",
        &r[..r.len().min(200)]
    );
}

#[test]
fn no_path_from_a_url_to_the_file_system() {
    let addr = start();
    let probes = [
        "/../../../../etc/passwd",
        "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/app.js/../../../../etc/passwd",
        "/api/documents/..%2F..%2F..%2Fetc%2Fpasswd",
        "/api/documents/%2Fetc%2Fpasswd",
        "/api/relations/..%2F..%2Fetc/passwd",
        "//etc/passwd",
        "/static/../Cargo.toml",
        "/Cargo.toml",
        "/assets/app.js",
        "/src/lib.rs",
        "/api/openapi.json/../../Cargo.toml",
        "/api/compare?a=/etc/passwd&b=../../Cargo.toml",
        "/api/search?q=../../etc/passwd",
    ];
    for p in probes {
        let mut s = connect(addr);
        write!(
            s,
            "GET {p} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let r = read_response(&mut s);
        let st = status(&r);
        assert!(
            !r.contains("root:") && !r.contains("[package]") && !r.contains("use std"),
            "{p}: file content leaked: {}",
            &r[..r.len().min(300)]
        );
        assert!(st == 400 || st == 404 || st == 200, "{p}: status {st}");
        if st == 200 {
            // Only the search answers 200 here, with JSON and no file content.
            assert!(p.starts_with("/api/search"), "{p}: 200 {r}");
        }
    }
}
