#!/usr/bin/env bash
# Read-side cost of `stemma serve --db` over a bigger store: the story list
# (the web page's first request), GET /api/documents and a site query all
# read the whole report. The server builds it once per store generation and
# shares it until a commit. For each request this ingests one document
# through the API (a new generation), then times the first request (the
# report built from the store: the baseline) against the median of the ones
# that follow (the shared report), as ratios measured in the same run.
#   REPORT_DOCS=10000  size of the generated corpus (stemma-bench gen)
#   REPORT_REPEAT=10   timed requests per URL after the first
set -euo pipefail
cd "$(dirname "$0")/.."
n="${REPORT_DOCS:-10000}"
repeat="${REPORT_REPEAT:-10}"
work="bench/.work"
c="$work/c$n"
mkdir -p "$c"
cargo build --release -q -p stemma-cli -p stemma-bench
if [ ! -f "$c/docs.jsonl" ]; then
  ./target/release/stemma-bench gen --n "$n" --out "$c" 2> "$work/gen$n.log"
fi
tmp="$(mktemp -d)"
addr="127.0.0.1:$((20000 + RANDOM % 20000))"
pid=""
trap '[ -n "$pid" ] && { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; }; rm -rf "$tmp"' EXIT
held=4
head -n "$((n - held))" "$c/docs.jsonl" > "$tmp/most.jsonl"
for k in $(seq "$held"); do sed -n "$((n - held + k))p" "$c/docs.jsonl" > "$tmp/held$k.json"; done
./target/release/stemma ingest "$tmp/most.jsonl" --db "$tmp/store.db" --quiet >&2
./target/release/stemma serve --db "$tmp/store.db" --addr "$addr" > "$tmp/serve.log" 2>&1 &
pid=$!
for _ in $(seq 100); do curl -sf -o /dev/null "http://$addr/api/status" && break; sleep 0.1; done

ms() { curl -sf -o /dev/null -w '%{time_total}' "http://$addr$1" | awk '{printf "%.1f", $1 * 1000}'; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
posted=0
row() {
  local url="$1" first rest
  posted=$((posted + 1))
  curl -sf -o /dev/null -X POST -H 'Content-Type: application/json' --data-binary @"$tmp/held$posted.json" "http://$addr/api/documents"
  first="$(ms "$url")"
  rest="$(for _ in $(seq "$repeat"); do ms "$url"; echo; done | median)"
  printf '%-28s %10s %14s %8.1fx\n' "$url" "$first" "$rest" "$(awk -v a="$first" -v b="$rest" 'BEGIN {print (b > 0) ? a / b : 0}')"
}
echo "# report sharing in stemma serve --db ($(date -u '+%Y-%m-%d %H:%M UTC'))"
echo "command: bench/report-cache.sh (REPORT_DOCS=$n REPORT_REPEAT=$repeat)"
echo "store: $((n - held)) generated documents; before each row, one more ingested through the API"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the start"
echo "columns: first request after the ingest (the report built from the store), median of the next $repeat (shared), ratio"
echo
printf '%-28s %10s %14s %9s\n' "request" "first ms" "then ms" "ratio"
row /api/stories
row /api/documents
row "/api/report?site=x.example"
row "/api/stories/s1"
echo
echo "(/api/stories/{id} reads only its story's rows; it is the control, built or not.)"
