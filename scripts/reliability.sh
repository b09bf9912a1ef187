#!/usr/bin/env bash
# Reliability and security checks, bounded in time (see RELIABILITY.md):
#   1. fuzzing of every parser and the extractor (stable driver; cargo-fuzz when asked),
#   2. the generated bad-input corpus, at library level and through the `stemma` binary,
#   3. storage faults: kill -9 during ingest, disk full, read-only store and file system,
#   4. the HTTP API: limits, security headers, hostile documents,
#   5. a load test of `stemma serve --db` at rising concurrency (bench/results/load.txt
#      when LOAD_WRITE=1),
#   6. kill -9 of `stemma serve --db` under load, several rounds, then every acknowledged
#      ingest checked in the store (`stemma report`, which repairs it) and through the
#      API after a restart, the store checked for consistency, and SIGTERM checked to
#      close it cleanly.
#
# Knobs:
#   FUZZ_SECS        seconds per target for the stable fuzz driver (default 15; 0 skips)
#   RELIABILITY_LIB  0 skips steps 2-4 at library level (`cargo test --workspace` runs
#                    them already; scripts/test.sh sets 0); default 1
#   LIBFUZZER=1      also run the cargo-fuzz targets, LIBFUZZER_SECS each (default
#                    FUZZ_SECS); needs `cargo install cargo-fuzz`. LIBFUZZER_DEV=1
#                    builds them with the dev profile (faster cold build; CI's choice).
#                    A crash input is copied into fuzz/regressions/<target>/.
#   LOAD_SECS        seconds per concurrency level (default 2); LOAD_LEVELS (1,4,16,64)
#   LOAD_WRITE=1     keep the load figures in bench/results/load.txt
#   KILL_ROUNDS      kill -9 rounds of the server under load (default 5)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never

