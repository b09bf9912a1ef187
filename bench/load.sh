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
  ./target/release/stemma serve --db "$work/load.db" --addr "$addr" >"$work/server.log" 2>&1 &
else
  kind="demo_server example (in-memory backend)"
  ./target/release/examples/demo_server --addr "$addr" >"$work/server.log" 2>&1 &
fi
server_pid=$!
for _ in $(seq 1 300); do
  if python3 -c "import socket,sys; socket.create_connection(('127.0.0.1',$port),0.2)" 2>/dev/null; then break; fi
  sleep 0.1
done

{
  echo "# load test ($(date -u '+%Y-%m-%d %H:%M UTC'))"
  echo "command: LOAD_SERVER=$server LOAD_SECS=$secs LOAD_LEVELS=$levels LOAD_INGEST_EVERY=$every bench/load.sh"
  echo "server: $kind, on $addr"
  echo "machine: $(nproc) CPU cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo) memory, load average $(cut -d' ' -f1-3 /proc/loadavg) at the start; client and server on the same machine"
  echo "mix: 1 in $every requests POSTs a new document; the rest GET search, one document, the story list, the page (one keep-alive connection per worker)"
  echo "latency: from sending the request to the last byte of the answer, successful and failed requests alike"
  echo
} >"$work/load.txt"
set +e
./target/release/examples/loadgen --addr "$addr" --levels "$levels" --secs "$secs" --ingest-every "$every" >>"$work/load.txt" 2>&1
rc=$?
set -e
mkdir -p "$(dirname "$out")"
cp "$work/load.txt" "$out"
cat "$out"
if [ "$rc" -ne 0 ]; then
  echo "load.sh: loadgen failed (exit $rc); server log:" >&2
  tail -20 "$work/server.log" >&2
fi
exit "$rc"
