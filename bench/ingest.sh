#!/usr/bin/env bash
# Incremental-ingest benchmark: builds a store of N synthetic articles (kept
# under target/ and reused), times K single-article ingests and K story
# assignments, and writes bench/results/ingest.txt.
# Usage: bench/ingest.sh [N] [K]   (defaults 100000 200)
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-100000}"
K="${2:-200}"
cmd=(cargo run --release -q -p stemma-store --example ingest_bench -- --n "$N" --k "$K" --batch 5000)
out=bench/results/ingest.txt
{
  echo "command: ${cmd[*]}"
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr)"
  "${cmd[@]}"
} | tee "$out"