fuzz_secs="${FUZZ_SECS:-15}"
load_secs="${LOAD_SECS:-2}"
lib="${RELIABILITY_LIB:-1}"
rounds="${KILL_ROUNDS:-5}"
work="$(mktemp -d)"
spid=""  # the server now running, if any
lpid=""  # the load generator now running, if any
cleanup() {
  for p in $spid $lpid; do kill -9 "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
start=$(date +%s)
step() { echo; echo "== $1 ($(( $(date +%s) - start )) s)"; }
fail() { echo "reliability: FAILED: $*" >&2; exit 1; }
# Runs a command with its output in a log; prints the lines matching $1, or the
# log's tail when the command fails.
filtered() {
  local pattern="$1" log="$work/step.log"; shift
  if "$@" >"$log" 2>&1; then
    grep -E "$pattern" "$log" || true
  else
    tail -40 "$log" >&2
    return 1
  fi
}

step "build (release: stemma, loadgen, bad_corpus)"
cargo build -q --release -p stemma-cli
cargo build -q --release -p stemma-server -p stemma-ingest --example loadgen --example bad_corpus
stemma=./target/release/stemma
loadgen=./target/release/examples/loadgen

# `--workspace` keeps the feature set of `cargo test --workspace`, so nothing is
# rebuilt after it; only the packages with these test targets are built and run.
if [ "$fuzz_secs" != 0 ]; then
  step "fuzz: stable driver, ${fuzz_secs} s per target (warc, jsonl, charset, html, api_body)"
  STEMMA_FUZZ_SECS="$fuzz_secs" filtered 'fuzz [a-z_]+:|test result|FAILED|panicked' \
    cargo test -q --workspace --test fuzz -- --nocapture || fail "fuzz"
fi
if [ "${LIBFUZZER:-0}" = 1 ]; then
  lf_secs="${LIBFUZZER_SECS:-$fuzz_secs}"
  step "fuzz: cargo-fuzz (libFuzzer, coverage-guided), ${lf_secs} s per target"
  # LIBFUZZER_DEV=1 (CI's setting) builds the dev profile: about half the cold
  # build time of release, with overflow checks on; fine for short runs.
  lf_profile=()
  [ "${LIBFUZZER_DEV:-0}" = 1 ] && lf_profile=(--dev)
  (cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz build "${lf_profile[@]}" -s none) || fail "cargo fuzz build"
  for t in warc jsonl charset html api_body; do
    mkdir -p "fuzz/corpus/$t" "fuzz/regressions/$t"
    if ! (cd fuzz && RUSTC_BOOTSTRAP=1 timeout $(( lf_secs + 120 )) cargo fuzz run "${lf_profile[@]}" "$t" -s none \
      "corpus/$t" "regressions/$t" -- -max_total_time="$lf_secs" -max_len=65536 \
      -rss_limit_mb=4096 > "$work/libfuzzer-$t.log" 2>&1); then
      tail -30 "$work/libfuzzer-$t.log"
      # Keep every crash input as a regression test: both fuzz drivers replay
      # fuzz/regressions/<target>/ first, so committing the file pins the bug.
      for f in fuzz/artifacts/"$t"/*; do
        [ -f "$f" ] && cp "$f" "fuzz/regressions/$t/" && echo "$t: crash input kept as fuzz/regressions/$t/$(basename "$f"); commit it with the fix"
      done
      fail "cargo fuzz $t"
    fi
    grep -E '^Done|^#[0-9]+ +DONE' "$work/libfuzzer-$t.log" | tail -1 | sed "s/^/$t: /"
  done
fi

if [ "$lib" = 1 ]; then
  step "bad-input corpus: library level (readers, extraction, store)"
  filtered '^read|test result|FAILED|panicked' \
    cargo test -q --workspace --test bad_corpus --test ingest -- --nocapture || fail "bad corpus (library)"

  step "storage faults: kill -9 during ingest, abort before the index checkpoint, disk full, read-only store and file system"
  filtered 'kills in|disk full|SKIPPED|read-only|test result|FAILED|panicked' \
    cargo test -q -p stemma-store --test crash --test faults --test recovery -- --nocapture || fail "store faults"

  step "server: limits, security headers, hostile documents, concurrent ingests"
  filtered 'test result|FAILED|panicked' \
    cargo test -q -p stemma-server --test api --test limits --test store_backend || fail "server tests"
fi

step "bad-input corpus: full size through the stemma binary (analyze, ingest --db)"
./target/release/examples/bad_corpus "$work/bad" | tail -1
timeout 600 python3 - "$work/bad" "$stemma" <<'EOF' || fail "bad corpus (binary)"
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
p = subprocess.run([stemma, "analyze", corpus, "--format", "json"], capture_output=True, text=True, timeout=300)
assert p.returncode == 0, f"analyze exited {p.returncode}: {p.stderr[-2000:]}"
rep = json.loads(p.stdout)
ids = {d["id"] for d in rep["documents"]}
lost = [i for i in ex["good"] if i not in ids]
assert not lost, f"analyze lost good documents: {lost}"
check_errors(p.stderr, "analyze")
print(f"analyze: {len(ids)} documents (all {len(ex['good'])} good ones), {len(ex['errors'])} bad files each named once, {time.time()-t:.1f} s")
db = os.path.join(work, "bad.db")
t = time.time()
p = subprocess.run([stemma, "ingest", "--quiet", "--batch", "8", "--db", db, corpus], capture_output=True, text=True, timeout=300)
assert p.returncode == 0, f"ingest exited {p.returncode}: {p.stderr[-2000:]}"
check_errors(p.stderr, "ingest")
p = subprocess.run([stemma, "report", "--db", db, "--format", "json"], capture_output=True, text=True, timeout=300)
assert p.returncode == 0, f"report exited {p.returncode}: {p.stderr[-2000:]}"
stored = {d["id"] for d in json.loads(p.stdout)["documents"]}
lost = [i for i in ex["good"] if i not in stored]
assert not lost, f"ingest --db lost good documents: {lost}"
print(f"ingest --db (batches of 8): {len(stored)} documents stored (all {len(ex['good'])} good ones), {len(ex['errors'])} bad files each named once, {time.time()-t:.1f} s")
EOF

step "load test of stemma serve --db: rising concurrency, ${load_secs} s per level"
if [ "${LOAD_WRITE:-0}" = 1 ]; then out=bench/results/load.txt; else out="$work/load.txt"; fi
LOAD_BUILD=0 LOAD_SECS="$load_secs" LOAD_OUT="$out" timeout 300 bench/load.sh | tail -8 || fail "load test"

step "kill -9 of stemma serve --db under load: $rounds rounds, then every acknowledged ingest checked"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
addr="127.0.0.1:$port"
db="$work/serve.db"
acked="$work/acked.txt"
: >"$acked"
wait_port() {
  for _ in $(seq 1 300); do
    python3 -c "import socket; socket.create_connection(('127.0.0.1',$port),0.2)" 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}
start_server() {
  "$stemma" serve --db "$db" --addr "$addr" >>"$work/serve.log" 2>&1 &
  spid=$!
  wait_port || fail "server did not start ($1): $(tail -3 "$work/serve.log")"
}
kill_secs=4
for round in $(seq 1 "$rounds"); do
  start_server "round $round"
  before=$(wc -l <"$acked")
  "$loadgen" --addr "$addr" --levels 16 --secs "$kill_secs" --ingest-every 2 \
    --acked "$acked" --tolerate-errors --no-verify >"$work/kill-load-$round.txt" 2>&1 &
  lpid=$!
  delay="$(python3 -c "import random; random.seed($round); print(round(1.0 + 2.5*random.random(), 2))")"
  sleep "$delay"
  kill -9 "$spid"; wait "$spid" 2>/dev/null || true; spid=""
  wait "$lpid" 2>/dev/null || true; lpid=""
  now=$(wc -l <"$acked")
  echo "round $round: server killed (SIGKILL) ${delay} s into the load; $(( now - before )) ingests acknowledged in this round, $now in all"
done
[ "$(wc -l <"$acked")" -gt 0 ] || fail "no ingest was acknowledged before the kills; the test proved nothing"
# The store as the last kill left it: `stemma report` repairs it (it says so).
"$stemma" report --db "$db" --format json >"$work/report-killed.json" 2>"$work/report-killed.err" \
  || fail "the store does not open after the kills: $(cat "$work/report-killed.err")"
grep -q 'repaired' "$work/report-killed.err" && echo "report after the last kill: $(cat "$work/report-killed.err")"
check_store() {
  python3 - "$1" "$acked" "$2" <<'EOF2' || fail "store inconsistent after kill -9 ($2)"
import json, sys
rep = json.load(open(sys.argv[1]))
acked = [l.strip() for l in open(sys.argv[2]) if l.strip()]
assert len(acked) == len(set(acked)), "an id was acknowledged twice: loadgen ids are not unique"
docs = [d["id"] for d in rep["documents"]]
assert len(docs) == len(set(docs)), "a document is listed twice"
docs = set(docs)
missing = [i for i in acked if i not in docs]
assert not missing, f"acknowledged but not in the store: {missing[:10]}"
in_story = [d for s in rep["stories"] for d in s["documents"]]
assert sorted(in_story) == sorted(docs), "stories do not cover every document exactly once"
unseen = {u["id"] for u in rep.get("unseen_sources", [])}
for r in rep["relations"]:
    assert r["derivative"] in docs, f"relation to a missing document: {r['derivative']}"
    assert r["source"] in docs or r["source"] in unseen, f"relation from a missing source: {r['source']}"
extra = len(docs - set(acked) - {d for d in docs if d.startswith("seed-")})
print(f"store consistent ({sys.argv[3]}): {len(docs)} documents, {len(rep['stories'])} stories, "
      f"{len(rep['relations'])} relations; all {len(acked)} acknowledged ingests present, 0 lost; "
      f"{extra} stored whose answer the kill cut off")
EOF2
}
check_store "$work/report-killed.json" "stemma report after the last kill"
start_server "after the kills"
"$loadgen" --addr "$addr" --verify "$acked" || fail "acknowledged ingests lost after kill -9"
kill -TERM "$spid"
wait "$spid" || fail "stemma serve did not exit cleanly on SIGTERM"
spid=""
"$stemma" report --db "$db" --format json >"$work/report.json" 2>"$work/report.err" \
  || fail "the store does not open after SIGTERM: $(cat "$work/report.err")"
if grep -q 'repaired' "$work/report.err"; then fail "SIGTERM left the store unclean"; fi
check_store "$work/report.json" "after a restart and SIGTERM"

step "done"
