#!/usr/bin/env bash
# Browser test of the evidence page in Debian's headless Chromium.
# Needs: node >= 18, npm, /usr/bin/chromium (apt-get install -y chromium).
# Never downloads a browser: playwright-core drives the system Chromium.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

if [ ! -x "${CHROMIUM:-/usr/bin/chromium}" ]; then
  echo "browser test: ${CHROMIUM:-/usr/bin/chromium} not found (apt-get install -y chromium)" >&2
  exit 1
fi

cd "$here"
if [ -f package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
else
  npm install --no-audit --no-fund --loglevel=error
fi

# The page is tested as users run it: the example corpus ingested into an
# embedded store, served by `stemma serve`.
if [ -z "${STEMMA_SERVER_CMD:-}" ]; then
  (cd "$repo" && cargo build -q -p stemma-cli)
  db_dir="$(mktemp -d)"
  trap 'rm -rf "$db_dir"' EXIT
  "$repo/target/debug/stemma" ingest "$repo/examples/corpus" --db "$db_dir/stemma.db" --quiet
  export STEMMA_SERVER_CMD="$repo/target/debug/stemma serve --db $db_dir/stemma.db --addr {addr}"
  export STEMMA_EXAMPLE_CORPUS=1
fi

node "$here/evidence-page.test.mjs"
