#!/usr/bin/env bash
# Performance benchmark: Stemma against datasketch MinHashLSH and rensa on the
# same generated corpus, in one invocation, so that ratios are measured under
# the same machine load.
#
# For each size it generates (once, cached in bench/.work/cN) a corpus with
# `stemma-bench gen`, then runs and times (/usr/bin/time: wall seconds, peak
# RSS, user+system CPU seconds):
#   stemma analyze            end to end (read, extract, candidates, verify,
#                             orient, stories), sentence embeddings on when
#                             models/all-minilm-l6-v2 exists, and again with
#                             STEMMA_EMBED=off;
#   stemma-bench candidates   the same stages timed one by one (STEMMA_EMBED
#                             as PERF_PROFILE_EMBED, default off), with the
#                             recall of the true pairs among the candidates;
#   stemma ingest             the persistent store, batch PERF_INGEST_BATCH
#                             (skipped above PERF_INGEST_MAX documents);
#   datasketch, rensa         MinHash-LSH at their usual settings (5-word
#                             shingles, 128 permutations, threshold 0.8), and
#                             datasketch at 0.5 too (PERF_DS_LOW).
# The machine may be shared: CPU seconds are printed beside wall seconds,
# and ratios are given on both. Prints documents/second, peak RSS, precision/recall/F1 of derived pairs,
# Stemma's ratios to each baseline (end to end and candidate stage alone),
# and the stage profile.
#
# Usage: bench/perf.sh [SIZES...]   (default 10000)
# Env: PERF_SKIP (space-separated run names to skip: analyze analyze_noembed
#      profile ingest datasketch datasketch_low rensa), PERF_INGEST_MAX
#      (default 100000), PERF_INGEST_BATCH (default 1000), PERF_DS_LOW (0.5),
#      PERF_NO_BUILD=1 (use the binaries already in target/release).
# Needs python3 with venv (baselines are pip-installed into bench/.work/venv)
# and /usr/bin/time (Debian package `time`; CI does not run this script).
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("${@:-10000}")
work=bench/.work
mkdir -p "$work"
py=$work/venv/bin/python
if [ ! -x "$py" ]; then
  python3 -m venv "$work/venv"
  "$py" -m pip install -q datasketch==2.0.0 rensa==0.5.0
fi
if [ ! -x /usr/bin/time ]; then
  echo "perf.sh: /usr/bin/time is missing: apt-get install time" >&2
  exit 1
fi
[ -n "${PERF_NO_BUILD:-}" ] || cargo build -q --release -p stemma-cli -p stemma-bench
skip=" ${PERF_SKIP:-} "
ingest_max=${PERF_INGEST_MAX:-100000}
ingest_batch=${PERF_INGEST_BATCH:-1000}
ds_low=${PERF_DS_LOW:-0.5}
profile_embed=${PERF_PROFILE_EMBED:-off}
model=models/all-minilm-l6-v2
have_model=no
[ -f "$model/model.safetensors" ] && have_model=yes

# timed NAME OUTDIR CMD... : runs CMD, keeps stdout/stderr, appends a JSON
# line with wall seconds and peak RSS to OUTDIR/runs.jsonl.
timed() {
  local name=$1 dir=$2; shift 2
  local rc=0
  /usr/bin/time -f "%e %M %U %S" -o "$dir/$name.time" "$@" > "$dir/$name.stdout" 2> "$dir/$name.stderr" || rc=$?
  read -r s m u k < <(tail -1 "$dir/$name.time")
  printf '{"run":"%s","wall":%s,"peak_kib":%s,"cpu":%s,"rc":%s}\n' "$name" "$s" "$m" "$(awk -v u="$u" -v k="$k" 'BEGIN{printf "%.2f", u+k}')" "$rc" >> "$dir/runs.jsonl"
  [ "$rc" = 0 ] || echo "perf.sh: $name exited $rc (see $dir/$name.stderr)" >&2
}
want() { [[ "$skip" != *" $1 "* ]]; }

echo "# Stemma performance benchmark"
echo "# date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "# command: bench/perf.sh ${sizes[*]}${PERF_SKIP:+ (PERF_SKIP=$PERF_SKIP)}"
echo "# machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')), $(free -g | awk '/Mem/{print $2}') GiB RAM; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# commit: $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- crates || echo ' + uncommitted changes in crates/')"
echo "# embedding model present: $have_model; profile run with STEMMA_EMBED=$profile_embed"
for n in "${sizes[@]}"; do
  c=$work/c$n
  if [ ! -f "$c/docs.jsonl" ]; then
    ./target/release/stemma-bench gen --n "$n" --out "$c" 2> "$work/gen$n.log"
  fi
  rm -f "$c/runs.jsonl" "$c/store.db"
  echo "## $n documents (load average $(cut -d' ' -f1-3 /proc/loadavg))"
  if want profile; then
    timed profile "$c" env STEMMA_EMBED="$profile_embed" ./target/release/stemma-bench candidates \
      --docs "$c/docs.jsonl" --truth "$c/truth.tsv" --full
  fi
  if want datasketch; then
    timed datasketch "$c" "$py" bench/baselines.py datasketch "$c/docs.jsonl" "$c/datasketch.tsv"
  fi
  if want datasketch_low; then
    timed datasketch_low "$c" "$py" bench/baselines.py datasketch "$c/docs.jsonl" "$c/datasketch_low.tsv" "$ds_low"
  fi
  if want rensa; then
    timed rensa "$c" "$py" bench/baselines.py rensa "$c/docs.jsonl" "$c/rensa.tsv"
  fi
  if want analyze; then
    timed analyze "$c" env STEMMA_EMBED=on ./target/release/stemma analyze "$c/docs.jsonl" --format json --quiet --timings
  fi
  if want analyze_noembed && [ "$have_model" = yes ]; then
    timed analyze_noembed "$c" env STEMMA_EMBED=off ./target/release/stemma analyze "$c/docs.jsonl" --format json --quiet --timings
  fi
  if want ingest && [ "$n" -le "$ingest_max" ]; then
    timed ingest "$c" ./target/release/stemma ingest "$c/docs.jsonl" --db "$c/store.db" \
      --batch "$ingest_batch" --quiet --format json
    ./target/release/stemma report --db "$c/store.db" --format json > "$c/ingest-report.json" 2>/dev/null \
      || rm -f "$c/ingest-report.json"
  fi
  "$py" bench/score_pairs.py --table "$c" "$n"
done
