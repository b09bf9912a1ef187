#!/usr/bin/env bash
# Load test of the HTTP API on loopback, bounded in time: rising concurrency
# (1, 4, 16, 64 by default), throughput and p50/p99 latency per level, errors, and a
# check that every acknowledged ingest can be fetched back. Writes
# bench/results/load.txt (or $LOAD_OUT).
#
#   bench/load.sh                         # 5 s per level
#   LOAD_SECS=2 LOAD_LEVELS=1,8 bench/load.sh
#   LOAD_SERVER=demo bench/load.sh        # the in-memory demo server
#   LOAD_BUILD=0 bench/load.sh            # use the release binaries as they are
#
# The server is `stemma serve --db` (a fresh redb store in a temporary folder: every
# ingest is committed to disk before it is acknowledged); LOAD_SERVER=demo runs the
# in-memory demo server instead. Traffic goes to 127.0.0.1 only (loadgen refuses other
# addresses).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never

secs="${LOAD_SECS:-5}"
levels="${LOAD_LEVELS:-1,4,16,64}"
every="${LOAD_INGEST_EVERY:-20}"
out="${LOAD_OUT:-bench/results/load.txt}"

server="${LOAD_SERVER:-stemma}"
[ "${LOAD_BUILD:-1}" = 0 ] && build=: || build=cargo
case "$server" in
  stemma)
    $build build -q --release -p stemma-cli
    $build build -q --release -p stemma-server --example loadgen ;;
  demo) $build build -q --release -p stemma-server --example loadgen --example demo_server ;;
  *) echo "load.sh: LOAD_SERVER must be stemma or demo" >&2; exit 2 ;;
esac

work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
addr="127.0.0.1:$port"
if [ "$server" = stemma ]; then
  kind="stemma serve --db (redb store in $(dirname "$work"), a $(stat -f -c %T "$work") file system; each ingest committed before it is acknowledged)"
else
  kind="demo_server example (in-memory backend)"
fi
# A fresh server (and store) for each level, so that levels differ only in concurrency,
# not in how much earlier levels stored.
start_server() {
  rm -f "$work/load.db"
  if [ "$server" = stemma ]; then
    ./target/release/stemma serve --db "$work/load.db" --addr "$addr" >>"$work/server.log" 2>&1 &
  else
    ./target/release/examples/demo_server --addr "$addr" >>"$work/server.log" 2>&1 &
  fi
  server_pid=$!
  for _ in $(seq 1 300); do
    if python3 -c "import socket,sys; socket.create_connection(('127.0.0.1',$port),0.2)" 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "load.sh: the server did not start" >&2
  return 1
}
stop_server() {
  kill "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
}

{
  echo "# load test ($(date -u '+%Y-%m-%d %H:%M UTC'))"
  echo "command: LOAD_SERVER=$server LOAD_SECS=$secs LOAD_LEVELS=$levels LOAD_INGEST_EVERY=$every bench/load.sh"
  echo "server: $kind, on $addr; a fresh server and store (16 seed documents) for each level"
  echo "machine: $(nproc) CPU cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo) memory, load average $(cut -d' ' -f1-3 /proc/loadavg) at the start; client and server on the same machine"
  echo "mix: 1 in $every requests POSTs a new document; the rest GET search, one document, the story list, the page (one keep-alive connection per worker)"
  echo "latency: from sending the request to the last byte of the answer, successful and failed requests alike"
  echo "acked/lost: ingests answered 2xx with the id listed, and of those the ones not fetched back (GET) after the level"
  echo
  printf "%11s %9s %9s %9s %9s %9s %7s %8s\n" concurrency requests req/s "p50 ms" "p99 ms" "max ms" errors acked/lost
} >"$work/load.txt"
rc=0
acked_all=0
lost_all=0
for level in ${levels//,/ }; do
  start_server
  set +e
  ./target/release/examples/loadgen --addr "$addr" --levels "$level" --secs "$secs" --ingest-every "$every" >"$work/level.txt" 2>&1
  r=$?
  set -e
  stop_server
  [ "$r" -ne 0 ] && rc=$r
  row="$(awk 'NR==2' "$work/level.txt")"
  acked="$(sed -n 's/^acknowledged ingests: \([0-9]*\), fetched back: [0-9]*, lost: \([0-9]*\)$/\1 \2/p' "$work/level.txt")"
  if [ -z "$row" ] || [ -z "$acked" ]; then
    echo "load.sh: level $level gave no figures:" >&2; cat "$work/level.txt" >&2; rc=1; continue
  fi
  set -- $row
  a=${acked% *}; l=${acked#* }
  acked_all=$(( acked_all + a )); lost_all=$(( lost_all + l ))
  printf "%11s %9s %9s %9s %9s %9s %7s %8s\n" "$1" "$2" "$3" "$4" "$5" "$6" "$7" "$a/$l" >>"$work/load.txt"
  grep -E '^  (error|lost)' "$work/level.txt" >>"$work/load.txt" || true
done
echo "acknowledged ingests: $acked_all, lost: $lost_all" >>"$work/load.txt"
mkdir -p "$(dirname "$out")"
cp "$work/load.txt" "$out"
cat "$out"
if [ "$rc" -ne 0 ]; then
  echo "load.sh: loadgen failed (exit $rc); server log:" >&2
  tail -20 "$work/server.log" >&2
fi
exit "$rc"
