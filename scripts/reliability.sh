#!/usr/bin/env bash
# Reliability and security checks, bounded in time (see RELIABILITY.md):
#   1. fuzzing of every parser and the extractor (stable driver; cargo-fuzz when asked),
#   2. the generated bad-input corpus, at library level and through the `stemma` binary,
#   3. storage faults: kill -9 during ingest, disk full, read-only store and file system,
#   4. the HTTP API: limits, security headers, hostile documents,
#   5. a load test at rising concurrency (bench/results/load.txt when LOAD_WRITE=1),
#   6. kill -9 of the server under load, then every acknowledged ingest checked.
#
# Knobs: FUZZ_SECS (per target, default 15), LIBFUZZER=1 (also run the cargo-fuzz
# targets for FUZZ_SECS each; needs `cargo install cargo-fuzz`), LOAD_SECS (per level,
# default 2), LOAD_WRITE=1 (keep the load figures in bench/results/load.txt).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never

fuzz_secs="${FUZZ_SECS:-15}"
load_secs="${LOAD_SECS:-2}"
work="$(mktemp -d)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
start=$(date +%s)
step() { echo; echo "== $1 ($(( $(date +%s) - start )) s)"; }
fail() { echo "reliability: FAILED: $*" >&2; exit 1; }

step "build"
cargo build -q --release -p stemma-cli
cargo build -q --release -p stemma-server --example loadgen --example demo_server
cargo build -q --release -p stemma-ingest --example bad_corpus
cargo test -q --no-run -p stemma-ingest -p stemma-extract -p stemma-server -p stemma-store 2>/dev/null
stemma=./target/release/stemma
has_cmd() { "$stemma" --help 2>/dev/null | grep -qE "^\s+$1\b"; }

step "fuzz: stable driver, ${fuzz_secs} s per target (warc, jsonl, charset, html, api_body)"
STEMMA_FUZZ_SECS="$fuzz_secs" timeout $(( fuzz_secs * 5 + 240 )) \
  cargo test -q -p stemma-ingest -p stemma-extract -p stemma-server --test fuzz -- --nocapture 2>&1 \
  | grep -E '^fuzz |test result|FAILED|panicked|failures' || fail "fuzz"
if [ "${LIBFUZZER:-0}" = 1 ]; then
  step "fuzz: cargo-fuzz (libFuzzer, coverage-guided), ${fuzz_secs} s per target"
  for t in warc jsonl charset html api_body; do
    mkdir -p "fuzz/corpus/$t"
    (cd fuzz && RUSTC_BOOTSTRAP=1 timeout $(( fuzz_secs + 600 )) cargo fuzz run "$t" -s none -- \
      -max_total_time="$fuzz_secs" -max_len=65536 -rss_limit_mb=4096 2>&1 | tail -3) || fail "cargo fuzz $t"
  done
fi

step "bad-input corpus: library level (readers, extraction, store)"
timeout 400 cargo test -q -p stemma-ingest --test bad_corpus --test ingest -- --nocapture 2>&1 \
  | grep -E '^read|test result|FAILED|panicked' || fail "bad corpus (library)"

step "bad-input corpus: full size through the stemma binary"
./target/release/examples/bad_corpus "$work/bad" | tail -1
python3 - "$work/bad" "$stemma" <<'EOF' || fail "bad corpus (binary)"
import json, subprocess, sys, time, os
work, stemma = sys.argv[1], sys.argv[2]
ex = json.load(open(os.path.join(work, "expected.json")))
corpus = os.path.join(work, "corpus")
def check_errors(stderr, what):
    lines = [l for l in stderr.splitlines() if "skipped" in l]
    for f, phrase in ex["errors"].items():
        mine = [l for l in lines if f in l]
        assert len(mine) == 1, f"{what}: {f}: {len(mine)} error lines: {mine}"
        assert phrase in mine[0], f"{what}: {f}: {mine[0]!r} lacks {phrase!r}"
