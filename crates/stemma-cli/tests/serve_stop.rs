//! How `stemma serve --db` stops: SIGTERM closes the store cleanly (it opens
//! read-only at once afterwards); after SIGKILL `stemma report` repairs the
//! store, says so, and every acknowledged document is there.
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};

const STEMMA: &str = env!("CARGO_BIN_EXE_stemma");

/// Starts the server on a free loopback port; returns it and its address.
fn serve(db: &Path) -> (Child, String) {
    let mut child = Command::new(STEMMA)
        .args(["serve", "--addr", "127.0.0.1:0", "--db"])
        .arg(db)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start stemma serve");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .expect("read the listening line");
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|s| s.split_whitespace().next())
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_string();
    (child, addr)
}

/// POSTs one document; returns the HTTP status line and body.
fn post(addr: &str, id: &str) -> String {
    let body = serde_json::json!({
        "id": id,
        "text": format!("Harbour storm report {id}\n\nThe ferry stayed in port as the storm closed the harbour on Monday.")
    })
    .to_string();
    let mut s = TcpStream::connect(addr).expect("connect");
    write!(
        s,
        "POST /api/documents HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    s.read_to_string(&mut answer).expect("read the answer");
    answer
}

/// Sends `sig` with the shell's built-in `kill` (no procps needed).
fn signal(child: &Child, sig: &str) {
    let ok = Command::new("sh")
        .args(["-c", &format!("kill {sig} {}", child.id())])
        .status()
        .expect("run kill")
        .success();
    assert!(ok, "kill {sig} failed");
}

fn report(db: &Path) -> (serde_json::Value, String) {
    let out = Command::new(STEMMA)
        .args(["report", "--format", "json", "--db"])
        .arg(db)
        .output()
        .expect("run stemma report");
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(out.status.success(), "report failed: {stderr}");
    (
        serde_json::from_slice(&out.stdout).expect("report JSON"),
        stderr,
    )
}

fn ids(report: &serde_json::Value) -> Vec<String> {
    report["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn sigterm_closes_cleanly_and_sigkill_is_repaired_by_report() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("serve.db");

    let (mut child, addr) = serve(&db);
    let answer = post(&addr, "term-1");
    assert!(answer.starts_with("HTTP/1.1 20"), "{answer}");
    signal(&child, "-TERM");
    let status = child.wait().unwrap();
    assert!(status.success(), "stemma serve after SIGTERM: {status}");
    stemma_store::RedbStore::open_read_only(&db)
        .expect("after SIGTERM the store opens read-only without a repair");

    let (mut child, addr) = serve(&db);
    let answer = post(&addr, "kill-1");
    assert!(answer.starts_with("HTTP/1.1 20"), "{answer}");
    signal(&child, "-KILL");
    child.wait().unwrap();
    let err = stemma_store::RedbStore::open_read_only(&db).expect_err("needs a repair");
    assert!(
        matches!(err, stemma_store::StoreError::NeedsRepair { .. }),
        "{err}"
    );
    let (rep, stderr) = report(&db);
    assert!(stderr.contains("repaired"), "{stderr}");
    let found = ids(&rep);
    for id in ["term-1", "kill-1"] {
        assert!(found.iter().any(|f| f == id), "{id} lost: {found:?}");
    }
    let (_, stderr) = report(&db);
    assert!(!stderr.contains("repaired"), "repaired twice: {stderr}");
}
