//! A reader that stops early (`stemma compare a b | head -1`) ends
//! stemma quietly, with no panic on the closed pipe.
#![cfg(unix)]
use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};

const STEMMA: &str = env!("CARGO_BIN_EXE_stemma");

#[test]
fn a_closed_pipe_ends_stemma_quietly() {
    let dir = tempfile::tempdir().unwrap();
    // A comparison whose evidence lines are far more than a pipe holds, so
    // stemma is still writing when the reader goes.
    let text: String = (0..400)
        .map(|i| {
            format!("The harbour ferry made crossing number {i} on a calm Monday morning.\n\n")
        })
        .collect();
    let (a, b) = (dir.path().join("a.txt"), dir.path().join("b.txt"));
    std::fs::write(&a, format!("Ferry\n\n{text}")).unwrap();
    std::fs::write(&b, format!("Ferry copy\n\n{text}")).unwrap();
    let mut child = Command::new(STEMMA)
        .args(["compare", "--diff"])
        .args([&a, &b])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start stemma");
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(first.starts_with("a vs b"), "{first:?}");
    // The reader is dropped here: the pipe closes.
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    child.wait().unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
}
