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

if [ -z "${STEMMA_SERVER_CMD:-}" ]; then
  (cd "$repo" && cargo build -q -p stemma-server --example demo_server)
fi

exec node "$here/evidence-page.test.mjs"