t = time.time()
p = subprocess.run([stemma, "analyze", corpus, "--format", "json"], capture_output=True, text=True, timeout=600)
assert p.returncode == 0, f"analyze exited {p.returncode}: {p.stderr[-2000:]}"
rep = json.loads(p.stdout)
ids = {d["id"] for d in rep["documents"]}
lost = [i for i in ex["good"] if i not in ids]
assert not lost, f"analyze lost good documents: {lost}"
check_errors(p.stderr, "analyze")
print(f"analyze: {len(ids)} documents (all {len(ex['good'])} good ones), {len(ex['errors'])} bad files each named once, {time.time()-t:.1f} s")
help_text = subprocess.run([stemma, "--help"], capture_output=True, text=True).stdout
if any(l.split()[:1] == ["ingest"] for l in help_text.splitlines()):
    db = os.path.join(work, "bad.db")
    t = time.time()
    p = subprocess.run([stemma, "ingest", "--quiet", "--db", db, corpus], capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, f"ingest exited {p.returncode}: {p.stderr[-2000:]}"
    check_errors(p.stderr, "ingest")
    print(f"ingest --db: ok, {time.time()-t:.1f} s")
    os.environ["STEMMA_BAD_DB"] = db
else:
    print("ingest --db: SKIPPED (the stemma binary has no ingest command yet)")
EOF

step "storage faults: kill -9 during ingest, disk full, read-only store and file system"
timeout 300 cargo test -q -p stemma-store --test crash --test faults -- --nocapture 2>&1 \
  | grep -E 'kills in|disk full|SKIPPED|read-only|test result|FAILED|panicked' || fail "store faults"

step "server: limits, security headers, hostile documents"
timeout 300 cargo test -q -p stemma-server --test api --test limits 2>&1 \
  | grep -E 'test result|FAILED|panicked' || fail "server tests"

step "load test: rising concurrency, ${load_secs} s per level"
if [ "${LOAD_WRITE:-0}" = 1 ]; then out=bench/results/load.txt; else out="$work/load.txt"; fi
LOAD_SECS="$load_secs" LOAD_OUT="$out" timeout 300 bench/load.sh | tail -8 || fail "load test"

step "kill -9 of the server under load"
if has_cmd serve; then
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
  addr="127.0.0.1:$port"
  db="$work/serve.db"
  wait_port() {
    for _ in $(seq 1 150); do
      python3 -c "import socket; socket.create_connection(('127.0.0.1',$port),0.2)" 2>/dev/null && return 0
      sleep 0.1
    done
    return 1
  }
  for round in 1 2 3; do
    "$stemma" serve --db "$db" --addr "$addr" >"$work/serve-$round.log" 2>&1 &
    spid=$!; pids+=("$spid")
    wait_port || fail "server did not start (round $round): $(tail -3 "$work/serve-$round.log")"
    ./target/release/examples/loadgen --addr "$addr" --levels 16 --secs 4 --ingest-every 3 \
      --acked "$work/acked.txt" --tolerate-errors --no-verify >"$work/kill-load-$round.txt" 2>&1 &
    lpid=$!; pids+=("$lpid")
    sleep "$(python3 -c "import random; random.seed($round); print(round(1.0 + 2.0*random.random(), 2))")"
    kill -9 "$spid"; wait "$spid" 2>/dev/null || true
    wait "$lpid" 2>/dev/null || true
    echo "round $round: server killed under load; $(wc -l <"$work/acked.txt") ingests acknowledged so far"
  done
  "$stemma" serve --db "$db" --addr "$addr" >"$work/serve-final.log" 2>&1 &
  spid=$!; pids+=("$spid")
  wait_port || fail "server did not restart after kill -9: $(tail -3 "$work/serve-final.log")"
  ./target/release/examples/loadgen --addr "$addr" --verify "$work/acked.txt" || fail "acknowledged ingests lost after kill -9"
  kill "$spid" 2>/dev/null || true
else
  echo "SKIPPED: the stemma binary has no serve command yet (the store-level kill -9 test above ran)"
fi

step "done in $(( $(date +%s) - start )) s"
